//! The Gamma-Gamma model of spend per transaction.
//!
//! A customer's transaction values are gamma(p, ν) with a customer-specific
//! scale ν ~ gamma(q, γ) across customers; spend is independent of the
//! purchase process (so it combines with BG/NBD or Pareto/NBD for CLV). For
//! a customer with x repeat transactions of mean value z̄:
//!
//! $$ f(\bar z \mid p, q, \gamma; x) = \frac{\Gamma(px + q)}{\Gamma(px)\\,\Gamma(q)}
//!    \frac{\gamma^q\\, \bar z^{\\,px - 1}\\, x^{px}}{(\gamma + x \bar z)^{px + q}} $$
//!
//! $$ E[M \mid p, q, \gamma; \bar z, x] = \frac{p\\,(\gamma + x \bar z)}{px + q - 1}
//!    = \frac{q - 1}{px + q - 1} \frac{p \gamma}{q - 1} + \frac{px}{px + q - 1} \bar z $$
//! (a weighted mean of the population mean pγ/(q − 1) and the customer's own mean).
//!
//! Source: Fader, P. S. & Hardie, B. G. S. (2013), "The Gamma-Gamma Model of
//! Monetary Value", brucehardie.com note 025, equations (5) and (6); Fader,
//! P. S., Hardie, B. G. S. & Lee, K. L. (2005), "RFM and CLV: Using
//! Iso-Value Curves for Customer Base Analysis", Journal of Marketing
//! Research 42(4), 415–430.

use crate::error::{invalid_arg, Error, Result};
use crate::models::check_positive;
use crate::models::data::Distinct;
use crate::optim::{boundary_status, fit_positive, Fit, FitOptions};
use crate::special::{digamma, ln_gamma};
use crate::summary::{CompressedSpend, Summary};

/// Parameters of the Gamma-Gamma model.
///
/// Deserialization checks the parameters as [`GammaGammaParams::new`] does.
///
/// # Examples
/// ```
/// use retentionkit::models::gamma_gamma::GammaGammaParams;
/// let gg = GammaGammaParams::new(6.25, 3.74, 15.44)?; // FHL 2005, CDNOW
/// assert_eq!(serde_json::to_string(&gg).unwrap(), r#"{"p":6.25,"q":3.74,"gamma":15.44}"#);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "GammaGammaParamsRaw"))]
pub struct GammaGammaParams {
    /// Shape of the gamma distribution of transaction values.
    pub p: f64,
    /// Shape of the gamma distribution of the scale ν across customers.
    pub q: f64,
    /// Scale of the gamma distribution of ν, in money units.
    pub gamma: f64,
}

checked_serde!(GammaGammaParams by new, GammaGammaParamsRaw {
    p: f64,
    q: f64,
    gamma: f64,
});

/// |r| above which [`SpendData::spend_correlation_warning`] warns that
/// the Gamma-Gamma independence assumption fails: 0.3, Cohen's (1988)
/// "medium" correlation (Statistical Power Analysis for the Behavioral
/// Sciences, 2nd ed., section 3.2), three times the 0.11 that Fader, Hardie
/// & Lee (2005) judged small enough on CDNOW. Source: docs/metrics.md,
/// "Choosing a model".
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::models::gamma_gamma::SPEND_CORRELATION_THRESHOLD, 0.3);
/// ```
pub const SPEND_CORRELATION_THRESHOLD: f64 = 0.3;

/// Validated (x, z̄, weight) rows: repeat transactions and their mean value.
///
/// # Examples
/// ```
/// use retentionkit::{models::gamma_gamma::SpendData, summary::{summary, SummaryOptions}, TransactionLog};
/// // Customer 1: repeat days 7 and 21 spending 20 and 40; customer 2: one repeat day of 12;
/// // customer 3 never came back.
/// let log = TransactionLog::new(&[1, 1, 1, 2, 2, 3], &[0, 7, 21, 3, 9, 14], Some(&[10.0, 20.0, 40.0, 5.0, 12.0, 5.0]))?;
/// let data = SpendData::from_summary(&summary(&log, &SummaryOptions::default())?)?;
/// assert_eq!((data.len(), data.excluded()), (2, 1)); // customers 1 and 2; 3 left out, and counted
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SpendData {
    x: Vec<f64>,
    mean: Vec<f64>,
    weight: Vec<f64>,
    excluded: usize,
    /// The distinct x and each row's index among them: what the
    /// likelihood computes once per x ([`ll_and_gradient`]).
    x_values: Distinct,
    /// ln z̄ of each row (it does not depend on the parameters).
    ln_mean: Vec<f64>,
}

