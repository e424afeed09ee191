// The guest ABI's system calls (guest_abi.hpp): read, write, exit and the Poseidon2 precompile,
// with the guest memory they move and what they report to the observer. Executor member templates,
// instantiated at the end of this file for the executor's three observers (executor_detail.hpp);
// the interpreter loop (executor.cpp) calls syscall() on ECALL.

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "common/check.hpp"
#include "hash/poseidon2.hpp"
#include "vm/executor.hpp"
#include "vm/executor_detail.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::vm {

using detail::hex32;

template <class Obs>
void Executor::copy_to_guest(const Decoded* d, uint32_t addr, const uint8_t* src, uint32_t n,
                             Obs& obs) {
  std::vector<uint32_t> prev;
  const uint32_t first_word = addr & ~3u;
  const uint32_t words =
      n == 0 ? 0 : static_cast<uint32_t>((uint64_t{addr} + n - first_word + 3) / 4);
  if constexpr (Obs::kRecords) {
    for (uint32_t w = 0; w < words; ++w) prev.push_back(memory_.peek_word(first_word + 4 * w));
  }
  uint8_t* const* wtab = memory_.write_table();
  for (uint32_t done = 0; done < n;) {
    const uint32_t a = addr + done;
    const uint32_t chunk = std::min(n - done, kPageSize - (a & (kPageSize - 1)));
    if (uint8_t* p = wtab[a >> kPageBits]) {
      std::memcpy(p + (a & (kPageSize - 1)), src + done, chunk);
    } else {
      // Slow path byte by byte: the page is new in this shard, or shares read-only words.
      for (uint32_t i = 0; i < chunk; ++i) {
        uint8_t* q = memory_.write_slow(a + i);
        if (q == nullptr) memory_trap(d, a + i, true, 1);
        q[(a + i) & (kPageSize - 1)] = src[done + i];
      }
    }
    done += chunk;
  }
  if constexpr (Obs::kRecords) {
    for (uint32_t w = 0; w < words; ++w)
      obs.syscall_memory(first_word + 4 * w, prev[w], memory_.peek_word(first_word + 4 * w), true);
  }
}

template <class Obs>
void Executor::copy_from_guest(const Decoded* d, uint32_t addr, uint32_t n,
                               std::vector<uint8_t>& out, Obs& obs) {
  uint8_t* const* rtab = memory_.read_table();
  for (uint32_t done = 0; done < n;) {
    const uint32_t a = addr + done;
    const uint32_t chunk = std::min(n - done, kPageSize - (a & (kPageSize - 1)));
    const uint8_t* p = rtab[a >> kPageBits];
    if (p == nullptr) p = memory_.read_slow(a >> kPageBits);
    if (p == nullptr) memory_trap(d, a, false, 1);
    out.insert(out.end(), p + (a & (kPageSize - 1)), p + (a & (kPageSize - 1)) + chunk);
    done += chunk;
  }
  if constexpr (Obs::kRecords) {
    if (n != 0) {
      const uint32_t first_word = addr & ~3u;
      const uint32_t words = static_cast<uint32_t>((uint64_t{addr} + n - first_word + 3) / 4);
      for (uint32_t w = 0; w < words; ++w) {
        const uint32_t v = memory_.peek_word(first_word + 4 * w);
        obs.syscall_memory(first_word + 4 * w, v, v, false);
      }
    }
  }
}

