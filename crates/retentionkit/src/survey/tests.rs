use super::*;
use crate::period::day;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn nps_counts_value_and_wald_interval_by_hand() {
    // 10 responses: promoters 10, 9, 9, 10, 9 (5); passives 7, 8, 8 (3);
    // detractors 3, 6 (2). p = 0.5, d = 0.2.
    // NPS = 100 × (0.5 − 0.2) = 30.
    // Var of the ±1/0 score = p + d − (p − d)² = 0.7 − 0.09 = 0.61;
    // SE = 100 × √(0.61 / 10) = 100 × √0.061 = 24.69817807045694 (Python math.sqrt);
    // 95 %: 30 ∓ 1.959963984540054 × SE = −18.40753950185257, 78.40753950185257.
    let scores = [10, 9, 9, 10, 9, 7, 8, 8, 3, 6];
    let s = SurveyLog::new(None, &[19_000; 10], &scores, Scale::Nps)
        .unwrap()
        .score();
    assert_eq!(
        (s.responses, s.positive, s.neutral, s.negative),
        (10, 5, 3, 2)
    );
    assert!(close(s.value, 30.0));
    assert!(close(s.standard_error, 24.698_178_070_456_94));
    assert!(close(s.lower, -18.407_539_501_852_57));
    assert!(close(s.upper, 78.407_539_501_852_57));
}

#[test]
fn nps_interval_is_clipped_to_the_scale() {
    // One promoter and one detractor: NPS 0, Var = 1 − 0 = 1, SE = 100/√2 =
    // 70.71; 0 ∓ 1.96 × 70.71 = ∓138.6, clipped to −100 and 100.
    let s = SurveyLog::new(None, &[0, 0], &[10, 0], Scale::Nps)
        .unwrap()
        .score();
    assert!(close(s.value, 0.0));
    assert!(close(s.standard_error, 100.0 / 2f64.sqrt()));
    assert_eq!((s.lower, s.upper), (-100.0, 100.0));
    // All promoters: NPS 100, Var = 1 − 1 = 0, a zero-width interval.
    let s = SurveyLog::new(None, &[0; 3], &[9, 10, 9], Scale::Nps)
        .unwrap()
        .score();
    assert_eq!(
        (s.value, s.standard_error, s.lower, s.upper),
        (100.0, 0.0, 100.0, 100.0)
    );
}

#[test]
fn csat_on_a_custom_scale_and_thumbs_by_hand() {
    // 1–7 scale, satisfied = 6 or 7: 7, 6, 6, 7 satisfied of 8 → 0.5;
    // SE = √(0.5 × 0.5 / 8) = 0.1767766952966369; 0.5 ∓ 1.96 SE =
    // 0.1535240439125805, 0.8464759560874195 (Python).
    let scale = Scale::Csat {
        max: 7,
        satisfied_from: 6,
    };
    let s = SurveyLog::new(None, &[0; 8], &[7, 6, 5, 1, 6, 7, 2, 4], scale)
        .unwrap()
        .score();
    assert_eq!((s.positive, s.neutral, s.negative), (4, 0, 4));
    assert!(close(s.value, 0.5));
    assert!(close(s.standard_error, 0.176_776_695_296_636_9));
    assert!(close(s.lower, 0.153_524_043_912_580_5));
    assert!(close(s.upper, 0.846_475_956_087_419_5));
    // Thumbs: 3 up of 4 → 0.75, SE = √(0.75 × 0.25 / 4) = 0.21650635094610965;
    // lower 0.75 − 1.96 SE = 0.3256553497214356, upper 1.174 clipped to 1.
    let s = SurveyLog::new(None, &[0; 4], &[1, 1, 0, 1], Scale::Thumbs)
        .unwrap()
        .score();
    assert!(close(s.value, 0.75));
    assert!(close(s.standard_error, 0.216_506_350_946_109_65));
    assert!(close(s.lower, 0.325_655_349_721_435_6));
    assert_eq!(s.upper, 1.0);
    // The default 1–5 scale: 4 and 5 are satisfied, 3 is not.
    let s = SurveyLog::new(None, &[0; 3], &[3, 4, 5], Scale::CSAT_5)
        .unwrap()
        .score();
    assert_eq!((s.positive, s.negative), (2, 1));
}

#[test]
fn by_period_groups_by_calendar_period_and_skips_empty_ones() {
    // Q1 2024: scores 10 and 0 → NPS 0; Q3 2024: 9 → 100; Q2 has none.
    let days = [
        day(2024, 3, 31).unwrap(),
        day(2024, 8, 1).unwrap(),
        day(2024, 1, 1).unwrap(),
    ];
    let log = SurveyLog::new(None, &days, &[10, 9, 0], Scale::Nps).unwrap();
    let q = log.by_period(Granularity::Quarter).unwrap();
    let labels: Vec<&str> = q.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["2024-Q1", "2024-Q3"]);
    assert_eq!(q[0].period.start, day(2024, 1, 1).unwrap());
    assert_eq!(q[0].period.end, day(2024, 4, 1).unwrap());
    assert_eq!((q[0].score.responses, q[0].score.value), (2, 0.0));
    assert_eq!((q[1].score.responses, q[1].score.value), (1, 100.0));
}

