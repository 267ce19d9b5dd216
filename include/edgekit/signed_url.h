/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* edgekit/signed_url.h — verify links signed by the CDN token dialects.
 *
 * Five dialects, each byte-for-byte compatible with the signer it names:
 *
 *   - nginx secure_link_md5   (?md5=<b64url md5>&expires=<unix s>)
 *   - nginx secure_link_secret (/prefix/<hex md5(link secret)>/link)
 *   - Akamai EdgeAuth Token 2.0 (__token__=[ip=~][st=~]exp=~[acl=~][id=~]
 *                                [data=~]hmac=…)
 *   - AWS CloudFront signed URLs and cookies (canned and custom policy,
 *     RSA or ECDSA P-256, SHA-1 or SHA-256)
 *   - a configurable timed HMAC (Fastly, Bunny, Cloudflare and home-made
 *     "hash of path + expiry [+ ip] with a secret" schemes)
 *
 * A verifier is built once from its dialect's options (secrets and keys are
 * copied in) and is then immutable: share it between threads freely, rotate
 * secrets by building a new one and swapping the pointer. Every dialect is
 * checked through the one call edgekit_url_verify:
 *
 *   edgekit_url_verifier* v;
 *   edgekit_akamai_options o = {sizeof o};
 *   o.key_hex = key; o.key_hex_len = strlen(key);
 *   if (edgekit_url_verifier_new_akamai(&v, &o) != EDGEKIT_OK) ...
 *   edgekit_url_request req = {sizeof req};
 *   req.path = uri; req.path_len = uri_len; req.query = args; ...
 *   req.now_s = time(NULL);
 *   edgekit_url_result res = {sizeof res};
 *   edgekit_status s = edgekit_url_verify(v, &res, &req);
 *
 * Statuses: EDGEKIT_E_NO_TOKEN (nothing to check: no token parameter, cookie
 * or header, or — as nginx — an empty or invalid expiry), EDGEKIT_E_MALFORMED,
 * EDGEKIT_E_UNSUPPORTED_ALG (CloudFront Hash-Algorithm unknown, or SHA-1 when
 * refused), EDGEKIT_E_KEY_NOT_FOUND (CloudFront key-pair id unknown),
 * EDGEKIT_E_BAD_SIGNATURE, then, only for a token whose MAC or signature
 * verified, EDGEKIT_E_EXPIRED, EDGEKIT_E_NOT_YET_VALID,
 * EDGEKIT_E_IP_MISMATCH and EDGEKIT_E_PATH_MISMATCH, in that order. A host
 * that mirrors nginx's $secure_link maps EDGEKIT_OK to "1",
 * EDGEKIT_E_EXPIRED to "0" and everything else to "".
 *
 * The request path never allocates, never writes the caller's buffers and
 * compares every MAC in constant time. Inputs longer than the verifier's
 * working buffers (8 KiB for a rebuilt message or URL) are
 * EDGEKIT_E_MALFORMED. */
#ifndef EDGEKIT_SIGNED_URL_H
#define EDGEKIT_SIGNED_URL_H

#include "edgekit/base.h"
#include "edgekit/status.h"

EDGEKIT_EXTERN_C_BEGIN

typedef struct edgekit_url_verifier edgekit_url_verifier;

/* Hash functions a dialect may be configured with. 0 is each dialect's
 * default. */
typedef enum edgekit_url_hash {
  EDGEKIT_URL_HASH_DEFAULT = 0,
  EDGEKIT_URL_HASH_MD5 = 1,
  EDGEKIT_URL_HASH_SHA1 = 2,
  EDGEKIT_URL_HASH_SHA256 = 3,
  EDGEKIT_URL_HASH_SHA512 = 4
} edgekit_url_hash;

/* Where a token may be carried (a bit mask; 0 means every place the dialect
 * supports). */
#define EDGEKIT_URL_FROM_QUERY 1u
#define EDGEKIT_URL_FROM_COOKIE 2u
#define EDGEKIT_URL_FROM_HEADER 4u

