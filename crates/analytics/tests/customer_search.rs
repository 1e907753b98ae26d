//! The CLV page's customer search: without regard to case, by the start of
//! the id, an exact id first.

use loyalty_analytics::models::section::{find_customers, SEARCH_MATCHES};
use loyalty_analytics::models::{ClvAnalysis, ClvSettings};
use loyalty_analytics::Dataset;

fn ids(names: &[&str], query: &str) -> Vec<u32> {
    find_customers(names.iter().enumerate().map(|(i, n)| (i as u32, *n)), query)
}

#[test]
fn case_and_prefix() {
    let names = ["C0628", "C0629", "c0630", "C1000", "A0628"];
    assert_eq!(ids(&names, "c0628"), vec![0]);
    assert_eq!(ids(&names, " C0628 "), vec![0]);
    // Three ids start with "c06", in id order.
    assert_eq!(ids(&names, "c06"), vec![0, 1, 2]);
    assert_eq!(ids(&names, "C06"), vec![0, 1, 2]);
    // A prefix of the middle is not a match.
    assert_eq!(ids(&names, "0628"), Vec::<u32>::new());
    assert_eq!(ids(&names, ""), Vec::<u32>::new());
}

#[test]
fn an_exact_id_wins_over_ids_it_starts() {
    // "ab" is an id and the start of "abc": the exact one alone.
    assert_eq!(ids(&["abc", "ab", "AB"], "ab"), vec![1]);
    // Ids equal but for case come before those the query only starts.
    assert_eq!(ids(&["abc", "AB"], "ab"), vec![1]);
}

#[test]
fn the_card_offers_the_first_few_matches() {
    let mut text = String::from("customer_id,date,amount\n");
    for c in 0..12 {
        text.push_str(&format!("C06{c:02},2023-01-{:02},10\n", c + 1));
        text.push_str(&format!("C06{c:02},2023-03-{:02},12\n", c + 1));
    }
    text.push_str("D0001,2023-01-05,7\n");
    let mut ds = Dataset::default();
    ds.add_file("t.csv", text.as_bytes()).unwrap();
    let analysis = ClvAnalysis::new(&ds, &ClvSettings::default());

    let one = analysis.customer(&ds, "c0603").unwrap();
    assert_eq!(one.customer, "C0603");
    assert!(one.matches.is_empty());

    let many = analysis.customer(&ds, "c06").unwrap();
    assert_eq!(many.customer, "C0600");
    let expected: Vec<String> = (0..SEARCH_MATCHES).map(|c| format!("C06{c:02}")).collect();
    assert_eq!(many.matches, expected);

    assert!(analysis.customer(&ds, "c07").is_none());
    assert_eq!(analysis.customer(&ds, "d").unwrap().customer, "D0001");
}
