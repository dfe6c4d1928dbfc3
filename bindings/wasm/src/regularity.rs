//! The regularity models `BgCnbd` (BG/CNBD-k) and `MbgCnbd` (MBG/CNBD-k)
//! of the core's `models::cnbd`, fitted on a summary and each customer's
//! sum of log inter-purchase times (`logIntertransactionTimes`), and the
//! Wheat–Morrison regularity statistic of a log (`wheatMorrison`; the
//! core's `regularity`). Sources: Platzer & Reutterer (2016), Reutterer,
//! Platzer & Schröder (2021), Wheat & Morrison (1990); docs/metrics.md,
//! "Regularity".

use retentionkit::models::cnbd::{
    fit_cnbd, CnbdCandidate, CnbdKind, CnbdOptions, CnbdParams, RegularityData,
};
use retentionkit::regularity;
use retentionkit::summary::{SummaryOptions, TimeUnit};
use wasm_bindgen::prelude::*;

use crate::columns::{numbers, Options};
use crate::error::{JsResult, OrThrow};
use crate::fit::{self, FitInfo};
use crate::log::{Summary, TransactionLog};
use crate::models::same_unit;
use crate::out::{to_js, Obj};

/// A regularity model in the time unit of its data, with what its fit
/// reported (`None` when the parameters were typed in).
struct Cnbd {
    params: CnbdParams,
    unit: TimeUnit,
    fit: Option<FitInfo<CnbdParams>>,
    candidates: Vec<CnbdCandidate>,
}

impl Cnbd {
    fn typed_in(
        kind: CnbdKind,
        [k, r, alpha, a, b]: [f64; 5],
        unit: Option<&str>,
    ) -> JsResult<Self> {
        let k = whole_k(k)?;
        let params = CnbdParams::new(kind, k, r, alpha, a, b).or_throw()?;
        let unit = unit
            .map(str::parse::<TimeUnit>)
            .transpose()
            .or_throw()?
            .unwrap_or_default();
        Ok(Cnbd {
            params,
            unit,
            fit: None,
            candidates: Vec::new(),
        })
    }

    fn fit(
        kind: CnbdKind,
        summary: &Summary,
        litt: &JsValue,
        options: Option<JsValue>,
    ) -> JsResult<Self> {
        let mut keys = vec!["k", "maxK"];
        keys.extend(fit::KEYS);
        let opts = Options::new(&options.unwrap_or(JsValue::UNDEFINED), &keys).or_throw()?;
        let d = CnbdOptions::default();
        let k = opts
            .whole("k", f64::from(u32::MAX))
            .or_throw()?
            .map(|k| u32::try_from(k).unwrap_or(u32::MAX));
        let max_k = opts
            .whole("maxK", f64::from(u32::MAX))
            .or_throw()?
            .map_or(d.max_k, |k| u32::try_from(k).unwrap_or(u32::MAX));
        let o = CnbdOptions::default()
            .with_k(k)
            .with_max_k(max_k)
            .with_fit(fit::from_options(&opts)?);
        let litt = numbers(litt, "litt").or_throw()?;
        let s = summary.inner();
        let data = RegularityData::from_summary(s, &litt).or_throw()?;
        let f = fit_cnbd(&data, kind, &o).or_throw()?;
        Ok(Cnbd {
            params: f.fit.params,
            unit: s.unit,
            fit: Some(FitInfo::of(&f.fit)),
            candidates: f.candidates,
        })
    }

    fn standard_errors(&self) -> JsValue {
        match self.fit.as_ref().and_then(|f| f.standard_errors) {
            Some(p) => Obj::new()
                .set("r", p.r)
                .set("alpha", p.alpha)
                .set("a", p.a)
                .set("b", p.b)
                .build(),
            None => JsValue::NULL,
        }
    }

    fn candidates(&self) -> JsValue {
        let rows: Vec<Obj> = self
            .candidates
            .iter()
            .map(|c| {
                Obj::new()
                    .set("k", c.k)
                    .set("logLikelihood", c.log_likelihood)
                    .set("status", c.status.as_str())
            })
            .collect();
        let out = js_sys::Array::new();
        for r in rows {
            out.push(&r.build());
        }
        out.into()
    }

    fn to_json(&self) -> JsValue {
        let p = &self.params;
        Obj::new()
            .set("k", p.k)
            .set("r", p.r)
            .set("alpha", p.alpha)
            .set("a", p.a)
            .set("b", p.b)
            .build()
    }

    fn predict(&self, summary: &Summary, horizon: f64) -> JsResult<JsValue> {
        same_unit(self.unit, summary.inner().unit)?;
        let s = summary.inner();
        let p = self
            .params
            .predict(&s.frequency, &s.recency(), &s.age(), horizon)
            .or_throw()?;
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
}

/// k as a whole number >= 1 (the core checks its upper bound).
fn whole_k(k: f64) -> JsResult<u32> {
    if k.is_finite() && k >= 1.0 && k.fract() == 0.0 && k <= f64::from(u32::MAX) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        // ok: whole, >= 1 and at most u32::MAX, checked above
        Ok(k as u32)
    } else {
        Err(retentionkit::Error::InvalidArgument {
            name: "k",
            reason: format!("{k} must be a whole number >= 1"),
        })
        .or_throw()
    }
}

