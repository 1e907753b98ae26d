//! Why a customer left, in one of a few canonical categories (docs/METRICS.md,
//! "Churn causes"): free-text reasons in Russian and English are
//! put into a category by editable keyword rules, and the user can re-map any
//! reason by hand.
//!
//! How a keyword matches (the rule the UI documents next to the editor):
//! - Text and keywords are lower-cased, `ё` is read as `е`, apostrophes are
//!   dropped (`don't` = `dont`), and everything that is not a letter or a
//!   digit separates words.
//! - A keyword word of 4+ letters is a stem: it matches every word that starts
//!   with it (`конкурент` matches `конкурентам`, `relocat` matches `relocated`).
//! - A stem of 5+ letters also tolerates one typo (a wrong, missing, extra or
//!   swapped letter, the first letter excepted) within the first letters of
//!   the word: `compettitor` still matches `competit`, `качетсво` matches
//!   `качеств`. The first letter must be right because that is where typos are
//!   rarest and where a tolerance would confuse the most unrelated words.
//! - A keyword word of 1-3 letters matches only that whole word (`app` does
//!   not match `approach`).
//! - A trailing `=` forces a whole-word match (`друг=` is "friend" and not
//!   `другой`, "another"); a trailing `*` forces a plain prefix match without
//!   typo tolerance, whatever the length.
//! - A keyword of several words matches those words in a row.
//! - Rules are tried in order; the first category with a matching keyword
//!   wins. A non-blank text no rule matches is `other`; a blank one `unknown`.

use serde::{Deserialize, Serialize};

/// The canonical reasons for leaving: the six of the classic cross-industry
/// breakdown, plus price (which exports name separately), other and unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChurnCategory {
    Death,
    MovedAway,
    OtherRelationships,
    Competitor,
    /// Unhappy with the product or service itself.
    Product,
    /// Unhappy with how they were treated: attitude, indifference, rudeness.
    Treatment,
    Price,
    /// A reason was given but it is none of the above.
    Other,
    /// No reason known (blank, "don't know", or churn inferred from purchases).
    Unknown,
}

impl ChurnCategory {
    /// Every category, in the order tables and stacked charts use.
    pub const ALL: [ChurnCategory; 9] = [
        ChurnCategory::Death,
        ChurnCategory::MovedAway,
        ChurnCategory::OtherRelationships,
        ChurnCategory::Competitor,
        ChurnCategory::Product,
        ChurnCategory::Treatment,
        ChurnCategory::Price,
        ChurnCategory::Other,
        ChurnCategory::Unknown,
    ];

    /// Position in [`ChurnCategory::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The snake_case id (the serde name), for the UI's translation tables.
    pub fn id(self) -> &'static str {
        match self {
            ChurnCategory::Death => "death",
            ChurnCategory::MovedAway => "moved_away",
            ChurnCategory::OtherRelationships => "other_relationships",
            ChurnCategory::Competitor => "competitor",
            ChurnCategory::Product => "product",
            ChurnCategory::Treatment => "treatment",
            ChurnCategory::Price => "price",
            ChurnCategory::Other => "other",
            ChurnCategory::Unknown => "unknown",
        }
    }

    /// English label for charts and the CLI; the web app translates by [`Self::id`].
    pub fn label(self) -> &'static str {
        match self {
            ChurnCategory::Death => "Death",
            ChurnCategory::MovedAway => "Moved away",
            ChurnCategory::OtherRelationships => "Other relationships",
            ChurnCategory::Competitor => "Competitor",
            ChurnCategory::Product => "Product dissatisfaction",
            ChurnCategory::Treatment => "Treatment / attitude",
            ChurnCategory::Price => "Price",
            ChurnCategory::Other => "Other",
            ChurnCategory::Unknown => "Unknown",
        }
    }

    /// Causes the business can act on: competitor, product, treatment, price.
    pub fn is_controllable(self) -> bool {
        matches!(
            self,
            ChurnCategory::Competitor
                | ChurnCategory::Product
                | ChurnCategory::Treatment
                | ChurnCategory::Price
        )
    }

    /// A named cause, not the catch-all `other` nor `unknown`.
    pub fn is_specific(self) -> bool {
        !matches!(self, ChurnCategory::Other | ChurnCategory::Unknown)
    }
}

