// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// CloudFront signed URLs and cookies against AWS's own signer
// (@aws-sdk/cloudfront-signer via gen_cloudfront_vectors.js, or the committed
// data/cloudfront_vectors.json), every signed parameter mutated at every
// byte, the policy parser's malformed shapes, and key configuration.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"
#include "test_util.h"

namespace edgekit::signed_url {
namespace {

using testing::DataPath;
using testing::Int;
using testing::ReadFile;
using testing::Str;

CloudFrontOptions TestKeys() {
  CloudFrontOptions o;
  o.keys = {{"K_RSA", ReadFile(DataPath("cloudfront_rsa_public.pem"))},
            {"K_EC", ReadFile(DataPath("cloudfront_ec_public.pem"))},
            {"K_RSA2", ReadFile(DataPath("cloudfront_rsa2_public.pem"))}};
  return o;
}

struct Owned {
  std::string path, query, cookie, ip;
  int64_t now;
  Request Get() const {
    Request r;
    r.path = path;
    r.query = query;
    r.cookie = cookie;
    r.client_ip = ip;
    r.now_s = now;
    return r;
  }
};

Owned FromJson(const picojson::value& r) {
  return {Str(r, "path"), Str(r, "query"), Str(r, "cookie"),
          Str(r, "client_ip"), Int(r, "now")};
}

// SignedRanges returns the [begin, end) ranges of the CloudFront parameters
// (name=value) inside |s|, a query or a Cookie header.
std::vector<std::pair<size_t, size_t>> SignedRanges(const std::string& s,
                                                    bool cookie) {
  std::vector<std::pair<size_t, size_t>> out;
  for (const char* name : {"Expires=", "Policy=", "Signature=", "Key-Pair-Id=",
                           "Hash-Algorithm="}) {
    const std::string key = (cookie ? "CloudFront-" : "") + std::string(name);
    const size_t at = s.find(key);
    if (at == std::string::npos) continue;
    size_t end = s.find(cookie ? ';' : '&', at);
    if (end == std::string::npos) end = s.size();
    out.emplace_back(at, end);
  }
  return out;
}

class CloudFrontVectors : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sets_ = new std::vector<testing::VectorSet>(testing::LoadVectors(
        "gen_cloudfront_vectors.js", "cloudfront_vectors.json"));
  }
  static void TearDownTestSuite() { delete sets_; }
  // AllCases lists the cases of every loaded set.
  static std::vector<const picojson::value*> AllCases() {
    std::vector<const picojson::value*> out;
    for (const auto& set : *sets_) {
      for (const auto& c : testing::Cases(set.json)) out.push_back(&c);
    }
    return out;
  }

  std::unique_ptr<Verifier> MakeVerifier(const picojson::value& c) {
    CloudFrontOptions o = TestKeys();
    const picojson::value& v = c.get("verifier");
    o.require_sha256 = v.contains("require_sha256");
    auto made = NewCloudFrontVerifier(o);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? *std::move(made) : nullptr;
  }

  static std::vector<testing::VectorSet>* sets_;
};
std::vector<testing::VectorSet>* CloudFrontVectors::sets_ = nullptr;

TEST_F(CloudFrontVectors, EveryVectorGetsItsStatus) {
  const auto cases = AllCases();
  ASSERT_GE(cases.size(), 30u);
  for (const picojson::value* cp : cases) {
    const picojson::value& c = *cp;
    auto v = MakeVerifier(c);
    ASSERT_NE(v, nullptr);
    const Owned req = FromJson(c.get("request"));
    Result r;
    EXPECT_STREQ(edgekit_status_name(v->Verify(req.Get(), &r)),
                 Str(c, "expect").c_str())
        << Str(c, "name") << ": " << Str(c, "signed");
  }
}

TEST_F(CloudFrontVectors, ResultNamesKeyAndPolicy) {
  for (const picojson::value* cp : AllCases()) {
    const picojson::value& c = *cp;
    if (Str(c, "name") != "custom_k_ec_sha256") continue;
    auto v = MakeVerifier(c);
    const Owned req = FromJson(c.get("request"));
    Result r;
    ASSERT_EQ(v->Verify(req.Get(), &r), EDGEKIT_OK);
    EXPECT_EQ(r.identity, "K_EC");
    EXPECT_EQ(r.expires_s, 1700003600);
    EXPECT_EQ(r.starts_s, 1700000000);
    EXPECT_FALSE(r.scope.empty());
    EXPECT_GE(r.scope.data(), req.query.data());
    EXPECT_LE(r.scope.data() + r.scope.size(),
              req.query.data() + req.query.size());
    return;
  }
  FAIL() << "no custom_k_ec_sha256 vector";
}

