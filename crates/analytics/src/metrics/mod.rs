//! Figures computed from the dataset. Each function takes plain columns and
//! returns plain results; the report assembles them.

pub mod base;
pub mod churn_causes;
pub mod churn_rules;
pub mod comment_themes;
pub mod competing_risks;
pub mod customer_base;
pub mod lifecycle;
pub mod loyalty_link;
pub mod nps;
pub mod programme;
pub mod purchase_patterns;
pub mod retention;
pub mod segment_breakdown;
pub mod surveys;
pub mod survival;
