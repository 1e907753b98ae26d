//! One analysis run: files in, Report and timings out. Plain functions; the
//! components only call them.

use loyalty_analytics::{build_report, Dataset, Report};

/// The bundled sample: the CDNOW 1/10 sample (MIT, from the lifetimes package).
pub const SAMPLE_NAME: &str = "cdnow_sample.txt";
pub const SAMPLE_BYTES: &[u8] = include_bytes!("../assets/cdnow_sample.txt");

/// A file as the browser handed it over.
pub struct LoadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the page shows after a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub report: Report,
    /// Reading and checking the rows.
    pub parse_ms: f64,
    /// Computing every figure from the checked rows.
    pub analyze_ms: f64,
}

/// The outcome of one run: an analysis of the files that could be read (if
/// any), and one message per file that could not.
pub struct Outcome {
    pub analysis: Option<Analysis>,
    pub errors: Vec<String>,
}

/// Milliseconds since page load, from the browser's monotonic clock
/// (`std::time::Instant` is not available in wasm32).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

pub fn analyse(files: &[LoadedFile]) -> Outcome {
    let started = now_ms();
    let mut dataset = Dataset::default();
    let errors: Vec<String> = files
        .iter()
        .filter_map(|f| {
            dataset
                .add_file(&f.name, &f.bytes)
                .err()
                .map(|e| e.to_string())
        })
        .collect();
    let parsed = now_ms();
    let analysis = (!dataset.files.is_empty()).then(|| {
        let report = build_report(&dataset);
        Analysis {
            report,
            parse_ms: parsed - started,
            analyze_ms: now_ms() - parsed,
        }
    });
    Outcome { analysis, errors }
}
