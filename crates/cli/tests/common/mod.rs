//! The harness the server tests share: a real `nansen serve` on a random port (SQLite or
//! PostgreSQL, documents in a directory or in S3), an agent's API client, small real files.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use nansen_docs::objects::testing::S3TestServer;
use nansen_store::testing::TestStore;
use nansen_store::Backend;
use reqwest::StatusCode;
use serde_json::{json, Value};

pub const PASSWORD: &str = "nansen-demo";

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where documents go in a test: the data directory's default, or a bucket of the S3 server.
pub enum Documents {
    Directory,
    S3(S3TestServer),
}

pub fn nansen(t: &TestStore, docs: &Documents) -> Command {
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

pub async fn serve(backend: Backend, docs: &Documents) -> (TestStore, Server) {
    serve_with(backend, docs, &[]).await
}

/// A server with extra environment (e.g. a lower limit for a test of it).
pub async fn serve_with(backend: Backend, docs: &Documents, env: &[(&str, &str)]) -> (TestStore, Server) {
    serve_demo(backend, docs, env, 20).await
}

/// A server on demo data of `applications` applications.
pub async fn serve_demo(
    backend: Backend,
    docs: &Documents,
    env: &[(&str, &str)],
    applications: usize,
) -> (TestStore, Server) {
    let t = TestStore::new(backend).await;
    t.store.close().await;
    let out = nansen(&t, docs)
        .args(["demo", "--seed", "5", "--applications", &applications.to_string()])
        .output()
        .expect("demo");
    assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
    let mut child = nansen(&t, docs)
        .arg("serve")
        .env("NANSEN_LISTEN", "127.0.0.1:0")
        .envs(env.iter().copied())
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

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

impl Client {
    pub async fn sign_in(base: &str, login: &str) -> Client {
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

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.http.get(format!("{}/api/v1{path}", self.base)).send().await.expect("get");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn bytes(&self, path: &str) -> (StatusCode, Option<String>, Vec<u8>) {
        let r = self.http.get(format!("{}/api/v1{path}", self.base)).send().await.expect("get");
        let status = r.status();
        let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        (status, kind, r.bytes().await.expect("body").to_vec())
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
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
    pub async fn upload(&self, number: &str, files: &[(&str, &str, Vec<u8>)]) -> (StatusCode, Value) {
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

pub fn today() -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc().date().format(&fmt).expect("date")
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
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

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

pub fn jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, 80);
    encoder.encode(&[128u8; 8 * 8 * 3], 8, 8, jpeg_encoder::ColorType::Rgb).expect("jpeg");
    out
}

pub fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

/// A one-page PDF that runs JavaScript when opened (`/OpenAction` → `/S /JavaScript`).
pub fn pdf_with_javascript() -> Vec<u8> {
    let objects: [&[u8]; 4] = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Type /Action /S /JavaScript /JS (app.alert('probe')) >>",
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// An asylum application registered by a secretary (Arabic-speaking, Syrian), and the activation
/// code of its secure space printed on the receipt.
pub async fn register(sec: &Client, family: &str, missing: &[&str]) -> (String, String) {
    let (status, body) = sec
        .post(
            "/cases",
            json!({
                "kind": "asylum", "procedure": "normal", "nationality": "SYR", "language": "ar",
                "family_name": {"latin": family}, "given_names": {"latin": "Amal"},
                "birth_date": "1990-01-01", "sex": "female", "introduced_on": today(), "missing": missing
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let code = body["activation_code"].as_str().expect("an activation code with the registration").to_owned();
    (body["number"].as_str().expect("number").to_owned(), code)
}
