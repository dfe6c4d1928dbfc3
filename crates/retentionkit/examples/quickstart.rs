//! Quick start: every transaction metric on the built-in demo shop.
//!
//! `cargo run --release --example quickstart` prints the monthly KPIs of the
//! last complete months, the monthly cohort retention table, the BTYD summary
//! head and the RFM segments of a simulated shop (see `retentionkit::demo`
//! for its known truth).

use retentionkit::cohort::{cohort_matrix, CohortOptions, RetentionKind};
use retentionkit::demo::{shop, DemoOptions};
use retentionkit::kpi::{kpi_series, purchase_counts};
use retentionkit::period::{format_day, Granularity, Lookback};
use retentionkit::rfm::rfm;
use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
use retentionkit::whatif::Scenario;

fn pct(x: retentionkit::Result<f64>) -> String {
    x.map_or_else(|_| "n/a".to_string(), |v| format!("{:.1}%", 100.0 * v))
}

fn main() -> Result<(), retentionkit::Error> {
    let demo = shop(&DemoOptions::default())?;
    let log = demo.log()?;
    println!(
        "Demo shop: {} orders from {} customers, {} to {}\n",
        log.len(),
        log.num_customers(),
        format_day(log.first_day()),
        format_day(log.last_day())
    );

    println!("Monthly KPIs (active = ordered in the previous 12 months), last 6 complete months");
    println!(
        "{:<8} {:>7} {:>7} {:>6} {:>8} {:>8} {:>7} {:>7} {:>7} {:>10} {:>7}",
        "month", "S", "E", "N", "retained", "reactiv", "CRR", "churn", "orders", "revenue", "AOV"
    );
    let series = kpi_series(&log, Granularity::Month, Lookback::default())?;
    let complete: Vec<_> = series.rows.iter().filter(|r| r.complete).collect();
    for r in &complete[complete.len().saturating_sub(6)..] {
        println!(
            "{:<8} {:>7} {:>7} {:>6} {:>8} {:>8} {:>7} {:>7} {:>7} {:>10.0} {:>7.2}",
            r.label,
            r.start_customers,
            r.end_customers,
            r.new_customers,
            r.retained,
            r.reactivated,
            pct(r.retention_rate()),
            pct(r.churn_rate()),
            r.orders,
            r.revenue.unwrap_or(0.0),
            r.average_order_value().unwrap_or(0.0),
        );
    }
    let counts = purchase_counts(&log);
    println!(
        "All-time repeat customer rate: {}",
        pct(counts.repeat_customer_rate())
    );

    println!("\nCohort retention (share of each quarterly cohort ordering k quarters later)");
    let cohorts = cohort_matrix(
        &log,
        &CohortOptions::default().with_granularity(Granularity::Quarter),
    )?;
    let fractions = cohorts.fractions(RetentionKind::NPeriod);
    print!("{:<8} {:>6}", "cohort", "size");
    for k in 0..fractions.first().map_or(0, Vec::len) {
        print!(" {:>5}", format!("+{k}"));
    }
    println!();
    for ((label, size), row) in cohorts.labels.iter().zip(&cohorts.sizes).zip(&fractions) {
        print!("{label:<8} {size:>6}");
        for f in row {
            print!(" {:>5.1}", 100.0 * f);
        }
        println!();
    }
    let curve = cohorts.average_curve(RetentionKind::NPeriod);
    let curve: Vec<String> = curve.iter().map(|f| format!("{:.1}", 100.0 * f)).collect();
    println!(
        "Average curve (%, fully observed quarters): {}",
        curve.join(" ")
    );

    println!("\nBTYD summary (weeks), first 5 customers");
    let s = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?;
    let (recency, age) = (s.recency(), s.age());
    println!(
        "{:>8} {:>9} {:>8} {:>8} {:>14}",
        "customer", "frequency", "recency", "T", "monetary_value"
    );
    for i in 0..5.min(s.len()) {
        let m = s.monetary_value.as_ref().map_or(0.0, |m| m[i]);
        println!(
            "{:>8} {:>9} {:>8.2} {:>8.2} {:>14.2}",
            s.customer_id[i], s.frequency[i], recency[i], age[i], m
        );
    }
    println!(
        "({} customers, {} distinct (x, t_x, T) rows for model fitting)",
        s.len(),
        s.compress().len()
    );

    println!("\nRFM segments");
    let r = rfm(&log, None)?;
    for (segment, n) in r.segment_counts() {
        println!("{:<20} {:>6}", segment.name(), n);
    }

    println!("\nWhat-if: 1,000 members paying 50 a month, retention 90% -> 91.67% a month");
    let lift = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?.lift(11.0 / 12.0 - 0.9)?;
    println!(
        "lifespan {:.1} -> {:.1} months, revenue {:.0} -> {:.0}",
        lift.before.lifespan, lift.after.lifespan, lift.before.revenue, lift.after.revenue
    );
    Ok(())
}
