// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// JWKS members are base64url strings; everything is checked here, once, so
// the request path can trust a Key completely.

#include "keys/keys.h"

#include <stdexcept>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/base64url.h"
#include "picojson.h"

namespace edgekit::keys {
namespace {

using crypto::Hash;
using crypto::KeyType;

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(what);
}
absl::Status Refused(absl::string_view what) {
  return absl::FailedPreconditionError(what);
}

int HashIndex(Hash hash) {
  switch (hash) {
    case Hash::kSha384:
      return 1;
    case Hash::kSha512:
      return 2;
    default:
      return 0;
  }
}

Family FamilyOf(KeyType type) {
  switch (type) {
    case KeyType::kRsa:
      return Family::kRsa;
    case KeyType::kEd25519:
      return Family::kOkp;
    default:
      return Family::kEc;
  }
}

// A JWK's members, read with the checks every kty shares.
class Jwk {
 public:
  explicit Jwk(const picojson::object& members) : members_(members) {}

  // String returns the member as a string; absent is "" with *present false.
  absl::StatusOr<std::string> String(const std::string& name,
                                     bool* present = nullptr) const {
    const auto it = members_.find(name);
    if (present != nullptr) *present = it != members_.end();
    if (it == members_.end()) return std::string();
    if (!it->second.is<std::string>()) {
      return Refused(absl::StrCat("JWK member \"", name, "\" is not a string"));
    }
    return it->second.get<std::string>();
  }

  // Bytes returns a base64url member decoded; a required one must be present.
  absl::StatusOr<std::string> Bytes(const std::string& name,
                                    bool required) const {
    bool present = false;
    auto text = String(name, &present);
    if (!text.ok()) return text.status();
    if (!present) {
      if (required) {
        return Refused(absl::StrCat("JWK lacks \"", name, "\""));
      }
      return std::string();
    }
    std::string out;
    if (!Base64UrlDecodeTo(*text, &out)) {
      return Refused(
          absl::StrCat("JWK member \"", name, "\" is not strict base64url"));
    }
    return out;
  }

  bool Has(const std::string& name) const { return members_.count(name) != 0; }

