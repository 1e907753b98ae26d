//! A large file read by both workers: the helper reads and parses the
//! file's end ([`HELPER_SHARE`] of it, "the second half" below) while the
//! coordinator reads and parses the rest,
//! and the coordinator joins the two (`Dataset::add_streamed_file`), which
//! gives exactly what reading the file whole gives (`ingest::slices`).
//!
//! The coordinator picks the cut (just after the first line feed past
//! [`HELPER_SHARE`] of the bytes from the end, [`slice_start`]) and sends
//! the helper the `File` handle (a handle, not the bytes) with it. The helper reads the file's head (for
//! the table) and its slice straight from the file, so the copy into wasm
//! memory is split too, and answers with its rows as transferred typed
//! arrays beside a small JSON tally. When the helper refuses the slice
//! (quotes, not UTF-8...), is not ready, dies or does not answer in time,
//! the coordinator reads the rest itself: the same result, in the time one
//! worker takes.

use js_sys::{
    Array, Float64Array, Int32Array, Object, Reflect, Uint16Array, Uint32Array, Uint8Array,
};
use loyalty_analytics::dataset::{OptionalColumn, Transactions};
use loyalty_analytics::ingest::{
    read_slice_streamed, slice_start, IdNames, ReadOptions, SliceRead, SliceTally,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::file_chunks::FileChunks;
use crate::helper;

/// The key a slice job's messages carry, with its number.
pub const JOB_KEY: &str = "slice_job";

/// Smallest file read in two halves, in MB, unless the worker's name says
/// otherwise (`slice_mb=N`). The helper's half costs a fixed 40 ms or so at
/// 1M rows (its head, the join) and, until the helper is replaced, memory;
/// on the 2-core VM of bench/results/2026-12-06-77df35d-slices.md two
/// workers copy and parse a 5M-row file (119 MB) in 1.03 s where one takes
/// 1.16 s, but a 1M-row file (23 MB) gained about 20 ms.
const SLICED_FROM_MB: f64 = 48.0;

/// Bytes the helper reads from the file's start for the table: the sample
/// of 200 records and the header search fit in it many times over.
const HEAD_BYTES: f64 = 1024.0 * 1024.0;

/// The share of the file's bytes the helper takes, from its end. Less than
/// half: the helper also reads the file's head, and its rows reach the
/// coordinator only after they are moved across; with halves the
/// coordinator waited for them 50-190 ms at 5M rows and 330 ms at 20M,
/// about a tenth of its own half's time.
const HELPER_SHARE: f64 = 0.47;

/// Bytes looked at past the cut for a line feed (and at the file's
/// start, to see whether it can be sliced at all).
const PROBE_BYTES: f64 = 64.0 * 1024.0;

/// The second slice of a file, read by the helper.
pub struct LaterSlice {
    job: u32,
    file: web_sys::File,
    /// Where the slice starts, in bytes.
    pub start: f64,
}

/// Bytes read from the file at a time: the browser hands each read over as
/// a new buffer, so reading in slices keeps that garbage small.
const CHUNK_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// Gives up a buffer whose bytes are copied into wasm memory. A resizable
/// one (the helper's columns, [`resizable_buffer`]) shrunk to nothing frees
/// its memory at once. Any other is detached, and its memory waits for the
/// next garbage collection: measured in Chromium 156, a transfer to zero
/// bytes frees nothing until then, and none comes while the analysis runs
/// (the helper's columns were 38 MiB of a 5M-row run's peak).
pub fn free_now(buffer: &js_sys::ArrayBuffer) {
    if buffer.resizable() && buffer.resize(0).is_ok() {
        return;
    }
    let _ = buffer.transfer_with_length(0);
}

/// A buffer of `bytes` that [`free_now`] can free at once once its
/// receiver has copied it (resizable, to at most its length).
fn resizable_buffer(bytes: usize) -> js_sys::ArrayBuffer {
    js_sys::ArrayBuffer::new_with_options(bytes, &js_sys::ArrayBufferOptions::new(bytes))
}

/// Reads `file`'s bytes from `from` to `to` into wasm memory, a slice at a
/// time.
pub fn read_bytes(file: &web_sys::File, from: f64, to: f64) -> Result<Vec<u8>, String> {
    let describe = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let reader = web_sys::FileReaderSync::new().map_err(describe)?;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact((to - from).max(0.0) as usize)
        .map_err(|e| e.to_string())?;
    let mut at = from;
    while at < to {
        let end = (at + CHUNK_BYTES).min(to);
        let blob = file.slice_with_f64_and_f64(at, end).map_err(describe)?;
        let buffer = reader.read_as_array_buffer(&blob).map_err(describe)?;
        let chunk = Uint8Array::new(&buffer);
        let filled = bytes.len();
        bytes.resize(filled + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[filled..]);
        free_now(&buffer);
        at = end;
    }
    Ok(bytes)
}

/// Whether the file's start looks like UTF-8 text without quotes, neither
/// gzip nor a workbook: what can be read in slices, or as it arrives (the
/// core checks every byte again and refuses anything else).
fn plain_head(file: &web_sys::File) -> bool {
    let Ok(head) = read_bytes(file, 0.0, PROBE_BYTES.min(file.size())) else {
        return false;
    };
    let text = match std::str::from_utf8(&head) {
        Ok(text) => text,
        // Cut within a character at the probe's end.
        Err(e) if e.error_len().is_none() => match std::str::from_utf8(&head[..e.valid_up_to()]) {
            Ok(text) => text,
            Err(_) => return false,
        },
        Err(_) => return false,
    };
    !(text.contains('"') || head.starts_with(&[0x1f, 0x8b]) || head.starts_with(b"PK"))
}

/// Whether this worker reads its bytes of `file` (up to `end`) as they
/// arrive, each slice parsed while the next is copied: more than one slice
/// of plain text (see [`plain_head`]) in no chosen encoding. `#stream=0`
/// in the page's address turns it off.
pub fn streams(file: &web_sys::File, end: f64, options: Option<&ReadOptions>) -> bool {
    end > crate::file_chunks::CHUNK_BYTES
        && options.is_none_or(|o| o.encoding.is_none())
        && helper::name_setting("stream") != Some(0.0)
        && plain_head(file)
}

/// Offers the helper `file`'s end ([`HELPER_SHARE`]) when the file is large, the
/// helper ready, and the file's start looks like UTF-8 text without quotes
/// (what the helper could read apart; it checks again, and the join checks
/// everything). `None`: the coordinator reads the file whole.
pub fn offer(file: &web_sys::File, options: &ReadOptions) -> Option<LaterSlice> {
    let size = file.size();
    let smallest = helper::name_setting("slice_mb").unwrap_or(SLICED_FROM_MB) * 1024.0 * 1024.0;
    if size < smallest || options.encoding.is_some() || !helper::ready() || !plain_head(file) {
        return None;
    }
    let cut = (size * (1.0 - HELPER_SHARE)).floor();
    let probe = read_bytes(file, cut, (cut + PROBE_BYTES).min(size)).ok()?;
    let start = cut + slice_start(&probe, 0)? as f64;
    let message = Object::new();
    Reflect::set(&message, &"file".into(), file).ok()?;
    Reflect::set(&message, &"start".into(), &JsValue::from(start)).ok()?;
    let options = serde_json::to_string(options).ok()?;
    Reflect::set(&message, &"options".into(), &JsValue::from_str(&options)).ok()?;
    let job = helper::post_job(JOB_KEY, &message, &Array::new())?;
    Some(LaterSlice {
        job,
        file: file.clone(),
        start,
    })
}

impl LaterSlice {
    /// The helper's slice, with how long it took the helper to read it
    /// from the file and to parse it [ms]: `None` when it refused it, died,
    /// or took longer than a generous 10 s plus 50 ms per MB of the slice.
    /// The helper is then replaced by a new one: its wasm memory, grown by
    /// the slice's bytes and columns, would otherwise stay that size (a
    /// wasm memory never shrinks) beside this worker's for the analysis.
    pub async fn read(&self) -> Option<(SliceRead, [f64; 2])> {
        let megabytes = (self.file.size() - self.start) / 1e6;
        let timeout = 10_000.0 + 50.0 * megabytes;
        let answer = helper::wait_for(self.job, timeout.min(i32::MAX as f64) as i32).await;
        helper::spawn_cold();
        let answer = answer?;
        let time = |key: &str| {
            Reflect::get(&answer, &key.into())
                .ok()
                .and_then(|t| t.as_f64())
                .unwrap_or(f64::NAN)
        };
        let times = [time("read_ms"), time("parse_ms")];
        Some((from_message(&answer)?, times))
    }

    /// The slice's length in bytes.
    pub fn bytes_len(&self) -> usize {
        (self.file.size() - self.start) as usize
    }

    /// The slice's bytes, read here when the helper's slice cannot be used.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        read_bytes(&self.file, self.start, self.file.size())
    }
}

