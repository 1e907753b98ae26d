//! `loyalty report FILE... [--json] [--timings] [--sheet NAME]... [--map ROLE=COLUMN]...`:
//! the web app's Report, on the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use loyalty_analytics::display::Locale;
use loyalty_analytics::ingest::{column_names, Currency, ReadOptions, Role};
use loyalty_analytics::metric::MetricId;
use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::models::{ModelChoice, MonthWindow, TimeUnit};
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::{analyse_timed, Dataset, Report, SectionTiming, Settings};

#[derive(Parser)]
#[command(
    name = "loyalty",
    version,
    about = "Customer-loyalty analytics over exported files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads the files (joined on customer id) and prints the Report.
    Report {
        /// Exported files: orders/transactions as CSV, TSV or whitespace-separated text.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the Report as JSON (the same document the web app downloads).
        #[arg(long)]
        json: bool,
        /// Period of the retention figures: week, month or quarter [default: month].
        #[arg(long, value_parser = parse_period)]
        period: Option<Period>,
        /// Days without a purchase after which a customer counts as lost [default: 90].
        #[arg(long)]
        churn_window_days: Option<u32>,
        /// CLV time unit: day, week or month [default: week].
        #[arg(long, value_parser = parse_time_unit)]
        time_unit: Option<TimeUnit>,
        /// Last day of the CLV calibration period (YYYY-MM-DD): the models
        /// are fitted on the data up to it and checked on the rest.
        #[arg(long)]
        calibration_end: Option<NaiveDate>,
        /// CLV horizon in months [default: 12].
        #[arg(long)]
        horizon_months: Option<u32>,
        /// Monthly discount rate of CLV [default: 0.01].
        #[arg(long)]
        discount_rate: Option<f64>,
        /// Share of spend that is profit (0-1); CLV is revenue without it.
        #[arg(long)]
        margin: Option<f64>,
        /// Purchase model behind P(alive), expected purchases and CLV: auto
        /// (the one with the lower holdout error per customer; BG/NBD
        /// without --calibration-end), bgnbd or pnbd (Pareto/NBD) [default: auto].
        #[arg(long, value_parser = parse_model)]
        model: Option<ModelChoice>,
        /// CLV over months M to N of the future only, in today's money (e.g.
        /// 13-24: the second year); the horizon is then N months.
        #[arg(long, value_name = "M-N", value_parser = parse_window)]
        window_months: Option<MonthWindow>,
        /// Only activity from this date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Only activity up to this date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<NaiveDate>,
        /// Settings as JSON (the `settings` object of a downloaded report:
        /// churn rules, re-mapped reasons, themes...); the flags above win.
        #[arg(long)]
        settings: Option<PathBuf>,
        /// Print how long reading and each section of the analysis took
        /// (milliseconds) to stderr.
        #[arg(long)]
        timings: bool,
        /// Read this sheet of a workbook; repeat the flag to read several
        /// together (their headers must match the first's). Without it, the
        /// first sheet with data and every sheet with the same header.
        #[arg(long = "sheet", value_name = "NAME")]
        sheets: Vec<String>,
        /// Give a column a role, in every file: ROLE is the role's id
        /// (customer_id, date, amount, order_id, quantity, unit_price,
        /// nps_score, csat, churned, status, ...), COLUMN a header name.
        /// `customer_id=First Name+Last Name` makes the customer id of
        /// several columns, joined with a space. Repeatable.
        #[arg(long = "map", value_name = "ROLE=COLUMN", value_parser = parse_mapping)]
        map: Vec<Mapping>,
        /// The currency of the money figures (RUB, USD, EUR, GBP) when the
        /// files are in several; amounts in the others are left out of
        /// them [default: that of the files with the most rows].
        #[arg(long, value_parser = parse_currency)]
        currency: Option<Currency>,
        /// The currency of one file's amounts, when it does not say or says
        /// wrong: FILE=CODE (the file's name, e.g. `orders.csv=USD`). Repeatable.
        #[arg(long = "file-currency", value_name = "FILE=CODE", value_parser = parse_file_currency)]
        file_currencies: Vec<(String, Currency)>,
    },
}

/// One `--map ROLE=COLUMN`: the column as written (split on `+` only
/// when no column has the whole name).
#[derive(Debug, Clone)]
struct Mapping {
    role: Role,
    column: String,
}

