"""Retention models fitted by maximum likelihood.

Each model is a class: construct it from known parameters
(``BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)``) or fit it
(``BetaGeo().fit(summary)``); a fitted model has ``params``,
``log_likelihood``, ``status`` and ``summary()``. Prediction methods take
arrays (or Series) and return numpy arrays; method names follow lifetimes.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Tuple, Union

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input
from . import _retentionkit as _rk
from ._log import LogLike, as_log, column_of, columns_of

__all__ = [
    "BetaGeo",
    "BgNbd",
    "ModifiedBetaGeo",
    "MbgNbd",
    "ParetoNBD",
    "ParetoNbd",
    "BetaGeoBetaBinom",
    "BgBb",
    "GammaGamma",
    "ShiftedBetaGeometric",
    "Sbg",
    "BetaGeoCNBD",
    "BgCnbd",
    "ModifiedBetaGeoCNBD",
    "MbgCnbd",
    "HoldoutEvaluation",
]


def _u32(values: Any, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.floor(arr)) | (arr < 0)
    elif arr.dtype.kind in "iu":
        bad = arr < 0
    else:
        raise _rk.InvalidArgumentError(f"argument `{name}`: expected counts, got dtype {arr.dtype}", argument=name)
    if bool(np.any(bad)) or (arr.size and float(np.max(arr)) > 4_294_967_295):
        row = int(np.flatnonzero(np.atleast_1d(bad | (arr > 4_294_967_295)))[0])
        raise _rk.InvalidValueError(
            f"column `{name}`, row {row}: {np.atleast_1d(arr)[row]!r} is not a count (a whole number >= 0)",
            column=name,
            row=row,
        )
    return np.ascontiguousarray(np.atleast_1d(arr), dtype=np.uint32)


def _f64(values: Any) -> np.ndarray:
    return np.ascontiguousarray(np.atleast_1d(np.asarray(values, dtype=np.float64)))


def _weights(values: Any) -> Optional[np.ndarray]:
    if values is None:
        return None
    return _u32(values, "weights").astype(np.uint64)


def _col(data: Any, name: str, argument: Optional[str] = None, needed_for: str = "the fit") -> Any:
    """The column ``name`` of a summary table.

    ``argument`` is the keyword that names the column: when ``name`` is that
    keyword's default (the argument's own name, such as ``frequency``) and the
    table has no such column but has ``name + "_cal"``, the table is a
    calibration/holdout table (:func:`calibration_and_holdout`) and the
    calibration column is used. A missing column raises
    :class:`MissingColumnError` listing the columns the table has.
    """
    cols = columns_of(data)
    if cols is not None and name not in cols and name == argument and f"{name}_cal" in cols:
        name = f"{name}_cal"
    return column_of(data, name, needed_for, argument)


def _who(data: Any, row: int) -> str:
    """`` (customer 10244)`` for a row of a summary: its ``customer_id`` column's
    value, else its pandas index label when the index is not a plain range
    (:func:`summary` indexes by customer id); empty otherwise."""
    cols = columns_of(data)
    if cols is not None and "customer_id" in cols:
        return f" (customer {np.asarray(data['customer_id'])[row]})"
    index: Any = getattr(data, "index", None)
    if _input._is_pandas(index) and not (isinstance(index, pd.RangeIndex) and index.name is None):
        return f" (customer {index[row]})"
    return ""


def _table_like(columns: Dict[str, Any], like: Any) -> Any:
    """Per-row results in the caller's library: a polars DataFrame for a polars table (same row
    order), else a pandas DataFrame indexed like ``like`` (a range for a dict of columns)."""
    if _input._is_polars(like):
        import polars as pl

        return pl.DataFrame(columns)
    return pd.DataFrame(columns, index=getattr(like, "index", None))


def _series_like(values: np.ndarray, name: str, like: Any) -> Any:
    """One per-row result in the caller's library (see :func:`_table_like`)."""
    if _input._is_polars(like):
        import polars as pl

        return pl.Series(name, values)
    return pd.Series(values, index=getattr(like, "index", None), name=name)


def _covariate_sources(table: Any, names: Sequence[str]) -> list:
    """The columns of ``table`` that covariate ``names`` come from: a name itself, or the part
    before ``=`` of an encoded categorical column (``channel=web``), in first-seen order."""
    cols = columns_of(table)
    out: list = []
    for n in names:
        src = n
        if cols is not None and n not in cols and "=" in n and n.split("=", 1)[0] in cols:
            src = n.split("=", 1)[0]
        if src not in out:
            out.append(src)
    return out


def _covariate_columns(table: Any, sources: Sequence[str], reference: Dict[str, str]) -> Tuple[list, list]:
    """The native module's numeric and categorical covariate columns of ``table``."""
    numeric, categorical = [], []
    for src in sources:
        arr = np.asarray(column_of(table, src, "the covariates"))
        if arr.dtype.kind in "iufb":
            numeric.append((src, _f64(arr.astype(np.float64))))
        else:
            missing = pd.isna(arr)
            if bool(np.any(missing)):
                row = int(np.flatnonzero(missing)[0])
                raise _rk.InvalidValueError(
                    f"column `covariates`, row {row}: covariate `{src}` is missing", column="covariates", row=row
                )
            categorical.append((src, [str(v) for v in arr], reference.get(src)))
    return numeric, categorical


@dataclasses.dataclass(frozen=True)
class HoldoutEvaluation:
    """A model's expected against actual holdout purchases (:meth:`BetaGeo.evaluate`).

    ``predicted`` and ``actual`` per customer (indexed like the table);
    ``mae``, ``rmse`` and ``bias`` (mean predicted − actual: positive when the
    model over-predicts) over customers; ``by_frequency``: customers and mean
    actual and predicted holdout purchases by calibration frequency 0..6 and
    7 (standing for 7 or more), rows without customers left out.
    """

    predicted: Any
    actual: Any
    total_predicted: float
    total_actual: float
    mae: float
    rmse: float
    bias: float
    by_frequency: "pd.DataFrame"


class FitWarning(UserWarning):
    """A fit whose parameters should not be trusted as they stand (status ``'at_boundary'``)."""

class _Model:
    """Shared parameter handling, summary and repr."""

    _names: Tuple[str, ...] = ()
    _label = ""
    _cov_methods = "customer_params"

    def __init__(self, **params: float) -> None:
        self._fit: Optional[Dict[str, Any]] = None
        self._params: Optional[Tuple[float, ...]] = None
        if params:
            missing = [n for n in self._names if n not in params]
            extra = [n for n in params if n not in self._names]
            if missing or extra:
                raise _rk.InvalidArgumentError(
                    f"argument `params`: {self._label} takes {', '.join(self._names)}"
                    f" (missing {missing}, unknown {extra})", argument="params"
                )
            values = tuple(float(params[n]) for n in self._names)
            self._check(values)
            self._params = values

    def _check(self, values: Tuple[float, ...]) -> None:
        for n, v in zip(self._names, values):
            if not (np.isfinite(v) and v > 0):
                raise _rk.InvalidArgumentError(f"argument `{n}`: {v} must be finite and positive", argument=n)

    def _store(self, fit: Dict[str, Any]) -> None:
        self._fit = fit
        self._params = tuple(fit["params"])
        if fit.get("warning"):
            # The core's text for the status (FitStatus::warning), e.g. at_boundary.
            warnings.warn(f"{self._label} fit: {fit['warning']}", FitWarning, stacklevel=3)

    @property
    def _p(self) -> list:
        if getattr(self, "_cov", None) is not None:
            raise _rk.InvalidArgumentError(
                f"argument `self`: the {self._label} model was fitted with covariates, and this method"
                " has no per-customer form; use the methods that take `covariates=`"
                f" ({self._cov_methods})",
                argument="self",
            )
        if self._params is None:
            raise _rk.InvalidArgumentError(
                f"argument `self`: the {self._label} model has no parameters; fit it or pass them", argument="self"
            )
        return list(self._params)

    @property
    def _base(self) -> list:
        """The parameters, the population's for a fit with covariates."""
        if self._params is None:
            return self._p
        return list(self._params)

    @property
    def params(self) -> Dict[str, float]:
        """The parameters by name (with covariates: the population's, α₀, β₀, a₀, b₀)."""
        return dict(zip(self._names, self._base))

    @property
    def standard_errors(self) -> Optional[Dict[str, float]]:
        """Standard errors from the inverse observed information (None when not available)."""
        if self._fit is None or self._fit["standard_errors"] is None:
            return None
        return dict(zip(self._names, self._fit["standard_errors"]))

    @property
    def log_likelihood(self) -> Optional[float]:
        """Log-likelihood at the fitted parameters (None for typed-in parameters)."""
        return None if self._fit is None else float(self._fit["log_likelihood"])

    @property
    def n_parameters(self) -> Optional[int]:
        """Free parameters k counted by the fit (None for typed-in parameters)."""
        return None if self._fit is None else int(self._fit["parameters"])

    @property
    def n_observations(self) -> Optional[float]:
        """Observations n the fit saw: customers, weights counted (the repeat buyers for
        Gamma-Gamma, the cohort for sBG); None for typed-in parameters."""
        return None if self._fit is None else float(self._fit["observations"])

    @property
    def aic(self) -> Optional[float]:
        """Akaike's information criterion 2k − 2 LL of the fit (the core's; None for typed-in parameters)."""
        return None if self._fit is None else float(self._fit["aic"])

    @property
    def bic(self) -> Optional[float]:
        """Schwarz's Bayesian information criterion k ln n − 2 LL of the fit (None for typed-in parameters)."""
        return None if self._fit is None else float(self._fit["bic"])

    @property
    def status(self) -> str:
        """The core's fit status name: ``'converged'``, ``'max_iterations'``,
        ``'line_search_failed'``, ``'at_boundary'`` (the estimate ran off to a limit model; the
        fit also warns with :class:`FitWarning`), or ``'given'`` for typed-in parameters."""
        return "given" if self._fit is None else str(self._fit["status"])

    @property
    def iterations(self) -> int:
        """Optimiser iterations used by the fit (0 for typed-in parameters)."""
        return 0 if self._fit is None else int(self._fit["iterations"])

    def summary(self) -> pd.DataFrame:
        """Parameters with standard errors and 95 % Wald bounds, as lifetimes' ``summary``."""
        coef = np.array(self._base)
        se = self.standard_errors
        s = np.array([se[n] for n in self._names]) if se else np.full(len(coef), np.nan)
        return pd.DataFrame(
            {
                "coef": coef,
                "se(coef)": s,
                "lower 95% bound": coef - 1.96 * s,
                "upper 95% bound": coef + 1.96 * s,
            },
            index=pd.Index(self._names, name="parameter"),
        )

    def __repr__(self) -> str:
        name = type(self).__name__
        if self._params is None:
            return f"<{name}: not fitted>"
        ps = ", ".join(f"{n}={v:.6g}" for n, v in zip(self._names, self._params))
        if self._fit is None:
            return f"<{name}: {ps} (given)>"
        return f"<{name}: {ps}, log_likelihood={self._fit['log_likelihood']:.6g}, {self._fit['status']}>"


