// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The request path must not allocate once a Claims object is warm. This
// binary replaces the global operator new to count allocations (so it is
// built without sanitizers, which replace it themselves).

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "gtest/gtest.h"
#include "keys/keys.h"
#include "test_util.h"
#include "token/token.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace edgekit::token {
namespace {

constexpr int64_t kNow = 1700000000;

long AllocationsDuring(const Verifier& v, const std::string& token,
                       Claims* claims, edgekit_status want) {
  EXPECT_EQ(v.Verify(token, kNow, claims), want);  // warm-up
  const long before = allocations.load();
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(v.Verify(token, kNow, claims), want);
    std::string_view sub;
    EXPECT_EQ(claims->GetJson("sub", &sub),
              want == EDGEKIT_OK ? EDGEKIT_OK : EDGEKIT_E_MISSING_CLAIM);
  }
  return allocations.load() - before;
}

TEST(Allocations, HmacVerificationIsAllocationFreeOnceWarm) {
  Policy policy;
  policy.issuers = {"https://issuer.example"};
  policy.audiences = {"edge"};
  policy.required_claims = {"scope"};
  auto keys = std::make_shared<const keys::KeySet>(
      *keys::KeySet::FromJwks(edgekit::testing::GeneratedData("keys.jwks")));
  auto v = Verifier::Create(keys, policy);
  ASSERT_TRUE(v.ok());
  Claims claims;
  int checked = 0;
  for (const auto& vec : edgekit::testing::Vectors()) {
    if (vec.name.rfind("valid_HS", 0) != 0) continue;
    ++checked;
    EXPECT_EQ(AllocationsDuring(*v, vec.token, &claims, EDGEKIT_OK), 0)
        << vec.name;
    // Failures allocate nothing either.
    std::string tampered = vec.token;
    tampered.back() = tampered.back() == 'A' ? 'Q' : 'A';
    EXPECT_EQ(AllocationsDuring(*v, tampered, &claims, EDGEKIT_E_BAD_SIGNATURE),
              0);
  }
  EXPECT_EQ(checked, 3);
  // The thread-local scratch serves callers that pass no Claims.
  const std::string token = edgekit::testing::Vectors()[0].token;
  ASSERT_EQ(v->Verify(token, kNow, nullptr), EDGEKIT_OK);
  const long before = allocations.load();
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(v->Verify(token, kNow, nullptr), EDGEKIT_OK);
  EXPECT_EQ(allocations.load() - before, 0);
}

TEST(Allocations, CounterSeesAllocations) {
  // Proves the counter is live, so a zero above means something.
  const long before = allocations.load();
  auto p = std::make_unique<std::string>(100, 'x');
  EXPECT_GT(allocations.load() - before, 0);
}

}  // namespace
}  // namespace edgekit::token
