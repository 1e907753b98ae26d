//! From an exported file's bytes to checked rows: text decoding, layout
//! sniffing, column roles, value parsing, and the accounting of every row
//! (`rows_read = rows_used + rows_rejected`).

mod currency;
mod error_words;
mod layout;
mod records;
mod roles;
mod spreadsheet;
mod text;

mod read;
mod segments;
mod slices;
mod streamed;
mod values;

pub(crate) use text::trim;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

pub use crate::dataset::{
    ColumnInfo, DateFormat, FileNote, FileSummary, Layout, Misfit, RecordKind, RejectReason,
    RejectedRow, RejectionGroup, Role, SheetRows,
};
pub use currency::Currency;
use read::column_list;
pub use read::{column_names, ReadProgress};
pub use slices::{read_slice, slice_start, IdNames, SliceRead, SliceTally};
pub use streamed::read_slice_streamed;
pub use text::{ArrivingFile, FileContent};
pub use values::{parse_amount, parse_amount_with, parse_flag, status_means_churned, DecimalMark};

use crate::{Dataset, IngestError};
use records::Reader;
use roles::ColumnProfile;

/// Records looked at to decide header, roles and date format.
const SAMPLE_RECORDS: usize = 200;
/// How far down a header is looked for, below report titles.
const HEADER_SEARCH: usize = 20;

/// What the user decided in the mapping panel; `None` leaves it to detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// The sheet of a workbook to read.
    pub sheet: Option<String>,
    /// The sheets of a workbook to read together, as one file (wins over
    /// `sheet`); those whose header differs from the first's are noted and
    /// left out. `None`: the first sheet with data and every sheet with
    /// the same header.
    #[serde(default)]
    pub sheets: Option<Vec<String>>,
    /// A WHATWG encoding label ("windows-1251", "koi8-r", "utf-8").
    pub encoding: Option<String>,
    pub has_header: Option<bool>,
    /// The role of each column, by position.
    pub roles: Option<Vec<Option<Role>>>,
    /// How to read every date column.
    pub date_format: Option<DateFormat>,
    /// The decimal mark of amounts and numbers.
    #[serde(default)]
    pub decimal_mark: DecimalMark,
    /// Columns (by position) whose trimmed cells, joined with a space, make
    /// the customer id ("First Name" + "Last Name"); they get no other
    /// role, and no other column is the customer id.
    #[serde(default)]
    pub id_columns: Option<Vec<usize>>,
    /// The currency of the file's amounts, when the file does not say or
    /// says wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
}
/// Data rows shown in the mapping panel's preview.
const PREVIEW_ROWS: usize = 5;
/// Examples kept per rejection reason.
const MAX_EXAMPLES: usize = 100;
/// Longest cell value quoted in an example.
const MAX_EXAMPLE_CHARS: usize = 80;

struct SampledRecord {
    line: u64,
    fields: Vec<String>,
}

