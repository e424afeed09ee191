#pragma once
// The rv32im STARK machine's tables, added in four groups, each in its own translation unit
// (rv32im_stark_{system,alu,muldiv,memory}.cpp), in TableId order. Machine::add instantiates every
// evaluator of an AIR (symbolic, row by row, packed); with all twenty AIRs in one unit the
// compiler needed tens of minutes and 5 GB under AddressSanitizer, and one core. Each function
// checks that its tables land at their TableId.

#include "machine/program_table.hpp"
#include "stark/machine.hpp"

namespace tessera::rv32im {

void add_system_tables(Machine& m, const ProgramImage& image);  // shard .. p2_call
void add_alu_tables(Machine& m);                                 // alu, bitwise, shift
void add_muldiv_tables(Machine& m);                              // mul, divrem, compare, jump
void add_memory_tables(Machine& m);                              // load .. poseidon2

}  // namespace tessera::rv32im
