// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The verifier and signer: RFC known answers, tokens made by PyJWT, one test
// per malformed shape and per status, time boundaries, algorithm confusion
// and ECDSA signature encodings.

#include "token/token.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "common/base64url.h"
#include "crypto/crypto.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace edgekit::token {
namespace {

using edgekit::testing::GeneratedData;
using edgekit::testing::SourceData;
using edgekit::testing::Trim;
using keys::KeySet;

constexpr int64_t kNow = 1700000000;  // gen_vectors.py's NOW
constexpr char kSecret[] = "a secret only the tests know, 32+";

std::string B64(std::string_view s) {
  std::string out;
  Base64UrlAppend(s, &out);
  return out;
}

std::string Unb64(std::string_view s) {
  std::string out;
  EXPECT_TRUE(Base64UrlDecodeTo(s, &out));
  return out;
}

// Hs256 signs exactly the given header and payload text with kSecret, so a
// test can build any shape and still have a valid MAC.
std::string Hs256(std::string_view header, std::string_view payload,
                  crypto::Hash hash = crypto::Hash::kSha256) {
  std::string input = B64(header) + "." + B64(payload);
  const auto key = crypto::HmacKey::Create(hash, kSecret);
  std::string mac(key.size(), '\0');
  key.Mac(input, reinterpret_cast<uint8_t*>(mac.data()));
  return input + "." + B64(mac);
}

std::string Hs256(std::string_view payload) {
  return Hs256(R"({"alg":"HS256","typ":"JWT"})", payload);
}

std::shared_ptr<const KeySet> Shared(absl::StatusOr<KeySet> set) {
  EXPECT_TRUE(set.ok()) << set.status();
  return std::make_shared<const KeySet>(*std::move(set));
}

Verifier MakeVerifier(std::shared_ptr<const KeySet> keys, Policy policy = {}) {
  auto v = Verifier::Create(std::move(keys), std::move(policy));
  EXPECT_TRUE(v.ok()) << v.status();
  return *std::move(v);
}

edgekit_status VerifySecret(std::string_view token, Policy policy = {},
                            int64_t now = kNow, Claims* claims = nullptr) {
  const Verifier v =
      MakeVerifier(Shared(KeySet::FromSecret(kSecret, std::nullopt)), policy);
  return v.Verify(token, now, claims);
}

Policy VectorPolicy() {
  Policy p;
  p.issuers = {"https://other.example", "https://issuer.example"};
  p.audiences = {"edge"};
  return p;
}

// Known answers.

TEST(KnownAnswers, Rfc7515A1Hs256) {
  auto keys = Shared(KeySet::FromJwks(SourceData("rfc7515_a1.jwk")));
  const std::string token = Trim(SourceData("rfc7515_a1.jws"));
  const Verifier v = MakeVerifier(keys);
  Claims claims;
  ASSERT_EQ(v.Verify(token, 1300819379, &claims), EDGEKIT_OK);
  std::string iss;
  EXPECT_EQ(claims.GetString("iss", &iss), EDGEKIT_OK);
  EXPECT_EQ(iss, "joe");
  bool root = false;
  EXPECT_EQ(claims.GetBool("http://example.com/is_root", &root), EDGEKIT_OK);
  EXPECT_TRUE(root);
  EXPECT_EQ(v.Verify(token, 1300819380, &claims), EDGEKIT_E_EXPIRED);
  // The MAC itself, byte for byte.
  const std::string input = token.substr(0, token.rfind('.'));
  uint8_t mac[32];
  keys->keys()[0].hmac(crypto::Hash::kSha256)->Mac(input, mac);
  EXPECT_EQ(B64(std::string_view(reinterpret_cast<char*>(mac), 32)),
            token.substr(token.rfind('.') + 1));
}

TEST(KnownAnswers, Rfc7515A2Rs256) {
  auto keys = Shared(KeySet::FromJwks(SourceData("rfc7515_a2.jwk")));
  const std::string token = Trim(SourceData("rfc7515_a2.jws"));
  EXPECT_EQ(MakeVerifier(keys).Verify(token, 1300819379, nullptr), EDGEKIT_OK);
  // PKCS#1 v1.5 is deterministic: signing reproduces the RFC's signature.
  const std::string input = token.substr(0, token.rfind('.'));
  auto sig =
      keys->keys()[0].private_key()->SignRsaPkcs1(crypto::Hash::kSha256, input);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(B64(*sig), token.substr(token.rfind('.') + 1));
}

TEST(KnownAnswers, Rfc7515A3Es256) {
  auto keys = Shared(KeySet::FromJwks(SourceData("rfc7515_a3.jwk")));
  const std::string token = Trim(SourceData("rfc7515_a3.jws"));
  EXPECT_EQ(MakeVerifier(keys).Verify(token, 1300819379, nullptr), EDGEKIT_OK);
}

TEST(KnownAnswers, Rfc8037A4Ed25519) {
  auto keys = Shared(KeySet::FromJwks(SourceData("rfc8037_a4.jwk")));
  const std::string token = Trim(SourceData("rfc8037_a4.jws"));
  // The RFC signs the text "Example of Ed25519 signing", which is no JWT
  // payload: the verifier refuses it as malformed...
  EXPECT_EQ(MakeVerifier(keys).Verify(token, kNow, nullptr),
            EDGEKIT_E_MALFORMED);
  // ...while the key loaded from the JWK verifies and reproduces the
  // signature (Ed25519 is deterministic).
  const std::string input = token.substr(0, token.rfind('.'));
  const std::string sig = Unb64(token.substr(token.rfind('.') + 1));
  const keys::Key& key = keys->keys()[0];
  EXPECT_TRUE(key.public_key()->VerifyEd25519(input, sig));
  auto again = key.private_key()->SignEd25519(input);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, sig);
}

