"""Survey scores and what-if projections from Python, against the hand calculations of the
core's tests (crates/retentionkit/src/survey/tests.rs, src/whatif.rs) and docs/metrics.md."""

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

import retentionkit as rk


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


# ---------------------------------------------------------------------------
# Surveys


def test_nps_counts_value_and_wald_interval_by_hand():
    # Promoters 10, 9, 9, 10, 9 (5); passives 7, 8, 8 (3); detractors 3, 6 (2): p = 0.5, d = 0.2.
    # NPS = 100 × (0.5 − 0.2) = 30; Var = p + d − (p − d)² = 0.61;
    # SE = 100 × √(0.61 / 10) = 24.69817807045694; 30 ∓ 1.959963984540054 SE.
    s = rk.SurveyLog.from_columns([10, 9, 9, 10, 9, 7, 8, 8, 3, 6], ["2024-01-05"] * 10).score()
    assert (s.responses, s.positive, s.neutral, s.negative) == (10, 5, 3, 2)
    assert close(s.value, 30.0)
    assert close(s.standard_error, 24.69817807045694)
    assert close(s.lower, -18.40753950185257)
    assert close(s.upper, 78.40753950185257)
    assert repr(s).startswith("SurveyScore(value=30, ")


def test_csat_custom_scale_and_thumbs_by_hand():
    # 1–7, satisfied from 6: 7, 6, 6, 7 of 8 -> 0.5; SE = √(0.25 / 8) = 0.1767766952966369.
    s = rk.SurveyLog.from_columns(
        [7, 6, 5, 1, 6, 7, 2, 4], [0] * 8, scale="csat", csat_max=7, satisfied_from=6
    ).score()
    assert (s.positive, s.neutral, s.negative) == (4, 0, 4)
    assert close(s.value, 0.5) and close(s.standard_error, 0.1767766952966369)
    assert close(s.lower, 0.1535240439125805) and close(s.upper, 0.8464759560874195)
    # Thumbs, 3 up of 4: 0.75, SE = √(0.75 × 0.25 / 4); the upper end 1.174 is clipped to 1.
    s = rk.SurveyLog.from_columns(np.array([True, True, False, True]), [0] * 4, scale="thumbs").score()
    assert close(s.value, 0.75) and close(s.lower, 0.3256553497214356) and s.upper == 1.0


