#include "io/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "common/check.hpp"
#include "io/byte_io.hpp"
#include "io/checksum.hpp"

namespace tessera {

namespace fs = std::filesystem;

namespace {
constexpr uint32_t kHeaderMagic = 0x484a5354;  // "TSJH"
constexpr uint32_t kRecordMagic = 0x524a5354;  // "TSJR"
constexpr uint32_t kJournalVersion = 1;
constexpr size_t kRecordHeaderBytes = 40;
constexpr uint32_t kMaxFingerprint = 1u << 16;

std::string errno_text() {
  return std::strerror(errno);
}
}  // namespace

fs::path journal_dir(const fs::path& artifact) {
  return fs::path(artifact.string() + ".journal");
}

JournalWriter::JournalWriter(const fs::path& dir, const std::string& file_name,
                             const std::string& fingerprint, bool sync)
    : path_(dir / file_name), sync_(sync) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    TESSERA_FAIL(ErrorKind::InputFile,
                 "cannot create journal folder '" << dir.string() << "': " << ec.message());
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    TESSERA_FAIL(ErrorKind::InputFile,
                 "cannot create journal file '" << path_.string() << "': " << errno_text());
  ByteWriter w;
  w.u32(kHeaderMagic);
  w.u32(kJournalVersion);
  w.str(fingerprint);
  w.u64(fnv1a64(w.data()));
  write_all(w.data());
  if (sync_ && ::fdatasync(fd_) != 0)
    TESSERA_FAIL(ErrorKind::InputFile,
                 "cannot sync journal file '" << path_.string() << "': " << errno_text());
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::write_all(std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      TESSERA_FAIL(ErrorKind::InputFile,
                   "cannot write journal file '" << path_.string() << "': " << errno_text());
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
}

void JournalWriter::append(uint64_t shard, std::span<const uint8_t> proof, uint64_t checksum,
                           int prover_rank) {
  ByteWriter w;
  w.u32(kRecordMagic);
  w.u32(static_cast<uint32_t>(prover_rank));
  w.u64(shard);
  w.u64(proof.size());
  w.u64(checksum);
  w.u64(fnv1a64(w.data()));
  w.bytes(proof);
  // One write per record: with O_APPEND a record is never interleaved, and a kill leaves at
  // most one torn record at the end of the file.
  const std::lock_guard lock(mu_);
  write_all(w.data());
  if (sync_ && ::fdatasync(fd_) != 0)
    TESSERA_FAIL(ErrorKind::InputFile,
                 "cannot sync journal file '" << path_.string() << "': " << errno_text());
}

namespace {

// Scans one file; appends valid records not already seen.
void scan_file(const fs::path& file, const std::string& fingerprint, std::set<uint64_t>& seen,
               JournalScan& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    out.notes.push_back("journal file '" + file.string() + "' is unreadable; ignored");
    return;
  }
  const uint64_t file_size = fs::file_size(file);
  auto read_exact = [&](std::vector<uint8_t>& buf, size_t n) {
    buf.resize(n);
    in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(n));
    return static_cast<size_t>(in.gcount()) == n;
  };
  std::vector<uint8_t> buf;
  // Header.
  if (!read_exact(buf, 12)) {
    out.notes.push_back("journal file '" + file.string() + "' has no header; ignored");
    return;
  }
  uint32_t fp_len = 0;
  {
    ByteReader r(buf);
    const uint32_t magic = r.u32("journal magic");
    const uint32_t version = r.u32("journal version");
    fp_len = r.u32("journal fingerprint length");
    if (magic != kHeaderMagic || version != kJournalVersion || fp_len > kMaxFingerprint) {
      out.notes.push_back("'" + file.string() + "' is not a Tessera journal file; ignored");
      return;
    }
  }
  std::vector<uint8_t> header = buf;
  if (!read_exact(buf, fp_len + 8u)) {
    out.notes.push_back("journal file '" + file.string() + "' has a torn header; ignored");
    return;
  }
  header.insert(header.end(), buf.begin(), buf.begin() + fp_len);
  {
    ByteReader r(std::span<const uint8_t>(buf).subspan(fp_len));
    if (r.u64("journal header check") != fnv1a64(header)) {
      out.notes.push_back("journal file '" + file.string() + "' has a damaged header; ignored");
      return;
    }
  }
  if (std::string(buf.begin(), buf.begin() + fp_len) != fingerprint) {
    out.notes.push_back("journal file '" + file.string() + "' belongs to another request; ignored");
    return;
  }
  ++out.files;
  // Records.
  uint64_t pos = 12 + fp_len + 8u;
  while (pos < file_size) {
    if (file_size - pos < kRecordHeaderBytes || !read_exact(buf, kRecordHeaderBytes)) {
      out.notes.push_back("journal file '" + file.string() + "' ends in a torn record (ignored)");
      return;
    }
    ByteReader r(buf);
    const uint32_t magic = r.u32("record magic");
    const int32_t prover = static_cast<int32_t>(r.u32("record prover rank"));
    JournalEntry e;
    e.prover_rank = prover;
    e.shard = r.u64("record shard");
    e.size = r.u64("record size");
    e.checksum = r.u64("record checksum");
    const uint64_t check = r.u64("record header check");
    if (magic != kRecordMagic ||
        check != fnv1a64(std::span<const uint8_t>(buf).first(kRecordHeaderBytes - 8))) {
      out.notes.push_back("journal file '" + file.string() + "' has a damaged record at byte " +
                          std::to_string(pos) + "; the rest of the file is ignored");
      return;
    }
    pos += kRecordHeaderBytes;
    if (e.size > file_size - pos) {
      out.notes.push_back("journal file '" + file.string() + "' ends in a torn record (ignored)");
      return;
    }
    if (!read_exact(buf, e.size)) {
      out.notes.push_back("journal file '" + file.string() + "' could not be read to its end");
      return;
    }
    e.file = file;
    e.offset = pos;
    pos += e.size;
    if (fnv1a64(buf) != e.checksum) {
      out.notes.push_back("journal record of shard " + std::to_string(e.shard) + " in '" +
                          file.string() + "' fails its checksum; ignored");
      continue;
    }
    if (seen.insert(e.shard).second) out.entries.push_back(std::move(e));
  }
}

}  // namespace

JournalScan scan_journal(const fs::path& dir, const std::string& fingerprint) {
  JournalScan out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".tsj")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // deterministic choice among duplicates
  std::set<uint64_t> seen;
  for (const auto& f : files) scan_file(f, fingerprint, seen, out);
  return out;
}

std::vector<uint8_t> load_journal_proof(const JournalEntry& e) {
  std::ifstream in(e.file, std::ios::binary);
  std::vector<uint8_t> bytes(e.size);
  in.seekg(static_cast<std::streamoff>(e.offset));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(e.size));
  TESSERA_CHECK(in && static_cast<uint64_t>(in.gcount()) == e.size, ErrorKind::Format,
                "journal file '" << e.file.string() << "' lost the proof of shard " << e.shard);
  TESSERA_CHECK(fnv1a64(bytes) == e.checksum, ErrorKind::Format,
                "journal record of shard " << e.shard << " in '" << e.file.string()
                                           << "' fails its checksum");
  return bytes;
}

}  // namespace tessera
