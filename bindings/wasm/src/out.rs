//! Building JavaScript results: serde for records, typed arrays for columns.

use std::rc::Rc;

use retentionkit::period::format_day;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::error::JsResult;

/// A record as a plain JS object; `None` becomes `null`, maps become objects.
pub(crate) fn to_js<T: Serialize>(value: &T) -> JsResult<JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    value.serialize(&ser).map_err(JsValue::from)
}

/// A plain object filled key by key (for typed-array columns).
pub(crate) struct Obj(js_sys::Object);

impl Obj {
    pub(crate) fn new() -> Self {
        Obj(js_sys::Object::new())
    }

    pub(crate) fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        // Defining a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    pub(crate) fn build(self) -> JsValue {
        self.0.into()
    }
}

/// The original string ids of a log built from string ids.
pub(crate) type Names = Option<Rc<Vec<String>>>;

/// A customer id as JS sees it: the number, or the original string.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Id {
    Number(f64),
    Text(String),
}

pub(crate) fn id(names: &Names, id: u64) -> Id {
    match names
        .as_deref()
        .and_then(|n| usize::try_from(id).ok().and_then(|i| n.get(i)))
    {
        Some(s) => Id::Text(s.clone()),
        None => Id::Number(id as f64),
    }
}

/// A column of ids: `Float64Array` of numbers, or an array of the strings.
pub(crate) fn id_column(names: &Names, ids: &[u64]) -> JsValue {
    if let Some(n) = names.as_deref() {
        ids.iter()
            .map(|&i| {
                let s = usize::try_from(i).ok().and_then(|i| n.get(i));
                JsValue::from_str(s.map_or("", String::as_str))
            })
            .collect::<js_sys::Array>()
            .into()
    } else {
        let f: Vec<f64> = ids.iter().map(|&i| i as f64).collect();
        js_sys::Float64Array::from(f.as_slice()).into()
    }
}

/// ISO dates of day numbers.
pub(crate) fn iso(days: &[i32]) -> Vec<String> {
    days.iter().map(|&d| format_day(d)).collect()
}
