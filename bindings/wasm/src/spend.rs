//! `GammaGamma`: the Gamma-Gamma model of spend per transaction (Fader &
//! Hardie 2013) kept in wasm memory, and model-based CLV with a fitted
//! repeat-purchase model.

use retentionkit::error::{check_length, Error};
use retentionkit::models::check::{clv_values, ClvOptions};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
use retentionkit::models::interval::{
    gamma_gamma_intervals_by, BootstrapOptions, Method, SpendTarget, DEFAULT_LEVEL,
};
use retentionkit::optim::Fit;
use retentionkit::summary::TimeUnit;
use wasm_bindgen::prelude::*;

use crate::columns::{self, Options, MAX_SAFE};
use crate::error::{JsResult, OrThrow};
use crate::fit::{self, FitInfo};
use crate::models::{same_unit, BgNbd, Model, Params};
use crate::out::to_js;

/// Periods of a CLV at most (800 years of months).
pub(crate) const MAX_PERIODS: f64 = 10_000.0;

/// The Gamma-Gamma model of spend per transaction: a customer's transaction
/// values are gamma(p, ν), with ν ~ gamma(q, γ) across customers; spend is
/// independent of the purchase process, so it combines with BG/NBD for CLV.
#[wasm_bindgen]
pub struct GammaGamma {
    params: GammaGammaParams,
    fit: Option<FitInfo<GammaGammaParams>>,
    excluded: usize,
    /// The core's frequency-spend correlation of the fitted data and its
    /// warning.
    correlation: Option<f64>,
    correlation_warning: Option<String>,
    /// The fit and the repeat buyers' rows it was made on, for
    /// `intervals` (`None` when typed in).
    fitted: Option<(Fit<GammaGammaParams>, SpendData)>,
}

/// Mean spends must be finite and non-negative (0: no repeat purchase).
fn check_monetary(m: &[f64]) -> Result<(), Error> {
    match m.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        Some(row) => Err(Error::InvalidValue {
            column: "monetaryValue",
            row,
            reason: format!("mean spend {} must be finite and non-negative", m[row]),
        }),
        None => Ok(()),
    }
}

/// A required column of `o`.
fn column(o: &Options, name: &'static str, needed_for: &'static str) -> Result<JsValue, Error> {
    o.get(name).ok_or(Error::MissingColumn {
        column: name,
        needed_for,
    })
}

/// Validated spend columns: (frequency, monetaryValue, weights).
type Spend = (Vec<u32>, Vec<f64>, Option<Vec<u64>>);

pub(crate) fn spend_columns(data: &JsValue) -> Result<Spend, Error> {
    const FOR: &str = "the Gamma-Gamma spend model";
    let o = Options::columns(data, "data", &["frequency", "monetaryValue", "weights"])?;
    let x = columns::counts(&column(&o, "frequency", FOR)?, "frequency")?;
    let m = columns::numbers(&column(&o, "monetaryValue", FOR)?, "monetaryValue")?;
    if x.is_empty() {
        return Err(Error::Empty { what: "spend data" });
    }
    check_length("monetaryValue", x.len(), m.len())?;
    check_monetary(&m)?;
    let w = o
        .get("weights")
        .map(|v| columns::whole_numbers(&v, "weights", MAX_SAFE))
        .transpose()?;
    if let Some(w) = &w {
        check_length("weights", x.len(), w.len())?;
    }
    Ok((x, m, w))
}

impl GammaGamma {
    /// The parameters.
    pub(crate) fn params(&self) -> GammaGammaParams {
        self.params
    }

    fn of(params: GammaGammaParams) -> GammaGamma {
        GammaGamma {
            params,
            fit: None,
            excluded: 0,
            correlation: None,
            correlation_warning: None,
            fitted: None,
        }
    }
}

#[wasm_bindgen]
impl GammaGamma {
    /// Typed-in parameters (for example published estimates); all must be
    /// finite and positive. `gamma` is in money units.
    #[wasm_bindgen(constructor)]
    pub fn new(p: f64, q: f64, gamma: f64) -> JsResult<GammaGamma> {
        Ok(GammaGamma::of(
            GammaGammaParams::new(p, q, gamma).or_throw()?,
        ))
    }

