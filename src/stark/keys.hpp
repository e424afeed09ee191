#pragma once
// Proving and verifying keys of a Machine under one configuration: the commitment to every
// table's preprocessed (fixed) columns. setup() runs once per machine and configuration; the
// verifying key is what a verifier must trust (its commitment is absorbed into every proof's
// transcript), the proving key keeps the committed LDEs for the openings.

#include <cstdint>
#include <string>
#include <vector>

#include "backend/backend.hpp"
#include "fri/pcs.hpp"
#include "hash/digest.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/config.hpp"

namespace tessera {

class Machine;

struct VerifyingKey {
  std::string config;
  std::string machine;
  // -1 for a table without preprocessed columns, else log2 of its (fixed) height.
  std::vector<int32_t> preprocessed_log_heights;
  Digest preprocessed_commitment{};  // all zero when no table has preprocessed columns
  friend bool operator==(const VerifyingKey&, const VerifyingKey&) = default;
};

struct ProvingKey {
  StarkConfig config;
  VerifyingKey vk;
  std::vector<RowMajorMatrix<BabyBear>> preprocessed_traces;  // per table (empty if none)
  std::vector<int32_t> preprocessed_matrix;  // table -> matrix index in `committed`, or -1
  PcsCommittedData committed;                // the preprocessed round (no tree if none)
};

// Builds and commits every preprocessed trace. InvalidArgument when a preprocessed trace does not
// have the declared width or a power-of-two height that the configuration supports;
// ConfigMismatch for an unknown configuration name.
ProvingKey setup(const Machine& machine, const std::string& config, Backend& backend);

}  // namespace tessera
