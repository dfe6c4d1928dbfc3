#!/usr/bin/env python3
"""retentionkit against polars, DuckDB and lifetimes, in one run.

For each size and task, one fresh child process per tool (bench.py's child
for the Python tools; the release binary `peer_task` for retentionkit), each
running the task --reps times after loading; the median compute time is
reported. Results are checked equal across tools (fingerprints: integer
counts exactly, float sums to 1e-9 relative) before any time is printed.
Peak RSS: each child's high-water mark reset after loading, so it counts the
loaded log plus the task's working memory (and, for Python, the interpreter).

Usage: compare.py [--sizes 1e7] [--tasks cohort,rfm,kpi] [--reps 3]
                  [--write ../../docs/performance.md]
Run benches/peers/setup.sh first (venv, data, raw columns).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import bench  # noqa: E402
from baselines.common import KPI_MONTH, finish_kpis  # noqa: E402

DATA = bench.DATA
PEERS = {"cohort": ("polars", "duckdb"), "rfm": ("polars", "duckdb", "lifetimes"), "kpi": ("polars", "duckdb")}
TARGETS = {"cohort": {"polars": 5}, "rfm": {"polars": 5, "lifetimes": 30}, "kpi": {"polars": 5}}


def rk_binary():
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "retentionkit-benches", "--bin", "peer_task"],
                   cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "peer_task")


def run_rk(binary, size, task, reps):
    p = subprocess.run([binary, DATA, size, task, str(reps)], capture_output=True, text=True, check=True)
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r["median_s"] = statistics.median(r["times"])
    r["status"] = "ok"
    fp = r["fingerprint"]
    if task == "kpi":
        r["fingerprint"] = finish_kpis(KPI_MONTH, fp["S"], fp["E"], fp["N"], fp["retained"], fp["active"],
                                       fp["orders"], fp["repeat"], fp["revenue"])
    return r


def same(a, b, key):
    if isinstance(a, float) or isinstance(b, float):
        tol = 1e-9 * max(abs(a), abs(b))
        if key in ("monetary_sum", "revenue", "aov"):
            tol += 1e-4  # bench.py rounds these to 4-6 decimals
        return abs(a - b) <= tol
    return a == b


def check(task, rk, peer):
    a, b = rk["fingerprint"], peer["fingerprint"]
    bad = [k for k in b if k not in a or not same(a[k], b[k], k)]
    if bad:
        raise SystemExit(f"{task}: retentionkit and {peer['tool']} differ in {bad}: {a} vs {b}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e7")
    ap.add_argument("--tasks", default="cohort,rfm,kpi")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--write", default=None, help="write the markdown report here")
    a = ap.parse_args()
    binary = rk_binary()
    rows = []
    for size in a.sizes.split(","):
        for task in a.tasks.split(","):
            rk = run_rk(binary, size, task, a.reps)
            peers = {}
            for tool in PEERS[task]:
                r = bench.run_child(tool, size, task, a.reps, a.timeout)
                if r["status"] != "ok":
                    raise SystemExit(f"{tool} {task} {size}: {r['status']} {r.get('error', '')}")
                check(task, rk, r)
                peers[tool] = r
            rows.append((size, task, rk, peers))
            line = f"{size} {task:6} retentionkit {rk['median_s']:.4f} s {rk['peak_rss_mib']:.0f} MiB"
            for tool, r in peers.items():
                line += f" | {tool} {r['median_s']:.3f} s ({r['median_s'] / rk['median_s']:.1f}x) {r['peak_rss_mib']:.0f} MiB"
            print(line, flush=True)
    md = report(rows, a)
    if a.write:
        with open(a.write, "w") as f:
            f.write(md)
    print(md)


def report(rows, a):
    m = bench.machine()
    v = bench.versions()
    load = os.getloadavg()
    L = ["# Performance", "",
         f"Measured on {datetime.date.today()} by `python benches/peers/compare.py --sizes {a.sizes} "
         f"--reps {a.reps}` (after `bash benches/peers/setup.sh`), all tools in one run on one machine: "
         f"{m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB; polars {v.get('polars')} "
         f"({m.get('polars_threads')} threads), DuckDB {v.get('duckdb')} ({m.get('duckdb_threads')} threads), "
         f"lifetimes {v.get('lifetimes')}, retentionkit with rayon on all cores. Load average at the end "
         f"of the run: {load[0]:.2f}.", "",
         "Data: `benches/peers/gen.py` (seed 42), the same Parquet file for every tool. Time = median compute "
         "seconds of the runs in one fresh process per tool and task, excluding loading (Python: the "
         "Parquet read; retentionkit: reading raw column files), including for retentionkit the validation "
         "of the columns (`TransactionLog::new`). Results were checked equal across tools before timing was "
         "reported (cohort cell and size sums, RFM column sums, every KPI). Peak MiB = the process's peak RSS "
         "after loading (high-water mark reset), so it includes the loaded log and, for Python, the "
         "interpreter. The VM is shared and noisy: expect ±20 % between runs.", "",
         "| size | task | retentionkit s | polars s | DuckDB s | lifetimes s | polars / rk | DuckDB / rk | "
         "lifetimes / rk | rk peak MiB | polars peak MiB | DuckDB peak MiB |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for size, task, rk, peers in rows:
        def s(t):
            return f"{peers[t]['median_s']:.3f}" if t in peers else ""

        def ratio(t):
            return f"{peers[t]['median_s'] / rk['median_s']:.1f}x" if t in peers else ""

        def mem(t):
            return f"{peers[t]['peak_rss_mib']:.0f}" if t in peers else ""
        L.append(f"| {size} | {task} | {rk['median_s']:.4f} | {s('polars')} | {s('duckdb')} | {s('lifetimes')} | "
                 f"{ratio('polars')} | {ratio('duckdb')} | {ratio('lifetimes')} | {rk['peak_rss_mib']:.0f} | "
                 f"{mem('polars')} | {mem('duckdb')} |")
        if size == "1e7":
            for tool, want in TARGETS[task].items():
                got = peers[tool]["median_s"] / rk["median_s"]
                verdicts.append(f"- {task}: {got:.1f}x faster than {tool} (target {want}x): "
                                f"{'met' if got >= want else 'NOT met'}")
            pm = peers["polars"]["peak_rss_mib"]
            verdicts.append(f"- {task}: peak {rk['peak_rss_mib']:.0f} MiB vs polars {pm:.0f} MiB: "
                            f"{'below' if rk['peak_rss_mib'] < pm else 'NOT below'}")
    if verdicts:
        L += ["", "## Targets at 1e7 rows", ""] + verdicts
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