class _WithCovariates(_Model):
    """A model that can be fitted with time-invariant covariates (the core's ``models::covariates``):
    the effects, each row's own parameters, and the check that a prediction got its covariates."""

    #: (key of the fit's dict, process label) of the model's lists of effects.
    _processes: Tuple[Tuple[str, str], ...] = (("purchase", "purchase"), ("dropout", "dropout"))

    def _cov_setup(
        self, table: Any, names: Sequence[str], reference: Optional[Dict[str, str]]
    ) -> Tuple[list, list]:
        self._reference = dict(reference or {})
        self._sources = _covariate_sources(table, list(names))
        return _covariate_columns(table, self._sources, self._reference)

    def _cov_rows(self, covariates: Any) -> Tuple[Any, list, list, int]:
        cov = self._need_cov(covariates)
        numeric, categorical = _covariate_columns(covariates, self._sources, self._reference)
        rows = len(np.asarray(column_of(covariates, self._sources[0], "the covariates")))
        return cov, numeric, categorical, rows

    def _need_cov(self, covariates: Any) -> Any:
        cov = getattr(self, "_cov", None)
        if cov is None:
            raise _rk.InvalidArgumentError(
                "argument `covariates`: the model was not fitted with covariates", argument="covariates"
            )
        if covariates is None:
            raise _rk.InvalidArgumentError(
                "argument `covariates`: the model was fitted with covariates; give the customers' covariates",
                argument="covariates",
            )
        return cov

    @property
    def effects(self) -> pd.DataFrame:
        """The covariate effects γ with standard errors, z values and 95 % Wald bounds, indexed by
        (process, covariate); ``shared`` marks an effect of ``equal=``. Empty without covariates.

        A positive purchase effect raises the purchase rate (α_i = α₀ e^(−γ z)); a positive
        Pareto/NBD dropout effect raises the dropout rate (β_i = β₀ e^(−γ z)); a BG/NBD dropout
        effect scales a and b together (a_i = a₀ e^(γ z), b_i = b₀ e^(γ z)), as in CLVTools.
        Gamma-Gamma (process ``spend``): γ_i = γ₀ e^(δ z), the mean spend e^(δ z) times the
        population's. sBG (processes ``alpha`` and ``beta``): α_i = α₀ e^(γ z), β_i = β₀ e^(γ z).
        """
        rows = []
        fit = self._fit or {}
        for key, process in self._processes:
            e = fit.get(key)
            if not e:
                continue
            for name, est, se, shared in zip(e["name"], e["estimate"], e["standard_error"], e["shared"]):
                s = np.nan if se is None else float(se)
                rows.append((process, name, float(est), s, est / s, est - 1.96 * s, est + 1.96 * s, bool(shared)))
        cols = ["process", "covariate", "coef", "se(coef)", "z", "lower 95% bound", "upper 95% bound", "shared"]
        return pd.DataFrame(rows, columns=cols).set_index(["process", "covariate"])

    def customer_params(self, covariates: Any) -> pd.DataFrame:
        """Each customer's own parameters (α_i, β_i or a_i, b_i; Gamma-Gamma γ_i; sBG α_i, β_i per
        cohort) from its covariates, one row per row of ``covariates``."""
        cov = self._need_cov(covariates)
        numeric, categorical = _covariate_columns(covariates, self._sources, self._reference)
        rows = len(np.asarray(column_of(covariates, self._sources[0], "the covariates")))
        values = cov.customer_params(rows, numeric, categorical)
        return pd.DataFrame(np.array(values).reshape(-1, len(self._names)), columns=list(self._names),
                            index=getattr(covariates, "index", None) if _input._is_pandas(covariates) else None)


