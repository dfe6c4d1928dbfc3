"""Smoke test of an installed retentionkit wheel (run by `bash scripts/release.sh python`).

The release script installs the wheel into a fresh virtual environment whose PATH has no
cargo or rustc and runs this file there, from outside the repository, so that the import
below finds the installed package and nothing else. pytest's doctest collection imports
this module too; everything runs under ``__main__`` only.
"""

import sys


def main() -> None:
    import pandas as pd

    import retentionkit as rk

    where = rk.__file__ or ""
    if not where.startswith(sys.prefix):
        raise SystemExit(f"retentionkit imported from {where}, not from the venv {sys.prefix}")

    # The README's shop: ann orders on 3 Jan, 2 Feb and 9 Mar 2024; bob on 20 Jan and 1 Mar;
    # cy on 14 Feb.
    orders = pd.DataFrame({
        "user": ["ann", "bob", "ann", "cy", "bob", "ann"],
        "day": ["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-14", "2024-03-01", "2024-03-09"],
        "price": [20.0, 35.0, 15.0, 50.0, 40.0, 25.0],
    })
    cols = dict(customer_id="user", date="day", amount="price")

    ann = rk.summary(orders, **cols).loc["ann"]
    # By hand: 3 purchase days, so frequency 2; 3 Jan to 9 Mar 2024 is 28 (rest of January)
    # + 29 (February, a leap year) + 9 = 66 days, and the log ends on 9 Mar, so recency =
    # T = 66; monetary_value is the mean of the repeat purchases, (15 + 25) / 2 = 20.
    got = ann[["frequency", "recency", "T", "monetary_value"]].tolist()
    if got != [2.0, 66.0, 66.0, 20.0]:
        raise SystemExit(f"summary of ann: {got}, expected [2.0, 66.0, 66.0, 20.0] (by hand)")

    kpis = rk.kpis(orders, **cols, lookback_months=1)
    # By hand: active in February are ann and cy (S = 2); in March ann comes back and cy
    # does not, so March's churn is 1 / 2.
    churn = float(kpis.loc["2024-03", "churn_rate"])
    if churn != 0.5:
        raise SystemExit(f"March churn {churn}, expected 0.5 (by hand)")

    print(f"smoke test passed: retentionkit from {where}")


if __name__ == "__main__":
    main()
