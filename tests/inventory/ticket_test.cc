// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Win tickets through the C ABI: the ticket names exactly what was sold,
// verifies with edgekit and with PyJWT, and a ticket that cannot be made
// sells nothing.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "edgekit.h"
#include "gtest/gtest.h"

namespace {

constexpr uint64_t kNowMs = 1700000000123;
constexpr char kSecret[] = "win-ticket-secret-0123456789abcdef";

class WinTicket : public ::testing::Test {
 protected:
  void SetUp() override {
    edgekit_inventory_config cfg;
    std::memset(&cfg, 0, sizeof cfg);
    cfg.struct_size = sizeof cfg;
    cfg.max_skus = 16;
    cfg.max_buyers = 64;
    cfg.max_holds = 16;
    const size_t n = edgekit_inventory_region_size(&cfg);
    ASSERT_GT(n, 0u);
    mem_.resize(n + 64);
    void* aligned = reinterpret_cast<void*>(
        (reinterpret_cast<uintptr_t>(mem_.data()) + 63) & ~uintptr_t{63});
    ASSERT_EQ(edgekit_inventory_format(&inv_, aligned, n, &cfg), EDGEKIT_OK);
    ASSERT_EQ(edgekit_inventory_set_stock(inv_, "sku-1", 5, 3), EDGEKIT_OK);
    ASSERT_EQ(edgekit_keyset_from_secret(
                  &keys_, reinterpret_cast<const uint8_t*>(kSecret),
                  sizeof kSecret - 1, "tickets", 7),
              EDGEKIT_OK);
  }
  void TearDown() override {
    edgekit_inventory_free(inv_);
    edgekit_keyset_free(keys_);
  }

  uint64_t Acquire(const std::string& buyer) {
    uint64_t hold = 0;
    EXPECT_EQ(edgekit_inventory_acquire(inv_, &hold, "sku-1", 5, buyer.data(),
                                        buyer.size(), 1, kNowMs, 30000),
              EDGEKIT_OK);
    return hold;
  }

  uint64_t Sold() {
    edgekit_stock_stats st;
    std::memset(&st, 0, sizeof st);
    EXPECT_EQ(edgekit_inventory_stats(inv_, &st, "sku-1", 5), EDGEKIT_OK);
    return st.sold;
  }

  edgekit_status Confirm(uint64_t hold, std::string* ticket, size_t cap = 1024,
                         const char* alg = "HS256") {
    ticket->assign(cap, '\0');
    size_t len = 0;
    const edgekit_status s = edgekit_inventory_confirm_ticket(
        inv_, ticket->data(), cap, &len, hold, kNowMs + 1000, keys_, alg,
        std::strlen(alg), "tickets", 7, 600);
    ticket->resize(s == EDGEKIT_OK ? len : 0);
    last_len_ = len;
    return s;
  }

