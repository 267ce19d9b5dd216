// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Inventory in a region. Why it cannot lose a unit — of stock or of a
// buyer's limit — even when a process is killed between any two
// instructions, or stalls between them for as long as it likes:
//
// 1. Every count that matters is a *counter word*: a 64-bit atomic holding
//    the value in its high bits and, in its low bits, a *stamp* naming the
//    hold record (index + low generation bits) whose step last changed it,
//    plus a *declined* flag (6.). Per SKU: available, sold, added, removed
//    (32-bit values), and available and sold again in each of its lanes
//    (8.); per (SKU, buyer): units counted against the limit (16-bit
//    value). `held` is not stored; it is added - removed - available - sold,
//    available and sold summed over the central count and the lanes.
//
// 2. Every operation is a hold record (64 bytes) whose state word
//    (generation << 8 | phase) moves through phases; each phase changes
//    exactly one counter word, and each transition bumps the generation:
//
//      acquire   kReserve (buyer += q) → kTake (available -= q) → kHeld
//                    ↘ refused or declined: kScrub
//                                    ↘ refused or declined: kUndo
//                                      (buyer -= q) → kScrub
//      confirm   kHeld → kSell (sold += q) → kScrub
//      return    kHeld → kReturn (available += q) → kUnbuy (buyer -= q)
//                → kScrub
//      stock     kStockSet (available := n) → kStockLog (added/removed += d)
//      → kScrub    ↘ refused or declined: kScrub
//      transfer  kDrain (source -= b) → kFill (destination += b) → kScrub
//                  ↘ refused or declined: kScrub
//      and every operation ends  kScrub (retire its stamps, 7.) → kFree
//    A hold's take, return and sale go to one *pair* of available and sold
//    words, named in its |what|: the SKU's central pair or one of its lanes.
//
// 3. Publishing. The owner claims a free record with a CAS on its state,
//    then installs its fields — |what| (expiry, or a stock change's amount)
//    and then |who| (buyer or SKU slot, qty) — each with a CAS from a value
//    it read after claiming, each tagged with the claim's generation. |who|
//    carrying this claim's tag is what "published" means; nothing reads a
//    record's fields before (Target() refuses), and the owner touches no
//    counter before. Because installs are CASes from the record's previous
//    values, an owner that lost its claim (5.) can never overwrite the
//    fields of the record's next claim: its late CAS finds them changed.
//
// 4. A step is applied with one CAS on the counter word that changes the
//    value and writes the step's stamp together. The stamp makes the step
//    idempotent: whoever finds its own stamp in the word knows the step is
//    done and only advances the phase. Before overwriting another record's
//    stamp, a CAS first advances that record's phase if it still waits on
//    this word ("finalize before supersede"). So for any record, exactly one
//    of these holds at any moment: its step is not applied and the phase
//    waits; the stamp is in the word; or the phase has moved on. A process
//    that dies after the CAS leaves the stamp; one that dies before it
//    leaves an unapplied phase. Either way the record says what to do next.
//
// 5. Steps that cannot fail (kUndo, kReturn, kUnbuy, kSell, kStockLog) may be
//    applied by anyone: racing appliers are resolved by the CAS and the
//    stamp. Steps that decide (kReserve: within the buyer limit? kTake:
//    enough stock? kStockSet: in range?) are the owner's; anyone else only
//    finalizes them when it finds their stamp — except expire(), which
//    *settles* an owner step that has waited too long (a hold's once its
//    expiry, written before its first step, has passed; a stock change's
//    once it has not moved while expire watched it; there is no clock for
//    those):
//    A transfer's drain is settled like a stock change.
//    - unpublished (the owner died or stalls between its claim and its
//      install of |who|): expire revokes the claim by installing a revoked
//      |who| with the claim's tag, then frees the record. The owner's own
//      install of |who| now fails, and it has counted nothing.
//    - published: expire *declines* the step (6.).
//
// 6. Declining without a double-word CAS. The owner's pending CAS is on the
//    counter word, so the decision must be made there: expire writes the
//    record's own stamp with the declined flag into that word, value
//    unchanged (after finalizing the stamp it replaces, as any step does),
//    then moves the phase to where a refusal would have (kFree, or kUndo
//    once buyer units are counted). Now:
//    - the owner's CAS, expecting the word it read before, fails; every
//      later read finds the declined stamp, or — once another step has
//      superseded it, which first finalized the decline — a foreign stamp
//      and the phase moved on. Only the owner ever writes its plain stamp
//      for the step, and it has not, so a phase that moved on can only
//      have been declined: the owner knows it took nothing, lets kUndo give
//      the buyer's units back, and starts over with a fresh record and the
//      same expiry (so its new hold is already expired if it stalled past
//      its TTL). It never takes a unit for a declined step, and never
//      thinks it took one it did not.
//    - if the owner's CAS came first, expire finds the owner's plain stamp
//      and finalizes the step as taken instead (a hold past its TTL is then
//      returned by the normal path).
//    Helpers never *take* on an owner's behalf: then "the phase moved on"
//    would not tell the owner whether it holds the units once the record
//    had been reused, and a decline costs the owner only a retry.
//    So expire() leaves no record behind: every one is finished, declined
//    or revoked, and a dead worker's holds, buyer units and stock changes
//    come back once their TTL passes (Census: nothing stranded, unless the
//    region was corrupted).
//
// 7. Scrub before free. A stamp keeps only 11 generation bits on a stock
//    word, and a quiet word (a SKU's added or removed, a quiet SKU's sold)
//    may keep one for a long time: were it left there, the record could
//    come back 2^11 generations later to wait on that word in the same
//    phase, take the old stamp for its own and skip its step. So every
//    operation ends in kScrub, which waits on no word: it replaces each
//    *plain* stamp of the record (any generation) in every counter word
//    the operation may have written — derived from |who| and |what|: a
//    hold's buyer word and its pair's available and sold; a stock change's
//    central available, added and removed; a transfer's central and lane
//    available — with a *retired* stamp, and only then frees the record.
//    Invariant: when a record is claimed, no counter word holds a plain
//    stamp of it, so every plain stamp of a record is its current
//    operation's, whose steps' generations differ by a handful.
//    - The retired stamp is the record's stamp at its kScrub generation
//      with the declined flag (and, on a buyer word, which has a bit to
//      spare, the retired flag too, so FinalizeStamp passes it by without
//      loading the record), value unchanged. Not an empty stamp: a
//      constant empty stamp would let a word return to a (value, stamp)
//      pair an owner read before its step was declined (6.), and the
//      owner's stalled CAS would then succeed for a record no longer its.
//      A retired stamp, like every stamp, is written once per generation.
//    - A retired stamp on a stock word (or an old declined stamp) of a
//      record that comes back, 2^11 generations later, to an owner step on
//      that word reads as a decline of that step: the step is declined
//      without being taken, which costs the owner a retry, never a unit.
//      Helpable steps ignore declined stamps. Only the owner writes plain
//      stamps (4., 6.).
//    - Scrubbing needs no finalize before supersede: the stamps it
//      replaces are its own record's, whose steps are all done. It loads
//      the word before the phase, as Apply does, so it never retires a
//      stamp of the record's next claim, which starts only after kFree. It
//      is idempotent: anyone may scrub, and a crash leaves kScrub for
//      expire. A late helper CAS of a finished step cannot put a plain
//      stamp back: it expects the word as it was before the step.
//
// 8. Lanes. Each SKU has kLanes lanes besides its central count, each an
//    available and a sold word on a cache line of its own; an acquire uses
//    the lane of its CPU. Units enter and leave a lane only by a transfer
//    (a record like any other, so 1.-7. hold for it), between the lane and
//    the central count: a block into the lane while the central count is
//    plentiful, everything back (a gather) when an acquire or a stock change
//    finds the central count short. A lane is only where units wait, never
//    whose they are, so nothing depends on which lane a caller picks.
//
// The stamp keeps 11 (stock words) or 26 (buyer words) generation bits and
// a |who| tag 17; |what| 15. With 7., a stale value can be mistaken for a
// live one only by a stalled CAS: one that read (v, s), where s names
// record r at generation g, and stalls while r cycles 2^11 (2^26 on a
// buyer word; 2^17, 2^15 for the field tags) generations and writes s
// again — the same step or retired stamp, at g modulo 2^11 — into the same
// word while it holds the same value v. We accept that (it needs hundreds
// of operations through one record while one CAS stalls).

#include "inventory/inventory.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <cstring>
#include <new>
#include <thread>

#include "absl/status/status.h"

