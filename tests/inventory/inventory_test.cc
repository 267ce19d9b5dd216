// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Inventory on one thread through the C ABI: every status, every boundary,
// and conservation after each scenario.

#include "edgekit/inventory.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "inventory/inventory.h"

namespace {

using edgekit::inventory::Inventory;

constexpr uint64_t kNow = 1'700'000'000'000;

edgekit_inventory_config SmallConfig() {
  edgekit_inventory_config c{};
  c.struct_size = sizeof(c);
  c.max_skus = 16;
  c.max_buyers = 256;
  c.max_holds = 64;
  return c;
}

class Region {
 public:
  explicit Region(edgekit_inventory_config cfg = SmallConfig()) : cfg_(cfg) {
    len_ = edgekit_inventory_region_size(&cfg_);
    EXPECT_GT(len_, 0u);
    mem_ = std::aligned_alloc(64, (len_ + 63) & ~size_t{63});
    std::memset(mem_, 0x5a, len_);  // format must not rely on zeroed memory
    EXPECT_EQ(edgekit_inventory_format(&inv_, mem_, len_, &cfg_), EDGEKIT_OK);
    auto cpp = Inventory::Attach(mem_, len_);
    EXPECT_TRUE(cpp.ok()) << cpp.status();
    if (cpp.ok()) cpp_.emplace(*cpp);
  }
  ~Region() {
    edgekit_inventory_free(inv_);
    std::free(mem_);
  }
  edgekit_inventory* inv() { return inv_; }
  Inventory& cpp() { return *cpp_; }
  uint8_t* mem() { return static_cast<uint8_t*>(mem_); }
  size_t len() { return len_; }

  edgekit_status Set(const std::string& sku, uint64_t n) {
    return edgekit_inventory_set_stock(inv_, sku.data(), sku.size(), n);
  }
  edgekit_status Add(const std::string& sku, int64_t d) {
    return edgekit_inventory_add_stock(inv_, sku.data(), sku.size(), d);
  }
  edgekit_status Acquire(const std::string& sku, const std::string& buyer,
                         uint32_t qty, uint64_t* hold, uint64_t now = kNow,
                         uint64_t ttl = 1000) {
    return edgekit_inventory_acquire(inv_, hold, sku.data(), sku.size(),
                                     buyer.data(), buyer.size(), qty, now, ttl);
  }
  edgekit_stock_stats Stats(const std::string& sku) {
    edgekit_stock_stats st{};
    EXPECT_EQ(edgekit_inventory_stats(inv_, &st, sku.data(), sku.size()),
              EDGEKIT_OK);
    return st;
  }
  // added - removed = available + held + sold, all counts sane, and held is
  // exactly the units in live holds.
  void ExpectConserved(const std::string& sku) {
    const edgekit_stock_stats st = Stats(sku);
    EXPECT_GE(st.added, st.removed) << sku;
    EXPECT_EQ(st.added - st.removed, st.available + st.held + st.sold) << sku;
    EXPECT_EQ(st.held, cpp_->HeldUnitsByScan(sku)) << sku;
    edgekit_hold_census c{};
    ASSERT_EQ(edgekit_inventory_census(inv_, &c), EDGEKIT_OK);
    EXPECT_EQ(c.in_flight, 0u);
    EXPECT_EQ(c.stranded, 0u);
  }

 private:
  edgekit_inventory_config cfg_;
  size_t len_ = 0;
  void* mem_ = nullptr;
  edgekit_inventory* inv_ = nullptr;
  std::optional<Inventory> cpp_;
};

TEST(Config, SizesAndDefaults) {
  edgekit_inventory_config c{};
  c.struct_size = sizeof(c);
  const size_t defaults = edgekit_inventory_region_size(&c);
  EXPECT_GT(defaults, 0u);
  EXPECT_EQ(edgekit_inventory_region_size(nullptr), 0u);
  edgekit_inventory_config bad = c;
  bad.struct_size = 0;
  EXPECT_EQ(edgekit_inventory_region_size(&bad), 0u);
  bad = c;
  bad.max_holds = 1u << 20;  // one past the limit
  EXPECT_EQ(edgekit_inventory_region_size(&bad), 0u);
  bad = c;
  bad.max_sku_len = 256;
  EXPECT_EQ(edgekit_inventory_region_size(&bad), 0u);
  bad = c;
  bad.default_buyer_limit = 65536;
  EXPECT_EQ(edgekit_inventory_region_size(&bad), 0u);
  // An older caller's shorter struct gets defaults for the missing fields.
  edgekit_inventory_config older = c;
  older.struct_size = offsetof(edgekit_inventory_config, max_holds);
  older.max_holds = 7;  // beyond struct_size: ignored
  EXPECT_EQ(edgekit_inventory_region_size(&older), defaults);
}

TEST(Config, BuyerRecordIs64Bytes) {
  edgekit_inventory_config a = SmallConfig(), b = SmallConfig();
  b.max_buyers = a.max_buyers + 800;  // 1000 more slots at 5/4
  EXPECT_EQ(
      edgekit_inventory_region_size(&b) - edgekit_inventory_region_size(&a),
      1000u * 64);
}

TEST(Format, RefusesBadArguments) {
  edgekit_inventory_config c = SmallConfig();
  const size_t n = edgekit_inventory_region_size(&c);
  std::vector<uint8_t> buf(n + 128);
  uint8_t* aligned = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(buf.data()) + 63) & ~uintptr_t{63});
  edgekit_inventory* inv = reinterpret_cast<edgekit_inventory*>(1);
  EXPECT_EQ(edgekit_inventory_format(&inv, aligned, n - 1, &c),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(edgekit_inventory_format(&inv, aligned + 8, n, &c),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_format(&inv, nullptr, n, &c),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_format(&inv, aligned, n, nullptr),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_format(nullptr, aligned, n, &c),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_format(&inv, aligned, n, &c), EDGEKIT_OK);
  edgekit_inventory_free(inv);
  edgekit_inventory_free(nullptr);
}

