//! Time-invariant covariates in the Pareto/NBD and BG/NBD models, fitted by
//! maximum likelihood.
//!
//! Each customer i has a row z_i of covariates, split into the columns that
//! act on the purchase process (z_i^P) and those that act on the dropout
//! process (z_i^D). The population parameters become the customer's own
//! (Fader & Hardie 2007, "Incorporating Time-Invariant Covariates into the
//! Pareto/NBD and BG/NBD Models", <http://brucehardie.com/notes/019/>,
//! sections 2 and 3):
//!
//! - Pareto/NBD: α_i = α₀ exp(−γ_Pᵀ z_i^P), β_i = β₀ exp(−γ_Dᵀ z_i^D);
//! - BG/NBD: α_i = α₀ exp(−γ_Pᵀ z_i^P), a_i = a₀ exp(γ_Dᵀ z_i^D),
//!   b_i = b₀ exp(γ_Dᵀ z_i^D);
//!
//! r and s are shared. The signs are those of R's CLVTools (Bachmann,
//! Meierer & Näf 2021, "The Role of Time-Varying Contextual Factors in
//! Latent Attrition Models for Customer Base Analysis", Marketing Science
//! 40(4); the package's `pnbd_staticcov_LL_ind` and
//! `bgnbd_staticcov_LL_ind`): a positive purchase effect raises the
//! customer's mean purchase rate r/α_i; a positive Pareto/NBD dropout effect
//! raises the mean dropout rate s/β_i; a positive BG/NBD dropout effect
//! scales a and b together, which leaves the mean dropout probability
//! a/(a + b) and sharpens its distribution around it. A customer's
//! likelihood, P(alive) and expectations are the model's own formulas
//! ([`crate::models::pareto_nbd`], [`crate::models::bg_nbd`]) at the
//! customer's parameters ([`customer_params`]).
//!
//! The fit maximises
//!
//! $$ \frac{1}{n}\sum_i \ln L_i - \lambda_P \lVert\gamma_P\rVert^2 - \lambda_D \lVert\gamma_D\rVert^2 $$
//!
//! (CLVTools' `reg.lambdas`: its `interlayer_regularization` adds λ γᵀγ to
//! the mean negative log-likelihood) over ln r, ln α₀, ln s (ln a₀), ln β₀
//! (ln b₀) and the γ's, by the BFGS of [`crate::optim`] with the analytic
//! gradient: the model's gradient in its own parameters (the same code as
//! its fit without covariates) times, by the chain rule,
//! ∂α_i/∂ln α₀ = α_i and ∂α_i/∂γ_{P,k} = −α_i z_{ik} (and likewise for
//! β_i, a_i, b_i with their signs; derived here). A covariate named in
//! [`CovariateOptions::equal`] has one γ for both processes (CLVTools'
//! `names.cov.constr`); such a shared γ is not penalised, as CLVTools
//! penalises only the effects left per process after the constraint.
//!
//! Customers with equal covariate rows share their parameters; the
//! likelihood is evaluated once per group of them by the models' own
//! table-driven sums, so with all covariates zero the fit takes exactly the
//! steps of the fit without covariates and ends at the same bits (checked
//! inside the crate: the public fits refuse a zero column as constant).
//!
//! Covariates come in as a [`CovariateTable`]: numeric columns as given, a
//! categorical column one-hot encoded as one 0/1 column `name=level` per
//! level except the reference level (the first level in sorted order unless
//! given), whose customers have every such column 0.
//!
//! Standard errors come from the inverse of the Hessian of −ln L (without
//! the penalty) in (r, α₀, s, β₀, γ), by central differences of the
//! analytic gradient, as [`crate::optim`] does for the models without
//! covariates.

use std::collections::HashMap;

use crate::error::{check_length, invalid_arg, Error, Result};
use crate::models::bg_nbd::BgNbdParams;
use crate::models::choice::InformationCriteria;
use crate::models::pareto_nbd::ParetoNbdParams;
use crate::models::repeat::{check_columns, RepeatModel};
use crate::models::RepeatData;
use crate::optim::{invert_spd, minimize_from, FitOptions, FitStatus};

/// One input column of a [`CovariateTable`].
#[derive(Debug, Clone, PartialEq)]
enum Source {
    Numeric(Vec<f64>),
    Categorical {
        values: Vec<String>,
        /// The sorted distinct levels, the reference among them.
        levels: Vec<String>,
        reference: String,
    },
}

/// Covariate columns, one row per customer (per row of the
/// [`RepeatData`] they go with): numeric columns, and categorical ones
/// one-hot encoded against a reference level (module doc).
///
/// # Examples
/// ```
/// use retentionkit::models::covariates::CovariateTable;
/// let t = CovariateTable::new(4)
///     .with_numeric("income", &[1.5, 0.2, 3.0, 0.7])?
///     .with_categorical("channel", &["web", "store", "web", "phone"], None)?;
/// // "phone" is first in sorted order: the reference level, no column.
/// assert_eq!(t.names(), ["income", "channel=store", "channel=web"]);
/// assert_eq!(t.column("channel=web"), Some(vec![1.0, 0.0, 1.0, 0.0]));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CovariateTable {
    rows: usize,
    sources: Vec<(String, Source)>,
}

impl CovariateTable {
    /// A table of `rows` customers and no columns yet.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::covariates::CovariateTable;
    /// assert_eq!(CovariateTable::new(3).rows(), 3);
    /// ```
    pub fn new(rows: usize) -> Self {
        Self {
            rows,
            sources: Vec::new(),
        }
    }

