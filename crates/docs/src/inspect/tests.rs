#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use sha2::{Digest, Sha256};

use super::samples::{self, deflated_zeros, raw_one_page, raw_pdf, stream_object};
use super::*;

fn check(bytes: &[u8]) -> Result<Inspection, Refusal> {
    inspect_bytes(bytes, &Limits::default())
}

fn accepted(media_type: MediaType, pages: u32, dimensions: Option<(u32, u32)>) -> Result<Inspection, Refusal> {
    Ok(Inspection { media_type, pages, dimensions, active_content: Vec::new() })
}

fn malformed(result: Result<Inspection, Refusal>) -> bool {
    matches!(result, Err(Refusal::Malformed { .. }))
}

#[test]
fn accepts_each_type_and_reads_pages_and_dimensions() {
    assert_eq!(check(&samples::png(3, 2)), accepted(MediaType::Png, 1, Some((3, 2))));
    assert_eq!(check(&samples::jpeg(17, 9)), accepted(MediaType::Jpeg, 1, Some((17, 9))));
    assert_eq!(check(&samples::tiff(&[(4, 3)], true)), accepted(MediaType::Tiff, 1, Some((4, 3))));
    assert_eq!(check(&samples::tiff(&[(3, 3)], false)), accepted(MediaType::Tiff, 1, Some((3, 3))));
    assert_eq!(check(&samples::pdf(1, false)), accepted(MediaType::Pdf, 1, None));
}

#[test]
fn counts_pages_of_multi_page_tiff_and_pdf() {
    let tiff = samples::tiff(&[(4, 3), (10, 2), (5, 5)], true);
    // The largest page by pixels.
    assert_eq!(check(&tiff), accepted(MediaType::Tiff, 3, Some((5, 5))));
    assert_eq!(check(&samples::pdf(7, false)), accepted(MediaType::Pdf, 7, None));
    assert_eq!(check(&samples::pdf(12, true)), accepted(MediaType::Pdf, 12, None));
}

#[test]
fn judges_by_content_not_by_name() {
    let html = b"<!DOCTYPE html><html><body>not a scan.pdf</body></html>";
    assert_eq!(check(html), Err(Refusal::UnknownType));
    assert_eq!(check(b"GIF89a\x01\x00\x01\x00"), Err(Refusal::UnknownType));
    // BigTIFF is not accepted.
    assert_eq!(check(b"II+\0\x08\0\0\0"), Err(Refusal::UnknownType));
    // A magic number that is cut short.
    assert_eq!(check(b"\x89PN"), Err(Refusal::UnknownType));
}

#[test]
fn refuses_empty_and_too_large() {
    assert_eq!(check(b""), Err(Refusal::Empty));
    let limits = Limits { max_bytes: 100, ..Limits::default() };
    let png = samples::png(20, 20);
    assert!(png.len() > 100);
    assert_eq!(inspect_bytes(&png, &limits), Err(Refusal::TooLarge { limit: 100 }));
}

#[test]
fn refuses_images_claiming_too_many_pixels_without_decoding() {
    let bomb = samples::png_claiming(100_000, 100_000);
    assert_eq!(check(&bomb), Err(Refusal::ImageTooLarge { width: 100_000, height: 100_000 }));
    // Each side allowed, but the area is not.
    assert_eq!(
        check(&samples::png_claiming(20_000, 20_000)),
        Err(Refusal::ImageTooLarge { width: 20_000, height: 20_000 })
    );
    // Just the header is enough to refuse.
    assert_eq!(check(&bomb[..33]), Err(Refusal::ImageTooLarge { width: 100_000, height: 100_000 }));
    let limits = Limits { max_side: 10, ..Limits::default() };
    assert_eq!(inspect_bytes(&samples::jpeg(17, 9), &limits), Err(Refusal::ImageTooLarge { width: 17, height: 9 }));
    assert_eq!(
        inspect_bytes(&samples::tiff(&[(2, 2), (11, 1)], false), &limits),
        Err(Refusal::ImageTooLarge { width: 11, height: 1 })
    );
}

#[test]
fn refuses_truncated_images() {
    for file in [samples::png(3, 2), samples::jpeg(16, 16), samples::tiff(&[(4, 4), (4, 4)], true)] {
        for cut in [9, file.len() / 2, file.len() - 1] {
            assert!(malformed(check(&file[..cut])), "cut at {cut} of {}: {:?}", file.len(), check(&file[..cut]));
        }
    }
}

