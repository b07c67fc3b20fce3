//! `nansen load --uploads N` and `nansen load --register-with-documents N`: document uploads
//! against a running server, as the digitization secretaries make them.
//!
//! - `--uploads N --upload-mb 20 --concurrency C`: N uploads of a multi-page scan (uncompressed
//!   8-bit grey TIFF, A4 at 300 dpi: 2480×3508 pixels, 8.7 MB a page; the last page shorter to
//!   reach the size asked), C at a time, each into a case registered for it. The file is written
//!   once per concurrent upload into a temporary directory and streamed from there (the client
//!   never holds it in memory); a few bytes are changed before each upload so that every upload
//!   is new content to the server's content-addressed store.
//! - `--register-with-documents N`: N applications registered end to end: the registration (which
//!   also prints and files the PDF/A receipt), one upload form with the ten documents of a typical
//!   file (application form, photographs, passport, civil status, account of reasons, evidence:
//!   real JPEGs, PDFs of JPEG pages and a TIFF, 0.1–2 MB each, again made unique each time), and
//!   the case read back with its documents.
//!
//! With `--server-pid`, the server's resident memory (`VmRSS`) is read before, sampled every
//! 20 ms during, and read after each phase, and its peak (`VmHWM`) is reset before each phase
//! (`/proc/PID/clear_refs`, allowed for one's own processes), so the peak covers that phase only.
//!
//! Sizes are in MB = 1,000,000 bytes.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::CliError;

#[derive(clap::Args, Clone, Default)]
pub struct DocsArgs {
    /// Upload a generated multi-page TIFF scan this many times (document phase instead of pages).
    #[arg(long, default_value_t = 0)]
    uploads: usize,
    /// Size of the scan of `--uploads`, in MB (1,000,000 bytes).
    #[arg(long, default_value_t = 20.0)]
    upload_mb: f64,
    /// Uploads (or registrations) in flight at the same time.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Register this many applications, each with one upload form of 10 documents, and read
    /// each case back (document phase instead of pages).
    #[arg(long, default_value_t = 0)]
    register_with_documents: usize,
    /// The digitization secretary who registers and uploads.
    #[arg(long, default_value = "sec.martin")]
    secretary: String,
    /// The server's process id: report its memory (VmRSS, VmHWM) around each phase (Linux).
    #[arg(long)]
    server_pid: Option<u32>,
}

impl DocsArgs {
    /// Whether a document phase was asked for (then the page and signature load is not run).
    pub fn wanted(&self) -> bool {
        self.uploads > 0 || self.register_with_documents > 0
    }
}