/// The helper's side: when `data` is a slice job, reads the slice and
/// answers (with no rows when it cannot be read apart), and says so. The
/// slice is parsed as it arrives, 8 MB at a time ([`FileChunks`]); its
/// `read_ms` is the time spent waiting for the browser's reads.
pub fn read_if_job(data: &JsValue) -> bool {
    let Some(job) = Reflect::get(data, &JOB_KEY.into())
        .ok()
        .and_then(|j| j.as_f64())
    else {
        return false;
    };
    let data = data.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let started = crate::analysis::now_ms();
        let waited = std::cell::Cell::new(0.0);
        let slice = read_job(&data, &waited).await;
        let parsed = crate::analysis::now_ms();
        answer_job(job, slice, waited.get(), parsed - started - waited.get());
    });
    true
}

/// A slice job's slice, read as it arrives; the time spent waiting for the
/// browser's reads is added to `waited`.
async fn read_job(data: &JsValue, waited: &std::cell::Cell<f64>) -> Option<SliceRead> {
    let get = |key: &str| Reflect::get(data, &key.into()).ok();
    let file: web_sys::File = get("file")?.dyn_into().ok()?;
    let start = get("start")?.as_f64()?;
    let options: ReadOptions = serde_json::from_str(&get("options")?.as_string()?).ok()?;
    let mut head = read_bytes(&file, 0.0, HEAD_BYTES.min(start)).ok()?;
    // The head up to its last line feed: whole records only.
    head.truncate(head.iter().rposition(|&b| b == b'\n')? + 1);
    let mut chunks = FileChunks::new(&file, start, file.size());
    let slice_bytes = chunks.bytes_len();
    let next = async || {
        let asked = crate::analysis::now_ms();
        let bytes = chunks.next_bytes().await;
        waited.set(waited.get() + crate::analysis::now_ms() - asked);
        bytes
    };
    read_slice_streamed(&file.name(), &head, next, slice_bytes, &options).await
}

