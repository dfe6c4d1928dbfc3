//! `BgBb`: the BG/BB model of repeat transactions at discrete opportunities
//! (Fader, Hardie & Shang 2010) kept in wasm memory; every number is the
//! core's `models::bg_bb` and `models::interval::bg_bb_intervals_by`.

use retentionkit::error::{check_length, Error};
use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData, BgBbParams};
use retentionkit::models::interval::{
    bg_bb_intervals_by, BgBbTarget, BootstrapOptions, Method, DEFAULT_LEVEL,
};
use retentionkit::optim::{Fit, FitOptions};
use wasm_bindgen::prelude::*;

use crate::columns::{self, Options, MAX_SAFE};
use crate::error::{JsResult, OrThrow};
use crate::fit::{self, FitInfo};
use crate::out::{to_js, Obj};

/// Future opportunities of an interval at most (the core's own limit on
/// the opportunities of a history).
const MAX_FUTURE: f64 = 1e7;

/// Validated BG/BB columns: (frequency, recency, n) and the weights.
type Rows = (Vec<u32>, Vec<u32>, Vec<u32>, Option<Vec<u64>>);

/// What `intervals` refits or differentiates: the fit, its data, its
/// options and the rows it was made from (its default customers).
type Fitted = (Fit<BgBbParams>, BgBbData, FitOptions, Rows);

/// The core names the opportunities column `opportunities`; JS calls it `n`.
fn js_column(e: Error) -> Error {
    let n = |c: &'static str| if c == "opportunities" { "n" } else { c };
    match e {
        Error::InvalidValue {
            column,
            row,
            reason,
        } => Error::InvalidValue {
            column: n(column),
            row,
            reason,
        },
        Error::LengthMismatch {
            column,
            expected,
            got,
        } => Error::LengthMismatch {
            column: n(column),
            expected,
            got,
        },
        other => other,
    }
}

/// The columns `{ frequency, recency, n }` (and `weights` when `weighted`)
/// of `data`, checked for being whole numbers of the same length; the
/// core checks the histories themselves.
fn rows(data: &JsValue, name: &'static str, weighted: bool) -> Result<Rows, Error> {
    const FOR: &str = "the BG/BB model";
    let keys: &[&str] = if weighted {
        &["frequency", "recency", "n", "weights"]
    } else {
        &["frequency", "recency", "n"]
    };
    let o = Options::columns(data, name, keys)?;
    let column = |key: &'static str| -> Result<Vec<u32>, Error> {
        let v = o.get(key).ok_or(Error::MissingColumn {
            column: key,
            needed_for: FOR,
        })?;
        columns::counts(&v, key)
    };
    let (x, tx, n) = (column("frequency")?, column("recency")?, column("n")?);
    check_length("recency", x.len(), tx.len())?;
    check_length("n", x.len(), n.len())?;
    let w = o
        .get("weights")
        .map(|v| columns::whole_numbers(&v, "weights", MAX_SAFE))
        .transpose()?;
    if let Some(w) = &w {
        check_length("weights", x.len(), w.len())?;
    }
    Ok((x, tx, n, w))
}

/// The BG/BB model: at each opportunity an alive customer transacts with
/// probability p ~ beta(α, β) and then drops out with probability
/// θ ~ beta(γ, δ).
#[wasm_bindgen]
pub struct BgBb {
    params: BgBbParams,
    fit: Option<FitInfo<BgBbParams>>,
    /// The fit, its data and options, for `intervals` (`None` when typed in).
    fitted: Option<Box<Fitted>>,
}

#[wasm_bindgen]
impl BgBb {
    /// Typed-in parameters (for example published estimates); all must be
    /// finite and positive.
    #[wasm_bindgen(constructor)]
    pub fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> JsResult<BgBb> {
        Ok(BgBb {
            params: BgBbParams::new(alpha, beta, gamma, delta).or_throw()?,
            fit: None,
            fitted: None,
        })
    }

    /// Maximum-likelihood fit on `BgBbColumns`: `frequency` (x, opportunities
    /// with a transaction), `recency` (t_x, the last of them, 0 for none), `n`
    /// (opportunities) and optional whole-number `weights` (customers sharing
    /// the row). The core's `fit_bg_bb`; a fit that stops early is not an
    /// error: read `status`.
    pub fn fit(
        #[wasm_bindgen(unchecked_param_type = "BgBbColumns")] data: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
    ) -> JsResult<BgBb> {
        let o = fit::options(options)?;
        let run = || -> Result<_, Error> {
            let r = rows(data, "data", true)?;
            let d = BgBbData::new(&r.0, &r.1, &r.2, r.3.as_deref())?;
            let f = fit_bg_bb(&d, &o)?;
            Ok((f, d, r))
        };
        let (f, d, r) = run().map_err(js_column).or_throw()?;
        Ok(BgBb {
            params: f.params,
            fit: Some(FitInfo::of(&f)),
            fitted: Some(Box::new((f, d, o, r))),
        })
    }

