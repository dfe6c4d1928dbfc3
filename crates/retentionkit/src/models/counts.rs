//! The distribution of the number of purchases in a time window, shared by
//! the BG/NBD, MBG/NBD and Pareto/NBD models.
//!
//! Every model here has a purchase rate λ ~ gamma(r, α) and Poisson
//! purchases while alive, so the count N(t) of a customer who stays alive
//! is negative binomial (the NBD):
//!
//! $$ P(N(t) = j) = \frac{\Gamma(r + j)}{\Gamma(r)\\, j!}
//!    \left(\frac{\alpha}{\alpha + t}\right)^r \left(\frac{t}{\alpha + t}\right)^j,
//!    \qquad P(N(t) \ge j) = I_{t/(\alpha + t)}(j, r) \quad (j \ge 1), $$
//!
//! the tail being the regularized incomplete beta function (DLMF 8.17.4 and
//! the NBD–beta relation), so it never loses accuracy by cancellation.
//!
//! **Conditional distributions.** Given a customer's history (x, t_x, T)
//! and that they are alive at T, the posterior of λ is gamma(r + x, α + T)
//! and, the purchase process being memoryless, the purchases after T follow
//! the same model as a new customer with updated parameters: BG/NBD with
//! (r + x, α + T, a, b + x) (the x drop-out coin flips after the repeat
//! purchases all came up "stay"), MBG/NBD also with BG/NBD (r + x, α + T, a,
//! b + x + 1) (its flip at the first purchase too, and no new flip at T),
//! and Pareto/NBD with (r + x, α + T, s, β + T) (μ's posterior given a
//! lifetime beyond T). A customer already gone makes none, so
//!
//! $$ P(X(T, T + t) = n \mid x, t_x, T) = P(\text{alive})\\, P_{\text{updated}}(X(t) = n) +
//!    (1 - P(\text{alive}))\\, \delta_{n = 0}. $$
//!
//! Its mean is the models' conditional expectation (FHL 2005 eq. 10 for
//! BG/NBD, which is P(alive) times the updated model's E[X(t)]), which the
//! tests check.

use crate::error::{invalid_arg, Result};
use crate::special::{ln_beta_inc, ln_gamma};

/// ln P(N(t) = j) of the NBD with shape `r`, scale `alpha`, for t > 0.
pub(crate) fn ln_nbd_pmf(j: f64, r: f64, alpha: f64, t: f64) -> f64 {
    // r ln(α/(α + t)) + j ln(t/(α + t)), each as one ln(1 + ·).
    ln_gamma(r + j)
        - ln_gamma(r)
        - ln_gamma(j + 1.0)
        - r * (t / alpha).ln_1p()
        - j * (alpha / t).ln_1p()
}

