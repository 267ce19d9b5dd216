// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Crash consistency across both shared-memory capabilities at once: forked
// workers sell from one inventory region and count into one aggregator
// region, and the parent SIGKILLs a random worker at a random moment, over
// and over (1000 kills in a normal build), replacing each. Afterwards:
//   - inventory: expire() past every TTL settles every hold and every step
//     a dead worker left, and then added − removed = available + held + sold
//     exactly, nothing held, nothing in flight or stranded, sold within
//     [acknowledged, acknowledged + kills], no buyer over the per-buyer
//     limit, and no unit of a limit lost: every (sku, buyer) that bought is
//     refused another unit, every one that did not (and had no confirm in
//     flight when its worker died) is granted one;
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
// Enough (sku, buyer) pairs that the run does not use every limit up: the
// acquire path stays busy to the last kill.
constexpr int kBuyers = 50000;
constexpr int64_t kNowMs = 1700000000000;

// Acknowledgements live in shared memory too: a worker bumps its counter
// after the library call returned, so a kill between the two is the only
// unacknowledged work.
struct Acks {
  std::atomic<uint64_t> confirmed[kWorkers * 2048];
  // Units each (sku, buyer) holds or bought, as the workers saw it: +1
  // after a successful acquire, -1 before a cancel. Holds never expire
  // during the run (time stands still), so with a limit of one unit a
  // worker that sees 2 after its +1 has caught the limit broken.
  std::atomic<uint32_t> live[kSkus][kBuyers];
  std::atomic<uint64_t> over_limit;
  std::atomic<uint64_t> acquired;
  // Acknowledged sales per (sku, buyer), and per worker slot the confirm it
  // has in flight (sku * kBuyers + buyer + 1, or 0): a killed worker's may
  // or may not have been sold.
  std::atomic<uint32_t> bought[kSkus][kBuyers];
  std::atomic<uint32_t> pending[kWorkers * 2048];
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
      acks->acquired.fetch_add(1);
      if (acks->live[s][b].fetch_add(1) + 1 > 1) acks->over_limit.fetch_add(1);
      const uint32_t what = rng() % 8;
      if (what < 4) {
        acks->pending[slot].store(static_cast<uint32_t>(s * kBuyers + b + 1));
        if (edgekit_inventory_confirm(inv, hold, kNowMs) == EDGEKIT_OK) {
          acks->bought[s][b].fetch_add(1);
          acks->confirmed[slot].fetch_add(1);
        }
        acks->pending[slot].store(0);
      } else if (what < 7) {
        acks->live[s][b].fetch_sub(1);
        if (edgekit_inventory_cancel(inv, hold) != EDGEKIT_OK) _exit(4);
      }  // else abandoned: the final expire returns it
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
  icfg.max_buyers = 1 << 18;
  icfg.max_holds = 1 << 15;
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
  EXPECT_EQ(census.stranded, 0u);
  // The per-buyer limit (default 1) held for every (sku, buyer) while the
  // workers raced and died.
  EXPECT_EQ(acks->over_limit.load(), 0u);
  EXPECT_GT(acks->acquired.load(), static_cast<uint64_t>(kKills));
  for (int s = 0; s < kSkus; ++s) {
    for (int b = 0; b < kBuyers; ++b) {
      ASSERT_LE(acks->bought[s][b].load(), 1u) << "sku-" << s << " " << b;
    }
  }
  // No unit of a limit lost: with nothing held, a pair's limit is used up
  // exactly when it bought. Asked through the API, as a host would.
  std::vector<bool> unsure(kSkus * kBuyers, false);
  for (int i = 0; i < next_slot; ++i) {
    const uint32_t p = acks->pending[i].load();
    if (p != 0) unsure[p - 1] = true;
  }
  uint64_t pairs_checked = 0;
  for (int s = 0; s < kSkus; ++s) {
    const std::string sku = "sku-" + std::to_string(s);
    for (int b = 0; b < kBuyers; ++b) {
      if (unsure[s * kBuyers + b]) continue;
      const std::string buyer = "buyer-" + std::to_string(b);
      uint64_t hold = 0;
      const edgekit_status st = edgekit_inventory_acquire(
          inv, &hold, sku.data(), sku.size(), buyer.data(), buyer.size(), 1,
          kNowMs + 3600000, 1000);
      if (acks->bought[s][b].load() != 0) {
        EXPECT_EQ(st, EDGEKIT_E_BUYER_LIMIT) << sku << " " << buyer;
      } else {
        EXPECT_EQ(st, EDGEKIT_OK) << sku << " " << buyer << ": limit lost";
        EXPECT_EQ(edgekit_inventory_cancel(inv, hold), EDGEKIT_OK);
      }
      ++pairs_checked;
    }
  }
  EXPECT_GT(pairs_checked, static_cast<uint64_t>(kSkus * kBuyers) * 9 / 10);

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
