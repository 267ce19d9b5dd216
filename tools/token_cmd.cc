// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit token verify|sign|inspect`: the token capability on the command
// line, through lib/token's public C++ header.

#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "cli.h"
#include "common/base64url.h"
#include "keys/keys.h"
#include "token/token.h"

namespace edgekit::cli {
namespace {

constexpr char kGroupHelp[] =
    "usage: edgekit token COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  verify    check a token's signature and claims; print its payload\n"
    "  sign      make a signed token from a JSON payload\n"
    "  inspect   print a token's header and payload WITHOUT verifying\n"
    "\n"
    "'edgekit token COMMAND --help' for details.\n";

constexpr char kVerifyHelp[] =
    "usage: edgekit token verify --keys FILE [options] TOKEN|-\n"
    "\n"
    "Verifies TOKEN (or the token on stdin for '-') and prints its payload\n"
    "JSON, exactly as signed, on stdout. On failure prints the status name\n"
    "(expired, bad_signature, ...) on stderr and exits 1; usage errors exit "
    "2.\n"
    "\n"
    "  --keys FILE     a JWK Set, a single JWK, or a PEM key\n"
    "  --kid K         the kid to give a PEM key (JWKs carry their own)\n"
    "  --now UNIX      the time to check exp and nbf at (default: the clock)\n"
    "  --iss X         accept issuer X (repeatable; default: any)\n"
    "  --aud Y         accept audience Y (repeatable; default: any)\n"
    "  --leeway S      seconds of clock skew allowed (default 0)\n"
    "  --alg A         accept only algorithm A (repeatable)\n"
    "  --require C     claim C must be present (repeatable)\n";

constexpr char kSignHelp[] =
    "usage: edgekit token sign --keys FILE --alg A [--kid K] [PAYLOAD_JSON|-]\n"
    "\n"
    "Signs PAYLOAD_JSON (a JSON object; stdin for '-' or when omitted) and\n"
    "prints the compact token. The header is "
    "{\"alg\":A,\"kid\":K,\"typ\":\"JWT\"}.\n"
    "\n"
    "  --keys FILE   a JWK Set or JWK with private members, or a PEM private "
    "key\n"
    "  --alg A       HS256/384/512, RS256/384/512, PS256/384/512,\n"
    "                ES256/384/512 or EdDSA\n"
    "  --kid K       pick the key with this kid and put it in the header\n";

constexpr char kInspectHelp[] =
    "usage: edgekit token inspect TOKEN|-\n"
    "\n"
    "Decodes TOKEN and prints its header and payload. NOTHING IS VERIFIED:\n"
    "the output says what the token claims, not that it is true.\n";

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

// LoadKeys reads FILE as PEM (if it has a PEM header) or as JWKS.
std::shared_ptr<const keys::KeySet> LoadKeys(const std::string& path,
                                             std::optional<std::string> kid) {
  const auto text = ReadFile(path);
  if (!text) return nullptr;
  absl::StatusOr<keys::KeySet> set =
      text->find("-----BEGIN ") != std::string::npos
          ? keys::KeySet::FromPem(*text, kid)
          : keys::KeySet::FromJwks(*text);
  if (!set.ok()) {
    std::cerr << edgekit_status_name(token::StatusFromKeyError(set.status()))
              << ": " << path << ": " << set.status().message() << "\n";
    return nullptr;
  }
  return std::make_shared<const keys::KeySet>(*std::move(set));
}

int Verify(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::cout << kVerifyHelp;
    return kExitOk;
  }
  const auto args = Args::Parse(
      argv, {"keys", "kid", "now", "iss", "aud", "leeway", "alg", "require"});
  if (!args) return UsageError("token verify", "bad options");
  if (!args->Has("keys"))
    return UsageError("token verify", "--keys is required");
  if (args->positional().size() != 1) {
    return UsageError("token verify", "give exactly one TOKEN (or -)");
  }
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (const auto s = args->Get("now"); s && !absl::SimpleAtoi(*s, &now)) {
    return UsageError("token verify", "--now takes Unix seconds");
  }
  token::Policy policy;
  policy.issuers = args->GetAll("iss");
  policy.audiences = args->GetAll("aud");
  policy.algorithms = args->GetAll("alg");
  policy.required_claims = args->GetAll("require");
  if (const auto s = args->Get("leeway");
      s && (!absl::SimpleAtoi(*s, &policy.leeway_s) || policy.leeway_s < 0)) {
    return UsageError("token verify", "--leeway takes non-negative seconds");
  }
  auto keys = LoadKeys(*args->Get("keys"), args->Get("kid"));
  if (keys == nullptr) return kExitFailed;
  auto verifier = token::Verifier::Create(keys, std::move(policy));
  if (!verifier.ok()) {
    return UsageError("token verify", std::string(verifier.status().message()));
  }
  const auto tok = ReadArgument(args->positional()[0]);
  if (!tok) return kExitFailed;
  token::Claims claims;
  const edgekit_status s = verifier->Verify(*tok, now, &claims);
  if (s != EDGEKIT_OK) {
    std::cerr << edgekit_status_name(s) << "\n";
    return kExitFailed;
  }
  std::cout << claims.payload() << "\n";
  return kExitOk;
}

int Sign(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::cout << kSignHelp;
    return kExitOk;
  }
  const auto args = Args::Parse(argv, {"keys", "kid", "alg"});
  if (!args) return UsageError("token sign", "bad options");
  if (!args->Has("keys") || !args->Has("alg")) {
    return UsageError("token sign", "--keys and --alg are required");
  }
  if (args->positional().size() > 1) {
    return UsageError("token sign", "give at most one PAYLOAD_JSON (or -)");
  }
  const auto kid = args->Get("kid");
  auto keys = LoadKeys(*args->Get("keys"), kid);
  if (keys == nullptr) return kExitFailed;
  const auto payload =
      ReadArgument(args->positional().empty() ? "-" : args->positional()[0]);
  if (!payload) return kExitFailed;
  std::string out;
  const edgekit_status s =
      token::Sign(*keys, *args->Get("alg"),
                  kid ? std::optional<std::string_view>(*kid) : std::nullopt,
                  *payload, &out);
  if (s != EDGEKIT_OK) {
    std::cerr << edgekit_status_name(s) << "\n";
    return kExitFailed;
  }
  std::cout << out << "\n";
  return kExitOk;
}

