//! Figures computed from the dataset. Each function takes plain columns and
//! returns plain results; the report assembles them.

pub mod base;
pub mod customer_base;
pub mod lifecycle;
pub mod retention;
pub mod survival;
