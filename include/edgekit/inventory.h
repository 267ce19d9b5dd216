/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* edgekit/inventory.h — flash-sale stock, per-buyer limits, holds with a TTL
 * and GCRA rate limits, in shared memory that every worker process maps.
 *
 * The state lives in a region: memory the host provides (an nginx shared
 * zone, an mmap'd file, or aligned_alloc for one process). Size it, format it
 * once, attach to it from every other process (or after a restart over the
 * same file):
 *
 *   edgekit_inventory_config cfg = {sizeof(cfg)};   // zeros mean defaults
 *   size_t n = edgekit_inventory_region_size(&cfg);
 *   void* mem = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
 *   edgekit_inventory* inv;
 *   edgekit_inventory_format(&inv, mem, n, &cfg);     // first process
 *   edgekit_inventory_attach(&inv, mem, n);           // every other one
 *   edgekit_inventory_set_stock(inv, "sku-1", 5, 1000);
 *   uint64_t hold;
 *   if (edgekit_inventory_acquire(inv, &hold, "sku-1", 5, buyer, buyer_len,
 *                                 1, now_ms, 30000) == EDGEKIT_OK) {
 *     ... payment ...
 *     edgekit_inventory_confirm(inv, hold, now_ms);   // or _cancel
 *   }
 *   edgekit_inventory_expire(inv, &returned, now_ms); // from a timer, any process
 *
 * Guarantees, under any interleaving of threads and processes and with any
 * of them killed (SIGKILL) at any instruction:
 *   - sold never exceeds stock: available is moved by compare-and-swap and
 *     never goes below zero;
 *   - a buyer never holds or buys more than the SKU's per-buyer limit;
 *   - once every in-flight call has returned or its process has died, and
 *     edgekit_inventory_expire has run, added - removed = available + held +
 *     sold for every SKU, with every unit of a dead worker's holds back in
 *     available once its TTL passes.
 * There is no lock in the region. Every step of every operation is recorded
 * in shared memory before the next, so any process can finish an operation a
 * dead one began, or roll back one it had not finished deciding (the
 * argument is in lib/inventory/inventory.cc): once its TTL has passed,
 * edgekit_inventory_expire gives back the buyer's units of an acquire whose
 * worker died before taking the stock, and drops a stock change whose
 * worker died before making it. No crash leaves a record behind.
 *
 * Stock lanes. Workers selling one hot SKU on different CPUs would all
 * write its available count, one cache line bouncing between cores on every
 * acquire. So each SKU also has 8 lanes, one per group of CPUs (CPU number
 * modulo 8): while the SKU's central count is plentiful (at least 128
 * units), an acquire refills its CPU's lane with a block (1/16 of the
 * central count, at most 256 units) and takes from the lane; a confirm
 * counts the sale there too. Units move between the central count and a
 * lane as crash-safely as any other step. A lane is a cache, not a share:
 * available and sold in edgekit_inventory_stats include every lane, and an
 * acquire that finds the central count short gathers every lane back
 * before it answers sold out, so no unit sits idle in the lane of a worker
 * that stopped selling.
 *
 * Per thread, the library keeps two hints outside the region: the slot of
 * the SKU it last acquired from (its key is checked on every use) and the
 * hold record it claims next (claims go round the records in turn). A
 * handler it registers with pthread_atfork when the program loads drops
 * the second in a forked child, so that workers forked from one master do
 * not claim records in lockstep.
 *
 * Memory: one header (128 bytes) plus, per configured capacity, slots at a
 * load of at most 80% (1.25 slots per record):
 *   SKU record     8 + round8(4 + max_sku_len) + 40 bytes, rounded up to
 *                  whole 64-byte lines so SKUs never share one (128 default),
 *                  plus 8 lanes of 64 bytes (640 bytes in all by default)
 *   buyer record   8 + round8(8 + max_buyer_len) + 8 bytes: 64 bytes with
 *                  the default max_buyer_len of 40 (one (SKU, buyer) pair);
 *                  40 bytes for 16-byte ids with max_buyer_len 16. Size it
 *                  to your ids: a smaller table costs a cold acquire less.
 *   hold record    64 bytes
 *   rate-limit key 8 + round8(4 + max_rate_key_len) + 8 bytes (88 default)
 * Counts are 32-bit per SKU (available, sold, and the cumulative added and
 * removed stay below 2^32); buyer limits are at most 65535. */
