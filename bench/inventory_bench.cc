// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Inventory against its physical floors, measured in the same binary:
//   floors    one fetch_add; a decrement-if-positive CAS loop; a 16-byte-key
//             lookup + fetch_add in a region table (in cache and 1 Mi keys,
//             independent and chained)
//   inventory acquire's stock step alone (one thread; two forked processes
//             on one SKU, checked for oversell); acquire+confirm on one
//             thread, two threads on one hot SKU, two threads on distinct
//             SKUs, two forked processes on one hot SKU over MAP_SHARED,
//             1 M buyers (cold buyer records), sold-out; an acquire and a
//             confirm timed apart, in cache and cold
//   baseline  std::mutex + std::unordered_map doing the same bookkeeping
// bench/inventory.sh runs it pinned with repetitions and prints the ratios.

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "benchmark/benchmark.h"
#include "inventory/inventory.h"
#include "region/region.h"

namespace {

using edgekit::inventory::Config;
using edgekit::inventory::Inventory;
using edgekit::region::Table;

constexpr uint64_t kNow = 1'700'000'000'000;
constexpr uint64_t kTtl = 60'000;
// Acquires timed apart from their confirms run in batches of this many.
constexpr int kApartBatch = 512;

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void* MapShared(size_t len) {
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) std::abort();
  return p;
}

// ---------------------------------------------------------------------------
// Floors.

alignas(64) std::atomic<uint64_t> g_counter{0};

void BM_Floor_FetchAdd(benchmark::State& state) {
  for (auto _ : state) g_counter.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Floor_FetchAdd);
BENCHMARK(BM_Floor_FetchAdd)->Threads(2)->UseRealTime();

