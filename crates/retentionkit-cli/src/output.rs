//! The script-friendly subcommands: their result tables (CSV on stdout, or
//! CSV or Parquet files with `--output`) and the JSON of `fit`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufWriter, ErrorKind, Write};
use std::ops::Range;

use retentionkit::cohort::{bracket_retention, cohort_matrix, CohortOptions, RetentionKind};
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::choice::{likelihood_ratio_test, LikelihoodRatio};
use retentionkit::models::cnbd::{fit_cnbd, CnbdFit, CnbdKind, CnbdOptions, RegularityData};
use retentionkit::models::interval::{
    fit_intervals, BootstrapOptions, ClvInputs, IntervalRequest, Method, Target as IntervalTarget,
};
use retentionkit::models::nbd::{fit_nbd, NbdParams};
use retentionkit::models::repeat::RepeatModel;
use retentionkit::models::RepeatData;
use retentionkit::optim::{Fit, FitOptions};
use retentionkit::period::Granularity;
use retentionkit::regularity::{wheat_morrison, WheatMorrison};
use retentionkit::rfm::{rfm, Rfm};
use retentionkit::summary::{calibration_holdout, summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;
use serde::Serialize;

use crate::analysis::{self, BgNbdOut, GammaGammaOut, Settings, SCHEMA_VERSION};
use crate::covariates;
use crate::error::{CliError, Result};
use crate::input::Table;
use crate::progress::Progress;
use crate::writer::{write_table, Destination, OutColumn, OutTable, Values};

/// Write to stdout through a buffer; a closed pipe (`| head`) ends quietly.
pub fn write_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let stdout = std::io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    let r = f(&mut w).and_then(|()| w.flush());
    match r {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::other(format!("cannot write the output: {e}"))),
        Ok(()) => Ok(()),
    }
}

/// Where a table goes, and whether to say so on stderr.
#[derive(Debug, Clone)]
pub struct Target {
    /// Standard output, a CSV file or a Parquet file.
    pub destination: Destination,
    /// No note on stderr.
    pub quiet: bool,
}

impl Target {
    /// Write `table` as the stage "writing" (timed with
    /// `RETENTIONKIT_TIMINGS`).
    fn write(&self, table: &OutTable<'_>, progress: &Progress) -> Result<()> {
        if self.destination == Destination::Stdout {
            progress.stage_without_bar("writing");
        } else {
            progress.stage("writing");
        }
        write_table(table, &self.destination, self.quiet)?;
        progress.finish();
        Ok(())
    }
}

/// The id column: the integers, or the file's text ids.
fn id_column<'a>(table: &'a Table, ids: &'a [u64]) -> OutColumn<'a> {
    OutColumn::new(
        "customer_id",
        Values::Id {
            ids: Cow::Borrowed(ids),
            names: table.id_names.as_deref(),
        },
    )
}

/// Small unsigned integers as a `u64` column.
fn widen<T: Copy + Into<u64>>(v: &[T]) -> Values<'static> {
    Values::U64(Cow::Owned(v.iter().map(|&x| x.into()).collect()))
}

fn log_of(table: &Table) -> Result<TransactionLog<'_>> {
    Ok(TransactionLog::new(
        &table.ids,
        &table.days,
        table.amounts.as_deref(),
    )?)
}

/// `summary`: one row per customer, the BTYD summary and the RFM scores.
pub fn summary_out(
    table: &Table,
    unit: TimeUnit,
    progress: &Progress,
    target: &Target,
) -> Result<()> {
    progress.stage("computing");
    let log = log_of(table)?;
    let s = summary(
        &log,
        &SummaryOptions::default()
            .with_observation_end(None)
            .with_unit(unit),
    )?;
    let r = rfm(&log, None)?;
    let rows = s.len();
    let mut out = OutTable::default();
    out.push(id_column(table, &s.customer_id));
    out.push(OutColumn::new("frequency", widen(&s.frequency)));
    out.push(OutColumn::new(
        "recency",
        Values::F64(Cow::Owned(s.recency())),
    ));
    out.push(OutColumn::new("T", Values::F64(Cow::Owned(s.age()))));
    out.push(OutColumn::optional_f64(
        "monetary_value",
        s.monetary_value.as_deref().map(Cow::Borrowed),
        rows,
    ));
    out.push(OutColumn::new(
        "first_order",
        Values::Day(Cow::Borrowed(&s.first_day)),
    ));
    out.push(OutColumn::new(
        "last_order",
        Values::Day(Cow::Borrowed(&s.last_day)),
    ));
    rfm_columns(&mut out, &s.customer_id, &r);
    target.write(&out, progress)
}

