"""The three front-ends give the same numbers: the CLI's ``report --json``,
the Python package and the npm package, on the demo shop and on the CDNOW
sample, to 1e-12 relative (counts, labels, ids and order exactly).

Compared: the monthly KPIs (12-month look-back), the monthly cohort matrix,
the BG/NBD and Gamma-Gamma fits (weeks), the CLV with the default options
(12 months of 4.345 weeks at 1 % a month: the CLI's total and mean, and
every customer's value between Python and npm) and the at-risk list (a
52-week horizon, 25 customers, the core's defaults otherwise). The npm
package's per-customer predictions are held to 1e-10 (WASM_PREDICTION_REL
says why).

Run by scripts/cross.sh after scripts/wasm.sh (the npm package),
scripts/python.sh (the Python package) and the release CLI build:
    python tests/cross/compare.py [CLI]
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

import retentionkit as rk

ROOT = Path(__file__).resolve().parents[2]
CDNOW = ROOT / "tests" / "data" / "CDNOW_sample.txt"
REL = 1e-12
# Each customer's predictions (CLV, P(alive), value at stake) from npm
# (wasm32) against Python and the CLI (native):
# the two fits agree to about 1e-13 (the Newton polish of optim.rs), but the
# wasm build's ln, exp and pow differ from the native ones in the last bits,
# and the BG/NBD expectation has the factor 1 / (a - 1): with the demo shop's
# a = 1.0138 it multiplies a parameter difference of 6e-14 by 73. Python's
# predictions are compared with the CLI's at REL, and so are the npm
# package's parameters and CLV totals.
WASM_PREDICTION_REL = 1e-10

KPI_COUNTS = [
    "start_customers",
    "end_customers",
    "new_customers",
    "retained",
    "reactivated",
    "active_customers",
    "orders",
]
KPI_VALUES = [
    "revenue",
    "retention_rate",
    "cohort_retention",
    "churn_rate",
    "growth_rate",
    "repeat_customer_rate",
    "purchase_frequency",
    "average_order_value",
]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


class Mismatches:
    """Every difference found, with where it is."""

    def __init__(self) -> None:
        self.found: List[str] = []
        self.checked = 0

    def same(self, what: str, a: Any, b: Any) -> None:
        """Exactly equal (counts, labels, ids, dates)."""
        self.checked += 1
        if a != b:
            self.found.append(f"{what}: {a!r} != {b!r}")

    def close(self, what: str, a: Optional[float], b: Optional[float], rel: float = REL) -> None:
        """Equal to ``rel`` relative; None and NaN stand for an undefined value."""
        self.checked += 1
        a_none = a is None or (isinstance(a, float) and math.isnan(a))
        b_none = b is None or (isinstance(b, float) and math.isnan(b))
        if a_none or b_none:
            if a_none != b_none:
                self.found.append(f"{what}: {a!r} vs {b!r}")
            return
        if abs(a - b) > rel * max(abs(a), abs(b)):
            self.found.append(f"{what}: {a!r} vs {b!r} (relative {abs(a - b) / max(abs(a), abs(b)):.2e})")


def cli(binary: str, path: Optional[Path]) -> Dict[str, Any]:
    # The headerless CDNOW file has three columns of whole numbers that could
    # be the id (master id, sample id, CDs): the command asks for --id.
    args = [binary, "report", "--json", "--quiet"] + (["--id", "1", str(path)] if path else [])
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def npm(path: Optional[Path]) -> Dict[str, Any]:
    args = ["node", str(ROOT / "tests" / "cross" / "npm.mjs")] + ([str(path)] if path else [])
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def orders_of(path: Optional[Path]) -> pd.DataFrame:
    """The demo shop, or a file read as the CLI reads the CDNOW sample:
    whitespace-separated, id in column 1, YYYYMMDD in column 3, amount in 5."""
    if path is None:
        return rk.demo_shop()
    raw = pd.read_csv(path, sep=r"\s+", header=None, dtype={0: "int64", 2: "str", 4: "float64"})
    return pd.DataFrame(
        {"customer_id": raw[0], "date": pd.to_datetime(raw[2], format="%Y%m%d"), "amount": raw[4]}
    )


def python(path: Optional[Path]) -> Dict[str, Any]:
    log = rk.TransactionLog(orders_of(path), amount="amount")
    summary = rk.summary(log, unit="weeks")
    model = rk.BgNbd().fit(summary)
    spend = rk.GammaGamma().fit(summary)
    return {
        "kpis": rk.kpis(log, granularity="month", lookback_months=12),
        "cohorts": rk.cohort_matrix(log, granularity="month", values="count"),
        "model": model,
        "spend": spend,
        "clv": model.customer_lifetime_value(spend, summary),
        "at_risk": model.at_risk(log, 52, limit=25),
    }


def compare(name: str, c: Dict[str, Any], p: Dict[str, Any], n: Dict[str, Any]) -> Mismatches:
    m = Mismatches()
    # KPIs, period by period.
    k = p["kpis"]
    m.same(f"{name} KPI periods (Python)", list(k.index), [r["label"] for r in c["kpis"]])
    m.same(f"{name} KPI periods (npm)", [r["label"] for r in n["kpis"]], [r["label"] for r in c["kpis"]])
    for i, row in enumerate(c["kpis"]):
        label, js = row["label"], n["kpis"][i]
        for col in KPI_COUNTS:
            m.same(f"{name} KPI {label} {col} (Python)", int(k[col].iloc[i]), row[col])
            m.same(f"{name} KPI {label} {col} (npm)", js[camel(col)], row[col])
        for col in KPI_VALUES:
            m.close(f"{name} KPI {label} {col} (Python)", float(k[col].iloc[i]), row[col])
            m.close(f"{name} KPI {label} {col} (npm)", js[camel(col)], row[col])
    # Cohort matrix: labels, sizes and the counts the CLI shows.
    co = c["cohorts"]
    cm = p["cohorts"]
    m.same(f"{name} cohort labels (Python)", [str(x) for x in cm.index], co["labels"])
    m.same(f"{name} cohort labels (npm)", n["cohorts"]["labels"], co["labels"])
    m.same(f"{name} cohort sizes (Python)", [int(x) for x in cm[0]], co["sizes"])  # period 0 is the size
    m.same(f"{name} cohort sizes (npm)", n["cohorts"]["sizes"], co["sizes"])
    for r, row in enumerate(co["active"]):
        py_row = [int(v) for v in cm.iloc[r, : len(row)]]
        js_row = n["cohorts"]["active"][r][: len(row)]
        m.same(f"{name} cohort {co['labels'][r]} (Python)", py_row, row)
        m.same(f"{name} cohort {co['labels'][r]} (npm)", js_row, row)
    # The fits.
    bg, model = c["bg_nbd"], p["model"]
    for key in ("r", "alpha", "a", "b"):
        m.close(f"{name} BG/NBD {key} (Python)", float(model.params[key]), bg["params"][key])
        m.close(f"{name} BG/NBD {key} (npm)", n["bg_nbd"][key], bg["params"][key])
    m.close(f"{name} BG/NBD log-likelihood (Python)", float(model.log_likelihood), bg["log_likelihood"])
    m.close(f"{name} BG/NBD log-likelihood (npm)", n["bg_nbd"]["log_likelihood"], bg["log_likelihood"])
    gg, spend = c["gamma_gamma"], p["spend"]
    for key in ("p", "q", "gamma"):
        m.close(f"{name} Gamma-Gamma {key} (Python)", float(spend.params[key]), gg["params"][key])
        m.close(f"{name} Gamma-Gamma {key} (npm)", n["gamma_gamma"][key], gg["params"][key])
    # CLV: the CLI's total and mean, and every customer between Python and npm.
    clv = p["clv"]
    js_clv = pd.Series(n["clv"], index=n["customer_id"])
    m.close(f"{name} CLV total (Python)", float(clv.sum()), c["clv"]["total"])
    m.close(f"{name} CLV total (npm)", float(js_clv.sum()), c["clv"]["total"])
    m.close(f"{name} CLV mean (Python)", float(clv.mean()), c["clv"]["mean"])
    m.same(f"{name} CLV customers (npm vs Python)", [int(x) for x in js_clv.index], [int(x) for x in clv.index])
    for cid, a, b in zip(clv.index, clv.to_numpy(), js_clv.to_numpy()):
        m.close(f"{name} CLV of customer {cid} (npm vs Python)", float(b), float(a), WASM_PREDICTION_REL)
    # At-risk list: same customers in the same order, same numbers.
    risk = p["at_risk"]
    want = c["at_risk"]
    # The CLI prints an id as the file wrote it (CDNOW: "07323", docs/input.md); Python and
    # npm were given the integers, so the CLI's ids are compared as the integers they spell.
    cli_ids = [str(int(r["customer_id"])) for r in want]
    m.same(f"{name} at-risk ids (Python)", [str(i) for i in risk.index], cli_ids)
    m.same(f"{name} at-risk ids (npm)", [r["customer_id"] for r in n["at_risk"]], cli_ids)
    for i, row in enumerate(want[: min(len(want), len(risk), len(n["at_risk"]))]):
        js, py = n["at_risk"][i], risk.iloc[i]
        who = f"{name} at-risk #{i + 1} ({row['customer_id']})"
        m.same(f"{who} frequency (Python)", int(py["frequency"]), row["frequency"])
        m.same(f"{who} frequency (npm)", js["frequency"], row["frequency"])
        m.same(f"{who} last order (Python)", str(pd.Timestamp(py["last_order"]).date()), row["last_order"])
        m.same(f"{who} last order (npm)", js["last_order"], row["last_order"])
        for col in ("probability_alive", "overdue", "value_at_stake"):
            m.close(f"{who} {col} (Python)", float(py[col]), row[col])
            m.close(f"{who} {col} (npm)", js[col], row[col], WASM_PREDICTION_REL)
    return m


def main() -> int:
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "retentionkit")
    failed = False
    for name, path in (("demo shop", None), ("CDNOW sample", CDNOW)):
        c = cli(binary, path)
        for part in ("bg_nbd", "gamma_gamma", "clv"):
            if c[part] is None:
                print(f"{name}: the CLI computed no {part}: {c['notes']}")
                return 1
        m = compare(name, c, python(path), npm(path))
        print(
            f"{name}: {m.checked} values compared, {len(m.found)} differ "
            f"({len(c['kpis'])} KPI periods, {len(c['cohorts']['labels'])} cohorts, "
            f"{len(c['at_risk'])} at risk)"
        )
        for line in m.found[:40]:
            print("  " + line)
        failed |= bool(m.found) or m.checked == 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
