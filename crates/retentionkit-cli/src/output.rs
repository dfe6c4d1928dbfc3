//! The script-friendly subcommands: CSV and JSON on stdout.

use std::collections::HashMap;
use std::io::{BufWriter, ErrorKind, Write};
use std::ops::Range;

use retentionkit::cohort::{bracket_retention, cohort_matrix, CohortOptions, RetentionKind};
use retentionkit::period::{format_day, Granularity};
use retentionkit::rfm::rfm;
use retentionkit::summary::{calibration_holdout, summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;
use serde::Serialize;

use crate::analysis::{self, BgNbdOut, GammaGammaOut, Settings, SCHEMA_VERSION};
use crate::error::{CliError, Result};
use crate::input::Table;
use crate::progress::Progress;

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

/// A CSV field: quoted when it holds a comma, quote or line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn log_of(table: &Table) -> Result<TransactionLog<'_>> {
    Ok(TransactionLog::new(
        &table.ids,
        &table.days,
        table.amounts.as_deref(),
    )?)
}

/// `summary`: one row per customer, the BTYD summary and the RFM scores.
pub fn summary_csv(table: &Table, unit: TimeUnit) -> Result<()> {
    let log = log_of(table)?;
    let s = summary(
        &log,
        &SummaryOptions {
            observation_end: None,
            unit,
        },
    )?;
    let r = rfm(&log, None)?;
    let row_of: HashMap<u64, usize> = r
        .customer_id
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, i))
        .collect();
    let (recency, age) = (s.recency(), s.age());
    write_stdout(|w| {
        writeln!(
            w,
            "customer_id,frequency,recency,T,monetary_value,first_order,last_order,orders,spend,r_score,f_score,m_score,segment"
        )?;
        for i in 0..s.len() {
            let c = s.customer_id[i];
            let m = s
                .monetary_value
                .as_ref()
                .map(|m| m[i].to_string())
                .unwrap_or_default();
            write!(
                w,
                "{},{},{},{},{},{},{}",
                field(&table.id_label(c)),
                s.frequency[i],
                recency[i],
                age[i],
                m,
                format_day(s.first_day[i]),
                format_day(s.last_day[i]),
            )?;
            match row_of.get(&c) {
                Some(&j) => writeln!(
                    w,
                    ",{},{},{},{},{},{}",
                    r.orders[j],
                    r.spend
                        .as_ref()
                        .map(|v| v[j].to_string())
                        .unwrap_or_default(),
                    r.r_score[j],
                    r.f_score[j],
                    r.m_score
                        .as_ref()
                        .map(|v| v[j].to_string())
                        .unwrap_or_default(),
                    r.segment[j].name()
                )?,
                None => writeln!(w, ",,,,,,")?,
            }
        }
        Ok(())
    })
}

