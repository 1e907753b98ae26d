//! The analysis worker's helper: a second worker, spawned by the first
//! (nested workers need no special headers, so any static host serves it),
//! that fits Pareto/NBD while the first goes on with the rest of the
//! analysis. Pareto/NBD is the costliest fit: the first fits BG/NBD and
//! checks it on the holdout meanwhile, and runs the sections that do not
//! need the CLV figures before it waits for the answer; with no holdout to
//! choose by, nothing waits for it at all ([`ParetoNbdSource::Helper`]).
//! The fit is the same function on the same numbers as in line, so the
//! Report is the one a single worker computes.
//!
//! What the fit reads of the distinct histories (all of them up to 30,000,
//! else two samples of 1,000 and 4,000, [`FitInput`]) goes over as
//! `Float64Array`s whose buffers are transferred, not copied, beside its
//! counts; the answer comes back as JSON text (a few hundred bytes). When the helper is not ready, dies or does not answer
//! within [`ANSWER_TIMEOUT_MS`], the fit is made in line and a new helper
//! takes its place. `workers=1` in the page's address (passed on in the
//! worker's name) keeps everything in one worker; so does a machine with one
//! core.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Float64Array, Object, Promise, Reflect};
use std::borrow::Cow;

use loyalty_analytics::models::late_fit::{fit_for_helper, HelperFit};
use loyalty_analytics::models::pareto_nbd::FitInput;
use loyalty_analytics::models::summary::Triples;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Of the four arrays of a set of histories.
const FIELDS: [&str; 4] = ["x", "t_x", "t", "weight"];

/// The counts of a job, beside its histories.
const COUNTS: [&str; 4] = [
    "customers",
    "repeat_customers",
    "all_customers",
    "distinct_triples",
];

/// The key a job's message carries, with its number.
const JOB_KEY: &str = "pareto_nbd_job";

/// Longest wait for an answer before the fit is made in line: far above
/// the fit's own time (about 100 ms at 1M rows), so only a helper that is
/// stuck or gone reaches it.
const ANSWER_TIMEOUT_MS: i32 = 10_000;

/// The helper's answer to job `job`.
#[derive(Serialize, Deserialize)]
struct Answer {
    pareto_nbd_job: u32,
    fit: HelperFit,
}

/// What this worker is, by its address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    /// The page's worker; with a helper when `helpers` is 1.
    Coordinator { helpers: u32 },
    /// A coordinator's helper: fits what it is sent, spawns nobody.
    Helper,
}

/// The name the page gives the analysis worker; ` workers=N` may follow.
pub const COORDINATOR_NAME: &str = "loyalty-analysis";

/// The name a coordinator gives its helper.
const HELPER_NAME: &str = "loyalty-helper";

/// The name of a helper that skips the warm-up: one that replaces the
/// helper of a sliced read while the analysis runs, whose warm-up (a 60k-row
/// analysis) would compete with it for the cores and memory bandwidth.
const COLD_HELPER_NAME: &str = "loyalty-helper cold";

/// This worker's role from its name (`new Worker(url, { name })`; not from
/// its address, which a service worker's cached answer may stand for without
/// the query) and the cores the browser reports.
pub fn role() -> Role {
    let global = js_sys::global();
    let get = |target: &JsValue, key: &str| Reflect::get(target, &key.into()).ok();
    let name = get(&global, "name")
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if name == HELPER_NAME || name == COLD_HELPER_NAME {
        return Role::Helper;
    }
    let cores = get(&global, "navigator")
        .and_then(|n| get(&n, "hardwareConcurrency"))
        .and_then(|c| c.as_f64())
        .unwrap_or(1.0);
    let workers = name_setting("workers").unwrap_or(cores);
    Role::Coordinator {
        helpers: u32::from(workers >= 2.0),
    }
}

/// A `key=N` setting carried in this worker's name (`workers`, `slice_mb`,
/// `stream`).
pub fn name_setting(key: &str) -> Option<f64> {
    let name = Reflect::get(&js_sys::global(), &"name".into())
        .ok()?
        .as_string()?;
    name.split(' ').find_map(|part| {
        part.strip_prefix(key)?
            .strip_prefix('=')?
            .parse::<f64>()
            .ok()
    })
}

