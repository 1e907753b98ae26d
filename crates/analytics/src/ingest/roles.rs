//! Which column plays which role: from header names (English and Russian
//! synonyms) first, then from the values for what the header did not settle.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::values::{parse_amount, parse_flag, status_means_churned};
use crate::dataset::{DateFormat, Misfit, Role};

/// The header names of every role, from `role_names.txt`, parsed once.
struct Dictionary {
    /// (role, the name's words sorted): compared with a header's sorted words.
    names: Vec<(Role, Vec<String>)>,
    /// The same for names that only count when no column has a full name.
    weak_names: Vec<(Role, Vec<String>)>,
    /// (role, piece): looked for inside a long question's words.
    phrases: Vec<(Role, String)>,
    /// Every word the names use, for splitting run-together names.
    words: HashSet<String>,
    /// The longest of them, in characters.
    longest_word: usize,
    /// Words that keep a column from being taken for a date by its values
    /// ("date of birth").
    not_dates: Vec<String>,
    /// Currency and unit words, left out of a name's key.
    units: Vec<String>,
    /// ("first" | "middle" | "last", the name's words sorted): the parts of
    /// a person's name, which make the customer id of a file without one.
    name_parts: Vec<(String, Vec<String>)>,
}

fn dictionary() -> &'static Dictionary {
    static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
    DICTIONARY.get_or_init(|| parse_dictionary(include_str!("role_names.txt")))
}

fn parse_dictionary(text: &str) -> Dictionary {
    let role_of = |key: &str| Role::ALL.into_iter().find(|r| r.key() == key.trim());
    let mut dictionary = Dictionary {
        names: Vec::new(),
        weak_names: Vec::new(),
        phrases: Vec::new(),
        words: HashSet::new(),
        longest_word: 0,
        not_dates: Vec::new(),
        units: Vec::new(),
        name_parts: Vec::new(),
    };
    let mut section = "";
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        let (key, list) = line.split_once('=').unwrap_or(("", line));
        let items = list.split('|').map(str::trim).filter(|i| !i.is_empty());
        for item in items {
            dictionary
                .words
                .extend(item.split_whitespace().map(str::to_string));
            let mut sorted: Vec<String> = item.split_whitespace().map(str::to_string).collect();
            sorted.sort_unstable();
            match (section, role_of(key)) {
                ("names", Some(role)) => dictionary.names.push((role, sorted)),
                ("weak_names", Some(role)) => dictionary.weak_names.push((role, sorted)),
                ("phrases", Some(role)) => dictionary.phrases.push((role, item.to_string())),
                ("not_dates", _) => dictionary.not_dates.push(item.to_string()),
                ("units", _) => dictionary.units.push(item.to_string()),
                ("name_parts", _) => dictionary.name_parts.push((key.trim().to_string(), sorted)),
                // "words", and a misspelt role (a unit test reads every line).
                _ => {}
            }
        }
    }
    dictionary.longest_word = dictionary
        .words
        .iter()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    dictionary
}

/// Splits a name into lower-case words, whatever its house style: spaces,
/// `_`, `-`, `.` and other punctuation, camelCase and digits separate words;
/// BOM, NBSP and trailing spaces vanish; a run-together lower-case word
/// ("customerstatus") is split into the dictionary's words when it can be.
pub(crate) fn header_words(raw: &str) -> Vec<String> {
    let dictionary = dictionary();
    let words = &dictionary.words;
    let mut out = Vec::new();
    for chunk in raw.split(|c: char| !c.is_alphanumeric()) {
        for piece in camel_pieces(chunk) {
            let piece = piece.to_lowercase();
            if piece.is_empty() {
                continue;
            }
            match (
                words.contains(&piece),
                split_run_together(&piece, dictionary),
            ) {
                (false, Some(parts)) => out.extend(parts),
                _ => out.push(piece),
            }
        }
    }
    out
}

