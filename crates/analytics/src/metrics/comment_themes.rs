//! What survey comments talk about: themes found by word stems (Russian and
//! English, editable), how often each comes up among detractors and
//! promoters, what it does to NPS, and the most used words per group.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::nps::{NpsCounts, NpsGroup};
use crate::dataset::SurveyAnswer;

/// One theme: a name and the stems whose words mark a comment as about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub name: String,
    /// Lower-case word beginnings ("deliver" matches "delivery",
    /// "delivered"; "доставк" matches "доставка", "доставкой").
    pub stems: Vec<String>,
}

/// The user's theme dictionary; [`ThemeDictionary::default`] is the
/// built-in Russian and English one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDictionary {
    pub themes: Vec<Theme>,
}

impl Default for ThemeDictionary {
    fn default() -> Self {
        let theme = |name: &str, stems: &[&str]| Theme {
            name: name.into(),
            stems: stems.iter().map(|s| s.to_string()).collect(),
        };
        ThemeDictionary {
            themes: vec![
                theme(
                    "price",
                    &[
                        "price",
                        "pricing",
                        "expensive",
                        "cheap",
                        "cost",
                        "overpriced",
                        "value for",
                        "цен",
                        "дорог",
                        "дешев",
                        "стоимост",
                        "переплат",
                    ],
                ),
                theme(
                    "delivery",
                    &[
                        "deliver",
                        "shipping",
                        "shipment",
                        "courier",
                        "parcel",
                        "late",
                        "delay",
                        "доставк",
                        "достав",
                        "курьер",
                        "посылк",
                        "опозд",
                        "задерж",
                    ],
                ),
                theme(
                    "quality",
                    &[
                        "quality",
                        "broken",
                        "defect",
                        "damaged",
                        "faulty",
                        "flat",
                        "качеств",
                        "брак",
                        "сломан",
                        "поврежд",
                        "испорч",
                    ],
                ),
                theme(
                    "staff",
                    &[
                        "staff",
                        "rude",
                        "polite",
                        "friendly",
                        "attitude",
                        "manager",
                        "employee",
                        "service",
                        "персонал",
                        "сотрудник",
                        "менеджер",
                        "вежлив",
                        "груб",
                        "хамств",
                        "обслуживан",
                        "отношени",
                    ],
                ),
                theme(
                    "support",
                    &[
                        "support",
                        "help",
                        "call center",
                        "response",
                        "answer",
                        "поддержк",
                        "помощ",
                        "помог",
                        "оператор",
                        "ответ",
                    ],
                ),
                theme(
                    "waiting",
                    &[
                        "wait",
                        "queue",
                        "slow",
                        "long time",
                        "hours",
                        "ждал",
                        "ожидан",
                        "очеред",
                        "долго",
                        "медлен",
                    ],
                ),
                theme(
                    "range",
                    &[
                        "choice",
                        "range",
                        "selection",
                        "stock",
                        "variety",
                        "ассортимент",
                        "выбор",
                        "наличи",
                    ],
                ),
                theme(
                    "website and app",
                    &[
                        "website",
                        "site",
                        "app",
                        "online",
                        "checkout",
                        "login",
                        "сайт",
                        "приложени",
                        "личный кабинет",
                        "оформлени",
                    ],
                ),
                theme(
                    "food",
                    &[
                        "food",
                        "lunch",
                        "dinner",
                        "breakfast",
                        "meal",
                        "еда",
                        "обед",
                        "ужин",
                        "завтрак",
                        "кухн",
                    ],
                ),
            ],
        }
    }
}

/// Comment text made comparable: lower case, `ё` as `е`, curly quotes as
/// straight ones.
pub fn normalise(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            '\u{2019}' | '\u{2018}' => '\'',
            c => c,
        })
        .collect()
}

/// The words of a normalised text: runs of letters (and inner apostrophes).
pub fn words(normalised: &str) -> impl Iterator<Item = &str> {
    normalised
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
}

