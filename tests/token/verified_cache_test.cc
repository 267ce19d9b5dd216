// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The verified-token cache: a hit skips the signature check but never a
// claim check, a tampered token never hits, a new key set starts empty, and
// memory stays within the configured bound.

#include "token/verified_cache.h"

#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "edgekit.h"
#include "gtest/gtest.h"
#include "keys/keys.h"
#include "test_util.h"
#include "token/token.h"

namespace edgekit::token {
namespace {

using keys::KeySet;
using testing::GeneratedData;

constexpr int64_t kNow = 1700000000;

std::shared_ptr<const KeySet> PrivateKeys() {
  auto set = KeySet::FromJwks(GeneratedData("keys_private.jwks"));
  EXPECT_TRUE(set.ok()) << set.status();
  return std::make_shared<const KeySet>(*std::move(set));
}

Verifier CachedVerifier(std::shared_ptr<const KeySet> keys, size_t entries,
                        int64_t leeway = 0) {
  Policy p;
  p.cache_entries = entries;
  p.leeway_s = leeway;
  p.audiences = {"shop"};
  auto v = Verifier::Create(std::move(keys), std::move(p));
  EXPECT_TRUE(v.ok()) << v.status();
  return *std::move(v);
}

std::string SignToken(const KeySet& keys, const char* alg, const char* kid,
                      int64_t exp, const char* aud = "shop") {
  std::string token;
  const std::string payload = "{\"sub\":\"buyer-1\",\"aud\":\"" +
                              std::string(aud) +
                              "\",\"exp\":" + std::to_string(exp) + "}";
  EXPECT_EQ(Sign(keys, alg, kid, payload, &token), EDGEKIT_OK);
  return token;
}

TEST(VerifiedCache, SecondVerifyOfAnEs256TokenIsAHit) {
  auto keys = PrivateKeys();
  const Verifier v = CachedVerifier(keys, 64);
  ASSERT_NE(v.cache(), nullptr);
  const std::string token = SignToken(*keys, "ES256", "p256", kNow + 100);
  Claims claims;
  EXPECT_EQ(v.Verify(token, kNow, &claims), EDGEKIT_OK);
  EXPECT_EQ(v.cache()->hits(), 0u);
  EXPECT_EQ(v.Verify(token, kNow + 1, &claims), EDGEKIT_OK);
  EXPECT_EQ(v.cache()->hits(), 1u);
  // The claims of a hit are the token's own.
  std::string sub;
  ASSERT_EQ(claims.GetString("sub", &sub), EDGEKIT_OK);
  EXPECT_EQ(sub, "buyer-1");
}

TEST(VerifiedCache, ExpiryIsCheckedOnEveryHit) {
  auto keys = PrivateKeys();
  const Verifier v = CachedVerifier(keys, 64, /*leeway=*/5);
  const std::string token = SignToken(*keys, "EdDSA", "ed25519", kNow + 10);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow + 9, nullptr), EDGEKIT_OK);
  EXPECT_EQ(v.cache()->hits(), 1u);
  // Past exp but within leeway: still fine, verified in full again.
  EXPECT_EQ(v.Verify(token, kNow + 12, nullptr), EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow + 15, nullptr), EDGEKIT_E_EXPIRED);
  EXPECT_EQ(v.Verify(token, kNow + 1000, nullptr), EDGEKIT_E_EXPIRED);
}

TEST(VerifiedCache, ClaimPolicyStillAppliesToAHit) {
  auto keys = PrivateKeys();
  const Verifier v = CachedVerifier(keys, 64);
  const std::string wrong_aud =
      SignToken(*keys, "RS256", "rsa", kNow + 100, "elsewhere");
  EXPECT_EQ(v.Verify(wrong_aud, kNow, nullptr), EDGEKIT_E_BAD_AUDIENCE);
  EXPECT_EQ(v.Verify(wrong_aud, kNow, nullptr), EDGEKIT_E_BAD_AUDIENCE);
  EXPECT_EQ(v.cache()->hits(), 0u);  // failures are never remembered
}

TEST(VerifiedCache, TamperedTokenNeverHits) {
  auto keys = PrivateKeys();
  const Verifier v = CachedVerifier(keys, 64);
  const std::string token = SignToken(*keys, "ES256", "p256", kNow + 100);
  ASSERT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_OK);
  for (size_t i = token.rfind('.') + 1; i < token.size(); i += 7) {
    std::string bad = token;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    const edgekit_status s = v.Verify(bad, kNow, nullptr);
    EXPECT_TRUE(s == EDGEKIT_E_BAD_SIGNATURE || s == EDGEKIT_E_MALFORMED)
        << i << " " << edgekit_status_name(s);
  }
  EXPECT_EQ(v.cache()->hits(), 0u);
}

