#pragma once
// The Backend: every heavy operation of the prover goes through this interface, so that the CPU
// reference and the CUDA kernels are interchangeable peers (in the spirit of RISC Zero's HAL and
// Ginkgo's executors). The contract is strict: every backend returns BIT-IDENTICAL results for
// the same inputs — the proof must not depend on where it was computed (DESIGN.md §3).
//
// Structure (non-virtual interface):
//   - the public methods validate their arguments once, here, and throw tessera::Error
//     (InvalidArgument) before any backend sees them — a kernel never receives a malformed size;
//   - a backend implements the small CORE (the protected do_* methods);
//   - DERIVED operations (Merkle commitment, LDE + commitment) are written once in this class on
//     top of the core; a backend may override their do_* method to keep data on its device, and
//     must then produce exactly what the derived version produces.
//
// Later primitives. The STARK work adds its heavy steps here as further operations, each with a
// CPU reference, a CUDA implementation and a lockstep comparison. Added so far: FRI folding and
// the DEEP-quotient accumulation (section "FRI primitives" below, src/fri/backend_fri.cpp,
// kernels/fri.cu). The constraint quotient is folded on the device by the STARK prover itself
// (src/stark/cuda_quotient.hpp) where the backend's quotient_fold() says so.
//
// A Backend object is not thread-safe (a CUDA backend owns one stream); use one per thread.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "fri/deep_quotient.hpp"
#include "hash/digest.hpp"
#include "matrix/row_major_matrix.hpp"
#include "merkle/merkle_tree.hpp"
#include "poly/ntt.hpp"

namespace tessera {

// Order of the rows of an LDE (poly/ntt.hpp's LdeOrder): Natural puts f(shift * w_N^i) in row
// i; BitReversed puts it in row reverse_bits(i, log2 N) (FRI-friendly: the two points x and -x
// become adjacent rows).
using RowOrder = LdeOrder;

// The low-degree extensions of several traces and the one Merkle tree over all of them.
struct LdeCommitment {
  std::vector<RowMajorMatrix<BabyBear>> ldes;  // same order as the traces
  MerkleTree tree;
};

class Backend {
 public:
  virtual ~Backend() = default;
  Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // "cpu", "cuda", "lockstep(cpu,cuda)" ... (for people: code asks the capability queries below)
  virtual std::string name() const = 0;

  // Where the STARK prover folds the constraint quotient. The AIR's constraints are compiled for
  // the host and, when CUDA is on, for the device (stark/cuda_quotient.hpp); the prover, not the
  // backend, runs the fold, so the backend only says where it wants it:
  //   Host     the CPU builder (the reference);
  //   Device   the AIR's CUDA instantiation on this backend's device (falls back to the host for
  //            an AIR that has none);
  //   Compare  both, and the results must be identical (the lockstep test mode).
  enum class QuotientFold { Host, Device, Compare };
  virtual QuotientFold quotient_fold() const { return QuotientFold::Host; }

  // ---- core: every backend implements these --------------------------------------------------

