/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* Drives the whole token API from C through libedgekit.so: key sets from a
 * secret, a JWKS and a PEM; verifier options including struct_size
 * versioning; verification; every claim getter; signing with buffer sizing;
 * NULL handling. Usage: capi_token_test KEYS_PRIVATE_JWKS RSA_PUB_PEM */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edgekit.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#define CHECK_STATUS(expr, want)                                            \
  do {                                                                      \
    edgekit_status got_ = (expr);                                           \
    if (got_ != (want)) {                                                   \
      fprintf(stderr, "%s:%d: %s gave %s, want %s\n", __FILE__, __LINE__,   \
              #expr, edgekit_status_name(got_), edgekit_status_name(want)); \
      ++failures;                                                           \
    }                                                                       \
  } while (0)

#define S(lit) lit, sizeof(lit) - 1

static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* buf;
  long size;
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)size + 1);
  if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) exit(2);
  fclose(f);
  *len = (size_t)size;
  return buf;
}

static void test_free_null(void) {
  edgekit_keyset_free(NULL);
  edgekit_verifier_free(NULL);
  edgekit_claims_free(NULL);
  CHECK(edgekit_keyset_num_keys(NULL) == 0);
}

static void test_null_arguments(void) {
  edgekit_keyset* keys = (edgekit_keyset*)&failures; /* must be reset */
  edgekit_verifier* v = NULL;
  edgekit_claims* claims = edgekit_claims_new();
  size_t len = 0;
  const char* p = NULL;
  int64_t i = 0;
  char buf[8];

  CHECK_STATUS(
      edgekit_keyset_from_secret(NULL, (const uint8_t*)"k", 1, NULL, 0),
      EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_keyset_from_secret(&keys, NULL, 3, NULL, 0),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK(keys == NULL);
  CHECK_STATUS(
      edgekit_keyset_from_secret(&keys, (const uint8_t*)"k", 1, NULL, 2),
      EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_keyset_from_jwks(&keys, NULL, 5),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_keyset_from_pem(&keys, NULL, 5, NULL, 0),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_verifier_new(&v, NULL, NULL),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK(v == NULL);
  CHECK_STATUS(edgekit_verifier_verify(NULL, claims, S("a.b.c"), 0),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_claims_get_string(NULL, buf, sizeof buf, &len, S("sub")),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(
      edgekit_claims_get_string(claims, buf, sizeof buf, NULL, S("sub")),
      EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_claims_get_int64(claims, NULL, S("exp")),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_claims_get_json(claims, &p, NULL, S("exp")),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK_STATUS(edgekit_claims_payload(NULL, &p, &len),
               EDGEKIT_E_INVALID_ARGUMENT);
  /* An empty claims object holds nothing. */
  CHECK_STATUS(edgekit_claims_payload(claims, &p, &len),
               EDGEKIT_E_MISSING_CLAIM);
  CHECK_STATUS(edgekit_claims_get_int64(claims, &i, S("exp")),
               EDGEKIT_E_MISSING_CLAIM);
  CHECK_STATUS(edgekit_jwt_sign(NULL, buf, sizeof buf, &len, S("HS256"), NULL,
                                0, S("{}")),
               EDGEKIT_E_INVALID_ARGUMENT);
  edgekit_claims_free(claims);
}

static void test_key_loading(const char* jwks, size_t jwks_len, const char* pem,
                             size_t pem_len) {
  edgekit_keyset* keys = NULL;
  CHECK_STATUS(edgekit_keyset_from_jwks(&keys, jwks, jwks_len), EDGEKIT_OK);
  CHECK(edgekit_keyset_num_keys(keys) == 8);
  edgekit_keyset_free(keys);

  CHECK_STATUS(edgekit_keyset_from_pem(&keys, pem, pem_len, S("rsa")),
               EDGEKIT_OK);
  CHECK(edgekit_keyset_num_keys(keys) == 1);
  edgekit_keyset_free(keys);

  CHECK_STATUS(edgekit_keyset_from_jwks(&keys, S("{\"keys\":")),
               EDGEKIT_E_MALFORMED);
  CHECK(keys == NULL);
  CHECK_STATUS(edgekit_keyset_from_jwks(&keys, S("{\"keys\":[]}")),
               EDGEKIT_E_BAD_KEY);
  CHECK_STATUS(edgekit_keyset_from_pem(&keys, S("nothing"), NULL, 0),
               EDGEKIT_E_MALFORMED);
  CHECK_STATUS(
      edgekit_keyset_from_secret(&keys, (const uint8_t*)"", 0, NULL, 0),
      EDGEKIT_E_BAD_KEY);
}

static void test_options(edgekit_keyset* keys) {
  edgekit_verifier* v = NULL;
  unsigned char bigger[sizeof(edgekit_verify_options) + 16];
  edgekit_verify_options o;
  const edgekit_str bad_alg[] = {{"none", 4}};
  const edgekit_str null_str[] = {{NULL, 3}};

  memset(&o, 0, sizeof o);
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_E_INVALID_ARGUMENT);
  o.struct_size = sizeof o;
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_OK);
  edgekit_verifier_free(v);
  CHECK_STATUS(edgekit_verifier_new(&v, keys, NULL), EDGEKIT_OK);
  edgekit_verifier_free(v);

  /* A caller compiled against an older, shorter struct. */
  o.struct_size = offsetof(edgekit_verify_options, leeway_s);
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_OK);
  edgekit_verifier_free(v);

  /* A newer caller's longer struct: fine while the unknown tail is zero. */
  memset(bigger, 0, sizeof bigger);
  o.struct_size = sizeof bigger;
  memcpy(bigger, &o, sizeof o);
  CHECK_STATUS(edgekit_verifier_new(&v, keys, (edgekit_verify_options*)bigger),
               EDGEKIT_OK);
  edgekit_verifier_free(v);
  bigger[sizeof o + 3] = 1;
  CHECK_STATUS(edgekit_verifier_new(&v, keys, (edgekit_verify_options*)bigger),
               EDGEKIT_E_INVALID_ARGUMENT);
  CHECK(v == NULL);

  o.struct_size = sizeof o;
  o.algorithms = bad_alg;
  o.num_algorithms = 1;
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_E_INVALID_ARGUMENT);
  o.num_algorithms = 0;
  o.issuers = null_str;
  o.num_issuers = 1;
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_E_INVALID_ARGUMENT);
  o.issuers = NULL;
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_E_INVALID_ARGUMENT);
  o.num_issuers = 0;
  o.leeway_s = -1;
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_E_INVALID_ARGUMENT);
}

