//! The regularity models BG/CNBD-k and MBG/CNBD-k (Platzer & Reutterer
//! 2016; Reutterer, Platzer & Schröder 2021): the BG/NBD and MBG/NBD with
//! Erlang-k instead of exponential inter-purchase times.
//!
//! While alive, a customer's inter-purchase times are independent
//! Erlang-k(λ) (gamma with integer shape k and rate λ; mean k/λ), λ ~
//! gamma(r, α) across customers; after each repeat purchase (BG/CNBD-k) or
//! after every purchase, the first included (MBG/CNBD-k), they drop out
//! with probability p ~ beta(a, b). k = 1 is the BG/NBD (MBG/NBD); larger k
//! is more regular timing. Write k₀ = 0 for BG/CNBD-k and 1 for MBG/CNBD-k.
//!
//! For a customer with x repeat purchases, the last at t_x, age T and
//! Σ ln(inter-purchase times) = litt (BTYDplus's column of that name,
//! [`crate::regularity::log_intertransaction_times`]), R = r + kx and s = T −
//! t_x (the BG/CNBD-k likelihood of Platzer & Reutterer 2016 and the
//! MBG/CNBD-k one of Reutterer, Platzer & Schröder 2021; the equation
//! numbers were not checked here. Derived again from the assumptions below
//! and checked term by term against BTYDplus 1.2's `xbgcnbd.LL`, which has
//! the same form):
//!
//! $$ L = \frac{e^{(k-1)\\,\mathrm{litt}}}{((k-1)!)^x}
//!        \frac{B(a, b + x + k_0)}{B(a, b)}
//!        \frac{\Gamma(R)\\,\alpha^r}{\Gamma(r)}
//!        \left[\sum_{i=0}^{k-1} \frac{s^i}{i!}\frac{\Gamma(R + i)}{\Gamma(R)} (\alpha + T)^{-(R + i)}
//!        + \delta_{x + k_0 > 0} \frac{a}{b + x + k_0 - 1} (\alpha + t_x)^{-R}\right] $$
//!
//! The sum is P(no purchase in (t_x, T] | λ) = Σᵢ e^{−λs}(λs)ⁱ/i! (the
//! Erlang survival), integrated over λ; the last term is the customer who
//! dropped out at t_x. So the litt term enters the total log-likelihood
//! only through (k − 1) Σ litt, and a fit needs Σ litt over customers, not
//! each customer's.
//!
//! P(alive) is the share of the bracket's first part:
//!
//! $$ P(\text{alive}) = \left[1 + \delta_{x + k_0 > 0} \frac{a}{b + x + k_0 - 1}
//!    \frac{(\alpha + t_x)^{-R}}{\sum_{i} \frac{s^i}{i!}\frac{\Gamma(R+i)}{\Gamma(R)}(\alpha + T)^{-(R+i)}}\right]^{-1}, $$
//!
//! BTYDplus's `xbgcnbd.PAlive` in another arrangement.
//!
//! Expected purchases in (T, T + t] (derived here from the model's
//! assumptions; BTYDplus instead approximates this with the BG/NBD formula
//! at α k and rescales the total, so it differs from this exact value).
//! Given alive at T and the history, the posterior is: p ~ beta(a, b + x +
//! k₀); a latent index i ∈ {0, …, k − 1} with weight πᵢ ∝ the i-th term of
//! the sum above; and given i, λ ~ gamma(R + i, α + T) and the time from T
//! to the next purchase ~ gamma(k − i, λ) (the Erlang residual after s
//! without a purchase is this mixture). The j-th purchase after T then
//! falls by T + t iff a Poisson(λt) count M is at least kj − i, and counts
//! iff the customer survived the j − 1 flips before it, so with cⱼ =
//! E[(1 − p)^{j−1}] = B(a, b + x + k₀ + j − 1)/B(a, b + x + k₀):
//!
//! $$ E[Y(t) \mid \text{alive}] = \sum_i \pi_i \sum_{m \ge 0} P(M_i = m)\\, C\\!\left(\left\lfloor \tfrac{m + i}{k} \right\rfloor\right),
//!    \qquad C(J) = \sum_{j=1}^{J} c_j , $$
//!
//! with M_i negative binomial: P(M_i = m) = Γ(R + i + m)/(Γ(R + i) m!)
//! ((α + T)/(α + T + t))^{R+i} (t/(α + T + t))^m. The series is summed
//! until a geometric bound on its tail is below 1e-16 of the sum.
//! E[Y(t)] = P(alive) E[Y(t) | alive]. A customer just acquired is x = 0,
//! t_x = T = 0 (for MBG/CNBD-k, P(alive) = b/(a + b) after the flip at the
//! first purchase). For k = 1 these are the BG/NBD and MBG/NBD formulas.
//!
//! Sources: Platzer, M. & Reutterer, T. (2016), "Ticking away the moments:
//! timing regularity helps to better predict customer activity", Marketing
//! Science 35(5), 779–799; Reutterer, T., Platzer, M. & Schröder, N.
//! (2021), "Leveraging purchase regularity for predicting customer behavior
//! the easy way", International Journal of Research in Marketing 38(1),
//! 194–215; docs/metrics.md, "Regularity".

