//! A seeded simulated shop: the built-in demo data, with a known truth
//! (feature `simulate`, on by default).
//!
//! The shop is drawn by the model simulator
//! ([`crate::models::simulate::transactions`]): an MBG/NBD world (Batislam,
//! Denizel & Filiztekin 2007) with Gamma-Gamma order values (Fader & Hardie
//! 2013), time in days:
//!
//! | quantity | truth |
//! |---|---|
//! | acquisition (first order) | over `[start, start + days)`, intensity growing linearly to twice the first day's |
//! | purchase rate λ (orders/day while alive) | gamma(shape r = 0.7, rate α = 25): mean 0.028, one order per ~36 days |
//! | drop-out p (after every order, the first included) | beta(a = 0.9, b = 3): mean 0.23 |
//! | customer spend rate ν | gamma(shape q = 5, rate γ = 64) |
//! | order value | gamma(shape p = 3, rate ν), rounded to cents, at least 0.01; mean pγ/(q − 1) = 48 |
//!
//! So the MBG/NBD parameters in days are (r, α, a, b) = (0.7, 25, 0.9, 3) and
//! the Gamma-Gamma parameters (p, q, γ) = (3, 5, 64). A customer's expected
//! order value is pγ/(q − 1) = 3 · 64 / 4 = 48 over customers (the mean of
//! p/ν with 1/ν inverse-gamma); order values vary within a customer with
//! coefficient of variation 1/√p ≈ 0.58, and customers' means vary with
//! coefficient of variation 1/√(q − 2) ≈ 0.58.
//!
//! The first order is on the acquisition day; repeat orders follow
//! exponential gaps with rate λ until the customer drops out; history is
//! censored at the end of the last day (each customer's age T is the time
//! from acquisition to `days`). Times are floored to days. Rows come in
//! (day, id) order and ids are 1..=C in acquisition order.
//!
//! Fitted to the default shop in days, MBG/NBD recovers a and b and
//! Gamma-Gamma recovers p, q and γ within 3 standard errors, while r and α
//! come out about 10–15 % high: orders are dated to the day, and a customer's
//! orders of one day are one purchase in the BTYD summary, which thins the
//! fastest buyers (`tests/it/simulate.rs`, `demo_shop_fits_recover_its_documented_truth`).
//!
//! The acquisition times come from `seed`'s xoshiro256++ stream
//! (`seed_from_u64`); the simulator is seeded with the next 64 bits of that
//! stream. The samplers call `ln`, `exp` and `powf`, which come from the C
//! library natively and from Rust's port of musl's math library in wasm; the
//! last bits of a few draws may differ, but the log keeps only days and cents,
//! which such a difference changes only if it crosses a day, a half cent or a
//! rejection step. The wasm package's tests check that the default shop is the
//! same log in both (a checksum of every row, against the native build's in
//! `bindings/wasm/examples/expected.rs`).

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use crate::error::{invalid_arg, Result};
use crate::log::TransactionLog;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::models::mbg_nbd::MbgNbdParams;
use crate::models::repeat::RepeatParams;
use crate::models::simulate::transactions;
use crate::period::check_day;

/// What to simulate.
///
/// # Examples
/// ```
/// use retentionkit::demo::{shop, DemoOptions};
/// let small = shop(&DemoOptions { customers: 100, ..DemoOptions::default() })?;
/// assert_eq!(*small.ids.iter().max().unwrap(), 100); // ids 1..=100 in acquisition order
/// assert!(shop(&DemoOptions { customers: 0, ..DemoOptions::default() }).is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DemoOptions {
    /// Random seed.
    pub seed: u64,
    /// Number of customers.
    pub customers: u32,
    /// First day of the shop (days since 1970-01-01).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub start: i32,
    /// Days simulated.
    pub days: u32,
}