fn sample_records(text: &str, layout: Layout) -> Vec<SampledRecord> {
    let mut sample = Vec::new();
    layout::for_each_record(text, layout, |r| {
        if is_blank(r.fields) {
            return ControlFlow::Continue(());
        }
        sample.push(SampledRecord {
            line: r.line,
            fields: r.fields.iter().map(|f| f.to_string()).collect(),
        });
        if sample.len() > SAMPLE_RECORDS {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    sample
}

/// "Итого", "Total", "Grand total", "Всего:" in the id column.
fn is_totals_label(id: &str) -> bool {
    // Every label starts with one of these letters once lower-cased: other
    // ids (numbers above all) need no lower-cased copy. This runs per row.
    if !id.starts_with(['и', 'И', 'в', 'В', 't', 'T', 'g', 'G', 's', 'S']) {
        return false;
    }
    let lower = id.to_lowercase();
    let word = lower.trim_end_matches([':', '.', ' ']);
    [
        "итого",
        "итог",
        "всего",
        "total",
        "totals",
        "grand total",
        "sum",
        "subtotal",
    ]
    .contains(&word)
}

fn is_blank(fields: &[&str]) -> bool {
    fields.iter().all(|f| text::trim(f).is_empty())
}

fn column_values(records: &[SampledRecord], i: usize) -> impl Iterator<Item = &str> + Clone {
    records
        .iter()
        .filter_map(move |r| r.fields.get(i).map(String::as_str))
}

/// Whether a cell holds data (a number or a date) rather than a name.
fn is_typed(cell: &str) -> bool {
    // Numbers and dates are short: the lenient readers find one in a
    // sentence such as "No. of months inactive in the last 12 months".
    let words = cell.split_whitespace().count();
    (words <= 4 && parse_amount(cell).is_some())
        || (cell.len() <= 40
            && cell.split_whitespace().count() <= 5
            && DateFormat::detect([cell], false).is_some())
}

/// A record that can be a header: two or more non-blank cells, none of them
/// a number or a date, nearly all different. A data row that happens to
/// hold a role word ("Churned") has numbers, dates or ids beside it.
fn header_like(fields: &[String]) -> bool {
    let mut cells: Vec<String> = fields
        .iter()
        .map(|f| text::trim(f))
        .filter(|f| !f.is_empty())
        .map(str::to_lowercase)
        .collect();
    if cells.len() < 2 || cells.iter().any(|c| is_typed(c)) {
        return false;
    }
    let all = cells.len();
    cells.sort_unstable();
    cells.dedup();
    cells.len() * 5 >= all * 4
}

/// A first record is a header when it can be one and names a role, or when
/// it has text where the rows below have numbers or dates.
fn is_header(first: &SampledRecord, named_roles: &[Option<Role>], below: &[ColumnProfile]) -> bool {
    (header_like(&first.fields) && named_roles.iter().any(Option::is_some))
        || first.fields.iter().zip(below).any(|(cell, profile)| {
            let typed_below = profile.numeric || profile.date_format.is_some();
            let cell_typed = parse_amount(cell).is_some()
                || profile.date_format.is_some_and(|f| f.parse(cell).is_some());
            typed_below && !cell_typed && !text::trim(cell).is_empty()
        })
}

/// A second header line below the first (column descriptions, units,
/// translations): text in at least two columns whose other rows are numbers
/// or dates, and in at least half of them.
fn is_description_row(row: &SampledRecord, below: &[ColumnProfile]) -> bool {
    if !header_like(&row.fields) {
        return false;
    }
    let typed: Vec<usize> = (0..below.len())
        .filter(|&i| below[i].numeric || below[i].date_format.is_some())
        .collect();
    let texts = typed
        .iter()
        .filter(|&&i| row.fields.get(i).is_some_and(|c| !text::trim(c).is_empty()))
        .count();
    typed.len() >= 2 && texts * 2 >= typed.len()
}

fn clip(value: &str) -> String {
    let value = value.trim();
    match value.char_indices().nth(MAX_EXAMPLE_CHARS) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// A file's shape, decided once from a sample of its records: layout, header,
/// column names and roles, record kind and date formats.
pub(crate) struct Table<'t> {
    pub text: &'t str,
    pub layout: Layout,
    /// The first data rows, for the mapping panel.
    pub preview: Vec<Vec<String>>,
    pub decimal_mark: DecimalMark,
    /// Lines that are not records: titles above the header and a line of
    /// column descriptions below it, rejected as such.
    pub skipped_lines: Vec<(u64, RejectReason)>,
    /// Roles the values refused.
    pub notes: Vec<FileNote>,
    /// The tenure column counts years, not months.
    pub tenure_in_years: bool,
    /// Dates split over a year column and a month column ("Cancellation
    /// Year", "Cancellation Month"): (year column, month column if any).
    pub year_month: Vec<(usize, Option<usize>)>,
    /// Other readings of the main date column that fit as well.
    pub date_alternatives: Vec<DateFormat>,
    pub has_header: bool,
    /// The header record, when there is one: its line and fields (trimmed).
    pub header: Option<(u64, Vec<String>)>,
    pub names: Vec<String>,
    pub roles: Vec<Option<Role>>,
    pub kind: RecordKind,
    /// The date format of each date-like column that has one (by column index).
    pub date_formats: Vec<Option<DateFormat>>,
    /// By role (as an index): the first column with it.
    by_role: Vec<Option<usize>>,
    /// The columns the kind needs ([`screen`]), ascending.
    required: Vec<usize>,
    /// Two or more columns whose cells, joined, make the customer id; empty
    /// when the id is one column.
    id_parts: Vec<usize>,
    /// The customer id's column name, or its parts' names joined by " + ".
    pub id_name: String,
}

/// The first column of each role, indexed by the role.
fn columns_by_role(roles: &[Option<Role>]) -> Vec<Option<usize>> {
    let mut by_role: Vec<Option<usize>> = Vec::new();
    for (c, role) in roles.iter().enumerate() {
        if let Some(role) = role {
            let i = *role as usize;
            if by_role.len() <= i {
                by_role.resize(i + 1, None);
            }
            by_role[i].get_or_insert(c);
        }
    }
    by_role
}

impl Table<'_> {
    /// Everything the reading of a record depends on, as text: two tables
    /// with the same key read every record the same way.
    pub fn reading_key(&self) -> String {
        format!(
            "{:?}",
            (
                (
                    self.layout,
                    self.decimal_mark,
                    self.has_header,
                    &self.header
                ),
                (&self.names, &self.roles, self.kind, &self.date_formats),
                (&self.by_role, &self.required, &self.id_parts, &self.id_name),
                (self.tenure_in_years, &self.year_month),
            )
        )
    }

    /// The first column with `role` (looked up per cell of every row).
    pub fn column(&self, role: Role) -> Option<usize> {
        self.by_role.get(role as usize).copied().flatten()
    }

    /// A record's customer id, trimmed: its cell, or its parts' non-blank
    /// cells joined with a space; `None` when the file has no id, `""` when
    /// the row's id is blank.
    pub fn customer_id<'f>(&self, fields: &[&'f str]) -> Option<Cow<'f, str>> {
        let cell = |c: usize| fields.get(c).map_or("", |f| text::trim(f));
        if self.id_parts.is_empty() {
            return self
                .column(Role::CustomerId)
                .map(|c| Cow::Borrowed(cell(c)));
        }
        let mut id = String::new();
        for part in self.id_parts.iter().map(|&c| cell(c)) {
            if part.is_empty() {
                continue;
            }
            if !id.is_empty() {
                id.push(' ');
            }
            id.push_str(part);
        }
        Some(Cow::Owned(id))
    }
}

