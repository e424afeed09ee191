// The execution contract every ShardedMachine gets from the base class: execute_each passes the
// checkpoints through in shard order, execute() collects them, and a machine that emits out of
// order, twice, too few or too many is stopped with ErrorKind::Internal naming the machine.
#include <gtest/gtest.h>

#include <stdexcept>

#include "shard/sharded_machine.hpp"

namespace tessera {
namespace {

// Emits the checkpoints {i} for the indices in `order`, whatever the shard count says.
class ScriptedMachine final : public ShardedMachine {
 public:
  ScriptedMachine(uint64_t shards, std::vector<uint64_t> order)
      : shards_(shards), order_(std::move(order)) {}
  std::string name() const override { return "scripted"; }
  std::map<std::string, std::string> parameters() const override { return {}; }
  std::string config_name() const override { return "test"; }
  uint64_t num_shards() const override { return shards_; }
  std::vector<BabyBear> initial_state() const override { return {}; }
  std::vector<uint8_t> prove_shard(uint64_t, std::span<const uint8_t>, Backend&) const override {
    return {};
  }
  ShardStatement verify_shard(uint64_t, std::span<const uint8_t>) const override { return {}; }

 private:
  void emit_checkpoints(const CheckpointSink& emit) const override {
    for (uint64_t i : order_) emit(i, {static_cast<uint8_t>(i)});
  }
  uint64_t shards_;
  std::vector<uint64_t> order_;
};

// The Internal error's message of m.execute(), or "" if it succeeded.
std::string execute_error(const ShardedMachine& m) {
  try {
    m.execute();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Internal) << e.what();
    return e.what();
  }
  return "";
}

TEST(ShardedMachine, ExecuteCollectsTheCheckpointsInOrder) {
  const ScriptedMachine m(3, {0, 1, 2});
  EXPECT_EQ(m.execute(), (std::vector<std::vector<uint8_t>>{{0}, {1}, {2}}));
  std::vector<uint64_t> seen;
  m.execute_each([&](uint64_t i, std::vector<uint8_t> c) {
    EXPECT_EQ(c, std::vector<uint8_t>{static_cast<uint8_t>(i)});
    seen.push_back(i);
  });
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1, 2}));
}

TEST(ShardedMachine, OutOfOrderOrRepeatedCheckpointsAreInternalErrors) {
  std::string e = execute_error(ScriptedMachine(3, {0, 2, 1}));
  EXPECT_NE(e.find("machine scripted emitted the checkpoint of shard 2 where shard 1 was due"),
            std::string::npos)
      << e;
  e = execute_error(ScriptedMachine(3, {0, 0, 1, 2}));
  EXPECT_NE(e.find("shard 0 where shard 1 was due"), std::string::npos) << e;
}

TEST(ShardedMachine, TooFewOrTooManyCheckpointsAreInternalErrors) {
  std::string e = execute_error(ScriptedMachine(3, {0, 1}));
  EXPECT_NE(e.find("finished executing after 2 checkpoints, but the request has 3 shards"),
            std::string::npos)
      << e;
  e = execute_error(ScriptedMachine(2, {0, 1, 2}));
  EXPECT_NE(e.find("shard 2 where all 2 shards were done"), std::string::npos) << e;
}

TEST(ShardedMachine, TheSinkSeesNothingPastAViolationAndMayStopTheExecution) {
  std::vector<uint64_t> seen;
  EXPECT_THROW(ScriptedMachine(3, {0, 2, 1}).execute_each(
                   [&](uint64_t i, std::vector<uint8_t>) { seen.push_back(i); }),
               Error);
  EXPECT_EQ(seen, std::vector<uint64_t>{0});
  // A sink's exception ends the execution as it is (no count check on top of it).
  seen.clear();
  EXPECT_THROW(ScriptedMachine(3, {0, 1, 2}).execute_each([&](uint64_t i, std::vector<uint8_t>) {
    seen.push_back(i);
    if (i == 1) throw std::runtime_error("stop");
  }),
               std::runtime_error);
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1}));
}

}  // namespace
}  // namespace tessera
