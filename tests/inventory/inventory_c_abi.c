/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* The inventory C ABI as a C11 host sees it (compiled with -std=c11
 * -pedantic -Werror): format, attach from a second handle, sell out, and
 * read the counts back. Returns NULL on success or a description of the
 * first failed check. */

#include <stdlib.h>
#include <string.h>

#include "edgekit.h"

const char* edgekit_inventory_c_abi_run(void);

#define CHECK(cond)                                    \
  do {                                                 \
    if (!(cond)) {                                     \
      failure = "line " LINE_STR(__LINE__) ": " #cond; \
      goto done;                                       \
    }                                                  \
  } while (0)
#define LINE_STR2(x) #x
#define LINE_STR(x) LINE_STR2(x)

const char* edgekit_inventory_c_abi_run(void) {
  const char* failure = NULL;
  edgekit_inventory_config cfg;
  edgekit_inventory* a = NULL;
  edgekit_inventory* b = NULL;
  edgekit_stock_stats st;
  edgekit_hold_census census;
  uint64_t hold = 0, hold2 = 0, returned = 0, retry = 0;
  size_t len;
  void* mem = NULL;
  const uint64_t now = 1700000000000ull;

  memset(&cfg, 0, sizeof(cfg));
  cfg.struct_size = sizeof(cfg);
  cfg.max_skus = 8;
  len = edgekit_inventory_region_size(&cfg);
  CHECK(len > 0);
  mem = aligned_alloc(64, (len + 63) / 64 * 64);
  CHECK(mem != NULL);
  CHECK(edgekit_inventory_format(&a, mem, len, &cfg) == EDGEKIT_OK);
  CHECK(edgekit_inventory_attach(&b, mem, len) == EDGEKIT_OK);

  CHECK(edgekit_inventory_set_stock(a, "sku-1", 5, 1) == EDGEKIT_OK);
  edgekit_inventory_prefetch(b, "sku-1", 5, "alice", 5);
  CHECK(edgekit_inventory_acquire(b, &hold, "sku-1", 5, "alice", 5, 1, now,
                                  1000) == EDGEKIT_OK);
  CHECK(edgekit_inventory_acquire(a, &hold2, "sku-1", 5, "bob", 3, 1, now,
                                  1000) == EDGEKIT_E_SOLD_OUT);
  CHECK(strcmp(edgekit_status_name(EDGEKIT_E_SOLD_OUT), "sold_out") == 0);
  CHECK(edgekit_inventory_confirm(a, hold, now + 1) == EDGEKIT_OK);
  CHECK(edgekit_inventory_stats(b, &st, "sku-1", 5) == EDGEKIT_OK);
  CHECK(st.available == 0 && st.held == 0 && st.sold == 1 && st.added == 1 &&
        st.removed == 0);
  CHECK(edgekit_inventory_expire(b, &returned, now + 5000) == EDGEKIT_OK);
  CHECK(returned == 0);
  CHECK(edgekit_inventory_census(a, &census) == EDGEKIT_OK);
  CHECK(census.held == 0 && census.stranded == 0 && census.in_flight == 0);
  CHECK(edgekit_inventory_rate_check(a, &retry, "ip", 2, 1, 1, 1, now) ==
        EDGEKIT_OK);
  CHECK(edgekit_inventory_rate_check(b, &retry, "ip", 2, 1, 1, 1, now) ==
        EDGEKIT_E_RATE_LIMITED);
  CHECK(retry == 1000);

done:
  edgekit_inventory_free(a);
  edgekit_inventory_free(b);
  edgekit_inventory_free(NULL);
  free(mem);
  return failure;
}