template <class Obs>
void Executor::poseidon2_call(const Decoded* d, uint32_t addr, Obs& obs) {
  if (addr % 4 != 0)
    trap(d, "poseidon2 system call: state address " + hex32(addr) + " is not 4-byte aligned");
  // Every word must pass the store rules before any is read or changed, so a trap leaves memory
  // as it was. An address range that wraps past 2^32 lands in the register page and traps there.
  std::array<uint8_t*, kPoseidon2StateWords> at;
  uint8_t* const* wtab = memory_.write_table();
  for (uint32_t i = 0; i < kPoseidon2StateWords; ++i) {
    const uint32_t a = addr + 4 * i;
    uint8_t* p = wtab[a >> kPageBits];
    if (p == nullptr) p = memory_.write_slow(a);
    if (p == nullptr) memory_trap(d, a, true, 4);
    at[i] = p + (a & (kPageSize - 1));
  }
  std::array<uint32_t, kPoseidon2StateWords> in;
  Poseidon2State state;
  for (uint32_t i = 0; i < kPoseidon2StateWords; ++i) {
    std::memcpy(&in[i], at[i], 4);
    // Not reduced silently: the zkVM's Poseidon2 table takes field elements, and a guest that
    // passes 2^32 - 1 almost certainly has a bug.
    if (in[i] >= BabyBear::kModulus)
      trap(d, "poseidon2 system call: word " + std::to_string(i) + " of the state at " +
                  hex32(addr) + " is " + std::to_string(in[i]) +
                  ", not a canonical BabyBear element (< p = 2013265921)");
    state[i] = BabyBear::from_u32(in[i]);
  }
  poseidon2_permute_one(state);
  for (uint32_t i = 0; i < kPoseidon2StateWords; ++i) {
    const uint32_t out = state[i].as_u32();
    std::memcpy(at[i], &out, 4);
    obs.syscall_memory(addr + 4 * i, in[i], out, true);
  }
}

template <class Obs>
bool Executor::syscall(const Decoded* d, Obs& obs) {
  uint32_t* x = regs_.data();
  const uint32_t number = x[kRegA7], a0 = x[kRegA0], a1 = x[kRegA1], a2 = x[kRegA2];
  switch (number) {
    case kSysRead: {
      if (a0 != kFdInput)
        trap(d, "read() from unsupported file descriptor " + std::to_string(a0) + " (only 0)");
      const uint64_t available = input_.size() - input_pos_;
      const uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(a2, available));
      copy_to_guest(d, a1, input_.data() + input_pos_, n, obs);
      input_digest_.absorb(input_.subspan(input_pos_, n));
      input_pos_ += n;
      // Sticky: a short read means the input is exhausted, so every later read returns 0.
      if (n < a2) input_eof_ = true;
      x[kRegA0] = n;
      break;
    }
    case kSysWrite: {
      if (a0 != kFdPublicOutput && a0 != kFdDebug)
        trap(d, "write() to unsupported file descriptor " + std::to_string(a0) + " (only 1 and 2)");
      if (a2 > kMaxWriteBytes)
        trap(d, "write() of " + std::to_string(a2) +
                    " bytes; one write moves fewer than 2^30 bytes (a zkVM limit)");
      if (uint64_t{a2} > uint64_t{memory_.max_pages()} * kPageSize)
        trap(d,
             "write() of " + std::to_string(a2) + " bytes, more than the guest memory limit holds");
      if (a0 == kFdPublicOutput && output_digest_.byte_count() + a2 > kMaxPublicOutputBytes)
        trap(d, "write() of " + std::to_string(a2) + " bytes would bring the public output to " +
                    std::to_string(output_digest_.byte_count() + a2) +
                    " bytes, beyond the limit of 2^30 bytes (a zkVM limit)");
      std::vector<uint8_t>& sink = a0 == kFdPublicOutput ? public_output_ : debug_output_;
      const size_t start = sink.size();
      copy_from_guest(d, a1, a2, sink, obs);
      if (a0 == kFdPublicOutput) output_digest_.absorb(std::span(sink).subspan(start));
      x[kRegA0] = a2;
      break;
    }
    case kSysPoseidon2:
      poseidon2_call(d, a0, obs);
      break;
    case kSysExit:
      exit_code_ = a0;
      halted_ = true;
      obs.syscall(number, a0, a1, a2, a0);
      return true;
    default:
      trap(d, "unknown system call a7=" + std::to_string(number));
  }
  obs.syscall(number, a0, a1, a2, x[kRegA0]);
  return false;
}

// The interpreter loop's instantiations (executor.cpp).
template bool Executor::syscall(const Decoded*, detail::PlainObserver&);
template bool Executor::syscall(const Decoded*, detail::MixObserver&);
template bool Executor::syscall(const Decoded*, detail::RecordObserver&);

}  // namespace tessera::vm
