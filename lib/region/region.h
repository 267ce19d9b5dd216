// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Regions: state that lives in memory the host hands over (an nginx shared
// zone, an mmap'd file, or malloc for one process) and is shared by every
// process that maps it. This header is the one door to the three pieces that
// inventory and aggregation build on:
//
//   - Header: a 128-byte preamble (magic, header version, kind, kind version,
//     total size, eleven capability-defined parameters, checksum). Attach
//     copies it out, checks all of it and never writes to the memory, so a
//     too-small, zeroed, foreign or corrupted region is a Status, not UB.
//   - Layout: computes section offsets from capacities. A region holds
//     offsets, never pointers, because every process maps it at another
//     address; attach recomputes the layout from the header parameters.
//   - Table: a lock-free, insert-only, open-addressing hash table of
//     fixed-size slots, safe across processes (see the Table comment).
//
// Nothing here takes a lock, allocates or reads a clock. Every mutable word in
// a region is a std::atomic that is always lock-free, so a process killed at
// any instruction leaves no lock behind.

#ifndef EDGEKIT_LIB_REGION_REGION_H_
#define EDGEKIT_LIB_REGION_REGION_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace edgekit::region {

static_assert(std::atomic<uint64_t>::is_always_lock_free,
              "regions need lock-free 64-bit atomics to be crash-safe");

// Region memory must be aligned to this many bytes; mmap and nginx zones are
// page-aligned, and malloc callers should use aligned_alloc.
inline constexpr size_t kRegionAlign = 64;

// HashBytes is the 64-bit hash that places keys in a Table. It is part of
// the memory format — a region written by one build is read by the next —
// so it is our own fixed function, never std::hash or absl::Hash (both are
// seeded per process). |seed| lets a host make placement unpredictable to
// clients who choose keys.
[[nodiscard]] uint64_t HashBytes(std::string_view bytes, uint64_t seed);

// ---------------------------------------------------------------------------
// Header.

inline constexpr uint64_t kMagic = 0x4e4f494745524b45;  // "EKREGION", LE
inline constexpr uint32_t kHeaderVersion = 1;
inline constexpr size_t kNumParams = 11;

// What a capability stores in its region header. |kind| names the capability
// (below) and |kind_version| its layout version; |params| are its
// capacities, in an order the capability defines and never reorders.
struct Descriptor {
  uint32_t kind = 0;
  uint32_t kind_version = 0;
  uint64_t total_size = 0;
  std::array<uint64_t, kNumParams> params{};
};

// Region kinds. Append only.
inline constexpr uint32_t kKindInventory = 1;
inline constexpr uint32_t kKindRateLimit = 2;
inline constexpr uint32_t kKindAggregate = 3;

// The on-memory header. Plain (non-atomic) fields: it is written once by
// WriteHeader and only read afterwards.
struct Header {
  uint64_t magic;
  uint32_t header_version;
  uint32_t kind;
  uint32_t kind_version;
  uint32_t reserved;  // zero
  uint64_t total_size;
  uint64_t params[kNumParams];
  uint64_t checksum;  // HashBytes of the 120 bytes above, seed kMagic
};
static_assert(sizeof(Header) == 128);

// The header occupies the first kHeaderSize bytes; sections start after it.
inline constexpr size_t kHeaderSize = sizeof(Header);

// InvalidateHeader zeroes the header so no process can attach while a
// format rewrites the body. Call it first in every format.
void InvalidateHeader(void* base);

// WriteHeader writes |d| and its checksum at |base|. Call it last in every
// format, after the body is initialised (it ends with a release fence), so a
// format interrupted by a crash leaves memory that attach refuses.
void WriteHeader(void* base, const Descriptor& d);

// ReadHeader validates the header at |base| without writing to it and
// returns its descriptor. Errors (all FailedPrecondition unless noted):
// |base| NULL or misaligned (InvalidArgument), |len| < kHeaderSize, wrong
// magic (covers zeroed memory), other header version, other kind, other
// kind_version, checksum mismatch, total_size > |len| or < kHeaderSize.
// The capability must still check that its parameters are sane and that the
// layout they imply fits total_size.
[[nodiscard]] absl::StatusOr<Descriptor> ReadHeader(const void* base,
                                                    size_t len, uint32_t kind,
                                                    uint32_t kind_version);

// ---------------------------------------------------------------------------
// Layout.

// Layout hands out 64-byte-aligned section offsets after the header and
// remembers whether any size overflowed, so hostile parameters read from a
// header cannot wrap an offset around.
class Layout {
 public:
  Layout() = default;
  // Add reserves |bytes| (rounded up to kRegionAlign) and returns its offset.
  size_t Add(size_t bytes);
  // Multiply-and-add with the same overflow tracking.
  size_t AddArray(size_t count, size_t elem_bytes);
  bool ok() const { return ok_; }
  size_t size() const { return size_; }

