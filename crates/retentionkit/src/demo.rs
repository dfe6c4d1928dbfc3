//! A seeded simulated shop: the built-in demo data, with a known truth.
//!
//! The simulation is the modified BG/NBD story (Batislam, Denizel & Filiztekin
//! 2007), the same as the peer benchmark's generator:
//!
//! | quantity | truth |
//! |---|---|
//! | acquisition day | over `[start, start + days)`, intensity growing linearly to twice the first day's |
//! | purchase rate λ (orders/day while alive) | Gamma(shape 0.7, scale 1/25): mean 0.028, one order per ~36 days |
//! | dropout p (after every order, the first included) | Beta(0.9, 3): mean 0.23, so ~4.3 orders per customer before censoring |
//! | spend level μ | Normal(3.6, 0.5); each order costs exp(μ + 0.6 z), z ~ N(0, 1), rounded to cents, at least 0.01 |
//!
//! The first order is on the acquisition day; a repeat order follows an
//! exponential gap with rate λ unless the customer dropped out; history is
//! censored at the last day. Rows come in (day, id) order and ids are
//! 1..=C in acquisition order. The same seed gives the same log on every platform
//! (own xoshiro256** generator, no floating-point library calls beyond `ln`,
//! `exp`, `sqrt`, `cos`).

use crate::error::{invalid_arg, Result};
use crate::log::TransactionLog;
use crate::period::check_day;

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DemoOptions {
    /// Random seed.
    pub seed: u64,
    /// Number of customers.
    pub customers: u32,
    /// First day of the shop (days since 1970-01-01).
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
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DemoLog {
    /// Customer ids, 1..=C in acquisition order.
    pub ids: Vec<u64>,
    /// Order days, ascending.
    pub days: Vec<i32>,
    /// Order amounts.
    pub amounts: Vec<f64>,
}

impl DemoLog {
    /// Borrow the columns as a validated log.
    ///
    /// # Errors
    /// Never for a simulated shop with at least one customer; [`crate::Error::Empty`] otherwise.
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
    let mut rng = Rng::new(options.seed);
    let mut rows: Vec<(i32, u32, f64)> = Vec::new();
    let mut acquired: Vec<(f64, u32)> = Vec::with_capacity(options.customers as usize);
    for c in 0..options.customers {
        // Density ∝ 1 + t/D on [0, D): inverse CDF D(√(1 + 3u) − 1).
        let acq = span * ((1.0 + 3.0 * rng.uniform()).sqrt() - 1.0);
        let rate = rng.gamma(0.7) / 25.0;
        let p = rng.beta(0.9, 3.0);
        let mu = 3.6 + 0.5 * rng.normal();
        acquired.push((acq, c));
        let mut t = acq;
        loop {
            let day = options.start + day_offset(t, options.days);
            let amount = ((mu + 0.6 * rng.normal()).exp() * 100.0).round().max(1.0) / 100.0;
            rows.push((day, c, amount));
            if rng.uniform() < p {
                break;
            }
            t += rng.exponential() / rate;
            if t >= span {
                break;
            }
        }
    }
    // Ids in acquisition order.
    acquired.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut id_of = vec![0u64; acquired.len()];
    for (rank, &(_, c)) in acquired.iter().enumerate() {
        id_of[c as usize] = rank as u64 + 1;
    }
    rows.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(id_of[a.1 as usize].cmp(&id_of[b.1 as usize]))
    });
    Ok(DemoLog {
        ids: rows.iter().map(|r| id_of[r.1 as usize]).collect(),
        days: rows.iter().map(|r| r.0).collect(),
        amounts: rows.iter().map(|r| r.2).collect(),
    })
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: 0 <= t < days, floored
fn day_offset(t: f64, days: u32) -> i32 {
    let d = (t.floor().max(0.0) as u32).min(days - 1);
    i32::try_from(d).unwrap_or(i32::MAX)
}

/// xoshiro256** (Blackman & Vigna), seeded through splitmix64.
struct Rng([u64; 4]);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let out = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn exponential(&mut self) -> f64 {
        -(1.0 - self.uniform()).ln()
    }

    /// Standard normal by Box–Muller.
    fn normal(&mut self) -> f64 {
        let (u, v) = (1.0 - self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma(shape, 1): Marsaglia & Tsang (2000); shape < 1 by the u^(1/shape) boost.
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = 1.0 - self.uniform();
            return self.gamma(shape + 1.0) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = 1.0 - self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        x / (x + y)
    }
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
    }

    #[test]
    fn samplers_have_their_textbook_means() {
        let mut r = Rng::new(1);
        let n = 200_000;
        let mean = |f: &mut dyn FnMut() -> f64| (0..n).map(|_| f()).sum::<f64>() / f64::from(n);
        // Gamma(0.7, 1): mean 0.7; Beta(0.9, 3): mean 0.9 / 3.9; Exp(1): 1; N(0, 1): 0.
        assert!((mean(&mut || r.gamma(0.7)) - 0.7).abs() < 0.01);
        assert!((mean(&mut || r.beta(0.9, 3.0)) - 0.9 / 3.9).abs() < 0.005);
        assert!((mean(&mut || r.exponential()) - 1.0).abs() < 0.01);
        assert!(mean(&mut || r.normal()).abs() < 0.01);
    }
}
