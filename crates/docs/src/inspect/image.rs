//! Image headers: PNG chunks, JPEG segments and TIFF directories, read without decoding pixels.

use std::collections::HashSet;

use super::source::Source;
use super::{Inspection, Limits, MediaType, Refusal};

pub(crate) fn inspect(media_type: MediaType, src: &mut impl Source, limits: &Limits) -> Result<Inspection, Refusal> {
    match media_type {
        MediaType::Png => png(src, limits),
        MediaType::Jpeg => jpeg(src, limits),
        MediaType::Tiff => tiff(src, limits),
        MediaType::Pdf => Err(Refusal::UnknownType),
    }
}

fn be16(b: [u8; 2]) -> u16 {
    u16::from_be_bytes(b)
}

fn be32(b: [u8; 4]) -> u32 {
    u32::from_be_bytes(b)
}

/// PNG: the IHDR chunk first (dimensions and a valid colour type and bit depth), then every chunk's
/// length and type up to IEND, with at least one IDAT. CRCs are not checked.
fn png(src: &mut impl Source, limits: &Limits) -> Result<Inspection, Refusal> {
    let ihdr: [u8; 25] = src.array_at(8)?;
    let (length, kind) = (be32([ihdr[0], ihdr[1], ihdr[2], ihdr[3]]), &ihdr[4..8]);
    if length != 13 || kind != b"IHDR" {
        return Err(Refusal::malformed("PNG: the first chunk is not a header (IHDR)"));
    }
    let width = be32([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
    let height = be32([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
    let (depth, colour, compression, filter, interlace) = (ihdr[16], ihdr[17], ihdr[18], ihdr[19], ihdr[20]);
    if width == 0 || height == 0 || width > i32::MAX as u32 || height > i32::MAX as u32 {
        return Err(Refusal::malformed("PNG: invalid dimensions"));
    }
    let depth_ok = match colour {
        0 => matches!(depth, 1 | 2 | 4 | 8 | 16),
        3 => matches!(depth, 1 | 2 | 4 | 8),
        2 | 4 | 6 => matches!(depth, 8 | 16),
        _ => false,
    };
    if !depth_ok || compression != 0 || filter != 0 || interlace > 1 {
        return Err(Refusal::malformed("PNG: invalid header fields"));
    }
    limits.check_image(width, height)?;

    // Walk the chunks after IHDR (8 signature + 25 IHDR bytes).
    let mut offset: u64 = 33;
    let mut seen_idat = false;
    loop {
        let head: [u8; 8] = src.array_at(offset)?;
        let length = be32([head[0], head[1], head[2], head[3]]);
        let kind = &head[4..8];
        if length > i32::MAX as u32 || !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(Refusal::malformed("PNG: invalid chunk"));
        }
        match kind {
            b"IHDR" => return Err(Refusal::malformed("PNG: a second header chunk")),
            b"IDAT" => seen_idat = true,
            b"IEND" => {
                if !seen_idat {
                    return Err(Refusal::malformed("PNG: no image data"));
                }
                // The 4-byte CRC of IEND must be there.
                src.array_at::<4>(offset + 8)?;
                break;
            }
            _ => {}
        }
        offset = offset + 12 + u64::from(length);
        if offset > src.len() {
            return Err(Refusal::malformed("truncated: the file ends in the middle of its structure"));
        }
    }
    Ok(Inspection {
        media_type: MediaType::Png,
        pages: 1,
        dimensions: Some((width, height)),
        active_content: Vec::new(),
    })
}

/// How far from the end of a JPEG the end-of-image marker is looked for.
const JPEG_TAIL: u64 = 64 * 1024;

/// JPEG: the marker segments up to the start of scan, the frame header (SOF) giving the
/// dimensions, and an end-of-image marker in the last 64 KiB (a truncated file has none).
fn jpeg(src: &mut impl Source, limits: &Limits) -> Result<Inspection, Refusal> {
    let mut offset: u64 = 2;
    let mut frame: Option<(u32, u32)> = None;
    let scan_start = loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        if src.u8_at(offset)? != 0xFF {
            return Err(Refusal::malformed("JPEG: expected a marker"));
        }
        let mut marker = src.u8_at(offset + 1)?;
        offset += 1;
        while marker == 0xFF {
            offset += 1;
            marker = src.u8_at(offset + 1)?;
        }
        offset += 1; // now just after the marker byte
        match marker {
            // Standalone markers: TEM, RSTn.
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 => return Err(Refusal::malformed("JPEG: unexpected start of image")),
            0xD9 => return Err(Refusal::malformed("JPEG: ends before any image data")),
            0x00 => return Err(Refusal::malformed("JPEG: invalid marker")),
            _ => {}
        }
        let length = u64::from(be16(src.array_at(offset)?));
        if length < 2 {
            return Err(Refusal::malformed("JPEG: invalid segment length"));
        }
        match marker {
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                if frame.is_some() {
                    return Err(Refusal::malformed("JPEG: more than one frame header"));
                }
                if length < 8 {
                    return Err(Refusal::malformed("JPEG: frame header too short"));
                }
                let sof: [u8; 6] = src.array_at(offset + 2)?;
                let height = u32::from(be16([sof[1], sof[2]]));
                let width = u32::from(be16([sof[3], sof[4]]));
                let components = sof[5];
                if width == 0 || height == 0 {
                    return Err(Refusal::malformed("JPEG: zero or deferred (DNL) dimensions are not supported"));
                }
                if components == 0 || length != 8 + 3 * u64::from(components) {
                    return Err(Refusal::malformed("JPEG: invalid frame header"));
                }
                limits.check_image(width, height)?;
                frame = Some((width, height));
            }
            0xDA => break offset + length,
            _ => {}
        }
        offset += length;
    };
    let Some((width, height)) = frame else {
        return Err(Refusal::malformed("JPEG: no frame header before the image data"));
    };
    if scan_start > src.len() {
        return Err(Refusal::malformed("truncated: the file ends in the middle of its structure"));
    }
    let tail_start = scan_start.max(src.len().saturating_sub(JPEG_TAIL));
    let tail_len = usize::try_from(src.len() - tail_start).unwrap_or(0);
    let mut tail = vec![0u8; tail_len];
    src.read_at(tail_start, &mut tail)?;
    if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
        return Err(Refusal::malformed("JPEG: no end-of-image marker (truncated?)"));
    }
    Ok(Inspection {
        media_type: MediaType::Jpeg,
        pages: 1,
        dimensions: Some((width, height)),
        active_content: Vec::new(),
    })
}

