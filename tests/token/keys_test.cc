// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Key sets from JWKS, PEM and secrets: what is kept, what is skipped, and
// what is refused (and with which of the two error kinds).

#include "keys/keys.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace edgekit::keys {
namespace {

using edgekit::testing::GeneratedData;
using edgekit::testing::SourceData;

absl::StatusCode JwksCode(const std::string& jwks) {
  return KeySet::FromJwks(jwks).status().code();
}

const Key* ByKid(const KeySet& set, const std::string& kid) {
  for (const Key& k : set.keys()) {
    if (k.kid() && *k.kid() == kid) return &k;
  }
  return nullptr;
}

TEST(KeySet, LoadsTheGeneratedJwks) {
  auto set = KeySet::FromJwks(GeneratedData("keys.jwks"));
  ASSERT_TRUE(set.ok()) << set.status();
  // Eight signing keys; the "use":"enc" key is skipped.
  EXPECT_EQ(set->keys().size(), 8u);
  EXPECT_EQ(ByKid(*set, "enc"), nullptr);
  const Key* hs = ByKid(*set, "hs256");
  ASSERT_NE(hs, nullptr);
  EXPECT_EQ(hs->family(), Family::kOct);
  EXPECT_EQ(hs->alg(), "HS256");
  EXPECT_TRUE(hs->can_sign());
  EXPECT_NE(hs->hmac(crypto::Hash::kSha512), nullptr);
  EXPECT_EQ(hs->public_key(), nullptr);
  const Key* rsa = ByKid(*set, "rsa");
  ASSERT_NE(rsa, nullptr);
  EXPECT_EQ(rsa->family(), Family::kRsa);
  EXPECT_FALSE(rsa->can_sign());
  EXPECT_TRUE(rsa->Fits(*FindAlg("PS512")));
  EXPECT_FALSE(rsa->Fits(*FindAlg("HS256")));
  const Key* p384 = ByKid(*set, "p384");
  ASSERT_NE(p384, nullptr);
  EXPECT_EQ(p384->type(), crypto::KeyType::kEcP384);
  EXPECT_TRUE(p384->Fits(*FindAlg("ES384")));
  EXPECT_FALSE(p384->Fits(*FindAlg("ES256")));
  // The p256 key is restricted to ES256 by its "alg".
  EXPECT_EQ(ByKid(*set, "p256")->alg(), "ES256");
  EXPECT_EQ(ByKid(*set, "ed25519")->family(), Family::kOkp);
}

TEST(KeySet, PrivateJwksCanSign) {
  auto set = KeySet::FromJwks(GeneratedData("keys_private.jwks"));
  ASSERT_TRUE(set.ok()) << set.status();
  for (const Key& k : set->keys()) EXPECT_TRUE(k.can_sign()) << *k.kid();
}

TEST(KeySet, AcceptsASingleJwk) {
  for (const char* name : {"rfc7515_a1.jwk", "rfc7515_a2.jwk", "rfc7515_a3.jwk",
                           "rfc8037_a4.jwk"}) {
    auto set = KeySet::FromJwks(SourceData(name));
    ASSERT_TRUE(set.ok()) << name << ": " << set.status();
    EXPECT_EQ(set->keys().size(), 1u);
    EXPECT_FALSE(set->keys()[0].kid().has_value());
  }
}

TEST(KeySet, SkipsKeysThatAreNotForSignatures) {
  const std::string good = R"({"kty":"oct","kid":"k","k":"c2VjcmV0"})";
  const char* kSkipped[] = {
      R"({"kty":"foo","kid":"x"})",
      R"({"kty":"oct","use":"enc","k":"c2VjcmV0"})",
      R"({"kty":"RSA","alg":"RSA-OAEP","n":"AQAB","e":"AQAB"})",
      R"({"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"})",
      R"({"kty":"OKP","crv":"X25519","x":"AA"})",
      R"({"kty":"OKP","crv":"Ed448","x":"AA"})",
  };
  for (const char* skipped : kSkipped) {
    auto set = KeySet::FromJwks(std::string(R"({"keys":[)") + skipped + "," +
                                good + "]}");
    ASSERT_TRUE(set.ok()) << skipped << ": " << set.status();
    EXPECT_EQ(set->keys().size(), 1u) << skipped;
    // Alone, the set has no usable key: that is a refused key set.
    EXPECT_EQ(JwksCode(std::string(R"({"keys":[)") + skipped + "]}"),
              absl::StatusCode::kFailedPrecondition)
        << skipped;
  }
  EXPECT_EQ(JwksCode(R"({"keys":[]})"), absl::StatusCode::kFailedPrecondition);
}

TEST(KeySet, MalformedTextIsInvalidArgument) {
  const char* kBad[] = {"", "{", "[]", "\"x\"", "{}", "{\"keys\":{}}",
                        "{\"keys\":[1]}", "{\"keys\":[]} x", "{\"keys\":[[]]}",
                        // picojson throws on these; the loader must not.
                        "{\"kty\":\"OKP\",\"crv\":5E521}",
                        "{\"keys\":[-1e999]}"};
  for (const char* jwks : kBad) {
    EXPECT_EQ(JwksCode(jwks), absl::StatusCode::kInvalidArgument) << jwks;
  }
}

TEST(KeySet, RefusedKeysAreFailedPrecondition) {
  const std::string ec = SourceData("rfc7515_a3.jwk");
  std::string off_curve = ec;
  // Change y: the point leaves the curve.
  off_curve.replace(off_curve.find("x_FEzRu9"), 8, "y_FEzRu9");
  const std::string kBad[] = {
      GeneratedData("rsa1024.jwk"),  // below 2048 bits
      off_curve,
      R"({"kty":"oct","k":""})",                        // empty secret
      R"({"kty":"oct"})",                               // no secret
      R"({"kty":"oct","k":"c2VjcmV0="})",               // padding
      R"({"kty":"oct","k":"c2VjcmV0","kid":7})",        // kid not a string
      R"({"kty":"oct","k":"c2VjcmV0","alg":"RS256"})",  // alg of another kty
      R"({"kty":"EC","crv":"P-256","x":"AA"})",         // no y
      R"({"kty":"OKP","crv":"Ed25519","x":"AAAA"})",    // short key
      R"({"kty":7})",
  };
  for (const std::string& jwks : kBad) {
    EXPECT_EQ(JwksCode(jwks), absl::StatusCode::kFailedPrecondition) << jwks;
  }
  // A private RSA key with some but not all CRT members.
  std::string partial = GeneratedData("keys_private.jwks");
  const size_t qi = partial.find("\"qi\"");
  ASSERT_NE(qi, std::string::npos);
  partial.replace(qi, 4, "\"qx\"");
  EXPECT_EQ(JwksCode(partial), absl::StatusCode::kFailedPrecondition);
  // And with none of them (n, e and d only): refused alike on both backends.
  std::string bare = GeneratedData("keys_private.jwks");
  for (const char* member : {"\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\""}) {
    const size_t at = bare.find(member);
    ASSERT_NE(at, std::string::npos) << member;
    bare.replace(at + 1, 1, "x");  // "p" -> "x", "dp" -> "xp" ...
  }
  EXPECT_EQ(JwksCode(bare), absl::StatusCode::kFailedPrecondition);
}

TEST(KeySet, LoadsPemKeys) {
  for (const char* name : {"rsa.pub.pem", "rsa.pkcs1.pem", "p256.pub.pem",
                           "p384.pub.pem", "p521.pub.pem", "ed25519.pub.pem"}) {
    auto set = KeySet::FromPem(GeneratedData(name), "k1");
    ASSERT_TRUE(set.ok()) << name << ": " << set.status();
    EXPECT_FALSE(set->keys()[0].can_sign()) << name;
    EXPECT_EQ(*set->keys()[0].kid(), "k1");
  }
  for (const char* name :
       {"rsa.key.pem", "p256.key.pem", "p521.key.pem", "ed25519.key.pem"}) {
    auto set = KeySet::FromPem(GeneratedData(name), std::nullopt);
    ASSERT_TRUE(set.ok()) << name << ": " << set.status();
    EXPECT_TRUE(set->keys()[0].can_sign()) << name;
    EXPECT_FALSE(set->keys()[0].kid().has_value());
  }
}

TEST(KeySet, RefusesBadPem) {
  EXPECT_EQ(KeySet::FromPem("not a key", std::nullopt).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KeySet::FromPem("-----BEGIN CERTIFICATE-----\nAAAA\n"
                            "-----END CERTIFICATE-----\n",
                            std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KeySet::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n"
                            "-----END PUBLIC KEY-----\n",
                            std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(KeySet::FromPem(GeneratedData("rsa1024.pub.pem"), std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(KeySet::FromPem(GeneratedData("rsa1024.key.pem"), std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(KeySet, Secrets) {
  auto set = KeySet::FromSecret("s3cret", "k");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->keys()[0].family(), Family::kOct);
  EXPECT_EQ(KeySet::FromSecret("", std::nullopt).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(Alg, TableIsCaseSensitiveAndHasNoNone) {
  EXPECT_NE(FindAlg("HS256"), nullptr);
  EXPECT_NE(FindAlg("EdDSA"), nullptr);
  for (const char* name : {"none", "None", "hs256", "HS256 ", "EDDSA", "ES256K",
                           "Ed25519", "", "RS1"}) {
    EXPECT_EQ(FindAlg(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace edgekit::keys
