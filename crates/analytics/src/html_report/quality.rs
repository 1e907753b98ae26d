//! Data quality: what each file was read as, with its notes.

use std::fmt::Write as _;

use crate::ingest::FileSummary;
use crate::report::Report;

use super::doc::{num, text, Cell, Doc};
use super::words::{kind_name, role_name, T};
use super::E;

impl Doc {
    pub(super) fn quality(&mut self, report: &Report) {
        if report.files.is_empty() {
            return;
        }
        let (lang, f) = (self.lang, self.f);
        self.section("quality", T::SecQuality);
        let head = [
            self.t(T::File),
            self.t(T::Kind),
            self.t(T::Format),
            self.t(T::RowsRead),
            self.t(T::RowsUsed),
            self.t(T::RowsRejected),
            self.t(T::Customers),
            self.t(T::Matched),
        ];
        let format_of = |file: &FileSummary| {
            let mut s = if file.format == "text" {
                format!("{}, {}", file.format, file.encoding)
            } else {
                match &file.sheet {
                    Some(sheet) => format!("{} ({sheet})", file.format),
                    None => file.format.clone(),
                }
            };
            if file.gzip {
                s.push_str(", gzip");
            }
            s
        };
        let rows: Vec<Vec<Cell>> = report
            .files
            .iter()
            .map(|file| {
                vec![
                    text(&file.file),
                    text(kind_name(file.kind, lang)),
                    text(format_of(file)),
                    num(f.count(file.rows_read as f64)),
                    num(f.count(file.rows_used as f64)),
                    num(f.count(file.rows_rejected as f64)),
                    num(f.count(file.customers as f64)),
                    num(file
                        .customers_matched
                        .map_or_else(|| "–".into(), |m| f.count(m as f64))),
                ]
            })
            .collect();
        self.table("files", self.t(T::CapFiles), &head, &rows);
        for file in &report.files {
            // What the file was read as and the reader's notes, as the page
            // says them on its overview.
            w!(
                self.out,
                "<p class=\"note\" data-testid=\"read-as\" data-file=\"{}\">{} — {}</p>\n",
                E(&file.file),
                E(&file.file),
                E(&file.read_as(lang.locale()))
            );
            for note in &file.notes {
                w!(
                    self.out,
                    "<p class=\"note\" data-testid=\"file-note\" data-file=\"{}\">{}</p>\n",
                    E(&file.file),
                    E(&note.describe_in(lang.locale()))
                );
            }
            if !file.rejections.is_empty() {
                let caption = format!("{} {}", self.t(T::RejectedIn), file.file);
                let head = [self.t(T::Reason), self.t(T::Rows)];
                let rows: Vec<Vec<Cell>> = file
                    .rejections
                    .iter()
                    .map(|g| {
                        vec![
                            text(g.reason.describe_in(lang.locale())),
                            num(f.count(g.count as f64)),
                        ]
                    })
                    .collect();
                self.table("rejections", &caption, &head, &rows);
            }
            if !file.columns.is_empty() {
                let caption = format!("{} {}", self.t(T::ColumnsOf), file.file);
                let head = [self.t(T::Column), self.t(T::Role)];
                let rows: Vec<Vec<Cell>> = file
                    .columns
                    .iter()
                    .map(|c| {
                        vec![
                            text(&c.name),
                            text(c.role.map_or(self.t(T::NotUsed), |r| role_name(r, lang))),
                        ]
                    })
                    .collect();
                self.table("columns", &caption, &head, &rows);
            }
        }
        self.end_section();
    }
}
