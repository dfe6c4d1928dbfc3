//! Property tests of the subscription metrics: the MRR identity exactly,
//! GRR <= 1 <= ... bounds, row order, customer-disjoint merges, the series
//! against single periods, and everything against a naive per-customer
//! oracle written straight from docs/metrics.md, "Subscriptions and revenue
//! retention".
//!
//! Amounts are whole cents stored as `f64` (0 to 100,000.00 in cents), so
//! every sum is exact (totals stay far below 2^53) and equality is exact.

use proptest::prelude::*;
use retentionkit::period::{Granularity, Period};
use retentionkit::revenue::{
    mrr_movements, mrr_series, subscription_cohorts, MrrMovements, SubscriptionLog,
};

use crate::synth::{config, granularity, permutation, BASE_DAY};

/// Subscription rows: (id, start, end, mrr in whole cents).
#[derive(Debug, Clone)]
struct Subs {
    ids: Vec<u64>,
    start: Vec<i32>,
    end: Vec<Option<i32>>,
    mrr: Vec<f64>,
}

impl Subs {
    fn log(&self) -> SubscriptionLog {
        SubscriptionLog::new(&self.ids, &self.start, &self.end, &self.mrr).unwrap()
    }

    fn select(&self, keep: impl Fn(u64) -> bool) -> Option<Subs> {
        let rows: Vec<usize> = (0..self.ids.len()).filter(|&i| keep(self.ids[i])).collect();
        (!rows.is_empty()).then(|| Subs {
            ids: rows.iter().map(|&i| self.ids[i]).collect(),
            start: rows.iter().map(|&i| self.start[i]).collect(),
            end: rows.iter().map(|&i| self.end[i]).collect(),
            mrr: rows.iter().map(|&i| self.mrr[i]).collect(),
        })
    }

    fn permuted(&self, seed: u64) -> Subs {
        let p = permutation(self.ids.len(), seed);
        Subs {
            ids: p.iter().map(|&i| self.ids[i]).collect(),
            start: p.iter().map(|&i| self.start[i]).collect(),
            end: p.iter().map(|&i| self.end[i]).collect(),
            mrr: p.iter().map(|&i| self.mrr[i]).collect(),
        }
    }
}

/// 1..=`max_rows` subscriptions of up to 25 customers (small ids, or ids
/// near `u64::MAX`), starting in the 400 days from [`BASE_DAY`], a fifth of
/// them open-ended, the rest 1 to 200 days long; MRR in whole cents with
/// about 10 % free plans (0).
fn subs(max_rows: usize) -> impl Strategy<Value = Subs> {
    let base = prop_oneof![Just(0u64), Just(1_000_000), Just(u64::MAX - 30)];
    (base, 1..=max_rows)
        .prop_flat_map(|(base, n)| {
            (
                Just(base),
                prop::collection::vec(
                    (
                        0u64..25,
                        0i32..400,
                        prop::option::weighted(0.8, 1i32..200),
                        0u32..1_000_000,
                    ),
                    n,
                ),
            )
        })
        .prop_map(|(base, rows)| {
            let mrr = |c: u32| if c < 100_000 { 0.0 } else { f64::from(c) };
            Subs {
                ids: rows.iter().map(|r| base + r.0).collect(),
                start: rows.iter().map(|r| BASE_DAY + r.1).collect(),
                end: rows
                    .iter()
                    .map(|r| r.2.map(|len| BASE_DAY + r.1 + len))
                    .collect(),
                mrr: rows.iter().map(|r| mrr(r.3)).collect(),
            }
        })
}

/// A period inside (or around) the rows' range.
fn period() -> impl Strategy<Value = Period> {
    (-20i32..620, 1i32..150)
        .prop_map(|(s, len)| Period::new(BASE_DAY + s, BASE_DAY + s + len).unwrap())
}

