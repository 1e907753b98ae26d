//! Which column plays which role: from header names (English and Russian
//! synonyms) first, then from the values for what the header did not settle.

use serde::{Deserialize, Serialize};

use super::values::{parse_amount, DateFormat};

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
    /// BTYD summary columns (lifetimes' format).
    Frequency,
    Recency,
    T,
    MonetaryValue,
}

impl Role {
    /// Header names, normalised by [`normalise_header`]: lower case, words
    /// separated by single spaces, unit suffixes after a comma cut off.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::CustomerId => &[
                "customer id",
                "customerid",
                "customer",
                "customer no",
                "customer number",
                "client",
                "client id",
                "clientid",
                "user id",
                "userid",
                "buyer",
                "buyer id",
                "account id",
                "member id",
                "клиент",
                "id клиента",
                "код клиента",
                "клиент id",
                "покупатель",
                "id покупателя",
                "контрагент",
                "номер клиента",
            ],
            Role::Date => &[
                "date",
                "order date",
                "orderdate",
                "invoicedate",
                "invoice date",
                "purchase date",
                "transaction date",
                "sale date",
                "created at",
                "datetime",
                "timestamp",
                "response date",
                "answered on",
                "answered at",
                "survey date",
                "submitted at",
                "survey date",
                "дата",
                "дата заказа",
                "дата покупки",
                "дата продажи",
                "дата операции",
                "дата чека",
                "дата ответа",
            ],
            Role::Amount => &[
                "amount",
                "revenue",
                "sales",
                "total",
                "value",
                "dollar value",
                "sum",
                "order total",
                "order value",
                "order amount",
                "total amount",
                "net amount",
                "сумма",
                "выручка",
                "стоимость",
                "сумма заказа",
                "сумма покупки",
                "итого",
            ],
            Role::OrderId => &[
                "order id",
                "orderid",
                "order",
                "order no",
                "order number",
                "invoice",
                "invoiceno",
                "invoice no",
                "invoice number",
                "transaction id",
                "receipt",
                "номер заказа",
                "заказ",
                "id заказа",
                "чек",
                "номер чека",
            ],
            Role::Quantity => &["quantity", "qty", "units", "количество", "кол во", "шт"],
            Role::UnitPrice => &[
                "price",
                "unit price",
                "unitprice",
                "цена",
                "цена за единицу",
            ],
            Role::NpsScore => &[
                "nps",
                "nps score",
                "score",
                "recommend",
                "likelihood to recommend",
                "оценка",
                "оценка nps",
                "nps оценка",
                "рекомендация",
            ],
            Role::Csat => &[
                "csat",
                "csat score",
                "satisfaction",
                "satisfaction score",
                "удовлетворенность",
                "оценка удовлетворенности",
                "csat оценка",
            ],
            Role::Ces => &[
                "ces",
                "ces score",
                "customer effort",
                "effort",
                "effort score",
                "усилия",
            ],
            Role::Comment => &[
                "comment",
                "comments",
                "feedback",
                "why",
                "verbatim",
                "reason for score",
                "комментарий",
                "комментарии",
                "отзыв",
                "почему",
            ],
            Role::HadProblem => &[
                "complain",
                "complaint",
                "complaints",
                "had problem",
                "had a problem",
                "problem",
                "issue",
                "жалоба",
                "проблема",
                "была проблема",
            ],
            Role::StartDate => &[
                "start date",
                "signup date",
                "sign up date",
                "registration date",
                "join date",
                "joined",
                "joined at",
                "subscription start",
                "customer since",
                "дата регистрации",
                "дата подключения",
                "дата начала",
                "клиент с",
            ],
            Role::EndDate => &[
                "end date",
                "churn date",
                "cancel date",
                "cancellation date",
                "termination date",
                "left at",
                "left on",
                "left date",
                "churned on",
                "churned at",
                "дата ухода",
                "дата отключения",
                "дата расторжения",
                "дата окончания",
                "дата оттока",
            ],
            Role::Status => &[
                "status",
                "customer status",
                "account status",
                "статус",
                "статус клиента",
            ],
            Role::Churned => &[
                "churn",
                "churned",
                "exited",
                "churn label",
                "churn flag",
                "is churned",
                "attrition",
                "отток",
                "ушел",
                "ушёл",
            ],
            Role::ChurnReason => &[
                "churn reason",
                "reason",
                "cancel reason",
                "cancellation reason",
                "reason for leaving",
                "причина",
                "причина ухода",
                "причина отказа",
                "причина оттока",
            ],
            Role::ChurnCategory => &[
                "churn category",
                "reason category",
                "категория причины",
                "категория оттока",
                "категория ухода",
            ],
            Role::Value => &[
                "cltv",
                "clv",
                "ltv",
                "mrr",
                "monthly value",
                "monthly revenue",
                "customer value",
                "lifetime value",
                "contract value",
                "ценность клиента",
                "ltv клиента",
            ],
            Role::TenureMonths => &[
                "tenure in months",
                "tenure months",
                "months active",
                "months as customer",
                "lifetime months",
                "срок жизни",
                "месяцев",
                "стаж месяцев",
            ],
            Role::Frequency => &["frequency", "частота"],
            Role::Recency => &["recency", "давность"],
            Role::T => &["t"],
            Role::MonetaryValue => &["monetary value", "monetary", "средний чек повторных"],
        }
    }

    /// Substrings of long survey questions ("How likely are you to recommend
    /// us?", "On a scale of 0-10, how would you rate ...?"), matched on the
    /// whole normalised header when no exact synonym names the role.
    fn phrases(self) -> &'static [&'static str] {
        match self {
            Role::NpsScore => &["recommend", "рекомендова", "0 10", "0 до 10", "nps"],
            Role::Csat => &["satisfaction", "csat", "satisfied", "удовлетвор"],
            Role::Ces => &["effort", "усили"],
            Role::Comment => &["comment", "коммент", "why", "почему"],
            Role::HadProblem => &["complain", "жалоб"],
            _ => &[],
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
            Role::Frequency => "Frequency (repeat purchases)",
            Role::Recency => "Recency",
            Role::T => "T (customer age)",
            Role::MonetaryValue => "Monetary value",
        }
    }

    pub const ALL: [Role; 23] = [
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
    /// Purchases: customer id and date (DESIGN.md section 2).
    Transactions,
    /// Survey answers: an NPS, CSAT or CES score.
    SurveyAnswers,
    /// Customers with their status, dates, reasons for leaving.
    Customers,
    /// One row per customer in the BTYD summary form (frequency, recency, T).
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
        if has(Role::CustomerId) && has(Role::Frequency) && has(Role::Recency) && has(Role::T) {
            Some(RecordKind::Summary)
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

/// "Цена, руб." -> "цена"; "Customer_ID" -> "customer id".
pub(crate) fn normalise_header(raw: &str) -> String {
    normalise_words(raw.split([',', '(']).next().unwrap_or(raw))
}

/// Lower case, words joined by single spaces, punctuation dropped.
fn normalise_words(raw: &str) -> String {
    raw.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Roles from header names; each role goes to the first column that names it,
/// exact synonyms before phrases inside long questions.
pub(crate) fn roles_from_header(header: &[&str]) -> Vec<Option<Role>> {
    let names: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    let whole: Vec<String> = header.iter().map(|h| normalise_words(h)).collect();
    let mut roles = vec![None; names.len()];
    for role in Role::ALL {
        let exact = names
            .iter()
            .position(|n| role.synonyms().contains(&n.as_str()));
        let by_phrase = || {
            whole.iter().enumerate().position(|(i, n)| {
                roles[i].is_none() && role.phrases().iter().any(|p| n.contains(p))
            })
        };
        if let Some(i) = exact.filter(|&i| roles[i].is_none()).or_else(by_phrase) {
            roles[i] = Some(role);
        }
    }
    roles
}

/// What a sample of one column's values looks like.
#[derive(Debug, Default)]
pub(crate) struct ColumnProfile {
    pub date_format: Option<DateFormat>,
    /// Every non-blank value is a number.
    pub numeric: bool,
    /// Some values have a fractional part (money, not counts or ids).
    pub fractional: bool,
}

impl ColumnProfile {
    pub fn of<'a>(values: impl IntoIterator<Item = &'a str> + Clone) -> Self {
        let non_blank = || values.clone().into_iter().filter(|v| !v.trim().is_empty());
        let numeric = non_blank().count() > 0 && non_blank().all(|v| parse_amount(v).is_some());
        ColumnProfile {
            date_format: DateFormat::detect(values.clone(), false),
            numeric,
            fractional: numeric && non_blank().any(|v| v.contains(['.', ','])),
        }
    }
}

/// Fills the roles the header left open from the values: a date column, then
/// an amount (the rightmost numeric column with fractions), then, for files
/// without a header only, the customer id (the first column left).
pub(crate) fn fill_roles_from_values(
    roles: &mut [Option<Role>],
    profiles: &[ColumnProfile],
    has_header: bool,
) {
    let free = |roles: &[Option<Role>], i: usize| roles[i].is_none();
    if !roles.contains(&Some(Role::Date)) {
        if let Some(i) =
            (0..roles.len()).find(|&i| free(roles, i) && profiles[i].date_format.is_some())
        {
            roles[i] = Some(Role::Date);
        }
    }
    if !has_header && !roles.contains(&Some(Role::CustomerId)) {
        if let Some(i) = (0..roles.len()).find(|&i| free(roles, i)) {
            roles[i] = Some(Role::CustomerId);
        }
    }
    let has_amount = roles.contains(&Some(Role::Amount))
        || (roles.contains(&Some(Role::Quantity)) && roles.contains(&Some(Role::UnitPrice)));
    if !has_header && !has_amount {
        if let Some(i) = (0..roles.len())
            .rev()
            .find(|&i| free(roles, i) && profiles[i].fractional)
        {
            roles[i] = Some(Role::Amount);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_headers() {
        assert_eq!(normalise_header(" Customer_ID "), "customer id");
        assert_eq!(normalise_header("Цена, руб."), "цена");
        assert_eq!(normalise_header("ID клиента"), "id клиента");
        assert_eq!(normalise_header("Кол-во"), "кол во");
    }

    #[test]
    fn english_and_russian_headers() {
        let roles = roles_from_header(&[
            "InvoiceNo",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
        ]);
        assert_eq!(
            roles,
            vec![
                Some(Role::OrderId),
                Some(Role::Quantity),
                Some(Role::Date),
                Some(Role::UnitPrice),
                Some(Role::CustomerId)
            ]
        );
        let roles = roles_from_header(&[
            "Дата заказа",
            "ID клиента",
            "Номер заказа",
            "Товар",
            "Количество",
            "Цена, руб.",
        ]);
        assert_eq!(
            roles,
            vec![
                Some(Role::Date),
                Some(Role::CustomerId),
                Some(Role::OrderId),
                None,
                Some(Role::Quantity),
                Some(Role::UnitPrice)
            ]
        );
    }

    #[test]
    fn first_column_naming_a_role_wins() {
        // Superstore: "Order Date" before "Ship Date"; "Customer ID" before "Customer Name".
        let roles = roles_from_header(&[
            "Order Date",
            "Ship Date",
            "Customer ID",
            "Customer Name",
            "Sales",
        ]);
        assert_eq!(
            roles,
            vec![
                Some(Role::Date),
                None,
                Some(Role::CustomerId),
                None,
                Some(Role::Amount)
            ]
        );
    }

    #[test]
    fn headerless_cdnow_sample_by_values() {
        // master id, sample id, date, number of CDs, dollar value
        let columns = [
            vec!["00004", "00004", "00018"],
            vec!["0001", "0001", "0002"],
            vec!["19970101", "19970118", "19970104"],
            vec!["2", "2", "1"],
            vec!["29.33", "29.73", "14.96"],
        ];
        let profiles: Vec<ColumnProfile> = columns
            .iter()
            .map(|c| ColumnProfile::of(c.iter().copied()))
            .collect();
        let mut roles = vec![None; 5];
        fill_roles_from_values(&mut roles, &profiles, false);
        assert_eq!(
            roles,
            vec![
                Some(Role::CustomerId),
                None,
                Some(Role::Date),
                None,
                Some(Role::Amount)
            ]
        );
    }
}
