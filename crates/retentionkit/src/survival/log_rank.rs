//! The k-group log-rank test of equal survival curves.

#[cfg(doc)]
use super::kaplan_meier;
use super::table::check_columns;
use crate::error::{check_length, invalid_arg, Error, Result};
use crate::special::chi2_sf;

/// The result of [`log_rank`].
///
/// Deserialization runs [`LogRank::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LogRankRaw"))]
pub struct LogRank {
    /// The chi-square statistic $U$.
    pub statistic: f64,
    /// Degrees of freedom, $k - 1$ for $k$ groups.
    pub df: usize,
    /// $P(\chi^2_{k-1} \ge U)$.
    pub p_value: f64,
    /// The group ids, increasing; the next two columns follow this order.
    pub groups: Vec<u64>,
    /// Observed events per group, $O_g$.
    pub observed: Vec<u64>,
    /// Expected events per group under the null hypothesis, $E_g$.
    pub expected: Vec<f64>,
}

checked_serde!(LogRank by validate, LogRankRaw {
    statistic: f64,
    df: usize,
    p_value: f64,
    groups: Vec<u64>,
    observed: Vec<u64>,
    expected: Vec<f64>,
});

impl LogRank {
    /// Check that `observed` and `expected` have one value per group.
    /// Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming the first column of another length
    /// than `groups`.
    pub fn validate(&self) -> Result<()> {
        let n = self.groups.len();
        check_length("observed", n, self.observed.len())?;
        check_length("expected", n, self.expected.len())
    }
}

/// The k-group log-rank test of equal survival curves.
///
/// # Formula
/// At each distinct event time $t$, with $d$ events among $n$ at risk and
/// $n_g$, $d_g$ those of group $g$:
/// $$ E_g = \sum_t d\\,\frac{n_g}{n}, \qquad Z_g = O_g - E_g, \qquad
///    V_{gh} = \sum_t \frac{d (n - d)}{n^2 (n - 1)}\\, n_g (n\\,\delta_{gh} - n_h) $$
/// $$ U = Z^\top V^{-} Z \sim \chi^2_{k-1} $$
/// over the first $k - 1$ groups ($V^{-}$ the Moore–Penrose pseudo-inverse,
/// the plain inverse unless a group is never at risk at an event time). For
/// two groups $U = Z_1^2 / V_{11}$.
/// Source: Mantel (1966), Cancer Chemother. Rep. 50(3); Peto & Peto (1972),
/// JRSS A 135(2); lifelines `statistics.multivariate_logrank_test`.
///
/// # Errors
/// As [`kaplan_meier`] for the columns; [`Error::LengthMismatch`] when
/// `groups` differs in length; [`Error::InvalidArgument`] naming `groups`
/// when it holds fewer than 2 distinct ids; [`Error::ZeroDenominator`] when
/// the variance is zero (no event happened while two groups were at risk),
/// where lifelines would return U = 0, p = 1.
///
/// # Examples
/// ```
/// use retentionkit::survival::log_rank;
/// // Group 1 churns at 1, 2; group 2 at 3, 4.
/// let t = log_rank(&[1.0, 2.0, 3.0, 4.0], &[true; 4], &[1, 1, 2, 2])?;
/// // E_1 = 2/4 + 1/3 + 0/2 + 0/1 = 5/6; Z_1 = 2 − 5/6 = 7/6;
/// // V_11 = 2·2/16 + 1·2/9 + 0 = 17/36; U = (49/36)/(17/36) = 49/17.
/// assert!((t.statistic - 49.0 / 17.0).abs() < 1e-12);
/// assert_eq!(t.df, 1);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn log_rank(durations: &[f64], observed: &[bool], groups: &[u64]) -> Result<LogRank> {
    check_columns(durations, observed)?;
    check_length("groups", durations.len(), groups.len())?;
    let mut ids = groups.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let k = ids.len();
    if k < 2 {
        return Err(invalid_arg(
            "groups",
            format!("the log-rank test needs at least 2 groups, got {k}"),
        ));
    }
    // (duration, event, group index), sorted by duration.
    let mut rows: Vec<(f64, bool, usize)> = Vec::with_capacity(durations.len());
    for ((&d, &o), g) in durations.iter().zip(observed).zip(groups) {
        let gi = ids.binary_search(g).unwrap_or(0);
        rows.push((d + 0.0, o, gi));
    }
    rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));

    let m = k - 1;
    let mut at_risk = vec![0_u64; k];
    for r in &rows {
        at_risk[r.2] += 1;
    }
    let mut n = rows.len() as u64;
    let mut obs = vec![0_u64; k];
    let mut expected = vec![0.0; k];
    let mut v = vec![0.0; m * m];
    let mut d_g = vec![0_u64; k];
    let mut removed = vec![0_u64; k];
    let mut i = 0;
    while let Some(&(t, _, _)) = rows.get(i) {
        d_g.fill(0);
        removed.fill(0);
        while let Some(&(u, o, g)) = rows.get(i) {
            if u != t {
                break;
            }
            d_g[g] += u64::from(o);
            removed[g] += 1;
            i += 1;
        }
        let d: u64 = d_g.iter().sum();
        if d > 0 {
            let (df, nf) = (d as f64, n as f64);
            for g in 0..k {
                obs[g] += d_g[g];
                expected[g] += df * at_risk[g] as f64 / nf;
            }
            if n > 1 {
                let factor = df * (nf - df) / (nf * nf * (nf - 1.0));
                for a in 0..m {
                    let na = at_risk[a] as f64;
                    for b in 0..m {
                        let nb = at_risk[b] as f64;
                        let delta = if a == b { nf } else { 0.0 };
                        v[a * m + b] += factor * na * (delta - nb);
                    }
                }
            }
        }
        for g in 0..k {
            at_risk[g] -= removed[g];
        }
        n -= removed.iter().sum::<u64>();
    }
    let z: Vec<f64> = obs
        .iter()
        .zip(&expected)
        .take(m)
        .map(|(&o, &e)| o as f64 - e)
        .collect();
    let statistic = pinv_quadratic_form(&v, &z, m).ok_or(Error::ZeroDenominator {
        what: "log-rank variance (no event while two groups were at risk)",
    })?;
    let df = m;
    Ok(LogRank {
        statistic,
        df,
        p_value: chi2_sf(statistic, df as f64),
        groups: ids,
        observed: obs,
        expected,
    })
}

