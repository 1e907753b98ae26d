//! The SQL recipes' tools and test (`sql/`): a Python venv in
//! target/sql-venv with duckdb and pyspark pinned, Debian's OpenJDK 17 for
//! pyspark, and `sql/run_tests.sh --spark`, which runs the DuckDB and the
//! Spark SQL recipes against the CLI.

use super::{step, Project, Result};
use std::env;
use std::path::PathBuf;
use std::process::Command;

/// duckdb (PyPI) for the SQL recipes' test, in target/sql-venv.
const DUCKDB_VERSION: &str = "2.0.0";
/// pyspark (PyPI) for the Spark SQL recipes in local mode, in the same venv:
/// the newest release, the one the recipes were written and checked on.
/// It bundles Spark's jars (a ~400 MB download, once) and needs Java ≥ 17.
const PYSPARK_VERSION: &str = "4.3.0";
/// The oldest Java that Spark 4 runs on, and the Debian package that gives it.
const JAVA_MIN: u32 = 17;
const JAVA_PACKAGE: &str = "openjdk-17-jre-headless";

impl Project {
    /// Java for pyspark, then the venv: each only when it is missing.
    pub(crate) fn sql_tools(&self) -> Result {
        self.java()?;
        self.sql_venv()
    }

    /// Installs OpenJDK 17 when the Java that Spark would start is missing or
    /// older than 17.
    fn java(&self) -> Result {
        let (_, found) = java_in_use();
        if found.is_some_and(|v| v >= JAVA_MIN) {
            return Ok(());
        }
        step(&format!(
            "apt-get install {JAVA_PACKAGE} (Java for pyspark)"
        ));
        self.apt_install(&[JAVA_PACKAGE])?;
        match java_in_use() {
            (_, Some(v)) if v >= JAVA_MIN => Ok(()),
            (java, after) => Err(format!(
                "pyspark needs Java {JAVA_MIN} or newer, and `{} -version` gives {} after \
                 installing {JAVA_PACKAGE} (before: {}): point JAVA_HOME at \
                 /usr/lib/jvm/java-17-openjdk-* or pick it with `update-alternatives --config java`",
                java.display(),
                describe(after),
                describe(found),
            )),
        }
    }

    /// target/sql-venv with duckdb and pyspark at their pinned versions, for
    /// sql/run_tests.sh. Quick when they are there (one Python start).
    fn sql_venv(&self) -> Result {
        let venv = self.root.join("target/sql-venv");
        let python = venv.join("bin/python");
        let pins = [("duckdb", DUCKDB_VERSION), ("pyspark", PYSPARK_VERSION)];
        let installed = Command::new(&python)
            .args(["-c", INSTALLED_VERSIONS])
            .args(pins.map(|(name, _)| name))
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let missing: Vec<String> = pins
            .iter()
            .map(|(name, version)| (format!("{name} {version}"), format!("{name}=={version}")))
            .filter(|(line, _)| !installed.lines().any(|l| l.trim() == line))
            .map(|(_, spec)| spec)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        if !python.exists() {
            step("python venv target/sql-venv");
            self.run(
                "python3",
                &["-m", "venv", "--clear", &venv.to_string_lossy()],
            )?;
        }
        let big = if missing.iter().any(|m| m.starts_with("pyspark")) {
            " (pyspark: a ~400 MB download, about a minute, once)"
        } else {
            ""
        };
        step(&format!(
            "pip install {} into target/sql-venv{big}",
            missing.join(" ")
        ));
        let mut args = vec!["install", "--quiet", "--disable-pip-version-check"];
        args.extend(missing.iter().map(String::as_str));
        self.run(&venv.join("bin/pip").to_string_lossy(), &args)
    }

    /// `sql/run_tests.sh --spark`: every data set the script knows (CDNOW in
    /// three time units, UCI Online Retail with its returns, UCI without
    /// amounts) through the DuckDB and the Spark SQL recipes, each output
    /// checked against the CLI's report of the raw file.
    pub(crate) fn sql_recipes_test(&self) -> Result {
        // target/debug/loyalty is built by the native tests before this.
        let status = self
            .command("sh")
            .args(["sql/run_tests.sh", "--spark"])
            .env("LOYALTY_CLI", self.root.join("target/debug/loyalty"))
            .env(
                "LOYALTY_SQL_PYTHON",
                self.root.join("target/sql-venv/bin/python"),
            )
            .status()
            .map_err(|e| format!("cannot start sh: {e}"))?;
        match status.code() {
            Some(0) => Ok(()),
            Some(2) => Err("SQL recipes: a data set, the CLI, Java or a Python package is missing (message above); the data folder is LOYALTY_DATA_DIR, default ../shared/data".into()),
            _ => Err(format!("SQL recipes: a check failed or a recipe stopped ({status}; the lines above say which)")),
        }
    }
}

/// Prints "name version" for each installed distribution named in argv.
const INSTALLED_VERSIONS: &str = "import sys\n\
from importlib.metadata import version, PackageNotFoundError\n\
for name in sys.argv[1:]:\n    \
try:\n        print(name, version(name))\n    \
except PackageNotFoundError:\n        pass\n";

/// The java Spark starts ($JAVA_HOME/bin/java, else java on PATH, as
/// spark-class does) and its major version, if it runs.
fn java_in_use() -> (PathBuf, Option<u32>) {
    let java = env::var_os("JAVA_HOME")
        .filter(|home| !home.is_empty())
        .map_or_else(
            || PathBuf::from("java"),
            |home| PathBuf::from(home).join("bin/java"),
        );
    let version = Command::new(&java)
        .arg("-version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| java_major(&String::from_utf8_lossy(&o.stderr)));
    (java, version)
}

fn describe(java: Option<u32>) -> String {
    java.map_or_else(|| "no Java".into(), |v| format!("Java {v}"))
}

/// The major version in `java -version`'s output: `openjdk version
/// "17.0.15" 2025-04-15` gives 17, `java version "1.8.0_351"` gives 8.
fn java_major(text: &str) -> Option<u32> {
    let quoted = text.split('"').nth(1)?;
    let mut parts = quoted.split(['.', '-', '_', '+']);
    match parts.next()? {
        "1" => parts.next()?.parse().ok(),
        major => major.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::java_major;

    #[test]
    fn java_major_versions_old_and_new_style() {
        let jdk17 = "openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n";
        assert_eq!(java_major(jdk17), Some(17));
        assert_eq!(java_major("java version \"1.8.0_351\"\n"), Some(8));
        assert_eq!(java_major("openjdk version \"21\" 2023-09-19\n"), Some(21));
        assert_eq!(
            java_major("openjdk version \"22-ea\" 2024-03-19\n"),
            Some(22)
        );
        assert_eq!(java_major("openjdk version \"11.0.2+9\"\n"), Some(11));
        assert_eq!(java_major("bash: java: command not found\n"), None);
    }
}
