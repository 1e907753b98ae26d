//! What was read from each file, as the reader tells it: its kind, layout,
//! column roles, date format, rejected rows and notes. The reading itself
//! is `ingest`'s (which re-exports these types).

use serde::{Deserialize, Serialize};

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
                "Код клиента составлен из {} через пробел",
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
    /// The currency of the file's amounts: as the user set it, or as a money
    /// column's header or values name it; `None` when nothing says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<super::Currency>,
    /// The rows of the dataset's table of `kind` that came from this file
    /// (tables keep load order).
    #[serde(default)]
    pub held_rows: std::ops::Range<usize>,
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

/// How fields are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    Delimited(char),
    Whitespace,
}

/// What a column means for the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CustomerId,
    /// Transaction date, or when a survey was answered.
    Date,
    Amount,
    OrderId,
    Quantity,
    UnitPrice,
    /// Likelihood to recommend, 0-10.
    NpsScore,
    /// Satisfaction (1-5 and other scales).
    Csat,
    /// Customer effort (1-7).
    Ces,
    Comment,
    /// Complaint / had-a-problem flag.
    HadProblem,
    /// Customer since.
    StartDate,
    /// Left on (blank: still a customer).
    EndDate,
    /// Customer status text (active, churned, ...).
    Status,
    /// Churned yes/no flag.
    Churned,
    ChurnReason,
    ChurnCategory,
    /// Customer value: CLTV, MRR, contract value.
    Value,
    /// Time as a customer in months.
    TenureMonths,
    /// One row per customer, as a CRM or loyalty programme lists them: the
    /// first and last purchase, how many purchases (orders, visits,
    /// flights), and what they spent in all.
    FirstPurchase,
    LastPurchase,
    PurchaseCount,
    TotalSpend,
    /// BTYD summary columns (lifetimes' format).
    Frequency,
    Recency,
    T,
    MonetaryValue,
}

