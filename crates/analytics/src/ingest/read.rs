//! The reader's entry points: a file's bytes (text or a workbook) into the
//! dataset, with progress, one sheet or several, and `Dataset::add_file`.

use std::borrow::Cow;
use std::ops::ControlFlow;

use super::*;

/// Reading files into a dataset: the reader's side of [`Dataset`].
impl Dataset {
    /// Reads one exported file into the dataset. On error the dataset is left
    /// as it was, so the other files keep working.
    pub fn add_file(&mut self, file: &str, bytes: &[u8]) -> Result<&FileSummary, IngestError> {
        self.add_file_with(file, bytes, &ReadOptions::default(), &mut |_| {})
    }

    /// [`Dataset::add_file`] with the user's reading options, reporting
    /// progress every 65,536 rows and at the end.
    pub fn add_file_with(
        &mut self,
        file: &str,
        bytes: &[u8],
        options: &ReadOptions,
        progress: &mut dyn FnMut(ReadProgress),
    ) -> Result<&FileSummary, IngestError> {
        self.add_read(options, |dataset| {
            read_file(dataset, file, bytes, options, progress)
        })
    }

    /// [`Dataset::add_file_with`] of a file read in slices
    /// ([`ArrivingFile`](super::ArrivingFile)): its bytes, or the text decoded on arrival.
    pub fn add_content_with(
        &mut self,
        file: &str,
        content: &FileContent,
        options: &ReadOptions,
        progress: &mut dyn FnMut(ReadProgress),
    ) -> Result<&FileSummary, IngestError> {
        match content {
            FileContent::Bytes(bytes) => self.add_file_with(file, bytes, options, progress),
            FileContent::Text { text, encoding } => self.add_read(options, |dataset| {
                read_text(dataset, file, text, encoding, options, progress)
            }),
        }
    }

    /// Runs `read`, keeping its summary (with the currency the user set, if
    /// any), or on failure removing the rows it added, so a bad file leaves
    /// the dataset as it was.
    pub(super) fn add_read(
        &mut self,
        options: &ReadOptions,
        read: impl FnOnce(&mut Dataset) -> Result<FileSummary, IngestError>,
    ) -> Result<&FileSummary, IngestError> {
        let before = self.start_read();
        match read(self) {
            Ok(summary) => Ok(self.keep_read(options, summary)),
            Err(e) => {
                self.undo_read(before);
                Err(e)
            }
        }
    }

    /// Where the dataset stands before a file is read into it.
    pub(super) fn start_read(&mut self) -> [usize; 4] {
        self.drop_derived();
        [
            self.transactions.len(),
            self.survey_answers.len(),
            self.customer_records.len(),
            self.summaries.len(),
        ]
    }

    /// Keeps a file's summary, with the currency the user set, if any.
    pub(super) fn keep_read(
        &mut self,
        options: &ReadOptions,
        mut summary: FileSummary,
    ) -> &FileSummary {
        summary.currency = options.currency.or(summary.currency);
        self.files.push(summary);
        self.files.last().expect("just pushed")
    }

    /// Removes the rows read since [`Dataset::start_read`] (the ids met
    /// stay interned: they name no row).
    pub(super) fn undo_read(&mut self, before: [usize; 4]) {
        self.transactions.truncate(before[0]);
        self.survey_answers.truncate(before[1]);
        self.customer_records.truncate(before[2]);
        self.summaries.truncate(before[3]);
        self.file_customers.truncate(self.files.len());
    }
}

/// How far the reading of one file has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadProgress {
    pub rows_read: u64,
    /// Bytes of (decoded, unpacked) text read so far, and in all.
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 1 << 16;

/// Reads one exported file of any kind and appends its usable rows to
/// `dataset`. The caller ([`Dataset::add_file`]) rolls the rows back on error.
pub(crate) fn read_file(
    dataset: &mut Dataset,
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let (unpacked, gzip) = text::unpack(file, bytes)?;
    if spreadsheet::is_spreadsheet(&unpacked) {
        let book = spreadsheet::read_sheets(file, &unpacked, chosen_sheets(options).as_deref())?;
        return read_workbook(dataset, file, &book, gzip, options, progress);
    }
    let decoded = match &options.encoding {
        Some(label) => text::decode_as(file, &unpacked, label)?,
        None => text::decode(file, &unpacked)?,
    };
    read_decoded(dataset, file, &decoded, gzip, options, progress)
}