#[test]
fn refuses_tiff_directory_loops_and_too_many_pages() {
    let mut tiff = samples::tiff(&[(2, 2)], true);
    // Point the last "next directory" link back at the first directory.
    let first = tiff[4..8].to_vec();
    let end = tiff.len();
    tiff[end - 4..].copy_from_slice(&first);
    assert!(malformed(check(&tiff)));

    let limits = Limits { max_pages: 3, ..Limits::default() };
    let four = samples::tiff(&[(1, 1); 4], true);
    assert_eq!(inspect_bytes(&four, &limits), Err(Refusal::TooManyPages { pages: 4, limit: 3 }));
}

#[test]
fn refuses_pdf_with_too_many_pages() {
    let limits = Limits { max_pages: 3, ..Limits::default() };
    assert_eq!(inspect_bytes(&samples::pdf(5, false), &limits), Err(Refusal::TooManyPages { pages: 5, limit: 3 }));
    assert_eq!(inspect_bytes(&samples::pdf(3, true), &limits), accepted(MediaType::Pdf, 3, None));
}

#[test]
fn refuses_encrypted_pdf() {
    let mut objects = raw_one_page();
    objects.push(
        format!("<< /Filter /Standard /V 1 /R 2 /P -44 /O <{}> /U <{}> >>", "8f".repeat(32), "3c".repeat(32))
            .into_bytes(),
    );
    let id = format!("/ID [<{0}> <{0}>]", "01".repeat(16));
    let pdf = raw_pdf(&objects, &format!("/Encrypt 4 0 R {id}"));
    assert_eq!(check(&pdf), Err(Refusal::Encrypted));
    // The same without the encryption dictionary is fine.
    assert_eq!(check(&raw_pdf(&raw_one_page(), "")), accepted(MediaType::Pdf, 1, None));
}

#[test]
fn refuses_truncated_or_garbage_pdf() {
    let pdf = samples::pdf(3, false);
    assert!(malformed(check(&pdf[..pdf.len() / 2])));
    assert!(malformed(check(&pdf[..pdf.len() - 10])));
    assert!(malformed(check(b"%PDF-1.4\n\x00\x01garbage garbage\n%%EOF\n")));
    assert!(malformed(check(b"%PDF-")));
    // A catalog without pages.
    let no_pages =
        raw_pdf(&[b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(), b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec()], "");
    assert!(malformed(check(&no_pages)));
}

#[test]
fn refuses_page_tree_loops() {
    // A node that is its own kid, and one reached from two parents.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 2 0 R 4 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 5 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 4 0 R >>".to_vec(),
    ];
    let result = check(&raw_pdf(&objects, ""));
    assert!(malformed(result.clone()), "{result:?}");
    assert!(format!("{result:?}").contains("loops"), "{result:?}");
    let twice = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R >>".to_vec(),
    ];
    assert!(malformed(check(&raw_pdf(&twice, ""))));
}

/// A one-page PDF with `catalog_extra` in its catalog, `page_extra` in its page, and `more` objects
/// from number 4 on.
fn hostile_pdf(catalog_extra: &str, page_extra: &str, more: &[&str]) -> Vec<u8> {
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>").into_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page_extra} >>").into_bytes(),
    ];
    objects.extend(more.iter().map(|o| o.as_bytes().to_vec()));
    raw_pdf(&objects, "")
}

fn active(bytes: &[u8]) -> Vec<Active> {
    check(bytes).expect("accepted").active_content
}

