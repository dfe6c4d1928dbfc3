//! `TransactionLog` and `Summary`: the columns and the per-customer summary,
//! kept in wasm memory; KPI series, cohort matrices and RFM scores from them.

use std::rc::Rc;

use retentionkit::cohort::{
    bracket_retention, cohort_matrix, BracketMatrix, CohortMatrix, CohortOptions, RetentionKind,
};
use retentionkit::demo::{shop, DemoOptions};
use retentionkit::error::Error;
use retentionkit::kpi::{kpi_series, KpiRowView};
use retentionkit::period::{format_day, Granularity, Lookback};
use retentionkit::rfm::rfm;
use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::columns::{self, Options, MAX_SAFE};
use crate::error::{JsResult, OrThrow};
use crate::out::{id_column, iso, to_js, Names, Obj};

/// A validated transaction log (one row per order), kept in wasm memory:
/// the core's owned log (`retentionkit::TransactionLog::from_vecs`), checked
/// once, with its customer index and date order, which every method starts
/// from.
#[wasm_bindgen]
pub struct TransactionLog {
    log: retentionkit::TransactionLog<'static>,
    names: Names,
}

impl TransactionLog {
    /// Validate owned columns (the core's checks) into a log.
    fn build(
        ids: Vec<u64>,
        days: Vec<i32>,
        amounts: Option<Vec<f64>>,
        names: Names,
    ) -> retentionkit::Result<Self> {
        Ok(TransactionLog {
            log: retentionkit::TransactionLog::from_vecs(ids, days, amounts)?,
            names,
        })
    }

    /// The core's log.
    pub(crate) fn core(&self) -> &retentionkit::TransactionLog<'static> {
        &self.log
    }
}

