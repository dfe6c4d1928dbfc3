//! Hand-computed Kaplan–Meier curves and log-rank statistics on inputs small
//! enough to check on paper, and a table of every bad input. The lifelines
//! reference check on a 60-row fixture is `tests/it/survival.rs`.

use super::table::tabulate_counting;
use super::*;

/// `Err` as "Variant(field)" (and the row of an `InvalidValue`), so tables
/// can name the exact variant and the column or argument it reports.
fn kind<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r {
        Ok(v) => format!("Ok({v:?})"),
        Err(Error::Empty { what }) => format!("Empty({what})"),
        Err(Error::LengthMismatch { column, .. }) => format!("LengthMismatch({column})"),
        Err(Error::InvalidValue { column, row, .. }) => format!("InvalidValue({column}, {row})"),
        Err(Error::InvalidArgument { name, .. }) => format!("InvalidArgument({name})"),
        Err(Error::ZeroDenominator { .. }) => "ZeroDenominator".into(),
        Err(e) => format!("{e:?}"),
    }
}

#[track_caller]
fn near(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-15 * b.abs().max(1.0), "{a} != {b}");
}

/// Eight subscriptions (months, `true` = churned), with ties between events
/// and censorings at 1 and 3:
///
/// | t | n | d | c | S                         | Greenwood sum            |
/// |---|---|---|---|---------------------------|--------------------------|
/// | 1 | 8 | 1 | 1 | 7/8                       | 1/(8·7) = 1/56           |
/// | 2 | 6 | 1 | 0 | 7/8 · 5/6 = 35/48         | + 1/(6·5) = 1/30         |
/// | 3 | 5 | 2 | 1 | 35/48 · 3/5 = 7/16        | + 2/(5·3) = 2/15         |
/// | 4 | 2 | 1 | 0 | 7/16 · 1/2 = 7/32         | + 1/(2·1) = 1/2          |
/// | 5 | 1 | 0 | 1 | 7/32                      | unchanged                |
///
/// n at 3 is 5: the censoring at 1 left the risk set after time 1, and the
/// censoring at 3 still counts at 3 (events before censorings).
const D8: [f64; 8] = [3.0, 1.0, 3.0, 2.0, 5.0, 3.0, 1.0, 4.0];
const O8: [bool; 8] = [true, true, false, true, false, true, false, true];

