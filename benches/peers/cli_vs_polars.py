#!/usr/bin/env python3
"""`retentionkit report --json` end to end against polars reading the same
CSV and computing only the monthly cohort matrix and the RFM summary.

One run, alternating the two tools, --reps times each (fresh process every
time, so each reads the file itself); wall time and peak RSS of each process
from /usr/bin/time; the medians are printed as a Markdown table.

- retentionkit: `retentionkit report --json --quiet FILE > /dev/null`: parse
  the CSV, every metric of the report (KPI series, cohort matrix, BTYD summary,
  RFM, two BG/NBD fits, Gamma-Gamma, holdout check, tracking curve, at-risk
  list, CLV of every customer) and the JSON.
- polars: `pl.read_csv(FILE, try_parse_dates=True)`, then the cohort and
  RFM tasks of baselines/polars_tool.py (the code of the peer harness).

With --parquet FILE (issue 20), the Parquet jobs instead, alternating too:

- `retentionkit cohorts FILE.parquet > /dev/null` against polars'
  `pl.read_parquet(FILE)` + the cohort task of baselines/polars_tool.py;
- `retentionkit report --json --quiet` from FILE.parquet and from the CSV of
  the same log (--csv);
- `retentionkit summary --quiet FILE.parquet --output OUT.parquet` (BTYD
  summary, RFM scores and segments, one row per customer) against polars'
  `pl.read_parquet(FILE)` + the RFM task of baselines/polars_tool.py (the BTYD
  summary only) + `write_parquet(OUT)`; OUT in a temporary folder.

--bin BIN times that binary instead of building target/release/retentionkit;
--before BIN adds the jobs of a second binary (an older build) to the table.

Usage: cli_vs_polars.py [--csv data/tx_1e7.csv] [--reps 3]
       cli_vs_polars.py --parquet data/tx_1e7.parquet [--csv data/tx_1e7.csv]
                        [--reps 3] [--bin BIN] [--before BIN]
Run setup.sh and `gen.py --rows 1e7` first (it writes data/tx_1e7.csv and
data/tx_1e7.parquet).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.environ.get("PEERS_DATA", os.path.join(HERE, "data"))

POLARS = """
import sys, time
sys.path.insert(0, {here!r})
import polars as pl
from baselines import polars_tool
df = pl.read_csv({csv!r}, try_parse_dates=True)
assert df.schema["ts"] == pl.Date, df.schema
counts, frac = polars_tool.cohort(df)
rfm = polars_tool.rfm(df)
print(counts.height, rfm.height, file=sys.stderr)
"""

POLARS_PARQUET = """
import sys
sys.path.insert(0, {here!r})
import polars as pl
from baselines import polars_tool
df = pl.read_parquet({parquet!r})
counts, frac = polars_tool.cohort(df)
print(counts.height, file=sys.stderr)
"""

POLARS_SUMMARY = """
import sys
sys.path.insert(0, {here!r})
import polars as pl
from baselines import polars_tool
df = pl.read_parquet({parquet!r})
polars_tool.rfm(df).write_parquet({out!r})
"""


def timed(cmd):
    """Run cmd under /usr/bin/time; return (wall seconds, peak RSS MB)."""
    p = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{p.stderr}")
    line = [x for x in p.stderr.splitlines() if x.startswith("TIME ")][-1]
    _, wall, rss_kb = line.split()
    return float(wall), int(rss_kb) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", default=os.path.join(DATA, "tx_1e7.csv"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--parquet", help="time the Parquet jobs of issue 20 on this file")
    ap.add_argument("--bin", help="the retentionkit binary to time (default: build target/release)")
    ap.add_argument("--before", help="a second binary (an older build) timed alongside")
    a = ap.parse_args()
    if a.bin:
        binary = a.bin
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--locked", "-p", "retentionkit-cli"],
                       cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        binary = os.path.join(target, "release", "retentionkit")
    if a.parquet:
        return parquet_jobs(a, binary)
    rk = [binary, "report", "--json", "--quiet", a.csv]
    pl = [sys.executable, "-c", POLARS.format(here=HERE, csv=a.csv)]
    runs = {"rk": [], "pl": []}
    for _ in range(a.reps):
        runs["rk"].append(timed(rk))
        runs["pl"].append(timed(pl))
    med = {k: (statistics.median(t for t, _ in v), max(m for _, m in v)) for k, v in runs.items()}
    size = os.path.getsize(a.csv) / 1e6
    load = os.getloadavg()[0]
    print(f"file: {a.csv} ({size:.0f} MB), {a.reps} runs each, alternating; load average {load:.1f}")
    print("| job | median wall time | runs | peak RSS (max) |")
    print("|---|---|---|---|")
    print(f"| `retentionkit report --json` (parse + every metric + BG/NBD fits) | {med['rk'][0]:.2f} s | "
          f"{', '.join(f'{t:.2f}' for t, _ in runs['rk'])} | {med['rk'][1]:.0f} MB |")
    print(f"| polars: read_csv + cohort matrix + RFM summary | {med['pl'][0]:.2f} s | "
          f"{', '.join(f'{t:.2f}' for t, _ in runs['pl'])} | {med['pl'][1]:.0f} MB |")
    print(f"ratio (polars / retentionkit): {med['pl'][0] / med['rk'][0]:.2f}")


def parquet_jobs(a, binary):
    """The Parquet jobs (--parquet), alternating, as a Markdown table."""
    jobs = []
    out = os.path.join(tempfile.mkdtemp(prefix="rk-peers-"), "summary.parquet")
    for name, b in [("before", a.before), ("", binary)]:
        if not b:
            continue
        tag = f" ({name})" if name else ""
        jobs += [
            (f"`retentionkit cohorts FILE.parquet`{tag}", [b, "cohorts", "--quiet", a.parquet]),
            (f"`retentionkit report --json --quiet FILE.parquet`{tag}",
             [b, "report", "--json", "--quiet", a.parquet]),
            (f"`retentionkit report --json --quiet FILE.csv`{tag}", [b, "report", "--json", "--quiet", a.csv]),
            (f"`retentionkit summary FILE.parquet --output OUT.parquet`{tag}",
             [b, "summary", "--quiet", a.parquet, "--output", out]),
        ]
    jobs.append(("polars: `read_parquet` + cohort matrix",
                 [sys.executable, "-c", POLARS_PARQUET.format(here=HERE, parquet=a.parquet)]))
    jobs.append(("polars: `read_parquet` + RFM summary + `write_parquet`",
                 [sys.executable, "-c", POLARS_SUMMARY.format(here=HERE, parquet=a.parquet, out=out)]))
    runs = {name: [] for name, _ in jobs}
    for _ in range(a.reps):
        for name, cmd in jobs:
            runs[name].append(timed(cmd))
    load = os.getloadavg()[0]
    print(f"files: {a.parquet} ({os.path.getsize(a.parquet) / 1e6:.0f} MB), {a.csv} "
          f"({os.path.getsize(a.csv) / 1e6:.0f} MB); {a.reps} runs each, alternating; "
          f"load average {load:.1f}")
    print("| job | median wall time | runs | peak RSS (max) |")
    print("|---|---|---|---|")
    med = {}
    for name, _ in jobs:
        t = [x for x, _ in runs[name]]
        med[name] = statistics.median(t)
        print(f"| {name} | {med[name]:.2f} s | {', '.join(f'{x:.2f}' for x in t)} | "
              f"{max(m for _, m in runs[name]):.0f} MB |")
    cohorts, pq, csv, summary, polars, polars_summary = (med[n] for n, _ in jobs[-6:])
    print(f"polars read+cohort / cohorts from Parquet: {polars / cohorts:.1f}x (target >= 5)")
    print(f"polars read+RFM+write / summary to Parquet: {polars_summary / summary:.1f}x (target >= 5)")
    print(f"report from CSV / report from Parquet: {csv / pq:.1f}x (target >= 2)")


if __name__ == "__main__":
    main()
