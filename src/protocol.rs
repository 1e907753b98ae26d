//! Messages between the page and the analysis worker, as JSON text. Files
//! travel beside the JSON as `File` objects (structured clone, no copy).

use loyalty_analytics::display::Locale;
use loyalty_analytics::error::Worded;
use loyalty_analytics::ingest::{FileSummary, ReadOptions};
use loyalty_analytics::models::{CustomerCard, Segment};
use loyalty_analytics::{IngestError, Report, SectionTiming, Settings};
use serde::{Deserialize, Serialize};

/// Page to worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Externally tagged: serde_json then reads the Report straight from the
// text; an internally tagged enum buffers it first, which costs time and
// the page's wasm a second deserialiser for every Report type.
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Read the files sent alongside, each with its options (one per file,
    /// in order; a file without options is read with detection alone), and
    /// analyse them together. The page sends the whole loaded set every
    /// time (a drop adds to it, a mapping change or a removal re-reads it),
    /// so the figures are always those of every file loaded.
    Analyse {
        #[serde(default)]
        options: Vec<ReadOptions>,
        settings: Settings,
    },
    /// Analyse the data already read with other settings (period, churn
    /// window...): no re-reading.
    Recompute { settings: Settings },
    /// Everything known about one customer id (the CLV search box).
    Customer { id: String },
    /// The customer ids of a segment, as CSV text to download.
    SegmentCsv { segment: Segment },
    /// The last Report as pretty JSON to download (the CLI's `--json`):
    /// written here so the page's wasm carries no Report serialiser.
    ReportJson,
}

/// Worker to page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Externally tagged: serde_json then reads the Report straight from the
// text; an internally tagged enum buffers it first, which costs time and
// the page's wasm a second deserialiser for every Report type.
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The worker is listening; requests sent before this would be lost.
    Ready,
    Progress(Progress),
    Done(Box<Outcome>),
    /// The answer to [`Request::Customer`]: `None` when the id is unknown.
    Customer {
        id: String,
        card: Option<Box<CustomerCard>>,
    },
    /// A document to save: the answer to [`Request::SegmentCsv`].
    Download {
        file_name: String,
        mime: String,
        text: String,
    },
    /// The worker's warm-up analysis of a made-up shop, for the page to
    /// read and forget: V8 compiles a wasm function when it is first
    /// called, so reading it once compiles the page's Report reader before
    /// the user's first drop instead of during it.
    WarmUp(Box<Outcome>),
}

/// Where the reading stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub file: String,
    /// 1-based position of the file, and how many there are.
    pub file_number: usize,
    pub files: usize,
    pub rows_read: u64,
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// The result of one run: the analysis of the files that could be read, and
/// one message per file that could not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub report: Option<Report>,
    pub errors: Vec<RunError>,
    pub parse_ms: f64,
    pub analyze_ms: f64,
    /// How `analyze_ms` splits over the report's sections, in order.
    #[serde(default)]
    pub sections: Vec<SectionTiming>,
    /// For each of the report's files, its position among the files given
    /// (the index of its reading options): a file that could not be read
    /// leaves a gap.
    #[serde(default)]
    pub file_index: Vec<usize>,
    /// Files refused for want of known columns, with their columns and first
    /// rows, so the mapping panel can name the roles by hand.
    #[serde(default)]
    pub unread: Vec<UnreadFile>,
}

/// A file the reader found no known column in (its message is among the
/// errors): what the mapping panel needs to have it read again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadFile {
    /// Its position among the files given.
    pub index: usize,
    /// Its columns (no role) and first rows, in the shape of a read file's
    /// summary: rows and kind mean nothing here.
    pub summary: FileSummary,
}

/// Why a run could not use a file, or could not run at all: the page words
/// it in its language (`Msg::RunError`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunError {
    /// The reader's reason, naming the file (and the line and column), in
    /// each of the page's languages: worded by the worker
    /// ([`RunError::unusable`]), so the page needs no reader of the core's
    /// errors (carrying the error itself cost its wasm 14.7 KB gzipped).
    Unusable(Worded),
    /// Larger than the browser reads, refused before any work.
    TooLarge { file: String, bytes: f64 },
    /// The browser could not hand the file's bytes over.
    Unreadable { file: String, reason: String },
    /// A rerun after the worker lost its files (it was restarted).
    FilesGone,
    /// A request this worker does not understand (a page and a worker of
    /// two builds).
    UnknownRequest,
}

impl RunError {
    pub fn unusable(error: &IngestError) -> RunError {
        RunError::Unusable(Worded {
            en: error.describe_in(Locale::En),
            ru: error.describe_in(Locale::Ru),
        })
    }
}
