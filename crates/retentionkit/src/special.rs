//! Special functions for the tests and models of the crate: `ln Γ`, the
//! regularized incomplete gamma functions P and Q (chi-square tail
//! probabilities) and the standard normal quantile.
//!
//! Private to the crate: callers validate their arguments first, so these
//! functions take arguments in their domain and return NaN outside it (never
//! panic); the public functions that use them never hand such a NaN out.

// The published coefficients are kept digit for digit, beyond f64 precision.
#![allow(clippy::excessive_precision, clippy::unreadable_literal)]

/// Lanczos coefficients for g = 7, n = 9 (Numerical Recipes 3rd ed. /
/// Godfrey), relative error below 1e-15 for positive arguments.
const LANCZOS_G: f64 = 7.0;
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// `ln Γ(x)` for `x > 0` (NaN otherwise).
///
/// Lanczos approximation; for `x < 0.5` the reflection
/// `Γ(x) Γ(1 − x) = π / sin(πx)` keeps the accuracy. Below 1e-8,
/// `ln Γ(x) = −ln x − γ x + O(x²)` (DLMF 5.7.3, γ Euler's constant; the
/// x² term, π²x²/12, is below 1e-16): the reflection's π / sin(πx)
/// overflowed to ∞ for subnormal x.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x < 1e-8 {
        return -x.ln() - EULER_GAMMA * x;
    }
    if x < 0.5 {
        // ln Γ(x) = ln π − ln sin(πx) − ln Γ(1 − x)
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = LANCZOS[0];
    let t = x + LANCZOS_G + 0.5;
    for (i, c) in LANCZOS.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Euler's constant γ = 0.5772… (DLMF 5.2.3).
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

const GAMMA_EPS: f64 = 1e-16;
const GAMMA_MAX_ITER: usize = 10_000;

/// Regularized lower incomplete gamma `P(a, x) = γ(a, x) / Γ(a)` for
/// `a > 0`, `x ≥ 0` (NaN otherwise).
///
/// Series for `x < a + 1`, Lentz continued fraction for Q otherwise
/// (Numerical Recipes 3rd ed., section 6.2).
#[cfg_attr(not(test), allow(dead_code))] // for the model fits; tested here
pub(crate) fn gamma_p(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() || a <= 0.0 || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return 0.0;
    }
    if x.is_infinite() {
        return 1.0;
    }
    if x < a + 1.0 {
        gamma_series(a, x)
    } else {
        1.0 - gamma_cf(a, x)
    }
}

/// Regularized upper incomplete gamma `Q(a, x) = 1 − P(a, x)` for `a > 0`,
/// `x ≥ 0` (NaN otherwise), computed directly in the tail so small values
/// keep their relative accuracy.
pub(crate) fn gamma_q(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() || a <= 0.0 || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_series(a, x)
    } else {
        gamma_cf(a, x)
    }
}

/// `P(a, x)` by its series, for `x < a + 1`.
fn gamma_series(a: f64, x: f64) -> f64 {
    let mut ap = a;
    let mut del = 1.0 / a;
    let mut sum = del;
    for _ in 0..GAMMA_MAX_ITER {
        ap += 1.0;
        del *= x / ap;
        sum += del;
        if del.abs() < sum.abs() * GAMMA_EPS {
            break;
        }
    }
    sum * (-x + a * x.ln() - ln_gamma(a)).exp()
}

