//! Two checks of the code's shape, run by `cargo xtask test` (and by
//! `cargo test -p xtask`):
//!
//! - layers: the core's top-level modules (`crates/analytics/src/*`) import
//!   only modules of lower layers ([`LAYERS`]), so the core reads bottom-up
//!   and no change in a lower module needs a higher one;
//! - file size: no `.rs` file of the workspace has more than
//!   [`MAX_CODE_LINES`] lines of code before its `#[cfg(test)]` module.

use std::fs;
use std::path::{Path, PathBuf};

/// The core's top-level modules, bottom layer first, each with why it sits
/// there. A module may use modules of the layers below its own, never one
/// of its own layer or above.
pub const LAYERS: &[(&[&str], &str)] = &[
    (
        &["error", "float_key", "display", "calendar"],
        "base: error type, float keys, locale and number words, days and periods; need nothing",
    ),
    (
        &["metric", "export"],
        "the catalogue of headline figures and CSV writing: on display's words and numbers only",
    ),
    (
        &["dataset"],
        "plain columnar data of everything loaded; no file reading, no results",
    ),
    (
        &["segments"],
        "the public name of the dataset's segment columns (collected by ingest)",
    ),
    (
        &["ingest"],
        "reads files' bytes into a dataset (segments included)",
    ),
    (
        &["models"],
        "CLV models fitted on the dataset's purchase histories",
    ),
    (
        &["metrics"],
        "analyses of the dataset; parse amounts as ingest does, use the models' special functions",
    ),
    (
        &["report"],
        "puts every analysis into one Report, with the rerun cache",
    ),
    (
        &["news", "settings_check"],
        "read off a Report and its Settings: the significant changes a page opens with, the settings' bounds",
    ),
    (
        &["chart"],
        "draws a Report's series on any plotters backend",
    ),
    (
        &["html_report"],
        "the self-contained HTML report: charts and tables of a Report",
    ),
];

/// Lines of code (not blank, not only a `//` comment) a file may have before
/// its `#[cfg(test)]` module.
pub const MAX_CODE_LINES: usize = 800;

/// Where the workspace's Rust files are, relative to its root.
const SOURCE_ROOTS: &[&str] = &["crates", "src", "xtask/src", "tests"];

/// Both checks on the workspace at `root`; every problem, one per line.
pub fn check(root: &Path) -> Result<(), String> {
    let mut problems = check_layers(&root.join("crates/analytics/src"))?;
    problems.extend(check_file_sizes(root)?);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Layer of a top-level module, `None` when the list does not name it.
fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(names, _)| names.contains(&module))
}

/// Every import against [`LAYERS`] in the core at `src`: a module using one
/// of its own layer or above, or a module the list does not name.
pub fn check_layers(src: &Path) -> Result<Vec<String>, String> {
    let lib = read(&src.join("lib.rs"))?;
    let reexports = root_reexports(&lib);
    let mut problems = Vec::new();
    let mut modules: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for entry in read_dir(src)? {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let module = if entry.is_dir() {
            name.to_string()
        } else if let Some(stem) = name.strip_suffix(".rs") {
            if stem == "lib" {
                continue;
            }
            stem.to_string()
        } else {
            continue;
        };
        let files = rust_files(&entry)?;
        match modules.iter_mut().find(|(m, _)| *m == module) {
            Some((_, all)) => all.extend(files),
            None => modules.push((module, files)),
        }
    }
    modules.sort();
    for (module, files) in &modules {
        let Some(layer) = layer_of(module) else {
            problems.push(format!(
                "{}: module `{module}` is in no layer of xtask/src/architecture.rs",
                src.join(module).display()
            ));
            continue;
        };
        for file in files {
            let text = read(file)?;
            for (line, used) in crate_references(&text) {
                let target = reexports
                    .iter()
                    .find(|(name, _)| *name == used)
                    .map_or(used.as_str(), |(_, m)| m.as_str());
                let problem = match layer_of(target) {
                    None => format!("`crate::{used}` is no known module"),
                    Some(l) if l > layer => format!(
                        "`{module}` (layer {}) uses `{target}` of a higher layer ({})",
                        layer + 1,
                        l + 1
                    ),
                    Some(l) if l == layer && target != module => format!(
                        "`{module}` uses `{target}` of its own layer ({})",
                        layer + 1
                    ),
                    _ => continue,
                };
                problems.push(format!("{}:{line}: {problem}", file.display()));
            }
        }
    }
    Ok(problems)
}

