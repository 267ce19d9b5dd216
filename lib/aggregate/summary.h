// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A summary: what one node saw in one window (or, after merges, what many
// nodes saw over the union of their windows). Per key: an exact count, and
// as configured exact sum/min/max, a HyperLogLog of distinct items and a
// relative-error quantile sketch; one overflow record for keys that did not
// fit the node's key table; and top-k candidates with error bounds.
//
// Merge is associative and commutative: counts and sums add (sums modulo
// 2^64, as two's-complement int64), min/max take min/max, HLL registers take
// the max, quantile buckets add, top-k follows the rule in topk.h, windows
// widen to [min start, max end). Summaries merge only if their SummaryConfig
// matches (same sketches at the same precision).
//
// Binary form (version 1): see summary_wire.cc and include/edgekit/aggregate.h.

#ifndef EDGEKIT_LIB_AGGREGATE_SUMMARY_H_
#define EDGEKIT_LIB_AGGREGATE_SUMMARY_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "aggregate/hll.h"
#include "aggregate/quantiles.h"
#include "aggregate/topk.h"

namespace edgekit::aggregate {

// Longest key a summary may carry (regions choose smaller limits).
inline constexpr size_t kMaxSummaryKeyLen = 4096;

struct SummaryConfig {
  bool values = false;              // sum, min and max per key
  int hll_lg_k = 0;                 // 0: no distinct counts
  uint32_t quantile_alpha_ppm = 0;  // with quantile_buckets; 0: no quantiles
  uint32_t quantile_buckets = 0;
  uint32_t topk_k = 0;  // 0: no top-k

  bool has_quantiles() const { return quantile_buckets != 0; }
  bool operator==(const SummaryConfig& o) const {
    return values == o.values && hll_lg_k == o.hll_lg_k &&
           quantile_alpha_ppm == o.quantile_alpha_ppm &&
           quantile_buckets == o.quantile_buckets && topk_k == o.topk_k;
  }
  bool operator!=(const SummaryConfig& o) const { return !(*this == o); }
};

// Validate checks ranges (lg_k, alpha, bucket count, k).
absl::Status ValidateSummaryConfig(const SummaryConfig& config);

struct KeyStats {
  std::string key;
  uint64_t count = 0;
  int64_t sum = 0;
  int64_t min = std::numeric_limits<int64_t>::max();
  int64_t max = std::numeric_limits<int64_t>::min();
  HllSketch hll;
  QuantileSketch quantiles;

  // Merge folds |other| (same key or both overflow) into this record.
  void Merge(const KeyStats& other);
  bool operator==(const KeyStats& o) const {
    return key == o.key && count == o.count && sum == o.sum && min == o.min &&
           max == o.max && hll == o.hll && quantiles == o.quantiles;
  }
};

struct Summary {
  SummaryConfig config;
  uint64_t window_start_ms = 0;
  uint64_t window_end_ms = 0;
  // Updates counted in a window other than their own because the host
  // flushed late or its clocks disagree (see aggregator.h).
  uint64_t late_updates = 0;
  std::vector<KeyStats> keys;  // sorted by key, keys unique
  bool has_overflow = false;
  KeyStats overflow;  // keys that found no room in the key table
  TopK topk;          // empty unless config.topk_k != 0

  // Find returns the record for |key| or nullptr.
  const KeyStats* Find(std::string_view key) const;
  bool operator==(const Summary& o) const;
};

// MergeSummaries folds |b| into |a|. Fails with kFailedPrecondition when the
// configurations differ, leaving |a| unchanged.
[[nodiscard]] absl::Status MergeSummaries(Summary* a, const Summary& b);

// Wire form. Parse errors are kInvalidArgument ("malformed: ..."),
// kOutOfRange ("truncated: ...") or kUnimplemented (unknown version/family).
[[nodiscard]] std::string SerializeSummary(const Summary& summary);
[[nodiscard]] absl::StatusOr<Summary> ParseSummary(std::string_view bytes);

// JSON for people and other languages: counts, sums, min/max, distinct
// estimates, quantiles at p50/p90/p99/p999, the top k. Keys made only of
// printable ASCII appear as "key"; other keys as base64url in "key_b64".
[[nodiscard]] std::string SummaryToJson(const Summary& summary);

}  // namespace edgekit::aggregate

#endif  // EDGEKIT_LIB_AGGREGATE_SUMMARY_H_
