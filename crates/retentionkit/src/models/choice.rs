//! Choosing a model: information criteria on every [`Fit`], the
//! likelihood-ratio test of nested models, and the [`scorecard`] that fits
//! several repeat-purchase models on one calibration/holdout split.
//!
//! Source: docs/metrics.md, "Choosing a model".
//!
//! ```
//! use retentionkit::models::bg_nbd::fit_bg_nbd;
//! use retentionkit::models::RepeatData;
//! use retentionkit::optim::FitOptions;
//! let data = RepeatData::new(&[0, 2, 5, 1], &[0.0, 20.0, 35.0, 5.0], &[40.0, 38.0, 39.0, 30.0], None)?;
//! let fit = fit_bg_nbd(&data, &FitOptions::default())?;
//! // The fit counted its four parameters and the four customers it saw.
//! let ic = fit.criteria();
//! assert_eq!((ic.parameters, ic.observations), (4, 4.0));
//! assert_eq!(ic.aic, 8.0 - 2.0 * fit.log_likelihood);
//! # Ok::<(), retentionkit::Error>(())
//! ```

use crate::error::{invalid_arg, Result};
use crate::models::check::{FrequencyRow, HoldoutCheck};
use crate::models::repeat::{fit_repeat, RepeatKind, RepeatModel, RepeatParams};
use crate::models::RepeatData;
use crate::optim::{Fit, FitOptions, FitStatus};
use crate::special::chi2_sf;
use crate::summary::CalibrationHoldout;

/// A fit's log-likelihood, its number of free parameters k and of
/// observations n, and the criteria built from them (smaller is better).
///
/// # Formula
/// $$ \mathrm{AIC} = 2k - 2\\,\mathrm{LL}, \qquad \mathrm{BIC} = k \ln n - 2\\,\mathrm{LL} $$
/// Source: Akaike (1974), "A new look at the statistical model
/// identification", IEEE TAC 19(6); Schwarz (1978), "Estimating the
/// dimension of a model", Annals of Statistics 6(2); docs/metrics.md,
/// "Choosing a model".
///
/// # Examples
/// ```
/// use retentionkit::models::choice::InformationCriteria;
/// // LL = −100 with k = 4 parameters on n = 1,000 customers.
/// let c = InformationCriteria::new(-100.0, 4, 1_000.0);
/// assert_eq!(c.aic, 208.0); // 2·4 + 200
/// assert!((c.bic - (4.0 * 1_000f64.ln() + 200.0)).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InformationCriteria {
    /// The log-likelihood LL at the estimates.
    pub log_likelihood: f64,
    /// Free parameters k.
    pub parameters: usize,
    /// Observations n: customers, weights counted (see [`Fit::observations`]).
    pub observations: f64,
    /// Akaike's information criterion, 2k − 2 LL.
    pub aic: f64,
    /// Schwarz's Bayesian information criterion, k ln n − 2 LL.
    pub bic: f64,
}

impl InformationCriteria {
    /// The criteria of a log-likelihood with `parameters` free parameters
    /// on `observations` customers (for example typed-in parameters, k = 0,
    /// as the restricted model of [`likelihood_ratio_test`]).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::choice::InformationCriteria;
    /// // Typed-in parameters: nothing estimated, k = 0, AIC = BIC = −2 LL.
    /// let c = InformationCriteria::new(-50.0, 0, 300.0);
    /// assert_eq!((c.aic, c.bic), (100.0, 100.0));
    /// ```
    #[allow(clippy::cast_precision_loss)] // ok: a handful of parameters
    pub fn new(log_likelihood: f64, parameters: usize, observations: f64) -> Self {
        let k = parameters as f64;
        Self {
            log_likelihood,
            parameters,
            observations,
            aic: 2.0 * k - 2.0 * log_likelihood,
            bic: k * observations.ln() - 2.0 * log_likelihood,
        }
    }
}