TEST(Attach, RefusesEveryWrongRegion) {
  Region r;
  edgekit_inventory* inv = nullptr;
  ASSERT_EQ(edgekit_inventory_attach(&inv, r.mem(), r.len()), EDGEKIT_OK);
  edgekit_inventory_free(inv);
  // Too small: shorter than the header, and shorter than the header says.
  EXPECT_EQ(edgekit_inventory_attach(&inv, r.mem(), 64), EDGEKIT_E_BAD_REGION);
  EXPECT_EQ(edgekit_inventory_attach(&inv, r.mem(), r.len() - 1),
            EDGEKIT_E_BAD_REGION);
  EXPECT_EQ(inv, nullptr);
  EXPECT_EQ(edgekit_inventory_attach(&inv, nullptr, r.len()),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_attach(&inv, r.mem() + 8, r.len() - 8),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_attach(nullptr, r.mem(), r.len()),
            EDGEKIT_E_INVALID_ARGUMENT);
  // Corrupted header: every byte.
  for (size_t i = 0; i < edgekit::region::kHeaderSize; ++i) {
    r.mem()[i] ^= 0x40;
    EXPECT_EQ(edgekit_inventory_attach(&inv, r.mem(), r.len()),
              EDGEKIT_E_BAD_REGION)
        << i;
    r.mem()[i] ^= 0x40;
  }
  // Another layout version, with a valid checksum.
  edgekit::region::Descriptor d = *edgekit::region::ReadHeader(
      r.mem(), r.len(), edgekit::region::kKindInventory,
      edgekit::inventory::kLayoutVersion);
  d.kind_version += 1;
  edgekit::region::WriteHeader(r.mem(), d);
  EXPECT_EQ(edgekit_inventory_attach(&inv, r.mem(), r.len()),
            EDGEKIT_E_BAD_REGION);
  // Valid checksum, but capacities that do not match the size.
  d.kind_version -= 1;
  d.params[2] += 1;
  edgekit::region::WriteHeader(r.mem(), d);
  EXPECT_EQ(edgekit_inventory_attach(&inv, r.mem(), r.len()),
            EDGEKIT_E_BAD_REGION);
  // Zeroed memory.
  std::memset(r.mem(), 0, r.len());
  EXPECT_EQ(edgekit_inventory_attach(&inv, r.mem(), r.len()),
            EDGEKIT_E_BAD_REGION);
}

TEST(Stock, SetAddRemoveAndStats) {
  Region r;
  EXPECT_EQ(r.Set("sku", 10), EDGEKIT_OK);
  auto st = r.Stats("sku");
  EXPECT_EQ(st.available, 10u);
  EXPECT_EQ(st.added, 10u);
  EXPECT_EQ(r.Add("sku", 5), EDGEKIT_OK);
  EXPECT_EQ(r.Add("sku", -3), EDGEKIT_OK);
  EXPECT_EQ(r.Set("sku", 4), EDGEKIT_OK);  // down from 12: 8 removed
  st = r.Stats("sku");
  EXPECT_EQ(st.available, 4u);
  EXPECT_EQ(st.added, 15u);
  EXPECT_EQ(st.removed, 11u);
  EXPECT_EQ(r.Set("sku", 4), EDGEKIT_OK);  // no change
  EXPECT_EQ(r.Add("sku", 0), EDGEKIT_OK);
  EXPECT_EQ(r.Stats("sku").added, 15u);
  r.ExpectConserved("sku");
}

TEST(Stock, RangeErrorsChangeNothing) {
  Region r;
  ASSERT_EQ(r.Set("sku", 3), EDGEKIT_OK);
  EXPECT_EQ(r.Add("sku", -4), EDGEKIT_E_STOCK_RANGE);
  EXPECT_EQ(r.Set("sku", uint64_t{1} << 32), EDGEKIT_E_STOCK_RANGE);
  EXPECT_EQ(r.Add("sku", int64_t{1} << 32), EDGEKIT_E_STOCK_RANGE);
  EXPECT_EQ(r.Add("sku", INT64_MIN), EDGEKIT_E_STOCK_RANGE);
  EXPECT_EQ(r.Add("sku", 0xffffffffll - 2),
            EDGEKIT_E_STOCK_RANGE);         // available > 2^32-1
  EXPECT_EQ(r.Add("sku", -3), EDGEKIT_OK);  // exactly to zero
  EXPECT_EQ(r.Stats("sku").available, 0u);
  EXPECT_EQ(r.Add("sku", 0xffffffffll - 3),
            EDGEKIT_OK);  // added hits 2^32-1 exactly
  EXPECT_EQ(r.Add("sku", 1), EDGEKIT_E_STOCK_RANGE);  // added would overflow
  const auto st = r.Stats("sku");
  EXPECT_EQ(st.added, 0xffffffffu);
  EXPECT_EQ(st.available, 0xffffffffu - 3);
  r.ExpectConserved("sku");
}

