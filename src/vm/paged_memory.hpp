#pragma once
// Sparse guest memory: 1 KiB pages over the 32-bit address space, allocated on first touch (a
// page never touched reads as zero), with a bound on resident pages.
//
// The interpreter reaches a page through two flat tables of 2^22 page pointers — one for loads,
// one for stores — indexed by addr >> 10; a null entry sends it to the slow path, which allocates,
// checks permissions and the limit, records the touch, and fills the entry. The tables are
// calloc'ed (32 MiB of address space each, zero pages the kernel maps on demand), so only the
// parts covering touched memory ever become resident.
//
// Touch tracking for checkpoints costs nothing in the hot path: each page carries the epoch
// (shard) in which it was last touched; begin_epoch() clears the table entries of the pages touched
// in the previous epoch, so the next access to each of them takes the slow path once, which
// snapshots its contents (its state at the shard's start) and re-fills the entry.
//
// Store permission is per aligned 4-byte WORD: a store to any byte of a word that holds at least
// one read-only byte (text, read-only data) is refused, even when the stored byte itself is
// writable, because the zkVM's memory argument marks each word writable or not. The store table
// never holds a page that overlaps a read-only range; stores to such a page always take the slow
// path, which checks the word, so a page shared by text and data still accepts stores to the
// words of its data part.

#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "vm/guest_abi.hpp"
#include "vm/program.hpp"

namespace tessera::vm {

static_assert(std::endian::native == std::endian::little,
              "guest memory is accessed with host loads; the host must be little-endian like RV32");

// A page's index and its 1 KiB of contents.
struct PageImage {
  uint32_t index = 0;
  std::array<uint8_t, kPageSize> bytes{};

  bool is_zero() const;
  friend bool operator==(const PageImage&, const PageImage&) = default;
};

enum class MemoryFault : uint8_t {
  None,
  RegisterPage,  // the guest touched page 0, the register file's page
  ReadOnly,      // a store to a word holding text or read-only data
  PageLimit,     // one more page would exceed the resident-page limit
  MissingPage,   // restricted mode (shard re-execution): the page is not in the checkpoint
};

class PagedMemory {
 public:
  PagedMemory(uint32_t max_pages, std::vector<ReadOnlyRange> read_only);
  ~PagedMemory();
  PagedMemory(const PagedMemory&) = delete;
  PagedMemory& operator=(const PagedMemory&) = delete;

  // Hot-path tables: entry i points at page i's bytes, or is null (take the slow path).
  uint8_t* const* read_table() const { return read_table_; }
  uint8_t* const* write_table() const { return write_table_; }

  // Slow paths. Return the page's bytes, or null with fault() set.
  uint8_t* read_slow(uint32_t page);
  uint8_t* write_slow(uint32_t addr);  // the address, for the read-only check of its word
  MemoryFault fault() const { return fault_; }

  // Writes the segments' file-backed bytes (the zero-filled tails stay unallocated).
  void load_image(const ElfImage& image);
  // Installs a page with given contents (checkpoint restore); not counted as a touch.
  void install_page(const PageImage& page);
  // Only installed pages may be touched from now on (MemoryFault::MissingPage otherwise).
  void restrict_to_installed() { restricted_ = true; }

  // Starts a new epoch. Pages touched from now on are listed in touched(); when `snapshots` is
  // not null, each page's contents at its first touch of the epoch are appended to it.
  void begin_epoch(std::vector<PageImage>* snapshots);
  const std::vector<uint32_t>& touched() const { return touched_; }

  // Untracked access for loading, checkpoints, syscalls' event records and tests.
  const uint8_t* find_page(uint32_t page) const;
  uint32_t peek_word(uint32_t addr) const;  // addr must be 4-aligned; absent pages read as zero
  uint32_t resident_pages() const { return static_cast<uint32_t>(pages_.size()); }
  uint32_t max_pages() const { return max_pages_; }
  PageImage image_of(uint32_t page) const;  // contents (zero when absent)

 private:
  struct Page;
  enum class StorePermission : uint8_t { All, None, Partial };

  Page* obtain(uint32_t page);  // allocates, tracks; null with fault_ set
  StorePermission store_permission(uint32_t page) const;
  bool word_read_only(uint32_t addr) const;  // the aligned word of addr holds a read-only byte

  uint32_t max_pages_;
  std::vector<ReadOnlyRange> read_only_;
  uint8_t** read_table_ = nullptr;
  uint8_t** write_table_ = nullptr;
  std::unordered_map<uint32_t, std::unique_ptr<Page>> pages_;
  uint32_t epoch_ = 0;  // 0: not tracking
  std::vector<uint32_t> touched_;
  std::vector<PageImage>* snapshots_ = nullptr;
  bool restricted_ = false;
  MemoryFault fault_ = MemoryFault::None;
};

}  // namespace tessera::vm
