//! From bytes to text: gunzip when compressed, refuse empty and binary files,
//! honour a BOM (UTF-8, UTF-16 LE/BE), keep valid UTF-8 as it is, and detect
//! legacy encodings (Windows-1251, KOI8-R, Windows-1252, ...) with chardetng,
//! decoding them with encoding_rs.

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::IngestError;

/// How many leading bytes are inspected for binary content.
pub(crate) const BINARY_PROBE: usize = 8192;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// Bytes the encoding detector sees: tens of kilobytes of a table settle the
/// language statistics; the whole file only costs time.
const DETECTION_PROBE: usize = 64 * 1024;

/// `s.trim()`, quicker for the usual cell that starts and ends with a
/// visible ASCII character (nothing to trim): this runs several times per
/// cell of every row.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        // ASCII above the space is never whitespace; other bytes may start
        // or end a multi-byte space (U+00A0, U+3000...).
        (Some(&a), Some(&b)) if (b'!'..=b'~').contains(&a) && (b'!'..=b'~').contains(&b) => s,
        _ => s.trim(),
    }
}

/// How many `\n` bytes `text` holds, eight bytes at a time.
pub(crate) fn count_newlines(text: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut chunks = text.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let x = word ^ (ONES * u64::from(b'\n'));
        // The high bit of each byte of x that is zero (exact, no carries).
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        count += zero.count_ones() as usize;
    }
    count + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The most a gzip file may unpack to: what the browser accepts for a plain
/// file, so a 2 MB file that inflates to gigabytes stops with a message
/// instead of exhausting wasm memory.
pub const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

/// The bytes of the file itself: gzip-compressed exports are unpacked.
pub(crate) fn unpack<'a>(
    file: &str,
    bytes: &'a [u8],
) -> Result<(Cow<'a, [u8]>, bool), IngestError> {
    unpack_at_most(file, bytes, MAX_UNPACKED_BYTES)
}

/// [`unpack`] with the limit given (tests use a small one). The limit holds
/// as the bytes inflate, and every growth of the buffer is asked for, so
/// running out of memory is named rather than a trap.
pub(crate) fn unpack_at_most<'a>(
    file: &str,
    bytes: &'a [u8],
    limit: u64,
) -> Result<(Cow<'a, [u8]>, bool), IngestError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok((Cow::Borrowed(bytes), false));
    }
    let bad = |e: std::io::Error| IngestError::BadGzip {
        file: file.into(),
        detail: e.to_string(),
    };
    let out_of_memory = |needed: usize| IngestError::OutOfMemory {
        file: file.into(),
        needed_mb: (needed as u64).div_ceil(1024 * 1024),
    };
    let mut unpacked: Vec<u8> = Vec::new();
    let first = bytes.len().saturating_mul(4).min(limit as usize);
    unpacked
        .try_reserve(first)
        .map_err(|_| out_of_memory(first))?;
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes).take(limit + 1);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match decoder.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(bad(e)),
        };
        if unpacked.len() as u64 + n as u64 > limit {
            return Err(IngestError::UnpacksTooLarge {
                file: file.into(),
                limit_mb: limit / (1024 * 1024),
            });
        }
        unpacked
            .try_reserve(n)
            .map_err(|_| out_of_memory(unpacked.len() + n))?;
        unpacked.extend_from_slice(&chunk[..n]);
    }
    Ok((Cow::Owned(unpacked), true))
}

/// Text and the encoding it was read in.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
}

pub(crate) fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Decoded<'a>, IngestError> {
    let empty = || IngestError::Empty { file: file.into() };
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if encoding == UTF_16LE || encoding == UTF_16BE {
            let (text, _) = encoding.decode_without_bom_handling(body);
            if text.trim().is_empty() {
                return Err(empty());
            }
            return Ok(Decoded {
                text: Cow::Owned(text.into_owned()),
                encoding,
            });
        }
        return decode_8bit(file, body);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, malformed) = encoding.decode_without_bom_handling(bytes);
        // Lone surrogates mean it was not UTF-16 after all: the binary check
        // below names the file.
        if !malformed {
            if text.trim().is_empty() {
                return Err(empty());
            }
            return Ok(Decoded {
                text: Cow::Owned(text.into_owned()),
                encoding,
            });
        }
    }
    decode_8bit(file, bytes)
}

