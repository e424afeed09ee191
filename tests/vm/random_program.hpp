#pragma once
// Random RV32IM instruction streams (every opcode, random registers and immediates, aligned loads
// and stores into a scratch region, forward branches and jumps) wrapped in a harness that dumps
// the register file and the scratch memory with write(1, ...) and exits: the generator of the
// qemu differential test (test_differential_qemu.cpp), shared with the zkVM's proof of the same
// streams (tests/machine/test_random_streams.cpp).

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "elf_builder.hpp"
#include "rv32_encoder.hpp"

namespace tessera::vm::test {

using namespace rv;

constexpr uint32_t kRegion = 0x20000;         // dump area [kRegion, kRegion + 128)
constexpr uint32_t kScratch = kRegion + 128;  // scratch [kScratch, kScratch + 2048), base in s11
constexpr uint32_t kScratchSize = 2048;
constexpr uint32_t kBase = s11;  // never a destination of the random stream

struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
};

// Register values that hit the specification's edge cases often.
inline uint32_t interesting(SplitMix64& rng) {
  static constexpr uint32_t kValues[] = {
      0,      1,      2,    0xffffffff, 0xfffffffe, 0x80000000, 0x7fffffff, 0x80000001,
      0xffff, 0x8000, 0x80, 31,         32,         33,         0xffff8000};
  if (rng.below(10) < 4) return kValues[rng.below(std::size(kValues))];
  return static_cast<uint32_t>(rng.next());
}

inline uint32_t any_reg(SplitMix64& rng) {
  const uint32_t r = rng.below(31);  // 0..30, skipping s11
  return r >= kBase ? r + 1 : r;
}
inline uint32_t nonzero_reg(SplitMix64& rng) {
  uint32_t r;
  do r = any_reg(rng);
  while (r == 0);
  return r;
}

// A group is a run of words that is entered only at its start. Control transfers skip whole
// groups; their offsets are resolved once all groups exist.
struct Group {
  std::vector<uint32_t> words;
  enum Kind { Plain, Branch, Jal, Jalr } kind = Plain;
  uint32_t skip = 0;        // groups skipped by a taken transfer
  bool odd_target = false;  // JALR: add 1 to the offset (JALR clears it)
};

using Generated = std::pair<std::vector<uint32_t>, std::set<std::string>>;

