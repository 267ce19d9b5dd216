// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "aggregate/topk.h"

#include <gtest/gtest.h>

namespace edgekit::aggregate {
namespace {

TopK Make(uint64_t threshold, std::vector<TopKEntry> e) {
  TopK t;
  t.threshold = threshold;
  t.entries = std::move(e);
  return t;
}

TEST(TopK, MergeRuleBoundsMissingKeysByTheOtherThreshold) {
  TopK a = Make(2, {{"x", 10, 8}, {"y", 5, 5}});
  TopK b = Make(3, {{"y", 7, 6}, {"z", 4, 4}});
  TopK ab = a;
  ab.Merge(b);
  EXPECT_EQ(ab, Make(5, {{"x", 13, 8}, {"y", 12, 11}, {"z", 6, 4}}));
  TopK ba = b;
  ba.Merge(a);
  EXPECT_EQ(ab, ba);
}

TEST(TopK, MergeIsAssociative) {
  TopK a = Make(1, {{"a", 9, 9}, {"b", 3, 2}});
  TopK b = Make(0, {{"b", 4, 4}});
  TopK c = Make(5, {{"c", 20, 15}, {"a", 6, 6}});
  std::sort(
      c.entries.begin(), c.entries.end(),
      [](const TopKEntry& x, const TopKEntry& y) { return x.key < y.key; });
  TopK ab_c = a;
  ab_c.Merge(b);
  ab_c.Merge(c);
  TopK bc = b;
  bc.Merge(c);
  TopK a_bc = a;
  a_bc.Merge(bc);
  EXPECT_EQ(ab_c, a_bc);
}

TEST(TopK, TopRanksByUpperThenLowerThenKey) {
  TopK t = Make(0, {{"a", 5, 1}, {"b", 9, 9}, {"c", 5, 5}, {"d", 5, 5}});
  auto top = t.Top(3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].key, "b");
  EXPECT_EQ(top[1].key, "c");
  EXPECT_EQ(top[2].key, "d");
  EXPECT_EQ(t.Top(10).size(), 4u);
}

}  // namespace
}  // namespace edgekit::aggregate
