//! Time-invariant covariates in the Pareto/NBD, BG/NBD, MBG/NBD,
//! Gamma-Gamma and sBG models, fitted by maximum likelihood.
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
//! # MBG/NBD
//!
//! [`fit_mbg_nbd`] gives the MBG/NBD (Batislam, Denizel & Filiztekin 2007;
//! [`crate::models::mbg_nbd`]) the BG/NBD's covariates, as it shares the
//! BG/NBD's parameters (r, α) and (a, b): α_i = α₀ exp(−γ_Pᵀ z_i^P),
//! a_i = a₀ exp(γ_Dᵀ z_i^D), b_i = b₀ exp(γ_Dᵀ z_i^D). Neither Fader &
//! Hardie's note nor CLVTools has covariates in this model; this is our
//! own extension, by the note's BG/NBD device, the dropout effect again
//! scaling a and b together (the mean dropout probability a/(a + b), now
//! also at the first purchase, stays; its spread narrows).
//!
//! # Gamma-Gamma
//!
//! [`fit_gamma_gamma`] lets the covariates z_i^S of [`CovariateOptions::spend`]
//! move the scale γ of the gamma(q, γ) heterogeneity of the customers'
//! transaction-value rates ν (Fader & Hardie 2013, "The Gamma-Gamma Model
//! of Monetary Value", note 025, section 2):
//!
//! $$ \gamma_i = \gamma_0 \exp(\delta^\top z_i^S), \qquad
//!    E[\zeta_i] = \frac{p \gamma_i}{q - 1} = \frac{p \gamma_0}{q - 1} e^{\delta^\top z_i^S}, $$
//!
//! p and q shared: a positive δ raises the mean spend of the customer's
//! segment by the factor e^δ and leaves the shape of its spread (q) and of
//! each customer's transactions (p) alone. Neither CLVTools nor Fader &
//! Hardie have covariates in this model; this is our own extension, by the
//! device of Fader & Hardie's 2007 note above (a covariate scales the
//! scale parameter of the gamma mixing distribution, as α_i does in the
//! Pareto/NBD), with the sign chosen so that δ acts on spend the way γ_P
//! acts on the purchase rate. Equivalently ν_i, the rate of the customer's
//! transaction values, is ν⁰_i e^{−δᵀz_i} with ν⁰_i ~ gamma(q, γ₀). A
//! customer's likelihood and expected mean spend
//! ([`CovariateFit::expected_mean_spend`]) are the model's own formulas
//! (note 025, equations 5 and 6; [`crate::models::gamma_gamma`]) at
//! (p, q, γ_i); the gradient in δ is ∂LL/∂γ · γ_i z_i (the chain rule, as
//! above). Its effects are reported in [`CovariateFit::purchase`].
//!
//! # sBG
//!
//! [`fit_sbg`] fits several cohorts' survivor counts ([`SbgCohorts`]), one
//! covariate row per cohort, with
//!
//! $$ \alpha_i = \alpha_0 \exp(\gamma_\alpha^\top z_i^\alpha), \qquad
//!    \beta_i = \beta_0 \exp(\gamma_\beta^\top z_i^\beta), $$
//!
//! each cohort's likelihood that of Fader & Hardie (2007, "How to Project
//! Customer Retention", equation 5) at (α_i, β_i), summed over the cohorts.
//! Covariates sit on cohorts because the sBG's data are counts of survivors
//! per period, which carry no customer identity: a cohort (an acquisition
//! month, a plan, a channel) is the finest unit whose survival the data
//! show, and a per-customer covariate has to be aggregated to such cohorts
//! first. Fader & Hardie fit their "regular" and "high end" cohorts
//! separately; with one categorical covariate on both α and β this fit is
//! exactly those separate fits (its reference level's (α₀, β₀) and the
//! other's (α₀e^{γ_α}, β₀e^{γ_β})), and numeric covariates or shared
//! effects pool the cohorts. A positive γ_α raises the mean churn
//! probability α/(α + β); a positive γ_β lowers it; a covariate in
//! [`CovariateOptions::equal`] scales α and β together, which keeps the
//! mean and narrows the spread of the churn probabilities (the BG/NBD's
//! dropout parametrisation above). This parametrisation is our own
//! extension of the sBG. The effects on α are reported in
//! [`CovariateFit::purchase`], those on β in [`CovariateFit::dropout`].
//!
//! # Covariate tables
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
use crate::models::check::{mean_spend_at, ClvOptions};
use crate::models::choice::InformationCriteria;
use crate::models::gamma_gamma::{GammaGammaParams, SpendData};
use crate::models::interval::{check_weights, transformed, z_of, Intervals, Quantity};
use crate::models::mbg_nbd::MbgNbdParams;
use crate::models::pareto_nbd::ParetoNbdParams;
use crate::models::repeat::{check_columns, RepeatModel};
use crate::models::sbg::{SbgCohorts, SbgParams};
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
/// Each model reads its own lists and refuses the others: `purchase` and
/// `dropout` for the Pareto/NBD and BG/NBD, `spend` for the Gamma-Gamma,
/// `alpha` and `beta` for the sBG (`equal` for all but the Gamma-Gamma).
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
    /// Covariates of the Gamma-Gamma spend scale γ (module doc, "Gamma-Gamma").
    pub spend: Vec<String>,
    /// L2 penalty ≥ 0 on the spend effects.
    pub l2_spend: f64,
    /// Covariates of the sBG's α (module doc, "sBG").
    pub alpha: Vec<String>,
    /// Covariates of the sBG's β.
    pub beta: Vec<String>,
    /// L2 penalty ≥ 0 on the effects on α.
    pub l2_alpha: f64,
    /// L2 penalty ≥ 0 on the effects on β.
    pub l2_beta: f64,
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
    with_spend(spend: Vec<String>) = (vec!["x".to_string()] => vec!["x".to_string()]),
    with_l2_spend(l2_spend: f64) = (0.5 => 0.5),
    with_alpha(alpha: Vec<String>) = (vec!["x".to_string()] => vec!["x".to_string()]),
    with_beta(beta: Vec<String>) = (vec!["x".to_string()] => vec!["x".to_string()]),
    with_l2_alpha(l2_alpha: f64) = (0.5 => 0.5),
    with_l2_beta(l2_beta: f64) = (0.5 => 0.5),
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
    use crate::optim::FitStatus;

    /// How a base parameter depends on the covariates.
    #[derive(Clone, Copy)]
    pub enum Link {
        /// Shared by all customers.
        Fixed,
        /// θ_i = θ₀ exp(sign · γ_Pᵀ z^P): the first list of effects.
        Purchase(f64),
        /// θ_i = θ₀ exp(sign · γ_Dᵀ z^D): the second list of effects.
        Dropout(f64),
    }

    /// The log-likelihood and its gradient at natural parameters.
    pub type Ll<'a> = Box<dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)> + Sync + 'a>;

    /// The rows a model is fitted on, one covariate row each.
    pub trait Rows: Sync {
        /// Rows (each with one row of the covariate table).
        fn rows(&self) -> usize;
        /// The rows `rows`, in that order (not empty, all in range).
        fn pick(&self, rows: &[usize]) -> Self;
        /// Observations n (customers, weights counted): the divisor of the
        /// objective and the n of BIC.
        fn observations(&self) -> f64;
    }

    /// The option lists of a model's two effect lists: (names, the
    /// argument name in errors, λ, the λ's argument name).
    pub type Lists<'a> = [(&'a [String], &'static str, f64, &'static str); 2];

    pub trait Model: Sized {
        type Data: Rows;
        /// One link per base parameter, in the order of `values`.
        const LINKS: &'static [Link];
        /// The names of the base parameters, in the order of `values`.
        const NAMES: &'static [&'static str];
        fn values(&self) -> Vec<f64>;
        fn from_values(v: &[f64]) -> Self;
        fn ll(data: &Self::Data) -> Ll<'_>;
        fn starts(data: &Self::Data) -> Vec<Vec<f64>>;
        fn status(search: FitStatus, p: &Self, data: &Self::Data) -> FitStatus;
        /// The model's two lists of effects from the options, or an
        /// error naming an option the model does not take.
        fn lists(o: &super::CovariateOptions) -> crate::Result<Lists<'_>>;
    }
}

