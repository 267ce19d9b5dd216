// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The table under threads and under processes killed with SIGKILL at random
// points: a key is never ready in two slots, every completed insert stays
// findable, and dead claims cost at most one slot each.

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "region/region.h"

namespace edgekit::region {
namespace {

std::string KeyOf(uint64_t i) { return "key-" + std::to_string(i) + "-pad"; }

TEST(TableConcurrency, ThreadsRaceToInsertTheSameKeys) {
  constexpr int kThreads = 4;
  constexpr uint64_t kKeys = 2000;
  TableShape shape = ShapeFor(kKeys, 24, 1, 99);
  std::vector<uint8_t> mem(TableBytes(shape) + 64);
  void* base = reinterpret_cast<void*>(
      (reinterpret_cast<uintptr_t>(mem.data()) + 63) & ~uintptr_t{63});
  Table::Format(base, shape);
  Table table(base, shape);
  std::vector<std::vector<uint64_t>> index(kThreads,
                                           std::vector<uint64_t>(kKeys));
  std::atomic<uint64_t> inserted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<uint64_t> order(kKeys);
      for (uint64_t i = 0; i < kKeys; ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), std::mt19937_64(t));
      for (uint64_t k : order) {
        Table::Slot s;
        auto r = table.FindOrInsert(KeyOf(k), &s);
        ASSERT_TRUE(r == Table::Result::kInserted ||
                    r == Table::Result::kFound);
        if (r == Table::Result::kInserted) inserted.fetch_add(1);
        s.values[0].fetch_add(1, std::memory_order_relaxed);
        index[t][k] = s.index;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(inserted.load(), kKeys);
  for (uint64_t k = 0; k < kKeys; ++k) {
    for (int t = 1; t < kThreads; ++t) ASSERT_EQ(index[t][k], index[0][k]);
    Table::Slot s;
    ASSERT_EQ(table.Find(KeyOf(k), &s), Table::Result::kFound);
    EXPECT_EQ(s.values[0].load(), uint64_t{kThreads});
  }
}

// Children insert keys from a shared space and count each touch in the
// key's value word and in a per-child tally; the parent SIGKILLs some of
// them at random moments, many rounds over, on one MAP_SHARED table.
TEST(TableConcurrency, ProcessesKilledMidInsertLeaveNoDuplicates) {
  constexpr uint64_t kKeys = 20000;
  constexpr int kRounds = 60;
  constexpr int kChildren = 3;
  TableShape shape = ShapeFor(kKeys + 1024, 24, 1, 5);
  const size_t bytes = TableBytes(shape);
  void* base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(base, MAP_FAILED);
  Table::Format(base, shape);
  Table table(base, shape);
  std::mt19937_64 rng(1234);
  int killed = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<pid_t> pids;
    for (int c = 0; c < kChildren; ++c) {
      const uint64_t seed = rng();
      pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        std::mt19937_64 r(seed);
        for (int i = 0; i < 20000; ++i) {
          Table::Slot s;
          const uint64_t k = r() % kKeys;
          if (table.FindOrInsert(KeyOf(k), &s) == Table::Result::kFull)
            _exit(3);
          s.values[0].fetch_add(1, std::memory_order_relaxed);
        }
        _exit(0);
      }
      pids.push_back(pid);
    }
    usleep(static_cast<useconds_t>(rng() % 3000));
    for (pid_t pid : pids) {
      if (rng() % 2 == 0) {
        kill(pid, SIGKILL);
        ++killed;
      }
    }
    for (pid_t pid : pids) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      if (WIFEXITED(status)) {
        ASSERT_EQ(WEXITSTATUS(status), 0);
      }
    }
  }
  EXPECT_GT(killed, 0);
  std::map<std::string, uint64_t> seen;
  uint64_t dead = 0, claiming = 0;
  for (uint64_t i = 0; i < table.num_slots(); ++i) {
    switch (table.state(i)) {
      case SlotState::kReady: {
        auto [it, fresh] = seen.emplace(std::string(table.key(i)), i);
        ASSERT_TRUE(fresh) << "key " << it->first << " ready twice";
        break;
      }
      case SlotState::kDead:
        ++dead;
        break;
      case SlotState::kClaiming:
        ++claiming;
        break;
      default:
        break;
    }
  }
  for (auto& [key, index] : seen) {
    Table::Slot s;
    ASSERT_EQ(table.Find(key, &s), Table::Result::kFound) << key;
    EXPECT_EQ(s.index, index);
  }
  // Each kill can strand at most one claim.
  EXPECT_LE(dead + claiming, static_cast<uint64_t>(killed));
  // Every stranded claim is recoverable: inserting all keys now succeeds.
  for (uint64_t k = 0; k < kKeys; ++k) {
    Table::Slot s;
    auto r = table.FindOrInsert(KeyOf(k), &s);
    ASSERT_TRUE(r == Table::Result::kInserted || r == Table::Result::kFound);
  }
  munmap(base, bytes);
}

}  // namespace
}  // namespace edgekit::region
