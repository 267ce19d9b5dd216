// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Shared parsing for the signed-URL dialects. Every function here runs on the
// request path, so none allocates except the setup-time Template::Parse and
// the test/CLI encoders.

#include "signed_url/internal.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/base64url.h"

namespace edgekit::signed_url::internal {
namespace {

constexpr uint8_t kInvalid = kBase64Invalid;

using Table = Base64Alphabet;

constexpr char kStdAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kCloudFrontAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
constexpr Table kStd = MakeBase64Alphabet(kStdAlphabet);
constexpr Table kUrl = MakeBase64Alphabet(kUrlAlphabet);
constexpr Table kCloudFront = MakeBase64Alphabet(kCloudFrontAlphabet);

// DecodePadded decodes |in| whose padding character is |pad|: either no
// padding or exactly enough to reach a multiple of 4.
bool DecodePadded(std::string_view in, const Table& table, char pad,
                  bool padding_required, uint8_t* out, size_t cap,
                  size_t* out_len) {
  size_t n = in.size();
  size_t pads = 0;
  while (n > 0 && in[n - 1] == pad && pads < 2) {
    --n;
    ++pads;
  }
  if (pads > 0 && in.size() % 4 != 0) return false;
  if (pads == 0 && padding_required && in.size() % 4 != 0) return false;
  if (pads > 0 && n % 4 + pads != 4) return false;
  return Base64DecodeUnpadded(in.substr(0, n), table, /*strict_bits=*/true, out,
                              cap, out_len);
}

std::string EncodeWith(std::string_view in, const char* alphabet, char pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v =
        uint32_t{p[i]} << 16 | uint32_t{p[i + 1]} << 8 | p[i + 2];
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{p[i]} << 16;
    if (rest == 2) v |= uint32_t{p[i + 1]} << 8;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += rest == 2 ? alphabet[(v >> 6) & 63] : pad;
    out += pad;
  }
  return out;
}

constexpr Table MakeHexTable() {
  Table t{};
  for (auto& v : t) v = kInvalid;
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 6; ++i) {
    t['a' + i] = static_cast<uint8_t>(10 + i);
    t['A' + i] = static_cast<uint8_t>(10 + i);
  }
  return t;
}
constexpr Table kHex = MakeHexTable();

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

}  // namespace

bool DecodeNginxBase64Url(std::string_view in, uint8_t* out, size_t cap,
                          size_t* out_len) {
  const size_t end = in.find('=');
  const size_t n = end == std::string_view::npos ? in.size() : end;
  return Base64DecodeUnpadded(in.substr(0, n), kUrl, /*strict_bits=*/false, out,
                              cap, out_len);
}

bool DecodeCloudFrontBase64(std::string_view in, uint8_t* out, size_t cap,
                            size_t* out_len) {
  return DecodePadded(in, kCloudFront, '_', true, out, cap, out_len);
}

bool DecodeStdBase64(std::string_view in, uint8_t* out, size_t cap,
                     size_t* out_len) {
  if (in.find('%') == std::string_view::npos) {
    return DecodePadded(in, kStd, '=', true, out, cap, out_len);
  }
  // Undo the percent-encoding of the three characters that need it in a
  // query; anything else after '%' is not base64.
  char buf[4096];
  size_t n = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (n == sizeof(buf)) return false;
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi << 4 | lo);
      if (c != '+' && c != '/' && c != '=') return false;
      i += 2;
    }
    buf[n++] = c;
  }
  return DecodePadded(std::string_view(buf, n), kStd, '=', true, out, cap,
                      out_len);
}

bool DecodeBase64UrlStrict(std::string_view in, uint8_t* out, size_t cap,
                           size_t* out_len) {
  if (Base64UrlDecodedMaxSize(in.size()) > cap) return false;
  return Base64UrlDecode(in, out, out_len);
}

std::string EncodeCloudFrontBase64(std::string_view in) {
  return EncodeWith(in, kCloudFrontAlphabet, '_');
}

std::string EncodeStdBase64(std::string_view in) {
  return EncodeWith(in, kStdAlphabet, '=');
}

bool DecodeHex(std::string_view in, uint8_t* out, size_t cap, size_t* out_len) {
  if (in.size() % 2 != 0 || in.size() / 2 > cap) return false;
  // One table load per digit and one check per input: the MAC of every
  // Akamai token and timed HMAC is decoded here.
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  uint8_t bad = 0;
  for (size_t i = 0; i < in.size(); i += 2) {
    const uint8_t hi = kHex[p[i]], lo = kHex[p[i + 1]];
    bad |= hi | lo;
    out[i / 2] = static_cast<uint8_t>(hi << 4 | (lo & 0x0f));
  }
  if (bad & 0x80) return false;
  *out_len = in.size() / 2;
  return true;
}

std::string EncodeHex(std::string_view in) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(in.size() * 2);
  for (unsigned char c : in) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool FindQueryArg(std::string_view query, std::string_view name,
                  bool nginx_case, std::string_view* value) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(pos, end - pos);
    if (pair.size() > name.size() && pair[name.size()] == '=') {
      const std::string_view key = pair.substr(0, name.size());
      if (nginx_case ? EqualsIgnoreCase(key, name) : key == name) {
        *value = pair.substr(name.size() + 1);
        return true;
      }
    }
    pos = end + 1;
  }
  return false;
}

