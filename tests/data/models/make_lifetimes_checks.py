"""Reference values of lifetimes 0.11.3 for crates/retentionkit/src/models/check.rs and check/clv.rs.

Run from the repository root with the peer harness's venv (`bash benches/peers/setup.sh`):

    benches/peers/.venv/bin/python tests/data/models/make_lifetimes_checks.py \
        > tests/data/models/lifetimes_checks.txt

On the CDNOW sample (tests/data/CDNOW_sample.txt), calibration to 1997-09-30 and holdout to
1998-06-30, with lifetimes' calibration_and_holdout_data in days divided by 7 (Hardie's weeks),
and the published BG/NBD (r 0.243, alpha 4.414, a 0.793, b 2.426) and Gamma-Gamma (p 6.25,
q 3.74, gamma 15.44) parameters, prints: MAE, RMSE, bias of the expected holdout purchases,
the table of mean actual / mean predicted holdout purchases by calibration frequency 0..6, 7+,
and customer_lifetime_value (12 months of 4.345 weeks, 1 % a month) of the first customers.
"""

import sys

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import calibration_and_holdout_data

print(f"# lifetimes {lifetimes.__version__}, numpy {np.__version__}, pandas {pd.__version__}, python {sys.version.split()[0]}")
raw = pd.read_csv("tests/data/CDNOW_sample.txt", sep=r"\s+", header=None, names=["master", "id", "date", "cds", "amount"])
raw["date"] = pd.to_datetime(raw["date"].astype(str), format="%Y%m%d")
ch = calibration_and_holdout_data(raw, "id", "date", calibration_period_end="1997-09-30",
                                  observation_period_end="1998-06-30", freq="D", monetary_value_col="amount")
for c in ["recency_cal", "T_cal", "duration_holdout"]:
    ch[c] = ch[c] / 7.0
bgf = BetaGeoFitter()
bgf.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
h = float(ch["duration_holdout"].iloc[0])
pred = bgf.conditional_expected_number_of_purchases_up_to_time(h, ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
err = pred - ch["frequency_holdout"]
print(f"# customers {len(ch)}, holdout weeks {h!r}")
print("# mae, rmse, bias")
print(repr(float(err.abs().mean())), repr(float(np.sqrt((err ** 2).mean()))), repr(float(err.mean())))
print("# frequency (7 = 7+), customers, mean actual, mean predicted")
b = ch["frequency_cal"].clip(upper=7)
for x in sorted(b.unique()):
    m = b == x
    print(f"({int(x)}, {int(m.sum())}, {float(ch['frequency_holdout'][m].mean())!r}, {float(pred[m].mean())!r}),")
bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time  # set by fit() in lifetimes
ggf = GammaGammaFitter()
ggf.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
first = ch.head(5).copy()
first = first[first["frequency_cal"] >= 0]
clv = ggf.customer_lifetime_value(bgf, first["frequency_cal"], first["recency_cal"], first["T_cal"],
                                  first["monetary_value_cal"], time=12, discount_rate=0.01, freq="W")
print("# id, x, t_x, T, monetary, customer_lifetime_value(time=12, discount_rate=0.01, freq='W')")
for i, row in first.iterrows():
    print(f"({int(i)}, {int(row['frequency_cal'])}, {float(row['recency_cal'])!r}, {float(row['T_cal'])!r}, {float(row['monetary_value_cal'])!r}, {float(clv.loc[i])!r}),")

# Tracking: lifetimes.utils.expected_cumulative_transactions over the whole sample, days with
# freq_multiplier=7 (weekly points, model time in weeks), 78 weeks from 1997-01-01.
from lifetimes.utils import expected_cumulative_transactions

track = expected_cumulative_transactions(bgf, raw, "date", "id", 546, freq="D", freq_multiplier=7)
print("# tracking: week j (day 1997-01-01 + 7j), actual, predicted; j = 1..78")
for j, (_, row) in enumerate(track.iterrows(), start=1):
    print(f"({j}, {int(row['actual'])}, {float(row['predicted'])!r}),")
