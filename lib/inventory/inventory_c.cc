// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The C ABI of inventory: checks pointers, converts types, nothing else.
// Request paths cannot throw; the setup paths build absl::Status messages,
// whose only possible exception (bad_alloc) becomes EDGEKIT_E_NO_MEMORY.

#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>

#include "edgekit/inventory.h"
#include "inventory/inventory.h"
#include "inventory/ticket.h"
#include "token/handles.h"

struct edgekit_inventory {
  edgekit::inventory::Inventory inv;
};

namespace {

using edgekit::inventory::Inventory;

// Strings may be NULL only when empty.
bool Bytes(const char* p, size_t len, std::string_view* out) {
  if (p == nullptr && len != 0) return false;
  *out = std::string_view(p == nullptr ? "" : p, len);
  return true;
}

edgekit_status Wrap(absl::StatusOr<Inventory> inv, edgekit_inventory** out) {
  if (!inv.ok()) {
    return inv.status().code() == absl::StatusCode::kFailedPrecondition
               ? EDGEKIT_E_BAD_REGION
               : EDGEKIT_E_INVALID_ARGUMENT;
  }
  *out = new (std::nothrow) edgekit_inventory{*inv};
  return *out == nullptr ? EDGEKIT_E_NO_MEMORY : EDGEKIT_OK;
}

}  // namespace