/// `Q(a, x)` by its continued fraction (modified Lentz), for `x ≥ a + 1`.
fn gamma_cf(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..GAMMA_MAX_ITER {
        let i = i as f64;
        let an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < GAMMA_EPS {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// Upper tail of the chi-square distribution with `df` degrees of freedom:
/// `P(X ≥ x) = Q(df / 2, x / 2)`.
pub(crate) fn chi2_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    gamma_q(0.5 * df, 0.5 * x)
}

// AS 241 (PPND16) coefficients exactly as printed in Wichura (1988),
// lowest degree first: A/B for |p − 0.5| <= 0.425, C/D for the tail with
// r = sqrt(−ln min(p, 1 − p)) <= 5, E/F beyond.
const A: [f64; 8] = [
    3.3871328727963666080e+0,
    1.3314166789178437745e+2,
    1.9715909503065514427e+3,
    1.3731693765509461125e+4,
    4.5921953931549871457e+4,
    6.7265770927008700853e+4,
    3.3430575583588128105e+4,
    2.5090809287301226727e+3,
];
const B: [f64; 8] = [
    1.0,
    4.2313330701600911252e+1,
    6.8718700749205790830e+2,
    5.3941960214247511077e+3,
    2.1213794301586595867e+4,
    3.9307895800092710610e+4,
    2.8729085735721942674e+4,
    5.2264952788528545610e+3,
];
const C: [f64; 8] = [
    1.42343711074968357734e+0,
    4.63033784615654529590e+0,
    5.76949722146069140550e+0,
    3.64784832476320460504e+0,
    1.27045825245236838258e+0,
    2.41780725177450611770e-1,
    2.27238449892691845833e-2,
    7.74545014278341407640e-4,
];
const D: [f64; 8] = [
    1.0,
    2.05319162663775882187e+0,
    1.67638483018380384940e+0,
    6.89767334985100004550e-1,
    1.48103976427480074590e-1,
    1.51986665636164571966e-2,
    5.47593808499534494600e-4,
    1.05075007164441684324e-9,
];
const E: [f64; 8] = [
    6.65790464350110377720e+0,
    5.46378491116411436990e+0,
    1.78482653991729133580e+0,
    2.96560571828504891230e-1,
    2.65321895265761230930e-2,
    1.24266094738807843860e-3,
    2.71155556874348757815e-5,
    2.01033439929228813265e-7,
];
const F: [f64; 8] = [
    1.0,
    5.99832206555887937690e-1,
    1.36929880922735805310e-1,
    1.48753612908506148525e-2,
    7.86869131145613259100e-4,
    1.84631831751005468180e-5,
    1.42151175831644588870e-7,
    2.04426310338993978564e-15,
];

/// `c[0] + c[1] x + … + c[7] x^7` by Horner's rule.
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

/// Standard normal quantile `Φ⁻¹(p)` for `0 < p < 1` (NaN otherwise; ±∞ at 0 and 1).
///
/// Wichura's algorithm AS 241 (PPND16), Applied Statistics 37(3), 1988,
/// 477–484: relative accuracy about 1e-16.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let r = if q <= 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// Digamma `ψ(x) = d ln Γ(x) / dx` for `x > 0` (NaN otherwise).
///
/// The recurrence `ψ(x) = ψ(x + 1) − 1/x` up to `x ≥ 10`, then the
/// asymptotic series `ln x − 1/(2x) − Σ B₂ₖ / (2k x²ᵏ)` to the x⁻¹⁴ term
/// (Abramowitz & Stegun 6.3.5 and 6.3.18): absolute error below 1e-15.
pub(crate) fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let (mut x, mut acc) = (x, 0.0);
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    // B₂/2, B₄/4, …, B₁₄/14 with alternating signs folded in.
    let series = x2
        * (1.0 / 12.0
            - x2 * (1.0 / 120.0
                - x2 * (1.0 / 252.0
                    - x2 * (1.0 / 240.0
                        - x2 * (1.0 / 132.0 - x2 * (691.0 / 32_760.0 - x2 / 12.0))))));
    acc + x.ln() - 0.5 / x - series
}

/// Gauss's hypergeometric function `₂F₁(a, b; c; z)` for `a, b, c > 0`
/// and `0 ≤ z < 1`, by its power series
/// `Σₖ (a)ₖ (b)ₖ / ((c)ₖ k!) zᵏ`; every term is positive, so the sum has
/// no cancellation. `None` when the series has not converged to 1e-15
/// relative within 10⁶ terms, or overflows.
///
/// Source: Abramowitz & Stegun 15.1.1.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z)) {
        return None;
    }
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    for k in 0..1_000_000u32 {
        let k = f64::from(k);
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if !sum.is_finite() {
            return None;
        }
        // Past the largest term the ratio falls towards z < 1, so the tail
        // is below term · z' / (1 − z') for the current ratio z'.
        let ratio = (a + k + 1.0) * (b + k + 1.0) / ((c + k + 1.0) * (k + 2.0)) * z;
        if ratio < 1.0 && term * ratio / (1.0 - ratio) <= 1e-16 * sum {
            return Some(sum);
        }
    }
    None
}

