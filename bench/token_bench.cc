// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Token verification benchmark: BM_Verify/<alg>/<impl> on one realistic token
// per algorithm (bench/token_vectors.py). impl is edgekit (full claim checks
// through the C ABI), floor (the bare crypto primitive on the same signing
// input with the key pre-loaded, from the same libcrypto as edgekit) and the
// Debian peers libjwt, cppjwt and cjose. Every case first passes a correctness
// gate or reports an error instead of a time.
//
// Which cases a binary holds is decided at build time
// (bench/token_bench.cmake): TOKEN_BENCH_EDGEKIT and TOKEN_BENCH_FLOOR need
// this build's crypto backend, TOKEN_BENCH_PEERS needs OpenSSL 3; a binary
// never holds two libcryptos.
//
// Usage: bench_token --token_data=DIR [benchmark flags]   (bench/token.sh)

#include "token_bench.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#if TOKEN_BENCH_EDGEKIT
#include "edgekit/token.h"
#endif

#if TOKEN_BENCH_FLOOR
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#if defined(OPENSSL_IS_BORINGSSL)
#include <openssl/curve25519.h>
#endif

#include <memory>

#include "absl/strings/escaping.h"
#endif

namespace token_bench {
namespace {

#if TOKEN_BENCH_EDGEKIT

// |cache_entries| > 0 times the verified-token cache: after the gate, every
// iteration re-verifies a token the cache already holds.
void RegisterEdgekit(const Inputs& in, const Vector& v, uint32_t cache_entries,
                     const char* impl) {
  benchmark::RegisterBenchmark(
      CaseName(v, impl).c_str(),
      [&in, &v, cache_entries](benchmark::State& state) {
        edgekit_keyset* raw_keys = nullptr;
        const edgekit_status loaded =
            v.alg == "HS256"
                ? edgekit_keyset_from_secret(
                      &raw_keys, reinterpret_cast<const uint8_t*>(v.key.data()),
                      v.key.size(), "k1", 2)
                : edgekit_keyset_from_pem(&raw_keys, v.key.data(), v.key.size(),
                                          "k1", 2);
        std::unique_ptr<edgekit_keyset, decltype(&edgekit_keyset_free)> keys(
            raw_keys, &edgekit_keyset_free);
        if (loaded != EDGEKIT_OK) {
          state.SkipWithError(edgekit_status_name(loaded));
          return;
        }
        const edgekit_str issuer = {in.issuer.data(), in.issuer.size()};
        const edgekit_str audience = {in.audience.data(), in.audience.size()};
        edgekit_verify_options options = {};
        options.struct_size = sizeof options;
        options.issuers = &issuer;
        options.num_issuers = 1;
        options.audiences = &audience;
        options.num_audiences = 1;
        options.cache_entries = cache_entries;
        edgekit_verifier* raw_verifier = nullptr;
        const edgekit_status built =
            edgekit_verifier_new(&raw_verifier, keys.get(), &options);
        std::unique_ptr<edgekit_verifier, decltype(&edgekit_verifier_free)>
            verifier(raw_verifier, &edgekit_verifier_free);
        std::unique_ptr<edgekit_claims, decltype(&edgekit_claims_free)> claims(
            edgekit_claims_new(), &edgekit_claims_free);
        if (built != EDGEKIT_OK || !claims) {
          state.SkipWithError(
              "edgekit_verifier_new or edgekit_claims_new failed");
          return;
        }
        auto verify = [&](const std::string& token, int64_t now_s) {
          return edgekit_verifier_verify(verifier.get(), claims.get(),
                                         token.data(), token.size(), now_s);
        };
        if (!Gate(state, verify(v.token, in.now_s) == EDGEKIT_OK,
                  verify(v.tampered, in.now_s) != EDGEKIT_OK)) {
          return;
        }
        // The claim checks must be live, or edgekit would be timed doing less
        // than the policy asks for.
        if (verify(v.token, in.exp_s) != EDGEKIT_E_EXPIRED) {
          state.SkipWithError(
              "correctness gate: an expired token was accepted");
          return;
        }
        for (auto _ : state) {
          const edgekit_status s = verify(v.token, in.now_s);
          if (s != EDGEKIT_OK) {
            state.SkipWithError(edgekit_status_name(s));
            break;
          }
        }
      });
}

#endif  // TOKEN_BENCH_EDGEKIT

#if TOKEN_BENCH_FLOOR

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct RsaFree {
  void operator()(RSA* p) const { RSA_free(p); }
};
struct EcKeyFree {
  void operator()(EC_KEY* p) const { EC_KEY_free(p); }
};

// The key in the form the bare primitive takes, parsed once.
struct FloorKey {
  std::string secret;
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey;
  std::unique_ptr<RSA, RsaFree> rsa;
  std::unique_ptr<EC_KEY, EcKeyFree> ec;
  uint8_t ed25519[32] = {};
};

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

bool FloorHs256(const FloorKey& key, std::string_view input,
                std::string_view sig) {
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned mac_len = 0;
  if (HMAC(EVP_sha256(), key.secret.data(), key.secret.size(), Bytes(input),
           input.size(), mac, &mac_len) == nullptr) {
    return false;
  }
  return mac_len == sig.size() && CRYPTO_memcmp(mac, sig.data(), mac_len) == 0;
}

bool FloorRs256(const FloorKey& key, std::string_view input,
                std::string_view sig) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(input), input.size(), digest);
  return RSA_verify(NID_sha256, digest, sizeof digest, Bytes(sig),
                    static_cast<unsigned>(sig.size()), key.rsa.get()) == 1;
}