use crate::error::{invalid_arg, Result};
use crate::models::bg_nbd::Predictions;
use crate::models::check_positive;
use crate::models::data::{check_customer, checked_weights, RepeatData};
use crate::optim::{boundary_status, fit_positive, Fit, FitOptions, FitStatus};
use crate::special::{digamma, ln_gamma};
use crate::summary::{Summary, SummaryOptions};
use crate::TransactionLog;

/// Which regularity model: where the drop-out chances are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CnbdKind {
    /// BG/CNBD-k: a drop-out chance after each repeat purchase (the BG/NBD
    /// at k = 1).
    BgCnbd,
    /// MBG/CNBD-k: a drop-out chance at the first purchase too (the MBG/NBD
    /// at k = 1).
    MbgCnbd,
}

impl CnbdKind {
    /// The model's name.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::cnbd::CnbdKind;
    /// assert_eq!(CnbdKind::MbgCnbd.label(), "MBG/CNBD-k");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            CnbdKind::BgCnbd => "BG/CNBD-k",
            CnbdKind::MbgCnbd => "MBG/CNBD-k",
        }
    }

    /// k₀: the drop-out chances before the first repeat purchase.
    fn k0(self) -> f64 {
        match self {
            CnbdKind::BgCnbd => 0.0,
            CnbdKind::MbgCnbd => 1.0,
        }
    }
}

/// Parameters of the BG/CNBD-k or MBG/CNBD-k model.
///
/// Deserialization checks the parameters as [`CnbdParams::new`] does.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CnbdParamsRaw"))]
pub struct CnbdParams {
    /// Which model.
    pub kind: CnbdKind,
    /// Erlang shape k ≥ 1 of the inter-purchase times (1: Poisson timing).
    pub k: u32,
    /// Shape of the gamma distribution of the Erlang rates λ.
    pub r: f64,
    /// Scale of the gamma distribution of the Erlang rates λ, in the data's
    /// time unit (the mean inter-purchase time is k/λ).
    pub alpha: f64,
    /// First shape of the beta distribution of drop-out probabilities.
    pub a: f64,
    /// Second shape of the beta distribution of drop-out probabilities.
    pub b: f64,
}

checked_serde!(CnbdParams by new, CnbdParamsRaw {
    kind: CnbdKind,
    k: u32,
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
});

/// The largest k accepted: (k − 1)! and the k-term sums stay exact enough.
pub const MAX_K: u32 = 100;

/// The BG/CNBD-k and MBG/CNBD-k data: repeat-purchase rows (x, t_x, T,
/// weight) and the total over customers of Σ ln(inter-purchase times)
/// (module doc: the likelihood needs only that total).
#[derive(Debug, Clone, PartialEq)]
pub struct RegularityData {
    repeat: RepeatData,
    litt: f64,
}

