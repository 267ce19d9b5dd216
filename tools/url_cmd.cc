// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit url verify --scheme nginx-md5|nginx-secret|akamai|cloudfront|hmac`:
// builds the dialect's verifier from flags, checks one request and prints
// what the link says. tools/ may read files and the clock; lib/ never does.

#include "url_cmd.h"

#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "edgekit/status.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace edgekit::cli {
namespace {

namespace su = signed_url;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

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

constexpr const char* kValueOptions[] = {"scheme",
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
                                         "ttl"};
constexpr const char* kFlagOptions[] = {
    "no-expiry", "escape-early", "require-sha256", "plain-digest", "help"};

// Options holds --name value pairs; repeatable options keep every value.
struct Options {
  std::map<std::string, std::vector<std::string>> values;
  bool Has(const std::string& n) const { return values.count(n) != 0; }
  std::string Get(const std::string& n,
                  const std::string& fallback = "") const {
    const auto it = values.find(n);
    return it == values.end() ? fallback : it->second.back();
  }
};

std::optional<Options> ParseOptions(const std::vector<std::string>& args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      std::cerr << "edgekit url verify: unexpected argument '" << a << "'\n";
      return std::nullopt;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    bool is_flag = false, is_value = false;
    for (const char* f : kFlagOptions) is_flag |= name == f;
    for (const char* v : kValueOptions) is_value |= name == v;
    if (!is_flag && !is_value) {
      std::cerr << "edgekit url verify: unknown option --" << name << "\n";
      return std::nullopt;
    }
    if (is_value && !inline_value) {
      if (i + 1 >= args.size()) {
        std::cerr << "edgekit url verify: --" << name << " needs a value\n";
        return std::nullopt;
      }
      value = args[++i];
    }
    o.values[name].push_back(value);
  }
  return o;
}

bool ParseHash(const std::string& name, crypto::Hash* out) {
  if (name == "sha256")
    *out = crypto::Hash::kSha256;
  else if (name == "sha1")
    *out = crypto::Hash::kSha1;
  else if (name == "sha512")
    *out = crypto::Hash::kSha512;
  else if (name == "md5")
    *out = crypto::Hash::kMd5;
  else
    return false;
  return true;
}

// OneChar reads a single-character option; false if it is not one byte.
bool OneChar(const Options& o, const std::string& name, char* out) {
  if (!o.Has(name)) return true;
  const std::string v = o.Get(name);
  if (v.size() != 1) return false;
  *out = v[0];
  return true;
}

int Usage(const std::string& message) {
  std::cerr << "edgekit url verify: " << message
            << "\n(edgekit url verify --help lists the options)\n";
  return kUsage;
}

