//! The standalone HTML report: built from real files (the bundled sample
//! shop and CDNOW sample, and the shared data sets), checked for structure
//! (balanced tags by a small scanner written here, no new dependency), for
//! self-containment (no script, no URL, no external resource), for one
//! `<svg>` per chart the data allows, for the headline figures as formatted
//! text, and for HTML/JS payloads in names, reasons, ids and comments coming
//! out inert.

mod common;

use std::path::PathBuf;

use loyalty_analytics::chart::{draw_pareto, ChurnLabels};
use loyalty_analytics::display::{grouped, money, percent};
use loyalty_analytics::html_report::{escape, standalone_html, Lang};
use loyalty_analytics::metrics::churn_causes::ParetoBar;
use loyalty_analytics::metrics::churn_rules::ChurnCategory;
use loyalty_analytics::metrics::programme::Mark;
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::{build_report, build_report_with, Dataset, Report, Settings};
use plotters::prelude::*;

// ---------------------------------------------------------------- loading

fn asset(relative: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn dataset(files: &[(&str, Vec<u8>)]) -> Dataset {
    let mut ds = Dataset::default();
    for (name, bytes) in files {
        ds.add_file(name, bytes)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    ds
}

fn sample_shop() -> Dataset {
    dataset(&[
        ("orders.csv", asset("sample/orders.csv")),
        ("survey.csv", asset("sample/survey.csv")),
        ("churned.csv", asset("sample/churned.csv")),
    ])
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

// ---------------------------------------------------------------- scanner

/// One start tag: lower-case name and attributes (values unescaped as written).
#[derive(Debug, Clone)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

const VOID: [&str; 2] = ["meta", "br"];
const ALLOWED: [&str; 33] = [
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "section",
    "h1",
    "h2",
    "h3",
    "p",
    "span",
    "div",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    // Plotters' SVG elements.
    "svg",
    "rect",
    "circle",
    "line",
    "polyline",
    "polygon",
    "text",
    "br",
];
const ENTITIES: [&str; 6] = ["amp", "lt", "gt", "quot", "apos", "#39"];

/// Checks that every `&` starts one of the references the writers emit.
fn check_references(text: &str, at: usize) {
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let end = after.find(';').unwrap_or_else(|| {
            panic!("bare & near byte {at}: {:?}", &after[..after.len().min(40)])
        });
        let name = &after[..end];
        assert!(
            ENTITIES.contains(&name),
            "unexpected reference &{name}; near byte {at}"
        );
        rest = &after[end + 1..];
    }
}

/// A light HTML scanner for the subset the report writes: a doctype, start
/// tags with double-quoted attributes, end tags, `<meta>` as the only void
/// element, `/>` for SVG elements, `<style>` and `<title>` as raw text.
/// Panics on anything unbalanced or unexpected; returns every start tag.
fn scan(html: &str) -> Vec<Tag> {
    let doctype = "<!DOCTYPE html>";
    assert!(html.starts_with(doctype), "no doctype");
    let bytes = html.as_bytes();
    let mut i = doctype.len();
    let mut stack: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    let mut text_start = i;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            assert!(bytes[i] != b'>', "stray > at byte {i}");
            i += 1;
            continue;
        }
        check_references(&html[text_start..i], text_start);
        assert!(
            !html[i..].starts_with("<!"),
            "comment or declaration at byte {i}"
        );
        let end = i + html[i..].find('>').expect("unclosed tag");
        let inner = &html[i + 1..end];
        assert!(!inner.contains('<'), "< inside a tag at byte {i}: {inner}");
        if let Some(name) = inner.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}> at byte {i}");
            i = end + 1;
            text_start = i;
            continue;
        }
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(inner.len());
        let name = &inner[..name_end];
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "bad tag name {name:?} at byte {i}"
        );
        assert_eq!(name, name.to_ascii_lowercase(), "upper-case tag {name}");
        // Attributes: name="value", separated by white space.
        let mut attrs = Vec::new();
        let mut rest = inner[name_end..].trim_start();
        while !rest.is_empty() {
            let eq = rest
                .find('=')
                .unwrap_or_else(|| panic!("attribute without value in <{name}>: {rest}"));
            let attr = &rest[..eq];
            assert!(
                attr.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                "bad attribute name {attr:?} in <{name}>"
            );
            let after = &rest[eq + 1..];
            assert!(
                after.starts_with('"'),
                "unquoted attribute {attr} in <{name}>"
            );
            let close = after[1..].find('"').expect("unclosed attribute value") + 1;
            let value = &after[1..close];
            check_references(value, i);
            attrs.push((attr.to_string(), value.to_string()));
            rest = after[close + 1..].trim_start();
        }
        tags.push(Tag {
            name: name.to_string(),
            attrs,
        });
        i = end + 1;
        if name == "style" || name == "title" {
            // Raw text up to the end tag; no markup inside.
            let close = format!("</{name}>");
            let stop = i + html[i..].find(&close).expect("raw text element not closed");
            let content = &html[i..stop];
            assert!(!content.contains('<'), "markup inside <{name}>");
            if name == "title" {
                check_references(content, i);
            }
            i = stop + close.len();
        } else if !self_closing && !VOID.contains(&name) {
            stack.push(name.to_string());
        }
        text_start = i;
    }
    check_references(&html[text_start..], text_start);
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    tags
}

