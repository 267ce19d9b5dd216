// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "common/base64url.h"

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

}  // namespace
}  // namespace edgekit
