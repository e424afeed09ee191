// Explicit instantiations of the CUDA constraint fold (kernels/quotient.cuh) for the rv32im zkVM
// tables (src/machine/*_table.hpp), spread over a few files so nvcc compiles them in parallel.
#include "machine/system_table.hpp"
#include "machine/io_words_table.hpp"
#include "machine/absorb_table.hpp"
#include "machine/p2call_table.hpp"
#include "machine/program_table.hpp"
#include "machine/byte_table.hpp"
#include "machine/shard_table.hpp"
#include "kernels/quotient.cuh"

namespace tessera {

template void cuda_fold_on_domain<rv32im::SystemAir>(const rv32im::SystemAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::IoWordsAir>(const rv32im::IoWordsAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::AbsorbAir>(const rv32im::AbsorbAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::P2CallAir>(const rv32im::P2CallAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::ProgramAir>(const rv32im::ProgramAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::ByteAir>(const rv32im::ByteAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::ShardAir>(const rv32im::ShardAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);

}  // namespace tessera