impl<P> Fit<P> {
    /// LL, k, n, AIC and BIC of this fit, n the customers it saw (see
    /// [`InformationCriteria`]).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{bg_nbd::fit_bg_nbd, RepeatData};
    /// use retentionkit::optim::FitOptions;
    /// let data = RepeatData::new(&[2, 0, 1, 4, 0, 1], &[30.0, 0.0, 12.0, 35.0, 0.0, 5.0], &[38.0, 20.0, 30.0, 39.0, 10.0, 25.0], None)?;
    /// let fit = fit_bg_nbd(&data, &FitOptions::default())?;
    /// let c = fit.criteria();
    /// assert_eq!((c.parameters, c.observations), (4, 6.0));
    /// assert_eq!(c.log_likelihood, fit.log_likelihood);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn criteria(&self) -> InformationCriteria {
        InformationCriteria::new(self.log_likelihood, self.parameters, self.observations)
    }

    /// Akaike's information criterion 2k − 2 LL of this fit.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{bg_nbd::fit_bg_nbd, RepeatData};
    /// use retentionkit::optim::FitOptions;
    /// let data = RepeatData::new(&[2, 0, 1, 4, 0, 1], &[30.0, 0.0, 12.0, 35.0, 0.0, 5.0], &[38.0, 20.0, 30.0, 39.0, 10.0, 25.0], None)?;
    /// let fit = fit_bg_nbd(&data, &FitOptions::default())?;
    /// assert_eq!(fit.aic(), 2.0 * 4.0 - 2.0 * fit.log_likelihood);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn aic(&self) -> f64 {
        self.criteria().aic
    }

    /// Schwarz's Bayesian information criterion k ln n − 2 LL of this fit.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{bg_nbd::fit_bg_nbd, RepeatData};
    /// use retentionkit::optim::FitOptions;
    /// let data = RepeatData::new(&[2, 0, 1, 4, 0, 1], &[30.0, 0.0, 12.0, 35.0, 0.0, 5.0], &[38.0, 20.0, 30.0, 39.0, 10.0, 25.0], None)?;
    /// let fit = fit_bg_nbd(&data, &FitOptions::default())?;
    /// assert_eq!(fit.bic(), 4.0 * 6f64.ln() - 2.0 * fit.log_likelihood);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn bic(&self) -> f64 {
        self.criteria().bic
    }
}

/// The result of [`likelihood_ratio_test`].
///
/// # Examples
/// ```
/// use retentionkit::models::choice::{likelihood_ratio_test, InformationCriteria};
/// // LL −100 with 4 parameters against −103 with 3, on the same 1,000 customers.
/// let t = likelihood_ratio_test(&InformationCriteria::new(-100.0, 4, 1e3), &InformationCriteria::new(-103.0, 3, 1e3), false)?;
/// assert_eq!((t.statistic, t.degrees_of_freedom), (6.0, 1));
/// // P(χ²₁ ≥ 6) = erfc(√3) = 0.014306 (any χ² table).
/// assert!((t.p_value - 0.014306).abs() < 1e-6);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LikelihoodRatio {
    /// 2 (LL_full − LL_restricted), floored at 0.
    pub statistic: f64,
    /// Degrees of freedom: k_full − k_restricted.
    pub degrees_of_freedom: usize,
    /// P(statistic or more | the restricted model holds): from χ² with
    /// `degrees_of_freedom`, or the 50:50 mixture of χ² with one degree
    /// less and χ² with `degrees_of_freedom` when `boundary`.
    pub p_value: f64,
    /// Whether one restricted parameter lies on the boundary of the full
    /// model's parameter space (Self & Liang 1987).
    pub boundary: bool,
}

