//! The retentionkit side of the peer comparison (`benches/peers/compare.py`).
//!
//! `peer_task <data dir> <size> <cohort|rfm|kpi> <reps>` reads the raw
//! columns written by `benches/peers/export_columns.py`, resets the kernel's
//! peak-RSS mark, runs the task `reps` times and prints one JSON line: the
//! compute time of every run (building the validated `TransactionLog` plus
//! the task; reading the files is excluded, as the Python tools' Parquet load
//! is), the peak RSS of the task phase and a fingerprint of the result in the
//! form the harness compares across tools.

use std::time::Instant;

use retentionkit::cohort::{cohort_matrix, CohortOptions, RetentionKind};
use retentionkit::kpi::period_kpis;
use retentionkit::period::{day, Lookback, Period};
use retentionkit::summary::{summary, SummaryOptions};
use retentionkit::TransactionLog;
use serde_json::{json, Value};

fn read<const N: usize, T>(path: &str, from: fn([u8; N]) -> T) -> Vec<T> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
    bytes
        .chunks_exact(N)
        .map(|c| from(c.try_into().unwrap_or([0; N])))
        .collect()
}

fn fail(msg: &str) -> ! {
    eprintln!("peer_task: {msg}");
    std::process::exit(2)
}

fn status_kib(key: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    (kib as f64 / 1024.0 * 10.0).round() / 10.0
}

fn run(task: &str, ids: &[u64], days: &[i32], amounts: &[f64]) -> retentionkit::Result<Value> {
    let log = TransactionLog::new(ids, days, Some(amounts))?;
    Ok(match task {
        "cohort" => {
            let m = cohort_matrix(&log, &CohortOptions::default())?;
            let frac: f64 = m.fractions(RetentionKind::NPeriod).iter().flatten().sum();
            json!({
                "cohorts": m.cohorts.len(),
                "K": m.active.iter().map(Vec::len).max().unwrap_or(1) - 1,
                "cells_sum": m.active.iter().flatten().sum::<u64>(),
                "size_sum": m.sizes.iter().sum::<u64>(),
                "frac_sum": frac,
            })
        }
        "rfm" => {
            let s = summary(&log, &SummaryOptions::default())?;
            let rec: i64 = s
                .last_day
                .iter()
                .zip(&s.first_day)
                .map(|(l, f)| i64::from(l - f))
                .sum();
            let t: i64 = s
                .first_day
                .iter()
                .map(|f| i64::from(s.observation_end - f))
                .sum();
            json!({
                "customers": s.len(),
                "frequency_sum": s.frequency.iter().map(|&x| u64::from(x)).sum::<u64>(),
                "recency_sum": rec,
                "T_sum": t,
                "monetary_sum": s.monetary_value.as_ref().map_or(0.0, |m| m.iter().sum::<f64>()),
            })
        }
        "kpi" => {
            // baselines/common.py: month 2023-06, 12-month look-back.
            let june = Period::new(day(2023, 6, 1)?, day(2023, 7, 1)?)?;
            let k = period_kpis(&log, june, Lookback::Months(12))?;
            json!({
                "S": k.start_customers, "E": k.end_customers, "N": k.new_customers,
                "retained": k.retained, "active": k.active_customers, "orders": k.orders,
                "repeat": k.repeat_customers, "revenue": k.revenue.unwrap_or(0.0),
            })
        }
        other => fail(&format!("unknown task {other}")),
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, size, task, reps] = args.as_slice() else {
        fail("usage: peer_task <data dir> <size> <cohort|rfm|kpi> <reps>")
    };
    let reps: usize = reps
        .parse()
        .unwrap_or_else(|_| fail("reps must be a number"));
    let base = format!("{dir}/tx_{size}");
    let ids = read(&format!("{base}.ids.bin"), u64::from_le_bytes);
    let days = read(&format!("{base}.days.bin"), i32::from_le_bytes);
    let amounts = read(&format!("{base}.amounts.bin"), f64::from_le_bytes);
    let rss_after_load = status_kib("VmRSS:");
    // Reset the peak-RSS mark, as bench.py does after loading.
    let peak_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let mut times = Vec::new();
    let mut fingerprint = Value::Null;
    for _ in 0..reps {
        let t0 = Instant::now();
        let r = run(task, &ids, &days, &amounts).unwrap_or_else(|e| fail(&e.to_string()));
        times.push(t0.elapsed().as_secs_f64());
        fingerprint = r;
    }
    let out = json!({
        "tool": "retentionkit", "size": size, "task": task, "times": times,
        "rss_after_load_mib": mib(rss_after_load), "peak_reset": peak_reset,
        "peak_rss_mib": mib(status_kib("VmHWM:")), "fingerprint": fingerprint,
        "threads": rayon_threads(),
    });
    println!("{out}");
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}