TEST(Stock, BadIdsAndUnknownSku) {
  Region r;
  edgekit_stock_stats st;
  EXPECT_EQ(edgekit_inventory_stats(r.inv(), &st, "nope", 4),
            EDGEKIT_E_UNKNOWN_SKU);
  EXPECT_EQ(edgekit_inventory_set_stock(r.inv(), nullptr, 3, 1),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_set_stock(r.inv(), "", 0, 1),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(r.Set(std::string(48, 's'), 1), EDGEKIT_OK);
  EXPECT_EQ(r.Set(std::string(49, 's'), 1), EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_set_stock(nullptr, "a", 1, 1),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_stats(r.inv(), nullptr, "a", 1),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_set_buyer_limit(r.inv(), "nope", 4, 2),
            EDGEKIT_E_UNKNOWN_SKU);
  EXPECT_EQ(edgekit_inventory_set_buyer_limit(
                r.inv(), std::string(48, 's').data(), 48, 65536),
            EDGEKIT_E_INVALID_ARGUMENT);
  // SKU ids are bytes, not C strings.
  EXPECT_EQ(edgekit_inventory_set_stock(r.inv(), "a\0b", 3, 7), EDGEKIT_OK);
  EXPECT_EQ(edgekit_inventory_stats(r.inv(), &st, "a", 1),
            EDGEKIT_E_UNKNOWN_SKU);
  EXPECT_EQ(edgekit_inventory_stats(r.inv(), &st, "a\0b", 3), EDGEKIT_OK);
  EXPECT_EQ(st.available, 7u);
}

TEST(Stock, SkuTableFull) {
  Region r;  // 16 SKUs guaranteed; the table holds 20 slots
  int ok = 0;
  for (int i = 0; i < 40; ++i) {
    const auto s = r.Set("sku" + std::to_string(i), 1);
    if (s == EDGEKIT_OK) {
      ++ok;
    } else {
      EXPECT_EQ(s, EDGEKIT_E_NO_SPACE);
    }
  }
  EXPECT_GE(ok, 16);
  EXPECT_LE(ok, 20);
}

TEST(Acquire, HoldConfirmSells) {
  Region r;
  ASSERT_EQ(r.Set("sku", 2), EDGEKIT_OK);
  uint64_t h = 0;
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h), EDGEKIT_OK);
  EXPECT_NE(h, 0u);
  auto st = r.Stats("sku");
  EXPECT_EQ(st.available, 1u);
  EXPECT_EQ(st.held, 1u);
  r.ExpectConserved("sku");
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow + 999), EDGEKIT_OK);
  st = r.Stats("sku");
  EXPECT_EQ(st.held, 0u);
  EXPECT_EQ(st.sold, 1u);
  EXPECT_EQ(r.cpp().BuyerUnits("sku", "alice"), 1u);
  // Confirming or cancelling again: no longer a live hold.
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow),
            EDGEKIT_E_UNKNOWN_HOLD);
  EXPECT_EQ(edgekit_inventory_cancel(r.inv(), h), EDGEKIT_E_UNKNOWN_HOLD);
  r.ExpectConserved("sku");
}

TEST(Acquire, OnePerBuyerByDefault) {
  Region r;
  ASSERT_EQ(r.Set("sku", 5), EDGEKIT_OK);
  uint64_t h1, h2;
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h1), EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("sku", "alice", 1, &h2), EDGEKIT_E_BUYER_LIMIT);
  EXPECT_EQ(h2, 0u);
  ASSERT_EQ(edgekit_inventory_confirm(r.inv(), h1, kNow), EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("sku", "alice", 1, &h2),
            EDGEKIT_E_BUYER_LIMIT);  // bought counts
  EXPECT_EQ(r.Acquire("sku", "bob", 1, &h2), EDGEKIT_OK);
  ASSERT_EQ(r.Set("other", 5), EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("other", "alice", 1, &h2), EDGEKIT_OK);  // per SKU
  EXPECT_EQ(r.Acquire("sku", "alice", 2, &h2),
            EDGEKIT_E_BUYER_LIMIT);  // qty > limit
  r.ExpectConserved("sku");
  r.ExpectConserved("other");
}

