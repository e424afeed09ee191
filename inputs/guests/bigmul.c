/* Big-integer multiplication: reads two non-negative decimal integers (one per line, up to
 * MAX_DIGITS digits each), multiplies them exactly, and commits the product in decimal followed by
 * a newline. Numbers are little-endian arrays of base-10^4 limbs; the schoolbook product
 * accumulates each column in 64 bits (a column sums at most 2500 products below 10^8, far below
 * 2^64) and propagates carries once at the end. Exits with code 3 on malformed input. */
#include <stdint.h>
#include <string.h>

#include "guest.h"

enum {
  MAX_DIGITS = 10000,
  BASE = 10000,
  BASE_DIGITS = 4,
  MAX_LIMBS = MAX_DIGITS / BASE_DIGITS + 1
};

static char text[2 * MAX_DIGITS + 16];
static uint32_t a[MAX_LIMBS], b[MAX_LIMBS];
static uint64_t columns[2 * MAX_LIMBS];
static char out[2 * MAX_DIGITS + 8];

/* Parses digits s[0, len) into base-10^4 limbs; returns the limb count. */
static uint32_t parse(const char* s, uint32_t len, uint32_t* limbs) {
  uint32_t n = 0;
  for (int32_t end = (int32_t)len; end > 0; end -= BASE_DIGITS) {
    const int32_t start = end > BASE_DIGITS ? end - BASE_DIGITS : 0;
    uint32_t v = 0;
    for (int32_t i = start; i < end; ++i) v = v * 10 + (uint32_t)(s[i] - '0');
    limbs[n++] = v;
  }
  return n;
}

int main(void) {
  const size_t len = guest_read(text, sizeof text - 1);
  text[len] = '\0';
  const char* p = text;
  uint32_t spans[2][2];
  for (int k = 0; k < 2; ++k) {
    const char* start = p;
    while (*p >= '0' && *p <= '9') ++p;
    const uint32_t digits = (uint32_t)(p - start);
    if (digits == 0 || digits > MAX_DIGITS || *p != '\n') return 3;
    spans[k][0] = (uint32_t)(start - text);
    spans[k][1] = digits;
    ++p;
  }
  const uint32_t na = parse(text + spans[0][0], spans[0][1], a);
  const uint32_t nb = parse(text + spans[1][0], spans[1][1], b);

  for (uint32_t j = 0; j < nb; ++j) {
    const uint32_t bj = b[j];
    uint64_t* col = columns + j;
    for (uint32_t i = 0; i < na; ++i) col[i] += a[i] * bj; /* a[i] * bj < 10^8 < 2^32 */
  }
  /* Carry propagation; the top column may still carry into one more limb. */
  const uint32_t n = na + nb;
  uint64_t carry = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t v = columns[i] + carry;
    columns[i] = v % BASE;
    carry = v / BASE;
  }

  uint32_t top = n;
  while (top > 1 && columns[top - 1] == 0) --top;
  char* o = out;
  /* Most significant limb without leading zeros, the rest as exactly four digits. */
  char tmp[BASE_DIGITS];
  uint32_t v = (uint32_t)columns[top - 1];
  int t = 0;
  do {
    tmp[t++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (t > 0) *o++ = tmp[--t];
  for (int32_t i = (int32_t)top - 2; i >= 0; --i) {
    uint32_t w = (uint32_t)columns[i];
    for (int d = BASE_DIGITS - 1; d >= 0; --d) {
      o[d] = (char)('0' + w % 10);
      w /= 10;
    }
    o += BASE_DIGITS;
  }
  *o++ = '\n';
  guest_commit(out, (size_t)(o - out));
  return 0;
}
