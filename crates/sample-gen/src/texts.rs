//! Free text in Russian and English: survey comments by theme and tone, and
//! the reasons churned customers gave, with the typos and blanks of real
//! exports.

use crate::rng::Rng;

/// Comment themes; they line up with the core's built-in theme dictionary
/// (delivery, price, quality, staff, support, website and app), though not
/// every phrasing hits a stem, as with real comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Delivery,
    Price,
    Quality,
    Staff,
    Support,
    Website,
}

pub const THEMES: [Theme; 6] = [
    Theme::Delivery,
    Theme::Price,
    Theme::Quality,
    Theme::Staff,
    Theme::Support,
    Theme::Website,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
}

fn phrases(theme: Theme, tone: Tone, russian: bool) -> &'static [&'static str] {
    use Theme::*;
    use Tone::*;
    match (theme, tone, russian) {
        (Delivery, Good, false) => &[
            "Fast delivery",
            "Delivery was quick, the courier called ahead",
            "Parcel arrived a day early",
            "Quick shipping and well packed",
            "Delivered on time as promised",
        ],
        (Delivery, Bad, false) => &[
            "Delivery was late again",
            "Courier never showed up, I waited all day",
            "Parcel arrived two days late",
            "Shipping takes far too long",
            "The delivery was delayed by a week",
        ],
        (Delivery, Good, true) => &[
            "Быстрая доставка",
            "Доставка быстрая, всё пришло целым",
            "Курьер приехал вовремя",
            "Посылка пришла на день раньше",
            "Доставили точно в срок",
        ],
        (Delivery, Bad, true) => &[
            "Доставка опять опоздала",
            "Курьер не приехал, ждал весь день",
            "Посылку задержали на неделю",
            "Доставка слишком долгая",
            "Заказ доставили с опозданием",
        ],
        (Price, Good, false) => &[
            "Good prices",
            "Great value for money",
            "Cheaper than other shops",
            "Prices are fair",
            "Nice discounts, will come back",
        ],
        (Price, Bad, false) => &[
            "Too expensive",
            "Prices went up again",
            "Overpriced compared to other stores",
            "The price is too high for what you get",
            "Delivery cost is too high",
        ],
        (Price, Good, true) => &[
            "Хорошие цены",
            "Цены ниже, чем у других",
            "Дешевле, чем в других магазинах",
            "Нормальная цена за такое качество",
            "Приятные скидки",
        ],
        (Price, Bad, true) => &[
            "Слишком дорого",
            "Цены опять выросли",
            "Дорого по сравнению с конкурентами",
            "Цена не соответствует качеству",
            "Дорогая доставка",
        ],
        (Quality, Good, false) => &[
            "Great quality",
            "Quality is excellent, everything works",
            "Products are always fresh and well made",
            "High quality goods",
            "Exactly as described, good quality",
        ],
        (Quality, Bad, false) => &[
            "Item arrived broken",
            "Poor quality, fell apart after a week",
            "Received a damaged item",
            "The product was faulty",
            "Quality has gone down",
        ],
        (Quality, Good, true) => &[
            "Отличное качество",
            "Качество товара на высоте",
            "Всё качественное, как в описании",
            "Товар хороший, качество радует",
        ],
        (Quality, Bad, true) => &[
            "Пришёл брак",
            "Товар сломан",
            "Качество стало хуже",
            "Упаковка повреждена, товар испорчен",
            "Плохое качество, сломалось через неделю",
        ],
        (Staff, Good, false) => &[
            "Friendly staff",
            "The staff in the store were very polite",
            "Helpful and friendly manager",
            "Great service in the shop",
        ],
        (Staff, Bad, false) => &[
            "Rude staff at the store",
            "The manager was rude to me",
            "Staff ignored me",
            "Unfriendly employee at the till",
            "Bad attitude from the staff",
        ],
        (Staff, Good, true) => &[
            "Вежливый персонал",
            "Отличное обслуживание",
            "Приятные сотрудники в магазине",
            "Менеджер всё подробно объяснил",
        ],
        (Staff, Bad, true) => &[
            "Грубый персонал",
            "Продавец нахамил",
            "Хамство сотрудников",
            "Персонал не обращает внимания на покупателей",
            "Менеджер разговаривал грубо",
        ],
        (Support, Good, false) => &[
            "Support answered quickly",
            "Support helped me sort out a return",
            "Quick response from support",
            "The call center was very helpful",
        ],
        (Support, Bad, false) => &[
            "Support never answered my email",
            "Couldn't reach support for days",
            "No response from customer support",
            "Support was useless",
        ],
        (Support, Good, true) => &[
            "Поддержка быстро ответила",
            "Оператор помог оформить возврат",
            "Служба поддержки помогла",
            "Быстрый ответ поддержки",
        ],
        (Support, Bad, true) => &[
            "Поддержка не отвечает",
            "До поддержки не дозвониться",
            "Оператор ничем не помог",
            "Жду ответа поддержки уже неделю",
        ],
        (Website, Good, false) => &[
            "Easy to order on the website",
            "The app is convenient",
            "Checkout is quick and simple",
            "Nice website, easy to find things",
        ],
        (Website, Bad, false) => &[
            "The app keeps crashing",
            "Website is slow and confusing",
            "Checkout failed twice",
            "Can't log in to my account",
            "The site froze at payment",
        ],
        (Website, Good, true) => &[
            "Удобный сайт",
            "Удобное приложение",
            "Быстрое оформление заказа на сайте",
            "Всё понятно в приложении",
        ],
        (Website, Bad, true) => &[
            "Приложение постоянно вылетает",
            "Сайт тормозит",
            "Не получается оформить заказ на сайте",
            "Не могу войти в личный кабинет",
            "Ошибка при оплате на сайте",
        ],
    }
}

