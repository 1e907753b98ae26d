//! Churn causes on IBM Telco v11 against pandas, numpy and lifelines. The
//! expected figures are in tests/fixtures/churn/churn_reference.json, written
//! by tests/fixtures/churn/churn_reference.py (its docstring has the
//! definitions and how to run it). In short:
//!   churned = t[t['Churn Label'] == 'Yes']
//!   churned.groupby('Churn Reason').agg(customers=size, cltv_lost=CLTV sum); share = customers / len(churned)
//!   the same per 'Churn Category', and per canonical category (Telco's category
//!   mapped, Other refined by the hand label of the reason)
//!   Aalen-Johansen CIF per canonical category over 'Tenure in Months': a
//!   textbook numpy loop, and lifelines' AalenJohansenFitter with censored
//!   times shifted by +0.5 so its tie-breaking jitter cannot change the result.

mod common;

use loyalty_analytics::dataset::CustomerRecord;
use loyalty_analytics::metrics::churn_causes::{
    churn_section, churn_section_with, metric, ChurnOptions, ChurnSection, ChurnSource,
    GroupingKey, RevenueSource, RiskBasis,
};
use loyalty_analytics::metrics::churn_rules::{ChurnCategory, ChurnRules, ReasonOverrides};
use loyalty_analytics::metrics::survival::customer_survival;
use loyalty_analytics::Dataset;
use serde_json::Value;

