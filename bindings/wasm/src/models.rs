//! `BgNbd`: a fitted (or typed-in) BG/NBD model kept in wasm memory.

use retentionkit::error::Error;
use retentionkit::models::bg_nbd::{fit_bg_nbd, BgNbdParams};
use retentionkit::models::check::{at_risk, tracking};
use retentionkit::models::RepeatData;
use retentionkit::summary::TimeUnit;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::columns::Options;
use crate::error::{JsResult, OrThrow};
use crate::fit::{self, status_name, FitInfo};
use crate::log::{Summary, TransactionLog};
use crate::out::{id, iso, to_js, unit_name, unit_of, Id, Obj, UNITS};

/// The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005), in the
/// time unit of the summary it was fitted on.
#[wasm_bindgen]
pub struct BgNbd {
    params: BgNbdParams,
    unit: TimeUnit,
    fit: Option<FitInfo<BgNbdParams>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ParamsOut {
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
}

impl From<BgNbdParams> for ParamsOut {
    fn from(p: BgNbdParams) -> Self {
        ParamsOut {
            r: p.r,
            alpha: p.alpha,
            a: p.a,
            b: p.b,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AtRiskOut {
    customer_id: Id,
    probability_alive: f64,
    overdue: Option<f64>,
    value_at_stake: f64,
}

impl BgNbd {
    pub(crate) fn params(&self) -> &BgNbdParams {
        &self.params
    }

    pub(crate) fn time_unit(&self) -> TimeUnit {
        self.unit
    }

    fn same_unit(&self, s: &Summary) -> JsResult<()> {
        same_unit(self.unit, s.inner().unit)
    }
}

/// `IncompatibleError` unless the data (a summary) are in the model's unit.
pub(crate) fn same_unit(model: TimeUnit, data: TimeUnit) -> JsResult<()> {
    if data == model {
        Ok(())
    } else {
        Err(Error::Incompatible {
            reason: format!(
                "the model is in {} but the summary in {}",
                unit_name(model),
                unit_name(data)
            ),
        })
        .or_throw()
    }
}

#[wasm_bindgen]
impl BgNbd {
    /// Typed-in parameters (for example published estimates), in `unit`
    /// (default `"days"`).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands JS strings over owned
    pub fn new(
        r: f64,
        alpha: f64,
        a: f64,
        b: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeUnit")] unit: Option<String>,
    ) -> JsResult<BgNbd> {
        let params = BgNbdParams::new(r, alpha, a, b).or_throw()?;
        let unit = match unit.as_deref() {
            None | Some("days") => TimeUnit::Days,
            Some("weeks") => TimeUnit::Weeks,
            Some(other) => {
                return Err(Error::InvalidArgument {
                    name: "unit",
                    reason: format!("{other:?} is not one of days, weeks"),
                })
                .or_throw()
            }
        };
        Ok(BgNbd {
            params,
            unit,
            fit: None,
        })
    }

    /// Maximum-likelihood fit on a summary (see `FitOptions`). A fit that
    /// stops early is not an error: read `status`.
    pub fn fit(
        summary: &Summary,
        #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
    ) -> JsResult<BgNbd> {
        let o = fit::options(options)?;
        let data = RepeatData::from_summary(&summary.inner().compress()).or_throw()?;
        let f = fit_bg_nbd(&data, &o).or_throw()?;
        Ok(BgNbd {
            params: f.params,
            unit: summary.inner().unit,
            fit: Some(FitInfo::of(&f)),
        })
    }

    /// Shape of the gamma distribution of purchase rates.
    #[wasm_bindgen(getter)]
    pub fn r(&self) -> f64 {
        self.params.r
    }

    /// Scale of the gamma distribution of purchase rates (in `unit`).
    #[wasm_bindgen(getter)]
    pub fn alpha(&self) -> f64 {
        self.params.alpha
    }

    /// First shape of the beta distribution of drop-out probabilities.
    #[wasm_bindgen(getter)]
    pub fn a(&self) -> f64 {
        self.params.a
    }

    /// Second shape of the beta distribution of drop-out probabilities.
    #[wasm_bindgen(getter)]
    pub fn b(&self) -> f64 {
        self.params.b
    }

    /// Time unit of the parameters and predictions.
    #[wasm_bindgen(getter, unchecked_return_type = "TimeUnit")]
    pub fn unit(&self) -> String {
        unit_name(self.unit).into()
    }

    /// Log-likelihood at the fitted parameters (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.log_likelihood)
    }

    /// Iterations of the fit (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> Option<usize> {
        self.fit.as_ref().map(|f| f.iterations)
    }

    /// How the fit ended (`undefined` when typed in).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus | undefined")]
    pub fn status(&self) -> Option<String> {
        self.fit.as_ref().map(status_name)
    }

    /// Standard errors from the observed information, `null` when that is
    /// not positive definite or the parameters were typed in.
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "BgNbdParams | null")]
    pub fn standard_errors(&self) -> JsResult<JsValue> {
        match self.fit.as_ref().and_then(|f| f.standard_errors) {
            Some(p) => to_js(&ParamsOut::from(p)),
            None => Ok(JsValue::NULL),
        }
    }

