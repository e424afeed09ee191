// libFuzzer target: arbitrary bytes through the shard-proof parser and verifier of a fixed
// machine (Fibonacci + two-table range check + a preprocessed table, `test` configuration).
// Any input must end in acceptance (only the honest proof) or a tessera::Error; a crash, a
// sanitizer report, an uncaught exception or an Internal error is a bug.
//
// With TESSERA_FUZZ_SEED_DIR set, initialisation writes an honest proof there as a seed.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <span>

#include "stark_test_util.hpp"

namespace {
tessera::Machine* g_machine = nullptr;
tessera::VerifyingKey* g_vk = nullptr;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_machine = new tessera::Machine(tessera::test::range_machine());
  auto proved = tessera::test::prove_with(*g_machine, tessera::test::range_tables(3, 3));
  g_vk = new tessera::VerifyingKey(proved.pk.vk);
  if (const char* dir = std::getenv("TESSERA_FUZZ_SEED_DIR")) {
    std::ofstream(std::string(dir) + "/honest_proof.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(proved.bytes.data()),
               static_cast<std::streamsize>(proved.bytes.size()));
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    tessera::verify_bytes(*g_machine, *g_vk, std::span<const uint8_t>(data, size),
                          tessera::test::insecure_ok());
  } catch (const tessera::Error& e) {
    if (e.kind() == tessera::ErrorKind::Internal) std::abort();
  }
  return 0;
}