/// The cross-industry breakdown the seeds cite (1% die, 3% move away, 5% form
/// other relationships, 9% go to competitors, 14% are unhappy with the
/// product, 68% with how they were treated). It has no price, other or
/// unknown share: those categories are absent from the study, not zero.
pub const REFERENCE_DISTRIBUTION: [(ChurnCategory, f64); 6] = [
    (ChurnCategory::Death, 0.01),
    (ChurnCategory::MovedAway, 0.03),
    (ChurnCategory::OtherRelationships, 0.05),
    (ChurnCategory::Competitor, 0.09),
    (ChurnCategory::Product, 0.14),
    (ChurnCategory::Treatment, 0.68),
];

/// One rule: any of these keywords puts a text into `category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRule {
    pub category: ChurnCategory,
    pub keywords: Vec<String>,
}

/// The editable rules (saved by the UI as JSON). See the module text for how
/// a keyword matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChurnRules {
    /// Tried in order; the first rule with a matching keyword decides.
    pub rules: Vec<CategoryRule>,
    /// When a file's own category column says `other` (or nothing usable) and
    /// the reason text names a specific cause, the reason decides. IBM Telco
    /// files "Deceased" and "Moved" under Other; without this the death and
    /// moved-away shares beside the reference would be empty.
    pub refine_other_by_reason: bool,
}

fn rule(category: ChurnCategory, keywords: &[&str]) -> CategoryRule {
    CategoryRule {
        category,
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
    }
}

impl Default for ChurnRules {
    /// Order matters: the uncontrollable causes first (a "moved, so switched
    /// provider" reason is a move), competitor before price ("competitor was
    /// cheaper" is a competitor), price and treatment before product (the
    /// product words are the vaguest), unknown before the catch-all.
    fn default() -> Self {
        use ChurnCategory::*;
        ChurnRules {
            rules: vec![
                rule(
                    Death,
                    &[
                        "died",
                        "death*",
                        "deceas",
                        "passed away",
                        "dead=",
                        "умер=",
                        "умерла=",
                        "умерли=",
                        "умерш",
                        "скончал",
                        "смерт",
                        "погиб",
                        "кончин",
                    ],
                ),
                rule(
                    MovedAway,
                    &[
                        "moved",
                        "moving",
                        "relocat",
                        "move away",
                        "emigrat",
                        "abroad",
                        "left the country",
                        "another city",
                        "another state",
                        "another country",
                        "переех",
                        "переезд",
                        "уехал",
                        "эмигр",
                        "другой город",
                        "другую страну",
                        "другой регион",
                        "сменил город",
                    ],
                ),
                rule(
                    OtherRelationships,
                    &[
                        "friend",
                        "relative=",
                        "relatives=",
                        "brother",
                        "sister",
                        "cousin",
                        "in law",
                        "family member",
                        "son=",
                        "daughter",
                        "husband",
                        "wife=",
                        "relationship",
                        "друг=",
                        "друга=",
                        "другу=",
                        "другом=",
                        "друзья",
                        "друзей",
                        "знаком",
                        "родствен",
                        "родня",
                        "брат=",
                        "сестра",
                        "зять",
                        "кум=",
                    ],
                ),
                rule(
                    Competitor,
                    &[
                        "competit",
                        "competing",
                        "rival",
                        "switched",
                        "switching",
                        "another provider",
                        "other provider",
                        "another company",
                        "other company",
                        "another bank",
                        "other bank",
                        "another supplier",
                        "went to",
                        "конкурент",
                        "другой банк",
                        "другого банка",
                        "другой оператор",
                        "другого оператора",
                        "другому оператору",
                        "другой компании",
                        "другую компанию",
                        "другого поставщика",
                        "перешел",
                        "перешл",
                        "переход к",
                        "ушел к",
                        "ушла к",
                        "ушли к",
                    ],
                ),
                rule(
                    Price,
                    &[
                        "price",
                        "pricing",
                        "expensiv",
                        "cheap*",
                        "cost=",
                        "costs=",
                        "costly",
                        "charge*",
                        "fee=",
                        "fees",
                        "afford",
                        "tariff",
                        "too much money",
                        "цена",
                        "цены",
                        "цене",
                        "цену",
                        "ценой",
                        "ценам",
                        "ценах",
                        "ценник",
                        "расценк",
                        "дорог*",
                        "дешев",
                        "подорож",
                        "стоимост",
                        "тариф",
                        "плата*",
                        "платы*",
                        "платн*",
                        "переплат",
                        "комисси",
                    ],
                ),
                rule(
                    Treatment,
                    &[
                        "attitude",
                        "rude",
                        "impolite",
                        "unfriendly",
                        "unhelpful",
                        "ignored",
                        "ignoring",
                        "indifferen",
                        "disrespect",
                        "treated",
                        "treatment",
                        "customer service",
                        "customer care",
                        "nobody answered",
                        "no one answered",
                        "no response",
                        "never called back",
                        "didnt call back",
                        "hung up",
                        "staff*",
                        "хамств",
                        "хамил",
                        "хамск",
                        "нахамил",
                        "груб",
                        "нагруб",
                        "невежлив",
                        "безразлич",
                        "равнодуш",
                        "игнор",
                        "отношени",
                        "отнеслись",
                        "обслуживан",
                        "перезвон",
                        "персонал",
                        "наплеват",
                    ],
                ),
                rule(
                    Product,
                    &[
                        "product",
                        "quality",
                        "dissatisf",
                        "unsatisf",
                        "not satisfied",
                        "reliab",
                        "network",
                        "coverage",
                        "crash",
                        "bug",
                        "bugs",
                        "broken",
                        "defect",
                        "doesnt work",
                        "not working",
                        "slow",
                        "speed*",
                        "outage",
                        "downtime",
                        "limited range",
                        "range of",
                        "feature",
                        "missing",
                        "self service",
                        "website",
                        "expertise",
                        "app",
                        "продукт",
                        "товар",
                        "качеств",
                        "недовол",
                        "неудовлетвор",
                        "глюч",
                        "глюк",
                        "сбой",
                        "сбои",
                        "не работа",
                        "тормоз",
                        "связь*",
                        "связи*",
                        "брак",
                        "сломал",
                        "поломк",
                        "ассортимент",
                        "функци",
                        "приложени",
                        "сайт",
                        "скорост",
                    ],
                ),
                rule(
                    Unknown,
                    &[
                        "dont know",
                        "do not know",
                        "unknown",
                        "no reason",
                        "not specified",
                        "not stated",
                        "n a",
                        "none=",
                        "не знаю",
                        "не указан",
                        "неизвестн",
                        "без причины",
                        "нет причины",
                    ],
                ),
                rule(Other, &["other", "другое", "прочее", "иное"]),
            ],
            refine_other_by_reason: true,
        }
    }
}

