//! The analysis worker: receives files, reads and analyses them off the page's
//! thread, and answers with progress and the outcome. Only this side links
//! the readers (CSV, encodings, gzip), so the page's own wasm stays small.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::analysis::{analyse, LoadedFile, SAMPLE_BYTES, SAMPLE_NAME};
use std::cell::RefCell;

use crate::protocol::{Outcome, Request, Response};

thread_local! {
    /// The files of the last run, kept so a mapping change re-reads them
    /// without the user dropping them again. The page never holds them.
    static LAST_FILES: RefCell<Vec<LoadedFile>> = const { RefCell::new(Vec::new()) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
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
        wasm_bindgen_futures::spawn_local(handle(event.data()));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&Response::Ready);
}

async fn handle(data: JsValue) {
    let request = Reflect::get(&data, &"request".into())
        .ok()
        .and_then(|r| r.as_string())
        .and_then(|text| serde_json::from_str::<Request>(&text).ok());
    let (options, read_errors) = match request {
        Some(Request::Analyse { sample: true }) => {
            let sample = LoadedFile {
                name: SAMPLE_NAME.into(),
                bytes: SAMPLE_BYTES.to_vec(),
            };
            LAST_FILES.with(|last| *last.borrow_mut() = vec![sample]);
            (Vec::new(), Vec::new())
        }
        Some(Request::Analyse { sample: false }) => {
            let files = Reflect::get(&data, &"files".into()).unwrap_or(JsValue::UNDEFINED);
            // Free the previous files before reading the new ones.
            LAST_FILES.with(|last| last.borrow_mut().clear());
            let (files, errors) = read_files(files).await;
            LAST_FILES.with(|last| *last.borrow_mut() = files);
            (Vec::new(), errors)
        }
        Some(Request::Reread { options }) => {
            if LAST_FILES.with(|last| last.borrow().is_empty()) {
                post(&Response::Done(Outcome {
                    report: None,
                    errors: vec!["The files are no longer loaded (the analysis was restarted): please drop them again.".into()],
                    parse_ms: 0.0,
                    analyze_ms: 0.0,
                }));
                return;
            }
            (options, Vec::new())
        }
        None => {
            post(&Response::Done(Outcome {
                report: None,
                errors: vec![
                    "The analysis worker received a request it does not understand.".into(),
                ],
                parse_ms: 0.0,
                analyze_ms: 0.0,
            }));
            return;
        }
    };
    let mut outcome =
        LAST_FILES.with(|last| analyse(&last.borrow(), &options, |p| post(&Response::Progress(p))));
    let mut errors = read_errors;
    errors.append(&mut outcome.errors);
    outcome.errors = errors;
    post(&Response::Done(outcome));
}

/// Larger files are refused before any work: the text, its decoded copy and
/// the columns must fit in a 4 GiB wasm memory.
const MAX_FILE_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// The bytes of each `File` in `files`; a file the browser cannot read
/// becomes a message naming it.
async fn read_files(files: JsValue) -> (Vec<LoadedFile>, Vec<String>) {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for file in Array::from(&files).iter() {
        let Ok(file) = file.dyn_into::<web_sys::File>() else {
            continue;
        };
        if file.size() > MAX_FILE_BYTES {
            errors.push(format!(
                "{}: the file is {:.1} GB; the browser reads files up to 1 GB. Split it by period, \
                 or load the per-customer summary (customer_id, frequency, recency, T) instead.",
                file.name(),
                file.size() / 1e9
            ));
            continue;
        }
        match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => loaded.push(LoadedFile {
                name: file.name(),
                bytes: Uint8Array::new(&buffer).to_vec(),
            }),
            Err(e) => errors.push(format!(
                "{}: the browser could not read the file ({}).",
                file.name(),
                e.as_string().unwrap_or_else(|| "no reason given".into())
            )),
        }
    }
    (loaded, errors)
}
