//! `fit --covariates FILE`: the BG/NBD with time-invariant covariates (the
//! core's `models::covariates::fit_bg_nbd`; docs/metrics.md, "Covariates")
//! from a table with one row per customer, read as `cox` and `aft` read
//! theirs (`input::column_file`), with the customers of the log matched to
//! its rows by id.

use std::collections::HashMap;

use clap::Args;
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::check::clv_values;
use retentionkit::models::covariates::{
    fit_bg_nbd, CovariateFit, CovariateOptions, CovariateTable, Effect,
};
use retentionkit::models::gamma_gamma::GammaGammaParams;
use retentionkit::models::RepeatData;
use retentionkit::optim::FitStatus;
use retentionkit::summary::Summary;
use serde::Serialize;

use crate::analysis::Settings;
use crate::error::{CliError, Result};
use crate::input::column_file::{delimiter, with_column_file, ColumnFile};
use crate::input::columns::{Kind, Values};
use crate::input::Table;

/// The covariate flags of `fit`.
#[derive(Args, Debug, Clone, Default)]
pub struct CovariateArgs {
    /// Covariate table, one row per customer: delimited text with a header
    /// line (optionally gzip-compressed) or Parquet (*.parquet). Fits the
    /// BG/NBD with covariates too: the `covariates` part of the JSON.
    #[arg(long, value_name = "FILE")]
    covariates: Option<String>,
    /// The customer id column of the covariate file (default: the name of
    /// the log's id column).
    #[arg(long, value_name = "COL", requires = "covariates")]
    covariate_id: Option<String>,
    /// Covariate columns acting on both the purchase and the dropout
    /// process, comma-separated.
    #[arg(
        long,
        value_name = "COLS",
        value_delimiter = ',',
        requires = "covariates"
    )]
    covariate_columns: Vec<String>,
    /// Covariate columns acting on the purchase process only.
    #[arg(
        long,
        value_name = "COLS",
        value_delimiter = ',',
        requires = "covariates"
    )]
    purchase_covariates: Vec<String>,
    /// Covariate columns acting on the dropout process only.
    #[arg(
        long,
        value_name = "COLS",
        value_delimiter = ',',
        requires = "covariates"
    )]
    dropout_covariates: Vec<String>,
    /// Categorical covariate columns (any labels), one-hot encoded: one 0/1
    /// effect `name=level` per level but the reference level (the first
    /// in sorted order, or --reference). Other covariates are numbers.
    #[arg(
        long,
        value_name = "COLS",
        value_delimiter = ',',
        requires = "covariates"
    )]
    categorical: Vec<String>,
    /// The reference level of a categorical covariate, as COL=LEVEL
    /// (repeatable).
    #[arg(long, value_name = "COL=LEVEL", requires = "covariates")]
    reference: Vec<String>,
    /// Covariates with one effect for both processes (each must act on
    /// both), comma-separated.
    #[arg(
        long,
        value_name = "COLS",
        value_delimiter = ',',
        requires = "covariates"
    )]
    equal: Vec<String>,
    /// L2 penalty λ >= 0 on the effects: one value for both processes, or
    /// PURCHASE,DROPOUT (CLVTools' reg.lambdas).
    #[arg(
        long,
        value_name = "LAMBDA",
        value_delimiter = ',',
        requires = "covariates"
    )]
    l2: Vec<f64>,
    /// Field delimiter of the covariate file (a character, "tab" or
    /// "space"); detected when omitted.
    #[arg(long, value_name = "DELIM", requires = "covariates")]
    covariate_delimiter: Option<String>,
}

impl CovariateArgs {
    /// Whether `--covariates` was given.
    pub fn given(&self) -> bool {
        self.covariates.is_some()
    }
}

/// The covariate table of the log's customers and the options of the fit.
pub struct Prepared {
    /// The covariate file's name.
    file: String,
    /// Its id column.
    id_column: String,
    /// One row per customer of the summary, in its order.
    table: CovariateTable,
    options: CovariateOptions,
    /// Rows of the file whose customer has no order in the log.
    ignored: usize,
}

/// Split `COL=LEVEL` of `--reference`.
fn references(args: &CovariateArgs) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for r in &args.reference {
        let Some((col, level)) = r.split_once('=') else {
            return Err(CliError::input(format!(
                "--reference {r:?}: expected COL=LEVEL, such as channel=web"
            )));
        };
        out.insert(col.trim().to_string(), level.to_string());
    }
    Ok(out)
}

/// Every name once, in first-seen order.
fn distinct<'a>(lists: &[&'a [String]]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for name in lists.iter().flat_map(|l| l.iter()) {
        if !out.contains(&name.as_str()) {
            out.push(name);
        }
    }
    out
}

