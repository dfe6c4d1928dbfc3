#!/usr/bin/env python3
"""retentionkit from Python against polars, DuckDB and lifetimes, in one run.

The same harness as compare.py (same data, same tasks, one fresh child process per tool
and task, median of --reps runs after loading, peak RSS after loading), with one more
tool: `retentionkit_py` (baselines/retentionkit_py_tool.py), the Python package called on
the polars frame the polars tool loads. Results of every tool are checked equal to the
Rust runner's (and so to each other) before any time is printed.

Usage: compare_python.py [--sizes 1e7] [--tasks cohort,rfm,kpi] [--reps 3] [--write FILE]
Run benches/peers/setup.sh first (venv with the package installed, data, raw columns).
--write puts the markdown section (the one in docs/performance.md) in FILE.
"""
import argparse
import datetime
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import compare  # noqa: E402

PEERS = {"cohort": ("polars", "duckdb"), "rfm": ("polars", "duckdb", "lifetimes"), "kpi": ("polars", "duckdb")}
TARGETS = {
    "cohort": {"polars": 5, "duckdb": 10},
    "rfm": {"polars": 5, "duckdb": 10, "lifetimes": 50},
    "kpi": {"polars": 5, "duckdb": 10},
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e7")
    ap.add_argument("--tasks", default="cohort,rfm,kpi")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--write", default=None)
    a = ap.parse_args()
    binary = compare.rk_binary()
    rows = []
    for size in a.sizes.split(","):
        for task in a.tasks.split(","):
            rk = compare.run_rk(binary, size, task, a.reps)
            py = bench.run_child("retentionkit_py", size, task, a.reps, a.timeout)
            if py["status"] != "ok":
                raise SystemExit(f"retentionkit_py {task} {size}: {py['status']} {py.get('error', '')}")
            compare.check(task, rk, py)
            peers = {}
            for tool in PEERS[task]:
                r = bench.run_child(tool, size, task, a.reps, a.timeout)
                if r["status"] != "ok":
                    raise SystemExit(f"{tool} {task} {size}: {r['status']} {r.get('error', '')}")
                compare.check(task, rk, r)
                peers[tool] = r
            rows.append((size, task, rk, py, peers))
            line = (f"{size} {task:6} rk-rust {rk['median_s']:.4f} s | rk-python {py['median_s']:.4f} s "
                    f"{py['peak_rss_mib']:.0f} MiB")
            for tool, r in peers.items():
                line += (f" | {tool} {r['median_s']:.3f} s ({r['median_s'] / py['median_s']:.1f}x) "
                         f"{r['peak_rss_mib']:.0f} MiB")
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
    L = ["## From Python (the `retentionkit` package)", "",
         f"Measured on {datetime.date.today()} by `benches/peers/.venv/bin/python benches/peers/compare_python.py "
         f"--sizes {a.sizes} --reps {a.reps}` (after `bash benches/peers/setup.sh`, which installs the package "
         f"into the peers' venv), all tools in one run: {m['cpu']}, {m['cores']} cores; polars {v.get('polars')}, "
         f"DuckDB {v.get('duckdb')}, lifetimes {v.get('lifetimes')}. Load average at the end: {load[0]:.2f}.", "",
         "The log is in memory as the polars DataFrame the polars tool loads (Parquet read not timed, as for every "
         "tool). One timed call of the package per task, e.g. `rk.summary(df, customer_id=\"customer_id\", "
         "date=\"ts\", amount=\"amount\")`: reading the columns out of the frame (no copy), validating them, the "
         "computation with the GIL released, and building the returned pandas DataFrame. Results checked equal "
         "to the Rust runner's and every peer's before timing is reported. Peak MiB as in the section above "
         "(peak RSS after loading, interpreter and loaded frame included). The Rust runner's time (same run) is "
         "shown for the cost of the Python layer.", "",
         "| size | task | rk Rust s | rk Python s | polars s | DuckDB s | lifetimes s | polars / rk-py | "
         "DuckDB / rk-py | lifetimes / rk-py | rk-py peak MiB | polars peak MiB |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for size, task, rk, py, peers in rows:
        def s(t):
            return f"{peers[t]['median_s']:.3f}" if t in peers else ""

        def ratio(t):
            return f"{peers[t]['median_s'] / py['median_s']:.1f}x" if t in peers else ""
        L.append(f"| {size} | {task} | {rk['median_s']:.4f} | {py['median_s']:.4f} | {s('polars')} | "
                 f"{s('duckdb')} | {s('lifetimes')} | {ratio('polars')} | {ratio('duckdb')} | "
                 f"{ratio('lifetimes')} | {py['peak_rss_mib']:.0f} | {peers['polars']['peak_rss_mib']:.0f} |")
        if size == "1e7":
            for tool, want in TARGETS[task].items():
                got = peers[tool]["median_s"] / py["median_s"]
                verdicts.append(f"- {task}: {got:.1f}x faster than {tool} (target {want}x): "
                                f"{'met' if got >= want else '**NOT met**'}")
            pm = peers["polars"]["peak_rss_mib"]
            verdicts.append(f"- {task}: peak {py['peak_rss_mib']:.0f} MiB vs polars {pm:.0f} MiB: "
                            f"{'below' if py['peak_rss_mib'] < pm else '**NOT below**'}")
    if verdicts:
        L += ["", "Targets of the Python issue at 1e7 rows:", ""] + verdicts
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
