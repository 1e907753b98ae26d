//! How the text is laid out in fields: the delimiter is sniffed from the first
//! lines. Delimited text is read by the `csv` crate (quotes, embedded newlines);
//! runs of spaces, as in CDNOW's fixed-width exports, are split on whitespace,
//! which `csv` cannot express.

use std::ops::ControlFlow;

use crate::dataset::Layout;

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
        // Without a quote character anywhere the csv reader's work is a
        // split on the delimiter and the line ends: done here directly,
        // with no per-record allocation and no second UTF-8 check.
        Layout::Delimited(d) if is_plain(text, d) => {
            for_each_plain_record(text, d as u8, visit);
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

/// Records handed over [`for_each_record_block`] at a time: enough for a
/// reader to look up a block's customer ids side by side before it reads
/// the records, few enough that the block's fields stay in the cache.
const BLOCK_RECORDS: usize = 64;

/// [`for_each_record`], a block of records at a time: delimited text
/// without quotes comes in blocks of up to [`BLOCK_RECORDS`], anything
/// else a record at a time. A reader can so look ahead within a block (the
/// customer ids' table slots, fetched together rather than one cache miss
/// after another) before it reads its records in order.
pub(crate) fn for_each_record_block(
    text: &str,
    layout: Layout,
    mut visit: impl FnMut(&[Record<'_>]) -> ControlFlow<()>,
) -> Vec<u64> {
    match layout {
        Layout::Delimited(d) if is_plain(text, d) => {
            for_each_plain_block(text, d as u8, visit);
            Vec::new()
        }
        _ => for_each_record(text, layout, |r| visit(std::slice::from_ref(&r))),
    }
}

/// Delimited text the csv reader's work on which is a split on the
/// delimiter and the line ends: no quote character anywhere, no byte order
/// mark.
fn is_plain(text: &str, delimiter: char) -> bool {
    delimiter.is_ascii() && !text.as_bytes().contains(&b'"') && !text.starts_with('\u{feff}')
}

/// Whether any line feed of `text` ends a record, so that a piece of it
/// starting after one reads alone as within it: always for whitespace
/// columns; for delimited text, when it is plain (no quote, no byte order
/// mark).
pub(crate) fn splits_at_line_feeds(text: &str, layout: Layout) -> bool {
    match layout {
        Layout::Whitespace => true,
        Layout::Delimited(d) => is_plain(text, d),
    }
}

/// [`for_each_record`] for delimited text without quotes, as the csv
/// reader reads it: records end at `\n`, `\r` or `\r\n`, empty lines are
/// no records, and lines are counted by `\n`. `byte` is where the csv
/// reader would say the record starts: just after the byte that ended the
/// previous record (before any further line ends).
fn for_each_plain_record(
    text: &str,
    delimiter: u8,
    mut visit: impl FnMut(Record<'_>) -> ControlFlow<()>,
) {
    for_each_plain_block(text, delimiter, |block| {
        for r in block {
            visit(Record {
                line: r.line,
                byte: r.byte,
                fields: r.fields,
            })?;
        }
        ControlFlow::Continue(())
    });
}

/// [`for_each_plain_record`]'s records, [`BLOCK_RECORDS`] at a time.
fn for_each_plain_block(
    text: &str,
    delimiter: u8,
    mut visit: impl FnMut(&[Record<'_>]) -> ControlFlow<()>,
) {
    let bytes = text.as_bytes();
    let mut fields: Vec<&str> = Vec::new();
    // Per record of the block: line, byte, and its fields' range in `fields`.
    let mut spans: Vec<(u64, u64, usize, usize)> = Vec::with_capacity(BLOCK_RECORDS);
    let mut position = 0;
    let mut line = 1u64;
    while position < bytes.len() {
        fields.clear();
        spans.clear();
        while spans.len() < BLOCK_RECORDS && position < bytes.len() {
            let reported = position;
            let mut start = position;
            while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                line += u64::from(bytes[start] == b'\n');
                start += 1;
            }
            if start == bytes.len() {
                position = start;
                break;
            }
            let first = fields.len();
            let mut field_start = start;
            let end = loop {
                let at = next_separator(bytes, field_start, delimiter);
                // ASCII bytes are never inside a multi-byte character.
                fields.push(&text[field_start..at]);
                if at == bytes.len() || bytes[at] != delimiter {
                    break at;
                }
                field_start = at + 1;
            };
            spans.push((line, reported as u64, first, fields.len()));
            // The byte that ends the record goes with it (of "\r\n", the "\r").
            position = end;
            if position < bytes.len() {
                line += u64::from(bytes[position] == b'\n');
                position += 1;
            }
        }
        let block: Vec<Record<'_>> = spans
            .iter()
            .map(|&(line, byte, from, to)| Record {
                line,
                byte,
                fields: &fields[from..to],
            })
            .collect();
        if block.is_empty() || visit(&block).is_break() {
            break;
        }
    }
}

/// The first position from `from` holding `delimiter`, `\n` or `\r`
/// (`bytes.len()` when none does), eight bytes at a time.
#[inline]
fn next_separator(bytes: &[u8], from: usize, delimiter: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of each zero byte of x, exactly (no carries across bytes).
    let zero = |x: u64| !(((x & LOW7) + LOW7) | x | LOW7);
    let (d, lf, cr) = (ONES * u64::from(delimiter), ONES * 0x0a, ONES * 0x0d);
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = zero(word ^ d) | zero(word ^ lf) | zero(word ^ cr);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < bytes.len() && !matches!(bytes[at], b'\n' | b'\r') && bytes[at] != delimiter {
        at += 1;
    }
    at
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

    /// Line, byte and fields of each record.
    type Records = Vec<(u64, u64, Vec<String>)>;

    /// Every record of `text` through the csv reader (forced) and through
    /// the quote-free path.
    fn both_ways(text: &str, d: u8) -> (Records, Records) {
        let collect = |plain: bool| {
            let mut out = Vec::new();
            let visit = |r: Record<'_>| {
                out.push((
                    r.line,
                    r.byte,
                    r.fields.iter().map(|f| f.to_string()).collect(),
                ));
                ControlFlow::Continue(())
            };
            if plain {
                for_each_plain_record(text, d, visit);
            } else {
                // A quote in a trailing record of its own forces the csv reader.
                let with_quote = format!("{text}\n\"q\"");
                for_each_record(&with_quote, Layout::Delimited(char::from(d)), visit);
                let last = out.pop().map(|r| r.2);
                assert_eq!(last, Some(vec!["q".to_string()]));
            }
            out
        };
        (collect(false), collect(true))
    }

    #[test]
    fn quote_free_path_reads_as_the_csv_reader() {
        for text in [
            "a,b\n1,2\n",
            "a,b\r\n1,2\r\n\r\n3,4",
            "a,b\r1,2\r\r3\n\n\n4,,\n",
            "\n\n a , b \n,\n,,\n",
            "x",
            "привет,мир\r\nÿ,€\n",
            "a;b;c\n1;2\n1;2;3;4\n",
            "\r\n\r\nlast",
            "a,b\n\r\n\n\r\r\n1,2\n\n",
        ] {
            for d in [b',', b';', b'\t'] {
                let (csv, plain) = both_ways(text, d);
                assert_eq!(csv, plain, "{text:?}");
            }
        }
        // Generated texts of delimiters, line ends, spaces and letters.
        let alphabet = [",", ";", "\n", "\r", "\r\n", " ", "a", "1", "é", "\t"];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut past_a_block = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // One text in eight runs past a block of records.
            let len = match seed % 8 {
                0 => 2 * BLOCK_RECORDS as u64 + seed % (8 * BLOCK_RECORDS as u64),
                _ => seed % 40,
            };
            let mut s = seed;
            for _ in 0..len {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(alphabet[(s >> 33) as usize % alphabet.len()]);
            }
            for d in [b',', b';'] {
                let (csv, plain) = both_ways(&text, d);
                assert_eq!(csv, plain, "{text:?}");
                assert_eq!(by_blocks(&text, d), plain, "{text:?}");
                past_a_block += usize::from(plain.len() > BLOCK_RECORDS);
            }
        }
        // Enough of them cross from one block to the next.
        assert!(past_a_block >= 100, "{past_a_block}");
    }

    /// Every record of `text` through [`for_each_record_block`], checking
    /// that no block is empty or longer than [`BLOCK_RECORDS`].
    fn by_blocks(text: &str, d: u8) -> Records {
        let mut out = Vec::new();
        for_each_record_block(text, Layout::Delimited(char::from(d)), |block| {
            assert!((1..=BLOCK_RECORDS).contains(&block.len()));
            out.extend(block.iter().map(|r| {
                let fields = r.fields.iter().map(|f| f.to_string()).collect();
                (r.line, r.byte, fields)
            }));
            ControlFlow::Continue(())
        });
        out
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
