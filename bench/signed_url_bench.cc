// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Each signed-URL dialect against its floor — the one MD5, HMAC, RSA or ECDSA
// operation it cannot avoid, on the same bytes, measured in this binary —
// and a closing table of CPU-time ratios (medians when run with
// --benchmark_repetitions). Links come from the test vectors, so every
// benchmarked verify is a successful one. bench/signed_url.sh runs this
// pinned on both crypto backends and adds the real nginx's secure_link cost.

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "crypto/crypto.h"
#include "edgekit/base.h"
#include "picojson.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace su = edgekit::signed_url;
namespace crypto = edgekit::crypto;

namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(EDGEKIT_BENCH_SOURCE_DIR) +
                   "/tests/signed_url/data/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Vector finds one case of a committed vector file by name.
picojson::value Vector(const std::string& file, const std::string& name) {
  picojson::value v;
  const std::string err = picojson::parse(v, ReadData(file));
  if (!err.empty()) return {};
  for (const auto& c : v.get("cases").get<picojson::array>()) {
    if (c.get("name").to_str() == name) return c;
  }
  return {};
}

// A request whose strings live as long as the benchmark.
struct Link {
  std::string path, query, cookie, header, ip;
  int64_t now = 0;
  su::Request Get() const {
    su::Request r;
    r.path = path;
    r.query = query;
    r.cookie = cookie;
    r.header = header;
    r.client_ip = ip;
    r.now_s = now;
    return r;
  }
};

Link FromVector(const picojson::value& c) {
  const picojson::value& r = c.get("request");
  auto s = [&](const char* n) {
    return r.get(n).is<std::string>() ? r.get(n).get<std::string>() : "";
  };
  return {s("path"),      s("query"),
          s("cookie"),    s("header"),
          s("client_ip"), static_cast<int64_t>(r.get("now").get<double>())};
}

void RunVerify(benchmark::State& state, const su::Verifier& v,
               const Link& link) {
  const su::Request req = link.Get();
  su::Result r;
  if (v.Verify(req, &r) != EDGEKIT_OK) {
    state.SkipWithError("the benchmark link does not verify");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(v.Verify(req, &r));
    benchmark::ClobberMemory();
  }
}

// --- nginx -----------------------------------------------------------------

const char kNginxMessage[] = "4102444800/s/f.txt127.0.0.1 secret";

void BM_Floor_Md5(benchmark::State& state) {
  uint8_t out[16];
  for (auto _ : state) {
    crypto::Digest(crypto::Hash::kMd5, kNginxMessage, out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Floor_Md5);

void BM_NginxMd5(benchmark::State& state) {
  su::NginxMd5Options o;
  o.message = "$secure_link_expires$uri$remote_addr secret";
  auto v = su::NewNginxMd5Verifier(o);
  Link link;
  link.path = "/s/f.txt";
  link.query = "md5=VigdHMMeWXwnfjJ37mwT3A&expires=4102444800";
  link.ip = "127.0.0.1";
  link.now = 1700000000;
  RunVerify(state, **v, link);
}
BENCHMARK(BM_NginxMd5);

void BM_NginxMd5Core(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        su::VerifyNginxSecureLinkMd5("VigdHMMeWXwnfjJ37mwT3A,4102444800",
                                     kNginxMessage, 1700000000, nullptr));
  }
}
BENCHMARK(BM_NginxMd5Core);

void BM_NginxSecret(benchmark::State& state) {
  auto v = su::NewNginxSecretVerifier("word");
  Link link;
  link.path = "/p/d4ccbd8a4a442d9c39af403e525cae0f/f.txt";
  RunVerify(state, **v, link);
}
BENCHMARK(BM_NginxSecret);

// --- Akamai and timed HMAC ---------------------------------------------------

const char kAkamaiKey[] = "52a152a152a152a152a152a152a1";

