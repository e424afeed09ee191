/* Poseidon2 Merkle root and sponge hash of private words, through the Poseidon2 system call (so
 * it runs only on Tessera, not under qemu-riscv32).
 *
 * Input: N (u32, little-endian), then N words (u32, little-endian). Each word is reduced mod
 * p = 2013265921, so any input word is valid; call the results w[0..N).
 * Output: 64 bytes, 16 u32 little-endian words:
 *   root[8]  the Merkle root. Leaf i, for i < L = ceil(N / 8), is the sponge hash
 *            (guest_poseidon2_hash) of the chunk w[8i .. min(8i + 8, N)) — the last chunk may be
 *            shorter than 8. The leaves are padded with all-zero digests up to the smallest power
 *            of two W >= L. Each node of the next level is guest_poseidon2_compress(left, right)
 *            of its two children (nodes 2j and 2j + 1 give node j), until one node is left: the
 *            root (for W = 1, the single leaf itself).
 *   hash[8]  the sponge hash of all N elements w[0..N).
 * Exits with code 3 if N is 0 or above the capacity, or if the input ends early. */
#include <stdint.h>

#include "guest.h"

enum { CAPACITY = 1 << 14, MAX_LEAVES = CAPACITY / GUEST_POSEIDON2_RATE };
static uint32_t words[CAPACITY];
static uint32_t nodes[MAX_LEAVES][GUEST_DIGEST_WORDS];

int main(void) {
  const uint32_t n = guest_read_u32();
  if (n == 0 || n > CAPACITY) return 3;
  if (guest_read(words, (size_t)n * 4) != (size_t)n * 4) return 3;
  for (uint32_t i = 0; i < n; ++i) words[i] = guest_babybear_reduce(words[i]);

  const uint32_t leaves = (n + GUEST_POSEIDON2_RATE - 1) / GUEST_POSEIDON2_RATE;
  uint32_t width = 1;
  while (width < leaves) width *= 2;
  for (uint32_t i = 0; i < width; ++i) {
    if (i < leaves) {
      const uint32_t first = i * GUEST_POSEIDON2_RATE;
      const uint32_t len = n - first < GUEST_POSEIDON2_RATE ? n - first : GUEST_POSEIDON2_RATE;
      guest_poseidon2_hash(words + first, len, nodes[i]);
    } else {
      guest_zero8(nodes[i]);
    }
  }
  /* In place: node j of the next level overwrites node j of this one, which was already read
   * (it is a child of node j / 2 <= j). */
  for (; width > 1; width /= 2) {
    for (uint32_t j = 0; j < width / 2; ++j) {
      guest_poseidon2_compress(nodes[2 * j], nodes[2 * j + 1], nodes[j]);
    }
  }

  uint32_t out[2 * GUEST_DIGEST_WORDS];
  guest_copy8(out, nodes[0]);
  guest_poseidon2_hash(words, n, out + GUEST_DIGEST_WORDS);
  guest_commit(out, sizeof out); /* RV32 is little-endian: the words as they are */
  return 0;
}