fn reference() -> Value {
    let path = format!(
        "{}/../../tests/fixtures/churn/churn_reference.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn telco() -> Dataset {
    let mut ds = Dataset::default();
    ds.add_file(
        "ibm_telco_v11_merged.csv",
        &common::read("ibm_telco_v11_merged.csv"),
    )
    .unwrap();
    ds
}

fn section(ds: &Dataset) -> ChurnSection {
    churn_section(ds, &ChurnRules::default(), &ReasonOverrides::default(), 90)
        .expect("a churn section")
}

fn close(a: f64, b: f64, tolerance: f64) {
    assert!((a - b).abs() <= tolerance, "{a} vs {b}");
}

fn category(id: &str) -> ChurnCategory {
    serde_json::from_value(Value::String(id.into())).unwrap()
}

/// (key, customers, share, cltv_lost) rows of a pandas table.
fn rows(table: &Value) -> Vec<(String, u64, f64, f64)> {
    table
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["customers"].as_u64().unwrap(),
                r["share"].as_f64().unwrap(),
                r["cltv_lost"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn counts_shares_and_cltv_lost_equal_pandas() {
    let expected = &reference()["telco"];
    let s = section(&telco());
    assert_eq!(s.source, ChurnSource::CustomerRecords);
    assert_eq!(s.customers, expected["customers"].as_u64().unwrap());
    assert_eq!(s.churned, expected["churned"].as_u64().unwrap());
    assert_eq!(s.revenue_source, Some(RevenueSource::ValueColumn));
    close(
        s.revenue_lost.unwrap(),
        expected["cltv_lost"].as_f64().unwrap(),
        1e-6,
    );

    // Per Churn Reason: every pandas row is ours, and nothing else is.
    let reasons = rows(&expected["reasons"]);
    assert_eq!(s.reasons.len(), reasons.len());
    // 20 reason texts; "Don't know" states no reason (category unknown)
    // and no two of the others are one typo apart: 19 reasons.
    assert_eq!(reasons.len(), 20);
    assert_eq!(s.distinct_reasons, 19);
    for (reason, customers, share, lost) in &reasons {
        let ours = s
            .reasons
            .iter()
            .find(|r| r.reason.as_deref() == Some(reason.as_str()))
            .unwrap_or_else(|| panic!("no row for {reason}"));
        assert_eq!(ours.customers, *customers, "{reason}");
        close(ours.share, *share, 1e-15);
        close(ours.revenue_lost.unwrap(), *lost, 1e-6);
    }
    // Sorted most first, as the Pareto chart draws them; cumulative ends at 1.
    assert!(s
        .reasons
        .windows(2)
        .all(|w| w[0].customers >= w[1].customers));
    assert_eq!(s.reasons.last().unwrap().cumulative_share, 1.0);

    // Per Churn Category, as the file names them.
    let file = rows(&expected["file_categories"]);
    assert_eq!(s.file_categories.len(), file.len());
    for (name, customers, share, lost) in &file {
        let ours = s
            .file_categories
            .iter()
            .find(|r| r.category.as_deref() == Some(name.as_str()))
            .unwrap();
        assert_eq!(ours.customers, *customers, "{name}");
        close(ours.share, *share, 1e-15);
        close(ours.revenue_lost.unwrap(), *lost, 1e-6);
    }

    // Per canonical category.
    let canonical = rows(&expected["canonical"]);
    assert_eq!(s.categories.len(), canonical.len());
    for (id, customers, share, lost) in &canonical {
        let ours = s
            .categories
            .iter()
            .find(|r| r.category == category(id))
            .unwrap();
        assert_eq!(ours.customers, *customers, "{id}");
        close(ours.share, *share, 1e-15);
        close(ours.revenue_lost.unwrap(), *lost, 1e-6);
    }
    close(
        s.controllable_share.unwrap(),
        expected["controllable_share"].as_f64().unwrap(),
        1e-15,
    );
}

#[test]
fn headline_metrics() {
    let expected = &reference()["telco"];
    let s = section(&telco());
    let m = s.headline_metrics();
    let ids: Vec<&str> = m.iter().map(|(id, _)| id.id()).collect();
    assert_eq!(
        ids,
        [
            metric::CHURNED_CUSTOMERS,
            metric::CHURN_REASONS,
            metric::CHURN_TOP_REASON_SHARE,
            metric::CHURN_CONTROLLABLE_SHARE,
            metric::CHURN_REVENUE_LOST
        ]
    );
    let get = |id| m.iter().find(|(k, _)| *k == id).unwrap().1;
    assert_eq!(get(metric::CHURNED_CUSTOMERS), 1869.0);
    // 20 texts less "Don't know", which states no reason.
    assert_eq!(get(metric::CHURN_REASONS), 19.0);
    // pandas: the top reason, "Competitor had better devices", 313 / 1869.
    close(
        get(metric::CHURN_TOP_REASON_SHARE),
        expected["reasons"][0]["share"].as_f64().unwrap(),
        1e-15,
    );
    assert_eq!(get(metric::CHURN_REVENUE_LOST), 7_755_256.0);
    assert!(m.iter().all(|(_, v)| v.is_finite()));
}

/// Reason-level rules against Telco's own category column. The hand labels
/// (telco_reason_labels.tsv) give 1,669 of 1,869 churners (89.3%) a reason
/// category equal to Telco's mapped category (pandas count). The 200 others:
/// "Don't know" (130, unknown vs Other), "Moved" (46) and "Deceased" (6),
/// which Telco files under Other, and "Poor expertise of online support"
/// filed under Other for 18 customers and Dissatisfaction for 13 others.
#[test]
fn reason_rules_agree_with_telco_categories_as_the_hand_labels_do() {
    let expected = &reference()["telco"];
    let rules = ChurnRules::default().compile();
    let labels_path = format!(
        "{}/../../tests/fixtures/churn/telco_reason_labels.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    let labels = std::fs::read_to_string(labels_path).unwrap();
    let mut labelled = 0;
    for line in labels.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let (label, reason) = line.split_once('\t').unwrap();
        assert_eq!(rules.classify(reason), category(label), "{reason}");
        labelled += 1;
    }
    assert_eq!(labelled, 20);

    let ds = telco();
    let churners: Vec<_> = ds
        .customer_records
        .iter()
        .filter(|r| r.churned == Some(true))
        .collect();
    let agree = churners
        .iter()
        .filter(|r| {
            rules.classify(r.reason.as_deref().unwrap())
                == rules.classify(r.category.as_deref().unwrap())
        })
        .count();
    assert_eq!(
        agree as u64,
        expected["reason_label_agrees_with_category"]
            .as_u64()
            .unwrap()
    );
    assert_eq!(churners.len(), 1869);
}

/// The cumulative incidence at 12, 24 and 48 months equals both references
/// (the issue asks for 1e-6; they agree to rounding, 1e-12).
#[test]
fn aalen_johansen_equals_numpy_and_lifelines() {
    let expected = &reference()["telco"];
    let s = section(&telco());
    let risks = s.competing_risks.as_ref().expect("competing risks");
    assert_eq!(risks.without_duration, 0);
    for source in ["cif_textbook", "cif_lifelines_shifted_censoring"] {
        let table = expected[source].as_object().unwrap();
        assert_eq!(table.len(), risks.curves.len());
        for (id, by_month) in table {
            for month in ["12", "24", "48"] {
                let ours = risks
                    .incidence_at(category(id), month.parse().unwrap())
                    .unwrap();
                close(ours, by_month[month].as_f64().unwrap(), 1e-12);
            }
        }
    }
    for month in ["12", "24", "48"] {
        close(
            risks.survival_at(month.parse().unwrap()).unwrap(),
            expected["km_survival"][month].as_f64().unwrap(),
            1e-12,
        );
    }
    // At every time the causes and staying add up to 1, and the survival is
    // the report's Kaplan-Meier curve.
    let km = customer_survival(&telco().customer_records, None).unwrap();
    for (i, &month) in risks.months.iter().enumerate() {
        let total: f64 = risks.curves.iter().map(|c| c.incidence[i]).sum();
        close(total + risks.survival[i], 1.0, 1e-12);
        close(risks.survival[i], km.at(month).unwrap(), 1e-12);
    }
}

#[test]
fn the_reference_distribution_sits_beside_the_users_own() {
    let s = section(&telco());
    assert_eq!(s.reference.len(), 8);
    let row = |c| s.reference.iter().find(|r| r.category == c).unwrap();
    assert_eq!(row(ChurnCategory::Treatment).reference_share, Some(0.68));
    assert_eq!(row(ChurnCategory::Price).reference_share, None);
    close(
        row(ChurnCategory::Competitor).user_share.unwrap(),
        841.0 / 1869.0,
        1e-15,
    );
    let user: f64 = s.reference.iter().filter_map(|r| r.user_share).sum();
    close(user, 1.0, 1e-12);
}

#[test]
fn an_override_moves_a_reason_and_its_customers() {
    // "Don't know" (130 customers, filed by Telco under Other) re-mapped by
    // hand to treatment: the user's word wins over the file's category.
    let mut overrides = ReasonOverrides::default();
    overrides.set("don't KNOW", ChurnCategory::Treatment);
    let s = churn_section(&telco(), &ChurnRules::default(), &overrides, 90).unwrap();
    let count = |c| {
        s.categories
            .iter()
            .find(|r| r.category == c)
            .map_or(0, |r| r.customers)
    };
    assert_eq!(count(ChurnCategory::Treatment), 314 + 130);
    assert_eq!(count(ChurnCategory::Other), 0);
}

/// The tenure band of the call list's profile, by hand (0-6, 6-12, 12-24,
/// 24-48, 48+ months).
fn tenure_band(months: f64) -> u8 {
    match months {
        m if m < 6.0 => 0,
        m if m < 12.0 => 1,
        m if m < 24.0 => 2,
        m if m < 48.0 => 3,
        _ => 4,
    }
}

/// Without a model, each customer's risk is the share who left among the
/// customers of the same profile (tenure band and CSAT level), counted
/// here by brute force over the records, not by the section's code.
#[test]
fn call_list_risk_is_the_share_who_left_among_similar_customers() {
    let ds = telco();
    let s = section(&ds);
    assert!(!s.call_list.is_empty() && s.call_list.len() <= 100);
    assert_eq!(s.call_list_basis, "tenure band, CSAT");
    assert_eq!(s.call_grouping, Some(GroupingKey::Profile));
    let overall = s.churned as f64 / s.customers as f64;
    for pair in s.call_list.windows(2) {
        assert!(pair[0].value_at_risk >= pair[1].value_at_risk);
    }
    let profile = |r: &CustomerRecord| {
        (
            r.tenure_months.map(tenure_band),
            r.csat.map(|c| c.round() as i64),
        )
    };
    for entry in &s.call_list {
        let record = &ds.customer_records[entry.record.unwrap() as usize];
        assert_eq!(record.churned, Some(false));
        assert_eq!(Some(entry.value), record.value);
        assert_eq!(entry.risk_basis, RiskBasis::SimilarCustomers);
        let similar: Vec<&CustomerRecord> = ds
            .customer_records
            .iter()
            .filter(|r| r.churned.is_some() && profile(r) == profile(record))
            .collect();
        assert!(similar.len() >= 20, "a cell of {} customers", similar.len());
        let left = similar.iter().filter(|r| r.churned == Some(true)).count();
        close(entry.risk, left as f64 / similar.len() as f64, 1e-12);
        assert!(entry.risk >= overall);
        close(entry.value_at_risk, entry.value * entry.risk, 1e-9);
        assert!(entry.customer.is_some());
    }
    // Value at stake per category adds up over the categories to the
    // expected loss of every active customer in a large enough segment.
    let at_stake: f64 = s.categories.iter().filter_map(|c| c.value_at_stake).sum();
    assert!(at_stake > 0.0);
}

/// With the CSAT level chosen as the grouping, the value at stake per
/// category equals pandas (churn_reference.py: CLTV of each active customer
/// x the share of their level's customers who left for the category). By
/// pandas, levels 1 and 2 lost everyone and level 3 lost 16.1% (< 26.5%
/// overall), so no active customer is riskier than average: the call list is
/// empty.
#[test]
fn value_at_stake_by_a_chosen_grouping_equals_pandas() {
    let expected = &reference()["telco"];
    let by_csat = |_: usize, r: &CustomerRecord| r.csat.map(|c| format!("CSAT level {c}"));
    let choice = GroupingKey::Column("CSAT level".into());
    let options = ChurnOptions {
        segments: &[("CSAT level", &by_csat)],
        call_grouping: Some(&choice),
        ..ChurnOptions::default()
    };
    let s = churn_section_with(
        &telco(),
        &ChurnRules::default(),
        &ReasonOverrides::default(),
        90,
        options,
    )
    .unwrap();
    assert_eq!(s.call_list_basis, "CSAT level");
    assert_eq!(s.call_grouping, Some(choice));
    assert!(s.call_list.is_empty());
    let at_stake = expected["value_at_stake_by_csat_level"]
        .as_object()
        .unwrap();
    for row in &s.categories {
        let theirs = at_stake.get(row.category.id()).and_then(Value::as_f64);
        match (row.value_at_stake, theirs) {
            (Some(ours), Some(theirs)) => close(ours, theirs, 1e-6),
            (ours, theirs) => assert_eq!(ours, theirs, "{:?}", row.category),
        }
    }
}

/// Unchosen, the grouping that separates leavers best wins: a column that
/// is the churn flag itself separates completely (Cramér's V = 1), an
/// id-like column (a label per customer, every group pooled) not at all.
#[test]
fn the_best_separating_grouping_is_used() {
    let ds = telco();
    let by_flag = |_: usize, r: &CustomerRecord| r.churned.map(|c| format!("flag {c}"));
    let by_row = |i: usize, _: &CustomerRecord| Some(format!("row {i}"));
    let options = ChurnOptions {
        segments: &[("row", &by_row), ("flag", &by_flag)],
        ..ChurnOptions::default()
    };
    let s = churn_section_with(
        &ds,
        &ChurnRules::default(),
        &ReasonOverrides::default(),
        90,
        options,
    )
    .unwrap();
    let v = |key: &GroupingKey| {
        s.call_groupings
            .iter()
            .find(|g| &g.key == key)
            .unwrap()
            .separation
    };
    close(v(&GroupingKey::Column("flag".into())), 1.0, 1e-12);
    close(v(&GroupingKey::Column("row".into())), 0.0, 1e-12);
    assert!(v(&GroupingKey::Profile) > 0.0 && v(&GroupingKey::Profile) < 1.0);
    // It restates who left rather than telling who will: not used.
    assert_eq!(s.call_groupings[0].key, GroupingKey::Column("flag".into()));
    assert!(s.call_groupings[0].restates_churn);
    assert_eq!(s.call_grouping, Some(GroupingKey::Profile));
}

/// With P(alive) from a CLV model, each customer's risk is 1 - P(alive):
/// customers the model sees staying (0.9) are not on the list, those it
/// sees slipping (0.1, risk 0.9) are, by value.
#[test]
fn with_a_model_the_risk_is_one_minus_p_alive() {
    let ds = telco();
    let p_alive: Vec<f64> = (0..ds.customers.len())
        .map(|id| if id % 2 == 0 { 0.9 } else { 0.1 })
        .collect();
    let options = ChurnOptions {
        p_alive: Some(&p_alive),
        ..ChurnOptions::default()
    };
    let rules = ChurnRules::default();
    let overrides = ReasonOverrides::default();
    let with = churn_section_with(&ds, &rules, &overrides, 90, options).unwrap();
    let without = section(&ds);
    assert!(!with.call_list.is_empty());
    for entry in &with.call_list {
        assert_eq!(entry.p_alive, Some(0.1));
        assert_eq!(entry.risk_basis, RiskBasis::Model);
        close(entry.risk, 0.9, 1e-12);
    }
    // The most valuable active customer the model sees slipping heads it.
    let first = ds
        .customer_records
        .iter()
        .filter(|r| r.churned == Some(false) && r.customer.is_some_and(|c| c % 2 == 1))
        .filter_map(|r| Some((r.value?, r.customer?)))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .unwrap();
    assert_eq!(
        with.call_list[0].customer.as_deref(),
        ds.customers.name(first.1)
    );
    // The rest of the section does not depend on the model.
    assert_eq!(with.categories, without.categories);
}

/// The whole analysis groups by the file's own columns (contract, internet
/// service...) as well: the best separating two, crossed, so the list is not
/// one group's figure copied down (issue 22, point 5: every row read
/// "standard · 35.9% · Price").
#[test]
fn the_analysis_call_list_tells_customers_apart() {
    let ds = telco();
    let report = loyalty_analytics::analyse(&ds, &loyalty_analytics::Settings::default()).report;
    let s = report.churn.expect("a churn section");
    assert!(s.call_groupings.len() > 2, "{:?}", s.call_groupings);
    // "Churn Value" is the churn flag again: listed, not used.
    let usable: Vec<_> = s
        .call_groupings
        .iter()
        .filter(|g| !g.restates_churn)
        .collect();
    assert!(s
        .call_groupings
        .iter()
        .any(|g| g.restates_churn && g.key == GroupingKey::Column("Churn Value".into())));
    assert!(usable.iter().all(|g| g.separation <= usable[0].separation));
    assert_eq!(s.call_grouping.as_ref(), Some(&usable[0].key));
    let risks: std::collections::BTreeSet<i64> = s
        .call_list
        .iter()
        .map(|e| (e.risk * 1e6).round() as i64)
        .collect();
    let groups: std::collections::BTreeSet<_> =
        s.call_list.iter().map(|e| e.segment.clone()).collect();
    assert!(risks.len() > 1 && groups.len() > 1, "{risks:?} {groups:?}");
    for pair in s.call_list.windows(2) {
        assert!(pair[0].value_at_risk >= pair[1].value_at_risk);
    }
}
