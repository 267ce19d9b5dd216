/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* Compiled as C11 with -pedantic: the signed-URL header is valid C, and a C
 * host can verify a link with it. */
#include <string.h>

#include "edgekit.h"

int edgekit_test_signed_url_from_c(void);

/* Verifies one nginx secure_link_secret link (secret "word") and returns its
 * status. */
int edgekit_test_signed_url_from_c(void) {
  static const char kUri[] = "/p/d4ccbd8a4a442d9c39af403e525cae0f/f.txt";
  edgekit_nginx_secret_options o;
  edgekit_url_verifier* v = NULL;
  edgekit_url_request req;
  edgekit_url_result res;
  edgekit_status s;
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.secret = "word";
  o.secret_len = 4;
  s = edgekit_url_verifier_new_nginx_secret(&v, &o);
  if (s != EDGEKIT_OK) return (int)s;
  memset(&req, 0, sizeof req);
  req.struct_size = sizeof req;
  req.path = kUri;
  req.path_len = sizeof kUri - 1;
  memset(&res, 0, sizeof res);
  res.struct_size = sizeof res;
  s = edgekit_url_verify(v, &res, &req);
  edgekit_url_verifier_free(v);
  if (s == EDGEKIT_OK && (res.scope_len != 5 || memcmp(res.scope, "f.txt", 5))) {
    return -1;
  }
  return (int)s;
}
