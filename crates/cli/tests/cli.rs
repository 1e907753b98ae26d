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
    assert!(String::from_utf8_lossy(&out.stdout).contains("customers        2357"));

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
    ] {
        let scale = 10f64.powi(places);
        assert_eq!((m(id) * scale).round() / scale, published, "{id}");
    }
    assert_eq!(report["settings"]["clv"]["calibration_end"], "1997-09-30");
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
            String::from_utf8_lossy(&out.stdout).contains("customers        2357"),
            "{case}"
        );
    }
}
