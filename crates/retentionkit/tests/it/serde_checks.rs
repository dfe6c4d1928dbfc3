//! Deserialization validates like construction (issue 25, "a panic through
//! serde"): every type with invariants round-trips through JSON unchanged,
//! and a document that breaks an invariant (columns of different lengths, a
//! parameter out of its domain, a matrix row of the wrong width) is a serde
//! error whose message is the core's own, never a value that panics later.

use std::fmt::Debug;

use retentionkit::cohort::{
    bracket_retention, cohort_matrix, BracketMatrix, CohortMatrix, CohortOptions,
};
use retentionkit::models::bg_bb::BgBbParams;
use retentionkit::models::bg_nbd::{BgNbdParams, Predictions};
use retentionkit::models::check::{tracking, HoldoutCheck, Tracking};
use retentionkit::models::distribution::PurchaseDistribution;
use retentionkit::models::gamma_gamma::GammaGammaParams;
use retentionkit::models::mbg_nbd::MbgNbdParams;
use retentionkit::models::pareto_nbd::ParetoNbdParams;
use retentionkit::models::repeat::{RepeatModel, RepeatParams};
use retentionkit::models::sbg::SbgParams;
use retentionkit::optim::{Fit, FitStatus};
use retentionkit::period::{day, Period};
use retentionkit::revenue::{
    subscription_cohorts, Lifetimes, SubscriptionCohortRow, SubscriptionLog,
};
use retentionkit::rfm::{rfm, Rfm};
use retentionkit::summary::{
    calibration_holdout, summary, CalibrationHoldout, CompressedSpend, CompressedSummary,
    KeyedSummary, Summary, SummaryColumns, SummaryOptions, TimeUnit,
};
use retentionkit::survival::{kaplan_meier, log_rank, KaplanMeier, LogRank};
use retentionkit::TransactionLog;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Serialize `value`, read it back, check it is equal, and return the JSON
/// document for the bad-document tests to edit. Through a `Value`, which
/// keeps each `f64` exactly: serde_json's default text parser may round a
/// float's last bit differently (its `float_roundtrip` feature is off).
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> Value {
    let doc = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(&back, value);
    doc
}

/// `doc` after `edit` must be refused as a `T`, with a message holding
/// `needle`. Returns the message.
fn refused<T: DeserializeOwned + Debug>(
    doc: &Value,
    edit: impl FnOnce(&mut Value),
    needle: &str,
) -> String {
    let mut doc = doc.clone();
    edit(&mut doc);
    let err = serde_json::from_value::<T>(doc).unwrap_err().to_string();
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    err
}

/// Drop the last element of the array at `index` (a key or a position).
fn pop<I: serde_json::value::Index>(doc: &mut Value, index: I) {
    doc[index].as_array_mut().unwrap().pop();
}

/// Four customers over two months, with amounts; observed to 2024-03-31.
fn shop() -> (Vec<u64>, Vec<i32>, Vec<f64>) {
    let d = |m, dd| day(2024, m, dd).unwrap();
    (
        vec![1, 1, 2, 3, 3, 3, 4],
        vec![
            d(1, 2),
            d(1, 20),
            d(1, 5),
            d(2, 1),
            d(2, 9),
            d(3, 30),
            d(3, 3),
        ],
        vec![10.0, 25.0, 7.5, 12.0, 3.0, 40.0, 9.0],
    )
}

fn the_summary() -> Summary {
    let (ids, days, amounts) = shop();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let options = SummaryOptions::default()
        .with_observation_end(Some(day(2024, 3, 31).unwrap()))
        .with_unit(TimeUnit::Days);
    summary(&log, &options).unwrap()
}

fn params() -> BgNbdParams {
    BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap()
}

