// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Shared by the signed-URL fuzzers: a fuzz input is the request's fields
// separated by '\n' (path, query, cookie, header, client IP), so seeds are
// readable and every field is reachable. The time is fixed inside the
// vectors' validity window, so valid seeds reach the post-MAC checks.

#ifndef EDGEKIT_TESTS_FUZZ_SIGNED_URL_FUZZ_H_
#define EDGEKIT_TESTS_FUZZ_SIGNED_URL_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "signed_url/signed_url.h"

namespace edgekit::signed_url::fuzz {

inline Request SplitRequest(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view fields[5];
  for (auto& f : fields) {
    const size_t nl = in.find('\n');
    f = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  }
  Request req;
  req.path = fields[0];
  req.query = fields[1];
  req.cookie = fields[2];
  req.header = fields[3];
  req.client_ip = fields[4];
  req.now_s = 1700000010;
  return req;
}

// Check verifies |req| and asserts what must hold whatever the input: the
// result's views point into the request.
inline void Check(const Verifier& v, const Request& req) {
  Result r;
  (void)v.Verify(req, &r);
  for (std::string_view view : {r.identity, r.scope}) {
    if (view.empty()) continue;
    bool inside = false;
    for (std::string_view f :
         {req.path, req.query, req.cookie, req.header, req.client_ip}) {
      if (view.data() >= f.data() &&
          view.data() + view.size() <= f.data() + f.size()) {
        inside = true;
      }
    }
    if (!inside) __builtin_trap();
  }
}

}  // namespace edgekit::signed_url::fuzz

#endif  // EDGEKIT_TESTS_FUZZ_SIGNED_URL_FUZZ_H_
