//! The `Source:` lines and other pointers into the metrics reference stay
//! true, and the doc comments' formulas reach KaTeX intact.
//!
//! Every `.rs`, `.md`, `.py`, `.pyi`, `.sh`, `.toml`, `.js`, `.mjs` and `.ts`
//! file of the repository (outside `target/`, `node_modules/`, `pkg/` and
//! hidden folders) is read, and none may
//! - name the specification file that lives outside the repository (the
//!   `shared/` path, spelled out in [`OUTSIDE_SPEC`]);
//! - number a section of docs/metrics.md ("metrics.md section 4", "metrics.md
//!   §4"): numbers change when a section is added, so sections are named;
//! - write `docs/metrics.md, "X"` (and `"X" and "Y"`, `"X" to "Y"` after it)
//!   where X is not a heading of docs/metrics.md: its text without the
//!   number, "Customer-base rates: retention, churn, growth", or the part
//!   before the colon, "Customer-base rates".
//!
//! This file is not scanned itself: it spells the patterns out.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The path of the specification outside the repository, in two pieces so
/// that this file does not contain it.
const OUTSIDE_SPEC: &str = concat!("shared", "/metrics.md");

const EXTENSIONS: &[&str] = &["rs", "md", "py", "pyi", "sh", "toml", "js", "mjs", "ts"];
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "pkg", "__pycache__"];
const THIS_FILE: &str = "tests/it/doc_sources.rs";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every scanned file as (path relative to the root, with `/`, text).
fn files() -> Vec<(String, String)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_str()) {
                    walk(&path, base, out);
                }
            } else if path
                .extension()
                .is_some_and(|x| EXTENSIONS.contains(&x.to_string_lossy().as_ref()))
            {
                let rel = path.strip_prefix(base).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel != THIS_FILE {
                    // Not every file is UTF-8 text: those cannot hold a reference.
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        out.push((rel, text));
                    }
                }
            }
        }
    }
    let root = root().canonicalize().unwrap();
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// The headings of a Markdown file outside fenced code (where `# ` starts
/// hidden doctest lines), without the leading `#`s and section number, and
/// each one's part before a colon.
fn headings(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let text = line.trim_start_matches('#');
        if !text.starts_with(' ') {
            continue; // `#tag`, not a heading
        }
        let mut text = text.trim();
        // "5. Customer-base rates: ..." -> "Customer-base rates: ..."
        if let Some((num, rest)) = text.split_once(". ")
            && !num.is_empty()
            && num.bytes().all(|b| b.is_ascii_digit())
        {
            text = rest;
        }
        out.push(text.to_string());
        if let Some((short, _)) = text.split_once(':') {
            out.push(short.to_string());
        }
    }
    out
}

/// A file's text as one line: comment markers (`//!`, `///`, `//`, `#`)
/// and backticks removed, runs of whitespace made one space, so that a
/// reference wrapped over several comment lines reads as written. With it,
/// the 1-based line of every byte offset.
struct Flat {
    text: String,
    starts: Vec<(usize, usize)>,
}

impl Flat {
    fn new(source: &str) -> Flat {
        let mut text = String::new();
        let mut starts = Vec::new();
        for (i, line) in source.lines().enumerate() {
            let mut l = line.trim_start();
            for marker in ["//!", "///", "//", "#"] {
                if let Some(rest) = l.strip_prefix(marker) {
                    l = rest;
                    break;
                }
            }
            starts.push((text.len(), i + 1));
            for word in l.split_whitespace() {
                text.push_str(&word.replace('`', ""));
                text.push(' ');
            }
        }
        Flat { text, starts }
    }

    fn line(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|&(start, _)| start <= offset);
        self.starts[i.saturating_sub(1)].1
    }
}

