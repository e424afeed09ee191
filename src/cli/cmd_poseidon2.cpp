// `tessera poseidon2 V0,V1,...,V15`: prints the Poseidon2 permutation of 16 canonical BabyBear
// values (decimal, space-separated), for checking the project's hash against other
// implementations by hand.

#include <charconv>
#include <iostream>
#include <string>
#include <string_view>

#include "cli/command.hpp"
#include "common/check.hpp"
#include "hash/poseidon2.hpp"

namespace tessera::cli {
namespace {

// One canonical decimal value in [0, p); anything else is a usage error naming the culprit.
BabyBear parse_canonical(std::string_view text, size_t index) {
  uint64_t value = 0;
  const bool digits_only =
      !text.empty() && text.size() <= 10 && text.find_first_not_of("0123456789") == text.npos;
  if (digits_only) std::from_chars(text.data(), text.data() + text.size(), value);
  if (!digits_only) {
    TESSERA_FAIL(ErrorKind::Usage, "value " << index << " '" << text
                                            << "' is not a decimal number (expected 16 "
                                               "comma-separated integers in [0, "
                                            << BabyBear::kModulus << "))");
  }
  if (value >= BabyBear::kModulus) {
    TESSERA_FAIL(ErrorKind::Usage, "value "
                                       << index << " = " << value
                                       << " is not a canonical BabyBear element (must be < p = "
                                       << BabyBear::kModulus << ")");
  }
  return BabyBear::from_u32(static_cast<uint32_t>(value));
}

Poseidon2State parse_state(const std::string& list) {
  Poseidon2State state{};
  size_t count = 0, start = 0;
  for (;;) {
    const size_t comma = list.find(',', start);
    const std::string_view field(list.data() + start,
                                 (comma == list.npos ? list.size() : comma) - start);
    if (count < kPoseidon2Width) state[count] = parse_canonical(field, count);
    ++count;
    if (comma == list.npos) break;
    start = comma + 1;
  }
  if (count != kPoseidon2Width) {
    TESSERA_FAIL(ErrorKind::Usage,
                 "expected " << kPoseidon2Width << " comma-separated values, got " << count);
  }
  return state;
}

int run_poseidon2(const po::variables_map& vm) {
  if (!vm.count("values")) {
    TESSERA_FAIL(ErrorKind::Usage,
                 "missing V0,...,V15 (16 comma-separated values; see 'tessera poseidon2 --help')");
  }
  Poseidon2State state = parse_state(vm["values"].as<std::string>());
  poseidon2_permute(state);
  for (size_t i = 0; i < kPoseidon2Width; ++i) {
    std::cout << state[i].as_u32() << (i + 1 < kPoseidon2Width ? ' ' : '\n');
  }
  return 0;
}

const bool registered = register_command({
    .name = "poseidon2",
    .summary = "print the Poseidon2 (BabyBear, width 16) permutation of 16 values",
    .synopsis = "V0,V1,...,V15",
    .declare =
        [](po::options_description& opts, po::positional_options_description& positional) {
          opts.add_options()("values", po::value<std::string>(),
                             "16 comma-separated canonical values in [0, 2013265921)");
          positional.add("values", 1);
        },
    .run = run_poseidon2,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
