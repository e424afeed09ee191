// Explicit instantiations of the CUDA constraint fold (kernels/quotient.cuh) for the rv32im zkVM
// tables (src/machine/*_table.hpp), spread over a few files so nvcc compiles them in parallel.
#include "machine/load_table.hpp"
#include "machine/store_table.hpp"
#include "machine/page_table.hpp"
#include "machine/merkle_table.hpp"
#include "machine/poseidon2_table.hpp"
#include "kernels/quotient.cuh"

namespace tessera {

template void cuda_fold_on_domain<rv32im::LoadAir>(const rv32im::LoadAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::StoreAir>(const rv32im::StoreAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::PageAir>(const rv32im::PageAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::MerkleAir>(const rv32im::MerkleAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);
template void cuda_fold_on_domain<rv32im::Poseidon2LookupAir>(const rv32im::Poseidon2LookupAir&, const QuotientFoldInputs&,
                                                 std::span<BabyBear4>);

}  // namespace tessera
