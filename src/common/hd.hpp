#pragma once
// TESSERA_HD marks functions that are compiled for both the host and a CUDA device; the same
// header serves src/ (g++) and kernels/ (nvcc).
#if defined(__CUDACC__)
#define TESSERA_HD __host__ __device__
#define TESSERA_HD_INLINE __host__ __device__ __forceinline__
#else
#define TESSERA_HD
#define TESSERA_HD_INLINE inline
#endif
