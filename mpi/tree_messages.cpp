#include "mpi/tree_messages.hpp"

#include "common/check.hpp"

namespace tessera::mpi {

namespace {

constexpr uint32_t kMaxMessage = 1u << 20;
constexpr uint32_t kMaxStatementBytes = 1u << 24;

void write_slot(ByteWriter& w, const TreeSlot& s) {
  w.u8(s.failed ? 1 : 0);
  if (s.failed) {
    w.u32(static_cast<uint32_t>(s.kind));
    w.str(s.message);
  } else {
    write_tree_node(w, s.node);
  }
}

TreeSlot read_slot(ByteReader& r) {
  TreeSlot s;
  s.failed = r.u8("tree slot kind") != 0;
  if (s.failed) {
    s.kind = static_cast<ErrorKind>(r.u32("tree failure kind"));
    s.message = r.str("tree failure message", kMaxMessage);
  } else {
    s.node = read_tree_node(r);
  }
  return s;
}

void write_blob(ByteWriter& w, const std::vector<uint8_t>& b) {
  w.u32(static_cast<uint32_t>(b.size()));
  w.bytes(b);
}

std::vector<uint8_t> read_blob(ByteReader& r, const char* what) {
  auto b = r.bytes(r.length(what, kMaxStatementBytes), what);
  return {b.begin(), b.end()};
}

}  // namespace

std::vector<uint8_t> encode_order(const TreeOrder& o) {
  ByteWriter w;
  w.u64(static_cast<uint64_t>(o.node));
  w.u32(static_cast<uint32_t>(o.owner));
  w.u64(static_cast<uint64_t>(o.left));
  w.u32(static_cast<uint32_t>(o.left_holder));
  w.u64(static_cast<uint64_t>(o.right));
  w.u32(static_cast<uint32_t>(o.right_holder));
  return w.take();
}

TreeOrder decode_order(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  TreeOrder o;
  o.node = static_cast<int64_t>(r.u64("tree order node"));
  o.owner = static_cast<int32_t>(r.u32("tree order owner"));
  o.left = static_cast<int64_t>(r.u64("tree order left"));
  o.left_holder = static_cast<int32_t>(r.u32("tree order left holder"));
  o.right = static_cast<int64_t>(r.u64("tree order right"));
  o.right_holder = static_cast<int32_t>(r.u32("tree order right holder"));
  r.expect_end("tree order");
  return o;
}

std::vector<uint8_t> encode_child(int64_t id, const TreeSlot& s) {
  ByteWriter w;
  w.u64(static_cast<uint64_t>(id));
  write_slot(w, s);
  return w.take();
}

std::pair<int64_t, TreeSlot> decode_child(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  const auto id = static_cast<int64_t>(r.u64("tree child node"));
  TreeSlot s = read_slot(r);
  r.expect_end("tree child message");
  return {id, std::move(s)};
}

void write_record(ByteWriter& w, const NodeRecord& rec) {
  w.u64(rec.j);
  w.u32(static_cast<uint32_t>(rec.owner));
  w.u8(rec.failed ? 1 : 0);
  w.u8(rec.original ? 1 : 0);
  w.u32(static_cast<uint32_t>(rec.kind));
  w.str(rec.message);
  write_blob(w, rec.statement);
  write_blob(w, rec.left_leaf);
  write_blob(w, rec.right_leaf);
}

NodeRecord read_record(ByteReader& r) {
  NodeRecord rec;
  rec.j = r.u64("tree record node");
  rec.owner = static_cast<int32_t>(r.u32("tree record owner"));
  rec.failed = r.u8("tree record failed") != 0;
  rec.original = r.u8("tree record original") != 0;
  rec.kind = static_cast<ErrorKind>(r.u32("tree record kind"));
  rec.message = r.str("tree record message", kMaxMessage);
  rec.statement = read_blob(r, "tree record statement");
  rec.left_leaf = read_blob(r, "tree record left leaf");
  rec.right_leaf = read_blob(r, "tree record right leaf");
  return rec;
}

}  // namespace tessera::mpi