#[test]
fn a_summary_with_mismatched_columns_is_a_serde_error_not_a_panic() {
    let s = the_summary();
    let doc = round_trip(&s);
    // The issue's case: one column shorter than the others used to
    // deserialize, then `predict` and `compress` indexed past its end.
    let err = refused::<Summary>(
        &doc,
        |d| pop(d, "frequency"),
        "column `frequency` has 3 rows, expected 4",
    );
    assert_eq!(
        err,
        "column `frequency` has 3 rows, expected 4 (the length of the first column)"
    );
    refused::<Summary>(&doc, |d| pop(d, "last_day"), "column `last_day` has 3 rows");
    refused::<Summary>(
        &doc,
        |d| d["monetary_value"].as_array_mut().unwrap().push(json!(1.0)),
        "column `monetary_value` has 5 rows",
    );
    refused::<Summary>(
        &doc,
        |d| d["last_day"][0] = json!(0),
        "column `last_day`, row 0: day 0 is before the first day",
    );
    refused::<Summary>(
        &doc,
        |d| d["observation_end"] = json!(day(2024, 3, 1).unwrap()),
        "is after the observation end",
    );
    refused::<Summary>(
        &doc,
        |d| d["first_day"][1] = json!(i32::MIN),
        "column `first_day`, row 1",
    );
    // A summary without amounts keeps `null` and round-trips too.
    let mut no_amounts = s.clone();
    no_amounts.monetary_value = None;
    round_trip(&no_amounts);
}

#[test]
fn the_paths_that_panicked_on_a_bad_summary_now_stop_at_deserialization_or_return_errors() {
    let s = the_summary();
    let mut doc = serde_json::to_value(&s).unwrap();
    doc["frequency"].as_array_mut().unwrap().truncate(1);
    let text = doc.to_string();
    // Before: this deserialized, and `params().predict(&bad, 30.0)` or
    // `bad.compress()` panicked with an index out of bounds.
    let err = serde_json::from_str::<Summary>(&text).unwrap_err();
    assert!(
        err.to_string()
            .contains("column `frequency` has 1 rows, expected 4"),
        "{err}"
    );
    // The same value built field by field: `validate` names the problem, and
    // the merges that index every column refuse it instead of panicking.
    let bad = Summary {
        frequency: vec![s.frequency[0]],
        ..s.clone()
    };
    assert!(bad.validate().is_err());
    assert!(Summary::merge(&[bad.clone(), s.clone()]).is_err());
    let keyed = KeyedSummary::new(bad, vec![10_u64, 20, 30, 40]);
    assert!(keyed.is_err());
    // The valid document still gives working predictions.
    let good: Summary = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
    let p = params().predict(&good, 30.0).unwrap();
    assert_eq!(p.probability_alive.len(), 4);
    assert_eq!(good.compress().customers(), 4);
}

#[test]
fn summary_columns_keyed_summaries_and_calibration_splits_are_checked() {
    let s = the_summary();
    let columns = SummaryColumns::from(&s);
    let doc = round_trip(&columns);
    refused::<SummaryColumns>(
        &doc,
        |d| pop(d, "values"),
        "column `values` has 15 rows, expected 16",
    );
    refused::<SummaryColumns>(
        &doc,
        |d| d["has_monetary_value"] = json!(false),
        "expected 12",
    );

    let keyed = KeyedSummary::new(
        s.clone(),
        vec![
            "a".to_string(),
            "b".into(),
            "c".into(),
            "d".into(),
            "e".into(),
        ],
    )
    .unwrap();
    let doc = round_trip(&keyed);
    // Ids are indices into the keys: id 4 needs five keys.
    refused::<KeyedSummary<String>>(
        &doc,
        |d| d["summary"]["customer_id"][3] = json!(9),
        "id 9 is not an index into the 5 keys",
    );
    refused::<KeyedSummary<String>>(
        &doc,
        |d| pop(&mut d["summary"], "first_day"),
        "column `first_day` has 3 rows",
    );

    let (ids, days, amounts) = shop();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let split = calibration_holdout(
        &log,
        day(2024, 1, 31).unwrap(),
        Some(day(2024, 3, 31).unwrap()),
        TimeUnit::Days,
    )
    .unwrap();
    let doc = round_trip(&split);
    refused::<CalibrationHoldout>(
        &doc,
        |d| pop(d, "frequency_holdout"),
        "column `frequency_holdout` has",
    );
    refused::<CalibrationHoldout>(
        &doc,
        |d| pop(d, "monetary_value_holdout"),
        "column `monetary_value_holdout` has",
    );
    refused::<CalibrationHoldout>(
        &doc,
        |d| d["duration_holdout"] = json!(-1.0),
        "argument `duration_holdout`: -1 must be finite and positive",
    );
    refused::<CalibrationHoldout>(
        &doc,
        |d| pop(&mut d["calibration"], "last_day"),
        "column `last_day` has",
    );
}