/// The key of an id: trimmed, and written as the log writes integer ids
/// when the log's ids are integers ("007" is customer 7).
fn key(text: &str, integer_ids: bool) -> String {
    let t = text.trim();
    if integer_ids && let Ok(n) = t.parse::<u64>() {
        return n.to_string();
    }
    t.to_string()
}

/// Read the covariate file of `args` for the customers of `s` (the summary
/// of `log`); `None` without `--covariates`.
///
/// # Errors
/// [`CliError::Input`] (exit code 2) for a flag or a file that does not
/// fit: a missing column, a non-numeric value in a numeric column, a
/// duplicate id (each naming the file, column and line or row), a customer
/// of the log without a row (naming the file, the id column and the
/// customer).
pub fn prepare(args: &CovariateArgs, log: &Table, s: &Summary) -> Result<Option<Prepared>> {
    let Some(file) = &args.covariates else {
        return Ok(None);
    };
    let purchase: Vec<String> = distinct(&[&args.covariate_columns, &args.purchase_covariates])
        .into_iter()
        .map(str::to_string)
        .collect();
    let dropout: Vec<String> = distinct(&[&args.covariate_columns, &args.dropout_covariates])
        .into_iter()
        .map(str::to_string)
        .collect();
    let all = distinct(&[&purchase, &dropout]);
    if all.is_empty() {
        return Err(CliError::input(
            "--covariates: name the covariates with --covariate-columns, \
             --purchase-covariates or --dropout-covariates",
        ));
    }
    for (flag, names) in [
        ("--categorical", &args.categorical),
        ("--equal", &args.equal),
    ] {
        if let Some(n) = names.iter().find(|n| !all.contains(&n.as_str())) {
            return Err(CliError::input(format!(
                "{flag} {n}: not one of the covariates ({})",
                all.join(", ")
            )));
        }
    }
    let refs = references(args)?;
    if let Some(c) = refs.keys().find(|c| !args.categorical.contains(c)) {
        return Err(CliError::input(format!(
            "--reference {c}=...: {c:?} is not a --categorical covariate"
        )));
    }
    let l2 = match args.l2.as_slice() {
        [] => (0.0, 0.0),
        [l] => (*l, *l),
        [p, d] => (*p, *d),
        _ => {
            return Err(CliError::input(
                "--l2: one value, or two (purchase,dropout)",
            ))
        }
    };
    if !(l2.0.is_finite() && l2.0 >= 0.0 && l2.1.is_finite() && l2.1 >= 0.0) {
        let given: Vec<String> = args.l2.iter().map(f64::to_string).collect();
        return Err(CliError::input(format!(
            "--l2 {}: expected numbers >= 0",
            given.join(",")
        )));
    }
    let id_name = match (&args.covariate_id, &log.columns) {
        (Some(c), _) => c.clone(),
        (None, Some(c)) => c.id.clone(),
        (None, None) => {
            return Err(CliError::input(
                "--covariates: give the id column of the covariate file with --covariate-id",
            ))
        }
    };
    let delim = delimiter(args.covariate_delimiter.as_deref(), "--covariate-delimiter")?;
    let read = with_column_file(file, delim, "--covariates reads", |f, path| {
        read_rows(f, &path, &id_name, &all, &args.categorical)
    })?;
    let integer_ids = log.id_names.is_none();
    let mut row_of: HashMap<String, usize> = HashMap::with_capacity(read.ids.len());
    for (row, id) in read.ids.iter().enumerate() {
        if let Some(first) = row_of.insert(key(id, integer_ids), row) {
            return Err(CliError::input(format!(
                "{}: column \"{}\": duplicate id {:?} (first at {})",
                read.place(row),
                read.id_column,
                id.trim(),
                read.row_name(first)
            )));
        }
    }
    let mut rows = Vec::with_capacity(s.len());
    let mut missing: Vec<String> = Vec::new();
    for &id in &s.customer_id {
        let label = log.id_label(id);
        match row_of.get(&key(&label, integer_ids)) {
            Some(&r) => rows.push(r),
            None => missing.push(label),
        }
    }
    if let Some(first) = missing.first() {
        return Err(CliError::input(format!(
            "{}: column \"{}\": no row for customer {first:?} of the log{}",
            read.path,
            read.id_column,
            if missing.len() > 1 {
                format!(" ({} of the log's customers have none)", missing.len())
            } else {
                String::new()
            }
        )));
    }
    let canon = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .map(|n| read.canonical.get(n).cloned().unwrap_or_else(|| n.clone()))
            .collect()
    };
    let refs: HashMap<String, String> = refs
        .into_iter()
        .map(|(c, level)| (read.canonical.get(&c).cloned().unwrap_or(c), level))
        .collect();
    let mut table = CovariateTable::new(rows.len());
    for (name, values) in &read.columns {
        table = match values {
            Values::Labels(v) => {
                let picked: Vec<&str> = rows.iter().map(|&r| v[r].as_str()).collect();
                table.with_categorical(name, &picked, refs.get(name).map(String::as_str))
            }
            Values::Numbers(v) => {
                let picked: Vec<f64> = rows.iter().map(|&r| v[r]).collect();
                table.with_numeric(name, &picked)
            }
            Values::Events(_) => Ok(table),
        }
        .map_err(|e| match e {
            retentionkit::Error::InvalidArgument { reason, .. } => {
                CliError::input(format!("{}: column \"{name}\": {reason}", read.path))
            }
            other => other.into(),
        })?;
    }
    let options = CovariateOptions::default()
        .with_purchase(canon(&purchase))
        .with_dropout(canon(&dropout))
        .with_equal(canon(&args.equal))
        .with_l2_purchase(l2.0)
        .with_l2_dropout(l2.1);
    Ok(Some(Prepared {
        file: read.path.clone(),
        id_column: read.id_column.clone(),
        table,
        options,
        ignored: read.ids.len() - rows.len(),
    }))
}

