//! The example service's handlers through its router, as a client calls
//! them (tower's `oneshot`, no socket). The expected numbers are the core's,
//! computed here by the library calls the handlers wrap, or read off the
//! small log by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use retentionkit::demo::{shop, DemoOptions};
use retentionkit::prelude::*;
use retentionkit_example_service::{router, AppState};
use serde_json::Value;
use tower::ServiceExt;

async fn call(app: &axum::Router, method: &str, uri: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// Three customers: 7 on 5 Jan, 1 Feb and 1 Mar 2024; 9 on 9 Jan; 11 on 20 Feb.
fn small_log() -> TransactionLog<'static> {
    let d = |m, dd| day(2024, m, dd).unwrap();
    TransactionLog::from_vecs(
        vec![7, 9, 7, 11, 7],
        vec![d(1, 5), d(1, 9), d(2, 1), d(2, 20), d(3, 1)],
        Some(vec![20.0, 35.0, 25.0, 40.0, 30.0]),
    )
    .unwrap()
}

#[tokio::test]
async fn kpis_come_with_iso_dates_counts_and_rates() {
    let app = router(AppState::new(small_log()));
    let (status, body) = call(&app, "GET", "/kpis?granularity=month&lookback_months=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["observation_end"], "2024-03-01"); // the last order
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3); // January, February, March
    let feb = &rows[1];
    assert_eq!(feb["label"], "2024-02");
    assert_eq!(feb["start"], "2024-02-01");
    // Look-back one month. At 1 Feb, 7 and 9 (January orders) are active: S = 2.
    // At the end of February 7 (1 Feb) and 11 (20 Feb) are: E = 2, N = 1 (11).
    assert_eq!(feb["start_customers"], 2);
    assert_eq!(feb["end_customers"], 2);
    assert_eq!(feb["new_customers"], 1);
    assert_eq!(feb["retention_rate"], 0.5); // (E - N) / S = (2 - 1) / 2
    assert_eq!(feb["revenue"], 65.0); // 25 + 40

    // The default look-back is 12 months: at 1 March all three are active.
    let (_, body) = call(&app, "GET", "/kpis").await;
    assert_eq!(body["rows"][2]["start_customers"], 3);

    let (status, body) = call(&app, "GET", "/kpis?granularity=fortnight").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["error"].as_str().unwrap();
    assert!(message.contains("unknown variant `fortnight`"), "{message}");
}

#[tokio::test]
async fn a_customer_needs_a_fit_first_then_gets_the_cores_values() {
    let orders = shop(&DemoOptions {
        customers: 2_000,
        ..DemoOptions::default()
    })
    .unwrap();
    let log = TransactionLog::from_vecs(orders.ids, orders.days, Some(orders.amounts)).unwrap();
    let app = router(AppState::new(log.clone()));

    let (status, body) = call(&app, "GET", "/customers/17").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "no model yet: POST /fit first");

    let (status, fit) = call(&app, "POST", "/fit").await;
    assert_eq!(status, StatusCode::OK, "{fit}");
    assert_eq!(fit["bg_nbd"]["status"], "converged");
    assert_eq!(fit["customers"], 2_000);

    // The same pipeline through the library: the handler adds nothing.
    let s = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks)).unwrap();
    let bg = fit_bg_nbd(
        &RepeatData::from_summary(&s.compress()).unwrap(),
        &FitOptions::default(),
    )
    .unwrap();
    assert_eq!(fit["bg_nbd"]["params"]["r"], bg.params.r);
    let i = s.customer_id.binary_search(&17).unwrap();
    let (x, t_x, t) = (s.frequency[i], s.recency()[i], s.age()[i]);

    let (status, c) = call(&app, "GET", "/customers/17").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(c["summary"]["customer_id"], 17);
    assert_eq!(c["summary"]["frequency"], x);
    assert_eq!(c["summary"]["T"], t);
    assert_eq!(
        c["value"]["probability_alive"],
        bg.params.probability_alive(x, t_x, t).unwrap()
    );
    assert!(c["summary"]["first_day"]
        .as_str()
        .unwrap()
        .starts_with("202"));

    let (status, body) = call(&app, "GET", "/customers/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "no customer 999999");
    let (status, body) = call(&app, "GET", "/customers/seventeen").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"].as_str().unwrap().contains("Cannot parse"),
        "{body}"
    );
}
