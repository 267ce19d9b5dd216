// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The quantile sketch: the bucket mapping keeps its relative-error promise
// for every value, and quantiles of large streams are within alpha of the
// exact order statistics.

#include "aggregate/quantiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "test_util.h"

namespace edgekit::aggregate {
namespace {

TEST(QuantileMapping, EveryValueWithinAlphaOfItsBucket) {
  for (uint32_t ppm : {10000u, 1000u, 50000u}) {
    const QuantileMapping m(ppm, QuantileMapping::MaxBuckets(ppm));
    const double alpha = m.alpha();
    std::mt19937_64 rng(ppm);
    auto check = [&](int64_t v) {
      const double rep = m.Value(m.Index(v));
      ASSERT_LE(std::abs(rep - v) / v, alpha * (1 + 1e-9))
          << "v=" << v << " ppm=" << ppm;
    };
    for (int64_t v = 1; v < 100000 / testing::kStreamDivisor; ++v) check(v);
    for (int i = 0; i < 200000 / testing::kStreamDivisor; ++i) {
      check(static_cast<int64_t>(rng() >> (1 + rng() % 62)) + 1);
    }
    check(INT64_MAX);
  }
}

TEST(QuantileMapping, BucketsAreOrderedAndCollapseAtTheTop) {
  const QuantileMapping m(10000, 2048);
  EXPECT_EQ(m.Index(1), 0u);
  uint32_t prev = 0;
  for (int64_t v = 1; v < 1 << 20; v += 1 + v / 64) {
    EXPECT_GE(m.Index(v), prev);
    prev = m.Index(v);
  }
  EXPECT_EQ(m.Index(INT64_MAX), 2047u);
  // 2048 buckets at 1% reach past 3.9e17.
  EXPECT_GT(m.Upper(2046), 3.9e17);
  EXPECT_LT(m.Index(390000000000000000LL), 2047u);
}

double ExactQuantile(std::vector<int64_t>& sorted, double q) {
  return static_cast<double>(
      sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))]);
}

void CheckStream(std::vector<int64_t> values, uint32_t ppm) {
  const QuantileMapping m(ppm, QuantileMapping::MaxBuckets(ppm));
  QuantileSketch s;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (int64_t v : values) {
    if (v <= 0) {
      ++s.zero_count;
    } else {
      s.Add(m.Index(v), 1);
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  ASSERT_EQ(s.total(), values.size());
  std::sort(values.begin(), values.end());
  for (double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    const double exact = ExactQuantile(values, q);
    const double got = s.Quantile(m, q, lo, hi);
    EXPECT_LE(std::abs(got - exact), m.alpha() * exact * (1 + 1e-9))
        << "q=" << q << " exact=" << exact << " got=" << got;
  }
}

TEST(QuantileSketch, UniformStreamWithinAlpha) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> d(1, 10000000);
  std::vector<int64_t> v(1000000 / testing::kStreamDivisor);
  for (auto& x : v) x = d(rng);
  CheckStream(v, 10000);
}

TEST(QuantileSketch, LognormalLatenciesWithinAlpha) {
  std::mt19937_64 rng(2);
  std::lognormal_distribution<double> d(std::log(2000.0), 1.5);
  std::vector<int64_t> v(1000000 / testing::kStreamDivisor);
  for (auto& x : v) x = 1 + static_cast<int64_t>(d(rng));
  CheckStream(v, 10000);
  CheckStream(v, 2000);
}

TEST(QuantileSketch, ZipfValuesWithinAlpha) {
  std::mt19937_64 rng(3);
  std::vector<int64_t> v(1000000 / testing::kStreamDivisor);
  for (auto& x : v) {
    // Pareto tail: heavy like object sizes.
    const double u = (static_cast<double>(rng() >> 11) + 1) * 0x1p-53;
    x = static_cast<int64_t>(100.0 / std::pow(u, 1.0 / 1.1));
  }
  CheckStream(v, 10000);
}

TEST(QuantileSketch, ZeroBucketAndClamp) {
  const QuantileMapping m(10000, 2048);
  QuantileSketch s;
  s.zero_count = 3;
  s.Add(m.Index(1000), 1);
  EXPECT_EQ(s.Quantile(m, 0.0, -5, 1000), 0.0);
  EXPECT_NEAR(s.Quantile(m, 1.0, -5, 1000), 1000.0, 10.0);
  EXPECT_EQ(s.Quantile(m, 1.0, -5, 990), 990.0);  // clamped to max
  EXPECT_EQ(QuantileSketch{}.Quantile(m, 0.5, 0, 0), 0.0);
}

TEST(QuantileSketch, MergeAddsBuckets) {
  QuantileSketch a, b;
  a.Add(5, 2);
  a.Add(9, 1);
  b.Add(9, 4);
  b.Add(1, 1);
  b.zero_count = 2;
  QuantileSketch ab = a;
  ab.Merge(b);
  QuantileSketch ba = b;
  ba.Merge(a);
  EXPECT_EQ(ab, ba);
  EXPECT_EQ(ab.total(), 10u);
  ASSERT_EQ(ab.buckets.size(), 3u);
  EXPECT_EQ(ab.buckets[2].second, 5u);
}

}  // namespace
}  // namespace edgekit::aggregate
