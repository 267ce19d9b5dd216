// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The token folder's public door for C++ callers (the C shim, the CLI, and
// inventory when it signs win tickets): verify a JWS compact token against a
// key set and a claim policy, read its claims, sign new tokens. The
// per-request path returns edgekit_status and, with a reused Claims, does not
// allocate; setup paths return absl::Status.

#ifndef EDGEKIT_LIB_TOKEN_TOKEN_H_
#define EDGEKIT_LIB_TOKEN_TOKEN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "edgekit/status.h"
#include "keys/alg.h"
#include "keys/keys.h"
#include "token/json.h"
#include "token/verified_cache.h"

namespace edgekit::token {

// The claim policy and limits of a verifier. Empty lists check nothing.
struct Policy {
  std::vector<std::string> issuers;          // "iss" must equal one of these
  std::vector<std::string> audiences;        // "aud" must contain one of these
  std::vector<std::string> required_claims;  // must be present
  std::vector<std::string> algorithms;       // only these "alg" values
  int64_t leeway_s = 0;
  size_t max_token_len = 16384;
  uint32_t max_json_depth = 16;
  // Entries of the verified-token cache (see verified_cache.h); 0: no cache.
  size_t cache_entries = 0;
};

// Claims holds the payload of the last token verified into it, plus the
// scratch buffers verification reuses. One per thread; not thread-safe.
class Claims {
 public:
  Claims() = default;
  Claims(const Claims&) = delete;
  Claims& operator=(const Claims&) = delete;

  // has_payload says whether a payload is held (see Verifier::Verify).
  bool has_payload() const { return has_payload_; }
  // payload is the decoded payload JSON exactly as signed.
  std::string_view payload() const {
    return has_payload_ ? std::string_view(payload_) : std::string_view();
  }

  // The getters return EDGEKIT_E_MISSING_CLAIM for an absent claim (or no
  // payload) and EDGEKIT_E_WRONG_TYPE for one of another JSON type.

  // GetString unescapes string claim |name| into |out| (capacity |cap|) and
  // sets |*len| to its size, also when returning EDGEKIT_E_BUFFER_TOO_SMALL.
  edgekit_status GetString(std::string_view name, char* out, size_t cap,
                           size_t* len) const;
  edgekit_status GetString(std::string_view name, std::string* out) const;
  edgekit_status GetInt64(std::string_view name, int64_t* out) const;
  edgekit_status GetDouble(std::string_view name, double* out) const;
  edgekit_status GetBool(std::string_view name, bool* out) const;
  // GetJson gives the raw JSON text of any claim, pointing into payload().
  edgekit_status GetJson(std::string_view name, std::string_view* out) const;

 private:
  friend class Verifier;

  const JsonMember* Find(std::string_view name) const;
  void Clear();

  bool has_payload_ = false;
  // The registered claims the verifier checks, found in one pass.
  const JsonMember* exp_ = nullptr;
  const JsonMember* nbf_ = nullptr;
  const JsonMember* iss_ = nullptr;
  const JsonMember* aud_ = nullptr;
  std::string header_;
  std::string payload_;
  std::string signature_;
  std::vector<JsonMember> header_members_;
  std::vector<JsonMember> members_;
  JsonReader reader_;

  // The last header (its base64url text) that passed the alg and key checks
  // of verifier |header_verifier_|, and their outcome. Tokens from one issuer
  // repeat their header byte for byte, and the outcome is a function of
  // those bytes and the verifier alone, so a repeat skips decoding, parsing
  // and key selection. Clear() keeps it.
  std::string last_header_;
  uint64_t last_header_verifier_ = 0;  // 0: none
  const keys::Alg* last_alg_ = nullptr;
  const keys::Key* last_key_ = nullptr;
};

class Verifier {
 public:
  // Create checks |policy| (known algorithm names, non-negative leeway,
  // non-zero limits after defaults) and binds it to |keys|.
  static absl::StatusOr<Verifier> Create(
      std::shared_ptr<const keys::KeySet> keys, Policy policy);

  // Verify checks |token| at |now_s| (Unix seconds) and returns EDGEKIT_OK or
  // the first failed check, in the order structure → alg → key → signature →
  // exp → nbf → iss → aud → required claims. |claims| (or a thread-local
  // scratch object when null) holds the payload afterwards if the signature
  // verified, and is empty otherwise. Thread-safe.
  [[nodiscard]] edgekit_status Verify(std::string_view token, int64_t now_s,
                                      Claims* claims) const;

  const Policy& policy() const { return policy_; }
  // cache is the verified-token cache, or null when the policy has none.
  const VerifiedCache* cache() const { return cache_.get(); }

 private:
  Verifier() = default;
  edgekit_status VerifyInto(std::string_view token, int64_t now_s,
                            Claims* claims) const;
  edgekit_status CheckClaims(const Claims& claims, int64_t now_s) const;

  // ResolveHeader decodes and checks the header |header_b64| and finds its
  // algorithm and key, or takes them from claims' last header.
  edgekit_status ResolveHeader(std::string_view header_b64, Claims* claims,
                               const keys::Alg** alg,
                               const keys::Key** key) const;

  // Unique per Create() (copies share it, and the key set with it): what a
  // Claims' remembered header is checked against before its key is used.
  uint64_t id_ = 0;
  std::shared_ptr<const keys::KeySet> keys_;
  Policy policy_;
  std::vector<const keys::Alg*> algorithms_;  // empty: all
  // Shared by copies of this verifier; internally synchronised.
  std::shared_ptr<VerifiedCache> cache_;
};

// Sign writes to |*out| a JWS compact token for |payload_json| (a JSON object,
// embedded byte for byte) with algorithm |alg|, using the one key of |keys|
// that can sign, fits |alg| and, if |kid| is given, has that kid. The header
// is {"alg":…,"kid":…,"typ":"JWT"}. Returns EDGEKIT_E_UNSUPPORTED_ALG,
// EDGEKIT_E_KEY_NOT_FOUND, EDGEKIT_E_MALFORMED (payload not a JSON object),
// EDGEKIT_E_INVALID_ARGUMENT (kid not UTF-8) or EDGEKIT_E_INTERNAL.
[[nodiscard]] edgekit_status Sign(const keys::KeySet& keys,
                                  std::string_view alg,
                                  std::optional<std::string_view> kid,
                                  std::string_view payload_json,
                                  std::string* out);

// StatusFromKeyError maps a keys:: load error to its C status: malformed
// text, a refused key, or an internal failure.
edgekit_status StatusFromKeyError(const absl::Status& status);

}  // namespace edgekit::token

#endif  // EDGEKIT_LIB_TOKEN_TOKEN_H_
