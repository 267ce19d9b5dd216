// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "common/base64url.h"

#include <array>

namespace edgekit {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (uint8_t i = 0; i < 64; ++i)
    table[static_cast<uint8_t>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

bool Base64UrlDecode(std::string_view in, uint8_t* out, size_t* out_len) {
  const size_t n = in.size();
  if (n % 4 == 1) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t o = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint32_t a = kDecode[p[i]], b = kDecode[p[i + 1]],
                   c = kDecode[p[i + 2]], d = kDecode[p[i + 3]];
    if ((a | b | c | d) & 0x80) return false;
    const uint32_t v = a << 18 | b << 12 | c << 6 | d;
    out[o++] = static_cast<uint8_t>(v >> 16);
    out[o++] = static_cast<uint8_t>(v >> 8);
    out[o++] = static_cast<uint8_t>(v);
  }
  const size_t rest = n - i;
  if (rest >= 2) {
    const uint32_t a = kDecode[p[i]], b = kDecode[p[i + 1]];
    const uint32_t c = rest == 3 ? kDecode[p[i + 2]] : 0;
    if ((a | b | c) & 0x80) return false;
    const uint32_t v = a << 18 | b << 12 | c << 6;
    out[o++] = static_cast<uint8_t>(v >> 16);
    if (rest == 3) {
      out[o++] = static_cast<uint8_t>(v >> 8);
      if (v & 0xff) return false;  // non-canonical trailing bits
    } else if (v & 0xffff) {
      return false;
    }
  }
  *out_len = o;
  return true;
}

bool Base64UrlDecodeTo(std::string_view in, std::string* out) {
  out->resize(Base64UrlDecodedMaxSize(in.size()));
  size_t len = 0;
  if (!Base64UrlDecode(in, reinterpret_cast<uint8_t*>(out->data()), &len)) {
    out->clear();
    return false;
  }
  out->resize(len);
  return true;
}

void Base64UrlEncode(const uint8_t* in, size_t len, char* out) {
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    const uint32_t v =
        uint32_t{in[i]} << 16 | uint32_t{in[i + 1]} << 8 | in[i + 2];
    *out++ = kAlphabet[v >> 18];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = kAlphabet[v & 63];
  }
  if (len - i == 1) {
    const uint32_t v = uint32_t{in[i]} << 16;
    *out++ = kAlphabet[v >> 18];
    *out++ = kAlphabet[(v >> 12) & 63];
  } else if (len - i == 2) {
    const uint32_t v = uint32_t{in[i]} << 16 | uint32_t{in[i + 1]} << 8;
    *out++ = kAlphabet[v >> 18];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
  }
}

void Base64UrlAppend(std::string_view in, std::string* out) {
  const size_t old = out->size();
  out->resize(old + Base64UrlEncodedSize(in.size()));
  Base64UrlEncode(reinterpret_cast<const uint8_t*>(in.data()), in.size(),
                  out->data() + old);
}

}  // namespace edgekit
