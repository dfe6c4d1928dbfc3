//! Property tests on random logs: the core agrees with the oracle, rates are
//! shares, the identities of docs/metrics.md hold, row order does not
//! matter, and results of customer-disjoint parts merge into the whole.

use proptest::prelude::*;
use retentionkit::cohort::{
    bracket_retention, cohort_matrix, BracketMatrix, CohortMatrix, CohortOptions, RetentionKind,
};
use retentionkit::kpi::{
    kpi_series, kpi_series_between, period_kpis, purchase_counts, KpiRow, KpiSeries, PurchaseCounts,
};
use retentionkit::period::{Granularity, Lookback, Period};
use retentionkit::rfm::{rfm, Rfm};
use retentionkit::summary::{
    calibration_holdout, summary, summary_columns, CompressedSpend, CompressedSummary,
    KeyedSummary, Summary, SummaryColumns, SummaryOptions, TimeUnit,
};
use retentionkit::{Error, TransactionLog};

use crate::oracle::{self, Rows};
use crate::synth::{self, assert_close, assert_close_all, assert_row_is, BASE_DAY};

/// A share is in [0, 1]; a zero denominator is an error, never NaN.
#[track_caller]
fn assert_share(x: retentionkit::Result<f64>, what: &str) {
    match x {
        Ok(v) => assert!((0.0..=1.0).contains(&v), "{what} = {v} is not a share"),
        Err(Error::ZeroDenominator { .. }) => {}
        Err(e) => panic!("{what}: unexpected error {e:?}"),
    }
}

/// The identities of docs/metrics.md, "Activity: S, E, N, retained,
/// reactivated", and the bounds of the rates defined after it, on one row.
#[track_caller]
pub fn check_row_identities(r: &KpiRow) {
    assert_eq!(
        r.end_customers,
        r.retained + r.new_customers + r.reactivated,
        "{}: E = retained + N + reactivated",
        r.label
    );
    assert!(r.retained <= r.start_customers.min(r.end_customers));
    assert!(
        r.active_customers <= r.end_customers,
        "{}: ordered but not in E",
        r.label
    );
    assert!(r.repeat_customers <= r.active_customers);
    assert!(r.active_customers <= r.customer_days && r.customer_days <= r.orders);
    for (name, x) in [
        ("cohort retention", r.cohort_retention()),
        ("churn", r.churn_rate()),
        ("repeat customer rate", r.repeat_customer_rate()),
        ("engagement", r.engagement()),
        ("stickiness", r.stickiness()),
    ] {
        assert_share(x, &format!("{} {name}", r.label));
    }
    if r.start_customers == 0 {
        for x in [
            r.retention_rate(),
            r.cohort_retention(),
            r.churn_rate(),
            r.net_change_rate(),
            r.growth_rate(),
        ] {
            assert!(matches!(x, Err(Error::ZeroDenominator { .. })), "{x:?}");
        }
    } else {
        let (c, ch) = (r.cohort_retention().unwrap(), r.churn_rate().unwrap());
        assert!((ch - (1.0 - c)).abs() <= 1e-12, "churn {ch} != 1 - {c}");
        let s = r.start_customers as f64;
        assert_close(
            r.retention_rate().unwrap(),
            (r.end_customers as f64 - r.new_customers as f64) / s,
            "CRR",
        );
        assert_close(
            r.growth_rate().unwrap(),
            -r.net_change_rate().unwrap(),
            "growth = -net change",
        );
    }
    if r.active_customers == 0 {
        assert!(matches!(
            r.purchase_frequency(),
            Err(Error::ZeroDenominator { .. })
        ));
    } else {
        assert!(r.purchase_frequency().unwrap() >= 1.0);
    }
    match r.revenue {
        None => assert!(matches!(
            r.average_order_value(),
            Err(Error::MissingColumn { .. })
        )),
        Some(rev) => {
            assert!(rev >= 0.0);
            if r.orders == 0 {
                assert!(matches!(
                    r.average_order_value(),
                    Err(Error::ZeroDenominator { .. })
                ));
                assert!(matches!(
                    r.customer_value(),
                    Err(Error::ZeroDenominator { .. })
                ));
            } else {
                assert_close(
                    r.customer_value().unwrap(),
                    rev / r.active_customers as f64,
                    "customer value = revenue / customers",
                );
            }
        }
    }
}

