// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Every crash window, deterministically. A process killed between two steps
// of an operation leaves its hold record in the phase of the step it was
// about to take, with the counter words as they were. Two ways to get
// there: complete an operation, then rewind its record's state word to an
// earlier phase — exactly what a process killed there leaves behind, since
// a step's counter change and its stamp are one CAS and the phase advance
// is the next — or run the operation in a forked child whose step hook
// exits at the chosen point (a real death). Then expire() must finish or
// settle the operation without applying any step twice and without losing
// a unit of stock or of a buyer's limit. The last tests stop a live owner
// at its CAS, let expire settle its step, and let it go on: it must notice
// and start over, so nothing is counted twice or taken for an aborted step.

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <functional>
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
    // Shared, so that a forked child's steps land in the same region.
    mem_ = mmap(nullptr, len_, PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(mem_, MAP_FAILED);
    inv_.emplace(*Inventory::Format(mem_, len_, c));
    ASSERT_EQ(inv_->SetStock("sku", 10), EDGEKIT_OK);
  }
  void TearDown() override { munmap(mem_, len_); }

  // Runs |op| in a forked child that dies (exit, no cleanup) when its step
  // hook reaches |phase| at the |published| point for the |nth| time.
  void DieAt(uint8_t phase, bool published,
             const std::function<void(Inventory&)>& op, int nth = 1) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      struct Point {
        uint8_t phase;
        bool published;
        int left;
      } point{phase, published, nth};
      Inventory child = *inv_;
      child.set_step_hook_for_testing(
          [](void* ctx, uint32_t, uint8_t ph, bool pub) {
            auto* p = static_cast<Point*>(ctx);
            if (ph == p->phase && pub == p->published && --p->left == 0) {
              _exit(0);
            }
          },
          &point);
      op(child);
      _exit(1);  // the hook never fired
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0) << "the child never reached the point";
  }

  // Makes the owner in this process call |fn| once, from inside its step
  // at |phase| and |published|, then carry on.
  void InterruptAt(uint8_t phase, bool published, std::function<void()> fn) {
    interrupt_ = {phase, published, std::move(fn)};
    inv_->set_step_hook_for_testing(
        [](void* ctx, uint32_t, uint8_t ph, bool pub) {
          auto* i = static_cast<Interrupt*>(ctx);
          if (i->fn && ph == i->phase && pub == i->published) {
            auto fn = std::move(i->fn);
            i->fn = nullptr;
            fn();
          }
        },
        &interrupt_);
  }

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

  struct Interrupt {
    uint8_t phase;
    bool published;
    std::function<void()> fn;
  };
  size_t len_;
  void* mem_;
  std::optional<Inventory> inv_;
  Interrupt interrupt_;
};

TEST_F(Steps, KilledAfterTakingStockBeforeMarkingHeld) {
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  Rewind(hold, -1, kTake);  // the stock CAS happened; the advance did not
  EXPECT_EQ(inv_->Census().in_flight, 1u);
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

TEST_F(Steps, TakenStockOfAnExpiredHoldIsFinalizedNotDeclined) {
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  Rewind(hold, -1, kTake);  // took the stock, died before marking it held
  // Past the TTL, expire settles the step: it finds the owner's own stamp,
  // so the units were taken, and returns them as an expired hold.
  EXPECT_EQ(inv_->Expire(kNow + 100), 2u);
  EXPECT_EQ(Stats().available, 10u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(inv_->Confirm(hold, kNow), EDGEKIT_E_HOLD_EXPIRED);
  ExpectClean();
}

// The window that used to strand a record: the buyer's unit counted, the
// stock not yet taken.
TEST_F(Steps, DiedAfterCountingBuyerBeforeTakingStock) {
  DieAt(kTake, true, [](Inventory& inv) {
    uint64_t h;
    (void)inv.Acquire("sku", "alice", 2, kNow, 100, &h);
  });
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);
  EXPECT_EQ(Stats().available, 10u);
  EXPECT_EQ(inv_->Census().in_flight, 1u);
  EXPECT_EQ(inv_->Census().stranded, 0u);
  EXPECT_EQ(inv_->Expire(kNow + 99), 0u);  // its TTL has not passed
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);
  EXPECT_EQ(inv_->Expire(kNow + 100), 0u);  // declined: nothing was held
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(Stats().available, 10u);
  ExpectClean();
  // The buyer's whole limit is theirs again.
  uint64_t h;
  EXPECT_EQ(inv_->Acquire("sku", "alice", 3, kNow + 100, 100, &h), EDGEKIT_OK);
}

TEST_F(Steps, DiedBeforeCountingBuyer) {
  DieAt(kReserve, true, [](Inventory& inv) {
    uint64_t h;
    (void)inv.Acquire("sku", "alice", 1, kNow, 100, &h);
  });
  EXPECT_EQ(inv_->Census().in_flight, 1u);
  inv_->Expire(kNow + 99);
  EXPECT_EQ(inv_->Census().in_flight, 1u);
  inv_->Expire(kNow + 100);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(Stats().available, 10u);
  EXPECT_EQ(inv_->Census().free, 8u);
  ExpectClean();
}

