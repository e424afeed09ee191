// Radix-2 NTTs on row-major matrices (see ntt.hpp for the API and the notation).
//
// The two butterflies, for a stage of half-size m = 2^s (blocks of 2m rows, j in [0, m), twiddle
// t = w_{2m}^j from the stage-major table of twiddles.hpp):
//
//   Cooley–Tukey, decimation in time (DIT):        a' = a + t b,   b' = a - t b
//   Gentleman–Sande, decimation in frequency (DIF): a' = a + b,     b' = (a - b) t
//
// A DIT transform runs the stages s = 0, 1, ..., k-1 and maps BIT-REVERSED input to NATURAL
// output; a DIF transform runs s = k-1, ..., 0 and maps NATURAL input to BIT-REVERSED output.
// Both compute e_i = sum_j c_j w_n^(ij) (the DFT); with the inverse twiddles w^-j they compute
// the unscaled inverse DFT n * c. Hence:
//
//   ntt_forward = bit-reverse rows, then DIT               (natural -> natural)
//   ntt_inverse = DIF with w^-1, then bit-reverse and scale by n^-1 in one pass
//   coset_lde   = DIF with w^-1 (natural evals -> bit-reversed coefficients, no reversal pass),
//                 then the bit-reversed coefficient vector of the N-point transform is formed
//                 directly (below), then DIT (bit-reversed -> natural evaluations). No explicit
//                 bit-reversal pass at all.
//   coset_lde, bit-reversed output: copy the n input rows in bit-reversed order, inverse DIT
//                 (-> natural coefficients), then B independent n-point DIFs (below).
//
// Coset LDE in detail. f(X) = sum_{k<n} c_k X^k; we want f(s w_N^i) = sum_k (c_k s^k) w_N^(ik),
// the N-point DFT of the zero-padded vector (c_k s^k). After the inverse DIF, row j holds
// n c_{rev_n(j)}. In the bit-reversed order of N = n B points, coefficient k < n sits at
// rev_N(k) = rev_n(k) * B, i.e. row j*B, and every other row is zero. The first log B DIT stages
// only combine rows within aligned blocks of B, where all but the first row are zero; each such
// stage copies the block's first row into its partner (a + t*0 = a - t*0 = a). So after them
// every row of block j equals c_{rev_n(j)} s^{rev_n(j)}: we write that replicated block directly
// and run only the remaining log n DIT stages.
//
// Bit-reversed LDE. Write a row index of the N = n B points as i = t n + i' (t < B, i' < n).
// Then rev_N(i) = rev_n(i') B + rev_B(t), so row i holds f(s w_N^rev_B(t) w_n^rev_n(i')): block t
// of n rows is the evaluation of f on the coset (s g_t) H, g_t = w_N^rev_B(t), in bit-reversed
// order, i.e. the n-point DIF of the natural-order coefficients c_k (s g_t)^k.
//
// Memory. A stage touches every row once, so a naive transform streams the whole matrix k
// times. Instead consecutive stages are fused into passes: stages [s0, s1) decompose into
// independent groups of 2^(s1-s0) rows (row = hi 2^s1 + t 2^s0 + lo, fixed hi and lo, t varies),
// and each group runs all of its stages while it is in cache. Groups (and, for wide matrices,
// column chunks of them) are the unit of OpenMP parallelism. Every value is computed by the same
// exact field operations whatever the schedule, so results are bit-identical for any thread count.

#include "poly/ntt.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "common/check.hpp"
#include "field/field_ops.hpp"
#include "matrix/huge_page_storage.hpp"
#include "poly/butterflies.hpp"
#include "poly/twiddles.hpp"

