//! "Keep my files on this computer" (opt-in): the loaded set, each file's
//! bytes, name and reading options, in the browser's Origin Private File
//! System, so a reload or a later visit opens where the user left off.
//! Nothing is sent anywhere; the choice itself is in local storage.
//!
//! Layout: one directory, `loyalty-lens-kept`, holding `0`, `1`, ... (the
//! files' bytes, in the set's order) and `index.json` (their names and
//! options), written last: a set without its index is no set.

use std::cell::{Cell, RefCell};

use js_sys::{Array, Reflect};
use loyalty_analytics::ingest::ReadOptions;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetDirectoryOptions,
    FileSystemGetFileOptions, FileSystemRemoveOptions, FileSystemWritableFileStream,
};

/// The local-storage key of the choice ("1": keep).
pub const KEEP_KEY: &str = "loyalty-lens.keep-files";
const DIR: &str = "loyalty-lens-kept";
const INDEX: &str = "index.json";

#[derive(Serialize, Deserialize)]
struct Entry {
    name: String,
    options: ReadOptions,
}

/// The browser has a private file system this page can write files into
/// (`navigator.storage.getDirectory` and `createWritable`).
pub fn available() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let has = |obj: &JsValue, key: &str| {
        Reflect::get(obj, &JsValue::from_str(key)).is_ok_and(|v| !v.is_undefined() && !v.is_null())
    };
    let storage = Reflect::get(&w.navigator(), &JsValue::from_str("storage")).unwrap_or_default();
    if !has(&storage, "getDirectory") {
        return false;
    }
    let handle = Reflect::get(&w, &JsValue::from_str("FileSystemFileHandle")).unwrap_or_default();
    let proto = Reflect::get(&handle, &JsValue::from_str("prototype")).unwrap_or_default();
    has(&proto, "createWritable")
}

fn message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

async fn wait<T: JsCast>(promise: js_sys::Promise) -> Result<T, String> {
    JsFuture::from(promise)
        .await
        .map_err(message)?
        .dyn_into::<T>()
        .map_err(|_| "unexpected answer from the browser".to_string())
}

async fn root() -> Result<FileSystemDirectoryHandle, String> {
    let w = web_sys::window().ok_or("no window")?;
    wait(w.navigator().storage().get_directory()).await
}

async fn dir(create: bool) -> Result<FileSystemDirectoryHandle, String> {
    let options = FileSystemGetDirectoryOptions::new();
    options.set_create(create);
    wait(
        root()
            .await?
            .get_directory_handle_with_options(DIR, &options),
    )
    .await
}

async fn write(
    dir: &FileSystemDirectoryHandle,
    name: &str,
    data: &web_sys::Blob,
) -> Result<(), String> {
    let options = FileSystemGetFileOptions::new();
    options.set_create(true);
    let handle: FileSystemFileHandle =
        wait(dir.get_file_handle_with_options(name, &options)).await?;
    let stream: FileSystemWritableFileStream = wait(handle.create_writable()).await?;
    JsFuture::from(stream.write_with_blob(data).map_err(message)?)
        .await
        .map_err(message)?;
    JsFuture::from(stream.close()).await.map_err(message)?;
    Ok(())
}

async fn read(dir: &FileSystemDirectoryHandle, name: &str) -> Result<File, String> {
    let handle: FileSystemFileHandle = wait(dir.get_file_handle(name)).await?;
    wait(handle.get_file()).await
}

/// Deletes the kept copies (none: no error).
async fn remove_all() -> Result<(), String> {
    let options = FileSystemRemoveOptions::new();
    options.set_recursive(true);
    match JsFuture::from(root().await?.remove_entry_with_options(DIR, &options)).await {
        Ok(_) => Ok(()),
        Err(e)
            if Reflect::get(&e, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string())
                .as_deref()
                == Some("NotFoundError") =>
        {
            Ok(())
        }
        Err(e) => Err(message(e)),
    }
}

async fn save(files: &[File], options: &[ReadOptions]) -> Result<(), String> {
    remove_all().await?;
    if files.is_empty() {
        return Ok(());
    }
    let dir = dir(true).await?;
    let mut index = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        write(&dir, &i.to_string(), file).await?;
        index.push(Entry {
            name: file.name(),
            options: options.get(i).cloned().unwrap_or_default(),
        });
    }
    let json = serde_json::to_string(&index).map_err(|e| e.to_string())?;
    let blob = web_sys::Blob::new_with_str_sequence(&Array::of1(&JsValue::from_str(&json)))
        .map_err(message)?;
    write(&dir, INDEX, &blob).await
}

/// The kept set, read back as files held in memory (not tied to the stored
/// copies, which the next save replaces); empty when nothing is kept.
pub async fn load() -> Result<(Vec<File>, Vec<ReadOptions>), String> {
    let dir = match dir(false).await {
        Ok(dir) => dir,
        Err(_) => return Ok(Default::default()),
    };
    let Ok(index) = read(&dir, INDEX).await else {
        return Ok(Default::default());
    };
    let text = JsFuture::from(index.text()).await.map_err(message)?;
    let entries: Vec<Entry> =
        serde_json::from_str(&text.as_string().unwrap_or_default()).map_err(|e| e.to_string())?;
    let (mut files, mut options) = (Vec::new(), Vec::new());
    for (i, entry) in entries.into_iter().enumerate() {
        let stored = read(&dir, &i.to_string()).await?;
        let bytes = JsFuture::from(stored.array_buffer())
            .await
            .map_err(message)?;
        files.push(
            File::new_with_buffer_source_sequence(&Array::of1(&bytes), &entry.name)
                .map_err(message)?,
        );
        options.push(entry.options);
    }
    Ok((files, options))
}

thread_local! {
    /// The set to save next (`None`: nothing waiting), and whether a save is
    /// under way: saves run one at a time, the last asked for wins.
    static PENDING: RefCell<Option<(Vec<File>, Vec<ReadOptions>)>> = const { RefCell::new(None) };
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Saves `files` (an empty set deletes the kept copies), after any save
/// under way; `on_done` gets each save's outcome.
pub fn sync(
    files: Vec<File>,
    options: Vec<ReadOptions>,
    on_done: impl Fn(Result<(), String>) + 'static,
) {
    PENDING.with(|p| *p.borrow_mut() = Some((files, options)));
    if BUSY.with(|b| b.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        while let Some((files, options)) = PENDING.with(|p| p.borrow_mut().take()) {
            on_done(save(&files, &options).await);
        }
        BUSY.with(|b| b.set(false));
    });
}
