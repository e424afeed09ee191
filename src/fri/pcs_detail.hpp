#pragma once
// Internals shared by the PCS prover (pcs.cpp) and verifier (pcs_verify.cpp): argument checks and
// the two heavy per-row primitives, routed to the backend.

#include <cstddef>
#include <span>

#include "backend/backend.hpp"
#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "fri/deep_quotient.hpp"
#include "fri/domain.hpp"
#include "fri/fri_config.hpp"

namespace tessera::fri_detail {

// A committed matrix's domain: log_final_poly_len <= log_size and log_size + log_blowup <= 27.
void check_domain(const FriConfig& config, const TwoAdicDomain& domain, const char* what,
                  size_t matrix);

// acc[i] += reduced-opening contributions of `lde` (deep_quotient.hpp).
void reduce_openings(Backend& backend, const RowMajorMatrix<BabyBear>& lde,
                     std::span<const BabyBear4> alpha_powers,
                     std::span<const ReducedOpeningPoint> points, std::span<BabyBear4> acc);

// out = fold of `in` with beta (fri_fold.hpp); inv_x a prefix-compatible inverse-point table.
void fold_layer(Backend& backend, std::span<const BabyBear4> in, BabyBear4 beta,
                std::span<const BabyBear> inv_x, std::span<BabyBear4> out);

}  // namespace tessera::fri_detail