/// A file's layout and header, before any role: what [`prepare`] and
/// [`column_names`] share.
struct Shape {
    layout: Layout,
    /// The records sampled from the header (or the first record) on.
    sample: Vec<SampledRecord>,
    skipped_lines: Vec<(u64, RejectReason)>,
    has_header: bool,
    width: usize,
    names: Vec<String>,
}

fn shape(file: &str, text: &str, options: &ReadOptions) -> Result<Shape, IngestError> {
    let layout = layout::sniff(text);
    let mut sample = sample_records(text, layout);
    // Exports often open with a title ("Sales report, Q1") above the header:
    // the header is the first line within reach that can be one and names a
    // record kind.
    let title_rows = if options.has_header == Some(false) {
        0
    } else {
        sample
            .iter()
            .take(HEADER_SEARCH)
            .position(|r| {
                let fields: Vec<&str> = r.fields.iter().map(String::as_str).collect();
                header_like(&r.fields)
                    && RecordKind::of(&roles::roles_from_header_and_names(&fields)).is_some()
            })
            .unwrap_or(0)
    };
    let mut skipped_lines: Vec<(u64, RejectReason)> = sample
        .drain(..title_rows)
        .map(|r| (r.line, RejectReason::TitleRow))
        .collect();
    if sample.is_empty() {
        return Err(IngestError::Empty { file: file.into() });
    }
    let width = sample.iter().map(|r| r.fields.len()).max().unwrap_or(0);
    let header_refs: Vec<&str> = sample[0].fields.iter().map(String::as_str).collect();
    let named_roles = roles::roles_from_header_and_names(&header_refs);
    let below = profiles(&sample[1..], width);
    let has_header = options.has_header.unwrap_or_else(|| {
        title_rows > 0 || (sample.len() > 1 && is_header(&sample[0], &named_roles, &below))
    });
    // Column descriptions under the header (a second header row).
    if has_header
        && sample.len() > 2
        && is_description_row(&sample[1], &profiles(&sample[2..], width))
    {
        skipped_lines.push((sample.remove(1).line, RejectReason::DescriptionRow));
    }
    let first = &sample[0];
    let names: Vec<String> = (0..width)
        .map(|i| match first.fields.get(i).filter(|_| has_header) {
            Some(name) => name
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .to_string(),
            None => format!("column {}", i + 1),
        })
        .collect();
    Ok(Shape {
        layout,
        sample,
        skipped_lines,
        has_header,
        width,
        names,
    })
}