/// ln P(N(t) ≥ j) of the NBD, for t > 0: 0 for j = 0, else
/// ln I_{t/(α+t)}(j, r).
fn ln_nbd_tail(j: f64, r: f64, alpha: f64, t: f64) -> Result<f64> {
    if j == 0.0 {
        return Ok(0.0);
    }
    ln_beta_inc(j, r, t / (alpha + t)).ok_or_else(|| {
        invalid_arg(
            "horizon",
            "the incomplete beta function of the purchase-count tail did not converge",
        )
    })
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// P(X(t) = n) of a new customer of the BG/NBD (`flips_at_start` = 0) or
/// the MBG/NBD (`flips_at_start` = 1, a drop-out flip at time 0 too).
///
/// A customer who survives k flips (probability (1 − p)^k) and has made n
/// purchases (the next flip coming after purchase n) has X(t) = n when
/// N(t) = n and survives the next flip, or when N(t) ≥ n and drops out at
/// it. With k₀ = `flips_at_start` the flips before purchase n number
/// n + k₀ − 1, so
///
/// $$ P(X(t) = n) = \frac{B(a, b + n + k_0)}{B(a, b)} P(N(t) = n) +
///   \delta_{n + k_0 \ge 1} \frac{B(a + 1, b + n + k_0 - 1)}{B(a, b)} P(N(t) \ge n). $$
///
/// k₀ = 0 is FHL 2005 eq. 8; k₀ = 1 is the MBG/NBD form of Batislam,
/// Denizel & Filiztekin (2007) (lifetimes' `probability_of_n_purchases_up_to_time`
/// of both fitters).
pub(crate) fn beta_geometric_pmf(
    n: u32,
    horizon: f64,
    (r, alpha, a, b): (f64, f64, f64, f64),
    flips_at_start: u32,
) -> Result<f64> {
    if horizon == 0.0 {
        return Ok(if n == 0 { 1.0 } else { 0.0 });
    }
    let nf = f64::from(n);
    let k0 = f64::from(flips_at_start);
    let base = ln_beta(a, b);
    let stay = ln_beta(a, b + (nf + k0)) - base + ln_nbd_pmf(nf, r, alpha, horizon);
    let mut p = stay.exp();
    // n + k₀ ≥ 1 without the u32 sum (n = u32::MAX with k₀ = 1 overflowed),
    // and n + k₀ − 1 formed before it meets b (b + 1 − 1 is 0 for a tiny b).
    if n > 0 || flips_at_start > 0 {
        let drop =
            ln_beta(a + 1.0, b + (nf + k0 - 1.0)) - base + ln_nbd_tail(nf, r, alpha, horizon)?;
        p += drop.exp();
    }
    probability(p)
}

/// E[X(t)] of a new BG/NBD customer with parameters (r, α, a, b), for
/// t > 0, as a sum of non-negative terms.
///
/// A customer who never dropped out would make K = N(t) purchases, K ~
/// NBD(r, α) at t (module doc); purchase j + 1 happens only if the j coin
/// flips before it all came up "stay", with probability E[(1 − p)ʲ] =
/// (b)ⱼ/(a + b)ⱼ. So
///
/// $$ E[X(t)] = \sum_{k \ge 1} P(K = k)\\, h(k), \qquad
///    h(k) = \sum_{j < k} \frac{(b)_j}{(a + b)_j}, $$
///
/// which equals FHL (2005) eq. 9, c/(a − 1) [1 − (α/(α + t))ʳ
/// ₂F₁(r, b; c; z)] with c = a + b − 1 and z = t/(α + t), term by term:
/// h(k) = c/(a − 1) [1 − (b)ₖ/(c)ₖ] (by induction: the step
/// c/(a − 1) [(b)ₖ/(c)ₖ − (b)ₖ₊₁/(c)ₖ₊₁] is c (b)ₖ/(c)ₖ₊₁ = (b)ₖ/(a + b)ₖ),
/// and Σₖ P(K = k) (b)ₖ/(c)ₖ = (1 − z)ʳ ₂F₁(r, b; c; z) (A&S 15.1.1 with
/// P(K = k) = (r)ₖ/k! zᵏ (1 − z)ʳ). The
/// closed form subtracts two numbers near each other when a is near 0 or
/// b is large (the r = a = 1e-12, α = b = 1e12 gave −889); every
/// term here is ≥ 0, so the sum has no cancellation, is ≥ 0, and needs no
/// a ≠ 1. The weights P(K = k) are multiplied up in log space (they can
/// underflow individually where they are negligible).
///
/// `None` when the sum would need more than [`MEAN_TERMS`] terms (the
/// number of purchases K is then in the hundreds of thousands, or its
/// distribution has a tail as long as α is short against t: zᵏ, which
/// bounds the decay of the weights, is still above 1e-16 at k =
/// [`MEAN_TERMS`]; these cases, and a mean r t/α above [`MEAN_TERMS`], are
/// answered at once).
pub(crate) fn beta_geometric_mean(
    horizon: f64,
    (r, alpha, a, b): (f64, f64, f64, f64),
) -> Option<f64> {
    // z = t/(α + t) and its log as −ln(1 + α/t), one rounding.
    let z = horizon / (alpha + horizon);
    let ln_z = -(alpha / horizon).ln_1p();
    // The sum needs at least as many terms as the mean of K, r t/α.
    if -ln_z * f64::from(MEAN_TERMS) < 36.8 || r * horizon / alpha > f64::from(MEAN_TERMS) {
        return None;
    }
    // ln P(K = 0) = r ln(α/(α + t)).
    let mut ln_w = -r * (horizon / alpha).ln_1p();
    // Where P(K = 0) is a normal double, the weights are multiplied up
    // directly (one division a term instead of two logarithms and an
    // exponential; the weights are ≤ 1, so nothing overflows, and the
    // relative rounding grows by about 1e-16 a term, as the sum of logs'
    // does); below e^−600 in log space.
    let linear = ln_w > -600.0;
    let mut w_linear = if linear { ln_w.exp() } else { 0.0 };
    let (mut h, mut s, mut sum) = (0.0f64, 1.0f64, 0.0f64);
    for k in 1..MEAN_TERMS {
        // j = k − 1 added to the small parameters last: (r + 1) − 1 would
        // lose r = 1e-12 to rounding.
        let (kf, j) = (f64::from(k), f64::from(k - 1));
        // P(K = k) = P(K = k − 1) (r + k − 1)/k z; h(k) = h(k − 1) + (b)ₖ₋₁/(a + b)ₖ₋₁.
        let w = if linear {
            w_linear *= (r + j) / kf * z;
            w_linear
        } else {
            ln_w += (r + j).ln() - kf.ln() + ln_z;
            ln_w.exp()
        };
        h += s;
        s *= (b + j) / ((a + b) + j);
        sum += w * h;
        // From k on the ratio of consecutive weights is below ρ =
        // max((r + k)/(k + 1) z, z) and h grows by at most 1 a step, so the
        // rest is below w [h ρ/(1 − ρ) + ρ/(1 − ρ)²].
        let rho = ((r + kf) / (kf + 1.0) * z).max(z);
        if rho < 1.0 {
            let tail = w * (h * rho / (1.0 - rho) + rho / ((1.0 - rho) * (1.0 - rho)));
            if tail <= 1e-16 * sum || (sum == 0.0 && tail == 0.0) {
                return sum.is_finite().then_some(sum);
            }
        }
    }
    None
}

/// The most terms [`beta_geometric_mean`] sums.
const MEAN_TERMS: u32 = 200_000;

/// E[X(t)] of a new BG/NBD customer with parameters (r, α, a, b), t > 0:
/// [`beta_geometric_mean`] when its sum finishes, else the closed form of
/// FHL (2005) eq. 9, c/(a − 1) [1 − (α/(α + t))ʳ ₂F₁(r, b; c; z)] with c =
/// a + b − 1, z = t/(α + t), kept only when it is trustworthy: the bracket
/// 1 − L, L = (α/(α + t))ʳ ₂F₁, must have the sign of a − 1 and
/// |1 − L| ≥ 10⁻⁶ L, so at most six of the sixteen digits of L are lost to
/// the subtraction. Otherwise an error, never a wrong number.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `a`
/// for a = 1 or a + b ≤ 1 where the closed form is needed (it divides by
/// a − 1 and needs c > 0), `horizon` when ₂F₁'s series cannot converge
/// within 10⁶ terms (z¹⁰⁰⁰⁰⁰⁰ > 1e-16 is answered at once), and `params`
/// when the bracket lost too many digits.
pub(crate) fn beta_geometric_expected(horizon: f64, params: (f64, f64, f64, f64)) -> Result<f64> {
    if let Some(v) = beta_geometric_mean(horizon, params) {
        return Ok(v);
    }
    let (r, alpha, a, b) = params;
    let c = a + b - 1.0;
    if a == 1.0 || c <= 0.0 {
        return Err(invalid_arg(
            "a",
            format!(
                "the expected-purchases closed form needs a ≠ 1 and a + b > 1 here, got a = {a}, b = {b}"
            ),
        ));
    }
    let z = horizon / (alpha + horizon);
    let not_converged = || {
        invalid_arg(
            "horizon",
            format!("the hypergeometric series at z = {z} did not converge; use a shorter horizon"),
        )
    };
    if (alpha / horizon).ln_1p() * 1e6 < 36.8 {
        return Err(not_converged());
    }
    let f = crate::special::hyp2f1(r, b, c, z).ok_or_else(not_converged)?;
    let l = (-r * (horizon / alpha).ln_1p()).exp() * f;
    let bracket = 1.0 - l;
    let v = c / (a - 1.0) * bracket;
    if v.is_finite() && v >= 0.0 && bracket.abs() >= 1e-6 * l {
        Ok(v)
    } else {
        Err(invalid_arg(
            "params",
            format!(
                "the expected number of purchases cannot be evaluated accurately at r = {r}, α = {alpha}, a = {a}, b = {b} over {horizon}"
            ),
        ))
    }
}

/// P(X(t) = n) of a new Pareto/NBD customer: alive all through t, or
/// dropping out at τ < t (lifetime density s βˢ / (β + τ)^{s+1}) with n
/// purchases by then,
///
/// $$ P(X(t) = n) = P(N(t) = n) \left(\frac{\beta}{\beta + t}\right)^s +
///    \int_0^t P(N(\tau) = n)\\, \frac{s \beta^s}{(\beta + \tau)^{s + 1}}\\, d\tau. $$
///
/// This is the starting point of Fader & Hardie's note "Deriving an
/// Expression for P(X(t) = x) Under the Pareto/NBD Model" (2006,
/// <http://brucehardie.com/notes/012/>), which then writes the integral with
/// Gauss hypergeometric functions; here it is integrated numerically
/// (adaptive 20-point Gauss–Legendre, to about 1e-12 relative), whose integrand is
/// positive and smooth, so the result has no cancellation for any n or t.
pub(crate) fn pareto_pmf(
    n: u32,
    horizon: f64,
    (r, alpha, s, beta): (f64, f64, f64, f64),
) -> Result<f64> {
    if horizon == 0.0 {
        return Ok(if n == 0 { 1.0 } else { 0.0 });
    }
    let nf = f64::from(n);
    let alive = (ln_nbd_pmf(nf, r, alpha, horizon) + s * (beta.ln() - (beta + horizon).ln())).exp();
    // The density is e^{c + g(τ)}: the constant c is kept out of the
    // integrand, whose rounding noise would otherwise be that of ln Γ(r + n)
    // (about 1e-13 relative for n in the hundreds).
    let c = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0)
        + r * alpha.ln()
        + s.ln()
        + s * beta.ln();
    let g = |tau: f64| {
        if tau <= 0.0 {
            // P(N(0) = n) is 1 for n = 0 and 0 otherwise.
            return if n == 0 {
                -r * alpha.ln() - (s + 1.0) * beta.ln()
            } else {
                f64::NEG_INFINITY
            };
        }
        // ln(τ/(α + τ)) as −ln(1 + α/τ): one rounding, not the difference
        // of two logarithms, since n multiplies it.
        -r * (alpha + tau).ln() - nf * (alpha / tau).ln_1p() - (s + 1.0) * (beta + tau).ln()
    };
    // Integrate e^{g − max g} (max over a grid), so probabilities far below
    // the smallest f64 keep their relative accuracy where they matter and
    // underflow only where they are negligible.
    let scale = (0..=64)
        .map(|i| g(horizon * f64::from(i) / 64.0))
        .fold(f64::NEG_INFINITY, f64::max);
    if scale == f64::NEG_INFINITY {
        return probability(alive);
    }
    let scaled = |tau: f64| (g(tau) - scale).exp();
    let integral = integrate(&scaled, 0.0, horizon).ok_or_else(|| {
        invalid_arg(
            "horizon",
            "the integral over the drop-out time did not converge",
        )
    })?;
    let dropped = if integral > 0.0 {
        (integral.ln() + scale + c).exp()
    } else {
        0.0
    };
    probability(alive + dropped)
}

