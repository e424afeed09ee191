#include "vm/input_file.hpp"

#include <fstream>
#include <string>
#include <system_error>

#include "common/check.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::vm {
namespace {

// `held` says how much the file holds: its size, or "more than N" for a stream.
[[noreturn]] void too_large(const std::filesystem::path& path, const std::string& held) {
  TESSERA_FAIL(ErrorKind::InputFile, "input file '" << path.string() << "' holds " << held
                                                    << " bytes; the private input is at most 2^30 ("
                                                    << kMaxInputBytes << ") bytes");
}

}  // namespace

std::vector<uint8_t> read_input_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.good())
    TESSERA_FAIL(ErrorKind::InputFile, "cannot open input file '" << path.string() << "'");
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    const uint64_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxInputBytes) too_large(path, std::to_string(size));
  }
  std::vector<uint8_t> bytes;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.insert(bytes.end(), buf, buf + in.gcount());
    if (bytes.size() > kMaxInputBytes)
      too_large(path, "more than " + std::to_string(kMaxInputBytes));
  }
  if (in.bad())
    TESSERA_FAIL(ErrorKind::InputFile, "cannot read input file '" << path.string() << "'");
  return bytes;
}

}  // namespace tessera::vm
