// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "keys/alg.h"

namespace edgekit::keys {
namespace {

using crypto::Hash;
using crypto::KeyType;

// The curve column only matters for EC and OKP rows.
constexpr Alg kAlgs[] = {
    {"HS256", Family::kOct, Scheme::kHmac, Hash::kSha256, KeyType::kRsa},
    {"HS384", Family::kOct, Scheme::kHmac, Hash::kSha384, KeyType::kRsa},
    {"HS512", Family::kOct, Scheme::kHmac, Hash::kSha512, KeyType::kRsa},
    {"RS256", Family::kRsa, Scheme::kRsaPkcs1, Hash::kSha256, KeyType::kRsa},
    {"RS384", Family::kRsa, Scheme::kRsaPkcs1, Hash::kSha384, KeyType::kRsa},
    {"RS512", Family::kRsa, Scheme::kRsaPkcs1, Hash::kSha512, KeyType::kRsa},
    {"PS256", Family::kRsa, Scheme::kRsaPss, Hash::kSha256, KeyType::kRsa},
    {"PS384", Family::kRsa, Scheme::kRsaPss, Hash::kSha384, KeyType::kRsa},
    {"PS512", Family::kRsa, Scheme::kRsaPss, Hash::kSha512, KeyType::kRsa},
    {"ES256", Family::kEc, Scheme::kEcdsa, Hash::kSha256, KeyType::kEcP256},
    {"ES384", Family::kEc, Scheme::kEcdsa, Hash::kSha384, KeyType::kEcP384},
    {"ES512", Family::kEc, Scheme::kEcdsa, Hash::kSha512, KeyType::kEcP521},
    {"EdDSA", Family::kOkp, Scheme::kEd25519, Hash::kSha512, KeyType::kEd25519},
};

}  // namespace

const Alg* FindAlg(std::string_view name) {
  for (const Alg& alg : kAlgs) {
    if (alg.name == name) return &alg;
  }
  return nullptr;
}

}  // namespace edgekit::keys