use sealed::{Link, Lists, Model, Rows};

/// The parameters of a model with covariates: [`ParetoNbdParams`],
/// [`BgNbdParams`], [`MbgNbdParams`], [`GammaGammaParams`] and
/// [`SbgParams`]. Sealed.
pub trait CovariateParams: Model + Copy + std::fmt::Debug {}

/// A repeat model with covariates: [`ParetoNbdParams`], [`BgNbdParams`]
/// and [`MbgNbdParams`]. Sealed.
pub trait CovariateModel: RepeatModel + CovariateParams {}

impl Rows for RepeatData {
    fn rows(&self) -> usize {
        self.len()
    }
    fn pick(&self, rows: &[usize]) -> Self {
        self.subset(rows)
    }
    fn observations(&self) -> f64 {
        self.customers()
    }
}

impl Rows for SpendData {
    fn rows(&self) -> usize {
        self.len()
    }
    fn pick(&self, rows: &[usize]) -> Self {
        self.subset(rows)
    }
    fn observations(&self) -> f64 {
        self.customers()
    }
}

impl Rows for SbgCohorts {
    fn rows(&self) -> usize {
        self.len()
    }
    fn pick(&self, rows: &[usize]) -> Self {
        self.subset(rows)
    }
    fn observations(&self) -> f64 {
        self.customers()
    }
}

/// The lists of a model with one effect list `name`, refusing the others.
fn only<'a>(
    o: &'a CovariateOptions,
    model: &str,
    first: (&'a [String], &'static str, f64, &'static str),
    second: (&'a [String], &'static str, f64, &'static str),
) -> Result<Lists<'a>> {
    let taken = [first.1, second.1];
    for (list, name) in [
        (&o.purchase, "purchase"),
        (&o.dropout, "dropout"),
        (&o.spend, "spend"),
        (&o.alpha, "alpha"),
        (&o.beta, "beta"),
    ] {
        if !list.is_empty() && !taken.contains(&name) {
            return Err(invalid_arg(
                name,
                format!("the {model} model takes no `{name}` covariates"),
            ));
        }
    }
    Ok([first, second])
}

fn repeat_lists<'a>(o: &'a CovariateOptions, model: &str) -> Result<Lists<'a>> {
    only(
        o,
        model,
        (&o.purchase, "purchase", o.l2_purchase, "l2_purchase"),
        (&o.dropout, "dropout", o.l2_dropout, "l2_dropout"),
    )
}

impl Model for ParetoNbdParams {
    type Data = RepeatData;
    const NAMES: &'static [&'static str] = &["r", "alpha", "s", "beta"];
    const LINKS: &'static [Link] = &[
        Link::Fixed,
        Link::Purchase(-1.0),
        Link::Fixed,
        Link::Dropout(-1.0),
    ];
    fn values(&self) -> Vec<f64> {
        vec![self.r, self.alpha, self.s, self.beta]
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
    fn starts(data: &RepeatData) -> Vec<Vec<f64>> {
        crate::models::pareto_nbd::starts(data).to_vec()
    }
    fn status(search: FitStatus, p: &Self, data: &RepeatData) -> FitStatus {
        crate::models::pareto_nbd::status(search, p, data)
    }
    fn lists(o: &CovariateOptions) -> Result<Lists<'_>> {
        repeat_lists(o, "Pareto/NBD")
    }
}
impl CovariateParams for ParetoNbdParams {}
impl CovariateModel for ParetoNbdParams {}

impl Model for BgNbdParams {
    type Data = RepeatData;
    const NAMES: &'static [&'static str] = &["r", "alpha", "a", "b"];
    const LINKS: &'static [Link] = &[
        Link::Fixed,
        Link::Purchase(-1.0),
        Link::Dropout(1.0),
        Link::Dropout(1.0),
    ];
    fn values(&self) -> Vec<f64> {
        vec![self.r, self.alpha, self.a, self.b]
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
    fn starts(data: &RepeatData) -> Vec<Vec<f64>> {
        crate::models::bg_nbd::starts(data).to_vec()
    }
    fn status(search: FitStatus, p: &Self, data: &RepeatData) -> FitStatus {
        crate::models::bg_nbd::status(search, p, data)
    }
    fn lists(o: &CovariateOptions) -> Result<Lists<'_>> {
        repeat_lists(o, "BG/NBD")
    }
}
impl CovariateParams for BgNbdParams {}
impl CovariateModel for BgNbdParams {}

impl Model for MbgNbdParams {
    type Data = RepeatData;
    const NAMES: &'static [&'static str] = &["r", "alpha", "a", "b"];
    /// The BG/NBD's links (module doc, "MBG/NBD").
    const LINKS: &'static [Link] = <BgNbdParams as Model>::LINKS;
    fn values(&self) -> Vec<f64> {
        vec![self.r, self.alpha, self.a, self.b]
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
        Box::new(crate::models::mbg_nbd::log_likelihood_fn(data))
    }
    fn starts(data: &RepeatData) -> Vec<Vec<f64>> {
        crate::models::bg_nbd::starts(data).to_vec()
    }
    fn status(search: FitStatus, p: &Self, data: &RepeatData) -> FitStatus {
        // The rule of fit_mbg_nbd: r, a, b shapes, α a scale of the mean age.
        crate::optim::boundary_status(search, &[p.r, p.a, p.b], &[(p.alpha, data.mean_age())])
    }
    fn lists(o: &CovariateOptions) -> Result<Lists<'_>> {
        repeat_lists(o, "MBG/NBD")
    }
}
impl CovariateParams for MbgNbdParams {}
impl CovariateModel for MbgNbdParams {}

impl Model for GammaGammaParams {
    type Data = SpendData;
    const NAMES: &'static [&'static str] = &["p", "q", "gamma"];
    /// γ_i = γ₀ exp(δᵀ z^S) (module doc, "Gamma-Gamma").
    const LINKS: &'static [Link] = &[Link::Fixed, Link::Fixed, Link::Purchase(1.0)];
    fn values(&self) -> Vec<f64> {
        vec![self.p, self.q, self.gamma]
    }
    fn from_values(v: &[f64]) -> Self {
        Self {
            p: v[0],
            q: v[1],
            gamma: v[2],
        }
    }
    fn ll(data: &SpendData) -> sealed::Ll<'_> {
        Box::new(crate::models::gamma_gamma::log_likelihood_fn(data))
    }
    fn starts(data: &SpendData) -> Vec<Vec<f64>> {
        crate::models::gamma_gamma::starts(data).to_vec()
    }
    fn status(search: FitStatus, p: &Self, data: &SpendData) -> FitStatus {
        crate::models::gamma_gamma::status(search, p, data)
    }
    fn lists(o: &CovariateOptions) -> Result<Lists<'_>> {
        let none: &[String] = &[];
        only(
            o,
            "Gamma-Gamma",
            (&o.spend, "spend", o.l2_spend, "l2_spend"),
            (none, "spend", 0.0, "l2_spend"),
        )
    }
}
impl CovariateParams for GammaGammaParams {}

