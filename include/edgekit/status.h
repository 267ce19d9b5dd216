/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* edgekit/status.h — the one status type every fallible edgekit call returns.
 *
 * The numbers are part of the ABI: they are pinned, grouped by capability
 * (1xx token, 2xx signed URL, 3xx inventory, 4xx aggregate, 9xx general) and
 * only ever appended to. A retired number is never reused. Logs, bindings and
 * tests should match on edgekit_status_name(), which is equally stable. A
 * switch over edgekit_status needs a default: label, because later versions
 * add values. */
#ifndef EDGEKIT_STATUS_H
#define EDGEKIT_STATUS_H

#include "edgekit/base.h"

EDGEKIT_EXTERN_C_BEGIN

typedef enum edgekit_status {
  EDGEKIT_OK = 0,

  /* Token verification (JWS / JWT). */
  EDGEKIT_E_MALFORMED = 100,       /* not a well-formed token or document */
  EDGEKIT_E_UNSUPPORTED_ALG = 101, /* alg is "none", unknown or not allowed */
  EDGEKIT_E_KEY_NOT_FOUND = 102,   /* no single key fits the token */
  EDGEKIT_E_BAD_SIGNATURE = 103,   /* signature or MAC does not verify */
  EDGEKIT_E_EXPIRED = 104,         /* now >= exp + leeway */
  EDGEKIT_E_NOT_YET_VALID = 105,   /* now + leeway < nbf */
  EDGEKIT_E_BAD_ISSUER = 106,      /* iss not in the allowed list */
  EDGEKIT_E_BAD_AUDIENCE = 107,    /* no aud value in the allowed list */
  EDGEKIT_E_MISSING_CLAIM = 108,   /* a required or requested claim is absent */
  EDGEKIT_E_BAD_KEY = 109,         /* key material rejected at load */
  EDGEKIT_E_WRONG_TYPE = 110,      /* a claim exists but has another JSON type */

  /* Signed URLs. They also use MALFORMED, KEY_NOT_FOUND, BAD_SIGNATURE,
   * EXPIRED and NOT_YET_VALID above, which mean the same for a link. */
  EDGEKIT_E_NO_TOKEN = 200,      /* the request carries no token to check */
  EDGEKIT_E_IP_MISMATCH = 201,   /* the token is bound to another client IP */
  EDGEKIT_E_PATH_MISMATCH = 202, /* the token does not cover this path */

  /* Inventory and rate limits. */
  EDGEKIT_E_SOLD_OUT = 300,     /* fewer units available than asked for */
  EDGEKIT_E_BUYER_LIMIT = 301,  /* the buyer would exceed the per-buyer limit */
  EDGEKIT_E_NO_SPACE = 302,     /* a region table is full; nothing was evicted */
  EDGEKIT_E_BAD_REGION = 303,   /* memory is not a region of this layout */
  EDGEKIT_E_UNKNOWN_SKU = 304,  /* the SKU has never had stock */
  EDGEKIT_E_UNKNOWN_HOLD = 305, /* not a live hold: never issued or confirmed */
  EDGEKIT_E_HOLD_EXPIRED = 306, /* the hold's TTL passed or it was returned */
  EDGEKIT_E_RATE_LIMITED = 307, /* over the rate; retry after the time given */
  EDGEKIT_E_STOCK_RANGE = 308,  /* a stock count would leave its range */

  /* Aggregation and summaries. */
  EDGEKIT_E_SUMMARY_MALFORMED = 400,     /* not a well-formed summary */
  EDGEKIT_E_SUMMARY_TRUNCATED = 401,     /* summary input ends early */
  EDGEKIT_E_SUMMARY_VERSION = 402,       /* unknown summary version/family */
  EDGEKIT_E_SUMMARY_INCOMPATIBLE = 403,  /* merge of different sketch options */
  EDGEKIT_E_AGG_KEY_TOO_LONG = 404,      /* key over max_key_len; not counted */
  EDGEKIT_E_AGG_BAD_TIME = 405,          /* now_ms negative or out of range */

  /* General. */
  EDGEKIT_E_INVALID_ARGUMENT = 900, /* NULL where an object is needed, bad option */
  EDGEKIT_E_BUFFER_TOO_SMALL = 901, /* *out_len holds the size needed */
  EDGEKIT_E_NO_MEMORY = 902,        /* an allocation failed */
  EDGEKIT_E_INTERNAL = 903          /* a bug in edgekit or its crypto library */
} edgekit_status;

/* edgekit_status_name returns a stable lower-case name for |status|, such as
 * "ok", "expired" or "bad_signature", or "unknown" for a number this version
 * does not define. The string is static; the caller must not free it. */
EDGEKIT_API const char* edgekit_status_name(edgekit_status status);

EDGEKIT_EXTERN_C_END

#endif /* EDGEKIT_STATUS_H */
