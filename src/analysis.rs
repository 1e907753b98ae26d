//! One analysis run, as the worker does it: files in, Outcome out.

use loyalty_analytics::ingest::{FileContent, FileSummary, Layout, ReadOptions, RecordKind};
use loyalty_analytics::models::{ClvAnalysis, ParetoNbdSource};
use loyalty_analytics::{Analysis, Dataset, IngestError, SectionTiming, Settings};

use crate::file_chunks::{copy_whole, FileChunks};
use crate::protocol::{Outcome, Progress, RunError, UnreadFile};

/// A file being copied in, or why it cannot be ([`read`] awaits each in
/// turn).
pub type Loading<'a> = loyalty_analytics::models::LocalFuture<'a, Result<LoadedFile, RunError>>;

/// A file's name and content (bytes, or text decoded on arrival), for as
/// long as it is being read.
pub struct LoadedFile {
    pub name: String,
    pub content: loyalty_analytics::ingest::FileContent,
    /// The file's second half, read by the helper; `content` is then the
    /// bytes before it.
    pub later: Option<crate::slicing::LaterSlice>,
    /// The file's bytes (before `later`'s), to be read as they arrive;
    /// `content` is then empty.
    pub stream: Option<crate::file_chunks::FileChunks>,
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
/// that could be read ([`read`], then [`recompute`]).
/// The dataset is returned too, for reruns with other settings, and the CLV
/// model's per-customer tables, for the customer search and exports.
///
/// Not generic, so the worker's warm-up, which calls it with other types,
/// does not add a second copy of it to the worker's wasm.
pub async fn analyse(
    files: &mut dyn ExactSizeIterator<Item = Loading<'_>>,
    options: &[ReadOptions],
    settings: &Settings,
    on_progress: &mut dyn FnMut(Progress),
    pareto_nbd: &mut ParetoNbdSource<'_>,
) -> (Outcome, Dataset, Option<ClvAnalysis>) {
    let reading = read(files, options, on_progress).await;
    let (mut outcome, clv) = reading.analyse(settings, pareto_nbd).await;
    outcome.parse_ms = reading.parse_ms;
    (outcome, reading.dataset, clv)
}

/// What reading the files gave: the dataset, the messages of the files that
/// could not be read, where each read file stands among those given, the
/// files refused for want of known columns, and the time it took.
pub struct Reading {
    pub dataset: Dataset,
    pub errors: Vec<RunError>,
    pub file_index: Vec<usize>,
    pub unread: Vec<UnreadFile>,
    pub parse_ms: f64,
    /// For files read in two halves: the first half's parse
    /// (`slice_first`), the wait for the helper's half (`slice_wait`) and
    /// the join (`slice_join`), with the helper's own read and parse
    /// (`helper_read`, `helper_parse`, beside the rest); or, when its half
    /// could not be used, the time to read it here (`slice_reread`). All
    /// but the helper's are part of `parse_ms`.
    pub slice_timings: Vec<SectionTiming>,
}

impl Reading {
    /// [`recompute`] on the dataset read, with what the reading said of the
    /// files (not its time: a rerun reads nothing).
    pub async fn analyse(
        &self,
        settings: &Settings,
        pareto_nbd: &mut ParetoNbdSource<'_>,
    ) -> (Outcome, Option<ClvAnalysis>) {
        let (mut outcome, clv) = recompute(&self.dataset, settings, pareto_nbd).await;
        outcome.errors = self.errors.clone();
        outcome.file_index = self.file_index.clone();
        outcome.unread = self.unread.clone();
        (outcome, clv)
    }
}

/// Reads every file with its options (reporting progress). Files without
/// options are read with detection alone. `files` yields each file's bytes
/// when its turn comes (or why it could not be read), so only one file is
/// in memory at a time, and none during the analysis; the time spent
/// fetching them is not counted as parsing.
pub async fn read(
    files: &mut dyn ExactSizeIterator<Item = Loading<'_>>,
    options: &[ReadOptions],
    on_progress: &mut dyn FnMut(Progress),
) -> Reading {
    let started = now_ms();
    let mut fetching_ms = 0.0;
    let mut dataset = Dataset::default();
    let mut errors = Vec::new();
    let mut file_index = Vec::new();
    let mut unread = Vec::new();
    let mut slice_timings = Vec::new();
    let count = files.len();
    let mut files = files.enumerate();
    loop {
        let fetch_started = now_ms();
        let Some((i, file)) = files.next() else { break };
        let file = file.await;
        fetching_ms += now_ms() - fetch_started;
        let mut f = match file {
            Ok(f) => f,
            Err(message) => {
                errors.push(message);
                continue;
            }
        };
        let mut report = |p: loyalty_analytics::ingest::ReadProgress| {
            on_progress(Progress {
                file: f.name.clone(),
                file_number: i + 1,
                files: count,
                rows_read: p.rows_read,
                bytes_read: p.bytes_read,
                bytes_total: p.bytes_total,
            })
        };
        let options = options.get(i).cloned().unwrap_or_default();
        let before = dataset.files.len();
        let parts = match (f.stream.take(), f.later.take()) {
            (Some(chunks), later) => {
                read_streamed(
                    &mut dataset,
                    &f.name,
                    &mut f.content,
                    chunks,
                    later,
                    &options,
                    &mut report,
                )
                .await
            }
            (None, Some(later)) => Ok(read_sliced(
                &mut dataset,
                &f.name,
                &mut f.content,
                &later,
                &options,
                &mut report,
            )
            .await),
            (None, None) => Ok((None, Vec::new())),
        };
        let mut added = match parts {
            Ok((added, timings)) => {
                slice_timings.extend(timings);
                added
            }
            Err(message) => {
                errors.push(message);
                continue;
            }
        };
        if added.is_none() {
            added = Some(
                dataset
                    .add_content_with(&f.name, &f.content, &options, &mut report)
                    .map(|_| ()),
            );
        }
        match added.unwrap_or(Ok(())) {
            Ok(_) => file_index.extend(std::iter::repeat_n(i, dataset.files.len() - before)),
            Err(e) => {
                if let IngestError::NoRecognisedColumns {
                    columns, preview, ..
                } = &e
                {
                    unread.push(UnreadFile {
                        index: i,
                        summary: unread_summary(&f.name, columns.clone(), preview.clone()),
                    });
                }
                errors.push(RunError::unusable(&e));
            }
        }
    }
    Reading {
        dataset,
        errors,
        file_index,
        unread,
        parse_ms: now_ms() - started - fetching_ms,
        slice_timings,
    }
}

/// A file read as it arrives (`chunks`, with the helper's half `later`,
/// if any), or, when a piece is refused (a quote, another encoding further
/// on...), copied again into `content` to be read whole (`None`, with the
/// `stream_reread` timing); `Err` when the browser cannot read it again.
async fn read_streamed(
    dataset: &mut Dataset,
    name: &str,
    content: &mut FileContent,
    mut chunks: FileChunks,
    later: Option<crate::slicing::LaterSlice>,
    options: &ReadOptions,
    report: &mut dyn FnMut(loyalty_analytics::ingest::ReadProgress),
) -> Result<(Option<Result<(), IngestError>>, Vec<SectionTiming>), RunError> {
    let first_bytes = chunks.bytes_len();
    let pieces = async || chunks.next_bytes().await;
    let (read, mut timings) = read_in_parts(
        dataset,
        name,
        pieces,
        first_bytes,
        later.as_ref(),
        options,
        report,
    )
    .await;
    if read.is_some() {
        return Ok((read, timings));
    }
    let reread = now_ms();
    let file = chunks.file().clone();
    let whole = FileChunks::new(&file, 0.0, file.size());
    *content = copy_whole(whole, true, |_| {})
        .await
        .map_err(|reason| RunError::Unreadable {
            file: name.to_string(),
            reason,
        })?;
    timings.push(SectionTiming {
        section: "stream_reread".into(),
        ms: now_ms() - reread,
    });
    Ok((None, timings))
}

/// A file whose second half the helper read: the first half read here
/// meanwhile (its bytes, `content`), then the two joined, or, when the
/// helper's half cannot be used, the rest read here (appended to `content`)
/// and the file read whole; with the timings of [`Reading::slice_timings`].
/// `None` when the rest cannot be read: then `content`, the first half, is
/// read as it is.
async fn read_sliced(
    dataset: &mut Dataset,
    name: &str,
    content: &mut FileContent,
    later: &crate::slicing::LaterSlice,
    options: &ReadOptions,
    report: &mut dyn FnMut(loyalty_analytics::ingest::ReadProgress),
) -> (Option<Result<(), IngestError>>, Vec<SectionTiming>) {
    let FileContent::Bytes(first) = content else {
        return (None, Vec::new());
    };
    let mut piece = Some(&first[..]);
    let first_bytes = first.len();
    let pieces = async || piece.take();
    let (read, mut timings) = read_in_parts(
        dataset,
        name,
        pieces,
        first_bytes,
        Some(later),
        options,
        report,
    )
    .await;
    if read.is_some() {
        return (read, timings);
    }
    let reread = now_ms();
    let Ok(rest) = later.bytes() else {
        return (None, timings);
    };
    first.extend_from_slice(&rest);
    let read = dataset
        .add_file_with(name, first, options, report)
        .map(|_| ());
    timings.push(SectionTiming {
        section: "slice_reread".into(),
        ms: now_ms() - reread,
    });
    (Some(read), timings)
}

/// A file's first part, in pieces from `next` (`first_bytes` in all),
/// read as they come, then the helper's half (`later`), if any, joined
/// (`Dataset::add_streamed_file`); with the timings of
/// [`Reading::slice_timings`] when there is a helper's half. `None`:
/// refused, the dataset as it was, and the file is to be read whole.
async fn read_in_parts<B: AsRef<[u8]>>(
    dataset: &mut Dataset,
    name: &str,
    next: impl AsyncFnMut() -> Option<B>,
    first_bytes: usize,
    later: Option<&crate::slicing::LaterSlice>,
    options: &ReadOptions,
    report: &mut dyn FnMut(loyalty_analytics::ingest::ReadProgress),
) -> (Option<Result<(), IngestError>>, Vec<SectionTiming>) {
    let lap = |section: &'static str, from: f64, to: f64| SectionTiming {
        section: section.into(),
        ms: to - from,
    };
    let started = now_ms();
    let waited = std::cell::Cell::new((started, started));
    let helper = std::cell::Cell::new(None);
    let slices = async {
        let Some(later) = later else {
            return Some(Vec::new());
        };
        let asked = now_ms();
        let answer = later.read().await;
        waited.set((asked, now_ms()));
        answer.map(|(slice, times)| {
            helper.set(Some(times));
            vec![slice]
        })
    };
    let later_bytes = later.map_or(0, |l| l.bytes_len());
    let read = dataset
        .add_streamed_file(
            name,
            next,
            first_bytes,
            slices,
            later_bytes,
            options,
            report,
        )
        .await
        .map(|r| r.map(|_| ()));
    let mut timings = Vec::new();
    if later.is_none() {
        return (read, timings);
    }
    let (asked, answered) = waited.get();
    timings.push(lap("slice_first", started, asked));
    if read.is_some() {
        timings.push(lap("slice_wait", asked, answered));
        timings.push(lap("slice_join", answered, now_ms()));
        if let Some([read, parse]) = helper.get() {
            timings.push(lap("helper_read", 0.0, read));
            timings.push(lap("helper_parse", 0.0, parse));
        }
    }
    (read, timings)
}

