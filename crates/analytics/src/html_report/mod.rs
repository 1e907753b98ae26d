//! The standalone HTML report: one self-contained document with the headline
//! figures, the key tables and the charts as inline SVG, to send to
//! colleagues.
//!
//! - Only what the [`Report`] holds: aggregates, never raw rows (no file
//!   previews, no rejected-row examples, no verbatim comments, no churn call
//!   list). Customer ids appear only in the top-customers table.
//! - No script, no external resource (no font, stylesheet or image is
//!   fetched), inline CSS only, and a Content-Security-Policy that forbids
//!   everything but inline styles, so even a mistake in escaping could not
//!   run code or call home.
//! - Every text that comes from the data (file, column and segment names,
//!   reasons, customer ids, comment words) goes through [`escape`]. Chart
//!   labels go through plotters' SVG backend, which escapes `< > & " '` in
//!   text and attribute values itself.
//! - Charts are drawn by the same [`crate::chart`] functions the page draws on
//!   its canvas, on plotters' [`SVGBackend`](plotters::prelude::SVGBackend).
//! - Pure: no clock, no file system; the same report gives the same bytes.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use crate::display;
use crate::report::Report;

/// Writing to a `String` cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

mod churn;
mod clv;
mod doc;
mod overview;
mod programme;
mod quality;
mod retention;
mod surveys;
mod words;

use doc::{Doc, Fmt};
use words::T;

/// The language of the headings, labels and number formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// The `<html lang>` code: "en" or "ru".
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The number style, and the language of the chart words the report
    /// does not name itself (see [`crate::chart`]).
    pub fn locale(self) -> display::Locale {
        match self {
            Lang::En => display::Locale::En,
            Lang::Ru => display::Locale::Ru,
        }
    }

    /// "ru", "ru-RU", ... give Russian; anything else English.
    pub fn from_code(code: &str) -> Lang {
        if code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ru")) {
            Lang::Ru
        } else {
            Lang::En
        }
    }
}

/// Text made safe for HTML element content and quoted attribute values:
/// `& < > " '` become character references, so data cannot open a tag,
/// close an attribute or start an entity.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

/// `{}` of this writes the text escaped.
struct E<'a>(&'a str);

impl fmt::Display for E<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(self.0))
    }
}

/// The report as one self-contained HTML document (see the module docs).
pub fn standalone_html(report: &Report, lang: Lang) -> String {
    let mut doc = Doc {
        out: String::with_capacity(256 * 1024),
        lang,
        f: Fmt(lang),
    };
    doc.head(report);
    doc.headline(report);
    doc.activity(report);
    doc.retention(report);
    doc.patterns(report);
    doc.surveys(report);
    doc.clv(report);
    doc.churn(report);
    doc.programme(report);
    doc.quality(report);
    let out = &mut doc.out;
    w!(
        out,
        "</main>\n<footer><p>{}</p></footer>\n</body>\n</html>\n",
        E(T::Footer.text(lang))
    );
    doc.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(Lang::from_code("ru-RU"), Lang::Ru);
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code(""), Lang::En);
    }
}
