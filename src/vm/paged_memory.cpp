#include "vm/paged_memory.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace tessera::vm {

struct PagedMemory::Page {
  alignas(64) std::array<uint8_t, kPageSize> bytes{};
  uint32_t epoch = 0;
  StorePermission store = StorePermission::All;
};

bool PageImage::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

PagedMemory::PagedMemory(uint32_t max_pages, std::vector<ReadOnlyRange> read_only)
    : max_pages_(max_pages), read_only_(std::move(read_only)) {
  read_table_ = static_cast<uint8_t**>(std::calloc(kPageCount, sizeof(uint8_t*)));
  write_table_ = static_cast<uint8_t**>(std::calloc(kPageCount, sizeof(uint8_t*)));
  if (read_table_ == nullptr || write_table_ == nullptr) {
    std::free(read_table_);
    std::free(write_table_);
    throw std::bad_alloc();
  }
}

PagedMemory::~PagedMemory() {
  std::free(read_table_);
  std::free(write_table_);
}

PagedMemory::StorePermission PagedMemory::store_permission(uint32_t page) const {
  const uint64_t lo = uint64_t{page} << kPageBits, hi = lo + kPageSize;
  for (const auto& r : read_only_) {
    if (r.end <= lo || r.begin >= hi) continue;
    return (r.begin <= lo && r.end >= hi) ? StorePermission::None : StorePermission::Partial;
  }
  return StorePermission::All;
}

bool PagedMemory::word_read_only(uint32_t addr) const {
  const uint64_t lo = addr & ~3u, hi = lo + 4;
  return std::any_of(read_only_.begin(), read_only_.end(), [&](const ReadOnlyRange& r) {
    return r.begin < r.end && r.begin < hi && r.end > lo;
  });
}

PagedMemory::Page* PagedMemory::obtain(uint32_t page) {
  if (page == kRegisterPage) {
    fault_ = MemoryFault::RegisterPage;
    return nullptr;
  }
  auto it = pages_.find(page);
  Page* p;
  if (it != pages_.end()) {
    p = it->second.get();
  } else {
    if (restricted_) {
      fault_ = MemoryFault::MissingPage;
      return nullptr;
    }
    if (pages_.size() >= max_pages_) {
      fault_ = MemoryFault::PageLimit;
      return nullptr;
    }
    auto fresh = std::make_unique<Page>();
    fresh->store = store_permission(page);
    p = fresh.get();
    pages_.emplace(page, std::move(fresh));
  }
  if (epoch_ != 0 && p->epoch != epoch_) {
    p->epoch = epoch_;
    touched_.push_back(page);
    if (snapshots_ != nullptr) {
      PageImage& img = snapshots_->emplace_back();
      img.index = page;
      img.bytes = p->bytes;
    }
  }
  read_table_[page] = p->bytes.data();
  if (p->store == StorePermission::All) write_table_[page] = p->bytes.data();
  return p;
}

uint8_t* PagedMemory::read_slow(uint32_t page) {
  Page* p = obtain(page);
  return p ? p->bytes.data() : nullptr;
}

uint8_t* PagedMemory::write_slow(uint32_t addr) {
  const uint32_t page = addr >> kPageBits;
  // Check the permission before obtain() so a refused store does not count as a touch; the
  // reserved register page has no read-only ranges, so its fault still comes from obtain().
  const StorePermission perm = store_permission(page);
  if (perm == StorePermission::None || (perm == StorePermission::Partial && word_read_only(addr))) {
    fault_ = MemoryFault::ReadOnly;
    return nullptr;
  }
  Page* p = obtain(page);
  return p ? p->bytes.data() : nullptr;
}

void PagedMemory::load_image(const ElfImage& image) {
  for (const auto& s : image.segments) {
    for (size_t off = 0; off < s.bytes.size();) {
      const uint32_t addr = s.vaddr + static_cast<uint32_t>(off);
      const uint32_t page = addr >> kPageBits, in_page = addr & (kPageSize - 1);
      const size_t n = std::min<size_t>(kPageSize - in_page, s.bytes.size() - off);
      auto& slot = pages_[page];
      if (!slot) {
        slot = std::make_unique<Page>();
        slot->store = store_permission(page);
      }
      std::memcpy(slot->bytes.data() + in_page, s.bytes.data() + off, n);
      off += n;
    }
  }
}

void PagedMemory::install_page(const PageImage& image) {
  auto& slot = pages_[image.index];
  if (!slot) {
    slot = std::make_unique<Page>();
    slot->store = store_permission(image.index);
  }
  slot->bytes = image.bytes;
  read_table_[image.index] = nullptr;
  write_table_[image.index] = nullptr;
}

void PagedMemory::begin_epoch(std::vector<PageImage>* snapshots) {
  for (uint32_t page : touched_) read_table_[page] = write_table_[page] = nullptr;
  touched_.clear();
  if (epoch_ == 0) {
    // Entering tracking mode: forget every cached entry so that each first touch is seen.
    for (const auto& [page, p] : pages_) read_table_[page] = write_table_[page] = nullptr;
  }
  ++epoch_;
  snapshots_ = snapshots;
}

const uint8_t* PagedMemory::find_page(uint32_t page) const {
  auto it = pages_.find(page);
  return it == pages_.end() ? nullptr : it->second->bytes.data();
}

uint32_t PagedMemory::peek_word(uint32_t addr) const {
  const uint8_t* p = find_page(addr >> kPageBits);
  uint32_t v = 0;
  if (p != nullptr) std::memcpy(&v, p + (addr & (kPageSize - 1) & ~3u), 4);
  return v;
}

PageImage PagedMemory::image_of(uint32_t page) const {
  PageImage img;
  img.index = page;
  if (const uint8_t* p = find_page(page)) std::memcpy(img.bytes.data(), p, kPageSize);
  return img;
}

}  // namespace tessera::vm