/// The analysis of data already read, with `settings`. With a helper
/// making the Pareto/NBD fit, the CLV analysis may come back without it
/// ([`ClvAnalysis::late_pareto_nbd`]): then [`complete`] the outcome.
pub async fn recompute(
    dataset: &Dataset,
    settings: &Settings,
    pareto_nbd: &mut ParetoNbdSource<'_>,
) -> (Outcome, Option<ClvAnalysis>) {
    let started = now_ms();
    let (report, clv, sections) = if dataset.files.is_empty() {
        (None, None, Vec::new())
    } else {
        let (analysis, sections) =
            loyalty_analytics::analyse_with(dataset, settings, &mut now_ms, pareto_nbd).await;
        (Some(analysis.report), analysis.clv, sections)
    };
    let outcome = Outcome {
        report,
        analyze_ms: now_ms() - started,
        sections,
        ..Outcome::default()
    };
    (outcome, clv)
}

/// Fills the helper's Pareto/NBD fit (given to the CLV analysis's
/// [`ClvAnalysis::late_pareto_nbd`], or made here when none came) into the
/// outcome's Report and the kept CLV analysis.
pub fn complete(outcome: &mut Outcome, clv: &mut Option<ClvAnalysis>) {
    let Some(report) = outcome.report.take() else {
        return;
    };
    let mut analysis = Analysis {
        report,
        clv: clv.take(),
    };
    analysis.complete_pareto_nbd();
    outcome.report = Some(analysis.report);
    *clv = analysis.clv;
}