    /// Number of rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::covariates::CovariateTable;
    /// assert_eq!(CovariateTable::new(0).rows(), 0);
    /// ```
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn check_new(&self, name: &str, len: usize) -> Result<()> {
        check_length("covariates", self.rows, len)?;
        if name.is_empty() || self.sources.iter().any(|(n, _)| n == name) {
            return Err(invalid_arg(
                "covariates",
                format!("covariate name `{name}` is empty or given twice"),
            ));
        }
        Ok(())
    }

    /// This table with a numeric column `name`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] (column `covariates`) unless `values` has
    /// [`CovariateTable::rows`] rows; [`Error::InvalidValue`] for a NaN or
    /// infinite value; [`Error::InvalidArgument`] for an empty or repeated
    /// name.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::covariates::CovariateTable, Error};
    /// let err = CovariateTable::new(2).with_numeric("x", &[1.0, f64::NAN]).unwrap_err();
    /// assert!(matches!(err, Error::InvalidValue { row: 1, .. }));
    /// ```
    pub fn with_numeric(mut self, name: &str, values: &[f64]) -> Result<Self> {
        self.check_new(name, values.len())?;
        if let Some(row) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidValue {
                column: "covariates",
                row,
                reason: format!("covariate `{name}` is {}", values[row]),
            });
        }
        self.sources
            .push((name.to_owned(), Source::Numeric(values.to_vec())));
        Ok(self)
    }

    /// This table with a categorical column `name`, one-hot encoded: a 0/1
    /// column `name=level` for each level except `reference` (default: the
    /// first level in sorted order, by byte value).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] (column `covariates`) unless `values` has
    /// [`CovariateTable::rows`] rows; [`Error::InvalidArgument`] for an
    /// empty or repeated name, or a `reference` that is not one of the
    /// levels.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::covariates::CovariateTable;
    /// let t = CovariateTable::new(3).with_categorical("plan", &["a", "b", "c"], Some("b"))?;
    /// assert_eq!(t.names(), ["plan=a", "plan=c"]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn with_categorical<S: AsRef<str>>(
        mut self,
        name: &str,
        values: &[S],
        reference: Option<&str>,
    ) -> Result<Self> {
        self.check_new(name, values.len())?;
        let values: Vec<String> = values.iter().map(|v| v.as_ref().to_owned()).collect();
        let mut levels = values.clone();
        levels.sort_unstable();
        levels.dedup();
        let reference = match reference {
            Some(r) if levels.iter().any(|l| l == r) => r.to_owned(),
            Some(r) => {
                return Err(invalid_arg(
                    "reference",
                    format!("`{r}` is not a level of covariate `{name}`"),
                ))
            }
            None => levels.first().cloned().unwrap_or_default(),
        };
        self.sources.push((
            name.to_owned(),
            Source::Categorical {
                values,
                levels,
                reference,
            },
        ));
        Ok(self)
    }

    /// The encoded column names, in the order the columns were added.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::covariates::CovariateTable;
    /// let t = CovariateTable::new(2).with_categorical("c", &["y", "x"], None)?;
    /// assert_eq!(t.names(), ["c=y"]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, source) in &self.sources {
            match source {
                Source::Numeric(_) => out.push(name.clone()),
                Source::Categorical {
                    levels, reference, ..
                } => out.extend(
                    levels
                        .iter()
                        .filter(|l| *l != reference)
                        .map(|l| format!("{name}={l}")),
                ),
            }
        }
        out
    }

    /// The values of the encoded column `name` (a numeric column, or
    /// `source=level` of a categorical one, also for a level the column
    /// does not hold), or `None`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::covariates::CovariateTable;
    /// let t = CovariateTable::new(2).with_categorical("c", &["y", "x"], None)?;
    /// assert_eq!(t.column("c=y"), Some(vec![1.0, 0.0]));
    /// assert_eq!(t.column("c=z"), Some(vec![0.0, 0.0]));
    /// assert_eq!(t.column("d"), None);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn column(&self, name: &str) -> Option<Vec<f64>> {
        for (source_name, source) in &self.sources {
            match source {
                Source::Numeric(v) if source_name == name => return Some(v.clone()),
                Source::Categorical { values, .. } => {
                    let Some(level) = name
                        .strip_prefix(source_name.as_str())
                        .and_then(|rest| rest.strip_prefix('='))
                    else {
                        continue;
                    };
                    return Some(
                        values
                            .iter()
                            .map(|v| if v == level { 1.0 } else { 0.0 })
                            .collect(),
                    );
                }
                Source::Numeric(_) => {}
            }
        }
        None
    }

    /// The encoded columns that `name` stands for: itself, or every column
    /// of the categorical covariate `name`.
    fn resolve(&self, name: &str, what: &'static str) -> Result<Vec<String>> {
        let all = self.names();
        if all.iter().any(|n| n == name) {
            return Ok(vec![name.to_owned()]);
        }
        if let Some((_, Source::Categorical { .. })) = self.sources.iter().find(|(n, _)| n == name)
        {
            let prefix = format!("{name}=");
            let cols: Vec<String> = all.into_iter().filter(|n| n.starts_with(&prefix)).collect();
            if cols.is_empty() {
                return Err(invalid_arg(
                    what,
                    format!("categorical covariate `{name}` has one level: it is constant"),
                ));
            }
            return Ok(cols);
        }
        Err(invalid_arg(
            what,
            format!("`{name}` is not a covariate of the table (columns: {all:?})"),
        ))
    }

    /// The levels of categorical covariates, to check a prediction table
    /// against.
    fn categories(&self) -> Vec<(String, Vec<String>)> {
        self.sources
            .iter()
            .filter_map(|(n, s)| match s {
                Source::Categorical { levels, .. } => Some((n.clone(), levels.clone())),
                Source::Numeric(_) => None,
            })
            .collect()
    }
}

