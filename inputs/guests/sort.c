/* Sorting: reads n (u32) and n unsigned 32-bit integers (little-endian), sorts them with an LSD
 * radix sort (three passes of 11, 11 and 10 bits, stable counting sort each), and commits
 *   n, min, max, median (element n/2 of the sorted order)  as u32 little-endian,
 *   sum over i of (i + 1) * sorted[i] mod 2^64             as u64 little-endian,
 * where the position-weighted sum pins down the sorted order, not just the multiset.
 * Exits with code 3 if n exceeds the capacity or the input ends early. */
#include <stdint.h>
#include <string.h>

#include "guest.h"

enum { CAPACITY = 1 << 17 };
static uint32_t keys[CAPACITY];
static uint32_t scratch[CAPACITY];
static uint32_t counts[1 << 11];

static void counting_pass(const uint32_t* in, uint32_t* out, uint32_t n, unsigned shift,
                          unsigned bits) {
  const uint32_t buckets = 1u << bits, mask = buckets - 1;
  memset(counts, 0, buckets * sizeof counts[0]);
  for (uint32_t i = 0; i < n; ++i) ++counts[(in[i] >> shift) & mask];
  uint32_t sum = 0;
  for (uint32_t b = 0; b < buckets; ++b) {
    const uint32_t c = counts[b];
    counts[b] = sum;
    sum += c;
  }
  for (uint32_t i = 0; i < n; ++i) out[counts[(in[i] >> shift) & mask]++] = in[i];
}

static void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = (uint8_t)(v >> (8 * i));
}

int main(void) {
  const uint32_t n = guest_read_u32();
  if (n == 0 || n > CAPACITY) return 3;
  if (guest_read(keys, (size_t)n * 4) != (size_t)n * 4) return 3;

  counting_pass(keys, scratch, n, 0, 11);
  counting_pass(scratch, keys, n, 11, 11);
  counting_pass(keys, scratch, n, 22, 10);

  uint64_t weighted = 0;
  for (uint32_t i = 0; i < n; ++i) weighted += (uint64_t)(i + 1) * scratch[i];
  uint8_t out[24];
  put_u32(out, n);
  put_u32(out + 4, scratch[0]);
  put_u32(out + 8, scratch[n - 1]);
  put_u32(out + 12, scratch[n / 2]);
  put_u32(out + 16, (uint32_t)weighted);
  put_u32(out + 20, (uint32_t)(weighted >> 32));
  guest_commit(out, sizeof out);
  return 0;
}
