#pragma once
// The STARK machine "rv32im": the zkVM's tables in their fixed order (the order is part of the
// proof format). Built per program, since the program table's preprocessed columns are the
// program; its verifying key is the program digest.

#include <cstddef>
#include <string>

#include "machine/program_table.hpp"
#include "stark/machine.hpp"

namespace tessera::rv32im {

enum TableId : size_t {
  kTableShard,
  kTableProgram,
  kTableBytes,
  kTableSystem,
  kTableIoWords,
  kTableAbsorbInput,
  kTableAbsorbOutput,
  kTableP2Call,
  kTableAlu,
  kTableBitwise,
  kTableShift,
  kTableMul,
  kTableDivRem,
  kTableCompare,
  kTableJump,
  kTableLoad,
  kTableStore,
  kTablePages,
  kTableMerkle,
  kTablePoseidon2,
  kTableCount,
};

std::string table_name(TableId t);

class Rv32imStark {
 public:
  // `image` must outlive this object (the program table reads it for its preprocessed columns).
  explicit Rv32imStark(const ProgramImage& image);
  const Machine& machine() const { return machine_; }

 private:
  Machine machine_;
};

}  // namespace tessera::rv32im