/// E[(1 − p)^{N(t)}] for N(t) ~ NBD(r, α) at t and p ~ beta(a, b): the
/// probability that a BG/NBD customer alive now, with these (updated)
/// parameters, is still alive `horizon` later. They drop out only at a
/// purchase, so they are alive at t exactly when the coin flips after the
/// N(t) purchases they would make all came up "stay" (each with
/// probability 1 − p). Summing over N(t) = k with E[(1 − p)ᵏ] =
/// (b)ₖ/(a + b)ₖ,
///
/// $$ S(t) = \sum_{k \ge 0} P(N(t) = k) \frac{(b)_k}{(a + b)_k}
///    = \left(\frac{\alpha}{\alpha + t}\right)^r
///      {}_2F_1\\!\left(r, b; a + b; \tfrac{t}{\alpha + t}\right), $$
///
/// summed here term by term (all terms ≥ 0, so no cancellation), with the
/// tail bound of [`beta_geometric_mean`].
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
/// `horizon` when the sum would need more than [`MEAN_TERMS`] terms.
pub(crate) fn beta_geometric_survival(
    horizon: f64,
    (r, alpha, a, b): (f64, f64, f64, f64),
) -> Result<f64> {
    if horizon == 0.0 {
        return Ok(1.0);
    }
    let too_long = || {
        invalid_arg(
            "horizon",
            format!("the survival series over {horizon} did not converge; use a shorter horizon"),
        )
    };
    let z = horizon / (alpha + horizon);
    let ln_z = -(alpha / horizon).ln_1p();
    if -ln_z * f64::from(MEAN_TERMS) < 36.8 {
        return Err(too_long());
    }
    let mut ln_w = -r * (horizon / alpha).ln_1p();
    let mut s = 1.0f64;
    let mut sum = ln_w.exp();
    for k in 1..MEAN_TERMS {
        let (kf, j) = (f64::from(k), f64::from(k - 1));
        ln_w += (r + j).ln() - kf.ln() + ln_z;
        s *= (b + j) / ((a + b) + j);
        let w = ln_w.exp();
        sum += w * s;
        // The weights decay at least as fast as ρ from here on and s does
        // not grow, so the rest is below w s ρ/(1 − ρ).
        let rho = ((r + kf) / (kf + 1.0) * z).max(z);
        if rho < 1.0 && w * s * rho / (1.0 - rho) <= 1e-16 * sum {
            return probability(sum);
        }
    }
    Err(too_long())
}

