// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// nginx secure_link_md5: the argument lookup, the "hash,expires" split, the
// lenient base64url decoder and the message template, with and without an
// expiry; plus the stateless core on the raw query.

#include <memory>

#include "signed_url_fuzz.h"

namespace su = edgekit::signed_url;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const su::Verifier* with_expiry = [] {
    su::NginxMd5Options o;
    o.message = "$secure_link_expires$uri$remote_addr secret";
    return su::NewNginxMd5Verifier(o)->release();
  }();
  static const su::Verifier* without_expiry = [] {
    su::NginxMd5Options o;
    o.message = "${uri}$args secret";
    o.no_expiry = true;
    return su::NewNginxMd5Verifier(o)->release();
  }();
  const su::Request req = su::fuzz::SplitRequest(data, size);
  su::fuzz::Check(*with_expiry, req);
  su::fuzz::Check(*without_expiry, req);
  su::Result r;
  (void)su::VerifyNginxSecureLinkMd5(req.query, req.path, req.now_s, &r);
  return 0;
}
