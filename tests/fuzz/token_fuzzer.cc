// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes the token request path: arbitrary bytes as a token against a fixed
// key set (the RFC 7515/8037 example keys, so the seed tokens verify), the
// same bytes through the JSON reader and every claim conversion, and, when
// they form a JSON object, a sign-then-verify round trip that must never
// fail on the signature.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keys/keys.h"
#include "token/json.h"
#include "token/token.h"

namespace {

using edgekit::token::JsonMember;
using edgekit::token::JsonType;

constexpr char kJwks[] = R"({"keys":[
 {"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"},
 {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
 {"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]})";

struct Fixture {
  Fixture() {
    auto set = edgekit::keys::KeySet::FromJwks(kJwks);
    if (!set.ok()) __builtin_trap();
    auto keys = std::make_shared<const edgekit::keys::KeySet>(*std::move(set));
    edgekit::token::Policy policy;
    policy.issuers = {"joe"};
    policy.audiences = {"edge", "joe"};
    policy.required_claims = {"exp"};
    verifier = std::make_unique<edgekit::token::Verifier>(
        *edgekit::token::Verifier::Create(keys, policy));
    auto signing = edgekit::keys::KeySet::FromSecret("fuzz", "f");
    signer = std::make_unique<edgekit::keys::KeySet>(*std::move(signing));
    auto signing_keys = std::make_shared<const edgekit::keys::KeySet>(*signer);
    edgekit::token::Policy loose;
    loose.max_json_depth = 256;
    round_trip = std::make_unique<edgekit::token::Verifier>(
        *edgekit::token::Verifier::Create(signing_keys, loose));
  }
  std::unique_ptr<edgekit::token::Verifier> verifier;
  std::unique_ptr<edgekit::keys::KeySet> signer;
  std::unique_ptr<edgekit::token::Verifier> round_trip;
  edgekit::token::Claims claims;
  edgekit::token::JsonReader reader;
  std::vector<JsonMember> members;
};

// Reads every claim every way; the results do not matter, only that nothing
// misbehaves.
void ReadAll(const edgekit::token::Claims& claims,
             const std::vector<JsonMember>& members) {
  std::string s;
  int64_t i;
  double d;
  bool b;
  std::string_view j;
  for (const JsonMember& m : members) {
    std::string name(edgekit::token::JsonUnescapedSize(m.name), '\0');
    edgekit::token::JsonUnescape(m.name, name.data());
    (void)claims.GetString(name, &s);
    (void)claims.GetInt64(name, &i);
    (void)claims.GetDouble(name, &d);
    (void)claims.GetBool(name, &b);
    (void)claims.GetJson(name, &j);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* f = new Fixture;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // As a token.
  if (f->verifier->Verify(input, 1300819379, &f->claims) == EDGEKIT_OK) {
    if (!f->claims.has_payload()) __builtin_trap();
  }

  // As a JSON document.
  if (f->reader.ParseObject(input, 64, &f->members)) {
    for (const JsonMember& m : f->members) {
      if (m.type == JsonType::kNumber) {
        (void)edgekit::token::JsonNumberToDouble(m.value);
        int64_t v;
        (void)edgekit::token::JsonNumberToInt64(m.value, &v);
      } else if (m.type == JsonType::kArray) {
        edgekit::token::JsonArrayElements it(m.value);
        std::string_view v;
        JsonType t;
        while (it.Next(&v, &t)) {
        }
      }
    }
    // Whatever we sign, we must be able to check the signature of.
    std::string token;
    if (edgekit::token::Sign(*f->signer, "HS256", "f", input, &token) !=
        EDGEKIT_OK) {
      __builtin_trap();
    }
    const edgekit_status s = f->round_trip->Verify(token, 0, &f->claims);
    if (s == EDGEKIT_E_BAD_SIGNATURE || s == EDGEKIT_E_KEY_NOT_FOUND ||
        s == EDGEKIT_E_UNSUPPORTED_ALG) {
      __builtin_trap();
    }
    if (f->claims.has_payload()) {
      if (f->claims.payload() != input) __builtin_trap();
      ReadAll(f->claims, f->members);
    }
  }
  return 0;
}