inline Generated random_program(uint64_t seed, size_t groups_wanted) {
  SplitMix64 rng{seed};
  std::set<std::string> kinds;
  std::vector<Group> groups;
  Group prologue;
  for (uint32_t r = 1; r < 32; ++r) {
    const auto w = li(r, r == kBase ? kScratch : interesting(rng));
    prologue.words.insert(prologue.words.end(), w.begin(), w.end());
  }
  groups.push_back(prologue);

  using RFn = uint32_t (*)(uint32_t, uint32_t, uint32_t);
  static const std::pair<const char*, RFn> kR[] = {
      {"add", add},   {"sub", sub},   {"sll", sll},       {"slt", slt},     {"sltu", sltu},
      {"xor", xor_},  {"srl", srl},   {"sra", sra},       {"or", or_},      {"and", and_},
      {"mul", mul},   {"mulh", mulh}, {"mulhsu", mulhsu}, {"mulhu", mulhu}, {"div", div},
      {"divu", divu}, {"rem", rem},   {"remu", remu}};
  using IFn = uint32_t (*)(uint32_t, uint32_t, int32_t);
  static const std::pair<const char*, IFn> kI[] = {{"addi", addi}, {"slti", slti}, {"sltiu", sltiu},
                                                   {"xori", xori}, {"ori", ori},   {"andi", andi}};
  using SFn = uint32_t (*)(uint32_t, uint32_t, uint32_t);
  static const std::pair<const char*, SFn> kShift[] = {
      {"slli", slli}, {"srli", srli}, {"srai", srai}};
  struct Mem {
    const char* name;
    IFn fn;
    uint32_t size;
    bool store;
  };
  static const Mem kMem[] = {{"lb", lb, 1, false},   {"lh", lh, 2, false},   {"lw", lw, 4, false},
                             {"lbu", lbu, 1, false}, {"lhu", lhu, 2, false}, {"sb", sb, 1, true},
                             {"sh", sh, 2, true},    {"sw", sw, 4, true}};
  using BFn = uint32_t (*)(uint32_t, uint32_t, int32_t);
  static const std::pair<const char*, BFn> kB[] = {{"beq", beq}, {"bne", bne},   {"blt", blt},
                                                   {"bge", bge}, {"bltu", bltu}, {"bgeu", bgeu}};

  for (size_t g = 0; g < groups_wanted; ++g) {
    Group grp;
    const uint32_t kind = rng.below(100);
    if (kind < 35) {
      const auto& [name, fn] = kR[rng.below(std::size(kR))];
      kinds.insert(name);
      grp.words.push_back(fn(any_reg(rng), any_reg(rng), any_reg(rng)));
    } else if (kind < 52) {
      const auto& [name, fn] = kI[rng.below(std::size(kI))];
      kinds.insert(name);
      grp.words.push_back(
          fn(any_reg(rng), any_reg(rng), static_cast<int32_t>(rng.below(4096)) - 2048));
    } else if (kind < 60) {
      const auto& [name, fn] = kShift[rng.below(std::size(kShift))];
      kinds.insert(name);
      grp.words.push_back(fn(any_reg(rng), any_reg(rng), rng.below(32)));
    } else if (kind < 64) {
      const bool upper = rng.below(2);
      kinds.insert(upper ? "lui" : "auipc");
      grp.words.push_back(upper ? lui(any_reg(rng), rng.below(1u << 20))
                                : auipc(any_reg(rng), rng.below(1u << 20)));
    } else if (kind < 84) {
      const Mem& m = kMem[rng.below(std::size(kMem))];
      kinds.insert(m.name);
      const int32_t off = static_cast<int32_t>(rng.below(kScratchSize / m.size) * m.size);
      grp.words.push_back(m.fn(any_reg(rng), kBase, off));
    } else if (kind < 85) {
      kinds.insert("fence");
      grp.words.push_back(fence());
    } else if (kind < 94) {
      const auto& [name, fn] = kB[rng.below(std::size(kB))];
      kinds.insert(name);
      grp.kind = Group::Branch;
      grp.skip = rng.below(4);
      grp.words.push_back(fn(any_reg(rng), any_reg(rng), 0));
    } else if (kind < 97) {
      kinds.insert("jal");
      grp.kind = Group::Jal;
      grp.skip = rng.below(3);
      grp.words.push_back(jal(any_reg(rng), 0));
    } else {
      kinds.insert("jalr");
      grp.kind = Group::Jalr;
      grp.skip = rng.below(3);
      grp.odd_target = rng.below(2);
      const uint32_t base = nonzero_reg(rng);
      grp.words = {auipc(base, 0), jalr(any_reg(rng), base, 0)};
    }
    groups.push_back(grp);
  }

  // Epilogue: dump x1..x31 below the scratch, write(1, dump area + scratch), exit(0).
  Group epilogue;
  for (uint32_t r = 1; r < 32; ++r)
    epilogue.words.push_back(sw(r, kBase, static_cast<int32_t>(4 * r) - 128));
  for (auto w : {li(a1, kRegion), li(a2, 128 + kScratchSize)})
    epilogue.words.insert(epilogue.words.end(), w.begin(), w.end());
  epilogue.words.insert(epilogue.words.end(), {addi(a0, zero, 1), addi(a7, zero, 64), ecall(),
                                               addi(a0, zero, 0), addi(a7, zero, 93), ecall()});
  groups.push_back(epilogue);

  std::vector<size_t> start(groups.size() + 1, 0);
  for (size_t i = 0; i < groups.size(); ++i) start[i + 1] = start[i] + groups[i].words.size();
  std::vector<uint32_t> code;
  for (size_t i = 0; i < groups.size(); ++i) {
    Group& grp = groups[i];
    const size_t target = std::min(i + 1 + grp.skip, groups.size() - 1);
    const int32_t offset = static_cast<int32_t>(4 * (start[target] - start[i]));
    const uint32_t w = grp.words.back();
    if (grp.kind == Group::Branch) {
      const uint32_t rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31, f3 = (w >> 12) & 7;
      grp.words.back() = b_type(offset, rs2, rs1, f3);
    } else if (grp.kind == Group::Jal) {
      grp.words.back() = jal((w >> 7) & 31, offset);
    } else if (grp.kind == Group::Jalr) {
      grp.words.back() = jalr((w >> 7) & 31, (w >> 15) & 31, offset + (grp.odd_target ? 1 : 0));
    }
    code.insert(code.end(), grp.words.begin(), grp.words.end());
  }
  return {code, kinds};
}

inline std::vector<uint8_t> random_bytes(uint64_t seed, size_t n) {
  SplitMix64 rng{seed};
  std::vector<uint8_t> b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng.next());
  return b;
}

// The ELF of a generated program: text at kTextBase, the dump area and scratch (random bytes).
inline std::vector<uint8_t> random_program_elf(const std::vector<uint32_t>& code, uint64_t seed) {
  return build_elf(kTextBase, {{kTextBase, words_to_bytes(code), 0, kPfR | kPfX},
                               {kRegion, random_bytes(seed, 128 + kScratchSize), 4096, kPfR | kPfW}});
}

}  // namespace tessera::vm::test