TEST(Acquire, PerSkuLimitAndQuantities) {
  Region r;
  ASSERT_EQ(r.Set("sku", 10), EDGEKIT_OK);
  ASSERT_EQ(edgekit_inventory_set_buyer_limit(r.inv(), "sku", 3, 3),
            EDGEKIT_OK);
  uint64_t h1, h2, h3;
  ASSERT_EQ(r.Acquire("sku", "alice", 2, &h1), EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("sku", "alice", 2, &h2), EDGEKIT_E_BUYER_LIMIT);
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h2),
            EDGEKIT_OK);  // exactly the limit
  EXPECT_EQ(r.cpp().BuyerUnits("sku", "alice"), 3u);
  ASSERT_EQ(edgekit_inventory_cancel(r.inv(), h1), EDGEKIT_OK);  // gives 2 back
  EXPECT_EQ(r.cpp().BuyerUnits("sku", "alice"), 1u);
  ASSERT_EQ(r.Acquire("sku", "alice", 2, &h3), EDGEKIT_OK);
  EXPECT_EQ(r.Stats("sku").available, 7u);
  // Back to the region default of 1: nobody loses what they hold.
  ASSERT_EQ(edgekit_inventory_set_buyer_limit(r.inv(), "sku", 3, 0),
            EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("sku", "alice", 1, &h1), EDGEKIT_E_BUYER_LIMIT);
  EXPECT_EQ(r.Acquire("sku", "carol", 1, &h1), EDGEKIT_OK);
  r.ExpectConserved("sku");
}

TEST(Acquire, SoldOutBoundaries) {
  Region r;
  ASSERT_EQ(r.Set("zero", 0), EDGEKIT_OK);
  uint64_t h;
  EXPECT_EQ(r.Acquire("zero", "alice", 1, &h), EDGEKIT_E_SOLD_OUT);
  ASSERT_EQ(r.Set("two", 2), EDGEKIT_OK);
  ASSERT_EQ(edgekit_inventory_set_buyer_limit(r.inv(), "two", 3, 5),
            EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("two", "alice", 3, &h),
            EDGEKIT_E_SOLD_OUT);                            // qty > stock
  EXPECT_EQ(r.cpp().BuyerUnits("two", "alice"), 0u);        // nothing counted
  EXPECT_EQ(r.Acquire("two", "alice", 2, &h), EDGEKIT_OK);  // qty == stock
  EXPECT_EQ(r.Acquire("two", "bob", 1, &h), EDGEKIT_E_SOLD_OUT);
  r.ExpectConserved("zero");
  r.ExpectConserved("two");
}

// Acquire remembers, per thread, the slot of the last SKU it looked up. The
// memo must follow the SKU, never the slot: SKUs alternating, and regions
// formatted again at the same address with other SKUs in the slots.
TEST(Acquire, SkuMemoFollowsTheSkuNotTheSlot) {
  Region r;
  ASSERT_EQ(r.Set("a", 5), EDGEKIT_OK);
  ASSERT_EQ(r.Set("b", 7), EDGEKIT_OK);
  uint64_t h;
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(r.Acquire("a", "buyer" + std::to_string(i), 1, &h), EDGEKIT_OK);
    ASSERT_EQ(r.Acquire("b", "buyer" + std::to_string(i), 1, &h), EDGEKIT_OK);
  }
  EXPECT_EQ(r.Stats("a").available, 1u);
  EXPECT_EQ(r.Stats("b").available, 3u);
  // Formatted again in place: "a" is gone, its old slot empty.
  edgekit_inventory_config cfg = SmallConfig();
  edgekit_inventory* again = nullptr;
  ASSERT_EQ(edgekit_inventory_format(&again, r.mem(), r.len(), &cfg),
            EDGEKIT_OK);
  ASSERT_EQ(r.Set("b", 2), EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("a", "x", 1, &h), EDGEKIT_E_UNKNOWN_SKU);
  EXPECT_EQ(r.Acquire("b", "x", 1, &h), EDGEKIT_OK);
  // Formatted again with another seed: "a" comes back in another slot.
  cfg.hash_seed = 0x9e3779b97f4a7c15;
  edgekit_inventory_free(again);
  ASSERT_EQ(edgekit_inventory_format(&again, r.mem(), r.len(), &cfg),
            EDGEKIT_OK);
  for (const char* sku : {"c", "d", "e", "a"}) {
    ASSERT_EQ(edgekit_inventory_set_stock(again, sku, 1, 3), EDGEKIT_OK);
  }
  auto acquire = [&](const char* sku) {
    return edgekit_inventory_acquire(again, &h, sku, 1, "y", 1, 1, kNow, 1000);
  };
  EXPECT_EQ(acquire("a"), EDGEKIT_OK);
  EXPECT_EQ(acquire("c"), EDGEKIT_OK);
  EXPECT_EQ(acquire("a"), EDGEKIT_E_BUYER_LIMIT);
  EXPECT_EQ(acquire("d"), EDGEKIT_OK);
  EXPECT_EQ(acquire("e"), EDGEKIT_OK);
  for (const char* sku : {"a", "c", "d", "e"}) {
    edgekit_stock_stats st{};
    ASSERT_EQ(edgekit_inventory_stats(again, &st, sku, 1), EDGEKIT_OK);
    EXPECT_EQ(st.available, 2u) << sku;
    EXPECT_EQ(st.held, 1u) << sku;
  }
  edgekit_inventory_free(again);
}

