#include "queue/spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "common/check.hpp"

namespace tessera::queue {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = "tessera-queue";
constexpr const char* kFolders[] = {"queued", "running", "done",   "failed", "cancelled", "inputs",
                                    "work",   "results", "claims", "notes",  "cancel",    "tmp"};

const char* folder(State s) {
  switch (s) {
    case State::Queued:
      return "queued";
    case State::Running:
      return "running";
    case State::Done:
      return "done";
    case State::Failed:
      return "failed";
    case State::Cancelled:
      return "cancelled";
  }
  return "queued";
}

// Makes a rename or a new file durable where the file system allows it (an fsync of the folder
// on local file systems; NFS commits metadata operations on the server before they return).
void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  TESSERA_CHECK(in.good(), ErrorKind::InputFile, "cannot read '" << p.string() << "'");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

double age_seconds(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return 0;
  return unix_now() - static_cast<double>(st.st_mtime);
}

}  // namespace

std::string_view state_name(State s) {
  return folder(s);
}

Spool::Spool(fs::path dir, bool create) : dir_(std::move(dir)) {
  const fs::path marker = dir_ / kMarker;
  if (create && !fs::exists(marker)) {
    std::error_code ec;
    if (!fs::exists(dir_)) {
      fs::create_directories(dir_, ec);
      TESSERA_CHECK(!ec, ErrorKind::InputFile,
                    "cannot create the queue '" << dir_.string() << "': " << ec.message());
      // The spool holds private inputs: only its owner may enter it (docs/QUEUE.md).
      ::chmod(dir_.c_str(), 0700);
    }
    for (const char* f : kFolders) {
      fs::create_directories(dir_ / f, ec);
      TESSERA_CHECK(!ec, ErrorKind::InputFile,
                    "cannot create '" << (dir_ / f).string() << "': " << ec.message());
    }
    ::chmod((dir_ / "inputs").c_str(), 0700);
    atomic_write(marker, "tessera-queue 1\n");
  }
  TESSERA_CHECK(fs::exists(marker), ErrorKind::InputFile,
                "'" << dir_.string()
                    << "' is not a tessera queue (no tessera-queue file in it; "
                       "'tessera queue submit' creates one)");
}

fs::path Spool::state_file(const std::string& id, State s, const std::string& token) const {
  return dir_ / folder(s) / (s == State::Running ? id + "@" + token : id);
}
fs::path Spool::inputs_dir(const std::string& id) const {
  return dir_ / "inputs" / id;
}
fs::path Spool::work_artifact(const std::string& id) const {
  return dir_ / "work" / (id + ".h5");
}
fs::path Spool::result(const std::string& id) const {
  return dir_ / "results" / (id + ".h5");
}
fs::path Spool::claim_file(const std::string& id, const std::string& token) const {
  return dir_ / "claims" / (id + "@" + token);
}

fs::path Spool::tmp_name() const {
  static std::atomic<uint64_t> count{0};
  static const uint64_t salt = std::random_device{}();
  return dir_ / "tmp" /
         (ClaimToken::mine().host + "." + std::to_string(::getpid()) + "." +
          std::to_string(salt & 0xffffff) + "." + std::to_string(++count));
}

