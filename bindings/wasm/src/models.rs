//! The repeat-purchase model classes `BgNbd`, `MbgNbd` and `ParetoNbd`:
//! fitted (or typed-in) models kept in wasm memory.
//!
//! One generic [`Model`] does the work for any core parameter type; the
//! macro `repeat_model!` writes the same JS surface over it for each class,
//! so the three classes differ only in their parameters and documentation.

use retentionkit::error::Error;
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::check::{at_risk, tracking, AtRiskOptions, ClvOptions};
use retentionkit::models::choice::InformationCriteria;
use retentionkit::models::gamma_gamma::GammaGammaParams;
use retentionkit::models::interval::{
    fit_intervals, fit_prediction_interval, BootstrapOptions, ClvInputs, IntervalRequest, Method,
    Target, DEFAULT_LEVEL,
};
use retentionkit::models::mbg_nbd::MbgNbdParams;
use retentionkit::models::pareto_nbd::ParetoNbdParams;
use retentionkit::models::repeat::{RepeatFit, RepeatModel, RepeatParams};
use retentionkit::models::RepeatData;
use retentionkit::optim::{Fit, FitOptions};
use retentionkit::summary::TimeUnit;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::columns::Options;
use crate::error::{JsResult, OrThrow};
use crate::fit::{self, FitInfo};
use crate::log::{Summary, TransactionLog};
use crate::out::{id, iso, to_js, Id, Obj};
use crate::spend::GammaGamma;

/// What a model class needs of a core parameter type: the core's one
/// repeat-model interface, and serde for `toJSON`.
pub(crate) trait Params: RepeatFit + Copy + Serialize + Into<RepeatParams> {}

impl<P: RepeatFit + Copy + Serialize + Into<RepeatParams>> Params for P {}

/// A repeat-purchase model in the time unit of its data, with what its fit
/// reported (`None` when the parameters were typed in).
pub(crate) struct Model<P> {
    params: P,
    unit: TimeUnit,
    fit: Option<FitInfo<P>>,
    /// The fit, its data and options, for `intervals` (`None` when typed in).
    fitted: Option<Fitted>,
}

/// What the intervals of a fitted model need: the core's fit in its shared
/// form, the data it was fitted on (the compressed summary's rows) and the
/// options every bootstrap refit uses.
struct Fitted {
    fit: Fit<RepeatParams>,
    data: RepeatData,
    options: FitOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AtRiskOut {
    customer_id: Id,
    frequency: u32,
    last_date: String,
    probability_alive: f64,
    expected_purchases: f64,
    overdue: f64,
    value_at_stake: f64,
}

/// `IncompatibleError` unless the data (a summary) are in the model's unit.
pub(crate) fn same_unit(model: TimeUnit, data: TimeUnit) -> JsResult<()> {
    if data == model {
        Ok(())
    } else {
        Err(crate::error::incompatible(&format!(
            "the model is in {model} but the summary in {data}: make the summary with \
             {{ unit: '{model}' }}, or fit the model on this summary"
        )))
    }
}

impl<P: Params> Model<P> {
    /// Typed-in parameters (validated by the core's `new`), in `unit`
    /// (default days).
    fn typed_in(params: retentionkit::Result<P>, unit: Option<&str>) -> JsResult<Self> {
        let params = params.or_throw()?;
        let unit = unit
            .map(str::parse::<TimeUnit>)
            .transpose()
            .or_throw()?
            .unwrap_or_default();
        Ok(Model {
            params,
            unit,
            fit: None,
            fitted: None,
        })
    }

    fn fit(summary: &Summary, options: Option<JsValue>) -> JsResult<Self> {
        let o = fit::options(options)?;
        let data = RepeatData::from_summary(&summary.inner().compress()).or_throw()?;
        let f = P::fit(&data, &o).or_throw()?;
        Ok(Model {
            params: f.params,
            unit: summary.inner().unit,
            fit: Some(FitInfo::of(&f)),
            fitted: Some(Fitted {
                fit: f.into_repeat(),
                data,
                options: o,
            }),
        })
    }

    pub(crate) fn params(&self) -> &P {
        &self.params
    }

    pub(crate) fn unit(&self) -> TimeUnit {
        self.unit
    }

    fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.log_likelihood)
    }

    fn iterations(&self) -> Option<usize> {
        self.fit.as_ref().map(|f| f.iterations)
    }

    pub(crate) fn criteria(&self) -> Option<InformationCriteria> {
        self.fit.as_ref().map(|f| f.criteria)
    }

    fn status(&self) -> Option<String> {
        self.fit.as_ref().map(|f| f.status.as_str().to_string())
    }

    fn warning(&self) -> Option<String> {
        self.fit
            .as_ref()
            .and_then(|f| f.status.warning())
            .map(str::to_string)
    }

    fn standard_errors(&self) -> JsResult<JsValue> {
        match self.fit.as_ref().and_then(|f| f.standard_errors) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::NULL),
        }
    }

    fn to_json(&self) -> JsResult<JsValue> {
        to_js(&self.params)
    }

    fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> JsResult<f64> {
        self.params
            .probability_alive(frequency, recency, age)
            .or_throw()
    }

    fn expected_purchases(
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

    fn expected_purchases_new(&self, horizon: f64) -> JsResult<f64> {
        self.params.expected_purchases_new(horizon).or_throw()
    }

    fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> JsResult<f64> {
        self.params
            .probability_of_purchases_new(horizon, n)
            .or_throw()
    }

    fn probability_of_purchases(
        &self,
        (frequency, recency, age): (u32, f64, f64),
        horizon: f64,
        n: u32,
    ) -> JsResult<f64> {
        self.params
            .probability_of_purchases(frequency, recency, age, horizon, n)
            .or_throw()
    }

    fn probability_alive_at(
        &self,
        (frequency, recency, age): (u32, f64, f64),
        horizon: f64,
    ) -> JsResult<f64> {
        self.params
            .probability_alive_at(frequency, recency, age, horizon)
            .or_throw()
    }

    fn dert(&self, (frequency, recency, age): (u32, f64, f64), rate: f64) -> JsResult<f64> {
        self.params.dert(frequency, recency, age, rate).or_throw()
    }

    fn purchase_distribution(
        &self,
        summary: &Summary,
        horizon: f64,
        max_n: u32,
    ) -> JsResult<JsValue> {
        same_unit(self.unit, summary.inner().unit)?;
        let s = summary.inner();
        let d = self
            .params
            .purchase_distribution(&s.frequency, &s.recency(), &s.age(), horizon, max_n)
            .or_throw()?;
        Ok(Obj::new()
            .set("maxN", JsValue::from(d.max_n))
            .set(
                "probabilities",
                js_sys::Float64Array::from(d.probabilities.as_slice()),
            )
            .build())
    }

    fn predict(&self, summary: &Summary, horizon: f64) -> JsResult<JsValue> {
        same_unit(self.unit, summary.inner().unit)?;
        let p = RepeatModel::predict(&self.params, summary.inner(), horizon).or_throw()?;
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

    fn at_risk(&self, summary: &Summary, options: Option<JsValue>) -> JsResult<JsValue> {
        same_unit(self.unit, summary.inner().unit)?;
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["horizon", "threshold", "lostBelow", "limit"],
        )
        .or_throw()?;
        let d = AtRiskOptions::for_unit(self.unit);
        let limit = opts.whole("limit", crate::columns::MAX_SAFE).or_throw()?;
        let o = AtRiskOptions::default()
            .with_horizon(opts.number("horizon").or_throw()?.unwrap_or(d.horizon))
            .with_threshold(opts.number("threshold").or_throw()?.unwrap_or(d.threshold))
            .with_lost_below(opts.number("lostBelow").or_throw()?.unwrap_or(d.lost_below))
            .with_limit(limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX)));
        let list = at_risk(&self.params, summary.inner(), &o)
            .map_err(crate::error::js_names)
            .or_throw()?;
        let out: Vec<AtRiskOut> = list
            .iter()
            .map(|c| AtRiskOut {
                customer_id: id(summary.names(), c.customer_id),
                frequency: c.frequency,
                last_date: retentionkit::period::format_day(c.last_day),
                probability_alive: c.probability_alive,
                expected_purchases: c.expected_purchases,
                overdue: c.overdue,
                value_at_stake: c.value_at_stake,
            })
            .collect();
        to_js(&out)
    }

    fn intervals(&self, options: Option<JsValue>) -> JsResult<JsValue> {
        const FOR: &str = "intervals on predictions";
        let Some(fitted) = self.fitted.as_ref() else {
            return Err(Error::InvalidArgument {
                name: "model",
                reason: "intervals need the data of a fit: this model's parameters were typed in"
                    .into(),
            })
            .or_throw();
        };
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &[
                "quantity",
                "horizon",
                "level",
                "method",
                "replicates",
                "seed",
                "customers",
                "spend",
                "clv",
                "prediction",
                "draws",
            ],
        )
        .or_throw()?;
        let target = opts
            .named::<Target>("quantity")
            .or_throw()?
            .unwrap_or_default();
        let method = opts
            .named::<Method>("method")
            .or_throw()?
            .unwrap_or_default();
        let prediction = flag(&opts, "prediction")?;
        let d = BootstrapOptions::default();
        let b = BootstrapOptions::default()
            .with_replicates(
                opts.whole("replicates", 1e6)
                    .or_throw()?
                    .map_or(d.replicates, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            )
            .with_seed(
                opts.whole("seed", crate::columns::MAX_SAFE)
                    .or_throw()?
                    .unwrap_or(d.seed),
            )
            .with_fit(fitted.options);
        let is_clv = matches!(target, Target::Clv | Target::TotalClv);
        let customers = match opts.get("customers") {
            None => None,
            Some(v) => {
                let o = Options::columns(
                    &v,
                    "customers",
                    &["frequency", "recency", "age", "monetaryValue", "unit"],
                )
                .or_throw()?;
                if let Some(u) = o.named::<TimeUnit>("unit").or_throw()? {
                    same_unit(self.unit, u)?;
                }
                let get = |name: &'static str| {
                    o.get(name).ok_or(Error::MissingColumn {
                        column: name,
                        needed_for: FOR,
                    })
                };
                let x = crate::columns::counts(&get("frequency").or_throw()?, "frequency")
                    .or_throw()?;
                let tx =
                    crate::columns::numbers(&get("recency").or_throw()?, "recency").or_throw()?;
                let t = crate::columns::numbers(&get("age").or_throw()?, "age").or_throw()?;
                let m = if is_clv {
                    let m = o.get("monetaryValue").ok_or(Error::MissingColumn {
                        column: "monetaryValue",
                        needed_for: "CLV intervals",
                    });
                    Some(crate::columns::numbers(&m.or_throw()?, "monetaryValue").or_throw()?)
                } else {
                    None
                };
                Some((x, tx, t, m))
            }
        };
        let clv = if is_clv {
            let (spend, o) = clv_settings(&opts, self.unit, target)?;
            let Some((_, _, _, Some(m))) = customers.as_ref() else {
                return Err(Error::MissingColumn {
                    column: "customers",
                    needed_for: "CLV intervals (with their monetaryValue)",
                })
                .or_throw();
            };
            Some(ClvInputs::new(spend, m.as_slice(), o))
        } else {
            None
        };
        let request = IntervalRequest::default()
            .with_horizon(opts.number("horizon").or_throw()?.unwrap_or(0.0))
            .with_customers(
                customers
                    .as_ref()
                    .map(|(x, tx, t, _)| (x.as_slice(), tx.as_slice(), t.as_slice())),
            )
            .with_level(opts.number("level").or_throw()?.unwrap_or(DEFAULT_LEVEL))
            .with_method(method)
            .with_bootstrap(b)
            .with_clv(clv);
        if prediction {
            return prediction_interval(fitted, &request, &opts, target, method);
        }
        let out = fit_intervals(&fitted.fit, &fitted.data, &[target], &request)
            .and_then(|mut v| v.pop().ok_or(Error::Empty { what: "intervals" }))
            .map_err(crate::error::js_names)
            .or_throw()?;
        let names = match target {
            Target::Parameters => to_js(&fitted.fit.params.kind().parameter_names())?,
            Target::TotalPurchases | Target::TotalClv => to_js(&["total"])?,
            _ => JsValue::NULL,
        };
        let iv = &out.intervals;
        #[allow(clippy::cast_precision_loss)] // counts of replicates, far below 2^53
        let (replicates, failed) = (out.replicates as f64, out.failed as f64);
        Ok(Obj::new()
            .set("quantity", target.as_str())
            .set("method", method.as_str())
            .set("level", iv.level)
            .set("names", names)
            .set(
                "estimate",
                js_sys::Float64Array::from(iv.estimate.as_slice()),
            )
            .set(
                "standardError",
                js_sys::Float64Array::from(iv.standard_error.as_slice()),
            )
            .set("lower", js_sys::Float64Array::from(iv.lower.as_slice()))
            .set("upper", js_sys::Float64Array::from(iv.upper.as_slice()))
            .set("replicates", replicates)
            .set("failed", failed)
            .build())
    }

    fn tracking(&self, log: &TransactionLog, options: Option<JsValue>) -> JsResult<JsValue> {
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["everyDays", "unit"],
        )
        .or_throw()?;
        if let Some(u) = opts.named::<TimeUnit>("unit").or_throw()? {
            if u != self.unit {
                return Err(Error::InvalidArgument {
                    name: "unit",
                    reason: format!("the model is in {}", self.unit),
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
        let core = log.core();
        let (first, end) = (core.first_day(), core.last_day().saturating_add(1));
        let mut at = Vec::new();
        let mut t = first.saturating_add(every);
        while t < end {
            at.push(t);
            t = t.saturating_add(every);
        }
        at.push(end);
        let tr = tracking(&self.params, core, self.unit, &at).or_throw()?;
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

/// The JS API every repeat-purchase model class shares, over its `Model`
/// field `m`: `repeat_model!(Class, CoreParams, "TsParams", "TsParams | null",
/// [documented parameter names in constructor order])`. The TS type names
/// come as two literals because `unchecked_return_type` takes one string
/// literal (no `concat!`); the parameters' docs are `#[doc = "…"]` because
/// a `///` passed into a macro arrives as a raw string, which wasm-bindgen
/// copies into the `.d.ts` with its `r"` prefix.
macro_rules! repeat_model {
    ($class:ident, $params:ty, $ts:tt, $ts_or_null:tt, [$($(#[doc = $doc:tt])* $p:ident),+ $(,)?]) => {
        #[wasm_bindgen]
        impl $class {
            /// Typed-in parameters (for example published estimates), in
            /// `unit` (default `"days"`). All must be finite and positive.
            #[wasm_bindgen(constructor)]
            #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands JS strings over owned
            pub fn new(
                $($p: f64,)+
                #[wasm_bindgen(unchecked_optional_param_type = "TimeUnit")] unit: Option<String>,
            ) -> JsResult<$class> {
                Ok($class {
                    m: Model::typed_in(<$params>::new($($p),+), unit.as_deref())?,
                })
            }

            /// Maximum-likelihood fit on a summary (see `FitOptions`), in the
            /// summary's unit. A fit that stops early is not an error: read
            /// `status`.
            pub fn fit(
                summary: &Summary,
                #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
            ) -> JsResult<$class> {
                Ok($class {
                    m: Model::fit(summary, options)?,
                })
            }

            $(
                $(#[doc = $doc])*
                #[wasm_bindgen(getter)]
                pub fn $p(&self) -> f64 {
                    self.m.params().$p
                }
            )+

            /// Time unit of the parameters and predictions.
            #[wasm_bindgen(getter, unchecked_return_type = "TimeUnit")]
            pub fn unit(&self) -> String {
                self.m.unit().as_str().into()
            }

            /// Log-likelihood at the fitted parameters (`undefined` when typed in).
            #[wasm_bindgen(getter, js_name = logLikelihood)]
            pub fn log_likelihood(&self) -> Option<f64> {
                self.m.log_likelihood()
            }

            /// Iterations of the fit (`undefined` when typed in).
            #[wasm_bindgen(getter)]
            pub fn iterations(&self) -> Option<usize> {
                self.m.iterations()
            }

            /// Akaike's information criterion 2k − 2 LL of the fit (the
            /// core's; `undefined` when typed in).
            #[wasm_bindgen(getter)]
            pub fn aic(&self) -> Option<f64> {
                self.m.criteria().map(|c| c.aic)
            }

            /// Schwarz's Bayesian information criterion k ln n − 2 LL of the
            /// fit (`undefined` when typed in).
            #[wasm_bindgen(getter)]
            pub fn bic(&self) -> Option<f64> {
                self.m.criteria().map(|c| c.bic)
            }

            /// Free parameters k of the fit (`undefined` when typed in).
            #[wasm_bindgen(getter, js_name = nParameters)]
            pub fn n_parameters(&self) -> Option<usize> {
                self.m.criteria().map(|c| c.parameters)
            }

            /// Customers n the fit saw, weights counted (`undefined` when typed in).
            #[wasm_bindgen(getter, js_name = nObservations)]
            pub fn n_observations(&self) -> Option<f64> {
                self.m.criteria().map(|c| c.observations)
            }

            /// How the fit ended (`undefined` when typed in).
            #[wasm_bindgen(getter, unchecked_return_type = "FitStatus | undefined")]
            pub fn status(&self) -> Option<String> {
                self.m.status()
            }

            /// The core's warning for the fit's status (`FitStatus::warning`:
            /// set for `"at_boundary"`), else `undefined`.
            #[wasm_bindgen(getter)]
            pub fn warning(&self) -> Option<String> {
                self.m.warning()
            }

            /// Standard errors from the observed information, `null` when that is
            /// not positive definite or the parameters were typed in.
            #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = $ts_or_null)]
            pub fn standard_errors(&self) -> JsResult<JsValue> {
                self.m.standard_errors()
            }

            /// The parameters as a plain object (`JSON.stringify` uses this).
            #[wasm_bindgen(js_name = toJSON, unchecked_return_type = $ts)]
            pub fn to_json(&self) -> JsResult<JsValue> {
                self.m.to_json()
            }

            /// Probability that a customer with `frequency` repeat purchases,
            /// `recency` and `age` (in `unit`) is still alive.
            #[wasm_bindgen(js_name = probabilityAlive)]
            pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> JsResult<f64> {
                self.m.probability_alive(frequency, recency, age)
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
                self.m.expected_purchases(frequency, recency, age, horizon)
            }

            /// Expected repeat purchases of a new customer in its first `horizon`.
            #[wasm_bindgen(js_name = expectedPurchasesNew)]
            pub fn expected_purchases_new(&self, horizon: f64) -> JsResult<f64> {
                self.m.expected_purchases_new(horizon)
            }

            /// Probability that a new customer makes exactly `n` repeat
            /// purchases in its first `horizon` (in `unit`).
            #[wasm_bindgen(js_name = probabilityOfPurchasesNew)]
            pub fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> JsResult<f64> {
                self.m.probability_of_purchases_new(horizon, n)
            }

            /// Probability that a customer with `frequency` repeat purchases,
            /// `recency` and `age` makes exactly `n` purchases in the next
            /// `horizon` (n = 0: no purchase at all).
            #[wasm_bindgen(js_name = probabilityOfPurchases)]
            pub fn probability_of_purchases(
                &self,
                frequency: u32,
                recency: f64,
                age: f64,
                horizon: f64,
                n: u32,
            ) -> JsResult<f64> {
                self.m.probability_of_purchases((frequency, recency, age), horizon, n)
            }

            /// Probability that the customer is still alive `horizon` after
            /// `age` (at `age` itself for 0).
            #[wasm_bindgen(js_name = probabilityAliveAt)]
            pub fn probability_alive_at(
                &self,
                frequency: u32,
                recency: f64,
                age: f64,
                horizon: f64,
            ) -> JsResult<f64> {
                self.m.probability_alive_at((frequency, recency, age), horizon)
            }

            /// DERT, the customer's discounted expected residual
            /// transactions at the continuous discount rate `discountRate`
            /// per `unit` (for an annual rate d in weeks, `Math.log1p(d) / 52`).
            pub fn dert(
                &self,
                frequency: u32,
                recency: f64,
                age: f64,
                #[wasm_bindgen(js_name = discountRate)] discount_rate: f64,
            ) -> JsResult<f64> {
                self.m.dert((frequency, recency, age), discount_rate)
            }

            /// P(exactly n purchases in `horizon`) for n = 0..=`maxN` of every
            /// customer of the summary, row by row in summary order: customer
            /// i's P(n) at `probabilities[i * (maxN + 1) + n]`.
            #[wasm_bindgen(js_name = purchaseDistribution, unchecked_return_type = "PurchaseDistribution")]
            pub fn purchase_distribution(
                &self,
                summary: &Summary,
                horizon: f64,
                #[wasm_bindgen(js_name = maxN)] max_n: u32,
            ) -> JsResult<JsValue> {
                self.m.purchase_distribution(summary, horizon, max_n)
            }

            /// Probability alive and expected purchases in `horizon` for every
            /// customer of the summary, in summary order.
            #[wasm_bindgen(unchecked_return_type = "Predictions")]
            pub fn predict(&self, summary: &Summary, horizon: f64) -> JsResult<JsValue> {
                self.m.predict(summary, horizon)
            }

            /// The customers worth saving: repeat customers with a probability
            /// alive below `threshold` (default 0.5) but not below `lostBelow`
            /// (default 0.01), the largest value at stake in `horizon`
            /// (default a year) first: the core's one at-risk list, as in the
            /// CLI report and Python (see `AtRiskOptions`).
            #[wasm_bindgen(js_name = atRisk, unchecked_return_type = "AtRiskCustomer[]")]
            pub fn at_risk(
                &self,
                summary: &Summary,
                #[wasm_bindgen(unchecked_optional_param_type = "AtRiskOptions")] options: Option<JsValue>,
            ) -> JsResult<JsValue> {
                self.m.at_risk(summary, options)
            }

            /// Intervals on the parameters or on predictions, from the data
            /// this model was fitted on (see `IntervalOptions`): the delta
            /// method on the parameter covariance, or a seeded customer
            /// bootstrap. A model with typed-in parameters has no data and
            /// throws.
            #[wasm_bindgen(unchecked_return_type = "Intervals")]
            pub fn intervals(
                &self,
                #[wasm_bindgen(unchecked_optional_param_type = "IntervalOptions")] options: Option<JsValue>,
            ) -> JsResult<JsValue> {
                self.m.intervals(options)
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
                self.m.tracking(log, options)
            }

            /// Discounted customer lifetime value of every customer of
            /// `customers` (a `Summary` or `CustomerColumns`, in this model's
            /// unit), in their order, with `spend` the Gamma-Gamma spend
            /// model: the formula of `GammaGamma.clv` with this model's
            /// expected purchases (see `ClvOptions`).
            pub fn clv(
                &self,
                spend: &GammaGamma,
                #[wasm_bindgen(unchecked_param_type = "Summary | CustomerColumns")] customers: &JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "ClvOptions")] options: Option<JsValue>,
            ) -> JsResult<js_sys::Float64Array> {
                spend.clv_of(&self.m, customers, options)
            }
        }
    };
}

/// The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005), in the
/// time unit of the summary it was fitted on.
#[wasm_bindgen]
pub struct BgNbd {
    m: Model<BgNbdParams>,
}

impl BgNbd {
    pub(crate) fn model(&self) -> &Model<BgNbdParams> {
        &self.m
    }
}

repeat_model!(
    BgNbd,
    BgNbdParams,
    "BgNbdParams",
    "BgNbdParams | null",
    [
        #[doc = " Shape of the gamma distribution of purchase rates."]
        r,
        #[doc = " Scale of the gamma distribution of purchase rates (in `unit`)."]
        alpha,
        #[doc = " First shape of the beta distribution of drop-out probabilities."]
        a,
        #[doc = " Second shape of the beta distribution of drop-out probabilities."]
        b,
    ]
);

/// The MBG/NBD model of repeat buying (Batislam, Denizel & Filiztekin
/// 2007): BG/NBD with a chance to drop out at the first purchase too, so a
/// customer without repeat purchases is not certainly alive. In the time
/// unit of the summary it was fitted on.
#[wasm_bindgen]
pub struct MbgNbd {
    m: Model<MbgNbdParams>,
}

repeat_model!(
    MbgNbd,
    MbgNbdParams,
    "MbgNbdParams",
    "MbgNbdParams | null",
    [
        #[doc = " Shape of the gamma distribution of purchase rates."]
        r,
        #[doc = " Scale of the gamma distribution of purchase rates (in `unit`)."]
        alpha,
        #[doc = " First shape of the beta distribution of drop-out probabilities."]
        a,
        #[doc = " Second shape of the beta distribution of drop-out probabilities."]
        b,
    ]
);

/// The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo
/// 1987): purchases at a gamma-distributed rate while alive, lifetimes
/// exponential with a gamma-distributed drop-out rate. In the time unit of
/// the summary it was fitted on.
#[wasm_bindgen]
pub struct ParetoNbd {
    m: Model<ParetoNbdParams>,
}

repeat_model!(
    ParetoNbd,
    ParetoNbdParams,
    "ParetoNbdParams",
    "ParetoNbdParams | null",
    [
        #[doc = " Shape of the gamma distribution of purchase rates."]
        r,
        #[doc = " Scale of the gamma distribution of purchase rates (in `unit`)."]
        alpha,
        #[doc = " Shape of the gamma distribution of drop-out rates."]
        s,
        #[doc = " Scale of the gamma distribution of drop-out rates (in `unit`)."]
        beta,
    ]
);

/// The Gamma-Gamma model (`spend`: a `GammaGamma` or `{ p, q, gamma }`)
/// and the CLV options (`clv`, defaults a month in `unit`, 12 of them at
/// 1 % a month) of the CLV intervals' options.
fn clv_settings(
    opts: &Options,
    unit: TimeUnit,
    target: Target,
) -> JsResult<(GammaGammaParams, ClvOptions)> {
    let spend = opts
        .get("spend")
        .ok_or(Error::InvalidArgument {
            name: "spend",
            reason: format!(
                "the quantity {target} needs a Gamma-Gamma model (a GammaGamma or {{ p, q, gamma }})"
            ),
        })
        .or_throw()?;
    let s = Options::columns(&spend, "spend", &["p", "q", "gamma"]).or_throw()?;
    let param = |name: &'static str| -> JsResult<f64> {
        s.number(name)
            .and_then(|v| {
                v.ok_or(Error::InvalidArgument {
                    name: "spend",
                    reason: format!("missing the parameter {name}"),
                })
            })
            .or_throw()
    };
    let spend = GammaGammaParams::new(param("p")?, param("q")?, param("gamma")?).or_throw()?;
    let c = Options::new(
        &opts.get("clv").unwrap_or(JsValue::UNDEFINED),
        &["periods", "periodLength", "discount"],
    )
    .or_throw()?;
    let dc = ClvOptions::monthly(unit);
    let periods = c.whole("periods", crate::spend::MAX_PERIODS).or_throw()?;
    let o = ClvOptions::default()
        .with_periods(periods.map_or(dc.periods, |p| u32::try_from(p).unwrap_or(u32::MAX)))
        .with_period_length(
            c.number("periodLength")
                .or_throw()?
                .unwrap_or(dc.period_length),
        )
        .with_discount(c.number("discount").or_throw()?.unwrap_or(dc.discount));
    Ok((spend, o))
}

/// The `prediction: true` answer of `intervals`: the core's prediction
/// interval of the total purchases, in the shape of `Intervals` with the
/// simulated totals in `draws`.
fn prediction_interval(
    fitted: &Fitted,
    request: &IntervalRequest<'_>,
    opts: &Options,
    target: Target,
    method: Method,
) -> JsResult<JsValue> {
    if target != Target::TotalPurchases {
        return Err(Error::InvalidArgument {
            name: "prediction",
            reason: "the prediction interval is for the quantity total_purchases".into(),
        })
        .or_throw();
    }
    let draws = opts.whole("draws", 1e7).or_throw()?.unwrap_or(1_000);
    let draws = usize::try_from(draws).unwrap_or(usize::MAX);
    let out = fit_prediction_interval(&fitted.fit, &fitted.data, request, draws)
        .map_err(crate::error::js_names)
        .or_throw()?;
    let p = &out.prediction;
    #[allow(clippy::cast_precision_loss)] // counts of replicates, far below 2^53
    let (replicates, failed) = (out.replicates as f64, out.failed as f64);
    Ok(Obj::new()
        .set("quantity", target.as_str())
        .set("method", method.as_str())
        .set("level", p.level)
        .set("names", to_js(&["total"])?)
        .set("estimate", js_sys::Float64Array::from(&[p.expected][..]))
        .set(
            "standardError",
            js_sys::Float64Array::from(&[p.standard_deviation()][..]),
        )
        .set("lower", js_sys::Float64Array::from(&[p.lower][..]))
        .set("upper", js_sys::Float64Array::from(&[p.upper][..]))
        .set("replicates", replicates)
        .set("failed", failed)
        .set("draws", js_sys::Float64Array::from(p.draws.as_slice()))
        .build())
}

/// A true/false option, false when missing.
fn flag(opts: &Options, key: &'static str) -> JsResult<bool> {
    match opts.get(key) {
        None => Ok(false),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| Error::InvalidArgument {
                name: key,
                reason: format!(
                    "must be true or false, got {}",
                    crate::columns::describe(&v)
                ),
            })
            .or_throw(),
    }
}
