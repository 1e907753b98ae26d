//! From an exported file's bytes to checked rows: text decoding, layout
//! sniffing, column roles, value parsing, and the accounting of every row
//! (`rows_read = rows_used + rows_rejected`).

mod layout;
mod records;
mod roles;
mod spreadsheet;
mod text;

pub(crate) use text::trim;
mod values;

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

pub use layout::Layout;
pub use roles::{RecordKind, Role};
pub use text::{ArrivingFile, FileContent};
pub use values::{
    parse_amount, parse_amount_with, parse_flag, status_means_churned, DateFormat, DecimalMark,
};

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
}
/// Data rows shown in the mapping panel's preview.
const PREVIEW_ROWS: usize = 5;
/// Examples kept per rejection reason.
const MAX_EXAMPLES: usize = 100;
/// Longest cell value quoted in an example.
const MAX_EXAMPLE_CHARS: usize = 80;

/// A column as the reader understood it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub role: Option<Role>,
}

/// Why a row was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// Every cell is empty (spreadsheets export these below the data).
    BlankRow,
    /// The header line again (files glued together, report pages).
    RepeatedHeader,
    /// A "Total" / "Итого" line summing the rows above.
    TotalsRow,
    /// The row is shorter than the columns it needs.
    MissingFields,
    /// The text could not be split into fields (e.g. an unclosed quote).
    BrokenRecord,
    MissingCustomerId,
    UnreadableDate,
    UnreadableAmount,
    /// A survey answer without any score.
    MissingScore,
    /// A score that is not on its scale (NPS: whole numbers 0-10).
    ScoreOutOfRange,
    /// A number the analysis needs (frequency, tenure, value) cannot be read.
    UnreadableNumber,
    /// A report title or note above the header line.
    TitleRow,
}

impl RejectReason {
    pub fn describe(self) -> &'static str {
        match self {
            RejectReason::BlankRow => "the row is empty",
            RejectReason::RepeatedHeader => "the header line is repeated",
            RejectReason::TotalsRow => "a totals line, not a transaction",
            RejectReason::MissingFields => "the row has fewer fields than the header",
            RejectReason::BrokenRecord => "the row cannot be split into fields",
            RejectReason::MissingCustomerId => "the customer id is blank",
            RejectReason::UnreadableDate => "the date cannot be read",
            RejectReason::UnreadableAmount => "the amount is not a number",
            RejectReason::MissingScore => "the answer has no score",
            RejectReason::ScoreOutOfRange => "the score is not on its scale (NPS: 0 to 10)",
            RejectReason::UnreadableNumber => "a number cannot be read",
            RejectReason::TitleRow => "a title line above the header",
        }
    }

    /// [`RejectReason::describe`] in `locale`'s language (the page and the
    /// HTML report both say it this way).
    pub fn describe_in(self, locale: crate::display::Locale) -> &'static str {
        match locale {
            crate::display::Locale::En => self.describe(),
            crate::display::Locale::Ru => match self {
                RejectReason::BlankRow => "пустая строка",
                RejectReason::RepeatedHeader => "повтор строки заголовка",
                RejectReason::TotalsRow => "строка итогов, а не транзакция",
                RejectReason::MissingFields => "в строке меньше полей, чем в заголовке",
                RejectReason::BrokenRecord => "строку не удалось разбить на поля",
                RejectReason::MissingCustomerId => "пустой идентификатор клиента",
                RejectReason::UnreadableDate => "дату не удалось прочитать",
                RejectReason::UnreadableAmount => "сумма не является числом",
                RejectReason::MissingScore => "в ответе нет оценки",
                RejectReason::ScoreOutOfRange => "оценка вне шкалы (NPS: от 0 до 10)",
                RejectReason::UnreadableNumber => "число не удалось прочитать",
                RejectReason::TitleRow => "строка заголовка отчёта над шапкой",
            },
        }
    }
}

/// One rejected row: where, and the offending value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    pub line: u64,
    pub column: String,
    pub value: String,
}

/// Rejected rows that share a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionGroup {
    pub reason: RejectReason,
    pub count: u64,
    /// The first rows, at most 100.
    pub examples: Vec<RejectedRow>,
}

