//! The page's handle on the analysis worker: spawn, send, and terminate (to
//! cancel). Requests wait until the worker says it is ready.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::messages::Msg;
use crate::protocol::{Request, Response};

/// What the page hears from the worker.
pub enum WorkerEvent {
    /// Boxed: a finished run carries the whole Report.
    Response(Box<Response>),
    /// The worker failed (could not load, or stopped on an error).
    Failed(String),
}

struct Pending {
    request: Request,
    files: Vec<web_sys::File>,
}

pub struct AnalysisWorker {
    worker: Worker,
    ready: Rc<RefCell<bool>>,
    pending: Rc<RefCell<Option<Pending>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

thread_local! {
    /// `workers=N`, `slice_mb=N` and `stream=0` of the page's address when it opened,
    /// as the worker's name carries them: 1 worker keeps the analysis in
    /// one (no helper), for comparison and for machines where a second
    /// worker does not pay; `slice_mb` is the smallest file (in MB) the
    /// two workers read in halves (the harness pins both); `stream=0` copies
    /// a file whole before reading it (for comparison). Read once, as
    /// the page rewrites its address with the settings.
    static WORKER_SETTINGS: Vec<String> = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|hash| {
            hash.trim_start_matches('#')
                .split('&')
                .filter(|p| {
                    ["workers=", "slice_mb=", "stream="].iter().any(|key| {
                        p.strip_prefix(key).is_some_and(|n| n.parse::<f64>().is_ok())
                    })
                })
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
}

/// The worker's loader script, beside index.html (relative: any sub-path works).
const WORKER_URL: &str = "./worker_loader.js";

/// The worker's name, with the worker settings the page was told (a name,
/// not the address's query: a service worker's cached answer would drop
/// the query).
fn worker_name() -> String {
    let name = crate::helper::COORDINATOR_NAME;
    WORKER_SETTINGS.with(|settings| {
        std::iter::once(name.to_string())
            .chain(settings.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

impl AnalysisWorker {
    pub fn spawn(on_event: Rc<dyn Fn(WorkerEvent)>) -> Result<Self, String> {
        let worker = {
            let options = web_sys::WorkerOptions::new();
            options.set_name(&worker_name());
            Worker::new_with_options(WORKER_URL, &options)
        }
        .map_err(|e| format!("{e:?}"))?;
        let ready = Rc::new(RefCell::new(false));
        // The file being read (name, bytes), by the last progress of a run:
        // named when the worker stops.
        let reading: Rc<RefCell<Option<(String, u64)>>> = Rc::new(RefCell::new(None));
        let pending: Rc<RefCell<Option<Pending>>> = Rc::new(RefCell::new(None));

        let on_message = {
            let (ready, pending, worker, on_event, reading) = (
                ready.clone(),
                pending.clone(),
                worker.clone(),
                on_event.clone(),
                reading.clone(),
            );
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Some(response) = event
                    .data()
                    .as_string()
                    .and_then(|text| serde_json::from_str::<Response>(&text).ok())
                else {
                    return;
                };
                if response == Response::Ready {
                    *ready.borrow_mut() = true;
                    if let Some(p) = pending.borrow_mut().take() {
                        if let Err(e) = post(&worker, &p.request, &p.files) {
                            on_event(WorkerEvent::Failed(e));
                        }
                    }
                } else {
                    *reading.borrow_mut() = match &response {
                        Response::Progress(p) => Some((p.file.clone(), p.bytes_total)),
                        _ => None,
                    };
                    on_event(WorkerEvent::Response(Box::new(response)));
                }
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let file = reading.borrow().clone();
            on_event(WorkerEvent::Failed(
                Msg::WorkerStopped {
                    file: file.as_ref().map(|(name, bytes)| (name.as_str(), *bytes)),
                    detail: &event.message(),
                }
                .text(),
            ));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(AnalysisWorker {
            worker,
            ready,
            pending,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends now, or as soon as the worker is ready (a newer request replaces a waiting one).
    pub fn send(&self, request: Request, files: Vec<web_sys::File>) -> Result<(), String> {
        if *self.ready.borrow() {
            post(&self.worker, &request, &files)
        } else {
            *self.pending.borrow_mut() = Some(Pending { request, files });
            Ok(())
        }
    }
}

impl Drop for AnalysisWorker {
    /// Dropping the handle stops the worker at once: that is how a run is cancelled.
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn post(worker: &Worker, request: &Request, files: &[web_sys::File]) -> Result<(), String> {
    let message = Object::new();
    let text = serde_json::to_string(request).map_err(|e| e.to_string())?;
    Reflect::set(&message, &"request".into(), &JsValue::from_str(&text))
        .map_err(|e| format!("{e:?}"))?;
    let list: Array = files.iter().map(JsValue::from).collect();
    Reflect::set(&message, &"files".into(), &list).map_err(|e| format!("{e:?}"))?;
    worker.post_message(&message).map_err(|e| format!("{e:?}"))
}
