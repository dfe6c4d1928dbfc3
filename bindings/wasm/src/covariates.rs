//! BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma with time-invariant
//! covariates: the core's `models::covariates`, fitted on a `Summary` with
//! one covariate row per customer, kept whole in a `CovariateFit` (or
//! `SpendCovariateFit`) whose methods predict per customer; and the sBG
//! with covariates per cohort (`SbgCovariateFit`).

use js_sys::{Array, Float64Array};
use retentionkit::error::{check_length, Error};
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::check::ClvOptions;
use retentionkit::models::covariates::{
    fit_bg_nbd, fit_gamma_gamma, fit_mbg_nbd, fit_pareto_nbd, fit_sbg, CovariateFit as CoreFit,
    CovariateModel, CovariateOptions, CovariateTable, Effect, Spend,
};
use retentionkit::models::gamma_gamma::{GammaGammaParams, SpendData};
use retentionkit::models::interval::{Intervals, Quantity};
use retentionkit::models::mbg_nbd::MbgNbdParams;
use retentionkit::models::pareto_nbd::ParetoNbdParams;
use retentionkit::models::repeat::RepeatKind;
use retentionkit::models::sbg::{SbgCohorts, SbgParams};
use retentionkit::models::RepeatData;
use retentionkit::summary::TimeUnit;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::columns::{amounts, Options};
use crate::error::{JsResult, OrThrow};
use crate::fit;
use crate::log::Summary;
use crate::models::{same_unit, BgNbd, MbgNbd, ParetoNbd};
use crate::out::to_js;
use crate::spend::GammaGamma;

enum Inner {
    Pareto(CoreFit<ParetoNbdParams>),
    BgNbd(CoreFit<BgNbdParams>),
    Mbg(CoreFit<MbgNbdParams>),
}

/// `$body` with `$f` bound to the fit, whichever model it is.
macro_rules! on_fit {
    ($inner:expr, |$f:ident| $body:expr) => {
        match $inner {
            Inner::Pareto($f) => $body,
            Inner::BgNbd($f) => $body,
            Inner::Mbg($f) => $body,
        }
    };
}

/// A BG/NBD, MBG/NBD or Pareto/NBD fit with covariates
/// (`BgNbd.fitWithCovariates`, `MbgNbd.fitWithCovariates`,
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
    table_rows(v, rows, reference, None)
}

/// [`table`] of the rows `keep` of the columns (all of them without it),
/// which have `rows` rows.
fn table_rows(
    v: &JsValue,
    rows: usize,
    reference: Option<&JsValue>,
    keep: Option<&[usize]>,
) -> JsResult<(CovariateTable, Vec<String>)> {
    if !v.is_object() || Array::is_array(v) {
        return Err(crate::error::to_js(&invalid(
            "covariates",
            "must be an object of columns, one per covariate",
        )));
    }
    let mut t = CovariateTable::new(keep.map_or(rows, <[usize]>::len));
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
            check_length("covariates", rows, levels.len()).or_throw()?;
            let levels = pick(&levels, keep);
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
            check_length("covariates", rows, values.len()).or_throw()?;
            t.with_numeric(&name, &pick(&values, keep)).or_throw()?
        };
        keys.push(name);
    }
    Ok((t, keys))
}

/// The rows `keep` of `v` (all of them without it).
fn pick<T: Clone>(v: &[T], keep: Option<&[usize]>) -> Vec<T> {
    match keep {
        Some(k) => k.iter().map(|&i| v[i].clone()).collect(),
        None => v.to_vec(),
    }
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
    /// `None` for the spend model, which has no time unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
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
    unit: Option<TimeUnit>,
    f: &'a CoreFit<P>,
) -> FitOut<'a, P> {
    let ic = f.criteria();
    FitOut {
        model,
        unit: unit.map(TimeUnit::as_str),
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
    kind: RepeatKind,
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
    let inner = match kind {
        RepeatKind::ParetoNbd => Inner::Pareto(fit_pareto_nbd(&data, &covs, &opts).or_throw()?),
        RepeatKind::MbgNbd => Inner::Mbg(fit_mbg_nbd(&data, &covs, &opts).or_throw()?),
        _ => Inner::BgNbd(fit_bg_nbd(&data, &covs, &opts).or_throw()?),
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
        fit_with(summary, covariates, options, RepeatKind::BgNbd)
    }
}