impl SpendData {
    /// Check spend columns: `frequency` (x ≥ 1 repeat transactions), their
    /// mean value `monetary` (finite, > 0) and optional weights.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::LengthMismatch`], and
    /// [`Error::InvalidValue`] naming the first row with x = 0 (no repeat
    /// transaction, no information on spend) or a mean value that is not
    /// finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::gamma_gamma::SpendData;
    /// let err = SpendData::new(&[2, 0], &[30.0, 0.0], None).unwrap_err();
    /// assert_eq!(err.to_string(), "column `frequency`, row 1: a customer needs at least one repeat transaction (x = 0)");
    /// ```
    pub fn new(frequency: &[u32], monetary: &[f64], weights: Option<&[u64]>) -> Result<Self> {
        let n = frequency.len();
        if n == 0 {
            return Err(Error::Empty { what: "spend data" });
        }
        for (column, len) in [("monetary", monetary.len())]
            .into_iter()
            .chain(weights.map(|w| ("weight", w.len())))
        {
            if len != n {
                return Err(Error::LengthMismatch {
                    column,
                    expected: n,
                    got: len,
                });
            }
        }
        if let Some(row) = frequency.iter().position(|&x| x == 0) {
            return Err(Error::InvalidValue {
                column: "frequency",
                row,
                reason: "a customer needs at least one repeat transaction (x = 0)".into(),
            });
        }
        if let Some(row) = monetary.iter().position(|m| !(m.is_finite() && *m > 0.0)) {
            return Err(Error::InvalidValue {
                column: "monetary",
                row,
                reason: format!("mean value {} must be finite and positive", monetary[row]),
            });
        }
        let weight = crate::models::data::checked_weights(weights, n)?;
        Ok(Self::built(
            frequency.iter().map(|&x| f64::from(x)).collect(),
            monetary.to_vec(),
            weight,
            0,
        ))
    }

    /// Checked columns with what the likelihood caches of them.
    fn built(x: Vec<f64>, mean: Vec<f64>, weight: Vec<f64>, excluded: usize) -> Self {
        Self {
            x_values: Distinct::new(&x),
            ln_mean: mean.iter().map(|z| z.ln()).collect(),
            x,
            mean,
            weight,
            excluded,
        }
    }

