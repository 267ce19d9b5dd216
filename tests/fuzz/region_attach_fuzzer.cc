// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Attach must refuse any memory that is not a region, and operations on a
// region whose body was scribbled on must stay inside it. Two shapes of
// input:
//   raw: the bytes are the region, as-is (exercises the header checks) —
//        inputs that start with the region magic, or with an even byte;
//   structured: otherwise bytes 1..6 choose small capacities, a valid
//        region is formatted,
//         and the rest of the input is XORed over its body after the
//         header, so attach succeeds and every operation meets hostile
//         indexes, lengths, stamps and states.
// The buffer is exactly the region's size, so ASan flags any access beyond.

#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include "inventory/inventory.h"

namespace {

using edgekit::inventory::Config;
using edgekit::inventory::Inventory;

struct Buffer {
  explicit Buffer(size_t n)
      : size(n),
        p(static_cast<uint8_t*>(::operator new (n, std::align_val_t{64}))) {}
  ~Buffer() { ::operator delete (p, std::align_val_t{64}); }
  size_t size;
  uint8_t* p;
};

void Exercise(Inventory inv, const uint8_t* data, size_t size) {
  const uint64_t now = 1'700'000'000'000 + (size > 0 ? data[0] : 0);
  std::string sku = "sku-" + std::to_string(size % 5);
  std::string buyer = "buyer-" + std::to_string(size % 7);
  (void)inv.SetStock(sku, 3);
  // Enough stock, half the time, that acquires refill a lane.
  (void)inv.AddStock(sku, size % 2 == 0 ? 500 : 0);
  (void)inv.AddStock(sku, -1);
  (void)inv.SetBuyerLimit(sku, 2);
  uint64_t hold = 0;
  (void)inv.Acquire(sku, buyer, 1, now, 10, &hold);
  (void)inv.Confirm(hold, now);
  (void)inv.Acquire(sku, buyer + "x", 1, now, 10, &hold);
  (void)inv.Cancel(hold);
  (void)inv.Acquire(sku, buyer + "y", 1, now, 10, &hold);
  // Hold ids straight from the input, as a forged id would arrive.
  for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
    uint64_t forged;
    std::memcpy(&forged, data + i, 8);
    (void)inv.Confirm(forged, now);
    (void)inv.Cancel(forged);
  }
  (void)inv.AddStock(sku, -400);  // may gather the lanes back
  (void)inv.Expire(now + 100);
  (void)inv.Expire(UINT64_MAX);
  (void)inv.LaneUnits(sku);
  uint64_t retry;
  (void)inv.RateCheck(buyer, 10, 2, 1, now, &retry);
  edgekit_stock_stats st;
  (void)inv.Stats(sku, &st);
  (void)inv.Census();
  (void)inv.BuyerUnits(sku, buyer);
  (void)inv.HeldUnitsByScan(sku);
  size_t seen = 0;
  inv.ForEachSku([&](std::string_view s, const edgekit_stock_stats&) {
    seen += s.size();
  });
  inv.ForEachBuyer([&](std::string_view s, std::string_view b, uint32_t) {
    seen += s.size() + b.size();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint64_t magic = 0;
  if (size >= 8) std::memcpy(&magic, data, 8);
  if (magic == edgekit::region::kMagic || (data[0] & 1) == 0) {
    Buffer mem(size);
    std::memcpy(mem.p, data, size);
    auto inv = Inventory::Attach(mem.p, mem.size);
    if (inv.ok()) Exercise(*inv, data, size);
    return 0;
  }
  if (size < 7) return 0;
  Config cfg;
  cfg.max_skus = 1 + data[1] % 8;
  cfg.max_buyers = 1 + data[2] % 32;
  cfg.max_holds = 1 + data[3] % 16;
  cfg.max_rate_keys = 1 + data[4] % 8;
  cfg.max_sku_len = 8 + data[5] % 40;
  cfg.max_buyer_len = 8 + data[6] % 40;
  const size_t len = *Inventory::RegionSize(cfg);
  Buffer mem(len);
  if (!Inventory::Format(mem.p, mem.size, cfg).ok()) __builtin_trap();
  const size_t body = len - edgekit::region::kHeaderSize;
  for (size_t i = 7; i < size; ++i) {
    mem.p[edgekit::region::kHeaderSize + (i - 7) % body] ^= data[i];
  }
  auto inv = Inventory::Attach(mem.p, mem.size);
  if (!inv.ok()) __builtin_trap();  // the header was not touched
  Exercise(*inv, data, size);
  return 0;
}
