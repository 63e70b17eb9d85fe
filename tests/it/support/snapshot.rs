//! The one golden-snapshot harness: rendered text is compared byte for byte with its file under
//! `tests/snapshots/`, and `UPDATE_SNAPSHOTS=1` rewrites the files instead (review the diff).

use std::path::PathBuf;

/// `tests/snapshots/<sub>` (`sub` may be empty).
pub fn dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(sub)
}

/// Whether this run rewrites the snapshots (`UPDATE_SNAPSHOTS` set, and not `0`).
pub fn updating() -> bool {
    std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Compares each (file, rendered) with `tests/snapshots/<sub>/<file>`, or writes the files that
/// changed when [`updating`]. Every file that differs is named with where it first differs;
/// `rerun` is the test filter that rewrites them (`check::snapshots::`).
pub fn assert_snapshots(sub: &str, rerun: &str, files: impl IntoIterator<Item = (String, String)>) {
    let dir = dir(sub);
    let mut failures = Vec::new();
    for (name, rendered) in files {
        let path = dir.join(&name);
        if updating() {
            std::fs::create_dir_all(path.parent().unwrap_or(&dir)).expect("create the snapshot directory");
            if std::fs::read_to_string(&path).ok().as_deref() != Some(rendered.as_str()) {
                std::fs::write(&path, &rendered).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(snapshot) if snapshot == rendered => {}
            Ok(snapshot) => failures.push(format!("{name} differs at {}", first_difference(&snapshot, &rendered))),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} snapshot(s) do not match:\n  - {}\nIf the change is intended, run `UPDATE_SNAPSHOTS=1 cargo test --test it {rerun}` \
         and review `git diff {}`.",
        failures.len(),
        failures.join("\n  - "),
        dir.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&dir).display()
    );
}

/// [`assert_snapshots`] for one file.
pub fn assert_snapshot(sub: &str, rerun: &str, name: &str, rendered: &str) {
    assert_snapshots(sub, rerun, [(name.to_string(), rendered.to_string())]);
}

/// Where two texts first differ, as a readable message.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    let mut actual_lines = actual.lines();
    let mut n = 0;
    loop {
        n += 1;
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => continue,
            (Some(e), Some(a)) => return format!("line {n}:\n    snapshot: {e:?}\n    rendered: {a:?}"),
            (Some(e), None) => return format!("line {n}: the rendering ends here; the snapshot goes on with {e:?}"),
            (None, Some(a)) => return format!("line {n}: the snapshot ends here; the rendering goes on with {a:?}"),
            // Same lines: they differ in line endings or a final newline.
            (None, None) => return "same lines, different line endings or final newline".to_string(),
        }
    }
}