#ifndef EDGEKIT_INVENTORY_H
#define EDGEKIT_INVENTORY_H

#include "edgekit/base.h"
#include "edgekit/status.h"
#include "edgekit/token.h"

EDGEKIT_EXTERN_C_BEGIN

typedef struct edgekit_inventory edgekit_inventory;

/* Capacities of a region. Zero means the default, given after each field.
 * The values are written into the region header, so attach needs none. */
typedef struct edgekit_inventory_config {
  size_t struct_size;           /* sizeof(edgekit_inventory_config) */
  uint32_t max_skus;            /* 1024; at most 2^24 */
  uint32_t max_buyers;          /* 65536 (SKU, buyer) pairs; at most 2^30 */
  uint32_t max_holds;           /* 4096 concurrent holds; at most 2^20 - 1 */
  uint32_t max_sku_len;         /* 48 bytes; at most 255 */
  uint32_t max_buyer_len;       /* 40 bytes; at most 255 */
  uint32_t default_buyer_limit; /* 1 unit per buyer per SKU; at most 65535 */
  uint32_t max_rate_keys;       /* 4096 rate-limited keys; at most 2^30 */
  uint32_t max_rate_key_len;    /* 64 bytes; at most 255 */
  uint64_t hash_seed;           /* 0; a secret value stops clients from
                                   choosing buyer ids that collide */
} edgekit_inventory_config;

/* Counts of one SKU. After quiescence, added - removed = available + held +
 * sold. */
typedef struct edgekit_stock_stats {
  uint64_t available; /* units a buyer can still acquire */
  uint64_t held;      /* units in holds not yet confirmed or returned (and,
                         until expire runs, units a dead worker was moving
                         between a lane and the central count) */
  uint64_t sold;      /* units in confirmed holds */
  uint64_t added;     /* every unit ever added (set_stock up, add_stock > 0) */
  uint64_t removed;   /* every unit ever removed (set_stock down, add_stock < 0) */
} edgekit_stock_stats;

/* Hold records by state, for monitoring (edgekit_inventory_census). */
typedef struct edgekit_hold_census {
  uint64_t free;       /* unused records */
  uint64_t held;       /* live holds */
  uint64_t held_units; /* units in live holds */
  uint64_t in_flight;  /* operations between two of their steps; expire
                          finishes those whose process died */
  uint64_t stranded;   /* records expire cannot finish: only a corrupted
                          region has any (layout 2 on) */
} edgekit_hold_census;

/* Regions. */

/* edgekit_inventory_region_size returns the bytes a region with |config|
 * needs, or 0 if |config| is NULL or out of range. */
EDGEKIT_API size_t edgekit_inventory_region_size(
    const edgekit_inventory_config* config);

/* edgekit_inventory_format initialises |len| bytes at |mem| as an empty
 * region for |config| and sets |*out| to a new handle on it. |mem| must be
 * 64-byte aligned and at least edgekit_inventory_region_size(config) bytes;
 * otherwise, or for an out-of-range |config|, it returns
 * EDGEKIT_E_INVALID_ARGUMENT and leaves the memory untouched. No other
 * process may use the region while it is being formatted. The caller keeps
 * ownership of |mem|, which must outlive the handle; free the handle with
 * edgekit_inventory_free. On failure |*out| is NULL. */
EDGEKIT_API edgekit_status edgekit_inventory_format(
    edgekit_inventory** out, void* mem, size_t len,
    const edgekit_inventory_config* config);

