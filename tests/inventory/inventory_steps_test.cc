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

#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

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
  // The last of the 8 records in |phase|, or -1: the record a dead child
  // left behind.
  int RecordIn(uint8_t phase) {
    int found = -1;
    for (uint32_t i = 0; i < 8; ++i) {
      if ((inv_->hold_records()[i].state.load() & 0xff) == phase) {
        found = static_cast<int>(i);
      }
    }
    return found;
  }
  // Moves record |index| |back| generations back, to |phase|.
  void RewindRecord(int index, uint64_t back, uint8_t phase) {
    std::atomic<uint64_t>& state = inv_->hold_records()[index].state;
    state.store((((state.load() >> 8) - back) << 8) | phase);
  }
  // A stock word's plain stamp of record |index| at |gen|.
  static uint64_t StockStamp(int index, uint64_t gen) {
    return ((gen & 0x7ff) << 20) | (static_cast<uint64_t>(index) + 1);
  }
  // The word of the region holding |value|, if exactly one does: how a test
  // finds a counter word by a value only it can hold. NULL otherwise.
  std::atomic<uint64_t>* OnlyWordHolding(uint64_t value) {
    auto* words = static_cast<std::atomic<uint64_t>*>(mem_);
    std::atomic<uint64_t>* found = nullptr;
    for (size_t w = 0; w < len_ / 8; ++w) {
      if (words[w].load() == value) {
        if (found != nullptr) return nullptr;
        found = &words[w];
      }
    }
    return found;
  }
  // Seven one-unit holds of 1000 ms for buyers o0..o6: every record but one
  // busy, so the next claim takes the one a test frees.
  void HoldAllRecordsButOne() {
    for (int i = 0; i < 7; ++i) {
      uint64_t h;
      ASSERT_EQ(
          inv_->Acquire("sku", "o" + std::to_string(i), 1, kNow, 1000, &h),
          EDGEKIT_OK);
    }
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
    EXPECT_EQ(inv_->StampsOfFreeRecords(), 0u);
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

// A process killed as its scrub starts leaves every step stamp of its
// operation in place; rewinding its record to a step gives the window
// "killed after that step's CAS, before advancing".
TEST_F(Steps, ReturnStepsAreNotAppliedTwice) {
  for (auto [offset, phase] : {std::pair{1, kReturn}, std::pair{2, kUnbuy}}) {
    uint64_t hold;
    ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
    DieAt(kScrub, true, [hold](Inventory& inv) { (void)inv.Cancel(hold); });
    const auto before = Stats();
    EXPECT_EQ(before.available, 10u);
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
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &hold), EDGEKIT_OK);
  DieAt(kScrub, true,
        [hold](Inventory& inv) { (void)inv.Confirm(hold, kNow); });
  EXPECT_EQ(Stats().sold, 2u);
  Rewind(hold, 1, kSell);  // and killed after counting, before advancing
  inv_->Expire(kNow);
  EXPECT_EQ(Stats().sold, 2u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);
  ExpectClean();
}

TEST_F(Steps, StockChangesAreLoggedOnce) {
  for (auto [back, phase] :
       {std::pair{2, kStockSet}, std::pair{1, kStockLog}}) {
    DieAt(kScrub, true, [](Inventory& inv) { (void)inv.AddStock("sku", -4); });
    const auto before = Stats();
    Inventory::HoldRecord* recs = inv_->hold_records();
    int scrubbing = 0;
    for (uint32_t i = 0; i < 8; ++i) {
      const uint64_t s = recs[i].state.load();
      if ((s & 0xff) != kScrub) continue;
      ++scrubbing;
      const uint64_t gen = s >> 8;  // scrub at gen; set at gen-2, log gen-1
      recs[i].state.store(((gen - back) << 8) | phase);
    }
    ASSERT_EQ(scrubbing, 1);
    inv_->Expire(kNow);
    const auto after = Stats();
    EXPECT_EQ(after.available, before.available);
    EXPECT_EQ(after.added, before.added);
    EXPECT_EQ(after.removed, before.removed);
    ExpectClean();
  }
  EXPECT_EQ(Stats().available, 2u);
  EXPECT_EQ(Stats().removed, 8u);
}

// Killed in the middle of its scrub: expire finishes it.
TEST_F(Steps, DiedWhileScrubbing) {
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  DieAt(kScrub, true,
        [hold](Inventory& inv) { (void)inv.Confirm(hold, kNow); });
  EXPECT_EQ(inv_->Census().in_flight, 1u);
  EXPECT_EQ(inv_->Confirm(hold, kNow), EDGEKIT_E_UNKNOWN_HOLD);  // sold
  inv_->Expire(kNow);
  EXPECT_EQ(Stats().sold, 2u);
  EXPECT_EQ(inv_->Census().free, 8u);
  ExpectClean();
}