/// The RFM columns of `summary` in the summary's customer order (the
/// same order as the RFM table's when, as from the core, both are sorted
/// by id); a customer without RFM scores has empty cells.
fn rfm_columns<'a>(out: &mut OutTable<'a>, customers: &[u64], r: &'a Rfm) {
    let rows = customers.len();
    let segments = |row: Option<usize>| Cow::Borrowed(row.map_or("", |j| r.segment[j].name()));
    if r.customer_id == customers {
        out.push(OutColumn::new(
            "orders",
            Values::U64(Cow::Borrowed(&r.orders)),
        ));
        out.push(OutColumn::optional_f64(
            "spend",
            r.spend.as_deref().map(Cow::Borrowed),
            rows,
        ));
        out.push(OutColumn::new("r_score", widen(&r.r_score)));
        out.push(OutColumn::new("f_score", widen(&r.f_score)));
        match &r.m_score {
            Some(m) => out.push(OutColumn::new("m_score", widen(m))),
            None => out.push(OutColumn::with_valid(
                "m_score",
                Values::U64(Cow::Owned(vec![0; rows])),
                vec![false; rows],
            )),
        }
        out.push(OutColumn::new(
            "segment",
            Values::Text((0..rows).map(|j| segments(Some(j))).collect()),
        ));
        return;
    }
    let row_of: HashMap<u64, usize> = r
        .customer_id
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, i))
        .collect();
    let at: Vec<Option<usize>> = customers.iter().map(|c| row_of.get(c).copied()).collect();
    let found: Vec<bool> = at.iter().map(Option::is_some).collect();
    let pick_u64 = |v: &[u64]| -> Vec<u64> { at.iter().map(|j| j.map_or(0, |j| v[j])).collect() };
    let pick_u8 = |v: &[u8]| -> Vec<u64> {
        at.iter()
            .map(|j| j.map_or(0, |j| u64::from(v[j])))
            .collect()
    };
    out.push(OutColumn::with_valid(
        "orders",
        Values::U64(Cow::Owned(pick_u64(&r.orders))),
        found.clone(),
    ));
    match &r.spend {
        Some(v) => out.push(OutColumn::with_valid(
            "spend",
            Values::F64(Cow::Owned(
                at.iter().map(|j| j.map_or(0.0, |j| v[j])).collect(),
            )),
            found.clone(),
        )),
        None => out.push(OutColumn::optional_f64("spend", None, rows)),
    }
    out.push(OutColumn::with_valid(
        "r_score",
        Values::U64(Cow::Owned(pick_u8(&r.r_score))),
        found.clone(),
    ));
    out.push(OutColumn::with_valid(
        "f_score",
        Values::U64(Cow::Owned(pick_u8(&r.f_score))),
        found.clone(),
    ));
    let (m_score, m_found) = match &r.m_score {
        Some(v) => (pick_u8(v), found.clone()),
        None => (vec![0; rows], vec![false; rows]),
    };
    out.push(OutColumn::with_valid(
        "m_score",
        Values::U64(Cow::Owned(m_score)),
        m_found,
    ));
    out.push(OutColumn::with_valid(
        "segment",
        Values::Text(at.iter().map(|&j| segments(j)).collect()),
        found,
    ));
}

/// `cohorts`: one row per cohort: label, size, then periods 0, 1, ...
/// (counts, or fractions with `--fractions`); cells after the observation
/// end are empty.
pub fn cohorts_out(
    table: &Table,
    granularity: Granularity,
    fractions: bool,
    progress: &Progress,
    target: &Target,
) -> Result<()> {
    progress.stage("computing");
    let log = log_of(table)?;
    let m = cohort_matrix(
        &log,
        &CohortOptions::default()
            .with_granularity(granularity)
            .with_observation_end(None),
    )?;
    let width = m.active.iter().map(Vec::len).max().unwrap_or(0);
    let f = m.fractions(RetentionKind::NPeriod);
    let mut out = OutTable::default();
    out.push(OutColumn::new(
        "cohort",
        Values::Text(m.labels.iter().map(|l| Cow::Borrowed(l.as_str())).collect()),
    ));
    out.push(OutColumn::new("size", Values::U64(Cow::Borrowed(&m.sizes))));
    for k in 0..width {
        let valid: Vec<bool> = (0..m.labels.len())
            .map(|c| m.active[c].get(k).is_some() && f[c].get(k).is_some())
            .collect();
        let values = if fractions {
            Values::F64(Cow::Owned(
                f.iter()
                    .map(|row| row.get(k).copied().unwrap_or(0.0))
                    .collect(),
            ))
        } else {
            Values::U64(Cow::Owned(
                m.active
                    .iter()
                    .map(|row| row.get(k).copied().unwrap_or(0))
                    .collect(),
            ))
        };
        out.push(OutColumn::with_valid(k.to_string(), values, valid));
    }
    target.write(&out, progress)
}

