//! The default churn-reason rules against reasons labelled by hand (by
//! reading them, before and independently of the classifier):
//! tests/fixtures/churn/hand_labelled_reasons.tsv (62 RU/EN reasons, in view
//! while the rules were written) and held_out_reasons.tsv (26 reasons written
//! before the rules and never used to tune them). Run with `--nocapture` to
//! see each miss.

use loyalty_analytics::metrics::churn_rules::{ChurnCategory, ChurnRules, ReasonOverrides};

fn fixture(name: &str) -> Vec<(ChurnCategory, String)> {
    let path = format!(
        "{}/../../tests/fixtures/churn/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            let (label, reason) = l.split_once('\t').expect("label<TAB>reason");
            let category: ChurnCategory =
                serde_json::from_value(serde_json::Value::String(label.to_string()))
                    .unwrap_or_else(|_| panic!("unknown label {label}"));
            (category, reason.to_string())
        })
        .collect()
}

/// Share of the fixture's reasons the default rules put where the hand label does.
fn accuracy(name: &str) -> (usize, usize) {
    let rules = ChurnRules::default().compile();
    let cases = fixture(name);
    let mut right = 0;
    for (label, reason) in &cases {
        let got = rules.classify(reason);
        if got == *label {
            right += 1;
        } else {
            println!("{name}: {reason:?} -> {got:?}, labelled {label:?}");
        }
    }
    println!("{name}: {right}/{} right", cases.len());
    (right, cases.len())
}

#[test]
fn hand_labelled_reasons_are_classified_at_least_90_percent_right() {
    let (right, total) = accuracy("hand_labelled_reasons.tsv");
    assert!(total >= 40, "{total} cases");
    // Every category is represented, in both languages.
    let cases = fixture("hand_labelled_reasons.tsv");
    for c in ChurnCategory::ALL {
        assert!(cases.iter().any(|(l, _)| *l == c), "no {c:?} case");
    }
    assert!(cases
        .iter()
        .any(|(_, r)| r.chars().any(|c| ('а'..='я').contains(&c))));
    // Stated: 62/62 (100%) right; the assertion keeps the floor.
    assert!(right as f64 / total as f64 >= 0.9, "{right}/{total}");
    assert_eq!((right, total), (62, 62));
}

#[test]
fn held_out_reasons_are_classified_at_least_90_percent_right() {
    let (right, total) = accuracy("held_out_reasons.tsv");
    assert!(right as f64 / total as f64 >= 0.9, "{right}/{total}");
    // Stated: 25/26 (96%). The miss, "никто не отвечал на звонки и письма"
    // (nobody answered calls or letters), has no treatment keyword; it is
    // left unfixed so this figure stays an honest out-of-sample one.
    assert_eq!((right, total), (25, 26));
}

#[test]
fn an_override_wins_over_the_rules_and_round_trips_as_json() {
    let mut overrides = ReasonOverrides::default();
    overrides.set("Price too high", ChurnCategory::Treatment);
    let json = serde_json::to_string(&overrides).unwrap();
    let back: ReasonOverrides = serde_json::from_str(&json).unwrap();
    assert_eq!(back, overrides);
    let rules: ChurnRules =
        serde_json::from_str(&serde_json::to_string(&ChurnRules::default()).unwrap()).unwrap();
    assert_eq!(rules, ChurnRules::default());
}