#[test]
fn compressed_tables_and_predictions_are_checked() {
    let s = the_summary();
    let c = s.compress();
    let doc = round_trip(&c);
    refused::<CompressedSummary>(&doc, |d| pop(d, "age_days"), "column `age_days` has");
    refused::<CompressedSummary>(
        &doc,
        |d| d["count"].as_array_mut().unwrap().push(json!(1)),
        "column `frequency` has",
    );
    // Parts built by hand go through the same check in `merge`.
    let mut short = c.clone();
    short.recency_days.pop();
    assert!(CompressedSummary::merge(&[c.clone(), short]).is_err());

    let spend = s.compress_spend().unwrap();
    let doc = round_trip(&spend);
    refused::<CompressedSpend>(
        &doc,
        |d| pop(d, "monetary_value"),
        "column `monetary_value` has",
    );
    let mut short = spend.clone();
    short.frequency.pop();
    assert!(CompressedSpend::merge(&[short]).is_err());

    let p = params().predict(&s, 30.0).unwrap();
    let doc = round_trip(&p);
    refused::<Predictions>(
        &doc,
        |d| pop(d, "expected_purchases"),
        "column `expected_purchases` has 3 rows, expected 4",
    );

    // Four customers, P(0..=2) each: 12 probabilities in rows of 3.
    let s = the_summary();
    let (rec, age) = (s.recency(), s.age());
    let table = params()
        .purchase_distribution(&s.frequency, &rec, &age, 30.0, 2)
        .unwrap();
    let doc = round_trip(&table);
    refused::<PurchaseDistribution>(
        &doc,
        |d| pop(d, "probabilities"),
        "11 values do not fill whole rows of 3",
    );
    refused::<PurchaseDistribution>(&doc, |d| d["max_n"] = json!(200_000), "max_n");
}

#[test]
fn model_parameters_and_fits_are_checked_as_their_constructors_check_them() {
    let msg = "must be finite and positive";
    let doc = round_trip(&params());
    refused::<BgNbdParams>(
        &doc,
        |d| d["a"] = json!(-1.0),
        &format!("argument `a`: -1 {msg}"),
    );
    let doc = round_trip(&MbgNbdParams::new(0.5, 3.0, 0.7, 2.0).unwrap());
    refused::<MbgNbdParams>(
        &doc,
        |d| d["r"] = json!(0.0),
        &format!("argument `r`: 0 {msg}"),
    );
    let doc = round_trip(&ParetoNbdParams::new(0.55, 10.6, 0.61, 11.7).unwrap());
    refused::<ParetoNbdParams>(
        &doc,
        |d| d["beta"] = json!(-2.5),
        &format!("argument `beta`: -2.5 {msg}"),
    );
    let doc = round_trip(&GammaGammaParams::new(6.25, 3.74, 15.44).unwrap());
    refused::<GammaGammaParams>(
        &doc,
        |d| d["q"] = json!(-0.1),
        &format!("argument `q`: -0.1 {msg}"),
    );
    let doc = round_trip(&BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap());
    refused::<BgBbParams>(
        &doc,
        |d| d["delta"] = json!(0.0),
        &format!("argument `delta`: 0 {msg}"),
    );
    let doc = round_trip(&SbgParams::new(0.668, 3.806).unwrap());
    refused::<SbgParams>(&doc, |d| d["alpha"] = json!(-1e-9), "argument `alpha`");

    // The tagged form of the repeat models and a fit check their parameters too.
    let doc = round_trip(&RepeatParams::BgNbd(params()));
    refused::<RepeatParams>(
        &doc,
        |d| d["alpha"] = json!(-4.0),
        &format!("argument `alpha`: -4 {msg}"),
    );
    let fit = Fit {
        params: params(),
        standard_errors: Some(BgNbdParams::new(0.01, 0.3, 0.1, 0.4).unwrap()),
        log_likelihood: -9582.4,
        parameters: 4,
        observations: 2357.0,
        iterations: 31,
        status: FitStatus::Converged,
    };
    let doc = round_trip(&fit);
    refused::<Fit<BgNbdParams>>(
        &doc,
        |d| d["params"]["b"] = json!(-1.0),
        &format!("argument `b`: -1 {msg}"),
    );
}