/* One request, as the host sees it. Every string is a byte slice that need
 * not be NUL-terminated and is only read. Fields a dialect does not use may be
 * left empty.
 *
 * |path|: the request path without the query; for nginx secure_link_md5 it is
 * $uri (decoded, normalised), for nginx secure_link_secret the raw request
 * URI with its query ($request_uri), for CloudFront the URL the link was
 * signed for without the query ("https://d111.cloudfront.net/a/b.jpg").
 * |query|: the raw query string without "?", not percent-decoded.
 * |cookie|: the Cookie header value. |header|: the value of the header that
 * carries the token (Akamai). |client_ip|: the client address in text form.
 * |now_s|: the current time in seconds since the Unix epoch. */
typedef struct edgekit_url_request {
  size_t struct_size; /* sizeof(edgekit_url_request) */
  const char* path;
  size_t path_len;
  const char* query;
  size_t query_len;
  const char* cookie;
  size_t cookie_len;
  const char* header;
  size_t header_len;
  const char* client_ip;
  size_t client_ip_len;
  int64_t now_s;
} edgekit_url_request;

/* What a verified (or expired, or mismatched) link says about itself, for
 * logging. The pointers point into the caller's request, never into memory
 * edgekit owns, and are valid as long as the request's buffers are. Fields a
 * dialect does not carry are 0 / NULL. They are filled once the structure of
 * the token has been parsed, whatever the status.
 *
 * |expires_s|: the expiry (nginx expires, Akamai exp, CloudFront Expires or
 * DateLessThan, timed HMAC expiry); |starts_s|: Akamai st or CloudFront
 * DateGreaterThan. |identity|: the Akamai id field, the CloudFront
 * Key-Pair-Id. |scope|: what the token grants: the Akamai acl, the CloudFront
 * Policy parameter (base64 as sent), the nginx secure_link_secret link. */
typedef struct edgekit_url_result {
  size_t struct_size; /* sizeof(edgekit_url_result) */
  int64_t expires_s;
  int64_t starts_s;
  const char* identity;
  size_t identity_len;
  const char* scope;
  size_t scope_len;
} edgekit_url_result;

/* nginx secure_link with secure_link_md5.
 *
 * nginx computes MD5(|message| evaluated for the request) and compares it with
 * the base64url value of $arg_<hash_arg>; with an expiry, the link carries
 * $arg_<expires_arg> (Unix seconds) and is expired once expires < now.
 * |message| is the secure_link_md5 expression, with these variables
 * substituted per request ($name or ${name}):
 *   $secure_link_expires  the expiry text from the link
 *   $uri                  edgekit_url_request.path
 *   $remote_addr          edgekit_url_request.client_ip
 *   $args                 edgekit_url_request.query
 * e.g. "$secure_link_expires$uri$remote_addr secret". Any other "$" is
 * EDGEKIT_E_INVALID_ARGUMENT. The link's arguments are found as nginx finds
 * $arg_name: first match, name compared case-insensitively, value raw. */
typedef struct edgekit_nginx_md5_options {
  size_t struct_size; /* sizeof(edgekit_nginx_md5_options) */
  const char* message; /* required */
  size_t message_len;
  const char* hash_arg; /* default "md5" */
  size_t hash_arg_len;
  const char* expires_arg; /* default "expires" */
  size_t expires_arg_len;
  /* Non-zero: the links carry no expiry (secure_link $arg_md5;). */
  int no_expiry;
} edgekit_nginx_md5_options;

/* edgekit_url_verifier_new_nginx_md5 builds a secure_link_md5 verifier. An
 * empty or unparsable message is EDGEKIT_E_INVALID_ARGUMENT. On failure *out
 * is NULL. */
EDGEKIT_API edgekit_status edgekit_url_verifier_new_nginx_md5(
    edgekit_url_verifier** out, const edgekit_nginx_md5_options* options);

/* edgekit_nginx_secure_link_md5 is the stateless core of the dialect for
 * hosts that build the message themselves. |secure_link| is the value of the
 * secure_link expression ("<b64url md5>" or "<b64url md5>,<expires>") and
 * |message| the evaluated secure_link_md5 expression. Returns as nginx
 * decides: EDGEKIT_OK ("1"), EDGEKIT_E_EXPIRED ("0"), or for "" the reason:
 * EDGEKIT_E_NO_TOKEN (empty hash or an expiry that is not a positive number),
 * EDGEKIT_E_MALFORMED (not 16 bytes of base64url) or EDGEKIT_E_BAD_SIGNATURE.
 * |result| may be NULL. Thread-safe; allocates nothing. */
