// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// AWS CloudFront signed URLs and signed cookies. A canned policy is never
// sent: it is rebuilt here, byte for byte as the signers serialise it
// (JSON.stringify / the AWS CLI: no whitespace), from the URL and Expires. A
// custom policy is sent in CloudFront's base64; its signature is checked over
// the decoded bytes before the JSON is parsed, so unauthenticated input never
// reaches the JSON parser.

#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "crypto/crypto.h"
#include "picojson.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace edgekit::signed_url {
namespace {

using internal::StackBuffer;

// The parameters CloudFront reads, by their query names; cookies carry the
// same with a "CloudFront-" prefix.
constexpr std::string_view kParamNames[] = {"Expires", "Policy", "Signature",
                                            "Key-Pair-Id", "Hash-Algorithm"};

struct Params {
  std::string_view expires, policy, signature, key_pair_id, hash_algorithm;
  bool has_expires = false, has_policy = false, has_key_pair_id = false,
       has_hash_algorithm = false;
};

bool IsCloudFrontParam(std::string_view pair) {
  for (std::string_view name : kParamNames) {
    if (pair.size() >= name.size() + 1 && pair[name.size()] == '=' &&
        pair.substr(0, name.size()) == name) {
      return true;
    }
  }
  return false;
}

// AppendJsonString appends |s| as JSON.stringify writes a string's content.
bool AppendJsonString(std::string_view s, StackBuffer* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned char c : s) {
    bool ok;
    switch (c) {
      case '"':
        ok = out->Append("\\\"");
        break;
      case '\\':
        ok = out->Append("\\\\");
        break;
      case '\b':
        ok = out->Append("\\b");
        break;
      case '\f':
        ok = out->Append("\\f");
        break;
      case '\n':
        ok = out->Append("\\n");
        break;
      case '\r':
        ok = out->Append("\\r");
        break;
      case '\t':
        ok = out->Append("\\t");
        break;
      default:
        if (c < 0x20) {
          const char esc[6] = {'\\',           'u', '0', '0', kDigits[c >> 4],
                               kDigits[c & 15]};
          ok = out->Append(std::string_view(esc, 6));
        } else {
          ok = out->Append(static_cast<char>(c));
        }
    }
    if (!ok) return false;
  }
  return true;
}

