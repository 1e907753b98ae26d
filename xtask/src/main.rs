//! Project entry points, run as `cargo xtask <command>` (alias in .cargo/config.toml).
//!
//!   setup   install what is missing: wasm32 target, trunk, wasm-bindgen-cli
//!           (= Cargo.lock), wasm-opt (npm binaryen), and for tests Chromium,
//!           chromedriver and playwright-core, OpenJDK 17 and target/sql-venv
//!           (duckdb, pyspark). Registries only, never GitHub.
//!   serve   build the release app and serve it on 127.0.0.1 (prints the URL)
//!   dist    build the static site into dist/ (relative paths: any sub-path)
//!   test    the whole suite: the core's layers and file sizes
//!           (architecture.rs), fmt, clippy (native + wasm32), native tests,
//!           fuzz regressions in release, SQL recipes (DuckDB and Spark SQL)
//!           against the CLI, wasm tests in Chromium, release
//!           build + size budget, end-to-end
//!
//! std only: this crate is built before anything else, on every run.

mod architecture;
mod sql;

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Gzipped wasm + js of the page loaded first, and of the whole app (page
/// and workers), must stay under these: the budgets as revised on 2026-12-05
/// (README, "Benchmark").
const PAGE_GZIP_BUDGET: u64 = 800_000;
const APP_GZIP_BUDGET: u64 = 2_000_000;
const DEFAULT_PORT: u16 = 8080;

type Result<T = ()> = std::result::Result<T, String>;

/// Trunk starts the app with an inline module script; the page's
/// Content-Security-Policy allows scripts from 'self' only, so the script
/// moves to its own file (`start.js`) beside the page.
fn externalise_start_script(dist: &Path) -> Result {
    let index = dist.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let open = "<script type=\"module\">";
    let Some(start) = html.find(open) else {
        return Err("dist/index.html has no inline start script: has Trunk changed?".into());
    };
    let body_start = start + open.len();
    let end = html[body_start..]
        .find("</script>")
        .map(|i| body_start + i)
        .ok_or("dist/index.html: unterminated start script")?;
    fs::write(dist.join("start.js"), &html[body_start..end])
        .map_err(|e| format!("dist/start.js: {e}"))?;
    let html = format!(
        "{}<script type=\"module\" src=\"./start.js\"></script>{}",
        &html[..start],
        &html[end + "</script>".len()..]
    );
    fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))
}