#[wasm_bindgen]
impl MbgNbd {
    /// MBG/NBD with time-invariant covariates (the core's
    /// `models::covariates::fit_mbg_nbd`: the BG/NBD's parametrisation, our
    /// own extension); as `BgNbd.fitWithCovariates`.
    #[wasm_bindgen(js_name = fitWithCovariates)]
    pub fn fit_with_covariates(
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CovariateFitOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<CovariateFit> {
        fit_with(summary, covariates, options, RepeatKind::MbgNbd)
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
        fit_with(summary, covariates, options, RepeatKind::ParetoNbd)
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
            Inner::Mbg(_) => "mbg_nbd".into(),
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
        on_fit!(&self.inner, |f| f.log_likelihood)
    }

    /// Free parameters k: 4 plus the distinct effects.
    #[wasm_bindgen(getter, js_name = nParameters)]
    pub fn n_parameters(&self) -> usize {
        on_fit!(&self.inner, |f| f.parameters)
    }

    /// Customers n (weights counted).
    #[wasm_bindgen(getter, js_name = nObservations)]
    pub fn n_observations(&self) -> f64 {
        on_fit!(&self.inner, |f| f.observations)
    }

    /// Everything the fit reports: the population parameters (a customer
    /// whose covariates are 0 or at their reference levels) and their
    /// standard errors, the effects on the purchase and the dropout process,
    /// log-likelihood, k, n, AIC, BIC, iterations, status and warning.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "CovariateFitInfo")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        match &self.inner {
            Inner::Pareto(f) => to_js(&fit_out("pareto_nbd", Some(self.unit), f)),
            Inner::BgNbd(f) => to_js(&fit_out("bg_nbd", Some(self.unit), f)),
            Inner::Mbg(f) => to_js(&fit_out("mbg_nbd", Some(self.unit), f)),
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
        let out = on_fit!(&self.inner, |f| per_customer(f, &covs, &c, None)).or_throw()?;
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
        let out = on_fit!(&self.inner, |f| per_customer(f, &covs, &c, Some(horizon))).or_throw()?;
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
        let out = on_fit!(&self.inner, |f| f.expected_purchases_new(&covs, horizon)).or_throw()?;
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
        on_fit!(&self.inner, |f| to_js(
            &f.customer_params(&covs).or_throw()?
        ))
    }

    /// How the search ended (the core's `FitStatus` name).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus")]
    pub fn status(&self) -> String {
        on_fit!(&self.inner, |f| f.status.as_str().into())
    }

