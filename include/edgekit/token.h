/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* edgekit/token.h — verify and sign JWS compact tokens (JWT).
 *
 * Three objects with three lifetimes, as in Envoy's jwt_verify_lib:
 *
 *   - an edgekit_keyset holds key material (JWKS, a PEM public or private key,
 *     or an HMAC secret). Build it once at configuration time.
 *   - an edgekit_verifier binds a key set to a claim policy (issuers,
 *     audiences, leeway, required claims, limits). It is immutable and may be
 *     shared by any number of threads. Rotate keys by building a new verifier
 *     and swapping the pointer.
 *   - an edgekit_claims is per-request scratch that receives the verified
 *     payload. Reuse one per thread and the request path does not allocate.
 *
 *   edgekit_keyset* keys;
 *   edgekit_verifier* v;
 *   if (edgekit_keyset_from_jwks(&keys, jwks, jwks_len) != EDGEKIT_OK) ...
 *   edgekit_verifier_new(&v, keys, &options);
 *   edgekit_keyset_free(keys);            // the verifier keeps its own reference
 *   edgekit_claims* claims = edgekit_claims_new();
 *   edgekit_status s = edgekit_verifier_verify(v, claims, tok, tok_len, now_s);
 *   if (s != EDGEKIT_OK) log(edgekit_status_name(s));
 *
 * Algorithms: HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512 and
 * EdDSA (Ed25519). "none" and anything else is EDGEKIT_E_UNSUPPORTED_ALG. The
 * key decides the family: an RSA, EC or OKP key is never used as an HMAC
 * secret, so the classic algorithm-confusion attack fails with
 * EDGEKIT_E_KEY_NOT_FOUND.
 *
 * A key serves a token only if its kty fits the algorithm (and, for EC, its
 * curve), its "alg" (if any) equals the header's, and, when the header names
 * a "kid", its kid is that kid: a key loaded without a kid serves only tokens
 * without one. Exactly one key must qualify, otherwise
 * EDGEKIT_E_KEY_NOT_FOUND.
 *
 * Checks run in this order, and the first failure is returned: structure
 * (EDGEKIT_E_MALFORMED) → alg → key → signature → exp → nbf → iss → aud →
 * required claims. */
#ifndef EDGEKIT_TOKEN_H
#define EDGEKIT_TOKEN_H

#include "edgekit/base.h"
#include "edgekit/status.h"

EDGEKIT_EXTERN_C_BEGIN

/* A byte string that need not be NUL-terminated. Not layout-compatible with
 * nginx's ngx_str_t (length first, then data): copy the fields, never cast. */
typedef struct edgekit_str {
  const char* data;
  size_t len;
} edgekit_str;

typedef struct edgekit_keyset edgekit_keyset;
typedef struct edgekit_verifier edgekit_verifier;
typedef struct edgekit_claims edgekit_claims;

/* Key sets.
 *
 * A key set is immutable once built and safe to share between threads. RSA
 * keys shorter than 2048 bits, EC keys off their curve and HMAC secrets of
 * zero length are refused with EDGEKIT_E_BAD_KEY; text that cannot be parsed
 * at all is EDGEKIT_E_MALFORMED. On failure *out is set to NULL. */

/* edgekit_keyset_from_jwks parses a JWK Set (RFC 7517) or a single JWK. Keys of
 * kty "oct", "RSA", "EC" (P-256, P-384, P-521) and "OKP" (Ed25519) are kept
 * with their "kid", "alg" and "use"; keys with private members can also sign.
 * Keys of any other kty, or with "use" other than "sig", are skipped, not
 * errors, because real key sets mix in encryption keys. A set with no usable
 * key is EDGEKIT_E_BAD_KEY. */
EDGEKIT_API edgekit_status edgekit_keyset_from_jwks(edgekit_keyset** out,
                                                    const char* jwks,
                                                    size_t jwks_len);

/* edgekit_keyset_from_pem parses one PEM key: a public key (SPKI
 * "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY") or a private key ("PRIVATE KEY",
 * "RSA PRIVATE KEY", "EC PRIVATE KEY"), which can both sign and verify. |kid|
 * may be NULL with |kid_len| 0 for a key without an id. */
