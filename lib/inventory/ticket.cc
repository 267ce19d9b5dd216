// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "inventory/ticket.h"

#include "absl/strings/str_cat.h"
#include "token/token.h"

namespace edgekit::inventory {
namespace {

// Appends |s| as a JSON string. Bytes >= 0x80 pass through: the signer's
// JSON reader then refuses anything that is not UTF-8.
void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      absl::StrAppend(out, "\\u00", std::string(1, kHex[u >> 4]),
                      std::string(1, kHex[u & 15]));
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace

std::string WinTicketPayload(const Inventory::Sale& sale, uint64_t now_ms,
                             uint32_t ttl_s) {
  const uint64_t now_s = now_ms / 1000;
  std::string out = "{\"sku\":";
  AppendJsonString(sale.sku, &out);
  out += ",\"buyer\":";
  AppendJsonString(sale.buyer, &out);
  absl::StrAppend(&out, ",\"hold\":\"", sale.hold, "\",\"qty\":", sale.qty,
                  ",\"iat\":", now_s, ",\"exp\":", now_s + ttl_s, "}");
  return out;
}

edgekit_status ConfirmWithTicket(Inventory& inv, uint64_t hold,
                                 uint64_t now_ms, const keys::KeySet& keys,
                                 std::string_view alg,
                                 std::optional<std::string_view> kid,
                                 uint32_t ttl_s, size_t max_len,
                                 std::string* ticket) {
  ticket->clear();
  return inv.Confirm(hold, now_ms, [&](const Inventory::Sale& sale) {
    const edgekit_status s = token::Sign(
        keys, alg, kid, WinTicketPayload(sale, now_ms, ttl_s), ticket);
    if (s == EDGEKIT_E_MALFORMED) return EDGEKIT_E_INVALID_ARGUMENT;  // not UTF-8
    if (s != EDGEKIT_OK) return s;
    return ticket->size() > max_len ? EDGEKIT_E_BUFFER_TOO_SMALL : EDGEKIT_OK;
  });
}

}  // namespace edgekit::inventory
