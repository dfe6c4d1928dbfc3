//! Survival regressions: the core's Cox proportional hazards
//! (`survival::cox`) and Weibull AFT (`survival::aft`) on a table of
//! durations given as an object of columns.

use js_sys::{Array, Float64Array};
use retentionkit::error::Error;
use retentionkit::survival::aft::{weibull_aft as core_weibull_aft, AftCoefficient, AftOptions};
use retentionkit::survival::cox::{
    cox_ph as core_cox_ph, proportional_hazards_test, CoxCoefficient, CoxOptions, RegressionData,
    Ties, TimeTransform,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::columns::{numbers, Options};
use crate::error::{error_name, to_js, JsResult, OrThrow};
use crate::out::Obj;

/// A JS `Error` named `name` with `message` and the property `column`.
fn js_error(name: &str, message: &str, column: &str, row: Option<usize>) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &"column".into(), &column.into());
    if let Some(row) = row {
        let _ = js_sys::Reflect::set(&err, &"row".into(), &JsValue::from_f64(row as f64));
    }
    err.into()
}

/// A core error about a column, told with the user's column name `name`
/// (the core's errors name its own arguments, such as `durations`).
fn renamed(e: &Error, name: &str) -> JsValue {
    match e {
        Error::InvalidValue { row, reason, .. } => js_error(
            error_name(e),
            &format!("column `{name}`, row {row}: {reason}"),
            name,
            Some(*row),
        ),
        Error::LengthMismatch { expected, got, .. } => {
            let err = js_error(
                error_name(e),
                &format!("column `{name}` has {got} values, expected {expected}"),
                name,
                None,
            );
            let _ = js_sys::Reflect::set(&err, &"expected".into(), &(*expected as f64).into());
            let _ = js_sys::Reflect::set(&err, &"got".into(), &(*got as f64).into());
            err
        }
        Error::MissingColumn { needed_for, .. } => js_error(
            error_name(e),
            &format!("column `{name}` is required for {needed_for} but was not given"),
            name,
            None,
        ),
        Error::InvalidArgument { reason, .. } => js_error(
            error_name(e),
            &format!("column `{name}`: {reason}"),
            name,
            None,
        ),
        other => to_js(other),
    }
}

/// The columns of a regression, read from a JS object of columns.
struct Table {
    duration: String,
    event: String,
    durations: Vec<f64>,
    events: Vec<bool>,
    covariate_names: Vec<String>,
    covariates: Vec<Vec<f64>>,
    weights_name: Option<String>,
    weights: Option<Vec<f64>>,
    strata_name: Option<String>,
    /// The stratum labels, in code order (numbers first, ascending, then
    /// strings, sorted), and each row's code.
    strata: Option<(Vec<JsValue>, Vec<u32>)>,
}

impl Table {
    /// A core error of the fit, told with the user's column names.
    fn locate(&self, e: &Error) -> JsValue {
        let column = match e {
            Error::InvalidValue { column, .. } | Error::LengthMismatch { column, .. } => *column,
            Error::InvalidArgument { name, .. } => *name,
            _ => return to_js(e),
        };
        match column {
            "durations" => renamed(e, &self.duration),
            "events" if !matches!(e, Error::InvalidArgument { .. }) => renamed(e, &self.event),
            "weights" => renamed(e, self.weights_name.as_deref().unwrap_or("weights")),
            "covariates" => {
                // The core names a covariate by its index: "covariate J ...".
                if let Error::InvalidValue { row, reason, .. } = e {
                    let j = reason
                        .strip_prefix("covariate ")
                        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                        .and_then(|d| d.parse::<usize>().ok());
                    if let Some((j, name)) =
                        j.and_then(|j| self.covariate_names.get(j).map(|n| (j, n)))
                    {
                        let rest = reason
                            .strip_prefix(&format!("covariate {j}"))
                            .unwrap_or(reason)
                            .trim_start_matches(':')
                            .trim_start();
                        return renamed(
                            &Error::InvalidValue {
                                column: "covariates",
                                row: *row,
                                reason: rest.to_string(),
                            },
                            name,
                        );
                    }
                }
                to_js(e)
            }
            _ => to_js(e),
        }
    }