bool FindCookie(std::string_view header, std::string_view name,
                std::string_view* value) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) {
      pair.remove_prefix(1);
    }
    if (pair.size() > name.size() && pair[name.size()] == '=' &&
        pair.substr(0, name.size()) == name) {
      std::string_view v = pair.substr(name.size() + 1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) {
        v.remove_suffix(1);
      }
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        v = v.substr(1, v.size() - 2);
      }
      *value = v;
      return true;
    }
    pos = end + 1;
  }
  return false;
}

bool ParseNginxTime(std::string_view in, int64_t* out) {
  // ngx_atotm refuses anything past the largest time_t it can represent
  // without overflow; on 64-bit that is INT64_MAX.
  if (in.empty()) return false;
  int64_t v = 0;
  for (char c : in) {
    if (c < '0' || c > '9') return false;
    const int d = c - '0';
    if (v > (INT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool ParseEpoch(std::string_view in, int64_t* out) {
  if (in.empty() || in.size() > 12) return false;
  if (in.size() > 1 && in[0] == '0') return false;
  int64_t v = 0;
  for (char c : in) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool ParseIp(std::string_view text, IpAddress* out) {
  char buf[64];
  if (text.empty() || text.size() >= sizeof(buf)) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buf, out->bytes) != 1) return false;
    out->len = 4;
  } else {
    if (inet_pton(AF_INET6, buf, out->bytes) != 1) return false;
    out->len = 16;
  }
  return true;
}

bool CidrContains(std::string_view cidr, const IpAddress& ip, bool* valid) {
  *valid = false;
  const size_t slash = cidr.find('/');
  IpAddress net;
  if (!ParseIp(cidr.substr(0, slash), &net)) return false;
  int bits = net.len * 8;
  if (slash != std::string_view::npos) {
    const std::string_view b = cidr.substr(slash + 1);
    if (b.empty() || b.size() > 3) return false;
    int v = 0;
    for (char c : b) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v > bits) return false;
    bits = v;
  }
  *valid = true;
  if (ip.len != net.len) return false;
  for (int i = 0; i < bits / 8; ++i) {
    if (ip.bytes[i] != net.bytes[i]) return false;
  }
  if (bits % 8 != 0) {
    const uint8_t mask = static_cast<uint8_t>(0xff00 >> (bits % 8));
    if ((ip.bytes[bits / 8] & mask) != (net.bytes[bits / 8] & mask)) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<Template> Template::Parse(std::string_view text,
                                         absl::Span<const VarName> names) {
  Template t;
  std::string literal;
  size_t i = 0;
  auto flush = [&] {
    if (!literal.empty()) {
      t.segments_.push_back({false, Var::kPath, literal});
      literal.clear();
    }
  };
  while (i < text.size()) {
    if (text[i] != '$') {
      literal += text[i++];
      continue;
    }
    std::string_view name;
    if (i + 1 < text.size() && text[i + 1] == '{') {
      const size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        return absl::InvalidArgumentError("unterminated ${ in message");
      }
      name = text.substr(i + 2, close - i - 2);
      i = close + 1;
    } else {
      // A name runs over [A-Za-z0-9_] as in nginx, so "$uri2" is an unknown
      // variable, not "$uri" followed by "2".
      size_t end = i + 1;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) ||
              text[end] == '_')) {
        ++end;
      }
      name = text.substr(i + 1, end - i - 1);
      i = end;
    }
    const VarName* found = nullptr;
    for (const auto& n : names) {
      if (n.name == name) found = &n;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown variable in message: $", std::string(name)));
    }
    flush();
    t.segments_.push_back({true, found->var, std::string()});
  }
  flush();
  return t;
}

bool Template::Expand(const Values& values, StackBuffer* out) const {
  for (const auto& s : segments_) {
    if (!s.is_var) {
      if (!out->Append(s.literal)) return false;
      continue;
    }
    std::string_view v;
    switch (s.var) {
      case Var::kExpires:
        v = values.expires;
        break;
      case Var::kPath:
        v = values.path;
        break;
      case Var::kIp:
        v = values.ip;
        break;
      case Var::kQuery:
        v = values.query;
        break;
      case Var::kSecret:
        v = values.secret;
        break;
    }
    if (!out->Append(v)) return false;
  }
  return true;
}

bool Template::Uses(Var var) const {
  for (const auto& s : segments_) {
    if (s.is_var && s.var == var) return true;
  }
  return false;
}

bool AppendEscapedEarly(std::string_view in, StackBuffer* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned char c : in) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                      c == '.' || c == '!' || c == '(' || c == ')';
    if (keep) {
      if (!out->Append(static_cast<char>(c))) return false;
    } else {
      const char esc[3] = {'%', kDigits[c >> 4], kDigits[c & 15]};
      if (!out->Append(std::string_view(esc, 3))) return false;
    }
  }
  return true;
}

}  // namespace edgekit::signed_url::internal
