#pragma once
// The Poseidon2 sponge (leaf and transcript hashing) and the two-to-one compression (Merkle nodes).
//
// Sponge convention: an overwrite-mode, padding-free sponge with rate 8 and capacity 8, as
// Plonky3's PaddingFreeSponge. The state starts at zero. The input is absorbed in chunks of 8: a
// chunk OVERWRITES state[0 .. len) (it is not added) and the state is permuted after every chunk; a
// final partial chunk of len < 8 elements overwrites only its len elements (the rest of the rate
// keeps the previous permutation's output) and is followed by one permutation. The digest is
// state[0 .. 8).
//
// No padding is needed because every length hashed by Tessera is fixed by the shape of the proof
// (matrix widths, digest sizes): two inputs of different lengths are never hashed in a context
// where one could be mistaken for the other, so the length need not be encoded.
//
// The empty input is defined as one permutation of the zero state (so it is not the zero digest,
// and it differs from the hash of any single chunk, which always overwrites at least one element).
//
// Compression: compress(l, r) = the first 8 elements of permute(l || r) (a truncated permutation,
// Plonky3's TruncatedPermutation).

#include <span>

#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera {

inline constexpr size_t kSpongeRate = 8;
inline constexpr size_t kSpongeCapacity = kPoseidon2Width - kSpongeRate;

Digest hash_elements(std::span<const BabyBear> values);
Digest compress(const Digest& left, const Digest& right);

// parents[i] = compress(children[2i], children[2i + 1]) for every i (one Merkle layer);
// children.size() must be 2 * parents.size() (else ErrorKind::InvalidArgument). Vectorised and
// spread over OpenMP threads; the result does not depend on either.
void compress_pairs(std::span<const Digest> children, std::span<Digest> parents,
                    Poseidon2Impl impl = Poseidon2Impl::Auto);

// out[r] = hash_elements(m.row(r)) for every row; out.size() must equal m.height()
// (else ErrorKind::InvalidArgument). Rows are hashed 16 (AVX-512) or 8 (AVX2) at a time, the blocks
// spread over OpenMP threads; the result does not depend on the thread count or the implementation.
void hash_rows(const RowMajorMatrix<BabyBear>& m, std::span<Digest> out,
               Poseidon2Impl impl = Poseidon2Impl::Auto);

}  // namespace tessera