#[test]
fn cohort_and_bracket_matrices_are_checked_for_their_shape() {
    let (ids, days, amounts) = shop();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let options = CohortOptions::default().with_observation_end(Some(day(2024, 3, 31).unwrap()));
    let m = cohort_matrix(&log, &options).unwrap();
    assert_eq!(m.active.iter().map(Vec::len).collect::<Vec<_>>(), [3, 2, 1]);
    let doc = round_trip(&m);
    refused::<CohortMatrix>(
        &doc,
        |d| pop(&mut d["active"], 0),
        "column `active`, row 0: the row has 2 columns, expected 3",
    );
    refused::<CohortMatrix>(
        &doc,
        |d| d["unbounded"][2].as_array_mut().unwrap().push(json!(0)),
        "column `unbounded`, row 2",
    );
    refused::<CohortMatrix>(
        &doc,
        |d| d["revenue"][1].as_array_mut().unwrap().clear(),
        "column `revenue`, row 1",
    );
    refused::<CohortMatrix>(
        &doc,
        |d| pop(d, "sizes"),
        "column `sizes` has 2 rows, expected 3",
    );
    refused::<CohortMatrix>(
        &doc,
        |d| pop(d, "unbounded"),
        "column `unbounded` has 2 rows",
    );
    refused::<CohortMatrix>(
        &doc,
        |d| d["last_period_complete"] = json!(false),
        "argument `last_period_complete`",
    );
    refused::<CohortMatrix>(
        &doc,
        |d| d["cohorts"].as_array_mut().unwrap().swap(0, 1),
        "column `cohorts`, row 1",
    );

    let b = bracket_retention(&log, &options, &[1..2, 2..4]).unwrap();
    let doc = round_trip(&b);
    refused::<BracketMatrix>(
        &doc,
        |d| d["counts"][0].as_array_mut().unwrap().push(json!(0)),
        "column `counts`, row 0",
    );
    refused::<BracketMatrix>(
        &doc,
        |d| d["brackets"][1]["start"] = json!(0),
        "argument `brackets`",
    );
    refused::<BracketMatrix>(&doc, |d| pop(d, "labels"), "column `labels` has");
    // Merging a part built by hand with a short row is an error, not a panic.
    let mut short = m.clone();
    short.sizes.pop();
    assert!(CohortMatrix::merge(&[m, short]).is_err());
}

#[test]
fn kaplan_meier_curves_and_log_rank_results_are_checked() {
    let durations = [1.0, 2.0, 2.0, 3.0, 5.0, 8.0];
    let observed = [true, true, false, true, false, true];
    let km = kaplan_meier(&durations, &observed).unwrap();
    let doc = round_trip(&km);
    refused::<KaplanMeier>(
        &doc,
        |d| pop(d, "survival"),
        "column `survival` has 4 rows, expected 5",
    );
    refused::<KaplanMeier>(&doc, |d| pop(d, "censored"), "column `censored` has");
    refused::<KaplanMeier>(
        &doc,
        |d| d["at_risk"][1] = json!(9),
        "column `at_risk`, row 1: 9 at risk, but the table leaves 5",
    );
    refused::<KaplanMeier>(
        &doc,
        |d| d["times"][2] = json!(1.5),
        "column `times`, row 2",
    );
    refused::<KaplanMeier>(
        &doc,
        |d| d["confidence_level"] = json!(1.5),
        "argument `confidence_level`",
    );
    let mut short = km.clone();
    short.events.pop();
    assert!(KaplanMeier::merge(&[km, short]).is_err());

    let t = log_rank(&durations, &observed, &[0, 1, 0, 1, 0, 1]).unwrap();
    let doc = round_trip::<LogRank>(&t);
    refused::<LogRank>(
        &doc,
        |d| pop(d, "expected"),
        "column `expected` has 1 rows, expected 2",
    );
}

