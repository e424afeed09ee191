#pragma once
// NVTX ranges around every phase, whatever the profiler: `TESSERA_RANGE("prove shard")` opens a
// range that closes at the end of the scope. With CUDA compiled in, the ranges are NVTX (header-only
// NVTX3 from the toolkit), so Nsight Systems shows them on the timeline; without CUDA they cost
// nothing.
#if TESSERA_HAVE_CUDA && __has_include(<nvtx3/nvToolsExt.h>)
#include <nvtx3/nvToolsExt.h>
#define TESSERA_HAVE_NVTX 1
#else
#define TESSERA_HAVE_NVTX 0
#endif

namespace tessera {

class NvtxRange {
 public:
  explicit NvtxRange(const char* name) {
#if TESSERA_HAVE_NVTX
    nvtxRangePushA(name);
#else
    (void)name;
#endif
  }
  ~NvtxRange() {
#if TESSERA_HAVE_NVTX
    nvtxRangePop();
#endif
  }
  NvtxRange(const NvtxRange&) = delete;
  NvtxRange& operator=(const NvtxRange&) = delete;
};

}  // namespace tessera

#define TESSERA_RANGE_CONCAT_(a, b) a##b
#define TESSERA_RANGE_CONCAT(a, b) TESSERA_RANGE_CONCAT_(a, b)
#define TESSERA_RANGE(name) ::tessera::NvtxRange TESSERA_RANGE_CONCAT(tessera_nvtx_range_, __LINE__)(name)
