//! Loyalty Lens core: plain data in, plain data out.
//!
//! Bytes of an exported file go through [`ingest`] into a columnar
//! [`Dataset`]; [`report::build_report`] turns that into the serialisable
//! [`Report`] that both the web app and the CLI show; [`chart`] draws the
//! report's series on any plotters backend (canvas in the browser, SVG natively).
//! Nothing here touches the DOM, the clock or the file system.

mod calendar;
pub mod chart;
pub mod dataset;
pub mod display;
pub mod error;
pub mod export;
mod float_key;
pub mod html_report;
pub mod ingest;
pub mod metric;
pub mod metrics;
pub mod models;
pub mod news;
pub mod report;
pub mod segments;
pub mod settings_check;

pub use dataset::Dataset;
pub use error::IngestError;
pub use report::{
    analyse, analyse_timed, analyse_with, build_report, build_report_with, Analysis, Report,
    SectionTiming, Settings,
};
