//! `retentionkit`: a retention report from a transaction file (CSV, gzip
//! CSV, Parquet or Arrow IPC, or standard input), or from the built-in demo
//! shop when no file is given.
//!
//! Subcommands: `report` (terminal summary, `--json`, `--html FILE`),
//! `summary`, `cohorts`, `fit` and `predict` for scripts (CSV on stdout, or
//! CSV or Parquet files with `--output FILE`); `cox` and `aft`, survival
//! regressions on a table of durations. See `docs/cli.md`.

mod analysis;
mod covariates;
mod error;
mod format;
mod html;
mod input;
mod output;
mod progress;
mod sections;
mod survival;
mod svg;
mod terminal;
mod writer;

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use retentionkit::models::cnbd::CnbdKind;
use retentionkit::models::interval::{BootstrapOptions, Method};
use retentionkit::period::{Granularity, Lookback};

use crate::analysis::Settings;
use crate::error::{CliError, Result};
use crate::input::{ReadOptions, Source, Table};
use crate::progress::Progress;

/// Customer-retention report from a transaction log.
#[derive(Parser, Debug)]
#[command(name = "retentionkit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The retention report: KPIs, cohorts, retention curve, model fit and at-risk list.
    Report {
        #[command(flatten)]
        common: Common,
        /// Print every number as JSON (schema in docs/cli.md) instead of the terminal summary.
        #[arg(long)]
        json: bool,
        /// Also write a self-contained HTML report to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<String>,
    },
    /// Per-customer RFM/BTYD summary as CSV (or Parquet with --output FILE.parquet).
    Summary {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        output: OutputArg,
        /// Time unit of recency and T.
        #[arg(long, value_enum, default_value_t = Unit::Days)]
        unit: Unit,
    },
    /// The cohort retention matrix as CSV (or Parquet with --output FILE.parquet).
    Cohorts {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        output: OutputArg,
        /// Write retention fractions instead of customer counts.
        #[arg(long)]
        fractions: bool,
        /// Bracket retention instead of one column per period: comma-separated
        /// brackets of periods after acquisition, such as 0,1-2,3-5,6+ (k, a-b
        /// inclusive, a+ without end).
        #[arg(long, value_name = "SPEC")]
        brackets: Option<String>,
    },
    /// Model parameters and fit quality as JSON.
    Fit {
        #[command(flatten)]
        common: Common,
        /// Also fit a regularity model on all the data (weeks), k chosen by
        /// likelihood over 1..=--max-k, with the log's Wheat–Morrison
        /// statistic: the `regularity` part of the JSON (docs/metrics.md,
        /// "Regularity").
        #[arg(long, value_enum, value_name = "MODEL")]
        regularity: Option<RegularityArg>,
        /// The largest Erlang shape k tried with --regularity.
        #[arg(long, default_value_t = 12, value_name = "K")]
        max_k: u32,
        #[command(flatten)]
        covariates: covariates::CovariateArgs,
    },
    /// Per-customer predictions as CSV (or Parquet with --output FILE.parquet).
    Predict {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        output: OutputArg,
        /// Prediction horizon in weeks.
        #[arg(long, default_value_t = 52.0)]
        horizon: f64,
        /// Add the distribution of each customer's purchases in the horizon:
        /// columns p_purchases_0 .. p_purchases_N, the probability of exactly
        /// n purchases (p_purchases_0: none), and probability_alive_at_horizon.
        #[arg(long, value_name = "N")]
        pmf: Option<u32>,
        /// Add a column dert: the discounted expected residual transactions
        /// at this continuous discount rate per week (for an annual rate d,
        /// ln(1 + d)/52; 15 % a year is 0.00269).
        #[arg(long, value_name = "RATE")]
        dert: Option<f64>,
        /// Add delta-method intervals at this two-sided level (for example
        /// 0.9): columns probability_alive_lower/_upper,
        /// expected_purchases_lower/_upper and, when there is a CLV column,
        /// clv_lower/_upper (the Gamma-Gamma model held fixed; the core's
        /// models::interval; docs/metrics.md, "Intervals on parameters and
        /// predictions").
        #[arg(long, value_name = "LEVEL")]
        interval: Option<f64>,
        /// How `--interval` computes its intervals: delta (the parameter
        /// covariance) or bootstrap (customers resampled, the model refitted
        /// `--replicates` times; percentile intervals).
        #[arg(
            long,
            value_name = "METHOD",
            default_value = "delta",
            requires = "interval"
        )]
        interval_method: String,
        /// Bootstrap replicates of `--interval-method bootstrap` (default 1000).
        #[arg(long, value_name = "N", requires = "interval")]
        replicates: Option<usize>,
        /// Bootstrap seed: the same seed gives the same intervals (default 0).
        #[arg(long, requires = "interval")]
        seed: Option<u64>,
        #[command(flatten)]
        covariates: covariates::CovariateArgs,
    },
    /// Cox proportional hazards on a table of durations with covariates:
    /// the coefficient table with hazard ratios, the likelihood-ratio test,
    /// the concordance and the test of proportional hazards (or JSON).
    Cox(survival::CoxArgs),
    /// The Weibull accelerated-failure-time model on a table of durations
    /// with covariates: coefficients with standard errors, z, p and
    /// intervals, and the concordance (or JSON).
    Aft(survival::AftArgs),
}