impl Theme {
    /// A stem of one word matches a word it begins; a stem of several
    /// words ("call center") matches that phrase at a word start.
    pub fn matches(&self, normalised: &str, words_of_text: &[&str]) -> bool {
        self.stems.iter().any(|stem| {
            let stem = normalise(stem.trim());
            if stem.is_empty() {
                false
            } else if stem.contains(' ') {
                normalised.match_indices(stem.as_str()).any(|(i, _)| {
                    normalised[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphabetic())
                })
            } else {
                words_of_text.iter().any(|w| w.starts_with(stem.as_str()))
            }
        })
    }
}

/// One theme's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeFigures {
    pub theme: String,
    /// Comments about it, among answers with a comment and an NPS score.
    pub mentions: u64,
    /// Share of detractors' and promoters' comments about it (0..1).
    pub share_detractors: Option<f64>,
    pub share_promoters: Option<f64>,
    /// NPS of the answers that mention it.
    pub nps_with: Option<f64>,
    /// NPS of all answers minus NPS of the answers without the theme:
    /// negative when the theme pulls the score down.
    pub impact: Option<f64>,
    /// Up to [`MAX_VERBATIMS`] comments, shown as text.
    pub verbatims: Vec<Verbatim>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verbatim {
    pub score: Option<u8>,
    pub text: String,
}

pub const MAX_VERBATIMS: usize = 50;
const TOP_TERMS: usize = 15;

/// The most used words of one group's comments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupTerms {
    pub group: NpsGroup,
    pub comments: u64,
    pub terms: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentAnalysis {
    pub comments: u64,
    /// Comments that match no theme.
    pub unthemed: u64,
    pub themes: Vec<ThemeFigures>,
    pub top_terms: Vec<GroupTerms>,
}

pub fn comment_analysis(
    answers: &[SurveyAnswer],
    dictionary: &ThemeDictionary,
) -> Option<CommentAnalysis> {
    let commented: Vec<(&SurveyAnswer, String)> = answers
        .iter()
        .filter_map(|a| {
            let text = a.comment.as_deref()?.trim();
            (!text.is_empty()).then(|| (a, normalise(text)))
        })
        .collect();
    if commented.is_empty() {
        return None;
    }
    let all_scored = NpsCounts::from_scores(answers.iter().filter_map(|a| a.nps));
    let all_nps = all_scored.summary().map(|s| s.nps);
    let mut group_comments = BTreeMap::<NpsGroup, u64>::new();
    let mut term_counts = BTreeMap::<NpsGroup, BTreeMap<String, u64>>::new();
    let mut themed = vec![false; commented.len()];
    let mut themes = Vec::with_capacity(dictionary.themes.len());
    let word_lists: Vec<Vec<&str>> = commented.iter().map(|(_, t)| words(t).collect()).collect();
    for ((answer, _), words) in commented.iter().zip(&word_lists) {
        if let Some(score) = answer.nps {
            let group = NpsGroup::of(score);
            *group_comments.entry(group).or_default() += 1;
            let counts = term_counts.entry(group).or_default();
            let mut seen: Vec<&str> = Vec::new();
            for w in words.iter().filter(|w| is_term(w)) {
                // Each comment counts a word once.
                if !seen.contains(w) {
                    seen.push(w);
                    *counts.entry(w.to_string()).or_default() += 1;
                }
            }
        }
    }
    for theme in &dictionary.themes {
        let mut with = NpsCounts::default();
        let mut mentions = 0;
        let mut by_group = BTreeMap::<NpsGroup, u64>::new();
        let mut verbatims = Vec::new();
        for (i, ((answer, text), words)) in commented.iter().zip(&word_lists).enumerate() {
            if !theme.matches(text, words) {
                continue;
            }
            themed[i] = true;
            mentions += 1;
            if let Some(score) = answer.nps {
                with.add(score);
                *by_group.entry(NpsGroup::of(score)).or_default() += 1;
            }
            if verbatims.len() < MAX_VERBATIMS {
                verbatims.push(Verbatim {
                    score: answer.nps.map(|s| s.get()),
                    text: answer.comment.clone().unwrap_or_default(),
                });
            }
        }
        let share = |g: NpsGroup| {
            let total = *group_comments.get(&g)?;
            (total > 0).then(|| *by_group.get(&g).unwrap_or(&0) as f64 / total as f64)
        };
        let without = all_scored.minus(&with).summary().map(|s| s.nps);
        themes.push(ThemeFigures {
            theme: theme.name.clone(),
            mentions,
            share_detractors: share(NpsGroup::Detractor),
            share_promoters: share(NpsGroup::Promoter),
            nps_with: with.summary().map(|s| s.nps),
            impact: all_nps.zip(without).map(|(all, rest)| all - rest),
            verbatims,
        });
    }
    let top_terms = NpsGroup::ALL
        .iter()
        .filter_map(|g| {
            let counts = term_counts.get(g)?;
            let mut terms: Vec<(String, u64)> =
                counts.iter().map(|(w, &n)| (w.clone(), n)).collect();
            terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            terms.truncate(TOP_TERMS);
            Some(GroupTerms {
                group: *g,
                comments: *group_comments.get(g).unwrap_or(&0),
                terms,
            })
        })
        .collect();
    Some(CommentAnalysis {
        comments: commented.len() as u64,
        unthemed: themed.iter().filter(|t| !**t).count() as u64,
        themes,
        top_terms,
    })
}

