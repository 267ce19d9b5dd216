// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The 64-bit hash behind keys, HyperLogLog items and top-k fingerprints. It is
// part of the summary format: HLL registers from two nodes only merge if both
// hashed the same item to the same value, so this function must never change
// for a given summary format version. Fast and well mixed, not cryptographic:
// an attacker who picks keys can collide them (the table then sends the
// colliding keys to the overflow key; nothing is lost).

#ifndef EDGEKIT_LIB_AGGREGATE_HASH_H_
#define EDGEKIT_LIB_AGGREGATE_HASH_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace edgekit::aggregate {

namespace internal {

inline uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only; the format pins the result.
}

// Folds the 128-bit product of |a| and |b|: every input bit reaches every
// output bit in one multiply.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

constexpr uint64_t kK0 = 0x9e3779b97f4a7c15ull;
constexpr uint64_t kK1 = 0xd6e8feb86659fd93ull;
constexpr uint64_t kK2 = 0xa0761d6478bd642full;

}  // namespace internal

// Hash64 hashes |len| bytes at |data|. Stable across runs, hosts
// (little-endian) and versions of edgekit that write summary format version 1.
inline uint64_t Hash64(const void* data, size_t len) {
  using internal::Fold;
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = internal::kK0 ^ Fold(len + internal::kK1, internal::kK2);
  while (len > 16) {
    // Each round keys both halves with the running state, so a zero word
    // never erases what came before.
    h = Fold(internal::Load64(p) ^ internal::kK1 ^ h,
             internal::Load64(p + 8) ^ internal::kK2 ^ (h >> 7));
    p += 16;
    len -= 16;
  }
  uint64_t a = 0;
  uint64_t b = 0;
  if (len >= 8) {
    a = internal::Load64(p);
    b = internal::Load64(p + len - 8);
  } else if (len > 0) {
    unsigned char tail[8] = {0};
    std::memcpy(tail, p, len);
    a = internal::Load64(tail);
    b = static_cast<uint64_t>(len) << 56;
  }
  h = Fold(a ^ internal::kK1 ^ h, b ^ internal::kK2 ^ (h >> 7) ^ len);
  return Fold(h ^ internal::kK0, h ^ internal::kK2);
}

inline uint64_t Hash64(std::string_view s) {
  return Hash64(s.data(), s.size());
}

}  // namespace edgekit::aggregate

#endif  // EDGEKIT_LIB_AGGREGATE_HASH_H_
