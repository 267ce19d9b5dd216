// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// nginx secure_link_secret: the /prefix/<hex>/link split and hex decoding.

#include <memory>

#include "signed_url_fuzz.h"

namespace su = edgekit::signed_url;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const su::Verifier* v = su::NewNginxSecretVerifier("word")->release();
  su::fuzz::Check(*v, su::fuzz::SplitRequest(data, size));
  return 0;
}