#[wasm_bindgen]
impl TransactionLog {
    /// A log from columns `{ customerId, date, amount? }` of equal length.
    #[wasm_bindgen(js_name = fromColumns)]
    pub fn from_columns(
        #[wasm_bindgen(unchecked_param_type = "TransactionColumns")] columns: &JsValue,
    ) -> JsResult<TransactionLog> {
        let opts = Options::column_names(columns, &["customerId", "date", "amount"]).or_throw()?;
        let column = |name: &'static str| {
            opts.get(name).ok_or(Error::MissingColumn {
                column: name,
                needed_for: "a transaction log",
            })
        };
        let build = || -> retentionkit::Result<TransactionLog> {
            let ids = columns::ids(&column("customerId")?)?;
            let days = columns::days(&column("date")?, "date")?;
            let amounts =
                columns::amounts(&opts.get("amount").unwrap_or(JsValue::UNDEFINED), "amount")?;
            TransactionLog::build(ids.values, days, amounts, ids.names.map(Rc::new))
        };
        build().or_throw()
    }

    /// Number of rows (orders).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.log.len()
    }

    /// Number of distinct customers.
    #[wasm_bindgen(getter, js_name = customerCount)]
    pub fn customer_count(&self) -> usize {
        self.core().num_customers()
    }

    /// Whether the log has an amount column.
    #[wasm_bindgen(getter, js_name = hasAmounts)]
    pub fn has_amounts(&self) -> bool {
        self.log.has_amounts()
    }

    /// First order date, ISO `YYYY-MM-DD`.
    #[wasm_bindgen(getter, js_name = firstDate)]
    pub fn first_date(&self) -> String {
        format_day(self.core().first_day())
    }

    /// Last order date, ISO `YYYY-MM-DD`.
    #[wasm_bindgen(getter, js_name = lastDate)]
    pub fn last_date(&self) -> String {
        format_day(self.core().last_day())
    }

    /// Total of the amount column (`null` without amounts).
    #[wasm_bindgen(getter)]
    pub fn revenue(&self) -> Option<f64> {
        self.log.amounts().map(|a| a.iter().sum())
    }

    /// The columns, copied out: ids (numbers or the original strings),
    /// dates as days since 1970-01-01, amounts (`null` without).
    #[wasm_bindgen(js_name = toColumns, unchecked_return_type = "LogColumns")]
    pub fn to_columns(&self) -> JsValue {
        Obj::new()
            .set("customerId", id_column(&self.names, self.log.ids()))
            .set("date", js_sys::Int32Array::from(self.log.days()))
            .set(
                "amount",
                self.log
                    .amounts()
                    .map_or(JsValue::NULL, |a| js_sys::Float64Array::from(a).into()),
            )
            .build()
    }

    /// What the log holds, as a plain object (`JSON.stringify` and Node's
    /// `console.log` use this): the getters' values, not the rows (those
    /// are `toColumns`).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "TransactionLogInfo")]
    pub fn to_json(&self) -> JsValue {
        Obj::new()
            .set("length", self.length())
            .set("customerCount", self.customer_count())
            .set("hasAmounts", self.has_amounts())
            .set("firstDate", self.first_date())
            .set("lastDate", self.last_date())
            .set(
                "revenue",
                self.revenue().map_or(JsValue::NULL, JsValue::from),
            )
            .build()
    }

    /// KPIs per calendar period (see `KpiOptions`).
    #[wasm_bindgen(js_name = kpiSeries, unchecked_return_type = "KpiSeries")]
    pub fn kpi_series(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "KpiOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["granularity", "lookbackMonths", "lookbackDays"],
        )
        .or_throw()?;
        let g = opts
            .named::<Granularity>("granularity")
            .or_throw()?
            .unwrap_or_default();
        let months = opts.whole("lookbackMonths", 1_200.0).or_throw()?;
        let days = opts.whole("lookbackDays", 36_600.0).or_throw()?;
        let lookback = match (months, days) {
            (Some(_), Some(_)) => {
                return Err(Error::InvalidArgument {
                    name: "lookbackDays",
                    reason: "give lookbackMonths or lookbackDays, not both".into(),
                })
                .or_throw()
            }
            // ok: both bounded above by the `whole` limits, far below u32::MAX
            (Some(m), None) => Lookback::Months(u32::try_from(m).unwrap_or(u32::MAX)),
            (None, Some(d)) => Lookback::Days(u32::try_from(d).unwrap_or(u32::MAX)),
            (None, None) => Lookback::default(),
        };
        let s = kpi_series(self.core(), g, lookback).or_throw()?;
        let out = KpiSeriesOut {
            granularity: g.as_str(),
            lookback: LookbackOut {
                months: s.lookback.months(),
                days: s.lookback.days(),
            },
            observation_end: format_day(s.observation_end),
            rows: s.rows.iter().map(|r| r.view(true)).collect(),
        };
        to_js(&out)
    }

    /// Acquisition cohorts and their retention matrices (see `CohortOptions`).
    #[wasm_bindgen(js_name = cohortMatrix, unchecked_return_type = "CohortMatrix")]
    pub fn cohort_matrix(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CohortOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let o = cohort_options(options)?;
        let m = cohort_matrix(self.core(), &o).or_throw()?;
        to_js(&CohortOut::of(&m))
    }

    /// Bracket retention: per acquisition cohort and bracket of periods
    /// after acquisition, the customers with an order in at least one period
    /// of the bracket. `brackets` is an array of `[start, end]` pairs, `end`
    /// exclusive or `null` for no end, ordered by start (they may overlap; at
    /// most 64). Options as `cohortMatrix`'s.
    #[wasm_bindgen(js_name = bracketRetention, unchecked_return_type = "BracketRetention")]
    pub fn bracket_retention(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Array<[number, number | null]>")] brackets: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CohortOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let brackets = brackets_of(brackets).or_throw()?;
        let o = cohort_options(options)?;
        let m = bracket_retention(self.core(), &o, &brackets).or_throw()?;
        to_js(&BracketOut::of(&m))
    }

    /// The per-customer BTYD summary (frequency, recency, T, monetary value),
    /// kept in wasm memory for model fits (see `SummaryOptions`).
    pub fn summary(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SummaryOptions")] options: Option<JsValue>,
    ) -> JsResult<Summary> {
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["unit", "observationEnd"],
        )
        .or_throw()?;
        let o = SummaryOptions::default()
            .with_observation_end(opts.day("observationEnd").or_throw()?)
            .with_unit(
                opts.named::<TimeUnit>("unit")
                    .or_throw()?
                    .unwrap_or_default(),
            );
        let s = summary(self.core(), &o).or_throw()?;
        Ok(Summary {
            inner: s,
            names: self.names.clone(),
        })
    }

    /// RFM scores (1–5) and segments per customer (see `RfmOptions`).
    #[wasm_bindgen(unchecked_return_type = "Rfm")]
    pub fn rfm(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "RfmOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let opts =
            Options::new(&options.unwrap_or(JsValue::UNDEFINED), &["observationEnd"]).or_throw()?;
        let r = rfm(self.core(), opts.day("observationEnd").or_throw()?).or_throw()?;
        let segments: js_sys::Array = r
            .segment
            .iter()
            .map(|s| JsValue::from_str(s.name()))
            .collect();
        let counts = r
            .segment_counts()
            .into_iter()
            .map(|(s, n)| SegmentCount {
                segment: s.name(),
                customers: n,
            })
            .collect::<Vec<_>>();
        let orders: Vec<f64> = r.orders.iter().map(|&n| n as f64).collect();
        Ok(Obj::new()
            .set("customerId", id_column(&self.names, &r.customer_id))
            .set("observationEnd", format_day(r.observation_end))
            .set(
                "recencyDays",
                js_sys::Int32Array::from(r.recency_days.as_slice()),
            )
            .set("orders", js_sys::Float64Array::from(orders.as_slice()))
            .set(
                "spend",
                r.spend
                    .as_deref()
                    .map_or(JsValue::NULL, |s| js_sys::Float64Array::from(s).into()),
            )
            .set("rScore", js_sys::Uint8Array::from(r.r_score.as_slice()))
            .set("fScore", js_sys::Uint8Array::from(r.f_score.as_slice()))
            .set(
                "mScore",
                r.m_score
                    .as_deref()
                    .map_or(JsValue::NULL, |s| js_sys::Uint8Array::from(s).into()),
            )
            .set("segment", segments)
            .set("segmentCounts", to_js(&counts)?)
            .build())
    }
}