EDGEKIT_API edgekit_status edgekit_nginx_secure_link_md5(
    edgekit_url_result* result, const char* secure_link,
    size_t secure_link_len, const char* message, size_t message_len,
    int64_t now_s);

/* nginx secure_link_secret: the path is /<prefix>/<32 hex digits>/<link> and
 * the digits are MD5(<link><secret>), <link> running to the end of the request
 * URI, query included. The prefix is not checked (nginx's location does
 * that). */
typedef struct edgekit_nginx_secret_options {
  size_t struct_size; /* sizeof(edgekit_nginx_secret_options) */
  const char* secret; /* the secure_link_secret word; may be empty */
  size_t secret_len;
} edgekit_nginx_secret_options;

/* edgekit_url_verifier_new_nginx_secret builds a secure_link_secret verifier;
 * it fails only for a bad options struct. On failure *out is NULL. */
EDGEKIT_API edgekit_status edgekit_url_verifier_new_nginx_secret(
    edgekit_url_verifier** out, const edgekit_nginx_secret_options* options);

/* Akamai EdgeAuth Token 2.0. The token is looked for in the query parameter,
 * then the cookie, then |header| (the value of the header the host chose),
 * each only if |sources| allows it. The HMAC covers the token's fields as
 * sent, up to "hmac=", then "url=<path>" for a token without acl, then
 * "salt=<salt>" if a salt is configured. An acl is a |acl_delimiter|-separated
 * list of patterns with "*" (any run) and "?" (one byte) matched against the
 * path. exp is required; the token is expired once now >= exp, not yet valid
 * while now < st; ip must equal the client IP. */
typedef struct edgekit_akamai_options {
  size_t struct_size; /* sizeof(edgekit_akamai_options) */
  const char* key_hex; /* required: the key as even-length hex */
  size_t key_hex_len;
  edgekit_url_hash hash; /* SHA256 (default), SHA1 or MD5 */
  const char* token_name; /* query parameter and cookie name: "__token__" */
  size_t token_name_len;
  uint32_t sources; /* EDGEKIT_URL_FROM_* mask; 0: all three */
  char field_delimiter; /* default '~' */
  char acl_delimiter;   /* default '!' */
  const char* salt;     /* optional, deprecated by Akamai */
  size_t salt_len;
  /* Non-zero: the signer escaped ip, id, data and url (escape_early); the
   * path (give it decoded) and client IP are then escaped the same way before
   * they are compared or hashed. The escaping is the Node signer's
   * (encodeURIComponent, then ~ ' * too, %xx in lower case); the Python
   * signer's quote_plus differs for ~ ! ( ) and space. The token itself is
   * taken as sent, never percent-decoded. */
  int escape_early;
} edgekit_akamai_options;

/* edgekit_url_verifier_new_akamai fails with EDGEKIT_E_BAD_KEY for a key that
 * is empty or not even-length hex, EDGEKIT_E_INVALID_ARGUMENT for a hash other
 * than SHA256, SHA1 or MD5 or equal delimiters. On failure *out is NULL. */
EDGEKIT_API edgekit_status edgekit_url_verifier_new_akamai(
    edgekit_url_verifier** out, const edgekit_akamai_options* options);

/* AWS CloudFront signed URLs (Expires or Policy, Signature, Key-Pair-Id and
 * optional Hash-Algorithm=SHA256 in the query) and signed cookies (the same
 * with a "CloudFront-" prefix). The resource checked is |path| plus the query
 * without those parameters. A canned policy is rebuilt from the resource and
 * Expires; a custom policy is decoded, its signature checked, then its
 * Resource (with "*" and "?" wildcards), DateLessThan, DateGreaterThan and
 * IpAddress (IPv4 or IPv6 CIDR) are enforced. Keys: RSA (PKCS#1 v1.5) or
 * ECDSA P-256 (DER signature), looked up by Key-Pair-Id. */
typedef struct edgekit_cloudfront_key {
  const char* key_pair_id;
  size_t key_pair_id_len;
  const char* public_key_pem; /* SPKI "PUBLIC KEY" or "RSA PUBLIC KEY" */
  size_t public_key_pem_len;
} edgekit_cloudfront_key;