// Every path an operation can end by retires its step stamps before its
// record is freed: after each call, no counter word holds the plain stamp
// of a free record.
TEST_F(Steps, NoFreeRecordKeepsAStamp) {
  auto clean = [&](const char* what) {
    EXPECT_EQ(inv_->StampsOfFreeRecords(), 0u) << what;
  };
  uint64_t h, h2;
  clean("set");
  ASSERT_EQ(inv_->AddStock("sku", 5), EDGEKIT_OK);
  clean("add");
  ASSERT_EQ(inv_->AddStock("sku", -2), EDGEKIT_OK);
  clean("remove");
  ASSERT_EQ(inv_->AddStock("sku", -100), EDGEKIT_E_STOCK_RANGE);
  clean("refused stock change");
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK);
  clean("sale");
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Cancel(h), EDGEKIT_OK);
  clean("cancel");
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h), EDGEKIT_OK);
  EXPECT_EQ(inv_->Confirm(h, kNow + 100), EDGEKIT_E_HOLD_EXPIRED);
  clean("late confirm");
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h), EDGEKIT_OK);
  EXPECT_EQ(inv_->Expire(kNow + 100), 1u);
  clean("expired hold");
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &h2),
            EDGEKIT_E_BUYER_LIMIT);
  clean("buyer limit");
  // Refused at the buyer step, after the early check passed: another
  // acquire for the same buyer takes the last unit of the limit first.
  InterruptAt(kReserve, true, [&] {
    uint64_t first;
    ASSERT_EQ(inv_->Acquire("sku", "carol", 2, kNow, 100, &first), EDGEKIT_OK);
  });
  ASSERT_EQ(inv_->Acquire("sku", "carol", 2, kNow, 100, &h2),
            EDGEKIT_E_BUYER_LIMIT);
  EXPECT_EQ(inv_->BuyerUnits("sku", "carol"), 2u);
  clean("buyer limit at the step");
  ASSERT_EQ(inv_->SetStock("sku", 1), EDGEKIT_OK);
  ASSERT_EQ(inv_->Acquire("sku", "bob", 2, kNow, 100, &h2), EDGEKIT_E_SOLD_OUT);
  clean("sold out");
  // Sold out at the stock step, after the pre-check passed.
  InterruptAt(kTake, true,
              [&] { ASSERT_EQ(inv_->SetStock("sku", 0), EDGEKIT_OK); });
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h2), EDGEKIT_E_SOLD_OUT);
  clean("sold out at the step");
  ASSERT_EQ(inv_->SetStock("sku", 10), EDGEKIT_OK);
  for (uint8_t phase : {kReserve, kTake}) {
    InterruptAt(phase, true, [&] {
      inv_->Expire(kNow + 100);
      clean("declined");
    });
    ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h2), EDGEKIT_OK);
    clean("after a decline");
    ASSERT_EQ(inv_->Cancel(h2), EDGEKIT_OK);
  }
  InterruptAt(kStockSet, true, [&] {
    inv_->Expire(kNow);
    clean("declined stock change");
  });
  ASSERT_EQ(inv_->AddStock("sku", 1), EDGEKIT_OK);
  InterruptAt(kReserve, false, [&] {
    inv_->Expire(kNow);
    clean("revoked");
  });
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h2), EDGEKIT_OK);
  ASSERT_EQ(inv_->Cancel(h2), EDGEKIT_OK);
  ExpectClean();
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

// Killed after its buyer CAS, before advancing to the take; then the same
// buyer acquires again, and that reserve replaces the dead one's stamp in
// the buyer word. It must first move the dead record on (finalize before
// supersede): else the record, still waiting to reserve, has lost the
// stamp that says it did, and expire would decline a step already applied
// and never give the buyer's unit back.
TEST_F(Steps, DeadReserveIsFinalizedBeforeTheSameBuyerSupersedesIt) {
  DieAt(kTake, true, [](Inventory& inv) {
    uint64_t h;
    (void)inv.Acquire("sku", "alice", 1, kNow, 100, &h);
  });
  const int dead = RecordIn(kTake);
  ASSERT_GE(dead, 0);
  // Back to kReserve: its buyer CAS happened, its advance did not.
  RewindRecord(dead, 1, kReserve);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 1u);
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 1000, &hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->hold_records()[dead].state.load() & 0xff, kTake);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);
  EXPECT_EQ(inv_->Expire(kNow + 100), 0u);  // the dead take is declined
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 1u);
  EXPECT_EQ(Stats().held, 1u);
  EXPECT_EQ(Stats().available, 9u);
  EXPECT_EQ(inv_->Confirm(hold, kNow + 100), EDGEKIT_OK);
  ExpectClean();
}

// The same on a stock word: a dead owner's take is in the available word,
// its advance to kHeld is not, and another buyer's take replaces its stamp.
// That take must first move the dead record to kHeld: else expire would
// decline a take already applied and the units would never come back.
TEST_F(Steps, DeadTakeIsFinalizedBeforeAnotherTakeSupersedesIt) {
  uint64_t alice;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &alice), EDGEKIT_OK);
  Rewind(alice, -1, kTake);  // its stock CAS happened; its advance did not
  uint64_t bob;
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 1000, &bob), EDGEKIT_OK);
  EXPECT_EQ(Record(alice).state.load() & 0xff, kHeld);
  EXPECT_EQ(inv_->Census().held, 2u);
  EXPECT_EQ(Stats().available, 7u);
  EXPECT_EQ(inv_->Expire(kNow + 100), 2u);  // alice's TTL: her units return
  EXPECT_EQ(Stats().available, 9u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(inv_->Confirm(bob, kNow + 100), EDGEKIT_OK);
  ExpectClean();
}

