// Calibrations round-trip through their one-line format, a newer measurement of the same kind
// replaces the older, lookups find the kind asked for (any thread count: the most recent), and the
// estimate follows the documented model.
#include <gtest/gtest.h>

#include <fstream>

#include "queue/calibration.hpp"
#include "tests/queue/queue_test_util.hpp"

namespace tessera::queue {
namespace {

using testing::SpoolTest;

Calibration kind(int threads, double prove, double measured) {
  Calibration c;
  c.machine = "hashchain";
  c.config = "test";
  c.shard = 64;
  c.threads = threads;
  c.prove_seconds = prove;
  c.verify_seconds = 0.001;
  c.execute_seconds = 0.0005;
  c.rss_mib = 40.5;
  c.measured = measured;
  c.host = "node1";
  return c;
}

TEST_F(SpoolTest, CalibrationsAreStoredOnePerKind) {
  const auto file = dir_.parent_path() / "cal" / "calibration.txt";
  store_calibration(file, kind(2, 0.010, 100));
  store_calibration(file, kind(1, 0.018, 110));
  store_calibration(file, kind(2, 0.012, 120));  // replaces the first
  std::ofstream(file, std::ios::app) << "garbage line\n";
  const auto all = read_calibrations(file);
  ASSERT_EQ(all.size(), 2u);
  const auto two = find_calibration(all, "hashchain", "test", 64, 2);
  ASSERT_TRUE(two);
  EXPECT_DOUBLE_EQ(two->prove_seconds, 0.012);
  EXPECT_EQ(two->host, "node1");
  EXPECT_DOUBLE_EQ(find_calibration(all, "hashchain", "test", 64, -1)->prove_seconds, 0.012);
  EXPECT_FALSE(find_calibration(all, "hashchain", "core", 64, -1));
  EXPECT_FALSE(find_calibration(all, "hashchain", "test", 128, -1));
  EXPECT_TRUE(read_calibrations(dir_.parent_path() / "missing").empty());
}

TEST(Calibration, EstimateFollowsTheModel) {
  const Calibration c = kind(1, 0.1, 0);
  // 8 shards on 3 ranks: ceil(8/3) = 3 rounds of (prove + verify), plus the fixed part, the first
  // shard's execution and the last tree nodes.
  EXPECT_NEAR(estimate_wall_seconds(c, 8, 3), kFixedSeconds + 0.0005 + 3 * 0.101 + 0.002, 1e-12);
  EXPECT_NEAR(estimate_wall_seconds(c, 8, 1), kFixedSeconds + 0.0005 + 8 * 0.101 + 0.002, 1e-12);
  EXPECT_NEAR(work_seconds(c, 8), 8 * 0.101, 1e-12);
  EXPECT_EQ(Calibration::parse(c.format())->format(), c.format());
}

}  // namespace
}  // namespace tessera::queue
