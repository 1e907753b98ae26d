//! Value at stake and who to call first: active customers in segments that
//! leave more than the rest.

use rustc_hash::FxHashMap;

use crate::dataset::CustomerRecord;
use crate::metrics::churn_rules::ChurnCategory;
use crate::Dataset;

use super::book::{ChurnBook, ChurnEntry};
use super::revenue::MaybeSum;
use super::section::{CallEntry, ChurnOptions};
use super::segments::{segment_stats, SegmentLabels};
use super::{share, CALL_LIST_LIMIT, MIN_SEGMENT_CUSTOMERS};

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
            tenure_band: entry.tenure_months.map(|m| match m {
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
        for e in &book.entries {
            let record = e
                .record
                .and_then(|i| dataset.customer_records.get(i as usize));
            let id = Profile::of(e, record).map(|p| {
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

/// An active customer on the way to the call list.
struct Candidate {
    entry: usize,
    segment: u32,
    value: f64,
    value_at_risk: f64,
    p_alive: Option<f64>,
}

/// The most frequent known category among a segment's churners (counts
/// parallel to [`ChurnCategory::ALL`]; ties to the earlier category): what
/// to ask about on the call. `unknown` when no churner's category is known.
fn likely_category(counts: &[u64]) -> ChurnCategory {
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
    pub(super) call_list: Vec<CallEntry>,
    pub(super) basis: String,
}

pub(super) fn value_at_stake(
    book: &ChurnBook,
    dataset: &Dataset,
    options: ChurnOptions<'_>,
) -> AtStake {
    let record_of = |e: &ChurnEntry| {
        e.record
            .and_then(|i| dataset.customer_records.get(i as usize))
    };
    let labels = match options.segment_of {
        Some(f) => SegmentLabels::from_texts(book.entries.iter().map(|e| {
            let i = e.record? as usize;
            f(i, dataset.customer_records.get(i)?)
        })),
        None => SegmentLabels::profiles(book, dataset),
    };
    let basis = if options.segment_of.is_some() {
        "segment".to_string()
    } else {
        let records = || book.entries.iter().filter_map(record_of);
        let mut parts = Vec::new();
        if book.entries.iter().any(|e| e.tenure_months.is_some()) {
            parts.push("tenure band");
        }
        if records().any(|r| r.csat.is_some()) {
            parts.push("CSAT");
        }
        if records().any(|r| r.had_problem.is_some()) {
            parts.push("had a problem");
        }
        parts.join(", ")
    };
    let segments = segment_stats(book, &labels);
    let overall = share(book.churned().count() as u64, book.entries.len() as u64);

    let mut per_category = [MaybeSum::default(); ChurnCategory::ALL.len()];
    let mut candidates: Vec<Candidate> = Vec::new();
    for (i, (e, id)) in book.entries.iter().zip(&labels.ids).enumerate() {
        let (false, Some(value), Some(id)) = (e.churned, e.revenue, id) else {
            continue;
        };
        let Some(segment) = segments
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
        let p_alive = match (options.p_alive, e.customer) {
            (Some(p), Some(c)) => p.get(c as usize).copied().filter(|p| p.is_finite()),
            _ => None,
        };
        if segment.churn_share <= overall || p_alive.is_some_and(|p| p >= 0.5) {
            continue;
        }
        candidates.push(Candidate {
            entry: i,
            segment: *id,
            value,
            value_at_risk: value * segment.churn_share,
            p_alive,
        });
    }
    // Only the first CALL_LIST_LIMIT become entries with their texts: a
    // large base has tens of thousands of candidates.
    let order = |a: &Candidate, b: &Candidate| {
        b.value_at_risk
            .total_cmp(&a.value_at_risk)
            .then(b.value.total_cmp(&a.value))
            .then(a.entry.cmp(&b.entry))
    };
    if candidates.len() > CALL_LIST_LIMIT {
        candidates.select_nth_unstable_by(CALL_LIST_LIMIT, order);
        candidates.truncate(CALL_LIST_LIMIT);
    }
    candidates.sort_unstable_by(order);
    let calls = candidates
        .iter()
        .filter_map(|c| {
            let e = book.entries.get(c.entry)?;
            let segment = segments.get(c.segment as usize)?;
            Some(CallEntry {
                customer: e
                    .customer
                    .and_then(|id| dataset.customers.name(id))
                    .map(str::to_string),
                record: e.record.map(u64::from),
                value: c.value,
                segment: segment.segment.clone(),
                segment_churn_share: segment.churn_share,
                likely_category: likely_category(&segment.categories),
                p_alive: c.p_alive,
                value_at_risk: c.value_at_risk,
            })
        })
        .collect();
    AtStake {
        per_category,
        call_list: calls,
        basis,
    }
}
