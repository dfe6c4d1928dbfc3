//! The shifted-beta-geometric (sBG) model of contractual retention.
//!
//! Each customer renews at the end of every period with a fixed probability
//! 1 − θ and, once lost, never comes back; θ varies across customers as a
//! beta(α, β) distribution. The lifetime T (the period in which a customer
//! churns, T = 1, 2, …) then has
//!
//! $$ P(T = t) = \frac{B(\alpha + 1, \beta + t - 1)}{B(\alpha, \beta)}, \qquad
//!    S(t) = P(T > t) = \frac{B(\alpha, \beta + t)}{B(\alpha, \beta)}, $$
//! computed by the recursions
//! $$ S(0) = 1, \quad S(t) = S(t-1)\\,\frac{\beta + t - 1}{\alpha + \beta + t - 1}, \quad
//!    P(T = t) = S(t-1)\\,\frac{\alpha}{\alpha + \beta + t - 1}. $$
//!
//! Source: Fader, P. S. & Hardie, B. G. S. (2007), "How to Project Customer
//! Retention", Journal of Interactive Marketing 21(1), 76–90, equations (1)
//! to (7); the discounted expected residual lifetime from Fader, P. S. &
//! Hardie, B. G. S. (2010), "Customer-Base Valuation in a Contractual
//! Setting: The Perils of Ignoring Heterogeneity", Marketing Science 29(1),
//! 85–93, equation (6).

use crate::error::{invalid_arg, Result};
use crate::models::check_positive;
use crate::optim::{boundary_status, fit_positive, Fit, FitOptions};

/// Parameters of the sBG model: θ ~ beta(α, β).
///
/// Deserialization checks the parameters as [`SbgParams::new`] does.
///
/// # Examples
/// ```
/// use retentionkit::models::sbg::SbgParams;
/// // α = β = 1: the churn probability θ is uniform, S(t) = 1 / (t + 1).
/// let p = SbgParams::new(1.0, 1.0)?;
/// assert!((p.survival(1) - 0.5).abs() < 1e-15);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "SbgParamsRaw"))]
pub struct SbgParams {
    /// α > 0.
    pub alpha: f64,
    /// β > 0.
    pub beta: f64,
}

checked_serde!(SbgParams by new, SbgParamsRaw {
    alpha: f64,
    beta: f64,
});

/// Survivors at the start of periods 0, 1, …, n of one cohort: the data an
/// sBG model is fitted on.
///
/// # Examples
/// ```
/// use retentionkit::models::sbg::SbgData;
/// // The first years of Fader & Hardie's (2007) "regular" cohort.
/// let d = SbgData::from_survivors(&[1000, 631, 468, 382, 326])?;
/// assert_eq!(d.survivors()[1], 631);
/// assert!(SbgData::from_survivors(&[100, 120, 90]).is_err()); // survivors cannot grow
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SbgData {
    survivors: Vec<u64>,
}

impl SbgData {
    /// Check survivor counts: `survivors[0]` customers at the start, then
    /// how many are still customers after each period.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) (argument
    /// `survivors`) when there are fewer than three counts (two periods: one
    /// period cannot tell α from β), the first count is 0, a count exceeds
    /// the one before it, or the counts cannot identify the model: nobody
    /// churned (the fit would drive α to 0) or everybody churned in the
    /// first period (β to 0).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgData;
    /// assert!(SbgData::from_survivors(&[1000, 631, 468]).is_ok());
    /// let err = SbgData::from_survivors(&[1000, 631, 700]).unwrap_err();
    /// assert_eq!(err.to_string(), "argument `survivors`: 700 survivors after period 2 exceed the 631 after period 1");
    /// ```
    pub fn from_survivors(survivors: &[u64]) -> Result<Self> {
        let bad = |reason: String| Err(invalid_arg("survivors", reason));
        if survivors.len() < 3 {
            return bad(format!(
                "need the start count and at least two periods, got {} counts",
                survivors.len()
            ));
        }
        if survivors[0] == 0 {
            return bad("the start count is 0".into());
        }
        for (t, w) in survivors.windows(2).enumerate() {
            if w[1] > w[0] {
                return bad(format!(
                    "{} survivors after period {} exceed the {} after period {t}",
                    w[1],
                    t + 1,
                    w[0]
                ));
            }
        }
        let last = survivors[survivors.len() - 1];
        if last == survivors[0] {
            return bad("nobody churned, so the churn distribution cannot be estimated".into());
        }
        if survivors[1] == 0 {
            return bad(
                "everybody churned in the first period, so the model cannot be identified".into(),
            );
        }
        Ok(Self {
            survivors: survivors.to_vec(),
        })
    }