    /// The customers of a BTYD summary with at least one repeat purchase day
    /// and a positive mean repeat spend; the others carry no information on
    /// spend and are counted in [`SpendData::excluded`], not dropped silently.
    ///
    /// # Errors
    /// [`Error::MissingColumn`] when the summary has no amounts;
    /// [`Error::InvalidArgument`] when no customer qualifies.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::gamma_gamma::SpendData, summary::{summary, SummaryOptions}, TransactionLog};
    /// // Customer 1: repeat days 7 and 21 spending 20 and 40; customer 2: one repeat day of 12;
    /// // customer 3 never came back.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 2, 3], &[0, 7, 21, 3, 9, 14], Some(&[10.0, 20.0, 40.0, 5.0, 12.0, 5.0]))?;
    /// let data = SpendData::from_summary(&summary(&log, &SummaryOptions::default())?)?;
    /// assert_eq!(data.len(), 2);
    /// // A summary without amounts cannot feed the spend model.
    /// let bare = TransactionLog::new(&[1, 1], &[0, 7], None)?;
    /// assert!(SpendData::from_summary(&summary(&bare, &SummaryOptions::default())?).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_summary(summary: &Summary) -> Result<Self> {
        let m = summary.monetary_for("the Gamma-Gamma spend model")?;
        let (mut x, mut mean) = (Vec::new(), Vec::new());
        for (&f, &v) in summary.frequency.iter().zip(m) {
            if f > 0 && v > 0.0 {
                x.push(f);
                mean.push(v);
            }
        }
        if x.is_empty() {
            return Err(invalid_arg(
                "summary",
                "no customer has a repeat purchase with a positive amount",
            ));
        }
        let mut data = Self::new(&x, &mean, None)?;
        data.excluded = summary.len() - x.len();
        Ok(data)
    }

    /// The rows of a compressed spend table ([`Summary::compress_spend`])
    /// with at least one repeat purchase day and a positive mean repeat
    /// spend, weighted by their counts: the customers of
    /// [`SpendData::from_summary`], grouped. The customers of the other
    /// rows are counted in [`SpendData::excluded`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when no customer qualifies.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::gamma_gamma::SpendData;
    /// use retentionkit::summary::{summary, SummaryOptions};
    /// use retentionkit::TransactionLog;
    /// // Customers 1 and 2 buy on days 0 and 5 for 10 then 30; customer 3 once.
    /// let log = TransactionLog::new(&[1, 2, 1, 2, 3], &[0, 0, 5, 5, 2], Some(&[10.0, 10.0, 30.0, 30.0, 8.0]))?;
    /// let table = summary(&log, &SummaryOptions::default())?.compress_spend()?;
    /// let data = SpendData::from_compressed(&table)?;
    /// assert_eq!((data.len(), data.excluded()), (1, 1)); // one row (x = 1, m = 30) of 2; customer 3
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_compressed(table: &CompressedSpend) -> Result<Self> {
        let (mut x, mut mean, mut weight) = (Vec::new(), Vec::new(), Vec::new());
        let mut excluded = 0u64;
        for ((&f, &v), &n) in table
            .frequency
            .iter()
            .zip(&table.monetary_value)
            .zip(&table.count)
        {
            if f > 0 && v > 0.0 {
                x.push(f);
                mean.push(v);
                weight.push(n);
            } else {
                excluded += n;
            }
        }
        if x.is_empty() {
            return Err(invalid_arg(
                "summary",
                "no customer has a repeat purchase with a positive amount",
            ));
        }
        let mut data = Self::new(&x, &mean, Some(&weight))?;
        data.excluded = usize::try_from(excluded).unwrap_or(usize::MAX); // ok: customers of one log fit in usize
        Ok(data)
    }

    /// Number of rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::gamma_gamma::SpendData, summary::{summary, SummaryOptions}, TransactionLog};
    /// // Customer 1: repeat days 7 and 21 spending 20 and 40; customer 2: one repeat day of 12;
    /// // customer 3 never came back.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 2, 3], &[0, 7, 21, 3, 9, 14], Some(&[10.0, 20.0, 40.0, 5.0, 12.0, 5.0]))?;
    /// let data = SpendData::from_summary(&summary(&log, &SummaryOptions::default())?)?;
    /// assert_eq!(data.len(), 2); // rows
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Always `false`: the data hold at least one row.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::gamma_gamma::SpendData, summary::{summary, SummaryOptions}, TransactionLog};
    /// // Customer 1: repeat days 7 and 21 spending 20 and 40; customer 2: one repeat day of 12;
    /// // customer 3 never came back.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 2, 3], &[0, 7, 21, 3, 9, 14], Some(&[10.0, 20.0, 40.0, 5.0, 12.0, 5.0]))?;
    /// let data = SpendData::from_summary(&summary(&log, &SummaryOptions::default())?)?;
    /// assert!(!data.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Customers of the summary left out by [`SpendData::from_summary`] or
    /// [`SpendData::from_compressed`] (no repeat purchase, or a mean repeat
    /// spend of 0).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::gamma_gamma::SpendData, summary::{summary, SummaryOptions}, TransactionLog};
    /// // Customer 1: repeat days 7 and 21 spending 20 and 40; customer 2: one repeat day of 12;
    /// // customer 3 never came back.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 2, 3], &[0, 7, 21, 3, 9, 14], Some(&[10.0, 20.0, 40.0, 5.0, 12.0, 5.0]))?;
    /// let data = SpendData::from_summary(&summary(&log, &SummaryOptions::default())?)?;
    /// assert_eq!(data.excluded(), 1); // customer 3, no repeat purchase
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn excluded(&self) -> usize {
        self.excluded
    }

    /// The correlation between repeat transactions x and mean spend z̄
    /// across the customers (rows weighted by their counts), which the
    /// Gamma-Gamma model assumes to be 0; `None` when x or z̄ does not vary
    /// (the correlation is not defined).
    ///
    /// # Formula
    /// Pearson's r with weights $w_i$:
    /// $$ r = \frac{\sum w_i (x_i - \bar x)(\bar z_i - \bar{\bar z})}
    ///    {\sqrt{\sum w_i (x_i - \bar x)^2 \sum w_i (\bar z_i - \bar{\bar z})^2}} $$
    /// Source: Fader, Hardie & Lee (2005), "RFM and CLV", section "The
    /// Spend Model" (0.11 on CDNOW's 946 repeat buyers); docs/metrics.md,
    /// "Choosing a model".
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::gamma_gamma::SpendData;
    /// // x = 1, 2, 3 with z̄ = 10, 30, 20: deviations (−1, 0, 1) and
    /// // (−10, 10, 0), so r = 10 / √(2 · 200) = 0.5.
    /// let d = SpendData::new(&[1, 2, 3], &[10.0, 30.0, 20.0], None)?;
    /// assert!((d.frequency_spend_correlation().unwrap() - 0.5).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn frequency_spend_correlation(&self) -> Option<f64> {
        let w: f64 = self.weight.iter().sum();
        let mean = |v: &[f64]| v.iter().zip(&self.weight).map(|(a, w)| a * w).sum::<f64>() / w;
        let (mx, mz) = (mean(&self.x), mean(&self.mean));
        let (mut sxz, mut sxx, mut szz) = (0.0, 0.0, 0.0);
        for ((x, z), w) in self.x.iter().zip(&self.mean).zip(&self.weight) {
            let (dx, dz) = (x - mx, z - mz);
            sxz += w * dx * dz;
            sxx += w * dx * dx;
            szz += w * dz * dz;
        }
        let r = sxz / (sxx * szz).sqrt();
        r.is_finite().then_some(r.clamp(-1.0, 1.0))
    }

    /// The warning every front-end shows when the
    /// [`frequency_spend_correlation`](Self::frequency_spend_correlation)
    /// is above [`SPEND_CORRELATION_THRESHOLD`] in absolute value, or
    /// `None`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::gamma_gamma::SpendData;
    /// // Spend rises with frequency: r = 1.
    /// let d = SpendData::new(&[1, 2, 3], &[10.0, 20.0, 30.0], None)?;
    /// assert!(d.spend_correlation_warning().unwrap().contains("1.00"));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn spend_correlation_warning(&self) -> Option<String> {
        let r = self.frequency_spend_correlation()?;
        (r.abs() > SPEND_CORRELATION_THRESHOLD).then(|| {
            format!(
                "the correlation between repeat transactions and mean spend is {r:.2}, beyond \
                 ±{SPEND_CORRELATION_THRESHOLD}: the Gamma-Gamma model assumes spend independent \
                 of frequency, so its expected spend and CLV are biased; model spend by segment \
                 or use a model with dependence"
            )
        })
    }

    /// The rows `rows`, in that order, with their weights (the customers
    /// of one covariate group of [`crate::models::covariates`]); none
    /// counted as excluded. `rows` is not empty and every index is below
    /// [`SpendData::len`].
    pub(crate) fn subset(&self, rows: &[usize]) -> Self {
        let pick = |c: &[f64]| rows.iter().map(|&i| c[i]).collect::<Vec<f64>>();
        Self::built(pick(&self.x), pick(&self.mean), pick(&self.weight), 0)
    }

    /// Customers: the sum of the weights.
    pub(crate) fn customers(&self) -> f64 {
        self.weight.iter().sum()
    }

    /// The weight of each row.
    #[cfg(feature = "simulate")]
    pub(crate) fn weights(&self) -> &[f64] {
        &self.weight
    }

    /// The same rows with other weights (a bootstrap's resample, one
    /// finite weight ≥ 0 per row); `None` when no customer is left.
    #[cfg(feature = "simulate")]
    pub(crate) fn with_weights(&self, weight: Vec<f64>) -> Option<Self> {
        (weight.len() == self.x.len() && weight.iter().sum::<f64>() > 0.0).then(|| Self {
            x: self.x.clone(),
            mean: self.mean.clone(),
            weight,
            excluded: self.excluded,
            x_values: self.x_values.clone(),
            ln_mean: self.ln_mean.clone(),
        })
    }

    /// The weighted mean of the customers' mean spend: the data's currency
    /// scale, against which [`crate::optim::boundary_status`] judges v.
    pub(crate) fn mean_spend(&self) -> f64 {
        let (sum, w) = self
            .mean
            .iter()
            .zip(&self.weight)
            .fold((0.0, 0.0), |(s, n), (z, w)| (s + z * w, n + w));
        sum / w
    }
}

