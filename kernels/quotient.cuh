#pragma once
// The prover's constraint fold on the device (see src/stark/cuda_quotient.hpp). The committed
// columns' evaluations on the quotient domain are uploaded COLUMN-major, so that the threads of a
// warp (consecutive points) read consecutive words of each column; thread i folds point i with
// the very ConstraintFolder the CPU uses, instantiated on column-major windows.
#include <cuda_runtime.h>

#include <algorithm>
#include <span>
#include <vector>

#include "kernels/cuda_check.cuh"
#include "kernels/cuda_stream.cuh"
#include "kernels/device_buffer.cuh"
#include "stark/cuda_quotient.hpp"
#include "stark/machine.hpp"
#include "stark/quotient_builder.hpp"

namespace tessera {

namespace cuda_quotient_detail {

// Column c of a column-major matrix with `stride` rows: data[c * stride + row].
struct ColumnMajorWindow {
  const BabyBear* data = nullptr;
  size_t stride = 0, row = 0, next_row = 0;
  TESSERA_HD BabyBear local(size_t c) const { return data[c * stride + row]; }
  TESSERA_HD BabyBear next(size_t c) const { return data[c * stride + next_row]; }
};
struct ColumnMajorExtWindow {
  const BabyBear* data = nullptr;
  size_t stride = 0, row = 0, next_row = 0;
  TESSERA_HD BabyBear4 local(size_t c) const { return at(c, row); }
  TESSERA_HD BabyBear4 next(size_t c) const { return at(c, next_row); }
  TESSERA_HD BabyBear4 at(size_t c, size_t r) const {
    const BabyBear* p = data + 4 * c * stride + r;
    return {p[0], p[stride], p[2 * stride], p[3 * stride]};
  }
};

struct DeviceSelectors {
  const BabyBear *is_first, *is_last, *is_transition, *inv_vanishing;
};

template <class Air>
__global__ void fold_kernel(Air air, FolderConstants k, const BabyBear* main, const BabyBear* prep,
                            const BabyBear* perm, DeviceSelectors sel, size_t nq, size_t step,
                            BabyBear4* out) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < nq;
       i += size_t{gridDim.x} * blockDim.x) {
    const size_t j = (i + step) & (nq - 1);
    ConstraintFolder<ColumnMajorWindow, ColumnMajorExtWindow> b(
        k, ColumnMajorWindow{main, nq, i, j}, ColumnMajorWindow{prep, nq, i, j},
        ColumnMajorExtWindow{perm, nq, i, j}, sel.is_first[i], sel.is_last[i],
        sel.is_transition[i]);
    air.eval(b);
    out[i] = b.finish() * sel.inv_vanishing[i];
  }
}

// Row-major host matrix -> column-major device buffer.
inline cuda::DeviceBuffer<BabyBear> upload_columns(const RowMajorMatrix<BabyBear>* m,
                                                   cudaStream_t stream,
                                                   std::vector<BabyBear>& staging) {
  if (m == nullptr || m->width() == 0) return {};
  const size_t h = m->height(), w = m->width();
  staging.resize(h * w);
  TESSERA_OMP_PARALLEL_FOR
  for (size_t r = 0; r < h; ++r) {
    for (size_t c = 0; c < w; ++c) staging[c * h + r] = m->at(r, c);
  }
  cuda::DeviceBuffer<BabyBear> d(h * w);
  d.upload(staging, stream);
  CUDA_CHECK(cudaStreamSynchronize(stream));  // staging is reused
  return d;
}

template <class T>
cuda::DeviceBuffer<T> upload(std::span<const T> host, cudaStream_t stream) {
  cuda::DeviceBuffer<T> d(host.size());
  d.upload(host, stream);
  return d;
}

}  // namespace cuda_quotient_detail

template <class Air>
void cuda_fold_on_domain(const Air& air, const QuotientFoldInputs& in, std::span<BabyBear4> out) {
  using namespace cuda_quotient_detail;
  const size_t nq = size_t{1} << in.log_quotient_size;
  TESSERA_CHECK(out.size() == nq && in.main != nullptr && in.main->height() == nq &&
                    in.inv_vanishing.size() == nq,
                ErrorKind::InvalidArgument, "cuda_fold_on_domain: inconsistent quotient inputs");
  cuda::CudaStream stream;
  std::vector<BabyBear> staging;
  const auto main = upload_columns(in.main, stream, staging);
  const auto prep = upload_columns(in.preprocessed, stream, staging);
  const auto perm = upload_columns(in.permutation, stream, staging);
  const auto first = upload(in.is_first_row, stream);
  const auto last = upload(in.is_last_row, stream);
  const auto transition = upload(in.is_transition, stream);
  const auto inv_zh = upload(in.inv_vanishing, stream);
  const auto pv = upload(in.public_values, stream);
  const auto alpha = upload(in.alpha_powers, stream);
  const auto gamma = upload(in.gamma_powers, stream);
  const auto batch_end = upload(in.batch_end, stream);

  FolderConstants k = in.constants();
  k.public_values = pv.data();
  k.alpha_powers = alpha.data();
  k.gamma_powers = gamma.data();
  k.batch_end = batch_end.data();

  cuda::DeviceBuffer<BabyBear4> d_out(nq);
  constexpr unsigned kThreads = 128;
  const unsigned blocks =
      static_cast<unsigned>(std::min<size_t>((nq + kThreads - 1) / kThreads, size_t{1} << 20));
  fold_kernel<Air><<<blocks, kThreads, 0, stream>>>(
      air, k, main.data(), prep.data(), perm.data(),
      DeviceSelectors{first.data(), last.data(), transition.data(), inv_zh.data()}, nq,
      nq >> in.log_n, d_out.data());
  CUDA_CHECK(cudaGetLastError());
  d_out.download(out, stream);
  stream.synchronize();
}

}  // namespace tessera
