// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The C ABI of include/edgekit/token.h over lib/token/token.h: argument
// checks, type conversion, and nothing else. No exception leaves: setup calls
// turn std::bad_alloc into EDGEKIT_E_NO_MEMORY.

#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgekit/token.h"
#include "keys/keys.h"
#include "token/handles.h"
#include "token/token.h"

struct edgekit_verifier {
  edgekit::token::Verifier verifier;
};

struct edgekit_claims {
  edgekit::token::Claims claims;
};

namespace {

using edgekit::keys::KeySet;
using edgekit::token::StatusFromKeyError;

// Bytes in: NULL is only valid with a zero length.
bool ValidIn(const void* p, size_t len) { return p != nullptr || len == 0; }

std::string_view View(const char* p, size_t len) {
  return len == 0 ? std::string_view() : std::string_view(p, len);
}

std::optional<std::string_view> OptionalKid(const char* kid, size_t len) {
  if (kid == nullptr) return std::nullopt;
  return std::string_view(kid, len);
}

// Runs a setup step, mapping an allocation failure to its status.
template <typename Fn>
edgekit_status Guard(Fn fn) noexcept {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  } catch (...) {
    return EDGEKIT_E_INTERNAL;
  }
}

edgekit_status Wrap(absl::StatusOr<KeySet> set, edgekit_keyset** out) {
  if (!set.ok()) return StatusFromKeyError(set.status());
  *out = new edgekit_keyset{std::make_shared<const KeySet>(*std::move(set))};
  return EDGEKIT_OK;
}

bool ToStrings(const edgekit_str* in, size_t num,
               std::vector<std::string>* out) {
  if (in == nullptr && num != 0) return false;
  for (size_t i = 0; i < num; ++i) {
    if (!ValidIn(in[i].data, in[i].len)) return false;
    out->emplace_back(View(in[i].data, in[i].len));
  }
  return true;
}

}  // namespace

extern "C" {

edgekit_status edgekit_keyset_from_jwks(edgekit_keyset** out, const char* jwks,
                                        size_t jwks_len) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (!ValidIn(jwks, jwks_len)) return EDGEKIT_E_INVALID_ARGUMENT;
  return Guard(
      [&] { return Wrap(KeySet::FromJwks(View(jwks, jwks_len)), out); });
}

edgekit_status edgekit_keyset_from_pem(edgekit_keyset** out, const char* pem,
                                       size_t pem_len, const char* kid,
                                       size_t kid_len) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (!ValidIn(pem, pem_len) || (kid == nullptr && kid_len != 0)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  return Guard([&] {
    return Wrap(KeySet::FromPem(View(pem, pem_len), OptionalKid(kid, kid_len)),
                out);
  });
}

edgekit_status edgekit_keyset_from_secret(edgekit_keyset** out,
                                          const uint8_t* secret,
                                          size_t secret_len, const char* kid,
                                          size_t kid_len) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (!ValidIn(secret, secret_len) || (kid == nullptr && kid_len != 0)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  return Guard([&] {
    return Wrap(KeySet::FromSecret(
                    View(reinterpret_cast<const char*>(secret), secret_len),
                    OptionalKid(kid, kid_len)),
                out);
  });
}

size_t edgekit_keyset_num_keys(const edgekit_keyset* keys) {
  return keys == nullptr ? 0 : keys->set->keys().size();
}

void edgekit_keyset_free(edgekit_keyset* keys) { delete keys; }

edgekit_status edgekit_verifier_new(edgekit_verifier** out,
                                    const edgekit_keyset* keys,
                                    const edgekit_verify_options* options) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (keys == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  // An older caller passes a shorter struct (its missing fields default to
  // zero); a newer one a longer struct, acceptable only if the fields this
  // version does not know are all zero.
  edgekit_verify_options o;
  std::memset(&o, 0, sizeof o);
  if (options != nullptr) {
    const size_t size = options->struct_size;
    if (size < sizeof(size_t)) return EDGEKIT_E_INVALID_ARGUMENT;
    const auto* bytes = reinterpret_cast<const unsigned char*>(options);
    for (size_t i = sizeof o; i < size; ++i) {
      if (bytes[i] != 0) return EDGEKIT_E_INVALID_ARGUMENT;
    }
    std::memcpy(&o, options, size < sizeof o ? size : sizeof o);
  }
  return Guard([&]() -> edgekit_status {
    edgekit::token::Policy policy;
    if (!ToStrings(o.issuers, o.num_issuers, &policy.issuers) ||
        !ToStrings(o.audiences, o.num_audiences, &policy.audiences) ||
        !ToStrings(o.required_claims, o.num_required_claims,
                   &policy.required_claims) ||
        !ToStrings(o.algorithms, o.num_algorithms, &policy.algorithms)) {
      return EDGEKIT_E_INVALID_ARGUMENT;
    }
    policy.leeway_s = o.leeway_s;
    if (o.max_token_len != 0) policy.max_token_len = o.max_token_len;
    if (o.max_json_depth != 0) policy.max_json_depth = o.max_json_depth;
    policy.cache_entries = o.cache_entries;
    auto verifier =
        edgekit::token::Verifier::Create(keys->set, std::move(policy));
    if (!verifier.ok()) return EDGEKIT_E_INVALID_ARGUMENT;
    *out = new edgekit_verifier{*std::move(verifier)};
    return EDGEKIT_OK;
  });
}