/// The movements straight from the definitions: per customer, MRR at p0 and
/// p1 summed over the covering rows, classified, and added up.
fn oracle(s: &Subs, p: Period) -> MrrMovements {
    let mut customers: Vec<u64> = s.ids.clone();
    customers.sort_unstable();
    customers.dedup();
    let mut m = MrrMovements {
        period: p,
        start_mrr: 0.0,
        end_mrr: 0.0,
        new: 0.0,
        expansion: 0.0,
        contraction: 0.0,
        churned: 0.0,
        reactivation: 0.0,
        start_customers: 0,
        end_customers: 0,
        retained_customers: 0,
        new_customers: 0,
        expansion_customers: 0,
        contraction_customers: 0,
        churned_customers: 0,
        reactivation_customers: 0,
    };
    for c in customers {
        let rows: Vec<usize> = (0..s.ids.len()).filter(|&i| s.ids[i] == c).collect();
        let covers = |i: usize, t: i32| s.start[i] <= t && s.end[i].is_none_or(|e| t < e);
        let at = |t: i32| -> (f64, bool) {
            let mut v = 0.0;
            let mut active = false;
            for &i in &rows {
                if covers(i, t) {
                    v += s.mrr[i];
                    active = true;
                }
            }
            (v, active)
        };
        let ((m0, a0), (m1, a1)) = (at(p.start), at(p.end));
        let before = rows.iter().any(|&i| s.start[i] < p.start && s.mrr[i] > 0.0);
        m.start_mrr += m0;
        m.end_mrr += m1;
        m.start_customers += u64::from(a0);
        m.end_customers += u64::from(a1);
        m.retained_customers += u64::from(a0 && a1);
        if m0 == 0.0 && m1 > 0.0 {
            if before {
                m.reactivation += m1;
                m.reactivation_customers += 1;
            } else {
                m.new += m1;
                m.new_customers += 1;
            }
        } else if m0 > 0.0 && m1 == 0.0 {
            m.churned += m0;
            m.churned_customers += 1;
        } else if m0 > 0.0 && m1 > m0 {
            m.expansion += m1 - m0;
            m.expansion_customers += 1;
        } else if m1 > 0.0 && m1 < m0 {
            m.contraction += m0 - m1;
            m.contraction_customers += 1;
        }
    }
    m
}

fn identity_holds(m: &MrrMovements) -> bool {
    m.start_mrr + m.new + m.expansion + m.reactivation - m.contraction - m.churned == m.end_mrr
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn movements_match_the_oracle_and_the_identity_is_exact(s in subs(60), p in period()) {
        let m = mrr_movements(&s.log(), p).unwrap();
        let want = oracle(&s, p);
        prop_assert_eq!(&m, &want);
        prop_assert!(identity_holds(&m), "{:?}", m);
        // MRR at the period's ends agrees with mrr_at.
        prop_assert_eq!(m.start_mrr, s.log().mrr_at(p.start).unwrap());
        prop_assert_eq!(m.end_customers, s.log().active_customers_at(p.end).unwrap());
    }

    #[test]
    fn revenue_rates_are_ordered(s in subs(60), p in period()) {
        let m = mrr_movements(&s.log(), p).unwrap();
        if m.start_mrr > 0.0 {
            let grr = m.gross_revenue_retention().unwrap();
            let nrr = m.net_revenue_retention().unwrap();
            prop_assert!((0.0..=1.0).contains(&grr), "GRR {}", grr);
            prop_assert!(nrr >= grr, "NRR {} < GRR {}", nrr, grr);
            prop_assert_eq!(m.gross_revenue_churn().unwrap(), (m.churned + m.contraction) / m.start_mrr);
            prop_assert!(m.net_revenue_churn().unwrap() <= m.gross_revenue_churn().unwrap());
        } else {
            prop_assert!(m.gross_revenue_retention().is_err());
        }
        if m.start_customers > 0 {
            let r = m.logo_retention().unwrap();
            prop_assert!((0.0..=1.0).contains(&r));
            prop_assert!(m.retained_customers <= m.start_customers.min(m.end_customers));
        }
        // SaaS quick ratio: above 1 exactly when the MRR grew (whole cents,
        // so the identity end − start = gained − lost is exact).
        let lost = m.contraction + m.churned;
        if let Ok(q) = m.quick_ratio() {
            prop_assert_eq!(q > 1.0, m.end_mrr > m.start_mrr);
        } else {
            prop_assert_eq!(lost, 0.0);
        }
    }

    #[test]
    fn shuffled_rows_give_the_same_result(s in subs(60), p in period(), seed in any::<u64>(), g in granularity()) {
        let (a, b) = (s.log(), s.permuted(seed).log());
        prop_assert_eq!(mrr_movements(&a, p).unwrap(), mrr_movements(&b, p).unwrap());
        let (first, last) = (BASE_DAY, BASE_DAY + 420);
        let g = if g == Granularity::Day { Granularity::Week } else { g };
        prop_assert_eq!(mrr_series(&a, g, first, last).unwrap(), mrr_series(&b, g, first, last).unwrap());
    }

    #[test]
    fn disjoint_customer_parts_merge_to_the_whole(s in subs(60), p in period(), k in 2u64..4) {
        let parts: Vec<Subs> = (0..k).filter_map(|r| s.select(|id| id % k == r)).collect();
        let movements: Vec<MrrMovements> =
            parts.iter().map(|x| mrr_movements(&x.log(), p).unwrap()).collect();
        prop_assert_eq!(MrrMovements::merge(&movements).unwrap(), mrr_movements(&s.log(), p).unwrap());
        let (first, last) = (BASE_DAY, BASE_DAY + 420);
        let series: Vec<_> = parts
            .iter()
            .map(|x| mrr_series(&x.log(), Granularity::Month, first, last).unwrap())
            .collect();
        prop_assert_eq!(
            retentionkit::revenue::MrrSeries::merge(&series).unwrap(),
            mrr_series(&s.log(), Granularity::Month, first, last).unwrap()
        );
    }

    #[test]
    fn every_series_row_is_its_single_period(s in subs(60), g in granularity(), a in -10i32..300, len in 0i32..300) {
        let g = if g == Granularity::Day { Granularity::Week } else { g };
        let (first, last) = (BASE_DAY + a, BASE_DAY + a + len);
        let series = mrr_series(&s.log(), g, first, last).unwrap();
        prop_assert_eq!(series.rows.len(), usize::try_from(g.index(last) - g.index(first) + 1).unwrap());
        for (j, row) in series.rows.iter().enumerate() {
            prop_assert_eq!(row, &mrr_movements(&s.log(), row.period).unwrap());
            prop_assert!(identity_holds(row));
            if let Some(next) = series.rows.get(j + 1) {
                prop_assert_eq!(row.period.end, next.period.start);
                prop_assert_eq!(row.end_mrr, next.start_mrr);
            }
        }
    }
}