// Tokens from PyJWT.

TEST(PyJwtVectors, EveryTokenGetsItsExpectedStatus) {
  const Verifier v = MakeVerifier(
      Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))), VectorPolicy());
  Claims claims;
  for (const auto& vec : edgekit::testing::Vectors()) {
    EXPECT_STREQ(edgekit_status_name(v.Verify(vec.token, kNow, &claims)),
                 vec.expect.c_str())
        << vec.name;
  }
}

TEST(PyJwtVectors, ClaimsOfValidTokensReadBack) {
  const Verifier v = MakeVerifier(
      Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))), VectorPolicy());
  const std::string payload = Trim(GeneratedData("payload.json"));
  Claims claims;
  int checked = 0;
  for (const auto& vec : edgekit::testing::Vectors()) {
    if (vec.expect != "ok") continue;
    ASSERT_EQ(v.Verify(vec.token, kNow, &claims), EDGEKIT_OK) << vec.name;
    ++checked;
    EXPECT_EQ(claims.payload(), payload) << vec.name;
    std::string s;
    EXPECT_EQ(claims.GetString("sub", &s), EDGEKIT_OK);
    EXPECT_EQ(s, "buyer-42");
    EXPECT_EQ(claims.GetString("name", &s), EDGEKIT_OK);
    EXPECT_EQ(s, "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xf0\x9f\x98\x80");
    int64_t exp = 0;
    EXPECT_EQ(claims.GetInt64("exp", &exp), EDGEKIT_OK);
    EXPECT_EQ(exp, kNow + 3600);
    double nbf = 0;
    EXPECT_EQ(claims.GetDouble("nbf", &nbf), EDGEKIT_OK);
    EXPECT_EQ(nbf, kNow - 60);
    bool admin = false;
    EXPECT_EQ(claims.GetBool("admin", &admin), EDGEKIT_OK);
    EXPECT_TRUE(admin);
    std::string_view aud;
    EXPECT_EQ(claims.GetJson("aud", &aud), EDGEKIT_OK);
    EXPECT_EQ(aud, R"(["edge","shop"])");
    EXPECT_EQ(claims.GetString("aud", &s), EDGEKIT_E_WRONG_TYPE);
    EXPECT_EQ(claims.GetInt64("sub", &exp), EDGEKIT_E_WRONG_TYPE);
    EXPECT_EQ(claims.GetBool("nope", &admin), EDGEKIT_E_MISSING_CLAIM);
  }
  EXPECT_EQ(checked, 13);
}

TEST(PyJwtVectors, VerifyWithPemKeys) {
  const std::pair<const char*, const char*> kPem[] = {
      {"RS256", "rsa.pub.pem"},    {"PS512", "rsa.pkcs1.pem"},
      {"ES256", "p256.pub.pem"},   {"ES384", "p384.pub.pem"},
      {"ES512", "p521.pub.pem"},   {"EdDSA", "ed25519.pub.pem"},
      {"EdDSA", "ed25519.key.pem"}};
  const char* kKid[] = {"rsa",  "rsa",     "p256",   "p384",
                        "p521", "ed25519", "ed25519"};
  int i = 0;
  for (const auto& [alg, pem] : kPem) {
    const Verifier v = MakeVerifier(
        Shared(KeySet::FromPem(GeneratedData(pem), kKid[i++])), VectorPolicy());
    for (const auto& vec : edgekit::testing::Vectors()) {
      if (vec.name == std::string("valid_") + alg) {
        EXPECT_EQ(v.Verify(vec.token, kNow, nullptr), EDGEKIT_OK) << pem;
      }
    }
  }
}

// Structure: every malformed shape.

TEST(Malformed, Segments) {
  const std::string good = Hs256(R"({"sub":"x"})");
  ASSERT_EQ(VerifySecret(good), EDGEKIT_OK);
  const size_t dot1 = good.find('.'), dot2 = good.rfind('.');
  const std::string kBad[] = {
      "",
      ".",
      "..",
      "...",
      good.substr(0, dot2),                            // two segments
      good + ".",                                      // four segments
      good + "." + good.substr(dot2 + 1),              // four segments
      "." + good.substr(dot1 + 1),                     // empty header
      good.substr(0, dot1) + "." + good.substr(dot2),  // empty payload
      " " + good,
      good + " ",
      good + "\n",
      good.substr(0, dot1) + "=" + good.substr(dot1),          // padding
      good.substr(0, dot2 + 1) + "+" + good.substr(dot2 + 2),  // std alphabet
      good.substr(0, 5) + "\n" + good.substr(5),
  };
  for (const std::string& token : kBad) {
    EXPECT_EQ(VerifySecret(token), EDGEKIT_E_MALFORMED) << token;
  }
}

