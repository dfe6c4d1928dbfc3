"""The native module: numpy columns in, dicts of numpy arrays out. Use the package's functions instead."""

from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "EmptyError",
    "IncompatibleError",
    "InvalidArgumentError",
    "InvalidValueError",
    "LengthMismatchError",
    "MissingColumnError",
    "RetentionError",
    "TooLargeError",
    "ZeroDenominatorError",
    "average_order_value",
    "bgbb_log_likelihood",
    "bgbb_predict",
    "calibration_holdout",
    "churn_rate",
    "cohort_matrix",
    "fit_bgbb",
    "fit_repeat",
    "fit_sbg",
    "fit_spend",
    "kaplan_meier",
    "kpi_series",
    "log_rank",
    "parse_day",
    "period_kpis",
    "repeat_at_risk",
    "repeat_clv",
    "repeat_customer_rate",
    "repeat_expected_new",
    "repeat_log_likelihood",
    "repeat_predict",
    "repeat_tracking",
    "retention_rate",
    "rfm",
    "sbg_curves",
    "sbg_derl",
    "sbg_log_likelihood",
    "spend_expected",
    "spend_log_likelihood",
    "summary",
    "validate",
]

_Ids = npt.NDArray[Any]
_Days = npt.NDArray[np.int32]
_F64 = npt.NDArray[np.float64]
_U32 = npt.NDArray[np.uint32]
_U64 = npt.NDArray[np.uint64]

class RetentionError(ValueError): ...
class EmptyError(RetentionError): ...
class LengthMismatchError(RetentionError): ...
class InvalidValueError(RetentionError): ...
class ZeroDenominatorError(RetentionError): ...
class InvalidArgumentError(RetentionError): ...
class MissingColumnError(RetentionError): ...
class IncompatibleError(RetentionError): ...
class TooLargeError(RetentionError): ...

def kpi_series(
    ids: _Ids,
    days: _Days,
    amounts: Optional[_F64],
    granularity_name: str,
    lookback_days: Optional[int] = None,
    lookback_months: Optional[int] = None,
) -> Dict[str, Any]: ...
def period_kpis(
    ids: _Ids,
    days: _Days,
    amounts: Optional[_F64],
    start: int,
    end: int,
    lookback_days: Optional[int] = None,
    lookback_months: Optional[int] = None,
) -> Dict[str, Any]: ...
def cohort_matrix(
    ids: _Ids,
    days: _Days,
    amounts: Optional[_F64],
    granularity_name: str,
    observation_end: Optional[int] = None,
) -> Dict[str, Any]: ...
def summary(
    ids: _Ids, days: _Days, amounts: Optional[_F64], unit_name: str, observation_end: Optional[int] = None
) -> Dict[str, Any]: ...
def calibration_holdout(
    ids: _Ids,
    days: _Days,
    amounts: Optional[_F64],
    calibration_end: int,
    observation_end: Optional[int],
    unit_name: str,
) -> Dict[str, Any]: ...
def rfm(ids: _Ids, days: _Days, amounts: Optional[_F64], observation_end: Optional[int] = None) -> Dict[str, Any]: ...
def parse_day(text: str) -> int: ...
def validate(ids: _Ids, days: _Days, amounts: Optional[_F64]) -> Tuple[int, int, int, int]: ...
def retention_rate(start: int, end: int, acquired: int) -> float: ...
def churn_rate(start: int, retained: int) -> float: ...
def repeat_customer_rate(active: int, repeat: int) -> float: ...
def average_order_value(revenue: float, orders: int) -> float: ...
def fit_repeat(
    model: str,
    frequency: _U32,
    recency: _F64,
    age: _F64,
    weights: Optional[_U64] = None,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Dict[str, Any]: ...
def repeat_log_likelihood(
    model: str, params: List[float], frequency: _U32, recency: _F64, age: _F64, weights: Optional[_U64] = None
) -> float: ...
def repeat_predict(
    model: str, params: List[float], frequency: _U32, recency: _F64, age: _F64, horizon: float
) -> Tuple[_F64, _F64]: ...
def repeat_expected_new(model: str, params: List[float], horizons: _F64) -> _F64: ...
def repeat_at_risk(
    model: str,
    params: List[float],
    ids: _Ids,
    days: _Days,
    amounts: Optional[_F64],
    unit_name: str,
    horizon: float,
    observation_end: Optional[int] = None,
) -> Dict[str, Any]: ...
def repeat_tracking(
    model: str,
    params: List[float],
    ids: _Ids,
    days: _Days,
    amounts: Optional[_F64],
    unit_name: str,
    at: _Days,
) -> Tuple[_F64, _U64]: ...
def repeat_clv(
    model: str,
    params: List[float],
    spend_params: List[float],
    frequency: _U32,
    recency: _F64,
    age: _F64,
    monetary: _F64,
    periods: int,
    period_length: float,
    discount: float,
) -> _F64: ...
def fit_spend(
    frequency: _U32,
    monetary: _F64,
    weights: Optional[_U64] = None,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Dict[str, Any]: ...
def spend_expected(params: List[float], frequency: _U32, monetary: _F64) -> _F64: ...
def spend_log_likelihood(
    params: List[float], frequency: _U32, monetary: _F64, weights: Optional[_U64] = None
) -> float: ...
def fit_bgbb(
    frequency: _U32,
    recency: _U32,
    opportunities: _U32,
    weights: Optional[_U64] = None,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Dict[str, Any]: ...
def bgbb_log_likelihood(
    params: List[float], frequency: _U32, recency: _U32, opportunities: _U32, weights: Optional[_U64] = None
) -> float: ...
def bgbb_predict(
    params: List[float], frequency: _U32, recency: _U32, opportunities: _U32, future: int
) -> Tuple[_F64, _F64]: ...
def fit_sbg(
    survivors: List[int], max_iterations: int = 1000, tolerance: float = 1e-9, penalizer: float = 0.0
) -> Dict[str, Any]: ...
def sbg_curves(params: List[float], periods: int) -> Tuple[_F64, _F64]: ...
def sbg_log_likelihood(params: List[float], survivors: List[int]) -> float: ...
def sbg_derl(params: List[float], discount: float, renewals: int) -> float: ...
def kaplan_meier(
    durations: _F64, observed: npt.NDArray[np.bool_], confidence_level: float = 0.95, horizon: Optional[float] = None
) -> Dict[str, Any]: ...
def log_rank(durations: _F64, observed: npt.NDArray[np.bool_], groups: _U64) -> Tuple[float, int, float]: ...