/// The seeded demo shop of the core (`retentionkit::demo::shop`): a
/// simulated log with a documented truth (see `DemoOptions`).
#[wasm_bindgen(js_name = demoShop)]
pub fn demo_shop(
    #[wasm_bindgen(unchecked_optional_param_type = "DemoOptions")] options: Option<JsValue>,
) -> JsResult<TransactionLog> {
    let opts = Options::new(
        &options.unwrap_or(JsValue::UNDEFINED),
        &["seed", "customers", "start", "days"],
    )
    .or_throw()?;
    let d = DemoOptions::default();
    let u32_max = f64::from(u32::MAX);
    let o = DemoOptions {
        seed: opts.whole("seed", MAX_SAFE).or_throw()?.unwrap_or(d.seed),
        customers: opts
            .whole("customers", u32_max)
            .or_throw()?
            .map_or(d.customers, |c| u32::try_from(c).unwrap_or(u32::MAX)),
        start: opts.day("start").or_throw()?.unwrap_or(d.start),
        days: opts
            .whole("days", u32_max)
            .or_throw()?
            .map_or(d.days, |c| u32::try_from(c).unwrap_or(u32::MAX)),
    };
    let demo = shop(&o).or_throw()?;
    TransactionLog::build(demo.ids, demo.days, Some(demo.amounts), None).or_throw()
}

/// The per-customer BTYD summary, kept in wasm memory; columns are copied
/// out as typed arrays on access.
#[wasm_bindgen]
pub struct Summary {
    inner: retentionkit::summary::Summary,
    names: Names,
}

impl Summary {
    pub(crate) fn inner(&self) -> &retentionkit::summary::Summary {
        &self.inner
    }

    pub(crate) fn names(&self) -> &Names {
        &self.names
    }
}

#[wasm_bindgen]
impl Summary {
    /// Number of customers.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Unit of recency and age.
    #[wasm_bindgen(getter, unchecked_return_type = "TimeUnit")]
    pub fn unit(&self) -> String {
        self.inner.unit.as_str().into()
    }

    /// Last observed day, ISO.
    #[wasm_bindgen(getter, js_name = observationEnd)]
    pub fn observation_end(&self) -> String {
        format_day(self.inner.observation_end)
    }