TEST(Malformed, NonCanonicalBase64) {
  // "eyJ9" style: find a segment whose last character carries unused bits
  // and set one of them.
  const std::string payload = R"({"s":"ab"})";  // 10 bytes: 2 spare bits
  const std::string good = Hs256(payload);
  ASSERT_EQ(VerifySecret(good), EDGEKIT_OK);
  std::string bad = good;
  const size_t end = bad.rfind('.') - 1;
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  bad[end] = alphabet[alphabet.find(bad[end]) | 1];
  ASSERT_NE(bad, good);
  EXPECT_EQ(VerifySecret(bad), EDGEKIT_E_MALFORMED);
}

TEST(Malformed, HeaderAndPayloadJson) {
  const std::string h = R"({"alg":"HS256"})";
  const std::pair<std::string, std::string> kBad[] = {
      {"[]", "{}"},
      {"\"HS256\"", "{}"},
      {h, "[]"},
      {h, "1"},
      {h, "null"},
      {h, "{\"a\":1} x"},
      {h, "{\"a\":1}{}"},
      {h, "{\"a\":\"\xff\"}"},                      // not UTF-8
      {h, "{\"a\":\"\xed\xa0\x80\"}"},              // surrogate in UTF-8
      {h, "{\"a\":\"\\ud800\"}"},                   // lone surrogate escape
      {h, "{\"sub\":1,\"sub\":2}"},                 // duplicate claim
      {h, "{\"x\":{\"k\":1,\"k\":2}}"},             // nested duplicate
      {R"({"alg":"HS256","alg":"HS256"})", "{}"},   // duplicate header member
      {R"({"alg":"HS256","crit":["exp"]})", "{}"},  // crit
      {R"({"alg":"HS256","crit":[]})", "{}"},
      {R"({"alg":"HS256","\u0063rit":["x"]})", "{}"},  // crit, escaped
      {R"({"typ":"JWT"})", "{}"},                      // no alg
      {R"({"alg":256})", "{}"},                        // alg not a string
      {R"({"alg":null})", "{}"},
      {R"({"alg":"HS256","kid":7})", "{}"},  // kid not a string
      {h, R"({"exp":"1800000000"})"},        // dates must be numbers
      {h, R"({"nbf":"0"})"},
      {h, R"({"iat":true})"},
      {h, R"({"exp":null})"},
      {h, R"({"exp":[1800000000]})"},
      {h, R"({"\u0065xp":"soon"})"},
      {h, "\xef\xbb\xbf{}"},  // byte order mark
  };
  for (const auto& [header, payload] : kBad) {
    EXPECT_EQ(VerifySecret(Hs256(header, payload)), EDGEKIT_E_MALFORMED)
        << header << " " << payload;
  }
}

TEST(Malformed, Limits) {
  std::string big = R"({"pad":")" + std::string(12500, 'x') + "\"}";
  const std::string token = Hs256(big);
  ASSERT_GT(token.size(), 16384u);
  EXPECT_EQ(VerifySecret(token), EDGEKIT_E_MALFORMED);
  Policy p;
  p.max_token_len = token.size();
  EXPECT_EQ(VerifySecret(token, p), EDGEKIT_OK);
  p.max_token_len = token.size() - 1;
  EXPECT_EQ(VerifySecret(token, p), EDGEKIT_E_MALFORMED);

  auto nested = [](int levels) {
    std::string doc = "{\"a\":";
    for (int i = 1; i < levels; ++i) doc += "[";
    doc += "1";
    for (int i = 1; i < levels; ++i) doc += "]";
    return doc + "}";
  };
  EXPECT_EQ(VerifySecret(Hs256(nested(16))), EDGEKIT_OK);
  EXPECT_EQ(VerifySecret(Hs256(nested(17))), EDGEKIT_E_MALFORMED);
  p = {};
  p.max_json_depth = 4;
  EXPECT_EQ(VerifySecret(Hs256(nested(4)), p), EDGEKIT_OK);
  EXPECT_EQ(VerifySecret(Hs256(nested(5)), p), EDGEKIT_E_MALFORMED);
}

// One test per status.

TEST(Status, UnsupportedAlg) {
  const std::string payload = R"({"sub":"x"})";
  EXPECT_EQ(VerifySecret(B64(R"({"alg":"none"})") + "." + B64(payload) + "."),
            EDGEKIT_E_UNSUPPORTED_ALG);
  for (const char* alg : {"none", "None", "hs256", "HS257", "HS256 ", "RS1", "",
                          "ES256K", "HS256HS256HS256HS256"}) {
    EXPECT_EQ(
        VerifySecret(Hs256(std::string(R"({"alg":")") + alg + "\"}", payload)),
        EDGEKIT_E_UNSUPPORTED_ALG)
        << alg;
  }
  // An escaped but equal name is the same algorithm.
  EXPECT_EQ(VerifySecret(Hs256(R"({"alg":"HS\u0032\u00356"})", payload)),
            EDGEKIT_OK);
  Policy p;
  p.algorithms = {"HS512", "RS256"};
  EXPECT_EQ(VerifySecret(Hs256(payload), p), EDGEKIT_E_UNSUPPORTED_ALG);
  EXPECT_EQ(VerifySecret(
                Hs256(R"({"alg":"HS512"})", payload, crypto::Hash::kSha512), p),
            EDGEKIT_OK);
  // A policy naming an unknown algorithm is refused when it is built.
  p.algorithms = {"none"};
  EXPECT_FALSE(
      Verifier::Create(Shared(KeySet::FromSecret(kSecret, std::nullopt)), p)
          .ok());
}

