#pragma once
// The rv32im STARK machine's tables, added in four groups, each in its own translation unit
// (rv32im_stark_{system,alu,muldiv,memory}.cpp), in TableId order. Machine::add instantiates every
// evaluator of an AIR (symbolic, row by row, packed); with all twenty AIRs in one unit the
// compiler needed tens of minutes and 5 GB under AddressSanitizer, and one core. Each table is
// added by add_table, which checks that it lands at its TableId.

#include <utility>

#include "common/check.hpp"
#include "machine/program_table.hpp"
#include "machine/rv32im_stark.hpp"
#include "stark/machine.hpp"

namespace tessera::rv32im {

// Adds `air` to `m`, which must make it table `id` (the groups add in TableId order).
template <class Air>
void add_table(Machine& m, Air air, TableId id) {
  TESSERA_CHECK(m.add(std::move(air)) == id, ErrorKind::Internal,
                "rv32im: table " << static_cast<size_t>(id) << " added out of order");
}

void add_system_tables(Machine& m, const ProgramImage& image);  // shard .. p2_call
void add_alu_tables(Machine& m);                                 // alu, bitwise, shift
void add_muldiv_tables(Machine& m);                              // mul, divrem, compare, jump
void add_memory_tables(Machine& m);                              // load .. poseidon2

}  // namespace tessera::rv32im
