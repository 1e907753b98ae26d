//! The core's number formatting in the page's language.

use loyalty_analytics::display::{grouped_in, money_in, percent_in};

use crate::i18n::lang;

pub fn grouped(value: f64, decimals: usize) -> String {
    grouped_in(value, decimals, lang().locale())
}

pub fn percent(share: f64) -> String {
    percent_in(share, lang().locale())
}

pub fn money(value: f64) -> String {
    money_in(value, lang().locale())
}