#[derive(Args, Debug, Clone)]
struct Common {
    /// Transaction file: CSV (any delimiter, optionally gzip-compressed),
    /// Parquet (.parquet) or Arrow IPC / Feather (.arrow, .feather, .ipc);
    /// "-" reads it from standard input (CSV, gzip CSV, Parquet or Arrow).
    /// Without it, the built-in demo shop is used.
    file: Option<String>,
    /// Customer id column (name, or 1-based number without a header).
    #[arg(long)]
    id: Option<String>,
    /// Order date column.
    #[arg(long)]
    date: Option<String>,
    /// Amount column ("none" for a log without amounts).
    #[arg(long)]
    amount: Option<String>,
    /// Date format: iso, yyyymmdd, unix, or a chrono pattern such as %d.%m.%Y.
    #[arg(long, value_name = "FORMAT")]
    date_format: Option<String>,
    /// Field delimiter (a character, "tab" or "space"); detected when omitted.
    #[arg(long)]
    delimiter: Option<String>,
    /// Whether the first line is a header; detected when omitted.
    #[arg(long, value_enum)]
    header: Option<YesNo>,
    /// Skip rows that cannot be parsed (reports how many and which) instead of stopping.
    #[arg(long)]
    skip_bad_rows: bool,
    /// KPI and cohort period.
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    period: PeriodArg,
    /// Activity look-back: 12m (months) or 90d (days).
    #[arg(long, default_value = "12m")]
    lookback: String,
    /// Last day of the calibration period for the holdout check (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", conflicts_with = "holdout")]
    calibration_end: Option<String>,
    /// Holdout length before the last order day: 26w (weeks) or 180d (days); 0 turns the check off.
    /// Default: 26w when the log spans a year or more.
    #[arg(long)]
    holdout: Option<String>,
    /// No progress bar and no notes on stderr.
    #[arg(long, short)]
    quiet: bool,
}

/// `--output`: where a result table goes.
#[derive(Args, Debug, Clone)]
struct OutputArg {
    /// Write the table to FILE instead of stdout: Parquet (zstd) when the
    /// name ends in .parquet, CSV otherwise. The file appears only when
    /// complete ("-": stdout).
    #[arg(long, short, value_name = "FILE")]
    output: Option<String>,
}