/// The coordinator's handle on its helper.
struct Helper {
    worker: Worker,
    ready: bool,
    warmed: bool,
    /// Answers not yet asked for, by job (a fit's JSON text, a slice's
    /// object).
    answers: HashMap<u32, JsValue>,
    /// The job waited for and what to call with its answer's text (or null).
    waiting: Option<(u32, js_sys::Function)>,
    /// Called once the helper is warmed up (or gone).
    on_warmed: Option<Box<dyn FnOnce()>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

thread_local! {
    static HELPER: RefCell<Option<Helper>> = const { RefCell::new(None) };
    static NEXT_JOB: Cell<u32> = const { Cell::new(0) };
    /// Jobs up to this one went to a helper that died: no answer will come.
    static LOST_UP_TO: Cell<u32> = const { Cell::new(0) };
}

fn with_helper<T>(f: impl FnOnce(&mut Helper) -> T) -> Option<T> {
    HELPER.with(|h| h.borrow_mut().as_mut().map(f))
}

/// Spawns the helper (again, after one died). Without one the analysis
/// runs in line, so a failure here is not an error.
pub fn spawn() {
    spawn_named(HELPER_NAME);
}

/// Spawns a helper that skips the warm-up ([`COLD_HELPER_NAME`]).
pub fn spawn_cold() {
    spawn_named(COLD_HELPER_NAME);
}

/// Whether this worker is a helper that skips the warm-up.
pub fn is_cold() -> bool {
    Reflect::get(&js_sys::global(), &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == COLD_HELPER_NAME)
}

fn spawn_named(name: &str) {
    // The old helper, if any, is terminated below: its jobs get no answer.
    LOST_UP_TO.set(NEXT_JOB.get());
    let options = web_sys::WorkerOptions::new();
    options.set_name(name);
    let Ok(worker) = Worker::new_with_options("./helper_loader.js", &options) else {
        return;
    };
    // This worker's compiled module, for the helper to instantiate
    // (`assets/helper_loader.js`); a failed post leaves it to load the file.
    if worker.post_message(&wasm_bindgen::module()).is_err() {
        let _ = worker.post_message(&JsValue::NULL);
    }
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        heard(event.data());
    });
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(|event: ErrorEvent| {
        event.prevent_default();
        died();
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let old = HELPER.with(|h| {
        h.borrow_mut().replace(Helper {
            worker,
            ready: false,
            warmed: false,
            answers: HashMap::new(),
            waiting: None,
            on_warmed: None,
            _on_message: on_message,
            _on_error: on_error,
        })
    });
    if let Some(old) = old {
        old.worker.terminate();
    }
}

/// A message from the helper: it is ready or warm, or it answers a job
/// (a fit as JSON text, a slice as an object; each carries its number).
fn heard(data: JsValue) {
    let job = match data.as_string() {
        Some(text) if text == r#""ready""# => {
            with_helper(|h| h.ready = true);
            return;
        }
        Some(text) if text == r#"{"kind":"warmed"}"# => {
            warmed();
            return;
        }
        Some(text) => serde_json::from_str::<Answer>(&text)
            .ok()
            .map(|a| a.pareto_nbd_job),
        None => Reflect::get(&data, &crate::slicing::JOB_KEY.into())
            .ok()
            .and_then(|j| j.as_f64())
            .map(|j| j as u32),
    };
    let Some(job) = job else { return };
    let call = with_helper(|h| match h.waiting.take() {
        Some((waited, resolve)) if waited == job => Some(resolve),
        other => {
            h.waiting = other;
            h.answers.insert(job, data.clone());
            None
        }
    })
    .flatten();
    if let Some(resolve) = call {
        let _ = resolve.call1(&JsValue::NULL, &data);
    }
}

fn warmed() {
    let then = with_helper(|h| {
        h.warmed = true;
        h.on_warmed.take()
    })
    .flatten();
    if let Some(then) = then {
        then();
    }
}

/// The helper stopped (a panic, out of memory): whoever waits gets no
/// answer (and fits in line), and a new helper is spawned.
fn died() {
    LOST_UP_TO.set(NEXT_JOB.get());
    let waiting = with_helper(|h| h.waiting.take()).flatten();
    warmed();
    if let Some((_, resolve)) = waiting {
        let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
    }
    // Not from inside the dead helper's error handler, which the new
    // helper's handle replaces (dropping it while it runs would throw).
    wasm_bindgen_futures::spawn_local(async { spawn() });
}

/// Calls `then` once the helper has warmed up (at once without a helper):
/// the coordinator says it is warm only then.
pub fn when_warmed(then: Box<dyn FnOnce()>) {
    let pending = HELPER.with(|h| match h.borrow_mut().as_mut() {
        Some(h) if !h.warmed => {
            h.on_warmed = Some(then);
            None
        }
        _ => Some(then),
    });
    if let Some(then) = pending {
        then();
    }
}

/// Whether a helper is there and ready for a job.
pub fn ready() -> bool {
    with_helper(|h| h.ready).unwrap_or(false)
}

