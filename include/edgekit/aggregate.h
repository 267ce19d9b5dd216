/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* edgekit/aggregate.h — request pre-aggregation in shared memory, and the
 * summaries it produces.
 *
 * An aggregator counts events per key (a path, a post id, a country …) in
 * tumbling windows, inside a region of memory the host provides: an nginx
 * shared zone, an mmap'd file, or malloc'd memory for one process. Any
 * number of threads and processes update one region at once, without locks.
 * Per key and window it keeps an exact count and, as chosen at format time,
 * an exact sum/min/max of a value, a HyperLogLog of distinct items (≈1.6%
 * standard error at the default lg_k = 12) and a quantile sketch (1% relative
 * error by default); per window, the top-k keys. When the key table is full,
 * new keys are counted under one overflow key, so nothing is dropped.
 *
 * Flushing seals a window that has ended and yields a summary. Summaries
 * serialize to a compact binary form (below) and to JSON, and merge
 * associatively and commutatively, so an origin can add up a thousand nodes'
 * summaries in any order.
 *
 *   size_t len;
 *   edgekit_aggregator_options opt = {sizeof opt};
 *   opt.features = EDGEKIT_AGG_VALUES | EDGEKIT_AGG_QUANTILES;
 *   edgekit_aggregator_region_size(&len, &opt);
 *   void* mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
 *                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
 *   edgekit_aggregator* agg;
 *   edgekit_aggregator_format(&agg, mem, len, &opt);   (once)
 *   edgekit_aggregator_update(agg, "/index.html", 11, now_ms, latency_us,
 *                             NULL, 0);                (per request)
 *   edgekit_summary* s;                                (per window)
 *   while (edgekit_aggregator_flush(agg, &s, now_ms) == EDGEKIT_OK && s) {
 *     ... edgekit_summary_serialize(s, buf, cap, &n); send it ...
 *     edgekit_summary_free(s);
 *   }
 *
 * Memory per key (table slots are 1.25 per unit of key_capacity): 64 bytes
 * for a counter-only key with max_key_len <= 20; +48 with values; +4,384 with
 * HLL at lg_k 12; +32,784 with 2048 quantile buckets. Keys are never evicted:
 * size key_capacity for the keys a region sees in its life.
 *
 * Binary summary format, version 1 (the full grammar is in
 * lib/aggregate/summary_wire.cc; fixtures in tests/aggregate/data/):
 *   bytes 0-3  "EKSM"
 *   byte 4     format version (1)
 *   byte 5     family (1 = window summary)
 *   bytes 6-7  flags, little-endian: 1 values, 2 HLL, 4 quantiles, 8 top-k,
 *              16 overflow record present; unknown bits are refused
 *   then LEB128 varints: window start/end ms, late updates, sketch
 *   parameters, the key records in bytewise key order, the overflow record,
 *   the top-k candidates. A reader refuses unknown versions and families. */
#ifndef EDGEKIT_AGGREGATE_H
#define EDGEKIT_AGGREGATE_H

#include "edgekit/base.h"
#include "edgekit/status.h"

EDGEKIT_EXTERN_C_BEGIN

typedef struct edgekit_aggregator edgekit_aggregator;
typedef struct edgekit_summary edgekit_summary;

/* Features, for edgekit_aggregator_options.features. A count per key is
 * always kept. */
#define EDGEKIT_AGG_VALUES 1u    /* exact sum, min and max of the value */
#define EDGEKIT_AGG_HLL 2u       /* distinct items per key */
#define EDGEKIT_AGG_QUANTILES 4u /* value quantiles per key; implies VALUES */
#define EDGEKIT_AGG_TOPK 8u      /* the window's top-k keys */

/* Options for a new aggregator. Set struct_size to sizeof the struct; every
 * other field may be zero, meaning its default. */
typedef struct edgekit_aggregator_options {
  size_t struct_size;
  uint64_t key_capacity;       /* keys before overflow; default 1024 */
  uint32_t max_key_len;        /* bytes; default 64, at most 4096 */
  uint32_t window_ms;          /* default 1000; 1000 .. 3600000 */
  uint32_t features;           /* EDGEKIT_AGG_* bits; default counts only */
  uint32_t hll_lg_k;           /* default 12; 4 .. 16 */
  uint32_t quantile_alpha_ppm; /* relative accuracy, ppm; default 10000 (1%) */
  uint32_t quantile_buckets;   /* default 2048 (1 .. 3.9e17 at 1%) */
  uint32_t topk_k;             /* default 10 */
  uint32_t topk_slots;         /* sketch entries; default max(64, 16 k) */
  uint64_t seed;               /* key placement; secret resists collisions */
} edgekit_aggregator_options;

/* edgekit_aggregator_region_size sets |*out_len| to the bytes a region needs
 * for |options|. Returns EDGEKIT_E_INVALID_ARGUMENT for bad options. */
EDGEKIT_API edgekit_status edgekit_aggregator_region_size(
    size_t* out_len, const edgekit_aggregator_options* options);

/* edgekit_aggregator_format initialises |len| bytes at |base| (64-byte
 * aligned) as an empty aggregator and sets |*out| to a new handle on it.
 * Returns EDGEKIT_E_INVALID_ARGUMENT (leaving the memory untouched) for bad
 * options, a misaligned |base| or a |len| below the region size. The caller
 * keeps owning the memory; no process may use it while it is being
 * formatted. */
