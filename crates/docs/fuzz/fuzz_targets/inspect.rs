//! Fuzzes the upload content check: `inspect_bytes` must never panic, hang or allocate without
//! bound, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_docs::inspect::{inspect_bytes, Limits};

fuzz_target!(|data: &[u8]| {
    let _ = inspect_bytes(data, &Limits::default());
});