impl OutputArg {
    /// The destination, checked before the input is read.
    fn target(&self, quiet: bool) -> Result<output::Target> {
        Ok(output::Target {
            destination: writer::Destination::of(self.output.as_deref())?,
            quiet,
        })
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum YesNo {
    Yes,
    No,
}

/// A regularity model of `fit --regularity`.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum RegularityArg {
    /// BG/CNBD-k: the BG/NBD with Erlang-k inter-purchase times.
    BgCnbd,
    /// MBG/CNBD-k: the MBG/NBD with Erlang-k inter-purchase times.
    MbgCnbd,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Unit {
    Days,
    Weeks,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum PeriodArg {
    Week,
    Month,
    Quarter,
}

impl Common {
    fn read_options(&self) -> Result<ReadOptions> {
        let delimiter = match self.delimiter.as_deref() {
            None => None,
            Some("tab" | "\\t") => Some(b'\t'),
            Some("space" | "whitespace" | " ") => Some(b' '),
            Some(d) if d.len() == 1 => d.bytes().next(),
            Some(d) => {
                return Err(CliError::input(format!(
                    "--delimiter {d:?}: expected one character, \"tab\" or \"space\""
                )))
            }
        };
        Ok(ReadOptions {
            id: self.id.clone(),
            date: self.date.clone(),
            amount: self.amount.clone(),
            date_format: self.date_format.clone(),
            delimiter,
            header: self.header.map(|h| matches!(h, YesNo::Yes)),
            skip_bad_rows: self.skip_bad_rows,
        })
    }

    fn granularity(&self) -> Granularity {
        match self.period {
            PeriodArg::Week => Granularity::Week,
            PeriodArg::Month => Granularity::Month,
            PeriodArg::Quarter => Granularity::Quarter,
        }
    }

    fn settings(&self, table: &Table) -> Result<Settings> {
        let lookback = parse_lookback(&self.lookback)?;
        let calibration_end = match &self.calibration_end {
            Some(d) => Some(retentionkit::period::parse_day(d).map_err(|e| {
                // The core's reason without its argument name (`date`):
                // the user wrote the flag.
                let reason = match e {
                    retentionkit::Error::InvalidArgument { reason, .. } => reason,
                    other => other.to_string(),
                };
                CliError::input(format!("--calibration-end: {reason}"))
            })?),
            None => None,
        };
        let holdout = self.holdout.as_deref().map(parse_holdout).transpose()?;
        let first = table.days.iter().copied().min().unwrap_or(0);
        let last = table.days.iter().copied().max().unwrap_or(0);
        check_calibration(
            self.calibration_end.as_deref().zip(calibration_end),
            self.holdout.as_deref().zip(holdout),
            first,
            last,
        )?;
        Ok(Settings::new(
            self.granularity(),
            lookback,
            calibration_end,
            holdout,
            first,
            last,
        ))
    }
}

fn parse_count(text: &str, what: &str) -> Result<u32> {
    text.parse::<u32>()
        .map_err(|_| CliError::input(format!("{what}: {text:?} is not a whole number")))
}

fn parse_lookback(text: &str) -> Result<Lookback> {
    let bad = || {
        CliError::input(format!(
            "--lookback {text:?}: expected months like 12m or days like 90d"
        ))
    };
    let (n, unit) = text.split_at(text.len().saturating_sub(1));
    let n = parse_count(n, "--lookback").map_err(|_| bad())?;
    if n == 0 {
        return Err(bad());
    }
    match unit {
        "m" => Ok(Lookback::Months(n)),
        "d" => Ok(Lookback::Days(n)),
        _ => Err(bad()),
    }
}

fn parse_holdout(text: &str) -> Result<u32> {
    if text == "0" {
        return Ok(0);
    }
    let bad = || {
        CliError::input(format!(
            "--holdout {text:?}: expected weeks like 26w or days like 180d"
        ))
    };
    let (n, unit) = text.split_at(text.len().saturating_sub(1));
    let n = parse_count(n, "--holdout").map_err(|_| bad())?;
    match unit {
        "w" => n.checked_mul(7).ok_or_else(bad),
        "d" => Ok(n),
        _ => Err(bad()),
    }
}

/// An explicit calibration end (`--calibration-end DAY` or `--holdout
/// LENGTH`) must leave orders on both sides: checked here, where the flag
/// is known, so the message names it (the core would name its argument
/// `observation_end`).
fn check_calibration(
    calibration_end: Option<(&str, i32)>,
    holdout: Option<(&str, u32)>,
    first: i32,
    last: i32,
) -> Result<()> {
    use retentionkit::period::format_day;
    let span = format!(
        "the orders run from {} to {}",
        format_day(first),
        format_day(last)
    );
    if let Some((text, day)) = calibration_end
        && (day < first || day >= last)
    {
        return Err(CliError::input(format!(
            "--calibration-end {text}: {} the {} order; {span}, so give a day from {} to {}",
            if day < first { "before" } else { "not before" },
            if day < first { "first" } else { "last" },
            format_day(first),
            format_day(last - 1)
        )));
    }
    if let Some((text, days)) = holdout
        && days > 0
        && i64::from(last) - i64::from(days) < i64::from(first)
    {
        return Err(CliError::input(format!(
            "--holdout {text}: longer than the log ({span}, {} days); give a holdout \
                 shorter than that, or --holdout 0 for no holdout check",
            last - first
        )));
    }
    Ok(())
}

/// Read the input and tell the user (on stderr) what was read and how.
fn load(common: &Common, progress: &Progress) -> Result<(Source, Table)> {
    let opts = common.read_options()?;
    let (source, table) = input::load(common.file.as_deref(), &opts, progress)?;
    progress.finish();
    if !common.quiet {
        let mut err = std::io::stderr().lock();
        // ok: notes on stderr are best effort.
        let _ = match (&source, &table.columns) {
            (Source::File { path }, Some(c)) => writeln!(
                err,
                "read {path}: {} rows; id = {:?}, date = {:?} ({}), amount = {}{}",
                table.ids.len(),
                c.id,
                c.date,
                c.date_format,
                c.amount
                    .as_ref()
                    .map_or_else(|| "none".to_string(), |a| format!("{a:?}")),
                c.delimiter
                    .as_ref()
                    .map(|d| format!(", delimiter {d}"))
                    .unwrap_or_default()
                    + if c.header { ", header line" } else { ", no header" }
            ),
            (Source::Demo { options }, _) => writeln!(
                err,
                "no file given: using the built-in demo shop ({} customers over {} days, seed {}; truth in README \"Command line\")",
                options.customers, options.days, options.seed
            ),
            _ => Ok(()),
        };
        if !table.bad_rows.is_empty() {
            let lines: Vec<String> = table
                .bad_rows
                .iter()
                .take(5)
                .map(|b| b.line.to_string())
                .collect();
            let _ = writeln!(
                err,
                "skipped {} bad row(s), at line(s) {}{}; first: column \"{}\": {}",
                table.bad_rows.len(),
                lines.join(", "),
                if table.bad_rows.len() > 5 {
                    ", ..."
                } else {
                    ""
                },
                table.bad_rows[0].column,
                table.bad_rows[0].message
            );
        }
    }
    if table.ids.is_empty() {
        return Err(CliError::input(match &source {
            Source::File { path } => format!("{path}: no rows left to analyse"),
            Source::Demo { .. } => "the demo shop is empty".to_string(),
        }));
    }
    Ok((source, table))
}

/// `predict --covariates` refuses the columns that have no covariate form yet.
fn check_covariate_extras(
    covariates: &covariates::CovariateArgs,
    extras: &output::PredictExtras,
) -> Result<()> {
    let refused = [
        (extras.pmf.is_some(), "--pmf"),
        (extras.dert.is_some(), "--dert"),
        (extras.interval.is_some(), "--interval"),
    ]
    .iter()
    .find_map(|&(on, flag)| on.then_some(flag));
    match refused {
        Some(flag) if covariates.given() => Err(CliError::input(format!(
            "{flag} does not take --covariates yet: the BG/NBD with covariates \
             predicts probability_alive, expected_purchases and clv"
        ))),
        _ => Ok(()),
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Report { common, json, html } => {
            let progress = Progress::new(common.quiet);
            let (source, table) = load(&common, &progress)?;
            let settings = common.settings(&table)?;
            let report = analysis::analyse(source, &table, settings, &progress)?;
            if let Some(path) = &html {
                let page = html::render(&report);
                std::fs::write(path, page)
                    .map_err(|e| CliError::other(format!("cannot write {path}: {e}")))?;
                if !common.quiet {
                    eprintln!("wrote {path}");
                }
            }
            if json {
                output::write_stdout(|w| {
                    serde_json::to_writer_pretty(&mut *w, &report)
                        .map_err(std::io::Error::other)?;
                    writeln!(w)
                })
            } else {
                output::write_stdout(|w| terminal::render(&report, w))
            }
        }
        Command::Summary {
            common,
            output,
            unit,
        } => {
            let target = output.target(common.quiet)?;
            let progress = Progress::new(common.quiet);
            let (_, table) = load(&common, &progress)?;
            let unit = match unit {
                Unit::Days => retentionkit::summary::TimeUnit::Days,
                Unit::Weeks => retentionkit::summary::TimeUnit::Weeks,
            };
            output::summary_out(&table, unit, &progress, &target)
        }
        Command::Cohorts {
            common,
            output,
            fractions,
            brackets,
        } => {
            let target = output.target(common.quiet)?;
            // A bad spec fails before the file is read.
            let brackets = brackets
                .as_deref()
                .map(output::parse_brackets)
                .transpose()?;
            let progress = Progress::new(common.quiet);
            // Cohorts count orders: the amount column is neither read nor
            // checked unless --amount names it.
            let mut common = common;
            common.amount.get_or_insert_with(|| "none".to_string());
            let (_, table) = load(&common, &progress)?;
            match brackets {
                Some(b) => output::brackets_out(
                    &table,
                    common.granularity(),
                    fractions,
                    &b,
                    &progress,
                    &target,
                ),
                None => {
                    output::cohorts_out(&table, common.granularity(), fractions, &progress, &target)
                }
            }
        }
        Command::Fit {
            common,
            regularity,
            max_k,
            covariates,
        } => {
            let progress = Progress::new(common.quiet);
            let (_, table) = load(&common, &progress)?;
            let settings = common.settings(&table)?;
            let regularity = regularity.map(|r| {
                let kind = match r {
                    RegularityArg::BgCnbd => CnbdKind::BgCnbd,
                    RegularityArg::MbgCnbd => CnbdKind::MbgCnbd,
                };
                (kind, max_k)
            });
            output::fit_json(
                &table,
                &settings,
                regularity,
                &covariates,
                common.quiet,
                &progress,
            )
        }
        Command::Predict {
            common,
            output,
            horizon,
            pmf,
            dert,
            interval,
            interval_method,
            replicates,
            seed,
            covariates,
        } => {
            let target = output.target(common.quiet)?;
            let progress = Progress::new(common.quiet);
            let (_, table) = load(&common, &progress)?;
            if !(horizon.is_finite() && horizon >= 0.0) {
                return Err(CliError::input(format!(
                    "--horizon {horizon}: expected a non-negative number of weeks"
                )));
            }
            let settings = common.settings(&table)?;
            let d = BootstrapOptions::default();
            let extras = output::PredictExtras {
                pmf,
                dert,
                interval,
                interval_method: interval_method.parse::<Method>().map_err(|e| {
                    CliError::input(format!("--interval-method {interval_method}: {e}"))
                })?,
                bootstrap: BootstrapOptions::default()
                    .with_replicates(replicates.unwrap_or(d.replicates))
                    .with_seed(seed.unwrap_or(d.seed)),
            };
            check_covariate_extras(&covariates, &extras)?;
            output::predict_out(
                &table,
                &settings,
                horizon,
                &extras,
                &covariates,
                common.quiet,
                &progress,
                &target,
            )
        }
        Command::Cox(args) => survival::cox(&args),
        Command::Aft(args) => survival::aft(&args),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}