#[test]
fn by_cohort_uses_the_first_purchase_and_rejects_unknown_customers() {
    // Customer 7 first buys 2023-12-30 (ISO week 2023-W52), customer 8 on
    // 2024-01-02 (2024-W01); 7's later purchase does not move its cohort.
    let ids = [8, 7, 7];
    let days = [
        day(2024, 1, 2).unwrap(),
        day(2023, 12, 30).unwrap(),
        day(2024, 1, 3).unwrap(),
    ];
    let tx = TransactionLog::new(&ids, &days, None).unwrap();
    let who = [7, 8, 8, 7];
    let when = [day(2024, 2, 1).unwrap(); 4];
    let survey = SurveyLog::new(Some(&who), &when, &[1, 1, 0, 1], Scale::Thumbs).unwrap();
    let c = survey.by_cohort(&tx, Granularity::Week).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].label, "2023-W52");
    assert_eq!((c[0].score.responses, c[0].score.value), (2, 1.0)); // 7: up, up
    assert_eq!(c[1].label, "2024-W01");
    assert_eq!((c[1].score.responses, c[1].score.value), (2, 0.5)); // 8: up, down

    let who = [7, 9, 8, 7];
    let survey = SurveyLog::new(Some(&who), &when, &[1, 1, 0, 1], Scale::Thumbs).unwrap();
    assert_eq!(
        survey.by_cohort(&tx, Granularity::Week).unwrap_err(),
        Error::InvalidValue {
            column: "customer_id",
            row: 1,
            reason: "customer 9 has no purchase in the transaction log".into()
        }
    );
}

#[test]
fn bad_input_is_a_typed_error() {
    let d3 = [0; 3];
    let bad_scale = Scale::Csat {
        max: 5,
        satisfied_from: 6,
    };
    let cases: Vec<(&str, Result<SurveyLog<'_>>, Error)> = vec![
        (
            "empty",
            SurveyLog::new(None, &[], &[], Scale::Nps),
            Error::Empty {
                what: "survey responses",
            },
        ),
        (
            "days length",
            SurveyLog::new(None, &[0, 0], &[1, 2, 3], Scale::Nps),
            Error::LengthMismatch {
                column: "day",
                expected: 3,
                got: 2,
            },
        ),
        (
            "ids length",
            SurveyLog::new(Some(&[1]), &d3, &[1, 2, 3], Scale::Nps),
            Error::LengthMismatch {
                column: "customer_id",
                expected: 3,
                got: 1,
            },
        ),
        (
            "nps above 10",
            SurveyLog::new(None, &d3, &[1, 11, 3], Scale::Nps),
            Error::InvalidValue {
                column: "score",
                row: 1,
                reason: "11 is outside the scale 0..=10".into(),
            },
        ),
        (
            "csat 0",
            SurveyLog::new(None, &d3, &[1, 5, 0], Scale::CSAT_5),
            Error::InvalidValue {
                column: "score",
                row: 2,
                reason: "0 is outside the scale 1..=5".into(),
            },
        ),
        (
            "thumbs 2",
            SurveyLog::new(None, &d3, &[2, 1, 0], Scale::Thumbs),
            Error::InvalidValue {
                column: "score",
                row: 0,
                reason: "2 is outside the scale 0..=1".into(),
            },
        ),
        (
            "day out of range",
            SurveyLog::new(None, &[0, i32::MAX, 0], &[1, 1, 1], Scale::Thumbs),
            Error::InvalidValue {
                column: "day",
                row: 1,
                reason: format!(
                    "day {} is outside 0001-01-01..=9999-12-31 (-719162..=2932896)",
                    i32::MAX
                ),
            },
        ),
        (
            "csat scale",
            SurveyLog::new(None, &d3, &[1, 1, 1], bad_scale),
            Error::InvalidArgument {
                name: "scale",
                reason: "CSAT needs 2 <= max and 1 <= satisfied_from <= max, got max 5, satisfied_from 6".into(),
            },
        ),
    ];
    for (name, got, want) in cases {
        assert_eq!(got.unwrap_err(), want, "{name}");
    }
    let tx = TransactionLog::new(&[1], &[0], None).unwrap();
    assert_eq!(
        SurveyLog::new(None, &[0], &[5], Scale::Nps)
            .unwrap()
            .by_cohort(&tx, Granularity::Month)
            .unwrap_err(),
        Error::MissingColumn {
            column: "customer_id",
            needed_for: "survey scores by cohort"
        }
    );
}
