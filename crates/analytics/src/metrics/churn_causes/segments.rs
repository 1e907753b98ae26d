//! Who leaves: churn per segment.

use rustc_hash::FxHashMap;

use crate::dataset::CustomerRecord;
use crate::metrics::churn_rules::ChurnCategory;
use crate::Dataset;

use super::book::ChurnBook;
use super::revenue::MaybeSum;
use super::section::SegmentRow;
use super::share;

/// Segment labels of the entries as small ids: `ids` parallel to
/// `book.entries` (`None` = no segment), `names[id]` the label.
#[derive(Default)]
pub(super) struct SegmentLabels {
    pub(super) ids: Vec<Option<u32>>,
    pub(super) names: Vec<String>,
}

impl SegmentLabels {
    /// Labels from any text per entry, each distinct text stored once.
    pub(super) fn from_texts(texts: impl Iterator<Item = Option<String>>) -> SegmentLabels {
        let mut index: FxHashMap<String, u32> = FxHashMap::default();
        let mut out = SegmentLabels::default();
        for text in texts {
            let id = text.map(|t| match index.get(&t) {
                Some(&id) => id,
                None => {
                    let id = out.names.len() as u32;
                    out.names.push(t.clone());
                    index.insert(t, id);
                    id
                }
            });
            out.ids.push(id);
        }
        out
    }
}

/// Churn per segment, indexed by segment id (unsorted).
pub(super) fn segment_stats(book: &ChurnBook, labels: &SegmentLabels) -> Vec<SegmentRow> {
    let mut rows: Vec<(SegmentRow, MaybeSum)> = labels
        .names
        .iter()
        .map(|name| {
            (
                SegmentRow {
                    segment: name.clone(),
                    customers: 0,
                    churned: 0,
                    churn_share: 0.0,
                    categories: vec![0; ChurnCategory::ALL.len()],
                    revenue_lost: None,
                },
                MaybeSum::default(),
            )
        })
        .collect();
    for (e, id) in book.entries.iter().zip(&labels.ids) {
        let Some((row, lost)) = id.and_then(|id| rows.get_mut(id as usize)) else {
            continue;
        };
        row.customers += 1;
        if e.churned {
            row.churned += 1;
            row.categories[e.category.index()] += 1;
            lost.add(e.revenue());
        }
    }
    rows.into_iter()
        .map(|(mut row, lost)| {
            row.churn_share = share(row.churned, row.customers);
            row.revenue_lost = lost.get();
            row
        })
        .collect()
}

/// [`segment_stats`] sorted by customers, most first, then by name; empty
/// segments left out.
fn segment_rows(book: &ChurnBook, labels: &SegmentLabels) -> Vec<SegmentRow> {
    let mut out: Vec<SegmentRow> = segment_stats(book, labels)
        .into_iter()
        .filter(|r| r.customers > 0)
        .collect();
    out.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| a.segment.cmp(&b.segment))
    });
    out
}

/// Churn per segment of the customers-file records (`segment_of` reads a
/// plan, region or contract column). Customers inferred from transactions
/// have no record and no segment here: use [`churn_by_customer_segment`].
pub fn churn_by_segment<F>(dataset: &Dataset, book: &ChurnBook, segment_of: F) -> Vec<SegmentRow>
where
    F: Fn(usize, &CustomerRecord) -> Option<String>,
{
    let labels = SegmentLabels::from_texts(book.entries.iter().map(|e| {
        let i = e.record()? as usize;
        segment_of(i, dataset.customer_records.get(i)?)
    }));
    segment_rows(book, &labels)
}

/// Churn per segment given per interned customer id (`labels[id]`), for
/// segments that come from transactions (channel, first product) or elsewhere.
pub fn churn_by_customer_segment(book: &ChurnBook, labels: &[Option<String>]) -> Vec<SegmentRow> {
    let per_entry = SegmentLabels::from_texts(book.entries.iter().map(|e| {
        e.customer()
            .and_then(|c| labels.get(c as usize))
            .and_then(Clone::clone)
    }));
    segment_rows(book, &per_entry)
}