fn parse_mapping(text: &str) -> Result<Mapping, String> {
    let (key, column) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not ROLE=COLUMN"))?;
    let key = key.trim().to_lowercase();
    let role = Role::ALL
        .into_iter()
        .find(|r| r.key() == key)
        .ok_or_else(|| {
            let keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
            format!("'{key}' is not a role: use one of {}", keys.join(", "))
        })?;
    let column = column.trim();
    if column.is_empty() {
        return Err(format!("'{text}' names no column"));
    }
    Ok(Mapping {
        role,
        column: column.to_string(),
    })
}

/// The reading options of one file with the `--map` choices applied: the
/// roles detection gives (when it reads the file at all), each mapped role
/// moved to its column(s).
fn options_for(
    name: &str,
    bytes: &[u8],
    base: &ReadOptions,
    maps: &[Mapping],
) -> Result<ReadOptions, String> {
    if maps.is_empty() {
        return Ok(base.clone());
    }
    let names = column_names(name, bytes, base).map_err(|e| e.to_string())?;
    let mut roles: Vec<Option<Role>> = Dataset::default()
        .add_file_with(name, bytes, base, &mut |_| {})
        .map(|summary| summary.columns.iter().map(|c| c.role).collect())
        .unwrap_or_default();
    roles.resize(names.len(), None);
    let mut options = base.clone();
    for map in maps {
        let columns = find_columns(&names, &map.column).ok_or_else(|| {
            format!(
                "{name}: --map {}={}: there is no column '{}' (columns: {})",
                map.role.key(),
                map.column,
                map.column,
                names.join(", ")
            )
        })?;
        if columns.len() > 1 && map.role != Role::CustomerId {
            return Err(format!(
                "{name}: --map {}={}: only customer_id can be made of several columns",
                map.role.key(),
                map.column
            ));
        }
        for role in roles.iter_mut().filter(|r| **r == Some(map.role)) {
            *role = None;
        }
        for &c in &columns {
            roles[c] = Some(map.role);
        }
        if map.role == Role::CustomerId {
            options.id_columns = (columns.len() > 1).then_some(columns);
        }
    }
    options.roles = Some(roles);
    Ok(options)
}

