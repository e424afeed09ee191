#include "io/artifact.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <sstream>

#include "common/check.hpp"
#include "io/checksum.hpp"
#include "io/h5_check.hpp"
#include "shard/sharded_machine.hpp"
#include "shard/statement.hpp"

namespace tessera {

namespace {

namespace fs = std::filesystem;

// Proof bytes are appended batch by batch; chunks of this size let the dataset grow without
// rewriting, and are large enough that one shard proof spans few of them.
constexpr hsize_t kProofChunkBytes = 256 * 1024;

// ---- attributes ------------------------------------------------------------------------------

void write_string_attr(hid_t obj, const char* name, std::string_view value) {
  h5::Datatype type(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(type.get(), std::max<size_t>(1, value.size())));
  H5_CHECK(H5Tset_strpad(type.get(), H5T_STR_NULLPAD));
  h5::Dataspace space(H5_CHECK(H5Screate(H5S_SCALAR)));
  if (H5_CHECK(H5Aexists(obj, name)) > 0) H5_CHECK(H5Adelete(obj, name));
  h5::Attribute attr(
      H5_CHECK(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT)));
  std::string buf(value);
  buf.resize(std::max<size_t>(1, value.size()), '\0');
  H5_CHECK(H5Awrite(attr.get(), type.get(), buf.data()));
}

std::string read_string_attr(hid_t obj, const char* name) {
  h5::Attribute attr(H5_CHECK(H5Aopen(obj, name, H5P_DEFAULT)));
  h5::Datatype type(H5_CHECK(H5Aget_type(attr.get())));
  TESSERA_CHECK(H5Tget_class(type.get()) == H5T_STRING && !H5Tis_variable_str(type.get()),
                ErrorKind::Format, "damaged artifact: attribute '" << name << "' is not a string");
  const size_t n = H5Tget_size(type.get());
  std::string buf(n, '\0');
  h5::Datatype mem(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(mem.get(), n));
  H5_CHECK(H5Tset_strpad(mem.get(), H5T_STR_NULLPAD));
  H5_CHECK(H5Aread(attr.get(), mem.get(), buf.data()));
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

template <typename T>
hid_t native_type();
template <>
hid_t native_type<uint8_t>() {
  return H5T_NATIVE_UINT8;
}
template <>
hid_t native_type<uint32_t>() {
  return H5T_NATIVE_UINT32;
}
template <>
hid_t native_type<int32_t>() {
  return H5T_NATIVE_INT32;
}
template <>
hid_t native_type<uint64_t>() {
  return H5T_NATIVE_UINT64;
}
template <>
hid_t native_type<int64_t>() {
  return H5T_NATIVE_INT64;
}
template <>
hid_t native_type<double>() {
  return H5T_NATIVE_DOUBLE;
}

// File types are fixed little-endian so the file reads the same everywhere.
template <typename T>
hid_t file_type();
template <>
hid_t file_type<uint8_t>() {
  return H5T_STD_U8LE;
}
template <>
hid_t file_type<uint32_t>() {
  return H5T_STD_U32LE;
}
template <>
hid_t file_type<int32_t>() {
  return H5T_STD_I32LE;
}
template <>
hid_t file_type<uint64_t>() {
  return H5T_STD_U64LE;
}
template <>
hid_t file_type<int64_t>() {
  return H5T_STD_I64LE;
}
template <>
hid_t file_type<double>() {
  return H5T_IEEE_F64LE;
}

template <typename T>
void write_scalar_attr(hid_t obj, const char* name, T value) {
  h5::Dataspace space(H5_CHECK(H5Screate(H5S_SCALAR)));
  if (H5_CHECK(H5Aexists(obj, name)) > 0) H5_CHECK(H5Adelete(obj, name));
  h5::Attribute attr(
      H5_CHECK(H5Acreate2(obj, name, file_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT)));
  H5_CHECK(H5Awrite(attr.get(), native_type<T>(), &value));
}

template <typename T>
T read_scalar_attr(hid_t obj, const char* name) {
  h5::Attribute attr(H5_CHECK(H5Aopen(obj, name, H5P_DEFAULT)));
  h5::Dataspace space(H5_CHECK(H5Aget_space(attr.get())));
  TESSERA_CHECK(H5Sget_simple_extent_npoints(space.get()) == 1, ErrorKind::Format,
                "damaged artifact: attribute '" << name << "' is not a scalar");
  T value{};
  H5_CHECK(H5Aread(attr.get(), native_type<T>(), &value));
  return value;
}

bool exists(hid_t loc, const char* path) {
  return H5_CHECK(H5Lexists(loc, path, H5P_DEFAULT)) > 0;
}

void unlink_if_exists(hid_t loc, const char* path) {
  if (exists(loc, path)) H5_CHECK(H5Ldelete(loc, path, H5P_DEFAULT));
}

// ---- datasets --------------------------------------------------------------------------------

// A fixed-size dataset (contiguous; dims may contain 0).
template <typename T>
h5::Dataset create_dataset(hid_t loc, const char* name, std::vector<hsize_t> dims) {
  h5::Dataspace space(
      H5_CHECK(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr)));
  h5::PropList dcpl(H5_CHECK(H5Pcreate(H5P_DATASET_CREATE)));
  // Every element is written before the file is closed; filling first would double the I/O.
  H5_CHECK(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER));
  return h5::Dataset(H5_CHECK(
      H5Dcreate2(loc, name, file_type<T>(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT)));
}

std::vector<hsize_t> dims_of(hid_t dset) {
  h5::Dataspace space(H5_CHECK(H5Dget_space(dset)));
  const int rank = H5_CHECK(H5Sget_simple_extent_ndims(space.get()));
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5_CHECK(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr));
  return dims;
}

// Writes a whole dataset from `data` (row-major) on the writing rank; the others take part in
// the collective transfer with empty selections.
template <typename T>
void write_whole(hid_t dset, hid_t dxpl, bool writer, const T* data) {
  h5::Dataspace file_space(H5_CHECK(H5Dget_space(dset)));
  if (H5_CHECK(H5Sget_simple_extent_npoints(file_space.get())) == 0) return;  // same on all ranks
  h5::Dataspace mem_space(H5_CHECK(H5Scopy(file_space.get())));
  if (!writer) {
    H5_CHECK(H5Sselect_none(file_space.get()));
    H5_CHECK(H5Sselect_none(mem_space.get()));
  }
  static const T dummy{};
  H5_CHECK(H5Dwrite(dset, native_type<T>(), mem_space.get(), file_space.get(), dxpl,
                    writer ? static_cast<const void*>(data) : &dummy));
}

