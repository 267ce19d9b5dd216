// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Pre-aggregation against its floors, measured in the same binary:
//   floor/fetch_add        one relaxed fetch_add on one cache line
//   floor/table            16-byte key lookup + fetch_add in an open-address
//                          table with as many slots as the aggregator's
//   baseline/mutex_map     std::mutex + unordered_map<string, int64_t> ++
// and edgekit's counter / values / HLL / quantile / top-k updates, flush,
// merge, and 1 vs 2 processes on one MAP_SHARED region. After the runs it
// prints each median as a ratio to its floor. Run it pinned (bench/aggregate.sh
// does: taskset, 5 repetitions, CPU-time medians).

#include <benchmark/benchmark.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "aggregate/aggregator.h"
#include "aggregate/hash.h"
#include "aggregate/hll.h"
#include "aggregate/quantiles.h"
#include "aggregate/summary.h"

namespace {

using edgekit::aggregate::Aggregator;
using edgekit::aggregate::AggregatorOptions;

constexpr int64_t kNow = 1767225600500;

// 16-byte keys, like a hashed URL or a SKU. The mutex baseline holds them as
// std::string (heap-allocated past the 15-byte SSO, as in the baseline
// study); edgekit and the floor table read them from one contiguous array.
std::vector<std::string> MakeKeys(size_t n) {
  std::vector<std::string> keys(n);
  uint64_t x = 0x243f6a8885a308d3ull;
  for (size_t i = 0; i < n; ++i) {
    char buf[17];
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(x));
    keys[i] = std::string(buf, 16);
  }
  return keys;
}

struct KeyArray {
  explicit KeyArray(size_t n) : bytes(n * 16) {
    const std::vector<std::string> keys = MakeKeys(n);
    for (size_t i = 0; i < n; ++i)
      std::memcpy(&bytes[i * 16], keys[i].data(), 16);
  }
  std::string_view operator[](size_t i) const { return {&bytes[i * 16], 16}; }
  std::vector<char> bytes;
};

// A cheap index stream over [0, n): an LCG, as in the baseline study.
struct Picker {
  uint64_t x = 88172645463325252ull;
  size_t Next(size_t n) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>((x >> 33) % n);
  }
};

