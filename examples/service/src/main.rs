//! Serve the demo shop: `cargo run -p retentionkit-example-service`, then
//! `curl localhost:3000/kpis`, `curl -X POST localhost:3000/fit` and
//! `curl localhost:3000/customers/17`. `PORT` picks another port.

use retentionkit::demo::{shop, DemoOptions};
use retentionkit::TransactionLog;
use retentionkit_example_service::{router, AppState};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A real service reads its orders from a database or files here.
    let orders = shop(&DemoOptions::default())?;
    let log = TransactionLog::from_vecs(orders.ids, orders.days, Some(orders.amounts))?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(AppState::new(log))).await?;
    Ok(())
}