/// What was read from one file, and what was left out and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub file: String,
    pub kind: RecordKind,
    /// "text", or the workbook format: "xlsx", "xls", "ods".
    pub format: String,
    /// The sheet read, and all the workbook's sheets (empty for text).
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    /// The character encoding the text was read in ("UTF-8", "windows-1251", ...).
    pub encoding: String,
    /// The file was gzip-compressed.
    pub gzip: bool,
    pub layout: Layout,
    pub has_header: bool,
    /// How the main date column was read; `None` when the file has none.
    pub date_format: Option<DateFormat>,
    pub columns: Vec<ColumnInfo>,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub rejections: Vec<RejectionGroup>,
    /// Used transaction rows with a negative amount: returns and
    /// cancellations. They lower revenue and never count as purchases.
    pub returns: u64,
    /// Their total (negative, or 0).
    pub returns_value: f64,
    /// Distinct customer ids in the file's used rows.
    pub customers: u64,
    /// Of those, ids also found in another loaded file (set by the report
    /// when several files are loaded).
    pub customers_matched: Option<u64>,
    /// Alternative readings of the date column that fit the data as well as
    /// the one chosen (03/04/2024: March 4 or April 3): the user should pick.
    pub date_alternatives: Vec<DateFormat>,
    /// The first data rows as read (cells clipped), for the mapping panel.
    pub preview: Vec<Vec<String>>,
}

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

/// A first record is a header when it names a role, or when it has text where
/// the rows below have numbers or dates.
fn is_header(first: &SampledRecord, named_roles: &[Option<Role>], below: &[ColumnProfile]) -> bool {
    named_roles.iter().any(Option::is_some)
        || first.fields.iter().zip(below).any(|(cell, profile)| {
            let typed_below = profile.numeric || profile.date_format.is_some();
            let cell_typed = parse_amount(cell).is_some()
                || profile.date_format.is_some_and(|f| f.parse(cell).is_some());
            typed_below && !cell_typed
        })
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
    /// Lines above the header (report titles), rejected as such.
    pub title_lines: Vec<u64>,
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
    /// The first column with `role` (looked up per cell of every row).
    pub fn column(&self, role: Role) -> Option<usize> {
        self.by_role.get(role as usize).copied().flatten()
    }
}

fn prepare<'t>(file: &str, text: &'t str, options: &ReadOptions) -> Result<Table<'t>, IngestError> {
    let layout = layout::sniff(text);
    let mut sample = sample_records(text, layout);
    // Exports often open with a title ("Sales report, Q1") above the header:
    // the header is the first line within reach that names a record kind.
    let title_rows = if options.has_header == Some(false) {
        0
    } else {
        sample
            .iter()
            .take(HEADER_SEARCH)
            .position(|r| {
                let fields: Vec<&str> = r.fields.iter().map(String::as_str).collect();
                RecordKind::of(&roles::roles_from_header(&fields)).is_some()
            })
            .unwrap_or(0)
    };
    let title_lines: Vec<u64> = sample.drain(..title_rows).map(|r| r.line).collect();
    let Some(first) = sample.first() else {
        return Err(IngestError::Empty { file: file.into() });
    };
    let width = sample.iter().map(|r| r.fields.len()).max().unwrap_or(0);
    let profile = |records: &[SampledRecord]| -> Vec<ColumnProfile> {
        (0..width)
            .map(|i| ColumnProfile::of(column_values(records, i)))
            .collect()
    };

    let header_fields: Vec<&str> = first.fields.iter().map(String::as_str).collect();
    let named_roles = roles::roles_from_header(&header_fields);
    let below = if sample.len() > 1 {
        profile(&sample[1..])
    } else {
        profile(&[])
    };
    let has_header = options.has_header.unwrap_or_else(|| {
        title_rows > 0 || (sample.len() > 1 && is_header(first, &named_roles, &below))
    });
    let data_sample = if has_header {
        &sample[1..]
    } else {
        &sample[..]
    };
    let profiles = if has_header {
        below
    } else {
        profile(data_sample)
    };

    let mut roles = if has_header {
        named_roles
    } else {
        vec![None; width]
    };
    roles.resize(width, None);
    // Columns the header calls dates may hold plain numbers (Excel serials,
    // Unix times); a column guessed from its values may not.
    let named_dates: Vec<bool> = roles
        .iter()
        .map(|r| matches!(r, Some(Role::Date | Role::StartDate | Role::EndDate)))
        .collect();
    let kind_by_header = RecordKind::of(&roles);
    if matches!(kind_by_header, None | Some(RecordKind::Transactions)) {
        roles::fill_roles_from_values(&mut roles, &profiles, has_header);
    }
    if let Some(chosen) = &options.roles {
        roles = chosen.clone();
        roles.resize(width, None);
    }
    let names: Vec<String> = (0..width)
        .map(|i| match first.fields.get(i).filter(|_| has_header) {
            Some(name) => name.trim().to_string(),
            None => format!("column {}", i + 1),
        })
        .collect();
    let Some(kind) = RecordKind::of(&roles) else {
        return Err(IngestError::NoRecognisedColumns {
            file: file.into(),
            found: column_list(&names),
        });
    };

    let date_formats: Vec<Option<DateFormat>> = (0..width)
        .map(|i| match roles[i] {
            Some(Role::Date | Role::StartDate | Role::EndDate) => {
                options.date_format.or_else(|| {
                    DateFormat::detect(
                        column_values(data_sample, i),
                        named_dates[i] || options.roles.is_some(),
                    )
                })
            }
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
        RecordKind::Summary => &[Role::CustomerId, Role::Frequency, Role::Recency, Role::T],
        RecordKind::Customers => &[Role::CustomerId],
        RecordKind::SurveyAnswers => &[],
    };
    let mut required: Vec<usize> = required_roles
        .iter()
        .filter_map(|&r| by_role.get(r as usize).copied().flatten())
        .collect();
    required.sort_unstable();
    Ok(Table {
        by_role,
        required,
        text,
        layout,
        preview,
        decimal_mark: options.decimal_mark,
        title_lines,
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
            });
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
                reason: reason.describe().into(),
            },
            None => IngestError::Empty { file: file.into() },
        })
    }
}

