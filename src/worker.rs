//! The analysis worker: receives files, reads and analyses them off the page's
//! thread, and answers with progress and the outcome. Only this side links
//! the readers (CSV, encodings, gzip), so the page's own wasm stays small.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::analysis::{analyse, complete, now_ms, read, LoadedFile, Loading, Reading};
use crate::file_chunks::{copy_whole, FileChunks};
use crate::helper::{self, Role};
use crate::slicing;
use loyalty_analytics::ingest::FileContent;
use loyalty_analytics::ingest::ReadOptions;
use loyalty_analytics::models::late_fit::HelperFit;
use loyalty_analytics::models::pareto_nbd::FitInput;
use loyalty_analytics::models::{ClvAnalysis, FitHelper, LocalFuture, ParetoNbdSource};
use loyalty_analytics::SectionTiming;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use crate::protocol::{Outcome, Progress, Request, Response, RunError};

thread_local! {
    /// What the last run read, and what it said of the files: a settings
    /// change reruns the analysis on these without re-reading.
    static LAST_DATASET: RefCell<Option<Reading>> = const { RefCell::new(None) };
    /// The CLV model's per-customer tables of the last analysis.
    static LAST_CLV: RefCell<Option<ClvAnalysis>> = const { RefCell::new(None) };
    /// The last Report sent, for its JSON download.
    static LAST_REPORT: RefCell<Option<loyalty_analytics::Report>> = const { RefCell::new(None) };
    /// A run waits for the helper: requests wait their turn, as they do
    /// behind a run that never yields.
    static WAITING: Cell<bool> = const { Cell::new(false) };
    static QUEUE: RefCell<VecDeque<JsValue>> = const { RefCell::new(VecDeque::new()) };
}

/// A file name for a segment's export: "customers-rfm-champions".
fn segment_file_name(segment: loyalty_analytics::models::Segment) -> String {
    use loyalty_analytics::models::Segment;
    match segment {
        Segment::Rfm(s) => format!("customers-rfm-{}", s.id()),
        Segment::Abc(a) => format!("customers-abc-{a:?}"),
        Segment::Xyz(x) => format!("customers-xyz-{x:?}"),
        Segment::AbcXyz(a, x) => format!("customers-{a:?}{x:?}"),
        Segment::TopClv => "customers-top-clv".into(),
        Segment::Predictions => "customer-predictions".into(),
    }
}

fn files_gone() -> Outcome {
    Outcome {
        errors: vec![RunError::FilesGone],
        ..Outcome::default()
    }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends a run's outcome, keeping its report for the JSON download.
fn post_done(outcome: Outcome) {
    LAST_REPORT.with(|last| *last.borrow_mut() = outcome.report.clone());
    post(&Response::Done(Box::new(outcome)));
}

fn post(response: &Response) {
    // Serialising our own plain types cannot fail; an empty message is ignored.
    let text = serde_json::to_string(response).unwrap_or_default();
    let _ = scope().post_message(&JsValue::from_str(&text));
}

/// Installs the message handler and tells the page it is ready.
pub fn start() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        dispatch(event.data());
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    if helper::role() == (Role::Coordinator { helpers: 1 }) {
        // Loads and warms up beside this worker's own warm-up.
        helper::spawn();
    }
    post(&Response::Ready);
    if helper::is_cold() {
        let _ = scope().post_message(&JsValue::from_str(WARMED));
    } else {
        warm_up();
    }
}

/// Handles `data` now, or after the run that waits for the helper.
fn dispatch(data: JsValue) {
    if WAITING.get() {
        QUEUE.with(|q| q.borrow_mut().push_back(data));
    } else {
        handle(data);
    }
}

/// The requests that came while a run waited, in order (until one waits).
fn drain() {
    while !WAITING.get() {
        let Some(data) = QUEUE.with(|q| q.borrow_mut().pop_front()) else {
            break;
        };
        handle(data);
    }
}