#[test]
fn finds_each_kind_of_active_content() {
    use Active::*;
    let js_on_open = hostile_pdf("/OpenAction 4 0 R", "", &["<< /S /JavaScript /JS (app.alert(1)) >>"]);
    assert_eq!(active(&js_on_open), vec![JavaScript, OpenAction]);
    // Inline, in the document's name tree, as a stream.
    let inline =
        hostile_pdf("/OpenAction << /S /JavaScript /JS 4 0 R >>", "", &["<< /Length 0 >>\nstream\n\nendstream"]);
    assert_eq!(active(&inline), vec![JavaScript, OpenAction]);
    let names = hostile_pdf("/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>", "", &[]);
    assert_eq!(active(&names), vec![JavaScript]);
    let page_actions = hostile_pdf("", "/AA << /O << /S /JavaScript /JS (x) >> >>", &[]);
    assert_eq!(active(&page_actions), vec![JavaScript, AdditionalActions]);
    // A link annotation, inline in the page's array, that starts a program.
    let launch = hostile_pdf("", "/Annots [<< /Type /Annot /Subtype /Link /A << /S /Launch /F (cmd.exe) >> >>]", &[]);
    assert_eq!(active(&launch), vec![Launch]);
    let hidden_name = hostile_pdf("", "/Annots [4 0 R]", &["<< /Subtype /Link /A << /S /#4Caunch /F (x) >> >>"]);
    assert_eq!(active(&hidden_name), vec![Launch]);
    let embedded = hostile_pdf(
        "/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
        "",
        &["<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>", "<< /Length 2 >>\nstream\nMZ\nendstream"],
    );
    assert_eq!(active(&embedded), vec![EmbeddedFiles]);
    let xfa = hostile_pdf("/AcroForm << /Fields [] /XFA 4 0 R >>", "", &["<< /Length 0 >>\nstream\n\nendstream"]);
    assert_eq!(active(&xfa), vec![Xfa]);
}

#[test]
fn opening_at_a_page_is_not_active_content() {
    // What scanners write: a destination, or a go-to action.
    assert_eq!(active(&hostile_pdf("/OpenAction [3 0 R /Fit]", "", &[])), vec![]);
    assert_eq!(active(&hostile_pdf("/OpenAction << /S /GoTo /D [3 0 R /Fit] >>", "", &[])), vec![]);
    assert_eq!(
        active(&hostile_pdf("", "/Annots [<< /Subtype /Link /A << /S /URI /URI (https://example.org) >> >>]", &[])),
        vec![]
    );
    assert_eq!(active(&samples::pdf(3, true)), vec![]);
}

#[test]
fn a_copy_without_active_content_keeps_the_pages() {
    let hostile = hostile_pdf(
        "/OpenAction 4 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> /JavaScript 6 0 R >> /AcroForm << /XFA 7 0 R >>",
        "/AA << /O 4 0 R >> /Annots [<< /Subtype /Link /A << /S /Launch /F (cmd.exe) >> >> << /Subtype /Link /A << /S /GoTo /D [3 0 R /Fit] >> >>]",
        &[
            "<< /S /JavaScript /JS (app.alert(1)) >>",
            "<< /Type /Filespec /F (a.exe) /EF << /F 8 0 R >> >>",
            "<< /Names [(x) 4 0 R] >>",
            "<< /Length 0 >>\nstream\n\nendstream",
            "<< /Length 2 >>\nstream\nMZ\nendstream",
        ],
    );
    assert_eq!(active(&hostile).len(), 6, "{:?}", active(&hostile));
    let clean = without_active_content(&hostile).expect("a copy");
    assert_eq!(check(&clean), accepted(MediaType::Pdf, 1, None));
    // Nothing of the script or the program is left in the bytes either.
    let text = String::from_utf8_lossy(&clean);
    assert!(!text.contains("app.alert") && !text.contains("cmd.exe") && !text.contains("JavaScript"), "{text}");
    // A plain PDF comes back with its pages.
    let plain = samples::pdf(4, false);
    assert_eq!(check(&without_active_content(&plain).expect("a copy")), accepted(MediaType::Pdf, 4, None));
}

/// An object stream that inflates to 1 GiB of zeros from about 1 MiB of file: refused without
/// inflating it beyond [`PDF_MAX_INFLATED`].
#[test]
fn refuses_pdf_decompression_bomb() {
    let bomb = deflated_zeros(1 << 30);
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    let mut objects = raw_one_page();
    objects.push(stream_object("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &bomb));
    let pdf = raw_pdf(&objects, "");
    let result = check(&pdf);
    assert!(malformed(result.clone()), "{result:?}");
    assert!(format!("{:?}", result).contains("expands beyond"), "{result:?}");
    // A bomb in a page content stream is never inflated at all.
    let mut objects = raw_one_page();
    objects[2] = b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_vec();
    objects.push(stream_object("/Filter /FlateDecode", &bomb));
    assert_eq!(check(&raw_pdf(&objects, "")), accepted(MediaType::Pdf, 1, None));
}

#[test]
fn inspect_file_agrees_with_inspect_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = samples::seeds();
    files.push(("bomb.png", samples::png_claiming(100_000, 100_000)));
    files.push(("cut.jpg", samples::jpeg(8, 8)[..100].to_vec()));
    files.push(("empty", Vec::new()));
    files.push(("html", b"<html>".to_vec()));
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(inspect_file(&path, &Limits::default()), check(&bytes), "{name}");
    }
    let missing = inspect_file(&dir.path().join("missing"), &Limits::default());
    assert_eq!(missing.map_err(|r| r.code()), Err("io"));
}