TEST(Acquire, InvalidArguments) {
  Region r;
  ASSERT_EQ(r.Set("sku", 5), EDGEKIT_OK);
  uint64_t h = 7;
  EXPECT_EQ(r.Acquire("sku", "alice", 0, &h), EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(h, 0u);
  EXPECT_EQ(r.Acquire("sku", "alice", 1, &h, kNow, 0),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(r.Acquire("sku", "", 1, &h), EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(r.Acquire("sku", std::string(41, 'b'), 1, &h),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(r.Acquire("sku", std::string(40, 'b'), 1, &h), EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("", "alice", 1, &h), EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(r.Acquire("missing", "alice", 1, &h), EDGEKIT_E_UNKNOWN_SKU);
  EXPECT_EQ(
      edgekit_inventory_acquire(r.inv(), nullptr, "sku", 3, "a", 1, 1, kNow, 1),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_acquire(r.inv(), &h, "sku", 3, nullptr, 1, 1, kNow, 1),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_acquire(nullptr, &h, "sku", 3, "a", 1, 1, kNow, 1),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_confirm(nullptr, 1, kNow),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_cancel(nullptr, 1), EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_expire(nullptr, nullptr, kNow),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_census(r.inv(), nullptr),
            EDGEKIT_E_INVALID_ARGUMENT);
  r.ExpectConserved("sku");
}

TEST(Acquire, PrefetchIsOnlyAHint) {
  Region r;
  ASSERT_EQ(r.Set("sku", 5), EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h), EDGEKIT_OK);
  const std::vector<uint8_t> before(r.mem(), r.mem() + r.len());
  auto prefetch = [&](edgekit_inventory* inv, const std::string& sku,
                      const std::string& buyer) {
    edgekit_inventory_prefetch(inv, sku.data(), sku.size(), buyer.data(),
                               buyer.size());
  };
  prefetch(r.inv(), "sku", "alice");                // a known buyer
  prefetch(r.inv(), "sku", "bob");                  // not in the table yet
  prefetch(r.inv(), "sku", std::string(41, 'b'));   // over max_buyer_len
  prefetch(r.inv(), "sku", std::string(300, 'b'));  // over any limit
  prefetch(r.inv(), "sku", "");
  prefetch(r.inv(), "missing", "alice");
  prefetch(r.inv(), std::string(49, 's'), "alice");  // over max_sku_len
  prefetch(r.inv(), "", "alice");
  prefetch(nullptr, "sku", "alice");
  edgekit_inventory_prefetch(r.inv(), nullptr, 3, "alice", 5);
  edgekit_inventory_prefetch(r.inv(), "sku", 3, nullptr, 5);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), r.mem()));
  // The acquires it announced answer as they would have without it.
  EXPECT_EQ(r.Acquire("sku", "bob", 1, &h), EDGEKIT_OK);
  EXPECT_EQ(r.Acquire("sku", "alice", 1, &h), EDGEKIT_E_BUYER_LIMIT);
  EXPECT_EQ(r.Stats("sku").held, 2u);
  r.ExpectConserved("sku");
}

// Buyer records are keyed by (SKU slot, id) in a 4 + 255-byte buffer on the
// stack: ids of the largest allowed length must fit it exactly, under ASan
// too, in every call that builds the key.
TEST(Acquire, LongestBuyerIdsFitTheirKey) {
  edgekit_inventory_config c = SmallConfig();
  c.max_sku_len = 255;
  c.max_buyer_len = 255;
  Region r(c);
  const std::string sku(255, 's'), buyer(255, 'b');
  ASSERT_EQ(r.Set(sku, 5), EDGEKIT_OK);
  edgekit_inventory_prefetch(r.inv(), sku.data(), sku.size(), buyer.data(),
                             buyer.size());
  uint64_t h;
  EXPECT_EQ(r.Acquire(sku, buyer, 1, &h), EDGEKIT_OK);
  EXPECT_EQ(r.cpp().BuyerUnits(sku, buyer), 1u);
  EXPECT_EQ(r.Acquire(sku, buyer + "b", 1, &h), EDGEKIT_E_INVALID_ARGUMENT);
  // An id differing only in its last byte is another buyer.
  const std::string other = std::string(254, 'b') + "c";
  EXPECT_EQ(r.cpp().BuyerUnits(sku, other), 0u);
  EXPECT_EQ(r.Acquire(sku, other, 1, &h), EDGEKIT_OK);
  EXPECT_EQ(r.Stats(sku).held, 2u);
  r.ExpectConserved(sku);
}

TEST(Acquire, NoSpaceRefusesAndEvictsNothing) {
  edgekit_inventory_config c = SmallConfig();
  c.max_holds = 3;
  Region r(c);
  ASSERT_EQ(r.Set("sku", 100), EDGEKIT_OK);
  std::vector<uint64_t> holds;
  edgekit_status s;
  for (int i = 0;; ++i) {
    uint64_t h;
    s = r.Acquire("sku", "b" + std::to_string(i), 1, &h);
    if (s != EDGEKIT_OK) break;
    holds.push_back(h);
  }
  EXPECT_EQ(s, EDGEKIT_E_NO_SPACE);
  EXPECT_EQ(holds.size(), 3u);
  EXPECT_EQ(r.Set("sku", 50),
            EDGEKIT_E_NO_SPACE);  // stock changes need a record too
  for (uint64_t h : holds)
    EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow), EDGEKIT_OK);
  EXPECT_EQ(r.Stats("sku").sold, 3u);
  r.ExpectConserved("sku");

  // A full buyer table refuses new buyers but serves known ones.
  edgekit_inventory_config c2 = SmallConfig();
  c2.max_buyers = 4;  // 5 slots
  Region r2(c2);
  ASSERT_EQ(r2.Set("sku", 100), EDGEKIT_OK);
  ASSERT_EQ(edgekit_inventory_set_buyer_limit(r2.inv(), "sku", 3, 100),
            EDGEKIT_OK);
  int admitted = 0;
  for (int i = 0; i < 10; ++i) {
    uint64_t h;
    s = r2.Acquire("sku", "b" + std::to_string(i), 1, &h);
    if (s == EDGEKIT_OK) {
      ++admitted;
    } else {
      EXPECT_EQ(s, EDGEKIT_E_NO_SPACE);
    }
  }
  EXPECT_EQ(admitted, 5);
  uint64_t h;
  EXPECT_EQ(r2.Acquire("sku", "b0", 1, &h), EDGEKIT_OK);
  r2.ExpectConserved("sku");
}

