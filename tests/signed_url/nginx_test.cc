// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// nginx secure_link, both modes, against hand-checked vectors (made with the
// openssl CLI, see the comments) and every malformed shape. Agreement with
// the real nginx is nginx_interop_test's job.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace edgekit::signed_url {
namespace {

// printf '%s' "4102444800/ok secret" | openssl md5 -binary | openssl base64 |
//   tr +/ -_ | tr -d =
constexpr char kHash[] = "uAoAeu4ifJQlL6UaQLYXCA";
constexpr int64_t kExpires = 4102444800;

edgekit_status Core(std::string_view link, int64_t now = 1700000000,
                    Result* r = nullptr) {
  return VerifyNginxSecureLinkMd5(link, "4102444800/ok secret", now, r);
}

TEST(NginxMd5Core, ValidLink) {
  Result r;
  EXPECT_EQ(Core(std::string(kHash) + ",4102444800", 1700000000, &r),
            EDGEKIT_OK);
  EXPECT_EQ(r.expires_s, kExpires);
}

TEST(NginxMd5Core, ExpiryBoundaryIsInclusive) {
  const std::string link = std::string(kHash) + ",4102444800";
  EXPECT_EQ(Core(link, kExpires), EDGEKIT_OK);  // nginx: expires < now
  EXPECT_EQ(Core(link, kExpires + 1), EDGEKIT_E_EXPIRED);
}

TEST(NginxMd5Core, NoExpiry) {
  const std::string hash = "hjJD7notbkx_O18HqkdrMw";  // md5("/ok secret")
  EXPECT_EQ(VerifyNginxSecureLinkMd5(hash, "/ok secret", INT64_MAX, nullptr),
            EDGEKIT_OK);
}

TEST(NginxMd5Core, LenientBase64LikeNginx) {
  // Padding, text after '=', and unused low bits are all ignored by nginx.
  EXPECT_EQ(Core(std::string(kHash) + "==,4102444800"), EDGEKIT_OK);
  EXPECT_EQ(Core(std::string(kHash) + "=x,4102444800"), EDGEKIT_OK);
  std::string low_bits = kHash;
  low_bits.back() = 'B';  // 'A' and 'B' differ only in unused bits
  EXPECT_EQ(Core(low_bits + ",4102444800"), EDGEKIT_OK);
}

TEST(NginxMd5Core, EveryFailureShape) {
  const std::string h = kHash;
  struct Case {
    std::string link;
    edgekit_status want;
  } cases[] = {
      {"", EDGEKIT_E_NO_TOKEN},
      {",4102444800", EDGEKIT_E_NO_TOKEN},
      {h + ",", EDGEKIT_E_NO_TOKEN},
      {h + ",0", EDGEKIT_E_NO_TOKEN},
      {h + ",-1", EDGEKIT_E_NO_TOKEN},
      {h + ",41024448OO", EDGEKIT_E_NO_TOKEN},
      {h + ",4102444800,", EDGEKIT_E_NO_TOKEN},
      {h + ",99999999999999999999", EDGEKIT_E_NO_TOKEN},
      {h + "AAA,4102444800", EDGEKIT_E_MALFORMED},             // 25 characters
      {h.substr(0, 21) + ",4102444800", EDGEKIT_E_MALFORMED},  // 1 mod 4
      {h + "A,4102444800", EDGEKIT_E_MALFORMED},               // 17 bytes
      {h.substr(0, 20) + ",4102444800", EDGEKIT_E_MALFORMED},  // 15 bytes
      {"uAoAeu4ifJQlL6UaQLYX+A,4102444800", EDGEKIT_E_MALFORMED},
      {"uAoAeu4ifJQlL6UaQLYXCB==,4102444800", EDGEKIT_OK},
      {"uAoAeu4ifJQlL6UaQLYXDA,4102444800", EDGEKIT_E_BAD_SIGNATURE},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Core(c.link), c.want) << c.link;
  }
}

TEST(NginxMd5Core, BadHashIsReportedBeforeExpiry) {
  // nginx only says "expired" for a link whose hash matched.
  EXPECT_EQ(Core("uAoAeu4ifJQlL6UaQLYXDA,4102444800", kExpires + 10),
            EDGEKIT_E_BAD_SIGNATURE);
}