/// A cohort row as (cohort month, size, active cells, MRR cells).
type CohortCells = (i32, u64, Vec<Option<u64>>, Vec<Option<f64>>);

/// Cohort matrices straight from the definitions, month by month.
fn cohort_oracle(s: &Subs, obs_end: i32) -> Vec<CohortCells> {
    let g = Granularity::Month;
    let mut customers: Vec<u64> = s.ids.clone();
    customers.sort_unstable();
    customers.dedup();
    let first_month = g.index(*s.start.iter().min().unwrap());
    let ncols = usize::try_from(g.index(obs_end) - first_month + 1).unwrap_or(0);
    let mut out: Vec<CohortCells> = Vec::new();
    for c in customers {
        let rows: Vec<usize> = (0..s.ids.len()).filter(|&i| s.ids[i] == c).collect();
        let first = rows.iter().map(|&i| s.start[i]).min().unwrap();
        if first > obs_end {
            continue;
        }
        let cohort = g.index(first);
        let pos = out.iter().position(|r| r.0 == cohort).unwrap_or_else(|| {
            out.push((cohort, 0, vec![None; ncols], vec![None; ncols]));
            out.len() - 1
        });
        let row = &mut out[pos];
        row.1 += 1;
        for k in 0..ncols {
            let p = g
                .period_of_index(cohort + i32::try_from(k).unwrap())
                .unwrap();
            let last = p.end - 1;
            if last > obs_end {
                continue;
            }
            let touched = rows
                .iter()
                .any(|&i| s.start[i] <= last && s.end[i].is_none_or(|e| e > p.start));
            let mrr: f64 = rows
                .iter()
                .filter(|&&i| s.start[i] <= last && s.end[i].is_none_or(|e| last < e))
                .map(|&i| s.mrr[i])
                .sum();
            row.2[k] = Some(row.2[k].unwrap_or(0) + u64::from(touched));
            row.3[k] = Some(row.3[k].unwrap_or(0.0) + mrr);
        }
    }
    out.sort_by_key(|r| r.0);
    out
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn cohorts_match_the_oracle_and_ignore_row_order(s in subs(60), end in 0i32..700, seed in any::<u64>()) {
        let obs_end = BASE_DAY + end;
        let c = subscription_cohorts(&s.log(), obs_end).unwrap();
        let got: Vec<_> = c
            .rows
            .iter()
            .map(|r| (r.cohort, r.size, r.active.clone(), r.mrr.clone()))
            .collect();
        prop_assert_eq!(&got, &cohort_oracle(&s, obs_end));
        prop_assert_eq!(c, subscription_cohorts(&s.permuted(seed).log(), obs_end).unwrap());
    }
}
