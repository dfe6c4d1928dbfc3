//! Seeded simulators of the retention models (feature `simulate`): data
//! drawn from known parameters (BG/NBD, MBG/NBD, Pareto/NBD, BG/CNBD-k,
//! MBG/CNBD-k ([`cnbd_transactions`], [`cnbd`]), BG/BB, sBG,
//! Gamma-Gamma), to check that the fits recover them and to make test data
//! with a known truth.
//!
//! [`transactions`] draws whole purchase histories (each transaction's time
//! and, optionally, value); [`bg_nbd`], [`mbg_nbd`] and [`pareto_nbd`] are
//! those histories summarised to (x, t_x, T), and the built-in demo shop
//! ([`crate::demo`]) is drawn by [`transactions`] too.
//!
//! The random stream is xoshiro256++ seeded with `seed`
//! (`rand::rngs::Xoshiro256PlusPlus::seed_from_u64`), so a seed gives the same
//! draws in every build that keeps that generator and `rand_distr`'s samplers,
//! up to the last bits of the math library's `ln`, `exp` and `powf` (the
//! platform's C library natively, Rust's own in wasm), which the samplers use.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution, Exp, Gamma};

use crate::error::{invalid_arg, Error, Result};
use crate::models::bg_bb::BgBbParams;
use crate::models::bg_nbd::BgNbdParams;
use crate::models::cnbd::{CnbdKind, CnbdParams};
use crate::models::gamma_gamma::GammaGammaParams;
use crate::models::mbg_nbd::MbgNbdParams;
use crate::models::pareto_nbd::ParetoNbdParams;
use crate::models::repeat::RepeatParams;
use crate::models::sbg::SbgParams;

/// Simulated (x, t_x, T) per customer.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, simulate};
/// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?; // FHL 2005, CDNOW (weeks)
/// let sim = simulate::bg_nbd(&p, &[39.0; 500], 7)?;
/// assert_eq!(sim.frequency.len(), 500);
/// assert!(sim.recency.iter().zip(&sim.age).all(|(tx, t)| tx <= t));
/// # Ok::<(), retentionkit::Error>(())
/// ```
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
/// This is [`transactions`] with [`RepeatParams::BgNbd`], births at 0 and no
/// spend, summarised by [`SimulatedTransactions::summary`]: the same seed
/// gives the same histories through both.
///
/// # Errors
/// [`Error::InvalidArgument`] for an age that
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
    summary_of(RepeatParams::BgNbd(*params), ages, seed)
}

/// Customers of an MBG/NBD world: as [`bg_nbd`], except that a customer may
/// also drop out at the first purchase, with the same probability p
/// (Batislam, Denizel & Filiztekin 2007).
///
/// This is [`transactions`] with [`RepeatParams::MbgNbd`], summarised.
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
    summary_of(RepeatParams::MbgNbd(*params), ages, seed)
}

/// Customers of a Pareto/NBD world: a purchase rate λ ~ gamma(r, scale
/// 1/α) and a death rate μ ~ gamma(s, scale 1/β) per customer; purchases at
/// Poisson(λ) times until an exponential(μ) lifetime ends (Schmittlein,
/// Morrison & Colombo 1987).
///
/// This is [`transactions`] with [`RepeatParams::ParetoNbd`], summarised.
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
    summary_of(RepeatParams::ParetoNbd(*params), ages, seed)
}

/// Customers of the world of any repeat-purchase model's parameters: the
/// [`bg_nbd`], [`mbg_nbd`] or [`pareto_nbd`] simulator, as `params` names
/// it (for front-ends that hold a [`RepeatParams`]).
///
/// # Errors
/// As [`bg_nbd`].
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, repeat::RepeatParams, simulate};
/// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let one = simulate::repeat(&RepeatParams::BgNbd(p), &[39.0; 100], 7)?;
/// assert_eq!(one, simulate::bg_nbd(&p, &[39.0; 100], 7)?);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn repeat(params: &RepeatParams, ages: &[f64], seed: u64) -> Result<SimulatedRepeat> {
    match params {
        RepeatParams::BgNbd(p) => bg_nbd(p, ages, seed),
        RepeatParams::MbgNbd(p) => mbg_nbd(p, ages, seed),
        RepeatParams::ParetoNbd(p) => pareto_nbd(p, ages, seed),
    }
}