void edgekit_verifier_free(edgekit_verifier* verifier) { delete verifier; }

edgekit_status edgekit_verifier_verify(const edgekit_verifier* verifier,
                                       edgekit_claims* claims,
                                       const char* token, size_t token_len,
                                       int64_t now_s) {
  if (verifier == nullptr || !ValidIn(token, token_len)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  // The request path allocates only while a Claims warms up; a failure there
  // is the one exception it can meet.
  return Guard([&] {
    return verifier->verifier.Verify(
        View(token, token_len), now_s,
        claims == nullptr ? nullptr : &claims->claims);
  });
}

edgekit_claims* edgekit_claims_new(void) {
  return new (std::nothrow) edgekit_claims;
}

void edgekit_claims_free(edgekit_claims* claims) { delete claims; }

edgekit_status edgekit_claims_get_string(const edgekit_claims* claims,
                                         char* out, size_t out_cap,
                                         size_t* out_len, const char* name,
                                         size_t name_len) {
  if (claims == nullptr || out_len == nullptr || !ValidIn(out, out_cap) ||
      !ValidIn(name, name_len)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  return claims->claims.GetString(View(name, name_len), out, out_cap, out_len);
}

edgekit_status edgekit_claims_get_int64(const edgekit_claims* claims,
                                        int64_t* out, const char* name,
                                        size_t name_len) {
  if (claims == nullptr || out == nullptr || !ValidIn(name, name_len)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  return claims->claims.GetInt64(View(name, name_len), out);
}

edgekit_status edgekit_claims_get_double(const edgekit_claims* claims,
                                         double* out, const char* name,
                                         size_t name_len) {
  if (claims == nullptr || out == nullptr || !ValidIn(name, name_len)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  return claims->claims.GetDouble(View(name, name_len), out);
}

edgekit_status edgekit_claims_get_bool(const edgekit_claims* claims, int* out,
                                       const char* name, size_t name_len) {
  if (claims == nullptr || out == nullptr || !ValidIn(name, name_len)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  bool value = false;
  const edgekit_status s = claims->claims.GetBool(View(name, name_len), &value);
  if (s == EDGEKIT_OK) *out = value ? 1 : 0;
  return s;
}

edgekit_status edgekit_claims_get_json(const edgekit_claims* claims,
                                       const char** out, size_t* out_len,
                                       const char* name, size_t name_len) {
  if (claims == nullptr || out == nullptr || out_len == nullptr ||
      !ValidIn(name, name_len)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  std::string_view json;
  const edgekit_status s = claims->claims.GetJson(View(name, name_len), &json);
  if (s == EDGEKIT_OK) {
    *out = json.data();
    *out_len = json.size();
  }
  return s;
}

edgekit_status edgekit_claims_payload(const edgekit_claims* claims,
                                      const char** out, size_t* out_len) {
  if (claims == nullptr || out == nullptr || out_len == nullptr) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  if (!claims->claims.has_payload()) return EDGEKIT_E_MISSING_CLAIM;
  const std::string_view payload = claims->claims.payload();
  *out = payload.data();
  *out_len = payload.size();
  return EDGEKIT_OK;
}

edgekit_status edgekit_jwt_sign(const edgekit_keyset* keys, char* out,
                                size_t out_cap, size_t* out_len,
                                const char* alg, size_t alg_len,
                                const char* kid, size_t kid_len,
                                const char* payload_json, size_t payload_len) {
  if (keys == nullptr || out_len == nullptr || !ValidIn(out, out_cap) ||
      !ValidIn(alg, alg_len) || (kid == nullptr && kid_len != 0) ||
      !ValidIn(payload_json, payload_len)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  return Guard([&]() -> edgekit_status {
    std::string token;
    const edgekit_status s = edgekit::token::Sign(
        *keys->set, View(alg, alg_len), OptionalKid(kid, kid_len),
        View(payload_json, payload_len), &token);
    if (s != EDGEKIT_OK) return s;
    *out_len = token.size();
    if (token.size() > out_cap) return EDGEKIT_E_BUFFER_TOO_SMALL;
    std::memcpy(out, token.data(), token.size());
    return EDGEKIT_OK;
  });
}

}  // extern "C"
