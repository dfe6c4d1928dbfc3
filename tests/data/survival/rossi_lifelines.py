"""Expected Cox proportional-hazards and Weibull AFT numbers for rossi.csv, from lifelines.

Run (from the repository root):

    python3 -m venv target/lifelines-venv
    target/lifelines-venv/bin/pip install lifelines==0.30.3
    target/lifelines-venv/bin/python tests/data/survival/rossi_lifelines.py

Writes tests/data/survival/rossi_expected.json (floats as repr, full round-trip precision),
which tests/it/survival_cox.rs compares to retentionkit with a relative tolerance of 1e-6.

lifelines stops Newton-Raphson at the first iterate whose relative change of the
log-likelihood is below 1e-9 and reports that iterate, which can be 1e-5 away from the
maximum; the fits here are asked for precision 1e-12 and r_precision 0 (so they stop when
the Newton step is below 1e-12), which gives the maximum-likelihood estimate to full
precision. The Weibull AFT fit is asked for SLSQP ftol 1e-14 for the same reason.

Data sets fitted:
- rossi: the 432 rows as shipped (many tied weeks), Efron ties (lifelines' only method);
- rossi_distinct: week + row / 1000, so every duration is distinct; lifelines' robust
  (sandwich) standard errors use score residuals that do not handle tied times (its source says
  so: "TODO: doesn't handle ties."), so they are compared on this data set, where Efron and
  Breslow coincide and lifelines' residuals are those of Lin & Wei (1989);
- a stratified fit (strata wexp), a weighted fit (weights 1 + (row mod 3) / 2).
"""

import json
import pathlib
import warnings

import lifelines
import numpy as np
import pandas as pd
import scipy
from lifelines import CoxPHFitter, WeibullAFTFitter
from lifelines.statistics import proportional_hazard_test

warnings.simplefilter("ignore")

HERE = pathlib.Path(__file__).resolve().parent
COVARIATES = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
TIMES = [1.0, 8.0, 20.0, 35.5, 52.0]
EXACT = {"precision": 1e-12, "r_precision": 0.0, "max_steps": 200}


def floats(xs):
    return [float(x) for x in np.asarray(xs).ravel()]


def cox(df, **kwargs):
    strata = kwargs.pop("strata", None)
    robust = kwargs.pop("robust", False)
    cph = CoxPHFitter(strata=strata)
    cph.fit(df, "week", "arrest", robust=robust, fit_options=EXACT, **kwargs)
    covs = [c for c in COVARIATES if c in cph.params_.index]
    out = {
        "covariates": covs,
        "coef": floats(cph.params_[covs]),
        "se": floats(cph.standard_errors_[covs]),
        "log_likelihood": float(cph.log_likelihood_),
        "null_log_likelihood": float(cph._ll_null_),
        "concordance": float(cph.concordance_index_),
        "means": floats(cph._norm_mean[covs]),
    }
    s = cph.summary.loc[covs]
    out["summary"] = {
        "exp_coef": floats(s["exp(coef)"]),
        "exp_coef_lower_95": floats(s["exp(coef) lower 95%"]),
        "exp_coef_upper_95": floats(s["exp(coef) upper 95%"]),
        "z": floats(s["z"]),
        "p": floats(s["p"]),
    }
    lr = cph.log_likelihood_ratio_test()
    out["log_likelihood_ratio_test"] = {
        "statistic": float(lr.test_statistic),
        "p_value": float(lr.p_value),
        "degrees_of_freedom": int(lr.degrees_freedom),
    }
    # Baseline cumulative hazard and survival (at the covariate means), a step function:
    # the value at t is the row of the last index time <= t.
    def step(frame, col):
        idx = frame.index.to_numpy()
        vals = frame[col].to_numpy()
        return [float(vals[idx <= t][-1]) if (idx <= t).any() else 0.0 for t in TIMES]

    if strata is None:
        out["baseline_cumulative_hazard"] = step(cph.baseline_cumulative_hazard_, cph.baseline_cumulative_hazard_.columns[0])
        out["baseline_survival"] = step(cph.baseline_survival_, cph.baseline_survival_.columns[0])
    else:
        out["baseline_survival_by_stratum"] = {
            str(k): step(cph.baseline_survival_, k) for k in cph.baseline_survival_.columns
        }
    rows = df.iloc[:3]
    sf = cph.predict_survival_function(rows, times=TIMES)
    out["predict_rows"] = [int(i) for i in range(3)]
    out["predict_survival"] = [floats(sf.iloc[:, j]) for j in range(3)]
    return cph, out


def main():
    rossi = pd.read_csv(HERE / "rossi.csv")
    assert list(rossi.columns) == ["week", "arrest"] + COVARIATES and len(rossi) == 432
    expected = {
        "versions": {
            "lifelines": lifelines.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "scipy": scipy.__version__,
        },
        "times": TIMES,
    }

    cph, expected["efron"] = cox(rossi)
    ph = {}
    for transform in ["rank", "identity", "log", "km"]:
        res = proportional_hazard_test(cph, rossi, time_transform=transform)
        ph[transform] = {
            "statistic": floats(res.summary.loc[expected["efron"]["covariates"], "test_statistic"]),
            "p_value": floats(res.summary.loc[expected["efron"]["covariates"], "p"]),
        }
    expected["efron"]["proportional_hazard_test"] = ph

    distinct = rossi.copy()
    distinct["week"] = distinct["week"] + np.arange(len(distinct)) / 1000.0
    _, expected["distinct"] = cox(distinct)
    cph_r, robust = cox(distinct, robust=True)
    expected["distinct"]["robust_se"] = robust["se"]

    _, expected["strata_wexp"] = cox(rossi, strata=["wexp"])

    weighted = rossi.copy()
    weighted["w"] = 1.0 + (np.arange(len(weighted)) % 3) / 2.0
    _, expected["weighted"] = cox(weighted, weights_col="w")

    aft = WeibullAFTFitter()
    aft._scipy_fit_options = {"ftol": 1e-14, "maxiter": 1000}
    aft.fit(rossi, "week", "arrest")
    lam = aft.params_.loc["lambda_"]
    expected["weibull_aft"] = {
        "covariates": COVARIATES,
        "lambda_coef": floats(lam[COVARIATES]),
        "lambda_intercept": float(lam["Intercept"]),
        "rho_intercept": float(aft.params_.loc[("rho_", "Intercept")]),
        "lambda_se": floats(aft.standard_errors_.loc["lambda_"][COVARIATES]),
        "lambda_intercept_se": float(aft.standard_errors_.loc[("lambda_", "Intercept")]),
        "rho_intercept_se": float(aft.standard_errors_.loc[("rho_", "Intercept")]),
        "log_likelihood": float(aft.log_likelihood_),
        "concordance": float(aft.concordance_index_),
    }

    (HERE / "rossi_expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
