// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The ingest workload shared by the multi-process and multi-thread tests:
// writers send a known stream across many windows while a flusher seals
// windows as fast as it can, using the newest time any writer has reached,
// so flushes race with updates to the very window they seal.

#ifndef EDGEKIT_TESTS_AGGREGATE_INGEST_UTIL_H_
#define EDGEKIT_TESTS_AGGREGATE_INGEST_UTIL_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "aggregate/aggregator.h"
#include "aggregate/summary.h"

namespace edgekit::aggregate::testing {

inline constexpr int kMaxWriters = 8;
inline constexpr int64_t kStartMs = 1767225600000;

// Lives in shared memory next to the region.
struct IngestControl {
  std::atomic<int64_t> writer_now[kMaxWriters];
  std::atomic<int> writers_done;
  std::atomic<uint64_t> flushed_events;
  std::atomic<uint64_t> flushed_value_sum;
  std::atomic<uint64_t> summaries;
};

inline AggregatorOptions IngestOptions() {
  AggregatorOptions o;
  o.key_capacity = 200;  // the stream has 300 keys: some overflow
  o.max_key_len = 16;
  o.window_ms = 1000;
  o.features = kFeatureValues | kFeatureTopK | kFeatureHll;
  o.hll_lg_k = 6;
  return o;
}

// Writer |w| sends |n| events, 3 ms apart (333 per window); value = i % 1000.
inline void RunWriter(Aggregator& a, IngestControl& c, int w, int n) {
  uint64_t x = 0x9e3779b97f4a7c15ull * (w + 1);
  for (int i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const int64_t now = kStartMs + int64_t{i} * 3;
    const std::string key = "k" + std::to_string(x % 300);
    (void)a.Update(key, now, i % 1000, key);
    if (i % 64 == 0) c.writer_now[w].store(now, std::memory_order_relaxed);
  }
  c.writers_done.fetch_add(1);
}

inline int64_t ExpectedValueSum(int n) {
  int64_t s = 0;
  for (int i = 0; i < n; ++i) s += i % 1000;
  return s;
}

inline void Account(IngestControl& c, const Summary& s) {
  uint64_t events = s.has_overflow ? s.overflow.count : 0;
  uint64_t sum = s.has_overflow ? static_cast<uint64_t>(s.overflow.sum) : 0;
  for (const KeyStats& k : s.keys) {
    events += k.count;
    sum += static_cast<uint64_t>(k.sum);
  }
  c.flushed_events.fetch_add(events);
  c.flushed_value_sum.fetch_add(sum);
  c.summaries.fetch_add(1);
}

// Flushes with the newest writer time until every writer is done.
inline void RunFlusher(Aggregator& a, IngestControl& c, int writers) {
  while (c.writers_done.load() < writers) {
    int64_t now = 0;
    for (int w = 0; w < writers; ++w) {
      now = std::max(now, c.writer_now[w].load(std::memory_order_relaxed));
    }
    if (std::optional<Summary> s = a.FlushOne(now)) {
      // Every summary must also survive the wire.
      absl::StatusOr<Summary> back = ParseSummary(SerializeSummary(*s));
      if (!back.ok()) std::abort();
      Account(c, *back);
    }
  }
}

}  // namespace edgekit::aggregate::testing

#endif  // EDGEKIT_TESTS_AGGREGATE_INGEST_UTIL_H_
