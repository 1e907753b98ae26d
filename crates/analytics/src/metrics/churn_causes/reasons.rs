//! Reasons and categories: distinct reason texts and the canonical category
//! of a churner.

use rustc_hash::FxHashMap;

use crate::metrics::churn_rules::{reason_key, ChurnCategory, CompiledRules};

/// Distinct texts by [`reason_key`], keeping the first spelling. Raw texts
/// seen before are found without building their key again (most files
/// repeat a few reasons over many rows).
#[derive(Default)]
pub(super) struct TextTable<'d> {
    raw: FxHashMap<&'d str, Option<u32>>,
    index: FxHashMap<String, u32>,
    pub(super) texts: Vec<String>,
    pub(super) categories: Vec<ChurnCategory>,
    /// The user's override decided the category.
    pub(super) overridden: Vec<bool>,
}

impl<'d> TextTable<'d> {
    pub(super) fn intern(
        &mut self,
        text: &'d str,
        rules: &CompiledRules,
        overrides: &FxHashMap<String, ChurnCategory>,
    ) -> Option<u32> {
        if let Some(&known) = self.raw.get(text) {
            return known;
        }
        let key = reason_key(text);
        let id = if key.is_empty() {
            None
        } else if let Some(&i) = self.index.get(&key) {
            Some(i)
        } else {
            let i = self.texts.len() as u32;
            let overridden = overrides.get(&key).copied();
            self.texts.push(text.trim().to_string());
            self.categories
                .push(overridden.unwrap_or_else(|| rules.classify(text)));
            self.overridden.push(overridden.is_some());
            self.index.insert(key, i);
            Some(i)
        };
        self.raw.insert(text, id);
        id
    }
}

/// The category of a churner from what the file says (DESIGN: an existing
/// category column is respected): the user's override of the reason wins;
/// else the file's category; a file category that is the catch-all `other`
/// is refined by a reason naming a specific cause when the rules ask for it,
/// and an `unknown` one gives way to any reason; else the reason; else unknown.
pub(super) fn category_of(
    reason: Option<ChurnCategory>,
    reason_overridden: bool,
    file: Option<ChurnCategory>,
    refine_other: bool,
) -> ChurnCategory {
    match (file, reason) {
        (_, Some(r)) if reason_overridden => r,
        (Some(ChurnCategory::Unknown), Some(r)) => r,
        (Some(ChurnCategory::Other), Some(r)) if refine_other && r.is_specific() => r,
        (Some(f), _) => f,
        (None, Some(r)) => r,
        (None, None) => ChurnCategory::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChurnCategory::*;

    #[test]
    fn the_file_category_wins_unless_it_is_the_catch_all() {
        assert_eq!(category_of(Some(Death), false, Some(Other), true), Death);
        assert_eq!(category_of(Some(Death), false, Some(Other), false), Other);
        assert_eq!(category_of(Some(Unknown), false, Some(Other), true), Other);
        assert_eq!(
            category_of(Some(Price), false, Some(Competitor), true),
            Competitor
        );
        assert_eq!(
            category_of(Some(Price), true, Some(Competitor), true),
            Price
        );
        assert_eq!(category_of(Some(Other), false, Some(Unknown), true), Other);
        assert_eq!(category_of(None, false, None, true), Unknown);
        assert_eq!(category_of(Some(Price), false, None, true), Price);
    }
}
