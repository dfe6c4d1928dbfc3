//! Invariants of the survey scores on random responses: counts add up, the
//! value and its interval stay on the scale, per-period and per-cohort
//! scores partition the responses, and row order does not matter.

use proptest::prelude::*;
use retentionkit::period::Granularity;
use retentionkit::survey::{Scale, Score, SurveyLog};
use retentionkit::TransactionLog;

use crate::synth::{config, permutation, BASE_DAY};

fn scale() -> impl Strategy<Value = Scale> {
    prop_oneof![
        Just(Scale::Nps),
        Just(Scale::Thumbs),
        (2u8..=10)
            .prop_flat_map(|max| (Just(max), 1..=max))
            .prop_map(|(max, satisfied_from)| Scale::Csat {
                max,
                satisfied_from
            }),
    ]
}

/// (scale, customer ids in 0..20, days over 400 days, valid scores).
fn responses() -> impl Strategy<Value = (Scale, Vec<u64>, Vec<i32>, Vec<u8>)> {
    scale().prop_flat_map(|s| {
        let (lo, hi) = match s {
            Scale::Nps => (0, 10),
            Scale::Thumbs => (0, 1),
            Scale::Csat { max, .. } => (1, max),
            other => unreachable!("no score range for {other:?}"),
        };
        (1usize..200).prop_flat_map(move |n| {
            (
                Just(s),
                prop::collection::vec(0u64..20, n),
                prop::collection::vec(BASE_DAY..BASE_DAY + 400, n),
                prop::collection::vec(lo..=hi, n),
            )
        })
    })
}

fn check_score(s: &Score, scale: Scale) {
    let (lo, hi) = if scale == Scale::Nps {
        (-100.0, 100.0)
    } else {
        (0.0, 1.0)
    };
    assert_eq!(s.positive + s.neutral + s.negative, s.responses);
    assert!(s.responses > 0);
    assert!(lo <= s.lower && s.lower <= s.value && s.value <= s.upper && s.upper <= hi);
    assert!(s.standard_error.is_finite() && s.standard_error >= 0.0);
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn scores_partition_and_ignore_row_order((scale, ids, days, scores) in responses(), seed: u64) {
        let log = SurveyLog::new(Some(&ids), &days, &scores, scale).unwrap();
        let all = log.score();
        check_score(&all, scale);
        prop_assert_eq!(all.responses, scores.len() as u64);

        // Every customer bought on BASE_DAY - 1 or later, so all have a cohort.
        let tx_ids: Vec<u64> = (0..20).collect();
        let tx_days: Vec<i32> = (0..20).map(|i| BASE_DAY - 1 + i * 17).collect();
        let tx = TransactionLog::new(&tx_ids, &tx_days, None).unwrap();
        for g in [Granularity::Week, Granularity::Month, Granularity::Quarter] {
            for groups in [log.by_period(g).unwrap(), log.by_cohort(&tx, g).unwrap()] {
                let mut sum = [0u64; 3];
                for p in &groups {
                    check_score(&p.score, scale);
                    sum[0] += p.score.positive;
                    sum[1] += p.score.neutral;
                    sum[2] += p.score.negative;
                }
                prop_assert_eq!(sum, [all.positive, all.neutral, all.negative]);
                prop_assert!(groups.windows(2).all(|w| w[0].period.end <= w[1].period.start));
            }
        }

        let perm = permutation(scores.len(), seed);
        let ids2: Vec<u64> = perm.iter().map(|&i| ids[i]).collect();
        let days2: Vec<i32> = perm.iter().map(|&i| days[i]).collect();
        let scores2: Vec<u8> = perm.iter().map(|&i| scores[i]).collect();
        let log2 = SurveyLog::new(Some(&ids2), &days2, &scores2, scale).unwrap();
        prop_assert_eq!(log2.by_period(Granularity::Month).unwrap(), log.by_period(Granularity::Month).unwrap());
        let (a, b) = (log2.score(), all);
        prop_assert_eq!((a.positive, a.neutral, a.negative), (b.positive, b.neutral, b.negative));
    }
}
