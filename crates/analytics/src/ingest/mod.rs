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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

pub use layout::Layout;
pub use roles::{Misfit, RecordKind, Role};
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
    /// A second header line of column descriptions below the header.
    DescriptionRow,
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
            RejectReason::DescriptionRow => "a line of column descriptions below the header",
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
                RejectReason::DescriptionRow => "строка с описанием столбцов под шапкой",
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
    /// The sheet of the line, when several sheets of a workbook were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// The rows of one sheet of a workbook read with others: `rows_read =
/// rows_used + rows_rejected` for each, and their sums are the file's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRows {
    pub sheet: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
}

/// Rejected rows that share a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionGroup {
    pub reason: RejectReason,
    pub count: u64,
    /// The first rows, at most 100.
    pub examples: Vec<RejectedRow>,
}

/// What the reader decided about a column that the user should know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum FileNote {
    /// The column's name suggests `role`, its values do not fit it: the
    /// file was read without that role.
    RoleRefused {
        column: String,
        role: Role,
        misfit: Misfit,
        example: String,
    },
    /// A tenure column read in years (its name says so, or its values are
    /// whole numbers from 0 to 10, as in a bank's "Tenure"): times 12.
    TenureInYears { column: String },
    /// Values of an optional column that could not be read: their rows were
    /// used, these cells left blank.
    CellsLeftBlank {
        column: String,
        role: Role,
        count: u64,
        line: u64,
        value: String,
    },
    /// Sheets of the workbook not read: their header differs from the
    /// first sheet read (or they have none).
    SheetsSkipped { sheets: Vec<String> },
    /// The customer id is made of these columns' cells, joined with a space
    /// (a file with first and last names but no id column, or the user's
    /// choice).
    IdFromColumns { columns: Vec<String> },
}

impl FileNote {
    /// One sentence in `locale`'s language (the page, the report and the CLI).
    pub fn describe_in(&self, locale: crate::display::Locale) -> String {
        use crate::display::Locale;
        match (self, locale) {
            (FileNote::RoleRefused { column, role, misfit, example }, Locale::En) => format!(
                "'{column}' was not read as {}: {} (e.g. '{example}')",
                role.label_in(locale),
                misfit.describe_in(locale)
            ),
            (FileNote::RoleRefused { column, role, misfit, example }, Locale::Ru) => format!(
                "«{column}» не прочитан как «{}»: {} (например, «{example}»)",
                role.label_in(locale),
                misfit.describe_in(locale)
            ),
            (FileNote::TenureInYears { column }, Locale::En) => {
                format!("'{column}' was read as years as a customer (whole numbers from 0 to 10)")
            }
            (FileNote::TenureInYears { column }, Locale::Ru) => {
                format!("«{column}» прочитан как срок в годах (целые числа от 0 до 10)")
            }
            (FileNote::CellsLeftBlank { column, role, count, line, value }, Locale::En) => format!(
                "'{column}' ({}): {count} values could not be read and were left blank (first at line {line}: '{value}')",
                role.label_in(locale)
            ),
            (FileNote::CellsLeftBlank { column, role, count, line, value }, Locale::Ru) => format!(
                "«{column}» ({}): {count} значений не прочитаны и оставлены пустыми (первое в строке {line}: «{value}»)",
                role.label_in(locale)
            ),
            (FileNote::SheetsSkipped { sheets }, Locale::En) => format!(
                "sheets not read, their columns differ from the first sheet's: {} (choose a sheet to read it)",
                quoted(sheets, "'", "'")
            ),
            (FileNote::SheetsSkipped { sheets }, Locale::Ru) => format!(
                "листы не прочитаны, их столбцы не такие, как на первом листе: {} (выберите лист, чтобы прочитать его)",
                quoted(sheets, "«", "»")
            ),
            (FileNote::IdFromColumns { columns }, Locale::En) => format!(
                "the customer id is {} joined with a space",
                quoted(columns, "'", "'").replace(", ", " + ")
            ),
            (FileNote::IdFromColumns { columns }, Locale::Ru) => format!(
                "ID клиента составлен из {} через пробел",
                quoted(columns, "«", "»").replace(", ", " + ")
            ),
        }
    }
}

