// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// One verifier of each kind shared by several threads (labelled
// "concurrency", so `make test` also runs it under TSan): verifiers are
// immutable after construction and the request path keeps no shared state.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "signed_url/signed_url.h"
#include "test_util.h"

namespace edgekit::signed_url {
namespace {

TEST(SignedUrlConcurrency, SharedVerifiersAgreeAcrossThreads) {
  AkamaiOptions ao;
  ao.key_hex = "52a152a152a152a152a152a152a1";
  auto akamai = NewAkamaiVerifier(ao);
  ASSERT_TRUE(akamai.ok());
  CloudFrontOptions co;
  co.keys = {{"K_EC", testing::ReadFile(
                          testing::DataPath("cloudfront_ec_public.pem"))}};
  auto cloudfront = NewCloudFrontVerifier(co);
  ASSERT_TRUE(cloudfront.ok());

  const std::string good =
      "__token__=st=1700000000~exp=1700003600~acl=/videos/*~hmac="
      "93796160e1c61d2f68595528dfda0d65e2f4ecc1c9a15322800be5200dca73c4";
  std::string bad = good;
  bad[bad.size() - 1] = '5';
  // From data/cloudfront_vectors.json, "canned_k_ec_sha256" shape, with a
  // signature that cannot verify: exercises the EC path on every thread.
  const std::string cf_query =
      "Expires=1700003600&Key-Pair-Id=K_EC&Signature="
      "MEUCIQC06Y~koukVBqiMpClQsxFy0Lz~n1GZHsA1zYo96v25DQIgZ4FnLvuYdV4v0QXZeRXD"
      "oHp7pasY8Fv82dSi4Ls1-Pk_&Hash-Algorithm=SHA256";

  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        Request req;
        req.path = "/videos/a.mp4";
        req.now_s = 1700000010;
        req.query = (i % 2 == 0) ? good : bad;
        const edgekit_status want =
            (i % 2 == 0) ? EDGEKIT_OK : EDGEKIT_E_BAD_SIGNATURE;
        if ((*akamai)->Verify(req, nullptr) != want) ++wrong;
        if (i % 100 == 0) {
          Request cf;
          cf.path = "https://d111111abcdef8.cloudfront.net/other.mp4";
          cf.query = cf_query;
          cf.now_s = 1700000010;
          if ((*cloudfront)->Verify(cf, nullptr) != EDGEKIT_E_BAD_SIGNATURE) {
            ++wrong;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace edgekit::signed_url