fn err(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

const MB: f64 = 1_000_000.0;

// ---- the files -------------------------------------------------------------------------------------------------

/// A deterministic pseudo-random sequence (xorshift64).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// One grey row of a scanned page: paper with a little noise, and lines of "text" (dark strokes)
/// in bands, margins left blank.
fn page_row(row: &mut [u8], y: usize, noise: &mut Noise) {
    let width = row.len();
    let in_text_band = (y / 12) % 5 < 2 && y > 300 && (y % 3500) < 3200;
    for (x, px) in row.iter_mut().enumerate() {
        let r = noise.next();
        let paper = 236 + (r % 12) as u8;
        let inked = in_text_band && x > 230 && x + 230 < width && (r >> 20) % 7 < 2;
        *px = if inked { 20 + ((r >> 32) % 60) as u8 } else { paper };
    }
}

/// Writes an uncompressed 8-bit grey TIFF of `pages` (width, height) to `out`, 300 dpi, one strip
/// a page. The first pixel bytes (offset 8) are where [`stamp`] writes.
fn write_tiff(out: &mut impl Write, pages: &[(u32, u32)], seed: u64) -> std::io::Result<u64> {
    let mut noise = Noise(seed | 1);
    out.write_all(b"II*\0")?;
    out.write_all(&8u32.to_le_bytes())?;
    let mut at: u64 = 8;
    let tags = 12u16;
    let ifd_len = 2 + 12 * u64::from(tags) + 4;
    for (i, &(w, h)) in pages.iter().enumerate() {
        // The first directory sits at 8: pixel data follows each directory and its rationals.
        let ifd_at = at;
        let rationals_at = ifd_at + ifd_len;
        let data_at = rationals_at + 16;
        let data_len = u64::from(w) * u64::from(h);
        let next = if i + 1 < pages.len() { data_at + data_len } else { 0 };
        let mut ifd = Vec::with_capacity(ifd_len as usize + 16);
        ifd.extend_from_slice(&tags.to_le_bytes());
        let mut entry = |tag: u16, kind: u16, count: u32, value: u32| {
            ifd.extend_from_slice(&tag.to_le_bytes());
            ifd.extend_from_slice(&kind.to_le_bytes());
            ifd.extend_from_slice(&count.to_le_bytes());
            ifd.extend_from_slice(&value.to_le_bytes());
        };
        let (short, long, rational) = (3, 4, 5);
        entry(254, long, 1, 2); // NewSubfileType: a page of a multi-page document
        entry(256, long, 1, w);
        entry(257, long, 1, h);
        entry(258, short, 1, 8); // BitsPerSample
        entry(259, short, 1, 1); // Compression: none
        entry(262, short, 1, 1); // PhotometricInterpretation: black is zero
        entry(273, long, 1, data_at as u32); // StripOffsets
        entry(277, short, 1, 1); // SamplesPerPixel
        entry(278, long, 1, h); // RowsPerStrip
        entry(279, long, 1, data_len as u32); // StripByteCounts
        entry(282, rational, 1, rationals_at as u32); // XResolution
        entry(283, rational, 1, rationals_at as u32 + 8); // YResolution
        ifd.extend_from_slice(&(next as u32).to_le_bytes());
        for _ in 0..2 {
            ifd.extend_from_slice(&300u32.to_le_bytes());
            ifd.extend_from_slice(&1u32.to_le_bytes());
        }
        out.write_all(&ifd)?;
        let mut row = vec![0u8; w as usize];
        for y in 0..h as usize {
            page_row(&mut row, y, &mut noise);
            out.write_all(&row)?;
        }
        at = data_at + data_len;
    }
    Ok(at)
}

/// The offset of the 16 bytes [`stamp`] overwrites in a file made by [`write_tiff`]: the first
/// pixels of the first page (in its top margin).
const TIFF_STAMP_AT: u64 = 8 + (2 + 12 * 12 + 4) + 16;

/// Pages of an A4 scan at 300 dpi, as many as make `bytes` (the last one shorter).
fn a4_pages(bytes: u64) -> Vec<(u32, u32)> {
    let (w, h) = (2480u32, 3508u32);
    let page = u64::from(w) * u64::from(h);
    let mut left = bytes.saturating_sub(200);
    let mut pages = Vec::new();
    while left > 0 {
        let rows = (left / u64::from(w)).min(u64::from(h)).max(1) as u32;
        pages.push((w, rows));
        left = left.saturating_sub(page.min(u64::from(rows) * u64::from(w)) + 200);
        if rows < h {
            break;
        }
    }
    pages
}

/// A JPEG (grey or colour) of a page of `w`×`h` made like [`page_row`], with a 16-byte comment
/// segment right after the start marker (offset 6) for [`stamp`].
fn jpeg(w: u16, h: u16, colour: bool, quality: u8, seed: u64) -> Result<Vec<u8>, CliError> {
    let mut noise = Noise(seed | 1);
    let mut pixels = Vec::with_capacity(usize::from(w) * usize::from(h) * if colour { 3 } else { 1 });
    let mut row = vec![0u8; usize::from(w)];
    for y in 0..usize::from(h) {
        page_row(&mut row, y, &mut noise);
        if colour {
            for (x, &g) in row.iter().enumerate() {
                // A photograph: a smooth colour gradient under the grain.
                let (fx, fy) = (x as f32 / f32::from(w), y as f32 / f32::from(h));
                pixels.push((f32::from(g) * (0.5 + 0.5 * fx)) as u8);
                pixels.push((f32::from(g) * (0.4 + 0.5 * fy)) as u8);
                pixels.push((f32::from(g) * (0.9 - 0.4 * fx)) as u8);
            }
        } else {
            pixels.extend_from_slice(&row);
        }
    }
    let mut encoded = Vec::new();
    let color = if colour { jpeg_encoder::ColorType::Rgb } else { jpeg_encoder::ColorType::Luma };
    jpeg_encoder::Encoder::new(&mut encoded, quality).encode(&pixels, w, h, color).map_err(err)?;
    let mut out = Vec::with_capacity(encoded.len() + 20);
    out.extend_from_slice(&encoded[..2]);
    out.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x12]);
    out.extend_from_slice(&[b'0'; 16]);
    out.extend_from_slice(&encoded[2..]);
    Ok(out)
}

