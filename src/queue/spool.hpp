#pragma once
// The queue's spool directory on a shared file system (docs/QUEUE.md): the request table, its
// states and the files that go with them, for any number of drains and users at once.
//
//   DIR/queued/ID               request files (src/queue/request_file.hpp); the folder a request's
//   DIR/running/ID@TOKEN        file is in IS its state, and a request moves between states only
//   DIR/done/ID                 by renaming its file (rename(2): atomic, also on NFS and Lustre,
//   DIR/failed/ID               so a request is always in exactly one state and no crash can lose
//   DIR/cancelled/ID            it or duplicate it); running files carry their claimant's token
//   DIR/inputs/ID/              the submitted ELF and private input (folder 0700, files 0600)
//   DIR/work/ID.h5[.journal/]   a running or interrupted request's artifact and journal
//   DIR/results/ID.h5           a finished request's artifact (moved here whole, once verified)
//   DIR/claims/ID@TOKEN         the claimant's heartbeat and progress (src/queue/claim.hpp)
//   DIR/notes/ID                the request's last outcome: a failure's reason, counts, times
//   DIR/cancel/ID               a cancel asked for while the request runs
//   DIR/tmp/                    files being written; each is renamed into place once complete
//
// Every file other than the request files is written to tmp/ first, synced and renamed over its
// target, so a reader sees the old or the new version, never half of one. Notes, claims and
// cancel flags are annotations: a crash between writing one and the rename it goes with leaves
// the request in its old state with a note that the next transition replaces.
//
// Transitions (each returns false when the source file is gone: another process moved it first):
//   submit   -> queued                  claim    queued  -> running (rename to ID@TOKEN)
//   release  running -> queued          finish   running -> done | failed | cancelled
//   retry    failed | cancelled -> queued          cancel   queued | failed -> cancelled, or a
//   reclaim  running (a stale claim) -> queued, or done when its artifact is already in results/
//                                                  flag that the running request's drain obeys

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "queue/claim.hpp"
#include "queue/request_file.hpp"

namespace tessera::queue {

enum class State { Queued, Running, Done, Failed, Cancelled };
inline constexpr State kStates[] = {State::Queued, State::Running, State::Done, State::Failed,
                                    State::Cancelled};
std::string_view state_name(State s);

// One request as listed: its id, state and (running) claimant.
struct Entry {
  std::string id;
  State state = State::Queued;
  std::string token;  // running: the claimant's token text
  std::filesystem::path file;
};

// A request's last outcome (notes/ID), key/value.
using Note = std::map<std::string, std::string>;

enum class CancelOutcome { Cancelled, Requested, AlreadyDone, AlreadyCancelled, NotFound };

class Spool {
 public:
  // `create`: make DIR (0700) and its folders if missing; otherwise DIR must be a spool
  // (ErrorKind::InputFile naming it).
  explicit Spool(std::filesystem::path dir, bool create = false);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path state_file(const std::string& id, State s,
                                   const std::string& token = "") const;
  std::filesystem::path inputs_dir(const std::string& id) const;
  std::filesystem::path work_artifact(const std::string& id) const;
  std::filesystem::path result(const std::string& id) const;
  std::filesystem::path claim_file(const std::string& id, const std::string& token) const;

  // Writes the request (its id must be new) after copying `files` (name in inputs/ID -> source)
  // into inputs/ID/. Returns the id.
  std::string submit(const QueueRequest& request,
                     const std::vector<std::pair<std::string, std::filesystem::path>>& files);

  std::vector<Entry> list() const;
  std::optional<Entry> find(const std::string& id) const;
  QueueRequest read_request(const Entry& e) const;

  bool claim(const std::string& id, const std::string& token);
  bool release(const std::string& id, const std::string& token);
  // running -> `to` (Done, Failed or Cancelled), with its note written first. Done also moves
  // work/ID.h5 to results/ID.h5 first (when it is in work/) and drops the private inputs after.
  bool finish(const std::string& id, const std::string& token, State to, const Note& note);
  bool retry(const std::string& id);
  CancelOutcome cancel(const std::string& id);
  // A stale claim: back to queued, or to done when its artifact is already in results/.
  bool reclaim(const std::string& id, const std::string& token, const std::string& why);

  void write_claim(const std::string& id, const std::string& token, const ClaimRecord& r);
  std::optional<ClaimRecord> read_claim(const std::string& id, const std::string& token) const;
  void write_note(const std::string& id, const Note& note);
  Note read_note(const std::string& id) const;
  bool cancel_requested(const std::string& id) const;

  // Files in tmp/ and input folders without a request, older than `age` seconds: what a crash in
  // the middle of a write or a submission left behind.
  void remove_leftovers(double age);

  // Test hook: called at every step of every transition (between two file system operations),
  // so a test can kill the process there.
  using StepHook = std::function<void(std::string_view step)>;
  void set_step_hook(StepHook hook) { hook_ = std::move(hook); }

 private:
  void step(std::string_view name) const {
    if (hook_) hook_(name);
  }
  // Writes `text` to tmp/, syncs it, renames it to `target`, syncs target's folder.
  void atomic_write(const std::filesystem::path& target, const std::string& text,
                    unsigned mode = 0644) const;
  // rename(2) from -> to; false when `from` is gone (ENOENT). Other errors throw.
  bool move(const std::filesystem::path& from, const std::filesystem::path& to) const;
  std::filesystem::path tmp_name() const;

  std::filesystem::path dir_;
  StepHook hook_;
};

}  // namespace tessera::queue
