// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A bounded, thread-safe memory of tokens whose signature already verified
// under one verifier's key set, so a token seen again skips the signature
// check (RSA, ECDSA, Ed25519; an HMAC costs less than the lookup).
//
// What it remembers is only "these exact bytes carry a valid signature":
// the SHA-256 of the whole token. The claims are still parsed from the token
// and every claim (exp, nbf, iss, aud, required) is checked on every hit, so
// a cached token expires on time. The cache belongs to one Verifier and so to
// one key set: rotating keys means a new verifier and an empty cache, and a
// stale verdict cannot be served.
//
// Layout: 4-way set-associative, one mutex per set (the cache lives in
// process memory, never in a shared region). On a full set the entry that
// expires first is replaced. Memory: 48 bytes per entry (rounded up to a
// multiple of four entries) plus one mutex per four entries.

#ifndef EDGEKIT_LIB_TOKEN_VERIFIED_CACHE_H_
#define EDGEKIT_LIB_TOKEN_VERIFIED_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

namespace edgekit::token {

class VerifiedCache {
 public:
  static constexpr size_t kDigestSize = 32;
  static constexpr size_t kWays = 4;

  // |entries| is rounded up to a multiple of kWays; it must be > 0.
  explicit VerifiedCache(size_t entries);
  VerifiedCache(const VerifiedCache&) = delete;
  VerifiedCache& operator=(const VerifiedCache&) = delete;

  // Contains reports whether |digest| was inserted and has not expired by
  // |now|. An expired entry is dropped.
  bool Contains(const uint8_t* digest, double now);

  // Insert remembers |digest| until |expires_at| (+infinity for a token
  // without exp).
  void Insert(const uint8_t* digest, double expires_at);

  size_t capacity() const { return num_sets_ * kWays; }
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    uint8_t digest[kDigestSize];
    double expires_at;  // 0 marks an empty entry
    uint64_t padding;
  };
  struct alignas(64) Set {
    std::mutex mu;
    Entry entries[kWays];
  };

  Set& SetFor(const uint8_t* digest);

  size_t num_sets_;
  std::unique_ptr<Set[]> sets_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace edgekit::token

#endif  // EDGEKIT_LIB_TOKEN_VERIFIED_CACHE_H_