/// A PDF whose pages are JPEG images (A4), as a scanner makes them; a 16-byte comment on its
/// second line for [`stamp`] (offset 10).
fn pdf_of_jpegs(pages: &[(Vec<u8>, u16, u16)]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.7\n%0000000000000000\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let n = pages.len();
    // 1: catalog, 2: pages, then per page i: page 3+3i, content 4+3i, image 5+3i.
    let object = |out: &mut Vec<u8>, offsets: &mut Vec<usize>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    object(&mut out, &mut offsets, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    object(&mut out, &mut offsets, format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).as_bytes());
    for (i, (jpeg, w, h)) in pages.iter().enumerate() {
        let (content, image) = (4 + 3 * i, 5 + 3 * i);
        object(
            &mut out,
            &mut offsets,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 {image} 0 R >> >> \
                 /Contents {content} 0 R >>"
            )
            .as_bytes(),
        );
        let draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q";
        let mut body = format!("<< /Length {} >>\nstream\n", draw.len()).into_bytes();
        body.extend_from_slice(draw);
        body.extend_from_slice(b"\nendstream");
        object(&mut out, &mut offsets, &body);
        let mut body = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 \
             /Filter /DCTDecode /Length {} >>\nstream\n",
            jpeg.len()
        )
        .into_bytes();
        body.extend_from_slice(jpeg);
        body.extend_from_slice(b"\nendstream");
        object(&mut out, &mut offsets, &body);
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes(),
    );
    out
}

/// Writes `n` as 16 hexadecimal digits at `at`: the file is new content for the store.
fn stamp(bytes: &mut [u8], at: usize, n: u64) {
    bytes[at..at + 16].copy_from_slice(format!("{n:016x}").as_bytes());
}

/// One document of the typical file.
struct Doc {
    kind: &'static str,
    language: &'static str,
    description: &'static str,
    file_name: &'static str,
    mime: &'static str,
    bytes: Vec<u8>,
    stamp_at: usize,
}

