// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The crypto seam against independent answers: RFC test vectors for digests
// and HMAC, and the openssl command-line tool for every signature scheme in
// both directions (it signs, we verify; we sign, it verifies).

#include "crypto/crypto.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace edgekit::crypto {
namespace {

std::string Hex(const uint8_t* p, size_t n) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(p), n));
}

std::string MacHex(Hash h, std::string_view key, std::string_view msg) {
  uint8_t out[kMaxHashSize];
  HmacKey::Create(h, key).Mac(msg, out);
  return Hex(out, HashSize(h));
}

TEST(Digest, KnownAnswers) {
  uint8_t out[kMaxHashSize];
  Digest(Hash::kSha256, "abc", out);
  EXPECT_EQ(Hex(out, 32),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Digest(Hash::kMd5, "abc", out);
  EXPECT_EQ(Hex(out, 16), "900150983cd24fb0d6963f7d28e17f72");
  Digest(Hash::kSha1, "abc", out);
  EXPECT_EQ(Hex(out, 20), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

// RFC 2202 and RFC 4231 test case 2, and RFC 4231 case 6 (key longer than a
// block, which must be hashed first).
TEST(Hmac, RfcVectors) {
  const std::string jefe = "Jefe", msg = "what do ya want for nothing?";
  EXPECT_EQ(MacHex(Hash::kMd5, jefe, msg), "750c783e6ab0b503eaa86e310a5db738");
  EXPECT_EQ(MacHex(Hash::kSha1, jefe, msg),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(MacHex(Hash::kSha256, jefe, msg),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(MacHex(Hash::kSha384, jefe, msg),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
            "8e2240ca5e69e2c78b3239ecfab21649");
  EXPECT_EQ(MacHex(Hash::kSha512, jefe, msg),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
  const std::string long_key(131, '\xaa');
  const std::string long_msg =
      "Test Using Larger Than Block-Size Key - Hash Key First";
  EXPECT_EQ(MacHex(Hash::kSha256, long_key, long_msg),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(MacHex(Hash::kSha512, long_key, long_msg),
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
            "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}

TEST(Hmac, VerifyIsExactAndLengthChecked) {
  const HmacKey key = HmacKey::Create(Hash::kSha256, "secret");
  uint8_t mac[32];
  key.Mac("message", mac);
  std::string good(reinterpret_cast<char*>(mac), 32);
  EXPECT_TRUE(key.Verify("message", good));
  EXPECT_FALSE(key.Verify("messagf", good));
  EXPECT_FALSE(key.Verify("message", good.substr(0, 31)));
  EXPECT_FALSE(key.Verify("message", good + "x"));
  for (size_t i = 0; i < good.size() * 8; ++i) {
    std::string bad = good;
    bad[i / 8] ^= static_cast<char>(1 << (i % 8));
    EXPECT_FALSE(key.Verify("message", bad)) << i;
  }
}

// Runs a shell command and fails the test if it does not exit 0.
void RunCmd(const std::string& cmd) {
  ASSERT_EQ(std::system((cmd + " 2>/dev/null").c_str()), 0) << cmd;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, std::string_view data) {
  std::ofstream(path, std::ios::binary).write(data.data(), data.size());
}

class OpensslInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/edgekit-crypto-XXXXXX";
    dir_ = mkdtemp(tmpl);
    WriteFile(dir_ + "/msg", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJidXllciJ9");
  }
  static void TearDownTestSuite() { std::system(("rm -rf " + dir_).c_str()); }

  // Generates a key with `openssl genpkey ARGS` and returns its PEM files.
  static void GenKey(const std::string& name, const std::string& args) {
    RunCmd("openssl genpkey " + args + " -out " + dir_ + "/" + name + ".key");
    RunCmd("openssl pkey -in " + dir_ + "/" + name + ".key -pubout -out " +
           dir_ + "/" + name + ".pub");
  }
  static std::string Path(const std::string& f) { return dir_ + "/" + f; }

  static std::string dir_;
};
std::string OpensslInterop::dir_;

TEST_F(OpensslInterop, RsaPkcs1AndPssBothWays) {
  GenKey("rsa", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048");
  auto pub = PublicKey::FromPem(ReadFile(Path("rsa.pub")));
  auto priv = PrivateKey::FromPem(ReadFile(Path("rsa.key")));
  ASSERT_TRUE(pub.ok()) << pub.status();
  ASSERT_TRUE(priv.ok()) << priv.status();
  EXPECT_EQ(pub->type(), KeyType::kRsa);
  EXPECT_EQ(pub->bits(), 2048);
  const std::string msg = ReadFile(Path("msg"));

  RunCmd("openssl dgst -sha256 -sign " + Path("rsa.key") + " -out " +
         Path("rsa.sig") + " " + Path("msg"));
  const std::string sig = ReadFile(Path("rsa.sig"));
  EXPECT_TRUE(pub->VerifyRsaPkcs1(Hash::kSha256, msg, sig));
  EXPECT_FALSE(pub->VerifyRsaPkcs1(Hash::kSha384, msg, sig));
  EXPECT_FALSE(pub->VerifyRsaPkcs1(Hash::kSha256, msg + "x", sig));
  EXPECT_FALSE(pub->VerifyRsaPss(Hash::kSha256, msg, sig));

  RunCmd("openssl dgst -sha384 -sign " + Path("rsa.key") +
         " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -out " +
         Path("pss.sig") + " " + Path("msg"));
  const std::string pss = ReadFile(Path("pss.sig"));
  EXPECT_TRUE(pub->VerifyRsaPss(Hash::kSha384, msg, pss));
  EXPECT_FALSE(pub->VerifyRsaPkcs1(Hash::kSha384, msg, pss));
  EXPECT_FALSE(pub->VerifyRsaPss(Hash::kSha256, msg, pss));
  // A signature is exactly the modulus' length: not one byte more or less,
  // even where the extra byte is a leading zero.
  EXPECT_FALSE(pub->VerifyRsaPss(Hash::kSha384, msg, pss.substr(1)));
  EXPECT_FALSE(pub->VerifyRsaPss(Hash::kSha384, msg, std::string(1, '\0') + pss));
  EXPECT_FALSE(pub->VerifyRsaPss(Hash::kSha384, msg, pss + std::string(1, '\0')));
  // Valid PSS with any other salt length is not a JWS PSxxx signature
  // (RFC 7518 §3.5: salt length = hash length).
  for (const char* saltlen : {"0", "20", "max"}) {
    RunCmd("openssl dgst -sha384 -sign " + Path("rsa.key") +
           " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:" + saltlen +
           " -out " + Path("pss_other.sig") + " " + Path("msg"));
    EXPECT_FALSE(
        pub->VerifyRsaPss(Hash::kSha384, msg, ReadFile(Path("pss_other.sig"))))
        << "salt length " << saltlen;
  }

  auto ours = priv->SignRsaPkcs1(Hash::kSha512, msg);
  ASSERT_TRUE(ours.ok());
  WriteFile(Path("ours.sig"), *ours);
  RunCmd("openssl dgst -sha512 -verify " + Path("rsa.pub") + " -signature " +
         Path("ours.sig") + " " + Path("msg"));
  auto ours_pss = priv->SignRsaPss(Hash::kSha256, msg);
  ASSERT_TRUE(ours_pss.ok());
  WriteFile(Path("ours_pss.sig"), *ours_pss);
  RunCmd(
      "openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt "
      "rsa_pss_saltlen:digest -verify " +
      Path("rsa.pub") + " -signature " + Path("ours_pss.sig") + " " +
      Path("msg"));
  EXPECT_TRUE(priv->PublicPart().VerifyRsaPss(Hash::kSha256, msg, *ours_pss));

  // PKCS#1 "RSA PUBLIC KEY" form of the same key.
  RunCmd("openssl rsa -pubin -in " + Path("rsa.pub") +
         " -RSAPublicKey_out -out " + Path("rsa.pkcs1"));
  auto pkcs1 = PublicKey::FromPem(ReadFile(Path("rsa.pkcs1")));
  ASSERT_TRUE(pkcs1.ok()) << pkcs1.status();
  EXPECT_TRUE(pkcs1->VerifyRsaPkcs1(Hash::kSha256, msg, sig));
}

TEST_F(OpensslInterop, EcdsaEveryCurve) {
  const struct {
    const char* curve;
    KeyType type;
    Hash hash;
    const char* dgst;
  } kCurves[] = {{"P-256", KeyType::kEcP256, Hash::kSha256, "-sha256"},
                 {"P-384", KeyType::kEcP384, Hash::kSha384, "-sha384"},
                 {"P-521", KeyType::kEcP521, Hash::kSha512, "-sha512"}};
  const std::string msg = ReadFile(Path("msg"));
  for (const auto& c : kCurves) {
    SCOPED_TRACE(c.curve);
    GenKey("ec",
           std::string("-algorithm EC -pkeyopt ec_paramgen_curve:") + c.curve);
    auto pub = PublicKey::FromPem(ReadFile(Path("ec.pub")));
    auto priv = PrivateKey::FromPem(ReadFile(Path("ec.key")));
    ASSERT_TRUE(pub.ok()) << pub.status();
    ASSERT_TRUE(priv.ok()) << priv.status();
    EXPECT_EQ(pub->type(), c.type);
    RunCmd(std::string("openssl dgst ") + c.dgst + " -sign " + Path("ec.key") +
           " -out " + Path("ec.sig") + " " + Path("msg"));
    const std::string der = ReadFile(Path("ec.sig"));
    EXPECT_TRUE(pub->VerifyEcdsaDer(c.hash, msg, der));
    EXPECT_FALSE(pub->VerifyEcdsaDer(c.hash, msg + "x", der));
    // A DER signature is never accepted where JWS wants raw r‖s.
    EXPECT_FALSE(pub->VerifyEcdsaRaw(c.hash, msg, der));

    auto raw = priv->SignEcdsaRaw(c.hash, msg);
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw->size(), EcdsaRawSignatureSize(c.type));
    EXPECT_TRUE(pub->VerifyEcdsaRaw(c.hash, msg, *raw));
    auto der_ours = priv->SignEcdsaDer(c.hash, msg);
    ASSERT_TRUE(der_ours.ok());
    WriteFile(Path("ours.sig"), *der_ours);
    RunCmd(std::string("openssl dgst ") + c.dgst + " -verify " +
           Path("ec.pub") + " -signature " + Path("ours.sig") + " " +
           Path("msg"));

    // r = 0 and s = 0 are refused, not "verified".
    const size_t half = raw->size() / 2;
    std::string zero_r = *raw, zero_s = *raw;
    std::fill(zero_r.begin(), zero_r.begin() + half, '\0');
    std::fill(zero_s.begin() + half, zero_s.end(), '\0');
    EXPECT_FALSE(pub->VerifyEcdsaRaw(c.hash, msg, zero_r));
    EXPECT_FALSE(pub->VerifyEcdsaRaw(c.hash, msg, zero_s));
    EXPECT_FALSE(
        pub->VerifyEcdsaRaw(c.hash, msg, std::string(raw->size(), '\0')));
    EXPECT_FALSE(
        pub->VerifyEcdsaRaw(c.hash, msg, std::string(raw->size(), '\xff')));
  }
}

TEST_F(OpensslInterop, Ed25519BothWays) {
  GenKey("ed", "-algorithm ED25519");
  auto pub = PublicKey::FromPem(ReadFile(Path("ed.pub")));
  auto priv = PrivateKey::FromPem(ReadFile(Path("ed.key")));
  ASSERT_TRUE(pub.ok()) << pub.status();
  ASSERT_TRUE(priv.ok()) << priv.status();
  EXPECT_EQ(pub->type(), KeyType::kEd25519);
  const std::string msg = ReadFile(Path("msg"));
  RunCmd("openssl pkeyutl -sign -rawin -inkey " + Path("ed.key") + " -in " +
         Path("msg") + " -out " + Path("ed.sig"));
  const std::string sig = ReadFile(Path("ed.sig"));
  EXPECT_TRUE(pub->VerifyEd25519(msg, sig));
  EXPECT_FALSE(pub->VerifyEd25519(msg + "x", sig));
  EXPECT_FALSE(pub->VerifyEd25519(msg, sig.substr(1)));
  auto ours = priv->SignEd25519(msg);
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(*ours, sig);  // Ed25519 is deterministic
}

TEST(PublicKey, RejectsBadMaterial) {
  EXPECT_FALSE(PublicKey::FromPem("").ok());
  EXPECT_FALSE(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n"
                                  "-----END PUBLIC KEY-----\n")
                   .ok());
  EXPECT_FALSE(PublicKey::FromEd25519(std::string(31, 'a')).ok());
  EXPECT_FALSE(PublicKey::FromRsa("", "\x01\x00\x01").ok());
  // (1, 1) is not on P-256.
  std::string one(32, '\0');
  one.back() = 1;
  EXPECT_FALSE(PublicKey::FromEc(KeyType::kEcP256, one, one).ok());
  EXPECT_FALSE(PublicKey::FromEc(KeyType::kEcP256, one.substr(1), one).ok());
  EXPECT_FALSE(PublicKey::FromEc(KeyType::kRsa, one, one).ok());
}

}  // namespace
}  // namespace edgekit::crypto
