//! Fits that run off to a limit of the model.
//!
//! Small, short or homogeneous data often make the likelihood of a purchase
//! model rise without bound towards a simpler model: all customers buying
//! at the same rate (r, α → ∞ at a fixed r/α), all dropping out alike, or
//! nobody dropping out. The parameters are then not identified, but the
//! model they tend to is, and so are its predictions: along the ridge the
//! likelihood climbs, P(alive) and the expected purchases converge to the
//! limit model's. The fit is kept at the point where the optimiser stopped
//! on that ridge (a shape of 10⁴ or more: the gamma or beta mixture's
//! coefficient of variation is then 1% or less), flagged with the
//! [`Limit`]s it approaches, without standard errors; the predictions use it.

use serde::{Deserialize, Serialize};

use super::optim::LOG_BOUND;
use super::special::SameEverywhere;
use crate::display::{grouped_in, Locale};

/// ln 10⁴: a shape parameter (r, s, a, b) beyond it, or below its
/// reciprocal, is at a limit of the model (see the module's doc).
pub const LN_SHAPE_LIMIT: f64 = 9.210_340_371_976_184;

/// A limit a degenerate fit approaches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "limit")]
pub enum Limit {
    /// r, α → ∞: every customer buys at the same rate, `rate` = r/α
    /// purchases per time unit while alive.
    SamePurchaseRate { rate: f64 },
    /// BG/NBD a, b → ∞: every customer drops out after a purchase with the
    /// same probability `p` = a/(a+b).
    SameDropoutChance { p: f64 },
    /// Pareto/NBD s, β → ∞: every customer's lifetime is exponential with the
    /// same rate `rate` = s/β per time unit.
    SameDropoutRate { rate: f64 },
    /// Dropout vanishes (BG/NBD b → ∞ or a → 0; Pareto/NBD β → ∞ or s → 0):
    /// every customer stays; the model is the NBD of purchases alone.
    NoDropout,
    /// BG/NBD a → ∞ or b → 0: every customer drops out at their next
    /// purchase; customers who bought again are gone.
    DropoutAtNextPurchase,
    /// r → 0: nearly every customer's purchase rate is near zero and a few
    /// buy often; customers without repeat purchases are expected to buy
    /// next to nothing.
    FewFrequentBuyers,
    /// Another parameter at the optimiser's bound.
    Unidentified {
        parameter: Parameter,
        to_infinity: bool,
    },
}

/// A parameter of a purchase model, for [`Limit::Unidentified`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parameter {
    R,
    Alpha,
    A,
    B,
    S,
    Beta,
}

impl Parameter {
    pub const fn name(self) -> &'static str {
        match self {
            Parameter::R => "r",
            Parameter::Alpha => "alpha",
            Parameter::A => "a",
            Parameter::B => "b",
            Parameter::S => "s",
            Parameter::Beta => "beta",
        }
    }
}

impl Limit {
    /// What the limit means, in the reader's language (the page, the HTML
    /// report and the CLI say it the same way).
    pub fn meaning_in(&self, locale: Locale) -> String {
        let num = |v: f64, decimals: usize| grouped_in(v, decimals, locale);
        let ru = locale == Locale::Ru;
        match *self {
            Limit::SamePurchaseRate { rate } if ru => format!("частота покупок не различается между клиентами: все покупают примерно {} раза за единицу времени, пока остаются", num(rate, 3)),
            Limit::SamePurchaseRate { rate } => format!("purchase rates do not differ between customers: all buy about {} times per time unit while they stay", num(rate, 3)),
            Limit::SameDropoutChance { p } if ru => format!("каждый клиент уходит после покупки с одинаковой вероятностью, около {}%", num(p * 100.0, 1)),
            Limit::SameDropoutChance { p } => format!("every customer leaves after a purchase with the same chance, about {}%", num(p * 100.0, 1)),
            Limit::SameDropoutRate { rate } if ru => format!("все клиенты уходят с одинаковой скоростью, около {} за единицу времени", num(rate, 4)),
            Limit::SameDropoutRate { rate } => format!("every customer leaves at the same rate, about {} per time unit", num(rate, 4)),
            Limit::NoDropout if ru => "похоже, никто не уходит: P(активен) около 100% у всех".into(),
            Limit::NoDropout => "nobody seems to leave: P(alive) is near 100% for everyone".into(),
            Limit::DropoutAtNextPurchase if ru => "никто не купил снова после повторной покупки, поэтому считается, что каждый клиент уходит при следующей покупке".into(),
            Limit::DropoutAtNextPurchase => "nobody bought again after a repeat purchase, so every customer is taken to leave at their next purchase".into(),
            Limit::FewFrequentBuyers if ru => "почти у всех частота покупок около нуля, и лишь у немногих высокая".into(),
            Limit::FewFrequentBuyers => "purchase rates are near zero for nearly everyone and high for a few".into(),
            Limit::Unidentified { parameter, .. } if ru => format!("данные не определяют её параметр {}", parameter.name()),
            Limit::Unidentified { parameter, .. } => format!("the data do not pin down its parameter {}", parameter.name()),
        }
    }
}