fn summary_of(model: RepeatParams, ages: &[f64], seed: u64) -> Result<SimulatedRepeat> {
    let births = vec![0.0; ages.len()];
    Ok(transactions(&model, &births, ages, None, seed)?.summary())
}

/// Customers of a world with time-invariant covariates: customer i is
/// drawn from the model's population parameters `base` moved by its
/// linear predictors `purchase[i]` = γ_Pᵀ z_i^P and `dropout[i]` =
/// γ_Dᵀ z_i^D ([`crate::models::covariates::customer_params`], the
/// parametrisation of Fader & Hardie 2007 as in CLVTools), then as
/// [`repeat`] for one customer of age `ages[i]`. Customer i's draws are
/// seeded with the i-th output of the splitmix64 sequence started at `seed`
/// (Steele, Lea & Flood 2014), so a customer's history does not depend on
/// the others'.
///
/// # Errors
/// [`Error::LengthMismatch`] unless the three columns have one length; as
/// [`bg_nbd`] for a bad age; [`Error::InvalidArgument`] when a customer's
/// parameters overflow.
///
/// # Examples
/// ```
/// use retentionkit::models::{covariates::customer_params, pareto_nbd::ParetoNbdParams, simulate};
/// let base = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669)?;
/// // Customer 1 buys e^1 times as often, customer 0 is at the population parameters.
/// let sim = simulate::covariates(&base, &[0.0, 1.0], &[0.0, 0.0], &[39.0, 39.0], 5)?;
/// let alone = simulate::pareto_nbd(&customer_params(&base, 1.0, 0.0)?, &[39.0], simulate::customer_seed(5, 1))?;
/// assert_eq!(sim.frequency[1], alone.frequency[0]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn covariates<P>(
    base: &P,
    purchase: &[f64],
    dropout: &[f64],
    ages: &[f64],
    seed: u64,
) -> Result<SimulatedRepeat>
where
    P: crate::models::covariates::CovariateModel + Into<RepeatParams>,
{
    for (column, len) in [("purchase", purchase.len()), ("dropout", dropout.len())] {
        if len != ages.len() {
            return Err(Error::LengthMismatch {
                column,
                expected: ages.len(),
                got: len,
            });
        }
    }
    check_ages(ages)?;
    let mut out = SimulatedRepeat {
        frequency: Vec::with_capacity(ages.len()),
        recency: Vec::with_capacity(ages.len()),
        age: Vec::with_capacity(ages.len()),
    };
    for (i, &age) in ages.iter().enumerate() {
        let own = crate::models::covariates::customer_params(base, purchase[i], dropout[i])?;
        let one = summary_of(own.into(), &[age], customer_seed(seed, i as u64))?;
        out.frequency.extend(one.frequency);
        out.recency.extend(one.recency);
        out.age.extend(one.age);
    }
    Ok(out)
}

/// The seed of customer `i` in [`covariates`]: the (i + 1)-th output of
/// splitmix64 started at `seed` (Steele, Lea & Flood 2014, "Fast
/// Splittable Pseudorandom Number Generators", OOPSLA; the constants of
/// their figure 16).
///
/// # Examples
/// ```
/// use retentionkit::models::simulate::customer_seed;
/// // splitmix64's first output from state 0 (the reference sequence).
/// assert_eq!(customer_seed(0, 0), 0xE220_A839_7B1D_CDAF);
/// ```
pub fn customer_seed(seed: u64, i: u64) -> u64 {
    let mut z = seed.wrapping_add(i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The former name of [`RepeatParams`] here: [`transactions`] draws from
/// the model whose parameters it is given, and `RepeatModel` is the shared
/// model trait ([`crate::models::repeat::RepeatModel`]).
#[deprecated(
    since = "0.1.0",
    note = "use `models::repeat::RepeatParams`, the same variants"
)]
pub type RepeatModel = RepeatParams;