/// How far the reading of one file has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadProgress {
    pub rows_read: u64,
    /// Bytes of (decoded, unpacked) text read so far, and in all.
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 1 << 16;

/// Reads one exported file of any kind and appends its usable rows to
/// `dataset`. The caller ([`Dataset::add_file`]) rolls the rows back on error.
pub(crate) fn read_file(
    dataset: &mut Dataset,
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let (unpacked, gzip) = text::unpack(file, bytes)?;
    let (decoded, format, sheet) = if spreadsheet::is_spreadsheet(&unpacked) {
        let spreadsheet::Sheet {
            format,
            names,
            chosen,
            text,
        } = spreadsheet::read_sheet(file, &unpacked, options.sheet.as_deref())?;
        let decoded = text::Decoded {
            text: std::borrow::Cow::Owned(text),
            encoding: encoding_rs::UTF_8,
        };
        (decoded, format, Some((chosen, names)))
    } else {
        let decoded = match &options.encoding {
            Some(label) => text::decode_as(file, &unpacked, label)?,
            None => text::decode(file, &unpacked)?,
        };
        (decoded, "text", None)
    };
    read_decoded(
        dataset, file, &decoded, format, sheet, gzip, options, progress,
    )
}

/// [`read_file`] of text decoded while the file arrived ([`ArrivingFile`]).
pub(crate) fn read_text(
    dataset: &mut Dataset,
    file: &str,
    text: &str,
    encoding: &'static encoding_rs::Encoding,
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let decoded = text::Decoded {
        text: std::borrow::Cow::Borrowed(text),
        encoding,
    };
    read_decoded(
        dataset, file, &decoded, "text", None, false, options, progress,
    )
}

