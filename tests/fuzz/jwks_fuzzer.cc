// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes key loading: arbitrary bytes as a JWK Set (or single JWK) and as a
// PEM key. Either a key set or an error status, never a crash.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "keys/keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto set = edgekit::keys::KeySet::FromJwks(input);
  if (set.ok()) {
    if (set->keys().empty()) __builtin_trap();  // an empty set is an error
    for (const auto& key : set->keys()) {
      if (key.family() == edgekit::keys::Family::kOct &&
          key.hmac(edgekit::crypto::Hash::kSha256) == nullptr) {
        __builtin_trap();
      }
      if (key.family() != edgekit::keys::Family::kOct &&
          key.public_key() == nullptr) {
        __builtin_trap();
      }
    }
  }
  (void)edgekit::keys::KeySet::FromPem(input, std::nullopt);
  return 0;
}