#[test]
fn rfm_tables_are_checked_against_their_values() {
    let (ids, days, amounts) = shop();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let r = rfm(&log, None).unwrap();
    let doc = round_trip(&r);
    refused::<Rfm>(
        &doc,
        |d| pop(d, "orders"),
        "column `orders` has 3 rows, expected 4",
    );
    refused::<Rfm>(&doc, |d| pop(d, "segment"), "column `segment`, row 3");
    let err = refused::<Rfm>(
        &doc,
        |d| d["r_score"][0] = json!(5),
        "column `r_score`, row 0",
    );
    assert!(err.contains("is not what the values give"), "{err}");
    refused::<Rfm>(&doc, |d| d["m_score"] = Value::Null, "column `m_score`");
    refused::<Rfm>(
        &doc,
        |d| d["orders"][2] = json!(0),
        "column `orders`, row 2",
    );
    refused::<Rfm>(
        &doc,
        |d| d["customer_id"][1] = json!(1),
        "column `customer_id`",
    );
    let mut bad = r.clone();
    bad.spend.as_mut().unwrap().pop();
    assert!(Rfm::merge(&[bad]).is_err());
}

#[test]
fn periods_subscription_results_and_model_checks_are_checked() {
    let doc = round_trip(&Period::new(10, 20).unwrap());
    refused::<Period>(
        &doc,
        |d| d["end"] = json!(10),
        "period end 10 must be after its start 10",
    );
    refused::<Period>(&doc, |d| d["start"] = json!(i32::MIN), "argument `start`");

    let d = |m, dd| day(2024, m, dd).unwrap();
    let subs = SubscriptionLog::new(
        &[1, 2, 3],
        &[d(1, 3), d(1, 20), d(2, 2)],
        &[Some(d(2, 10)), None, None],
        &[20.0, 35.0, 10.0],
    )
    .unwrap();
    let lifetimes = subs.lifetimes(d(3, 31)).unwrap();
    let doc = round_trip(&lifetimes);
    refused::<Lifetimes>(
        &doc,
        |doc| pop(doc, "churned"),
        "column `churned` has 2 rows, expected 3",
    );
    let cohorts = subscription_cohorts(&subs, d(3, 31)).unwrap();
    let row = &cohorts.rows[0];
    let doc = round_trip::<SubscriptionCohortRow>(row);
    refused::<SubscriptionCohortRow>(&doc, |doc| pop(doc, "mrr"), "column `mrr` has");
    // The whole table checks each row.
    let doc = round_trip(&cohorts);
    let mut bad = doc.clone();
    pop(&mut bad["rows"][0], "active");
    assert!(serde_json::from_value::<retentionkit::revenue::SubscriptionCohorts>(bad).is_err());

    let (ids, days, amounts) = shop();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let split = calibration_holdout(&log, d(1, 31), Some(d(3, 31)), TimeUnit::Days).unwrap();
    let check = HoldoutCheck::from_predictions(vec![0.5; split.calibration.len()], &split).unwrap();
    let doc = round_trip(&check);
    refused::<HoldoutCheck>(&doc, |doc| pop(doc, "actual"), "column `actual` has");
    let curve = tracking(&params(), &log, TimeUnit::Days, &[d(2, 1), d(3, 1)]).unwrap();
    let doc = round_trip::<Tracking>(&curve);
    refused::<Tracking>(
        &doc,
        |doc| pop(doc, "expected"),
        "column `expected` has 1 rows, expected 2",
    );
}

