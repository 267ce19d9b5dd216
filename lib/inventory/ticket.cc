// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "inventory/ticket.h"

#include "absl/strings/str_cat.h"
#include "token/json.h"
#include "token/token.h"

namespace edgekit::inventory {

std::string WinTicketPayload(const Inventory::Sale& sale, uint64_t now_ms,
                             uint32_t ttl_s) {
  const uint64_t now_s = now_ms / 1000;
  std::string out = "{\"sku\":";
  token::AppendJsonString(sale.sku, &out);
  out += ",\"buyer\":";
  token::AppendJsonString(sale.buyer, &out);
  absl::StrAppend(&out, ",\"hold\":\"", sale.hold, "\",\"qty\":", sale.qty,
                  ",\"iat\":", now_s, ",\"exp\":", now_s + ttl_s, "}");
  return out;
}

edgekit_status ConfirmWithTicket(Inventory& inv, uint64_t hold, uint64_t now_ms,
                                 const keys::KeySet& keys, std::string_view alg,
                                 std::optional<std::string_view> kid,
                                 uint32_t ttl_s, size_t max_len,
                                 std::string* ticket) {
  ticket->clear();
  return inv.Confirm(hold, now_ms, [&](const Inventory::Sale& sale) {
    const edgekit_status s = token::Sign(
        keys, alg, kid, WinTicketPayload(sale, now_ms, ttl_s), ticket);
    if (s == EDGEKIT_E_MALFORMED)
      return EDGEKIT_E_INVALID_ARGUMENT;  // not UTF-8
    if (s != EDGEKIT_OK) return s;
    return ticket->size() > max_len ? EDGEKIT_E_BUFFER_TOO_SMALL : EDGEKIT_OK;
  });
}

}  // namespace edgekit::inventory
