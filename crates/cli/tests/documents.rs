//! Registration and digitization end to end against the real server (`nansen serve` on a random
//! port), on SQLite and PostgreSQL, with documents in a directory and in S3-compatible storage (a
//! real S3 server, s3s-fs, on loopback): letters issued at registration, scans checked by their
//! content and stored once by SHA-256, refusals that store nothing, downloads journaled,
//! originals from shelf to officer to applicant, and `nansen audit verify --documents` finding an
//! altered or lost document.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use nansen_docs::objects::testing::{start_s3_test_server, S3TestServer};
use nansen_docs::objects::ContentHash;
use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::Backend;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PASSWORD: &str = "nansen-demo";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where documents go in a test: the data directory's default, or a bucket of the S3 server.
enum Documents {
    Directory,
    S3(S3TestServer),
}

fn nansen(t: &TestStore, docs: &Documents) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nansen"));
    cmd.arg("--data-dir")
        .arg(&t.config.data_dir)
        .env_remove("NANSEN_DATABASE_URL")
        .env_remove("NANSEN_SIGNING_KEY")
        .env_remove("NANSEN_DOCUMENTS");
    if let Some(url) = &t.config.database_url {
        cmd.env("NANSEN_DATABASE_URL", url);
    }
    if let Documents::S3(s3) = docs {
        cmd.env("NANSEN_DOCUMENTS", s3.url("nansen"));
        for (k, v) in s3.env() {
            cmd.env(k, v);
        }
    }
    cmd
}

async fn serve(backend: Backend, docs: &Documents) -> (TestStore, Server) {
    let t = TestStore::new(backend).await;
    t.store.close().await;
    let out = nansen(&t, docs).args(["demo", "--seed", "5", "--applications", "20"]).output().expect("demo");
    assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
    let mut child = nansen(&t, docs)
        .arg("serve")
        .env("NANSEN_LISTEN", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the server says where it listens");
    let base = line.trim().rsplit(' ').next().expect("address").to_owned();
    (t, Server { child, base })
}

struct Client {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

impl Client {
    async fn sign_in(base: &str, login: &str) -> Client {
        let http = reqwest::Client::builder().cookie_store(true).build().expect("client");
        let r = http
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"login": login, "password": PASSWORD}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.status(), StatusCode::OK, "{login} signs in");
        let body: Value = r.json().await.expect("json");
        Client { http, base: base.to_owned(), csrf: body["csrf_token"].as_str().expect("csrf").to_owned() }
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.http.get(format!("{}/api/v1{path}", self.base)).send().await.expect("get");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn bytes(&self, path: &str) -> (StatusCode, Option<String>, Vec<u8>) {
        let r = self.http.get(format!("{}/api/v1{path}", self.base)).send().await.expect("get");
        let status = r.status();
        let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        (status, kind, r.bytes().await.expect("body").to_vec())
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}/api/v1{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .expect("post");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Uploads files, each `(kind, file name, bytes)`, as the upload form does.
    async fn upload(&self, number: &str, files: &[(&str, &str, Vec<u8>)]) -> (StatusCode, Value) {
        let mut form = reqwest::multipart::Form::new();
        for (i, (kind, name, bytes)) in files.iter().enumerate() {
            form = form
                .text(format!("kind_{i}"), kind.to_string())
                .text(format!("language_{i}"), "fr")
                .text(format!("description_{i}"), format!("pièce {i}"))
                .part(format!("file_{i}"), reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()));
        }
        let r = self
            .http
            .post(format!("{}/api/v1/cases/{number}/documents", self.base))
            .header("x-csrf-token", &self.csrf)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

fn today() -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc().date().format(&fmt).expect("date")
}

// ---- small real files of each type ---------------------------------------------------------------------------------

fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(data);
        // The checks do not verify CRCs; a plausible one keeps the file valid elsewhere too.
        out.extend(crc32(&[kind, data].concat()).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A one-page 4×4 grey TIFF (little-endian, uncompressed, one strip).
fn tiff() -> Vec<u8> {
    let entries: [(u16, u16, u32); 8] =
        [(256, 3, 4), (257, 3, 4), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 0), (278, 3, 4), (279, 4, 16)];
    let ifd_len = 2 + entries.len() * 12 + 4;
    let strip_at = (8 + ifd_len) as u32;
    let mut out = b"II*\0".to_vec();
    out.extend(8u32.to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        out.extend((if tag == 273 { strip_at } else { value }).to_le_bytes());
    }
    out.extend(0u32.to_le_bytes());
    out.extend([0x80u8; 16]);
    out
}

fn jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, 80);
    encoder.encode(&[128u8; 8 * 8 * 3], 8, 8, jpeg_encoder::ColorType::Rgb).expect("jpeg");
    out
}