void BM_Floor_HmacSha256(benchmark::State& state) {
  std::string key(14, '\0');
  size_t len;
  (void)su::internal::DecodeHex(
      kAkamaiKey, reinterpret_cast<uint8_t*>(key.data()), 14, &len);
  const auto hmac = crypto::HmacKey::Create(crypto::Hash::kSha256, key);
  const std::string msg = "st=1700000000~exp=1700003600~acl=/videos/*";
  uint8_t out[32];
  for (auto _ : state) {
    hmac.Mac(msg, out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Floor_HmacSha256);

std::unique_ptr<su::Verifier> Akamai() {
  su::AkamaiOptions o;
  o.key_hex = kAkamaiKey;
  return *su::NewAkamaiVerifier(o);
}

void BM_AkamaiAcl(benchmark::State& state) {
  RunVerify(state, *Akamai(),
            FromVector(Vector("akamai_vectors.json", "acl_sha256")));
}
BENCHMARK(BM_AkamaiAcl);

void BM_AkamaiUrl(benchmark::State& state) {
  RunVerify(state, *Akamai(),
            FromVector(Vector("akamai_vectors.json", "url_sha256")));
}
BENCHMARK(BM_AkamaiUrl);

void BM_AkamaiCookie(benchmark::State& state) {
  RunVerify(state, *Akamai(),
            FromVector(Vector("akamai_vectors.json", "cookie")));
}
BENCHMARK(BM_AkamaiCookie);

void BM_Floor_HmacSha1(benchmark::State& state) {
  std::string key;
  key.assign("\x8a\xa1\x4f\x41\x35\x5a\x16\x0e\xdb\x55\x0a\xe7\x33\x32\xa5\xc5",
             16);
  const auto hmac = crypto::HmacKey::Create(crypto::Hash::kSha1, key);
  const std::string msg = "/foo/bar.html1700003600";
  uint8_t out[20];
  for (auto _ : state) {
    hmac.Mac(msg, out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Floor_HmacSha1);

void BM_TimedHmacFastly(benchmark::State& state) {
  su::TimedHmacOptions o;
  o.secret.assign(
      "\x8a\xa1\x4f\x41\x35\x5a\x16\x0e\xdb\x55\x0a\xe7\x33\x32\xa5\xc5", 16);
  o.hash = crypto::Hash::kSha1;
  o.separator = '_';
  auto v = su::NewTimedHmacVerifier(o);
  Link link;
  link.path = "/foo/bar.html";
  link.query = "token=1700003600_a69187b0c6bff2d3e303f59de378a477a971d9f3";
  link.now = 1700000000;
  RunVerify(state, **v, link);
}
BENCHMARK(BM_TimedHmacFastly);

// --- CloudFront
// ----------------------------------------------------------------

std::unique_ptr<su::Verifier> CloudFront() {
  su::CloudFrontOptions o;
  o.keys = {{"K_RSA", ReadData("cloudfront_rsa_public.pem")},
            {"K_EC", ReadData("cloudfront_ec_public.pem")}};
  return *su::NewCloudFrontVerifier(o);
}

// Floor for a canned link: the signature check alone, over the policy
// edgekit rebuilds, with the signature from the vector.
void SignatureFloor(benchmark::State& state, const char* vector,
                    crypto::Hash hash, bool rsa) {
  const Link link = FromVector(Vector("cloudfront_vectors.json", vector));
  std::string_view sig_text;
  if (!su::internal::FindQueryArg(link.query, "Signature", false, &sig_text)) {
    state.SkipWithError("no signature");
    return;
  }
  uint8_t sig[1024];
  size_t sig_len = 0;
  (void)su::internal::DecodeCloudFrontBase64(sig_text, sig, sizeof(sig),
                                             &sig_len);
  const std::string policy =
      "{\"Statement\":[{\"Resource\":\"" + link.path +
      "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":1700003600}}}]}";
  auto key = crypto::PublicKey::FromPem(
      ReadData(rsa ? "cloudfront_rsa_public.pem" : "cloudfront_ec_public.pem"));
  const std::string_view s(reinterpret_cast<char*>(sig), sig_len);
  if (!(rsa ? key->VerifyRsaPkcs1(hash, policy, s)
            : key->VerifyEcdsaDer(hash, policy, s))) {
    state.SkipWithError("floor signature does not verify");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(rsa ? key->VerifyRsaPkcs1(hash, policy, s)
                                 : key->VerifyEcdsaDer(hash, policy, s));
  }
}

void BM_Floor_RsaSha1(benchmark::State& state) {
  SignatureFloor(state, "canned_k_rsa_sha1", crypto::Hash::kSha1, true);
}
BENCHMARK(BM_Floor_RsaSha1);

void BM_Floor_RsaSha256(benchmark::State& state) {
  SignatureFloor(state, "canned_k_rsa_sha256", crypto::Hash::kSha256, true);
}
BENCHMARK(BM_Floor_RsaSha256);

void BM_Floor_EcdsaP256(benchmark::State& state) {
  SignatureFloor(state, "canned_k_ec_sha256", crypto::Hash::kSha256, false);
}
BENCHMARK(BM_Floor_EcdsaP256);

