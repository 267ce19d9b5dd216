/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* verify_tokens: what an edge does with every request's token, through the C
 * ABI only. It signs a batch of tokens with the demo key set (good ones and
 * the attacks an edge sees), verifies each against one policy, and prints
 * what it accepted and why it rejected the rest.
 *
 * Usage: verify_tokens DEMO_JWKS RSA_PUBLIC_PEM */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edgekit.h"

#define S(lit) lit, sizeof(lit) - 1

/* 2026-01-01T00:00:00Z: a fixed clock keeps the output the same every run. */
static const int64_t kNow = 1767225600;

typedef struct {
  const char* label;
  char token[2048];
  size_t len;
} demo_token;

static demo_token tokens[16];
static size_t num_tokens = 0;

static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* buf = NULL;
  long size;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)size)) == NULL ||
      fread(buf, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  *len = (size_t)size;
  return buf;
}

/* sign adds a token signed by |keys| with |alg| and |kid| over |payload|. */
static demo_token* sign(const char* label, const edgekit_keyset* keys,
                        const char* alg, const char* kid, const char* payload) {
  demo_token* t = &tokens[num_tokens++];
  edgekit_status s;
  t->label = label;
  s = edgekit_jwt_sign(keys, t->token, sizeof t->token, &t->len, alg,
                       strlen(alg), kid, strlen(kid), payload, strlen(payload));
  if (s != EDGEKIT_OK) {
    fprintf(stderr, "signing \"%s\" failed: %s\n", label,
            edgekit_status_name(s));
    exit(1);
  }
  return t;
}

/* add adds a token assembled by hand. */
static void add(const char* label, const char* text, size_t len) {
  demo_token* t = &tokens[num_tokens++];
  t->label = label;
  memcpy(t->token, text, len);
  t->len = len;
}

/* segment returns the offset of segment |i| (0..2) of |t|. */
static size_t segment(const demo_token* t, int i) {
  size_t pos = 0;
  while (i-- > 0) {
    const char* dot = memchr(t->token + pos, '.', t->len - pos);
    pos = (size_t)(dot - t->token) + 1;
  }
  return pos;
}

