// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Flash-sale inventory in a region: stock per SKU, per-buyer limits, holds
// with a TTL, and GCRA rate limits. The public contract, guarantees and
// memory budget are in include/edgekit/inventory.h; the crash-safety
// argument is at the top of inventory.cc. An Inventory is a small handle
// (views into the region); copy it freely, share it between threads.

#ifndef EDGEKIT_LIB_INVENTORY_INVENTORY_H_
#define EDGEKIT_LIB_INVENTORY_INVENTORY_H_

#include <atomic>
#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "edgekit/inventory.h"
#include "edgekit/status.h"
#include "region/region.h"

namespace edgekit::inventory {

// Capacities; every field is already defaulted and checked (see
// edgekit_inventory_config for meanings and bounds).
struct Config {
  uint32_t max_skus = 1024;
  uint32_t max_buyers = 65536;
  uint32_t max_holds = 4096;
  uint32_t max_sku_len = 48;
  uint32_t max_buyer_len = 40;
  uint32_t default_buyer_limit = 1;
  uint32_t max_rate_keys = 4096;
  uint32_t max_rate_key_len = 64;
  uint64_t hash_seed = 0;
};

// FromC applies defaults to a C config (NULL means all defaults).
[[nodiscard]] absl::StatusOr<Config> FromC(const edgekit_inventory_config* c);

using StockStats = edgekit_stock_stats;
using HoldCensus = edgekit_hold_census;

// Phases of a hold record, stored as (generation << 8 | phase) in its state
// word; each transition bumps the generation. What each phase waits for is
// at the top of inventory.cc. Part of the memory format.
enum HoldPhase : uint8_t {
  kFree = 0,
  kReserve = 1,   // owner counts the buyer's units
  kTake = 2,      // owner takes the stock
  kUndo = 3,      // anyone gives the buyer's units back (sold out)
  kHeld = 4,      // a live hold
  kReturn = 5,    // anyone returns the units to stock
  kUnbuy = 6,     // anyone gives the buyer's units back
  kSell = 7,      // anyone counts the sale
  kStockSet = 8,  // owner changes available stock
  kStockLog = 9,  // anyone counts the change as added or removed
  kScrub = 10,    // anyone retires the record's stamps, then frees it
  kDrain = 11,    // owner takes a block from a transfer's source
  kFill = 12,     // anyone adds the block to the transfer's destination
};

// Stock lanes per SKU: units moved in blocks from the SKU's central count
// to the lane of the CPU that sells them, so workers on different CPUs
// selling one hot SKU write different cache lines. Part of the memory
// format.
inline constexpr uint32_t kLanes = 8;

// The memory layout version of inventory regions. Bump on any change.
// 2: hold records carry tagged field words; stamps carry a declined flag;
//    every operation ends in kScrub (regions of v2 are unreleased).
// 3: per-SKU stock lanes and transfer records (kDrain, kFill); |what|
//    names the lane a hold took from.
// 4: a retired stamp on a buyer word carries a retired flag (one of its
//    generation bits before).
inline constexpr uint32_t kLayoutVersion = 4;

class Inventory {
 public:
  // Setup paths.
  [[nodiscard]] static absl::StatusOr<size_t> RegionSize(const Config& config);
  [[nodiscard]] static absl::StatusOr<Inventory> Format(void* mem, size_t len,
                                                        const Config& config);
  // Attach errors: InvalidArgument for NULL/misaligned memory,
  // FailedPrecondition for anything that is not a valid region.
  [[nodiscard]] static absl::StatusOr<Inventory> Attach(void* mem, size_t len);

  // Request paths: lock-free, no allocation; statuses as in the C header.
  [[nodiscard]] edgekit_status SetStock(std::string_view sku,
                                        uint64_t available);
  [[nodiscard]] edgekit_status AddStock(std::string_view sku, int64_t delta);
  [[nodiscard]] edgekit_status SetBuyerLimit(std::string_view sku,
                                             uint32_t limit);
  [[nodiscard]] edgekit_status Stats(std::string_view sku,
                                     StockStats* out) const;
  [[nodiscard]] edgekit_status Acquire(std::string_view sku,
                                       std::string_view buyer, uint32_t qty,
                                       uint64_t now_ms, uint64_t hold_ttl_ms,
                                       uint64_t* out_hold);
  // Prefetch starts loading the buyer record Acquire(sku, buyer, ...) reads
  // first; nothing for an unknown SKU or a bad argument.
  void Prefetch(std::string_view sku, std::string_view buyer) const;
  [[nodiscard]] edgekit_status Confirm(uint64_t hold, uint64_t now_ms);