impl ChurnRules {
    /// The category of one text. Compiles the rules each call: for many texts,
    /// [`ChurnRules::compile`] once and classify with that.
    pub fn classify(&self, text: &str) -> ChurnCategory {
        self.compile().classify(text)
    }

    pub fn compile(&self) -> CompiledRules {
        CompiledRules {
            rules: self
                .rules
                .iter()
                .map(|r| {
                    let keywords = r
                        .keywords
                        .iter()
                        .filter_map(|k| {
                            let words: Vec<Stem> = words(k).map(|w| Stem::new(&w)).collect();
                            (!words.is_empty()).then_some(words)
                        })
                        .collect();
                    (r.category, keywords)
                })
                .collect(),
        }
    }
}

/// How one keyword word compares with a word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Whole,
    Prefix,
    /// Prefix, or one typo within the first letters.
    Tolerant,
}

#[derive(Debug, Clone)]
struct Stem {
    chars: Vec<char>,
    mode: Mode,
}

impl Stem {
    fn new(word: &[char]) -> Stem {
        let (chars, forced) = match word.last() {
            Some('=') => (&word[..word.len() - 1], Some(Mode::Whole)),
            Some('*') => (&word[..word.len() - 1], Some(Mode::Prefix)),
            _ => (word, None),
        };
        let mode = forced.unwrap_or(match chars.len() {
            0..=3 => Mode::Whole,
            4 => Mode::Prefix,
            _ => Mode::Tolerant,
        });
        Stem {
            chars: chars.to_vec(),
            mode,
        }
    }

    fn matches(&self, word: &[char]) -> bool {
        let stem = self.chars.as_slice();
        match self.mode {
            Mode::Whole => word == stem,
            Mode::Prefix => word.starts_with(stem),
            Mode::Tolerant => {
                if word.starts_with(stem) {
                    return true;
                }
                if word.first() != stem.first() {
                    return false;
                }
                // The word's first len-1, len or len+1 letters against the
                // stem: one substitution, deletion, insertion or swap away.
                (stem.len() - 1..=stem.len() + 1)
                    .filter(|&n| n <= word.len())
                    .any(|n| within_one_edit(stem, &word[..n]))
            }
        }
    }
}