struct Mem {
  explicit Mem(size_t n) : len(n) {
    p = static_cast<uint8_t*>(mmap(nullptr, n, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  }
  ~Mem() { munmap(p, len); }
  size_t len;
  uint8_t* p;
};

// ---- Floors
// ------------------------------------------------------------------

void BM_Floor_FetchAdd(benchmark::State& state) {
  alignas(64) static std::atomic<int64_t> counter{0};
  for (auto _ : state) counter.fetch_add(1, std::memory_order_relaxed);
  benchmark::DoNotOptimize(counter.load());
}
BENCHMARK(BM_Floor_FetchAdd);

// The floor table: 64-byte slots [hash | 16-byte key | counter], linear
// probing, keys pre-inserted, same slot count as the aggregator would use.
struct FloorTable {
  struct alignas(64) Slot {
    std::atomic<uint64_t> hash{0};
    char key[16];
    std::atomic<int64_t> count{0};
  };
  explicit FloorTable(size_t capacity)
      : n(capacity + (capacity + 3) / 4), mem(n * sizeof(Slot)) {
    slots = reinterpret_cast<Slot*>(mem.p);
  }
  void Insert(std::string_view k) {
    const uint64_t h = edgekit::aggregate::Hash64(k) | 1;
    for (size_t i = h % n;; i = (i + 1) % n) {
      if (slots[i].hash.load() == 0) {
        std::memcpy(slots[i].key, k.data(), 16);
        slots[i].hash.store(h);
        return;
      }
    }
  }
  void Add(std::string_view k) {
    const uint64_t h = edgekit::aggregate::Hash64(k) | 1;
    for (size_t i = h % n;; i = (i + 1) % n) {
      const uint64_t s = slots[i].hash.load(std::memory_order_acquire);
      if (s == h && std::memcmp(slots[i].key, k.data(), 16) == 0) {
        slots[i].count.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      if (s == 0) return;
    }
  }
  size_t n;
  Mem mem;
  Slot* slots;
};

void BM_Floor_Table(benchmark::State& state) {
  const size_t keys_n = static_cast<size_t>(state.range(0));
  const KeyArray keys(keys_n);
  FloorTable t(keys_n);
  for (size_t i = 0; i < keys_n; ++i) t.Insert(keys[i]);
  Picker p;
  for (auto _ : state) t.Add(keys[p.Next(keys_n)]);
}
BENCHMARK(BM_Floor_Table)->Arg(10000)->Arg(1000000);

void BM_Baseline_MutexMap(benchmark::State& state) {
  const size_t keys_n = static_cast<size_t>(state.range(0));
  const std::vector<std::string> keys = MakeKeys(keys_n);
  std::mutex mu;
  std::unordered_map<std::string, int64_t> map;
  map.reserve(keys_n);
  for (const auto& k : keys) map[k] = 0;
  Picker p;
  for (auto _ : state) {
    const std::string& k = keys[p.Next(keys_n)];
    std::lock_guard<std::mutex> l(mu);
    ++map[k];
  }
}
BENCHMARK(BM_Baseline_MutexMap)->Arg(10000)->Arg(1000000);

// ---- edgekit updates
// -----------------------------------------------------------

struct Fixture {
  Fixture(AggregatorOptions o, size_t keys_n) : keys(keys_n) {
    o.key_capacity = keys_n;
    o.max_key_len = 16;
    len = *Aggregator::RegionSize(o);
    mem = std::make_unique<Mem>(len);
    agg.emplace(*Aggregator::Format(mem->p, len, o));
    for (size_t i = 0; i < keys_n; ++i) (void)agg->Update(keys[i], kNow, 1, "");
  }
  KeyArray keys;
  size_t len = 0;
  std::unique_ptr<Mem> mem;
  std::optional<Aggregator> agg;
};

// Zipf(1.1)-distributed key indexes, pre-drawn: top-k's realistic input.
std::vector<uint32_t> ZipfIndexes(size_t keys_n) {
  std::vector<uint32_t> out(1 << 20);
  std::mt19937_64 rng(7);
  for (auto& i : out) {
    const double u = (static_cast<double>(rng() >> 11) + 1) * 0x1p-53;
    i = static_cast<uint32_t>(std::min<double>(static_cast<double>(keys_n - 1),
                                               std::pow(u, -1.0 / 1.1) - 1));
  }
  return out;
}

void RunUpdates(benchmark::State& state, uint32_t features, bool zipf = false) {
  AggregatorOptions o;
  o.features = features;
  const size_t keys_n = static_cast<size_t>(state.range(0));
  Fixture f(o, keys_n);
  Picker p;
  const std::vector<uint32_t> zipf_ix =
      zipf ? ZipfIndexes(keys_n) : std::vector<uint32_t>{};
  const std::string item(16, 'u');
  uint64_t i = 0;
  for (auto _ : state) {
    const std::string_view k =
        f.keys[zipf ? zipf_ix[i & ((1 << 20) - 1)] : p.Next(keys_n)];
    benchmark::DoNotOptimize(
        f.agg->Update(k, kNow, static_cast<int64_t>(i & 4095) + 1, item));
    ++i;
  }
}

void BM_Edgekit_Counter(benchmark::State& state) { RunUpdates(state, 0); }
BENCHMARK(BM_Edgekit_Counter)->Arg(10000)->Arg(1000000);

void BM_Edgekit_Values(benchmark::State& state) {
  RunUpdates(state, edgekit::aggregate::kFeatureValues);
}
BENCHMARK(BM_Edgekit_Values)->Arg(10000);

void BM_Edgekit_ValuesTopK(benchmark::State& state) {
  RunUpdates(state, edgekit::aggregate::kFeatureValues |
                        edgekit::aggregate::kFeatureTopK);
}
BENCHMARK(BM_Edgekit_ValuesTopK)->Arg(10000);

void BM_Edgekit_ValuesZipf(benchmark::State& state) {
  RunUpdates(state, edgekit::aggregate::kFeatureValues, true);
}
BENCHMARK(BM_Edgekit_ValuesZipf)->Arg(10000);

void BM_Edgekit_ValuesTopKZipf(benchmark::State& state) {
  RunUpdates(
      state,
      edgekit::aggregate::kFeatureValues | edgekit::aggregate::kFeatureTopK,
      true);
}
BENCHMARK(BM_Edgekit_ValuesTopKZipf)->Arg(10000);

void BM_Edgekit_ValuesHll(benchmark::State& state) {
  RunUpdates(state, edgekit::aggregate::kFeatureValues |
                        edgekit::aggregate::kFeatureHll);
}
BENCHMARK(BM_Edgekit_ValuesHll)->Arg(1000);

void BM_Edgekit_ValuesQuantiles(benchmark::State& state) {
  RunUpdates(state, edgekit::aggregate::kFeatureQuantiles);
}
BENCHMARK(BM_Edgekit_ValuesQuantiles)->Arg(1000);

// ---- Sketch primitives
// -----------------------------------------------------------

// HLL update of a 16-byte item in shared-memory registers (lg_k 12, packed
// 4-bit, CAS-max), hash included; the sketch is past its small range.
void BM_Sketch_HllUpdate16(benchmark::State& state) {
  const size_t words = edgekit::aggregate::HllPackedWords(12);
  Mem mem(words * 8);
  auto* regs = reinterpret_cast<std::atomic<uint64_t>*>(mem.p);
  char item[16] = {0};
  uint64_t i = 0;
  auto update = [&] {
    std::memcpy(item, &i, 8);
    uint32_t index;
    uint8_t rank;
    edgekit::aggregate::HllIndexAndRank(edgekit::aggregate::Hash64(item, 16),
                                        12, &index, &rank);
    edgekit::aggregate::HllPackedUpdate(regs, index, rank);
    ++i;
  };
  for (int k = 0; k < 1 << 20; ++k) update();
  for (auto _ : state) update();
}
BENCHMARK(BM_Sketch_HllUpdate16);

// Quantile insert: cubic-log index + one relaxed fetch_add into 2048 buckets,
// lognormal latencies (pre-generated), as in the baseline study's floor.
void BM_Sketch_QuantileInsert(benchmark::State& state) {
  const edgekit::aggregate::QuantileMapping m(10000, 2048);
  std::vector<std::atomic<uint64_t>> buckets(2048);
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> d(std::log(3000.0), 1.0);
  std::vector<int64_t> values(65536);
  for (auto& v : values) v = 1 + static_cast<int64_t>(d(rng));
  size_t i = 0;
  for (auto _ : state) {
    buckets[m.Index(values[i++ & 65535])].fetch_add(1,
                                                    std::memory_order_relaxed);
  }
}
BENCHMARK(BM_Sketch_QuantileInsert);

void BM_Sketch_HllMerge(benchmark::State& state) {
  edgekit::aggregate::HllSketch a(12), b(12);
  for (uint64_t i = 0; i < 100000; ++i) {
    a.UpdateHash(edgekit::aggregate::Hash64(&i, 8));
    const uint64_t j = i + 50000;
    b.UpdateHash(edgekit::aggregate::Hash64(&j, 8));
  }
  for (auto _ : state) {
    edgekit::aggregate::HllSketch c = a;
    c.Merge(b);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_Sketch_HllMerge);

// ---- Flush and merge
// ----------------------------------------------------------

// Flush of one window with 10 k counter+values keys; ns per key reported.
void BM_Flush10kKeys(benchmark::State& state) {
  AggregatorOptions o;
  o.features = edgekit::aggregate::kFeatureValues;
  Fixture f(o, 10000);
  (void)f.agg->Flush(kNow + 10000);
  int64_t window = 10;
  for (auto _ : state) {
    state.PauseTiming();
    const int64_t now = kNow + window * 1000;
    for (size_t i = 0; i < 10000; ++i)
      (void)f.agg->Update(f.keys[i], now, 3, "");
    state.ResumeTiming();
    benchmark::DoNotOptimize(f.agg->Flush(now + 1000));
    window += 1;
  }
  state.counters["ns_per_key"] =
      benchmark::Counter(10000, benchmark::Counter::kIsIterationInvariantRate |
                                    benchmark::Counter::kInvert);
}
BENCHMARK(BM_Flush10kKeys)->Unit(benchmark::kMillisecond);

// 1000 summaries x 10 k keys (count, sum, min, max) merged into one. Ten
// distinct node summaries are cycled 100 times: the work per merge step is
// the same as with a thousand distinct ones, without 1.5 GB of inputs.
void BM_Merge1000x10kKeys(benchmark::State& state) {
  std::vector<edgekit::aggregate::Summary> nodes;
  const std::vector<std::string> keys = MakeKeys(10000);
  for (int n = 0; n < 10; ++n) {
    edgekit::aggregate::Summary s;
    s.config.values = true;
    s.window_start_ms = 1000;
    s.window_end_ms = 2000;
    for (const auto& k : keys) {
      edgekit::aggregate::KeyStats ks;
      ks.key = k;
      ks.count = 5 + n;
      ks.sum = 100 * n;
      ks.min = n;
      ks.max = 100 + n;
      s.keys.push_back(ks);
    }
    std::sort(s.keys.begin(), s.keys.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    nodes.push_back(std::move(s));
  }
  for (auto _ : state) {
    edgekit::aggregate::Summary total;
    total.config.values = true;
    for (int i = 0; i < 1000; ++i) {
      if (!edgekit::aggregate::MergeSummaries(&total, nodes[i % 10]).ok())
        std::abort();
    }
    benchmark::DoNotOptimize(total);
  }
}
BENCHMARK(BM_Merge1000x10kKeys)->Unit(benchmark::kMillisecond)->Iterations(1);

// ---- 1 and 2 processes on one MAP_SHARED region
// --------------------------------

void PinTo(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

// |procs| processes each do kOps counter updates over 10 k (hot) or 1 M
// (cold) keys; wall time from a shared start flag until all are done.
void BM_Processes(benchmark::State& state) {
  const int procs = static_cast<int>(state.range(0));
  const size_t keys_n = static_cast<size_t>(state.range(1));
  constexpr uint64_t kOps = 4 << 20;
  AggregatorOptions o;
  Fixture f(o, keys_n);
  Mem ctl(4096);
  auto* go = reinterpret_cast<std::atomic<int>*>(ctl.p);
  auto* done = reinterpret_cast<std::atomic<int>*>(ctl.p + 64);
  for (auto _ : state) {
    go->store(0);
    done->store(0);
    std::vector<pid_t> kids;
    for (int c = 1; c < procs; ++c) {
      const pid_t pid = fork();
      if (pid == 0) {
        PinTo(c);
        Aggregator a = *Aggregator::Attach(f.mem->p, f.len);
        Picker p;
        p.x += static_cast<uint64_t>(c);
        while (go->load() == 0) {
        }
        for (uint64_t i = 0; i < kOps; ++i)
          (void)a.Update(f.keys[p.Next(keys_n)], kNow, 1, "");
        done->fetch_add(1);
        _exit(0);
      }
      kids.push_back(pid);
    }
    PinTo(0);
    Picker p;
    const auto t0 = std::chrono::steady_clock::now();
    go->store(1);
    for (uint64_t i = 0; i < kOps; ++i)
      (void)f.agg->Update(f.keys[p.Next(keys_n)], kNow, 1, "");
    done->fetch_add(1);
    while (done->load() < procs) {
    }
    const auto t1 = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    for (pid_t pid : kids) waitpid(pid, nullptr, 0);
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * kOps * procs));
  state.counters["agg_ns_per_op"] =
      benchmark::Counter(static_cast<double>(kOps * procs),
                         benchmark::Counter::kIsIterationInvariantRate |
                             benchmark::Counter::kInvert);
}
BENCHMARK(BM_Processes)
    ->Args({1, 10000})
    ->Args({2, 10000})
    ->Args({1, 1000000})
    ->Args({2, 1000000})
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

// ---- Ratios
// ----------------------------------------------------------------------

// Collects median CPU times and prints ratios to the matching floor.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median")
        continue;
      const std::string name = r.run_name.str();
      medians_[name] = r.GetAdjustedCPUTime();
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nRatios of medians (CPU time), same binary, same run:\n");
    const char* rows[][2] = {
        {"BM_Edgekit_Counter/10000", "BM_Floor_Table/10000"},
        {"BM_Edgekit_Counter/1000000", "BM_Floor_Table/1000000"},
        {"BM_Baseline_MutexMap/10000", "BM_Edgekit_Counter/10000"},
        {"BM_Baseline_MutexMap/1000000", "BM_Edgekit_Counter/1000000"},
        {"BM_Edgekit_Values/10000", "BM_Floor_Table/10000"},
        {"BM_Edgekit_ValuesTopK/10000", "BM_Edgekit_Values/10000"},
        {"BM_Edgekit_ValuesTopKZipf/10000", "BM_Edgekit_ValuesZipf/10000"},
        {"BM_Edgekit_ValuesHll/1000", "BM_Edgekit_Values/10000"},
        {"BM_Edgekit_ValuesQuantiles/1000", "BM_Edgekit_Values/10000"},
        {"BM_Floor_Table/10000", "BM_Floor_FetchAdd"},
        {"BM_Sketch_HllUpdate16", "BM_Floor_FetchAdd"},
        {"BM_Sketch_QuantileInsert", "BM_Floor_FetchAdd"},
    };
    for (const auto& row : rows) {
      auto a = medians_.find(row[0]);
      auto b = medians_.find(row[1]);
      if (a == medians_.end() || b == medians_.end()) continue;
      std::printf("  %-34s %9.2f ns  = %6.2fx %s (%.2f ns)\n", row[0],
                  a->second, a->second / b->second, row[1], b->second);
    }
    std::printf(
        "  (BM_Processes: see agg_ns_per_op, wall time over all processes)\n");
  }

 private:
  std::map<std::string, double> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
