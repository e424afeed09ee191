// Progress lines: counts, rate and ETA; live redraws in place, plain lines at the interval.
#include <gtest/gtest.h>

#include <sstream>

#include "mpi/progress.hpp"

namespace tessera::mpi {
namespace {

TEST(Progress, LineShowsDoneTotalRateAndEta) {
  EXPECT_EQ(Progress::line(12, 64, 0, 12, 6.0),
            "proving: 12/64 shards (19%), 2.00 shards/s, ETA 26 s");
  EXPECT_EQ(Progress::line(10, 40, 4, 6, 3.0),
            "proving: 10/40 shards (25%, 4 stored before), 2.00 shards/s, ETA 15 s");
  EXPECT_EQ(Progress::line(0, 8, 0, 0, 0.0), "proving: 0/8 shards (0%), rate --, ETA --");
  EXPECT_EQ(Progress::line(8, 8, 0, 8, 125.0),
            "proving: 8/8 shards (100%), 0.06 shards/s, done in 2m05s");
}

TEST(Progress, PlainLinesAtTheInterval) {
  std::ostringstream os;
  Progress p(os, Progress::Style::Plain, 10, 100, 0);
  p.update(0, 0.0);  // first line at once
  p.update(5, 4.0);  // too soon
  p.update(9, 10.5);
  p.finish(100, 50.0);
  const std::string out = os.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_NE(out.find("proving: 9/100"), std::string::npos);
  EXPECT_NE(out.find("proving: 100/100"), std::string::npos);
}

TEST(Progress, LiveLineRedrawsInPlace) {
  std::ostringstream os;
  Progress p(os, Progress::Style::Live, 10, 4, 0);
  p.update(1, 1.0);
  p.update(2, 2.0);
  p.finish(4, 3.0);
  const std::string out = os.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\r'), 3);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);  // only the final line ends
}

TEST(Progress, OffPrintsNothing) {
  std::ostringstream os;
  Progress p(os, Progress::Style::Off, 10, 4, 0);
  p.update(1, 1.0);
  p.finish(4, 2.0);
  EXPECT_TRUE(os.str().empty());
}

}  // namespace
}  // namespace tessera::mpi