/// Structure, self-containment and safety of one document; returns its tags.
fn check_document(html: &str, lang: Lang) -> Vec<Tag> {
    let tags = scan(html);
    for tag in &tags {
        assert!(
            ALLOWED.contains(&tag.name.as_str()),
            "element <{}>",
            tag.name
        );
        for (name, value) in &tag.attrs {
            let lower = name.to_ascii_lowercase();
            assert!(
                !lower.starts_with("on"),
                "event handler {name} on <{}>",
                tag.name
            );
            assert!(
                ![
                    "href",
                    "src",
                    "xlink:href",
                    "action",
                    "formaction",
                    "srcset",
                    "xmlns"
                ]
                .contains(&lower.as_str()),
                "attribute {name} on <{}>",
                tag.name
            );
            assert!(
                !value.to_ascii_lowercase().contains("javascript:"),
                "javascript: in {name}"
            );
        }
    }
    let lower = html.to_ascii_lowercase();
    for needle in [
        "<script", "http://", "https://", "url(", "@import", "<link", "<img", "<iframe", "<object",
        "<embed", "<base",
    ] {
        assert!(!lower.contains(needle), "{needle} in the document");
    }
    assert_eq!(tags[0].name, "html");
    assert_eq!(tags[0].attr("lang"), Some(lang.code()));
    assert_eq!(tags.iter().filter(|t| t.name == "html").count(), 1);
    assert_eq!(tags.iter().filter(|t| t.name == "style").count(), 1);
    // The policy that would stop a script even if one slipped through.
    let csp = tags
        .iter()
        .find(|t| t.attr("http-equiv") == Some("Content-Security-Policy"))
        .expect("a Content-Security-Policy");
    assert!(csp
        .attr("content")
        .unwrap()
        .starts_with("default-src 'none'"));
    // The footer says where it was computed.
    let footer = &html[html.find("<footer>").expect("footer")..];
    assert!(footer.contains("Loyalty Lens"));
    // Every SVG sits in a figure with a caption, and has an accessible name.
    assert_eq!(
        tags.iter().filter(|t| t.name == "svg").count(),
        tags.iter()
            .filter(|t| t.attr("data-chart").is_some())
            .count()
    );
    for svg in tags.iter().filter(|t| t.name == "svg") {
        assert!(svg.attr("aria-label").is_some_and(|l| !l.is_empty()));
        assert_eq!(svg.attr("viewBox"), Some("0 0 800 400"));
    }
    tags
}

// ---------------------------------------------------------------- expectations