/// The quoted names of every `docs/metrics.md, "X"` (with `"Y"` joined by
/// `,`, `and`, `to` or `or`), as (byte offset, name).
fn named_sections(flat: &str) -> Vec<(usize, String)> {
    const REF: &str = "docs/metrics.md, \"";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = flat[from..].find(REF) {
        let at = from + i;
        let mut rest = &flat[at + REF.len() - 1..];
        while let Some(quoted) = rest.strip_prefix('"') {
            let Some(end) = quoted.find('"') else { break };
            out.push((at, quoted[..end].trim().to_string()));
            let after = quoted[end + 1..].trim_start_matches(',').trim_start();
            let after = ["and ", "to ", "or "]
                .iter()
                .find_map(|w| after.strip_prefix(w))
                .unwrap_or(after);
            rest = after.trim_start();
        }
        from = at + REF.len();
    }
    out
}

/// Offsets of "metrics.md section N", "metrics.md (section N)", "metrics.md §N".
fn numbered_sections(flat: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let outside_dir = OUTSIDE_SPEC.trim_end_matches("metrics.md");
    for (at, _) in flat.match_indices("metrics.md") {
        if flat[..at].ends_with(outside_dir) {
            continue; // reported as the outside file already
        }
        let rest = flat[at + "metrics.md".len()..].trim_start();
        let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
        if rest.starts_with("section") || rest.starts_with('§') {
            out.push(at);
        }
    }
    out
}

fn reference_problems(files: &[(String, String)], headings: &[String]) -> String {
    let mut problems = String::new();
    for (path, text) in files {
        let flat = Flat::new(text);
        for (at, _) in flat.text.match_indices(OUTSIDE_SPEC) {
            let line = flat.line(at);
            writeln!(problems, "{path}:{line}: names {OUTSIDE_SPEC}, a file outside the repository: cite docs/metrics.md, \"<heading>\" or the paper").unwrap();
        }
        for at in numbered_sections(&flat.text) {
            let line = flat.line(at);
            writeln!(problems, "{path}:{line}: numbers a section of metrics.md: name it, docs/metrics.md, \"<heading>\"").unwrap();
        }
        for (at, name) in named_sections(&flat.text) {
            if !headings.contains(&name) {
                let line = flat.line(at);
                writeln!(
                    problems,
                    "{path}:{line}: docs/metrics.md has no heading \"{name}\""
                )
                .unwrap();
            }
        }
    }
    problems
}

#[test]
fn references_to_the_metrics_reference_exist() {
    let metrics = std::fs::read_to_string(root().join("docs/metrics.md")).unwrap();
    let headings = headings(&metrics);
    assert!(
        headings
            .iter()
            .any(|h| h == "Customer-base rates: retention, churn, growth")
            && headings.iter().any(|h| h == "Customer-base rates")
            && !headings.iter().any(|h| h.starts_with("Ok::")),
        "headings not read as expected: {headings:?}"
    );
    let files = files();
    // The scan reaches the core, the bindings, the docs and the scripts.
    for expected in [
        "crates/retentionkit/src/kpi.rs",
        "bindings/python/python/retentionkit/whatif.py",
        "docs/metrics.md",
        "scripts/test.sh",
    ] {
        assert!(
            files.iter().any(|(p, _)| p == expected),
            "{expected} not scanned"
        );
    }
    let cited = files
        .iter()
        .map(|(_, t)| named_sections(&Flat::new(t).text).len())
        .sum::<usize>();
    assert!(
        cited > 50,
        "only {cited} named references found: is the parser broken?"
    );
    let problems = reference_problems(&files, &headings);
    assert!(problems.is_empty(), "\n{problems}");
}

#[test]
fn the_checks_catch_what_they_are_for() {
    let headings = headings("# Title\n\n## 5. Customer-base rates: retention, churn\n\n```rust\n# let hidden = 1;\n```\n### MRR movements\n");
    assert_eq!(
        headings,
        [
            "Title",
            "Customer-base rates: retention, churn",
            "Customer-base rates",
            "MRR movements"
        ]
    );
    let good = "/// Source: docs/metrics.md, \"MRR movements\" and\n/// \"Customer-base rates:\n/// retention, churn\".\n";
    let bad = format!(
        "//! Source: {OUTSIDE_SPEC} section 3.\n//! See docs/metrics.md section 5 and `docs/metrics.md` (section 6),\n//! docs/metrics.md, \"Title\" to \"Period KPIs\".\n"
    );
    let files = [
        ("good.rs".to_string(), good.to_string()),
        ("bad.rs".to_string(), bad),
    ];
    let problems = reference_problems(&files, &headings);
    assert_eq!(
        problems
            .lines()
            .map(|l| l.split(": ").next().unwrap())
            .collect::<Vec<_>>(),
        ["bad.rs:1", "bad.rs:2", "bad.rs:2", "bad.rs:3"],
        "{problems}"
    );
    assert!(
        problems.contains("no heading \"Period KPIs\""),
        "{problems}"
    );
}

