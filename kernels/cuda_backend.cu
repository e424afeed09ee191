// The CUDA backend: each primitive copies its inputs to the device, runs the kernels of
// kernels/ntt.cuh, kernels/poseidon2.cuh and kernels/merkle.cuh on the backend's stream, and
// copies the results back. The fused operations (commit_matrices, lde_and_commit) keep every
// intermediate on the device: one upload of the inputs, one download of the LDEs and the tree.
// Every result is bit-identical to the CPU reference (tests/backend_gpu, LockstepBackend).
#include <cuda_runtime.h>

#include <memory>
#include <vector>

#include "backend/cuda_backend.hpp"
#include "backend/device.hpp"
#include "kernels/cuda_check.cuh"
#include "kernels/cuda_stream.cuh"
#include "kernels/device_buffer.cuh"
#include "kernels/fri.cuh"
#include "kernels/merkle.cuh"
#include "kernels/ntt.cuh"
#include "kernels/poseidon2.cuh"
#include "poly/ntt.hpp"

namespace tessera {
namespace {

using cuda::CudaStream;
using cuda::DeviceBuffer;
using cuda::DeviceMatrixView;

DeviceBuffer<BabyBear> upload(const RowMajorMatrix<BabyBear>& m, cudaStream_t stream) {
  DeviceBuffer<BabyBear> d(m.values().size());
  d.upload(m.values(), stream);
  return d;
}

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int device) : device_(device), stream_(make_stream(device)) {}
  std::string name() const override { return "cuda"; }
  QuotientFold quotient_fold() const override { return QuotientFold::Device; }

 protected:
  void do_ntt_forward(RowMajorMatrix<BabyBear>& m) override {
    if (m.values().empty()) return;
    select_device();
    DeviceBuffer<BabyBear> d = upload(m, stream_);
    cuda::ntt_forward_device(d.data(), m.height(), m.width(), stream_);
    d.download(m.values(), stream_);
    stream_.synchronize();
  }

  void do_ntt_inverse(RowMajorMatrix<BabyBear>& m) override {
    if (m.values().empty()) return;
    select_device();
    DeviceBuffer<BabyBear> d = upload(m, stream_);
    cuda::ntt_inverse_device(d.data(), m.height(), m.width(), stream_);
    d.download(m.values(), stream_);
    stream_.synchronize();
  }

