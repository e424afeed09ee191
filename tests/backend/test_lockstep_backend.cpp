// LockstepBackend compares two backends on every primitive. Here the candidate is the CPU
// backend itself (must pass and return the reference results) or a CPU backend with one
// deliberately corrupted primitive (must throw Internal naming that primitive).
#include <string>
#include <vector>

#include "backend/cpu_backend.hpp"
#include "backend/lockstep_backend.hpp"
#include "backend_test_util.hpp"
#include "merkle/merkle_tree.hpp"
#include "poly/ntt.hpp"

namespace tessera {
namespace {

using Matrices = std::vector<RowMajorMatrix<BabyBear>>;
using test::expect_error;
using test::pointers;
using test::random_matrix;

const BabyBear kShift = BabyBear::from_u32(BabyBear::kGenerator);

enum class Fault { None, NttForward, NttInverse, CosetLde, HashRows, CompressLayer };

// The CPU backend with one primitive's output changed in one value.
class FaultyBackend final : public CpuBackend {
 public:
  explicit FaultyBackend(Fault fault) : fault_(fault) {}
  std::string name() const override { return "faulty"; }

 protected:
  void do_ntt_forward(RowMajorMatrix<BabyBear>& m) override {
    CpuBackend::do_ntt_forward(m);
    if (fault_ == Fault::NttForward) corrupt(m);
  }
  void do_ntt_inverse(RowMajorMatrix<BabyBear>& m) override {
    CpuBackend::do_ntt_inverse(m);
    if (fault_ == Fault::NttInverse) corrupt(m);
  }
  RowMajorMatrix<BabyBear> do_coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                        BabyBear shift, RowOrder order) override {
    auto lde = CpuBackend::do_coset_lde(evals, log_blowup, shift, order);
    if (fault_ == Fault::CosetLde) corrupt(lde);
    return lde;
  }
  void do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                    std::span<Digest> out) override {
    CpuBackend::do_hash_rows(group, out);
    if (fault_ == Fault::HashRows) out.back()[3] += BabyBear::one();
  }
  void do_compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                         std::span<Digest> parents) override {
    CpuBackend::do_compress_layer(children, injected, parents);
    if (fault_ == Fault::CompressLayer) parents.front()[0] += BabyBear::one();
  }

 private:
  static void corrupt(RowMajorMatrix<BabyBear>& m) { m.values().back() += BabyBear::one(); }
  Fault fault_;
};

LockstepBackend lockstep(Fault fault) {
  return LockstepBackend(std::make_unique<CpuBackend>(), std::make_unique<FaultyBackend>(fault));
}

TEST(LockstepBackend, AgreeingBackendsPassAndReturnReferenceResults) {
  LockstepBackend backend = lockstep(Fault::None);
  EXPECT_EQ(backend.name(), "lockstep(cpu,faulty)");
  const auto m = random_matrix(5, 16, 1);
  auto got = m;
  backend.ntt_forward(got);
  auto expected = m;
  ntt_forward(expected);
  EXPECT_EQ(got, expected);
  backend.ntt_inverse(got);
  EXPECT_EQ(got, m);
  EXPECT_EQ(backend.coset_lde(m, 2, kShift), coset_lde(m, 2, kShift));
  Matrices ms{random_matrix(3, 16, 2), random_matrix(2, 4, 3)};
  EXPECT_TRUE(backend.commit_matrices(pointers(ms)) == merkle_commit(pointers(ms)));
  const LdeCommitment c = backend.lde_and_commit(pointers(ms), 1, kShift);
  EXPECT_EQ(c.ldes[1], coset_lde(ms[1], 1, kShift));
}

TEST(LockstepBackend, EachCorruptedPrimitiveIsNamed) {
  const auto m = random_matrix(4, 8, 1);
  {
    LockstepBackend b = lockstep(Fault::NttForward);
    auto x = m;
    expect_error(
        ErrorKind::Internal, [&] { b.ntt_forward(x); }, "in ntt_forward");
  }
  {
    LockstepBackend b = lockstep(Fault::NttInverse);
    auto x = m;
    expect_error(
        ErrorKind::Internal, [&] { b.ntt_inverse(x); }, "in ntt_inverse");
  }
  {
    LockstepBackend b = lockstep(Fault::CosetLde);
    expect_error(
        ErrorKind::Internal, [&] { b.coset_lde(m, 1, kShift); },
        "in coset_lde: first difference at row 15, column 3");
  }
  {
    LockstepBackend b = lockstep(Fault::HashRows);
    std::vector<Digest> out(8);
    std::vector<const RowMajorMatrix<BabyBear>*> group{&m};
    expect_error(
        ErrorKind::Internal, [&] { b.hash_rows(group, out); },
        "in hash_rows: first difference at digest 7");
  }
  {
    LockstepBackend b = lockstep(Fault::CompressLayer);
    std::vector<Digest> children(8), parents(4);
    expect_error(
        ErrorKind::Internal, [&] { b.compress_layer(children, {}, parents); },
        "'faulty' disagrees with 'cpu' in compress_layer");
  }
}

TEST(LockstepBackend, DerivedOperationsCompareTheWholeResult) {
  Matrices ms{random_matrix(3, 16, 2), random_matrix(2, 4, 3)};
  {
    LockstepBackend b = lockstep(Fault::CompressLayer);
    expect_error(
        ErrorKind::Internal, [&] { b.commit_matrices(pointers(ms)); },
        "in commit_matrices: layer 1: first difference at digest 0");
  }
  {
    LockstepBackend b = lockstep(Fault::HashRows);
    expect_error(
        ErrorKind::Internal, [&] { b.commit_matrices(pointers(ms)); },
        "in commit_matrices: layer 0");
  }
  {
    LockstepBackend b = lockstep(Fault::CosetLde);
    expect_error(
        ErrorKind::Internal, [&] { b.lde_and_commit(pointers(ms), 1, kShift); },
        "in lde_and_commit: LDE 0");
  }
}

}  // namespace
}  // namespace tessera
