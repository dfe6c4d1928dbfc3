//! `retentionkit cox` and `retentionkit aft`: the core's Cox proportional
//! hazards and Weibull AFT fits (`retentionkit::survival`) on a table of
//! durations, printed as a coefficient table or JSON.

use std::collections::HashMap;
use std::io::Write;

use clap::Args;
use retentionkit::survival::aft::{weibull_aft, AftCoefficient, AftOptions, WeibullAft};
use retentionkit::survival::cox::{
    cox_ph, proportional_hazards_test, CoxCoefficient, CoxFit, CoxOptions, PhTest, RegressionData,
    Ties, TimeTransform,
};
use serde::Serialize;

use crate::error::{CliError, Result};
use crate::input::column_file::{delimiter, with_column_file, ColumnFile};
use crate::input::columns::{Kind, Values};
use crate::output::write_stdout;

/// The flags both regressions share.
#[derive(Args, Debug, Clone)]
pub struct RegressionArgs {
    /// Table of subjects, one row each: delimited text with a header line
    /// (any delimiter, optionally gzip-compressed; "-" reads standard input),
    /// or Parquet (a name ending in .parquet or .pq).
    file: String,
    /// Duration column: time to the event or to censoring (finite, >= 0; > 0 for aft).
    #[arg(long, value_name = "COL")]
    duration: String,
    /// Event column: 1 when the event happened at the duration, 0 when censored.
    #[arg(long, value_name = "COL")]
    event: String,
    /// Covariate columns, comma-separated (numbers); default: every other
    /// column except the duration, event, weights and strata.
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    covariates: Option<Vec<String>>,
    /// Case-weight column (finite, > 0).
    #[arg(long, value_name = "COL")]
    weights: Option<String>,
    /// Field delimiter (a character, "tab" or "space"); detected when omitted.
    #[arg(long)]
    delimiter: Option<String>,
    /// Print every number as JSON (schema in docs/cli.md) instead of the table.
    #[arg(long)]
    json: bool,
    /// No notes on stderr.
    #[arg(long, short)]
    quiet: bool,
}

/// The flags of `cox` beyond the shared ones.
#[derive(Args, Debug, Clone)]
pub struct CoxArgs {
    #[command(flatten)]
    common: RegressionArgs,
    /// Stratum column (any labels): each stratum has its own baseline hazard.
    #[arg(long, value_name = "COL")]
    strata: Option<String>,
    /// Tied event times: efron or breslow.
    #[arg(long, default_value = "efron")]
    ties: String,
    /// Robust (sandwich) standard errors in the table.
    #[arg(long)]
    robust: bool,
    /// Two-sided level of the intervals.
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL")]
    level: f64,
    /// Time scale of the test of proportional hazards: rank, identity, log or km.
    #[arg(long, default_value = "rank", value_name = "TRANSFORM")]
    time_transform: String,
}

/// The flags of `aft` beyond the shared ones.
#[derive(Args, Debug, Clone)]
pub struct AftArgs {
    #[command(flatten)]
    common: RegressionArgs,
    /// Two-sided level of the intervals.
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL")]
    level: f64,
}

/// The columns read from the file.
struct Columns {
    path: String,
    /// The file line of each row (delimited text); `None` for Parquet,
    /// whose rows are told by their 1-based number.
    lines: Option<Vec<u64>>,
    duration: String,
    durations: Vec<f64>,
    event: String,
    events: Vec<bool>,
    covariate_names: Vec<String>,
    covariates: Vec<Vec<f64>>,
    weights_name: Option<String>,
    weights: Option<Vec<f64>>,
    /// Stratum labels (sorted) and each row's index into them.
    strata: Option<(String, Vec<String>, Vec<u32>)>,
}