// A step anyone may apply finalizes before it supersedes too: another
// hold's return lands on the available word that holds the dead take.
TEST_F(Steps, DeadTakeIsFinalizedBeforeAReturnSupersedesIt) {
  uint64_t bob, alice;
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 1000, &bob), EDGEKIT_OK);
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &alice), EDGEKIT_OK);
  Rewind(alice, -1, kTake);
  ASSERT_EQ(inv_->Cancel(bob), EDGEKIT_OK);
  EXPECT_EQ(Record(alice).state.load() & 0xff, kHeld);
  EXPECT_EQ(Stats().available, 8u);
  EXPECT_EQ(inv_->Expire(kNow + 100), 2u);
  EXPECT_EQ(Stats().available, 10u);
  ExpectClean();
}

// And so does a decline. Bob stalls at his take past his TTL; meanwhile
// alice takes and dies before marking her hold; expire declines bob's take
// through the available word, which holds alice's stamp, and must first
// move her record on. (Expire visits records in index order, so bob's must
// come before alice's, or expire would finalize hers first anyway.)
TEST_F(Steps, DeadTakeIsFinalizedBeforeADeclineSupersedesIt) {
  // Claims go in turn: after a claim at index 6, the next two would be 7
  // and 0. Move past that.
  for (;;) {
    uint64_t pad;
    ASSERT_EQ(inv_->Acquire("sku", "pad", 1, kNow, 1000, &pad), EDGEKIT_OK);
    ASSERT_EQ(inv_->Cancel(pad), EDGEKIT_OK);
    if ((pad & 0xfffff) - 1 != 6) break;
  }
  uint64_t alice = 0;
  bool alice_held = false;
  InterruptAt(kTake, true, [&] {
    ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 1000, &alice), EDGEKIT_OK);
    Rewind(alice, -1, kTake);
    inv_->Expire(kNow + 50);  // bob's TTL has passed
    alice_held = (Record(alice).state.load() & 0xff) == kHeld;
  });
  uint64_t bob;
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 50, &bob), EDGEKIT_OK);
  EXPECT_TRUE(alice_held);
  ASSERT_NE(alice, 0u);
  EXPECT_EQ(Stats().available, 7u);
  EXPECT_EQ(inv_->Expire(kNow + 1000), 3u);  // bob's retried hold, alice's
  EXPECT_EQ(Stats().available, 10u);
  ExpectClean();
}

// A scrubber that stalls after reading the record's state must not retire
// the stamps of the record's next claim: by the time it reads |who| and
// |what|, they may name the next operation's words, holding its plain
// stamps. Here a confirm's scrub stalls at its start; expire finishes the
// scrub and frees the record; alice claims it again (every other record is
// busy), takes a unit and dies before marking her hold. The stalled
// scrubber then resumes: it must leave her stamps, or expire would decline
// a take already applied and her unit would never come back.
TEST_F(Steps, StalledScrubberLeavesTheNextClaimsStamps) {
  ASSERT_NO_FATAL_FAILURE(HoldAllRecordsButOne());
  uint64_t sold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 1000, &sold), EDGEKIT_OK);
  uint64_t again = 0;
  InterruptAt(kScrub, true, [&] {
    inv_->Expire(kNow);  // finishes the stalled scrub, frees the record
    ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &again), EDGEKIT_OK);
    ASSERT_EQ(again & 0xfffff, sold & 0xfffff);  // the only free record
    Rewind(again, -1, kTake);  // alice died after her take's CAS
  });
  ASSERT_EQ(inv_->Confirm(sold, kNow), EDGEKIT_OK);
  ASSERT_NE(again, 0u);
  EXPECT_EQ(Stats().available, 1u);
  EXPECT_EQ(inv_->Expire(kNow + 100), 1u);  // her take finalized, then expired
  EXPECT_EQ(Stats().available, 2u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 1u);  // the sold unit
  EXPECT_EQ(Stats().sold, 1u);
  EXPECT_EQ(inv_->Expire(kNow + 1000), 7u);
  ExpectClean();
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

// As above, but before the owner resumes the stock word comes back to the
// value the owner read (another hold is taken and cancelled, and scrubbed):
// the word must still differ from what the owner read, or its stalled CAS
// would take units for a record that is no longer its. This is why a scrub
// retires a stamp rather than emptying it.
TEST_F(Steps, OwnerResumesAfterItsWordCameBackToTheSameValue) {
  InterruptAt(kTake, true, [&] {
    inv_->Expire(kNow + 100);
    uint64_t other;
    ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow + 100, 100, &other),
              EDGEKIT_OK);
    ASSERT_EQ(inv_->Cancel(other), EDGEKIT_OK);
    EXPECT_EQ(Stats().available, 10u);
  });
  uint64_t hold;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 2u);
  EXPECT_EQ(Stats().available, 8u);
  EXPECT_EQ(Stats().held, 2u);
  EXPECT_EQ(inv_->Census().held, 1u);  // the units are in a live hold
  EXPECT_EQ(inv_->Confirm(hold, kNow + 99), EDGEKIT_OK);
  EXPECT_EQ(Stats().sold, 2u);
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