/// The helper worker, as the analysis sees it: the job it took last.
#[derive(Default)]
struct HelperJob {
    job: Option<u32>,
}

impl FitHelper for HelperJob {
    fn catch_up(&mut self) -> LocalFuture<'_, ()> {
        Box::pin(yield_to_messages())
    }

    fn offer(&mut self, input: &FitInput) -> bool {
        self.job = helper::offer(input);
        self.job.is_some()
    }

    fn answer(&mut self) -> LocalFuture<'_, Option<HelperFit>> {
        let job = self.job;
        Box::pin(async move { helper::answer(job?).await })
    }
}

/// Keeps the run's CLV analysis and posts its outcome, after the helper's
/// Pareto/NBD fit when the analysis came back without it.
async fn conclude(mut outcome: Outcome, mut clv: Option<ClvAnalysis>, mut helper: HelperJob) {
    let late = clv.as_ref().and_then(|c| c.late_pareto_nbd().cloned());
    if let (Some(late), Some(_)) = (late, helper.job) {
        let started = now_ms();
        if let Some(fit) = helper.answer().await {
            late.answer(fit);
        }
        let answered = now_ms();
        complete(&mut outcome, &mut clv);
        let done = now_ms();
        // The wait, and the fill-in (or the fit in line, without an answer).
        outcome.sections.push(SectionTiming {
            section: "pareto_nbd_wait".into(),
            ms: answered - started,
        });
        outcome.sections.push(SectionTiming {
            section: "pareto_nbd_complete".into(),
            ms: done - answered,
        });
        outcome.analyze_ms += done - started;
    } else {
        // Nothing offered, or taken back: a no-op, or the fit in line.
        complete(&mut outcome, &mut clv);
    }
    LAST_CLV.with(|c| *c.borrow_mut() = clv);
    post_done(outcome);
}

/// Runs `work` with later requests waiting their turn (they are handled
/// once it is done, in order).
fn run_exclusively(work: impl std::future::Future<Output = ()> + 'static) {
    WAITING.set(true);
    wasm_bindgen_futures::spawn_local(async move {
        work.await;
        WAITING.set(false);
        drain();
    });
}

/// Lets the messages that came meanwhile in (the helper saying it is
/// ready) before going on.
async fn yield_to_messages() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// What a worker says once warm (or, a cold helper, at once).
const WARMED: &str = r#"{"kind":"warmed"}"#;

/// Rows of the made-up shop [`warm_up`] analyses.
const WARM_UP_ROWS: u32 = 60_000;