/// Words worth counting: three letters or more, not a stop word.
fn is_term(word: &str) -> bool {
    word.chars().count() >= 3 && !STOP_WORDS.contains(&word)
}

/// Common English and Russian function words (and survey filler).
const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "was",
    "were",
    "are",
    "but",
    "not",
    "you",
    "your",
    "with",
    "this",
    "that",
    "they",
    "them",
    "their",
    "there",
    "have",
    "had",
    "has",
    "its",
    "it's",
    "from",
    "all",
    "any",
    "can",
    "could",
    "would",
    "should",
    "will",
    "just",
    "very",
    "really",
    "too",
    "more",
    "most",
    "some",
    "than",
    "then",
    "what",
    "when",
    "which",
    "who",
    "why",
    "how",
    "our",
    "out",
    "about",
    "into",
    "also",
    "been",
    "being",
    "did",
    "does",
    "doing",
    "don't",
    "didn't",
    "i'm",
    "i've",
    "much",
    "only",
    "other",
    "over",
    "same",
    "such",
    "get",
    "got",
    "one",
    "off",
    "own",
    "again",
    "because",
    "here",
    "where",
    "while",
    "these",
    "those",
    "him",
    "her",
    "his",
    "she",
    "it",
    "is",
    "be",
    "to",
    "of",
    "in",
    "on",
    "at",
    "by",
    "an",
    "or",
    "as",
    "so",
    "if",
    "we",
    "my",
    "me",
    "no",
    "yes",
    "и",
    "в",
    "во",
    "не",
    "что",
    "он",
    "на",
    "я",
    "с",
    "со",
    "как",
    "а",
    "то",
    "все",
    "всё",
    "она",
    "так",
    "его",
    "но",
    "да",
    "ты",
    "к",
    "у",
    "же",
    "вы",
    "за",
    "бы",
    "по",
    "только",
    "ее",
    "мне",
    "было",
    "вот",
    "от",
    "меня",
    "еще",
    "нет",
    "о",
    "из",
    "ему",
    "теперь",
    "когда",
    "даже",
    "ну",
    "вдруг",
    "ли",
    "если",
    "уже",
    "или",
    "ни",
    "быть",
    "был",
    "него",
    "до",
    "вас",
    "нибудь",
    "опять",
    "уж",
    "вам",
    "ведь",
    "там",
    "потом",
    "себя",
    "ничего",
    "ей",
    "может",
    "они",
    "тут",
    "где",
    "есть",
    "надо",
    "ней",
    "для",
    "мы",
    "тебя",
    "их",
    "чем",
    "была",
    "сам",
    "чтоб",
    "без",
    "будто",
    "чего",
    "раз",
    "тоже",
    "себе",
    "под",
    "будет",
    "ж",
    "тогда",
    "кто",
    "этот",
    "того",
    "потому",
    "этого",
    "какой",
    "совсем",
    "ним",
    "здесь",
    "этом",
    "один",
    "почти",
    "мой",
    "тем",
    "чтобы",
    "нее",
    "сейчас",
    "были",
    "куда",
    "зачем",
    "всех",
    "никогда",
    "можно",
    "при",
    "наконец",
    "два",
    "об",
    "другой",
    "хоть",
    "после",
    "над",
    "больше",
    "тот",
    "через",
    "эти",
    "нас",
    "про",
    "всего",
    "них",
    "какая",
    "много",
    "разве",
    "три",
    "эту",
    "моя",
    "впрочем",
    "хорошо",
    "свою",
    "этой",
    "перед",
    "иногда",
    "лучше",
    "чуть",
    "том",
    "нельзя",
    "такой",
    "им",
    "более",
    "всегда",
    "конечно",
    "всю",
    "между",
    "очень",
    "это",
    "весь",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::NpsScore;

    fn answer(score: &str, comment: &str) -> SurveyAnswer {
        SurveyAnswer {
            customer: None,
            date: None,
            nps: NpsScore::try_from(score).ok(),
            csat: None,
            ces: None,
            comment: Some(comment.into()),
            had_problem: None,
        }
    }

    #[test]
    fn stems_match_word_starts_in_both_languages_and_ignore_case_and_yo() {
        let d = ThemeDictionary::default();
        let theme = |name: &str| d.themes.iter().find(|t| t.name == name).unwrap();
        let check = |name: &str, text: &str| {
            let t = normalise(text);
            let w: Vec<&str> = words(&t).collect();
            theme(name).matches(&t, &w)
        };
        assert!(check("delivery", "Доставкой недоволен"));
        assert!(check("delivery", "The parcel was DELIVERED late"));
        assert!(check("price", "Всё слишком дорого"));
        assert!(check("support", "Called the call center twice"));
        // "ценю" begins with "цен" too: stems are a blunt tool, and editable.
        assert!(!check("price", "Отличный магазин"));
        assert!(
            !check("delivery", "undelivered"),
            "a stem matches word starts only"
        );
    }

    #[test]
    fn theme_impact_by_hand() {
        // Four answers: 10 "fast delivery", 9 "great", 2 "late delivery", 0 "rude staff".
        // All: 2 promoters, 2 detractors -> NPS 0. Delivery: 1 P + 1 D -> 0;
        // without delivery: 1 P (9), 1 D (0) -> 0; impact 0.
        // Staff: the one detractor (0); without: 2 P, 1 D -> 33.33; impact -33.33.
        let answers = vec![
            answer("10", "fast delivery"),
            answer("9", "great"),
            answer("2", "late delivery"),
            answer("0", "rude staff"),
        ];
        let a = comment_analysis(&answers, &ThemeDictionary::default()).unwrap();
        let fig = |name: &str| a.themes.iter().find(|t| t.theme == name).unwrap();
        assert_eq!(fig("delivery").mentions, 2);
        assert!((fig("delivery").impact.unwrap()).abs() < 1e-9);
        assert!((fig("staff").impact.unwrap() + 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(fig("staff").share_detractors, Some(0.5));
        assert_eq!(fig("staff").share_promoters, Some(0.0));
        assert_eq!(a.unthemed, 1);
        let detractor_terms = &a
            .top_terms
            .iter()
            .find(|g| g.group == NpsGroup::Detractor)
            .unwrap()
            .terms;
        assert!(detractor_terms.contains(&("delivery".to_string(), 1)));
        assert!(!detractor_terms.iter().any(|(w, _)| w == "the"));
    }
}