/// The column names a file would be read with (its header's, or "column
/// N"), before any role is given: for choosing columns by name, as the
/// CLI's `--map ROLE=COLUMN` does. For a workbook, those of the first sheet
/// that would be read.
pub fn column_names(
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<Vec<String>, IngestError> {
    let (unpacked, _) = text::unpack(file, bytes)?;
    if spreadsheet::is_spreadsheet(&unpacked) {
        let book = spreadsheet::read_sheets(file, &unpacked, chosen_sheets(options).as_deref())?;
        let first = first_sheet(file, &book, options)?;
        return Ok(shape(file, &book.sheets[first].text, options)?.names);
    }
    let decoded = match &options.encoding {
        Some(label) => text::decode_as(file, &unpacked, label)?,
        None => text::decode(file, &unpacked)?,
    };
    Ok(shape(file, &decoded.text, options)?.names)
}

/// The sheets the user chose (`sheets`, else `sheet`), each once.
fn chosen_sheets(options: &ReadOptions) -> Option<Vec<String>> {
    match (&options.sheets, &options.sheet) {
        (Some(list), _) if !list.is_empty() => {
            let mut chosen: Vec<String> = Vec::with_capacity(list.len());
            for name in list {
                if !chosen.contains(name) {
                    chosen.push(name.clone());
                }
            }
            Some(chosen)
        }
        (_, Some(one)) => Some(vec![one.clone()]),
        _ => None,
    }
}

/// The sheet whose header the others must match: the first with a header
/// and a row (two non-empty rows), else the first chosen.
fn first_sheet(
    file: &str,
    book: &spreadsheet::Workbook,
    options: &ReadOptions,
) -> Result<usize, IngestError> {
    book.sheets
        .iter()
        .position(|s| s.filled >= 2)
        .or_else(|| chosen_sheets(options).map(|_| 0))
        .ok_or_else(|| IngestError::Empty { file: file.into() })
}

/// A workbook's sheets read as one file: the first sheet with data decides
/// the header, roles and formats; every other sheet with the same header
/// (below its own title lines, if any) is read with it, its rows accounted
/// apart; the rest are named in a note.
fn read_workbook(
    dataset: &mut Dataset,
    file: &str,
    book: &spreadsheet::Workbook,
    gzip: bool,
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let first = first_sheet(file, book, options)?;
    let table = prepare(file, &book.sheets[first].text, options)?;
    let mut parts = Vec::with_capacity(book.sheets.len());
    let mut skipped = Vec::new();
    for (i, sheet) in book.sheets.iter().enumerate() {
        if i == first {
            parts.push(Part::first(&table, Some(&sheet.name)));
        } else {
            match other_sheet(&table, &sheet.name, &sheet.text) {
                Some(part) => parts.push(part),
                None => skipped.push(sheet.name.clone()),
            }
        }
    }
    let mut summary = read_parts(
        dataset,
        file,
        &table,
        &parts,
        encoding_rs::UTF_8,
        gzip,
        progress,
    )?;
    summary.format = book.format.into();
    summary.sheet = Some(book.sheets[first].name.clone());
    summary.sheets = book.names.clone();
    if !skipped.is_empty() {
        summary
            .notes
            .push(FileNote::SheetsSkipped { sheets: skipped });
    }
    Ok(summary)
}

/// [`read_file`] of text decoded while the file arrived ([`ArrivingFile`]).
pub(crate) fn read_text(
    dataset: &mut Dataset,
    file: &str,
    text: &str,
    encoding: &'static encoding_rs::Encoding,
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let decoded = text::Decoded {
        text: std::borrow::Cow::Borrowed(text),
        encoding,
    };
    read_decoded(dataset, file, &decoded, false, options, progress)
}

/// The rows of a file's text into `dataset`, with its summary.
fn read_decoded(
    dataset: &mut Dataset,
    file: &str,
    decoded: &text::Decoded<'_>,
    gzip: bool,
    options: &ReadOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let table = prepare(file, &decoded.text, options)?;
    let parts = [Part::first(&table, None)];
    read_parts(
        dataset,
        file,
        &table,
        &parts,
        decoded.encoding,
        gzip,
        progress,
    )
}

/// One text read with a [`Table`]: the file, one sheet of a workbook, or a
/// slice of the file read apart.
pub(super) struct Part<'a> {
    sheet: Option<&'a str>,
    text: &'a str,
    /// Lines of the file before `text` (a piece of a file read as it
    /// arrives): its records' lines are counted on from there.
    lines_before: u64,
    header_line: Option<u64>,
    /// Title lines above the header, descriptions below it.
    skipped_lines: Vec<(u64, RejectReason)>,
}