/// The charts the data allows, by their `data-chart` id.
fn expected_charts(r: &Report) -> Vec<&'static str> {
    let mut ids = Vec::new();
    let mut add = |cond: bool, id| {
        if cond {
            ids.push(id)
        }
    };
    add(!r.monthly_activity.is_empty(), "activity");
    add(!r.lifecycle.is_empty(), "lifecycle");
    add(
        !r.cohorts.cohorts.is_empty() && r.cohorts.average_on.len() >= 2,
        "cohort_curves",
    );
    add(r.survival.is_some(), "survival");
    if let Some(p) = &r.purchase_patterns {
        add(!p.orders_per_customer.is_empty(), "orders_per_customer");
        add(
            p.days_between_purchases
                .as_ref()
                .is_some_and(|d| !d.buckets.is_empty()),
            "days_between_purchases",
        );
        add(
            p.seasonality
                .iter()
                .any(|m| m.orders_index.is_some() || m.revenue_index.is_some()),
            "seasonality",
        );
    }
    if let Some(s) = &r.surveys {
        add(
            s.nps.is_some() && s.nps_distribution.iter().sum::<u64>() > 0,
            "nps_distribution",
        );
        add(!s.nps_trend.is_empty(), "nps_trend");
        add(
            s.loyalty_link
                .as_ref()
                .is_some_and(|l| l.by_nps_group.iter().any(|g| g.repeat_rate.is_some())),
            "loyalty_link",
        );
    }
    if let Some(c) = &r.clv {
        add(
            c.clv_distribution
                .as_ref()
                .is_some_and(|d| !d.bins.is_empty()),
            "clv_distribution",
        );
        add(
            c.holdout
                .as_ref()
                .is_some_and(|h| !h.by_frequency.is_empty()),
            "clv_holdout",
        );
        add(
            c.holdout.as_ref().is_some_and(|h| !h.tracking.is_empty()),
            "clv_tracking",
        );
        add(
            c.rfm.as_ref().is_some_and(|r| !r.grid.is_empty()),
            "rfm_grid",
        );
    }
    if let Some(c) = &r.churn {
        add(
            c.categories
                .iter()
                .any(|r| r.category != ChurnCategory::Unknown),
            "churn_categories",
        );
        add(
            c.reasons.iter().any(|r| r.reason.is_some()),
            "churn_reasons",
        );
        add(
            c.reference.iter().any(|r| r.user_share.is_some()),
            "churn_reference",
        );
        add(
            c.competing_risks
                .as_ref()
                .is_some_and(|r| !r.curves.is_empty()),
            "churn_incidence",
        );
    }
    ids.sort_unstable();
    ids
}

fn charts_in(tags: &[Tag]) -> Vec<String> {
    let mut ids: Vec<String> = tags
        .iter()
        .filter_map(|t| t.attr("data-chart").map(str::to_string))
        .collect();
    ids.sort_unstable();
    ids
}

fn sections_in(tags: &[Tag]) -> Vec<String> {
    tags.iter()
        .filter_map(|t| t.attr("data-section").map(str::to_string))
        .collect()
}

/// The card of a metric: its data-value and the text of its value and sub line.
fn card<'a>(html: &'a str, id: &str) -> Option<(&'a str, &'a str, Option<&'a str>)> {
    let start = html.find(&format!("<div class=\"card\" data-metric=\"{id}\""))?;
    let card = &html[start..start + html[start..].find("</div>\n")?];
    let between = |open: &str| -> Option<&'a str> {
        let s = card.find(open)? + open.len();
        Some(&card[s..s + card[s..].find("</div>")?])
    };
    let value_attr = {
        let s = card.find("data-value=\"")? + "data-value=\"".len();
        &card[s..s + card[s..].find('"')?]
    };
    Some((
        value_attr,
        between("<div class=\"value\">")?,
        between("<div class=\"sub\">"),
    ))
}

