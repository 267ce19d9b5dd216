// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The pieces the dialects share: the three base64 flavours they disagree on,
// hex, query and cookie lookup, decimal times, wildcard matching, IP/CIDR
// checks, message templates and a fixed stack buffer. Private to
// lib/signed_url (and its tests).

#ifndef EDGEKIT_LIB_SIGNED_URL_INTERNAL_H_
#define EDGEKIT_LIB_SIGNED_URL_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "crypto/crypto.h"
#include "edgekit/status.h"
#include "signed_url/signed_url.h"

namespace edgekit::signed_url::internal {

// Base64 flavours. Each decoder writes at most in.size() * 3 / 4 + 2 bytes and
// fails (false) if that exceeds |cap|.
//
// DecodeNginxBase64Url is ngx_decode_base64url exactly: the URL alphabet,
// input stops at the first '=', a length of 1 mod 4 fails, and the unused low
// bits of the last character are ignored (so nginx accepts several spellings
// of one hash; we must accept the same ones).
[[nodiscard]] bool DecodeNginxBase64Url(std::string_view in, uint8_t* out,
                                        size_t cap, size_t* out_len);
// DecodeCloudFrontBase64 is standard base64 with '+' '=' '/' spelled '-' '_'
// '~'. Padding is required, as every AWS signer writes it, and trailing bits
// must be zero, so a signature has exactly one spelling.
[[nodiscard]] bool DecodeCloudFrontBase64(std::string_view in, uint8_t* out,
                                          size_t cap, size_t* out_len);
// DecodeStdBase64 is RFC 4648 §4 with required padding and zero trailing
// bits; '+', '/' and '=' may also arrive percent-encoded (%2B %2F %3D).
[[nodiscard]] bool DecodeStdBase64(std::string_view in, uint8_t* out,
                                   size_t cap, size_t* out_len);
// DecodeBase64UrlStrict is lib/common's JWS base64url (no padding).
[[nodiscard]] bool DecodeBase64UrlStrict(std::string_view in, uint8_t* out,
                                         size_t cap, size_t* out_len);
// Encoders for tests, the CLI and signers.
std::string EncodeCloudFrontBase64(std::string_view in);
std::string EncodeStdBase64(std::string_view in);

// DecodeHex accepts upper and lower case; false for odd length, a non-hex
// digit or more than |cap| bytes.
[[nodiscard]] bool DecodeHex(std::string_view in, uint8_t* out, size_t cap,
                             size_t* out_len);
std::string EncodeHex(std::string_view in);

// FindQueryArg finds the first "name=value" in |query| ('&'-separated) and
// sets |*value| (raw). With |nginx_case|, the name matches
// case-insensitively, as nginx's $arg_name does.
[[nodiscard]] bool FindQueryArg(std::string_view query, std::string_view name,
                                bool nginx_case, std::string_view* value);
// FindCookie finds the first cookie |name| in a Cookie header value
// ("a=1; b=2"); the value is raw, a surrounding pair of quotes removed.
[[nodiscard]] bool FindCookie(std::string_view header, std::string_view name,
                              std::string_view* value);

// ParseNginxTime is ngx_atotm: one or more decimal digits and nothing else,
// no overflow. The caller applies nginx's "<= 0 is invalid".
[[nodiscard]] bool ParseNginxTime(std::string_view in, int64_t* out);
// ParseEpoch accepts the canonical decimal form of a non-negative time only
// (no sign, no leading zeros, at most 12 digits), so a link has one spelling.
[[nodiscard]] bool ParseEpoch(std::string_view in, int64_t* out);

// GlobMatch matches |text| against |pattern|, where '*' is any run of bytes
// (also empty) and '?' exactly one byte. Linear in practice (greedy with one
// backtrack point), O(n*m) worst case; patterns come from signed tokens.
[[nodiscard]] bool GlobMatch(std::string_view pattern, std::string_view text);

// An IP address in network byte order (v4 uses 4 bytes).
struct IpAddress {
  uint8_t bytes[16] = {};
  int len = 0;  // 4 or 16
};
[[nodiscard]] bool ParseIp(std::string_view text, IpAddress* out);
// CidrContains reports whether |ip| is inside |cidr| ("a.b.c.d/n", "v6/n" or
// a bare address, meaning /32 or /128). |*valid| is false if |cidr| cannot be
// parsed.
[[nodiscard]] bool CidrContains(std::string_view cidr, const IpAddress& ip,
                                bool* valid);

// A fixed buffer on the stack for rebuilt messages: appends fail instead of
// growing, so the per-request path never allocates.
class StackBuffer {
 public:
  [[nodiscard]] bool Append(std::string_view s) {
    if (s.size() > sizeof(buf_) - len_) return false;
    if (!s.empty()) std::memcpy(buf_ + len_, s.data(), s.size());
    len_ += s.size();
    return true;
  }
  [[nodiscard]] bool Append(char c) { return Append(std::string_view(&c, 1)); }
  std::string_view view() const { return std::string_view(buf_, len_); }
  size_t size() const { return len_; }

 private:
  char buf_[kMaxRebuiltSize];
  size_t len_ = 0;
};

// A message template: literal text and variables ($name or ${name}), parsed
// once at configuration time.
enum class Var { kExpires, kPath, kIp, kQuery, kSecret };

struct VarName {
  std::string_view name;
  Var var;
};

class Template {
 public:
  // Parse splits |text| using the variable names |names|; an unknown name, a
  // lone '$' or an unterminated "${" is an error.
  static absl::StatusOr<Template> Parse(std::string_view text,
                                        absl::Span<const VarName> names);
  // Expand appends the message for one request; false if it does not fit.
  struct Values {
    std::string_view expires, path, ip, query, secret;
  };
  [[nodiscard]] bool Expand(const Values& values, StackBuffer* out) const;
  bool Uses(Var var) const;

 private:
  struct Segment {
    bool is_var;
    Var var;
    std::string literal;
  };
  std::vector<Segment> segments_;
};

// AppendEscapedEarly appends |in| escaped as akamai-edgeauth's escape_early
// does: encodeURIComponent, then '~', '\'' and '*' too, all %xx lower case.
[[nodiscard]] bool AppendEscapedEarly(std::string_view in, StackBuffer* out);

// ResetResult clears |result| if it is not null.
inline void ResetResult(Result* result) {
  if (result != nullptr) *result = Result();
}

}  // namespace edgekit::signed_url::internal

#endif  // EDGEKIT_LIB_SIGNED_URL_INTERNAL_H_