  // What a live hold is about to sell, for a win ticket.
  struct Sale {
    uint64_t hold;
    std::string_view sku;
    std::string_view buyer;
    uint32_t qty;
  };
  // Confirm runs |prepare| once the hold is found live and unexpired, before
  // the sale commits. If |prepare| returns anything but EDGEKIT_OK the hold
  // stays as it was and that status is returned; if another process settles
  // the hold meanwhile, the sale is theirs and |prepare|'s work is moot.
  [[nodiscard]] edgekit_status Confirm(
      uint64_t hold, uint64_t now_ms,
      absl::FunctionRef<edgekit_status(const Sale&)> prepare);
  [[nodiscard]] edgekit_status Cancel(uint64_t hold);
  // Expire returns the units it moved from expired holds back to stock.
  uint64_t Expire(uint64_t now_ms);
  [[nodiscard]] edgekit_status RateCheck(std::string_view key,
                                         uint32_t rate_per_s, uint32_t burst,
                                         uint32_t cost, uint64_t now_ms,
                                         uint64_t* retry_after_ms);

  // Inspection (tools, tests, monitoring): scans, not snapshots.
  [[nodiscard]] HoldCensus Census() const;
  // Units counted against |buyer| for |sku| (held + bought), or 0.
  [[nodiscard]] uint32_t BuyerUnits(std::string_view sku,
                                    std::string_view buyer) const;
  // Units in live holds of |sku| (the scan that |held| in Stats must match).
  [[nodiscard]] uint64_t HeldUnitsByScan(std::string_view sku) const;
  // Counter words holding the plain (step) stamp of a free record. Zero
  // whenever no operation is in flight: every operation retires its stamps
  // before its record is freed (kScrub). Tests and debugging; scans every
  // SKU and buyer record.
  [[nodiscard]] uint64_t StampsOfFreeRecords() const;
  void ForEachSku(
      absl::FunctionRef<void(std::string_view sku, const StockStats& stats)> fn)
      const;
  // Calls |fn| for every buyer record: SKU, buyer and units counted.
  void ForEachBuyer(
      absl::FunctionRef<void(std::string_view sku, std::string_view buyer,
                             uint32_t units)>
          fn) const;
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] size_t region_size() const { return size_; }

  // Hold records, exposed for the crash tests and the inspector. |who| and
  // |what| are written once per claim by its owner, each tagged with the
  // claim's generation (layout at the top of inventory.cc).
  struct HoldRecord {
    std::atomic<uint64_t> state;  // gen << 8 | phase
    std::atomic<uint64_t> who;    // slot | qty << 31 | claim tag << 47
    std::atomic<uint64_t> what;   // expiry or amount | pair << 44 | tag << 49
    std::atomic<uint64_t> unused[5];
  };
  static_assert(sizeof(HoldRecord) == 64);
  // The max_holds records, for inspection and for tests that stop an
  // operation between two steps by rewinding a record's state.
  [[nodiscard]] HoldRecord* hold_records() const { return holds_; }

  // Benchmarks only: acquire's stock step alone. PrepareStockStep runs two
  // acquires of one unit up to their stock step and leaves their records
  // there, one taking from lane |lane| (1..kLanes) and one from the SKU's
  // central count; each StockStep then does what acquire does for its
  // stock: picks where to take from (refilling the lane in a block when it
  // runs short, or gathering the lanes back when the central count does)
  // and performs exactly that step — the stamped compare-and-swap taking one
  // unit with finalize-before-supersede, and the phase advance — then
  // rewinds the record to wait on the step again, as its next acquire
  // would. StockStep returns false when sold out. The records are never
  // freed; production code has no use for either.
  struct BenchStep {
    uint32_t records[2];  // lane, central
    uint32_t sku_slot;
    uint32_t lane;
  };
  [[nodiscard]] bool PrepareStockStep(std::string_view sku,
                                      std::string_view buyer, uint32_t lane,
                                      BenchStep* out) const;
  bool StockStep(const BenchStep& step) const;
  // Units in the lanes of |sku| (tests): the part of available that is not
  // in the central count.
  [[nodiscard]] uint64_t LaneUnits(std::string_view sku) const;

  // Tests only: |hook| runs in the owner's thread at these points of each
  // operation that owns a record — once right after claiming it, before its
  // fields are published (|published| false), right before every CAS
  // that applies one of its owner steps (true), and when this handle starts
  // a record's scrub (kScrub, true) — so a test can stop an owner there and
  // let other callers act, or kill it with its step stamps still in place. The
  // hook belongs to this handle only; production code never sets it.
  using StepHook = void (*)(void* ctx, uint32_t record, uint8_t phase,
                            bool published);
  void set_step_hook_for_testing(StepHook hook, void* ctx) {
    hook_ = hook;
    hook_ctx_ = ctx;
  }