/* edgekit_inventory_attach sets |*out| to a handle on the region already
 * formatted at |mem|, by this process or another, now or before a restart.
 * It only reads the memory to check it: a region that is too small, zeroed,
 * of another layout version, or whose header is corrupted returns
 * EDGEKIT_E_BAD_REGION (EDGEKIT_E_INVALID_ARGUMENT for NULL or misaligned
 * arguments) and sets |*out| to NULL. */
EDGEKIT_API edgekit_status edgekit_inventory_attach(edgekit_inventory** out,
                                                    void* mem, size_t len);

/* edgekit_inventory_free releases a handle (not the region). NULL is a
 * no-op. */
EDGEKIT_API void edgekit_inventory_free(edgekit_inventory* inv);

/* Stock. All calls below are lock-free and safe from any number of threads
 * and processes sharing one region. SKU and buyer ids are byte strings of
 * 1..max_sku_len and 1..max_buyer_len bytes; other lengths, and NULL
 * pointers, return EDGEKIT_E_INVALID_ARGUMENT. A stock change whose caller
 * stalls mid-way may be rolled back by edgekit_inventory_expire in another
 * process; the call then starts over, so it still takes effect once. */

/* edgekit_inventory_set_stock makes |available| units of |sku| available,
 * creating the SKU if needed, and counts the difference as added or removed.
 * Units in holds are unaffected. Units in lanes count as available: it
 * gathers the lanes back, then, as it applies, finishes every transfer
 * between a lane and the central count (a live or a dead worker's) and sets
 * the central count to |available| minus what is in lanes, gathering again
 * if a refill left the lanes holding more. Each such retry scans the hold
 * records, so during a busy sale prefer edgekit_inventory_add_stock, which
 * never needs one unless it removes more than the central count holds.
 * EDGEKIT_E_NO_SPACE if the SKU table or the hold records are full;
 * EDGEKIT_E_STOCK_RANGE if |available| or the cumulative added count would
 * exceed 2^32 - 1. */
EDGEKIT_API edgekit_status edgekit_inventory_set_stock(edgekit_inventory* inv,
                                                       const char* sku,
                                                       size_t sku_len,
                                                       uint64_t available);

/* edgekit_inventory_add_stock adds |delta| units (a lease grant) or, if
 * negative, removes -|delta| units (a lease given back), gathering units
 * back from lanes if the central count is short. Removing more than is
 * available, or growing past 2^32 - 1, returns EDGEKIT_E_STOCK_RANGE and
 * changes nothing. Otherwise as edgekit_inventory_set_stock. */
EDGEKIT_API edgekit_status edgekit_inventory_add_stock(edgekit_inventory* inv,
                                                       const char* sku,
                                                       size_t sku_len,
                                                       int64_t delta);

/* edgekit_inventory_set_buyer_limit sets how many units one buyer may hold
 * and buy of |sku| (1..65535; 0 restores the region default). Lowering it
 * does not take units back from buyers already above it.
 * EDGEKIT_E_UNKNOWN_SKU if the SKU has never had stock. */
EDGEKIT_API edgekit_status edgekit_inventory_set_buyer_limit(
    edgekit_inventory* inv, const char* sku, size_t sku_len, uint32_t limit);

/* edgekit_inventory_stats fills |*out| with the counts of |sku|.
 * EDGEKIT_E_UNKNOWN_SKU if the SKU has never had stock. Each count is read
 * atomically, but not all five at once: while operations are in flight the
 * identity between them may be off by those operations. */
EDGEKIT_API edgekit_status edgekit_inventory_stats(edgekit_inventory* inv,
                                                   edgekit_stock_stats* out,
                                                   const char* sku,
                                                   size_t sku_len);

/* Holds. */