extern "C" {

size_t edgekit_inventory_region_size(const edgekit_inventory_config* config) {
  if (config == nullptr) return 0;
  try {
    auto c = edgekit::inventory::FromC(config);
    if (!c.ok()) return 0;
    auto size = Inventory::RegionSize(*c);
    return size.ok() ? *size : 0;
  } catch (const std::bad_alloc&) {
    return 0;
  }
}

edgekit_status edgekit_inventory_format(
    edgekit_inventory** out, void* mem, size_t len,
    const edgekit_inventory_config* config) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (config == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  try {
    auto c = edgekit::inventory::FromC(config);
    if (!c.ok()) return EDGEKIT_E_INVALID_ARGUMENT;
    auto inv = Inventory::Format(mem, len, *c);
    if (!inv.ok()) return EDGEKIT_E_INVALID_ARGUMENT;
    return Wrap(std::move(inv), out);
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

edgekit_status edgekit_inventory_attach(edgekit_inventory** out, void* mem,
                                        size_t len) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  try {
    return Wrap(Inventory::Attach(mem, len), out);
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

void edgekit_inventory_free(edgekit_inventory* inv) { delete inv; }

edgekit_status edgekit_inventory_set_stock(edgekit_inventory* inv,
                                           const char* sku, size_t sku_len,
                                           uint64_t available) {
  std::string_view s;
  if (inv == nullptr || !Bytes(sku, sku_len, &s))
    return EDGEKIT_E_INVALID_ARGUMENT;
  return inv->inv.SetStock(s, available);
}

edgekit_status edgekit_inventory_add_stock(edgekit_inventory* inv,
                                           const char* sku, size_t sku_len,
                                           int64_t delta) {
  std::string_view s;
  if (inv == nullptr || !Bytes(sku, sku_len, &s))
    return EDGEKIT_E_INVALID_ARGUMENT;
  return inv->inv.AddStock(s, delta);
}

edgekit_status edgekit_inventory_set_buyer_limit(edgekit_inventory* inv,
                                                 const char* sku,
                                                 size_t sku_len,
                                                 uint32_t limit) {
  std::string_view s;
  if (inv == nullptr || !Bytes(sku, sku_len, &s))
    return EDGEKIT_E_INVALID_ARGUMENT;
  return inv->inv.SetBuyerLimit(s, limit);
}

edgekit_status edgekit_inventory_stats(edgekit_inventory* inv,
                                       edgekit_stock_stats* out,
                                       const char* sku, size_t sku_len) {
  std::string_view s;
  if (inv == nullptr || out == nullptr || !Bytes(sku, sku_len, &s)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  *out = edgekit_stock_stats{};
  return inv->inv.Stats(s, out);
}

edgekit_status edgekit_inventory_acquire(edgekit_inventory* inv,
                                         uint64_t* out_hold, const char* sku,
                                         size_t sku_len, const char* buyer,
                                         size_t buyer_len, uint32_t qty,
                                         uint64_t now_ms,
                                         uint64_t hold_ttl_ms) {
  if (out_hold != nullptr) *out_hold = 0;
  std::string_view s, b;
  if (inv == nullptr || out_hold == nullptr || !Bytes(sku, sku_len, &s) ||
      !Bytes(buyer, buyer_len, &b)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  return inv->inv.Acquire(s, b, qty, now_ms, hold_ttl_ms, out_hold);
}

void edgekit_inventory_prefetch(edgekit_inventory* inv, const char* sku,
                                size_t sku_len, const char* buyer,
                                size_t buyer_len) {
  std::string_view s, b;
  if (inv == nullptr || !Bytes(sku, sku_len, &s) ||
      !Bytes(buyer, buyer_len, &b)) {
    return;
  }
  inv->inv.Prefetch(s, b);
}

edgekit_status edgekit_inventory_confirm(edgekit_inventory* inv, uint64_t hold,
                                         uint64_t now_ms) {
  if (inv == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  return inv->inv.Confirm(hold, now_ms);
}

edgekit_status edgekit_inventory_confirm_ticket(
    edgekit_inventory* inv, char* out, size_t out_cap, size_t* out_len,
    uint64_t hold, uint64_t now_ms, const edgekit_keyset* keys, const char* alg,
    size_t alg_len, const char* kid, size_t kid_len, uint32_t ticket_ttl_s) {
  if (out_len != nullptr) *out_len = 0;
  std::string_view a, k;
  if (inv == nullptr || out_len == nullptr || keys == nullptr ||
      (out == nullptr && out_cap != 0) || !Bytes(alg, alg_len, &a) ||
      !Bytes(kid, kid_len, &k)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  try {
    std::string ticket;
    const edgekit_status s = edgekit::inventory::ConfirmWithTicket(
        inv->inv, hold, now_ms, *keys->set, a,
        kid_len > 0 ? std::optional<std::string_view>(k) : std::nullopt,
        ticket_ttl_s, out_cap, &ticket);
    if (s == EDGEKIT_OK || s == EDGEKIT_E_BUFFER_TOO_SMALL) {
      *out_len = ticket.size();
    }
    if (s == EDGEKIT_OK) std::memcpy(out, ticket.data(), ticket.size());
    return s;
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

edgekit_status edgekit_inventory_cancel(edgekit_inventory* inv, uint64_t hold) {
  if (inv == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  return inv->inv.Cancel(hold);
}

edgekit_status edgekit_inventory_expire(edgekit_inventory* inv,
                                        uint64_t* out_returned,
                                        uint64_t now_ms) {
  if (out_returned != nullptr) *out_returned = 0;
  if (inv == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  const uint64_t returned = inv->inv.Expire(now_ms);
  if (out_returned != nullptr) *out_returned = returned;
  return EDGEKIT_OK;
}

edgekit_status edgekit_inventory_census(edgekit_inventory* inv,
                                        edgekit_hold_census* out) {
  if (inv == nullptr || out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = inv->inv.Census();
  return EDGEKIT_OK;
}

edgekit_status edgekit_inventory_rate_check(edgekit_inventory* inv,
                                            uint64_t* out_retry_after_ms,
                                            const char* key, size_t key_len,
                                            uint32_t rate_per_s, uint32_t burst,
                                            uint32_t cost, uint64_t now_ms) {
  if (out_retry_after_ms != nullptr) *out_retry_after_ms = 0;
  std::string_view k;
  if (inv == nullptr || !Bytes(key, key_len, &k))
    return EDGEKIT_E_INVALID_ARGUMENT;
  return inv->inv.RateCheck(k, rate_per_s, burst, cost, now_ms,
                            out_retry_after_ms);
}

}  // extern "C"