/// The columns `wanted` names: one header name (exactly, else ignoring
/// case), or names joined by `+`.
fn find_columns(names: &[String], wanted: &str) -> Option<Vec<usize>> {
    let find = |wanted: &str| {
        let wanted = wanted.trim();
        names.iter().position(|n| n == wanted).or_else(|| {
            let mut same = names
                .iter()
                .enumerate()
                .filter(|(_, n)| n.to_lowercase() == wanted.to_lowercase());
            match (same.next(), same.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
    };
    if let Some(c) = find(wanted) {
        return Some(vec![c]);
    }
    wanted.split('+').map(find).collect()
}

/// The hidden first argument that makes the binary a spreadsheet probe
/// (see [`probe_spreadsheet`]).
const PROBE_ARG: &str = "__probe-spreadsheet";

/// Address space and CPU time a spreadsheet probe may use. Real workbooks
/// stay far below; crafted ones (fuzz/resource-cases) ask calamine for
/// terabytes or grow without end.
const PROBE_MEMORY_BYTES: u64 = 8 << 30;
const PROBE_CPU_SECONDS: u64 = 120;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 3 && args[1] == PROBE_ARG {
        return run_probe(Path::new(&args[2]));
    }
    let Command::Report {
        files,
        json,
        period,
        churn_window_days,
        settings,
        time_unit,
        calibration_end,
        horizon_months,
        discount_rate,
        margin,
        model,
        window_months,
        from,
        to,
        timings,
        sheets,
        map,
        currency,
        file_currencies,
    } = Cli::parse().command;
    let base = ReadOptions {
        sheets: (!sheets.is_empty()).then_some(sheets),
        ..ReadOptions::default()
    };
    let mut settings = match settings.as_deref().map(read_settings).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(period) = period {
        settings.period = period;
    }
    if let Some(days) = churn_window_days {
        settings.churn_window_days = days;
    }
    if let Some(unit) = time_unit {
        settings.clv.time_unit = unit;
    }
    if calibration_end.is_some() {
        settings.clv.calibration_end = calibration_end;
    }
    if let Some(months) = horizon_months {
        settings.clv.horizon_months = months;
    }
    if let Some(rate) = discount_rate {
        settings.clv.discount_rate = rate;
    }
    if margin.is_some() {
        settings.clv.margin = margin;
    }
    if let Some(model) = model {
        settings.clv.model = model;
    }
    if window_months.is_some() {
        settings.clv.window_months = window_months;
    }
    if from.is_some() {
        settings.date_from = from;
    }
    if to.is_some() {
        settings.date_to = to;
    }
    if currency.is_some() {
        settings.currency = currency;
    }
    // The page's check: a bad value exits with its message, it is never analysed.
    if let Err(errors) = settings.validate() {
        for e in errors {
            eprintln!("error: {e}");
        }
        return ExitCode::FAILURE;
    }
    let started = Instant::now();
    let mut dataset = Dataset::default();
    let mut failures = 0;
    for path in &files {
        // The report names files as the browser does: by file name only.
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let loaded = std::fs::read(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|bytes| {
                if is_spreadsheet(&bytes) {
                    probe_spreadsheet(path).map_err(|why| format!("{name}: {why}"))?;
                }
                let mut options = options_for(&name, &bytes, &base, &map)?;
                if let Some((_, c)) = file_currencies.iter().rev().find(|(f, _)| *f == name) {
                    options.currency = Some(*c);
                }
                dataset
                    .add_file_with(&name, &bytes, &options, &mut |_| {})
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
        if let Err(message) = loaded {
            eprintln!("error: {message}");
            failures += 1;
        }
    }
    if failures == files.len() {
        return ExitCode::FAILURE;
    }
    let read_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut clock = || started.elapsed().as_secs_f64() * 1e3;
    let (analysis, sections) = analyse_timed(&dataset, &settings, &mut clock);
    let report = analysis.report;
    if timings {
        eprint!("{}", timings_table(read_ms, &sections));
    }
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", render_text(&report, &files));
    }
    ExitCode::SUCCESS
}

/// A currency by its ISO code.
fn parse_currency(code: &str) -> Result<Currency, String> {
    Currency::of_code(code).ok_or_else(|| {
        let codes: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
        format!("'{code}' is not one of {}", codes.join(", "))
    })
}

/// `FILE=CODE`: a file's name and its currency.
fn parse_file_currency(raw: &str) -> Result<(String, Currency), String> {
    let (file, code) = raw
        .rsplit_once('=')
        .ok_or_else(|| format!("'{raw}' is not FILE=CODE"))?;
    Ok((file.trim().to_string(), parse_currency(code)?))
}

/// XLS/ODS/XLSX by their first bytes (an OLE compound file or a zip).
fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || bytes.starts_with(b"PK\x03\x04")
}

/// Reads a spreadsheet once in a child process under memory and CPU limits
/// before this process reads it. A crafted workbook can make calamine ask
/// for terabytes: the failed allocation aborts the process, which no panic
/// handler catches (Rust's `oom=panic` is nightly-only). The child takes
/// the blow; this process names the file and goes on with the others. The
/// price is reading each spreadsheet twice.
fn probe_spreadsheet(path: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot start the reader: {e}"))?;
    let mut child = std::process::Command::new(exe);
    child
        .arg(PROBE_ARG)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: between fork and exec only setrlimit runs, which is
        // async-signal-safe and touches no memory of the parent.
        unsafe {
            child.pre_exec(|| {
                let limit = |resource, value: u64| {
                    let l = libc::rlimit {
                        rlim_cur: value as libc::rlim_t,
                        rlim_max: value as libc::rlim_t,
                    };
                    libc::setrlimit(resource, &l)
                };
                limit(libc::RLIMIT_AS, PROBE_MEMORY_BYTES);
                limit(libc::RLIMIT_CPU, PROBE_CPU_SECONDS);
                Ok(())
            });
        }
    }
    let status = child
        .status()
        .map_err(|e| format!("cannot start the reader: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the workbook could not be read: the reader stopped ({status}); it is damaged or \
             needs more than {} GB of memory or {PROBE_CPU_SECONDS} s",
            PROBE_MEMORY_BYTES >> 30
        ))
    }
}

/// The probe itself: read the file as the report would, and exit 0 whether
/// it loads or is refused with a message; only a crash exits otherwise.
fn run_probe(path: &Path) -> ExitCode {
    if let Ok(bytes) = std::fs::read(path) {
        let _ = Dataset::default().add_file("probe", &bytes);
    }
    ExitCode::SUCCESS
}

