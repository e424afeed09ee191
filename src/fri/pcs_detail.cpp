#include "fri/pcs_detail.hpp"

#include "common/check.hpp"

namespace tessera::fri_detail {

void check_domain(const FriConfig& config, const TwoAdicDomain& domain, const char* what,
                  size_t matrix) {
  TESSERA_CHECK(domain.log_size >= config.log_final_poly_len &&
                    domain.log_size + config.log_blowup <= BabyBear::kTwoAdicity,
                ErrorKind::InvalidArgument,
                what << ": matrix " << matrix << " has a domain of size 2^" << domain.log_size
                     << "; need 2^" << config.log_final_poly_len << " <= size and size * 2^"
                     << config.log_blowup << " <= 2^" << BabyBear::kTwoAdicity);
  TESSERA_CHECK(!domain.shift.is_zero(), ErrorKind::InvalidArgument,
                what << ": matrix " << matrix << " has a domain with shift 0");
}

void reduce_openings(Backend& backend, const RowMajorMatrix<BabyBear>& lde,
                     std::span<const BabyBear4> alpha_powers,
                     std::span<const ReducedOpeningPoint> points, std::span<BabyBear4> acc) {
  backend.reduce_openings(lde, alpha_powers, points, acc);
}

void fold_layer(Backend& backend, std::span<const BabyBear4> in, BabyBear4 beta,
                std::span<const BabyBear> inv_x, std::span<BabyBear4> out) {
  backend.fri_fold(in, beta, inv_x, out);
}

}  // namespace tessera::fri_detail
