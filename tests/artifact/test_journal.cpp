// The artifact's journal: records read back with their checksums; a torn last record (a kill in
// the middle of a write), a corrupted record, a file of another request and a stray file are
// ignored with a note, never trusted; the first record of a shard wins.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "io/checksum.hpp"
#include "io/journal.hpp"

namespace tessera {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "tessera-journal-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = fs::path(tmpl) / "a.h5.journal";
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }
  static std::vector<uint8_t> proof(uint64_t s) {
    return std::vector<uint8_t>(50 + s, static_cast<uint8_t>(s));
  }
  void write(const std::string& file, const std::string& fp, std::vector<uint64_t> shards) {
    JournalWriter w(dir_, file, fp);
    for (uint64_t s : shards) w.append(s, proof(s), fnv1a64(proof(s)), static_cast<int>(s % 2));
  }
  fs::path dir_;
};

TEST_F(JournalTest, RecordsReadBack) {
  write("run1-r0.tsj", "request-A", {0, 2, 4});
  write("run1-r1.tsj", "request-A", {1, 3});
  const JournalScan scan = scan_journal(dir_, "request-A");
  EXPECT_EQ(scan.files, 2u);
  EXPECT_TRUE(scan.notes.empty());
  ASSERT_EQ(scan.entries.size(), 5u);
  for (const auto& e : scan.entries) {
    EXPECT_EQ(load_journal_proof(e), proof(e.shard));
    EXPECT_EQ(e.prover_rank, static_cast<int>(e.shard % 2));
  }
  EXPECT_EQ(journal_dir("x/out.h5"), fs::path("x/out.h5.journal"));
}

TEST_F(JournalTest, MissingFolderIsAnEmptyScan) {
  const JournalScan scan = scan_journal(dir_ / "none", "request-A");
  EXPECT_TRUE(scan.entries.empty());
  EXPECT_EQ(scan.files, 0u);
}

TEST_F(JournalTest, TornLastRecordIsIgnored) {
  write("run1-r0.tsj", "request-A", {0, 1, 2});
  const fs::path f = dir_ / "run1-r0.tsj";
  fs::resize_file(f, fs::file_size(f) - 10);  // the last write cut short
  const JournalScan scan = scan_journal(dir_, "request-A");
  ASSERT_EQ(scan.entries.size(), 2u);
  EXPECT_EQ(scan.entries[1].shard, 1u);
  ASSERT_EQ(scan.notes.size(), 1u);
  EXPECT_NE(scan.notes[0].find("torn record"), std::string::npos) << scan.notes[0];
}

TEST_F(JournalTest, CorruptedRecordIsNotTrusted) {
  write("run1-r0.tsj", "request-A", {0, 1});
  const fs::path f = dir_ / "run1-r0.tsj";
  {
    std::fstream io(f, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(-5, std::ios::end);  // inside shard 1's proof bytes
    io.put('\x7f');
  }
  const JournalScan scan = scan_journal(dir_, "request-A");
  ASSERT_EQ(scan.entries.size(), 1u);
  EXPECT_EQ(scan.entries[0].shard, 0u);
  ASSERT_EQ(scan.notes.size(), 1u);
  EXPECT_NE(scan.notes[0].find("fails its checksum"), std::string::npos);
}

TEST_F(JournalTest, OtherRequestsAndStrayFilesAreIgnored) {
  write("run1-r0.tsj", "request-B", {0});
  fs::create_directories(dir_);
  std::ofstream(dir_ / "junk.tsj") << "garbage";
  std::ofstream(dir_ / "notes.txt") << "not a journal";
  const JournalScan scan = scan_journal(dir_, "request-A");
  EXPECT_TRUE(scan.entries.empty());
  EXPECT_EQ(scan.notes.size(), 2u);  // the foreign file and the junk one (.txt is not looked at)
}

TEST_F(JournalTest, FirstRecordOfAShardWins) {
  write("a-r0.tsj", "request-A", {3});
  write("b-r0.tsj", "request-A", {3, 4});
  const JournalScan scan = scan_journal(dir_, "request-A");
  ASSERT_EQ(scan.entries.size(), 2u);
  EXPECT_EQ(scan.entries[0].file.filename(), "a-r0.tsj");
}

TEST_F(JournalTest, ANewFileNeverReplacesAnOldOne) {
  write("run1-r0.tsj", "request-A", {0});
  EXPECT_THROW(JournalWriter(dir_, "run1-r0.tsj", "request-A"), Error);
}

}  // namespace
}  // namespace tessera