// Every byte of every signed parameter, and of the path of canned links,
// flipped, replaced, deleted or truncated, must fail.
TEST_F(CloudFrontVectors, EveryMutationFails) {
  size_t tried = 0;
  for (const picojson::value* cp : AllCases()) {
    const picojson::value& c = *cp;
    if (Str(c, "expect") != "ok") continue;
    auto v = MakeVerifier(c);
    const Owned req = FromJson(c.get("request"));
    const bool cookie = !req.cookie.empty();
    std::string* target = nullptr;
    Owned bad = req;
    target = cookie ? &bad.cookie : &bad.query;
    const std::string original = *target;
    for (const auto& [begin, end] : SignedRanges(original, cookie)) {
      for (size_t i = begin; i < end; ++i) {
        for (const std::string& m : testing::MutationsAt(original, i)) {
          *target = m;
          EXPECT_NE(v->Verify(bad.Get(), nullptr), EDGEKIT_OK)
              << Str(c, "name") << ": " << m;
          ++tried;
        }
      }
    }
    *target = original;
    if (Str(c, "name").rfind("canned_", 0) == 0) {
      for (size_t i = 0; i < req.path.size(); ++i) {
        for (const std::string& m : testing::MutationsAt(req.path, i)) {
          bad.path = m;
          EXPECT_NE(v->Verify(bad.Get(), nullptr), EDGEKIT_OK)
              << Str(c, "name") << ": " << m;
          ++tried;
        }
      }
    }
  }
  EXPECT_GT(tried, 20000u);
}

class CloudFront : public ::testing::Test {
 protected:
  void SetUp() override {
    auto v = NewCloudFrontVerifier(TestKeys());
    ASSERT_TRUE(v.ok()) << v.status();
    verifier_ = *std::move(v);
  }
  edgekit_status Check(const std::string& query) {
    Request req;
    req.path = "https://d111111abcdef8.cloudfront.net/a";
    req.query = query;
    req.now_s = 1700000010;
    return verifier_->Verify(req, nullptr);
  }
  std::unique_ptr<Verifier> verifier_;
};

TEST_F(CloudFront, MalformedShapes) {
  const std::string sig = "Signature=" + std::string(342, 'A') + "__";
  const struct {
    std::string query;
    edgekit_status want;
  } cases[] = {
      {"", EDGEKIT_E_NO_TOKEN},
      {"Expires=1700003600&Key-Pair-Id=K_RSA", EDGEKIT_E_NO_TOKEN},
      {sig + "&Key-Pair-Id=K_RSA", EDGEKIT_E_MALFORMED},  // no Expires/Policy
      {sig + "&Expires=1&Policy=e30_&Key-Pair-Id=K_RSA", EDGEKIT_E_MALFORMED},
      {sig + "&Expires=1700003600", EDGEKIT_E_MALFORMED},  // no key id
      {sig + "&Expires=1700003600&Key-Pair-Id=", EDGEKIT_E_MALFORMED},
      {sig + "&Expires=01700003600&Key-Pair-Id=K_RSA", EDGEKIT_E_MALFORMED},
      {sig + "&Expires=17e8&Key-Pair-Id=K_RSA", EDGEKIT_E_MALFORMED},
      {"Signature=AAA&Expires=1700003600&Key-Pair-Id=K_RSA",
       EDGEKIT_E_MALFORMED},
      {"Signature=&Expires=1700003600&Key-Pair-Id=K_RSA", EDGEKIT_E_MALFORMED},
      {"Signature=AA+A&Expires=1700003600&Key-Pair-Id=K_RSA",
       EDGEKIT_E_MALFORMED},
      {sig + "&Policy=not*base64&Key-Pair-Id=K_RSA", EDGEKIT_E_MALFORMED},
      {sig + "&Expires=1700003600&Key-Pair-Id=K_RSA&Hash-Algorithm=MD5",
       EDGEKIT_E_UNSUPPORTED_ALG},
      {sig + "&Expires=1700003600&Key-Pair-Id=K_RSA&Hash-Algorithm=sha256",
       EDGEKIT_E_UNSUPPORTED_ALG},
      {sig + "&Expires=1700003600&Key-Pair-Id=NOPE", EDGEKIT_E_KEY_NOT_FOUND},
      {sig + "&Expires=1700003600&Key-Pair-Id=K_RSA", EDGEKIT_E_BAD_SIGNATURE},
      {sig + "&Policy=e30_&Key-Pair-Id=K_EC", EDGEKIT_E_BAD_SIGNATURE},
  };
  for (const auto& c : cases) EXPECT_EQ(Check(c.query), c.want) << c.query;
}