/// Posts a slice job's answer: the slice (none when it could not be read
/// apart) with the helper's times.
fn answer_job(job: f64, slice: Option<SliceRead>, read_ms: f64, parse_ms: f64) {
    let (message, transfer) = to_message(slice);
    let _ = Reflect::set(&message, &JOB_KEY.into(), &JsValue::from(job));
    let _ = Reflect::set(&message, &"read_ms".into(), &JsValue::from(read_ms));
    let _ = Reflect::set(&message, &"parse_ms".into(), &JsValue::from(parse_ms));
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message_with_transfer(&message, &transfer);
}

/// A slice as a message: the columns and names as typed arrays over
/// resizable buffers, transferred (the receiver frees each at once when
/// copied, [`free_now`]), the rest as JSON text. Without a slice, an
/// empty message (the job's number is added by the caller).
fn to_message(slice: Option<SliceRead>) -> (Object, Array) {
    let message = Object::new();
    let transfer = Array::new();
    let Some(slice) = slice else {
        return (message, transfer);
    };
    let put = |key: &str, value: JsValue, buffer: Option<JsValue>| {
        let _ = Reflect::set(&message, &key.into(), &value);
        if let Some(buffer) = buffer {
            transfer.push(&buffer);
        }
    };
    let SliceRead {
        table,
        lines,
        transactions,
        customers,
        orders,
        mut tally,
    } = slice;
    macro_rules! typed {
        ($key:expr, $array:ty, $values:expr) => {{
            let values = &$values[..];
            let buffer = resizable_buffer(std::mem::size_of_val(values));
            let array = <$array>::new(&buffer);
            array.copy_from(values);
            put($key, array.into(), Some(buffer.into()));
        }};
    }
    typed!("customer", Uint32Array, transactions.customer);
    typed!("day", Int32Array, transactions.day);
    typed!("amount", Float64Array, transactions.amount.into_raw());
    typed!("order", Uint32Array, transactions.order.into_raw());
    typed!("customers_text", Uint8Array, customers.text.as_bytes());
    typed!("customers_ends", Uint32Array, customers.ends);
    typed!("orders_text", Uint8Array, orders.text.as_bytes());
    typed!("orders_ends", Uint32Array, orders.ends);
    typed!("seen", Uint32Array, std::mem::take(&mut tally.seen));
    typed!(
        "returns_value",
        Float64Array,
        std::mem::take(&mut tally.returns_value)
    );
    for (k, segment) in tally.segments.iter_mut().enumerate() {
        typed!(
            &format!("segment_{k}"),
            Uint16Array,
            std::mem::take(&mut segment.rows)
        );
    }
    put("table", JsValue::from_str(&table), None);
    put("lines", JsValue::from(lines as f64), None);
    let tally = serde_json::to_string(&tally).unwrap_or_default();
    put("tally", JsValue::from_str(&tally), None);
    (message, transfer)
}