    fn data<'a>(&'a self, slices: &'a [&'a [f64]]) -> RegressionData<'a> {
        RegressionData {
            durations: &self.durations,
            events: &self.events,
            covariates: slices,
            weights: self.weights.as_deref(),
            strata: self.strata.as_ref().map(|s| s.1.as_slice()),
        }
    }
}

/// A string option naming a column, or `None`.
fn column_name(o: &Options, key: &'static str) -> Result<Option<String>, Error> {
    o.get(key)
        .map(|v| {
            v.as_string().ok_or_else(|| Error::InvalidArgument {
                name: key,
                reason: "must be the name of a column of the data".into(),
            })
        })
        .transpose()
}

/// The column `name` of `data`; a `MissingColumnError` naming it when absent.
fn get_column(data: &JsValue, name: &str, needed_for: &'static str) -> JsResult<JsValue> {
    let v = js_sys::Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Err(renamed(
            &Error::MissingColumn {
                column: "column",
                needed_for,
            },
            name,
        ));
    }
    Ok(v)
}

/// Event flags: booleans, or the numbers 1 (the event) and 0 (censored).
fn events(v: &JsValue, name: &str) -> JsResult<Vec<bool>> {
    let flag = |x: f64, row: usize| {
        if x == 1.0 {
            Ok(true)
        } else if x == 0.0 {
            Ok(false)
        } else {
            Err(renamed(
                &Error::InvalidValue {
                    column: "events",
                    row,
                    reason: format!(
                        "{x} is not an event flag: true/1 (the event) or false/0 (censored)"
                    ),
                },
                name,
            ))
        }
    };
    if let Some(arr) = v.dyn_ref::<Array>() {
        return arr
            .iter()
            .enumerate()
            .map(|(row, e)| match e.as_bool() {
                Some(b) => Ok(b),
                None => match e.as_f64() {
                    Some(x) => flag(x, row),
                    None => Err(renamed(
                        &Error::InvalidValue {
                            column: "events",
                            row,
                            reason: "is not a boolean or 0/1".into(),
                        },
                        name,
                    )),
                },
            })
            .collect();
    }
    numbers(v, "events")
        .map_err(|e| renamed(&e, name))?
        .into_iter()
        .enumerate()
        .map(|(row, x)| flag(x, row))
        .collect()
}

/// Stratum labels (numbers or strings): the distinct labels in code order
/// (numbers ascending, then strings sorted) and each row's code.
fn strata(v: &JsValue, name: &str) -> JsResult<(Vec<JsValue>, Vec<u32>)> {
    enum Label {
        Number(f64),
        Text(String),
    }
    let labels: Vec<Label> = if let Some(arr) = v.dyn_ref::<Array>() {
        arr.iter()
            .enumerate()
            .map(|(row, e)| {
                if let Some(s) = e.as_string() {
                    Ok(Label::Text(s))
                } else if let Some(x) = e.as_f64().filter(|x| x.is_finite()) {
                    Ok(Label::Number(x))
                } else {
                    Err(renamed(
                        &Error::InvalidValue {
                            column: "strata",
                            row,
                            reason: "a stratum is a finite number or a string".into(),
                        },
                        name,
                    ))
                }
            })
            .collect::<JsResult<_>>()?
    } else {
        let xs = numbers(v, "strata").map_err(|e| renamed(&e, name))?;
        if let Some(row) = xs.iter().position(|x| !x.is_finite()) {
            return Err(renamed(
                &Error::InvalidValue {
                    column: "strata",
                    row,
                    reason: format!("{} is not a finite number", xs[row]),
                },
                name,
            ));
        }
        xs.into_iter().map(Label::Number).collect()
    };
    let mut nums: Vec<f64> = labels
        .iter()
        .filter_map(|l| match l {
            Label::Number(x) => Some(*x + 0.0),
            Label::Text(_) => None,
        })
        .collect();
    nums.sort_by(f64::total_cmp);
    nums.dedup();
    let mut texts: Vec<&str> = labels
        .iter()
        .filter_map(|l| match l {
            Label::Text(s) => Some(s.as_str()),
            Label::Number(_) => None,
        })
        .collect();
    texts.sort_unstable();
    texts.dedup();
    let code = |l: &Label| -> u32 {
        let i = match l {
            Label::Number(x) => nums.partition_point(|n| *n < *x + 0.0),
            Label::Text(s) => nums.len() + texts.partition_point(|t| *t < s.as_str()),
        };
        u32::try_from(i).unwrap_or(u32::MAX)
    };
    let codes = labels.iter().map(code).collect();
    let names = nums
        .iter()
        .map(|&x| JsValue::from_f64(x))
        .chain(texts.iter().map(|&s| JsValue::from_str(s)))
        .collect();
    Ok((names, codes))
}