    /// The survivor counts.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgData;
    /// assert_eq!(SbgData::from_survivors(&[100, 50, 30])?.survivors(), &[100, 50, 30]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn survivors(&self) -> &[u64] {
        &self.survivors
    }
}

/// Several cohorts' survivor counts (each as in [`SbgData`], checked
/// together, see [`SbgCohorts::from_survivors`]): the rows of an
/// sBG fit with covariates ([`crate::models::covariates::fit_sbg`]), one
/// covariate row per cohort (a segment, an acquisition channel, a plan).
/// The cohorts may be observed for different numbers of periods.
///
/// # Examples
/// ```
/// use retentionkit::models::sbg::SbgCohorts;
/// // Fader & Hardie's (2007) "regular" and "high end" cohorts, years 0..4.
/// let c = SbgCohorts::from_survivors(&[vec![1000, 631, 468, 382, 326], vec![1000, 869, 743, 653, 593]])?;
/// assert_eq!((c.len(), c.customers()), (2, 2000.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SbgCohorts {
    cohorts: Vec<Vec<u64>>,
}

impl SbgCohorts {
    /// Cohorts from their survivor counts: each cohort its start count
    /// (> 0) and at least one period, its counts never growing. The rules
    /// of [`SbgData::from_survivors`] that make one cohort identify the
    /// model apply to the cohorts together: at least one cohort has two
    /// periods or more, somebody churned, and somebody survived the first
    /// period. A young cohort observed for one period, or a small one where
    /// nobody churned, is fine with the others.
    ///
    /// # Errors
    /// [`Error::Empty`](crate::Error::Empty) for no cohort;
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) (argument
    /// `survivors`) for a bad cohort, naming its index, or cohorts that
    /// together break one of the rules above.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgCohorts;
    /// let err = SbgCohorts::from_survivors(&[vec![100, 50, 30], vec![100, 120, 90]]).unwrap_err();
    /// assert!(err.to_string().contains("cohort 1"));
    /// // A cohort of one period and one where nobody churned, with a full one.
    /// assert!(SbgCohorts::from_survivors(&[vec![100, 50, 30], vec![80, 60], vec![10, 10, 10]]).is_ok());
    /// ```
    pub fn from_survivors<S: AsRef<[u64]>>(cohorts: &[S]) -> Result<Self> {
        if cohorts.is_empty() {
            return Err(crate::Error::Empty { what: "cohorts" });
        }
        let bad = |reason: String| Err(invalid_arg("survivors", reason));
        for (i, s) in cohorts.iter().enumerate() {
            let s = s.as_ref();
            if s.len() < 2 {
                return bad(format!(
                    "cohort {i}: need the start count and at least one period, got {} counts",
                    s.len()
                ));
            }
            if s[0] == 0 {
                return bad(format!("cohort {i}: the start count is 0"));
            }
            for (t, w) in s.windows(2).enumerate() {
                if w[1] > w[0] {
                    return bad(format!(
                        "cohort {i}: {} survivors after period {} exceed the {} after period {t}",
                        w[1],
                        t + 1,
                        w[0]
                    ));
                }
            }
        }
        let all = || cohorts.iter().map(AsRef::as_ref);
        if all().all(|s| s.len() < 3) {
            return bad("no cohort has two periods: one period cannot tell α from β".into());
        }
        if all().all(|s| s[s.len() - 1] == s[0]) {
            return bad(
                "nobody churned in any cohort, so the churn distribution cannot be estimated"
                    .into(),
            );
        }
        if all().all(|s| s[1] == 0) {
            return bad(
                "everybody churned in the first period of every cohort, so the model cannot be identified"
                    .into(),
            );
        }
        Ok(Self {
            cohorts: all().map(<[u64]>::to_vec).collect(),
        })
    }

    /// Number of cohorts.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgCohorts;
    /// assert_eq!(SbgCohorts::from_survivors(&[[100, 50, 30]])?.len(), 1);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.cohorts.len()
    }

    /// Always `false`: there is at least one cohort.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgCohorts;
    /// assert!(!SbgCohorts::from_survivors(&[[100, 50, 30]])?.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cohorts.is_empty()
    }

    /// The survivor counts of cohort `i`, or `None` beyond the last.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgCohorts;
    /// let c = SbgCohorts::from_survivors(&[[100, 50, 30]])?;
    /// assert_eq!(c.survivors(0), Some(&[100, 50, 30][..]));
    /// assert_eq!(c.survivors(1), None);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn survivors(&self, i: usize) -> Option<&[u64]> {
        self.cohorts.get(i).map(Vec::as_slice)
    }

    /// Customers at the start, summed over the cohorts.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgCohorts;
    /// assert_eq!(SbgCohorts::from_survivors(&[[100, 50, 30], [40, 20, 10]])?.customers(), 140.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
    pub fn customers(&self) -> f64 {
        self.cohorts.iter().map(|c| c[0] as f64).sum()
    }

    /// The cohorts `rows`, in that order.
    pub(crate) fn subset(&self, rows: &[usize]) -> Self {
        Self {
            cohorts: rows.iter().map(|&i| self.cohorts[i].clone()).collect(),
        }
    }
}