/// Which covariates act on which process, the L2 penalties and the equality
/// constraints of a covariate fit (module doc).
///
/// Names are those of [`CovariateTable::names`], or the name of a
/// categorical covariate for all its columns.
///
/// # Examples
/// ```
/// use retentionkit::models::covariates::CovariateOptions;
/// let o = CovariateOptions::default()
///     .with_purchase(vec!["income".into()])
///     .with_dropout(vec!["income".into(), "channel".into()])
///     .with_equal(vec!["income".into()]);
/// assert_eq!((o.l2_purchase, o.l2_dropout), (0.0, 0.0));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct CovariateOptions {
    /// Covariates of the purchase process (γ_P).
    pub purchase: Vec<String>,
    /// Covariates of the dropout process (γ_D).
    pub dropout: Vec<String>,
    /// Covariates, each in both lists, with one γ for both processes.
    pub equal: Vec<String>,
    /// L2 penalty λ_P ≥ 0 on the purchase effects (CLVTools' `reg.lambdas["trans"]`).
    pub l2_purchase: f64,
    /// L2 penalty λ_D ≥ 0 on the dropout effects (CLVTools' `reg.lambdas["life"]`).
    pub l2_dropout: f64,
    /// The search's options; its `penalizer` acts on the base parameters as
    /// in the fits without covariates.
    pub fit: FitOptions,
}

with_setters!("models::covariates", CovariateOptions {
    with_purchase(purchase: Vec<String>) = (vec!["x".to_string()] => vec!["x".to_string()]),
    with_dropout(dropout: Vec<String>) = (vec!["x".to_string()] => vec!["x".to_string()]),
    with_equal(equal: Vec<String>) = (vec!["x".to_string()] => vec!["x".to_string()]),
    with_l2_purchase(l2_purchase: f64) = (0.5 => 0.5),
    with_l2_dropout(l2_dropout: f64) = (0.5 => 0.5),
    with_fit(fit: FitOptions) = (retentionkit::optim::FitOptions::default().with_tolerance(1e-6)
        => retentionkit::optim::FitOptions::default().with_tolerance(1e-6)),
});

/// One covariate's estimated effect.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Effect {
    /// The encoded column (see [`CovariateTable::names`]).
    pub name: String,
    /// γ.
    pub estimate: f64,
    /// Its standard error; `None` when the observed information is not
    /// positive definite at the estimates.
    pub standard_error: Option<f64>,
    /// Whether this γ is shared by both processes ([`CovariateOptions::equal`]).
    pub shared: bool,
}

impl Effect {
    /// The z value γ / SE, or `None` without a standard error.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, RepeatData};
    /// # let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// # let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// # let o = CovariateOptions::default().with_purchase(vec!["x".into()]);
    /// let fit = fit_bg_nbd(&data, &table, &o)?;
    /// let e = &fit.purchase[0];
    /// if let (Some(z), Some(se)) = (e.z(), e.standard_error) {
    ///     assert_eq!(z, e.estimate / se);
    /// }
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn z(&self) -> Option<f64> {
        self.standard_error.map(|se| self.estimate / se)
    }
}

mod sealed {
    use crate::models::RepeatData;
    use crate::optim::FitStatus;

    /// How a base parameter depends on the covariates.
    #[derive(Clone, Copy)]
    pub enum Link {
        /// Shared by all customers.
        Fixed,
        /// θ_i = θ₀ exp(sign · γ_Pᵀ z^P).
        Purchase(f64),
        /// θ_i = θ₀ exp(sign · γ_Dᵀ z^D).
        Dropout(f64),
    }

    /// The log-likelihood and its gradient at natural parameters.
    pub type Ll<'a> = Box<dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)> + Sync + 'a>;

    pub trait Model: Sized {
        const LINKS: [Link; 4];
        fn values(&self) -> [f64; 4];
        fn from_values(v: &[f64]) -> Self;
        fn ll(data: &RepeatData) -> Ll<'_>;
        fn starts(data: &RepeatData) -> [Vec<f64>; 4];
        fn status(search: FitStatus, p: &Self, data: &RepeatData) -> FitStatus;
    }
}

use sealed::{Link, Model};

/// A repeat model with covariates: [`ParetoNbdParams`] and
/// [`BgNbdParams`]. Sealed.
pub trait CovariateModel: RepeatModel + Model + Copy + std::fmt::Debug {}

impl Model for ParetoNbdParams {
    const LINKS: [Link; 4] = [
        Link::Fixed,
        Link::Purchase(-1.0),
        Link::Fixed,
        Link::Dropout(-1.0),
    ];
    fn values(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }
    fn from_values(v: &[f64]) -> Self {
        Self {
            r: v[0],
            alpha: v[1],
            s: v[2],
            beta: v[3],
        }
    }
    fn ll(data: &RepeatData) -> sealed::Ll<'_> {
        Box::new(crate::models::pareto_nbd::log_likelihood_fn(data))
    }
    fn starts(data: &RepeatData) -> [Vec<f64>; 4] {
        crate::models::pareto_nbd::starts(data)
    }
    fn status(search: FitStatus, p: &Self, data: &RepeatData) -> FitStatus {
        crate::models::pareto_nbd::status(search, p, data)
    }
}
impl CovariateModel for ParetoNbdParams {}