/// Read the data and the column options shared by both fits.
fn read(data: &JsValue, o: &Options, with_strata: bool, what: &'static str) -> JsResult<Table> {
    if !data.is_object() || Array::is_array(data) {
        return Err(to_js(&Error::InvalidArgument {
            name: "data",
            reason: "must be an object of columns".into(),
        }));
    }
    let duration = column_name(o, "duration")
        .or_throw()?
        .unwrap_or_else(|| "duration".into());
    let event = column_name(o, "event")
        .or_throw()?
        .unwrap_or_else(|| "event".into());
    let weights_name = column_name(o, "weights").or_throw()?;
    let strata_name = if with_strata {
        column_name(o, "strata").or_throw()?
    } else {
        None
    };
    let used: Vec<&str> = [Some(duration.as_str()), Some(event.as_str())]
        .into_iter()
        .chain([weights_name.as_deref(), strata_name.as_deref()])
        .flatten()
        .collect();
    let covariate_names: Vec<String> = match o.get("covariates") {
        Some(v) => {
            if !Array::is_array(&v) {
                return Err(to_js(&Error::InvalidArgument {
                    name: "covariates",
                    reason: "must be an array of column names".into(),
                }));
            }
            Array::from(&v)
                .iter()
                .map(|c| {
                    c.as_string().ok_or_else(|| {
                        to_js(&Error::InvalidArgument {
                            name: "covariates",
                            reason: "must be an array of column names".into(),
                        })
                    })
                })
                .collect::<JsResult<_>>()?
        }
        None => js_sys::Object::keys(data.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .filter(|k| !used.contains(&k.as_str()))
            .collect(),
    };
    if let Some(c) = covariate_names.iter().find(|c| used.contains(&c.as_str())) {
        return Err(to_js(&Error::InvalidArgument {
            name: "covariates",
            reason: format!("{c:?} is already the duration, event, weights or strata column"),
        }));
    }
    let durations = numbers(&get_column(data, &duration, what)?, "durations")
        .map_err(|e| renamed(&e, &duration))?;
    let n = durations.len();
    let length = |name: &str, got: usize| -> JsResult<()> {
        if got == n {
            Ok(())
        } else {
            Err(renamed(
                &Error::LengthMismatch {
                    column: "column",
                    expected: n,
                    got,
                },
                name,
            ))
        }
    };
    let events = events(&get_column(data, &event, what)?, &event)?;
    length(&event, events.len())?;
    let mut covariates = Vec::with_capacity(covariate_names.len());
    for name in &covariate_names {
        let c =
            numbers(&get_column(data, name, what)?, "covariates").map_err(|e| renamed(&e, name))?;
        length(name, c.len())?;
        covariates.push(c);
    }
    let weights = match &weights_name {
        Some(w) => {
            let c = numbers(&get_column(data, w, what)?, "weights").map_err(|e| renamed(&e, w))?;
            length(w, c.len())?;
            Some(c)
        }
        None => None,
    };
    let strata = match &strata_name {
        Some(s) => {
            let c = strata(&get_column(data, s, what)?, s)?;
            length(s, c.1.len())?;
            Some(c)
        }
        None => None,
    };
    Ok(Table {
        duration,
        event,
        durations,
        events,
        covariate_names,
        covariates,
        weights_name,
        weights,
        strata_name,
        strata,
    })
}

fn floats(v: &[f64]) -> Float64Array {
    Float64Array::from(v)
}

fn strings(v: &[String]) -> Array {
    v.iter().map(|s| JsValue::from_str(s)).collect()
}

/// Fit a Cox proportional-hazards model (the core's `survival::cox::cox_ph`)
/// to `data`, an object of columns (`duration`, `event` and the covariates,
/// arrays or typed arrays of one length; see `CoxOptions`), with the
/// Schoenfeld-residual test of proportional hazards.
#[wasm_bindgen(js_name = coxPh, unchecked_return_type = "CoxFit")]
pub fn cox_ph(
    #[wasm_bindgen(unchecked_param_type = "SurvivalColumns")] data: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CoxOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let o = Options::new(
        &options.unwrap_or(JsValue::UNDEFINED),
        &[
            "duration",
            "event",
            "covariates",
            "weights",
            "strata",
            "ties",
            "robust",
            "confidenceLevel",
            "timeTransform",
        ],
    )
    .or_throw()?;
    let ties = o.named::<Ties>("ties").or_throw()?.unwrap_or_default();
    let transform = o
        .named::<TimeTransform>("timeTransform")
        .or_throw()?
        .unwrap_or_default();
    let robust = match o.get("robust") {
        None => false,
        Some(v) => v.as_bool().ok_or_else(|| {
            to_js(&Error::InvalidArgument {
                name: "robust",
                reason: "must be true or false".into(),
            })
        })?,
    };
    let d = CoxOptions::default();
    let options = CoxOptions {
        ties,
        robust,
        confidence_level: o
            .number("confidenceLevel")
            .or_throw()?
            .unwrap_or(d.confidence_level),
        ..d
    };
    let t = read(data, &o, true, "coxPh")?;
    let slices: Vec<&[f64]> = t.covariates.iter().map(Vec::as_slice).collect();
    let data = t.data(&slices);
    let fit = core_cox_ph(&data, &options).map_err(|e| t.locate(&e))?;
    let summary = fit.summary().or_throw()?;
    let ph = proportional_hazards_test(&fit, &data, transform).map_err(|e| t.locate(&e))?;
    let col = |f: fn(&CoxCoefficient) -> f64| floats(&summary.iter().map(f).collect::<Vec<_>>());
    let lr = fit.likelihood_ratio_test();
    let baselines: Array = fit
        .baselines
        .iter()
        .map(|b| {
            let stratum = t
                .strata
                .as_ref()
                .and_then(|s| s.0.get(b.stratum as usize).cloned())
                .unwrap_or(JsValue::NULL);
            let survival: Vec<f64> = b.times.iter().map(|&x| b.survival_at(x)).collect();
            Obj::new()
                .set("stratum", stratum)
                .set("times", floats(&b.times))
                .set("cumulativeHazard", floats(&b.cumulative_hazard))
                .set("survival", floats(&survival))
                .build()
        })
        .collect();
    Ok(Obj::new()
        .set("covariates", strings(&t.covariate_names))
        .set("coef", col(|c| c.coef))
        .set("hazardRatio", col(|c| c.hazard_ratio))
        .set("se", col(|c| c.se))
        .set("coefLower", col(|c| c.coef_lower))
        .set("coefUpper", col(|c| c.coef_upper))
        .set("hazardRatioLower", col(|c| c.hazard_ratio_lower))
        .set("hazardRatioUpper", col(|c| c.hazard_ratio_upper))
        .set("z", col(|c| c.z))
        .set("pValue", col(|c| c.p_value))
        .set("modelSe", floats(&fit.standard_errors))
        .set(
            "robustSe",
            fit.robust_standard_errors
                .as_deref()
                .map_or(JsValue::NULL, |r| floats(r).into()),
        )
        .set("covariance", floats(&fit.covariance))
        .set("means", floats(&fit.means))
        .set("logLikelihood", fit.log_likelihood)
        .set("nullLogLikelihood", fit.null_log_likelihood)
        .set(
            "likelihoodRatioTest",
            Obj::new()
                .set("statistic", lr.statistic)
                .set(
                    "degreesOfFreedom",
                    u32::try_from(fit.coefficients.len()).unwrap_or(u32::MAX),
                )
                .set("pValue", lr.p_value)
                .build(),
        )
        .set(
            "concordance",
            fit.concordance.map_or(JsValue::NULL, JsValue::from_f64),
        )
        .set(
            "proportionalHazardsTest",
            Obj::new()
                .set("timeTransform", transform.as_str())
                .set(
                    "statistic",
                    floats(&ph.iter().map(|p| p.statistic).collect::<Vec<_>>()),
                )
                .set(
                    "pValue",
                    floats(&ph.iter().map(|p| p.p_value).collect::<Vec<_>>()),
                )
                .build(),
        )
        .set("baselines", baselines)
        .set("rows", fit.rows as f64)
        .set("events", fit.events as f64)
        .set("iterations", fit.iterations as f64)
        .set("status", fit.status.as_str())
        .set(
            "warning",
            fit.status
                .warning()
                .map_or(JsValue::NULL, JsValue::from_str),
        )
        .set("ties", fit.options.ties.as_str())
        .set("robust", fit.options.robust)
        .set("confidenceLevel", fit.options.confidence_level)
        .set(
            "strata",
            t.strata_name
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        )
        .set(
            "weights",
            t.weights_name
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        )
        .build())
}