/// The likelihood-ratio test of a restricted model nested in a full one,
/// from their log-likelihoods and numbers of free parameters.
///
/// # Formula
/// $$ \Lambda = 2(\mathrm{LL}_1 - \mathrm{LL}_0), \quad d = k_1 - k_0, \quad
///    p = P(\chi^2_d \ge \Lambda) $$
/// (Wilks 1938, "The large-sample distribution of the likelihood ratio for
/// testing composite hypotheses", Annals of Mathematical Statistics 9(1)).
/// When one restricted parameter sits on the boundary of the full model's
/// space (a shape or rate at 0), Λ follows the 50:50 mixture of χ² with
/// d − 1 and d degrees of freedom instead
/// (Self & Liang 1987, JASA 82(398), case 5), χ² with 0 degrees of freedom
/// being the point mass at 0:
/// $$ p = \tfrac12 P(\chi^2_{d-1} \ge \Lambda) + \tfrac12 P(\chi^2_d \ge \Lambda) $$
/// Source: docs/metrics.md, "Choosing a model".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when a
/// log-likelihood is not finite, when `k_full ≤ k_restricted` (not a nested
/// pair), or when the full model's LL is below the restricted one's by more
/// than 10⁻⁶ |LL| (the full fit did not reach its maximum, or the models
/// are not nested).
///
/// # Examples
/// ```
/// use retentionkit::models::choice::likelihood_ratio;
/// // Λ = 2 (−100 + 101.920729) = 3.841459: the 5 % point of χ²₁ (scipy.stats.chi2.ppf(0.95, 1)).
/// let t = likelihood_ratio(-100.0, 3, -101.920_729_41, 2, false)?;
/// assert_eq!(t.degrees_of_freedom, 1);
/// assert!((t.p_value - 0.05).abs() < 1e-7);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn likelihood_ratio(
    ll_full: f64,
    k_full: usize,
    ll_restricted: f64,
    k_restricted: usize,
    boundary: bool,
) -> Result<LikelihoodRatio> {
    if !(ll_full.is_finite() && ll_restricted.is_finite()) {
        return Err(invalid_arg(
            "log_likelihood",
            format!("log-likelihoods {ll_full} and {ll_restricted} must be finite"),
        ));
    }
    if k_full <= k_restricted {
        return Err(invalid_arg(
            "parameters",
            format!(
                "the full model has {k_full} free parameters, not more than the restricted \
                 model's {k_restricted}: not a nested pair"
            ),
        ));
    }
    let statistic = 2.0 * (ll_full - ll_restricted);
    if statistic < -2e-6 * ll_full.abs().max(1.0) {
        return Err(invalid_arg(
            "log_likelihood",
            format!(
                "the full model's log-likelihood {ll_full} is below the restricted model's \
                 {ll_restricted}: the full fit did not reach its maximum, or the models are \
                 not nested"
            ),
        ));
    }
    let statistic = statistic.max(0.0);
    let d = k_full - k_restricted;
    #[allow(clippy::cast_precision_loss)] // ok: a handful of parameters
    let sf = |df: usize| {
        if df == 0 {
            // χ²₀ is the point mass at 0.
            if statistic > 0.0 {
                0.0
            } else {
                1.0
            }
        } else {
            chi2_sf(statistic, df as f64)
        }
    };
    let p_value = if boundary {
        0.5 * sf(d - 1) + 0.5 * sf(d)
    } else {
        sf(d)
    };
    Ok(LikelihoodRatio {
        statistic,
        degrees_of_freedom: d,
        p_value,
        boundary,
    })
}