/// Simulated purchase histories, transaction by transaction, customer by
/// customer (see [`transactions`]).
///
/// # Examples
/// ```
/// use retentionkit::models::{mbg_nbd::MbgNbdParams, repeat::RepeatParams, simulate};
/// let model = RepeatParams::MbgNbd(MbgNbdParams::new(0.7, 25.0, 0.9, 3.0)?);
/// let sim = simulate::transactions(&model, &[0.0, 10.0], &[39.0, 20.0], None, 3)?;
/// // Each customer's first transaction is its birth.
/// assert_eq!((sim.time[sim.offsets[0]], sim.time[sim.offsets[1]]), (0.0, 10.0));
/// assert_eq!(*sim.offsets.last().unwrap(), sim.time.len());
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedTransactions {
    /// Birth (first purchase) time of each customer, as given.
    pub birth: Vec<f64>,
    /// Age T of each customer (observed from birth to birth + T), as given.
    pub age: Vec<f64>,
    /// Customer `i`'s transactions are `offsets[i]..offsets[i + 1]` of
    /// `time` and `value`; `customers + 1` entries, the first 0.
    pub offsets: Vec<usize>,
    /// Time of each transaction: the customer's birth, then birth + t for
    /// each repeat purchase at time t ∈ (0, T] since birth, ascending.
    pub time: Vec<f64>,
    /// Value of each transaction (the Gamma-Gamma spend model), when one was
    /// given.
    pub value: Option<Vec<f64>>,
}

impl SimulatedTransactions {
    /// Number of customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{mbg_nbd::MbgNbdParams, repeat::RepeatParams, simulate};
    /// let model = RepeatParams::MbgNbd(MbgNbdParams::new(0.7, 25.0, 0.9, 3.0)?);
    /// assert_eq!(simulate::transactions(&model, &[0.0; 4], &[39.0; 4], None, 3)?.customers(), 4);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn customers(&self) -> usize {
        self.birth.len()
    }

    /// The (x, t_x, T) summary of the histories: x = transactions − 1,
    /// t_x = last transaction time − birth (0 without repeat purchases).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{mbg_nbd::MbgNbdParams, repeat::RepeatParams, simulate};
    /// let p = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// let sim = simulate::transactions(&RepeatParams::MbgNbd(p), &[0.0; 300], &[39.0; 300], None, 3)?;
    /// // The summary simulator is these histories, summarised.
    /// assert_eq!(sim.summary(), simulate::mbg_nbd(&p, &[39.0; 300], 3)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn summary(&self) -> SimulatedRepeat {
        let n = self.customers();
        let mut out = SimulatedRepeat {
            frequency: Vec::with_capacity(n),
            recency: Vec::with_capacity(n),
            age: self.age.clone(),
        };
        for (w, &birth) in self.offsets.windows(2).zip(&self.birth) {
            let history = self.time.get(w[0]..w[1]).unwrap_or(&[]);
            let repeats = history.len().saturating_sub(1);
            out.frequency
                .push(u32::try_from(repeats).unwrap_or(u32::MAX));
            out.recency.push(match history.last() {
                Some(&last) if repeats > 0 => last - birth,
                _ => 0.0,
            });
        }
        out
    }
}

