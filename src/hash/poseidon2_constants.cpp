// The one host copy of the Poseidon2 round constants, generated at compile time by the Grain LFSR
// (poseidon2_constants.hpp).

#include "hash/poseidon2_constants.hpp"

namespace tessera {

constinit const poseidon2_detail::Poseidon2Constants kPoseidon2Constants =
    poseidon2_detail::generate_constants();

}  // namespace tessera
