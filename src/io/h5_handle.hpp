#pragma once
// RAII for every HDF5 identifier: a handle owns one hid_t and closes it with the function that
// matches its kind. Move-only; an invalid handle (H5I_INVALID_HID) closes nothing.

#include <hdf5.h>

#include <utility>

namespace tessera::h5 {

template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Gives up ownership (for a close whose result must be checked).
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  // Closes now; errors on close are not reported (a destructor cannot throw, and the file-level
  // close, which is where data reaches the disk, is checked explicitly by its owner).
  void reset() {
    if (id_ >= 0) Close(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using PropList = Handle<H5Pclose>;
using Attribute = Handle<H5Aclose>;
using Datatype = Handle<H5Tclose>;

}  // namespace tessera::h5