impl Columns {
    fn data(&self) -> (Vec<&[f64]>, RegressionData<'_>) {
        let cols: Vec<&[f64]> = self.covariates.iter().map(Vec::as_slice).collect();
        let data = RegressionData {
            durations: &self.durations,
            events: &self.events,
            covariates: &[],
            weights: self.weights.as_deref(),
            strata: self.strata.as_ref().map(|s| s.2.as_slice()),
        };
        (cols, data)
    }

    /// A core error about the data, located in the file: a bad value gets
    /// its line and the user's column name.
    fn locate(&self, e: retentionkit::Error) -> CliError {
        let retentionkit::Error::InvalidValue {
            column,
            row,
            reason,
        } = e
        else {
            return e.into();
        };
        let (name, reason) = match column {
            "durations" => (self.duration.clone(), reason),
            "weights" => (self.weights_name.clone().unwrap_or_default(), reason),
            "covariates" => {
                // The core names the covariate by its index: "covariate J ...".
                let j = reason
                    .strip_prefix("covariate ")
                    .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                    .and_then(|d| d.parse::<usize>().ok());
                match j.and_then(|j| self.covariate_names.get(j).map(|n| (j, n))) {
                    Some((j, n)) => {
                        let rest = reason
                            .strip_prefix(&format!("covariate {j}"))
                            .unwrap_or(&reason)
                            .trim_start_matches(':')
                            .trim_start();
                        if rest.starts_with("is constant") {
                            return CliError::input(format!(
                                "{}: column \"{n}\": the covariate {rest}",
                                self.path
                            ));
                        }
                        (n.clone(), rest.to_string())
                    }
                    None => (column.to_string(), reason),
                }
            }
            other => (other.to_string(), reason),
        };
        match &self.lines {
            Some(lines) => match lines.get(row) {
                Some(&line) => CliError::at(&self.path, line, &name, &reason),
                None => CliError::input(format!("{}: column \"{name}\": {reason}", self.path)),
            },
            None => CliError::input(format!(
                "{}: row {}: column \"{name}\": {reason}",
                self.path,
                row + 1
            )),
        }
    }
}

/// Read the file's columns for a regression.
fn read(args: &RegressionArgs, strata: Option<&str>) -> Result<Columns> {
    with_column_file(
        &args.file,
        delimiter(args.delimiter.as_deref(), "--delimiter")?,
        "cox and aft read",
        |table, path| read_from(args, strata, table, path),
    )
}

/// Read the columns the flags name from `table`.
fn read_from(
    args: &RegressionArgs,
    strata: Option<&str>,
    table: &ColumnFile<'_>,
    path: String,
) -> Result<Columns> {
    let duration = table.column(&args.duration, "--duration")?;
    let event = table.column(&args.event, "--event")?;
    let weights = args
        .weights
        .as_deref()
        .map(|w| table.column(w, "--weights"))
        .transpose()?;
    let stratum = strata.map(|s| table.column(s, "--strata")).transpose()?;
    let used = [Some(duration), Some(event), weights, stratum];
    let covariates: Vec<usize> = match &args.covariates {
        Some(names) => names
            .iter()
            .map(|c| table.column(c.trim(), "--covariates"))
            .collect::<Result<_>>()?,
        None => (0..table.names().len())
            .filter(|i| !used.contains(&Some(*i)))
            .collect(),
    };
    if covariates.is_empty() {
        return Err(CliError::input(format!(
            "{path}: no covariate column (give them with --covariates)"
        )));
    }
    if let Some(&c) = covariates.iter().find(|c| used.contains(&Some(**c))) {
        return Err(CliError::input(format!(
            "--covariates: column {:?} is already the duration, event, weights or strata",
            table.names()[c]
        )));
    }
    let mut wanted = vec![(duration, Kind::Number), (event, Kind::Event)];
    wanted.extend(covariates.iter().map(|&c| (c, Kind::Number)));
    wanted.extend(weights.map(|w| (w, Kind::Number)));
    wanted.extend(stratum.map(|s| (s, Kind::Label)));
    let mut values = table.read(&wanted)?.into_iter();
    let durations = numbers(values.next());
    let events = match values.next() {
        Some(Values::Events(v)) => v,
        _ => Vec::new(),
    };
    let covariate_values: Vec<Vec<f64>> =
        covariates.iter().map(|_| numbers(values.next())).collect();
    let weight_values = weights.map(|_| numbers(values.next()));
    let strata = stratum.map(|s| {
        let labels = match values.next() {
            Some(Values::Labels(v)) => v,
            _ => Vec::new(),
        };
        let (names, codes) = stratum_codes(&labels);
        (table.names()[s].clone(), names, codes)
    });
    Ok(Columns {
        path,
        lines: table.lines(),
        duration: table.names()[duration].clone(),
        durations,
        event: table.names()[event].clone(),
        events,
        covariate_names: covariates
            .iter()
            .map(|&c| table.names()[c].clone())
            .collect(),
        covariates: covariate_values,
        weights_name: weights.map(|w| table.names()[w].clone()),
        weights: weight_values,
        strata,
    })
}

