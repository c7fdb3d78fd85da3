//! The house's layers, enforced from the code's own `crate::…` paths (the way ArchUnit does it
//! for Java): a new import that runs back up fails here with its file and line.
//!
//! ```text
//!   cli   runtime          see everything
//!     ui                   flow + base
//!     sync   printer staff queue + base, never each other
//!     flow                 base
//!     queue                base
//!   base: fsutil clock config reference catalog validate i18n privacy
//! ```
//!
//! Test code (`#[cfg(test)] mod …` to the end of a file, and `tests.rs` files) may reach
//! further: a test of `i18n` checks the ids that `flow` uses. Comments are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const BASE: &[&str] = &[
    "fsutil",
    "clock",
    "config",
    "reference",
    "catalog",
    "validate",
    "i18n",
    "privacy",
];

/// The modules `module` may import, or `None` for "everything".
fn allowed(module: &str) -> Option<BTreeSet<&'static str>> {
    let mut set: BTreeSet<&'static str> = BASE.iter().copied().collect();
    match module {
        "cli" | "runtime" | "lib" | "main" => return None,
        "queue" | "flow" => {}
        "sync" | "printer" | "staff" => {
            set.insert("queue");
        }
        "ui" => {
            set.insert("flow");
        }
        m if BASE.contains(&m) => {}
        other => panic!(
            "src/{other}: a top-level module the layering test does not know; give it a layer in tests/architecture/layering.rs and ARCHITECTURE.md"
        ),
    }
    Some(set)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a line of code names through `crate::`, including `use crate::{a, b}`.
fn imported_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = &rest[..at];
        rest = &rest[at + "crate::".len()..];
        // `$crate::` or `guichet_crate::` are not ours.
        if before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut names = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => names.push(std::mem::take(&mut item)),
                    _ if depth == 0 => item.push(c),
                    _ => {}
                }
            }
            names.push(item);
            for name in names {
                let head: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !head.is_empty() && head != "self" {
                    found.push(head);
                }
            }
        } else {
            let head: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !head.is_empty() {
                found.push(head);
            }
        }
    }
    found
}

/// Every (file, line, importer, imported) edge that breaks a layer.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        if relative.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_str().unwrap().trim_end_matches(".rs").to_string();
        let Some(allowed) = allowed(&module) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // Multi-line `use crate::{…};` statements are joined before they are read.
        let mut statement = String::new();
        let mut statement_line = 0;
        for (n, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            if trimmed.starts_with("#[cfg(test)]")
                && lines
                    .get(n + 1)
                    .is_some_and(|next| next.trim_start().starts_with("mod "))
            {
                break;
            }
            if statement.is_empty() {
                statement_line = n + 1;
            }
            statement.push_str(line.split("//").next().unwrap_or(""));
            statement.push(' ');
            let in_use = statement.trim_start().starts_with("use ")
                || statement.trim_start().starts_with("pub use ")
                || statement.trim_start().starts_with("pub(crate) use ");
            if in_use && !statement.contains(';') {
                continue;
            }
            for imported in imported_modules(&statement) {
                if imported != module && !allowed.contains(imported.as_str()) {
                    out.push(format!(
                        "src/{}:{statement_line}: `{module}` may not import `{imported}`",
                        relative.display()
                    ));
                }
            }
            statement.clear();
        }
    }
    out
}

#[test]
fn every_import_respects_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "imports that run back up the layers (see ARCHITECTURE.md, 'Layers'):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_layering_check_sees_what_it_must_refuse() {
    // The checker itself, on code written to break it: a grouped, multi-line and a plain path.
    let dir = std::env::temp_dir().join(format!("guichet-layering-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("flow")).unwrap();
    std::fs::create_dir_all(dir.join("queue")).unwrap();
    std::fs::write(
        dir.join("flow/mod.rs"),
        "use crate::{\n    catalog::Catalog,\n    queue::Store,\n};\n// crate::printer in a comment is fine\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("queue/mod.rs"),
        "fn f() { let _ = crate::sync::engine::x(); }\n#[cfg(test)]\nmod tests { use crate::ui::X; }\n",
    )
    .unwrap();
    std::fs::write(dir.join("privacy.rs"), "use crate::queue::Store;\n").unwrap();
    let found = violations(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        found,
        [
            "src/flow/mod.rs:1: `flow` may not import `queue`",
            "src/privacy.rs:1: `privacy` may not import `queue`",
            "src/queue/mod.rs:1: `queue` may not import `sync`",
        ]
    );
}