/// "customerId" -> ["customer", "Id"]; "CLVScore" -> ["CLV", "Score"];
/// "Tenure12" -> ["Tenure", "12"].
fn camel_pieces(chunk: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = chunk.char_indices().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    for k in 1..chars.len() {
        let (at, c) = chars[k];
        let prev = chars[k - 1].1;
        let next_lower = chars.get(k + 1).is_some_and(|(_, n)| n.is_lowercase());
        let boundary = (prev.is_lowercase() && c.is_uppercase())
            || (prev.is_uppercase() && c.is_uppercase() && next_lower)
            || (prev.is_numeric() != c.is_numeric());
        if boundary {
            pieces.push(&chunk[start..at]);
            start = at;
        }
    }
    pieces.push(&chunk[start..]);
    pieces
}

/// The fewest dictionary words (of two letters or more) that make up
/// `word` exactly, or `None`.
fn split_run_together(word: &str, dictionary: &Dictionary) -> Option<Vec<String>> {
    let words = &dictionary.words;
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect();
    if bounds.len() < 5 {
        return None;
    }
    // best[k]: fewest words covering word[..bounds[k]], and where the last began.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; bounds.len()];
    best[0] = Some((0, 0));
    // No word is longer than the dictionary's longest: without this bound a
    // cell of 48,000 letters (a file of one long line) took 6 s here, every
    // substring looked up (found by the `slices` fuzz target).
    let longest = dictionary.longest_word;
    for end in 1..bounds.len() {
        for begin in end.saturating_sub(longest)..end.saturating_sub(1) {
            let Some((count, _)) = best[begin] else {
                continue;
            };
            if words.contains(&word[bounds[begin]..bounds[end]])
                && best[end].is_none_or(|(c, _)| count + 1 < c)
            {
                best[end] = Some((count + 1, begin));
            }
        }
    }
    let (count, _) = best[bounds.len() - 1]?;
    if count < 2 {
        return None;
    }
    let mut parts = Vec::with_capacity(count);
    let mut end = bounds.len() - 1;
    while end > 0 {
        let (_, begin) = best[end]?;
        parts.push(word[bounds[begin]..bounds[end]].to_string());
        end = begin;
    }
    parts.reverse();
    Some(parts)
}

/// "Цена, руб." -> "цена"; "Customer_ID" -> "customer id": the words of a
/// name before a unit in brackets or after a comma.
#[cfg(test)]
pub(crate) fn normalise_header(raw: &str) -> String {
    header_words(raw.split([',', '(']).next().unwrap_or(raw)).join(" ")
}

/// The words of a header, sorted: equal for every order and style.
fn name_key(raw: &str) -> Vec<String> {
    let mut words = header_words(raw.split([',', '(']).next().unwrap_or(raw));
    let units = &dictionary().units;
    if words.iter().any(|w| !units.contains(w)) {
        words.retain(|w| !units.contains(w));
    }
    words.sort_unstable();
    words
}

/// The roles each column's name suggests, by how it names them: as a full
/// name, a plain one ("ID"), or a phrase inside a long question. Worked out
/// once per column, not once per role: a wide header met every role's list
/// for every column (a third of the time the fuzz targets spent reading).
struct Naming {
    full: Vec<Vec<Role>>,
    weak: Vec<Vec<Role>>,
    phrase: Vec<Vec<Role>>,
}

impl Naming {
    fn of(keys: &[Vec<String>], wholes: &[String]) -> Self {
        let dictionary = dictionary();
        let named = |list: &[(Role, Vec<String>)], key: &Vec<String>| -> Vec<Role> {
            list.iter()
                .filter(|(_, name)| name == key)
                .map(|&(r, _)| r)
                .collect()
        };
        Naming {
            full: keys.iter().map(|k| named(&dictionary.names, k)).collect(),
            weak: keys
                .iter()
                .map(|k| named(&dictionary.weak_names, k))
                .collect(),
            phrase: wholes
                .iter()
                .map(|whole| {
                    dictionary
                        .phrases
                        .iter()
                        .filter(|(_, p)| whole.contains(p.as_str()))
                        .map(|&(r, _)| r)
                        .collect()
                })
                .collect(),
        }
    }