    /// Maximum-likelihood fit on a `Summary` (its `frequency` and
    /// `monetaryValue`) or on `SpendColumns`. Customers with frequency 0
    /// (no repeat purchase) or a mean repeat spend of 0 carry no information
    /// on spend and are left out of the fit, as the core does; `excluded`
    /// counts them. A fit that stops early is not an error: read `status`.
    pub fn fit(
        #[wasm_bindgen(unchecked_param_type = "Summary | SpendColumns")] data: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
    ) -> JsResult<GammaGamma> {
        let o = fit::options(options)?;
        let (x, m, w) = spend_columns(data).or_throw()?;
        let keep: Vec<usize> = (0..x.len()).filter(|&i| x[i] > 0 && m[i] > 0.0).collect();
        if keep.is_empty() {
            return Err(Error::InvalidArgument {
                name: "data",
                reason: "no customer has a repeat purchase with a positive monetaryValue".into(),
            })
            .or_throw();
        }
        let xs: Vec<u32> = keep.iter().map(|&i| x[i]).collect();
        let ms: Vec<f64> = keep.iter().map(|&i| m[i]).collect();
        let ws: Option<Vec<u64>> = w.map(|w| keep.iter().map(|&i| w[i]).collect());
        let d = SpendData::new(&xs, &ms, ws.as_deref()).or_throw()?;
        let f = fit_gamma_gamma(&d, &o).or_throw()?;
        Ok(GammaGamma {
            params: f.params,
            fit: Some(FitInfo::of(&f)),
            excluded: x.len() - keep.len(),
            correlation: d.frequency_spend_correlation(),
            correlation_warning: d.spend_correlation_warning(),
            fitted: Some((f, d)),
        })
    }

    /// Shape of the gamma distribution of transaction values.
    #[wasm_bindgen(getter)]
    pub fn p(&self) -> f64 {
        self.params.p
    }

    /// Shape of the gamma distribution of the scale ν across customers.
    #[wasm_bindgen(getter)]
    pub fn q(&self) -> f64 {
        self.params.q
    }

    /// Scale of the gamma distribution of ν, in money units.
    #[wasm_bindgen(getter)]
    pub fn gamma(&self) -> f64 {
        self.params.gamma
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
    /// n the repeat buyers fitted (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn bic(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.bic)
    }

    /// Free parameters k of the fit, 3 (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nParameters)]
    pub fn n_parameters(&self) -> Option<usize> {
        self.fit.as_ref().map(|f| f.criteria.parameters)
    }