/* edgekit_inventory_acquire takes |qty| units of |sku| for |buyer| into a
 * hold that lasts until |now_ms| + |hold_ttl_ms| and writes its id to
 * |*out_hold|. Returns, checking in this order:
 *   EDGEKIT_E_INVALID_ARGUMENT  bad pointer or length, |qty| or
 *                               |hold_ttl_ms| zero, |hold_ttl_ms| over one
 *                               year (31,536,000,000 ms), or |now_ms| past
 *                               10^13 (year 2286);
 *   EDGEKIT_E_UNKNOWN_SKU       the SKU has never had stock;
 *   EDGEKIT_E_SOLD_OUT          fewer than |qty| units available, lanes
 *                               included (an acquire whose units keep being
 *                               taken from under it by other workers also
 *                               answers this after 8 tries, and so may one
 *                               that looks while another worker moves a
 *                               lane's units back to the central count near
 *                               the end of a sale: for an instant they are
 *                               in neither, or until the next expire if
 *                               that worker died there);
 *   EDGEKIT_E_BUYER_LIMIT       the buyer's held and bought units plus |qty|
 *                               would exceed the SKU's buyer limit;
 *   EDGEKIT_E_NO_SPACE          the buyer table or the hold records are full
 *                               (nothing is evicted to make room).
 * On any failure nothing is held and |*out_hold| is 0. A sold-out answer
 * costs one table lookup and ten loads of lines nobody writes any more. A
 * call that stalls mid-way past its own expiry (a descheduled worker) may
 * have its attempt rolled back by edgekit_inventory_expire in another
 * process; it then starts over, and the hold it returns is already
 * expired. */
EDGEKIT_API edgekit_status edgekit_inventory_acquire(
    edgekit_inventory* inv, uint64_t* out_hold, const char* sku,
    size_t sku_len, const char* buyer, size_t buyer_len, uint32_t qty,
    uint64_t now_ms, uint64_t hold_ttl_ms);

/* edgekit_inventory_prefetch asks the CPU to start loading the buyer record
 * that edgekit_inventory_acquire for (|sku|, |buyer|) looks up first, and
 * returns without waiting for it. It is only a hint: it writes nothing in
 * the region, and an acquire answers the same with or without it. It returns
 * nothing; where the calls above would return EDGEKIT_E_INVALID_ARGUMENT (a
 * NULL |inv|, a NULL pointer with a non-zero length, an id outside
 * 1..max_sku_len or 1..max_buyer_len bytes) or EDGEKIT_E_UNKNOWN_SKU, it
 * does nothing. |sku| and |buyer| are not kept after it returns. Lock-free
 * and safe from any number of threads and processes, like the calls around
 * it.
 *
 * It helps only with more buyer records than the caches hold: an acquire
 * then waits for that record from memory, and its atomic steps keep the CPU
 * from starting the next request's miss meanwhile. A caller with several
 * requests in hand (a batch from a queue) calls this for the next one or few
 * before acquiring for the current one. It costs the SKU lookup and the
 * buyer hash that the acquire then repeats. */
EDGEKIT_API void edgekit_inventory_prefetch(edgekit_inventory* inv,
                                            const char* sku, size_t sku_len,
                                            const char* buyer,
                                            size_t buyer_len);

/* edgekit_inventory_confirm turns a live hold into a sale. A hold whose TTL
 * has passed (|now_ms| >= its expiry) is not sold: its units go back and the
 * call returns EDGEKIT_E_HOLD_EXPIRED, as it does for a hold already
 * returned by expire or cancel. EDGEKIT_E_UNKNOWN_HOLD for an id that is not
 * a live hold (never issued, or already confirmed). A hold is confirmed at
 * most once even if several processes race to confirm it. */
EDGEKIT_API edgekit_status edgekit_inventory_confirm(edgekit_inventory* inv,
                                                     uint64_t hold,
                                                     uint64_t now_ms);

