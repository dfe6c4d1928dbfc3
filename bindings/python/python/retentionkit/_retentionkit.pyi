"""The native module: numpy columns in, dicts of numpy arrays out. Use the package's functions instead."""

from typing import Any, ClassVar, Dict, List, Optional, Tuple, Union, final

import numpy as np
import numpy.typing as npt

# The exception classes are defined in Python (retentionkit/_errors.py); the
# native module raises them and holds the same class objects.
from ._errors import (
    EmptyError as EmptyError,
    IncompatibleError as IncompatibleError,
    InvalidArgumentError as InvalidArgumentError,
    InvalidValueError as InvalidValueError,
    LengthMismatchError as LengthMismatchError,
    MissingColumnError as MissingColumnError,
    RetentionError as RetentionError,
    TooLargeError as TooLargeError,
    ZeroDenominatorError as ZeroDenominatorError,
)

__all__ = [
    "ArrowColumns",
    "BracketPartial",
    "CohortPartial",
    "CompressedPartial",
    "CompressedSpendPartial",
    "CovariateFit",
    "EmptyError",
    "IncompatibleError",
    "InvalidArgumentError",
    "InvalidValueError",
    "KPI_COUNTS",
    "KpiPartial",
    "LifecyclePartial",
    "LengthMismatchError",
    "Log",
    "MissingColumnError",
    "RetentionError",
    "SubscriptionLog",
    "SummaryPartial",
    "TooLargeError",
    "ZeroDenominatorError",
    "average_order_value",
    "bgbb_log_likelihood",
    "bgbb_predict",
    "bracket_partial",
    "bracket_retention",
    "calibration_holdout",
    "churn_rate",
    "cnbd_expected_new",
    "cnbd_log_likelihood",
    "cnbd_predict",
    "code_text_ids",
    "cohort_matrix",
    "cohort_partial",
    "demo_shop",
    "discounted_clv",
    "fit_bgbb",
    "fit_cnbd",
    "fit_repeat",
    "fit_nbd",
    "nbd_expected",
    "nbd_expected_new",
    "fit_repeat_covariates",
    "fit_sbg",
    "fit_sbg_covariates",
    "fit_spend",
    "fit_spend_covariates",
    "holdout_check",
    "likelihood_ratio_test",
    "kaplan_meier",
    "kpi_partial",
    "kpi_series",
    "lifecycle",
    "lifecycle_partial",
    "log_intertransaction_times",
    "log_rank",
    "cox_ph",
    "weibull_aft",
    "merge_kaplan_meier",
    "merge_mrr_movements",
    "merge_rfm",
    "parse_day",
    "period_kpis",
    "repeat_at_risk",
    "repeat_clv",
    "repeat_customer_rate",
    "repeat_alive_at",
    "repeat_dert",
    "repeat_distribution",
    "repeat_expected_new",
    "repeat_pmf_new",
    "repeat_intervals",
    "repeat_prediction_interval",
    "bgbb_intervals",
    "spend_intervals",
    "repeat_log_likelihood",
    "repeat_predict",
    "repeat_simulate",
    "repeat_tracking",
    "retention_cost",
    "retention_rate",
    "rfm",
    "sbg_curves",
    "sbg_derl",
    "sbg_log_likelihood",
    "scorecard",
    "spend_expected",
    "spend_log_likelihood",
    "subscription_clv",
    "summary",
    "summary_partial",
    "survey_by_cohort",
    "survey_by_period",
    "survey_score",
    "unit_name",
    "whatif_lift",
    "whatif_outcome",
    "whatif_retention_of_lifespan",
    "wheat_morrison",
]

_Ids = npt.NDArray[Any]
_Days = npt.NDArray[np.int32]
_F64 = npt.NDArray[np.float64]
_U32 = npt.NDArray[np.uint32]
_U64 = npt.NDArray[np.uint64]
_LogArg = Union[Log, ArrowColumns, Tuple[_Ids, _Days, Optional[_F64]]]