/// Comments that name no theme.
fn generic(group: Group, russian: bool) -> &'static [&'static str] {
    match (group, russian) {
        (Group::Promoter, false) => &[
            "All good",
            "Love this shop!",
            "Will buy again",
            "Everything was fine, thanks",
            "Recommend to everyone",
        ],
        (Group::Passive, false) => &[
            "OK",
            "Nothing special",
            "Fine",
            "It's ok I guess",
            "Average",
        ],
        (Group::Detractor, false) => &["Disappointed", "Never again", "Not happy at all"],
        (Group::Promoter, true) => &[
            "Всё отлично!",
            "Спасибо, всё понравилось",
            "Буду заказывать ещё",
            "Рекомендую",
            "Лучший магазин",
        ],
        (Group::Passive, true) => &[
            "Нормально",
            "Всё ок",
            "Ничего особенного",
            "Сойдёт",
            "Средне",
        ],
        (Group::Detractor, true) => &["Разочарован", "Больше не закажу", "Не понравилось"],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Promoter,
    Passive,
    Detractor,
}

impl Group {
    pub fn of(nps: u8) -> Group {
        match nps {
            9..=10 => Group::Promoter,
            7..=8 => Group::Passive,
            _ => Group::Detractor,
        }
    }
}

/// What the answer was about: the order's channel and whether it went wrong.
pub struct CommentContext {
    pub russian: bool,
    pub group: Group,
    pub store: bool,
    /// The theme of the problem with the order, if there was one.
    pub problem: Option<Theme>,
}

/// Themes a customer writes about, weighted by where they bought: shop
/// customers talk about staff, online ones about delivery and the site.
fn theme_weights(store: bool, tone: Tone) -> [f64; 6] {
    // delivery, price, quality, staff, support, website
    match (store, tone) {
        (true, Tone::Good) => [0.0, 0.20, 0.30, 0.40, 0.10, 0.0],
        (true, Tone::Bad) => [0.0, 0.35, 0.25, 0.30, 0.10, 0.0],
        (false, Tone::Good) => [0.30, 0.15, 0.25, 0.0, 0.12, 0.18],
        (false, Tone::Bad) => [0.25, 0.25, 0.20, 0.0, 0.15, 0.15],
    }
}

/// The theme a problem with an order is about.
pub fn problem_theme(rng: &mut Rng, store: bool) -> Theme {
    let weights = if store {
        [0.0, 0.0, 0.55, 0.45, 0.0, 0.0]
    } else {
        [0.40, 0.0, 0.25, 0.0, 0.20, 0.15]
    };
    THEMES[rng.weighted(&weights)]
}

fn theme_phrase(rng: &mut Rng, ctx: &CommentContext, tone: Tone, not: Option<Theme>) -> String {
    let mut weights = theme_weights(ctx.store, tone);
    if let Some(t) = not {
        weights[THEMES.iter().position(|&x| x == t).unwrap_or(0)] = 0.0;
    }
    let theme = THEMES[rng.weighted(&weights)];
    rng.pick(phrases(theme, tone, ctx.russian)).to_string()
}

fn join(first: String, second: &str, contrast: bool, russian: bool) -> String {
    let link = match (contrast, russian) {
        (true, true) => ", но ",
        (true, false) => ", but ",
        (false, _) => ", ",
    };
    let mut chars = second.chars();
    let lowered: String = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    // "Всё отлично!" keeps its mark only at the very end.
    format!("{}{link}{lowered}", first.trim_end_matches(['!', '.']))
}

/// A comment, or `None` for a blank answer.
pub fn comment(rng: &mut Rng, ctx: &CommentContext) -> Option<String> {
    let blank = match ctx.group {
        Group::Promoter => 0.38,
        Group::Passive => 0.40,
        Group::Detractor => 0.18,
    };
    if rng.chance(blank) {
        return None;
    }
    let ru = ctx.russian;
    let text = if let Some(theme) = ctx.problem.filter(|_| rng.chance(0.85)) {
        let first = rng.pick(phrases(theme, Tone::Bad, ru)).to_string();
        if rng.chance(0.2) {
            let second = theme_phrase(rng, ctx, Tone::Bad, Some(theme));
            join(first, &second, false, ru)
        } else {
            first
        }
    } else {
        match ctx.group {
            Group::Promoter => {
                if rng.chance(0.25) {
                    rng.pick(generic(Group::Promoter, ru)).to_string()
                } else {
                    let first = theme_phrase(rng, ctx, Tone::Good, None);
                    if rng.chance(0.18) {
                        let second = theme_phrase(rng, ctx, Tone::Good, None);
                        if second == first {
                            first
                        } else {
                            join(first, &second, false, ru)
                        }
                    } else {
                        first
                    }
                }
            }
            Group::Passive => {
                let roll = rng.unit();
                if roll < 0.40 {
                    let first = theme_phrase(rng, ctx, Tone::Good, None);
                    let second = theme_phrase(rng, ctx, Tone::Bad, None);
                    join(first, &second, true, ru)
                } else if roll < 0.70 {
                    rng.pick(generic(Group::Passive, ru)).to_string()
                } else {
                    theme_phrase(rng, ctx, Tone::Bad, None)
                }
            }
            Group::Detractor => {
                if rng.chance(0.2) {
                    rng.pick(generic(Group::Detractor, ru)).to_string()
                } else {
                    let first = theme_phrase(rng, ctx, Tone::Bad, None);
                    if rng.chance(0.2) {
                        let second = theme_phrase(rng, ctx, Tone::Bad, None);
                        if second == first {
                            first
                        } else {
                            join(first, &second, false, ru)
                        }
                    } else {
                        first
                    }
                }
            }
        }
    };
    Some(roughen(rng, text, ctx.group == Group::Detractor))
}

/// What people actually type: lower case, no final stop, a shout, a typo,
/// now and then a second line.
fn roughen(rng: &mut Rng, mut text: String, angry: bool) -> String {
    if rng.chance(0.12) {
        text = text.to_lowercase();
    }
    if angry && rng.chance(0.08) {
        text = format!("{}!!!", text.trim_end_matches(['!', '.']));
    } else if rng.chance(0.3) && !text.ends_with(['!', '?']) {
        text.push('.');
    }
    if rng.chance(0.07) {
        text = typo(rng, &text);
    }
    if rng.chance(0.01) {
        let tail = if text.chars().any(|c| c.is_alphabetic() && c > 'z') {
            "Спасибо"
        } else {
            "Thanks"
        };
        text = format!("{text}\n{tail}");
    }
    text
}

/// One slip of the finger: two letters swapped, one dropped or doubled.
pub fn typo(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| {
            chars[i].is_alphabetic() && chars.get(i + 1).is_some_and(|c| c.is_alphabetic())
        })
        .collect();
    if letters.is_empty() {
        return text.to_string();
    }
    let i = *rng.pick(&letters);
    match rng.below(3) {
        0 => chars.swap(i, i + 1),
        1 => {
            chars.remove(i + 1);
        }
        _ => chars.insert(i, chars[i]),
    }
    chars.into_iter().collect()
}