/// The JS API of both regularity classes over their `Cnbd` field `m`.
macro_rules! cnbd_model {
    ($class:ident, $kind:expr) => {
        #[wasm_bindgen]
        impl $class {
            /// Typed-in parameters: the Erlang shape `k` (a whole number >= 1;
            /// 1 is Poisson timing) and r, alpha, a, b as in the BG/NBD, in
            /// `unit` (default `"days"`).
            #[wasm_bindgen(constructor)]
            #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands JS strings over owned
            pub fn new(
                k: f64,
                r: f64,
                alpha: f64,
                a: f64,
                b: f64,
                #[wasm_bindgen(unchecked_optional_param_type = "TimeUnit")] unit: Option<String>,
            ) -> JsResult<$class> {
                Ok($class {
                    m: Cnbd::typed_in($kind, [k, r, alpha, a, b], unit.as_deref())?,
                })
            }

            /// Maximum-likelihood fit on a summary and each of its customers'
            /// sum of log inter-purchase times `litt` (in summary order, in
            /// the summary's unit: `logIntertransactionTimes`), k chosen by
            /// likelihood over 1..=`maxK` (default 12) unless `k` is given
            /// (see `CnbdFitOptions`). A fit that stops early is not an
            /// error: read `status`.
            pub fn fit(
                summary: &Summary,
                #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] litt: &JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "CnbdFitOptions")] options: Option<
                    JsValue,
                >,
            ) -> JsResult<$class> {
                Ok($class {
                    m: Cnbd::fit($kind, summary, litt, options)?,
                })
            }

            /// The Erlang shape k of the inter-purchase times (chosen by the fit,
            /// or typed in).
            #[wasm_bindgen(getter)]
            pub fn k(&self) -> u32 {
                self.m.params.k
            }

            /// Shape of the gamma distribution of purchase rates.
            #[wasm_bindgen(getter)]
            pub fn r(&self) -> f64 {
                self.m.params.r
            }

            /// Scale of the gamma distribution of purchase rates (in `unit`).
            #[wasm_bindgen(getter)]
            pub fn alpha(&self) -> f64 {
                self.m.params.alpha
            }

            /// First shape of the beta distribution of drop-out probabilities.
            #[wasm_bindgen(getter)]
            pub fn a(&self) -> f64 {
                self.m.params.a
            }

            /// Second shape of the beta distribution of drop-out probabilities.
            #[wasm_bindgen(getter)]
            pub fn b(&self) -> f64 {
                self.m.params.b
            }

            /// Time unit of the parameters and predictions.
            #[wasm_bindgen(getter, unchecked_return_type = "TimeUnit")]
            pub fn unit(&self) -> String {
                self.m.unit.as_str().into()
            }

            /// Log-likelihood at the fitted parameters, litt term included
            /// (`undefined` when typed in).
            #[wasm_bindgen(getter, js_name = logLikelihood)]
            pub fn log_likelihood(&self) -> Option<f64> {
                self.m.fit.as_ref().map(|f| f.log_likelihood)
            }

            /// Iterations of the fit at the chosen k (`undefined` when typed in).
            #[wasm_bindgen(getter)]
            pub fn iterations(&self) -> Option<usize> {
                self.m.fit.as_ref().map(|f| f.iterations)
            }

            /// Akaike's information criterion 2k − 2 LL (`undefined` when typed in).
            #[wasm_bindgen(getter)]
            pub fn aic(&self) -> Option<f64> {
                self.m.fit.as_ref().map(|f| f.criteria.aic)
            }

            /// Schwarz's Bayesian information criterion k ln n − 2 LL
            /// (`undefined` when typed in).
            #[wasm_bindgen(getter)]
            pub fn bic(&self) -> Option<f64> {
                self.m.fit.as_ref().map(|f| f.criteria.bic)
            }

            /// Free parameters of the fit: 5 when k was chosen, 4 when given
            /// (`undefined` when typed in).
            #[wasm_bindgen(getter, js_name = nParameters)]
            pub fn n_parameters(&self) -> Option<usize> {
                self.m.fit.as_ref().map(|f| f.criteria.parameters)
            }

            /// How the fit at the chosen k ended (`undefined` when typed in).
            #[wasm_bindgen(getter, unchecked_return_type = "FitStatus | undefined")]
            pub fn status(&self) -> Option<String> {
                self.m.fit.as_ref().map(|f| f.status.as_str().to_string())
            }

            /// The core's warning for the fit's status, else `undefined`.
            #[wasm_bindgen(getter)]
            pub fn warning(&self) -> Option<String> {
                self.m
                    .fit
                    .as_ref()
                    .and_then(|f| f.status.warning())
                    .map(str::to_string)
            }

            /// Standard errors of r, alpha, a, b given k (k itself is chosen on
            /// a grid and has none); `null` when the observed information is
            /// not positive definite or the parameters were typed in.
            #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "CnbdStandardErrors | null")]
            pub fn standard_errors(&self) -> JsValue {
                self.m.standard_errors()
            }

            /// The maximised log-likelihood and status at every k tried, in
            /// increasing k (empty when typed in).
            #[wasm_bindgen(getter, unchecked_return_type = "CnbdCandidate[]")]
            pub fn candidates(&self) -> JsValue {
                self.m.candidates()
            }

            /// The parameters as a plain object (`JSON.stringify` uses this).
            #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "CnbdParams")]
            pub fn to_json(&self) -> JsValue {
                self.m.to_json()
            }

            /// Probability that a customer with `frequency` repeat purchases,
            /// `recency` and `age` (in `unit`) is still alive.
            #[wasm_bindgen(js_name = probabilityAlive)]
            pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> JsResult<f64> {
                self.m
                    .params
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
                self.m
                    .params
                    .expected_purchases(frequency, recency, age, horizon)
                    .or_throw()
            }

            /// Expected repeat purchases of a new customer in its first `horizon`.
            #[wasm_bindgen(js_name = expectedPurchasesNew)]
            pub fn expected_purchases_new(&self, horizon: f64) -> JsResult<f64> {
                self.m.params.expected_purchases_new(horizon).or_throw()
            }

            /// Probability alive and expected purchases in `horizon` for every
            /// customer of the summary, in summary order.
            #[wasm_bindgen(unchecked_return_type = "Predictions")]
            pub fn predict(&self, summary: &Summary, horizon: f64) -> JsResult<JsValue> {
                self.m.predict(summary, horizon)
            }
        }
    };
}

