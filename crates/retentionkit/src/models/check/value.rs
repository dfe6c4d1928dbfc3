//! Every customer's predictions and CLV in one call, as rows with the id.

use super::clv::mean_spend_at;
use super::{ClvOptions, RepeatModel};
#[cfg(doc)]
use crate::error::Error;
use crate::error::Result;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::summary::{Summary, TimeUnit};

/// What [`customer_values`] computes besides the models: the horizon of the
/// expected purchases and the CLV's periods and discount.
///
/// [`ValueOptions::for_unit`] is the default: the CLV of
/// [`ClvOptions::monthly`] (12 months at 1 % a month) and the expected
/// purchases over the same 12 months.
///
/// # Examples
/// ```
/// use retentionkit::{models::check::ValueOptions, summary::TimeUnit};
/// let o = ValueOptions::for_unit(TimeUnit::Days).with_horizon(90.0); // the next quarter's purchases
/// assert_eq!((o.horizon, o.clv.periods), (90.0, 12));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ValueOptions {
    /// Horizon of [`CustomerValue::expected_purchases`], in the summary's unit.
    pub horizon: f64,
    /// The CLV's periods, period length and discount.
    pub clv: ClvOptions,
}

with_setters!("models::check", ValueOptions {
    with_horizon(horizon: f64) = (26.0 => 26.0),
    with_clv(clv: ClvOptions) = (ClvOptions::default().with_periods(24) => ClvOptions::default().with_periods(24)),
});

impl ValueOptions {
    /// Expected purchases over `horizon` and the CLV of `clv`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::check::{ClvOptions, ValueOptions};
    /// let o = ValueOptions::new(13.0, ClvOptions::default());
    /// assert_eq!((o.horizon, o.clv), (13.0, ClvOptions::default()));
    /// ```
    pub fn new(horizon: f64, clv: ClvOptions) -> Self {
        Self { horizon, clv }
    }

    /// The defaults for a summary in `unit`: 12 months (of 30 days or 4.345
    /// weeks, [`ClvOptions::month`]) at 1 % a month, and the expected
    /// purchases of those 12 months.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::check::ValueOptions;
    /// use retentionkit::summary::TimeUnit;
    /// // 12 months of 4.345 weeks.
    /// assert!((ValueOptions::for_unit(TimeUnit::Weeks).horizon - 52.14).abs() < 1e-12);
    /// assert_eq!(ValueOptions::for_unit(TimeUnit::Days).horizon, 360.0);
    /// ```
    pub fn for_unit(unit: TimeUnit) -> Self {
        let clv = ClvOptions::monthly(unit);
        Self {
            horizon: f64::from(clv.periods) * clv.period_length,
            clv,
        }
    }
}

impl Default for ValueOptions {
    /// [`ValueOptions::for_unit`] in days, as [`ClvOptions`] and
    /// [`AtRiskOptions`](super::AtRiskOptions) default to days.
    fn default() -> Self {
        Self::for_unit(TimeUnit::Days)
    }
}

/// One customer's row of [`customer_values`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CustomerValue {
    /// The customer's id, as in the summary.
    pub customer_id: u64,
    /// Probability that the customer is alive at the observation end.
    pub probability_alive: f64,
    /// Expected purchases in the next [`ValueOptions::horizon`].
    pub expected_purchases: f64,
    /// The Gamma-Gamma expected mean spend of the customer's future purchases.
    pub expected_mean_spend: f64,
    /// Discounted customer lifetime value ([`clv`](super::clv)).
    pub clv: f64,
}