    /// Customer ids (numbers, or the strings the log was built from), ascending by internal id.
    #[wasm_bindgen(getter, js_name = customerId, unchecked_return_type = "Float64Array | string[]")]
    pub fn customer_id(&self) -> JsValue {
        id_column(&self.names, &self.inner.customer_id)
    }

    /// Repeat purchases x (distinct purchase days − 1).
    #[wasm_bindgen(getter)]
    pub fn frequency(&self) -> Vec<u32> {
        self.inner.frequency.clone()
    }

    /// Recency t_x: first to last purchase, in `unit`.
    #[wasm_bindgen(getter)]
    pub fn recency(&self) -> Vec<f64> {
        self.inner.recency()
    }

    /// Age T: first purchase to the observation end, in `unit`.
    #[wasm_bindgen(getter)]
    pub fn age(&self) -> Vec<f64> {
        self.inner.age()
    }

    /// Mean spend of the repeat purchases (0 without repeats); `undefined` without amounts.
    #[wasm_bindgen(getter, js_name = monetaryValue)]
    pub fn monetary_value(&self) -> Option<Vec<f64>> {
        self.inner.monetary_value.clone()
    }

    /// First purchase dates (ISO).
    #[wasm_bindgen(getter, js_name = firstDate)]
    pub fn first_date(&self) -> Vec<String> {
        iso(&self.inner.first_day)
    }