/// Analyses a made-up shop once, while the user picks a file, and forgets it.
/// V8 runs wasm first with its baseline compiler and optimises a function
/// only after it has run for a while, and a function keeps the code it was
/// called with until it returns: the row loop over a whole file and the model
/// fits run once per drop, so without this the first drop runs them all in
/// baseline code. In Chromium at 1M rows, a second drop in the same page took
/// parse 460 -> 275 ms, analysis 775 -> 454 ms; with this warm-up the first
/// drop's analysis went 1000 -> 562 ms (bench/results/2026-12-03-cf45fb4-1m.md).
/// 60k rows get most of it (tried with heads of the 1M file: 30k, 60k, 120k);
/// it takes about 270 ms and leaves 14-20 MiB more in the idle worker.
fn warm_up() {
    use std::fmt::Write;
    let mut text = String::from("customer_id,date,amount\n");
    for i in 0..WARM_UP_ROWS {
        // About ten purchases for each of 6,000 customers over two years.
        let customer = i.wrapping_mul(40_503) % 6_000;
        let day = i.wrapping_mul(2_654_435_761) % 730;
        let (year, day_of_year) = (2023 + day / 365, day % 365);
        let (month, day_of_month) = (1 + day_of_year / 31, 1 + day_of_year % 28);
        let _ = writeln!(
            text,
            "c{customer},{year}-{month:02}-{day_of_month:02},{}.{:02}",
            5 + i % 200,
            i % 100
        );
    }
    let file = LoadedFile {
        name: "warm-up.csv".into(),
        content: FileContent::Bytes(text.into_bytes()),
        later: None,
        stream: None,
    };
    // In line, it waits for nothing: done before any request is handled.
    run_exclusively(async move {
        let settings = loyalty_analytics::Settings::default();
        let (outcome, _, _) = analyse(
            &mut std::iter::once(Box::pin(std::future::ready(Ok(file))) as Loading),
            &[],
            &settings,
            &mut |_| {},
            &mut ParetoNbdSource::InLine,
        )
        .await;
        // The first drop's paths the analysis does not take: reading the
        // page's request (about 17 ms at the first drop in Chromium, 0.3
        // ms at the next: the compiling) and writing the Report, which the
        // page reads once too ([`Response::WarmUp`]).
        let request = Request::Analyse {
            options: vec![ReadOptions::default()],
            settings,
        };
        if let Ok(text) = serde_json::to_string(&request) {
            let _ = serde_json::from_str::<Request>(&text);
        }
        if helper::role() != Role::Helper {
            post(&Response::WarmUp(Box::new(outcome)));
        }
        // Not a `Response` (the page has nothing to do with it): for
        // benchmarks, which drop their file after it, as a user picking a
        // file would; said once the helper (if any) is warm too.
        helper::when_warmed(Box::new(|| {
            let _ = scope().post_message(&JsValue::from_str(WARMED));
        }));
    });
}

fn handle(data: JsValue) {
    if helper::fit_if_job(&data) || slicing::read_if_job(&data) {
        return;
    }
    let request = Reflect::get(&data, &"request".into())
        .ok()
        .and_then(|r| r.as_string())
        .and_then(|text| serde_json::from_str::<Request>(&text).ok());
    let (files, options, settings) = match request {
        Some(Request::Recompute { settings }) => {
            // Out of its slot while it is analysed (requests wait meanwhile).
            match LAST_DATASET.with(|last| last.borrow_mut().take()) {
                Some(reading) => run_exclusively(async move {
                    let mut helper = HelperJob::default();
                    let (outcome, clv) = reading
                        .analyse(&settings, &mut ParetoNbdSource::Helper(&mut helper))
                        .await;
                    LAST_DATASET.with(|last| *last.borrow_mut() = Some(reading));
                    conclude(outcome, clv, helper).await;
                }),
                None => post_done(files_gone()),
            }
            return;
        }
        Some(Request::Customer { id }) => {
            let card = LAST_DATASET.with(|data| {
                LAST_CLV.with(|clv| {
                    let data = data.borrow();
                    let clv = clv.borrow();
                    clv.as_ref()
                        .zip(data.as_ref())
                        .and_then(|(clv, reading)| clv.customer(&reading.dataset, id.trim()))
                })
            });
            post(&Response::Customer {
                id,
                card: card.map(Box::new),
            });
            return;
        }
        Some(Request::ReportJson) => {
            let json = LAST_REPORT.with(|last| {
                last.borrow()
                    .as_ref()
                    .and_then(|r| serde_json::to_string_pretty(r).ok())
            });
            post(&Response::Download {
                file_name: "loyalty-report.json".into(),
                mime: "application/json".into(),
                text: json.unwrap_or_default(),
            });
            return;
        }
        Some(Request::SegmentCsv { segment }) => {
            let csv = LAST_DATASET.with(|data| {
                LAST_CLV.with(|clv| {
                    let data = data.borrow();
                    let clv = clv.borrow();
                    clv.as_ref()
                        .zip(data.as_ref())
                        .map(|(clv, reading)| clv.segment_csv(&reading.dataset, segment))
                })
            });
            post(&Response::Download {
                file_name: format!("{}.csv", segment_file_name(segment)),
                mime: "text/csv;charset=utf-8".into(),
                // With a byte-order mark, as every CSV of the page: Excel then
                // reads it as UTF-8.
                text: format!("\u{feff}{}", csv.unwrap_or_default()),
            });
            return;
        }
        Some(Request::Analyse { options, settings }) => {
            // Free the previous analysis before reading the files again.
            LAST_DATASET.with(|last| last.borrow_mut().take());
            LAST_CLV.with(|last| last.borrow_mut().take());
            // Handles only: a file's bytes are in memory while it is parsed
            // and freed before the analysis (at 1M rows they are 23 MB the
            // analysis would otherwise hold on top of its own).
            let files =
                Array::from(&Reflect::get(&data, &"files".into()).unwrap_or(JsValue::UNDEFINED))
                    .iter()
                    .filter_map(|f| f.dyn_into::<web_sys::File>().ok())
                    .collect::<Vec<_>>();
            (files, options, settings)
        }
        None => {
            post_done(Outcome {
                errors: vec![RunError::UnknownRequest],
                ..Outcome::default()
            });
            return;
        }
    };
    run_exclusively(async move {
        let count = files.len();
        let mut loaded = files
            .iter()
            .enumerate()
            .map(|(i, file)| Box::pin(load(file, i, count, options.get(i))) as Loading);
        let reading = read(&mut loaded, &options, &mut |p| post(&Response::Progress(p))).await;
        // The helper loads beside a first run: its "ready" may have come
        // while this one read.
        yield_to_messages().await;
        let mut helper = HelperJob::default();
        let (mut outcome, clv) = reading
            .analyse(&settings, &mut ParetoNbdSource::Helper(&mut helper))
            .await;
        outcome.parse_ms = reading.parse_ms;
        outcome
            .sections
            .splice(0..0, reading.slice_timings.iter().cloned());
        LAST_DATASET.with(|last| *last.borrow_mut() = Some(reading));
        conclude(outcome, clv, helper).await;
    });
}