/// Every headline figure is on a card, with its plain value and its
/// English formatting (computed here from the display helpers).
fn check_headline_en(html: &str, r: &Report) {
    type Format = fn(f64) -> String;
    let formats: [(&str, Format); 24] = [
        ("customers", |v| grouped(v, 0)),
        ("transactions", |v| grouped(v, 0)),
        ("orders", |v| grouped(v, 0)),
        ("revenue", money),
        ("repeat_rate", percent),
        ("retention_m1", percent),
        ("retention_m3", percent),
        ("retention_m6", percent),
        ("retention_m12", percent),
        ("retention_rate", percent),
        ("churn_rate", percent),
        ("km_median_months", |v| format!("{} months", grouped(v, 1))),
        ("responses", |v| grouped(v, 0)),
        ("nps", |v| grouped(v, 1)),
        ("promoters_pct", |v| format!("{}%", grouped(v, 1))),
        ("passives_pct", |v| format!("{}%", grouped(v, 1))),
        ("detractors_pct", |v| format!("{}%", grouped(v, 1))),
        ("csat", percent),
        ("ces", |v| grouped(v, 2)),
        ("clv_total", money),
        ("clv_mean", money),
        ("p_alive_mean", percent),
        ("churned_customers", |v| grouped(v, 0)),
        ("churn_controllable_share", percent),
    ];
    let mut checked = 0;
    for (id, format) in formats {
        let Some(v) = r.metric(id) else {
            assert!(card(html, id).is_none(), "{id} shown without a value");
            continue;
        };
        let (attr, shown, _) = card(html, id).unwrap_or_else(|| panic!("no card for {id}"));
        assert_eq!(attr.parse::<f64>().unwrap(), v, "{id} data-value");
        assert_eq!(shown, escape(&format(v)), "{id} shown");
        checked += 1;
    }
    assert!(checked > 0);
    if let Some(nps) = r.metric("nps") {
        let (_, _, sub) = card(html, "nps").unwrap();
        let expected = format!(
            "95% CI: {} … {} (± {}); n = {}",
            grouped(r.metric("nps_ci_low").unwrap(), 1),
            grouped(r.metric("nps_ci_high").unwrap(), 1),
            grouped(r.metric("nps_margin").unwrap(), 1),
            grouped(r.metric("responses").unwrap(), 0)
        );
        assert_eq!(sub, Some(expected.as_str()), "NPS {nps} interval");
        assert!(html.contains(&format!(
            "data-ci-low=\"{}\" data-ci-high=\"{}\"",
            r.metric("nps_ci_low").unwrap(),
            r.metric("nps_ci_high").unwrap()
        )));
    }
    if let Some(c) = r.surveys.as_ref().and_then(|s| s.csat.as_ref()) {
        let (_, _, sub) = card(html, "csat").unwrap();
        let expected = format!(
            "95% CI: {} … {}; n = {}",
            percent(c.ci_low),
            percent(c.ci_high),
            grouped(c.responses as f64, 0)
        );
        assert_eq!(sub, Some(expected.as_str()));
    }
}

/// Render both languages, check both, return the English document and its tags.
fn render_and_check(report: &Report) -> (String, Vec<Tag>) {
    let html = standalone_html(report, Lang::En);
    let tags = check_document(&html, Lang::En);
    assert_eq!(charts_in(&tags), expected_charts(report));
    check_headline_en(&html, report);
    let ru = standalone_html(report, Lang::Ru);
    let ru_tags = check_document(&ru, Lang::Ru);
    assert_eq!(charts_in(&ru_tags), expected_charts(report));
    assert_eq!(sections_in(&ru_tags), sections_in(&tags));
    // Same report, same bytes.
    assert_eq!(standalone_html(report, Lang::En), html);
    (html, tags)
}

// ---------------------------------------------------------------- tests

#[test]
fn escape_makes_markup_inert() {
    assert_eq!(
        escape("<script>alert(1)</script>"),
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    );
    assert_eq!(escape("\"quoted\""), "&quot;quoted&quot;");
    assert_eq!(escape("Tom & Jerry"), "Tom &amp; Jerry");
    assert_eq!(escape("it's"), "it&#39;s");
    assert_eq!(
        escape("<img src=x onerror=alert(1)>"),
        "&lt;img src=x onerror=alert(1)&gt;"
    );
    // Breaking out of an attribute value takes a quote: there is none left.
    assert_eq!(
        escape("x\" onmouseover=\"alert(1)"),
        "x&quot; onmouseover=&quot;alert(1)"
    );
    assert_eq!(escape("&lt;"), "&amp;lt;");
    assert_eq!(escape("Москва, 5 ★"), "Москва, 5 ★");
    for payload in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "'\"><svg onload=alert(1)>",
    ] {
        let out = escape(payload);
        assert!(!out.contains(['<', '>', '"', '\'']), "{out}");
    }
}