TEST(Status, KeyNotFound) {
  auto jwks = Shared(KeySet::FromJwks(GeneratedData("keys_private.jwks")));
  const Verifier v = MakeVerifier(jwks);
  const std::string payload = R"({"sub":"x"})";
  std::string token;
  ASSERT_EQ(Sign(*jwks, "HS512", "hs512", payload, &token), EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_OK);
  // Unknown kid.
  ASSERT_EQ(Sign(*Shared(KeySet::FromSecret(kSecret, "other")), "HS512",
                 "other", payload, &token),
            EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_E_KEY_NOT_FOUND);
  // No kid, and three oct keys fit HS256: ambiguous.
  ASSERT_EQ(Sign(*Shared(KeySet::FromSecret(kSecret, std::nullopt)), "HS256",
                 std::nullopt, payload, &token),
            EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_E_KEY_NOT_FOUND);
  // The kid names a key of another family.
  ASSERT_EQ(Sign(*Shared(KeySet::FromSecret(kSecret, "p256")), "HS256", "p256",
                 payload, &token),
            EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_E_KEY_NOT_FOUND);
  // The kid names an EC key on another curve.
  ASSERT_EQ(Sign(*jwks, "ES384", "p384", payload, &token), EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_OK);
  const std::string header = Unb64(token.substr(0, token.find('.')));
  std::string swapped = header;
  swapped.replace(swapped.find("p384"), 4, "p256");
  EXPECT_EQ(
      v.Verify(B64(swapped) + token.substr(token.find('.')), kNow, nullptr),
      EDGEKIT_E_KEY_NOT_FOUND);
  // An escaped kid is compared unescaped.
  const Verifier k1 = MakeVerifier(Shared(KeySet::FromSecret(kSecret, "k1")));
  EXPECT_EQ(k1.Verify(Hs256(R"({"alg":"HS256","kid":"k\u0031"})", payload),
                      kNow, nullptr),
            EDGEKIT_OK);
  EXPECT_EQ(k1.Verify(Hs256(R"({"alg":"HS256","kid":"k\u0032"})", payload),
                      kNow, nullptr),
            EDGEKIT_E_KEY_NOT_FOUND);
  // A key without a kid does not match a token that names one.
  const Verifier anonymous =
      MakeVerifier(Shared(KeySet::FromSecret(kSecret, std::nullopt)));
  EXPECT_EQ(anonymous.Verify(Hs256(R"({"alg":"HS256","kid":"k"})", payload),
                             kNow, nullptr),
            EDGEKIT_E_KEY_NOT_FOUND);
}

TEST(Status, BadSignature) {
  const std::string token = Hs256(R"({"sub":"x"})");
  const Verifier other =
      MakeVerifier(Shared(KeySet::FromSecret("another secret", std::nullopt)));
  EXPECT_EQ(other.Verify(token, kNow, nullptr), EDGEKIT_E_BAD_SIGNATURE);
  // A MAC of the wrong length is a wrong MAC.
  EXPECT_EQ(VerifySecret(token.substr(0, token.rfind('.') + 1) + "AAAA"),
            EDGEKIT_E_BAD_SIGNATURE);
  EXPECT_EQ(VerifySecret(token.substr(0, token.rfind('.') + 1)),
            EDGEKIT_E_BAD_SIGNATURE);
  // A tampered payload under the original MAC.
  const std::string tampered = B64(R"({"alg":"HS256","typ":"JWT"})") + "." +
                               B64(R"({"sub":"y"})") +
                               token.substr(token.rfind('.'));
  EXPECT_EQ(VerifySecret(tampered), EDGEKIT_E_BAD_SIGNATURE);
}