  // Column-wise NTT in place: coefficients -> evaluations on H (poly/ntt.hpp), natural order.
  // Height a power of two <= 2^27.
  void ntt_forward(RowMajorMatrix<BabyBear>& m);
  // Inverse of ntt_forward.
  void ntt_inverse(RowMajorMatrix<BabyBear>& m);
  // Evaluations on H (n rows, natural order) -> evaluations on shift * H' with |H'| = n <<
  // log_blowup, in `order`. Height a power of two, (n << log_blowup) <= 2^27.
  RowMajorMatrix<BabyBear> coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                     BabyBear shift, RowOrder order = RowOrder::Natural);
  // out[i] = Hash(row i of group[0] ‖ row i of group[1] ‖ …) (merkle/merkle_layers.hpp). All
  // matrices have height out.size() and a non-zero width.
  void hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group, std::span<Digest> out);
  // One Merkle layer: parents[i] = C(children[2i], children[2i+1]), then C(·, injected[i]) when
  // injected is not empty (merkle/merkle_layers.hpp).
  void compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                      std::span<Digest> parents);

  // ---- derived: written once here, overridable ------------------------------------------------

  // The mixed-matrix Merkle tree of `matrices` (merkle/merkle_shape.hpp), identical to
  // merkle_commit() of the CPU reference.
  MerkleTree commit_matrices(std::span<const RowMajorMatrix<BabyBear>* const> matrices);
  // The LDE + commit pipeline of a STARK round: each trace (evaluations on its own subgroup) is
  // extended by coset_lde(trace, log_blowup, shift, order) and all LDEs are committed in one tree.
  LdeCommitment lde_and_commit(std::span<const RowMajorMatrix<BabyBear>* const> traces,
                               uint32_t log_blowup, BabyBear shift,
                               RowOrder order = RowOrder::Natural);

 protected:
  virtual void do_ntt_forward(RowMajorMatrix<BabyBear>& m) = 0;
  virtual void do_ntt_inverse(RowMajorMatrix<BabyBear>& m) = 0;
  virtual RowMajorMatrix<BabyBear> do_coset_lde(const RowMajorMatrix<BabyBear>& evals,
                                                uint32_t log_blowup, BabyBear shift,
                                                RowOrder order) = 0;
  virtual void do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                            std::span<Digest> out) = 0;
  virtual void do_compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                                 std::span<Digest> parents) = 0;

  // Derived defaults: built from the core above.
  virtual MerkleTree do_commit_matrices(std::span<const RowMajorMatrix<BabyBear>* const> matrices,
                                        MerkleShape shape);
  virtual LdeCommitment do_lde_and_commit(std::span<const RowMajorMatrix<BabyBear>* const> traces,
                                          uint32_t log_blowup, BabyBear shift, RowOrder order);

  // Argument checks shared by the public methods (and by overrides that bypass them).
  static void check_ntt_matrix(const RowMajorMatrix<BabyBear>& m, const char* op);
  static void check_lde_arguments(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                  const char* op);

  // ---- FRI primitives (added by the FRI work: src/fri, kernels/fri.cu)
  // --------------------------- Arguments are checked by the public methods (InvalidArgument). The
  // do_* defaults are the CPU reference (src/fri/backend_fri.cpp); a device backend overrides them
  // bit-identically.
 public:
  // One FRI fold of arity 2 (fri/fri_fold.hpp): out[i] = (in[2i] + in[2i+1]) / 2 +
  // beta / 2 * inv_x[i] * (in[2i] - in[2i+1]), in.size() = 2 * out.size() >= 2, inv_x a table of
  // fri_inverse_points_bitrev(m) with m >= out.size().
  void fri_fold(std::span<const BabyBear4> in, BabyBear4 beta, std::span<const BabyBear> inv_x,
                std::span<BabyBear4> out);
  // The reduced DEEP-quotient accumulation over the rows of an LDE (fri/deep_quotient.hpp):
  // acc[i] += sum_p coeff_p * (sum_c alpha_powers[c] lde[i][c] - reduced_value_p) *
  // inv_denoms_p[i].
  void reduce_openings(const RowMajorMatrix<BabyBear>& lde, std::span<const BabyBear4> alpha_powers,
                       std::span<const ReducedOpeningPoint> points, std::span<BabyBear4> acc);

 protected:
  virtual void do_fri_fold(std::span<const BabyBear4> in, BabyBear4 beta,
                           std::span<const BabyBear> inv_x, std::span<BabyBear4> out);
  virtual void do_reduce_openings(const RowMajorMatrix<BabyBear>& lde,
                                  std::span<const BabyBear4> alpha_powers,
                                  std::span<const ReducedOpeningPoint> points,
                                  std::span<BabyBear4> acc);
};

// ---- selection -------------------------------------------------------------------------------

struct BackendOptions {
  // Wrap a CUDA backend into a LockstepBackend (CPU and CUDA run every primitive, outputs are
  // compared). Ignored when the selection resolves to the CPU backend: there is nothing to
  // compare against.
  bool lockstep = false;
};

// Options from the environment: TESSERA_BACKEND_LOCKSTEP=1 (or any value other than "", "0")
// turns lockstep on — a test mode, every primitive runs twice.
BackendOptions backend_options_from_env();

// Backend by name:
//   "cpu"      the CPU reference;
//   "cuda"     the CUDA backend on the current device. A build without CUDA throws NotCompiled
//              ("CUDA backend not compiled into this build"); no visible device throws Cuda;
//   "auto"     cuda when compiled in AND a device is visible, else cpu;
//   "lockstep" CPU and CUDA compared on every primitive (same errors as "cuda").
// Any other name is InvalidArgument. This overload takes its options from the environment.
std::unique_ptr<Backend> make_backend(std::string_view name);
std::unique_ptr<Backend> make_backend(std::string_view name, const BackendOptions& options);

// The names make_backend accepts, for help texts.
std::vector<std::string> backend_names();

}  // namespace tessera