impl GammaGammaParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless all are finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::gamma_gamma::GammaGammaParams;
    /// assert!(GammaGammaParams::new(6.25, 3.74, 15.44).is_ok());
    /// assert!(GammaGammaParams::new(6.25, 0.0, 15.44).is_err()); // q must be positive
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(p: f64, q: f64, gamma: f64) -> Result<Self> {
        check_positive(p, "p")?;
        check_positive(q, "q")?;
        check_positive(gamma, "gamma")?;
        Ok(Self { p, q, gamma })
    }

    /// The log-likelihood Σ weight · ln f(z̄ | p, q, γ; x) (module doc).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
    /// use retentionkit::optim::FitOptions;
    /// let data = SpendData::new(&[1, 2, 3, 1, 4, 2], &[12.0, 30.0, 22.0, 8.0, 41.0, 18.0], None)?;
    /// let fit = fit_gamma_gamma(&data, &FitOptions::default())?;
    /// // The maximum-likelihood estimates fit the data at least as well as CDNOW's.
    /// let cdnow = GammaGammaParams::new(6.25, 3.74, 15.44)?;
    /// assert!(fit.params.log_likelihood(&data) >= cdnow.log_likelihood(&data));
    /// assert_eq!(fit.params.log_likelihood(&data), fit.log_likelihood);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log_likelihood(&self, data: &SpendData) -> f64 {
        ll_and_gradient(self, data).0
    }

    /// Expected mean transaction value of a customer with `frequency` (x)
    /// repeat transactions of mean value `monetary` (z̄), module doc; with
    /// x = 0 it is the population mean pγ / (q − 1).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `monetary` is not finite and
    /// non-negative, or when px + q ≤ 1 (for x = 0: q ≤ 1), where the mean
    /// does not exist; naming `gamma` when the mean is beyond the largest
    /// f64.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::gamma_gamma::GammaGammaParams;
    /// // p = 6.25, q = 3.74, γ = 15.44 (FHL 2005): a customer with 2 repeat
    /// // purchases averaging 20: 6.25 (15.44 + 40) / (12.5 + 2.74) = 22.74.
    /// let gg = GammaGammaParams::new(6.25, 3.74, 15.44)?;
    /// assert!((gg.expected_mean_spend(2, 20.0)? - 6.25 * 55.44 / 15.24).abs() < 1e-12);
    /// // x = 0: the population mean p γ / (q − 1) = 35.22.
    /// assert!((gg.expected_mean_spend(0, 0.0)? - 6.25 * 15.44 / 2.74).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_mean_spend(&self, frequency: u32, monetary: f64) -> Result<f64> {
        crate::error::check_non_negative(monetary, "monetary")?;
        let x = f64::from(frequency);
        let Self { p, q, gamma } = *self;
        let den = p * x + q - 1.0;
        if den <= 0.0 {
            return Err(invalid_arg(
                "q",
                format!("the mean spend needs p x + q > 1, got {}", den + 1.0),
            ));
        }
        // E = p(γ + x z̄)/(px + q − 1) (module doc, Fader & Hardie 2013
        // eq. 6) with numerator and denominator divided by p: γ/w + z̄ x/w,
        // w = x + (q − 1)/p, so neither pγ nor p x z̄ is formed (they
        // overflowed at p = 7.6e143, γ = 3.9e199 while E is 6.7e113).
        let w = x + (q - 1.0) / p;
        let v = if w.is_nan() || w <= 0.0 {
            return Err(invalid_arg(
                "q",
                format!("the mean spend needs p x + q > 1, got {}", den + 1.0),
            ));
        } else if w.is_finite() {
            gamma / w + monetary * (x / w)
        } else {
            // (q − 1)/p overflowed, so q > 1 and p/(q − 1) < 1/f64::MAX:
            // each term in log space, e^{ln γ + ln p − ln(q − 1)}.
            let ln_pq = p.ln() - (q - 1.0).ln();
            let spend = if x > 0.0 && monetary > 0.0 {
                (monetary.ln() + x.ln() + ln_pq).exp()
            } else {
                0.0
            };
            (gamma.ln() + ln_pq).exp() + spend
        };
        if v.is_finite() {
            Ok(v)
        } else {
            Err(invalid_arg(
                "gamma",
                format!("the expected mean spend p (γ + x z̄)/(p x + q − 1) is beyond the largest f64 at p = {p}, q = {q}, γ = {gamma}"),
            ))
        }
    }
}