namespace tessera {

namespace {

// Tuning: a group's working set (rows x columns of one chunk), in field elements. 2^13 elements
// = 32 KiB sits in L1/L2; each pass then covers log2(kGroupElems / chunk width) stages.
constexpr size_t kGroupElems = size_t{1} << 13;
// Columns per chunk: wide matrices are split so that groups stay small and there is parallelism
// even for few rows.
constexpr size_t kMaxChunkCols = 128;
// Matrices narrower than this are processed in tiles of several consecutive rows (see Group),
// so that the inner loops still run over >= kNarrowWidth contiguous values.
constexpr size_t kNarrowWidth = 32;
// Below this many elements a transform runs on the calling thread.
constexpr size_t kParallelElems = size_t{1} << 15;

using ntt_detail::dif_rows;
using ntt_detail::dit_rows;
using ntt_detail::scale_row;

enum class Direction { kDit, kDif };

// One group of a pass over stages [s0, s1): rows hi 2^s1 + t 2^s0 + lo, t in [0, 2^(s1-s0)),
// lo in the tile [lo0, lo0 + tile), columns [c0, c0 + cw). Stage s >= s0 pairs t with t + h,
// h = 2^(s-s0), inside blocks of 2h; the butterfly's index inside its 2m-block (m = 2^s) is
// j = row mod m = ((t mod h) << s0) | lo, so the twiddles of a tile's rows are consecutive
// entries of the stage's table, and when s0 = 0 so are those of all t in a block.
struct Group {
  BabyBear* data;
  size_t width;
  size_t c0, cw;
  size_t hi, lo0, tile;
  uint32_t s0, s1;
};

void run_group(const Group& g, Direction dir, const BabyBear* tw) {
  const size_t count = size_t{1} << (g.s1 - g.s0);
  const size_t row0 = (g.hi << g.s1) | g.lo0;
  const auto stage = [&](uint32_t s) {
    const size_t h = size_t{1} << (s - g.s0);
    const BabyBear* stage_tw = tw + (size_t{1} << s);
    const auto rows = dir == Direction::kDit ? dit_rows : dif_rows;
    const size_t stride = g.width;
    for (size_t tb = 0; tb < count; tb += 2 * h) {
      if (g.s0 == 0) {  // contiguous: all h butterflies of the block in one call
        BabyBear* a = g.data + (row0 + tb) * stride + g.c0;
        rows(a, a + h * stride, stage_tw, h, stride, g.cw);
        continue;
      }
      for (size_t t = 0; t < h; ++t) {
        BabyBear* a = g.data + (row0 + ((tb + t) << g.s0)) * stride + g.c0;
        BabyBear* b = a + (h << g.s0) * stride;
        const BabyBear* w = stage_tw + ((t << g.s0) | g.lo0);
        rows(a, b, w, g.tile, stride, g.cw);
      }
    }
  };
  if (dir == Direction::kDit) {
    for (uint32_t s = g.s0; s < g.s1; ++s) stage(s);
  } else {
    for (uint32_t s = g.s1; s-- > g.s0;) stage(s);
  }
}

// Runs stages [first_stage, log_n) of a DIT (ascending) or DIF (descending) transform over all
// columns, fused into cache-sized passes.
void run_stages(BabyBear* data, uint32_t log_n, size_t width, uint32_t first_stage, Direction dir,
                const BabyBear* tw) {
  if (width == 0 || first_stage >= log_n) return;
  const size_t n = size_t{1} << log_n;
  const size_t chunks = (width + kMaxChunkCols - 1) / kMaxChunkCols;
  const size_t chunk_cols = (width + chunks - 1) / chunks;
  // Narrow matrices: tiles of `tile_target` consecutive rows (when the pass's stride allows).
  size_t tile_target = 1;
  while (tile_target * 2 * width <= kNarrowWidth) tile_target *= 2;
  const auto tile_for = [&](uint32_t s0) { return std::min(tile_target, size_t{1} << s0); };
  // Pass boundaries, greedily: each pass takes as many stages as fit a group in kGroupElems.
  std::vector<uint32_t> bounds{first_stage};
  while (bounds.back() < log_n) {
    const uint32_t s0 = bounds.back();
    uint32_t len = 1;
    while (s0 + len < log_n && (size_t{2} << len) * tile_for(s0) * chunk_cols <= kGroupElems) ++len;
    bounds.push_back(s0 + len);
  }
  const size_t passes = bounds.size() - 1;
  if (tile_target == 1) {  // same group shape in every pass: spread the stages evenly
    const uint32_t stages = log_n - first_stage;
    for (size_t p = 0; p <= passes; ++p) {
      bounds[p] = first_stage + static_cast<uint32_t>((p * stages + passes - 1) / passes);
    }
  }
  const bool parallel = n * width >= kParallelElems;
  for (size_t q = 0; q < passes; ++q) {
    const size_t p = dir == Direction::kDit ? q : passes - 1 - q;
    const uint32_t s0 = bounds[p], s1 = bounds[p + 1];
    const size_t tile = tile_for(s0);
    const size_t tiles_per_hi = (size_t{1} << s0) / tile;
    const size_t groups = (n >> s1) * tiles_per_hi;
    const size_t tasks = groups * chunks;
#pragma omp parallel for schedule(static) if (parallel)
    for (size_t task = 0; task < tasks; ++task) {
      const size_t gi = task / chunks, chunk = task % chunks;
      Group g{
          data, width, chunk * chunk_cols, 0, gi / tiles_per_hi, (gi % tiles_per_hi) * tile, tile,
          s0,   s1};
      g.cw = std::min(chunk_cols, width - g.c0);
      run_group(g, dir, tw);
    }
  }
}

uint32_t checked_log_height(size_t height, const char* what) {
  const uint32_t log_n = log2_strict(height, what);
  TESSERA_CHECK(
      log_n <= kMaxLogNttSize, ErrorKind::InvalidArgument,
      what << " 2^" << log_n << " exceeds the largest two-adic subgroup 2^" << kMaxLogNttSize);
  return log_n;
}

}  // namespace

void ntt_forward(BabyBear* data, size_t height, size_t width) {
  const uint32_t log_n = checked_log_height(height, "NTT height");
  if (width == 0 || log_n == 0) return;
  const auto tw = ntt_twiddles(log_n);
  bit_reverse_rows(data, height, width);
  run_stages(data, log_n, width, 0, Direction::kDit, tw->forward.data());
}

void ntt_inverse(BabyBear* data, size_t height, size_t width) {
  const uint32_t log_n = checked_log_height(height, "NTT height");
  if (width == 0 || log_n == 0) return;
  const auto tw = ntt_twiddles(log_n);
  run_stages(data, log_n, width, 0, Direction::kDif, tw->inverse.data());
  bit_reverse_rows_scaled(data, height, width, BabyBear::from_u64(height).inverse());
}

void coset_lde(const BabyBear* evals, size_t height, size_t width, uint32_t log_blowup,
               BabyBear shift, BabyBear* out, LdeOrder order) {
  const uint32_t log_n = checked_log_height(height, "LDE input height");
  TESSERA_CHECK(log_blowup <= kMaxLogNttSize && log_n + log_blowup <= kMaxLogNttSize,
                ErrorKind::InvalidArgument,
                "LDE of height 2^" << log_n << " with blowup 2^" << log_blowup
                                   << " exceeds the largest two-adic subgroup 2^"
                                   << kMaxLogNttSize);
  if (width == 0) return;
  const uint32_t log_big = log_n + log_blowup;
  const size_t n = height, blowup = size_t{1} << log_blowup;
  const auto tw = ntt_twiddles(log_big);
  const bool parallel = (n << log_blowup) * width >= kParallelElems;

  if (order == LdeOrder::BitReversed) {
    // 1. Rows of the input in bit-reversed order, inverse DIT: row k = n c_k (natural order).
#pragma omp parallel for schedule(static) if (parallel)
    for (size_t i = 0; i < n; ++i) {
      std::memcpy(out + i * width, evals + reverse_bits(i, log_n) * width,
                  width * sizeof(BabyBear));
    }
    run_stages(out, log_n, width, 0, Direction::kDit, tw->inverse.data());
    // 2. Block t = c_k (s g_t)^k; blocks 1.. read block 0 before it is scaled in place.
    const BabyBear n_inv = BabyBear::from_u64(n).inverse();
    const BabyBear w_big = BabyBear::two_adic_generator(log_big);
    for (size_t t = blowup; t-- > 0;) {
      const BabyBear coset = shift * w_big.pow(reverse_bits(t, log_blowup));
      const std::vector<BabyBear> factors = shifted_powers(coset, n_inv, n);
      BabyBear* block = out + t * n * width;
#pragma omp parallel for schedule(static) if (parallel)
      for (size_t k = 0; k < n; ++k) {
        scale_row(block + k * width, out + k * width, factors[k], width);
      }
    }
    // 3. One n-point DIF per block: natural coefficients -> bit-reversed evaluations.
    for (size_t t = 0; t < blowup; ++t) {
      run_stages(out + t * n * width, log_n, width, 0, Direction::kDif, tw->forward.data());
    }
    return;
  }

  // 1. Inverse DIF in the first n rows of `out`: row j = n * c_{rev_n(j)}.
#pragma omp parallel for schedule(static) if (parallel)
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(out + i * width, evals + i * width, width * sizeof(BabyBear));
  }
  run_stages(out, log_n, width, 0, Direction::kDif, tw->inverse.data());

