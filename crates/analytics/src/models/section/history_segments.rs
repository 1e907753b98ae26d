//! What the CLV section computes from the purchase histories alone: RFM,
//! ABC/XYZ and the simple CLV. They need no model, so the analysis computes
//! them while a helper still fits ([`super::ClvStart::history_segments`]).

use super::super::abc_xyz::{abc_xyz_classes, abc_xyz_matrix, AbcXyzClasses, AbcXyzMatrix};
use super::super::rfm::{rfm_scores, rfm_summary, RfmScores, RfmSummary};
use super::super::simple_clv::{simple_clv, SimpleClv};
use super::super::summary::PurchaseHistories;
use super::{ClvSettings, SummarySource};

/// RFM, ABC/XYZ and the simple CLV of the customers with a purchase.
#[derive(Debug, Default)]
pub struct HistorySegments {
    pub(super) rfm: Vec<RfmScores>,
    pub(super) abc_xyz: Vec<AbcXyzClasses>,
    pub(super) rfm_summary: Option<RfmSummary>,
    pub(super) abc_xyz_matrix: Option<AbcXyzMatrix>,
    pub(super) simple: Option<SimpleClv>,
}

impl HistorySegments {
    /// Computed from transactions only (a summary file has no histories).
    pub(super) fn of(
        histories: &PurchaseHistories,
        source: SummarySource,
        settings: &ClvSettings,
    ) -> HistorySegments {
        let Some(end) = histories
            .last_day
            .filter(|_| source == SummarySource::Transactions)
        else {
            return HistorySegments::default();
        };
        let rfm = rfm_scores(histories, end);
        let abc_xyz = abc_xyz_classes(histories, end, &settings.abc_xyz);
        HistorySegments {
            rfm_summary: Some(rfm_summary(histories, &rfm)),
            abc_xyz_matrix: Some(abc_xyz_matrix(histories, &abc_xyz, &settings.abc_xyz)),
            simple: simple_clv(histories, end, settings),
            rfm,
            abc_xyz,
        }
    }
}
