// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The aggregator: keyed, windowed counters and sketches in a region that any
// number of processes update at once, without a lock. Each update names a
// key and carries now_ms; Flush(now_ms) seals the oldest window that has
// ended and returns its Summary.
//
// Memory (see Layout in aggregator.cc). Every key lives in a region::Table
// slot whose value words are two window *cells*, indexed by window parity:
//
//   cell = [ state | count | sum | min | max ]   (sum/min/max with kValues)
//   state = tag (window id + 1, 40 bits) | sealed (1 bit) | writers (23 bits)
//
// HLL registers and quantile buckets are too big for value words; they live
// in a parallel array indexed by the slot's stable index, two cells per key.
// The key table is insert-only: keys are never evicted, so size key_capacity
// for the distinct keys seen over the region's life (or re-format the region
// at a reload). Once key_capacity keys are in (give or take the inserts racing
// the last one), new keys are counted under the one overflow key.
//
// Per key, the memory is (8 + round8(4 + max_key_len) + 16 x cell words)
// bytes per table slot, with 1.25 slots per unit of key_capacity:
//   counter only, max_key_len <= 20 ........ 64 bytes per slot
//   + values (sum/min/max) .................. +48 bytes
//   + HLL at lg_k ........................... +2 x 8 x ceil(2^lg_k / 15)
//                                              (4,384 bytes at lg_k = 12)
//   + quantiles, B buckets .................. +2 x 8 x (B + 1)
//                                              (32,784 bytes at B = 2048)
// Top-k adds two tables of topk_slots entries per region, not per key.
//
// Exactly once. Every change to a cell word is one atomic read-modify-write
// (fetch_add, CAS-min/max, HLL CAS-max), and the flusher takes each word with
// an exchange against its identity (0, INT64_MAX, INT64_MIN). A write is
// therefore ordered either before that exchange — and is in this summary —
// or after it, and then stays in the cell, which the next drain of the cell
// takes. No word is ever overwritten with a plain store, so no update is lost
// and none is read twice, whatever the interleaving, and even if a process
// dies mid-update or mid-flush.
//
// Right window. The state word makes attribution exact too, in the normal
// case: a writer registers in the cell for its window (writers + 1) before
// touching data and deregisters after; the flusher first sets `sealed` (no
// new writer registers), then waits for writers to reach 0, then drains, then
// frees the cell. A writer (or a second flusher) that meets a sealed cell
// waits for it to be free. Every wait is bounded (spinning, then yielding),
// so a process killed inside an update or a flush cannot wedge the others;
// when a bound runs out, the waiter breaks the seal or drains anyway, and the
// only cost
// is that the dead (or very stalled) process's update lands in a later
// window — still exactly once. A writer whose cell belongs to another window
// (the host flushed two or more windows late, or process clocks disagree)
// joins that window and is counted in late_updates.
//
// Top-k candidates come from a Space-Saving sketch partitioned into sets of
// 8 entries (a key's hash picks its set): per set, any key occurring more
// than (updates to the set) / 8 times is a candidate, and a candidate's count
// overestimates its true count by at most its recorded error. At flush,
// candidates that are ordinary keys get their exact count from the key's
// cell. The sketch is best-effort under races (it has no writers count), so
// its bounds can be off by the handful of updates that race a flush.

#ifndef EDGEKIT_LIB_AGGREGATE_AGGREGATOR_H_
#define EDGEKIT_LIB_AGGREGATE_AGGREGATOR_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "aggregate/quantiles.h"
#include "aggregate/summary.h"
#include "region/region.h"

namespace edgekit::aggregate {

inline constexpr uint32_t kFeatureValues = 1;     // sum, min, max
inline constexpr uint32_t kFeatureHll = 2;        // distinct items per key
inline constexpr uint32_t kFeatureQuantiles = 4;  // value quantiles per key
inline constexpr uint32_t kFeatureTopK = 8;       // top-k keys per window
inline constexpr uint32_t kKnownFeatures = 15;

inline constexpr uint32_t kMinWindowMs = 1000;
inline constexpr uint32_t kMaxWindowMs = 3600000;

// Zero means "default" in every field.
struct AggregatorOptions {
  uint64_t key_capacity = 0;        // default 1024
  uint32_t max_key_len = 0;         // default 64, at most region::kMaxKeyLen
  uint32_t window_ms = 0;           // default 1000; 1000 .. 3,600,000
  uint32_t features = 0;            // kFeature* bits; quantiles imply values
  uint32_t hll_lg_k = 0;            // default 12; 4 .. 16
  uint32_t quantile_alpha_ppm = 0;  // default 10000 (1%)
  uint32_t quantile_buckets = 0;    // default 2048
  uint32_t topk_k = 0;              // default 10
  uint32_t topk_slots = 0;          // default max(64, 16 k), rounded up to 8
  uint64_t seed = 0;  // key placement; a secret value resists collisions
};

class Aggregator {
 public:
  enum class Result {
    kCounted,     // counted under its own key
    kOverflow,    // key table full: counted under the overflow key
    kKeyTooLong,  // not counted: key longer than max_key_len
    kBadTime,     // not counted: now_ms negative or beyond the window range
  };

