#pragma once
// The plan and the per-thread logic of the CUDA NTT (kernels/ntt.cu), written as plain C++ with
// TESSERA_HD so that exactly the same code runs in the kernels and in a CPU emulation of them
// (tests/poly/test_ntt_gpu_schedule.cpp), which checks the plan bit for bit against the CPU
// reference — and checks that no two thread blocks of a pass touch the same element — on
// machines without a GPU.
//
// The transforms are those of src/poly/ntt.cpp (read its header comment first): radix-2 DIT /
// DIF with the stage-major twiddle table, coset LDE via inverse transform + per-row factors +
// the remaining stages. On the GPU:
//
// Passes. Consecutive stages [s0, s1) are fused into one kernel launch ("pass"). A pass splits
// the rows into independent groups, row = hi 2^s1 + t 2^s0 + lo (t < R = 2^(s1-s0)); one thread
// block loads a group into shared memory, runs its R-point sub-transforms there (syncthreads
// between stages) and stores it back, so a pass reads and writes the matrix once.
//
// Segments and coalescing. A block's group is R rows x one "segment" of seg contiguous
// elements: 32 consecutive columns of a row when the matrix has >= 32 columns (a warp reads 128
// contiguous bytes), or, for narrower matrices, L = 2^log_tile consecutive rows times all columns
// (lo in [lo0, lo0 + L)), which are contiguous in row-major storage. Thread (tx, ty) owns element
// tx of the segment and rows t = ty, ty + block_y, ...; the twiddle of a butterfly depends on t
// and on lo only, so a warp spanning one segment of a wide matrix reads one twiddle (broadcast).
//
// Loads and stores. The first pass of a chain may read rows in bit-reversed order (forward
// NTT: natural -> bit-reversed input of the DIT); the last pass may write rows bit-reversed and
// scaled (inverse NTT), or multiplied by per-row LDE factors and replicated into B rows (natural
// LDE: row j -> rows jB..jB+B-1) or into B blocks (bit-reversed LDE: row k -> rows tn + k).
// Reading one buffer in permuted order while writing it is only safe inside a single block, so a
// chain of >= 2 passes with a permuted load or store runs through a workspace buffer.
#include <cstdint>
#include <vector>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera::cuda::ntt {

inline constexpr uint32_t kSegmentElems = 32;  // one warp of consecutive elements
inline constexpr uint32_t kTileElems = 8192;   // shared-memory tile: 32 KiB
inline constexpr uint32_t kThreads = 512;      // threads per block (at most)

enum class Load : uint32_t { Plain, BitReversed };
enum class Store : uint32_t { Plain, BitReversedScaled, Replicate, Blocks };

// The shape of one pass over a transform of 2^log_rows rows.
struct PassShape {
  uint32_t s0 = 0, s1 = 0;    // stages [s0, s1) (s0 == s1: a pure load/store pass)
  uint32_t log_tile = 0;      // L = 2^log_tile consecutive rows per segment
  uint32_t seg = 0;           // elements per segment = blockDim.x
  uint32_t block_y = 0;       // blockDim.y
  uint64_t col_chunks = 0;    // segments across the width
  uint64_t tiles_per_hi = 0;  // 2^(s0 - log_tile)
  uint64_t blocks = 0;        // groups x col_chunks
  TESSERA_HD constexpr uint32_t rows() const { return 1u << (s1 - s0); }
  uint64_t smem_bytes() const { return uint64_t{rows()} * seg * sizeof(BabyBear); }
};

// Everything a pass kernel needs (passed by value to the kernel).
struct PassArgs {
  const BabyBear* src = nullptr;
  BabyBear* dst = nullptr;
  const BabyBear* tw = nullptr;       // stage-major twiddles (forward or inverse)
  const BabyBear* factors = nullptr;  // Replicate / Blocks factors
  BabyBear scale;                     // BitReversedScaled
  uint64_t width = 0;
  uint32_t log_rows = 0;    // rows of the transform the stages act on
  uint32_t log_copies = 0;  // B = 2^log_copies for Replicate / Blocks
  bool dit = true;
  Load load = Load::Plain;
  Store store = Store::Plain;
  PassShape shape;
};

// Per-row LDE factors, computed by a small kernel before the passes.
enum class FactorKind : uint32_t { Replicate, Blocks };
struct FactorArgs {
  BabyBear* out = nullptr;
  uint64_t count = 0;
  FactorKind kind = FactorKind::Replicate;
  BabyBear shift, n_inv, w_big;  // w_big = w_N, N = n B
  uint32_t log_n = 0, log_copies = 0;
};

struct Step {
  bool is_factors = false;
  PassArgs pass;
  FactorArgs factors;
};

// ---- planning (host) --------------------------------------------------------------------------