TEST(Holds, TtlBoundaries) {
  Region r;
  ASSERT_EQ(r.Set("sku", 3), EDGEKIT_OK);
  uint64_t h1, h2;
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h1, kNow, 100), EDGEKIT_OK);
  ASSERT_EQ(r.Acquire("sku", "bob", 1, &h2, kNow, 100), EDGEKIT_OK);
  uint64_t returned = 99;
  // One millisecond before the expiry nothing expires.
  ASSERT_EQ(edgekit_inventory_expire(r.inv(), &returned, kNow + 99),
            EDGEKIT_OK);
  EXPECT_EQ(returned, 0u);
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h1, kNow + 99), EDGEKIT_OK);
  // At exactly now + ttl the hold is expired: confirm returns the units.
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h2, kNow + 100),
            EDGEKIT_E_HOLD_EXPIRED);
  auto st = r.Stats("sku");
  EXPECT_EQ(st.available, 2u);
  EXPECT_EQ(st.sold, 1u);
  EXPECT_EQ(r.cpp().BuyerUnits("sku", "bob"), 0u);
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h2, kNow),
            EDGEKIT_E_HOLD_EXPIRED);
  EXPECT_EQ(edgekit_inventory_cancel(r.inv(), h2), EDGEKIT_E_HOLD_EXPIRED);
  r.ExpectConserved("sku");
}

TEST(Holds, ExpireReturnsUnitsOnceAndIsIdempotent) {
  Region r;
  ASSERT_EQ(r.Set("sku", 10), EDGEKIT_OK);
  ASSERT_EQ(edgekit_inventory_set_buyer_limit(r.inv(), "sku", 3, 4),
            EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(r.Acquire("sku", "alice", 4, &h, kNow, 50), EDGEKIT_OK);
  ASSERT_EQ(r.Acquire("sku", "bob", 2, &h, kNow, 500), EDGEKIT_OK);
  uint64_t returned = 0;
  ASSERT_EQ(edgekit_inventory_expire(r.inv(), &returned, kNow + 50),
            EDGEKIT_OK);
  EXPECT_EQ(returned, 4u);
  ASSERT_EQ(edgekit_inventory_expire(r.inv(), &returned, kNow + 50),
            EDGEKIT_OK);
  EXPECT_EQ(returned, 0u);
  EXPECT_EQ(edgekit_inventory_expire(r.inv(), nullptr, kNow + 60), EDGEKIT_OK);
  auto st = r.Stats("sku");
  EXPECT_EQ(st.available, 8u);
  EXPECT_EQ(st.held, 2u);
  EXPECT_EQ(r.cpp().BuyerUnits("sku", "alice"), 0u);
  ASSERT_EQ(edgekit_inventory_expire(r.inv(), &returned, UINT64_MAX),
            EDGEKIT_OK);
  EXPECT_EQ(returned, 2u);
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow),
            EDGEKIT_E_HOLD_EXPIRED);
  r.ExpectConserved("sku");
}

// A TTL of up to a year is legal and its hold lasts exactly that long; a
// longer one (and a clock past year 2286) is refused, so no expiry can ever
// read as the records' "never" value.
TEST(Holds, TtlIsCappedAtAYear) {
  constexpr uint64_t kYearMs = 31'536'000'000;
  Region r;
  ASSERT_EQ(r.Set("sku", 1), EDGEKIT_OK);
  uint64_t h = 1;
  for (uint64_t ttl : {kYearMs + 1, uint64_t{1} << 44, UINT64_MAX}) {
    EXPECT_EQ(r.Acquire("sku", "alice", 1, &h, kNow, ttl),
              EDGEKIT_E_INVALID_ARGUMENT)
        << ttl;
    EXPECT_EQ(h, 0u);
  }
  EXPECT_EQ(r.Acquire("sku", "alice", 1, &h, 10'000'000'000'001, 1000),
            EDGEKIT_E_INVALID_ARGUMENT);
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h, kNow, kYearMs), EDGEKIT_OK);
  uint64_t returned = 1;
  ASSERT_EQ(edgekit_inventory_expire(r.inv(), &returned, kNow + kYearMs - 1),
            EDGEKIT_OK);
  EXPECT_EQ(returned, 0u);
  ASSERT_EQ(edgekit_inventory_expire(r.inv(), &returned, kNow + kYearMs),
            EDGEKIT_OK);
  EXPECT_EQ(returned, 1u);
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow),
            EDGEKIT_E_HOLD_EXPIRED);
  // The largest legal expiry, at the largest legal clock.
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h, 10'000'000'000'000, kYearMs),
            EDGEKIT_OK);
  ASSERT_EQ(edgekit_inventory_expire(r.inv(), &returned,
                                     10'000'000'000'000 + kYearMs),
            EDGEKIT_OK);
  EXPECT_EQ(returned, 1u);
  r.ExpectConserved("sku");
}

