#pragma once
// The CUDA path of the prover's constraint fold: the same ConstraintFolder and the same AIR
// eval() template, compiled by nvcc into a kernel with one thread per point of the quotient
// domain (kernels/quotient.cuh). An AIR opts in with
//
//     TESSERA_CUDA_QUOTIENT_AIR(MyAir)      // in its header, after the class, at namespace tessera
//
// and one explicit instantiation in a .cu file (kernels/quotient_airs.cu):
//
//     template void cuda_fold_on_domain<MyAir>(const MyAir&, const QuotientFoldInputs&,
//                                              std::span<BabyBear4>);
//
// Its eval() must then be TESSERA_HD and the AIR trivially copyable (it is a kernel argument).
// Without CUDA the macro expands to nothing and every table folds on the CPU. The results are
// bit-identical to the CPU fold (exact field arithmetic, same order of constraints).

#include <span>

#include "field/extension.hpp"

namespace tessera {

struct QuotientFoldInputs;

template <class Air>
inline constexpr bool kHasCudaQuotient = false;

// out[i] = folded constraints at point i of the quotient domain times inv_vanishing[i], computed
// on the current CUDA device. Defined in kernels/quotient.cuh; instantiated per AIR.
template <class Air>
void cuda_fold_on_domain(const Air& air, const QuotientFoldInputs& in, std::span<BabyBear4> out);

}  // namespace tessera

#if TESSERA_HAVE_CUDA
#define TESSERA_CUDA_QUOTIENT_AIR(AirType)                                                     \
  template <>                                                                                  \
  inline constexpr bool kHasCudaQuotient<AirType> = true;                                      \
  extern template void cuda_fold_on_domain<AirType>(const AirType&, const QuotientFoldInputs&, \
                                                    std::span<BabyBear4>)
#else
#define TESSERA_CUDA_QUOTIENT_AIR(AirType) static_assert(true, "")
#endif
