//! The document builder: number formats, table cells, the page head, sections,
//! tables and inline SVG charts.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};

use crate::chart::ChartError;
use crate::display;
use crate::metrics::retention::Period;
use crate::report::Report;

use super::words::T;
use super::{Lang, E};

/// Numbers and dates in the language's style: "1,234.5" / "1 234,5".
#[derive(Debug, Clone, Copy)]
pub(super) struct Fmt(pub(super) Lang);

impl Fmt {
    pub(super) fn localise(self, text: String) -> String {
        match self.0 {
            Lang::En => text,
            Lang::Ru => text
                .chars()
                .map(|c| match c {
                    ',' => '\u{a0}',
                    '.' => ',',
                    other => other,
                })
                .collect(),
        }
    }
    pub(super) fn num(self, value: f64, decimals: usize) -> String {
        self.localise(display::grouped(value, decimals))
    }
    pub(super) fn count(self, value: f64) -> String {
        self.num(value, 0)
    }
    pub(super) fn money(self, value: f64) -> String {
        self.localise(display::money(value))
    }
    pub(super) fn pct(self, share: f64) -> String {
        format!("{}%", self.num(share * 100.0, 1))
    }
    /// A heat-map cell in percent without the sign: whole numbers, one
    /// decimal under 10.
    pub(super) fn pct_short(self, share: f64) -> String {
        let decimals = if share * 100.0 < 9.95 { 1 } else { 0 };
        self.num(share * 100.0, decimals)
    }
    pub(super) fn opt_pct(self, share: Option<f64>) -> String {
        share.map_or_else(|| "–".into(), |s| self.pct(s))
    }
    pub(super) fn opt_money(self, value: Option<f64>) -> String {
        value.map_or_else(|| "–".into(), |v| self.money(v))
    }
    pub(super) fn points(self, value: f64) -> String {
        self.num(value, 1)
    }
    pub(super) fn signed(self, value: f64) -> String {
        let text = self.num(value, 1);
        if value > 0.0 && text.bytes().any(|b| matches!(b, b'1'..=b'9')) {
            format!("+{text}")
        } else {
            text
        }
    }
    pub(super) fn p_value(self, p: f64) -> String {
        if p < 0.001 {
            format!("< {}", self.num(0.001, 3))
        } else {
            self.num(p, 3)
        }
    }
    pub(super) fn date(self, d: NaiveDate) -> String {
        match self.0 {
            Lang::En => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Lang::Ru => format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year()),
        }
    }
}

/// A table cell: text (escaped when written) or a number (right-aligned).
pub(super) enum Cell {
    Text(String),
    Num(String),
}

pub(super) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub(super) fn num(s: impl Into<String>) -> Cell {
    Cell::Num(s.into())
}

/// Chart size in SVG user units; the CSS scales it to the page width.
pub(super) const CHART: (u32, u32) = (800, 400);
/// Rows of long tables (reasons, top customers) shown at most.
pub(super) const MAX_ROWS: usize = 50;
/// Segment columns shown at most per breakdown.
pub(super) const MAX_COLUMNS: usize = 8;
/// Labels shown at most per segment column.
pub(super) const MAX_LABELS: usize = 12;
/// Bars of the reasons Pareto chart (the table lists more).
pub(super) const PARETO_BARS: usize = 12;
/// Offsets of the cohort table shown at most (months 0..=24).
pub(super) const MAX_OFFSETS: usize = 25;

