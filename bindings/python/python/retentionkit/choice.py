"""Choosing a model: the core's scorecard and likelihood-ratio test (``models::choice``).

AIC, BIC, ``n_parameters`` and ``n_observations`` are attributes of every fitted model
(``BetaGeo().fit(s).aic``); these functions compare fits. Source: docs/metrics.md,
"Choosing a model".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _retentionkit as _rk
from .models import _col, _f64, _u32, _Model

__all__ = ["scorecard", "likelihood_ratio_test"]


def scorecard(
    table: Any,
    models: Optional[Sequence[str]] = None,
    *,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
    frequency_holdout: str = "frequency_holdout",
    duration_holdout: str = "duration_holdout",
    penalizer: float = 0.0,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
) -> "pd.DataFrame":
    """Fit several repeat models on one calibration/holdout table and score them.

    ``table`` is what :func:`calibration_and_holdout` returns (or lifetimes'
    ``calibration_and_holdout_data``). ``models`` are core names (``"bg_nbd"``,
    ``"mbg_nbd"``, ``"pareto_nbd"``; default all three). One row per model, indexed by
    its name: ``label``, ``status``, ``params`` (a dict), ``log_likelihood``,
    ``n_parameters``, ``n_observations``, ``aic``, ``bic``, the holdout ``mae``,
    ``rmse`` and ``bias``, and ``best``. ``attrs["best"]`` names the best model by
    the core's rule, ``attrs["rule"]`` states it, and ``attrs["by_frequency"]`` holds
    per model the columns ``frequency``, ``customers``, ``mean_actual`` and
    ``mean_predicted`` by calibration frequency (0..6 and 7 for 7+).
    """
    need = "the scorecard"
    durations = _f64(_col(table, duration_holdout, "duration_holdout", need))
    if durations.size and bool((durations != durations[0]).any()):
        row = int(np.flatnonzero(durations != durations[0])[0])
        raise _rk.InvalidValueError(
            f"column `{duration_holdout}`, row {row}: {float(durations[row])!r} differs from row 0's "
            f"{float(durations[0])!r}: the holdout has one length for every customer",
            column=duration_holdout,
            row=row,
        )
    d = _rk.scorecard(
        _u32(_col(table, frequency, "frequency", need), frequency),
        _f64(_col(table, recency, "recency", need)),
        _f64(_col(table, T, "T", need)),
        _u32(_col(table, frequency_holdout, "frequency_holdout", need), frequency_holdout),
        float(durations[0]) if durations.size else 0.0,
        None if models is None else [str(m) for m in models],
        max_iterations,
        tolerance,
        penalizer,
    )
    rows = d["rows"]
    out = pd.DataFrame(
        {
            "label": [r["label"] for r in rows],
            "status": [r["status"] for r in rows],
            "params": [dict(zip(r["names"], r["params"])) for r in rows],
            "log_likelihood": [r["log_likelihood"] for r in rows],
            "n_parameters": [r["parameters"] for r in rows],
            "n_observations": [r["observations"] for r in rows],
            "aic": [r["aic"] for r in rows],
            "bic": [r["bic"] for r in rows],
            "mae": [r["mae"] for r in rows],
            "rmse": [r["rmse"] for r in rows],
            "bias": [r["bias"] for r in rows],
            "best": [r["model"] == d["best"] for r in rows],
        },
        index=pd.Index([r["model"] for r in rows], name="model"),
    )
    out.attrs["best"] = d["best"]
    out.attrs["rule"] = d["rule"]
    out.attrs["by_frequency"] = {
        r["model"]: {k: np.asarray(v).tolist() for k, v in r["by_frequency"].items()} for r in rows
    }
    return out


def likelihood_ratio_test(full: _Model, restricted: Any, *, boundary: bool = False) -> Dict[str, Any]:
    """The likelihood-ratio test of ``restricted`` nested in ``full`` (the core's).

    ``full`` is a fitted model. ``restricted`` is a model fitted on the same data, or a
    pair ``(log_likelihood, n_parameters)``: for typed-in parameters, their
    ``log_likelihood_of`` the same data with ``n_parameters=0``. ``boundary=True``
    applies Self & Liang's 50:50 mixture for one restricted parameter on the boundary
    of the full model's space. Returns ``statistic``, ``degrees_of_freedom``,
    ``p_value`` and ``boundary``; raises :class:`InvalidArgumentError` for fits of
    different data or a pair that is not nested.

    >>> import retentionkit as rk
    >>> # 2 (LL1 - LL0) = 6 on 2 degrees of freedom: p = exp(-3) (chi-square with 2 df).
    >>> full = rk.BetaGeo().fit({"frequency": [0, 2, 5, 1], "recency": [0.0, 20.0, 35.0, 5.0], "T": [40.0, 38.0, 39.0, 30.0]})
    >>> t = rk.likelihood_ratio_test(full, (full.log_likelihood - 3.0, 2))
    >>> (t["degrees_of_freedom"], round(t["p_value"], 6))
    (2, 0.049787)
    """

    def triple(m: Any, n: Optional[float]) -> tuple:
        if isinstance(m, _Model):
            if m.log_likelihood is None or m.n_parameters is None or m.n_observations is None:
                raise _rk.InvalidArgumentError(
                    "argument `model`: typed-in parameters have no fit; pass (log_likelihood, 0)",
                    argument="model",
                )
            return (m.log_likelihood, m.n_parameters, m.n_observations)
        ll, k = m
        return (float(ll), int(k), float(n if n is not None else 0.0))

    f = triple(full, None)
    return dict(_rk.likelihood_ratio_test(f, triple(restricted, f[2]), boundary))
