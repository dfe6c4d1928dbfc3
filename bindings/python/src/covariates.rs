//! Models with time-invariant covariates (Pareto/NBD, BG/NBD, MBG/NBD,
//! Gamma-Gamma, sBG): the core's `models::covariates`. The fit is kept whole in a native object
//! (`CovariateFit`) whose methods predict per customer.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::check::ClvOptions;
use retentionkit::models::covariates::{
    self, CovariateFit as CoreFit, CovariateModel, CovariateOptions, CovariateTable, Effect, Spend,
};
use retentionkit::models::gamma_gamma::{GammaGammaParams, SpendData};
use retentionkit::models::interval::{Intervals, Quantity};
use retentionkit::models::mbg_nbd::MbgNbdParams;
use retentionkit::models::pareto_nbd::ParetoNbdParams;
use retentionkit::models::repeat::RepeatKind;
use retentionkit::models::sbg::{SbgCohorts, SbgParams};
use retentionkit::models::RepeatData;

use crate::error::IntoPy;
use crate::models::options;
use crate::tables::unit;

/// Numeric covariate columns: (name, values).
type Numeric<'py> = Vec<(String, PyReadonlyArray1<'py, f64>)>;
/// Categorical covariate columns: (name, values, reference level).
type Categorical = Vec<(String, Vec<String>, Option<String>)>;
/// Two float arrays of one length.
type Pair<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

fn table(
    rows: usize,
    numeric: &Numeric<'_>,
    categorical: &Categorical,
) -> PyResult<CovariateTable> {
    let mut t = CovariateTable::new(rows);
    for (name, values) in numeric {
        t = t.with_numeric(name, values.as_slice()?).py_err()?;
    }
    for (name, values, reference) in categorical {
        t = t
            .with_categorical(name, values, reference.as_deref())
            .py_err()?;
    }
    Ok(t)
}

enum Inner {
    Pareto(CoreFit<ParetoNbdParams>),
    BgNbd(CoreFit<BgNbdParams>),
    Mbg(CoreFit<MbgNbdParams>),
    Spend(CoreFit<GammaGammaParams>),
    Sbg(CoreFit<SbgParams>),
}

/// The error of a method the fitted model does not have.
fn not_for(what: &str, model: &str) -> PyErr {
    crate::error::to_py(&retentionkit::Error::InvalidArgument {
        name: "self",
        reason: format!("{what} is not a prediction of the {model} model"),
    })
}

/// A fit with covariates, kept for its per-customer predictions.
#[pyclass(frozen, module = "retentionkit._retentionkit")]
pub struct CovariateFit(Inner);

fn effects<'py>(py: Python<'py>, e: &[Effect]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", e.iter().map(|e| e.name.clone()).collect::<Vec<_>>())?;
    d.set_item("estimate", e.iter().map(|e| e.estimate).collect::<Vec<_>>())?;
    d.set_item(
        "standard_error",
        e.iter().map(|e| e.standard_error).collect::<Vec<_>>(),
    )?;
    d.set_item("shared", e.iter().map(|e| e.shared).collect::<Vec<_>>())?;
    Ok(d)
}

fn fit_dict<'py, P: Copy>(
    py: Python<'py>,
    fit: &CoreFit<P>,
    values: impl Fn(&P) -> Vec<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("params", values(&fit.params))?;
    d.set_item("standard_errors", fit.standard_errors.as_ref().map(&values))?;
    d.set_item("purchase", effects(py, &fit.purchase)?)?;
    d.set_item("dropout", effects(py, &fit.dropout)?)?;
    d.set_item("log_likelihood", fit.log_likelihood)?;
    let ic = fit.criteria();
    d.set_item("parameters", ic.parameters)?;
    d.set_item("observations", ic.observations)?;
    d.set_item("aic", ic.aic)?;
    d.set_item("bic", ic.bic)?;
    d.set_item("iterations", fit.iterations)?;
    d.set_item("status", fit.status.as_str())?;
    d.set_item("warning", fit.status.warning())?;
    Ok(d)
}