/// `₂F₁(1, e; c; z)` and its partial derivatives in `e`, `c` and `z`, for
/// `0 < e < c` and `0 ≤ z < 1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hyp2f1One {
    /// The value, ≥ 1.
    pub value: f64,
    /// ∂/∂e.
    pub d_e: f64,
    /// ∂/∂c.
    pub d_c: f64,
    /// ∂/∂z.
    pub d_z: f64,
}

/// `₂F₁(1, e; c; z) = Σₖ (e)ₖ / (c)ₖ zᵏ` for `0 < e < c` and `0 ≤ z < 1`,
/// with its derivatives in `e`, `c` and `z` summed term by term:
/// `∂/∂e ln tₖ = Σ_{j<k} 1/(e + j)`, `∂/∂c ln tₖ = −Σ_{j<k} 1/(c + j)`,
/// `∂/∂z tₖ = k tₖ / z`.
///
/// Every term is positive and the ratio of consecutive terms,
/// `(e + k)/(c + k) z`, is below `z`, so the series converges at least
/// geometrically with no cancellation; the derivative series grow at most
/// by a factor `(1 + 1/k)` more per term, which bounds their tails too.
/// This is the form the Euler transformation
/// `₂F₁(a, b; a + 1; z) = (1 − z)^{1−b} ₂F₁(1, a + 1 − b; a + 1; z)`
/// (Abramowitz & Stegun 15.3.3) gives the functions of the Pareto/NBD
/// likelihood, whose direct series can grow like `(1 − z)^{−b}` before it
/// converges. `None` outside the domain or when the series has not
/// converged to 1e-16 relative within 10⁵ terms (the series needs about
/// `37 / (1 − z)` terms when `c − e` is near 1, so this is `z` up to about
/// `1 − 4·10⁻⁴`; fewer terms suffice when `c − e` is larger). The
/// Pareto/NBD code calls the series only for `z ≤ 0.98` and integrates
/// otherwise (module doc of [`crate::models::pareto_nbd`]).
///
/// Source: Abramowitz & Stegun 15.1.1 and 15.3.3.
#[cfg(test)]
pub(crate) fn hyp2f1_one(e: f64, c: f64, z: f64) -> Option<Hyp2f1One> {
    hyp2f1_one_within(e, c, z, 100_000)
}

