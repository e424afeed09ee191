// Explicit instantiations of the CUDA constraint fold (kernels/quotient.cuh) for the rv32im zkVM
// tables (src/machine/*_table.hpp), spread over a few files so nvcc compiles them in parallel.
#include "machine/mul_table.hpp"
#include "machine/divrem_table.hpp"
#include "kernels/quotient.cuh"

namespace tessera {

template void cuda_fold_on_domain<rv32im::MulAir>(const rv32im::MulAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::DivRemAir>(const rv32im::DivRemAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);

}  // namespace tessera
