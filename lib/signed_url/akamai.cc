// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Akamai EdgeAuth Token 2.0, verified the way the signers build it
// (akamai-edgeauth for Node, EdgeAuth-Token-Python): the HMAC covers the
// token's fields exactly as sent up to "hmac=", then the fields that are
// hashed but not sent (url for URL tokens, the deprecated salt). Because the
// MAC is over the text as sent, nothing is re-serialised and an ACL token is
// checked without copying.

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "crypto/crypto.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace edgekit::signed_url {
namespace {

using internal::StackBuffer;

struct Fields {
  std::string_view ip, st, exp, acl, id, data, hmac;
  bool has_ip = false, has_st = false, has_exp = false, has_acl = false,
       has_id = false, has_data = false;
  size_t signed_len = 0;  // bytes of the token the HMAC covers directly
};

// ParseFields splits |token| on |delim|. Every field is name=value, known and
// present once; hmac must come last.
bool ParseFields(std::string_view token, char delim, Fields* f) {
  size_t pos = 0;
  bool has_hmac = false;
  while (pos <= token.size()) {
    if (has_hmac) return false;  // hmac must be the last field
    size_t end = token.find(delim, pos);
    if (end == std::string_view::npos) end = token.size();
    const std::string_view field = token.substr(pos, end - pos);
    const size_t eq = field.find('=');
    if (eq == std::string_view::npos) return false;
    const std::string_view name = field.substr(0, eq);
    const std::string_view value = field.substr(eq + 1);
    auto take = [&](std::string_view* slot, bool* seen) {
      if (*seen) return false;
      *seen = true;
      *slot = value;
      return true;
    };
    bool ok;
    if (name == "ip") {
      ok = take(&f->ip, &f->has_ip);
    } else if (name == "st") {
      ok = take(&f->st, &f->has_st);
    } else if (name == "exp") {
      ok = take(&f->exp, &f->has_exp);
    } else if (name == "acl") {
      ok = take(&f->acl, &f->has_acl);
    } else if (name == "id") {
      ok = take(&f->id, &f->has_id);
    } else if (name == "data") {
      ok = take(&f->data, &f->has_data);
    } else if (name == "hmac") {
      ok = take(&f->hmac, &has_hmac);
      f->signed_len = pos == 0 ? 0 : pos - 1;
    } else {
      ok = false;
    }
    if (!ok) return false;
    pos = end + 1;
  }
  return has_hmac && f->has_exp && f->signed_len > 0;
}

class AkamaiVerifier final : public Verifier {
 public:
  AkamaiVerifier(crypto::HmacKey key, AkamaiOptions options)
      : key_(std::move(key)), options_(std::move(options)) {
    if (options_.sources == 0) {
      options_.sources = kFromQuery | kFromCookie | kFromHeader;
    }
  }

  edgekit_status Verify(const Request& request, Result* result) const override {
    internal::ResetResult(result);
    std::string_view token;
    const bool found =
        ((options_.sources & kFromQuery) &&
         internal::FindQueryArg(request.query, options_.token_name, false,
                                &token)) ||
        ((options_.sources & kFromCookie) &&
         internal::FindCookie(request.cookie, options_.token_name, &token)) ||
        ((options_.sources & kFromHeader) && !request.header.empty() &&
         (token = request.header, true));
    if (!found || token.empty()) return EDGEKIT_E_NO_TOKEN;

    Fields f;
    if (!ParseFields(token, options_.field_delimiter, &f)) {
      return EDGEKIT_E_MALFORMED;
    }
    int64_t exp = 0, st = 0;
    if (!internal::ParseEpoch(f.exp, &exp) ||
        (f.has_st && !internal::ParseEpoch(f.st, &st))) {
      return EDGEKIT_E_MALFORMED;
    }
    if (result != nullptr) {
      result->expires_s = exp;
      result->starts_s = st;
      result->identity = f.id;
      result->scope = f.acl;
    }
    uint8_t mac[crypto::kMaxHashSize];
    size_t mac_len = 0;
    if (!internal::DecodeHex(f.hmac, mac, sizeof(mac), &mac_len) ||
        mac_len != key_.size()) {
      return EDGEKIT_E_MALFORMED;
    }

    const std::string_view signed_part = token.substr(0, f.signed_len);
    const std::string_view mac_view(reinterpret_cast<const char*>(mac),
                                    mac_len);
    bool mac_ok;
    if (f.has_acl && options_.salt.empty()) {
      mac_ok = key_.Verify(signed_part, mac_view);
    } else {
      StackBuffer msg;
      bool fits = msg.Append(signed_part);
      if (!f.has_acl) {
        fits = fits && msg.Append(options_.field_delimiter) &&
               msg.Append("url=") &&
               (options_.escape_early
                    ? internal::AppendEscapedEarly(request.path, &msg)
                    : msg.Append(request.path));
      }
      if (!options_.salt.empty()) {
        fits = fits && msg.Append(options_.field_delimiter) &&
               msg.Append("salt=") && msg.Append(options_.salt);
      }
      if (!fits) return EDGEKIT_E_MALFORMED;
      mac_ok = key_.Verify(msg.view(), mac_view);
    }
    if (!mac_ok) return EDGEKIT_E_BAD_SIGNATURE;

    if (request.now_s >= exp) return EDGEKIT_E_EXPIRED;
    if (f.has_st && request.now_s < st) return EDGEKIT_E_NOT_YET_VALID;
    if (f.has_ip && !IpMatches(f.ip, request.client_ip)) {
      return EDGEKIT_E_IP_MISMATCH;
    }
    if (f.has_acl && !AclCovers(f.acl, request.path)) {
      return EDGEKIT_E_PATH_MISMATCH;
    }
    return EDGEKIT_OK;
  }

 private:
  bool IpMatches(std::string_view token_ip, std::string_view client) const {
    if (!options_.escape_early) return token_ip == client;
    StackBuffer escaped;
    return internal::AppendEscapedEarly(client, &escaped) &&
           escaped.view() == token_ip;
  }

  bool AclCovers(std::string_view acl, std::string_view path) const {
    size_t pos = 0;
    while (pos <= acl.size()) {
      size_t end = acl.find(options_.acl_delimiter, pos);
      if (end == std::string_view::npos) end = acl.size();
      if (internal::GlobMatch(acl.substr(pos, end - pos), path)) return true;
      pos = end + 1;
    }
    return false;
  }

  crypto::HmacKey key_;
  AkamaiOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Verifier>> NewAkamaiVerifier(
    const AkamaiOptions& options) {
  if (options.hash != crypto::Hash::kSha256 &&
      options.hash != crypto::Hash::kSha1 &&
      options.hash != crypto::Hash::kMd5) {
    return absl::InvalidArgumentError(
        "akamai: hash must be sha256, sha1 or md5");
  }
  std::string key(options.key_hex.size() / 2, '\0');
  size_t key_len = 0;
  if (options.key_hex.empty() ||
      !internal::DecodeHex(options.key_hex,
                           reinterpret_cast<uint8_t*>(key.data()), key.size(),
                           &key_len)) {
    // Key material, not a malformed option: EDGEKIT_E_BAD_KEY in the C ABI.
    return absl::FailedPreconditionError("akamai: key must be even-length hex");
  }
  if (options.token_name.empty() || options.field_delimiter == 0 ||
      options.acl_delimiter == 0 ||
      options.field_delimiter == options.acl_delimiter) {
    return absl::InvalidArgumentError("akamai: bad token name or delimiters");
  }
  return std::make_unique<AkamaiVerifier>(
      crypto::HmacKey::Create(options.hash, key), options);
}

}  // namespace edgekit::signed_url