class _Repeat(_WithCovariates):
    """A non-contractual repeat-purchase model on (frequency, recency, T).

    ``unit`` is the time unit of the parameters (``"days"`` or ``"weeks"``):
    given with typed-in parameters, or taken from the summary a fit is made
    on (``rk.summary(..., unit=...)`` records it in ``frame.attrs["unit"]``;
    ``unit=`` of :meth:`fit` overrides it). CLV's default month and the
    at-risk list's default horizon follow it.
    """

    _kind = ""
    _cov_methods = (
        "conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time,"
        " expected_number_of_purchases_up_to_time, probability_of_n_purchases_up_to_time,"
        " conditional_probability_of_n_purchases_up_to_time, purchase_distribution, dert, predict,"
        " customer_lifetime_value, intervals, customer_params"
    )

    def __init__(self, unit: str = "days", **params: float) -> None:
        super().__init__(**params)
        self.unit: str = _rk.unit_name(unit)

    def fit(
        self,
        summary: Any,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        weights: Optional[str] = None,
        penalizer: float = 0.0,
        max_iterations: int = 1000,
        tolerance: float = 1e-9,
        unit: Optional[str] = None,
        covariates: Any = None,
        purchase: Sequence[str] = (),
        dropout: Sequence[str] = (),
        equal: Sequence[str] = (),
        l2: Union[float, Tuple[float, float]] = 0.0,
        reference: Optional[Dict[str, str]] = None,
    ) -> "_Repeat":
        """Fit on a summary table (pandas or polars DataFrame, or dict of columns); returns self.

        The model's ``unit`` becomes ``unit``, else the summary's
        ``attrs["unit"]`` when it has one, else ``"days"``.

        Time-invariant covariates (Pareto/NBD, BG/NBD and MBG/NBD, the last our own extension in
        the BG/NBD's parametrisation; the core's
        ``models::covariates``, docs/metrics.md "Covariates"): ``purchase`` and
        ``dropout`` name the columns of ``covariates`` (a table with one row per
        summary row, in the same order; the summary itself by default) that act
        on each process. A numeric column enters as it is; any other is
        categorical, one-hot encoded against its reference level (the first
        level in sorted order, or ``reference[name]``), its effects named
        ``name=level``. ``equal`` names covariates with one effect for both
        processes; ``l2`` is the L2 penalty λ on the effects (one value, or
        ``(purchase, dropout)``), as CLVTools' ``reg.lambdas``. The effects are
        in :attr:`effects`; predictions take the customers' ``covariates=`` (every prediction:
        P(alive) now and later, expected purchases, the purchase distribution, DERT, CLV with a
        plain or covariate Gamma-Gamma model, and delta-method intervals).

        >>> import retentionkit as rk
        >>> s = {"frequency": [0, 1, 3, 5, 2, 0], "recency": [0.0, 10.0, 20.0, 30.0, 25.0, 0.0],
        ...      "T": [30.0, 30.0, 30.0, 31.0, 32.0, 28.0], "plan": ["a", "b", "a", "b", "b", "a"]}
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # six customers: the toy fit runs off to the boundary
        ...     m = rk.BetaGeo().fit(s, purchase=["plan"])
        >>> list(m.effects.index)
        [('purchase', 'plan=b')]
        """
        w = None if weights is None else _weights(_col(summary, weights, "weights"))
        data = (
            _u32(_col(summary, frequency, "frequency"), frequency),
            _f64(_col(summary, recency, "recency")),
            _f64(_col(summary, T, "T")),
            w,
        )
        self._cov: Optional[Any] = None
        self._fit_data: Optional[Tuple[Any, ...]] = None
        if purchase or dropout:
            table = summary if covariates is None else covariates
            lp, ld = (float(l2[0]), float(l2[1])) if isinstance(l2, tuple) else (float(l2), float(l2))
            numeric, categorical = self._cov_setup(table, list(purchase) + list(dropout) + list(equal), reference)
            fit, self._cov = _rk.fit_repeat_covariates(
                self._kind, *data, numeric, categorical, list(purchase), list(dropout), list(equal),
                lp, ld, max_iterations, tolerance, penalizer,
            )
        else:
            fit = _rk.fit_repeat(self._kind, *data, max_iterations, tolerance, penalizer)
            self._fit_data = data + (max_iterations, tolerance, penalizer)
        attrs = getattr(summary, "attrs", None)
        given = unit if unit is not None else (attrs or {}).get("unit", "days")
        self.unit = _rk.unit_name(given)
        self._store(fit)
        return self

    def log_likelihood_of(self, frequency: Any, recency: Any, T: Any, weights: Any = None) -> float:
        """Log-likelihood of data at the current parameters."""
        return float(
            _rk.repeat_log_likelihood(
                self._kind, self._p, _u32(frequency, "frequency"), _f64(recency), _f64(T), _weights(weights)
            )
        )

    def _predict(self, frequency: Any, recency: Any, T: Any, t: float) -> Tuple[np.ndarray, np.ndarray]:
        return _rk.repeat_predict(
            self._kind, self._p, _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t)
        )

    def _predict_cov(
        self, frequency: Any, recency: Any, T: Any, t: float, covariates: Any
    ) -> Tuple[np.ndarray, np.ndarray]:
        cov = self._need_cov(covariates)
        numeric, categorical = _covariate_columns(covariates, self._sources, self._reference)
        return cov.predict(
            numeric, categorical, _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t)
        )

    def conditional_probability_alive(
        self, frequency: Any, recency: Any, T: Any, t: float = 0.0, covariates: Any = None
    ) -> np.ndarray:
        """Probability that each customer is alive at ``T + t`` (at T by default).

        Later than T, the chance of surviving ``t`` more (the core's
        ``RepeatModel::probability_alive_at``; docs/metrics.md, "Predictive
        distributions"): it falls with ``t``.

        >>> import retentionkit as rk
        >>> m = rk.BetaGeo(r=1.0, alpha=1.0, a=1.0, b=1.0)
        >>> # P(alive at T) = 0.2; surviving 4 more weeks: 2 - 2 ln 2 (by hand).
        >>> round(float(m.conditional_probability_alive([1], [1.0], [3.0], t=4.0)[0]), 6)
        0.122741
        """
        if covariates is not None or getattr(self, "_cov", None) is not None:
            if t == 0.0:
                return self._predict_cov(frequency, recency, T, 0.0, covariates)[0]
            cov = self._need_cov(covariates)
            numeric, categorical = _covariate_columns(covariates, self._sources, self._reference)
            return cov.alive_at(
                numeric, categorical, _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t)
            )
        if t == 0.0:
            return self._predict(frequency, recency, T, 0.0)[0]
        return _rk.repeat_alive_at(
            self._kind, self._p, _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t)
        )

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: float, frequency: Any, recency: Any, T: Any, covariates: Any = None
    ) -> np.ndarray:
        """Expected purchases of each customer in ``(T, T + t]`` (with its ``covariates`` for a fit
        with covariates: a table with one row per customer)."""
        if covariates is not None or getattr(self, "_cov", None) is not None:
            return self._predict_cov(frequency, recency, T, t, covariates)[1]
        return self._predict(frequency, recency, T, t)[1]

    def expected_number_of_purchases_up_to_time(self, t: Any, covariates: Any = None) -> np.ndarray:
        """Expected repeat purchases of a new customer in its first ``t`` (array or scalar); for a
        fit with covariates, ``t`` is one horizon and the result one value per row of ``covariates``."""
        if covariates is not None or getattr(self, "_cov", None) is not None:
            cov = self._need_cov(covariates)
            numeric, categorical = _covariate_columns(covariates, self._sources, self._reference)
            rows = len(np.asarray(column_of(covariates, self._sources[0], "the covariates")))
            return cov.expected_new(rows, numeric, categorical, float(t))
        return _rk.repeat_expected_new(self._kind, self._p, _f64(t))

    def probability_of_n_purchases_up_to_time(self, t: Any, n: Any, covariates: Any = None) -> Any:
        """Probability that a new customer makes exactly ``n`` repeat purchases in its first ``t``.

        ``t`` and ``n`` are scalars or arrays (broadcast together); a float
        for two scalars, else an array. For a fit with covariates, ``t`` and
        ``n`` are one horizon and one count, and the result one value per row
        of ``covariates`` (a new customer with that row's covariates). BG/NBD: Fader, Hardie & Lee (2005)
        eq. 8 (lifetimes' method of the same name); MBG/NBD and Pareto/NBD:
        docs/metrics.md, "Predictive distributions".

        >>> import retentionkit as rk
        >>> m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> # lifetimes 0.11.3 gives 0.08542975953906072.
        >>> round(m.probability_of_n_purchases_up_to_time(39.0, 2), 12)
        0.085429759539
        """
        if covariates is not None or getattr(self, "_cov", None) is not None:
            cov, numeric, categorical, rows = self._cov_rows(covariates)
            return cov.pmf_new(rows, numeric, categorical, float(t), int(n))
        tt, nn = np.broadcast_arrays(np.asarray(t, dtype=np.float64), np.asarray(n))
        out = _rk.repeat_pmf_new(self._kind, self._p, _f64(tt.ravel()), _u32(nn.ravel(), "n"))
        if tt.ndim == 0:
            return float(out[0])
        return out.reshape(tt.shape)

    def conditional_probability_of_n_purchases_up_to_time(
        self, n: int, t: float, frequency: Any, recency: Any, T: Any, covariates: Any = None
    ) -> np.ndarray:
        """Probability that each customer makes exactly ``n`` purchases in ``(T, T + t]``.

        Arguments in the order of lifetimes' Pareto/NBD method of the same
        name. :meth:`purchase_distribution` gives every n at once. For a fit
        with covariates, each customer's are the rows of ``covariates``.

        >>> import retentionkit as rk
        >>> m = rk.BetaGeo(r=1.0, alpha=1.0, a=1.0, b=1.0)
        >>> # Gone with probability 0.8, else no purchase in 4 more with 1/4 (by hand).
        >>> round(float(m.conditional_probability_of_n_purchases_up_to_time(0, 4.0, [1], [1.0], [3.0])[0]), 12)
        0.85
        """
        count = int(n)
        if covariates is not None or getattr(self, "_cov", None) is not None:
            cov = self._need_cov(covariates)
            numeric, categorical = _covariate_columns(covariates, self._sources, self._reference)
            return cov.pmf(
                numeric, categorical, _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t), count
            )
        table = _rk.repeat_distribution(
            self._kind, self._p, _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t), count
        )
        return np.ascontiguousarray(table[:, count])

    def purchase_distribution(
        self,
        summary: Any,
        t: float,
        max_n: int = 10,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        covariates: Any = None,
    ) -> Any:
        """P(exactly n purchases in the next ``t``) for n = 0..``max_n``, one row per customer.

        Columns ``0`` .. ``max_n`` (``"0"`` .. for a polars table, whose
        columns are strings), rows and table type as :meth:`predict`; column 0
        is the probability of no purchase at all. A row sums to less than 1 by
        the chance of more than ``max_n``. Each distinct (frequency, recency,
        T) is evaluated once (the core's ``RepeatModel::purchase_distribution``).
        For a fit with covariates, each customer's are read from ``covariates``
        (one row per summary row; the summary by default).

        >>> import retentionkit as rk
        >>> m = rk.BetaGeo(r=1.0, alpha=1.0, a=1.0, b=1.0, unit="weeks")
        >>> d = m.purchase_distribution({"frequency": [1], "recency": [1.0], "T": [3.0]}, 4.0, max_n=3)
        >>> list(d.columns), round(float(d.loc[0, 0]), 12)
        ([0, 1, 2, 3], 0.85)
        """
        need = "the purchase distribution"
        cols = (
            _u32(_col(summary, frequency, "frequency", need), frequency),
            _f64(_col(summary, recency, "recency", need)),
            _f64(_col(summary, T, "T", need)),
        )
        if getattr(self, "_cov", None) is not None:
            table = np.column_stack(
                [
                    self.conditional_probability_of_n_purchases_up_to_time(
                        k, t, *cols, covariates=summary if covariates is None else covariates
                    )
                    for k in range(int(max_n) + 1)
                ]
            ).reshape(len(cols[0]), int(max_n) + 1)
        else:
            table = _rk.repeat_distribution(self._kind, self._p, *cols, float(t), int(max_n))
        if _input._is_polars(summary):
            return _table_like({str(k): table[:, k] for k in range(table.shape[1])}, summary)
        return pd.DataFrame(table, index=getattr(summary, "index", None), columns=pd.RangeIndex(table.shape[1]))

    def dert(
        self,
        summary: Any,
        discount_rate: float,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        covariates: Any = None,
    ) -> Any:
        """DERT, discounted expected residual transactions, per customer: a Series named ``dert``.

        ``discount_rate`` is a continuous rate per unit of the model (for an
        annual rate d and a model in weeks, ``math.log(1 + d) / 52``). The
        purchases a customer is expected to make from T on, each discounted
        to T: Fader, Hardie & Lee (2005), "RFM and CLV" (closed form for
        Pareto/NBD; docs/metrics.md, "Predictive distributions"). Multiply by
        the expected spend for a residual CLV. For a fit with covariates, each
        customer's are read from ``covariates`` (one row per summary row; the
        summary by default).

        >>> import retentionkit as rk
        >>> m = rk.ParetoNBD(r=1.0, alpha=2.0, s=1.0, beta=10.0)
        >>> # x = T = 0, s = 1, beta = 1/delta: r/alpha * e E1(1)/delta (by hand).
        >>> round(float(m.dert({"frequency": [0], "recency": [0.0], "T": [0.0]}, 0.1)[0]), 9)
        2.981736812
        """
        need = "DERT"
        cols = (
            _u32(_col(summary, frequency, "frequency", need), frequency),
            _f64(_col(summary, recency, "recency", need)),
            _f64(_col(summary, T, "T", need)),
        )
        if getattr(self, "_cov", None) is not None:
            table = summary if covariates is None else covariates
            cov = self._need_cov(table)
            numeric, categorical = _covariate_columns(table, self._sources, self._reference)
            values = cov.dert(numeric, categorical, *cols, float(discount_rate))
        else:
            values = _rk.repeat_dert(self._kind, self._p, *cols, float(discount_rate))
        return _series_like(values, "dert", summary)

    def predict(
        self,
        summary: Any,
        t: float,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        covariates: Any = None,
    ) -> Any:
        """``probability_alive`` and ``expected_purchases`` in the next ``t`` for every row of a summary.

        ``summary`` is a pandas or polars DataFrame or a dict of columns, named
        as :meth:`fit` names them (a calibration/holdout table's ``_cal``
        columns are found by themselves). A polars table gives a polars
        DataFrame in the same row order; otherwise a pandas DataFrame with the
        summary's index. For a fit with covariates, each customer's are read
        from ``covariates`` (one row per summary row; the summary by default).
        """
        need = "the predictions"
        cols = (
            _col(summary, frequency, "frequency", need), _col(summary, recency, "recency", need),
            _col(summary, T, "T", need),
        )
        if getattr(self, "_cov", None) is not None:
            alive, expected = self._predict_cov(*cols, t, summary if covariates is None else covariates)
        else:
            alive, expected = self._predict(*cols, t)
        return _table_like({"probability_alive": alive, "expected_purchases": expected}, summary)

    def intervals(
        self,
        summary: Any = None,
        *,
        quantity: str = "parameters",
        t: float = 0.0,
        level: float = 0.9,
        method: str = "delta",
        replicates: int = 1000,
        seed: int = 0,
        spend: Optional["GammaGamma"] = None,
        periods: int = 12,
        period_length: Optional[float] = None,
        discount_rate: float = 0.01,
        prediction: bool = False,
        draws: int = 1000,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        monetary_value: str = "monetary_value",
        covariates: Any = None,
        weights: Optional[str] = None,
    ) -> pd.DataFrame:
        """Intervals at ``level`` on the parameters or on predictions, from the data of :meth:`fit`.

        ``quantity`` is ``"parameters"`` (no ``summary``), ``"expected_purchases"`` or
        ``"probability_alive"`` (one row per row of ``summary``, default the fit's data), or
        ``"total_purchases"`` (one row: all the customers together), the purchases over the
        next ``t``; or ``"clv"`` (one row per row of ``summary``) or ``"total_clv"`` (one row),
        the CLV of :meth:`customer_lifetime_value` with the fitted Gamma-Gamma model ``spend``
        (held fixed: only this model's uncertainty is in the interval), ``periods``,
        ``period_length`` and ``discount_rate`` as there, the mean spends from the summary's
        ``monetary_value`` column (a ``summary`` is needed). ``method`` is ``"delta"`` (the
        parameter covariance; log scale for purchases and CLV, logit for P(alive)) or
        ``"bootstrap"`` (``replicates`` refits on customers resampled with ``seed``;
        percentile intervals; ``attrs["failed"]`` counts replicates that did not converge,
        which are in no interval). The model is refitted on its data as :meth:`fit` fitted it; a
        model with typed-in parameters has no data and raises. Columns ``estimate``,
        ``standard_error``, ``lower``, ``upper``. ``weights`` names a column of ``summary``
        saying how many customers each row stands for (a grouped summary, as ``fit``'s
        ``weights``): the totals count each row that many times; without it each row is one
        customer (the fit's own data, used when ``summary`` is not given, has its weights).

        With ``prediction=True`` (``quantity="total_purchases"`` only), the prediction interval
        of the total purchases instead, the purchase process's own noise included: ``draws``
        totals simulated from each customer's predictive distribution (seeded by ``seed``), the
        parameters held at the estimates (``method="delta"``) or varied over the bootstrap's
        replicates; columns ``estimate`` (the expected total), ``standard_error`` (the standard
        deviation of the simulated totals), ``lower``, ``upper``, and the
        simulated totals in ``attrs["draws"]``. Source: docs/metrics.md, "Intervals on
        parameters and predictions".

        For a fit with covariates: the delta method only, on ``expected_purchases``,
        ``probability_alive`` or ``total_purchases`` of the customers of ``summary`` (required),
        each at its own parameters (its ``covariates``, the summary by default), the standard
        error from the fit's covariance over the population parameters and the effects (the
        core's ``CovariateFit::intervals``; docs/metrics.md, "Covariates").

        >>> import retentionkit as rk
        >>> s = rk.summary(rk.demo_shop(customers=500), unit="weeks")
        >>> m = rk.BetaGeo().fit(s)
        >>> ci = m.intervals()  # the parameters, delta method
        >>> bool((ci["lower"] < ci["estimate"]).all() and (ci["estimate"] < ci["upper"]).all())
        True
        >>> bool(abs(ci.loc["r", "standard_error"] - m.standard_errors["r"]) < 1e-12)
        True
        >>> p = m.intervals(quantity="total_purchases", t=13.0, prediction=True, draws=200, seed=1)
        >>> bool(p.loc["total", "lower"] <= p.loc["total", "estimate"] <= p.loc["total", "upper"])
        True
        """
        if getattr(self, "_cov", None) is not None:
            if weights is not None:
                raise ValueError("weights= is not supported for a fit with covariates (one row per customer)")
            return self._intervals_cov(summary, quantity, t, level, method, frequency, recency, T, covariates)
        data = getattr(self, "_fit_data", None)
        if data is None:
            raise ValueError("intervals need the data of a fit: call fit() first")
        x, tx, age, w, max_iterations, tolerance, penalizer = data
        pred: Dict[str, Any] = {}
        if summary is not None:
            need = "the intervals"
            pred = {
                "pred_frequency": _u32(_col(summary, frequency, "frequency", need), frequency),
                "pred_recency": _f64(_col(summary, recency, "recency", need)),
                "pred_age": _f64(_col(summary, T, "T", need)),
            }
            if weights is not None:
                pred["pred_weights"] = _f64(_col(summary, weights, "weights", need))
        elif weights is not None:
            raise ValueError("weights= names a column of summary=: give the summary too")
        if prediction:
            if quantity != "total_purchases":
                raise ValueError('prediction=True is for quantity="total_purchases"')
            p = _rk.repeat_prediction_interval(
                self._kind, x, tx, age, w, float(t), float(level), method,
                draws=int(draws), replicates=int(replicates), seed=int(seed),
                max_iterations=max_iterations, tolerance=tolerance, penalizer=penalizer, **pred,
            )
            frame = pd.DataFrame(
                {"estimate": [p["expected"]], "standard_error": [p["standard_deviation"]], "lower": [p["lower"]],
                 "upper": [p["upper"]]},
                index=["total"],
            )
            frame.attrs.update(
                {"level": p["level"], "method": method, "failed": p["failed"], "draws": p["draws"].tolist()}
            )
            return frame
        clv: Dict[str, Any] = {}
        if quantity in ("clv", "total_clv"):
            if spend is None or summary is None:
                raise ValueError(f'quantity="{quantity}" needs spend= (a fitted GammaGamma) and a summary')
            clv = {
                "spend": list(spend._p),
                "monetary": _f64(_col(summary, monetary_value, "monetary_value", "the CLV intervals")),
                "unit_name": self.unit,
                "clv_periods": int(periods),
                "clv_period_length": None if period_length is None else float(period_length),
                "clv_discount": float(discount_rate),
            }
        out = _rk.repeat_intervals(
            self._kind, x, tx, age, w, quantity, float(level), method,
            horizon=float(t), replicates=int(replicates), seed=int(seed),
            max_iterations=max_iterations, tolerance=tolerance, penalizer=penalizer, **pred, **clv,
        )
        columns = {k: out[k] for k in ("estimate", "standard_error", "lower", "upper")}
        if quantity == "parameters":
            index: Any = list(self._names)
        elif quantity in ("total_purchases", "total_clv"):
            index = ["total"]
        elif summary is not None and isinstance(summary, pd.DataFrame):
            index = summary.index
        else:
            index = None
        frame = pd.DataFrame(columns, index=index)
        frame.attrs.update({"level": out["level"], "method": method, "failed": out["failed"]})
        return frame

    def _intervals_cov(
        self, summary: Any, quantity: str, t: float, level: float, method: str,
        frequency: str, recency: str, T: str, covariates: Any,
    ) -> pd.DataFrame:
        if method != "delta":
            raise _rk.InvalidArgumentError(
                f"argument `method`: `{method}`: a fit with covariates has delta-method intervals only",
                argument="method",
            )
        if summary is None:
            raise _rk.InvalidArgumentError(
                "argument `summary`: a fit with covariates needs the customers to predict", argument="summary"
            )
        table = summary if covariates is None else covariates
        cov = self._need_cov(table)
        numeric, categorical = _covariate_columns(table, self._sources, self._reference)
        need = "the intervals"
        out = cov.intervals(
            numeric, categorical,
            _u32(_col(summary, frequency, "frequency", need), frequency),
            _f64(_col(summary, recency, "recency", need)),
            _f64(_col(summary, T, "T", need)),
            quantity, float(t), float(level),
        )
        columns = {k: out[k] for k in ("estimate", "standard_error", "lower", "upper")}
        if quantity == "total_purchases":
            index: Any = ["total"]
        elif isinstance(summary, pd.DataFrame):
            index = summary.index
        else:
            index = None
        frame = pd.DataFrame(columns, index=index)
        frame.attrs.update({"level": out["level"], "method": method, "failed": 0})
        return frame

    def simulate(self, T: Any, *, seed: int = 0) -> pd.DataFrame:
        """Customers drawn from the model, one observed for each age in ``T`` (in the model's
        unit): ``frequency``, ``recency`` and ``T`` (the core's seeded simulator; the same seed
        gives the same customers).

        >>> import retentionkit as rk
        >>> sim = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426).simulate([39.0] * 1000, seed=7)
        >>> bool((sim["recency"] <= sim["T"]).all()), len(sim)
        (True, 1000)
        """
        ages = _f64(T)
        frequency, recency = _rk.repeat_simulate(self._kind, self._p, ages, int(seed))
        return pd.DataFrame({"frequency": frequency, "recency": recency, "T": ages})

    def evaluate(
        self,
        table: Any,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        frequency_holdout: str = "frequency_holdout",
        duration_holdout: str = "duration_holdout",
    ) -> "HoldoutEvaluation":
        """Expected against actual holdout purchases on a calibration/holdout table.

        ``table`` is what :func:`calibration_and_holdout` returns (or lifetimes'
        ``calibration_and_holdout_data``): the model, fitted on its calibration
        columns in the same unit, predicts each customer's purchases over the
        holdout's length ``duration_holdout`` (one value for every row), and
        the core compares them with ``frequency_holdout``, as the CLI's
        holdout check does (Fader, Hardie & Lee 2005, figure 4).
        """
        need = "the holdout evaluation"
        x = _u32(_col(table, frequency, "frequency", need), frequency)
        actual = _u32(_col(table, frequency_holdout, "frequency_holdout", need), frequency_holdout)
        durations = _f64(_col(table, duration_holdout, "duration_holdout", need))
        if durations.size and bool((durations != durations[0]).any()):
            row = int(np.flatnonzero(durations != durations[0])[0])
            raise _rk.InvalidValueError(
                f"column `{duration_holdout}`, row {row}: {float(durations[row])!r} differs from row 0's "
                f"{float(durations[0])!r}: the holdout has one length for every customer",
                column=duration_holdout,
                row=row,
            )
        horizon = float(durations[0]) if durations.size else 0.0
        _, predicted = self._predict(
            x, _col(table, recency, "recency", need), _col(table, T, "T", need), horizon
        )
        d = _rk.holdout_check(predicted, actual, x)
        by = pd.DataFrame(d["by_frequency"]).set_index("frequency")
        return HoldoutEvaluation(
            predicted=_series_like(predicted, "predicted", table),
            actual=_series_like(actual.astype(np.float64), "actual", table),
            total_predicted=float(predicted.sum()),
            total_actual=float(actual.sum()),
            mae=float(d["mae"]),
            rmse=float(d["rmse"]),
            bias=float(d["bias"]),
            by_frequency=by,
        )

    def customer_lifetime_value(
        self,
        spend: "GammaGamma",
        summary: Any,
        *,
        periods: int = 12,
        period_length: Optional[float] = None,
        discount_rate: float = 0.01,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        monetary_value: str = "monetary_value",
        covariates: Any = None,
        spend_covariates: Any = None,
    ) -> Any:
        """Discounted CLV over ``periods`` periods of ``period_length`` in the model's ``unit``.

        The default period is a month as lifetimes' ``customer_lifetime_value``
        counts it: 30 days, or 4.345 weeks for a model in weeks (the core's
        ``ClvOptions::monthly``); 12 of them at 1 % a month. Columns as in
        :meth:`predict`; a polars table gives a polars Series named ``clv``,
        otherwise a pandas Series with the summary's index.

        For a fit with covariates, each customer's purchases are predicted at
        its own parameters (its ``covariates``, one row per summary row; the
        summary by default), and ``spend`` may be a Gamma-Gamma model fitted
        with covariates too, each customer's spend at its own parameters
        (its ``spend_covariates``; by default the purchase model's table).
        The formula is the core's ``models::check::clv``.

        >>> import retentionkit as rk, warnings
        >>> s = {"frequency": [0, 1, 3, 5, 2, 0], "recency": [0.0, 10.0, 20.0, 30.0, 25.0, 0.0],
        ...      "T": [30.0, 30.0, 30.0, 31.0, 32.0, 28.0], "monetary_value": [0.0, 20.0, 35.0, 18.0, 22.0, 0.0],
        ...      "web": [0.1, -0.3, 0.5, 0.2, -0.1, 0.4]}
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # six customers: the toy fit may run off to the boundary
        ...     m = rk.BetaGeo(unit="weeks").fit(s, purchase=["web"])
        >>> v = m.customer_lifetime_value(rk.GammaGamma(p=6.25, q=3.74, gamma=15.44), s)
        >>> len(v), bool((v >= 0).all())
        (6, True)
        """
        need = "CLV"
        x = _u32(_col(summary, frequency, "frequency", need), frequency)
        if getattr(self, "_cov", None) is not None:
            table = summary if covariates is None else covariates
            cov = self._need_cov(table)
            numeric, categorical = _covariate_columns(table, self._sources, self._reference)
            spend_cov = getattr(spend, "_cov", None)
            if spend_cov is not None:
                st = table if spend_covariates is None else spend_covariates
                spend._need_cov(st)
                sn, sc = _covariate_columns(st, spend._sources, spend._reference)
                spend_params, spend_fit = None, spend_cov
            else:
                sn, sc, spend_params, spend_fit = [], [], spend._p, None
            out = cov.clv(
                numeric, categorical, x,
                _f64(_col(summary, recency, "recency", need)),
                _f64(_col(summary, T, "T", need)),
                _f64(_col(summary, monetary_value, "monetary_value", need)),
                spend_params, spend_fit, sn, sc, self.unit, int(periods),
                None if period_length is None else float(period_length), float(discount_rate),
            )
            return _series_like(out, "clv", summary)
        out = _rk.repeat_clv(
            self._kind,
            self._p,
            spend._p,
            x,
            _f64(_col(summary, recency, "recency", need)),
            _f64(_col(summary, T, "T", need)),
            _f64(_col(summary, monetary_value, "monetary_value", need)),
            self.unit,
            int(periods),
            None if period_length is None else float(period_length),
            float(discount_rate),
        )
        return _series_like(out, "clv", summary)

    def at_risk(
        self,
        data: LogLike,
        t: Optional[float] = None,
        *,
        customer_id: str = "customer_id",
        date: str = "date",
        amount: Optional[str] = None,
        unit: Optional[str] = None,
        observation_end: Any = None,
        threshold: float = 0.5,
        lost_below: float = 0.01,
        limit: Optional[int] = None,
    ) -> pd.DataFrame:
        """The customers worth saving, the largest value at stake over the next ``t`` first.

        The core's one at-risk list (the CLI report's and the npm package's):
        repeat customers whose probability alive is below ``threshold`` but
        not below ``lost_below`` (below it they count as lost), at most
        ``limit`` of them. ``t`` defaults to a year in ``unit`` (365 days or
        52 weeks); ``unit`` to the model's. ``overdue`` is the time since the
        last purchase over the customer's own mean gap; ``value_at_stake`` is
        expected purchases times mean repeat spend (0 without amounts);
        ``last_order`` the day of the last purchase.
        """
        log = as_log(data, customer_id, date, amount)
        end = None if observation_end is None else _input.day(observation_end, "observation_end")
        u = self.unit if unit is None else unit
        with log._user_columns():
            d = _rk.repeat_at_risk(
                self._kind, self._p, log._arg, u,
                None if t is None else float(t), end, float(threshold), float(lost_below),
                None if limit is None else int(limit),
            )
        ids = d.pop("customer_id")
        last = d.pop("last_day")
        frame = pd.DataFrame(d, index=log._customer_index(ids))
        frame.insert(1, "last_order", last.astype("datetime64[D]"))
        return frame

    def tracking(
        self,
        data: LogLike,
        at: Sequence[Any],
        *,
        customer_id: str = "customer_id",
        date: str = "date",
        unit: Optional[str] = None,
    ) -> pd.DataFrame:
        """Expected against actual cumulative repeat purchases of the whole base before each day of ``at``.

        ``unit`` (default: the model's) is the time unit of the parameters.
        """
        log = as_log(data, customer_id, date)
        days = np.ascontiguousarray([_input.day(a, "at") for a in at], dtype=np.int32)
        u = self.unit if unit is None else unit
        with log._user_columns():
            expected, actual = _rk.repeat_tracking(self._kind, self._p, log._arg, u, days)
        return pd.DataFrame(
            {"expected": expected, "actual": actual}, index=pd.Index(_input.dates_of(days), name="date")
        )


