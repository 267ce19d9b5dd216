// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The shared pieces of lib/signed_url: each base64 flavour against its
// reference behaviour, hex, query/cookie lookup, times, wildcards, CIDRs and
// templates, including every malformed shape.

#include "signed_url/internal.h"

#include <string>

#include "gtest/gtest.h"

namespace edgekit::signed_url::internal {
namespace {

std::string Nginx(std::string_view in, bool* ok) {
  uint8_t out[64];
  size_t len = 0;
  *ok = DecodeNginxBase64Url(in, out, sizeof(out), &len);
  return *ok ? std::string(reinterpret_cast<char*>(out), len) : "";
}

std::string CloudFront(std::string_view in, bool* ok) {
  uint8_t out[64];
  size_t len = 0;
  *ok = DecodeCloudFrontBase64(in, out, sizeof(out), &len);
  return *ok ? std::string(reinterpret_cast<char*>(out), len) : "";
}

std::string Std(std::string_view in, bool* ok) {
  uint8_t out[64];
  size_t len = 0;
  *ok = DecodeStdBase64(in, out, sizeof(out), &len);
  return *ok ? std::string(reinterpret_cast<char*>(out), len) : "";
}

TEST(NginxBase64Url, MatchesNgxDecodeBase64Url) {
  bool ok;
  EXPECT_EQ(Nginx("Zm9vYg", &ok), "foob");
  EXPECT_TRUE(ok);
  // Stops at the first '=': padding and anything after it are ignored.
  EXPECT_EQ(Nginx("Zm9vYg==", &ok), "foob");
  EXPECT_TRUE(ok);
  EXPECT_EQ(Nginx("Zm9vYg=garbage!", &ok), "foob");
  EXPECT_TRUE(ok);
  // Unused low bits are ignored: "Zh" decodes like "Zg".
  EXPECT_EQ(Nginx("Zh", &ok), "f");
  EXPECT_TRUE(ok);
  // The URL alphabet only, and never 1 mod 4 characters.
  (void)Nginx("Zm+v", &ok);
  EXPECT_FALSE(ok);
  (void)Nginx("Zm/v", &ok);
  EXPECT_FALSE(ok);
  (void)Nginx("Zm9vY", &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(Nginx("-_-_", &ok), std::string("\xfb\xff\xbf", 3));
  EXPECT_TRUE(ok);
  EXPECT_EQ(Nginx("", &ok), "");
  EXPECT_TRUE(ok);
}

TEST(CloudFrontBase64, AlphabetAndPadding) {
  const std::string bytes("\xfb\xff\xbf\x01", 4);
  const std::string enc = EncodeCloudFrontBase64(bytes);
  EXPECT_EQ(enc, "-~-~AQ__");
  bool ok;
  EXPECT_EQ(CloudFront(enc, &ok), bytes);
  EXPECT_TRUE(ok);
  for (const char* bad : {"-~-~AQ", "-~-~AQ_", "-~-~AQ___", "+/+/", "-~-~AR__",
                          "A___", "-~_~", "-~-~A"}) {
    (void)CloudFront(bad, &ok);
    EXPECT_FALSE(ok) << bad;
  }
}

TEST(StdBase64, PaddingRequiredPercentAccepted) {
  bool ok;
  EXPECT_EQ(Std("+/+/", &ok), std::string("\xfb\xff\xbf", 3));
  EXPECT_TRUE(ok);
  EXPECT_EQ(Std("%2B%2f%2B/AQ%3D%3d", &ok), std::string("\xfb\xff\xbf\x01", 4));
  EXPECT_TRUE(ok);
  EXPECT_EQ(EncodeStdBase64("\x01"), "AQ==");
  for (const char* bad :
       {"AQ", "AQ=", "-_-_", "AR==", "%41Q==", "AQ%3", "%zz"}) {
    (void)Std(bad, &ok);
    EXPECT_FALSE(ok) << bad;
  }
}

TEST(Decoders, RespectCapacity) {
  uint8_t out[2];
  size_t len;
  EXPECT_FALSE(DecodeNginxBase64Url("Zm9v", out, sizeof(out), &len));
  EXPECT_FALSE(DecodeCloudFrontBase64("Zm9v", out, sizeof(out), &len));
  EXPECT_FALSE(DecodeStdBase64("Zm9v", out, sizeof(out), &len));
  EXPECT_FALSE(DecodeHex("aabbcc", out, sizeof(out), &len));
  EXPECT_FALSE(DecodeBase64UrlStrict("Zm9v", out, sizeof(out), &len));
}

TEST(Hex, BothCasesOnly) {
  uint8_t out[4];
  size_t len;
  ASSERT_TRUE(DecodeHex("0aFf", out, sizeof(out), &len));
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(out[0], 0x0a);
  EXPECT_EQ(out[1], 0xff);
  EXPECT_EQ(EncodeHex("\x0a\xff"), "0aff");
  for (const char* bad : {"0", "0g", "g0", " 0", "0x"}) {
    EXPECT_FALSE(DecodeHex(bad, out, sizeof(out), &len)) << bad;
  }
}

TEST(Query, FirstMatchRawValue) {
  std::string_view v;
  ASSERT_TRUE(FindQueryArg("a=1&md5=x%2B&md5=2", "md5", false, &v));
  EXPECT_EQ(v, "x%2B");
  ASSERT_TRUE(FindQueryArg("md5=", "md5", false, &v));
  EXPECT_EQ(v, "");
  EXPECT_FALSE(FindQueryArg("xmd5=1&md=2&md5", "md5", false, &v));
  EXPECT_FALSE(FindQueryArg("", "md5", false, &v));
  EXPECT_FALSE(FindQueryArg("MD5=1", "md5", false, &v));
  // nginx's $arg_name ignores case.
  ASSERT_TRUE(FindQueryArg("MD5=1&md5=2", "md5", true, &v));
  EXPECT_EQ(v, "1");
  ASSERT_TRUE(FindQueryArg("&&md5=3&", "md5", true, &v));
  EXPECT_EQ(v, "3");
}

TEST(Cookie, NamesValuesAndQuotes) {
  std::string_view v;
  ASSERT_TRUE(FindCookie("a=1; __token__=exp=1~hmac=ab; b=2", "__token__", &v));
  EXPECT_EQ(v, "exp=1~hmac=ab");
  ASSERT_TRUE(FindCookie("x=\"quoted\"", "x", &v));
  EXPECT_EQ(v, "quoted");
  ASSERT_TRUE(FindCookie("x=", "x", &v));
  EXPECT_EQ(v, "");
  EXPECT_FALSE(FindCookie("ax=1; xa=2", "x", &v));
  EXPECT_FALSE(FindCookie("", "x", &v));
  EXPECT_FALSE(FindCookie("X=1", "x", &v));
}

TEST(Times, NginxAndCanonical) {
  int64_t t;
  ASSERT_TRUE(ParseNginxTime("0012", &t));
  EXPECT_EQ(t, 12);
  ASSERT_TRUE(ParseNginxTime("9223372036854775807", &t));
  EXPECT_EQ(t, INT64_MAX);
  for (const char* bad : {"", "9223372036854775808", "-1", "+1", "1 ", "1a"}) {
    EXPECT_FALSE(ParseNginxTime(bad, &t)) << bad;
  }
  ASSERT_TRUE(ParseEpoch("0", &t));
  EXPECT_EQ(t, 0);
  ASSERT_TRUE(ParseEpoch("1700000000", &t));
  EXPECT_EQ(t, 1700000000);
  for (const char* bad :
       {"", "01", "-1", "1e9", "1.0", "1234567890123", " 1"}) {
    EXPECT_FALSE(ParseEpoch(bad, &t)) << bad;
  }
}

TEST(Glob, StarAndQuestionMark) {
  EXPECT_TRUE(GlobMatch("/videos/*", "/videos/a/b.mp4"));
  EXPECT_TRUE(GlobMatch("/videos/*", "/videos/"));
  EXPECT_FALSE(GlobMatch("/videos/*", "/videos"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_TRUE(GlobMatch("/seg?.ts", "/seg1.ts"));
  EXPECT_FALSE(GlobMatch("/seg?.ts", "/seg12.ts"));
  EXPECT_FALSE(GlobMatch("/seg?.ts", "/seg.ts"));
  EXPECT_TRUE(GlobMatch("/a/*/b/*.m3u8", "/a/x/y/b/z.m3u8"));
  EXPECT_TRUE(GlobMatch("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaab"));
  EXPECT_FALSE(GlobMatch("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaa"));
  EXPECT_TRUE(GlobMatch("/exact", "/exact"));
  EXPECT_FALSE(GlobMatch("/exact", "/exact2"));
}

TEST(Cidr, V4AndV6) {
  IpAddress ip;
  bool valid;
  ASSERT_TRUE(ParseIp("192.0.2.10", &ip));
  EXPECT_TRUE(CidrContains("192.0.2.0/24", ip, &valid));
  EXPECT_TRUE(valid);
  EXPECT_TRUE(CidrContains("192.0.2.10", ip, &valid));
  EXPECT_TRUE(CidrContains("192.0.2.8/29", ip, &valid));
  EXPECT_FALSE(CidrContains("192.0.2.0/29", ip, &valid));
  EXPECT_TRUE(CidrContains("0.0.0.0/0", ip, &valid));
  EXPECT_FALSE(CidrContains("2001:db8::/32", ip, &valid));
  EXPECT_TRUE(valid);
  ASSERT_TRUE(ParseIp("2001:db8::1", &ip));
  EXPECT_TRUE(CidrContains("2001:db8::/32", ip, &valid));
  EXPECT_FALSE(CidrContains("2001:db8::/128", ip, &valid));
  for (const char* bad : {"192.0.2.0/33", "192.0.2.0/", "/8", "x/8", "1.2.3/8",
                          "192.0.2.0/2a", "2001:db8::/129", ""}) {
    EXPECT_FALSE(CidrContains(bad, ip, &valid)) << bad;
    EXPECT_FALSE(valid) << bad;
  }
  EXPECT_FALSE(ParseIp("", &ip));
  EXPECT_FALSE(ParseIp("1.2.3.4 ", &ip));
  EXPECT_FALSE(ParseIp(std::string(80, '1'), &ip));
}

TEST(TemplateTest, ExpandsAndRefusesUnknown) {
  static constexpr VarName kNames[] = {{"uri", Var::kPath},
                                       {"secure_link_expires", Var::kExpires},
                                       {"remote_addr", Var::kIp}};
  auto t =
      Template::Parse("$secure_link_expires${uri}x$remote_addr secret", kNames);
  ASSERT_TRUE(t.ok()) << t.status();
  Template::Values v;
  v.expires = "12";
  v.path = "/p";
  v.ip = "1.2.3.4";
  StackBuffer out;
  ASSERT_TRUE(t->Expand(v, &out));
  EXPECT_EQ(out.view(), "12/px1.2.3.4 secret");
  EXPECT_TRUE(t->Uses(Var::kIp));
  EXPECT_FALSE(t->Uses(Var::kQuery));
  for (const char* bad : {"$uri2", "${uri", "$", "a$ b", "${}", "$args"}) {
    EXPECT_FALSE(Template::Parse(bad, kNames).ok()) << bad;
  }
}

TEST(StackBufferTest, RefusesOverflow) {
  StackBuffer b;
  const std::string big(kMaxRebuiltSize, 'x');
  EXPECT_TRUE(b.Append(big));
  EXPECT_FALSE(b.Append('y'));
  EXPECT_EQ(b.size(), kMaxRebuiltSize);
}

TEST(EscapeEarly, MatchesNodeSigner) {
  StackBuffer b;
  ASSERT_TRUE(AppendEscapedEarly("/a b~'*!()._-Zü", &b));
  EXPECT_EQ(b.view(), "%2fa%20b%7e%27%2a!()._-Z%c3%bc");
}

}  // namespace
}  // namespace edgekit::signed_url::internal