/// Optimal-string-alignment distance <= 1: equal, or one substitution,
/// insertion, deletion or swap of neighbours. Linear, no allocation.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if common == a.len() && common == b.len() {
        return true;
    }
    let (ra, rb) = (&a[common..], &b[common..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            // Substitution, or a swap of this letter and the next.
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

/// The normalised words of a text: lower case, `ё` as `е`, apostrophes
/// dropped, split at everything that is neither a letter nor a digit. Keeps
/// `=` and `*` at the end of a word so keyword markers survive.
fn words(text: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    let mut chars = text.chars().flat_map(char::to_lowercase).peekable();
    std::iter::from_fn(move || {
        let mut word = Vec::new();
        while let Some(&c) = chars.peek() {
            match c {
                '\'' | '’' | 'ʼ' | '`' => {}
                'ё' => word.push('е'),
                '=' | '*' if !word.is_empty() => {
                    word.push(c);
                    chars.next();
                    break;
                }
                c if c.is_alphanumeric() => word.push(c),
                _ if !word.is_empty() => {
                    chars.next();
                    break;
                }
                _ => {}
            }
            chars.next();
        }
        (!word.is_empty()).then_some(word)
    })
}

/// The key under which a reason text is grouped and overridden: its words,
/// normalised as for matching, joined by single spaces. "Price too high" and
/// " price  TOO high " are the same reason.
pub fn reason_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in words(text) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.iter().filter(|c| !matches!(c, '=' | '*')));
    }
    key
}

/// Two reason keys ([`reason_key`]) name the same reason: the same number of
/// words, each pair equal or, for words of 5+ letters, one typo apart with
/// the first letter right (the tolerance keywords have).
/// "price too hihg" is "price too high"; "move" and "more" stay apart.
pub fn same_reason(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.split(' '), b.split(' '));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            (Some(p), Some(q)) => {
                let (p, q): (Vec<char>, Vec<char>) = (p.chars().collect(), q.chars().collect());
                if p.len().min(q.len()) < 5 || p[0] != q[0] || !within_one_edit(&p, &q) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// How many different reasons `keys` hold: keys ([`reason_key`], so case and
/// spaces are already normalised) that are one typo apart ([`same_reason`])
/// count once. Blank keys are not reasons.
pub fn distinct_reason_count<'k>(keys: impl IntoIterator<Item = &'k str>) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for key in keys {
        if !key.is_empty() && !seen.iter().any(|s| same_reason(s, key)) {
            seen.push(key);
        }
    }
    seen.len()
}

/// [`ChurnRules`] ready to classify many texts.
#[derive(Debug, Clone)]
pub struct CompiledRules {
    rules: Vec<(ChurnCategory, Vec<Vec<Stem>>)>,
}

impl CompiledRules {
    /// The first rule with a keyword found in `text`; `other` when none is,
    /// `unknown` for a blank text.
    pub fn classify(&self, text: &str) -> ChurnCategory {
        let text: Vec<Vec<char>> = words(text)
            .map(|mut w| {
                // Markers are keyword syntax, not part of a reason's words.
                w.retain(|c| !matches!(c, '=' | '*'));
                w
            })
            .filter(|w| !w.is_empty())
            .collect();
        if text.is_empty() {
            return ChurnCategory::Unknown;
        }
        self.rules
            .iter()
            .find(|(_, keywords)| keywords.iter().any(|k| phrase_in(k, &text)))
            .map_or(ChurnCategory::Other, |(category, _)| *category)
    }
}

/// The keyword's words match consecutive words of the text.
fn phrase_in(keyword: &[Stem], text: &[Vec<char>]) -> bool {
    text.windows(keyword.len())
        .any(|window| keyword.iter().zip(window).all(|(k, w)| k.matches(w)))
}

/// The user's own re-mapping: reason text -> category, winning over the rules.
/// Keys are compared by [`reason_key`], so case and spacing do not matter.
/// Saved locally by the UI and exportable as JSON (a plain object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReasonOverrides {
    pub by_reason: std::collections::BTreeMap<String, ChurnCategory>,
}