impl Model for BgNbdParams {
    const LINKS: [Link; 4] = [
        Link::Fixed,
        Link::Purchase(-1.0),
        Link::Dropout(1.0),
        Link::Dropout(1.0),
    ];
    fn values(&self) -> [f64; 4] {
        [self.r, self.alpha, self.a, self.b]
    }
    fn from_values(v: &[f64]) -> Self {
        Self {
            r: v[0],
            alpha: v[1],
            a: v[2],
            b: v[3],
        }
    }
    fn ll(data: &RepeatData) -> sealed::Ll<'_> {
        Box::new(crate::models::bg_nbd::log_likelihood_fn(data))
    }
    fn starts(data: &RepeatData) -> [Vec<f64>; 4] {
        crate::models::bg_nbd::starts(data)
    }
    fn status(search: FitStatus, p: &Self, data: &RepeatData) -> FitStatus {
        crate::models::bg_nbd::status(search, p, data)
    }
}
impl CovariateModel for BgNbdParams {}

/// The natural parameters of a customer whose linear predictors are
/// `purchase` = γ_Pᵀ z^P and `dropout` = γ_Dᵀ z^D (module doc).
fn individual(base: &[f64; 4], links: &[Link; 4], purchase: f64, dropout: f64) -> [f64; 4] {
    let mut out = *base;
    for (v, link) in out.iter_mut().zip(links) {
        match *link {
            Link::Fixed => {}
            Link::Purchase(sign) => *v *= (sign * purchase).exp(),
            Link::Dropout(sign) => *v *= (sign * dropout).exp(),
        }
    }
    out
}

/// A customer's own parameters: the model's population parameters `base`
/// moved by the linear predictors `purchase` = γ_Pᵀ z^P and `dropout` =
/// γ_Dᵀ z^D (module doc: α_i = α₀ e^{−purchase}, and β_i = β₀
/// e^{−dropout} for the Pareto/NBD, a_i = a₀ e^{dropout} and b_i = b₀
/// e^{dropout} for the BG/NBD).
///
/// # Errors
/// [`Error::InvalidArgument`] when a resulting parameter is not finite and
/// positive (a predictor so large that exp overflows).
///
/// # Examples
/// ```
/// use retentionkit::models::{covariates::customer_params, pareto_nbd::ParetoNbdParams};
/// let base = ParetoNbdParams::new(0.5, 10.0, 0.6, 12.0)?;
/// let p = customer_params(&base, 2f64.ln(), 0.0)?;
/// assert!((p.alpha - 5.0).abs() < 1e-14); // twice the mean purchase rate
/// assert_eq!((p.r, p.s, p.beta), (0.5, 0.6, 12.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn customer_params<P: CovariateModel>(base: &P, purchase: f64, dropout: f64) -> Result<P> {
    let v = individual(&base.values(), &P::LINKS, purchase, dropout);
    if v.iter().all(|x| x.is_finite() && *x > 0.0) {
        Ok(P::from_values(&v))
    } else {
        Err(invalid_arg(
            "covariates",
            format!("the customer's parameters {v:?} are not finite and positive"),
        ))
    }
}

/// A fit with covariates: the population parameters, the effects, and
/// the same summary numbers as [`crate::optim::Fit`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CovariateFit<P> {
    /// The population parameters (α₀, β₀, a₀, b₀: a customer whose
    /// covariates are all 0, or at every categorical covariate's
    /// reference level).
    pub params: P,
    /// Their standard errors (see [`Effect::standard_error`]).
    pub standard_errors: Option<P>,
    /// The effects on the purchase process, in the order of
    /// [`CovariateOptions::purchase`] (categorical covariates expanded).
    pub purchase: Vec<Effect>,
    /// The effects on the dropout process.
    pub dropout: Vec<Effect>,
    /// The log-likelihood at the estimates, without the penalties.
    pub log_likelihood: f64,
    /// Free parameters k: 4 plus the distinct γ's.
    pub parameters: usize,
    /// Customers n (weights counted).
    pub observations: f64,
    /// Iterations used, over all starts.
    pub iterations: usize,
    /// How the search ended; [`FitStatus::AtBoundary`] by the rule of the
    /// model without covariates applied to the population parameters.
    pub status: FitStatus,
    categories: Vec<(String, Vec<String>)>,
}

/// The columns used by a fit and where their γ's are.
struct Design {
    purchase: Vec<String>,
    dropout: Vec<String>,
    /// Index into the free γ's of each purchase / dropout column.
    purchase_at: Vec<usize>,
    dropout_at: Vec<usize>,
    /// λ of each free γ.
    lambda: Vec<f64>,
    shared: Vec<bool>,
}