    /// Columns that name `role`: full names first, then plain ones ("ID"),
    /// then phrases inside long questions, each in column order.
    fn candidates(&self, role: Role) -> Vec<usize> {
        let naming = |list: &[Vec<Role>]| {
            (0..list.len())
                .filter(|&i| list[i].contains(&role))
                .collect::<Vec<_>>()
        };
        let mut found = naming(&self.full);
        found.extend(naming(&self.weak));
        let by_phrase: Vec<usize> = naming(&self.phrase)
            .into_iter()
            .filter(|i| !found.contains(i))
            .collect();
        found.extend(by_phrase);
        found
    }
}

/// Roles from header names alone; each role goes to the first column that
/// names it, exact names before phrases inside long questions.
pub(crate) fn roles_from_header(header: &[&str]) -> Vec<Option<Role>> {
    assign_roles(header, None).0
}

/// [`roles_from_header`], with a person's names as the customer id when no
/// column names one ([`name_columns`]).
pub(crate) fn roles_from_header_and_names(header: &[&str]) -> Vec<Option<Role>> {
    let mut roles = roles_from_header(header);
    if !roles.contains(&Some(Role::CustomerId)) {
        for c in name_columns(header, &roles).unwrap_or_default() {
            roles[c] = Some(Role::CustomerId);
        }
    }
    roles
}

/// The columns of a person's name, in column order, when the header has a
/// first name and a last name (and perhaps a middle name or patronymic)
/// among the columns without a role: "First Name", "Last Name"; "Имя",
/// "Фамилия", "Отчество". Each part is the first column so named.
pub(crate) fn name_columns(header: &[&str], roles: &[Option<Role>]) -> Option<Vec<usize>> {
    let dictionary = dictionary();
    let find = |part: &str| {
        (0..header.len()).find(|&i| {
            roles.get(i).is_none_or(Option::is_none) && {
                let key = name_key(header[i]);
                dictionary
                    .name_parts
                    .iter()
                    .any(|(p, name)| p == part && *name == key)
            }
        })
    };
    let mut parts = vec![find("first")?, find("last")?];
    parts.extend(find("middle"));
    parts.sort_unstable();
    parts.dedup();
    (parts.len() > 1).then_some(parts)
}

/// A role a column's name suggested and its values refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub column: usize,
    pub role: Role,
    pub misfit: Misfit,
    /// A value that does not fit (clipped by the caller).
    pub example: String,
}

/// Cells that mean "no value" in exports: blank, a dash, "n/a", "null".
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || matches!(
            v,
            "-" | "–"
                | "—"
                | "?"
                | "#N/A"
                | "N/A"
                | "n/a"
                | "NA"
                | "null"
                | "NULL"
                | "None"
                | "none"
                | "nan"
                | "NaN"
        )
}