  std::vector<char> mem_;
  edgekit_inventory* inv_ = nullptr;
  edgekit_keyset* keys_ = nullptr;
  size_t last_len_ = 0;
};

TEST_F(WinTicket, NamesTheSaleAndVerifiesAtTheOrigin) {
  const uint64_t hold = Acquire("buyer-\xc3\xa9");  // UTF-8 é
  std::string ticket;
  ASSERT_EQ(Confirm(hold, &ticket), EDGEKIT_OK);
  EXPECT_EQ(Sold(), 1u);

  // The origin's side: a verifier with the same key set.
  edgekit_verifier* v = nullptr;
  ASSERT_EQ(edgekit_verifier_new(&v, keys_, nullptr), EDGEKIT_OK);
  edgekit_claims* c = edgekit_claims_new();
  const int64_t now_s = static_cast<int64_t>(kNowMs / 1000) + 1;
  ASSERT_EQ(edgekit_verifier_verify(v, c, ticket.data(), ticket.size(), now_s),
            EDGEKIT_OK);
  char buf[64];
  size_t len = 0;
  ASSERT_EQ(edgekit_claims_get_string(c, buf, sizeof buf, &len, "sku", 3),
            EDGEKIT_OK);
  EXPECT_EQ(std::string(buf, len), "sku-1");
  ASSERT_EQ(edgekit_claims_get_string(c, buf, sizeof buf, &len, "buyer", 5),
            EDGEKIT_OK);
  EXPECT_EQ(std::string(buf, len), "buyer-\xc3\xa9");
  ASSERT_EQ(edgekit_claims_get_string(c, buf, sizeof buf, &len, "hold", 4),
            EDGEKIT_OK);
  EXPECT_EQ(std::string(buf, len), std::to_string(hold));
  int64_t qty = 0, exp = 0;
  ASSERT_EQ(edgekit_claims_get_int64(c, &qty, "qty", 3), EDGEKIT_OK);
  EXPECT_EQ(qty, 1);
  ASSERT_EQ(edgekit_claims_get_int64(c, &exp, "exp", 3), EDGEKIT_OK);
  EXPECT_EQ(exp, static_cast<int64_t>((kNowMs + 1000) / 1000 + 600));
  // The ticket expires with its TTL.
  EXPECT_EQ(edgekit_verifier_verify(v, c, ticket.data(), ticket.size(), exp),
            EDGEKIT_E_EXPIRED);
  edgekit_claims_free(c);
  edgekit_verifier_free(v);

  // An independent JWT library agrees (Debian's PyJWT, a test dependency).
  const std::string cmd =
      "/usr/bin/python3 -c 'import jwt,sys; c=jwt.decode(sys.argv[1], "
      "sys.argv[2], "
      "algorithms=[\"HS256\"], options={\"verify_exp\": False}); "
      "assert c[\"sku\"]==\"sku-1\" and c[\"qty\"]==1, c' " +
      ticket + " " + kSecret;
  EXPECT_EQ(std::system(cmd.c_str()), 0);

  // A hold is sold once: a second confirm gets no ticket.
  EXPECT_EQ(Confirm(hold, &ticket), EDGEKIT_E_UNKNOWN_HOLD);
  EXPECT_EQ(last_len_, 0u);
  EXPECT_EQ(Sold(), 1u);
}

TEST_F(WinTicket, ATicketThatCannotBeMadeSellsNothing) {
  const uint64_t hold = Acquire("buyer-1");
  std::string ticket;
  EXPECT_EQ(Confirm(hold, &ticket, 16), EDGEKIT_E_BUFFER_TOO_SMALL);
  const size_t needed = last_len_;
  EXPECT_GT(needed, 16u);
  EXPECT_EQ(Confirm(hold, &ticket, 1024, "RS256"), EDGEKIT_E_KEY_NOT_FOUND);
  EXPECT_EQ(Confirm(hold, &ticket, 1024, "none"), EDGEKIT_E_UNSUPPORTED_ALG);
  EXPECT_EQ(Sold(), 0u);
  // The hold is still live: the retry with the size asked for succeeds.
  ASSERT_EQ(Confirm(hold, &ticket, needed), EDGEKIT_OK);
  EXPECT_EQ(ticket.size(), needed);
  EXPECT_EQ(Sold(), 1u);
}

TEST_F(WinTicket, BuyerIdsThatAreNotUtf8AreRefusedBeforeTheSale) {
  const uint64_t hold = Acquire(std::string("buyer-\xff", 7));
  std::string ticket;
  EXPECT_EQ(Confirm(hold, &ticket), EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(Sold(), 0u);
  EXPECT_EQ(edgekit_inventory_confirm(inv_, hold, kNowMs + 1000), EDGEKIT_OK);
  EXPECT_EQ(Sold(), 1u);
}

TEST_F(WinTicket, ExpiredHoldReturnsItsUnitsAndGetsNoTicket) {
  const uint64_t hold = Acquire("buyer-2");
  std::string ticket(1024, '\0');
  size_t len = 99;
  EXPECT_EQ(edgekit_inventory_confirm_ticket(inv_, ticket.data(), 1024, &len,
                                             hold, kNowMs + 30000, keys_,
                                             "HS256", 5, nullptr, 0, 600),
            EDGEKIT_E_HOLD_EXPIRED);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(Sold(), 0u);
}

TEST_F(WinTicket, BadArguments) {
  const uint64_t hold = Acquire("buyer-3");
  char out[8];
  size_t len = 0;
  EXPECT_EQ(
      edgekit_inventory_confirm_ticket(nullptr, out, 8, &len, hold, kNowMs,
                                       keys_, "HS256", 5, nullptr, 0, 60),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_confirm_ticket(inv_, out, 8, &len, hold, kNowMs,
                                       nullptr, "HS256", 5, nullptr, 0, 60),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_confirm_ticket(inv_, nullptr, 8, &len, hold, kNowMs,
                                       keys_, "HS256", 5, nullptr, 0, 60),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(
      edgekit_inventory_confirm_ticket(inv_, out, 8, nullptr, hold, kNowMs,
                                       keys_, "HS256", 5, nullptr, 0, 60),
      EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(Sold(), 0u);
}

}  // namespace
