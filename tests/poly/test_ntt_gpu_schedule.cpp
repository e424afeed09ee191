// The CUDA NTT's plan and per-thread code (kernels/ntt_schedule.hpp) executed by a CPU emulator
// of its kernels, compared word for word with the CPU reference. This runs in every build, so
// the index arithmetic of the GPU path is checked even where no GPU exists. The emulator also
// checks the two properties the real kernels rely on for correctness under any block schedule:
//   - no element is touched by two different thread blocks of one pass unless both only read it
//     (blocks run concurrently, so a read/write or write/write overlap would be a race);
//   - within one stage of one block, no shared-memory slot is written by two threads.
#include <gtest/gtest.h>

#include <unordered_map>
#include <vector>

#include "kernels/ntt_schedule.hpp"
#include "poly/ntt.hpp"
#include "poly/twiddles.hpp"
#include "poly_test_util.hpp"

namespace tessera {
namespace {

namespace gpu = cuda::ntt;

// Records which block touched each global element in the current pass, and how.
class HazardChecker {
 public:
  void begin_pass() { touched_.clear(); }
  void access(const BabyBear* p, uint64_t block, bool write) {
    auto [it, fresh] = touched_.try_emplace(p, Use{block, write});
    if (fresh) return;
    Use& u = it->second;
    if (u.block != block && (u.write || write)) ++races_;
    u.write = u.write || write;
    if (write) u.block = block;
  }
  uint64_t races() const { return races_; }

