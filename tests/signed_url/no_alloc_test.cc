// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The request path does not allocate: operator new is counted while each
// dialect verifies a link. The one documented
// exception is a CloudFront custom policy, whose JSON is parsed by picojson.

#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "gtest/gtest.h"
#include "signed_url/signed_url.h"
#include "test_util.h"

namespace {
int g_counting = 0;
int g_allocations = 0;
}  // namespace

// Every replaceable form that can pair with another, so that a sanitizer
// never sees new from one family freed by the other.
void* operator new(size_t n) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  if (g_counting) ++g_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace edgekit::signed_url {
namespace {

int AllocationsDuring(const Verifier& v, const Request& req,
                      edgekit_status want) {
  Result r;
  g_allocations = 0;
  g_counting = 1;
  const edgekit_status s = v.Verify(req, &r);
  g_counting = 0;
  EXPECT_EQ(s, want);
  return g_allocations;
}

TEST(NoAllocation, NginxAkamaiTimedHmacAndCannedCloudFront) {
  NginxMd5Options n;
  n.message = "$secure_link_expires$uri$remote_addr secret";
  auto nginx = NewNginxMd5Verifier(n);
  Request req;
  req.path = "/s/f.txt";
  req.query = "md5=VigdHMMeWXwnfjJ37mwT3A&expires=4102444800";
  req.client_ip = "127.0.0.1";
  req.now_s = 1700000000;
  EXPECT_EQ(AllocationsDuring(**nginx, req, EDGEKIT_OK), 0);

  auto secret = NewNginxSecretVerifier("word");
  Request sreq;
  sreq.path = "/p/d4ccbd8a4a442d9c39af403e525cae0f/f.txt";
  EXPECT_EQ(AllocationsDuring(**secret, sreq, EDGEKIT_OK), 0);

  AkamaiOptions a;
  a.key_hex = "52a152a152a152a152a152a152a1";
  a.salt = "pepper";
  auto akamai = NewAkamaiVerifier(a);
  Request areq;
  areq.path = "/videos/a.mp4";
  areq.header =
      "st=1700000000~exp=1700003600~hmac="
      "ec05ae9cfe4ce793a7f5325b8a3553dd13a9e9584591ac77299bbf73b503ddf5";
  areq.now_s = 1700000010;
  // A URL token with a salt: the longest rebuilt message Akamai has.
  EXPECT_EQ(AllocationsDuring(**akamai, areq, EDGEKIT_E_BAD_SIGNATURE), 0);

  TimedHmacOptions t;
  t.secret = "topsecret";
  t.message = "$path$expires|$ip";
  t.token_arg = "sig";
  t.expires_arg = "e";
  auto timed = NewTimedHmacVerifier(t);
  Request treq;
  treq.path = "/a/b.mp4";
  treq.query =
      "e=1700003600&sig="
      "136698275a9e768591605e2edce72713c4bb5553767bfdf4f8df5d77e0f7abd1";
  treq.client_ip = "192.0.2.1";
  treq.now_s = 1700000000;
  EXPECT_EQ(AllocationsDuring(**timed, treq, EDGEKIT_OK), 0);

  CloudFrontOptions c;
  c.keys = {{"K_RSA", testing::ReadFile(
                          testing::DataPath("cloudfront_rsa_public.pem"))}};
  auto cloudfront = NewCloudFrontVerifier(c);
  // From data/cloudfront_vectors.json, "canned_k_rsa_sha1".
  Request creq;
  creq.path = "https://d111111abcdef8.cloudfront.net/private/video.mp4";
  creq.query =
      "Expires=1700003600&Key-Pair-Id=K_RSA&Signature=j9QkJmoKQYeoTjAp8L5x7EQw8"
      "i93z2oZeJfHJkL1kJg5CNJ3zAEG1NiOjVZPE-fA6FVSKMrQO5BpzYZuRtr3N~ADdHjIijfp3"
      "UC9SEx64UHIDIRR8~gzYALXQAAZ27Etl2UR8gbso5-LB5WRDuH-lMb2on6p5y6~2Ey88jCdi"
      "PDHDvFcxL5512Nz1Kj0F0-X0U5yq~1QrCvLyYtpXtN2dMhHTppfhmzsjaOPPJS-D7IPZx~Fg"
      "iH0TH4FXt8EvorJkGQK9FDLhI7xSvKkIXmBXC8uo7G1dHUy3ufVIsK5VUNYoAF98dyUguJQK"
      "zgHnVYCGKnqYdl1smQUHdhs0jla7g__";
  creq.now_s = 1700000010;
  // Only C++ allocations are counted: the crypto library's own malloc inside
  // an RSA verify (BN scratch) is its business.
  EXPECT_EQ(AllocationsDuring(**cloudfront, creq, EDGEKIT_OK), 0);
}

}  // namespace
}  // namespace edgekit::signed_url
