// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Inventory under contention: threads on one region, then forked processes
// × threads on one MAP_SHARED region, SIGKILLed at random moments round after
// round. Afterwards expire() past every TTL must bring every SKU back to
//   added - removed = available + sold (nothing held),
// leave no record in flight or stranded, and every buyer record must count
// exactly what that buyer bought: the buyer records of each SKU sum to its
// sold units, and each one lies between the sales its workers saw confirmed
// and those plus the confirms a killed worker had in flight — so no unit of
// a buyer's limit is lost to a kill, and none is over the limit.

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "inventory/inventory.h"

namespace {

using edgekit::inventory::Config;
using edgekit::inventory::Inventory;

constexpr int kColdSkus = 40;
constexpr int kBuyers = 600;
// The hot SKU's sale: a flash sale (few units, one each) by default, or a
// deep one whose stock keeps every worker's lane refilling all along.
struct HotSale {
  uint32_t stock;
  uint32_t limit;
};
constexpr HotSale kFlash{300, 1};
constexpr HotSale kDeep{1'000'000, 1000};
constexpr uint32_t kColdLimit = 2;
constexpr int kMaxWorkers = 8;

std::string SkuName(int i) {
  return i == 0 ? "hot" : "cold-" + std::to_string(i);
}
std::string BuyerName(int i) { return "buyer-" + std::to_string(i); }

// Shared between the test process and its workers (MAP_SHARED).
struct Shared {
  std::atomic<uint64_t> now_ms;
  std::atomic<uint64_t> ops;
  // Sales each worker saw confirmed, per (SKU, buyer): an outside record.
  std::atomic<uint32_t> confirmed[kColdSkus + 1][kBuyers];
  // Per worker: the confirm it has in flight, (sku << 32 | buyer << 8 |
  // qty), or 0. A killed worker's entry may or may not have been sold.
  std::atomic<uint64_t> pending[kMaxWorkers];
};

// Units a killed worker may have bought without saying so, per (SKU, buyer).
using Maybe = std::vector<std::vector<uint32_t>>;

Maybe NoMaybe() {
  return Maybe(kColdSkus + 1, std::vector<uint32_t>(kBuyers, 0));
}

void Harvest(Shared* shared, Maybe* maybe) {
  for (auto& p : shared->pending) {
    const uint64_t e = p.exchange(0);
    if (e != 0) (*maybe)[e >> 32][(e >> 8) & 0xffffff] += e & 0xff;
  }
}

Config TestConfig() {
  Config c;
  c.max_skus = 64;
  c.max_buyers = (kColdSkus + 1) * kBuyers;
  c.max_holds = 2048;
  c.default_buyer_limit = kColdLimit;
  return c;
}

void StockTheSale(Inventory& inv, HotSale hot) {
  ASSERT_EQ(inv.SetStock(SkuName(0), hot.stock), EDGEKIT_OK);
  ASSERT_EQ(inv.SetBuyerLimit(SkuName(0), hot.limit), EDGEKIT_OK);
  for (int i = 1; i <= kColdSkus; ++i)
    ASSERT_EQ(inv.SetStock(SkuName(i), 20), EDGEKIT_OK);
}

// One worker thread: acquire on the hot SKU half the time, else a cold one;
// then confirm, cancel or abandon the hold; now and then grant or take back
// stock (a lease) and run expire, as any worker of a real host would.
void Work(Inventory inv, Shared* shared, uint64_t seed, int ops, int slot) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < ops; ++i) {
    const int sku =
        rng() % 2 == 0 ? 0 : 1 + static_cast<int>(rng() % kColdSkus);
    const int buyer = static_cast<int>(rng() % kBuyers);
    const uint64_t now = shared->now_ms.load(std::memory_order_relaxed);
    const uint32_t qty = sku == 0 ? 1 : 1 + static_cast<uint32_t>(rng() % 2);
    uint64_t hold;
    const edgekit_status s = inv.Acquire(SkuName(sku), BuyerName(buyer), qty,
                                         now, 5 + rng() % 60, &hold);
    shared->ops.fetch_add(1, std::memory_order_relaxed);
    if (s == EDGEKIT_OK) {
      switch (rng() % 4) {
        case 0:
        case 1:
          shared->pending[slot].store((uint64_t(sku) << 32) |
                                      (uint64_t(buyer) << 8) | qty);
          if (inv.Confirm(hold, now) == EDGEKIT_OK) {
            shared->confirmed[sku][buyer].fetch_add(qty);
          }
          shared->pending[slot].store(0);
          break;
        case 2: {
          const edgekit_status c = inv.Cancel(hold);
          EXPECT_TRUE(c == EDGEKIT_OK || c == EDGEKIT_E_HOLD_EXPIRED) << c;
          break;
        }
        default:
          break;  // abandoned: expire returns it
      }
    } else {
      EXPECT_TRUE(s == EDGEKIT_E_SOLD_OUT || s == EDGEKIT_E_BUYER_LIMIT ||
                  s == EDGEKIT_E_NO_SPACE)
          << s;
    }
    if (rng() % 64 == 0) {
      const int target = static_cast<int>(rng() % (kColdSkus + 1));
      const edgekit_status a =
          inv.AddStock(SkuName(target), rng() % 2 ? 3 : -2);
      EXPECT_TRUE(a == EDGEKIT_OK || a == EDGEKIT_E_STOCK_RANGE ||
                  a == EDGEKIT_E_NO_SPACE)
          << a;
    }
    if (rng() % 128 == 0) inv.Expire(now);
  }
}

