//! How a file was read, and the user's corrections: each column's role, the
//! header, the date format, the text encoding and the sheet, with a preview
//! of the first rows. Applying re-reads the file in the worker.

use crate::i18n::t;
use leptos::prelude::*;
use loyalty_analytics::ingest::{
    Currency, DateFormat, DecimalMark, FileSummary, ReadOptions, Role,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The serde name of a value ("customer_id"), used as an `<option>` value.
fn key<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

fn from_key<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&format!("\"{key}\"")).ok()
}

/// 31 January 2024 written in `format`, for the select.
fn date_example(format: DateFormat) -> String {
    match key(&format).as_str() {
        "iso" => "2024-01-31".into(),
        "compact" => "20240131".into(),
        "day_month_year_dots" => "31.01.2024".into(),
        "month_day_year_slash" => format!("01/31/2024 {}", t("(month first)")),
        "day_month_year_slash" => format!("31/01/2024 {}", t("(day first)")),
        "year_month_day_slash" => "2024/01/31".into(),
        "unix_time" => format!("1706659200 {}", t("(Unix time)")),
        "excel_serial" => format!("45322 {}", t("(Excel serial)")),
        "day_month_name_year" => "31 января 2024 / 31 Jan 2024".into(),
        "month_name_day_year" => "Jan 31, 2024".into(),
        other => other.replace('_', " "),
    }
}

/// Encodings offered besides detection (WHATWG labels).
const ENCODINGS: [&str; 8] = [
    "utf-8",
    "windows-1251",
    "koi8-r",
    "ibm866",
    "windows-1252",
    "iso-8859-1",
    "utf-16le",
    "utf-16be",
];

