#!/usr/bin/env bash
# Runs bench_inventory pinned, 5 repetitions, and prints medians with their
# ratios to the floors measured in the same run. Single-writer suites run on
# CPU 0 and report CPU time; two-thread and two-process suites run on CPUs 0
# and 1 and report wall time (CPU time is meaningless across a fork).
# Usage: bench/inventory.sh [build dir, default build/bench-boringssl]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bench-boringssl}/bench_inventory
reps=${REPS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Repetitions run in a random order across the suite, so a slow spell of the
# shared machine falls on floors and inventory rows alike.
common=(--benchmark_repetitions="$reps" --benchmark_format=json
        --benchmark_enable_random_interleaving=true)
taskset -c 0 "$bin" "${common[@]}" \
  --benchmark_filter='^BM_(Floor_FetchAdd|Floor_CasDecrement|StockStep|Floor_TableLookup16/.*|Floor_TableLookup16_Chained/.*|AcquireConfirm|Acquire_SoldOut|AcquireConfirm_1MBuyers|AcquireConfirmApart/.*|Baseline_MutexMap/[0-9]+)$' \
  >"$out/one.json"
taskset -c 0,1 "$bin" "${common[@]}" \
  --benchmark_filter='threads:2|TwoProcesses' >"$out/two.json"
python3 - "$out/one.json" "$out/two.json" <<'PY'
import json, statistics, sys
runs = {}
oversold = {}
errors = 0
for path in sys.argv[1:]:
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name = b["run_name"] if "run_name" in b else b["name"]
        if b.get("error_occurred"):
            errors += 1
            continue
        if "oversold" in b:
            oversold.setdefault(name, []).append(int(b["oversold"]))
        two = "threads:2" in name or "TwoProcesses" in name
        ns = (b["real_time"] if two else b["cpu_time"])
        unit = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
        # Per-op cost: for two writers, wall time per item of the pair.
        rate = b.get("items_per_second", 0.0)
        cpu = b["cpu_time"] * unit
        runs.setdefault(name, []).append((ns * unit, rate, cpu))
def med(name):
    v = runs.get(name)
    if not v:
        return None
    rates = [r for _, r, _ in v]
    return statistics.median(rates), min(rates), max(rates)
def cpu(name):
    v = runs.get(name)
    return statistics.median([c for _, _, c in v]) if v else None
def line(label, name, floor=None, floor_label=""):
    m = med(name)
    if m is None:
        print(f"{label:44s} (not run)")
        return
    r, lo, hi = m
    s = f"{label:44s} {1e9 / r:8.1f} ns/op {r / 1e6:8.2f} M/s [{lo / 1e6:.2f}-{hi / 1e6:.2f}]"
    if floor:
        f = med(floor)
        if f:
            s += f"   {f[0] / r:5.2f}x {floor_label}"
    if "threads:2" in name:
        # The machine is shared: wall-clock rates of two writers depend on
        # how much CPU the neighbours leave. CPU time per op is what each
        # writer itself spends (summed over both, per op), line transfers
        # included; it understates contention if the two rarely overlapped.
        s += f"   cpu {cpu(name):.1f} ns/op"
    print(s)
print("median of", len(next(iter(runs.values()))), "repetitions; ns/op = 1 / aggregate rate")
print("-- floors")
line("fetch_add, 1 thread", "BM_Floor_FetchAdd")
line("CAS decrement-if-positive, 1 thread", "BM_Floor_CasDecrement")
line("16-byte key lookup+fetch_add, 16 Ki keys", "BM_Floor_TableLookup16/16384")
line("16-byte key lookup+fetch_add, 1 Mi keys", "BM_Floor_TableLookup16/1048576")
line("  the same, each key from the last result", "BM_Floor_TableLookup16_Chained/1048576")
line("fetch_add, 2 threads", "BM_Floor_FetchAdd/real_time/threads:2")
line("CAS decrement, 2 threads", "BM_Floor_CasDecrement/real_time/threads:2")
line("CAS decrement, 2 processes", "BM_Floor_CasDecrement_TwoProcesses/4000000/iterations:3/manual_time")
print("-- inventory (ratio = floor rate / our rate: how many floors one op costs)")
line("stock step alone, 1 thread", "BM_StockStep",
     "BM_Floor_CasDecrement", "1-thread CAS floor")
line("stock step alone, 2 processes, 1 SKU, 2 lanes", "BM_StockStep_TwoProcesses/4000000/iterations:3/manual_time",
     "BM_Floor_CasDecrement_TwoProcesses/4000000/iterations:3/manual_time", "2-process CAS floor")
print(f"{'':44s} oversold units over all repetitions: {sum(oversold.get('BM_StockStep_TwoProcesses/4000000/iterations:3/manual_time', [0]))}"
      + ("" if errors == 0 else f"   ({errors} runs FAILED the unit check)"))
line("acquire+confirm, 1 thread, 1 Ki buyers", "BM_AcquireConfirm",
     "BM_Floor_TableLookup16/16384", "in-cache lookup floor")
line("  acquire alone, 1 Ki buyers", "BM_AcquireConfirmApart/confirm:0/buyers:1024/ahead:0",
     "BM_Floor_TableLookup16/16384", "in-cache lookup floor")
line("  confirm alone, 1 Ki buyers", "BM_AcquireConfirmApart/confirm:1/buyers:1024/ahead:0",
     "BM_Floor_TableLookup16/16384", "in-cache lookup floor")
line("acquire (sold out), 1 thread", "BM_Acquire_SoldOut",
     "BM_Floor_TableLookup16/16384", "in-cache lookup floor")
line("acquire+confirm, 1 Mi buyers", "BM_AcquireConfirm_1MBuyers",
     "BM_Floor_TableLookup16/1048576", "cold lookup floor")
line("", "BM_AcquireConfirm_1MBuyers",
     "BM_Floor_TableLookup16_Chained/1048576", "chained cold lookup floor")
line("  acquire alone, 1 Mi buyers", "BM_AcquireConfirmApart/confirm:0/buyers:1048576/ahead:0",
     "BM_Floor_TableLookup16/1048576", "cold lookup floor")
line("", "BM_AcquireConfirmApart/confirm:0/buyers:1048576/ahead:0",
     "BM_Floor_TableLookup16_Chained/1048576", "chained cold lookup floor")
for ahead in (1, 4):
    line(f"  acquire alone, prefetched {ahead} ahead", f"BM_AcquireConfirmApart/confirm:0/buyers:1048576/ahead:{ahead}",
         "BM_Floor_TableLookup16/1048576", "cold lookup floor")
line("  confirm alone, 1 Mi buyers", "BM_AcquireConfirmApart/confirm:1/buyers:1048576/ahead:0",
     "BM_Floor_TableLookup16/1048576", "cold lookup floor")
line("acquire+confirm, 2 threads, one hot SKU", "BM_AcquireConfirm_TwoThreads/hot:1/real_time/threads:2",
     "BM_Floor_CasDecrement/real_time/threads:2", "2-thread CAS floor")
line("acquire+confirm, 2 threads, distinct SKUs", "BM_AcquireConfirm_TwoThreads/hot:0/real_time/threads:2",
     "BM_AcquireConfirm", "1-thread acquire+confirm")
line("acquire+confirm, 2 processes, one hot SKU", "BM_AcquireConfirm_TwoProcesses/500000/iterations:3/manual_time",
     "BM_Floor_CasDecrement_TwoProcesses/4000000/iterations:3/manual_time", "2-process CAS floor")
line("  acquire alone, 2 processes, one hot SKU", "BM_Acquire_TwoProcesses/1000/iterations:3/manual_time",
     "BM_Floor_CasDecrement_TwoProcesses/4000000/iterations:3/manual_time", "2-process CAS floor")
print("-- baseline: std::mutex + unordered_map (ratio = our rate / baseline rate)")
for label, base, ours in [
    ("mutex map, 1 thread, 1 Ki buyers", "BM_Baseline_MutexMap/1024", "BM_AcquireConfirm"),
    ("mutex map, 1 thread, 1 Mi buyers", "BM_Baseline_MutexMap/1048576", "BM_AcquireConfirm_1MBuyers"),
    ("mutex map, 2 threads, 1 Ki buyers", "BM_Baseline_MutexMap/1024/real_time/threads:2",
     "BM_AcquireConfirm_TwoThreads/hot:1/real_time/threads:2"),
]:
    b, o = med(base), med(ours)
    if b and o:
        print(f"{label:44s} {1e9 / b[0]:8.1f} ns/op {b[0] / 1e6:8.2f} M/s   edgekit {o[0] / b[0]:5.2f}x faster")
PY