bool FloorPs256(const FloorKey& key, std::string_view input,
                std::string_view sig) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(input), input.size(), digest);
  // The raw RSA public operation, then the PSS check on the encoded message:
  // the two calls BoringSSL and OpenSSL share. Salt length = hash length.
  uint8_t encoded[1024];
  if (sig.size() != static_cast<size_t>(RSA_size(key.rsa.get())) ||
      sig.size() > sizeof encoded) {
    return false;
  }
  const int encoded_len =
      RSA_public_decrypt(static_cast<int>(sig.size()), Bytes(sig), encoded,
                         key.rsa.get(), RSA_NO_PADDING);
  return encoded_len > 0 &&
         RSA_verify_PKCS1_PSS_mgf1(key.rsa.get(), digest, EVP_sha256(),
                                   EVP_sha256(), encoded,
                                   SHA256_DIGEST_LENGTH) == 1;
}

bool FloorEs256(const FloorKey& key, std::string_view input,
                std::string_view sig) {
  if (sig.size() != 64) return false;
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(input), input.size(), digest);
  ECDSA_SIG* ecdsa = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(Bytes(sig), 32, nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(sig) + 32, 32, nullptr);
  bool ok = false;
  if (ecdsa != nullptr && r != nullptr && s != nullptr &&
      ECDSA_SIG_set0(ecdsa, r, s) == 1) {
    r = s = nullptr;  // owned by |ecdsa| now
    ok = ECDSA_do_verify(digest, sizeof digest, ecdsa, key.ec.get()) == 1;
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(ecdsa);
  return ok;
}

bool FloorEdDsa(const FloorKey& key, std::string_view input,
                std::string_view sig) {
#if defined(OPENSSL_IS_BORINGSSL)
  return sig.size() == 64 && ED25519_verify(Bytes(input), input.size(),
                                            Bytes(sig), key.ed25519) == 1;
#else
  // OpenSSL 3 has no bare Ed25519 call: EVP on the pre-parsed key is its floor.
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr &&
                  EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr,
                                       key.pkey.get()) == 1 &&
                  EVP_DigestVerify(ctx, Bytes(sig), sig.size(), Bytes(input),
                                   input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
#endif
}

// LoadFloorKey parses |v|'s key for the primitive; false if it cannot.
bool LoadFloorKey(const Vector& v, FloorKey* key) {
  if (v.alg == "HS256") {
    key->secret = v.key;
    return true;
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(v.key.data(), static_cast<int>(v.key.size())), &BIO_free);
  key->pkey.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key->pkey) return false;
  if (v.alg == "RS256" || v.alg == "PS256") {
    key->rsa.reset(EVP_PKEY_get1_RSA(key->pkey.get()));
    return key->rsa != nullptr;
  }
  if (v.alg == "ES256") {
    key->ec.reset(EVP_PKEY_get1_EC_KEY(key->pkey.get()));
    return key->ec != nullptr;
  }
  size_t len = sizeof key->ed25519;
  return EVP_PKEY_get_raw_public_key(key->pkey.get(), key->ed25519, &len) ==
             1 &&
         len == sizeof key->ed25519;
}

