//! The passes over the sorted data behind [`super::cox_ph`]: the partial
//! log-likelihood with its gradient and Hessian (Efron or Breslow ties), the
//! score residuals of the sandwich variance, the Schoenfeld residuals, the
//! Breslow baseline hazard and Harrell's concordance.
//!
//! Every pass walks one stratum at a time from the latest time to the
//! earliest, adding each row to the risk-set sums
//! $S_0 = \sum_{R} w_j e^{\eta_j}$, $S_1 = \sum_R w_j e^{\eta_j} x_j$,
//! $S_2 = \sum_R w_j e^{\eta_j} x_j x_j^\top$, so one pass costs
//! $O(n p^2)$ for $n$ rows and $p$ covariates.

// Matrix and row code reads best with indices.
#![allow(clippy::needless_range_loop)]

use super::{Prepared, Ties};

/// Value, gradient and Hessian of the partial log-likelihood at one point.
pub(super) struct Pass {
    pub ll: f64,
    pub gradient: Vec<f64>,
    /// Row-major $p \times p$, negative semi-definite.
    pub hessian: Vec<f64>,
}

/// The rows `[start, end)` of one tie group (same stratum, same time) in
/// the sorted order, as a list of groups per stratum, latest first.
pub(super) fn groups(prep: &Prepared) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let n = prep.time.len();
    let mut end = n;
    while end > 0 {
        let mut start = end - 1;
        while start > 0
            && prep.time[start - 1] == prep.time[end - 1]
            && prep.stratum[start - 1] == prep.stratum[end - 1]
        {
            start -= 1;
        }
        out.push((start, end));
        end = start;
    }
    out
}

/// Linear predictors $\eta_i = x_i^\top \beta$ (centred covariates) in the
/// sorted order; `None` when one is not finite.
pub(super) fn linear_predictors(prep: &Prepared, beta: &[f64]) -> Option<Vec<f64>> {
    let p = beta.len();
    let eta: Vec<f64> = prep
        .x
        .chunks_exact(p)
        .map(|row| row.iter().zip(beta).map(|(a, b)| a * b).sum())
        .collect();
    eta.iter().all(|e| e.is_finite()).then_some(eta)
}

