// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "request_line.h"

#include <cstddef>

namespace edgekit::squid {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// PercentDecode replaces |*out| with |in| unescaped ('+' stays '+': Squid's
// quoting and JWTs never use it for a space). False for a truncated or
// non-hex escape.
bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi << 4 | lo));
    i += 2;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// QueryValue finds parameter |name| in the query of |url| (after the first
// '?', up to any '#'), or returns false.
bool QueryValue(std::string_view url, std::string_view name,
                std::string_view* value) {
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return false;
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      *value = eq == std::string_view::npos ? std::string_view()
                                            : pair.substr(eq + 1);
      return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

}  // namespace

bool ParseRequestLine(std::string_view line, bool concurrent,
                      std::string_view query_param, RequestLine* out) {
  out->channel = {};
  out->token.clear();
  if (concurrent) {
    size_t end = 0;
    while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
    if (end == 0 || (end < line.size() && !IsSpace(line[end]))) return false;
    out->channel = line.substr(0, end);
    line.remove_prefix(end);
  }
  while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
  size_t field_end = 0;
  while (field_end < line.size() && !IsSpace(line[field_end])) ++field_end;
  const std::string_view field = line.substr(0, field_end);
  if (field.empty() || field == "-") return true;

  std::string decoded;
  if (!PercentDecode(field, &decoded)) {
    // Not Squid's quoting: pass it on as it is, for the verifier to refuse.
    out->token.assign(field.data(), field.size());
    return true;
  }
  std::string_view token = decoded;
  std::string from_query;
  if (!query_param.empty()) {
    std::string_view value;
    if (!QueryValue(decoded, query_param, &value)) return true;
    token = PercentDecode(value, &from_query) ? from_query : value;
  } else {
    // "Bearer" is case-insensitive (RFC 9110 §11.1); then one or more spaces.
    constexpr std::string_view kBearer = "bearer";
    if (token.size() > kBearer.size() && IsSpace(token[kBearer.size()])) {
      bool match = true;
      for (size_t i = 0; i < kBearer.size(); ++i) {
        match &= (token[i] | 0x20) == kBearer[i];
      }
      if (match) {
        token.remove_prefix(kBearer.size());
        while (!token.empty() && IsSpace(token.front())) token.remove_prefix(1);
      }
    }
  }
  out->token.assign(token.data(), token.size());
  return true;
}

void AppendPercentEncoded(std::string_view value, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : value) {
    const auto b = static_cast<unsigned char>(c);
    const bool plain = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                       (b >= '0' && b <= '9') || b == '.' || b == '_' ||
                       b == '~' || b == '@' || b == ':' || b == '-';
    if (plain) {
      out->push_back(c);
    } else {
      out->push_back('%');
      out->push_back(kHex[b >> 4]);
      out->push_back(kHex[b & 15]);
    }
  }
}

}  // namespace edgekit::squid
