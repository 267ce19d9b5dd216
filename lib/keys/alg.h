// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The JWS algorithm table (RFC 7518 §3, RFC 8037): which key family, curve
// and hash each "alg" name means. Names are matched case-sensitively; "none"
// is deliberately absent.

#ifndef EDGEKIT_LIB_KEYS_ALG_H_
#define EDGEKIT_LIB_KEYS_ALG_H_

#include <cstdint>
#include <string_view>

#include "crypto/crypto.h"

namespace edgekit::keys {

// The "kty" a key must have to serve an algorithm.
enum class Family : uint8_t { kOct, kRsa, kEc, kOkp };

// How the signature is computed, beyond the family.
enum class Scheme : uint8_t { kHmac, kRsaPkcs1, kRsaPss, kEcdsa, kEd25519 };

struct Alg {
  std::string_view name;
  Family family;
  Scheme scheme;
  crypto::Hash hash;      // unused by Ed25519
  crypto::KeyType curve;  // for kEcdsa and kEd25519 only
};

// FindAlg returns the table entry for |name|, or nullptr for "none" and every
// name it does not know.
const Alg* FindAlg(std::string_view name);

}  // namespace edgekit::keys

#endif  // EDGEKIT_LIB_KEYS_ALG_H_
