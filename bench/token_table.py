#!/usr/bin/python3
# Prints the token benchmark's tables from Google Benchmark JSON files: one
# table per crypto backend, µs per verify (median CPU time over the
# repetitions) for edgekit, the floor and each peer, and the ratios
# edgekit/floor and edgekit/best peer.
#
# Usage: token_table.py TITLE=FILE[,FILE...] ...   (one argument per backend)
import json
import statistics
import sys

ALGS = ["HS256", "RS256", "PS256", "ES256", "EdDSA"]
PEERS = ["libjwt", "cppjwt", "cjose"]
IMPLS = ["edgekit", "floor"] + PEERS
NOISY = 1.10  # max/min of a cell's repetitions above which it is flagged

SCALE_TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def load(paths):
    """Returns {(alg, impl): cell} and the median real/cpu ratio of the runs."""
    times, errors, contention = {}, {}, []
    for path in paths:
        with open(path) as f:
            report = json.load(f)
        for b in report["benchmarks"]:
            parts = b["run_name"].split("/")
            if len(parts) != 3 or b.get("run_type") != "iteration":
                continue
            key = (parts[1], parts[2])
            if b.get("error_occurred"):
                errors[key] = b.get("error_message", "error")
                continue
            scale = SCALE_TO_US[b["time_unit"]]
            times.setdefault(key, []).append(b["cpu_time"] * scale)
            if b["cpu_time"] > 0:
                contention.append(b["real_time"] / b["cpu_time"])
    cells = {}
    for key, values in times.items():
        cells[key] = {"median": statistics.median(values), "n": len(values),
                      "spread": max(values) / min(values)}
    for key, message in errors.items():
        cells[key] = {"error": message}
    return cells, (statistics.median(contention) if contention else None)


def fmt(us):
    return f"{us:.3g}" if us < 100 else f"{us:.0f}"


def table(title, cells, contention):
    print(f"\n### {title}\n")
    load_note = f"; median real/CPU time {contention:.2f}" if contention else ""
    print("µs per verify, CPU-time median over the repetitions (* = max/min of "
          f"the repetitions above {NOISY:.2f}{load_note}).\n")
    print("| alg | " + " | ".join(IMPLS) + " | edgekit/floor | edgekit/best peer |")
    print("|---" * (len(IMPLS) + 3) + "|")
    refused = []
    for alg in ALGS:
        row = []
        for impl in IMPLS:
            cell = cells.get((alg, impl))
            if cell is None:
                row.append("—")
            elif "error" in cell:
                row.append("refused")
                refused.append(f"{alg}/{impl}: {cell['error']}")
            else:
                row.append(fmt(cell["median"]) + ("*" if cell["spread"] > NOISY else ""))

        def median(impl):
            cell = cells.get((alg, impl))
            return cell["median"] if cell and "median" in cell else None

        ours, floor = median("edgekit"), median("floor")
        peers = [(median(p), p) for p in PEERS if median(p) is not None]
        best = min(peers) if peers else None
        row.append(f"{ours / floor:.2f}×" if ours and floor else "—")
        row.append(f"{ours / best[0]:.2f}× ({best[1]})" if ours and best else "—")
        print(f"| {alg} | " + " | ".join(row) + " |")
    for line in refused:
        print(f"\nrefused by the correctness gate: {line}")
    cached_rows = []
    for alg in ALGS:
        full = cells.get((alg, "edgekit"), {}).get("median")
        hit = cells.get((alg, "edgekit_cached"), {}).get("median")
        if full and hit:
            cached_rows.append(f"| {alg} | {fmt(hit)} | {hit / full * 100:.2f} % |")
    if cached_rows:
        print("\nVerified-token cache (`cache_entries`): re-verifying a token the "
              "cache holds, claims still checked.\n")
        print("| alg | µs per cached verify | share of a full verify |")
        print("|---|---|---|")
        print("\n".join(cached_rows))


def main():
    failed = False
    for arg in sys.argv[1:]:
        title, paths = arg.split("=", 1)
        cells, contention = load(paths.split(","))
        table(title, cells, contention)
        failed |= any("error" in c for c in cells.values())
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
