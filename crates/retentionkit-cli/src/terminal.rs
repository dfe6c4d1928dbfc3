//! The terminal summary of `report`: at most 100 columns wide, one method
//! per [`Section`].

use std::io::{self, Write};

use retentionkit::lifecycle::LifecycleRow;

use crate::analysis::Report;
use crate::format::{
    count, lookback, pct, period_name, scorecard_verdict, sig, source_line, thousands,
};
use crate::sections::{self, complete_kpis, complete_lifecycle, Renderer, Section};

/// Periods shown in the KPI table and cohort columns shown.
const KPI_ROWS: usize = 6;
const COHORT_ROWS: usize = 12;
const COHORT_COLS: usize = 13;
const AT_RISK_ROWS: usize = 10;

/// Break `text` at spaces into lines of at most `width` characters (a
/// longer word gets a line of its own); continuation lines are indented.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            line.push_str("  ");
        }
        if !line.is_empty() && !line.ends_with("  ") {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Write the summary.
pub fn render(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    sections::render(&mut Terminal { w }, r)
}

struct Terminal<'w> {
    w: &'w mut dyn Write,
}

impl Renderer for Terminal<'_> {
    type Error = io::Error;

    fn overview(&mut self, r: &Report) -> io::Result<()> {
        let (w, d) = (&mut self.w, &r.data);
        writeln!(w, "retentionkit report: {}", source_line(r))?;
        write!(
            w,
            "{} orders, {} customers, {} to {}",
            count(d.orders as u64),
            count(d.customers as u64),
            d.first_day,
            d.last_day
        )?;
        if let Some(rev) = d.revenue {
            write!(w, ", revenue {}", thousands(rev))?;
        }
        writeln!(w, ", came back {}", pct(d.repeat_customer_rate))?;
        if r.skipped_rows.count > 0 {
            writeln!(w, "{} bad rows skipped", count(r.skipped_rows.count as u64))?;
        }
        Ok(())
    }

    fn kpis(&mut self, r: &Report) -> io::Result<()> {
        let w = &mut self.w;
        let p = period_name(r.settings.period);
        let complete = complete_kpis(r);
        writeln!(
            w,
            "\n{} of the last {} complete {p}s (active = ordered in the previous {})",
            Section::Kpis.title(),
            complete.len().min(KPI_ROWS),
            lookback(r.settings.lookback)
        )?;
        writeln!(
            w,
            "{:<9} {:>8} {:>8} {:>7} {:>8} {:>7} {:>7} {:>6} {:>8} {:>11} {:>7}",
            p,
            "start",
            "end",
            "new",
            "retained",
            "reactiv",
            "retent",
            "churn",
            "orders",
            "revenue",
            "AOV"
        )?;
        for k in &complete[complete.len().saturating_sub(KPI_ROWS)..] {
            writeln!(
                w,
                "{:<9} {:>8} {:>8} {:>7} {:>8} {:>7} {:>7} {:>6} {:>8} {:>11} {:>7}",
                k.row.label,
                count(k.row.start_customers),
                count(k.row.end_customers),
                count(k.row.new_customers),
                count(k.row.retained),
                count(k.row.reactivated),
                pct(k.rates.retention_rate),
                pct(k.rates.churn_rate),
                count(k.row.orders),
                k.row.revenue.map_or_else(|| "-".into(), thousands),
                k.rates
                    .average_order_value
                    .map_or_else(|| "-".into(), |v| format!("{v:.2}")),
            )?;
        }
        Ok(())
    }

    fn lifecycle(&mut self, r: &Report) -> io::Result<()> {
        let w = &mut self.w;
        let p = period_name(r.settings.period);
        let complete = complete_lifecycle(r);
        writeln!(
            w,
            "\n{} of the last {} complete {p}s (active = ordered in the {p}; dormant shown < 0)",
            Section::Lifecycle.title(),
            complete.len().min(KPI_ROWS),
        )?;
        write!(w, "{p:<9}")?;
        for (name, _) in LifecycleRow::COLUMNS {
            write!(w, " {name:>12}")?;
        }
        writeln!(w, " {:>12}", "quick ratio")?;
        for l in &complete[complete.len().saturating_sub(KPI_ROWS)..] {
            write!(w, "{:<9}", l.0.label)?;
            for (_, value) in LifecycleRow::COLUMNS {
                #[allow(clippy::cast_precision_loss)] // ok: display only
                let v = value(&l.0) as f64;
                write!(w, " {:>12}", thousands(v))?;
            }
            let q = l.0.quick_ratio().ok();
            writeln!(
                w,
                " {:>12}",
                q.map_or_else(|| "n/a".into(), |v| format!("{v:.2}"))
            )?;
        }
        Ok(())
    }

    fn cohorts(&mut self, r: &Report) -> io::Result<()> {
        let w = &mut self.w;
        let p = period_name(r.settings.period);
        let c = &r.cohorts;
        let n = c.labels.len();
        let first = n.saturating_sub(COHORT_ROWS);
        writeln!(
            w,
            "\n{}: % of each {p}'s new customers ordering k {p}s later (last {} cohorts)",
            Section::Cohorts.title(),
            n - first
        )?;
        write!(w, "{:<9} {:>7}", "cohort", "size")?;
        for k in 0..COHORT_COLS {
            write!(w, " {:>5}", format!("+{k}"))?;
        }
        writeln!(w)?;
        for i in first..n {
            write!(w, "{:<9} {:>7}", c.labels[i], count(c.sizes[i]))?;
            for k in 0..COHORT_COLS {
                match c.retention[i].get(k) {
                    Some(f) => {
                        let mark = if c.partial[i].get(k).copied().unwrap_or(false) {
                            "*"
                        } else {
                            ""
                        };
                        write!(w, " {:>5}", format!("{:.1}{mark}", 100.0 * f))?;
                    }
                    None => write!(w, " {:>5}", "")?,
                }
            }
            writeln!(w)?;
        }
        writeln!(w, "(* = period not yet complete)")
    }

    fn retention_curve(&mut self, r: &Report) -> io::Result<()> {
        let w = &mut self.w;
        let p = period_name(r.settings.period);
        writeln!(
            w,
            "\n{}: % of a cohort ordering k {p}s after its first (all cohorts, weighted)",
            Section::RetentionCurve.title()
        )?;
        for (k, f) in r.cohorts.average_curve.iter().enumerate().skip(1).take(12) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: f in [0, 1]
            let bar = "#".repeat((f * 60.0).round() as usize);
            writeln!(w, "+{k:<3} {:>6} {bar}", format!("{:.1}%", 100.0 * f))?;
        }
        Ok(())
    }

    fn models(&mut self, r: &Report) -> io::Result<()> {
        let w = &mut self.w;
        if let Some(b) = &r.bg_nbd {
            let q = &b.params;
            writeln!(
                w,
                "\nBG/NBD (weeks): r = {}, alpha = {}, a = {}, b = {}",
                sig(q.r),
                sig(q.alpha),
                sig(q.a),
                sig(q.b)
            )?;
            writeln!(
                w,
                "  log-likelihood {:.1}, AIC {:.1}, BIC {:.1}, {}, {} customers",
                b.log_likelihood,
                b.aic,
                b.bic,
                b.status,
                count(b.customers as u64)
            )?;
            if let Some(warning) = b.status.warning() {
                for line in wrap(&format!("warning: BG/NBD fit: {warning}"), 98) {
                    writeln!(w, "  {line}")?;
                }
            }
        }
        if let Some(g) = &r.gamma_gamma {
            writeln!(
                w,
                "Gamma-Gamma spend: p = {}, q = {}, gamma = {} ({} repeat customers)",
                sig(g.params.p),
                sig(g.params.q),
                sig(g.params.gamma),
                count(g.customers as u64)
            )?;
            if let Some(c) = g.spend_correlation {
                writeln!(w, "  correlation of repeat purchases and mean spend {c:.2}")?;
            }
            let warnings = [g.status.warning(), g.spend_warning.as_deref()];
            for warning in warnings.into_iter().flatten() {
                for line in wrap(&format!("warning: Gamma-Gamma fit: {warning}"), 98) {
                    writeln!(w, "  {line}")?;
                }
            }
        }
        Ok(())
    }

    fn holdout(&mut self, r: &Report) -> io::Result<()> {
        let w = &mut self.w;
        let Some(h) = &r.holdout else {
            return Ok(());
        };
        writeln!(
            w,
            "{}: fitted up to {}, {:.1} weeks held out",
            Section::Holdout.title(),
            h.calibration_end,
            h.holdout_weeks
        )?;
        writeln!(
            w,
            "  predicted {} repeat purchases, actual {}",
            thousands(h.predicted_total),
            count(h.actual_total)
        )?;
        writeln!(
            w,
            "  per customer: MAE {:.3}, RMSE {:.3}, bias {:+.3}",
            h.mae, h.rmse, h.bias
        )?;
        let Some(card) = &r.scorecard else {
            return Ok(());
        };
        writeln!(
            w,
            "  scorecard, same split:   log-lik        AIC        BIC    MAE   RMSE    bias  status"
        )?;
        for row in &card.rows {
            let c = &row.criteria;
            writeln!(
                w,
                "  {:<11} {:>12.1} {:>10.1} {:>10.1} {:>6.3} {:>6.3} {:>+7.3}  {}{}",
                row.model.label(),
                c.log_likelihood,
                c.aic,
                c.bic,
                row.mae,
                row.rmse,
                row.bias,
                row.status,
                if card.best == Some(row.model) {
                    " (best)"
                } else {
                    ""
                }
            )?;
        }
        for line in wrap(&scorecard_verdict(card), 98) {
            writeln!(w, "  {line}")?;
        }
        Ok(())
    }

    fn at_risk(&mut self, r: &Report) -> io::Result<()> {
        let w = &mut self.w;
        if r.at_risk.is_empty() {
            return Ok(());
        }
        writeln!(
            w,
            "\n{}: repeat customers with P(alive) < 50%, largest value at stake in the next {} weeks",
            Section::AtRisk.title(),
            r.settings.horizon_weeks
        )?;
        writeln!(
            w,
            "{:<16} {:>7} {:>11} {:>9} {:>8} {:>15}",
            "customer", "repeats", "last order", "P(alive)", "overdue", "value at stake"
        )?;
        for a in r.at_risk.iter().take(AT_RISK_ROWS) {
            let id: String = a.customer_id.chars().take(16).collect();
            writeln!(
                w,
                "{:<16} {:>7} {:>11} {:>9} {:>8} {:>15}",
                id,
                a.frequency,
                a.last_order,
                format!("{:.1}%", 100.0 * a.probability_alive),
                a.overdue.map_or_else(|| "-".into(), |o| format!("{o:.1}x")),
                format!("{:.2}", a.value_at_stake),
            )?;
        }
        Ok(())
    }

    fn clv(&mut self, r: &Report) -> io::Result<()> {
        let Some(v) = &r.clv else {
            return Ok(());
        };
        let q = |p: f64| {
            v.quantiles
                .iter()
                .find(|(x, _)| (x - p).abs() < 1e-9)
                .map_or(0.0, |(_, y)| *y)
        };
        writeln!(
            self.w,
            "\nCLV, next {} months at {}%/month: total {}, mean {:.2}, median {:.2}, 90th percentile {:.2}",
            v.months,
            100.0 * v.discount_per_month,
            thousands(v.total),
            v.mean,
            q(0.5),
            q(0.9)
        )?;
        match &v.total_band {
            Some(b) => writeln!(
                self.w,
                "  {:.0}% interval of the total from the model's parameters: {} to {}",
                100.0 * b.level,
                thousands(b.lower),
                thousands(b.upper)
            ),
            None => Ok(()),
        }
    }

    /// Nothing: the first line names the demo shop; its truth is in the
    /// README and the HTML report.
    fn demo_data(&mut self, _: &Report) -> io::Result<()> {
        Ok(())
    }

    fn notes(&mut self, r: &Report) -> io::Result<()> {
        for n in &r.notes {
            for line in wrap(&format!("note: {n}"), 100) {
                writeln!(self.w, "{line}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "  cc"]);
        assert_eq!(wrap("aa", 5), ["aa"]);
    }
}