static void test_sign_and_verify(edgekit_keyset* keys) {
  static const char payload[] =
      "{\"iss\":\"https://issuer.example\",\"aud\":[\"edge\"],\"sub\":"
      "\"buyer-\\u0034\\u0032\",\"exp\":1700000060,\"nbf\":1699999990,"
      "\"sku\":-7,\"price\":9.5,\"vip\":true,\"tags\":[1,2]}";
  const edgekit_str issuers[] = {{"https://issuer.example", 22}};
  const edgekit_str audiences[] = {{"shop", 4}, {"edge", 4}};
  const edgekit_str required[] = {{"sku", 3}};
  const edgekit_str algs[] = {{"ES256", 5}, {"HS256", 5}};
  edgekit_verify_options o;
  edgekit_verifier* v = NULL;
  edgekit_claims* claims = edgekit_claims_new();
  char token[2048];
  char small[8];
  size_t token_len = 0, need = 0, len = 0;
  char buf[64];
  const char* json = NULL;
  int64_t i = 0;
  double d = 0;
  int b = 0;

  CHECK(claims != NULL);
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.issuers = issuers;
  o.num_issuers = 1;
  o.audiences = audiences;
  o.num_audiences = 2;
  o.required_claims = required;
  o.num_required_claims = 1;
  o.algorithms = algs;
  o.num_algorithms = 2;
  o.leeway_s = 10;
  CHECK_STATUS(edgekit_verifier_new(&v, keys, &o), EDGEKIT_OK);

  /* Signing: size query, then the real thing. */
  CHECK_STATUS(edgekit_jwt_sign(keys, small, sizeof small, &need, S("ES256"),
                                S("p256"), payload, sizeof payload - 1),
               EDGEKIT_E_BUFFER_TOO_SMALL);
  CHECK(need > sizeof small && need < sizeof token);
  CHECK_STATUS(
      edgekit_jwt_sign(keys, token, sizeof token, &token_len, S("ES256"),
                       S("p256"), payload, sizeof payload - 1),
      EDGEKIT_OK);
  CHECK_STATUS(edgekit_jwt_sign(keys, token, sizeof token, &len, S("none"),
                                NULL, 0, S("{}")),
               EDGEKIT_E_UNSUPPORTED_ALG);
  CHECK_STATUS(edgekit_jwt_sign(keys, token + 1024, 1024, &len, S("HS256"),
                                S("hs256"), S("[1]")),
               EDGEKIT_E_MALFORMED);

  /* Verification at several times: inside, at the leeway edges, outside. */
  CHECK_STATUS(edgekit_verifier_verify(v, claims, token, token_len, 1700000000),
               EDGEKIT_OK);
  CHECK_STATUS(edgekit_verifier_verify(v, claims, token, token_len, 1700000069),
               EDGEKIT_OK);
  CHECK_STATUS(edgekit_verifier_verify(v, claims, token, token_len, 1700000070),
               EDGEKIT_E_EXPIRED);
  CHECK_STATUS(edgekit_verifier_verify(v, claims, token, token_len, 1699999980),
               EDGEKIT_OK);
  CHECK_STATUS(edgekit_verifier_verify(v, claims, token, token_len, 1699999979),
               EDGEKIT_E_NOT_YET_VALID);
  /* A claim failure still fills |claims|. */
  CHECK_STATUS(edgekit_claims_get_int64(claims, &i, S("sku")), EDGEKIT_OK);
  CHECK_STATUS(edgekit_verifier_verify(v, NULL, token, token_len, 1700000000),
               EDGEKIT_OK);
  CHECK_STATUS(
      edgekit_verifier_verify(v, claims, token, token_len - 1, 1700000000),
      EDGEKIT_E_MALFORMED); /* 63 bytes of raw ECDSA signature */
  /* An earlier failure empties it. */
  CHECK_STATUS(edgekit_claims_get_int64(claims, &i, S("sku")),
               EDGEKIT_E_MISSING_CLAIM);
  CHECK_STATUS(edgekit_verifier_verify(v, claims, token, token_len, 1700000000),
               EDGEKIT_OK);

  /* Every getter. */
  CHECK_STATUS(
      edgekit_claims_get_string(claims, buf, sizeof buf, &len, S("sub")),
      EDGEKIT_OK);
  CHECK(len == 8 && memcmp(buf, "buyer-42", 8) == 0);
  CHECK_STATUS(edgekit_claims_get_string(claims, small, 4, &len, S("sub")),
               EDGEKIT_E_BUFFER_TOO_SMALL);
  CHECK(len == 8);
  CHECK_STATUS(edgekit_claims_get_string(claims, NULL, 0, &len, S("sub")),
               EDGEKIT_E_BUFFER_TOO_SMALL);
  CHECK_STATUS(
      edgekit_claims_get_string(claims, buf, sizeof buf, &len, S("sku")),
      EDGEKIT_E_WRONG_TYPE);
  CHECK_STATUS(edgekit_claims_get_int64(claims, &i, S("sku")), EDGEKIT_OK);
  CHECK(i == -7);
  CHECK_STATUS(edgekit_claims_get_int64(claims, &i, S("price")),
               EDGEKIT_E_WRONG_TYPE);
  CHECK_STATUS(edgekit_claims_get_double(claims, &d, S("price")), EDGEKIT_OK);
  CHECK(d == 9.5);
  CHECK_STATUS(edgekit_claims_get_bool(claims, &b, S("vip")), EDGEKIT_OK);
  CHECK(b == 1);
  CHECK_STATUS(edgekit_claims_get_bool(claims, &b, S("sub")),
               EDGEKIT_E_WRONG_TYPE);
  CHECK_STATUS(edgekit_claims_get_json(claims, &json, &len, S("tags")),
               EDGEKIT_OK);
  CHECK(len == 5 && memcmp(json, "[1,2]", 5) == 0);
  CHECK_STATUS(edgekit_claims_get_json(claims, &json, &len, S("absent")),
               EDGEKIT_E_MISSING_CLAIM);
  CHECK_STATUS(edgekit_claims_payload(claims, &json, &len), EDGEKIT_OK);
  CHECK(len == sizeof payload - 1 && memcmp(json, payload, len) == 0);

  /* A name that is not NUL-terminated: only the first 3 bytes count. */
  CHECK_STATUS(edgekit_claims_get_int64(claims, &i, "skuXYZ", 3), EDGEKIT_OK);

  /* HS256 is allowed by the policy but RS256 is not. */
  CHECK_STATUS(
      edgekit_jwt_sign(keys, token, sizeof token, &token_len, S("RS256"),
                       S("rsa"), payload, sizeof payload - 1),
      EDGEKIT_OK);
  CHECK_STATUS(edgekit_verifier_verify(v, claims, token, token_len, 1700000000),
               EDGEKIT_E_UNSUPPORTED_ALG);

  edgekit_verifier_free(v);
  edgekit_claims_free(claims);
}

