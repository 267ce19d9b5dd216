// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Every valid token, with every bit of every byte flipped and cut at every
// length, must be refused (and nothing may crash): the property that makes a
// verifier trustworthy, as in Envoy's jwt_verify_lib.

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "keys/keys.h"
#include "test_util.h"
#include "token/token.h"

namespace edgekit::token {
namespace {

constexpr int64_t kNow = 1700000000;

struct Case {
  std::string name;
  std::string token;
  std::shared_ptr<const keys::KeySet> keys;
  int64_t now;
};

std::vector<Case> ValidTokens() {
  std::vector<Case> out;
  auto jwks = std::make_shared<const keys::KeySet>(
      *keys::KeySet::FromJwks(edgekit::testing::GeneratedData("keys.jwks")));
  for (const auto& v : edgekit::testing::Vectors()) {
    if (v.expect == "ok") out.push_back({v.name, v.token, jwks, kNow});
  }
  for (const char* name : {"rfc7515_a1", "rfc7515_a2", "rfc7515_a3"}) {
    auto keys = std::make_shared<const keys::KeySet>(*keys::KeySet::FromJwks(
        edgekit::testing::SourceData(std::string(name) + ".jwk")));
    out.push_back({name,
                   edgekit::testing::Trim(edgekit::testing::SourceData(
                       std::string(name) + ".jws")),
                   keys, 1300819379});
  }
  EXPECT_EQ(out.size(), 16u);
  return out;
}

TEST(Mutation, EveryBitFlipIsRefused) {
  Claims claims;
  for (const Case& c : ValidTokens()) {
    auto v = Verifier::Create(c.keys, Policy{});
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(v->Verify(c.token, c.now, &claims), EDGEKIT_OK) << c.name;
    std::string mutated = c.token;
    for (size_t i = 0; i < mutated.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        mutated[i] = static_cast<char>(mutated[i] ^ (1 << bit));
        EXPECT_NE(v->Verify(mutated, c.now, &claims), EDGEKIT_OK)
            << c.name << " byte " << i << " bit " << bit;
        mutated[i] = c.token[i];
      }
    }
  }
}

TEST(Mutation, EveryTruncationIsRefused) {
  Claims claims;
  for (const Case& c : ValidTokens()) {
    auto v = Verifier::Create(c.keys, Policy{});
    ASSERT_TRUE(v.ok());
    for (size_t len = 0; len < c.token.size(); ++len) {
      EXPECT_NE(
          v->Verify(std::string_view(c.token).substr(0, len), c.now, &claims),
          EDGEKIT_OK)
          << c.name << " cut at " << len;
      // Dropping the front is a different truncation, equally fatal.
      EXPECT_NE(
          v->Verify(std::string_view(c.token).substr(len + 1), c.now, &claims),
          EDGEKIT_OK)
          << c.name << " front cut " << len + 1;
    }
  }
}

}  // namespace
}  // namespace edgekit::token
