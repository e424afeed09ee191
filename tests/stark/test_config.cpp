// The named configurations and their security statement.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "stark/config.hpp"

namespace tessera {
namespace {

TEST(StarkConfig, NamedConfigurations) {
  EXPECT_EQ(stark_config_names(), (std::vector<std::string>{"core", "recursion", "test"}));
  const StarkConfig core = stark_config("core");
  EXPECT_EQ(core.fri.log_blowup, 1u);
  EXPECT_EQ(core.fri.num_queries, 100u);
  EXPECT_EQ(core.fri.pow_bits, 16u);
  EXPECT_FALSE(core.insecure());
  const StarkConfig rec = stark_config("recursion");
  EXPECT_EQ(rec.fri.log_blowup, 3u);
  EXPECT_EQ(rec.fri.num_queries, 33u);
  EXPECT_EQ(rec.fri.pow_bits, 16u);
  EXPECT_TRUE(stark_config("test").insecure());
}

TEST(StarkConfig, UnknownNameIsAConfigMismatch) {
  try {
    stark_config("fast");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ConfigMismatch);
  }
}

TEST(StarkConfig, SecurityReportShowsTheFormula) {
  const std::string r = security_report();
  EXPECT_NE(r.find("core: "), std::string::npos) << r;
  EXPECT_NE(r.find("1*100 + 16"), std::string::npos) << r;
  EXPECT_NE(r.find("3*33 + 16"), std::string::npos) << r;
  EXPECT_NE(r.find("INSECURE"), std::string::npos) << r;
  EXPECT_NE(r.find("min(log_blowup * num_queries + pow_bits"), std::string::npos) << r;
  EXPECT_NE(r.find("margin 27 = log2 of the largest LDE domain"), std::string::npos) << r;
  EXPECT_EQ(stark_config("core").fri.conjectured_security_bits(), 96u);
  EXPECT_LT(stark_config("test").fri.conjectured_security_bits(), 10u);
}

}  // namespace
}  // namespace tessera
