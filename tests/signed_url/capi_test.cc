// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The C ABI of signed URLs: option structs (zero means default, sizes from
// older and newer callers), NULL handling, results that point into the
// request, and a caller written in C.

#include <cstring>
#include <string>

#include "edgekit.h"
#include "gtest/gtest.h"

extern "C" int edgekit_test_signed_url_from_c(void);

namespace {

TEST(SignedUrlCApi, CallerInC) {
  EXPECT_EQ(edgekit_test_signed_url_from_c(), EDGEKIT_OK);
}

TEST(SignedUrlCApi, StatusNames) {
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_NO_TOKEN), "no_token");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_IP_MISMATCH), "ip_mismatch");
  EXPECT_STREQ(edgekit_status_name(EDGEKIT_E_PATH_MISMATCH), "path_mismatch");
  EXPECT_EQ(EDGEKIT_E_NO_TOKEN, 200);
  EXPECT_EQ(EDGEKIT_E_IP_MISMATCH, 201);
  EXPECT_EQ(EDGEKIT_E_PATH_MISMATCH, 202);
}

TEST(SignedUrlCApi, NullsAndSizes) {
  edgekit_url_verifier* v = reinterpret_cast<edgekit_url_verifier*>(1);
  EXPECT_EQ(edgekit_url_verifier_new_nginx_secret(&v, nullptr),
            EDGEKIT_E_INVALID_ARGUMENT);
  EXPECT_EQ(v, nullptr);
  edgekit_nginx_secret_options o = {};
  EXPECT_EQ(edgekit_url_verifier_new_nginx_secret(&v, &o),
            EDGEKIT_E_INVALID_ARGUMENT);  // struct_size 0
  EXPECT_EQ(edgekit_url_verifier_new_nginx_secret(nullptr, &o),
            EDGEKIT_E_INVALID_ARGUMENT);
  edgekit_url_verifier_free(nullptr);

  // A newer caller's larger struct is fine while its extra bytes are zero.
  struct Bigger {
    edgekit_nginx_secret_options o;
    uint64_t future;
  } big = {};
  big.o.struct_size = sizeof big;
  big.o.secret = "word";
  big.o.secret_len = 4;
  ASSERT_EQ(edgekit_url_verifier_new_nginx_secret(&v, &big.o), EDGEKIT_OK);
  edgekit_url_verifier_free(v);
  big.future = 1;
  EXPECT_EQ(edgekit_url_verifier_new_nginx_secret(&v, &big.o),
            EDGEKIT_E_INVALID_ARGUMENT);

  edgekit_url_request req = {};
  EXPECT_EQ(edgekit_url_verify(nullptr, nullptr, &req),
            EDGEKIT_E_INVALID_ARGUMENT);
}

TEST(SignedUrlCApi, ZeroMeansDefault) {
  // Akamai with only a key: SHA-256, "__token__", all sources, '~' and '!'.
  edgekit_akamai_options o = {};
  o.struct_size = sizeof o;
  const char key[] = "52a152a152a152a152a152a152a1";
  o.key_hex = "5";  // odd-length hex
  o.key_hex_len = 1;
  edgekit_url_verifier* v = nullptr;
  EXPECT_EQ(edgekit_url_verifier_new_akamai(&v, &o), EDGEKIT_E_BAD_KEY);
  o.key_hex = key;
  o.key_hex_len = sizeof key - 1;
  ASSERT_EQ(edgekit_url_verifier_new_akamai(&v, &o), EDGEKIT_OK);
  // Made by akamai-edgeauth (see data/akamai_vectors.json, "acl_sha256").
  const std::string query =
      "__token__=st=1700000000~exp=1700003600~acl=/videos/*~hmac="
      "93796160e1c61d2f68595528dfda0d65e2f4ecc1c9a15322800be5200dca73c4";
  edgekit_url_request req = {};
  req.struct_size = sizeof req;
  req.path = "/videos/a.mp4";
  req.path_len = std::strlen(req.path);
  req.query = query.data();
  req.query_len = query.size();
  req.now_s = 1700000010;
  edgekit_url_result res = {};
  res.struct_size = sizeof res;
  EXPECT_EQ(edgekit_url_verify(v, &res, &req), EDGEKIT_OK);
  EXPECT_EQ(res.expires_s, 1700003600);
  EXPECT_EQ(res.starts_s, 1700000000);
  ASSERT_EQ(res.scope_len, 9u);
  EXPECT_EQ(std::string(res.scope, res.scope_len), "/videos/*");
  EXPECT_GE(res.scope, query.data());
  EXPECT_EQ(res.identity, nullptr);

  // An older caller's smaller result struct is written only as far as it
  // reaches.
  struct {
    size_t struct_size;
    int64_t expires_s;
    uint64_t canary;
  } old_result = {offsetof(edgekit_url_result, starts_s), 0, 0x5a5a};
  EXPECT_EQ(edgekit_url_verify(
                v, reinterpret_cast<edgekit_url_result*>(&old_result), &req),
            EDGEKIT_OK);
  EXPECT_EQ(old_result.expires_s, 1700003600);
  EXPECT_EQ(old_result.canary, 0x5a5au);
  edgekit_url_verifier_free(v);

  // A C caller can store any int in the enum; C++ may not cast one in.
  const int bad_hash = 99;
  std::memcpy(&o.hash, &bad_hash, sizeof bad_hash);
  EXPECT_EQ(edgekit_url_verifier_new_akamai(&v, &o),
            EDGEKIT_E_INVALID_ARGUMENT);
}