inline uint32_t log_tile_target(uint64_t width) {
  uint32_t l = 0;
  while ((uint64_t{2} << l) * width <= kSegmentElems) ++l;
  return l;
}

inline PassShape make_shape(uint32_t log_rows, uint64_t width, uint32_t s0, uint32_t s1) {
  PassShape p;
  p.s0 = s0;
  p.s1 = s1;
  const bool wide = width >= kSegmentElems;
  p.log_tile = wide ? 0 : (log_tile_target(width) < s0 ? log_tile_target(width) : s0);
  p.seg = wide ? kSegmentElems : static_cast<uint32_t>((uint64_t{1} << p.log_tile) * width);
  p.col_chunks = wide ? (width + kSegmentElems - 1) / kSegmentElems : 1;
  p.tiles_per_hi = uint64_t{1} << (s0 - p.log_tile);
  p.blocks = (uint64_t{1} << (log_rows - s1)) * p.tiles_per_hi * p.col_chunks;
  const uint32_t butterflies = p.rows() > 1 ? p.rows() / 2 : 1;
  uint32_t y = kThreads / p.seg;
  if (y < 1) y = 1;
  if (y > butterflies) y = butterflies;
  p.block_y = y;
  return p;
}

// Most stages a pass starting at s0 can fuse: R seg <= kTileElems.
inline uint32_t max_stages(uint32_t log_rows, uint64_t width, uint32_t s0) {
  const uint64_t seg = make_shape(log_rows, width, s0, s0).seg;
  uint32_t len = 0;
  while ((uint64_t{2} << len) * seg <= kTileElems) ++len;
  return len > 0 ? len : 1;
}

// Passes covering stages [first, end) in ascending order; one empty pass when first == end.
inline std::vector<PassShape> plan_passes(uint32_t log_rows, uint64_t width, uint32_t first,
                                          uint32_t end) {
  std::vector<PassShape> shapes;
  if (first >= end) {
    shapes.push_back(make_shape(log_rows, width, first, first));
    return shapes;
  }
  std::vector<uint32_t> bounds{first};
  while (bounds.back() < end) {
    const uint32_t s0 = bounds.back();
    const uint32_t len = max_stages(log_rows, width, s0);
    bounds.push_back(s0 + len < end ? s0 + len : end);
  }
  const uint64_t passes = bounds.size() - 1;
  if (width >= kSegmentElems) {  // the same tile shape in every pass: spread stages evenly
    const uint64_t stages = end - first;
    for (uint64_t p = 0; p <= passes; ++p) {
      bounds[p] = first + static_cast<uint32_t>((p * stages + passes - 1) / passes);
    }
  }
  for (uint64_t p = 0; p < passes; ++p) {
    shapes.push_back(make_shape(log_rows, width, bounds[p], bounds[p + 1]));
  }
  return shapes;
}

// Appends the passes of one transform chain: DIT runs the shapes ascending, DIF descending. The
// first pass reads `src` with `first_load`, the last writes `dst` with `last_store`; passes in
// between work in `work` (which must be distinct from src/dst when the chain has >= 2 passes
// and a permuted load or store, or src != dst; otherwise it may be nullptr and dst is used).
inline void append_chain(std::vector<Step>& steps, const std::vector<PassShape>& shapes,
                         const PassArgs& base, const BabyBear* src, BabyBear* dst, BabyBear* work,
                         Load first_load, Store last_store) {
  const size_t k = shapes.size();
  BabyBear* mid = work != nullptr ? work : dst;
  for (size_t i = 0; i < k; ++i) {
    Step step;
    step.pass = base;
    step.pass.shape = shapes[base.dit ? i : k - 1 - i];
    step.pass.src = i == 0 ? src : mid;
    step.pass.dst = i + 1 == k ? dst : mid;
    step.pass.load = i == 0 ? first_load : Load::Plain;
    step.pass.store = i + 1 == k ? last_store : Store::Plain;
    steps.push_back(step);
  }
}

// A complete operation: its steps and the workspace (elements) it needs. Plan once with
// workspace = nullptr to learn the size, allocate, plan again with the pointer.
struct Schedule {
  std::vector<Step> steps;
  uint64_t workspace_elems = 0;
};

// Forward NTT in place on `data` (n = 2^log_n rows, natural -> natural): bit-reversed gather in
// the first pass, then DIT.
inline Schedule schedule_forward(BabyBear* data, uint32_t log_n, uint64_t width,
                                 const BabyBear* tw_forward, BabyBear* workspace) {
  Schedule s;
  if (width == 0 || log_n == 0) return s;
  const auto shapes = plan_passes(log_n, width, 0, log_n);
  if (shapes.size() > 1) s.workspace_elems = (uint64_t{1} << log_n) * width;
  PassArgs base;
  base.tw = tw_forward;
  base.width = width;
  base.log_rows = log_n;
  base.dit = true;
  append_chain(s.steps, shapes, base, data, data, workspace, Load::BitReversed, Store::Plain);
  return s;
}

