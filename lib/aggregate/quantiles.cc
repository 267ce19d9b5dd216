// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "aggregate/quantiles.h"

#include <algorithm>
#include <cmath>

namespace edgekit::aggregate {

QuantileMapping::QuantileMapping(uint32_t alpha_ppm, uint32_t num_buckets)
    : alpha_ppm_(alpha_ppm), num_buckets_(num_buckets) {
  const double a = alpha();
  const double gamma = (1.0 + a) / (1.0 - a);
  // One bucket spans 1/multiplier in approximate-log2 units, which is at most
  // 1 / (multiplier * kC * ln 2) in true log2 units: set that to log2(gamma).
  multiplier_ = 1.0 / (kC * std::log(gamma));
}

uint32_t QuantileMapping::MaxBuckets(uint32_t alpha_ppm) {
  const QuantileMapping m(alpha_ppm, 1);
  const double n = std::ceil(63.0 * m.multiplier_) + 1.0;
  return n >= kQuantileMaxBuckets ? kQuantileMaxBuckets
                                  : static_cast<uint32_t>(n);
}

double QuantileMapping::Inverse(double scaled) const {
  const double approx = scaled / multiplier_;
  const double exponent = std::floor(approx);
  const double frac = approx - exponent;
  // The cubic is increasing on [0, 1]: bisect for its mantissa.
  double lo = 0.0;
  double hi = 1.0;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (((kA * mid + kB) * mid + kC) * mid < frac) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::ldexp(1.0 + 0.5 * (lo + hi), static_cast<int>(exponent));
}

double QuantileMapping::Lower(uint32_t i) const {
  return i == 0 ? 1.0 : Inverse(static_cast<double>(i) - 1.0);
}

double QuantileMapping::Upper(uint32_t i) const {
  return i == 0 ? 1.0 : Inverse(static_cast<double>(i));
}

double QuantileMapping::Value(uint32_t i) const {
  if (i == 0) return 1.0;
  const double lo = Lower(i);
  const double hi = Upper(i);
  return 2.0 * lo * hi / (lo + hi);
}

uint64_t QuantileSketch::total() const {
  uint64_t n = zero_count;
  for (const auto& b : buckets) n += b.second;
  return n;
}

void QuantileSketch::Add(uint32_t index, uint64_t count) {
  if (count == 0) return;
  auto it = std::lower_bound(buckets.begin(), buckets.end(), index,
                             [](const std::pair<uint32_t, uint64_t>& b,
                                uint32_t i) { return b.first < i; });
  if (it != buckets.end() && it->first == index) {
    it->second += count;
  } else {
    buckets.insert(it, {index, count});
  }
}

void QuantileSketch::Merge(const QuantileSketch& other) {
  zero_count += other.zero_count;
  if (other.buckets.empty()) return;
  std::vector<std::pair<uint32_t, uint64_t>> out;
  out.reserve(buckets.size() + other.buckets.size());
  size_t i = 0;
  size_t j = 0;
  while (i < buckets.size() || j < other.buckets.size()) {
    if (j == other.buckets.size() ||
        (i < buckets.size() && buckets[i].first < other.buckets[j].first)) {
      out.push_back(buckets[i++]);
    } else if (i == buckets.size() ||
               other.buckets[j].first < buckets[i].first) {
      out.push_back(other.buckets[j++]);
    } else {
      out.emplace_back(buckets[i].first,
                       buckets[i].second + other.buckets[j].second);
      ++i;
      ++j;
    }
  }
  buckets = std::move(out);
}

double QuantileSketch::Quantile(const QuantileMapping& mapping, double q,
                                int64_t min, int64_t max) const {
  const uint64_t n = total();
  if (n == 0) return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  // The element of rank floor(q * (n - 1)), counting from 0.
  const uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(n - 1));
  double v = 0.0;
  if (rank >= zero_count) {
    uint64_t seen = zero_count;
    for (const auto& b : buckets) {
      seen += b.second;
      if (seen > rank) {
        v = mapping.Value(b.first);
        break;
      }
    }
  }
  if (min > max) return v;  // inconsistent input: no range to clamp to
  return std::clamp(v, static_cast<double>(min), static_cast<double>(max));
}

}  // namespace edgekit::aggregate
