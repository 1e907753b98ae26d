//! Value at stake: each active customer's value shared out by the reasons
//! their group's leavers gave; and the groupings the call list chooses from.

use rustc_hash::FxHashMap;

use crate::dataset::CustomerRecord;
use crate::metrics::churn_rules::ChurnCategory;
use crate::Dataset;

use super::book::{ChurnBook, ChurnEntry};
use super::call_list::{call_list, CallList, Grouping, GroupingKey};
use super::revenue::MaybeSum;
use super::section::ChurnOptions;
use super::segments::{segment_stats, SegmentLabels};
use super::{share, MIN_SEGMENT_CUSTOMERS};

/// The segment of an entry for the call list when the caller gives none:
/// tenure band, CSAT and had-problem flag, whichever the data has. Built as
/// a small key so 200k customers need no label text each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Profile {
    tenure_band: Option<u8>,
    csat: Option<i64>,
    had_problem: Option<bool>,
}

const TENURE_BANDS: [&str; 5] = [
    "tenure < 6 m",
    "tenure 6-12 m",
    "tenure 12-24 m",
    "tenure 24-48 m",
    "tenure 48+ m",
];

impl Profile {
    fn of(entry: &ChurnEntry, record: Option<&CustomerRecord>) -> Option<Profile> {
        let profile = Profile {
            tenure_band: entry.tenure_months().map(|m| match m {
                m if m < 6.0 => 0,
                m if m < 12.0 => 1,
                m if m < 24.0 => 2,
                m if m < 48.0 => 3,
                _ => 4,
            }),
            // CSAT scales are small whole numbers; a rounded value is a level.
            csat: record
                .and_then(|r| r.csat)
                .filter(|c| c.is_finite() && c.abs() < 1e9)
                .map(|c| c.round() as i64),
            had_problem: record.and_then(|r| r.had_problem),
        };
        (profile.tenure_band.is_some() || profile.csat.is_some() || profile.had_problem.is_some())
            .then_some(profile)
    }

    fn name(self) -> String {
        let mut parts: Vec<String> = Vec::with_capacity(3);
        if let Some(band) = self.tenure_band {
            parts.push(TENURE_BANDS[usize::from(band).min(4)].to_string());
        }
        if let Some(csat) = self.csat {
            parts.push(format!("CSAT {csat}"));
        }
        if let Some(problem) = self.had_problem {
            parts.push(
                if problem {
                    "had a problem"
                } else {
                    "no problem"
                }
                .to_string(),
            );
        }
        parts.join(" · ")
    }
}

impl SegmentLabels {
    fn profiles(book: &ChurnBook, dataset: &Dataset) -> SegmentLabels {
        let mut index: FxHashMap<Profile, u32> = FxHashMap::default();
        let mut out = SegmentLabels::default();
        out.ids.reserve(book.entries.len());
        for e in book.entries.iter() {
            let record = e
                .record()
                .and_then(|i| dataset.customer_records.get(i as usize));
            let id = Profile::of(&e, record).map(|p| {
                *index.entry(p).or_insert_with(|| {
                    out.names.push(p.name());
                    out.names.len() as u32 - 1
                })
            });
            out.ids.push(id);
        }
        out
    }
}

/// The most frequent known category among a segment's churners (counts
/// parallel to [`ChurnCategory::ALL`]; ties to the earlier category): what
/// to ask about on the call. `unknown` when no churner's category is known.
pub(super) fn likely_category(counts: &[u64]) -> ChurnCategory {
    ChurnCategory::ALL
        .iter()
        .filter(|c| c.is_specific() || **c == ChurnCategory::Other)
        .filter_map(|c| Some((*c, *counts.get(c.index())?)))
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(c, n)| (*n, std::cmp::Reverse(c.index())))
        .map_or(ChurnCategory::Unknown, |(c, _)| c)
}

pub(super) struct AtStake {
    pub(super) per_category: [MaybeSum; ChurnCategory::ALL.len()],
    pub(super) calls: CallList,
    pub(super) basis: String,
}

/// The profile's parts the data has, as named on the page.
fn profile_basis(book: &ChurnBook, dataset: &Dataset) -> String {
    let records = || {
        book.entries
            .iter()
            .filter_map(|e| dataset.customer_records.get(e.record()? as usize))
    };
    let mut parts = Vec::new();
    if book.entries.iter().any(|e| e.tenure_months().is_some()) {
        parts.push("tenure band");
    }
    if records().any(|r| r.csat.is_some()) {
        parts.push("CSAT");
    }
    if records().any(|r| r.had_problem.is_some()) {
        parts.push("had a problem");
    }
    parts.join(", ")
}

/// Every grouping the call list may use: the customers-file columns given,
/// then the profile when the data has any part of it.
pub(super) fn groupings(
    book: &ChurnBook,
    dataset: &Dataset,
    options: &ChurnOptions<'_>,
) -> Vec<Grouping> {
    let mut out: Vec<Grouping> = options
        .segments
        .iter()
        .map(|(name, f)| {
            let labels = SegmentLabels::from_texts(book.entries.iter().map(|e| {
                let i = e.record()? as usize;
                f(i, dataset.customer_records.get(i)?)
            }));
            Grouping {
                key: GroupingKey::Column(name.to_string()),
                stats: segment_stats(book, &labels),
                labels,
            }
        })
        .collect();
    let profile = SegmentLabels::profiles(book, dataset);
    if profile.ids.iter().any(Option::is_some) {
        out.push(Grouping {
            key: GroupingKey::Profile,
            stats: segment_stats(book, &profile),
            labels: profile,
        });
    }
    out
}

pub(super) fn value_at_stake(
    book: &ChurnBook,
    dataset: &Dataset,
    options: ChurnOptions<'_>,
) -> AtStake {
    let groupings = groupings(book, dataset, &options);
    let calls = call_list(book, dataset, &groupings, options);
    let used = calls
        .used
        .as_ref()
        .and_then(|k| groupings.iter().find(|g| &g.key == k));
    let describe = |k: &GroupingKey| match k {
        GroupingKey::Profile => profile_basis(book, dataset),
        GroupingKey::Column(name) => name.clone(),
    };
    let basis = match (&calls.used, calls.crossed.as_ref()) {
        (Some(a), Some(b)) => format!("{}, {}", describe(a), describe(b)),
        (Some(a), None) => describe(a),
        _ => String::new(),
    };
    // Each active customer's value shared out by their group's reasons.
    let mut per_category = [MaybeSum::default(); ChurnCategory::ALL.len()];
    if let Some(g) = used {
        for (e, id) in book.entries.iter().zip(&g.labels.ids) {
            let (false, Some(value), Some(id)) = (e.churned, e.revenue(), id) else {
                continue;
            };
            let Some(segment) = g
                .stats
                .get(*id as usize)
                .filter(|s| s.customers >= MIN_SEGMENT_CUSTOMERS)
            else {
                continue;
            };
            for (sum, &count) in per_category.iter_mut().zip(&segment.categories) {
                if count > 0 {
                    sum.add(Some(value * share(count, segment.customers)));
                }
            }
        }
    }
    AtStake {
        per_category,
        calls,
        basis,
    }
}