/// LL and its gradient in (α, β) of all `cohorts` (the sum of
/// [`SbgParams::log_likelihood`] over them), as the optimiser takes them.
pub(crate) fn log_likelihood_fn(
    cohorts: &SbgCohorts,
) -> impl Fn(&[f64]) -> Option<(f64, Vec<f64>)> + Sync + '_ {
    move |v: &[f64]| {
        let (mut ll, mut g) = (0.0, vec![0.0; 2]);
        for c in &cohorts.cohorts {
            let (l, d) = ll_and_gradient(v[0], v[1], c);
            ll += l;
            g[0] += d[0];
            g[1] += d[1];
        }
        Some((ll, g))
    }
}

/// The starts of the fit, (α, β).
pub(crate) const STARTS: [[f64; 2]; 5] =
    [[1.0, 1.0], [0.5, 2.0], [2.0, 0.5], [0.1, 0.1], [10.0, 10.0]];

impl SbgParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) unless both
    /// are finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgParams;
    /// assert!(SbgParams::new(0.704, 1.182).is_ok()); // FH 2007, regular cohort
    /// assert!(SbgParams::new(0.0, 1.0).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(alpha: f64, beta: f64) -> Result<Self> {
        check_positive(alpha, "alpha")?;
        check_positive(beta, "beta")?;
        Ok(Self { alpha, beta })
    }

    /// S(t), the share of a cohort still customers after `t` periods.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgParams;
    /// // α = β = 1 (θ uniform): S(t) = 1 / (t + 1).
    /// let p = SbgParams::new(1.0, 1.0)?;
    /// assert!((p.survival(3) - 0.25).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn survival(&self, t: u32) -> f64 {
        self.ln_survival(t).exp()
    }

    /// ln S(t) = Σ_{i<t} ln((β + i)/(α + β + i)) = −Σ_{i<t} ln(1 + α/(β + i))
    /// (the recursion of the module doc), each term as one `ln_1p`: no
    /// α + β to overflow near `f64::MAX`, and no (β + 1) − 1 to lose a
    /// subnormal β. The first [`EXACT_TERMS`] terms are added one by one;
    /// the rest, if S has not underflowed by then, by [`ln_survival_tail`].
    fn ln_survival(&self, t: u32) -> f64 {
        let (a, b) = (self.alpha, self.beta);
        let head = t.min(EXACT_TERMS);
        let mut ln_s = 0.0f64;
        for i in 0..head {
            ln_s -= (a / (b + f64::from(i))).ln_1p();
        }
        // Below −746, S(t) and every later S are 0 in f64 (e^−745.2 is the
        // smallest subnormal), and the remaining terms only lower ln S.
        if head == t || ln_s < -746.0 {
            return ln_s;
        }
        ln_s - ln_survival_tail(a, b + f64::from(head), f64::from(t - head))
    }

    /// P(T = t), the share of a cohort lost in period `t` (t ≥ 1; 0 for t = 0).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgParams;
    /// // α = β = 1: P(T = t) = S(t − 1) − S(t) = 1 / (t (t + 1)).
    /// let p = SbgParams::new(1.0, 1.0)?;
    /// assert!((p.churn_probability(1) - 0.5).abs() < 1e-15);
    /// assert!((p.churn_probability(2) - 1.0 / 6.0).abs() < 1e-15);
    /// assert_eq!(p.churn_probability(0), 0.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn churn_probability(&self, t: u32) -> f64 {
        if t == 0 {
            return 0.0;
        }
        let (a, b) = (self.alpha, self.beta);
        // ln(α/(α + β + t − 1)) = −ln(1 + (β + t − 1)/α): no α + β to
        // overflow, and t − 1 added to β whole (see `ln_survival`).
        (self.ln_survival(t - 1) - ((b + f64::from(t - 1)) / a).ln_1p()).exp()
    }

    /// The retention rate of period `t` (t ≥ 1), r(t) = S(t) / S(t − 1) =
    /// (β + t − 1) / (α + β + t − 1): it rises with `t` as the customers most
    /// likely to leave are lost first (Fader & Hardie 2007, eq. 8).
    ///
    /// Evaluated as 1 / (1 + α / (β + t − 1)) with t − 1 added to β whole:
    /// (β + 1) − 1 is 0 for a subnormal β, which made 0/0 = NaN, and α + β
    /// can overflow near `f64::MAX`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgParams;
    /// // α = β = 1: r(t) = t / (t + 1), rising with tenure.
    /// let p = SbgParams::new(1.0, 1.0)?;
    /// assert!((p.retention_rate(1) - 0.5).abs() < 1e-15);
    /// assert!((p.retention_rate(3) - 0.75).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn retention_rate(&self, t: u32) -> f64 {
        let past = f64::from(t.max(1) - 1);
        1.0 / (1.0 + self.alpha / (self.beta + past))
    }

    /// Discounted expected residual lifetime of a customer who has made
    /// `renewals` renewals (n − 1 in the paper's notation), counted in
    /// periods just before the next renewal decision:
    ///
    /// $$ \mathrm{DERL} = \sum_{k \ge 0} \frac{P(T > n + k \mid T > n - 1)}{(1 + d)^k}
    ///    = \frac{\beta + n - 1}{\alpha + \beta + n - 1}\\;
    ///      {}_2F_1\\!\left(1, \beta + n; \alpha + \beta + n; \tfrac{1}{1 + d}\right) $$
    /// (Fader & Hardie 2010, eq. 6). Multiply by the margin per period for
    /// the residual value of the customer.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when
    /// `discount` is not finite and positive, or so small that the series
    /// does not converge within 10⁶ terms.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::SbgParams;
    /// // α = β = 1, a new customer (0 renewals), d = 100 %: z = 1/2 and
    /// // Σₖ zᵏ / (k + 2) = (−ln(1 − z) − z) / z² = 4 (ln 2 − 1/2) = 0.77259.
    /// let derl = SbgParams::new(1.0, 1.0)?.derl(1.0, 0)?;
    /// assert!((derl - 4.0 * (2f64.ln() - 0.5)).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn derl(&self, discount: f64, renewals: u32) -> Result<f64> {
        check_positive(discount, "discount")?;
        let z = 1.0 / (1.0 + discount);
        // n − 1 = renewals, added to β whole (see `retention_rate`).
        let past = f64::from(renewals);
        let (a, b) = (self.alpha, self.beta);
        // 2F1(1, b'; c'; z) = Σ_k (b')_k / (c')_k z^k with b' = β + n and
        // c' = α + β + n, each term the previous times
        // z (b' + k) / (c' + k) = z / (1 + α / (b' + k)), all positive.
        let bp = b + (past + 1.0);
        let (mut term, mut sum) = (1.0f64, 1.0f64);
        for k in 0..1_000_000u32 {
            let k = f64::from(k);
            term *= z / (1.0 + a / (bp + k));
            sum += term;
            if term <= sum * 1e-17 {
                return Ok(sum / (1.0 + a / (b + past)));
            }
        }
        Err(invalid_arg(
            "discount",
            format!("{discount} is too small: the DERL series does not converge in 10^6 terms"),
        ))
    }

    /// The log-likelihood of survivor counts s₀ … sₙ:
    /// $$ LL = \sum_{t=1}^{n} (s_{t-1} - s_t) \ln P(T = t) + s_n \ln S(n) $$
    /// (Fader & Hardie 2007, eq. 5).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::sbg::{SbgData, SbgParams};
    /// let p = SbgParams::new(1.0, 1.0)?;
    /// let d = SbgData::from_survivors(&[100, 50, 30])?;
    /// // 50 lost in period 1 (P = 1/2), 20 in period 2 (P = 1/6), 30 survive (S(2) = 1/3).
    /// let by_hand = 50.0 * 0.5f64.ln() + 20.0 * (1.0f64 / 6.0).ln() + 30.0 * (1.0f64 / 3.0).ln();
    /// assert!((p.log_likelihood(&d) - by_hand).abs() < 1e-9);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log_likelihood(&self, data: &SbgData) -> f64 {
        ll_and_gradient(self.alpha, self.beta, &data.survivors).0
    }
}