impl Default for DemoOptions {
    /// 20,000 customers over 2021-01-01..=2023-12-31 (1,095 days), seed 42.
    fn default() -> Self {
        DemoOptions {
            seed: 42,
            customers: 20_000,
            start: 18_628,
            days: 1_095,
        }
    }
}

/// The simulated columns (owned), ready for [`TransactionLog::new`].
///
/// # Examples
/// ```
/// use retentionkit::demo::{shop, DemoOptions};
/// let a = shop(&DemoOptions { customers: 50, ..DemoOptions::default() })?;
/// let b = shop(&DemoOptions { customers: 50, ..DemoOptions::default() })?;
/// assert_eq!(a, b); // seeded: the same shop every time
/// assert!(a.days.windows(2).all(|w| w[0] <= w[1])); // in date order
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DemoLog {
    /// Customer ids, 1..=C in acquisition order.
    pub ids: Vec<u64>,
    /// Order days, ascending.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_days"))]
    pub days: Vec<i32>,
    /// Order amounts.
    pub amounts: Vec<f64>,
}

impl DemoLog {
    /// Borrow the columns as a validated log.
    ///
    /// # Errors
    /// Never for a simulated shop with at least one customer; [`crate::Error::Empty`] otherwise.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::demo::{shop, DemoOptions};
    /// let orders = shop(&DemoOptions { customers: 50, ..DemoOptions::default() })?;
    /// assert_eq!(orders.log()?.num_customers(), 50);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log(&self) -> Result<TransactionLog<'_>> {
        TransactionLog::new(&self.ids, &self.days, Some(&self.amounts))
    }
}

/// Simulate a shop.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] for zero customers or days, or a period
/// outside the supported dates.
///
/// # Examples
/// ```
/// use retentionkit::demo::{shop, DemoOptions};
/// let demo = shop(&DemoOptions { customers: 1_000, ..DemoOptions::default() })?;
/// let log = demo.log()?;
/// assert_eq!(log.num_customers(), 1_000);
/// assert!(log.len() > 2_000); // about 4 orders per customer
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn shop(options: &DemoOptions) -> Result<DemoLog> {
    if options.customers == 0 {
        return Err(invalid_arg("customers", "must be at least 1"));
    }
    if options.days == 0 {
        return Err(invalid_arg("days", "must be at least 1"));
    }
    let last = i64::from(options.start) + i64::from(options.days) - 1;
    check_day(options.start, "start")?;
    check_day(i32::try_from(last).unwrap_or(i32::MAX), "days")?;
    let span = f64::from(options.days);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
    // Density ∝ 1 + t/D on [0, D): inverse CDF D(√(1 + 3u) − 1). Sorted, so
    // customer i (id i + 1) is the i-th acquired.
    let mut births: Vec<f64> = (0..options.customers)
        .map(|_| span * ((1.0 + 3.0 * rng.random::<f64>()).sqrt() - 1.0))
        .collect();
    births.sort_by(f64::total_cmp);
    let ages: Vec<f64> = births.iter().map(|b| span - b).collect();
    let sim = transactions(
        &RepeatParams::MbgNbd(MbgNbdParams::new(TRUTH_R, TRUTH_ALPHA, TRUTH_A, TRUTH_B)?),
        &births,
        &ages,
        Some(&GammaGammaParams::new(TRUTH_P, TRUTH_Q, TRUTH_GAMMA)?),
        rng.random::<u64>(),
    )?;
    let values = sim.value.as_deref().unwrap_or(&[]);
    let mut rows: Vec<(i32, u64, f64)> = Vec::with_capacity(sim.time.len());
    for (id, w) in (1u64..).zip(sim.offsets.windows(2)) {
        for k in w[0]..w[1] {
            let (Some(&t), Some(&v)) = (sim.time.get(k), values.get(k)) else {
                continue;
            };
            let day = options.start + day_offset(t, options.days);
            rows.push((day, id, (v * 100.0).round().max(1.0) / 100.0));
        }
    }
    // Stable: a customer's orders of one day stay in time order.
    rows.sort_by_key(|r| (r.0, r.1));
    Ok(DemoLog {
        ids: rows.iter().map(|r| r.1).collect(),
        days: rows.iter().map(|r| r.0).collect(),
        amounts: rows.iter().map(|r| r.2).collect(),
    })
}