fn design(table: &CovariateTable, o: &CovariateOptions) -> Result<Design> {
    let expand = |names: &[String], what: &'static str| -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for n in names {
            for c in table.resolve(n, what)? {
                if out.contains(&c) {
                    return Err(invalid_arg(what, format!("`{c}` is named twice")));
                }
                out.push(c);
            }
        }
        Ok(out)
    };
    let purchase = expand(&o.purchase, "purchase")?;
    let dropout = expand(&o.dropout, "dropout")?;
    let equal = expand(&o.equal, "equal")?;
    for c in &equal {
        if !purchase.contains(c) || !dropout.contains(c) {
            return Err(invalid_arg(
                "equal",
                format!("`{c}` must be a purchase and a dropout covariate"),
            ));
        }
    }
    crate::error::check_non_negative(o.l2_purchase, "l2_purchase")?;
    crate::error::check_non_negative(o.l2_dropout, "l2_dropout")?;
    let (mut lambda, mut shared) = (Vec::new(), Vec::new());
    let mut purchase_at = Vec::new();
    for c in &purchase {
        purchase_at.push(lambda.len());
        let is_shared = equal.contains(c);
        lambda.push(if is_shared { 0.0 } else { o.l2_purchase });
        shared.push(is_shared);
    }
    let mut dropout_at = Vec::new();
    for c in &dropout {
        if let Some(k) = purchase
            .iter()
            .position(|p| p == c)
            .filter(|_| equal.contains(c))
        {
            dropout_at.push(purchase_at[k]);
        } else {
            dropout_at.push(lambda.len());
            lambda.push(o.l2_dropout);
            shared.push(false);
        }
    }
    Ok(Design {
        purchase,
        dropout,
        purchase_at,
        dropout_at,
        lambda,
        shared,
    })
}

/// The columns `names` of `table`, row-major: one row per customer.
fn rows_of(table: &CovariateTable, names: &[String]) -> Vec<Vec<f64>> {
    let cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| table.column(n).unwrap_or_else(|| vec![0.0; table.rows()]))
        .collect();
    (0..table.rows())
        .map(|i| cols.iter().map(|c| c[i]).collect())
        .collect()
}

/// The customers of one covariate row.
struct Group {
    purchase: Vec<f64>,
    dropout: Vec<f64>,
    rows: Vec<usize>,
}

fn groups(zp: &[Vec<f64>], zd: &[Vec<f64>]) -> Vec<Group> {
    let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
    let mut out: Vec<Group> = Vec::new();
    for (i, (p, d)) in zp.iter().zip(zd).enumerate() {
        // +0.0 for −0.0, so that equal values share a group.
        let key: Vec<u64> = p.iter().chain(d).map(|v| (v + 0.0).to_bits()).collect();
        let k = *index.entry(key).or_insert_with(|| {
            out.push(Group {
                purchase: p.clone(),
                dropout: d.clone(),
                rows: Vec::new(),
            });
            out.len() - 1
        });
        out[k].rows.push(i);
    }
    out
}

/// LL and its gradient in (r, α₀, s, β₀, γ…) (natural base parameters),
/// summed over the covariate groups.
struct Likelihood<'a> {
    links: [Link; 4],
    groups: &'a [Group],
    lls: Vec<sealed::Ll<'a>>,
    design: &'a Design,
}

impl Likelihood<'_> {
    /// LL and its gradient: the groups in fixed chunks of 64 (on rayon's
    /// pool with the `parallel` feature), the chunk sums added in order, so
    /// the result does not depend on the scheduling; one group (all
    /// covariates equal) is summed as 0 + its own value.
    fn eval(&self, v: &[f64]) -> Option<(f64, Vec<f64>)> {
        const CHUNK: usize = 64;
        let n = self.groups.len();
        let ranges: Vec<std::ops::Range<usize>> = (0..n.div_ceil(CHUNK))
            .map(|c| c * CHUNK..((c + 1) * CHUNK).min(n))
            .collect();
        let parts = crate::log::par_map(ranges, |range| self.eval_groups(v, range));
        let mut ll = 0.0;
        let mut grad = vec![0.0; v.len()];
        for part in parts {
            let (l, g) = part?;
            ll += l;
            for (a, b) in grad.iter_mut().zip(g) {
                *a += b;
            }
        }
        Some((ll, grad))
    }

    fn eval_groups(&self, v: &[f64], range: std::ops::Range<usize>) -> Option<(f64, Vec<f64>)> {
        let base = [v[0], v[1], v[2], v[3]];
        let gamma = &v[4..];
        let mut ll = 0.0;
        let mut grad = vec![0.0; v.len()];
        for (g, f) in self.groups[range.clone()].iter().zip(&self.lls[range]) {
            let eta_p: f64 = (g.purchase.iter().zip(&self.design.purchase_at))
                .map(|(z, &k)| z * gamma[k])
                .sum();
            let eta_d: f64 = (g.dropout.iter().zip(&self.design.dropout_at))
                .map(|(z, &k)| z * gamma[k])
                .sum();
            let theta = individual(&base, &self.links, eta_p, eta_d);
            let (l, d) = f(&theta)?;
            ll += l;
            let (mut dp, mut dd) = (0.0, 0.0);
            for j in 0..4 {
                match self.links[j] {
                    Link::Fixed => grad[j] += d[j],
                    Link::Purchase(sign) => {
                        grad[j] += d[j] * (theta[j] / base[j]);
                        dp += sign * d[j] * theta[j];
                    }
                    Link::Dropout(sign) => {
                        grad[j] += d[j] * (theta[j] / base[j]);
                        dd += sign * d[j] * theta[j];
                    }
                }
            }
            for (z, &k) in g.purchase.iter().zip(&self.design.purchase_at) {
                grad[4 + k] += dp * z;
            }
            for (z, &k) in g.dropout.iter().zip(&self.design.dropout_at) {
                grad[4 + k] += dd * z;
            }
        }
        Some((ll, grad))
    }
}

