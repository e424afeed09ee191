// The CUDA constraint fold (kernels/quotient.cuh) instantiated for the Poseidon2 permutation AIR
// and the hash-chain AIR (src/air/poseidon2_air.hpp, src/air/hashchain.hpp): the same eval() the
// CPU folds, one thread per point of the quotient domain.
#include "air/hashchain.hpp"
#include "air/poseidon2_air.hpp"
#include "kernels/quotient.cuh"

namespace tessera {

template void cuda_fold_on_domain<Poseidon2Air>(const Poseidon2Air&, const QuotientFoldInputs&,
                                                std::span<BabyBear4>);
template void cuda_fold_on_domain<HashchainAir>(const HashchainAir&, const QuotientFoldInputs&,
                                                std::span<BabyBear4>);

}  // namespace tessera
