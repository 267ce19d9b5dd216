// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "common/base64url.h"

namespace edgekit {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr Base64Alphabet kDecode = MakeBase64Alphabet(kAlphabet);

}  // namespace

bool Base64DecodeUnpadded(std::string_view in, const Base64Alphabet& alphabet,
                          bool strict_bits, uint8_t* out, size_t cap,
                          size_t* out_len) {
  const size_t n = in.size();
  if (n % 4 == 1) return false;
  if (n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1) > cap) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t o = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint32_t a = alphabet[p[i]], b = alphabet[p[i + 1]],
                   c = alphabet[p[i + 2]], d = alphabet[p[i + 3]];
    if ((a | b | c | d) & 0x80) return false;
    const uint32_t v = a << 18 | b << 12 | c << 6 | d;
    out[o++] = static_cast<uint8_t>(v >> 16);
    out[o++] = static_cast<uint8_t>(v >> 8);
    out[o++] = static_cast<uint8_t>(v);
  }
  const size_t rest = n - i;
  if (rest >= 2) {
    const uint32_t a = alphabet[p[i]], b = alphabet[p[i + 1]];
    const uint32_t c = rest == 3 ? alphabet[p[i + 2]] : 0;
    if ((a | b | c) & 0x80) return false;
    const uint32_t v = a << 18 | b << 12 | c << 6;
    out[o++] = static_cast<uint8_t>(v >> 16);
    if (rest == 3) out[o++] = static_cast<uint8_t>(v >> 8);
    const uint32_t unused = rest == 3 ? (v & 0xff) : (v & 0xffff);
    if (strict_bits && unused != 0) return false;
  }
  *out_len = o;
  return true;
}

bool Base64UrlDecode(std::string_view in, uint8_t* out, size_t* out_len) {
  return Base64DecodeUnpadded(in, kDecode, /*strict_bits=*/true, out,
                              Base64UrlDecodedMaxSize(in.size()), out_len);
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