/// The ten documents of a typical application file, made once (deterministically).
fn typical_file() -> Result<Vec<Doc>, CliError> {
    let grey_page = |seed: u64| -> Result<(Vec<u8>, u16, u16), CliError> {
        // A4 at 150 dpi, grey, quality 60: what a multifunction printer sends.
        Ok((jpeg(1240, 1754, false, 60, seed)?, 1240, 1754))
    };
    let pdf = |pages: usize, seed: u64| -> Result<Vec<u8>, CliError> {
        let pages: Vec<_> = (0..pages).map(|i| grey_page(seed * 100 + i as u64)).collect::<Result<_, _>>()?;
        Ok(pdf_of_jpegs(&pages))
    };
    let tiff = |w: u32, h: u32, seed: u64| -> Result<Vec<u8>, CliError> {
        let mut v = Vec::new();
        write_tiff(&mut v, &[(w, h)], seed).map_err(err)?;
        Ok(v)
    };
    let d = |kind, language, description, file_name, mime, bytes, stamp_at| Doc {
        kind,
        language,
        description,
        file_name,
        mime,
        bytes,
        stamp_at,
    };
    let (pdf_at, jpeg_at) = (10, 6);
    Ok(vec![
        d("application_form", "fr", "Formulaire de demande", "formulaire.pdf", "application/pdf", pdf(4, 1)?, pdf_at),
        d(
            "photograph",
            "",
            "Photographie d'identité",
            "photo-1.jpg",
            "image/jpeg",
            jpeg(827, 1063, true, 90, 2)?,
            jpeg_at,
        ),
        d(
            "photograph",
            "",
            "Photographie d'identité",
            "photo-2.jpg",
            "image/jpeg",
            jpeg(827, 1063, true, 90, 3)?,
            jpeg_at,
        ),
        d(
            "identity_document",
            "prs",
            "Passeport, pages d'identité",
            "passeport.jpg",
            "image/jpeg",
            jpeg(2480, 1748, true, 75, 4)?,
            jpeg_at,
        ),
        d("civil_status", "prs", "Tazkira", "tazkira.jpg", "image/jpeg", jpeg(1748, 2480, false, 80, 5)?, jpeg_at),
        d("account_of_reasons", "prs", "Récit", "recit.pdf", "application/pdf", pdf(6, 6)?, pdf_at),
        d(
            "evidence",
            "prs",
            "Convocation de la police",
            "convocation.tif",
            "image/tiff",
            tiff(1240, 1600, 7)?,
            TIFF_STAMP_AT as usize,
        ),
        d("evidence", "prs", "Article de presse", "article.pdf", "application/pdf", pdf(2, 8)?, pdf_at),
        d("medical_certificate", "fr", "Certificat médical", "certificat.pdf", "application/pdf", pdf(3, 9)?, pdf_at),
        d(
            "evidence",
            "en",
            "Attestation d'une ONG",
            "attestation.jpg",
            "image/jpeg",
            jpeg(1240, 1754, false, 85, 10)?,
            jpeg_at,
        ),
    ])
}

// ---- the server's memory ---------------------------------------------------------------------------------------

fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mb_of_kb(kb: Option<u64>) -> String {
    kb.map(|k| format!("{:.0} MB", k as f64 * 1024.0 / MB)).unwrap_or_else(|| "?".into())
}

/// Samples the server's VmRSS every 20 ms until stopped; reports the highest seen.
struct Sampler {
    pid: u32,
    stop: Arc<AtomicBool>,
    max_kb: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
    before_rss: Option<u64>,
}