impl Role {
    /// The role's id: its serde name, and its key in `role_names.txt`.
    pub fn key(self) -> &'static str {
        match self {
            Role::CustomerId => "customer_id",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::OrderId => "order_id",
            Role::Quantity => "quantity",
            Role::UnitPrice => "unit_price",
            Role::NpsScore => "nps_score",
            Role::Csat => "csat",
            Role::Ces => "ces",
            Role::Comment => "comment",
            Role::HadProblem => "had_problem",
            Role::StartDate => "start_date",
            Role::EndDate => "end_date",
            Role::Status => "status",
            Role::Churned => "churned",
            Role::ChurnReason => "churn_reason",
            Role::ChurnCategory => "churn_category",
            Role::Value => "value",
            Role::TenureMonths => "tenure_months",
            Role::FirstPurchase => "first_purchase",
            Role::LastPurchase => "last_purchase",
            Role::PurchaseCount => "purchase_count",
            Role::TotalSpend => "total_spend",
            Role::Frequency => "frequency",
            Role::Recency => "recency",
            Role::T => "t",
            Role::MonetaryValue => "monetary_value",
        }
    }

    /// What the role is called in the mapping panel.
    pub fn label(self) -> &'static str {
        match self {
            Role::CustomerId => "Customer id",
            Role::Date => "Date",
            Role::Amount => "Amount",
            Role::OrderId => "Order id",
            Role::Quantity => "Quantity",
            Role::UnitPrice => "Unit price",
            Role::NpsScore => "NPS score (0-10)",
            Role::Csat => "Satisfaction (CSAT)",
            Role::Ces => "Effort (CES)",
            Role::Comment => "Comment",
            Role::HadProblem => "Complaint / had a problem",
            Role::StartDate => "Customer since",
            Role::EndDate => "Left on",
            Role::Status => "Status",
            Role::Churned => "Churned (yes/no)",
            Role::ChurnReason => "Churn reason",
            Role::ChurnCategory => "Churn category",
            Role::Value => "Customer value (CLTV, MRR)",
            Role::TenureMonths => "Tenure in months",
            Role::FirstPurchase => "First purchase",
            Role::LastPurchase => "Last purchase",
            Role::PurchaseCount => "Number of purchases",
            Role::TotalSpend => "Total spend",
            Role::Frequency => "Frequency (repeat purchases)",
            Role::Recency => "Recency",
            Role::T => "T (customer age)",
            Role::MonetaryValue => "Monetary value",
        }
    }

    /// [`Role::label`] in `locale`'s language (the page, the mapping panel
    /// and the HTML report say it this way).
    pub fn label_in(self, locale: crate::display::Locale) -> &'static str {
        match locale {
            crate::display::Locale::En => self.label(),
            crate::display::Locale::Ru => match self {
                Role::CustomerId => "Код клиента",
                Role::Date => "Дата",
                Role::Amount => "Сумма",
                Role::OrderId => "Номер заказа",
                Role::Quantity => "Количество",
                Role::UnitPrice => "Цена за единицу",
                Role::NpsScore => "Оценка NPS (0-10)",
                Role::Csat => "Удовлетворённость (CSAT)",
                Role::Ces => "Усилие (CES)",
                Role::Comment => "Комментарий",
                Role::HadProblem => "Жалоба / была проблема",
                Role::StartDate => "Клиент с",
                Role::EndDate => "Ушёл",
                Role::Status => "Статус",
                Role::Churned => "Ушёл (да/нет)",
                Role::ChurnReason => "Причина ухода",
                Role::ChurnCategory => "Категория ухода",
                Role::Value => "Ценность клиента (CLTV, MRR)",
                Role::TenureMonths => "Срок в месяцах",
                Role::FirstPurchase => "Первая покупка",
                Role::LastPurchase => "Последняя покупка",
                Role::PurchaseCount => "Число покупок",
                Role::TotalSpend => "Сумма покупок",
                Role::Frequency => "Частота (повторные покупки)",
                Role::Recency => "Давность",
                Role::T => "T (возраст клиента)",
                Role::MonetaryValue => "Средняя сумма",
            },
        }
    }

    pub const ALL: [Role; 27] = [
        Role::CustomerId,
        Role::Date,
        Role::Amount,
        Role::OrderId,
        Role::Quantity,
        Role::UnitPrice,
        Role::NpsScore,
        Role::Csat,
        Role::Ces,
        Role::Comment,
        Role::HadProblem,
        Role::StartDate,
        Role::EndDate,
        Role::Status,
        Role::Churned,
        Role::ChurnReason,
        Role::ChurnCategory,
        Role::Value,
        Role::TenureMonths,
        Role::FirstPurchase,
        Role::LastPurchase,
        Role::PurchaseCount,
        Role::TotalSpend,
        Role::Frequency,
        Role::Recency,
        Role::T,
        Role::MonetaryValue,
    ];
}

/// What kind of records a file holds, decided from its column roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// Purchases: customer id and date (README, "Input").
    Transactions,
    /// Survey answers: an NPS, CSAT or CES score.
    SurveyAnswers,
    /// Customers with their status, dates, reasons for leaving.
    Customers,
    /// One row per customer: the BTYD summary form (frequency, recency, T),
    /// or first and last purchase with the number of purchases.
    Summary,
}

impl RecordKind {
    pub fn describe(self) -> &'static str {
        match self {
            RecordKind::Transactions => "transactions",
            RecordKind::SurveyAnswers => "survey answers",
            RecordKind::Customers => "customers",
            RecordKind::Summary => "customer summary",
        }
    }

    pub fn describe_in(self, locale: crate::display::Locale) -> &'static str {
        match locale {
            crate::display::Locale::En => self.describe(),
            crate::display::Locale::Ru => match self {
                RecordKind::Transactions => "транзакции",
                RecordKind::SurveyAnswers => "ответы на опрос",
                RecordKind::Customers => "клиенты",
                RecordKind::Summary => "сводка по клиентам",
            },
        }
    }

    /// The kind the roles make, most specific first; `None` when no kind's
    /// required roles are all there.
    pub fn of(roles: &[Option<Role>]) -> Option<RecordKind> {
        let has = |r: Role| roles.contains(&Some(r));
        let churn_columns = [
            Role::Churned,
            Role::ChurnReason,
            Role::ChurnCategory,
            Role::EndDate,
            Role::TenureMonths,
        ];
        // A customers list that also holds a score (the bank's satisfaction,
        // a recommend question) stays a customers list: its scores are read
        // as answers beside it, and its churn columns are not lost.
        let customers_with_churn = has(Role::CustomerId)
            && [
                Role::Churned,
                Role::EndDate,
                Role::TenureMonths,
                Role::Status,
            ]
            .iter()
            .any(|&r| has(r));
        let btyd = has(Role::Frequency) && has(Role::Recency) && has(Role::T);
        let first_last_count =
            has(Role::FirstPurchase) && has(Role::LastPurchase) && has(Role::PurchaseCount);
        if has(Role::CustomerId) && (btyd || first_last_count) {
            Some(RecordKind::Summary)
        } else if customers_with_churn && !has(Role::Date) {
            Some(RecordKind::Customers)
        } else if has(Role::NpsScore) || has(Role::Ces) {
            Some(RecordKind::SurveyAnswers)
        } else if churn_columns.iter().any(|&r| has(r))
            || has(Role::StartDate)
            || (has(Role::Status) && has(Role::CustomerId) && !has(Role::Date))
        {
            Some(RecordKind::Customers)
        } else if has(Role::CustomerId) && has(Role::Date) {
            Some(RecordKind::Transactions)
        } else if has(Role::Csat) {
            Some(RecordKind::SurveyAnswers)
        } else {
            None
        }
    }
}