impl RegularityData {
    /// Check the columns: `frequency`, `recency`, `age` as
    /// [`RepeatData::new`] (grouped as [`RepeatData::grouped`]), and each
    /// customer's `litt` (Σ ln of their inter-purchase times, in the same
    /// time unit): finite, and 0 without repeat purchases. `weights`, when
    /// given, say how many customers share each row (their litt counts that
    /// many times).
    ///
    /// # Errors
    /// As [`RepeatData::new`]; [`Error::LengthMismatch`](crate::Error::LengthMismatch)
    /// for a `litt` of another length;
    /// [`Error::InvalidValue`](crate::Error::InvalidValue) naming `litt` for
    /// a value that is not finite or not 0 with x = 0.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::cnbd::RegularityData;
    /// // Gaps of 2 and 3 weeks; 5 weeks; no repeat purchase.
    /// let litt = [2f64.ln() + 3f64.ln(), 5f64.ln(), 0.0];
    /// let d = RegularityData::new(&[2, 1, 0], &[5.0, 5.0, 0.0], &[10.0, 8.0, 9.0], &litt, None)?;
    /// assert!((d.litt_total() - 30f64.ln()).abs() < 1e-14);
    /// assert!(RegularityData::new(&[0], &[0.0], &[9.0], &[1.0], None).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        litt: &[f64],
        weights: Option<&[u64]>,
    ) -> Result<Self> {
        let repeat = RepeatData::grouped(frequency, recency, age, weights)?;
        crate::error::check_length("litt", frequency.len(), litt.len())?;
        for (row, (&l, &x)) in litt.iter().zip(frequency).enumerate() {
            if !l.is_finite() || (x == 0 && l != 0.0) {
                return Err(crate::Error::InvalidValue {
                    column: "litt",
                    row,
                    reason: format!(
                        "litt {l} must be finite, and 0 without repeat purchases (x = {x})"
                    ),
                });
            }
        }
        let w = checked_weights(weights, frequency.len())?;
        let litt = litt.iter().zip(&w).map(|(l, w)| l * w).sum();
        Ok(Self { repeat, litt })
    }

    /// The data of a transaction log: the [`crate::summary::summary`] with
    /// `options` and each customer's litt
    /// ([`crate::regularity::log_intertransaction_times`]), same-day orders
    /// one purchase.
    ///
    /// # Errors
    /// As [`crate::summary::summary`] and [`RepeatData::from_summary`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::cnbd::RegularityData, summary::SummaryOptions, TransactionLog};
    /// // Customer 1 on days 0, 2 and 5; customer 2 on day 1 only.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 2, 5, 1], None)?;
    /// let d = RegularityData::from_log(&log, &SummaryOptions::default())?;
    /// assert!((d.litt_total() - 6f64.ln()).abs() < 1e-14); // ln 2 + ln 3
    /// assert_eq!(d.repeat().customers(), 2.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_log(log: &TransactionLog<'_>, options: &SummaryOptions) -> Result<Self> {
        let summary = crate::summary::summary(log, options)?;
        let litt = crate::regularity::log_intertransaction_times(log, options)?;
        Self::from_summary(&summary, &litt)
    }

    /// The data of a [`Summary`] and its customers' litt, in its order.
    ///
    /// # Errors
    /// As [`RegularityData::new`].
    pub fn from_summary(summary: &Summary, litt: &[f64]) -> Result<Self> {
        Self::new(
            &summary.frequency,
            &summary.recency(),
            &summary.age(),
            litt,
            None,
        )
    }

    /// Repeat-purchase rows and a litt total given directly (the total of
    /// Σ ln inter-purchase times over all customers, weights counted).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
    /// `litt_total` unless it is finite.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{cnbd::RegularityData, RepeatData};
    /// let rows = RepeatData::new(&[1, 0], &[3.0, 0.0], &[4.0, 4.0], None)?;
    /// let d = RegularityData::from_parts(rows.clone(), 3f64.ln())?;
    /// assert_eq!(d.repeat(), &rows);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_parts(repeat: RepeatData, litt_total: f64) -> Result<Self> {
        if !litt_total.is_finite() {
            return Err(invalid_arg(
                "litt_total",
                format!("{litt_total} must be finite"),
            ));
        }
        Ok(Self {
            repeat,
            litt: litt_total,
        })
    }

    /// The (x, t_x, T) rows.
    pub fn repeat(&self) -> &RepeatData {
        &self.repeat
    }

    /// Σ over customers of Σ ln(inter-purchase times).
    pub fn litt_total(&self) -> f64 {
        self.litt
    }

    /// Σ over customers of x.
    fn total_x(&self) -> f64 {
        let d = &self.repeat;
        d.x.iter().zip(&d.weight).map(|(x, w)| x * w).sum()
    }
}

/// ln of the terms of the likelihood's bracket for one customer (module
/// doc): the k survival terms and the dropped-out term (−∞ when absent).
struct Bracket {
    /// ln of the i-th survival term, i = 0..k.
    alive: Vec<f64>,
    /// ln of the dropped-out term.
    gone: f64,
}