impl Model for SbgParams {
    type Data = SbgCohorts;
    const NAMES: &'static [&'static str] = &["alpha", "beta"];
    /// α_i = α₀ exp(γ_αᵀ z^α), β_i = β₀ exp(γ_βᵀ z^β) (module doc, "sBG").
    const LINKS: &'static [Link] = &[Link::Purchase(1.0), Link::Dropout(1.0)];
    fn values(&self) -> Vec<f64> {
        vec![self.alpha, self.beta]
    }
    fn from_values(v: &[f64]) -> Self {
        Self {
            alpha: v[0],
            beta: v[1],
        }
    }
    fn ll(data: &SbgCohorts) -> sealed::Ll<'_> {
        Box::new(crate::models::sbg::log_likelihood_fn(data))
    }
    fn starts(_: &SbgCohorts) -> Vec<Vec<f64>> {
        crate::models::sbg::STARTS
            .iter()
            .map(|s| s.to_vec())
            .collect()
    }
    fn status(search: FitStatus, p: &Self, _: &SbgCohorts) -> FitStatus {
        crate::optim::boundary_status(search, &[p.alpha, p.beta], &[])
    }
    fn lists(o: &CovariateOptions) -> Result<Lists<'_>> {
        only(
            o,
            "sBG",
            (&o.alpha, "alpha", o.l2_alpha, "l2_alpha"),
            (&o.beta, "beta", o.l2_beta, "l2_beta"),
        )
    }
}
impl CovariateParams for SbgParams {}

