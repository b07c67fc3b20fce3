//! Registration and digitization end to end against the real server (`nansen serve` on a random
//! port), on SQLite and PostgreSQL, with documents in a directory and in S3-compatible storage (a
//! real S3 server, s3s-fs, on loopback): letters issued at registration, scans checked by their
//! content and stored once by SHA-256, refusals that store nothing, downloads journaled,
//! originals from shelf to officer to applicant, and `nansen audit verify --documents` finding an
//! altered or lost document.

use std::path::{Path, PathBuf};

use nansen_docs::objects::testing::start_s3_test_server;
use nansen_docs::objects::{ContentHash, DocumentStore};
use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::Backend;
use reqwest::StatusCode;
use serde_json::json;

mod common;
use common::*;

// ---- small real files of each type ---------------------------------------------------------------------------------

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
    // The demo's own letters are already stored: what this scenario adds is counted from here.
    let objects = || match &docs {
        Documents::Directory => stored_files(&t.config.data_dir.join("documents")).len(),
        Documents::S3(s3) => stored_files(&s3.bucket_dir()).len(),
    };
    let demo_objects = objects();

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
    // The applicant reads Dari: the request follows in Dari, the French text the authentic one.
    assert!(text.contains("Traduction en dari") && text.contains("Seul le texte français fait foi"), "{label}: {text}");

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
    let objects_before = objects();
    assert_eq!(
        objects_before - demo_objects,
        5,
        "{label}: receipt, request and three new scans (the fourth is the receipt)"
    );

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
    let objects_after = objects();
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

    // An object no document references (a crash between storing and committing leaves one): the
    // audit names it, and `documents gc` removes it only once older than the grace period.
    let objects = match &docs {
        Documents::Directory => DocumentStore::local(&t.config.data_dir.join("documents")).expect("directory"),
        Documents::S3(s3) => DocumentStore::s3(&s3.config("nansen")).expect("bucket"),
    };
    let stray = b"%PDF-1.4 stored, never committed";
    let stray_hash = ContentHash::of(stray);
    let stray_file = t.config.data_dir.join("stray.pdf");
    std::fs::write(&stray_file, stray).expect("write");
    objects.put_file(&stray_hash, &stray_file).await.expect("put");
    let (ok, out) = audit(&t, &docs);
    assert!(ok, "{label}: harmless: {out}");
    assert!(out.contains(&format!("object {stray_hash} (32 bytes")), "{label}: named: {out}");
    assert!(out.contains("referenced by no document"), "{label}: {out}");
    let gc = |older_than: &str| {
        let out = nansen(&t, &docs).args(["documents", "gc", "--older-than", older_than]).output().expect("gc");
        assert!(out.status.success(), "{label}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = gc("1h");
    assert!(out.contains("0 unreferenced objects"), "{label}: too young to remove: {out}");
    assert!(objects.exists(&stray_hash).await.expect("exists"), "{label}");
    let out = gc("0s");
    assert!(out.contains(&format!("removed {stray_hash}")), "{label}: {out}");
    assert!(out.contains("1 unreferenced objects"), "{label}: and nothing else: {out}");
    assert!(!objects.exists(&stray_hash).await.expect("exists"), "{label}");

    // The audit re-reads every stored content; an altered byte or a lost object is named.
    let (ok, out) = audit(&t, &docs);
    assert!(!out.contains("referenced by no document"), "{label}: {out}");
    assert!(ok, "{label}: {out}");
    let expected = format!("documents verified: {} stored contents", demo_objects + 5);
    assert!(out.contains(&expected), "{label}: the demo's letters and this scenario's five: {out}");
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

    // A scan that runs a script on opening is filed (it may be evidence), marked, and served to
    // agents without its active content; the bytes as received stay, behind an explicit link.
    let hostile = pdf_with_javascript();
    let (status, filed) = sec.upload(&n, &[("evidence", "tract\u{202E}fdp.exe", hostile.clone())]).await;
    assert_eq!(status, StatusCode::CREATED, "{label}: {filed}");
    assert_eq!(filed[0]["active_content"], json!(["javascript", "open_action"]), "{label}: {filed}");
    assert_eq!(filed[0]["file_name"], "tractfdp.exe", "{label}: the name shown has no control");
    let id = filed[0]["id"].as_u64().expect("id");
    let (status, kind, safe) = sec.bytes(&format!("/cases/{n}/documents/{id}")).await;
    assert_eq!((status, kind.as_deref()), (StatusCode::OK, Some("application/pdf")), "{label}");
    let inspected = nansen_docs::inspect::inspect_bytes(&safe, &nansen_docs::inspect::Limits::default());
    assert!(inspected.as_ref().is_ok_and(|i| i.active_content.is_empty() && i.pages == 1), "{label}: {inspected:?}");
    assert!(!String::from_utf8_lossy(&safe).contains("app.alert"), "{label}");
    let (status, _, original) = sec.bytes(&format!("/cases/{n}/documents/{id}?original=1")).await;
    assert_eq!((status, original), (StatusCode::OK, hostile.clone()), "{label}: the original, on request");
    let page = sec.http.get(format!("{base}/cases/{n}")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("data-active-content"), "{label}: a warning on the case page");
    assert!(page.contains(&format!("/cases/{n}/documents/{id}?original=1")), "{label}: and a link to the original");
    drop(server);
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