 private:
  size_t size_ = kHeaderSize;
  bool ok_ = true;
};

// ---------------------------------------------------------------------------
// Table.
//
// A Table is a view over memory inside a region: num_slots fixed-size slots,
//
//   [ state: atomic u64 | key_len: u32 | key bytes (max_key_len, padded to 8)
//     | value_words × atomic u64 ]
//
// The state word packs a 2-bit state with the low 62 bits of the key's hash:
//
//   kEmpty (0) ──CAS──▶ kClaiming|hash ──CAS──▶ kReady|hash   (forever)
//                            └────CAS────▶ kDead|hash         (forever)
//
// Insert claims the first empty slot on its probe path with a CAS, writes
// key_len, key and the caller's initial values, then publishes with a CAS
// from kClaiming to kReady (release). Readers acquire-load kReady before they
// read a key, so keys are plain bytes written by exactly one process.
//
// A process killed while claiming must not wedge the table. Another process
// that meets a kClaiming slot with a different hash simply probes past it
// (different hash ⇒ different key). One that meets its own hash waits a
// bounded number of spins (yielding) for kReady; if the slot is still
// claiming it CASes it to kDead and probes on. The claimer, if it was only
// slow rather than dead, then fails its publishing CAS and retries from the
// start — where it finds the key the other process inserted. So a key is
// never ready in two slots, and a crash costs at most one dead slot. Dead
// slots are never reused until the table is Reset.
//
// Slots are never deleted (records are written once and their values change
// in place), so a probe ends at the first empty slot or after max_probes.
// Insert-only also means a slot index is a stable name for a key: callers may
// store it in other records.
//
// Values start as whatever the init callback writes during the claim (zero
// after Format); they are the caller's atomics, updated with the caller's
// own protocol.

struct TableShape {
  uint64_t num_slots = 0;    // 1 .. 2^32
  uint32_t max_key_len = 0;  // 0 .. kMaxKeyLen bytes
  uint32_t value_words = 0;  // 0 .. kMaxValueWords
  uint32_t max_probes = 0;   // 1 .. num_slots
  uint64_t seed = 0;         // HashBytes seed
};

inline constexpr uint32_t kMaxKeyLen = 4096;
inline constexpr uint32_t kMaxValueWords = 64;
inline constexpr uint64_t kMaxSlots = uint64_t{1} << 32;

// ShapeFor returns a shape that holds |capacity| keys at a load of at most
// 80% (num_slots = ceil(capacity × 5/4)), probing at most 1024 slots. At that
// load, linear probing with a good hash needs more than 1024 probes with
// negligible probability, so kFull means the table really is nearly full —
// or that clients found colliding keys, which a secret |seed| prevents.
[[nodiscard]] TableShape ShapeFor(uint64_t capacity, uint32_t max_key_len,
                                  uint32_t value_words, uint64_t seed);

// ValidateShape checks the bounds above (InvalidArgument otherwise).
[[nodiscard]] absl::Status ValidateShape(const TableShape& shape);

// SlotSize is the bytes per slot: 8 + round8(4 + max_key_len) + 8 × values.
[[nodiscard]] size_t SlotSize(const TableShape& shape);

// TableBytes is num_slots × SlotSize, or 0 if that overflows size_t.
[[nodiscard]] size_t TableBytes(const TableShape& shape);

enum class SlotState : uint64_t {
  kEmpty = 0,
  kClaiming = 1,
  kReady = 2,
  kDead = 3,
};

class Table {
 public:
  enum class Result {
    kFound,      // the key was present; *out names it
    kInserted,   // this call inserted the key; *out names it
    kNotFound,   // Find only: the key is absent
    kFull,       // no empty slot within max_probes
    kKeyTooLong  // key longer than max_key_len
  };

  // A ready slot: its stable index and its value words.
  struct Slot {
    uint64_t index = 0;
    std::atomic<uint64_t>* values = nullptr;
  };

  Table() = default;
  // A view over memory already formatted for |shape| (Format, or another
  // process's Format). |base| must be 8-byte aligned and hold
  // TableBytes(shape) bytes; |shape| must pass ValidateShape.
  Table(void* base, const TableShape& shape);

  // Format constructs every slot as empty with zero values. Not safe while
  // any process uses the table.
  static void Format(void* base, const TableShape& shape);

  // Reset makes a formatted table empty again. Like Format, it needs every
  // user to be quiescent (e.g. a window rotated out long ago).
  void Reset();

