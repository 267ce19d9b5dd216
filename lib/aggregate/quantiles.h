// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A DDSketch-style relative-error quantile sketch over integer values (a
// latency in microseconds, a size in bytes). Bucket i holds the values whose
// approximate log2, scaled, rounds up to i; every bucket spans a ratio of at
// most gamma = (1 + alpha) / (1 - alpha), so reporting a bucket's
// representative is within relative error alpha of every value in it.
//
// The index is computed from the double's exponent and a cubic in its
// mantissa (no libm call); the multiplier is raised by the cubic's smallest
// slope (10/7 ln 2 at mantissa 0) so that the bound holds for every bucket,
// which costs about 1% more buckets than an exact logarithm.
//
// Bounded memory: a sketch has a fixed bucket count (default 2048, which at
// alpha = 1% covers 1 .. 3.9e17). Collapse rule: a value above the last
// bucket's range is counted in the last bucket, and values <= 0 in a separate
// zero bucket reported as 0; quantile answers are clamped to the exact
// [min, max] of the window, so a collapsed tail reads as "at most max".
// Merge adds bucket counts, so it is exact, associative and commutative.

#ifndef EDGEKIT_LIB_AGGREGATE_QUANTILES_H_
#define EDGEKIT_LIB_AGGREGATE_QUANTILES_H_

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace edgekit::aggregate {

inline constexpr uint32_t kQuantileDefaultAlphaPpm = 10000;  // 1%
inline constexpr uint32_t kQuantileMinAlphaPpm = 100;        // 0.01%
inline constexpr uint32_t kQuantileMaxAlphaPpm = 200000;     // 20%
inline constexpr uint32_t kQuantileDefaultBuckets = 2048;
inline constexpr uint32_t kQuantileMaxBuckets = 65536;

// QuantileMapping maps values to bucket indexes and back for one alpha.
class QuantileMapping {
 public:
  QuantileMapping(uint32_t alpha_ppm, uint32_t num_buckets);

  // MaxBuckets is the most buckets worth having at |alpha_ppm|: enough to
  // reach the largest int64. Configurations are checked against it.
  static uint32_t MaxBuckets(uint32_t alpha_ppm);

  uint32_t alpha_ppm() const { return alpha_ppm_; }
  double alpha() const { return alpha_ppm_ * 1e-6; }
  uint32_t num_buckets() const { return num_buckets_; }

  // Index of value |v| >= 1, collapsed into the last bucket.
  uint32_t Index(int64_t v) const {
    uint64_t bits;
    const double d = static_cast<double>(v);
    std::memcpy(&bits, &d, sizeof bits);
    const int exponent = static_cast<int>(bits >> 52) - 1023;
    uint64_t mantissa_bits =
        (bits & ((uint64_t{1} << 52) - 1)) | (uint64_t{1023} << 52);
    double s;
    std::memcpy(&s, &mantissa_bits, sizeof s);
    s -= 1.0;
    const double approx = exponent + ((kA * s + kB) * s + kC) * s;
    const double scaled = approx * multiplier_;
    uint64_t i = static_cast<uint64_t>(scaled);
    if (static_cast<double>(i) < scaled) ++i;  // ceil for scaled >= 0
    return i < num_buckets_ ? static_cast<uint32_t>(i) : num_buckets_ - 1;
  }

  // Bounds of bucket |i| (values v with lower < v <= upper; bucket 0 is {1}).
  double Lower(uint32_t i) const;
  double Upper(uint32_t i) const;
  // Representative: within relative error alpha of every value in the bucket.
  double Value(uint32_t i) const;

 private:
  static constexpr double kA = 6.0 / 35.0;
  static constexpr double kB = -3.0 / 5.0;
  static constexpr double kC = 10.0 / 7.0;
  double Inverse(double scaled) const;

  uint32_t alpha_ppm_;
  uint32_t num_buckets_;
  double multiplier_;
};

// QuantileSketch is the summary form: a zero bucket and sorted non-empty
// (index, count) buckets.
struct QuantileSketch {
  uint64_t zero_count = 0;
  std::vector<std::pair<uint32_t, uint64_t>> buckets;

  bool empty() const { return zero_count == 0 && buckets.empty(); }
  uint64_t total() const;
  void Add(uint32_t index, uint64_t count);
  void Merge(const QuantileSketch& other);
  // Quantile at rank |q| in [0, 1], clamped to [min, max]. Returns 0 when
  // empty.
  double Quantile(const QuantileMapping& mapping, double q, int64_t min,
                  int64_t max) const;
  bool operator==(const QuantileSketch& o) const {
    return zero_count == o.zero_count && buckets == o.buckets;
  }
};

}  // namespace edgekit::aggregate

#endif  // EDGEKIT_LIB_AGGREGATE_QUANTILES_H_
