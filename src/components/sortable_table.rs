//! A data table whose column headers sort its rows (numbers as numbers) and
//! whose "CSV" button downloads exactly the rows shown, in the order shown,
//! with every cell neutralised against formula injection.

use std::sync::Arc;

use leptos::prelude::*;
use loyalty_analytics::export::{csv_table, sort_order, CsvDialect, Rounding, SortKey};

/// Whether the page a table sits on has been shown. A table on a page not
/// yet shown builds its rows when the page first shows: the call list's 100
/// rows alone are 1,300 elements, and building every hidden page's rows
/// held the first view back (`app` provides it per page; without it the
/// rows are built at once).
#[derive(Clone, Copy)]
pub struct PageSeen(pub Signal<bool>);

/// A column's rounding when it depends on the row (a table of mixed figures).
type RoundingFn<R> = Arc<dyn Fn(&R) -> Rounding + Send + Sync>;

/// A column's interval (low, high) from its row.
type IntervalFn<R> = Arc<dyn Fn(&R) -> Option<(f64, f64)> + Send + Sync>;

/// One column of a [`SortableTable`].
pub struct Column<R> {
    /// The heading: English text translated on the page, or a data value
    /// (a segment column's name) shown as it is.
    pub title: String,
    /// The heading is English text to translate.
    pub translate: bool,
    /// A tooltip on the heading (English, translated).
    pub hint: Option<&'static str>,
    /// Right-aligned figures.
    pub numeric: bool,
    /// A column of buttons: not sorted and left out of the CSV.
    pub action: bool,
    /// What the column sorts by; also its CSV cell (rounded as `rounding`).
    pub key: Arc<dyn Fn(&R) -> SortKey + Send + Sync>,
    /// How the CSV rounds the column's numbers: as the cell shows them.
    pub rounding: Rounding,
    /// The rounding of each row's cell, when rows differ (overrides `rounding`).
    pub row_rounding: Option<RoundingFn<R>>,
    /// An interval column: two CSV columns ("…, low", "…, high") of numbers.
    pub interval: Option<IntervalFn<R>>,
    /// Only in the CSV: the page shows it inside another column's cell.
    pub csv_only: bool,
}

impl<R> Clone for Column<R> {
    fn clone(&self) -> Self {
        Column {
            title: self.title.clone(),
            translate: self.translate,
            hint: self.hint,
            numeric: self.numeric,
            action: self.action,
            key: Arc::clone(&self.key),
            rounding: self.rounding,
            row_rounding: self.row_rounding.clone(),
            interval: self.interval.clone(),
            csv_only: self.csv_only,
        }
    }
}

impl<R> Column<R> {
    /// A text column (left-aligned, sorted as text).
    pub fn text(title: &str, key: impl Fn(&R) -> String + Send + Sync + 'static) -> Self {
        Column {
            title: title.to_string(),
            translate: true,
            hint: None,
            numeric: false,
            action: false,
            key: Arc::new(move |r| SortKey::Text(key(r))),
            rounding: Rounding::Full,
            row_rounding: None,
            interval: None,
            csv_only: false,
        }
    }

    /// A figure column (right-aligned, sorted as a number, plain in the CSV).
    pub fn number(title: &str, key: impl Fn(&R) -> Option<f64> + Send + Sync + 'static) -> Self {
        Column {
            title: title.to_string(),
            translate: true,
            hint: None,
            numeric: true,
            action: false,
            key: Arc::new(move |r| SortKey::number(key(r))),
            rounding: Rounding::Full,
            row_rounding: None,
            interval: None,
            csv_only: false,
        }
    }

    /// A column of buttons (an export per row): not sorted, not in the CSV.
    pub fn action(title: &str) -> Self {
        Column {
            action: true,
            ..Column::text(title, |_| String::new())
        }
    }

    /// Only in the CSV: the page draws its figure inside another column's
    /// cell (a compact table), so it gets no heading and no cell.
    pub fn csv_only(self) -> Self {
        Column {
            csv_only: true,
            ..self
        }
    }

    /// The heading is a data value, not English text.
    pub fn untranslated(self) -> Self {
        Column {
            translate: false,
            ..self
        }
    }

    pub fn hint(self, hint: &'static str) -> Self {
        Column {
            hint: Some(hint),
            ..self
        }
    }

    /// The CSV rounds this column as the page shows it.
    pub fn rounded(self, rounding: Rounding) -> Self {
        Column { rounding, ..self }
    }

    /// A share the cell shows as a percentage (one decimal).
    pub fn percent(self) -> Self {
        self.rounded(Rounding::Percent)
    }

