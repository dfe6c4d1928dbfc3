//! `TransactionLog::new` and `with_signed_ids` on arbitrary columns (ids,
//! days, optional amounts of any bit pattern: NaN, infinities, negative,
//! huge); on `Ok`, the summary, KPI series, cohort matrix, RFM scores and
//! purchase counts of the log, every number in them finite. Errors are typed
//! by construction and end the run.

#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use retentionkit::cohort::{cohort_matrix, CohortOptions, RetentionKind};
use retentionkit::kpi::{kpi_series, purchase_counts};
use retentionkit::period::{Granularity, Lookback};
use retentionkit::rfm::rfm;
use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;
use retentionkit_fuzz::{assert_finite, assert_probability};

/// At most this many rows, so that one run takes milliseconds.
const MAX_ROWS: usize = 300;

/// Columns decoded from the fuzz input.
struct Columns {
    signed: bool,
    ids: Vec<u64>,
    days: Vec<i32>,
    amounts: Option<Vec<f64>>,
    granularity: Granularity,
    lookback: Lookback,
    observation_end: Option<i32>,
    unit: TimeUnit,
}

fn columns(u: &mut Unstructured<'_>) -> Result<Columns> {
    let flags: u8 = u.arbitrary()?;
    // Few distinct ids and days near a base day by default (so that most
    // logs are valid and customers repeat); any u64 / i32 when a flag says so.
    let (wide_ids, wide_days, raw_amounts) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0);
    let has_amounts = flags & 8 != 0;
    let signed = flags & 16 != 0;
    let granularity = match u.int_in_range(0..=4u8)? {
        0 => Granularity::Day,
        1 => Granularity::Week,
        2 => Granularity::Month,
        3 => Granularity::Quarter,
        _ => Granularity::Year,
    };
    let lookback = if u.arbitrary()? {
        Lookback::Days(u32::from(u.arbitrary::<u16>()?))
    } else {
        Lookback::Months(u32::from(u.arbitrary::<u8>()?))
    };
    let unit = if u.arbitrary()? {
        TimeUnit::Weeks
    } else {
        TimeUnit::Days
    };
    let base: i32 = if wide_days {
        0
    } else {
        19_000 + i32::from(u.arbitrary::<i16>()?)
    };
    let observation_end = if u.arbitrary()? {
        Some(base.saturating_add(i32::from(u.arbitrary::<i16>()?)))
    } else {
        None
    };
    let (mut ids, mut days, mut amounts) = (Vec::new(), Vec::new(), Vec::new());
    while !u.is_empty() && ids.len() < MAX_ROWS {
        ids.push(if wide_ids {
            u.arbitrary::<u64>()?
        } else {
            u64::from(u.arbitrary::<u8>()?)
        });
        days.push(if wide_days {
            u.arbitrary::<i32>()?
        } else {
            base + i32::from(u.arbitrary::<i16>()?) / 32
        });
        if has_amounts {
            amounts.push(if raw_amounts {
                u.arbitrary::<f64>()?
            } else {
                f64::from(u.arbitrary::<u16>()?) / 100.0
            });
        }
    }
    Ok(Columns {
        signed,
        ids,
        days,
        amounts: has_amounts.then_some(amounts),
        granularity,
        lookback,
        observation_end,
        unit,
    })
}

/// The granularity, made coarser when the log spans more than a few
/// hundred of its periods, so that each run stays fast (a cohort matrix has
/// cohorts × periods cells, each checked).
fn bounded(granularity: Granularity, span_days: i64) -> Granularity {
    let period_days = match granularity {
        Granularity::Day => 1,
        Granularity::Week => 7,
        Granularity::Month => 30,
        Granularity::Quarter => 91,
        // Year, and any granularity added later: the coarsest bound.
        _ => 365,
    };
    if span_days / period_days > 400 {
        Granularity::Year
    } else {
        granularity
    }
}

fn check(log: &TransactionLog<'_>, c: &Columns) {
    let span = i64::from(log.last_day()) - i64::from(log.first_day());
    let granularity = bounded(c.granularity, span);

    let options = SummaryOptions::default()
        .with_observation_end(c.observation_end)
        .with_unit(c.unit);
    if let Ok(s) = summary(log, &options) {
        assert_finite("summary", &s);
        assert_finite("recency", &s.recency());
        assert_finite("age", &s.age());
        assert_finite("frequency", &s.frequency_f64());
        if let Ok(m) = s.mean_observed_lifespan_days() {
            assert_finite("mean observed lifespan", &m);
        }
        assert_finite("compressed summary", &s.compress());
        if let Ok(spend) = s.compress_spend() {
            assert_finite("compressed spend", &spend);
        }
    }

    if let Ok(series) = kpi_series(log, granularity, c.lookback) {
        assert_finite("kpi series", &series);
        for row in &series.rows {
            assert_finite("kpi rates", &row.rates());
            assert_finite("kpi row view", &row.view(false));
        }
    }

    let options = CohortOptions::default()
        .with_granularity(granularity)
        .with_observation_end(c.observation_end);
    if let Ok(m) = cohort_matrix(log, &options) {
        assert_finite("cohort matrix", &m);
        for kind in [RetentionKind::NPeriod, RetentionKind::Unbounded] {
            for row in m.fractions(kind) {
                for p in row {
                    assert_probability("cohort retention", p, &c.granularity);
                }
            }
            assert_finite("average curve", &m.average_curve(kind));
        }
        if let Ok(r) = m.revenue_retention() {
            assert_finite("revenue retention", &r);
        }
    }

    if let Ok(scores) = rfm(log, c.observation_end) {
        assert_finite("rfm", &scores);
    }

    let counts = purchase_counts(log);
    assert_finite("purchase counts", &counts);
    if let Ok(p) = counts.repeat_customer_rate() {
        assert_probability("repeat customer rate", p, &counts);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(c) = columns(&mut Unstructured::new(data)) else {
        return;
    };
    let amounts = c.amounts.as_deref();
    let log = if c.signed {
        let signed: Vec<i64> = c.ids.iter().map(|&i| i.cast_signed()).collect();
        TransactionLog::with_signed_ids(&signed, &c.days, amounts).map(TransactionLog::into_owned)
    } else {
        TransactionLog::new(&c.ids, &c.days, amounts).map(TransactionLog::into_owned)
    };
    if let Ok(log) = log {
        check(&log, &c);
    }
});