 private:
  struct Parts;
  Inventory() = default;
  static absl::StatusOr<Inventory> Build(void* mem, size_t len,
                                         const Config& config, bool format);

  // A lane: the available and sold counter words of one (SKU, CPU group),
  // alone on a cache line.
  struct Lane {
    std::atomic<uint64_t> avail;
    std::atomic<uint64_t> sold;
    std::atomic<uint64_t> unused[6];
  };
  static_assert(sizeof(Lane) == 64);

  HoldRecord& hold(uint32_t index) const { return holds_[index]; }
  Lane& lane(uint64_t sku_slot, uint32_t lane) const {
    return lanes_[sku_slot * kLanes + (lane - 1)];
  }
  // Whether an id has 1..max_sku_len (max_buyer_len) bytes.
  bool SkuFits(std::string_view sku) const {
    return !sku.empty() && sku.size() <= config_.max_sku_len;
  }
  bool BuyerFits(std::string_view buyer) const {
    return !buyer.empty() && buyer.size() <= config_.max_buyer_len;
  }
  uint64_t SkuOf(uint64_t buyer_slot) const;
  // FindSku looks a SKU up, through this thread's memo of the last one it
  // acquired from; |remember| makes this one the memo's.
  bool FindSku(std::string_view sku, region::Table::Slot* out,
               bool remember) const;
  // The available (kAvail) or sold (kSold) word of |pair| of a SKU: 0 is the
  // SKU's central count, 1..kLanes its lanes; NULL if out of range.
  std::atomic<uint64_t>* PairWord(uint64_t sku_slot, uint64_t pair,
                                  int which) const;
  uint64_t LaneSum(uint64_t sku_slot) const;
  uint64_t Transfer(uint64_t sku_slot, uint32_t lane, bool to_central,
                    uint64_t min, uint64_t want, bool* no_record) const;
  bool Gather(uint64_t sku_slot) const;
  void FinishTransfers(uint64_t sku_slot) const;
  int ChoosePair(uint64_t sku_slot, uint32_t lane, uint64_t qty) const;
  std::atomic<uint64_t>* Target(uint64_t state, const HoldRecord& rec) const;
  bool AdvanceTo(HoldRecord& rec, uint64_t state, uint8_t phase) const;
  void FinalizeStamp(std::atomic<uint64_t>* word, uint64_t stamp,
                     int value_bits) const;
  template <typename NewValue>
  int Apply(uint32_t index, uint64_t state, std::atomic<uint64_t>* word,
            int value_bits, NewValue new_value) const;
  template <typename NewValue>
  int OwnerStep(uint32_t index, uint64_t state, std::atomic<uint64_t>* word,
                int value_bits, NewValue new_value) const;
  void Help(uint32_t index) const;
  bool AllocHold(uint64_t seed, uint8_t phase, uint32_t* index,
                 uint64_t* state) const;
  bool Publish(uint32_t index, uint64_t state, uint64_t who,
               uint64_t what) const;
  bool Stalled(const HoldRecord& rec, uint64_t state, uint64_t who) const;
  void Settle(uint32_t index, uint64_t state, uint64_t now_ms) const;
  void Decline(uint32_t index, uint64_t state, std::atomic<uint64_t>* word,
               int value_bits) const;
  void Scrub(uint32_t index, uint64_t state) const;
  void Hook(uint32_t index, uint64_t state, bool published) const {
    if (hook_ != nullptr) {
      hook_(hook_ctx_, index, static_cast<uint8_t>(state & 0xff), published);
    }
  }
  edgekit_status StockOp(std::string_view sku, bool set, int64_t value);
  edgekit_status ConfirmHold(
      uint64_t hold, uint64_t now_ms,
      const absl::FunctionRef<edgekit_status(const Sale&)>* prepare);
  void SkuStats(uint64_t sku_slot, std::atomic<uint64_t>* values,
                StockStats* out) const;

  Config config_;
  size_t size_ = 0;
  region::Table skus_;
  region::Table buyers_;
  region::Table rates_;
  HoldRecord* holds_ = nullptr;
  Lane* lanes_ = nullptr;
  StepHook hook_ = nullptr;
  void* hook_ctx_ = nullptr;
};

}  // namespace edgekit::inventory

#endif  // EDGEKIT_LIB_INVENTORY_INVENTORY_H_
