#pragma once
// Machine-independent shard statements and how they chain (DESIGN §4, §5).
//
// A statement says: "the machine, started in state `start_state` at shard `first_shard`, reaches
// state `end_state` after the shards [first_shard, end_shard)". A state is a short vector of field
// elements defined by the machine (the hash chain: the current digest and step; the zkVM: pc,
// memory commitment, output digest, halted flag, exit code). Two adjacent statements merge into
// one when the left one ends where the right one starts; the binary reduction tree over shard
// indices merges all shard statements into the root statement, whatever the number of ranks.

#include <cstdint>
#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "io/byte_io.hpp"

namespace tessera {

struct ShardStatement {
  uint64_t first_shard = 0;  // covers shards [first_shard, end_shard)
  uint64_t end_shard = 0;
  std::vector<BabyBear> start_state;
  std::vector<BabyBear> end_state;

  friend bool operator==(const ShardStatement&, const ShardStatement&) = default;
};

// The statement of [left.first, right.end): requires left.end_shard == right.first_shard and
// left.end_state == right.start_state, else ErrorKind::VerifyFailed naming the broken link.
ShardStatement merge_statements(const ShardStatement& left, const ShardStatement& right);

// Canonical bytes (used in artifacts, in tree messages and as the transcript of the root).
void write_statement(ByteWriter& w, const ShardStatement& s);
ShardStatement read_statement(ByteReader& r);
std::vector<uint8_t> statement_bytes(const ShardStatement& s);
ShardStatement statement_from_bytes(std::span<const uint8_t> bytes);

}  // namespace tessera
