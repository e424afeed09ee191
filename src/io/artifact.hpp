#pragma once
// The HDF5 artifact of one proving request (DESIGN.md §5; the layout is documented, dataset by
// dataset, in docs/ARTIFACT.md). One file holds the request, every shard proof with its status,
// the leaf statements, the reduction tree, the final (root) statement and per-rank timings.
//
// Parallel or serial. With a `Parallel` communicator every rank of it opens the file through
// MPI-IO (H5Pset_fapl_mpio) and every call below that says "collective" must be made by all of
// its ranks with identical arguments (HDF5 requires identical metadata operations); raw data is
// written with collective transfers (H5FD_MPIO_COLLECTIVE), each rank selecting only the bytes
// it holds. Without one (tessera verify / inspect, unit tests) the file is opened with HDF5's
// default driver and the same calls work in one process.
//
// This file makes no MPI call itself: the communicator is only handed to HDF5.

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "field/babybear.hpp"
#include "io/h5_handle.hpp"

namespace tessera {

class ShardedMachine;

inline constexpr uint32_t kArtifactFormatVersion = 1;
inline constexpr std::string_view kArtifactMagic = "tessera-artifact";

enum class ShardStatus : uint8_t {
  Missing = 0,  // not proven (yet)
  Proven = 1,   // proof bytes stored, checksum recorded
  Failed = 2,   // proving failed with a non-retryable error in the run that wrote the artifact
};
std::string_view shard_status_name(ShardStatus s);

// What was asked for: enough to rebuild the machine and to refuse a resume of another request.
struct ArtifactRequest {
  std::string machine;  // "hashchain", "rv32im"
  std::string config;   // "core", "test", ...
  std::map<std::string, std::string> parameters;
  // Binary parameters (the guest ELF of an rv32im request), /request/blobs/<name>; part of the
  // identity through their checksums.
  std::map<std::string, std::vector<uint8_t>> blobs;
  uint64_t num_shards = 0;
  std::vector<BabyBear> initial_state;
  std::string tessera_version;  // of the run that created the file; not part of the identity

  // The request's identity in one canonical line (machine, config, parameters, shard count,
  // initial state); two requests are the same request iff their fingerprints are equal.
  std::string fingerprint() const;
  // "hashchain config=test seed=1 shard_steps=64 steps=1024" (for messages).
  std::string describe() const;
};
ArtifactRequest request_of(const ShardedMachine& machine);

// One row of the shard table (/shards/*).
struct ShardEntry {
  ShardStatus status = ShardStatus::Missing;
  uint64_t offset = 0;    // into /shards/proofs
  uint64_t size = 0;      // bytes
  uint64_t checksum = 0;  // fnv1a64 of the proof bytes
  int32_t prover_rank = -1;
  uint32_t attempts = 0;  // proving attempts, failed ones included
};

// One proof of an append batch. The batch (the vector of entries, in order) is identical on
// every rank; the bytes of an entry are supplied by the rank named `holder`.
struct AppendEntry {
  uint64_t shard = 0;
  uint64_t size = 0;
  uint64_t checksum = 0;
  int32_t holder = 0;
  int32_t prover_rank = 0;
  uint32_t attempts = 0;
};

// One internal node of the reduction tree as recorded in /tree.
struct TreeRecord {
  uint32_t level = 0;
  uint64_t first_shard = 0;
  uint64_t end_shard = 0;
  int64_t left = 0;  // child node ids: 0..n-1 are the shards, n+j is internal node j
  int64_t right = 0;
  int32_t owner_rank = 0;
  std::vector<uint8_t> statement;  // canonical statement bytes
  friend bool operator==(const TreeRecord&, const TreeRecord&) = default;
};

// What the reduction produced: written once all shards are proven.
struct FinalRecord {
  std::vector<std::vector<uint8_t>> leaf_statements;  // one per shard, canonical bytes
  std::vector<TreeRecord> tree;                       // internal nodes, in node-id order
  std::vector<uint8_t> root_statement;
  bool verified = false;  // the root was checked against the request
  // The run's public output (rv32im: the bytes the guest wrote to fd 1), /final/output; absent
  // for a machine without output and in artifacts written before it was recorded.
  std::optional<std::vector<uint8_t>> public_output;

  // Read back only (write_final derives them from root_statement): /final's readable copies of
  // the root — the attributes first_shard and end_shard and the datasets start_state and
  // end_state — as stored, for `tessera verify` to compare with the root it recomputes.
  struct Readable {
    uint64_t first_shard = 0;
    uint64_t end_shard = 0;
    std::vector<uint32_t> start_state;
    std::vector<uint32_t> end_state;
  };
  std::optional<Readable> readable;
};

// Per-rank, per-phase seconds of the run that last wrote the artifact.
struct RunTimings {
  std::vector<std::string> phases;
  std::vector<std::vector<double>> seconds;  // [rank][phase]
  double wall_seconds = 0;
  uint64_t shards_proven = 0;   // by that run
  uint64_t shards_resumed = 0;  // found stored and reused by that run
  uint64_t retries = 0;
};

class Artifact {
 public:
  struct Parallel {
    MPI_Comm comm;
    int rank;  // this rank in comm; rank 0 writes the small metadata arrays
  };
  enum class Mode { ReadOnly, ReadWrite };

