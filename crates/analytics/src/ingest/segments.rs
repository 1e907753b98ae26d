//! Collecting a file's segment columns while its rows are read (see
//! `crate::segments` for what a segment column is).

use rustc_hash::FxHashMap;

use super::slices::SliceSegment;

use crate::dataset::segments::{
    FileSegment, MAX_NUMERIC_LABELS, MAX_SEGMENT_LABELS, MIN_ROWS_PER_LABEL, NO_SEGMENT,
};

/// Collects the candidate columns of one file while its rows are read, and
/// gives up on a column once it has too many labels.
#[derive(Debug)]
pub(crate) struct SegmentCollector {
    candidates: Vec<Candidate>,
}

#[derive(Debug)]
struct Candidate {
    column: usize,
    name: String,
    index: FxHashMap<String, u16>,
    labels: Vec<String>,
    rows: Vec<u16>,
}

impl SegmentCollector {
    /// `columns`: index and header name of every column without a role.
    pub fn new(columns: impl IntoIterator<Item = (usize, String)>) -> Self {
        SegmentCollector {
            candidates: columns
                .into_iter()
                .map(|(column, name)| Candidate {
                    column,
                    name,
                    index: FxHashMap::default(),
                    labels: Vec::new(),
                    rows: Vec::new(),
                })
                .collect(),
        }
    }

    /// Records the segment cells of one used row.
    pub fn record(&mut self, fields: &[&str]) {
        if self.candidates.is_empty() {
            return;
        }
        self.candidates.retain_mut(|c| {
            let cell = fields.get(c.column).map_or("", |f| super::trim(f));
            let code = if cell.is_empty() {
                NO_SEGMENT
            } else if let Some(&code) = c.index.get(cell) {
                code
            } else if c.labels.len() < MAX_SEGMENT_LABELS {
                let code = c.labels.len() as u16;
                c.index.insert(cell.to_owned(), code);
                c.labels.push(cell.to_owned());
                code
            } else {
                return false;
            };
            c.rows.push(code);
            true
        });
    }

    /// The columns still collected, as they stand (a slice's, to be joined).
    pub fn into_candidates(self) -> Vec<SliceSegment> {
        self.candidates
            .into_iter()
            .map(|c| SliceSegment {
                column: c.column,
                labels: c.labels,
                rows: c.rows,
            })
            .collect()
    }

    /// Joins the columns a later slice collected: a column either gave up
    /// on stays given up, and one whose labels together pass the limit
    /// gives up, as reading the file whole would have; the slice's labels
    /// new here get codes in the order it met them.
    pub fn join(&mut self, slice: Vec<SliceSegment>) {
        self.candidates.retain_mut(|c| {
            let Some(later) = slice.iter().find(|s| s.column == c.column) else {
                return false;
            };
            let mut codes = Vec::with_capacity(later.labels.len());
            for label in &later.labels {
                let code = match c.index.get(label.as_str()) {
                    Some(&code) => code,
                    None if c.labels.len() < MAX_SEGMENT_LABELS => {
                        let code = c.labels.len() as u16;
                        c.index.insert(label.clone(), code);
                        c.labels.push(label.clone());
                        code
                    }
                    None => return false,
                };
                codes.push(code);
            }
            c.rows.extend(later.rows.iter().map(|&r| {
                if r == NO_SEGMENT {
                    r
                } else {
                    codes.get(r as usize).copied().unwrap_or(NO_SEGMENT)
                }
            }));
            true
        });
    }

    /// The columns that stayed within the limits and split the rows at all
    /// (two labels or more).
    pub fn finish(self) -> Vec<FileSegment> {
        self.candidates
            .into_iter()
            .filter(|c| {
                let labelled = c.rows.iter().filter(|&&r| r != NO_SEGMENT).count();
                let numeric = c
                    .labels
                    .iter()
                    .all(|l| l.replace(',', ".").parse::<f64>().is_ok());
                c.labels.len() >= 2
                    && labelled >= MIN_ROWS_PER_LABEL * c.labels.len()
                    && (!numeric || c.labels.len() <= MAX_NUMERIC_LABELS)
            })
            .map(|c| FileSegment {
                name: c.name,
                labels: c.labels,
                rows: c.rows,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{RecordKind, Segments};

    fn collect(rows: &[&[&str]]) -> Vec<FileSegment> {
        let mut collector =
            SegmentCollector::new([(0, "region".to_string()), (1, "name".to_string())]);
        for row in rows {
            collector.record(row);
        }
        collector.finish()
    }

    #[test]
    fn low_cardinality_columns_are_segments_and_blank_cells_have_none() {
        let mut rows: Vec<&[&str]> = vec![&["North", "a"], &["South", "a"], &["", "a"]];
        rows.extend(std::iter::repeat_n(&["North", "a"][..], 20));
        let columns = collect(&rows);
        // "name" has a single label: it splits nothing.
        assert_eq!(columns.len(), 1);
        assert_eq!(columns[0].labels, ["North", "South"]);
        assert_eq!(columns[0].rows[..4], [0, 1, NO_SEGMENT, 0]);
    }

    #[test]
    fn a_column_whose_labels_rarely_repeat_is_not_a_segment() {
        // 30 rows, 3 labels... 10 each: a segment. 29 rows: not.
        let labels = ["a", "b", "c"];
        let column = |n: usize| {
            let rows: Vec<[&str; 1]> = (0..n).map(|i| [labels[i % 3]]).collect();
            let mut collector = SegmentCollector::new([(0, "plan".to_string())]);
            rows.iter().for_each(|r| collector.record(r));
            collector.finish().len()
        };
        assert_eq!(column(30), 1);
        assert_eq!(column(29), 0);
    }

    #[test]
    fn numbers_are_a_segment_only_with_few_values() {
        let column = |values: usize| {
            let mut collector = SegmentCollector::new([(0, "score".to_string())]);
            for i in 0..values * 10 {
                collector.record(&[(i % values).to_string().as_str()]);
            }
            collector.finish().len()
        };
        assert_eq!(column(5), 1, "a 1-5 score splits customers");
        assert_eq!(column(13), 0, "thirteen numbers are a measure");
    }

    #[test]
    fn a_column_with_too_many_labels_is_dropped() {
        let labels: Vec<String> = (0..=MAX_SEGMENT_LABELS).map(|i| i.to_string()).collect();
        let mut collector = SegmentCollector::new([(0, "id".to_string())]);
        for label in &labels {
            collector.record(&[label.as_str()]);
        }
        assert!(collector.finish().is_empty());
    }

    #[test]
    fn files_join_by_column_name_and_pad_rows_without_the_column() {
        let mut segments = Segments::default();
        let file = |labels: &[&str], rows: &[u16]| FileSegment {
            name: "Region".into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            rows: rows.to_vec(),
        };
        segments.append_file(
            RecordKind::Transactions,
            0,
            2,
            vec![file(&["A", "B"], &[0, 1])],
        );
        // A file without the column: its rows get no label.
        segments.append_file(RecordKind::Transactions, 2, 3, vec![]);
        segments.append_file(
            RecordKind::Transactions,
            3,
            5,
            vec![file(&["B", "C"], &[0, 1])],
        );
        let column = &segments.columns[0];
        assert_eq!(column.labels, ["A", "B", "C"]);
        assert_eq!(column.rows, [0, 1, NO_SEGMENT, 1, 2]);
        assert_eq!(column.label(3), Some("B"));
        assert_eq!(column.label(2), None);
    }
}
