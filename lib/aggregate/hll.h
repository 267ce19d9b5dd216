// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// HyperLogLog distinct counting in two forms. In a region, registers are
// packed fifteen to a 64-bit word as 4-bit offsets over a per-word 4-bit base
// (2,192 bytes at lg_k = 12) and raised with a compare-and-swap, so any
// number of processes update one sketch without a lock. In a summary,
// registers are plain bytes (sparse while few are set), which makes merge an
// exact register-wise max: associative, commutative and idempotent.
//
// Estimation uses Ertl's improved raw estimator ("New cardinality estimation
// algorithms for HyperLogLog sketches", 2017), which needs neither bias tables
// nor a switch between small- and large-range formulas: its relative standard
// error is about 1.04 / sqrt(2^lg_k) from zero up to ~2^(lg_k + 29) items
// (1.6% at the default lg_k = 12).

#ifndef EDGEKIT_LIB_AGGREGATE_HLL_H_
#define EDGEKIT_LIB_AGGREGATE_HLL_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgekit::aggregate {

inline constexpr int kHllMinLgK = 4;
inline constexpr int kHllMaxLgK = 16;
inline constexpr int kHllDefaultLgK = 12;
// Register values are 0 (empty) .. kHllMaxRegister. Ranks come from 29 hash
// bits after the index, so register values need 5 bits on the wire.
inline constexpr int kHllQ = 29;
inline constexpr uint8_t kHllMaxRegister = kHllQ + 1;

// HllIndexAndRank splits |hash| into a register index (top lg_k bits) and the
// rank (position of the first 1 bit in the rest, capped at kHllMaxRegister).
inline void HllIndexAndRank(uint64_t hash, int lg_k, uint32_t* index,
                            uint8_t* rank) {
  *index = static_cast<uint32_t>(hash >> (64 - lg_k));
  const uint64_t rest = hash << lg_k;
  const int r = rest == 0 ? 64 : __builtin_clzll(rest) + 1;
  *rank = static_cast<uint8_t>(r > kHllMaxRegister ? kHllMaxRegister : r);
}

// HllRelativeStandardError is the theoretical 1-sigma relative error.
double HllRelativeStandardError(int lg_k);

// Estimate from a histogram: |counts[v]| registers hold value v, for v in
// 0..kHllMaxRegister; |m| is the register count.
double HllEstimateFromHistogram(const uint32_t* counts, uint32_t m);

// --- The shared-memory form ------------------------------------------------

// A packed word: bits 0..59 hold fifteen 4-bit offsets, bits 60..63 the base.
// Register value = base + offset. When a register must exceed base + 15 the
// word is renormalised to base = min(values) in the same compare-and-swap; a
// value still out of reach is capped at base + 15, which needs one register to
// sit 16 above the smallest of its fourteen neighbours (rare, and it can only
// lower the estimate by a fraction of one register's weight).
inline constexpr int kHllRegistersPerWord = 15;

inline constexpr size_t HllPackedWords(int lg_k) {
  return ((size_t{1} << lg_k) + kHllRegistersPerWord - 1) /
         kHllRegistersPerWord;
}

// HllPackedUpdate raises register |index| to at least |rank|. Lock-free:
// one relaxed load when the register is already high enough (most updates),
// otherwise a CAS loop on one word.
void HllPackedUpdate(std::atomic<uint64_t>* words, uint32_t index,
                     uint8_t rank);

// HllPackedValue decodes register |index| from a word.
inline uint8_t HllPackedValue(uint64_t word, uint32_t slot_in_word) {
  return static_cast<uint8_t>((word >> 60) +
                              ((word >> (4 * slot_in_word)) & 15));
}

// --- The summary form ------------------------------------------------------

// HllSketch holds 2^lg_k byte registers, sparsely while at most m/8 are set.
class HllSketch {
 public:
  HllSketch() = default;
  explicit HllSketch(int lg_k) : lg_k_(static_cast<uint8_t>(lg_k)) {}

  int lg_k() const { return lg_k_; }
  uint32_t m() const { return uint32_t{1} << lg_k_; }
  bool empty() const { return dense_.empty() && sparse_.empty(); }
  size_t num_nonzero() const;

  // Update hashes nothing: it takes an already hashed item.
  void UpdateHash(uint64_t hash);
  // Raise sets register |index| to max(current, |value|).
  void Raise(uint32_t index, uint8_t value);
  // Merge takes the register-wise max; both must share lg_k.
  void Merge(const HllSketch& other);
  double Estimate() const;

  // Calls f(index, value) for every non-zero register in index order.
  template <typename F>
  void ForEachNonZero(F f) const {
    if (!dense_.empty()) {
      for (uint32_t i = 0; i < dense_.size(); ++i) {
        if (dense_[i] != 0) f(i, dense_[i]);
      }
    } else {
      for (uint32_t e : sparse_) f(e >> 8, static_cast<uint8_t>(e & 0xff));
    }
  }

  bool operator==(const HllSketch& o) const;

 private:
  void Densify();

  uint8_t lg_k_ = kHllDefaultLgK;
  // Sorted by index; each entry is index << 8 | value.
  std::vector<uint32_t> sparse_;
  std::vector<uint8_t> dense_;
};

}  // namespace edgekit::aggregate

#endif  // EDGEKIT_LIB_AGGREGATE_HLL_H_