/// Whether the sampled `values` of a column can hold `role`: most
/// non-placeholder values (more than half, as for date formats) must fit,
/// so that a few bad cells, a repeated header or a totals line do not cost
/// a column its role; a sample of placeholders only says nothing, and
/// passes, except for ids. The transaction date is not checked here: a
/// transactions file cannot do without it, and its own error says which
/// date could not be read.
fn check(role: Role, values: &[&str], named_year: bool) -> Result<(), (Misfit, String)> {
    let present: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !is_placeholder(v))
        .collect();
    let fits_most = |fits: &dyn Fn(&str) -> bool, misfit: Misfit| {
        let misses: Vec<&&str> = present.iter().filter(|v| !fits(v)).collect();
        if misses.len() * 2 > present.len() {
            Err((misfit, misses[0].to_string()))
        } else {
            Ok(())
        }
    };
    let number = |v: &str| parse_amount(v);
    match role {
        // One customer's orders are data; a column of dashes is not.
        Role::CustomerId => {
            if values.len() >= 3 && present.is_empty() {
                let example = values.iter().map(|v| v.trim()).find(|v| !v.is_empty());
                Err((Misfit::NoDistinctIds, example.unwrap_or("").to_string()))
            } else {
                Ok(())
            }
        }
        Role::Date => Ok(()),
        Role::StartDate | Role::EndDate | Role::FirstPurchase | Role::LastPurchase => {
            // Whole years stand for dates in a "Cancellation Year" column.
            let years = present.iter().all(|v| {
                parse_amount(v).is_some_and(|y| y.fract() == 0.0 && (1900.0..=2100.0).contains(&y))
            });
            if present.is_empty()
                || (named_year && years)
                || DateFormat::detect(present.iter().copied(), true).is_some()
            {
                Ok(())
            } else {
                Err((Misfit::NotDates, present[0].to_string()))
            }
        }
        Role::Amount
        | Role::Quantity
        | Role::UnitPrice
        | Role::Value
        | Role::TenureMonths
        | Role::Frequency
        | Role::Recency
        | Role::T
        | Role::MonetaryValue
        | Role::PurchaseCount
        | Role::TotalSpend => fits_most(&|v| number(v).is_some(), Misfit::NotNumbers),
        Role::NpsScore => {
            fits_most(&|v| number(v).is_some(), Misfit::NotNumbers)?;
            fits_most(
                &|v| number(v).is_some_and(|n| n.fract() == 0.0 && (0.0..=10.0).contains(&n)),
                Misfit::OffScale,
            )
        }
        Role::Csat | Role::Ces => {
            fits_most(&|v| number(v).is_some(), Misfit::NotNumbers)?;
            fits_most(
                &|v| number(v).is_some_and(|n| (0.0..=10.0).contains(&n)),
                Misfit::OffScale,
            )
        }
        Role::Churned => fits_most(
            &|v| parse_flag(v).is_some() || status_means_churned(v).is_some(),
            Misfit::NotFlags,
        ),
        Role::HadProblem => fits_most(&|v| parse_flag(v).is_some(), Misfit::NotFlags),
        Role::Status => {
            if present.is_empty() || present.iter().any(|v| status_means_churned(v).is_some()) {
                Ok(())
            } else {
                Err((Misfit::NoStatusWords, present[0].to_string()))
            }
        }
        Role::Comment | Role::ChurnReason | Role::ChurnCategory => {
            fits_most(&|v| number(v).is_none(), Misfit::NotText)
        }
        Role::OrderId => Ok(()),
    }
}

/// Roles from header names, each confirmed by the column's sampled values
/// when there are any: a column whose values do not fit its named role
/// loses it (the refusal says why) and the next column naming the role may
/// take it. `columns[i]` holds column `i`'s sampled values.
pub(crate) fn assign_roles(
    header: &[&str],
    columns: Option<&[Vec<&str>]>,
) -> (Vec<Option<Role>>, Vec<Refusal>) {
    let keys: Vec<Vec<String>> = header.iter().map(|h| name_key(h)).collect();
    let wholes: Vec<String> = header.iter().map(|h| header_words(h).join(" ")).collect();
    let mut roles = vec![None; header.len()];
    let mut refusals = Vec::new();
    let naming = Naming::of(&keys, &wholes);
    for role in Role::ALL {
        for i in naming.candidates(role) {
            if roles[i].is_some() {
                continue;
            }
            let values = columns
                .and_then(|c| c.get(i))
                .map_or(&[][..], Vec::as_slice);
            let named_year = keys[i].iter().any(|w| w == "year" || w == "год");
            match check(role, values, named_year) {
                Ok(()) => {
                    roles[i] = Some(role);
                    break;
                }
                Err((misfit, example)) => refusals.push(Refusal {
                    column: i,
                    role,
                    misfit,
                    example,
                }),
            }
        }
    }
    // A column refused for one role and given another is not news.
    refusals.retain(|r| roles[r.column].is_none());
    (roles, refusals)
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

/// Whether a tenure column counts years: its name says so ("Tenure in
/// years", "Стаж, лет"), or, named plainly, its values are whole numbers
/// from 0 to 10 over a sample of fifty or more (a bank's "Tenure"; ten
/// months would be a short history for so many customers).
pub(crate) fn counts_years<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> bool {
    let words = header_words(name);
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "month" | "months" | "месяцев" | "мес"))
    {
        return false;
    }
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "year" | "years" | "лет" | "год" | "года"))
    {
        return true;
    }
    let numbers: Vec<f64> = values
        .filter(|v| !is_placeholder(v))
        .map(parse_amount)
        .collect::<Option<Vec<f64>>>()
        .unwrap_or_default();
    numbers.len() >= 50
        && numbers
            .iter()
            .all(|n| n.fract() == 0.0 && (0.0..=10.0).contains(n))
}

