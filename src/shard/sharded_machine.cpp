#include "shard/sharded_machine.hpp"

#include <limits>
#include <string>
#include <utility>

#include "common/check.hpp"

namespace tessera {

void ShardedMachine::check_root(const ShardStatement& root) const {
  TESSERA_CHECK(root.first_shard == 0 && root.end_shard == num_shards(), ErrorKind::VerifyFailed,
                "the root statement covers shards [" << root.first_shard << ", " << root.end_shard
                                                     << ") but the request has " << num_shards()
                                                     << " shards");
  TESSERA_CHECK(root.start_state == initial_state(), ErrorKind::VerifyFailed,
                "the root statement does not start from the request's initial state");
  check_end_state(root.end_state);
}

void ShardedMachine::adopt_shard_count(uint64_t count) const {
  TESSERA_FAIL(ErrorKind::Internal, "machine " << name() << " knows its shard count ("
                                               << num_shards() << "); it cannot adopt " << count);
}

void ShardedMachine::execute_each(const CheckpointSink& emit) const {
  // A machine that learns its count by executing may emit any number of checkpoints; it must
  // know the count once it returns.
  const bool known = shard_count_known();
  const uint64_t n = known ? num_shards() : std::numeric_limits<uint64_t>::max();
  uint64_t next = 0;
  emit_checkpoints([&](uint64_t index, std::vector<uint8_t> checkpoint) {
    // Checked before `emit` sees it: the pipeline hands checkpoint i to a rank as shard i.
    TESSERA_CHECK(index == next && index < n, ErrorKind::Internal,
                  "machine " << name() << " emitted the checkpoint of shard " << index << " where "
                             << (next < n ? "shard " + std::to_string(next) + " was due"
                                          : "all " + std::to_string(n) + " shards were done")
                             << " (checkpoints come once per shard, in shard order)");
    ++next;
    emit(index, std::move(checkpoint));
  });
  TESSERA_CHECK(next == num_shards(), ErrorKind::Internal,
                "machine " << name() << " finished executing after " << next
                           << " checkpoints, but the request has " << num_shards() << " shards");
}

std::vector<std::vector<uint8_t>> ShardedMachine::execute() const {
  std::vector<std::vector<uint8_t>> out;
  out.reserve(num_shards());
  execute_each(
      [&](uint64_t, std::vector<uint8_t> checkpoint) { out.push_back(std::move(checkpoint)); });
  return out;
}

}  // namespace tessera
