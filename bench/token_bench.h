// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// What the token benchmark's translation units share: the inputs that
// bench/token.sh generates, and the registration of each implementation's
// cases. The peers live in their own files because libjwt's `struct jwt` and
// cpp-jwt's `namespace jwt` cannot meet in one translation unit, and because
// they link OpenSSL 3, which must stay out of the BoringSSL binary.

#ifndef EDGEKIT_BENCH_TOKEN_BENCH_H_
#define EDGEKIT_BENCH_TOKEN_BENCH_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace token_bench {

// One algorithm's inputs: the same token for every implementation.
struct Vector {
  std::string alg;       // JWS "alg": HS256, RS256, PS256, ES256 or EdDSA
  std::string token;     // signed by PyJWT, kid "k1"
  std::string tampered;  // same signature, payload with another "sub"
  std::string key;       // the HMAC secret, or the public key as SPKI PEM
  std::string jwk;       // the same key as a public JWK
};

// The claim policy every verifier that checks claims is given.
struct Inputs {
  std::vector<Vector> vectors;
  std::string issuer;
  std::string audience;
  int64_t now_s = 0;  // a time inside the tokens' validity
  int64_t exp_s = 0;  // the tokens' "exp": verifying at this time must fail
};

// Gate is the correctness check every case runs before it is timed: the good
// token must verify and the tampered one must not. On failure it marks the
// case as an error, so it reports no time, and returns false.
inline bool Gate(benchmark::State& state, bool accepts_good,
                 bool rejects_tampered) {
  if (!accepts_good) {
    state.SkipWithError("correctness gate: the good token was rejected");
  } else if (!rejects_tampered) {
    state.SkipWithError("correctness gate: the tampered token was accepted");
  }
  return accepts_good && rejects_tampered;
}

inline std::string CaseName(const Vector& v, const char* impl) {
  return "BM_Verify/" + v.alg + "/" + impl;
}

// Each registers BM_Verify/<alg>/<impl> if the implementation supports |v|'s
// algorithm. |in| and |v| must outlive the benchmark run.
void RegisterLibJwt(const Inputs& in, const Vector& v);
void RegisterCppJwt(const Inputs& in, const Vector& v);
void RegisterCjose(const Inputs& in, const Vector& v);

}  // namespace token_bench

#endif  // EDGEKIT_BENCH_TOKEN_BENCH_H_