// Inverse NTT in place: DIF with inverse twiddles, the last pass writes rows bit-reversed and
// multiplied by 1/n.
inline Schedule schedule_inverse(BabyBear* data, uint32_t log_n, uint64_t width,
                                 const BabyBear* tw_inverse, BabyBear* workspace) {
  Schedule s;
  if (width == 0 || log_n == 0) return s;
  const auto shapes = plan_passes(log_n, width, 0, log_n);
  if (shapes.size() > 1) s.workspace_elems = (uint64_t{1} << log_n) * width;
  PassArgs base;
  base.tw = tw_inverse;
  base.width = width;
  base.log_rows = log_n;
  base.dit = false;
  base.scale = BabyBear::from_u64(uint64_t{1} << log_n).inverse();
  append_chain(s.steps, shapes, base, data, data, workspace, Load::Plain, Store::BitReversedScaled);
  return s;
}

// Coset LDE: evals (n rows) -> out (N = n B rows), natural or bit-reversed row order. Workspace
// layout: [factors (n or N) | intermediate rows (n x width, only for multi-pass inverses)].
//   Natural:      DIF^-1 (n rows) -> last pass stores row j as c_rev(j) s^rev(j) into rows
//                 jB..jB+B-1 -> DIT stages [log B, log N) in place on out.
//   BitReversed:  gather + DIT^-1 -> natural coefficients; the last pass stores row k as
//                 c_k (s g_t)^k into row t n + k of every block t -> DIF stages [0, log n) in
//                 place on out (B independent n-point transforms).
inline Schedule schedule_coset_lde(const BabyBear* evals, BabyBear* out, uint32_t log_n,
                                   uint64_t width, uint32_t log_blowup, BabyBear shift,
                                   bool bit_reversed, const BabyBear* tw_forward,
                                   const BabyBear* tw_inverse, BabyBear* workspace) {
  Schedule s;
  if (width == 0) return s;
  const uint32_t log_big = log_n + log_blowup;
  const uint64_t n = uint64_t{1} << log_n;
  const uint64_t factor_elems = bit_reversed ? (n << log_blowup) : n;
  const auto inverse_shapes = plan_passes(log_n, width, 0, log_n);
  s.workspace_elems = factor_elems + (inverse_shapes.size() > 1 ? n * width : 0);
  BabyBear* factors = workspace;
  BabyBear* rows =
      workspace != nullptr && inverse_shapes.size() > 1 ? workspace + factor_elems : nullptr;

  Step f;
  f.is_factors = true;
  f.factors.out = factors;
  f.factors.count = factor_elems;
  f.factors.kind = bit_reversed ? FactorKind::Blocks : FactorKind::Replicate;
  f.factors.shift = shift;
  f.factors.n_inv = BabyBear::from_u64(n).inverse();
  f.factors.w_big = BabyBear::two_adic_generator(log_big);
  f.factors.log_n = log_n;
  f.factors.log_copies = log_blowup;
  s.steps.push_back(f);

  PassArgs inv;
  inv.tw = tw_inverse;
  inv.factors = factors;
  inv.width = width;
  inv.log_rows = log_n;
  inv.log_copies = log_blowup;
  inv.dit = bit_reversed;
  append_chain(s.steps, inverse_shapes, inv, evals, out, rows,
               bit_reversed ? Load::BitReversed : Load::Plain,
               bit_reversed ? Store::Blocks : Store::Replicate);
  if (log_n == 0) return s;

  PassArgs fwd;
  fwd.tw = tw_forward;
  fwd.width = width;
  fwd.log_rows = log_big;
  fwd.dit = !bit_reversed;
  const auto forward_shapes = bit_reversed ? plan_passes(log_big, width, 0, log_n)
                                           : plan_passes(log_big, width, log_blowup, log_big);
  append_chain(s.steps, forward_shapes, fwd, out, out, nullptr, Load::Plain, Store::Plain);
  return s;
}

// ---- per-thread logic (host and device) --------------------------------------------------------

// What thread column tx of a block handles: rows row0 | (t << s0), column col.
struct Lane {
  uint64_t row0 = 0;
  uint64_t col = 0;
  uint64_t lo = 0;
  bool valid = false;
};