/// `cohorts`: one row per cohort: label, size, then periods 0, 1, ...
/// (counts, or fractions with `--fractions`); cells after the observation
/// end are empty.
pub fn cohorts_csv(table: &Table, granularity: Granularity, fractions: bool) -> Result<()> {
    let log = log_of(table)?;
    let m = cohort_matrix(
        &log,
        &CohortOptions {
            granularity,
            observation_end: None,
        },
    )?;
    let width = m.active.iter().map(Vec::len).max().unwrap_or(0);
    let f = m.fractions(RetentionKind::NPeriod);
    write_stdout(|w| {
        write!(w, "cohort,size")?;
        for k in 0..width {
            write!(w, ",{k}")?;
        }
        writeln!(w)?;
        for (c, label) in m.labels.iter().enumerate() {
            write!(w, "{label},{}", m.sizes[c])?;
            for k in 0..width {
                match (m.active[c].get(k), f[c].get(k)) {
                    (Some(n), Some(x)) => {
                        if fractions {
                            write!(w, ",{x}")?;
                        } else {
                            write!(w, ",{n}")?;
                        }
                    }
                    _ => write!(w, ",")?,
                }
            }
            writeln!(w)?;
        }
        Ok(())
    })
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
pub fn brackets_csv(
    table: &Table,
    granularity: Granularity,
    fractions: bool,
    brackets: &[Range<u32>],
) -> Result<()> {
    let log = log_of(table)?;
    let options = CohortOptions {
        granularity,
        observation_end: None,
    };
    let m = bracket_retention(&log, &options, brackets)?;
    let names: Vec<String> = brackets.iter().map(bracket_name).collect();
    let f = m.fractions();
    write_stdout(|w| {
        writeln!(w, "cohort,size,{},partial", names.join(","))?;
        for (c, label) in m.labels.iter().enumerate() {
            write!(w, "{label},{}", m.sizes[c])?;
            for b in 0..brackets.len() {
                match (m.counts[c].get(b), f[c].get(b)) {
                    (Some(_), Some(r)) if fractions => write!(w, ",{r}")?,
                    (Some(n), _) => write!(w, ",{n}")?,
                    _ => write!(w, ",")?,
                }
            }
            let partial: Vec<&str> = (0..brackets.len())
                .filter(|&b| m.is_partial(c, b))
                .map(|b| names[b].as_str())
                .collect();
            writeln!(w, ",{}", partial.join(";"))?;
        }
        Ok(())
    })
}

/// The `fit` output.
#[derive(Serialize)]
struct FitOutput {
    schema_version: u32,
    time_unit: &'static str,
    bg_nbd: BgNbdOut,
    gamma_gamma: Option<GammaGammaOut>,
    holdout: Option<analysis::HoldoutOut>,
    notes: Vec<String>,
}

/// `fit`: BG/NBD and Gamma-Gamma on all the data, and the holdout check.
pub fn fit_json(table: &Table, settings: &Settings, progress: &Progress) -> Result<()> {
    // The report's model part, without the metrics it does not need.
    let log = log_of(table)?;
    progress.stage("fitting");
    let weeks = summary(
        &log,
        &SummaryOptions {
            observation_end: None,
            unit: TimeUnit::Weeks,
        },
    )?;
    let (_, bg) = analysis::fit_summary(&weeks)?;
    let mut notes = Vec::new();
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
    let holdout = match settings.calibration_day() {
        Some(d) => {
            let split = calibration_holdout(&log, d, None, TimeUnit::Weeks)?;
            Some(analysis::holdout_of(&split, log.last_day())?.1)
        }
        None => None,
    };
    progress.finish();
    let fits = [
        ("BG/NBD", Some(bg.status)),
        ("Gamma-Gamma", gamma_gamma.as_ref().map(|g| g.status)),
        (
            "BG/NBD (calibration)",
            holdout.as_ref().map(|h| h.fit.status),
        ),
    ];
    for (name, status) in fits {
        if let Some(warning) = status.and_then(retentionkit::optim::FitStatus::warning) {
            eprintln!("warning: {name} fit: {warning}");
        }
    }
    let out = FitOutput {
        schema_version: SCHEMA_VERSION,
        time_unit: "weeks",
        bg_nbd: bg,
        gamma_gamma,
        holdout,
        notes,
    };
    write_stdout(|w| {
        serde_json::to_writer_pretty(&mut *w, &out).map_err(std::io::Error::other)?;
        writeln!(w)
    })
}

/// `predict`: per customer, BG/NBD probability alive and expected purchases
/// in the horizon, Gamma-Gamma expected mean spend and CLV.
pub fn predict_csv(
    table: &Table,
    settings: &Settings,
    horizon: f64,
    progress: &Progress,
) -> Result<()> {
    let log = log_of(table)?;
    progress.stage("fitting");
    let s = summary(
        &log,
        &SummaryOptions {
            observation_end: None,
            unit: TimeUnit::Weeks,
        },
    )?;
    let (fit, _) = analysis::fit_summary(&s)?;
    progress.stage("predicting");
    let p = fit.params.predict(&s, horizon)?;
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
            let clv = analysis::clv_of(&fit.params, g, &s, settings).ok();
            (means, clv)
        }
        None => (None, None),
    };
    progress.finish();
    let (recency, age) = (s.recency(), s.age());
    write_stdout(|w| {
        writeln!(
            w,
            "customer_id,frequency,recency_weeks,T_weeks,probability_alive,expected_purchases,expected_mean_spend,clv"
        )?;
        for i in 0..s.len() {
            let opt =
                |v: &Option<Vec<f64>>| v.as_ref().map(|v| v[i].to_string()).unwrap_or_default();
            writeln!(
                w,
                "{},{},{},{},{},{},{},{}",
                field(&table.id_label(s.customer_id[i])),
                s.frequency[i],
                recency[i],
                age[i],
                p.probability_alive[i],
                p.expected_purchases[i],
                opt(&spend_mean),
                opt(&clv)
            )?;
        }
        Ok(())
    })
}