/// ∫₀^∞ e^{−w} f(w) dw for a continuous, non-negative f growing at most
/// linearly, cut at w = 50 (the rest is below 51 e^{−50} ≈ 1e-20 of f's
/// slope), in pieces [0, 1], [1, 5], [5, 20], [20, 50] of
/// [`integrate_to`] at 1e-11 relative: the models' expectations are series
/// of up to thousands of terms whose weights are multiplied up in log
/// space, with a rounding noise near 1e-12 that a tighter tolerance would
/// chase by halving intervals without end. The first error of `f` is
/// returned.
///
/// # Errors
/// `f`'s first error; [`Error::InvalidArgument`](crate::Error::InvalidArgument)
/// naming `discount_rate` when the quadrature does not converge.
pub(crate) fn laplace_integral(f: impl Fn(f64) -> Result<f64>) -> Result<f64> {
    let failure = std::cell::RefCell::new(None);
    let g = |w: f64| match f(w) {
        Ok(v) => (-w).exp() * v,
        Err(e) => {
            failure.borrow_mut().get_or_insert(e);
            0.0
        }
    };
    let mut total = 0.0;
    for (lo, hi) in [(0.0, 1.0), (1.0, 5.0), (5.0, 20.0), (20.0, 50.0)] {
        let piece = integrate_to(&g, lo, hi, 1e-11);
        if let Some(e) = failure.borrow_mut().take() {
            return Err(e);
        }
        total += piece.ok_or_else(|| {
            invalid_arg("discount_rate", "the discounting integral did not converge")
        })?;
    }
    Ok(total)
}

