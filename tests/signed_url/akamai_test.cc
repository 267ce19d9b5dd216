// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Akamai EdgeAuth 2.0 against tokens from the independent akamai-edgeauth
// signer (gen_akamai_vectors.js; data/akamai_vectors.json when node is
// absent), every token mutated at every byte, and malformed shapes.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "signed_url/signed_url.h"
#include "test_util.h"

namespace edgekit::signed_url {
namespace {

using testing::Int;
using testing::Str;

std::unique_ptr<Verifier> MakeVerifier(const picojson::value& o) {
  AkamaiOptions opts;
  opts.key_hex = Str(o, "key_hex");
  const std::string alg = Str(o, "algorithm");
  opts.hash = alg == "sha1"  ? crypto::Hash::kSha1
              : alg == "md5" ? crypto::Hash::kMd5
                             : crypto::Hash::kSha256;
  opts.token_name = Str(o, "token_name");
  opts.field_delimiter = Str(o, "field_delimiter")[0];
  opts.acl_delimiter = Str(o, "acl_delimiter")[0];
  opts.salt = Str(o, "salt");
  opts.escape_early = o.get("escape_early").get<bool>();
  auto v = NewAkamaiVerifier(opts);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *std::move(v) : nullptr;
}

struct Owned {
  std::string path, query, cookie, header, ip;
  int64_t now;
  Request Get() const {
    Request r;
    r.path = path;
    r.query = query;
    r.cookie = cookie;
    r.header = header;
    r.client_ip = ip;
    r.now_s = now;
    return r;
  }
};

Owned FromJson(const picojson::value& r) {
  return {Str(r, "path"),   Str(r, "query"),     Str(r, "cookie"),
          Str(r, "header"), Str(r, "client_ip"), Int(r, "now")};
}

// Replace puts |token| wherever the vector carried |original|.
Owned Replace(Owned req, const std::string& original,
              const std::string& token) {
  for (std::string* s : {&req.query, &req.cookie, &req.header}) {
    const size_t at = s->find(original);
    if (at != std::string::npos) s->replace(at, original.size(), token);
  }
  return req;
}

class AkamaiVectors : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sets_ = new std::vector<testing::VectorSet>(
        testing::LoadVectors("gen_akamai_vectors.js", "akamai_vectors.json"));
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
  static std::vector<testing::VectorSet>* sets_;
};
std::vector<testing::VectorSet>* AkamaiVectors::sets_ = nullptr;

TEST_F(AkamaiVectors, EveryVectorGetsItsStatus) {
  const auto cases = AllCases();
  ASSERT_GE(cases.size(), 25u);
  for (const picojson::value* cp : cases) {
    const picojson::value& c = *cp;
    auto v = MakeVerifier(c.get("verifier"));
    ASSERT_NE(v, nullptr);
    const Owned req = FromJson(c.get("request"));
    Result r;
    EXPECT_STREQ(edgekit_status_name(v->Verify(req.Get(), &r)),
                 Str(c, "expect").c_str())
        << Str(c, "name") << ": " << Str(c, "token");
  }
}

TEST_F(AkamaiVectors, ResultPointsIntoTheRequest) {
  for (const picojson::value* cp : AllCases()) {
    const picojson::value& c = *cp;
    if (Str(c, "name") != "all_fields") continue;
    auto v = MakeVerifier(c.get("verifier"));
    const Owned req = FromJson(c.get("request"));
    Result r;
    ASSERT_EQ(v->Verify(req.Get(), &r), EDGEKIT_OK);
    EXPECT_EQ(r.identity, "user-42");
    EXPECT_EQ(r.scope, "/*");
    EXPECT_EQ(r.expires_s, 1700003600);
    EXPECT_EQ(r.starts_s, 1700000000);
    EXPECT_GE(r.identity.data(), req.query.data());
    EXPECT_LT(r.identity.data(), req.query.data() + req.query.size());
    return;
  }
  FAIL() << "no all_fields vector";
}

// Every byte of every valid token, flipped, replaced, deleted or truncated,
// must fail: no field is outside the MAC.
TEST_F(AkamaiVectors, EveryMutationFails) {
  size_t tried = 0;
  for (const picojson::value* cp : AllCases()) {
    const picojson::value& c = *cp;
    if (Str(c, "expect") != "ok") continue;
    auto v = MakeVerifier(c.get("verifier"));
    const Owned req = FromJson(c.get("request"));
    const std::string token = Str(c, "token");
    for (size_t i = 0; i < token.size(); ++i) {
      for (const std::string& m : testing::MutationsAt(token, i)) {
        const Owned bad = Replace(req, token, m);
        EXPECT_NE(v->Verify(bad.Get(), nullptr), EDGEKIT_OK)
            << Str(c, "name") << ": " << m;
        ++tried;
      }
    }
  }
  EXPECT_GT(tried, 5000u);
}

TEST_F(AkamaiVectors, SourcesCanBeRestricted) {
  for (const picojson::value* cp : AllCases()) {
    const picojson::value& c = *cp;
    if (Str(c, "name") != "cookie") continue;
    AkamaiOptions o;
    o.key_hex = Str(c.get("verifier"), "key_hex");
    o.sources = kFromQuery | kFromHeader;
    auto v = NewAkamaiVerifier(o);
    ASSERT_TRUE(v.ok());
    const Owned req = FromJson(c.get("request"));
    EXPECT_EQ((*v)->Verify(req.Get(), nullptr), EDGEKIT_E_NO_TOKEN);
    return;
  }
  FAIL() << "no cookie vector";
}

class Akamai : public ::testing::Test {
 protected:
  void SetUp() override {
    AkamaiOptions o;
    o.key_hex = "52a152a152a152a152a152a152a1";
    auto v = NewAkamaiVerifier(o);
    ASSERT_TRUE(v.ok());
    verifier_ = *std::move(v);
  }
  edgekit_status Check(const std::string& token) {
    Request req;
    req.path = "/x";
    req.header = token;
    req.now_s = 1700000010;
    return verifier_->Verify(req, nullptr);
  }
  std::unique_ptr<Verifier> verifier_;
};

TEST_F(Akamai, MalformedShapes) {
  const std::string hmac = "hmac=" + std::string(64, 'a');
  for (const std::string& t : {
           std::string("exp=1700003600"),                  // no hmac
           hmac,                                           // no exp
           "exp=1700003600~" + hmac + "~id=x",             // hmac not last
           "exp=1700003600~exp=1700003600~" + hmac,        // duplicate
           "exp=1700003600~url=/x~" + hmac,                // url is never sent
           "exp=1700003600~kid=1~" + hmac,                 // unknown field
           "exp=1700003600~acl~" + hmac,                   // no '='
           "exp=1700003600~~" + hmac,                      // empty field
           "exp=1700003600~" + hmac + "~",                 // trailing delimiter
           "exp=017000036~" + hmac,                        // leading zero
           "exp=-1~" + hmac,                               // sign
           "exp=1700003600~st=now~" + hmac,                // st not a number
           std::string("exp=1700003600~hmac=abc"),         // odd hex
           "exp=1700003600~hmac=" + std::string(62, 'a'),  // short MAC
           "exp=1700003600~hmac=" + std::string(64, 'g'),  // not hex
       }) {
    EXPECT_EQ(Check(t), EDGEKIT_E_MALFORMED) << t;
  }
  EXPECT_EQ(Check(""), EDGEKIT_E_NO_TOKEN);
  EXPECT_EQ(Check("exp=1700003600~acl=/*~" + hmac), EDGEKIT_E_BAD_SIGNATURE);
}

TEST(AkamaiConfig, RefusesBadKeysAndDelimiters) {
  AkamaiOptions o;
  EXPECT_FALSE(NewAkamaiVerifier(o).ok());
  o.key_hex = "abc";
  EXPECT_FALSE(NewAkamaiVerifier(o).ok());
  o.key_hex = "zz";
  EXPECT_FALSE(NewAkamaiVerifier(o).ok());
  o.key_hex = "ab";
  o.hash = crypto::Hash::kSha512;
  EXPECT_FALSE(NewAkamaiVerifier(o).ok());
  o.hash = crypto::Hash::kSha256;
  o.acl_delimiter = '~';
  EXPECT_FALSE(NewAkamaiVerifier(o).ok());
  o.acl_delimiter = '!';
  o.token_name = "";
  EXPECT_FALSE(NewAkamaiVerifier(o).ok());
  o.token_name = "__token__";
  EXPECT_TRUE(NewAkamaiVerifier(o).ok());
}

}  // namespace
}  // namespace edgekit::signed_url
