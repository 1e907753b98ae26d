//! Customer lifetime value and segmentation: BG/NBD, Gamma-Gamma, discounted
//! and simple CLV, calibration/holdout checks, RFM and ABC/XYZ.

pub mod abc_xyz;
pub mod bgnbd;
pub mod clv;
pub mod gamma_gamma;
pub mod holdout;
pub mod optim;
pub mod rfm;
pub mod section;
pub mod special;
pub mod summary;

pub use section::{clv_section, ClvAnalysis, ClvSection, ClvSettings, CustomerCard, Segment};
pub use summary::TimeUnit;