/// Purchase histories of customers born (first purchase) at `births[i]` and
/// observed for `ages[i]` time units, drawn from a repeat-buying `model`;
/// with `spend`, each transaction's value from the Gamma-Gamma model: ν ~
/// gamma(q, rate γ) per customer, each transaction (the first included) ~
/// gamma(p, rate ν) (Fader & Hardie 2013).
///
/// Per customer, in this order: the purchase rate λ ~ gamma(r, scale 1/α),
/// then p ~ beta(a, b) (BG/NBD, MBG/NBD) or μ ~ gamma(s, scale 1/β)
/// (Pareto/NBD) and, for Pareto/NBD, the lifetime; then the history: the
/// first purchase at time 0, exponential(λ) gaps until the age is passed or
/// the customer drops out (MBG/NBD: with probability p after every purchase;
/// BG/NBD: after every repeat purchase; Pareto/NBD: at the end of the
/// lifetime). The values come from a second stream seeded from the first
/// before any customer, so the histories are the same with and without
/// `spend`. [`bg_nbd`], [`mbg_nbd`] and [`pareto_nbd`] are this function
/// with births at 0 and no spend, summarised.
///
/// # Errors
/// [`Error::LengthMismatch`] when `births` and
/// `ages` differ in length;
/// [`Error::InvalidArgument`] for a birth that
/// is not finite or an age that is not finite and non-negative, or when a
/// customer's spend distribution cannot be built (ν drawn as 0, only with
/// extreme parameters).
///
/// # Examples
/// ```
/// use retentionkit::models::gamma_gamma::GammaGammaParams;
/// use retentionkit::models::mbg_nbd::MbgNbdParams;
/// use retentionkit::models::{repeat::RepeatParams, simulate::transactions};
/// let model = RepeatParams::MbgNbd(MbgNbdParams::new(0.7, 25.0, 0.9, 3.0)?);
/// let spend = GammaGammaParams::new(3.0, 5.0, 64.0)?;
/// let sim = transactions(&model, &[0.0, 10.5], &[100.0, 89.5], Some(&spend), 1)?;
/// assert_eq!(sim.offsets.first(), Some(&0));
/// assert_eq!(sim.offsets.last(), Some(&sim.time.len()));
/// // Each history starts at its customer's birth and stays within its age.
/// assert_eq!(sim.time[sim.offsets[1]], 10.5);
/// assert!(sim.time.iter().all(|&t| t <= 100.0));
/// assert!(sim.value.unwrap().iter().all(|&v| v > 0.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn transactions(
    model: &RepeatParams,
    births: &[f64],
    ages: &[f64],
    spend: Option<&GammaGammaParams>,
    seed: u64,
) -> Result<SimulatedTransactions> {
    if births.len() != ages.len() {
        return Err(Error::LengthMismatch {
            column: "births",
            expected: ages.len(),
            got: births.len(),
        });
    }
    if let Some(i) = births.iter().position(|t| !t.is_finite()) {
        return Err(invalid_arg(
            "births",
            format!("birth {} at index {i} must be finite", births[i]),
        ));
    }
    check_ages(ages)?;
    let mut r = rng(seed);
    let mut value_rng = Xoshiro256PlusPlus::from_rng(&mut r);
    let (rate, drop) = match model {
        RepeatParams::BgNbd(BgNbdParams { r, alpha, a, b })
        | RepeatParams::MbgNbd(MbgNbdParams { r, alpha, a, b }) => {
            (gamma(*r, 1.0 / alpha)?, Dropout::Beta(beta(*a, *b)?))
        }
        RepeatParams::ParetoNbd(ParetoNbdParams { r, alpha, s, beta }) => (
            gamma(*r, 1.0 / alpha)?,
            Dropout::Life(gamma(*s, 1.0 / beta)?),
        ),
    };
    let drop_at_start = matches!(model, RepeatParams::MbgNbd(_));
    let value_scale = spend.map(|g| gamma(g.q, 1.0 / g.gamma)).transpose()?;
    let mut out = SimulatedTransactions {
        birth: births.to_vec(),
        age: ages.to_vec(),
        offsets: Vec::with_capacity(ages.len() + 1),
        time: Vec::new(),
        value: spend.map(|_| Vec::new()),
    };
    out.offsets.push(0);
    for (&birth, &t_end) in births.iter().zip(ages) {
        let lambda: f64 = rate.sample(&mut r);
        // The time after which the customer buys no more (drop-out by p is
        // decided purchase by purchase below).
        let (p, end) = match &drop {
            Dropout::Beta(d) => (d.sample(&mut r), t_end),
            Dropout::Life(death) => {
                let mu: f64 = death.sample(&mut r);
                let life = if mu > 0.0 {
                    exponential(mu)?.sample(&mut r)
                } else {
                    f64::INFINITY
                };
                (0.0, t_end.min(life))
            }
        };
        let first = out.time.len();
        out.time.push(birth);
        let alive = !(drop_at_start && r.random::<f64>() < p);
        if alive && lambda > 0.0 {
            let gap = exponential(lambda)?;
            let mut t = 0.0;
            loop {
                t += gap.sample(&mut r);
                if t > end {
                    break;
                }
                out.time.push(birth + t);
                if p > 0.0 && r.random::<f64>() < p {
                    break;
                }
            }
        }
        if let (Some(values), Some(scale), Some(g)) = (&mut out.value, &value_scale, spend) {
            let nu: f64 = scale.sample(&mut value_rng);
            let each = gamma(g.p, 1.0 / nu)?;
            values.extend((first..out.time.len()).map(|_| each.sample(&mut value_rng)));
        }
        out.offsets.push(out.time.len());
    }
    Ok(out)
}

/// How a simulated customer stops buying.
enum Dropout {
    /// With probability p ~ this beta after a purchase.
    Beta(Beta<f64>),
    /// At the end of an exponential lifetime with rate μ ~ this gamma.
    Life(Gamma<f64>),
}