/// Terms of ln S(t) added one by one before [`ln_survival_tail`] takes the
/// rest.
const EXACT_TERMS: u32 = 10_000;

/// Σ_{i=0}^{k−1} ln(1 + α/(y₁ + i)) for y₁ ≥ [`EXACT_TERMS`] and α/y₁ ≤
/// 0.08 (what `ln_survival` guarantees: otherwise its first terms already
/// took ln S below −746), in O(1) instead of k steps (k reaches 4.3e9).
///
/// # Formula
/// Euler–Maclaurin (DLMF 2.10.1) with f(u) = ln(1 + α/(y₁ + u)):
/// $$ \sum_{i=0}^{k-1} f(i) = \int_0^k f + \frac{f(0) - f(k)}{2} + \frac{f'(k) - f'(0)}{12} + R, $$
/// |R| below max|f‴| ≈ 2α/y₁⁴ ≤ 2e-17 here; the integral term by term
/// from ln(1 + q) = Σ_j (−1)^{j+1} q^j/j (q = α/y ≤ 0.08), with
/// y₂ = y₁ + k, q₁ = α/y₁ and ρ = y₁/y₂:
/// $$ \int_{y_1}^{y_2} \ln(1 + \alpha/y)\\,dy = \alpha \ln\frac{y_2}{y_1} +
///    \alpha \sum_{j \ge 2} \frac{(-1)^{j+1} q_1^{j-1} (1 - \rho^{j-1})}{j (j - 1)}. $$
/// Every piece is a small number computed without cancellation (ln y₂/y₁ as
/// `ln_1p(k/y₁)`, 1 − ρ^{j−1} as `−expm1`), so ln S keeps its relative
/// accuracy where the difference ln Γ(β + t) − ln Γ(α + β + t) of the
/// closed form S(t) = B(α, β + t)/B(α, β) would cancel.
fn ln_survival_tail(a: f64, y1: f64, k: f64) -> f64 {
    let q1 = a / y1;
    let ln_ratio = (k / y1).ln_1p();
    let mut integral = a * ln_ratio;
    let mut power = 1.0f64; // q₁^{j−1}
    for j in 2..60u32 {
        let jf = f64::from(j);
        power *= q1;
        let term = a * power * -(-(jf - 1.0) * ln_ratio).exp_m1() / (jf * (jf - 1.0));
        integral += if j % 2 == 0 { -term } else { term };
        if term.abs() <= 1e-18 * integral.abs() {
            break;
        }
    }
    let y2 = y1 + k;
    let f = |y: f64| (a / y).ln_1p();
    // f'(u) = −α/(y (y + α)) = −q/(y (1 + q)) with q = α/y.
    let df = |y: f64| {
        let q = a / y;
        -q / (y * (1.0 + q))
    };
    integral + (f(y1) - f(y2)) / 2.0 + (df(y2) - df(y1)) / 12.0
}

