// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit url verify` (tools/url_cmd.cc), driven through UrlMain: one valid
// and one refused link per scheme, the output convention, usage errors.

#include "url_cmd.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "test_util.h"

namespace edgekit::cli {
namespace {

struct Outcome {
  int code;
  std::string out, err;
};

Outcome RunUrl(std::vector<std::string> args) {
  args.insert(args.begin(), "url");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int code = UrlMain(static_cast<int>(argv.size()), argv.data());
  Outcome o{code, ::testing::internal::GetCapturedStdout(),
            ::testing::internal::GetCapturedStderr()};
  return o;
}

TEST(UrlCmd, NginxMd5) {
  const std::vector<std::string> base = {
      "verify",
      "--scheme",
      "nginx-md5",
      "--message",
      "$secure_link_expires$uri$remote_addr secret",
      "--ip",
      "127.0.0.1",
      "--now",
      "1700000000"};
  auto args = base;
  args.insert(
      args.end(),
      {"--url", "/s/f.txt?md5=VigdHMMeWXwnfjJ37mwT3A&expires=4102444800"});
  Outcome o = RunUrl(args);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(
      o.out,
      "{\"expires\":4102444800,\"scheme\":\"nginx-md5\",\"status\":\"ok\"}\n");
  args = base;
  args.insert(
      args.end(),
      {"--url", "/s/g.txt?md5=VigdHMMeWXwnfjJ37mwT3A&expires=4102444800"});
  o = RunUrl(args);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "bad_signature\n");
  EXPECT_EQ(o.out, "");
}

TEST(UrlCmd, NginxSecret) {
  Outcome o = RunUrl({"verify", "--scheme", "nginx-secret", "--secret", "word",
                      "--path", "/p/d4ccbd8a4a442d9c39af403e525cae0f/f.txt"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(
      o.out,
      "{\"scheme\":\"nginx-secret\",\"scope\":\"f.txt\",\"status\":\"ok\"}\n");
  o = RunUrl({"verify", "--scheme", "nginx-secret", "--secret", "other",
              "--path", "/p/d4ccbd8a4a442d9c39af403e525cae0f/f.txt"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "bad_signature\n");
}

TEST(UrlCmd, Akamai) {
  const std::string token =
      "st=1700000000~exp=1700003600~acl=/videos/*~hmac="
      "93796160e1c61d2f68595528dfda0d65e2f4ecc1c9a15322800be5200dca73c4";
  Outcome o = RunUrl({"verify", "--scheme", "akamai", "--key",
                      "52a152a152a152a152a152a152a1", "--path", "/videos/x",
                      "--header", token, "--now", "1700000010"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(
      o.out,
      "{\"expires\":1700003600,\"scheme\":\"akamai\",\"scope\":\"/videos/*\","
      "\"starts\":1700000000,\"status\":\"ok\"}\n");
  o = RunUrl({"verify", "--scheme", "akamai", "--key",
              "52a152a152a152a152a152a152a1", "--path", "/videos/x", "--cookie",
              "__token__=" + token, "--now", "1700003600"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "expired\n");
}

TEST(UrlCmd, CloudFront) {
  const std::string pem =
      signed_url::testing::DataPath("cloudfront_rsa_public.pem");
  // From data/cloudfront_vectors.json, "canned_k_rsa_sha1".
  const std::string url =
      "https://d111111abcdef8.cloudfront.net/private/video.mp4?Expires="
      "1700003600&Key-Pair-Id=K_RSA&Signature="
      "j9QkJmoKQYeoTjAp8L5x7EQw8i93z2oZeJ"
      "fHJkL1kJg5CNJ3zAEG1NiOjVZPE-fA6FVSKMrQO5BpzYZuRtr3N~ADdHjIijfp3UC9SEx64U"
      "HIDIRR8~gzYALXQAAZ27Etl2UR8gbso5-LB5WRDuH-lMb2on6p5y6~2Ey88jCdiPDHDvFcx"
      "L5512Nz1Kj0F0-X0U5yq~1QrCvLyYtpXtN2dMhHTppfhmzsjaOPPJS-D7IPZx~FgiH0TH4F"
      "Xt8EvorJkGQK9FDLhI7xSvKkIXmBXC8uo7G1dHUy3ufVIsK5VUNYoAF98dyUguJQKzgHnVY"
      "CGKnqYdl1smQUHdhs0jla7g__";
  Outcome o = RunUrl({"verify", "--scheme", "cloudfront", "--key-pair",
                      "K_RSA=" + pem, "--url", url, "--now", "1700000010"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out,
            "{\"expires\":1700003600,\"identity\":\"K_RSA\",\"scheme\":"
            "\"cloudfront\",\"status\":\"ok\"}\n");
  o = RunUrl({"verify", "--scheme", "cloudfront", "--key-pair",
              "K_OTHER=" + pem, "--url", url, "--now", "1700000010"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "key_not_found\n");
}

TEST(UrlCmd, TimedHmac) {
  Outcome o = RunUrl(
      {"verify", "--scheme", "hmac", "--secret-base64",
       "iqFPQTVaFg7bVQrnMzKlxQ==", "--algorithm", "sha1", "--separator", "_",
       "--url",
       "/foo/"
       "bar.html?token=1700003600_a69187b0c6bff2d3e303f59de378a477a971d9f3",
       "--now", "1700000000"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out,
            "{\"expires\":1700003600,\"scheme\":\"hmac\",\"status\":\"ok\"}\n");
  o = RunUrl({"verify", "--scheme", "hmac", "--secret", "x", "--url", "/p"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "no_token\n");
}

TEST(UrlCmd, UsageErrors) {
  EXPECT_EQ(RunUrl({}).code, 2);
  EXPECT_EQ(RunUrl({"sign"}).code, 2);
  EXPECT_EQ(RunUrl({"verify"}).code, 2);
  EXPECT_EQ(RunUrl({"verify", "--scheme", "jwt"}).code, 2);
  EXPECT_EQ(RunUrl({"verify", "--scheme", "akamai"}).code, 2);  // no key
  EXPECT_EQ(RunUrl({"verify", "--scheme", "nginx-md5", "--message"}).code, 2);
  EXPECT_EQ(
      RunUrl({"verify", "--scheme", "hmac", "--secret", "x", "--bogus", "1"})
          .code,
      2);
  EXPECT_EQ(
      RunUrl({"verify", "--scheme", "hmac", "--secret", "x", "--now", "soon"})
          .code,
      2);
  EXPECT_EQ(RunUrl({"verify", "--scheme", "cloudfront", "--key-pair",
                    "K=/nonexistent.pem"})
                .code,
            2);
  const Outcome help = RunUrl({"verify", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("nginx-secret"), std::string::npos);
}

}  // namespace
}  // namespace edgekit::cli