fn exponential(rate: f64) -> Result<Exp<f64>> {
    Exp::new(rate).map_err(|e| invalid_arg("params", format!("exp({rate}): {e}")))
}

/// Histories of a BG/BB world with `opportunities` transaction
/// opportunities each: p ~ beta(α, β) and θ ~ beta(γ, δ) per customer; at
/// each opportunity a living customer first dies with probability θ, then
/// transacts with probability p (Fader, Hardie & Shang 2010, section 2).
/// Returns (x, t_x) per customer.
///
/// # Errors
/// [`Error::InvalidArgument`] only if a beta
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
/// [`Error::InvalidArgument`] only if the
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
/// [`Error::InvalidArgument`] for a frequency
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

#[cfg(test)]
mod tests {
    use super::*;

    fn mbg() -> RepeatParams {
        RepeatParams::MbgNbd(MbgNbdParams::new(0.7, 25.0, 0.9, 3.0).unwrap())
    }

    #[test]
    fn values_do_not_change_the_histories() {
        let births: Vec<f64> = (0..500).map(|i| f64::from(i) * 0.5).collect();
        let ages: Vec<f64> = births.iter().map(|b| 400.0 - b).collect();
        let gg = GammaGammaParams::new(3.0, 5.0, 64.0).unwrap();
        let with = transactions(&mbg(), &births, &ages, Some(&gg), 9).unwrap();
        let without = transactions(&mbg(), &births, &ages, None, 9).unwrap();
        assert_eq!(
            (&with.offsets, &with.time),
            (&without.offsets, &without.time)
        );
        assert_eq!(without.value, None);
        assert_eq!(with.value.as_ref().map(Vec::len), Some(with.time.len()));
        // Every history starts at the birth and is ascending within the age.
        for (i, w) in with.offsets.windows(2).enumerate() {
            let h = &with.time[w[0]..w[1]];
            assert_eq!(h[0], births[i]);
            assert!(h.windows(2).all(|p| p[0] <= p[1]));
            assert!(h.iter().all(|&t| t <= births[i] + ages[i]));
        }
    }

    #[test]
    fn summaries_are_the_histories_summarised() {
        let ages = [52.0; 300];
        let births = [0.0; 300];
        let pareto = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
        let sim = transactions(&RepeatParams::ParetoNbd(pareto), &births, &ages, None, 4).unwrap();
        assert_eq!(sim.summary(), pareto_nbd(&pareto, &ages, 4).unwrap());
        let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        let sim = transactions(&RepeatParams::BgNbd(bg), &births, &ages, None, 5).unwrap();
        let s = sim.summary();
        assert_eq!(s, bg_nbd(&bg, &ages, 5).unwrap());
        // x = transactions − 1, t_x = the last one's time.
        assert_eq!(s.frequency[7] as usize, sim.offsets[8] - sim.offsets[7] - 1);
        assert!(s.frequency.iter().any(|&x| x > 0));
    }

    #[test]
    fn bad_births_and_ages_are_errors() {
        assert!(matches!(
            transactions(&mbg(), &[0.0], &[1.0, 2.0], None, 1),
            Err(Error::LengthMismatch {
                column: "births",
                expected: 2,
                got: 1
            })
        ));
        for (births, ages) in [
            ([f64::NAN], [1.0]),
            ([0.0], [-1.0]),
            ([0.0], [f64::INFINITY]),
        ] {
            assert!(matches!(
                transactions(&mbg(), &births, &ages, None, 1),
                Err(Error::InvalidArgument { .. })
            ));
        }
    }
}

/// Simulated BG/CNBD-k or MBG/CNBD-k customers: (x, t_x, T) and litt, the
/// sum of the logarithms of each customer's inter-purchase times.
///
/// # Examples
/// ```
/// use retentionkit::models::{cnbd::{CnbdKind, CnbdParams}, simulate};
/// let p = CnbdParams::new(CnbdKind::BgCnbd, 3, 0.85, 1.45, 0.79, 2.42)?;
/// let sim = simulate::cnbd(&p, &[52.0; 200], 1)?;
/// assert_eq!(sim.litt.len(), 200);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedRegularity {
    /// Repeat purchases x.
    pub frequency: Vec<u32>,
    /// Time of the last purchase t_x (0 without repeat purchases).
    pub recency: Vec<f64>,
    /// Age T.
    pub age: Vec<f64>,
    /// Σ ln(inter-purchase times) (0 without repeat purchases).
    pub litt: Vec<f64>,
}

