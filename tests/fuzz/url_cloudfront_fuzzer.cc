// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// CloudFront: parameter and cookie lookup, CloudFront base64, resource
// rebuilding, canned-policy JSON, signature verification with the test keys,
// and — because a signature guards it in the verifier — the custom-policy
// parser and CIDR check fed directly with the raw input.

#include <memory>
#include <string>

#include "signed_url/internal.h"
#include "signed_url_fuzz.h"

namespace su = edgekit::signed_url;

namespace {

// tests/signed_url/data/cloudfront_{rsa,ec}_public.pem, inline so the fuzzer
// runs from any directory.
constexpr char kRsaKey[] = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoSDkoDwRgkZmForszU6l
E1+BOiK7owfBCyx8AiP4qdXdlm9Bk/0Yz0B/6iJ7uD0YdUcytT2wK7IRO8sAw61z
4maqH4KRIkogYkf+DZj0AU01erXdg/tLMhBnp5f9/kNlesaMhQCoMbnb1KPKKp8h
kS3tlPNTlpj0YHJHqzGNiBabwUu+2O/hMYrrBajbt5FUa6c6lBD0g+tKjNC/JBDT
VEJdx628FLc8iVJ1fRThOensZ3ipfCH6tppR7moOCLDmfZzBeGlYPP0ZmIpzGZYz
A+kK3PQehU2/hMIcAU284O0UOjW+TUtXUimUb/W1pwILHvFyLIfNFbKevCdltc+v
qwIDAQAB
-----END PUBLIC KEY-----
)";
constexpr char kEcKey[] = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQpNw0xUnHtZEUoseutmuassiDVKY
ygNlUR/eX4oy3HpEmarlxs1ZbhWNuMmNcSrPsw8nI+4syHwXx++sn8PrWA==
-----END PUBLIC KEY-----
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const su::Verifier* v = [] {
    su::CloudFrontOptions o;
    o.keys = {{"K_RSA", kRsaKey}, {"K_EC", kEcKey}};
    return su::NewCloudFrontVerifier(o)->release();
  }();
  const su::Request req = su::fuzz::SplitRequest(data, size);
  su::fuzz::Check(*v, req);
  su::CloudFrontPolicy policy;
  if (su::ParseCloudFrontPolicy(req.path, &policy)) {
    if (policy.date_less_than < 0) __builtin_trap();
    su::internal::IpAddress ip;
    bool valid = false;
    if (su::internal::ParseIp(req.client_ip, &ip) &&
        !policy.source_ip.empty()) {
      (void)su::internal::CidrContains(policy.source_ip, ip, &valid);
      if (!valid) __builtin_trap();  // the parser let a bad CIDR through
    }
    (void)su::internal::GlobMatch(policy.resource, req.query);
  }
  return 0;
}
