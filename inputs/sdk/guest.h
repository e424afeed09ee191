/* Tessera guest SDK: the guest side of the ABI (src/vm/guest_abi.hpp, DESIGN.md §4).
 *
 *   read(0, buf, n)  a7 = 63  private input, returns the bytes read (0 at the end)
 *   write(1, buf, n) a7 = 64  public output: committed, part of the proof's statement
 *   write(2, buf, n) a7 = 64  debug log: shown by `tessera execute`, never committed
 *   exit(code)       a7 = 93  halts
 *   poseidon2(state) a7 = 0x5032  Tessera only: permutes 16 field elements in place
 *
 * The first four are Linux's numbers, so a guest that uses only them also runs unchanged under
 * qemu-riscv32 (input on stdin, public output on stdout, the debug log on stderr). qemu does not
 * know the Poseidon2 call: a guest that uses it runs only on Tessera. */
#ifndef TESSERA_GUEST_H
#define TESSERA_GUEST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline long tessera_syscall3(long number, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = number;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

/* Reads up to n bytes of private input into buf; fewer only at the end of the input. */
static inline size_t guest_read(void* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    long got = tessera_syscall3(63, 0, (long)((char*)buf + done), (long)(n - done));
    if (got <= 0) break;
    done += (size_t)got;
  }
  return done;
}

/* Reads exactly sizeof(uint32_t) bytes as a little-endian integer; exits with code 2 if the
 * input ends first. */
static inline uint32_t guest_read_u32(void) {
  uint32_t v = 0;
  if (guest_read(&v, sizeof v) != sizeof v) {
    tessera_syscall3(93, 2, 0, 0);
  }
  return v;
}

/* Appends n bytes to the public output. */
static inline void guest_commit(const void* buf, size_t n) {
  tessera_syscall3(64, 1, (long)buf, (long)n);
}

/* Writes a NUL-terminated string to the debug log (not committed). */
static inline void guest_debug(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  tessera_syscall3(64, 2, (long)s, (long)n);
}

__attribute__((noreturn)) static inline void guest_exit(int code) {
  tessera_syscall3(93, code, 0, 0);
  __builtin_unreachable();
}

/* ---- Poseidon2 over BabyBear (the hash Tessera's proofs use) ------------------------------------
 *
 * Every word passed to these functions must be a canonical BabyBear element: an integer below
 * p = 2013265921 = 15 * 2^27 + 1. A word >= p is a guest trap (the machine names the word), not a
 * silent reduction; reduce untrusted words first, e.g. with guest_babybear_reduce. Digests are 8
 * words. The definitions are exactly those of Tessera's src/hash (poseidon2.hpp, sponge.hpp), so a
 * guest can recompute the digests of the prover's Merkle trees. */

#define GUEST_BABYBEAR_P 2013265921u
#define GUEST_POSEIDON2_WIDTH 16
#define GUEST_POSEIDON2_RATE 8
#define GUEST_DIGEST_WORDS 8

/* x mod p for any 32-bit x. */
static inline uint32_t guest_babybear_reduce(uint32_t x) {
  return x % GUEST_BABYBEAR_P;
}

/* The raw system call: state[0..16) is replaced by the Poseidon2 permutation of it (width 16,
 * x^7, 8 full and 13 partial rounds: src/hash/poseidon2.hpp). One cycle of the machine. */
static inline void guest_poseidon2(uint32_t state[GUEST_POSEIDON2_WIDTH]) {
  register long a0 __asm__("a0") = (long)state;
  register long a7 __asm__("a7") = 0x5032;
  __asm__ volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
}

/* dst[0..8) = src[0..8) and dst[0..8) = 0, written out so that the compiler does not turn them
 * into calls of picolibc's byte-wise memcpy / memset (8 stores instead of about 80 instructions).
 */
static inline void guest_copy8(uint32_t* dst, const uint32_t* src) {
  const uint32_t w0 = src[0], w1 = src[1], w2 = src[2], w3 = src[3];
  const uint32_t w4 = src[4], w5 = src[5], w6 = src[6], w7 = src[7];
  dst[0] = w0, dst[1] = w1, dst[2] = w2, dst[3] = w3;
  dst[4] = w4, dst[5] = w5, dst[6] = w6, dst[7] = w7;
}

static inline void guest_zero8(uint32_t* dst) {
  dst[0] = 0, dst[1] = 0, dst[2] = 0, dst[3] = 0;
  dst[4] = 0, dst[5] = 0, dst[6] = 0, dst[7] = 0;
}

/* 2-to-1 compression (Merkle nodes): out = the first 8 words of the permutation of left || right
 * (src/hash/sponge.hpp, compress). out may alias left or right. */
static inline void guest_poseidon2_compress(const uint32_t left[GUEST_DIGEST_WORDS],
                                            const uint32_t right[GUEST_DIGEST_WORDS],
                                            uint32_t out[GUEST_DIGEST_WORDS]) {
  uint32_t state[GUEST_POSEIDON2_WIDTH];
  guest_copy8(state, left);
  guest_copy8(state + GUEST_DIGEST_WORDS, right);
  guest_poseidon2(state);
  guest_copy8(out, state);
}

/* The sponge hash of n words (src/hash/sponge.hpp, hash_elements): rate 8, capacity 8, the state
 * starts at zero; each chunk of up to 8 words OVERWRITES state[0..len) (a last partial chunk
 * leaves the rest of the rate as the previous permutation left it) and is followed by one
 * permutation; the digest is state[0..8). No padding, so the length is not encoded: hash inputs
 * of one fixed length per context. n = 0 is one permutation of the zero state. */
static inline void guest_poseidon2_hash(const uint32_t* words, size_t n,
                                        uint32_t out[GUEST_DIGEST_WORDS]) {
  uint32_t state[GUEST_POSEIDON2_WIDTH];
  guest_zero8(state);
  guest_zero8(state + GUEST_POSEIDON2_RATE);
  if (n == 0) guest_poseidon2(state);
  size_t offset = 0;
  for (; offset + GUEST_POSEIDON2_RATE <= n; offset += GUEST_POSEIDON2_RATE) {
    guest_copy8(state, words + offset);
    guest_poseidon2(state);
  }
  if (offset < n) { /* the last, partial chunk overwrites only its own words */
    for (size_t i = 0; offset + i < n; ++i) state[i] = words[offset + i];
    guest_poseidon2(state);
  }
  guest_copy8(out, state);
}

#ifdef __cplusplus
}
#endif

#endif