/// BG/CNBD-k (Platzer & Reutterer 2016): the BG/NBD with Erlang-k
/// inter-purchase times, k = 1 being the BG/NBD itself. In the time unit of
/// the summary it was fitted on.
#[wasm_bindgen]
pub struct BgCnbd {
    m: Cnbd,
}

cnbd_model!(BgCnbd, CnbdKind::BgCnbd);

/// MBG/CNBD-k (Reutterer, Platzer & Schröder 2021): the MBG/NBD with
/// Erlang-k inter-purchase times, k = 1 being the MBG/NBD itself. In the
/// time unit of the summary it was fitted on.
#[wasm_bindgen]
pub struct MbgCnbd {
    m: Cnbd,
}

cnbd_model!(MbgCnbd, CnbdKind::MbgCnbd);

/// Each customer's sum of log inter-purchase times (BTYDplus's `litt`), in
/// the order of `log.summary(options)`, with the same `unit` and
/// `observationEnd` (see `SummaryOptions`): the column the regularity
/// models fit on; 0 for customers without repeat purchases. Same-day orders
/// are one purchase.
#[wasm_bindgen(js_name = logIntertransactionTimes)]
pub fn log_intertransaction_times(
    log: &TransactionLog,
    #[wasm_bindgen(unchecked_optional_param_type = "SummaryOptions")] options: Option<JsValue>,
) -> JsResult<js_sys::Float64Array> {
    let o = summary_options(options, &["unit", "observationEnd"])?;
    let litt = regularity::log_intertransaction_times(log.core(), &o).or_throw()?;
    Ok(js_sys::Float64Array::from(litt.as_slice()))
}

/// The Wheat–Morrison (1990) regularity estimate of a log (see
/// `WheatMorrison`): from each customer with three or more purchase days up
/// to `observationEnd` (default: the last order), M = t1 / (t1 + t2) of the
/// last two inter-purchase times; k = (1 − 4V) / (8V) with V the mean of
/// (M − 1/2)². k near 1 is Poisson timing, larger is more regular.
#[wasm_bindgen(js_name = wheatMorrison, unchecked_return_type = "WheatMorrison")]
pub fn wheat_morrison(
    log: &TransactionLog,
    #[wasm_bindgen(unchecked_optional_param_type = "WheatMorrisonOptions")] options: Option<
        JsValue,
    >,
) -> JsResult<JsValue> {
    let o = summary_options(options, &["observationEnd"])?;
    let w = regularity::wheat_morrison(log.core(), &o).or_throw()?;
    to_js(&w)
}

fn summary_options(options: Option<JsValue>, keys: &[&str]) -> JsResult<SummaryOptions> {
    let opts = Options::new(&options.unwrap_or(JsValue::UNDEFINED), keys).or_throw()?;
    Ok(SummaryOptions::default()
        .with_observation_end(opts.day("observationEnd").or_throw()?)
        .with_unit(
            opts.named::<TimeUnit>("unit")
                .or_throw()?
                .unwrap_or_default(),
        ))
}
