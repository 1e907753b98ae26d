//! Shared by the standalone HTML report tests: loading the sample files, a
//! small HTML scanner written here (no new dependency) that checks structure
//! (balanced tags) and self-containment (no script, no URL, no external
//! resource), and the charts and headline figures a report should show.
#![allow(dead_code)]

use std::path::PathBuf;

use loyalty_analytics::display::{grouped, money, percent};
use loyalty_analytics::html_report::{escape, standalone_html, Lang};
use loyalty_analytics::metrics::churn_rules::ChurnCategory;
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::{Dataset, Report};

// ---------------------------------------------------------------- loading

pub fn asset(relative: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn dataset(files: &[(&str, Vec<u8>)]) -> Dataset {
    let mut ds = Dataset::default();
    for (name, bytes) in files {
        ds.add_file(name, bytes)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    ds
}

pub fn sample_shop() -> Dataset {
    dataset(&[
        ("orders.csv", asset("sample/orders.csv")),
        ("survey.csv", asset("sample/survey.csv")),
        ("churned.csv", asset("sample/churned.csv")),
    ])
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

// ---------------------------------------------------------------- scanner

/// One start tag: lower-case name and attributes (values unescaped as written).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub const VOID: [&str; 2] = ["meta", "br"];
pub const ALLOWED: [&str; 33] = [
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
pub const ENTITIES: [&str; 6] = ["amp", "lt", "gt", "quot", "apos", "#39"];

/// Checks that every `&` starts one of the references the writers emit.
pub fn check_references(text: &str, at: usize) {
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
pub fn scan(html: &str) -> Vec<Tag> {
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
pub fn check_document(html: &str, lang: Lang) -> Vec<Tag> {
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
pub fn expected_charts(r: &Report) -> Vec<&'static str> {
    let mut ids = Vec::new();
    let mut add = |cond: bool, id| {
        if cond {
            ids.push(id)
        }
    };
    add(!r.monthly_activity.is_empty(), "monthly_activity");
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
        add(!c.clv_by_month.is_empty(), "clv_by_month");
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
            "churn_pareto",
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

pub fn charts_in(tags: &[Tag]) -> Vec<String> {
    let mut ids: Vec<String> = tags
        .iter()
        .filter_map(|t| t.attr("data-chart").map(str::to_string))
        .collect();
    ids.sort_unstable();
    ids
}

pub fn sections_in(tags: &[Tag]) -> Vec<String> {
    tags.iter()
        .filter_map(|t| t.attr("data-section").map(str::to_string))
        .collect()
}

/// The card of a metric: its data-value and the text of its value and sub line.
pub fn card<'a>(html: &'a str, id: &str) -> Option<(&'a str, &'a str, Option<&'a str>)> {
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
pub fn check_headline_en(html: &str, r: &Report) {
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
pub fn render_and_check(report: &Report) -> (String, Vec<Tag>) {
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
