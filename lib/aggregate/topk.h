// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Top-k keys of a window in summary form. Each candidate carries bounds on its
// true count, lower <= true <= upper, and the summary carries a threshold:
// any key not listed occurred at most `threshold` times. In a region the
// candidates come from a Space-Saving sketch (aggregator.h); here they only
// merge and rank.
//
// Merge rule: the union of candidates; a key listed on both sides adds its
// bounds; a key listed on one side only adds the other side's threshold to
// its upper bound (it may have occurred that often there unseen) and nothing
// to its lower bound; thresholds add. Every step is a sum, so merge is
// exactly associative and commutative. It keeps every candidate — a merged
// summary holds at most the sum of its inputs' candidates — and readers take
// the top k with Top().

#ifndef EDGEKIT_LIB_AGGREGATE_TOPK_H_
#define EDGEKIT_LIB_AGGREGATE_TOPK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace edgekit::aggregate {

struct TopKEntry {
  std::string key;
  uint64_t upper = 0;
  uint64_t lower = 0;
  bool operator==(const TopKEntry& o) const {
    return key == o.key && upper == o.upper && lower == o.lower;
  }
};

struct TopK {
  uint64_t threshold = 0;
  std::vector<TopKEntry> entries;  // sorted by key, keys unique

  void Merge(const TopK& other);
  // Top returns the |k| candidates with the largest upper bounds (ties by
  // larger lower bound, then key), largest first.
  std::vector<TopKEntry> Top(size_t k) const;
  bool operator==(const TopK& o) const {
    return threshold == o.threshold && entries == o.entries;
  }
};

}  // namespace edgekit::aggregate

#endif  // EDGEKIT_LIB_AGGREGATE_TOPK_H_
