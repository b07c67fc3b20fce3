//! Small real files of each type, built in tests (and written out as fuzzing seeds).
#![allow(clippy::unwrap_used)]

use std::io::Write;

use lopdf::{dictionary, Document, Object, Stream};

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

fn png_ihdr(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, adaptive filter, no interlace
    ihdr
}

/// A complete, decodable RGB PNG.
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &png_ihdr(width, height));
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            raw.extend_from_slice(&[(x % 256) as u8, (y % 256) as u8, 128]);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    png_chunk(&mut out, b"IDAT", &z.finish().unwrap());
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A PNG signature and header claiming these dimensions, then a tiny IDAT and IEND.
pub(crate) fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &png_ihdr(width, height));
    png_chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A baseline JPEG from a real encoder.
pub(crate) fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let pixels: Vec<u8> =
        (0..usize::from(width) * usize::from(height)).flat_map(|i| [(i % 251) as u8, 90, 200]).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80).encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

/// An uncompressed 8-bit greyscale TIFF with one page per `(width, height)`.
pub(crate) fn tiff(pages: &[(u32, u32)], little: bool) -> Vec<u8> {
    let u16b = |v: u16| if little { v.to_le_bytes() } else { v.to_be_bytes() };
    let u32b = |v: u32| if little { v.to_le_bytes() } else { v.to_be_bytes() };
    let mut out = Vec::new();
    out.extend_from_slice(if little { b"II" } else { b"MM" });
    out.extend_from_slice(&u16b(42));
    out.extend_from_slice(&u32b(0)); // first IFD offset, patched below
    let mut link_at = 4usize;
    for &(width, height) in pages {
        let data_at = out.len() as u32;
        out.extend((0..width * height).map(|i| (i % 256) as u8));
        if out.len() % 2 == 1 {
            out.push(0);
        }
        let ifd_at = out.len() as u32;
        out[link_at..link_at + 4].copy_from_slice(&u32b(ifd_at));
        // (tag, type, count, value): SHORT = 3, LONG = 4; SHORT values are left-justified.
        let entries: [(u16, u16, u32); 9] = [
            (256, 4, width),
            (257, 4, height),
            (258, 3, 8),
            (259, 3, 1),
            (262, 3, 1),
            (273, 4, data_at),
            (277, 3, 1),
            (278, 4, height),
            (279, 4, width * height),
        ];
        out.extend_from_slice(&u16b(entries.len() as u16));
        for (tag, kind, value) in entries {
            out.extend_from_slice(&u16b(tag));
            out.extend_from_slice(&u16b(kind));
            out.extend_from_slice(&u32b(1));
            if kind == 3 {
                out.extend_from_slice(&u16b(value as u16));
                out.extend_from_slice(&[0, 0]);
            } else {
                out.extend_from_slice(&u32b(value));
            }
        }
        link_at = out.len();
        out.extend_from_slice(&u32b(0));
    }
    out
}

/// A PDF with `pages` pages built with lopdf, each with a compressed content stream, optionally
/// saved with object and cross-reference streams.
pub(crate) fn pdf(pages: u32, object_streams: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids: Vec<Object> = Vec::new();
    for n in 0..pages {
        let text = format!("BT /F1 24 Tf 72 720 Td (Page {n}) Tj ET");
        let mut stream = Stream::new(dictionary! {}, text.into_bytes());
        stream.compress().unwrap();
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => pages as i64,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    if object_streams {
        let options = lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).build();
        doc.save_with_options(&mut out, options).unwrap();
    } else {
        doc.save_to(&mut out).unwrap();
    }
    out
}

/// A hand-written PDF: `objects[i]` is the body of object `i + 1` (between `obj` and `endobj`),
/// followed by a correct cross-reference table and a trailer with `trailer_extra` added.
pub(crate) fn raw_pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
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
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref_at}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Catalog (1), page tree (2) and one page (3), as [`raw_pdf`] objects.
pub(crate) fn raw_one_page() -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
    ]
}

/// A stream object body with these dictionary entries (without `/Length`) and content.
pub(crate) fn stream_object(dict: &str, content: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {dict} /Length {} >>\nstream\n", content.len()).into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(b"\nendstream");
    body
}

/// `len` zero bytes, zlib-compressed, written without holding them in memory.
pub(crate) fn deflated_zeros(len: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        z.write_all(&block[..n]).unwrap();
        left -= n;
    }
    z.finish().unwrap()
}

/// One valid sample of each type and variant, named, for seeding a fuzzing corpus.
pub(crate) fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("png-3x2.png", png(3, 2)),
        ("jpeg-8x8.jpg", jpeg(8, 8)),
        ("jpeg-17x9.jpg", jpeg(17, 9)),
        ("tiff-le-2pages.tif", tiff(&[(4, 3), (2, 2)], true)),
        ("tiff-be-1page.tif", tiff(&[(3, 3)], false)),
        ("pdf-2pages.pdf", pdf(2, false)),
        ("pdf-objstm-3pages.pdf", pdf(3, true)),
        ("pdf-raw-1page.pdf", raw_pdf(&raw_one_page(), "")),
    ]
}
