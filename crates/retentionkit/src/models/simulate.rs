//! Seeded simulators of the retention models (feature `simulate`): data
//! drawn from known parameters (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, sBG, Gamma-Gamma), to check that the fits recover them and to
//! make test data with a known truth.
//!
//! The random stream is xoshiro256++ seeded with `seed`
//! (`rand::rngs::Xoshiro256PlusPlus::seed_from_u64`), so a seed gives the same
//! data on every platform and release of this crate's dependencies that keep
//! that generator.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution, Exp, Gamma};

use crate::error::{invalid_arg, Result};
use crate::models::bg_bb::BgBbParams;
use crate::models::bg_nbd::BgNbdParams;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::models::mbg_nbd::MbgNbdParams;
use crate::models::pareto_nbd::ParetoNbdParams;
use crate::models::sbg::SbgParams;

/// Simulated (x, t_x, T) per customer.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedRepeat {
    /// Repeat purchases x.
    pub frequency: Vec<u32>,
    /// Time of the last purchase t_x (0 without repeat purchases).
    pub recency: Vec<f64>,
    /// Age T: the observation time of each customer.
    pub age: Vec<f64>,
}

fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

fn gamma(shape: f64, scale: f64) -> Result<Gamma<f64>> {
    Gamma::new(shape, scale)
        .map_err(|e| invalid_arg("params", format!("gamma({shape}, {scale}): {e}")))
}

fn beta(a: f64, b: f64) -> Result<Beta<f64>> {
    Beta::new(a, b).map_err(|e| invalid_arg("params", format!("beta({a}, {b}): {e}")))
}

fn check_ages(ages: &[f64]) -> Result<()> {
    if let Some(i) = ages.iter().position(|t| !(t.is_finite() && *t >= 0.0)) {
        return Err(invalid_arg(
            "ages",
            format!(
                "age {} at index {i} must be finite and non-negative",
                ages[i]
            ),
        ));
    }
    Ok(())
}

/// Customers of a BG/NBD world observed for `ages[i]` time units each: a
/// purchase rate λ ~ gamma(r, scale 1/α) and a drop-out probability p ~
/// beta(a, b) per customer; purchases at Poisson(λ) times; after each
/// purchase the customer drops out with probability p (Fader, Hardie & Lee
/// 2005, section 2).
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an age that
/// is not finite and non-negative.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, simulate};
/// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let sim = simulate::bg_nbd(&p, &[39.0; 1000], 7)?;
/// assert_eq!(sim, simulate::bg_nbd(&p, &[39.0; 1000], 7)?); // same seed, same data
/// assert!(sim.recency.iter().zip(&sim.age).all(|(tx, t)| tx <= t));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn bg_nbd(params: &BgNbdParams, ages: &[f64], seed: u64) -> Result<SimulatedRepeat> {
    let BgNbdParams { r, alpha, a, b } = *params;
    repeat_buying(r, alpha, a, b, false, ages, seed)
}

/// Customers of an MBG/NBD world: as [`bg_nbd`], except that a customer may
/// also drop out at the first purchase, with the same probability p
/// (Batislam, Denizel & Filiztekin 2007).
///
/// # Errors
/// As [`bg_nbd`].
///
/// # Examples
/// ```
/// use retentionkit::models::{mbg_nbd::MbgNbdParams, simulate};
/// let p = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614)?;
/// let sim = simulate::mbg_nbd(&p, &[39.0; 500], 3)?;
/// assert_eq!(sim.frequency.len(), 500);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn mbg_nbd(params: &MbgNbdParams, ages: &[f64], seed: u64) -> Result<SimulatedRepeat> {
    let MbgNbdParams { r, alpha, a, b } = *params;
    repeat_buying(r, alpha, a, b, true, ages, seed)
}

/// Customers of a Pareto/NBD world: a purchase rate λ ~ gamma(r, scale
/// 1/α) and a death rate μ ~ gamma(s, scale 1/β) per customer; purchases at
/// Poisson(λ) times until an exponential(μ) lifetime ends (Schmittlein,
/// Morrison & Colombo 1987).
///
/// # Errors
/// As [`bg_nbd`].
///
/// # Examples
/// ```
/// use retentionkit::models::{pareto_nbd::ParetoNbdParams, simulate};
/// let p = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669)?;
/// let sim = simulate::pareto_nbd(&p, &[39.0; 500], 3)?;
/// assert!(sim.recency.iter().zip(&sim.age).all(|(tx, t)| tx <= t));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn pareto_nbd(params: &ParetoNbdParams, ages: &[f64], seed: u64) -> Result<SimulatedRepeat> {
    check_ages(ages)?;
    let mut r = rng(seed);
    let rate = gamma(params.r, 1.0 / params.alpha)?;
    let death = gamma(params.s, 1.0 / params.beta)?;
    let mut out = SimulatedRepeat {
        frequency: Vec::with_capacity(ages.len()),
        recency: Vec::with_capacity(ages.len()),
        age: ages.to_vec(),
    };
    for &t_end in ages {
        let lambda: f64 = rate.sample(&mut r);
        let mu: f64 = death.sample(&mut r);
        let life = if mu > 0.0 {
            Exp::new(mu)
                .map_err(|e| invalid_arg("params", format!("exp({mu}): {e}")))?
                .sample(&mut r)
        } else {
            f64::INFINITY
        };
        let end = t_end.min(life);
        let (mut x, mut t_x, mut t) = (0u32, 0.0, 0.0);
        if lambda > 0.0 {
            let gap = Exp::new(lambda)
                .map_err(|e| invalid_arg("params", format!("exp({lambda}): {e}")))?;
            loop {
                t += gap.sample(&mut r);
                if t > end {
                    break;
                }
                x += 1;
                t_x = t;
            }
        }
        out.frequency.push(x);
        out.recency.push(t_x);
    }
    Ok(out)
}

