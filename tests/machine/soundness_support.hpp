#pragma once
// Tools of the soundness tests of the tables that are not instruction families (system, io_words,
// absorb, p2_call, pages, merkle, shard): a full diagnosis of a witness, and the bookkeeping that
// keeps a tampered witness consistent everywhere except in the one place a test aims at.
//
// diagnose() evaluates every table row by row like Machine::debug_check, but does not stop at the
// first failure: it lists the first failing constraint of every row and every unbalanced message
// (the ledger names one; the test cancels it and asks again). A test can then assert that its
// tamper breaks exactly one protection — "only constraint X fails and every bus balances", or
// "every constraint holds and only these messages are unbalanced" — which is what the forced
// proof's rejection is then attributed to.
//
// The bookkeeping recomputes what a cheating prover would recompute to hide a change: byte-table
// multiplicities (counted by hand per tamper), the Poseidon2 table (rebuilt from every request
// whose claimed output is the true permutation, as a prover would count them), the page sponges,
// the merkle paths and, when asked, the start / end roots in the public values.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "hash/sponge.hpp"
#include "machine/absorb_table.hpp"
#include "machine/alu_table.hpp"
#include "machine/bitwise_table.hpp"
#include "machine/byte_table.hpp"
#include "machine/compare_table.hpp"
#include "machine/divrem_table.hpp"
#include "machine/io_words_table.hpp"
#include "machine/jump_table.hpp"
#include "machine/load_table.hpp"
#include "machine/merkle_table.hpp"
#include "machine/mul_table.hpp"
#include "machine/p2call_table.hpp"
#include "machine/page_table.hpp"
#include "machine/poseidon2_table.hpp"
#include "machine/program_table.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine/shard_table.hpp"
#include "machine/shift_table.hpp"
#include "machine/store_table.hpp"
#include "machine/system_table.hpp"
#include "stark/debug_builder.hpp"
#include "stark/prover.hpp"
#include "vm/running_digest.hpp"

