//! A file's bytes into wasm memory, 8 MB at a time after a ramp from 1 MB
//! (so the parse starts early), with two reads in flight
//! (`Blob.arrayBuffer()`): while one slice is copied (or read by the core)
//! the browser reads the next. Whole ([`copy_whole`]) or as they
//! arrive ([`FileChunks`], which the core reads a piece at a time while the
//! next is on its way: `Dataset::add_streamed_file`).

use std::collections::VecDeque;

use js_sys::Uint8Array;
use loyalty_analytics::ingest::{ArrivingFile, FileContent};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::slicing;

/// Slice size for copying a file into wasm memory.
pub const CHUNK_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// The first slice asked for. In Chromium a disk-backed file's first 1 MB
/// arrives in about 3 ms and its first 8 MB in about 20, which the parse
/// waited for; each later slice is as large as all before it together, up
/// to [`CHUNK_BYTES`] (1, 1, 2, 4, 8, 8, … MB), so the reads keep ahead of
/// the parse.
const FIRST_CHUNK_BYTES: f64 = 1024.0 * 1024.0;

/// The size of the slice after `asked` bytes.
fn chunk_after(asked: f64) -> f64 {
    asked.clamp(FIRST_CHUNK_BYTES, CHUNK_BYTES)
}

/// Slices asked of the browser at once: while one is copied into wasm
/// memory the next is being read. Against one `FileReaderSync` read after
/// another, two took the copy of a 23 MB file from 109 to 98 ms and of a
/// 119 MB file from 307 to 263 ms (paired medians); four were no faster.
/// Two hold at most 16 MB in JS memory beside the copy.
const READS_IN_FLIGHT: usize = 2;

/// A file's bytes from `from` to `end`, slice after slice.
pub struct FileChunks {
    file: web_sys::File,
    from: f64,
    asked: f64,
    end: f64,
    /// Reads asked for, in order, with where each ends.
    in_flight: VecDeque<(JsFuture, f64)>,
    /// Why the browser could not read a slice, once it could not.
    pub error: Option<String>,
}

fn describe(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

impl FileChunks {
    pub fn new(file: &web_sys::File, from: f64, end: f64) -> Self {
        FileChunks {
            file: file.clone(),
            from,
            asked: from,
            end,
            in_flight: VecDeque::with_capacity(READS_IN_FLIGHT),
            error: None,
        }
    }

    pub fn file(&self) -> &web_sys::File {
        &self.file
    }

    /// Bytes from `from` to `end`.
    pub fn bytes_len(&self) -> usize {
        (self.end - self.from).max(0.0) as usize
    }

    /// The next slice as the browser hands it over, with where it ends;
    /// `None` at the end, or when it could not be read ([`Self::error`]).
    async fn next_buffer(&mut self) -> Option<(js_sys::ArrayBuffer, f64)> {
        if self.error.is_some() {
            return None;
        }
        while self.in_flight.len() < READS_IN_FLIGHT && self.asked < self.end {
            let end = (self.asked + chunk_after(self.asked - self.from)).min(self.end);
            match self.file.slice_with_f64_and_f64(self.asked, end) {
                Ok(slice) => self
                    .in_flight
                    .push_back((JsFuture::from(slice.array_buffer()), end)),
                Err(e) => {
                    self.error = Some(describe(e));
                    return None;
                }
            }
            self.asked = end;
        }
        let (read, end) = self.in_flight.pop_front()?;
        match read.await {
            Ok(buffer) => Some((buffer.unchecked_into(), end)),
            Err(e) => {
                self.error = Some(describe(e));
                None
            }
        }
    }

    /// The next slice's bytes, copied into wasm memory (the browser's
    /// buffer given up at once, [`slicing::free_now`]).
    pub async fn next_bytes(&mut self) -> Option<Vec<u8>> {
        let (buffer, _) = self.next_buffer().await?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        slicing::free_now(&buffer);
        Some(bytes)
    }
}

/// The file's bytes from `chunks` into wasm memory: kept as bytes, or, for
/// legacy 8-bit text, decoded as they arrive so the raw bytes are never
/// whole beside their text (`ArrivingFile`); `progress` gets the end of
/// each slice copied.
pub async fn copy_whole(
    mut chunks: FileChunks,
    decode_on_arrival: bool,
    mut progress: impl FnMut(f64),
) -> Result<FileContent, String> {
    let mut arriving = ArrivingFile::new(chunks.bytes_len(), decode_on_arrival);
    arriving.try_reserve().map_err(|e| e.to_string())?;
    while let Some((buffer, end)) = chunks.next_buffer().await {
        let chunk = Uint8Array::new(&buffer);
        arriving.push_from(chunk.length() as usize, |place| chunk.copy_to(place));
        slicing::free_now(&buffer);
        progress(end);
    }
    match chunks.error {
        Some(e) => Err(e),
        None => Ok(arriving.finish()),
    }
}
