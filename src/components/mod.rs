//! One component per file; state lives in `app`.

pub mod app;
pub mod area_summary;
pub mod call_list;
pub mod canvas_chart;
pub mod churn_page;
pub mod churn_reasons_table;
pub mod churn_rules_editor;
pub mod clv_models;
pub mod clv_page;
pub mod clv_segments_table;
pub mod clv_settings_panel;
pub mod cohort_table;
pub mod comment_themes;
pub mod currency_warning;
pub mod data_intake;
pub mod data_quality;
pub mod download_report;
pub mod error_list;
pub mod file_notes;
pub mod file_table;
pub mod join_warning;
pub mod keep_files;
pub mod kpi_card;
pub mod loaded_files;
pub mod loyalty_link_table;
pub mod mapping_panel;
pub mod news_lines;
pub mod nps_segment_table;
pub mod page_main;
pub mod page_nav;
pub mod programme_panel;
pub mod progress_panel;
pub mod read_as_list;
pub mod segment_breakdown;
pub mod settings_errors;
pub mod settings_panel;
pub mod sortable_table;
pub mod survey_settings_panel;
pub mod surveys_page;
pub mod timings;

/// The files currently selected in a file input.
fn input_files(input: &web_sys::HtmlInputElement) -> Vec<web_sys::File> {
    let Some(list) = input.files() else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
