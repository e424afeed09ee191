// The HDF5 artifact in one process: the request, shard table, appended proofs, final record and
// timings read back as written; proofs stay in append order and rewrite_from restores shard
// order; bad files are one typed error each (missing: InputFile; not HDF5, truncated, not an
// artifact, inconsistent request: Format); an existing file is never overwritten.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "io/artifact.hpp"
#include "io/checksum.hpp"
#include "io/h5_check.hpp"
#include "shard/statement.hpp"

namespace tessera {
namespace {

namespace fs = std::filesystem;

class ArtifactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "tessera-artifact-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ArtifactRequest request(uint64_t shards) {
    ArtifactRequest r;
    r.machine = "hashchain";
    r.config = "test";
    r.parameters = {{"steps", "64"}, {"seed", "3"}, {"config", "test"}};
    r.num_shards = shards;
    r.initial_state = {BabyBear::from_u32(5), BabyBear::from_u32(BabyBear::kModulus - 1)};
    r.tessera_version = "9.9.9";
    return r;
  }
  static std::vector<uint8_t> proof(uint64_t shard) {
    std::vector<uint8_t> p(100 + 37 * shard);
    for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<uint8_t>(shard * 31 + i * 7);
    return p;
  }
  static AppendEntry entry(uint64_t shard) {
    const auto p = proof(shard);
    return {shard, p.size(), fnv1a64(p), 0, static_cast<int32_t>(shard % 3), 1};
  }
  static std::function<std::span<const uint8_t>(uint64_t)> bytes_from(
      std::map<uint64_t, std::vector<uint8_t>>& store) {
    return [&store](uint64_t s) -> std::span<const uint8_t> {
      store[s] = proof(s);
      return store[s];
    };
  }
  ErrorKind open_error(const fs::path& p, std::string* what = nullptr) {
    try {
      Artifact::open(p, Artifact::Mode::ReadOnly, std::nullopt);
    } catch (const Error& e) {
      if (what) *what = e.what();
      return e.kind();
    }
    return ErrorKind::Internal;
  }
  fs::path dir_;
};

TEST_F(ArtifactTest, RequestAndEmptyTableRoundTrip) {
  const fs::path p = dir_ / "a.h5";
  Artifact::create(p, request(5), std::nullopt).close();
  const Artifact a = Artifact::open(p, Artifact::Mode::ReadOnly, std::nullopt);
  EXPECT_EQ(a.request().fingerprint(), request(5).fingerprint());
  EXPECT_EQ(a.request().tessera_version, "9.9.9");
  EXPECT_EQ(a.request().parameters.at("seed"), "3");
  ASSERT_EQ(a.shards().size(), 5u);
  for (const auto& e : a.shards()) EXPECT_EQ(e.status, ShardStatus::Missing);
  EXPECT_EQ(a.count(ShardStatus::Missing), 5u);
  EXPECT_EQ(a.proof_bytes_used(), 0u);
  EXPECT_FALSE(a.read_final().has_value());
  EXPECT_FALSE(a.read_timings().has_value());
}

TEST_F(ArtifactTest, AppendedProofsReadBackInAnyOrder) {
  const fs::path p = dir_ / "a.h5";
  std::map<uint64_t, std::vector<uint8_t>> store;
  {
    Artifact a = Artifact::create(p, request(6), std::nullopt);
    const std::vector<AppendEntry> b1 = {entry(0), entry(1)};
    a.append_proofs(b1, bytes_from(store));
    const std::vector<AppendEntry> b2 = {entry(4), entry(2)};  // out of order: allowed
    a.append_proofs(b2, bytes_from(store));
    a.close();
  }
  Artifact a = Artifact::open(p, Artifact::Mode::ReadOnly, std::nullopt);
  EXPECT_EQ(a.count(ShardStatus::Proven), 4u);
  EXPECT_EQ(a.shards()[3].status, ShardStatus::Missing);
  EXPECT_EQ(a.shards()[4].offset, proof(0).size() + proof(1).size());
  EXPECT_EQ(a.shards()[4].prover_rank, 1);
  const std::vector<uint64_t> ask = {4, 0, 2};
  const auto got = a.read_proofs(ask);
  for (size_t k = 0; k < ask.size(); ++k) EXPECT_EQ(got[k], proof(ask[k])) << ask[k];
  EXPECT_EQ(a.first_out_of_order(), 2u);
  EXPECT_THROW(a.read_proof(3), Error);  // no proof stored
}

