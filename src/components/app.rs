//! The dashboard: intake, figures, chart, and the state that joins them.

use std::rc::Rc;

use leptos::prelude::*;
use loyalty_analytics::chart::ChartId;
use loyalty_analytics::ingest::{FileSummary, ReadOptions};
use loyalty_analytics::metrics::churn_rules::ChurnCategory;
use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::models::CustomerCard;
use loyalty_analytics::report::metric;
use loyalty_analytics::{Report, SectionTiming, Settings};

use super::area_summary::AreaSummary;
use super::canvas_chart::CanvasChart;
use super::churn_page::ChurnPage;
use super::clv_page::ClvPage;
use super::cohort_table::CohortTable;
use super::currency_warning::CurrencyWarning;
use super::data_intake::DataIntake;
use super::data_quality::DataQuality;
use super::download_report::DownloadReport;
use super::error_list::ErrorList;
use super::file_table::FileTable;
use super::join_warning::JoinWarning;
use super::keep_files::{KeepFiles, KeptFiles};
use super::kpi_card::{kpi_cards, Kpi};
use super::loaded_files::{LoadedEntry, LoadedFiles};
use super::mapping_panel::MappingPanel;
use super::news_lines::{NewsLines, NewsOf};
use super::page_main::PageMain;
use super::page_nav::{initial_page, Page, PageNav};
use super::programme_panel::ProgrammePanel;
use super::progress_panel::ProgressPanel;
use super::read_as_list::ReadAsList;
use super::segment_breakdown::SegmentBreakdown;
use super::settings_panel::SettingsPanel;
use super::surveys_page::SurveysPage;
use super::timings::Timings;
use crate::charts::{
    draw_activity_chart, draw_cohort_curves_chart, draw_distribution_chart, draw_lifecycle_chart,
    draw_seasonality_chart, draw_survival_chart, Drawn, Target,
};
use crate::i18n::{provide_lang, t, Lang};
use crate::messages::Msg;
use crate::protocol::{Outcome, Progress, Request, Response, UnreadFile};
use crate::reading::{feeds_no_figure, missing_text};
use crate::storage::{store, stored, LANG_KEY, SETTINGS_KEY};
use crate::summaries::{
    activity_summary, buckets_text, date_text, gaps_text, lifecycle_summary, survival_summary,
};
use crate::url_state::{hash_for, settings_from_hash};
use crate::worker_client::{AnalysisWorker, WorkerEvent};
use loyalty_analytics::metric::MetricId;

/// What the page shows of the last finished run.
#[derive(Clone, Debug, PartialEq)]
struct Analysis {
    report: Report,
    parse_ms: f64,
    analyze_ms: f64,
    sections: Vec<SectionTiming>,
    /// Each report file's position among the files given.
    file_index: Vec<usize>,
}

/// One file's mapping panel: which file (its position among the files
/// given), how it was read, with what options, and what it lacks for any
/// figure. Panels of files that lack something stay in view on every page.
#[derive(Clone, Debug, PartialEq)]
struct PanelEntry {
    index: usize,
    file: FileSummary,
    options: ReadOptions,
    missing: Option<&'static str>,
}

