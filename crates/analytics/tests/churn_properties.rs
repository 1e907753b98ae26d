//! Invariants of the churn-cause figures over generated customers files,
//! reasons and durations.

use loyalty_analytics::metrics::churn_causes::{churn_section, ChurnSection};
use loyalty_analytics::metrics::churn_rules::{
    CategoryRule, ChurnCategory, ChurnRules, ReasonOverrides,
};
use loyalty_analytics::metrics::competing_risks::aalen_johansen;
use loyalty_analytics::Dataset;
use proptest::prelude::*;

fn reason_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Price too high", "price TOO high", "Слишком дорого", "ушёл к конкуренту",
            "Moved", "переехал", "rude staff", "Don't know", "", "???", "app crashes",
        ])
        .prop_map(str::to_string),
        1 => "[a-zа-яё ]{0,12}",
    ]
}

fn category_cell() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", "Competitor", "Other", "Price", "Attitude", "n/a"])
        .prop_map(str::to_string)
}

/// churned, reason, category, CLTV, tenure in months.
type Row = (bool, String, String, Option<u32>, Option<u8>);

fn row() -> impl Strategy<Value = Row> {
    (
        any::<bool>(),
        reason_cell(),
        category_cell(),
        prop::option::of(0u32..10_000),
        prop::option::of(0u8..72),
    )
}

fn customers_csv(rows: &[Row]) -> String {
    let mut text =
        String::from("customer_id,churn label,churn reason,churn category,cltv,tenure in months\n");
    for (i, (churned, reason, category, value, tenure)) in rows.iter().enumerate() {
        let opt = |v: Option<String>| v.unwrap_or_default();
        text.push_str(&format!(
            "c{i},{},\"{reason}\",{category},{},{}\n",
            if *churned { "Yes" } else { "No" },
            opt(value.map(|v| v.to_string())),
            opt(tenure.map(|t| t.to_string())),
        ));
    }
    text
}

fn section_of(text: &str, overrides: &ReasonOverrides) -> Option<ChurnSection> {
    let mut ds = Dataset::default();
    ds.add_file("customers.csv", text.as_bytes()).ok()?;
    churn_section(&ds, &ChurnRules::default(), overrides, 90)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

proptest! {
    #[test]
    fn shares_add_up_and_pareto_lines_end_at_one(rows in prop::collection::vec(row(), 1..60)) {
        let Some(s) = section_of(&customers_csv(&rows), &ReasonOverrides::default()) else {
            return Ok(());
        };
        let churned = rows.iter().filter(|r| r.0).count() as u64;
        prop_assert_eq!(s.churned, churned);
        prop_assert_eq!(s.customers, rows.len() as u64);
        if churned == 0 {
            prop_assert!(s.reasons.is_empty() && s.categories.is_empty());
            return Ok(());
        }
        // Every churner is in exactly one reason row and one category row.
        prop_assert_eq!(s.reasons.iter().map(|r| r.customers).sum::<u64>(), churned);
        prop_assert_eq!(s.categories.iter().map(|r| r.customers).sum::<u64>(), churned);
        prop_assert!(close(s.reasons.iter().map(|r| r.share).sum(), 1.0));
        prop_assert!(close(s.categories.iter().map(|r| r.share).sum(), 1.0));
        for cumulative in [
            s.reasons.iter().map(|r| r.cumulative_share).collect::<Vec<_>>(),
            s.categories.iter().map(|r| r.cumulative_share).collect(),
        ] {
            prop_assert!(cumulative.windows(2).all(|w| w[0] <= w[1]));
            prop_assert_eq!(cumulative.last().copied(), Some(1.0));
        }
        prop_assert!(s.reasons.windows(2).all(|w| w[0].customers >= w[1].customers));
        let known: f64 = s.reference.iter().filter_map(|r| r.user_share).sum();
        prop_assert!(known == 0.0 || close(known, 1.0));
        if let Some(c) = s.controllable_share {
            prop_assert!((0.0..=1.0).contains(&c));
        }
        for (_, v) in s.headline_metrics() {
            prop_assert!(v.is_finite());
        }
        // Plain data: the JSON the report carries comes back equal.
        let json = serde_json::to_string(&s).unwrap();
        let back: ChurnSection = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn overrides_move_whole_reasons(rows in prop::collection::vec(row(), 1..40)) {
        let mut overrides = ReasonOverrides::default();
        overrides.set("PRICE too high", ChurnCategory::Death);
        let Some(s) = section_of(&customers_csv(&rows), &overrides) else {
            return Ok(());
        };
        let expected = rows
            .iter()
            .filter(|r| r.0 && r.1.eq_ignore_ascii_case("price too high"))
            .count() as u64;
        let death = s
            .categories
            .iter()
            .find(|c| c.category == ChurnCategory::Death)
            .map_or(0, |c| c.customers);
        // Nothing else in the pool is a death.
        prop_assert_eq!(death, expected);
    }

    #[test]
    fn incidence_and_survival_add_up_to_one(
        observations in prop::collection::vec(
            (0u16..100, prop::option::of(prop::sample::select(ChurnCategory::ALL.to_vec()))),
            0..80,
        )
    ) {
        let obs: Vec<(f64, Option<ChurnCategory>)> = observations
            .iter()
            .map(|(t, c)| (f64::from(*t) / 4.0, *c))
            .collect();
        let risks = aalen_johansen(obs);
        prop_assert_eq!(risks.months.len(), risks.survival.len());
        for (i, s) in risks.survival.iter().enumerate() {
            let total: f64 = risks.curves.iter().map(|c| c.incidence[i]).sum();
            prop_assert!(close(total + s, 1.0), "{} + {} at {}", total, s, risks.months[i]);
            prop_assert!((0.0..=1.0 + 1e-12).contains(s));
        }
        for curve in &risks.curves {
            prop_assert!(curve.incidence.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn any_text_gets_exactly_one_category_without_panicking(
        text in "\\PC{0,40}",
        keywords in prop::collection::vec("\\PC{0,8}", 0..6),
    ) {
        let defaults = ChurnRules::default().compile();
        let first = defaults.classify(&text);
        prop_assert_eq!(defaults.classify(&text), first);
        prop_assert!(ChurnCategory::ALL.contains(&first));
        // User-edited rules with arbitrary keywords (blank, markers only, ...).
        let edited = ChurnRules {
            rules: vec![CategoryRule { category: ChurnCategory::Price, keywords }],
            refine_other_by_reason: false,
        };
        let _ = edited.classify(&text);
        if text.chars().all(|c| !c.is_alphanumeric()) {
            prop_assert_eq!(first, ChurnCategory::Unknown);
        }
    }
}