/// Fit the Pareto/NBD or BG/NBD model with covariates on (x, t_x, T[,
/// weight]) rows, one covariate row each: the fit's dict and the native
/// fit.
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, weights, numeric, categorical, purchase, dropout, equal, l2_purchase=0.0, l2_dropout=0.0, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
#[allow(clippy::too_many_arguments)] // the data, the covariates and the options
pub fn fit_repeat_covariates<'py>(
    py: Python<'py>,
    model: &str,
    frequency: PyReadonlyArray1<'py, u32>,
    recency: PyReadonlyArray1<'py, f64>,
    age: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    numeric: Numeric<'py>,
    categorical: Categorical,
    purchase: Vec<String>,
    dropout: Vec<String>,
    equal: Vec<String>,
    l2_purchase: f64,
    l2_dropout: f64,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<(Bound<'py, PyDict>, CovariateFit)> {
    let kind: RepeatKind = model.parse().py_err()?;
    let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
    let w = match &weights {
        Some(a) => Some(a.as_slice()?),
        None => None,
    };
    let covs = table(x.len(), &numeric, &categorical)?;
    let o = CovariateOptions::default()
        .with_purchase(purchase)
        .with_dropout(dropout)
        .with_equal(equal)
        .with_l2_purchase(l2_purchase)
        .with_l2_dropout(l2_dropout)
        .with_fit(options(max_iterations, tolerance, penalizer));
    let inner = py
        .detach(|| -> retentionkit::Result<Inner> {
            let data = RepeatData::new(x, tx, t, w)?;
            Ok(match kind {
                RepeatKind::ParetoNbd => {
                    Inner::Pareto(covariates::fit_pareto_nbd(&data, &covs, &o)?)
                }
                RepeatKind::BgNbd => Inner::BgNbd(covariates::fit_bg_nbd(&data, &covs, &o)?),
                RepeatKind::MbgNbd => Inner::Mbg(covariates::fit_mbg_nbd(&data, &covs, &o)?),
                _ => {
                    return Err(retentionkit::Error::InvalidArgument {
                        name: "model",
                        reason: format!(
                            "covariates are fitted for pareto_nbd, bg_nbd and mbg_nbd, not {}",
                            kind.label()
                        ),
                    })
                }
            })
        })
        .py_err()?;
    let d = match &inner {
        Inner::Pareto(f) => fit_dict(py, f, |p| vec![p.r, p.alpha, p.s, p.beta])?,
        Inner::BgNbd(f) => fit_dict(py, f, |p| vec![p.r, p.alpha, p.a, p.b])?,
        Inner::Mbg(f) => fit_dict(py, f, |p| vec![p.r, p.alpha, p.a, p.b])?,
        Inner::Spend(f) => fit_dict(py, f, |p| vec![p.p, p.q, p.gamma])?,
        Inner::Sbg(f) => fit_dict(py, f, |p| vec![p.alpha, p.beta])?,
    };
    Ok((d, CovariateFit(inner)))
}

/// Fit the Gamma-Gamma model with covariates on the spend scale γ on
/// (x ≥ 1, z̄[, weight]) rows, one covariate row each: the fit's dict
/// (with the frequency–spend correlation and its warning) and the native
/// fit.
#[pyfunction]
#[pyo3(signature = (frequency, monetary, weights, numeric, categorical, spend, l2=0.0, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
#[allow(clippy::too_many_arguments)] // the data, the covariates and the options
pub fn fit_spend_covariates<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, u32>,
    monetary: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, u64>>,
    numeric: Numeric<'py>,
    categorical: Categorical,
    spend: Vec<String>,
    l2: f64,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<(Bound<'py, PyDict>, CovariateFit)> {
    let (x, m) = (frequency.as_slice()?, monetary.as_slice()?);
    let w = match &weights {
        Some(a) => Some(a.as_slice()?),
        None => None,
    };
    let covs = table(x.len(), &numeric, &categorical)?;
    let o = CovariateOptions::default()
        .with_spend(spend)
        .with_l2_spend(l2)
        .with_fit(options(max_iterations, tolerance, penalizer));
    let (fit, correlation, warning) = py
        .detach(|| {
            let data = SpendData::new(x, m, w)?;
            let fit = covariates::fit_gamma_gamma(&data, &covs, &o)?;
            Ok::<_, retentionkit::Error>((
                fit,
                data.frequency_spend_correlation(),
                data.spend_correlation_warning(),
            ))
        })
        .py_err()?;
    let d = fit_dict(py, &fit, |p| vec![p.p, p.q, p.gamma])?;
    d.set_item("spend_correlation", correlation)?;
    d.set_item("spend_warning", warning)?;
    Ok((d, CovariateFit(Inner::Spend(fit))))
}

