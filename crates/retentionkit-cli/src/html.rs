//! The HTML report.
use crate::analysis::Report;

/// Render the report as one self-contained HTML page.
pub fn render(r: &Report) -> String {
    format!("<!doctype html><title>{}</title>", r.generator)
}