/* edgekit_inventory_confirm_ticket confirms |hold| as edgekit_inventory_confirm
 * does and writes a win ticket for the sale to |out| (not NUL-terminated),
 * its length to |*out_len|: a JWS compact token signed with algorithm |alg| by
 * the one key of |keys| that fits it (and has |kid|, if |kid_len| > 0), whose
 * payload is
 *   {"sku":…,"buyer":…,"hold":"<id>","qty":n,"iat":<now s>,"exp":<now s + ttl>}
 * so the origin can check a winner with edgekit_verifier_verify, or any JWT
 * library, without asking the edge. HS256 is the cheap choice.
 *
 * The ticket is made before the sale commits. If it cannot be made, the hold
 * stays live and nothing is sold: EDGEKIT_E_BUFFER_TOO_SMALL (|*out_len| is
 * the size needed; call again with a larger buffer), EDGEKIT_E_KEY_NOT_FOUND,
 * EDGEKIT_E_UNSUPPORTED_ALG, or EDGEKIT_E_INVALID_ARGUMENT (also for a SKU or
 * buyer id that is not UTF-8, which JSON cannot carry). Other failures are
 * those of edgekit_inventory_confirm, with |*out_len| 0. Allocates while
 * signing. |keys| is only read; the caller keeps it. */
EDGEKIT_API edgekit_status edgekit_inventory_confirm_ticket(
    edgekit_inventory* inv, char* out, size_t out_cap, size_t* out_len,
    uint64_t hold, uint64_t now_ms, const edgekit_keyset* keys,
    const char* alg, size_t alg_len, const char* kid, size_t kid_len,
    uint32_t ticket_ttl_s);

/* edgekit_inventory_cancel returns a live hold's units to available stock
 * and to the buyer's limit. Errors as edgekit_inventory_confirm (a hold
 * already returned is EDGEKIT_E_HOLD_EXPIRED). */
EDGEKIT_API edgekit_status edgekit_inventory_cancel(edgekit_inventory* inv,
                                                    uint64_t hold);

/* edgekit_inventory_expire returns the units of every hold whose expiry is
 * <= |now_ms| and finishes any operation a dead process left between two
 * steps; one it left undecided is rolled back once its expiry is <= |now_ms|
 * (a stock change, which has none, once it has not moved for a while — the
 * call may then wait a few microseconds). It sets |*out_returned| (may be
 * NULL) to the units this call returned. Idempotent and safe to run from
 * several processes at once; it scans every hold record, so call it from a
 * timer, not per request. Every hold expires: acquire caps its TTL at a
 * year and its clock at year 2286. */
EDGEKIT_API edgekit_status edgekit_inventory_expire(edgekit_inventory* inv,
                                                    uint64_t* out_returned,
                                                    uint64_t now_ms);

/* edgekit_inventory_census counts hold records by state. The counts are a
 * scan, not a snapshot. */
EDGEKIT_API edgekit_status edgekit_inventory_census(edgekit_inventory* inv,
                                                    edgekit_hold_census* out);

/* Rate limits. */

/* edgekit_inventory_rate_check applies a GCRA limit of |rate_per_s| requests
 * per second with bursts of up to |burst| to |key|, charging |cost| (a cost
 * of 2 counts as two requests). EDGEKIT_OK admits the request;
 * EDGEKIT_E_RATE_LIMITED refuses it and sets |*out_retry_after_ms| (may be
 * NULL) to the wait after which the same request would be admitted.
 * EDGEKIT_E_NO_SPACE if the key is new and the rate-limit table is full;
 * EDGEKIT_E_INVALID_ARGUMENT for a rate, burst or cost of 0, a cost above
 * the burst (it could never pass), or a bad key. */
EDGEKIT_API edgekit_status edgekit_inventory_rate_check(
    edgekit_inventory* inv, uint64_t* out_retry_after_ms, const char* key,
    size_t key_len, uint32_t rate_per_s, uint32_t burst, uint32_t cost,
    uint64_t now_ms);

EDGEKIT_EXTERN_C_END

#endif /* EDGEKIT_INVENTORY_H */