  // RegionSize returns the bytes a region needs for |options|.
  [[nodiscard]] static absl::StatusOr<size_t> RegionSize(
      const AggregatorOptions& options);
  // Format initialises |base| (RegionSize bytes, 64-byte aligned) and returns
  // a view of it. Not safe while any process uses the memory.
  [[nodiscard]] static absl::StatusOr<Aggregator> Format(
      void* base, size_t len, const AggregatorOptions& options);
  // Attach checks that |base| holds a formatted aggregator and views it.
  [[nodiscard]] static absl::StatusOr<Aggregator> Attach(void* base,
                                                         size_t len);

  // Update counts one event. |value| feeds sum/min/max and quantiles (values
  // <= 0 go to the quantile zero bucket); |item|, if not empty, feeds the
  // key's distinct count. No allocation, no lock; safe from any thread or
  // process.
  [[nodiscard]] Result Update(std::string_view key, int64_t now_ms,
                              int64_t value, std::string_view item);

  // FlushOne seals the oldest window that ended at or before |now_ms| and
  // returns its summary, or nullopt when no ended window holds data. Safe
  // concurrently with updates and with other flushers (concurrent flushers
  // split a window between their summaries; merging them gives the whole).
  [[nodiscard]] std::optional<Summary> FlushOne(int64_t now_ms);
  // Flush calls FlushOne until it returns nullopt; oldest window first.
  [[nodiscard]] std::vector<Summary> Flush(int64_t now_ms);

  const AggregatorOptions& options() const { return options_; }
  SummaryConfig summary_config() const;

  // The state word of |key|'s cell for the window holding |now_ms| (nullptr
  // if the key is not in the table), so tests can freeze it the way a killed
  // writer (writers + 1) or a killed flusher (sealed) leaves it.
  std::atomic<uint64_t>* CellStateForTesting(std::string_view key,
                                             int64_t now_ms) const;
  static constexpr uint64_t kSealedBitForTesting = uint64_t{1} << 23;

 private:
  struct Sections;
  Aggregator() = default;
  static absl::StatusOr<AggregatorOptions> Resolve(AggregatorOptions o);
  static absl::Status Plan(const AggregatorOptions& o, Sections* s);
  void Bind(uint8_t* base, const Sections& s);

  std::atomic<uint64_t>* SketchWords(uint64_t slot, uint32_t cell) const;
  void TopKUpdate(std::string_view key, uint64_t hash, uint64_t window);
  bool DrainCell(std::atomic<uint64_t>* cell, uint64_t slot, uint32_t parity,
                 uint64_t window, KeyStats* out);
  void DrainTopK(uint64_t window, Summary* summary);

  AggregatorOptions options_{};
  region::Table table_;
  uint8_t* base_ = nullptr;
  std::atomic<uint64_t>* late_updates_ = nullptr;
  std::atomic<uint64_t>* keys_inserted_ = nullptr;
  std::atomic<uint64_t>* overflow_cells_ = nullptr;
  std::atomic<uint64_t>* sketches_ = nullptr;
  std::atomic<uint64_t>* topk_ = nullptr;
  uint32_t cell_words_ = 0;
  size_t sketch_words_ = 0;  // per cell
  size_t hll_words_ = 0;
  uint32_t topk_slots_ = 0;
  uint32_t key_words_ = 0;  // top-k key bytes, in 8-byte words
  size_t topk_table_words_ = 0;
  std::optional<QuantileMapping> mapping_;
};

}  // namespace edgekit::aggregate

#endif  // EDGEKIT_LIB_AGGREGATE_AGGREGATOR_H_
