#pragma once
// The FRI polynomial commitment scheme (Plonky3's TwoAdicFriPcs semantics) over BabyBear with
// challenges in BabyBear4.
//
// COMMIT. Each matrix is given by its evaluations on a domain D = s * H_n (natural order); every
// column is the polynomial p of degree < n interpolating them. Its low-degree extension onto the
// coset g * H_N (g = 31, N = n * 2^log_blowup) is computed by the backend as
// coset_lde(evals, log_blowup, g / s) (evaluations of p(s X) on (g/s) * H_N, i.e. of p on g*H_N),
// with rows in BIT-REVERSED order (row r holds p(g * w_N^rev(r))), so that x and -x are adjacent
// rows and the first N / 2^k rows are the evaluations on the coset g * H_{N/2^k}. All LDEs of one
// commit() go into ONE mixed-height Merkle tree (merkle/merkle_shape.hpp); its root is returned.
//
// OPEN (prover), for rounds r, matrices m, points z (BabyBear4) chosen by the caller:
//  1. p(z) for every column, by barycentric interpolation on g * H_n (the first n rows of the
//     bit-reversed LDE): p(z) = (z^n - g^n) / (n g^n) * sum_i y_i x_i / (z - x_i);
//  2. the challenger observes every value in order values[r][m][p][c], then alpha = sample_ext();
//  3. per LDE log-height h, the reduced DEEP quotient
//       RO_h(x) = sum over (r, m, z, c) of height h, in that order, of alpha^k (p_c(x) - p_c(z)) /
//       (x - z)
//     (k counts from 0 separately for every height), a polynomial of degree < N_h / blowup;
//  4. FRI commit phase on the tallest RO: commit the layer (pairs (x, -x) as rows), observe the
//     root, beta = sample_ext(), fold f'(x^2) = (f(x) + f(-x))/2 + beta (f(x) - f(-x))/(2x) with x
//     taken in the unshifted subgroup (Plonky3's convention); when the folded length equals a
//     smaller RO's length, beta^2 * RO is added (the "roll-in", beta of the fold just made).
//     Stop at 2^(log_blowup + log_final_poly_len) values (inputs of exactly that length are
//     rolled in after the last fold); send the final polynomial's 2^log_final_poly_len
//     coefficients (the challenger observes them).
//     Why beta^2 and not 1: every RO_h starts its alpha powers at alpha^0, so nothing separates
//     it from the fold f' = f_e + beta f_o. With coefficient 1, f' + RO_h is low-degree for every
//     beta as soon as f_e + RO_h and f_o are: a prover could commit a tall codeword whose even
//     part is far from low-degree and cancel it with an equally bad lower-height RO_h
//     (tests/fri/test_fri_rollin.cpp builds exactly that proof). With beta^2 the layer is the
//     degree-2 curve f_e + beta f_o + beta^2 RO_h in beta, close to the code for more than a
//     negligible fraction of beta only if all three are (proximity gaps of Reed-Solomon codes);
//  5. proof of work: pow_witness = grind(challenger, pow_bits);
//  6. num_queries indices = sample_bits(L) (L = log2 of the tallest LDE over all rounds); for each,
//     the MMCS opening of every round at index >> (L - that round's log max height) and, per FRI
//     layer i, the sibling of index >> i and the path of the pair.
// VERIFY replays the transcript, checks the PoW witness, and per query recomputes RO_h(x) from the
// opened rows and the claimed p(z), checks every Merkle path, every fold (rolling in beta^2 RO_h
// as the prover did) and finally the folded value against the final polynomial evaluated at
// x^(2^R) (R folding rounds).
//
// Determinism: every value is an exact field computation; parallel loops write disjoint outputs
// and reductions run in a fixed order, so proofs do not depend on the number of threads.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "backend/backend.hpp"
#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "fri/domain.hpp"
#include "fri/fri_config.hpp"
#include "fri/pcs_proof.hpp"
#include "hash/challenger.hpp"
#include "hash/digest.hpp"
#include "matrix/row_major_matrix.hpp"
#include "merkle/merkle_tree.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {

// What the prover keeps of one commit() (FriPcs::CommittedData).
struct PcsCommittedData {
  // domains[m]: the domain matrix m was given on (its size fixes the polynomial degree bound).
  std::vector<TwoAdicDomain> domains;
  // ldes[m]: the bit-reversed LDE on 31 * H_N, N = domains[m].size() << log_blowup, as committed.
  std::vector<RowMajorMatrix<BabyBear>> ldes;
  // The mixed-height tree over ldes (engaged after commit()).
  std::optional<MerkleTree> tree;

  size_t num_matrices() const { return ldes.size(); }
  const Digest& root() const { return tree->root(); }
};

// One round to open (prover side): points[m] are the points where matrix m of `data` is opened;
// it may be empty (the matrix is then only part of the Merkle openings). points.size() must be
// the number of matrices of the round.
struct ProverOpeningRound {
  const PcsCommittedData* data = nullptr;
  std::vector<std::vector<BabyBear4>> points;
};

// values[r][m][p][c] = column c of matrix m of round r at point p.
using OpenedValues = std::vector<std::vector<std::vector<std::vector<BabyBear4>>>>;

// One round to verify: the commitment and, for every committed matrix (commit order), its domain
// (only log_size matters to the verifier), its width, its points and the claimed values.
struct VerifierOpeningRound {
  struct Matrix {
    TwoAdicDomain domain;
    size_t width = 0;
    std::vector<BabyBear4> points;
    std::vector<std::vector<BabyBear4>> values;  // values[p][c]
  };
  Digest commitment{};
  std::vector<Matrix> matrices;
};

class FriPcs {
 public:
  using CommittedData = PcsCommittedData;

  // InvalidArgument when config.validate() fails. The backend must outlive the FriPcs.
  FriPcs(FriConfig config, Backend& backend);

  const FriConfig& config() const { return config_; }

  // Commits matrices given by their evaluations on their domains (natural order, height =
  // domain.size(), width >= 1, log_size >= log_final_poly_len, log_size + log_blowup <= 27);
  // InvalidArgument otherwise. The matrices are consumed (moved from). Returns out.root().
  Digest commit(std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> evaluations,
                CommittedData& out) const;

  // Evaluations of committed matrix `index` on `domain`, natural order. Supported domains: the
  // cosets 31 * H_k with 2^k <= the LDE height (the prefix of the bit-reversed LDE), e.g. a
  // quotient domain trace_domain.create_disjoint_domain(..) of a natural trace domain.
  // InvalidArgument otherwise.
  RowMajorMatrix<BabyBear> evaluations_on_domain(const CommittedData& data, size_t index,
                                                 const TwoAdicDomain& domain) const;

  // Zero-copy alternative to evaluations_on_domain: the value at point j (natural order) of the
  // coset 31 * H_m (m = 2^log_m <= LDE height) is row lde_row_of_coset_point(j, log_m) of
  // data.ldes[index]. Saves the copy (a whole LDE when the quotient domain is as large as it).
  static size_t lde_row_of_coset_point(size_t j, uint32_t log_m) { return reverse_bits(j, log_m); }

  // Opens every round's matrices at their points (see the header comment). The caller has
  // already observed every commitment. Returns values[r][m][p][c] and fills `proof`.
  // InvalidArgument on malformed rounds (null data, points.size() != number of matrices, a point
  // inside the matrix's LDE coset, where the DEEP quotient is undefined).
  OpenedValues open(const std::vector<ProverOpeningRound>& rounds, Challenger& challenger,
                    PcsProof& proof) const;

  // Verifier. Throws tessera::Error(ErrorKind::VerifyFailed) naming the failed check; a proof
  // whose shape does not fit the rounds and the configuration -> Format; malformed rounds
  // (values/points/width mismatch, bad domains) -> InvalidArgument.
  void verify(const std::vector<VerifierOpeningRound>& rounds, const PcsProof& proof,
              Challenger& challenger) const;

  // The shape read_pcs_proof expects for a proof of these rounds.
  PcsProofShape proof_shape(const std::vector<VerifierOpeningRound>& rounds) const;

 private:
  FriConfig config_;
  Backend* backend_;
};

}  // namespace tessera