namespace tessera::rv32im::test {

using Tables = std::vector<TableWitness>;

// ---- small trace accessors ------------------------------------------------------------------------

inline uint32_t get_word(const RowMajorMatrix<BabyBear>& t, size_t row, const WordCols& w) {
  uint32_t v = 0;
  for (uint32_t i = 0; i < 4; ++i) v |= t.at(row, w[i]).as_u32() << (8 * i);
  return v;
}
inline void put_word(RowMajorMatrix<BabyBear>& t, size_t row, const WordCols& w, uint32_t v) {
  for (uint32_t i = 0; i < 4; ++i) t.at(row, w[i]) = BabyBear::from_u32((v >> (8 * i)) & 0xff);
}
inline uint32_t get(const RowMajorMatrix<BabyBear>& t, size_t row, uint32_t col) {
  return t.at(row, col).as_u32();
}
inline void put(RowMajorMatrix<BabyBear>& t, size_t row, uint32_t col, uint32_t v) {
  t.at(row, col) = BabyBear::from_u32(v);
}
inline uint32_t byte_at(uint32_t v, uint32_t i) {
  return (v >> (8 * i)) & 0xff;
}

// The first all-zero row of `t` (a padding row of the tables whose padding is zero), or its
// height when there is none.
inline size_t zero_row(const RowMajorMatrix<BabyBear>& t) {
  for (size_t r = 0; r < t.height(); ++r) {
    bool zero = true;
    for (size_t c = 0; c < t.width() && zero; ++c) zero = t.at(r, c).is_zero();
    if (zero) return r;
  }
  return t.height();
}

// zero_row(t), doubling the height (zero rows) when there is none.
inline size_t free_row(RowMajorMatrix<BabyBear>& t) {
  const size_t r = zero_row(t);
  if (r < t.height()) return r;
  RowMajorMatrix<BabyBear> grown(t.width(), 2 * t.height());
  for (size_t i = 0; i < t.height(); ++i) {
    for (size_t c = 0; c < t.width(); ++c) grown.at(i, c) = t.at(i, c);
  }
  t = std::move(grown);
  return r;
}

// ---- diagnosis ------------------------------------------------------------------------------------

struct Diagnosis {
  std::vector<std::string> constraints;  // "<table> row <r>: <first failing constraint>"
  std::vector<std::string> imbalances;   // "bus <b> message (...) has net multiplicity <+-n>"
};

template <class Air>
void diagnose_table(const Air& air, const TableWitness& tw, LogUpLedger& ledger,
                    std::vector<std::string>& failures) {
  RowMajorMatrix<BabyBear> prep;
  const RowMajorMatrix<BabyBear>* p = nullptr;
  if (air.preprocessed_width() > 0) {
    prep = air.preprocessed_trace();
    p = &prep;
  }
  DebugBuilder b(air.name(), tw.trace, p, tw.public_values, &ledger);
  for (size_t r = 0; r < tw.trace.height(); ++r) {
    b.set_row(r);
    air.eval(b);
    if (!b.failed_constraint().empty()) {
      failures.push_back(air.name() + " row " + std::to_string(r) + ": " + b.failed_constraint());
    }
  }
}

template <class F>
void with_air(size_t t, const ProgramImage& image, F&& f) {
  switch (static_cast<TableId>(t)) {
    case kTableShard: return f(ShardAir{});
    case kTableProgram: return f(ProgramAir(&image));
    case kTableBytes: return f(ByteAir{});
    case kTableSystem: return f(SystemAir{});
    case kTableIoWords: return f(IoWordsAir{});
    case kTableAbsorbInput: return f(AbsorbAir(kIoInput));
    case kTableAbsorbOutput: return f(AbsorbAir(kIoOutput));
    case kTableP2Call: return f(P2CallAir{});
    case kTableAlu: return f(AluAir{});
    case kTableBitwise: return f(BitwiseAir{});
    case kTableShift: return f(ShiftAir{});
    case kTableMul: return f(MulAir{});
    case kTableDivRem: return f(DivRemAir{});
    case kTableCompare: return f(CompareAir{});
    case kTableJump: return f(JumpAir{});
    case kTableLoad: return f(LoadAir{});
    case kTableStore: return f(StoreAir{});
    case kTablePages: return f(PageAir{});
    case kTableMerkle: return f(MerkleAir{});
    case kTablePoseidon2: return f(Poseidon2LookupAir{});
    case kTableCount: break;
  }
  ADD_FAILURE() << "no table " << t;
}

// Parses the ledger's report "... bus B message (v, ...) has net multiplicity +N ..." and cancels
// that message in `ledger`; returns the report's "bus ... +N" part.
inline std::string cancel_reported(LogUpLedger& ledger, const std::string& report) {
  const size_t at = report.find("bus ");
  const size_t open = report.find('(', at);
  const size_t close = report.find(')', open);
  const size_t net_at = report.find("net multiplicity ", close);
  if (at == std::string::npos || open == std::string::npos || close == std::string::npos ||
      net_at == std::string::npos) {
    ADD_FAILURE() << "unexpected ledger report: " << report;
    return report;
  }
  const uint32_t bus = static_cast<uint32_t>(std::stoul(report.substr(at + 4, open - at - 4)));
  std::vector<BabyBear> values;
  for (size_t p = open + 1; p < close;) {
    const size_t comma = std::min(report.find(',', p), close);
    values.push_back(BabyBear::from_u32(static_cast<uint32_t>(std::stoul(report.substr(p, comma - p)))));
    p = comma + 1;
  }
  const size_t sign_at = net_at + 17;
  const char sign = report[sign_at];
  size_t end = sign_at + 1;
  while (end < report.size() && std::isdigit(static_cast<unsigned char>(report[end]))) ++end;
  const uint32_t n = static_cast<uint32_t>(std::stoul(report.substr(sign_at + 1, end - sign_at - 1)));
  // A net +n (more sent) is cancelled by receiving it n times, a net -n by sending it n times.
  ledger.add(sign == '+' ? InteractionKind::Receive : InteractionKind::Send, bus, values,
             BabyBear::from_u32(n), "cancel", 0);
  return report.substr(at, end - at);
}

inline Diagnosis diagnose(const ProgramImage& image, const Tables& tables) {
  Diagnosis d;
  LogUpLedger ledger;
  for (size_t t = 0; t < tables.size(); ++t) {
    with_air(t, image, [&](const auto& air) { diagnose_table(air, tables[t], ledger, d.constraints); });
  }
  for (int guard = 0; guard < 64; ++guard) {
    try {
      ledger.check_balanced();
      return d;
    } catch (const Error& e) {
      d.imbalances.push_back(cancel_reported(ledger, e.what()));
    }
  }
  ADD_FAILURE() << "more than 64 unbalanced messages";
  return d;
}

inline std::string describe(const Diagnosis& d) {
  std::string s = "constraints:";
  for (const auto& c : d.constraints) s += "\n  " + c;
  s += "\nimbalances:";
  for (const auto& i : d.imbalances) s += "\n  " + i;
  return s;
}

// Every failing row fails `constraint` (at least one does) and every bus balances.
inline void expect_only_constraint(const Diagnosis& d, const std::string& constraint) {
  EXPECT_FALSE(d.constraints.empty()) << describe(d);
  for (const auto& c : d.constraints) {
    EXPECT_NE(c.find(": " + constraint), std::string::npos) << describe(d);
  }
  EXPECT_TRUE(d.imbalances.empty()) << describe(d);
}

// Every constraint holds and the unbalanced messages are exactly `prefixes.size()` messages,
// the i-th (in the ledger's order: bus, then values) starting with prefixes[i].
inline void expect_only_imbalances(const Diagnosis& d, const std::vector<std::string>& prefixes) {
  EXPECT_TRUE(d.constraints.empty()) << describe(d);
  ASSERT_EQ(d.imbalances.size(), prefixes.size()) << describe(d);
  for (size_t i = 0; i < prefixes.size(); ++i) {
    EXPECT_EQ(d.imbalances[i].rfind(prefixes[i], 0), 0u) << describe(d);
  }
}

// ---- byte-table multiplicities ----------------------------------------------------------------------

// Adds `delta` lookups of (op, x, y) (range16: x is the 16-bit value, y = 0).
inline void bytes_add(Tables& t, uint32_t op, uint32_t x, uint32_t y, int delta) {
  auto& trace = t[kTableBytes].trace;
  const size_t row = op == kByteRange16 ? x : (x | (y << 8));
  const BabyBear now = trace.at(row, op - 1) + BabyBear::from_u32(static_cast<uint32_t>(std::abs(delta))) *
                                                   (delta < 0 ? -BabyBear::one() : BabyBear::one());
  ASSERT_LT(now.as_u32(), 1u << 24) << "byte lookup count underflow";
  trace.at(row, op - 1) = now;
}
inline void pair_add(Tables& t, uint32_t x, uint32_t y, int delta) {
  bytes_add(t, kBytePair, x, y, delta);
}
inline void range16_add(Tables& t, uint32_t v, int delta) {
  bytes_add(t, kByteRange16, v, 0, delta);
}

// ---- the Poseidon2 table ----------------------------------------------------------------------------

inline BabyBear word_element(const RowMajorMatrix<BabyBear>& t, size_t row, const WordCols& w) {
  const BabyBear k8 = BabyBear::from_u32(256);
  return t.at(row, w[0]) + k8 * (t.at(row, w[1]) + k8 * (t.at(row, w[2]) + k8 * t.at(row, w[3])));
}

// The Poseidon2 table rebuilt from every lookup the other tables make whose claimed output is the
// permutation of its input (a lookup with a wrong output has no row a prover could count it on).
inline void rebuild_poseidon2(Tables& t) {
  Poseidon2Requests req;
  const auto full = [&](const Poseidon2State& in, const Poseidon2State& claimed) {
    Poseidon2State out = in;
    poseidon2_permute_one(out);
    if (out == claimed) req.full(in);
  };
  const auto comp = [&](const Poseidon2State& in, const BabyBear* claimed) {
    Poseidon2State out = in;
    poseidon2_permute_one(out);
    if (std::equal(out.begin(), out.begin() + 8, claimed)) req.compress(in);
  };
  for (const TableId id : {kTableAbsorbInput, kTableAbsorbOutput}) {
    const AbsorbLayout L = AbsorbAir{}.L;
    const auto& a = t[id].trace;
    for (size_t r = 0; r < a.height(); ++r) {
      if (a.at(r, L.pos[7]) != BabyBear::one()) continue;
      Poseidon2State in, out;
      for (uint32_t i = 0; i < 16; ++i) {
        in[i] = a.at(r, i < 8 ? L.absorbed[i] : L.state[i]);
        out[i] = a.at(r, L.out[i]);
      }
      full(in, out);
    }
  }
  {
    const P2CallLayout L = P2CallAir{}.L;
    const auto& a = t[kTableP2Call].trace;
    for (size_t r = 0; r < a.height(); ++r) {
      if (a.at(r, L.is_real) != BabyBear::one()) continue;
      Poseidon2State in, out;
      for (uint32_t k = 0; k < 16; ++k) {
        in[k] = word_element(a, r, L.old_words[k]);
        out[k] = word_element(a, r, L.new_words[k]);
      }
      full(in, out);
    }
  }
  {
    const PageLayout L = PageAir{}.L;
    const auto& a = t[kTablePages].trace;
    const BabyBear k8 = BabyBear::from_u32(256), k16 = BabyBear::from_u32(1u << 16);
    for (size_t r = 0; r < a.height(); ++r) {
      if (a.at(r, L.is_real) != BabyBear::one()) continue;
      for (const bool fin : {false, true}) {
        if (fin && a.at(r, L.dirty) != BabyBear::one()) continue;
        Poseidon2State in, out;
        for (uint32_t k = 0; k < 4; ++k) {
          const WordCols& w = fin ? L.words[k].fin : L.words[k].init;
          in[2 * k] = a.at(r, w[0]) + a.at(r, w[1]) * k8;
          in[2 * k + 1] = a.at(r, w[2]) + a.at(r, w[3]) * k8 + a.at(r, L.words[k].cls) * k16;
        }
        for (uint32_t i = 0; i < 8; ++i) in[8 + i] = a.at(r, fin ? L.cap_new[i] : L.cap_old[i]);
        for (uint32_t i = 0; i < 16; ++i) out[i] = a.at(r, fin ? L.out_new[i] : L.out_old[i]);
        full(in, out);
      }
    }
  }
  {
    const MerkleLayout L = MerkleAir{}.L;
    const auto& a = t[kTableMerkle].trace;
    for (size_t r = 0; r < a.height(); ++r) {
      if (a.at(r, L.is_real) != BabyBear::one()) continue;
      for (const bool fresh : {false, true}) {
        if (fresh && a.at(r, L.dirty) != BabyBear::one()) continue;
        Poseidon2State in;
        BabyBear parent[8];
        for (uint32_t i = 0; i < 8; ++i) {
          in[i] = a.at(r, fresh ? L.new_left[i] : L.old_left[i]);
          in[8 + i] = a.at(r, fresh ? L.new_right[i] : L.old_right[i]);
          parent[i] = a.at(r, fresh ? L.new_parent[i] : L.old_parent[i]);
        }
        comp(in, parent);
      }
    }
  }
  t[kTablePoseidon2].trace = Poseidon2LookupAir{}.generate_trace(req);
}

// ---- pages and the merkle tree ------------------------------------------------------------------

struct NodeDigests {
  Digest old_digest{}, new_digest{};
  bool dirty = false;
};
using NodeMap = std::map<std::pair<uint32_t, uint32_t>, NodeDigests>;  // (level, index)

// Where word `word` lives in the page table: row and position k in the row; fails if the page is
// not paged in.
struct PageSlot {
  size_t row = 0;
  uint32_t k = 0;
};
inline PageSlot page_slot(const Tables& t, uint32_t word) {
  const PageLayout L = PageAir{}.L;
  const auto& a = t[kTablePages].trace;
  for (size_t r = 0; r < a.height(); ++r) {
    if (a.at(r, L.is_real) == BabyBear::one() && get(a, r, L.page) == word / kWordsPerPage &&
        get(a, r, L.j) == (word % kWordsPerPage) / 4) {
      return {r, word % 4};
    }
  }
  ADD_FAILURE() << "word " << word << " is not paged in";
  return {};
}

// Sets the page-in value of `word` (its init bytes, with their range-check lookups); with
// `unaccessed` also its page-out value (a word no access touches leaves as it came).
inline void set_page_init(Tables& t, uint32_t word, uint32_t value, bool unaccessed) {
  const PageLayout L = PageAir{}.L;
  const PageSlot s = page_slot(t, word);
  auto& a = t[kTablePages].trace;
  const uint32_t old = get_word(a, s.row, L.words[s.k].init);
  pair_add(t, byte_at(old, 0), byte_at(old, 1), -1);
  pair_add(t, byte_at(old, 2), byte_at(old, 3), -1);
  pair_add(t, byte_at(value, 0), byte_at(value, 1), +1);
  pair_add(t, byte_at(value, 2), byte_at(value, 3), +1);
  put_word(a, s.row, L.words[s.k].init, value);
  if (unaccessed) {
    ASSERT_EQ(get(a, s.row, L.words[s.k].final_ts), 0u) << "word " << word << " is accessed";
    put_word(a, s.row, L.words[s.k].fin, value);
  }
}

// Sets the page-out token of `word`: its last access's timestamp and value.
inline void set_page_final(Tables& t, uint32_t word, uint32_t ts, uint32_t value) {
  const PageLayout L = PageAir{}.L;
  const PageSlot s = page_slot(t, word);
  auto& a = t[kTablePages].trace;
  put(a, s.row, L.words[s.k].final_ts, ts);
  put_word(a, s.row, L.words[s.k].fin, value);
}

// Recomputes both sponges of every page block from its words (the new one only for dirty blocks)
// and returns the leaves.
inline NodeMap rehash_pages(Tables& t) {
  const PageLayout L = PageAir{}.L;
  auto& a = t[kTablePages].trace;
  const BabyBear k8 = BabyBear::from_u32(256), k16 = BabyBear::from_u32(1u << 16);
  NodeMap leaves;
  for (size_t block = 0; block < a.height(); block += kPageChunks) {
    if (a.at(block, L.is_real) != BabyBear::one()) continue;
    const bool dirty = a.at(block, L.dirty) == BabyBear::one();
    for (const bool fin : {false, true}) {
      Poseidon2State s{};
      for (uint32_t j = 0; j < kPageChunks; ++j) {
        const size_t r = block + j;
        if (fin && !dirty) {
          for (uint32_t i = 0; i < 8; ++i) a.at(r, L.cap_new[i]) = a.at(r, L.cap_old[i]);
          for (uint32_t i = 0; i < 16; ++i) a.at(r, L.out_new[i]) = a.at(r, L.out_old[i]);
          continue;
        }
        Poseidon2State in{};
        for (uint32_t k = 0; k < 4; ++k) {
          const WordCols& w = fin ? L.words[k].fin : L.words[k].init;
          in[2 * k] = a.at(r, w[0]) + a.at(r, w[1]) * k8;
          in[2 * k + 1] = a.at(r, w[2]) + a.at(r, w[3]) * k8 + a.at(r, L.words[k].cls) * k16;
        }
        for (uint32_t i = 0; i < 8; ++i) {
          in[8 + i] = j == 0 ? BabyBear::zero() : s[8 + i];
          a.at(r, fin ? L.cap_new[i] : L.cap_old[i]) = in[8 + i];
        }
        s = in;
        poseidon2_permute_one(s);
        for (uint32_t i = 0; i < 16; ++i) a.at(r, fin ? L.out_new[i] : L.out_old[i]) = s[i];
      }
    }
    const size_t last = block + kPageChunks - 1;
    NodeDigests leaf;
    for (uint32_t i = 0; i < 8; ++i) {
      leaf.old_digest[i] = a.at(last, L.out_old[i]);
      leaf.new_digest[i] = a.at(last, L.out_new[i]);
    }
    leaf.dirty = dirty;
    leaves[{kPageLevels, get(a, block, L.page)}] = leaf;
  }
  return leaves;
}

inline Digest digest_of(const RowMajorMatrix<BabyBear>& a, size_t r, const uint32_t (&cols)[8]) {
  Digest d;
  for (uint32_t i = 0; i < 8; ++i) d[i] = a.at(r, cols[i]);
  return d;
}
inline void put_digest(RowMajorMatrix<BabyBear>& a, size_t r, const uint32_t (&cols)[8], const Digest& d) {
  for (uint32_t i = 0; i < 8; ++i) a.at(r, cols[i]) = d[i];
}

// Recomputes every merkle row bottom-up from `known` (the leaves, possibly edited) and its own
// structure (level, index, which children are on a path; a child that is not is a sibling, taken
// from the row); the roots go into the public values when asked. Returns the nodes.
inline NodeMap rebuild_merkle(Tables& t, NodeMap known, bool update_start_root, bool update_end_root) {
  const MerkleLayout L = MerkleAir{}.L;
  auto& a = t[kTableMerkle].trace;
  std::vector<size_t> rows;
  for (size_t r = 0; r < a.height(); ++r) {
    if (a.at(r, L.is_real) == BabyBear::one()) rows.push_back(r);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](size_t x, size_t y) { return get(a, x, L.level) > get(a, y, L.level); });
  for (const size_t r : rows) {
    const uint32_t level = get(a, r, L.level), index = get(a, r, L.index);
    const auto child = [&](bool on_path, uint32_t child_index, const uint32_t (&old_cols)[8],
                           const uint32_t (&new_cols)[8]) {
      NodeDigests c;
      if (on_path) {
        c = known.at({level + 1, child_index});
      } else {
        c.old_digest = c.new_digest = digest_of(a, r, old_cols);
      }
      put_digest(a, r, old_cols, c.old_digest);
      put_digest(a, r, new_cols, c.new_digest);
      return c;
    };
    const NodeDigests l = child(a.at(r, L.has_left) == BabyBear::one(), 2 * index, L.old_left, L.new_left);
    const NodeDigests rt =
        child(a.at(r, L.has_right) == BabyBear::one(), 2 * index + 1, L.old_right, L.new_right);
    NodeDigests parent;
    parent.dirty = l.dirty || rt.dirty;
    parent.old_digest = compress(l.old_digest, rt.old_digest);
    parent.new_digest = parent.dirty ? compress(l.new_digest, rt.new_digest) : parent.old_digest;
    a.at(r, L.dirty) = parent.dirty ? BabyBear::one() : BabyBear::zero();
    put_digest(a, r, L.old_parent, parent.old_digest);
    put_digest(a, r, L.new_parent, parent.new_digest);
    known[{level, index}] = parent;
  }
  const NodeDigests& root = known.at({0, 0});
  auto& pv = t[kTableMerkle].public_values;
  for (uint32_t i = 0; i < 8; ++i) {
    if (update_start_root) pv[i] = root.old_digest[i];
    if (update_end_root) pv[8 + i] = root.new_digest[i];
  }
  return known;
}

