// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A region in an mmap'd file outlives the processes that used it: one
// process formats and sells, exits; a new process maps the file again and
// finds every count, hold and buyer record where it was.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "inventory/inventory.h"

namespace {

using edgekit::inventory::Config;
using edgekit::inventory::Inventory;

constexpr uint64_t kNow = 1'700'000'000'000;

// Runs |fn| in a child process with the file mapped; returns its exit code.
template <typename Fn>
int InChild(const std::string& path, size_t len, Fn fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(path.c_str(), O_RDWR);
    if (fd < 0) _exit(90);
    void* mem = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (mem == MAP_FAILED) _exit(91);
    const int code = fn(mem);
    munmap(mem, len);
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

TEST(Persistence, FileRegionSurvivesItsProcesses) {
  char path[] = "/tmp/edgekit-inventory-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  Config cfg;
  cfg.max_skus = 8;
  cfg.max_buyers = 64;
  cfg.max_holds = 32;
  const size_t len = *Inventory::RegionSize(cfg);
  ASSERT_EQ(ftruncate(fd, static_cast<off_t>(len)), 0);
  close(fd);

  uint64_t* hold_out = static_cast<uint64_t*>(mmap(
      nullptr, 8, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(hold_out, MAP_FAILED);
  ASSERT_EQ(
      InChild(path, len,
              [&](void* mem) {
                auto inv = Inventory::Format(mem, len, cfg);
                if (!inv.ok()) return 1;
                uint64_t h;
                if (inv->SetStock("sku", 10) != EDGEKIT_OK) return 2;
                if (inv->Acquire("sku", "alice", 1, kNow, 1000, &h) !=
                    EDGEKIT_OK)
                  return 3;
                if (inv->Confirm(h, kNow) != EDGEKIT_OK) return 4;
                if (inv->Acquire("sku", "bob", 1, kNow, 1000, &h) != EDGEKIT_OK)
                  return 5;
                *hold_out = h;  // left held when this process exits
                return 0;
              }),
      0);
  ASSERT_EQ(InChild(path, len,
                    [&](void* mem) {
                      auto inv = Inventory::Attach(mem, len);
                      if (!inv.ok()) return 1;
                      edgekit_stock_stats st;
                      if (inv->Stats("sku", &st) != EDGEKIT_OK) return 2;
                      if (st.available != 8 || st.held != 1 || st.sold != 1 ||
                          st.added != 10 || st.removed != 0) {
                        return 3;
                      }
                      if (inv->BuyerUnits("sku", "alice") != 1) return 4;
                      uint64_t h;
                      if (inv->Acquire("sku", "alice", 1, kNow, 1000, &h) !=
                          EDGEKIT_E_BUYER_LIMIT) {
                        return 5;
                      }
                      // The hold made by the exited process is still live.
                      if (inv->Confirm(*hold_out, kNow + 10) != EDGEKIT_OK)
                        return 6;
                      return 0;
                    }),
            0);
  // And this process, mapping it a third time, sees the last sale.
  const int fd2 = open(path, O_RDWR);
  void* mem = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
  close(fd2);
  ASSERT_NE(mem, MAP_FAILED);
  auto inv = Inventory::Attach(mem, len);
  ASSERT_TRUE(inv.ok()) << inv.status();
  edgekit_stock_stats st;
  ASSERT_EQ(inv->Stats("sku", &st), EDGEKIT_OK);
  EXPECT_EQ(st.sold, 2u);
  EXPECT_EQ(st.held, 0u);
  EXPECT_EQ(st.available, 8u);
  // A file truncated under the region is refused, never read past.
  EXPECT_FALSE(Inventory::Attach(mem, len - 64).ok());
  munmap(mem, len);
  munmap(hold_out, 8);
  unlink(path);
}

}  // namespace