TEST_F(ArtifactTest, RewriteFromRestoresShardOrder) {
  const fs::path p = dir_ / "a.h5";
  std::map<uint64_t, std::vector<uint8_t>> store;
  uint64_t canonical_end = 0;
  for (uint64_t s = 0; s < 4; ++s) canonical_end += proof(s).size();
  {
    Artifact a = Artifact::create(p, request(4), std::nullopt);
    const std::vector<AppendEntry> b = {entry(0), entry(2), entry(1), entry(3)};
    a.append_proofs(b, bytes_from(store));
    ASSERT_EQ(a.first_out_of_order(), 1u);
    const std::vector<AppendEntry> tail = {entry(1), entry(2), entry(3)};
    a.rewrite_from(1, tail, bytes_from(store));
    EXPECT_EQ(a.first_out_of_order(), 4u);
    a.close();
  }
  Artifact a = Artifact::open(p, Artifact::Mode::ReadOnly, std::nullopt);
  EXPECT_EQ(a.first_out_of_order(), 4u);
  EXPECT_EQ(a.proof_bytes_used(), canonical_end);
  for (uint64_t s = 0; s < 4; ++s) EXPECT_EQ(a.read_proof(s), proof(s));
}

TEST_F(ArtifactTest, StatusTruncateFinalAndTimings) {
  const fs::path p = dir_ / "a.h5";
  std::map<uint64_t, std::vector<uint8_t>> store;
  FinalRecord fin;
  RunTimings t;
  {
    Artifact a = Artifact::create(p, request(3), std::nullopt);
    const std::vector<AppendEntry> b = {entry(0), entry(1), entry(2)};
    a.append_proofs(b, bytes_from(store));
    const std::vector<uint64_t> failed = {2};
    a.set_status(failed, ShardStatus::Failed);
    a.truncate_proofs(proof(0).size() + proof(1).size());
    EXPECT_THROW(a.truncate_proofs(proof(0).size()), Error);  // would cut shard 1
    for (uint64_t s = 0; s < 3; ++s)
      fin.leaf_statements.push_back(statement_bytes(
          {s, s + 1, {BabyBear::from_u32(uint32_t(s))}, {BabyBear::from_u32(uint32_t(s + 1))}}));
    fin.tree.push_back({1, 0, 2, 0, 1, 0,
                        statement_bytes({0, 2, {BabyBear::from_u32(0)}, {BabyBear::from_u32(2)}})});
    fin.tree.push_back({2, 0, 3, 3, 2, 1,
                        statement_bytes({0, 3, {BabyBear::from_u32(0)}, {BabyBear::from_u32(3)}})});
    fin.root_statement = fin.tree.back().statement;
    fin.verified = true;
    a.write_final(fin);
    a.write_final(fin);  // replacing works
    t.phases = {"execute", "prove", "total"};
    t.seconds = {{0.5, 2.0, 3.0}, {0.0, 2.5, 3.0}};
    t.wall_seconds = 3.25;
    t.shards_proven = 3;
    t.retries = 1;
    a.write_timings(t);
    a.close();
  }
  const Artifact a = Artifact::open(p, Artifact::Mode::ReadOnly, std::nullopt);
  EXPECT_EQ(a.shards()[2].status, ShardStatus::Failed);
  EXPECT_EQ(a.shards()[2].size, 0u);
  EXPECT_EQ(a.proof_bytes_used(), proof(0).size() + proof(1).size());
  const auto f = a.read_final();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->leaf_statements, fin.leaf_statements);
  EXPECT_EQ(f->tree, fin.tree);
  EXPECT_EQ(f->root_statement, fin.root_statement);
  EXPECT_TRUE(f->verified);
  const auto rt = a.read_timings();
  ASSERT_TRUE(rt.has_value());
  EXPECT_EQ(rt->phases, t.phases);
  EXPECT_EQ(rt->seconds, t.seconds);
  EXPECT_EQ(rt->wall_seconds, 3.25);
  EXPECT_EQ(rt->shards_proven, 3u);
  EXPECT_EQ(rt->retries, 1u);
}

