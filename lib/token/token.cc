// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// JWS compact verification and signing. Every buffer the request path needs
// lives in Claims and keeps its capacity, so a warm Claims makes verification
// allocation-free for HMAC (and for the other algorithms as far as the crypto
// library allows).

#include "token/token.h"

#include <atomic>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "common/base64url.h"

namespace edgekit::token {
namespace {

using keys::Alg;
using keys::Scheme;

// No JWS algorithm name is longer; longer "alg" values are unsupported.
constexpr size_t kMaxAlgLen = 16;

// A header or payload deeper than this is never signed, whatever the
// verifier's limit.
constexpr uint32_t kSignMaxDepth = 256;

// Longer headers are checked afresh every time rather than remembered.
constexpr size_t kMaxRememberedHeader = 512;

std::atomic<uint64_t> next_verifier_id{1};

enum class Registered { kOther, kExp, kNbf, kIat, kIss, kAud };

// Classify names the registered claims the verifier looks at; all are three
// characters long, which settles most names without comparing.
Registered Classify(const JsonMember& m) {
  static constexpr std::pair<std::string_view, Registered> kNames[] = {
      {"exp", Registered::kExp},
      {"nbf", Registered::kNbf},
      {"iat", Registered::kIat},
      {"iss", Registered::kIss},
      {"aud", Registered::kAud}};
  if (!m.name_escaped && m.name.size() != 3) return Registered::kOther;
  for (const auto& [name, kind] : kNames) {
    if (NameEquals(m, name)) return kind;
  }
  return Registered::kOther;
}

bool IsClaimFailure(edgekit_status s) {
  return s == EDGEKIT_E_EXPIRED || s == EDGEKIT_E_NOT_YET_VALID ||
         s == EDGEKIT_E_BAD_ISSUER || s == EDGEKIT_E_BAD_AUDIENCE ||
         s == EDGEKIT_E_MISSING_CLAIM;
}

bool MatchesAny(std::string_view raw, const std::vector<std::string>& list) {
  for (const std::string& want : list) {
    if (JsonStringEquals(raw, want)) return true;
  }
  return false;
}

bool MatchesAny(const JsonMember& m, const std::vector<std::string>& list) {
  for (const std::string& want : list) {
    if (ValueEquals(m, want)) return true;
  }
  return false;
}

}  // namespace

// Claims.

void Claims::Clear() {
  // clear() keeps capacity: the next verification reuses the buffers.
  has_payload_ = false;
  exp_ = nbf_ = iss_ = aud_ = nullptr;
  header_.clear();
  payload_.clear();
  signature_.clear();
  header_members_.clear();
  members_.clear();
}

const JsonMember* Claims::Find(std::string_view name) const {
  if (!has_payload_) return nullptr;
  for (const JsonMember& m : members_) {
    if (NameEquals(m, name)) return &m;
  }
  return nullptr;
}

edgekit_status Claims::GetString(std::string_view name, char* out, size_t cap,
                                 size_t* len) const {
  const JsonMember* m = Find(name);
  if (m == nullptr) return EDGEKIT_E_MISSING_CLAIM;
  if (m->type != JsonType::kString) return EDGEKIT_E_WRONG_TYPE;
  const std::string_view raw = StringContent(m->value);
  *len = JsonUnescapedSize(raw);
  if (*len > cap) return EDGEKIT_E_BUFFER_TOO_SMALL;
  JsonUnescape(raw, out);
  return EDGEKIT_OK;
}

edgekit_status Claims::GetString(std::string_view name,
                                 std::string* out) const {
  const JsonMember* m = Find(name);
  if (m == nullptr) return EDGEKIT_E_MISSING_CLAIM;
  if (m->type != JsonType::kString) return EDGEKIT_E_WRONG_TYPE;
  const std::string_view raw = StringContent(m->value);
  out->resize(JsonUnescapedSize(raw));
  JsonUnescape(raw, out->data());
  return EDGEKIT_OK;
}

edgekit_status Claims::GetInt64(std::string_view name, int64_t* out) const {
  const JsonMember* m = Find(name);
  if (m == nullptr) return EDGEKIT_E_MISSING_CLAIM;
  if (m->type != JsonType::kNumber || !JsonNumberToInt64(m->value, out)) {
    return EDGEKIT_E_WRONG_TYPE;
  }
  return EDGEKIT_OK;
}

edgekit_status Claims::GetDouble(std::string_view name, double* out) const {
  const JsonMember* m = Find(name);
  if (m == nullptr) return EDGEKIT_E_MISSING_CLAIM;
  if (m->type != JsonType::kNumber) return EDGEKIT_E_WRONG_TYPE;
  *out = JsonNumberToDouble(m->value);
  return EDGEKIT_OK;
}

edgekit_status Claims::GetBool(std::string_view name, bool* out) const {
  const JsonMember* m = Find(name);
  if (m == nullptr) return EDGEKIT_E_MISSING_CLAIM;
  if (m->type != JsonType::kBool) return EDGEKIT_E_WRONG_TYPE;
  *out = m->value[0] == 't';
  return EDGEKIT_OK;
}

edgekit_status Claims::GetJson(std::string_view name,
                               std::string_view* out) const {
  const JsonMember* m = Find(name);
  if (m == nullptr) return EDGEKIT_E_MISSING_CLAIM;
  *out = m->value;
  return EDGEKIT_OK;
}

// Verifier.

absl::StatusOr<Verifier> Verifier::Create(
    std::shared_ptr<const keys::KeySet> keys, Policy policy) {
  if (keys == nullptr) return absl::InvalidArgumentError("no key set");
  if (policy.leeway_s < 0) {
    return absl::InvalidArgumentError("negative leeway");
  }
  if (policy.max_token_len == 0 || policy.max_json_depth == 0) {
    return absl::InvalidArgumentError("zero limit");
  }
  Verifier v;
  v.id_ = next_verifier_id.fetch_add(1, std::memory_order_relaxed);
  for (const std::string& name : policy.algorithms) {
    const Alg* alg = keys::FindAlg(name);
    if (alg == nullptr) {
      return absl::InvalidArgumentError("unknown algorithm in policy: " + name);
    }
    v.algorithms_.push_back(alg);
  }
  if (policy.cache_entries > 0) {
    v.cache_ = std::make_shared<VerifiedCache>(policy.cache_entries);
  }
  v.keys_ = std::move(keys);
  v.policy_ = std::move(policy);
  return v;
}

edgekit_status Verifier::Verify(std::string_view token, int64_t now_s,
                                Claims* claims) const {
  // Callers that do not want the claims still need the scratch buffers.
  thread_local Claims scratch;
  Claims* c = claims != nullptr ? claims : &scratch;
  c->Clear();
  const edgekit_status s = VerifyInto(token, now_s, c);
  if (s != EDGEKIT_OK && !IsClaimFailure(s)) c->Clear();
  return s;
}

edgekit_status Verifier::ResolveHeader(std::string_view header_b64,
                                       Claims* c, const Alg** alg_out,
                                       const keys::Key** key_out) const {
  if (c->last_header_verifier_ == id_ && c->last_header_ == header_b64) {
    *alg_out = c->last_alg_;
    *key_out = c->last_key_;
    return EDGEKIT_OK;
  }
  if (!Base64UrlDecodeTo(header_b64, &c->header_) ||
      !c->reader_.ParseObject(c->header_, policy_.max_json_depth,
                              &c->header_members_)) {
    return EDGEKIT_E_MALFORMED;
  }
  const JsonMember* alg_member = nullptr;
  const JsonMember* kid_member = nullptr;
  for (const JsonMember& m : c->header_members_) {
    if (NameEquals(m, "alg")) {
      alg_member = &m;
    } else if (NameEquals(m, "kid")) {
      kid_member = &m;
    } else if (NameEquals(m, "crit")) {
      // We understand no extension, so any "crit" must fail (RFC 7515
      // §4.1.11).
      return EDGEKIT_E_MALFORMED;
    }
  }
  if (alg_member == nullptr || alg_member->type != JsonType::kString ||
      (kid_member != nullptr && kid_member->type != JsonType::kString)) {
    return EDGEKIT_E_MALFORMED;
  }

  // Algorithm.
  std::string_view alg_text = StringContent(alg_member->value);
  char alg_name[kMaxAlgLen];
  if (alg_member->value_escaped) {
    const size_t alg_len = JsonUnescapedSize(alg_text);
    if (alg_len > kMaxAlgLen) return EDGEKIT_E_UNSUPPORTED_ALG;
    JsonUnescape(alg_text, alg_name);
    alg_text = std::string_view(alg_name, alg_len);
  }
  const Alg* alg = keys::FindAlg(alg_text);
  if (alg == nullptr) return EDGEKIT_E_UNSUPPORTED_ALG;
  if (!algorithms_.empty()) {
    bool allowed = false;
    for (const Alg* a : algorithms_) allowed |= a == alg;
    if (!allowed) return EDGEKIT_E_UNSUPPORTED_ALG;
  }
  *alg_out = alg;  // the signature's size is checked before the key

  // Key: exactly one candidate.
  const keys::Key* key = nullptr;
  for (const keys::Key& k : keys_->keys()) {
    if (!k.Fits(*alg)) continue;
    if (kid_member != nullptr &&
        (!k.kid() || !ValueEquals(*kid_member, *k.kid()))) {
      continue;
    }
    if (key != nullptr) return EDGEKIT_E_KEY_NOT_FOUND;  // ambiguous
    key = &k;
  }
  if (key == nullptr) return EDGEKIT_E_KEY_NOT_FOUND;

  if (header_b64.size() <= kMaxRememberedHeader) {
    c->last_header_.assign(header_b64.data(), header_b64.size());
    c->last_header_verifier_ = id_;
    c->last_alg_ = alg;
    c->last_key_ = key;
  }
  *key_out = key;
  return EDGEKIT_OK;
}

edgekit_status Verifier::VerifyInto(std::string_view token, int64_t now_s,
                                    Claims* c) const {
  // Structure.
  if (token.size() > policy_.max_token_len) return EDGEKIT_E_MALFORMED;
  // The first and the last dot bound the payload, scanning only the short
  // header and signature; a third dot lies in the payload, where base64url
  // decoding refuses it. (memrchr, a glibc extension, is vectorized where
  // rfind walks bytes.)
  const auto* first = static_cast<const char*>(
      std::memchr(token.data(), '.', token.size()));
  const auto* last = static_cast<const char*>(
      memrchr(token.data(), '.', token.size()));
  if (first == nullptr || first == last) return EDGEKIT_E_MALFORMED;
  const size_t dot1 = static_cast<size_t>(first - token.data());
  const size_t dot2 = static_cast<size_t>(last - token.data());
  const std::string_view signing_input = token.substr(0, dot2);

  // Header, algorithm and key. The order of checks is structure → alg →
  // key, so a header that fails on alg or key waits for the payload and
  // signature to be well-formed first.
  const Alg* alg = nullptr;
  const keys::Key* key = nullptr;
  const edgekit_status header =
      ResolveHeader(token.substr(0, dot1), c, &alg, &key);
  if (header == EDGEKIT_E_MALFORMED) return header;

  if (!Base64UrlDecodeTo(token.substr(dot1 + 1, dot2 - dot1 - 1),
                         &c->payload_) ||
      !c->reader_.ParseObject(c->payload_, policy_.max_json_depth,
                              &c->members_)) {
    return EDGEKIT_E_MALFORMED;
  }
  for (const JsonMember& m : c->members_) {
    const Registered kind = Classify(m);
    if ((kind == Registered::kExp || kind == Registered::kNbf ||
         kind == Registered::kIat) &&
        m.type != JsonType::kNumber) {
      return EDGEKIT_E_MALFORMED;  // NumericDate (RFC 7519 §2)
    }
    switch (kind) {
      case Registered::kExp:
        c->exp_ = &m;
        break;
      case Registered::kNbf:
        c->nbf_ = &m;
        break;
      case Registered::kIss:
        c->iss_ = &m;
        break;
      case Registered::kAud:
        c->aud_ = &m;
        break;
      default:
        break;
    }
  }
  if (!Base64UrlDecodeTo(token.substr(dot2 + 1), &c->signature_)) {
    return EDGEKIT_E_MALFORMED;
  }
  if (header == EDGEKIT_E_UNSUPPORTED_ALG) return header;
  // Fixed-size signatures of another size are not signatures at all (a DER
  // ECDSA signature lands here).
  const std::string_view sig = c->signature_;
  if ((alg->scheme == Scheme::kEcdsa &&
       sig.size() != crypto::EcdsaRawSignatureSize(alg->curve)) ||
      (alg->scheme == Scheme::kEd25519 && sig.size() != 64)) {
    return EDGEKIT_E_MALFORMED;
  }
  if (header != EDGEKIT_OK) return header;  // key_not_found

  // Signature. A cached token skips the asymmetric check; an HMAC is cheaper
  // than the digest the cache needs.
  const bool use_cache = cache_ != nullptr && alg->scheme != Scheme::kHmac;
  uint8_t digest[VerifiedCache::kDigestSize];
  if (use_cache) {
    crypto::Digest(crypto::Hash::kSha256, token, digest);
    if (cache_->Contains(digest, static_cast<double>(now_s))) {
      c->has_payload_ = true;
      return CheckClaims(*c, now_s);
    }
  }
  bool valid = false;
  switch (alg->scheme) {
    case Scheme::kHmac:
      valid = key->hmac(alg->hash)->Verify(signing_input, sig);
      break;
    case Scheme::kRsaPkcs1:
      valid = key->public_key()->VerifyRsaPkcs1(alg->hash, signing_input, sig);
      break;
    case Scheme::kRsaPss:
      valid = key->public_key()->VerifyRsaPss(alg->hash, signing_input, sig);
      break;
    case Scheme::kEcdsa:
      valid = key->public_key()->VerifyEcdsaRaw(alg->hash, signing_input, sig);
      break;
    case Scheme::kEd25519:
      valid = key->public_key()->VerifyEd25519(signing_input, sig);
      break;
  }
  if (!valid) return EDGEKIT_E_BAD_SIGNATURE;
  c->has_payload_ = true;
  const edgekit_status s = CheckClaims(*c, now_s);
  if (use_cache && s == EDGEKIT_OK) {
    // Kept until exp (without leeway: a leeway hit is re-verified in full).
    cache_->Insert(digest, c->exp_ != nullptr
                               ? JsonNumberToDouble(c->exp_->value)
                               : std::numeric_limits<double>::infinity());
  }
  return s;
}

edgekit_status Verifier::CheckClaims(const Claims& c, int64_t now_s) const {
  const JsonMember* exp = c.exp_;
  const JsonMember* nbf = c.nbf_;
  const JsonMember* iss = c.iss_;
  const JsonMember* aud = c.aud_;
  // In double: exp may be 1e400 (infinity) or fractional, and the sums must
  // not overflow; Unix times are exact in a double for 285 million years.
  const double now = static_cast<double>(now_s);
  const double leeway = static_cast<double>(policy_.leeway_s);
  if (exp != nullptr && now >= JsonNumberToDouble(exp->value) + leeway) {
    return EDGEKIT_E_EXPIRED;
  }
  if (nbf != nullptr && now + leeway < JsonNumberToDouble(nbf->value)) {
    return EDGEKIT_E_NOT_YET_VALID;
  }
  if (!policy_.issuers.empty() &&
      (iss == nullptr || iss->type != JsonType::kString ||
       !MatchesAny(*iss, policy_.issuers))) {
    return EDGEKIT_E_BAD_ISSUER;
  }
  if (!policy_.audiences.empty()) {
    bool ok = false;
    if (aud != nullptr && aud->type == JsonType::kString) {
      ok = MatchesAny(*aud, policy_.audiences);
    } else if (aud != nullptr && aud->type == JsonType::kArray) {
      JsonArrayElements elements(aud->value);
      std::string_view value;
      JsonType type;
      while (!ok && elements.Next(&value, &type)) {
        ok = type == JsonType::kString &&
             MatchesAny(StringContent(value), policy_.audiences);
      }
    }
    if (!ok) return EDGEKIT_E_BAD_AUDIENCE;
  }
  for (const std::string& name : policy_.required_claims) {
    if (c.Find(name) == nullptr) return EDGEKIT_E_MISSING_CLAIM;
  }
  return EDGEKIT_OK;
}

// Signing.

edgekit_status Sign(const keys::KeySet& keys, std::string_view alg_name,
                    std::optional<std::string_view> kid,
                    std::string_view payload_json, std::string* out) {
  const Alg* alg = keys::FindAlg(alg_name);
  if (alg == nullptr) return EDGEKIT_E_UNSUPPORTED_ALG;
  JsonReader reader;
  std::vector<JsonMember> members;
  if (!reader.ParseObject(payload_json, kSignMaxDepth, &members)) {
    return EDGEKIT_E_MALFORMED;
  }
  const keys::Key* key = nullptr;
  for (const keys::Key& k : keys.keys()) {
    if (!k.can_sign() || !k.Fits(*alg)) continue;
    if (kid && (!k.kid() || *k.kid() != *kid)) continue;
    if (key != nullptr) return EDGEKIT_E_KEY_NOT_FOUND;
    key = &k;
  }
  if (key == nullptr) return EDGEKIT_E_KEY_NOT_FOUND;

  std::string header = "{\"alg\":";
  AppendJsonString(alg->name, &header);
  if (kid) {
    header += ",\"kid\":";
    AppendJsonString(*kid, &header);
  }
  header += ",\"typ\":\"JWT\"}";
  // A kid that is not UTF-8 would make a header no verifier accepts.
  if (!reader.ParseObject(header, 1, &members)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }

  std::string token;
  Base64UrlAppend(header, &token);
  token.push_back('.');
  Base64UrlAppend(payload_json, &token);
  absl::StatusOr<std::string> sig;
  switch (alg->scheme) {
    case Scheme::kHmac: {
      const crypto::HmacKey* hmac = key->hmac(alg->hash);
      std::string mac(hmac->size(), '\0');
      hmac->Mac(token, reinterpret_cast<uint8_t*>(mac.data()));
      sig = std::move(mac);
      break;
    }
    case Scheme::kRsaPkcs1:
      sig = key->private_key()->SignRsaPkcs1(alg->hash, token);
      break;
    case Scheme::kRsaPss:
      sig = key->private_key()->SignRsaPss(alg->hash, token);
      break;
    case Scheme::kEcdsa:
      sig = key->private_key()->SignEcdsaRaw(alg->hash, token);
      break;
    case Scheme::kEd25519:
      sig = key->private_key()->SignEd25519(token);
      break;
  }
  if (!sig.ok()) return EDGEKIT_E_INTERNAL;
  token.push_back('.');
  Base64UrlAppend(*sig, &token);
  *out = std::move(token);
  return EDGEKIT_OK;
}

edgekit_status StatusFromKeyError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return EDGEKIT_OK;
    case absl::StatusCode::kInvalidArgument:
      return EDGEKIT_E_MALFORMED;
    case absl::StatusCode::kFailedPrecondition:
      return EDGEKIT_E_BAD_KEY;
    case absl::StatusCode::kResourceExhausted:
      return EDGEKIT_E_NO_MEMORY;
    default:
      return EDGEKIT_E_INTERNAL;
  }
}

}  // namespace edgekit::token
