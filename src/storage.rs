//! The browser's local storage for the user's choices (language, settings);
//! never the data itself. Unavailable storage (private mode) is no error.

/// The key of the language choice.
pub const LANG_KEY: &str = "loyalty-lens.lang";
/// The key of the analysis settings (period, churn window, rules...).
pub const SETTINGS_KEY: &str = "loyalty-lens.settings";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn stored(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

pub fn store(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}