/// Fit the sBG model with covariates per cohort on several cohorts'
/// survivor counts, one covariate row per cohort: the fit's dict and the
/// native fit.
#[pyfunction]
#[pyo3(signature = (cohorts, numeric, categorical, alpha, beta, equal, l2_alpha=0.0, l2_beta=0.0, max_iterations=1000, tolerance=1e-9, penalizer=0.0))]
#[allow(clippy::too_many_arguments)] // the data, the covariates and the options
pub fn fit_sbg_covariates<'py>(
    py: Python<'py>,
    cohorts: Vec<Vec<u64>>,
    numeric: Numeric<'py>,
    categorical: Categorical,
    alpha: Vec<String>,
    beta: Vec<String>,
    equal: Vec<String>,
    l2_alpha: f64,
    l2_beta: f64,
    max_iterations: usize,
    tolerance: f64,
    penalizer: f64,
) -> PyResult<(Bound<'py, PyDict>, CovariateFit)> {
    let covs = table(cohorts.len(), &numeric, &categorical)?;
    let o = CovariateOptions::default()
        .with_alpha(alpha)
        .with_beta(beta)
        .with_equal(equal)
        .with_l2_alpha(l2_alpha)
        .with_l2_beta(l2_beta)
        .with_fit(options(max_iterations, tolerance, penalizer));
    let fit = py
        .detach(|| {
            let data = SbgCohorts::from_survivors(&cohorts)?;
            covariates::fit_sbg(&data, &covs, &o)
        })
        .py_err()?;
    let d = fit_dict(py, &fit, |p| vec![p.alpha, p.beta])?;
    Ok((d, CovariateFit(Inner::Sbg(fit))))
}

fn predict<P: CovariateModel>(
    f: &CoreFit<P>,
    covs: &CovariateTable,
    (x, tx, t): (&[u32], &[f64], &[f64]),
    horizon: f64,
) -> retentionkit::Result<(Vec<f64>, Vec<f64>)> {
    Ok((
        f.probability_alive(covs, x, tx, t)?,
        f.expected_purchases(covs, x, tx, t, horizon)?,
    ))
}

/// `$body` with `$f` the fit of a repeat model (`Ok`), or the label of
/// the other models (`Err`).
macro_rules! on_repeat {
    ($self:expr, |$f:ident| $body:expr) => {
        match &$self.0 {
            Inner::Pareto($f) => Ok($body),
            Inner::BgNbd($f) => Ok($body),
            Inner::Mbg($f) => Ok($body),
            Inner::Spend(_) => Err("Gamma-Gamma"),
            Inner::Sbg(_) => Err("sBG"),
        }
    };
}

/// The delta-method intervals of a repeat fit with covariates on the
/// named quantity (`expected_purchases`, `probability_alive` or
/// `total_purchases`, the purchases over `horizon`).
fn intervals_of<P: CovariateModel>(
    f: &CoreFit<P>,
    covs: &CovariateTable,
    (x, tx, t): (&[u32], &[f64], &[f64]),
    quantity: &str,
    horizon: f64,
    level: f64,
) -> retentionkit::Result<Intervals> {
    let q = match quantity {
        "expected_purchases" => Quantity::ExpectedPurchases { horizon },
        "probability_alive" => Quantity::ProbabilityAlive,
        "total_purchases" => Quantity::TotalPurchases { horizon },
        other => {
            return Err(retentionkit::Error::InvalidArgument {
                name: "quantity",
                reason: format!(
                    "`{other}`: with covariates, one of expected_purchases, probability_alive, total_purchases"
                ),
            })
        }
    };
    f.intervals(&q, covs, x, tx, t, level)
}