    /// First shape of the beta distribution of transaction probabilities p.
    #[wasm_bindgen(getter)]
    pub fn alpha(&self) -> f64 {
        self.params.alpha
    }

    /// Second shape of the beta distribution of transaction probabilities p.
    #[wasm_bindgen(getter)]
    pub fn beta(&self) -> f64 {
        self.params.beta
    }

    /// First shape of the beta distribution of drop-out probabilities θ.
    #[wasm_bindgen(getter)]
    pub fn gamma(&self) -> f64 {
        self.params.gamma
    }

    /// Second shape of the beta distribution of drop-out probabilities θ.
    #[wasm_bindgen(getter)]
    pub fn delta(&self) -> f64 {
        self.params.delta
    }

    /// Log-likelihood at the fitted parameters (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.log_likelihood)
    }

    /// Iterations of the fit (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> Option<usize> {
        self.fit.as_ref().map(|f| f.iterations)
    }

    /// How the fit ended (`undefined` when typed in).
    #[wasm_bindgen(getter, unchecked_return_type = "FitStatus | undefined")]
    pub fn status(&self) -> Option<String> {
        self.fit.as_ref().map(|f| f.status.as_str().to_string())
    }

    /// The core's warning for the fit's status (`FitStatus::warning`: set
    /// for `"at_boundary"`), else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn warning(&self) -> Option<String> {
        self.fit
            .as_ref()
            .and_then(|f| f.status.warning())
            .map(str::to_string)
    }

    /// Akaike's information criterion 2k − 2 LL of the fit (the core's;
    /// `undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn aic(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.aic)
    }

    /// Schwarz's Bayesian information criterion k ln n − 2 LL of the fit,
    /// n the customers fitted (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn bic(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.bic)
    }

    /// Free parameters k of the fit, 4 (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nParameters)]
    pub fn n_parameters(&self) -> Option<usize> {
        self.fit.as_ref().map(|f| f.criteria.parameters)
    }

    /// Customers n the fit saw, weights counted (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nObservations)]
    pub fn n_observations(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.observations)
    }

    /// Standard errors from the observed information, `null` when that is
    /// not positive definite or the parameters were typed in.
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "BgBbParams | null")]
    pub fn standard_errors(&self) -> JsResult<JsValue> {
        match self.fit.as_ref().and_then(|f| f.standard_errors) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::NULL),
        }
    }

    /// The parameters as a plain object (`JSON.stringify` uses this).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "BgBbParams")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&self.params)
    }

    /// Probability that a customer with `frequency` transactions in `n`
    /// opportunities, the last at `recency`, is alive at opportunity n + 1
    /// (FHS 2010 eq. 11; the core's `BgBbParams::probability_alive`).
    #[wasm_bindgen(js_name = probabilityAlive)]
    pub fn probability_alive(&self, frequency: u32, recency: u32, n: u32) -> JsResult<f64> {
        self.params
            .probability_alive(frequency, recency, n)
            .or_throw()
    }

    /// Expected transactions of that customer in the next `future`
    /// opportunities (FHS 2010 eq. 13; `BgBbParams::expected_transactions`).
    #[wasm_bindgen(js_name = expectedTransactions)]
    pub fn expected_transactions(
        &self,
        frequency: u32,
        recency: u32,
        n: u32,
        future: u32,
    ) -> JsResult<f64> {
        self.params
            .expected_transactions(frequency, recency, n, future)
            .or_throw()
    }

    /// Expected transactions of a new customer in its first `n`
    /// opportunities (`BgBbParams::expected_transactions_new`).
    #[wasm_bindgen(js_name = expectedTransactionsNew)]
    pub fn expected_transactions_new(&self, n: u32) -> JsResult<f64> {
        self.params.expected_transactions_new(n).or_throw()
    }

    /// Probability that a new customer transacts at exactly `x` of its first
    /// `n` opportunities (FHS 2010 eq. 7;
    /// `BgBbParams::probability_of_transactions_new`).
    #[wasm_bindgen(js_name = probabilityOfTransactionsNew)]
    pub fn probability_of_transactions_new(&self, n: u32, x: u32) -> JsResult<f64> {
        self.params.probability_of_transactions_new(n, x).or_throw()
    }

    /// Probability that a customer with (`frequency`, `recency`, `n`)
    /// transacts at exactly `xFuture` of the next `future` opportunities
    /// (`BgBbParams::probability_of_transactions`).
    #[wasm_bindgen(js_name = probabilityOfTransactions)]
    pub fn probability_of_transactions(
        &self,
        frequency: u32,
        recency: u32,
        n: u32,
        future: u32,
        #[wasm_bindgen(js_name = xFuture)] x_future: u32,
    ) -> JsResult<f64> {
        self.params
            .probability_of_transactions(frequency, recency, n, future, x_future)
            .or_throw()
    }

    /// Intervals on the parameters (`quantity: 'parameters'`, the default),
    /// each customer's P(alive) (`'probability_alive'`) or expected
    /// transactions in the next `future` opportunities
    /// (`'expected_transactions'`), or their sum (`'total_transactions'`),
    /// for the `customers` `{ frequency, recency, n }` (default: the rows
    /// of the fit's data, each once) at `level` (default 0.9), by `method`:
    /// `'delta'` (the covariance of the fit's estimates, default) or
    /// `'bootstrap'` (`replicates` refits, default 1000, seeded by `seed`);
    /// the core's `models::interval::bg_bb_intervals_by`. A model with
    /// typed-in parameters throws.
    #[wasm_bindgen(unchecked_return_type = "Intervals")]
    pub fn intervals(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "BgBbIntervalOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let Some(fitted) = self.fitted.as_deref() else {
            return Err(Error::InvalidArgument {
                name: "model",
                reason: "intervals need the data of a fit: this model's parameters were typed in"
                    .into(),
            })
            .or_throw();
        };
        let (fit, data, fit_options, own) = fitted;
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &[
                "quantity",
                "level",
                "future",
                "customers",
                "method",
                "replicates",
                "seed",
            ],
        )
        .or_throw()?;
        let method = opts
            .named::<Method>("method")
            .or_throw()?
            .unwrap_or_default();
        let d = BootstrapOptions::default();
        let b = BootstrapOptions::default()
            .with_replicates(
                opts.whole("replicates", 1e6)
                    .or_throw()?
                    .map_or(d.replicates, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            )
            .with_seed(opts.whole("seed", MAX_SAFE).or_throw()?.unwrap_or(d.seed))
            .with_fit(*fit_options);
        let target = opts
            .named::<BgBbTarget>("quantity")
            .or_throw()?
            .unwrap_or_default();
        let future = opts
            .whole("future", MAX_FUTURE)
            .or_throw()?
            .map_or(1, |f| u32::try_from(f).unwrap_or(u32::MAX));
        let level = opts.number("level").or_throw()?.unwrap_or(DEFAULT_LEVEL);
        let given = opts
            .get("customers")
            .map(|v| rows(&v, "customers", false))
            .transpose()
            .map_err(js_column)
            .or_throw()?;
        let (x, tx, n, _) = given.as_ref().unwrap_or(own);

        let (iv, failed) =
            bg_bb_intervals_by(fit, data, target, future, (x, tx, n), level, method, &b)
                .map_err(js_column)
                .or_throw()?;
        #[allow(clippy::cast_precision_loss)] // counts of replicates, far below 2^53
        let (replicates, failed) = (
            if method == Method::Delta {
                0.0
            } else {
                b.replicates as f64
            },
            failed as f64,
        );
        let names = match target {
            BgBbTarget::Parameters => to_js(&["alpha", "beta", "gamma", "delta"])?,
            BgBbTarget::TotalTransactions => to_js(&["total"])?,
            _ => JsValue::NULL,
        };
        Ok(Obj::new()
            .set("quantity", target.as_str())
            .set("method", method.as_str())
            .set("level", iv.level)
            .set("names", names)
            .set(
                "estimate",
                js_sys::Float64Array::from(iv.estimate.as_slice()),
            )
            .set(
                "standardError",
                js_sys::Float64Array::from(iv.standard_error.as_slice()),
            )
            .set("lower", js_sys::Float64Array::from(iv.lower.as_slice()))
            .set("upper", js_sys::Float64Array::from(iv.upper.as_slice()))
            .set("replicates", replicates)
            .set("failed", failed)
            .build())
    }
}
