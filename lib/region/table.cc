// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The insert-only lock-free table (protocol in region.h). Every index and
// length read back from region memory is bounds-checked before use, because
// attach may hand us memory written by a buggy or hostile process.

#include <cstring>
#include <new>
#include <thread>

#include "region/region.h"

namespace edgekit::region {
namespace {

constexpr size_t kKeyLenBytes = 4;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

inline SlotState StateOf(uint64_t word) {
  return static_cast<SlotState>(word >> 62);
}

size_t KeyAreaBytes(const TableShape& shape) {
  return (kKeyLenBytes + shape.max_key_len + 7) & ~size_t{7};
}

}  // namespace

TableShape ShapeFor(uint64_t capacity, uint32_t max_key_len,
                    uint32_t value_words, uint64_t seed) {
  TableShape s;
  if (capacity == 0) capacity = 1;
  // ceil(capacity × 5/4) without overflow for any capacity ValidateShape
  // would accept.
  s.num_slots = capacity + (capacity + 3) / 4;
  if (s.num_slots > kMaxSlots) s.num_slots = kMaxSlots + 1;  // fails validation
  s.max_key_len = max_key_len;
  s.value_words = value_words;
  s.max_probes = static_cast<uint32_t>(s.num_slots < 1024 ? s.num_slots : 1024);
  s.seed = seed;
  return s;
}

absl::Status ValidateShape(const TableShape& shape) {
  if (shape.num_slots == 0 || shape.num_slots > kMaxSlots) {
    return absl::InvalidArgumentError("table: slot count out of range");
  }
  if (shape.max_key_len > kMaxKeyLen) {
    return absl::InvalidArgumentError("table: key length limit out of range");
  }
  if (shape.value_words > kMaxValueWords) {
    return absl::InvalidArgumentError("table: too many value words");
  }
  if (shape.max_probes == 0 || shape.max_probes > shape.num_slots) {
    return absl::InvalidArgumentError("table: probe limit out of range");
  }
  if (TableBytes(shape) == 0) {
    return absl::InvalidArgumentError("table: size overflows");
  }
  return absl::OkStatus();
}

size_t SlotSize(const TableShape& shape) {
  return 8 + KeyAreaBytes(shape) + 8 * size_t{shape.value_words};
}

size_t TableBytes(const TableShape& shape) {
  size_t bytes;
  if (shape.num_slots > SIZE_MAX ||
      __builtin_mul_overflow(static_cast<size_t>(shape.num_slots),
                             SlotSize(shape), &bytes)) {
    return 0;
  }
  return bytes;
}

Table::Table(void* base, const TableShape& shape)
    : base_(static_cast<uint8_t*>(base)),
      shape_(shape),
      slot_size_(SlotSize(shape)),
      values_offset_(8 + KeyAreaBytes(shape)),
      prefetch_run_(slot_size_ >= 64 &&
                    TableBytes(shape) >= kPrefetchRunTableBytes) {}

void Table::Format(void* base, const TableShape& shape) {
  auto* p = static_cast<uint8_t*>(base);
  const size_t slot_size = SlotSize(shape);
  const size_t values_offset = 8 + KeyAreaBytes(shape);
  for (uint64_t i = 0; i < shape.num_slots; ++i, p += slot_size) {
    new (p) std::atomic<uint64_t>(0);
    std::memset(p + 8, 0, KeyAreaBytes(shape));
    for (size_t v = 0; v < shape.value_words; ++v) {
      new (p + values_offset + 8 * v) std::atomic<uint64_t>(0);
    }
  }
}

void Table::Reset() { Format(base_, shape_); }

uint64_t Table::Start(uint64_t hash) const {
  // Multiply-shift maps the hash onto [0, num_slots) without a division and
  // without needing a power-of-two slot count.
  return static_cast<uint64_t>(
      (static_cast<unsigned __int128>(hash) * shape_.num_slots) >> 64);
}

void Table::PrefetchRun(uint64_t i) const {
  // At 80% load a successful probe visits about three slots; with large
  // slots each is its own cache line, and fetching the next two in parallel
  // with the first turns three misses in series into about one.
  if (prefetch_run_) {
    for (uint64_t k = 1; k <= 2; ++k) {
      const uint64_t j =
          i + k < shape_.num_slots ? i + k : i + k - shape_.num_slots;
      __builtin_prefetch(slot(j));
    }
  }
}

void Table::Prefetch(uint64_t hash) const {
  const uint64_t i = Start(hash);
  // A slot that straddles two lines needs both: the key is in the first,
  // the value words may be in the second.
  __builtin_prefetch(slot(i));
  __builtin_prefetch(slot(i) + slot_size_ - 1);
  PrefetchRun(i);
}

namespace {

// Keys are short (a SKU, a buyer id): compare them in words, the last one
// overlapping, rather than through a call to memcmp.
inline bool ShortEqual(const uint8_t* a, const char* b, size_t n) {
  auto load64 = [](const void* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  if (n < 8) {
    if (n >= 4) {
      auto load32 = [](const void* p) {
        uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
      };
      return ((load32(a) ^ load32(b)) |
              (load32(a + n - 4) ^ load32(b + n - 4))) == 0;
    }
    unsigned diff = 0;
    for (size_t i = 0; i < n; ++i) diff |= a[i] ^ static_cast<uint8_t>(b[i]);
    return diff == 0;
  }
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 < n; i += 8) diff |= load64(a + i) ^ load64(b + i);
  return (diff | (load64(a + n - 8) ^ load64(b + n - 8))) == 0;
}

}  // namespace

bool Table::KeyEquals(const uint8_t* s, std::string_view key) const {
  uint32_t len;
  std::memcpy(&len, s + 8, kKeyLenBytes);
  return len == key.size() &&
         ShortEqual(s + 8 + kKeyLenBytes, key.data(), key.size());
}

uint64_t Table::AwaitClaim(std::atomic<uint64_t>* word, uint64_t claiming) {
  for (uint32_t spin = 0; spin < kClaimSpins; ++spin) {
    const uint64_t seen = word->load(std::memory_order_acquire);
    if (seen != claiming) return seen;
    if (spin % 64 == 63) {
      std::this_thread::yield();
    } else {
      CpuRelax();
    }
  }
  // The claimer has had ample time: assume it died. If it was merely
  // preempted, its publishing CAS now fails and it retries elsewhere.
  const uint64_t dead =
      (static_cast<uint64_t>(SlotState::kDead) << 62) | (claiming & kHashMask);
  uint64_t expected = claiming;
  if (word->compare_exchange_strong(expected, dead, std::memory_order_acq_rel,
                                    std::memory_order_acquire)) {
    return dead;
  }
  return expected;
}

Table::Result Table::FindOrInsert(std::string_view key, uint64_t hash,
                                  Slot* out) {
  return FindOrInsert(key, hash, out, [](std::atomic<uint64_t>*) {});
}

Table::Result Table::FindOrInsert(
    std::string_view key, uint64_t hash, Slot* out,
    absl::FunctionRef<void(std::atomic<uint64_t>* values)> init) {
  if (key.size() > shape_.max_key_len) return Result::kKeyTooLong;
  const uint64_t claiming = EncodeState(SlotState::kClaiming, hash);
  const uint64_t ready = EncodeState(SlotState::kReady, hash);
  for (;;) {  // restarts only when our own claim was declared dead
    uint64_t i = Start(hash);
    PrefetchRun(i);
    bool restart = false;
    for (uint32_t probe = 0; probe < shape_.max_probes && !restart; ++probe) {
      uint8_t* s = slot(i);
      auto* word = std::launder(reinterpret_cast<std::atomic<uint64_t>*>(s));
      uint64_t seen = word->load(std::memory_order_acquire);
      for (;;) {
        if (seen == 0) {
          if (!word->compare_exchange_strong(seen, claiming,
                                             std::memory_order_acquire,
                                             std::memory_order_acquire)) {
            continue;  // somebody claimed it first: look at what they wrote
          }
          const uint32_t len = static_cast<uint32_t>(key.size());
          std::memcpy(s + 8, &len, kKeyLenBytes);
          std::memcpy(s + 8 + kKeyLenBytes, key.data(), key.size());
          auto* values = std::launder(
              reinterpret_cast<std::atomic<uint64_t>*>(s + values_offset_));
          init(values);
          uint64_t expected = claiming;
          if (word->compare_exchange_strong(expected, ready,
                                            std::memory_order_release,
                                            std::memory_order_relaxed)) {
            *out = Slot{i, values};
            return Result::kInserted;
          }
          // Declared dead while we were slow: the key may now live further
          // along, inserted by whoever gave up on us.
          restart = true;
          break;
        }
        if (seen == claiming) {
          seen = AwaitClaim(word, claiming);
          continue;
        }
        if (seen == ready && KeyEquals(s, key)) {
          *out = Slot{i, std::launder(reinterpret_cast<std::atomic<uint64_t>*>(
                             s + values_offset_))};
          return Result::kFound;
        }
        break;  // another key, a dead slot, or our hash with another key
      }
      if (++i == shape_.num_slots) i = 0;
    }
    if (!restart) return Result::kFull;
  }
}

Table::Result Table::Find(std::string_view key, uint64_t hash,
                          Slot* out) const {
  if (key.size() > shape_.max_key_len) return Result::kKeyTooLong;
  const uint64_t ready = EncodeState(SlotState::kReady, hash);
  uint64_t i = Start(hash);
  PrefetchRun(i);
  for (uint32_t probe = 0; probe < shape_.max_probes; ++probe) {
    uint8_t* s = slot(i);
    const uint64_t seen =
        std::launder(reinterpret_cast<std::atomic<uint64_t>*>(s))
            ->load(std::memory_order_acquire);
    if (seen == 0) return Result::kNotFound;
    if (seen == ready && KeyEquals(s, key)) {
      *out = Slot{i, std::launder(reinterpret_cast<std::atomic<uint64_t>*>(
                         s + values_offset_))};
      return Result::kFound;
    }
    if (++i == shape_.num_slots) i = 0;
  }
  return Result::kNotFound;
}

std::atomic<uint64_t>* Table::state_word(uint64_t index) const {
  return std::launder(reinterpret_cast<std::atomic<uint64_t>*>(slot(index)));
}

SlotState Table::state(uint64_t index) const {
  return StateOf(state_word(index)->load(std::memory_order_acquire));
}

std::string_view Table::key(uint64_t index) const {
  if (state(index) != SlotState::kReady) return {};
  const uint8_t* s = slot(index);
  uint32_t len;
  std::memcpy(&len, s + 8, kKeyLenBytes);
  // A hostile region may carry any length; never read past the key area.
  if (len > shape_.max_key_len) len = shape_.max_key_len;
  return std::string_view(reinterpret_cast<const char*>(s + 8 + kKeyLenBytes),
                          len);
}

bool Table::KeyIs(uint64_t index, std::string_view key) const {
  return key.size() <= shape_.max_key_len &&
         state(index) == SlotState::kReady && KeyEquals(slot(index), key);
}

std::atomic<uint64_t>* Table::values(uint64_t index) const {
  return std::launder(
      reinterpret_cast<std::atomic<uint64_t>*>(slot(index) + values_offset_));
}

void Table::ForEach(absl::FunctionRef<void(uint64_t index, std::string_view key,
                                           std::atomic<uint64_t>* values)>
                        fn) const {
  for (uint64_t i = 0; i < shape_.num_slots; ++i) {
    if (state(i) == SlotState::kReady) fn(i, key(i), values(i));
  }
}

}  // namespace edgekit::region