TEST(CloudFrontPolicyParser, AcceptsWhatSignersWrite) {
  CloudFrontPolicy p;
  ASSERT_TRUE(ParseCloudFrontPolicy(
      R"({"Statement":[{"Resource":"https://h/a/*","Condition":{)"
      R"("DateLessThan":{"AWS:EpochTime":1700003600},)"
      R"("DateGreaterThan":{"AWS:EpochTime":1700000000},)"
      R"("IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}]})",
      &p));
  EXPECT_EQ(p.resource, "https://h/a/*");
  EXPECT_EQ(p.date_less_than, 1700003600);
  EXPECT_EQ(p.date_greater_than, 1700000000);
  EXPECT_EQ(p.source_ip, "192.0.2.0/24");
  // Whitespace and a missing Resource are allowed.
  ASSERT_TRUE(ParseCloudFrontPolicy(
      " { \"Statement\" : [ { \"Condition\" : { \"DateLessThan\" : "
      "{ \"AWS:EpochTime\" : 5 } } } ] } ",
      &p));
  EXPECT_FALSE(p.has_resource);
  EXPECT_EQ(p.date_less_than, 5);
}

TEST(CloudFrontPolicyParser, RefusesEveryOtherShape) {
  const char* kDlt = R"("DateLessThan":{"AWS:EpochTime":5})";
  const std::string bad[] = {
      "",
      "null",
      "[]",
      R"({"Statement":[]})",
      R"({"Statement":{}})",
      std::string(R"({"Statement":[{"Condition":{)") + kDlt + "}},{}]}",
      std::string(R"({"Statement":[{"Condition":{)") + kDlt + "}}],\"x\":1}",
      R"({"Statement":[{"Condition":{}}]})",
      R"({"Statement":[{"Resource":"a"}]})",
      std::string(R"({"Statement":[{"Resource":5,"Condition":{)") + kDlt +
          "}}]}",
      std::string(R"({"Statement":[{"Extra":1,"Condition":{)") + kDlt + "}}]}",
      std::string(R"({"Statement":[{"Condition":{"Other":{},)") + kDlt + "}}]}",
      R"({"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":"5"}}}]})",
      R"({"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":5.5}}}]})",
      R"({"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":-5}}}]})",
      R"({"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1e300}}}]})",
      // picojson throws for this one (found by fuzz_url_cloudfront).
      R"({"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1e999}}}]})",
      R"({"Statement":[{"Condition":{"DateLessThan":{"X":5}}}]})",
      R"({"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":5,"X":1}}}]})",
      std::string(
          R"({"Statement":[{"Condition":{"IpAddress":{"AWS:SourceIp":"1.2.3.4/40"},)") +
          kDlt + "}}]}",
      std::string(
          R"({"Statement":[{"Condition":{"IpAddress":{"AWS:SourceIp":""},)") +
          kDlt + "}}]}",
      std::string(R"({"Statement":[{"Condition":{"IpAddress":"1.2.3.4",)") +
          kDlt + "}}]}",
      std::string(R"({"Statement":[{"Condition":{)") + kDlt + "}}]} trailing",
      R"({"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":5}})",
  };
  for (const std::string& json : bad) {
    CloudFrontPolicy p;
    EXPECT_FALSE(ParseCloudFrontPolicy(json, &p)) << json;
  }
}

TEST(CloudFrontConfig, RefusesBadKeys) {
  CloudFrontOptions o;
  EXPECT_FALSE(NewCloudFrontVerifier(o).ok());
  o.keys = {{"A", "not a pem"}};
  EXPECT_FALSE(NewCloudFrontVerifier(o).ok());
  const std::string rsa = ReadFile(DataPath("cloudfront_rsa_public.pem"));
  o.keys = {{"A", rsa}, {"A", rsa}};
  EXPECT_FALSE(NewCloudFrontVerifier(o).ok());
  o.keys = {{"", rsa}};
  EXPECT_FALSE(NewCloudFrontVerifier(o).ok());
  o.keys = {{"A", rsa}};
  EXPECT_TRUE(NewCloudFrontVerifier(o).ok());
}

}  // namespace
}  // namespace edgekit::signed_url
