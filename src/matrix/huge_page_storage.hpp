#pragma once
// Zero-filled storage for large matrices (traces, LDEs) in memory advised for transparent huge
// pages. A 2^21 x 64 LDE is 512 MiB: with 4 KiB pages its first touch costs ~131k page faults,
// which on the development VM took longer than the transform itself (perf: exc_page_fault under
// memset). The kernel's THP mode is usually `madvise`, so the region asks for huge pages itself:
// reserve (glibc maps large blocks untouched), advise the 2 MiB-aligned interior, then zero-fill.
// It is advice only: without THP support the pages are simply 4 KiB ones.

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera {

template <typename T>
std::vector<T> huge_page_storage(size_t n) {
  std::vector<T> v;
  v.reserve(n);
#if defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  const auto begin = (reinterpret_cast<uintptr_t>(v.data()) + kHuge - 1) & ~(kHuge - 1);
  const auto end = reinterpret_cast<uintptr_t>(v.data() + n) & ~(kHuge - 1);
  if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
  v.resize(n);
  return v;
}

}  // namespace tessera