/// Brackets from `--brackets`: `k` is `k..k + 1`, `a-b` is `a..b + 1` and
/// `a+` is `a..u32::MAX` (no end). Order and overlap are checked by the core.
pub fn parse_brackets(spec: &str) -> Result<Vec<Range<u32>>> {
    let bad = |item: &str| {
        CliError::input(format!(
            "--brackets {spec:?}: {item:?} is not a bracket; give k, a-b (a <= b) or a+, \
             separated by commas, such as 0,1-2,3-5,6+"
        ))
    };
    let number = |t: &str, item: &str| {
        let t = t.trim();
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad(item));
        }
        // Below u32::MAX, which stands for "no end".
        t.parse::<u32>()
            .ok()
            .filter(|&n| n < u32::MAX - 1)
            .ok_or_else(|| bad(item))
    };
    spec.split(',')
        .map(|item| {
            let t = item.trim();
            if let Some(a) = t.strip_suffix('+') {
                Ok(number(a, item)?..u32::MAX)
            } else if let Some((a, b)) = t.split_once('-') {
                let (a, b) = (number(a, item)?, number(b, item)?);
                if a > b {
                    return Err(bad(item));
                }
                Ok(a..b + 1)
            } else {
                let k = number(t, item)?;
                Ok(k..k + 1)
            }
        })
        .collect()
}

/// The column name of a bracket: `k`, `a-b` or `a+`, as `--brackets` takes it.
fn bracket_name(b: &Range<u32>) -> String {
    match (b.start, b.end) {
        (a, u32::MAX) => format!("{a}+"),
        (a, e) if e == a + 1 => format!("{a}"),
        (a, e) => format!("{a}-{}", e - 1),
    }
}

/// The `cohorts --brackets` output: `cohort, size`, one column per bracket
/// (empty where the bracket's first period is not observed yet) and
/// `partial`, the brackets of the row not observed to their end, separated
/// by `;`.
pub fn brackets_out(
    table: &Table,
    granularity: Granularity,
    fractions: bool,
    brackets: &[Range<u32>],
    progress: &Progress,
    target: &Target,
) -> Result<()> {
    progress.stage("computing");
    let log = log_of(table)?;
    let options = CohortOptions::default()
        .with_granularity(granularity)
        .with_observation_end(None);
    let m = bracket_retention(&log, &options, brackets)?;
    let names: Vec<String> = brackets.iter().map(bracket_name).collect();
    let f = m.fractions();
    let cohorts = m.labels.len();
    let mut out = OutTable::default();
    out.push(OutColumn::new(
        "cohort",
        Values::Text(m.labels.iter().map(|l| Cow::Borrowed(l.as_str())).collect()),
    ));
    out.push(OutColumn::new("size", Values::U64(Cow::Borrowed(&m.sizes))));
    for (b, name) in names.iter().enumerate() {
        let valid: Vec<bool> = (0..cohorts).map(|c| m.counts[c].get(b).is_some()).collect();
        let values = if fractions {
            // A count where a fraction is missing, as the CSV always printed.
            #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
            Values::F64(Cow::Owned(
                (0..cohorts)
                    .map(|c| match (m.counts[c].get(b), f[c].get(b)) {
                        (Some(_), Some(&r)) => r,
                        (Some(&n), None) => n as f64,
                        _ => 0.0,
                    })
                    .collect(),
            ))
        } else {
            Values::U64(Cow::Owned(
                (0..cohorts)
                    .map(|c| m.counts[c].get(b).copied().unwrap_or(0))
                    .collect(),
            ))
        };
        out.push(OutColumn::with_valid(name.clone(), values, valid));
    }
    let partial: Vec<Cow<'_, str>> = (0..cohorts)
        .map(|c| {
            let row: Vec<&str> = (0..brackets.len())
                .filter(|&b| m.is_partial(c, b))
                .map(|b| names[b].as_str())
                .collect();
            Cow::Owned(row.join(";"))
        })
        .collect();
    out.push(OutColumn::new("partial", Values::Text(partial)));
    target.write(&out, progress)
}

