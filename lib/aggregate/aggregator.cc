// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The aggregator's region layout and its update/flush protocol (the argument
// for exactly-once counting is in aggregator.h).
//
// Layout after the 128-byte region header, each section 64-byte aligned:
//   control    late_updates, keys_inserted (one cache line each)
//   table      region::Table; value words = 2 cells
//   overflow   2 cells for the overflow key
//   sketches   (num_slots + 1) x 2 cells x [HLL words | zero count | buckets]
//              (slot num_slots is the overflow key)
//   topk       2 tables (window parity) x [state, 7 pad | word x T |
//              error x T | meta x T | key bytes x T]

#include "aggregate/aggregator.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <thread>

#include "aggregate/hash.h"
#include "aggregate/hll.h"

namespace edgekit::aggregate {
namespace {

constexpr uint32_t kKindVersion = 1;

// Cell words.
constexpr uint32_t kState = 0;
constexpr uint32_t kCount = 1;
constexpr uint32_t kSum = 2;
constexpr uint32_t kMin = 3;
constexpr uint32_t kMax = 4;

// Cell (and top-k table) state word.
constexpr uint64_t kWritersMask = (uint64_t{1} << 23) - 1;
constexpr uint64_t kSealed = Aggregator::kSealedBitForTesting;
constexpr int kTagShift = 24;
constexpr uint64_t kMaxWindowId = (uint64_t{1} << 40) - 2;

constexpr uint64_t Tag(uint64_t s) { return s >> kTagShift; }
constexpr uint64_t Writers(uint64_t s) { return s & kWritersMask; }
constexpr uint64_t MakeState(uint64_t tag, uint64_t writers) {
  return (tag << kTagShift) | writers;
}

// Top-k entry word: 24-bit fingerprint | 40-bit count.
constexpr uint64_t kCountMask = (uint64_t{1} << 40) - 1;
constexpr uint32_t kWays = 8;
constexpr uint64_t kMetaWriting = std::numeric_limits<uint64_t>::max();

// Bounded waits (see aggregator.h): spin briefly, then yield the CPU, which
// is what lets a preempted peer on a busy machine finish.
constexpr uint32_t kWaitSpins = 1 << 16;
inline void Backoff(uint32_t spins) {
  if (spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

uint64_t Fingerprint(uint64_t hash) { return ((hash >> 38) & 0xffffff) | 1; }

}  // namespace

struct Aggregator::Sections {
  region::TableShape shape;
  size_t control = 0;
  size_t table = 0;
  size_t overflow = 0;
  size_t sketches = 0;
  size_t topk = 0;
  size_t total = 0;
  uint32_t cell_words = 0;
  size_t hll_words = 0;
  size_t sketch_words = 0;
  uint32_t topk_slots = 0;
  uint32_t key_words = 0;
  size_t topk_table_words = 0;
};

absl::StatusOr<AggregatorOptions> Aggregator::Resolve(AggregatorOptions o) {
  if (o.features & ~kKnownFeatures) {
    return absl::InvalidArgumentError("aggregator: unknown feature bits");
  }
  if (o.key_capacity == 0) o.key_capacity = 1024;
  if (o.max_key_len == 0) o.max_key_len = 64;
  if (o.window_ms == 0) o.window_ms = 1000;
  if (o.features & kFeatureQuantiles) o.features |= kFeatureValues;
  if (o.features & kFeatureHll) {
    if (o.hll_lg_k == 0) o.hll_lg_k = kHllDefaultLgK;
  } else if (o.hll_lg_k != 0) {
    return absl::InvalidArgumentError("aggregator: hll_lg_k without HLL");
  }
  if (o.features & kFeatureQuantiles) {
    if (o.quantile_alpha_ppm == 0)
      o.quantile_alpha_ppm = kQuantileDefaultAlphaPpm;
    if (o.quantile_buckets == 0) o.quantile_buckets = kQuantileDefaultBuckets;
  } else if (o.quantile_alpha_ppm != 0 || o.quantile_buckets != 0) {
    return absl::InvalidArgumentError(
        "aggregator: quantile options without quantiles");
  }
  if (o.features & kFeatureTopK) {
    if (o.topk_k == 0) o.topk_k = 10;
    if (o.topk_slots == 0) {
      o.topk_slots = static_cast<uint32_t>(
          std::max<uint64_t>(64, uint64_t{16} * o.topk_k));
    }
    o.topk_slots = (o.topk_slots + kWays - 1) / kWays * kWays;
    if (o.topk_slots < o.topk_k || o.topk_slots > (1u << 20)) {
      return absl::InvalidArgumentError("aggregator: topk_slots out of range");
    }
  } else if (o.topk_k != 0 || o.topk_slots != 0) {
    return absl::InvalidArgumentError(
        "aggregator: top-k options without top-k");
  }
  if (o.window_ms < kMinWindowMs || o.window_ms > kMaxWindowMs) {
    return absl::InvalidArgumentError(
        "aggregator: window_ms out of 1 s .. 1 h");
  }
  if (o.max_key_len > region::kMaxKeyLen || o.max_key_len > kMaxSummaryKeyLen) {
    return absl::InvalidArgumentError("aggregator: max_key_len too large");
  }
  SummaryConfig c;
  c.values = o.features & kFeatureValues;
  c.hll_lg_k = static_cast<int>(o.hll_lg_k);
  c.quantile_alpha_ppm = o.quantile_alpha_ppm;
  c.quantile_buckets = o.quantile_buckets;
  c.topk_k = o.topk_k;
  if (absl::Status st = ValidateSummaryConfig(c); !st.ok()) return st;
  return o;
}

absl::Status Aggregator::Plan(const AggregatorOptions& o, Sections* s) {
  s->cell_words = (o.features & kFeatureValues) ? 5 : 2;
  s->shape = region::ShapeFor(o.key_capacity, o.max_key_len, 2 * s->cell_words,
                              o.seed);
  if (absl::Status st = region::ValidateShape(s->shape); !st.ok()) return st;
  s->hll_words = (o.features & kFeatureHll) ? HllPackedWords(o.hll_lg_k) : 0;
  s->sketch_words =
      s->hll_words +
      ((o.features & kFeatureQuantiles) ? size_t{o.quantile_buckets} + 1 : 0);
  s->topk_slots = o.topk_slots;
  s->key_words = (o.max_key_len + 7) / 8;
  s->topk_table_words =
      s->topk_slots == 0 ? 0 : 8 + size_t{s->topk_slots} * (3 + s->key_words);
  region::Layout layout;
  s->control = layout.Add(128);
  const size_t table_bytes = region::TableBytes(s->shape);
  if (table_bytes == 0)
    return absl::InvalidArgumentError("aggregator: too large");
  s->table = layout.Add(table_bytes);
  s->overflow = layout.AddArray(size_t{2} * s->cell_words, 8);
  if (s->sketch_words != 0) {
    s->sketches =
        layout.AddArray((s->shape.num_slots + 1) * 2, s->sketch_words * 8);
  }
  if (s->topk_table_words != 0) {
    s->topk = layout.AddArray(2, s->topk_table_words * 8);
  }
  if (!layout.ok()) return absl::InvalidArgumentError("aggregator: too large");
  s->total = layout.size();
  return absl::OkStatus();
}

void Aggregator::Bind(uint8_t* base, const Sections& s) {
  base_ = base;
  table_ = region::Table(base + s.table, s.shape);
  late_updates_ = reinterpret_cast<std::atomic<uint64_t>*>(base + s.control);
  keys_inserted_ =
      reinterpret_cast<std::atomic<uint64_t>*>(base + s.control + 64);
  overflow_cells_ = reinterpret_cast<std::atomic<uint64_t>*>(base + s.overflow);
  sketches_ = s.sketch_words
                  ? reinterpret_cast<std::atomic<uint64_t>*>(base + s.sketches)
                  : nullptr;
  topk_ = s.topk_table_words
              ? reinterpret_cast<std::atomic<uint64_t>*>(base + s.topk)
              : nullptr;
  cell_words_ = s.cell_words;
  hll_words_ = s.hll_words;
  sketch_words_ = s.sketch_words;
  topk_slots_ = s.topk_slots;
  key_words_ = s.key_words;
  topk_table_words_ = s.topk_table_words;
  if (options_.features & kFeatureQuantiles) {
    mapping_.emplace(options_.quantile_alpha_ppm, options_.quantile_buckets);
  }
}

absl::StatusOr<size_t> Aggregator::RegionSize(
    const AggregatorOptions& options) {
  absl::StatusOr<AggregatorOptions> o = Resolve(options);
  if (!o.ok()) return o.status();
  Sections s;
  if (absl::Status st = Plan(*o, &s); !st.ok()) return st;
  return s.total;
}

namespace {

// Identity values of a cell: what a drained cell holds.
void ResetCell(std::atomic<uint64_t>* cell, uint32_t cell_words) {
  for (uint32_t i = 0; i < cell_words; ++i)
    cell[i].store(0, std::memory_order_relaxed);
  if (cell_words > kMax) {
    cell[kMin].store(static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
                     std::memory_order_relaxed);
    cell[kMax].store(static_cast<uint64_t>(std::numeric_limits<int64_t>::min()),
                     std::memory_order_relaxed);
  }
}

}  // namespace

absl::StatusOr<Aggregator> Aggregator::Format(
    void* base, size_t len, const AggregatorOptions& options) {
  if (base == nullptr ||
      reinterpret_cast<uintptr_t>(base) % region::kRegionAlign) {
    return absl::InvalidArgumentError("aggregator: region NULL or misaligned");
  }
  absl::StatusOr<AggregatorOptions> o = Resolve(options);
  if (!o.ok()) return o.status();
  Sections s;
  if (absl::Status st = Plan(*o, &s); !st.ok()) return st;
  if (len < s.total) {
    return absl::ResourceExhaustedError("aggregator: region too small");
  }
  region::InvalidateHeader(base);
  auto* bytes = static_cast<uint8_t*>(base);
  std::memset(bytes + region::kHeaderSize, 0, s.total - region::kHeaderSize);
  region::Table::Format(bytes + s.table, s.shape);
  Aggregator a;
  a.options_ = *o;
  a.Bind(bytes, s);
  // Every slot's cells start at their identity (min/max sentinels).
  if (s.cell_words > kMax) {
    region::Table view(bytes + s.table, s.shape);
    for (uint64_t i = 0; i < s.shape.num_slots; ++i) {
      std::atomic<uint64_t>* v = view.values(i);
      ResetCell(v, s.cell_words);
      ResetCell(v + s.cell_words, s.cell_words);
    }
  }
  ResetCell(a.overflow_cells_, s.cell_words);
  ResetCell(a.overflow_cells_ + s.cell_words, s.cell_words);
  region::Descriptor d;
  d.kind = region::kKindAggregate;
  d.kind_version = kKindVersion;
  d.total_size = s.total;
  d.params = {o->key_capacity,
              o->max_key_len,
              o->window_ms,
              o->features,
              o->hll_lg_k,
              o->quantile_alpha_ppm,
              o->quantile_buckets,
              o->topk_k,
              o->topk_slots,
              o->seed,
              0};
  region::WriteHeader(base, d);
  return a;
}

absl::StatusOr<Aggregator> Aggregator::Attach(void* base, size_t len) {
  absl::StatusOr<region::Descriptor> d =
      region::ReadHeader(base, len, region::kKindAggregate, kKindVersion);
  if (!d.ok()) return d.status();
  const auto& p = d->params;
  if (p[1] > UINT32_MAX || p[2] > UINT32_MAX || p[3] > UINT32_MAX ||
      p[4] > UINT32_MAX || p[5] > UINT32_MAX || p[6] > UINT32_MAX ||
      p[7] > UINT32_MAX || p[8] > UINT32_MAX || p[10] != 0) {
    return absl::FailedPreconditionError(
        "aggregator: header parameters out of range");
  }
  AggregatorOptions o;
  o.key_capacity = p[0];
  o.max_key_len = static_cast<uint32_t>(p[1]);
  o.window_ms = static_cast<uint32_t>(p[2]);
  o.features = static_cast<uint32_t>(p[3]);
  o.hll_lg_k = static_cast<uint32_t>(p[4]);
  o.quantile_alpha_ppm = static_cast<uint32_t>(p[5]);
  o.quantile_buckets = static_cast<uint32_t>(p[6]);
  o.topk_k = static_cast<uint32_t>(p[7]);
  o.topk_slots = static_cast<uint32_t>(p[8]);
  o.seed = p[9];
  // The header must hold resolved options (what Format wrote), and the
  // layout they imply must be exactly the recorded size.
  absl::StatusOr<AggregatorOptions> r = Resolve(o);
  Sections s;
  if (!r.ok() || r->key_capacity != o.key_capacity ||
      r->max_key_len != o.max_key_len || r->window_ms != o.window_ms ||
      r->features != o.features || r->hll_lg_k != o.hll_lg_k ||
      r->quantile_alpha_ppm != o.quantile_alpha_ppm ||
      r->quantile_buckets != o.quantile_buckets || r->topk_k != o.topk_k ||
      r->topk_slots != o.topk_slots || !Plan(o, &s).ok() ||
      s.total != d->total_size) {
    return absl::FailedPreconditionError(
        "aggregator: header parameters inconsistent");
  }
  Aggregator a;
  a.options_ = o;
  a.Bind(static_cast<uint8_t*>(base), s);
  return a;
}

SummaryConfig Aggregator::summary_config() const {
  SummaryConfig c;
  c.values = options_.features & kFeatureValues;
  c.hll_lg_k = static_cast<int>(options_.hll_lg_k);
  c.quantile_alpha_ppm = options_.quantile_alpha_ppm;
  c.quantile_buckets = options_.quantile_buckets;
  c.topk_k = options_.topk_k;
  return c;
}

std::atomic<uint64_t>* Aggregator::CellStateForTesting(std::string_view key,
                                                       int64_t now_ms) const {
  region::Table::Slot slot;
  if (table_.Find(key, table_.Hash(key), &slot) !=
      region::Table::Result::kFound) {
    return nullptr;
  }
  const uint64_t window = static_cast<uint64_t>(now_ms) / options_.window_ms;
  return slot.values + (window & 1) * cell_words_ + kState;
}

std::atomic<uint64_t>* Aggregator::SketchWords(uint64_t slot,
                                               uint32_t cell) const {
  return sketches_ + (slot * 2 + cell) * sketch_words_;
}

Aggregator::Result Aggregator::Update(std::string_view key, int64_t now_ms,
                                      int64_t value, std::string_view item) {
  if (key.size() > options_.max_key_len) return Result::kKeyTooLong;
  if (now_ms < 0) return Result::kBadTime;
  const uint64_t window = static_cast<uint64_t>(now_ms) / options_.window_ms;
  if (window > kMaxWindowId) return Result::kBadTime;
  const uint32_t parity = static_cast<uint32_t>(window & 1);

  const uint64_t hash = table_.Hash(key);
  region::Table::Slot slot;
  Result result = Result::kCounted;
  std::atomic<uint64_t>* cells;
  uint64_t sketch_slot;
  // Past key_capacity, keys are only looked up: the table stays at <= 80%
  // load, so an overflowing key costs a short probe, not max_probes.
  region::Table::Result found;
  if (keys_inserted_->load(std::memory_order_relaxed) < options_.key_capacity) {
    found =
        table_.FindOrInsert(key, hash, &slot, [this](std::atomic<uint64_t>* v) {
          ResetCell(v, cell_words_);
          ResetCell(v + cell_words_, cell_words_);
        });
    if (found == region::Table::Result::kInserted) {
      keys_inserted_->fetch_add(1, std::memory_order_relaxed);
    }
  } else {
    found = table_.Find(key, hash, &slot);
  }
  switch (found) {
    case region::Table::Result::kFound:
    case region::Table::Result::kInserted:
      cells = slot.values;
      sketch_slot = slot.index;
      break;
    default:  // full or past capacity: counted under the overflow key
      cells = overflow_cells_;
      sketch_slot = table_.num_slots();
      result = Result::kOverflow;
      break;
  }
  std::atomic<uint64_t>* cell = cells + size_t{parity} * cell_words_;

  // Register as a writer of this window's cell (see aggregator.h).
  std::atomic<uint64_t>& state = cell[kState];
  const uint64_t want = window + 1;
  uint64_t s = state.load(std::memory_order_acquire);
  uint64_t tag;
  for (uint32_t spins = 0;;) {
    tag = Tag(s);
    if (tag == 0) {
      if (state.compare_exchange_weak(s, MakeState(want, 1),
                                      std::memory_order_acq_rel)) {
        tag = want;
        break;
      }
      continue;
    }
    if (s & kSealed) {
      // A flush is draining this cell; wait until it is free. A flusher that
      // never finishes (killed) has its seal broken after the bound.
      if (++spins < kWaitSpins) {
        Backoff(spins);
        s = state.load(std::memory_order_acquire);
      } else if (state.compare_exchange_strong(s, 0,
                                               std::memory_order_acq_rel)) {
        s = 0;
        spins = 0;
      }
      continue;
    }
    if (Writers(s) == kWritersMask) {
      Backoff(64);
      s = state.load(std::memory_order_acquire);
      continue;
    }
    if (state.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) break;
  }
  if (tag != want) late_updates_->fetch_add(1, std::memory_order_relaxed);

  cell[kCount].fetch_add(1, std::memory_order_relaxed);
  if (cell_words_ > kMax) {
    cell[kSum].fetch_add(static_cast<uint64_t>(value),
                         std::memory_order_relaxed);
    uint64_t cur = cell[kMin].load(std::memory_order_relaxed);
    while (value < static_cast<int64_t>(cur) &&
           !cell[kMin].compare_exchange_weak(cur, static_cast<uint64_t>(value),
                                             std::memory_order_relaxed)) {
    }
    cur = cell[kMax].load(std::memory_order_relaxed);
    while (value > static_cast<int64_t>(cur) &&
           !cell[kMax].compare_exchange_weak(cur, static_cast<uint64_t>(value),
                                             std::memory_order_relaxed)) {
    }
  }
  if (sketch_words_ != 0) {
    std::atomic<uint64_t>* sk = SketchWords(sketch_slot, parity);
    if (hll_words_ != 0 && !item.empty()) {
      uint32_t index;
      uint8_t rank;
      HllIndexAndRank(Hash64(item), static_cast<int>(options_.hll_lg_k), &index,
                      &rank);
      HllPackedUpdate(sk, index, rank);
    }
    if (mapping_) {
      std::atomic<uint64_t>* q = sk + hll_words_;
      const size_t i = value <= 0 ? 0 : size_t{mapping_->Index(value)} + 1;
      q[i].fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Deregister; if the cell changed hands meanwhile (our seal was broken, or
  // the flusher gave up waiting), there is nothing left to release.
  s = state.load(std::memory_order_relaxed);
  while (Tag(s) == tag && Writers(s) > 0 &&
         !state.compare_exchange_weak(s, s - 1, std::memory_order_release)) {
  }

  if (topk_ != nullptr) TopKUpdate(key, hash, window);
  return result;
}

void Aggregator::TopKUpdate(std::string_view key, uint64_t hash,
                            uint64_t window) {
  std::atomic<uint64_t>* t = topk_ + (window & 1) * topk_table_words_;
  uint64_t s = t[0].load(std::memory_order_relaxed);
  if (Tag(s) == 0) {
    t[0].compare_exchange_strong(s, MakeState(window + 1, 0),
                                 std::memory_order_relaxed);
  }
  const uint32_t sets = topk_slots_ / kWays;
  const uint64_t set = (hash >> 8) % sets;
  const uint64_t fp = Fingerprint(hash);
  std::atomic<uint64_t>* words = t + 8 + set * kWays;
  for (;;) {
    uint32_t min_i = 0;
    uint64_t min_word = ~uint64_t{0};
    bool raced = false;
    for (uint32_t i = 0; i < kWays; ++i) {
      uint64_t v = words[i].load(std::memory_order_relaxed);
      if ((v >> 40) == fp) {
        while ((v >> 40) == fp) {
          if (words[i].compare_exchange_weak(v, v + 1,
                                             std::memory_order_relaxed)) {
            return;
          }
        }
        raced = true;  // replaced under us: look again
        break;
      }
      if ((v & kCountMask) < (min_word & kCountMask) ||
          min_word == ~uint64_t{0}) {
        min_word = v;
        min_i = i;
      }
    }
    if (raced) continue;
    // Space-Saving: the key takes over the smallest counter, inheriting its
    // count as its error.
    const uint64_t min_count = min_word & kCountMask;
    if (!words[min_i].compare_exchange_strong(min_word,
                                              (fp << 40) | (min_count + 1),
                                              std::memory_order_relaxed)) {
      continue;
    }
    const size_t e = set * kWays + min_i;
    std::atomic<uint64_t>* errors = t + 8 + topk_slots_;
    std::atomic<uint64_t>* meta = errors + topk_slots_;
    std::atomic<uint64_t>* keys = meta + topk_slots_ + e * key_words_;
    errors[e].store(min_count, std::memory_order_relaxed);
    meta[e].store(kMetaWriting, std::memory_order_relaxed);
    for (size_t w = 0; w < key_words_ && w * 8 < key.size(); ++w) {
      uint64_t chunk = 0;
      std::memcpy(&chunk, key.data() + w * 8,
                  std::min<size_t>(8, key.size() - w * 8));
      keys[w].store(chunk, std::memory_order_relaxed);
    }
    meta[e].store(key.size() + 1, std::memory_order_release);
    return;
  }
}

bool Aggregator::DrainCell(std::atomic<uint64_t>* cell, uint64_t slot,
                           uint32_t parity, uint64_t window, KeyStats* out) {
  std::atomic<uint64_t>& state = cell[kState];
  const uint64_t want = window + 1;
  uint64_t s = state.load(std::memory_order_acquire);
  for (uint32_t spins = 0;;) {
    if (Tag(s) != want) return false;
    if (s & kSealed) {
      // Another flusher is draining it (it will free it in microseconds), or
      // died doing so: after the bound, take the seal over.
      if (++spins < kWaitSpins) {
        Backoff(spins);
        s = state.load(std::memory_order_acquire);
      } else if (state.compare_exchange_strong(s, s & ~kSealed,
                                               std::memory_order_acq_rel)) {
        s &= ~kSealed;
        spins = 0;
      }
      continue;
    }
    if (state.compare_exchange_weak(s, s | kSealed,
                                    std::memory_order_acq_rel)) {
      break;
    }
  }
  // Wait for registered writers; a killed one is given up on after the bound.
  for (uint32_t spins = 0; spins < kWaitSpins; ++spins) {
    s = state.load(std::memory_order_acquire);
    if (Writers(s) == 0 || Tag(s) != want) break;
    Backoff(spins);
  }

  const uint64_t count = cell[kCount].exchange(0, std::memory_order_acq_rel);
  bool drained = count != 0;
  if (drained) {
    out->count = count;
    if (cell_words_ > kMax) {
      out->sum = static_cast<int64_t>(
          cell[kSum].exchange(0, std::memory_order_acq_rel));
      out->min = static_cast<int64_t>(cell[kMin].exchange(
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
          std::memory_order_acq_rel));
      out->max = static_cast<int64_t>(cell[kMax].exchange(
          static_cast<uint64_t>(std::numeric_limits<int64_t>::min()),
          std::memory_order_acq_rel));
    }
    if (sketch_words_ != 0) {
      std::atomic<uint64_t>* sk = SketchWords(slot, parity);
      if (hll_words_ != 0) {
        const int lg_k = static_cast<int>(options_.hll_lg_k);
        out->hll = HllSketch(lg_k);
        const uint32_t m = uint32_t{1} << lg_k;
        for (size_t w = 0; w < hll_words_; ++w) {
          if (sk[w].load(std::memory_order_relaxed) == 0) continue;
          const uint64_t word = sk[w].exchange(0, std::memory_order_acq_rel);
          for (uint32_t i = 0; i < kHllRegistersPerWord; ++i) {
            const uint32_t index =
                static_cast<uint32_t>(w) * kHllRegistersPerWord + i;
            if (index < m) out->hll.Raise(index, HllPackedValue(word, i));
          }
        }
      }
      if (mapping_) {
        std::atomic<uint64_t>* q = sk + hll_words_;
        for (uint32_t i = 0; i <= options_.quantile_buckets; ++i) {
          if (q[i].load(std::memory_order_relaxed) == 0) continue;
          const uint64_t n = q[i].exchange(0, std::memory_order_acq_rel);
          if (i == 0) {
            out->quantiles.zero_count += n;
          } else if (n != 0) {
            out->quantiles.buckets.emplace_back(i - 1, n);
          }
        }
      }
    }
  }
  // A count of zero means a stalled writer's count went to an earlier drain;
  // its other words (if any) stay in the cell for the next one, so a record
  // never has data without a count.

  s = state.load(std::memory_order_acquire);
  while (Tag(s) == want && (s & kSealed) &&
         !state.compare_exchange_weak(s, 0, std::memory_order_acq_rel)) {
  }
  return drained;
}

void Aggregator::DrainTopK(uint64_t window, Summary* summary) {
  std::atomic<uint64_t>* t = topk_ + (window & 1) * topk_table_words_;
  uint64_t s = t[0].load(std::memory_order_acquire);
  if (Tag(s) != window + 1 || !t[0].compare_exchange_strong(
                                  s, s | kSealed, std::memory_order_acq_rel)) {
    return;
  }
  std::atomic<uint64_t>* words = t + 8;
  std::atomic<uint64_t>* errors = words + topk_slots_;
  std::atomic<uint64_t>* meta = errors + topk_slots_;
  std::atomic<uint64_t>* keys = meta + topk_slots_;
  TopK& topk = summary->topk;
  std::string key;
  for (uint32_t set = 0; set < topk_slots_ / kWays; ++set) {
    uint64_t set_min = ~uint64_t{0};
    for (uint32_t i = 0; i < kWays; ++i) {
      const size_t e = size_t{set} * kWays + i;
      const uint64_t v = words[e].exchange(0, std::memory_order_acq_rel);
      const uint64_t count = v & kCountMask;
      set_min = std::min(set_min, count);
      if (count == 0) continue;
      const uint64_t err = errors[e].exchange(0, std::memory_order_relaxed);
      const uint64_t m = meta[e].load(std::memory_order_acquire);
      bool known = m != 0 && m != kMetaWriting && m - 1 <= options_.max_key_len;
      if (known) {
        key.resize(static_cast<size_t>(m - 1));
        for (size_t w = 0; w * 8 < key.size(); ++w) {
          const uint64_t chunk =
              keys[e * key_words_ + w].load(std::memory_order_relaxed);
          std::memcpy(&key[w * 8], &chunk,
                      std::min<size_t>(8, key.size() - w * 8));
        }
        // Two claimers racing on one entry can interleave key bytes: keep
        // the key only if it still hashes to the entry's fingerprint.
        known = meta[e].load(std::memory_order_acquire) == m &&
                Fingerprint(table_.Hash(key)) == (v >> 40);
      }
      if (!known) {
        // Unnamed: its count still bounds every key we cannot list.
        topk.threshold = std::max(topk.threshold, count);
        continue;
      }
      topk.entries.push_back({key, count, count > err ? count - err : 0});
    }
    // A full set's smallest counter bounds every key of the set it dropped.
    if (set_min != 0) topk.threshold = std::max(topk.threshold, set_min);
  }
  uint64_t cur = t[0].load(std::memory_order_acquire);
  while (Tag(cur) == window + 1 && (cur & kSealed) &&
         !t[0].compare_exchange_weak(cur, 0, std::memory_order_acq_rel)) {
  }

  // One key may hold two entries (two first updates racing): add them.
  std::sort(
      topk.entries.begin(), topk.entries.end(),
      [](const TopKEntry& a, const TopKEntry& b) { return a.key < b.key; });
  std::vector<TopKEntry> merged;
  for (TopKEntry& e : topk.entries) {
    if (!merged.empty() && merged.back().key == e.key) {
      merged.back().upper += e.upper;
      merged.back().lower += e.lower;
    } else {
      merged.push_back(std::move(e));
    }
  }
  // Ordinary keys know their exact count; any of them above the threshold is
  // a candidate even if the sketch lost it in a race.
  std::vector<TopKEntry> out;
  size_t j = 0;
  for (const KeyStats& k : summary->keys) {
    while (j < merged.size() && merged[j].key < k.key)
      out.push_back(std::move(merged[j++]));
    const bool listed = j < merged.size() && merged[j].key == k.key;
    if (listed || k.count > topk.threshold)
      out.push_back({k.key, k.count, k.count});
    if (listed) ++j;
  }
  while (j < merged.size()) out.push_back(std::move(merged[j++]));
  topk.entries = std::move(out);
}

std::optional<Summary> Aggregator::FlushOne(int64_t now_ms) {
  if (now_ms < 0) return std::nullopt;
  const uint64_t current = static_cast<uint64_t>(now_ms) / options_.window_ms;
  // Pass 1: the oldest ended window that holds data. Sealed cells count:
  // DrainCell waits for a live flusher's seal and takes over a dead one's.
  uint64_t oldest = ~uint64_t{0};
  auto consider = [&](uint64_t s) {
    if (Tag(s) != 0 && Tag(s) - 1 < current) {
      oldest = std::min(oldest, Tag(s) - 1);
    }
  };
  table_.ForEach([&](uint64_t, std::string_view, std::atomic<uint64_t>* v) {
    consider(v[kState].load(std::memory_order_acquire));
    consider(v[cell_words_ + kState].load(std::memory_order_acquire));
  });
  consider(overflow_cells_[kState].load(std::memory_order_acquire));
  consider(
      overflow_cells_[cell_words_ + kState].load(std::memory_order_acquire));
  if (topk_ != nullptr) {
    consider(topk_[0].load(std::memory_order_acquire));
    consider(topk_[topk_table_words_].load(std::memory_order_acquire));
  }
  if (oldest == ~uint64_t{0}) return std::nullopt;

  // Pass 2: seal, drain and free every cell of that window.
  const uint32_t parity = static_cast<uint32_t>(oldest & 1);
  Summary summary;
  summary.config = summary_config();
  summary.window_start_ms = oldest * options_.window_ms;
  summary.window_end_ms = summary.window_start_ms + options_.window_ms;
  table_.ForEach(
      [&](uint64_t index, std::string_view key, std::atomic<uint64_t>* v) {
        KeyStats k;
        if (DrainCell(v + size_t{parity} * cell_words_, index, parity, oldest,
                      &k)) {
          k.key.assign(key.data(), key.size());
          summary.keys.push_back(std::move(k));
        }
      });
  summary.has_overflow =
      DrainCell(overflow_cells_ + size_t{parity} * cell_words_,
                table_.num_slots(), parity, oldest, &summary.overflow);
  summary.late_updates = late_updates_->exchange(0, std::memory_order_acq_rel);
  std::sort(summary.keys.begin(), summary.keys.end(),
            [](const KeyStats& a, const KeyStats& b) { return a.key < b.key; });
  if (topk_ != nullptr) DrainTopK(oldest, &summary);
  return summary;
}

std::vector<Summary> Aggregator::Flush(int64_t now_ms) {
  std::vector<Summary> out;
  while (std::optional<Summary> s = FlushOne(now_ms))
    out.push_back(std::move(*s));
  return out;
}

}  // namespace edgekit::aggregate
