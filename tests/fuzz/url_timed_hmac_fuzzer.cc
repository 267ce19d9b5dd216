// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Timed HMAC: two-parameter and combined token forms, every MAC encoding
// (hex, base64url, percent-encoded base64), prefixes and TTL times.

#include <memory>

#include "signed_url_fuzz.h"

namespace su = edgekit::signed_url;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const su::Verifier* hex = [] {
    su::TimedHmacOptions o;
    o.secret = "topsecret";
    o.message = "$path$expires|$ip";
    return su::NewTimedHmacVerifier(o)->release();
  }();
  static const su::Verifier* cloudflare = [] {
    su::TimedHmacOptions o;
    o.secret = "mysecretkey";
    o.encoding = su::Encoding::kBase64;
    o.token_arg = "verify";
    o.separator = '-';
    o.ttl_s = 3600;
    return su::NewTimedHmacVerifier(o)->release();
  }();
  static const su::Verifier* bunny = [] {
    su::TimedHmacOptions o;
    o.secret = "k";
    o.hash = edgekit::crypto::Hash::kMd5;
    o.encoding = su::Encoding::kBase64Url;
    o.plain_digest = true;
    o.prefix = "HS-";
    o.message = "$secret$path$expires";
    return su::NewTimedHmacVerifier(o)->release();
  }();
  const su::Request req = su::fuzz::SplitRequest(data, size);
  su::fuzz::Check(*hex, req);
  su::fuzz::Check(*cloudflare, req);
  su::fuzz::Check(*bunny, req);
  return 0;
}