// As above, but before the revoked owner resumes, its record is claimed
// and published again (every other record is busy). The owner's installs
// must not land on the next claim's fields: it checks the state after
// reading each field, so it finds the record gone and starts over (here:
// no record is free).
TEST_F(Steps, RevokedOwnerDoesNotPublishOverTheNextClaim) {
  ASSERT_NO_FATAL_FAILURE(HoldAllRecordsButOne());
  uint64_t next = 0;
  InterruptAt(kReserve, false, [&] {
    inv_->Expire(kNow);  // revokes the stalled claim, frees the record
    ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 1000, &next), EDGEKIT_OK);
  });
  uint64_t hold;
  EXPECT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 1000, &hold),
            EDGEKIT_E_NO_SPACE);
  ASSERT_NE(next, 0u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "bob"), 1u);
  EXPECT_EQ(Stats().held, 8u);
  EXPECT_EQ(inv_->HeldUnitsByScan("sku"), 8u);  // bob's record names bob
  EXPECT_EQ(inv_->Confirm(next, kNow), EDGEKIT_OK);
  EXPECT_EQ(inv_->BuyerUnits("sku", "bob"), 1u);
  EXPECT_EQ(inv_->Expire(kNow + 1000), 7u);
  ExpectClean();
}

// Lanes. With 1000 units, an acquire first moves a block from the SKU's
// central count to its CPU's lane (a transfer: kDrain, kFill, kScrub) and
// takes from the lane; every transfer window must be as safe as any step.

TEST_F(Steps, LaneTransfersAreAppliedOnce) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  for (auto [back, phase] : {std::pair{2, kDrain}, std::pair{1, kFill}}) {
    // The first scrub of an acquire on an empty lane is its transfer's.
    ASSERT_EQ(inv_->LaneUnits("sku"), 0u);
    DieAt(kScrub, true, [](Inventory& inv) {
      uint64_t h;
      (void)inv.Acquire("sku", "alice", 1, kNow, 100, &h);
    });
    const auto before = Stats();
    const uint64_t in_lanes = inv_->LaneUnits("sku");
    EXPECT_GT(in_lanes, 0u);
    Inventory::HoldRecord* recs = inv_->hold_records();
    int scrubbing = 0;
    for (uint32_t i = 0; i < 8; ++i) {
      const uint64_t s = recs[i].state.load();
      if ((s & 0xff) != kScrub) continue;
      ++scrubbing;
      const uint64_t gen = s >> 8;  // scrub at gen; drain gen-2, fill gen-1
      recs[i].state.store(((gen - back) << 8) | phase);
    }
    ASSERT_EQ(scrubbing, 1);
    inv_->Expire(kNow);
    const auto after = Stats();
    EXPECT_EQ(after.available, before.available);
    EXPECT_EQ(after.available, 1000u);
    EXPECT_EQ(inv_->LaneUnits("sku"), in_lanes);  // filled once
    ExpectClean();
    ASSERT_EQ(inv_->SetStock("sku", 1000), EDGEKIT_OK);  // lanes gathered
  }
}

// A transfer whose owner died before draining its source: expire settles
// it (published: declined once stalled; unpublished: revoked) and no unit
// moves.
TEST_F(Steps, DiedBeforeDrainingIntoALane) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  for (bool published : {false, true}) {
    DieAt(kDrain, published, [](Inventory& inv) {
      uint64_t h;
      (void)inv.Acquire("sku", "alice", 1, kNow, 100, &h);
    });
    EXPECT_EQ(inv_->Census().in_flight, 1u);
    inv_->Expire(kNow);
    EXPECT_EQ(inv_->Census().free, 8u);
    EXPECT_EQ(inv_->LaneUnits("sku"), 0u);
    EXPECT_EQ(Stats().available, 1000u);
    EXPECT_EQ(inv_->BuyerUnits("sku", "alice"), 0u);
    ExpectClean();
  }
  uint64_t h;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &h), EDGEKIT_OK);
  EXPECT_EQ(Stats().available, 999u);
  EXPECT_EQ(Stats().held, 1u);
  ExpectClean();
}

// Units are gathered back from a lane while an owner is about to take from
// it: its CAS fails, the lane reads empty, and it answers from what is left.
TEST_F(Steps, LaneGatheredUnderATake) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_GT(inv_->LaneUnits("sku"), 0u);
  InterruptAt(kTake, true, [&] {
    // Gathers every lane, then leaves nothing available.
    ASSERT_EQ(inv_->SetStock("sku", 0), EDGEKIT_OK);
    EXPECT_EQ(inv_->LaneUnits("sku"), 0u);
  });
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h), EDGEKIT_E_SOLD_OUT);
  EXPECT_EQ(inv_->BuyerUnits("sku", "bob"), 0u);
  const auto st = Stats();
  EXPECT_EQ(st.available, 0u);
  EXPECT_EQ(st.held, 1u);  // alice's
  ExpectClean();
}

