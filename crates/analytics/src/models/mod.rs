//! Customer lifetime value and segmentation: BG/NBD, Gamma-Gamma, discounted
//! and simple CLV, calibration/holdout checks, RFM and ABC/XYZ.

pub mod bgnbd;
pub mod optim;
pub mod special;
pub mod summary;
