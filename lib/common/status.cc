// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Stable names for every status, and the library version: the part of the C
// ABI that belongs to no capability.

#include "edgekit/status.h"

#include <cstring>

#include "edgekit/base.h"

#define EDGEKIT_STR2(x) #x
#define EDGEKIT_STR(x) EDGEKIT_STR2(x)

extern "C" {

unsigned edgekit_version_number(void) { return EDGEKIT_VERSION_NUMBER; }

const char* edgekit_version(void) {
  return EDGEKIT_STR(EDGEKIT_VERSION_MAJOR) "." EDGEKIT_STR(
      EDGEKIT_VERSION_MINOR) "." EDGEKIT_STR(EDGEKIT_VERSION_PATCH);
}

const char* edgekit_crypto_backend(void) {
#if defined(EDGEKIT_CRYPTO_OPENSSL)
  return "openssl";
#else
  return "boringssl";
#endif
}

const char* edgekit_status_name(edgekit_status status) {
  // A C caller may pass any int. Read it as one: in C++ an enum value outside
  // the enumerators' bit range is undefined behaviour, and UBSan says so.
  int code;
  static_assert(sizeof code == sizeof status, "edgekit_status is an int");
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case EDGEKIT_OK:
      return "ok";

    case EDGEKIT_E_MALFORMED:
      return "malformed";
    case EDGEKIT_E_UNSUPPORTED_ALG:
      return "unsupported_alg";
    case EDGEKIT_E_KEY_NOT_FOUND:
      return "key_not_found";
    case EDGEKIT_E_BAD_SIGNATURE:
      return "bad_signature";
    case EDGEKIT_E_EXPIRED:
      return "expired";
    case EDGEKIT_E_NOT_YET_VALID:
      return "not_yet_valid";
    case EDGEKIT_E_BAD_ISSUER:
      return "bad_issuer";
    case EDGEKIT_E_BAD_AUDIENCE:
      return "bad_audience";
    case EDGEKIT_E_MISSING_CLAIM:
      return "missing_claim";
    case EDGEKIT_E_BAD_KEY:
      return "bad_key";
    case EDGEKIT_E_WRONG_TYPE:
      return "wrong_type";

    // Signed URLs.
    case EDGEKIT_E_NO_TOKEN:
      return "no_token";
    case EDGEKIT_E_IP_MISMATCH:
      return "ip_mismatch";
    case EDGEKIT_E_PATH_MISMATCH:
      return "path_mismatch";

    // Inventory and rate limits.
    case EDGEKIT_E_SOLD_OUT:
      return "sold_out";
    case EDGEKIT_E_BUYER_LIMIT:
      return "buyer_limit";
    case EDGEKIT_E_NO_SPACE:
      return "no_space";
    case EDGEKIT_E_BAD_REGION:
      return "bad_region";
    case EDGEKIT_E_UNKNOWN_SKU:
      return "unknown_sku";
    case EDGEKIT_E_UNKNOWN_HOLD:
      return "unknown_hold";
    case EDGEKIT_E_HOLD_EXPIRED:
      return "hold_expired";
    case EDGEKIT_E_RATE_LIMITED:
      return "rate_limited";
    case EDGEKIT_E_STOCK_RANGE:
      return "stock_range";

    // Aggregation and summaries.
    case EDGEKIT_E_SUMMARY_MALFORMED:
      return "summary_malformed";
    case EDGEKIT_E_SUMMARY_TRUNCATED:
      return "summary_truncated";
    case EDGEKIT_E_SUMMARY_VERSION:
      return "summary_unsupported_version";
    case EDGEKIT_E_SUMMARY_INCOMPATIBLE:
      return "summary_incompatible";
    case EDGEKIT_E_AGG_KEY_TOO_LONG:
      return "key_too_long";
    case EDGEKIT_E_AGG_BAD_TIME:
      return "bad_time";

    case EDGEKIT_E_INVALID_ARGUMENT:
      return "invalid_argument";
    case EDGEKIT_E_BUFFER_TOO_SMALL:
      return "buffer_too_small";
    case EDGEKIT_E_NO_MEMORY:
      return "no_memory";
    case EDGEKIT_E_INTERNAL:
      return "internal";
    default:
      break;
  }
  return "unknown";
}

}  // extern "C"