impl ReasonOverrides {
    pub fn set(&mut self, reason: &str, category: ChurnCategory) {
        self.by_reason.insert(reason.trim().to_string(), category);
    }

    /// The overrides keyed by [`reason_key`], for lookups.
    pub fn normalised(&self) -> rustc_hash::FxHashMap<String, ChurnCategory> {
        self.by_reason
            .iter()
            .map(|(reason, &category)| (reason_key(reason), category))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_count_once_whatever_their_case_spaces_or_typo() {
        let texts = [
            "Price too high",
            " price  TOO high ",
            "Prise too high",
            "price to high",
            "Moved away",
            "moved  AWAY",
            "Competitor offer",
            "Compettitor offer",
            "",
        ];
        let keys: Vec<String> = texts.iter().map(|t| reason_key(t)).collect();
        // By hand: "price too high" (3 spellings; "prise" is a typo of a
        // 5-letter word), "price to high" ("to" and "too" are short words:
        // a different text), "moved away", "competitor offer".
        assert_eq!(distinct_reason_count(keys.iter().map(String::as_str)), 4);
        assert!(same_reason("competitor offer", "compettitor offer"));
        // Short words and first letters are never forgiven.
        assert!(!same_reason("move", "more"));
        assert!(!same_reason("price too high", "rprice too high"));
        assert!(!same_reason("price", "price too high"));
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn one_edit_covers_substitution_insertion_deletion_and_swap() {
        let ok = |a: &str, b: &str| within_one_edit(&chars(a), &chars(b));
        assert!(ok("price", "price"));
        assert!(ok("price", "prise"));
        assert!(ok("price", "prce"));
        assert!(ok("price", "priice"));
        assert!(ok("качеств", "качетсв"));
        assert!(!ok("price", "prxxe"));
        assert!(!ok("price", "pr"));
    }

    #[test]
    fn words_are_lowered_with_yo_as_ye_and_apostrophes_dropped() {
        let w: Vec<String> = words("Don't  ЗНАЮ, ушёл!").map(String::from_iter).collect();
        assert_eq!(w, ["dont", "знаю", "ушел"]);
        assert_eq!(reason_key("  Price  TOO high "), "price too high");
    }

    #[test]
    fn stems_prefixes_whole_words_and_typos() {
        let r = ChurnRules::default();
        assert_eq!(r.classify("Конкурентам"), ChurnCategory::Competitor);
        assert_eq!(r.classify("compettitor"), ChurnCategory::Competitor);
        // `app` is a whole word: "approach" is not the app.
        assert_eq!(r.classify("new approach"), ChurnCategory::Other);
        assert_eq!(r.classify("the app"), ChurnCategory::Product);
        // `друг=` is "friend"; "другой банк" is another bank.
        assert_eq!(r.classify("друг"), ChurnCategory::OtherRelationships);
        assert_eq!(r.classify("другой банк"), ChurnCategory::Competitor);
        assert_eq!(r.classify("   "), ChurnCategory::Unknown);
        assert_eq!(r.classify("?!"), ChurnCategory::Unknown);
        assert_eq!(r.classify("no idea what"), ChurnCategory::Other);
    }

    #[test]
    fn first_letter_typos_are_not_forgiven() {
        let r = ChurnRules::default();
        // "trice" is one letter from "price", but in the first letter.
        assert_eq!(r.classify("trice"), ChurnCategory::Other);
    }

    #[test]
    fn telco_categories_map_to_canonical() {
        let r = ChurnRules::default();
        for (telco, canonical) in [
            ("Competitor", ChurnCategory::Competitor),
            ("Dissatisfaction", ChurnCategory::Product),
            ("Attitude", ChurnCategory::Treatment),
            ("Price", ChurnCategory::Price),
            ("Other", ChurnCategory::Other),
        ] {
            assert_eq!(r.classify(telco), canonical, "{telco}");
        }
    }

    #[test]
    fn overrides_are_keyed_case_and_space_insensitively() {
        let mut o = ReasonOverrides::default();
        o.set("Price too HIGH", ChurnCategory::Treatment);
        assert_eq!(
            o.normalised().get("price too high"),
            Some(&ChurnCategory::Treatment)
        );
        // Saved and exported as a plain JSON object.
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(json, r#"{"Price too HIGH":"treatment"}"#);
        assert_eq!(serde_json::from_str::<ReasonOverrides>(&json).unwrap(), o);
    }
}