TEST(SignedUrlCApi, EveryDialectBuilds) {
  edgekit_url_verifier* v = nullptr;
  edgekit_nginx_md5_options md5 = {};
  md5.struct_size = sizeof md5;
  EXPECT_EQ(edgekit_url_verifier_new_nginx_md5(&v, &md5),
            EDGEKIT_E_INVALID_ARGUMENT);  // the message is required
  md5.message = "$uri secret";
  md5.message_len = std::strlen(md5.message);
  ASSERT_EQ(edgekit_url_verifier_new_nginx_md5(&v, &md5), EDGEKIT_OK);
  edgekit_url_verifier_free(v);

  edgekit_cloudfront_options cf = {};
  cf.struct_size = sizeof cf;
  EXPECT_EQ(edgekit_url_verifier_new_cloudfront(&v, &cf),
            EDGEKIT_E_INVALID_ARGUMENT);
  edgekit_cloudfront_key key = {"K", 1, "junk", 4};
  cf.keys = &key;
  cf.num_keys = 1;
  EXPECT_EQ(edgekit_url_verifier_new_cloudfront(&v, &cf), EDGEKIT_E_BAD_KEY);

  edgekit_timed_hmac_options t = {};
  t.struct_size = sizeof t;
  EXPECT_EQ(edgekit_url_verifier_new_timed_hmac(&v, &t),
            EDGEKIT_E_BAD_KEY);  // no secret
  const uint8_t secret[] = {1, 2, 3};
  t.secret = secret;
  t.secret_len = sizeof secret;
  ASSERT_EQ(edgekit_url_verifier_new_timed_hmac(&v, &t), EDGEKIT_OK);
  edgekit_url_request req = {};
  req.struct_size = sizeof req;
  EXPECT_EQ(edgekit_url_verify(v, nullptr, &req), EDGEKIT_E_NO_TOKEN);
  edgekit_url_verifier_free(v);
  const int bad_encoding = 7;
  std::memcpy(&t.encoding, &bad_encoding, sizeof bad_encoding);
  EXPECT_EQ(edgekit_url_verifier_new_timed_hmac(&v, &t),
            EDGEKIT_E_INVALID_ARGUMENT);
}

TEST(SignedUrlCApi, StandaloneNginxCore) {
  edgekit_url_result res = {};
  res.struct_size = sizeof res;
  const char link[] = "uAoAeu4ifJQlL6UaQLYXCA,4102444800";
  const char msg[] = "4102444800/ok secret";
  EXPECT_EQ(edgekit_nginx_secure_link_md5(&res, link, sizeof link - 1, msg,
                                          sizeof msg - 1, 1700000000),
            EDGEKIT_OK);
  EXPECT_EQ(res.expires_s, 4102444800);
  EXPECT_EQ(edgekit_nginx_secure_link_md5(nullptr, nullptr, 0, nullptr, 0, 0),
            EDGEKIT_E_NO_TOKEN);
}

}  // namespace
