//! The dashboard: intake, figures, chart, and the state that joins them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use loyalty_analytics::report::{metric, NaiveDate};

use super::activity_chart::ActivityChart;
use super::data_intake::DataIntake;
use super::download_report::DownloadReport;
use super::error_list::ErrorList;
use super::file_table::FileTable;
use super::kpi_card::{KpiCard, KpiFormat};
use super::timings::Timings;
use crate::analysis::{analyse, Analysis, LoadedFile, SAMPLE_BYTES, SAMPLE_NAME};

/// Where the next analysis gets its files.
enum Source {
    Picked(Vec<web_sys::File>),
    Sample,
}

/// Reads the picked files' bytes; a file the browser cannot read becomes a
/// message and the others go on.
async fn load(source: Source) -> (Vec<LoadedFile>, Vec<String>) {
    match source {
        Source::Sample => (
            vec![LoadedFile {
                name: SAMPLE_NAME.into(),
                bytes: SAMPLE_BYTES.to_vec(),
            }],
            Vec::new(),
        ),
        Source::Picked(files) => {
            let mut loaded = Vec::new();
            let mut errors = Vec::new();
            for file in files {
                let file = gloo_file::File::from(file);
                match gloo_file::futures::read_as_bytes(&file).await {
                    Ok(bytes) => loaded.push(LoadedFile {
                        name: file.name(),
                        bytes,
                    }),
                    Err(e) => errors.push(format!(
                        "{}: the browser could not read the file ({e}).",
                        file.name()
                    )),
                }
            }
            (loaded, errors)
        }
    }
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    // The smallest state: the last analysis, the messages of files that could
    // not be read, whether a run is under way, and the last chart draw time.
    let analysis = RwSignal::new(None::<Analysis>);
    let errors = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    let render_ms = RwSignal::new(None::<f64>);

    let run = move |source: Source| {
        busy.set(true);
        spawn_local(async move {
            let (files, mut messages) = load(source).await;
            // Let the progress bar paint before the synchronous parse.
            gloo_timers::future::TimeoutFuture::new(0).await;
            let outcome = analyse(&files);
            messages.extend(outcome.errors);
            render_ms.set(None);
            errors.set(messages);
            analysis.set(outcome.analysis);
            busy.set(false);
        });
    };

    let report = Memo::new(move |_| analysis.get().map(|a| a.report));
    let months =
        Signal::derive(move || report.get().map(|r| r.monthly_activity).unwrap_or_default());
    let figure =
        move |id: &'static str| Signal::derive(move || report.get().and_then(|r| r.metric(id)));
    let first_date = move || date_text(report.get().and_then(|r| r.first_date));
    let last_date = move || date_text(report.get().and_then(|r| r.last_date));

    view! {
        <header class="top">
            <h1>"Loyalty Lens"</h1>
            <p class="tagline">"Retention, value and loyalty from your exports. Nothing leaves this browser."</p>
        </header>
        <main data-page="overview">
            <DataIntake
                on_files=Callback::new(move |files| run(Source::Picked(files)))
                on_sample=Callback::new(move |()| run(Source::Sample))
            />
            <Show when=move || busy.get()>
                <progress data-testid="progress" aria-label="Analysing"></progress>
            </Show>
            <ErrorList errors=errors.into() />
            <Show
                when=move || report.get().is_some()
                fallback=|| view! {
                    <p class="empty">
                        "Drop an orders export (customer id, date, amount) or load the sample to see the figures."
                    </p>
                }
            >
                <section class="kpis" aria-label="Headline figures">
                    <KpiCard id=metric::CUSTOMERS label="Customers" value=figure(metric::CUSTOMERS) format=KpiFormat::Count />
                    <KpiCard id=metric::TRANSACTIONS label="Transactions" value=figure(metric::TRANSACTIONS) format=KpiFormat::Count />
                    <KpiCard id=metric::ORDERS label="Orders" value=figure(metric::ORDERS) format=KpiFormat::Count />
                    <KpiCard id=metric::REVENUE label="Revenue" value=figure(metric::REVENUE) format=KpiFormat::Money />
                    <KpiCard id=metric::REPEAT_RATE label="Repeat purchase rate" value=figure(metric::REPEAT_RATE) format=KpiFormat::Share />
                    <div class="kpi" data-field="first_date" data-value=first_date>
                        <span class="kpi-label">"First date"</span>
                        <span class="kpi-value">{first_date}</span>
                    </div>
                    <div class="kpi" data-field="last_date" data-value=last_date>
                        <span class="kpi-label">"Last date"</span>
                        <span class="kpi-value">{last_date}</span>
                    </div>
                </section>
                <ActivityChart months=months on_rendered=Callback::new(move |ms| render_ms.set(Some(ms))) />
                <div class="actions">
                    <DownloadReport report=report.into() />
                </div>
                <FileTable report=report.into() />
            </Show>
            <Timings
                parse_ms=Signal::derive(move || analysis.get().map(|a| a.parse_ms))
                analyze_ms=Signal::derive(move || analysis.get().map(|a| a.analyze_ms))
                render_ms=render_ms.into()
            />
        </main>
    }
}