TESSERA_HD_INLINE Lane lane_of(const PassArgs& a, uint64_t block, uint32_t tx) {
  const PassShape& p = a.shape;
  const uint64_t gi = block / p.col_chunks, chunk = block % p.col_chunks;
  const uint64_t hi = gi / p.tiles_per_hi;
  const uint64_t lo0 = (gi % p.tiles_per_hi) << p.log_tile;
  Lane l;
  if (a.width >= kSegmentElems) {
    l.col = chunk * kSegmentElems + tx;
    l.lo = lo0;
    l.valid = l.col < a.width;
  } else {
    l.col = tx % a.width;
    l.lo = lo0 + tx / a.width;
    l.valid = true;
  }
  l.row0 = (hi << p.s1) | l.lo;
  return l;
}

TESSERA_HD_INLINE uint64_t lane_row(const PassArgs& a, const Lane& l, uint32_t t) {
  return l.row0 | (uint64_t{t} << a.shape.s0);
}

TESSERA_HD_INLINE void load_tile(const PassArgs& a, const Lane& l, uint32_t tx, uint32_t ty,
                                 BabyBear* tile) {
  const uint32_t rows = a.shape.rows();
  for (uint32_t t = ty; t < rows; t += a.shape.block_y) {
    BabyBear v = BabyBear::zero();
    if (l.valid) {
      uint64_t r = lane_row(a, l, t);
      if (a.load == Load::BitReversed) r = reverse_bits(r, a.log_rows);
      v = a.src[r * a.width + l.col];
    }
    tile[t * a.shape.seg + tx] = v;
  }
}

// Stage s of the pass: butterflies (t, t + h), h = 2^(s - s0), t = ((b >> lh) << (lh+1)) | (b mod
// h) for b < R/2, with twiddle w_{2m}^j, m = 2^s, j = ((b mod h) << s0) | lo.
TESSERA_HD_INLINE void butterfly_stage(const PassArgs& a, const Lane& l, uint32_t s, uint32_t tx,
                                       uint32_t ty, BabyBear* tile) {
  const uint32_t lh = s - a.shape.s0;
  const uint32_t h = 1u << lh;
  const uint32_t half = a.shape.rows() / 2;
  const uint32_t seg = a.shape.seg;
  const BabyBear* stage_tw = a.tw + (uint64_t{1} << s);
  for (uint32_t b = ty; b < half; b += a.shape.block_y) {
    const uint32_t t = ((b >> lh) << (lh + 1)) | (b & (h - 1));
    const BabyBear w = stage_tw[(uint64_t{b & (h - 1)} << a.shape.s0) | l.lo];
    BabyBear& x = tile[t * seg + tx];
    BabyBear& y = tile[(t + h) * seg + tx];
    const BabyBear u = x, v = y;
    if (a.dit) {
      const BabyBear vw = v * w;
      x = u + vw;
      y = u - vw;
    } else {
      x = u + v;
      y = (u - v) * w;
    }
  }
}

TESSERA_HD_INLINE void store_tile(const PassArgs& a, const Lane& l, uint32_t tx, uint32_t ty,
                                  const BabyBear* tile) {
  if (!l.valid) return;
  const uint32_t rows = a.shape.rows();
  const uint64_t n = uint64_t{1} << a.log_rows;
  const uint64_t copies = uint64_t{1} << a.log_copies;
  for (uint32_t t = ty; t < rows; t += a.shape.block_y) {
    const BabyBear v = tile[t * a.shape.seg + tx];
    const uint64_t r = lane_row(a, l, t);
    switch (a.store) {
      case Store::Plain:
        a.dst[r * a.width + l.col] = v;
        break;
      case Store::BitReversedScaled:
        a.dst[reverse_bits(r, a.log_rows) * a.width + l.col] = v * a.scale;
        break;
      case Store::Replicate: {
        const BabyBear x = v * a.factors[r];
        for (uint64_t c = 0; c < copies; ++c) a.dst[(r * copies + c) * a.width + l.col] = x;
        break;
      }
      case Store::Blocks:
        for (uint64_t c = 0; c < copies; ++c) {
          a.dst[(c * n + r) * a.width + l.col] = v * a.factors[c * n + r];
        }
        break;
    }
  }
}

// Replicate: factor[j] = s^rev_n(j) / n.  Blocks: factor[t n + k] = (s w_N^rev_B(t))^k / n.
TESSERA_HD_INLINE BabyBear factor_at(const FactorArgs& f, uint64_t i) {
  if (f.kind == FactorKind::Replicate) {
    return f.shift.pow(reverse_bits(i, f.log_n)) * f.n_inv;
  }
  const uint64_t t = i >> f.log_n, k = i & ((uint64_t{1} << f.log_n) - 1);
  return (f.shift * f.w_big.pow(reverse_bits(t, f.log_copies))).pow(k) * f.n_inv;
}

}  // namespace tessera::cuda::ntt