// A thread claims hold records in turn: each next claim is the record after
// its last (cheap to fetch; the one it comes back to last was freed longest
// ago). A forked child, which inherits the parent's place, starts afresh
// elsewhere: two workers starting at one record would walk in lockstep,
// each finding the record the other just claimed.
TEST(Holds, RecordsAreClaimedInTurnAndAForkStartsElsewhere) {
  edgekit_inventory_config cfg = SmallConfig();
  cfg.max_holds = (1u << 20) - 1;  // a child's start repeats with p ~ 1e-6
  Region r(cfg);
  ASSERT_EQ(r.Set("sku", 100), EDGEKIT_OK);  // under the lane refill floor
  auto index = [](uint64_t hold) { return (hold & 0xfffff) - 1; };
  uint64_t first, h;
  ASSERT_EQ(r.Acquire("sku", "b0", 1, &first), EDGEKIT_OK);
  uint64_t last = first;
  for (int i = 1; i < 8; ++i) {
    ASSERT_EQ(r.Acquire("sku", "b" + std::to_string(i), 1, &h), EDGEKIT_OK);
    EXPECT_EQ(index(h), (index(last) + 1) % cfg.max_holds);
    last = h;
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    uint64_t child = 0;
    (void)r.Acquire("sku", "child", 1, &child);
    _exit(write(fds[1], &child, sizeof(child)) == sizeof(child) ? 0 : 1);
  }
  uint64_t child = 0;
  ASSERT_EQ(read(fds[0], &child, sizeof(child)), ssize_t{sizeof(child)});
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  close(fds[0]);
  close(fds[1]);
  ASSERT_NE(child, 0u);
  EXPECT_NE(index(child), (index(last) + 1) % cfg.max_holds);
  // The parent goes on in turn.
  ASSERT_EQ(r.Acquire("sku", "b8", 1, &h), EDGEKIT_OK);
  EXPECT_EQ(index(h), (index(last) + 1) % cfg.max_holds);
  r.ExpectConserved("sku");
}

// With one record, a stock change's record ends where a returned hold's
// would (free, four generations on): an id forged for generation 0 reads
// as unknown, not expired; a hold really returned there still reads expired.
TEST(Holds, AStockChangesRecordIsNotAReturnedHold) {
  edgekit_inventory_config cfg = SmallConfig();
  cfg.max_holds = 1;
  Region r(cfg);
  ASSERT_EQ(r.Set("sku", 5), EDGEKIT_OK);  // record 0, generations 1 to 4
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), 1, kNow),
            EDGEKIT_E_UNKNOWN_HOLD);
  EXPECT_EQ(edgekit_inventory_cancel(r.inv(), 1), EDGEKIT_E_UNKNOWN_HOLD);
  uint64_t h;
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h), EDGEKIT_OK);
  ASSERT_EQ(edgekit_inventory_cancel(r.inv(), h), EDGEKIT_OK);
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow),
            EDGEKIT_E_HOLD_EXPIRED);
  r.ExpectConserved("sku");
}

TEST(Holds, ForgedAndStaleIdsAreUnknown) {
  Region r;
  ASSERT_EQ(r.Set("sku", 5), EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h), EDGEKIT_OK);
  for (uint64_t forged : {uint64_t{0}, uint64_t{1}, h + (uint64_t{1} << 20),
                          h - (uint64_t{1} << 20),
                          (h & ~uint64_t{0xfffff}) | 0xfffff, UINT64_MAX}) {
    EXPECT_EQ(edgekit_inventory_confirm(r.inv(), forged, kNow),
              EDGEKIT_E_UNKNOWN_HOLD)
        << forged;
    EXPECT_EQ(edgekit_inventory_cancel(r.inv(), forged),
              EDGEKIT_E_UNKNOWN_HOLD);
  }
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow), EDGEKIT_OK);
  // The record is reused by the next acquire; the old id stays dead.
  for (int i = 0; i < 64; ++i) {
    uint64_t h2;
    ASSERT_EQ(r.Acquire("sku", "x" + std::to_string(i % 4), 1, &h2),
              i < 4 ? EDGEKIT_OK : EDGEKIT_E_SOLD_OUT);
    if (i < 4) {
      ASSERT_EQ(edgekit_inventory_cancel(r.inv(), h2), EDGEKIT_OK);
    }
    if (i == 3) {
      ASSERT_EQ(r.Set("sku", 0), EDGEKIT_OK);
    }
  }
  EXPECT_EQ(edgekit_inventory_confirm(r.inv(), h, kNow),
            EDGEKIT_E_UNKNOWN_HOLD);
  r.ExpectConserved("sku");
}