TEST(Status, ClaimChecksInOrder) {
  Policy p;
  p.issuers = {"iss-a", "iss-b"};
  p.audiences = {"aud-a"};
  p.required_claims = {"scope"};
  Claims claims;
  auto check = [&](const std::string& payload) {
    return VerifySecret(Hs256(payload), p, kNow, &claims);
  };
  EXPECT_EQ(check(R"({"iss":"iss-b","aud":"aud-a","scope":1})"), EDGEKIT_OK);
  EXPECT_EQ(check(R"({"iss":"iss-b","aud":["x","aud-a"],"scope":1})"),
            EDGEKIT_OK);
  EXPECT_EQ(check(R"({"iss":"iss-\u0061","aud":"aud-\u0061","scope":1})"),
            EDGEKIT_OK);
  // Each failure, with every later check also failing: order is visible.
  EXPECT_EQ(check(R"({"exp":1,"nbf":9e9,"iss":"no","aud":"no"})"),
            EDGEKIT_E_EXPIRED);
  EXPECT_EQ(check(R"({"nbf":9e9,"iss":"no","aud":"no"})"),
            EDGEKIT_E_NOT_YET_VALID);
  EXPECT_EQ(check(R"({"iss":"no","aud":"no"})"), EDGEKIT_E_BAD_ISSUER);
  EXPECT_EQ(check(R"({"iss":"iss-a","aud":"no"})"), EDGEKIT_E_BAD_AUDIENCE);
  EXPECT_EQ(check(R"({"iss":"iss-a","aud":"aud-a"})"), EDGEKIT_E_MISSING_CLAIM);
  // Missing or mistyped iss and aud.
  EXPECT_EQ(check(R"({"aud":"aud-a","scope":1})"), EDGEKIT_E_BAD_ISSUER);
  EXPECT_EQ(check(R"({"iss":["iss-a"],"aud":"aud-a","scope":1})"),
            EDGEKIT_E_BAD_ISSUER);
  EXPECT_EQ(check(R"({"iss":"ISS-A","aud":"aud-a","scope":1})"),
            EDGEKIT_E_BAD_ISSUER);
  EXPECT_EQ(check(R"({"iss":"iss-a","scope":1})"), EDGEKIT_E_BAD_AUDIENCE);
  EXPECT_EQ(check(R"({"iss":"iss-a","aud":[],"scope":1})"),
            EDGEKIT_E_BAD_AUDIENCE);
  EXPECT_EQ(check(R"({"iss":"iss-a","aud":[1,null,["aud-a"]],"scope":1})"),
            EDGEKIT_E_BAD_AUDIENCE);
  EXPECT_EQ(check(R"({"iss":"iss-a","aud":{"aud-a":1},"scope":1})"),
            EDGEKIT_E_BAD_AUDIENCE);
  // A claim failure still hands over the payload; the caller may log it.
  EXPECT_EQ(check(R"({"iss":"no"})"), EDGEKIT_E_BAD_ISSUER);
  EXPECT_TRUE(claims.has_payload());
  std::string iss;
  EXPECT_EQ(claims.GetString("iss", &iss), EDGEKIT_OK);
  EXPECT_EQ(iss, "no");
  // Any earlier failure leaves it empty.
  EXPECT_EQ(VerifySecret("x.y.z", p, kNow, &claims), EDGEKIT_E_MALFORMED);
  EXPECT_FALSE(claims.has_payload());
  EXPECT_EQ(claims.GetString("iss", &iss), EDGEKIT_E_MISSING_CLAIM);
}

TEST(Status, TimeBoundaries) {
  auto at = [](const std::string& payload, int64_t leeway) {
    Policy p;
    p.leeway_s = leeway;
    return VerifySecret(Hs256(payload), p, kNow);
  };
  const std::string now = std::to_string(kNow);
  auto plus = [](int64_t d) { return std::to_string(kNow + d); };
  // expired iff now >= exp + leeway.
  EXPECT_EQ(at(R"({"exp":)" + now + "}", 0), EDGEKIT_E_EXPIRED);
  EXPECT_EQ(at(R"({"exp":)" + plus(1) + "}", 0), EDGEKIT_OK);
  EXPECT_EQ(at(R"({"exp":)" + plus(-5) + "}", 5), EDGEKIT_E_EXPIRED);
  EXPECT_EQ(at(R"({"exp":)" + plus(-4) + "}", 5), EDGEKIT_OK);
  EXPECT_EQ(at(R"({"exp":)" + now + ".5}", 0), EDGEKIT_OK);
  EXPECT_EQ(at(R"({"exp":)" + plus(-1) + ".5}", 0), EDGEKIT_E_EXPIRED);
  // not yet valid iff now + leeway < nbf.
  EXPECT_EQ(at(R"({"nbf":)" + now + "}", 0), EDGEKIT_OK);
  EXPECT_EQ(at(R"({"nbf":)" + plus(1) + "}", 0), EDGEKIT_E_NOT_YET_VALID);
  EXPECT_EQ(at(R"({"nbf":)" + plus(5) + "}", 5), EDGEKIT_OK);
  EXPECT_EQ(at(R"({"nbf":)" + plus(6) + "}", 5), EDGEKIT_E_NOT_YET_VALID);
  EXPECT_EQ(at(R"({"nbf":)" + now + ".5}", 0), EDGEKIT_E_NOT_YET_VALID);
  // iat is only type-checked.
  EXPECT_EQ(at(R"({"iat":)" + plus(1000) + "}", 0), EDGEKIT_OK);
  // Huge numbers are infinities, never overflow or undefined behaviour.
  EXPECT_EQ(at(R"({"exp":1e400})", 0), EDGEKIT_OK);
  EXPECT_EQ(at(R"({"exp":-1e400})", 0), EDGEKIT_E_EXPIRED);
  EXPECT_EQ(at(R"({"nbf":1e999999999999})", 0), EDGEKIT_E_NOT_YET_VALID);
  EXPECT_EQ(at(R"({"exp":99999999999999999999999999})", 0), EDGEKIT_OK);
  EXPECT_EQ(at(R"({"exp":)" + now + "}", INT64_MAX), EDGEKIT_OK);
  Policy negative;
  negative.leeway_s = -1;
  EXPECT_FALSE(Verifier::Create(
                   Shared(KeySet::FromSecret(kSecret, std::nullopt)), negative)
                   .ok());
}

