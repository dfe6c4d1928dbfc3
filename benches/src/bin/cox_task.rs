//! The retentionkit side of the Cox benchmark (`benches/peers/cox_lifelines.py`).
//!
//! `cox_task <data dir>` reads the raw little-endian columns the script wrote
//! (`durations.f64`, `events.u8`, `x0.f64` … `x4.f64`), fits
//! `survival::cox::cox_ph` (Efron ties) once and prints one JSON line: the
//! seconds of the fit (validation, sorting, Newton–Raphson, standard errors,
//! baseline and concordance; reading the files is excluded, as the script
//! excludes building its DataFrame), the coefficients, the log-likelihood and
//! the iterations.

use std::time::Instant;

use retentionkit::survival::cox::{cox_ph, CoxOptions, RegressionData};
use serde_json::json;

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("cox_task: cannot read {path}: {e}");
        std::process::exit(2)
    })
}

fn floats(path: &str) -> Vec<f64> {
    read(path)
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect()
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: cox_task <data dir>");
        std::process::exit(2)
    });
    let durations = floats(&format!("{dir}/durations.f64"));
    let events: Vec<bool> = read(&format!("{dir}/events.u8"))
        .iter()
        .map(|&b| b == 1)
        .collect();
    let columns: Vec<Vec<f64>> = (0..5).map(|j| floats(&format!("{dir}/x{j}.f64"))).collect();
    let covariates: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let data = RegressionData {
        durations: &durations,
        events: &events,
        covariates: &covariates,
        weights: None,
        strata: None,
    };
    let start = Instant::now();
    let fit = cox_ph(&data, &CoxOptions::default()).unwrap_or_else(|e| {
        eprintln!("cox_task: {e}");
        std::process::exit(1)
    });
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({
            "seconds": seconds,
            "rows": fit.rows,
            "coef": fit.coefficients,
            "se": fit.standard_errors,
            "log_likelihood": fit.log_likelihood,
            "concordance": fit.concordance,
            "iterations": fit.iterations,
        })
    );
}