/// The rows of a covariate file: ids and the covariate columns.
struct Rows {
    path: String,
    lines: Option<Vec<u64>>,
    id_column: String,
    ids: Vec<String>,
    /// The covariate columns by their names in the file.
    columns: Vec<(String, Values)>,
    /// The file's name of each covariate as the flags name it (they may
    /// differ in case, or be a column number).
    canonical: HashMap<String, String>,
}

impl Rows {
    /// `FILE:LINE` of row `row` (0-based), or `FILE: row N` for Parquet.
    fn place(&self, row: usize) -> String {
        match self.lines.as_ref().and_then(|l| l.get(row)) {
            Some(line) => format!("{}:{line}", self.path),
            None => format!("{}: row {}", self.path, row + 1),
        }
    }

    /// `line N` of row `row` (0-based), or `row N` for Parquet.
    fn row_name(&self, row: usize) -> String {
        match self.lines.as_ref().and_then(|l| l.get(row)) {
            Some(line) => format!("line {line}"),
            None => format!("row {}", row + 1),
        }
    }
}

fn read_rows(
    f: &ColumnFile<'_>,
    path: &str,
    id_name: &str,
    covariates: &[&str],
    categorical: &[String],
) -> Result<Rows> {
    let id = f.column(id_name, "--covariate-id")?;
    let mut wanted = vec![(id, Kind::Label)];
    let mut canonical = HashMap::new();
    for c in covariates {
        let kind = if categorical.iter().any(|k| k == c) {
            Kind::Label
        } else {
            Kind::Number
        };
        let col = f.column(c, "the covariates")?;
        if col == id {
            return Err(CliError::input(format!(
                "{path}: column {c:?} is the id column, not a covariate"
            )));
        }
        wanted.push((col, kind));
        canonical.insert((*c).to_string(), f.names()[col].clone());
    }
    let mut values = f.read(&wanted)?.into_iter();
    let ids = match values.next() {
        Some(Values::Labels(v)) => v,
        _ => Vec::new(),
    };
    Ok(Rows {
        path: path.to_string(),
        lines: f.lines(),
        id_column: f.names()[id].clone(),
        ids,
        columns: covariates
            .iter()
            .map(|c| canonical.get(*c).cloned().unwrap_or_default())
            .zip(values)
            .collect(),
        canonical,
    })
}

/// One effect of the `covariates` part of `fit`.
#[derive(Serialize)]
struct EffectOut {
    name: String,
    process: &'static str,
    estimate: f64,
    se: Option<f64>,
    z: Option<f64>,
    /// One γ for both processes (`--equal`).
    shared: bool,
}

/// The `covariates` part of the `fit` JSON.
#[derive(Serialize)]
pub struct CovariatesOut {
    model: &'static str,
    file: String,
    id_column: String,
    /// Customers fitted.
    customers: usize,
    /// Rows of the covariate file without orders in the log (ignored).
    ignored_rows: usize,
    /// r, α₀, a₀, b₀ (weeks): a customer with every covariate 0 (at the
    /// reference level of each categorical covariate).
    params: BgNbdParams,
    standard_errors: Option<BgNbdParams>,
    effects: Vec<EffectOut>,
    log_likelihood: f64,
    parameters: usize,
    aic: f64,
    bic: f64,
    l2_purchase: f64,
    l2_dropout: f64,
    iterations: usize,
    status: FitStatus,
}

impl CovariatesOut {
    /// The fit's status, for the warning on stderr.
    pub fn status(&self) -> FitStatus {
        self.status
    }
}

fn effects<'a>(list: &'a [Effect], process: &'static str) -> impl Iterator<Item = EffectOut> + 'a {
    list.iter().map(move |e| EffectOut {
        name: e.name.clone(),
        process,
        estimate: e.estimate,
        se: e.standard_error,
        z: e.z(),
        shared: e.shared,
    })
}