fn stored_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(stored_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn audit(t: &TestStore, docs: &Documents) -> (bool, String) {
    let out = nansen(t, docs).args(["audit", "verify", "--documents"]).output().expect("audit");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

async fn register_incomplete(sec: &Client) -> String {
    let (status, body) = sec
        .post(
            "/cases",
            json!({
                "kind": "asylum", "procedure": "normal", "nationality": "AFG", "language": "prs",
                "family_name": {"latin": "Ahmadi", "original": "احمدی"},
                "given_names": {"latin": "Zoë", "original": "زهرا"},
                "birth_date": "1994-03-02", "sex": "female", "introduced_on": today(),
                "missing": ["photographs", "account_of_reasons"]
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "incomplete", "{body}");
    body["number"].as_str().expect("number").to_owned()
}

async fn scenario(backend: Backend, docs: Documents) {
    let (t, server) = serve(backend, &docs).await;
    let label = format!("{backend:?}/{}", if matches!(docs, Documents::S3(_)) { "s3" } else { "directory" });
    let base = &server.base;
    let sec = Client::sign_in(base, "sec.martin").await;

    // Registration prints the receipt and, the file being incomplete, the request for what is missing.
    let n = register_incomplete(&sec).await;
    let (_, case) = sec.get(&format!("/cases/{n}")).await;
    let issued: Vec<&str> =
        case["case"]["documents"].as_array().expect("documents").iter().filter_map(|d| d["kind"].as_str()).collect();
    assert_eq!(issued, ["receipt", "missing_items_request"], "{label}");
    let (status, kind, receipt) = sec.bytes(&format!("/cases/{n}/documents/1")).await;
    assert_eq!((status, kind.as_deref()), (StatusCode::OK, Some("application/pdf")), "{label}");
    let text = pdf_text(&receipt);
    assert!(text.contains(&n), "{label}: the receipt names the case: {text}");
    assert!(text.contains("Zoë"), "{label}: {text}");
    let (_, _, request) = sec.bytes(&format!("/cases/{n}/documents/2")).await;
    let text = pdf_text(&request);
    assert!(text.contains("Deux photographies"), "{label}: the request lists the missing items: {text}");

    // Four scans of the four types, in one batch: typed by their content, not their names.
    let files = vec![
        ("application_form", "form.bin", receipt.clone()),
        ("photograph", "photo.png", png(600, 800)),
        ("identity_document", "passport.jpg", jpeg()),
        ("evidence", "summons.tif", tiff()),
    ];
    let (status, filed) = sec.upload(&n, &files).await;
    assert_eq!(status, StatusCode::CREATED, "{label}: {filed}");
    let types: Vec<&str> = filed.as_array().expect("list").iter().filter_map(|d| d["media_type"].as_str()).collect();
    assert_eq!(types, ["application/pdf", "image/png", "image/jpeg", "image/tiff"], "{label}");
    assert_eq!(filed[0]["id"], 3);
    assert_eq!(filed[0]["sha256"], ContentHash::of(&receipt).to_hex(), "{label}: the journal names the content");
    let (status, _, back) = sec.bytes(&format!("/cases/{n}/documents/4")).await;
    assert_eq!((status, back), (StatusCode::OK, png(600, 800)), "{label}: the same bytes come back");

    // The same file filed again (here, the receipt as a scan) is stored once.
    let objects_before = match &docs {
        Documents::Directory => stored_files(&t.config.data_dir.join("documents")).len(),
        Documents::S3(s3) => stored_files(&s3.bucket_dir()).len(),
    };
    assert_eq!(objects_before, 5, "{label}: receipt, request and three new scans (the fourth is the receipt)");

    // Refusals: a web page named .pdf, a truncated PDF, an image bomb's header, nothing chosen.
    let before = sec.get(&format!("/cases/{n}")).await.1["case"]["documents"].as_array().map(Vec::len);
    for (name, bytes, code) in [
        ("scan.pdf", b"<html><body>not a scan</body></html>".to_vec(), "upload_unknown_type"),
        ("scan.pdf", receipt[..receipt.len() / 2].to_vec(), "upload_malformed"),
        ("big.png", png(100_000, 100_000), "upload_image_too_large"),
    ] {
        let ok = ("photograph", "ok.png", png(10, 10));
        let (status, p) = sec.upload(&n, &[ok, ("evidence", name, bytes)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: {name}: {p}");
        assert_eq!(p["code"], code, "{label}: {p}");
        assert_eq!(p["errors"][0]["field"], "file_1", "{label}: the message is next to the second file");
    }
    let after = sec.get(&format!("/cases/{n}")).await.1["case"]["documents"].as_array().map(Vec::len);
    assert_eq!(before, after, "{label}: a refused upload files nothing, not even its good files");
    let objects_after = match &docs {
        Documents::Directory => stored_files(&t.config.data_dir.join("documents")).len(),
        Documents::S3(s3) => stored_files(&s3.bucket_dir()).len(),
    };
    assert_eq!(objects_after, objects_before, "{label}: and stores nothing");
    assert_eq!(stored_files(&t.config.data_dir.join("staging")), Vec::<PathBuf>::new(), "{label}: no staged leftovers");

    // Need to know: an officer of another division may neither file nor read; the archivist keeps
    // paper, not content.
    let petrov = Client::sign_in(base, "opi.petrov").await;
    let (status, _) = petrov.upload(&n, &[("evidence", "x.png", png(10, 10))]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{label}");
    let (status, _, _) = petrov.bytes(&format!("/cases/{n}/documents/1")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{label}");
    let archivist = Client::sign_in(base, "arch.renard").await;
    let (status, _, _) = archivist.bytes(&format!("/cases/{n}/documents/1")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{label}");

    // An original: shelved, lent to an officer, back, returned to the applicant against signature.
    let (status, original) = sec
        .post(
            &format!("/cases/{n}/originals"),
            json!({"kind": "identity_document", "description": "Passeport AF1234567", "store": "Magasin A",
                   "shelf": "Travée 12", "box": "Boîte 7"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{label}: {original}");
    let id = original["id"].as_str().expect("id").to_owned();
    assert_eq!(id, format!("{n}-O1"));
    let (status, p) = sec
        .post(
            &format!("/cases/{n}/originals"),
            json!({"kind": "identity_document",
        "description": "Passeport", "store": "Magasin A", "shelf": "", "box": "Boîte 7"}),
        )
        .await;
    assert_eq!((status, p["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("shelf")), "{p}");
    let (status, p) =
        archivist.post(&format!("/originals/{id}/custody"), json!({"change": "lend", "to": "opi.karimi"})).await;
    assert_eq!(status, StatusCode::OK, "{label}: {p}");
    let (_, list) = archivist.get("/originals?lent=true").await;
    let lent: Vec<&str> = list["originals"].as_array().expect("list").iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(lent, [id.as_str()], "{label}");
    assert_eq!(list["originals"][0]["holder"], "opi.karimi");
    let (status, _) = petrov.get("/originals").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{label}: officers do not list the stores");
    let (status, p) = archivist
        .post(&format!("/originals/{id}/custody"), json!({"change": "return", "signed_by": "Zoë Ahmadi"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{label}: a lent original can be handed back at the interview: {p}");
    let (status, p) =
        archivist.post(&format!("/originals/{id}/custody"), json!({"change": "lend", "to": "opi.karimi"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{label}: returned is final: {p}");
    let (_, list) = archivist.get("/originals").await;
    assert!(list["originals"].as_array().expect("list").iter().all(|o| o["id"] != id.as_str()), "{label}");
    let (status, history) = archivist.get(&format!("/originals/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{label}");
    let events: Vec<&str> =
        history["history"].as_array().expect("history").iter().filter_map(|h| h["event"].as_str()).collect();
    assert_eq!(events, ["received", "lend", "return_to_applicant"], "{label}");

    // The audit re-reads every stored content; an altered byte or a lost object is named.
    let (ok, out) = audit(&t, &docs);
    assert!(ok, "{label}: {out}");
    assert!(out.contains("documents verified: 5 stored contents"), "{label}: {out}");
    let hex = ContentHash::of(&png(600, 800)).to_hex();
    let stored = match &docs {
        Documents::Directory => stored_files(&t.config.data_dir.join("documents")),
        Documents::S3(s3) => stored_files(&s3.bucket_dir()),
    };
    let victim = stored.iter().find(|p| p.to_string_lossy().contains(&hex)).expect("the photograph is stored");
    let mut bytes = std::fs::read(victim).expect("read");
    bytes[20] ^= 1;
    std::fs::write(victim, &bytes).expect("tamper");
    let (ok, out) = audit(&t, &docs);
    assert!(!ok, "{label}: {out}");
    assert!(out.contains(&format!("document {hex} ALTERED")), "{label}: {out}");
    assert!(out.contains(&format!("case {n} document 4")), "{label}: {out}");
    std::fs::remove_file(victim).expect("lose it");
    let (ok, out) = audit(&t, &docs);
    assert!(!ok && out.contains(&format!("document {hex} MISSING")), "{label}: {out}");
    drop(server);
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scans_letters_and_originals_with_documents_in_a_directory() {
    for backend in BACKENDS {
        scenario(backend, Documents::Directory).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scans_letters_and_originals_with_documents_in_s3() {
    for backend in BACKENDS {
        let dir = tempfile::tempdir().expect("dir");
        let s3 = start_s3_test_server(dir.path()).await;
        scenario(backend, Documents::S3(s3)).await;
    }
}