TEST(VerifiedCache, NewKeySetNeverServesAStaleVerdict) {
  auto keys = PrivateKeys();
  const Verifier old_keys = CachedVerifier(keys, 64);
  const std::string token = SignToken(*keys, "ES256", "p256", kNow + 100);
  ASSERT_EQ(old_keys.Verify(token, kNow, nullptr), EDGEKIT_OK);
  ASSERT_EQ(old_keys.Verify(token, kNow, nullptr), EDGEKIT_OK);
  ASSERT_EQ(old_keys.cache()->hits(), 1u);
  // Rotation away from the key: kid "p256" now names another key.
  auto rotated = KeySet::FromPem(GeneratedData("p384.pub.pem"), "p256");
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  const Verifier new_keys =
      CachedVerifier(std::make_shared<const KeySet>(*std::move(rotated)), 64);
  EXPECT_EQ(new_keys.Verify(token, kNow, nullptr), EDGEKIT_E_KEY_NOT_FOUND);
  // A new set that still holds the key verifies in full: its cache starts
  // empty.
  auto same = KeySet::FromPem(GeneratedData("p256.pub.pem"), "p256");
  ASSERT_TRUE(same.ok()) << same.status();
  const Verifier same_keys =
      CachedVerifier(std::make_shared<const KeySet>(*std::move(same)), 64);
  EXPECT_EQ(same_keys.Verify(token, kNow, nullptr), EDGEKIT_OK);
  EXPECT_EQ(same_keys.cache()->hits(), 0u);
  EXPECT_EQ(same_keys.cache()->misses(), 1u);
}

TEST(VerifiedCache, HmacTokensAreNotCached) {
  auto keys = PrivateKeys();
  const Verifier v = CachedVerifier(keys, 64);
  const std::string token = SignToken(*keys, "HS512", "hs512", kNow + 100);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_OK);
  EXPECT_EQ(v.Verify(token, kNow, nullptr), EDGEKIT_OK);
  EXPECT_EQ(v.cache()->hits() + v.cache()->misses(), 0u);
}

TEST(VerifiedCache, BoundedAndEvictsTheSoonestExpiry) {
  VerifiedCache cache(5);  // rounds up to 8: two sets of four
  EXPECT_EQ(cache.capacity(), 8u);
  uint8_t d[100][VerifiedCache::kDigestSize] = {};
  for (int i = 0; i < 100; ++i) {
    d[i][0] = static_cast<uint8_t>(i);
    d[i][31] = static_cast<uint8_t>(i);
    cache.Insert(d[i], 1000.0 + i);
  }
  int present = 0;
  for (int i = 0; i < 100; ++i) present += cache.Contains(d[i], 0) ? 1 : 0;
  EXPECT_EQ(present, 8);
  // The latest expiries survive in each set.
  EXPECT_TRUE(cache.Contains(d[99], 0));
  EXPECT_TRUE(cache.Contains(d[98], 0));
  EXPECT_FALSE(cache.Contains(d[0], 0));
  // Expired entries are dropped on lookup; already-expired ones never enter.
  EXPECT_FALSE(cache.Contains(d[99], 1099.0));
  cache.Insert(d[0], -1.0);
  EXPECT_FALSE(cache.Contains(d[0], -5.0));
  cache.Insert(d[1], std::nan(""));
  EXPECT_FALSE(cache.Contains(d[1], 0));
}

TEST(VerifiedCache, CApiOption) {
  const std::string jwks = GeneratedData("keys_private.jwks");
  edgekit_keyset* ks = nullptr;
  ASSERT_EQ(edgekit_keyset_from_jwks(&ks, jwks.data(), jwks.size()),
            EDGEKIT_OK);
  edgekit_verify_options o = {};
  o.struct_size = sizeof o;
  o.cache_entries = 16;
  edgekit_verifier* v = nullptr;
  ASSERT_EQ(edgekit_verifier_new(&v, ks, &o), EDGEKIT_OK);
  auto keys = PrivateKeys();
  const std::string token = SignToken(*keys, "ES384", "p384", kNow + 100);
  EXPECT_EQ(
      edgekit_verifier_verify(v, nullptr, token.data(), token.size(), kNow),
      EDGEKIT_OK);
  EXPECT_EQ(
      edgekit_verifier_verify(v, nullptr, token.data(), token.size(), kNow),
      EDGEKIT_OK);
  EXPECT_EQ(edgekit_verifier_verify(v, nullptr, token.data(), token.size(),
                                    kNow + 100),
            EDGEKIT_E_EXPIRED);
  edgekit_verifier_free(v);
  edgekit_keyset_free(ks);
}

TEST(VerifiedCacheConcurrency, SharedVerifierFromFourThreads) {
  auto keys = PrivateKeys();
  const Verifier v = CachedVerifier(keys, 8);
  std::vector<std::string> tokens;
  for (int i = 0; i < 12; ++i) {
    tokens.push_back(SignToken(*keys, "EdDSA", "ed25519", kNow + 100 + i));
  }
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Claims claims;
      for (int i = 0; i < 300; ++i) {
        const std::string& token = tokens[(i * 7 + t) % tokens.size()];
        if (v.Verify(token, kNow, &claims) != EDGEKIT_OK) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(v.cache()->hits() + v.cache()->misses(), 1200u);
  EXPECT_GT(v.cache()->hits(), 0u);
}

}  // namespace
}  // namespace edgekit::token