/// The natural parameters of a customer whose linear predictors are
/// `purchase` = γ_Pᵀ z^P and `dropout` = γ_Dᵀ z^D (module doc).
fn individual(base: &[f64], links: &[Link], purchase: f64, dropout: f64) -> Vec<f64> {
    let mut out = base.to_vec();
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
/// e^{dropout} for the BG/NBD; for the Gamma-Gamma γ_i = γ₀ e^{purchase}
/// with `purchase` the spend predictor, `dropout` unused; for the sBG
/// α_i = α₀ e^{purchase} and β_i = β₀ e^{dropout} with the α and β
/// predictors).
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
pub fn customer_params<P: CovariateParams>(base: &P, purchase: f64, dropout: f64) -> Result<P> {
    let v = individual(&base.values(), P::LINKS, purchase, dropout);
    if v.iter().all(|x| x.is_finite() && *x > 0.0) {
        Ok(P::from_values(&v))
    } else {
        Err(invalid_arg(
            "covariates",
            format!("the customer's parameters {v:?} are not finite and positive"),
        ))
    }
}

/// The bits of a model's parameters, to group customers by.
fn bits<P: CovariateParams>(p: &P) -> Vec<u64> {
    p.values().iter().map(|v| v.to_bits()).collect()
}

/// `f(p, rows)` once per distinct parameters `p` among `params` (one per
/// row), with the rows that have them, in order of first appearance; its
/// values (one per row of `rows`) scattered back to those rows.
fn by_params<P: CovariateParams, T: Clone + Default>(
    params: &[P],
    f: impl Fn(&P, &[usize]) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, p) in params.iter().enumerate() {
        let k = *index.entry(bits(p)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[k].push(i);
    }
    let mut out = vec![T::default(); params.len()];
    for rows in &groups {
        let values = f(&params[rows[0]], rows)?;
        for (&i, v) in rows.iter().zip(values) {
            out[i] = v;
        }
    }
    Ok(out)
}

/// The Gamma-Gamma spend model of a CLV with covariates
/// ([`CovariateFit::clv`]): the same for every customer, or fitted with
/// covariates and evaluated at each customer's own parameters.
///
/// # Examples
/// ```
/// use retentionkit::models::{covariates::Spend, gamma_gamma::GammaGammaParams};
/// let s = Spend::Plain(GammaGammaParams::new(6.25, 3.74, 15.44)?);
/// assert!(matches!(s, Spend::Plain(p) if p.q == 3.74));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Spend<'a> {
    /// One model for all customers.
    Plain(GammaGammaParams),
    /// A fit with covariates ([`fit_gamma_gamma`]) and the customers'
    /// rows of its covariates, one per customer.
    Covariates {
        /// The spend fit.
        fit: &'a CovariateFit<GammaGammaParams>,
        /// Its covariates, one row per customer.
        covariates: &'a CovariateTable,
    },
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
    /// [`CovariateOptions::purchase`] (categorical covariates expanded);
    /// for the Gamma-Gamma the effects on spend
    /// ([`CovariateOptions::spend`]), for the sBG those on α
    /// ([`CovariateOptions::alpha`]).
    pub purchase: Vec<Effect>,
    /// The effects on the dropout process; for the sBG those on β
    /// ([`CovariateOptions::beta`]); empty for the Gamma-Gamma.
    pub dropout: Vec<Effect>,
    /// The log-likelihood at the estimates, without the penalties.
    pub log_likelihood: f64,
    /// Free parameters k: the model's own plus the distinct γ's.
    pub parameters: usize,
    /// Customers n (weights counted).
    pub observations: f64,
    /// Iterations used, over all starts.
    pub iterations: usize,
    /// How the search ended; [`FitStatus::AtBoundary`] by the rule of the
    /// model without covariates applied to the population parameters.
    pub status: FitStatus,
    categories: Vec<(String, Vec<String>)>,
    /// The inverse observed information over the base parameters and the
    /// distinct γ's ([`CovariateFit::covariance`]); `None` with the
    /// standard errors.
    covariance: Option<Vec<Vec<f64>>>,
    /// The index among the distinct γ's of each purchase / dropout effect.
    purchase_at: Vec<usize>,
    dropout_at: Vec<usize>,
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

fn design(table: &CovariateTable, o: &CovariateOptions, lists: &Lists<'_>) -> Result<Design> {
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
    let [(first, first_name, l2_first, l2_first_name), (second, second_name, l2_second, l2_second_name)] =
        *lists;
    let purchase = expand(first, first_name)?;
    let dropout = expand(second, second_name)?;
    let equal = expand(&o.equal, "equal")?;
    if first_name == second_name && !equal.is_empty() {
        return Err(invalid_arg(
            "equal",
            format!("the model has one list of effects (`{first_name}`): nothing to make equal"),
        ));
    }
    for c in &equal {
        if !purchase.contains(c) || !dropout.contains(c) {
            return Err(invalid_arg(
                "equal",
                format!("`{c}` must be a {first_name} and a {second_name} covariate"),
            ));
        }
    }
    crate::error::check_non_negative(l2_first, l2_first_name)?;
    crate::error::check_non_negative(l2_second, l2_second_name)?;
    let (mut lambda, mut shared) = (Vec::new(), Vec::new());
    let mut purchase_at = Vec::new();
    for c in &purchase {
        purchase_at.push(lambda.len());
        let is_shared = equal.contains(c);
        lambda.push(if is_shared { 0.0 } else { l2_first });
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
            lambda.push(l2_second);
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
    links: &'static [Link],
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
        let nb = self.links.len();
        let base = &v[..nb];
        let gamma = &v[nb..];
        let mut ll = 0.0;
        let mut grad = vec![0.0; v.len()];
        for (g, f) in self.groups[range.clone()].iter().zip(&self.lls[range]) {
            let eta_p: f64 = (g.purchase.iter().zip(&self.design.purchase_at))
                .map(|(z, &k)| z * gamma[k])
                .sum();
            let eta_d: f64 = (g.dropout.iter().zip(&self.design.dropout_at))
                .map(|(z, &k)| z * gamma[k])
                .sum();
            let theta = individual(base, self.links, eta_p, eta_d);
            let (l, d) = f(&theta)?;
            ll += l;
            let (mut dp, mut dd) = (0.0, 0.0);
            for j in 0..nb {
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
                grad[nb + k] += dp * z;
            }
            for (z, &k) in g.dropout.iter().zip(&self.design.dropout_at) {
                grad[nb + k] += dd * z;
            }
        }
        Some((ll, grad))
    }
}

/// Check the table against the data and the columns for constants.
fn check_design(rows: usize, table: &CovariateTable, d: &Design) -> Result<()> {
    check_length("covariates", rows, table.rows())?;
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
struct Problem<D> {
    design: Design,
    zp: Vec<Vec<f64>>,
    zd: Vec<Vec<f64>>,
    groups: Vec<Group>,
    subsets: Vec<Option<D>>,
}

impl<D: Rows> Problem<D> {
    fn new<P: Model<Data = D>>(
        data: &D,
        table: &CovariateTable,
        options: &CovariateOptions,
        check_constant: bool,
    ) -> Result<Self> {
        let design = design(table, options, &P::lists(options)?)?;
        if check_constant {
            check_design(data.rows(), table, &design)?;
        } else {
            check_length("covariates", data.rows(), table.rows())?;
        }
        let (zp, zd) = (
            rows_of(table, &design.purchase),
            rows_of(table, &design.dropout),
        );
        let groups = groups(&zp, &zd);
        let subsets = groups
            .iter()
            .map(|g| (g.rows.len() < data.rows()).then(|| data.pick(&g.rows)))
            .collect();
        Ok(Self {
            design,
            zp,
            zd,
            groups,
            subsets,
        })
    }

    fn likelihood<'a, P: Model<Data = D>>(&'a self, data: &'a D) -> Likelihood<'a> {
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

fn fit_with<P: CovariateParams>(
    data: &P::Data,
    table: &CovariateTable,
    options: &CovariateOptions,
    check_constant: bool,
) -> Result<CovariateFit<P>> {
    let fit_options = &options.fit;
    crate::error::check_non_negative(fit_options.penalizer, "penalizer")?;
    let problem = Problem::new::<P>(data, table, options, check_constant)?;
    let like = problem.likelihood::<P>(data);
    let (d, zp, zd) = (&problem.design, &problem.zp, &problem.zd);
    let n = data.observations();
    let nb = P::LINKS.len();
    let (lambda, penalizer) = (&d.lambda, fit_options.penalizer);
    // −LL/n + λ Σ θ² over ln θ (as optim::fit_positive), + Σ λ_k γ_k².
    let objective = |phi: &[f64]| -> Option<(f64, Vec<f64>)> {
        let mut v: Vec<f64> = phi[..nb].iter().map(|t| t.exp()).collect();
        v.extend_from_slice(&phi[nb..]);
        let (value, g) = like.eval(&v)?;
        let pen: f64 = v[..nb].iter().map(|x| x * x).sum();
        let reg: f64 = lambda.iter().zip(&v[nb..]).map(|(l, x)| l * x * x).sum();
        let mut grad: Vec<f64> = g[..nb]
            .iter()
            .zip(&v[..nb])
            .map(|(gj, vj)| (-gj / n + 2.0 * penalizer * vj) * vj)
            .collect();
        grad.extend(
            g[nb..]
                .iter()
                .zip(&v[nb..])
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
    let mut v: Vec<f64> = m.x[..nb].iter().map(|t| t.exp()).collect();
    v.extend_from_slice(&m.x[nb..]);
    let params = P::from_values(&v[..nb]);
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
            if j < nb {
                1e-5 * x.abs()
            } else {
                let zm = z_max[j - nb];
                1e-5 * x.abs().max(if zm > 0.0 { 1.0 / zm } else { 1.0 })
            }
        })
        .collect();
    let (se, covariance) = standard_errors(&like, &v, &steps, nb).unzip();
    let effect = |names: &[String], at: &[usize]| -> Vec<Effect> {
        names
            .iter()
            .zip(at)
            .map(|(name, &j)| Effect {
                name: name.clone(),
                estimate: v[nb + j],
                standard_error: se.as_ref().map(|s| s[nb + j]),
                shared: d.shared[j],
            })
            .collect()
    };
    Ok(CovariateFit {
        params,
        standard_errors: se.as_ref().map(|s| P::from_values(&s[..nb])),
        purchase: effect(&d.purchase, &d.purchase_at),
        dropout: effect(&d.dropout, &d.dropout_at),
        log_likelihood,
        parameters: nb + k,
        observations: n,
        iterations,
        status: P::status(m.status, &params, data),
        categories: table.categories(),
        covariance,
        purchase_at: d.purchase_at.clone(),
        dropout_at: d.dropout_at.clone(),
    })
}

/// The inverse Hessian of −LL at `v`, by central differences of the
/// analytic gradient with `steps`, and √ of its diagonal; `None` unless
/// positive definite.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn standard_errors(
    like: &Likelihood<'_>,
    v: &[f64],
    steps: &[f64],
    nb: usize,
) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
    let n = v.len();
    let mut hess = vec![vec![0.0; n]; n];
    for j in 0..n {
        let (mut up, mut down) = (v.to_vec(), v.to_vec());
        up[j] += steps[j];
        down[j] -= steps[j];
        if up[..nb].iter().chain(&down[..nb]).any(|x| *x <= 0.0) {
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
    se.iter()
        .all(|s| s.is_finite() && *s > 0.0)
        .then_some((se, inv))
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

/// Fit the MBG/NBD model with covariates (module doc, "MBG/NBD"): the
/// BG/NBD's parametrisation, α_i = α₀ e^{−γ_Pᵀz_i^P}, a_i = a₀ e^{γ_Dᵀz_i^D},
/// b_i = b₀ e^{γ_Dᵀz_i^D}; as [`fit_pareto_nbd`].
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
/// let fit = fit_mbg_nbd(&data, &table, &o)?;
/// assert_eq!(fit.covariance_names(), ["r", "alpha", "a", "b", "purchase:x", "dropout:x"]);
/// // Unlike the BG/NBD, a customer without repeat purchases may be gone.
/// assert!(fit.probability_alive(&table, &[0; 6], &[0.0; 6], &[30.0; 6])?[0] < 1.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_mbg_nbd(
    data: &RepeatData,
    covariates: &CovariateTable,
    options: &CovariateOptions,
) -> Result<CovariateFit<MbgNbdParams>> {
    fit_with(data, covariates, options, true)
}

/// Fit the Gamma-Gamma spend model with covariates on the spend scale γ
/// (module doc, "Gamma-Gamma"): `covariates` has one row per row of
/// `data`, and [`CovariateOptions::spend`] names the covariates
/// ([`CovariateOptions::l2_spend`] their penalty). The effects are in
/// [`CovariateFit::purchase`]; [`CovariateFit::dropout`] is empty.
///
/// # Errors
/// As [`fit_pareto_nbd`]; [`Error::InvalidArgument`] for purchase,
/// dropout, α, β or equal covariates, which the model does not take.
///
/// # Examples
/// ```
/// use retentionkit::models::{covariates::*, gamma_gamma::SpendData};
/// let data = SpendData::new(&[1, 2, 3, 1, 4, 2, 5, 1], &[12.0, 30.0, 22.0, 8.0, 41.0, 18.0, 35.0, 9.0], None)?;
/// let table = CovariateTable::new(8).with_categorical("store", &["a", "b", "b", "a", "b", "a", "b", "a"], None)?;
/// let fit = fit_gamma_gamma(&data, &table, &CovariateOptions::default().with_spend(vec!["store".into()]))?;
/// assert_eq!((fit.purchase[0].name.as_str(), fit.parameters), ("store=b", 4));
/// // Store b's customers spend more: γ_b = γ₀ e^δ with δ > 0.
/// assert!(fit.purchase[0].estimate > 0.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_gamma_gamma(
    data: &SpendData,
    covariates: &CovariateTable,
    options: &CovariateOptions,
) -> Result<CovariateFit<GammaGammaParams>> {
    fit_with(data, covariates, options, true)
}

/// Fit the sBG model with covariates per cohort (module doc, "sBG"):
/// `covariates` has one row per cohort of `cohorts`;
/// [`CovariateOptions::alpha`] and [`CovariateOptions::beta`] name the
/// covariates of α and β ([`CovariateOptions::l2_alpha`],
/// [`CovariateOptions::l2_beta`] their penalties; a covariate in
/// [`CovariateOptions::equal`] scales α and β together). The effects on α
/// are in [`CovariateFit::purchase`], those on β in
/// [`CovariateFit::dropout`].
///
/// # Errors
/// As [`fit_pareto_nbd`]; [`Error::InvalidArgument`] for purchase,
/// dropout or spend covariates, which the model does not take.
///
/// # Examples
/// ```
/// use retentionkit::models::{covariates::*, sbg::SbgCohorts};
/// // Fader & Hardie (2007), table 1: "regular" and "high end", years 0..7.
/// let cohorts = SbgCohorts::from_survivors(&[
///     vec![1000, 631, 468, 382, 326, 289, 262, 241],
///     vec![1000, 869, 743, 653, 593, 551, 517, 491],
/// ])?;
/// let table = CovariateTable::new(2).with_categorical("segment", &["regular", "high end"], None)?;
/// let o = CovariateOptions::default().with_alpha(vec!["segment".into()]).with_beta(vec!["segment".into()]);
/// let fit = fit_sbg(&cohorts, &table, &o)?;
/// // "high end" is the reference level: (α₀, β₀) are its own estimates,
/// // published as α = 0.668, β = 3.806.
/// assert_eq!((fit.params.alpha * 1e3).round(), 668.0);
/// assert_eq!((fit.params.beta * 1e3).round(), 3806.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_sbg(
    cohorts: &SbgCohorts,
    covariates: &CovariateTable,
    options: &CovariateOptions,
) -> Result<CovariateFit<SbgParams>> {
    fit_with(cohorts, covariates, options, true)
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

impl<P: CovariateParams> CovariateFit<P> {
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
        self.params_with(&self.params, &self.gammas(), covariates)
    }

    /// The covariance of the estimates, the inverse observed information
    /// (whose diagonal's square roots are the standard errors), rows and
    /// columns in the order of [`CovariateFit::covariance_names`]: the
    /// model's population parameters, then the distinct effects (the
    /// purchase effects, then the dropout effects not shared with a
    /// purchase one). `None` without standard errors.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// if let (Some(c), Some(se)) = (fit.covariance(), fit.standard_errors) {
    ///     assert_eq!(c.len(), 5);
    ///     assert_eq!(c[0][0].sqrt(), se.r);
    ///     assert_eq!(c[4][4].sqrt(), fit.purchase[0].standard_error.unwrap());
    /// }
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn covariance(&self) -> Option<&[Vec<f64>]> {
        self.covariance.as_deref()
    }

    /// The names of the rows of [`CovariateFit::covariance`]: the
    /// population parameters (`"r"`, `"alpha"`, …), then each distinct
    /// effect as `purchase:NAME`, `dropout:NAME` or, shared by both
    /// processes, `shared:NAME` (the sBG's `alpha:`/`beta:` and the
    /// Gamma-Gamma's `spend:` are reported as `purchase:` and `dropout:`,
    /// the lists they are kept in).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let o = CovariateOptions::default().with_purchase(vec!["x".into()]).with_dropout(vec!["x".into()]);
    /// let fit = fit_bg_nbd(&data, &table, &o)?;
    /// assert_eq!(fit.covariance_names(), ["r", "alpha", "a", "b", "purchase:x", "dropout:x"]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn covariance_names(&self) -> Vec<String> {
        let mut out: Vec<String> = P::NAMES.iter().map(|n| (*n).to_owned()).collect();
        let mut effects = vec![String::new(); self.gammas().len()];
        for (list, at, what) in [
            (&self.purchase, &self.purchase_at, "purchase"),
            (&self.dropout, &self.dropout_at, "dropout"),
        ] {
            for (e, &j) in list.iter().zip(at) {
                if effects[j].is_empty() {
                    let what = if e.shared { "shared" } else { what };
                    effects[j] = format!("{what}:{}", e.name);
                }
            }
        }
        out.extend(effects);
        out
    }

    /// The distinct γ's, in the order of the covariance (the purchase
    /// effects, then the dropout effects not shared with a purchase one).
    fn gammas(&self) -> Vec<f64> {
        let k = self
            .purchase_at
            .iter()
            .chain(&self.dropout_at)
            .max()
            .map_or(0, |m| m + 1);
        let mut out = vec![0.0; k];
        for (effects, at) in [
            (&self.purchase, &self.purchase_at),
            (&self.dropout, &self.dropout_at),
        ] {
            for (e, &j) in effects.iter().zip(at) {
                out[j] = e.estimate;
            }
        }
        out
    }

    /// [`CovariateFit::customer_params`] with the population parameters
    /// `base` and the distinct γ's `gamma` in place of the estimates.
    fn params_with(&self, base: &P, gamma: &[f64], covariates: &CovariateTable) -> Result<Vec<P>> {
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
        for (effects, at, eta) in [
            (&self.purchase, &self.purchase_at, &mut eta_p),
            (&self.dropout, &self.dropout_at, &mut eta_d),
        ] {
            for (e, &j) in effects.iter().zip(at) {
                for (acc, z) in eta.iter_mut().zip(column(&e.name)?) {
                    *acc += z * gamma[j];
                }
            }
        }
        eta_p
            .iter()
            .zip(&eta_d)
            .map(|(&p, &d)| customer_params(base, p, d))
            .collect()
    }
}

impl<P: CovariateModel> CovariateFit<P> {
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

    /// P(alive at T + `horizon`) of each customer (x, t_x, T) with its
    /// covariates: the model's [`RepeatModel::probability_alive_at`] at
    /// [`CovariateFit::customer_params`], evaluated by the model's
    /// [`RepeatModel::probability_alive_at_columns`] once per group of
    /// customers with equal parameters.
    ///
    /// # Errors
    /// As [`CovariateFit::probability_alive`], and for a bad `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, repeat::RepeatModel, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_pareto_nbd(&data, &table, &CovariateOptions::default().with_dropout(vec!["x".into()]))?;
    /// let one = CovariateTable::new(1).with_numeric("x", &[0.5])?;
    /// let p = fit.probability_alive_at(&one, &[3], &[20.0], &[30.0], 10.0)?;
    /// assert_eq!(p[0], fit.customer_params(&one)?[0].probability_alive_at(3, 20.0, 30.0, 10.0)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive_at(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Vec<f64>> {
        crate::error::check_non_negative(horizon, "horizon")?;
        self.per_group(covariates, frequency, recency, age, |p, x, tx, t| {
            p.probability_alive_at_columns(x, tx, t, horizon)
        })
    }

    /// P(exactly `n` purchases in (T, T + `horizon`]) of each customer
    /// (x, t_x, T) with its covariates: the model's
    /// [`RepeatModel::probability_of_purchases`] at
    /// [`CovariateFit::customer_params`], once per distinct customer and
    /// parameters.
    ///
    /// # Errors
    /// As [`CovariateFit::probability_alive`], and for a bad `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, repeat::RepeatModel, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// let one = CovariateTable::new(1).with_numeric("x", &[0.5])?;
    /// // The probabilities of 0, 1, 2, … purchases in the next 10 sum to 1.
    /// let total: f64 = (0..200)
    ///     .map(|n| fit.probability_of_purchases(&one, &[3], &[20.0], &[30.0], 10.0, n).map(|p| p[0]))
    ///     .sum::<retentionkit::Result<f64>>()?;
    /// assert!((total - 1.0).abs() < 1e-10);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_purchases(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
        n: u32,
    ) -> Result<Vec<f64>> {
        crate::error::check_non_negative(horizon, "horizon")?;
        self.per_group(covariates, frequency, recency, age, |p, x, tx, t| {
            crate::models::repeat::per_distinct(x, tx, t, |x, tx, t| {
                p.probability_of_purchases(x, tx, t, horizon, n)
            })
        })
    }

    /// P(exactly `n` repeat purchases in the first `horizon`) of a customer
    /// just acquired with each row's covariates: the model's
    /// [`RepeatModel::probability_of_purchases_new`] at
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
    /// assert_eq!(fit.probability_of_purchases_new(&zero, 52.0, 2)?[0], fit.params.probability_of_purchases_new(52.0, 2)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_purchases_new(
        &self,
        covariates: &CovariateTable,
        horizon: f64,
        n: u32,
    ) -> Result<Vec<f64>> {
        crate::error::check_non_negative(horizon, "horizon")?;
        let params = self.customer_params(covariates)?;
        crate::models::repeat::per_key(
            params.len(),
            |i| bits(&params[i]),
            |i| params[i].probability_of_purchases_new(horizon, n),
        )
    }

    /// Per customer, the discounted expected purchases over the periods of
    /// `options` with its covariates: the model's
    /// [`RepeatModel::discounted_purchases`] (the CLV of
    /// [`crate::models::check::clv`] without the spend factor) at
    /// [`CovariateFit::customer_params`], once per group of customers with
    /// equal parameters.
    ///
    /// # Errors
    /// As [`CovariateFit::probability_alive`], and for invalid `options`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{check::ClvOptions, covariates::*, repeat::RepeatModel, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// let o = ClvOptions::default().with_period_length(4.0);
    /// let d = fit.discounted_purchases(&table, &[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], &o)?;
    /// let own = fit.customer_params(&table)?;
    /// assert_eq!(d[2], own[2].discounted_purchases(&[3], &[20.0], &[30.0], &o)?[0]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn discounted_purchases(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        options: &ClvOptions,
    ) -> Result<Vec<f64>> {
        options.check()?;
        self.per_group(covariates, frequency, recency, age, |p, x, tx, t| {
            p.discounted_purchases(x, tx, t, options)
        })
    }

    /// DERT, the discounted expected residual transactions at the
    /// continuous rate `discount_rate` per time unit, of each customer with
    /// its covariates: the model's [`RepeatModel::dert`] (by
    /// [`RepeatModel::dert_columns`]) at [`CovariateFit::customer_params`],
    /// once per group of customers with equal parameters.
    ///
    /// # Errors
    /// As [`CovariateFit::probability_alive`], and for a discount rate that
    /// is not finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, repeat::RepeatModel, RepeatData};
    /// let data = RepeatData::new(&[0, 1, 3, 5, 2, 0], &[0.0, 10.0, 20.0, 30.0, 25.0, 0.0], &[30.0, 30.0, 30.0, 31.0, 32.0, 28.0], None)?;
    /// let table = CovariateTable::new(6).with_numeric("x", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_pareto_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["x".into()]))?;
    /// let one = CovariateTable::new(1).with_numeric("x", &[0.5])?;
    /// let d = fit.dert(&one, &[3], &[20.0], &[30.0], 0.01)?;
    /// assert_eq!(d[0], fit.customer_params(&one)?[0].dert(3, 20.0, 30.0, 0.01)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn dert(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        discount_rate: f64,
    ) -> Result<Vec<f64>> {
        crate::models::check_positive(discount_rate, "discount_rate")?;
        self.per_group(covariates, frequency, recency, age, |p, x, tx, t| {
            p.dert_columns(x, tx, t, discount_rate)
        })
    }

    /// Discounted CLV of each customer with its covariates: the customer's
    /// [`CovariateFit::discounted_purchases`] times its expected mean spend
    /// from `spend` (a plain Gamma-Gamma model or one with covariates,
    /// [`Spend`]), the formula of [`crate::models::check::clv`] and
    /// [`crate::models::check::clv_values`] at the customer's own
    /// parameters of both models.
    ///
    /// # Errors
    /// As [`CovariateFit::discounted_purchases`];
    /// [`Error::LengthMismatch`] for a `monetary` column (or a spend
    /// covariate table) of another length; [`Error::InvalidValue`] (column
    /// `monetary_value`) at the first row with a negative or non-finite mean
    /// spend; as [`CovariateFit::customer_params`] for the spend model's
    /// covariates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{check::{clv_values, ClvOptions}, covariates::*, gamma_gamma::GammaGammaParams, RepeatData};
    /// let (x, tx, t) = ([0, 1, 3, 5, 2, 0], [0.0, 10.0, 20.0, 30.0, 25.0, 0.0], [30.0, 30.0, 30.0, 31.0, 32.0, 28.0]);
    /// let data = RepeatData::new(&x, &tx, &t, None)?;
    /// let table = CovariateTable::new(6).with_numeric("z", &[0.1, -0.3, 0.5, 0.2, -0.1, 0.4])?;
    /// let fit = fit_bg_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["z".into()]))?;
    /// let spend = GammaGammaParams::new(6.25, 3.74, 15.44)?;
    /// let m = [0.0, 20.0, 35.0, 18.0, 22.0, 0.0];
    /// let o = ClvOptions::default().with_period_length(4.0);
    /// let v = fit.clv(&table, &x, &tx, &t, &m, Spend::Plain(spend), &o)?;
    /// // Customer 2 is the plain CLV at its own BG/NBD parameters.
    /// let own = fit.customer_params(&table)?[2];
    /// assert_eq!(v[2], clv_values(&own, &spend, &[3], &[20.0], &[30.0], &[35.0], &o)?[0]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    #[allow(clippy::too_many_arguments)] // the customer columns, the spend model and its options
    pub fn clv(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        monetary: &[f64],
        spend: Spend<'_>,
        options: &ClvOptions,
    ) -> Result<Vec<f64>> {
        check_length("monetary_value", frequency.len(), monetary.len())?;
        let discounted = self.discounted_purchases(covariates, frequency, recency, age, options)?;
        let spend_params: Vec<GammaGammaParams> = match spend {
            Spend::Plain(p) => vec![p; frequency.len()],
            Spend::Covariates { fit, covariates } => {
                check_length("covariates", frequency.len(), covariates.rows())?;
                fit.customer_params(covariates)?
            }
        };
        frequency
            .iter()
            .zip(monetary)
            .zip(discounted)
            .enumerate()
            .map(|(row, ((&x, &m), d))| Ok(mean_spend_at(&spend_params[row], row, x, m)? * d))
            .collect()
    }

    /// Delta-method intervals at `level` on `quantity` for the customers
    /// of the columns with their covariates: the quantity of
    /// [`crate::models::interval::Quantity`] at each customer's own
    /// parameters, its standard error √(∇q Σ ∇qᵀ) with Σ the fit's
    /// [`CovariateFit::covariance`] over the population parameters and the
    /// γ's, ∇q by central differences, and the interval symmetric on the
    /// log scale (purchases, CLV) or the logit scale (P(alive)), as
    /// [`crate::models::interval::ParameterCovariance::intervals`] does for
    /// the models without covariates. A total ([`Quantity::TotalPurchases`],
    /// [`Quantity::WeightedTotalPurchases`], [`Quantity::TotalClv`]) sums
    /// the customers' values over all of them, whatever their covariates.
    ///
    /// # Formula
    /// $$ \widehat{\mathrm{se}}(q) = \sqrt{\nabla q^\top \hat\Sigma\\, \nabla q}, \qquad
    ///    \frac{\partial q}{\partial\theta_j} \approx \frac{q(\theta + h_j e_j) - q(\theta - h_j e_j)}{2 h_j}, $$
    /// over θ = (r, α₀, s, β₀, γ…) (BG/NBD: r, α₀, a₀, b₀, γ…), with
    /// h_j = 10⁻⁵ θ_j for a population parameter and
    /// h_j = 10⁻⁵ max(|γ_j|, 1/max|z_j|) for an effect (at most 10⁻⁵ in
    /// γ·z over the customers, as the fit's Hessian). Source:
    /// docs/metrics.md, "Intervals on parameters and predictions" and
    /// "Covariates".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `fit` when the fit did not converge
    /// or has no covariance (no standard errors), or for a level not
    /// strictly between 0 and 1; as [`CovariateFit::probability_alive`]
    /// and [`Quantity::evaluate`] otherwise.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, interval::Quantity, pareto_nbd::ParetoNbdParams, simulate, RepeatData};
    /// // 1,000 customers at FHL (2005)'s CDNOW Pareto/NBD estimates; the
    /// // odd ones (web = y) buy e^0.5 times as often.
    /// let web: Vec<f64> = (0..1000).map(|i| f64::from(i % 2)).collect();
    /// let purchase: Vec<f64> = web.iter().map(|w| 0.5 * w).collect();
    /// let base = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669)?;
    /// let sim = simulate::covariates(&base, &purchase, &[0.0; 1000], &[39.0; 1000], 7)?;
    /// let (x, tx, t) = (&sim.frequency, &sim.recency, &sim.age);
    /// let data = RepeatData::new(x, tx, t, None)?;
    /// let table = CovariateTable::new(1000).with_numeric("web", &web)?;
    /// let fit = fit_pareto_nbd(&data, &table, &CovariateOptions::default().with_purchase(vec!["web".into()]))?;
    /// // 90 % intervals on each customer's expected purchases in the next 10 weeks.
    /// let iv = fit.intervals(&Quantity::ExpectedPurchases { horizon: 10.0 }, &table, x, tx, t, 0.9)?;
    /// assert_eq!(iv.estimate, fit.expected_purchases(&table, x, tx, t, 10.0)?);
    /// assert!(iv.lower[1] < iv.estimate[1] && iv.estimate[1] < iv.upper[1]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn intervals(
        &self,
        quantity: &Quantity<'_>,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        level: f64,
    ) -> Result<Intervals> {
        let z = z_of(level)?;
        if self.status != FitStatus::Converged {
            return Err(invalid_arg(
                "fit",
                format!(
                    "the fit's status is {}, not converged: no covariance",
                    self.status.as_str()
                ),
            ));
        }
        let Some(cov) = &self.covariance else {
            return Err(invalid_arg(
                "fit",
                "the observed information is not positive definite at the estimates: no covariance",
            ));
        };
        check_columns(frequency, recency, age)?;
        check_length("covariates", frequency.len(), covariates.rows())?;
        let nb = P::LINKS.len();
        let mut theta = self.params.values();
        theta.extend(self.gammas());
        let q = |v: &[f64]| {
            let params = self.params_with(&P::from_values(&v[..nb]), &v[nb..], covariates)?;
            Self::evaluate(quantity, &params, frequency, recency, age)
        };
        let estimate = q(&theta)?;
        // max|z| over the prediction rows of each γ's columns.
        let mut z_max = vec![0.0f64; theta.len() - nb];
        for (effects, at) in [
            (&self.purchase, &self.purchase_at),
            (&self.dropout, &self.dropout_at),
        ] {
            for (e, &j) in effects.iter().zip(at) {
                let col = covariates.column(&e.name).unwrap_or_default();
                z_max[j] = col.iter().fold(z_max[j], |m, v| m.max(v.abs()));
            }
        }
        let mut gradient = vec![vec![0.0; theta.len()]; estimate.len()];
        for j in 0..theta.len() {
            let h = if j < nb {
                1e-5 * theta[j]
            } else {
                let zm = z_max[j - nb];
                1e-5 * theta[j].abs().max(if zm > 0.0 { 1.0 / zm } else { 1.0 })
            };
            let (mut up, mut down) = (theta.clone(), theta.clone());
            up[j] += h;
            down[j] -= h;
            let (qu, qd) = (q(&up)?, q(&down)?);
            for ((g, u), d) in gradient.iter_mut().zip(&qu).zip(&qd) {
                g[j] = (u - d) / (2.0 * h);
            }
        }
        let standard_error: Vec<f64> = gradient
            .iter()
            .map(|g| {
                let mut v = 0.0;
                for (gi, row) in g.iter().zip(cov) {
                    for (gj, c) in g.iter().zip(row) {
                        v += gi * c * gj;
                    }
                }
                v.max(0.0).sqrt()
            })
            .collect();
        let scale = quantity.scale();
        let (lower, upper) = estimate
            .iter()
            .zip(&standard_error)
            .map(|(&q, &se)| transformed(q, se, z, scale))
            .unzip();
        Ok(Intervals {
            level,
            estimate,
            standard_error,
            lower,
            upper,
        })
    }

    /// `quantity` at the customers' own parameters `params` (one per row):
    /// [`Quantity::evaluate`] on each group of customers with equal
    /// parameters, totals summed over the groups.
    fn evaluate(
        quantity: &Quantity<'_>,
        params: &[P],
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
    ) -> Result<Vec<f64>> {
        let per_row = |q: &Quantity<'_>| {
            by_params(params, |p, rows| {
                let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
                let x: Vec<u32> = rows.iter().map(|&i| frequency[i]).collect();
                let (tx, t) = (pick(recency), pick(age));
                match *q {
                    Quantity::Clv {
                        spend,
                        monetary,
                        options,
                    } => {
                        let m = pick(monetary);
                        let sub = Quantity::Clv {
                            spend,
                            monetary: &m,
                            options,
                        };
                        sub.evaluate(p, &x, &tx, &t)
                    }
                    _ => q.evaluate(p, &x, &tx, &t),
                }
            })
        };
        let monetary_rows =
            |monetary: &[f64]| check_length("monetary_value", frequency.len(), monetary.len());
        match *quantity {
            Quantity::TotalPurchases { horizon } => {
                Ok(vec![per_row(&Quantity::ExpectedPurchases { horizon })?
                    .iter()
                    .sum()])
            }
            Quantity::WeightedTotalPurchases { horizon, weights } => {
                check_weights(weights, frequency.len())?;
                let each = per_row(&Quantity::ExpectedPurchases { horizon })?;
                Ok(vec![each.iter().zip(weights).map(|(e, w)| e * w).sum()])
            }
            Quantity::TotalClv {
                spend,
                monetary,
                options,
            } => {
                monetary_rows(monetary)?;
                let each = per_row(&Quantity::Clv {
                    spend,
                    monetary,
                    options,
                })?;
                Ok(vec![each.iter().sum()])
            }
            Quantity::Clv { monetary, .. } => {
                monetary_rows(monetary)?;
                per_row(quantity)
            }
            _ => per_row(quantity),
        }
    }

    /// `f` on the columns of each group of customers with equal parameters
    /// (bit for bit), values scattered back to their rows: one call on the
    /// columns themselves when all customers share their parameters.
    fn per_group(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        f: impl Fn(&P, &[u32], &[f64], &[f64]) -> Result<Vec<f64>>,
    ) -> Result<Vec<f64>> {
        check_columns(frequency, recency, age)?;
        check_length("covariates", frequency.len(), covariates.rows())?;
        let params = self.customer_params(covariates)?;
        by_params(&params, |p, rows| {
            if rows.len() == frequency.len() {
                return f(p, frequency, recency, age);
            }
            let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            let x: Vec<u32> = rows.iter().map(|&i| frequency[i]).collect();
            f(p, &x, &pick(recency), &pick(age)).map_err(|e| match e {
                Error::InvalidValue {
                    column,
                    row,
                    reason,
                } => Error::InvalidValue {
                    column,
                    row: rows[row],
                    reason,
                },
                other => other,
            })
        })
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

impl CovariateFit<GammaGammaParams> {
    /// Expected mean spend per transaction of each customer with
    /// `frequency` (x) repeat transactions of mean value `monetary` (z̄) and
    /// its covariates: [`GammaGammaParams::expected_mean_spend`] at the
    /// customer's own parameters ([`CovariateFit::customer_params`], γ_i =
    /// γ₀ e^{δᵀz_i}).
    ///
    /// # Errors
    /// As [`CovariateFit::customer_params`]; [`Error::LengthMismatch`] for
    /// columns of different lengths; the model's errors, at their row.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, gamma_gamma::SpendData};
    /// let data = SpendData::new(&[1, 2, 3, 1, 4, 2, 5, 1], &[12.0, 30.0, 22.0, 8.0, 41.0, 18.0, 35.0, 9.0], None)?;
    /// let table = CovariateTable::new(8).with_numeric("z", &[0.1, 0.9, 0.5, -0.2, 1.1, 0.0, 0.8, -0.5])?;
    /// let fit = fit_gamma_gamma(&data, &table, &CovariateOptions::default().with_spend(vec!["z".into()]))?;
    /// let one = CovariateTable::new(1).with_numeric("z", &[0.9])?;
    /// let e = fit.expected_mean_spend(&one, &[2], &[30.0])?;
    /// assert_eq!(e[0], fit.customer_params(&one)?[0].expected_mean_spend(2, 30.0)?);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_mean_spend(
        &self,
        covariates: &CovariateTable,
        frequency: &[u32],
        monetary: &[f64],
    ) -> Result<Vec<f64>> {
        check_length("monetary", frequency.len(), monetary.len())?;
        check_length("covariates", frequency.len(), covariates.rows())?;
        self.customer_params(covariates)?
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.expected_mean_spend(frequency[i], monetary[i])
                    .map_err(|e| match e {
                        Error::InvalidArgument {
                            name: "monetary",
                            reason,
                        } => Error::InvalidValue {
                            column: "monetary",
                            row: i,
                            reason,
                        },
                        other => other,
                    })
            })
            .collect()
    }
}