@final
class Log:
    def __new__(cls, ids: _Ids, days: _Days, amounts: Optional[_F64] = None) -> Log: ...
    @property
    def num_rows(self) -> int: ...
    @property
    def num_customers(self) -> int: ...
    @property
    def first_day(self) -> int: ...
    @property
    def last_day(self) -> int: ...
    @property
    def has_amounts(self) -> bool: ...
    @property
    def ids(self) -> _U64: ...
    @property
    def days(self) -> _Days: ...
    @property
    def amounts(self) -> Optional[_F64]: ...
    @staticmethod
    def from_arrow(columns: ArrowColumns) -> Log: ...

@final
class ArrowColumns:
    def __new__(
        cls,
        data: Any,
        customer_id: str,
        date: str,
        amount: Optional[str] = None,
        date_format: Optional[str] = None,
    ) -> ArrowColumns: ...
    @property
    def labels(self) -> Optional[List[str]]: ...
    @property
    def zero_copy(self) -> bool: ...
    @property
    def ids_address(self) -> int: ...
    @property
    def num_rows(self) -> int: ...

def demo_shop(
    seed: Optional[int] = None,
    customers: Optional[int] = None,
    start: Optional[int] = None,
    days: Optional[int] = None,
) -> Dict[str, np.ndarray]: ...

def kpi_series(
    log: _LogArg,
    granularity_name: str,
    lookback_days: Optional[int] = None,
    lookback_months: Optional[int] = None,
) -> Dict[str, Any]: ...

def lifecycle(log: _LogArg, granularity_name: str) -> Dict[str, Any]: ...

KPI_COUNTS: Tuple[str, ...]
"""The KPI counts of a period, which add across partitions (the core's ``KpiRow::COUNTS``)."""

@final
class KpiPartial:
    def __new__(cls, state: bytes) -> KpiPartial: ...
    def __bytes__(self) -> bytes: ...
    def __reduce__(self) -> Tuple[type, Tuple[bytes]]: ...
    @staticmethod
    def merge(parts: List[KpiPartial]) -> KpiPartial: ...
    def __len__(self) -> int: ...
    def table(self) -> Dict[str, Any]: ...

def kpi_partial(
    log: _LogArg,
    granularity_name: str,
    first_day: int,
    last_day: int,
    lookback_days: Optional[int] = None,
    lookback_months: Optional[int] = None,
) -> KpiPartial: ...
@final
class LifecyclePartial:
    def __new__(cls, state: bytes) -> LifecyclePartial: ...
    def __bytes__(self) -> bytes: ...
    def __reduce__(self) -> Tuple[type, Tuple[bytes]]: ...
    @staticmethod
    def merge(parts: List[LifecyclePartial]) -> LifecyclePartial: ...
    def __len__(self) -> int: ...
    def table(self) -> Dict[str, Any]: ...

def lifecycle_partial(log: _LogArg, granularity_name: str, first_day: int, last_day: int) -> LifecyclePartial: ...
@final
class CohortPartial:
    def __new__(cls, state: bytes) -> CohortPartial: ...
    def __bytes__(self) -> bytes: ...
    def __reduce__(self) -> Tuple[type, Tuple[bytes]]: ...
    @staticmethod
    def merge(parts: List[CohortPartial]) -> CohortPartial: ...
    def __len__(self) -> int: ...
    def table(self) -> Dict[str, Any]: ...

def cohort_partial(
    log: _LogArg,
    granularity_name: str, observation_end: int
) -> CohortPartial: ...
@final
class BracketPartial:
    def __new__(cls, state: bytes) -> BracketPartial: ...
    def __bytes__(self) -> bytes: ...
    def __reduce__(self) -> Tuple[type, Tuple[bytes]]: ...
    @staticmethod
    def merge(parts: List[BracketPartial]) -> BracketPartial: ...
    def __len__(self) -> int: ...
    def table(self) -> Dict[str, Any]: ...