    /// Repeat buyers n the fit saw, weights counted (`undefined` when typed in).
    #[wasm_bindgen(getter, js_name = nObservations)]
    pub fn n_observations(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.criteria.observations)
    }

    /// Correlation between repeat purchases and mean spend over the repeat
    /// buyers fitted, which the model assumes to be 0 (the core's;
    /// `undefined` when typed in or not defined).
    #[wasm_bindgen(getter, js_name = spendCorrelation)]
    pub fn spend_correlation(&self) -> Option<f64> {
        self.correlation
    }

    /// The core's warning when that correlation is beyond ±0.3, else
    /// `undefined`.
    #[wasm_bindgen(getter, js_name = spendWarning)]
    pub fn spend_warning(&self) -> Option<String> {
        self.correlation_warning.clone()
    }

    /// Customers of the data left out of the fit: frequency 0 or a mean
    /// spend of 0 (`undefined` when typed in).
    #[wasm_bindgen(getter)]
    pub fn excluded(&self) -> Option<usize> {
        self.fit.as_ref().map(|_| self.excluded)
    }

    /// Standard errors from the observed information, `null` when that is
    /// not positive definite or the parameters were typed in.
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "GammaGammaParams | null")]
    pub fn standard_errors(&self) -> JsResult<JsValue> {
        match self.fit.as_ref().and_then(|f| f.standard_errors) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::NULL),
        }
    }

    /// The parameters as a plain object (`JSON.stringify` uses this).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "GammaGammaParams")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&self.params)
    }

    /// Expected mean spend per transaction of each customer with
    /// `frequency[i]` repeat purchases of mean value `monetaryValue[i]`:
    /// p (γ + x z̄) / (p x + q − 1), a weighted mean of the population mean
    /// p γ / (q − 1) (what a customer with x = 0 gets) and the customer's own.
    #[wasm_bindgen(js_name = expectedMeanSpend)]
    pub fn expected_mean_spend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] frequency: &JsValue,
        #[wasm_bindgen(js_name = monetaryValue, unchecked_param_type = "ArrayLike<number>")]
        monetary_value: &JsValue,
    ) -> JsResult<js_sys::Float64Array> {
        let run = || -> retentionkit::Result<Vec<f64>> {
            let x = columns::counts(frequency, "frequency")?;
            let m = columns::numbers(monetary_value, "monetaryValue")?;
            check_length("monetaryValue", x.len(), m.len())?;
            check_monetary(&m)?;
            x.iter()
                .zip(&m)
                .map(|(&x, &m)| self.params.expected_mean_spend(x, m))
                .collect()
        };
        Ok(js_sys::Float64Array::from(run().or_throw()?.as_slice()))
    }

    /// Intervals on the parameters (`quantity: 'parameters'`, the default)
    /// or on each customer's conditional expected mean spend
    /// (`'mean_spend'`, for the `customers`: a `Summary` or
    /// `{ frequency, monetaryValue }`) at `level` (default 0.9), by
    /// `method`: `'delta'` (the covariance of the fit's estimates, default)
    /// or `'bootstrap'` (`replicates` refits, default 1000, seeded by
    /// `seed`); the core's `models::interval::gamma_gamma_intervals_by`. A
    /// model with typed-in parameters throws.
    #[wasm_bindgen(unchecked_return_type = "Intervals")]
    pub fn intervals(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SpendIntervalOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let Some((fit, data)) = self.fitted.as_ref() else {
            return Err(Error::InvalidArgument {
                name: "model",
                reason: "intervals need the data of a fit: this model's parameters were typed in"
                    .into(),
            })
            .or_throw();
        };
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &[
                "quantity",
                "level",
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
            .with_seed(opts.whole("seed", MAX_SAFE).or_throw()?.unwrap_or(d.seed));
        let target = opts
            .named::<SpendTarget>("quantity")
            .or_throw()?
            .unwrap_or_default();
        let (x, m) = match (target, opts.get("customers")) {
            (SpendTarget::MeanSpend, Some(v)) => {
                let (x, m, _) = spend_columns(&v).or_throw()?;
                (x, m)
            }
            (SpendTarget::MeanSpend, None) => {
                return Err(Error::MissingColumn {
                    column: "customers",
                    needed_for: "mean-spend intervals",
                })
                .or_throw()
            }
            _ => (Vec::new(), Vec::new()),
        };
        let level = opts.number("level").or_throw()?.unwrap_or(DEFAULT_LEVEL);

        let (iv, failed) = gamma_gamma_intervals_by(fit, data, target, (&x, &m), level, method, &b)
            .map_err(crate::error::js_names)
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
            SpendTarget::Parameters => to_js(&["p", "q", "gamma"])?,
            _ => JsValue::NULL,
        };
        Ok(crate::out::Obj::new()
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

    /// Discounted customer lifetime value of every customer of `customers`
    /// (a `Summary` or `CustomerColumns`, in the model's unit), in their
    /// order: `Σₖ M̄ (E[Y(kℓ)] − E[Y((k − 1)ℓ)]) / (1 + d)ᵏ` over `periods`
    /// periods of length ℓ, with `E[Y(t)]` the expected purchases of `model`
    /// (a fitted or typed-in `BgNbd`) in the next t and M̄ this model's
    /// expected mean spend.
    /// This is lifetimes' `customer_lifetime_value` (see `ClvOptions`). With
    /// an `MbgNbd` or `ParetoNbd`, call `model.clv(spend, customers, options)`
    /// (every model class has it).
    pub fn clv(
        &self,
        model: &BgNbd,
        #[wasm_bindgen(unchecked_param_type = "Summary | CustomerColumns")] customers: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClvOptions")] options: Option<JsValue>,
    ) -> JsResult<js_sys::Float64Array> {
        self.clv_of(model.model(), customers, options)
    }
}

impl GammaGamma {
    /// `GammaGamma.clv` with any repeat-purchase model: what `spend.clv` and
    /// the models' own `clv` methods share.
    pub(crate) fn clv_of<P: Params>(
        &self,
        model: &Model<P>,
        customers: &JsValue,
        options: Option<JsValue>,
    ) -> JsResult<js_sys::Float64Array> {
        const FOR: &str = "CLV";
        let o = Options::columns(
            customers,
            "customers",
            &["frequency", "recency", "age", "monetaryValue", "unit"],
        )
        .or_throw()?;
        if let Some(u) = o.named::<TimeUnit>("unit").or_throw()? {
            same_unit(model.unit(), u)?;
        }
        let opts = Options::new(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["periods", "periodLength", "discount"],
        )
        .or_throw()?;
        // The core's default follows the model's unit (a month of 30 days
        // or 4.345 weeks, as lifetimes counts it).
        let d = ClvOptions::monthly(model.unit());
        let periods = opts.whole("periods", MAX_PERIODS).or_throw()?;
        let clv_options = ClvOptions::default()
            .with_periods(periods.map_or(d.periods, |p| u32::try_from(p).unwrap_or(u32::MAX)))
            .with_period_length(
                opts.number("periodLength")
                    .or_throw()?
                    .unwrap_or(d.period_length),
            )
            .with_discount(opts.number("discount").or_throw()?.unwrap_or(d.discount));
        let run = || -> retentionkit::Result<Vec<f64>> {
            let x = columns::counts(&column(&o, "frequency", FOR)?, "frequency")?;
            let tx = columns::numbers(&column(&o, "recency", FOR)?, "recency")?;
            let t = columns::numbers(&column(&o, "age", FOR)?, "age")?;
            let m = columns::numbers(&column(&o, "monetaryValue", FOR)?, "monetaryValue")?;
            clv_values(model.params(), &self.params, &x, &tx, &t, &m, &clv_options)
                .map_err(crate::error::js_names)
        };
        Ok(js_sys::Float64Array::from(run().or_throw()?.as_slice()))
    }
}
