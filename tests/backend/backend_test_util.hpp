#pragma once
// Seeded matrices and error-kind assertions for the backend tests.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera::test {

inline RowMajorMatrix<BabyBear> random_matrix(size_t width, size_t height, uint64_t seed) {
  std::mt19937_64 rng(seed);
  RowMajorMatrix<BabyBear> m(width, height);
  for (BabyBear& v : m.values()) v = BabyBear::from_u64(rng() % BabyBear::kModulus);
  return m;
}

inline std::vector<const RowMajorMatrix<BabyBear>*> pointers(
    const std::vector<RowMajorMatrix<BabyBear>>& ms) {
  std::vector<const RowMajorMatrix<BabyBear>*> ps;
  for (const auto& m : ms) ps.push_back(&m);
  return ps;
}

// Runs `f`, checks that it throws tessera::Error of `kind` whose message contains `needle`.
template <typename F>
void expect_error(ErrorKind kind, F&& f, const std::string& needle = "") {
  try {
    f();
    ADD_FAILURE() << "expected tessera::Error of kind " << error_kind_name(kind)
                  << ", nothing was thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << "got " << error_kind_name(e.kind()) << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message '" << e.what() << "' does not mention '" << needle << "'";
  }
}

}  // namespace tessera::test