/// The `fit` output.
#[derive(Serialize)]
struct FitOutput {
    schema_version: u32,
    time_unit: &'static str,
    bg_nbd: BgNbdOut,
    gamma_gamma: Option<GammaGammaOut>,
    holdout: Option<analysis::HoldoutOut>,
    scorecard: Option<analysis::ScorecardOut>,
    /// With `--regularity`: BG/CNBD-k or MBG/CNBD-k on all the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    regularity: Option<RegularityOut>,
    /// With `--covariates`: the BG/NBD with covariates on all the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    covariates: Option<covariates::CovariatesOut>,
    /// Do customers drop out at all: the NBD within the BG/NBD.
    drop_out_test: Option<DropOutTest>,
    notes: Vec<String>,
}

/// The likelihood-ratio test of the NBD (Poisson purchases, no drop-out;
/// the core's `models::nbd`) nested in the BG/NBD at p = 0, both on every
/// customer (weeks), with the boundary correction (docs/metrics.md,
/// "Choosing a model", likelihood-ratio test and NBD).
#[derive(Serialize)]
struct DropOutTest {
    nbd: Fit<NbdParams>,
    test: LikelihoodRatio,
}

/// The regularity part of the `fit` output: the model fitted on all the
/// data (weeks), k chosen over 1..=`max_k`, and the Wheat–Morrison
/// statistic of the log (docs/metrics.md, "Regularity").
#[derive(Serialize)]
struct RegularityOut {
    model: &'static str,
    fit: CnbdFit,
    wheat_morrison: Option<WheatMorrison>,
}

/// `fit`: BG/NBD and Gamma-Gamma on all the data, and the holdout check;
/// with `regularity`, that model too.
pub fn fit_json(
    table: &Table,
    settings: &Settings,
    regularity: Option<(CnbdKind, u32)>,
    covariate_args: &covariates::CovariateArgs,
    quiet: bool,
    progress: &Progress,
) -> Result<()> {
    // The report's model part, without the metrics it does not need.
    let log = log_of(table)?;
    let weeks = summary(
        &log,
        &SummaryOptions::default()
            .with_observation_end(None)
            .with_unit(TimeUnit::Weeks),
    )?;
    // A bad covariate file fails before any fit.
    let prepared = covariates::prepare(covariate_args, table, &weeks)?;
    progress.stage("fitting");
    let (bg_fit, bg, data) = analysis::fit_summary_data(&weeks)?;
    let mut notes = Vec::new();
    let drop_out_test = match fit_nbd(&data, &FitOptions::default()).and_then(|nbd| {
        likelihood_ratio_test(&bg_fit.criteria(), &nbd.criteria(), true)
            .map(|test| DropOutTest { nbd, test })
    }) {
        Ok(t) => Some(t),
        Err(e) => {
            notes.push(format!("drop-out test not computed: {e}"));
            None
        }
    };
    let gamma_gamma = if table.amounts.is_some() {
        match analysis::fit_spend(&weeks) {
            Ok((_, g)) => Some(g),
            Err(e) => {
                notes.push(format!("Gamma-Gamma not fitted: {e}"));
                None
            }
        }
    } else {
        None
    };
    let (holdout, scorecard) = match settings.calibration_day() {
        Some(d) => {
            let split = calibration_holdout(&log, d, None, TimeUnit::Weeks)?;
            let ((fit, _), h) = analysis::holdout_of(&split, log.last_day())?;
            let card = match analysis::scorecard_of(&split, &fit.into_repeat()) {
                Ok(c) => Some(c),
                Err(e) => {
                    notes.push(format!("scorecard not computed: {e}"));
                    None
                }
            };
            (Some(h), card)
        }
        None => (None, None),
    };
    let regularity = match regularity {
        Some((kind, max_k)) => {
            let options = SummaryOptions::default().with_unit(TimeUnit::Weeks);
            let data = RegularityData::from_log(&log, &options)?;
            let fit = fit_cnbd(&data, kind, &CnbdOptions::default().with_max_k(max_k))?;
            let wheat_morrison = match wheat_morrison(&log, &options) {
                Ok(w) => Some(w),
                Err(e) => {
                    notes.push(format!("Wheat–Morrison statistic not computed: {e}"));
                    None
                }
            };
            Some(RegularityOut {
                model: kind.label(),
                fit,
                wheat_morrison,
            })
        }
        None => None,
    };
    let covariates = prepared
        .as_ref()
        .map(|p| covariates::fit(p, &weeks, quiet))
        .transpose()?;
    progress.finish();
    let fits = [
        ("BG/NBD", Some(bg.status)),
        ("Gamma-Gamma", gamma_gamma.as_ref().map(|g| g.status)),
        (
            "BG/NBD (calibration)",
            holdout.as_ref().map(|h| h.fit.status),
        ),
        (
            regularity.as_ref().map_or("", |r| r.model),
            regularity.as_ref().map(|r| r.fit.fit.status),
        ),
        (
            "BG/NBD with covariates",
            covariates.as_ref().map(covariates::CovariatesOut::status),
        ),
    ];
    for (name, status) in fits {
        if let Some(warning) = status.and_then(retentionkit::optim::FitStatus::warning) {
            eprintln!("warning: {name} fit: {warning}");
        }
    }
    if let Some(w) = gamma_gamma
        .as_ref()
        .and_then(|g| g.spend_warning.as_deref())
    {
        eprintln!("warning: Gamma-Gamma fit: {w}");
    }
    let out = FitOutput {
        schema_version: SCHEMA_VERSION,
        time_unit: "weeks",
        bg_nbd: bg,
        gamma_gamma,
        holdout,
        scorecard,
        regularity,
        covariates,
        drop_out_test,
        notes,
    };
    write_stdout(|w| {
        serde_json::to_writer_pretty(&mut *w, &out).map_err(std::io::Error::other)?;
        writeln!(w)
    })
}

