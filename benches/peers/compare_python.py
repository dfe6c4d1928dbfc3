#!/usr/bin/env python3
"""retentionkit from Python against polars, DuckDB and lifetimes, in one run.

The same harness as compare.py (same data, same tasks, one fresh child process per tool
and task, median of --reps runs after loading, peak RSS after loading), with two more
tools, both the Python package `retentionkit` making one public call per task:
`retentionkit_py` (baselines/retentionkit_py_tool.py) on the log's numpy columns, and
`retentionkit_pl` (baselines/retentionkit_pl_tool.py) on the polars frame the polars tool
loads. Results of every tool are checked equal to the Rust runner's (and so to each other)
before any time is printed.

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
PY_TOOLS = ("retentionkit_py", "retentionkit_pl")
ROUTE = {"retentionkit_py": "numpy columns", "retentionkit_pl": "polars frame"}
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
            pys = {}
            for tool in PY_TOOLS:
                r = bench.run_child(tool, size, task, a.reps, a.timeout)
                if r["status"] != "ok":
                    raise SystemExit(f"{tool} {task} {size}: {r['status']} {r.get('error', '')}")
                compare.check(task, rk, r)
                pys[tool] = r
            peers = {}
            for tool in PEERS[task]:
                r = bench.run_child(tool, size, task, a.reps, a.timeout)
                if r["status"] != "ok":
                    raise SystemExit(f"{tool} {task} {size}: {r['status']} {r.get('error', '')}")
                compare.check(task, rk, r)
                peers[tool] = r
            rows.append((size, task, rk, pys, peers))
            line = f"{size} {task:6} rk-rust {rk['median_s']:.4f} s"
            for tool, r in pys.items():
                line += f" | {tool} {r['median_s']:.4f} s {r['peak_rss_mib']:.0f} MiB"
            for tool, r in peers.items():
                line += f" | {tool} {r['median_s']:.3f} s {r['peak_rss_mib']:.0f} MiB"
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
         "One timed public call of the package per task, e.g. `rk.summary(log, customer_id=\"customer_id\", "
         "date=\"ts\", amount=\"amount\")`: reading the columns (no copy), validating them, the computation "
         "with the GIL released, and building the returned pandas DataFrame (`rk.cohort_matrix`, "
         "`rk.period_kpis` for the other tasks). Two routes, each in its own processes: the log in memory as "
         "numpy columns in a dict (`numpy columns`: int64 ids, date32 days as int32, float64 amounts, 20 bytes a row, read from the raw column files the Rust runner reads), "
         "and as the polars DataFrame the polars tool loads, rechunked (`polars frame`; this process imports "
         "polars too). Loading is not timed, as for every tool. Results checked equal to the Rust runner's and "
         "every peer's before timing is reported. Peak MiB as in the first section (peak RSS after loading; "
         "interpreter, imports and the loaded log included). Ratios are peer time over the Python route's "
         "time; the Rust runner's time in the same run shows the cost of the Python layer.", "",
         "| size | task | route | rk Rust s | rk Python s | polars s | DuckDB s | lifetimes s | polars / rk | "
         "DuckDB / rk | lifetimes / rk | rk peak MiB | polars peak MiB |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for size, task, rk, pys, peers in rows:
        for tool, py in pys.items():
            def s(t):
                return f"{peers[t]['median_s']:.3f}" if t in peers else ""

            def ratio(t, py=py):
                return f"{peers[t]['median_s'] / py['median_s']:.1f}x" if t in peers else ""
            L.append(f"| {size} | {task} | {ROUTE[tool]} | {rk['median_s']:.4f} | {py['median_s']:.4f} | "
                     f"{s('polars')} | {s('duckdb')} | {s('lifetimes')} | {ratio('polars')} | {ratio('duckdb')} | "
                     f"{ratio('lifetimes')} | {py['peak_rss_mib']:.0f} | {peers['polars']['peak_rss_mib']:.0f} |")
            if size == "1e7":
                for peer, want in TARGETS[task].items():
                    got = peers[peer]["median_s"] / py["median_s"]
                    verdicts.append(f"- {task}, {ROUTE[tool]}: {got:.1f}x faster than {peer} (target {want}x): "
                                    f"{'met' if got >= want else '**NOT met**'}")
                pm = peers["polars"]["peak_rss_mib"]
                verdicts.append(f"- {task}, {ROUTE[tool]}: peak {py['peak_rss_mib']:.0f} MiB vs polars {pm:.0f} MiB: "
                                f"{'below' if py['peak_rss_mib'] < pm else '**NOT below**'}")
    if verdicts:
        L += ["", "Targets of the Python issue at 1e7 rows, as measured in this run:", ""] + verdicts
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