int Inspect(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::cout << kInspectHelp;
    return kExitOk;
  }
  const auto args = Args::Parse(argv, {});
  if (!args || args->positional().size() != 1) {
    return UsageError("token inspect", "give exactly one TOKEN (or -)");
  }
  const auto tok = ReadArgument(args->positional()[0]);
  if (!tok) return kExitFailed;
  const size_t dot1 = tok->find('.');
  const size_t dot2 =
      dot1 == std::string::npos ? dot1 : tok->find('.', dot1 + 1);
  std::string header, payload;
  if (dot2 == std::string::npos ||
      tok->find('.', dot2 + 1) != std::string::npos ||
      !Base64UrlDecodeTo(std::string_view(*tok).substr(0, dot1), &header) ||
      !Base64UrlDecodeTo(
          std::string_view(*tok).substr(dot1 + 1, dot2 - dot1 - 1), &payload)) {
    std::cerr << edgekit_status_name(EDGEKIT_E_MALFORMED) << "\n";
    return kExitFailed;
  }
  std::cout << "UNVERIFIED: the signature was not checked\n"
            << "header:  " << header << "\n"
            << "payload: " << payload << "\n"
            << "signature: " << tok->size() - dot2 - 1
            << " base64url characters\n";
  return kExitOk;
}

}  // namespace

int TokenCommand(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kGroupHelp;
    return kExitUsage;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "verify") return Verify(rest);
  if (command == "sign") return Sign(rest);
  if (command == "inspect") return Inspect(rest);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kGroupHelp;
    return kExitOk;
  }
  std::cerr << "edgekit token: unknown command '" << command << "'\n"
            << kGroupHelp;
  return kExitUsage;
}

}  // namespace edgekit::cli