fn profiles(records: &[SampledRecord], width: usize) -> Vec<ColumnProfile> {
    (0..width)
        .map(|i| ColumnProfile::of(column_values(records, i)))
        .collect()
}

/// The columns whose cells make the customer id, in the order they are
/// joined, with `roles` set to match: the user's `id_columns`; else every
/// column the user's roles call the customer id when there are several;
/// else, in a file without an id column, its first, middle and last names.
/// Empty when the id is one column (or none).
fn id_parts(
    file: &str,
    options: &ReadOptions,
    header: &[&str],
    roles: &mut [Option<Role>],
    has_header: bool,
) -> Result<Vec<usize>, IngestError> {
    let width = roles.len();
    let parts: Vec<usize> = match options.id_columns.as_deref() {
        Some(chosen) if !chosen.is_empty() => {
            if let Some(&c) = chosen.iter().find(|&&c| c >= width) {
                return Err(IngestError::NoSuchColumn {
                    file: file.into(),
                    column: c as u64 + 1,
                    columns: width as u64,
                });
            }
            let mut parts: Vec<usize> = Vec::with_capacity(chosen.len());
            for &c in chosen {
                if !parts.contains(&c) {
                    parts.push(c);
                }
            }
            parts
        }
        _ => {
            let marked: Vec<usize> = (0..width)
                .filter(|&c| roles[c] == Some(Role::CustomerId))
                .collect();
            if marked.len() > 1 {
                marked
            } else if marked.is_empty() && has_header && options.roles.is_none() {
                roles::name_columns(header, roles).unwrap_or_default()
            } else {
                Vec::new()
            }
        }
    };
    if !parts.is_empty() {
        for (c, role) in roles.iter_mut().enumerate() {
            if parts.contains(&c) {
                *role = Some(Role::CustomerId);
            } else if *role == Some(Role::CustomerId) {
                *role = None;
            }
        }
    }
    Ok(if parts.len() > 1 { parts } else { Vec::new() })
}