/// Check the table against the data and the columns for constants.
fn check_design(data: &RepeatData, table: &CovariateTable, d: &Design) -> Result<()> {
    check_length("covariates", data.len(), table.rows())?;
    for name in d.purchase.iter().chain(&d.dropout) {
        let col = table.column(name).unwrap_or_default();
        if col.iter().all(|v| *v == col[0]) {
            return Err(invalid_arg(
                "covariates",
                format!("covariate `{name}` is constant: its effect cannot be told from the population parameter"),
            ));
        }
    }
    Ok(())
}

/// What a fit needs besides the data: the design, the customers' covariate
/// rows and their groups, with each group's subset of the data (`None`
/// for a group of every row, which uses the data itself).
struct Problem {
    design: Design,
    zp: Vec<Vec<f64>>,
    zd: Vec<Vec<f64>>,
    groups: Vec<Group>,
    subsets: Vec<Option<RepeatData>>,
}

impl Problem {
    fn new(
        data: &RepeatData,
        table: &CovariateTable,
        options: &CovariateOptions,
        check_constant: bool,
    ) -> Result<Self> {
        let design = design(table, options)?;
        if check_constant {
            check_design(data, table, &design)?;
        } else {
            check_length("covariates", data.len(), table.rows())?;
        }
        let (zp, zd) = (
            rows_of(table, &design.purchase),
            rows_of(table, &design.dropout),
        );
        let groups = groups(&zp, &zd);
        let subsets = groups
            .iter()
            .map(|g| (g.rows.len() < data.len()).then(|| data.subset(&g.rows)))
            .collect();
        Ok(Self {
            design,
            zp,
            zd,
            groups,
            subsets,
        })
    }

    fn likelihood<'a, P: CovariateModel>(&'a self, data: &'a RepeatData) -> Likelihood<'a> {
        Likelihood {
            links: P::LINKS,
            groups: &self.groups,
            lls: self
                .subsets
                .iter()
                .map(|s| P::ll(s.as_ref().unwrap_or(data)))
                .collect(),
            design: &self.design,
        }
    }
}

fn fit_with<P: CovariateModel>(
    data: &RepeatData,
    table: &CovariateTable,
    options: &CovariateOptions,
    check_constant: bool,
) -> Result<CovariateFit<P>> {
    let fit_options = &options.fit;
    crate::error::check_non_negative(fit_options.penalizer, "penalizer")?;
    let problem = Problem::new(data, table, options, check_constant)?;
    let like = problem.likelihood::<P>(data);
    let (d, zp, zd) = (&problem.design, &problem.zp, &problem.zd);
    let n = data.customers();
    let (lambda, penalizer) = (&d.lambda, fit_options.penalizer);
    // −LL/n + λ Σ θ² over ln θ (as optim::fit_positive), + Σ λ_k γ_k².
    let objective = |phi: &[f64]| -> Option<(f64, Vec<f64>)> {
        let mut v: Vec<f64> = phi[..4].iter().map(|t| t.exp()).collect();
        v.extend_from_slice(&phi[4..]);
        let (value, g) = like.eval(&v)?;
        let pen: f64 = v[..4].iter().map(|x| x * x).sum();
        let reg: f64 = lambda.iter().zip(&v[4..]).map(|(l, x)| l * x * x).sum();
        let mut grad: Vec<f64> = g[..4]
            .iter()
            .zip(&v[..4])
            .map(|(gj, vj)| (-gj / n + 2.0 * penalizer * vj) * vj)
            .collect();
        grad.extend(
            g[4..]
                .iter()
                .zip(&v[4..])
                .zip(lambda)
                .map(|((gj, x), l)| -gj / n + 2.0 * l * x),
        );
        Some((-value / n + penalizer * pen + reg, grad))
    };
    let k = d.lambda.len();
    let starts: Vec<Vec<f64>> = P::starts(data)
        .iter()
        .map(|s| {
            let mut x: Vec<f64> = s.iter().map(|v| v.ln()).collect();
            x.extend(std::iter::repeat_n(0.0, k));
            x
        })
        .collect();
    let no_start = || invalid_arg("data", "the log-likelihood is not finite at any start");
    let (m, iterations) = minimize_from(&objective, &starts, fit_options).ok_or_else(no_start)?;
    if !m.value.is_finite() {
        return Err(no_start());
    }
    let mut v: Vec<f64> = m.x[..4].iter().map(|t| t.exp()).collect();
    v.extend_from_slice(&m.x[4..]);
    let params = P::from_values(&v[..4]);
    let log_likelihood = like.eval(&v).map_or(f64::NEG_INFINITY, |(l, _)| l);
    // Steps of the Hessian: relative for the base parameters, and for a γ
    // at most 1e-5 in γ·z.
    let mut z_max = vec![0.0f64; k];
    for (rows, at) in [(zp, &d.purchase_at), (zd, &d.dropout_at)] {
        for row in rows {
            for (z, &j) in row.iter().zip(at) {
                z_max[j] = z_max[j].max(z.abs());
            }
        }
    }
    let steps: Vec<f64> = v
        .iter()
        .enumerate()
        .map(|(j, x)| {
            if j < 4 {
                1e-5 * x.abs()
            } else {
                let zm = z_max[j - 4];
                1e-5 * x.abs().max(if zm > 0.0 { 1.0 / zm } else { 1.0 })
            }
        })
        .collect();
    let se = standard_errors(&like, &v, &steps);
    let effect = |names: &[String], at: &[usize]| -> Vec<Effect> {
        names
            .iter()
            .zip(at)
            .map(|(name, &j)| Effect {
                name: name.clone(),
                estimate: v[4 + j],
                standard_error: se.as_ref().map(|s| s[4 + j]),
                shared: d.shared[j],
            })
            .collect()
    };
    Ok(CovariateFit {
        params,
        standard_errors: se.as_ref().map(|s| P::from_values(&s[..4])),
        purchase: effect(&d.purchase, &d.purchase_at),
        dropout: effect(&d.dropout, &d.dropout_at),
        log_likelihood,
        parameters: 4 + k,
        observations: n,
        iterations,
        status: P::status(m.status, &params, data),
        categories: table.categories(),
    })
}

