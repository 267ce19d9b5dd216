// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "aggregate/hll.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgekit::aggregate {
namespace {

// Ertl's sigma(x) = x + sum_k x^(2^k) 2^(k-1): the correction for empty
// registers, exact where linear counting is.
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  for (;;) {
    x *= x;
    const double prev = z;
    z += x * y;
    y += y;
    if (z == prev) return z;
  }
}

// Ertl's tau(x): the correction for registers saturated at q + 1.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  for (;;) {
    x = std::sqrt(x);
    const double prev = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
    if (z == prev) return z / 3.0;
  }
}

}  // namespace

double HllRelativeStandardError(int lg_k) {
  return 1.04 / std::sqrt(static_cast<double>(uint64_t{1} << lg_k));
}

double HllEstimateFromHistogram(const uint32_t* counts, uint32_t m) {
  const double md = m;
  double z = md * Tau(1.0 - counts[kHllMaxRegister] / md);
  for (int k = kHllQ; k >= 1; --k) z = 0.5 * (z + counts[k]);
  z += md * Sigma(counts[0] / md);
  const double alpha_inf = 0.5 / std::log(2.0);
  return alpha_inf * md * md / z;
}

void HllPackedUpdate(std::atomic<uint64_t>* words, uint32_t index,
                     uint8_t rank) {
  std::atomic<uint64_t>& word = words[index / kHllRegistersPerWord];
  const uint32_t slot = index % kHllRegistersPerWord;
  const int shift = 4 * static_cast<int>(slot);
  uint64_t cur = word.load(std::memory_order_relaxed);
  for (;;) {
    const uint32_t base = static_cast<uint32_t>(cur >> 60);
    if (rank <= base + ((cur >> shift) & 15)) return;
    uint64_t next;
    if (rank - base <= 15) {
      next = (cur & ~(uint64_t{15} << shift)) |
             (static_cast<uint64_t>(rank - base) << shift);
    } else {
      // Renormalise: the new base is the smallest value (at most 15, the
      // largest base four bits hold) and every offset is re-expressed.
      uint32_t values[kHllRegistersPerWord];
      uint32_t lowest = 255;
      for (uint32_t i = 0; i < kHllRegistersPerWord; ++i) {
        values[i] = i == slot ? rank : HllPackedValue(cur, i);
        lowest = std::min(lowest, values[i]);
      }
      const uint32_t new_base = std::min<uint32_t>(lowest, 15);
      next = static_cast<uint64_t>(new_base) << 60;
      for (uint32_t i = 0; i < kHllRegistersPerWord; ++i) {
        const uint64_t off = std::min<uint32_t>(values[i] - new_base, 15);
        next |= off << (4 * i);
      }
      if (next == cur) return;  // capped: nothing this word can still record
    }
    if (word.compare_exchange_weak(cur, next, std::memory_order_relaxed)) {
      return;
    }
  }
}

size_t HllSketch::num_nonzero() const {
  if (dense_.empty()) return sparse_.size();
  return static_cast<size_t>(
      std::count_if(dense_.begin(), dense_.end(), [](uint8_t v) { return v; }));
}

void HllSketch::UpdateHash(uint64_t hash) {
  uint32_t index;
  uint8_t rank;
  HllIndexAndRank(hash, lg_k_, &index, &rank);
  Raise(index, rank);
}

void HllSketch::Raise(uint32_t index, uint8_t value) {
  if (value == 0) return;
  if (!dense_.empty()) {
    dense_[index] = std::max(dense_[index], value);
    return;
  }
  const uint32_t key = index << 8;
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), key);
  if (it != sparse_.end() && (*it >> 8) == index) {
    if ((*it & 0xff) < value) *it = key | value;
    return;
  }
  sparse_.insert(it, key | value);
  if (sparse_.size() > m() / 8) Densify();
}

void HllSketch::Densify() {
  dense_.assign(m(), 0);
  for (uint32_t e : sparse_) dense_[e >> 8] = static_cast<uint8_t>(e & 0xff);
  sparse_.clear();
  sparse_.shrink_to_fit();
}

void HllSketch::Merge(const HllSketch& other) {
  if (other.empty()) return;
  if (!other.dense_.empty() && dense_.empty()) Densify();
  if (!dense_.empty()) {
    other.ForEachNonZero(
        [this](uint32_t i, uint8_t v) { dense_[i] = std::max(dense_[i], v); });
    return;
  }
  // Both sparse: a linear merge of two sorted lists.
  std::vector<uint32_t> out;
  out.reserve(sparse_.size() + other.sparse_.size());
  size_t i = 0;
  size_t j = 0;
  while (i < sparse_.size() || j < other.sparse_.size()) {
    if (j == other.sparse_.size() ||
        (i < sparse_.size() && (sparse_[i] >> 8) < (other.sparse_[j] >> 8))) {
      out.push_back(sparse_[i++]);
    } else if (i == sparse_.size() ||
               (other.sparse_[j] >> 8) < (sparse_[i] >> 8)) {
      out.push_back(other.sparse_[j++]);
    } else {
      out.push_back(std::max(sparse_[i++], other.sparse_[j++]));
    }
  }
  sparse_ = std::move(out);
  if (sparse_.size() > m() / 8) Densify();
}

double HllSketch::Estimate() const {
  uint32_t counts[kHllMaxRegister + 1] = {0};
  uint32_t nonzero = 0;
  ForEachNonZero([&](uint32_t, uint8_t v) {
    ++counts[v];
    ++nonzero;
  });
  counts[0] = m() - nonzero;
  return HllEstimateFromHistogram(counts, m());
}

bool HllSketch::operator==(const HllSketch& o) const {
  if (lg_k_ != o.lg_k_ || num_nonzero() != o.num_nonzero()) return false;
  std::vector<uint32_t> a;
  std::vector<uint32_t> b;
  ForEachNonZero([&](uint32_t i, uint8_t v) { a.push_back(i << 8 | v); });
  o.ForEachNonZero([&](uint32_t i, uint8_t v) { b.push_back(i << 8 | v); });
  return a == b;
}

}  // namespace edgekit::aggregate