def bracket_partial(
    log: _LogArg,
    granularity_name: str,
    starts: List[int],
    ends: List[int],
    observation_end: int,
) -> BracketPartial: ...
@final
class SummaryPartial:
    def __new__(cls, state: bytes) -> SummaryPartial: ...
    def __bytes__(self) -> bytes: ...
    def __reduce__(self) -> Tuple[type, Tuple[bytes]]: ...
    @staticmethod
    def merge(parts: List[SummaryPartial]) -> SummaryPartial: ...
    def __len__(self) -> int: ...
    def table(self) -> Dict[str, Any]: ...
    def compress(self) -> CompressedPartial: ...
    def compress_spend(self) -> CompressedSpendPartial: ...

def summary_partial(
    log: _LogArg,
    labels: Optional[List[str]],
    unit_name: str,
    observation_end: int,
) -> SummaryPartial: ...
@final
class CompressedPartial:
    COLUMNS: ClassVar[Tuple[str, str, str]]
    def __new__(cls, state: bytes) -> CompressedPartial: ...
    def __bytes__(self) -> bytes: ...
    def __reduce__(self) -> Tuple[type, Tuple[bytes]]: ...
    @staticmethod
    def merge(parts: List[CompressedPartial]) -> CompressedPartial: ...
    def __len__(self) -> int: ...
    def table(self) -> Dict[str, Any]: ...

@final
class CompressedSpendPartial:
    COLUMNS: ClassVar[Tuple[str, str]]
    def __new__(cls, state: bytes) -> CompressedSpendPartial: ...
    def __bytes__(self) -> bytes: ...
    def __reduce__(self) -> Tuple[type, Tuple[bytes]]: ...
    @staticmethod
    def merge(parts: List[CompressedSpendPartial]) -> CompressedSpendPartial: ...
    def __len__(self) -> int: ...
    def table(self) -> Dict[str, Any]: ...

def period_kpis(
    log: _LogArg,
    start: int,
    end: int,
    lookback_days: Optional[int] = None,
    lookback_months: Optional[int] = None,
) -> Dict[str, Any]: ...
def cohort_matrix(
    log: _LogArg,
    granularity_name: str,
    observation_end: Optional[int] = None,
) -> Dict[str, Any]: ...
def bracket_retention(
    log: _LogArg,
    granularity_name: str,
    starts: List[int],
    ends: List[int],
    observation_end: Optional[int] = None,
) -> Dict[str, Any]: ...
def summary(
    log: _LogArg,
    unit_name: str, observation_end: Optional[int] = None
) -> Dict[str, Any]: ...
def calibration_holdout(
    log: _LogArg,
    calibration_end: int,
    observation_end: Optional[int],
    unit_name: str,
    holdout_spend: str = "per_day",
) -> Dict[str, Any]: ...
def rfm(log: _LogArg, observation_end: Optional[int] = None) -> Dict[str, Any]: ...
def parse_day(text: str) -> int: ...
def code_text_ids(texts: List[str]) -> Tuple[npt.NDArray[np.int64], List[str]]: ...
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
def fit_nbd(
    frequency: _U32,
    recency: _F64,
    age: _F64,
    weights: Optional[_U64],
    max_iterations: int,
    tolerance: float,
    penalizer: float,
) -> Dict[str, Any]: ...
def nbd_expected(
    params: Tuple[float, float], frequency: _U32, recency: _F64, age: _F64, horizon: float
) -> _F64: ...
def nbd_expected_new(params: Tuple[float, float], horizon: float) -> float: ...
_Numeric = List[Tuple[str, _F64]]
_Categorical = List[Tuple[str, List[str], Optional[str]]]