/// 'a', 'b', 'c'
fn quoted(items: &[String], open: &str, close: &str) -> String {
    items
        .iter()
        .map(|i| format!("{open}{i}{close}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What was read from one file, and what was left out and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub file: String,
    pub kind: RecordKind,
    /// "text", or the workbook format: "xlsx", "xls", "ods".
    pub format: String,
    /// The (first) sheet read, and all the workbook's sheets (empty for text).
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    /// Each sheet read, with its rows (empty for text).
    #[serde(default)]
    pub sheets_read: Vec<SheetRows>,
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
    /// Roles refused by the values, cells left blank.
    #[serde(default)]
    pub notes: Vec<FileNote>,
}

impl FileSummary {
    /// What the file was read as and what each role came from, in one line:
    /// "customers: Customer id ← CustomerID · Churned (yes/no) ← Churn; 14
    /// columns not used". The page, the HTML report and the CLI say it so.
    pub fn read_as(&self, locale: crate::display::Locale) -> String {
        use crate::display::Locale;
        // A customer id made of several columns is said once:
        // "Customer id ← First Name + Last Name".
        let id_columns: Vec<&str> = self
            .columns
            .iter()
            .filter(|c| c.role == Some(Role::CustomerId))
            .map(|c| c.name.as_str())
            .collect();
        let first_id = self
            .columns
            .iter()
            .position(|c| c.role == Some(Role::CustomerId));
        let roles: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c.role {
                Some(Role::CustomerId) if Some(i) != first_id => None,
                Some(Role::CustomerId) => Some(format!(
                    "{} ← {}",
                    Role::CustomerId.label_in(locale),
                    id_columns.join(" + ")
                )),
                Some(r) => Some(format!("{} ← {}", r.label_in(locale), c.name)),
                None => None,
            })
            .collect();
        let unused = self.columns.iter().filter(|c| c.role.is_none()).count();
        let rest = match (unused, locale) {
            (0, _) => String::new(),
            (1, Locale::En) => "; 1 column not used".to_string(),
            (n, Locale::En) => format!("; {n} columns not used"),
            (n, Locale::Ru) => format!("; столбцов не использовано: {n}"),
        };
        format!(
            "{}: {}{rest}",
            self.kind.describe_in(locale),
            roles.join(" · ")
        )
    }
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
            refused: notes
                .iter()
                .map(|n| format!(" {}.", n.describe_in(crate::display::Locale::En)))
                .collect(),
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
    if spreadsheet::is_spreadsheet(&unpacked) {
        let book = spreadsheet::read_sheets(file, &unpacked, chosen_sheets(options).as_deref())?;
        return read_workbook(dataset, file, &book, gzip, options, progress);
    }
    let decoded = match &options.encoding {
        Some(label) => text::decode_as(file, &unpacked, label)?,
        None => text::decode(file, &unpacked)?,
    };
    read_decoded(dataset, file, &decoded, gzip, options, progress)
}

/// The column names a file would be read with (its header's, or "column
/// N"), before any role is given: for choosing columns by name, as the
/// CLI's `--map ROLE=COLUMN` does. For a workbook, those of the first sheet
/// that would be read.
pub fn column_names(
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<Vec<String>, IngestError> {
    let (unpacked, _) = text::unpack(file, bytes)?;
    if spreadsheet::is_spreadsheet(&unpacked) {
        let book = spreadsheet::read_sheets(file, &unpacked, chosen_sheets(options).as_deref())?;
        let first = first_sheet(file, &book, options)?;
        return Ok(shape(file, &book.sheets[first].text, options)?.names);
    }
    let decoded = match &options.encoding {
        Some(label) => text::decode_as(file, &unpacked, label)?,
        None => text::decode(file, &unpacked)?,
    };
    Ok(shape(file, &decoded.text, options)?.names)
}

/// The sheets the user chose (`sheets`, else `sheet`), each once.
fn chosen_sheets(options: &ReadOptions) -> Option<Vec<String>> {
    match (&options.sheets, &options.sheet) {
        (Some(list), _) if !list.is_empty() => {
            let mut chosen: Vec<String> = Vec::with_capacity(list.len());
            for name in list {
                if !chosen.contains(name) {
                    chosen.push(name.clone());
                }
            }
            Some(chosen)
        }
        (_, Some(one)) => Some(vec![one.clone()]),
        _ => None,
    }
}

/// The sheet whose header the others must match: the first with a header
/// and a row (two non-empty rows), else the first chosen.
fn first_sheet(
    file: &str,
    book: &spreadsheet::Workbook,
    options: &ReadOptions,
) -> Result<usize, IngestError> {
    book.sheets
        .iter()
        .position(|s| s.filled >= 2)
        .or_else(|| chosen_sheets(options).map(|_| 0))
        .ok_or_else(|| IngestError::Empty { file: file.into() })
}

/// A workbook's sheets read as one file: the first sheet with data decides
/// the header, roles and formats; every other sheet with the same header
/// (below its own title lines, if any) is read with it, its rows accounted
/// apart; the rest are named in a note.
fn read_workbook(
    dataset: &mut Dataset,
    file: &str,
    book: &spreadsheet::Workbook,
    gzip: bool,
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let first = first_sheet(file, book, options)?;
    let table = prepare(file, &book.sheets[first].text, options)?;
    let mut parts = Vec::with_capacity(book.sheets.len());
    let mut skipped = Vec::new();
    for (i, sheet) in book.sheets.iter().enumerate() {
        if i == first {
            parts.push(Part::first(&table, Some(&sheet.name)));
        } else {
            match other_sheet(&table, &sheet.name, &sheet.text) {
                Some(part) => parts.push(part),
                None => skipped.push(sheet.name.clone()),
            }
        }
    }
    let mut summary = read_parts(
        dataset,
        file,
        &table,
        &parts,
        encoding_rs::UTF_8,
        gzip,
        progress,
    )?;
    summary.format = book.format.into();
    summary.sheet = Some(book.sheets[first].name.clone());
    summary.sheets = book.names.clone();
    if !skipped.is_empty() {
        summary
            .notes
            .push(FileNote::SheetsSkipped { sheets: skipped });
    }
    Ok(summary)
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
    read_decoded(dataset, file, &decoded, false, options, progress)
}

/// The rows of a file's text into `dataset`, with its summary.
fn read_decoded(
    dataset: &mut Dataset,
    file: &str,
    decoded: &text::Decoded<'_>,
    gzip: bool,
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let table = prepare(file, &decoded.text, options)?;
    let parts = [Part::first(&table, None)];
    read_parts(
        dataset,
        file,
        &table,
        &parts,
        decoded.encoding,
        gzip,
        progress,
    )
}

/// One text read with a [`Table`]: the file, or one sheet of a workbook.
struct Part<'a> {
    sheet: Option<&'a str>,
    text: &'a str,
    header_line: Option<u64>,
    /// Title lines above the header, descriptions below it.
    skipped_lines: Vec<(u64, RejectReason)>,
}

impl<'a> Part<'a> {
    /// The text the table was prepared on.
    fn first(table: &Table<'a>, sheet: Option<&'a str>) -> Self {
        Part {
            sheet,
            text: table.text,
            header_line: table.header.as_ref().map(|(line, _)| *line),
            skipped_lines: table.skipped_lines.clone(),
        }
    }
}

/// Another sheet of the workbook, when it has the table's header (the same
/// names, trimmed, in the same order, blank ones at the end aside) within
/// reach of its top: the lines above it are titles, and a line of column
/// descriptions below it is one when the first sheet had one too.
fn other_sheet<'a>(table: &Table<'_>, sheet: &'a str, text: &'a str) -> Option<Part<'a>> {
    let (_, header) = table.header.as_ref()?;
    let names = |fields: &[String]| -> Vec<String> {
        let mut names: Vec<String> = fields.iter().map(|f| text::trim(f).to_string()).collect();
        while names.last().is_some_and(|n| n.is_empty()) {
            names.pop();
        }
        names
    };
    let wanted = names(header);
    let sample = sample_records(text, table.layout);
    let at = sample
        .iter()
        .take(HEADER_SEARCH)
        .position(|r| names(&r.fields) == wanted)?;
    let mut skipped_lines: Vec<(u64, RejectReason)> = sample[..at]
        .iter()
        .map(|r| (r.line, RejectReason::TitleRow))
        .collect();
    let described = table
        .skipped_lines
        .iter()
        .any(|&(_, reason)| reason == RejectReason::DescriptionRow);
    if described
        && sample.len() > at + 2
        && is_description_row(
            &sample[at + 1],
            &profiles(&sample[at + 2..], table.names.len()),
        )
    {
        skipped_lines.push((sample[at + 1].line, RejectReason::DescriptionRow));
    }
    Some(Part {
        sheet: Some(sheet),
        text,
        header_line: Some(sample[at].line),
        skipped_lines,
    })
}