/// Problems of the formulas (`$…$`, `$$…$$`) in one file's doc comments,
/// where Markdown would change them before KaTeX sees them:
/// - a backslash before ASCII punctuation is a Markdown escape, so TeX's
///   `\,` `\!` `\;` `\{` `\}` must be written `\\,` … `\\}` (only `\_` and
///   `\*`, which keep `_` and `*` from opening emphasis, are meant as escapes);
/// - a formula line that starts with `+`, `-` or `*` and a space (indented
///   less than four spaces) starts a list and cuts the formula in two.
fn math_problems(path: &str, source: &str) -> String {
    let mut problems = String::new();
    let mut math: Option<&str> = None;
    let mut fenced = false;
    for (i, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(body) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            math = None;
            fenced = false;
            continue;
        };
        let body = body.strip_prefix(' ').unwrap_or(body);
        if math.is_none() && body.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let indent = body.len() - body.trim_start().len();
        if math == Some("$$") && indent < 4 {
            let t = body.trim_start();
            if ["+ ", "- ", "* "].iter().any(|m| t.starts_with(m)) {
                writeln!(problems, "{path}:{}: a formula line starting with `{}` is a list item: end the line before with it", i + 1, &t[..1]).unwrap();
            }
        }
        let bytes = body.as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            let rest = &body[j..];
            match math {
                None if rest.starts_with('`') => {
                    j += rest[1..].find('`').map_or(rest.len(), |k| k + 2);
                }
                None if rest.starts_with("$$") => {
                    math = Some("$$");
                    j += 2;
                }
                None if rest.starts_with('$') => {
                    math = Some("$");
                    j += 1;
                }
                Some(close)
                    if rest.starts_with(close) && !(close == "$" && rest.starts_with("$$")) =>
                {
                    math = None;
                    j += close.len();
                }
                Some(_) if rest.starts_with('\\') => {
                    let run = rest.bytes().take_while(|&b| b == b'\\').count();
                    let next = rest.as_bytes().get(run).copied();
                    if let Some(c) = next
                        .filter(|c| run % 2 == 1 && c.is_ascii_punctuation() && !b"_*".contains(c))
                    {
                        writeln!(problems, "{path}:{}: `\\{}` in a formula loses its backslash to Markdown: write `\\\\{}`", i + 1, char::from(c), char::from(c)).unwrap();
                    }
                    j += run.max(1);
                }
                _ => j += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
    }
    problems
}

#[test]
fn doc_formulas_survive_markdown() {
    let mut problems = String::new();
    for (path, text) in files() {
        let rust = Path::new(&path).extension().is_some_and(|x| x == "rs");
        if rust {
            problems.push_str(&math_problems(&path, &text));
        }
    }
    assert!(problems.is_empty(), "\n{problems}");
}

#[test]
fn the_formula_check_catches_what_it_is_for() {
    let good = "/// $$ a\\\\,b = \\\\{x\\\\} \\mathrm{r}\\_{c} n^\\* +\n///    c $$ and `$\\,$` in code\n/// ```\n/// let s = \"$\\,$\";\n/// ```\n";
    assert_eq!(math_problems("good.rs", good), "");
    let bad = "//! Inline $m\\,r$ and\n//! $$ a = b\n//!   + c \\{ $$\n";
    let problems = math_problems("bad.rs", bad);
    assert_eq!(
        problems
            .lines()
            .map(|l| l.split(": ").next().unwrap())
            .collect::<Vec<_>>(),
        ["bad.rs:1", "bad.rs:3", "bad.rs:3"],
        "{problems}"
    );
}