/// [`to_message`]'s slice back; `None` for a refusal or anything missing.
fn from_message(message: &JsValue) -> Option<SliceRead> {
    let get = |key: &str| Reflect::get(message, &key.into()).ok();
    // Each column is copied into wasm memory and its buffer freed at once
    // ([`free_now`]): left to the collector, the helper's columns (16 bytes
    // a row, 38 MiB at 5M rows) stayed held to the end of the analysis.
    macro_rules! column {
        ($key:expr, $array:ty) => {{
            let array = get(&$key)?.dyn_into::<$array>().ok()?;
            let values = array.to_vec();
            free_now(&array.buffer());
            values
        }};
    }
    let table = get("table")?.as_string()?;
    let u32s = |key: &str| Some(column!(key, Uint32Array));
    let names = |key: &str| -> Option<IdNames> {
        let text = column!(format!("{key}_text"), Uint8Array);
        Some(IdNames {
            text: String::from_utf8(text).ok()?,
            ends: u32s(&format!("{key}_ends"))?,
        })
    };
    let mut tally: SliceTally = serde_json::from_str(&get("tally")?.as_string()?).ok()?;
    tally.seen = u32s("seen")?;
    tally.returns_value = column!("returns_value", Float64Array);
    for (k, segment) in tally.segments.iter_mut().enumerate() {
        segment.rows = column!(format!("segment_{k}"), Uint16Array);
    }
    let customer = u32s("customer")?;
    let rows = customer.len();
    Some(SliceRead {
        table,
        lines: get("lines")?.as_f64()? as u64,
        transactions: Transactions {
            customer,
            day: column!("day", Int32Array),
            amount: OptionalColumn::from_raw(column!("amount", Float64Array), rows)?,
            order: OptionalColumn::from_raw(u32s("order")?, rows)?,
        },
        customers: names("customers")?,
        orders: names("orders")?,
        tally,
    })
}
