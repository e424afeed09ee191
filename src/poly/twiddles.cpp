#include "poly/twiddles.hpp"

#include <mutex>

#include "common/check.hpp"
#include "field/field_ops.hpp"

namespace tessera {

namespace {

// The largest stage of a 2^log_size-point transform has m = 2^(log_size-1) and needs the powers
// of w = w_{2^log_size}; smaller stages use w_{2m} = w^(2^log_size / 2m), i.e. every
// (top/m)-th of those powers.
std::shared_ptr<NttTwiddles> build(uint32_t log_size) {
  auto t = std::make_shared<NttTwiddles>();
  t->log_size = log_size;
  const size_t size = size_t{1} << log_size;
  t->forward.assign(size, BabyBear::zero());
  t->inverse.assign(size, BabyBear::zero());
  if (log_size == 0) return t;
  const size_t top = size / 2;
  const BabyBear w = BabyBear::two_adic_generator(log_size);
  shifted_powers(w, BabyBear::one(), std::span<BabyBear>(t->forward.data() + top, top));
  shifted_powers(w.inverse(), BabyBear::one(), std::span<BabyBear>(t->inverse.data() + top, top));
  for (size_t m = top / 2; m >= 1; m /= 2) {
    const size_t stride = top / m;
    for (size_t j = 0; j < m; ++j) {
      t->forward[m + j] = t->forward[top + j * stride];
      t->inverse[m + j] = t->inverse[top + j * stride];
    }
  }
  return t;
}

}  // namespace

std::shared_ptr<const NttTwiddles> ntt_twiddles(uint32_t log_n) {
  TESSERA_CHECK(
      log_n <= BabyBear::kTwoAdicity, ErrorKind::InvalidArgument,
      "NTT of 2^" << log_n << " points exceeds the two-adicity " << BabyBear::kTwoAdicity);
  // Small tables are cheap; building at least 2^16 entries avoids regrowing for every size.
  constexpr uint32_t kMinLog = 16;
  static std::mutex mutex;
  static std::shared_ptr<const NttTwiddles> cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (!cached || cached->log_size < log_n) {
    cached = build(std::max(log_n, std::min(kMinLog, BabyBear::kTwoAdicity)));
  }
  return cached;
}

}  // namespace tessera