/// Issue 25, "JSON that is not response-ready": days serialize as ISO dates
/// (the shop's dates, written by hand from `shop()`), and documents with the
/// day numbers of earlier versions still read back to the same value.
#[test]
fn days_serialize_as_iso_dates_and_day_numbers_still_read() {
    let s = the_summary();
    let doc = round_trip(&s);
    assert_eq!(doc["observation_end"], "2024-03-31");
    // Customers 1..=4 first bought on 2 Jan, 5 Jan, 1 Feb and 3 Mar.
    assert_eq!(
        doc["first_day"],
        json!(["2024-01-02", "2024-01-05", "2024-02-01", "2024-03-03"])
    );
    assert_eq!(
        doc["last_day"],
        json!(["2024-01-20", "2024-01-05", "2024-03-30", "2024-03-03"])
    );
    // The same document with day numbers (2024-03-31 is day 19,813: 54 years
    // of 365 days from 1970 plus 13 leap days, plus 90 days into 2024).
    let mut old = doc.clone();
    old["observation_end"] = json!(19_813);
    old["first_day"] = json!(s.first_day);
    old["last_day"] = json!(s.last_day);
    assert_eq!(serde_json::from_value::<Summary>(old).unwrap(), s);
    refused::<Summary>(
        &doc,
        |d| d["observation_end"] = json!("2024-02-30"),
        "not an ISO date",
    );

    let (ids, days, amounts) = shop();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let kpis = retentionkit::kpi::kpi_series(
        &log,
        retentionkit::period::Granularity::Month,
        retentionkit::period::Lookback::Months(1),
    )
    .unwrap();
    let k = serde_json::to_value(&kpis).unwrap();
    assert_eq!(k["observation_end"], "2024-03-30"); // the last order
    assert_eq!(
        k["rows"][0]["period"],
        json!({"start": "2024-01-01", "end": "2024-02-01"})
    );
}

/// `Summary::rows` gives recency and T as fields with the id, and refuses a
/// summary whose public columns were edited to different lengths.
#[test]
fn summary_rows_carry_ids_recency_and_age_and_refuse_mismatched_columns() {
    let s = the_summary();
    let rows: Vec<_> = s.rows().unwrap().collect();
    // Customer 3: days 1 Feb, 9 Feb, 30 Mar; observed to 31 Mar (days):
    // x = 2, t_x = 58 (1 Feb to 30 Mar), T = 59, m = (3 + 40) / 2.
    let r = rows[2];
    assert_eq!(
        (
            r.customer_id,
            r.frequency,
            r.recency,
            r.age,
            r.monetary_value
        ),
        (3, 2, 58.0, 59.0, Some(21.5))
    );
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(json["last_day"], "2024-03-30");
    assert_eq!(json["T"], 59.0);
    let mut bad = s.clone();
    bad.frequency.pop();
    assert!(bad.rows().is_err());
}

#[test]
fn cox_fits_are_checked() {
    use retentionkit::survival::cox::{cox_ph, CoxFit, CoxOptions, RegressionData};
    let t = [1.0, 2.0, 2.0, 4.0, 5.0, 7.0];
    let e = [true, true, false, true, false, true];
    let x = [0.5, 1.5, -0.2, 2.0, 0.1, 0.3];
    let cols: [&[f64]; 1] = [&x];
    let data = RegressionData {
        durations: &t,
        events: &e,
        covariates: &cols,
        weights: None,
        strata: None,
    };
    let fit = cox_ph(&data, &CoxOptions::default()).unwrap();
    let doc = round_trip(&fit);
    refused::<CoxFit>(&doc, |d| pop(d, "covariance"), "covariance");
    refused::<CoxFit>(&doc, |d| pop(d, "standard_errors"), "standard_errors");
    refused::<CoxFit>(
        &doc,
        |d| pop(&mut d["baselines"][0], "cumulative_hazard"),
        "cumulative_hazard",
    );
    refused::<CoxFit>(
        &doc,
        |d| d["baselines"][0]["cumulative_hazard"][1] = Value::from(-1.0),
        "non-decreasing",
    );
}
