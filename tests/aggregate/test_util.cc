// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "test_util.h"

#include <algorithm>
#include <cmath>

#include "aggregate/hash.h"

namespace edgekit::aggregate::testing {

SummaryConfig FullConfig() {
  SummaryConfig c;
  c.values = true;
  c.hll_lg_k = 12;
  c.quantile_alpha_ppm = 10000;
  c.quantile_buckets = 2048;
  c.topk_k = 10;
  return c;
}

SummaryConfig CounterConfig() { return SummaryConfig{}; }

void AddEvent(Summary* s, const std::string& key, int64_t value,
              uint64_t item_hash, bool overflow) {
  KeyStats* k;
  if (overflow) {
    s->has_overflow = true;
    k = &s->overflow;
  } else {
    auto it = std::lower_bound(
        s->keys.begin(), s->keys.end(), key,
        [](const KeyStats& a, const std::string& b) { return a.key < b; });
    if (it == s->keys.end() || it->key != key) {
      KeyStats fresh;
      fresh.key = key;
      it = s->keys.insert(it, std::move(fresh));
    }
    k = &*it;
  }
  const SummaryConfig& c = s->config;
  ++k->count;
  if (c.values) {
    k->sum += value;
    k->min = std::min(k->min, value);
    k->max = std::max(k->max, value);
  }
  if (c.hll_lg_k != 0) {
    if (k->hll.empty()) k->hll = HllSketch(c.hll_lg_k);
    k->hll.UpdateHash(item_hash);
  }
  if (c.has_quantiles()) {
    const QuantileMapping m(c.quantile_alpha_ppm, c.quantile_buckets);
    if (value <= 0) {
      ++k->quantiles.zero_count;
    } else {
      k->quantiles.Add(m.Index(value), 1);
    }
  }
}

void ExactTopK(Summary* s) {
  s->topk = TopK{};
  for (const KeyStats& k : s->keys) {
    s->topk.entries.push_back({k.key, k.count, k.count});
  }
}

Summary RandomSummary(std::mt19937_64& rng, const SummaryConfig& c,
                      int num_keys, int num_events, uint64_t window_start_ms) {
  Summary s;
  s.config = c;
  s.window_start_ms = window_start_ms;
  s.window_end_ms = window_start_ms + 1000;
  s.late_updates = rng() % 3;
  std::lognormal_distribution<double> value(std::log(500.0), 1.0);
  for (int e = 0; e < num_events; ++e) {
    // Zipf-like: the key id is a power law of a uniform draw.
    const double u = (static_cast<double>(rng() >> 11) + 1) * 0x1p-53;
    const int id =
        std::min(num_keys - 1, static_cast<int>(std::pow(u, -1.2)) - 1);
    const std::string key = "key/" + std::to_string(id);
    const uint64_t item = Hash64("item" + std::to_string(rng() % 5000));
    const int64_t v = static_cast<int64_t>(value(rng)) - 5;
    AddEvent(&s, key, v, item, /*overflow=*/rng() % 50 == 0);
  }
  if (c.topk_k != 0) {
    ExactTopK(&s);
    // Keep it a sketch: drop the tail behind a threshold.
    std::vector<TopKEntry> top = s.topk.Top(c.topk_k * 2);
    std::sort(
        top.begin(), top.end(),
        [](const TopKEntry& a, const TopKEntry& b) { return a.key < b.key; });
    uint64_t threshold = 0;
    for (const TopKEntry& e : s.topk.entries) {
      if (std::find(top.begin(), top.end(), e) == top.end()) {
        threshold = std::max(threshold, e.upper);
      }
    }
    s.topk.entries = top;
    s.topk.threshold = threshold;
  }
  return s;
}

}  // namespace edgekit::aggregate::testing