/// Larger files are refused before any work: the text, its decoded copy and
/// the columns must fit in a 4 GiB wasm memory.
const MAX_FILE_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// The bytes of `file` (number `i` of `count`), copied into wasm memory 8 MB
/// at a time (so the file is held once, not once in JS and again here), with
/// loading progress; a file the browser cannot read becomes a message naming it.
async fn load(
    file: &web_sys::File,
    i: usize,
    count: usize,
    options: Option<&ReadOptions>,
) -> Result<LoadedFile, RunError> {
    // Refused before any work (keeping its place among the files, so each
    // file's options and the page's list stay in step).
    if file.size() > MAX_FILE_BYTES {
        return Err(RunError::TooLarge {
            file: file.name(),
            bytes: file.size(),
        });
    }
    // The second half to the helper, when it can read it apart; this
    // worker then copies the first half only, as bytes.
    let later = slicing::offer(file, options.unwrap_or(&ReadOptions::default()));
    let end = later.as_ref().map_or(file.size(), |l| l.start);
    let chunks = FileChunks::new(file, 0.0, end);
    // Read as it arrives: each slice parsed while the next is copied.
    if slicing::streams(file, end, options) {
        return Ok(LoadedFile {
            name: file.name(),
            content: FileContent::Bytes(Vec::new()),
            later,
            stream: Some(chunks),
        });
    }
    // A chosen encoding decodes the whole file, as chosen.
    let decode_on_arrival = later.is_none() && options.is_none_or(|o| o.encoding.is_none());
    // Of the bytes this worker copies (the first half, when the helper
    // reads the other).
    let content = copy_whole(chunks, decode_on_arrival, |done| {
        post(&Response::Progress(Progress {
            file: file.name(),
            file_number: i + 1,
            files: count,
            rows_read: 0,
            bytes_read: done as u64,
            bytes_total: end as u64,
        }))
    })
    .await
    .map_err(|reason| RunError::Unreadable {
        file: file.name(),
        reason,
    })?;
    Ok(LoadedFile {
        name: file.name(),
        content,
        later,
        stream: None,
    })
}