const CSS: &str = "\
:root{color-scheme:light}\
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}\
body{margin:0 auto;max-width:1100px;padding:24px;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1d1d1f;background:#fff}\
header{border-bottom:3px solid #0072b2;margin-bottom:16px}\
h1{font-size:26px;margin:0 0 4px}\
h2{font-size:20px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #ddd;break-after:avoid}\
h3{font-size:15px;margin:18px 0 6px;color:#444;break-after:avoid}\
.meta{margin:2px 0;color:#555}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}\
.card{border:1px solid #ddd;border-radius:6px;padding:8px 10px;break-inside:avoid}\
.card .label{font-size:12px;color:#555}\
.card .value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}\
.card .sub{font-size:11px;color:#666}\
figure{margin:12px 0;break-inside:avoid}\
figure svg{display:block;width:100%;max-width:800px;height:auto}\
figcaption{font-size:13px;color:#444;margin-top:2px}\
.scroll{overflow-x:auto}\
table{border-collapse:collapse;margin:8px 0 14px;font-size:12px;break-inside:auto}\
caption{text-align:left;font-weight:600;padding:4px 0;color:#333}\
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}\
th{background:#f3f3f3}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
tr{break-inside:avoid}\
table.heat td{text-align:right;padding:2px 4px;min-width:34px}\
table.heat td.k0{background:#e8e8e8}\
table.heat td.na{background:#fff}\
table.heat tr.avg td{font-weight:600;border-top:2px solid #999}\
.h0{background:#f4f9fc}.h1{background:#e0eef7}.h2{background:#c9e1f0}.h3{background:#b0d3e9}\
.h4{background:#94c3e0}.h5{background:#77b2d6}.h6{background:#589fcb}.h7{background:#3a8dc0}\
.h8{background:#1f7eb7;color:#fff}.h9{background:#0a72b0;color:#fff}.h10{background:#005a8c;color:#fff}\
.note{font-size:12px;color:#555}\
footer{margin-top:32px;padding-top:8px;border-top:1px solid #ddd;font-size:12px;color:#555}\
@page{margin:14mm}\
@media print{body{padding:0;max-width:none;font-size:10pt}.scroll{overflow:visible}section{break-inside:auto}\
table{font-size:8pt}table.heat{font-size:6.5pt}table.heat td,table.heat th{min-width:0;padding:1px 2px}}";

pub(super) struct Doc {
    pub(super) out: String,
    pub(super) lang: Lang,
    pub(super) f: Fmt,
}

impl Doc {
    pub(super) fn t(&self, key: T) -> &'static str {
        key.text(self.lang)
    }

    /// The date range of the data: transactions first, else the date filter,
    /// else the survey trend's first and last periods.
    pub(super) fn date_range(&self, report: &Report) -> Option<String> {
        let f = self.f;
        let from_dates = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
            (Some(a), Some(b)) => Some(format!("{} – {}", f.date(a), f.date(b))),
            (Some(a), None) => Some(format!("{} –", f.date(a))),
            (None, Some(b)) => Some(format!("– {}", f.date(b))),
            (None, None) => None,
        };
        from_dates(report.first_date, report.last_date)
            .or_else(|| from_dates(report.settings.date_from, report.settings.date_to))
            .or_else(|| {
                let trend = &report.surveys.as_ref()?.nps_trend;
                let (first, last) = (trend.first()?, trend.last()?);
                Some(if first.label == last.label {
                    first.label.clone()
                } else {
                    format!("{} – {}", first.label, last.label)
                })
            })
    }

    pub(super) fn head(&mut self, report: &Report) {
        let lang = self.lang;
        let title = self.t(T::Title);
        let range = self.date_range(report);
        let files: Vec<&str> = report.files.iter().map(|f| f.file.as_str()).collect();
        let mut full_title = match &range {
            Some(r) => format!("{title}, {r}"),
            None => title.to_string(),
        };
        if !files.is_empty() {
            let shown = files.iter().take(3).copied().collect::<Vec<_>>().join(", ");
            let more = files.len().saturating_sub(3);
            if more > 0 {
                w!(full_title, " ({shown} +{more})");
            } else {
                w!(full_title, " ({shown})");
            }
        }
        let period = match report.settings.period {
            Period::Week => T::Week,
            Period::Month => T::Month,
            Period::Quarter => T::Quarter,
        };
        let mut settings = format!(
            "{}: {}; {}: {} {}",
            self.t(T::PeriodLabel),
            self.t(period),
            self.t(T::ChurnWindow),
            report.settings.churn_window_days,
            self.t(T::Days)
        );
        if report.settings.date_from.is_some() || report.settings.date_to.is_some() {
            let f = self.f;
            let side = |d: Option<NaiveDate>| d.map_or_else(|| "…".into(), |d| f.date(d));
            w!(
                settings,
                "; {}: {} – {}",
                self.t(T::DateFilter),
                side(report.settings.date_from),
                side(report.settings.date_to)
            );
        }
        let out = &mut self.out;
        w!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n\
             <meta name=\"generator\" content=\"Loyalty Lens\">\n\
             <title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
            lang.code(),
            E(&full_title),
            CSS,
            E(title)
        );
        if let Some(r) = &range {
            w!(
                out,
                "<p class=\"meta\" data-testid=\"date-range\">{}: {}</p>\n",
                E(T::DataFrom.text(lang)),
                E(r)
            );
        }
        if !files.is_empty() {
            w!(
                out,
                "<p class=\"meta\" data-testid=\"files\">{}: ",
                E(T::Files.text(lang))
            );
            for (i, name) in files.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                w!(out, "<span class=\"file\">{}</span>", E(name));
            }
            out.push_str("</p>\n");
        }
        w!(
            out,
            "<p class=\"meta\">{}</p>\n</header>\n<main>\n",
            E(&settings)
        );
    }

    pub(super) fn section(&mut self, id: &str, heading: T) {
        let heading = self.t(heading);
        w!(
            self.out,
            "<section data-section=\"{}\">\n<h2>{}</h2>\n",
            E(id),
            E(heading)
        );
    }

    pub(super) fn end_section(&mut self) {
        self.out.push_str("</section>\n");
    }

    pub(super) fn h3(&mut self, text: &str) {
        w!(self.out, "<h3>{}</h3>\n", E(text));
    }

    pub(super) fn note(&mut self, text: &str) {
        w!(self.out, "<p class=\"note\">{}</p>\n", E(text));
    }

    /// One chart drawn by a [`crate::chart`] function on the SVG backend,
    /// inlined as `<figure data-chart=id><svg>…</svg><figcaption>`.
    pub(super) fn chart<H>(
        &mut self,
        chart: crate::chart::ChartId,
        draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<H, ChartError>,
    ) {
        let (id, caption) = (chart.id(), chart.caption(self.f.0.locale()));
        let mut svg = String::new();
        let drawn = {
            let area = SVGBackend::with_string(&mut svg, CHART).into_drawing_area();
            draw(&area)
        };
        let body = match drawn {
            Ok(_) => inline_svg(&svg, CHART, caption),
            Err(_) => None,
        };
        match body {
            Some(body) => w!(
                self.out,
                "<figure data-chart=\"{}\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
                E(id),
                body,
                E(caption)
            ),
            None => {
                let failed = self.t(T::ChartFailed);
                w!(
                    self.out,
                    "<p class=\"note\" data-chart-failed=\"{}\">{}: {}</p>\n",
                    E(id),
                    E(caption),
                    E(failed)
                );
            }
        }
    }

    /// A table; every cell is escaped. `head` cells after the first are
    /// right-aligned when the first row's cell is a number.
    pub(super) fn table(&mut self, testid: &str, caption: &str, head: &[&str], rows: &[Vec<Cell>]) {
        let out = &mut self.out;
        w!(
            out,
            "<div class=\"scroll\"><table data-table=\"{}\">\n<caption>{}</caption>\n<thead><tr>",
            E(testid),
            E(caption)
        );
        for (i, h) in head.iter().enumerate() {
            let numeric = rows
                .first()
                .and_then(|r| r.get(i))
                .is_some_and(|c| matches!(c, Cell::Num(_)));
            let class = if numeric { " class=\"n\"" } else { "" };
            w!(out, "<th scope=\"col\"{class}>{}</th>", E(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            out.push_str("<tr>");
            for cell in row {
                match cell {
                    Cell::Text(s) => w!(out, "<td>{}</td>", E(s)),
                    Cell::Num(s) => w!(out, "<td class=\"n\">{}</td>", E(s)),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table></div>\n");
    }
}

/// Plotters' SVG document made fit to inline in HTML: the opening tag
/// (with its XML namespace URL, not needed inside HTML) is replaced by one
/// that scales with the page and carries the caption as its accessible name.
pub(super) fn inline_svg(svg: &str, (w, h): (u32, u32), label: &str) -> Option<String> {
    let rest = svg.strip_prefix("<svg")?;
    let body = &rest[rest.find('>')? + 1..];
    if !body.trim_end().ends_with("</svg>") {
        return None;
    }
    Some(format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">{body}",
        E(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Fmt(Lang::En).num(1234.5, 1), "1,234.5");
        assert_eq!(Fmt(Lang::Ru).num(1234.5, 1), "1\u{a0}234,5");
        assert_eq!(Fmt(Lang::Ru).pct(0.125), "12,5%");
        let d = NaiveDate::from_ymd_opt(2024, 3, 9).unwrap();
        assert_eq!(Fmt(Lang::En).date(d), "2024-03-09");
        assert_eq!(Fmt(Lang::Ru).date(d), "09.03.2024");
        assert_eq!(Fmt(Lang::En).signed(2.04), "+2.0");
        assert_eq!(Fmt(Lang::En).signed(-0.01), "0.0");
    }

    #[test]
    fn the_svg_opening_tag_loses_its_namespace_url() {
        let svg = "<svg width=\"800\" height=\"400\" viewBox=\"0 0 800 400\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>\n";
        let inlined = inline_svg(svg, (800, 400), "a \"b\" <c>").unwrap();
        assert!(!inlined.contains("http"));
        assert!(inlined.starts_with("<svg viewBox=\"0 0 800 400\""));
        assert!(inlined.contains("aria-label=\"a &quot;b&quot; &lt;c&gt;\""));
        assert!(inline_svg("<svg><rect/>", (1, 1), "").is_none());
    }
}