/// The rows of a file's text into `dataset`, with its summary.
#[allow(clippy::too_many_arguments)]
fn read_decoded(
    dataset: &mut Dataset,
    file: &str,
    decoded: &text::Decoded<'_>,
    format: &str,
    sheet: Option<(String, Vec<String>)>,
    gzip: bool,
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let table = prepare(file, &decoded.text, options)?;
    let rows_before = dataset.rows_of(table.kind);
    if table.kind == RecordKind::Transactions {
        // At most one row per line.
        let lines = text::count_newlines(table.text.as_bytes()) + 1;
        dataset.transactions.reserve(lines);
    }
    let mut accounting = Accounting::default();
    let mut reader = Reader::new(&table, dataset);
    let header_line = table.header.as_ref().map(|(line, _)| *line);
    for &line in &table.title_lines {
        accounting.rows_read += 1;
        accounting.reject(RejectReason::TitleRow, line, "", "");
    }
    let title_lines = &table.title_lines;
    let bytes_total = table.text.len() as u64;
    let broken = layout::for_each_record(table.text, table.layout, |r| {
        if Some(r.line) == header_line || title_lines.contains(&r.line) {
            return ControlFlow::Continue(());
        }
        accounting.rows_read += 1;
        if accounting.rows_read % PROGRESS_EVERY == 0 {
            progress(ReadProgress {
                rows_read: accounting.rows_read,
                bytes_read: r.byte,
                bytes_total,
            });
        }
        if let Err((reason, column, value)) = screen(&table, r.fields) {
            accounting.reject(reason, r.line, column, value);
        } else {
            match reader.read(r.fields) {
                Ok(()) => accounting.rows_used += 1,
                Err(rejection) => accounting.reject(
                    rejection.reason,
                    r.line,
                    &rejection.column,
                    &rejection.value,
                ),
            }
        }
        ControlFlow::Continue(())
    });
    for line in broken {
        accounting.rows_read += 1;
        accounting.reject(RejectReason::BrokenRecord, line, "", "");
    }
    progress(ReadProgress {
        rows_read: accounting.rows_read,
        bytes_read: bytes_total,
        bytes_total,
    });
    let (returns, returns_value) = reader.returns();
    let customer_ids = reader.customer_ids();
    let segments = reader.take_segments();
    let (rows_read, rows_used) = (accounting.rows_read, accounting.rows_used);
    let rejections = accounting.finish(file)?;
    dataset.file_customers.push(customer_ids);
    let rows_after = dataset.rows_of(table.kind);
    dataset
        .segments
        .append_file(table.kind, rows_before, rows_after, segments);
    let (sheet, sheets) = sheet.map_or((None, Vec::new()), |(chosen, names)| (Some(chosen), names));
    Ok(FileSummary {
        file: file.into(),
        kind: table.kind,
        format: format.into(),
        sheet,
        sheets,
        encoding: decoded.encoding.name().into(),
        gzip,
        layout: table.layout,
        has_header: table.has_header,
        date_format: table.column(Role::Date).and_then(|c| table.date_formats[c]),
        columns: table
            .names
            .iter()
            .zip(&table.roles)
            .map(|(name, role)| ColumnInfo {
                name: name.clone(),
                role: *role,
            })
            .collect(),
        rows_read,
        rows_used,
        rows_rejected: rows_read - rows_used,
        rejections,
        returns,
        returns_value,
        customers: dataset
            .file_customers
            .last()
            .map_or(0, |ids| ids.len() as u64),
        customers_matched: None,
        date_alternatives: table.date_alternatives.clone(),
        preview: table.preview.clone(),
    })
}

/// Rows that are not records at all, whatever the kind: blank lines of
/// cells, the header repeated, totals lines, and rows too short to hold the
/// columns the kind needs.
fn screen<'r>(
    table: &'r Table<'_>,
    fields: &[&'r str],
) -> Result<(), (RejectReason, &'r str, &'r str)> {
    if is_blank(fields) {
        return Err((RejectReason::BlankRow, "", ""));
    }
    if let Some((_, header)) = &table.header {
        if header.len() == fields.len()
            && header.iter().zip(fields).all(|(h, f)| h == text::trim(f))
        {
            return Err((RejectReason::RepeatedHeader, "", ""));
        }
    }
    if let Some(id_col) = table.column(Role::CustomerId) {
        if let Some(id) = fields
            .get(id_col)
            .filter(|id| is_totals_label(text::trim(id)))
        {
            return Err((RejectReason::TotalsRow, &table.names[id_col], id));
        }
    }
    // Optional columns missing at the end of a short row read as blank.
    if let Some(&missing) = table.required.iter().find(|&&c| c >= fields.len()) {
        return Err((RejectReason::MissingFields, &table.names[missing], ""));
    }
    Ok(())
}

/// The header names for a message: the non-empty ones, at most 20, then
/// how many more there are (a sheet with thousands of blank columns would
/// otherwise fill the screen).
fn column_list(names: &[String]) -> String {
    const LISTED_COLUMNS: usize = 20;
    let named: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_empty())
        .collect();
    let mut list = named[..named.len().min(LISTED_COLUMNS)].join(", ");
    let more = names.len() - named.len().min(LISTED_COLUMNS);
    if more > 0 {
        let sep = if list.is_empty() { "" } else { ", " };
        list.push_str(&format!("{sep}and {more} more"));
        if named.len() < names.len() {
            list.push_str(&format!(", {} of them blank", names.len() - named.len()));
        }
    }
    list
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
