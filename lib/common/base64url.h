// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Strict base64url (RFC 4648 §5) as JWS uses it: no padding, no whitespace,
// and the unused low bits of the last character must be zero, so that every
// encoded string has exactly one decoding and a flipped bit never goes unseen.

#ifndef EDGEKIT_LIB_COMMON_BASE64URL_H_
#define EDGEKIT_LIB_COMMON_BASE64URL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace edgekit {

// Base64UrlDecodedMaxSize returns an upper bound on the bytes that decoding
// |encoded_len| characters produces.
constexpr size_t Base64UrlDecodedMaxSize(size_t encoded_len) {
  return encoded_len / 4 * 3 + 2;
}

// Base64Alphabet maps each byte to its 6-bit value in one 64-character
// alphabet, or to kBase64Invalid.
inline constexpr uint8_t kBase64Invalid = 0xff;
using Base64Alphabet = std::array<uint8_t, 256>;

constexpr Base64Alphabet MakeBase64Alphabet(const char* chars) {
  Base64Alphabet t{};
  for (auto& v : t) v = kBase64Invalid;
  for (uint8_t i = 0; i < 64; ++i) t[static_cast<uint8_t>(chars[i])] = i;
  return t;
}

// Base64DecodeUnpadded decodes |in| (alphabet characters only, no padding)
// with |alphabet| into |out|, which holds |cap| bytes. Returns false for a
// character outside the alphabet, a length of 1 mod 4, output beyond |cap|,
// or — if |strict_bits| — non-zero unused bits in the last character. The
// one decoding loop behind every base64 flavour edgekit reads.
[[nodiscard]] bool Base64DecodeUnpadded(std::string_view in,
                                        const Base64Alphabet& alphabet,
                                        bool strict_bits, uint8_t* out,
                                        size_t cap, size_t* out_len);

// Base64UrlDecode decodes |in| into |out| (which must hold
// Base64UrlDecodedMaxSize(in.size()) bytes) and sets |*out_len|. Returns false
// for any character outside the alphabet, padding, a length of 1 mod 4, or
// non-zero trailing bits.
[[nodiscard]] bool Base64UrlDecode(std::string_view in, uint8_t* out,
                                   size_t* out_len);

// Base64UrlDecodeTo is Base64UrlDecode into a string it resizes. Reuses the
// string's capacity, so a caller that keeps the string does not allocate.
[[nodiscard]] bool Base64UrlDecodeTo(std::string_view in, std::string* out);

constexpr size_t Base64UrlEncodedSize(size_t len) {
  return len / 3 * 4 + (len % 3 == 0 ? 0 : len % 3 + 1);
}

// Base64UrlEncode writes Base64UrlEncodedSize(len) characters to |out|.
void Base64UrlEncode(const uint8_t* in, size_t len, char* out);

// Base64UrlAppend appends the encoding of |in| to |out|.
void Base64UrlAppend(std::string_view in, std::string* out);

}  // namespace edgekit

#endif  // EDGEKIT_LIB_COMMON_BASE64URL_H_