/// $z^\top A^{+} z$ for a symmetric positive semi-definite `m × m` matrix
/// `a` (row-major), through its eigen-decomposition (cyclic Jacobi):
/// eigenvalues below $10^{-15} \lambda_{\max}$ count as zero, as numpy's
/// `pinv`. `None` when `a` is zero.
fn pinv_quadratic_form(a: &[f64], z: &[f64], m: usize) -> Option<f64> {
    let mut a = a.to_vec();
    let mut q = vec![0.0; m * m];
    for i in 0..m {
        q[i * m + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..m)
            .flat_map(|i| (0..m).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * m + j] * a[i * m + j])
            .sum();
        let diag: f64 = (0..m).map(|i| a[i * m + i] * a[i * m + i]).sum();
        if off <= 1e-32 * diag || off == 0.0 {
            break;
        }
        for p in 0..m {
            for r in (p + 1)..m {
                let apr = a[p * m + r];
                if apr == 0.0 {
                    continue;
                }
                let theta = (a[r * m + r] - a[p * m + p]) / (2.0 * apr);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for j in 0..m {
                    let (ap, ar) = (a[p * m + j], a[r * m + j]);
                    a[p * m + j] = c * ap - s * ar;
                    a[r * m + j] = s * ap + c * ar;
                }
                for j in 0..m {
                    let (ap, ar) = (a[j * m + p], a[j * m + r]);
                    a[j * m + p] = c * ap - s * ar;
                    a[j * m + r] = s * ap + c * ar;
                }
                for j in 0..m {
                    let (qp, qr) = (q[j * m + p], q[j * m + r]);
                    q[j * m + p] = c * qp - s * qr;
                    q[j * m + r] = s * qp + c * qr;
                }
            }
        }
    }
    let lambda_max = (0..m).map(|i| a[i * m + i].abs()).fold(0.0, f64::max);
    if lambda_max == 0.0 || !lambda_max.is_finite() {
        return None;
    }
    let cutoff = 1e-15 * lambda_max;
    let mut u = 0.0;
    for l in 0..m {
        let lambda = a[l * m + l];
        if lambda > cutoff {
            let proj: f64 = (0..m).map(|j| q[j * m + l] * z[j]).sum();
            u += proj * proj / lambda;
        }
    }
    Some(u)
}