namespace edgekit::inventory {
namespace {

using region::Table;

// Value words of a SKU slot.
enum SkuWord { kAvail = 0, kSold = 1, kAdded = 2, kRemoved = 3, kLimit = 4 };
constexpr uint32_t kSkuWords = 5;

constexpr int kStockBits = 32;
constexpr int kBuyerBits = 16;
constexpr int kIndexBits = 20;
constexpr uint32_t kMaxHolds = (1u << kIndexBits) - 1;
constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
constexpr uint64_t kHoldGenMask = (uint64_t{1} << 44) - 1;
constexpr uint64_t kRemovalFlag = uint64_t{1} << 32;
constexpr uint64_t kMaxNowMs = uint64_t{10'000'000'000'000};  // year 2286
constexpr uint64_t kMaxHoldTtlMs = uint64_t{31'536'000'000};  // 365 days

// How long a helper watches an owner that has not moved before it settles
// the owner's step without it (only capacity and retries depend on it).
constexpr uint32_t kOwnerSpins = 1 << 10;

enum StepResult { kApplied, kDone, kRejected, kDeclined };

inline uint64_t Gen(uint64_t s) { return s >> 8; }
inline uint8_t PhaseOf(uint64_t s) { return static_cast<uint8_t>(s & 0xff); }
inline uint64_t MakeState(uint64_t gen, uint8_t phase) {
  return (gen << 8) | phase;
}

inline uint8_t Next(uint8_t phase) {
  switch (phase) {
    case kReserve:
      return kTake;
    case kTake:
      return kHeld;
    case kReturn:
      return kUnbuy;
    case kStockSet:
      return kStockLog;
    case kDrain:
      return kFill;
    case kScrub:
      return kFree;
    default:
      return kScrub;  // kUndo, kUnbuy, kSell, kStockLog, kFill
  }
}
// Where an owner step goes when it is refused or declined: nothing to undo
// unless the buyer's units were already counted.
inline uint8_t NotTaken(uint8_t phase) {
  return phase == kTake ? kUndo : kScrub;
}

inline bool Waits(uint8_t phase) {
  return (phase != kFree && phase != kHeld && phase <= kStockLog) ||
         phase == kDrain || phase == kFill;
}
inline bool OwnerOnly(uint8_t phase) {
  return phase == kReserve || phase == kTake || phase == kStockSet ||
         phase == kDrain;
}
// The first step of an operation: the record's fields may not be published.
inline bool FirstStep(uint8_t phase) {
  return phase == kReserve || phase == kStockSet || phase == kDrain;
}
inline int BitsFor(uint8_t phase) {
  return phase == kReserve || phase == kUndo || phase == kUnbuy ? kBuyerBits
                                                                : kStockBits;
}

// Counter words: value << (64 - bits) | stamp. A stamp is
//   declined flag (1 bit) | [retired flag (1 bit)] | generation | index + 1
// On stock words, 11 generation bits and no retired flag (no bit to
// spare); on buyer words, a retired flag and 26 generation bits.
inline uint64_t StampMask(int bits) { return (uint64_t{1} << (64 - bits)) - 1; }
inline uint64_t DeclinedFlag(int bits) { return uint64_t{1} << (63 - bits); }
// Marks a retired stamp (7.) on the words that have room for it, so that
// whoever meets one knows without loading its record that nothing waits on
// it. 0 on stock words.
inline uint64_t RetiredFlag(int bits) {
  return bits == kBuyerBits ? uint64_t{1} << (62 - bits) : 0;
}
inline uint64_t Stamp(uint32_t index, uint64_t gen, int bits) {
  const int gen_bits = 63 - bits - kIndexBits - (RetiredFlag(bits) ? 1 : 0);
  const uint64_t gen_mask = (uint64_t{1} << gen_bits) - 1;
  return ((gen & gen_mask) << kIndexBits) | (uint64_t{index} + 1);
}
inline uint64_t ValueOf(uint64_t word, int bits) { return word >> (64 - bits); }
inline uint64_t Pack(uint64_t value, uint64_t stamp, int bits) {
  return (value << (64 - bits)) | stamp;
}
inline uint64_t MaxValue(int bits) { return (uint64_t{1} << bits) - 1; }
// A plain stamp of record |index|: one its steps write when applied, as
// opposed to a declined stamp or a retired one (kScrub), which carry the
// declined flag.
inline bool IsPlainStampOf(uint64_t stamp, uint32_t index, int bits) {
  return (stamp & DeclinedFlag(bits)) == 0 &&
         (stamp & kIndexMask) == uint64_t{index} + 1;
}

// Field words of a hold record, each installed once per claim with a tag
// of the claim's generation:
//   who   slot (31 bits: the buyer slot of a hold, the SKU slot of a stock
//         change; all ones = revoked) | qty (16 bits) | tag (17 bits)
//   what  value (44 bits): the expiry of a hold (all ones never passes),
//         amount | kRemovalFlag of a stock change, amount | kToCentral |
//         kTransferFlag of a transfer | pair (5 bits): the lane a hold takes
//         from and returns to (0: the SKU's central count), or the lane a
//         transfer fills or drains | tag (15 bits)
// A hold's SKU slot is not stored: it prefixes its buyer record's key.
constexpr int kSlotBits = 31;
constexpr uint64_t kSlotMask = (uint64_t{1} << kSlotBits) - 1;
constexpr uint64_t kRevokedSlot = kSlotMask;
constexpr int kWhoTagShift = kSlotBits + kBuyerBits;
constexpr int kWhatBits = 44;
constexpr uint64_t kWhatMask = (uint64_t{1} << kWhatBits) - 1;
constexpr uint64_t kNever = kWhatMask;
constexpr int kPairBits = 5;
constexpr int kWhatTagShift = kWhatBits + kPairBits;
constexpr uint64_t kToCentral = uint64_t{1} << 32;  // a transfer's direction
constexpr uint64_t kTransferFlag = uint64_t{1} << 33;
static_assert(kLanes < (1u << kPairBits), "lane numbers must fit a pair");
static_assert(kMaxNowMs + kMaxHoldTtlMs < kNever,
              "a hold's expiry must never read as never");

inline uint64_t WhoTag(uint64_t gen) {
  return gen & ((uint64_t{1} << (64 - kWhoTagShift)) - 1);
}
inline uint64_t MakeWho(uint64_t slot, uint64_t qty, uint64_t gen) {
  return (WhoTag(gen) << kWhoTagShift) | (qty << kSlotBits) | slot;
}
inline bool WhoIsFor(uint64_t who, uint64_t gen) {
  return (who >> kWhoTagShift) == WhoTag(gen);
}
inline uint64_t WhoSlot(uint64_t who) { return who & kSlotMask; }
inline uint64_t WhoQty(uint64_t who) {
  return (who >> kSlotBits) & MaxValue(kBuyerBits);
}
// A first step whose owner has not installed |who| for this claim, or
// whose claim was revoked: expire revokes or frees it.
inline bool Unpublished(uint8_t phase, uint64_t gen, uint64_t who) {
  return FirstStep(phase) &&
         (!WhoIsFor(who, gen) || WhoSlot(who) == kRevokedSlot);
}
inline uint64_t MakeWhat(uint64_t value, uint64_t pair, uint64_t gen) {
  return (gen << kWhatTagShift) | (pair << kWhatBits) | value;
}
inline uint64_t WhatValue(uint64_t what) { return what & kWhatMask; }
inline uint64_t WhatPair(uint64_t what) {
  return (what >> kWhatBits) & ((uint64_t{1} << kPairBits) - 1);
}
inline uint64_t WhatAmount(uint64_t what) { return what & 0xffffffff; }
inline bool Expired(uint64_t what, uint64_t now_ms) {
  const uint64_t expiry = WhatValue(what);
  return expiry != kNever && now_ms >= expiry;
}

constexpr uint64_t kBuyerSeedSalt = 0x6275796572730000;  // "buyers"
constexpr uint64_t kRateSeedSalt = 0x7261746573000000;   // "rates"

struct Shapes {
  region::TableShape skus, buyers, rates;
};

// SKU slots are padded to whole cache lines: two hot SKUs in neighbouring
// slots would otherwise bounce one line between the cores selling them.
uint32_t SkuWordsFor(const Config& c) {
  region::TableShape s = region::ShapeFor(1, c.max_sku_len, kSkuWords, 0);
  const size_t slot = region::SlotSize(s);
  return kSkuWords + static_cast<uint32_t>(((slot + 63) / 64 * 64 - slot) / 8);
}

Shapes ShapesFor(const Config& c) {
  return Shapes{
      region::ShapeFor(c.max_skus, c.max_sku_len, SkuWordsFor(c), c.hash_seed),
      region::ShapeFor(c.max_buyers, 4 + c.max_buyer_len, 1,
                       c.hash_seed ^ kBuyerSeedSalt),
      region::ShapeFor(c.max_rate_keys, c.max_rate_key_len, 1,
                       c.hash_seed ^ kRateSeedSalt)};
}

absl::Status Validate(const Config& c) {
  auto range = [](uint64_t v, uint64_t lo, uint64_t hi) {
    return v >= lo && v <= hi;
  };
  if (!range(c.max_skus, 1, 1u << 24) || !range(c.max_buyers, 1, 1u << 30) ||
      !range(c.max_holds, 1, kMaxHolds) || !range(c.max_sku_len, 1, 255) ||
      !range(c.max_buyer_len, 1, 255) ||
      !range(c.default_buyer_limit, 1, MaxValue(kBuyerBits)) ||
      !range(c.max_rate_keys, 1, 1u << 30) ||
      !range(c.max_rate_key_len, 1, 255)) {
    return absl::InvalidArgumentError("inventory: capacity out of range");
  }
  return absl::OkStatus();
}

struct Offsets {
  size_t skus, lanes, buyers, holds, rates, size;
  bool ok;
};

Offsets LayoutFor(const Config& c, const Shapes& s) {
  region::Layout l;
  Offsets o;
  o.skus = l.Add(region::TableBytes(s.skus));
  o.lanes = l.AddArray(s.skus.num_slots * kLanes, 64);
  o.buyers = l.Add(region::TableBytes(s.buyers));
  o.holds = l.AddArray(c.max_holds, sizeof(Inventory::HoldRecord));
  o.rates = l.Add(region::TableBytes(s.rates));
  o.size = l.size();
  o.ok = l.ok();
  return o;
}

region::Descriptor DescriptorFor(const Config& c, size_t size) {
  region::Descriptor d;
  d.kind = region::kKindInventory;
  d.kind_version = kLayoutVersion;
  d.total_size = size;
  d.params = {c.max_skus,
              c.max_buyers,
              c.max_holds,
              c.max_sku_len,
              c.max_buyer_len,
              c.default_buyer_limit,
              c.max_rate_keys,
              c.max_rate_key_len,
              c.hash_seed,
              0,
              0};
  return d;
}

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 31;
  x *= 0x9e3779b97f4a7c15ULL;
  x ^= x >> 29;
  return x;
}

}  // namespace

absl::StatusOr<Config> FromC(const edgekit_inventory_config* c) {
  Config out;
  if (c == nullptr) return out;
  if (c->struct_size < sizeof(size_t)) {
    return absl::InvalidArgumentError("inventory: config struct_size unset");
  }
  if (c->struct_size > sizeof(*c)) {
    const auto* extra = reinterpret_cast<const unsigned char*>(c) + sizeof(*c);
    for (size_t i = 0; i < c->struct_size - sizeof(*c); ++i) {
      if (extra[i] != 0) {
        return absl::InvalidArgumentError(
            "inventory: config has fields this version does not know");
      }
    }
  }
  auto has = [&](size_t offset, size_t size) {
    return c->struct_size >= offset + size;
  };
#define EDGEKIT_FIELD(name)                                             \
  if (has(offsetof(edgekit_inventory_config, name), sizeof(c->name)) && \
      c->name != 0)                                                     \
    out.name = c->name;
  EDGEKIT_FIELD(max_skus)
  EDGEKIT_FIELD(max_buyers)
  EDGEKIT_FIELD(max_holds)
  EDGEKIT_FIELD(max_sku_len)
  EDGEKIT_FIELD(max_buyer_len)
  EDGEKIT_FIELD(default_buyer_limit)
  EDGEKIT_FIELD(max_rate_keys)
  EDGEKIT_FIELD(max_rate_key_len)
  EDGEKIT_FIELD(hash_seed)
#undef EDGEKIT_FIELD
  if (auto st = Validate(out); !st.ok()) return st;
  return out;
}

absl::StatusOr<size_t> Inventory::RegionSize(const Config& config) {
  if (auto st = Validate(config); !st.ok()) return st;
  const Offsets o = LayoutFor(config, ShapesFor(config));
  if (!o.ok) return absl::InvalidArgumentError("inventory: region too large");
  return o.size;
}

absl::StatusOr<Inventory> Inventory::Build(void* mem, size_t len,
                                           const Config& config, bool format) {
  if (auto st = Validate(config); !st.ok()) return st;
  const Shapes shapes = ShapesFor(config);
  for (const auto* s : {&shapes.skus, &shapes.buyers, &shapes.rates}) {
    if (auto st = region::ValidateShape(*s); !st.ok()) return st;
  }
  const Offsets o = LayoutFor(config, shapes);
  if (!o.ok || o.size > len) {
    return absl::InvalidArgumentError("inventory: memory smaller than region");
  }
  auto* base = static_cast<uint8_t*>(mem);
  if (format) {
    region::InvalidateHeader(mem);
    region::Table::Format(base + o.skus, shapes.skus);
    region::Table::Format(base + o.buyers, shapes.buyers);
    region::Table::Format(base + o.rates, shapes.rates);
    for (uint64_t i = 0; i < shapes.skus.num_slots * kLanes; ++i) {
      auto* ln = new (base + o.lanes + i * sizeof(Lane)) Lane;
      ln->avail.store(0, std::memory_order_relaxed);
      ln->sold.store(0, std::memory_order_relaxed);
      for (auto& w : ln->unused) w.store(0, std::memory_order_relaxed);
    }
    for (uint32_t i = 0; i < config.max_holds; ++i) {
      auto* rec = new (base + o.holds + i * sizeof(HoldRecord)) HoldRecord;
      rec->state.store(0, std::memory_order_relaxed);
      rec->who.store(0, std::memory_order_relaxed);
      rec->what.store(0, std::memory_order_relaxed);
      for (auto& w : rec->unused) w.store(0, std::memory_order_relaxed);
    }
    region::WriteHeader(mem, DescriptorFor(config, o.size));
  }
  Inventory inv;
  inv.config_ = config;
  inv.size_ = o.size;
  inv.skus_ = region::Table(base + o.skus, shapes.skus);
  inv.buyers_ = region::Table(base + o.buyers, shapes.buyers);
  inv.rates_ = region::Table(base + o.rates, shapes.rates);
  inv.holds_ = std::launder(reinterpret_cast<HoldRecord*>(base + o.holds));
  inv.lanes_ = std::launder(reinterpret_cast<Lane*>(base + o.lanes));
  return inv;
}

absl::StatusOr<Inventory> Inventory::Format(void* mem, size_t len,
                                            const Config& config) {
  if (mem == nullptr ||
      reinterpret_cast<uintptr_t>(mem) % region::kRegionAlign != 0) {
    return absl::InvalidArgumentError("inventory: NULL or misaligned memory");
  }
  return Build(mem, len, config, /*format=*/true);
}

absl::StatusOr<Inventory> Inventory::Attach(void* mem, size_t len) {
  auto d = region::ReadHeader(mem, len, region::kKindInventory, kLayoutVersion);
  if (!d.ok()) return d.status();
  const auto& p = d->params;
  if (p[0] > UINT32_MAX || p[1] > UINT32_MAX || p[2] > UINT32_MAX ||
      p[3] > UINT32_MAX || p[4] > UINT32_MAX || p[5] > UINT32_MAX ||
      p[6] > UINT32_MAX || p[7] > UINT32_MAX || p[9] != 0 || p[10] != 0) {
    return absl::FailedPreconditionError(
        "inventory: header parameters out of range");
  }
  Config c;
  c.max_skus = static_cast<uint32_t>(p[0]);
  c.max_buyers = static_cast<uint32_t>(p[1]);
  c.max_holds = static_cast<uint32_t>(p[2]);
  c.max_sku_len = static_cast<uint32_t>(p[3]);
  c.max_buyer_len = static_cast<uint32_t>(p[4]);
  c.default_buyer_limit = static_cast<uint32_t>(p[5]);
  c.max_rate_keys = static_cast<uint32_t>(p[6]);
  c.max_rate_key_len = static_cast<uint32_t>(p[7]);
  c.hash_seed = p[8];
  if (!Validate(c).ok()) {
    return absl::FailedPreconditionError(
        "inventory: header capacities out of range");
  }
  const Offsets o = LayoutFor(c, ShapesFor(c));
  if (!o.ok || o.size != d->total_size) {
    return absl::FailedPreconditionError(
        "inventory: header size does not match its capacities");
  }
  return Build(mem, len, c, /*format=*/false);
}

// ---------------------------------------------------------------------------
// The step machinery.

uint64_t Inventory::SkuOf(uint64_t buyer_slot) const {
  if (buyer_slot >= buyers_.num_slots()) return UINT64_MAX;
  const std::string_view key = buyers_.key(buyer_slot);
  if (key.size() < 4) return UINT64_MAX;
  uint32_t sku_slot;
  std::memcpy(&sku_slot, key.data(), 4);
  return sku_slot;
}

std::atomic<uint64_t>* Inventory::PairWord(uint64_t sku_slot, uint64_t pair,
                                           int which) const {
  if (sku_slot >= skus_.num_slots() || pair > kLanes) return nullptr;
  if (pair == 0) return &skus_.values(sku_slot)[which];
  Lane& l = lane(sku_slot, static_cast<uint32_t>(pair));
  return which == kSold ? &l.sold : &l.avail;
}

uint64_t Inventory::LaneSum(uint64_t sku_slot) const {
  uint64_t units = 0;
  for (uint32_t l = 1; l <= kLanes; ++l) {
    units += ValueOf(lane(sku_slot, l).avail.load(std::memory_order_acquire),
                     kStockBits);
  }
  return units;
}

// Target is the counter word the step of |rec| in |state| changes, or NULL
// if there is none: a first step whose fields are not published for this
// claim (or were revoked), or a corrupted region.
std::atomic<uint64_t>* Inventory::Target(uint64_t state,
                                         const HoldRecord& rec) const {
  const uint8_t phase = PhaseOf(state);
  const uint64_t who = rec.who.load(std::memory_order_acquire);
  if (Unpublished(phase, Gen(state), who)) return nullptr;
  const uint64_t slot = WhoSlot(who);
  switch (phase) {
    case kReserve:
    case kUndo:
    case kUnbuy:
      return slot < buyers_.num_slots() ? &buyers_.values(slot)[0] : nullptr;
    case kTake:
    case kReturn:
    case kSell:
      return PairWord(SkuOf(slot),
                      WhatPair(rec.what.load(std::memory_order_acquire)),
                      phase == kSell ? kSold : kAvail);
    case kStockSet:
      return slot < skus_.num_slots() ? &skus_.values(slot)[kAvail] : nullptr;
    case kStockLog: {
      if (slot >= skus_.num_slots()) return nullptr;
      const bool removal =
          rec.what.load(std::memory_order_acquire) & kRemovalFlag;
      return &skus_.values(slot)[removal ? kRemoved : kAdded];
    }
    case kDrain:
    case kFill: {
      // A transfer drains its source and fills its destination: its lane
      // and the SKU's central count, in the direction kToCentral says.
      const uint64_t what = rec.what.load(std::memory_order_acquire);
      const uint64_t pair = WhatPair(what);
      if (pair == 0) return nullptr;
      const bool lane_side = (phase == kDrain) == ((what & kToCentral) != 0);
      return PairWord(slot, lane_side ? pair : 0, kAvail);
    }
    default:
      return nullptr;
  }
}

bool Inventory::AdvanceTo(HoldRecord& rec, uint64_t state,
                          uint8_t phase) const {
  return rec.state.compare_exchange_strong(
      state, MakeState(Gen(state) + 1, phase), std::memory_order_acq_rel,
      std::memory_order_acquire);
}

// FinalizeStamp moves the record named by |stamp| past the step the stamp
// records, if it still waits on |word| for it: to the next phase, or, for a
// declined owner step, to where a refusal would have sent it.
void Inventory::FinalizeStamp(std::atomic<uint64_t>* word, uint64_t stamp,
                              int value_bits) const {
  if (stamp & RetiredFlag(value_bits)) return;  // its step finished long ago
  const bool declined = stamp & DeclinedFlag(value_bits);
  stamp &= ~DeclinedFlag(value_bits);
  const uint64_t index = stamp & kIndexMask;
  if (index == 0 || index > config_.max_holds) return;  // hostile region
  HoldRecord& rec = hold(static_cast<uint32_t>(index - 1));
  const uint64_t s = rec.state.load(std::memory_order_acquire);
  const uint8_t phase = PhaseOf(s);
  if (!Waits(phase) || BitsFor(phase) != value_bits) return;
  if (declined && !OwnerOnly(phase)) return;
  if (Stamp(static_cast<uint32_t>(index - 1), Gen(s), value_bits) != stamp)
    return;
  if (Target(s, rec) != word) return;
  AdvanceTo(rec, s, declined ? NotTaken(phase) : Next(phase));
}

// Apply performs the helpable step of record |index| in |state| on |word|:
// new_value(old, &new) computes the new value or refuses (false). Returns
// kApplied when the step is in the word (by us or anyone), kDone when the
// record has already moved past |state|, kRejected when new_value refused.
template <typename NewValue>
int Inventory::Apply(uint32_t index, uint64_t state,
                     std::atomic<uint64_t>* word, int value_bits,
                     NewValue new_value) const {
  const uint64_t mine = Stamp(index, Gen(state), value_bits);
  const uint64_t mask = StampMask(value_bits);
  HoldRecord& rec = hold(index);
  uint64_t cur = word->load(std::memory_order_acquire);
  for (;;) {
    if ((cur & mask) == mine) {
      AdvanceTo(rec, state, Next(PhaseOf(state)));
      return kApplied;
    }
    // Load the word before the phase: if the phase still waits after the
    // word showed no stamp of ours, the step is not applied, or our CAS
    // below fails on a changed word.
    if (rec.state.load(std::memory_order_acquire) != state) return kDone;
    if ((cur & mask) != 0) FinalizeStamp(word, cur & mask, value_bits);
    uint64_t next;
    if (!new_value(ValueOf(cur, value_bits), &next)) return kRejected;
    if (word->compare_exchange_weak(cur, Pack(next, mine, value_bits),
                                    std::memory_order_acq_rel,
                                    std::memory_order_acquire)) {
      AdvanceTo(rec, state, Next(PhaseOf(state)));
      return kApplied;
    }
  }
}

// OwnerStep performs an owner step of record |index| in |state| on |word|.
// Returns kApplied, kRejected (new_value refused; the caller moves the
// record on) or kDeclined: a helper settled the step without us (Settle)
// and the record is no longer ours. Only the owner ever writes its plain
// stamp for this step, so a phase that moved on while our CAS had not
// succeeded can only have moved by a decline: there is no third case.
template <typename NewValue>
int Inventory::OwnerStep(uint32_t index, uint64_t state,
                         std::atomic<uint64_t>* word, int value_bits,
                         NewValue new_value) const {
  const uint64_t mine = Stamp(index, Gen(state), value_bits);
  const uint64_t declined = mine | DeclinedFlag(value_bits);
  const uint64_t mask = StampMask(value_bits);
  HoldRecord& rec = hold(index);
  uint64_t cur = word->load(std::memory_order_acquire);
  for (;;) {
    if ((cur & mask) == declined) {
      AdvanceTo(rec, state, NotTaken(PhaseOf(state)));
      return kDeclined;
    }
    if (rec.state.load(std::memory_order_acquire) != state) return kDeclined;
    if ((cur & mask) != 0) FinalizeStamp(word, cur & mask, value_bits);
    uint64_t next;
    if (!new_value(ValueOf(cur, value_bits), &next)) return kRejected;
    Hook(index, state, /*published=*/true);
    if (word->compare_exchange_weak(cur, Pack(next, mine, value_bits),
                                    std::memory_order_acq_rel,
                                    std::memory_order_acquire)) {
      AdvanceTo(rec, state, Next(PhaseOf(state)));
      return kApplied;
    }
  }
}

// Help drives record |index| through every step anyone may take: helpable
// steps are applied, owner steps are finalized if their stamp (plain or
// declined) is in place.
void Inventory::Help(uint32_t index) const {
  HoldRecord& rec = hold(index);
  // A record needs at most three steps and its scrub; the bound also stops
  // a hostile region from looping us.
  for (int step = 0; step < 8; ++step) {
    const uint64_t s = rec.state.load(std::memory_order_acquire);
    const uint8_t phase = PhaseOf(s);
    if (phase == kScrub) {
      Scrub(index, s);
      continue;
    }
    if (!Waits(phase)) return;
    std::atomic<uint64_t>* word = Target(s, rec);
    if (word == nullptr) return;
    const int bits = BitsFor(phase);
    if (OwnerOnly(phase)) {
      const uint64_t stamp =
          word->load(std::memory_order_acquire) & StampMask(bits);
      const uint64_t mine = Stamp(index, Gen(s), bits);
      if (stamp == mine) {
        AdvanceTo(rec, s, Next(phase));
      } else if (stamp == (mine | DeclinedFlag(bits))) {
        AdvanceTo(rec, s, NotTaken(phase));
      } else {
        return;  // the owner's to decide, or Settle's
      }
      continue;
    }
    const uint64_t qty =
        phase == kStockLog || phase == kFill
            ? WhatAmount(rec.what.load(std::memory_order_acquire))
            : WhoQty(rec.who.load(std::memory_order_acquire));
    const bool subtract = phase == kUndo || phase == kUnbuy;
    const uint64_t max = MaxValue(bits);
    const int r = Apply(index, s, word, bits, [&](uint64_t v, uint64_t* out) {
      if (subtract ? v < qty : v + qty > max) return false;
      *out = subtract ? v - qty : v + qty;
      return true;
    });
    if (r == kRejected) return;  // only a corrupted region gets here
  }
}

// Scrub retires the plain stamps of record |index|, in kScrub in |state|,
// from every counter word its operation may have written — a hold's buyer
// word and its pair's available and sold words; a stock change's SKU's
// available, added and removed words; a transfer's central and lane
// available words (a hold has qty >= 1, a stock change or transfer 0; a
// revoked claim wrote nothing) — then frees the record. A retired
// stamp is the record's stamp at the kScrub generation with the declined
// flag, value unchanged: no step ever waits at that generation, and unlike
// an empty stamp it is a word no stalled CAS can have read (top of file).
// Idempotent: anyone may scrub, and a crash leaves kScrub for expire.
void Inventory::Scrub(uint32_t index, uint64_t state) const {
  HoldRecord& rec = hold(index);
  Hook(index, state, /*published=*/true);
  const uint64_t who = rec.who.load(std::memory_order_acquire);
  const uint64_t what = rec.what.load(std::memory_order_acquire);
  const uint64_t slot = WhoSlot(who);
  std::atomic<uint64_t>* words[3] = {nullptr, nullptr, nullptr};
  int bits[3] = {kStockBits, kStockBits, kStockBits};
  if (slot == kRevokedSlot) {
    // Never published: it touched no counter.
  } else if (WhoQty(who) != 0) {
    if (slot < buyers_.num_slots()) {
      words[0] = &buyers_.values(slot)[0];
      bits[0] = kBuyerBits;
    }
    const uint64_t sku = SkuOf(slot);
    words[1] = PairWord(sku, WhatPair(what), kAvail);
    words[2] = PairWord(sku, WhatPair(what), kSold);
  } else if (what & kTransferFlag) {
    words[0] = PairWord(slot, 0, kAvail);
    if (WhatPair(what) != 0) words[1] = PairWord(slot, WhatPair(what), kAvail);
  } else if (slot < skus_.num_slots()) {
    words[0] = &skus_.values(slot)[kAvail];
    words[1] = &skus_.values(slot)[kAdded];
    words[2] = &skus_.values(slot)[kRemoved];
  }
  for (int i = 0; i < 3; ++i) {
    if (words[i] == nullptr) continue;
    const uint64_t mask = StampMask(bits[i]);
    const uint64_t retired = Stamp(index, Gen(state), bits[i]) |
                             DeclinedFlag(bits[i]) | RetiredFlag(bits[i]);
    uint64_t cur = words[i]->load(std::memory_order_acquire);
    while (IsPlainStampOf(cur & mask, index, bits[i])) {
      // Load the word before the phase: a plain stamp of ours seen while
      // the record is still in kScrub in |state| is this claim's (or an
      // older one's), never the next claim's, which starts after kFree.
      if (rec.state.load(std::memory_order_acquire) != state) return;
      if (words[i]->compare_exchange_weak(cur, (cur & ~mask) | retired,
                                          std::memory_order_acq_rel,
                                          std::memory_order_acquire)) {
        break;
      }
    }
  }
  AdvanceTo(rec, state, kFree);
}

namespace {

// Where this thread claims its next record, by region (keyed by the
// records' address, like the SKU memo). Claims walk the records in order:
// the next one is on the line the hardware prefetcher already fetched,
// where a random one costs a miss; the records ahead are the ones freed
// longest ago; and a thread comes back to a record only after going round
// all of them, which keeps the stalled-CAS margin (top of file) as wide as
// the record count allows.
//
// Two cursors at one place walk in lockstep, each finding the record the
// other just claimed: so a cursor starts from a record picked by the
// caller's seed, the process and the thread, and a forked child (an nginx
// worker, whose master may have claimed records) drops the one it inherited.
struct HoldCursor {
  const void* holds = nullptr;
  uint32_t next = 0;
};
thread_local HoldCursor t_hold_cursor;

void DropInheritedCursor() { t_hold_cursor = HoldCursor{}; }

// Registered when the program loads, not on a first claim: a function-local
// static's guard, held while another thread forks, would be copied into the
// child "in progress" with no thread left to finish it, and the child's
// first claim would wait on it forever.
[[maybe_unused]] const bool kCursorDroppedOnFork =
    pthread_atfork(nullptr, nullptr, DropInheritedCursor) == 0;

uint64_t CursorStart(uint64_t seed) {
  return Mix(seed ^ (static_cast<uint64_t>(getpid()) << 32) ^
             reinterpret_cast<uintptr_t>(&t_hold_cursor));
}

}  // namespace

// AllocHold claims a free record for |phase|, searching from this thread's
// cursor — or, on the thread's first claim in this region, from the record
// that CursorStart(|seed|) maps to (multiply-shift: no division). |seed|
// need not be mixed: CursorStart mixes it, and only on that first claim.
bool Inventory::AllocHold(uint64_t seed, uint8_t phase, uint32_t* index,
                          uint64_t* state) const {
  const uint32_t n = config_.max_holds;
  HoldCursor& cursor = t_hold_cursor;
  uint32_t i =
      cursor.holds == holds_ && cursor.next < n
          ? cursor.next
          : static_cast<uint32_t>(
                (static_cast<unsigned __int128>(CursorStart(seed)) * n) >> 64);
  for (uint32_t k = 0; k < n; ++k) {
    uint64_t s = holds_[i].state.load(std::memory_order_relaxed);
    if (PhaseOf(s) == kFree) {
      const uint64_t claimed = MakeState(Gen(s) + 1, phase);
      if (holds_[i].state.compare_exchange_strong(s, claimed,
                                                  std::memory_order_acq_rel,
                                                  std::memory_order_relaxed)) {
        *index = i;
        *state = claimed;
        cursor = HoldCursor{holds_, i + 1 == n ? 0 : i + 1};
        return true;
      }
    }
    if (++i == n) i = 0;
  }
  return false;
}

// Publish installs the fields of the record the owner just claimed in
// |state|: |what| first, then |who|, whose tag is what tells everyone else
// the fields are this claim's. Each install is a CAS from a value seen
// while the record was still ours, so an owner whose claim was revoked
// (Settle) can never overwrite the fields of the record's next claim.
// Returns false if the claim was revoked; the record is then not ours.
bool Inventory::Publish(uint32_t index, uint64_t state, uint64_t who,
                        uint64_t what) const {
  HoldRecord& rec = hold(index);
  Hook(index, state, /*published=*/false);
  for (std::atomic<uint64_t>* word : {&rec.what, &rec.who}) {
    const uint64_t value = word == &rec.what ? what : who;
    uint64_t cur = word->load(std::memory_order_acquire);
    for (;;) {
      // Load the field before the state: a next claim's install seen here
      // means the state has moved on too.
      if (rec.state.load(std::memory_order_acquire) != state) return false;
      if (word == &rec.who && WhoIsFor(cur, Gen(state))) return false;
      if (word->compare_exchange_weak(cur, value, std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
        break;
      }
    }
  }
  return true;
}

// Stalled watches a record for a while and says whether it stayed in
// |state| with |who| unchanged all along: its owner is dead or descheduled.
bool Inventory::Stalled(const HoldRecord& rec, uint64_t state,
                        uint64_t who) const {
  for (uint32_t spin = 0; spin < kOwnerSpins; ++spin) {
    if (rec.state.load(std::memory_order_acquire) != state ||
        rec.who.load(std::memory_order_acquire) != who) {
      return false;
    }
    if (spin % 64 == 63) std::this_thread::yield();
  }
  return true;
}

// Settle decides, without the owner, an owner step that has waited too
// long: a hold's once its expiry has passed, a stock change's or a
// transfer's once it has not moved while we watched (Stalled). An unpublished
// first step is revoked through |who|; a published one is declined through its
// counter word (Decline). Either way the owner, if alive, finds out on its next
// CAS and starts over; nothing it counted is lost.
void Inventory::Settle(uint32_t index, uint64_t state, uint64_t now_ms) const {
  HoldRecord& rec = hold(index);
  const uint8_t phase = PhaseOf(state);
  uint64_t who = rec.who.load(std::memory_order_acquire);
  if (FirstStep(phase)) {
    if (!WhoIsFor(who, Gen(state))) {
      // Claimed, fields not published: the owner has touched no counter
      // and will not before its install of |who|, which this CAS defeats.
      if (!Stalled(rec, state, who)) return;
      const uint64_t revoked = MakeWho(kRevokedSlot, 0, Gen(state));
      if (!rec.who.compare_exchange_strong(who, revoked,
                                           std::memory_order_acq_rel,
                                           std::memory_order_acquire)) {
        return;  // the owner published after all
      }
      who = revoked;
    }
    if (WhoSlot(who) == kRevokedSlot) {
      AdvanceTo(rec, state, kScrub);
      Help(index);
      return;
    }
  }
  if (phase == kStockSet || phase == kDrain) {
    if (!Stalled(rec, state, who)) return;
  } else if (!Expired(rec.what.load(std::memory_order_acquire), now_ms)) {
    return;
  }
  std::atomic<uint64_t>* word = Target(state, rec);
  if (word == nullptr) return;
  Decline(index, state, word, BitsFor(phase));
}

// Decline settles the owner step of record |index| in |state| on |word|
// against it: it writes the record's own stamp with the declined flag into
// the word, value unchanged, so the owner's pending CAS on that word fails
// and the decision is one the owner can read; then it moves the record to
// where a refusal would have (NotTaken) and finishes it. If the owner's
// plain stamp is there first, the step was taken and is finalized instead.
void Inventory::Decline(uint32_t index, uint64_t state,
                        std::atomic<uint64_t>* word, int value_bits) const {
  const uint64_t mine = Stamp(index, Gen(state), value_bits);
  const uint64_t declined = mine | DeclinedFlag(value_bits);
  const uint64_t mask = StampMask(value_bits);
  HoldRecord& rec = hold(index);
  const uint8_t phase = PhaseOf(state);
  uint64_t cur = word->load(std::memory_order_acquire);
  for (;;) {
    if ((cur & mask) == mine) {
      AdvanceTo(rec, state, Next(phase));
      break;
    }
    if ((cur & mask) == declined) {
      AdvanceTo(rec, state, NotTaken(phase));
      break;
    }
    if (rec.state.load(std::memory_order_acquire) != state) break;
    if ((cur & mask) != 0) FinalizeStamp(word, cur & mask, value_bits);
    if (word->compare_exchange_weak(cur, (cur & ~mask) | declined,
                                    std::memory_order_acq_rel,
                                    std::memory_order_acquire)) {
      AdvanceTo(rec, state, NotTaken(phase));
      break;
    }
  }
  Help(index);  // kUndo gives the buyer's units back
}

// ---------------------------------------------------------------------------
// Lanes. A hot SKU's available count is one word that every worker selling
// it writes, so its cache line bounces between their cores on every
// acquire. Each SKU therefore also has kLanes lanes (available and sold
// words on a line of their own), one per group of CPUs; an acquire takes
// from its CPU's lane, which is refilled from the central count in blocks,
// and a confirm counts the sale there. Units move between the central count
// and a lane only by a transfer: a record whose owner step drains the
// source (kDrain, decided like a stock change) and whose helpable step
// fills the destination (kFill), so a transfer is as crash-safe as any
// other operation. A lane is a cache, never a claim: when the central count
// runs short, whoever needs units gathers every lane back (Gather), so no
// unit stays idle in the lane of a worker that stopped selling.

namespace {

// Lanes are refilled only while the central count is at least this many
// blocks of kMinBlock per lane; below it acquires take from the central
// count directly, so the last units of a sale are never spread over lanes.
constexpr uint64_t kMinBlock = 8;
constexpr uint64_t kMaxBlock = 256;
constexpr uint64_t kRefillFloor = uint64_t{2} * kLanes * kMinBlock;
// Rounds an acquire retries when the lane or central count it chose was
// emptied under it (by a sale, or a gather) before it answers sold out.
constexpr int kTakeRounds = 8;
// ChoosePair's answers besides a pair.
constexpr int kSoldOut = -1;
constexpr int kNoRecord = -2;

// SetWhat rewrites the |what| of a record its owner holds at a first step,
// from |*what|, the value the owner last installed: a CAS that fails only
// if the record was settled without the owner and claimed again, and then
// so must the owner's step. Returns false then.
bool SetWhat(Inventory::HoldRecord& rec, uint64_t* what, uint64_t want) {
  if (want == *what) return true;
  if (!rec.what.compare_exchange_strong(*what, want, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
    return false;
  }
  *what = want;
  return true;
}

// The lane of the calling thread: its CPU's (rseq makes this a load on
// glibc 2.35+). Two threads on one CPU share a lane, which costs only a
// contended CAS; any lane is correct for any caller.
inline uint32_t CurrentLane() {
  const int cpu = sched_getcpu();
  return cpu < 0 ? 1 : static_cast<uint32_t>(cpu) % kLanes + 1;
}

}  // namespace

// Transfer moves units of |sku_slot| between its central count and lane
// |ln|: from the central count, at least |min| and at most |want| of what is
// there; to it (|to_central|), everything in the lane, |min| being 0.
// Returns the units moved: 0 if the source had fewer than |min| (or none),
// or if no record was free, which also sets |*no_record|.
uint64_t Inventory::Transfer(uint64_t sku_slot, uint32_t ln, bool to_central,
                             uint64_t min, uint64_t want,
                             bool* no_record) const {
  std::atomic<uint64_t>* source =
      PairWord(sku_slot, to_central ? ln : 0, kAvail);
  const uint64_t flags = kTransferFlag | (to_central ? kToCentral : 0);
  for (;;) {
    uint32_t index;
    uint64_t state;
    if (!AllocHold(sku_slot * kLanes + ln, kDrain, &index, &state)) {
      *no_record = true;
      return 0;
    }
    HoldRecord& rec = hold(index);
    const uint64_t gen = Gen(state);
    uint64_t what = MakeWhat(flags, ln, gen);
    if (!Publish(index, state, MakeWho(sku_slot, 0, gen), what)) continue;
    uint64_t moved = 0;
    bool lost = false;
    const int r = OwnerStep(
        index, state, source, kStockBits, [&](uint64_t avail, uint64_t* out) {
          if (avail == 0 || avail < min) return false;
          moved = avail < want ? avail : want;
          // The amount must be in the record before the drain (kFill reads
          // it).
          if (!SetWhat(rec, &what, MakeWhat(flags | moved, ln, gen))) {
            return !(lost = true);
          }
          *out = avail - moved;
          return true;
        });
    if (r == kDeclined || lost) {  // settled without us: start over
      Help(index);
      continue;
    }
    if (r == kRejected) {
      AdvanceTo(rec, state, kScrub);
      Help(index);
      return 0;
    }
    Help(index);  // kFill, then the scrub
    return moved;
  }
}

// Gather moves every unit in the lanes of |sku_slot| back to its central
// count. Returns false if a lane holding units could not be emptied for
// want of a free record.
bool Inventory::Gather(uint64_t sku_slot) const {
  bool no_record = false;
  for (uint32_t ln = 1; ln <= kLanes; ++ln) {
    if (ValueOf(lane(sku_slot, ln).avail.load(std::memory_order_acquire),
                kStockBits) != 0) {
      Transfer(sku_slot, ln, /*to_central=*/true, 0, MaxValue(kStockBits),
               &no_record);
    }
  }
  return !no_record;
}

// FinishTransfers completes every transfer of |sku_slot| whose source is
// drained but whose destination is not yet filled — a live worker's or a
// dead one's — so that a stock change sees those units in the central
// count or a lane. Scans every record: stock changes only.
void Inventory::FinishTransfers(uint64_t sku_slot) const {
  for (uint32_t i = 0; i < config_.max_holds; ++i) {
    const HoldRecord& rec = hold(i);
    const uint64_t s = rec.state.load(std::memory_order_acquire);
    if (PhaseOf(s) != kDrain && PhaseOf(s) != kFill) continue;
    // Help does nothing for a drain not yet published or applied.
    if (WhoSlot(rec.who.load(std::memory_order_acquire)) == sku_slot) Help(i);
  }
}

// ChoosePair says where an acquire of |qty| units on lane |ln| takes them
// from: the lane if it holds them (after refilling it in a block while the
// central count is plentiful), else the central count (after gathering the
// lanes if it runs short); kSoldOut if not even the gathered count holds
// |qty|, kNoRecord if lanes hold units no free record could gather.
int Inventory::ChoosePair(uint64_t sku_slot, uint32_t ln, uint64_t qty) const {
  if (ValueOf(lane(sku_slot, ln).avail.load(std::memory_order_acquire),
              kStockBits) >= qty) {
    return static_cast<int>(ln);
  }
  std::atomic<uint64_t>* central = PairWord(sku_slot, 0, kAvail);
  uint64_t c = ValueOf(central->load(std::memory_order_acquire), kStockBits);
  if (c >= kRefillFloor) {
    uint64_t block = c / (uint64_t{2} * kLanes);
    if (block > kMaxBlock) block = kMaxBlock;
    bool no_record = false;
    if (block >= qty && Transfer(sku_slot, ln, /*to_central=*/false, qty, block,
                                 &no_record) != 0) {
      return static_cast<int>(ln);
    }
  }
  if (c < qty) {
    const bool gathered = Gather(sku_slot);
    c = ValueOf(central->load(std::memory_order_acquire), kStockBits);
    if (c < qty) return gathered ? kSoldOut : kNoRecord;
  }
  return 0;
}

uint64_t Inventory::LaneUnits(std::string_view sku) const {
  Table::Slot s;
  if (!SkuFits(sku) || skus_.Find(sku, &s) != Table::Result::kFound) {
    return 0;
  }
  return LaneSum(s.index);
}

// ---------------------------------------------------------------------------
// Operations.

edgekit_status Inventory::StockOp(std::string_view sku, bool set,
                                  int64_t value) {
  if (!SkuFits(sku)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  Table::Slot s;
  const auto found = skus_.FindOrInsert(sku, &s);
  if (found == Table::Result::kFull) return EDGEKIT_E_NO_SPACE;
  if (found == Table::Result::kKeyTooLong) return EDGEKIT_E_INVALID_ARGUMENT;
  std::atomic<uint64_t>* added = &s.values[kAdded];
  // A stock change works on the central count. Setting counts the units in
  // lanes as available, and a removal may need them: both gather them
  // first, and again whenever a refill moves more into a lane under them
  // (each such retry means a refill made progress).
  if (set && !Gather(s.index)) return EDGEKIT_E_NO_SPACE;
  for (;;) {
    uint32_t index;
    uint64_t state;
    if (!AllocHold(s.index + 1, kStockSet, &index, &state)) {
      return EDGEKIT_E_NO_SPACE;
    }
    HoldRecord& rec = hold(index);
    const uint64_t gen = Gen(state);
    uint64_t what = MakeWhat(0, 0, gen);
    if (!Publish(index, state, MakeWho(s.index, 0, gen), what)) continue;
    bool regather = false;
    bool lost = false;
    const int r = OwnerStep(
        index, state, &s.values[kAvail], kStockBits,
        [&](uint64_t avail, uint64_t* out) {
          uint64_t target;
          if (set) {
            // Units between a transfer's drain and its fill are in neither
            // the central count nor a lane: finish every such transfer
            // first. A drain from the central count after this changes it,
            // so our CAS fails and this runs again; a gather's drain from a
            // lane after it moves units LaneSum already counted, and its
            // fill lands on top of what we set. Either way, when our CAS
            // applies, central + lanes + units in flight = |value|.
            FinishTransfers(s.index);
            const uint64_t in_lanes = LaneSum(s.index);
            const uint64_t total = static_cast<uint64_t>(value);
            if (in_lanes > total) return !(regather = true);
            target = total - in_lanes;
          } else if (value < 0) {
            const uint64_t take = 0 - static_cast<uint64_t>(value);
            if (avail < take) {
              FinishTransfers(s.index);
              regather = avail + LaneSum(s.index) >= take;
              return false;
            }
            target = avail - take;
          } else {
            target = avail + static_cast<uint64_t>(value);
          }
          const uint64_t up = target > avail ? target - avail : 0;
          if (target > MaxValue(kStockBits) ||
              ValueOf(added->load(std::memory_order_acquire), kStockBits) + up >
                  MaxValue(kStockBits)) {
            return false;
          }
          // The amount is the record's, for whoever logs it (kStockLog),
          // and must be in place before the CAS that applies the step.
          if (!SetWhat(
                  rec, &what,
                  MakeWhat(target >= avail ? target - avail
                                           : (avail - target) | kRemovalFlag,
                           0, gen))) {
            return !(lost = true);
          }
          *out = target;
          return true;
        });
    if (r == kDeclined || lost) {  // settled without us: start over
      Help(index);                 // its scrub, if no one did it yet
      continue;
    }
    if (r == kRejected) {
      AdvanceTo(rec, state, kScrub);
      Help(index);
      if (!regather) return EDGEKIT_E_STOCK_RANGE;
      if (!Gather(s.index)) return EDGEKIT_E_NO_SPACE;
      continue;
    }
    Help(index);  // kStockLog: count the change as added or removed
    return EDGEKIT_OK;
  }
}

edgekit_status Inventory::SetStock(std::string_view sku, uint64_t available) {
  if (available > MaxValue(kStockBits)) return EDGEKIT_E_STOCK_RANGE;
  return StockOp(sku, /*set=*/true, static_cast<int64_t>(available));
}

edgekit_status Inventory::AddStock(std::string_view sku, int64_t delta) {
  if (delta > static_cast<int64_t>(MaxValue(kStockBits)) ||
      delta < -static_cast<int64_t>(MaxValue(kStockBits))) {
    return EDGEKIT_E_STOCK_RANGE;
  }
  return StockOp(sku, /*set=*/false, delta);
}

edgekit_status Inventory::SetBuyerLimit(std::string_view sku, uint32_t limit) {
  if (!SkuFits(sku) || limit > MaxValue(kBuyerBits)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  Table::Slot s;
  if (skus_.Find(sku, &s) != Table::Result::kFound)
    return EDGEKIT_E_UNKNOWN_SKU;
  s.values[kLimit].store(limit, std::memory_order_relaxed);
  return EDGEKIT_OK;
}

void Inventory::SkuStats(uint64_t sku_slot, std::atomic<uint64_t>* v,
                         StockStats* out) const {
  // Available and sold are the central count's plus every lane's.
  uint64_t avail =
      ValueOf(v[kAvail].load(std::memory_order_acquire), kStockBits);
  uint64_t sold = ValueOf(v[kSold].load(std::memory_order_acquire), kStockBits);
  for (uint32_t ln = 1; ln <= kLanes; ++ln) {
    const Lane& l = lane(sku_slot, ln);
    avail += ValueOf(l.avail.load(std::memory_order_acquire), kStockBits);
    sold += ValueOf(l.sold.load(std::memory_order_acquire), kStockBits);
  }
  const uint64_t added =
      ValueOf(v[kAdded].load(std::memory_order_acquire), kStockBits);
  const uint64_t removed =
      ValueOf(v[kRemoved].load(std::memory_order_acquire), kStockBits);
  const int64_t held = static_cast<int64_t>(added) -
                       static_cast<int64_t>(removed) -
                       static_cast<int64_t>(avail) - static_cast<int64_t>(sold);
  out->available = avail;
  out->held = held > 0 ? static_cast<uint64_t>(held) : 0;
  out->sold = sold;
  out->added = added;
  out->removed = removed;
}

edgekit_status Inventory::Stats(std::string_view sku, StockStats* out) const {
  if (!SkuFits(sku)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  Table::Slot s;
  if (skus_.Find(sku, &s) != Table::Result::kFound)
    return EDGEKIT_E_UNKNOWN_SKU;
  SkuStats(s.index, s.values, out);
  return EDGEKIT_OK;
}

namespace {

// The SKU slot this thread last acquired from, by table. A flash sale sends
// most acquires to a few SKUs; a hit costs a key comparison instead of a
// hash and a probe. Only a hint: the slot's key is compared on every use,
// and a slot, once ready, keeps its key for the life of the region.
struct SkuMemo {
  const void* table = nullptr;
  uint64_t slot = 0;
};
thread_local SkuMemo t_sku_memo;

// Buyer records are keyed by (SKU slot, buyer id); a SKU's slot index is
// stable because table slots are never deleted.
class BuyerKey {
 public:
  // |buyer| must be at most 255 bytes (max_buyer_len's limit).
  BuyerKey(uint64_t sku_slot, std::string_view buyer)
      : size_(4 + buyer.size()) {
    const auto slot = static_cast<uint32_t>(sku_slot);
    std::memcpy(bytes_, &slot, 4);
    std::memcpy(bytes_ + 4, buyer.data(), buyer.size());
  }
  std::string_view view() const { return {bytes_, size_}; }

 private:
  char bytes_[4 + 255];
  size_t size_;
};

}  // namespace

bool Inventory::FindSku(std::string_view sku, Table::Slot* out,
                        bool remember) const {
  SkuMemo& memo = t_sku_memo;
  if (memo.table == skus_.base() && memo.slot < skus_.num_slots() &&
      skus_.KeyIs(memo.slot, sku)) {
    *out = Table::Slot{memo.slot, skus_.values(memo.slot)};
    return true;
  }
  if (skus_.Find(sku, out) != Table::Result::kFound) return false;
  if (remember) memo = SkuMemo{skus_.base(), out->index};
  return true;
}

edgekit_status Inventory::Acquire(std::string_view sku, std::string_view buyer,
                                  uint32_t qty, uint64_t now_ms,
                                  uint64_t hold_ttl_ms, uint64_t* out_hold) {
  *out_hold = 0;
  if (qty == 0 || hold_ttl_ms == 0 || hold_ttl_ms > kMaxHoldTtlMs ||
      now_ms > kMaxNowMs || !SkuFits(sku) || !BuyerFits(buyer)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  Table::Slot s;
  if (!FindSku(sku, &s, /*remember=*/true)) return EDGEKIT_E_UNKNOWN_SKU;
  std::atomic<uint64_t>* v = s.values;
  const uint32_t ln = CurrentLane();
  // The sold-out storm after a sale ends costs one lookup and a few loads
  // of lines nobody writes any more.
  const uint64_t central =
      ValueOf(v[kAvail].load(std::memory_order_acquire), kStockBits);
  if (central < qty &&
      ValueOf(lane(s.index, ln).avail.load(std::memory_order_acquire),
              kStockBits) < qty &&
      central + LaneSum(s.index) < qty) {
    return EDGEKIT_E_SOLD_OUT;
  }
  uint64_t limit = v[kLimit].load(std::memory_order_relaxed);
  if (limit == 0 || limit > MaxValue(kBuyerBits))
    limit = config_.default_buyer_limit;
  if (qty > limit) return EDGEKIT_E_BUYER_LIMIT;

  const BuyerKey buyer_key(s.index, buyer);
  const uint64_t buyer_hash = buyers_.Hash(buyer_key.view());
  Table::Slot b;
  if (buyers_.FindOrInsert(buyer_key.view(), buyer_hash, &b) ==
      Table::Result::kFull) {
    return EDGEKIT_E_NO_SPACE;
  }
  // A buyer already at the limit is refused before any stock moves (the
  // reserve step below decides; this read only saves the work).
  if (ValueOf(b.values[0].load(std::memory_order_acquire), kBuyerBits) + qty >
      limit) {
    return EDGEKIT_E_BUYER_LIMIT;
  }

  const uint64_t expiry = now_ms + hold_ttl_ms;  // < kNever (static_assert)
  // A declined attempt (the caller stalled past its TTL in mid-step and
  // expire settled the step) counted nothing that stays counted: try again.
  // The new hold then carries the same, passed, expiry.
  int rounds = 0;
  for (;;) {
    const int pair = ChoosePair(s.index, ln, qty);
    if (pair == kNoRecord) return EDGEKIT_E_NO_SPACE;
    if (pair == kSoldOut) return EDGEKIT_E_SOLD_OUT;
    uint32_t index;
    uint64_t state;
    if (!AllocHold(buyer_hash ^ now_ms, kReserve, &index, &state)) {
      return EDGEKIT_E_NO_SPACE;
    }
    if (!Publish(index, state, MakeWho(b.index, qty, Gen(state)),
                 MakeWhat(expiry, static_cast<uint64_t>(pair), Gen(state)))) {
      continue;
    }
    HoldRecord& rec = hold(index);

    // Step 1 (owner): count the units against the buyer's limit.
    int r = OwnerStep(index, state, &b.values[0], kBuyerBits,
                      [&](uint64_t units, uint64_t* out) {
                        if (units + qty > limit) return false;
                        *out = units + qty;
                        return true;
                      });
    if (r == kRejected) {
      AdvanceTo(rec, state, kScrub);
      Help(index);
      return EDGEKIT_E_BUYER_LIMIT;
    }
    if (r == kDeclined) {
      Help(index);  // its scrub, if no one did it yet
      continue;
    }
    // Step 2 (owner): take the stock, never below zero.
    state = MakeState(Gen(state) + 1, kTake);
    r = OwnerStep(index, state, PairWord(s.index, pair, kAvail), kStockBits,
                  [&](uint64_t avail, uint64_t* out) {
                    if (avail < qty) return false;
                    *out = avail - qty;
                    return true;
                  });
    if (r != kApplied) {
      // Sold out where we looked, or declined: either way the buyer's units
      // go back before we answer or try again. A lane or central count
      // emptied under us is not the SKU sold out: choose again.
      rec.state.compare_exchange_strong(state, MakeState(Gen(state) + 1, kUndo),
                                        std::memory_order_acq_rel);
      Help(index);
      if (r == kDeclined) continue;
      if (++rounds == kTakeRounds) return EDGEKIT_E_SOLD_OUT;
      continue;
    }
    *out_hold = (((Gen(state) + 1) & kHoldGenMask) << kIndexBits) | (index + 1);
    return EDGEKIT_OK;
  }
}

void Inventory::Prefetch(std::string_view sku, std::string_view buyer) const {
  Table::Slot s;
  if (!SkuFits(sku) || !BuyerFits(buyer) ||
      // A prefetch runs ahead of the acquires it announces: were it to
      // remember its SKU, a batch mixing SKUs would miss the memo on every
      // acquire.
      !FindSku(sku, &s, /*remember=*/false)) {
    return;
  }
  buyers_.Prefetch(buyers_.Hash(BuyerKey(s.index, buyer).view()));
}

bool Inventory::PrepareStockStep(std::string_view sku, std::string_view buyer,
                                 uint32_t ln, BenchStep* out) const {
  Table::Slot s, b;
  if (buyer.size() > config_.max_buyer_len || ln < 1 || ln > kLanes ||
      skus_.Find(sku, &s) != Table::Result::kFound) {
    return false;
  }
  Table buyers = buyers_;
  if (buyers.FindOrInsert(BuyerKey(s.index, buyer).view(), &b) ==
      Table::Result::kFull) {
    return false;
  }
  *out = BenchStep{{0, 0}, static_cast<uint32_t>(s.index), ln};
  for (int i = 0; i < 2; ++i) {
    const uint64_t pair = i == 0 ? ln : 0;
    uint32_t index;
    uint64_t state;
    if (!AllocHold(b.index + i, kReserve, &index, &state) ||
        !Publish(index, state, MakeWho(b.index, 1, Gen(state)),
                 MakeWhat(kNever, pair, Gen(state))) ||
        OwnerStep(index, state, &b.values[0], kBuyerBits,
                  [](uint64_t units, uint64_t* next) {
                    *next = units + 1;
                    return units < MaxValue(kBuyerBits);
                  }) != kApplied) {
      return false;
    }
    out->records[i] = index;
  }
  return true;
}

bool Inventory::StockStep(const BenchStep& step) const {
  for (int round = 0; round < kTakeRounds; ++round) {
    const int pair = ChoosePair(step.sku_slot, step.lane, 1);
    if (pair < 0) return false;
    const uint32_t index = step.records[pair == 0 ? 1 : 0];
    HoldRecord& rec = hold(index);
    const uint64_t state = rec.state.load(std::memory_order_acquire);
    const int r =
        OwnerStep(index, state,
                  PairWord(step.sku_slot, static_cast<uint64_t>(pair), kAvail),
                  kStockBits, [](uint64_t avail, uint64_t* out) {
                    if (avail < 1) return false;
                    *out = avail - 1;
                    return true;
                  });
    rec.state.store(MakeState(Gen(state) + 2, kTake),
                    std::memory_order_release);
    if (r == kApplied) return true;
  }
  return false;
}

namespace {

// Why a hold id no longer names a live hold: returned (expired or cancelled)
// or something else (sold, never issued, reused). A returned hold's record
// is still on the return path from its kHeld generation and still carries
// the |who| its acquire installed, two generations before kHeld, with units
// (a stock change's record can reach the same state at the same
// generation, but installs no units).
edgekit_status Gone(const Inventory::HoldRecord& rec, uint64_t state,
                    uint64_t held_gen) {
  const uint64_t g = Gen(state) & kHoldGenMask;
  const uint8_t p = PhaseOf(state);
  if ((g == ((held_gen + 1) & kHoldGenMask) && p == kReturn) ||
      (g == ((held_gen + 2) & kHoldGenMask) && p == kUnbuy) ||
      (g == ((held_gen + 3) & kHoldGenMask) && p == kScrub) ||
      (g == ((held_gen + 4) & kHoldGenMask) && p == kFree)) {
    const uint64_t who = rec.who.load(std::memory_order_acquire);
    if (WhoIsFor(who, held_gen - 2) && WhoQty(who) != 0 &&
        WhoSlot(who) != kRevokedSlot) {
      return EDGEKIT_E_HOLD_EXPIRED;
    }
  }
  return EDGEKIT_E_UNKNOWN_HOLD;
}

}  // namespace

edgekit_status Inventory::Confirm(uint64_t hold_id, uint64_t now_ms) {
  return ConfirmHold(hold_id, now_ms, nullptr);
}

edgekit_status Inventory::Confirm(
    uint64_t hold_id, uint64_t now_ms,
    absl::FunctionRef<edgekit_status(const Sale&)> prepare) {
  return ConfirmHold(hold_id, now_ms, &prepare);
}

// A plain confirm (|prepare| NULL) skips describing the sale: two key reads
// per request that only a ticket needs.
edgekit_status Inventory::ConfirmHold(
    uint64_t hold_id, uint64_t now_ms,
    const absl::FunctionRef<edgekit_status(const Sale&)>* prepare) {
  const uint64_t index = hold_id & kIndexMask;
  const uint64_t gen = hold_id >> kIndexBits;
  if (index == 0 || index > config_.max_holds) return EDGEKIT_E_UNKNOWN_HOLD;
  HoldRecord& rec = hold(static_cast<uint32_t>(index - 1));
  uint64_t s = rec.state.load(std::memory_order_acquire);
  if (PhaseOf(s) != kHeld || (Gen(s) & kHoldGenMask) != gen)
    return Gone(rec, s, gen);
  // A late confirm must not sell units the buyer no longer holds: past the
  // TTL the hold returns them instead.
  const bool expired =
      Expired(rec.what.load(std::memory_order_acquire), now_ms);
  if (!expired && prepare != nullptr) {
    // |who| was installed before the hold was published and stays put
    // while the state word still reads (kHeld, gen); the CAS below proves
    // it did, so what |prepare| saw is what gets sold.
    const uint64_t who = rec.who.load(std::memory_order_acquire);
    const uint64_t buyer_slot = WhoSlot(who);
    const uint64_t sku_slot = SkuOf(buyer_slot);
    if (sku_slot >= skus_.num_slots()) return EDGEKIT_E_INTERNAL;
    const std::string_view buyer_key = buyers_.key(buyer_slot);
    const Sale sale{hold_id, skus_.key(sku_slot), buyer_key.substr(4),
                    static_cast<uint32_t>(WhoQty(who))};
    const edgekit_status prepared = (*prepare)(sale);
    if (prepared != EDGEKIT_OK) return prepared;
  }
  const uint64_t next = MakeState(Gen(s) + 1, expired ? kReturn : kSell);
  if (!rec.state.compare_exchange_strong(s, next, std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
    return Gone(rec, s, gen);
  }
  Help(static_cast<uint32_t>(index - 1));
  return expired ? EDGEKIT_E_HOLD_EXPIRED : EDGEKIT_OK;
}

edgekit_status Inventory::Cancel(uint64_t hold_id) {
  const uint64_t index = hold_id & kIndexMask;
  const uint64_t gen = hold_id >> kIndexBits;
  if (index == 0 || index > config_.max_holds) return EDGEKIT_E_UNKNOWN_HOLD;
  HoldRecord& rec = hold(static_cast<uint32_t>(index - 1));
  uint64_t s = rec.state.load(std::memory_order_acquire);
  if (PhaseOf(s) != kHeld || (Gen(s) & kHoldGenMask) != gen)
    return Gone(rec, s, gen);
  if (!rec.state.compare_exchange_strong(s, MakeState(Gen(s) + 1, kReturn),
                                         std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
    return Gone(rec, s, gen);
  }
  Help(static_cast<uint32_t>(index - 1));
  return EDGEKIT_OK;
}

uint64_t Inventory::Expire(uint64_t now_ms) {
  uint64_t returned = 0;
  for (uint32_t i = 0; i < config_.max_holds; ++i) {
    HoldRecord& rec = hold(i);
    uint64_t s = rec.state.load(std::memory_order_acquire);
    if (Waits(PhaseOf(s)) || PhaseOf(s) == kScrub) {
      // Finish what anyone may finish; settle an owner step that waited
      // past its expiry (or, for a stock change, while we watched).
      Help(i);
      s = rec.state.load(std::memory_order_acquire);
      if (OwnerOnly(PhaseOf(s))) {
        Settle(i, s, now_ms);
        s = rec.state.load(std::memory_order_acquire);
      }
    }
    if (PhaseOf(s) != kHeld ||
        !Expired(rec.what.load(std::memory_order_acquire), now_ms)) {
      continue;
    }
    const uint64_t qty = WhoQty(rec.who.load(std::memory_order_acquire));
    if (rec.state.compare_exchange_strong(s, MakeState(Gen(s) + 1, kReturn),
                                          std::memory_order_acq_rel)) {
      returned += qty;
      Help(i);
    }
  }
  return returned;
}

edgekit_status Inventory::RateCheck(std::string_view key, uint32_t rate_per_s,
                                    uint32_t burst, uint32_t cost,
                                    uint64_t now_ms, uint64_t* retry_after_ms) {
  if (retry_after_ms != nullptr) *retry_after_ms = 0;
  if (rate_per_s == 0 || burst == 0 || cost == 0 || cost > burst ||
      key.empty() || key.size() > config_.max_rate_key_len ||
      now_ms > kMaxNowMs) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  Table::Slot s;
  const auto found = rates_.FindOrInsert(key, &s);
  if (found == Table::Result::kFull) return EDGEKIT_E_NO_SPACE;
  // GCRA on a theoretical arrival time (TAT) in nanoseconds: a request of
  // |cost| is admitted if it would not push the TAT more than |burst|
  // emission intervals past now. One word, one CAS: nothing to recover.
  const uint64_t interval = 1'000'000'000ull / rate_per_s;
  const uint64_t now = now_ms * 1'000'000ull;
  const uint64_t tolerance = uint64_t{burst} * interval;
  std::atomic<uint64_t>* tat_word = &s.values[0];
  uint64_t tat = tat_word->load(std::memory_order_acquire);
  for (;;) {
    const uint64_t new_tat =
        (tat > now ? tat : now) + uint64_t{cost} * interval;
    if (new_tat - now > tolerance) {
      if (retry_after_ms != nullptr) {
        *retry_after_ms = (new_tat - now - tolerance + 999'999) / 1'000'000;
      }
      return EDGEKIT_E_RATE_LIMITED;
    }
    if (tat_word->compare_exchange_weak(tat, new_tat, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
      return EDGEKIT_OK;
    }
  }
}

// ---------------------------------------------------------------------------
// Inspection.

HoldCensus Inventory::Census() const {
  HoldCensus c{};
  for (uint32_t i = 0; i < config_.max_holds; ++i) {
    const HoldRecord& rec = hold(i);
    const uint64_t s = rec.state.load(std::memory_order_acquire);
    const uint8_t phase = PhaseOf(s);
    if (phase == kFree) {
      ++c.free;
    } else if (phase == kHeld) {
      ++c.held;
      c.held_units += WhoQty(rec.who.load(std::memory_order_acquire));
    } else if (Waits(phase) && Target(s, rec) == nullptr &&
               !Unpublished(phase, Gen(s),
                            rec.who.load(std::memory_order_acquire))) {
      // Published, yet naming no counter word: only a corrupted region.
      // Every other record is finished or settled by expire.
      ++c.stranded;
    } else {
      ++c.in_flight;
    }
  }
  return c;
}

uint32_t Inventory::BuyerUnits(std::string_view sku,
                               std::string_view buyer) const {
  Table::Slot s, b;
  if (buyer.size() > config_.max_buyer_len ||
      skus_.Find(sku, &s) != Table::Result::kFound) {
    return 0;
  }
  if (buyers_.Find(BuyerKey(s.index, buyer).view(), &b) !=
      Table::Result::kFound) {
    return 0;
  }
  return static_cast<uint32_t>(
      ValueOf(b.values[0].load(std::memory_order_acquire), kBuyerBits));
}

uint64_t Inventory::HeldUnitsByScan(std::string_view sku) const {
  Table::Slot s;
  if (skus_.Find(sku, &s) != Table::Result::kFound) return 0;
  uint64_t units = 0;
  for (uint32_t i = 0; i < config_.max_holds; ++i) {
    const HoldRecord& rec = hold(i);
    const uint8_t phase = PhaseOf(rec.state.load(std::memory_order_acquire));
    if (phase != kHeld) continue;
    const uint64_t who = rec.who.load(std::memory_order_acquire);
    if (SkuOf(WhoSlot(who)) == s.index) units += WhoQty(who);
  }
  return units;
}

uint64_t Inventory::StampsOfFreeRecords() const {
  uint64_t n = 0;
  auto check = [&](uint64_t word, int bits) {
    const uint64_t stamp = word & StampMask(bits);
    const uint64_t index = stamp & kIndexMask;
    if (index == 0 || index > config_.max_holds) return;
    if (IsPlainStampOf(stamp, static_cast<uint32_t>(index - 1), bits) &&
        PhaseOf(hold(static_cast<uint32_t>(index - 1))
                    .state.load(std::memory_order_acquire)) == kFree) {
      ++n;
    }
  };
  skus_.ForEach([&](uint64_t index, std::string_view,
                    std::atomic<uint64_t>* v) {
    for (SkuWord w : {kAvail, kSold, kAdded, kRemoved}) {
      check(v[w].load(std::memory_order_acquire), kStockBits);
    }
    for (uint32_t ln = 1; ln <= kLanes; ++ln) {
      check(lane(index, ln).avail.load(std::memory_order_acquire), kStockBits);
      check(lane(index, ln).sold.load(std::memory_order_acquire), kStockBits);
    }
  });
  buyers_.ForEach([&](uint64_t, std::string_view, std::atomic<uint64_t>* v) {
    check(v[0].load(std::memory_order_acquire), kBuyerBits);
  });
  return n;
}

void Inventory::ForEachSku(
    absl::FunctionRef<void(std::string_view sku, const StockStats& stats)> fn)
    const {
  skus_.ForEach(
      [&](uint64_t index, std::string_view key, std::atomic<uint64_t>* v) {
        StockStats st;
        SkuStats(index, v, &st);
        fn(key, st);
      });
}

void Inventory::ForEachBuyer(
    absl::FunctionRef<void(std::string_view sku, std::string_view buyer,
                           uint32_t units)>
        fn) const {
  buyers_.ForEach(
      [&](uint64_t, std::string_view key, std::atomic<uint64_t>* v) {
        if (key.size() < 4) return;
        uint32_t sku_slot;
        std::memcpy(&sku_slot, key.data(), 4);
        if (sku_slot >= skus_.num_slots()) return;
        fn(skus_.key(sku_slot), key.substr(4),
           static_cast<uint32_t>(
               ValueOf(v[0].load(std::memory_order_acquire), kBuyerBits)));
      });
}

}  // namespace edgekit::inventory
