//! Customer lifetime value and segmentation: BG/NBD and Pareto/NBD (the one
//! that predicts the holdout better drives the predictions, see
//! [`model_choice`]), Gamma-Gamma, discounted and simple CLV,
//! calibration/holdout checks, RFM and ABC/XYZ.
//!
//! For the Report and the UI:
//! - [`clv_section`]`(&dataset, &settings) -> ClvSection`: the serialisable
//!   page (fits, messages, CLV distribution, top customers, holdout charts'
//!   data, simple CLV, RFM grid, ABC/XYZ matrix);
//!   [`ClvSection::headline_metrics`] gives the ids of the README's "Figures".
//! - [`ClvAnalysis::new`] does the same work and keeps the per-customer
//!   tables: [`ClvAnalysis::customer`] for the search box,
//!   [`ClvAnalysis::segment_csv`] for exports. Its `.section` is the
//!   [`ClvSection`].
//! - Charts: `crate::chart::{draw_holdout_by_frequency, draw_tracking,
//!   draw_rfm_grid, draw_clv_distribution}`.
//!
//! The pieces are public for tests and other callers: [`summary`] (BTYD
//! summary, calibration/holdout split), [`bgnbd`], [`pareto_nbd`],
//! [`gamma_gamma`], [`clv`],
//! [`holdout`], [`rfm`], [`abc_xyz`], [`special`] (ln Γ, ψ, ₂F₁ series),
//! [`optim`] (argmin glue).

pub mod abc_xyz;
pub mod bgnbd;
pub mod clv;
pub mod clv_months;
pub mod clv_segments;
pub mod degenerate;
pub mod gamma_gamma;
pub mod holdout;
pub mod intervals;
pub mod late_fit;
pub mod model_choice;
pub mod optim;
pub mod pareto_nbd;
mod purchase_fits;
pub mod rfm;
pub mod section;
mod simple_clv;
pub mod special;
pub mod summary;

pub use clv_months::MonthWindow;
pub use model_choice::{ModelChoice, PurchaseModel};
pub use purchase_fits::{FitHelper, LocalFuture};
pub use section::{
    clv_section, ClvAnalysis, ClvSection, ClvSettings, ClvStart, CustomerCard, ParetoNbdSource,
    Segment,
};
pub use summary::TimeUnit;
