#pragma once
// The artifact's sidecar journal: a write-ahead log of proven shards, so that a job killed at
// any instant (SIGKILL, node loss, walltime) loses only the shards that were being proven.
//
// Why a journal next to the HDF5 file: parallel HDF5 1.10 has no SWMR, its collective writes
// need every rank at once, and a process killed between two flushes can leave the file's
// metadata half written. So each rank appends every proof it finishes to its own journal file
// before the proof is reported done (a write that has returned survives the death of the
// process; with `sync` it is also fdatasync'ed, to survive the loss of the node or of power,
// at the price of one sync per shard); the artifact receives the proofs
// in collective batches that are flushed; and `--resume` takes the union of the artifact's
// stored shards and the journal's records, each checked against its checksum. If the HDF5 file
// itself is unreadable the journal alone rebuilds it. The journal folder is removed once the
// artifact holds every proof and the final statement.
//
// Layout: folder `<artifact>.journal/`, one file per rank and run, `<run>-r<rank>.tsj`:
//   header: u32 magic "TSJH", u32 version, u32 length + fingerprint of the request, u64 FNV-1a
//           of the preceding header bytes;
//   record: u32 magic "TSJR", i32 prover rank, u64 shard, u64 size, u64 proof checksum (FNV-1a),
//           u64 FNV-1a of these 32 bytes, then `size` proof bytes.
// A torn record at the end of a file (the write that a kill interrupted) is ignored; so is a
// file of another request.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace tessera {

std::filesystem::path journal_dir(const std::filesystem::path& artifact);

class JournalWriter {
 public:
  // Creates `dir` if needed and a new file `file_name` in it (an existing one is an error).
  JournalWriter(const std::filesystem::path& dir, const std::string& file_name,
                const std::string& fingerprint, bool sync = true);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Appends one proven shard; returns once the record is written (and synced, with `sync`).
  // Safe to call from several threads (a rank's prover thread and its main thread).
  void append(uint64_t shard, std::span<const uint8_t> proof, uint64_t checksum, int prover_rank);
  const std::filesystem::path& path() const { return path_; }

 private:
  void write_all(std::span<const uint8_t> bytes);
  std::filesystem::path path_;
  std::mutex mu_;  // one record at a time
  int fd_ = -1;
  bool sync_ = true;
};

struct JournalEntry {
  uint64_t shard = 0;
  uint64_t size = 0;
  uint64_t checksum = 0;
  int32_t prover_rank = -1;
  std::filesystem::path file;
  uint64_t offset = 0;  // of the proof bytes in `file`
};

struct JournalScan {
  std::vector<JournalEntry> entries;  // valid records, first one per shard, in file order
  std::vector<std::string> notes;     // torn tails, foreign or damaged files (one line each)
  size_t files = 0;
};

// Reads every journal file of `dir` (missing folder: empty scan). Records are validated (header
// check, proof checksum) and only records of the request `fingerprint` are kept.
JournalScan scan_journal(const std::filesystem::path& dir, const std::string& fingerprint);

// The proof bytes of an entry, checked against its checksum (ErrorKind::Format otherwise).
std::vector<uint8_t> load_journal_proof(const JournalEntry& entry);

}  // namespace tessera