  // 2. Block j (rows [jB, jB + B)) of the bit-reversed N-point input = c_k s^k, k = rev_n(j),
  //    replicated B times: the state after the first log B DIT stages (see the top of this
  //    file). This is done in place, reading row j and writing block j, in rounds that never
  //    overwrite a row still to be read: round [lo, hi) with lo = hi / B reads rows [lo, hi)
  //    and writes rows [lo B, hi B) = [hi, hi B), above every row still unread; then hi = lo.
  //    Row 0 is last (its block overlaps itself). Within a round the rows are independent.
  const std::vector<BabyBear> factors =
      shifted_powers(shift, BabyBear::from_u64(n).inverse(), n);  // s^k / n
  const auto spread = [&](size_t j) {
    BabyBear* block = out + j * blowup * width;
    scale_row(block, out + j * width, factors[reverse_bits(j, log_n)], width);
    for (size_t t = 1; t < blowup; ++t) {
      std::memcpy(block + t * width, block, width * sizeof(BabyBear));
    }
  };
  if (blowup == 1) {
#pragma omp parallel for schedule(static) if (parallel)
    for (size_t j = 0; j < n; ++j) spread(j);
  } else {
    for (size_t hi = n; hi > 1; hi /= blowup) {
      const size_t lo = std::max<size_t>(hi / blowup, 1);
#pragma omp parallel for schedule(static) if (parallel && hi - lo > 64)
      for (size_t j = lo; j < hi; ++j) spread(j);
      if (lo == 1) break;
    }
    spread(0);
  }

