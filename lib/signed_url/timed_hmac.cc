// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A timed HMAC: the shape shared by Fastly's token functions, Bunny's token
// authentication, Cloudflare's is_timed_hmac_valid_v0 and most home-made
// schemes — a MAC over (path, time, maybe the client IP) with a secret, the
// time and MAC in the query. The variations are configuration (message
// template, hash, encoding, one or two parameters, absolute expiry or issue
// time + TTL), not code.

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

class TimedHmacVerifier final : public Verifier {
 public:
  TimedHmacVerifier(internal::Template message, crypto::HmacKey key,
                    TimedHmacOptions options)
      : message_(std::move(message)),
        key_(std::move(key)),
        options_(std::move(options)) {}

  edgekit_status Verify(const Request& request, Result* result) const override {
    internal::ResetResult(result);
    std::string_view token, time_text, mac_text;
    if (!internal::FindQueryArg(request.query, options_.token_arg, false,
                                &token) ||
        token.empty()) {
      return EDGEKIT_E_NO_TOKEN;
    }
    if (options_.separator != 0) {
      const size_t sep = token.find(options_.separator);
      if (sep == std::string_view::npos) return EDGEKIT_E_MALFORMED;
      time_text = token.substr(0, sep);
      mac_text = token.substr(sep + 1);
    } else {
      mac_text = token;
      if (!internal::FindQueryArg(request.query, options_.expires_arg, false,
                                  &time_text)) {
        return EDGEKIT_E_MALFORMED;
      }
    }
    int64_t time = 0;
    if (!internal::ParseEpoch(time_text, &time)) return EDGEKIT_E_MALFORMED;
    const int64_t expires = options_.ttl_s > 0 ? time + options_.ttl_s : time;
    if (result != nullptr) {
      result->expires_s = expires;
      if (options_.ttl_s > 0) result->starts_s = time;
    }
    if (mac_text.substr(0, options_.prefix.size()) != options_.prefix) {
      return EDGEKIT_E_MALFORMED;
    }
    mac_text.remove_prefix(options_.prefix.size());
    uint8_t mac[crypto::kMaxHashSize + 2];
    size_t mac_len = 0;
    bool decoded = false;
    switch (options_.encoding) {
      case Encoding::kHex:
        decoded = internal::DecodeHex(mac_text, mac, sizeof(mac), &mac_len);
        break;
      case Encoding::kBase64Url:
        decoded = internal::DecodeBase64UrlStrict(mac_text, mac, sizeof(mac),
                                                  &mac_len);
        break;
      case Encoding::kBase64:
        decoded =
            internal::DecodeStdBase64(mac_text, mac, sizeof(mac), &mac_len);
        break;
    }
    if (!decoded || mac_len != crypto::HashSize(options_.hash)) {
      return EDGEKIT_E_MALFORMED;
    }

    internal::Template::Values values;
    values.path = request.path;
    values.expires = time_text;
    values.ip = request.client_ip;
    values.query = request.query;
    values.secret = options_.secret;
    StackBuffer message;
    if (!message_.Expand(values, &message)) return EDGEKIT_E_MALFORMED;
    bool mac_ok;
    if (options_.plain_digest) {
      uint8_t digest[crypto::kMaxHashSize];
      crypto::Digest(options_.hash, message.view(), digest);
      mac_ok = crypto::ConstantTimeEqual(digest, mac, mac_len);
    } else {
      mac_ok = key_.Verify(
          message.view(),
          std::string_view(reinterpret_cast<const char*>(mac), mac_len));
    }
    if (!mac_ok) return EDGEKIT_E_BAD_SIGNATURE;

    if (request.now_s >= expires) return EDGEKIT_E_EXPIRED;
    if (options_.ttl_s > 0 && request.now_s < time) {
      return EDGEKIT_E_NOT_YET_VALID;
    }
    return EDGEKIT_OK;
  }

 private:
  internal::Template message_;
  crypto::HmacKey key_;
  TimedHmacOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Verifier>> NewTimedHmacVerifier(
    const TimedHmacOptions& options) {
  if (options.secret.empty()) {
    return absl::FailedPreconditionError("timed-hmac: secret is required");
  }
  if (options.token_arg.empty() ||
      (options.separator == 0 && options.expires_arg.empty())) {
    return absl::InvalidArgumentError("timed-hmac: empty parameter name");
  }
  if (options.ttl_s < 0) {
    return absl::InvalidArgumentError("timed-hmac: negative ttl");
  }
  static constexpr internal::VarName kNames[] = {
      {"path", internal::Var::kPath},
      {"expires", internal::Var::kExpires},
      {"ip", internal::Var::kIp},
      {"secret", internal::Var::kSecret}};
  auto message = internal::Template::Parse(options.message, kNames);
  if (!message.ok()) return message.status();
  if (options.plain_digest && !message->Uses(internal::Var::kSecret)) {
    return absl::InvalidArgumentError(
        "timed-hmac: a plain digest needs $secret in the message");
  }
  return std::make_unique<TimedHmacVerifier>(
      *std::move(message),
      crypto::HmacKey::Create(options.hash, options.secret), options);
}

}  // namespace edgekit::signed_url
