//! From an exported file's bytes to checked rows: text decoding, layout
//! sniffing, column roles, value parsing, and the accounting of every row
//! (`rows_read = rows_used + rows_rejected`).

mod layout;
mod roles;
mod text;
mod values;

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

pub use layout::Layout;
pub use roles::Role;
pub use values::{parse_amount, DateFormat};

use crate::{Dataset, IngestError};
use roles::ColumnProfile;

/// Records looked at to decide header, roles and date format.
const SAMPLE_RECORDS: usize = 200;
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
    /// The character encoding the text was read in ("UTF-8", "windows-1251", ...).
    pub encoding: String,
    /// The file was gzip-compressed.
    pub gzip: bool,
    pub layout: Layout,
    pub has_header: bool,
    pub date_format: DateFormat,
    pub columns: Vec<ColumnInfo>,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub rejections: Vec<RejectionGroup>,
    /// Used rows with a negative amount: returns and cancellations. They
    /// lower revenue and never count as purchases.
    pub returns: u64,
    /// Their total (negative, or 0).
    pub returns_value: f64,
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
    fields.iter().all(|f| f.trim().is_empty())
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

/// Reads a transactions export and appends its usable rows to `dataset`.
/// The caller ([`Dataset::add_file`]) rolls the rows back on error.
pub(crate) fn read_transactions(
    dataset: &mut Dataset,
    file: &str,
    bytes: &[u8],
) -> Result<FileSummary, IngestError> {
    let (unpacked, gzip) = text::unpack(file, bytes)?;
    let decoded = text::decode(file, &unpacked)?;
    let text: &str = &decoded.text;
    let layout = layout::sniff(text);
    let sample = sample_records(text, layout);
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
    let has_header = sample.len() > 1 && is_header(first, &named_roles, &below);
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

    let mut column_roles = if has_header {
        named_roles
    } else {
        vec![None; width]
    };
    column_roles.resize(width, None);
    // A column the header calls a date may hold plain numbers (Excel serials,
    // Unix times); a column guessed from its values may not.
    let named_date = column_roles.iter().position(|r| *r == Some(Role::Date));
    roles::fill_roles_from_values(&mut column_roles, &profiles, has_header);
    let names: Vec<String> = (0..width)
        .map(|i| match first.fields.get(i).filter(|_| has_header) {
            Some(name) => name.trim().to_string(),
            None => format!("column {}", i + 1),
        })
        .collect();

    let find = |role: Role| column_roles.iter().position(|r| *r == Some(role));
    let (Some(id_col), Some(date_col)) = (find(Role::CustomerId), find(Role::Date)) else {
        return Err(IngestError::NoRecognisedColumns {
            file: file.into(),
            found: names.join(", "),
        });
    };
    let detected = DateFormat::detect(
        column_values(data_sample, date_col),
        named_date == Some(date_col),
    );
    let date_format = match detected {
        Some(f) => f,
        None => {
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
    };
    let amount_source = match (
        find(Role::Amount),
        find(Role::Quantity),
        find(Role::UnitPrice),
    ) {
        (Some(a), _, _) => AmountSource::Column(a),
        (None, Some(q), Some(p)) => AmountSource::QuantityTimesPrice(q, p),
        _ => AmountSource::None,
    };
    let order_col = find(Role::OrderId);

    let mut rows_read = 0u64;
    let mut rows_used = 0u64;
    let mut returns = 0u64;
    let mut returns_value = Vec::new();
    let mut groups: BTreeMap<RejectReason, RejectionGroup> = BTreeMap::new();
    let mut reject = |reason: RejectReason, line: u64, column: &str, value: &str| {
        let group = groups.entry(reason).or_insert_with(|| RejectionGroup {
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
    };
    let header_line = has_header.then_some(first.line);
    let header_fields: Vec<&str> = if has_header {
        header_fields
    } else {
        Vec::new()
    };
    let needed = [Some(id_col), Some(date_col), order_col]
        .into_iter()
        .chain(amount_source.columns())
        .flatten()
        .max()
        .unwrap_or(0);

    let Dataset {
        transactions,
        customers,
        orders,
        ..
    } = dataset;
    let broken = layout::for_each_record(text, layout, |r| {
        if Some(r.line) == header_line {
            return ControlFlow::Continue(());
        }
        rows_read += 1;
        if is_blank(r.fields) {
            reject(RejectReason::BlankRow, r.line, "", "");
            return ControlFlow::Continue(());
        }
        if r.fields.len() <= needed {
            let column = names.get(r.fields.len()).map_or("", String::as_str);
            reject(RejectReason::MissingFields, r.line, column, "");
            return ControlFlow::Continue(());
        }
        if header_fields.len() == r.fields.len()
            && header_fields
                .iter()
                .zip(r.fields)
                .all(|(h, f)| h.trim() == f.trim())
        {
            reject(RejectReason::RepeatedHeader, r.line, "", "");
            return ControlFlow::Continue(());
        }
        let id = r.fields[id_col].trim();
        if is_totals_label(id) {
            reject(RejectReason::TotalsRow, r.line, &names[id_col], id);
            return ControlFlow::Continue(());
        }
        if id.is_empty() {
            reject(RejectReason::MissingCustomerId, r.line, &names[id_col], id);
            return ControlFlow::Continue(());
        }
        let Some(date) = date_format.parse(r.fields[date_col]) else {
            reject(
                RejectReason::UnreadableDate,
                r.line,
                &names[date_col],
                r.fields[date_col],
            );
            return ControlFlow::Continue(());
        };
        let amount = match amount_source.read(r.fields) {
            Ok(amount) => amount,
            Err(col) => {
                reject(
                    RejectReason::UnreadableAmount,
                    r.line,
                    &names[col],
                    r.fields[col],
                );
                return ControlFlow::Continue(());
            }
        };
        let order = order_col
            .map(|c| r.fields[c].trim())
            .filter(|o| !o.is_empty())
            .map(|o| orders.intern(o));
        if let Some(value) = amount.filter(|a| *a < 0.0) {
            returns += 1;
            returns_value.push(value);
        }
        transactions.push(customers.intern(id), date, amount, order);
        rows_used += 1;
        ControlFlow::Continue(())
    });
    for line in broken {
        rows_read += 1;
        reject(RejectReason::BrokenRecord, line, "", "");
    }

    let rejections: Vec<RejectionGroup> = groups.into_values().collect();
    let rows_rejected = rejections.iter().map(|g| g.count).sum();
    if rows_used == 0 {
        let first_problem = rejections
            .iter()
            .filter_map(|g| g.examples.first().map(|e| (g.reason, e)))
            .min_by_key(|(_, e)| e.line);
        return Err(match first_problem {
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
                rows: rows_read,
                line: e.line,
                column: e.column.clone(),
                reason: reason.describe().into(),
            },
            None => IngestError::Empty { file: file.into() },
        });
    }

    Ok(FileSummary {
        file: file.into(),
        encoding: decoded.encoding.name().into(),
        gzip,
        layout,
        has_header,
        date_format,
        columns: names
            .into_iter()
            .zip(column_roles)
            .map(|(name, role)| ColumnInfo { name, role })
            .collect(),
        rows_read,
        rows_used,
        rows_rejected,
        rejections,
        returns,
        returns_value: crate::metrics::base::exact_sum(returns_value),
    })
}

/// Where a row's value comes from.
#[derive(Clone, Copy)]
enum AmountSource {
    None,
    Column(usize),
    /// UCI Online Retail and most order-line exports: quantity x unit price.
    QuantityTimesPrice(usize, usize),
}

impl AmountSource {
    fn columns(self) -> [Option<usize>; 2] {
        match self {
            AmountSource::None => [None, None],
            AmountSource::Column(a) => [Some(a), None],
            AmountSource::QuantityTimesPrice(q, p) => [Some(q), Some(p)],
        }
    }

    /// The amount, or the column that could not be read.
    fn read(self, fields: &[&str]) -> Result<Option<f64>, usize> {
        let number = |c: usize| parse_amount(fields[c]).ok_or(c);
        match self {
            AmountSource::None => Ok(None),
            AmountSource::Column(a) => number(a).map(Some),
            AmountSource::QuantityTimesPrice(q, p) => Ok(Some(number(q)? * number(p)?)),
        }
    }
}