/// The mapping panels of the read files and of those refused for want of
/// known columns, in the order the files were given.
fn panel_entries(
    report: Option<&Report>,
    file_index: &[usize],
    unread: &[UnreadFile],
    options: &[ReadOptions],
) -> Vec<PanelEntry> {
    let options_of = |i: usize| options.get(i).cloned().unwrap_or_default();
    let mut entries: Vec<PanelEntry> = report
        .map(|r| {
            r.files
                .iter()
                .enumerate()
                .map(|(n, file)| {
                    let index = file_index.get(n).copied().unwrap_or(n);
                    let roles: Vec<_> = file.columns.iter().map(|c| c.role).collect();
                    PanelEntry {
                        index,
                        file: file.clone(),
                        options: options_of(index),
                        missing: feeds_no_figure(file, r).then(|| missing_text(&roles)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    entries.extend(unread.iter().map(|u| {
        let mut options = options_of(u.index);
        // Named roles are read under the header it had: keep it.
        options.has_header.get_or_insert(u.summary.has_header);
        PanelEntry {
            index: u.index,
            file: u.summary.clone(),
            options,
            missing: Some(missing_text(&[])),
        }
    }));
    entries.sort_by_key(|e| e.index);
    entries
}

/// The standalone HTML report of `report`, saved as a file. Drawn here, not
/// in the worker: plotters measures chart text with the page's canvas.
fn save_html_report(report: Option<Report>, lang: Lang) {
    let Some(report) = report else { return };
    let lang = match lang {
        Lang::En => loyalty_analytics::html_report::Lang::En,
        Lang::Ru => loyalty_analytics::html_report::Lang::Ru,
    };
    let html = loyalty_analytics::html_report::standalone_html(&report, lang);
    let _ = crate::download::save_text("loyalty-report.html", "text/html;charset=utf-8", &html);
}

#[component]
pub fn App() -> impl IntoView {
    // The smallest state: the last analysis, the messages of files that could
    // not be read, the progress of a run under way (None: idle), and the last
    // chart draw time. The worker handle is not reactive state.
    let analysis = RwSignal::new(None::<Analysis>);
    let errors = RwSignal::new(Vec::<String>::new());
    // Files refused for want of known columns: their mapping panels.
    let unread = RwSignal::new(Vec::<UnreadFile>::new());
    // The file whose mapping panel the user asked for ("Change columns").
    let open_request = RwSignal::new(None::<usize>);
    let running = RwSignal::new(false);
    let progress = RwSignal::new(None::<Progress>);
    let render_ms = RwSignal::new(None::<f64>);
    // The loaded set: every file dropped or picked since the start (or the
    // last "clear all"), in the order they came; each one's reading options
    // (the mapping panel's state) at the same position in `read_options`.
    // Kept on the page, so a restarted worker is simply sent it again (and a
    // later opt-in "keep my files" store can save and restore it).
    let files = RwSignal::new_local(Vec::<web_sys::File>::new());
    let read_options = RwSignal::new(Vec::<ReadOptions>::new());
    // The set of the last finished reading, restored when a run is cancelled
    // so the list of files matches the figures shown; and the set of the run
    // under way.
    let settled = StoredValue::new_local((Vec::<web_sys::File>::new(), Vec::<ReadOptions>::new()));
    let sent = StoredValue::new_local(None::<(Vec<web_sys::File>, Vec<ReadOptions>)>);
    // The worker was restarted (cancel, failure) and holds no data: the next
    // settings change reads the set again instead of recomputing.
    let stale = StoredValue::new(false);
    // After a cancel or a worker failure: back to the files of the figures
    // shown (a file whose reading stopped the worker is not kept); the new
    // worker holds no data.
    let restore = move || {
        sent.set_value(None);
        let (set, options) = settled.get_value();
        files.set(set);
        read_options.set(options);
        stale.set_value(true);
    };
    // Period, churn window and the rest: sent with every request. The last
    // ones used here (local storage), then what the address says.
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let saved = stored(SETTINGS_KEY)
        .and_then(|text| serde_json::from_str::<Settings>(&text).ok())
        .unwrap_or_default();
    let settings = RwSignal::new(settings_from_hash(&hash, saved));
    let page = RwSignal::new(initial_page());
    // The language: the last one chosen here, else the browser's, else English.
    let lang = RwSignal::new(
        stored(LANG_KEY)
            .and_then(|code| Lang::from_code(&code))
            .or_else(Lang::from_browser)
            .unwrap_or(Lang::En),
    );
    provide_lang(lang);
    // Effect: the address shows the page and the settings, so a link
    // reopens this view. Each page is a history step (pushState when the
    // page changes), so Back and Forward go from page to page with the data
    // still there (PageNav listens); a settings change, and the first
    // address, replace the entry rather than add one.
    Effect::new(move |_| {
        let shown = page.get();
        let hash = hash_for(shown.id(), &settings.get());
        let Some(w) = web_sys::window() else { return };
        let current = w.location().hash().unwrap_or_default();
        if current == hash {
            return;
        }
        if let Ok(history) = w.history() {
            let null = wasm_bindgen::JsValue::NULL;
            let _ = if Page::from_hash(&current).is_some_and(|p| p != shown) {
                history.push_state_with_url(&null, "", Some(&hash))
            } else {
                history.replace_state_with_url(&null, "", Some(&hash))
            };
        }
    });
    // Leaving (reload, close, another address) with files loaded asks
    // first: the files are not kept anywhere but this page.
    let leave = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if files.with_untracked(|f| !f.is_empty()) {
            ev.prevent_default();
            // Browsers before 2023 ask only for a non-empty value; none shows it.
            ev.set_return_value("files loaded");
        }
    });
    on_cleanup(move || leave.remove());
    // Effect: `<html lang>` and local storage live outside leptos' DOM.
    Effect::new(move |_| {
        let code = lang.get().code();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
        store(LANG_KEY, code);
    });
    // The CLV page's last customer lookup: (id asked, what the worker found).
    let customer = RwSignal::new(None::<(String, Option<CustomerCard>)>);
    let worker = StoredValue::new_local(None::<AnalysisWorker>);

    let finish = move |outcome: Outcome| {
        if let Some((set, options)) = sent.try_update_value(Option::take).flatten() {
            // A file that could not be read at all (its message says why)
            // leaves the set; one whose columns were not recognised stays,
            // for its mapping panel. Only while the set is the one read.
            let read = |i: usize| {
                outcome.file_index.contains(&i) || outcome.unread.iter().any(|u| u.index == i)
            };
            if files.with_untracked(|f| *f == set) && !(0..set.len()).all(read) {
                let kept = (0..set.len()).filter(|i| read(*i));
                files.set(kept.clone().map(|i| set[i].clone()).collect());
                read_options.set(
                    kept.map(|i| options.get(i).cloned().unwrap_or_default())
                        .collect(),
                );
            }
            settled.set_value((set, options));
        }
        render_ms.set(None);
        errors.set(
            outcome
                .errors
                .iter()
                .map(|error| Msg::RunError { error }.text())
                .collect(),
        );
        unread.set(outcome.unread);
        let file_index = outcome.file_index;
        analysis.set(outcome.report.map(|report| Analysis {
            report,
            parse_ms: outcome.parse_ms,
            analyze_ms: outcome.analyze_ms,
            sections: outcome.sections,
            file_index,
        }));
        running.set(false);
        progress.set(None);
    };
    // Spawned at start, so its wasm loads while the user picks files.
    let spawn_worker = move || {
        let on_event: Rc<dyn Fn(WorkerEvent)> = Rc::new(move |event| match event {
            WorkerEvent::Response(response) => match *response {
                Response::Progress(p) => progress.set(Some(p)),
                Response::Done(outcome) => finish(*outcome),
                Response::Ready | Response::WarmUp(_) => {}
                Response::Customer { id, card } => customer.set(Some((id, card.map(|c| *c)))),
                Response::Download {
                    file_name,
                    mime,
                    text,
                } => {
                    if let Err(e) = crate::download::save_text(&file_name, &mime, &text) {
                        errors.set(vec![Msg::ExportNotSaved { error: &e }.text()]);
                    }
                }
            },
            WorkerEvent::Failed(message) => {
                errors.set(vec![message]);
                unread.set(Vec::new());
                running.set(false);
                progress.set(None);
                restore();
                // A worker that stopped on an error is not reused: the next run
                // gets a new one. Dropped after this callback, whose closure it owns.
                leptos::task::spawn_local(async move { worker.set_value(None) });
            }
        });
        match AnalysisWorker::spawn(on_event) {
            Ok(w) => worker.set_value(Some(w)),
            Err(e) => errors.set(vec![Msg::WorkerNotStarted { error: &e }.text()]),
        }
    };
    spawn_worker();

    let run = move |request: Request, files: Vec<web_sys::File>| {
        if let Request::Analyse { options, .. } = &request {
            sent.set_value(Some((files.clone(), options.clone())));
            stale.set_value(false);
        }
        if worker.with_value(Option::is_none) {
            spawn_worker();
        }
        running.set(true);
        progress.set(None);
        let sent = worker.with_value(|w| w.as_ref().map(|w| w.send(request, files)));
        if let Some(Err(e)) = sent {
            errors.set(vec![Msg::FilesNotHanded { error: &e }.text()]);
            running.set(false);
        }
    };
    // A question about the last analysis (a customer, an export): no rerun.
    let ask = move |request: Request| {
        let sent = worker.with_value(|w| w.as_ref().map(|w| w.send(request, Vec::new())));
        if !matches!(sent, Some(Ok(()))) {
            errors.set(vec![Msg::AnalysisGone.text()]);
        }
    };
    let cancel = move || {
        // Dropping the handle terminates the worker mid-run; a fresh one takes its place.
        worker.set_value(None);
        running.set(false);
        progress.set(None);
        spawn_worker();
        restore();
    };
    // Reads the whole loaded set again, each file with its options.
    let read_set = move || {
        run(
            Request::Analyse {
                options: read_options.get_untracked(),
                settings: settings.get_untracked(),
            },
            files.get_untracked(),
        );
    };
    // "Keep my files on this computer" (opt-in): the set is saved whenever
    // it changes and read back when the page opens.
    let kept = KeptFiles::wire(files, read_options, read_set);
    // "Clear all", or the last file removed: back to the empty start page.
    let clear_files = move || {
        worker.set_value(None);
        files.set(Vec::new());
        read_options.set(Vec::new());
        settled.set_value(Default::default());
        sent.set_value(None);
        analysis.set(None);
        errors.set(Vec::new());
        unread.set(Vec::new());
        customer.set(None);
        open_request.set(None);
        running.set(false);
        progress.set(None);
        render_ms.set(None);
        spawn_worker();
    };
    // A drop or a pick adds its files to the set. A file of the same name as
    // one loaded is a new export of it: it takes that file's place (and keeps
    // its reading options) rather than doubling its rows.
    let add_files = move |new: Vec<web_sys::File>| {
        let mut set = files.get_untracked();
        let mut options = read_options.get_untracked();
        options.resize(set.len(), ReadOptions::default());
        for file in new {
            match set.iter().position(|f| f.name() == file.name()) {
                Some(i) => set[i] = file,
                None => {
                    set.push(file);
                    options.push(ReadOptions::default());
                }
            }
        }
        files.set(set);
        read_options.set(options);
        read_set();
    };
    // The file at `index` of the set leaves it; the rest are read again.
    let remove_file = move |index: usize| {
        let mut set = files.get_untracked();
        if index >= set.len() {
            return;
        }
        set.remove(index);
        if set.is_empty() {
            clear_files();
            return;
        }
        let mut options = read_options.get_untracked();
        options.resize(set.len() + 1, ReadOptions::default());
        options.remove(index);
        files.set(set);
        read_options.set(options);
        open_request.set(None);
        read_set();
    };

    let report = Memo::new(move |_| analysis.with(|a| a.as_ref().map(|a| a.report.clone())));
    // `index`: the file's position among the files given.
    let reread = move |index: usize, options: ReadOptions| {
        let mut all = read_options.get_untracked();
        all.resize(
            files.with_untracked(Vec::len).max(index + 1),
            ReadOptions::default(),
        );
        all[index] = options;
        read_options.set(all);
        read_set();
    };
    let change_settings = move |new: Settings| {
        if let Ok(text) = serde_json::to_string(&new) {
            store(SETTINGS_KEY, &text);
        }
        settings.set(new.clone());
        if stale.get_value() {
            read_set();
        } else {
            run(Request::Recompute { settings: new }, Vec::new());
        }
    };
    // A reason moved to another category by hand: saved with the settings,
    // applied by a rerun.
    let remap_reason = move |(reason, category): (String, ChurnCategory)| {
        let mut new = settings.get_untracked();
        new.churn.overrides.set(&reason, category);
        change_settings(new);
    };
    let period_label = move |what: &'static str| {
        let period = match settings.get().period {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        };
        t(&format!("{what}, last full {period}")).to_string()
    };
    let panels = Memo::new(move |_| {
        let file_index =
            analysis.with(|a| a.as_ref().map(|a| a.file_index.clone()).unwrap_or_default());
        let (unread, read_options) = (unread.get(), read_options.get());
        report.with(|r| panel_entries(r.as_ref(), &file_index, &unread, &read_options))
    });
    // The panels of files that lack something for any figure (`attention`:
    // shown under the intake, on every page), or of the others (the Data
    // quality page).
    let mapping_panels = move |attention: bool| {
        move || {
            panels
                .get()
                .into_iter()
                .filter(|e| e.missing.is_some() == attention)
                .map(|e| {
                    let index = e.index;
                    view! {
                        <MappingPanel
                            file=e.file
                            options=e.options
                            on_apply=Callback::new(move |o| reread(index, o))
                            index=index
                            open_request=open_request
                            missing=e.missing
                        />
                    }
                })
                .collect_view()
        }
    };
    // "Change columns" on the overview, for the report's file number `n`:
    // to the page that holds its panel, which opens.
    let open_mapping = move |n: usize| {
        let index = analysis
            .with_untracked(|a| a.as_ref().and_then(|a| a.file_index.get(n).copied()))
            .unwrap_or(n);
        let in_view =
            panels.with_untracked(|p| p.iter().any(|e| e.index == index && e.missing.is_some()));
        if !in_view {
            page.set(Page::Quality);
        }
        open_request.set(Some(index));
    };
    let read_files = Signal::derive(move || {
        report
            .with(|r| r.as_ref().map(|r| r.files.clone()))
            .unwrap_or_default()
    });
    // Each loaded file with what the reading of the figures shown made of
    // it: found by name in that reading's set (a file added or removed since
    // is not in it yet), then by position among the report's files.
    let loaded = Signal::derive(move || {
        let shown: Vec<String> = analysis
            .with(|_| settled.with_value(|(set, _)| set.iter().map(|f| f.name()).collect()));
        files.with(|set| {
            set.iter()
                .map(|f| {
                    let name = f.name();
                    let read = shown.iter().position(|n| *n == name).and_then(|at| {
                        analysis.with(|a| {
                            let a = a.as_ref()?;
                            let mine: Vec<_> = a
                                .report
                                .files
                                .iter()
                                .enumerate()
                                .filter(|(n, _)| a.file_index.get(*n).copied().unwrap_or(*n) == at)
                                .map(|(_, f)| f)
                                .collect();
                            Some((mine.first()?.kind, mine.iter().map(|f| f.rows_read).sum()))
                        })
                    });
                    LoadedEntry { name, read }
                })
                .collect::<Vec<_>>()
        })
    });
    let months = Signal::derive(move || {
        report
            .with(|r| r.as_ref().map(|r| r.monthly_activity.clone()))
            .unwrap_or_default()
    });
    let survival =
        Signal::derive(move || report.with(|r| r.as_ref().and_then(|r| r.survival.clone())));
    let patterns = Signal::derive(move || {
        report.with(|r| r.as_ref().and_then(|r| r.purchase_patterns.clone()))
    });
    let has_purchases = move || {
        report
            .get()
            .is_some_and(|r| r.metric(metric::TRANSACTIONS).is_some())
    };
    let figure = move |id: &'static str| crate::report_parts::figure(report.into(), id);
    let first_date = move || date_text(report.with(|r| r.as_ref().and_then(|r| r.first_date)));
    let last_date = move || date_text(report.with(|r| r.as_ref().and_then(|r| r.last_date)));

    view! {
        <header class="top">
            <h1>"Loyalty Lens"</h1>
            <label class="lang">
                <span class="visually-hidden">{tr!("Language")}</span>
                <select
                    data-testid="lang"
                    prop:value=move || lang.get().code()
                    on:change=move |ev| {
                        if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                            lang.set(l);
                        }
                    }
                >
                    <option value="en">"English"</option>
                    <option value="ru">"Русский"</option>
                </select>
            </label>
            <p class="tagline">{tr!("Retention, value and loyalty from your exports. Nothing leaves this browser.")}</p>
        </header>
        <PageNav page=page />
        <div class="intake">
            <DataIntake
                loaded=Signal::derive(move || files.with(|f| f.iter().map(|f| f.name()).collect()))
                on_files=Callback::new(add_files)
                on_sample=Callback::new(move |()| {
                    running.set(true);
                    leptos::task::spawn_local(async move {
                        match crate::sample::sample_files().await {
                            // The sample replaces the loaded set: its figures
                            // are those of the sample shop alone.
                            Ok(sample) => {
                                files.set(sample);
                                read_options.set(Vec::new());
                                read_set();
                            }
                            Err(e) => {
                                running.set(false);
                                errors.set(vec![Msg::SampleMissing {
                                    file: e.file,
                                    detail: &e.detail,
                                }
                                .text()]);
                            }
                        }
                    });
                })
            />
            <Show when=move || running.get()>
                <ProgressPanel progress=progress.into() on_cancel=Callback::new(move |()| cancel()) />
            </Show>
            <Show when=move || files.with(|f| !f.is_empty()) && (page.get() == Page::Overview || report.with(Option::is_none))>
                <LoadedFiles
                    files=loaded
                    running=running.into()
                    on_remove=Callback::new(remove_file)
                    on_clear=Callback::new(move |()| clear_files())
                />
            </Show>
            <Show when=move || (kept.kept() || files.with(|f| !f.is_empty())) && (page.get() == Page::Overview || report.with(Option::is_none))>
                <KeepFiles state=kept />
            </Show>
            <ErrorList errors=errors.into() />
            <Show when=move || panels.with(|p| p.iter().any(|e| e.missing.is_some()))>
                <section class="mappings attention" aria-label=tr!("Files that need their columns named")>
                    {mapping_panels(true)}
                </section>
            </Show>
            <Show when=move || report.with(Option::is_some)>
                <SettingsPanel settings=settings.into() on_change=Callback::new(change_settings) />
            </Show>
        </div>
        <Show
            when=move || report.with(Option::is_some)
            fallback=|| view! {
                <p class="empty">
                    {tr!("Drop any export: orders (customer id, date, amount), survey answers (NPS, CSAT), a customer or churn list, or a per-customer summary; or load the sample to see the figures.")}
                </p>
            }
        >
            <PageMain page=Page::Overview current=page.into()>
                <ReadAsList files=read_files on_open=Callback::new(open_mapping) />
                <JoinWarning report=report />
                <CurrencyWarning report=report settings=settings on_change=Callback::new(change_settings) />
                <NewsLines report=report of=NewsOf::All />
                <AreaSummary report=report page=page />
                <Show
                    when=move || has_purchases()
                    fallback=move || view! {
                        <section class="kpis" aria-label=tr!("Headline figures")>
                            {kpi_cards(vec![Kpi::new(MetricId::Customers, figure(MetricId::Customers.id()))])}
                        </section>
                        <p class="note" data-testid="no-purchases">
                            {tr!("No orders loaded: purchase figures, retention and cohorts need an orders export (customer id, date, amount).")}
                        </p>
                    }
                >
                    <section class="kpis" aria-label=tr!("Headline figures")>
                        {kpi_cards(vec![
                            Kpi::new(MetricId::Customers, figure(MetricId::Customers.id())),
                            Kpi::new(MetricId::Transactions, figure(MetricId::Transactions.id())),
                            Kpi::new(MetricId::Orders, figure(MetricId::Orders.id())),
                            Kpi::new(MetricId::Revenue, figure(MetricId::Revenue.id())),
                            Kpi::new(MetricId::RepeatRate, figure(MetricId::RepeatRate.id())),
                            Kpi::new(MetricId::RetentionRate, figure(MetricId::RetentionRate.id())).label(Signal::derive(move || period_label("Retention"))),
                            Kpi::new(MetricId::ChurnRate, figure(MetricId::ChurnRate.id())).label(Signal::derive(move || period_label("Churn"))),
                        ])}
                        <div class="kpi" data-field="first_date" data-value=first_date>
                            <span class="kpi-label">{tr!("First date")}</span>
                            <span class="kpi-value">{first_date}</span>
                        </div>
                        <div class="kpi" data-field="last_date" data-value=last_date>
                            <span class="kpi-label">{tr!("Last date")}</span>
                            <span class="kpi-value">{last_date}</span>
                        </div>
                    </section>
                    <CanvasChart
                        chart=ChartId::MonthlyActivity
                        summary=Signal::derive(move || activity_summary(&months.get()))
                        draw=Callback::new(move |target: Target| {
                            draw_activity_chart(&target, &months.get(), crate::i18n::lang().locale()).map_err(|e| e.to_string())
                        })
                        on_rendered=Callback::new(move |ms| render_ms.set(Some(ms)))
                    />
                </Show>
                <Show when=move || report.with(|r| r.as_ref().is_some_and(|r| r.surveys.as_ref().is_some_and(|s| s.nps.is_some())))>
                    <p class="headline" data-testid="overview-nps">
                        <a href="#surveys" on:click=move |ev| { ev.prevent_default(); page.set(Page::Surveys) }>
                            {move || report.with(|r| r.as_ref().and_then(|r| r.surveys.as_ref()?.nps.as_ref()).map(|n| Msg::NpsLine {
                                nps: n.nps, low: n.ci_low, high: n.ci_high, answers: n.responses as usize,
                            }.text()))}
                        </a>
                    </p>
                </Show>
            </PageMain>
            <PageMain page=Page::Retention current=page.into()>
                <NewsLines report=report of=NewsOf::Retention />
                <Show
                    when=move || has_purchases() || survival.get().is_some()
                    fallback=|| view! {
                        <p class="empty">{tr!("Retention needs an orders export (customer id, date) or a customers file with start and end dates or tenure.")}</p>
                    }
                >
                    <Show when=move || has_purchases()>
                        <section class="kpis" aria-label=tr!("Cohort retention")>
                            {kpi_cards(vec![
                                Kpi::new(MetricId::RetentionM1, figure(MetricId::RetentionM1.id())),
                                Kpi::new(MetricId::RetentionM3, figure(MetricId::RetentionM3.id())),
                                Kpi::new(MetricId::RetentionM6, figure(MetricId::RetentionM6.id())),
                                Kpi::new(MetricId::RetentionM12, figure(MetricId::RetentionM12.id())),
                            ])}
                        </section>
                        <CanvasChart
                            chart=ChartId::Lifecycle
                            summary=Signal::derive(move || report.with(|r| lifecycle_summary(r.as_ref().map_or(&[], |r| &r.lifecycle))))
                            draw=Callback::new(move |target: Target| report.with(|r| {
                                let periods = r.as_ref().map_or(&[][..], |r| &r.lifecycle);
                                draw_lifecycle_chart(&target, periods, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                            }))
                        />
                        <CohortTable matrix=Signal::derive(move || report.with(|r| r.as_ref().map(|r| r.cohorts.clone())).unwrap_or_default()) />
                        <CanvasChart
                            chart=ChartId::CohortCurves
                            summary=Signal::derive(move || report.with(|r| r.as_ref().map(|r| Msg::CohortAverage {
                                shares: &r.cohorts.average_on.iter().copied().enumerate().skip(1).take(12).collect::<Vec<_>>(),
                            }.text())).unwrap_or_default())
                            draw=Callback::new(move |target: Target| report.with(|r| {
                                let empty = Default::default();
                                let matrix = r.as_ref().map_or(&empty, |r| &r.cohorts);
                                draw_cohort_curves_chart(&target, matrix, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                            }))
                        />
                        {move || patterns.get().map(|p| view! { <p class="note" data-testid="purchase-gaps">{gaps_text(&p)}</p> })}
                        <CanvasChart
                            chart=ChartId::OrdersPerCustomer
                            summary=Signal::derive(move || patterns.get().map(|p| buckets_text(&p.orders_per_customer)).unwrap_or_default())
                            draw=Callback::new(move |target: Target| {
                                let buckets = patterns.get().map(|p| p.orders_per_customer).unwrap_or_default();
                                draw_distribution_chart(&target, &buckets, t("Orders"), t("Customers"), crate::i18n::lang().locale()).map_err(|e| e.to_string())
                            })
                        />
                        <CanvasChart
                            chart=ChartId::DaysBetweenPurchases
                            summary=Signal::derive(move || patterns.get().and_then(|p| p.days_between_purchases).map(|d| buckets_text(&d.buckets)).unwrap_or_default())
                            draw=Callback::new(move |target: Target| {
                                let buckets = patterns.get().and_then(|p| p.days_between_purchases).map(|d| d.buckets).unwrap_or_default();
                                draw_distribution_chart(&target, &buckets, t("Days"), t("Repeat purchases"), crate::i18n::lang().locale()).map_err(|e| e.to_string())
                            })
                        />
                        <Show when=move || patterns.get().is_some_and(|p| !p.seasonality.is_empty())>
                            <CanvasChart
                                chart=ChartId::Seasonality
                                summary=Signal::derive(move || patterns.get().map(|p| Msg::Seasonality {
                                    months: &p.seasonality.iter().map(|m| (m.month, m.orders_index)).collect::<Vec<_>>(),
                                }.text()).unwrap_or_default())
                                draw=Callback::new(move |target: Target| {
                                    let months = patterns.get().map(|p| p.seasonality).unwrap_or_default();
                                    draw_seasonality_chart(&target, &months, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                                })
                            />
                        </Show>
                    </Show>
                    <Show when=move || survival.get().is_some()>
                        <section class="kpis" aria-label=tr!("Customer lifetime")>
                            {kpi_cards(vec![Kpi::new(MetricId::KmMedianMonths, figure(MetricId::KmMedianMonths.id()))])}
                        </section>
                        <CanvasChart
                            chart=ChartId::Survival
                            summary=Signal::derive(move || survival_summary(survival.get().as_ref()))
                            draw=Callback::new(move |target: Target| match survival.get() {
                                Some(curve) => draw_survival_chart(&target, &curve, crate::i18n::lang().locale()).map_err(|e| e.to_string()),
                                None => Ok(Drawn::default()),
                            })
                        />
                    </Show>
                    {move || report.with(|r| r.as_ref().map(|r| (r.segment_retention.clone(), r.segment_survival.clone()))).map(|(retention, survival)| view! {
                        <SegmentBreakdown retention=retention survival=survival />
                    })}
                    {move || report.with(|r| r.as_ref().filter(|r| r.metric(metric::TRANSACTIONS).is_some()).map(|r| (r.programme.clone(), r.settings.marks.clone()))).map(|(programme, marks)| view! {
                        <ProgrammePanel
                            effect=programme
                            marks=marks
                            on_marks=Callback::new(move |marks| change_settings(Settings { marks, ..settings.get_untracked() }))
                        />
                    })}
                </Show>
            </PageMain>
            <PageMain page=Page::Surveys current=page.into()>
                <NewsLines report=report of=NewsOf::Surveys />
                <SurveysPage
                    report=report.into()
                    on_settings=Callback::new(move |surveys| change_settings(Settings { surveys, ..settings.get_untracked() }))
                />
            </PageMain>
            <PageMain page=Page::Clv current=page.into()>
                <ClvPage
                    report=report.into()
                    on_settings=Callback::new(move |clv| {
                        customer.set(None);
                        change_settings(Settings { clv, ..settings.get_untracked() })
                    })
                    on_lookup=Callback::new(move |id: String| ask(Request::Customer { id }))
                    customer=customer.into()
                    on_export=Callback::new(move |segment| ask(Request::SegmentCsv { segment }))
                />
            </PageMain>
            <PageMain page=Page::Churn current=page.into()>
                <ChurnPage
                    report=report.into()
                    on_remap=Callback::new(remap_reason)
                    on_rules=Callback::new(move |rules| {
                        let mut new = settings.get_untracked();
                        new.churn.rules = rules;
                        change_settings(new);
                    })
                    on_grouping=Callback::new(move |grouping| {
                        let mut new = settings.get_untracked();
                        new.churn.call_grouping = grouping;
                        change_settings(new);
                    })
                />
            </PageMain>
            <PageMain page=Page::Quality current=page.into()>
                <div class="actions">
                    <DownloadReport report=report.into() on_save=Callback::new(move |()| ask(Request::ReportJson)) />
                    <button type="button" class="button secondary" data-testid="download-html"
                        on:click=move |_| save_html_report(report.get_untracked(), lang.get_untracked())>
                        {tr!("Download HTML report")}
                    </button>
                </div>
                <FileTable report=report.into() />
                <section class="mappings" aria-label=tr!("Columns and reading options")>{mapping_panels(false)}</section>
                <DataQuality report=report.into() />
            </PageMain>
        </Show>
        <Timings
            parse_ms=Signal::derive(move || analysis.with(|a| a.as_ref().map(|a| a.parse_ms)))
            analyze_ms=Signal::derive(move || analysis.with(|a| a.as_ref().map(|a| a.analyze_ms)))
            sections=Signal::derive(move || {
                analysis.with(|a| a.as_ref().map(|a| a.sections.clone()).unwrap_or_default())
            })
            render_ms=render_ms.into()
        />
    }
}
