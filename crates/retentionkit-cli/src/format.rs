//! Numbers and names as the report prints them: shared by the terminal
//! summary, the HTML page and its charts.

use retentionkit::period::{Granularity, Lookback};

use crate::analysis::Report;
use crate::input::Source;

/// `1234567.8` as `1,234,568`.
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// A parameter with 4 significant digits (scientific notation when very
/// large or small), so a degenerate fit still fits the line.
pub fn sig(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if (1e-3..1e5).contains(&a) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: 0..=7
        let decimals = (3 - a.log10().floor() as i32).max(0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.3e}")
    }
}

/// An integer count with thousands separators.
pub fn count(n: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // ok: display only
    thousands(n as f64)
}

/// A rate as a percentage with one decimal, or `n/a`.
pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".into(), |v| format!("{:.1}%", 100.0 * v))
}

/// The name of a period, for headings.
pub fn period_name(g: Granularity) -> &'static str {
    g.as_str()
}

/// The activity look-back in words: `12 months`, `90 days`.
pub fn lookback(l: Lookback) -> String {
    match (l.months(), l.days()) {
        (Some(m), _) => format!("{m} months"),
        (None, Some(n)) => format!("{n} days"),
        // A kind of window added to the core after this was written.
        (None, None) => format!("{l:?}"),
    }
}

/// Where the data came from, in words.
pub fn source_line(r: &Report) -> String {
    match &r.source {
        Source::File { path } => path.clone(),
        Source::Demo { options } => format!(
            "built-in demo shop (seeded simulation: {} customers, seed {})",
            count(u64::from(options.customers)),
            options.seed
        ),
    }
}

/// The scorecard's verdict in words, for the terminal and HTML reports:
/// which model the report uses and which the scorecard's rule picks.
pub fn scorecard_verdict(card: &crate::analysis::ScorecardOut) -> String {
    let used = card.report_model.label();
    match card.best {
        Some(b) if b == card.report_model => {
            format!(
                "This report uses {used}, also the best by the rule: {}.",
                card.rule
            )
        }
        Some(b) => format!(
            "This report uses {used}; the scorecard's best is {}, by the rule: {}. Models \
             whose BIC differs by less than 2 fit about equally well.",
            b.label(),
            card.rule
        ),
        None => format!("This report uses {used}; no model's fit converged, so none is best."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(1_234_567.8), "1,234,568");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(pct(Some(0.1234)), "12.3%");
        assert_eq!(pct(None), "n/a");
        assert_eq!(sig(0.242_59), "0.2426");
        assert_eq!(sig(4.4136), "4.414");
        assert_eq!(sig(5_653_265.5), "5.653e6");
        assert_eq!(sig(1.5e-9), "1.500e-9");
        assert_eq!(lookback(Lookback::Months(12)), "12 months");
        assert_eq!(lookback(Lookback::Days(90)), "90 days");
    }
}