    /// P(alive at T + `horizon`) (the fit's unit) of each customer of
    /// `summary` with its row of `covariates` (the core's
    /// `CovariateFit::probability_alive_at`).
    #[wasm_bindgen(js_name = probabilityAliveAt)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn probability_alive_at(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        horizon: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (x, tx, t) = customers(self, summary)?;
        let (covs, _) = table(covariates, x.len(), reference.as_ref())?;
        let out = on_fit!(&self.inner, |f| f
            .probability_alive_at(&covs, &x, &tx, &t, horizon))
        .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// P(exactly `n` purchases in the next `horizon`) of each customer of
    /// `summary` with its row of `covariates` (the core's
    /// `CovariateFit::probability_of_purchases`).
    #[wasm_bindgen(js_name = probabilityOfPurchases)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn probability_of_purchases(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        horizon: f64,
        n: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (x, tx, t) = customers(self, summary)?;
        let (covs, _) = table(covariates, x.len(), reference.as_ref())?;
        let out = on_fit!(&self.inner, |f| f
            .probability_of_purchases(&covs, &x, &tx, &t, horizon, n))
        .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// P(exactly `n` repeat purchases in the first `horizon`) of a new
    /// customer with each row of `covariates` (the core's
    /// `CovariateFit::probability_of_purchases_new`).
    #[wasm_bindgen(js_name = probabilityOfPurchasesNew)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn probability_of_purchases_new(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        horizon: f64,
        n: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        let out = on_fit!(&self.inner, |f| f
            .probability_of_purchases_new(&covs, horizon, n))
        .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// DERT at the continuous rate `discountRate` per unit of each customer
    /// of `summary` with its row of `covariates` (the core's
    /// `CovariateFit::dert`).
    #[wasm_bindgen]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn dert(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(js_name = discountRate)] discount_rate: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (x, tx, t) = customers(self, summary)?;
        let (covs, _) = table(covariates, x.len(), reference.as_ref())?;
        let out = on_fit!(&self.inner, |f| f.dert(&covs, &x, &tx, &t, discount_rate))
            .map_err(crate::error::js_names)
            .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// Discounted CLV of each customer of `summary` (which needs amounts)
    /// with its row of `covariates` and the spend model `spend` (the core's
    /// `CovariateFit::clv`, the formula of `GammaGamma.clv`).
    #[wasm_bindgen]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn clv(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        spend: &GammaGamma,
        #[wasm_bindgen(unchecked_optional_param_type = "CovariateClvOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        self.clv_with(
            summary,
            covariates,
            SpendArg::Plain(spend.params()),
            options,
        )
    }

    /// `clv` with a Gamma-Gamma model fitted with covariates
    /// (`GammaGamma.fitWithCovariates`): each customer's spend at its own
    /// parameters, from its row of `options.spendCovariates` (default
    /// `covariates`).
    #[wasm_bindgen(js_name = clvWithSpendFit)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn clv_with_spend_fit(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        spend: &SpendCovariateFit,
        #[wasm_bindgen(unchecked_optional_param_type = "CovariateClvOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        self.clv_with(summary, covariates, SpendArg::Fit(&spend.fit), options)
    }

    /// Delta-method intervals on `quantity` (`"expectedPurchases"`,
    /// `"probabilityAlive"` or `"totalPurchases"`) of the customers of
    /// `summary` with their rows of `covariates` (the core's
    /// `CovariateFit::intervals`): the standard error from the fit's
    /// covariance over the population parameters and the effects.
    #[wasm_bindgen(unchecked_return_type = "CovariateIntervals")]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn intervals(
        &self,
        summary: &Summary,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(
            unchecked_param_type = "\"expectedPurchases\" | \"probabilityAlive\" | \"totalPurchases\""
        )]
        quantity: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "CovariateIntervalOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let (x, tx, t) = customers(self, summary)?;
        let o = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["horizon", "level", "reference"],
        )
        .or_throw()?;
        let (covs, _) = table(covariates, x.len(), o.get("reference").as_ref())?;
        let horizon = o.number("horizon").or_throw()?.unwrap_or(0.0);
        let level = o
            .number("level")
            .or_throw()?
            .unwrap_or(retentionkit::models::interval::DEFAULT_LEVEL);
        let q = match quantity {
            "expectedPurchases" => Quantity::ExpectedPurchases { horizon },
            "probabilityAlive" => Quantity::ProbabilityAlive,
            "totalPurchases" => Quantity::TotalPurchases { horizon },
            other => {
                return Err(invalid(
                    "quantity",
                    format!(
                        "`{other}`: one of expectedPurchases, probabilityAlive, totalPurchases"
                    ),
                ))
                .or_throw()
            }
        };
        let iv: Intervals =
            on_fit!(&self.inner, |f| f.intervals(&q, &covs, &x, &tx, &t, level)).or_throw()?;
        Ok(crate::out::Obj::new()
            .set("level", iv.level)
            .set("estimate", Float64Array::from(iv.estimate.as_slice()))
            .set(
                "standardError",
                Float64Array::from(iv.standard_error.as_slice()),
            )
            .set("lower", Float64Array::from(iv.lower.as_slice()))
            .set("upper", Float64Array::from(iv.upper.as_slice()))
            .build())
    }
}

/// The spend model of a CLV with covariates.
#[derive(Clone, Copy)]
enum SpendArg<'a> {
    Plain(GammaGammaParams),
    Fit(&'a CoreFit<GammaGammaParams>),
}

impl CovariateFit {
    fn clv_with(
        &self,
        summary: &Summary,
        covariates: &JsValue,
        spend: SpendArg<'_>,
        options: Option<JsValue>,
    ) -> JsResult<Float64Array> {
        let (x, tx, t) = customers(self, summary)?;
        let m = summary
            .inner()
            .monetary_value
            .clone()
            .ok_or(Error::MissingColumn {
                column: "monetaryValue",
                needed_for: "CLV",
            })
            .or_throw()?;
        let o = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &[
                "periods",
                "periodLength",
                "discount",
                "reference",
                "spendCovariates",
                "spendReference",
            ],
        )
        .or_throw()?;
        let (covs, _) = table(covariates, x.len(), o.get("reference").as_ref())?;
        let d = ClvOptions::monthly(self.unit);
        let periods = o.whole("periods", 10_000.0).or_throw()?;
        let clv_options = ClvOptions::default()
            .with_periods(periods.map_or(d.periods, |p| u32::try_from(p).unwrap_or(u32::MAX)))
            .with_period_length(
                o.number("periodLength")
                    .or_throw()?
                    .unwrap_or(d.period_length),
            )
            .with_discount(o.number("discount").or_throw()?.unwrap_or(d.discount));
        let spend_covs;
        let model = match spend {
            SpendArg::Plain(p) => Spend::Plain(p),
            SpendArg::Fit(fit) => {
                let cols = o
                    .get("spendCovariates")
                    .unwrap_or_else(|| covariates.clone());
                spend_covs = table(&cols, x.len(), o.get("spendReference").as_ref())?.0;
                Spend::Covariates {
                    fit,
                    covariates: &spend_covs,
                }
            }
        };
        let out = on_fit!(&self.inner, |f| f.clv(
            &covs,
            &x,
            &tx,
            &t,
            &m,
            model,
            &clv_options
        ))
        .map_err(crate::error::js_names)
        .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }
}