impl<'a> Part<'a> {
    /// A piece of the file from a record's start past the header, after
    /// `lines_before` lines of it.
    pub fn piece(text: &'a str, lines_before: u64) -> Self {
        Part {
            sheet: None,
            text,
            lines_before,
            header_line: None,
            skipped_lines: Vec::new(),
        }
    }

    /// The text the table was prepared on.
    pub fn first(table: &Table<'a>, sheet: Option<&'a str>) -> Self {
        Part {
            sheet,
            text: table.text,
            lines_before: 0,
            header_line: table.header.as_ref().map(|(line, _)| *line),
            skipped_lines: table.skipped_lines.clone(),
        }
    }
}

/// Another sheet of the workbook, when it has the table's header (the same
/// names, trimmed, in the same order, blank ones at the end aside) within
/// reach of its top: the lines above it are titles, and a line of column
/// descriptions below it is one when the first sheet had one too.
fn other_sheet<'a>(table: &Table<'_>, sheet: &'a str, text: &'a str) -> Option<Part<'a>> {
    let (_, header) = table.header.as_ref()?;
    let names = |fields: &[String]| -> Vec<String> {
        let mut names: Vec<String> = fields.iter().map(|f| text::trim(f).to_string()).collect();
        while names.last().is_some_and(|n| n.is_empty()) {
            names.pop();
        }
        names
    };
    let wanted = names(header);
    let sample = sample_records(text, table.layout);
    let at = sample
        .iter()
        .take(HEADER_SEARCH)
        .position(|r| names(&r.fields) == wanted)?;
    let mut skipped_lines: Vec<(u64, RejectReason)> = sample[..at]
        .iter()
        .map(|r| (r.line, RejectReason::TitleRow))
        .collect();
    let described = table
        .skipped_lines
        .iter()
        .any(|&(_, reason)| reason == RejectReason::DescriptionRow);
    if described
        && sample.len() > at + 2
        && is_description_row(
            &sample[at + 1],
            &profiles(&sample[at + 2..], table.names.len()),
        )
    {
        skipped_lines.push((sample[at + 1].line, RejectReason::DescriptionRow));
    }
    Some(Part {
        sheet: Some(sheet),
        text,
        lines_before: 0,
        header_line: Some(sample[at].line),
        skipped_lines,
    })
}