/// The optional columns of `predict`.
#[derive(Debug, Clone, Copy)]
pub struct PredictExtras {
    /// `--pmf N`: P(exactly n purchases in the horizon) for n = 0..=N and
    /// P(alive at the horizon's end).
    pub pmf: Option<u32>,
    /// `--dert RATE`: DERT at this continuous rate per week.
    pub dert: Option<f64>,
    /// `--interval LEVEL`: intervals on P(alive) and the expected
    /// purchases.
    pub interval: Option<f64>,
    /// `--interval-method`: delta (default) or bootstrap.
    pub interval_method: Method,
    /// `--replicates` and `--seed` of the bootstrap.
    pub bootstrap: BootstrapOptions,
}

/// `predict`: per customer, BG/NBD probability alive and expected purchases
/// in the horizon, Gamma-Gamma expected mean spend and CLV, then the
/// columns `extras` asks for.
#[allow(clippy::too_many_arguments)] // the input, its settings, the flags and the destination
pub fn predict_out(
    table: &Table,
    settings: &Settings,
    horizon: f64,
    extras: &PredictExtras,
    covariate_args: &covariates::CovariateArgs,
    quiet: bool,
    progress: &Progress,
    target: &Target,
) -> Result<()> {
    let log = log_of(table)?;
    let s = summary(
        &log,
        &SummaryOptions::default()
            .with_observation_end(None)
            .with_unit(TimeUnit::Weeks),
    )?;
    // A bad covariate file fails before any fit.
    let prepared = covariates::prepare(covariate_args, table, &s)?;
    progress.stage("fitting");
    let (fit, _) = analysis::fit_summary(&s)?;
    progress.stage("predicting");
    let with_covariates = prepared
        .as_ref()
        .map(|p| covariates::predict(p, &s, horizon, quiet))
        .transpose()?;
    let (probability_alive, expected_purchases) = if let Some(c) = &with_covariates {
        (c.probability_alive.clone(), c.expected_purchases.clone())
    } else {
        let p = fit.params.predict(&s, horizon)?;
        (p.probability_alive, p.expected_purchases)
    };
    let spend = match table.amounts {
        Some(_) => analysis::fit_spend(&s).ok().map(|g| g.0),
        None => None,
    };
    let (spend_mean, clv) = match &spend {
        Some(g) => {
            let m = s.monetary_value.as_deref().unwrap_or(&[]);
            let means = (0..s.len())
                .map(|i| g.expected_mean_spend(s.frequency[i], m.get(i).copied().unwrap_or(0.0)))
                .collect::<retentionkit::Result<Vec<f64>>>()
                .ok();
            let clv = match &with_covariates {
                Some(c) => covariates::clv(&c.params, g, &s, settings).ok(),
                None => analysis::clv_of(&fit.params, g, &s, settings).ok(),
            };
            (means, clv)
        }
        None => (None, None),
    };
    let rows = s.len();
    let mut out = OutTable::default();
    out.push(id_column(table, &s.customer_id));
    out.push(OutColumn::new("frequency", widen(&s.frequency)));
    out.push(OutColumn::new(
        "recency_weeks",
        Values::F64(Cow::Owned(s.recency())),
    ));
    out.push(OutColumn::new("T_weeks", Values::F64(Cow::Owned(s.age()))));
    out.push(OutColumn::new(
        "probability_alive",
        Values::F64(Cow::Borrowed(&probability_alive)),
    ));
    out.push(OutColumn::new(
        "expected_purchases",
        Values::F64(Cow::Borrowed(&expected_purchases)),
    ));
    out.push(OutColumn::optional_f64(
        "expected_mean_spend",
        spend_mean.as_deref().map(Cow::Borrowed),
        rows,
    ));
    out.push(OutColumn::optional_f64(
        "clv",
        clv.as_deref().map(Cow::Borrowed),
        rows,
    ));
    predict_extras(&mut out, &fit.params, &s, horizon, extras)?;
    if let Some(level) = extras.interval {
        // The CLV gets its interval when `predict` computed it.
        let clv_inputs = match (&spend, &clv, s.monetary_value.as_deref()) {
            (Some(g), Some(_), Some(m)) => Some(ClvInputs::new(*g, m, settings.clv_options())),
            _ => None,
        };
        predict_intervals(&mut out, &fit, &s, horizon, level, clv_inputs, extras)?;
    }
    target.write(&out, progress)
}

