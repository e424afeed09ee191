#pragma once
// The opening proof of the FRI polynomial commitment scheme (pcs.hpp) and its binary format.
//
// Layout of a PcsProof (L = log2 of the tallest LDE height over all opened rounds, R = number of
// FRI commit-phase rounds = L - log_blowup - log_final_poly_len):
//   commit_phase_commits[R]     Merkle roots of the FRI layers (layer i has 2^(L-i) values stored
//                               as 2^(L-i-1) rows of 2 extension elements = 8 base elements)
//   final_poly[2^lf]            coefficients (low degree first) of the last folded polynomial
//   pow_witness                 proof-of-work witness (grind(challenger, pow_bits))
//   query_proofs[num_queries]   for each query index:
//     input_openings[rounds]      MMCS opening of every committed round at that index (rows of
//                                 every matrix of the round + Merkle path)
//     commit_steps[R]             per FRI layer: the sibling value of the pair and its Merkle path
//
// Binary format (ByteWriter, little endian, canonical field elements):
//   u32 R, R digests (8 felts); u32 len, final_poly ext[len]; felt pow_witness;
//   u32 Q, then per query: u32 rounds, per round: u32 matrices, per matrix u32 width + felts,
//   u32 path length + digests; u32 R', per step: ext sibling, u32 path length + digests.
// The reader knows the exact expected shape (PcsProofShape, derived from the configuration and
// the committed dimensions that the verifier already knows) and rejects any length that differs,
// before allocating: a malicious length can never cause a large allocation. Every truncated,
// corrupted or non-canonical buffer gives tessera::Error(ErrorKind::Format).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "fri/fri_config.hpp"
#include "hash/digest.hpp"
#include "io/byte_io.hpp"
#include "merkle/merkle_shape.hpp"
#include "merkle/merkle_tree.hpp"

namespace tessera {

// One FRI layer at one query: the value of the pair partner (the folded value itself is
// recomputed by the verifier) and the path of the pair's row in that layer's tree.
struct FriCommitStep {
  BabyBear4 sibling;
  MerkleProof path;
  friend bool operator==(const FriCommitStep&, const FriCommitStep&) = default;
};

struct FriQueryProof {
  std::vector<MerkleOpening> input_openings;  // one per opened round, in round order
  std::vector<FriCommitStep> commit_steps;    // one per FRI layer
  friend bool operator==(const FriQueryProof&, const FriQueryProof&) = default;
};

struct PcsProof {
  std::vector<Digest> commit_phase_commits;
  std::vector<BabyBear4> final_poly;
  BabyBear pow_witness;
  std::vector<FriQueryProof> query_proofs;
  friend bool operator==(const PcsProof&, const PcsProof&) = default;
};

// What the reader expects: the configuration and, per opened round, the dimensions of the
// committed matrices AS GIVEN TO commit() (height = the domain size 2^log_size, before blowup).
struct PcsProofShape {
  FriConfig config;
  std::vector<std::vector<MatrixDims>> rounds;

  // log2 of the tallest LDE height (InvalidArgument for an empty shape or bad dimensions).
  uint32_t log_max_lde_height() const;
  // Number of FRI folding rounds.
  uint32_t num_fri_rounds() const;
};

// Throws Format unless every length in `proof` is the one `shape` implies (the verifier calls
// this before anything else, so an in-memory proof is held to the same shape as a parsed one).
void check_pcs_proof_shape(const PcsProof& proof, const PcsProofShape& shape);

void write_pcs_proof(ByteWriter& out, const PcsProof& proof);
// Reads a proof of exactly `shape` (Format on any mismatch, truncation or bad element).
PcsProof read_pcs_proof(ByteReader& in, const PcsProofShape& shape);

}  // namespace tessera