#[test]
fn inspect_file_reads_a_large_jpeg_through_its_window() {
    // A JPEG with 200 KiB of application segments before its frame header.
    let jpeg = samples::jpeg(8, 8);
    let mut big = jpeg[..2].to_vec();
    for _ in 0..4 {
        big.extend_from_slice(&[0xFF, 0xE5, 0xFF, 0xFF]);
        big.extend(std::iter::repeat_n(7u8, 0xFFFF - 2));
    }
    big.extend_from_slice(&jpeg[2..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jpg");
    std::fs::write(&path, &big).unwrap();
    assert_eq!(inspect_file(&path, &Limits::default()), accepted(MediaType::Jpeg, 1, Some((8, 8))));
}

#[test]
fn refusal_codes_are_stable() {
    let all = [
        (Refusal::Empty, "empty"),
        (Refusal::TooLarge { limit: 1 }, "too-large"),
        (Refusal::UnknownType, "unknown-type"),
        (Refusal::Encrypted, "encrypted"),
        (Refusal::malformed("x"), "malformed"),
        (Refusal::TooManyPages { pages: 2, limit: 1 }, "too-many-pages"),
        (Refusal::ImageTooLarge { width: 1, height: 1 }, "image-too-large"),
        (Refusal::Io { detail: "x".into() }, "io"),
    ];
    for (refusal, code) in all {
        assert_eq!(refusal.code(), code);
        assert!(!refusal.to_string().is_empty());
    }
}

#[test]
fn media_types_round_trip() {
    for media_type in MediaType::ALL {
        assert_eq!(MediaType::parse_mime(media_type.as_mime()), Some(media_type));
        assert!(!media_type.extension().is_empty());
    }
    assert_eq!(MediaType::parse_mime(" Image/JPG ; q=1"), Some(MediaType::Jpeg));
    assert_eq!(MediaType::parse_mime("text/html"), None);
    assert_eq!(Limits::default().max_bytes, 52_428_800);
}

fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for &(at, value, op) in edits {
        if bytes.is_empty() {
            bytes.push(value);
            continue;
        }
        let at = at % bytes.len();
        match op % 4 {
            0 => bytes[at] = value,
            1 => bytes.insert(at, value),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = check(&bytes);
    }

    #[test]
    fn never_panics_after_a_magic_number(
        magic in 0usize..5,
        rest in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = MAGIC[magic].0.to_vec();
        bytes.extend_from_slice(&rest);
        let _ = check(&bytes);
    }

    #[test]
    fn never_panics_on_mutated_valid_files(
        which in 0usize..8,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8),
    ) {
        let seeds = samples::seeds();
        let bytes = mutate(seeds[which % seeds.len()].1.clone(), &edits);
        let _ = check(&bytes);
    }
}

/// Writes the samples as a fuzzing corpus into `$NANSEN_FUZZ_SEEDS` (used by `scripts/fuzz`).
#[test]
#[ignore = "writes files; run by scripts/fuzz"]
fn write_fuzz_seeds() {
    let dir = std::env::var_os("NANSEN_FUZZ_SEEDS").expect("NANSEN_FUZZ_SEEDS names a directory");
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in samples::seeds() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

// --- Stager ---

fn dir_is_empty(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

async fn stage(dir: &std::path::Path, bytes: &[u8], chunk: usize, limits: Limits) -> Result<Staged, Refusal> {
    let mut stager = Stager::new(dir, limits)?;
    for piece in bytes.chunks(chunk) {
        stager.write(piece).await?;
    }
    stager.finish().await
}

#[tokio::test]
async fn stager_hashes_sizes_and_inspects() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = samples::pdf(2, true);
    for chunk in [1, 3, 1000, 1 << 20] {
        let staged = stage(dir.path(), &pdf, chunk, Limits::default()).await.unwrap();
        let expected: [u8; 32] = Sha256::digest(&pdf).into();
        assert_eq!(staged.sha256, expected);
        assert_eq!(staged.sha256_hex(), hex::encode(expected));
        assert_eq!(staged.size, pdf.len() as u64);
        assert_eq!(
            staged.inspection,
            Inspection { media_type: MediaType::Pdf, pages: 2, dimensions: None, active_content: Vec::new() }
        );
        assert_eq!(std::fs::read(staged.path()).unwrap(), pdf);
        let path = staged.path().to_path_buf();
        drop(staged);
        assert!(!path.exists(), "a dropped staged file is deleted");
    }
    assert!(dir_is_empty(dir.path()));
}

#[tokio::test]
async fn stager_refuses_too_large_mid_stream_and_deletes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { max_bytes: 10_000, ..Limits::default() };
    let mut stager = Stager::new(dir.path(), limits).unwrap();
    let png = samples::png(100, 100);
    assert!(png.len() > 10_000);
    let mut refused_at = None;
    for (i, piece) in png.chunks(1000).enumerate() {
        if let Err(refusal) = stager.write(piece).await {
            assert_eq!(refusal, Refusal::TooLarge { limit: 10_000 });
            refused_at = Some(i);
            break;
        }
    }
    assert_eq!(refused_at, Some(10));
    assert!(dir_is_empty(dir.path()), "refused upload removed at once");
    assert_eq!(stager.write(b"more").await, Err(Refusal::TooLarge { limit: 10_000 }));
    assert_eq!(stager.finish().await.map(|_| ()), Err(Refusal::TooLarge { limit: 10_000 }));
    assert!(dir_is_empty(dir.path()));
}

#[tokio::test]
async fn stager_refuses_unknown_type_on_the_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut stager = Stager::new(dir.path(), Limits::default()).unwrap();
    assert_eq!(stager.write(b"<!DOC").await, Err(Refusal::UnknownType));
    assert!(dir_is_empty(dir.path()));

    // Split magic numbers are recognised across chunks, and refused on the first wrong byte.
    let mut stager = Stager::new(dir.path(), Limits::default()).unwrap();
    stager.write(b"\x89P").await.unwrap();
    stager.write(b"N").await.unwrap();
    assert_eq!(stager.write(b"X").await, Err(Refusal::UnknownType));
    assert!(dir_is_empty(dir.path()));
}