/// P(alive) · `fresh` + (1 − P(alive)) · δ_{n = 0} (module doc).
pub(crate) fn mix_with_gone(n: u32, alive: f64, fresh: f64) -> Result<f64> {
    let gone = if n == 0 { 1.0 - alive } else { 0.0 };
    probability(alive * fresh + gone)
}

/// A computed probability, clamped into [0, 1] against rounding, or an
/// error if it is not finite.
fn probability(p: f64) -> Result<f64> {
    if p.is_finite() {
        Ok(p.clamp(0.0, 1.0))
    } else {
        Err(invalid_arg(
            "parameters",
            "the purchase-count probability is not finite for these parameters",
        ))
    }
}

/// Nodes and weights of the 20-point Gauss–Legendre rule on [−1, 1]: the
/// roots of P₂₀ by Newton's method from Tricomi's initial guesses
/// cos(π(i − 1/4)/(n + 1/2)), with weights 2/((1 − x²) P₂₀'(x)²) (DLMF
/// 3.5.19). Computed once.
pub(crate) fn gauss_legendre() -> &'static [(f64, f64); 20] {
    static RULE: std::sync::OnceLock<[(f64, f64); 20]> = std::sync::OnceLock::new();
    RULE.get_or_init(|| {
        const N: usize = 20;
        let nf = 20.0f64;
        let mut rule = [(0.0, 0.0); N];
        for (i, slot) in rule.iter_mut().enumerate() {
            let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5)).cos();
            let mut dp = 1.0;
            for _ in 0..100 {
                // P_k by the three-term recurrence, and P_n' from P_n, P_{n−1}.
                let (mut p0, mut p1) = (1.0f64, x);
                for k in 2..=N {
                    let kf = k as f64;
                    let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
                    p0 = p1;
                    p1 = p2;
                }
                dp = nf * (x * p1 - p0) / (x * x - 1.0);
                let step = p1 / dp;
                x -= step;
                if step.abs() <= 1e-16 {
                    break;
                }
            }
            *slot = (x, 2.0 / ((1.0 - x * x) * dp * dp));
        }
        rule
    })
}

