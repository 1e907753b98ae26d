//! One analysis run, as the worker does it: files in, Outcome out.

use loyalty_analytics::ingest::ReadOptions;
use loyalty_analytics::models::ClvAnalysis;
use loyalty_analytics::{Dataset, Settings};

use crate::protocol::{Outcome, Progress};

/// A file's name and bytes.
pub struct LoadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Milliseconds from the browser's monotonic clock, on the page and in a
/// worker alike (`std::time::Instant` is not available in wasm32).
pub fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| wasm_bindgen::JsCast::dyn_into::<web_sys::Performance>(p).ok())
        .map_or(0.0, |p| p.now())
}

/// Reads every file with its options (reporting progress) and analyses those
/// that could be read. Files without options are read with detection alone.
/// The dataset is returned too, for reruns with other settings, and the CLV
/// model's per-customer tables, for the customer search and exports.
pub fn analyse(
    files: &[LoadedFile],
    options: &[ReadOptions],
    settings: &Settings,
    mut on_progress: impl FnMut(Progress),
) -> (Outcome, Dataset, Option<ClvAnalysis>) {
    let started = now_ms();
    let mut dataset = Dataset::default();
    let mut errors = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let mut report = |p: loyalty_analytics::ingest::ReadProgress| {
            on_progress(Progress {
                file: f.name.clone(),
                file_number: i + 1,
                files: files.len(),
                rows_read: p.rows_read,
                bytes_read: p.bytes_read,
                bytes_total: p.bytes_total,
            })
        };
        let options = options.get(i).cloned().unwrap_or_default();
        if let Err(e) = dataset.add_file_with(&f.name, &f.bytes, &options, &mut report) {
            errors.push(e.to_string());
        }
    }
    let parsed = now_ms();
    let (mut outcome, clv) = recompute(&dataset, settings);
    outcome.errors = errors;
    outcome.parse_ms = parsed - started;
    (outcome, dataset, clv)
}

/// The analysis of data already read, with `settings`.
pub fn recompute(dataset: &Dataset, settings: &Settings) -> (Outcome, Option<ClvAnalysis>) {
    let started = now_ms();
    let (report, clv, sections) = if dataset.files.is_empty() {
        (None, None, Vec::new())
    } else {
        let (analysis, sections) = loyalty_analytics::analyse_timed(dataset, settings, &mut now_ms);
        (Some(analysis.report), analysis.clv, sections)
    };
    let outcome = Outcome {
        report,
        errors: Vec::new(),
        parse_ms: 0.0,
        analyze_ms: now_ms() - started,
        sections,
    };
    (outcome, clv)
}
