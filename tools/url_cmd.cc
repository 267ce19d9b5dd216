// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit url verify --scheme nginx-md5|nginx-secret|akamai|cloudfront|hmac`:
// builds the dialect's verifier from flags, checks one request and prints
// what the link says. tools/ may read files and the clock; lib/ never does.

#include "url_cmd.h"

#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "cli.h"
#include "edgekit/status.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace edgekit::cli {
namespace {

namespace su = signed_url;

constexpr char kHelp[] =
    R"(usage: edgekit url verify --scheme SCHEME [request] [scheme options]

Checks one signed link. Prints a JSON result and exits 0 if it is valid;
prints the status name (expired, bad_signature, no_token ...) on stderr and
exits 1 if not; exits 2 for a bad command line.

request:
  --url PATH?QUERY     path and raw query in one (split at the first '?')
  --path PATH          the path as the scheme wants it (see below)
  --query QUERY        the raw query, without '?'
  --cookie VALUE       the Cookie header value
  --header VALUE       the value of the header carrying the token (akamai)
  --ip ADDRESS         the client address
  --now SECONDS        the time to check at (default: now)

schemes and their options:
  nginx-md5     --message EXPR (required; $secure_link_expires $uri
                $remote_addr $args), --hash-arg NAME (md5),
                --expires-arg NAME (expires), --no-expiry.
                --path is nginx's $uri.
  nginx-secret  --secret WORD. --path is the raw request URI with its query.
  akamai        --key HEX (required), --algorithm sha256|sha1|md5,
                --token-name NAME (__token__), --salt S, --escape-early,
                --field-delimiter C, --acl-delimiter C.
  cloudfront    --key-pair ID=PEMFILE (repeatable, required),
                --require-sha256. --path is the URL as signed, without the
                query: https://host/path.
  hmac          --secret S | --secret-hex HEX | --secret-base64 B64,
                --algorithm sha256|sha1|sha512|md5, --encoding
                hex|base64url|base64, --message TEMPLATE ($path$expires;
                also $ip, $secret), --token-arg NAME (token),
                --expires-arg NAME (expires), --separator C, --prefix P,
                --ttl SECONDS, --plain-digest.
)";

// Value returns the last value of |name|, or |fallback|.
std::string Value(const Args& o, const std::string& name,
                  const std::string& fallback = "") {
  return o.Get(name).value_or(fallback);
}

bool ParseHash(const std::string& name, crypto::Hash* out) {
  static constexpr std::pair<const char*, crypto::Hash> kNames[] = {
      {"sha256", crypto::Hash::kSha256},
      {"sha1", crypto::Hash::kSha1},
      {"sha512", crypto::Hash::kSha512},
      {"md5", crypto::Hash::kMd5}};
  for (const auto& [n, h] : kNames) {
    if (name == n) {
      *out = h;
      return true;
    }
  }
  return false;
}

// OneChar reads a single-character option; false if it is not one byte.
bool OneChar(const Args& o, const std::string& name, char* out) {
  if (!o.Has(name)) return true;
  const std::string v = Value(o, name);
  if (v.size() != 1) return false;
  *out = v[0];
  return true;
}

// Build makes the verifier for o's scheme, or prints why it cannot.
absl::StatusOr<std::unique_ptr<su::Verifier>> Build(const Args& o) {
  const std::string scheme = Value(o, "scheme");
  if (scheme == "nginx-md5") {
    su::NginxMd5Options n;
    n.message = Value(o, "message");
    n.hash_arg = Value(o, "hash-arg", n.hash_arg);
    n.expires_arg = Value(o, "expires-arg", n.expires_arg);
    n.no_expiry = o.Has("no-expiry");
    return su::NewNginxMd5Verifier(n);
  }
  if (scheme == "nginx-secret")
    return su::NewNginxSecretVerifier(Value(o, "secret"));
  if (scheme == "akamai") {
    su::AkamaiOptions a;
    a.key_hex = Value(o, "key");
    if (o.Has("algorithm") && !ParseHash(Value(o, "algorithm"), &a.hash)) {
      return absl::InvalidArgumentError("unknown --algorithm");
    }
    a.token_name = Value(o, "token-name", a.token_name);
    a.salt = Value(o, "salt");
    a.escape_early = o.Has("escape-early");
    if (!OneChar(o, "field-delimiter", &a.field_delimiter) ||
        !OneChar(o, "acl-delimiter", &a.acl_delimiter)) {
      return absl::InvalidArgumentError("a delimiter is one character");
    }
    return su::NewAkamaiVerifier(a);
  }
  if (scheme == "cloudfront") {
    su::CloudFrontOptions c;
    {
      for (const std::string& pair : o.GetAll("key-pair")) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos) {
          return absl::InvalidArgumentError("--key-pair wants ID=PEMFILE");
        }
        const auto pem = ReadFile(pair.substr(eq + 1));
        if (!pem) {
          return absl::InvalidArgumentError("cannot read " +
                                            pair.substr(eq + 1));
        }
        c.keys.emplace_back(pair.substr(0, eq), *pem);
      }
    }
    c.require_sha256 = o.Has("require-sha256");
    return su::NewCloudFrontVerifier(c);
  }
  if (scheme == "hmac") {
    su::TimedHmacOptions h;
    if (o.Has("secret-hex")) {
      const std::string hex = Value(o, "secret-hex");
      h.secret.resize(hex.size() / 2);
      size_t len = 0;
      if (!su::internal::DecodeHex(hex,
                                   reinterpret_cast<uint8_t*>(h.secret.data()),
                                   h.secret.size(), &len)) {
        return absl::InvalidArgumentError("--secret-hex is not hex");
      }
    } else if (o.Has("secret-base64")) {
      if (!absl::Base64Unescape(Value(o, "secret-base64"), &h.secret)) {
        return absl::InvalidArgumentError("--secret-base64 is not base64");
      }
    } else {
      h.secret = Value(o, "secret");
    }
    if (o.Has("algorithm") && !ParseHash(Value(o, "algorithm"), &h.hash)) {
      return absl::InvalidArgumentError("unknown --algorithm");
    }
    const std::string enc = Value(o, "encoding", "hex");
    if (enc == "hex") {
      h.encoding = su::Encoding::kHex;
    } else if (enc == "base64url") {
      h.encoding = su::Encoding::kBase64Url;
    } else if (enc == "base64") {
      h.encoding = su::Encoding::kBase64;
    } else {
      return absl::InvalidArgumentError("unknown --encoding");
    }
    h.message = Value(o, "message", h.message);
    h.token_arg = Value(o, "token-arg", h.token_arg);
    h.expires_arg = Value(o, "expires-arg", h.expires_arg);
    if (!OneChar(o, "separator", &h.separator)) {
      return absl::InvalidArgumentError("--separator is one character");
    }
    h.prefix = Value(o, "prefix");
    if (o.Has("ttl")) {
      try {
        h.ttl_s = std::stoll(Value(o, "ttl"));
      } catch (const std::exception&) {
        return absl::InvalidArgumentError("--ttl is a number of seconds");
      }
    }
    h.plain_digest = o.Has("plain-digest");
    return su::NewTimedHmacVerifier(h);
  }
  return absl::InvalidArgumentError(
      "--scheme must be nginx-md5, nginx-secret, akamai, cloudfront or hmac");
}

