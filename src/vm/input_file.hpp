#pragma once
// Loading a guest's private input from a file, with the zkVM's size limit (guest_abi.hpp).

#include <cstdint>
#include <filesystem>
#include <vector>

namespace tessera::vm {

// The file's bytes. ErrorKind::InputFile when it cannot be opened or read, or when it holds more
// than kMaxInputBytes (2^30): checked before reading for a regular file, while reading otherwise
// (a pipe), so an oversized input is never held in memory.
std::vector<uint8_t> read_input_file(const std::filesystem::path& path);

}  // namespace tessera::vm