  // FindOrInsert finds |key| or inserts it, calling |init| on the new slot's
  // values before the slot is published (so no reader sees them
  // uninitialised). Lock-free; safe from any number of threads and
  // processes. |hash| must be HashBytes(key, shape.seed) — callers that
  // already computed it (to pick a shard, say) pass it in.
  [[nodiscard]] Result FindOrInsert(std::string_view key, uint64_t hash,
                                    Slot* out);
  [[nodiscard]] Result FindOrInsert(
      std::string_view key, uint64_t hash, Slot* out,
      absl::FunctionRef<void(std::atomic<uint64_t>* values)> init);
  [[nodiscard]] Result FindOrInsert(std::string_view key, Slot* out) {
    return FindOrInsert(key, Hash(key), out);
  }

  // Find looks |key| up without inserting: kFound or kNotFound (or
  // kKeyTooLong). Wait-free: a key still being claimed counts as absent,
  // since its insert has not completed.
  [[nodiscard]] Result Find(std::string_view key, uint64_t hash,
                            Slot* out) const;
  [[nodiscard]] Result Find(std::string_view key, Slot* out) const {
    return Find(key, Hash(key), out);
  }

  [[nodiscard]] uint64_t Hash(std::string_view key) const {
    return HashBytes(key, shape_.seed);
  }

  // Prefetch starts loading the slots a lookup of a key with |hash| reads
  // first, for a caller that knows a key some time before it looks it up.
  // Only a hint to the CPU: it reads and writes nothing.
  void Prefetch(uint64_t hash) const;

  // Inspection, for stats, tools and tests. |index| < num_slots().
  [[nodiscard]] SlotState state(uint64_t index) const;
  // Key of a ready slot (empty for other states). The bytes stay valid as
  // long as the region is mapped.
  [[nodiscard]] std::string_view key(uint64_t index) const;
  // Whether slot |index| is ready and holds |key|: how a slot index cached
  // outside the region is checked, without building key() to compare.
  [[nodiscard]] bool KeyIs(uint64_t index, std::string_view key) const;
  [[nodiscard]] std::atomic<uint64_t>* values(uint64_t index) const;
  // The raw state word, for tests that simulate a killed claimer.
  [[nodiscard]] std::atomic<uint64_t>* state_word(uint64_t index) const;
  // ForEach calls |fn| for every ready slot, in index order.
  void ForEach(absl::FunctionRef<void(uint64_t index, std::string_view key,
                                      std::atomic<uint64_t>* values)>
                   fn) const;

  [[nodiscard]] uint64_t num_slots() const { return shape_.num_slots; }
  // Where the table's slots start: with num_slots, what identifies a table
  // to a cache of slot indices outside the region.
  [[nodiscard]] const void* base() const { return base_; }
  [[nodiscard]] const TableShape& shape() const { return shape_; }

  // Packs a state with a hash, as stored in the state word.
  static constexpr uint64_t EncodeState(SlotState s, uint64_t hash) {
    return s == SlotState::kEmpty
               ? 0
               : (static_cast<uint64_t>(s) << 62) | (hash & kHashMask);
  }
  static constexpr uint64_t kHashMask = (uint64_t{1} << 62) - 1;

  // How long a same-hash claim is waited for before it is declared dead.
  // Only capacity depends on it (a live but preempted claimer retries).
  static constexpr uint32_t kClaimSpins = 1 << 16;

 private:
  uint8_t* slot(uint64_t index) const { return base_ + index * slot_size_; }
  uint64_t Start(uint64_t hash) const;
  bool KeyEquals(const uint8_t* s, std::string_view key) const;
  void PrefetchRun(uint64_t start) const;
  // Waits while |word| stays |claiming|; returns the state seen last, or
  // kDead after declaring the claim dead.
  static uint64_t AwaitClaim(std::atomic<uint64_t>* word, uint64_t claiming);

  // Lookups prefetch the slots after the first (PrefetchRun) only in a
  // table this large, whose slots mostly come from DRAM. In one that fits
  // the caches the prefetch saves little, and the neighbours it fetches are
  // often lines another core is writing (another worker's buyers): taking
  // them costs that core a miss — two writers ran 20-30% slower with it.
  static constexpr size_t kPrefetchRunTableBytes = size_t{8} << 20;

  uint8_t* base_ = nullptr;
  TableShape shape_{};
  size_t slot_size_ = 0;
  size_t values_offset_ = 0;
  bool prefetch_run_ = false;
};

}  // namespace edgekit::region

#endif  // EDGEKIT_LIB_REGION_REGION_H_