/// What a likelihood row needs of its x (see [`ll_and_gradient`]).
struct SpendPerX {
    lg_pq: f64,
    lg_px: f64,
    dg_pq: f64,
    dg_px: f64,
    ln_x: f64,
}

/// LL and its gradient in (p, q, γ).
///
/// The ln Γ and ψ of p x and p x + q, and ln x, are computed once per
/// distinct x, ln z̄ once per row when the data are built; a row then
/// costs one `ln`. Each row's terms are the same operations on the same
/// values as computing them row by row.
fn ll_and_gradient(k: &GammaGammaParams, d: &SpendData) -> (f64, [f64; 3]) {
    let GammaGammaParams { p, q, gamma } = *k;
    let (lg_q, dg_q, ln_g) = (ln_gamma(q), digamma(q), gamma.ln());
    let per_x: Vec<SpendPerX> = d
        .x_values
        .values
        .iter()
        .map(|&x| {
            let px = p * x;
            SpendPerX {
                lg_pq: ln_gamma(px + q),
                lg_px: ln_gamma(px),
                dg_pq: digamma(px + q),
                dg_px: digamma(px),
                ln_x: x.ln(),
            }
        })
        .collect();
    let (mut ll, mut g) = (0.0, [0.0; 3]);
    for i in 0..d.x.len() {
        let (x, z, w) = (d.x[i], d.mean[i], d.weight[i]);
        let k = &per_x[d.x_values.index[i] as usize];
        let ln_z = d.ln_mean[i];
        let (px, s) = (p * x, gamma + x * z);
        let ln_s = s.ln();
        ll += w
            * (k.lg_pq - k.lg_px - lg_q + q * ln_g + (px - 1.0) * ln_z + px * k.ln_x
                - (px + q) * ln_s);
        g[0] += w * x * (k.dg_pq - k.dg_px + ln_z + k.ln_x - ln_s);
        g[1] += w * (k.dg_pq - dg_q + ln_g - ln_s);
        g[2] += w * (q / gamma - (px + q) / s);
    }
    (ll, g)
}

