// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// libjwt and cjose (Debian libjwt-dev and libcjose-dev, both on OpenSSL 3) in
// the token benchmark. Neither checks claims in its verify call; cjose does
// not even parse the payload. Each is called the way its API intends: libjwt
// takes the key bytes on every call, cjose a JWK imported once.

#include <cjose/cjose.h>
#include <jwt.h>

#include <memory>
#include <string>

#include "token_bench.h"

namespace token_bench {

void RegisterLibJwt(const Inputs& /*in*/, const Vector& v) {
  if (v.alg != "HS256" && v.alg != "RS256" && v.alg != "ES256") return;
  benchmark::RegisterBenchmark(
      CaseName(v, "libjwt").c_str(), [&v](benchmark::State& state) {
        const auto* key = reinterpret_cast<const unsigned char*>(v.key.data());
        const int key_len = static_cast<int>(v.key.size());
        auto verify = [&](const std::string& token) {
          jwt_t* decoded = nullptr;  // jwt_decode wants a NUL-terminated token
          const int err = jwt_decode(&decoded, token.c_str(), key, key_len);
          jwt_free(decoded);
          return err == 0;
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

void RegisterCjose(const Inputs& /*in*/, const Vector& v) {
  if (v.alg == "EdDSA") return;  // cjose 0.6 has no OKP keys
  benchmark::RegisterBenchmark(
      CaseName(v, "cjose").c_str(), [&v](benchmark::State& state) {
        cjose_err err;
        std::unique_ptr<cjose_jwk_t, decltype(&cjose_jwk_release)> jwk(
            cjose_jwk_import(v.jwk.data(), v.jwk.size(), &err),
            &cjose_jwk_release);
        if (!jwk) {
          state.SkipWithError("cjose_jwk_import failed");
          return;
        }
        auto verify = [&](const std::string& token) {
          cjose_jws_t* jws = cjose_jws_import(token.data(), token.size(), &err);
          const bool ok =
              jws != nullptr && cjose_jws_verify(jws, jwk.get(), &err);
          cjose_jws_release(jws);
          return ok;
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