  // Creates a new file (fails with ErrorKind::InputFile if it exists: overwriting is the
  // caller's explicit decision). Collective.
  static Artifact create(const std::filesystem::path& path, const ArtifactRequest& request,
                         std::optional<Parallel> parallel);
  // Opens and validates an existing file: a missing file is ErrorKind::InputFile, a file HDF5
  // cannot read or that lacks the layout is ErrorKind::Format (one line naming the cause).
  // Collective.
  static Artifact open(const std::filesystem::path& path, Mode mode,
                       std::optional<Parallel> parallel);

  Artifact(Artifact&&) noexcept;
  Artifact& operator=(Artifact&&) noexcept;
  ~Artifact();

  const std::filesystem::path& path() const { return path_; }
  const ArtifactRequest& request() const { return request_; }
  // The shard table as last read or written (kept identical on every rank).
  const std::vector<ShardEntry>& shards() const { return shards_; }
  uint64_t proof_bytes_used() const { return used_; }
  uint64_t count(ShardStatus s) const;

  // Collective. Appends the batch's proofs at the end of /shards/proofs in batch order, records
  // them as Proven in the shard table and writes the table. `bytes_of(shard)` is called for the
  // entries this rank holds and must return exactly `size` bytes. The extent and the table are
  // written collectively; each rank writes its own proofs' bytes independently (nothing to
  // aggregate: every proof is one contiguous piece of a known offset).
  void append_proofs(std::span<const AppendEntry> batch,
                     const std::function<std::span<const uint8_t>(uint64_t)>& bytes_of);
  // Collective. Marks shards (status only; their bytes, if any, are dropped by the next
  // truncate) and writes the table.
  void set_status(std::span<const uint64_t> shards, ShardStatus status);
  // Collective. Shrinks /shards/proofs to `used` bytes (resume: drops bytes past the last proof
  // that is kept, so appends continue in shard order).
  void truncate_proofs(uint64_t used);
  // The first shard whose proof is not where shard order puts it (proofs of 0, 1, 2, ... back to
  // back from offset 0), or num_shards when every proof is in place. Needs every shard Proven.
  uint64_t first_out_of_order() const;
  // Collective. Rewrites the proofs of shards [from, n) in shard order after those before
  // `from` (the batch lists them in order with their holders), so the file's bytes end up the
  // same as an uninterrupted run's.
  void rewrite_from(uint64_t from, std::span<const AppendEntry> batch,
                    const std::function<std::span<const uint8_t>(uint64_t)>& bytes_of);
  // Collective in parallel mode: each rank reads the proofs of ITS list (any shards with
  // status Proven; lists may differ between ranks and be empty). Bytes are returned as stored;
  // the caller checks them against the recorded checksums.
  std::vector<std::vector<uint8_t>> read_proofs(std::span<const uint64_t> shards);
  std::vector<uint8_t> read_proof(uint64_t shard) { return std::move(read_proofs({&shard, 1})[0]); }

  // Collective, identical arguments on every rank (rank 0 writes the data). Replaces earlier
  // contents of /shards/statements, /tree and /final.
  void write_final(const FinalRecord& record);
  std::optional<FinalRecord> read_final() const;
  // Collective, identical arguments. Replaces /timings.
  void write_timings(const RunTimings& timings);
  std::optional<RunTimings> read_timings() const;

  // Collective: everything written so far reaches the file (H5Fflush; MPI_File_sync underneath).
  void flush();
  // Collective: flushes and closes, reporting errors (the destructor closes silently).
  void close();

 private:
  Artifact() = default;
  void load_layout();
  void write_shard_table();
  void open_table();
  hid_t dxpl() const { return dxpl_.valid() ? dxpl_.get() : H5P_DEFAULT; }
  hid_t independent_dxpl() const {
    return independent_dxpl_.valid() ? independent_dxpl_.get() : H5P_DEFAULT;
  }
  bool writes_metadata() const { return !parallel_ || parallel_->rank == 0; }

  std::filesystem::path path_;
  std::optional<Parallel> parallel_;
  h5::File file_;
  h5::PropList dxpl_;              // collective transfer in parallel mode, default otherwise
  h5::PropList independent_dxpl_;  // independent transfer in parallel mode, default otherwise
  // The shard table's datasets, open for the artifact's lifetime (opening is collective).
  std::vector<h5::Dataset> table_;
  ArtifactRequest request_;
  std::vector<ShardEntry> shards_;
  uint64_t used_ = 0;
  bool writable_ = false;
};

}  // namespace tessera
