#include "vm/checkpoint.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "common/check.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::vm {
namespace {

constexpr char kMagic[4] = {'T', 'S', 'C', 'K'};
constexpr uint8_t kPageZero = 0, kPageData = 1;
constexpr uint32_t kFlagFinalShard = 1, kFlagInputEof = 2;

class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void bytes(const uint8_t* p, size_t n) { out_.insert(out_.end(), p, p + n); }
  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  void need(size_t n, std::string_view what) {
    if (in_.size() - pos_ < n)
      TESSERA_FAIL(ErrorKind::Format,
                   "checkpoint truncated: " << what << " needs " << n << " bytes at offset " << pos_
                                            << ", " << (in_.size() - pos_) << " left");
  }
  uint8_t u8(std::string_view what) {
    need(1, what);
    return in_[pos_++];
  }
  uint32_t u32(std::string_view what) {
    need(4, what);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(in_[pos_++]) << (8 * i);
    return v;
  }
  uint64_t u64(std::string_view what) {
    need(8, what);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(in_[pos_++]) << (8 * i);
    return v;
  }
  const uint8_t* bytes(size_t n, std::string_view what) {
    need(n, what);
    const uint8_t* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

// A running digest's three serialised fields (state, pending, byte count).
RunningDigest read_digest(Reader& r, uint32_t domain, std::string_view what) {
  Poseidon2State state;
  for (auto& e : state) {
    const uint32_t v = r.u32(what);
    if (v >= BabyBear::kModulus)
      TESSERA_FAIL(ErrorKind::Format,
                   "checkpoint " << what << " state holds " << v << ", not a field element");
    e = BabyBear::from_u32(v);
  }
  const uint32_t pending = r.u32(what);
  const uint64_t bytes = r.u64(what);
  return RunningDigest::from_parts(domain, state, pending, bytes);
}

}  // namespace

PageImage register_page(const std::array<uint32_t, 32>& regs) {
  PageImage p;
  p.index = kRegisterPage;
  std::memcpy(p.bytes.data(), regs.data(), sizeof(regs));
  return p;
}

std::array<uint32_t, 32> registers_from_page(const PageImage& page) {
  std::array<uint32_t, 32> regs;
  std::memcpy(regs.data(), page.bytes.data(), sizeof(regs));
  return regs;
}

std::array<uint32_t, 32> Checkpoint::registers() const {
  TESSERA_CHECK(!pages.empty() && pages.front().index == kRegisterPage, ErrorKind::Format,
                "checkpoint has no register page");
  return registers_from_page(pages.front());
}

std::vector<uint8_t> serialize_checkpoint(const Checkpoint& cp) {
  Writer w;
  w.bytes(reinterpret_cast<const uint8_t*>(kMagic), 4);
  w.u32(kCheckpointVersion);
  w.u64(cp.program_fingerprint);
  w.u64(cp.shard_index);
  w.u64(cp.start_cycle);
  w.u64(cp.cycle_count);
  w.u32((cp.final_shard ? kFlagFinalShard : 0u) | (cp.input_eof ? kFlagInputEof : 0u));
  w.u32(cp.pc);
  w.u64(cp.input_cursor);
  w.u64(cp.input.size());
  w.bytes(cp.input.data(), cp.input.size());
  for (const RunningDigest* d : {&cp.output, &cp.input_digest}) {
    for (const BabyBear& e : d->state()) w.u32(e.as_u32());
    w.u32(d->pending());
    w.u64(d->byte_count());
  }
  w.u32(static_cast<uint32_t>(cp.pages.size()));
  for (const PageImage& p : cp.pages) {
    w.u32(p.index);
    if (p.is_zero()) {
      w.u8(kPageZero);
    } else {
      w.u8(kPageData);
      w.bytes(p.bytes.data(), p.bytes.size());
    }
  }
  return w.take();
}

Checkpoint parse_checkpoint(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  const uint8_t* magic = r.bytes(4, "magic");
  if (std::memcmp(magic, kMagic, 4) != 0)
    TESSERA_FAIL(ErrorKind::Format, "not a checkpoint (bad magic)");
  const uint32_t version = r.u32("version");
  if (version == 1)
    TESSERA_FAIL(
        ErrorKind::Format,
        "checkpoint version 1 is no longer read (it lacks the input digest and end-of-file "
        "flag of version "
            << kCheckpointVersion << "); execute the guest again to write new ones");
  if (version != kCheckpointVersion)
    TESSERA_FAIL(ErrorKind::Format, "unsupported checkpoint version "
                                        << version << " (this build reads " << kCheckpointVersion
                                        << ")");
  Checkpoint cp;
  cp.program_fingerprint = r.u64("program fingerprint");
  cp.shard_index = r.u64("shard index");
  cp.start_cycle = r.u64("start cycle");
  cp.cycle_count = r.u64("cycle count");
  const uint32_t flags = r.u32("flags");
  if ((flags & ~(kFlagFinalShard | kFlagInputEof)) != 0)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint has unknown flags 0x" << std::hex << flags);
  cp.final_shard = (flags & kFlagFinalShard) != 0;
  cp.input_eof = (flags & kFlagInputEof) != 0;
  if (cp.cycle_count == 0) TESSERA_FAIL(ErrorKind::Format, "checkpoint of an empty shard");
  cp.pc = r.u32("pc");
  if (cp.pc % 4 != 0)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint pc 0x" << std::hex << cp.pc << " is misaligned");
  cp.input_cursor = r.u64("input cursor");
  const uint64_t input_len = r.u64("input length");
  if (input_len > r.remaining())
    TESSERA_FAIL(ErrorKind::Format, "checkpoint truncated: input of " << input_len << " bytes, "
                                                                      << r.remaining() << " left");
  if (input_len > kMaxInputBytes || cp.input_cursor > kMaxInputBytes - input_len)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint input ends at byte "
                                        << cp.input_cursor << " + " << input_len
                                        << ", beyond the input limit of 2^30 bytes");
  if (cp.input_eof && input_len != 0)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint starts at input end of file but carries "
                                        << input_len << " input bytes");
  const uint8_t* in = r.bytes(static_cast<size_t>(input_len), "input");
  cp.input.assign(in, in + input_len);

  cp.output = read_digest(r, kOutputDigestDomain, "output digest");
  if (cp.output.byte_count() > kMaxPublicOutputBytes)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint output digest counts "
                                        << cp.output.byte_count()
                                        << " bytes, beyond the public output limit of 2^30");
  cp.input_digest = read_digest(r, kInputDigestDomain, "input digest");
  if (cp.input_digest.byte_count() != cp.input_cursor)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint input digest counts "
                                        << cp.input_digest.byte_count()
                                        << " bytes, but the input cursor is " << cp.input_cursor);

  const uint32_t page_count = r.u32("page count");
  // Each page takes at least 5 bytes; reject absurd counts before allocating for them.
  if (page_count > r.remaining() / 5 || page_count > kPageCount)
    TESSERA_FAIL(ErrorKind::Format,
                 "checkpoint claims " << page_count << " pages in " << r.remaining() << " bytes");
  cp.pages.resize(page_count);
  for (uint32_t i = 0; i < page_count; ++i) {
    PageImage& p = cp.pages[i];
    p.index = r.u32("page index");
    if (p.index >= kPageCount)
      TESSERA_FAIL(ErrorKind::Format,
                   "checkpoint page index " << p.index << " is beyond the address space");
    if (i > 0 && p.index <= cp.pages[i - 1].index)
      TESSERA_FAIL(ErrorKind::Format, "checkpoint pages are not in strictly increasing order (page "
                                          << p.index << " after " << cp.pages[i - 1].index << ")");
    const uint8_t kind = r.u8("page kind");
    if (kind == kPageData) {
      std::memcpy(p.bytes.data(), r.bytes(kPageSize, "page bytes"), kPageSize);
    } else if (kind != kPageZero) {
      TESSERA_FAIL(ErrorKind::Format,
                   "checkpoint page " << p.index << " has unknown kind " << int(kind));
    }
  }
  if (cp.pages.empty() || cp.pages.front().index != kRegisterPage)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint lacks the register page (page 0)");
  if (cp.registers()[0] != 0) TESSERA_FAIL(ErrorKind::Format, "checkpoint register x0 is not zero");
  const auto& reg_bytes = cp.pages.front().bytes;
  if (std::any_of(reg_bytes.begin() + 32 * 4, reg_bytes.end(), [](uint8_t b) { return b != 0; }))
    TESSERA_FAIL(ErrorKind::Format, "checkpoint register page has bytes beyond x31");
  if (r.remaining() != 0)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint has " << r.remaining() << " trailing bytes");
  return cp;
}

}  // namespace tessera::vm
