"""A drop-in for lifetimes 0.11.3 users: its fitter classes, computed by retentionkit.

``from retentionkit.lifetimes import BetaGeoFitter`` in place of
``from lifetimes import BetaGeoFitter``: the same constructors, ``fit``
signatures, attributes (``params_``, ``data``, ``summary``,
``standard_errors_``, ``confidence_intervals_``, ``predict``) and prediction
methods, with the numbers from :class:`retentionkit.BetaGeo` and its
siblings. This module is a translation layer only: every number comes from
the retentionkit models, which are built from ``params_`` at each call (so
``params_`` set by hand is used, as in lifetimes).

What differs from lifetimes on purpose (docs/lifetimes.md, "The drop-in"):

- ``initial_params``, ``verbose``, ``tol``, ``ParetoNBDFitter``'s
  ``iterative_fitting``, ``fit_method`` and ``maxiter`` and extra keyword
  arguments of ``fit`` are accepted and ignored: the core's optimiser picks its
  own starts and stops at a relative tolerance of 1e-9, so the estimates agree
  with lifetimes' to lifetimes' optimiser tolerance, not to the last digit.
- ``penalizer_coef`` is the core's L2 penalty on the parameters as they are
  (−LL/n + λΣθ²); lifetimes penalises BG/NBD's and MBG/NBD's parameters after
  rescaling time so that the largest T is 10, and does not divide Pareto/NBD's
  log-likelihood by n: penalised estimates differ.
- ``weights`` must be whole numbers (counts of identical customers).
- Customers that cannot exist (repeat purchases with recency 0, or a recency
  above 0 without repeat purchases) are refused (``InvalidValueError``);
  ``conditional_probability_alive_matrix`` leaves those cells NaN.
- No ``variance_matrix_`` (the core gives standard errors, not the
  covariance); ``confidence_intervals_`` are the same Wald bounds.
- Not available (``NotImplementedError``): ``probability_of_n_purchases_up_to_time``,
  ``conditional_probability_of_n_purchases_up_to_time``,
  ``expected_number_of_transactions_in_first_n_periods``, ``generate_new_data``,
  BG/BB's ``conditional_probability_alive`` further ahead than
  ``m_periods_in_future=1`` and ``GammaGammaFitter.fit(q_constraint=True)``.

>>> import retentionkit as rk
>>> from retentionkit.lifetimes import BetaGeoFitter
>>> customers = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426).simulate([39.0] * 2000, seed=3)
>>> bgf = BetaGeoFitter()
>>> bgf.fit(customers["frequency"], customers["recency"], customers["T"])  # doctest: +ELLIPSIS
<retentionkit.lifetimes.BetaGeoFitter: fitted with 2000 subjects, a: ..., alpha: ..., b: ..., r: ...>
>>> list(bgf.params_.index)
['r', 'alpha', 'a', 'b']
"""

from __future__ import annotations

import pickle
from typing import Any, Dict, Optional, Tuple

import numpy as np

from .._lazy import pandas as pd
from .. import models as _models

__all__ = [
    "BaseFitter",
    "BetaGeoFitter",
    "ModifiedBetaGeoFitter",
    "ParetoNBDFitter",
    "BetaGeoBetaBinomFitter",
    "GammaGammaFitter",
]

# lifetimes' month in each of its time units (utils._customer_lifetime_value).
_MONTH = {"W": 4.345, "M": 1.0, "D": 30.0, "H": 30.0 * 24}


def _not_here(what: str) -> NotImplementedError:
    return NotImplementedError(
        f"{what} is not in retentionkit.lifetimes: retentionkit does not compute it "
        "(see docs/lifetimes.md, 'The drop-in: retentionkit.lifetimes')"
    )


def _flat(*values: Any) -> Tuple[Any, Tuple[np.ndarray, ...], Tuple[int, ...]]:
    """The inputs broadcast and flattened for the core, the first pandas Series among them
    (for lifetimes' Series results) and their common shape."""
    series = next((v for v in values if isinstance(v, pd.Series)), None)
    arrays = np.broadcast_arrays(*[np.asarray(v, dtype=np.float64) for v in values])
    shape = arrays[0].shape
    return series, tuple(np.ravel(a) for a in arrays), shape


def _out(values: np.ndarray, series: Any, shape: Tuple[int, ...]) -> Any:
    """A result shaped as lifetimes' arithmetic on the same inputs would be: a Series for a
    Series input, a scalar for scalars, an array otherwise."""
    if series is not None:
        return pd.Series(np.asarray(values).reshape(shape), index=series.index)
    if shape == ():
        return np.float64(np.asarray(values)[0])
    return np.asarray(values).reshape(shape)


