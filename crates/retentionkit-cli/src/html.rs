//! The HTML report: one self-contained file (inline CSS and SVG, no script,
//! no external resource), readable on screen and printable. One method per
//! [`Section`], in the order the terminal summary
//! shows them.

use std::fmt::{self, Write};

use retentionkit::lifecycle::LifecycleRow;

use crate::analysis::{BgNbdOut, CohortOut, KpiOut, Report, ScorecardOut, TrackingOut};
use crate::format::{
    count, lookback, pct, period_name, scorecard_verdict, sig, source_line, thousands,
};
use crate::input::Source;
use crate::sections::{self, complete_kpis, complete_lifecycle, Renderer, Section};
use crate::svg::{
    bar_chart, esc, heatmap, line_chart, stacked_bar_chart, Series, Stack, YFormat, PALETTE,
};

const CSS: &str = r"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  margin: 0 auto; max-width: 980px; padding: 24px; color: #1b1b1b; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; border-bottom: 2px solid #1f77b4; padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
p.meta { color: #555; margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; }
.card .v { font-size: 1.35em; font-weight: 600; }
.card .k { color: #555; font-size: 0.85em; }
table { border-collapse: collapse; width: 100%; font-size: 0.88em; margin: 8px 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e5e5e5; text-align: right; }
th { background: #f4f6f8; font-weight: 600; }
td.l, th.l { text-align: left; }
p.warning { border-left: 4px solid #b45309; background: #fef3c7; padding: 0.4em 0.8em; }
.chart { display: block; max-width: 100%; height: auto; margin: 6px 0 4px; }
.chart text { font-family: inherit; }
.chart .tick { font-size: 11px; fill: #444; }
.chart .axis { font-size: 12px; fill: #222; }
.chart .legend { font-size: 12px; fill: #222; }
.chart .cell { font-size: 10px; }
.note { color: #555; font-size: 0.9em; }
.bar { display: inline-block; height: 10px; background: #d62728; vertical-align: middle; }
figure { margin: 0; }
figcaption { color: #555; font-size: 0.88em; margin-bottom: 12px; }
footer { margin-top: 40px; color: #777; font-size: 0.85em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure, table, .cards { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
";

fn card(out: &mut String, value: &str, key: &str) -> fmt::Result {
    write!(
        out,
        r#"<div class="card"><div class="v">{}</div><div class="k">{}</div></div>"#,
        esc(value),
        esc(key)
    )
}

fn figure(out: &mut String, svg: &str, caption: &str) -> fmt::Result {
    write!(
        out,
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    )
}

/// Render the report as one HTML page.
pub fn render(r: &Report) -> String {
    let mut page = Html(String::with_capacity(256 * 1024));
    // ok: writing into a String does not fail.
    let _ = page.page(r);
    page.0
}

/// The page being written.
struct Html(String);

impl Html {
    /// Head, every section, footer.
    fn page(&mut self, r: &Report) -> fmt::Result {
        write!(
            self.0,
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Retention report: {t}</title><style>{CSS}</style></head><body>"#,
            t = esc(&source_line(r))
        )?;
        sections::render(self, r)?;
        write!(
            self.0,
            "<footer>Made by {} from {}. Every number of this page is also in <code>retentionkit report --json</code>.</footer></body></html>",
            esc(&r.generator),
            esc(&source_line(r))
        )
    }
}

impl Renderer for Html {
    type Error = fmt::Error;

    fn overview(&mut self, r: &Report) -> fmt::Result {
        let (o, d) = (&mut self.0, &r.data);
        write!(
            o,
            r#"<h1>{title}</h1><p class="meta">{src}<br>{orders} orders from {cust} customers, {a} to {b}. Periods: {p}s; active = ordered in the previous {lb}.</p>"#,
            title = Section::Overview.title(),
            src = esc(&source_line(r)),
            orders = count(d.orders as u64),
            cust = count(d.customers as u64),
            a = esc(&d.first_day),
            b = esc(&d.last_day),
            p = period_name(r.settings.period),
            lb = esc(&lookback(r.settings.lookback))
        )?;
        headline_cards(o, r)?;
        skipped_rows_note(o, r)
    }

    fn kpis(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        let p = period_name(r.settings.period);
        let complete = complete_kpis(r);
        write!(
            o,
            "<h2>{}ly {}</h2>",
            esc(&capital(p)),
            Section::Kpis.title()
        )?;
        let labels: Vec<String> = complete.iter().map(|k| k.row.label.clone()).collect();
        rate_chart(o, &complete, &labels, p)?;
        customer_chart(o, &complete, &labels, p)?;
        if complete.iter().any(|k| k.row.revenue.is_some()) {
            let rev: Vec<f64> = complete
                .iter()
                .map(|k| k.row.revenue.unwrap_or(0.0))
                .collect();
            figure(
                o,
                &bar_chart(
                    &format!("Revenue per {p}"),
                    &labels,
                    &rev,
                    YFormat::Number,
                    "revenue",
                    p,
                    PALETTE[0],
                ),
                &format!("Revenue per complete {p}."),
            )?;
        }
        kpi_table(o, &complete)
    }

    fn lifecycle(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        let p = period_name(r.settings.period);
        let complete = complete_lifecycle(r);
        write!(o, "<h2>{}</h2>", Section::Lifecycle.title())?;
        let labels: Vec<String> = complete.iter().map(|l| l.0.label.clone()).collect();
        // The core's columns new, returning, resurrecting, dormant (negative).
        let colors = [PALETTE[2], PALETTE[0], PALETTE[3], PALETTE[1]];
        #[allow(clippy::cast_precision_loss)] // ok: chart values
        let stacks: Vec<Stack<'_>> = LifecycleRow::COLUMNS
            .iter()
            .zip(colors)
            .map(|((name, value), color)| Stack {
                name,
                color,
                values: complete.iter().map(|l| value(&l.0) as f64).collect(),
            })
            .collect();
        figure(
            o,
            &stacked_bar_chart(&format!("Growth accounting per {p}"), &labels, &stacks, "customers", p),
            &format!("Customers who ordered in each complete {p}: new (first order), returning (ordered the {p} before too) and resurrecting (back after a gap), stacked above zero; below zero the dormant, who ordered the {p} before and not in this one. Quick ratio = (new + resurrecting) / dormant."),
        )?;
        o.push_str(r#"<table><tr><th class="l">period</th>"#);
        for (name, _) in LifecycleRow::COLUMNS {
            write!(o, "<th>{}</th>", esc(name))?;
        }
        o.push_str("<th>quick ratio</th></tr>");
        for l in &complete[complete.len().saturating_sub(12)..] {
            write!(o, r#"<tr><td class="l">{}</td>"#, esc(&l.0.label))?;
            for (_, value) in LifecycleRow::COLUMNS {
                #[allow(clippy::cast_precision_loss)] // ok: display only
                let v = value(&l.0) as f64;
                write!(o, "<td>{}</td>", thousands(v))?;
            }
            let q = l.0.quick_ratio().ok();
            write!(
                o,
                "<td>{}</td></tr>",
                q.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
            )?;
        }
        o.push_str("</table>");
        Ok(())
    }

    fn cohorts(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        let p = period_name(r.settings.period);
        let c = &r.cohorts;
        write!(o, "<h2>{}</h2>", Section::Cohorts.title())?;
        figure(
            o,
            &heatmap("Cohort retention heatmap", &c.labels, &c.sizes, &c.retention, &c.partial, p),
            &format!(
                "Share of each {p}'s new customers (the cohort) who ordered k {p}s later; faded cells are not yet complete. Colour from white (0%) to dark blue ({:.0}%, the highest value after +0); +0 is 100% by definition. Hover a cell for its value.",
                100.0 * c.retention.iter().flat_map(|r| r.iter().skip(1)).fold(0.0f64, |a, &b| a.max(b))
            ),
        )
    }

    fn retention_curve(&mut self, r: &Report) -> fmt::Result {
        let p = period_name(r.settings.period);
        let c = &r.cohorts;
        let width = c.retention.iter().map(Vec::len).max().unwrap_or(0);
        let curve_labels: Vec<String> = (1..width).map(|k| format!("+{k}")).collect();
        figure(
            &mut self.0,
            &line_chart("Retention curves per cohort", &curve_labels, &cohort_curves(c, width), YFormat::Percent, "share of cohort ordering", &format!("{p}s since acquisition"), None, None),
            "One thin line per cohort (darker = more recent), complete periods only; the thick line is the size-weighted average.",
        )
    }

    fn models(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        write!(o, "<h2>{}</h2>", Section::Models.title())?;
        if let Some(t) = &r.tracking {
            tracking_chart(o, t)?;
        }
        o.push_str(r#"<table><tr><th class="l">model</th><th class="l">parameters</th><th>log-likelihood</th><th>AIC</th><th>BIC</th><th class="l">status</th><th>customers</th></tr>"#);
        if let Some(b) = &r.bg_nbd {
            bg_nbd_row(o, "BG/NBD (weeks), all data", b)?;
        }
        if let Some(h) = &r.holdout {
            bg_nbd_row(
                o,
                &format!("BG/NBD, calibration to {}", esc(&h.calibration_end)),
                &h.fit,
            )?;
        }
        if let Some(g) = &r.gamma_gamma {
            write!(
                o,
                r#"<tr><td class="l">Gamma-Gamma (spend)</td><td class="l">p {}, q {}, γ {}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td class="l">{}</td><td>{}</td></tr>"#,
                sig(g.params.p),
                sig(g.params.q),
                sig(g.params.gamma),
                g.log_likelihood,
                g.aic,
                g.bic,
                g.status,
                count(g.customers as u64)
            )?;
        }
        o.push_str("</table>");
        if let Some(c) = r.gamma_gamma.as_ref().and_then(|g| g.spend_correlation) {
            write!(
                o,
                "<p>Correlation of repeat purchases and mean spend: {c:.2} (the Gamma-Gamma model assumes 0).</p>"
            )?;
        }
        if let Some(warning) = r
            .gamma_gamma
            .as_ref()
            .and_then(|g| g.spend_warning.as_deref())
        {
            write!(
                o,
                r#"<p class="warning" role="alert"><strong>Warning:</strong> Gamma-Gamma fit: {}</p>"#,
                esc(warning)
            )?;
        }
        let fits = [
            ("BG/NBD (all data)", r.bg_nbd.as_ref().map(|b| b.status)),
            (
                "BG/NBD (calibration)",
                r.holdout.as_ref().map(|h| h.fit.status),
            ),
            ("Gamma-Gamma", r.gamma_gamma.as_ref().map(|g| g.status)),
        ];
        for (name, status) in fits {
            if let Some(warning) = status.and_then(retentionkit::optim::FitStatus::warning) {
                write!(
                    o,
                    r#"<p class="warning" role="alert"><strong>Warning:</strong> {name} fit: {}</p>"#,
                    esc(warning)
                )?;
            }
        }
        Ok(())
    }

    fn holdout(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        let Some(h) = &r.holdout else {
            return Ok(());
        };
        write!(
            o,
            r"<h3>{}</h3><p>Fitted on the orders up to {}, the model predicted {} repeat purchases in the {:.1} weeks after; the customers made {}. Per customer: mean absolute error {:.3}, root mean squared error {:.3}, bias {:+.3}.</p><table><tr><th>repeat purchases in calibration</th><th>customers</th><th>mean actual in holdout</th><th>mean predicted</th></tr>",
            Section::Holdout.title(),
            esc(&h.calibration_end),
            thousands(h.predicted_total),
            h.holdout_weeks,
            count(h.actual_total),
            h.mae,
            h.rmse,
            h.bias
        )?;
        for row in &h.by_frequency {
            write!(
                o,
                "<tr><td>{}{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
                row.frequency,
                if row.frequency == 7 { "+" } else { "" },
                count(row.customers),
                row.mean_actual,
                row.mean_predicted
            )?;
        }
        o.push_str("</table>");
        if let Some(card) = &r.scorecard {
            scorecard_table(o, card)?;
        }
        Ok(())
    }

    fn at_risk(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        if r.at_risk.is_empty() {
            return Ok(());
        }
        write!(
            o,
            r#"<h2>{}</h2><p>Repeat customers whose probability of still being active is below 50 %, largest value at stake first: the purchases the model expects from them in the next {} weeks times their mean order value, which is lost if they have in fact left. "Overdue" is the time since their last order over their usual gap between orders.</p>"#,
            Section::AtRisk.title(),
            r.settings.horizon_weeks
        )?;
        let top = r
            .at_risk
            .iter()
            .map(|a| a.value_at_stake)
            .fold(0.0f64, f64::max);
        o.push_str(r#"<table><tr><th class="l">customer</th><th>repeat purchases</th><th>last order</th><th>P(alive)</th><th>overdue</th><th>value at stake</th><th class="l"></th></tr>"#);
        for a in &r.at_risk {
            let w = if top > 0.0 {
                120.0 * a.value_at_stake / top
            } else {
                0.0
            };
            write!(
                o,
                r#"<tr><td class="l">{}</td><td>{}</td><td>{}</td><td>{:.1}%</td><td>{}</td><td>{:.2}</td><td class="l"><span class="bar" style="width:{w:.0}px"></span></td></tr>"#,
                esc(&a.customer_id),
                a.frequency,
                esc(&a.last_order),
                100.0 * a.probability_alive,
                a.overdue.map_or_else(|| "–".into(), |v| format!("{v:.1}×")),
                a.value_at_stake
            )?;
        }
        o.push_str("</table>");
        Ok(())
    }

    fn clv(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        let Some(v) = &r.clv else {
            return Ok(());
        };
        write!(o, "<h2>{}</h2><p>Expected value of each customer's purchases in the next {} months (BG/NBD purchases × Gamma-Gamma spend, discounted at {}% a month): total {}{}, mean {:.2}.</p>", Section::Clv.title(), v.months, 100.0 * v.discount_per_month, thousands(v.total), clv_band_text(v), v.mean)?;
        let labels: Vec<String> = v.edges.windows(2).map(|e| format!("{:.0}", e[0])).collect();
        #[allow(clippy::cast_precision_loss)] // ok: chart values
        let counts: Vec<f64> = v.counts.iter().map(|&c| c as f64).collect();
        figure(
            o,
            &bar_chart("CLV distribution", &labels, &counts, YFormat::Number, "customers", "CLV (lower edge of the bin)", PALETTE[2]),
            "Customers per CLV bin, up to the 99th percentile; the last bin also holds every customer above it.",
        )?;
        o.push_str("<table><tr>");
        for (q, _) in &v.quantiles {
            write!(o, "<th>{:.0}th percentile</th>", q * 100.0)?;
        }
        o.push_str("</tr><tr>");
        for (_, x) in &v.quantiles {
            write!(o, "<td>{x:.2}</td>")?;
        }
        o.push_str("</tr></table>");
        Ok(())
    }

    fn demo_data(&mut self, r: &Report) -> fmt::Result {
        let Source::Demo { options } = &r.source else {
            return Ok(());
        };
        write!(
            self.0,
            r"<h2>{}</h2><p>No file was given, so this report shows the built-in demo shop: a seeded simulation (seed {}) of {} customers over {} days from 2021-01-01, with a known truth, drawn by the core's MBG/NBD and Gamma-Gamma simulator. Customers arrive at a rate growing linearly to twice the first day's; each buys at a rate drawn from Gamma(shape 0.7, rate 25) per day (one order per ~36 days on average); after every order, the first included, a customer leaves with a probability drawn from Beta(0.9, 3) (mean 0.23); each customer's orders cost Gamma(shape 3, rate ν) with ν drawn from Gamma(shape 5, rate 64), so order values average 3 · 64 / 4 = 48. So about 23% of first-time buyers never return (the mean of Beta(0.9, 3)); the truth is documented in crates/retentionkit/src/demo.rs.</p>",
            Section::DemoData.title(),
            options.seed,
            count(u64::from(options.customers)),
            options.days
        )
    }

    fn notes(&mut self, r: &Report) -> fmt::Result {
        let o = &mut self.0;
        if r.notes.is_empty() {
            return Ok(());
        }
        write!(o, "<h2>{}</h2><ul>", Section::Notes.title())?;
        for n in &r.notes {
            write!(o, "<li>{}</li>", esc(n))?;
        }
        o.push_str("</ul>");
        Ok(())
    }
}

/// The headline numbers as cards.
fn headline_cards(o: &mut String, r: &Report) -> fmt::Result {
    let d = &r.data;
    o.push_str(r#"<div class="cards">"#);
    card(o, &count(d.customers as u64), "customers")?;
    card(o, &count(d.orders as u64), "orders")?;
    if let Some(rev) = d.revenue {
        card(o, &thousands(rev), "revenue")?;
    }
    card(o, &pct(d.repeat_customer_rate), "customers with 2+ orders")?;
    if let Some(k) = complete_kpis(r).last() {
        card(
            o,
            &pct(k.rates.retention_rate),
            &format!("retention rate, {}", k.row.label),
        )?;
        card(
            o,
            &pct(k.rates.churn_rate),
            &format!("churn rate, {}", k.row.label),
        )?;
        card(
            o,
            &count(k.row.end_customers),
            &format!("active customers, end of {}", k.row.label),
        )?;
    }
    if let Some(v) = &r.clv {
        card(
            o,
            &thousands(v.total),
            &format!("expected value of the next {} months (CLV)", v.months),
        )?;
    }
    o.push_str("</div>");
    Ok(())
}

/// Which lines of the file were skipped, if any.
fn skipped_rows_note(o: &mut String, r: &Report) -> fmt::Result {
    if r.skipped_rows.count == 0 {
        return Ok(());
    }
    let lines: Vec<String> = r
        .skipped_rows
        .first
        .iter()
        .map(|b| b.line.to_string())
        .collect();
    write!(
        o,
        r#"<p class="note">{} rows of the file could not be read and were skipped (lines {}{}).</p>"#,
        count(r.skipped_rows.count as u64),
        esc(&lines.join(", ")),
        if r.skipped_rows.count > lines.len() {
            ", ..."
        } else {
            ""
        }
    )
}

/// Retention and churn rate per complete period.
fn rate_chart(o: &mut String, complete: &[&KpiOut], labels: &[String], p: &str) -> fmt::Result {
    let rates = vec![
        Series {
            name: "retention rate (E − N) / S".into(),
            values: complete.iter().map(|k| k.rates.retention_rate).collect(),
            color: PALETTE[0].into(),
            width: 2.5,
            dashed: false,
            legend: true,
            band: None,
        },
        Series {
            name: "churn rate (S − retained) / S".into(),
            values: complete.iter().map(|k| k.rates.churn_rate).collect(),
            color: PALETTE[1].into(),
            width: 2.5,
            dashed: false,
            legend: true,
            band: None,
        },
    ];
    figure(
        o,
        &line_chart(&format!("Retention and churn per {p}"), labels, &rates, YFormat::Percent, "rate", p, None, Some(1.0)),
        &format!("Retention and churn of the active base per complete {p}: S customers active at the start, E at the end, N new in the {p}."),
    )
}

/// Active base, ordering and new customers per complete period.
fn customer_chart(o: &mut String, complete: &[&KpiOut], labels: &[String], p: &str) -> fmt::Result {
    #[allow(clippy::cast_precision_loss)] // ok: chart values
    let customers = vec![
        Series {
            name: "active base at the end (E)".into(),
            values: complete
                .iter()
                .map(|k| Some(k.row.end_customers as f64))
                .collect(),
            color: PALETTE[0].into(),
            width: 2.5,
            dashed: false,
            legend: true,
            band: None,
        },
        Series {
            name: format!("ordered in the {p}"),
            values: complete
                .iter()
                .map(|k| Some(k.row.active_customers as f64))
                .collect(),
            color: PALETTE[2].into(),
            width: 2.0,
            dashed: false,
            legend: true,
            band: None,
        },
        Series {
            name: "new (N)".into(),
            values: complete
                .iter()
                .map(|k| Some(k.row.new_customers as f64))
                .collect(),
            color: PALETTE[3].into(),
            width: 2.0,
            dashed: true,
            legend: true,
            band: None,
        },
    ];
    figure(
        o,
        &line_chart(
            &format!("Customers per {p}"),
            labels,
            &customers,
            YFormat::Number,
            "customers",
            p,
            None,
            None,
        ),
        &format!(
            "Size of the active base, customers who ordered and new customers per complete {p}."
        ),
    )
}

/// The KPIs of the last 12 complete periods.
fn kpi_table(o: &mut String, complete: &[&KpiOut]) -> fmt::Result {
    o.push_str(r#"<table><tr><th class="l">period</th><th>start S</th><th>end E</th><th>new N</th><th>retained</th><th>reactivated</th><th>retention</th><th>churn</th><th>orders</th><th>revenue</th><th>AOV</th></tr>"#);
    for k in &complete[complete.len().saturating_sub(12)..] {
        write!(
            o,
            r#"<tr><td class="l">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&k.row.label),
            count(k.row.start_customers),
            count(k.row.end_customers),
            count(k.row.new_customers),
            count(k.row.retained),
            count(k.row.reactivated),
            pct(k.rates.retention_rate),
            pct(k.rates.churn_rate),
            count(k.row.orders),
            k.row.revenue.map_or_else(|| "–".into(), thousands),
            k.rates
                .average_order_value
                .map_or_else(|| "–".into(), |v| format!("{v:.2}")),
        )?;
    }
    o.push_str("</table>");
    Ok(())
}

/// One line per cohort over `1..width` periods after acquisition (complete
/// periods only, darker = more recent), and the weighted average.
fn cohort_curves(c: &CohortOut, width: usize) -> Vec<Series> {
    let n = c.labels.len();
    let mut curves: Vec<Series> = c
        .retention
        .iter()
        .enumerate()
        .map(|(i, row)| {
            #[allow(clippy::cast_precision_loss)] // ok: colour position
            let t = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                1.0
            };
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: 0..=255
            let g = (200.0 - 120.0 * t).round() as u8;
            Series {
                name: c.labels[i].clone(),
                values: (1..width)
                    .map(|k| {
                        row.get(k)
                            .copied()
                            .filter(|_| !c.partial[i].get(k).copied().unwrap_or(true))
                    })
                    .collect(),
                color: format!("#{:02x}{:02x}ff", g / 2, g),
                width: 1.0,
                dashed: false,
                legend: false,
                band: None,
            }
        })
        .collect();
    curves.push(Series {
        name: "average over cohorts (weighted)".into(),
        values: c.average_curve.iter().skip(1).map(|v| Some(*v)).collect(),
        color: "#111".into(),
        width: 3.0,
        dashed: false,
        legend: true,
        band: None,
    });
    curves
}

/// " (90 % interval 1,200 to 1,500 from the uncertainty of the purchase
/// model's parameters)" after the total CLV, or nothing without a band.
fn clv_band_text(v: &crate::analysis::ClvOut) -> String {
    v.total_band.as_ref().map_or_else(String::new, |b| {
        format!(
            " ({} % interval {} to {} from the uncertainty of the purchase model's parameters)",
            pct_level(b.level),
            thousands(b.lower),
            thousands(b.upper)
        )
    })
}

/// A level as a percentage for text: 0.9 -> "90".
fn pct_level(level: f64) -> String {
    let p = level * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}")
    } else {
        format!("{p}")
    }
}

/// Cumulative repeat purchases, actual against the BG/NBD expectation.
fn tracking_chart(o: &mut String, t: &TrackingOut) -> fmt::Result {
    #[allow(clippy::cast_precision_loss)] // ok: chart values
    let series = vec![
        Series {
            name: "actual".into(),
            values: t.actual.iter().map(|&v| Some(v as f64)).collect(),
            color: "#111".into(),
            width: 2.5,
            dashed: false,
            legend: true,
            band: None,
        },
        Series {
            name: "BG/NBD expected".into(),
            values: t.expected.iter().map(|&v| Some(v)).collect(),
            color: PALETTE[1].into(),
            width: 2.5,
            dashed: true,
            legend: true,
            band: t.band.as_ref().map(|b| {
                (
                    b.lower.clone(),
                    b.upper.clone(),
                    format!("{} % interval of the expected curve", pct_level(b.level)),
                )
            }),
        },
    ];
    #[allow(clippy::cast_precision_loss)] // ok: chart position
    let vline = t.calibration_end.as_ref().and_then(|ce| {
        t.at.iter()
            .position(|a| a > ce)
            .map(|i| (i as f64, "calibration end"))
    });
    let caption = if t.model == "calibration" {
        format!(
            "Cumulative repeat purchases of all customers, weekly. The model was fitted on the data up to {}; after the dashed line it forecasts data it has not seen.",
            t.calibration_end.clone().unwrap_or_default()
        )
    } else {
        "Cumulative repeat purchases of all customers, weekly, against the model fitted on all the data.".to_string()
    };
    let caption = match &t.band {
        Some(b) => format!(
            "{caption} The shaded band is the {} % interval of the expected curve from the uncertainty of the model's parameters (delta method); the purchases' own randomness is not in it.",
            pct_level(b.level)
        ),
        None => caption,
    };
    figure(
        o,
        &line_chart(
            "Tracking: cumulative repeat purchases",
            &t.at,
            &series,
            YFormat::Number,
            "repeat purchases",
            "week",
            vline,
            None,
        ),
        &caption,
    )
}

/// One row of the model table for a BG/NBD fit; `name` is HTML.
fn bg_nbd_row(o: &mut String, name: &str, b: &BgNbdOut) -> fmt::Result {
    let q = &b.params;
    write!(
        o,
        r#"<tr><td class="l">{name}</td><td class="l">r {}, α {}, a {}, b {}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td class="l">{}</td><td>{}</td></tr>"#,
        sig(q.r),
        sig(q.alpha),
        sig(q.a),
        sig(q.b),
        b.log_likelihood,
        b.aic,
        b.bic,
        b.status,
        count(b.customers as u64)
    )
}

/// The scorecard of the holdout check's split: one row per model, and
/// which model the report uses.
fn scorecard_table(o: &mut String, card: &ScorecardOut) -> fmt::Result {
    o.push_str(r#"<h3>Which model</h3><table><tr><th class="l">model (calibration fit)</th><th>log-likelihood</th><th>AIC</th><th>BIC</th><th>holdout MAE</th><th>RMSE</th><th>bias</th><th class="l">status</th></tr>"#);
    for row in &card.rows {
        let c = &row.criteria;
        write!(
            o,
            r#"<tr><td class="l">{}{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.3}</td><td>{:.3}</td><td>{:+.3}</td><td class="l">{}</td></tr>"#,
            row.model.label(),
            if card.best == Some(row.model) {
                " (best)"
            } else {
                ""
            },
            c.log_likelihood,
            c.aic,
            c.bic,
            row.mae,
            row.rmse,
            row.bias,
            row.status
        )?;
    }
    write!(o, "</table><p>{}</p>", esc(&scorecard_verdict(card)))
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