typedef struct edgekit_cloudfront_options {
  size_t struct_size; /* sizeof(edgekit_cloudfront_options) */
  const edgekit_cloudfront_key* keys; /* required, at least one */
  size_t num_keys;
  uint32_t sources; /* EDGEKIT_URL_FROM_QUERY and/or _COOKIE; 0: both */
  /* Non-zero: refuse SHA-1 signatures (no Hash-Algorithm=SHA256). */
  int require_sha256;
} edgekit_cloudfront_options;

/* edgekit_url_verifier_new_cloudfront copies the keys. It fails with
 * EDGEKIT_E_BAD_KEY for a PEM that does not parse, a key that is not RSA or
 * EC P-256, or an RSA key under 2048 bits; EDGEKIT_E_INVALID_ARGUMENT for no
 * keys, an empty or a duplicate id. On failure *out is NULL. */
EDGEKIT_API edgekit_status edgekit_url_verifier_new_cloudfront(
    edgekit_url_verifier** out, const edgekit_cloudfront_options* options);

/* Encodings of a timed HMAC's MAC. */
typedef enum edgekit_url_encoding {
  EDGEKIT_URL_ENCODING_HEX = 0,       /* lower or upper case */
  EDGEKIT_URL_ENCODING_BASE64URL = 1, /* RFC 4648 §5, no padding */
  EDGEKIT_URL_ENCODING_BASE64 = 2     /* RFC 4648 §4, padded; %2B %2F %3D ok */
} edgekit_url_encoding;

/* A timed HMAC: MAC = HMAC(secret, message), or hash(message) when
 * |plain_digest| is set (then put $secret in the message), encoded per
 * |encoding| after an optional literal |prefix| ("HS256-"). |message| is a
 * template over $path, $expires, $ip and $secret ($name or ${name}), default
 * "$path$expires". The link carries either two query parameters,
 * |token_arg| (default "token") and |expires_arg| (default "expires"), or,
 * when |separator| is non-zero, one: <time><separator><mac> (Fastly:
 * token=<exp>_<hex>, '_'; Cloudflare: verify=<time>-<base64>, '-'). The time is
 * an absolute expiry (expired once now >= it), or with |ttl_s| > 0 the issue
 * time (not yet valid if in the future, expired once now >= time + ttl). */
typedef struct edgekit_timed_hmac_options {
  size_t struct_size; /* sizeof(edgekit_timed_hmac_options) */
  const uint8_t* secret;
  size_t secret_len;
  edgekit_url_hash hash; /* default SHA256 */
  edgekit_url_encoding encoding;
  const char* message;
  size_t message_len;
  const char* token_arg;
  size_t token_arg_len;
  const char* expires_arg;
  size_t expires_arg_len;
  char separator;
  const char* prefix;
  size_t prefix_len;
  int64_t ttl_s;
  int plain_digest;
} edgekit_timed_hmac_options;

/* edgekit_url_verifier_new_timed_hmac fails with EDGEKIT_E_BAD_KEY for an empty
 * secret, EDGEKIT_E_INVALID_ARGUMENT for an unknown hash or encoding, a message
 * with an unknown variable, a plain digest whose message lacks $secret, or a
 * negative TTL. On failure *out is NULL. */
EDGEKIT_API edgekit_status edgekit_url_verifier_new_timed_hmac(
    edgekit_url_verifier** out, const edgekit_timed_hmac_options* options);

/* edgekit_url_verifier_free releases |verifier|. NULL is a no-op. */
EDGEKIT_API void edgekit_url_verifier_free(edgekit_url_verifier* verifier);

/* edgekit_url_verify checks |request| against |verifier|'s dialect and
 * returns EDGEKIT_OK or the first failed check (see the top of this file).
 * |result| may be NULL; otherwise it is reset and then filled with what the
 * link says. EDGEKIT_E_INVALID_ARGUMENT for a NULL verifier or request, or a
 * struct_size of 0. Thread-safe for a shared |verifier|; allocates nothing. */
EDGEKIT_API edgekit_status edgekit_url_verify(
    const edgekit_url_verifier* verifier, edgekit_url_result* result,
    const edgekit_url_request* request);

EDGEKIT_EXTERN_C_END

#endif /* EDGEKIT_SIGNED_URL_H */