/// Names the crate root re-exports (`pub use report::{Report, analyse};`)
/// with the module each comes from.
fn root_reexports(lib: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let code = strip_comments(lib);
    for statement in code.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim().trim_start_matches("crate::");
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = items.trim().trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            // `a::B` re-exports `B`; `B as C` re-exports `C`.
            let item = item.trim();
            let name = item.rsplit(" as ").next().unwrap_or(item);
            let name = name.rsplit("::").next().unwrap_or(name).trim();
            if !name.is_empty() && name != "self" {
                out.push((name.to_string(), module.trim().to_string()));
            }
        }
    }
    out
}

/// `(line, first path segment)` of every `crate::` path in `text` outside
/// comments; a group `crate::{a, b::c}` gives each of its items.
pub fn crate_references(text: &str) -> Vec<(usize, String)> {
    let code = strip_comments(text);
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let line = code[..start].matches('\n').count() + 1;
        let rest = &code[from..];
        if rest.trim_start().starts_with('{') {
            let open = from + rest.find('{').expect("just seen");
            let mut depth = 0;
            let mut item_start = open + 1;
            for (i, c) in code[open..].char_indices() {
                let i = open + i;
                match c {
                    '{' => {
                        depth += 1;
                        if depth == 1 {
                            item_start = i + 1;
                        }
                    }
                    '}' | ',' if depth == 1 => {
                        if let Some(name) = first_segment(&code[item_start..i]) {
                            let item_line = code
                                [..item_start + leading_space(&code[item_start..i])]
                                .matches('\n')
                                .count()
                                + 1;
                            out.push((item_line, name));
                        }
                        item_start = i + 1;
                        if c == '}' {
                            break;
                        }
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
        } else if let Some(name) = first_segment(rest) {
            out.push((line, name));
        }
    }
    out
}

fn leading_space(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// The identifier at the start of `path` (`self` and empty items: `None`).
fn first_segment(path: &str) -> Option<String> {
    let path = path.trim_start();
    let end = path
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(path.len());
    let name = &path[..end];
    (!name.is_empty() && name != "self").then(|| name.to_string())
}

/// `text` with its comments (line, doc and block) blanked out, strings and
/// line breaks kept, so offsets still give the line.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            // A char literal holding a quote, so it opens no string.
            ('\'', Some('"')) => {
                out.push_str("'\"");
                chars.next();
            }
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut depth = 1;
                while depth > 0 {
                    match chars.next() {
                        Some('*') if chars.peek() == Some(&'/') => {
                            chars.next();
                            depth -= 1;
                        }
                        Some('/') if chars.peek() == Some(&'*') => {
                            chars.next();
                            depth += 1;
                        }
                        Some('\n') => out.push('\n'),
                        Some(_) => {}
                        None => break,
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every `.rs` file of the workspace with more than [`MAX_CODE_LINES`]
/// lines of code before its test module.
pub fn check_file_sizes(root: &Path) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for dir in SOURCE_ROOTS {
        let dir = root.join(dir);
        if !dir.is_dir() {
            continue;
        }
        for file in rust_files(&dir)? {
            let lines = code_lines(&read(&file)?);
            if lines > MAX_CODE_LINES {
                let shown = file.strip_prefix(root).unwrap_or(&file);
                problems.push(format!(
                    "{}: {lines} lines of code before its tests (at most {MAX_CODE_LINES}): split it",
                    shown.display()
                ));
            }
        }
    }
    Ok(problems)
}

/// Lines that are not blank and not only a `//` comment, up to the file's
/// `#[cfg(test)]` module.
pub fn code_lines(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let tests_start = (0..lines.len())
        .find(|&i| {
            lines[i] == "#[cfg(test)]"
                && lines[i + 1..]
                    .iter()
                    .find(|l| !l.is_empty() && !l.starts_with("#["))
                    .is_some_and(|l| {
                        l.starts_with("mod ")
                            || l.starts_with("pub mod ")
                            || l.starts_with("pub(crate) mod ")
                    })
        })
        .unwrap_or(lines.len());
    lines[..tests_start]
        .iter()
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .count()
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        entries.push(entry.map_err(|e| e.to_string())?.path());
    }
    entries.sort();
    Ok(entries)
}

/// `path` itself when it is a `.rs` file, else the `.rs` files under it
/// (build output and npm folders left out).
fn rust_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        let is_rust = path.extension().is_some_and(|e| e == "rs");
        return Ok(if is_rust {
            vec![path.to_path_buf()]
        } else {
            vec![]
        });
    }
    let mut files = Vec::new();
    for entry in read_dir(path)? {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "target" | "node_modules" | ".git") {
            continue;
        }
        files.extend(rust_files(&entry)?);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_in_paths_and_groups_not_in_comments() {
        let text = "use crate::ingest::FileSummary;\n\
                    // crate::report is only mentioned\n\
                    /// see [`crate::chart`]\n\
                    use crate::{\n    dataset::Dataset,\n    metrics::{base, retention::Period},\n    self,\n};\n\
                    fn f() -> crate::Report { let s = \"// not a comment\"; crate::cache::x(s) }\n\
                    /* crate::html_report */ let my_crate::thing = 1;\n";
        let found = crate_references(text);
        assert_eq!(
            found,
            [
                (1, "ingest".to_string()),
                (5, "dataset".to_string()),
                (6, "metrics".to_string()),
                (9, "Report".to_string()),
                (9, "cache".to_string()),
            ]
        );
    }

    #[test]
    fn root_reexports_map_to_their_modules() {
        let lib = "pub mod report;\npub use dataset::Dataset;\npub use report::{\n    analyse, Report as R,\n};\n";
        assert_eq!(
            root_reexports(lib),
            [
                ("Dataset".to_string(), "dataset".to_string()),
                ("analyse".to_string(), "report".to_string()),
                ("R".to_string(), "report".to_string()),
            ]
        );
    }

    /// A small core on disk: `dataset` (layer 3) using `report` (layer 8)
    /// upwards in a group and through a root re-export is caught, with the
    /// file and line; `report` using `dataset` is fine.
    #[test]
    fn an_upward_import_is_caught_with_file_and_line() {
        let dir = std::env::temp_dir().join(format!("xtask-layers-{}", std::process::id()));
        let src = dir.join("src");
        fs::create_dir_all(src.join("dataset")).unwrap();
        fs::write(
            src.join("lib.rs"),
            "pub mod dataset;\npub mod report;\npub use report::Report;\n",
        )
        .unwrap();
        fs::write(
            src.join("dataset/mod.rs"),
            "use crate::{error::E,\n  report::cache};\nfn f(_: crate::Report) {}\n",
        )
        .unwrap();
        fs::write(src.join("report.rs"), "use crate::dataset::Dataset;\n").unwrap();
        let problems = check_layers(&src).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(
            problems[0].ends_with(
                "dataset/mod.rs:2: `dataset` (layer 3) uses `report` of a higher layer (8)"
            ),
            "{}",
            problems[0]
        );
        assert!(
            problems[1].contains("dataset/mod.rs:3: `dataset`"),
            "{}",
            problems[1]
        );
    }

    #[test]
    fn same_layer_and_unknown_modules_are_refused() {
        let dir = std::env::temp_dir().join(format!("xtask-same-{}", std::process::id()));
        let src = dir.join("src");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("lib.rs"), "").unwrap();
        fs::write(src.join("metric.rs"), "use crate::export::x;\n").unwrap();
        fs::write(src.join("gadget.rs"), "").unwrap();
        let problems = check_layers(&src).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[1].ends_with("metric.rs:1: `metric` uses `export` of its own layer (2)"));
        assert!(problems[0].contains("`gadget` is in no layer"));
    }

    #[test]
    fn code_lines_stop_at_the_test_module() {
        let text = "//! doc\n\nfn a() {}\n    // note\n#[cfg(test)]\nfn helper() {}\nlet x = 1; // trailing\n#[cfg(test)]\n#[allow(unused)]\nmod tests {\n  fn t() {}\n}\n";
        // `fn a`, `#[cfg(test)]`, `fn helper`, `let x`: the test module is not counted.
        assert_eq!(code_lines(text), 4);
        assert_eq!(code_lines("a\nb\n"), 2);
    }

    /// The real workspace: run by `cargo xtask test` through `cargo test -p xtask`.
    #[test]
    fn the_workspace_keeps_its_layers_and_file_sizes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        if let Err(problems) = check(root) {
            panic!("\n{problems}\n");
        }
    }
}
