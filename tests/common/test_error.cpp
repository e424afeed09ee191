#include <gtest/gtest.h>

#include <set>

#include "common/check.hpp"

namespace tessera {
namespace {

TEST(Error, CheckThrowsTypedErrorWithExpressionAndLocation) {
  try {
    int height = 3;
    TESSERA_CHECK(height % 2 == 0, ErrorKind::InvalidArgument, "height " << height << " is odd");
    FAIL() << "TESSERA_CHECK did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_EQ(e.exit_code(), 10);
    std::string what = e.what();
    EXPECT_NE(what.find("height 3 is odd"), std::string::npos) << what;
    EXPECT_NE(what.find("height % 2 == 0"), std::string::npos) << what;
    EXPECT_NE(what.find("test_error.cpp"), std::string::npos) << what;
  }
}

TEST(Error, CheckEvaluatesItsConditionOnce) {
  int calls = 0;
  auto cond = [&] { return ++calls > 0; };
  TESSERA_CHECK(cond(), ErrorKind::Internal, "never");
  EXPECT_EQ(calls, 1);
}

TEST(Error, EveryKindHasADistinctExitCodeAndName) {
  std::set<int> codes;
  std::set<std::string_view> names;
  for (int k = 1; k <= 18; ++k) {
    auto kind = static_cast<ErrorKind>(k);
    EXPECT_TRUE(codes.insert(exit_code(kind)).second);
    EXPECT_TRUE(names.insert(error_kind_name(kind)).second);
    EXPECT_NE(error_kind_name(kind), "unknown error");
  }
}

}  // namespace
}  // namespace tessera