/// The columns of `--interval LEVEL`: the core's intervals
/// (`models::interval::fit_intervals`, delta method or bootstrap) on
/// P(alive), the expected purchases and, with `clv` (when `predict`
/// computed the CLV), the CLV with the spend model held fixed, from one
/// covariance or bootstrap.
fn predict_intervals(
    out: &mut OutTable<'_>,
    fit: &Fit<BgNbdParams>,
    s: &retentionkit::summary::Summary,
    horizon: f64,
    level: f64,
    clv: Option<ClvInputs<'_>>,
    extras: &PredictExtras,
) -> Result<()> {
    let data = RepeatData::from_summary(&s.compress())?;
    let (tx, t) = (s.recency(), s.age());
    let mut targets = vec![
        IntervalTarget::ProbabilityAlive,
        IntervalTarget::ExpectedPurchases,
    ];
    if clv.is_some() {
        targets.push(IntervalTarget::Clv);
    }
    let request = IntervalRequest::default()
        .with_horizon(horizon)
        .with_customers(Some((&s.frequency, &tx, &t)))
        .with_level(level)
        .with_method(extras.interval_method)
        .with_bootstrap(extras.bootstrap)
        .with_clv(clv);
    let all = fit_intervals(&fit.clone().into_repeat(), &data, &targets, &request)?;
    for iv in all {
        let name = iv.target.as_str();
        out.push(OutColumn::new(
            format!("{name}_lower"),
            Values::F64(Cow::Owned(iv.intervals.lower)),
        ));
        out.push(OutColumn::new(
            format!("{name}_upper"),
            Values::F64(Cow::Owned(iv.intervals.upper)),
        ));
    }
    Ok(())
}

/// The columns of `--pmf` and `--dert` (none without them, so the default
/// output keeps its bytes).
fn predict_extras(
    out: &mut OutTable<'_>,
    model: &impl RepeatModel,
    s: &retentionkit::summary::Summary,
    horizon: f64,
    extras: &PredictExtras,
) -> Result<()> {
    let (x, tx, t) = (&s.frequency, s.recency(), s.age());
    if let Some(max_n) = extras.pmf {
        let d = model.purchase_distribution(x, &tx, &t, horizon, max_n)?;
        for n in 0..=max_n {
            let k = usize::try_from(n).unwrap_or(usize::MAX);
            let column: Vec<f64> = (0..d.rows())
                .map(|i| d.row(i).and_then(|r| r.get(k)).copied().unwrap_or(f64::NAN))
                .collect();
            out.push(OutColumn::new(
                format!("p_purchases_{n}"),
                Values::F64(Cow::Owned(column)),
            ));
        }
        let alive = model.probability_alive_at_columns(x, &tx, &t, horizon)?;
        out.push(OutColumn::new(
            "probability_alive_at_horizon",
            Values::F64(Cow::Owned(alive)),
        ));
    }
    if let Some(rate) = extras.dert {
        let v = model.dert_columns(x, &tx, &t, rate)?;
        out.push(OutColumn::new("dert", Values::F64(Cow::Owned(v))));
    }
    Ok(())
}