// After expire at the end of time: every invariant, exactly.
void CheckQuiescent(Inventory& inv, Shared* shared, const Maybe& maybe,
                    HotSale hot) {
  inv.Expire(UINT64_MAX);
  const edgekit_hold_census census = inv.Census();
  EXPECT_EQ(census.held, 0u);
  EXPECT_EQ(census.in_flight, 0u);
  EXPECT_EQ(census.stranded, 0u);
  // Killed processes included, every record was scrubbed before it was freed.
  EXPECT_EQ(inv.StampsOfFreeRecords(), 0u);
  std::map<std::string, uint64_t> buyer_units;
  inv.ForEachBuyer([&](std::string_view sku, std::string_view, uint32_t units) {
    EXPECT_LE(units, sku == "hot" ? hot.limit : kColdLimit) << sku;
    buyer_units[std::string(sku)] += units;
  });
  uint64_t total_sold = 0;
  for (int i = 0; i <= kColdSkus; ++i) {
    const std::string sku = SkuName(i);
    edgekit_stock_stats st;
    ASSERT_EQ(inv.Stats(sku, &st), EDGEKIT_OK);
    EXPECT_GE(st.added, st.removed) << sku;
    EXPECT_EQ(st.held, 0u) << sku;
    EXPECT_EQ(st.added - st.removed, st.available + st.sold) << sku;
    EXPECT_EQ(buyer_units[sku], st.sold) << sku;
    total_sold += st.sold;
    uint64_t seen = 0, unsure = 0;
    for (int b = 0; b < kBuyers; ++b) {
      const uint32_t c = shared->confirmed[i][b].load();
      const uint32_t units = inv.BuyerUnits(sku, BuyerName(b));
      EXPECT_LE(c, i == 0 ? hot.limit : kColdLimit) << sku << " " << b;
      EXPECT_LE(c, units) << sku << " " << b;
      EXPECT_LE(units, c + maybe[i][b]) << sku << " " << b << ": lost units";
      seen += c;
      unsure += maybe[i][b];
    }
    EXPECT_LE(seen, st.sold) << sku;
    EXPECT_LE(st.sold, seen + unsure) << sku;
  }
  EXPECT_GT(total_sold, 0u);
}