impl Sampler {
    fn start(pid: Option<u32>) -> Option<Sampler> {
        let pid = pid?;
        let before_rss = status_kb(pid, "VmRSS:");
        println!(
            "server {pid} before: RSS {}, peak since start {}",
            mb_of_kb(before_rss),
            mb_of_kb(status_kb(pid, "VmHWM:"))
        );
        // The peak from now on (allowed on one's own processes).
        if std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_err() {
            println!("(cannot reset the server's peak: VmHWM below is since the server started)");
        }
        let stop = Arc::new(AtomicBool::new(false));
        let max_kb = Arc::new(AtomicU64::new(before_rss.unwrap_or(0)));
        let (s, m) = (stop.clone(), max_kb.clone());
        let task = tokio::spawn(async move {
            while !s.load(Ordering::Relaxed) {
                if let Some(kb) = status_kb(pid, "VmRSS:") {
                    m.fetch_max(kb, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        Some(Sampler { pid, stop, max_kb, task, before_rss })
    }

    async fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        let after = status_kb(self.pid, "VmRSS:");
        println!(
            "server {} memory: RSS before {}, highest sampled during {}, after {}; peak of the phase (VmHWM) {}",
            self.pid,
            mb_of_kb(self.before_rss),
            mb_of_kb(Some(self.max_kb.load(Ordering::Relaxed))),
            mb_of_kb(after),
            mb_of_kb(status_kb(self.pid, "VmHWM:")),
        );
    }
}

// ---- the HTTP side ---------------------------------------------------------------------------------------------

struct Secretary {
    http: reqwest::Client,
    csrf: String,
    url: String,
}

/// Signs in through the same call as the page load (`loadweb::sign_in`).
async fn sign_in(url: &str, login: &str, password: &str) -> Result<Secretary, CliError> {
    let session = super::sign_in(url, login, password).await?;
    Ok(Secretary { http: session.http, csrf: session.csrf, url: url.to_owned() })
}

const FAMILY: [(&str, &str); 6] = [
    ("Ahmadi", "احمدی"),
    ("Rahimi", "رحیمی"),
    ("Hosseini", "حسینی"),
    ("Karimi", "کریمی"),
    ("Sultani", "سلطانی"),
    ("Noori", "نوری"),
];
const GIVEN: [(&str, &str, &str); 6] = [
    ("Zahra", "زهرا", "female"),
    ("Ali", "علی", "male"),
    ("Maryam", "مریم", "female"),
    ("Hamid", "حمید", "male"),
    ("Fatima", "فاطمه", "female"),
    ("Javad", "جواد", "male"),
];

impl Secretary {
    /// Registers an application; its number.
    async fn register(&self, i: usize) -> Result<String, CliError> {
        let (family, family_original) = FAMILY[i % FAMILY.len()];
        let (given, given_original, sex) = GIVEN[(i / FAMILY.len()) % GIVEN.len()];
        let today = time::OffsetDateTime::now_utc().date();
        let birth = format!("{}-{:02}-{:02}", 1960 + i % 45, 1 + i % 12, 1 + i % 28);
        let body = json!({
            "kind": "asylum", "procedure": "normal", "nationality": "AFG", "language": "prs",
            "family_name": {"latin": family, "original": family_original},
            "given_names": {"latin": given, "original": given_original},
            "birth_date": birth, "sex": sex,
            "introduced_on": format!("{}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day()),
        });
        let r = self
            .http
            .post(format!("{}/api/v1/cases", self.url))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .map_err(err)?;
        let status = r.status();
        let v: Value = r.json().await.map_err(err)?;
        match v["number"].as_str() {
            Some(n) if status.is_success() => Ok(n.to_owned()),
            _ => Err(CliError::Usage(format!("registration refused: {status} {v}"))),
        }
    }

    /// Sends one upload form; the number of documents filed.
    async fn upload(&self, number: &str, form: Form) -> Result<usize, CliError> {
        let r = self
            .http
            .post(format!("{}/api/v1/cases/{number}/documents", self.url))
            .header("x-csrf-token", &self.csrf)
            .multipart(form)
            .send()
            .await
            .map_err(err)?;
        let status = r.status();
        let v: Value = r.json().await.map_err(err)?;
        match v.as_array() {
            Some(docs) if status.is_success() => Ok(docs.len()),
            _ => Err(CliError::Usage(format!("upload refused: {status} {v}"))),
        }
    }

    /// Reads the case back; how many documents it lists.
    async fn read(&self, number: &str) -> Result<usize, CliError> {
        let r = self.http.get(format!("{}/api/v1/cases/{number}", self.url)).send().await.map_err(err)?;
        let status = r.status();
        let v: Value = r.json().await.map_err(err)?;
        if !status.is_success() {
            return Err(CliError::Usage(format!("case {number} not read: {status} {v}")));
        }
        Ok(v["case"]["documents"].as_array().map(Vec::len).unwrap_or(0))
    }
}

fn row(form: Form, i: usize, kind: &str, language: &str, description: &str) -> Form {
    let today = time::OffsetDateTime::now_utc().date();
    form.text(format!("kind_{i}"), kind.to_owned())
        .text(format!("language_{i}"), language.to_owned())
        .text(format!("received_on_{i}"), format!("{}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day()))
        .text(format!("description_{i}"), description.to_owned())
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    let p = |q: f64| {
        let i = ((times.len().saturating_sub(1)) as f64 * q).round() as usize;
        millis(times.get(i).copied().unwrap_or_default())
    };
    (p(0.5), p(0.99), millis(times.last().copied().unwrap_or_default()))
}

// ---- the phases --------------------------------------------------------------------------------------------------

pub async fn run(url: &str, password: &str, args: &DocsArgs) -> Result<(), CliError> {
    let secretary = Arc::new(sign_in(url, &args.secretary, password).await?);
    let concurrency = args.concurrency.max(1);
    let dir = std::env::temp_dir().join(format!("nansen-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = async {
        if args.uploads > 0 {
            uploads(&secretary, args, concurrency, &dir).await?;
        }
        if args.register_with_documents > 0 {
            registrations(&secretary, args, concurrency).await?;
        }
        Ok::<(), CliError>(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    println!("load client peak memory (VmHWM): {}", mb_of_kb(status_kb(std::process::id(), "VmHWM:")));
    result
}

/// Writes the scan for one concurrent slot; its size.
fn write_scan(path: &Path, pages: &[(u32, u32)], seed: u64) -> Result<u64, CliError> {
    let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let len = write_tiff(&mut file, pages, seed)?;
    file.flush()?;
    Ok(len)
}

async fn uploads(secretary: &Arc<Secretary>, args: &DocsArgs, concurrency: usize, dir: &Path) -> Result<(), CliError> {
    let target = (args.upload_mb * MB) as u64;
    let pages = a4_pages(target);
    let slots = concurrency.min(args.uploads);
    let mut files: Vec<(PathBuf, u64)> = Vec::new();
    for k in 0..slots {
        let path = dir.join(format!("scan-{k}.tif"));
        let len = write_scan(&path, &pages, 0x5eed + k as u64)?;
        files.push((path, len));
    }
    let size = files[0].1;
    let dims: Vec<String> = pages.iter().map(|(w, h)| format!("{w}×{h}")).collect();
    println!(
        "{} uploads of a {:.1} MB TIFF scan ({} pages: {}, 8-bit grey, uncompressed), {concurrency} at a time",
        args.uploads,
        size as f64 / MB,
        pages.len(),
        dims.join(", ")
    );
    // A case for each slot, registered before the clock starts.
    let mut cases = Vec::new();
    for k in 0..slots {
        cases.push(secretary.register(10_000 + k).await?);
    }
    let sampler = Sampler::start(args.server_pid);
    let started = Instant::now();
    let per_slot: Vec<usize> = (0..slots).map(|k| (args.uploads + slots - 1 - k) / slots).collect();
    let tasks: Vec<_> = (0..slots)
        .map(|k| {
            let (secretary, case, (path, len)) = (secretary.clone(), cases[k].clone(), files[k].clone());
            let count = per_slot[k];
            tokio::spawn(async move {
                let mut out: Vec<Result<Duration, String>> = Vec::new();
                for j in 0..count {
                    // New content each time: the store keeps one copy of identical files.
                    let stamped = (|| -> std::io::Result<()> {
                        let mut f = std::fs::OpenOptions::new().write(true).open(&path)?;
                        f.seek(SeekFrom::Start(TIFF_STAMP_AT))?;
                        f.write_all(format!("{:016x}", (k as u64) << 32 | j as u64).as_bytes())
                    })();
                    if let Err(e) = stamped {
                        out.push(Err(e.to_string()));
                        continue;
                    }
                    let t = Instant::now();
                    let result = async {
                        let file = tokio::fs::File::open(&path).await.map_err(err)?;
                        let part = Part::stream_with_length(file, len)
                            .file_name("scan.tif")
                            .mime_str("image/tiff")
                            .map_err(err)?;
                        let form = row(Form::new(), 0, "evidence", "prs", "Dossier scanné").part("file_0", part);
                        secretary.upload(&case, form).await
                    }
                    .await;
                    out.push(result.map(|_| t.elapsed()).map_err(|e| e.to_string()));
                }
                out
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        for r in t.await.map_err(err)? {
            match r {
                Ok(d) => times.push(d),
                Err(e) => errors.push(e),
            }
        }
    }
    let elapsed = started.elapsed();
    if let Some(s) = sampler {
        s.finish().await;
    }
    let ok = times.len();
    let (p50, p99, max) = percentiles(times);
    println!(
        "uploads: {ok} filed in {:.1} s: {:.1} MB/s in all; each upload p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms \
         ({:.1} MB/s at the median); errors {}",
        elapsed.as_secs_f64(),
        ok as f64 * size as f64 / MB / elapsed.as_secs_f64(),
        size as f64 / MB / (p50 / 1000.0),
        errors.len()
    );
    if let Some(e) = errors.first() {
        println!("first error: {e}");
    }
    Ok(())
}

async fn registrations(secretary: &Arc<Secretary>, args: &DocsArgs, concurrency: usize) -> Result<(), CliError> {
    let made = Instant::now();
    let docs = Arc::new(typical_file()?);
    let total: usize = docs.iter().map(|d| d.bytes.len()).sum();
    let sizes: Vec<String> = docs.iter().map(|d| format!("{:.2}", d.bytes.len() as f64 / MB)).collect();
    println!(
        "{} registrations with {} documents each ({:.1} MB: {} MB), {concurrency} at a time (files made in {:.1} s)",
        args.register_with_documents,
        docs.len(),
        total as f64 / MB,
        sizes.join(" + "),
        made.elapsed().as_secs_f64()
    );
    let sampler = Sampler::start(args.server_pid);
    let started = Instant::now();
    let seq = Arc::new(AtomicU64::new(0));
    type Timing = (Duration, Duration, Duration, Duration);
    let results: Vec<Result<Timing, String>> = stream::iter(0..args.register_with_documents)
        .map(|i| {
            let (secretary, docs, seq) = (secretary.clone(), docs.clone(), seq.clone());
            async move {
                let t0 = Instant::now();
                let number = secretary.register(i).await.map_err(|e| e.to_string())?;
                let t1 = Instant::now();
                let n = seq.fetch_add(1, Ordering::Relaxed) | (u64::from(std::process::id()) << 32);
                let mut form = Form::new();
                for (k, d) in docs.iter().enumerate() {
                    let mut bytes = d.bytes.clone();
                    stamp(&mut bytes, d.stamp_at, n);
                    let part = Part::bytes(bytes).file_name(d.file_name).mime_str(d.mime).map_err(|e| e.to_string())?;
                    form = row(form, k, d.kind, d.language, d.description).part(format!("file_{k}"), part);
                }
                let filed = secretary.upload(&number, form).await.map_err(|e| e.to_string())?;
                let t2 = Instant::now();
                let listed = secretary.read(&number).await.map_err(|e| e.to_string())?;
                let t3 = Instant::now();
                if filed != docs.len() || listed < docs.len() {
                    return Err(format!("case {number}: {filed} documents filed, {listed} listed"));
                }
                Ok((t1 - t0, t2 - t1, t3 - t2, t3 - t0))
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let elapsed = started.elapsed();
    if let Some(s) = sampler {
        s.finish().await;
    }
    let errors: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let ok: Vec<Timing> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    println!(
        "registrations: {} in {:.1} s ({:.2}/s, {:.1} MB/s of documents); errors {}",
        ok.len(),
        elapsed.as_secs_f64(),
        ok.len() as f64 / elapsed.as_secs_f64(),
        ok.len() as f64 * total as f64 / MB / elapsed.as_secs_f64(),
        errors.len()
    );
    type Phase = (&'static str, fn(&Timing) -> Duration);
    let parts: [Phase; 4] =
        [("register", |t| t.0), ("10 documents", |t| t.1), ("read back", |t| t.2), ("end to end", |t| t.3)];
    for (name, f) in parts {
        let (p50, p99, max) = percentiles(ok.iter().map(f).collect());
        println!("{name:<14} p50 {p50:>7.1} ms  p99 {p99:>7.1} ms  max {max:>7.1} ms");
    }
    if let Some(e) = errors.first() {
        println!("first error: {e}");
    }
    Ok(())
}
