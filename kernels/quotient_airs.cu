// Explicit instantiations of the CUDA constraint fold (kernels/quotient.cuh) for the AIRs of
// src/air that opt in with TESSERA_CUDA_QUOTIENT_AIR. One line per AIR; a new AIR adds its line
// here (or in its own .cu file).
#include "air/fibonacci.hpp"
#include "air/range_check.hpp"
#include "kernels/quotient.cuh"

namespace tessera {

template void cuda_fold_on_domain<FibonacciAir>(const FibonacciAir&, const QuotientFoldInputs&,
                                                std::span<BabyBear4>);
template void cuda_fold_on_domain<RangeTableAir>(const RangeTableAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<LimbDecompositionAir>(const LimbDecompositionAir&,
                                                        const QuotientFoldInputs&,
                                                        std::span<BabyBear4>);

}  // namespace tessera