/// Why a customer left, in the categories of docs/METRICS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Died,
    Moved,
    OtherRelationships,
    Competitor,
    Product,
    Staff,
    Price,
    Other,
    Blank,
}

fn reason_phrases(reason: Reason, russian: bool) -> &'static [&'static str] {
    use Reason::*;
    match (reason, russian) {
        (Died, false) => &["Customer died", "Passed away", "deceased"],
        (Died, true) => &["Умер", "Клиент умер", "умерла"],
        (Moved, false) => &[
            "Moved to another city",
            "Relocated abroad",
            "moving away",
            "Moved, no store nearby",
            "relocation",
        ],
        (Moved, true) => &[
            "Переезд",
            "Переехал в другой город",
            "переезд за границу",
            "Переехала, рядом нет магазина",
        ],
        (OtherRelationships, false) => &[
            "Daughter shops for her now",
            "Uses a friend's account",
            "Partner does the shopping now",
            "Friend works at another store",
        ],
        (OtherRelationships, true) => &[
            "Покупает через знакомых",
            "Теперь заказывает жена",
            "Дочь покупает за неё",
            "Друг работает в другом магазине",
        ],
        (Competitor, false) => &[
            "Switched to a competitor",
            "Found a better offer at another shop",
            "Competitor has a better loyalty card",
            "Buys on a marketplace now",
        ],
        (Competitor, true) => &[
            "Ушёл к конкуренту",
            "Перешла к конкурентам",
            "У конкурентов выгоднее",
            "Теперь покупает на маркетплейсе",
        ],
        (Product, false) => &[
            "Poor product quality",
            "Products kept arriving broken",
            "Not satisfied with the quality",
            "Quality went down",
        ],
        (Product, true) => &[
            "Плохое качество",
            "Качество товара упало",
            "Постоянно брак",
            "Не устроило качество",
        ],
        (Staff, false) => &[
            "Rude staff",
            "Staff were rude in the store",
            "Bad attitude from the manager",
            "Treated badly by support",
        ],
        (Staff, true) => &[
            "Грубость персонала",
            "Нахамили в магазине",
            "Грубый менеджер",
            "Хамство сотрудников",
            "Плохое отношение персонала",
        ],
        (Price, false) => &[
            "Too expensive",
            "Prices went up",
            "price",
            "Can't afford it anymore",
            "Delivery is too expensive",
        ],
        (Price, true) => &[
            "Дорого",
            "Слишком дорого",
            "Цены выросли",
            "дорогая доставка",
            "Не устраивает цена",
        ],
        (Other, false) => &[
            "No longer needs our products",
            "No reason given",
            "Not using it",
        ],
        (Other, true) => &["Больше не нужно", "Без объяснения причин", "Не пользуется"],
        (Blank, _) => &[""],
    }
}