// JsonString quotes |s| for JSON; bytes outside printable ASCII are escaped
// one by one, since a link's bytes need not be UTF-8.
std::string JsonString(std::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\u00";
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

int Verify(const std::vector<std::string>& argv) {
  const auto args = Args::Parse(
      argv,
      {"scheme",
       "url",
       "path",
       "query",
       "cookie",
       "header",
       "ip",
       "now",
       "message",
       "hash-arg",
       "expires-arg",
       "secret",
       "key",
       "algorithm",
       "token-name",
       "salt",
       "field-delimiter",
       "acl-delimiter",
       "key-pair",
       "secret-hex",
       "secret-base64",
       "encoding",
       "token-arg",
       "separator",
       "prefix",
       "ttl"},
      {"no-expiry", "escape-early", "require-sha256", "plain-digest", "help"});
  if (!args) return kExitUsage;
  if (args->Has("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError("url verify",
                      "unexpected argument '" + args->positional()[0] + "'");
  }
  if (!args->Has("scheme"))
    return UsageError("url verify", "--scheme is required");
  auto verifier = Build(*args);
  if (!verifier.ok()) {
    return UsageError("url verify", std::string(verifier.status().message()));
  }

  std::string path = Value(*args, "path"), query = Value(*args, "query");
  if (args->Has("url")) {
    const std::string url = Value(*args, "url");
    const size_t q = url.find('?');
    path = url.substr(0, q);
    query = q == std::string::npos ? "" : url.substr(q + 1);
  }
  const std::string cookie = Value(*args, "cookie"),
                    header = Value(*args, "header"), ip = Value(*args, "ip");
  su::Request req;
  req.path = path;
  req.query = query;
  req.cookie = cookie;
  req.header = header;
  req.client_ip = ip;
  req.now_s = std::time(nullptr);
  if (args->Has("now")) {
    try {
      req.now_s = std::stoll(Value(*args, "now"));
    } catch (const std::exception&) {
      return UsageError("url verify", "--now is seconds since the epoch");
    }
  }
  su::Result r;
  const edgekit_status s = (*verifier)->Verify(req, &r);
  if (s != EDGEKIT_OK) {
    std::cerr << edgekit_status_name(s) << "\n";
    return kExitFailed;
  }
  // Keys in alphabetical order; fields a link does not carry are left out.
  std::string out = "{";
  if (r.expires_s != 0) {
    out += "\"expires\":" + std::to_string(r.expires_s) + ",";
  }
  if (!r.identity.empty()) {
    out += "\"identity\":" + JsonString(r.identity) + ",";
  }
  out += "\"scheme\":" + JsonString(Value(*args, "scheme")) + ",";
  if (!r.scope.empty()) out += "\"scope\":" + JsonString(r.scope) + ",";
  if (r.starts_s != 0) {
    out += "\"starts\":" + std::to_string(r.starts_s) + ",";
  }
  out += "\"status\":\"ok\"}";
  std::cout << out << "\n";
  return kExitOk;
}

}  // namespace

int UrlCommand(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "help") {
    std::cout << kHelp;
    return kExitOk;
  }
  if (args[0] == "verify") {
    return Verify(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::cerr << "edgekit url: unknown command '" << args[0] << "'\n" << kHelp;
  return kExitUsage;
}

int UrlMain(int argc, char** argv) {
  return UrlCommand(
      std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
}

}  // namespace edgekit::cli
