#include "fri/pcs_proof.hpp"

#include <algorithm>
#include <bit>

#include "common/check.hpp"

namespace tessera {

namespace {

uint32_t log_lde_height(const PcsProofShape& shape, const MatrixDims& d) {
  TESSERA_CHECK(d.width > 0 && std::has_single_bit(d.height), ErrorKind::InvalidArgument,
                "PCS proof shape: a matrix of " << d.height << " x " << d.width
                                                << " (need a power-of-two height, width >= 1)");
  const uint32_t log_h = static_cast<uint32_t>(std::countr_zero(d.height));
  TESSERA_CHECK(log_h >= shape.config.log_final_poly_len &&
                    log_h + shape.config.log_blowup <= BabyBear::kTwoAdicity,
                ErrorKind::InvalidArgument,
                "PCS proof shape: height 2^"
                    << log_h << " outside [2^" << shape.config.log_final_poly_len << ", 2^"
                    << BabyBear::kTwoAdicity - shape.config.log_blowup << "]");
  return log_h + shape.config.log_blowup;
}

uint32_t round_log_max_height(const PcsProofShape& shape, const std::vector<MatrixDims>& round) {
  TESSERA_CHECK(!round.empty(), ErrorKind::InvalidArgument, "PCS proof shape: a round is empty");
  uint32_t h = 0;
  for (const MatrixDims& d : round) h = std::max(h, log_lde_height(shape, d));
  return h;
}

void expect_size(size_t actual, size_t expected, const char* what) {
  TESSERA_CHECK(
      actual == expected, ErrorKind::Format,
      "malformed PCS proof: " << what << " has " << actual << " entries, expected " << expected);
}

// A u32 length that must equal `expected` (checked before anything is allocated).
uint32_t expect_length(ByteReader& in, size_t expected, const char* what) {
  const uint32_t n = in.u32(what);
  TESSERA_CHECK(
      n == expected, ErrorKind::Format,
      "malformed PCS proof: " << what << " has length " << n << ", expected " << expected);
  return n;
}

void write_digest(ByteWriter& out, const Digest& d) {
  for (const BabyBear& x : d) out.felt(x);
}
Digest read_digest(ByteReader& in, const char* what) {
  Digest d;
  for (BabyBear& x : d) x = in.felt(what);
  return d;
}

void write_path(ByteWriter& out, const MerkleProof& path) {
  out.u32(static_cast<uint32_t>(path.siblings.size()));
  for (const Digest& d : path.siblings) write_digest(out, d);
}
MerkleProof read_path(ByteReader& in, size_t expected_len, const char* what) {
  MerkleProof path;
  path.siblings.resize(expect_length(in, expected_len, what));
  for (Digest& d : path.siblings) d = read_digest(in, what);
  return path;
}

}  // namespace

uint32_t PcsProofShape::log_max_lde_height() const {
  TESSERA_CHECK(!rounds.empty(), ErrorKind::InvalidArgument, "PCS proof shape: no rounds");
  uint32_t h = 0;
  for (const auto& round : rounds) h = std::max(h, round_log_max_height(*this, round));
  return h;
}

uint32_t PcsProofShape::num_fri_rounds() const {
  return log_max_lde_height() - config.log_blowup - config.log_final_poly_len;
}

void check_pcs_proof_shape(const PcsProof& proof, const PcsProofShape& shape) {
  const uint32_t log_max = shape.log_max_lde_height();
  const uint32_t num_rounds = shape.num_fri_rounds();
  expect_size(proof.commit_phase_commits.size(), num_rounds, "commit-phase commitments");
  expect_size(proof.final_poly.size(), size_t{1} << shape.config.log_final_poly_len,
              "final polynomial");
  expect_size(proof.query_proofs.size(), shape.config.num_queries, "query proofs");
  for (const FriQueryProof& q : proof.query_proofs) {
    expect_size(q.input_openings.size(), shape.rounds.size(), "input openings");
    for (size_t r = 0; r < shape.rounds.size(); ++r) {
      const MerkleOpening& o = q.input_openings[r];
      expect_size(o.rows.size(), shape.rounds[r].size(), "opened rows");
      for (size_t m = 0; m < o.rows.size(); ++m) {
        expect_size(o.rows[m].size(), shape.rounds[r][m].width, "opened row");
      }
      expect_size(o.proof.siblings.size(), round_log_max_height(shape, shape.rounds[r]),
                  "input Merkle path");
    }
    expect_size(q.commit_steps.size(), num_rounds, "commit-phase steps");
    for (uint32_t i = 0; i < num_rounds; ++i) {
      expect_size(q.commit_steps[i].path.siblings.size(), log_max - i - 1,
                  "commit-phase Merkle path");
    }
  }
}

void write_pcs_proof(ByteWriter& out, const PcsProof& proof) {
  out.u32(static_cast<uint32_t>(proof.commit_phase_commits.size()));
  for (const Digest& d : proof.commit_phase_commits) write_digest(out, d);
  out.u32(static_cast<uint32_t>(proof.final_poly.size()));
  for (const BabyBear4& c : proof.final_poly) out.ext(c);
  out.felt(proof.pow_witness);
  out.u32(static_cast<uint32_t>(proof.query_proofs.size()));
  for (const FriQueryProof& q : proof.query_proofs) {
    out.u32(static_cast<uint32_t>(q.input_openings.size()));
    for (const MerkleOpening& o : q.input_openings) {
      out.u32(static_cast<uint32_t>(o.rows.size()));
      for (const auto& row : o.rows) {
        out.u32(static_cast<uint32_t>(row.size()));
        for (const BabyBear& x : row) out.felt(x);
      }
      write_path(out, o.proof);
    }
    out.u32(static_cast<uint32_t>(q.commit_steps.size()));
    for (const FriCommitStep& s : q.commit_steps) {
      out.ext(s.sibling);
      write_path(out, s.path);
    }
  }
}

PcsProof read_pcs_proof(ByteReader& in, const PcsProofShape& shape) {
  const uint32_t log_max = shape.log_max_lde_height();  // InvalidArgument for a bad shape
  const uint32_t num_rounds = shape.num_fri_rounds();
  std::vector<uint32_t> round_heights;
  for (const auto& round : shape.rounds)
    round_heights.push_back(round_log_max_height(shape, round));

  PcsProof proof;
  proof.commit_phase_commits.resize(expect_length(in, num_rounds, "FRI commitments"));
  for (Digest& d : proof.commit_phase_commits) d = read_digest(in, "FRI commitment");
  proof.final_poly.resize(
      expect_length(in, size_t{1} << shape.config.log_final_poly_len, "final polynomial"));
  for (BabyBear4& c : proof.final_poly) c = in.ext("final polynomial coefficient");
  proof.pow_witness = in.felt("proof-of-work witness");
  proof.query_proofs.resize(expect_length(in, shape.config.num_queries, "query proofs"));
  for (FriQueryProof& q : proof.query_proofs) {
    q.input_openings.resize(expect_length(in, shape.rounds.size(), "input openings"));
    for (size_t r = 0; r < shape.rounds.size(); ++r) {
      MerkleOpening& o = q.input_openings[r];
      o.rows.resize(expect_length(in, shape.rounds[r].size(), "opened rows"));
      for (size_t m = 0; m < o.rows.size(); ++m) {
        o.rows[m].resize(expect_length(in, shape.rounds[r][m].width, "opened row"));
        for (BabyBear& x : o.rows[m]) x = in.felt("opened value");
      }
      o.proof = read_path(in, round_heights[r], "input Merkle path");
    }
    q.commit_steps.resize(expect_length(in, num_rounds, "commit-phase steps"));
    for (uint32_t i = 0; i < num_rounds; ++i) {
      q.commit_steps[i].sibling = in.ext("FRI sibling value");
      q.commit_steps[i].path = read_path(in, log_max - i - 1, "commit-phase Merkle path");
    }
  }
  return proof;
}

}  // namespace tessera
