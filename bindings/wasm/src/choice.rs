//! Choosing a model: the core's `models::choice` (the scorecard of several
//! repeat models on one calibration/holdout split of a log, and the
//! likelihood-ratio test of nested fits).

use retentionkit::error::Error;
use retentionkit::models::choice::{
    likelihood_ratio_test as core_lrt, scorecard, InformationCriteria, BEST_MODEL_RULE,
    SCORECARD_MODELS,
};
use retentionkit::models::repeat::{RepeatKind, RepeatParams};
use retentionkit::summary::{calibration_holdout, TimeUnit};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::columns::Options;
use crate::error::{JsResult, OrThrow};
use crate::fit;
use crate::log::TransactionLog;
use crate::out::to_js;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FrequencyOut {
    frequency: u32,
    customers: u64,
    mean_actual: f64,
    mean_predicted: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RowOut {
    model: &'static str,
    label: &'static str,
    status: &'static str,
    warning: Option<&'static str>,
    params: RepeatParams,
    log_likelihood: f64,
    n_parameters: usize,
    n_observations: f64,
    aic: f64,
    bic: f64,
    mae: f64,
    rmse: f64,
    bias: f64,
    by_frequency: Vec<FrequencyOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScorecardOut {
    rows: Vec<RowOut>,
    best: Option<&'static str>,
    rule: &'static str,
}

/// The model names of a JS array (default: the core's list).
fn kinds(v: Option<JsValue>) -> Result<Vec<RepeatKind>, Error> {
    let Some(v) = v else {
        return Ok(SCORECARD_MODELS.to_vec());
    };
    if !js_sys::Array::is_array(&v) {
        return Err(Error::InvalidArgument {
            name: "models",
            reason: "must be an array of model names".into(),
        });
    }
    js_sys::Array::from(&v)
        .iter()
        .map(|m| m.as_string().unwrap_or_default().parse())
        .collect()
}

#[wasm_bindgen]
impl TransactionLog {
    /// Split the log at `calibrationEnd` (holdout to `observationEnd`,
    /// default the last order day), fit each model (default BG/NBD,
    /// MBG/NBD and Pareto/NBD) on the calibration period in `unit` and check
    /// it on the holdout: the core's scorecard (see `ScorecardOptions`).
    #[wasm_bindgen(unchecked_return_type = "Scorecard")]
    pub fn scorecard(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScorecardOptions")] options: &JsValue,
    ) -> JsResult<JsValue> {
        let o = Options::new(
            options,
            &["calibrationEnd", "observationEnd", "unit", "models", "fit"],
        )
        .or_throw()?;
        let end = o.day("calibrationEnd").or_throw()?.ok_or_else(|| {
            crate::error::to_js(&Error::InvalidArgument {
                name: "calibrationEnd",
                reason: "is required".into(),
            })
        })?;
        let unit = o.named::<TimeUnit>("unit").or_throw()?.unwrap_or_default();
        let models = kinds(o.get("models")).or_throw()?;
        let opts = fit::options(o.get("fit"))?;
        let split =
            calibration_holdout(self.core(), end, o.day("observationEnd").or_throw()?, unit)
                .or_throw()?;
        let card = scorecard(&split, &models, &opts).or_throw()?;
        to_js(&ScorecardOut {
            rows: card
                .rows
                .into_iter()
                .map(|r| RowOut {
                    model: r.model.as_str(),
                    label: r.model.label(),
                    status: r.status.as_str(),
                    warning: r.status.warning(),
                    params: r.params,
                    log_likelihood: r.criteria.log_likelihood,
                    n_parameters: r.criteria.parameters,
                    n_observations: r.criteria.observations,
                    aic: r.criteria.aic,
                    bic: r.criteria.bic,
                    mae: r.mae,
                    rmse: r.rmse,
                    bias: r.bias,
                    by_frequency: r
                        .by_frequency
                        .iter()
                        .map(|f| FrequencyOut {
                            frequency: f.frequency,
                            customers: f.customers,
                            mean_actual: f.mean_actual,
                            mean_predicted: f.mean_predicted,
                        })
                        .collect(),
                })
                .collect(),
            best: card.best.map(RepeatKind::as_str),
            rule: BEST_MODEL_RULE,
        })
    }
}

/// `{ logLikelihood, nParameters, nObservations }` of a fitted model (or a
/// plain object with those keys).
fn criteria(v: &JsValue, name: &'static str) -> Result<InformationCriteria, Error> {
    let get = |key: &str| {
        js_sys::Reflect::get(v, &JsValue::from_str(key))
            .ok()
            .and_then(|x| x.as_f64())
            .ok_or_else(|| Error::InvalidArgument {
                name,
                reason: format!("needs a number `{key}` (a fitted model has one)"),
            })
    };
    let k = get("nParameters")?;
    if !(k.is_finite() && k >= 0.0 && k.fract() == 0.0 && k <= 1e6) {
        return Err(Error::InvalidArgument {
            name,
            reason: format!("nParameters {k} must be a whole number"),
        });
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: checked above
    Ok(InformationCriteria::new(
        get("logLikelihood")?,
        k as usize,
        get("nObservations")?,
    ))
}

/// The likelihood-ratio test of `restricted` nested in `full`, each a fitted
/// model or `{ logLikelihood, nParameters, nObservations }` (typed-in
/// parameters: their log-likelihood with `nParameters: 0`); `boundary`
/// applies Self & Liang's 50:50 mixture for one restricted parameter on the
/// boundary. The core's `likelihood_ratio_test`.
#[wasm_bindgen(js_name = likelihoodRatioTest, unchecked_return_type = "LikelihoodRatio")]
pub fn likelihood_ratio_test(
    #[wasm_bindgen(unchecked_param_type = "FitCriteria")] full: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "FitCriteria")] restricted: &JsValue,
    boundary: Option<bool>,
) -> JsResult<JsValue> {
    let t = core_lrt(
        &criteria(full, "full").or_throw()?,
        &criteria(restricted, "restricted").or_throw()?,
        boundary.unwrap_or(false),
    )
    .or_throw()?;
    Ok(crate::out::Obj::new()
        .set("statistic", t.statistic)
        .set(
            "degreesOfFreedom",
            u32::try_from(t.degrees_of_freedom).unwrap_or(u32::MAX),
        )
        .set("pValue", t.p_value)
        .set("boundary", t.boundary)
        .build())
}
