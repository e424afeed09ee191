#pragma once
// A dense row-major matrix: `height` rows of `width` values, row r at data[r*width, (r+1)*width).
// Execution traces, LDEs and committed matrices are all of this shape: one row per step, one
// column per trace column. Row-major keeps a row contiguous for hashing (Merkle leaves) and lets
// an NTT butterfly work on whole rows (vectorising across columns).

#include <cstddef>
#include <span>
#include <vector>

#include "common/check.hpp"

namespace tessera {

template <typename T>
class RowMajorMatrix {
 public:
  RowMajorMatrix() = default;
  RowMajorMatrix(size_t width, size_t height) : width_(width), height_(height), data_(width * height) {}
  RowMajorMatrix(std::vector<T> data, size_t width) : width_(width), data_(std::move(data)) {
    TESSERA_CHECK(width > 0 && data_.size() % width == 0, ErrorKind::InvalidArgument,
                  "matrix data of " << data_.size() << " values is not a multiple of width " << width);
    height_ = data_.size() / width;
  }

  size_t width() const { return width_; }
  size_t height() const { return height_; }
  bool empty() const { return data_.empty(); }

  T& at(size_t row, size_t col) { return data_[row * width_ + col]; }
  const T& at(size_t row, size_t col) const { return data_[row * width_ + col]; }
  std::span<T> row(size_t r) { return {data_.data() + r * width_, width_}; }
  std::span<const T> row(size_t r) const { return {data_.data() + r * width_, width_}; }

  std::span<T> values() { return data_; }
  std::span<const T> values() const { return data_; }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  std::vector<T>& storage() { return data_; }

  friend bool operator==(const RowMajorMatrix& a, const RowMajorMatrix& b) {
    return a.width_ == b.width_ && a.height_ == b.height_ && a.data_ == b.data_;
  }

 private:
  size_t width_ = 0;
  size_t height_ = 0;
  std::vector<T> data_;
};

}  // namespace tessera