EDGEKIT_API edgekit_status edgekit_keyset_from_pem(edgekit_keyset** out,
                                                   const char* pem,
                                                   size_t pem_len,
                                                   const char* kid,
                                                   size_t kid_len);

/* edgekit_keyset_from_secret makes a set of one HMAC key (kty "oct") from raw
 * secret bytes. |kid| may be NULL with |kid_len| 0. */
EDGEKIT_API edgekit_status edgekit_keyset_from_secret(edgekit_keyset** out,
                                                      const uint8_t* secret,
                                                      size_t secret_len,
                                                      const char* kid,
                                                      size_t kid_len);

/* edgekit_keyset_num_keys returns the number of usable keys in |keys|, or 0
 * for NULL. */
EDGEKIT_API size_t edgekit_keyset_num_keys(const edgekit_keyset* keys);

/* edgekit_keyset_free releases the caller's reference to |keys|. Verifiers
 * built from it keep their own. NULL is a no-op. */
EDGEKIT_API void edgekit_keyset_free(edgekit_keyset* keys);

/* Verification policy. Zero in any field means its default, so
 * `edgekit_verify_options o = {sizeof o};` is a valid policy: any algorithm
 * the keys allow, no issuer or audience check, no leeway. The strings are
 * copied by edgekit_verifier_new; the caller keeps ownership. */
typedef struct edgekit_verify_options {
  size_t struct_size; /* sizeof(edgekit_verify_options) */
  /* If non-empty, "iss" must be a string equal to one of these. */
  const edgekit_str* issuers;
  size_t num_issuers;
  /* If non-empty, "aud" (a string, or an array of strings) must contain one
   * of these. */
  const edgekit_str* audiences;
  size_t num_audiences;
  /* Claims that must be present, whatever their value. */
  const edgekit_str* required_claims;
  size_t num_required_claims;
  /* If non-empty, only these "alg" values are accepted; others give
   * EDGEKIT_E_UNSUPPORTED_ALG. */
  const edgekit_str* algorithms;
  size_t num_algorithms;
  /* Seconds of clock skew tolerated for exp and nbf (default 0). */
  int64_t leeway_s;
  /* Longest token accepted, in bytes (default 16384). */
  size_t max_token_len;
  /* Deepest JSON nesting accepted in header and payload (default 16). */
  uint32_t max_json_depth;
  /* Entries of the verified-token cache (default 0: no cache). A token whose
   * RSA, ECDSA or Ed25519 signature verified is remembered by its SHA-256
   * until its exp, and seen again skips the signature check; every claim is
   * still checked on every call. About 48 bytes per entry. The cache belongs
   * to this verifier: a new key set means a new verifier and an empty cache.
   * HMAC tokens are never cached (the MAC costs less than the lookup). */
  uint32_t cache_entries;
} edgekit_verify_options;

/* edgekit_verifier_new builds a verifier over |keys| with |options| (NULL for
 * the defaults). The verifier takes its own reference to |keys|. Returns
 * EDGEKIT_E_INVALID_ARGUMENT for a NULL key set, an options struct whose
 * struct_size is 0 or larger than this library knows with non-zero excess, a
 * negative leeway, an unknown algorithm name, or a NULL list or string with a
 * non-zero count or length. On failure *out is NULL. */
EDGEKIT_API edgekit_status edgekit_verifier_new(
    edgekit_verifier** out, const edgekit_keyset* keys,
    const edgekit_verify_options* options);

/* edgekit_verifier_free releases |verifier|. NULL is a no-op. */
EDGEKIT_API void edgekit_verifier_free(edgekit_verifier* verifier);

/* edgekit_verifier_verify checks the JWS compact token |token| at time |now_s|
 * (seconds since the Unix epoch) and returns EDGEKIT_OK or the first failed
 * check. |token| is only read and need not be NUL-terminated.
 *
 * If |claims| is not NULL it receives the payload: after EDGEKIT_OK, and also
 * after a claim check failed on a token whose signature verified (expired,
 * not_yet_valid, bad_issuer, bad_audience, missing_claim), so hosts can log who
 * was refused. After any other status it is empty.
 *
 * Thread-safe for a shared |verifier|; |claims| must not be shared. */
EDGEKIT_API edgekit_status edgekit_verifier_verify(
    const edgekit_verifier* verifier, edgekit_claims* claims,
    const char* token, size_t token_len, int64_t now_s);