/// √diag of the inverse Hessian of −LL at `v`, by central differences of
/// the analytic gradient with `steps`; `None` unless positive definite.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn standard_errors(like: &Likelihood<'_>, v: &[f64], steps: &[f64]) -> Option<Vec<f64>> {
    let n = v.len();
    let mut hess = vec![vec![0.0; n]; n];
    for j in 0..n {
        let (mut up, mut down) = (v.to_vec(), v.to_vec());
        up[j] += steps[j];
        down[j] -= steps[j];
        if up[..4].iter().chain(&down[..4]).any(|x| *x <= 0.0) {
            return None;
        }
        let (gu, gd) = (like.eval(&up)?.1, like.eval(&down)?.1);
        for i in 0..n {
            hess[i][j] = -(gu[i] - gd[i]) / (2.0 * steps[j]);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (hess[i][j] + hess[j][i]);
            hess[i][j] = m;
            hess[j][i] = m;
        }
    }
    let inv = invert_spd(&hess)?;
    let se: Vec<f64> = (0..n).map(|i| inv[i][i].sqrt()).collect();
    se.iter().all(|s| s.is_finite() && *s > 0.0).then_some(se)
}

/// Fit the Pareto/NBD model with covariates (module doc).
///
/// `covariates` has one row per row of `data`.
///
/// # Errors
/// [`Error::LengthMismatch`] (column `covariates`) when the table's rows
/// differ from the data's; [`Error::InvalidArgument`] for a name in the
/// options that is not a covariate of the table (or one named twice), an
/// `equal` covariate not in both lists, a covariate constant over the
/// customers, a negative or non-finite penalty, or no start where the
/// log-likelihood is finite. A fit that does not converge is not an error:
/// see [`CovariateFit::status`].
///
/// # Examples
/// ```
/// use retentionkit::models::{covariates::*, RepeatData};
/// let data = RepeatData::new(
///     &[0, 0, 1, 1, 2, 3, 5, 7, 0, 4],
///     &[0.0, 0.0, 10.0, 30.0, 20.0, 35.0, 36.0, 38.0, 0.0, 20.0],
///     &[39.0, 32.0, 39.0, 35.0, 39.0, 39.0, 38.0, 39.0, 36.0, 37.0],
///     None,
/// )?;
/// let table = CovariateTable::new(10)
///     .with_categorical("channel", &["web", "store", "web", "web", "store", "web", "store", "web", "store", "web"], None)?;
/// let o = CovariateOptions::default().with_purchase(vec!["channel".into()]);
/// let fit = fit_pareto_nbd(&data, &table, &o)?;
/// assert_eq!(fit.purchase[0].name, "channel=web"); // "store" is the reference
/// assert_eq!(fit.parameters, 5);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_pareto_nbd(
    data: &RepeatData,
    covariates: &CovariateTable,
    options: &CovariateOptions,
) -> Result<CovariateFit<ParetoNbdParams>> {
    fit_with(data, covariates, options, true)
}

/// Fit the BG/NBD model with covariates (module doc); as
/// [`fit_pareto_nbd`].
///
/// # Errors
/// As [`fit_pareto_nbd`].
///
/// # Examples
/// ```
/// use retentionkit::models::{covariates::*, RepeatData};
/// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
/// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
/// let o = CovariateOptions::default().with_purchase(vec!["x".into()]).with_dropout(vec!["x".into()]);
/// let fit = fit_bg_nbd(&data, &table, &o)?;
/// assert_eq!((fit.purchase.len(), fit.dropout.len(), fit.parameters), (1, 1, 6));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_bg_nbd(
    data: &RepeatData,
    covariates: &CovariateTable,
    options: &CovariateOptions,
) -> Result<CovariateFit<BgNbdParams>> {
    fit_with(data, covariates, options, true)
}

impl<P> CovariateFit<P> {
    /// LL, k, n, AIC and BIC of this fit (see [`InformationCriteria`]).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// let c = fit.criteria();
    /// assert_eq!(c.aic, 2.0 * 5.0 - 2.0 * fit.log_likelihood);
    /// assert_eq!(c.bic, 5.0 * 6f64.ln() - 2.0 * fit.log_likelihood);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn criteria(&self) -> InformationCriteria {
        InformationCriteria::new(self.log_likelihood, self.parameters, self.observations)
    }

    /// Akaike's information criterion 2k − 2 LL of this fit.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_dropout(vec!["x".into()]))?;
    /// assert_eq!(fit.aic(), 2.0 * 5.0 - 2.0 * fit.log_likelihood);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn aic(&self) -> f64 {
        self.criteria().aic
    }

    /// Schwarz's Bayesian information criterion k ln n − 2 LL of this fit.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_dropout(vec!["x".into()]))?;
    /// assert_eq!(fit.bic(), 5.0 * 6f64.ln() - 2.0 * fit.log_likelihood);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn bic(&self) -> f64 {
        self.criteria().bic
    }
}