#[derive(Clone, Copy)]
struct Tiff {
    little: bool,
}

impl Tiff {
    fn u16(self, b: [u8; 2]) -> u16 {
        if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    }

    fn u32(self, b: [u8; 4]) -> u32 {
        if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    }
}

/// One directory entry: tag, type, count, and the 4 bytes holding the value or its offset.
#[derive(Clone, Copy)]
struct Entry {
    kind: u16,
    count: u32,
    value: [u8; 4],
}

impl Entry {
    fn is_integer(&self) -> bool {
        matches!(self.kind, 3 | 4)
    }

    fn width(&self) -> u64 {
        if self.kind == 3 {
            2
        } else {
            4
        }
    }

    /// The `index`-th value of a SHORT or LONG entry, inline or at its offset.
    fn get(&self, t: Tiff, src: &mut impl Source, index: u32) -> Result<u32, Refusal> {
        let size = self.width();
        let inline = u64::from(self.count) * size <= 4;
        let at = u64::from(index) * size;
        let b: [u8; 4] = if inline {
            self.value
        } else {
            let base = u64::from(t.u32(self.value)) + at;
            if size == 2 {
                let b: [u8; 2] = src.array_at(base)?;
                return Ok(u32::from(t.u16(b)));
            }
            src.array_at(base)?
        };
        // Inline: the value sits in the first bytes of the field.
        let i = usize::try_from(at).unwrap_or(usize::MAX);
        Ok(if size == 2 {
            match b.get(i..i + 2) {
                Some(&[x, y]) => u32::from(t.u16([x, y])),
                _ => return Err(Refusal::malformed("TIFF: invalid field")),
            }
        } else {
            t.u32(b)
        })
    }
}

const TAG_WIDTH: u16 = 256;
const TAG_LENGTH: u16 = 257;
const TAG_STRIP_OFFSETS: u16 = 273;
const TAG_STRIP_BYTE_COUNTS: u16 = 279;
const TAG_TILE_OFFSETS: u16 = 324;
const TAG_TILE_BYTE_COUNTS: u16 = 325;

