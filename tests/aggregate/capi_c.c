/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* The aggregate C ABI used from C11 (-pedantic): compiled as C to prove the
 * header is C, driven from capi_test.cc. Returns 0 or the failing line. */

#include <stdlib.h>
#include <string.h>

#include "edgekit.h"

#define CHECK(cond)  \
  do {               \
    if (!(cond)) {   \
      rc = __LINE__; \
      goto done;     \
    }                \
  } while (0)

int aggregate_c_round_trip(void) {
  int rc = 0;
  size_t len = 0, n = 0;
  void* mem = NULL;
  edgekit_aggregator* agg = NULL;
  edgekit_aggregator* again = NULL;
  edgekit_summary* s = NULL;
  edgekit_summary* parsed = NULL;
  edgekit_summary* none = NULL;
  char buf[65536];
  uint64_t count = 0, start = 0, end = 0;
  edgekit_aggregator_options opt;
  memset(&opt, 0, sizeof opt);
  opt.struct_size = sizeof opt;
  opt.features = EDGEKIT_AGG_VALUES | EDGEKIT_AGG_HLL | EDGEKIT_AGG_TOPK;
  opt.max_key_len = 32;

  CHECK(edgekit_aggregator_region_size(&len, &opt) == EDGEKIT_OK);
  mem = aligned_alloc(64, (len + 63) / 64 * 64);
  CHECK(mem != NULL);
  CHECK(edgekit_aggregator_format(&agg, mem, len - 1, &opt) ==
        EDGEKIT_E_INVALID_ARGUMENT);
  CHECK(agg == NULL);
  CHECK(edgekit_aggregator_format(&agg, mem, len, &opt) == EDGEKIT_OK);
  CHECK(edgekit_aggregator_attach(&again, mem, len) == EDGEKIT_OK);
  CHECK(edgekit_aggregator_update(agg, "/a", 2, 5000, 10, "u1", 2) ==
        EDGEKIT_OK);
  CHECK(edgekit_aggregator_update(again, "/a", 2, 5001, 20, NULL, 0) ==
        EDGEKIT_OK);
  CHECK(edgekit_aggregator_update(agg, "/b", 2, 5002, 1, NULL, 0) ==
        EDGEKIT_OK);
  CHECK(edgekit_aggregator_update(agg, "0123456789012345678901234567890123", 34,
                                  5000, 0, NULL,
                                  0) == EDGEKIT_E_AGG_KEY_TOO_LONG);
  CHECK(edgekit_aggregator_update(agg, "/a", 2, -1, 0, NULL, 0) ==
        EDGEKIT_E_AGG_BAD_TIME);
  CHECK(edgekit_aggregator_flush(agg, &s, 5999) == EDGEKIT_OK && s == NULL);
  CHECK(edgekit_aggregator_flush(agg, &s, 6000) == EDGEKIT_OK && s != NULL);
  CHECK(edgekit_aggregator_flush(again, &none, 6000) == EDGEKIT_OK &&
        none == NULL);
  CHECK(edgekit_summary_total_count(s, &count) == EDGEKIT_OK && count == 3);
  CHECK(edgekit_summary_key_count(s, &count, "/a", 2) == EDGEKIT_OK &&
        count == 2);
  CHECK(edgekit_summary_window(s, &start, &end) == EDGEKIT_OK);
  CHECK(start == 5000 && end == 6000);

  CHECK(edgekit_summary_serialize(s, buf, 4, &n) == EDGEKIT_E_BUFFER_TOO_SMALL);
  CHECK(n > 4 && n < sizeof buf);
  CHECK(edgekit_summary_serialize(s, buf, sizeof buf, &n) == EDGEKIT_OK);
  CHECK(edgekit_summary_parse(&parsed, buf, n - 1) ==
        EDGEKIT_E_SUMMARY_TRUNCATED);
  CHECK(parsed == NULL);
  buf[4] = 9;
  CHECK(edgekit_summary_parse(&parsed, buf, n) == EDGEKIT_E_SUMMARY_VERSION);
  buf[4] = 1;
  buf[0] = 'X';
  CHECK(edgekit_summary_parse(&parsed, buf, n) == EDGEKIT_E_SUMMARY_MALFORMED);
  buf[0] = 'E';
  CHECK(edgekit_summary_parse(&parsed, buf, n) == EDGEKIT_OK);
  CHECK(edgekit_summary_merge(parsed, s) == EDGEKIT_OK);
  CHECK(edgekit_summary_merge(parsed, parsed) == EDGEKIT_OK);
  CHECK(edgekit_summary_total_count(parsed, &count) == EDGEKIT_OK &&
        count == 12);
  CHECK(edgekit_summary_to_json(parsed, buf, sizeof buf, &n) == EDGEKIT_OK);
  CHECK(n > 0 && memchr(buf, '{', n) == buf);
  CHECK(strcmp(edgekit_status_name(EDGEKIT_E_SUMMARY_INCOMPATIBLE),
               "summary_incompatible") == 0);

  /* Attaching to foreign memory is a status, not a crash. */
  memset(mem, 0, len);
  edgekit_aggregator_free(again);
  again = NULL;
  CHECK(edgekit_aggregator_attach(&again, mem, len) ==
        EDGEKIT_E_BAD_REGION);
  CHECK(again == NULL);

done:
  edgekit_summary_free(parsed);
  edgekit_summary_free(s);
  edgekit_summary_free(NULL);
  edgekit_aggregator_free(again);
  edgekit_aggregator_free(agg);
  edgekit_aggregator_free(NULL);
  free(mem);
  return rc;
}
