#pragma once
// The zkVM's Poseidon2 table: one permutation per row (air/poseidon2_air.hpp's 298 columns, every
// constraint of degree 3) answering two lookups:
//   p2_full  (in[16], out[16])     sponges (page hashing, I/O digests, the Poseidon2 system call)
//   p2_comp  (in[16], out[0..8))   two-to-one compressions (merkle nodes)
// with one multiplicity column each. Like the byte table it is the receiving side of a lookup:
// a message that is not a permutation in the table cannot be balanced.
//
// Poseidon2Requests collects the permutations the other tables look up while their traces are
// generated; equal inputs share a row (their multiplicities add up).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "air/poseidon2_air.hpp"
#include "field/babybear.hpp"
#include "hash/poseidon2.hpp"
#include "machine/buses.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

class Poseidon2Requests {
 public:
  // Records a lookup and returns the permutation of `in`.
  Poseidon2State full(const Poseidon2State& in);
  Poseidon2State compress(const Poseidon2State& in);
  // Appends another collection's requests (in its order).
  void merge(const Poseidon2Requests& other);

  struct Entry {
    Poseidon2State in{};
    uint32_t full = 0, comp = 0;
  };
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  Entry& entry(const Poseidon2State& in);
  struct Hash {
    size_t operator()(const Poseidon2State& s) const;
  };
  std::vector<Entry> entries_;
  std::unordered_map<Poseidon2State, size_t, Hash> index_;
};

class Poseidon2LookupAir : public AirBase {
 public:
  static constexpr uint32_t kFullColumn = poseidon2_cols::kPermutationWidth;
  static constexpr uint32_t kCompColumn = kFullColumn + 1;

  std::string name() const { return "poseidon2"; }
  size_t width() const { return kCompColumn + 1; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    Poseidon2Air::eval_permutation(b);
    const auto m = b.main();
    Expr message[32];
    for (uint32_t i = 0; i < 16; ++i) {
      message[i] = m.local(poseidon2_cols::input(i));
      message[16 + i] = m.local(poseidon2_cols::output(i));
    }
    b.interact(InteractionKind::Receive, kBusP2Full, message, 32, Expr(m.local(kFullColumn)),
               MultiplicityBound::lookup());
    b.interact(InteractionKind::Receive, kBusP2Comp, message, 24, Expr(m.local(kCompColumn)),
               MultiplicityBound::lookup());
  }

  // One row per request (padding: permutations of zero with multiplicities 0), height a power of
  // two >= 4.
  RowMajorMatrix<BabyBear> generate_trace(const Poseidon2Requests& requests) const;
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::Poseidon2LookupAir);
}  // namespace tessera
