// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// HyperLogLog: the estimator's accuracy over many seeds against exact counts,
// the packed shared-memory form against the byte form, and merge laws.

#include "aggregate/hll.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "aggregate/hash.h"
#include "test_util.h"

namespace edgekit::aggregate {
namespace {

uint64_t ItemHash(uint64_t seed, uint64_t i) {
  char buf[16];
  std::memcpy(buf, &seed, 8);
  std::memcpy(buf + 8, &i, 8);
  return Hash64(buf, sizeof buf);
}

TEST(Hll, EmptyEstimatesZero) {
  HllSketch h(12);
  EXPECT_EQ(h.Estimate(), 0.0);
}

TEST(Hll, SmallCountsAreNearlyExact) {
  // Below ~m/10 distinct items the sigma correction is linear counting,
  // which is within a fraction of an item for tens of items.
  for (uint64_t n : {1, 2, 5, 10, 50}) {
    HllSketch h(12);
    for (uint64_t i = 0; i < n; ++i) h.UpdateHash(ItemHash(7, i));
    EXPECT_NEAR(h.Estimate(), static_cast<double>(n), 0.5 + 0.01 * n) << n;
  }
}

TEST(Hll, DuplicatesDoNotCount) {
  HllSketch h(12);
  for (int rep = 0; rep < 10; ++rep) {
    for (uint64_t i = 0; i < 1000; ++i) h.UpdateHash(ItemHash(3, i));
  }
  EXPECT_NEAR(h.Estimate(), 1000.0, 1000 * 3 * HllRelativeStandardError(12));
}

// Over 40 seeds at each cardinality, from the small range through the
// transition (~2.5 m) to well past it: the RMS relative error stays within
// 1.25x the theoretical 1.04/sqrt(m) and no seed strays beyond 3.5 sigma
// (p ~ 5e-4 each; the seeds are fixed, so the test is deterministic).
TEST(Hll, ErrorWithinTheoryAcrossTheRange) {
  const int lg_k = 12;
  const double sigma = HllRelativeStandardError(lg_k);
  for (uint64_t n : {1000, 5000, 10000, 100000, 1000000}) {
    if (n / testing::kStreamDivisor > 100000) continue;
    const int seeds = n >= 1000000 || testing::kStreamDivisor > 1 ? 8 : 40;
    double sq = 0;
    for (int seed = 0; seed < seeds; ++seed) {
      HllSketch h(lg_k);
      for (uint64_t i = 0; i < n; ++i)
        h.UpdateHash(ItemHash(seed * 7919 + n, i));
      const double err = h.Estimate() / n - 1.0;
      EXPECT_LT(std::abs(err), 3.5 * sigma) << "n=" << n << " seed=" << seed;
      sq += err * err;
    }
    const double rms = std::sqrt(sq / seeds);
    // With few seeds the RMS itself varies by ~25%: allow 1.6x there.
    EXPECT_LT(rms, (seeds >= 40 ? 1.25 : 1.6) * sigma) << "n=" << n;
  }
}

TEST(Hll, SizeAtDefaultPrecision) {
  EXPECT_EQ(HllPackedWords(12) * 8, 2192u);  // <= 2.5 KB shared form
  EXPECT_NEAR(HllRelativeStandardError(12), 0.01625, 1e-4);
}

TEST(Hll, PackedFormMatchesByteForm) {
  const int lg_k = 10;
  std::vector<std::atomic<uint64_t>> words(HllPackedWords(lg_k));
  for (auto& w : words) w.store(0);
  HllSketch bytes(lg_k);
  for (uint64_t i = 0; i < 200000; ++i) {
    const uint64_t h = ItemHash(11, i);
    uint32_t index;
    uint8_t rank;
    HllIndexAndRank(h, lg_k, &index, &rank);
    HllPackedUpdate(words.data(), index, rank);
    bytes.UpdateHash(h);
  }
  HllSketch unpacked(lg_k);
  for (uint32_t i = 0; i < (1u << lg_k); ++i) {
    unpacked.Raise(i, HllPackedValue(words[i / kHllRegistersPerWord].load(),
                                     i % kHllRegistersPerWord));
  }
  // Equal unless a word had to cap a register 16 above its neighbours' min.
  EXPECT_EQ(unpacked, bytes);
}

TEST(Hll, PackedRenormalisesAndCaps) {
  std::atomic<uint64_t> words[1];
  words[0].store(0);
  HllPackedUpdate(words, 0, 20);  // others are 0: capped at 15
  EXPECT_EQ(HllPackedValue(words[0].load(), 0), 15);
  for (uint32_t i = 1; i < 15; ++i) HllPackedUpdate(words, i, 5);
  HllPackedUpdate(words, 0, 20);  // base moves to 5: 20 now fits
  EXPECT_EQ(HllPackedValue(words[0].load(), 0), 20);
  EXPECT_EQ(HllPackedValue(words[0].load(), 3), 5);
  HllPackedUpdate(words, 0, 3);  // never lowers
  EXPECT_EQ(HllPackedValue(words[0].load(), 0), 20);
}

TEST(Hll, MergeIsUnionAndLawful) {
  HllSketch a(12), b(12), c(12), both(12);
  for (uint64_t i = 0; i < 30000; ++i) {
    const uint64_t h = ItemHash(5, i);
    (i % 3 == 0 ? a : i % 3 == 1 ? b : c).UpdateHash(h);
    both.UpdateHash(h);
  }
  HllSketch ab = a;
  ab.Merge(b);
  HllSketch ba = b;
  ba.Merge(a);
  EXPECT_EQ(ab, ba);
  HllSketch ab_c = ab;
  ab_c.Merge(c);
  HllSketch bc = b;
  bc.Merge(c);
  HllSketch a_bc = a;
  a_bc.Merge(bc);
  EXPECT_EQ(ab_c, a_bc);
  EXPECT_EQ(ab_c, both);
  HllSketch again = ab_c;
  again.Merge(ab_c);
  EXPECT_EQ(again, ab_c);  // idempotent
}

TEST(Hll, SparseAndDenseMergeAgree) {
  HllSketch small(12), large(12);
  for (uint64_t i = 0; i < 100; ++i) small.UpdateHash(ItemHash(1, i));
  for (uint64_t i = 0; i < 50000; ++i) large.UpdateHash(ItemHash(2, i));
  HllSketch x = small;
  x.Merge(large);
  HllSketch y = large;
  y.Merge(small);
  EXPECT_EQ(x, y);
}

}  // namespace
}  // namespace edgekit::aggregate