impl Bracket {
    /// P(alive): the survival terms' share of the bracket.
    fn p_alive(&self) -> f64 {
        if self.gone == f64::NEG_INFINITY {
            return 1.0;
        }
        let m = self.alive.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let alive: f64 = self.alive.iter().map(|v| (v - m).exp()).sum();
        // 1 / (1 + e^l), without overflow for large l.
        let l = self.gone - m - alive.ln();
        if l > 0.0 {
            let e = (-l).exp();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + l.exp())
        }
    }
}

impl CnbdParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `k`
    /// unless 1 ≤ k ≤ [`MAX_K`], or naming another parameter unless it is
    /// finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::cnbd::{CnbdKind, CnbdParams};
    /// let p = CnbdParams::new(CnbdKind::MbgCnbd, 3, 0.85, 1.45, 0.79, 2.42)?;
    /// assert_eq!(p.k, 3);
    /// assert!(CnbdParams::new(CnbdKind::BgCnbd, 0, 0.85, 1.45, 0.79, 2.42).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(kind: CnbdKind, k: u32, r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        if !(1..=MAX_K).contains(&k) {
            return Err(invalid_arg(
                "k",
                format!("{k} must be between 1 and {MAX_K}"),
            ));
        }
        check_positive(r, "r")?;
        check_positive(alpha, "alpha")?;
        check_positive(a, "a")?;
        check_positive(b, "b")?;
        Ok(Self {
            kind,
            k,
            r,
            alpha,
            a,
            b,
        })
    }

    fn bracket(&self, x: f64, t_x: f64, t: f64) -> Bracket {
        let mut alive = Vec::with_capacity(self.k as usize);
        let gone = self.bracket_into(&self.steps(x), x, t_x, t, &mut alive);
        Bracket { alive, gone }
    }

    /// ln((R + i − 1)/i) for i = 1..k: the ratios of the bracket's
    /// successive survival terms, apart from s/(α + T).
    fn steps(&self, x: f64) -> Vec<f64> {
        let big_r = self.r + f64::from(self.k) * x;
        (1..self.k)
            .map(|i| {
                let fi = f64::from(i);
                ((big_r + fi - 1.0) / fi).ln()
            })
            .collect()
    }

    /// The bracket's survival terms into `alive` (cleared first) and its
    /// dropped-out term, returned; `steps` from [`CnbdParams::steps`] of x.
    fn bracket_into(&self, steps: &[f64], x: f64, t_x: f64, t: f64, alive: &mut Vec<f64>) -> f64 {
        let Self { r, alpha, a, b, .. } = *self;
        let (k, k0) = (f64::from(self.k), self.kind.k0());
        let big_r = r + k * x;
        let (ln_t, s) = ((alpha + t).ln(), t - t_x);
        alive.clear();
        let mut acc = -big_r * ln_t;
        alive.push(acc);
        if s > 0.0 {
            // × s (R + i − 1) / (i (α + T))
            let ln_ratio = s.ln() - ln_t;
            for step in steps {
                acc += ln_ratio + step;
                alive.push(acc);
            }
        }
        if x + k0 > 0.0 {
            a.ln() - (b + x + k0 - 1.0).ln() - big_r * (alpha + t_x).ln()
        } else {
            f64::NEG_INFINITY
        }
    }

    /// The log-likelihood of the data (module doc), with the litt term.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::cnbd::{CnbdKind, CnbdParams, RegularityData};
    /// // k = 2, r = α = a = b = 1; one customer with x = 1, t_x = 1, T = 2,
    /// // litt = ln 1 = 0; R = r + kx = 3, s = 1. B(1, 2)/B(1, 1) = 1/2;
    /// // Γ(3) α / Γ(1) = 2; bracket 3^−3 + s Γ(4)/Γ(3) 3^−4 + (1/1) 2^−3
    /// // = 1/27 + 1/27 + 1/8, so L = 1/2 × 2 × bracket = 2/27 + 1/8.
    /// let p = CnbdParams::new(CnbdKind::BgCnbd, 2, 1.0, 1.0, 1.0, 1.0)?;
    /// let d = RegularityData::new(&[1], &[1.0], &[2.0], &[0.0], None)?;
    /// let want = (2.0f64 / 27.0 + 0.125).ln();
    /// assert!((p.log_likelihood(&d) - want).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log_likelihood(&self, data: &RegularityData) -> f64 {
        self.ll_and_gradient(data).0
    }

    /// LL and its gradient in (r, α, a, b).
    fn ll_and_gradient(&self, data: &RegularityData) -> (f64, [f64; 4]) {
        let Self { r, alpha, a, b, .. } = *self;
        let (k, k0) = (f64::from(self.k), self.kind.k0());
        let d = &data.repeat;
        let mut ll = (k - 1.0) * data.litt - ln_gamma(k) * data.total_x();
        let mut g = [0.0; 4];
        let (lg_r, lg_ab, lg_b, ln_alpha) = (ln_gamma(r), ln_gamma(a + b), ln_gamma(b), alpha.ln());
        let (dg_r, dg_ab, dg_b) = (digamma(r), digamma(a + b), digamma(b));
        // What depends on x alone, once per distinct x: the ln Γ and ψ terms
        // and the bracket's steps.
        let per_x: Vec<(f64, [f64; 3], Vec<f64>)> = d
            .x_values
            .values
            .iter()
            .map(|&x| {
                let (big_r, bx) = (r + k * x, b + x + k0);
                let dg_abx = digamma(a + bx);
                let common = ln_gamma(bx) - ln_gamma(a + bx) - lg_b + lg_ab + ln_gamma(big_r)
                    - lg_r
                    + r * ln_alpha;
                let dc = [
                    digamma(big_r) - dg_r + ln_alpha,
                    dg_ab - dg_abx,
                    dg_ab + digamma(bx) - dg_b - dg_abx,
                ];
                (common, dc, self.steps(x))
            })
            .collect();
        let mut alive = Vec::with_capacity(self.k as usize);
        for i in 0..d.len() {
            let (x, t_x, t, w) = (d.x[i], d.t_x[i], d.t[i], d.weight[i]);
            let (common, dc, steps) = &per_x[d.x_values.index[i] as usize];
            let big_r = r + k * x;
            let bx = b + x + k0;
            let gone_ln = self.bracket_into(steps, x, t_x, t, &mut alive);
            let m = alive.iter().copied().fold(gone_ln, f64::max);
            for v in &mut alive {
                *v = (*v - m).exp();
            }
            let gone = (gone_ln - m).exp();
            let z: f64 = alive.iter().sum::<f64>() + gone;
            ll += w * (common + m + z.ln());
            let (ln_t, ln_tx) = ((alpha + t).ln(), (alpha + t_x).ln());
            let (mut dr, mut dal) = (0.0, 0.0);
            let mut psi_shift = 0.0; // ψ(R + i) − ψ(R)
            let mut fi = 0.0;
            for (i, wi) in alive.iter().enumerate() {
                if i > 0 {
                    psi_shift += 1.0 / (big_r + fi - 1.0);
                }
                let share = wi / z;
                dr += share * (psi_shift - ln_t);
                dal -= share * (big_r + fi) / (alpha + t);
                fi += 1.0;
            }
            let sg = gone / z;
            dr -= sg * ln_tx;
            dal -= sg * big_r / (alpha + t_x);
            g[0] += w * (dc[0] + dr);
            g[1] += w * (r / alpha + dal);
            g[2] += w * (dc[1] + if sg > 0.0 { sg / a } else { 0.0 });
            g[3] += w * (dc[2] - if sg > 0.0 { sg / (bx - 1.0) } else { 0.0 });
        }
        (ll, g)
    }

    /// Probability that a customer with `frequency` repeat purchases, the
    /// last at `recency`, and age `age` is still alive (module doc). 1 for
    /// x = 0 in BG/CNBD-k.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T), by the rules of [`RepeatData::new`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::cnbd::{CnbdKind, CnbdParams};
    /// // k = 2, r = α = a = b = 1, x = 1, t_x = 1, T = 2 (R = 3, s = 1):
    /// // survival terms 3^−3 + 1 × 3 × 3^−4 = 2/27; dropped out 1 × 2^−3 = 1/8;
    /// // P = (2/27) / (2/27 + 1/8) = 16/43.
    /// let p = CnbdParams::new(CnbdKind::BgCnbd, 2, 1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_alive(1, 1.0, 2.0)? - 16.0 / 43.0).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        Ok(self.bracket(f64::from(frequency), recency, age).p_alive())
    }

    /// Expected number of purchases in the next `horizon` time units of a
    /// customer with (x, t_x, T) = (`frequency`, `recency`, `age`) (module
    /// doc: an exact series, not BTYDplus's approximation).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T), a negative or non-finite `horizon`, or a
    /// series that does not converge in 10⁷ terms (a horizon millions of
    /// times the mean inter-purchase time).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::cnbd::{CnbdKind, CnbdParams};
    /// // k = 2, r = 1, α = 1, a → 0 (nobody drops out): a customer with x = 0
    /// // at T = 0 has λ ~ exponential(1); purchases by t = 1 number
    /// // ⌊M/2⌋ with M ~ Poisson(λ), so P(M = m) = 2^−(m+1) and
    /// // E = Σ_m ⌊m/2⌋ 2^−(m+1) = 1/3.
    /// let p = CnbdParams::new(CnbdKind::BgCnbd, 2, 1.0, 1.0, 1e-12, 1.0)?;
    /// assert!((p.expected_purchases(0, 0.0, 0.0, 1.0)? - 1.0 / 3.0).abs() < 1e-10);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        crate::error::check_non_negative(horizon, "horizon")?;
        if horizon == 0.0 {
            return Ok(0.0);
        }
        let x = f64::from(frequency);
        let br = self.bracket(x, recency, age);
        let alive = br.p_alive();
        let if_alive = self.expected_if_alive(&br, x, age, horizon)?;
        Ok(alive * if_alive)
    }

    /// E[Y(t) | alive] of the module doc.
    fn expected_if_alive(&self, br: &Bracket, x: f64, age: f64, horizon: f64) -> Result<f64> {
        let Self { r, alpha, a, b, .. } = *self;
        let k = f64::from(self.k);
        let bx = b + x + self.kind.k0();
        let big_r = r + k * x;
        let beta = alpha + age;
        let m_max = br.alive.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pis: Vec<f64> = br.alive.iter().map(|v| (v - m_max).exp()).collect();
        let pi_sum: f64 = pis.iter().sum();
        // C(J) grows as J does; cache it.
        let mut c_sum = vec![0.0];
        let mut c_next = 1.0;
        let mut cumulative = |j: usize| -> f64 {
            while c_sum.len() <= j {
                let jj = c_sum.len(); // adding c_jj
                let prev = *c_sum.last().unwrap_or(&0.0);
                c_sum.push(prev + c_next);
                #[allow(clippy::cast_precision_loss)] // ok: j below 2^53
                let jf = jj as f64;
                c_next *= (bx + jf - 1.0) / (a + bx + jf - 1.0);
            }
            c_sum[j]
        };
        let q = horizon / (beta + horizon);
        let ln_q = q.ln();
        let ln_p0 = (beta / (beta + horizon)).ln();
        let mut total = 0.0;
        for (i, pi) in pis.iter().enumerate() {
            let shape = big_r + f64::from(u32::try_from(i).unwrap_or(u32::MAX));
            let mean = shape * horizon / beta;
            let mut ln_pm = shape * ln_p0;
            let mut sum = 0.0;
            let mut m = 0usize;
            loop {
                let pm = ln_pm.exp();
                let j = (m + i) / self.k as usize;
                sum += pm * cumulative(j);
                #[allow(clippy::cast_precision_loss)] // ok: m below 2^53
                let mf = m as f64;
                let ratio = q * (shape + mf) / (mf + 1.0);
                let rho = ratio.max(q);
                if mf > mean && rho < 1.0 {
                    let tail = pm / k * ((mf + k) * rho / (1.0 - rho) + rho / (1.0 - rho).powi(2));
                    if tail <= 1e-16 * sum || (pm == 0.0 && sum > 0.0) {
                        break;
                    }
                }
                if m >= 10_000_000 {
                    return Err(invalid_arg(
                        "horizon",
                        format!(
                            "the expected-purchases series did not converge for horizon {horizon}"
                        ),
                    ));
                }
                ln_pm += ln_q + ((shape + mf) / (mf + 1.0)).ln();
                m += 1;
            }
            total += pi * sum;
        }
        let v = total / pi_sum;
        crate::error::finite_result(v, "horizon")
    }

    /// Expected number of repeat purchases in `horizon` time units of a
    /// customer just acquired: the customer (x, t_x, T) = (0, 0, 0) (module
    /// doc).
    ///
    /// # Errors
    /// As [`CnbdParams::expected_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{cnbd::{CnbdKind, CnbdParams}, mbg_nbd::MbgNbdParams};
    /// // k = 1 is the MBG/NBD.
    /// let p = CnbdParams::new(CnbdKind::MbgCnbd, 1, 0.525, 6.183, 0.891, 1.614)?;
    /// let q = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// let (e, want) = (p.expected_purchases_new(39.0)?, q.expected_purchases_new(39.0)?);
    /// assert!((e - want).abs() < 1e-9 * want);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        self.expected_purchases(0, 0.0, 0.0, horizon)
    }

    /// P(alive) and expected purchases in the next `horizon` for each
    /// customer of the columns.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) for columns
    /// of different lengths; as [`CnbdParams::expected_purchases`], with the
    /// row at fault.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::cnbd::{CnbdKind, CnbdParams};
    /// let p = CnbdParams::new(CnbdKind::BgCnbd, 2, 1.0, 1.0, 1.0, 1.0)?;
    /// let out = p.predict(&[1, 0], &[1.0, 0.0], &[2.0, 2.0], 4.0)?;
    /// assert_eq!(out.probability_alive[1], 1.0);
    /// assert!(out.expected_purchases.iter().all(|e| *e > 0.0));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn predict(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Predictions> {
        crate::models::repeat::check_columns(frequency, recency, age)?;
        let mut out = Predictions {
            probability_alive: Vec::with_capacity(frequency.len()),
            expected_purchases: Vec::with_capacity(frequency.len()),
        };
        for i in 0..frequency.len() {
            let at = |e| crate::models::repeat::at_row(e, i);
            out.probability_alive.push(
                self.probability_alive(frequency[i], recency[i], age[i])
                    .map_err(at)?,
            );
            out.expected_purchases.push(
                self.expected_purchases(frequency[i], recency[i], age[i], horizon)
                    .map_err(at)?,
            );
        }
        Ok(out)
    }
}

