// The Backend's FRI primitives: argument checks (public methods) and the CPU reference (the
// default do_* implementations, used by the CPU backend and by any backend without its own).
#include "backend/backend.hpp"
#include "common/check.hpp"
#include "fri/deep_quotient.hpp"
#include "fri/fri_fold.hpp"

namespace tessera {

void Backend::fri_fold(std::span<const BabyBear4> in, BabyBear4 beta,
                       std::span<const BabyBear> inv_x, std::span<BabyBear4> out) {
  TESSERA_CHECK(!out.empty() && in.size() == 2 * out.size(), ErrorKind::InvalidArgument,
                "fri_fold: " << in.size() << " values cannot fold into " << out.size());
  TESSERA_CHECK(inv_x.size() >= out.size(), ErrorKind::InvalidArgument,
                "fri_fold: inverse-point table of " << inv_x.size() << " < " << out.size());
  do_fri_fold(in, beta, inv_x, out);
}

void Backend::reduce_openings(const RowMajorMatrix<BabyBear>& lde,
                              std::span<const BabyBear4> alpha_powers,
                              std::span<const ReducedOpeningPoint> points,
                              std::span<BabyBear4> acc) {
  TESSERA_CHECK(acc.size() == lde.height(), ErrorKind::InvalidArgument,
                "reduce_openings: accumulator of " << acc.size() << " for an LDE of "
                                                   << lde.height() << " rows");
  TESSERA_CHECK(
      alpha_powers.size() == lde.width(), ErrorKind::InvalidArgument,
      "reduce_openings: " << alpha_powers.size() << " alpha powers for width " << lde.width());
  for (const ReducedOpeningPoint& p : points) {
    TESSERA_CHECK(p.inv_denoms.size() >= lde.height(), ErrorKind::InvalidArgument,
                  "reduce_openings: " << p.inv_denoms.size() << " inverse denominators for "
                                      << lde.height() << " rows");
  }
  if (points.empty() || lde.height() == 0) return;
  do_reduce_openings(lde, alpha_powers, points, acc);
}

void Backend::do_fri_fold(std::span<const BabyBear4> in, BabyBear4 beta,
                          std::span<const BabyBear> inv_x, std::span<BabyBear4> out) {
  fri_fold_layer_cpu(in, beta, inv_x, out);
}

void Backend::do_reduce_openings(const RowMajorMatrix<BabyBear>& lde,
                                 std::span<const BabyBear4> alpha_powers,
                                 std::span<const ReducedOpeningPoint> points,
                                 std::span<BabyBear4> acc) {
  reduce_openings_cpu(lde, alpha_powers, points, acc);
}

}  // namespace tessera
