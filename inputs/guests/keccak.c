/* SHA3-256 (FIPS 202) of the whole private input: Keccak-f[1600] sponge with rate 136 bytes,
 * domain padding 0x06 ... 0x80. Commits the 32-byte digest. The 64-bit lanes are native uint64_t,
 * which RV32 computes in pairs of 32-bit registers — a good stress of shifts and XORs. */
#include <stdint.h>
#include <string.h>

#include "guest.h"

static const uint64_t RC[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};

/* rho offsets and pi permutation in the order of the standard compact formulation. */
static const unsigned RHO[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                 27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned PI[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static inline uint64_t rotl64(uint64_t x, unsigned n) {
  return (x << n) | (x >> (64 - n));
}

static void keccak_f1600(uint64_t s[25]) {
  for (int round = 0; round < 24; ++round) {
    uint64_t c[5];
    for (int x = 0; x < 5; ++x) c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
    for (int x = 0; x < 5; ++x) {
      const uint64_t d = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) s[y + x] ^= d;
    }
    uint64_t t = s[1];
    for (int i = 0; i < 24; ++i) {
      const unsigned j = PI[i];
      const uint64_t next = s[j];
      s[j] = rotl64(t, RHO[i]);
      t = next;
    }
    for (int y = 0; y < 25; y += 5) {
      uint64_t row[5];
      for (int x = 0; x < 5; ++x) row[x] = s[y + x];
      for (int x = 0; x < 5; ++x) s[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
    }
    s[0] ^= RC[round];
  }
}

enum { RATE = 136 };

static void absorb_block(uint64_t s[25], const uint8_t* block) {
  for (int i = 0; i < RATE / 8; ++i) {
    uint64_t lane = 0;
    for (int b = 7; b >= 0; --b) lane = (lane << 8) | block[8 * i + b];
    s[i] ^= lane;
  }
  keccak_f1600(s);
}

static uint8_t buffer[RATE * 30];

int main(void) {
  uint64_t s[25];
  memset(s, 0, sizeof s);
  size_t have = 0;
  for (;;) {
    const size_t got = guest_read(buffer + have, sizeof buffer - have);
    have += got;
    size_t off = 0;
    for (; have - off >= RATE; off += RATE) absorb_block(s, buffer + off);
    memmove(buffer, buffer + off, have - off);
    have -= off;
    if (got == 0) break;
  }
  memset(buffer + have, 0, RATE - have);
  buffer[have] ^= 0x06;
  buffer[RATE - 1] ^= 0x80;
  absorb_block(s, buffer);

  uint8_t digest[32];
  for (int i = 0; i < 32; ++i) digest[i] = (uint8_t)(s[i / 8] >> (8 * (i % 8)));
  guest_commit(digest, sizeof digest);
  return 0;
}
