//! Runs `inspect_bytes` on every input kept in `tests/regressions/` (see its README): none may
//! panic, and a file named `<outcome>--…` must give that outcome.

use std::path::Path;

use nansen_docs::inspect::{inspect_bytes, Limits};

#[test]
fn regression_inputs_give_their_outcome() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/regressions exists") {
        let path = entry.expect("readable directory").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if name == "README.md" {
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable file");
        let started = std::time::Instant::now();
        let outcome = match inspect_bytes(&bytes, &Limits::default()) {
            Ok(inspection) if !inspection.active_content.is_empty() => "active-pdf".to_owned(),
            Ok(inspection) => format!("ok-{}", inspection.media_type.extension()),
            Err(refusal) => refusal.code().to_owned(),
        };
        assert!(started.elapsed().as_secs() < 10, "{name} took {:?}", started.elapsed());
        let expected = name.split("--").next().unwrap_or_default();
        if expected != "any" {
            assert_eq!(outcome, expected, "{name}");
        }
        checked += 1;
    }
    // Not empty once the first regression is kept; the README alone is fine.
    let _ = checked;
}