/// A reason for a customer who left. Those driven away by a problem mostly
/// name the product or the staff; the rest follow a shop's usual mix.
pub fn reason(rng: &mut Rng, after_problem: bool) -> Reason {
    use Reason::*;
    let (reasons, weights): (&[Reason], &[f64]) = if after_problem {
        (
            &[Product, Staff, Price, Competitor, Blank],
            &[0.45, 0.33, 0.06, 0.10, 0.06],
        )
    } else {
        (
            &[
                Died,
                Moved,
                OtherRelationships,
                Competitor,
                Product,
                Staff,
                Price,
                Other,
                Blank,
            ],
            &[0.015, 0.10, 0.06, 0.20, 0.10, 0.08, 0.27, 0.045, 0.13],
        )
    };
    reasons[rng.weighted(weights)]
}

pub fn reason_text(rng: &mut Rng, reason: Reason, russian: bool) -> String {
    let text = rng.pick(reason_phrases(reason, russian)).to_string();
    if !text.is_empty() && rng.chance(0.05) {
        typo(rng, &text)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_keep_text_valid_and_close() {
        let mut rng = Rng::new(1);
        for _ in 0..200 {
            let t = typo(&mut rng, "Доставка опять опоздала");
            let diff = t.chars().count() as i64 - "Доставка опять опоздала".chars().count() as i64;
            assert!(diff.abs() <= 1, "{t}");
        }
        assert_eq!(typo(&mut rng, "10 / 10"), "10 / 10");
    }
}