/// [`likelihood_ratio`] of two fits on the same data, from their
/// [`Fit::criteria`].
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when the fits
/// saw different numbers of customers (they cannot be nested on one data
/// set), and those of [`likelihood_ratio`].
///
/// # Examples
/// ```
/// use retentionkit::models::choice::{likelihood_ratio_test, InformationCriteria};
/// let (full, restricted) = (InformationCriteria::new(-100.0, 4, 1e3), InformationCriteria::new(-103.0, 3, 1e3));
/// // A restricted parameter on the boundary (a variance at 0): the 50:50 mixture
/// // of χ²₀ and χ²₁ halves the p-value, 0.014306 / 2.
/// let t = likelihood_ratio_test(&full, &restricted, true)?;
/// assert!((t.p_value - 0.007153).abs() < 1e-6);
/// // Fits on different data cannot be compared.
/// assert!(likelihood_ratio_test(&full, &InformationCriteria::new(-103.0, 3, 999.0), false).is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn likelihood_ratio_test(
    full: &InformationCriteria,
    restricted: &InformationCriteria,
    boundary: bool,
) -> Result<LikelihoodRatio> {
    if (full.observations - restricted.observations).abs() > 1e-9 * full.observations.max(1.0) {
        return Err(invalid_arg(
            "observations",
            format!(
                "the fits saw {} and {} customers: a likelihood-ratio test needs one data set",
                full.observations, restricted.observations
            ),
        ));
    }
    likelihood_ratio(
        full.log_likelihood,
        full.parameters,
        restricted.log_likelihood,
        restricted.parameters,
        boundary,
    )
}

/// The models a [`scorecard`] fits unless told otherwise: BG/NBD, MBG/NBD
/// and Pareto/NBD.
///
/// # Examples
/// ```
/// use retentionkit::models::{choice::SCORECARD_MODELS, repeat::RepeatKind};
/// assert_eq!(SCORECARD_MODELS, [RepeatKind::BgNbd, RepeatKind::MbgNbd, RepeatKind::ParetoNbd]);
/// ```
pub const SCORECARD_MODELS: [RepeatKind; 3] =
    [RepeatKind::BgNbd, RepeatKind::MbgNbd, RepeatKind::ParetoNbd];

/// How [`scorecard`] picks its best model, for reports to show.
///
/// # Examples
/// ```
/// assert!(retentionkit::models::choice::BEST_MODEL_RULE.starts_with("lowest BIC"));
/// ```
pub const BEST_MODEL_RULE: &str = "lowest BIC among the fits that converged \
     (ties: the first listed); the holdout errors are shown to check it, not used to choose";

/// One model's line of a [`Scorecard`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScorecardRow {
    /// The model.
    pub model: RepeatKind,
    /// How its fit ended.
    pub status: FitStatus,
    /// Its estimates on the calibration period.
    pub params: RepeatParams,
    /// LL, k, n, AIC and BIC of the calibration fit.
    pub criteria: InformationCriteria,
    /// Holdout mean absolute error per customer (see
    /// [`HoldoutCheck`]).
    pub mae: f64,
    /// Holdout root mean squared error per customer.
    pub rmse: f64,
    /// Holdout mean predicted − actual purchases per customer.
    pub bias: f64,
    /// Mean actual and predicted holdout purchases by calibration frequency.
    pub by_frequency: Vec<FrequencyRow>,
}

/// Several repeat-purchase models fitted and checked on one
/// calibration/holdout split.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Scorecard {
    /// One row per model, in the order asked for.
    pub rows: Vec<ScorecardRow>,
    /// The best model by [`BEST_MODEL_RULE`]; `None` when no fit converged.
    pub best: Option<RepeatKind>,
}

impl Scorecard {
    /// The row of the best model, if any.
    pub fn best_row(&self) -> Option<&ScorecardRow> {
        self.best
            .and_then(|b| self.rows.iter().find(|r| r.model == b))
    }
}

