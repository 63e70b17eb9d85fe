//! Every sentence outside the catalog is a `Tr { en, ja }` constant (`src/diagnose/tr.rs`): this
//! test reads them all from `src/`, wherever they live, and checks each is complete in both
//! languages with the same placeholders, as the catalog's tests do for the rules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literal right after `field:` in `text` (escapes kept as written).
fn literal<'a>(text: &'a str, field: &str) -> Option<&'a str> {
    let rest = text[text.find(field)? + field.len()..].trim_start().strip_prefix('"')?;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(&rest[..i]),
            _ => escaped = false,
        }
    }
    None
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

/// (file, en, ja) of every `Tr { en: "…", ja: "…" }` in `src/`.
fn templates() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        let name = file.strip_prefix(&src).unwrap_or(&file).display().to_string();
        for (at, _) in text.match_indices("Tr {") {
            let block = &text[at..];
            let block = &block[..block.find("\n}").or_else(|| block.find('}')).unwrap_or(block.len())];
            if !block.trim_start_matches("Tr {").trim_start().starts_with("en:") {
                continue; // `impl Tr {`, `struct Tr {`
            }
            let en = literal(block, "en:").unwrap_or_else(|| panic!("{name}: a Tr without `en`"));
            let ja = literal(block, "ja:").unwrap_or_else(|| panic!("{name}: a Tr without `ja`: {en}"));
            found.push((name.clone(), en.to_string(), ja.to_string()));
        }
    }
    found
}

#[test]
fn every_sentence_is_complete_in_english_and_japanese() {
    let templates = templates();
    assert!(
        templates.len() >= 16,
        "the reader found only {} templates",
        templates.len()
    );
    for (file, en, ja) in &templates {
        assert!(
            !en.trim().is_empty() && !ja.trim().is_empty(),
            "{file}: {en:?} / {ja:?}"
        );
        assert_eq!(
            placeholders(en),
            placeholders(ja),
            "{file}: the same values in both: {en:?} / {ja:?}"
        );
        assert!(!ja.is_ascii(), "{file}: the Japanese of {en:?} is not Japanese: {ja:?}");
        assert!(
            !en.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "{file}: kana in English: {en:?}"
        );
    }
}

#[test]
fn the_reader_finds_what_it_should() {
    let text = "const A: Tr = Tr {\n    en: \"a \\\"{x}\\\" b\",\n    ja: \"エー {x}\",\n};";
    assert_eq!(literal(text, "en:"), Some("a \\\"{x}\\\" b"));
    assert_eq!(
        placeholders("{x} and {y_z} but not {} or {\"a\":1}"),
        BTreeSet::from(["x", "y_z"])
    );
}
