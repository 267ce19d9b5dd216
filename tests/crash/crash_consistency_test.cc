// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Crash consistency across both shared-memory capabilities at once: forked
// workers sell from one inventory region and count into one aggregator
// region, and the parent SIGKILLs a random worker at a random moment, over
// and over (1000 kills in a normal build), replacing each. Afterwards:
//   - inventory: expire() settles every hold, and then
//     added − removed = available + held + sold exactly, nothing held,
//     sold within [acknowledged, acknowledged + kills], and no buyer over the
//     per-buyer limit;
//   - aggregation: the sum over every flushed summary lies within
//     [acknowledged, acknowledged + kills] — a kill can land between an
//     update and its acknowledgement, never lose an acknowledged event or
//     count one twice.
// Only the C ABI is used, as a host would.

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "edgekit.h"
#include "edgekit/aggregate.h"
#include "edgekit/inventory.h"
#include "gtest/gtest.h"

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kKills = 200;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr int kKills = 200;
#else
constexpr int kKills = 1000;
#endif
#else
constexpr int kKills = 1000;
#endif
constexpr int kWorkers = 3;
constexpr int kSkus = 4;
constexpr uint64_t kStockPerSku = 1u << 20;
constexpr int kBuyers = 4000;
constexpr int64_t kNowMs = 1700000000000;

// Acknowledgements live in shared memory too: a worker bumps its counter
// after the library call returned, so a kill between the two is the only
// unacknowledged work.
struct Acks {
  std::atomic<uint64_t> confirmed[kWorkers * 2048];
  // Successful acquires per (sku, buyer). Holds never expire during the run
  // (time stands still), so with a limit of one unit each must stay <= 1
  // however the workers race and die.
  std::atomic<uint32_t> acquired[kSkus][kBuyers];
  std::atomic<uint64_t> counted;
  std::atomic<uint64_t> started;
};