void BM_CloudFrontCannedRsaSha1(benchmark::State& state) {
  RunVerify(state, *CloudFront(),
            FromVector(Vector("cloudfront_vectors.json", "canned_k_rsa_sha1")));
}
BENCHMARK(BM_CloudFrontCannedRsaSha1);

void BM_CloudFrontCannedRsaSha256(benchmark::State& state) {
  RunVerify(
      state, *CloudFront(),
      FromVector(Vector("cloudfront_vectors.json", "canned_k_rsa_sha256")));
}
BENCHMARK(BM_CloudFrontCannedRsaSha256);

void BM_CloudFrontCustomRsaSha1(benchmark::State& state) {
  RunVerify(state, *CloudFront(),
            FromVector(Vector("cloudfront_vectors.json", "custom_k_rsa_sha1")));
}
BENCHMARK(BM_CloudFrontCustomRsaSha1);

void BM_CloudFrontCannedEcdsa(benchmark::State& state) {
  RunVerify(
      state, *CloudFront(),
      FromVector(Vector("cloudfront_vectors.json", "canned_k_ec_sha256")));
}
BENCHMARK(BM_CloudFrontCannedEcdsa);

void BM_CloudFrontCustomEcdsa(benchmark::State& state) {
  RunVerify(
      state, *CloudFront(),
      FromVector(Vector("cloudfront_vectors.json", "custom_k_ec_sha256")));
}
BENCHMARK(BM_CloudFrontCustomEcdsa);

// The picojson parse a custom policy adds after its signature verified.
void BM_CloudFrontPolicyParse(benchmark::State& state) {
  const std::string json =
      "{\"Statement\":[{\"Resource\":\"https://d111111abcdef8.cloudfront.net/"
      "private/video.mp4\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
      "1700003600},\"DateGreaterThan\":{\"AWS:EpochTime\":1700000000},"
      "\"IpAddress\":{\"AWS:SourceIp\":\"192.0.2.0/24\"}}}]}";
  su::CloudFrontPolicy p;
  for (auto _ : state) {
    benchmark::DoNotOptimize(su::ParseCloudFrontPolicy(json, &p));
  }
}
BENCHMARK(BM_CloudFrontPolicyParse);

// RatioReporter prints the usual console output, then one table: each
// dialect's CPU time against its floor's, both medians when repeated.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const bool median =
          r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      const bool single = r.run_type == Run::RT_Iteration && r.repetitions <= 1;
      if (median || single)
        cpu_ns_[r.run_name.function_name] = r.GetAdjustedCPUTime();
      medians_ |= median;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    static const std::pair<const char*, const char*> kRows[] = {
        {"BM_NginxMd5", "BM_Floor_Md5"},
        {"BM_NginxMd5Core", "BM_Floor_Md5"},
        {"BM_NginxSecret", "BM_Floor_Md5"},
        {"BM_AkamaiAcl", "BM_Floor_HmacSha256"},
        {"BM_AkamaiUrl", "BM_Floor_HmacSha256"},
        {"BM_AkamaiCookie", "BM_Floor_HmacSha256"},
        {"BM_TimedHmacFastly", "BM_Floor_HmacSha1"},
        {"BM_CloudFrontCannedRsaSha1", "BM_Floor_RsaSha1"},
        {"BM_CloudFrontCannedRsaSha256", "BM_Floor_RsaSha256"},
        {"BM_CloudFrontCustomRsaSha1", "BM_Floor_RsaSha1"},
        {"BM_CloudFrontCannedEcdsa", "BM_Floor_EcdsaP256"},
        {"BM_CloudFrontCustomEcdsa", "BM_Floor_EcdsaP256"},
        {"BM_CloudFrontPolicyParse", "BM_Floor_RsaSha1"},
    };
    std::printf("\nsigned URL verify vs floor (%s backend, CPU ns%s)\n",
                edgekit_crypto_backend(), medians_ ? ", medians" : "");
    std::printf("%-30s %10s  %-20s %10s  %7s\n", "dialect", "ns", "floor",
                "floor ns", "ratio");
    for (const auto& [name, floor] : kRows) {
      const auto d = cpu_ns_.find(name), f = cpu_ns_.find(floor);
      if (d == cpu_ns_.end() || f == cpu_ns_.end()) continue;
      std::printf("%-30s %10.1f  %-20s %10.1f  %6.2fx\n", name + 3, d->second,
                  floor + 3, f->second, d->second / f->second);
    }
  }

 private:
  std::map<std::string, double> cpu_ns_;
  bool medians_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
