// Explicit instantiations of the CUDA constraint fold (kernels/quotient.cuh) for the rv32im zkVM
// tables (src/machine/*_table.hpp), spread over a few files so nvcc compiles them in parallel.
#include "machine/alu_table.hpp"
#include "machine/bitwise_table.hpp"
#include "machine/shift_table.hpp"
#include "machine/compare_table.hpp"
#include "machine/jump_table.hpp"
#include "kernels/quotient.cuh"

namespace tessera {

template void cuda_fold_on_domain<rv32im::AluAir>(const rv32im::AluAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::BitwiseAir>(const rv32im::BitwiseAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::ShiftAir>(const rv32im::ShiftAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::CompareAir>(const rv32im::CompareAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::JumpAir>(const rv32im::JumpAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);

}  // namespace tessera