// Claimed, fields not yet published: no counter touched, and nobody can
// know the hold's expiry, so expire revokes it once it has not moved while
// watched — at any time.
TEST_F(Steps, DiedBetweenClaimAndPublish) {
  for (uint8_t phase : {kReserve, kStockSet}) {
    DieAt(phase, false, [phase](Inventory& inv) {
      uint64_t h;
      if (phase == kReserve) {
        (void)inv.Acquire("sku", "alice", 1, kNow, 100, &h);
      } else {
        (void)inv.AddStock("sku", 3);
      }
    });
  }
  EXPECT_EQ(inv_->Census().in_flight, 2u);
  inv_->Expire(kNow);
  EXPECT_EQ(inv_->Census().free, 8u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(Stats().available, 10u);
  EXPECT_EQ(Stats().added, 10u);
  ExpectClean();
}

TEST_F(Steps, DiedBeforeChangingStock) {
  DieAt(kStockSet, true, [](Inventory& inv) { (void)inv.AddStock("sku", -3); });
  EXPECT_EQ(inv_->Census().in_flight, 1u);
  inv_->Expire(kNow);  // a stock change has no TTL: settled once stalled
  const auto st = Stats();
  EXPECT_EQ(st.available, 10u);
  EXPECT_EQ(st.removed, 0u);
  ExpectClean();
  ASSERT_EQ(inv_->AddStock("sku", -3), EDGEKIT_OK);
  EXPECT_EQ(Stats().removed, 3u);
}

// A live owner descheduled at its stock CAS past its TTL: expire declines
// the step through the stock word; the owner's CAS then fails on its own
// declined stamp, and it starts over with the same (passed) expiry.
TEST_F(Steps, OwnerResumesAfterItsTakeWasDeclined) {
  InterruptAt(kTake, true, [&] {
    EXPECT_EQ(inv_->Expire(kNow + 100), 0u);
    EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);  // undone already
    EXPECT_EQ(Stats().available, 10u);
  });
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);  // counted once
  EXPECT_EQ(Stats().available, 8u);                 // taken once
  EXPECT_EQ(Stats().held, 2u);
  EXPECT_EQ(inv_->Confirm(hold, kNow + 100), EDGEKIT_E_HOLD_EXPIRED);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(Stats().available, 10u);
  ExpectClean();
}

// As above, but before the owner resumes another acquire supersedes the
// declined stamp: the owner sees a foreign stamp and its phase moved on,
// which can only mean declined.
TEST_F(Steps, OwnerResumesAfterItsDeclinedStampWasSuperseded) {
  InterruptAt(kTake, true, [&] {
    inv_->Expire(kNow + 100);
    uint64_t other;
    EXPECT_EQ(inv_->Acquire("sku", "bob", 1, kNow + 100, 100, &other),
              EDGEKIT_OK);
  });
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "bob"), 1u);
  EXPECT_EQ(Stats().available, 7u);
  EXPECT_EQ(inv_->Confirm(hold, kNow + 99), EDGEKIT_OK);  // a real hold
  EXPECT_EQ(Stats().sold, 2u);
  inv_->Expire(kNow + 200);
  EXPECT_EQ(Stats().available, 8u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "bob"), 0u);
  ExpectClean();
}

// Declined while sold out and while not: either way the owner's answer is
// its own reading, never a unit it did not take.
TEST_F(Steps, OwnerResumesAfterItsTakeWasDeclinedWhenSoldOut) {
  InterruptAt(kTake, true, [&] {
    inv_->Expire(kNow + 100);
    ASSERT_EQ(inv_->SetStock("sku", 1), EDGEKIT_OK);
  });
  uint64_t hold;
  EXPECT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold),
            EDGEKIT_E_SOLD_OUT);
  EXPECT_EQ(hold, 0u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(Stats().available, 1u);
  ExpectClean();
}

TEST_F(Steps, OwnerResumesAfterItsReserveWasDeclined) {
  InterruptAt(kReserve, true, [&] {
    inv_->Expire(kNow + 100);
    EXPECT_EQ(inv_->Census().free, 8u);
  });
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 3, kNow, 100, &hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 3u);
  EXPECT_EQ(Stats().available, 7u);
  EXPECT_EQ(inv_->Cancel(hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  ExpectClean();
}

TEST_F(Steps, ExpireLeavesALiveUnexpiredOwnerAlone) {
  InterruptAt(kTake, true, [&] {
    inv_->Expire(kNow + 99);
    EXPECT_EQ(inv_->Census().in_flight, 1u);
  });
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->Confirm(hold, kNow + 99), EDGEKIT_OK);
  ExpectClean();
}

TEST_F(Steps, OwnerRevokedBeforePublishingStartsOver) {
  InterruptAt(kReserve, false, [&] {
    inv_->Expire(kNow);  // watches the claim, sees it stall, revokes it
    EXPECT_EQ(inv_->Census().free, 8u);
  });
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 1u);
  EXPECT_EQ(Stats().available, 9u);
  EXPECT_EQ(inv_->Confirm(hold, kNow), EDGEKIT_OK);
  ExpectClean();
}

TEST_F(Steps, StockChangeDeclinedMidStepIsRetriedOnce) {
  InterruptAt(kStockSet, true, [&] {
    inv_->Expire(kNow);
    EXPECT_EQ(Stats().added, 10u);
  });
  ASSERT_EQ(inv_->AddStock("sku", 4), EDGEKIT_OK);
  const auto st = Stats();
  EXPECT_EQ(st.available, 14u);
  EXPECT_EQ(st.added, 14u);
  ExpectClean();
  InterruptAt(kStockSet, true, [&] { inv_->Expire(kNow); });
  ASSERT_EQ(inv_->SetStock("sku", 6), EDGEKIT_OK);
  EXPECT_EQ(Stats().available, 6u);
  EXPECT_EQ(Stats().removed, 8u);
  ExpectClean();
}

}  // namespace
}  // namespace edgekit::inventory