#[test]
fn hand_computed_curve_with_ties() {
    let km = kaplan_meier(&D8, &O8).unwrap();
    assert_eq!(km.times, [1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(km.at_risk, [8, 6, 5, 2, 1]);
    assert_eq!(km.events, [1, 1, 2, 1, 0]);
    assert_eq!(km.censored, [1, 0, 1, 0, 1]);
    let s = [7.0 / 8.0, 35.0 / 48.0, 7.0 / 16.0, 7.0 / 32.0, 7.0 / 32.0];
    for (a, b) in km.survival.iter().zip(s) {
        near(*a, b);
    }
    let g1 = 1.0 / 56.0;
    let g2 = g1 + 1.0 / 30.0;
    let g3 = g2 + 2.0 / 15.0;
    let g4 = g3 + 0.5;
    for (a, b) in km.greenwood.iter().zip([g1, g2, g3, g4, g4]) {
        near(*a, b);
    }
    // S(3) = 7/16 = 0.4375 is the first value <= 0.5 (S(2) = 35/48 ≈ 0.729).
    assert_eq!(km.median(), Some(3.0));
    assert_eq!(km.confidence_level, 0.95);
}

#[test]
fn hand_computed_band_is_the_kalbfleisch_prentice_power_form() {
    // The log(−log) band is S^{exp(∓ w)}, w = z √V / ln S (Kalbfleisch &
    // Prentice 2002, eq. 1.17), z = Φ⁻¹(0.975) = 1.959963984540054; the code
    // evaluates lifelines' exp(−exp(ln(−ln S) ∓ w)) instead.
    let km = kaplan_meier(&D8, &O8).unwrap();
    let z = 1.959_963_984_540_054;
    for i in 0..km.times.len() {
        let (s, v) = (km.survival[i], km.greenwood[i]);
        let w = z * v.sqrt() / s.ln();
        assert!(
            (km.lower[i] - s.powf((-w).exp())).abs() < 1e-14,
            "lower at {i}"
        );
        assert!(
            (km.upper[i] - s.powf(w.exp())).abs() < 1e-14,
            "upper at {i}"
        );
        assert!(km.lower[i] < s && s < km.upper[i]);
    }
    // A 90 % band is narrower: z = 1.6448536269514722.
    let km90 = kaplan_meier_with(
        &D8,
        &O8,
        &KaplanMeierOptions {
            confidence_level: 0.9,
        },
    )
    .unwrap();
    for i in 0..km.times.len() {
        assert!(km.lower[i] < km90.lower[i] && km90.upper[i] < km.upper[i]);
    }
}

#[test]
fn band_is_one_before_the_first_event_and_zero_after_the_last_subject_dies() {
    // t = 0.5 censored: S = 1 → band [1, 1] (lifelines fills its NaN with 1).
    // t = 1: n = 2, d = 1 → S = 1/2; t = 2: n = 1, d = 1 → S = 0, whose
    // Greenwood term 1/(1·0) is taken as 0 and whose band is [0, 0].
    let km = kaplan_meier(&[0.5, 1.0, 2.0], &[false, true, true]).unwrap();
    assert_eq!(km.survival, [1.0, 0.5, 0.0]);
    assert_eq!((km.lower[0], km.upper[0]), (1.0, 1.0));
    assert_eq!((km.lower[2], km.upper[2]), (0.0, 0.0));
    assert_eq!(km.greenwood[2], km.greenwood[1]); // 1/(2·1) = 0.5 both
    assert_eq!(km.greenwood[1], 0.5);
    assert!(km
        .lower
        .iter()
        .chain(&km.upper)
        .chain(&km.greenwood)
        .all(|x| x.is_finite()));
    // S = 1/2 exactly at t = 1: the median is 1 (lifelines; R would say 1.5).
    assert_eq!(km.median(), Some(1.0));
}

#[test]
fn survival_at_is_a_right_continuous_step() {
    let km = kaplan_meier(&D8, &O8).unwrap();
    assert_eq!(km.survival_at(0.0).unwrap(), 1.0);
    assert_eq!(km.survival_at(0.999).unwrap(), 1.0);
    near(km.survival_at(1.0).unwrap(), 7.0 / 8.0);
    near(km.survival_at(2.5).unwrap(), 35.0 / 48.0);
    near(km.survival_at(3.0).unwrap(), 7.0 / 16.0);
    near(km.survival_at(1e9).unwrap(), 7.0 / 32.0);
    near(km.survival_at(f64::INFINITY).unwrap(), 7.0 / 32.0);
}

#[test]
fn restricted_mean_by_hand() {
    let km = kaplan_meier(&D8, &O8).unwrap();
    // [0,1)·1 + [1,2)·7/8 + [2,3)·35/48 + [3,4)·7/16 + [4,4.5]·7/32
    // = (96 + 84 + 70 + 42 + 10.5)/96 = 302.5/96 = 605/192
    near(km.restricted_mean(4.5).unwrap(), 605.0 / 192.0);
    // Up to the last time (5), the curve at 7/32 from 4 on:
    // (96 + 84 + 70 + 42)/96 + 7/32 · (5 − 4) = 292/96 + 21/96 = 313/96
    near(km.restricted_mean(5.0).unwrap(), 313.0 / 96.0);
    // Beyond it the curve is unknown (still 7/32 > 0): an error.
    assert!(km.restricted_mean(10.0).is_err());
    // Exactly at a time, and at 0.
    near(km.restricted_mean(2.0).unwrap(), 1.0 + 7.0 / 8.0);
    assert_eq!(km.restricted_mean(0.0).unwrap(), 0.0);
    // A curve that drops to 0 stops growing: 1·1 + 1/2·1 = 1.5 for every horizon >= 2.
    let km0 = kaplan_meier(&[1.0, 2.0], &[true, true]).unwrap();
    assert_eq!(km0.restricted_mean(2.0).unwrap(), 1.5);
    assert_eq!(km0.restricted_mean(50.0).unwrap(), 1.5);
}

#[test]
fn at_risk_table_by_hand() {
    let km = kaplan_meier(&D8, &O8).unwrap();
    let t = km.at_risk_table(&[0.0, 1.0, 2.5, 3.0, 6.0]).unwrap();
    let rows: Vec<(u64, u64, u64)> = t
        .iter()
        .map(|r| (r.at_risk, r.events, r.censored))
        .collect();
    // t = 0: all 8 at risk; t = 1: 8 at risk (durations >= 1), 1 event, 1 censored so far;
    // t = 2.5: durations >= 2.5 are 3,3,3,4,5 → 5; events 1 + 1, censored 1;
    // t = 3: still 5 at risk, events 2 + 2 = 4, censored 2; t = 6: 0, events 5, censored 3.
    assert_eq!(
        rows,
        [(8, 0, 0), (8, 1, 1), (5, 2, 1), (5, 4, 2), (0, 5, 3)]
    );
    assert_eq!(t[2].time, 2.5);
}

#[test]
fn counting_and_sorting_give_the_same_curve() {
    // Integers in a narrow range are counted; a wide range (1e12) is sorted.
    let narrow = kaplan_meier(&D8, &O8).unwrap();
    let wide_d: Vec<f64> = D8.iter().chain(&[1e12]).copied().collect();
    let wide_o: Vec<bool> = O8.iter().chain(&[false]).copied().collect();
    let wide = kaplan_meier(&wide_d, &wide_o).unwrap();
    assert!(tabulate_counting(&D8, &O8).is_some());
    assert!(tabulate_counting(&wide_d, &wide_o).is_none());
    // Fractional, negative and NaN durations leave the counting pass too.
    assert!(tabulate_counting(&[1.0, 2.5], &[true, true]).is_none());
    assert!(tabulate_counting(&[1.0, -1.0], &[true, true]).is_none());
    assert!(tabulate_counting(&[f64::NAN], &[true]).is_none());
    // Regression (found by proptest): an event at the largest duration was
    // dropped when the count array grew to an odd length.
    assert_eq!(tabulate_counting(&[0.0], &[true]), Some(vec![(0.0, 1, 0)]));
    assert_eq!(
        tabulate_counting(&[2.0, 5.0], &[false, true]),
        Some(vec![(2.0, 0, 1), (5.0, 1, 0)])
    );
    assert_eq!(wide.times[..5], narrow.times[..]);
    // One more subject at risk at every time: the survival columns differ, the
    // structure of the table does not.
    assert_eq!(wide.events[..5], narrow.events[..]);
    assert_eq!(
        wide.at_risk[..5].iter().map(|n| n - 1).collect::<Vec<_>>(),
        narrow.at_risk
    );
    // The same rows through both passes are identical.
    let via_sort = curve(
        &tabulate_sorted(D8.iter().copied().zip(O8).collect()),
        normal_quantile(0.975),
        0.95,
    );
    assert_eq!(via_sort, narrow);
}

#[test]
fn negative_zero_is_zero() {
    let km = kaplan_meier(&[-0.0, 0.0, 1.0, 1.5], &[true, false, true, false]).unwrap();
    assert_eq!(km.times, [0.0, 1.0, 1.5]);
    assert!(km.times[0].is_sign_positive());
    assert_eq!((km.events[0], km.censored[0]), (1, 1));
}

#[test]
fn groups_are_sorted_and_split() {
    let by = kaplan_meier_by_group_with(
        &D8,
        &O8,
        &[9, 2, 9, 2, 9, 2, 9, 2],
        &KaplanMeierOptions::default(),
    )
    .unwrap();
    assert_eq!(by.len(), 2);
    // Group 2: rows 1,3,5,7 = (1,T), (2,T), (3,T), (4,T): S = 3/4, 1/2, 1/4, 0.
    assert_eq!(by[0].0, 2);
    assert_eq!(by[0].1.survival, [0.75, 0.5, 0.25, 0.0]);
    // Group 9: rows 0,2,4,6 = (3,T), (3,F), (5,F), (1,F): S(1) = 1, S(3) = 1 − 1/3 = 2/3.
    assert_eq!(by[1].0, 9);
    assert_eq!(by[1].1.times, [1.0, 3.0, 5.0]);
    near(by[1].1.survival[1], 2.0 / 3.0);
}

#[test]
fn log_rank_three_groups_by_hand() {
    // A churns at 1, B at 2, C at 3 (one subscription each).
    // t=1: n=(1,1,1), d=1: E += 1/3 each; factor d(n−d)/(n²(n−1)) = 2/18 = 1/9;
    //      V_AA += 1/9·1·(3−1) = 2/9, V_AB += 1/9·1·(0−1) = −1/9, V_BB += 2/9.
    // t=2: n=(0,1,1), d=1: E_B += 1/2, E_C += 1/2; factor 1·1/(4·1) = 1/4; V_BB += 1/4·1·1.
    // t=3: n=1, E_C += 1, factor 0.
    // O = (1,1,1), E = (1/3, 5/6, 11/6), Z = (2/3, 1/6);
    // V = [[2/9, −1/9], [−1/9, 17/36]], det = 34/324 − 4/324 = 5/54,
    // U = (54/5)(17/36·4/9 + 2·1/9·2/3·1/6 + 2/9·1/36) = (54/5)(78/324) = 13/5.
    // p = P(χ²₂ >= 2.6) = exp(−1.3). (lifelines 0.30.0 multivariate_logrank_test:
    // statistic 2.6, p 0.27253179303401265.)
    let t = log_rank(&[1.0, 2.0, 3.0], &[true; 3], &[10, 20, 30]).unwrap();
    assert_eq!(t.groups, [10, 20, 30]);
    assert_eq!(t.observed, [1, 1, 1]);
    near(t.expected[0], 1.0 / 3.0);
    near(t.expected[1], 5.0 / 6.0);
    near(t.expected[2], 11.0 / 6.0);
    assert!((t.statistic - 2.6).abs() < 1e-14);
    assert_eq!(t.df, 2);
    assert!((t.p_value - (-1.3_f64).exp()).abs() < 1e-14);
}

#[test]
fn log_rank_with_a_group_never_at_risk_uses_the_pseudo_inverse() {
    // Group 0 is censored at 0.5, before every event: its row of V is zero
    // and the pseudo-inverse ignores it (lifelines: numpy.linalg.pinv).
    // Groups 1 (events at 1, 3) and 2 (events at 2, 4):
    // t=1: n=4, n1=2: E1 += 1/2, V += 1·3/(16·3)·2·2 = 1/4
    // t=2: n=3, n1=1: E1 += 1/3, V += 1·2/(9·2)·1·2 = 2/9
    // t=3: n=2, n1=1: E1 += 1/2, V += 1·1/(4·1)·1·1 = 1/4
    // Z1 = 2 − 4/3 = 2/3, V11 = 26/36 = 13/18, U = (4/9)/(13/18) = 8/13;
    // df stays k − 1 = 2: p = exp(−4/13). (lifelines 0.30.0 multivariate_logrank_test:
    // statistic 0.6153846153846156, p 0.7351414805916844.)
    let t = log_rank(
        &[0.5, 1.0, 3.0, 2.0, 4.0],
        &[false, true, true, true, true],
        &[0, 1, 1, 2, 2],
    )
    .unwrap();
    assert!((t.statistic - 8.0 / 13.0).abs() < 1e-14, "{}", t.statistic);
    assert_eq!(t.df, 2);
    assert!((t.p_value - (-4.0_f64 / 13.0).exp()).abs() < 1e-14);
}

#[test]
fn every_bad_input_is_a_typed_error() {
    let ok_d = [1.0, 2.0];
    let ok_o = [true, false];
    let def = KaplanMeierOptions::default();
    let level = |c: f64| KaplanMeierOptions {
        confidence_level: c,
    };
    let km = kaplan_meier(&ok_d, &ok_o).unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", kind(kaplan_meier(&[], &[])), "Empty(durations)"),
        (
            "short observed",
            kind(kaplan_meier(&ok_d, &[true])),
            "LengthMismatch(observed)",
        ),
        (
            "NaN",
            kind(kaplan_meier(&[1.0, 2.0, f64::NAN], &[true; 3])),
            "InvalidValue(durations, 2)",
        ),
        (
            "negative",
            kind(kaplan_meier(&[-1.0, 2.0], &ok_o)),
            "InvalidValue(durations, 0)",
        ),
        (
            "infinite",
            kind(kaplan_meier(&[1.0, f64::INFINITY], &ok_o)),
            "InvalidValue(durations, 1)",
        ),
        (
            "-inf",
            kind(kaplan_meier(&[f64::NEG_INFINITY, 1.0], &ok_o)),
            "InvalidValue(durations, 0)",
        ),
        (
            "level 0",
            kind(kaplan_meier_with(&ok_d, &ok_o, &level(0.0))),
            "InvalidArgument(confidence_level)",
        ),
        (
            "level 1",
            kind(kaplan_meier_with(&ok_d, &ok_o, &level(1.0))),
            "InvalidArgument(confidence_level)",
        ),
        (
            "level NaN",
            kind(kaplan_meier_with(&ok_d, &ok_o, &level(f64::NAN))),
            "InvalidArgument(confidence_level)",
        ),
        (
            "level 95",
            kind(kaplan_meier_with(&ok_d, &ok_o, &level(95.0))),
            "InvalidArgument(confidence_level)",
        ),
        (
            "by group: short groups",
            kind(kaplan_meier_by_group_with(&ok_d, &ok_o, &[1], &def)),
            "LengthMismatch(groups)",
        ),
        (
            "by group: NaN",
            kind(kaplan_meier_by_group_with(&[f64::NAN], &[true], &[1], &def)),
            "InvalidValue(durations, 0)",
        ),
        (
            "by group: empty",
            kind(kaplan_meier_by_group_with(&[], &[], &[], &def)),
            "Empty(durations)",
        ),
        (
            "log-rank: one group",
            kind(log_rank(&ok_d, &ok_o, &[4, 4])),
            "InvalidArgument(groups)",
        ),
        (
            "log-rank: short groups",
            kind(log_rank(&ok_d, &ok_o, &[4])),
            "LengthMismatch(groups)",
        ),
        (
            "log-rank: short observed",
            kind(log_rank(&ok_d, &[true], &[1, 2])),
            "LengthMismatch(observed)",
        ),
        (
            "log-rank: empty",
            kind(log_rank(&[], &[], &[])),
            "Empty(durations)",
        ),
        (
            "log-rank: negative",
            kind(log_rank(&[1.0, -2.0], &ok_o, &[1, 2])),
            "InvalidValue(durations, 1)",
        ),
        (
            "log-rank: no events",
            kind(log_rank(&ok_d, &[false, false], &[1, 2])),
            "ZeroDenominator",
        ),
        (
            "survival_at NaN",
            kind(km.survival_at(f64::NAN)),
            "InvalidArgument(t)",
        ),
        (
            "survival_at negative",
            kind(km.survival_at(-1.0)),
            "InvalidArgument(t)",
        ),
        (
            "RMST negative",
            kind(km.restricted_mean(-1.0)),
            "InvalidArgument(horizon)",
        ),
        (
            "RMST infinite",
            kind(km.restricted_mean(f64::INFINITY)),
            "InvalidArgument(horizon)",
        ),
        (
            "RMST NaN",
            kind(km.restricted_mean(f64::NAN)),
            "InvalidArgument(horizon)",
        ),
        (
            "at-risk NaN",
            kind(km.at_risk_table(&[1.0, f64::NAN])),
            "InvalidValue(times, 1)",
        ),
        (
            "at-risk negative",
            kind(km.at_risk_table(&[-0.5])),
            "InvalidValue(times, 0)",
        ),
    ];
    for (what, got, want) in cases {
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn event_tables_by_hand_and_their_bad_inputs() {
    // The table of D8/O8 (see its doc): the curve of the subjects themselves.
    let def = KaplanMeierOptions::default();
    let t = [1.0, 2.0, 3.0, 4.0, 5.0];
    let (d, c) = ([1, 1, 2, 1, 0], [1, 0, 1, 0, 1]);
    let km = KaplanMeier::from_table(&t, &d, &c, &def).unwrap();
    assert_eq!(km, kaplan_meier(&D8, &O8).unwrap());
    assert_eq!(km.at_risk, [8, 6, 5, 2, 1]);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "empty",
            kind(KaplanMeier::from_table(&[], &[], &[], &def)),
            "Empty(event table)",
        ),
        (
            "short events",
            kind(KaplanMeier::from_table(&t, &d[..4], &c, &def)),
            "LengthMismatch(events)",
        ),
        (
            "short censored",
            kind(KaplanMeier::from_table(&t, &d, &c[..4], &def)),
            "LengthMismatch(censored)",
        ),
        (
            "repeated time",
            kind(KaplanMeier::from_table(&[1.0, 1.0], &[1, 1], &[0, 0], &def)),
            "InvalidValue(times, 1)",
        ),
        (
            "NaN time",
            kind(KaplanMeier::from_table(
                &[1.0, f64::NAN],
                &[1, 1],
                &[0, 0],
                &def,
            )),
            "InvalidValue(times, 1)",
        ),
        (
            "negative time",
            kind(KaplanMeier::from_table(&[-1.0], &[1], &[0], &def)),
            "InvalidValue(times, 0)",
        ),
        (
            "empty row",
            kind(KaplanMeier::from_table(&[1.0, 2.0], &[1, 0], &[0, 0], &def)),
            "InvalidValue(events, 1)",
        ),
        (
            "too many subjects",
            kind(KaplanMeier::from_table(
                &[1.0, 2.0],
                &[u64::MAX, 1],
                &[0, 0],
                &def,
            )),
            "InvalidValue(events, 1)",
        ),
        (
            "level",
            kind(KaplanMeier::from_table(
                &t,
                &d,
                &c,
                &KaplanMeierOptions {
                    confidence_level: 1.0,
                },
            )),
            "InvalidArgument(confidence_level)",
        ),
    ];
    for (what, got, want) in cases {
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn error_messages_name_column_and_row() {
    let e = kaplan_meier(&[1.0, f64::NAN], &[true, true]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "column `durations`, row 1: NaN is not a finite duration >= 0"
    );
}
