// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "aggregate/topk.h"

#include <algorithm>

namespace edgekit::aggregate {

void TopK::Merge(const TopK& other) {
  std::vector<TopKEntry> out;
  out.reserve(entries.size() + other.entries.size());
  size_t i = 0;
  size_t j = 0;
  while (i < entries.size() || j < other.entries.size()) {
    if (j == other.entries.size() ||
        (i < entries.size() && entries[i].key < other.entries[j].key)) {
      TopKEntry e = std::move(entries[i++]);
      e.upper += other.threshold;
      out.push_back(std::move(e));
    } else if (i == entries.size() || other.entries[j].key < entries[i].key) {
      TopKEntry e = other.entries[j++];
      e.upper += threshold;
      out.push_back(std::move(e));
    } else {
      TopKEntry e = std::move(entries[i++]);
      e.upper += other.entries[j].upper;
      e.lower += other.entries[j].lower;
      ++j;
      out.push_back(std::move(e));
    }
  }
  entries = std::move(out);
  threshold += other.threshold;
}

std::vector<TopKEntry> TopK::Top(size_t k) const {
  std::vector<TopKEntry> out = entries;
  auto better = [](const TopKEntry& a, const TopKEntry& b) {
    if (a.upper != b.upper) return a.upper > b.upper;
    if (a.lower != b.lower) return a.lower > b.lower;
    return a.key < b.key;
  };
  if (out.size() > k) {
    std::partial_sort(out.begin(), out.begin() + static_cast<ptrdiff_t>(k),
                      out.end(), better);
    out.resize(k);
  } else {
    std::sort(out.begin(), out.end(), better);
  }
  return out;
}

}  // namespace edgekit::aggregate
