// The memory group of the rv32im tables (rv32im_table_groups.hpp).
#include "machine/load_table.hpp"
#include "machine/merkle_table.hpp"
#include "machine/page_table.hpp"
#include "machine/poseidon2_table.hpp"
#include "machine/rv32im_table_groups.hpp"
#include "machine/store_table.hpp"

namespace tessera::rv32im {

void add_memory_tables(Machine& m) {
  add_table(m, LoadAir{}, kTableLoad);
  add_table(m, StoreAir{}, kTableStore);
  add_table(m, PageAir{}, kTablePages);
  add_table(m, MerkleAir{}, kTableMerkle);
  add_table(m, Poseidon2LookupAir{}, kTablePoseidon2);
}

}  // namespace tessera::rv32im
