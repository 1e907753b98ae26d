//! From bytes to text: refuse empty and binary files, strip a UTF-8 BOM.
//! (Legacy encodings and UTF-16 belong to the ingestion issue; until then a
//! non-UTF-8 file is refused with the position of the first bad byte.)

use crate::IngestError;

/// How many leading bytes are inspected for binary content.
const BINARY_PROBE: usize = 8192;

pub(crate) fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty { file: file.into() });
    }
    if let Some(offset) = first_binary_byte(&bytes[..bytes.len().min(BINARY_PROBE)]) {
        return Err(IngestError::Binary {
            file: file.into(),
            offset,
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        IngestError::NotUtf8 {
            file: file.into(),
            line,
            column,
        }
    })
}

/// A NUL or a control character that no text export contains marks a binary
/// file (zip, xls, image). Tab, CR, LF and form feed are text.
fn first_binary_byte(probe: &[u8]) -> Option<usize> {
    probe
        .iter()
        .position(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn refuses_binary_with_offset() {
        // A zip header: "PK\x03\x04".
        let err = decode("a.xlsx", b"PK\x03\x04rest").unwrap_err();
        assert_eq!(
            err,
            IngestError::Binary {
                file: "a.xlsx".into(),
                offset: 2
            }
        );
    }

    #[test]
    fn locates_first_invalid_utf8_byte() {
        // "id;имя" in Windows-1251: the first Cyrillic byte is on line 2, column 4.
        let err = decode("a.csv", b"x\nid;\xE8\xEC\xFF").unwrap_err();
        assert_eq!(
            err,
            IngestError::NotUtf8 {
                file: "a.csv".into(),
                line: 2,
                column: 4
            }
        );
    }

    #[test]
    fn strips_bom() {
        assert_eq!(decode("a.csv", b"\xEF\xBB\xBFid,date").unwrap(), "id,date");
    }
}
