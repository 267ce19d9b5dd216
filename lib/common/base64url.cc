// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "common/base64url.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define EDGEKIT_BASE64URL_AVX2 1
#endif

namespace edgekit {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr Base64Alphabet kDecode = MakeBase64Alphabet(kAlphabet);

#if EDGEKIT_BASE64URL_AVX2
// DecodeBlocksAvx2 decodes whole 32-character blocks of |in| (|n|
// characters) into |out|, which holds |cap| bytes, 24 bytes per block. Each
// block stores 32 bytes (the last 8 are overwritten by the next block or left
// for the caller to overwrite), so a block runs only with 32 bytes of room.
// Returns the characters consumed, a multiple of 32, or 0 if any block held
// a character outside the alphabet: the scalar loop then decodes the whole
// input and is the one that reports the bad character.
//
// A JWS payload is a few hundred characters; this is about 5x the scalar
// loop there, whose per-character table walk was a quarter of an HS256
// verify.
__attribute__((target("avx2"))) size_t DecodeBlocksAvx2(const uint8_t* in,
                                                        size_t n, uint8_t* out,
                                                        size_t cap) {
  // Validity by nibbles: a character is in the alphabet iff the class bit of
  // its high nibble is clear in its low nibble's entry. High nibbles 2-7
  // each get a bit (1 << (h - 2)); 0, 1 and 8-f (controls and bytes >= 0x80)
  // get 0x40, which every low-nibble entry sets.
  //   h=2: only '-' (l=d)         h=3: '0'-'9' (l=0-9)
  //   h=4: 'A'-'O' (l=1-f)        h=5: 'P'-'Z' (l=0-a) and '_' (l=f)
  //   h=6: 'a'-'o' (l=1-f)        h=7: 'p'-'z' (l=0-a)
  constexpr char kH2 = 0x01, kH3 = 0x02, kH4 = 0x04, kH5 = 0x08, kH6 = 0x10,
                 kH7 = 0x20, kAlways = 0x40;
  const __m256i invalid_by_lo = _mm256_broadcastsi128_si256(_mm_setr_epi8(
      /*0*/ kAlways | kH2 | kH4 | kH6,
      /*1-9*/ kAlways | kH2, kAlways | kH2, kAlways | kH2, kAlways | kH2,
      kAlways | kH2, kAlways | kH2, kAlways | kH2, kAlways | kH2,
      kAlways | kH2,
      /*a*/ kAlways | kH2 | kH3,
      /*b, c*/ kAlways | kH2 | kH3 | kH5 | kH7,
      kAlways | kH2 | kH3 | kH5 | kH7,
      /*d*/ kAlways | kH3 | kH5 | kH7,
      /*e*/ kAlways | kH2 | kH3 | kH5 | kH7,
      /*f*/ kAlways | kH2 | kH3 | kH7));
  const __m256i class_by_hi = _mm256_broadcastsi128_si256(
      _mm_setr_epi8(kAlways, kAlways, kH2, kH3, kH4, kH5, kH6, kH7, kAlways,
                    kAlways, kAlways, kAlways, kAlways, kAlways, kAlways,
                    kAlways));
  // Character + offset = 6-bit value: '-' → 62, '0' → 52, 'A' → 0,
  // 'a' → 26; '_' (h=5) is corrected below.
  const __m256i offset_by_hi = _mm256_broadcastsi128_si256(_mm_setr_epi8(
      0, 0, 62 - '-', 52 - '0', -'A', -'A', 26 - 'a', 26 - 'a', 0, 0, 0, 0, 0,
      0, 0, 0));
  // Within each 128-bit lane: bytes 2,1,0 of every 32-bit word (the 24-bit
  // group, most significant byte first); then the lanes' 12-byte halves
  // side by side.
  const __m256i pack_bytes = _mm256_setr_epi8(
      2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,  //
      2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i pack_lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  __m256i invalid = _mm256_setzero_si256();
  size_t i = 0;
  size_t o = 0;
  for (; i + 32 <= n && o + 32 <= cap; i += 32, o += 24) {
    const __m256i c =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(c, 4), nibble);
    const __m256i lo = _mm256_and_si256(c, nibble);
    invalid = _mm256_or_si256(
        invalid, _mm256_and_si256(_mm256_shuffle_epi8(invalid_by_lo, lo),
                                  _mm256_shuffle_epi8(class_by_hi, hi)));
    const __m256i underscore = _mm256_cmpeq_epi8(c, _mm256_set1_epi8('_'));
    const __m256i offset = _mm256_add_epi8(
        _mm256_shuffle_epi8(offset_by_hi, hi),
        _mm256_and_si256(underscore, _mm256_set1_epi8((63 - '_') - -'A')));
    const __m256i v = _mm256_add_epi8(c, offset);
    // Pairs of 6-bit values into 12 bits, pairs of those into 24 bits.
    const __m256i v12 =
        _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
    const __m256i v24 = _mm256_madd_epi16(v12, _mm256_set1_epi32(0x00011000));
    const __m256i bytes = _mm256_permutevar8x32_epi32(
        _mm256_shuffle_epi8(v24, pack_bytes), pack_lanes);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + o), bytes);
  }
  return _mm256_testz_si256(invalid, invalid) ? i : 0;
}

bool HaveAvx2() {
  static const bool have = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return have;
}
#endif  // EDGEKIT_BASE64URL_AVX2

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
  const size_t cap = Base64UrlDecodedMaxSize(in.size());
  size_t done = 0;  // characters decoded in blocks: 3 bytes per 4
#if EDGEKIT_BASE64URL_AVX2
  if (HaveAvx2()) {
    done = DecodeBlocksAvx2(reinterpret_cast<const uint8_t*>(in.data()),
                            in.size(), out, cap);
  }
#endif
  const size_t written = done / 4 * 3;
  size_t rest = 0;
  if (!Base64DecodeUnpadded(in.substr(done), kDecode, /*strict_bits=*/true,
                            out + written, cap - written, &rest)) {
    return false;
  }
  *out_len = written + rest;
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