void* SharedMap(size_t len) {
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

[[noreturn]] void Work(void* inv_mem, size_t inv_len, void* agg_mem,
                       size_t agg_len, Acks* acks, int slot, uint32_t seed) {
  edgekit_inventory* inv = nullptr;
  edgekit_aggregator* agg = nullptr;
  if (edgekit_inventory_attach(&inv, inv_mem, inv_len) != EDGEKIT_OK ||
      edgekit_aggregator_attach(&agg, agg_mem, agg_len) != EDGEKIT_OK) {
    _exit(3);
  }
  acks->started.fetch_add(1);
  std::minstd_rand rng(seed);
  for (uint64_t i = 0;; ++i) {
    const int s = static_cast<int>(rng() % kSkus);
    const int b = static_cast<int>(rng() % kBuyers);
    const std::string sku = "sku-" + std::to_string(s);
    // Buyers repeat across workers and lives, so the limit is contended.
    const std::string buyer = "buyer-" + std::to_string(b);
    uint64_t hold = 0;
    if (edgekit_inventory_acquire(inv, &hold, sku.data(), sku.size(),
                                  buyer.data(), buyer.size(), 1, kNowMs,
                                  60000) == EDGEKIT_OK) {
      acks->acquired[s][b].fetch_add(1);
      if (rng() % 4 != 0 &&
          edgekit_inventory_confirm(inv, hold, kNowMs) == EDGEKIT_OK) {
        acks->confirmed[slot].fetch_add(1);
      }
    }
    const std::string key = "/item/" + std::to_string(rng() % 64);
    if (edgekit_aggregator_update(agg, key.data(), key.size(),
                                  kNowMs + static_cast<int64_t>(i % 3000), 1,
                                  nullptr, 0) == EDGEKIT_OK) {
      acks->counted.fetch_add(1);
    }
  }
}

TEST(CrashConsistency, SaleAndAggregationSurviveAThousandKills) {
  edgekit_inventory_config icfg;
  std::memset(&icfg, 0, sizeof icfg);
  icfg.struct_size = sizeof icfg;
  icfg.max_skus = 16;
  icfg.max_buyers = 1 << 15;
  icfg.max_holds = 1024;
  const size_t inv_len = edgekit_inventory_region_size(&icfg);
  ASSERT_GT(inv_len, 0u);
  edgekit_aggregator_options aopt;
  std::memset(&aopt, 0, sizeof aopt);
  aopt.struct_size = sizeof aopt;
  aopt.key_capacity = 256;
  aopt.features = EDGEKIT_AGG_VALUES;
  size_t agg_len = 0;
  ASSERT_EQ(edgekit_aggregator_region_size(&agg_len, &aopt), EDGEKIT_OK);

  void* inv_mem = SharedMap(inv_len);
  void* agg_mem = SharedMap(agg_len);
  auto* acks = static_cast<Acks*>(SharedMap(sizeof(Acks)));
  ASSERT_TRUE(inv_mem && agg_mem && acks);
  edgekit_inventory* inv = nullptr;
  edgekit_aggregator* agg = nullptr;
  ASSERT_EQ(edgekit_inventory_format(&inv, inv_mem, inv_len, &icfg),
            EDGEKIT_OK);
  ASSERT_EQ(edgekit_aggregator_format(&agg, agg_mem, agg_len, &aopt),
            EDGEKIT_OK);
  for (int s = 0; s < kSkus; ++s) {
    const std::string sku = "sku-" + std::to_string(s);
    ASSERT_EQ(
        edgekit_inventory_set_stock(inv, sku.data(), sku.size(), kStockPerSku),
        EDGEKIT_OK);
  }

  std::mt19937 rng(20261125);
  std::vector<pid_t> pids(kWorkers);
  int next_slot = 0;
  auto spawn = [&](int w) {
    const int slot = next_slot++;
    const uint32_t seed = static_cast<uint32_t>(rng());
    const pid_t pid = fork();
    if (pid == 0) Work(inv_mem, inv_len, agg_mem, agg_len, acks, slot, seed);
    pids[w] = pid;
  };
  for (int w = 0; w < kWorkers; ++w) spawn(w);

  // Kill a random worker after a random delay (0–600 µs of its work), and
  // replace it. Each kill waits for its victim to be reaped.
  for (int k = 0; k < kKills; ++k) {
    usleep(rng() % 600);
    const int w = static_cast<int>(rng() % kWorkers);
    ASSERT_EQ(kill(pids[w], SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pids[w], &status, 0), pids[w]);
    ASSERT_TRUE(WIFSIGNALED(status)) << "worker exited on its own: " << status;
    ASSERT_LT(next_slot, kWorkers * 2048);
    spawn(w);
  }
  for (pid_t pid : pids) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  ASSERT_GE(acks->started.load(), static_cast<uint64_t>(kKills / 2));

  // Inventory: settle every hold a dead worker left, then count.
  uint64_t returned = 0;
  ASSERT_EQ(edgekit_inventory_expire(inv, &returned, kNowMs + 3600000),
            EDGEKIT_OK);
  uint64_t acked_sold = 0;
  for (int i = 0; i < next_slot; ++i) acked_sold += acks->confirmed[i].load();
  uint64_t sold = 0;
  for (int s = 0; s < kSkus; ++s) {
    const std::string sku = "sku-" + std::to_string(s);
    edgekit_stock_stats st;
    std::memset(&st, 0, sizeof st);
    ASSERT_EQ(edgekit_inventory_stats(inv, &st, sku.data(), sku.size()),
              EDGEKIT_OK);
    EXPECT_EQ(st.added - st.removed, st.available + st.held + st.sold) << sku;
    EXPECT_EQ(st.held, 0u) << sku;
    EXPECT_EQ(st.added, kStockPerSku) << sku;
    sold += st.sold;
  }
  EXPECT_GE(sold, acked_sold);
  EXPECT_LE(sold, acked_sold + kKills);
  EXPECT_GT(acked_sold, 0u);
  edgekit_hold_census census;
  std::memset(&census, 0, sizeof census);
  ASSERT_EQ(edgekit_inventory_census(inv, &census), EDGEKIT_OK);
  EXPECT_EQ(census.held, 0u);
  EXPECT_EQ(census.in_flight, 0u);
  // The per-buyer limit (default 1) held for every (sku, buyer), and it was
  // contended: many pairs were refused at least once.
  uint64_t pairs_served = 0;
  for (int s = 0; s < kSkus; ++s) {
    for (int b = 0; b < kBuyers; ++b) {
      const uint32_t n = acks->acquired[s][b].load();
      ASSERT_LE(n, 1u) << "sku-" << s << " buyer-" << b;
      pairs_served += n;
    }
  }
  EXPECT_GT(pairs_served, 0u);

  // Aggregation: every window flushed, every event counted once.
  uint64_t total = 0;
  for (;;) {
    edgekit_summary* s = nullptr;
    ASSERT_EQ(edgekit_aggregator_flush(agg, &s, kNowMs + 3600000), EDGEKIT_OK);
    if (s == nullptr) break;
    uint64_t n = 0;
    ASSERT_EQ(edgekit_summary_total_count(s, &n), EDGEKIT_OK);
    total += n;
    edgekit_summary_free(s);
  }
  const uint64_t acked = acks->counted.load();
  EXPECT_GE(total, acked);
  EXPECT_LE(total, acked + kKills);
  EXPECT_GT(acked, 0u);

  edgekit_inventory_free(inv);
  edgekit_aggregator_free(agg);
  munmap(inv_mem, inv_len);
  munmap(agg_mem, agg_len);
  munmap(acks, sizeof(Acks));
}

}  // namespace