EDGEKIT_API edgekit_status
edgekit_aggregator_format(edgekit_aggregator** out, void* base, size_t len,
                          const edgekit_aggregator_options* options);

/* edgekit_aggregator_attach sets |*out| to a handle on an aggregator another
 * call (possibly another process, or a previous run for an mmap'd file)
 * formatted at |base|. Returns EDGEKIT_E_BAD_REGION if the memory does not
 * hold a consistent aggregator header (zeroed, foreign, corrupt, or larger
 * than |len|), EDGEKIT_E_INVALID_ARGUMENT for NULL or misaligned |base|.
 * Never writes to the memory. */
EDGEKIT_API edgekit_status edgekit_aggregator_attach(edgekit_aggregator** out,
                                                     void* base, size_t len);

/* edgekit_aggregator_free releases the handle (not the region). NULL is a
 * no-op. */
EDGEKIT_API void edgekit_aggregator_free(edgekit_aggregator* agg);

/* edgekit_aggregator_update counts one event for |key| in the window holding
 * |now_ms|. |value| feeds sum/min/max and quantiles (values <= 0 go to the
 * quantile zero bucket); |item| (may be NULL with |item_len| 0) feeds the
 * key's distinct count if not empty. A key that finds the table full is
 * counted under the overflow key and still returns EDGEKIT_OK. Returns
 * EDGEKIT_E_AGG_KEY_TOO_LONG (not counted) for keys over max_key_len and
 * EDGEKIT_E_AGG_BAD_TIME (not counted) for a negative |now_ms| or one more
 * than 2^40 windows after the epoch. Lock-free and
 * allocation-free; safe from any thread or process. */
EDGEKIT_API edgekit_status edgekit_aggregator_update(
    edgekit_aggregator* agg, const char* key, size_t key_len, int64_t now_ms,
    int64_t value, const char* item, size_t item_len);

/* edgekit_aggregator_flush seals the oldest window that ended at or before
 * |now_ms| and sets |*out| to its summary, which the caller frees; |*out| is
 * NULL when no ended window holds data. Call it until it yields NULL. An
 * update racing a flush is counted in exactly one summary. Safe concurrently
 * with updates and other flushes (which then split a window between their
 * summaries: merge them). Allocates; call it off the request path. */
EDGEKIT_API edgekit_status edgekit_aggregator_flush(edgekit_aggregator* agg,
                                                    edgekit_summary** out,
                                                    int64_t now_ms);

/* edgekit_summary_parse parses a binary summary and sets |*out| to a new
 * summary the caller frees. Returns EDGEKIT_E_SUMMARY_TRUNCATED for input
 * that ends early, EDGEKIT_E_SUMMARY_VERSION for an unknown format version
 * or family, EDGEKIT_E_SUMMARY_MALFORMED for anything else wrong. Memory
 * used is bounded by a constant factor of |len|. */
EDGEKIT_API edgekit_status edgekit_summary_parse(edgekit_summary** out,
                                                 const char* p, size_t len);

/* edgekit_summary_serialize writes the binary form of |summary| to |buf|
 * and sets |*out_len|. If |cap| is too small, returns
 * EDGEKIT_E_BUFFER_TOO_SMALL with |*out_len| set to the size needed. */
EDGEKIT_API edgekit_status edgekit_summary_serialize(
    const edgekit_summary* summary, char* buf, size_t cap, size_t* out_len);

/* edgekit_summary_to_json writes |summary| as JSON (not NUL-terminated):
 * per key count, sum, min, max, distinct, quantiles p50/p90/p99/p999, the
 * overflow record and the top k. Buffer convention as in serialize. */
EDGEKIT_API edgekit_status edgekit_summary_to_json(
    const edgekit_summary* summary, char* buf, size_t cap, size_t* out_len);

/* edgekit_summary_merge folds |src| into |dst|. Returns
 * EDGEKIT_E_SUMMARY_INCOMPATIBLE (and leaves |dst| unchanged) if they were
 * made with different sketch options. Associative and commutative. */
EDGEKIT_API edgekit_status edgekit_summary_merge(edgekit_summary* dst,
                                                 const edgekit_summary* src);

/* edgekit_summary_window sets the window [start, end) in ms since the
 * epoch; after merges, the union's bounds. */
EDGEKIT_API edgekit_status
edgekit_summary_window(const edgekit_summary* summary, uint64_t* out_start_ms,
                       uint64_t* out_end_ms);

/* edgekit_summary_total_count sets |*out_count| to the events the summary
 * counts: every key's count plus the overflow key's. */
EDGEKIT_API edgekit_status edgekit_summary_total_count(
    const edgekit_summary* summary, uint64_t* out_count);

/* edgekit_summary_key_count sets |*out_count| to the count of |key|, or 0 if
 * the summary does not list it. */
EDGEKIT_API edgekit_status
edgekit_summary_key_count(const edgekit_summary* summary, uint64_t* out_count,
                          const char* key, size_t key_len);

/* edgekit_summary_free releases |summary|. NULL is a no-op. */
EDGEKIT_API void edgekit_summary_free(edgekit_summary* summary);

EDGEKIT_EXTERN_C_END

#endif /* EDGEKIT_AGGREGATE_H */