/// `hyp2f1_one` with at most `max_terms` terms: `None` also when the
/// series needs more. For callers that have another route to the value
/// when the series is slow (near `z = 1`).
pub(crate) fn hyp2f1_one_within(e: f64, c: f64, z: f64, max_terms: u32) -> Option<Hyp2f1One> {
    if !(e > 0.0 && c > e && c.is_finite() && (0.0..1.0).contains(&z)) {
        return None;
    }
    // u = (e)ₖ/(c)ₖ z^{k−1} for the current k ≥ 1, so tₖ = u z.
    // The value is summed with Neumaier's compensation: near z = 1 the
    // series has ~10⁴ terms, whose rounding would otherwise add up. Every
    // term is below e/c < 1 ≤ value, so the compensation's branch is
    // always the same one. Every term is finite and the sums are bounded
    // (by 1/(1 − z) and its derivatives), so finiteness is checked once, at
    // the end, for the 1/e of an e near the smallest double.
    let (mut value, mut comp) = (1.0f64, 0.0f64);
    let (mut d_e, mut d_c, mut d_z) = (0.0f64, 0.0f64, 0.0f64);
    let mut u = e / c;
    let (mut se, mut sc) = (1.0 / e, 1.0 / c);
    let done = |value: f64, comp: f64, d_e: f64, d_c: f64, d_z: f64| {
        let h = Hyp2f1One {
            value: value + comp,
            d_e,
            d_c,
            d_z,
        };
        (h.value.is_finite() && d_e.is_finite() && d_c.is_finite() && d_z.is_finite()).then_some(h)
    };
    if z == 0.0 {
        // Only the k = 1 term of ∂/∂z is non-zero.
        return done(1.0, 0.0, 0.0, 0.0, u);
    }
    let mut kf = 1.0f64;
    for _ in 1..max_terms {
        let t = u * z;
        let sum = value + t;
        comp += (value - sum) + t;
        value = sum;
        d_e += t * se;
        d_c -= t * sc;
        d_z += kf * u;
        let (ie, ic) = (1.0 / (e + kf), 1.0 / (c + kf));
        let ratio = (e + kf) * ic * z;
        // A bound on the ratio of consecutive terms of every series from k
        // on, checked only once the term is small (saves a division a term).
        if t <= 1e-16 * value {
            let rho = ratio * (1.0 + 1.0 / kf);
            if rho < 1.0 {
                let tail = rho / (1.0 - rho);
                if t * tail <= 1e-17 * value
                    && t * se * tail <= 1e-17 * d_e
                    && t * sc * tail <= 1e-17 * (-d_c)
                    && kf * u * tail <= 1e-17 * d_z
                {
                    return done(value, comp, d_e, d_c, d_z);
                }
            }
        }
        u *= ratio;
        se += ie;
        sc += ic;
        kf += 1.0;
    }
    None
}

/// `ln I_x(a, b)`, the log of the regularized incomplete beta function
/// `I_x(a, b) = B(x; a, b) / B(a, b)`, for `a, b > 0` and `0 ≤ x ≤ 1` (NaN
/// otherwise; `−∞` at `x = 0`, `0` at `x = 1`). `None` when the continued
/// fraction has not converged within 10⁴ steps.
///
/// For `x < (a + 1)/(a + b + 2)` the continued fraction
/// `I_x(a, b) = xᵃ (1 − x)ᵇ / (a B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …)))` with
/// `d₂ₘ = m (b − m) x / ((a + 2m − 1)(a + 2m))` and
/// `d₂ₘ₊₁ = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))` converges fast
/// and its prefactor is taken in logs, so tiny values keep full relative
/// accuracy; otherwise `I_x(a, b) = 1 − I_{1−x}(b, a)`, whose value is
/// then not small. The fraction is evaluated by the modified Lentz method.
///
/// Source: DLMF 8.17.22 and 8.17.4; Lentz's method as in Numerical Recipes
/// (3rd ed., section 5.2).
pub(crate) fn ln_beta_inc(a: f64, b: f64, x: f64) -> Option<f64> {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&x)) {
        return Some(f64::NAN);
    }
    if x == 0.0 {
        return Some(f64::NEG_INFINITY);
    }
    if x == 1.0 {
        return Some(0.0);
    }
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_beta_inc_cf(a, b, x)
    } else {
        let other = ln_beta_inc_cf(b, a, 1.0 - x)?;
        Some((-other.exp()).ln_1p())
    }
}

/// The continued-fraction branch of [`ln_beta_inc`].
fn ln_beta_inc_cf(a: f64, b: f64, x: f64) -> Option<f64> {
    const TINY: f64 = 1e-300;
    let ln_prefix =
        a * x.ln() + b * (-x).ln_1p() - a.ln() - (ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b));
    // K = 1 + d₁/(1 + d₂/(1 + …)), by modified Lentz with b₀ = bₘ = 1.
    let (mut f, mut c, mut d) = (1.0f64, 1.0f64, 0.0f64);
    for k in 1..10_000u32 {
        let m = f64::from(k / 2);
        let dk = if k % 2 == 0 {
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m))
        } else {
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))
        };
        d = 1.0 + dk * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + dk / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() <= 1e-16 {
            return Some(ln_prefix - f.ln());
        }
    }
    None
}

#[cfg(test)]
mod tests;
