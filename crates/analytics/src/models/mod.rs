//! Customer lifetime value and segmentation: BG/NBD, Gamma-Gamma, discounted
//! and simple CLV, calibration/holdout checks, RFM and ABC/XYZ.

pub mod bgnbd;
pub mod clv;
pub mod gamma_gamma;
pub mod holdout;
pub mod optim;
pub mod special;
pub mod summary;