TEST(Holds, SetStockDoesNotTouchHeldUnits) {
  Region r;
  ASSERT_EQ(r.Set("sku", 5), EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(r.Acquire("sku", "alice", 1, &h), EDGEKIT_OK);
  ASSERT_EQ(r.Set("sku", 0), EDGEKIT_OK);
  auto st = r.Stats("sku");
  EXPECT_EQ(st.held, 1u);
  EXPECT_EQ(st.removed, 4u);
  ASSERT_EQ(edgekit_inventory_cancel(r.inv(), h), EDGEKIT_OK);
  EXPECT_EQ(r.Stats("sku").available, 1u);
  r.ExpectConserved("sku");
}

TEST(RateLimit, GcraAdmitsBurstThenPaces) {
  Region r;
  uint64_t retry = 0;
  auto check = [&](uint64_t now, uint32_t cost = 1) {
    return edgekit_inventory_rate_check(r.inv(), &retry, "ip:1", 4, 10, 3, cost,
                                        now);
  };
  // 10/s with a burst of 3: three at once, then one every 100 ms.
  EXPECT_EQ(check(kNow), EDGEKIT_OK);
  EXPECT_EQ(check(kNow), EDGEKIT_OK);
  EXPECT_EQ(check(kNow), EDGEKIT_OK);
  EXPECT_EQ(check(kNow), EDGEKIT_E_RATE_LIMITED);
  EXPECT_EQ(retry, 100u);
  EXPECT_EQ(check(kNow + 99), EDGEKIT_E_RATE_LIMITED);
  EXPECT_EQ(retry, 1u);
  EXPECT_EQ(check(kNow + 100), EDGEKIT_OK);
  EXPECT_EQ(check(kNow + 100), EDGEKIT_E_RATE_LIMITED);
  // Cost 2 needs two intervals of room.
  EXPECT_EQ(check(kNow + 250, 2), EDGEKIT_E_RATE_LIMITED);
  EXPECT_EQ(retry, 50u);
  EXPECT_EQ(check(kNow + 300, 2), EDGEKIT_OK);
  // Idle keys regain the full burst, no more.
  EXPECT_EQ(check(kNow + 60'000, 3), EDGEKIT_OK);
  EXPECT_EQ(check(kNow + 60'000), EDGEKIT_E_RATE_LIMITED);
  // Keys are independent.
  EXPECT_EQ(
      edgekit_inventory_rate_check(r.inv(), &retry, "ip:2", 4, 10, 3, 1, kNow),
      EDGEKIT_OK);
}

TEST(RateLimit, InvalidArgumentsAndFullTable) {
  edgekit_inventory_config c = SmallConfig();
  c.max_rate_keys = 2;  // 3 slots
  Region r(c);
  uint64_t retry;
  EXPECT_EQ(
      edgekit_inventory_rate_check(r.inv(), &retry, "k", 1, 0, 1, 1, kNow),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_rate_check(r.inv(), &retry, "k", 1, 1, 0, 1, kNow),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_rate_check(r.inv(), &retry, "k", 1, 1, 1, 0, kNow),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_rate_check(r.inv(), &retry, "k", 1, 1, 1, 2, kNow),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_rate_check(r.inv(), &retry, "", 0, 1, 1, 1, kNow),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_rate_check(r.inv(), &retry, std::string(65, 'k').data(),
                                   65, 1, 1, 1, kNow),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_rate_check(r.inv(), &retry, "k", 1, 1, 1, 1,
                                         UINT64_MAX),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(edgekit_inventory_rate_check(r.inv(), nullptr, "k", 1, 1000000000,
                                         1, 1, kNow),
            EDGEKIT_OK);
  int admitted = 0;
  for (int i = 0; i < 6; ++i) {
    const auto s = edgekit_inventory_rate_check(
        r.inv(), nullptr, std::to_string(i).data(), 1, 1, 1, 1, kNow);
    if (s == EDGEKIT_OK) {
      ++admitted;
    } else {
      EXPECT_EQ(s, EDGEKIT_E_NO_SPACE);
    }
  }
  EXPECT_EQ(admitted, 2);  // "k" holds the third slot
}

TEST(Status, InventoryNamesAreStable) {
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_SOLD_OUT), "sold_out");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_BUYER_LIMIT), "buyer_limit");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_NO_SPACE), "no_space");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_BAD_REGION), "bad_region");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_UNKNOWN_SKU), "unknown_sku");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_UNKNOWN_HOLD), "unknown_hold");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_HOLD_EXPIRED), "hold_expired");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_RATE_LIMITED), "rate_limited");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_STOCK_RANGE), "stock_range");
  EXPECT_EQ(EDGEKIT_E_SOLD_OUT, 300);
  EXPECT_EQ(EDGEKIT_E_STOCK_RANGE, 308);
}

}  // namespace
