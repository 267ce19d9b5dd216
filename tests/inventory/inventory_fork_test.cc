// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Review (3474a21): the hold cursor's pthread_atfork handler is registered
// from a function-local static, initialized on a process's first claim.
// While one thread runs that initializer (its guard taken), another thread
// may fork: glibc holds its atfork lock across the fork syscall, so
// pthread_atfork in the first thread waits out the fork with the guard
// held, and the child is born with the guard "in progress" and no thread
// to finish it. The child's first claim then waits on the guard forever.
//
// This binary stands in for glibc's pthread_atfork (the library is linked
// statically, so ours is the one it calls) to hold the initializing thread
// right there — where a fork concurrent with it would leave it — and then
// forks. The child must still be able to claim a record.

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <thread>

#include "gtest/gtest.h"
#include "inventory/inventory.h"

namespace {

// 0: pass through; 1: hold the next caller; 2: a caller is held; 3: let go.
std::atomic<int> g_hold_atfork{0};

}  // namespace

extern "C" int __register_atfork(void (*prepare)(void), void (*parent)(void),
                                 void (*child)(void), void* dso_handle);

extern "C" int pthread_atfork(void (*prepare)(void), void (*parent)(void),
                              void (*child)(void)) {
  int expected = 1;
  if (g_hold_atfork.compare_exchange_strong(expected, 2)) {
    while (g_hold_atfork.load() != 3) sched_yield();
  }
  return __register_atfork(prepare, parent, child, nullptr);
}

namespace edgekit::inventory {
namespace {

constexpr uint64_t kNow = 1'700'000'000'000;

struct Mem {
  explicit Mem(const Config& c) : len(*Inventory::RegionSize(c)) {
    mem = std::aligned_alloc(64, (len + 63) & ~size_t{63});
    inv.emplace(*Inventory::Format(mem, len, c));
  }
  ~Mem() { std::free(mem); }
  size_t len;
  void* mem;
  std::optional<Inventory> inv;
};

// Runs in a fresh process (threadsafe death test: the binary re-executes
// itself), so this is the process's first claim.
void ForkDuringFirstClaim() {
  Config c;
  c.max_holds = 64;
  Mem m(c);
  g_hold_atfork.store(1);
  std::atomic<bool> done{false};
  std::thread first([&] {
    // The first claim in the process: CursorStart's static initializer.
    if (m.inv->SetStock("sku", 10) != EDGEKIT_OK) _exit(3);
    done.store(true);
  });
  // Until the first claim is inside the initializer (or finished without
  // calling pthread_atfork there: then the hazard is gone).
  while (g_hold_atfork.load() != 2 && !done.load()) sched_yield();
  const pid_t pid = fork();
  if (pid == 0) {
    alarm(10);  // a hung claim dies of SIGALRM
    Mem child_region(c);
    if (child_region.inv->SetStock("sku", 10) != EDGEKIT_OK) _exit(4);
    uint64_t h;
    if (child_region.inv->Acquire("sku", "b", 1, kNow, 100, &h) != EDGEKIT_OK) {
      _exit(5);
    }
    _exit(0);
  }
  g_hold_atfork.store(3);
  first.join();
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) _exit(6);
  if (WIFSIGNALED(status)) _exit(WTERMSIG(status) == SIGALRM ? 7 : 8);
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 9);
}

// Exit 7: the child hung on its first claim (killed by its alarm).
TEST(ForkReview, ChildForkedDuringTheFirstClaimCanClaim) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(ForkDuringFirstClaim(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace edgekit::inventory