TEST_F(ArtifactTest, ExistingFileIsNeverOverwritten) {
  const fs::path p = dir_ / "a.h5";
  Artifact::create(p, request(2), std::nullopt).close();
  try {
    Artifact::create(p, request(2), std::nullopt);
    ADD_FAILURE() << "overwrote an existing artifact";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InputFile);
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
  }
}

TEST_F(ArtifactTest, BadFilesAreOneTypedError) {
  std::string what;
  EXPECT_EQ(open_error(dir_ / "missing.h5", &what), ErrorKind::InputFile);
  EXPECT_NE(what.find("does not exist"), std::string::npos);

  const fs::path text = dir_ / "text.h5";
  std::ofstream(text) << "this is not an HDF5 file\n";
  EXPECT_EQ(open_error(text, &what), ErrorKind::Format);
  EXPECT_NE(what.find("not a readable HDF5 file"), std::string::npos) << what;

  const fs::path good = dir_ / "good.h5";
  std::map<uint64_t, std::vector<uint8_t>> store;
  {
    Artifact a = Artifact::create(good, request(3), std::nullopt);
    const std::vector<AppendEntry> b = {entry(0), entry(1), entry(2)};
    a.append_proofs(b, bytes_from(store));
    a.close();
  }
  const fs::path cut = dir_ / "cut.h5";
  fs::copy_file(good, cut);
  fs::resize_file(cut, fs::file_size(good) / 2);
  EXPECT_EQ(open_error(cut, &what), ErrorKind::Format) << what;

  // An HDF5 file that is not an artifact.
  const fs::path other = dir_ / "other.h5";
  h5::quiet();
  hid_t f = H5Fcreate(other.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(f);
  EXPECT_EQ(open_error(other, &what), ErrorKind::Format);
  EXPECT_NE(what.find("not a Tessera artifact"), std::string::npos) << what;

  // A tampered request attribute no longer matches the recorded fingerprint.
  const fs::path tampered = dir_ / "tampered.h5";
  fs::copy_file(good, tampered);
  {
    hid_t tf = H5Fopen(tampered.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t g = H5Gopen2(tf, "request/parameters", H5P_DEFAULT);
    hid_t attr = H5Aopen(g, "seed", H5P_DEFAULT);
    hid_t type = H5Aget_type(attr);
    const char four[2] = {'4', '\0'};
    H5Awrite(attr, type, four);
    H5Tclose(type);
    H5Aclose(attr);
    H5Gclose(g);
    H5Fclose(tf);
  }
  EXPECT_EQ(open_error(tampered, &what), ErrorKind::Format);
  EXPECT_NE(what.find("fingerprint"), std::string::npos) << what;
}

TEST_F(ArtifactTest, H5CheckNamesTheCallAndHdf5sReason) {
  h5::quiet();
  try {
    H5_CHECK(H5Fopen((dir_ / "nope.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Hdf5);
    const std::string what = e.what();
    EXPECT_NE(what.find("HDF5: "), std::string::npos) << what;
    EXPECT_NE(what.find("(in H5Fopen)"), std::string::npos) << what;
    // The source location is for --verbose, not the user's line.
    EXPECT_EQ(what.find("test_artifact.cpp"), std::string::npos) << what;
    EXPECT_NE(e.detail().find("test_artifact.cpp"), std::string::npos) << e.detail();
  }
}

}  // namespace
}  // namespace tessera