  RowMajorMatrix<BabyBear> do_coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                        BabyBear shift, RowOrder order) override {
    RowMajorMatrix<BabyBear> lde(evals.width(), evals.height() << log_blowup);
    if (lde.values().empty()) return lde;
    select_device();
    DeviceLde d = lde_on_device(evals, log_blowup, shift, order);
    d.lde.download(lde.values(), stream_);
    stream_.synchronize();
    return lde;
  }

  void do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                    std::span<Digest> out) override {
    if (out.empty()) return;
    select_device();
    std::vector<DeviceBuffer<BabyBear>> buffers;
    std::vector<DeviceMatrixView> views;
    for (const RowMajorMatrix<BabyBear>* m : group) {
      buffers.push_back(upload(*m, stream_));
      views.push_back({buffers.back().data(), m->width(), m->height()});
    }
    DeviceBuffer<Digest> d_out(out.size());
    DeviceBuffer<BabyBear> scratch;
    cuda::hash_concatenated_rows_device(views, d_out.data(), out.size(), scratch, stream_);
    d_out.download(out, stream_);
    stream_.synchronize();
  }

  void do_compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                         std::span<Digest> parents) override {
    select_device();
    if (parents.empty()) return;
    DeviceBuffer<Digest> d_children(children.size());
    DeviceBuffer<Digest> d_parents(parents.size());
    DeviceBuffer<Digest> d_injected(injected.size());
    d_children.upload(children, stream_);
    cuda::launch_poseidon2_compress_layer(d_children.data(), parents.size(), d_parents.data(),
                                          stream_);
    if (!injected.empty()) {
      d_injected.upload(injected, stream_);
      cuda::launch_merkle_inject(d_parents.data(), d_injected.data(), parents.size(), stream_);
    }
    d_parents.download(parents, stream_);
    stream_.synchronize();
  }

  MerkleTree do_commit_matrices(std::span<const RowMajorMatrix<BabyBear>* const> matrices,
                                MerkleShape shape) override {
    select_device();
    std::vector<DeviceBuffer<BabyBear>> buffers;
    std::vector<DeviceMatrixView> views;
    for (const RowMajorMatrix<BabyBear>* m : matrices) {
      buffers.push_back(upload(*m, stream_));
      views.push_back({buffers.back().data(), m->width(), m->height()});
    }
    auto layers = cuda::merkle_layers_device(shape, views, stream_);
    return MerkleTree(std::move(shape), std::move(layers));
  }

  LdeCommitment do_lde_and_commit(std::span<const RowMajorMatrix<BabyBear>* const> traces,
                                  uint32_t log_blowup, BabyBear shift, RowOrder order) override {
    select_device();
    // The LDEs stay on the device for the tree; the host copies are downloaded alongside.
    std::vector<RowMajorMatrix<BabyBear>> ldes;
    std::vector<DeviceLde> buffers;
    std::vector<DeviceMatrixView> views;
    std::vector<MatrixDims> dims;
    for (const RowMajorMatrix<BabyBear>* trace : traces) {
      const size_t height = trace->height() << log_blowup;
      buffers.push_back(lde_on_device(*trace, log_blowup, shift, order));
      views.push_back({buffers.back().lde.data(), trace->width(), height});
      dims.push_back({trace->width(), height});
    }
    MerkleShape shape(std::move(dims));
    // One stream orders everything: LDEs, their downloads, then the tree over the device LDEs.
    for (size_t t = 0; t < traces.size(); ++t) {
      ldes.emplace_back(views[t].width, views[t].height);
      buffers[t].lde.download(ldes.back().values(), stream_);
    }
    auto layers = cuda::merkle_layers_device(shape, views, stream_);  // synchronises
    return LdeCommitment{std::move(ldes), MerkleTree(std::move(shape), std::move(layers))};
  }

  // FRI primitives (kernels/fri.cu).
  void do_fri_fold(std::span<const BabyBear4> in, BabyBear4 beta, std::span<const BabyBear> inv_x,
                   std::span<BabyBear4> out) override {
    select_device();
    cuda::fri_fold_host(in, beta, inv_x, out, stream_);
  }
  void do_reduce_openings(const RowMajorMatrix<BabyBear>& lde,
                          std::span<const BabyBear4> alpha_powers,
                          std::span<const ReducedOpeningPoint> points,
                          std::span<BabyBear4> acc) override {
    select_device();
    cuda::reduce_openings_host(lde, alpha_powers, points, acc, stream_);
  }

 private:
  static CudaStream make_stream(int device) {
    CUDA_CHECK(cudaSetDevice(device));
    return CudaStream();
  }
  // An uploaded trace and its coset LDE, both on the device. The LDE is only queued: keep the
  // pair alive until the stream is synchronised (freeing a buffer would stall the device).
  struct DeviceLde {
    DeviceBuffer<BabyBear> evals;
    DeviceBuffer<BabyBear> lde;
  };
  DeviceLde lde_on_device(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                          BabyBear shift, RowOrder order) {
    DeviceLde d{upload(evals, stream_),
                DeviceBuffer<BabyBear>(evals.values().size() << log_blowup)};
    cuda::coset_lde_device(d.evals.data(), evals.height(), evals.width(), log_blowup, shift,
                           d.lde.data(), stream_, order);
    return d;
  }
  // The backend stays on the device it was created on, whatever the thread selected since.
  void select_device() const { CUDA_CHECK(cudaSetDevice(device_)); }

  int device_;
  CudaStream stream_;
};

}  // namespace

std::unique_ptr<Backend> make_cuda_backend() {
  if (cuda_device_count() == 0) {
    TESSERA_FAIL(ErrorKind::Cuda,
                 "CUDA backend requested but no CUDA device is visible to this process (no GPU, "
                 "no driver, or CUDA_VISIBLE_DEVICES hides them); use --backend cpu or auto");
  }
  int device = 0;
  CUDA_CHECK(cudaGetDevice(&device));
  return std::make_unique<CudaBackend>(device);
}

}  // namespace tessera