/// Fit each of `models` (in the split's time unit) on the calibration
/// period of `split` and check it on the holdout: status, parameters, LL,
/// k, n, AIC, BIC, and the holdout MAE, RMSE and bias overall and by
/// calibration frequency (from
/// [`HoldoutCheck`]); the best model by
/// [`BEST_MODEL_RULE`].
///
/// Source: docs/metrics.md, "Choosing a model".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an empty
/// or repeated list of models; [`Error::Empty`](crate::Error::Empty) for a
/// calibration period without customers; the fits' errors.
///
/// # Examples
/// ```
/// use retentionkit::models::choice::{scorecard, SCORECARD_MODELS};
/// use retentionkit::optim::FitOptions;
/// use retentionkit::summary::{calibration_holdout, TimeUnit};
/// use retentionkit::TransactionLog;
/// let log = TransactionLog::new(
///     &[1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 5],
///     &[0, 9, 20, 3, 50, 7, 1, 8, 15, 44, 2],
///     None,
/// )?;
/// let split = calibration_holdout(&log, 30, Some(60), TimeUnit::Days)?;
/// let card = scorecard(&split, &SCORECARD_MODELS, &FitOptions::default())?;
/// assert_eq!(card.rows.len(), 3);
/// assert!(card.rows.iter().all(|r| r.criteria.observations == 5.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn scorecard(
    split: &CalibrationHoldout,
    models: &[RepeatKind],
    options: &FitOptions,
) -> Result<Scorecard> {
    let cal = &split.calibration;
    scorecard_columns(
        &HoldoutColumns {
            frequency: &cal.frequency,
            recency: &cal.recency(),
            age: &cal.age(),
            frequency_holdout: &split.frequency_holdout,
            duration_holdout: split.duration_holdout,
        },
        models,
        options,
    )
}

/// `known` is a fit of one of `models` on `data`: the same customers, and
/// its log-likelihood is its parameters' on these rows.
fn check_known(known: &Fit<RepeatParams>, models: &[RepeatKind], data: &RepeatData) -> Result<()> {
    let kind = known.params.kind();
    if !models.contains(&kind) {
        return Err(invalid_arg(
            "known",
            format!("is a {} fit, not one of the models", kind.label()),
        ));
    }
    let (n, ll) = (data.customers(), known.params.log_likelihood(data));
    let differs = (known.log_likelihood - ll).abs() > 1e-9 * ll.abs().max(1.0);
    if known.observations != n || differs {
        return Err(invalid_arg(
            "known",
            format!(
                "is not a fit on this calibration period: {} customers with log-likelihood {}, \
                 where these rows have {n} customers and log-likelihood {ll} at its parameters",
                known.observations, known.log_likelihood
            ),
        ));
    }
    Ok(())
}

/// A calibration/holdout table as columns, one row per calibration
/// customer (for a table split elsewhere, such as the Python package's
/// calibration/holdout frame).
#[derive(Debug, Clone, Copy)]
pub struct HoldoutColumns<'a> {
    /// Calibration repeat purchases x.
    pub frequency: &'a [u32],
    /// Calibration recency t_x.
    pub recency: &'a [f64],
    /// Calibration age T.
    pub age: &'a [f64],
    /// Holdout purchases.
    pub frequency_holdout: &'a [u32],
    /// Holdout length, in the unit of the other columns.
    pub duration_holdout: f64,
}

/// [`scorecard`] on columns: each model fitted on the grouped calibration
/// rows ([`RepeatData::grouped`]), its expected purchases over
/// `duration_holdout` compared with `frequency_holdout` by
/// [`HoldoutCheck::from_columns`].
///
/// # Errors
/// As [`scorecard`]; [`Error::LengthMismatch`](crate::Error::LengthMismatch)
/// and [`Error::InvalidValue`](crate::Error::InvalidValue) for columns that
/// are not one possible customer per row; a negative or non-finite
/// `duration_holdout`.
pub fn scorecard_columns(
    table: &HoldoutColumns<'_>,
    models: &[RepeatKind],
    options: &FitOptions,
) -> Result<Scorecard> {
    scorecard_inner(table, models, options, None)
}

