// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// cpp-jwt (Debian libcpp-jwt-dev, OpenSSL 3) in the token benchmark. Of the
// peers it is the only one that checks iss, aud, exp and nbf in its verify
// call, like edgekit. It takes the key as a PEM string (or the raw secret) and
// parses it on every call; that is its API, so that is what is measured.

#include <string>
#include <system_error>

#include "jwt/jwt.hpp"
#include "token_bench.h"

namespace token_bench {

void RegisterCppJwt(const Inputs& in, const Vector& v) {
  if (v.alg != "HS256" && v.alg != "RS256" && v.alg != "ES256") return;
  benchmark::RegisterBenchmark(
      CaseName(v, "cppjwt").c_str(), [&in, &v](benchmark::State& state) {
        const auto algorithms = jwt::params::algorithms({v.alg});
        auto verify = [&](const std::string& token) {
          std::error_code ec;
          try {
            auto decoded = jwt::decode(
                token, algorithms, ec, jwt::params::secret(v.key),
                jwt::params::verify(true), jwt::params::issuer(in.issuer),
                jwt::params::aud(in.audience));
            benchmark::DoNotOptimize(decoded);
          } catch (const std::exception&) {
            return false;
          }
          return !ec;
        };
        if (!Gate(state, verify(v.token), !verify(v.tampered))) return;
        for (auto _ : state) {
          if (!verify(v.token)) {
            state.SkipWithError("verify failed inside the timed loop");
            break;
          }
        }
      });
}

}  // namespace token_bench