TEST(Status, HugeNumbersReadBack) {
  Claims claims;
  ASSERT_EQ(VerifySecret(Hs256(R"({"big":1e400,"n":-12,"f":2.5,"i":1e3})"), {},
                         kNow, &claims),
            EDGEKIT_OK);
  double d = 0;
  int64_t i = 0;
  EXPECT_EQ(claims.GetDouble("big", &d), EDGEKIT_OK);
  EXPECT_EQ(d, HUGE_VAL);
  EXPECT_EQ(claims.GetInt64("big", &i), EDGEKIT_E_WRONG_TYPE);
  EXPECT_EQ(claims.GetInt64("n", &i), EDGEKIT_OK);
  EXPECT_EQ(i, -12);
  EXPECT_EQ(claims.GetInt64("f", &i), EDGEKIT_E_WRONG_TYPE);
  EXPECT_EQ(claims.GetInt64("i", &i), EDGEKIT_OK);
  EXPECT_EQ(i, 1000);
}

// Attacks.

TEST(Attacks, AlgConfusionRsaPublicKeyAsHmacSecret) {
  // The classic attack: sign HS256 with the verifier's RSA public key bytes.
  const std::string pem = GeneratedData("rsa.pub.pem");
  const std::string payload = R"({"sub":"attacker","aud":"edge"})";
  for (const char* secret_source : {"pem", "jwks"}) {
    std::string secret = pem;
    if (std::string(secret_source) == "jwks")
      secret = GeneratedData("keys.jwks");
    std::string token;
    ASSERT_EQ(Sign(*Shared(KeySet::FromSecret(secret, "rsa")), "HS256", "rsa",
                   payload, &token),
              EDGEKIT_OK);
    EXPECT_EQ(MakeVerifier(Shared(KeySet::FromPem(pem, "rsa")))
                  .Verify(token, kNow, nullptr),
              EDGEKIT_E_KEY_NOT_FOUND);
    EXPECT_EQ(MakeVerifier(Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))))
                  .Verify(token, kNow, nullptr),
              EDGEKIT_E_KEY_NOT_FOUND);
  }
  // EC and OKP keys are no HMAC secrets either.
  for (const char* kid : {"p256", "p384", "ed25519"}) {
    std::string token;
    ASSERT_EQ(Sign(*Shared(KeySet::FromSecret(kSecret, kid)), "HS256", kid,
                   payload, &token),
              EDGEKIT_OK);
    EXPECT_EQ(MakeVerifier(Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))))
                  .Verify(token, kNow, nullptr),
              EDGEKIT_E_KEY_NOT_FOUND);
  }
}

// Returns the valid PyJWT token |name|.
std::string VectorToken(const std::string& name) {
  for (const auto& v : edgekit::testing::Vectors()) {
    if (v.name == name) return v.token;
  }
  ADD_FAILURE() << "no vector " << name;
  return "";
}

// DER-encodes one big-endian unsigned integer.
std::string DerInteger(std::string v) {
  while (v.size() > 1 && v[0] == 0) v.erase(0, 1);
  if (static_cast<unsigned char>(v[0]) & 0x80) v.insert(0, 1, '\0');
  return std::string("\x02", 1) + static_cast<char>(v.size()) + v;
}

TEST(Attacks, EcdsaSignatureEncodings) {
  const Verifier v =
      MakeVerifier(Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))));
  for (const char* name : {"valid_ES256", "valid_ES384"}) {
    const std::string token = VectorToken(name);
    ASSERT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_OK);
    const std::string input = token.substr(0, token.rfind('.') + 1);
    const std::string sig = Unb64(token.substr(token.rfind('.') + 1));
    const size_t half = sig.size() / 2;
    const std::string r = sig.substr(0, half), s = sig.substr(half);
    // The same signature in DER is not a JWS signature.
    const std::string body = DerInteger(r) + DerInteger(s);
    const std::string der =
        std::string("\x30", 1) + static_cast<char>(body.size()) + body;
    EXPECT_EQ(v.Verify(input + B64(der), kNow, nullptr), EDGEKIT_E_MALFORMED);
    // Raw of the wrong length.
    EXPECT_EQ(v.Verify(input + B64(sig + std::string(1, '\0')), kNow, nullptr),
              EDGEKIT_E_MALFORMED);
    EXPECT_EQ(v.Verify(input + B64(sig.substr(1)), kNow, nullptr),
              EDGEKIT_E_MALFORMED);
    // r = 0, s = 0, and both beyond the group order.
    const std::string zero(half, '\0'), ones(half, '\xff');
    for (const std::string& bad :
         {zero + s, r + zero, zero + zero, ones + s, r + ones}) {
      EXPECT_EQ(v.Verify(input + B64(bad), kNow, nullptr),
                EDGEKIT_E_BAD_SIGNATURE)
          << name;
    }
  }
  // r = n exactly (the P-256 group order), with the real s.
  const std::string token = VectorToken("valid_ES256");
  const std::string sig = Unb64(token.substr(token.rfind('.') + 1));
  std::string n;
  const std::string hex =
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
  for (size_t i = 0; i < hex.size(); i += 2) {
    n.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  ASSERT_EQ(n.size(), 32u);
  EXPECT_EQ(
      v.Verify(token.substr(0, token.rfind('.') + 1) + B64(n + sig.substr(32)),
               kNow, nullptr),
      EDGEKIT_E_BAD_SIGNATURE);
}

