// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Key material for everything that checks signatures at the edge: JWK Sets,
// PEM keys and raw HMAC secrets become Keys that know their family, curve,
// kid and alg and hold ready-to-use crypto objects. Built once on a cold path
// (picojson is fine here), then only read, from any number of threads.
//
// Errors: kInvalidArgument when the text cannot be parsed at all,
// kFailedPrecondition when it parses but a key is refused (RSA below 2048
// bits, a point off its curve, an empty secret, inconsistent members).

#ifndef EDGEKIT_LIB_KEYS_KEYS_H_
#define EDGEKIT_LIB_KEYS_KEYS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "crypto/crypto.h"
#include "keys/alg.h"

namespace edgekit::keys {

// RSA keys below this many bits are refused at load (RFC 7518 §3.3).
constexpr int kMinRsaBits = 2048;

class Key {
 public:
  // FromSecret makes an "oct" key; an empty secret is refused.
  static absl::StatusOr<Key> FromSecret(std::string_view secret);
  // FromPublic and FromPrivate wrap an asymmetric key (RSA checked for size).
  static absl::StatusOr<Key> FromPublic(crypto::PublicKey key);
  static absl::StatusOr<Key> FromPrivate(crypto::PrivateKey key);

  Family family() const { return family_; }
  // type is the RSA/curve kind of an asymmetric key; meaningless for kOct.
  crypto::KeyType type() const { return type_; }
  const std::optional<std::string>& kid() const { return kid_; }
  // alg is the JWK "alg" member, or empty when the key does not restrict it.
  const std::string& alg() const { return alg_; }
  bool can_sign() const {
    return family_ == Family::kOct || private_.has_value();
  }

  // Fits says whether this key may serve |alg|: same family, same curve, and
  // the key's own alg (if any) equal to |alg.name|. kid is the caller's rule.
  bool Fits(const Alg& alg) const;

  // The crypto objects; each is non-null only for the family that has it.
  const crypto::HmacKey* hmac(crypto::Hash hash) const;
  const crypto::PublicKey* public_key() const {
    return public_ ? &*public_ : nullptr;
  }
  const crypto::PrivateKey* private_key() const {
    return private_ ? &*private_ : nullptr;
  }

  void set_kid(std::string kid) { kid_ = std::move(kid); }
  void set_alg(std::string alg) { alg_ = std::move(alg); }

 private:
  Key() = default;

  Family family_ = Family::kOct;
  crypto::KeyType type_ = crypto::KeyType::kRsa;
  std::optional<std::string> kid_;
  std::string alg_;
  // HS256, HS384 and HS512 each precompute their own pads.
  std::optional<crypto::HmacKey> hmac_[3];
  std::optional<crypto::PublicKey> public_;
  std::optional<crypto::PrivateKey> private_;
};

class KeySet {
 public:
  // FromJwks parses a JWK Set ({"keys":[...]}) or a single JWK. Keys of an
  // unknown kty, curve or alg, and keys whose "use" is not "sig", are skipped;
  // a set left empty is refused.
  static absl::StatusOr<KeySet> FromJwks(std::string_view jwks);
  // FromPem parses one PEM public or private key; nullopt |kid| means none.
  static absl::StatusOr<KeySet> FromPem(std::string_view pem,
                                        std::optional<std::string_view> kid);
  // FromSecret makes a set of one HMAC key.
  static absl::StatusOr<KeySet> FromSecret(std::string_view secret,
                                           std::optional<std::string_view> kid);

  const std::vector<Key>& keys() const { return keys_; }

 private:
  std::vector<Key> keys_;
};

}  // namespace edgekit::keys

#endif  // EDGEKIT_LIB_KEYS_KEYS_H_