  // 3. The remaining DIT stages: bit-reversed coefficients -> natural evaluations on s H'.
  run_stages(out, log_big, width, log_blowup, Direction::kDit, tw->forward.data());
}

void ntt_forward(RowMajorMatrix<BabyBear>& m) {
  ntt_forward(m.data(), m.height(), m.width());
}

void ntt_inverse(RowMajorMatrix<BabyBear>& m) {
  ntt_inverse(m.data(), m.height(), m.width());
}

RowMajorMatrix<BabyBear> coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                   BabyBear shift, LdeOrder order) {
  const uint32_t log_n = checked_log_height(evals.height(), "LDE input height");
  TESSERA_CHECK(log_blowup <= kMaxLogNttSize && log_n + log_blowup <= kMaxLogNttSize,
                ErrorKind::InvalidArgument,
                "LDE of height 2^" << log_n << " with blowup 2^" << log_blowup
                                   << " exceeds the largest two-adic subgroup 2^"
                                   << kMaxLogNttSize);
  const size_t big = evals.height() << log_blowup;
  RowMajorMatrix<BabyBear> out =
      evals.width() == 0 ? RowMajorMatrix<BabyBear>(0, big)
                         : RowMajorMatrix<BabyBear>(
                               huge_page_storage<BabyBear>(big * evals.width()), evals.width());
  coset_lde(evals.data(), evals.height(), evals.width(), log_blowup, shift, out.data(), order);
  return out;
}

}  // namespace tessera