TEST(Attacks, Ed25519SignatureLength) {
  const Verifier v =
      MakeVerifier(Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))));
  const std::string token = VectorToken("valid_EdDSA");
  const std::string input = token.substr(0, token.rfind('.') + 1);
  const std::string sig = Unb64(token.substr(token.rfind('.') + 1));
  EXPECT_EQ(v.Verify(input + B64(sig.substr(0, 63)), kNow, nullptr),
            EDGEKIT_E_MALFORMED);
  EXPECT_EQ(v.Verify(input + B64(std::string(64, '\0')), kNow, nullptr),
            EDGEKIT_E_BAD_SIGNATURE);
}

// Signing.

TEST(Sign, EveryAlgorithmRoundTrips) {
  auto priv = Shared(KeySet::FromJwks(GeneratedData("keys_private.jwks")));
  const Verifier v =
      MakeVerifier(Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))));
  const std::pair<const char*, const char*> kAlgs[] = {
      {"HS256", "hs256"},  {"HS384", "hs384"}, {"HS512", "hs512"},
      {"RS256", "rsa"},    {"RS384", "rsa"},   {"RS512", "rsa"},
      {"PS256", "rsa"},    {"PS384", "rsa"},   {"PS512", "rsa"},
      {"ES256", "p256"},   {"ES384", "p384"},  {"ES512", "p521"},
      {"EdDSA", "ed25519"}};
  const std::string payload =
      "{\"sub\":\"w\xc3\xafnner\", \"sku\":42, \"exp\":1700000300}";
  Claims claims;
  for (const auto& [alg, kid] : kAlgs) {
    std::string token;
    ASSERT_EQ(Sign(*priv, alg, kid, payload, &token), EDGEKIT_OK) << alg;
    ASSERT_EQ(v.Verify(token, kNow, &claims), EDGEKIT_OK) << alg;
    EXPECT_EQ(claims.payload(), payload);
    EXPECT_EQ(Unb64(token.substr(0, token.find('.'))),
              std::string(R"({"alg":")") + alg + R"(","kid":")" + kid +
                  R"(","typ":"JWT"})");
  }
}

TEST(Sign, Errors) {
  auto priv = Shared(KeySet::FromJwks(GeneratedData("keys_private.jwks")));
  auto pub = Shared(KeySet::FromJwks(GeneratedData("keys.jwks")));
  std::string token;
  EXPECT_EQ(Sign(*priv, "none", std::nullopt, "{}", &token),
            EDGEKIT_E_UNSUPPORTED_ALG);
  EXPECT_EQ(Sign(*priv, "hs256", "hs256", "{}", &token),
            EDGEKIT_E_UNSUPPORTED_ALG);
  EXPECT_EQ(Sign(*pub, "RS256", "rsa", "{}", &token), EDGEKIT_E_KEY_NOT_FOUND);
  EXPECT_EQ(Sign(*priv, "RS256", "nobody", "{}", &token),
            EDGEKIT_E_KEY_NOT_FOUND);
  // Two oct keys without an alg restriction fit HS384: ambiguous.
  EXPECT_EQ(Sign(*priv, "HS384", std::nullopt, "{}", &token),
            EDGEKIT_E_KEY_NOT_FOUND);
  EXPECT_EQ(Sign(*priv, "ES256", "p384", "{}", &token),
            EDGEKIT_E_KEY_NOT_FOUND);
  for (const char* payload :
       {"", "[]", "1", "{", "{\"a\":1,\"a\":2}", "{\"a\":\"\xff\"}", "{} x"}) {
    EXPECT_EQ(Sign(*priv, "HS256", "hs256", payload, &token),
              EDGEKIT_E_MALFORMED)
        << payload;
  }
  auto odd = Shared(KeySet::FromSecret(kSecret, "\xff"));
  EXPECT_EQ(Sign(*odd, "HS256", "\xff", "{}", &token),
            EDGEKIT_E_INVALID_ARGUMENT);
  // A kid that needs escaping is escaped, and verifies.
  auto quoted = Shared(KeySet::FromSecret(kSecret, "a\"b\\c\n"));
  ASSERT_EQ(Sign(*quoted, "HS256", "a\"b\\c\n", "{}", &token), EDGEKIT_OK);
  EXPECT_EQ(MakeVerifier(quoted).Verify(token, kNow, nullptr), EDGEKIT_OK);
}

