/* Fibonacci: reads n (u32, little-endian) and commits F(n) mod 2^64 as 8 little-endian bytes,
 * with F(0) = 0, F(1) = 1. The classic zkVM workload: a long dependent chain of 64-bit additions,
 * which on RV32 are add/sltu/add triples. */
#include <stdint.h>

#include "guest.h"

int main(void) {
  const uint32_t n = guest_read_u32();
  uint64_t a = 0, b = 1;
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t next = a + b;
    a = b;
    b = next;
  }
  uint8_t out[8];
  for (int i = 0; i < 8; ++i) out[i] = (uint8_t)(a >> (8 * i));
  guest_commit(out, sizeof out);
  guest_debug("fibonacci: done\n");
  return 0;
}