/// The rows of every part into `dataset`, with the file's summary (the
/// caller adds what it knows of a workbook).
fn read_parts(
    dataset: &mut Dataset,
    file: &str,
    table: &Table<'_>,
    parts: &[Part<'_>],
    encoding: &'static encoding_rs::Encoding,
    gzip: bool,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<FileSummary, IngestError> {
    let mut reading = FileReading::new(dataset, table, parts, 0);
    let bytes_total: u64 = parts.iter().map(|p| p.text.len() as u64).sum();
    let mut bytes_before = 0;
    for part in parts {
        reading.read_part(part, parts.len() > 1, bytes_before, bytes_total, progress);
        bytes_before += part.text.len() as u64;
    }
    progress(ReadProgress {
        rows_read: reading.accounting.rows_read,
        bytes_read: bytes_total,
        bytes_total,
    });
    reading.finish(file, encoding, gzip)
}

/// One file's reading under way: its reader, its accounting and the rows
/// of the dataset it started at.
pub(super) struct FileReading<'a, 't> {
    table: &'a Table<'t>,
    reader: Reader<'a, 't>,
    pub accounting: Accounting,
    rows_before: usize,
    sheets_read: Vec<SheetRows>,
}

impl<'a, 't> FileReading<'a, 't> {
    /// `more_rows`: transaction rows expected beyond the parts' lines (the
    /// slices to be joined), so the columns are allocated once.
    pub fn new(
        dataset: &'a mut Dataset,
        table: &'a Table<'t>,
        parts: &[Part<'_>],
        more_rows: usize,
    ) -> Self {
        // At most one row per line.
        let rows = if table.kind == RecordKind::Transactions {
            let lines: usize = parts
                .iter()
                .map(|p| text::count_newlines(p.text.as_bytes()) + 1)
                .sum();
            lines + more_rows
        } else {
            0
        };
        Self::for_rows(dataset, table, rows)
    }

    /// [`FileReading::new`] with the transaction columns sized for `rows`
    /// (the caller has counted the lines already: on a large file, a pass
    /// over its bytes saved).
    pub fn for_rows(dataset: &'a mut Dataset, table: &'a Table<'t>, rows: usize) -> Self {
        let rows_before = dataset.rows_of(table.kind);
        if table.kind == RecordKind::Transactions {
            dataset.transactions.reserve(rows);
        }
        FileReading {
            table,
            reader: Reader::new(table, dataset),
            accounting: Accounting::default(),
            rows_before,
            sheets_read: Vec::new(),
        }
    }

    /// The records of one part (the file, a sheet, or a slice).
    pub fn read_part(
        &mut self,
        part: &Part<'_>,
        of_several: bool,
        bytes_before: u64,
        bytes_total: u64,
        progress: &mut dyn FnMut(ReadProgress),
    ) {
        let (table, accounting, reader) = (self.table, &mut self.accounting, &mut self.reader);
        let (read_before, used_before) = (accounting.rows_read, accounting.rows_used);
        // Line numbers restart on each sheet: the examples say which.
        accounting.sheet = part.sheet.filter(|_| of_several).map(str::to_string);
        for &(line, reason) in &part.skipped_lines {
            accounting.rows_read += 1;
            accounting.reject(reason, line, "", "");
        }
        let broken = layout::for_each_record_block(part.text, table.layout, |block| {
            reader.look_ahead(block);
            for r in block {
                let line = part.lines_before + r.line;
                if Some(line) == part.header_line
                    || part.skipped_lines.iter().any(|&(l, _)| l == line)
                {
                    continue;
                }
                accounting.rows_read += 1;
                if accounting.rows_read % PROGRESS_EVERY == 0 {
                    progress(ReadProgress {
                        rows_read: accounting.rows_read,
                        bytes_read: bytes_before + r.byte,
                        bytes_total,
                    });
                }
                if let Err((reason, column, value)) = screen(table, r.fields) {
                    accounting.reject(reason, line, column, &value);
                    continue;
                }
                reader.line = line;
                match reader.read(r.fields) {
                    Ok(()) => accounting.rows_used += 1,
                    Err(rejection) => accounting.reject(
                        rejection.reason,
                        line,
                        &rejection.column,
                        &rejection.value,
                    ),
                }
            }
            ControlFlow::Continue(())
        });
        for line in broken {
            accounting.rows_read += 1;
            let line = part.lines_before + line;
            accounting.reject(RejectReason::BrokenRecord, line, "", "");
        }
        if let Some(sheet) = part.sheet {
            let rows_read = accounting.rows_read - read_before;
            let rows_used = accounting.rows_used - used_before;
            self.sheets_read.push(SheetRows {
                sheet: sheet.to_string(),
                rows_read,
                rows_used,
                rows_rejected: rows_read - rows_used,
            });
        }
    }

    /// Joins a slice read apart that follows what was read so far, whose
    /// lines start after `lines_before` lines of the file.
    pub fn join(&mut self, slice: SliceRead, lines_before: u64) {
        self.accounting.join(&slice.tally, lines_before);
        self.reader.join(slice, lines_before);
    }

    /// What a slice read apart hands over: its rows stay in its own dataset.
    pub fn into_slice(self) -> SliceTally {
        let mut tally = self.reader.into_tally();
        let (rows_read, rows_used, rejections) = self.accounting.into_parts();
        tally.rows_read = rows_read;
        tally.rows_used = rows_used;
        tally.rejections = rejections;
        tally
    }

    /// The file's summary, or the error for a file none of whose rows
    /// could be used.
    pub fn finish(
        self,
        file: &str,
        encoding: &'static encoding_rs::Encoding,
        gzip: bool,
    ) -> Result<FileSummary, IngestError> {
        let FileReading {
            table,
            mut reader,
            accounting,
            rows_before,
            sheets_read,
        } = self;
        let (returns, returns_value) = reader.returns();
        let customer_ids = reader.customer_ids();
        reader.finish_summaries();
        let segments = reader.take_segments();
        let mut notes = table.notes.clone();
        notes.extend(reader.take_notes());
        let dataset = reader.into_dataset();
        let (rows_read, rows_used) = (accounting.rows_read, accounting.rows_used);
        let rejections = accounting.finish(file)?;
        dataset.file_customers.push(customer_ids);
        let rows_after = dataset.rows_of(table.kind);
        dataset
            .segments
            .append_file(table.kind, rows_before, rows_after, segments);
        let columns: Vec<ColumnInfo> = table
            .names
            .iter()
            .zip(&table.roles)
            .map(|(name, role)| ColumnInfo {
                name: name.clone(),
                role: *role,
            })
            .collect();
        Ok(FileSummary {
            file: file.into(),
            kind: table.kind,
            format: "text".into(),
            sheet: None,
            sheets: Vec::new(),
            sheets_read,
            encoding: encoding.name().into(),
            gzip,
            layout: table.layout,
            has_header: table.has_header,
            date_format: table.column(Role::Date).and_then(|c| table.date_formats[c]),
            currency: currency::currency_of(&columns, &table.preview),
            columns,
            rows_read,
            rows_used,
            rows_rejected: rows_read - rows_used,
            rejections,
            returns,
            returns_value,
            customers: dataset
                .file_customers
                .last()
                .map_or(0, |ids| ids.len() as u64),
            customers_matched: None,
            date_alternatives: table.date_alternatives.clone(),
            preview: table.preview.clone(),
            notes,
            held_rows: rows_before..rows_after,
        })
    }
}

/// Rows that are not records at all, whatever the kind: blank lines of
/// cells, the header repeated, totals lines, and rows too short to hold the
/// columns the kind needs.
fn screen<'r>(
    table: &'r Table<'_>,
    fields: &[&'r str],
) -> Result<(), (RejectReason, &'r str, Cow<'r, str>)> {
    if is_blank(fields) {
        return Err((RejectReason::BlankRow, "", "".into()));
    }
    if let Some((_, header)) = &table.header {
        if header.len() == fields.len()
            && header.iter().zip(fields).all(|(h, f)| h == text::trim(f))
        {
            return Err((RejectReason::RepeatedHeader, "", "".into()));
        }
    }
    if let Some(id) = table.customer_id(fields).filter(|id| is_totals_label(id)) {
        return Err((RejectReason::TotalsRow, &table.id_name, id));
    }
    // Optional columns missing at the end of a short row read as blank.
    if let Some(&missing) = table.required.iter().find(|&&c| c >= fields.len()) {
        return Err((
            RejectReason::MissingFields,
            &table.names[missing],
            "".into(),
        ));
    }
    Ok(())
}

/// The header names for a message: the non-empty ones, at most 20, then
/// how many more there are (a sheet with thousands of blank columns would
/// otherwise fill the screen).
pub(super) fn column_list(names: &[String]) -> String {
    const LISTED_COLUMNS: usize = 20;
    let named: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_empty())
        .collect();
    let mut list = named[..named.len().min(LISTED_COLUMNS)].join(", ");
    let more = names.len() - named.len().min(LISTED_COLUMNS);
    if more > 0 {
        let sep = if list.is_empty() { "" } else { ", " };
        list.push_str(&format!("{sep}and {more} more"));
        if named.len() < names.len() {
            list.push_str(&format!(", {} of them blank", names.len() - named.len()));
        }
    }
    list
}