/// The core's BG/NBD fit with the covariates of `p` on the summary `s`
/// (weeks, one row per customer, in the order `p` was prepared for), after
/// the note on ignored rows.
fn fit_model(p: &Prepared, s: &Summary, quiet: bool) -> Result<CovariateFit<BgNbdParams>> {
    if !quiet && p.ignored > 0 {
        eprintln!(
            "note: {}: {} row(s) for customers without orders in the log, ignored",
            p.file, p.ignored
        );
    }
    let data = RepeatData::new(&s.frequency, &s.recency(), &s.age(), None)?;
    fit_bg_nbd(&data, &p.table, &p.options).map_err(|e| match e {
        // The core names its option; the user wrote the flag.
        retentionkit::Error::InvalidArgument { name, reason } => {
            let flag = match name {
                "equal" => "--equal",
                "l2_purchase" | "l2_dropout" => "--l2",
                "purchase" => "--purchase-covariates",
                "dropout" => "--dropout-covariates",
                other => other,
            };
            CliError::input(format!("{flag}: {reason}"))
        }
        other => other.into(),
    })
}

/// Per-customer predictions of the BG/NBD with covariates, for `predict`.
pub struct Predictions {
    /// P(alive) of each customer of the summary, at its own parameters.
    pub probability_alive: Vec<f64>,
    /// Expected purchases in the horizon.
    pub expected_purchases: Vec<f64>,
    /// Each customer's own (r, α_i, a_i, b_i).
    pub params: Vec<BgNbdParams>,
}

/// Fit the BG/NBD with the covariates of `p` on `s` (as [`fit`]) and
/// predict each customer's P(alive) and expected purchases in `horizon`
/// weeks from its own parameters (the core's
/// `CovariateFit::probability_alive` and `expected_purchases`).
///
/// # Errors
/// As [`fit`].
pub fn predict(p: &Prepared, s: &Summary, horizon: f64, quiet: bool) -> Result<Predictions> {
    let fit = fit_model(p, s, quiet)?;
    if !quiet && let Some(w) = fit.status.warning() {
        eprintln!("warning: BG/NBD with covariates fit: {w}");
    }
    let (x, tx, t) = (&s.frequency, s.recency(), s.age());
    Ok(Predictions {
        probability_alive: fit.probability_alive(&p.table, x, &tx, &t)?,
        expected_purchases: fit.expected_purchases(&p.table, x, &tx, &t, horizon)?,
        params: fit.customer_params(&p.table)?,
    })
}

/// Each customer's CLV as `predict` computes it without covariates (the
/// core's `clv_values` with the report's options), from its own BG/NBD
/// parameters `params` (one per customer of `s`) and the Gamma-Gamma
/// `spend`.
///
/// # Errors
/// No amounts; the core's errors.
pub fn clv(
    params: &[BgNbdParams],
    spend: &GammaGammaParams,
    s: &Summary,
    settings: &Settings,
) -> Result<Vec<f64>> {
    let m = s
        .monetary_value
        .as_deref()
        .ok_or(retentionkit::Error::MissingColumn {
            column: "amount",
            needed_for: "CLV",
        })?;
    let (tx, t) = (s.recency(), s.age());
    let options = settings.clv_options();
    let mut out = Vec::with_capacity(params.len());
    for (i, p) in params.iter().enumerate() {
        let r = i..i + 1;
        let v = clv_values(
            p,
            spend,
            &s.frequency[r.clone()],
            &tx[r.clone()],
            &t[r.clone()],
            &m[r],
            &options,
        )?;
        out.extend(v);
    }
    Ok(out)
}

/// Fit the BG/NBD with the covariates of `p` on the summary `s` (weeks,
/// one row per customer, in the order `p` was prepared for).
///
/// # Errors
/// The core's errors (such as a constant covariate), as bad input.
pub fn fit(p: &Prepared, s: &Summary, quiet: bool) -> Result<CovariatesOut> {
    let fit = fit_model(p, s, quiet)?;
    let criteria = fit.criteria();
    Ok(CovariatesOut {
        model: "BG/NBD",
        file: p.file.clone(),
        id_column: p.id_column.clone(),
        customers: s.len(),
        ignored_rows: p.ignored,
        params: fit.params,
        standard_errors: fit.standard_errors,
        effects: effects(&fit.purchase, "purchase")
            .chain(effects(&fit.dropout, "dropout"))
            .collect(),
        log_likelihood: fit.log_likelihood,
        parameters: fit.parameters,
        aic: criteria.aic,
        bic: criteria.bic,
        l2_purchase: p.options.l2_purchase,
        l2_dropout: p.options.l2_dropout,
        iterations: fit.iterations,
        status: fit.status,
    })
}