class BaseFitter(object):
    """What every fitter shares: ``params_``, ``summary``, repr, saving and loading."""

    _names: Tuple[str, ...] = ()
    _rk_names: Tuple[str, ...] = ()
    _rk_class: Any = None

    def __init__(self, penalizer_coef: float = 0.0) -> None:
        self.penalizer_coef = penalizer_coef

    def __repr__(self) -> str:
        name = type(self).__name__
        data = getattr(self, "data", None)
        subjects = "" if data is None else f" fitted with {data.shape[0]:d} subjects,"
        params = getattr(self, "params_", None)
        if params is None:
            return f"<retentionkit.lifetimes.{name}>"
        shown = ", ".join(f"{k}: {v:.2f}" for k, v in sorted(params.items()))
        return f"<retentionkit.lifetimes.{name}:{subjects} {shown}>"

    def _unload_params(self, *args: str) -> list:
        params = getattr(self, "params_", None)
        if params is None:
            raise ValueError("Model has not been fit yet. Please call the .fit method first.")
        return [params[x] for x in args]

    def _rk(self) -> Any:
        """The retentionkit model at ``params_``."""
        values = self._unload_params(*self._names)
        return self._rk_class(**dict(zip(self._rk_names, values)))

    def _store(self, model: Any, data: Any) -> None:
        values = [model.params[n] for n in self._rk_names]
        self.params_ = pd.Series(values, index=list(self._names), dtype=np.float64)
        self.data = data
        se = model.standard_errors
        s = np.array([se[n] for n in self._rk_names]) if se else np.full(len(values), np.nan)
        self.standard_errors_ = pd.Series(s, index=list(self._names), dtype=np.float64)
        self.confidence_intervals_ = pd.DataFrame(
            {"lower 95% bound": self.params_ - 1.96 * self.standard_errors_,
             "upper 95% bound": self.params_ + 1.96 * self.standard_errors_},
            index=list(self._names),
        )
        self._rk_model = model

    @property
    def summary(self) -> Any:
        """The parameters with their standard errors and 95 % Wald bounds."""
        if getattr(self, "params_", None) is None:
            raise ValueError("Model has not been fit yet. Please call the .fit method first.")
        df = pd.DataFrame(index=self.params_.index)
        df["coef"] = self.params_
        df["se(coef)"] = getattr(self, "standard_errors_", np.nan)
        bounds = getattr(self, "confidence_intervals_", None)
        df["lower 95% bound"] = np.nan if bounds is None else bounds["lower 95% bound"]
        df["upper 95% bound"] = np.nan if bounds is None else bounds["upper 95% bound"]
        return df

    def print_summary(self) -> None:
        """Print :attr:`summary`."""
        print(self.summary)

    def save_model(
        self,
        path: str,
        save_data: bool = True,
        save_generate_data_method: bool = True,
        values_to_save: Optional[list] = None,
    ) -> None:
        """Pickle the fitter's attributes to ``path`` (``data`` left out with ``save_data=False``)."""
        state = dict(self.__dict__)
        if not save_data:
            state["data"] = None if values_to_save is None else values_to_save[0]
        with open(path, "wb") as f:
            pickle.dump(state, f)

    def load_model(self, path: str) -> None:
        """Restore the attributes saved by :meth:`save_model`."""
        with open(path, "rb") as f:
            self.__dict__.update(pickle.load(f))

    def _fit_options(self) -> Dict[str, Any]:
        return {"penalizer": float(self.penalizer_coef)}


def _weights(weights: Any, n: int) -> np.ndarray:
    return np.ones(n, dtype=np.int64) if weights is None else np.asarray(weights)