class BetaGeo(_Repeat):
    """BG/NBD (Fader, Hardie & Lee 2005), as lifetimes' ``BetaGeoFitter``.

    >>> import retentionkit as rk
    >>> m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)  # FHL 2005, CDNOW weeks
    >>> m
    <BetaGeo: r=0.243, alpha=4.414, a=0.793, b=2.426 (given)>
    >>> float(m.conditional_probability_alive(2, 30.43, 38.86)[0]) > 0.5
    True
    """

    _names = ("r", "alpha", "a", "b")
    _label = "BG/NBD"
    _kind = "bg_nbd"


class ModifiedBetaGeo(_Repeat):
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007), as lifetimes' ``ModifiedBetaGeoFitter``."""

    _names = ("r", "alpha", "a", "b")
    _label = "MBG/NBD"
    _kind = "mbg_nbd"


class ParetoNBD(_Repeat):
    """Pareto/NBD (Schmittlein, Morrison & Colombo 1987), as lifetimes' ``ParetoNBDFitter``."""

    _names = ("r", "alpha", "s", "beta")
    _label = "Pareto/NBD"
    _kind = "pareto_nbd"


class NBD(_Model):
    """The NBD model: Poisson purchases at a gamma(r, alpha) rate, and no drop-out (the core's
    ``models::nbd``; Ehrenberg 1959). It is the Pareto/NBD without drop-out (mu = 0) and the
    BG/NBD with p = 0, with the same likelihood constant, so it is the restricted model of
    :func:`likelihood_ratio_test` for "do customers drop out at all?" (``boundary=True``: the
    drop-out rate 0 is on the edge of the full model's space). Source: docs/metrics.md,
    "Choosing a model" (likelihood-ratio test, NBD).

    >>> import retentionkit as rk
    >>> s = rk.summary(rk.demo_shop(customers=2000), unit="weeks")
    >>> nbd = rk.NBD().fit(s)
    >>> pareto = rk.ParetoNBD().fit(s)
    >>> t = rk.likelihood_ratio_test(pareto, nbd, boundary=True)
    >>> (t["degrees_of_freedom"], t["p_value"] < 0.01)  # the demo shop's customers do drop out
    (2, True)
    """

    _names = ("r", "alpha")
    _label = "NBD"

    def fit(
        self,
        summary: Any,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        weights: Optional[str] = None,
        penalizer: float = 0.0,
        max_iterations: int = 1000,
        tolerance: float = 1e-9,
    ) -> "NBD":
        """Fit by maximum likelihood on a summary table (as :meth:`BetaGeo.fit`); returns self."""
        w = None if weights is None else _weights(_col(summary, weights, "weights"))
        fit = _rk.fit_nbd(
            _u32(_col(summary, frequency, "frequency"), frequency),
            _f64(_col(summary, recency, "recency")),
            _f64(_col(summary, T, "T")),
            w,
            max_iterations,
            tolerance,
            penalizer,
        )
        self._store(fit)
        return self

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: float, frequency: Any, recency: Any, T: Any
    ) -> np.ndarray:
        """Expected purchases in the next ``t`` of each customer: (r + x) t / (alpha + T)."""
        r, alpha = self._p
        return _rk.nbd_expected((r, alpha), _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t))

    def expected_number_of_purchases_up_to_time(self, t: float) -> float:
        """Expected repeat purchases of a new customer in ``t``: r t / alpha."""
        r, alpha = self._p
        return _rk.nbd_expected_new((r, alpha), float(t))


