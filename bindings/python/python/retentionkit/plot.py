"""Plots of retentionkit's tables (matplotlib, the ``plot`` extra: ``pip install "./bindings/python[plot]"``).

Each function draws on ``ax`` (a new figure's axes when None) and returns the axes.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            'retentionkit.plot needs matplotlib: pip install "./bindings/python[plot]"'
        ) from err
    _, ax = plt.subplots(figsize=(8, 5))
    return ax


def _since(matrix: pd.DataFrame) -> str:
    """The x label of a cohort matrix: ``months since acquisition`` for a monthly one."""
    g = matrix.attrs.get("granularity")
    return f"{g}s since acquisition" if g else "periods since acquisition"


def cohort_heatmap(
    matrix: pd.DataFrame, ax: Any = None, *, annotate: bool = True, fmt: Optional[str] = None
) -> Any:
    """Heatmap of a cohort matrix (:func:`retentionkit.cohort_matrix`); unobserved cells stay blank.

    The colour scale spans the cells after period 0: period 0 of a retention
    matrix is 100 % for every cohort and would squeeze every later cell into
    one colour, so it is drawn at the top colour and labelled with its value.
    Rows are labelled with the cohort and its size, the x axis with the
    matrix's period (``months since acquisition``). ``fmt`` formats the cell
    labels (default: percentages for fractions, whole numbers otherwise).

    >>> import retentionkit as rk, retentionkit.plot as rkp
    >>> m = rk.cohort_matrix(rk.TransactionLog.from_columns([1, 2, 1], ["2024-01-02", "2024-02-03", "2024-02-09"]))
    >>> ax = rkp.cohort_heatmap(m)
    >>> ax.get_title(), ax.get_xlabel(), [t.get_text() for t in ax.get_yticklabels()]
    ('Cohort retention', 'months since acquisition', ['2024-01 (n=1)', '2024-02 (n=1)'])
    """
    ax = _axes(ax)
    values = matrix.to_numpy(dtype=float)
    later = values[:, 1:] if values.shape[1] > 1 else values
    finite = later[np.isfinite(later)]
    top = float(finite.max()) if finite.size and finite.max() > 0 else float(np.nanmax(values, initial=1.0))
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap="viridis", vmin=0.0, vmax=top)
    ax.set_xticks(range(values.shape[1]))
    ax.set_xticklabels([str(c) for c in matrix.columns])
    ax.set_yticks(range(values.shape[0]))
    sizes = matrix.attrs.get("cohort_sizes")
    if sizes is not None and len(sizes) == len(matrix.index):
        ax.set_yticklabels([f"{i} (n={n:,})" for i, n in zip(matrix.index, sizes)])
    else:
        ax.set_yticklabels([str(i) for i in matrix.index])
    ax.set_xlabel(_since(matrix))
    ax.set_ylabel("cohort (customers)")
    ax.set_title("Cohort retention")
    if fmt is None:
        fmt = "{:.0%}" if matrix.attrs.get("values", "fraction") == "fraction" else "{:,.0f}"
    if annotate and values.size <= 400:
        for (r, c), v in np.ndenumerate(values):
            if not np.isnan(v):
                shade = "black" if v >= 0.6 * top else "white"
                ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=9, color=shade)
    bar = ax.figure.colorbar(image, ax=ax)
    bar.set_label("share of the cohort active" if fmt.endswith("%}") else "value")
    return ax


def retention_curves(matrix: pd.DataFrame, ax: Any = None, *, cohorts: Optional[Sequence[Any]] = None) -> Any:
    """One retention curve per cohort (rows of a cohort matrix) and their mean over observed cells."""
    ax = _axes(ax)
    rows = matrix if cohorts is None else matrix.loc[list(cohorts)]
    for label, row in rows.iterrows():
        ax.plot(row.index, row.to_numpy(dtype=float), alpha=0.35, linewidth=1, label=str(label))
    ax.plot(matrix.columns, matrix.mean(axis=0, skipna=True).to_numpy(), color="black", linewidth=2.5, label="mean")
    ax.set_xlabel(_since(matrix))
    ax.set_ylabel("share of cohort active")
    ax.set_title("Retention curves")
    if len(rows) <= 12:
        ax.legend(fontsize=7)
    return ax


def hazard_ratios(fit: Any, ax: Any = None) -> Any:
    """Hazard ratios of a Cox fit (:func:`retentionkit.cox_ph`) with their intervals, on a log scale.

    One row per covariate: a point at ``hazard_ratio`` and a line from ``hazard_ratio_lower`` to
    ``hazard_ratio_upper``; the dashed line at 1 is "no effect".

    >>> import pandas as pd, retentionkit as rk, retentionkit.plot as rkp
    >>> df = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 0, 1, 1, 0], "x": [1.0, 0, 1, 0, 0, 1]})
    >>> ax = rkp.hazard_ratios(rk.cox_ph(df, "t", "e"))
    >>> ax.get_xscale(), [t.get_text() for t in ax.get_yticklabels()]
    ('log', ['x'])
    """
    ax = _axes(ax)
    s = fit.summary
    y = np.arange(len(s))[::-1]
    ax.hlines(y, s["hazard_ratio_lower"], s["hazard_ratio_upper"], color="C0")
    ax.plot(s["hazard_ratio"], y, "o", color="C0")
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(y)
    ax.set_yticklabels([str(i) for i in s.index])
    ax.set_xlabel("hazard ratio (log scale)")
    ax.set_title("Hazard ratios")
    return ax


def survival_curve(
    curve: pd.DataFrame, ax: Any = None, *, observed: Optional[Sequence[float]] = None, label: str = "model"
) -> Any:
    """A survival curve (the ``survival`` column of :meth:`ShiftedBetaGeometric.curves`), with observed survivors.

    ``observed`` are survivor counts (the first is the starting number) or shares.
    """
    ax = _axes(ax)
    ax.step(curve.index, curve["survival"], where="post", label=label)
    if observed is not None:
        obs = np.asarray(observed, dtype=float)
        if obs.size and obs[0] > 1:
            obs = obs / obs[0]
        ax.plot(np.arange(obs.size), obs, "o", color="black", label="observed")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("period")
    ax.set_ylabel("share surviving")
    ax.set_title("Survival")
    ax.legend()
    return ax


def tracking(
    track: pd.DataFrame, ax: Any = None, *, calibration_end: Any = None, incremental: bool = False
) -> Any:
    """The model tracking plot: expected against actual cumulative repeat purchases (a model's ``tracking``).

    ``calibration_end`` (a date) draws a vertical line where the fit's data
    ends: left of it the model was fitted, right of it it predicts.
    ``incremental=True`` draws the purchases between consecutive dates of the
    curve instead of the running totals (the first point counts from the
    start).

    >>> import retentionkit as rk, retentionkit.plot as rkp
    >>> log = rk.TransactionLog.from_columns([1, 1, 2, 2, 1], ["2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01", "2024-04-01"])
    >>> track = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426).tracking(log, ["2024-02-01", "2024-05-01"], unit="weeks")
    >>> ax = rkp.tracking(track, calibration_end="2024-03-01")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['actual', 'model', 'calibration end']
    """
    ax = _axes(ax)
    shown = track[["actual", "expected"]].astype(float)
    if incremental:
        shown = shown.diff().fillna(shown.iloc[:1])
    ax.plot(track.index, shown["actual"], color="black", label="actual")
    ax.plot(track.index, shown["expected"], linestyle="--", label="model")
    if calibration_end is not None:
        ax.axvline(pd.Timestamp(calibration_end), color="grey", linestyle=":", label="calibration end")
    ax.set_xlabel("date")
    ax.set_ylabel("repeat purchases since the previous date" if incremental else "cumulative repeat purchases")
    ax.set_title("Tracking: model against actual")
    ax.legend()
    return ax


def holdout_by_frequency(evaluation: Any, ax: Any = None) -> Any:
    """Mean actual against expected holdout purchases by calibration frequency (a model's
    :meth:`~retentionkit.BetaGeo.evaluate`): the diagnostic of Fader, Hardie & Lee (2005),
    figure 4; the last group is 7 or more purchases.

    >>> import retentionkit as rk, retentionkit.plot as rkp
    >>> table = {"frequency": [0, 1, 9], "recency": [0.0, 3.0, 20.0], "T": [10.0, 12.0, 24.0],
    ...          "frequency_holdout": [0, 1, 4], "duration_holdout": [13.0, 13.0, 13.0]}
    >>> ev = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426).evaluate(table)
    >>> ax = rkp.holdout_by_frequency(ev)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0', '1', '7+']
    """
    ax = _axes(ax)
    by = evaluation.by_frequency
    x = np.arange(len(by))
    ax.plot(x, by["mean_actual"].to_numpy(), "o-", color="black", label="actual")
    ax.plot(x, by["mean_predicted"].to_numpy(), "s--", label="model")
    ax.set_xticks(x)
    ax.set_xticklabels(["7+" if f >= 7 else str(f) for f in by.index])
    ax.set_xlabel("purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout")
    ax.set_title("Holdout purchases by calibration frequency")
    ax.legend()
    return ax


def _grid(model: Any, max_frequency: int, T: float, cells: int) -> Any:
    """Frequencies 0..max_frequency, recencies on ``cells`` steps of (0, T], and the mask
    of possible customers (x = 0 only with recency 0; x >= 1 with recency > 0)."""
    x = np.arange(max_frequency + 1)
    r = np.linspace(0.0, T, cells + 1)
    xx, rr = np.meshgrid(x, r, indexing="ij")
    ok = (xx == 0) == (rr == 0)
    return xx, rr, ok


def _matrix(values: np.ndarray, T: float, ax: Any, title: str, label: str, vmax: Optional[float]) -> Any:
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", origin="lower", cmap="viridis",
                      vmin=0.0, vmax=vmax, extent=(0.0, T, -0.5, values.shape[0] - 0.5))
    ax.set_xlabel("recency (time of the last purchase)")
    ax.set_ylabel("frequency (repeat purchases)")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax).set_label(label)
    return ax


def probability_alive_matrix(
    model: Any, T: float, ax: Any = None, *, max_frequency: int = 20, cells: int = 100
) -> Any:
    """P(alive) of a customer of age ``T`` for every frequency 0..``max_frequency`` and
    recency in (0, T] (lifetimes' ``plot_probability_alive_matrix``); impossible cells
    (no repeat purchase but a recency above 0, and the reverse) stay blank.

    >>> import retentionkit as rk, retentionkit.plot as rkp
    >>> m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="weeks")
    >>> ax = rkp.probability_alive_matrix(m, 39.0, max_frequency=5)
    >>> ax.images[0].get_clim()
    (0.0, 1.0)
    """
    ax = _axes(ax)
    xx, rr, ok = _grid(model, max_frequency, T, cells)
    values = np.full(xx.shape, np.nan)
    values[ok] = model.conditional_probability_alive(xx[ok], rr[ok], np.full(int(ok.sum()), T))
    return _matrix(values, T, ax, f"Probability alive at T = {T:g} {model.unit}", "P(alive)", 1.0)


def frequency_recency_matrix(
    model: Any, T: float, t: float, ax: Any = None, *, max_frequency: int = 20, cells: int = 100
) -> Any:
    """Expected purchases in the next ``t`` of a customer of age ``T`` for every frequency
    and recency (lifetimes' ``plot_frequency_recency_matrix``); impossible cells stay blank.

    >>> import retentionkit as rk, retentionkit.plot as rkp
    >>> m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="weeks")
    >>> ax = rkp.frequency_recency_matrix(m, 39.0, 13.0, max_frequency=5)
    >>> ax.get_ylabel()
    'frequency (repeat purchases)'
    """
    ax = _axes(ax)
    xx, rr, ok = _grid(model, max_frequency, T, cells)
    values = np.full(xx.shape, np.nan)
    values[ok] = model.conditional_expected_number_of_purchases_up_to_time(
        t, xx[ok], rr[ok], np.full(int(ok.sum()), T)
    )
    return _matrix(values, T, ax, f"Expected purchases in the next {t:g} {model.unit}", "expected purchases", None)


def period_transactions(model: Any, summary: Any, ax: Any = None, *, seed: int = 0, max_frequency: int = 7) -> Any:
    """Customers by number of repeat purchases, actual against drawn from the model for
    customers of the same ages (lifetimes' ``plot_period_transactions``); the last bar
    pools ``max_frequency`` or more.

    >>> import retentionkit as rk, retentionkit.plot as rkp
    >>> s = {"frequency": [0, 1, 3], "recency": [0.0, 5.0, 30.0], "T": [39.0, 39.0, 39.0]}
    >>> ax = rkp.period_transactions(rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426), s, max_frequency=3)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0', '1', '2', '3+']
    """
    from .models import _col

    ax = _axes(ax)
    actual = np.asarray(_col(summary, "frequency", "frequency", "the plot"), dtype=np.int64)
    sim = model.simulate(_col(summary, "T", "T", "the plot"), seed=seed)
    bins = np.arange(max_frequency + 1)
    count = lambda x: np.bincount(np.minimum(np.asarray(x, dtype=np.int64), max_frequency), minlength=max_frequency + 1)
    ax.bar(bins - 0.2, count(actual), width=0.4, color="black", label="actual")
    ax.bar(bins + 0.2, count(sim["frequency"]), width=0.4, label="model")
    ax.set_xticks(bins)
    ax.set_xticklabels([f"{b}+" if b == max_frequency else str(b) for b in bins])
    ax.set_xlabel("repeat purchases")
    ax.set_ylabel("customers")
    ax.set_title("Customers by repeat purchases: actual and simulated")
    ax.legend()
    return ax