impl<P: CovariateModel> CovariateFit<P> {
    /// Each customer's own parameters ([`customer_params`]) from the
    /// fitted effects and the customers' covariates in `covariates` (the
    /// columns of the fit, by name; a categorical covariate's levels must
    /// be among those of the fitted data).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a covariate of the fit missing from
    /// the table, a level the fitted data did not have, or parameters that
    /// overflow.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// // A new customer with x = 0 has the population parameters.
    /// let new = CovariateTable::new(2).with_numeric("x", &[0.0, 1.0])?;
    /// let p = fit.customer_params(&new)?;
    /// assert_eq!(p[0], fit.params);
    /// assert_eq!(p[1].alpha, fit.params.alpha * (-fit.purchase[0].estimate).exp());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn customer_params(&self, covariates: &CovariateTable) -> Result<Vec<P>> {
        for (name, levels) in covariates.categories() {
            if let Some((_, fitted)) = self.categories.iter().find(|(n, _)| *n == name) {
                if let Some(l) = levels.iter().find(|l| !fitted.contains(l)) {
                    return Err(invalid_arg(
                        "covariates",
                        format!("level `{l}` of `{name}` was not in the fitted data"),
                    ));
                }
            }
        }
        let column = |name: &str| {
            covariates.column(name).ok_or_else(|| {
                invalid_arg(
                    "covariates",
                    format!("covariate `{name}` of the fit is not in the table"),
                )
            })
        };
        let mut eta_p = vec![0.0; covariates.rows()];
        let mut eta_d = vec![0.0; covariates.rows()];
        for (effects, eta) in [(&self.purchase, &mut eta_p), (&self.dropout, &mut eta_d)] {
            for e in effects {
                for (acc, z) in eta.iter_mut().zip(column(&e.name)?) {
                    *acc += z * e.estimate;
                }
            }
        }
        eta_p
            .iter()
            .zip(&eta_d)
            .map(|(&p, &d)| customer_params(&self.params, p, d))
            .collect()
    }

    /// P(alive) of each customer (x, t_x, T) = (`frequency`, `recency`,
    /// `age`) with its covariates: the model's
    /// [`RepeatModel::probability_alive`] at [`CovariateFit::customer_params`].
    ///
    /// # Errors
    /// As [`CovariateFit::customer_params`]; [`Error::LengthMismatch`] for
    /// columns of different lengths; the model's errors, at their row.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, repeat::RepeatModel, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_dropout(vec!["x".into()]))?;
    /// let two = CovariateTable::new(2).with_numeric("x", &[-0.3, 0.5])?;
    /// let p = fit.probability_alive(&two, &[1, 3], &[10.0, 20.0], &[30.0, 30.0])?;
    /// let own = fit.customer_params(&two)?;
    /// assert_eq!(p[1], own[1].probability_alive(3, 20.0, 30.0)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
    ) -> Result<Vec<f64>> {
        self.per_customer(covariates, frequency, recency, age, |p, x, tx, t| {
            p.probability_alive(x, tx, t)
        })
    }

    /// Expected purchases of each customer in (T, T + `horizon`]: the
    /// model's [`RepeatModel::expected_purchases`] at
    /// [`CovariateFit::customer_params`].
    ///
    /// # Errors
    /// As [`CovariateFit::probability_alive`], and for a bad `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, repeat::RepeatModel, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_pareto_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// let first = CovariateTable::new(1).with_numeric("x", &[0.1])?;
    /// let e = fit.expected_purchases(&first, &[0], &[0.0], &[30.0], 10.0)?;
    /// assert_eq!(e[0], fit.customer_params(&first)?[0].expected_purchases(0, 0.0, 30.0, 10.0)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Vec<f64>> {
        self.per_customer(covariates, frequency, recency, age, |p, x, tx, t| {
            p.expected_purchases(x, tx, t, horizon)
        })
    }

    /// Expected repeat purchases in `horizon` of a customer just acquired
    /// with each row's covariates: the model's
    /// [`RepeatModel::expected_purchases_new`] at
    /// [`CovariateFit::customer_params`].
    ///
    /// # Errors
    /// As [`CovariateFit::customer_params`], and for a bad `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, repeat::RepeatModel, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_pareto_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// let zero = CovariateTable::new(1).with_numeric("x", &[0.0])?;
    /// assert_eq!(fit.expected_purchases_new(&zero, 52.0)?[0], fit.params.expected_purchases_new(52.0)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases_new(
        &self,
        covariates: &CovariateTable,
        horizon: f64,
    ) -> Result<Vec<f64>> {
        self.customer_params(covariates)?
            .iter()
            .map(|p| p.expected_purchases_new(horizon))
            .collect()
    }

    fn per_customer(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        f: impl Fn(&P, u32, f64, f64) -> Result<f64>,
    ) -> Result<Vec<f64>> {
        check_columns(frequency, recency, age)?;
        check_length("covariates", frequency.len(), covariates.rows())?;
        let params = self.customer_params(covariates)?;
        params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                f(p, frequency[i], recency[i], age[i])
                    .map_err(|e| crate::models::repeat::at_row(e, i))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