static void test_keyset_outlives_caller_reference(const char* jwks,
                                                  size_t jwks_len) {
  edgekit_keyset* keys = NULL;
  edgekit_verifier* v = NULL;
  char token[1024];
  size_t token_len = 0;
  CHECK_STATUS(edgekit_keyset_from_jwks(&keys, jwks, jwks_len), EDGEKIT_OK);
  CHECK_STATUS(edgekit_jwt_sign(keys, token, sizeof token, &token_len,
                                S("EdDSA"), S("ed25519"), S("{\"a\":1}")),
               EDGEKIT_OK);
  CHECK_STATUS(edgekit_verifier_new(&v, keys, NULL), EDGEKIT_OK);
  edgekit_keyset_free(keys); /* the verifier keeps its own reference */
  CHECK_STATUS(edgekit_verifier_verify(v, NULL, token, token_len, 0),
               EDGEKIT_OK);
  edgekit_verifier_free(v);
}

int main(int argc, char** argv) {
  size_t jwks_len = 0, pem_len = 0;
  char *jwks, *pem;
  edgekit_keyset* keys = NULL;
  if (argc != 3) {
    fprintf(stderr, "usage: %s KEYS_PRIVATE_JWKS RSA_PUB_PEM\n", argv[0]);
    return 2;
  }
  jwks = read_file(argv[1], &jwks_len);
  pem = read_file(argv[2], &pem_len);

  test_free_null();
  test_null_arguments();
  test_key_loading(jwks, jwks_len, pem, pem_len);
  CHECK_STATUS(edgekit_keyset_from_jwks(&keys, jwks, jwks_len), EDGEKIT_OK);
  test_options(keys);
  test_sign_and_verify(keys);
  edgekit_keyset_free(keys);
  test_keyset_outlives_caller_reference(jwks, jwks_len);

  free(jwks);
  free(pem);
  if (failures == 0) printf("ok: token C API\n");
  return failures == 0 ? 0 : 1;
}
