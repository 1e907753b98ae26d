//! Segment columns as the dataset keeps them: per record kind, one code
//! per row (collected by `segments` while a file is read).

use serde::{Deserialize, Serialize};

use super::RecordKind;

/// More distinct labels than this in one file and a column is not a segment
/// (the collector stops recording it there, so ids cost little).
pub const MAX_SEGMENT_LABELS: usize = 500;

/// A segment's labels repeat: rows per label, on average, at least this.
pub const MIN_ROWS_PER_LABEL: usize = 10;

/// A column of numbers is a segment only with this many labels or fewer
/// (plan tiers, a 1-5 score); more are a measure (age, charges, a score).
pub const MAX_NUMERIC_LABELS: usize = 12;

/// The code of a row whose cell is blank, or whose file has no such column.
pub const NO_SEGMENT: u16 = u16::MAX;

/// One segment column over all rows of one record kind, joined by name
/// across files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentColumn {
    /// The header as written in the file.
    pub name: String,
    pub kind: RecordKind,
    /// Distinct labels; a row's code indexes this.
    pub labels: Vec<String>,
    /// One code per row of the kind's table (`Transactions`, survey answers,
    /// customer records), [`NO_SEGMENT`] for none.
    pub rows: Vec<u16>,
}

impl SegmentColumn {
    /// The label of row `row`, if it has one.
    pub fn label(&self, row: usize) -> Option<&str> {
        let code = *self.rows.get(row)?;
        self.labels.get(code as usize).map(String::as_str)
    }
}

/// All segment columns of a dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Segments {
    pub columns: Vec<SegmentColumn>,
}

impl Segments {
    /// The segment columns of one record kind.
    pub fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = &SegmentColumn> {
        self.columns.iter().filter(move |c| c.kind == kind)
    }

    pub fn find(&self, kind: RecordKind, name: &str) -> Option<&SegmentColumn> {
        self.of_kind(kind).find(|c| c.name == name)
    }

    /// Keeps the rows of `kind` whose `keep` is true, in every column of
    /// that kind (as the kind's table is filtered by the same mask).
    pub(crate) fn keep_rows(&mut self, kind: RecordKind, keep: &[bool]) {
        for column in self.columns.iter_mut().filter(|c| c.kind == kind) {
            column.rows = column
                .rows
                .iter()
                .zip(keep)
                .filter(|(_, &k)| k)
                .map(|(&code, _)| code)
                .collect();
        }
    }

    /// Appends one file's columns (`rows_before` rows of `kind` existed
    /// before the file, `rows_after` after), then pads every column of the
    /// kind so that each has one code per row.
    pub(crate) fn append_file(
        &mut self,
        kind: RecordKind,
        rows_before: usize,
        rows_after: usize,
        file_columns: Vec<FileSegment>,
    ) {
        for file_column in file_columns {
            let position = self
                .columns
                .iter()
                .position(|c| c.kind == kind && c.name == file_column.name);
            let column = match position {
                Some(i) => &mut self.columns[i],
                None => {
                    self.columns.push(SegmentColumn {
                        name: file_column.name.clone(),
                        kind,
                        labels: Vec::new(),
                        rows: vec![NO_SEGMENT; rows_before],
                    });
                    self.columns.last_mut().expect("just pushed")
                }
            };
            column.rows.resize(rows_before, NO_SEGMENT);
            // The file's codes become the joined column's codes.
            let recode: Vec<u16> = file_column
                .labels
                .iter()
                .map(
                    |label| match column.labels.iter().position(|l| l == label) {
                        Some(i) => i as u16,
                        None if column.labels.len() < NO_SEGMENT as usize => {
                            column.labels.push(label.clone());
                            (column.labels.len() - 1) as u16
                        }
                        None => NO_SEGMENT,
                    },
                )
                .collect();
            column.rows.extend(
                file_column
                    .rows
                    .iter()
                    .map(|&code| recode.get(code as usize).copied().unwrap_or(NO_SEGMENT)),
            );
        }
        for column in self.columns.iter_mut().filter(|c| c.kind == kind) {
            column.rows.resize(rows_after, NO_SEGMENT);
        }
    }
}

/// A segment column of one file, as the reader collects it.
#[derive(Debug, Clone)]
pub(crate) struct FileSegment {
    pub name: String,
    pub labels: Vec<String>,
    pub rows: Vec<u16>,
}