impl CovariateFit<SbgParams> {
    /// S(t), the share of each row's cohort still customers after `t`
    /// periods: [`SbgParams::survival`] at the row's own (α_i, β_i)
    /// ([`CovariateFit::customer_params`]).
    ///
    /// # Errors
    /// As [`CovariateFit::customer_params`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, sbg::SbgCohorts};
    /// let cohorts = SbgCohorts::from_survivors(&[[1000, 631, 468, 382], [1000, 869, 743, 653]])?;
    /// let table = CovariateTable::new(2).with_categorical("segment", &["regular", "high end"], None)?;
    /// let fit = fit_sbg(&cohorts, &table, &CovariateOptions::default().with_alpha(vec!["segment".into()]))?;
    /// let s = fit.survival(&table, 3)?;
    /// assert!(s[1] > s[0]); // the high-end cohort keeps more customers
    /// assert_eq!(s[1], fit.params.survival(3)); // the reference level
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn survival(&self, covariates: &CovariateTable, t: u32) -> Result<Vec<f64>> {
        Ok(self
            .customer_params(covariates)?
            .iter()
            .map(|p| p.survival(t))
            .collect())
    }

    /// The retention rate r(t) of period `t` of each row's cohort:
    /// [`SbgParams::retention_rate`] at the row's own (α_i, β_i).
    ///
    /// # Errors
    /// As [`CovariateFit::customer_params`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, sbg::SbgCohorts};
    /// let cohorts = SbgCohorts::from_survivors(&[[1000, 631, 468, 382], [1000, 869, 743, 653]])?;
    /// let table = CovariateTable::new(2).with_categorical("segment", &["regular", "high end"], None)?;
    /// let fit = fit_sbg(&cohorts, &table, &CovariateOptions::default().with_beta(vec!["segment".into()]))?;
    /// let own = fit.customer_params(&table)?;
    /// assert_eq!(fit.retention_rate(&table, 2)?[0], own[0].retention_rate(2));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn retention_rate(&self, covariates: &CovariateTable, t: u32) -> Result<Vec<f64>> {
        Ok(self
            .customer_params(covariates)?
            .iter()
            .map(|p| p.retention_rate(t))
            .collect())
    }

    /// Discounted expected residual lifetime after `renewals` renewals of
    /// a customer of each row's cohort: [`SbgParams::derl`] at the row's
    /// own (α_i, β_i).
    ///
    /// # Errors
    /// As [`CovariateFit::customer_params`] and [`SbgParams::derl`] (at its
    /// row).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{covariates::*, sbg::SbgCohorts};
    /// let cohorts = SbgCohorts::from_survivors(&[[1000, 631, 468, 382], [1000, 869, 743, 653]])?;
    /// let table = CovariateTable::new(2).with_numeric("high_end", &[0.0, 1.0])?;
    /// let fit = fit_sbg(&cohorts, &table, &CovariateOptions::default().with_alpha(vec!["high_end".into()]))?;
    /// let d = fit.derl(&table, 0.1, 0)?;
    /// assert_eq!(d[0], fit.params.derl(0.1, 0)?); // high_end = 0: the population
    /// assert!(d[1] > d[0]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn derl(
        &self,
        covariates: &CovariateTable,
        discount: f64,
        renewals: u32,
    ) -> Result<Vec<f64>> {
        self.customer_params(covariates)?
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.derl(discount, renewals)
                    .map_err(|e| crate::models::repeat::at_row(e, i))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