/// A Gamma-Gamma fit with covariates on the spend scale
/// (`GammaGamma.fitWithCovariates`): γ_i = γ₀ e^(δ z_i), the mean spend of
/// a customer e^(δ z) times the population's.
#[wasm_bindgen]
pub struct SpendCovariateFit {
    fit: CoreFit<GammaGammaParams>,
    excluded: usize,
}

#[wasm_bindgen]
impl GammaGamma {
    /// Gamma-Gamma with time-invariant covariates on the spend scale γ
    /// (the core's `models::covariates::fit_gamma_gamma`, our own
    /// extension) on a `Summary` or `SpendColumns`, with one row of
    /// `covariates` per row of the data. Rows without a repeat purchase or
    /// with a mean spend of 0 are left out, with their covariate rows, as
    /// `GammaGamma.fit` does (`excluded` counts them).
    #[wasm_bindgen(js_name = fitWithCovariates)]
    pub fn fit_with_covariates(
        #[wasm_bindgen(unchecked_param_type = "Summary | SpendColumns")] data: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SpendCovariateFitOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<SpendCovariateFit> {
        let o = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["spend", "l2", "reference", "fit"],
        )
        .or_throw()?;
        let (x, m, w) = crate::spend::spend_columns(data).or_throw()?;
        let keep: Vec<usize> = (0..x.len()).filter(|&i| x[i] > 0 && m[i] > 0.0).collect();
        let (covs, keys) = table_rows(
            covariates,
            x.len(),
            o.get("reference").as_ref(),
            Some(&keep),
        )?;
        let xs: Vec<u32> = keep.iter().map(|&i| x[i]).collect();
        let ms: Vec<f64> = keep.iter().map(|&i| m[i]).collect();
        let ws: Option<Vec<u64>> = w.map(|w| keep.iter().map(|&i| w[i]).collect());
        let opts = CovariateOptions::default()
            .with_spend(names(o.get("spend"), "spend").or_throw()?.unwrap_or(keys))
            .with_l2_spend(o.number("l2").or_throw()?.unwrap_or(0.0))
            .with_fit(fit::options(o.get("fit"))?);
        let d = SpendData::new(&xs, &ms, ws.as_deref()).or_throw()?;
        let fit = fit_gamma_gamma(&d, &covs, &opts).or_throw()?;
        Ok(SpendCovariateFit {
            fit,
            excluded: x.len() - keep.len(),
        })
    }
}

#[wasm_bindgen]
impl SpendCovariateFit {
    /// Rows left out of the fit (no repeat purchase, or a mean spend of 0).
    #[wasm_bindgen(getter)]
    pub fn excluded(&self) -> usize {
        self.excluded
    }

    /// How the search ended (the core's `FitStatus` name).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus")]
    pub fn status(&self) -> String {
        self.fit.status.as_str().into()
    }

    /// Everything the fit reports: the population's (p, q, γ₀) and their
    /// standard errors, the spend effects (in `purchase`; `dropout` is
    /// empty), log-likelihood, k, n, AIC, BIC, iterations, status, warning.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SpendCovariateFitInfo")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&fit_out("gamma_gamma", None, &self.fit))
    }

    /// Expected mean spend per transaction of each customer (`frequency`,
    /// `monetaryValue` of a `Summary` or `SpendColumns`) with its row of
    /// `covariates` (the core's `CovariateFit::expected_mean_spend`).
    #[wasm_bindgen(js_name = expectedMeanSpend)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn expected_mean_spend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Summary | SpendColumns")] data: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (x, m, _) = crate::spend::spend_columns(data).or_throw()?;
        let (covs, _) = table(covariates, x.len(), reference.as_ref())?;
        let out = self
            .fit
            .expected_mean_spend(&covs, &x, &m)
            .map_err(crate::error::js_names)
            .or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// Each customer's own (p, q, γ) from its row of `covariates`.
    #[wasm_bindgen(js_name = customerParams, unchecked_return_type = "{ p: number; q: number; gamma: number }[]")]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn customer_params(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        to_js(&self.fit.customer_params(&covs).or_throw()?)
    }
}