/// The rows of every part into `dataset`, with the file's summary (the
/// caller adds what it knows of a workbook).
fn read_parts(
    dataset: &mut Dataset,
    file: &str,
    table: &Table<'_>,
    parts: &[Part<'_>],
    encoding: &'static encoding_rs::Encoding,
    gzip: bool,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let rows_before = dataset.rows_of(table.kind);
    if table.kind == RecordKind::Transactions {
        // At most one row per line.
        let lines: usize = parts
            .iter()
            .map(|p| text::count_newlines(p.text.as_bytes()) + 1)
            .sum();
        dataset.transactions.reserve(lines);
    }
    let mut accounting = Accounting::default();
    let mut reader = Reader::new(table, dataset);
    let bytes_total: u64 = parts.iter().map(|p| p.text.len() as u64).sum();
    let mut bytes_before = 0;
    let mut sheets_read = Vec::new();
    for part in parts {
        let (read_before, used_before) = (accounting.rows_read, accounting.rows_used);
        // Line numbers restart on each sheet: the examples say which.
        accounting.sheet = part.sheet.filter(|_| parts.len() > 1).map(str::to_string);
        for &(line, reason) in &part.skipped_lines {
            accounting.rows_read += 1;
            accounting.reject(reason, line, "", "");
        }
        let broken = layout::for_each_record(part.text, table.layout, |r| {
            if Some(r.line) == part.header_line
                || part.skipped_lines.iter().any(|&(l, _)| l == r.line)
            {
                return ControlFlow::Continue(());
            }
            accounting.rows_read += 1;
            if accounting.rows_read % PROGRESS_EVERY == 0 {
                progress(ReadProgress {
                    rows_read: accounting.rows_read,
                    bytes_read: bytes_before + r.byte,
                    bytes_total,
                });
            }
            if let Err((reason, column, value)) = screen(table, r.fields) {
                accounting.reject(reason, r.line, column, &value);
            } else {
                reader.line = r.line;
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
        bytes_before += part.text.len() as u64;
        if let Some(sheet) = part.sheet {
            let rows_read = accounting.rows_read - read_before;
            let rows_used = accounting.rows_used - used_before;
            sheets_read.push(SheetRows {
                sheet: sheet.to_string(),
                rows_read,
                rows_used,
                rows_rejected: rows_read - rows_used,
            });
        }
    }
    progress(ReadProgress {
        rows_read: accounting.rows_read,
        bytes_read: bytes_total,
        bytes_total,
    });
    let (returns, returns_value) = reader.returns();
    let customer_ids = reader.customer_ids();
    reader.finish_summaries();
    let segments = reader.take_segments();
    let mut notes = table.notes.clone();
    notes.extend(reader.take_notes());
    let (rows_read, rows_used) = (accounting.rows_read, accounting.rows_used);
    let rejections = accounting.finish(file)?;
    dataset.file_customers.push(customer_ids);
    let rows_after = dataset.rows_of(table.kind);
    dataset
        .segments
        .append_file(table.kind, rows_before, rows_after, segments);
    Ok(FileSummary {
        file: file.into(),
        kind: table.kind,
        format: "text".into(),
        sheet: None,
        sheets: Vec::new(),
        sheets_read,
        encoding: encoding.name().into(),
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
        notes,
    })
}

/// Rows that are not records at all, whatever the kind: blank lines of
/// cells, the header repeated, totals lines, and rows too short to hold the
/// columns the kind needs.
fn screen<'r>(
    table: &'r Table<'_>,
    fields: &[&'r str],
) -> Result<(), (RejectReason, &'r str, Cow<'r, str>)> {
    if is_blank(fields) {
        return Err((RejectReason::BlankRow, "", "".into()));
    }
    if let Some((_, header)) = &table.header {
        if header.len() == fields.len()
            && header.iter().zip(fields).all(|(h, f)| h == text::trim(f))
        {
            return Err((RejectReason::RepeatedHeader, "", "".into()));
        }
    }
    if let Some(id) = table.customer_id(fields).filter(|id| is_totals_label(id)) {
        return Err((RejectReason::TotalsRow, &table.id_name, id));
    }
    // Optional columns missing at the end of a short row read as blank.
    if let Some(&missing) = table.required.iter().find(|&&c| c >= fields.len()) {
        return Err((
            RejectReason::MissingFields,
            &table.names[missing],
            "".into(),
        ));
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