/// The numbers of a [`Kind::Number`] column.
fn numbers(values: Option<Values>) -> Vec<f64> {
    match values {
        Some(Values::Numbers(v)) => v,
        _ => Vec::new(),
    }
}

/// The distinct labels, sorted (as numbers when they all are), and each
/// row's index into them.
fn stratum_codes(labels: &[String]) -> (Vec<String>, Vec<u32>) {
    let mut names: Vec<String> = labels.to_vec();
    names.sort_unstable();
    names.dedup();
    let numeric: Option<Vec<f64>> = names.iter().map(|n| n.parse::<f64>().ok()).collect();
    if let Some(nums) = numeric {
        let mut order: Vec<(f64, String)> = nums.into_iter().zip(names).collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0));
        names = order.into_iter().map(|(_, n)| n).collect();
    }
    let code: HashMap<&str, u32> = names
        .iter()
        .zip(0u32..)
        .map(|(n, i)| (n.as_str(), i))
        .collect();
    let codes = labels
        .iter()
        .map(|l| code.get(l.as_str()).copied().unwrap_or(0))
        .collect();
    (names, codes)
}

/// One covariate's row of `cox --json`.
#[derive(Serialize)]
struct CoxRow<'a> {
    covariate: &'a str,
    #[serde(flatten)]
    summary: CoxCoefficient,
    /// The model-based standard error (`se` is the robust one with --robust).
    model_se: f64,
    /// The covariate's mean, which the baseline refers to.
    mean: f64,
}

#[derive(Serialize)]
struct Named<'a> {
    covariate: &'a str,
    statistic: f64,
    p_value: f64,
}

#[derive(Serialize)]
struct Test {
    statistic: f64,
    degrees_of_freedom: usize,
    p_value: f64,
}

#[derive(Serialize)]
struct Baseline<'a> {
    stratum: &'a str,
    times: &'a [f64],
    cumulative_hazard: &'a [f64],
    survival: Vec<f64>,
}

#[derive(Serialize)]
struct CoxOut<'a> {
    model: &'static str,
    file: &'a str,
    duration: &'a str,
    event: &'a str,
    weights: Option<&'a str>,
    strata: Option<&'a str>,
    ties: &'static str,
    robust: bool,
    confidence_level: f64,
    rows: usize,
    events: usize,
    iterations: usize,
    status: &'static str,
    warning: Option<&'static str>,
    coefficients: Vec<CoxRow<'a>>,
    log_likelihood: f64,
    null_log_likelihood: f64,
    likelihood_ratio_test: Test,
    concordance: Option<f64>,
    time_transform: &'static str,
    proportional_hazards_test: Vec<Named<'a>>,
    baselines: Vec<Baseline<'a>>,
}

