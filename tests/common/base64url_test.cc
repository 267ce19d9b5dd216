// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "common/base64url.h"

#include <cstring>

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace edgekit {
namespace {

std::string Decode(std::string_view in, bool* ok) {
  std::string out;
  *ok = Base64UrlDecodeTo(in, &out);
  return out;
}

// RFC 4648 §10 test vectors, in the URL alphabet without padding.
TEST(Base64Url, Rfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : kVectors) {
    std::string out;
    Base64UrlAppend(plain, &out);
    EXPECT_EQ(out, encoded);
    bool ok = false;
    EXPECT_EQ(Decode(encoded, &ok), plain);
    EXPECT_TRUE(ok) << encoded;
  }
}

TEST(Base64Url, UrlAlphabet) {
  std::string out;
  Base64UrlAppend(std::string("\xfb\xff\xbf", 3), &out);
  EXPECT_EQ(out, "-_-_");
  bool ok = false;
  EXPECT_EQ(Decode("-_-_", &ok), std::string("\xfb\xff\xbf", 3));
  EXPECT_TRUE(ok);
}

TEST(Base64Url, RejectsNonCanonicalInput) {
  for (const char* bad : {"Zg==", "Zm9v+", "Zm9v/w", "Z", "Zm9vY", "Zm 9v",
                          "Zh", "Zm9", "Zm8=", "\x80\x80", "Zm9v\n"}) {
    bool ok = true;
    Decode(bad, &ok);
    EXPECT_FALSE(ok) << bad;
  }
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string plain;
  for (int n = 0; n < 300; ++n) {
    std::string enc;
    Base64UrlAppend(plain, &enc);
    EXPECT_EQ(enc.size(), Base64UrlEncodedSize(plain.size()));
    bool ok = false;
    EXPECT_EQ(Decode(enc, &ok), plain);
    EXPECT_TRUE(ok);
    plain.push_back(static_cast<char>(n * 37 + 11));
  }
}

// An independent decoder for the differential tests below: a bit
// accumulator over strchr, nothing shared with the library's table or its
// vector blocks.
bool ReferenceDecode(std::string_view in, std::string* out) {
  static const char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  out->clear();
  if (in.size() % 4 == 1) return false;
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : in) {
    const char* hit = c == '\0' ? nullptr : std::strchr(kChars, c);
    if (hit == nullptr) return false;
    acc = acc << 6 | static_cast<uint32_t>(hit - kChars);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  return acc == 0;  // the unused low bits of the last character
}

// Long inputs go through the vector path in 32-character blocks: every byte
// value at every position of the first blocks and the tail must be judged
// exactly as the reference judges it.
TEST(Base64Url, EveryByteAtEveryPositionMatchesReference) {
  std::string plain;
  for (int i = 0; i < 75; ++i) plain.push_back(static_cast<char>(i * 91 + 7));
  std::string valid;
  Base64UrlAppend(plain, &valid);  // 100 characters: 3 blocks and a tail
  ASSERT_EQ(valid.size(), 100u);
  for (size_t pos = 0; pos < valid.size(); ++pos) {
    for (int b = 0; b < 256; ++b) {
      std::string in = valid;
      in[pos] = static_cast<char>(b);
      std::string want;
      const bool want_ok = ReferenceDecode(in, &want);
      bool ok = !want_ok;
      const std::string got = Decode(in, &ok);
      ASSERT_EQ(ok, want_ok) << "byte " << b << " at " << pos;
      if (ok) {
        ASSERT_EQ(got, want) << "byte " << b << " at " << pos;
      }
    }
  }
}

TEST(Base64Url, RandomStringsMatchReference) {
  std::mt19937 rng(20261125);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int round = 0; round < 20000; ++round) {
    std::string in(rng() % 200, '\0');
    for (char& c : in) c = alphabet[rng() % 64];
    if (!in.empty() && rng() % 3 == 0) {  // one stray byte somewhere
      in[rng() % in.size()] = static_cast<char>(rng() % 256);
    }
    std::string want;
    const bool want_ok = ReferenceDecode(in, &want);
    bool ok = !want_ok;
    const std::string got = Decode(in, &ok);
    ASSERT_EQ(ok, want_ok) << in;
    if (ok) {
      ASSERT_EQ(got, want) << in;
    }
  }
}

}  // namespace
}  // namespace edgekit
