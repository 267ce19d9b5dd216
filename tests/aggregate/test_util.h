// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Summaries for tests, built the way a node builds them (from events), so
// their sketches have realistic shapes.

#ifndef EDGEKIT_TESTS_AGGREGATE_TEST_UTIL_H_
#define EDGEKIT_TESTS_AGGREGATE_TEST_UTIL_H_

#include <cstdint>
#include <random>
#include <string>

#include "aggregate/summary.h"

namespace edgekit::aggregate::testing {

// Sanitizer and unoptimised builds check memory safety, not accuracy: they
// run the large statistical streams at a tenth of their size so the suite
// stays within seconds. Release builds run them in full (10^6 events).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || \
    !defined(NDEBUG)
inline constexpr int kStreamDivisor = 10;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr int kStreamDivisor = 10;
#else
inline constexpr int kStreamDivisor = 1;
#endif
#else
inline constexpr int kStreamDivisor = 1;
#endif

// An event applied to a summary directly (no region).
void AddEvent(Summary* s, const std::string& key, int64_t value,
              uint64_t item_hash, bool overflow = false);

// Rebuilds top-k candidates as exact counts of every key (threshold 0).
void ExactTopK(Summary* s);

// RandomSummary draws |num_events| events over |num_keys| keys (Zipf-ish),
// values lognormal, items from a pool, some overflow.
Summary RandomSummary(std::mt19937_64& rng, const SummaryConfig& c,
                      int num_keys, int num_events, uint64_t window_start_ms);

SummaryConfig FullConfig();     // values, HLL 12, quantiles 1% x 2048, top 10
SummaryConfig CounterConfig();  // counts only

}  // namespace edgekit::aggregate::testing

#endif  // EDGEKIT_TESTS_AGGREGATE_TEST_UTIL_H_
