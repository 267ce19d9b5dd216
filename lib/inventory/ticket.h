// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Win tickets: a signed JWT that names what a confirmed hold sold, so the
// origin can check a winner without asking the edge that sold it.

#ifndef EDGEKIT_LIB_INVENTORY_TICKET_H_
#define EDGEKIT_LIB_INVENTORY_TICKET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgekit/status.h"
#include "inventory/inventory.h"
#include "keys/keys.h"

namespace edgekit::inventory {

// WinTicketPayload returns the ticket's JSON payload:
// {"sku":…,"buyer":…,"hold":"<id>","qty":n,"iat":…,"exp":…}. The hold id is a
// string because 64-bit ids do not survive a JavaScript number.
std::string WinTicketPayload(const Inventory::Sale& sale, uint64_t now_ms,
                             uint32_t ttl_s);

// ConfirmWithTicket confirms |hold| and signs its ticket into |*ticket|
// first; see edgekit_inventory_confirm_ticket for the statuses. |max_len| is
// the largest ticket the caller can take: a longer one is
// EDGEKIT_E_BUFFER_TOO_SMALL with |*ticket| still set, and nothing is sold.
[[nodiscard]] edgekit_status ConfirmWithTicket(
    Inventory& inv, uint64_t hold, uint64_t now_ms, const keys::KeySet& keys,
    std::string_view alg, std::optional<std::string_view> kid, uint32_t ttl_s,
    size_t max_len, std::string* ticket);

}  // namespace edgekit::inventory

#endif  // EDGEKIT_LIB_INVENTORY_TICKET_H_