@final
class CovariateFit:
    def predict(
        self, numeric: _Numeric, categorical: _Categorical, frequency: _U32, recency: _F64, age: _F64, horizon: float
    ) -> Tuple[_F64, _F64]: ...
    def expected_new(self, rows: int, numeric: _Numeric, categorical: _Categorical, horizon: float) -> _F64: ...
    def customer_params(self, rows: int, numeric: _Numeric, categorical: _Categorical) -> List[List[float]]: ...
    def expected_spend(
        self, numeric: _Numeric, categorical: _Categorical, frequency: _U32, monetary: _F64
    ) -> _F64: ...
    def sbg_curves(
        self, rows: int, numeric: _Numeric, categorical: _Categorical, periods: int
    ) -> List[Tuple[List[float], List[float]]]: ...
    def sbg_derl(
        self, rows: int, numeric: _Numeric, categorical: _Categorical, discount: float, renewals: int
    ) -> _F64: ...
    def alive_at(
        self, numeric: _Numeric, categorical: _Categorical, frequency: _U32, recency: _F64, age: _F64, horizon: float
    ) -> _F64: ...
    def pmf(
        self,
        numeric: _Numeric,
        categorical: _Categorical,
        frequency: _U32,
        recency: _F64,
        age: _F64,
        horizon: float,
        n: int,
    ) -> _F64: ...
    def pmf_new(self, rows: int, numeric: _Numeric, categorical: _Categorical, horizon: float, n: int) -> _F64: ...
    def dert(
        self,
        numeric: _Numeric,
        categorical: _Categorical,
        frequency: _U32,
        recency: _F64,
        age: _F64,
        discount_rate: float,
    ) -> _F64: ...
    def clv(
        self,
        numeric: _Numeric,
        categorical: _Categorical,
        frequency: _U32,
        recency: _F64,
        age: _F64,
        monetary: _F64,
        spend_params: Optional[List[float]],
        spend_fit: Optional[CovariateFit],
        spend_numeric: _Numeric,
        spend_categorical: _Categorical,
        unit_name: str,
        periods: int,
        period_length: Optional[float],
        discount: float,
    ) -> _F64: ...
    def intervals(
        self,
        numeric: _Numeric,
        categorical: _Categorical,
        frequency: _U32,
        recency: _F64,
        age: _F64,
        quantity: str,
        horizon: float,
        level: float,
    ) -> Dict[str, Any]: ...