/// The `--timings` table: reading, then each analysis section, then the total.
fn timings_table(read_ms: f64, sections: &[SectionTiming]) -> String {
    let analysis_ms: f64 = sections.iter().map(|t| t.ms).sum();
    let mut out = String::from("section                ms\n");
    let mut row = |name: &str, ms: f64| out.push_str(&format!("{name:<18} {ms:>9.1}\n"));
    row("read", read_ms);
    for t in sections {
        row(&format!("  {}", t.section), t.ms);
    }
    row("analysis", analysis_ms);
    row("total", read_ms + analysis_ms);
    out
}

fn parse_time_unit(text: &str) -> Result<TimeUnit, String> {
    TimeUnit::parse(text)
        .ok_or_else(|| format!("'{text}' is not a time unit: use day, week or month"))
}

fn parse_model(text: &str) -> Result<ModelChoice, String> {
    ModelChoice::parse(text)
        .ok_or_else(|| format!("'{text}' is not a purchase model: use auto, bgnbd or pnbd"))
}

fn parse_window(text: &str) -> Result<MonthWindow, String> {
    MonthWindow::parse(text)
        .ok_or_else(|| format!("'{text}' is not a window of months: use M-N, e.g. 13-24"))
}

fn read_settings(path: &Path) -> Result<Settings, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not settings JSON: {e}", path.display()))
}

fn parse_period(text: &str) -> Result<Period, String> {
    match text {
        "week" => Ok(Period::Week),
        "month" => Ok(Period::Month),
        "quarter" => Ok(Period::Quarter),
        other => Err(format!(
            "'{other}' is not a period: use week, month or quarter"
        )),
    }
}

fn render_text(report: &Report, paths: &[PathBuf]) -> String {
    let mut out = String::new();
    let inputs: Vec<_> = paths
        .iter()
        .map(|p| Path::new(p).display().to_string())
        .collect();
    out.push_str(&format!(
        "Loyalty Lens report for {}\n\n",
        inputs.join(", ")
    ));
    if let (Some(first), Some(last)) = (report.first_date, report.last_date) {
        out.push_str(&format!("  {:<26} {first} .. {last}\n", "period"));
    }
    if let Some(money) = &report.money {
        out.push_str(&format!("  {:<26} {}\n", "currency", money.currency.code()));
    }
    if let Some(model) = report.clv.as_ref().and_then(|c| c.clv_model) {
        out.push_str(&format!("  {:<26} {}\n", "clv_model", model.name()));
    }
    for (id, value) in &report.metrics {
        // The catalogue's name beside the value, so the text reads without the README.
        let label = MetricId::from_id(id).map_or("", |m| m.label(Locale::En));
        out.push_str(
            &format!("  {id:<26} {:<14} {label}\n", format_value(id, *value)).replace(" \n", "\n"),
        );
    }
    if let Some(note) = report
        .money
        .as_ref()
        .and_then(|m| m.describe_in(Locale::En))
    {
        out.push_str(&format!("\n{note}\n"));
    }
    for file in &report.files {
        out.push_str(&format!(
            "\n{} ({}): {} rows read, {} used, {} rejected\n",
            file.file,
            file.kind.describe(),
            file.rows_read,
            file.rows_used,
            file.rows_rejected
        ));
        out.push_str(&format!("  read as {}\n", file.read_as(Locale::En)));
        if file.sheets_read.len() > 1 {
            for sheet in &file.sheets_read {
                out.push_str(&format!(
                    "  sheet {}: {} rows read, {} used, {} rejected\n",
                    sheet.sheet, sheet.rows_read, sheet.rows_used, sheet.rows_rejected
                ));
            }
        }
        for note in &file.notes {
            out.push_str(&format!("  note: {}\n", note.describe_in(Locale::En)));
        }
        for group in &file.rejections {
            let lines: Vec<String> = group
                .examples
                .iter()
                .take(5)
                .map(|e| match &e.sheet {
                    Some(sheet) => format!("{sheet}:{}", e.line),
                    None => e.line.to_string(),
                })
                .collect();
            out.push_str(&format!(
                "  {} x {} (lines {}{})\n",
                group.count,
                group.reason.describe(),
                lines.join(", "),
                if group.count > 5 { ", ..." } else { "" }
            ));
        }
    }
    out
}

/// A figure as the catalogue says to write it ([`MetricId::plain_text`]).
fn format_value(id: &str, value: f64) -> String {
    match MetricId::from_id(id) {
        Some(metric) => metric.plain_text(value),
        None => format!("{value:.2}"),
    }
}
