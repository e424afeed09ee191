/* What picolibc needs from the platform: _exit for exit() and abort(). The heap comes from
 * picolibc's own sbrk over [__heap_start, __heap_end) (guest.ld). */
#include "guest.h"

__attribute__((noreturn)) void _exit(int code) {
  guest_exit(code);
}