/// For a column named as a year ("Cancellation Year", "Год ухода"): `Some`
/// of the column with the same name but "month" for "year", if there is
/// one; `None` when the name says no year.
pub(crate) fn year_and_month(names: &[String], year_column: usize) -> Option<Option<usize>> {
    let words = header_words(&names[year_column]);
    let at = words
        .iter()
        .position(|w| matches!(w.as_str(), "year" | "год"))?;
    let month_word = if words[at] == "year" {
        "month"
    } else {
        "месяц"
    };
    let mut month_words = words.clone();
    month_words[at] = month_word.to_string();
    Some(names.iter().position(|n| header_words(n) == month_words))
}

/// Whether a header says the column is no date even if its values are
/// ("Date of birth").
pub(crate) fn never_a_date(name: &str) -> bool {
    let words = header_words(name);
    dictionary()
        .not_dates
        .iter()
        .any(|w| words.iter().any(|x| x == w))
}

/// Fills the roles the header left open from the values: a date column, then
/// an amount (the rightmost numeric column with fractions), then, for files
/// without a header only, the customer id (the first column left).
pub(crate) fn fill_roles_from_values(
    roles: &mut [Option<Role>],
    profiles: &[ColumnProfile],
    names: &[String],
    has_header: bool,
) {
    let free = |roles: &[Option<Role>], i: usize| roles[i].is_none();
    if !roles.contains(&Some(Role::Date)) {
        if let Some(i) = (0..roles.len()).find(|&i| {
            free(roles, i)
                && profiles[i].date_format.is_some()
                && !names.get(i).is_some_and(|n| never_a_date(n))
        }) {
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

    /// Every line of `role_names.txt` is a comment, a known section, or an
    /// entry the parser takes: a role id that exists (in sections keyed by
    /// role), a name part, or a plain list. A misspelt key would otherwise
    /// be read as words and never name anything.
    #[test]
    fn every_line_of_the_name_list_is_understood() {
        let mut section = "";
        for (n, line) in include_str!("role_names.txt").lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert!(
                    [
                        "names",
                        "weak_names",
                        "phrases",
                        "units",
                        "not_dates",
                        "name_parts",
                        "words"
                    ]
                    .contains(&name),
                    "line {}: section {name}",
                    n + 1
                );
                section = name;
                continue;
            }
            let key = line.split_once('=').map(|(k, _)| k.trim());
            match section {
                "names" | "weak_names" | "phrases" => assert!(
                    key.is_some_and(|k| Role::ALL.iter().any(|r| r.key() == k)),
                    "line {}: {line}",
                    n + 1
                ),
                "name_parts" => assert!(
                    matches!(key, Some("first" | "middle" | "last")),
                    "line {}: {line}",
                    n + 1
                ),
                "units" | "not_dates" | "words" => {
                    assert!(key.is_none(), "line {}: {line}", n + 1)
                }
                _ => panic!("line {}: outside any section: {line}", n + 1),
            }
        }
        // Every role has a name.
        let dictionary = dictionary();
        for role in Role::ALL {
            assert!(
                dictionary.names.iter().any(|(r, _)| *r == role),
                "{role:?} has no name"
            );
        }
    }

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
        fill_roles_from_values(&mut roles, &profiles, &[], false);
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