/// [`scorecard`] with one of the models already fitted on the split's
/// calibration period (a caller that has fitted it for another purpose, as
/// the command line report's holdout check has): `known` stands in for
/// that model's fit instead of fitting it again. Same rows as
/// [`scorecard`] when `known` is the fit [`scorecard`] would make.
///
/// # Errors
/// As [`scorecard`]; [`Error::InvalidArgument`](crate::Error::InvalidArgument)
/// naming `known` when its model is not in `models`, or when it is not a
/// fit on this calibration period: its number of customers differs, or its
/// log-likelihood differs from the one its parameters have on these rows
/// (by more than 10⁻⁹ relative).
///
/// # Examples
/// ```
/// use retentionkit::models::choice::{scorecard, scorecard_with_fit, SCORECARD_MODELS};
/// use retentionkit::models::repeat::{fit_repeat, RepeatKind};
/// use retentionkit::models::RepeatData;
/// use retentionkit::optim::FitOptions;
/// use retentionkit::summary::{calibration_holdout, TimeUnit};
/// use retentionkit::TransactionLog;
/// let log = TransactionLog::new(
///     &[1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 5],
///     &[0, 9, 20, 3, 50, 7, 1, 8, 15, 44, 2],
///     None,
/// )?;
/// let split = calibration_holdout(&log, 30, Some(60), TimeUnit::Days)?;
/// let o = FitOptions::default();
/// let bg = fit_repeat(RepeatKind::BgNbd, &RepeatData::from_summary(&split.calibration)?, &o)?;
/// let card = scorecard_with_fit(&split, &SCORECARD_MODELS, &o, &bg)?;
/// assert_eq!(card, scorecard(&split, &SCORECARD_MODELS, &o)?);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn scorecard_with_fit(
    split: &CalibrationHoldout,
    models: &[RepeatKind],
    options: &FitOptions,
    known: &Fit<RepeatParams>,
) -> Result<Scorecard> {
    let cal = &split.calibration;
    scorecard_inner(
        &HoldoutColumns {
            frequency: &cal.frequency,
            recency: &cal.recency(),
            age: &cal.age(),
            frequency_holdout: &split.frequency_holdout,
            duration_holdout: split.duration_holdout,
        },
        models,
        options,
        Some(known),
    )
}

fn scorecard_inner(
    table: &HoldoutColumns<'_>,
    models: &[RepeatKind],
    options: &FitOptions,
    known: Option<&Fit<RepeatParams>>,
) -> Result<Scorecard> {
    if models.is_empty() {
        return Err(invalid_arg("models", "no model to fit"));
    }
    if let Some((i, m)) = models
        .iter()
        .enumerate()
        .find(|(i, m)| models[..*i].contains(m))
    {
        return Err(invalid_arg(
            "models",
            format!("{} is listed twice (at {i})", m.label()),
        ));
    }
    let t = table;
    if t.frequency.is_empty() {
        return Err(crate::Error::Empty {
            what: "calibration summary",
        });
    }
    crate::error::check_non_negative(t.duration_holdout, "duration_holdout")?;
    crate::error::check_length(
        "frequency_holdout",
        t.frequency.len(),
        t.frequency_holdout.len(),
    )?;
    let data = RepeatData::grouped(t.frequency, t.recency, t.age, None)?;
    if let Some(k) = known {
        check_known(k, models, &data)?;
    }
    let rows = crate::log::par_map(models.to_vec(), |kind| -> Result<ScorecardRow> {
        let fit = match known {
            Some(k) if k.params.kind() == kind => k.clone(),
            _ => fit_repeat(kind, &data, options)?,
        };
        let predicted =
            fit.params
                .predict_columns(t.frequency, t.recency, t.age, t.duration_holdout)?;
        let check = HoldoutCheck::from_columns(
            predicted.expected_purchases,
            t.frequency_holdout,
            t.frequency,
        )?;
        Ok(ScorecardRow {
            model: kind,
            status: fit.status,
            params: fit.params,
            criteria: fit.criteria(),
            mae: check.mae,
            rmse: check.rmse,
            bias: check.bias,
            by_frequency: check.by_frequency,
        })
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    let best = rows
        .iter()
        .filter(|r| r.status == FitStatus::Converged)
        .fold(None::<&ScorecardRow>, |best, r| match best {
            Some(b) if b.criteria.bic <= r.criteria.bic => Some(b),
            _ => Some(r),
        })
        .map(|r| r.model);
    Ok(Scorecard { rows, best })
}