/// An sBG fit with covariates per cohort (`fitSbgWithCovariates`):
/// α_i = α₀ e^(γ_α z_i), β_i = β₀ e^(γ_β z_i) for cohort i (our own
/// extension of Fader & Hardie 2007's sBG).
#[wasm_bindgen]
pub struct SbgCovariateFit {
    fit: CoreFit<SbgParams>,
}

/// The sBG model of contractual retention (Fader & Hardie 2007, "How to
/// Project Customer Retention") with covariates per cohort (the core's
/// `models::covariates::fit_sbg`): `cohorts` is an array of cohorts'
/// survivor counts (customers at the start, then still active after each
/// period; of any lengths), `covariates` one row per cohort, `options.alpha`
/// and `options.beta` the covariates of α and β (default: all of them on
/// both), `equal` those with one effect scaling α and β together,
/// `l2Alpha`/`l2Beta` their penalties.
#[wasm_bindgen(js_name = fitSbgWithCovariates)]
pub fn fit_sbg_with_covariates(
    #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>[]")] cohorts: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SbgCovariateFitOptions")] options: Option<
        JsValue,
    >,
) -> JsResult<SbgCovariateFit> {
    let o = Options::new(
        &options.unwrap_or(JsValue::UNDEFINED),
        &[
            "alpha",
            "beta",
            "equal",
            "l2Alpha",
            "l2Beta",
            "reference",
            "fit",
        ],
    )
    .or_throw()?;
    if !Array::is_array(cohorts) {
        return Err(invalid(
            "cohorts",
            "must be an array of cohorts' survivor counts",
        ))
        .or_throw();
    }
    let counts = Array::from(cohorts)
        .iter()
        .map(|c| crate::columns::whole_numbers(&c, "cohorts", crate::columns::MAX_SAFE))
        .collect::<Result<Vec<Vec<u64>>, Error>>()
        .or_throw()?;
    let data = SbgCohorts::from_survivors(&counts).or_throw()?;
    let (covs, keys) = table(covariates, counts.len(), o.get("reference").as_ref())?;
    let opts = CovariateOptions::default()
        .with_alpha(
            names(o.get("alpha"), "alpha")
                .or_throw()?
                .unwrap_or_else(|| keys.clone()),
        )
        .with_beta(names(o.get("beta"), "beta").or_throw()?.unwrap_or(keys))
        .with_equal(
            names(o.get("equal"), "equal")
                .or_throw()?
                .unwrap_or_default(),
        )
        .with_l2_alpha(o.number("l2Alpha").or_throw()?.unwrap_or(0.0))
        .with_l2_beta(o.number("l2Beta").or_throw()?.unwrap_or(0.0))
        .with_fit(fit::options(o.get("fit"))?);
    Ok(SbgCovariateFit {
        fit: fit_sbg(&data, &covs, &opts).or_throw()?,
    })
}

#[wasm_bindgen]
impl SbgCovariateFit {
    /// How the search ended (the core's `FitStatus` name).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus")]
    pub fn status(&self) -> String {
        self.fit.status.as_str().into()
    }

    /// Everything the fit reports: the population's (α₀, β₀) and their
    /// standard errors, the effects on α (in `purchase`) and on β (in
    /// `dropout`), log-likelihood, k, n, AIC, BIC, iterations, status,
    /// warning.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SbgCovariateFitInfo")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&fit_out("sbg", None, &self.fit))
    }

    /// Each cohort's own (α, β) from its row of `covariates`.
    #[wasm_bindgen(js_name = customerParams, unchecked_return_type = "{ alpha: number; beta: number }[]")]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn customer_params(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        to_js(&self.fit.customer_params(&covs).or_throw()?)
    }

    /// S(t), the share of each row's cohort still customers after `t`
    /// periods (the core's `CovariateFit::survival`).
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn survival(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        t: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        let out = self.fit.survival(&covs, t).or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// The retention rate r(t) of period `t` of each row's cohort (the
    /// core's `CovariateFit::retention_rate`).
    #[wasm_bindgen(js_name = retentionRate)]
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn retention_rate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        t: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        let out = self.fit.retention_rate(&covs, t).or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }

    /// Discounted expected residual lifetime after `renewals` renewals of
    /// a customer of each row's cohort at the discount rate `discount` per
    /// period (the core's `CovariateFit::derl`).
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands optional JS values over owned
    pub fn derl(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CovariateColumns")] covariates: &JsValue,
        discount: f64,
        renewals: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] reference: Option<
            JsValue,
        >,
    ) -> JsResult<Float64Array> {
        let (covs, _) = table(covariates, rows_of(covariates), reference.as_ref())?;
        let out = self.fit.derl(&covs, discount, renewals).or_throw()?;
        Ok(Float64Array::from(out.as_slice()))
    }
}