/// The reading options of one file, and its first rows.
#[component]
pub fn MappingPanel(
    /// The file as it was read.
    file: FileSummary,
    /// The options it was read with.
    options: ReadOptions,
    /// Called with the new options when the user applies them.
    on_apply: Callback<ReadOptions>,
    /// The file's position among the files given (the index of its options).
    index: usize,
    /// Set to a file's `index` when the user asks for that file's panel
    /// ("Change columns"): this panel then opens, scrolls into view, and
    /// sets it back to `None`.
    open_request: RwSignal<Option<usize>>,
    /// What the file lacks for any figure (an English key for `i18n::t`);
    /// when set, the panel opens by itself and says it.
    missing: Option<&'static str>,
) -> impl IntoView {
    let roles = RwSignal::new(file.columns.iter().map(|c| c.role).collect::<Vec<_>>());
    let header = RwSignal::new(options.has_header);
    let date_format = RwSignal::new(options.date_format);
    let encoding = RwSignal::new(options.encoding.clone());
    // The sheets read: those with the first sheet's header, or the ones chosen.
    let read_names: Vec<String> = if file.sheets_read.is_empty() {
        file.sheet.iter().cloned().collect()
    } else {
        file.sheets_read.iter().map(|s| s.sheet.clone()).collect()
    };
    let chosen_sheets = RwSignal::new(read_names.clone());
    let decimal_mark = RwSignal::new(options.decimal_mark);
    let currency = RwSignal::new(options.currency);
    // What the file says, apart from the user's choice.
    let detected_currency = if options.currency.is_some() {
        None
    } else {
        file.currency
    };
    let detected_roles: Vec<Option<Role>> = file.columns.iter().map(|c| c.role).collect();
    // Kept as they were read until the panel can change them: the sheets
    // read together, and a customer id made of several columns (changed
    // roles say it again: several "Customer id" columns are joined).
    let (read_sheets, id_columns) = (options.sheets.clone(), options.id_columns.clone());

    let apply = move |_| {
        let chosen = roles.get_untracked();
        let picked = chosen_sheets.get_untracked();
        // A different, non-empty choice of sheets is read as chosen; else as before.
        let sheets_changed = !picked.is_empty() && picked != read_names;
        let roles_changed = chosen != detected_roles;
        on_apply.run(ReadOptions {
            sheets: if sheets_changed {
                Some(picked)
            } else {
                read_sheets.clone()
            },
            sheet: if sheets_changed {
                None
            } else {
                options.sheet.clone()
            },
            encoding: encoding.get_untracked(),
            has_header: header.get_untracked(),
            id_columns: if roles_changed {
                None
            } else {
                id_columns.clone()
            },
            // Only send roles when the user changed them: detection stays in charge otherwise.
            roles: roles_changed.then_some(chosen),
            date_format: date_format.get_untracked(),
            decimal_mark: decimal_mark.get_untracked(),
            currency: currency.get_untracked(),
        });
    };

    let alternatives = file.date_alternatives.clone();
    let ambiguous = alternatives.len() > 1;
    // Open when the user must choose or name something; the user may close
    // it, and "Change columns" opens it again.
    let is_open = RwSignal::new(ambiguous || missing.is_some());
    let details = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        if open_request.get() == Some(index) {
            is_open.set(true);
            // After the page shown has changed and the panel has opened.
            request_animation_frame(move || {
                if let Some(el) = details.get_untracked() {
                    el.scroll_into_view();
                }
                open_request.set(None);
            });
        }
    });
    let role_select = move |index: usize| {
        view! {
            <select
                aria-label=tr!("Role of this column")
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    roles.update(|r| r[index] = from_key::<Role>(&value));
                }
            >
                <option value="" selected=move || roles.get()[index].is_none()>{tr!("— not used")}</option>
                {Role::ALL
                    .iter()
                    .map(|&role| {
                        view! {
                            <option value=key(&role) selected=move || roles.get()[index] == Some(role)>
                                {move || role.label_in(crate::i18n::lang().locale())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
    };
    let sheets = file.sheets.clone();
    view! {
        <details
            class="mapping"
            data-testid="mapping-panel"
            data-file=file.file.clone()
            node_ref=details
            prop:open=move || is_open.get()
            on:toggle=move |ev| is_open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))
        >
            <summary>
                {
                    let name = file.file.clone();
                    move || crate::i18n::tf("{}: columns and reading options", std::slice::from_ref(&name))
                }
                {ambiguous.then(|| view! { <span class="warn">{tr!(" · the dates can be read two ways: please choose")}</span> })}
            </summary>
            {missing.map(|text| view! {
                <p class="warn" role="status" data-testid="mapping-missing">{move || crate::i18n::t(text).to_string()}</p>
            })}
            <div class="mapping-options">
                <label>
                    {tr!("Header row ")}
                    <select on:change=move |ev| header.set(match event_target_value(&ev).as_str() {
                        "yes" => Some(true),
                        "no" => Some(false),
                        _ => None,
                    })>
                        <option value="auto" selected=options.has_header.is_none()>{format!("{} ({})", t("detected"), t(if file.has_header { "yes" } else { "no" }))}</option>
                        <option value="yes" selected=options.has_header == Some(true)>{tr!("yes")}</option>
                        <option value="no" selected=options.has_header == Some(false)>{tr!("no")}</option>
                    </select>
                </label>
                <label>
                    {tr!("Dates ")}
                    <select on:change=move |ev| date_format.set(from_key::<DateFormat>(&event_target_value(&ev)))>
                        <option value="auto" selected=options.date_format.is_none()>
                            {match file.date_format {
                                Some(f) => format!("{}: {}", t("detected"), date_example(f)),
                                None => t("detected").to_string(),
                            }}
                        </option>
                        {DateFormat::ALL
                            .iter()
                            .map(|&f| {
                                let fits = alternatives.contains(&f);
                                view! {
                                    // The example is the file's own writing, not a sentence of the page.
                                    <option value=key(&f) selected=options.date_format == Some(f) translate="no">
                                        {date_example(f)}
                                        {fits.then(|| format!(" ✓ {}", t("fits")))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {tr!("Decimal mark ")}
                    <select on:change=move |ev| decimal_mark.set(from_key::<DecimalMark>(&event_target_value(&ev)).unwrap_or_default())>
                        <option value="auto" selected=options.decimal_mark == DecimalMark::Auto>{tr!("detected per value")}</option>
                        <option value="point" selected=options.decimal_mark == DecimalMark::Point translate="no">{move || format!("{}: 1,234.50", t("point"))}</option>
                        <option value="comma" selected=options.decimal_mark == DecimalMark::Comma translate="no">{move || format!("{}: 1 234,50", t("comma"))}</option>
                    </select>
                </label>
                <label>
                    {tr!("Currency ")}
                    <select data-testid="file-currency" on:change=move |ev| currency.set(Currency::of_code(&event_target_value(&ev)))>
                        <option value="" selected=options.currency.is_none()>
                            {match (options.currency, detected_currency) {
                                (None, Some(c)) => format!("{} ({})", t("detected"), c.code()),
                                (None, None) => t("not named in the file").to_string(),
                                (Some(_), _) => t("detected").to_string(),
                            }}
                        </option>
                        {Currency::ALL
                            .iter()
                            .map(|&c| view! {
                                <option value=c.code() selected=options.currency == Some(c) translate="no">{c.code()}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
                {(file.format == "text").then(|| view! {
                    <label>
                        {tr!("Encoding ")}
                        <select on:change=move |ev| {
                            let value = event_target_value(&ev);
                            encoding.set((value != "auto").then_some(value));
                        }>
                            <option value="auto" selected=options.encoding.is_none()>{if file.encoding.is_empty() { t("detected").to_string() } else { format!("{} ({})", t("detected"), file.encoding) }}</option>
                            {ENCODINGS
                                .iter()
                                .map(|&label| view! {
                                    <option value=label selected=options.encoding.as_deref() == Some(label) translate="no">{label}</option>
                                })
                                .collect_view()}
                        </select>
                    </label>
                })}
                {(sheets.len() > 1).then(|| view! {
                    <fieldset class="sheet-choice">
                        <legend>{tr!("Sheets read together ")}</legend>
                        {sheets
                            .iter()
                            .map(|name| {
                                let (checked_name, toggled_name) = (name.clone(), name.clone());
                                view! {
                                    <label>
                                        <input
                                            type="checkbox"
                                            data-testid="sheet-choice"
                                            value=name.clone()
                                            prop:checked=move || chosen_sheets.get().contains(&checked_name)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen_sheets.update(|picked| {
                                                    picked.retain(|p| *p != toggled_name);
                                                    if on {
                                                        picked.push(toggled_name.clone());
                                                    }
                                                });
                                            }
                                        />
                                        {name.clone()}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                })}
                <button type="button" class="button" data-testid="apply-mapping" on:click=apply>{tr!("Apply and re-read")}</button>
            </div>
            <div class="preview">
                <table>
                    <thead>
                        <tr>{file.columns.iter().map(|c| view! { <th>{c.name.clone()}</th> }).collect_view()}</tr>
                        <tr>{(0..file.columns.len()).map(|i| view! { <th>{role_select(i)}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {file.preview
                            .iter()
                            .map(|row| view! { <tr>{row.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}