/// BG/NBD (and, with `drop_at_start`, MBG/NBD) histories.
#[allow(clippy::too_many_arguments)] // the four parameters, the variant and the data
fn repeat_buying(
    r_shape: f64,
    alpha: f64,
    a: f64,
    b: f64,
    drop_at_start: bool,
    ages: &[f64],
    seed: u64,
) -> Result<SimulatedRepeat> {
    check_ages(ages)?;
    let mut r = rng(seed);
    let rate = gamma(r_shape, 1.0 / alpha)?;
    let drop = beta(a, b)?;
    let mut out = SimulatedRepeat {
        frequency: Vec::with_capacity(ages.len()),
        recency: Vec::with_capacity(ages.len()),
        age: ages.to_vec(),
    };
    for &t_end in ages {
        let lambda: f64 = rate.sample(&mut r);
        let p: f64 = drop.sample(&mut r);
        let (mut x, mut t_x, mut t) = (0u32, 0.0, 0.0);
        let alive = !(drop_at_start && r.random::<f64>() < p);
        if alive && lambda > 0.0 {
            let gap = Exp::new(lambda)
                .map_err(|e| invalid_arg("params", format!("exp({lambda}): {e}")))?;
            loop {
                t += gap.sample(&mut r);
                if t > t_end {
                    break;
                }
                x += 1;
                t_x = t;
                if r.random::<f64>() < p {
                    break;
                }
            }
        }
        out.frequency.push(x);
        out.recency.push(t_x);
    }
    Ok(out)
}

/// Histories of a BG/BB world with `opportunities` transaction
/// opportunities each: p ~ beta(α, β) and θ ~ beta(γ, δ) per customer; at
/// each opportunity a living customer first dies with probability θ, then
/// transacts with probability p (Fader, Hardie & Shang 2010, section 2).
/// Returns (x, t_x) per customer.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) only if a beta
/// distribution cannot be built.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_bb::BgBbParams, simulate};
/// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
/// let (x, t_x) = simulate::bg_bb(&p, 1000, 6, 9)?;
/// assert!(x.iter().zip(&t_x).all(|(x, t)| x <= t && *t <= 6));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn bg_bb(
    params: &BgBbParams,
    customers: usize,
    opportunities: u32,
    seed: u64,
) -> Result<(Vec<u32>, Vec<u32>)> {
    let mut r = rng(seed);
    let buy = beta(params.alpha, params.beta)?;
    let die = beta(params.gamma, params.delta)?;
    let (mut xs, mut txs) = (Vec::with_capacity(customers), Vec::with_capacity(customers));
    for _ in 0..customers {
        let (p, theta): (f64, f64) = (buy.sample(&mut r), die.sample(&mut r));
        let (mut x, mut t_x) = (0u32, 0u32);
        for i in 1..=opportunities {
            if r.random::<f64>() < theta {
                break;
            }
            if r.random::<f64>() < p {
                x += 1;
                t_x = i;
            }
        }
        xs.push(x);
        txs.push(t_x);
    }
    Ok((xs, txs))
}

/// Survivors at the start of periods 0..=`periods` of a cohort of
/// `customers` in an sBG world: each customer's churn probability θ ~
/// beta(α, β), then a geometric lifetime (Fader & Hardie 2007, section 2).
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) only if the
/// beta distribution cannot be built (parameters are checked by
/// [`SbgParams::new`]).
///
/// # Examples
/// ```
/// use retentionkit::models::{sbg::SbgParams, simulate};
/// let s = simulate::sbg(&SbgParams::new(0.704, 1.182)?, 1000, 7, 1)?;
/// assert_eq!((s.len(), s[0]), (8, 1000));
/// assert!(s.windows(2).all(|w| w[1] <= w[0]));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn sbg(params: &SbgParams, customers: u64, periods: u32, seed: u64) -> Result<Vec<u64>> {
    let mut r = rng(seed);
    let churn = beta(params.alpha, params.beta)?;
    let mut survivors = vec![0u64; periods as usize + 1];
    for _ in 0..customers {
        let theta: f64 = churn.sample(&mut r);
        survivors[0] += 1;
        for s in survivors.iter_mut().skip(1) {
            if r.random::<f64>() < theta {
                break;
            }
            *s += 1;
        }
    }
    Ok(survivors)
}

/// Mean transaction values of customers with `frequency[i]` ≥ 1 repeat
/// transactions in a Gamma-Gamma world: ν ~ gamma(q, rate γ) per customer,
/// then each transaction ~ gamma(p, rate ν) (Fader & Hardie 2013).
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a frequency
/// of 0 (no transaction to average).
///
/// # Examples
/// ```
/// use retentionkit::models::{gamma_gamma::GammaGammaParams, simulate};
/// let gg = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// let m = simulate::gamma_gamma(&gg, &[1, 3, 10], 5)?;
/// assert!(m.iter().all(|v| *v > 0.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn gamma_gamma(params: &GammaGammaParams, frequency: &[u32], seed: u64) -> Result<Vec<f64>> {
    if let Some(i) = frequency.iter().position(|&x| x == 0) {
        return Err(invalid_arg(
            "frequency",
            format!("index {i}: a mean value needs at least one transaction"),
        ));
    }
    let mut r = rng(seed);
    let scale = gamma(params.q, 1.0 / params.gamma)?;
    let mut out = Vec::with_capacity(frequency.len());
    for &x in frequency {
        let nu: f64 = scale.sample(&mut r);
        let value = gamma(params.p, 1.0 / nu)?;
        let sum: f64 = (0..x).map(|_| value.sample(&mut r)).sum();
        out.push(sum / f64::from(x));
    }
    Ok(out)
}
