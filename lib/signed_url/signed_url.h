// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Signed-URL verifiers for the CDN token dialects: the C++ door into
// lib/signed_url. include/edgekit/signed_url.h documents the semantics of each
// dialect; this header mirrors it for C++ hosts, tests and the CLI.
//
// A verifier is built once (absl::StatusOr on that cold path) and is then
// immutable and thread-safe. Verify() is the per-request path: it returns a
// plain edgekit_status, never allocates, never writes the request's bytes,
// and fills a Result whose views point into the request.

#ifndef EDGEKIT_LIB_SIGNED_URL_SIGNED_URL_H_
#define EDGEKIT_LIB_SIGNED_URL_SIGNED_URL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "crypto/crypto.h"
#include "edgekit/status.h"

namespace edgekit::signed_url {

struct Request {
  std::string_view path;
  std::string_view query;      // raw, without '?'
  std::string_view cookie;     // the Cookie header value
  std::string_view header;     // the value of the token header
  std::string_view client_ip;  // text form
  int64_t now_s = 0;
};

struct Result {
  int64_t expires_s = 0;
  int64_t starts_s = 0;
  std::string_view identity;  // Akamai id, CloudFront Key-Pair-Id
  std::string_view scope;     // Akamai acl, CloudFront Policy, nginx link
};

// Where a token may be carried; a mask of these, 0 meaning "everywhere".
enum Source : uint32_t { kFromQuery = 1, kFromCookie = 2, kFromHeader = 4 };

// The longest message, URL or decoded policy a verifier rebuilds on the
// stack; longer inputs are EDGEKIT_E_MALFORMED.
constexpr size_t kMaxRebuiltSize = 8192;

class Verifier {
 public:
  virtual ~Verifier() = default;
  // Verify checks |request| and fills |result| (which may be null).
  [[nodiscard]] virtual edgekit_status Verify(const Request& request,
                                              Result* result) const = 0;
};

// nginx secure_link + secure_link_md5.
struct NginxMd5Options {
  std::string message;  // the secure_link_md5 expression, e.g.
                        // "$secure_link_expires$uri$remote_addr secret"
  std::string hash_arg = "md5";
  std::string expires_arg = "expires";
  bool no_expiry = false;
};

// VerifyNginxSecureLinkMd5 is nginx's own decision for the value of the
// secure_link expression ("hash" or "hash,expires") and the evaluated
// secure_link_md5 expression. See edgekit_nginx_secure_link_md5.
[[nodiscard]] edgekit_status VerifyNginxSecureLinkMd5(
    std::string_view secure_link, std::string_view message, int64_t now_s,
    Result* result);

[[nodiscard]] absl::StatusOr<std::unique_ptr<Verifier>> NewNginxMd5Verifier(
    const NginxMd5Options& options);

// nginx secure_link_secret.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Verifier>> NewNginxSecretVerifier(
    std::string_view secret);

// Akamai EdgeAuth Token 2.0.
struct AkamaiOptions {
  std::string key_hex;
  crypto::Hash hash = crypto::Hash::kSha256;  // kSha256, kSha1 or kMd5
  std::string token_name = "__token__";
  uint32_t sources = 0;
  char field_delimiter = '~';
  char acl_delimiter = '!';
  std::string salt;
  bool escape_early = false;
};

[[nodiscard]] absl::StatusOr<std::unique_ptr<Verifier>> NewAkamaiVerifier(
    const AkamaiOptions& options);

// AWS CloudFront signed URLs and cookies.
struct CloudFrontOptions {
  // (Key-Pair-Id, PEM public key) pairs.
  std::vector<std::pair<std::string, std::string>> keys;
  uint32_t sources = 0;  // kFromQuery and/or kFromCookie
  bool require_sha256 = false;
};

[[nodiscard]] absl::StatusOr<std::unique_ptr<Verifier>> NewCloudFrontVerifier(
    const CloudFrontOptions& options);

// The conditions of a CloudFront custom policy, as parsed (picojson: this is
// the one allocating step of a custom-policy check, measured in the bench).
// Exposed for tests and the fuzzer.
struct CloudFrontPolicy {
  std::string resource;  // JSON-unescaped; empty if absent
  bool has_resource = false;
  int64_t date_less_than = 0;
  int64_t date_greater_than = 0;  // 0 if absent
  std::string source_ip;          // CIDR text; empty if absent
};

// ParseCloudFrontPolicy parses a custom policy: one statement, a
// DateLessThan, nothing unknown. Returns false for anything else.
[[nodiscard]] bool ParseCloudFrontPolicy(std::string_view json,
                                         CloudFrontPolicy* policy);

// Timed HMAC.
enum class Encoding { kHex, kBase64Url, kBase64 };

struct TimedHmacOptions {
  std::string secret;  // raw bytes
  crypto::Hash hash = crypto::Hash::kSha256;
  Encoding encoding = Encoding::kHex;
  std::string message = "$path$expires";
  std::string token_arg = "token";
  std::string expires_arg = "expires";
  char separator = 0;
  std::string prefix;
  int64_t ttl_s = 0;
  bool plain_digest = false;
};

[[nodiscard]] absl::StatusOr<std::unique_ptr<Verifier>> NewTimedHmacVerifier(
    const TimedHmacOptions& options);

}  // namespace edgekit::signed_url

#endif  // EDGEKIT_LIB_SIGNED_URL_SIGNED_URL_H_
