//! Property tests of lifecycle (growth) accounting: every count against a
//! naive oracle written from the table in docs/metrics.md, "Lifecycle and
//! growth accounting" (each customer's set of active periods, compared
//! period by period), the identities that hold in every period, row order,
//! and the merge of customer-disjoint parts.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use retentionkit::lifecycle::{lifecycle, lifecycle_between, Lifecycle, LifecycleRow};
use retentionkit::period::Granularity;

use crate::oracle::Rows;
use crate::synth::{self, config, granularity, permutation};

/// (new, returning, resurrecting, dormant) of the periods `first..=last`
/// (period numbers of [`Granularity::index`]), from each customer's set of
/// active periods.
fn oracle(rows: &Rows, g: Granularity, first: i32, last: i32) -> Vec<(u64, u64, u64, u64)> {
    let mut active: BTreeMap<u64, BTreeSet<i32>> = BTreeMap::new();
    for (&id, &day) in rows.ids.iter().zip(&rows.days) {
        active.entry(id).or_default().insert(g.index(day));
    }
    (first..=last)
        .map(|p| {
            let mut c = (0, 0, 0, 0);
            for set in active.values() {
                let now = set.contains(&p);
                let before = set.contains(&(p - 1));
                let earlier = set.iter().any(|&q| q < p - 1);
                match (now, before, earlier) {
                    (true, true, _) => c.1 += 1,
                    (true, false, true) => c.2 += 1,
                    (true, false, false) => c.0 += 1,
                    (false, true, _) => c.3 += 1,
                    (false, false, _) => {}
                }
            }
            c
        })
        .collect()
}

fn counts(r: &LifecycleRow) -> (u64, u64, u64, u64) {
    (r.new, r.returning, r.resurrecting, r.dormant)
}

/// Customers with an order in each period `first..=last`, counted directly.
fn active_counts(rows: &Rows, g: Granularity, first: i32, last: i32) -> Vec<u64> {
    (first..=last)
        .map(|p| {
            let ids: BTreeSet<u64> = rows
                .ids
                .iter()
                .zip(&rows.days)
                .filter(|&(_, &d)| g.index(d) == p)
                .map(|(&id, _)| id)
                .collect();
            ids.len() as u64
        })
        .collect()
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn lifecycle_matches_the_oracle_and_its_identities(
        rows in synth::rows(120),
        g in granularity(),
        wider in prop::option::of((0i32..100, 0i32..100)),
    ) {
        let log = synth::log(&rows);
        let (from, to) = wider.map_or((rows.first_day(), rows.last_day()), |(a, b)| {
            (rows.first_day() + a, rows.last_day() + b)
        });
        let from = from.min(to);
        let l = if wider.is_some() {
            lifecycle_between(&log, g, from, to).unwrap()
        } else {
            lifecycle(&log, g).unwrap()
        };
        let (first, last) = (g.index(from), g.index(to));
        let want = oracle(&rows, g, first, last);
        let got: Vec<_> = l.rows.iter().map(counts).collect();
        prop_assert_eq!(&got, &want);
        // Identities of every period: active = new + returning + resurrecting;
        // active(previous) = returning + dormant; so the change of the active
        // base is new + resurrecting − dormant.
        let active = active_counts(&rows, g, first - 1, last);
        for ((i, r), p) in l.rows.iter().enumerate().zip(first..) {
            prop_assert_eq!(r.active(), active[i + 1]);
            prop_assert_eq!(r.returning + r.dormant, active[i]);
            prop_assert_eq!(
                active[i + 1] + r.dormant,
                active[i] + r.new + r.resurrecting
            );
            prop_assert_eq!(r.period, g.period_of_index(p).unwrap());
            if let Ok(q) = r.quick_ratio() {
                prop_assert_eq!(q, (r.new + r.resurrecting) as f64 / r.dormant as f64);
            } else {
                prop_assert_eq!(r.dormant, 0);
            }
        }
        if wider.is_none() {
            // Over the log's own range every customer is new exactly once and
            // the first period has no returning, resurrecting or dormant.
            prop_assert_eq!(
                l.rows.iter().map(|r| r.new).sum::<u64>(),
                log.num_customers() as u64
            );
            prop_assert_eq!(counts(&l.rows[0]).1 + counts(&l.rows[0]).2 + counts(&l.rows[0]).3, 0);
        }
    }

    #[test]
    fn shuffled_rows_and_customer_disjoint_parts_give_the_whole(
        rows in synth::rows(120),
        g in granularity(),
        seed in any::<u64>(),
        salt in any::<u64>(),
        nparts in 2u64..4,
    ) {
        let whole = lifecycle(&synth::log(&rows), g).unwrap();
        let shuffled = rows.permute(&permutation(rows.ids.len(), seed));
        prop_assert_eq!(&lifecycle(&synth::log(&shuffled), g).unwrap(), &whole);
        let part_of = |id: u64| (id ^ salt).wrapping_mul(0x9E37_79B9_7F4A_7C15) % nparts;
        let parts: Vec<Lifecycle> = (0..nparts)
            .map(|p| rows.filter(|id| part_of(id) == p))
            .filter(|r| !r.ids.is_empty())
            .map(|r| lifecycle_between(&synth::log(&r), g, rows.first_day(), rows.last_day()).unwrap())
            .collect();
        prop_assert_eq!(Lifecycle::merge(&parts).unwrap(), whole);
    }
}

/// Above 2^16 rows the core splits customers into one part per thread: the
/// counts must still be the oracle's, in date order or not.
#[test]
fn large_logs_split_over_threads_match_the_oracle() {
    for (sparse, sorted) in [(false, true), (true, false)] {
        let rows = crate::large::big_rows(70_000, 5_000, sparse, sorted, 7);
        let l = lifecycle(&synth::log(&rows), Granularity::Month).unwrap();
        let (first, last) = (
            Granularity::Month.index(rows.first_day()),
            Granularity::Month.index(rows.last_day()),
        );
        let got: Vec<_> = l.rows.iter().map(counts).collect();
        assert_eq!(got, oracle(&rows, Granularity::Month, first, last));
    }
}
