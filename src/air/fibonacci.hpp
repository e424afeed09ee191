#pragma once
// The Fibonacci AIR: two columns (a, b) with
//     row 0:          a = x0, b = x1                (public values 0 and 1)
//     transition:     a' = b,  b' = a + b
//     last row:       b = result                    (public value 2)
// so the table proves that the (n-th) Fibonacci-like number starting from (x0, x1) is `result`
// (mod p). The smallest complete example of the AIR interface (stark/air.hpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera {

struct FibonacciAir : AirBase {
  static constexpr size_t kA = 0, kB = 1;

  std::string name() const { return "fibonacci"; }
  size_t width() const { return 2; }
  size_t num_public_values() const { return 3; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr a = m.local(kA), bb = m.local(kB);
    const Expr a_next = m.next(kA), b_next = m.next(kB);
    b.when_first_row().assert_eq("fib.first_a", a, b.public_value(0));
    b.when_first_row().assert_eq("fib.first_b", bb, b.public_value(1));
    b.when_transition().assert_eq("fib.next_a", a_next, bb);
    b.when_transition().assert_eq("fib.next_b", b_next, a + bb);
    b.when_last_row().assert_eq("fib.result", bb, b.public_value(2));
  }
};

TESSERA_CUDA_QUOTIENT_AIR(FibonacciAir);

// The trace of 2^log_height rows starting at (x0, x1), and its public values {x0, x1, result}.
struct FibonacciWitness {
  RowMajorMatrix<BabyBear> trace;
  std::vector<BabyBear> public_values;
};
inline FibonacciWitness fibonacci_witness(uint32_t log_height, BabyBear x0 = BabyBear::zero(),
                                          BabyBear x1 = BabyBear::one()) {
  const size_t n = size_t{1} << log_height;
  RowMajorMatrix<BabyBear> t(2, n);
  BabyBear a = x0, b = x1;
  for (size_t r = 0; r < n; ++r) {
    t.at(r, 0) = a;
    t.at(r, 1) = b;
    const BabyBear c = a + b;
    a = b;
    b = c;
  }
  const BabyBear result = t.at(n - 1, 1);
  return {std::move(t), {x0, x1, result}};
}

}  // namespace tessera
