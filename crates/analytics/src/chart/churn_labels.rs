//! Words and colours shared by the churn-cause charts.

use plotters::style::RGBColor;

use crate::display::Locale;
use crate::metrics::churn_rules::ChurnCategory;

/// The words on the churn charts and the style of their numbers.
#[derive(Debug, Clone)]
pub struct ChurnLabels<'a> {
    /// Left axis of the Pareto chart.
    pub customers: &'a str,
    /// Right axis and line of the Pareto chart.
    pub cumulative: &'a str,
    /// The user's own bars beside the reference.
    pub yours: &'a str,
    pub reference: &'a str,
    /// Y axis of the comparison: share of the customers who left.
    pub share: &'a str,
    /// X axis of the incidence curves.
    pub months: &'a str,
    /// Y axis of the incidence curves.
    pub incidence: &'a str,
    /// Category names, indexed by [`ChurnCategory::index`].
    pub categories: [&'a str; 9],
    /// How the axis ticks are written.
    pub locale: Locale,
}

impl ChurnLabels<'static> {
    /// The charts in `locale`'s language.
    pub fn for_locale(locale: Locale) -> Self {
        match locale {
            Locale::En => ChurnLabels {
                customers: "Customers who left",
                cumulative: "Cumulative share",
                yours: "Your customers",
                reference: "Cross-industry reference",
                share: "Share of those who left",
                months: "Months as a customer",
                incidence: "Left, cumulative",
                categories: ChurnCategory::ALL.map(ChurnCategory::label),
                locale,
            },
            Locale::Ru => ChurnLabels {
                customers: "Ушедшие клиенты",
                cumulative: "Накопленная доля",
                yours: "Ваши клиенты",
                reference: "Межотраслевое исследование",
                share: "Доля среди ушедших",
                months: "Месяцев клиентом",
                incidence: "Ушли, накопленно",
                categories: ChurnCategory::ALL.map(category_ru),
                locale,
            },
        }
    }
}

impl Default for ChurnLabels<'_> {
    fn default() -> Self {
        ChurnLabels::for_locale(Locale::En)
    }
}

/// The category names the page uses in Russian.
fn category_ru(category: ChurnCategory) -> &'static str {
    match category {
        ChurnCategory::Death => "Смерть",
        ChurnCategory::MovedAway => "Переезд",
        ChurnCategory::OtherRelationships => "Другие отношения",
        ChurnCategory::Competitor => "Конкурент",
        ChurnCategory::Product => "Недовольство продуктом",
        ChurnCategory::Treatment => "Отношение / обслуживание",
        ChurnCategory::Price => "Цена",
        ChurnCategory::Other => "Другое",
        ChurnCategory::Unknown => "Неизвестно",
    }
}

impl ChurnLabels<'_> {
    pub fn category(&self, category: ChurnCategory) -> &str {
        self.categories[category.index()]
    }
}

/// One Okabe-Ito colour per category (distinguishable with every common
/// colour-vision deficiency), the same on every churn chart.
pub fn category_colour(category: ChurnCategory) -> RGBColor {
    match category {
        ChurnCategory::Death => RGBColor(0, 0, 0),
        ChurnCategory::MovedAway => RGBColor(86, 180, 233),
        ChurnCategory::OtherRelationships => RGBColor(204, 121, 167),
        ChurnCategory::Competitor => RGBColor(213, 94, 0),
        ChurnCategory::Product => RGBColor(0, 158, 115),
        ChurnCategory::Treatment => RGBColor(0, 114, 178),
        ChurnCategory::Price => RGBColor(230, 159, 0),
        ChurnCategory::Other => RGBColor(150, 150, 150),
        ChurnCategory::Unknown => RGBColor(200, 200, 200),
    }
}

/// A label cut to `max` characters with an ellipsis, so long reasons do not
/// run into each other under narrow bars.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