class _Cnbd(_Model):
    """A regularity model on (frequency, recency, T, litt): BG/CNBD-k or MBG/CNBD-k.

    Parameters ``k`` (the Erlang shape of the inter-purchase times, a whole
    number >= 1; 1 is Poisson timing) and ``r, alpha, a, b`` as in the
    BG/NBD. ``litt`` is each customer's sum of log inter-purchase times
    (:func:`retentionkit.log_intertransaction_times`). A fit chooses k by
    likelihood over ``1..max_k`` unless ``k`` is given; ``candidates`` holds
    the maximised log-likelihood of every k tried. k has no standard error
    (NaN in ``standard_errors`` and ``summary()``): it is chosen on a grid.
    Sources: Platzer & Reutterer (2016); Reutterer, Platzer & Schröder
    (2021); docs/metrics.md, "Regularity".
    """

    _names = ("k", "r", "alpha", "a", "b")
    _kind = ""

    def __init__(self, unit: str = "days", **params: float) -> None:
        super().__init__(**params)
        self.unit: str = _rk.unit_name(unit)

    def _check(self, values: Tuple[float, ...]) -> None:
        k = values[0]
        if not (np.isfinite(k) and k >= 1 and k == int(k)):
            raise _rk.InvalidArgumentError(f"argument `k`: {k} must be a whole number >= 1", argument="k")
        super()._check(values)

    def fit(
        self,
        summary: Any,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        litt: str = "litt",
        weights: Optional[str] = None,
        k: Optional[int] = None,
        max_k: int = 12,
        penalizer: float = 0.0,
        max_iterations: int = 1000,
        tolerance: float = 1e-9,
        unit: Optional[str] = None,
    ) -> "_Cnbd":
        """Fit on a summary table with a ``litt`` column; returns self."""
        w = None if weights is None else _weights(_col(summary, weights, "weights"))
        fit = dict(
            _rk.fit_cnbd(
                self._kind,
                _u32(_col(summary, frequency, "frequency"), frequency),
                _f64(_col(summary, recency, "recency")),
                _f64(_col(summary, T, "T")),
                _f64(_col(summary, litt, "litt")),
                w,
                None if k is None else int(k),
                int(max_k),
                max_iterations,
                tolerance,
                penalizer,
            )
        )
        fit["params"] = [float(fit["k"])] + list(fit["params"])
        if fit["standard_errors"] is not None:
            fit["standard_errors"] = [float("nan")] + list(fit["standard_errors"])
        attrs = getattr(summary, "attrs", None)
        given = unit if unit is not None else (attrs or {}).get("unit", "days")
        self.unit = _rk.unit_name(given)
        self._store(fit)
        return self

    @property
    def candidates(self) -> Optional[pd.DataFrame]:
        """The maximised log-likelihood and fit status at every k tried (None for typed-in parameters)."""
        if self._fit is None:
            return None
        ks, lls, st = zip(*self._fit["candidates"])
        return pd.DataFrame({"log_likelihood": lls, "status": st}, index=pd.Index(ks, name="k"))

    def _core(self) -> Tuple[int, list]:
        p = self._p
        return int(p[0]), p[1:]

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Probability that each customer is alive at ``T``."""
        k, p = self._core()
        return _rk.cnbd_predict(self._kind, k, p, _u32(frequency, "frequency"), _f64(recency), _f64(T), 0.0)[0]

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: float, frequency: Any, recency: Any, T: Any
    ) -> np.ndarray:
        """Expected purchases of each customer in ``(T, T + t]`` (exact series; docs/metrics.md, "Regularity")."""
        k, p = self._core()
        return _rk.cnbd_predict(
            self._kind, k, p, _u32(frequency, "frequency"), _f64(recency), _f64(T), float(t)
        )[1]

    def expected_number_of_purchases_up_to_time(self, t: Any) -> np.ndarray:
        """Expected repeat purchases of a new customer in its first ``t`` (array or scalar)."""
        k, p = self._core()
        return _rk.cnbd_expected_new(self._kind, k, p, _f64(t))

    def log_likelihood_of(self, frequency: Any, recency: Any, T: Any, litt: Any, weights: Any = None) -> float:
        """Log-likelihood of data at the current parameters (the litt term included)."""
        k, p = self._core()
        return float(
            _rk.cnbd_log_likelihood(
                self._kind, k, p, _u32(frequency, "frequency"), _f64(recency), _f64(T), _f64(litt), _weights(weights)
            )
        )


class BetaGeoCNBD(_Cnbd):
    """BG/CNBD-k (Platzer & Reutterer 2016): the BG/NBD with Erlang-k inter-purchase times.

    >>> import retentionkit as rk
    >>> m = rk.BetaGeoCNBD(k=2, r=1.0, alpha=1.0, a=1.0, b=1.0)
    >>> # x = 1, t_x = 1, T = 2: survival terms 2/27, dropped out 1/8; P = 16/43 (by hand).
    >>> round(float(m.conditional_probability_alive(1, 1.0, 2.0)[0]), 12) == round(16 / 43, 12)
    True
    """

    _label = "BG/CNBD-k"
    _kind = "bg_cnbd"


class ModifiedBetaGeoCNBD(_Cnbd):
    """MBG/CNBD-k (Reutterer, Platzer & Schröder 2021): the MBG/NBD with Erlang-k inter-purchase times."""

    _label = "MBG/CNBD-k"
    _kind = "mbg_cnbd"


class GammaGamma(_WithCovariates):
    """Gamma-Gamma spend model (Fader & Hardie 2013), as lifetimes' ``GammaGammaFitter``.

    >>> import retentionkit as rk
    >>> g = rk.GammaGamma(p=6.25, q=3.74, gamma=15.44)
    >>> # by hand: (q - 1)/(px + q - 1) * gamma p/(q - 1) + px/(px + q - 1) * m
    >>> # = 15.44 * 6.25 / 15.24 + 12.5 / 15.24 * 22.35 = 6.33202 + 18.33169
    >>> round(float(g.conditional_expected_average_profit(2, 22.35)[0]), 4)
    24.6637
    """

    _names = ("p", "q", "gamma")
    _label = "Gamma-Gamma"
    _processes = (("purchase", "spend"),)
    _cov_methods = "conditional_expected_average_profit, customer_params"

    def fit(
        self,
        summary: Any,
        *,
        frequency: str = "frequency",
        monetary_value: str = "monetary_value",
        weights: Optional[str] = None,
        penalizer: float = 0.0,
        max_iterations: int = 1000,
        tolerance: float = 1e-9,
        zero_spend: str = "error",
        covariates: Any = None,
        spend: Sequence[str] = (),
        l2: float = 0.0,
        reference: Optional[Dict[str, str]] = None,
    ) -> "GammaGamma":
        """Fit on the repeat buyers of a summary (rows with frequency 0 are left out); returns self.

        The model needs a positive mean spend for every repeat buyer. A repeat
        buyer whose mean spend is 0 (free orders, fully refunded ones) raises
        :class:`InvalidValueError` naming the row and the customer
        (``zero_spend="error"``, the default), or with ``zero_spend="skip"`` is
        left out of the fit with a :class:`FitWarning` that counts them.

        Time-invariant covariates (the core's ``models::covariates``, docs/metrics.md
        "Covariates"): ``spend`` names the columns of ``covariates`` (one row per summary row, in
        the same order; the summary itself by default) that scale each customer's γ,
        γ_i = γ₀ e^(δ z), so the population mean spend p γ_i / (q − 1) is e^(δ z) times the
        reference's (our own extension of the model). Columns, ``reference`` and ``l2`` (the L2
        penalty λ on δ) are as for :meth:`BetaGeo.fit`; the effects are in :attr:`effects`
        (process ``spend``), and :meth:`conditional_expected_average_profit` takes the customers'
        ``covariates=``.

        >>> import retentionkit as rk
        >>> s = {"frequency": [1, 2, 3, 1, 4, 2, 5, 1], "monetary_value": [12.0, 30.0, 22.0, 8.0, 41.0, 18.0, 35.0, 9.0],
        ...      "store": ["a", "b", "b", "a", "b", "a", "b", "a"]}
        >>> g = rk.GammaGamma().fit(s, spend=["store"])
        >>> list(g.effects.index)
        [('spend', 'store=b')]
        """
        if zero_spend not in ("error", "skip"):
            raise _rk.InvalidArgumentError(
                f"argument `zero_spend`: {zero_spend!r} is not 'error' or 'skip'", argument="zero_spend"
            )
        x = _u32(_col(summary, frequency, "frequency"), frequency)
        m = _f64(_col(summary, monetary_value, "monetary_value"))
        w = None if weights is None else _weights(_col(summary, weights, "weights"))
        repeat = x > 0
        if zero_spend == "skip":
            zero = repeat & (m == 0.0)
            if bool(zero.any()):
                first = int(np.flatnonzero(zero)[0])
                warnings.warn(
                    f"Gamma-Gamma fit: left out {int(zero.sum())} repeat buyer(s) with a mean spend of 0 "
                    f"(the first: row {first}{_who(summary, first)}); zero_spend='skip'",
                    FitWarning,
                    stacklevel=2,
                )
                repeat &= ~zero
        self._cov: Optional[Any] = None
        self._fit_data: Optional[Tuple[Any, ...]] = None
        try:
            if spend:
                table = summary if covariates is None else covariates
                numeric, categorical = self._cov_setup(table, list(spend), reference)
                numeric = [(n, np.ascontiguousarray(v[repeat])) for n, v in numeric]
                keep = np.flatnonzero(repeat)
                categorical = [(n, [v[i] for i in keep], r) for n, v, r in categorical]
                fitted, self._cov = _rk.fit_spend_covariates(
                    np.ascontiguousarray(x[repeat]),
                    np.ascontiguousarray(m[repeat]),
                    None if w is None else np.ascontiguousarray(w[repeat]),
                    numeric,
                    categorical,
                    list(spend),
                    float(l2),
                    max_iterations,
                    tolerance,
                    penalizer,
                )
            else:
                rows = (
                    np.ascontiguousarray(x[repeat]),
                    np.ascontiguousarray(m[repeat]),
                    None if w is None else np.ascontiguousarray(w[repeat]),
                )
                fitted = _rk.fit_spend(*rows, max_iterations, tolerance, penalizer)
                self._fit_data = rows + (max_iterations, tolerance, penalizer)
        except _rk.InvalidValueError as e:
            if e.row is None or e.column != "monetary":
                raise
            # The core counts the repeat buyers' rows only: name the row of the
            # user's table, its customer and the user's column.
            row = int(np.flatnonzero(repeat)[e.row])
            reason = str(e).split(": ", 1)[-1]
            raise _rk.InvalidValueError(
                f"column `{monetary_value}`, row {row}{_who(summary, row)}: {reason}; Gamma-Gamma "
                f"needs a positive mean spend for every repeat buyer: leave customers without spend "
                f"out first (e.g. summary[summary[{monetary_value!r}] > 0])",
                column=monetary_value,
                row=row,
            ) from None
        self._store(fitted)
        if fitted.get("spend_warning"):
            # The core's text (SpendData::spend_correlation_warning).
            warnings.warn(f"Gamma-Gamma fit: {fitted['spend_warning']}", FitWarning, stacklevel=2)
        return self

    @property
    def spend_correlation(self) -> Optional[float]:
        """Correlation between frequency and mean spend over the repeat buyers the fit saw,
        which the model assumes to be 0 (the core's; above 0.3 in absolute value the fit warns
        with :class:`FitWarning`). None for typed-in parameters or when it is not defined."""
        if self._fit is None or self._fit.get("spend_correlation") is None:
            return None
        return float(self._fit["spend_correlation"])

    def conditional_expected_average_profit(
        self, frequency: Any, monetary_value: Any, covariates: Any = None
    ) -> np.ndarray:
        """Expected mean spend per transaction of each customer (for a fit with covariates, with
        its ``covariates``: a table with one row per customer)."""
        if covariates is not None or getattr(self, "_cov", None) is not None:
            cov = self._need_cov(covariates)
            numeric, categorical = _covariate_columns(covariates, self._sources, self._reference)
            return cov.expected_spend(numeric, categorical, _u32(frequency, "frequency"), _f64(monetary_value))
        return _rk.spend_expected(self._p, _u32(frequency, "frequency"), _f64(monetary_value))

    def intervals(
        self,
        summary: Any = None,
        *,
        quantity: str = "parameters",
        level: float = 0.9,
        method: str = "delta",
        replicates: int = 1000,
        seed: int = 0,
        frequency: str = "frequency",
        monetary_value: str = "monetary_value",
    ) -> pd.DataFrame:
        """Intervals at ``level`` from the covariance of the fit's estimates or a customer bootstrap.

        ``quantity`` is ``"parameters"`` or ``"mean_spend"``: each customer's conditional
        expected mean spend (:meth:`conditional_expected_average_profit`), one row per row of
        ``summary`` (default the repeat buyers the fit saw), on the log scale; ``method``,
        ``replicates`` and ``seed`` as for :meth:`BetaGeoBetaBinom.intervals`. The model is
        refitted on its data as :meth:`fit` fitted it (not for a fit with covariates). Columns
        ``estimate``, ``standard_error``, ``lower``, ``upper``. Source: docs/metrics.md,
        "Intervals on parameters and predictions".

        >>> import retentionkit as rk
        >>> s = {"frequency": [1, 2, 5, 3, 1, 4, 2, 6, 1, 3],
        ...      "monetary_value": [20.0, 35.0, 28.0, 60.0, 15.0, 42.0, 25.0, 31.0, 80.0, 22.0],
        ...      "n": [30, 20, 10, 15, 25, 12, 18, 8, 5, 22]}
        >>> g = rk.GammaGamma().fit(s, weights="n")
        >>> ci = g.intervals(s, quantity="mean_spend")
        >>> bool((ci["lower"] < ci["estimate"]).all() and (ci["estimate"] < ci["upper"]).all())
        True
        """
        fitted = getattr(self, "_fit_data", None)
        if fitted is None:
            raise ValueError("intervals need the data of a fit without covariates: call fit() first")
        x, m, w, max_iterations, tolerance, penalizer = fitted
        pred: Dict[str, Any] = {}
        if summary is not None:
            need = "the intervals"
            pred = {
                "pred_frequency": _u32(_col(summary, frequency, "frequency", need), frequency),
                "pred_monetary": _f64(_col(summary, monetary_value, "monetary_value", need)),
            }
        out = _rk.spend_intervals(
            x, m, w, quantity, float(level),
            max_iterations=max_iterations, tolerance=tolerance, penalizer=penalizer,
            method=method, replicates=int(replicates), seed=int(seed), **pred,
        )
        return _interval_frame(out, quantity, self._names, summary, None, method)

    def log_likelihood_of(self, frequency: Any, monetary_value: Any, weights: Any = None) -> float:
        """Log-likelihood of data at the current parameters."""
        return float(
            _rk.spend_log_likelihood(self._p, _u32(frequency, "frequency"), _f64(monetary_value), _weights(weights))
        )


def _interval_frame(
    out: Dict[str, Any], quantity: str, names: Sequence[str], table: Any, total: Optional[str], method: str
) -> pd.DataFrame:
    """The core's intervals as a frame: rows named by parameter, ``total``, or the table's index."""
    columns = {k: out[k] for k in ("estimate", "standard_error", "lower", "upper")}
    if quantity == "parameters":
        index: Any = list(names)
    elif quantity == total:
        index = ["total"]
    elif table is not None and isinstance(table, pd.DataFrame):
        index = table.index
    else:
        index = None
    frame = pd.DataFrame(columns, index=index)
    frame.attrs.update({"level": out["level"], "method": method, "failed": out["failed"]})
    return frame


class BetaGeoBetaBinom(_Model):
    """BG/BB for discrete opportunities (Fader, Hardie & Shang 2010), as lifetimes' ``BetaGeoBetaBinomFitter``.

    Data: ``frequency`` (x), ``recency`` (t_x, the last opportunity with a
    transaction) and ``n_periods`` (n opportunities), optionally weighted.
    """

    _names = ("alpha", "beta", "gamma", "delta")
    _label = "BG/BB"

    def fit(
        self,
        data: Any,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        n_periods: str = "n_periods",
        weights: Optional[str] = None,
        penalizer: float = 0.0,
        max_iterations: int = 1000,
        tolerance: float = 1e-9,
    ) -> "BetaGeoBetaBinom":
        """Fit on (x, t_x, n[, weight]) rows; returns self."""
        w = None if weights is None else _weights(_col(data, weights, "weights"))
        x = _u32(_col(data, frequency, "frequency"), frequency)
        tx = _u32(_col(data, recency, "recency"), recency)
        n = _u32(_col(data, n_periods, "n_periods"), n_periods)
        self._store(_rk.fit_bgbb(x, tx, n, w, max_iterations, tolerance, penalizer))
        self._fit_data: Optional[Tuple[Any, ...]] = (x, tx, n, w, max_iterations, tolerance, penalizer)
        return self

    def intervals(
        self,
        data: Any = None,
        *,
        quantity: str = "parameters",
        m_periods_in_future: int = 1,
        level: float = 0.9,
        method: str = "delta",
        replicates: int = 1000,
        seed: int = 0,
        frequency: str = "frequency",
        recency: str = "recency",
        n_periods: str = "n_periods",
    ) -> pd.DataFrame:
        """Intervals at ``level`` from the covariance of the fit's estimates or a customer bootstrap.

        ``quantity`` is ``"parameters"``, ``"probability_alive"`` (at the next opportunity),
        ``"expected_transactions"`` (in the next ``m_periods_in_future`` opportunities), one row
        per row of ``data`` (default the fit's data), or ``"total_transactions"`` (one row, their
        sum). ``method="delta"`` (default): log scale for the parameters and transactions, logit
        for P(alive); ``"bootstrap"``: ``replicates`` refits on customers resampled with ``seed``,
        percentile intervals, ``attrs["failed"]`` the replicates that did not converge. The model
        is refitted on its data as :meth:`fit` fitted it. Columns ``estimate``,
        ``standard_error``, ``lower``, ``upper``. Source: docs/metrics.md, "Intervals on
        parameters and predictions".

        >>> import retentionkit as rk
        >>> d = {"frequency": [0, 1, 2, 4, 6], "recency": [0, 1, 5, 6, 6], "n_periods": [6] * 5,
        ...      "n": [300, 100, 80, 60, 90]}
        >>> m = rk.BetaGeoBetaBinom().fit(d, weights="n")
        >>> ci = m.intervals(d, quantity="expected_transactions", m_periods_in_future=5)
        >>> bool((ci["lower"] < ci["estimate"]).all() and (ci["estimate"] < ci["upper"]).all())
        True
        """
        fitted = getattr(self, "_fit_data", None)
        if fitted is None:
            raise ValueError("intervals need the data of a fit: call fit() first")
        x, tx, n, w, max_iterations, tolerance, penalizer = fitted
        pred: Dict[str, Any] = {}
        if data is not None:
            need = "the intervals"
            pred = {
                "pred_frequency": _u32(_col(data, frequency, "frequency", need), frequency),
                "pred_recency": _u32(_col(data, recency, "recency", need), recency),
                "pred_opportunities": _u32(_col(data, n_periods, "n_periods", need), n_periods),
            }
        out = _rk.bgbb_intervals(
            x, tx, n, w, quantity, float(level), future=int(m_periods_in_future),
            max_iterations=max_iterations, tolerance=tolerance, penalizer=penalizer,
            method=method, replicates=int(replicates), seed=int(seed), **pred,
        )
        return _interval_frame(out, quantity, self._names, data, "total_transactions", method)

    def _predict(self, frequency: Any, recency: Any, n_periods: Any, m: int) -> Tuple[np.ndarray, np.ndarray]:
        return _rk.bgbb_predict(
            self._p,
            _u32(frequency, "frequency"),
            _u32(recency, "recency"),
            _u32(n_periods, "n_periods"),
            int(m),
        )

    def conditional_probability_alive(self, frequency: Any, recency: Any, n_periods: Any) -> np.ndarray:
        """Probability alive at the next opportunity n + 1 (lifetimes' value with ``m_periods_in_future=1``)."""
        return self._predict(frequency, recency, n_periods, 1)[0]

    def conditional_expected_number_of_purchases_up_to_time(
        self, m_periods_in_future: int, frequency: Any, recency: Any, n_periods: Any
    ) -> np.ndarray:
        """Expected transactions in the next ``m_periods_in_future`` opportunities."""
        return self._predict(frequency, recency, n_periods, m_periods_in_future)[1]

    def log_likelihood_of(self, frequency: Any, recency: Any, n_periods: Any, weights: Any = None) -> float:
        """Log-likelihood of data at the current parameters."""
        return float(
            _rk.bgbb_log_likelihood(
                self._p,
                _u32(frequency, "frequency"),
                _u32(recency, "recency"),
                _u32(n_periods, "n_periods"),
                _weights(weights),
            )
        )


class ShiftedBetaGeometric(_WithCovariates):
    """Shifted-beta-geometric model of contractual retention (Fader & Hardie 2007).

    >>> import retentionkit as rk
    >>> m = rk.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> m.status
    'converged'
    """

    _names = ("alpha", "beta")
    _label = "sBG"
    _processes = (("purchase", "alpha"), ("dropout", "beta"))
    _cov_methods = "curves, derl, customer_params"

    def fit(
        self,
        survivors: Sequence[Any],
        *,
        penalizer: float = 0.0,
        max_iterations: int = 1000,
        tolerance: float = 1e-9,
        covariates: Any = None,
        alpha: Sequence[str] = (),
        beta: Sequence[str] = (),
        equal: Sequence[str] = (),
        l2: Union[float, Tuple[float, float]] = 0.0,
        reference: Optional[Dict[str, str]] = None,
    ) -> "ShiftedBetaGeometric":
        """Fit on survivor counts: customers at the start, then still active after each period; returns self.

        With covariates (the core's ``models::covariates``, docs/metrics.md "Covariates"),
        ``survivors`` is a list of cohorts' survivor counts (the cohorts may have different
        lengths) and ``covariates`` a table with one row per cohort; ``alpha`` and ``beta`` name
        its columns that act on α and β, α_i = α₀ e^(γ_α z), β_i = β₀ e^(γ_β z) (our own
        extension of the model); ``equal`` names covariates with one effect scaling α and β
        together; ``l2`` is the L2 penalty (one value, or ``(alpha, beta)``); ``reference`` as for
        :meth:`BetaGeo.fit`. :meth:`curves`, :meth:`derl` and :meth:`customer_params` then take
        the cohorts' ``covariates=``.

        >>> import retentionkit as rk
        >>> cohorts = [[1000, 631, 468, 382, 326, 289, 262, 241], [1000, 869, 743, 653, 593, 551, 517, 491]]
        >>> m = rk.ShiftedBetaGeometric().fit(
        ...     cohorts, covariates={"segment": ["regular", "high end"]}, alpha=["segment"], beta=["segment"])
        >>> m.customer_params({"segment": ["regular", "high end"]}).round(3).values.tolist()  # FH 2007
        [[0.704, 1.182], [0.668, 3.806]]
        """
        self._cov: Optional[Any] = None
        if alpha or beta or equal:
            cohorts = [[int(c) for c in s] for s in survivors]
            if any(c < 0 for s in cohorts for c in s):
                raise _rk.InvalidArgumentError("argument `survivors`: counts must be >= 0", argument="survivors")
            if covariates is None:
                raise _rk.InvalidArgumentError(
                    "argument `covariates`: give a table with one row per cohort", argument="covariates"
                )
            la, lb = (float(l2[0]), float(l2[1])) if isinstance(l2, tuple) else (float(l2), float(l2))
            numeric, categorical = self._cov_setup(covariates, list(alpha) + list(beta) + list(equal), reference)
            fit, self._cov = _rk.fit_sbg_covariates(
                cohorts, numeric, categorical, list(alpha), list(beta), list(equal), la, lb,
                max_iterations, tolerance, penalizer,
            )
            self._store(fit)
            return self
        counts = [int(c) for c in survivors]
        if any(c < 0 for c in counts):
            raise _rk.InvalidArgumentError("argument `survivors`: counts must be >= 0", argument="survivors")
        self._store(_rk.fit_sbg(counts, max_iterations, tolerance, penalizer))
        return self

    def curves(self, periods: int, covariates: Any = None) -> pd.DataFrame:
        """Survival S(t) and retention rate r(t) for t = 0..periods (r(0) is NaN). For a fit with
        covariates, of each row of ``covariates`` (a cohort): indexed by (row, period)."""
        if covariates is not None or getattr(self, "_cov", None) is not None:
            cov, numeric, categorical, rows = self._cov_rows(covariates)
            curves = cov.sbg_curves(rows, numeric, categorical, int(periods))
            n = int(periods) + 1
            return pd.DataFrame(
                {
                    "survival": np.concatenate([np.asarray(c[0]) for c in curves]),
                    "retention_rate": np.concatenate([np.asarray(c[1]) for c in curves]),
                },
                index=pd.MultiIndex.from_product([range(rows), range(n)], names=["row", "period"]),
            )
        survival, retention = _rk.sbg_curves(self._p, int(periods))
        return pd.DataFrame(
            {"survival": survival, "retention_rate": retention}, index=pd.RangeIndex(periods + 1, name="period")
        )

    def derl(self, discount_rate: float, renewals: int = 0, covariates: Any = None) -> Any:
        """Discounted expected residual lifetime of a customer after ``renewals`` renewals (for a
        fit with covariates: an array, one value per row of ``covariates``)."""
        if covariates is not None or getattr(self, "_cov", None) is not None:
            cov, numeric, categorical, rows = self._cov_rows(covariates)
            return cov.sbg_derl(rows, numeric, categorical, float(discount_rate), int(renewals))
        return float(_rk.sbg_derl(self._p, float(discount_rate), int(renewals)))


BgNbd = BetaGeo
MbgNbd = ModifiedBetaGeo
ParetoNbd = ParetoNBD
BgBb = BetaGeoBetaBinom
Sbg = ShiftedBetaGeometric
BgCnbd = BetaGeoCNBD
MbgCnbd = ModifiedBetaGeoCNBD
