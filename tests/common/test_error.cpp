#include <gtest/gtest.h>

#include <set>

#include "common/check.hpp"

namespace tessera {
namespace {

// A user's error line names the cause only; the failed expression and the source location are
// the error's detail(), shown in what() only with error details on (tessera --verbose).
TEST(Error, CheckThrowsTypedErrorWithoutExpressionOrLocationForUsers) {
  set_error_details(false);
  try {
    int height = 3;
    TESSERA_CHECK(height % 2 == 0, ErrorKind::InvalidArgument, "height " << height << " is odd");
    FAIL() << "TESSERA_CHECK did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_EQ(e.exit_code(), 10);
    EXPECT_EQ(std::string(e.what()), "height 3 is odd");
    EXPECT_NE(e.detail().find("height % 2 == 0 failed at "), std::string::npos) << e.detail();
    EXPECT_NE(e.detail().find("test_error.cpp:"), std::string::npos) << e.detail();
  }
}

TEST(Error, VerboseErrorsCarryExpressionAndLocation) {
  set_error_details(true);
  try {
    int height = 3;
    TESSERA_CHECK(height % 2 == 0, ErrorKind::InvalidArgument, "height " << height << " is odd");
    FAIL() << "TESSERA_CHECK did not throw";
  } catch (const Error& e) {
    set_error_details(false);
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("height 3 is odd (height % 2 == 0 failed at ", 0), 0u) << what;
    EXPECT_NE(what.find("test_error.cpp"), std::string::npos) << what;
  }
  set_error_details(false);
}

TEST(Error, InternalErrorsAlwaysCarryTheirLocation) {
  set_error_details(false);
  try {
    TESSERA_ASSERT(1 + 1 == 3);
    FAIL() << "TESSERA_ASSERT did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Internal);
    EXPECT_NE(std::string(e.what()).find("test_error.cpp"), std::string::npos) << e.what();
  }
}

TEST(Error, LibraryErrorsNameTheFailedCall) {
  set_error_details(false);
  try {
    throw_check_failure(ErrorKind::Hdf5, "HDF5: unable to open file", "H5Fopen(path, flags, fapl)",
                        "/src/io/artifact.cpp", 12);
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "HDF5: unable to open file (in H5Fopen)");
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
