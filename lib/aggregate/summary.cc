// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "aggregate/summary.h"

#include <algorithm>
#include <utility>

namespace edgekit::aggregate {

absl::Status ValidateSummaryConfig(const SummaryConfig& c) {
  if (c.hll_lg_k != 0 && (c.hll_lg_k < kHllMinLgK || c.hll_lg_k > kHllMaxLgK)) {
    return absl::InvalidArgumentError("hll lg_k out of range 4..16");
  }
  if (c.quantile_buckets != 0 || c.quantile_alpha_ppm != 0) {
    if (!c.values) {
      return absl::InvalidArgumentError("quantiles need values");
    }
    if (c.quantile_alpha_ppm < kQuantileMinAlphaPpm ||
        c.quantile_alpha_ppm > kQuantileMaxAlphaPpm) {
      return absl::InvalidArgumentError("quantile alpha out of range");
    }
    if (c.quantile_buckets < 2 ||
        c.quantile_buckets >
            QuantileMapping::MaxBuckets(c.quantile_alpha_ppm)) {
      return absl::InvalidArgumentError("quantile bucket count out of range");
    }
  }
  if (c.topk_k > 65535) return absl::InvalidArgumentError("top-k k too large");
  return absl::OkStatus();
}

void KeyStats::Merge(const KeyStats& other) {
  count += other.count;
  // Two's-complement wrap-around keeps the sum exact modulo 2^64 and the
  // merge associative even if a total leaves the int64 range.
  sum = static_cast<int64_t>(static_cast<uint64_t>(sum) +
                             static_cast<uint64_t>(other.sum));
  min = std::min(min, other.min);
  max = std::max(max, other.max);
  if (!other.hll.empty()) {
    if (hll.empty()) {
      hll = other.hll;
    } else {
      hll.Merge(other.hll);
    }
  }
  quantiles.Merge(other.quantiles);
}

const KeyStats* Summary::Find(std::string_view key) const {
  auto it = std::lower_bound(
      keys.begin(), keys.end(), key,
      [](const KeyStats& k, std::string_view s) { return k.key < s; });
  if (it == keys.end() || it->key != key) return nullptr;
  return &*it;
}

bool Summary::operator==(const Summary& o) const {
  return config == o.config && window_start_ms == o.window_start_ms &&
         window_end_ms == o.window_end_ms && late_updates == o.late_updates &&
         keys == o.keys && has_overflow == o.has_overflow &&
         (!has_overflow || overflow == o.overflow) && topk == o.topk;
}

absl::Status MergeSummaries(Summary* a, const Summary& b) {
  if (a->config != b.config) {
    return absl::FailedPreconditionError(
        "summaries have different configurations");
  }
  // A window of [0, 0) means "no window yet" and is the identity, so the
  // result is the min start and max end over the non-empty windows.
  const bool a_empty = a->window_start_ms == 0 && a->window_end_ms == 0;
  const bool b_empty = b.window_start_ms == 0 && b.window_end_ms == 0;
  if (a_empty) {
    a->window_start_ms = b.window_start_ms;
    a->window_end_ms = b.window_end_ms;
  } else if (!b_empty) {
    a->window_start_ms = std::min(a->window_start_ms, b.window_start_ms);
    a->window_end_ms = std::max(a->window_end_ms, b.window_end_ms);
  }
  a->late_updates += b.late_updates;

  std::vector<KeyStats> out;
  out.reserve(a->keys.size() + b.keys.size());
  size_t i = 0;
  size_t j = 0;
  while (i < a->keys.size() || j < b.keys.size()) {
    if (j == b.keys.size() ||
        (i < a->keys.size() && a->keys[i].key < b.keys[j].key)) {
      out.push_back(std::move(a->keys[i++]));
    } else if (i == a->keys.size() || b.keys[j].key < a->keys[i].key) {
      out.push_back(b.keys[j++]);
    } else {
      out.push_back(std::move(a->keys[i++]));
      out.back().Merge(b.keys[j++]);
    }
  }
  a->keys = std::move(out);

  if (b.has_overflow) {
    if (a->has_overflow) {
      a->overflow.Merge(b.overflow);
    } else {
      a->overflow = b.overflow;
      a->has_overflow = true;
    }
  }
  a->topk.Merge(b.topk);
  return absl::OkStatus();
}

}  // namespace edgekit::aggregate