 private:
  const picojson::object& members_;
};

#define EDGEKIT_ASSIGN(lhs, expr)               \
  auto lhs##_or = (expr);                       \
  if (!lhs##_or.ok()) return lhs##_or.status(); \
  std::string lhs = std::move(*lhs##_or)

absl::StatusOr<std::optional<Key>> RsaFromJwk(const Jwk& jwk) {
  EDGEKIT_ASSIGN(n, jwk.Bytes("n", true));
  EDGEKIT_ASSIGN(e, jwk.Bytes("e", true));
  if (!jwk.Has("d")) {
    auto pub = crypto::PublicKey::FromRsa(n, e);
    if (!pub.ok()) return Refused(pub.status().message());
    return Key::FromPublic(*std::move(pub));
  }
  EDGEKIT_ASSIGN(d, jwk.Bytes("d", true));
  EDGEKIT_ASSIGN(p, jwk.Bytes("p", false));
  EDGEKIT_ASSIGN(q, jwk.Bytes("q", false));
  EDGEKIT_ASSIGN(dp, jwk.Bytes("dp", false));
  EDGEKIT_ASSIGN(dq, jwk.Bytes("dq", false));
  EDGEKIT_ASSIGN(qi, jwk.Bytes("qi", false));
  // The CRT members are optional in RFC 7518 but required here: see
  // crypto::PrivateKey::FromRsa.
  if (p.empty() || q.empty() || dp.empty() || dq.empty() || qi.empty()) {
    return Refused("RSA private JWK without all of p, q, dp, dq and qi");
  }
  auto priv = crypto::PrivateKey::FromRsa(n, e, d, p, q, dp, dq, qi);
  if (!priv.ok()) return Refused(priv.status().message());
  return Key::FromPrivate(*std::move(priv));
}

absl::StatusOr<std::optional<Key>> EcFromJwk(const Jwk& jwk) {
  EDGEKIT_ASSIGN(crv, jwk.String("crv"));
  KeyType type;
  if (crv == "P-256") {
    type = KeyType::kEcP256;
  } else if (crv == "P-384") {
    type = KeyType::kEcP384;
  } else if (crv == "P-521") {
    type = KeyType::kEcP521;
  } else {
    return std::optional<Key>();  // secp256k1 and others: not ours to judge
  }
  EDGEKIT_ASSIGN(x, jwk.Bytes("x", true));
  EDGEKIT_ASSIGN(y, jwk.Bytes("y", true));
  if (!jwk.Has("d")) {
    auto pub = crypto::PublicKey::FromEc(type, x, y);
    if (!pub.ok()) return Refused(pub.status().message());
    return Key::FromPublic(*std::move(pub));
  }
  EDGEKIT_ASSIGN(d, jwk.Bytes("d", true));
  auto priv = crypto::PrivateKey::FromEc(type, x, y, d);
  if (!priv.ok()) return Refused(priv.status().message());
  return Key::FromPrivate(*std::move(priv));
}

absl::StatusOr<std::optional<Key>> OkpFromJwk(const Jwk& jwk) {
  EDGEKIT_ASSIGN(crv, jwk.String("crv"));
  if (crv != "Ed25519") return std::optional<Key>();  // X25519, Ed448 …
  EDGEKIT_ASSIGN(x, jwk.Bytes("x", true));
  if (!jwk.Has("d")) {
    auto pub = crypto::PublicKey::FromEd25519(x);
    if (!pub.ok()) return Refused(pub.status().message());
    return Key::FromPublic(*std::move(pub));
  }
  EDGEKIT_ASSIGN(d, jwk.Bytes("d", true));
  auto priv = crypto::PrivateKey::FromEd25519(d, x);
  if (!priv.ok()) return Refused(priv.status().message());
  return Key::FromPrivate(*std::move(priv));
}

// KeyFromJwk returns the key, nullopt for a key that is to be skipped, or the
// reason the key is refused.
absl::StatusOr<std::optional<Key>> KeyFromJwk(const picojson::value& value) {
  if (!value.is<picojson::object>()) return Malformed("a JWK is not an object");
  const Jwk jwk(value.get<picojson::object>());
  EDGEKIT_ASSIGN(kty, jwk.String("kty"));
  bool has_use = false;
  EDGEKIT_ASSIGN(use, jwk.String("use", &has_use));
  if (has_use && use != "sig") return std::optional<Key>();
  EDGEKIT_ASSIGN(alg, jwk.String("alg"));
  // Encryption algorithms ("RSA-OAEP", "ECDH-ES" …) mark encryption keys.
  if (!alg.empty() && FindAlg(alg) == nullptr) return std::optional<Key>();
  bool has_kid = false;
  EDGEKIT_ASSIGN(kid, jwk.String("kid", &has_kid));

  absl::StatusOr<std::optional<Key>> key;
  if (kty == "oct") {
    EDGEKIT_ASSIGN(k, jwk.Bytes("k", true));
    key = Key::FromSecret(k);
  } else if (kty == "RSA") {
    key = RsaFromJwk(jwk);
  } else if (kty == "EC") {
    key = EcFromJwk(jwk);
  } else if (kty == "OKP") {
    key = OkpFromJwk(jwk);
  } else {
    return std::optional<Key>();
  }
  if (!key.ok() || !key->has_value()) return key;
  Key& k = **key;
  if (!alg.empty() && !k.Fits(*FindAlg(alg))) {
    return Refused(absl::StrCat("JWK alg \"", alg, "\" does not fit its key"));
  }
  k.set_alg(std::move(alg));
  if (has_kid) k.set_kid(std::move(kid));
  return key;
}

#undef EDGEKIT_ASSIGN

}  // namespace

absl::StatusOr<Key> Key::FromSecret(std::string_view secret) {
  if (secret.empty()) return Refused("empty HMAC secret");
  Key key;
  key.family_ = Family::kOct;
  for (Hash hash : {Hash::kSha256, Hash::kSha384, Hash::kSha512}) {
    key.hmac_[HashIndex(hash)] = crypto::HmacKey::Create(hash, secret);
  }
  return key;
}

absl::StatusOr<Key> Key::FromPublic(crypto::PublicKey public_key) {
  if (public_key.type() == KeyType::kRsa && public_key.bits() < kMinRsaBits) {
    return Refused(absl::StrCat("RSA key of ", public_key.bits(),
                                " bits; at least 2048 needed"));
  }
  Key key;
  key.type_ = public_key.type();
  key.family_ = FamilyOf(key.type_);
  key.public_ = std::move(public_key);
  return key;
}

absl::StatusOr<Key> Key::FromPrivate(crypto::PrivateKey private_key) {
  auto key = FromPublic(private_key.PublicPart());
  if (!key.ok()) return key;
  key->private_ = std::move(private_key);
  return key;
}

bool Key::Fits(const Alg& alg) const {
  if (alg.family != family_) return false;
  if ((family_ == Family::kEc || family_ == Family::kOkp) &&
      alg.curve != type_) {
    return false;
  }
  return alg_.empty() || alg_ == alg.name;
}

const crypto::HmacKey* Key::hmac(Hash hash) const {
  const auto& slot = hmac_[HashIndex(hash)];
  return slot ? &*slot : nullptr;
}

absl::StatusOr<KeySet> KeySet::FromJwks(std::string_view jwks) {
  picojson::value root;
  std::string error;
  const char* end = nullptr;
  try {
    end = picojson::parse(root, jwks.data(), jwks.data() + jwks.size(), &error);
  } catch (const std::overflow_error&) {
    // picojson throws, rather than reports, a number beyond double range
    // (found by the jwks fuzzer).
    return Malformed("JWKS: a number beyond double range");
  }
  if (!error.empty()) return Malformed(absl::StrCat("JWKS: ", error));
  for (; end != jwks.data() + jwks.size(); ++end) {
    if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') {
      return Malformed("JWKS: trailing bytes after the JSON value");
    }
  }
  if (!root.is<picojson::object>()) return Malformed("JWKS is not an object");
  const auto& object = root.get<picojson::object>();
  std::vector<const picojson::value*> entries;
  const auto keys = object.find("keys");
  if (keys != object.end()) {
    if (!keys->second.is<picojson::array>()) {
      return Malformed("JWKS \"keys\" is not an array");
    }
    for (const auto& v : keys->second.get<picojson::array>()) {
      entries.push_back(&v);
    }
  } else if (object.count("kty") != 0) {
    entries.push_back(&root);
  } else {
    return Malformed("neither a JWK Set nor a JWK");
  }
  KeySet set;
  for (const picojson::value* entry : entries) {
    auto key = KeyFromJwk(*entry);
    if (!key.ok()) return key.status();
    if (key->has_value()) set.keys_.push_back(**std::move(key));
  }
  if (set.keys_.empty()) return Refused("no usable signing key in the JWKS");
  return set;
}

absl::StatusOr<KeySet> KeySet::FromPem(std::string_view pem,
                                       std::optional<std::string_view> kid) {
  const size_t begin = pem.find("-----BEGIN ");
  if (begin == std::string_view::npos) return Malformed("no PEM block");
  // The label of the last block names the key; "EC PARAMETERS" may precede
  // an "EC PRIVATE KEY" as openssl ecparam writes it.
  const size_t label = pem.rfind("-----BEGIN ");
  const size_t label_end = pem.find("-----", label + 11);
  if (label_end == std::string_view::npos) return Malformed("bad PEM header");
  const std::string_view name = pem.substr(label + 11, label_end - label - 11);
  absl::StatusOr<Key> key = Refused("unreachable");
  if (name == "PRIVATE KEY" || name == "RSA PRIVATE KEY" ||
      name == "EC PRIVATE KEY") {
    auto priv = crypto::PrivateKey::FromPem(pem);
    if (!priv.ok()) return Refused(priv.status().message());
    key = Key::FromPrivate(*std::move(priv));
  } else if (name == "PUBLIC KEY" || name == "RSA PUBLIC KEY") {
    auto pub = crypto::PublicKey::FromPem(pem);
    if (!pub.ok()) return Refused(pub.status().message());
    key = Key::FromPublic(*std::move(pub));
  } else {
    return Malformed(
        absl::StrCat("unsupported PEM block \"", std::string(name), "\""));
  }
  if (!key.ok()) return key.status();
  if (kid) key->set_kid(std::string(*kid));
  KeySet set;
  set.keys_.push_back(*std::move(key));
  return set;
}

absl::StatusOr<KeySet> KeySet::FromSecret(std::string_view secret,
                                          std::optional<std::string_view> kid) {
  auto key = Key::FromSecret(secret);
  if (!key.ok()) return key.status();
  if (kid) key->set_kid(std::string(*kid));
  KeySet set;
  set.keys_.push_back(*std::move(key));
  return set;
}

}  // namespace edgekit::keys