fn gauss_20(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let (mid, half) = (0.5 * (a + b), 0.5 * (b - a));
    half * gauss_legendre()
        .iter()
        .map(|&(x, w)| w * f(mid + half * x))
        .sum::<f64>()
}

/// ∫ₐᵇ f for a positive smooth f: the 20-point rule on an interval is
/// accepted when it agrees with the sum over its halves to its share of
/// 1e-13 of the whole integral's first estimate, or to 1e-13 of its own
/// value (the rounding noise of the integrands here), or at 40 halvings;
/// otherwise each half is refined. `None` past 2¹⁴ intervals or a
/// non-finite value.
pub(crate) fn integrate(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> Option<f64> {
    integrate_to(f, a, b, 1e-13)
}

/// [`integrate`] to the relative tolerance `rel` in place of 1e-13: for
/// integrands whose own rounding noise is larger (a series summed over
/// thousands of terms).
pub(crate) fn integrate_to(f: &dyn Fn(f64) -> f64, a: f64, b: f64, rel: f64) -> Option<f64> {
    let whole = gauss_20(f, a, b);
    if !whole.is_finite() {
        return None;
    }
    let tol = rel * whole.abs();
    let mut stack = vec![(a, b, whole, 0u32)];
    let (mut total, mut intervals) = (0.0f64, 0usize);
    while let Some((lo, hi, est, depth)) = stack.pop() {
        intervals += 1;
        if intervals > 1 << 14 {
            return None;
        }
        let mid = 0.5 * (lo + hi);
        let (left, right) = (gauss_20(f, lo, mid), gauss_20(f, mid, hi));
        if !(left.is_finite() && right.is_finite()) {
            return None;
        }
        // Each of the up to 2^depth pieces gets its share of the tolerance,
        // or is accepted once the two estimates agree to rounding (a piece
        // carrying most of the integral cannot do better than that).
        let err = (left + right - est).abs();
        let share = tol * 0.5f64.powi(i32::try_from(depth).unwrap_or(i32::MAX));
        if err <= share || err <= rel * (left + right) || depth >= 40 {
            total += left + right;
        } else {
            stack.push((lo, mid, left, depth + 1));
            stack.push((mid, hi, right, depth + 1));
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_is_exact_for_polynomials_up_to_degree_39() {
        // ∫₋₁¹ x^{2k} dx = 2/(2k + 1); odd powers integrate to 0.
        for k in 0..20 {
            let deg = 2 * k;
            let got = gauss_20(&|x: f64| x.powi(deg), -1.0, 1.0);
            let want = 2.0 / f64::from(deg + 1);
            assert!((got - want).abs() < 1e-14, "x^{deg}: {got} vs {want}");
        }
        let weights: f64 = gauss_legendre().iter().map(|&(_, w)| w).sum();
        assert!((weights - 2.0).abs() < 1e-14);
    }

    #[test]
    fn integrate_matches_closed_forms() {
        // ∫₀¹⁰⁰⁰ e^{−τ} dτ = 1 − e^{−1000}; ∫₀⁵ 3/(1 + τ)⁴ dτ = 1 − 6⁻³;
        // ∫₀¹ τ^40 dτ = 1/41 (degree above the rule's, so it subdivides).
        type Check<'a> = (&'a dyn Fn(f64) -> f64, f64, f64);
        let checks: [Check; 3] = [
            (&|t: f64| (-t).exp(), 1000.0, 1.0),
            (&|t: f64| 3.0 / (1.0 + t).powi(4), 5.0, 1.0 - 1.0 / 216.0),
            (&|t: f64| t.powi(40), 1.0, 1.0 / 41.0),
        ];
        for (f, b, want) in checks {
            let got = integrate(f, 0.0, b).unwrap();
            assert!((got - want).abs() <= 1e-13 * want, "{got} vs {want}");
        }
    }

    #[test]
    fn nbd_tail_matches_the_sum_of_the_pmf() {
        // P(N ≥ j) = 1 − Σ_{i<j} P(N = i), summed here where the head is
        // not close to 1 (so the subtraction is accurate).
        let (r, alpha, t) = (0.243, 4.414, 39.0);
        let mut head = 0.0;
        for j in 0..6u32 {
            let jf = f64::from(j);
            let tail = ln_nbd_tail(jf, r, alpha, t).unwrap().exp();
            assert!(
                (tail - (1.0 - head)).abs() < 1e-14,
                "j = {j}: {tail} vs {}",
                1.0 - head
            );
            head += ln_nbd_pmf(jf, r, alpha, t).exp();
        }
    }
}
