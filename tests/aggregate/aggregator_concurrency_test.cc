// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The ingest race with threads, for ThreadSanitizer: writers and two
// flushers share one region; the summaries add up to exactly the events sent.

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>
#include <vector>

#include "aggregate/aggregator.h"
#include "ingest_util.h"

namespace edgekit::aggregate {
namespace {

using testing::IngestControl;

TEST(AggregatorThreads, SummariesAddUpToEventsSentExactly) {
  const int kWriters = 3;
  const int kEvents = 30000;  // 90 windows per writer; small for TSan
  const AggregatorOptions o = testing::IngestOptions();
  const size_t len = *Aggregator::RegionSize(o);
  void* mem = std::aligned_alloc(64, (len + 63) / 64 * 64);
  ASSERT_NE(mem, nullptr);
  absl::StatusOr<Aggregator> formatted = Aggregator::Format(mem, len, o);
  ASSERT_TRUE(formatted.ok());
  IngestControl control{};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Aggregator a = *Aggregator::Attach(mem, len);
      testing::RunWriter(a, control, w, kEvents);
    });
  }
  for (int f = 0; f < 2; ++f) {  // two flushers race each other too
    threads.emplace_back([&] {
      Aggregator a = *Aggregator::Attach(mem, len);
      testing::RunFlusher(a, control, kWriters);
    });
  }
  for (auto& t : threads) t.join();
  for (const Summary& s : formatted->Flush(testing::kStartMs + 10000000)) {
    testing::Account(control, s);
  }
  EXPECT_EQ(control.flushed_events.load(), uint64_t{kWriters} * kEvents);
  EXPECT_EQ(static_cast<int64_t>(control.flushed_value_sum.load()),
            kWriters * testing::ExpectedValueSum(kEvents));
  std::free(mem);
}

}  // namespace
}  // namespace edgekit::aggregate
