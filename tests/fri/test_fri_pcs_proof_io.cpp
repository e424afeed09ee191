// PcsProof binary format: round trip, exact-shape reading, truncation at every byte offset,
// corruption of every byte (a parse error or a rejected proof, never a crash or an acceptance),
// malicious lengths.
#include <gtest/gtest.h>

#include "fri/pcs.hpp"
#include "pcs_test_util.hpp"

namespace tessera {
namespace {

using fri_test::expect_error;

struct Fixture {
  CpuBackend backend;
  FriPcs pcs{FriConfig{1, 2, 1, 1}, backend};
  fri_test::Scenario s = fri_test::make_scenario(pcs, fri_test::mixed_specs(), 3, 30);
  fri_test::Opened opened = fri_test::open_scenario(pcs, s);
  std::vector<VerifierOpeningRound> rounds = fri_test::verifier_rounds(s, opened.values);
  PcsProofShape shape = pcs.proof_shape(rounds);
  std::vector<uint8_t> bytes = [this] {
    ByteWriter w;
    write_pcs_proof(w, opened.proof);
    return w.take();
  }();
};

TEST(FriPcsProofIo, RoundTrip) {
  Fixture f;
  ByteReader in(f.bytes);
  const PcsProof back = read_pcs_proof(in, f.shape);
  in.expect_end("PCS proof");
  EXPECT_TRUE(back == f.opened.proof);
  ByteWriter again;
  write_pcs_proof(again, back);
  EXPECT_EQ(again.data(), f.bytes);
  fri_test::verify_scenario(f.pcs, f.s, f.opened.values, back);
}

TEST(FriPcsProofIo, EveryTruncationIsAFormatError) {
  Fixture f;
  for (size_t len = 0; len < f.bytes.size(); ++len) {
    ByteReader in(std::span<const uint8_t>(f.bytes.data(), len));
    try {
      read_pcs_proof(in, f.shape);
      ADD_FAILURE() << "truncation to " << len << " bytes parsed";
    } catch (const Error& e) {
      ASSERT_EQ(e.kind(), ErrorKind::Format) << len << ": " << e.what();
    }
  }
}

TEST(FriPcsProofIo, EveryCorruptedByteIsRejected) {
  Fixture f;
  size_t format_errors = 0, verify_failures = 0;
  for (size_t pos = 0; pos < f.bytes.size(); ++pos) {
    std::vector<uint8_t> bad = f.bytes;
    bad[pos] ^= (pos % 3 == 0) ? 0x80 : 0x01;  // high bit: often non-canonical; low bit: a value
    ByteReader in(bad);
    try {
      const PcsProof proof = read_pcs_proof(in, f.shape);
      Challenger ch = fri_test::transcript_with_roots(f.s);
      f.pcs.verify(f.rounds, proof, ch);
      ADD_FAILURE() << "corrupted byte " << pos << " accepted";
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Format) {
        ++format_errors;
      } else {
        ASSERT_EQ(e.kind(), ErrorKind::VerifyFailed) << pos << ": " << e.what();
        ++verify_failures;
      }
    }
  }
  EXPECT_GT(format_errors, 0u);
  EXPECT_GT(verify_failures, 0u);
}

TEST(FriPcsProofIo, ShapeMismatchAndHugeLengthsAreFormatErrors) {
  Fixture f;
  {  // Another width.
    PcsProofShape shape = f.shape;
    shape.rounds[0][1].width += 1;
    ByteReader in(f.bytes);
    expect_error(ErrorKind::Format, [&] { read_pcs_proof(in, shape); });
  }
  {  // Another number of queries.
    PcsProofShape shape = f.shape;
    shape.config.num_queries = 3;
    ByteReader in(f.bytes);
    expect_error(ErrorKind::Format, [&] { read_pcs_proof(in, shape); });
  }
  {  // A huge query count in the buffer: refused before any allocation.
    ByteWriter w;
    w.u32(static_cast<uint32_t>(f.opened.proof.commit_phase_commits.size()));
    for (const Digest& d : f.opened.proof.commit_phase_commits) {
      for (BabyBear x : d) w.felt(x);
    }
    w.u32(static_cast<uint32_t>(f.opened.proof.final_poly.size()));
    for (const BabyBear4& c : f.opened.proof.final_poly) w.ext(c);
    w.felt(f.opened.proof.pow_witness);
    w.u32(0xffffffffu);
    ByteReader in(w.data());
    const std::string msg = expect_error(ErrorKind::Format, [&] { read_pcs_proof(in, f.shape); });
    EXPECT_NE(msg.find("query proofs"), std::string::npos) << msg;
  }
  {  // Trailing bytes are left for the caller's expect_end.
    std::vector<uint8_t> longer = f.bytes;
    longer.push_back(0);
    ByteReader in(longer);
    read_pcs_proof(in, f.shape);
    expect_error(ErrorKind::Format, [&] { in.expect_end("PCS proof"); });
  }
  {  // A bad shape is the caller's error.
    PcsProofShape shape = f.shape;
    shape.rounds[0][0].height = 3;
    ByteReader in(f.bytes);
    expect_error(ErrorKind::InvalidArgument, [&] { read_pcs_proof(in, shape); });
  }
}

}  // namespace
}  // namespace tessera