bool GetEpoch(const picojson::value& v, const char* name, int64_t* out) {
  if (!v.is<picojson::object>()) return false;
  const auto& o = v.get<picojson::object>();
  if (o.size() != 1) return false;
  const auto it = o.find(name);
  if (it == o.end() || !it->second.is<double>()) return false;
  const double d = it->second.get<double>();
  if (!(d >= 0 && d < 1e12) || std::floor(d) != d) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

class CloudFrontVerifier final : public Verifier {
 public:
  struct Key {
    std::string id;
    crypto::PublicKey key;
  };

  CloudFrontVerifier(std::vector<Key> keys, uint32_t sources,
                     bool require_sha256)
      : keys_(std::move(keys)),
        sources_(sources == 0 ? (kFromQuery | kFromCookie) : sources),
        require_sha256_(require_sha256) {}

  edgekit_status Verify(const Request& request, Result* result) const override {
    internal::ResetResult(result);
    Params p;
    bool from_query = false;
    if ((sources_ & kFromQuery) &&
        internal::FindQueryArg(request.query, "Signature", false,
                               &p.signature)) {
      from_query = true;
      p.has_expires =
          internal::FindQueryArg(request.query, "Expires", false, &p.expires);
      p.has_policy =
          internal::FindQueryArg(request.query, "Policy", false, &p.policy);
      p.has_key_pair_id = internal::FindQueryArg(request.query, "Key-Pair-Id",
                                                 false, &p.key_pair_id);
      p.has_hash_algorithm = internal::FindQueryArg(
          request.query, "Hash-Algorithm", false, &p.hash_algorithm);
    } else if ((sources_ & kFromCookie) &&
               internal::FindCookie(request.cookie, "CloudFront-Signature",
                                    &p.signature)) {
      p.has_expires = internal::FindCookie(request.cookie, "CloudFront-Expires",
                                           &p.expires);
      p.has_policy =
          internal::FindCookie(request.cookie, "CloudFront-Policy", &p.policy);
      p.has_key_pair_id = internal::FindCookie(
          request.cookie, "CloudFront-Key-Pair-Id", &p.key_pair_id);
      p.has_hash_algorithm = internal::FindCookie(
          request.cookie, "CloudFront-Hash-Algorithm", &p.hash_algorithm);
    } else {
      return EDGEKIT_E_NO_TOKEN;
    }
    if (p.has_expires == p.has_policy || !p.has_key_pair_id ||
        p.key_pair_id.empty()) {
      return EDGEKIT_E_MALFORMED;
    }
    if (result != nullptr) {
      result->identity = p.key_pair_id;
      if (p.has_policy) result->scope = p.policy;
    }
    crypto::Hash hash = crypto::Hash::kSha1;
    if (p.has_hash_algorithm) {
      if (p.hash_algorithm == "SHA256") {
        hash = crypto::Hash::kSha256;
      } else if (p.hash_algorithm != "SHA1") {
        return EDGEKIT_E_UNSUPPORTED_ALG;
      }
    }
    if (hash == crypto::Hash::kSha1 && require_sha256_) {
      return EDGEKIT_E_UNSUPPORTED_ALG;
    }
    uint8_t sig[1024];
    size_t sig_len = 0;
    if (!internal::DecodeCloudFrontBase64(p.signature, sig, sizeof(sig),
                                          &sig_len) ||
        sig_len == 0) {
      return EDGEKIT_E_MALFORMED;
    }

    // The resource: the URL as signed, with CloudFront's own parameters
    // taken out of the query (signed cookies leave the query alone).
    StackBuffer resource;
    if (!resource.Append(request.path)) return EDGEKIT_E_MALFORMED;
    bool first = true;
    size_t pos = 0;
    while (pos < request.query.size()) {
      size_t end = request.query.find('&', pos);
      if (end == std::string_view::npos) end = request.query.size();
      const std::string_view pair = request.query.substr(pos, end - pos);
      pos = end + 1;
      if (from_query && (pair.empty() || IsCloudFrontParam(pair))) continue;
      if (!resource.Append(first ? '?' : '&') || !resource.Append(pair)) {
        return EDGEKIT_E_MALFORMED;
      }
      first = false;
    }

    int64_t expires = 0;
    if (p.has_expires && (!internal::ParseEpoch(p.expires, &expires))) {
      return EDGEKIT_E_MALFORMED;
    }
    if (result != nullptr) result->expires_s = expires;

    const crypto::PublicKey* key = nullptr;
    for (const auto& k : keys_) {
      if (k.id == p.key_pair_id) key = &k.key;
    }
    if (key == nullptr) return EDGEKIT_E_KEY_NOT_FOUND;

    const std::string_view sig_view(reinterpret_cast<const char*>(sig),
                                    sig_len);
    if (p.has_expires) {
      StackBuffer policy;
      if (!policy.Append("{\"Statement\":[{\"Resource\":\"") ||
          !AppendJsonString(resource.view(), &policy) ||
          !policy.Append(
              "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":") ||
          !policy.Append(p.expires) || !policy.Append("}}}]}")) {
        return EDGEKIT_E_MALFORMED;
      }
      if (!VerifySignature(*key, hash, policy.view(), sig_view)) {
        return EDGEKIT_E_BAD_SIGNATURE;
      }
      if (request.now_s >= expires) return EDGEKIT_E_EXPIRED;
      return EDGEKIT_OK;
    }

    uint8_t json[kMaxRebuiltSize];
    size_t json_len = 0;
    if (!internal::DecodeCloudFrontBase64(p.policy, json, sizeof(json),
                                          &json_len)) {
      return EDGEKIT_E_MALFORMED;
    }
    const std::string_view json_view(reinterpret_cast<const char*>(json),
                                     json_len);
    if (!VerifySignature(*key, hash, json_view, sig_view)) {
      return EDGEKIT_E_BAD_SIGNATURE;
    }
    CloudFrontPolicy policy;
    if (!ParseCloudFrontPolicy(json_view, &policy)) return EDGEKIT_E_MALFORMED;
    if (result != nullptr) {
      result->expires_s = policy.date_less_than;
      result->starts_s = policy.date_greater_than;
    }
    if (request.now_s >= policy.date_less_than) return EDGEKIT_E_EXPIRED;
    if (request.now_s < policy.date_greater_than) {
      return EDGEKIT_E_NOT_YET_VALID;
    }
    if (!policy.source_ip.empty()) {
      internal::IpAddress client;
      bool valid = false;
      if (!internal::ParseIp(request.client_ip, &client) ||
          !internal::CidrContains(policy.source_ip, client, &valid)) {
        return EDGEKIT_E_IP_MISMATCH;
      }
    }
    if (policy.has_resource &&
        !internal::GlobMatch(policy.resource, resource.view())) {
      return EDGEKIT_E_PATH_MISMATCH;
    }
    return EDGEKIT_OK;
  }

 private:
  static bool VerifySignature(const crypto::PublicKey& key, crypto::Hash hash,
                              std::string_view msg, std::string_view sig) {
    return key.type() == crypto::KeyType::kRsa
               ? key.VerifyRsaPkcs1(hash, msg, sig)
               : key.VerifyEcdsaDer(hash, msg, sig);
  }

  std::vector<Key> keys_;
  uint32_t sources_;
  bool require_sha256_;
};

}  // namespace

bool ParseCloudFrontPolicy(std::string_view json, CloudFrontPolicy* policy) {
  *policy = CloudFrontPolicy();
  picojson::value root;
  std::string err;
  const char* end;
  // picojson throws for numbers out of double's range (1e999) and on
  // allocation failure; neither may escape the request path.
  try {
    end = picojson::parse(root, json.data(), json.data() + json.size(), &err);
  } catch (const std::exception&) {
    return false;
  }
  const char* last = json.data() + json.size();
  while (end != last &&
         (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')) {
    ++end;
  }
  if (!err.empty() || end != last || !root.is<picojson::object>()) {
    return false;
  }
  const auto& top = root.get<picojson::object>();
  const auto statements = top.find("Statement");
  if (top.size() != 1 || statements == top.end() ||
      !statements->second.is<picojson::array>()) {
    return false;
  }
  const auto& list = statements->second.get<picojson::array>();
  if (list.size() != 1 || !list[0].is<picojson::object>()) return false;
  const auto& statement = list[0].get<picojson::object>();
  const picojson::value* condition = nullptr;
  for (const auto& [name, value] : statement) {
    if (name == "Resource") {
      if (!value.is<std::string>()) return false;
      policy->resource = value.get<std::string>();
      policy->has_resource = true;
    } else if (name == "Condition") {
      condition = &value;
    } else {
      return false;
    }
  }
  if (condition == nullptr || !condition->is<picojson::object>()) return false;
  bool has_less_than = false;
  for (const auto& [name, value] : condition->get<picojson::object>()) {
    if (name == "DateLessThan") {
      if (!GetEpoch(value, "AWS:EpochTime", &policy->date_less_than)) {
        return false;
      }
      has_less_than = true;
    } else if (name == "DateGreaterThan") {
      if (!GetEpoch(value, "AWS:EpochTime", &policy->date_greater_than)) {
        return false;
      }
    } else if (name == "IpAddress") {
      if (!value.is<picojson::object>()) return false;
      const auto& o = value.get<picojson::object>();
      const auto ip = o.find("AWS:SourceIp");
      if (o.size() != 1 || ip == o.end() || !ip->second.is<std::string>() ||
          ip->second.get<std::string>().empty()) {
        return false;
      }
      policy->source_ip = ip->second.get<std::string>();
      // A CIDR that cannot be parsed must not read as "another client".
      internal::IpAddress none;
      bool valid = false;
      (void)internal::CidrContains(policy->source_ip, none, &valid);
      if (!valid) return false;
    } else {
      return false;
    }
  }
  return has_less_than;
}

absl::StatusOr<std::unique_ptr<Verifier>> NewCloudFrontVerifier(
    const CloudFrontOptions& options) {
  if (options.keys.empty()) {
    return absl::InvalidArgumentError("cloudfront: no keys");
  }
  std::vector<CloudFrontVerifier::Key> keys;
  for (const auto& [id, pem] : options.keys) {
    if (id.empty())
      return absl::InvalidArgumentError("cloudfront: empty key id");
    for (const auto& k : keys) {
      if (k.id == id) {
        return absl::InvalidArgumentError(
            absl::StrCat("cloudfront: duplicate key id ", id));
      }
    }
    auto key = crypto::PublicKey::FromPem(pem);
    if (!key.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cloudfront: key ", id, ": ", std::string(key.status().message())));
    }
    const bool rsa_ok =
        key->type() == crypto::KeyType::kRsa && key->bits() >= 2048;
    if (!rsa_ok && key->type() != crypto::KeyType::kEcP256) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cloudfront: key ", id, " is neither RSA >= 2048 bits nor EC P-256"));
    }
    keys.push_back({id, *std::move(key)});
  }
  return std::make_unique<CloudFrontVerifier>(std::move(keys), options.sources,
                                              options.require_sha256);
}

}  // namespace edgekit::signed_url