/// Sends a ready helper a job: `message`, numbered under `key`, with the
/// buffers of `transfer` moved, not copied. The job's number, or `None`
/// (no helper, or not ready yet: the work is then done here).
pub fn post_job(key: &str, message: &Object, transfer: &Array) -> Option<u32> {
    let worker = with_helper(|h| h.ready.then(|| h.worker.clone())).flatten()?;
    let job = NEXT_JOB.get() + 1;
    Reflect::set(message, &key.into(), &JsValue::from(job)).ok()?;
    worker.post_message_with_transfer(message, transfer).ok()?;
    NEXT_JOB.set(job);
    Some(job)
}

/// Sends what the Pareto/NBD fit reads to a ready helper; its job number,
/// or `None` (no helper, or not ready yet: the fit is then made in line).
pub fn offer(input: &FitInput) -> Option<u32> {
    // An answer no one waited for belongs to an earlier run.
    with_helper(|h| h.answers.clear());
    let message = Object::new();
    let transfer = Array::new();
    let sets = [
        ("target", Some(&*input.target)),
        ("coarse", input.coarse.as_deref()),
    ];
    for (set, triples) in sets {
        let Some(triples) = triples else { continue };
        let columns = [&triples.x, &triples.t_x, &triples.t, &triples.weight];
        for (name, column) in FIELDS.iter().zip(columns) {
            let array = Float64Array::from(&column[..]);
            transfer.push(&array.buffer());
            Reflect::set(&message, &format!("{set}_{name}").into(), &array).ok()?;
        }
    }
    let counts = [
        input.customers as f64,
        input.repeat_customers as f64,
        input.all_customers,
        input.distinct_triples as f64,
    ];
    for (name, value) in COUNTS.iter().zip(counts) {
        Reflect::set(&message, &(*name).into(), &JsValue::from(value)).ok()?;
    }
    post_job(JOB_KEY, &message, &transfer)
}

/// The helper's answer to `job`: `None` when it died or took longer than
/// [`ANSWER_TIMEOUT_MS`].
pub async fn answer(job: u32) -> Option<HelperFit> {
    let text = wait_for(job, ANSWER_TIMEOUT_MS).await?.as_string()?;
    let answer: Answer = serde_json::from_str(&text).ok()?;
    Some(answer.fit)
}

/// The message answering `job`: `None` when the helper died or took longer
/// than `timeout_ms` (it is then replaced, so the next job has a helper
/// that answers).
pub async fn wait_for(job: u32, timeout_ms: i32) -> Option<JsValue> {
    if job <= LOST_UP_TO.get() {
        return None;
    }
    if let Some(answer) = with_helper(|h| h.answers.remove(&job)).flatten() {
        return Some(answer);
    }
    let timed_out = Rc::new(Cell::new(false));
    let promise = Promise::new(&mut |resolve, _reject| {
        let registered = with_helper(|h| h.waiting = Some((job, resolve.clone()))).is_some();
        if !registered {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
            return;
        }
        let timed_out = timed_out.clone();
        let on_timeout = Closure::once_into_js(move || {
            timed_out.set(true);
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        });
        let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.unchecked_ref(),
            timeout_ms,
        );
    });
    let answer = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    with_helper(|h| h.waiting = None);
    if timed_out.get() {
        // Stuck: replaced, so the next run has a helper that answers.
        spawn();
        return None;
    }
    (!answer.is_null()).then_some(answer)
}

/// The helper's side: when `data` is a job, fits it, answers, and says so.
pub fn fit_if_job(data: &JsValue) -> bool {
    let Some(job) = Reflect::get(data, &JOB_KEY.into())
        .ok()
        .and_then(|j| j.as_f64())
    else {
        return false;
    };
    let get = |name: &str| Reflect::get(data, &name.into()).ok();
    let set = |set: &str| -> Option<Triples> {
        let mut columns = FIELDS.iter().map(|name| {
            get(&format!("{set}_{name}"))
                .and_then(|a| a.dyn_into::<Float64Array>().ok())
                .map(|a| a.to_vec())
        });
        Some(Triples {
            x: columns.next()??,
            t_x: columns.next()??,
            t: columns.next()??,
            weight: columns.next()??,
            of_row: Vec::new(),
        })
    };
    let counts = COUNTS.map(|name| get(name).and_then(|v| v.as_f64()).unwrap_or(0.0));
    let input = FitInput {
        customers: counts[0] as u64,
        repeat_customers: counts[1] as u64,
        all_customers: counts[2],
        distinct_triples: counts[3] as u64,
        coarse: set("coarse").map(Cow::Owned),
        target: Cow::Owned(set("target").unwrap_or_default()),
    };
    let answer = Answer {
        pareto_nbd_job: job as u32,
        fit: fit_for_helper(&input),
    };
    let text = serde_json::to_string(&answer).unwrap_or_default();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&JsValue::from_str(&text));
    true
}
