// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// One verifier and key set shared by several threads, each with its own
// Claims (or the thread-local scratch): the sharing DESIGN.md promises. Run
// under TSan by `make test` (label "concurrency").

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "keys/keys.h"
#include "test_util.h"
#include "token/token.h"

namespace edgekit::token {
namespace {

TEST(Concurrency, SharedVerifierGivesEveryThreadTheSameAnswers) {
  auto keys = std::make_shared<const keys::KeySet>(
      *keys::KeySet::FromJwks(edgekit::testing::GeneratedData("keys.jwks")));
  Policy policy;
  policy.issuers = {"https://issuer.example"};
  policy.audiences = {"edge"};
  auto verifier = Verifier::Create(keys, policy);
  ASSERT_TRUE(verifier.ok());
  const auto vectors = edgekit::testing::Vectors();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Claims own;
      // Half the threads use the verifier's thread-local scratch.
      Claims* claims = t % 2 == 0 ? &own : nullptr;
      for (int round = 0; round < 5; ++round) {
        for (const auto& v : vectors) {
          const edgekit_status s =
              verifier->Verify(v.token, 1700000000, claims);
          if (v.expect != edgekit_status_name(s)) ++wrong;
          std::string sub;
          if (claims != nullptr && s == EDGEKIT_OK &&
              (claims->GetString("sub", &sub) != EDGEKIT_OK ||
               sub != "buyer-42")) {
            ++wrong;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace edgekit::token
