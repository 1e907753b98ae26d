//! Saving a document the page made (the Report JSON) as a file.

use wasm_bindgen::JsCast;

/// Offers `contents` as a download named `file_name`.
pub fn save_text(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let blob = gloo_file::Blob::new_with_options(contents, Some(mime));
    let url = gloo_file::ObjectUrl::from(blob);
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .dyn_into()
        .map_err(|_| "cannot create a link")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoking the URL right after the click can cancel the download; keep
    // the latest one alive until the next download replaces (and revokes) it.
    LAST_URL.with(|last| last.replace(Some(url)));
    Ok(())
}

/// Offers a `data:` URL (a canvas as PNG) as a download named `file_name`.
pub fn save_data_url(file_name: &str, url: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .dyn_into()
        .map_err(|_| "cannot create a link")?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

thread_local! {
    static LAST_URL: std::cell::RefCell<Option<gloo_file::ObjectUrl>> = const { std::cell::RefCell::new(None) };
}
