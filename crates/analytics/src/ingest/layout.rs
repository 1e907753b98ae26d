//! How the text is laid out in fields: the delimiter is sniffed from the first
//! lines. Delimited text is read by the `csv` crate (quotes, embedded newlines);
//! runs of spaces, as in CDNOW's fixed-width exports, are split on whitespace,
//! which `csv` cannot express.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

/// How fields are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    Delimited(char),
    Whitespace,
}

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Lines looked at when sniffing.
const SNIFF_RECORDS: usize = 30;

/// Picks the delimiter that splits the first records into the same number of
/// fields (more than one), preferring more fields; whitespace only when no
/// delimiter does.
pub(crate) fn sniff(text: &str) -> Layout {
    let mut best: Option<(usize, usize, u8)> = None; // (agreeing records, fields, delimiter)
    for &delimiter in &DELIMITERS {
        let counts: Vec<usize> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .take(SNIFF_RECORDS)
            .map_while(Result::ok)
            .map(|r| r.len())
            .collect();
        if let Some((fields, agreeing)) = modal(&counts) {
            if fields > 1 && agreeing * 10 >= counts.len() * 8 {
                let candidate = (agreeing, fields, delimiter);
                if best.is_none_or(|b| (candidate.0, candidate.1) > (b.0, b.1)) {
                    best = Some(candidate);
                }
            }
        }
    }
    match best {
        Some((_, _, d)) => Layout::Delimited(char::from(d)),
        None => Layout::Whitespace,
    }
}

/// The most common value and how often it occurs.
fn modal(counts: &[usize]) -> Option<(usize, usize)> {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .max_by_key(|&(value, n)| (n, value))
}

/// One record: its 1-based line number, where it starts in the text, and its fields.
pub(crate) struct Record<'r> {
    pub line: u64,
    pub byte: u64,
    pub fields: &'r [&'r str],
}

/// Calls `visit` for every record, in file order, until it breaks. Empty
/// lines are not records; a line of empty cells (`;;;`) is.
/// Returns the lines of records the CSV reader could not split (invalid
/// quoting), which the caller counts as rejected rows.
pub(crate) fn for_each_record(
    text: &str,
    layout: Layout,
    mut visit: impl FnMut(Record<'_>) -> ControlFlow<()>,
) -> Vec<u64> {
    let mut broken = Vec::new();
    match layout {
        Layout::Whitespace => {
            let mut fields: Vec<&str> = Vec::new();
            for (i, line) in text.lines().enumerate() {
                fields.clear();
                fields.extend(line.split_whitespace());
                if !fields.is_empty()
                    && visit(Record {
                        line: i as u64 + 1,
                        byte: (line.as_ptr() as usize - text.as_ptr() as usize) as u64,
                        fields: &fields,
                    })
                    .is_break()
                {
                    break;
                }
            }
        }
        Layout::Delimited(d) => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(d as u8)
                .from_reader(text.as_bytes());
            let mut record = csv::StringRecord::new();
            loop {
                let line = reader.position().line();
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        let line = record
                            .position()
                            .map_or(line, |p| start_line(text, p.byte() as usize, p.line()));
                        let byte = record.position().map_or(0, |p| p.byte());
                        let fields: Vec<&str> = record.iter().collect();
                        if visit(Record {
                            line,
                            byte,
                            fields: &fields,
                        })
                        .is_break()
                        {
                            break;
                        }
                    }
                    Err(_) => broken.push(line),
                }
            }
        }
    }
    broken
}

/// The csv reader reports a record's position before the blank lines it
/// skipped; move past them so messages name the record's own line.
fn start_line(text: &str, byte: usize, line: u64) -> u64 {
    let skipped = text.as_bytes()[byte.min(text.len())..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    line + skipped as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_delimiters() {
        assert_eq!(sniff("a,b,c\n1,2,3\n"), Layout::Delimited(','));
        assert_eq!(sniff("a;b;c\n1,5;2;3\n4,5;6;7\n"), Layout::Delimited(';'));
        assert_eq!(sniff("a\tb\n1\t2\n"), Layout::Delimited('\t'));
        assert_eq!(sniff("a|b\n1|2\n"), Layout::Delimited('|'));
    }

    #[test]
    fn quoted_commas_do_not_confuse_the_semicolon() {
        let text = "name;city\n\"Smith, J\";Paris\n\"Doe, A\";Rome\n";
        assert_eq!(sniff(text), Layout::Delimited(';'));
    }

    #[test]
    fn runs_of_spaces_are_whitespace_layout() {
        let text = " 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n";
        assert_eq!(sniff(text), Layout::Whitespace);
        let mut rows = Vec::new();
        for_each_record(text, Layout::Whitespace, |r| {
            rows.push((r.line, r.fields.join("|")));
            ControlFlow::Continue(())
        });
        assert_eq!(
            rows,
            vec![
                (1, "00001|19970101|1|11.77".to_string()),
                (2, "00002|19970112|1|12.00".to_string())
            ]
        );
    }

    #[test]
    fn reports_line_numbers_across_embedded_newlines_and_blank_lines() {
        let text = "id,comment\n1,\"two\nlines\"\n\n2,x\n";
        let mut lines = Vec::new();
        for_each_record(text, Layout::Delimited(','), |r| {
            lines.push(r.line);
            ControlFlow::Continue(())
        });
        assert_eq!(lines, vec![1, 2, 5]);
    }
}
