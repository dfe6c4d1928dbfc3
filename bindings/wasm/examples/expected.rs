//! The numbers the demo page must show for a CSV, computed by the core
//! compiled natively (not by the wasm build), as JSON for the browser test.
//!
//! `cargo run --release -p retentionkit-wasm --example expected -- FILE.csv`
//! reads `customer_id,date,amount` (ISO dates) and prints the JSON;
//! `... --example expected -- --write-fixture FILE.csv` writes the test
//! fixture: the core's demo shop with 1,500 customers, seed 7.
//!
//! The JSON also holds `demoShop`: the row count, revenue in cents and a
//! checksum of the core's default demo shop (`DemoOptions::default()`), drawn
//! natively; the package test draws it in wasm and compares, since the two
//! builds take `ln`, `exp` and `powf` from different math libraries (the C
//! library natively, Rust's port of musl's in wasm).
//!
//! The page computes: monthly KPIs with the default 12-month look-back (the
//! last complete month is shown), the monthly cohort matrix, the BTYD summary
//! in weeks, a BG/NBD fit on it and the core's at-risk list (defaults for weeks),
//! a Gamma-Gamma fit on the same summary, and the CLV (12 months of 4.345
//! weeks at 1 % a month) of each at-risk customer and of all customers.

use std::fmt::Write as _;

use retentionkit::cohort::{cohort_matrix, CohortOptions, RetentionKind};
use retentionkit::demo::{shop, DemoOptions};
use retentionkit::kpi::kpi_series;
use retentionkit::models::bg_nbd::fit_bg_nbd;
use retentionkit::models::check::{at_risk, clv_values, AtRiskOptions, ClvOptions};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData};
use retentionkit::models::RepeatData;
use retentionkit::optim::FitOptions;
use retentionkit::period::{format_day, parse_day, Granularity, Lookback};
use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;
use serde_json::json;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn write_fixture(path: &str) -> Res<()> {
    let demo = shop(&DemoOptions {
        seed: 7,
        customers: 1_500,
        ..DemoOptions::default()
    })?;
    let mut text = String::from("customer_id,date,amount\n");
    for ((id, day), amount) in demo.ids.iter().zip(&demo.days).zip(&demo.amounts) {
        writeln!(text, "{id},{},{amount:.2}", format_day(*day))?;
    }
    std::fs::write(path, text)?;
    Ok(())
}

fn read_csv(path: &str) -> Res<(Vec<u64>, Vec<i32>, Vec<f64>)> {
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    if lines.next() != Some("customer_id,date,amount") {
        return Err("expected the header customer_id,date,amount".into());
    }
    let (mut ids, mut days, mut amounts) = (Vec::new(), Vec::new(), Vec::new());
    for line in lines.filter(|l| !l.is_empty()) {
        let mut f = line.split(',');
        let (Some(id), Some(date), Some(amount), None) = (f.next(), f.next(), f.next(), f.next())
        else {
            return Err(format!("not three fields: {line}").into());
        };
        ids.push(id.parse()?);
        days.push(parse_day(date)?);
        amounts.push(amount.parse()?);
    }
    Ok((ids, days, amounts))
}

/// 32-bit FNV-1a over each row's id, day and amount in cents, as
/// little-endian `u32`s (ids and days of the demo fit; cents as an integer,
/// so the checksum is exact in JavaScript too).
fn demo_checksum(ids: &[u64], days: &[i32], amounts: &[f64]) -> Res<u32> {
    let mut h: u32 = 0x811c_9dc5;
    for ((&id, &day), &amount) in ids.iter().zip(days).zip(amounts) {
        let cents = format!("{:.0}", amount * 100.0).parse::<u32>()?;
        for word in [
            u32::try_from(id)?,
            u32::from_le_bytes(day.to_le_bytes()),
            cents,
        ] {
            for byte in word.to_le_bytes() {
                h = (h ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        }
    }
    Ok(h)
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, path] if flag == "--write-fixture" => return write_fixture(path),
        [_] => {}
        _ => return Err("usage: expected FILE.csv | --write-fixture FILE.csv".into()),
    }
    let (ids, days, amounts) = read_csv(&args[0])?;
    let log = TransactionLog::new(&ids, &days, Some(&amounts))?;

    let series = kpi_series(&log, Granularity::Month, Lookback::default())?;
    let k = series
        .rows
        .iter()
        .rev()
        .find(|r| r.complete)
        .ok_or("no complete month")?;
    let cohorts = cohort_matrix(&log, &CohortOptions::default())?;
    let s = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?;
    let fit = fit_bg_nbd(
        &RepeatData::from_summary(&s.compress())?,
        &FitOptions::default(),
    )?;
    // The page's list: the core's at-risk list with its defaults for weeks.
    let risk = at_risk(&fit.params, &s, &AtRiskOptions::for_unit(TimeUnit::Weeks))?;
    let spend = fit_gamma_gamma(&SpendData::from_summary(&s)?, &FitOptions::default())?;
    let monetary = s.monetary_value.as_ref().ok_or("no amounts")?;
    // The page's CLV: 12 months of 4.345 weeks at 1 % a month, the core's
    // default for a model in weeks.
    let clv = clv_values(
        &fit.params,
        &spend.params,
        &s.frequency,
        &s.recency(),
        &s.age(),
        monetary,
        &ClvOptions::monthly(TimeUnit::Weeks),
    )?;
    let clv_total: f64 = clv.iter().sum();
    let mut risk_out = Vec::new();
    for c in risk.iter().take(10) {
        let i = s
            .customer_id
            .iter()
            .position(|&id| id == c.customer_id)
            .ok_or("an at-risk customer not in the summary")?;
        let value = clv[i];
        risk_out.push(json!({
            "customerId": c.customer_id,
            "probabilityAlive": c.probability_alive,
            "clv": value,
        }));
    }
    let demo = shop(&DemoOptions::default())?;
    let demo_cents: f64 = demo.amounts.iter().map(|a| (a * 100.0).round()).sum();
    let out = json!({
        "demoShop": {
            "rows": demo.ids.len(),
            "revenueCents": demo_cents,
            "checksum": demo_checksum(&demo.ids, &demo.days, &demo.amounts)?,
        },
        "rows": log.len(),
        "customers": log.num_customers(),
        "revenue": amounts.iter().sum::<f64>(),
        "kpi": {
            "label": k.label,
            "startCustomers": k.start_customers,
            "endCustomers": k.end_customers,
            "newCustomers": k.new_customers,
            "retained": k.retained,
            "reactivated": k.reactivated,
            "orders": k.orders,
            "revenue": k.revenue,
            "retentionRate": k.retention_rate()?,
            "churnRate": k.churn_rate()?,
        },
        "cohorts": {
            "labels": cohorts.labels,
            "sizes": cohorts.sizes,
            "firstRow": cohorts.fractions(RetentionKind::NPeriod).first(),
            "averageCurve": cohorts.average_curve(RetentionKind::NPeriod),
        },
        "bgNbd": {
            "r": fit.params.r,
            "alpha": fit.params.alpha,
            "a": fit.params.a,
            "b": fit.params.b,
            "logLikelihood": fit.log_likelihood,
        },
        "gammaGamma": {
            "p": spend.params.p,
            "q": spend.params.q,
            "gamma": spend.params.gamma,
            "logLikelihood": spend.log_likelihood,
        },
        "clvTotal": clv_total,
        "atRisk": risk_out,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