/// Fit the Weibull accelerated-failure-time model (the core's
/// `survival::aft::weibull_aft`) to `data`, an object of columns as for
/// `coxPh` (see `AftOptions`; no strata).
#[wasm_bindgen(js_name = weibullAft, unchecked_return_type = "WeibullAftFit")]
pub fn weibull_aft(
    #[wasm_bindgen(unchecked_param_type = "SurvivalColumns")] data: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "AftOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let o = Options::new(
        &options.unwrap_or(JsValue::UNDEFINED),
        &[
            "duration",
            "event",
            "covariates",
            "weights",
            "confidenceLevel",
        ],
    )
    .or_throw()?;
    let level = o.number("confidenceLevel").or_throw()?.unwrap_or(0.95);
    if !(level > 0.0 && level < 1.0) {
        return Err(to_js(&Error::InvalidArgument {
            name: "confidenceLevel",
            reason: format!("{level} must be in (0, 1)"),
        }));
    }
    let t = read(data, &o, false, "weibullAft")?;
    let slices: Vec<&[f64]> = t.covariates.iter().map(Vec::as_slice).collect();
    let fit =
        core_weibull_aft(&t.data(&slices), &AftOptions::default()).map_err(|e| t.locate(&e))?;
    let summary = fit.summary(level).or_throw()?;
    let k = fit.coefficients.len();
    let all = |f: fn(&AftCoefficient) -> f64| floats(&summary.iter().map(f).collect::<Vec<_>>());
    let cov =
        |f: fn(&AftCoefficient) -> f64| floats(&summary[..k].iter().map(f).collect::<Vec<_>>());
    let mut parameters = t.covariate_names.clone();
    parameters.extend(["intercept".to_string(), "logRho".to_string()]);
    Ok(Obj::new()
        .set("covariates", strings(&t.covariate_names))
        .set("coef", floats(&fit.coefficients))
        .set("expCoef", cov(|c| c.exp_coef))
        .set("se", floats(&fit.standard_errors))
        .set("coefLower", cov(|c| c.coef_lower))
        .set("coefUpper", cov(|c| c.coef_upper))
        .set("z", cov(|c| c.z))
        .set("pValue", cov(|c| c.p_value))
        .set(
            "summary",
            Obj::new()
                .set("parameter", strings(&parameters))
                .set("coef", all(|c| c.coef))
                .set("expCoef", all(|c| c.exp_coef))
                .set("se", all(|c| c.se))
                .set("coefLower", all(|c| c.coef_lower))
                .set("coefUpper", all(|c| c.coef_upper))
                .set("z", all(|c| c.z))
                .set("pValue", all(|c| c.p_value))
                .build(),
        )
        .set("confidenceLevel", level)
        .set(
            "concordance",
            fit.concordance.map_or(JsValue::NULL, JsValue::from_f64),
        )
        .set("intercept", fit.intercept)
        .set("interceptSe", fit.intercept_se)
        .set("logRho", fit.log_rho)
        .set("logRhoSe", fit.log_rho_se)
        .set("logLikelihood", fit.log_likelihood)
        .set("rows", t.durations.len() as f64)
        .set("iterations", fit.iterations as f64)
        .set("status", fit.status.as_str())
        .set(
            "warning",
            fit.status
                .warning()
                .map_or(JsValue::NULL, JsValue::from_str),
        )
        .set(
            "weights",
            t.weights_name
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        )
        .build())
}