void* MapShared(size_t len) {
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

TEST(InventoryConcurrency, ThreadsHammerHotAndColdSkus) {
  const Config cfg = TestConfig();
  const size_t len = *Inventory::RegionSize(cfg);
  void* mem = MapShared(len);
  auto* shared = static_cast<Shared*>(MapShared(sizeof(Shared)));
  ASSERT_NE(mem, nullptr);
  ASSERT_NE(shared, nullptr);
  shared->now_ms = 1'000'000;
  auto inv = Inventory::Format(mem, len, cfg);
  ASSERT_TRUE(inv.ok()) << inv.status();
  StockTheSale(*inv, kFlash);
  std::vector<std::thread> threads;
  std::atomic<bool> stop{false};
  std::thread clock([&] {
    while (!stop.load()) {
      shared->now_ms.fetch_add(1);
      std::this_thread::yield();
    }
  });
  for (int t = 0; t < 4; ++t)
    threads.emplace_back(Work, *inv, shared, 100 + t, 20000, t);
  for (auto& th : threads) th.join();
  stop = true;
  clock.join();
  Maybe maybe = NoMaybe();
  Harvest(shared, &maybe);
  CheckQuiescent(*inv, shared, maybe, kFlash);
  munmap(shared, sizeof(Shared));
  munmap(mem, len);
}

void KillRounds(HotSale hot, int rounds) {
  constexpr int kProcesses = 3;
  constexpr int kThreads = 2;
  if (const char* env = std::getenv("EDGEKIT_CRASH_ROUNDS"))
    rounds = std::atoi(env);
  const Config cfg = TestConfig();
  const size_t len = *Inventory::RegionSize(cfg);
  void* mem = MapShared(len);
  auto* shared = static_cast<Shared*>(MapShared(sizeof(Shared)));
  ASSERT_NE(mem, nullptr);
  ASSERT_NE(shared, nullptr);
  shared->now_ms = 1'000'000;
  {
    auto inv = Inventory::Format(mem, len, cfg);
    ASSERT_TRUE(inv.ok());
    StockTheSale(*inv, hot);
  }
  static_assert(kProcesses * kThreads <= kMaxWorkers);
  std::mt19937_64 rng(42);
  uint64_t kills = 0;
  Maybe maybe = NoMaybe();
  for (int round = 0; round < rounds; ++round) {
    std::vector<pid_t> pids;
    for (int p = 0; p < kProcesses; ++p) {
      const uint64_t seed = rng();
      const pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        // A worker attaches on its own, as a fresh nginx worker would.
        auto inv = Inventory::Attach(mem, len);
        if (!inv.ok()) _exit(2);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
          threads.emplace_back(Work, *inv, shared, seed + t, 3000,
                               p * kThreads + t);
        }
        for (auto& th : threads) th.join();
        _exit(::testing::Test::HasFailure() ? 1 : 0);
      }
      pids.push_back(pid);
    }
    // Let them run into the thick of it, then kill some mid-operation.
    const uint64_t target = shared->ops.load() + 200 + rng() % 2000;
    for (int spin = 0; spin < 20000 && shared->ops.load() < target; ++spin)
      usleep(50);
    for (pid_t pid : pids) {
      if (rng() % 3 != 0) {
        kill(pid, SIGKILL);
        ++kills;
      }
    }
    for (pid_t pid : pids) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      if (WIFEXITED(status)) {
        ASSERT_EQ(WEXITSTATUS(status), 0) << "worker failed a check";
      }
    }
    Harvest(shared, &maybe);
    shared->now_ms.fetch_add(40);  // holds of the dead start to expire
  }
  ASSERT_GT(kills, 0u);
  auto inv = Inventory::Attach(mem, len);
  ASSERT_TRUE(inv.ok());
  // A deep sale leaves units in the lanes the workers were selling from.
  if (hot.stock > 10'000) {
    EXPECT_GT(inv->LaneUnits(SkuName(0)), 0u);
  }
  CheckQuiescent(*inv, shared, maybe, hot);
  std::printf("rounds %d, kills %llu, ops %llu\n", rounds,
              static_cast<unsigned long long>(kills),
              static_cast<unsigned long long>(shared->ops.load()));
  munmap(shared, sizeof(Shared));
  munmap(mem, len);
}

TEST(InventoryConcurrency, ProcessesKilledMidRunLoseNothing) {
  KillRounds(kFlash, 150);
}

// The hot SKU's stock stays deep, so its acquires refill lanes in blocks
// and kills land inside transfers as well as holds and stock changes.
TEST(InventoryConcurrency, ProcessesKilledMidLaneRefillsLoseNothing) {
  KillRounds(kDeep, 60);
}

}  // namespace
