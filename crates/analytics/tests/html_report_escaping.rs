//! HTML/JS payloads in names, reasons, ids and comments come out of the
//! standalone HTML report inert: escaped text, no script, no handler.

mod html_support;

use std::path::PathBuf;

use loyalty_analytics::build_report;
use loyalty_analytics::chart::{draw_pareto, ChurnLabels};
use loyalty_analytics::html_report::{escape, standalone_html, Lang};
use loyalty_analytics::metrics::churn_causes::ParetoBar;
use plotters::prelude::*;

use html_support::*;

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
