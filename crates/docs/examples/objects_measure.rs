//! Time and peak memory of storing, verifying and reading back a 20 MB file, in a directory and in
//! S3 (the loopback s3s-fs server, in the same process).
//!
//! `cargo run -p nansen-docs --example objects_measure -- [local|s3] [megabytes]`
//!
//! Peak memory is the process's VmHWM (Linux), reset just before each step (`/proc/self/clear_refs`),
//! so it covers the store (and, for S3, the in-process server too) but not the file's generation.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use futures_util::StreamExt;
use nansen_docs::objects::testing::start_s3_test_server;
use nansen_docs::objects::{ContentHasher, DocumentStore};

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "?".to_owned())
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn report(step: &str, started: Instant) {
    println!(
        "{step:<12} {:>8.1} ms   peak RSS {:>10}   (RSS now {})",
        started.elapsed().as_secs_f64() * 1000.0,
        status("VmHWM:"),
        status("VmRSS:")
    );
}

fn write_file(path: &Path, len: usize) -> nansen_docs::objects::ContentHash {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut hasher = ContentHasher::new();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut chunk = vec![0_u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        for byte in &mut chunk[..n] {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        hasher.update(&chunk[..n]);
        file.write_all(&chunk[..n]).expect("write");
        left -= n;
    }
    file.flush().expect("flush");
    hasher.finish()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("local");
    let megabytes: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("scan.bin");
    let hash = write_file(&path, megabytes * 1000 * 1000);

    let _server;
    let store = match backend {
        "s3" => {
            let server = start_s3_test_server(dir.path()).await;
            let store = DocumentStore::s3(&server.config("measure")).expect("S3 store");
            _server = server;
            store
        }
        _ => DocumentStore::local(&dir.path().join("documents")).expect("directory store"),
    };
    println!("{megabytes} MB into {}; baseline RSS {}", store.describe(), status("VmRSS:"));

    reset_peak();
    let started = Instant::now();
    store.put_file(&hash, &path).await.expect("put_file");
    report("put_file", started);

    reset_peak();
    let started = Instant::now();
    store.put_file(&hash, &path).await.expect("put_file again");
    report("dedup put", started);

    reset_peak();
    let started = Instant::now();
    let verification = store.verify(&hash).await.expect("verify");
    report("verify", started);
    assert_eq!(verification, nansen_docs::objects::Verification::Intact);

    reset_peak();
    let started = Instant::now();
    let (_, mut stream) = store.get(&hash).await.expect("get");
    let mut read = 0_usize;
    while let Some(chunk) = stream.next().await {
        read += chunk.expect("chunk").len();
    }
    report("get (drain)", started);
    assert_eq!(read, megabytes * 1000 * 1000);
}