// The bytes a dataset really holds in the file. A dataset's extent is only a claim: HDF5 lets a
// file declare a dataset of 2^40 elements that was never written (no storage, reads return fill
// values) or whose chunks compress to nothing, so an extent must be checked against the stored
// bytes before anything is allocated for it (Tessera writes every dataset it reads in full,
// uncompressed).
uint64_t stored_bytes(hid_t dset) {
  return H5Dget_storage_size(dset);
}

void check_stored(hid_t dset, const std::string& name, uint64_t elements, size_t elem_size) {
  const uint64_t stored = stored_bytes(dset);
  TESSERA_CHECK(elements <= stored / elem_size, ErrorKind::Format,
                "damaged artifact: '" << name << "' claims " << elements << " elements of "
                                      << elem_size << " bytes but stores " << stored
                                      << " bytes");
}

template <typename T>
std::vector<T> read_whole(hid_t dset, hid_t dxpl, const std::string& name) {
  h5::Datatype type(H5_CHECK(H5Dget_type(dset)));
  TESSERA_CHECK(H5Tget_class(type.get()) == H5Tget_class(file_type<T>()) &&
                    H5Tget_size(type.get()) == sizeof(T),
                ErrorKind::Format,
                "damaged artifact: dataset '" << name << "' has an unexpected element type");
  const auto dims = dims_of(dset);
  hsize_t n = 1;
  for (hsize_t d : dims) {
    TESSERA_CHECK(d == 0 || n <= std::numeric_limits<hsize_t>::max() / d, ErrorKind::Format,
                  "damaged artifact: dataset '" << name << "' has an impossible extent");
    n *= d;
  }
  check_stored(dset, name, n, sizeof(T));
  std::vector<T> out(n);
  if (n != 0) H5_CHECK(H5Dread(dset, native_type<T>(), H5S_ALL, H5S_ALL, dxpl, out.data()));
  return out;
}

template <typename T>
void create_and_write(hid_t loc, const char* name, std::vector<hsize_t> dims, hid_t dxpl,
                      bool writer, const std::vector<T>& data) {
  unlink_if_exists(loc, name);
  h5::Dataset d = create_dataset<T>(loc, name, std::move(dims));
  write_whole(d.get(), dxpl, writer, data.data());
}

template <typename T>
std::vector<T> read_dataset(hid_t loc, const char* name, hid_t dxpl) {
  TESSERA_CHECK(exists(loc, name), ErrorKind::Format,
                "damaged artifact: dataset '" << name << "' is missing");
  h5::Dataset d(H5_CHECK(H5Dopen2(loc, name, H5P_DEFAULT)));
  return read_whole<T>(d.get(), dxpl, name);
}

// Variable-length byte records as one byte dataset plus n+1 offsets (record i is
// bytes[offsets[i], offsets[i+1])): what parallel HDF5 can write collectively, which its
// variable-length types cannot.
void write_records(hid_t loc, const std::string& name, hid_t dxpl, bool writer,
                   const std::vector<std::vector<uint8_t>>& records) {
  std::vector<uint64_t> offsets{0};
  std::vector<uint8_t> bytes;
  for (const auto& r : records) {
    bytes.insert(bytes.end(), r.begin(), r.end());
    offsets.push_back(bytes.size());
  }
  create_and_write(loc, name.c_str(), {bytes.size()}, dxpl, writer, bytes);
  create_and_write(loc, (name + "_offsets").c_str(), {offsets.size()}, dxpl, writer, offsets);
}

std::vector<std::vector<uint8_t>> read_records(hid_t loc, const std::string& name, hid_t dxpl,
                                               size_t expected) {
  const auto bytes = read_dataset<uint8_t>(loc, name.c_str(), dxpl);
  const auto offsets = read_dataset<uint64_t>(loc, (name + "_offsets").c_str(), dxpl);
  TESSERA_CHECK(offsets.size() == expected + 1 && offsets.front() == 0 &&
                    offsets.back() == bytes.size() &&
                    std::is_sorted(offsets.begin(), offsets.end()),
                ErrorKind::Format,
                "damaged artifact: '" << name << "_offsets' does not describe " << expected
                                      << " records of '" << name << "'");
  std::vector<std::vector<uint8_t>> out;
  out.reserve(expected);
  for (size_t i = 0; i < expected; ++i)
    out.emplace_back(bytes.begin() + static_cast<ptrdiff_t>(offsets[i]),
                     bytes.begin() + static_cast<ptrdiff_t>(offsets[i + 1]));
  return out;
}

h5::PropList file_access(const std::optional<Artifact::Parallel>& parallel) {
  h5::PropList fapl(H5_CHECK(H5Pcreate(H5P_FILE_ACCESS)));
  if (parallel) {
    H5_CHECK(H5Pset_fapl_mpio(fapl.get(), parallel->comm, MPI_INFO_NULL));
    // Metadata reads and writes as collective operations: one rank reads and broadcasts instead
    // of every rank hitting the file system for the same bytes.
    H5_CHECK(H5Pset_all_coll_metadata_ops(fapl.get(), true));
    H5_CHECK(H5Pset_coll_metadata_write(fapl.get(), true));
  }
  return fapl;
}

h5::PropList transfer(const std::optional<Artifact::Parallel>& parallel, H5FD_mpio_xfer_t mode) {
  if (!parallel) return h5::PropList();
  h5::PropList dxpl(H5_CHECK(H5Pcreate(H5P_DATASET_XFER)));
  H5_CHECK(H5Pset_dxpl_mpio(dxpl.get(), mode));
  return dxpl;
}

std::string join_state(const std::vector<BabyBear>& s) {
  std::ostringstream os;
  for (size_t i = 0; i < s.size(); ++i) os << (i ? "," : "") << s[i].as_u32();
  return os.str();
}

}  // namespace

// ---- request ---------------------------------------------------------------------------------

std::string_view shard_status_name(ShardStatus s) {
  switch (s) {
    case ShardStatus::Missing:
      return "missing";
    case ShardStatus::Proven:
      return "proven";
    case ShardStatus::Failed:
      return "failed";
  }
  return "unknown";
}

