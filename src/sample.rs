//! "Load sample data": the synthetic shop's three files (assets/sample,
//! copied into the site by Trunk) fetched from the page's own folder and
//! analysed like dropped files. Kept out of the wasm so the app stays small;
//! the only request is for these files, to the same origin, on the click.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub const SAMPLE_FILES: [&str; 3] = ["orders.csv", "survey.csv", "churned.csv"];

/// A sample file that could not be fetched, and the browser's reason.
pub struct SampleMissing {
    pub file: &'static str,
    pub detail: String,
}

/// The sample files as `File`s, or which could not be read.
pub async fn sample_files() -> Result<Vec<web_sys::File>, SampleMissing> {
    let mut files = Vec::new();
    for name in SAMPLE_FILES {
        let failed = |e: wasm_bindgen::JsValue| SampleMissing {
            file: name,
            detail: format!("{e:?}"),
        };
        let window = web_sys::window().ok_or_else(|| SampleMissing {
            file: name,
            detail: "no window".into(),
        })?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str(&format!("./sample/{name}")))
                .await
                .map_err(failed)?
                .dyn_into()
                .map_err(failed)?;
        if !response.ok() {
            return Err(SampleMissing {
                file: name,
                detail: format!("HTTP {}", response.status()),
            });
        }
        let blob = JsFuture::from(response.blob().map_err(failed)?)
            .await
            .map_err(failed)?;
        let file = web_sys::File::new_with_blob_sequence(&js_sys::Array::of1(&blob), name)
            .map_err(failed)?;
        files.push(file);
    }
    Ok(files)
}
