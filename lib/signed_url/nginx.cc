// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// nginx's ngx_http_secure_link_module, both modes, decision for decision:
// the order of checks, ngx_atotm's notion of a number, ngx_decode_base64url's
// leniency and $arg_name's case-insensitive first match are reproduced so
// that edgekit says "1", "0" or "" exactly when nginx does
// (tests/signed_url/nginx_interop_test.sh runs the real nginx to prove it).

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "crypto/crypto.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace edgekit::signed_url {
namespace {

using internal::StackBuffer;

class NginxMd5Verifier final : public Verifier {
 public:
  NginxMd5Verifier(internal::Template message, NginxMd5Options options)
      : message_(std::move(message)), options_(std::move(options)) {}

  edgekit_status Verify(const Request& request, Result* result) const override {
    internal::ResetResult(result);
    // secure_link $arg_<hash>,$arg_<expires>; a missing argument is empty.
    std::string_view hash, expires;
    (void)internal::FindQueryArg(request.query, options_.hash_arg, true, &hash);
    StackBuffer secure_link;
    if (!secure_link.Append(hash)) return EDGEKIT_E_MALFORMED;
    if (!options_.no_expiry) {
      (void)internal::FindQueryArg(request.query, options_.expires_arg, true,
                                   &expires);
      if (!secure_link.Append(',') || !secure_link.Append(expires)) {
        return EDGEKIT_E_MALFORMED;
      }
    }
    // $secure_link_expires is whatever follows the first comma, as nginx
    // splits the evaluated expression, not the arguments.
    const std::string_view link = secure_link.view();
    const size_t comma = link.find(',');
    internal::Template::Values values;
    if (comma != std::string_view::npos)
      values.expires = link.substr(comma + 1);
    values.path = request.path;
    values.ip = request.client_ip;
    values.query = request.query;
    StackBuffer message;
    if (!message_.Expand(values, &message)) return EDGEKIT_E_MALFORMED;
    return VerifyNginxSecureLinkMd5(link, message.view(), request.now_s,
                                    result);
  }

 private:
  internal::Template message_;
  NginxMd5Options options_;
};

class NginxSecretVerifier final : public Verifier {
 public:
  explicit NginxSecretVerifier(std::string_view secret) : secret_(secret) {}

  edgekit_status Verify(const Request& request, Result* result) const override {
    internal::ResetResult(result);
    // nginx skips the URI's first byte, then takes the next two slashes as
    // the bounds of the hash; the link runs to the end of the raw URI.
    const std::string_view uri = request.path;
    if (uri.size() < 2) return EDGEKIT_E_NO_TOKEN;
    const size_t first = uri.find('/', 1);
    if (first == std::string_view::npos) return EDGEKIT_E_NO_TOKEN;
    const size_t second = uri.find('/', first + 1);
    if (second == std::string_view::npos) return EDGEKIT_E_NO_TOKEN;
    const std::string_view hex = uri.substr(first + 1, second - first - 1);
    const std::string_view link = uri.substr(second + 1);
    if (result != nullptr) result->scope = link;
    uint8_t sent[16];
    size_t sent_len = 0;
    if (hex.size() != 32 || link.empty() ||
        !internal::DecodeHex(hex, sent, sizeof(sent), &sent_len)) {
      return EDGEKIT_E_MALFORMED;
    }
    StackBuffer message;
    if (!message.Append(link) || !message.Append(secret_)) {
      return EDGEKIT_E_MALFORMED;
    }
    uint8_t md5[16];
    crypto::Digest(crypto::Hash::kMd5, message.view(), md5);
    if (!crypto::ConstantTimeEqual(md5, sent, sizeof(md5))) {
      return EDGEKIT_E_BAD_SIGNATURE;
    }
    return EDGEKIT_OK;
  }

 private:
  std::string secret_;
};

}  // namespace

edgekit_status VerifyNginxSecureLinkMd5(std::string_view secure_link,
                                        std::string_view message, int64_t now_s,
                                        Result* result) {
  internal::ResetResult(result);
  std::string_view hash = secure_link;
  int64_t expires = 0;
  const size_t comma = secure_link.find(',');
  if (comma != std::string_view::npos) {
    hash = secure_link.substr(0, comma);
    if (!internal::ParseNginxTime(secure_link.substr(comma + 1), &expires) ||
        expires <= 0) {
      return EDGEKIT_E_NO_TOKEN;
    }
    if (result != nullptr) result->expires_s = expires;
  }
  if (hash.empty()) return EDGEKIT_E_NO_TOKEN;
  // nginx refuses more than 24 characters before decoding, then anything
  // that is not exactly 16 bytes.
  uint8_t sent[18];
  size_t sent_len = 0;
  if (hash.size() > 24 ||
      !internal::DecodeNginxBase64Url(hash, sent, sizeof(sent), &sent_len) ||
      sent_len != 16) {
    return EDGEKIT_E_MALFORMED;
  }
  uint8_t md5[16];
  crypto::Digest(crypto::Hash::kMd5, message, md5);
  if (!crypto::ConstantTimeEqual(md5, sent, sizeof(md5))) {
    return EDGEKIT_E_BAD_SIGNATURE;
  }
  // nginx: expired when expires < ngx_time(), so the expiry second itself is
  // still valid.
  if (expires != 0 && expires < now_s) return EDGEKIT_E_EXPIRED;
  return EDGEKIT_OK;
}

absl::StatusOr<std::unique_ptr<Verifier>> NewNginxMd5Verifier(
    const NginxMd5Options& options) {
  if (options.message.empty()) {
    return absl::InvalidArgumentError("nginx-md5: message is required");
  }
  if (options.hash_arg.empty() ||
      (!options.no_expiry && options.expires_arg.empty())) {
    return absl::InvalidArgumentError("nginx-md5: empty argument name");
  }
  static constexpr internal::VarName kNames[] = {
      {"secure_link_expires", internal::Var::kExpires},
      {"uri", internal::Var::kPath},
      {"remote_addr", internal::Var::kIp},
      {"args", internal::Var::kQuery}};
  auto message = internal::Template::Parse(options.message, kNames);
  if (!message.ok()) return message.status();
  return std::make_unique<NginxMd5Verifier>(*std::move(message), options);
}

absl::StatusOr<std::unique_ptr<Verifier>> NewNginxSecretVerifier(
    std::string_view secret) {
  return std::make_unique<NginxSecretVerifier>(secret);
}

}  // namespace edgekit::signed_url