/// The service worker (`assets/service-worker.js`) with this build's file
/// list and version, written to `dist/sw.js`, and its registration appended
/// to `start.js`: after one visit the page opens offline (issue 8).
fn write_service_worker(dist: &Path) -> Result {
    let mut files = Vec::new();
    let mut pending = vec![dist.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| n != "sw.js") {
                let relative = path.strip_prefix(dist).map_err(|e| e.to_string())?;
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    // The version: FNV-1a over names and contents, so any change in any file
    // makes a new cache (and the browser installs the new worker).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for name in &files {
        let body = fs::read(dist.join(name)).map_err(|e| format!("dist/{name}: {e}"))?;
        for byte in name.bytes().chain(body) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    // "./" is the page itself, as a link to the folder asks for it.
    let list: Vec<String> = std::iter::once("./".to_string())
        .chain(files.iter().map(|f| format!("./{f}")))
        .map(|f| format!("{f:?}"))
        .collect();
    let worker = include_str!("../../assets/service-worker.js")
        .replacen("'__VERSION__'", &format!("'{hash:016x}'"), 1)
        .replacen("__FILES__", &format!("[{}]", list.join(", ")), 1);
    fs::write(dist.join("sw.js"), worker).map_err(|e| format!("dist/sw.js: {e}"))?;
    let start = dist.join("start.js");
    let mut script = fs::read_to_string(&start).map_err(|e| format!("{}: {e}", start.display()))?;
    script.push_str(
        "\nif ('serviceWorker' in navigator && location.protocol.startsWith('http')) {\n  \
         navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('offline copy unavailable:', e));\n}\n",
    );
    fs::write(&start, script).map_err(|e| format!("{}: {e}", start.display()))
}

/// Answers one HTTP GET with a file of `dist` (no directory listing, no
/// path outside it).
fn serve_one(dist: &Path, mut stream: std::net::TcpStream) {
    use std::io::{BufRead, BufReader, Write};
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    let file = dist.join(relative);
    let inside = !relative.split('/').any(|part| part == "..");
    let (status, body, kind) = match fs::read(&file) {
        Ok(body) if inside => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("wasm") => "application/wasm",
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            ("200 OK", body, kind)
        }
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("setup") => Project::new().and_then(|p| p.setup(Needs::Everything)),
        Some("serve") => Project::new().and_then(|p| p.serve(port_arg(&args[1..])?)),
        Some("dist") => Project::new().and_then(|p| p.dist().map(|_| ())),
        Some("test") => Project::new().and_then(|p| p.test()),
        _ => Err("usage: cargo xtask <setup|serve [--port N]|dist|test>".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn port_arg(args: &[String]) -> Result<u16> {
    match args {
        [] => Ok(DEFAULT_PORT),
        [flag, value] if flag == "--port" => {
            value.parse().map_err(|_| format!("not a port: {value}"))
        }
        _ => Err("usage: cargo xtask serve [--port N]".into()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// What building and serving the app needs.
    Build,
    /// That, plus the browser and test drivers.
    Everything,
}

struct Project {
    root: PathBuf,
    /// PATH with cargo's install folder and the npm build tools in front.
    path: OsString,
}

impl Project {
    fn new() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask has no parent folder")?
            .to_path_buf();
        let cargo_home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?;
        let mut dirs = vec![root.join("xtask/node_modules/.bin"), cargo_home.join("bin")];
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        let path = env::join_paths(dirs).map_err(|e| e.to_string())?;
        Ok(Project { root, path })
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.root)
            .env("PATH", &self.path)
            // Trunk asks the crate registry for its newest version on every run.
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver");
        command
    }

    /// Runs to completion with the output shown; non-zero exit is an error.
    fn run(&self, program: &str, args: &[&str]) -> Result {
        self.run_in(&self.root, program, args)
    }

    fn run_in(&self, dir: &Path, program: &str, args: &[&str]) -> Result {
        let status = self
            .command(program)
            .current_dir(dir)
            .args(args)
            .status()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{program} {}` failed ({status})", args.join(" ")))
        }
    }

    /// The first line a tool prints for `--version`, if it runs at all.
    fn version_of(&self, program: &str) -> Option<String> {
        let out = self.command(program).arg("--version").output().ok()?;
        out.status.success().then(|| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
    }

    /// wasm-bindgen's version in Cargo.lock: the CLI must equal it exactly.
    fn locked_wasm_bindgen(&self) -> Result<String> {
        let lock = fs::read_to_string(self.root.join("Cargo.lock"))
            .map_err(|e| format!("Cargo.lock: {e}"))?;
        let mut lines = lock.lines();
        while let Some(line) = lines.next() {
            if line == "name = \"wasm-bindgen\"" {
                if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                    return Ok(version.trim_end_matches('"').to_string());
                }
            }
        }
        Err("wasm-bindgen is not in Cargo.lock".into())
    }

    fn setup(&self, needs: Needs) -> Result {
        let installed = Command::new("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains(WASM_TARGET))
            .unwrap_or(false);
        if !installed {
            step("rustup: wasm32 target");
            self.run("rustup", &["target", "add", WASM_TARGET])?;
        }
        if self.version_of("trunk").as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
            step("cargo install trunk (about 10 minutes on 2 cores, once)");
            self.run(
                "cargo",
                &["install", "--locked", &format!("trunk@{TRUNK_VERSION}")],
            )?;
        }
        let bindgen = self.locked_wasm_bindgen()?;
        if self.version_of("wasm-bindgen").as_deref() != Some(&format!("wasm-bindgen {bindgen}")) {
            step("cargo install wasm-bindgen-cli (= Cargo.lock, about 4 minutes, once)");
            // Not --locked: its lock file wants a crate version the registry lacks.
            self.run(
                "cargo",
                &["install", "--force", &format!("wasm-bindgen-cli@{bindgen}")],
            )?;
        }
        self.npm_ci("xtask", "node_modules/.bin/wasm-opt")?;
        if needs == Needs::Everything {
            if !Path::new("/usr/bin/chromium").exists()
                || !Path::new("/usr/bin/chromedriver").exists()
            {
                step("apt-get install chromium chromium-driver");
                self.apt_install(&["chromium", "chromium-driver"])?;
            }
            self.npm_ci("tests/e2e", "node_modules/playwright-core/package.json")?;
        }
        if needs == Needs::Everything {
            // sql/: Java 17 and target/sql-venv (duckdb, pyspark).
            self.sql_tools()?;
        }
        // Trunk builds with `cargo --offline`: fetch the crates first.
        self.run("cargo", &["fetch", "--quiet"])
    }

    /// `npm ci` in `dir` unless `marker` (inside it) exists and the lock file is older.
    fn npm_ci(&self, dir: &str, marker: &str) -> Result {
        let dir = self.root.join(dir);
        let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
        let fresh = match (
            modified(&dir.join(marker)),
            modified(&dir.join("package-lock.json")),
        ) {
            (Some(installed), Some(lock)) => installed >= lock,
            _ => false,
        };
        if !fresh {
            step(&format!("npm ci in {}", dir.display()));
            self.run_in(&dir, "npm", &["ci", "--no-audit", "--no-fund"])?;
            // npm keeps the package's own mtime: mark this install as newer than the lock.
            let stamp = dir.join(marker);
            let text = fs::read(&stamp).map_err(|e| format!("{}: {e}", stamp.display()))?;
            fs::write(&stamp, text).map_err(|e| format!("{}: {e}", stamp.display()))?;
        }
        Ok(())
    }

    fn apt_install(&self, packages: &[&str]) -> Result {
        let is_root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        let (program, prefix): (&str, &[&str]) = if is_root {
            ("apt-get", &[])
        } else {
            ("sudo", &["apt-get"])
        };
        let update: Vec<&str> = prefix.iter().copied().chain(["update", "-q"]).collect();
        self.run(program, &update)?;
        let install: Vec<&str> = prefix
            .iter()
            .copied()
            .chain(["install", "-y", "-q", "--no-install-recommends"])
            .chain(packages.iter().copied())
            .collect();
        let mut command = self.command(program);
        command
            .args(&install)
            .env("DEBIAN_FRONTEND", "noninteractive");
        let status = command
            .status()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        status
            .success()
            .then_some(())
            .ok_or_else(|| format!("installing {} failed ({status})", packages.join(" ")))
    }

    /// Builds dist/ and returns the app's gzipped size (wasm + js).
    fn dist(&self) -> Result<u64> {
        self.setup(Needs::Build)?;
        step("trunk build --release (dist/)");
        self.run("trunk", &["build", "--release=true"])?;
        externalise_start_script(&self.root.join("dist"))?;
        write_service_worker(&self.root.join("dist"))?;
        let (page, worker) = self.gzipped_app_size()?;
        println!(
            "dist/ is ready: {} (gzipped: page {page} bytes, loaded first; analysis worker {worker} bytes, loaded in the background)",
            self.root.join("dist").display()
        );
        Ok(page + worker)
    }

    /// Gzipped bytes of the page's wasm + js, and of the worker's.
    fn gzipped_app_size(&self) -> Result<(u64, u64)> {
        let (mut page, mut worker) = (0, 0);
        for entry in fs::read_dir(self.root.join("dist")).map_err(|e| format!("dist/: {e}"))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("wasm" | "js")
            ) {
                let out = Command::new("gzip")
                    .args(["-9", "-c"])
                    .arg(&path)
                    .output()
                    .map_err(|e| format!("gzip: {e}"))?;
                let size = out.stdout.len() as u64;
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.starts_with("worker") {
                    worker += size;
                } else {
                    page += size;
                }
            }
        }
        Ok((page, worker))
    }

    /// Builds dist/ and serves it as the plain folder it is (the same files
    /// a team hosts), so what runs here is what ships, CSP included.
    fn serve(&self, port: u16) -> Result {
        self.dist()?;
        let dist = self.root.join("dist");
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        println!("Loyalty Lens: http://127.0.0.1:{port}/  (Ctrl+C stops)");
        for stream in listener.incoming().flatten() {
            serve_one(&dist, stream);
        }
        Ok(())
    }

    fn test(&self) -> Result {
        let started = Instant::now();
        let mut timings = Vec::new();
        let mut timed = |name: &str, f: &mut dyn FnMut() -> Result| -> Result {
            step(name);
            let t = Instant::now();
            f()?;
            timings.push((name.to_string(), t.elapsed().as_secs_f64()));
            Ok(())
        };
        timed("setup", &mut || self.setup(Needs::Everything))?;
        timed("layers of the core and file sizes", &mut || {
            architecture::check(&self.root)
        })?;
        timed("cargo fmt --check", &mut || {
            self.run("cargo", &["fmt", "--all", "--check"])
        })?;
        timed("clippy (native)", &mut || {
            self.run(
                "cargo",
                &[
                    "clippy",
                    "-p",
                    "loyalty-analytics",
                    "-p",
                    "loyalty-cli",
                    "-p",
                    "sample-gen",
                    "-p",
                    "xtask",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            )
        })?;
        timed("clippy (wasm32)", &mut || {
            self.run(
                "cargo",
                &[
                    "clippy",
                    "--target",
                    WASM_TARGET,
                    "-p",
                    "loyalty-lens",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            )?;
            self.run(
                "cargo",
                &[
                    "clippy",
                    "--target",
                    WASM_TARGET,
                    "-p",
                    "loyalty-analytics",
                    "--lib",
                    "--",
                    "-D",
                    "warnings",
                ],
            )
        })?;
        timed("native tests (core, CLI, sample)", &mut || {
            self.run(
                "cargo",
                &[
                    "test",
                    "-p",
                    "loyalty-analytics",
                    "-p",
                    "loyalty-cli",
                    "-p",
                    "sample-gen",
                    "-p",
                    "xtask",
                ],
            )
        })?;
        timed("fuzz regressions in a release build", &mut || {
            // Release drops the debug build's overflow checks, which turned some
            // crafted workbooks into caught panics instead of aborts; the
            // profile keeps them where a crash was found (Cargo.toml).
            self.run(
                "cargo",
                &[
                    "test",
                    "--release",
                    "-p",
                    "loyalty-analytics",
                    "--test",
                    "fuzz_regressions",
                ],
            )
        })?;
        timed(
            "SQL recipes (DuckDB and Spark SQL) against the CLI",
            &mut || self.sql_recipes_test(),
        )?;
        timed("wasm tests in Chromium", &mut || {
            self.run(
                "cargo",
                &[
                    "test",
                    "--target",
                    WASM_TARGET,
                    "-p",
                    "loyalty-lens",
                    "--test",
                    "canvas",
                ],
            )
        })?;
        let mut size = 0;
        timed("release build (dist/)", &mut || {
            size = self.dist()?;
            let (page, _) = self.gzipped_app_size()?;
            if page > PAGE_GZIP_BUDGET {
                return Err(format!(
                    "the page is {page} bytes gzipped, over the {PAGE_GZIP_BUDGET} budget"
                ));
            }
            if size > APP_GZIP_BUDGET {
                return Err(format!(
                    "app is {size} bytes gzipped, over the {APP_GZIP_BUDGET} budget"
                ));
            }
            Ok(())
        })?;
        timed("end-to-end in Chromium", &mut || {
            let e2e = self.root.join("tests/e2e");
            let mut command = self.command("node");
            command
                .current_dir(&e2e)
                .args(["--test", "--test-concurrency=1"])
                .env("LOYALTY_CLI", self.root.join("target/debug/loyalty"))
                .env("LOYALTY_DIST", self.root.join("dist"));
            let status = command
                .status()
                .map_err(|e| format!("cannot start node: {e}"))?;
            status
                .success()
                .then_some(())
                .ok_or_else(|| format!("end-to-end tests failed ({status})"))
        })?;
        println!(
            "\n== all checks passed in {:.0} s; app {size} bytes gzipped ==",
            started.elapsed().as_secs_f64()
        );
        for (name, seconds) in &timings {
            println!("  {seconds:>7.1} s  {name}");
        }
        Ok(())
    }
}

fn step(name: &str) {
    println!("\n== {name} ==");
}
