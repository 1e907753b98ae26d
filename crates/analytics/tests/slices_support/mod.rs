//! Reading a file whole and in slices, compared: shared by `tests/slices.rs`,
//! the `slices` fuzz target (`fuzz/fuzz_targets/slices.rs`, which includes
//! this file by path) and the replay of its kept inputs
//! (`tests/fuzz_regressions.rs`). Plain Rust, no test framework.

// Each includer uses part of it.
#![allow(dead_code)]

use loyalty_analytics::ingest::ReadOptions;
use loyalty_analytics::{build_report, Dataset};

/// An earlier file some cases read first, so that ids the slices meet may
/// already be known.
pub const EARLIER: &[u8] = b"customer_id,date,amount\n5,2020-01-01,3\nx9,2020-02-01,4\n";

/// Everything a later figure could read of a dataset, as text, amounts by
/// their bits (a missing amount is a NaN).
pub fn contents(dataset: &Dataset) -> String {
    let tx = &dataset.transactions;
    let names = |interner: &loyalty_analytics::dataset::Interner| -> Vec<String> {
        (0..interner.len() as u32)
            .map(|id| interner.name(id).unwrap_or_default().to_string())
            .collect()
    };
    let amounts: Vec<Option<u64>> = tx.amount.iter().map(|a| a.map(f64::to_bits)).collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
        tx.customer,
        tx.day,
        amounts,
        tx.order.iter().collect::<Vec<_>>(),
        names(&dataset.customers),
        names(&dataset.orders),
        *dataset.file_customers,
        *dataset.segments,
        serde_json::to_string(&*dataset.files).expect("summaries serialise"),
    )
}

/// `bytes` read whole and read cut at `at` (the slices with the file's
/// first `head` bytes as their head), after `before` was read into both:
/// `Ok(true)` when they are the same in rows, ids, accounting and file
/// summary, and, with `report`, in the Report built on them; `Ok(false)`
/// when the slices were refused, no row was kept and reading the file whole
/// after it gives the same as reading it whole; `Err` naming
/// what differs. (The Report is a function of the dataset's contents; it is
/// built when asked because it costs a thousand times the reading.)
pub fn same_either_way(
    before: Option<&[u8]>,
    bytes: &[u8],
    at: &[usize],
    head: usize,
    report: bool,
) -> Result<bool, String> {
    let options = ReadOptions::default();
    let mut whole = Dataset::default();
    let mut sliced = Dataset::default();
    if let Some(earlier) = before {
        let _ = whole.add_file("earlier.csv", earlier);
        let _ = sliced.add_file("earlier.csv", earlier);
    }
    let (files_before, rows_before) = (sliced.files.len(), sliced.transactions.len());
    let expected = whole.add_file("file.csv", bytes).cloned();
    // The first part arrives in pieces of a length the cuts give: cut
    // anywhere, within a line or a character, or not at all.
    let mixed = at
        .iter()
        .fold(head, |m, &a| m.wrapping_mul(31).wrapping_add(a));
    let piece = 1 + mixed % 4099;
    let got = sliced.add_file_in_slices("file.csv", bytes, at, head, piece, &options);
    let Some(got) = got else {
        // Refused, perhaps after reading some pieces: no row or file is
        // kept (the ids met stay interned), and the file read whole after
        // it, as the caller then reads it, gives what reading whole gives.
        if (sliced.files.len(), sliced.transactions.len()) != (files_before, rows_before) {
            return Err("refused slices kept rows".into());
        }
        let _ = sliced.add_file("file.csv", bytes);
        let (a, b) = (contents(&sliced), contents(&whole));
        return if a == b {
            Ok(false)
        } else {
            Err(format!("refused, then read whole: \n{a}\nwhole\n{b}"))
        };
    };
    let got = got.cloned();
    if got != expected {
        return Err(format!("file summary: sliced {got:?}\nwhole {expected:?}"));
    }
    let (a, b) = (contents(&sliced), contents(&whole));
    if a != b {
        return Err(format!("dataset: sliced\n{a}\nwhole\n{b}"));
    }
    if !report {
        return Ok(true);
    }
    let json = |d: &Dataset| serde_json::to_string(&build_report(d)).expect("report serialises");
    let (a, b) = (json(&sliced), json(&whole));
    if a != b {
        return Err(format!("report: sliced\n{a}\nwhole\n{b}"));
    }
    Ok(true)
}

/// A fuzz input as a case: 8 control bytes, then text. Control byte 0
/// gives the number of cuts (1 to 4) and, by its high bit, how the file is
/// made: the text after a clean header and 210 rows, or the text repeated
/// (control byte 7 times, at least 2) so that the fuzzer's own header and
/// rows fill the sample. Bytes 1 to 6 place the cuts (three u16 as
/// fractions of the text past the clean rows); byte 7's low bit says
/// whether the earlier file is read first. The head is the whole first part
/// unless control byte 7 is a multiple of 4, then 8 KB. The Reports are
/// compared too when control byte 7 is 0xFF and byte 0 has bit 6 set (one
/// input in 512): a Report costs a thousand readings.
pub struct FuzzCase {
    pub bytes: Vec<u8>,
    pub at: Vec<usize>,
    pub head: usize,
    pub earlier: bool,
    pub report: bool,
}

impl FuzzCase {
    pub fn from_input(data: &[u8]) -> Option<FuzzCase> {
        let (control, text) = data.split_at_checked(8)?;
        let mut bytes = Vec::new();
        if control[0] & 0x80 == 0 {
            bytes.extend_from_slice(b"customer_id,date,amount,order_id,channel\n");
            for i in 0..210 {
                let row = format!(
                    "{},2021-03-{:02},{}.25,o{i},web\n",
                    i % 31,
                    i % 28 + 1,
                    i % 9
                );
                bytes.extend_from_slice(row.as_bytes());
            }
        }
        let start = bytes.len();
        let times = if control[0] & 0x80 == 0 {
            1
        } else {
            usize::from(control[7]).max(2)
        };
        for _ in 0..times {
            bytes.extend_from_slice(text);
        }
        let span = bytes.len() - start;
        let cuts = usize::from(control[0] % 4) + 1;
        let at = (0..cuts.min(3))
            .map(|k| {
                let f = u16::from_le_bytes([control[1 + 2 * k], control[2 + 2 * k]]);
                start + span * usize::from(f) / usize::from(u16::MAX)
            })
            .chain((cuts == 4).then_some(start))
            .collect();
        Some(FuzzCase {
            bytes,
            at,
            head: if control[7] % 4 == 0 {
                8192
            } else {
                usize::MAX
            },
            earlier: control[7] & 1 == 1,
            report: control[7] == 0xFF && control[0] & 0x40 != 0,
        })
    }

    pub fn check(&self) -> Result<bool, String> {
        let before = self.earlier.then_some(EARLIER);
        same_either_way(before, &self.bytes, &self.at, self.head, self.report)
    }
}