#[pymethods]
impl CovariateFit {
    /// P(alive) and expected purchases in the next `horizon` of each
    /// customer (x, t_x, T) with its covariates.
    #[allow(clippy::too_many_arguments)] // the customers' columns and covariates
    fn predict<'py>(
        &self,
        py: Python<'py>,
        numeric: Numeric<'py>,
        categorical: Categorical,
        frequency: PyReadonlyArray1<'py, u32>,
        recency: PyReadonlyArray1<'py, f64>,
        age: PyReadonlyArray1<'py, f64>,
        horizon: f64,
    ) -> PyResult<Pair<'py>> {
        let cols = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
        let covs = table(cols.0.len(), &numeric, &categorical)?;
        let (alive, expected) = py
            .detach(|| match &self.0 {
                Inner::Pareto(f) => Ok(predict(f, &covs, cols, horizon)),
                Inner::BgNbd(f) => Ok(predict(f, &covs, cols, horizon)),
                Inner::Mbg(f) => Ok(predict(f, &covs, cols, horizon)),
                Inner::Spend(_) => Err("Gamma-Gamma"),
                Inner::Sbg(_) => Err("sBG"),
            })
            .map_err(|m| not_for("P(alive)", m))?
            .py_err()?;
        Ok((alive.into_pyarray(py), expected.into_pyarray(py)))
    }

    /// Expected repeat purchases in `horizon` of a new customer with each
    /// row's covariates.
    fn expected_new<'py>(
        &self,
        py: Python<'py>,
        rows: usize,
        numeric: Numeric<'py>,
        categorical: Categorical,
        horizon: f64,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let covs = table(rows, &numeric, &categorical)?;
        let out = py
            .detach(|| match &self.0 {
                Inner::Pareto(f) => Ok(f.expected_purchases_new(&covs, horizon)),
                Inner::BgNbd(f) => Ok(f.expected_purchases_new(&covs, horizon)),
                Inner::Mbg(f) => Ok(f.expected_purchases_new(&covs, horizon)),
                Inner::Spend(_) => Err("Gamma-Gamma"),
                Inner::Sbg(_) => Err("sBG"),
            })
            .map_err(|m| not_for("the expected purchases", m))?
            .py_err()?;
        Ok(out.into_pyarray(py))
    }

    /// P(alive at T + `horizon`) of each customer (x, t_x, T) with its
    /// covariates.
    #[allow(clippy::too_many_arguments)] // the customers' columns and covariates
    fn alive_at<'py>(
        &self,
        py: Python<'py>,
        numeric: Numeric<'py>,
        categorical: Categorical,
        frequency: PyReadonlyArray1<'py, u32>,
        recency: PyReadonlyArray1<'py, f64>,
        age: PyReadonlyArray1<'py, f64>,
        horizon: f64,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
        let covs = table(x.len(), &numeric, &categorical)?;
        let out = py
            .detach(|| on_repeat!(self, |f| f.probability_alive_at(&covs, x, tx, t, horizon)))
            .map_err(|m| not_for("P(alive)", m))?
            .py_err()?;
        Ok(out.into_pyarray(py))
    }

    /// P(exactly `n` purchases in (T, T + `horizon`]) of each customer
    /// (x, t_x, T) with its covariates.
    #[allow(clippy::too_many_arguments)] // the customers' columns and covariates
    fn pmf<'py>(
        &self,
        py: Python<'py>,
        numeric: Numeric<'py>,
        categorical: Categorical,
        frequency: PyReadonlyArray1<'py, u32>,
        recency: PyReadonlyArray1<'py, f64>,
        age: PyReadonlyArray1<'py, f64>,
        horizon: f64,
        n: u32,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
        let covs = table(x.len(), &numeric, &categorical)?;
        let out = py
            .detach(|| {
                on_repeat!(self, |f| f
                    .probability_of_purchases(&covs, x, tx, t, horizon, n))
            })
            .map_err(|m| not_for("the purchase distribution", m))?
            .py_err()?;
        Ok(out.into_pyarray(py))
    }

    /// P(exactly `n` repeat purchases in the first `horizon`) of a new
    /// customer with each row's covariates.
    fn pmf_new<'py>(
        &self,
        py: Python<'py>,
        rows: usize,
        numeric: Numeric<'py>,
        categorical: Categorical,
        horizon: f64,
        n: u32,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let covs = table(rows, &numeric, &categorical)?;
        let out = py
            .detach(|| on_repeat!(self, |f| f.probability_of_purchases_new(&covs, horizon, n)))
            .map_err(|m| not_for("the purchase distribution", m))?
            .py_err()?;
        Ok(out.into_pyarray(py))
    }

    /// DERT at the continuous rate `discount_rate` of each customer
    /// (x, t_x, T) with its covariates.
    #[allow(clippy::too_many_arguments)] // the customers' columns and covariates
    fn dert<'py>(
        &self,
        py: Python<'py>,
        numeric: Numeric<'py>,
        categorical: Categorical,
        frequency: PyReadonlyArray1<'py, u32>,
        recency: PyReadonlyArray1<'py, f64>,
        age: PyReadonlyArray1<'py, f64>,
        discount_rate: f64,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let (x, tx, t) = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
        let covs = table(x.len(), &numeric, &categorical)?;
        let out = py
            .detach(|| on_repeat!(self, |f| f.dert(&covs, x, tx, t, discount_rate)))
            .map_err(|m| not_for("DERT", m))?
            .py_err()?;
        Ok(out.into_pyarray(py))
    }

    /// Discounted CLV of each customer (x, t_x, T, z̄) with its covariates,
    /// the spend model typed in (`spend_params`: p, q, γ) or a Gamma-Gamma
    /// fit with covariates (`spend_fit`, with the customers' spend
    /// covariates).
    #[pyo3(signature = (numeric, categorical, frequency, recency, age, monetary, spend_params, spend_fit, spend_numeric, spend_categorical, unit_name, periods, period_length, discount))]
    #[allow(clippy::too_many_arguments)] // the customers' columns, both models and the CLV's options
    fn clv<'py>(
        &self,
        py: Python<'py>,
        numeric: Numeric<'py>,
        categorical: Categorical,
        frequency: PyReadonlyArray1<'py, u32>,
        recency: PyReadonlyArray1<'py, f64>,
        age: PyReadonlyArray1<'py, f64>,
        monetary: PyReadonlyArray1<'py, f64>,
        spend_params: Option<Vec<f64>>,
        spend_fit: Option<Bound<'py, CovariateFit>>,
        spend_numeric: Numeric<'py>,
        spend_categorical: Categorical,
        unit_name: &str,
        periods: u32,
        period_length: Option<f64>,
        discount: f64,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let (x, tx, t, m) = (
            frequency.as_slice()?,
            recency.as_slice()?,
            age.as_slice()?,
            monetary.as_slice()?,
        );
        let covs = table(x.len(), &numeric, &categorical)?;
        let options = ClvOptions::default()
            .with_periods(periods)
            .with_period_length(period_length.unwrap_or(ClvOptions::month(unit(unit_name)?)))
            .with_discount(discount);
        let spend_covs = table(x.len(), &spend_numeric, &spend_categorical)?;
        let spend = match (&spend_params, &spend_fit) {
            (Some(p), None) => {
                let [p, q, g] = p[..] else {
                    return Err(crate::error::to_py(&retentionkit::Error::InvalidArgument {
                        name: "spend",
                        reason: format!("Gamma-Gamma takes 3 parameters, not {}", p.len()),
                    }));
                };
                Spend::Plain(GammaGammaParams::new(p, q, g).py_err()?)
            }
            (None, Some(fit)) => match &fit.get().0 {
                Inner::Spend(f) => Spend::Covariates {
                    fit: f,
                    covariates: &spend_covs,
                },
                _ => return Err(not_for("the expected mean spend", fit.get().label())),
            },
            _ => {
                return Err(crate::error::to_py(&retentionkit::Error::InvalidArgument {
                    name: "spend",
                    reason: "give the spend model's parameters or its fit with covariates".into(),
                }))
            }
        };
        let out = py
            .detach(|| on_repeat!(self, |f| f.clv(&covs, x, tx, t, m, spend, &options)))
            .map_err(|m| not_for("CLV", m))?
            .py_err()?;
        Ok(out.into_pyarray(py))
    }

    /// Delta-method intervals at `level` on `quantity`
    /// (`expected_purchases`, `probability_alive`, `total_purchases`) of
    /// each customer (x, t_x, T) with its covariates: `estimate`,
    /// `standard_error`, `lower`, `upper` (arrays) and `level`.
    #[allow(clippy::too_many_arguments)] // the customers' columns, covariates and settings
    fn intervals<'py>(
        &self,
        py: Python<'py>,
        numeric: Numeric<'py>,
        categorical: Categorical,
        frequency: PyReadonlyArray1<'py, u32>,
        recency: PyReadonlyArray1<'py, f64>,
        age: PyReadonlyArray1<'py, f64>,
        quantity: &str,
        horizon: f64,
        level: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let cols = (frequency.as_slice()?, recency.as_slice()?, age.as_slice()?);
        let covs = table(cols.0.len(), &numeric, &categorical)?;
        let iv = py
            .detach(|| {
                on_repeat!(self, |f| intervals_of(
                    f, &covs, cols, quantity, horizon, level
                ))
            })
            .map_err(|m| not_for("the intervals", m))?
            .py_err()?;
        let d = PyDict::new(py);
        d.set_item("estimate", iv.estimate.into_pyarray(py))?;
        d.set_item("standard_error", iv.standard_error.into_pyarray(py))?;
        d.set_item("lower", iv.lower.into_pyarray(py))?;
        d.set_item("upper", iv.upper.into_pyarray(py))?;
        d.set_item("level", iv.level)?;
        Ok(d)
    }

    /// Each customer's own parameters, one list per customer in the model's
    /// published order.
    fn customer_params(
        &self,
        py: Python<'_>,
        rows: usize,
        numeric: Numeric<'_>,
        categorical: Categorical,
    ) -> PyResult<Vec<Vec<f64>>> {
        let covs = table(rows, &numeric, &categorical)?;
        py.detach(|| {
            Ok(match &self.0 {
                Inner::Pareto(f) => f
                    .customer_params(&covs)?
                    .iter()
                    .map(|p| vec![p.r, p.alpha, p.s, p.beta])
                    .collect(),
                Inner::BgNbd(f) => f
                    .customer_params(&covs)?
                    .iter()
                    .map(|p| vec![p.r, p.alpha, p.a, p.b])
                    .collect(),
                Inner::Mbg(f) => f
                    .customer_params(&covs)?
                    .iter()
                    .map(|p| vec![p.r, p.alpha, p.a, p.b])
                    .collect(),
                Inner::Spend(f) => f
                    .customer_params(&covs)?
                    .iter()
                    .map(|p| vec![p.p, p.q, p.gamma])
                    .collect(),
                Inner::Sbg(f) => f
                    .customer_params(&covs)?
                    .iter()
                    .map(|p| vec![p.alpha, p.beta])
                    .collect(),
            })
        })
        .py_err()
    }

    /// Expected mean spend per transaction of each customer (x, z̄) with
    /// its covariates (Gamma-Gamma).
    fn expected_spend<'py>(
        &self,
        py: Python<'py>,
        numeric: Numeric<'py>,
        categorical: Categorical,
        frequency: PyReadonlyArray1<'py, u32>,
        monetary: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let Inner::Spend(f) = &self.0 else {
            return Err(not_for("the expected mean spend", self.label()));
        };
        let (x, m) = (frequency.as_slice()?, monetary.as_slice()?);
        let covs = table(x.len(), &numeric, &categorical)?;
        let out = py.detach(|| f.expected_mean_spend(&covs, x, m)).py_err()?;
        Ok(out.into_pyarray(py))
    }

    /// Survival S(t) and retention rate r(t), t = 0..=periods, of each
    /// row's cohort (sBG): two lists per row.
    fn sbg_curves(
        &self,
        py: Python<'_>,
        rows: usize,
        numeric: Numeric<'_>,
        categorical: Categorical,
        periods: u32,
    ) -> PyResult<Vec<(Vec<f64>, Vec<f64>)>> {
        let Inner::Sbg(f) = &self.0 else {
            return Err(not_for("the survival curve", self.label()));
        };
        let covs = table(rows, &numeric, &categorical)?;
        let own = py.detach(|| f.customer_params(&covs)).py_err()?;
        Ok(own
            .iter()
            .map(|p| {
                let s = (0..=periods).map(|t| p.survival(t)).collect();
                let r = (0..=periods)
                    .map(|t| {
                        if t == 0 {
                            f64::NAN
                        } else {
                            p.retention_rate(t)
                        }
                    })
                    .collect();
                (s, r)
            })
            .collect())
    }

    /// Discounted expected residual lifetime after `renewals` renewals of
    /// each row's cohort (sBG).
    fn sbg_derl<'py>(
        &self,
        py: Python<'py>,
        rows: usize,
        numeric: Numeric<'py>,
        categorical: Categorical,
        discount: f64,
        renewals: u32,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let Inner::Sbg(f) = &self.0 else {
            return Err(not_for("the DERL", self.label()));
        };
        let covs = table(rows, &numeric, &categorical)?;
        let out = py.detach(|| f.derl(&covs, discount, renewals)).py_err()?;
        Ok(out.into_pyarray(py))
    }
}

impl CovariateFit {
    fn label(&self) -> &'static str {
        match self.0 {
            Inner::Pareto(_) => "Pareto/NBD",
            Inner::BgNbd(_) => "BG/NBD",
            Inner::Mbg(_) => "MBG/NBD",
            Inner::Spend(_) => "Gamma-Gamma",
            Inner::Sbg(_) => "sBG",
        }
    }
}