// A lane is a cache: stock changes see through it, and its last units are
// sold before anyone hears "sold out".
TEST_F(Steps, LaneUnitsAreSoldAndCounted) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  ASSERT_EQ(inv_->SetBuyerLimit("sku", 1000), EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK);
  const uint64_t in_lane = inv_->LaneUnits("sku");
  ASSERT_GT(in_lane, 0u);
  // Remove every unit of the central count: only the lane's are left.
  ASSERT_EQ(inv_->AddStock("sku", -static_cast<int64_t>(999 - in_lane)),
            EDGEKIT_OK);
  EXPECT_EQ(Stats().available, in_lane);
  EXPECT_EQ(inv_->LaneUnits("sku"), in_lane);
  // Removing more than the central count gathers the lanes first.
  ASSERT_EQ(inv_->AddStock("sku", -1), EDGEKIT_OK);
  EXPECT_EQ(inv_->LaneUnits("sku"), 0u);
  EXPECT_EQ(Stats().available, in_lane - 1);
  ASSERT_EQ(inv_->AddStock("sku", -static_cast<int64_t>(in_lane)),
            EDGEKIT_E_STOCK_RANGE);
  // Setting stock counts units in lanes: exactly what was set is available.
  ASSERT_EQ(inv_->SetStock("sku", 500), EDGEKIT_OK);
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK);
  ASSERT_GT(inv_->LaneUnits("sku"), 0u);
  ASSERT_EQ(inv_->SetStock("sku", 300), EDGEKIT_OK);
  EXPECT_EQ(Stats().available, 300u);
  // Sell all 300, one acquire at a time, through lanes and then the central
  // count; the next acquire is refused.
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h), EDGEKIT_OK) << i;
    ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK) << i;
  }
  EXPECT_EQ(inv_->Acquire("sku", "carol", 1, kNow, 100, &h),
            EDGEKIT_E_SOLD_OUT);
  const auto st = Stats();
  EXPECT_EQ(st.available, 0u);
  EXPECT_EQ(st.sold, 302u);
  EXPECT_EQ(inv_->BuyerUnits("sku", "bob"), 300u);
  ExpectClean();
}

// Units left in the lane of one CPU are reached from another: when the
// central count runs short, the acquire gathers every lane back.
TEST_F(Steps, UnitsInAnotherCpusLaneAreGathered) {
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  int cpus[2], n = 0;
  for (int c = 0; c < CPU_SETSIZE && n < 2; ++c) {
    if (CPU_ISSET(c, &allowed) && (n == 0 || c % 8 != cpus[0] % 8)) {
      cpus[n++] = c;
    }
  }
  if (n < 2) GTEST_SKIP() << "needs two CPUs in different lanes";
  auto pin = [&](int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  };
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  pin(cpus[0]);
  uint64_t h;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &h), EDGEKIT_OK);
  const uint64_t in_lane = inv_->LaneUnits("sku");
  ASSERT_GT(in_lane, 0u);
  ASSERT_EQ(inv_->AddStock("sku", -static_cast<int64_t>(999 - in_lane)),
            EDGEKIT_OK);  // the central count is empty
  pin(cpus[1]);
  ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &h), EDGEKIT_OK);
  EXPECT_EQ(Stats().available, in_lane - 1);
  sched_setaffinity(0, sizeof(allowed), &allowed);
  ExpectClean();
}

// set_stock and add_stock against lane transfers: what each promises
// (include/edgekit/inventory.h) with a refill running, or left half done by
// a dead worker. (Found by a review of the lanes change.)
class LaneStockChanges : public Steps {
 protected:
  // Leaves a lane refill exactly as a worker killed after its drain (and
  // the phase advance to kFill) but before its fill leaves it: the central
  // count drained and stamped, the lane word as it was (zero: never used),
  // the record in kFill. Built from a real death at the transfer's scrub by
  // restoring the lane word — found by its value, which is unique — and
  // rewinding the record one generation. Returns the block in flight.
  uint64_t LeaveRefillInFlight() {
    DieAt(kScrub, true, [](Inventory& inv) {
      uint64_t h;
      (void)inv.Acquire("sku", "alice", 1, kNow, 100, &h);
    });
    const int found = RecordIn(kScrub);
    EXPECT_GE(found, 0);
    if (found < 0) return 0;
    const uint64_t gen = inv_->hold_records()[found].state.load() >> 8;
    const uint64_t block = inv_->LaneUnits("sku");
    std::atomic<uint64_t>* lane_word =
        OnlyWordHolding((block << 32) | StockStamp(found, gen - 1));
    EXPECT_NE(lane_word, nullptr);
    if (lane_word == nullptr) return 0;
    lane_word->store(0);
    RewindRecord(found, 1, kFill);
    EXPECT_EQ(inv_->LaneUnits("sku"), 0u);
    return block;
  }
  // Moves the refill LeaveRefillInFlight left one step further back: killed
  // right after its drain's CAS, before the advance to kFill, so only the
  // drain's stamp in the central count says the units left it.
  void RewindRefillToItsDrain() {
    const int refill = RecordIn(kFill);
    ASSERT_GE(refill, 0);
    RewindRecord(refill, 1, kDrain);
  }
};

// As SetStockAfterAWorkerDiedMidRefillIsExact (below), one step earlier:
// the transfer still waits at its drain, applied.
TEST_F(LaneStockChanges, SetStockAfterAWorkerDiedJustAfterDrainingIsExact) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  const uint64_t block = LeaveRefillInFlight();
  ASSERT_GT(block, 0u);
  RewindRefillToItsDrain();
  ASSERT_EQ(inv_->SetStock("sku", 100), EDGEKIT_OK);
  inv_->Expire(kNow);
  EXPECT_EQ(Stats().available, 100u) << "block in flight: " << block;
  ExpectClean();
}

