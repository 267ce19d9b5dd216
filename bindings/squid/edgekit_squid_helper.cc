// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// edgekit-squid-helper: a Squid external ACL helper that admits a request
// when its JWT verifies. Squid starts it and writes one request per line;
// it answers each with OK (user=<claim> for Squid's logs), ERR
// (message=<edgekit status name>) or BH (the helper itself cannot go on).
// Only the public C ABI (edgekit.h) is used. See README.md here for
// squid.conf.

#include <getopt.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "edgekit.h"
#include "request_line.h"

namespace {

constexpr char kUsage[] =
    "usage: edgekit-squid-helper --keys FILE [options]\n"
    "\n"
    "Answers Squid external ACL requests: OK when the request's JWT verifies.\n"
    "\n"
    "  -k, --keys FILE        JWKS or PEM key file (required)\n"
    "  -i, --issuer X         accept only this \"iss\" (repeatable)\n"
    "  -a, --audience Y       require this \"aud\" (repeatable)\n"
    "  -A, --algorithm ALG    accept only this \"alg\" (repeatable)\n"
    "  -l, --leeway SECONDS   clock skew tolerated for exp/nbf (default 0)\n"
    "  -u, --user-claim NAME  string claim sent back as user= (default sub;\n"
    "                         empty: none)\n"
    "  -q, --query NAME       the value is a URL (%>ru); the token is its\n"
    "                         query parameter NAME\n"
    "  -c, --concurrency      lines start with a channel ID (concurrency=N>0)\n"
    "  -d, --debug            log each verdict to stderr (cache.log)\n"
    "  -h, --help             this text\n"
    "\n"
    "The value Squid sends is an Authorization header (\"Bearer <token>\"\n"
    "or a bare token) unless --query is given. Replies: OK [user=...],\n"
    "ERR message=<status> (e.g. expired, bad_signature, missing_token),\n"
    "BH message=... for a line the helper cannot route.\n";

struct Options {
  std::string keys_path;
  std::vector<std::string> issuers, audiences, algorithms;
  int64_t leeway_s = 0;
  std::string user_claim = "sub";
  std::string query_param;
  bool concurrent = false;
  bool debug = false;
};

bool ReadFile(const std::string& path, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

std::vector<edgekit_str> Views(const std::vector<std::string>& list) {
  std::vector<edgekit_str> views;
  for (const std::string& s : list) views.push_back({s.data(), s.size()});
  return views;
}

// BuildVerifier loads the key file (PEM if it starts like one, else JWKS)
// and binds it to the policy; prints why and returns null on failure.
edgekit_verifier* BuildVerifier(const Options& o) {
  std::string text;
  if (!ReadFile(o.keys_path, &text)) {
    std::fprintf(stderr, "edgekit-squid-helper: cannot read %s: %s\n",
                 o.keys_path.c_str(), std::strerror(errno));
    return nullptr;
  }
  edgekit_keyset* keys = nullptr;
  const bool pem = text.compare(0, 10, "-----BEGIN") == 0;
  edgekit_status s =
      pem ? edgekit_keyset_from_pem(&keys, text.data(), text.size(), nullptr, 0)
          : edgekit_keyset_from_jwks(&keys, text.data(), text.size());
  if (s != EDGEKIT_OK) {
    std::fprintf(stderr, "edgekit-squid-helper: %s: %s\n", o.keys_path.c_str(),
                 edgekit_status_name(s));
    return nullptr;
  }
  const std::vector<edgekit_str> issuers = Views(o.issuers);
  const std::vector<edgekit_str> audiences = Views(o.audiences);
  const std::vector<edgekit_str> algorithms = Views(o.algorithms);
  edgekit_verify_options options{};
  options.struct_size = sizeof options;
  options.issuers = issuers.data();
  options.num_issuers = issuers.size();
  options.audiences = audiences.data();
  options.num_audiences = audiences.size();
  options.algorithms = algorithms.data();
  options.num_algorithms = algorithms.size();
  options.leeway_s = o.leeway_s;
  edgekit_verifier* verifier = nullptr;
  s = edgekit_verifier_new(&verifier, keys, &options);
  edgekit_keyset_free(keys);
  if (s != EDGEKIT_OK) {
    std::fprintf(stderr, "edgekit-squid-helper: bad policy: %s\n",
                 edgekit_status_name(s));
    return nullptr;
  }
  return verifier;
}

bool ParseOptions(int argc, char** argv, Options* o) {
  static const option kLong[] = {
      {"keys", required_argument, nullptr, 'k'},
      {"issuer", required_argument, nullptr, 'i'},
      {"audience", required_argument, nullptr, 'a'},
      {"algorithm", required_argument, nullptr, 'A'},
      {"leeway", required_argument, nullptr, 'l'},
      {"user-claim", required_argument, nullptr, 'u'},
      {"query", required_argument, nullptr, 'q'},
      {"concurrency", no_argument, nullptr, 'c'},
      {"debug", no_argument, nullptr, 'd'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "k:i:a:A:l:u:q:cdh", kLong, nullptr)) !=
         -1) {
    switch (c) {
      case 'k':
        o->keys_path = optarg;
        break;
      case 'i':
        o->issuers.emplace_back(optarg);
        break;
      case 'a':
        o->audiences.emplace_back(optarg);
        break;
      case 'A':
        o->algorithms.emplace_back(optarg);
        break;
      case 'l': {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(optarg, &end, 10);
        if (errno != 0 || end == optarg || *end != '\0' || v < 0) {
          std::fprintf(stderr, "edgekit-squid-helper: bad --leeway %s\n",
                       optarg);
          return false;
        }
        o->leeway_s = v;
        break;
      }
      case 'u':
        o->user_claim = optarg;
        break;
      case 'q':
        o->query_param = optarg;
        break;
      case 'c':
        o->concurrent = true;
        break;
      case 'd':
        o->debug = true;
        break;
      case 'h':
        std::fputs(kUsage, stdout);
        std::exit(0);
      default:
        std::fputs(kUsage, stderr);
        return false;
    }
  }
  if (optind != argc || o->keys_path.empty()) {
    std::fputs(kUsage, stderr);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseOptions(argc, argv, &o)) return 2;
  edgekit_verifier* verifier = BuildVerifier(o);
  if (verifier == nullptr) return 1;
  edgekit_claims* claims = edgekit_claims_new();
  if (claims == nullptr) return 1;
  // Squid waits for each reply: never let one sit in a buffer.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  edgekit::squid::RequestLine request;
  std::string reply;
  std::string user;
  char* line = nullptr;
  size_t line_cap = 0;
  ssize_t len;
  while ((len = getline(&line, &line_cap, stdin)) >= 0) {
    std::string_view text(line, static_cast<size_t>(len));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.remove_suffix(1);
    }
    reply.clear();
    if (!edgekit::squid::ParseRequestLine(text, o.concurrent, o.query_param,
                                          &request)) {
      // No channel ID to answer on: say so, and let Squid judge the helper.
      std::fputs("BH message=no_channel_id\n", stdout);
      continue;
    }
    if (!request.channel.empty()) {
      reply.append(request.channel).push_back(' ');
    }
    const char* verdict;
    if (request.token.empty()) {
      verdict = "missing_token";
      reply += "ERR message=missing_token";
    } else {
      const edgekit_status s = edgekit_verifier_verify(
          verifier, claims, request.token.data(), request.token.size(),
          static_cast<int64_t>(std::time(nullptr)));
      verdict = edgekit_status_name(s);
      if (s == EDGEKIT_OK) {
        reply += "OK";
        size_t user_len = 0;
        user.resize(256);
        edgekit_status u = EDGEKIT_E_MISSING_CLAIM;
        if (!o.user_claim.empty()) {
          u = edgekit_claims_get_string(claims, user.data(), user.size(),
                                        &user_len, o.user_claim.data(),
                                        o.user_claim.size());
          if (u == EDGEKIT_E_BUFFER_TOO_SMALL) {
            user.resize(user_len);
            u = edgekit_claims_get_string(claims, user.data(), user.size(),
                                          &user_len, o.user_claim.data(),
                                          o.user_claim.size());
          }
        }
        if (u == EDGEKIT_OK && user_len > 0) {
          reply += " user=";
          edgekit::squid::AppendPercentEncoded(
              std::string_view(user.data(), user_len), &reply);
        }
      } else {
        reply += "ERR message=";
        reply += verdict;
      }
    }
    reply.push_back('\n');
    std::fwrite(reply.data(), 1, reply.size(), stdout);
    if (o.debug) {
      std::fprintf(stderr, "edgekit-squid-helper: %s\n", verdict);
    }
  }
  std::free(line);
  edgekit_claims_free(claims);
  edgekit_verifier_free(verifier);
  return 0;
}
