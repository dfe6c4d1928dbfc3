//! The sections of `retentionkit report` and their order, shared by its two
//! renderers: the terminal summary (`terminal.rs`) and the HTML page
//! (`html.rs`). Each implements [`Renderer`], one method per section, and
//! [`render`] calls them in the order of [`Section::ALL`].

use crate::analysis::{KpiOut, LifecycleOut, Report};

/// One part of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Where the data came from, its size and the headline numbers.
    Overview,
    /// Retention, churn, orders and revenue per complete period.
    Kpis,
    /// New, returning, resurrecting and dormant customers per period.
    Lifecycle,
    /// The cohort retention matrix.
    Cohorts,
    /// Retention k periods after acquisition, averaged over the cohorts.
    RetentionCurve,
    /// The BG/NBD and Gamma-Gamma fits (with the tracking chart in HTML).
    Models,
    /// The calibration/holdout check of the BG/NBD model.
    Holdout,
    /// Customers most worth saving.
    AtRisk,
    /// Customer lifetime value.
    Clv,
    /// How the demo data was drawn (the demo report only).
    DemoData,
    /// Parts that could not be computed, and why.
    Notes,
}

impl Section {
    /// Every section, in the order of the report.
    pub const ALL: [Section; 11] = [
        Section::Overview,
        Section::Kpis,
        Section::Lifecycle,
        Section::Cohorts,
        Section::RetentionCurve,
        Section::Models,
        Section::Holdout,
        Section::AtRisk,
        Section::Clv,
        Section::DemoData,
        Section::Notes,
    ];

    /// The section's heading, where a renderer shows one.
    pub fn title(self) -> &'static str {
        match self {
            Section::Overview => "Retention report",
            Section::Kpis => "KPIs",
            Section::Lifecycle => "Lifecycle",
            Section::Cohorts => "Cohort retention",
            Section::RetentionCurve => "Retention curve",
            Section::Models => "Model: BG/NBD and Gamma-Gamma",
            Section::Holdout => "Holdout check",
            Section::AtRisk => "At risk",
            Section::Clv => "Customer lifetime value",
            Section::DemoData => "About the demo data",
            Section::Notes => "Notes",
        }
    }
}

/// A report format: one method per [`Section`]. A section with nothing to
/// show (no model fit, no notes, not the demo) writes nothing.
pub trait Renderer {
    /// What writing can fail with.
    type Error;
    /// [`Section::Overview`].
    fn overview(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::Kpis`].
    fn kpis(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::Lifecycle`].
    fn lifecycle(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::Cohorts`].
    fn cohorts(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::RetentionCurve`].
    fn retention_curve(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::Models`].
    fn models(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::Holdout`].
    fn holdout(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::AtRisk`].
    fn at_risk(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::Clv`].
    fn clv(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::DemoData`].
    fn demo_data(&mut self, r: &Report) -> Result<(), Self::Error>;
    /// [`Section::Notes`].
    fn notes(&mut self, r: &Report) -> Result<(), Self::Error>;
}

/// Write every section of `r`, in the order of [`Section::ALL`].
pub fn render<R: Renderer>(out: &mut R, r: &Report) -> Result<(), R::Error> {
    for section in Section::ALL {
        match section {
            Section::Overview => out.overview(r),
            Section::Kpis => out.kpis(r),
            Section::Lifecycle => out.lifecycle(r),
            Section::Cohorts => out.cohorts(r),
            Section::RetentionCurve => out.retention_curve(r),
            Section::Models => out.models(r),
            Section::Holdout => out.holdout(r),
            Section::AtRisk => out.at_risk(r),
            Section::Clv => out.clv(r),
            Section::DemoData => out.demo_data(r),
            Section::Notes => out.notes(r),
        }?;
    }
    Ok(())
}

/// The KPI rows of complete periods, oldest first.
pub fn complete_kpis(r: &Report) -> Vec<&KpiOut> {
    r.kpis.iter().filter(|k| k.row.complete).collect()
}

/// The lifecycle rows of complete periods, oldest first (in an incomplete
/// period, customers who have not ordered yet count as dormant).
pub fn complete_lifecycle(r: &Report) -> Vec<&LifecycleOut> {
    r.lifecycle.iter().filter(|l| l.0.complete).collect()
}
