/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* flash_sale: what a CDN node does in a flash sale, through the C ABI only.
 * Four worker processes share one inventory region, as nginx workers share a
 * zone, and sell 1000 units to 5000 buyers who each click three times. Most
 * buyers pay, some cancel, some walk away from their hold; one worker is
 * killed with SIGKILL in the middle of the rush. Then expire gives back the
 * units of every abandoned hold (the dead worker's too) and a second wave of
 * clicks sells them. The program checks, and exits non-zero unless: no unit
 * was oversold or lost, no buyer got more than one, and no record is left
 * stranded.
 *
 * Usage: flash_sale */

#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, nanosleep */

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "edgekit.h"

#define S(lit) lit, sizeof(lit) - 1

enum {
  kStock = 1000,
  kBuyers = 5000,
  kClicks = 3,
  kWorkers = 4,
  kVictim = 3 /* the worker that gets killed */
};
/* A fixed clock: 2026-01-01T00:00:00Z in milliseconds. */
static const uint64_t kNow = 1767225600000ull;
static const uint64_t kTtlMs = 30000;

/* What the workers tell the parent, in memory they share with it. */
typedef struct {
  unsigned char paid[kBuyers]; /* set after the buyer's confirm returned ok */
  atomic_int victim_clicks;    /* acquires the victim has made */
} ledger;

static void buyer_id(int i, char* id, size_t* len) {
  *len = (size_t)snprintf(id, 32, "buyer-%05d", i);
}

/* One worker: its share of the buyers, each clicking kClicks times. A buyer
 * whose click gets a hold pays (confirm), changes their mind (cancel: one in
 * ten) or walks away from it (one in ten: the hold expires later). */
static void worker(edgekit_inventory* inv, ledger* book, int w) {
  for (int i = w; i < kBuyers; i += kWorkers) {
    char id[32];
    size_t len;
    buyer_id(i, id, &len);
    for (int click = 0; click < kClicks; ++click) {
      uint64_t hold;
      if (w == kVictim) atomic_fetch_add(&book->victim_clicks, 1);
      if (edgekit_inventory_acquire(inv, &hold, S("sku-1"), id, len, 1, kNow,
                                    kTtlMs) != EDGEKIT_OK) {
        continue; /* sold_out, or buyer_limit on a repeat click */
      }
      if (i % 10 == 0) continue; /* walks away */
      if (i % 10 == 1) {
        edgekit_inventory_cancel(inv, hold);
        continue;
      }
      if (edgekit_inventory_confirm(inv, hold, kNow) == EDGEKIT_OK) {
        book->paid[i] = 1;
      }
    }
  }
}

static int failures = 0;

static void check(int ok, const char* what) {
  printf("  %-4s %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) ++failures;
}

int main(void) {
  edgekit_inventory_config cfg;
  memset(&cfg, 0, sizeof(cfg));
  cfg.struct_size = sizeof(cfg);
  cfg.max_skus = 16;
  cfg.max_buyers = 2 * kBuyers;
  cfg.max_holds = 4096;
  const size_t n = edgekit_inventory_region_size(&cfg);
  void* mem =
      mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ledger* book = mmap(NULL, sizeof(ledger), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  edgekit_inventory* inv;
  if (n == 0 || mem == MAP_FAILED || book == MAP_FAILED ||
      edgekit_inventory_format(&inv, mem, n, &cfg) != EDGEKIT_OK ||
      edgekit_inventory_set_stock(inv, S("sku-1"), kStock) != EDGEKIT_OK) {
    fprintf(stderr, "cannot set up the region\n");
    return 2;
  }
  memset(book->paid, 0, sizeof(book->paid));
  atomic_init(&book->victim_clicks, 0);
  printf(
      "%d units of sku-1, %d buyers clicking %d times, "
      "%d worker processes on one %zu-byte region\n",
      kStock, kBuyers, kClicks, kWorkers, n);

  pid_t pids[kWorkers];
  for (int w = 0; w < kWorkers; ++w) {
    pids[w] = fork();
    if (pids[w] < 0) return 2;
    if (pids[w] == 0) {
      /* Each worker attaches its own handle, as an nginx worker would. */
      edgekit_inventory* mine;
      if (edgekit_inventory_attach(&mine, mem, n) != EDGEKIT_OK) _exit(2);
      /* The victim keeps selling until it is killed, so the kill lands in
       * the middle of its work. */
      do worker(mine, book, w);
      while (w == kVictim);
      edgekit_inventory_free(mine);
      _exit(0);
    }
  }
  /* Kill the victim once it is selling: it is then almost always inside a
   * library call, between two steps of an acquire, a confirm or a cancel. */
  const struct timespec tick = {0, 100 * 1000};
  for (int waited = 0;
       atomic_load(&book->victim_clicks) < 300 && waited < 100000; ++waited) {
    nanosleep(&tick, NULL);
  }
  kill(pids[kVictim], SIGKILL);
  int crashed = 0;
  for (int w = 0; w < kWorkers; ++w) {
    int status;
    if (waitpid(pids[w], &status, 0) != pids[w]) return 2;
    if (w == kVictim) {
      crashed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "worker %d failed\n", w);
      return 2;
    }
  }
  if (!crashed) {
    fprintf(stderr, "worker %d was not killed\n", kVictim);
    return 2;
  }
  printf("worker %d killed with SIGKILL mid-sale\n", kVictim);

  edgekit_stock_stats st;
  edgekit_inventory_stats(inv, &st, S("sku-1"));
  printf(
      "after the rush: sold %llu, held %llu (carts walked away from, and "
      "the dead worker's), available %llu\n",
      (unsigned long long)st.sold, (unsigned long long)st.held,
      (unsigned long long)st.available);
  check(st.added - st.removed == st.available + st.held + st.sold,
        "conserved: added - removed = available + held + sold");

  /* Any process may run expire; an nginx worker does from a timer. */
  uint64_t returned = 0;
  edgekit_inventory_expire(inv, &returned, kNow + kTtlMs);
  edgekit_inventory_stats(inv, &st, S("sku-1"));
  printf("expire at the holds' TTL: %llu units back in stock\n",
         (unsigned long long)returned);
  check(st.held == 0 && st.available + st.sold == kStock,
        "no hold left, every unit either sold or available again");

  /* Who holds a unit? Every buyer clicks once more, with one extra unit per
   * buyer in stock for the count so that the limit, not the stock, answers:
   * a buyer with a unit is refused by the per-buyer limit, a new hold is
   * cancelled at once. With a limit of one, the refusals must be the units
   * sold. The extra units go again afterwards. */
  const uint64_t sold_before = st.sold;
  uint64_t served = 0, paid = 0, paid_served = 0;
  edgekit_inventory_add_stock(inv, S("sku-1"), kBuyers);
  for (int i = 0; i < kBuyers; ++i) {
    char id[32];
    size_t len;
    buyer_id(i, id, &len);
    uint64_t hold;
    const edgekit_status s = edgekit_inventory_acquire(
        inv, &hold, S("sku-1"), id, len, 1, kNow + kTtlMs, kTtlMs);
    paid += book->paid[i];
    if (s == EDGEKIT_E_BUYER_LIMIT) {
      ++served;
      paid_served += book->paid[i];
    } else if (s == EDGEKIT_OK) {
      edgekit_inventory_cancel(inv, hold);
    }
  }
  edgekit_inventory_add_stock(inv, S("sku-1"), -(int64_t)kBuyers);
  printf("buyers holding a unit: %llu\n", (unsigned long long)served);
  check(served == sold_before,
        "one unit per buyer: buyers served = units sold");
  check(paid_served == paid,
        "every buyer whose payment went through is served");

  /* The second wave: buyers without a unit click again and buy the units
   * expire gave back, until the SKU is sold out. */
  uint64_t second_wave = 0;
  for (int i = 0; i < kBuyers; ++i) {
    char id[32];
    size_t len;
    buyer_id(i, id, &len);
    uint64_t hold;
    if (edgekit_inventory_acquire(inv, &hold, S("sku-1"), id, len, 1,
                                  kNow + kTtlMs, kTtlMs) == EDGEKIT_OK &&
        edgekit_inventory_confirm(inv, hold, kNow + kTtlMs) == EDGEKIT_OK) {
      ++second_wave;
    }
  }
  edgekit_inventory_stats(inv, &st, S("sku-1"));
  printf("second wave: %llu buyers bought a returned unit\n",
         (unsigned long long)second_wave);
  check(st.sold == kStock && st.available == 0 && st.held == 0,
        "sold out exactly: nothing oversold, nothing lost");
  edgekit_hold_census census;
  edgekit_inventory_census(inv, &census);
  check(census.stranded == 0 && census.in_flight == 0,
        "no record left stranded by the dead worker");
  printf("final: sold %llu of %d\n", (unsigned long long)st.sold, kStock);

  edgekit_inventory_free(inv);
  munmap(book, sizeof(ledger));
  munmap(mem, n);
  return failures == 0 ? 0 : 1;
}
