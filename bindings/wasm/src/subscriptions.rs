//! `SubscriptionLog`: subscriptions (customer, start, end, MRR) in wasm
//! memory, with MRR, active customers, ARPA and the MRR movements per period.

use retentionkit::error::Error;
use retentionkit::period::{format_day, Granularity};
use retentionkit::revenue::{mrr_series, MrrMovements};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::columns::{self, Options};
use crate::error::{JsResult, OrThrow};
use crate::out::to_js;

/// A validated subscription log: one row per subscription, covering the
/// days `[start, end)` (no end: still running) at `mrr` per month.
#[wasm_bindgen]
pub struct SubscriptionLog {
    inner: retentionkit::revenue::SubscriptionLog,
}

fn date_arg(date: &JsValue, name: &'static str) -> JsResult<i32> {
    columns::day_of_value(date, name, 0)
        .map_err(|e| match e {
            Error::InvalidValue { reason, .. } => Error::InvalidArgument { name, reason },
            other => other,
        })
        .or_throw()
}

#[wasm_bindgen]
impl SubscriptionLog {
    /// A log from columns `{ customerId, start, end?, mrr }`; `end` entries
    /// that are `null` or `undefined` (or no `end` column) mean still running.
    #[wasm_bindgen(js_name = fromColumns)]
    pub fn from_columns(
        #[wasm_bindgen(unchecked_param_type = "SubscriptionColumns")] columns: &JsValue,
    ) -> JsResult<SubscriptionLog> {
        let opts =
            Options::column_names(columns, &["customerId", "start", "end", "mrr"]).or_throw()?;
        let column = |name: &'static str| {
            opts.get(name).ok_or(Error::MissingColumn {
                column: name,
                needed_for: "a subscription log",
            })
        };
        let build = || -> retentionkit::Result<SubscriptionLog> {
            let ids = columns::ids(&column("customerId")?)?;
            let start = columns::days(&column("start")?, "start")?;
            let end = columns::optional_days(opts.get("end").as_ref(), "end", ids.values.len())?;
            let mrr = columns::amounts(&column("mrr")?, "mrr")?.unwrap_or_default();
            let inner =
                retentionkit::revenue::SubscriptionLog::new(&ids.values, &start, &end, &mrr)?;
            Ok(SubscriptionLog { inner })
        };
        build().or_throw()
    }

    /// Number of subscriptions.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Number of distinct customers.
    #[wasm_bindgen(getter, js_name = customerCount)]
    pub fn customer_count(&self) -> usize {
        self.inner.num_customers()
    }

    /// Earliest start, ISO.
    #[wasm_bindgen(getter, js_name = firstDate)]
    pub fn first_date(&self) -> String {
        format_day(self.inner.first_day())
    }

    /// What the log holds, as a plain object (`JSON.stringify` and Node's
    /// `console.log` use this): `length`, `customerCount`, `firstDate`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SubscriptionLogInfo")]
    pub fn to_json(&self) -> JsValue {
        crate::out::Obj::new()
            .set("length", self.length())
            .set("customerCount", self.customer_count())
            .set("firstDate", self.first_date())
            .build()
    }

    /// Total MRR of the subscriptions covering `date`.
    #[wasm_bindgen(js_name = mrrAt)]
    pub fn mrr_at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DateLike")] date: &JsValue,
    ) -> JsResult<f64> {
        self.inner.mrr_at(date_arg(date, "date")?).or_throw()
    }

    /// Customers with at least one subscription covering `date`.
    #[wasm_bindgen(js_name = activeCustomersAt)]
    pub fn active_customers_at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DateLike")] date: &JsValue,
    ) -> JsResult<f64> {
        Ok(self
            .inner
            .active_customers_at(date_arg(date, "date")?)
            .or_throw()? as f64)
    }

    /// Average MRR per active customer at `date`; throws
    /// `ZeroDenominatorError` when nobody is active then.
    #[wasm_bindgen(js_name = arpaAt)]
    pub fn arpa_at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DateLike")] date: &JsValue,
    ) -> JsResult<f64> {
        self.inner.arpa_at(date_arg(date, "date")?).or_throw()
    }

    /// MRR movements of every period holding the days `from..=to` (see
    /// `MrrOptions`; `from` defaults to the first start).
    #[wasm_bindgen(js_name = mrrSeries, unchecked_return_type = "MrrSeries")]
    pub fn mrr_series(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MrrOptions")] options: &JsValue,
    ) -> JsResult<JsValue> {
        let opts = Options::new(options, &["granularity", "from", "to"]).or_throw()?;
        let g = opts
            .named::<Granularity>("granularity")
            .or_throw()?
            .unwrap_or_default();
        let from = opts
            .day("from")
            .or_throw()?
            .unwrap_or(self.inner.first_day());
        let Some(to) = opts.day("to").or_throw()? else {
            return Err(Error::InvalidArgument {
                name: "to",
                reason: "the last day of the series is required".into(),
            })
            .or_throw();
        };
        let s = mrr_series(&self.inner, g, from, to).or_throw()?;
        to_js(&MrrSeriesOut {
            granularity: s.granularity.as_str(),
            rows: s.rows.iter().map(MrrRowOut::of).collect(),
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MrrSeriesOut {
    granularity: &'static str,
    rows: Vec<MrrRowOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MrrRowOut {
    start: String,
    end: String,
    start_mrr: f64,
    end_mrr: f64,
    new: f64,
    expansion: f64,
    contraction: f64,
    churned: f64,
    reactivation: f64,
    start_customers: u64,
    end_customers: u64,
    retained_customers: u64,
    new_customers: u64,
    churned_customers: u64,
    gross_revenue_retention: Option<f64>,
    net_revenue_retention: Option<f64>,
    logo_retention: Option<f64>,
    logo_churn: Option<f64>,
    quick_ratio: Option<f64>,
}

impl MrrRowOut {
    fn of(m: &MrrMovements) -> Self {
        MrrRowOut {
            start: format_day(m.period.start),
            end: format_day(m.period.end),
            start_mrr: m.start_mrr,
            end_mrr: m.end_mrr,
            new: m.new,
            expansion: m.expansion,
            contraction: m.contraction,
            churned: m.churned,
            reactivation: m.reactivation,
            start_customers: m.start_customers,
            end_customers: m.end_customers,
            retained_customers: m.retained_customers,
            new_customers: m.new_customers,
            churned_customers: m.churned_customers,
            gross_revenue_retention: m.gross_revenue_retention().ok(),
            net_revenue_retention: m.net_revenue_retention().ok(),
            logo_retention: m.logo_retention().ok(),
            logo_churn: m.logo_churn().ok(),
            quick_ratio: m.quick_ratio().ok(),
        }
    }
}