/// The demo shop's MBG/NBD purchase-rate shape r (time in days).
const TRUTH_R: f64 = 0.7;
/// The demo shop's MBG/NBD purchase-rate rate α (days).
const TRUTH_ALPHA: f64 = 25.0;
/// The demo shop's MBG/NBD drop-out beta a.
const TRUTH_A: f64 = 0.9;
/// The demo shop's MBG/NBD drop-out beta b.
const TRUTH_B: f64 = 3.0;
/// The demo shop's Gamma-Gamma order-value shape p.
const TRUTH_P: f64 = 3.0;
/// The demo shop's Gamma-Gamma spend-rate shape q.
const TRUTH_Q: f64 = 5.0;
/// The demo shop's Gamma-Gamma spend-rate rate γ.
const TRUTH_GAMMA: f64 = 64.0;

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: 0 <= t < days, floored
fn day_offset(t: f64, days: u32) -> i32 {
    let d = (t.floor().max(0.0) as u32).min(days - 1);
    i32::try_from(d).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_log_and_sane_shape() {
        let o = DemoOptions {
            customers: 5_000,
            ..DemoOptions::default()
        };
        let a = shop(&o).unwrap();
        assert_eq!(a, shop(&o).unwrap());
        assert_ne!(a, shop(&DemoOptions { seed: 7, ..o }).unwrap());
        let log = a.log().unwrap();
        assert_eq!(log.num_customers(), 5_000);
        assert!(log.first_day() >= o.start && log.last_day() < o.start + 1_095);
        // Truth: orders before dropout ~ Geometric(p), p ~ Beta(0.9, 3), E[1/p] is
        // infinite-tailed but censoring at 3 years keeps the mean near 4-5 orders.
        let per_customer = log.len() as f64 / 5_000.0;
        assert!((3.0..6.0).contains(&per_customer), "{per_customer}");
        assert!(a.amounts.iter().all(|&x| x >= 0.01));
        // Amounts are whole cents.
        assert!(a
            .amounts
            .iter()
            .all(|&x| ((x * 100.0).round() - x * 100.0).abs() < 1e-6));
    }

    #[test]
    fn rows_in_day_then_id_order_and_ids_in_acquisition_order() {
        let o = DemoOptions {
            customers: 3_000,
            days: 400,
            ..DemoOptions::default()
        };
        let a = shop(&o).unwrap();
        assert!(a
            .days
            .iter()
            .zip(&a.ids)
            .zip(a.days.iter().zip(&a.ids).skip(1))
            .all(|(x, y)| x <= y));
        // A customer's first order is its acquisition day, so the first day of
        // id i + 1 is never before that of id i.
        let mut first = vec![i32::MAX; 3_001];
        for (&id, &day) in a.ids.iter().zip(&a.days) {
            let f = &mut first[usize::try_from(id).unwrap()];
            *f = (*f).min(day);
        }
        assert_eq!(first[0], i32::MAX);
        assert!(first[1..]
            .windows(2)
            .all(|w| w[0] <= w[1] && w[1] < o.start + 400));
    }

    #[test]
    fn bad_options_are_errors() {
        for o in [
            DemoOptions {
                customers: 0,
                ..DemoOptions::default()
            },
            DemoOptions {
                days: 0,
                ..DemoOptions::default()
            },
            DemoOptions {
                start: i32::MAX - 10,
                ..DemoOptions::default()
            },
        ] {
            assert!(
                matches!(shop(&o), Err(crate::Error::InvalidArgument { .. })),
                "{o:?}"
            );
        }
    }
}
