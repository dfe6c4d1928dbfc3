"""retentionkit: customer-retention metrics, cohorts, RFM/BTYD summaries and retention models.

Transaction logs (KPIs, cohorts, summaries, RFM, models), subscription
logs (MRR, movements, cohorts, CLV), survey scores (NPS, CSAT), survival
curves and what-if projections.

A thin layer over the Rust core: pandas/polars/numpy/list columns in,
pandas DataFrames, floats and small result objects out. Errors are
subclasses of :class:`RetentionError` (a ``ValueError``), one per kind of
bad input; they name the column and row in the message and as attributes
(``err.column``, ``err.row``, ``err.argument``, ...), and they pickle.

>>> import pandas as pd, retentionkit as rk
>>> orders = pd.DataFrame({"customer_id": [1, 2, 1, 3, 2, 1],
...     "date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-14", "2024-03-01", "2024-03-09"]),
...     "amount": [20.0, 35.0, 15.0, 50.0, 40.0, 25.0]})
>>> rk.summary(orders, amount="amount")["frequency"].tolist()
[2.0, 1.0, 0.0]
"""

# The exception classes; the native module raises these same classes.
from ._errors import (
    EmptyError,
    IncompatibleError,
    InvalidArgumentError,
    InvalidValueError,
    LengthMismatchError,
    MissingColumnError,
    RetentionError,
    TooLargeError,
    ZeroDenominatorError,
)
from .choice import likelihood_ratio_test, scorecard
from ._log import (
    PeriodKpis,
    TransactionLog,
    bracket_retention,
    calibration_and_holdout,
    cohort_matrix,
    demo_shop,
    kpis,
    merge_rfm,
    period_kpis,
    rfm,
    summary,
)
from ._retentionkit import (
    average_order_value,
    churn_rate,
    repeat_customer_rate,
    retention_rate,
)
from ._lifecycle import lifecycle
from .survival import KaplanMeier, LogRank, kaplan_meier, log_rank
from ._cox import CoxPH, WeibullAFT, cox_ph, weibull_aft
from .revenue import (
    MrrMovements,
    SubscriptionLog,
    discounted_clv,
    merge_mrr_series,
    mrr_movements,
    mrr_series,
    subscription_clv,
    subscription_cohorts,
)
from .survey import SurveyLog, SurveyScore
from .whatif import Lift, Outcome, Scenario
from .models import (
    BetaGeo,
    BetaGeoBetaBinom,
    BgBb,
    BgNbd,
    FitWarning,
    GammaGamma,
    HoldoutEvaluation,
    MbgNbd,
    ModifiedBetaGeo,
    ParetoNBD,
    NBD,
    ParetoNbd,
    Sbg,
    ShiftedBetaGeometric,
    BetaGeoCNBD,
    BgCnbd,
    ModifiedBetaGeoCNBD,
    MbgCnbd,
)
from .regularity import log_intertransaction_times, wheat_morrison

__all__ = [
    "TransactionLog",
    "demo_shop",
    "PeriodKpis",
    "kpis",
    "period_kpis",
    "lifecycle",
    "bracket_retention",
    "cohort_matrix",
    "summary",
    "calibration_and_holdout",
    "rfm",
    "merge_rfm",
    "retention_rate",
    "churn_rate",
    "repeat_customer_rate",
    "average_order_value",
    "FitWarning",
    "BetaGeo",
    "BgNbd",
    "ModifiedBetaGeo",
    "MbgNbd",
    "ParetoNBD",
    "NBD",
    "ParetoNbd",
    "BetaGeoBetaBinom",
    "BgBb",
    "GammaGamma",
    "HoldoutEvaluation",
    "scorecard",
    "likelihood_ratio_test",
    "ShiftedBetaGeometric",
    "Sbg",
    "BetaGeoCNBD",
    "BgCnbd",
    "ModifiedBetaGeoCNBD",
    "MbgCnbd",
    "log_intertransaction_times",
    "wheat_morrison",
    "kaplan_meier",
    "log_rank",
    "cox_ph",
    "weibull_aft",
    "CoxPH",
    "WeibullAFT",
    "KaplanMeier",
    "LogRank",
    "SubscriptionLog",
    "MrrMovements",
    "mrr_movements",
    "mrr_series",
    "merge_mrr_series",
    "subscription_cohorts",
    "subscription_clv",
    "discounted_clv",
    "SurveyLog",
    "SurveyScore",
    "Scenario",
    "Outcome",
    "Lift",
    "RetentionError",
    "EmptyError",
    "LengthMismatchError",
    "InvalidValueError",
    "ZeroDenominatorError",
    "InvalidArgumentError",
    "MissingColumnError",
    "IncompatibleError",
    "TooLargeError",
]