TEST(Claims, ReusedAcrossCalls) {
  const Verifier v = MakeVerifier(
      Shared(KeySet::FromJwks(GeneratedData("keys.jwks"))), VectorPolicy());
  Claims claims;
  const auto vectors = edgekit::testing::Vectors();
  for (int round = 0; round < 3; ++round) {
    for (const auto& vec : vectors) {
      EXPECT_STREQ(edgekit_status_name(v.Verify(vec.token, kNow, &claims)),
                   vec.expect.c_str());
      EXPECT_EQ(claims.has_payload(),
                vec.expect != "malformed" && vec.expect != "key_not_found");
    }
  }
}

// A Claims remembers the last header that passed the alg and key checks.
// Whatever it remembers must never let one verifier use another's key,
// even one created at the same address after the first was destroyed.
TEST(HeaderMemo, NeverCrossesVerifiers) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string payload = R"({"sub":"x"})";
  const std::string by_a = Hs256(header, payload);
  std::string by_b = B64(header) + "." + B64(payload);
  const auto key_b = crypto::HmacKey::Create(crypto::Hash::kSha256, "B");
  std::string mac(key_b.size(), '\0');
  key_b.Mac(by_b, reinterpret_cast<uint8_t*>(mac.data()));
  by_b += "." + B64(mac);
  ASSERT_EQ(by_a.substr(0, by_a.find('.')), by_b.substr(0, by_b.find('.')));

  Claims claims;
  for (int round = 0; round < 64; ++round) {
    const bool use_a = round % 2 == 0;
    const Verifier v = MakeVerifier(Shared(
        KeySet::FromSecret(use_a ? kSecret : "B", std::nullopt)));
    EXPECT_EQ(v.Verify(use_a ? by_a : by_b, kNow, &claims), EDGEKIT_OK);
    EXPECT_EQ(v.Verify(use_a ? by_b : by_a, kNow, &claims),
              EDGEKIT_E_BAD_SIGNATURE);
  }
  // Two live verifiers taking turns on one Claims.
  const Verifier a = MakeVerifier(Shared(KeySet::FromSecret(kSecret, std::nullopt)));
  const Verifier b = MakeVerifier(Shared(KeySet::FromSecret("B", std::nullopt)));
  for (int round = 0; round < 4; ++round) {
    EXPECT_EQ(a.Verify(by_a, kNow, &claims), EDGEKIT_OK);
    EXPECT_EQ(b.Verify(by_a, kNow, &claims), EDGEKIT_E_BAD_SIGNATURE);
    EXPECT_EQ(b.Verify(by_b, kNow, &claims), EDGEKIT_OK);
    EXPECT_EQ(a.Verify(by_b, kNow, &claims), EDGEKIT_E_BAD_SIGNATURE);
  }
}

// A remembered header skips only its own checks: everything after them
// still runs, in order, with the statuses a fresh Claims would give.
TEST(HeaderMemo, LaterChecksStillRun) {
  const auto jwks = Shared(KeySet::FromJwks(GeneratedData("keys_private.jwks")));
  Policy policy;
  policy.issuers = {"good"};
  const Verifier v = MakeVerifier(jwks, policy);
  std::string es256;
  ASSERT_EQ(Sign(*jwks, "ES256", "p256", R"({"iss":"good"})", &es256),
            EDGEKIT_OK);
  const std::string head = es256.substr(0, es256.find('.') + 1);
  const std::string sig = es256.substr(es256.rfind('.'));
  std::string bad_iss;
  ASSERT_EQ(Sign(*jwks, "ES256", "p256", R"({"iss":"bad"})", &bad_iss),
            EDGEKIT_OK);
  ASSERT_EQ(bad_iss.substr(0, head.size()), head);
  const struct {
    std::string token;
    edgekit_status want;
  } kCases[] = {
      {es256, EDGEKIT_OK},
      {head + B64("{\"iss\":") + sig, EDGEKIT_E_MALFORMED},
      {head + B64(R"({"iss":"good","iss":"good"})") + sig,
       EDGEKIT_E_MALFORMED},
      {head + B64(R"({"exp":"soon"})") + sig, EDGEKIT_E_MALFORMED},
      {es256 + "AA", EDGEKIT_E_MALFORMED},  // 65-byte signature
      {es256.substr(0, es256.size() - 1) + "=", EDGEKIT_E_MALFORMED},
      {head + B64(R"({"iss":"good","x":1})") + sig, EDGEKIT_E_BAD_SIGNATURE},
      {bad_iss, EDGEKIT_E_BAD_ISSUER},
      {es256, EDGEKIT_OK},
  };
  Claims warm;
  for (const auto& c : kCases) {
    Claims fresh;
    ASSERT_EQ(v.Verify(es256, kNow, &warm), EDGEKIT_OK);  // remembers head
    EXPECT_EQ(v.Verify(c.token, kNow, &fresh), c.want) << c.token;
    EXPECT_EQ(v.Verify(c.token, kNow, &warm), c.want) << c.token;
  }
}

}  // namespace
}  // namespace edgekit::token