/// TIFF (classic, not BigTIFF): the chain of image file directories (one per page), walked with
/// loop detection and at most `max_pages + 1` directories; each page's width and length; and that
/// every strip or tile the page names lies inside the file (a truncated file does not).
fn tiff(src: &mut impl Source, limits: &Limits) -> Result<Inspection, Refusal> {
    let header: [u8; 8] = src.array_at(0)?;
    let t = Tiff { little: header[0] == b'I' };
    let mut next = u64::from(t.u32([header[4], header[5], header[6], header[7]]));
    let mut visited: HashSet<u64> = HashSet::new();
    let mut pages: u32 = 0;
    let mut largest: Option<(u32, u32)> = None;
    if next == 0 {
        return Err(Refusal::malformed("TIFF: no image directory"));
    }
    // Directories and data tables of a well-formed file do not overlap, so reading more than
    // the file's size (twice, for slack) means a crafted file making us read the same bytes
    // again and again.
    let mut budget = src.len().saturating_mul(2).saturating_add(4096);
    let mut spend = |bytes: u64| -> Result<(), Refusal> {
        budget = budget.checked_sub(bytes).ok_or_else(|| Refusal::malformed("TIFF: overlapping structures"))?;
        Ok(())
    };
    while next != 0 {
        if !visited.insert(next) {
            return Err(Refusal::malformed("TIFF: the directories form a loop"));
        }
        pages += 1;
        if pages > limits.max_pages {
            return Err(Refusal::TooManyPages { pages, limit: limits.max_pages });
        }
        let count = u64::from(t.u16(src.array_at(next)?));
        if count == 0 {
            return Err(Refusal::malformed("TIFF: empty image directory"));
        }
        spend(2 + 12 * count + 4)?;
        let mut width = None;
        let mut length = None;
        let mut data: [Option<Entry>; 4] = [None; 4];
        for i in 0..count {
            let raw: [u8; 12] = src.array_at(next + 2 + 12 * i)?;
            let tag = t.u16([raw[0], raw[1]]);
            let entry = Entry {
                kind: t.u16([raw[2], raw[3]]),
                count: t.u32([raw[4], raw[5], raw[6], raw[7]]),
                value: [raw[8], raw[9], raw[10], raw[11]],
            };
            let slot = match tag {
                TAG_WIDTH => &mut width,
                TAG_LENGTH => &mut length,
                TAG_STRIP_OFFSETS => &mut data[0],
                TAG_STRIP_BYTE_COUNTS => &mut data[1],
                TAG_TILE_OFFSETS => &mut data[2],
                TAG_TILE_BYTE_COUNTS => &mut data[3],
                _ => continue,
            };
            if !entry.is_integer() || entry.count == 0 {
                return Err(Refusal::malformed("TIFF: invalid field"));
            }
            *slot = Some(entry);
        }
        let (Some(width), Some(length)) = (width, length) else {
            return Err(Refusal::malformed("TIFF: a page without width or length"));
        };
        let (width, height) = (width.get(t, src, 0)?, length.get(t, src, 0)?);
        if width == 0 || height == 0 {
            return Err(Refusal::malformed("TIFF: invalid dimensions"));
        }
        limits.check_image(width, height)?;
        if largest.is_none_or(|(w, h)| u64::from(w) * u64::from(h) < u64::from(width) * u64::from(height)) {
            largest = Some((width, height));
        }
        let (offsets, counts) = match data {
            [Some(offsets), Some(counts), _, _] | [_, _, Some(offsets), Some(counts)] => (offsets, counts),
            _ => return Err(Refusal::malformed("TIFF: a page without image data")),
        };
        if offsets.count != counts.count {
            return Err(Refusal::malformed("TIFF: image data offsets and sizes disagree"));
        }
        spend(u64::from(offsets.count) * (offsets.width() + counts.width()))?;
        for i in 0..offsets.count {
            let end = u64::from(offsets.get(t, src, i)?) + u64::from(counts.get(t, src, i)?);
            if end > src.len() {
                return Err(Refusal::malformed("truncated: image data lies past the end of the file"));
            }
        }
        next = u64::from(t.u32(src.array_at(next + 2 + 12 * count)?));
    }
    Ok(Inspection { media_type: MediaType::Tiff, pages, dimensions: largest, active_content: Vec::new() })
}