inline bool DecrementIfPositive(std::atomic<int64_t>& v) {
  int64_t cur = v.load(std::memory_order_relaxed);
  while (cur > 0) {
    if (v.compare_exchange_weak(cur, cur - 1, std::memory_order_acq_rel,
                                std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

alignas(64) std::atomic<int64_t> g_stock{int64_t{1} << 60};

void BM_Floor_CasDecrement(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(DecrementIfPositive(g_stock));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Floor_CasDecrement);
BENCHMARK(BM_Floor_CasDecrement)->Threads(2)->UseRealTime();

// Runs |body(i)| |n| times in this process and in one forked child at once,
// over MAP_SHARED memory set up by the caller; returns the wall time from a
// common start to both finishing. A body signals a wrong answer by aborting;
// a child that did so aborts the parent too, since its share of the work
// (or the figures it left in shared memory) would otherwise count as done.
template <typename Body>
double TwoProcesses(int64_t n, Body body) {
  auto* gate = static_cast<std::atomic<int>*>(MapShared(64));
  gate->store(0);
  const pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    gate->fetch_add(1);
    while (gate->load() < 2) {
    }
    for (int64_t i = 0; i < n; ++i) body(i, 1);
    _exit(0);
  }
  while (gate->load() < 1) {
  }
  const auto start = std::chrono::steady_clock::now();
  gate->fetch_add(1);
  for (int64_t i = 0; i < n; ++i) body(i, 0);
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    std::abort();
  }
  const auto end = std::chrono::steady_clock::now();
  munmap(gate, 64);
  return std::chrono::duration<double>(end - start).count();
}

void BM_Floor_CasDecrement_TwoProcesses(benchmark::State& state) {
  auto* stock = static_cast<std::atomic<int64_t>*>(MapShared(64));
  stock->store(int64_t{1} << 60);
  for (auto _ : state) {
    state.SetIterationTime(TwoProcesses(
        state.range(0), [&](int64_t, int) { DecrementIfPositive(*stock); }));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
  munmap(stock, 64);
}
BENCHMARK(BM_Floor_CasDecrement_TwoProcesses)
    ->Arg(4'000'000)
    ->UseManualTime()
    ->Iterations(3);

// A region table of 16-byte keys with one counter word, pre-filled with
// |keys| keys at 80% load; each op derives a random existing key, looks it up
// and bumps its counter.
struct KeyTable {
  // |keys| is a power of two, so picking one costs a mask, not a division.
  explicit KeyTable(uint64_t keys) : num_keys(keys) {
    if ((keys & (keys - 1)) != 0) std::abort();
    shape = edgekit::region::ShapeFor(keys, 16, 1, 0);
    bytes = edgekit::region::TableBytes(shape);
    mem = MapShared(bytes);
    Table::Format(mem, shape);
    table = Table(mem, shape);
    for (uint64_t i = 0; i < keys; ++i) {
      Table::Slot s;
      char key[16];
      MakeKey(i, key);
      if (table.FindOrInsert(std::string_view(key, 16), &s) !=
          Table::Result::kInserted) {
        std::abort();
      }
    }
  }
  ~KeyTable() { munmap(mem, bytes); }
  static void MakeKey(uint64_t i, char* key) {
    const uint64_t a = SplitMix(i), b = SplitMix(i ^ 0xabcdef);
    std::memcpy(key, &a, 8);
    std::memcpy(key + 8, &b, 8);
  }
  uint64_t num_keys;
  edgekit::region::TableShape shape;
  size_t bytes;
  void* mem;
  Table table;
};

// The key tables of the floors, built once: 16 Ki and 1 Mi keys (no other
// size is kept, so asking for one is a bug in the suite).
KeyTable& KeyTableOf(int64_t keys) {
  static KeyTable* tables[2] = {nullptr, nullptr};
  if (keys != (1 << 14) && keys != (1 << 20)) std::abort();
  const int which = keys == (1 << 20) ? 1 : 0;
  if (tables[which] == nullptr) tables[which] = new KeyTable(keys);
  return *tables[which];
}

void BM_Floor_TableLookup16(benchmark::State& state) {
  KeyTable& t = KeyTableOf(state.range(0));
  uint64_t x = 12345;
  for (auto _ : state) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    char key[16];
    KeyTable::MakeKey((x >> 20) & (t.num_keys - 1), key);
    Table::Slot s;
    if (t.table.Find(std::string_view(key, 16), &s) != Table::Result::kFound)
      std::abort();
    s.values[0].fetch_add(1, std::memory_order_relaxed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Floor_TableLookup16)->Arg(1 << 14)->Arg(1 << 20);

// The same lookup, each key depending on the previous lookup's result: the
// latency of one cold lookup. Independent lookups (above) overlap, since
// the next one's miss can start while the core still waits on this one's;
// an acquire runs hundreds of instructions and several locked operations
// between two buyer lookups, and a worker a whole request, so its misses
// cannot overlap: this is the floor one request pays.
void BM_Floor_TableLookup16_Chained(benchmark::State& state) {
  KeyTable& t = KeyTableOf(state.range(0));
  uint64_t x = 12345;
  for (auto _ : state) {
    char key[16];
    KeyTable::MakeKey((x >> 20) & (t.num_keys - 1), key);
    Table::Slot s;
    if (t.table.Find(std::string_view(key, 16), &s) != Table::Result::kFound)
      std::abort();
    x = x * 6364136223846793005ULL + 1442695040888963407ULL +
        (s.values[0].fetch_add(1, std::memory_order_relaxed) >> 63);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Floor_TableLookup16_Chained)->Arg(1 << 20);

// ---------------------------------------------------------------------------
// Inventory.

struct Sale {
  Sale(const Config& cfg, bool shared) : shared(shared) {
    len = *Inventory::RegionSize(cfg);
    mem = shared ? MapShared(len)
                 : std::aligned_alloc(64, (len + 63) & ~size_t{63});
    inv.emplace(*Inventory::Format(mem, len, cfg));
  }
  ~Sale() {
    if (shared) {
      munmap(mem, len);
    } else {
      std::free(mem);
    }
  }
  void Stock(const std::string& sku) {
    if (inv->SetStock(sku, 0xffffffffu) != EDGEKIT_OK) std::abort();
    if (inv->SetBuyerLimit(sku, 65535) != EDGEKIT_OK) std::abort();
  }
  bool shared;
  size_t len;
  void* mem;
  std::optional<Inventory> inv;
};

// Buyers are 16-byte ids; |num_buyers| of them cycle so each is bought for
// many times (limit 65535), keeping records in cache unless there are many.
std::string BuyerId(uint64_t i) {
  char id[32];
  std::snprintf(id, sizeof(id), "b%015llu",
                static_cast<unsigned long long>(i % 1'000'000'000'000'000));
  return std::string(id, 16);
}

inline void AcquireConfirm(Inventory& inv, std::string_view sku,
                           std::string_view buyer) {
  uint64_t hold;
  if (inv.Acquire(sku, buyer, 1, kNow, kTtl, &hold) != EDGEKIT_OK) std::abort();
  if (inv.Confirm(hold, kNow) != EDGEKIT_OK) std::abort();
}

Config BenchConfig(uint32_t buyers) {
  Config c;
  c.max_skus = 64;
  c.max_buyers = buyers;
  c.max_holds = 4096;
  return c;
}

std::vector<std::string> Buyers(uint64_t n, uint64_t offset) {
  std::vector<std::string> v;
  v.reserve(n);
  for (uint64_t i = 0; i < n; ++i) v.push_back(BuyerId(offset + i));
  return v;
}

// Acquire's stock step alone (Inventory::StockStep): choosing the lane or
// central count, refilling the lane in blocks, and the stamped CAS that
// takes one unit, with finalize-before-supersede of the stamp it replaces
// and the advance of its own record's phase — what every acquire does for
// its stock, without the lookups, the buyer step or the confirm around it.
// Prepared records per writer; transfers claim records as acquires do.
void BM_StockStep(benchmark::State& state) {
  Sale sale(BenchConfig(64), false);
  sale.Stock("sku-hot");
  Inventory::BenchStep step;
  if (!sale.inv->PrepareStockStep("sku-hot", BuyerId(0), 1, &step)) {
    std::abort();
  }
  for (auto _ : state) {
    if (!sale.inv->StockStep(step)) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StockStep);

// The goal: two processes decrementing one SKU's stock, next to the
// two-process floor (one line both write). Each process has its own lane,
// as workers on two CPUs do, and the last units are gathered back from the
// other's lane. Each repetition stocks exactly the units both will
// take, then checks that every step succeeded, nothing is left, and one
// more step is refused: not a unit oversold (counter "oversold").
void BM_StockStep_TwoProcesses(benchmark::State& state) {
  Sale sale(BenchConfig(64), true);
  // Stocked per repetition below; the added count must stay below 2^32.
  if (sale.inv->SetStock("sku-hot", 0) != EDGEKIT_OK ||
      sale.inv->SetBuyerLimit("sku-hot", 65535) != EDGEKIT_OK) {
    std::abort();
  }
  Inventory::BenchStep steps[2];
  // One lane each, as two workers on two CPUs have.
  if (!sale.inv->PrepareStockStep("sku-hot", BuyerId(0), 1, &steps[0]) ||
      !sale.inv->PrepareStockStep("sku-hot", BuyerId(1), 2, &steps[1])) {
    std::abort();
  }
  const int64_t n = state.range(0);
  auto* taken = static_cast<std::atomic<int64_t>*>(MapShared(64));
  int64_t oversold = 0;
  for (auto _ : state) {
    if (sale.inv->SetStock("sku-hot", static_cast<uint64_t>(2 * n)) !=
        EDGEKIT_OK) {
      std::abort();
    }
    taken->store(0);
    int64_t mine = 0;  // each process counts its own successes (fork)
    state.SetIterationTime(TwoProcesses(n, [&](int64_t i, int who) {
      mine += sale.inv->StockStep(steps[who]) ? 1 : 0;
      if (i + 1 == n) taken->fetch_add(mine);
    }));
    edgekit_stock_stats st;
    if (sale.inv->Stats("sku-hot", &st) != EDGEKIT_OK) std::abort();
    const int64_t total = taken->load() + (sale.inv->StockStep(steps[0]));
    oversold += total > 2 * n ? total - 2 * n : 0;
    if (total != 2 * n || st.available != 0) {
      state.SkipWithError("the stock step took a wrong number of units");
      break;
    }
  }
  state.counters["oversold"] = static_cast<double>(oversold);
  state.SetItemsProcessed(state.iterations() * n * 2);
  munmap(taken, 64);
}
BENCHMARK(BM_StockStep_TwoProcesses)
    ->Arg(4'000'000)
    ->UseManualTime()
    ->Iterations(3);

void BM_AcquireConfirm(benchmark::State& state) {
  Sale sale(BenchConfig(4096), false);
  sale.Stock("sku-hot");
  const auto buyers = Buyers(1024, 0);
  size_t i = 0;
  for (auto _ : state) {
    AcquireConfirm(*sale.inv, "sku-hot", buyers[i]);
    if (++i == buyers.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AcquireConfirm);

void BM_Acquire_SoldOut(benchmark::State& state) {
  Sale sale(BenchConfig(4096), false);
  if (sale.inv->SetStock("sku-gone", 0) != EDGEKIT_OK) std::abort();
  const auto buyers = Buyers(1024, 0);
  size_t i = 0;
  uint64_t hold;
  for (auto _ : state) {
    if (sale.inv->Acquire("sku-gone", buyers[i], 1, kNow, kTtl, &hold) !=
        EDGEKIT_E_SOLD_OUT) {
      std::abort();
    }
    if (++i == buyers.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Acquire_SoldOut);

Sale* g_sale = nullptr;

// Two threads; range(0) = 1: both on one hot SKU, 0: each on its own SKU.
void BM_AcquireConfirm_TwoThreads(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_sale = new Sale(BenchConfig(8192), false);
    g_sale->Stock("sku-0");
    g_sale->Stock("sku-1");
  }
  const std::string sku = state.range(0) == 1
                              ? "sku-0"
                              : "sku-" + std::to_string(state.thread_index());
  const auto buyers = Buyers(1024, 1024 * state.thread_index());
  size_t i = 0;
  for (auto _ : state) {
    AcquireConfirm(*g_sale->inv, sku, buyers[i]);
    if (++i == buyers.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete g_sale;
    g_sale = nullptr;
  }
}
BENCHMARK(BM_AcquireConfirm_TwoThreads)
    ->Arg(1)
    ->Threads(2)
    ->UseRealTime()
    ->ArgName("hot");
BENCHMARK(BM_AcquireConfirm_TwoThreads)
    ->Arg(0)
    ->Threads(2)
    ->UseRealTime()
    ->ArgName("hot");

void BM_AcquireConfirm_TwoProcesses(benchmark::State& state) {
  Sale sale(BenchConfig(8192), true);
  sale.Stock("sku-hot");
  const auto buyers0 = Buyers(1024, 0), buyers1 = Buyers(1024, 1024);
  for (auto _ : state) {
    state.SetIterationTime(TwoProcesses(state.range(0), [&](int64_t i,
                                                            int who) {
      AcquireConfirm(*sale.inv, "sku-hot", (who ? buyers1 : buyers0)[i % 1024]);
    }));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 2);
}
BENCHMARK(BM_AcquireConfirm_TwoProcesses)
    ->Arg(500'000)
    ->UseManualTime()
    ->Iterations(3);

// The goal counts full acquires per second from two processes, so this
// times the acquires alone. Both processes run |rounds| rounds: they meet at
// a barrier, each runs kApartBatch acquires on the hot SKU, then each
// confirms its batch off the clock to free the records. A round counts the
// slower process's acquire phase, so the phases overlap as two processes
// acquiring nonstop would, and the barrier keeps them from drifting apart
// into one acquiring while the other confirms.
void BM_Acquire_TwoProcesses(benchmark::State& state) {
  Sale sale(BenchConfig(8192), true);
  sale.Stock("sku-hot");
  const auto buyers0 = Buyers(1024, 0), buyers1 = Buyers(1024, 1024);
  const int64_t rounds = state.range(0);
  // One line for the barrier, then each process's acquire time per round.
  const size_t bytes = 64 + 2 * sizeof(double) * static_cast<size_t>(rounds);
  void* shared = MapShared(bytes);
  auto* arrived = new (shared) std::atomic<int64_t>(0);
  auto* seconds = reinterpret_cast<double*>(static_cast<char*>(shared) + 64);
  for (auto _ : state) {
    arrived->store(0);
    TwoProcesses(rounds, [&](int64_t r, int who) {
      arrived->fetch_add(1);
      // A peer that died never arrives: give up rather than spin forever.
      const auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(10);
      for (uint32_t spin = 0; arrived->load() < 2 * (r + 1); ++spin) {
        if (spin % 4096 == 0 && std::chrono::steady_clock::now() > deadline) {
          std::abort();
        }
      }
      const auto& buyers = who ? buyers1 : buyers0;
      uint64_t holds[kApartBatch];
      const auto start = std::chrono::steady_clock::now();
      for (int k = 0; k < kApartBatch; ++k) {
        const std::string& buyer = buyers[(r * kApartBatch + k) % 1024];
        if (sale.inv->Acquire("sku-hot", buyer, 1, kNow, kTtl, &holds[k]) !=
            EDGEKIT_OK) {
          std::abort();
        }
      }
      seconds[who * rounds + r] = std::chrono::duration<double>(
                                      std::chrono::steady_clock::now() - start)
                                      .count();
      for (uint64_t hold : holds) {
        if (sale.inv->Confirm(hold, kNow) != EDGEKIT_OK) std::abort();
      }
    });
    double total = 0;
    for (int64_t r = 0; r < rounds; ++r) {
      total += std::max(seconds[r], seconds[rounds + r]);
    }
    state.SetIterationTime(total);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * rounds *
                          kApartBatch * 2);
  munmap(shared, bytes);
}
BENCHMARK(BM_Acquire_TwoProcesses)->Arg(1000)->UseManualTime()->Iterations(3);

// 1 Mi buyers already known; each op picks one at random: the buyer record
// is a cache (and TLB) miss, as in a real sale with a million buyers. Buyer
// ids are derived arithmetically, exactly like the cold-table floor's keys,
// so the harness adds no miss of its own (a vector of 16-byte std::strings
// would add two). The region is MAP_SHARED, as an nginx zone and the floor's
// table are: the same kind of pages.
constexpr uint64_t kColdBuyers = 1 << 20;

Sale& ColdSale() {
  static Sale* sale = nullptr;
  if (sale == nullptr) {
    // Sized for its 16-byte ids, as a deployment would be: buyer slots are
    // then 40 bytes, the floor table's size (at the default 40-byte limit
    // they are 64, and the table 84 MiB instead of 52).
    Config c = BenchConfig(kColdBuyers + 1024);
    c.max_buyer_len = 16;
    sale = new Sale(c, /*shared=*/true);
    sale->Stock("sku-hot");
    for (uint64_t i = 0; i < kColdBuyers; ++i) {
      char id[16];
      KeyTable::MakeKey(i, id);
      AcquireConfirm(*sale->inv, "sku-hot", std::string_view(id, 16));
    }
  }
  return *sale;
}

// A random known cold buyer's id, written to |id|.
inline std::string_view ColdBuyer(uint64_t* x, char* id) {
  *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
  KeyTable::MakeKey((*x >> 20) % kColdBuyers, id);
  return std::string_view(id, 16);
}

void BM_AcquireConfirm_1MBuyers(benchmark::State& state) {
  Sale& sale = ColdSale();
  uint64_t x = 99;
  for (auto _ : state) {
    char id[16];
    AcquireConfirm(*sale.inv, "sku-hot", ColdBuyer(&x, id));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AcquireConfirm_1MBuyers);

// An acquire and a confirm timed apart — the goals name the acquire
// (stock + buyer record + hold) — range(0) = 0 times the acquires, 1 the
// confirms; range(1) = buyers, 1 Ki (in cache) or 1 Mi (cold). Batches of
// kApartBatch acquires, then their confirms, the other half off the clock:
// one PauseTiming/ResumeTiming pair per batch, about one clock read per
// kApartBatch operations on the measured side.
constexpr uint64_t kMaxAhead = 4;

void BM_AcquireConfirmApart(benchmark::State& state) {
  const bool time_confirm = state.range(0) == 1;
  const bool cold = state.range(1) == static_cast<int64_t>(kColdBuyers);
  // Cold only: each acquire's buyer record is prefetched |ahead| acquires
  // earlier (Inventory::Prefetch, counted in the time), as a caller with
  // several requests in hand would.
  const auto ahead = static_cast<uint64_t>(state.range(2));
  std::optional<Sale> warm;
  if (!cold) {
    warm.emplace(BenchConfig(4096), false);
    warm->Stock("sku-hot");
  }
  Inventory& inv = cold ? *ColdSale().inv : *warm->inv;
  const auto buyers = Buyers(cold ? 0 : 1024, 0);
  size_t next = 0;
  uint64_t x = 99;
  uint64_t holds[kApartBatch];
  // ring[cur] holds this acquire's buyer; the slot before it (cyclically)
  // is free for the buyer |ahead| acquires later.
  char ring[kMaxAhead + 1][16];
  uint64_t cur = 0;
  for (uint64_t k = 0; k < ahead; ++k) {
    inv.Prefetch("sku-hot", ColdBuyer(&x, ring[k]));
  }
  while (state.KeepRunningBatch(kApartBatch)) {
    if (time_confirm) state.PauseTiming();
    for (uint64_t& hold : holds) {
      std::string_view buyer;
      if (cold) {
        const std::string_view later =
            ColdBuyer(&x, ring[cur == 0 ? ahead : cur - 1]);
        if (ahead != 0) inv.Prefetch("sku-hot", later);
        buyer = std::string_view(ring[cur], 16);
        cur = cur == ahead ? 0 : cur + 1;
      } else {
        buyer = buyers[next];
        if (++next == buyers.size()) next = 0;
      }
      if (inv.Acquire("sku-hot", buyer, 1, kNow, kTtl, &hold) != EDGEKIT_OK) {
        std::abort();
      }
    }
    if (time_confirm) {
      state.ResumeTiming();
    } else {
      state.PauseTiming();
    }
    for (uint64_t hold : holds) {
      if (inv.Confirm(hold, kNow) != EDGEKIT_OK) std::abort();
    }
    if (!time_confirm) state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AcquireConfirmApart)
    ->ArgsProduct({{0, 1}, {1024, kColdBuyers}, {0}})
    ->Args({0, kColdBuyers, 1})
    ->Args({0, kColdBuyers, 4})
    ->ArgNames({"confirm", "buyers", "ahead"});

// ---------------------------------------------------------------------------
// Baseline: one mutex over hash maps doing the same bookkeeping (stock,
// per-buyer units, a hold map), as a straightforward implementation would.

struct MutexInventory {
  struct Sku {
    int64_t available = 0, held = 0, sold = 0;
  };
  std::mutex mu;
  std::unordered_map<std::string, Sku> skus;
  std::unordered_map<std::string, uint32_t> buyers;  // sku + '/' + buyer
  std::unordered_map<uint64_t, std::pair<std::string, uint32_t>> holds;
  uint64_t next_hold = 1;

  bool Acquire(const std::string& sku, const std::string& buyer,
               uint64_t* hold) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = skus.find(sku);
    if (it == skus.end() || it->second.available < 1) return false;
    uint32_t& units = buyers[sku + '/' + buyer];
    if (units + 1 > 65535) return false;
    ++units;
    --it->second.available;
    ++it->second.held;
    *hold = next_hold++;
    holds.emplace(*hold, std::make_pair(sku, 1u));
    return true;
  }
  void Confirm(uint64_t hold) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = holds.find(hold);
    Sku& s = skus[it->second.first];
    --s.held;
    ++s.sold;
    holds.erase(it);
  }
};

MutexInventory* g_mutex_inv = nullptr;

void BM_Baseline_MutexMap(benchmark::State& state) {
  const uint64_t num_buyers = static_cast<uint64_t>(state.range(0));
  static std::vector<std::string>* buyers = nullptr;
  if (state.thread_index() == 0) {
    g_mutex_inv = new MutexInventory;
    g_mutex_inv->skus["sku-hot"].available = int64_t{1} << 40;
    if (buyers == nullptr || buyers->size() != num_buyers) {
      delete buyers;
      buyers = new std::vector<std::string>(Buyers(num_buyers, 0));
    }
    g_mutex_inv->buyers.reserve(num_buyers);
    for (const auto& b : *buyers) g_mutex_inv->buyers["sku-hot/" + b] = 0;
  }
  const std::string sku = "sku-hot";
  uint64_t x = 7 + state.thread_index();
  for (auto _ : state) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t hold;
    if (!g_mutex_inv->Acquire(sku, (*buyers)[(x >> 20) % num_buyers], &hold))
      std::abort();
    g_mutex_inv->Confirm(hold);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete g_mutex_inv;
    g_mutex_inv = nullptr;
  }
}
BENCHMARK(BM_Baseline_MutexMap)->Arg(1024)->Arg(1 << 20);
BENCHMARK(BM_Baseline_MutexMap)->Arg(1024)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