/// LL and its gradient in (p, q, γ) as the optimiser takes them.
pub(crate) fn log_likelihood_fn(
    data: &SpendData,
) -> impl Fn(&[f64]) -> Option<(f64, Vec<f64>)> + Sync + '_ {
    move |v: &[f64]| {
        let (ll, g) = ll_and_gradient(&from_values(v), data);
        Some((ll, g.to_vec()))
    }
}

fn from_values(v: &[f64]) -> GammaGammaParams {
    GammaGammaParams {
        p: v[0],
        q: v[1],
        gamma: v[2],
    }
}

/// The fit's starts: from the moments, the mean spend sets γ for p = q = 2.
pub(crate) fn starts(data: &SpendData) -> [Vec<f64>; 4] {
    let mean = data
        .mean
        .iter()
        .zip(&data.weight)
        .map(|(m, w)| m * w)
        .sum::<f64>()
        / data.customers();
    [
        [2.0, 2.0, mean / 2.0],
        [1.0, 1.0, 1.0],
        [10.0, 5.0, mean],
        [0.5, 3.0, mean * 4.0],
    ]
    .map(|s| s.to_vec())
}

/// The fit's status: [`FitStatus::AtBoundary`](crate::optim::FitStatus)
/// when p or q, or γ against the mean spend, ran off to a limit.
pub(crate) fn status(
    search: crate::optim::FitStatus,
    params: &GammaGammaParams,
    data: &SpendData,
) -> crate::optim::FitStatus {
    boundary_status(
        search,
        &[params.p, params.q],
        &[(params.gamma, data.mean_spend())],
    )
}

/// Fit the Gamma-Gamma model by maximum likelihood.
///
/// # Errors
/// [`Error::InvalidArgument`] for a negative or non-finite
/// `options.penalizer`. A fit that does not converge is not an error: see
/// [`Fit::status`].
///
/// # Examples
/// ```
/// use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
/// use retentionkit::optim::FitOptions;
/// let data = SpendData::new(&[1, 2, 5, 3], &[20.0, 35.0, 28.0, 60.0], None)?;
/// let fit = fit_gamma_gamma(&data, &FitOptions::default())?;
/// let other = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// assert!(fit.log_likelihood >= other.log_likelihood(&data));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[allow(clippy::cast_precision_loss)] // ok: weights below 2^53
pub fn fit_gamma_gamma(data: &SpendData, options: &FitOptions) -> Result<Fit<GammaGammaParams>> {
    let ll = log_likelihood_fn(data);
    let f = fit_positive(&ll, data.customers(), &starts(data), options)?;
    let params = from_values(&f.params);
    Ok(Fit {
        params,
        standard_errors: f.standard_errors.as_deref().map(from_values),
        log_likelihood: params.log_likelihood(data),
        parameters: f.params.len(),
        observations: f.customers,
        iterations: f.iterations,
        status: status(f.status, &params, data),
    })
}

#[cfg(test)]
mod tests;