/// A file refused for want of known columns, in the shape of a summary for
/// the mapping panel: its columns without roles, its first rows, and the
/// header read when its columns have names.
fn unread_summary(name: &str, columns: Vec<String>, preview: Vec<Vec<String>>) -> FileSummary {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let format = match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => extension,
        _ => "text".to_string(),
    };
    let numbered = |i: usize, c: &String| *c == format!("column {}", i + 1);
    let has_header = !columns.iter().enumerate().all(|(i, c)| numbered(i, c));
    FileSummary {
        file: name.to_string(),
        kind: RecordKind::Customers,
        format,
        sheet: None,
        sheets: Vec::new(),
        // Not known until it is read: the panel says "detected".
        encoding: String::new(),
        gzip: false,
        layout: Layout::Delimited(','),
        has_header,
        date_format: None,
        columns: columns
            .into_iter()
            .map(|name| loyalty_analytics::ingest::ColumnInfo { name, role: None })
            .collect(),
        rows_read: 0,
        rows_used: 0,
        rows_rejected: 0,
        rejections: Vec::new(),
        returns: 0,
        returns_value: 0.0,
        customers: 0,
        customers_matched: None,
        date_alternatives: Vec::new(),
        preview,
        notes: Vec::new(),
        sheets_read: Vec::new(),
        currency: None,
        held_rows: 0..0,
    }
}