/* Claims. */

/* edgekit_claims_new returns an empty claims object, or NULL when out of
 * memory. Free it with edgekit_claims_free. */
EDGEKIT_API edgekit_claims* edgekit_claims_new(void);

/* edgekit_claims_free releases |claims|. NULL is a no-op. */
EDGEKIT_API void edgekit_claims_free(edgekit_claims* claims);

/* The getters below look up a top-level member of the payload by name. An
 * absent member is EDGEKIT_E_MISSING_CLAIM; a member of another JSON type is
 * EDGEKIT_E_WRONG_TYPE. Nothing is re-parsed. */

/* edgekit_claims_get_string writes the unescaped UTF-8 value of string claim
 * |name| to |out| (not NUL-terminated) and its length to |*out_len|. If
 * |out_cap| is too small it returns EDGEKIT_E_BUFFER_TOO_SMALL with |*out_len|
 * set to the size needed. */
EDGEKIT_API edgekit_status edgekit_claims_get_string(
    const edgekit_claims* claims, char* out, size_t out_cap, size_t* out_len,
    const char* name, size_t name_len);

/* edgekit_claims_get_int64 sets |*out| to the value of a number claim that is
 * an integer within int64 range; other numbers are EDGEKIT_E_WRONG_TYPE. */
EDGEKIT_API edgekit_status edgekit_claims_get_int64(
    const edgekit_claims* claims, int64_t* out, const char* name,
    size_t name_len);

/* edgekit_claims_get_double sets |*out| to the value of a number claim
 * (±HUGE_VAL for values beyond double range). */
EDGEKIT_API edgekit_status edgekit_claims_get_double(
    const edgekit_claims* claims, double* out, const char* name,
    size_t name_len);

/* edgekit_claims_get_bool sets |*out| to 1 for true and 0 for false. */
EDGEKIT_API edgekit_status edgekit_claims_get_bool(const edgekit_claims* claims,
                                                   int* out, const char* name,
                                                   size_t name_len);

/* edgekit_claims_get_json points |*out| at the raw JSON text of claim |name|
 * (any type, exactly as it appears in the payload). The pointer is owned by
 * |claims| and valid until its next verify or free. */
EDGEKIT_API edgekit_status edgekit_claims_get_json(
    const edgekit_claims* claims, const char** out, size_t* out_len,
    const char* name, size_t name_len);

/* edgekit_claims_payload points |*out| at the whole decoded payload JSON, byte
 * for byte as it was signed. Owned by |claims|, valid until its next verify or
 * free. Returns EDGEKIT_E_MISSING_CLAIM when |claims| holds no payload. */
EDGEKIT_API edgekit_status edgekit_claims_payload(const edgekit_claims* claims,
                                                  const char** out,
                                                  size_t* out_len);

/* Signing. */

/* edgekit_jwt_sign writes a JWS compact token for |payload_json| (a JSON
 * object, embedded byte for byte) signed with algorithm |alg| by the one key
 * of |keys| that fits |alg| and |kid| (|kid| may be NULL with |kid_len| 0; if
 * given it also goes into the header). The header is
 * {"alg":…,"kid":…,"typ":"JWT"}. Returns EDGEKIT_E_UNSUPPORTED_ALG for "none"
 * or an unknown algorithm, EDGEKIT_E_KEY_NOT_FOUND if no single key with
 * private material fits, EDGEKIT_E_MALFORMED if |payload_json| is not a JSON
 * object (strictly: UTF-8, no duplicate member names),
 * EDGEKIT_E_INVALID_ARGUMENT if |kid| is not UTF-8, and
 * EDGEKIT_E_BUFFER_TOO_SMALL with |*out_len| set to the size needed if
 * |out_cap| is too small. Thread-safe. */
EDGEKIT_API edgekit_status edgekit_jwt_sign(const edgekit_keyset* keys,
                                            char* out, size_t out_cap,
                                            size_t* out_len, const char* alg,
                                            size_t alg_len, const char* kid,
                                            size_t kid_len,
                                            const char* payload_json,
                                            size_t payload_len);

EDGEKIT_EXTERN_C_END

#endif /* EDGEKIT_TOKEN_H */
