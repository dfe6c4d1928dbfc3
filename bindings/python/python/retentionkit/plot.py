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


def cohort_heatmap(matrix: pd.DataFrame, ax: Any = None, *, annotate: bool = True, fmt: str = "{:.0%}") -> Any:
    """Heatmap of a cohort matrix (:func:`retentionkit.cohort_matrix`); unobserved cells stay blank.

    >>> import retentionkit as rk, retentionkit.plot as rkp
    >>> m = rk.cohort_matrix(rk.TransactionLog.from_columns([1, 2, 1], ["2024-01-02", "2024-02-03", "2024-02-09"]))
    >>> ax = rkp.cohort_heatmap(m)
    >>> ax.get_title()
    'Cohort retention'
    """
    ax = _axes(ax)
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap="viridis", vmin=0.0)
    ax.set_xticks(range(values.shape[1]))
    ax.set_xticklabels([str(c) for c in matrix.columns])
    ax.set_yticks(range(values.shape[0]))
    ax.set_yticklabels([str(i) for i in matrix.index])
    ax.set_xlabel("periods since acquisition")
    ax.set_ylabel("cohort")
    ax.set_title("Cohort retention")
    if annotate and values.size <= 400:
        for (r, c), v in np.ndenumerate(values):
            if not np.isnan(v):
                shade = "black" if v >= 0.6 * np.nanmax(values) else "white"
                ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=7, color=shade)
    ax.figure.colorbar(image, ax=ax)
    return ax


def retention_curves(matrix: pd.DataFrame, ax: Any = None, *, cohorts: Optional[Sequence[Any]] = None) -> Any:
    """One retention curve per cohort (rows of a cohort matrix) and their mean over observed cells."""
    ax = _axes(ax)
    rows = matrix if cohorts is None else matrix.loc[list(cohorts)]
    for label, row in rows.iterrows():
        ax.plot(row.index, row.to_numpy(dtype=float), alpha=0.35, linewidth=1, label=str(label))
    ax.plot(matrix.columns, matrix.mean(axis=0, skipna=True).to_numpy(), color="black", linewidth=2.5, label="mean")
    ax.set_xlabel("periods since acquisition")
    ax.set_ylabel("share of cohort active")
    ax.set_title("Retention curves")
    if len(rows) <= 12:
        ax.legend(fontsize=7)
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


def tracking(track: pd.DataFrame, ax: Any = None) -> Any:
    """The model tracking plot: expected against actual cumulative repeat purchases (a model's ``tracking``)."""
    ax = _axes(ax)
    ax.plot(track.index, track["actual"], color="black", label="actual")
    ax.plot(track.index, track["expected"], linestyle="--", label="model")
    ax.set_xlabel("date")
    ax.set_ylabel("cumulative repeat purchases")
    ax.set_title("Tracking: model against actual")
    ax.legend()
    return ax