 private:
  struct Use {
    uint64_t block;
    bool write;
  };
  std::unordered_map<const BabyBear*, Use> touched_;
  uint64_t races_ = 0;
};

// Runs one pass exactly as ntt_pass_kernel does (same functions), block after block, thread
// after thread between the barriers; global accesses are mirrored into the hazard checker by
// re-deriving their addresses with the same lane arithmetic.
void emulate_pass(const gpu::PassArgs& a, HazardChecker& hz, uint64_t& smem_conflicts) {
  const gpu::PassShape& p = a.shape;
  std::vector<BabyBear> tile(uint64_t{p.rows()} * p.seg);
  std::vector<int> writer;
  hz.begin_pass();
  for (uint64_t block = 0; block < p.blocks; ++block) {
    for (uint32_t ty = 0; ty < p.block_y; ++ty) {
      for (uint32_t tx = 0; tx < p.seg; ++tx) {
        const gpu::Lane l = gpu::lane_of(a, block, tx);
        gpu::load_tile(a, l, tx, ty, tile.data());
        if (!l.valid) continue;
        for (uint32_t t = ty; t < p.rows(); t += p.block_y) {
          uint64_t r = gpu::lane_row(a, l, t);
          if (a.load == gpu::Load::BitReversed) r = reverse_bits(r, a.log_rows);
          hz.access(a.src + r * a.width + l.col, block, false);
        }
      }
    }
    const auto stage = [&](uint32_t s) {
      writer.assign(tile.size(), -1);
      for (uint32_t ty = 0; ty < p.block_y; ++ty) {
        for (uint32_t tx = 0; tx < p.seg; ++tx) {
          const gpu::Lane l = gpu::lane_of(a, block, tx);
          gpu::butterfly_stage(a, l, s, tx, ty, tile.data());
          // The slots this thread's butterflies write, re-derived as in butterfly_stage.
          const int id = static_cast<int>(ty * p.seg + tx);
          const uint32_t lh = s - p.s0, h = 1u << lh;
          for (uint32_t b = ty; b < p.rows() / 2; b += p.block_y) {
            const uint32_t t = ((b >> lh) << (lh + 1)) | (b & (h - 1));
            for (uint64_t slot : {uint64_t{t} * p.seg + tx, uint64_t{t + h} * p.seg + tx}) {
              if (writer[slot] != -1 && writer[slot] != id) ++smem_conflicts;
              writer[slot] = id;
            }
          }
        }
      }
    };
    if (a.dit) {
      for (uint32_t s = p.s0; s < p.s1; ++s) stage(s);
    } else {
      for (uint32_t s = p.s1; s-- > p.s0;) stage(s);
    }
    for (uint32_t ty = 0; ty < p.block_y; ++ty) {
      for (uint32_t tx = 0; tx < p.seg; ++tx) {
        const gpu::Lane l = gpu::lane_of(a, block, tx);
        gpu::store_tile(a, l, tx, ty, tile.data());
        if (!l.valid) continue;
        const uint64_t n = uint64_t{1} << a.log_rows, copies = uint64_t{1} << a.log_copies;
        for (uint32_t t = ty; t < p.rows(); t += p.block_y) {
          const uint64_t r = gpu::lane_row(a, l, t);
          switch (a.store) {
            case gpu::Store::Plain:
              hz.access(a.dst + r * a.width + l.col, block, true);
              break;
            case gpu::Store::BitReversedScaled:
              hz.access(a.dst + reverse_bits(r, a.log_rows) * a.width + l.col, block, true);
              break;
            case gpu::Store::Replicate:
              for (uint64_t c = 0; c < copies; ++c) {
                hz.access(a.dst + (r * copies + c) * a.width + l.col, block, true);
              }
              break;
            case gpu::Store::Blocks:
              for (uint64_t c = 0; c < copies; ++c) {
                hz.access(a.dst + (c * n + r) * a.width + l.col, block, true);
              }
              break;
          }
        }
      }
    }
  }
}

struct Emulation {
  uint64_t races = 0, smem_conflicts = 0, passes = 0;
};

Emulation run(const gpu::Schedule& s) {
  Emulation e;
  HazardChecker hz;
  for (const gpu::Step& step : s.steps) {
    if (step.is_factors) {
      for (uint64_t i = 0; i < step.factors.count; ++i) {
        step.factors.out[i] = gpu::factor_at(step.factors, i);
      }
      continue;
    }
    // Every pass must fit the kernel's launch limits.
    EXPECT_LE(step.pass.shape.smem_bytes(), gpu::kTileElems * sizeof(BabyBear));
    EXPECT_LE(uint64_t{step.pass.shape.seg} * step.pass.shape.block_y, gpu::kThreads);
    EXPECT_GE(step.pass.shape.block_y, 1u);
    emulate_pass(step.pass, hz, e.smem_conflicts);
    ++e.passes;
  }
  e.races = hz.races();
  return e;
}

// Widths: narrow (row tiles), exactly one segment, 2^k +- 1 (partial segments), several chunks.
const size_t kWidths[] = {1, 2, 3, 7, 31, 32, 33, 65};

TEST(NttGpuSchedule, ForwardAndInverseMatchTheCpuReference) {
  for (size_t width : kWidths) {
    for (uint32_t k : {0u, 1u, 2u, 5u, 9u, 13u}) {
      if (k == 13 && width > 3) continue;  // keep the emulation fast; k = 13 forces 2+ passes
      const size_t n = size_t{1} << k;
      const auto tw = ntt_twiddles(k);
      const auto orig = test::random_matrix(n, width, 17 * k + width);
      for (bool inverse : {false, true}) {
        auto cpu = orig;
        auto emu = orig;
        gpu::Schedule sizing =
            inverse ? gpu::schedule_inverse(emu.data(), k, width, tw->inverse.data(), nullptr)
                    : gpu::schedule_forward(emu.data(), k, width, tw->forward.data(), nullptr);
        std::vector<BabyBear> work(sizing.workspace_elems);
        const gpu::Schedule s =
            inverse ? gpu::schedule_inverse(emu.data(), k, width, tw->inverse.data(), work.data())
                    : gpu::schedule_forward(emu.data(), k, width, tw->forward.data(), work.data());
        const Emulation e = run(s);
        inverse ? ntt_inverse(cpu) : ntt_forward(cpu);
        ASSERT_EQ(emu, cpu) << (inverse ? "inverse" : "forward") << " k=" << k << " width=" << width
                            << " passes=" << e.passes;
        EXPECT_EQ(e.races, 0u) << "k=" << k << " width=" << width;
        EXPECT_EQ(e.smem_conflicts, 0u) << "k=" << k << " width=" << width;
      }
    }
  }
}

TEST(NttGpuSchedule, CosetLdeMatchesTheCpuReferenceInBothOrders) {
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  for (size_t width : kWidths) {
    for (uint32_t k : {0u, 1u, 4u, 8u, 12u}) {
      if ((k == 12 && width > 1) || (k == 8 && width > 33)) continue;
      for (uint32_t log_blowup : {0u, 1u, 3u}) {
        for (LdeOrder order : {LdeOrder::Natural, LdeOrder::BitReversed}) {
          const size_t n = size_t{1} << k;
          const auto tw = ntt_twiddles(k + log_blowup);
          const auto evals = test::random_matrix(n, width, 5 * k + width + log_blowup);
          const bool rev = order == LdeOrder::BitReversed;
          RowMajorMatrix<BabyBear> emu(width, n << log_blowup);
          const auto plan = [&](BabyBear* work) {
            return gpu::schedule_coset_lde(evals.data(), emu.data(), k, width, log_blowup, shift,
                                           rev, tw->forward.data(), tw->inverse.data(), work);
          };
          std::vector<BabyBear> work(plan(nullptr).workspace_elems);
          const Emulation e = run(plan(work.data()));
          ASSERT_EQ(emu, coset_lde(evals, log_blowup, shift, order))
              << "k=" << k << " width=" << width << " log_blowup=" << log_blowup
              << " bit-reversed=" << rev << " passes=" << e.passes;
          EXPECT_EQ(e.races, 0u);
          EXPECT_EQ(e.smem_conflicts, 0u);
        }
      }
    }
  }
}

TEST(NttGpuSchedule, TheHazardCheckerSeesAnInPlaceBitReversedGather) {
  // Without its workspace a multi-pass forward NTT would gather rows in bit-reversed order from
  // the buffer it writes: blocks read rows other blocks overwrite. The checker must see it.
  const uint32_t k = 14;
  const auto tw = ntt_twiddles(k);
  auto m = test::random_matrix(size_t{1} << k, 1, 3);
  const auto s = gpu::schedule_forward(m.data(), k, 1, tw->forward.data(), nullptr);
  ASSERT_GT(s.workspace_elems, 0u);
  EXPECT_GT(run(s).races, 0u);
}

TEST(NttGpuSchedule, PassesFuseStagesAndRespectTheTileSize) {
  // 2^20 x 64: 3 passes of 7, 7, 6 stages (R <= 256 rows of 32-column segments).
  const auto wide = gpu::plan_passes(20, 64, 0, 20);
  ASSERT_EQ(wide.size(), 3u);
  EXPECT_EQ(wide[0].s1 - wide[0].s0, 7u);
  EXPECT_EQ(wide[2].s1, 20u);
  EXPECT_EQ(wide[0].col_chunks, 2u);
  // One column: 13 stages fit the first pass (8192 contiguous rows).
  const auto narrow = gpu::plan_passes(20, 1, 0, 20);
  EXPECT_EQ(narrow[0].s1, 13u);
  for (const auto& p : narrow) EXPECT_LE(p.smem_bytes(), gpu::kTileElems * sizeof(BabyBear));
}

}  // namespace
}  // namespace tessera