def fit_repeat_covariates(
    model: str,
    frequency: _U32,
    recency: _F64,
    age: _F64,
    weights: Optional[_U64],
    numeric: _Numeric,
    categorical: _Categorical,
    purchase: List[str],
    dropout: List[str],
    equal: List[str],
    l2_purchase: float = 0.0,
    l2_dropout: float = 0.0,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Tuple[Dict[str, Any], CovariateFit]: ...
def fit_spend_covariates(
    frequency: _U32,
    monetary: _F64,
    weights: Optional[_U64],
    numeric: _Numeric,
    categorical: _Categorical,
    spend: List[str],
    l2: float = 0.0,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Tuple[Dict[str, Any], CovariateFit]: ...
def fit_sbg_covariates(
    cohorts: List[List[int]],
    numeric: _Numeric,
    categorical: _Categorical,
    alpha: List[str],
    beta: List[str],
    equal: List[str],
    l2_alpha: float = 0.0,
    l2_beta: float = 0.0,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Tuple[Dict[str, Any], CovariateFit]: ...
def repeat_log_likelihood(
    model: str, params: List[float], frequency: _U32, recency: _F64, age: _F64, weights: Optional[_U64] = None
) -> float: ...
def repeat_intervals(
    model: str,
    frequency: _U32,
    recency: _F64,
    age: _F64,
    weights: Optional[_U64],
    quantity: str,
    level: float,
    method: str,
    pred_frequency: Optional[_U32] = None,
    pred_recency: Optional[_F64] = None,
    pred_age: Optional[_F64] = None,
    horizon: float = 0.0,
    replicates: int = 1000,
    seed: int = 0,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
    spend: Optional[List[float]] = None,
    monetary: Optional[_F64] = None,
    unit_name: str = "days",
    clv_periods: int = 12,
    clv_period_length: Optional[float] = None,
    clv_discount: float = 0.01,
    pred_weights: Optional[_F64] = None,
) -> Dict[str, Any]: ...
def repeat_prediction_interval(
    model: str,
    frequency: _U32,
    recency: _F64,
    age: _F64,
    weights: Optional[_U64],
    horizon: float,
    level: float,
    method: str,
    pred_frequency: Optional[_U32] = None,
    pred_recency: Optional[_F64] = None,
    pred_age: Optional[_F64] = None,
    draws: int = 1000,
    replicates: int = 1000,
    seed: int = 0,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
    pred_weights: Optional[_F64] = None,
) -> Dict[str, Any]: ...
def bgbb_intervals(
    frequency: _U32,
    recency: _U32,
    opportunities: _U32,
    weights: Optional[_U64],
    quantity: str,
    level: float,
    pred_frequency: Optional[_U32] = None,
    pred_recency: Optional[_U32] = None,
    pred_opportunities: Optional[_U32] = None,
    future: int = 0,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
    method: str = "delta",
    replicates: int = 1000,
    seed: int = 0,
) -> Dict[str, Any]: ...
def spend_intervals(
    frequency: _U32,
    monetary: _F64,
    weights: Optional[_U64],
    quantity: str,
    level: float,
    pred_frequency: Optional[_U32] = None,
    pred_monetary: Optional[_F64] = None,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
    method: str = "delta",
    replicates: int = 1000,
    seed: int = 0,
) -> Dict[str, Any]: ...
def holdout_check(predicted: _F64, actual: _U32, frequency: _U32) -> Dict[str, Any]: ...
def scorecard(
    frequency: _U32,
    recency: _F64,
    age: _F64,
    frequency_holdout: _U32,
    duration_holdout: float,
    models: Optional[List[str]] = None,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Dict[str, Any]: ...
def likelihood_ratio_test(
    full: Tuple[float, int, float], restricted: Tuple[float, int, float], boundary: bool = False
) -> Dict[str, Any]: ...
def repeat_simulate(model: str, params: List[float], ages: _F64, seed: int) -> Tuple[_U32, _F64]: ...
def repeat_predict(
    model: str, params: List[float], frequency: _U32, recency: _F64, age: _F64, horizon: float
) -> Tuple[_F64, _F64]: ...
def repeat_expected_new(model: str, params: List[float], horizons: _F64) -> _F64: ...
def repeat_pmf_new(model: str, params: List[float], horizons: _F64, counts: _U32) -> _F64: ...
def repeat_distribution(
    model: str, params: List[float], frequency: _U32, recency: _F64, age: _F64, horizon: float, max_n: int
) -> _F64: ...
def repeat_alive_at(
    model: str, params: List[float], frequency: _U32, recency: _F64, age: _F64, horizon: float
) -> _F64: ...
def repeat_dert(
    model: str, params: List[float], frequency: _U32, recency: _F64, age: _F64, discount_rate: float
) -> _F64: ...
def repeat_at_risk(
    model: str,
    params: List[float],
    log: _LogArg,
    unit_name: str,
    horizon: Optional[float] = None,
    observation_end: Optional[int] = None,
    threshold: Optional[float] = None,
    lost_below: Optional[float] = None,
    limit: Optional[int] = None,
) -> Dict[str, Any]: ...
def repeat_tracking(
    model: str,
    params: List[float],
    log: _LogArg,
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
    unit_name: str,
    periods: int,
    period_length: Optional[float],
    discount: float,
) -> _F64: ...
def unit_name(name: str) -> str: ...
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
def cox_ph(
    durations: _F64,
    events: npt.NDArray[np.bool_],
    covariates: List[_F64],
    weights: Optional[_F64] = None,
    strata: Optional[npt.NDArray[np.uint32]] = None,
    ties: str = "efron",
    robust: bool = False,
    confidence_level: float = 0.95,
    time_transform: str = "rank",
) -> Dict[str, Any]: ...
def weibull_aft(
    durations: _F64,
    events: npt.NDArray[np.bool_],
    covariates: List[_F64],
    weights: Optional[_F64] = None,
    confidence_level: float = 0.95,
) -> Dict[str, Any]: ...
def merge_kaplan_meier(
    times: List[_F64],
    events: List[_U64],
    censored: List[_U64],
    confidence_levels: List[float],
    horizon: Optional[float] = None,
) -> Dict[str, Any]: ...
def merge_rfm(
    customer_id: List[_Ids],
    recency_days: List[npt.NDArray[np.int32]],
    orders: List[_U64],
    spend: List[Optional[_F64]],
    observation_end: List[int],
) -> Dict[str, Any]: ...

@final
class SubscriptionLog:
    def __new__(
        cls, ids: _Ids, start: _Days, end: _Days, has_end: npt.NDArray[np.bool_], mrr: _F64
    ) -> SubscriptionLog: ...
    def __len__(self) -> int: ...
    @property
    def num_customers(self) -> int: ...
    @property
    def first_day(self) -> int: ...
    def mrr_at(self, t: int) -> float: ...
    def active_customers_at(self, t: int) -> int: ...
    def arpa_at(self, t: int) -> float: ...
    def mrr_by_customer_at(self, t: int) -> Tuple[_U64, _F64]: ...
    def mrr_movements(self, start: int, end: int) -> Dict[str, Any]: ...
    def mrr_series(self, granularity_name: str, first: int, last: int) -> Dict[str, Any]: ...
    def cohorts(self, observation_end: int) -> Dict[str, Any]: ...
    def lifetimes(self, observation_end: int) -> Dict[str, Any]: ...

def merge_mrr_movements(parts: List[Dict[str, Any]], granularity_name: Optional[str] = None) -> Dict[str, Any]: ...
def subscription_clv(arpa: float, gross_margin: float, churn_rate: float) -> float: ...
def discounted_clv(margin: float, retention: float, discount: float) -> float: ...
def retention_cost(spend: float, retained: int) -> float: ...
def survey_score(
    days: _Days, scores: npt.NDArray[np.uint8], scale_name: str, csat_max: int = 5, satisfied_from: int = 4
) -> Dict[str, Any]: ...
def survey_by_period(
    days: _Days,
    scores: npt.NDArray[np.uint8],
    scale_name: str,
    granularity_name: str,
    csat_max: int = 5,
    satisfied_from: int = 4,
) -> Dict[str, Any]: ...
def survey_by_cohort(
    ids: _Ids,
    days: _Days,
    scores: npt.NDArray[np.uint8],
    scale_name: str,
    log: _LogArg,
    granularity_name: str,
    csat_max: int = 5,
    satisfied_from: int = 4,
) -> Dict[str, Any]: ...
def whatif_retention_of_lifespan(customers: float, value_per_period: float, lifespan: float) -> float: ...
def whatif_outcome(
    customers: float,
    value_per_period: float,
    retention: float,
    discount_rate: float = 0.0,
    horizon: Optional[int] = None,
) -> Tuple[float, float, float, float]: ...
def whatif_lift(
    customers: float,
    value_per_period: float,
    retention: float,
    points: float,
    discount_rate: float = 0.0,
    horizon: Optional[int] = None,
) -> Tuple[Tuple[float, float, float, float], Tuple[float, float, float, float]]: ...
def fit_cnbd(
    model: str,
    frequency: _U32,
    recency: _F64,
    age: _F64,
    litt: _F64,
    weights: Optional[_U64] = None,
    k: Optional[int] = None,
    max_k: int = 12,
    max_iterations: int = 1000,
    tolerance: float = 1e-9,
    penalizer: float = 0.0,
) -> Dict[str, Any]: ...
def cnbd_predict(
    model: str, k: int, params: List[float], frequency: _U32, recency: _F64, age: _F64, horizon: float
) -> Tuple[_F64, _F64]: ...
def cnbd_expected_new(model: str, k: int, params: List[float], horizons: _F64) -> _F64: ...
def cnbd_log_likelihood(
    model: str,
    k: int,
    params: List[float],
    frequency: _U32,
    recency: _F64,
    age: _F64,
    litt: _F64,
    weights: Optional[_U64] = None,
) -> float: ...
def log_intertransaction_times(
    log: _LogArg, unit_name: str, observation_end: Optional[int] = None
) -> Dict[str, Any]: ...
def wheat_morrison(log: _LogArg, observation_end: Optional[int] = None) -> Dict[str, Any]: ...