/// Options of [`fit_cnbd`].
///
/// # Examples
/// ```
/// use retentionkit::models::cnbd::CnbdOptions;
/// let o = CnbdOptions::default();
/// assert_eq!((o.max_k, o.k), (12, None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CnbdOptions {
    /// The largest k tried when k is chosen by likelihood (default 12, as
    /// BTYDplus's `bgcnbd.EstimateParameters` with `k = NULL`).
    pub max_k: u32,
    /// A fixed k instead of choosing it (default `None`: choose over
    /// 1..=`max_k`).
    pub k: Option<u32>,
    /// The options of each fit at a given k.
    pub fit: FitOptions,
}

impl Default for CnbdOptions {
    fn default() -> Self {
        Self {
            max_k: 12,
            k: None,
            fit: FitOptions::default(),
        }
    }
}

with_setters!("models::cnbd", CnbdOptions {
    with_max_k(max_k: u32) = (6 => 6),
    with_k(k: impl Into<Option<u32>>) = (3 => Some(3)),
    with_fit(fit: FitOptions) = (retentionkit::optim::FitOptions::default() => retentionkit::optim::FitOptions::default()),
});

/// The fit at one k of [`fit_cnbd`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CnbdCandidate {
    /// The k.
    pub k: u32,
    /// The maximised log-likelihood at this k (litt term included).
    pub log_likelihood: f64,
    /// Whether the fit at this k converged.
    pub status: FitStatus,
}