/// LL and its gradient in (α, β), by the recursions of the module doc and
/// their derivatives.
#[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
fn ll_and_gradient(a: f64, b: f64, s: &[u64]) -> (f64, [f64; 2]) {
    let (mut ln_s, mut ds_a, mut ds_b) = (0.0, 0.0, 0.0); // ln S(t − 1) and its derivatives
    let (mut ll, mut ga, mut gb) = (0.0, 0.0, 0.0);
    for t in 1..s.len() {
        let lost = (s[t - 1] - s[t]) as f64;
        let c = a + b + t as f64 - 1.0;
        if lost > 0.0 {
            ll += lost * (ln_s + a.ln() - c.ln());
            ga += lost * (ds_a + 1.0 / a - 1.0 / c);
            gb += lost * (ds_b - 1.0 / c);
        }
        let bt = b + t as f64 - 1.0;
        ln_s += bt.ln() - c.ln();
        ds_a -= 1.0 / c;
        ds_b += 1.0 / bt - 1.0 / c;
    }
    let kept = s[s.len() - 1] as f64;
    (ll + kept * ln_s, [ga + kept * ds_a, gb + kept * ds_b])
}

/// Fit the sBG model to a cohort's survivor counts by maximum likelihood.
///
/// The search runs on (ln α, ln β) from α = β = 1, then from other starts
/// if the first does not converge; see [`crate::optim`].
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a negative
/// or non-finite `options.penalizer`. A fit that does not converge is not an
/// error: see [`Fit::status`].
///
/// # Examples
/// ```
/// use retentionkit::models::sbg::{fit_sbg, SbgData};
/// use retentionkit::optim::{FitOptions, FitStatus};
/// // Fader & Hardie (2007), table 1, "Regular" customers, years 0..7.
/// let data = SbgData::from_survivors(&[1000, 631, 468, 382, 326, 289, 262, 241])?;
/// let fit = fit_sbg(&data, &FitOptions::default())?;
/// assert_eq!(fit.status, FitStatus::Converged);
/// // Published: α = 0.704, β = 1.182.
/// assert_eq!((fit.params.alpha * 1e3).round(), 704.0);
/// assert_eq!((fit.params.beta * 1e3).round(), 1182.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
pub fn fit_sbg(data: &SbgData, options: &FitOptions) -> Result<Fit<SbgParams>> {
    let s = &data.survivors;
    let ll = |v: &[f64]| {
        let (ll, g) = ll_and_gradient(v[0], v[1], s);
        Some((ll, g.to_vec()))
    };
    let starts = STARTS.map(|s| s.to_vec());
    let f = fit_positive(&ll, s[0] as f64, &starts, options)?;
    let from = |v: &[f64]| SbgParams {
        alpha: v[0],
        beta: v[1],
    };
    let params = from(&f.params);
    Ok(Fit {
        params,
        standard_errors: f.standard_errors.as_deref().map(from),
        log_likelihood: params.log_likelihood(data),
        parameters: f.params.len(),
        observations: f.customers,
        iterations: f.iterations,
        status: boundary_status(f.status, &[params.alpha, params.beta], &[]),
    })
}

#[cfg(test)]
mod tests;
