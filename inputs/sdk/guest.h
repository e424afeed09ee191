/* Tessera guest SDK: the guest side of the ABI (src/vm/guest_abi.hpp, DESIGN.md §4).
 *
 *   read(0, buf, n)  a7 = 63  private input, returns the bytes read (0 at the end)
 *   write(1, buf, n) a7 = 64  public output: committed, part of the proof's statement
 *   write(2, buf, n) a7 = 64  debug log: shown by `tessera execute`, never committed
 *   exit(code)       a7 = 93  halts
 *
 * These are Linux's numbers, so a guest also runs unchanged under qemu-riscv32 (input on stdin,
 * public output on stdout, the debug log on stderr). */
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

#ifdef __cplusplus
}
#endif

#endif