/// UTF-16 written without a BOM (some exporters and `iconv -t UTF-16LE` do):
/// table text is mostly ASCII digits, delimiters and line breaks, so one
/// byte of most pairs is zero, always the same one, and the other never is.
/// Legacy 8-bit text has no zero byte at all, and binary formats have zeros
/// on both sides.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE) & !1];
    let pairs = probe.len() / 2;
    if pairs < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut zero_first, mut zero_second) = (0, 0);
    let (mut breaks_le, mut breaks_be) = (false, false);
    for pair in probe.chunks_exact(2) {
        zero_first += usize::from(pair[0] == 0);
        zero_second += usize::from(pair[1] == 0);
        breaks_le |= pair == [b'\n', 0];
        breaks_be |= pair == [0, b'\n'];
    }
    // No zero on one side (a NUL character never appears in a text export),
    // and on the other either a third of the characters ASCII or, for text
    // that is mostly Cyrillic, at least one line break in that byte order.
    match (zero_first, zero_second) {
        (0, z) if z > 0 && (3 * z >= pairs || breaks_le) => Some(UTF_16LE),
        (z, 0) if z > 0 && (3 * z >= pairs || breaks_be) => Some(UTF_16BE),
        _ => None,
    }
}

/// Decodes with the encoding the user chose (by its WHATWG label), BOM still honoured.
pub(crate) fn decode_as<'a>(
    file: &str,
    bytes: &'a [u8],
    label: &str,
) -> Result<Decoded<'a>, IngestError> {
    let encoding = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        IngestError::UnknownEncoding {
            file: file.into(),
            label: label.into(),
        }
    })?;
    let (text, encoding, _) = encoding.decode(bytes);
    if text.trim().is_empty() {
        return Err(IngestError::Empty { file: file.into() });
    }
    Ok(Decoded { text, encoding })
}

fn decode_8bit<'a>(file: &str, bytes: &'a [u8]) -> Result<Decoded<'a>, IngestError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty { file: file.into() });
    }
    if let Some(offset) = first_binary_byte(&bytes[..bytes.len().min(BINARY_PROBE)]) {
        return Err(IngestError::Binary {
            file: file.into(),
            offset,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8,
        });
    }
    // Not UTF-8: a legacy single- or double-byte encoding. chardetng is what
    // Firefox uses for unlabelled pages; UTF-8 is already ruled out.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let probe = &bytes[..bytes.len().min(DETECTION_PROBE)];
    detector.feed(probe, probe.len() == bytes.len());
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(Decoded { text, encoding })
}

