#include "stark/packed_babybear.hpp"

#if TESSERA_HAVE_PACKED_FOLD
#include <cstdlib>
#include <cstring>

namespace tessera {

// AVX2 present, and not disabled with TESSERA_NO_PACKED_FOLD=1 (to measure the scalar fold).
bool cpu_supports_avx2_fold() {
  static const bool ok = [] {
    const char* off = std::getenv("TESSERA_NO_PACKED_FOLD");
    if (off != nullptr && std::strcmp(off, "") != 0 && std::strcmp(off, "0") != 0) return false;
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return ok;
}

}  // namespace tessera
#endif