/// Why a column named like a role does not hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Misfit {
    /// Most values are not numbers.
    NotNumbers,
    /// Numbers, but off the role's scale (a credit score of 300-850 for NPS).
    OffScale,
    /// Most values are not dates.
    NotDates,
    /// Most values are neither yes/no nor a status that says who left.
    NotFlags,
    /// No value says whether a customer left ("shipped", "delivered").
    NoStatusWords,
    /// Every value is blank or a placeholder ("-"): no customer can be told apart.
    NoDistinctIds,
    /// Numbers where text belongs.
    NotText,
}

impl Misfit {
    pub fn describe_in(self, locale: crate::display::Locale) -> &'static str {
        use crate::display::Locale;
        match (self, locale) {
            (Misfit::NotNumbers, Locale::En) => "most values are not numbers",
            (Misfit::NotNumbers, Locale::Ru) => "большинство значений не числа",
            (Misfit::OffScale, Locale::En) => "the numbers are off the scale",
            (Misfit::OffScale, Locale::Ru) => "числа вне шкалы",
            (Misfit::NotDates, Locale::En) => "most values are not dates",
            (Misfit::NotDates, Locale::Ru) => "большинство значений не даты",
            (Misfit::NotFlags, Locale::En) => "the values are not yes/no",
            (Misfit::NotFlags, Locale::Ru) => "значения не «да/нет»",
            (Misfit::NoStatusWords, Locale::En) => "no value says whether a customer left",
            (Misfit::NoStatusWords, Locale::Ru) => "ни одно значение не говорит, ушёл ли клиент",
            (Misfit::NoDistinctIds, Locale::En) => "every value is blank or a dash",
            (Misfit::NoDistinctIds, Locale::Ru) => "все значения пусты или прочерки",
            (Misfit::NotText, Locale::En) => "the values are numbers, not text",
            (Misfit::NotText, Locale::Ru) => "значения числа, а не текст",
        }
    }
}

/// A date layout, decided once per column from a sample of its values, so that
/// 03/04/2024 is read the same way on every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 2024-01-31, optionally followed by a time (`T` or space) and zone.
    Iso,
    /// 20240131, optionally with the hour, minutes and seconds run on
    /// (2024013109, 202401310930, 20240131093000).
    Compact,
    /// 31.01.2024
    DayMonthYearDots,
    /// 01/31/2024
    MonthDayYearSlash,
    /// 31/01/2024
    DayMonthYearSlash,
    /// 2024/01/31
    YearMonthDaySlash,
    /// 31 января 2024, 31 янв. 2024, 31-Jan-2024, 31.янв.2024: the day, an
    /// English or Russian month name (full or short, any case), a four-digit
    /// year; "г." and a time may follow ("31 января 2024 г. 10:15").
    DayMonthNameYear,
    /// Jan 31, 2024 or January 31 2024, optionally followed by a time
    /// ("Jan 31, 2024 10:15 AM").
    MonthNameDayYear,
    /// Seconds (10 digits) or milliseconds (13 digits) since 1970-01-01 UTC.
    UnixTime,
    /// Days since 1899-12-30, as Excel stores dates (45322 = 2024-01-31).
    ExcelSerial,
}
