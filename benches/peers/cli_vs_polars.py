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

Usage: cli_vs_polars.py [--csv data/tx_1e7.csv] [--reps 3]
Run setup.sh and `gen.py --rows 1e7` first (it writes data/tx_1e7.csv).
"""
import argparse
import os
import statistics
import subprocess
import sys

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
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--locked", "-p", "retentionkit-cli"],
                   cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    rk = [os.path.join(target, "release", "retentionkit"), "report", "--json", "--quiet", a.csv]
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


if __name__ == "__main__":
    main()