// The other direction: a worker's gather drained a lane and died right
// after that CAS, before marking it, so the lane's units are neither in the
// lane nor in the central count; only the drain's stamp in the lane word
// says where they went. set_stock must finish that transfer as well.
TEST_F(LaneStockChanges, SetStockAfterAWorkerDiedJustAfterGatheringIsExact) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &h), EDGEKIT_OK);
  const uint64_t in_lane = inv_->LaneUnits("sku");
  ASSERT_GT(in_lane, 0u);
  const uint64_t central = Stats().available - in_lane;
  // The gather's scrub is the first one the child's set_stock reaches.
  DieAt(kScrub, true, [](Inventory& inv) { (void)inv.SetStock("sku", 500); });
  ASSERT_EQ(inv_->LaneUnits("sku"), 0u);
  const int found = RecordIn(kScrub);
  ASSERT_GE(found, 0);
  const uint64_t gen = inv_->hold_records()[found].state.load() >> 8;
  // Undo the fill: the central count's word as it was, with no stamp.
  std::atomic<uint64_t>* central_word =
      OnlyWordHolding(((central + in_lane) << 32) | StockStamp(found, gen - 1));
  ASSERT_NE(central_word, nullptr);
  central_word->store(central << 32);
  RewindRecord(found, 2, kDrain);
  ASSERT_EQ(Stats().available, central);  // the lane's units are in flight
  ASSERT_EQ(inv_->SetStock("sku", 100), EDGEKIT_OK);
  inv_->Expire(kNow);
  EXPECT_EQ(Stats().available, 100u) << "in flight: " << in_lane;
  EXPECT_EQ(inv_->Expire(kNow + 100), 1u);  // alice's hold
  ExpectClean();
}

// A removal counts a dead worker's block in flight: all 1000 units can be
// removed although the central count holds only 1000 - block of them.
TEST_F(LaneStockChanges, RemovalCountsARefillLeftInFlight) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  const uint64_t block = LeaveRefillInFlight();
  ASSERT_GT(block, 0u);
  EXPECT_EQ(inv_->AddStock("sku", -1000), EDGEKIT_OK)
      << "block in flight: " << block;
  inv_->Expire(kNow);
  EXPECT_EQ(Stats().available, 0u);
  EXPECT_EQ(Stats().removed, 1000u);
  ExpectClean();
}

// set_stock(0) — the way to stop a sale — while a buyer refills its lane:
// the set's CAS on the central count fails on the refill's drain, and its
// retry finds more in the lanes than it may leave: it gathers them again.
// Either linearization (acquire first: 0 available, 1 held; set first: bob
// sold out) leaves nothing available.
TEST_F(LaneStockChanges, SetStockToZeroUnderARefillLeavesNothingOnSale) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  InterruptAt(kStockSet, true, [&] {
    uint64_t bob;
    ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &bob), EDGEKIT_OK);
  });
  ASSERT_EQ(inv_->SetStock("sku", 0), EDGEKIT_OK);
  EXPECT_EQ(Stats().available, 0u)
      << inv_->LaneUnits("sku") << " units left in lanes after set_stock(0)";
  uint64_t h;
  EXPECT_EQ(inv_->Acquire("sku", "carol", 1, kNow, 100, &h),
            EDGEKIT_E_SOLD_OUT);
  ExpectClean();
}

// No sale runs; the only worker died mid-refill, its block drained from the
// central count but not yet in its lane. set_stock finishes that transfer
// first, so the count it sets is exact, and expire finds nothing to add.
TEST_F(LaneStockChanges, SetStockAfterAWorkerDiedMidRefillIsExact) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  const uint64_t block = LeaveRefillInFlight();
  ASSERT_GT(block, 0u);
  ASSERT_EQ(inv_->SetStock("sku", 100), EDGEKIT_OK);
  inv_->Expire(kNow);  // finishes the dead worker's transfer
  EXPECT_EQ(Stats().available, 100u) << "block in flight: " << block;
  ExpectClean();
}

// As above, but the refill drains the central count while set_stock is
// already at its CAS, so no scan before the set can see it: the set's CAS
// fails on the drained word, and its retry must finish the transfer and
// count the block, or the block lands in the lane after "set_stock(0)".
TEST_F(LaneStockChanges, SetStockCountsARefillDrainedUnderIt) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  uint64_t block = 0;
  InterruptAt(kStockSet, true, [&] { block = LeaveRefillInFlight(); });
  ASSERT_EQ(inv_->SetStock("sku", 0), EDGEKIT_OK);
  ASSERT_GT(block, 0u);
  inv_->Expire(kNow);  // would finish the transfer, had the set not
  EXPECT_EQ(Stats().available, 0u) << "block in flight: " << block;
  uint64_t h;
  EXPECT_EQ(inv_->Acquire("sku", "carol", 1, kNow, 100, &h),
            EDGEKIT_E_SOLD_OUT);
  ExpectClean();
}