    /// An amount the cell shows with `money()`.
    pub fn money(self) -> Self {
        self.rounded(Rounding::Money)
    }

    /// A figure the cell shows with `decimals` decimals.
    pub fn decimals(self, decimals: usize) -> Self {
        self.rounded(Rounding::Decimals(decimals))
    }

    /// Each row's cell rounded as `rounding(row)` says (rows of mixed figures).
    pub fn rounded_by(self, rounding: impl Fn(&R) -> Rounding + Send + Sync + 'static) -> Self {
        Column {
            row_rounding: Some(Arc::new(rounding)),
            ..self
        }
    }

    /// An interval column: sorted by its key, written to the CSV as two
    /// number columns, the low and the high end, rounded as the column.
    pub fn interval(
        self,
        bounds: impl Fn(&R) -> Option<(f64, f64)> + Send + Sync + 'static,
    ) -> Self {
        Column {
            interval: Some(Arc::new(bounds)),
            ..self
        }
    }

    /// The CSV headings of this column: one, or "…, low" and "…, high".
    fn csv_headings(&self) -> Vec<String> {
        let heading = self.heading();
        match self.interval {
            Some(_) => vec![
                format!("{heading}, {}", crate::i18n::t("low")),
                format!("{heading}, {}", crate::i18n::t("high")),
            ],
            None => vec![heading],
        }
    }

    fn heading(&self) -> String {
        if self.translate {
            crate::i18n::t(&self.title).to_string()
        } else {
            self.title.clone()
        }
    }

    /// The CSV cells of this column for `row` (two for an interval).
    fn csv_cells(&self, row: &R, dialect: CsvDialect) -> Vec<String> {
        let rounding = self.row_rounding.as_ref().map_or(self.rounding, |f| f(row));
        if let Some(bounds) = &self.interval {
            return match bounds(row) {
                Some((low, high)) => vec![
                    rounding.csv_number(low, dialect),
                    rounding.csv_number(high, dialect),
                ],
                None => vec![String::new(), String::new()],
            };
        }
        vec![(self.key)(row).csv_rounded(dialect, rounding)]
    }
}

/// A file-name part from a column name: lower case, runs of anything but
/// letters and digits as one "-".
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "segment".into()
    } else {
        out
    }
}

/// The rows in the order chosen: `sort` is (column, descending).
fn sorted<R: Clone>(rows: &[R], columns: &[Column<R>], sort: Option<(usize, bool)>) -> Vec<R> {
    let Some(column) = sort.and_then(|(c, desc)| columns.get(c).map(|col| (col, desc))) else {
        return rows.to_vec();
    };
    let keys: Vec<SortKey> = rows.iter().map(|r| (column.0.key)(r)).collect();
    sort_order(&keys, column.1)
        .into_iter()
        .filter_map(|i| rows.get(i).cloned())
        .collect()
}

/// The CSV text of `rows` under `columns`' headings, for the spreadsheet of
/// the page's language (a BOM; in Russian ';' and a decimal comma).
fn csv_text<R>(rows: &[R], columns: &[Column<R>]) -> String {
    let dialect = CsvDialect::for_locale(crate::i18n::lang().locale());
    let columns: Vec<&Column<R>> = columns.iter().filter(|c| !c.action).collect();
    let header: Vec<String> = columns.iter().flat_map(|c| c.csv_headings()).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_table(
        &header,
        rows.iter().map(|r| {
            columns
                .iter()
                .flat_map(|c| c.csv_cells(r, dialect))
                .collect::<Vec<_>>()
        }),
        dialect,
    )
}

/// What the table's markup needs of a column: no row type, so the markup
/// is compiled once for every table (only the rows are per table).
#[derive(Clone, Debug, PartialEq)]
struct Heading {
    /// The column's index among all columns (the sort's).
    index: usize,
    title: String,
    translate: bool,
    hint: Option<&'static str>,
    numeric: bool,
    action: bool,
}

impl Heading {
    fn text(&self) -> String {
        if self.translate {
            crate::i18n::t(&self.title).to_string()
        } else {
            self.title.clone()
        }
    }
}

/// The headings shown (a CSV-only column has none).
fn headings<R>(columns: &[Column<R>]) -> Vec<Heading> {
    columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.csv_only)
        .map(|(index, c)| Heading {
            index,
            title: c.title.clone(),
            translate: c.translate,
            hint: c.hint,
            numeric: c.numeric,
            action: c.action,
        })
        .collect()
}