/// A fitted BG/CNBD-k or MBG/CNBD-k model: the fit at the chosen k and the
/// maximised log-likelihood at every k tried.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CnbdFit {
    /// The fit at the chosen k. Its `standard_errors` are those of (r, α,
    /// a, b) given k (their `k` field is the chosen k, not an error);
    /// `parameters` counts k when it was chosen (5) and not when fixed (4).
    pub fit: Fit<CnbdParams>,
    /// Every k tried, in increasing order.
    pub candidates: Vec<CnbdCandidate>,
}

/// Fit the BG/CNBD-k or MBG/CNBD-k model by maximum likelihood: (r, α, a,
/// b) by the core's optimiser ([`crate::optim`]) at each k = 1..=`max_k`
/// (or the fixed `options.k`), and k the one with the highest maximised
/// log-likelihood among the fits that converged (among all, if none did).
///
/// Each k is fitted from the BG/NBD starting values with α divided by k
/// (the mean inter-purchase time is k/λ), and from the previous k's
/// estimates with α scaled by (k − 1)/k; the first start that converges is
/// kept, as in [`crate::models::bg_nbd::fit_bg_nbd`].
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for `max_k`
/// or `k` outside 1..=[`MAX_K`], or as
/// [`crate::models::bg_nbd::fit_bg_nbd`]. A fit that does not converge is
/// not an error: see [`Fit::status`].
///
/// # Examples
/// ```
/// use retentionkit::models::cnbd::{fit_cnbd, CnbdKind, CnbdOptions, RegularityData};
/// // Five customers, (x, t_x, T, litt) in weeks.
/// let litt = [0.0, 10f64.ln(), 2.0 * 10f64.ln(), 3.0 * 9f64.ln() + 3f64.ln(), 0.0];
/// let d = RegularityData::new(&[0, 1, 2, 4, 0], &[0.0, 10.0, 20.0, 30.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 12.0], &litt, None)?;
/// let f = fit_cnbd(&d, CnbdKind::BgCnbd, &CnbdOptions::default().with_max_k(4))?;
/// assert_eq!(f.candidates.len(), 4);
/// let best = f.candidates.iter().map(|c| c.log_likelihood).fold(f64::MIN, f64::max);
/// assert!(f.fit.log_likelihood >= best - 1e-9 || f.candidates.iter().any(|c| c.status != retentionkit::optim::FitStatus::Converged));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_cnbd(data: &RegularityData, kind: CnbdKind, options: &CnbdOptions) -> Result<CnbdFit> {
    let check_k = |k: u32, name| {
        if (1..=MAX_K).contains(&k) {
            Ok(())
        } else {
            Err(invalid_arg(
                name,
                format!("{k} must be between 1 and {MAX_K}"),
            ))
        }
    };
    let ks: Vec<u32> = if let Some(k) = options.k {
        check_k(k, "k")?;
        vec![k]
    } else {
        check_k(options.max_k, "max_k")?;
        (1..=options.max_k).collect()
    };
    let repeat = data.repeat();
    let mut fits: Vec<Fit<CnbdParams>> = Vec::with_capacity(ks.len());
    for &k in &ks {
        let kf = f64::from(k);
        let mut starts: Vec<Vec<f64>> = Vec::new();
        if let Some(prev) = fits.last() {
            let p = prev.params;
            starts.push(vec![p.r, p.alpha * (kf - 1.0) / kf, p.a, p.b]);
        }
        starts.extend(
            crate::models::bg_nbd::starts(repeat)
                .into_iter()
                .map(|mut s| {
                    s[1] /= kf;
                    s
                }),
        );
        fits.push(fit_at_k(data, kind, k, &starts, &options.fit)?);
    }
    let candidates: Vec<CnbdCandidate> = fits
        .iter()
        .map(|f| CnbdCandidate {
            k: f.params.k,
            log_likelihood: f.log_likelihood,
            status: f.status,
        })
        .collect();
    let any_converged = fits.iter().any(|f| f.status == FitStatus::Converged);
    let best = fits
        .into_iter()
        .filter(|f| !any_converged || f.status == FitStatus::Converged)
        .reduce(|best, f| {
            if f.log_likelihood > best.log_likelihood {
                f
            } else {
                best
            }
        })
        .ok_or_else(|| invalid_arg("max_k", "no k was fitted"))?;
    let mut fit = best;
    if ks.len() > 1 {
        fit.parameters += 1;
    }
    Ok(CnbdFit { fit, candidates })
}

/// The fit of (r, α, a, b) at one k.
fn fit_at_k(
    data: &RegularityData,
    kind: CnbdKind,
    k: u32,
    starts: &[Vec<f64>],
    options: &FitOptions,
) -> Result<Fit<CnbdParams>> {
    let from = |v: &[f64]| CnbdParams {
        kind,
        k,
        r: v[0],
        alpha: v[1],
        a: v[2],
        b: v[3],
    };
    let ll = |v: &[f64]| {
        let (ll, g) = from(v).ll_and_gradient(data);
        Some((ll, g.to_vec()))
    };
    let repeat = data.repeat();
    let f = fit_positive(&ll, repeat.customers(), starts, options)?;
    let params = from(&f.params);
    Ok(Fit {
        params,
        standard_errors: f.standard_errors.as_deref().map(from),
        log_likelihood: params.log_likelihood(data),
        parameters: f.params.len(),
        observations: f.customers,
        iterations: f.iterations,
        status: boundary_status(
            f.status,
            &[params.r, params.a, params.b],
            &[(params.alpha * f64::from(k), repeat.mean_age())],
        ),
    })
}

#[cfg(test)]
mod tests;