std::string ArtifactRequest::fingerprint() const {
  std::ostringstream os;
  os << "machine=" << machine << ";config=" << config << ";shards=" << num_shards;
  for (const auto& [k, v] : parameters) os << ";param." << k << '=' << v;
  for (const auto& [k, v] : blobs) os << ";blob." << k << '=' << v.size() << ':' << std::hex << fnv1a64(v) << std::dec;
  os << ";initial_state=" << join_state(initial_state);
  return os.str();
}

std::string ArtifactRequest::describe() const {
  std::ostringstream os;
  os << machine;
  for (const auto& [k, v] : parameters) os << ' ' << k << '=' << v;
  if (!parameters.count("config")) os << " config=" << config;
  return os.str();
}

ArtifactRequest request_of(const ShardedMachine& machine) {
  ArtifactRequest r;
  r.machine = machine.name();
  r.config = machine.config_name();
  r.parameters = machine.parameters();
  r.blobs = machine.blobs();
  r.num_shards = machine.num_shards();
  r.initial_state = machine.initial_state();
  r.tessera_version = TESSERA_VERSION;
  return r;
}

// ---- lifetime --------------------------------------------------------------------------------

Artifact::Artifact(Artifact&&) noexcept = default;
Artifact& Artifact::operator=(Artifact&&) noexcept = default;
Artifact::~Artifact() = default;