/// P(alive), expected purchases, expected mean spend and CLV of every
/// customer of `summary`, one row each with its id, in the summary's order:
/// [`RepeatModel::predict`] and [`clv_values`](super::clv_values) in one
/// call, each model evaluated once per distinct (x, t_x, T).
///
/// Source: docs/metrics.md, "Retention models: sBG, BG/NBD, MBG/NBD,
/// Pareto/NBD, BG/BB, Gamma-Gamma" (Using a fit); the formulas are those of
/// [`clv`](super::clv) and of each model's P(alive) and expected purchases.
///
/// # Errors
/// [`Error::MissingColumn`] when the summary has no amounts;
/// [`Error::InvalidArgument`] for a negative or non-finite horizon, period
/// length or discount; [`Error::InvalidValue`] naming the row of a bad
/// mean spend; the models' own errors.
///
/// # Examples
/// ```
/// use retentionkit::models::bg_nbd::BgNbdParams;
/// use retentionkit::models::check::{customer_values, ValueOptions};
/// use retentionkit::models::gamma_gamma::GammaGammaParams;
/// use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
/// use retentionkit::TransactionLog;
/// // Customer 7 buys on days 0, 14 and 28; customer 9 once, on day 7.
/// let log = TransactionLog::new(&[7, 9, 7, 7], &[0, 7, 14, 28], Some(&[20.0, 35.0, 25.0, 30.0]))?;
/// let weeks = SummaryOptions::default().with_unit(TimeUnit::Weeks);
/// let s = summary(&log, &weeks)?;
/// let purchases = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?; // CDNOW, weeks
/// let spend = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// let rows = customer_values(&purchases, &spend, &s, &ValueOptions::for_unit(TimeUnit::Weeks))?;
/// assert_eq!(rows.iter().map(|r| r.customer_id).collect::<Vec<_>>(), [7, 9]);
/// // Customer 9 never came back: P(alive) = 1 under BG/NBD (no repeat purchase, no
/// // chance to drop out), and its spend is the population mean p γ / (q − 1).
/// assert_eq!(rows[1].probability_alive, 1.0);
/// assert!((rows[1].expected_mean_spend - 6.25 * 15.44 / 2.74).abs() < 1e-9);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn customer_values(
    purchases: &impl RepeatModel,
    spend: &GammaGammaParams,
    summary: &Summary,
    options: &ValueOptions,
) -> Result<Vec<CustomerValue>> {
    let monetary = summary.monetary_for("the customer lifetime value")?;
    let predictions = purchases.predict(summary, options.horizon)?;
    let discounted = purchases.discounted_purchases(
        &summary.frequency,
        &summary.recency(),
        &summary.age(),
        &options.clv,
    )?;
    let mut rows = Vec::with_capacity(summary.len());
    for (row, (((((&customer_id, &x), &m), &alive), &expected), d)) in summary
        .customer_id
        .iter()
        .zip(&summary.frequency)
        .zip(monetary)
        .zip(&predictions.probability_alive)
        .zip(&predictions.expected_purchases)
        .zip(discounted)
        .enumerate()
    {
        let mean_spend = mean_spend_at(spend, row, x, m)?;
        rows.push(CustomerValue {
            customer_id,
            probability_alive: alive,
            expected_purchases: expected,
            expected_mean_spend: mean_spend,
            clv: mean_spend * d,
        });
    }
    Ok(rows)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::models::bg_nbd::BgNbdParams;
    use crate::models::check::clv;
    use crate::summary::{summary, SummaryOptions};
    use crate::TransactionLog;

    fn shop() -> Summary {
        // 1: days 0, 7, 21 (20, 30, 10); 2: day 3 (50); 3: days 5, 40 (12, 18).
        let log = TransactionLog::new(
            &[1, 2, 3, 1, 1, 3],
            &[0, 3, 5, 7, 21, 40],
            Some(&[20.0, 50.0, 12.0, 30.0, 10.0, 18.0]),
        )
        .unwrap();
        let weeks = SummaryOptions {
            unit: TimeUnit::Weeks,
            ..SummaryOptions::default()
        };
        summary(&log, &weeks).unwrap()
    }

    fn models() -> (BgNbdParams, GammaGammaParams) {
        (
            BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap(),
            GammaGammaParams::new(6.25, 3.74, 15.44).unwrap(),
        )
    }

    #[test]
    fn each_row_is_the_one_customer_functions_result() {
        let (s, (purchases, spend)) = (shop(), models());
        let o = ValueOptions::for_unit(TimeUnit::Weeks);
        let rows = customer_values(&purchases, &spend, &s, &o).unwrap();
        assert_eq!(rows.len(), 3);
        let (rec, age) = (s.recency(), s.age());
        let m = s.monetary_value.as_ref().unwrap();
        for (i, r) in rows.iter().enumerate() {
            let (x, t_x, t) = (s.frequency[i], rec[i], age[i]);
            assert_eq!(r.customer_id, s.customer_id[i]);
            let alive = purchases.probability_alive(x, t_x, t).unwrap();
            let expected = purchases.expected_purchases(x, t_x, t, o.horizon).unwrap();
            let value = clv(&purchases, &spend, x, t_x, t, m[i], &o.clv).unwrap();
            assert!((r.probability_alive - alive).abs() <= 1e-15);
            assert!((r.expected_purchases - expected).abs() <= 1e-12 * expected);
            assert!((r.clv - value).abs() <= 1e-12 * value, "{} {value}", r.clv);
        }
    }

    #[test]
    fn one_undiscounted_period_is_mean_spend_times_expected_purchases() {
        let (s, (purchases, spend)) = (shop(), models());
        // Customer 1: x = 2, mean repeat spend (30 + 10) / 2 = 20. Gamma-Gamma
        // (Fader, Hardie & Lee 2005, "RFM and CLV"): E[M | x, m] = p (γ + x m) / (p x + q − 1)
        // = 6.25 (15.44 + 40) / (12.5 + 2.74) = 346.5 / 15.24.
        let o = ValueOptions::new(
            6.0,
            ClvOptions {
                periods: 1,
                period_length: 6.0,
                discount: 0.0,
            },
        );
        let rows = customer_values(&purchases, &spend, &s, &o).unwrap();
        let one = &rows[0];
        assert!((one.expected_mean_spend - 346.5 / 15.24).abs() < 1e-12);
        let want = 346.5 / 15.24 * one.expected_purchases;
        assert!((one.clv - want).abs() <= 1e-12 * want);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let (purchases, spend) = models();
        let mut s = shop();
        let o = ValueOptions::for_unit(TimeUnit::Weeks);
        let negative = ValueOptions::new(-1.0, o.clv);
        assert!(matches!(
            customer_values(&purchases, &spend, &s, &negative),
            Err(Error::InvalidArgument { .. })
        ));
        s.monetary_value.as_mut().unwrap()[2] = f64::NAN;
        let e = customer_values(&purchases, &spend, &s, &o).unwrap_err();
        assert!(
            matches!(
                e,
                Error::InvalidValue {
                    column: "monetary_value",
                    row: 2,
                    ..
                }
            ),
            "{e}"
        );
        s.monetary_value = None;
        let e = customer_values(&purchases, &spend, &s, &o).unwrap_err();
        assert!(
            matches!(
                e,
                Error::MissingColumn {
                    column: "amount",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn rows_serialize_with_their_ids() {
        let (s, (purchases, spend)) = (shop(), models());
        let rows = customer_values(
            &purchases,
            &spend,
            &s,
            &ValueOptions::for_unit(TimeUnit::Weeks),
        )
        .unwrap();
        let json = serde_json::to_value(&rows).unwrap();
        assert_eq!(json[1]["customer_id"], 2);
        assert_eq!(
            json[0]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            [
                "clv",
                "customer_id",
                "expected_mean_spend",
                "expected_purchases",
                "probability_alive"
            ]
        );
    }
}
