//! Subscription customer lifetime value.

use crate::error::{invalid_arg, ratio, Error, Result};

fn check_finite(x: f64, name: &'static str) -> Result<()> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(invalid_arg(name, format!("{x} must be finite")))
    }
}

/// Simple subscription CLV: margin per period over churn per period.
///
/// # Formula
/// $$ \mathrm{CLV} = \frac{\mathrm{ARPA} \times \text{gross margin}}{\text{churn rate per period}} $$
/// ARPA and churn rate over the same period length (for example a month),
/// gross margin as a fraction. Under constant churn $c$ the expected
/// lifetime is $1/c$ periods, so this is the undiscounted margin over that
/// lifetime.
/// Source: docs/metrics.md, "Subscription CLV".
///
/// # Errors
/// - [`Error::ZeroDenominator`] when `churn_rate` is 0 (the lifetime is unbounded);
/// - [`Error::InvalidArgument`] when `arpa` is negative or not finite, or
///   `gross_margin` or `churn_rate` is outside [0, 1] (NaN included), or when
///   the CLV overflows (a huge `arpa` over a tiny churn rate; naming `arpa`).
///
/// # Examples
/// ```
/// // ARPA 50 a month, 80 % gross margin, 2 % monthly churn: 50 × 0.8 / 0.02 = 2,000.
/// let clv = retentionkit::revenue::subscription_clv(50.0, 0.8, 0.02)?;
/// assert!((clv - 2_000.0).abs() < 1e-9);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn subscription_clv(arpa: f64, gross_margin: f64, churn_rate: f64) -> Result<f64> {
    crate::error::check_non_negative(arpa, "arpa")?;
    crate::error::check_fraction(gross_margin, "gross_margin")?;
    crate::error::check_fraction(churn_rate, "churn_rate")?;
    let clv = ratio(arpa * gross_margin, churn_rate, "churn rate per period")?;
    crate::error::finite_result(clv, "arpa")
}

/// Discounted subscription CLV with constant margin, retention and discount
/// rate over an infinite horizon ("margin multiple").
///
/// # Formula
/// $$ \mathrm{CLV} = \sum_{t=1}^{\infty} \frac{m\\, r^t}{(1+d)^t} = m \cdot \frac{r}{1 + d - r} $$
/// $m$ margin per customer per period, $r$ retention rate per period, $d$
/// discount rate per period. Margins are counted from the end of the first
/// period on (the customer must survive one renewal, with probability
/// $r$, before the first margin); add $m$ for a margin collected up front.
/// Source: S. Gupta and D. R. Lehmann (2003), "Customers as assets",
/// *Journal of Interactive Marketing* 17(1), 9–24, and their book *Managing
/// Customers as Investments* (2005); also S. Gupta, D. R. Lehmann and J. A.
/// Stuart (2004), "Valuing customers", *Journal of Marketing Research*
/// 41(1), 7–18. Their worked margin multiple: $r = 0.8$, $d = 0.1$ gives
/// $0.8 / 0.3 \approx 2.67$.
///
/// # Errors
/// - [`Error::InvalidArgument`] when `margin` or `discount` is not finite,
///   `retention` is outside [0, 1] (NaN included) or `discount` is negative,
///   or when the CLV overflows (naming `margin`);
/// - [`Error::ZeroDenominator`] when $r = 1$ and $d = 0$ (an unbounded sum).
///
/// # Examples
/// ```
/// // Gupta & Lehmann's margin multiple: r = 0.8, d = 0.1 -> 0.8 / 0.3.
/// let clv = retentionkit::revenue::discounted_clv(100.0, 0.8, 0.1)?;
/// assert!((clv - 100.0 * 0.8 / 0.3).abs() < 1e-9); // 266.67
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn discounted_clv(margin: f64, retention: f64, discount: f64) -> Result<f64> {
    check_finite(margin, "margin")?;
    crate::error::check_fraction(retention, "retention")?;
    if !(discount.is_finite() && discount >= 0.0) {
        return Err(invalid_arg(
            "discount",
            format!("{discount} must be finite and non-negative"),
        ));
    }
    let den = 1.0 + discount - retention;
    if den == 0.0 {
        return Err(Error::ZeroDenominator {
            what: "1 + discount − retention",
        });
    }
    crate::error::finite_result(margin * retention / den, "margin")
}