def test_by_period_leaves_out_periods_without_responses():
    # The core's example: January 5 (satisfied) and 2 (not): 0.5; March 4: 1.0; no February.
    df = pd.DataFrame({"stars": [5, 2, 4], "when": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-02"])})
    t = rk.SurveyLog(df, score="stars", date="when", scale="csat").by_period()
    assert list(t.index) == ["2024-01", "2024-03"]
    assert t["value"].tolist() == [0.5, 1.0]
    assert t["responses"].tolist() == [2, 1]
    assert t["start"].tolist() == list(pd.to_datetime(["2024-01-01", "2024-03-01"]))
    q = rk.SurveyLog(pl.from_pandas(df), score="stars", date="when", scale="csat").by_period("quarter")
    assert list(q.index) == ["2024-Q1"] and close(q["value"].iloc[0], 2 / 3)


def test_by_cohort_with_string_ids_maps_them_to_the_logs_customers():
    # ann first buys in January, bob in February; ann answers 9 and 3 (NPS 0), bob 10 (NPS 100).
    orders = pd.DataFrame({"who": ["ann", "bob", "ann"], "day": ["2024-01-03", "2024-02-09", "2024-02-10"]})
    answers = pd.DataFrame({"who": ["bob", "ann", "ann"], "day": ["2024-03-01"] * 3, "nps": [10, 9, 3]})
    survey = rk.SurveyLog(answers, score="nps", date="day", customer_id="who")
    t = survey.by_cohort(orders, customer_id="who", date="day")
    assert list(t.index) == ["2024-01", "2024-02"]
    assert t["value"].tolist() == [0.0, 100.0]
    # A respondent who never ordered is an error naming the row, not a dropped answer.
    answers.loc[1, "who"] = "cy"
    survey = rk.SurveyLog(answers, score="nps", date="day", customer_id="who")
    with pytest.raises(rk.InvalidValueError, match=r"column `who`, row 1: customer 'cy' has no purchase"):
        survey.by_cohort(orders, customer_id="who", date="day")
    with pytest.raises(rk.MissingColumnError, match="customer_id"):
        rk.SurveyLog(answers, score="nps", date="day").by_cohort(orders, customer_id="who", date="day")
    with pytest.raises(rk.InvalidArgumentError, match="strings"):
        survey.by_cohort(rk.TransactionLog.from_columns([1], ["2024-01-01"]))


def test_survey_errors():
    with pytest.raises(rk.InvalidValueError, match=r"column `score`, row 1: 11 is outside the scale 0..=10"):
        rk.SurveyLog.from_columns([10, 11, 3], [0, 0, 1])
    with pytest.raises(rk.InvalidValueError, match=r"column `rating`, row 0: 0 is outside the scale 1..=5"):
        rk.SurveyLog(pd.DataFrame({"rating": [0], "date": [0]}), score="rating", scale="csat")
    with pytest.raises(rk.InvalidValueError, match=r"row 2: -1"):
        rk.SurveyLog.from_columns([1, 2, -1], [0] * 3)
    with pytest.raises(rk.InvalidValueError, match=r"row 1: 7.5"):
        rk.SurveyLog.from_columns([1.0, 7.5], [0] * 2)
    with pytest.raises(rk.InvalidValueError, match=r"row 0: missing"):
        rk.SurveyLog.from_columns(pd.Series([np.nan, 3.0]), [0] * 2)
    with pytest.raises(rk.InvalidArgumentError, match="`scale`"):
        rk.SurveyLog.from_columns([1], [0], scale="stars")
    with pytest.raises(rk.InvalidArgumentError, match="satisfied_from"):
        rk.SurveyLog.from_columns([1], [0], scale="csat", csat_max=5, satisfied_from=6)
    with pytest.raises(rk.InvalidArgumentError, match="csat_max"):
        rk.SurveyLog.from_columns([1], [0], scale="csat", csat_max=300)
    with pytest.raises(rk.LengthMismatchError, match="column `date`"):
        rk.SurveyLog.from_columns([1, 2], [0])
    with pytest.raises(rk.EmptyError):
        rk.SurveyLog.from_columns([], np.array([], dtype=np.int32))
    with pytest.raises(rk.MissingColumnError, match="column `score`"):
        rk.SurveyLog({"date": [0]})
    with pytest.raises(rk.InvalidArgumentError, match="granularity"):
        rk.SurveyLog.from_columns([1], [0]).by_period("hour")


# ---------------------------------------------------------------------------
# What-if


def test_scenario_outcomes_by_hand():
    # 1,000 members paying 50 a month for 10 months: retention 0.9, 1,000 × 50 × 10 = 500,000.
    s = rk.Scenario.from_lifespan(1000, 50, 10)
    assert s.retention == 0.9
    o = s.outcome()
    assert close(o.lifespan, 10.0) and close(o.revenue, 500_000.0) and o.customers_remaining == 0.0
    # Discounted: m (1 + d) / (1 + d − r) = 50 × 1.1 / 0.2 = 275 per member.
    assert close(rk.Scenario(1000, 50, 0.9, discount_rate=0.1).outcome().clv, 275.0)
    # Horizon 3 at r = 0.5: lifespan 1 + 0.5 + 0.25 = 1.75; 8 × 0.5³ = 1 customer left.
    o = rk.Scenario(8, 4, 0.5, horizon=3).outcome()
    assert (o.lifespan, o.clv, o.revenue, o.customers_remaining) == (1.75, 7.0, 56.0, 1.0)
    # Retention 1 is allowed with a horizon: every customer pays every period.
    assert rk.Scenario(2, 3, 1.0, horizon=4).outcome().revenue == 24.0


def test_lift_by_hand():
    # From a 10- to a 12-month lifespan (retention 0.9 -> 11/12): 500,000 -> 600,000.
    lift = rk.Scenario.from_lifespan(1000, 50, 10).lift(11 / 12 - 0.9)
    assert close(lift.after.revenue, 600_000.0)
    assert close(lift.revenue_change, 100_000.0) and close(lift.clv_change, 100.0)
    assert close(lift.lifespan_change, 2.0) and lift.customers_change == 0.0
    assert "500,000.00 -> 600,000.00" in repr(lift)
    # With a horizon of 2 at r = 0.5 -> 0.6: customers left 100 × 0.25 -> 100 × 0.36.
    lift = rk.Scenario(100, 1, 0.5, horizon=2).lift(0.1)
    assert close(lift.customers_change, 11.0)


def test_whatif_errors():
    with pytest.raises(rk.InvalidArgumentError, match="retention"):
        rk.Scenario(10, 5, 1.0)  # unbounded without a horizon
    with pytest.raises(rk.InvalidArgumentError, match="retention"):
        rk.Scenario(10, 5, -0.1)
    with pytest.raises(rk.InvalidArgumentError, match="customers"):
        rk.Scenario(-1, 5, 0.5)
    with pytest.raises(rk.InvalidArgumentError, match="value_per_period"):
        rk.Scenario(1, float("nan"), 0.5)
    with pytest.raises(rk.InvalidArgumentError, match="discount_rate"):
        rk.Scenario(1, 1, 0.5, discount_rate=-0.1)
    with pytest.raises(rk.InvalidArgumentError, match="horizon"):
        rk.Scenario(1, 1, 0.5, horizon=-3)
    with pytest.raises(rk.InvalidArgumentError, match="horizon"):
        rk.Scenario(1, 1, 0.5, horizon=2.5)
    with pytest.raises(rk.InvalidArgumentError, match="customers"):
        rk.Scenario("many", 1, 0.5)
    with pytest.raises(rk.InvalidArgumentError, match="lifespan"):
        rk.Scenario.from_lifespan(10, 5, 0.5)
    with pytest.raises(rk.InvalidArgumentError, match="retention"):
        rk.Scenario(10, 5, 0.95).lift(0.1)  # 1.05 after the lift
    with pytest.raises(rk.InvalidArgumentError, match="points"):
        rk.Scenario(10, 5, 0.5).lift(float("inf"))