/// A NUL or a control character that no text export contains marks a binary
/// file (zip, xls, image). Tab, CR, LF and form feed are text.
pub(crate) fn first_binary_byte(probe: &[u8]) -> Option<usize> {
    probe
        .iter()
        .position(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
}

/// A file as the browser worker reads it: bytes, or text already decoded
/// from a legacy encoding while the bytes arrived ([`ArrivingFile`]).
pub enum FileContent {
    Bytes(Vec<u8>),
    Text {
        text: String,
        encoding: &'static Encoding,
    },
}

/// A file whose bytes arrive in slices (the worker copies a `File` into wasm
/// memory 8 MB at a time). While the bytes are UTF-8, or may be a workbook,
/// gzip, UTF-16 or binary, they are kept as they come and [`decode`] sees
/// them whole later. Once they are plainly legacy 8-bit text (no BOM, no
/// control byte in the first [`BINARY_PROBE`] bytes, not UTF-8), the encoding
/// is detected on the same [`DETECTION_PROBE`] as [`decode_8bit`] uses, what
/// has arrived is decoded, and each later slice is decoded as it comes: the
/// raw bytes and their text are never both whole in memory, and the text is
/// what [`decode`] would give (encoding_rs decodes a stream as it decodes
/// the whole).
pub struct ArrivingFile {
    total: usize,
    raw: Vec<u8>,
    /// `raw[..utf8_until]` is valid UTF-8.
    utf8_until: usize,
    /// Decided: keep the bytes for [`decode`] (or the user's encoding).
    keep_bytes: bool,
    legacy: Option<(encoding_rs::Decoder, String, &'static Encoding)>,
}

impl ArrivingFile {
    /// A file of `total` bytes; `decode_on_arrival` is false when the user
    /// chose an encoding (the bytes are then decoded whole, as chosen).
    pub fn new(total: usize, decode_on_arrival: bool) -> Self {
        ArrivingFile {
            total,
            raw: Vec::new(),
            utf8_until: 0,
            keep_bytes: !decode_on_arrival,
            legacy: None,
        }
    }

    /// Room for the whole file, asked for up front; `Err` when the memory
    /// is not there.
    pub fn try_reserve(&mut self) -> Result<(), std::collections::TryReserveError> {
        self.raw.try_reserve_exact(self.total)
    }

    pub fn push(&mut self, slice: &[u8]) {
        self.push_from(slice.len(), |place| place.copy_from_slice(slice));
    }

    /// [`ArrivingFile::push`] of `len` bytes that `fill` writes in place (the
    /// worker copies a slice from JavaScript straight into the file's memory).
    pub fn push_from(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) {
        if let Some((decoder, text, _)) = &mut self.legacy {
            let mut slice = vec![0; len];
            fill(&mut slice);
            decode_into(decoder, &slice, text, false);
            return;
        }
        let start = self.raw.len();
        self.raw.resize(start + len, 0);
        fill(&mut self.raw[start..]);
        if self.keep_bytes {
            return;
        }
        match std::str::from_utf8(&self.raw[self.utf8_until..]) {
            Ok(_) => self.utf8_until = self.raw.len(),
            // A character cut by the slice's end: the next slice completes it.
            Err(e) if e.error_len().is_none() => self.utf8_until += e.valid_up_to(),
            Err(_) => self.decide(),
        }
    }

    /// Not UTF-8: decode from here on when it is plainly 8-bit text and the
    /// detector's probe has arrived (it is the same probe as [`decode_8bit`]'s).
    fn decide(&mut self) {
        let probe_len = self.total.min(DETECTION_PROBE);
        if self.raw.len() < probe_len.max(self.total.min(BINARY_PROBE)) {
            // Re-checked with the next slice; nothing is lost meanwhile.
            return;
        }
        let binary_probe = &self.raw[..self.raw.len().min(BINARY_PROBE)];
        if self.raw.starts_with(&GZIP_MAGIC)
            || Encoding::for_bom(&self.raw).is_some()
            || first_binary_byte(binary_probe).is_some()
        {
            self.keep_bytes = true;
            return;
        }
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        let probe = &self.raw[..probe_len];
        detector.feed(probe, probe.len() == self.total);
        let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut text = String::new();
        let raw = std::mem::take(&mut self.raw);
        decode_into(&mut decoder, &raw, &mut text, false);
        drop(raw);
        self.legacy = Some((decoder, text, encoding));
    }

    pub fn finish(self) -> FileContent {
        match self.legacy {
            Some((mut decoder, mut text, encoding)) => {
                decode_into(&mut decoder, &[], &mut text, true);
                FileContent::Text { text, encoding }
            }
            None => FileContent::Bytes(self.raw),
        }
    }
}

fn decode_into(
    decoder: &mut encoding_rs::Decoder,
    mut bytes: &[u8],
    text: &mut String,
    last: bool,
) {
    loop {
        if let Some(room) = decoder.max_utf8_buffer_length_without_replacement(bytes.len()) {
            text.reserve(room);
        }
        let (result, read, _) = decoder.decode_to_string(bytes, text, last);
        bytes = &bytes[read..];
        match result {
            encoding_rs::CoderResult::InputEmpty => return,
            encoding_rs::CoderResult::OutputFull => text.reserve(bytes.len().max(16) * 3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `bytes` pushed in slices of `size`, finished.
    fn arrive(bytes: &[u8], size: usize, decode_on_arrival: bool) -> FileContent {
        let mut file = ArrivingFile::new(bytes.len(), decode_on_arrival);
        for slice in bytes.chunks(size) {
            file.push(slice);
        }
        file.finish()
    }

    /// What `decode` makes of `bytes` in one piece: the reference.
    fn whole(bytes: &[u8]) -> (String, &'static str) {
        let d = decode("f.csv", bytes).expect("decodes");
        (d.text.into_owned(), d.encoding.name())
    }

    fn russian_rows(rows: usize) -> String {
        let mut text = String::from("ID клиента;Дата заказа;Сумма, руб.\n");
        for i in 0..rows {
            text.push_str(&format!(
                "К-{i};{:02}.03.2024;{},50 Ёжик Щука\n",
                1 + i % 28,
                i * 7
            ));
        }
        text
    }

    #[test]
    fn legacy_text_decoded_on_arrival_equals_the_whole_file_decoded() {
        // Sizes either side of the 8 KiB binary probe and the 64 KiB detection probe.
        for rows in [3, 200, 3_000] {
            let utf8 = russian_rows(rows);
            for encoding in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R] {
                let (bytes, _, unmappable) = encoding.encode(&utf8);
                assert!(!unmappable);
                let (expected, name) = whole(&bytes);
                assert_eq!(expected, utf8, "the reference reads it back");
                for size in [1, 7, 4096, 65_536, 1 << 23] {
                    match arrive(&bytes, size, true) {
                        FileContent::Text { text, encoding } => {
                            assert_eq!((text.as_str(), encoding.name()), (expected.as_str(), name));
                        }
                        FileContent::Bytes(_) => {
                            panic!("{rows} rows in {size}-byte slices kept as bytes")
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn one_legacy_byte_late_in_a_file_still_reads_as_the_whole_file() {
        let mut bytes = "id,date,amount\n".repeat(20_000).into_bytes();
        let late = bytes.len() - 100;
        bytes[late] = 0xE9; // "é" in Windows-1252, not UTF-8
        let (expected, name) = whole(&bytes);
        for size in [1000, 8 << 20] {
            match arrive(&bytes, size, true) {
                FileContent::Text { text, encoding } => {
                    assert_eq!((text.as_str(), encoding.name()), (expected.as_str(), name))
                }
                FileContent::Bytes(_) => panic!("kept as bytes"),
            }
        }
    }

    #[test]
    fn utf8_workbooks_gzip_bom_binary_and_a_chosen_encoding_arrive_as_bytes() {
        let cut_characters = "Ёжик;日本;\n".repeat(5_000).into_bytes();
        let mut gzip = GZIP_MAGIC.to_vec();
        gzip.extend([0x08, 0, 0, 0, 0, 0, 0, 0xff, 0xcf, 0xe0]);
        let mut bom16 = vec![0xff, 0xfe];
        bom16.extend("a;b\n".encode_utf16().flat_map(u16::to_le_bytes));
        let mut latin_after_nul = b"PK\x03\x04".to_vec();
        latin_after_nul.extend([0xe9; 100]);
        let russian = russian_rows(50);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&russian);
        for (what, bytes, decode_on_arrival) in [
            (
                "UTF-8 with characters cut by slices",
                cut_characters.as_slice(),
                true,
            ),
            ("gzip", gzip.as_slice(), true),
            ("UTF-16 with a BOM", bom16.as_slice(), true),
            (
                "a zip (workbook) with high bytes",
                latin_after_nul.as_slice(),
                true,
            ),
            ("Windows-1251 with the encoding chosen", &cp1251, false),
        ] {
            for size in [1, 3, 4096] {
                match arrive(bytes, size, decode_on_arrival) {
                    FileContent::Bytes(kept) => assert_eq!(kept, bytes, "{what}"),
                    FileContent::Text { .. } => panic!("{what} decoded on arrival"),
                }
            }
        }
    }

    #[test]
    fn newlines_counted_by_words() {
        let text: Vec<u8> = (0..1000u32)
            .map(|i| [b'\n', b'a', 0x8a, 0x0b, 10][(i * 7 % 5) as usize])
            .collect();
        for len in 0..text.len() {
            let expected = text[..len].iter().filter(|&&b| b == b'\n').count();
            assert_eq!(count_newlines(&text[..len]), expected);
        }
    }

    #[test]
    fn quick_trim_is_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a",
            "a\u{3000}",
            "\x0b1\x0b",
            "\x7f",
            "1,5",
            "é",
            " é ",
            "\t\r\n",
            "a b",
            "~!",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    fn text_of(bytes: &[u8]) -> (String, &'static str) {
        let d = decode("a.csv", bytes).unwrap();
        (d.text.into_owned(), d.encoding.name())
    }

    #[test]
    fn refuses_empty_and_whitespace_only() {
        assert!(matches!(
            decode("a.csv", b""),
            Err(IngestError::Empty { .. })
        ));
        assert!(matches!(
            decode("a.csv", b"\xEF\xBB\xBF \r\n\n"),
            Err(IngestError::Empty { .. })
        ));
        assert!(matches!(
            decode("a.csv", b"\xFF\xFE \0\n\0"),
            Err(IngestError::Empty { .. })
        ));
    }

    #[test]
    fn refuses_binary_with_offset() {
        // A zip header, as in .xlsx: "PK\x03\x04".
        let err = decode("a.xlsx", b"PK\x03\x04rest").err().unwrap();
        assert_eq!(
            err,
            IngestError::Binary {
                file: "a.xlsx".into(),
                offset: 2
            }
        );
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(text_of(b"\xEF\xBB\xBFid,date"), ("id,date".into(), "UTF-8"));
        assert_eq!(
            text_of("клиент;дата".as_bytes()),
            ("клиент;дата".into(), "UTF-8")
        );
    }

    #[test]
    fn utf16_by_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id;дата".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(text_of(&le), ("id;дата".into(), "UTF-16LE"));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("id;дата".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(text_of(&be), ("id;дата".into(), "UTF-16BE"));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "id;дата;сумма\nk1;01.10.2018;142,0\nk2;02.10.2018;99,5\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(text_of(&le), (text.into(), "UTF-16LE"));
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(text_of(&be), (text.into(), "UTF-16BE"));
        // All Cyrillic but the line breaks and delimiters: under a third ASCII,
        // recognised by its line breaks.
        let cyrillic = "клиент;дата\nпервый;второй\n";
        let le: Vec<u8> = cyrillic.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(text_of(&le).0, cyrillic);
    }

    #[test]
    fn zeros_on_both_sides_or_an_odd_length_are_binary_not_utf16() {
        // An OLE (.xls) header has zeros in both halves of its pairs.
        let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0>\0\x03\0";
        assert!(matches!(
            decode("a.xls", ole),
            Err(IngestError::Binary { .. })
        ));
        let odd: Vec<u8> = "id;date\n1;2"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .chain([b'x'])
            .collect();
        assert!(matches!(
            decode("a.csv", &odd),
            Err(IngestError::Binary { .. })
        ));
        // Looks like UTF-16LE, but U+D801 is a lone surrogate: not text after all.
        let lone = [b'1', 0, 0x01, 0xD8, b';', 0, b'2', 0];
        assert!(matches!(
            decode("a.csv", &lone),
            Err(IngestError::Binary { .. })
        ));
    }

    #[test]
    fn legacy_cyrillic_encodings_are_detected() {
        let text = "Дата заказа;ID клиента;Товар;Цена, руб.\n01.10.2018;k1;Комнатное растение в горшке;142,0\n";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        assert_eq!(text_of(&cp1251), (text.to_string(), "windows-1251"));
        // KOI8-U differs from KOI8-R only in Ukrainian letters, so either
        // guess reads Russian text the same.
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(text);
        let (decoded, name) = text_of(&koi8);
        assert_eq!(decoded, text);
        assert!(name.starts_with("KOI8"), "{name}");
    }

    #[test]
    fn gzip_is_unpacked_and_corrupt_gzip_named() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"id,date\n1,2024-01-01\n").unwrap();
        let packed = gz.finish().unwrap();
        let (bytes, was_gzip) = unpack("a.csv.gz", &packed).unwrap();
        assert!(was_gzip);
        assert_eq!(&bytes[..], b"id,date\n1,2024-01-01\n");
        let err = unpack("b.csv.gz", &packed[..packed.len() / 2]).unwrap_err();
        assert!(matches!(err, IngestError::BadGzip { .. }));
        assert!(err.to_string().starts_with("b.csv.gz: "));
    }

    /// A small file that inflates past the limit stops as it inflates: 8 MB
    /// of zeros pack to about 8 kB; with a 1 MB limit it is refused by name.
    #[test]
    fn a_gzip_that_unpacks_past_the_limit_is_refused() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b'0'; 8 * 1024 * 1024]).unwrap();
        let packed = gz.finish().unwrap();
        assert!(packed.len() < 64 * 1024, "{} bytes packed", packed.len());
        let err = unpack_at_most("bomb.csv.gz", &packed, 1024 * 1024).unwrap_err();
        assert_eq!(
            err,
            IngestError::UnpacksTooLarge {
                file: "bomb.csv.gz".into(),
                limit_mb: 1
            }
        );
        assert!(err
            .to_string()
            .starts_with("bomb.csv.gz: unpacked, the file is larger than 1 MB"));
        // Exactly at the limit is still read.
        let (bytes, _) = unpack_at_most("ok.csv.gz", &packed, 8 * 1024 * 1024).unwrap();
        assert_eq!(bytes.len(), 8 * 1024 * 1024);
    }
}
