//! The binary as a user runs it.

use std::process::Command;

fn loyalty(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_loyalty"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("runs")
}

#[test]
fn json_report_of_the_bundled_sample() {
    let out = loyalty(&["report", "assets/cdnow_sample.txt", "--json"]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // awk '{c[$1]=1; rev+=$5} END {...}' assets/cdnow_sample.txt -> 2357 customers, 6919 rows, 244091.94
    assert_eq!(report["metrics"]["customers"], 2357.0);
    assert_eq!(report["metrics"]["transactions"], 6919.0);
    assert_eq!(report["metrics"]["revenue"], 244091.94);
    assert_eq!(report["files"][0]["file"], "cdnow_sample.txt");
}

#[test]
fn a_bad_file_is_named_and_the_good_one_still_reported() {
    let dir = std::env::temp_dir().join(format!("loyalty-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("scan.csv");
    std::fs::write(&bad, b"\0\0\0binary").unwrap();
    let out = loyalty(&["report", bad.to_str().unwrap(), "assets/cdnow_sample.txt"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("scan.csv: this is not a text export"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("customers                  2357"));

    let only_bad = loyalty(&["report", bad.to_str().unwrap()]);
    assert!(!only_bad.status.success());
    std::fs::remove_dir_all(dir).ok();
}

/// `--settings` takes the settings of a downloaded report: a reason re-mapped
/// by hand in the page moves to its new category on the command line too.
#[test]
fn settings_file_applies_reason_overrides_and_flags_win() {
    let dir = std::env::temp_dir().join(format!("loyalty-cli-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let churn = dir.join("churned.csv");
    // Two leavers, one "too expensive" (price by the rules), one moved away.
    std::fs::write(
        &churn,
        "customer_id,churn_date,reason\na,2024-01-01,too expensive\nb,2024-02-01,moved to another city\nc,,\n",
    )
    .unwrap();
    let settings = dir.join("settings.json");
    std::fs::write(
        &settings,
        r#"{"period":"quarter","churn_window_days":30,"churn":{"rules":null,"overrides":{"too expensive":"competitor"}}}"#,
    )
    .unwrap();
    let report = |args: &[&str]| -> serde_json::Value {
        let out = loyalty(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let path = churn.to_str().unwrap();
    let plain = report(&["report", path, "--json"]);
    let category = |r: &serde_json::Value, reason: &str| {
        r["churn"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["reason"] == reason)
            .map(|row| row["category"].clone())
            .unwrap()
    };
    assert_eq!(category(&plain, "too expensive"), "price");
    let mapped = report(&[
        "report",
        path,
        "--json",
        "--settings",
        settings.to_str().unwrap(),
        "--period",
        "month",
    ]);
    assert_eq!(category(&mapped, "too expensive"), "competitor");
    assert_eq!(mapped["settings"]["period"], "month", "the flag wins");
    assert_eq!(mapped["settings"]["churn_window_days"], 30);
}

/// The CLV flags: the CDNOW 1/10 sample with a 39-week calibration gives the
/// published BG/NBD fit (Fader, Hardie & Lee 2005: r 0.243, alpha 4.414,
/// a 0.793, b 2.426, LL -9582.4) and Gamma-Gamma (Fader & Hardie 2013, "The
/// Gamma-Gamma model of monetary value": p 6.25, q 3.74, gamma 15.44; the
/// lifetimes docs print 15.45 from a less tightly converged fit).
#[test]
fn clv_flags_reproduce_the_published_cdnow_fit() {
    let out = loyalty(&[
        "report",
        "assets/cdnow_sample.txt",
        "--json",
        "--time-unit",
        "week",
        "--calibration-end",
        "1997-09-30",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = |id: &str| report["metrics"][id].as_f64().unwrap();
    for (id, published, places) in [
        ("bgnbd_r", 0.243, 3),
        ("bgnbd_alpha", 4.414, 3),
        ("bgnbd_a", 0.793, 3),
        ("bgnbd_b", 2.426, 3),
        ("bgnbd_ll", -9582.4, 1),
        ("gg_p", 6.25, 2),
        ("gg_q", 3.74, 2),
        ("gg_v", 15.44, 2),
        // Pareto/NBD (Fader, Hardie & Lee 2005; Fader & Hardie's note).
        ("pnbd_r", 0.55, 2),
        ("pnbd_alpha", 10.58, 2),
        ("pnbd_s", 0.61, 2),
        ("pnbd_beta", 11.67, 2),
        ("pnbd_ll", -9595.0, 1),
    ] {
        let scale = 10f64.powi(places);
        assert_eq!((m(id) * scale).round() / scale, published, "{id}");
    }
    assert_eq!(report["settings"]["clv"]["calibration_end"], "1997-09-30");
    // Pareto/NBD has the lower holdout MAE here (tests/clv_model_choice.rs).
    assert_eq!(report["clv"]["clv_model"], "pareto_nbd");
    assert_eq!(report["clv"]["clv_model_reason"], "holdout");
}

/// `--model` names the purchase model; the settings say so.
#[test]
fn model_flag_overrides_the_holdout_choice() {
    let report = json_of(&[
        "report",
        "assets/cdnow_sample.txt",
        "--time-unit",
        "week",
        "--calibration-end",
        "1997-09-30",
        "--model",
        "bgnbd",
        "--json",
    ]);
    assert_eq!(report["settings"]["clv"]["model"], "bg_nbd");
    assert_eq!(report["clv"]["clv_model"], "bg_nbd");
    assert_eq!(report["clv"]["clv_model_reason"], "user");
    let out = loyalty(&["report", "assets/cdnow_sample.txt", "--model", "gamma"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("auto, bgnbd or pnbd"));
}

/// `--window-months 13-24`: CLV of the second year only; the settings say
/// so, the per-month series marks it; a bad window is refused with its
/// message.
#[test]
fn window_months_flag() {
    let report = json_of(&[
        "report",
        "assets/cdnow_sample.txt",
        "--time-unit",
        "week",
        "--window-months",
        "13-24",
        "--json",
    ]);
    assert_eq!(
        report["settings"]["clv"]["window_months"],
        serde_json::json!({"from": 13, "to": 24})
    );
    let months = report["clv"]["clv_by_month"].as_array().unwrap();
    assert_eq!(months.len(), 24);
    let in_window: f64 = months
        .iter()
        .filter(|m| m["in_window"] == true)
        .map(|m| m["clv"].as_f64().unwrap())
        .sum();
    let total = report["metrics"]["clv_total"].as_f64().unwrap();
    assert!((in_window - total).abs() < 1e-9 * total);
    for bad in ["24-13", "0-5", "x"] {
        let out = loyalty(&["report", "assets/cdnow_sample.txt", "--window-months", bad]);
        assert!(!out.status.success(), "{bad}");
    }
}

/// Crafted workbooks that drive calamine into allocations it cannot survive
/// (fuzz/resource-cases/README.md: a 1 TB `reserve`, a 22 GB sparse range,
/// an endless sector chain). Each used to abort the CLI; now each is named
/// in a short message and the good file beside it is still reported. (The
/// sparse range survives the reader in builds with overflow checks and is
/// then refused for its columns; either way the file is named.)
#[test]
fn workbooks_that_exhaust_memory_are_named_and_the_rest_reported() {
    for case in [
        "spreadsheet-oom-xls-dimensions.bin",
        "spreadsheet-oom-xls-sparse-range.bin",
        "spreadsheet-oom-cfb-chain-cycle.bin",
    ] {
        let path = format!("fuzz/resource-cases/{case}");
        let out = loyalty(&["report", &path, "assets/cdnow_sample.txt"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{case}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {case}: ")),
            "{case}: {stderr}"
        );
        assert!(stderr.len() < 1000, "{case}: {stderr}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("customers                  2357"),
            "{case}"
        );
    }
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = loyalty(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `--map customer_id=A+B` builds the id from the names as the automatic
/// detection does: the same report. Figures by hand in
/// crates/analytics/tests/sheets_and_ids.rs: 5 customers, revenue 335.50.
#[test]
fn composite_id_by_flag_equals_the_detected_one() {
    let file = "tests/fixtures/receipts_by_name.csv";
    let auto = json_of(&["report", file, "--json"]);
    let mapped = json_of(&[
        "report",
        file,
        "--json",
        "--map",
        "customer_id=First Name+Last Name",
    ]);
    assert_eq!(auto["metrics"]["customers"], 5.0);
    assert_eq!(auto["metrics"]["revenue"], 335.5);
    assert_eq!(auto["files"], mapped["files"]);
    assert_eq!(auto["metrics"], mapped["metrics"]);
    let text = String::from_utf8_lossy(
        &loyalty(&["report", file, "--map", "customer_id=First Name+Last Name"]).stdout,
    )
    .into_owned();
    assert!(
        text.contains("read as transactions: Order id ← Receipt · Date ← Date · Customer id ← First Name + Last Name · Amount ← Total"),
        "{text}"
    );
    assert!(
        text.contains("note: the customer id is 'First Name' + 'Last Name' joined with a space"),
        "{text}"
    );
}

/// `--map ROLE=COLUMN` gives a column a role detection did not, takes it
/// from the column that had it, and names a column that is not there.
#[test]
fn map_gives_roles_by_column_name() {
    let dir = std::env::temp_dir().join(format!("loyalty-cli-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("till.csv");
    // "Paid" is no amount by name; "Total" is, but holds item counts here.
    // By hand: revenue by Paid = 10.5 + 20 + 7.25 = 37.75; by Total = 6.
    std::fs::write(
        &path,
        "client,date,Total,Paid\nA,2024-01-01,1,10.50\nB,2024-01-02,2,20.00\nA,2024-02-01,3,7.25\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let plain = json_of(&["report", path, "--json"]);
    assert_eq!(plain["metrics"]["revenue"], 6.0);
    let mapped = json_of(&["report", path, "--json", "--map", "amount=paid"]);
    assert_eq!(mapped["metrics"]["revenue"], 37.75);
    let roles: Vec<&serde_json::Value> = mapped["files"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["role"])
        .collect();
    assert_eq!(
        roles,
        [
            &serde_json::json!("customer_id"),
            &serde_json::json!("date"),
            &serde_json::Value::Null,
            &serde_json::json!("amount")
        ]
    );

    let missing = loyalty(&["report", path, "--map", "amount=Price"]);
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("till.csv: --map amount=Price: there is no column 'Price' (columns: client, date, Total, Paid)"),
        "{stderr}"
    );
    let not_a_role = loyalty(&["report", path, "--map", "money=Paid"]);
    assert!(!not_a_role.status.success());
    assert!(String::from_utf8_lossy(&not_a_role.stderr).contains("'money' is not a role"));
    let several = loyalty(&["report", path, "--map", "amount=Total+Paid"]);
    assert!(String::from_utf8_lossy(&several.stderr)
        .contains("only customer_id can be made of several columns"));
    std::fs::remove_dir_all(dir).ok();
}

/// A workbook with a sheet per year: all three read by default, one with
/// `--sheet`, two with the flag twice. Figures from
/// tests/fixtures/make_multisheet.py (see crates/analytics/tests/sheets_and_ids.rs).
#[test]
fn sheets_of_a_workbook() {
    let file = "tests/fixtures/orders_by_year.xlsx";
    let all = json_of(&["report", file, "--json"]);
    assert_eq!(all["metrics"]["customers"], 11.0);
    assert_eq!(all["files"][0]["sheets_read"].as_array().unwrap().len(), 3);
    assert_eq!(all["files"][0]["notes"][0]["note"], "sheets_skipped");
    let one = json_of(&["report", file, "--json", "--sheet", "2023"]);
    assert_eq!(one["metrics"]["customers"], 7.0);
    assert_eq!(one["metrics"]["revenue"], 1225.75);
    let two = json_of(&[
        "report", file, "--json", "--sheet", "2022", "--sheet", "2024",
    ]);
    let revenue = two["metrics"]["revenue"].as_f64().unwrap();
    assert!((revenue - (1506.88 + 1306.67)).abs() < 0.005, "{revenue}");
    let text = String::from_utf8_lossy(&loyalty(&["report", file]).stdout).into_owned();
    assert!(
        text.contains("  sheet 2023: 13 rows read, 10 used, 3 rejected\n"),
        "{text}"
    );
    assert!(text.contains("(lines 2023:14)"), "{text}");
}