#[tokio::test]
async fn stager_deletes_files_refused_at_finish_or_abandoned() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = samples::pdf(2, false);
    let refused = stage(dir.path(), &pdf[..pdf.len() / 2], 100, Limits::default()).await;
    assert!(malformed(refused.map(|staged| staged.inspection)));
    assert!(dir_is_empty(dir.path()));

    assert_eq!(stage(dir.path(), b"", 1, Limits::default()).await.map(|_| ()), Err(Refusal::Empty));
    assert!(dir_is_empty(dir.path()));

    // An interrupted upload: the stager is dropped half-way.
    let mut stager = Stager::new(dir.path(), Limits::default()).unwrap();
    stager.write(&pdf[..100]).await.unwrap();
    assert!(!dir_is_empty(dir.path()));
    drop(stager);
    assert!(dir_is_empty(dir.path()));
}

#[tokio::test]
async fn staged_file_can_be_kept() {
    let dir = tempfile::tempdir().unwrap();
    let jpeg = samples::jpeg(8, 8);
    let staged = stage(dir.path(), &jpeg, 64, Limits::default()).await.unwrap();
    assert_eq!(staged.inspection.dimensions, Some((8, 8)));
    let kept = dir.path().join("kept.jpg");
    staged.into_temp_path().persist(&kept).unwrap();
    assert_eq!(std::fs::read(&kept).unwrap(), jpeg);
}

/// An object stream whose index points several objects into one large array: refused at once
/// instead of parsing the array again for every entry.
#[test]
fn refuses_object_streams_with_overlapping_objects() {
    let array = format!("[{}]", "0 ".repeat(200_000));
    let index: String = (0..2_000).map(|i| format!("{} {} ", 10 + i, i * 2)).collect();
    let first = index.len();
    let mut content = index.into_bytes();
    content.extend_from_slice(array.as_bytes());
    let mut objects = raw_one_page();
    objects.push(stream_object(&format!("/Type /ObjStm /N 2000 /First {first}"), &content));
    let started = std::time::Instant::now();
    let result = check(&raw_pdf(&objects, ""));
    assert_eq!(result, accepted(MediaType::Pdf, 1, None), "the bad stream is dropped, the rest is fine");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