void Spool::atomic_write(const fs::path& target, const std::string& text, unsigned mode) const {
  const fs::path tmp = tmp_name();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  TESSERA_CHECK(fd >= 0, ErrorKind::InputFile,
                "cannot write '" << tmp.string() << "': " << std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      TESSERA_FAIL(ErrorKind::InputFile,
                   "cannot write '" << tmp.string() << "': " << std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  ::fchmod(fd, mode);  // whatever the umask says
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  TESSERA_CHECK(synced, ErrorKind::InputFile, "cannot sync '" << tmp.string() << "'");
  step("temporary file written");
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    TESSERA_FAIL(ErrorKind::InputFile,
                 "cannot rename into '" << target.string() << "': " << std::strerror(err));
  }
  sync_dir(target.parent_path());
  step("renamed into place");
}

bool Spool::move(const fs::path& from, const fs::path& to) const {
  if (::rename(from.c_str(), to.c_str()) == 0) {
    sync_dir(to.parent_path());
    if (from.parent_path() != to.parent_path()) sync_dir(from.parent_path());
    return true;
  }
  const int err = errno;
  if (err == ENOENT) {
    // Gone: another process moved it first — or, on NFS, a retransmitted rename that the server
    // had already done (then the target is ours and the source is gone).
    std::error_code ec;
    return !fs::exists(from, ec) && fs::exists(to, ec) &&
           to.filename().string().find('@') != std::string::npos;
  }
  TESSERA_FAIL(ErrorKind::InputFile, "cannot move '" << from.string() << "' to '" << to.string()
                                                     << "': " << std::strerror(err));
}

std::string Spool::submit(const QueueRequest& request,
                          const std::vector<std::pair<std::string, fs::path>>& files) {
  check_file_name(request.id, "request id");
  TESSERA_CHECK(!find(request.id), ErrorKind::InputFile,
                "request " << request.id << " exists already in '" << dir_.string() << "'");
  if (!files.empty()) {
    const fs::path in = inputs_dir(request.id);
    std::error_code ec;
    fs::create_directories(in, ec);
    TESSERA_CHECK(!ec, ErrorKind::InputFile,
                  "cannot create '" << in.string() << "': " << ec.message());
    ::chmod(in.c_str(), 0700);  // the input is private
    for (const auto& [name, source] : files) {
      atomic_write(in / name, read_text(source), 0600);
      step("input copied");
    }
  }
  atomic_write(state_file(request.id, State::Queued), format_request(request));
  return request.id;
}

std::vector<Entry> Spool::list() const {
  std::vector<Entry> out;
  for (State s : kStates) {
    std::error_code ec;
    for (const auto& de : fs::directory_iterator(dir_ / folder(s), ec)) {
      const std::string name = de.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      Entry e;
      e.state = s;
      e.file = de.path();
      if (s == State::Running) {
        const size_t at = name.find('@');
        if (at == std::string::npos) continue;
        e.id = name.substr(0, at);
        e.token = name.substr(at + 1);
      } else {
        e.id = name;
      }
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::optional<Entry> Spool::find(const std::string& id) const {
  std::error_code ec;
  for (State s : kStates) {
    if (s == State::Running) {
      const std::string prefix = id + "@";
      for (const auto& de : fs::directory_iterator(dir_ / "running", ec)) {
        const std::string name = de.path().filename().string();
        if (name.rfind(prefix, 0) == 0)
          return Entry{id, State::Running, name.substr(prefix.size()), de.path()};
      }
      continue;
    }
    const fs::path p = state_file(id, s);
    if (fs::exists(p, ec)) return Entry{id, s, "", p};
  }
  return std::nullopt;
}

QueueRequest Spool::read_request(const Entry& e) const {
  return parse_request(read_text(e.file), "'" + e.file.string() + "'");
}

bool Spool::claim(const std::string& id, const std::string& token) {
  const bool ok = move(state_file(id, State::Queued), state_file(id, State::Running, token));
  if (ok) step("claimed");
  return ok;
}

bool Spool::release(const std::string& id, const std::string& token) {
  if (!move(state_file(id, State::Running, token), state_file(id, State::Queued))) return false;
  step("released");
  std::error_code ec;
  fs::remove(claim_file(id, token), ec);
  return true;
}

bool Spool::finish(const std::string& id, const std::string& token, State to, const Note& note) {
  TESSERA_CHECK(to == State::Done || to == State::Failed || to == State::Cancelled,
                ErrorKind::Internal, "a running request cannot finish as " << state_name(to));
  const fs::path from = state_file(id, State::Running, token);
  std::error_code ec;
  if (!fs::exists(from, ec)) return false;  // the claim is no longer ours
  write_note(id, note);
  if (to == State::Done && fs::exists(work_artifact(id), ec)) {
    // The artifact reaches results/ whole: a reader never sees a partial one there.
    move(work_artifact(id), result(id));
    step("artifact moved to results");
  }
  if (!move(from, state_file(id, to))) return false;
  step("state moved");
  fs::remove(claim_file(id, token), ec);
  if (to == State::Done) {
    fs::remove_all(inputs_dir(id), ec);  // private, and no longer needed
    fs::remove_all(fs::path(work_artifact(id).string() + ".journal"), ec);
  }
  fs::remove(dir_ / "cancel" / id, ec);  // a cancel that came too late has nothing left to stop
  return true;
}

bool Spool::retry(const std::string& id) {
  const auto e = find(id);
  TESSERA_CHECK(e.has_value(), ErrorKind::InputFile,
                "no request " << id << " in '" << dir_.string() << "'");
  TESSERA_CHECK(e->state == State::Failed || e->state == State::Cancelled, ErrorKind::Usage,
                "request " << id << " is " << state_name(e->state)
                           << ": only a failed or cancelled request can be retried");
  std::error_code ec;
  fs::remove(dir_ / "cancel" / id, ec);
  return move(e->file, state_file(id, State::Queued));
}

CancelOutcome Spool::cancel(const std::string& id) {
  std::error_code ec;
  if (move(state_file(id, State::Queued), state_file(id, State::Cancelled))) {
    write_note(id, {{"state", "cancelled"}, {"reason", "cancelled while queued"}});
    fs::remove(dir_ / "cancel" / id, ec);
    return CancelOutcome::Cancelled;
  }
  const auto e = find(id);
  if (!e) return CancelOutcome::NotFound;
  switch (e->state) {
    case State::Done:
      return CancelOutcome::AlreadyDone;
    case State::Cancelled:
      return CancelOutcome::AlreadyCancelled;
    case State::Failed:
      if (move(e->file, state_file(id, State::Cancelled))) return CancelOutcome::Cancelled;
      return cancel(id);  // retried meanwhile: cancel it where it is now
    case State::Queued:
      return cancel(id);  // released meanwhile
    case State::Running:
      break;
  }
  // Its drain stops it at the next shard; a drain that claims it later cancels it at once.
  atomic_write(dir_ / "cancel" / id, "cancel\n");
  step("cancel flag written");
  // Released back to the queue in the meantime: cancel it there.
  if (move(state_file(id, State::Queued), state_file(id, State::Cancelled))) {
    write_note(id, {{"state", "cancelled"}, {"reason", "cancelled while queued"}});
    fs::remove(dir_ / "cancel" / id, ec);
    return CancelOutcome::Cancelled;
  }
  return CancelOutcome::Requested;
}

bool Spool::reclaim(const std::string& id, const std::string& token, const std::string& why) {
  std::error_code ec;
  // Its artifact reached results/ before the claimant died: it only missed the last rename.
  const bool complete = fs::exists(result(id), ec);
  const State to = complete ? State::Done : State::Queued;
  if (!fs::exists(state_file(id, State::Running, token), ec)) return false;
  Note note = read_note(id);
  note["reclaimed"] = why;
  write_note(id, note);
  if (!move(state_file(id, State::Running, token), state_file(id, to))) return false;
  step("reclaimed");
  fs::remove(claim_file(id, token), ec);
  if (complete) fs::remove_all(inputs_dir(id), ec);
  return true;
}

void Spool::write_claim(const std::string& id, const std::string& token, const ClaimRecord& r) {
  atomic_write(claim_file(id, token), r.format());
}

std::optional<ClaimRecord> Spool::read_claim(const std::string& id,
                                             const std::string& token) const {
  std::ifstream in(claim_file(id, token), std::ios::binary);
  if (!in.good()) return std::nullopt;
  return ClaimRecord::parse(
      std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

void Spool::write_note(const std::string& id, const Note& note) {
  std::ostringstream os;
  os << "tessera-queue-note 1\n";
  for (const auto& [k, v] : note) {
    std::string one = v;
    for (char& c : one)
      if (c == '\n' || c == '\r') c = ' ';
    os << k << ' ' << one << '\n';
  }
  os << "end\n";
  atomic_write(dir_ / "notes" / id, os.str());
}

Note Spool::read_note(const std::string& id) const {
  Note note;
  std::ifstream in(dir_ / "notes" / id, std::ios::binary);
  std::string line;
  bool magic = false;
  while (std::getline(in, line)) {
    if (!magic) {
      if (line != "tessera-queue-note 1") return {};
      magic = true;
      continue;
    }
    if (line == "end") return note;
    const size_t sp = line.find(' ');
    note[line.substr(0, sp)] = sp == std::string::npos ? "" : line.substr(sp + 1);
  }
  return {};  // cut short: not a note
}

bool Spool::cancel_requested(const std::string& id) const {
  std::error_code ec;
  return fs::exists(dir_ / "cancel" / id, ec);
}

void Spool::remove_leftovers(double age) {
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(dir_ / "tmp", ec))
    if (age_seconds(de.path()) > age) fs::remove(de.path(), ec);
  for (const auto& de : fs::directory_iterator(dir_ / "inputs", ec)) {
    const std::string id = de.path().filename().string();
    if (age_seconds(de.path()) > age && !find(id)) fs::remove_all(de.path(), ec);
  }
}

}  // namespace tessera::queue
