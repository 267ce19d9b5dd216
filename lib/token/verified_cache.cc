// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "token/verified_cache.h"

#include <cstring>

namespace edgekit::token {

VerifiedCache::VerifiedCache(size_t entries)
    : num_sets_((entries + kWays - 1) / kWays),
      sets_(new Set[num_sets_ == 0 ? 1 : num_sets_]) {
  if (num_sets_ == 0) num_sets_ = 1;
  for (size_t i = 0; i < num_sets_; ++i) {
    for (Entry& e : sets_[i].entries) e = Entry{};
  }
}

VerifiedCache::Set& VerifiedCache::SetFor(const uint8_t* digest) {
  // The digest is SHA-256 of attacker-chosen bytes, but finding tokens that
  // crowd one set still costs a valid signature per token.
  uint64_t h;
  std::memcpy(&h, digest, sizeof h);
  return sets_[h % num_sets_];
}

bool VerifiedCache::Contains(const uint8_t* digest, double now) {
  Set& set = SetFor(digest);
  std::lock_guard<std::mutex> lock(set.mu);
  for (Entry& e : set.entries) {
    if (e.expires_at != 0 && std::memcmp(e.digest, digest, kDigestSize) == 0) {
      if (now >= e.expires_at) {
        e = Entry{};
        break;
      }
      hits_.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void VerifiedCache::Insert(const uint8_t* digest, double expires_at) {
  if (!(expires_at > 0)) return;  // already expired (or NaN): nothing to keep
  Set& set = SetFor(digest);
  std::lock_guard<std::mutex> lock(set.mu);
  Entry* victim = &set.entries[0];
  for (Entry& e : set.entries) {
    if (e.expires_at != 0 && std::memcmp(e.digest, digest, kDigestSize) == 0) {
      victim = &e;  // already there: refresh
      break;
    }
    if (e.expires_at < victim->expires_at) victim = &e;  // empty (0) first
  }
  std::memcpy(victim->digest, digest, kDigestSize);
  victim->expires_at = expires_at;
}

}  // namespace edgekit::token