// add_stock is exact: removing 990 of 999 available must succeed whether it
// runs before or after a concurrent one-unit acquire, even when the
// acquire's refill moves units into a lane after the removal's gather.
TEST_F(LaneStockChanges, RemovalUnderARefillStillFindsTheUnits) {
  ASSERT_EQ(inv_->AddStock("sku", 990), EDGEKIT_OK);
  uint64_t h;
  ASSERT_EQ(inv_->Acquire("sku", "alice", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_GT(inv_->LaneUnits("sku"), 0u);
  InterruptAt(kStockSet, true, [&] {
    uint64_t bob;
    ASSERT_EQ(inv_->Acquire("sku", "bob", 1, kNow, 100, &bob), EDGEKIT_OK);
  });
  EXPECT_EQ(inv_->AddStock("sku", -990), EDGEKIT_OK)
      << "available: " << Stats().available;
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

// Stale stamps across generation wrap-around. With one hold record, every
// operation cycles it; a stock word keeps 11 generation bits of a stamp. A
// step of a quiet SKU whose record comes back 2^11 (or 2^12) generations
// later, to the same phase on the same word, must still be applied: a
// stamp left from the record's earlier operation would say it already was.
class Wrap : public ::testing::TestWithParam<uint64_t> {
 protected:
  void SetUp() override {
    Config c;
    c.max_holds = 1;
    c.max_skus = 8;
    c.max_buyers = 64;
    len_ = *Inventory::RegionSize(c);
    mem_ = std::aligned_alloc(64, (len_ + 63) & ~size_t{63});
    inv_.emplace(*Inventory::Format(mem_, len_, c));
    // Below the lane refill floor: acquires on "busy" take from its
    // central count, so each operation's generation cost is fixed.
    ASSERT_EQ(inv_->SetStock("busy", 100), EDGEKIT_OK);
    ASSERT_EQ(inv_->SetStock("quiet", 100), EDGEKIT_OK);
  }
  void TearDown() override { std::free(mem_); }

  uint64_t FreeGen() {
    const uint64_t s = inv_->hold_records()[0].state.load();
    EXPECT_EQ(s & 0xff, 0u);  // between operations the record is free
    return s >> 8;
  }
  // Other work on "busy" until the record is free at generation |target|:
  // acquire and cancel while far from it, then stock changes that succeed
  // or are refused, whose costs differ by one generation.
  void CycleTo(uint64_t target) {
    uint64_t g = FreeGen();
    ASSERT_EQ(inv_->AddStock("busy", -1'000'000), EDGEKIT_E_STOCK_RANGE);
    const uint64_t refused = FreeGen() - g;
    g += refused;
    ASSERT_EQ(inv_->AddStock("busy", 1), EDGEKIT_OK);
    const uint64_t changed = FreeGen() - g;
    ASSERT_EQ(changed, refused + 1);
    for (g = FreeGen(); g + 20 < target; g = FreeGen()) {
      uint64_t h;
      ASSERT_EQ(inv_->Acquire("busy", "w", 1, kNow, 100, &h), EDGEKIT_OK);
      ASSERT_EQ(inv_->Cancel(h), EDGEKIT_OK);
    }
    ASSERT_GE(target - g, 2 * refused);
    while (g < target) {
      if ((target - g) % refused == 0) {
        ASSERT_EQ(inv_->AddStock("busy", -1'000'000), EDGEKIT_E_STOCK_RANGE);
      } else {
        ASSERT_EQ(inv_->AddStock("busy", 1), EDGEKIT_OK);
      }
      g = FreeGen();
    }
    ASSERT_EQ(g, target);
  }
  void ExpectConserved(const char* sku) {
    edgekit_stock_stats st;
    ASSERT_EQ(inv_->Stats(sku, &st), EDGEKIT_OK);
    EXPECT_EQ(st.added - st.removed, st.available + st.held + st.sold) << sku;
    EXPECT_EQ(st.held, 0u) << sku;
  }
  edgekit_stock_stats Stats(const char* sku) {
    edgekit_stock_stats st;
    EXPECT_EQ(inv_->Stats(sku, &st), EDGEKIT_OK);
    return st;
  }

  size_t len_;
  void* mem_;
  std::optional<Inventory> inv_;
};

TEST_P(Wrap, QuietStockChangeIsCountedAfterTheRecordCycled) {
  const uint64_t before = FreeGen();
  ASSERT_EQ(inv_->AddStock("quiet", 10), EDGEKIT_OK);
  CycleTo(before + GetParam());  // the next claim is GetParam() later
  ASSERT_EQ(inv_->AddStock("quiet", 5), EDGEKIT_OK);
  EXPECT_EQ(Stats("quiet").added, 115u);
  EXPECT_EQ(Stats("quiet").available, 115u);
  ExpectConserved("quiet");
  ExpectConserved("busy");
}

TEST_P(Wrap, QuietSaleIsCountedAfterTheRecordCycled) {
  uint64_t h;
  const uint64_t before = FreeGen();
  ASSERT_EQ(inv_->Acquire("quiet", "b1", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK);
  CycleTo(before + GetParam());
  ASSERT_EQ(inv_->Acquire("quiet", "b2", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK);
  EXPECT_EQ(Stats("quiet").sold, 2u);
  EXPECT_EQ(Stats("quiet").available, 98u);
  EXPECT_EQ(inv_->BuyerUnits("quiet", "b2"), 1u);
  ExpectConserved("quiet");
  ExpectConserved("busy");
}

// The same for a sale through a lane: the quiet SKU has enough stock for
// its acquires to refill a lane, whose words keep the stamps of the
// record's earlier take and sale.
TEST_P(Wrap, QuietLaneSaleIsCountedAfterTheRecordCycled) {
  ASSERT_EQ(inv_->AddStock("quiet", 900), EDGEKIT_OK);
  uint64_t h;
  const uint64_t before = FreeGen();
  ASSERT_EQ(inv_->Acquire("quiet", "b1", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK);
  ASSERT_GT(inv_->LaneUnits("quiet"), 0u);  // the sale went through a lane
  CycleTo(before + GetParam());
  ASSERT_EQ(inv_->Acquire("quiet", "b2", 1, kNow, 100, &h), EDGEKIT_OK);
  ASSERT_EQ(inv_->Confirm(h, kNow), EDGEKIT_OK);
  EXPECT_EQ(Stats("quiet").sold, 2u);
  EXPECT_EQ(Stats("quiet").available, 998u);
  EXPECT_EQ(inv_->BuyerUnits("quiet", "b2"), 1u);
  ExpectConserved("quiet");
  ExpectConserved("busy");
  EXPECT_EQ(inv_->StampsOfFreeRecords(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Generations, Wrap,
                         ::testing::Values(2047, 2048, 4095, 4096));

// Review (3474a21): Gone() now also asks the record's |who|. A hold returned
// by any path (cancel, expire, a confirm past its TTL) is answered
// HOLD_EXPIRED in every phase of its return, not only once it is free.
TEST_F(Steps, ReviewReturnedHoldIsExpiredOnEveryPathInEveryPhase) {
  enum Path { kByCancel, kByExpire, kByLateConfirm };
  for (Path path : {kByCancel, kByExpire, kByLateConfirm}) {
    uint64_t hold;
    ASSERT_EQ(inv_->Acquire("sku", "alice", 2, kNow, 100, &hold), EDGEKIT_OK);
    switch (path) {
      case kByCancel:
        ASSERT_EQ(inv_->Cancel(hold), EDGEKIT_OK);
        break;
      case kByExpire:
        ASSERT_EQ(inv_->Expire(kNow + 100), 2u);
        break;
      case kByLateConfirm:
        ASSERT_EQ(inv_->Confirm(hold, kNow + 100), EDGEKIT_E_HOLD_EXPIRED);
        break;
    }
    const uint64_t freed = Record(hold).state.load();
    ASSERT_EQ(freed, (((hold >> 20) + 4) << 8) | kFree) << path;
    for (auto [offset, phase] : {std::pair{1, kReturn}, std::pair{2, kUnbuy},
                                 std::pair{3, kScrub}, std::pair{4, kFree}}) {
      Rewind(hold, offset, phase);  // only read: put back below
      EXPECT_EQ(inv_->Cancel(hold), EDGEKIT_E_HOLD_EXPIRED) << path << phase;
      EXPECT_EQ(inv_->Confirm(hold, kNow), EDGEKIT_E_HOLD_EXPIRED)
          << path << phase;
      Record(hold).state.store(freed);
    }
    EXPECT_EQ(inv_->Cancel(hold + (uint64_t{1} << 20)), EDGEKIT_E_UNKNOWN_HOLD);
    ExpectClean();
  }
}

// Review (48d7c73): a buyer word keeps 26 generation bits and a retired
// flag. When the record comes back 2^26 generations after the scrub that
// retired its stamp in a quiet buyer's word, at exactly that generation
// for each of its steps on that word (reserve; unbuy), the retired stamp
// reads as neither its step nor its decline: no retry, no unit counted
// twice or lost.
TEST(ReviewBuyerWrap, RetiredBuyerStampAtTheWrapIsNeitherTheStepNorADecline) {
  for (int which : {0, 1}) {  // 0: the reserve lands on it; 1: the unbuy
    Config c;
    c.max_holds = 1;
    c.max_skus = 4;
    c.max_buyers = 16;
    c.default_buyer_limit = 5;
    const size_t len = *Inventory::RegionSize(c);
    void* mem = std::aligned_alloc(64, (len + 63) & ~size_t{63});
    std::optional<Inventory> inv(*Inventory::Format(mem, len, c));
    ASSERT_EQ(inv->SetStock("quiet", 100), EDGEKIT_OK);
    auto& state = inv->hold_records()[0].state;
    uint64_t h;
    ASSERT_EQ(inv->Acquire("quiet", "b", 1, kNow, 100, &h), EDGEKIT_OK);
    ASSERT_EQ(inv->Cancel(h), EDGEKIT_OK);
    ASSERT_EQ(state.load() & 0xff, kFree);
    const uint64_t scrub_gen = (state.load() >> 8) - 1;  // retired "b"'s word
    // The next claim is at generation claim; its reserve at claim, its
    // unbuy (after a cancel) at claim + 4.
    const uint64_t claim =
        scrub_gen + (uint64_t{1} << 26) - (which == 0 ? 0 : 4);
    state.store((claim - 1) << 8);  // free, as if it had cycled
    ASSERT_EQ(inv->Acquire("quiet", "b", 2, kNow, 100, &h), EDGEKIT_OK);
    EXPECT_EQ(h >> 20, claim + 2) << "the reserve was retried";
    EXPECT_EQ(inv->BuyerUnits("quiet", "b"), 2u);
    ASSERT_EQ(inv->Cancel(h), EDGEKIT_OK);
    EXPECT_EQ(inv->BuyerUnits("quiet", "b"), 0u);
    edgekit_stock_stats st;
    ASSERT_EQ(inv->Stats("quiet", &st), EDGEKIT_OK);
    EXPECT_EQ(st.available, 100u);
    EXPECT_EQ(st.held, 0u);
    EXPECT_EQ(inv->StampsOfFreeRecords(), 0u);
    inv.reset();
    std::free(mem);
  }
}

}  // namespace
}  // namespace edgekit::inventory