/// Running risk-set sums of one stratum.
struct Sums {
    s0: f64,
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl Sums {
    fn new(p: usize) -> Self {
        Self {
            s0: 0.0,
            s1: vec![0.0; p],
            s2: vec![0.0; p * p],
        }
    }

    fn clear(&mut self) {
        self.s0 = 0.0;
        self.s1.fill(0.0);
        self.s2.fill(0.0);
    }

    fn add(&mut self, r: f64, x: &[f64], second: bool) {
        let p = x.len();
        self.s0 += r;
        for (s, xi) in self.s1.iter_mut().zip(x) {
            *s += r * xi;
        }
        if second {
            for (a, &xa) in x.iter().enumerate() {
                let ra = r * xa;
                let row = &mut self.s2[a * p..=a * p + a];
                for (s, &xb) in row.iter_mut().zip(x) {
                    *s += ra * xb;
                }
            }
        }
    }
}

/// The partial log-likelihood, gradient and Hessian at `beta`; `None` when
/// a value overflows (the caller halves the step).
///
/// Breslow (1974): $\ell = \sum_{t} \bigl[\sum_{i \in D_t} w_i \eta_i - W_t \ln S_0(t)\bigr]$,
/// $W_t$ the weight of the $d_t$ events at $t$. Efron (1977): the log term
/// becomes $\bar w_t \sum_{k=0}^{d_t - 1} \ln\bigl(S_0(t) - \tfrac{k}{d_t} S_0^{D}(t)\bigr)$,
/// $\bar w_t = W_t / d_t$, $S^{D}$ the sums over the events at $t$.
pub(super) fn likelihood(prep: &Prepared, beta: &[f64], ties: Ties, second: bool) -> Option<Pass> {
    let p = beta.len();
    let eta = linear_predictors(prep, beta)?;
    let mut risk = Sums::new(p);
    let mut tie = Sums::new(p);
    let mut ll = 0.0;
    let mut gradient = vec![0.0; p];
    let mut hessian = vec![0.0; p * p];
    let mut current_stratum = None;
    for (start, end) in groups(prep) {
        if current_stratum != Some(prep.stratum[start]) {
            risk.clear();
            current_stratum = Some(prep.stratum[start]);
        }
        tie.clear();
        let (mut d, mut w_events) = (0usize, 0.0);
        for i in start..end {
            let x = &prep.x[i * p..(i + 1) * p];
            let r = prep.weight[i] * eta[i].exp();
            risk.add(r, x, second);
            if prep.event[i] {
                tie.add(r, x, second);
                d += 1;
                w_events += prep.weight[i];
                ll += prep.weight[i] * eta[i];
                for (g, xi) in gradient.iter_mut().zip(x) {
                    *g += prep.weight[i] * xi;
                }
            }
        }
        if d == 0 {
            continue;
        }
        let (steps, w_bar) = match ties {
            Ties::Breslow => (1, w_events),
            Ties::Efron => (d, w_events / d as f64),
        };
        // Efron's fractions f = k/d enter through scalar sums only:
        // Σ ln s0ₖ, a_m = Σ fᵐ / s0ₖ and b_m = Σ fᵐ / s0ₖ², so a group costs
        // O(d + p²) instead of O(d p²).
        let (mut log_sum, mut a0, mut a1, mut b0, mut b1, mut b2) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for k in 0..steps {
            let f = k as f64 / d as f64;
            let s0 = risk.s0 - f * tie.s0;
            if !(s0 > 0.0 && s0.is_finite()) {
                return None;
            }
            let inv = 1.0 / s0;
            log_sum += s0.ln();
            a0 += inv;
            a1 += f * inv;
            b0 += inv * inv;
            b1 += f * inv * inv;
            b2 += f * f * inv * inv;
        }
        ll -= w_bar * log_sum;
        for a in 0..p {
            gradient[a] -= w_bar * (risk.s1[a] * a0 - tie.s1[a] * a1);
        }
        if second {
            for a in 0..p {
                let (ra, ta) = (risk.s1[a], tie.s1[a]);
                for b in 0..=a {
                    let (rb, tb) = (risk.s1[b], tie.s1[b]);
                    let s2 = risk.s2[a * p + b] * a0 - tie.s2[a * p + b] * a1;
                    let outer = ra * rb * b0 - (ra * tb + ta * rb) * b1 + ta * tb * b2;
                    hessian[a * p + b] -= w_bar * (s2 - outer);
                }
            }
        }
    }
    for a in 0..p {
        for b in 0..a {
            hessian[b * p + a] = hessian[a * p + b];
        }
    }
    (ll.is_finite() && gradient.iter().all(|g| g.is_finite())).then_some(Pass {
        ll,
        gradient,
        hessian,
    })
}

/// What the residuals need of one tie group with events: the mean
/// covariate of its events' term, and the compensator coefficients for a
/// row at risk ($A$, $B$) and for one of its own events ($A'$, $B'$).
struct GroupTerms {
    event_mean: Vec<f64>,
    a: f64,
    b: Vec<f64>,
    a_own: f64,
    b_own: Vec<f64>,
}

/// Per tie group (same order as [`groups`]), the terms of the residuals, or
/// `None` for a group without events.
fn group_terms(prep: &Prepared, eta: &[f64], ties: Ties) -> Vec<Option<GroupTerms>> {
    let p = prep.p;
    let mut risk = Sums::new(p);
    let mut tie = Sums::new(p);
    let mut current_stratum = None;
    let mut out = Vec::new();
    for (start, end) in groups(prep) {
        if current_stratum != Some(prep.stratum[start]) {
            risk.clear();
            current_stratum = Some(prep.stratum[start]);
        }
        tie.clear();
        let (mut d, mut w_events) = (0usize, 0.0);
        for i in start..end {
            let x = &prep.x[i * p..(i + 1) * p];
            let r = prep.weight[i] * eta[i].exp();
            risk.add(r, x, false);
            if prep.event[i] {
                tie.add(r, x, false);
                d += 1;
                w_events += prep.weight[i];
            }
        }
        if d == 0 {
            out.push(None);
            continue;
        }
        let (steps, w_bar) = match ties {
            Ties::Breslow => (1, w_events),
            Ties::Efron => (d, w_events / d as f64),
        };
        let mut t = GroupTerms {
            event_mean: vec![0.0; p],
            a: 0.0,
            b: vec![0.0; p],
            a_own: 0.0,
            b_own: vec![0.0; p],
        };
        for k in 0..steps {
            let f = k as f64 / d as f64;
            let s0 = risk.s0 - f * tie.s0;
            let c = w_bar / s0;
            // Breslow: every event is at risk for the whole increment.
            let own = match ties {
                Ties::Breslow => 1.0,
                Ties::Efron => 1.0 - f,
            };
            t.a += c;
            t.a_own += own * c;
            for a in 0..p {
                let mean = (risk.s1[a] - f * tie.s1[a]) / s0;
                t.event_mean[a] += mean / steps as f64;
                t.b[a] += c * mean;
                t.b_own[a] += own * c * mean;
            }
        }
        out.push(Some(t));
    }
    out
}

/// Score residuals $r_i$ (row-major, sorted order) at `beta`, weights
/// included, so that $\sum_i r_i$ is the gradient.
///
/// $r_i = w_i \bigl[\delta_i (x_i - \bar x^{D}_{t_i}) - e^{\eta_i} \sum_{t \le t_i}
/// c_{i,t} \sum_k \frac{\bar w_t}{S_{0k}(t)} (x_i - \bar x_k(t))\bigr]$, $c_{i,t} = 1$
/// except $1 - k/d_t$ for an Efron event at its own time: the martingale
/// form of Lin & Wei (1989), with Efron's fractions as in R's `survival`.
pub(super) fn score_residuals(prep: &Prepared, eta: &[f64], ties: Ties) -> Vec<f64> {
    let p = prep.p;
    let n = prep.time.len();
    let terms = group_terms(prep, eta, ties);
    let mut groups = groups(prep);
    let mut terms = terms;
    // Forward in time: reverse both lists (they run latest first).
    groups.reverse();
    terms.reverse();
    let mut out = vec![0.0; n * p];
    let (mut cum_a, mut cum_b) = (0.0, vec![0.0; p]);
    let mut current_stratum = None;
    for ((start, end), term) in groups.into_iter().zip(terms) {
        if current_stratum != Some(prep.stratum[start]) {
            cum_a = 0.0;
            cum_b.fill(0.0);
            current_stratum = Some(prep.stratum[start]);
        }
        for i in start..end {
            let x = &prep.x[i * p..(i + 1) * p];
            let r = eta[i].exp();
            let w = prep.weight[i];
            let row = &mut out[i * p..(i + 1) * p];
            for a in 0..p {
                let mut v = -r * (x[a] * cum_a - cum_b[a]);
                if let Some(t) = &term {
                    if prep.event[i] {
                        v += x[a] - t.event_mean[a] - r * (x[a] * t.a_own - t.b_own[a]);
                    } else {
                        v -= r * (x[a] * t.a - t.b[a]);
                    }
                }
                row[a] = w * v;
            }
        }
        if let Some(t) = &term {
            cum_a += t.a;
            for (c, b) in cum_b.iter_mut().zip(&t.b) {
                *c += b;
            }
        }
    }
    out
}

/// Schoenfeld residuals $x_i - \bar x^{D}_{t_i}$ of the event rows, in the
/// sorted order (row-major, one row per event), unweighted as lifelines'.
/// $\bar x^{D}_t$ is $S_1 / S_0$ (Breslow) or the mean over Efron's
/// fractions $k = 0..d_t - 1$ of $S_{1k} / S_{0k}$.
pub(super) fn schoenfeld(prep: &Prepared, eta: &[f64], ties: Ties) -> Vec<f64> {
    let p = prep.p;
    let terms = group_terms(prep, eta, ties);
    let mut rows: Vec<(usize, Vec<f64>)> = Vec::new();
    for ((start, end), term) in groups(prep).into_iter().zip(terms) {
        if let Some(t) = term {
            for i in (start..end).filter(|&i| prep.event[i]) {
                let x = &prep.x[i * p..(i + 1) * p];
                rows.push((i, x.iter().zip(&t.event_mean).map(|(a, m)| a - m).collect()));
            }
        }
    }
    rows.sort_unstable_by_key(|r| r.0);
    rows.into_iter().flat_map(|r| r.1).collect()
}

/// Breslow's estimator of the baseline cumulative hazard per stratum at
/// `eta` (centred covariates, so the baseline is that of the mean row):
/// $\hat H_0(t) = \sum_{t_j \le t} W_{t_j} / \sum_{R(t_j)} w_i e^{\eta_i}$ at every
/// distinct time of the stratum. Returns (stratum, times, cumulative hazard),
/// strata and times increasing.
pub(super) fn baseline(prep: &Prepared, eta: &[f64]) -> Vec<(u32, Vec<f64>, Vec<f64>)> {
    let mut out: Vec<(u32, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut s0 = 0.0;
    let mut current_stratum = None;
    for (start, end) in groups(prep) {
        let stratum = prep.stratum[start];
        if current_stratum != Some(stratum) {
            s0 = 0.0;
            current_stratum = Some(stratum);
            out.push((stratum, Vec::new(), Vec::new()));
        }
        let mut w_events = 0.0;
        for i in start..end {
            s0 += prep.weight[i] * eta[i].exp();
            if prep.event[i] {
                w_events += prep.weight[i];
            }
        }
        if let Some(last) = out.last_mut() {
            last.1.push(prep.time[start]);
            last.2.push(w_events / s0);
        }
    }
    out.reverse();
    for (_, times, hazard) in &mut out {
        times.reverse();
        hazard.reverse();
        let mut cum = 0.0;
        for h in hazard.iter_mut() {
            cum += *h;
            *h = cum;
        }
    }
    out
}

/// Harrell's concordance counts within each stratum: (concordant, tied in
/// the score, comparable pairs). A pair is comparable when the shorter
/// duration is an event, or both durations are equal and only one is an
/// event (the censored subject outlived the event); concordant when the
/// event row has the higher linear predictor. $O(n \log n)$ with a Fenwick
/// tree over the ranks of the linear predictors.
pub(super) fn concordance_counts(prep: &Prepared, eta: &[f64]) -> (u64, u64, u64) {
    // Dense ranks of the linear predictors (equal values, equal rank), by one sort.
    let mut by_eta: Vec<(f64, usize)> = eta.iter().copied().zip(0..).collect();
    by_eta.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut ranks = vec![0usize; eta.len()];
    let mut m = 0;
    for (k, &(e, i)) in by_eta.iter().enumerate() {
        if k > 0 && e != by_eta[k - 1].0 {
            m += 1;
        }
        ranks[i] = m;
    }
    let m = m + 1;
    let rank = |i: usize| ranks[i];
    let mut tree = vec![0u64; m + 1];
    let mut inserted: Vec<usize> = Vec::new();
    let add = |tree: &mut Vec<u64>, mut k: usize| {
        k += 1;
        while k <= m {
            tree[k] += 1;
            k += k & k.wrapping_neg();
        }
    };
    // Rows with rank < k.
    let below = |tree: &Vec<u64>, mut k: usize| {
        let mut s = 0;
        while k > 0 {
            s += tree[k];
            k &= k - 1;
        }
        s
    };
    let (mut concordant, mut tied, mut pairs) = (0u64, 0u64, 0u64);
    let mut total = 0u64;
    let mut current_stratum = None;
    for (start, end) in groups(prep) {
        if current_stratum != Some(prep.stratum[start]) {
            // Empty the tree: remove what the previous stratum inserted.
            for &k in &inserted {
                let mut j = k + 1;
                while j <= m {
                    tree[j] -= 1;
                    j += j & j.wrapping_neg();
                }
            }
            inserted.clear();
            total = 0;
            current_stratum = Some(prep.stratum[start]);
        }
        for i in (start..end).filter(|&i| !prep.event[i]) {
            let k = rank(i);
            add(&mut tree, k);
            inserted.push(k);
            total += 1;
        }
        for i in (start..end).filter(|&i| prep.event[i]) {
            let k = rank(i);
            let lower = below(&tree, k);
            let equal = below(&tree, k + 1) - lower;
            pairs += total;
            concordant += lower;
            tied += equal;
        }
        for i in (start..end).filter(|&i| prep.event[i]) {
            let k = rank(i);
            add(&mut tree, k);
            inserted.push(k);
            total += 1;
        }
    }
    (concordant, tied, pairs)
}