class _RepeatFitter(BaseFitter):
    """The (frequency, recency, T) fitters."""

    # lifetimes' BG/NBD and MBG/NBD give P(alive) as a numpy array whatever the inputs.
    _alive_array = True

    def fit(
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-7,
        index: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Fit on customers' ``frequency``, ``recency`` and ``T`` (``weights``: counts of
        identical customers); returns self. ``initial_params``, ``verbose``, ``tol`` and other
        keywords are accepted and ignored."""
        f = np.asarray(frequency)
        w = _weights(weights, f.size)
        columns = {"frequency": f, "recency": np.asarray(recency, dtype=np.float64),
                   "T": np.asarray(T, dtype=np.float64), "weights": w}
        model = self._rk_class().fit(columns, weights="weights", **self._fit_options())
        # The core has checked that the counts are whole: lifetimes keeps them as integers.
        data = pd.DataFrame(dict(columns, frequency=f.astype(int)), index=index)
        self._store(model, data)
        return self

    def conditional_expected_number_of_purchases_up_to_time(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Expected purchases of each customer in the next ``t`` (in the unit of T)."""
        series, (tt, f, r, a), shape = _flat(t, frequency, recency, T)
        model = self._rk()
        if np.all(tt == tt[0]) if tt.size else True:
            values = model.conditional_expected_number_of_purchases_up_to_time(
                float(tt[0]) if tt.size else 0.0, f, r, a)
        else:
            values = np.array([model.conditional_expected_number_of_purchases_up_to_time(
                float(ti), [fi], [ri], [ai])[0] for ti, fi, ri, ai in zip(tt, f, r, a)])
        return _out(values, series, shape)

    def predict(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """:meth:`conditional_expected_number_of_purchases_up_to_time` (what lifetimes' ``fit`` sets)."""
        return self.conditional_expected_number_of_purchases_up_to_time(t, frequency, recency, T)

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Probability that each customer is alive at T."""
        series, (f, r, a), shape = _flat(frequency, recency, T)
        alive = self._rk().conditional_probability_alive(f, r, a)
        if self._alive_array:
            return np.atleast_1d(alive.reshape(shape))
        return _out(alive, series, shape)

    def conditional_probability_alive_matrix(
        self, max_frequency: Optional[int] = None, max_recency: Optional[int] = None
    ) -> np.ndarray:
        """P(alive) of a customer of age ``max_recency`` for recency 0..max_recency (rows)
        and frequency 0..max_frequency (columns). The impossible cells, repeat purchases
        with recency 0 and a recency above 0 without repeat purchases, are NaN
        (retentionkit refuses such customers; lifetimes gives a number)."""
        max_frequency = max_frequency or int(self.data["frequency"].max())
        max_recency = max_recency or int(self.data["T"].max())
        r, f = np.meshgrid(np.arange(max_recency + 1.0), np.arange(max_frequency + 1.0), indexing="ij")
        ok = (f == 0) == (r == 0)
        z = np.full(r.shape, np.nan)
        z[ok] = np.asarray(self.conditional_probability_alive(f[ok], r[ok], np.full(int(ok.sum()), float(max_recency))))
        return z

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        """Expected repeat purchases of a new customer in its first ``t``."""
        series, (tt,), shape = _flat(t)
        return _out(self._rk().expected_number_of_purchases_up_to_time(tt), series, shape)

    def probability_of_n_purchases_up_to_time(self, t: Any, n: Any) -> Any:
        raise _not_here("probability_of_n_purchases_up_to_time")

    def generate_new_data(self, size: int = 1) -> Any:
        raise _not_here("generate_new_data (retentionkit.BetaGeo(...).simulate(T, seed=) draws customers)")


class BetaGeoFitter(_RepeatFitter):
    """lifetimes' ``BetaGeoFitter`` (BG/NBD), computed by :class:`retentionkit.BetaGeo`."""

    _names = ("r", "alpha", "a", "b")
    _rk_names = ("r", "alpha", "a", "b")
    _rk_class = _models.BetaGeo


class ModifiedBetaGeoFitter(_RepeatFitter):
    """lifetimes' ``ModifiedBetaGeoFitter`` (MBG/NBD), computed by :class:`retentionkit.ModifiedBetaGeo`."""

    _names = ("r", "alpha", "a", "b")
    _rk_names = ("r", "alpha", "a", "b")
    _rk_class = _models.ModifiedBetaGeo


class ParetoNBDFitter(_RepeatFitter):
    """lifetimes' ``ParetoNBDFitter``, computed by :class:`retentionkit.ParetoNBD`."""

    _names = ("r", "alpha", "s", "beta")
    _rk_names = ("r", "alpha", "s", "beta")
    _rk_class = _models.ParetoNBD
    _alive_array = False

    def fit(  # type: ignore[override]
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        iterative_fitting: int = 1,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-4,
        index: Any = None,
        fit_method: str = "Nelder-Mead",
        maxiter: int = 2000,
        **kwargs: Any,
    ) -> "ParetoNBDFitter":
        """Fit as lifetimes does; ``iterative_fitting``, ``fit_method``, ``maxiter`` and the
        other optimiser settings are accepted and ignored (the core runs its own optimiser)."""
        return super().fit(frequency, recency, T, weights=weights, index=index)

    def conditional_probability_of_n_purchases_up_to_time(self, n: Any, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        raise _not_here("conditional_probability_of_n_purchases_up_to_time")


class BetaGeoBetaBinomFitter(BaseFitter):
    """lifetimes' ``BetaGeoBetaBinomFitter`` (BG/BB), computed by :class:`retentionkit.BetaGeoBetaBinom`."""

    _names = ("alpha", "beta", "gamma", "delta")
    _rk_names = ("alpha", "beta", "gamma", "delta")
    _rk_class = _models.BetaGeoBetaBinom

    def fit(
        self,
        frequency: Any,
        recency: Any,
        n_periods: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-7,
        index: Any = None,
        **kwargs: Any,
    ) -> "BetaGeoBetaBinomFitter":
        """Fit on (frequency, recency, n_periods[, weights]); returns self."""
        columns = {"frequency": np.asarray(frequency), "recency": np.asarray(recency),
                   "n_periods": np.asarray(n_periods), "weights": _weights(weights, np.size(frequency))}
        model = self._rk_class().fit(columns, weights="weights", **self._fit_options())
        # The core has checked that the counts are whole: lifetimes keeps them as integers.
        whole = {k: (v if k == "weights" else v.astype(int)) for k, v in columns.items()}
        self._store(model, pd.DataFrame(whole, index=index))
        return self

    def _both(self, m: Any, frequency: Any, recency: Any, n_periods: Any) -> Tuple[Any, Any]:
        series, (f, r, n), shape = _flat(frequency, recency, n_periods)
        alive, expected = self._rk()._predict(f, r, n, int(m))
        return _out(alive, series, shape), _out(expected, series, shape)

    def conditional_expected_number_of_purchases_up_to_time(
        self, m_periods_in_future: int, frequency: Any, recency: Any, n_periods: Any
    ) -> Any:
        """Expected transactions in the next ``m_periods_in_future`` opportunities."""
        return self._both(m_periods_in_future, frequency, recency, n_periods)[1]

    def conditional_probability_alive(self, m_periods_in_future: int, frequency: Any, recency: Any, n_periods: Any) -> Any:
        """Probability alive at the next opportunity, n + 1 (``m_periods_in_future=1`` only:
        retentionkit does not compute it further ahead)."""
        if m_periods_in_future != 1:
            raise _not_here("BetaGeoBetaBinomFitter.conditional_probability_alive with m_periods_in_future other than 1")
        return self._both(m_periods_in_future, frequency, recency, n_periods)[0]

    def expected_number_of_transactions_in_first_n_periods(self, n: int) -> Any:
        raise _not_here("expected_number_of_transactions_in_first_n_periods")


class GammaGammaFitter(BaseFitter):
    """lifetimes' ``GammaGammaFitter``, computed by :class:`retentionkit.GammaGamma`
    (whose third parameter ``gamma`` is lifetimes' ``v``)."""

    _names = ("p", "q", "v")
    _rk_names = ("p", "q", "gamma")
    _rk_class = _models.GammaGamma

    def fit(
        self,
        frequency: Any,
        monetary_value: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-7,
        index: Any = None,
        q_constraint: bool = False,
        **kwargs: Any,
    ) -> "GammaGammaFitter":
        """Fit on repeat buyers' ``frequency`` and mean ``monetary_value``; returns self."""
        if q_constraint:
            raise _not_here("GammaGammaFitter.fit(q_constraint=True)")
        f = np.asarray(frequency, dtype=np.float64)
        w = _weights(weights, f.size)
        columns = {"monetary_value": np.asarray(monetary_value, dtype=np.float64), "frequency": f, "weights": w}
        model = self._rk_class().fit(columns, weights="weights", **self._fit_options())
        self._store(model, pd.DataFrame(columns, index=index))
        return self

    def conditional_expected_average_profit(self, frequency: Any = None, monetary_value: Any = None) -> Any:
        """Expected mean spend per transaction of each customer (the fitted data's by default)."""
        if frequency is None:
            frequency = self.data["frequency"]
        if monetary_value is None:
            monetary_value = self.data["monetary_value"]
        series, (f, m), shape = _flat(frequency, monetary_value)
        return _out(self._rk().conditional_expected_average_profit(f, m), series, shape)

    def customer_lifetime_value(
        self,
        transaction_prediction_model: Any,
        frequency: Any,
        recency: Any,
        T: Any,
        monetary_value: Any,
        time: int = 12,
        discount_rate: float = 0.01,
        freq: str = "D",
    ) -> Any:
        """Discounted CLV over ``time`` months of ``discount_rate`` each, ``freq`` being the
        unit of T (``"D"``, ``"W"``, ``"M"`` or ``"H"``; a month is 30 days, 4.345 weeks or
        720 hours, as in lifetimes); a Series named ``clv`` indexed like ``frequency``."""
        if freq not in _MONTH:
            raise KeyError(freq)
        if not isinstance(transaction_prediction_model, _RepeatFitter):
            raise TypeError(
                "transaction_prediction_model: a retentionkit.lifetimes BetaGeoFitter, "
                "ModifiedBetaGeoFitter or ParetoNBDFitter is needed"
            )
        model = transaction_prediction_model._rk()
        table = {"frequency": np.asarray(frequency), "recency": np.asarray(recency, dtype=np.float64),
                 "T": np.asarray(T, dtype=np.float64), "monetary_value": np.asarray(monetary_value, dtype=np.float64)}
        clv = model.customer_lifetime_value(self._rk(), table, periods=int(time), period_length=_MONTH[freq],
                                            discount_rate=float(discount_rate))
        index = getattr(frequency, "index", None)
        return pd.Series(np.asarray(clv), index=index, name="clv")