int main(int argc, char** argv) {
  size_t jwks_len, pem_len, i, accepted = 0;
  char *jwks, *pem, claims_ok[64];
  char payload[512];
  edgekit_keyset* keys = NULL;
  edgekit_keyset* forged = NULL;
  edgekit_verifier* verifier = NULL;
  edgekit_claims* claims = edgekit_claims_new();
  const edgekit_str issuers[] = {{S("https://shop.example")}};
  const edgekit_str audiences[] = {{S("edge")}};
  edgekit_verify_options options;
  demo_token *good, *other;

  if (argc != 3) {
    fprintf(stderr, "usage: %s DEMO_JWKS RSA_PUBLIC_PEM\n", argv[0]);
    return 2;
  }
  jwks = read_file(argv[1], &jwks_len);
  pem = read_file(argv[2], &pem_len);
  if (claims == NULL ||
      edgekit_keyset_from_jwks(&keys, jwks, jwks_len) != EDGEKIT_OK) {
    fprintf(stderr, "cannot load %s\n", argv[1]);
    return 1;
  }

  memset(&options, 0, sizeof options);
  options.struct_size = sizeof options;
  options.issuers = issuers;
  options.num_issuers = 1;
  options.audiences = audiences;
  options.num_audiences = 1;
  if (edgekit_verifier_new(&verifier, keys, &options) != EDGEKIT_OK) return 1;

#define CLAIMS(sub, extra)                                                 \
  (snprintf(                                                               \
       payload, sizeof payload,                                            \
       "{\"iss\":\"https://shop.example\",\"aud\":\"edge\",\"sub\":\"" sub \
       "\",\"exp\":%lld%s}",                                               \
       (long long)kNow + 300, extra),                                      \
   payload)

  /* The good ones, one per key family. */
  good = sign("valid HS256", keys, "HS256", "hs", CLAIMS("buyer-1", ""));
  sign("valid RS256", keys, "RS256", "rsa", CLAIMS("buyer-2", ""));
  sign("valid ES256", keys, "ES256", "ec", CLAIMS("buyer-3", ""));
  sign("valid EdDSA", keys, "EdDSA", "ed", CLAIMS("buyer-4", ""));

  /* Claims that fail the policy. */
  snprintf(payload, sizeof payload,
           "{\"iss\":\"https://shop.example\",\"aud\":\"edge\","
           "\"sub\":\"late\",\"exp\":%lld}",
           (long long)kNow - 60);
  sign("expired a minute ago", keys, "ES256", "ec", payload);
  sign("not yet valid", keys, "EdDSA", "ed",
       CLAIMS("early", ",\"nbf\":1767229200"));
  snprintf(payload, sizeof payload,
           "{\"iss\":\"https://shop.example\",\"aud\":\"other-shop\","
           "\"sub\":\"lost\",\"exp\":%lld}",
           (long long)kNow + 300);
  sign("wrong audience", keys, "HS256", "hs", payload);
  snprintf(payload, sizeof payload,
           "{\"iss\":\"https://evil.example\",\"aud\":\"edge\","
           "\"sub\":\"mallory\",\"exp\":%lld}",
           (long long)kNow + 300);
  sign("wrong issuer", keys, "HS256", "hs", payload);

  /* Tampering: buyer-1's header and signature around another payload. */
  other = sign("(helper)", keys, "HS256", "hs", CLAIMS("admin", ""));
  {
    char spliced[2048];
    size_t head = segment(good, 1), sig = segment(good, 2);
    size_t body = segment(other, 1), body_end = segment(other, 2) - 1;
    size_t n = 0;
    memcpy(spliced, good->token, head);
    n += head;
    memcpy(spliced + n, other->token + body, body_end - body);
    n += body_end - body;
    memcpy(spliced + n, good->token + sig - 1, good->len - sig + 1);
    n += good->len - sig + 1;
    --num_tokens; /* drop the helper, keep the forgery */
    add("tampered payload", spliced, n);
  }

  /* "alg":"none" with buyer-1's payload and no signature. */
  {
    static const char none_header[] = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.";
    char unsigned_token[2048];
    size_t body = segment(good, 1), sig = segment(good, 2);
    size_t n = sizeof none_header - 1;
    memcpy(unsigned_token, none_header, n);
    memcpy(unsigned_token + n, good->token + body, sig - body);
    n += sig - body;
    add("alg none", unsigned_token, n);
  }

  /* Algorithm confusion: HS256 keyed with the RSA public key, which every
   * attacker can download, claiming the RSA key's kid. */
  if (edgekit_keyset_from_secret(&forged, (const uint8_t*)pem, pem_len,
                                 S("rsa")) != EDGEKIT_OK) {
    return 1;
  }
  sign("alg confusion RS256 -> HS256", forged, "HS256", "rsa",
       CLAIMS("mallory", ""));
  edgekit_keyset_free(forged);
  if (edgekit_keyset_from_secret(&forged, (const uint8_t*)"guess", 5,
                                 S("ghost")) != EDGEKIT_OK) {
    return 1;
  }
  sign("unknown kid", forged, "HS256", "ghost", CLAIMS("mallory", ""));
  edgekit_keyset_free(forged);
  add("not a token at all", S("hello.world"));

  printf(
      "edgekit %s (%s): %zu tokens at %lld, policy iss=https://shop.example "
      "aud=edge\n\n",
      edgekit_version(), edgekit_crypto_backend(), num_tokens, (long long)kNow);
  for (i = 0; i < num_tokens; ++i) {
    const demo_token* t = &tokens[i];
    edgekit_status s =
        edgekit_verifier_verify(verifier, claims, t->token, t->len, kNow);
    size_t sub_len = 0;
    if (s == EDGEKIT_OK) {
      ++accepted;
      if (edgekit_claims_get_string(claims, claims_ok, sizeof claims_ok - 1,
                                    &sub_len, S("sub")) != EDGEKIT_OK) {
        sub_len = 0;
      }
      claims_ok[sub_len] = '\0';
      printf("  accepted  %-30s sub=%s\n", t->label, claims_ok);
    } else {
      printf("  rejected  %-30s %s\n", t->label, edgekit_status_name(s));
    }
  }
  printf("\n%zu accepted, %zu rejected\n", accepted, num_tokens - accepted);

  edgekit_claims_free(claims);
  edgekit_verifier_free(verifier);
  edgekit_keyset_free(keys);
  free(jwks);
  free(pem);
  return accepted == 4 ? 0 : 1;
}