fn flag<T: std::str::FromStr<Err = retentionkit::Error>>(flag: &str, text: &str) -> Result<T> {
    text.parse::<T>().map_err(|e| {
        let reason = match e {
            retentionkit::Error::InvalidArgument { reason, .. } => reason,
            other => other.to_string(),
        };
        CliError::input(format!("{flag}: {reason}"))
    })
}

/// `retentionkit cox`.
pub fn cox(args: &CoxArgs) -> Result<()> {
    let ties: Ties = flag("--ties", &args.ties)?;
    let transform: TimeTransform = flag("--time-transform", &args.time_transform)?;
    if !(args.level > 0.0 && args.level < 1.0) {
        return Err(CliError::input(format!(
            "--level {}: expected a number between 0 and 1, such as 0.95",
            args.level
        )));
    }
    let cols = read(&args.common, args.strata.as_deref())?;
    let (slices, data) = cols.data();
    let data = RegressionData {
        covariates: &slices,
        ..data
    };
    let options = CoxOptions {
        ties,
        robust: args.robust,
        confidence_level: args.level,
        ..CoxOptions::default()
    };
    let fit = cox_ph(&data, &options).map_err(|e| cols.locate(e))?;
    let summary = fit.summary()?;
    let ph = proportional_hazards_test(&fit, &data, transform).map_err(|e| cols.locate(e))?;
    if !args.common.quiet
        && let Some(w) = fit.status.warning()
    {
        eprintln!("warning: {w}");
    }
    let out = cox_out(&cols, &fit, summary, &ph, transform);
    if args.common.json {
        write_stdout(|w| {
            serde_json::to_writer_pretty(&mut *w, &out).map_err(std::io::Error::other)?;
            writeln!(w)
        })
    } else {
        write_stdout(|w| cox_table(&out, w))
    }
}

fn cox_out<'a>(
    cols: &'a Columns,
    fit: &'a CoxFit,
    summary: Vec<CoxCoefficient>,
    ph: &[PhTest],
    transform: TimeTransform,
) -> CoxOut<'a> {
    let lr = fit.likelihood_ratio_test();
    let stratum_name = |s: u32| -> &str {
        cols.strata
            .as_ref()
            .and_then(|(_, names, _)| names.get(s as usize))
            .map_or("all", String::as_str)
    };
    CoxOut {
        model: "cox_ph",
        file: &cols.path,
        duration: &cols.duration,
        event: &cols.event,
        weights: cols.weights_name.as_deref(),
        strata: cols.strata.as_ref().map(|s| s.0.as_str()),
        ties: fit.options.ties.as_str(),
        robust: fit.options.robust,
        confidence_level: fit.options.confidence_level,
        rows: fit.rows,
        events: fit.events,
        iterations: fit.iterations,
        status: fit.status.as_str(),
        warning: fit.status.warning(),
        coefficients: summary
            .into_iter()
            .zip(&cols.covariate_names)
            .zip(fit.standard_errors.iter().zip(&fit.means))
            .map(|((summary, name), (&model_se, &mean))| CoxRow {
                covariate: name,
                summary,
                model_se,
                mean,
            })
            .collect(),
        log_likelihood: fit.log_likelihood,
        null_log_likelihood: fit.null_log_likelihood,
        likelihood_ratio_test: Test {
            statistic: lr.statistic,
            degrees_of_freedom: fit.coefficients.len(),
            p_value: lr.p_value,
        },
        concordance: fit.concordance,
        time_transform: transform.as_str(),
        proportional_hazards_test: ph
            .iter()
            .zip(&cols.covariate_names)
            .map(|(t, name)| Named {
                covariate: name,
                statistic: t.statistic,
                p_value: t.p_value,
            })
            .collect(),
        baselines: fit
            .baselines
            .iter()
            .map(|b| Baseline {
                stratum: stratum_name(b.stratum),
                times: &b.times,
                cumulative_hazard: &b.cumulative_hazard,
                survival: b.times.iter().map(|&t| b.survival_at(t)).collect(),
            })
            .collect(),
    }
}