/// One heading: a sort button, or a plain heading over a column of buttons.
fn heading_view(h: Heading, sort: RwSignal<Option<(usize, bool)>>) -> AnyView {
    let i = h.index;
    let state = move || match sort.get() {
        Some((s, false)) if s == i => "ascending",
        Some((s, true)) if s == i => "descending",
        _ => "none",
    };
    let mark = move || match state() {
        "ascending" => "▲",
        "descending" => "▼",
        _ => "",
    };
    let hint = h.hint;
    let numeric = h.numeric;
    if h.action {
        return view! { <th scope="col">{move || h.text()}</th> }.into_any();
    }
    view! {
        <th scope="col" class:num=numeric aria-sort=state
            title=move || hint.map(|h| crate::i18n::t(h).to_string())>
            <button type="button" class="sort" data-testid="sort"
                on:click=move |_| sort.update(|s| {
                    *s = match *s {
                        Some((c, false)) if c == i => Some((i, true)),
                        _ => Some((i, false)),
                    }
                })>
                {move || h.text()}
                <span class="sort-mark" aria-hidden="true">{mark}</span>
            </button>
        </th>
    }
    .into_any()
}

/// The parts of a table that do not depend on its row type.
struct TableParts {
    testid: &'static str,
    class: &'static str,
    column: Option<String>,
    caption: Signal<String>,
    headings: Signal<Vec<Heading>>,
    sort: RwSignal<Option<(usize, bool)>>,
    /// The rows in the order shown.
    body: Arc<dyn Fn() -> AnyView + Send + Sync>,
    /// The CSV text of the rows shown.
    csv: Arc<dyn Fn() -> String + Send + Sync>,
    file_name: String,
}

/// The table's markup, compiled once for every table.
fn table_view(parts: TableParts) -> AnyView {
    let TableParts {
        testid,
        class,
        column,
        caption,
        headings,
        sort,
        body,
        csv,
        file_name,
    } = parts;
    let failure = RwSignal::new(None::<String>);
    let save = move |_| {
        let text = untrack(|| csv());
        failure.set(crate::download::save_text(&file_name, "text/csv;charset=utf-8", &text).err());
    };
    let headings = move || {
        headings
            .get()
            .into_iter()
            .map(|h| heading_view(h, sort))
            .collect_view()
    };
    view! {
        <table class=class data-testid=testid data-column=column>
            <caption>
                {move || caption.get()}
                " "
                <button type="button" class="link export" data-testid="export-csv" on:click=save>
                    {tr!("CSV")}
                </button>
                {move || failure.get().map(|e| view! { <span class="chart-error">{e}</span> })}
            </caption>
            <thead><tr>{headings}</tr></thead>
            // A `.segment-table`'s body scrolls on its own (style/main.css):
            // focusable, so the keyboard can scroll it too.
            <tbody tabindex=class.split(' ').any(|c| c == "segment-table").then_some("0")>
                {move || body()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A `<table>` with sortable headings and a CSV download in its caption.
/// Rows are drawn by `row` (one `<tr>` each), so a table keeps its own
/// markup (row headers, selects, buttons, data attributes).
#[component]
pub fn SortableTable<R, F, V>(
    /// `data-testid` of the table.
    testid: &'static str,
    /// The table's CSS class.
    #[prop(optional)]
    class: &'static str,
    /// `data-column` of the table (a segment column's name), when any.
    #[prop(optional, into)]
    column: Option<String>,
    /// The caption, already in the page's language.
    #[prop(into)]
    caption: Signal<String>,
    /// The columns, left to right, matching the cells `row` draws.
    #[prop(into)]
    columns: Signal<Vec<Column<R>>>,
    /// The rows in their default order.
    #[prop(into)]
    rows: Signal<Vec<R>>,
    /// Draws one row as a `<tr>`.
    row: F,
    /// The CSV download's file name.
    #[prop(into)]
    file_name: String,
) -> impl IntoView
where
    R: Clone + Send + Sync + 'static,
    F: Fn(R) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // (column, descending); None: the order the rows came in.
    let sort = RwSignal::new(None::<(usize, bool)>);
    let shown = move || columns.with(|c| rows.with(|r| sorted(r, c, sort.get())));
    let row = StoredValue::new(row);
    let seen = use_context::<PageSeen>().map_or(Signal::stored(true), |s| s.0);
    table_view(TableParts {
        testid,
        class,
        column,
        caption,
        headings: Signal::derive(move || columns.with(|c| headings(c))),
        sort,
        body: Arc::new(move || {
            if !seen.get() {
                return ().into_any();
            }
            let draw = row.get_value();
            shown().into_iter().map(draw).collect_view().into_any()
        }),
        csv: Arc::new(move || columns.with(|c| csv_text(&shown(), c))),
        file_name,
    })
}
