// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Every crash window, deterministically. A process killed between two steps
// of an operation leaves its hold record in the phase of the step it was
// about to take, with the counter words as they were. These tests complete
// an operation, then rewind its record's state word to an earlier phase —
// exactly what a process killed there leaves behind, since a step's counter
// change and its stamp are one CAS and the phase advance is the next — and
// check that expire() finishes the operation without applying any step
// twice, and that a record whose step was never applied is finished too.

#include <cstdlib>
#include <cstring>
#include <optional>

#include "gtest/gtest.h"
#include "inventory/inventory.h"

namespace edgekit::inventory {
namespace {

constexpr uint64_t kNow = 1'700'000'000'000;

class Steps : public ::testing::Test {
 protected:
  void SetUp() override {
    Config c;
    c.max_skus = 4;
    c.max_buyers = 16;
    c.max_holds = 8;
    c.default_buyer_limit = 3;
    len_ = *Inventory::RegionSize(c);
    mem_ = std::aligned_alloc(64, (len_ + 63) & ~size_t{63});
    inv_.emplace(*Inventory::Format(mem_, len_, c));
    ASSERT_EQ(inv_->SetStock("sku", 10), EDGEKIT_OK);
  }
  void TearDown() override { std::free(mem_); }

  Inventory::HoldRecord& Record(uint64_t hold) {
    return inv_->hold_records()[(hold & 0xfffff) - 1];
  }
  // Rewinds |hold|'s record to |phase| at |gen_offset| generations after
  // the hold's kHeld generation (negative: before it).
  void Rewind(uint64_t hold, int gen_offset, uint8_t phase) {
    const uint64_t gen = (hold >> 20) + gen_offset;
    Record(hold).state.store((gen << 8) | phase);
  }
  edgekit_stock_stats Stats() {
    edgekit_stock_stats st;
    EXPECT_EQ(inv_->Stats("sku", &st), EDGEKIT_OK);
    return st;
  }
  void ExpectClean() {
    const auto c = inv_->Census();
    EXPECT_EQ(c.in_flight, 0u);
    EXPECT_EQ(c.stranded, 0u);
    const auto st = Stats();
    EXPECT_EQ(st.added - st.removed, st.available + st.held + st.sold);
    EXPECT_EQ(st.held, inv_->HeldUnitsByScan("sku"));
  }

  size_t len_;
  void* mem_;
  std::optional<Inventory> inv_;
};

TEST_F(Steps, KilledAfterTakingStockBeforeMarkingHeld) {
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  Rewind(hold, -1, kTake);  // the stock CAS happened; the advance did not
  EXPECT_EQ(inv_->Census().stranded, 1u);
  EXPECT_EQ(inv_->Expire(kNow), 0u);  // finalizes, nothing expires yet
  EXPECT_EQ(inv_->Census().held, 1u);
  EXPECT_EQ(Stats().available, 8u);
  EXPECT_EQ(inv_->Expire(kNow + 100), 2u);  // and its TTL still applies
  EXPECT_EQ(Stats().available, 10u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  ExpectClean();
}

TEST_F(Steps, KilledAfterCountingBuyerBeforeAdvancing) {
  // Killed after its buyer CAS, before advancing — and its stock CAS had
  // also happened (the owner raced ahead of its own advance): both stamps
  // are in place, so expire walks the record through both phases.
  uint64_t hold2;
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &hold2), EDGEKIT_OK);
  Rewind(hold2, -2, kReserve);
  inv_->Expire(kNow);  // reserve → take → held, by stamps alone
  EXPECT_EQ(inv_->Census().held, 1u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "bob"), 1u);
  EXPECT_EQ(Stats().available, 9u);
  EXPECT_EQ(inv_->Confirm(hold2, kNow), EDGEKIT_OK);
  ExpectClean();
}

TEST_F(Steps, KilledAfterWinningTheReturnBeforeAnyStep) {
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  // cancel's CAS to kReturn happened; neither counter moved.
  Rewind(hold, 1, kReturn);
  EXPECT_EQ(inv_->Census().in_flight, 1u);
  inv_->Expire(kNow);
  EXPECT_EQ(Stats().available, 10u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(inv_->Cancel(hold), EDGEKIT_E_HOLD_EXPIRED);
  ExpectClean();
}

TEST_F(Steps, ReturnStepsAreNotAppliedTwice) {
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  ASSERT_EQ(inv_->Cancel(hold), EDGEKIT_OK);
  const auto before = Stats();
  // Killed after the stock step, before advancing; then after the buyer
  // step, before freeing. Both stamps are still in their words.
  for (auto [offset, phase] : {std::pair{1, kReturn}, std::pair{2, kUnbuy}}) {
    Rewind(hold, offset, phase);
    inv_->Expire(kNow);
    const auto after = Stats();
    EXPECT_EQ(after.available, before.available);
    EXPECT_EQ(after.held, before.held);
    EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
    ExpectClean();
  }
}

TEST_F(Steps, SaleIsCountedOnceAndFinishedByAnyone) {
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &hold), EDGEKIT_OK);
  Rewind(hold, 1, kSell);     // confirm won the record, sold not yet counted
  inv_->Expire(kNow + 1000);  // past the TTL: a sale in progress is no hold
  EXPECT_EQ(Stats().sold, 1u);
  EXPECT_EQ(Stats().available, 9u);
  Rewind(hold, 1, kSell);  // and killed after counting, before freeing
  inv_->Expire(kNow);
  EXPECT_EQ(Stats().sold, 1u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 1u);
  ExpectClean();
}

TEST_F(Steps, StockChangesAreLoggedOnce) {
  ASSERT_EQ(inv_->AddStock("sku", 5), EDGEKIT_OK);
  ASSERT_EQ(inv_->AddStock("sku", -4), EDGEKIT_OK);
  const auto before = Stats();
  ASSERT_EQ(before.added, 15u);
  ASSERT_EQ(before.removed, 4u);
  // Find the record of the last stock change: the only one used twice.
  Inventory::HoldRecord* recs = inv_->hold_records();
  for (uint32_t i = 0; i < 8; ++i) {
    const uint64_t s = recs[i].state.load();
    if (s == 0) continue;
    const uint64_t gen = s >> 8;  // free at gen; set at gen-2, log at gen-1
    for (auto [back, phase] :
         {std::pair{2, kStockSet}, std::pair{1, kStockLog}}) {
      recs[i].state.store(((gen - back) << 8) | phase);
      inv_->Expire(kNow);
      const auto after = Stats();
      EXPECT_EQ(after.available, before.available);
      EXPECT_EQ(after.added, before.added);
      EXPECT_EQ(after.removed, before.removed);
      ExpectClean();
    }
  }
}

TEST_F(Steps, UnappliedStockChangeOfADeadOwnerStaysStrandedAndHarmless) {
  ASSERT_EQ(inv_->AddStock("sku", 1), EDGEKIT_OK);
  const auto before = Stats();
  // A record claimed for a stock change whose owner died before its CAS:
  // a new generation, so no stamp anywhere names it.
  Inventory::HoldRecord& rec = inv_->hold_records()[7];
  rec.state.store(((rec.state.load() >> 8) + 1) << 8 | kStockSet);
  rec.where.store(0);
  inv_->Expire(UINT64_MAX);
  EXPECT_EQ(inv_->Census().stranded, 1u);
  const auto after = Stats();
  EXPECT_EQ(after.available, before.available);
  EXPECT_EQ(after.added, before.added);
}

}  // namespace
}  // namespace edgekit::inventory