    /// The summary as a plain object of plain arrays (`JSON.stringify` and
    /// Node's `console.log` use this): `length`, `unit`, `observationEnd`
    /// and the columns, `monetaryValue` `null` without amounts.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SummaryInfo")]
    pub fn to_json(&self) -> JsValue {
        let ids = js_sys::Array::from(&self.customer_id());
        let numbers = |v: &[f64]| {
            v.iter()
                .copied()
                .map(JsValue::from)
                .collect::<js_sys::Array>()
        };
        Obj::new()
            .set("length", self.length())
            .set("unit", self.unit())
            .set("observationEnd", self.observation_end())
            .set("customerId", ids)
            .set(
                "frequency",
                self.inner
                    .frequency
                    .iter()
                    .copied()
                    .map(JsValue::from)
                    .collect::<js_sys::Array>(),
            )
            .set("recency", numbers(&self.recency()))
            .set("age", numbers(&self.age()))
            .set(
                "monetaryValue",
                self.inner
                    .monetary_value
                    .as_deref()
                    .map_or(JsValue::NULL, |m| numbers(m).into()),
            )
            .set(
                "firstDate",
                self.first_date()
                    .into_iter()
                    .map(JsValue::from)
                    .collect::<js_sys::Array>(),
            )
            .build()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SegmentCount {
    segment: &'static str,
    customers: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LookbackOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KpiSeriesOut<'a> {
    granularity: &'static str,
    lookback: LookbackOut,
    observation_end: String,
    rows: Vec<KpiRowView<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CohortOut {
    granularity: &'static str,
    observation_end: String,
    last_period_complete: bool,
    labels: Vec<String>,
    sizes: Vec<u64>,
    active: Vec<Vec<Option<u64>>>,
    unbounded: Vec<Vec<Option<u64>>>,
    retention: Vec<Vec<Option<f64>>>,
    unbounded_retention: Vec<Vec<Option<f64>>>,
    revenue: Option<Vec<Vec<Option<f64>>>>,
    average_curve: Vec<f64>,
    unbounded_average_curve: Vec<f64>,
}

/// Rows padded with `None` to the widest row: unobserved cells.
fn padded<T: Copy>(rows: &[Vec<T>], width: usize) -> Vec<Vec<Option<T>>> {
    rows.iter()
        .map(|r| (0..width).map(|k| r.get(k).copied()).collect())
        .collect()
}

impl CohortOut {
    fn of(m: &CohortMatrix) -> Self {
        let width = m.active.iter().map(Vec::len).max().unwrap_or(0);
        CohortOut {
            granularity: m.granularity.as_str(),
            observation_end: format_day(m.observation_end),
            last_period_complete: m.last_period_complete,
            labels: m.labels.clone(),
            sizes: m.sizes.clone(),
            active: padded(&m.active, width),
            unbounded: padded(&m.unbounded, width),
            retention: padded(&m.fractions(RetentionKind::NPeriod), width),
            unbounded_retention: padded(&m.fractions(RetentionKind::Unbounded), width),
            revenue: m.revenue.as_ref().map(|r| padded(r, width)),
            average_curve: m.average_curve(RetentionKind::NPeriod),
            unbounded_average_curve: m.average_curve(RetentionKind::Unbounded),
        }
    }
}

/// The core's `CohortOptions` from a JS `CohortOptions` object (`undefined`:
/// monthly, observed to the log's last day).
fn cohort_options(options: Option<JsValue>) -> JsResult<CohortOptions> {
    let opts = Options::new(
        &options.unwrap_or(JsValue::UNDEFINED),
        &["granularity", "observationEnd"],
    )
    .or_throw()?;
    Ok(CohortOptions::default()
        .with_granularity(
            opts.named::<Granularity>("granularity")
                .or_throw()?
                .unwrap_or_default(),
        )
        .with_observation_end(opts.day("observationEnd").or_throw()?))
}

/// The end of a bracket without end.
const OPEN: u32 = u32::MAX;

/// Brackets from JS: an array of `[start, end]`, whole numbers with
/// `0 <= start < end`, `end` `null` (or missing) for no end.
fn brackets_of(v: &JsValue) -> Result<Vec<std::ops::Range<u32>>, Error> {
    let bad = |i: usize, what: String| {
        Error::InvalidArgument {
        name: "brackets",
        reason: format!("bracket {i} {what}; give [start, end] with 0 <= start < end (end exclusive, null for no end)"),
    }
    };
    if !js_sys::Array::is_array(v) {
        return Err(Error::InvalidArgument {
            name: "brackets",
            reason: "must be an array of [start, end] pairs".into(),
        });
    }
    let whole = |x: &JsValue| {
        let f = x.as_f64()?;
        if f.fract() == 0.0 && f >= 0.0 && f < f64::from(OPEN) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            // ok: whole, non-negative and below u32::MAX, checked just above
            Some(f as u32)
        } else {
            None
        }
    };
    js_sys::Array::from(v)
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if !js_sys::Array::is_array(&b) || js_sys::Array::from(&b).length() != 2 {
                return Err(bad(i, "is not a pair".into()));
            }
            let pair = js_sys::Array::from(&b);
            let (s, e) = (pair.get(0), pair.get(1));
            let start = whole(&s).ok_or_else(|| bad(i, format!("starts at {s:?}")))?;
            let end = if e.is_null() || e.is_undefined() {
                OPEN
            } else {
                whole(&e).ok_or_else(|| bad(i, format!("ends at {e:?}")))?
            };
            if start >= end {
                return Err(bad(i, format!("[{start}, {end}] is empty")));
            }
            Ok(start..end)
        })
        .collect()
}

/// `BracketRetention` in TypeScript.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BracketOut {
    granularity: &'static str,
    observation_end: String,
    last_period_complete: bool,
    brackets: Vec<(u32, Option<u32>)>,
    labels: Vec<String>,
    sizes: Vec<u64>,
    counts: Vec<Vec<Option<u64>>>,
    retention: Vec<Vec<Option<f64>>>,
    partial: Vec<Vec<bool>>,
}

impl BracketOut {
    fn of(m: &BracketMatrix) -> Self {
        let nb = m.brackets.len();
        BracketOut {
            granularity: m.granularity.as_str(),
            observation_end: format_day(m.observation_end),
            last_period_complete: m.last_period_complete,
            brackets: m
                .brackets
                .iter()
                .map(|b| (b.start, (b.end != OPEN).then_some(b.end)))
                .collect(),
            labels: m.labels.clone(),
            sizes: m.sizes.clone(),
            counts: padded(&m.counts, nb),
            retention: padded(&m.fractions(), nb),
            partial: (0..m.labels.len())
                .map(|c| (0..nb).map(|b| m.is_partial(c, b)).collect())
                .collect(),
        }
    }
}
