//! "Distinct reasons" counts what the leavers said, not how they typed it;
//! a file whose leavers state no reason has no reason charts to draw.

use loyalty_analytics::metrics::churn_causes::churn_section;
use loyalty_analytics::metrics::churn_rules::{ChurnRules, ReasonOverrides};
use loyalty_analytics::Dataset;

fn section(csv: &str) -> loyalty_analytics::metrics::churn_causes::ChurnSection {
    let mut ds = Dataset::default();
    ds.add_file("customers.csv", csv.as_bytes()).unwrap();
    churn_section(&ds, &ChurnRules::default(), &ReasonOverrides::default(), 90).unwrap()
}

#[test]
fn case_spaces_and_typos_do_not_make_a_new_reason() {
    let s = section(
        "\
customer_id,start date,end date,churn reason
a,2023-01-10,2023-03-05,Too expensive
b,2023-01-15,2023-03-20,too  EXPENSIVE
c,2023-02-01,2023-05-10,Too expensiv
d,2023-02-01,2023-05-10,Moved to another city
e,2023-03-01,2023-05-31,moved to anothr city
f,2023-03-01,2023-05-31,Unknown
g,2023-03-01,2023-05-31,
",
    );
    // By hand: "too expensive" (three spellings: case, spaces, a dropped
    // letter), "moved to another city" (two); "Unknown" and a blank say
    // nothing. Two reasons.
    assert_eq!(s.distinct_reasons, 2);
    assert!(s.has_stated_reasons());
    // The reasons table still lists each spelling group the core found.
    assert!(s
        .reasons
        .iter()
        .any(|r| r.reason.as_deref() == Some("Unknown")));
}

#[test]
fn leavers_without_a_reason_have_no_reason_charts() {
    let s = section(
        "\
customer_id,start date,end date,churn reason
a,2023-01-10,2023-03-05,
b,2023-01-15,2023-03-20,unknown
c,2023-02-01,,
",
    );
    assert_eq!(s.churned, 2);
    assert_eq!(s.distinct_reasons, 0);
    assert!(!s.has_stated_reasons());
}