void RegisterFloor(const Inputs& /*in*/, const Vector& v) {
  using FloorFn = bool (*)(const FloorKey&, std::string_view, std::string_view);
  FloorFn fn = v.alg == "HS256"   ? FloorHs256
               : v.alg == "RS256" ? FloorRs256
               : v.alg == "PS256" ? FloorPs256
               : v.alg == "ES256" ? FloorEs256
                                  : FloorEdDsa;
  benchmark::RegisterBenchmark(
      CaseName(v, "floor").c_str(), [&v, fn](benchmark::State& state) {
        FloorKey key;
        if (!LoadFloorKey(v, &key)) {
          state.SkipWithError("cannot load the key for the floor");
          return;
        }
        // Split off the signature and decode it outside the loop: the floor
        // is the primitive alone.
        auto split = [](const std::string& token, std::string_view* input,
                        std::string* sig) {
          const size_t dot = token.rfind('.');
          *input = std::string_view(token).substr(0, dot);
          return absl::WebSafeBase64Unescape(token.substr(dot + 1), sig);
        };
        std::string_view input, tampered_input;
        std::string sig, tampered_sig;
        if (!split(v.token, &input, &sig) ||
            !split(v.tampered, &tampered_input, &tampered_sig)) {
          state.SkipWithError("cannot decode the signature");
          return;
        }
        if (!Gate(state, fn(key, input, sig),
                  !fn(key, tampered_input, tampered_sig))) {
          return;
        }
        for (auto _ : state) {
          if (!fn(key, input, sig)) {
            state.SkipWithError("verify failed inside the timed loop");
            break;
          }
        }
      });
}

#endif  // TOKEN_BENCH_FLOOR

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  std::ostringstream text;
  text << file.rdbuf();
  *out = text.str();
  return true;
}

// Load reads what bench/token_vectors.py and bench/token.sh wrote to |dir|.
bool Load(const std::string& dir, Inputs* in) {
  std::string policy;
  if (!ReadFile(dir + "/policy", &policy)) return false;
  std::istringstream lines(policy);
  std::string now, exp;
  if (!std::getline(lines, in->issuer) || !std::getline(lines, in->audience) ||
      !std::getline(lines, now) || !std::getline(lines, exp)) {
    return false;
  }
  in->now_s = std::strtoll(now.c_str(), nullptr, 10);
  in->exp_s = std::strtoll(exp.c_str(), nullptr, 10);
  const struct {
    const char* alg;
    const char* key_file;
  } kAlgorithms[] = {{"HS256", "hs256.secret"},
                     {"RS256", "rsa.pub.pem"},
                     {"PS256", "rsa.pub.pem"},
                     {"ES256", "ec.pub.pem"},
                     {"EdDSA", "ed25519.pub.pem"}};
  for (const auto& a : kAlgorithms) {
    Vector v;
    v.alg = a.alg;
    const std::string stem = dir + "/" + a.alg;
    if (!ReadFile(stem + ".jwt", &v.token) ||
        !ReadFile(stem + ".tampered.jwt", &v.tampered) ||
        !ReadFile(stem + ".jwk", &v.jwk) ||
        !ReadFile(dir + "/" + a.key_file, &v.key)) {
      return false;
    }
    in->vectors.push_back(std::move(v));
  }
  return true;
}

}  // namespace
}  // namespace token_bench

int main(int argc, char** argv) {
  // Take --token_data=DIR out of argv before Google Benchmark sees it.
  const char* data_dir = nullptr;
  int kept = 0;
  for (int i = 0; i < argc; ++i) {
    constexpr std::string_view kFlag = "--token_data=";
    if (std::string_view(argv[i]).substr(0, kFlag.size()) == kFlag) {
      data_dir = argv[i] + kFlag.size();
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  static token_bench::Inputs inputs;
  if (data_dir == nullptr || !token_bench::Load(data_dir, &inputs)) {
    std::fprintf(stderr,
                 "usage: %s --token_data=DIR [benchmark flags]\n"
                 "DIR is made by bench/token.sh (keys, tokens, policy)\n",
                 argv[0]);
    return 2;
  }
  for (const token_bench::Vector& v : inputs.vectors) {
#if TOKEN_BENCH_EDGEKIT
    token_bench::RegisterEdgekit(inputs, v, 0, "edgekit");
    // HMAC tokens bypass the cache (the MAC is cheaper than its digest).
    if (v.alg != "HS256") {
      token_bench::RegisterEdgekit(inputs, v, 1024, "edgekit_cached");
    }
#endif
#if TOKEN_BENCH_FLOOR
    token_bench::RegisterFloor(inputs, v);
#endif
#if TOKEN_BENCH_PEERS
    token_bench::RegisterLibJwt(inputs, v);
    token_bench::RegisterCppJwt(inputs, v);
    token_bench::RegisterCjose(inputs, v);
#endif
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
