// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The timed HMAC dialect configured as the schemes it stands in for. The
// expected MACs were computed independently with Python's hmac/hashlib (the
// one-liner is above each case).

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "signed_url/signed_url.h"
#include "test_util.h"

namespace edgekit::signed_url {
namespace {

std::unique_ptr<Verifier> Make(const TimedHmacOptions& o) {
  auto v = NewTimedHmacVerifier(o);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *std::move(v) : nullptr;
}

edgekit_status Check(const Verifier& v, std::string_view path,
                     std::string_view query, int64_t now,
                     std::string_view ip = "", Result* r = nullptr) {
  Request req;
  req.path = path;
  req.query = query;
  req.now_s = now;
  req.client_ip = ip;
  return v.Verify(req, r);
}

// Fastly token functions: token=<exp>_<hex HMAC-SHA1(b64decode(key), path+exp)>
// hmac.new(b64decode('iqFPQTVaFg7bVQrnMzKlxQ=='), b'/foo/bar.html1700003600',
//          sha1).hexdigest()
TEST(TimedHmac, FastlyStyle) {
  TimedHmacOptions o;
  std::string key;
  ASSERT_TRUE(absl::Base64Unescape("iqFPQTVaFg7bVQrnMzKlxQ==", &key));
  o.secret = key;
  o.hash = crypto::Hash::kSha1;
  o.separator = '_';
  auto v = Make(o);
  const std::string q =
      "token=1700003600_a69187b0c6bff2d3e303f59de378a477a971d9f3";
  Result r;
  EXPECT_EQ(Check(*v, "/foo/bar.html", q, 1700000000, "", &r), EDGEKIT_OK);
  EXPECT_EQ(r.expires_s, 1700003600);
  EXPECT_EQ(Check(*v, "/foo/bar.html", q, 1700003599), EDGEKIT_OK);
  EXPECT_EQ(Check(*v, "/foo/bar.html", q, 1700003600), EDGEKIT_E_EXPIRED);
  EXPECT_EQ(Check(*v, "/foo/baz.html", q, 1700000000), EDGEKIT_E_BAD_SIGNATURE);
}

// Cloudflare is_timed_hmac_valid_v0 style: verify=<issued>-<base64 MAC>, TTL.
// base64(hmac.new(b'mysecretkey', b'/download/cat.jpg1700000000',
//                 sha256).digest())
TEST(TimedHmac, CloudflareStyleWithTtl) {
  TimedHmacOptions o;
  o.secret = "mysecretkey";
  o.encoding = Encoding::kBase64;
  o.token_arg = "verify";
  o.separator = '-';
  o.ttl_s = 3600;
  auto v = Make(o);
  const std::string q =
      "verify=1700000000-6kO5YMXvQpou4HIz%2B3vjA0xjDVX%2BQfSMOWAGNgmNXvU%3D";
  Result r;
  EXPECT_EQ(Check(*v, "/download/cat.jpg", q, 1700000000, "", &r), EDGEKIT_OK);
  EXPECT_EQ(r.starts_s, 1700000000);
  EXPECT_EQ(r.expires_s, 1700003600);
  EXPECT_EQ(Check(*v, "/download/cat.jpg",
                  "verify=1700000000-6kO5YMXvQpou4HIz+3vjA0xjDVX+"
                  "QfSMOWAGNgmNXvU=",
                  1700000000),
            EDGEKIT_OK);
  EXPECT_EQ(Check(*v, "/download/cat.jpg", q, 1700003599), EDGEKIT_OK);
  EXPECT_EQ(Check(*v, "/download/cat.jpg", q, 1700003600), EDGEKIT_E_EXPIRED);
  EXPECT_EQ(Check(*v, "/download/cat.jpg", q, 1699999999),
            EDGEKIT_E_NOT_YET_VALID);
}

// Bunny basic (MD5, no HMAC): b64url(md5(key + path + expires)), no padding.
// urlsafe_b64encode(md5(b'229248f0-f007-4bf9-ba1f-bbf1b4ad9d40/300kb.jpg'
//                       b'1700003600').digest()).rstrip(b'=')
TEST(TimedHmac, BunnyBasicPlainDigest) {
  TimedHmacOptions o;
  o.secret = "229248f0-f007-4bf9-ba1f-bbf1b4ad9d40";
  o.hash = crypto::Hash::kMd5;
  o.encoding = Encoding::kBase64Url;
  o.plain_digest = true;
  o.message = "$secret$path$expires";
  auto v = Make(o);
  EXPECT_EQ(
      Check(*v, "/300kb.jpg", "token=IBbJefiLKlR5x8XBbZ4CIw&expires=1700003600",
            1700000000),
      EDGEKIT_OK);
  EXPECT_EQ(
      Check(*v, "/300kb.jpg", "token=IBbJefiLKlR5x8XBbZ4CIw&expires=1700003601",
            1700000000),
      EDGEKIT_E_BAD_SIGNATURE);
}

// A home-made scheme bound to the client IP, hex HMAC-SHA256.
// hmac.new(b'topsecret', b'/a/b.mp41700003600|192.0.2.1', sha256).hexdigest()
TEST(TimedHmac, HomeMadeWithIp) {
  TimedHmacOptions o;
  o.secret = "topsecret";
  o.message = "$path$expires|$ip";
  o.token_arg = "sig";
  o.expires_arg = "e";
  auto v = Make(o);
  const std::string q =
      "e=1700003600&sig="
      "136698275a9e768591605e2edce72713c4bb5553767bfdf4f8df5d77e0f7abd1";
  EXPECT_EQ(Check(*v, "/a/b.mp4", q, 1700000000, "192.0.2.1"), EDGEKIT_OK);
  EXPECT_EQ(Check(*v, "/a/b.mp4", q, 1700000000, "192.0.2.2"),
            EDGEKIT_E_BAD_SIGNATURE);
}

// A prefixed, base64url SHA-512 MAC (Bunny's "HS256-" shape, longer hash).
// urlsafe_b64encode(hmac.new(b'k', b'/x1700003600', sha512).digest())
TEST(TimedHmac, PrefixedBase64UrlSha512) {
  TimedHmacOptions o;
  o.secret = "k";
  o.hash = crypto::Hash::kSha512;
  o.encoding = Encoding::kBase64Url;
  o.prefix = "HS512-";
  auto v = Make(o);
  const std::string mac =
      "kE9H_zsPnRTT1fIeEVIcSa_ARm5YH-8OqIPTI2CPJAiZI1yu6HvblYgIoUd2Y7ayO7SsFhq6"
      "Dg3CHuMt6wV_TA";
  const std::string q = "token=HS512-" + mac + "&expires=1700003600";
  EXPECT_EQ(Check(*v, "/x", q, 1700000000), EDGEKIT_OK);
  EXPECT_EQ(Check(*v, "/x", "token=" + mac + "&expires=1700003600", 1700000000),
            EDGEKIT_E_MALFORMED);
  // Every mutation of the token and the expiry fails.
  for (size_t i = 0; i < q.size(); ++i) {
    for (const std::string& m : testing::MutationsAt(q, i)) {
      EXPECT_NE(Check(*v, "/x", m, 1700000000), EDGEKIT_OK) << m;
    }
  }
}

TEST(TimedHmac, MalformedShapes) {
  TimedHmacOptions o;
  o.secret = "s";
  auto v = Make(o);
  const std::string mac(64, 'a');
  const struct {
    std::string query;
    edgekit_status want;
  } cases[] = {
      {"", EDGEKIT_E_NO_TOKEN},
      {"token=", EDGEKIT_E_NO_TOKEN},
      {"expires=1", EDGEKIT_E_NO_TOKEN},
      {"token=" + mac, EDGEKIT_E_MALFORMED},
      {"token=" + mac + "&expires=", EDGEKIT_E_MALFORMED},
      {"token=" + mac + "&expires=x", EDGEKIT_E_MALFORMED},
      {"token=" + mac + "&expires=01", EDGEKIT_E_MALFORMED},
      {"token=" + mac.substr(1) + "&expires=1", EDGEKIT_E_MALFORMED},
      {"token=" + mac + "aa&expires=1", EDGEKIT_E_MALFORMED},
      {"token=" + std::string(64, 'z') + "&expires=1", EDGEKIT_E_MALFORMED},
      {"token=" + mac + "&expires=1", EDGEKIT_E_BAD_SIGNATURE},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Check(*v, "/p", c.query, 0), c.want) << c.query;
  }
  o.separator = '_';
  auto combined = Make(o);
  EXPECT_EQ(Check(*combined, "/p", "token=" + mac, 0), EDGEKIT_E_MALFORMED);
  EXPECT_EQ(Check(*combined, "/p", "token=_" + mac, 0), EDGEKIT_E_MALFORMED);
}

TEST(TimedHmac, RefusesBadConfig) {
  TimedHmacOptions o;
  EXPECT_FALSE(NewTimedHmacVerifier(o).ok());  // no secret
  o.secret = "s";
  o.message = "$path$nope";
  EXPECT_FALSE(NewTimedHmacVerifier(o).ok());
  o.message = "$path$expires";
  o.plain_digest = true;  // a digest without the secret is forgeable
  EXPECT_FALSE(NewTimedHmacVerifier(o).ok());
  o.plain_digest = false;
  o.ttl_s = -1;
  EXPECT_FALSE(NewTimedHmacVerifier(o).ok());
  o.ttl_s = 0;
  o.token_arg = "";
  EXPECT_FALSE(NewTimedHmacVerifier(o).ok());
}

}  // namespace
}  // namespace edgekit::signed_url