Artifact Artifact::create(const fs::path& path, const ArtifactRequest& request,
                          std::optional<Parallel> parallel) {
  h5::quiet();
  TESSERA_CHECK(request.num_shards > 0, ErrorKind::InvalidArgument,
                "an artifact needs at least one shard");
  // In parallel the caller (rank 0) has decided; a check here could race with the collective
  // create on another rank. H5F_ACC_EXCL still refuses an existing file.
  if (!parallel && fs::exists(path))
    TESSERA_FAIL(ErrorKind::InputFile, "artifact '" << path.string()
                                                    << "' already exists (use --resume to "
                                                       "continue it or --force to overwrite it)");
  Artifact a;
  a.path_ = path;
  a.parallel_ = parallel;
  a.writable_ = true;
  a.request_ = request;
  a.dxpl_ = transfer(parallel, H5FD_MPIO_COLLECTIVE);
  a.independent_dxpl_ = transfer(parallel, H5FD_MPIO_INDEPENDENT);
  h5::PropList fapl = file_access(parallel);
  hid_t fid = H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get());
  if (fid < 0) {
    const std::string why = h5::error_stack_message();
    H5Eclear2(H5E_DEFAULT);
    TESSERA_FAIL(ErrorKind::InputFile, "cannot create artifact '" << path.string() << "': " << why);
  }
  a.file_ = h5::File(fid);
  const hid_t f = a.file_.get();
  const bool w = a.writes_metadata();

  write_string_attr(f, "format", kArtifactMagic);
  write_scalar_attr<uint32_t>(f, "format_version", kArtifactFormatVersion);
  write_string_attr(f, "tessera_version", request.tessera_version);

  h5::Group req(H5_CHECK(H5Gcreate2(f, "request", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
  write_string_attr(req.get(), "machine", request.machine);
  write_string_attr(req.get(), "config", request.config);
  write_scalar_attr<uint64_t>(req.get(), "num_shards", request.num_shards);
  write_string_attr(req.get(), "fingerprint", request.fingerprint());
  write_string_attr(req.get(), "tessera_version", request.tessera_version);
  {
    h5::Group params(
        H5_CHECK(H5Gcreate2(req.get(), "parameters", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
    for (const auto& [k, v] : request.parameters) write_string_attr(params.get(), k.c_str(), v);
  }
  if (!request.blobs.empty()) {
    h5::Group blobs(H5_CHECK(H5Gcreate2(req.get(), "blobs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
    for (const auto& [k, v] : request.blobs) {
      create_and_write<uint8_t>(blobs.get(), k.c_str(), {v.size()}, a.dxpl(), w, v);
    }
  }
  std::vector<uint32_t> init;
  for (BabyBear x : request.initial_state) init.push_back(x.as_u32());
  create_and_write(req.get(), "initial_state", {init.size()}, a.dxpl(), w, init);

  const hsize_t n = request.num_shards;
  h5::Group shards(H5_CHECK(H5Gcreate2(f, "shards", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
  {
    const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = kProofChunkBytes;
    h5::Dataspace space(H5_CHECK(H5Screate_simple(1, &zero, &unlimited)));
    h5::PropList dcpl(H5_CHECK(H5Pcreate(H5P_DATASET_CREATE)));
    H5_CHECK(H5Pset_chunk(dcpl.get(), 1, &chunk));
    H5_CHECK(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER));
    h5::Dataset proofs(H5_CHECK(H5Dcreate2(shards.get(), "proofs", H5T_STD_U8LE, space.get(),
                                           H5P_DEFAULT, dcpl.get(), H5P_DEFAULT)));
  }
  create_dataset<uint8_t>(shards.get(), "status", {n});
  create_dataset<uint64_t>(shards.get(), "proof_offsets", {n});
  create_dataset<uint64_t>(shards.get(), "proof_sizes", {n});
  create_dataset<uint64_t>(shards.get(), "proof_checksums", {n});
  create_dataset<int32_t>(shards.get(), "prover_rank", {n});
  create_dataset<uint32_t>(shards.get(), "attempts", {n});
  a.shards_.assign(n, ShardEntry{});
  a.open_table();
  a.write_shard_table();
  a.flush();
  return a;
}

Artifact Artifact::open(const fs::path& path, Mode mode, std::optional<Parallel> parallel) {
  h5::quiet();
  std::error_code ec;
  if (!fs::exists(path, ec))
    TESSERA_FAIL(ErrorKind::InputFile, "artifact '" << path.string() << "' does not exist");
  if (!fs::is_regular_file(path, ec))
    TESSERA_FAIL(ErrorKind::InputFile, "artifact '" << path.string() << "' is not a file");
  Artifact a;
  a.path_ = path;
  a.parallel_ = parallel;
  a.writable_ = mode == Mode::ReadWrite;
  a.dxpl_ = transfer(parallel, H5FD_MPIO_COLLECTIVE);
  a.independent_dxpl_ = transfer(parallel, H5FD_MPIO_INDEPENDENT);
  h5::PropList fapl = file_access(parallel);
  hid_t fid = H5Fopen(path.c_str(), a.writable_ ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get());
  if (fid < 0) {
    const std::string why = h5::error_stack_message();
    H5Eclear2(H5E_DEFAULT);
    TESSERA_FAIL(ErrorKind::Format, "artifact '" << path.string()
                                                 << "' is not a readable HDF5 file (truncated "
                                                    "or corrupted?): HDF5: "
                                                 << why);
  }
  a.file_ = h5::File(fid);
  try {
    a.load_layout();
    if (a.writable_) a.open_table();
  } catch (const Error& e) {
    // Whatever HDF5 or the checks found, the file is not a usable artifact: one Format error
    // naming the file and the cause.
    if (e.kind() == ErrorKind::Format) throw;
    TESSERA_FAIL(ErrorKind::Format, "artifact '" << path.string() << "' is damaged: " << e.what());
  }
  return a;
}

void Artifact::load_layout() {
  const hid_t f = file_.get();
  TESSERA_CHECK(
      H5_CHECK(H5Aexists(f, "format")) > 0 && read_string_attr(f, "format") == kArtifactMagic,
      ErrorKind::Format, "'" << path_.string() << "' is an HDF5 file but not a Tessera artifact");
  const uint32_t version = read_scalar_attr<uint32_t>(f, "format_version");
  TESSERA_CHECK(version == kArtifactFormatVersion, ErrorKind::Format,
                "artifact '" << path_.string() << "' has format version " << version
                             << "; this Tessera reads version " << kArtifactFormatVersion);
  TESSERA_CHECK(exists(f, "request") && exists(f, "request/parameters") && exists(f, "shards"),
                ErrorKind::Format, "damaged artifact: /request or /shards is missing");
  h5::Group req(H5_CHECK(H5Gopen2(f, "request", H5P_DEFAULT)));
  request_.machine = read_string_attr(req.get(), "machine");
  request_.config = read_string_attr(req.get(), "config");
  request_.num_shards = read_scalar_attr<uint64_t>(req.get(), "num_shards");
  request_.tessera_version = read_string_attr(req.get(), "tessera_version");
  {
    h5::Group params(H5_CHECK(H5Gopen2(req.get(), "parameters", H5P_DEFAULT)));
    std::vector<std::string> names;
    hsize_t idx = 0;
    H5_CHECK(H5Aiterate2(
        params.get(), H5_INDEX_NAME, H5_ITER_INC, &idx,
        [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
          static_cast<std::vector<std::string>*>(data)->emplace_back(name);
          return 0;
        },
        &names));
    for (const auto& name : names)
      request_.parameters[name] = read_string_attr(params.get(), name.c_str());
  }
  if (exists(req.get(), "blobs")) {
    h5::Group blobs(H5_CHECK(H5Gopen2(req.get(), "blobs", H5P_DEFAULT)));
    std::vector<std::string> blob_names;
    hsize_t idx = 0;
    H5_CHECK(H5Literate(
        blobs.get(), H5_INDEX_NAME, H5_ITER_INC, &idx,
        [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
          static_cast<std::vector<std::string>*>(data)->emplace_back(name);
          return 0;
        },
        &blob_names));
    for (const auto& name : blob_names) {
      request_.blobs[name] = read_dataset<uint8_t>(blobs.get(), name.c_str(), dxpl());
    }
  }
  for (uint32_t v : read_dataset<uint32_t>(req.get(), "initial_state", dxpl())) {
    TESSERA_CHECK(v < BabyBear::kModulus, ErrorKind::Format,
                  "damaged artifact: /request/initial_state holds a non-canonical value");
    request_.initial_state.push_back(BabyBear::from_u32(v));
  }
  const std::string stored = read_string_attr(req.get(), "fingerprint");
  TESSERA_CHECK(stored == request_.fingerprint(), ErrorKind::Format,
                "damaged artifact: the /request attributes do not match their fingerprint");
  const uint64_t n = request_.num_shards;
  TESSERA_CHECK(n > 0, ErrorKind::Format, "damaged artifact: the request has no shards");

  h5::Group shards(H5_CHECK(H5Gopen2(f, "shards", H5P_DEFAULT)));
  // The shard count is a claim of the file: before anything is allocated per shard, each table
  // must have one entry per shard and hold those entries' bytes (a small file cannot claim
  // millions of shards and make its reader allocate gigabytes).
  for (const auto& [name, elem] : {std::pair<const char*, size_t>{"status", 1},
                                   {"proof_offsets", 8}, {"proof_sizes", 8},
                                   {"proof_checksums", 8}, {"prover_rank", 4}, {"attempts", 4}}) {
    TESSERA_CHECK(exists(shards.get(), name), ErrorKind::Format,
                  "damaged artifact: /shards/" << name << " is missing");
    h5::Dataset d(H5_CHECK(H5Dopen2(shards.get(), name, H5P_DEFAULT)));
    const auto dims = dims_of(d.get());
    TESSERA_CHECK(dims.size() == 1 && dims[0] == n, ErrorKind::Format,
                  "damaged artifact: the request claims " << n << " shards but /shards/" << name
                                                          << " has "
                                                          << (dims.size() == 1 ? dims[0] : 0)
                                                          << " entries");
    TESSERA_CHECK(n <= stored_bytes(d.get()) / elem, ErrorKind::Format,
                  "damaged artifact: the request claims "
                      << n << " shards but /shards/" << name << " stores only "
                      << stored_bytes(d.get()) << " bytes (" << elem << " per shard expected)");
  }
  const auto status = read_dataset<uint8_t>(shards.get(), "status", dxpl());
  const auto offsets = read_dataset<uint64_t>(shards.get(), "proof_offsets", dxpl());
  const auto sizes = read_dataset<uint64_t>(shards.get(), "proof_sizes", dxpl());
  const auto checksums = read_dataset<uint64_t>(shards.get(), "proof_checksums", dxpl());
  const auto ranks = read_dataset<int32_t>(shards.get(), "prover_rank", dxpl());
  const auto attempts = read_dataset<uint32_t>(shards.get(), "attempts", dxpl());
  TESSERA_CHECK(
      status.size() == n && offsets.size() == n && sizes.size() == n && checksums.size() == n &&
          ranks.size() == n && attempts.size() == n,
      ErrorKind::Format,
      "damaged artifact: the /shards tables do not have one entry per shard (" << n << ")");
  TESSERA_CHECK(exists(shards.get(), "proofs"), ErrorKind::Format,
                "damaged artifact: /shards/proofs is missing");
  {
    h5::Dataset proofs(H5_CHECK(H5Dopen2(shards.get(), "proofs", H5P_DEFAULT)));
    const auto dims = dims_of(proofs.get());
    TESSERA_CHECK(dims.size() == 1, ErrorKind::Format,
                  "damaged artifact: /shards/proofs is not one-dimensional");
    used_ = dims[0];
  }
  shards_.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    TESSERA_CHECK(status[i] <= static_cast<uint8_t>(ShardStatus::Failed), ErrorKind::Format,
                  "damaged artifact: shard " << i << " has unknown status " << int(status[i]));
    ShardEntry& e = shards_[i];
    e.status = static_cast<ShardStatus>(status[i]);
    e.offset = offsets[i];
    e.size = sizes[i];
    e.checksum = checksums[i];
    e.prover_rank = ranks[i];
    e.attempts = attempts[i];
    if (e.status == ShardStatus::Proven) {
      TESSERA_CHECK(e.size <= used_ && e.offset <= used_ - e.size, ErrorKind::Format,
                    "damaged artifact: shard " << i << "'s proof [" << e.offset << ", +" << e.size
                                               << ") lies outside /shards/proofs (" << used_
                                               << " bytes)");
    }
  }
}

uint64_t Artifact::count(ShardStatus s) const {
  return static_cast<uint64_t>(
      std::count_if(shards_.begin(), shards_.end(), [&](const auto& e) { return e.status == s; }));
}

// ---- shard table and proofs ------------------------------------------------------------------

namespace {
constexpr const char* kTableNames[] = {"status",          "proof_offsets", "proof_sizes",
                                       "proof_checksums", "prover_rank",   "attempts"};
}  // namespace

void Artifact::open_table() {
  table_.clear();
  for (const char* name : kTableNames)
    table_.emplace_back(
        H5_CHECK(H5Dopen2(file_.get(), (std::string("shards/") + name).c_str(), H5P_DEFAULT)));
}

// The table is small (a few numbers per shard) and rank 0 holds all of it, so rank 0 writes it
// alone with an independent transfer: the contiguous datasets are allocated at creation (parallel
// HDF5 allocates early), so this changes no metadata, and it spares every batch six collective
// operations — each of which needs every rank's main thread on a core at once, which is dear on
// a node whose cores are all proving.
void Artifact::write_shard_table() {
  TESSERA_CHECK(writable_, ErrorKind::InvalidArgument, "artifact opened read-only");
  if (!writes_metadata()) return;
  const size_t n = shards_.size();
  std::vector<uint8_t> status(n);
  std::vector<uint64_t> offsets(n), sizes(n), checksums(n);
  std::vector<int32_t> ranks(n);
  std::vector<uint32_t> attempts(n);
  for (size_t i = 0; i < n; ++i) {
    status[i] = static_cast<uint8_t>(shards_[i].status);
    offsets[i] = shards_[i].offset;
    sizes[i] = shards_[i].size;
    checksums[i] = shards_[i].checksum;
    ranks[i] = shards_[i].prover_rank;
    attempts[i] = shards_[i].attempts;
  }
  auto write = [&](size_t k, hid_t type, const void* data) {
    H5_CHECK(H5Dwrite(table_[k].get(), type, H5S_ALL, H5S_ALL, independent_dxpl(), data));
  };
  write(0, H5T_NATIVE_UINT8, status.data());
  write(1, H5T_NATIVE_UINT64, offsets.data());
  write(2, H5T_NATIVE_UINT64, sizes.data());
  write(3, H5T_NATIVE_UINT64, checksums.data());
  write(4, H5T_NATIVE_INT32, ranks.data());
  write(5, H5T_NATIVE_UINT32, attempts.data());
}

void Artifact::append_proofs(std::span<const AppendEntry> batch,
                             const std::function<std::span<const uint8_t>(uint64_t)>& bytes_of) {
  TESSERA_CHECK(writable_, ErrorKind::InvalidArgument, "artifact opened read-only");
  if (batch.empty()) return;
  const int me = parallel_ ? parallel_->rank : 0;
  uint64_t end = used_;
  for (const AppendEntry& e : batch) {
    TESSERA_CHECK(
        e.shard < shards_.size(), ErrorKind::InvalidArgument,
        "append of shard " << e.shard << " to an artifact of " << shards_.size() << " shards");
    end += e.size;
  }
  h5::Dataset proofs(H5_CHECK(H5Dopen2(file_.get(), "shards/proofs", H5P_DEFAULT)));
  const hsize_t new_extent = end;
  H5_CHECK(H5Dset_extent(proofs.get(), &new_extent));

  // This rank's pieces, in file order (= batch order), and their bytes in one buffer: HDF5 maps
  // a selection's elements in increasing file offset to the memory buffer in order.
  h5::Dataspace file_space(H5_CHECK(H5Dget_space(proofs.get())));
  H5_CHECK(H5Sselect_none(file_space.get()));
  std::vector<uint8_t> mine;
  uint64_t offset = used_;
  for (const AppendEntry& e : batch) {
    if (e.holder == me && e.size > 0) {
      const std::span<const uint8_t> b = bytes_of(e.shard);
      TESSERA_CHECK(
          b.size() == e.size, ErrorKind::Internal,
          "shard " << e.shard << ": " << b.size() << " bytes held, batch says " << e.size);
      const hsize_t start = offset, count = e.size;
      H5_CHECK(
          H5Sselect_hyperslab(file_space.get(), H5S_SELECT_OR, &start, nullptr, &count, nullptr));
      mine.insert(mine.end(), b.begin(), b.end());
    }
    offset += e.size;
  }
  // Independent: a collective (two-phase) write would first exchange these large contiguous
  // pieces between ranks for nothing — measured 10-28 ms against 0.3 ms for two 0.5 MB proofs.
  // The extent was set collectively above, so every rank's chunks exist already.
  if (!mine.empty()) {
    const hsize_t mem_len = mine.size();
    h5::Dataspace mem_space(H5_CHECK(H5Screate_simple(1, &mem_len, nullptr)));
    H5_CHECK(H5Dwrite(proofs.get(), H5T_NATIVE_UINT8, mem_space.get(), file_space.get(),
                      independent_dxpl(), mine.data()));
  }

  offset = used_;
  for (const AppendEntry& e : batch) {
    ShardEntry& s = shards_[e.shard];
    s.status = ShardStatus::Proven;
    s.offset = offset;
    s.size = e.size;
    s.checksum = e.checksum;
    s.prover_rank = e.prover_rank;
    s.attempts = e.attempts;
    offset += e.size;
  }
  used_ = end;
  write_shard_table();
}

uint64_t Artifact::first_out_of_order() const {
  uint64_t expected = 0;
  for (uint64_t i = 0; i < shards_.size(); ++i) {
    const ShardEntry& e = shards_[i];
    if (e.status != ShardStatus::Proven || e.offset != expected) return i;
    expected += e.size;
  }
  return shards_.size();
}

void Artifact::rewrite_from(uint64_t from, std::span<const AppendEntry> batch,
                            const std::function<std::span<const uint8_t>(uint64_t)>& bytes_of) {
  TESSERA_CHECK(from <= shards_.size() && batch.size() == shards_.size() - from,
                ErrorKind::InvalidArgument,
                "rewrite of shards [" << from << ", " << shards_.size() << ") with a batch of "
                                      << batch.size());
  uint64_t end = 0;
  for (uint64_t i = 0; i < from; ++i) end += shards_[i].size;
  for (uint64_t i = from; i < shards_.size(); ++i) {
    TESSERA_CHECK(batch[i - from].shard == i, ErrorKind::InvalidArgument,
                  "rewrite batch out of shard order");
    shards_[i].status = ShardStatus::Missing;
  }
  truncate_proofs(end);
  append_proofs(batch, bytes_of);
}

void Artifact::set_status(std::span<const uint64_t> shards, ShardStatus status) {
  for (uint64_t s : shards) {
    TESSERA_CHECK(s < shards_.size(), ErrorKind::InvalidArgument, "no shard " << s);
    shards_[s].status = status;
    if (status != ShardStatus::Proven) {
      shards_[s].offset = shards_[s].size = shards_[s].checksum = 0;
      shards_[s].prover_rank = -1;
    }
  }
  write_shard_table();
}

void Artifact::truncate_proofs(uint64_t used) {
  TESSERA_CHECK(writable_, ErrorKind::InvalidArgument, "artifact opened read-only");
  for (size_t i = 0; i < shards_.size(); ++i) {
    const ShardEntry& e = shards_[i];
    TESSERA_CHECK(e.status != ShardStatus::Proven || e.offset + e.size <= used,
                  ErrorKind::InvalidArgument,
                  "truncating /shards/proofs to " << used << " bytes would cut shard " << i);
  }
  h5::Dataset proofs(H5_CHECK(H5Dopen2(file_.get(), "shards/proofs", H5P_DEFAULT)));
  const hsize_t extent = used;
  H5_CHECK(H5Dset_extent(proofs.get(), &extent));
  // Shrinking rewrites the cut edge chunk (the part past the new extent is cleared) through
  // HDF5's chunk cache; it must reach the file now, or it would later land on top of the
  // proofs that the next append writes there independently.
  H5_CHECK(H5Dflush(proofs.get()));
  used_ = used;
}

std::vector<std::vector<uint8_t>> Artifact::read_proofs(std::span<const uint64_t> list) {
  h5::Dataset proofs(H5_CHECK(H5Dopen2(file_.get(), "shards/proofs", H5P_DEFAULT)));
  h5::Dataspace file_space(H5_CHECK(H5Dget_space(proofs.get())));
  H5_CHECK(H5Sselect_none(file_space.get()));
  // HDF5 delivers a union selection in file order, so read in offset order, then hand each
  // shard its slice.
  std::vector<size_t> order(list.size());
  std::iota(order.begin(), order.end(), size_t{0});
  for (uint64_t s : list) {
    TESSERA_CHECK(s < shards_.size() && shards_[s].status == ShardStatus::Proven,
                  ErrorKind::InvalidArgument, "shard " << s << " has no stored proof");
  }
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return shards_[list[a]].offset < shards_[list[b]].offset; });
  uint64_t total = 0;
  uint64_t last_end = 0;
  bool overlap = false;
  for (size_t k : order) {
    const ShardEntry& e = shards_[list[k]];
    if (e.size == 0) continue;
    // Overlapping pieces would merge in a union selection; the same shard twice, or a damaged
    // table, is read piece by piece instead.
    if (total > 0 && e.offset < last_end) overlap = true;
    last_end = std::max(last_end, e.offset + e.size);
    total += e.size;
  }
  // What the table claims must be bytes the file holds (the proofs are stored uncompressed).
  {
    uint64_t covered = 0, end = 0;  // bytes of the union of the pieces
    for (size_t k : order) {
      const ShardEntry& e = shards_[list[k]];
      const uint64_t from = std::max(e.offset, end);
      if (e.offset + e.size > from) covered += e.offset + e.size - from;
      end = std::max(end, e.offset + e.size);
    }
    const uint64_t stored = stored_bytes(proofs.get());
    TESSERA_CHECK(covered <= stored, ErrorKind::Format,
                  "damaged artifact: the shard table claims " << covered
                      << " bytes of proofs but /shards/proofs stores " << stored);
    // A reader (verify, inspect) allocates what the pieces add up to: overlapping pieces could
    // multiply the stored bytes, so it takes none.
    TESSERA_CHECK(writable_ || total <= stored, ErrorKind::Format,
                  "damaged artifact: stored proofs overlap in /shards/proofs");
  }
  std::vector<std::vector<uint8_t>> out(list.size());
  if (overlap && !parallel_) {
    for (size_t k = 0; k < list.size(); ++k) {
      const ShardEntry& e = shards_[list[k]];
      out[k].resize(e.size);
      if (e.size == 0) continue;
      h5::Dataspace fs1(H5_CHECK(H5Dget_space(proofs.get())));
      const hsize_t start = e.offset, count = e.size;
      H5_CHECK(H5Sselect_hyperslab(fs1.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr));
      h5::Dataspace ms(H5_CHECK(H5Screate_simple(1, &count, nullptr)));
      H5_CHECK(H5Dread(proofs.get(), H5T_NATIVE_UINT8, ms.get(), fs1.get(), dxpl(), out[k].data()));
    }
    return out;
  }
  TESSERA_CHECK(!overlap, ErrorKind::Format,
                "damaged artifact: stored proofs overlap in /shards/proofs");
  for (size_t k : order) {
    const ShardEntry& e = shards_[list[k]];
    if (e.size == 0) continue;
    const hsize_t start = e.offset, count = e.size;
    H5_CHECK(
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_OR, &start, nullptr, &count, nullptr));
  }
  const hsize_t mem_len = std::max<uint64_t>(1, total);
  std::vector<uint8_t> buf(mem_len);
  h5::Dataspace mem_space(H5_CHECK(H5Screate_simple(1, &mem_len, nullptr)));
  if (total == 0) H5_CHECK(H5Sselect_none(mem_space.get()));
  H5_CHECK(H5Dread(proofs.get(), H5T_NATIVE_UINT8, mem_space.get(), file_space.get(), dxpl(),
                   buf.data()));
  uint64_t pos = 0;
  for (size_t k : order) {
    const ShardEntry& e = shards_[list[k]];
    out[k].assign(buf.begin() + static_cast<ptrdiff_t>(pos),
                  buf.begin() + static_cast<ptrdiff_t>(pos + e.size));
    pos += e.size;
  }
  return out;
}

// ---- final record and timings ----------------------------------------------------------------

void Artifact::write_final(const FinalRecord& record) {
  TESSERA_CHECK(writable_, ErrorKind::InvalidArgument, "artifact opened read-only");
  TESSERA_CHECK(record.leaf_statements.size() == shards_.size(), ErrorKind::InvalidArgument,
                "final record has " << record.leaf_statements.size() << " leaf statements for "
                                    << shards_.size() << " shards");
  const hid_t f = file_.get();
  const bool w = writes_metadata();
  {
    h5::Group shards(H5_CHECK(H5Gopen2(f, "shards", H5P_DEFAULT)));
    write_records(shards.get(), "statements", dxpl(), w, record.leaf_statements);
  }
  unlink_if_exists(f, "tree");
  {
    h5::Group tree(H5_CHECK(H5Gcreate2(f, "tree", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
    const hsize_t m = record.tree.size();
    write_scalar_attr<uint64_t>(tree.get(), "nodes", m);
    write_scalar_attr<uint32_t>(tree.get(), "arity", 2);
    std::vector<uint64_t> ranges;
    std::vector<int64_t> children;
    std::vector<uint32_t> levels;
    std::vector<int32_t> owners;
    std::vector<std::vector<uint8_t>> statements;
    for (const TreeRecord& t : record.tree) {
      ranges.insert(ranges.end(), {t.first_shard, t.end_shard});
      children.insert(children.end(), {t.left, t.right});
      levels.push_back(t.level);
      owners.push_back(t.owner_rank);
      statements.push_back(t.statement);
    }
    create_and_write(tree.get(), "ranges", {m, 2}, dxpl(), w, ranges);
    create_and_write(tree.get(), "children", {m, 2}, dxpl(), w, children);
    create_and_write(tree.get(), "levels", {m}, dxpl(), w, levels);
    create_and_write(tree.get(), "owner_rank", {m}, dxpl(), w, owners);
    write_records(tree.get(), "statements", dxpl(), w, statements);
  }
  unlink_if_exists(f, "final");
  {
    h5::Group fin(H5_CHECK(H5Gcreate2(f, "final", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
    write_scalar_attr<uint8_t>(fin.get(), "verified", record.verified ? 1 : 0);
    create_and_write(fin.get(), "statement", {record.root_statement.size()}, dxpl(), w,
                     record.root_statement);
    if (!record.root_statement.empty()) {
      // The root in readable form as well (h5dump shows the states without decoding bytes).
      const ShardStatement root = statement_from_bytes(record.root_statement);
      write_scalar_attr<uint64_t>(fin.get(), "first_shard", root.first_shard);
      write_scalar_attr<uint64_t>(fin.get(), "end_shard", root.end_shard);
      std::vector<uint32_t> start, end;
      for (BabyBear x : root.start_state) start.push_back(x.as_u32());
      for (BabyBear x : root.end_state) end.push_back(x.as_u32());
      create_and_write(fin.get(), "start_state", {start.size()}, dxpl(), w, start);
      create_and_write(fin.get(), "end_state", {end.size()}, dxpl(), w, end);
    }
    if (record.public_output) {
      create_and_write(fin.get(), "output", {record.public_output->size()}, dxpl(), w,
                       *record.public_output);
    }
  }
}

std::optional<FinalRecord> Artifact::read_final() const {
  const hid_t f = file_.get();
  if (!exists(f, "final") || !exists(f, "tree") || !exists(f, "shards/statements"))
    return std::nullopt;
  FinalRecord r;
  const uint64_t n = shards_.size();
  {
    h5::Group shards(H5_CHECK(H5Gopen2(f, "shards", H5P_DEFAULT)));
    r.leaf_statements = read_records(shards.get(), "statements", dxpl(), n);
  }
  {
    h5::Group tree(H5_CHECK(H5Gopen2(f, "tree", H5P_DEFAULT)));
    const uint64_t m = read_scalar_attr<uint64_t>(tree.get(), "nodes");
    TESSERA_CHECK(m < 2 * n, ErrorKind::Format,
                  "damaged artifact: /tree claims " << m << " nodes for " << n << " shards");
    const auto ranges = read_dataset<uint64_t>(tree.get(), "ranges", dxpl());
    const auto children = read_dataset<int64_t>(tree.get(), "children", dxpl());
    const auto levels = read_dataset<uint32_t>(tree.get(), "levels", dxpl());
    const auto owners = read_dataset<int32_t>(tree.get(), "owner_rank", dxpl());
    const auto statements = read_records(tree.get(), "statements", dxpl(), m);
    TESSERA_CHECK(ranges.size() == 2 * m && children.size() == 2 * m && levels.size() == m &&
                      owners.size() == m,
                  ErrorKind::Format, "damaged artifact: the /tree datasets disagree in length");
    for (uint64_t j = 0; j < m; ++j) {
      r.tree.push_back({levels[j], ranges[2 * j], ranges[2 * j + 1], children[2 * j],
                        children[2 * j + 1], owners[j], statements[j]});
    }
  }
  {
    h5::Group fin(H5_CHECK(H5Gopen2(f, "final", H5P_DEFAULT)));
    r.verified = read_scalar_attr<uint8_t>(fin.get(), "verified") != 0;
    r.root_statement = read_dataset<uint8_t>(fin.get(), "statement", dxpl());
    if (exists(fin.get(), "output"))
      r.public_output = read_dataset<uint8_t>(fin.get(), "output", dxpl());
    const int copies = int(exists(fin.get(), "start_state")) + int(exists(fin.get(), "end_state")) +
                       int(H5_CHECK(H5Aexists(fin.get(), "first_shard")) > 0) +
                       int(H5_CHECK(H5Aexists(fin.get(), "end_shard")) > 0);
    TESSERA_CHECK(copies == 0 || copies == 4, ErrorKind::Format,
                  "damaged artifact: /final has only part of the root's readable copies "
                  "(first_shard, end_shard, start_state, end_state)");
    if (copies == 4) {
      FinalRecord::Readable v;
      v.first_shard = read_scalar_attr<uint64_t>(fin.get(), "first_shard");
      v.end_shard = read_scalar_attr<uint64_t>(fin.get(), "end_shard");
      v.start_state = read_dataset<uint32_t>(fin.get(), "start_state", dxpl());
      v.end_state = read_dataset<uint32_t>(fin.get(), "end_state", dxpl());
      r.readable = std::move(v);
    }
  }
  return r;
}

void Artifact::write_timings(const RunTimings& t) {
  TESSERA_CHECK(writable_, ErrorKind::InvalidArgument, "artifact opened read-only");
  const hid_t f = file_.get();
  const hsize_t ranks = t.seconds.size(), phases = t.phases.size();
  std::vector<double> flat;
  for (const auto& row : t.seconds) {
    TESSERA_CHECK(row.size() == phases, ErrorKind::InvalidArgument,
                  "timings: a rank has " << row.size() << " phases, expected " << phases);
    flat.insert(flat.end(), row.begin(), row.end());
  }
  unlink_if_exists(f, "timings");
  h5::Dataset d = create_dataset<double>(f, "timings", {ranks, phases});
  write_whole(d.get(), dxpl(), writes_metadata(), flat.data());
  // Phase names: one fixed-length string per column (h5py reads them as a bytes array).
  size_t width = 1;
  for (const auto& p : t.phases) width = std::max(width, p.size());
  h5::Datatype type(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(type.get(), width));
  H5_CHECK(H5Tset_strpad(type.get(), H5T_STR_NULLPAD));
  std::string names(width * phases, '\0');
  for (size_t i = 0; i < phases; ++i) names.replace(i * width, t.phases[i].size(), t.phases[i]);
  const hsize_t count = std::max<hsize_t>(1, phases);
  h5::Dataspace space(H5_CHECK(H5Screate_simple(1, &count, nullptr)));
  names.resize(width * count, '\0');
  h5::Attribute attr(
      H5_CHECK(H5Acreate2(d.get(), "phases", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT)));
  H5_CHECK(H5Awrite(attr.get(), type.get(), names.data()));
  write_scalar_attr<double>(d.get(), "wall_seconds", t.wall_seconds);
  write_scalar_attr<uint64_t>(d.get(), "shards_proven", t.shards_proven);
  write_scalar_attr<uint64_t>(d.get(), "shards_resumed", t.shards_resumed);
  write_scalar_attr<uint64_t>(d.get(), "retries", t.retries);
}

std::optional<RunTimings> Artifact::read_timings() const {
  const hid_t f = file_.get();
  if (!exists(f, "timings")) return std::nullopt;
  h5::Dataset d(H5_CHECK(H5Dopen2(f, "timings", H5P_DEFAULT)));
  const auto dims = dims_of(d.get());
  TESSERA_CHECK(dims.size() == 2, ErrorKind::Format,
                "damaged artifact: /timings is not rank x phase");
  const auto flat = read_whole<double>(d.get(), dxpl(), "timings");
  RunTimings t;
  {
    h5::Attribute attr(H5_CHECK(H5Aopen(d.get(), "phases", H5P_DEFAULT)));
    h5::Datatype type(H5_CHECK(H5Aget_type(attr.get())));
    const size_t width = H5Tget_size(type.get());
    h5::Dataspace space(H5_CHECK(H5Aget_space(attr.get())));
    const hssize_t count = H5_CHECK(H5Sget_simple_extent_npoints(space.get()));
    TESSERA_CHECK(H5Tget_class(type.get()) == H5T_STRING && width > 0 &&
                      static_cast<hsize_t>(count) >= std::max<hsize_t>(1, dims[1]),
                  ErrorKind::Format, "damaged artifact: /timings has no phase names");
    std::string names(width * static_cast<size_t>(count), '\0');
    h5::Datatype mem(H5_CHECK(H5Tcopy(H5T_C_S1)));
    H5_CHECK(H5Tset_size(mem.get(), width));
    H5_CHECK(H5Tset_strpad(mem.get(), H5T_STR_NULLPAD));
    H5_CHECK(H5Aread(attr.get(), mem.get(), names.data()));
    for (hsize_t i = 0; i < dims[1]; ++i) {
      std::string p = names.substr(i * width, width);
      p.resize(std::strlen(p.c_str()));
      t.phases.push_back(p);
    }
  }
  for (hsize_t r = 0; r < dims[0]; ++r)
    t.seconds.emplace_back(flat.begin() + static_cast<ptrdiff_t>(r * dims[1]),
                           flat.begin() + static_cast<ptrdiff_t>((r + 1) * dims[1]));
  t.wall_seconds = read_scalar_attr<double>(d.get(), "wall_seconds");
  t.shards_proven = read_scalar_attr<uint64_t>(d.get(), "shards_proven");
  t.shards_resumed = read_scalar_attr<uint64_t>(d.get(), "shards_resumed");
  t.retries = read_scalar_attr<uint64_t>(d.get(), "retries");
  return t;
}

void Artifact::flush() {
  if (!writable_) return;
  H5_CHECK(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL));
}

void Artifact::close() {
  if (!file_.valid()) return;
  if (writable_) flush();
  table_.clear();  // every object is closed before the file (parallel HDF5 insists)
  H5_CHECK(H5Fclose(file_.release()));
}

}  // namespace tessera