// Build makes the verifier for o's scheme, or prints why it cannot.
absl::StatusOr<std::unique_ptr<su::Verifier>> Build(const Options& o) {
  const std::string scheme = o.Get("scheme");
  if (scheme == "nginx-md5") {
    su::NginxMd5Options n;
    n.message = o.Get("message");
    n.hash_arg = o.Get("hash-arg", n.hash_arg);
    n.expires_arg = o.Get("expires-arg", n.expires_arg);
    n.no_expiry = o.Has("no-expiry");
    return su::NewNginxMd5Verifier(n);
  }
  if (scheme == "nginx-secret")
    return su::NewNginxSecretVerifier(o.Get("secret"));
  if (scheme == "akamai") {
    su::AkamaiOptions a;
    a.key_hex = o.Get("key");
    if (o.Has("algorithm") && !ParseHash(o.Get("algorithm"), &a.hash)) {
      return absl::InvalidArgumentError("unknown --algorithm");
    }
    a.token_name = o.Get("token-name", a.token_name);
    a.salt = o.Get("salt");
    a.escape_early = o.Has("escape-early");
    if (!OneChar(o, "field-delimiter", &a.field_delimiter) ||
        !OneChar(o, "acl-delimiter", &a.acl_delimiter)) {
      return absl::InvalidArgumentError("a delimiter is one character");
    }
    return su::NewAkamaiVerifier(a);
  }
  if (scheme == "cloudfront") {
    su::CloudFrontOptions c;
    const auto it = o.values.find("key-pair");
    if (it != o.values.end()) {
      for (const std::string& pair : it->second) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos) {
          return absl::InvalidArgumentError("--key-pair wants ID=PEMFILE");
        }
        std::ifstream in(pair.substr(eq + 1), std::ios::binary);
        if (!in) {
          return absl::InvalidArgumentError("cannot read " +
                                            pair.substr(eq + 1));
        }
        std::stringstream pem;
        pem << in.rdbuf();
        c.keys.emplace_back(pair.substr(0, eq), pem.str());
      }
    }
    c.require_sha256 = o.Has("require-sha256");
    return su::NewCloudFrontVerifier(c);
  }
  if (scheme == "hmac") {
    su::TimedHmacOptions h;
    if (o.Has("secret-hex")) {
      const std::string hex = o.Get("secret-hex");
      h.secret.resize(hex.size() / 2);
      size_t len = 0;
      if (!su::internal::DecodeHex(hex,
                                   reinterpret_cast<uint8_t*>(h.secret.data()),
                                   h.secret.size(), &len)) {
        return absl::InvalidArgumentError("--secret-hex is not hex");
      }
    } else if (o.Has("secret-base64")) {
      if (!absl::Base64Unescape(o.Get("secret-base64"), &h.secret)) {
        return absl::InvalidArgumentError("--secret-base64 is not base64");
      }
    } else {
      h.secret = o.Get("secret");
    }
    if (o.Has("algorithm") && !ParseHash(o.Get("algorithm"), &h.hash)) {
      return absl::InvalidArgumentError("unknown --algorithm");
    }
    const std::string enc = o.Get("encoding", "hex");
    if (enc == "hex")
      h.encoding = su::Encoding::kHex;
    else if (enc == "base64url")
      h.encoding = su::Encoding::kBase64Url;
    else if (enc == "base64")
      h.encoding = su::Encoding::kBase64;
    else
      return absl::InvalidArgumentError("unknown --encoding");
    h.message = o.Get("message", h.message);
    h.token_arg = o.Get("token-arg", h.token_arg);
    h.expires_arg = o.Get("expires-arg", h.expires_arg);
    if (!OneChar(o, "separator", &h.separator)) {
      return absl::InvalidArgumentError("--separator is one character");
    }
    h.prefix = o.Get("prefix");
    if (o.Has("ttl")) {
      try {
        h.ttl_s = std::stoll(o.Get("ttl"));
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

int Verify(const std::vector<std::string>& args) {
  const auto opts = ParseOptions(args);
  if (!opts) return kUsage;
  if (opts->Has("help")) {
    std::cout << kHelp;
    return kOk;
  }
  if (!opts->Has("scheme")) return Usage("--scheme is required");
  auto verifier = Build(*opts);
  if (!verifier.ok()) return Usage(std::string(verifier.status().message()));

  std::string path = opts->Get("path"), query = opts->Get("query");
  if (opts->Has("url")) {
    const std::string url = opts->Get("url");
    const size_t q = url.find('?');
    path = url.substr(0, q);
    query = q == std::string::npos ? "" : url.substr(q + 1);
  }
  const std::string cookie = opts->Get("cookie"), header = opts->Get("header"),
                    ip = opts->Get("ip");
  su::Request req;
  req.path = path;
  req.query = query;
  req.cookie = cookie;
  req.header = header;
  req.client_ip = ip;
  req.now_s = std::time(nullptr);
  if (opts->Has("now")) {
    try {
      req.now_s = std::stoll(opts->Get("now"));
    } catch (const std::exception&) {
      return Usage("--now is seconds since the epoch");
    }
  }
  su::Result r;
  const edgekit_status s = (*verifier)->Verify(req, &r);
  if (s != EDGEKIT_OK) {
    std::cerr << edgekit_status_name(s) << "\n";
    return kFailed;
  }
  // Keys in alphabetical order, as a JSON object; fields a link does not
  // carry are left out.
  std::string out = "{";
  if (r.expires_s != 0)
    out += "\"expires\":" + std::to_string(r.expires_s) + ",";
  if (!r.identity.empty())
    out += "\"identity\":" + JsonString(r.identity) + ",";
  out += "\"scheme\":" + JsonString(opts->Get("scheme")) + ",";
  if (!r.scope.empty()) out += "\"scope\":" + JsonString(r.scope) + ",";
  if (r.starts_s != 0) out += "\"starts\":" + std::to_string(r.starts_s) + ",";
  out += "\"status\":\"ok\"}";
  std::cout << out << "\n";
  return kOk;
}

}  // namespace

int UrlCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? std::cerr : std::cout) << kHelp;
    return args.empty() ? kUsage : kOk;
  }
  if (args[0] == "verify") {
    return Verify(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::cerr << "edgekit url: unknown command '" << args[0] << "'\n" << kHelp;
  return kUsage;
}

int UrlMain(int argc, char** argv) {
  return UrlCommand(
      std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
}

}  // namespace edgekit::cli
