/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* Pins every status number and name. Both are ABI: a change here is a break
 * for every host that logs or switches on them. Append new codes at the end
 * of their capability's section; never edit a line. */

#include <stdio.h>
#include <string.h>

#include "edgekit.h"

static int failures = 0;
static int pinned = 0;

static void pin(edgekit_status status, int number, const char* name) {
  ++pinned;
  if ((int)status != number) {
    fprintf(stderr, "status %s is %d, pinned as %d\n", name, (int)status,
            number);
    ++failures;
  }
  if (strcmp(edgekit_status_name(status), name) != 0) {
    fprintf(stderr, "status %d is named \"%s\", pinned as \"%s\"\n", number,
            edgekit_status_name(status), name);
    ++failures;
  }
}

int main(void) {
  size_t i;
  /* Numbers no status uses, including ones a C caller can make up. */
  const int wild[] = {-1,        1, 99, 199, 899, 999, 100000, -2147483647 - 1,
                      2147483647};

  pin(EDGEKIT_OK, 0, "ok");

  /* Token verification. */
  pin(EDGEKIT_E_MALFORMED, 100, "malformed");
  pin(EDGEKIT_E_UNSUPPORTED_ALG, 101, "unsupported_alg");
  pin(EDGEKIT_E_KEY_NOT_FOUND, 102, "key_not_found");
  pin(EDGEKIT_E_BAD_SIGNATURE, 103, "bad_signature");
  pin(EDGEKIT_E_EXPIRED, 104, "expired");
  pin(EDGEKIT_E_NOT_YET_VALID, 105, "not_yet_valid");
  pin(EDGEKIT_E_BAD_ISSUER, 106, "bad_issuer");
  pin(EDGEKIT_E_BAD_AUDIENCE, 107, "bad_audience");
  pin(EDGEKIT_E_MISSING_CLAIM, 108, "missing_claim");
  pin(EDGEKIT_E_BAD_KEY, 109, "bad_key");
  pin(EDGEKIT_E_WRONG_TYPE, 110, "wrong_type");

  /* Signed URLs. */
  pin(EDGEKIT_E_NO_TOKEN, 200, "no_token");
  pin(EDGEKIT_E_IP_MISMATCH, 201, "ip_mismatch");
  pin(EDGEKIT_E_PATH_MISMATCH, 202, "path_mismatch");

  /* Inventory and rate limits. */
  pin(EDGEKIT_E_SOLD_OUT, 300, "sold_out");
  pin(EDGEKIT_E_BUYER_LIMIT, 301, "buyer_limit");
  pin(EDGEKIT_E_NO_SPACE, 302, "no_space");
  pin(EDGEKIT_E_BAD_REGION, 303, "bad_region");
  pin(EDGEKIT_E_UNKNOWN_SKU, 304, "unknown_sku");
  pin(EDGEKIT_E_UNKNOWN_HOLD, 305, "unknown_hold");
  pin(EDGEKIT_E_HOLD_EXPIRED, 306, "hold_expired");
  pin(EDGEKIT_E_RATE_LIMITED, 307, "rate_limited");
  pin(EDGEKIT_E_STOCK_RANGE, 308, "stock_range");

  /* Aggregation and summaries. */
  pin(EDGEKIT_E_SUMMARY_MALFORMED, 400, "summary_malformed");
  pin(EDGEKIT_E_SUMMARY_TRUNCATED, 401, "summary_truncated");
  pin(EDGEKIT_E_SUMMARY_VERSION, 402, "summary_unsupported_version");
  pin(EDGEKIT_E_SUMMARY_INCOMPATIBLE, 403, "summary_incompatible");
  pin(EDGEKIT_E_AGG_KEY_TOO_LONG, 404, "key_too_long");
  pin(EDGEKIT_E_AGG_BAD_TIME, 405, "bad_time");

  /* General. */
  pin(EDGEKIT_E_INVALID_ARGUMENT, 900, "invalid_argument");
  pin(EDGEKIT_E_BUFFER_TOO_SMALL, 901, "buffer_too_small");
  pin(EDGEKIT_E_NO_MEMORY, 902, "no_memory");
  pin(EDGEKIT_E_INTERNAL, 903, "internal");

  /* Every named status is pinned above: a new code without a pin fails. */
  {
    int n, named = 0;
    for (n = 0; n < 1024; ++n) {
      if (strcmp(edgekit_status_name((edgekit_status)n), "unknown") != 0) {
        ++named;
      }
    }
    if (named != pinned) {
      fprintf(stderr, "%d statuses have names but %d are pinned\n", named,
              pinned);
      ++failures;
    }
  }

  for (i = 0; i < sizeof wild / sizeof wild[0]; ++i) {
    if (strcmp(edgekit_status_name((edgekit_status)wild[i]), "unknown") != 0) {
      fprintf(stderr, "wild status %d has a name\n", wild[i]);
      ++failures;
    }
  }
  if (failures == 0) printf("ok: every status pinned\n");
  return failures == 0 ? 0 : 1;
}