/// A p-value for the table: four decimals, or scientific below 0.0001.
fn p_text(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

fn cox_table(out: &CoxOut<'_>, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        w,
        "Cox proportional hazards: {} rows, {} events; duration {:?}, event {:?}{}{}; {} ties{}",
        out.rows,
        out.events,
        out.duration,
        out.event,
        out.weights
            .map(|c| format!(", weights {c:?}"))
            .unwrap_or_default(),
        out.strata
            .map(|c| format!(", strata {c:?}"))
            .unwrap_or_default(),
        out.ties,
        if out.robust {
            ", robust standard errors"
        } else {
            ""
        }
    )?;
    writeln!(
        w,
        "status: {} after {} iterations",
        out.status, out.iterations
    )?;
    writeln!(w)?;
    let width = out
        .coefficients
        .iter()
        .map(|c| c.covariate.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let pct = out.confidence_level * 100.0;
    writeln!(
        w,
        "{:<width$} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8} {:>10}",
        "covariate",
        "coef",
        "exp(coef)",
        "se",
        format!("HR {pct}% lo"),
        format!("HR {pct}% hi"),
        "z",
        "p"
    )?;
    for c in &out.coefficients {
        let s = &c.summary;
        writeln!(
            w,
            "{:<width$} {:>10.4} {:>10.4} {:>10.4} {:>10.4} {:>10.4} {:>8.3} {:>10}",
            c.covariate,
            s.coef,
            s.hazard_ratio,
            s.se,
            s.hazard_ratio_lower,
            s.hazard_ratio_upper,
            s.z,
            p_text(s.p_value)
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "partial log-likelihood {:.4} (null {:.4})",
        out.log_likelihood, out.null_log_likelihood
    )?;
    writeln!(
        w,
        "likelihood-ratio test: {:.4} on {} df, p = {}",
        out.likelihood_ratio_test.statistic,
        out.likelihood_ratio_test.degrees_of_freedom,
        p_text(out.likelihood_ratio_test.p_value)
    )?;
    match out.concordance {
        Some(c) => writeln!(w, "concordance: {c:.4}")?,
        None => writeln!(w, "concordance: none (no comparable pair)")?,
    }
    writeln!(w)?;
    writeln!(
        w,
        "test of proportional hazards (Schoenfeld residuals, time transform {}):",
        out.time_transform
    )?;
    writeln!(w, "{:<width$} {:>10} {:>10}", "covariate", "chi2", "p")?;
    for t in &out.proportional_hazards_test {
        writeln!(
            w,
            "{:<width$} {:>10.4} {:>10}",
            t.covariate,
            t.statistic,
            p_text(t.p_value)
        )?;
    }
    Ok(())
}

/// One parameter's row of `aft --json`.
#[derive(Serialize)]
struct AftRow<'a> {
    /// A covariate's name, `intercept` (of ln λ) or `log_rho`.
    parameter: &'a str,
    #[serde(flatten)]
    summary: AftCoefficient,
}

#[derive(Serialize)]
struct AftOut<'a> {
    model: &'static str,
    file: &'a str,
    duration: &'a str,
    event: &'a str,
    weights: Option<&'a str>,
    confidence_level: f64,
    rows: usize,
    iterations: usize,
    status: &'static str,
    warning: Option<&'static str>,
    /// The covariates' rows (`covariate`, `coef`, `se`, … as `summary`).
    coefficients: Vec<AftCoefRow<'a>>,
    intercept: f64,
    intercept_se: f64,
    log_rho: f64,
    log_rho_se: f64,
    /// Every parameter: the covariates, `intercept`, `log_rho`.
    summary: Vec<AftRow<'a>>,
    log_likelihood: f64,
    concordance: Option<f64>,
}

/// A covariate's row of `coefficients` in `aft --json`.
#[derive(Serialize)]
struct AftCoefRow<'a> {
    covariate: &'a str,
    #[serde(flatten)]
    summary: AftCoefficient,
}