    /// The parameters as a plain object (`JSON.stringify` uses this).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "BgNbdParams")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&ParamsOut::from(self.params))
    }

    /// Probability that a customer with `frequency` repeat purchases,
    /// `recency` and `age` (in `unit`) is still alive.
    #[wasm_bindgen(js_name = probabilityAlive)]
    pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> JsResult<f64> {
        self.params
            .probability_alive(frequency, recency, age)
            .or_throw()
    }

    /// Expected purchases of that customer in the next `horizon` (in `unit`).
    #[wasm_bindgen(js_name = expectedPurchases)]
    pub fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> JsResult<f64> {
        self.params
            .expected_purchases(frequency, recency, age, horizon)
            .or_throw()
    }

    /// Expected repeat purchases of a new customer in its first `horizon`.
    #[wasm_bindgen(js_name = expectedPurchasesNew)]
    pub fn expected_purchases_new(&self, horizon: f64) -> JsResult<f64> {
        self.params.expected_purchases_new(horizon).or_throw()
    }

    /// Probability alive and expected purchases in `horizon` for every
    /// customer of the summary, in summary order.
    #[wasm_bindgen(unchecked_return_type = "Predictions")]
    pub fn predict(&self, summary: &Summary, horizon: f64) -> JsResult<JsValue> {
        self.same_unit(summary)?;
        let p = self.params.predict(summary.inner(), horizon).or_throw()?;
        Ok(Obj::new()
            .set(
                "probabilityAlive",
                js_sys::Float64Array::from(p.probability_alive.as_slice()),
            )
            .set(
                "expectedPurchases",
                js_sys::Float64Array::from(p.expected_purchases.as_slice()),
            )
            .build())
    }

    /// Customers most likely to have lapsed, least likely alive first (see
    /// `AtRiskOptions`).
    #[wasm_bindgen(js_name = atRisk, unchecked_return_type = "AtRiskCustomer[]")]
    pub fn at_risk(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_optional_param_type = "AtRiskOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        self.same_unit(summary)?;
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["horizon", "limit"],
        )
        .or_throw()?;
        let horizon = opts.number("horizon").or_throw()?.unwrap_or(0.0);
        let limit = opts
            .whole("limit", crate::columns::MAX_SAFE)
            .or_throw()?
            .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let list = at_risk(&self.params, summary.inner(), horizon).or_throw()?;
        let out: Vec<AtRiskOut> = list
            .iter()
            .take(limit)
            .map(|c| AtRiskOut {
                customer_id: id(summary.names(), c.customer_id),
                probability_alive: c.probability_alive,
                overdue: c.overdue,
                value_at_stake: c.value_at_stake,
            })
            .collect();
        to_js(&out)
    }

    /// Expected against actual cumulative repeat purchases of the whole
    /// log, every `everyDays` days (default 7) after its first day, through
    /// the day after its last (see `TrackingOptions`).
    #[wasm_bindgen(unchecked_return_type = "Tracking")]
    pub fn tracking(
        &self,
        log: &TransactionLog,
        #[wasm_bindgen(unchecked_optional_param_type = "TrackingOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["everyDays", "unit"],
        )
        .or_throw()?;
        if let Some(u) = opts.choice("unit", &UNITS).or_throw()? {
            if unit_of(u) != self.unit {
                return Err(Error::InvalidArgument {
                    name: "unit",
                    reason: format!("the model is in {}", unit_name(self.unit)),
                })
                .or_throw();
            }
        }
        let every = opts.whole("everyDays", 36_600.0).or_throw()?.unwrap_or(7);
        let every = i32::try_from(every).unwrap_or(i32::MAX);
        if every == 0 {
            return Err(Error::InvalidArgument {
                name: "everyDays",
                reason: "must be at least 1".into(),
            })
            .or_throw();
        }
        let core = log.core()?;
        let (first, end) = (core.first_day(), core.last_day().saturating_add(1));
        let mut at = Vec::new();
        let mut t = first.saturating_add(every);
        while t < end {
            at.push(t);
            t = t.saturating_add(every);
        }
        at.push(end);
        let tr = tracking(&self.params, &core, self.unit, &at).or_throw()?;
        let actual: Vec<f64> = tr.actual.iter().map(|&n| n as f64).collect();
        Ok(Obj::new()
            .set("date", to_js(&iso(&tr.at))?)
            .set(
                "expected",
                js_sys::Float64Array::from(tr.expected.as_slice()),
            )
            .set("actual", js_sys::Float64Array::from(actual.as_slice()))
            .build())
    }
}
