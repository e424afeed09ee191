// The memory group of the rv32im tables (rv32im_table_groups.hpp).
#include "common/check.hpp"
#include "machine/load_table.hpp"
#include "machine/merkle_table.hpp"
#include "machine/page_table.hpp"
#include "machine/poseidon2_table.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine/rv32im_table_groups.hpp"
#include "machine/store_table.hpp"

namespace tessera::rv32im {

void add_memory_tables(Machine& m) {
  TESSERA_CHECK(m.add(LoadAir{}) == kTableLoad, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(StoreAir{}) == kTableStore, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(PageAir{}) == kTablePages, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(MerkleAir{}) == kTableMerkle, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(Poseidon2LookupAir{}) == kTablePoseidon2, ErrorKind::Internal,
                "table order");
}

}  // namespace tessera::rv32im