// After a change of page words or flags: page sponges, merkle paths, (roots), Poseidon2 table.
inline void rehash_memory(Tables& t, bool update_start_root, bool update_end_root) {
  rebuild_merkle(t, rehash_pages(t), update_start_root, update_end_root);
  rebuild_poseidon2(t);
}

// ---- the absorb tables ----------------------------------------------------------------------------

inline std::vector<uint8_t> absorbed_bytes(const Tables& t, uint32_t kind) {
  const AbsorbLayout L = AbsorbAir{}.L;
  const auto& a = t[kind == kIoInput ? kTableAbsorbInput : kTableAbsorbOutput].trace;
  std::vector<uint8_t> bytes;
  for (size_t r = 0; r < a.height() && a.at(r, L.is_real) == BabyBear::one(); ++r) {
    bytes.push_back(static_cast<uint8_t>(get(a, r, L.byte)));
  }
  return bytes;
}

// The stream's table regenerated for `bytes` from the same start state (its byte range checks
// moved along; the Poseidon2 table is left to rebuild_poseidon2).
inline void regenerate_absorb(Tables& t, uint32_t kind, const std::vector<uint8_t>& bytes) {
  const TableId id = kind == kIoInput ? kTableAbsorbInput : kTableAbsorbOutput;
  for (const uint8_t b : absorbed_bytes(t, kind)) pair_add(t, b, 0, -1);
  for (const uint8_t b : bytes) pair_add(t, b, 0, +1);
  const auto& pv = t[id].public_values;
  Poseidon2State s;
  for (uint32_t i = 0; i < 16; ++i) s[i] = pv[absorb_pv::kStartState + i];
  const vm::RunningDigest start = vm::RunningDigest::from_parts(
      kind == kIoInput ? vm::kInputDigestDomain : vm::kOutputDigestDomain, s,
      pv[absorb_pv::kStartPos].as_u32(), pv[absorb_pv::kStartCount].as_u32());
  ByteCounts unused_bytes;
  Poseidon2Requests unused_p2;
  std::vector<BabyBear> new_pv;
  t[id].trace = AbsorbAir(kind).generate_trace(start, bytes, unused_bytes, unused_p2, new_pv);
  t[id].public_values = new_pv;
}

}  // namespace tessera::rv32im::test
