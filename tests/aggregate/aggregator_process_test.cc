// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Several forked processes update one MAP_SHARED region while two others
// flush it repeatedly: the summaries add up to exactly the events sent.
// A writer killed mid-stream neither wedges the flusher nor loses what it
// counted.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <new>

#include "aggregate/aggregator.h"
#include "ingest_util.h"

namespace edgekit::aggregate {
namespace {

using testing::IngestControl;

struct Shared {
  explicit Shared(size_t n) : len(n) {
    mem = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
               -1, 0);
  }
  ~Shared() { munmap(mem, len); }
  size_t len;
  void* mem;
};

Aggregator AttachOrDie(void* mem, size_t len) {
  absl::StatusOr<Aggregator> a = Aggregator::Attach(mem, len);
  if (!a.ok()) _exit(3);
  return *a;
}

TEST(AggregatorProcesses, SummariesAddUpToEventsSentExactly) {
  const int kWriters = 3;
  const int kEvents = 200000;  // 600 windows per writer
  const AggregatorOptions o = testing::IngestOptions();
  const size_t len = *Aggregator::RegionSize(o);
  Shared region(len);
  Shared control_mem(sizeof(IngestControl));
  ASSERT_NE(region.mem, MAP_FAILED);
  auto* control = new (control_mem.mem) IngestControl{};
  ASSERT_TRUE(Aggregator::Format(region.mem, len, o).ok());

  std::vector<pid_t> pids;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Aggregator a = AttachOrDie(region.mem, len);
      testing::RunWriter(a, *control, w, kEvents);
      _exit(0);
    }
    pids.push_back(pid);
  }
  for (int f = 0; f < 2; ++f) {  // two flushers race each other too
    const pid_t flusher = fork();
    ASSERT_GE(flusher, 0);
    if (flusher == 0) {
      Aggregator a = AttachOrDie(region.mem, len);
      testing::RunFlusher(a, *control, kWriters);
      _exit(0);
    }
    pids.push_back(flusher);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }

  // The flusher really raced the writers (it folds windows it falls behind
  // on, so there are fewer summaries than windows).
  EXPECT_GT(control->summaries.load(), 10u);
  // Whatever the flusher left, the final flush takes.
  Aggregator a = AttachOrDie(region.mem, len);
  for (const Summary& s : a.Flush(testing::kStartMs + 10000000)) {
    testing::Account(*control, s);
  }
  EXPECT_EQ(control->flushed_events.load(), uint64_t{kWriters} * kEvents);
  EXPECT_EQ(static_cast<int64_t>(control->flushed_value_sum.load()),
            kWriters * testing::ExpectedValueSum(kEvents));
  EXPECT_TRUE(a.Flush(testing::kStartMs + 20000000).empty());
}

TEST(AggregatorProcesses, KilledWriterDoesNotWedgeTheFlush) {
  const AggregatorOptions o = testing::IngestOptions();
  const size_t len = *Aggregator::RegionSize(o);
  Shared region(len);
  Shared progress_mem(sizeof(std::atomic<uint64_t>));
  auto* done = new (progress_mem.mem) std::atomic<uint64_t>{0};
  ASSERT_TRUE(Aggregator::Format(region.mem, len, o).ok());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Aggregator a = AttachOrDie(region.mem, len);
    for (uint64_t i = 0;; ++i) {
      (void)a.Update("hot", testing::kStartMs + static_cast<int64_t>(i % 500),
                     1, "");
      done->store(i + 1, std::memory_order_release);
    }
  }
  while (done->load() < 100000) usleep(1000);
  kill(pid, SIGKILL);  // most likely inside an update
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const uint64_t completed = done->load();
  Aggregator a = AttachOrDie(region.mem, len);
  uint64_t counted = 0;
  for (const Summary& s : a.Flush(testing::kStartMs + 100000)) {
    for (const KeyStats& k : s.keys) counted += k.count;
  }
  // The update in flight when the kill landed may or may not have counted.
  EXPECT_GE(counted, completed);
  EXPECT_LE(counted, completed + 1);
  // The region keeps working.
  EXPECT_EQ(a.Update("hot", testing::kStartMs + 200000, 1, ""),
            Aggregator::Result::kCounted);
  EXPECT_EQ(a.Flush(testing::kStartMs + 300000).size(), 1u);
}

}  // namespace
}  // namespace edgekit::aggregate