fn big(log: f64) -> bool {
    log > LN_SHAPE_LIMIT
}

fn tiny(log: f64) -> bool {
    log < -LN_SHAPE_LIMIT
}

/// Parameters at the optimiser's bound that no limit above explains.
fn at_bounds(log_params: &[f64], names: [Parameter; 4], explained: &[Parameter]) -> Vec<Limit> {
    log_params
        .iter()
        .zip(names)
        .filter(|(v, name)| v.abs() > LOG_BOUND - 5.0 && !explained.contains(name))
        .map(|(v, parameter)| Limit::Unidentified {
            parameter,
            to_infinity: *v > 0.0,
        })
        .collect()
}

/// The purchase-rate limits both models share (ln r, ln α).
fn purchase_limits(r: f64, alpha: f64, out: &mut Vec<Limit>, explained: &mut Vec<Parameter>) {
    if big(r) {
        out.push(Limit::SamePurchaseRate {
            rate: (r - alpha).exp_(),
        });
        explained.extend([Parameter::R, Parameter::Alpha]);
    } else if tiny(r) {
        out.push(Limit::FewFrequentBuyers);
        explained.extend([Parameter::R, Parameter::Alpha]);
    }
}

/// The limits of a BG/NBD fit at log parameters (ln r, ln α, ln a, ln b).
pub fn bgnbd_limits(lp: &[f64]) -> Vec<Limit> {
    use Parameter::*;
    let [r, alpha, a, b] = [lp[0], lp[1], lp[2], lp[3]];
    let mut out = Vec::new();
    let mut explained = Vec::new();
    purchase_limits(r, alpha, &mut out, &mut explained);
    if big(a) && big(b) {
        out.push(Limit::SameDropoutChance {
            p: 1.0 / (1.0 + (b - a).exp_()),
        });
        explained.extend([A, B]);
    } else if big(a) || tiny(b) {
        out.push(Limit::DropoutAtNextPurchase);
        explained.extend([A, B]);
    } else if big(b) || tiny(a) {
        out.push(Limit::NoDropout);
        explained.extend([A, B]);
    }
    out.extend(at_bounds(lp, [R, Alpha, A, B], &explained));
    out
}

/// The limits of a Pareto/NBD fit at log parameters (ln r, ln α, ln s, ln β).
pub fn pareto_nbd_limits(lp: &[f64]) -> Vec<Limit> {
    use Parameter::*;
    let [r, alpha, s, beta] = [lp[0], lp[1], lp[2], lp[3]];
    let mut out = Vec::new();
    let mut explained = Vec::new();
    purchase_limits(r, alpha, &mut out, &mut explained);
    if big(s) {
        out.push(Limit::SameDropoutRate {
            rate: (s - beta).exp_(),
        });
        explained.extend([S, Beta]);
    } else if tiny(s) || beta > LOG_BOUND - 5.0 {
        out.push(Limit::NoDropout);
        explained.extend([S, Beta]);
    }
    out.extend(at_bounds(lp, [R, Alpha, S, Beta], &explained));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_by_parameters() {
        let ln = |v: f64| v.ln();
        // The issue's shop: a = 26263, b = 5.7e-5: p → 1.
        let l = bgnbd_limits(&[ln(6.5), ln(1045.0), ln(26263.0), ln(5.7e-5)]);
        assert_eq!(l, vec![Limit::DropoutAtNextPurchase]);
        // r = 1.2e9, α = 1.6e10: the same rate 0.075; a = 200, b = 2400 stay.
        let l = bgnbd_limits(&[ln(1.2e9), ln(1.6e10), ln(200.0), ln(2400.0)]);
        assert!(
            matches!(l[..], [Limit::SamePurchaseRate { rate }] if (rate - 0.075).abs() < 1e-12)
        );
        let l = bgnbd_limits(&[ln(3.1), ln(15.0), ln(1e-5), ln(8.8e4)]);
        assert_eq!(l, vec![Limit::NoDropout]);
        let l = bgnbd_limits(&[ln(0.24), ln(4.4), ln(0.79), ln(2.4)]);
        assert!(l.is_empty());
        let l = pareto_nbd_limits(&[ln(3.1), ln(15.0), ln(4.4e-6), ln(2.3e6)]);
        assert_eq!(l, vec![Limit::NoDropout]);
        let l = pareto_nbd_limits(&[ln(0.7), ln(9.0), ln(2e5), ln(5e6)]);
        assert!(matches!(l[..], [Limit::SameDropoutRate { rate }] if (rate - 0.04).abs() < 1e-12));
        let l = pareto_nbd_limits(&[ln(0.7), 27.0, ln(0.5), ln(3.0)]);
        assert_eq!(
            l,
            vec![Limit::Unidentified {
                parameter: Parameter::Alpha,
                to_infinity: true
            }]
        );
    }
}