TEST(NginxMd5Verifier, TemplateAndArguments) {
  NginxMd5Options o;
  o.message = "$secure_link_expires$uri$remote_addr secret";
  auto v = NewNginxMd5Verifier(o);
  ASSERT_TRUE(v.ok()) << v.status();
  // printf '%s' "4102444800/s/f.txt127.0.0.1 secret" | openssl md5 -binary |
  //   openssl base64 | tr +/ -_ | tr -d =
  const std::string hash = "VigdHMMeWXwnfjJ37mwT3A";
  Request req;
  req.path = "/s/f.txt";
  req.client_ip = "127.0.0.1";
  req.now_s = 1700000000;
  const std::string q = "md5=" + hash + "&expires=4102444800";
  req.query = q;
  Result r;
  EXPECT_EQ((*v)->Verify(req, &r), EDGEKIT_OK);
  EXPECT_EQ(r.expires_s, kExpires);
  const std::string upper = "MD5=" + hash + "&Expires=4102444800";
  req.query = upper;  // $arg_name ignores case
  EXPECT_EQ((*v)->Verify(req, &r), EDGEKIT_OK);
  req.query = q;
  req.client_ip = "127.0.0.2";
  EXPECT_EQ((*v)->Verify(req, &r), EDGEKIT_E_BAD_SIGNATURE);
  req.client_ip = "127.0.0.1";
  req.now_s = kExpires + 1;
  EXPECT_EQ((*v)->Verify(req, &r), EDGEKIT_E_EXPIRED);
  const std::string no_expires = "md5=" + hash;
  req.query = no_expires;
  EXPECT_EQ((*v)->Verify(req, &r), EDGEKIT_E_NO_TOKEN);
  req.query = "";
  EXPECT_EQ((*v)->Verify(req, &r), EDGEKIT_E_NO_TOKEN);
}

TEST(NginxMd5Verifier, RefusesBadConfig) {
  NginxMd5Options o;
  EXPECT_FALSE(NewNginxMd5Verifier(o).ok());
  o.message = "$host secret";
  EXPECT_FALSE(NewNginxMd5Verifier(o).ok());
  o.message = "$uri secret";
  o.hash_arg = "";
  EXPECT_FALSE(NewNginxMd5Verifier(o).ok());
}

TEST(NginxMd5Verifier, MessageTooLongIsMalformed) {
  NginxMd5Options o;
  o.message = "$uri$uri secret";
  auto v = NewNginxMd5Verifier(o);
  ASSERT_TRUE(v.ok());
  const std::string path(kMaxRebuiltSize / 2 + 1, 'a');
  Request req;
  req.path = path;
  req.query = "md5=uAoAeu4ifJQlL6UaQLYXCA&expires=1";
  EXPECT_EQ((*v)->Verify(req, nullptr), EDGEKIT_E_MALFORMED);
}

class NginxSecret : public ::testing::Test {
 protected:
  void SetUp() override {
    auto v = NewNginxSecretVerifier("word");
    ASSERT_TRUE(v.ok());
    verifier_ = *std::move(v);
  }
  edgekit_status Check(std::string_view uri, Result* r = nullptr) {
    Request req;
    req.path = uri;
    return verifier_->Verify(req, r);
  }
  std::unique_ptr<Verifier> verifier_;
};

// printf '%s' "f.txtword" | openssl md5  → d4ccbd8a4a442d9c39af403e525cae0f
TEST_F(NginxSecret, ValidAndCaseOfHex) {
  Result r;
  EXPECT_EQ(Check("/p/d4ccbd8a4a442d9c39af403e525cae0f/f.txt", &r), EDGEKIT_OK);
  EXPECT_EQ(r.scope, "f.txt");
  EXPECT_EQ(Check("/p/D4CCBD8A4A442D9C39AF403E525CAE0F/f.txt"), EDGEKIT_OK);
  // The prefix is the location's business, not the module's.
  EXPECT_EQ(Check("/other/d4ccbd8a4a442d9c39af403e525cae0f/f.txt"), EDGEKIT_OK);
}

TEST_F(NginxSecret, EveryFailureShape) {
  const struct {
    const char* uri;
    edgekit_status want;
  } cases[] = {
      {"", EDGEKIT_E_NO_TOKEN},
      {"/", EDGEKIT_E_NO_TOKEN},
      {"/p", EDGEKIT_E_NO_TOKEN},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0f", EDGEKIT_E_NO_TOKEN},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0f/", EDGEKIT_E_MALFORMED},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0/f.txt", EDGEKIT_E_MALFORMED},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0f6/f.txt", EDGEKIT_E_MALFORMED},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0g/f.txt", EDGEKIT_E_MALFORMED},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0e/f.txt", EDGEKIT_E_BAD_SIGNATURE},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0f/f.txt?a=1",
       EDGEKIT_E_BAD_SIGNATURE},
      {"/p/d4ccbd8a4a442d9c39af403e525cae0f/g.txt", EDGEKIT_E_BAD_SIGNATURE},
  };
  for (const auto& c : cases) EXPECT_EQ(Check(c.uri), c.want) << c.uri;
}

}  // namespace
}  // namespace edgekit::signed_url
