// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Akamai EdgeAuth 2.0: token lookup in query, cookie and header, the field
// parser, ACL wildcards and the escape_early path, with the test vectors'
// key so that seeds from tests/signed_url/data verify.

#include <memory>

#include "signed_url_fuzz.h"

namespace su = edgekit::signed_url;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const su::Verifier* plain = [] {
    su::AkamaiOptions o;
    o.key_hex = "52a152a152a152a152a152a152a1";
    return su::NewAkamaiVerifier(o)->release();
  }();
  static const su::Verifier* escaped = [] {
    su::AkamaiOptions o;
    o.key_hex = "52a152a152a152a152a152a152a1";
    o.escape_early = true;
    o.salt = "pepper";
    return su::NewAkamaiVerifier(o)->release();
  }();
  const su::Request req = su::fuzz::SplitRequest(data, size);
  su::fuzz::Check(*plain, req);
  su::fuzz::Check(*escaped, req);
  return 0;
}