fn prepare<'t>(file: &str, text: &'t str, options: &ReadOptions) -> Result<Table<'t>, IngestError> {
    let Shape {
        layout,
        sample,
        skipped_lines,
        has_header,
        width,
        names,
    } = shape(file, text, options)?;
    let first = &sample[0];
    let header_refs: Vec<&str> = first.fields.iter().map(String::as_str).collect();
    let data_sample = if has_header {
        &sample[1..]
    } else {
        &sample[..]
    };
    let profiles = profiles(data_sample, width);

    let (mut roles, refusals) = if has_header {
        let columns: Vec<Vec<&str>> = (0..width)
            .map(|i| column_values(data_sample, i).collect())
            .collect();
        roles::assign_roles(&header_refs, Some(&columns))
    } else {
        (vec![None; width], Vec::new())
    };
    roles.resize(width, None);
    // Columns the header calls dates may hold plain numbers (Excel serials,
    // Unix times); a column guessed from its values may not.
    let named_dates: Vec<bool> = roles
        .iter()
        .map(|r| {
            matches!(
                r,
                Some(
                    Role::Date
                        | Role::StartDate
                        | Role::EndDate
                        | Role::FirstPurchase
                        | Role::LastPurchase
                )
            )
        })
        .collect();
    let kind_by_header = RecordKind::of(&roles);
    if matches!(kind_by_header, None | Some(RecordKind::Transactions)) {
        roles::fill_roles_from_values(&mut roles, &profiles, &names, has_header);
    }
    if let Some(chosen) = &options.roles {
        roles = chosen.clone();
        roles.resize(width, None);
    }
    let id_parts = id_parts(file, options, &header_refs, &mut roles, has_header)?;
    let notes: Vec<FileNote> = refusals
        .iter()
        .filter(|r| roles.get(r.column) == Some(&None))
        .map(|r| FileNote::RoleRefused {
            column: names[r.column].clone(),
            role: r.role,
            misfit: r.misfit,
            example: clip(&r.example),
        })
        .collect();
    let mut notes = notes;
    if id_parts.len() > 1 {
        notes.push(FileNote::IdFromColumns {
            columns: id_parts.iter().map(|&c| names[c].clone()).collect(),
        });
    }
    let tenure_in_years = roles
        .iter()
        .position(|r| *r == Some(Role::TenureMonths))
        .is_some_and(|c| {
            let counts_years = roles::counts_years(&names[c], column_values(data_sample, c));
            if counts_years {
                notes.push(FileNote::TenureInYears {
                    column: names[c].clone(),
                });
            }
            counts_years
        });
    let Some(kind) = RecordKind::of(&roles) else {
        return Err(IngestError::NoRecognisedColumns {
            file: file.into(),
            found: column_list(&names),
            refused: error_words::refused_columns(&notes),
            columns: names,
            preview: data_sample
                .iter()
                .take(PREVIEW_ROWS)
                .map(|r| r.fields.iter().map(|f| clip(f)).collect())
                .collect(),
        });
    };

    let year_month: Vec<(usize, Option<usize>)> = (0..width)
        .filter(|&i| matches!(roles[i], Some(Role::StartDate | Role::EndDate)))
        .filter_map(|i| roles::year_and_month(&names, i).map(|month| (i, month)))
        .collect();
    let date_formats: Vec<Option<DateFormat>> = (0..width)
        .map(|i| match roles[i] {
            _ if year_month.iter().any(|&(y, _)| y == i) => None,
            Some(
                Role::Date
                | Role::StartDate
                | Role::EndDate
                | Role::FirstPurchase
                | Role::LastPurchase,
            ) => options.date_format.or_else(|| {
                DateFormat::detect(
                    column_values(data_sample, i),
                    named_dates[i] || options.roles.is_some(),
                )
            }),
            _ => None,
        })
        .collect();
    let date_alternatives = match roles.iter().position(|r| *r == Some(Role::Date)) {
        Some(c) if options.date_format.is_none() => DateFormat::alternatives(
            column_values(data_sample, c),
            named_dates[c] || options.roles.is_some(),
        ),
        _ => Vec::new(),
    };
    // A transactions file is nothing without its dates: say which value failed.
    if kind == RecordKind::Transactions {
        let date_col = roles
            .iter()
            .position(|r| *r == Some(Role::Date))
            .unwrap_or(0);
        if date_formats[date_col].is_none() {
            let (line, value) = data_sample
                .iter()
                .find_map(|r| {
                    r.fields
                        .get(date_col)
                        .filter(|v| !v.trim().is_empty())
                        .map(|v| (r.line, clip(v)))
                })
                .unwrap_or((first.line, String::new()));
            return Err(IngestError::UnreadableDates {
                file: file.into(),
                line,
                column: names[date_col].clone(),
                value,
            });
        }
    }
    let preview = data_sample
        .iter()
        .take(PREVIEW_ROWS)
        .map(|r| r.fields.iter().map(|f| clip(f)).collect())
        .collect();
    let by_role = columns_by_role(&roles);
    let required_roles: &[Role] = match kind {
        RecordKind::Transactions => &[
            Role::CustomerId,
            Role::Date,
            Role::Amount,
            Role::Quantity,
            Role::UnitPrice,
        ],
        RecordKind::Summary => &[
            Role::CustomerId,
            Role::Frequency,
            Role::Recency,
            Role::T,
            Role::FirstPurchase,
            Role::LastPurchase,
            Role::PurchaseCount,
        ],
        RecordKind::Customers => &[Role::CustomerId],
        RecordKind::SurveyAnswers => &[],
    };
    let mut required: Vec<usize> = required_roles
        .iter()
        .filter_map(|&r| by_role.get(r as usize).copied().flatten())
        .collect();
    required.sort_unstable();
    let id_name = if id_parts.is_empty() {
        by_role
            .get(Role::CustomerId as usize)
            .copied()
            .flatten()
            .map_or_else(String::new, |c| names[c].clone())
    } else {
        id_parts
            .iter()
            .map(|&c| names[c].as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    Ok(Table {
        by_role,
        required,
        id_parts,
        id_name,
        text,
        layout,
        preview,
        decimal_mark: options.decimal_mark,
        skipped_lines,
        notes,
        tenure_in_years,
        year_month,
        date_alternatives,
        has_header,
        // Trimmed once: every row is compared with it.
        header: has_header.then(|| {
            let trimmed = first.fields.iter().map(|f| f.trim().to_string());
            (first.line, trimmed.collect())
        }),
        names,
        roles,
        kind,
        date_formats,
    })
}

/// Counts every row as used or rejected, keeping up to 100 examples per reason.
#[derive(Default)]
pub(crate) struct Accounting {
    pub rows_read: u64,
    pub rows_used: u64,
    /// The sheet the rows come from, when a workbook's sheets are read together.
    pub sheet: Option<String>,
    groups: BTreeMap<RejectReason, RejectionGroup>,
}

impl Accounting {
    pub fn reject(&mut self, reason: RejectReason, line: u64, column: &str, value: &str) {
        let group = self.groups.entry(reason).or_insert_with(|| RejectionGroup {
            reason,
            count: 0,
            examples: Vec::new(),
        });
        group.count += 1;
        if group.examples.len() < MAX_EXAMPLES {
            group.examples.push(RejectedRow {
                line,
                column: column.to_string(),
                value: clip(value),
                sheet: self.sheet.clone(),
            });
        }
    }

    /// Rows read and used, and the rejection groups (a slice's, to be joined).
    pub fn into_parts(self) -> (u64, u64, Vec<RejectionGroup>) {
        (
            self.rows_read,
            self.rows_used,
            self.groups.into_values().collect(),
        )
    }

    /// Adds a later slice's counts; its examples follow the ones kept (up
    /// to the limit), their lines shifted by `lines_before`.
    pub fn join(&mut self, slice: &SliceTally, lines_before: u64) {
        self.rows_read += slice.rows_read;
        self.rows_used += slice.rows_used;
        for later in &slice.rejections {
            let group = self
                .groups
                .entry(later.reason)
                .or_insert_with(|| RejectionGroup {
                    reason: later.reason,
                    count: 0,
                    examples: Vec::new(),
                });
            group.count += later.count;
            let room = MAX_EXAMPLES.saturating_sub(group.examples.len());
            group
                .examples
                .extend(later.examples.iter().take(room).map(|e| RejectedRow {
                    line: e.line + lines_before,
                    ..e.clone()
                }));
        }
    }

    /// The rejection groups, or the error for a file none of whose rows could be used.
    fn finish(self, file: &str) -> Result<Vec<RejectionGroup>, IngestError> {
        let rejections: Vec<RejectionGroup> = self.groups.into_values().collect();
        if self.rows_used > 0 {
            return Ok(rejections);
        }
        let first_problem = rejections
            .iter()
            .filter_map(|g| g.examples.first().map(|e| (g.reason, e)))
            .min_by_key(|(_, e)| e.line);
        Err(match first_problem {
            Some((RejectReason::UnreadableDate, e)) if rejections.len() == 1 => {
                IngestError::UnreadableDates {
                    file: file.into(),
                    line: e.line,
                    column: e.column.clone(),
                    value: e.value.clone(),
                }
            }
            Some((reason, e)) => IngestError::NoUsableRows {
                file: file.into(),
                rows: self.rows_read,
                line: e.line,
                column: e.column.clone(),
                reason: error_words::reject_reason(reason),
            },
            None => IngestError::Empty { file: file.into() },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_lists_in_messages_stay_short() {
        let names: Vec<String> = ["Order ID", "", ""].iter().map(|s| s.to_string()).collect();
        assert_eq!(column_list(&names), "Order ID, and 2 more, 2 of them blank");
        let many: Vec<String> = (1..=25).map(|i| format!("c{i}")).collect();
        let listed = column_list(&many);
        assert!(
            listed.starts_with("c1, c2,") && listed.ends_with("c20, and 5 more"),
            "{listed}"
        );
        let few: Vec<String> = vec!["a".into(), "b".into()];
        assert_eq!(column_list(&few), "a, b");
    }

    #[test]
    fn totals_labels_in_any_case_and_nothing_else() {
        for label in [
            "Итого",
            "ИТОГО:",
            "итог.",
            "Всего",
            "ВСЕГО: ",
            "Total",
            "TOTALS",
            "Grand Total",
            "SUM",
            "Subtotal",
            "sum:",
        ] {
            assert!(is_totals_label(label), "{label}");
        }
        for id in [
            "", "123", "C0001", "t1", "Totally", "summary", "всё", ":", "gross",
        ] {
            assert!(!is_totals_label(id), "{id}");
        }
    }
}
