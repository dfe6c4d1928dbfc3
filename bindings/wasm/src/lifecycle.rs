//! The core's `lifecycle` module on a kept `TransactionLog`: lifecycle
//! (growth) accounting per calendar period.

use retentionkit::lifecycle::{lifecycle, LifecycleRowView};
use retentionkit::period::{format_day, Granularity};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::columns::Options;
use crate::error::{JsResult, OrThrow};
use crate::log::TransactionLog;
use crate::out::to_js;

#[wasm_bindgen]
impl TransactionLog {
    /// New, returning, resurrecting and dormant (negative) customers per
    /// calendar period, with the quick ratio (see `LifecycleOptions`).
    #[wasm_bindgen(js_name = lifecycle, unchecked_return_type = "Lifecycle")]
    pub fn lifecycle(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "LifecycleOptions")] options: Option<
            JsValue,
        >,
    ) -> JsResult<JsValue> {
        let opts =
            Options::new(&options.unwrap_or(JsValue::UNDEFINED), &["granularity"]).or_throw()?;
        let g = opts
            .named::<Granularity>("granularity")
            .or_throw()?
            .unwrap_or_default();
        let l = lifecycle(self.core(), g).or_throw()?;
        to_js(&LifecycleOut {
            granularity: g.as_str(),
            observation_end: format_day(l.observation_end),
            rows: l.rows.iter().map(|r| r.view(true)).collect(),
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LifecycleOut<'a> {
    granularity: &'static str,
    observation_end: String,
    rows: Vec<LifecycleRowView<'a>>,
}
