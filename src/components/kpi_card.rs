//! One headline figure, carrying its machine-readable value for tests and
//! screen readers beside the formatted text.

use crate::fmt::{grouped, money, percent};
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::metric::{MetricId, MetricKind};

/// How a figure is written for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KpiFormat {
    Count,
    Money,
    Share,
    /// One decimal: months, scores, NPS points.
    Decimal,
    /// A share given in points 0-100 (promoters_pct).
    Points,
}

impl KpiFormat {
    /// How the catalogue's kind of figure is written on a card.
    pub fn of(kind: MetricKind) -> KpiFormat {
        match kind {
            MetricKind::Count => KpiFormat::Count,
            MetricKind::Money => KpiFormat::Money,
            MetricKind::Share => KpiFormat::Share,
            MetricKind::PercentPoints => KpiFormat::Points,
            MetricKind::Points | MetricKind::Months | MetricKind::Mean | MetricKind::Parameter => {
                KpiFormat::Decimal
            }
        }
    }

    pub fn text(self, value: f64) -> String {
        match self {
            KpiFormat::Count => grouped(value, 0),
            KpiFormat::Money => money(value),
            KpiFormat::Share => percent(value),
            KpiFormat::Decimal => grouped(value, 1),
            KpiFormat::Points => format!("{}%", grouped(value, 1)),
        }
    }
}

/// A card with a label and a value; shows "–" when the input does not allow
/// the figure (e.g. no amount column: no revenue).
#[component]
pub fn KpiCard(
    /// The figure: its Report key is the `data-metric` attribute, its kind
    /// says how to write it.
    metric: MetricId,
    /// The card's name when it is not the catalogue's (e.g. "Retention, last
    /// full week"); English, translated on the page.
    #[prop(optional, into)]
    label: Option<Signal<String>>,
    /// The figure, absent when the data does not allow it.
    value: Signal<Option<f64>>,
    /// Its interval, shown under the value and as `data-ci-low`/`data-ci-high`.
    #[prop(optional, into)]
    interval: Option<Signal<Option<(f64, f64)>>>,
    /// The interval's level in percent (95 when not given).
    #[prop(optional)]
    level: Option<u8>,
) -> impl IntoView {
    let level = level.unwrap_or(95);
    let interval = move || interval.and_then(|i| i.get());
    let (id, format) = (metric.id(), KpiFormat::of(metric.kind()));
    let definition = move || metric.definition(crate::i18n::lang().locale());
    view! {
        <div
            class="kpi"
            data-metric=id
            data-value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
            data-ci-low=move || interval().map(|(low, _)| low.to_string())
            data-ci-high=move || interval().map(|(_, high)| high.to_string())
        >
            <span class="kpi-label" title=definition>{move || match label {
                Some(label) => crate::i18n::t(&label.get()).to_string(),
                None => metric.label(crate::i18n::lang().locale()).to_string(),
            }}</span>
            // The definition one click away, also without a pointer (a title alone is not).
            <details class="kpi-help">
                <summary aria-label=move || crate::i18n::t("What is this figure?").to_string()>"?"</summary>
                <p>{definition}</p>
            </details>
            <span class="kpi-value">{move || value.get().map_or_else(|| "–".to_string(), |v| format.text(v))}</span>
            {move || interval().map(|(low, high)| view! {
                <span class="kpi-interval">{format!("{level}%: {}", Msg::Interval { low: &format.text(low), high: &format.text(high) }.text())}</span>
            })}
        </div>
    }
}

/// One card of a row drawn by [`kpi_cards`]: the props of a [`KpiCard`].
#[derive(Clone, Copy)]
pub struct Kpi {
    metric: MetricId,
    label: Option<Signal<String>>,
    value: Signal<Option<f64>>,
    interval: Option<Signal<Option<(f64, f64)>>>,
    level: Option<u8>,
}

impl Kpi {
    /// The card of `metric` showing `value`.
    pub fn new(metric: MetricId, value: Signal<Option<f64>>) -> Kpi {
        Kpi {
            metric,
            label: None,
            value,
            interval: None,
            level: None,
        }
    }

    /// The card's name when it is not the catalogue's (English, translated).
    pub fn label(self, label: Signal<String>) -> Kpi {
        Kpi {
            label: Some(label),
            ..self
        }
    }

    /// The figure's interval and its level in percent.
    pub fn interval(self, interval: Signal<Option<(f64, f64)>>, level: u8) -> Kpi {
        Kpi {
            interval: Some(interval),
            level: Some(level),
            ..self
        }
    }
}

/// A row of cards: a list rather than a tuple of `KpiCard`s, so a page's
/// rows of cards share one copy of the code that draws and updates them.
pub fn kpi_cards(cards: Vec<Kpi>) -> impl IntoView {
    cards
        .into_iter()
        .map(|k| {
            KpiCard(KpiCardProps {
                metric: k.metric,
                label: k.label,
                value: k.value,
                interval: k.interval,
                level: k.level,
            })
        })
        .collect_view()
}
