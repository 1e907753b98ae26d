//! The analysis worker: receives files, reads and analyses them off the page's
//! thread, and answers with progress and the outcome. Only this side links
//! the readers (CSV, encodings, gzip), so the page's own wasm stays small.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::analysis::{analyse, LoadedFile, SAMPLE_BYTES, SAMPLE_NAME};
use crate::protocol::{Outcome, Request, Response};

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
    let Some(Request::Analyse { sample }) = request else {
        post(&Response::Done(Outcome {
            report: None,
            errors: vec!["The analysis worker received a request it does not understand.".into()],
            parse_ms: 0.0,
            analyze_ms: 0.0,
        }));
        return;
    };
    let (files, mut read_errors) = if sample {
        let sample = LoadedFile {
            name: SAMPLE_NAME.into(),
            bytes: SAMPLE_BYTES.to_vec(),
        };
        (vec![sample], Vec::new())
    } else {
        read_files(Reflect::get(&data, &"files".into()).unwrap_or(JsValue::UNDEFINED)).await
    };
    let mut outcome = analyse(&files, |p| post(&Response::Progress(p)));
    read_errors.append(&mut outcome.errors);
    outcome.errors = read_errors;
    post(&Response::Done(outcome));
}

/// The bytes of each `File` in `files`; a file the browser cannot read
/// becomes a message naming it.
async fn read_files(files: JsValue) -> (Vec<LoadedFile>, Vec<String>) {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for file in Array::from(&files).iter() {
        let Ok(file) = file.dyn_into::<web_sys::File>() else {
            continue;
        };
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
