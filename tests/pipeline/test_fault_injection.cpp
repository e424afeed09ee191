// The test-only fault specifications: parsing, and which attempts fail with which kind.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "mpi/fault_injection.hpp"

namespace tessera::mpi {
namespace {

ErrorKind kind_of(const FaultPlan& p, uint64_t shard, uint32_t attempt) {
  try {
    p.before_proving(shard, attempt);
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::Internal;  // "no error" marker for these tests
}

TEST(FaultInjection, ParsesTransientFatalAndSlow) {
  const FaultPlan p = parse_fault_plan("3:1,5:fatal,8:2", "250");
  EXPECT_EQ(p.transient.at(3), 1u);
  EXPECT_EQ(p.transient.at(8), 2u);
  EXPECT_TRUE(p.fatal.count(5));
  EXPECT_EQ(p.slow_ms, 250u);
  EXPECT_EQ(kind_of(p, 3, 0), ErrorKind::Retryable);
  EXPECT_EQ(kind_of(p, 3, 1), ErrorKind::Internal);  // second attempt succeeds
  EXPECT_EQ(kind_of(p, 8, 1), ErrorKind::Retryable);
  EXPECT_EQ(kind_of(p, 8, 2), ErrorKind::Internal);
  EXPECT_EQ(kind_of(p, 5, 0), ErrorKind::OutOfMemory);
  EXPECT_EQ(kind_of(p, 5, 7), ErrorKind::OutOfMemory);
  EXPECT_EQ(kind_of(p, 4, 0), ErrorKind::Internal);
}

TEST(FaultInjection, SlowRank) {
  const FaultPlan p = parse_fault_plan("", "10", "2:500");
  EXPECT_EQ(p.delay_ms(0), 10u);
  EXPECT_EQ(p.delay_ms(2), 510u);
  EXPECT_THROW(parse_fault_plan("", "", "2"), Error);
  EXPECT_THROW(parse_fault_plan("", "", "a:5"), Error);
}

TEST(FaultInjection, EmptyMeansNoFaults) {
  EXPECT_TRUE(parse_fault_plan("", "").empty());
}

TEST(FaultInjection, MalformedSpecificationsAreUsageErrors) {
  for (const char* bad : {"3", "x:1", "3:x", "3:-1", ":1"}) {
    try {
      parse_fault_plan(bad, "");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Usage) << bad;
      EXPECT_NE(std::string(e.what()).find("TESSERA_TEST_FAIL_SHARD"), std::string::npos);
    }
  }
  EXPECT_THROW(parse_fault_plan("", "fast"), Error);
}

}  // namespace
}  // namespace tessera::mpi