/// Purchase histories of a BG/CNBD-k or MBG/CNBD-k world (Platzer &
/// Reutterer 2016; [`crate::models::cnbd`]), customers born at
/// `births[i]` and observed for `ages[i]`: per customer λ ~ gamma(r, scale
/// 1/α), then p ~ beta(a, b); the first purchase at the birth; for
/// MBG/CNBD-k a drop-out with probability p right after it; then gaps ~
/// gamma(k, scale 1/λ) (Erlang-k), each purchase followed by a drop-out with
/// probability p, until the age is passed.
///
/// # Errors
/// As [`transactions`].
///
/// # Examples
/// ```
/// use retentionkit::models::{cnbd::{CnbdKind, CnbdParams}, simulate};
/// let p = CnbdParams::new(CnbdKind::MbgCnbd, 3, 0.85, 1.45, 0.79, 2.42)?;
/// let sim = simulate::cnbd_transactions(&p, &[0.0, 5.0], &[52.0, 40.0], 4)?;
/// assert_eq!(sim.time[sim.offsets[1]], 5.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn cnbd_transactions(
    params: &CnbdParams,
    births: &[f64],
    ages: &[f64],
    seed: u64,
) -> Result<SimulatedTransactions> {
    if births.len() != ages.len() {
        return Err(Error::LengthMismatch {
            column: "births",
            expected: ages.len(),
            got: births.len(),
        });
    }
    if let Some(i) = births.iter().position(|t| !t.is_finite()) {
        return Err(invalid_arg(
            "births",
            format!("birth {} at index {i} must be finite", births[i]),
        ));
    }
    check_ages(ages)?;
    let mut r = rng(seed);
    let rate = gamma(params.r, 1.0 / params.alpha)?;
    let drop = beta(params.a, params.b)?;
    let k = f64::from(params.k);
    let mut out = SimulatedTransactions {
        birth: births.to_vec(),
        age: ages.to_vec(),
        offsets: Vec::with_capacity(ages.len() + 1),
        time: Vec::new(),
        value: None,
    };
    out.offsets.push(0);
    for (&birth, &t_end) in births.iter().zip(ages) {
        let lambda: f64 = rate.sample(&mut r);
        let p: f64 = drop.sample(&mut r);
        out.time.push(birth);
        let alive = !(params.kind == CnbdKind::MbgCnbd && r.random::<f64>() < p);
        if alive && lambda > 0.0 {
            let gap = gamma(k, 1.0 / lambda)?;
            let mut t = 0.0;
            loop {
                t += gap.sample(&mut r);
                if t > t_end {
                    break;
                }
                out.time.push(birth + t);
                if r.random::<f64>() < p {
                    break;
                }
            }
        }
        out.offsets.push(out.time.len());
    }
    Ok(out)
}

/// BG/CNBD-k or MBG/CNBD-k customers born at 0 and observed for `ages[i]`:
/// [`cnbd_transactions`] summarised to (x, t_x, T, litt).
///
/// # Errors
/// As [`cnbd_transactions`].
///
/// # Examples
/// ```
/// use retentionkit::models::{cnbd::{CnbdKind, CnbdParams}, simulate};
/// let p = CnbdParams::new(CnbdKind::BgCnbd, 2, 0.85, 1.45, 0.79, 2.42)?;
/// let sim = simulate::cnbd(&p, &[52.0; 100], 9)?;
/// assert!(sim.frequency.iter().zip(&sim.litt).all(|(&x, &l)| x > 0 || l == 0.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn cnbd(params: &CnbdParams, ages: &[f64], seed: u64) -> Result<SimulatedRegularity> {
    let sim = cnbd_transactions(params, &vec![0.0; ages.len()], ages, seed)?;
    let base = sim.summary();
    let litt = sim
        .offsets
        .windows(2)
        .map(|w| {
            sim.time
                .get(w[0]..w[1])
                .unwrap_or(&[])
                .windows(2)
                .map(|g| (g[1] - g[0]).ln())
                .fold(0.0, |a, b| a + b)
        })
        .collect();
    Ok(SimulatedRegularity {
        frequency: base.frequency,
        recency: base.recency,
        age: base.age,
        litt,
    })
}