/// KPI series of customer-disjoint parts merge into the whole series.
///
/// Rows of the same periods (one `period_kpis` per period of the whole
/// series, as a distributed engine would compute them) always merge.
/// `kpi_series` of a part covers only the periods from the part's own first
/// to its own last order: when those are the whole's the parts merge,
/// otherwise `KpiSeries::merge` refuses them; `kpi_series_between` over the
/// whole's range is the way to compute mergeable parts.
pub fn check_kpi_series_merge(
    whole: &TransactionLog<'_>,
    parts: &[TransactionLog<'_>],
    g: Granularity,
    lb: Lookback,
) {
    let Ok(k_whole) = kpi_series(whole, g, lb) else {
        return;
    };
    let by_period: Vec<KpiSeries> = parts
        .iter()
        .map(|l| KpiSeries {
            rows: k_whole
                .rows
                .iter()
                .map(|w| KpiRow {
                    label: w.label.clone(),
                    ..period_kpis(l, w.period, lb).unwrap()
                })
                .collect(),
            observation_end: l.last_day(),
            ..k_whole.clone()
        })
        .collect();
    synth::assert_same_series(&KpiSeries::merge(&by_period).unwrap(), &k_whole);
    let k_parts: Vec<KpiSeries> = parts
        .iter()
        .map(|l| kpi_series(l, g, lb).unwrap())
        .collect();
    let same = |s: &KpiSeries| {
        s.rows
            .iter()
            .map(|r| r.period)
            .eq(k_whole.rows.iter().map(|r| r.period))
    };
    let merged = KpiSeries::merge(&k_parts);
    if k_parts.iter().all(same) {
        synth::assert_same_series(&merged.unwrap(), &k_whole);
    } else {
        assert!(
            matches!(merged, Err(Error::Incompatible { .. })),
            "{merged:?}"
        );
    }
    // `kpi_series_between` over the whole log's range always merges.
    let (from, to) = (whole.first_day(), whole.last_day());
    let k_parts: Vec<KpiSeries> = parts
        .iter()
        .map(|l| kpi_series_between(l, g, lb, from, to).unwrap())
        .collect();
    synth::assert_same_series(&KpiSeries::merge(&k_parts).unwrap(), &k_whole);
}

fn cohort_options(g: Granularity, end: Option<i32>) -> CohortOptions {
    CohortOptions::default()
        .with_granularity(g)
        .with_observation_end(end)
}

/// The core's cohort matrix agrees with the oracle's, and its derived
/// fractions, average curve and revenue retention with the definitions.
#[track_caller]
fn check_cohorts(rows: &Rows, m: &CohortMatrix, g: Granularity, end: i32) {
    let o = oracle::cohorts(rows, g, end);
    assert_eq!(m.granularity, g);
    assert_eq!(m.observation_end, end);
    assert_eq!(m.last_period_complete, o.last_period_complete);
    assert_eq!(m.cohorts, o.cohorts);
    assert_eq!(m.labels, o.labels);
    assert_eq!(m.sizes, o.sizes);
    assert_eq!(m.active, o.active);
    assert_eq!(m.unbounded, o.unbounded);
    match (&m.revenue, &o.revenue) {
        (Some(a), Some(b)) => {
            for (x, y) in a.iter().zip(b) {
                assert_close_all(x, y, "cohort revenue");
            }
        }
        (None, None) => {}
        _ => panic!("revenue presence differs"),
    }
    for kind in [RetentionKind::NPeriod, RetentionKind::Unbounded] {
        for (row, counts) in m.fractions(kind).iter().zip(m.counts(kind)) {
            assert_eq!(row.len(), counts.len());
            assert_eq!(row[0], 1.0);
            assert!(row.iter().all(|f| (0.0..=1.0).contains(f)), "{row:?}");
        }
        // Weighted average over the cohorts whose period k ends on or
        // before the observation end.
        let counts = m.counts(kind);
        let mut want = Vec::new();
        for k in 0.. {
            let (mut num, mut den, mut any_cell) = (0u64, 0u64, false);
            for (c, row) in counts.iter().enumerate() {
                if k < row.len() {
                    any_cell = true;
                    let p = m.cohorts[c] + i32::try_from(k).unwrap();
                    if g.period_of_index(p).unwrap().end <= end + 1 {
                        num += row[k];
                        den += m.sizes[c];
                    }
                }
            }
            if !any_cell || den == 0 {
                break;
            }
            want.push(num as f64 / den as f64);
        }
        let curve = m.average_curve(kind);
        assert_close_all(&curve, &want, "average curve");
        assert!(curve.iter().all(|f| (0.0..=1.0).contains(f)));
    }
    for (c, row) in m.active.iter().enumerate() {
        for (k, &n) in row.iter().enumerate() {
            let p = m.cohorts[c] + i32::try_from(k).unwrap();
            let partial = g.period_of_index(p).unwrap().end > end + 1;
            assert_eq!(m.is_partial(c, k), partial, "cell ({c}, {k})");
            assert!(m.unbounded[c][k] >= n);
            assert!(k == 0 || m.unbounded[c][k] <= m.unbounded[c][k - 1]);
        }
        assert_eq!(row[0], m.sizes[c]);
    }
    match &m.revenue {
        None => assert!(matches!(
            m.revenue_retention(),
            Err(Error::MissingColumn { .. })
        )),
        Some(rev) => {
            for (r, ret) in rev.iter().zip(m.revenue_retention().unwrap()) {
                if r[0] == 0.0 {
                    assert!(ret.is_none());
                } else {
                    let want: Vec<f64> = r.iter().map(|x| x / r[0]).collect();
                    assert_close_all(&ret.unwrap(), &want, "revenue retention");
                }
            }
        }
    }
}

#[track_caller]
fn check_summary(rows: &Rows, s: &Summary, end: i32, unit: TimeUnit) {
    let o = oracle::summary(rows, end, unit.days());
    assert_eq!(s.observation_end, end);
    assert_eq!(s.unit, unit);
    assert_eq!(s.customer_id, o.iter().map(|r| r.id).collect::<Vec<_>>());
    assert_eq!(
        s.frequency,
        o.iter().map(|r| r.frequency).collect::<Vec<_>>()
    );
    assert_close_all(
        &s.recency(),
        &o.iter().map(|r| r.recency).collect::<Vec<_>>(),
        "recency",
    );
    assert_close_all(&s.age(), &o.iter().map(|r| r.age).collect::<Vec<_>>(), "T");
    match &s.monetary_value {
        Some(m) => assert_close_all(
            m,
            &o.iter().map(|r| r.monetary.unwrap()).collect::<Vec<_>>(),
            "monetary value",
        ),
        None => assert!(o.iter().all(|r| r.monetary.is_none())),
    }
    let c = s.compress();
    let oc = oracle::compressed(rows, end);
    let keys: Vec<(u32, i32, i32)> = (0..c.len())
        .map(|i| (c.frequency[i], c.recency_days[i], c.age_days[i]))
        .collect();
    assert_eq!(keys, oc.keys().copied().collect::<Vec<_>>());
    assert_eq!(c.count, oc.values().copied().collect::<Vec<_>>());
    assert_eq!(c.customers(), s.len() as u64);
}

#[track_caller]
fn check_rfm(rows: &Rows, r: &Rfm, end: i32) {
    let o = oracle::rfm(rows, end);
    assert_eq!(r.observation_end, end);
    assert_eq!(r.customer_id, o.ids);
    assert_eq!(r.recency_days, o.recency_days);
    assert_eq!(r.orders, o.orders);
    match (&r.spend, &o.spend) {
        (Some(a), Some(b)) => assert_close_all(a, b, "spend"),
        (None, None) => {}
        _ => panic!("spend presence differs"),
    }
    assert_eq!(r.r_score, o.r_score);
    assert_eq!(r.f_score, o.f_score);
    assert_eq!(r.m_score, o.m_score);
    assert_eq!(r.segment, o.segment);
    let total: u64 = r.segment_counts().iter().map(|s| s.1).sum();
    assert_eq!(total, r.len() as u64);
}

#[track_caller]
fn check_purchase_counts(rows: &Rows, pc: &PurchaseCounts, customers: usize) {
    assert_eq!(pc.customers, oracle::purchase_counts(rows));
    assert_eq!(pc.at_least(1), customers as u64);
    for n in 1..=pc.customers.len() {
        assert_share(
            pc.repeat_purchase_probability(n),
            "repeat purchase probability",
        );
    }
    assert!(matches!(
        pc.repeat_purchase_probability(0),
        Err(Error::InvalidArgument { .. })
    ));
}

/// An observation end: the log's last day, or any day from 30 days before its
/// first to 100 days after its last.
fn end_of(rows: &Rows, offset: Option<i32>) -> i32 {
    offset.map_or(rows.last_day(), |o| rows.first_day() - 30 + o)
}

proptest! {
    #![proptest_config(synth::config(64))]

    #[test]
    fn kpi_series_matches_the_oracle(
        rows in synth::rows(120),
        (g, lb) in synth::granularity_and_lookback(),
        wider in prop::option::of((0i32..100, 0i32..100)),
    ) {
        // `kpi_series` covers the log's own range, `kpi_series_between` any
        // range: here up to 100 days wider on each side.
        let log = synth::log(&rows);
        let (from, to) = wider.map_or((rows.first_day(), rows.last_day()), |(a, b)| {
            (rows.first_day() - a, rows.last_day() + b)
        });
        let got = if wider.is_some() {
            kpi_series_between(&log, g, lb, from, to)
        } else {
            kpi_series(&log, g, lb)
        };
        match oracle::kpi_series_between(&rows, g, lb, from, to) {
            None => prop_assert!(
                matches!(got, Err(Error::InvalidArgument { name: "lookback", .. })),
                "{got:?}"
            ),
            Some(want) => {
                let s = got.unwrap();
                prop_assert_eq!(s.granularity, Some(g));
                prop_assert_eq!(s.lookback, lb);
                prop_assert_eq!(s.observation_end, rows.last_day());
                prop_assert_eq!(s.rows.len(), want.len());
                for (r, w) in s.rows.iter().zip(&want) {
                    prop_assert_eq!(&r.label, &w.label);
                    prop_assert_eq!(r.period, w.period);
                    prop_assert_eq!(r.complete, w.complete);
                    assert_row_is(r, &w.counts);
                    check_row_identities(r);
                }
                // Every order is in exactly one period; every customer is new once.
                let orders: u64 = s.rows.iter().map(|r| r.orders).sum();
                prop_assert_eq!(orders, rows.ids.len() as u64);
                prop_assert_eq!(
                    s.rows.iter().map(|r| r.new_customers).sum::<u64>(),
                    log.num_customers() as u64
                );
                // E of one period is S of the next.
                for w in s.rows.windows(2) {
                    prop_assert_eq!(w[0].end_customers, w[1].start_customers);
                }
            }
        }
    }

    #[test]
    fn period_kpis_match_the_oracle(
        rows in synth::rows(120),
        near in any::<prop::sample::Index>(),
        shift in -40i32..40,
        days in prop_oneof![1i32..=60, 61i32..=254, 255i32..500],
        lb in synth::lookback(),
    ) {
        // Short periods, up to 254 days (once the limit of a one-byte day
        // stamp) and longer ones. The period starts near an order day of
        // the log.
        let log = synth::log(&rows);
        let start = rows.days[near.index(rows.days.len())] + shift;
        let period = Period::new(start, start + days).unwrap();
        let got = period_kpis(&log, period, lb);
        if oracle::lookback_covers(period, lb) {
            let r = got.unwrap();
            prop_assert_eq!(r.period, period);
            prop_assert_eq!(r.complete, period.end - 1 <= rows.last_day());
            assert_row_is(&r, &oracle::period_counts(&rows, period, lb));
            check_row_identities(&r);
        } else {
            prop_assert!(
                matches!(got, Err(Error::InvalidArgument { name: "lookback", .. })),
                "{got:?}"
            );
        }
    }

    #[test]
    fn one_period_and_open_brackets_are_the_n_period_and_unbounded_cells(
        rows in synth::rows(120),
        g in synth::granularity(),
        end in prop::option::of(0i32..1_230),
        width in 1u32..4,
    ) {
        // Brackets [k, k + 1) are the N-period cells and [k, ∞) the
        // unbounded ones, by their definitions; [k, k + width) lies between
        // the N-period cell of k and the unbounded one.
        let log = synth::log(&rows);
        let obs = end_of(&rows, end);
        prop_assume!(obs >= rows.first_day());
        let o = cohort_options(g, end.map(|_| obs));
        let m = cohort_matrix(&log, &o).unwrap();
        let n = m.active.first().map_or(0, Vec::len).min(32);
        let k_max = u32::try_from(n).unwrap();
        let one: Vec<_> = (0..k_max).map(|k| k..k + 1).collect();
        let open: Vec<_> = (0..k_max).map(|k| k..u32::MAX).collect();
        let wide: Vec<_> = (0..k_max).map(|k| k..k + width).collect();
        let (b1, bo, bw) = (
            bracket_retention(&log, &o, &one).unwrap(),
            bracket_retention(&log, &o, &open).unwrap(),
            bracket_retention(&log, &o, &wide).unwrap(),
        );
        for b in [&b1, &bo, &bw] {
            prop_assert_eq!(&b.cohorts, &m.cohorts);
            prop_assert_eq!(&b.sizes, &m.sizes);
        }
        for c in 0..m.cohorts.len() {
            let cols = m.active[c].len().min(n);
            prop_assert_eq!(&b1.counts[c][..], &m.active[c][..cols]);
            prop_assert_eq!(&bo.counts[c][..], &m.unbounded[c][..cols]);
            for k in 0..cols {
                prop_assert!(m.active[c][k] <= bw.counts[c][k] && bw.counts[c][k] <= m.unbounded[c][k]);
                let partial = (k + 1..k + width as usize).any(|j| j >= m.active[c].len())
                    || m.is_partial(c, k + width as usize - 1)
                    || (width == 1 && m.is_partial(c, k));
                prop_assert_eq!(bw.is_partial(c, k), partial, "cohort {} bracket {}", c, k);
            }
        }
    }

    #[test]
    fn cohort_matrices_match_the_oracle(
        rows in synth::rows(120),
        g in synth::granularity(),
        end in prop::option::of(0i32..1_230),
    ) {
        let log = synth::log(&rows);
        let obs = end_of(&rows, end);
        let got = cohort_matrix(&log, &cohort_options(g, end.map(|_| obs)));
        if obs < rows.first_day() {
            prop_assert!(
                matches!(got, Err(Error::InvalidArgument { name: "observation_end", .. })),
                "{got:?}"
            );
        } else {
            let m = got.unwrap();
            check_cohorts(&rows, &m, g, obs);
            if end.is_none() {
                prop_assert_eq!(m.sizes.iter().sum::<u64>(), log.num_customers() as u64);
            }
        }
    }

    #[test]
    fn summaries_match_the_oracle(
        rows in synth::rows(120),
        end in prop::option::of(0i32..1_230),
        weeks in any::<bool>(),
    ) {
        let log = synth::log(&rows);
        let obs = end_of(&rows, end);
        let unit = if weeks { TimeUnit::Weeks } else { TimeUnit::Days };
        let options = SummaryOptions::default().with_observation_end(end.map(|_| obs)).with_unit(unit);
        let got = summary(&log, &options);
        let columns = summary_columns(&log, &options);
        if obs < rows.first_day() {
            prop_assert!(matches!(got, Err(Error::InvalidArgument { .. })), "{got:?}");
            prop_assert!(matches!(columns, Err(Error::InvalidArgument { .. })), "{columns:?}");
        } else {
            let s = got.unwrap();
            check_summary(&rows, &s, obs, unit);
            // The float block written by the pass equals the one converted
            // from the checked summary, value for value.
            prop_assert_eq!(columns.unwrap(), SummaryColumns::from(&s));
            if end.is_none() {
                prop_assert_eq!(s.len(), log.num_customers());
            }
        }
    }

    #[test]
    fn calibration_and_holdout_match_the_oracle(
        rows in synth::rows(120),
        cut in 0i32..1_100,
        after in prop::option::of(1i32..400),
        weeks in any::<bool>(),
    ) {
        let log = synth::log(&rows);
        let unit = if weeks { TimeUnit::Weeks } else { TimeUnit::Days };
        let cal_end = rows.first_day() + cut;
        let obs_end = after.map_or(rows.last_day(), |a| cal_end + a);
        let got = calibration_holdout(&log, cal_end, after.map(|_| obs_end), unit);
        if obs_end <= cal_end {
            prop_assert!(
                matches!(got, Err(Error::InvalidArgument { name: "observation_end", .. })),
                "{got:?}"
            );
        } else {
            let ch = got.unwrap();
            check_summary(&rows, &ch.calibration, cal_end, unit);
            let want = oracle::holdout(&rows, cal_end, obs_end);
            prop_assert_eq!(&ch.calibration.customer_id, &want.iter().map(|w| w.0).collect::<Vec<_>>());
            prop_assert_eq!(&ch.frequency_holdout, &want.iter().map(|w| w.1).collect::<Vec<_>>());
            match &ch.monetary_value_holdout {
                Some(m) => assert_close_all(m, &want.iter().map(|w| w.2).collect::<Vec<_>>(), "holdout spend"),
                None => prop_assert!(rows.amounts.is_none()),
            }
            assert_close(ch.duration_holdout, f64::from(obs_end - cal_end) / unit.days(), "holdout length");
        }
    }

    #[test]
    fn purchase_counts_and_rfm_match_the_oracle(
        rows in synth::rows(120),
        end in prop::option::of(0i32..1_230),
    ) {
        let log = synth::log(&rows);
        check_purchase_counts(&rows, &purchase_counts(&log), log.num_customers());
        let obs = end_of(&rows, end);
        let got = rfm(&log, end.map(|_| obs));
        if obs < rows.first_day() {
            prop_assert!(matches!(got, Err(Error::InvalidArgument { .. })), "{got:?}");
        } else {
            check_rfm(&rows, &got.unwrap(), obs);
        }
    }

    #[test]
    fn shuffled_rows_give_identical_results(
        rows in synth::rows(120),
        seed in any::<u64>(),
        (g, lb) in synth::granularity_and_lookback(),
    ) {
        let shuffled = rows.permute(&synth::permutation(rows.ids.len(), seed));
        let (a, b) = (synth::log(&rows), synth::log(&shuffled));
        prop_assert_eq!(a.num_customers(), b.num_customers());
        match (kpi_series(&a, g, lb), kpi_series(&b, g, lb)) {
            (Ok(x), Ok(y)) => synth::assert_same_series(&x, &y),
            (Err(x), Err(y)) => prop_assert_eq!(x, y),
            (x, y) => panic!("{x:?} vs {y:?}"),
        }
        let period = Period::new(BASE_DAY + 100, BASE_DAY + 130).unwrap();
        let lb = Lookback::Months(2);
        synth::assert_same_row(&period_kpis(&a, period, lb).unwrap(), &period_kpis(&b, period, lb).unwrap());
        let o = cohort_options(g, None);
        synth::assert_same_cohorts(&cohort_matrix(&a, &o).unwrap(), &cohort_matrix(&b, &o).unwrap());
        let so = SummaryOptions::default();
        synth::assert_same_summary(&summary(&a, &so).unwrap(), &summary(&b, &so).unwrap());
        prop_assert_eq!(purchase_counts(&a), purchase_counts(&b));
        synth::assert_same_rfm(&rfm(&a, None).unwrap(), &rfm(&b, None).unwrap());
    }

    #[test]
    fn results_of_customer_disjoint_parts_merge_into_the_whole(
        rows in synth::rows(120),
        salt in any::<u64>(),
        nparts in 2u64..4,
        (g, lb) in synth::granularity_and_lookback(),
    ) {
        let part_of = |id: u64| (id ^ salt).wrapping_mul(0x9E37_79B9_7F4A_7C15) % nparts;
        let parts: Vec<Rows> = (0..nparts)
            .map(|p| rows.filter(|id| part_of(id) == p))
            .filter(|r| !r.ids.is_empty())
            .collect();
        let logs: Vec<_> = parts.iter().map(synth::log).collect();
        let whole = synth::log(&rows);
        let end = rows.last_day();

        // BTYD summary and its compressed table.
        let so = SummaryOptions::default().with_observation_end(Some(end)).with_unit(TimeUnit::Weeks);
        let s_parts: Vec<Summary> = logs.iter().map(|l| summary(l, &so).unwrap()).collect();
        let s_whole = summary(&whole, &so).unwrap();
        synth::assert_same_summary(&Summary::merge(&s_parts).unwrap(), &s_whole);
        let c_parts: Vec<CompressedSummary> = s_parts.iter().map(Summary::compress).collect();
        prop_assert_eq!(CompressedSummary::merge(&c_parts).unwrap(), s_whole.compress());
        // The same parts with their customers coded per part (as a front-end codes string
        // ids), in descending id order, keyed by the id as a zero-padded string (so key
        // order is id order): the keyed merge is the whole, row for row.
        let k_parts: Vec<KeyedSummary<String>> = s_parts
            .iter()
            .map(|s| {
                let mut coded = s.clone();
                let n = s.len() as u64;
                coded.customer_id = (0..n).map(|i| n - 1 - i).collect();
                let keys = s.customer_id.iter().rev().map(|id| format!("{id:020}")).collect();
                KeyedSummary::new(coded, keys).unwrap()
            })
            .collect();
        let k_whole = KeyedSummary::merge(&k_parts).unwrap();
        let whole_keys: Vec<String> = s_whole.customer_id.iter().map(|id| format!("{id:020}")).collect();
        prop_assert_eq!(&k_whole.keys, &whole_keys);
        let mut by_id = k_whole.summary.clone();
        by_id.customer_id = s_whole.customer_id.clone();
        synth::assert_same_summary(&by_id, &s_whole);
        // The (x, m) table of the Gamma-Gamma fit: each customer's mean spend is
        // computed from the same rows in its part as in the whole, so equal exactly.
        if s_whole.monetary_value.is_some() {
            let sp: Vec<CompressedSpend> = s_parts.iter().map(|s| s.compress_spend().unwrap()).collect();
            prop_assert_eq!(CompressedSpend::merge(&sp).unwrap(), s_whole.compress_spend().unwrap());
        }

        // Cohort matrices, with the observation end of the whole log.
        let co = cohort_options(g, Some(end));
        let m_parts: Vec<CohortMatrix> = logs.iter().map(|l| cohort_matrix(l, &co).unwrap()).collect();
        synth::assert_same_cohorts(&CohortMatrix::merge(&m_parts).unwrap(), &cohort_matrix(&whole, &co).unwrap());
        let brackets = [0..1, 1..3, 2..u32::MAX];
        let b_parts: Vec<BracketMatrix> =
            logs.iter().map(|l| bracket_retention(l, &co, &brackets).unwrap()).collect();
        prop_assert_eq!(BracketMatrix::merge(&b_parts).unwrap(), bracket_retention(&whole, &co, &brackets).unwrap());

        // Purchase counts and RFM (rescored on the merged values).
        let pc: Vec<PurchaseCounts> = logs.iter().map(purchase_counts).collect();
        prop_assert_eq!(PurchaseCounts::merge(&pc), purchase_counts(&whole));
        let r_parts: Vec<Rfm> = logs.iter().map(|l| rfm(l, Some(end)).unwrap()).collect();
        synth::assert_same_rfm(&Rfm::merge(&r_parts).unwrap(), &rfm(&whole, Some(end)).unwrap());

        check_kpi_series_merge(&whole, &logs, g, lb);
    }
}
