#pragma once
// Proof-of-work grinding on the Fiat-Shamir transcript (Plonky3's GrindingChallenger semantics).
//
// check_witness(c, bits, w): c observes w, then samples `bits` bits; the witness is valid when they
// are all zero. This changes c (the verifier's transcript continues from there).
// grind(c, bits): finds the SMALLEST w (canonical value counted from 0) that a copy of c would
// accept, then runs check_witness(c, bits, w) on c itself, so the prover's transcript advances
// exactly as the verifier's will. The search is parallel (OpenMP) in fixed-size batches taking the
// minimum valid candidate of the first batch that has one, so the witness does not depend on the
// number of threads. Expected work: 2^bits permutations.
//
// bits = 0 is trivially satisfied: check_witness returns true and leaves c untouched (no observe,
// no sample), grind returns 0 likewise. bits > 27 is ErrorKind::InvalidArgument.

#include <cstdint>

#include "hash/challenger.hpp"

namespace tessera {

BabyBear grind(Challenger& challenger, uint32_t bits);
bool check_witness(Challenger& challenger, uint32_t bits, BabyBear witness);

}  // namespace tessera
