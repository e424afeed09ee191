// artifact_edit: edits an artifact in place the way an attacker (or a bit flip) would, for the
// command-line tests of `tessera verify` (tests/artifact/cli_verify_tamper.sh). HDF5 C API only,
// no Tessera code, so the edits bypass every check the artifact writer makes.
//
//   artifact_edit FILE set DATASET INDEX VALUE     element INDEX of a 1-d integer dataset
//   artifact_edit FILE set-attr OBJECT NAME VALUE  an existing scalar integer attribute
//   artifact_edit FILE claim-shards N              a forged shard count: /request's num_shards,
//       its 'shards' (rv32im) or 'steps' (hashchain) parameter and fingerprint say N, and the six
//       /shards tables are replaced by datasets of N entries that were never written (they
//       occupy no bytes in the file)
//   artifact_edit FILE drop DATASET                 unlinks a dataset

#include <hdf5.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "artifact_edit: %s\n", why.c_str());
  std::exit(1);
}

hid_t must(hid_t id, const char* what) {
  if (id < 0) die(std::string("HDF5 call failed: ") + what);
  return id;
}

std::string read_string_attr(hid_t obj, const char* name) {
  const hid_t a = must(H5Aopen(obj, name, H5P_DEFAULT), name);
  const hid_t t = must(H5Aget_type(a), "type");
  std::string buf(H5Tget_size(t), '\0');
  must(H5Aread(a, t, buf.data()), "read");
  H5Tclose(t);
  H5Aclose(a);
  buf.resize(buf.find('\0') == std::string::npos ? buf.size() : buf.find('\0'));
  return buf;
}

void write_string_attr(hid_t obj, const char* name, const std::string& value) {
  if (H5Aexists(obj, name) > 0) H5Adelete(obj, name);
  const hid_t t = must(H5Tcopy(H5T_C_S1), "copy");
  H5Tset_size(t, value.empty() ? 1 : value.size());
  H5Tset_strpad(t, H5T_STR_NULLPAD);
  const hid_t s = must(H5Screate(H5S_SCALAR), "space");
  const hid_t a = must(H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT), name);
  std::string buf = value.empty() ? std::string(1, '\0') : value;
  must(H5Awrite(a, t, buf.data()), "write");
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  if (at == std::string::npos) die("fingerprint has no '" + from + "'");
  s.replace(at, from.size(), to);
}

void claim_shards(hid_t f, uint64_t n) {
  const hid_t req = must(H5Gopen2(f, "request", H5P_DEFAULT), "/request");
  const hid_t params = must(H5Gopen2(req, "parameters", H5P_DEFAULT), "/request/parameters");
  uint64_t old = 0;
  {
    const hid_t a = must(H5Aopen(req, "num_shards", H5P_DEFAULT), "num_shards");
    must(H5Aread(a, H5T_NATIVE_UINT64, &old), "read num_shards");
    must(H5Awrite(a, H5T_NATIVE_UINT64, &n), "write num_shards");
    H5Aclose(a);
  }
  std::string fp = read_string_attr(req, "fingerprint");
  replace_all(fp, ";shards=" + std::to_string(old) + ";", ";shards=" + std::to_string(n) + ";");
  if (H5Aexists(params, "shards") > 0) {  // rv32im
    write_string_attr(params, "shards", std::to_string(n));
    replace_all(fp, ";param.shards=" + std::to_string(old), ";param.shards=" + std::to_string(n));
  } else if (H5Aexists(params, "steps") > 0) {  // hashchain: steps = shards * shard_steps
    const std::string per = read_string_attr(params, "shard_steps");
    const std::string steps = read_string_attr(params, "steps");
    const std::string forged = std::to_string(n * std::stoull(per));
    write_string_attr(params, "steps", forged);
    replace_all(fp, ";param.steps=" + steps, ";param.steps=" + forged);
  }
  write_string_attr(req, "fingerprint", fp);
  H5Gclose(params);
  H5Gclose(req);

  const hid_t shards = must(H5Gopen2(f, "shards", H5P_DEFAULT), "/shards");
  const struct {
    const char* name;
    hid_t type;
  } tables[] = {{"status", H5T_STD_U8LE},          {"proof_offsets", H5T_STD_U64LE},
                {"proof_sizes", H5T_STD_U64LE},    {"proof_checksums", H5T_STD_U64LE},
                {"prover_rank", H5T_STD_I32LE},    {"attempts", H5T_STD_U32LE}};
  const hsize_t dims = n;
  for (const auto& t : tables) {
    if (H5Lexists(shards, t.name, H5P_DEFAULT) > 0) H5Ldelete(shards, t.name, H5P_DEFAULT);
    const hid_t space = must(H5Screate_simple(1, &dims, nullptr), "space");
    const hid_t dcpl = must(H5Pcreate(H5P_DATASET_CREATE), "dcpl");
    H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_LATE);  // never written: no storage at all
    const hid_t d = must(H5Dcreate2(shards, t.name, t.type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                         t.name);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
  }
  H5Gclose(shards);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) die("usage: artifact_edit FILE set|set-attr|claim-shards|drop ...");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = must(H5Fopen(argv[1], H5F_ACC_RDWR, H5P_DEFAULT), argv[1]);
  const std::string op = argv[2];
  if (op == "set" && argc == 6) {
    const hid_t d = must(H5Dopen2(f, argv[3], H5P_DEFAULT), argv[3]);
    const hid_t space = must(H5Dget_space(d), "space");
    const hsize_t start = std::stoull(argv[4]), count = 1;
    must(H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nullptr, &count, nullptr), "select");
    const hid_t mem = must(H5Screate_simple(1, &count, nullptr), "mem");
    const int64_t v = std::stoll(argv[5]);
    must(H5Dwrite(d, H5T_NATIVE_INT64, mem, space, H5P_DEFAULT, &v), "write");
    H5Sclose(mem);
    H5Sclose(space);
    H5Dclose(d);
  } else if (op == "set-attr" && argc == 6) {
    // H5Aopen_by_name's handle cannot be written in HDF5 1.10 ("can't locate open attribute"):
    // open the object first.
    const hid_t obj = must(H5Oopen(f, argv[3], H5P_DEFAULT), argv[3]);
    const hid_t a = must(H5Aopen(obj, argv[4], H5P_DEFAULT), argv[4]);
    // In the attribute's own (native) type: the value's low bytes (little-endian host).
    const int64_t v = std::stoll(argv[5]);
    const hid_t t = must(H5Aget_type(a), "type");
    const hid_t native = must(H5Tget_native_type(t, H5T_DIR_ASCEND), "native type");
    must(H5Awrite(a, native, &v), "write attribute");
    H5Tclose(native);
    H5Tclose(t);
    H5Aclose(a);
    H5Oclose(obj);
  } else if (op == "claim-shards" && argc == 4) {
    claim_shards(f, std::stoull(argv[3]));
  } else if (op == "drop" && argc == 4) {
    must(H5Ldelete(f, argv[3], H5P_DEFAULT), argv[3]);
  } else {
    die("bad arguments for '" + op + "'");
  }
  must(H5Fclose(f), "close");
  return 0;
}
