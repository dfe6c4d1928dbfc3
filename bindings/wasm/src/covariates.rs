//! BG/NBD and Pareto/NBD with time-invariant covariates: the core's
//! `models::covariates`, fitted on a `Summary` with one covariate row per
//! customer, kept whole in a `CovariateFit` whose methods predict per
//! customer.

use js_sys::{Array, Float64Array};
use retentionkit::error::Error;
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::covariates::{
    fit_bg_nbd, fit_pareto_nbd, CovariateFit as CoreFit, CovariateModel, CovariateOptions,
    CovariateTable, Effect,
};
use retentionkit::models::pareto_nbd::ParetoNbdParams;
use retentionkit::models::RepeatData;
use retentionkit::summary::TimeUnit;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::columns::{amounts, Options};
use crate::error::{JsResult, OrThrow};
use crate::fit;
use crate::log::Summary;
use crate::models::{same_unit, BgNbd, ParetoNbd};
use crate::out::to_js;

enum Inner {
    Pareto(CoreFit<ParetoNbdParams>),
    BgNbd(CoreFit<BgNbdParams>),
}

/// A BG/NBD or Pareto/NBD fit with covariates (`BgNbd.fitWithCovariates`,
/// `ParetoNbd.fitWithCovariates`), in the unit of its summary.
#[wasm_bindgen]
pub struct CovariateFit {
    inner: Inner,
    unit: TimeUnit,
}

fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// An array of strings (the argument `name`); `None` when not given.
fn names(v: Option<JsValue>, name: &'static str) -> Result<Option<Vec<String>>, Error> {
    let Some(v) = v else {
        return Ok(None);
    };
    if !Array::is_array(&v) {
        return Err(invalid(name, "must be an array of covariate names"));
    }
    Array::from(&v)
        .iter()
        .map(|s| {
            s.as_string()
                .ok_or_else(|| invalid(name, "must be an array of covariate names"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The covariate table of `rows` customers from an object of columns:
/// numbers (arrays or typed arrays) are numeric covariates, arrays of
/// strings categorical ones, one-hot encoded by the core with the
/// reference level `reference[name]` (default: the first level in sorted
/// order). Returns the table and the covariates' names in key order.
fn table(
    v: &JsValue,
    rows: usize,
    reference: Option<&JsValue>,
) -> JsResult<(CovariateTable, Vec<String>)> {
    if !v.is_object() || Array::is_array(v) {
        return Err(crate::error::to_js(&invalid(
            "covariates",
            "must be an object of columns, one per covariate",
        )));
    }
    let mut t = CovariateTable::new(rows);
    let mut keys = Vec::new();
    for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let col = js_sys::Reflect::get(v, &key).unwrap_or(JsValue::UNDEFINED);
        let texts: Option<Vec<String>> = col
            .dyn_ref::<Array>()
            .filter(|a| a.length() > 0 && a.get(0).is_string())
            .map(|a| a.iter().map(|s| s.as_string()).collect::<Option<Vec<_>>>())
            .and_then(|x| x);
        t = if let Some(levels) = texts {
            let r = reference
                .map(|r| js_sys::Reflect::get(r, &key).unwrap_or(JsValue::UNDEFINED))
                .and_then(|r| r.as_string());
            t.with_categorical(&name, &levels, r.as_deref())
                .or_throw()?
        } else {
            let values = amounts(&col, "covariates")
                .and_then(|c| {
                    c.ok_or_else(|| invalid("covariates", format!("{name:?} is not a column")))
                })
                .map_err(|e| match e {
                    Error::InvalidValue { row, reason, .. } => Error::InvalidValue {
                        column: "covariates",
                        row,
                        reason: format!("covariate {name:?}: {reason}"),
                    },
                    other => other,
                })
                .or_throw()?;
            t.with_numeric(&name, &values).or_throw()?
        };
        keys.push(name);
    }
    Ok((t, keys))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EffectOut<'a> {
    name: &'a str,
    estimate: f64,
    standard_error: Option<f64>,
    z: Option<f64>,
    shared: bool,
}

fn effects(e: &[Effect]) -> Vec<EffectOut<'_>> {
    e.iter()
        .map(|e| EffectOut {
            name: &e.name,
            estimate: e.estimate,
            standard_error: e.standard_error,
            z: e.z(),
            shared: e.shared,
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FitOut<'a, P> {
    model: &'static str,
    unit: &'static str,
    params: &'a P,
    standard_errors: Option<&'a P>,
    purchase: Vec<EffectOut<'a>>,
    dropout: Vec<EffectOut<'a>>,
    log_likelihood: f64,
    n_parameters: usize,
    n_observations: f64,
    aic: f64,
    bic: f64,
    iterations: usize,
    status: &'static str,
    warning: Option<&'static str>,
}

fn fit_out<'a, P: Serialize>(
    model: &'static str,
    unit: TimeUnit,
    f: &'a CoreFit<P>,
) -> FitOut<'a, P> {
    let ic = f.criteria();
    FitOut {
        model,
        unit: unit.as_str(),
        params: &f.params,
        standard_errors: f.standard_errors.as_ref(),
        purchase: effects(&f.purchase),
        dropout: effects(&f.dropout),
        log_likelihood: f.log_likelihood,
        n_parameters: ic.parameters,
        n_observations: ic.observations,
        aic: ic.aic,
        bic: ic.bic,
        iterations: f.iterations,
        status: f.status.as_str(),
        warning: f.status.warning(),
    }
}

/// Fit with covariates: the summary's customers, one covariate row each.
fn fit_with(
    summary: &Summary,
    covariates: &JsValue,
    options: Option<JsValue>,
    pareto: bool,
) -> JsResult<CovariateFit> {
    let o = Options::new(
        &options.unwrap_or(JsValue::UNDEFINED),
        &[
            "purchase",
            "dropout",
            "equal",
            "l2Purchase",
            "l2Dropout",
            "reference",
            "fit",
        ],
    )
    .or_throw()?;
    let s = summary.inner();
    let (covs, keys) = table(covariates, s.len(), o.get("reference").as_ref())?;
    let purchase = names(o.get("purchase"), "purchase").or_throw()?;
    let dropout = names(o.get("dropout"), "dropout").or_throw()?;
    let opts = CovariateOptions::default()
        .with_purchase(purchase.unwrap_or_else(|| keys.clone()))
        .with_dropout(dropout.unwrap_or(keys))
        .with_equal(
            names(o.get("equal"), "equal")
                .or_throw()?
                .unwrap_or_default(),
        )
        .with_l2_purchase(o.number("l2Purchase").or_throw()?.unwrap_or(0.0))
        .with_l2_dropout(o.number("l2Dropout").or_throw()?.unwrap_or(0.0))
        .with_fit(fit::options(o.get("fit"))?);
    // One row per customer (not compressed): the covariates are per customer.
    let data = RepeatData::new(&s.frequency, &s.recency(), &s.age(), None).or_throw()?;
    let inner = if pareto {
        Inner::Pareto(fit_pareto_nbd(&data, &covs, &opts).or_throw()?)
    } else {
        Inner::BgNbd(fit_bg_nbd(&data, &covs, &opts).or_throw()?)
    };
    Ok(CovariateFit {
        inner,
        unit: s.unit,
    })
}

#[wasm_bindgen]
impl BgNbd {
    /// BG/NBD with time-invariant covariates (the core's
    /// `models::covariates::fit_bg_nbd`) on a summary, with one row of
    /// `covariates` per customer in the summary's order (see
    /// `CovariateFitOptions`).
    #[wasm_bindgen(js_name = fitWithCovariates)]
    pub fn fit_with_covariates(
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CovariateFitOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<CovariateFit> {
        fit_with(summary, covariates, options, false)
    }
}

#[wasm_bindgen]
impl ParetoNbd {
    /// Pareto/NBD with time-invariant covariates (the core's
    /// `models::covariates::fit_pareto_nbd`); as `BgNbd.fitWithCovariates`.
    #[wasm_bindgen(js_name = fitWithCovariates)]
    pub fn fit_with_covariates(
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CovariateFitOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<CovariateFit> {
        fit_with(summary, covariates, options, true)
    }
}

/// The length of the first column of an object of columns (0 without one).
fn rows_of(v: &JsValue) -> usize {
    if !v.is_object() {
        return 0;
    }
    js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>())
        .get(0)
        .as_string()
        .and_then(|k| js_sys::Reflect::get(v, &JsValue::from_str(&k)).ok())
        .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("length")).ok())
        .and_then(|n| n.as_f64())
        .map_or(0, |n| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            // ok: a JS array length, a whole number below 2^32
            let rows = n as usize;
            rows
        })
}

/// The summary's columns, with its unit checked against the fit's.
fn customers(fit: &CovariateFit, summary: &Summary) -> JsResult<(Vec<u32>, Vec<f64>, Vec<f64>)> {
    let s = summary.inner();
    same_unit(fit.unit, s.unit)?;
    Ok((s.frequency.clone(), s.recency(), s.age()))
}

fn per_customer<P: CovariateModel>(
    f: &CoreFit<P>,
    covs: &CovariateTable,
    (x, tx, t): &(Vec<u32>, Vec<f64>, Vec<f64>),
    horizon: Option<f64>,
) -> retentionkit::Result<Vec<f64>> {
    match horizon {
        None => f.probability_alive(covs, x, tx, t),
        Some(h) => f.expected_purchases(covs, x, tx, t, h),
    }
}

#[wasm_bindgen]
impl CovariateFit {
    /// `"bg_nbd"` or `"pareto_nbd"`.
    #[wasm_bindgen(getter)]
    pub fn model(&self) -> String {
        match self.inner {
            Inner::Pareto(_) => "pareto_nbd".into(),
            Inner::BgNbd(_) => "bg_nbd".into(),
        }
    }

    /// The unit of the summary it was fitted on.
    #[wasm_bindgen(getter, unchecked_return_type = "TimeUnit")]
    pub fn unit(&self) -> String {
        self.unit.as_str().into()
    }

    /// Log-likelihood at the estimates (without the penalties).
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> f64 {
        match &self.inner {
            Inner::Pareto(f) => f.log_likelihood,
            Inner::BgNbd(f) => f.log_likelihood,
        }
    }

    /// Free parameters k: 4 plus the distinct effects.
    #[wasm_bindgen(getter, js_name = nParameters)]
    pub fn n_parameters(&self) -> usize {
        match &self.inner {
            Inner::Pareto(f) => f.parameters,
            Inner::BgNbd(f) => f.parameters,
        }
    }

    /// Customers n (weights counted).
    #[wasm_bindgen(getter, js_name = nObservations)]
    pub fn n_observations(&self) -> f64 {
        match &self.inner {
            Inner::Pareto(f) => f.observations,
            Inner::BgNbd(f) => f.observations,
        }
    }

    /// Everything the fit reports: the population parameters (a customer
    /// whose covariates are 0 or at their reference levels) and their
    /// standard errors, the effects on the purchase and the dropout process,
    /// log-likelihood, k, n, AIC, BIC, iterations, status and warning.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "CovariateFitInfo")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        match &self.inner {
            Inner::Pareto(f) => to_js(&fit_out("pareto_nbd", self.unit, f)),
            Inner::BgNbd(f) => to_js(&fit_out("bg_nbd", self.unit, f)),
        }
    }

    /// P(alive) of each customer of `summary` (in the fit's unit) with its
    /// row of `covariates`.
    #[wasm_bindgen(js_name = probabilityAlive)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn probability_alive(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let c = customers(self, summary)?;
        let (covs, _) = table(covariates, c.0.len(), reference.as_ref())?;
        let out = match &self.inner {
            Inner::Pareto(f) => per_customer(f, &covs, &c, None),
            Inner::BgNbd(f) => per_customer(f, &covs, &c, None),
        }
        .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// Expected purchases in the next `horizon` (the fit's unit) of each
    /// customer of `summary` with its row of `covariates`.
    #[wasm_bindgen(js_name = expectedPurchases)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn expected_purchases(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        horizon: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let c = customers(self, summary)?;
        let (covs, _) = table(covariates, c.0.len(), reference.as_ref())?;
        let out = match &self.inner {
            Inner::Pareto(f) => per_customer(f, &covs, &c, Some(horizon)),
            Inner::BgNbd(f) => per_customer(f, &covs, &c, Some(horizon)),
        }
        .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// Expected purchases in `horizon` (the fit's unit) of a new customer
    /// with each row of `covariates`.
    #[wasm_bindgen(js_name = expectedPurchasesNew)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn expected_purchases_new(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        horizon: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        let out = match &self.inner {
            Inner::Pareto(f) => f.expected_purchases_new(&covs, horizon),
            Inner::BgNbd(f) => f.expected_purchases_new(&covs, horizon),
        }
        .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// Each customer's own parameters (plain objects with the model's
    /// parameter names) from its row of `covariates`.
    #[wasm_bindgen(js_name = customerParams)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn customer_params(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        match &self.inner {
            Inner::Pareto(f) => to_js(&f.customer_params(&covs).or_throw()?),
            Inner::BgNbd(f) => to_js(&f.customer_params(&covs).or_throw()?),
        }
    }

    /// How the search ended (the core's `FitStatus` name).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus")]
    pub fn status(&self) -> String {
        match &self.inner {
            Inner::Pareto(f) => f.status.as_str().into(),
            Inner::BgNbd(f) => f.status.as_str().into(),
        }
    }
}