/// `retentionkit aft`.
pub fn aft(args: &AftArgs) -> Result<()> {
    if !(args.level > 0.0 && args.level < 1.0) {
        return Err(CliError::input(format!(
            "--level {}: expected a number between 0 and 1, such as 0.95",
            args.level
        )));
    }
    let cols = read(&args.common, None)?;
    let (slices, data) = cols.data();
    let data = RegressionData {
        covariates: &slices,
        ..data
    };
    let fit: WeibullAft = weibull_aft(&data, &AftOptions::default()).map_err(|e| cols.locate(e))?;
    if !args.common.quiet
        && let Some(w) = fit.status.warning()
    {
        eprintln!("warning: {w}");
    }
    let summary = fit.summary(args.level)?;
    let names: Vec<&str> = cols
        .covariate_names
        .iter()
        .map(String::as_str)
        .chain(["intercept", "log_rho"])
        .collect();
    let out = AftOut {
        model: "weibull_aft",
        file: &cols.path,
        duration: &cols.duration,
        event: &cols.event,
        weights: cols.weights_name.as_deref(),
        confidence_level: args.level,
        rows: cols.durations.len(),
        iterations: fit.iterations,
        status: fit.status.as_str(),
        warning: fit.status.warning(),
        coefficients: summary
            .iter()
            .zip(&cols.covariate_names)
            .map(|(s, name)| AftCoefRow {
                covariate: name,
                summary: *s,
            })
            .collect(),
        intercept: fit.intercept,
        intercept_se: fit.intercept_se,
        log_rho: fit.log_rho,
        log_rho_se: fit.log_rho_se,
        summary: summary
            .iter()
            .zip(names)
            .map(|(s, parameter)| AftRow {
                parameter,
                summary: *s,
            })
            .collect(),
        log_likelihood: fit.log_likelihood,
        concordance: fit.concordance,
    };
    if args.common.json {
        write_stdout(|w| {
            serde_json::to_writer_pretty(&mut *w, &out).map_err(std::io::Error::other)?;
            writeln!(w)
        })
    } else {
        write_stdout(|w| aft_table(&out, w))
    }
}

fn aft_table(out: &AftOut<'_>, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        w,
        "Weibull AFT: {} rows; duration {:?}, event {:?}{}",
        out.rows,
        out.duration,
        out.event,
        out.weights
            .map(|c| format!(", weights {c:?}"))
            .unwrap_or_default()
    )?;
    writeln!(
        w,
        "status: {} after {} iterations",
        out.status, out.iterations
    )?;
    writeln!(
        w,
        "S(t | x) = exp(-(t / lambda)^rho), ln lambda = intercept + x'coef, rho = exp(log_rho)"
    )?;
    writeln!(w)?;
    let width = out
        .summary
        .iter()
        .map(|c| c.parameter.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let pct = out.confidence_level * 100.0;
    writeln!(
        w,
        "{:<width$} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8} {:>10}",
        "parameter",
        "coef",
        "exp(coef)",
        "se",
        format!("{pct}% lo"),
        format!("{pct}% hi"),
        "z",
        "p"
    )?;
    for c in &out.summary {
        let s = &c.summary;
        writeln!(
            w,
            "{:<width$} {:>10.4} {:>10.4} {:>10.4} {:>10.4} {:>10.4} {:>8.3} {:>10}",
            c.parameter,
            s.coef,
            s.exp_coef,
            s.se,
            s.coef_lower,
            s.coef_upper,
            s.z,
            p_text(s.p_value)
        )?;
    }
    writeln!(w)?;
    writeln!(w, "log-likelihood {:.4}", out.log_likelihood)?;
    match out.concordance {
        Some(c) => writeln!(w, "concordance: {c:.4} (of the predicted medians)"),
        None => writeln!(w, "concordance: none (no comparable pair)"),
    }
}