/// Plotters' SVG backend escapes label text itself (plotters-svg
/// `escape_and_push` on text and attribute values): a reason drawn as a
/// Pareto label comes out as text.
#[test]
fn plotters_escapes_svg_label_text() {
    let labels = [
        "<img src=x onerror=1>",
        "</text><script>",
        "a\" onload=\"b",
        "Tom & 'Jerry'",
    ];
    let bars: Vec<ParetoBar> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| ParetoBar {
            label: label.to_string(),
            customers: 4 - i as u64,
            cumulative_share: (i + 1) as f64 / 4.0,
        })
        .collect();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_pareto(&area, &bars, &ChurnLabels::default()).unwrap();
    }
    for escaped in [
        "&lt;img src=x onerror=1&gt;",
        "&lt;/text&gt;&lt;script&gt;",
        "a&quot; onload=&quot;b",
        "Tom &amp; &apos;Jerry&apos;",
    ] {
        assert!(svg.contains(escaped), "{escaped} in {svg}");
    }
    assert!(!svg.contains("<img") && !svg.contains("<script") && !svg.contains("onload=\""));
}

#[test]
fn sample_shop_report_has_every_section_and_chart() {
    let ds = sample_shop();
    // With a calibration end (for the holdout charts) and a programme mark.
    let mut settings = Settings::default();
    settings.clv.calibration_end = Some(date("2025-06-30"));
    settings.marks = vec![Mark {
        date: date("2025-03-01"),
        label: "Loyalty programme launch".into(),
    }];
    let report = build_report_with(&ds, &settings);
    let (html, tags) = render_and_check(&report);
    assert_eq!(
        expected_charts(&report).len(),
        18,
        "the sample covers every chart: {:?}",
        expected_charts(&report)
    );
    assert_eq!(tags.iter().filter(|t| t.name == "svg").count(), 18);
    assert_eq!(html.matches("<svg").count(), 18);
    assert_eq!(
        sections_in(&tags),
        [
            "headline",
            "activity",
            "retention",
            "patterns",
            "surveys",
            "clv",
            "churn",
            "programme",
            "quality"
        ]
    );
    // Title: the date range and the file names.
    let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
    assert_eq!(
        title,
        "<title>Customer loyalty report, 2024-01-01 – 2025-12-31 (orders.csv, survey.csv, churned.csv)"
    );
    for name in ["orders.csv", "survey.csv", "churned.csv"] {
        assert!(html.contains(&format!("<span class=\"file\">{name}</span>")));
    }
    // The key tables.
    for table in [
        "cohorts",
        "nps_segments",
        "churn_reasons",
        "churn_categories",
        "rfm_segments",
        "top_customers",
        "files",
        "programme_mark",
    ] {
        assert!(
            tags.iter().any(|t| t.attr("data-table") == Some(table)),
            "table {table}"
        );
    }
    // The cohort heat map: one row per cohort plus the average, month 0 at 100%.
    let heat = &html[html.find("data-table=\"cohorts\"").unwrap()..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert_eq!(
        heat.matches("<tr>").count() + heat.matches("<tr class=\"avg\">").count(),
        1 + report.cohorts.cohorts.len() + 1
    );
    assert!(heat.contains("<td class=\"k0\">100</td>"));
    assert!(
        heat.contains("class=\"h10\""),
        "the best cell is the darkest"
    );
    // No raw rows: no comment text, no rejected-row examples, no previews.
    let survey = report
        .files
        .iter()
        .find(|f| f.file == "survey.csv")
        .unwrap();
    let comment_column = survey
        .columns
        .iter()
        .position(|c| c.name == "comment")
        .unwrap();
    let long_comments: Vec<&String> = survey
        .preview
        .iter()
        .filter_map(|row| row.get(comment_column))
        .filter(|c| c.chars().count() > 20)
        .collect();
    assert!(!long_comments.is_empty());
    for comment in long_comments {
        assert!(!html.contains(&*escape(comment)), "comment {comment} shown");
    }
    let ru = standalone_html(&report, Lang::Ru);
    eprintln!(
        "sample shop report: {} bytes (en), {} bytes (ru)",
        html.len(),
        ru.len()
    );
    // For a look in a browser: LOYALTY_HTML_OUT=/some/folder.
    if let Some(dir) = std::env::var_os("LOYALTY_HTML_OUT") {
        let dir = PathBuf::from(dir);
        std::fs::write(dir.join("sample_shop_en.html"), &html).unwrap();
        std::fs::write(dir.join("sample_shop_ru.html"), &ru).unwrap();
    }
    assert!(html.len() < 1_500_000, "{} bytes", html.len());
}

#[test]
fn sample_shop_in_russian() {
    let report = build_report(&sample_shop());
    let html = standalone_html(&report, Lang::Ru);
    check_document(&html, Lang::Ru);
    assert!(html.contains("<h1>Отчёт о лояльности клиентов</h1>"));
    assert!(html.contains("01.01.2024 – 31.12.2025"));
    assert!(html.contains("<h2>Почему клиенты уходят</h2>"));
    // Decimal comma and no-break-space grouping.
    let nps = report.metric("nps").unwrap();
    let (_, shown, sub) = card(&html, "nps").unwrap();
    assert_eq!(shown, grouped(nps, 1).replace('.', ","));
    assert!(sub.unwrap().starts_with("95% ДИ: "));
    let customers = report.metric("customers").unwrap();
    assert!(customers >= 1000.0);
    let (_, shown, _) = card(&html, "customers").unwrap();
    assert_eq!(shown, grouped(customers, 0).replace(',', "\u{a0}"));
    // RFM segment names and churn categories in Russian.
    assert!(html.contains("Чемпионы"));
    assert!(html.contains("Недовольство продуктом") || html.contains("Цена"));
    // The report's words are the page's: every churn category of the
    // sample in the charts' Russian, and the Russian chart axis words.
    let churn = report.churn.as_ref().unwrap();
    let names = ChurnLabels::for_locale(loyalty_analytics::display::Locale::Ru);
    for c in &churn.categories {
        let name = escape(names.category(c.category));
        assert!(html.contains(&*name), "category {:?} as {name}", c.category);
    }
    for word in [
        names.customers,
        names.cumulative,
        names.yours,
        names.reference,
    ] {
        assert!(html.contains(word), "{word}");
    }
}

#[test]
fn default_settings_leave_out_only_the_holdout_charts() {
    let report = build_report(&sample_shop());
    let (_, tags) = render_and_check(&report);
    let charts = charts_in(&tags);
    assert_eq!(charts.len(), 16, "{charts:?}");
    assert!(!charts
        .iter()
        .any(|c| c == "clv_holdout" || c == "clv_tracking"));
}

#[test]
fn cdnow_sample_transactions_only() {
    let ds = dataset(&[("cdnow_sample.txt", asset("cdnow_sample.txt"))]);
    let mut settings = Settings::default();
    settings.clv.calibration_end = Some(date("1997-09-30"));
    let report = build_report_with(&ds, &settings);
    let (html, tags) = render_and_check(&report);
    let sections = sections_in(&tags);
    assert!(sections.contains(&"retention".to_string()));
    assert!(sections.contains(&"clv".to_string()));
    assert!(!sections.contains(&"surveys".to_string()));
    assert!(html.contains("1997-01-01 – 1998-06-30"));
    let charts = charts_in(&tags);
    for id in [
        "activity",
        "cohort_curves",
        "clv_holdout",
        "clv_tracking",
        "rfm_grid",
    ] {
        assert!(charts.iter().any(|c| c == id), "{id} in {charts:?}");
    }
    // The published CDNOW calibration fit appears in the model table.
    let bg = report.clv.as_ref().unwrap().bgnbd.as_ref().unwrap();
    assert!(html.contains(&format!("<td class=\"n\">{}</td>", grouped(bg.params.r, 4))));
}

#[test]
fn survey_only_report_has_no_purchase_sections() {
    let name = "prepbench_case040_sudzilla_nps_survey.csv";
    let report = build_report(&dataset(&[(name, common::read(name))]));
    let (html, tags) = render_and_check(&report);
    assert_eq!(sections_in(&tags), ["headline", "surveys", "quality"]);
    assert!(!html.contains("data-table=\"cohorts\""));
    let charts = charts_in(&tags);
    assert!(charts.iter().any(|c| c == "nps_distribution"), "{charts:?}");
    assert!(report.metric("nps").is_some());
}

#[test]
fn shared_data_sets_render() {
    for name in [
        "ibm_telco_v11_merged.csv",
        "pysurvival_saas_churn_csat.csv",
        "prepbench_case160_superstore_orders.csv",
        "prepbench_case122_airline_nps_other_airlines.csv",
        "ru_ecom_home_goods_orders_cp1251.csv",
        "bank_churn_records_satisfaction_points.csv",
    ] {
        let report = build_report(&dataset(&[(name, common::read(name))]));
        let (html, tags) = render_and_check(&report);
        assert!(html.contains(&format!("<span class=\"file\">{name}</span>")));
        if let Some(dir) = std::env::var_os("LOYALTY_HTML_OUT") {
            std::fs::write(PathBuf::from(dir).join(format!("{name}.html")), &html).unwrap();
        }
        eprintln!(
            "{name}: {} bytes, sections {:?}, charts {}",
            html.len(),
            sections_in(&tags),
            charts_in(&tags).len()
        );
    }
}

#[test]
fn telco_churn_reasons_and_segments() {
    let name = "ibm_telco_v11_merged.csv";
    let report = build_report(&dataset(&[(name, common::read(name))]));
    let (html, tags) = render_and_check(&report);
    let churn = report.churn.as_ref().expect("churn section");
    let charts = charts_in(&tags);
    for id in ["churn_categories", "churn_reasons", "churn_reference"] {
        assert!(charts.iter().any(|c| c == id), "{id} in {charts:?}");
    }
    // Each listed reason is a table row, escaped.
    for r in churn.reasons.iter().take(50) {
        if let Some(reason) = &r.reason {
            assert!(
                html.contains(&format!("<td>{}</td>", escape(reason))),
                "{reason}"
            );
        }
    }
    assert!(!report.churn_by_segment.is_empty());
    assert!(tags
        .iter()
        .any(|t| t.attr("data-table") == Some("churn_by_segment")));
}

#[test]
fn html_and_script_in_the_data_come_out_as_text() {
    // Orders of the sample shop, plus a customer whose id is a payload and
    // who buys a lot (so that it is among the top customers).
    let mut evil_orders = String::from("order_id,customer_id,order_date,amount\n");
    for (i, month) in (1..=12).enumerate() {
        evil_orders.push_str(&format!(
            "{},\"\"\"><svg onload=alert(3)>\",2025-{month:02}-05,{}\n",
            990_000 + i,
            5_000 + i
        ));
    }
    // A customers file: reason and a segment column (name and labels) as payloads.
    let mut customers =
        String::from("customer_id,churn_date,reason,<b onmouseover=alert(4)>plan</b>\n");
    for i in 0..40 {
        let (end, reason) = match i % 4 {
            0 => ("2025-03-01", "<img src=x onerror=alert(1)>"),
            1 => ("2025-04-01", "Too expensive & slow"),
            _ => ("", ""),
        };
        let plan = if i % 2 == 0 {
            "\"<iframe src=javascript:alert(5)>\""
        } else {
            "basic"
        };
        customers.push_str(&format!("C{:04},{end},{reason},{plan}\n", i + 1));
    }
    // A survey with a comment that is a script, and a payload segment.
    let mut survey = String::from("customer_id,response_date,nps,comment,segment\n");
    for i in 0..40 {
        let comment = if i % 3 == 0 {
            "<script>alert(1)</script>"
        } else {
            "'quoted' & \"double\""
        };
        let segment = if i % 2 == 0 {
            "<svg/onload=alert(6)>"
        } else {
            "web"
        };
        survey.push_str(&format!(
            "C{:04},2025-0{}-10,{},\"{}\",{}\n",
            i + 1,
            1 + i % 6,
            i % 11,
            comment.replace('"', "\"\""),
            segment
        ));
    }
    let evil_name = "\"><img src=x onerror=alert(7)>.csv";
    let ds = dataset(&[
        ("orders.csv", asset("sample/orders.csv")),
        ("top.csv", evil_orders.into_bytes()),
        (evil_name, customers.into_bytes()),
        ("survey<script>.csv", survey.into_bytes()),
    ]);
    let report = build_report(&ds);
    // The payloads reached the report...
    let churn = report.churn.as_ref().expect("churn");
    assert!(churn
        .reasons
        .iter()
        .any(|r| r.reason.as_deref() == Some("<img src=x onerror=alert(1)>")));
    let clv = report.clv.as_ref().expect("clv");
    assert!(clv
        .top_customers
        .iter()
        .take(50)
        .any(|c| c.customer == "\"><svg onload=alert(3)>"));
    let surveys = report.surveys.as_ref().expect("surveys");
    assert!(surveys
        .nps_segments
        .iter()
        .flat_map(|t| &t.rows)
        .any(|r| r.label == "<svg/onload=alert(6)>"));
    assert!(report
        .churn_by_segment
        .iter()
        .any(|s| s.column == "<b onmouseover=alert(4)>plan</b>"));

    for lang in [Lang::En, Lang::Ru] {
        let html = standalone_html(&report, lang);
        if let Some(dir) = std::env::var_os("LOYALTY_HTML_OUT") {
            let file = format!("payloads_{}.html", lang.code());
            std::fs::write(PathBuf::from(dir).join(file), &html).unwrap();
        }
        // ...and come out as text: nothing outside the allowed elements, no
        // handler, no script, no URL (check_document), the text literal.
        let tags = check_document(&html, lang);
        assert_eq!(charts_in(&tags), expected_charts(&report));
        for shown in [
            // File name in the header and the data-quality table.
            "<span class=\"file\">&quot;&gt;&lt;img src=x onerror=alert(7)&gt;.csv</span>",
            "<td>survey&lt;script&gt;.csv</td>",
            // Reason in the reasons table.
            "<td>&lt;img src=x onerror=alert(1)&gt;</td>",
            "<td>Too expensive &amp; slow</td>",
            // Customer id in the top customers.
            "<td>&quot;&gt;&lt;svg onload=alert(3)&gt;</td>",
            // Segment column name and labels.
            "&lt;b onmouseover=alert(4)&gt;plan&lt;/b&gt;",
            "<td>&lt;iframe src=javascript:alert(5)&gt;</td>",
            "<td>&lt;svg/onload=alert(6)&gt;</td>",
        ] {
            assert!(html.contains(shown), "{shown} not shown as text ({lang:?})");
        }
        // The reason also labels a Pareto bar in the SVG, escaped by plotters
        // (possibly shortened with an ellipsis).
        let reasons_chart = &html[html.find("data-chart=\"churn_reasons\"").unwrap()..];
        let reasons_chart = &reasons_chart[..reasons_chart.find("</figure>").unwrap()];
        assert!(reasons_chart.contains("&lt;img src=x"), "SVG label");
        // Comments are not part of the report at all (no raw rows).
        assert!(!html.contains("alert(1)&lt;/script"));
        assert!(!html.contains("&#39;quoted&#39;"));
    }
}

#[test]
fn each_file_says_what_it_was_read_as_with_its_notes() {
    // A customers list whose `score` is a credit score (300-850): not an NPS
    // answer, a note; the file is read without it.
    let mut text = String::from("CustomerId,score,Exited,Satisfaction_Score\n");
    for i in 0..60 {
        text.push_str(&format!(
            "{},{},{},{}\n",
            1000 + i,
            400 + i * 7,
            i % 3 == 0,
            1 + i % 5
        ));
    }
    let report = build_report(&dataset(&[("bank & co.csv", text.into_bytes())]));
    let file = &report.files[0];
    assert!(!file.notes.is_empty(), "{:?}", file.columns);
    for lang in [Lang::En, Lang::Ru] {
        let html = standalone_html(&report, lang);
        let tags = check_document(&html, lang);
        let read_as = format!(
            "{} — {}",
            escape(&file.file),
            escape(&file.read_as(lang.locale()))
        );
        assert!(html.contains(&read_as), "{read_as}");
        for note in &file.notes {
            assert!(html.contains(&*escape(&note.describe_in(lang.locale()))));
        }
        assert!(tags.iter().any(|t| t.attr("data-testid") == Some("read-as")
            && t.attr("data-file") == Some(&*escape("bank & co.csv"))));
    }
}
