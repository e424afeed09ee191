// The CUDA backend's FRI primitives (kernels/fri.cu) against the CPU reference on seeded data
// (sizes 1, odd, 2^k +- 1, large; widths 1, odd, wide), and whole PCS proofs made through the
// CUDA and the lockstep backends against the CPU's, byte for byte. Every test skips without a
// CUDA device (and in builds without CUDA).
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "backend/backend.hpp"
#include "backend/cpu_backend.hpp"
#include "backend/device.hpp"
#include "field/field_ops.hpp"
#include "fri/deep_quotient.hpp"
#include "fri/fri_fold.hpp"
#include "fri/pcs.hpp"

namespace tessera {
namespace {

#define SKIP_WITHOUT_DEVICE() \
  if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device"

BabyBear random_felt(std::mt19937_64& rng) {
  return BabyBear::from_u64(rng() % BabyBear::kModulus);
}
BabyBear4 random_ext(std::mt19937_64& rng) {
  return {random_felt(rng), random_felt(rng), random_felt(rng), random_felt(rng)};
}

size_t first_difference(std::span<const BabyBear4> a, std::span<const BabyBear4> b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return i;
  }
  return a.size();
}

TEST(FriGpu, FoldMatchesCpu) {
  SKIP_WITHOUT_DEVICE();
  auto cuda = make_backend("cuda", {});
  CpuBackend cpu;
  std::mt19937_64 rng(1);
  const auto inv_x = fri_inverse_points_bitrev(size_t{1} << 20);
  for (size_t m : {size_t{1}, size_t{3}, size_t{255}, size_t{257}, size_t{4096}, size_t{1} << 20}) {
    std::vector<BabyBear4> in(2 * m), ref(m), out(m);
    for (auto& v : in) v = random_ext(rng);
    const BabyBear4 beta = random_ext(rng);
    cpu.fri_fold(in, beta, inv_x, ref);
    cuda->fri_fold(in, beta, inv_x, out);
    EXPECT_EQ(first_difference(ref, out), m) << "m = " << m;
  }
}

TEST(FriGpu, ReduceOpeningsMatchesCpu) {
  SKIP_WITHOUT_DEVICE();
  auto cuda = make_backend("cuda", {});
  CpuBackend cpu;
  std::mt19937_64 rng(2);
  for (size_t height : {size_t{1}, size_t{5}, size_t{1023}, size_t{1025}, size_t{1} << 18}) {
    for (size_t width : {size_t{1}, size_t{7}, size_t{64}}) {
      if (height == (size_t{1} << 18) && width == 64) continue;  // keep the suite quick
      RowMajorMatrix<BabyBear> lde(width, height);
      for (auto& v : lde.values()) v = random_felt(rng);
      std::vector<BabyBear4> powers(width), acc(height), inv1(height), inv2(height);
      for (auto& v : powers) v = random_ext(rng);
      for (auto& v : acc) v = random_ext(rng);
      for (auto& v : inv1) v = random_ext(rng);
      for (auto& v : inv2) v = random_ext(rng);
      const ReducedOpeningPoint points[] = {{BabyBear4::one(), random_ext(rng), inv1},
                                            {random_ext(rng), random_ext(rng), inv2}};
      std::vector<BabyBear4> ref = acc;
      cpu.reduce_openings(lde, powers, points, ref);
      cuda->reduce_openings(lde, powers, points, acc);
      EXPECT_EQ(first_difference(ref, acc), height) << height << " x " << width;
    }
  }
}

std::vector<uint8_t> prove_bytes(Backend& backend) {
  const FriPcs pcs(FriConfig{1, 20, 8, 0}, backend);
  std::mt19937_64 rng(3);
  std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> evals;
  for (uint32_t log_n : {12u, 10u}) {
    RowMajorMatrix<BabyBear> m(5, size_t{1} << log_n);
    for (auto& v : m.values()) v = random_felt(rng);
    evals.emplace_back(TwoAdicDomain::natural(log_n), std::move(m));
  }
  FriPcs::CommittedData data;
  Challenger ch;
  ch.observe(pcs.commit(std::move(evals), data));
  const BabyBear4 zeta = random_ext(rng);
  const BabyBear4 next = TwoAdicDomain::natural(12).next_point(zeta);
  PcsProof proof;
  pcs.open({ProverOpeningRound{&data, {{zeta, next}, {zeta}}}}, ch, proof);
  ByteWriter w;
  write_pcs_proof(w, proof);
  return w.take();
}

TEST(FriGpu, PcsProofsAreByteIdentical) {
  SKIP_WITHOUT_DEVICE();
  CpuBackend cpu;
  auto cuda = make_backend("cuda", {});
  auto lockstep = make_backend("lockstep", {});
  const auto ref = prove_bytes(cpu);
  EXPECT_EQ(prove_bytes(*cuda), ref);
  EXPECT_EQ(prove_bytes(*lockstep), ref);
}

}  // namespace
}  // namespace tessera
