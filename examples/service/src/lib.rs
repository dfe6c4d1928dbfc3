//! An HTTP service on retentionkit, as a Rust backend would write one: the
//! validated transaction log is built once and kept in shared state (an
//! `Arc<TransactionLog<'static>>`), model fits run on tokio's blocking pool
//! (`spawn_blocking`) so that they never stall the async executor, and every
//! response is the core's own serde form (ISO dates, rates, one row per
//! customer with its id).
//!
//! Routes:
//!
//! | route | answer |
//! |---|---|
//! | `GET /kpis?granularity=month&lookback_months=12` | the period KPIs, counts and rates per period |
//! | `POST /fit` | fits BG/NBD and Gamma-Gamma on the log (weeks), keeps them, returns the parameters |
//! | `GET /customers/{id}` | the customer's summary row and value (P(alive), expected purchases, CLV) |
//!
//! Errors are JSON `{"error": "..."}` with the status a client can act on:
//! 400 for a bad query, 404 for an unknown customer, 409 before the first
//! fit, 422 when the fit did not converge, 500 when a worker failed.

use std::sync::{Arc, RwLock};

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use retentionkit::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

/// What every request sees: the log (read-only, shared) and the latest fit.
pub struct AppState {
    log: Arc<TransactionLog<'static>>,
    model: RwLock<Option<Arc<Model>>>,
}

/// A fitted model and what it says about every customer, computed once per
/// fit and read by every `GET /customers/{id}`.
pub struct Model {
    summary: Summary,
    purchases: Fit<BgNbdParams>,
    spend: Fit<GammaGammaParams>,
    values: Vec<CustomerValue>,
}

impl AppState {
    /// State around an owned log (see [`TransactionLog::from_vecs`]).
    pub fn new(log: TransactionLog<'static>) -> Arc<Self> {
        Arc::new(AppState {
            log: Arc::new(log),
            model: RwLock::new(None),
        })
    }
}

/// The service's routes on `state`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/kpis", get(kpis))
        .route("/fit", post(fit))
        .route("/customers/{id}", get(customer))
        .with_state(state)
}

/// An error response: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<retentionkit::Error> for ApiError {
    /// The core's errors are about the request's input: 400.
    fn from(e: retentionkit::Error) -> Self {
        ApiError(StatusCode::BAD_REQUEST, e.to_string())
    }
}

/// The query of `GET /kpis`.
#[derive(Debug, Deserialize)]
pub struct KpiQuery {
    /// `day`, `week`, `month` (default), `quarter` or `year`.
    #[serde(default)]
    granularity: Granularity,
    /// How many months back a customer still counts as active (default 12,
    /// the CLI's default).
    #[serde(default = "twelve")]
    lookback_months: u32,
}

fn twelve() -> u32 {
    12
}

async fn kpis(
    State(state): State<Arc<AppState>>,
    query: Result<Query<KpiQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    // axum's own rejection is plain text; a JSON client gets JSON.
    let Query(q) = query.map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.body_text()))?;
    // A pass over the log takes milliseconds at a million rows; a service
    // with much larger logs would move this into `spawn_blocking` as `fit` does.
    let series = kpi_series(
        &state.log,
        q.granularity,
        Lookback::Months(q.lookback_months),
    )?;
    let rows: Vec<_> = series.rows.iter().map(|r| r.view(false)).collect();
    Ok(Json(json!({
        "observation_end": serde_json::to_value(&series)
            .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?["observation_end"],
        "rows": rows,
    })))
}

/// Fit both models on the whole log in weeks, with lifetimes' CLV defaults
/// ([`ValueOptions::for_unit`]).
fn fit_models(log: &TransactionLog<'_>) -> Result<Model, ApiError> {
    let options = SummaryOptions::default().with_unit(TimeUnit::Weeks);
    let summary = summary(log, &options)?;
    let purchases = fit_bg_nbd(
        &RepeatData::from_summary(&summary.compress())?,
        &FitOptions::default(),
    )?;
    let spend = fit_gamma_gamma(&SpendData::from_summary(&summary)?, &FitOptions::default())?;
    for (name, status) in [("BG/NBD", purchases.status), ("Gamma-Gamma", spend.status)] {
        if status != FitStatus::Converged {
            let why = status
                .warning()
                .unwrap_or("the search stopped before it converged");
            return Err(ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "the {name} fit is not usable (status {}): {why}",
                    status.as_str()
                ),
            ));
        }
    }
    let values = customer_values(
        &purchases.params,
        &spend.params,
        &summary,
        &ValueOptions::for_unit(TimeUnit::Weeks),
    )?;
    Ok(Model {
        summary,
        purchases,
        spend,
        values,
    })
}

async fn fit(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let log = Arc::clone(&state.log);
    // Seconds of CPU on a large log: off the executor's threads.
    let model = tokio::task::spawn_blocking(move || fit_models(&log))
        .await
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    let body = json!({
        "customers": model.summary.len(),
        "bg_nbd": {
            "params": model.purchases.params,
            "log_likelihood": model.purchases.log_likelihood,
            "status": model.purchases.status.as_str(),
        },
        "gamma_gamma": {
            "params": model.spend.params,
            "status": model.spend.status.as_str(),
        },
    });
    let mut slot = state
        .model
        .write()
        .map_err(|_| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "a fit panicked".into()))?;
    *slot = Some(Arc::new(model));
    Ok(Json(body))
}

async fn customer(
    State(state): State<Arc<AppState>>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = id.map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.body_text()))?;
    let model = state
        .model
        .read()
        .map_err(|_| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "a fit panicked".into()))?
        .clone()
        .ok_or_else(|| ApiError(StatusCode::CONFLICT, "no model yet: POST /fit first".into()))?;
    // The summary's ids are ascending.
    let i = model
        .summary
        .customer_id
        .binary_search(&id)
        .map_err(|_| ApiError(StatusCode::NOT_FOUND, format!("no customer {id}")))?;
    let row = model.summary.rows()?.nth(i);
    Ok(Json(json!({ "summary": row, "value": model.values[i] })))
}
