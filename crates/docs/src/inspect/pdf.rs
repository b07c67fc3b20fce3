//! PDF: loads the document structure with `lopdf` (stream contents dropped, decompression
//! bounded), refuses encrypted documents, and counts the pages by walking the page tree.

use std::collections::HashSet;

use lopdf::xref::XrefRecovery;
use lopdf::{Document, LoadOptions, Object, ObjectId};

use super::{Inspection, Limits, MediaType, Refusal};

/// The most bytes one object stream or cross-reference stream may decompress to (4 MiB); a
/// larger one is refused as malformed. Real ones hold at most a few hundred kilobytes, while a
/// crafted one can expand a thousandfold (a decompression bomb).
pub const PDF_MAX_INFLATED: usize = 4 * 1024 * 1024;

/// How far from the end the `%%EOF` marker is looked for.
const EOF_TAIL: usize = 1024;

/// Longest error detail passed on from `lopdf`.
const MAX_DETAIL: usize = 160;

pub(crate) fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspection, Refusal> {
    let tail = bytes.get(bytes.len().saturating_sub(EOF_TAIL)..).unwrap_or_default();
    if find(tail, b"%%EOF").is_none() {
        return Err(Refusal::malformed("PDF: no %%EOF marker at the end (truncated?)"));
    }
    let document = load(bytes, false)?;
    match count_pages(&document, limits) {
        // Lenient loading rebuilds a damaged cross-reference table by itself only when no
        // filter is given; do it here, once.
        Err(Refusal::Malformed { .. }) if document.xref_recovery != Some(XrefRecovery::Reconstructed) => {
            match load(bytes, true) {
                Ok(rebuilt) => count_pages(&rebuilt, limits),
                Err(_) => count_pages(&document, limits),
            }
        }
        counted => counted,
    }
    .map(|pages| Inspection { media_type: MediaType::Pdf, pages, dimensions: None })
}

fn load(bytes: &[u8], force_reconstruct: bool) -> Result<Document, Refusal> {
    let options = LoadOptions {
        filter: Some(prune),
        max_decompressed_size: Some(PDF_MAX_INFLATED),
        force_reconstruct,
        ..LoadOptions::default()
    };
    match Document::load_mem_with_options(bytes, options) {
        Ok(document) if document.trailer.has(b"Encrypt") || document.encryption_state.is_some() => {
            Err(Refusal::Encrypted)
        }
        Ok(document) => Ok(document),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => Err(Refusal::malformed(
            format!("PDF: a compressed object stream expands beyond {} MiB", PDF_MAX_INFLATED >> 20),
        )),
        // An encryption dictionary lopdf could not handle.
        Err(_) if find(bytes, b"/Encrypt").is_some() => Err(Refusal::Encrypted),
        Err(error) => {
            let mut detail = format!("PDF: {error}");
            if detail.len() > MAX_DETAIL {
                let mut end = MAX_DETAIL;
                while !detail.is_char_boundary(end) {
                    end -= 1;
                }
                detail.truncate(end);
                detail.push('…');
            }
            Err(Refusal::malformed(detail))
        }
    }
}

/// Shrinks each object as soon as lopdf has parsed it to what counting pages needs, so that what
/// stays in memory is a skeleton of the document:
/// - a stream, except an object stream, is replaced by its dictionary (page contents, images and
///   fonts are dropped);
/// - an object stream whose index is not sane (see [`object_stream_is_sane`]) is dropped, so that
///   lopdf never parses it (its objects are then missing, and the document is refused);
/// - dictionaries keep only the keys of the page tree and of stream decoding; arrays keep only
///   their first [`MAX_KIDS`] references; strings are emptied.
///
/// lopdf keeps the object as changed in place for objects at the top level of the file, but the
/// returned one for objects inside object streams, so do both.
fn prune(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let pruned = match std::mem::replace(object, Object::Null) {
        Object::Stream(stream) if stream.dict.has_type(b"ObjStm") => {
            if object_stream_is_sane(&stream) {
                Object::Stream(stream)
            } else {
                Object::Null
            }
        }
        other => prune_value(other),
    };
    *object = pruned;
    Some((id, object.clone()))
}

/// The most references kept from one array (a page tree node's `/Kids`).
const MAX_KIDS: usize = 65_536;

/// Dictionary keys kept by [`prune`].
const KEPT_KEYS: [&[u8]; 10] =
    [b"Type", b"Kids", b"Count", b"Pages", b"Parent", b"Length", b"N", b"First", b"Filter", b"Extends"];

fn prune_value(object: Object) -> Object {
    match object {
        Object::Dictionary(dict) => {
            let mut kept = lopdf::Dictionary::new();
            for (key, value) in dict.into_iter() {
                if KEPT_KEYS.contains(&key.as_slice()) {
                    kept.set(key, prune_value(value));
                }
            }
            Object::Dictionary(kept)
        }
        Object::Array(items) => Object::Array(
            items
                .into_iter()
                .filter(|item| matches!(item, Object::Reference(_) | Object::Name(_)))
                .take(MAX_KIDS)
                .collect(),
        ),
        Object::String(_, format) => Object::String(Vec::new(), format),
        Object::Stream(stream) => prune_value(Object::Dictionary(stream.dict)),
        other => other,
    }
}

/// Whether an object stream can be handed to lopdf: it decompresses within [`PDF_MAX_INFLATED`]
/// (if not, it is left for lopdf to refuse as a bomb), its index lists at most
/// [`MAX_OBJECTS_PER_STREAM`] objects at strictly increasing offsets (as the PDF standard
/// requires), and each object ends before the next one starts.
///
/// lopdf parses each object from its offset to wherever the object ends; without these checks, a
/// few kilobytes of index pointing many times into one large array would make it parse that array
/// over and over (time and memory quadratic in the stream's size).
fn object_stream_is_sane(stream: &lopdf::Stream) -> bool {
    let Ok(content) = stream.get_plain_content_with_limit(PDF_MAX_INFLATED) else {
        return true;
    };
    let Some(first) = stream.dict.get(b"First").ok().and_then(|first| first.as_i64().ok()) else {
        return false;
    };
    let Some(index) = usize::try_from(first).ok().and_then(|first| content.get(..first)) else {
        return false;
    };
    let Ok(index) = std::str::from_utf8(index) else {
        return false;
    };
    let numbers: Option<Vec<usize>> = index.split_ascii_whitespace().map(|n| n.parse::<usize>().ok()).collect();
    let Some(numbers) = numbers else {
        return false;
    };
    if numbers.len() % 2 != 0 || numbers.len() / 2 > MAX_OBJECTS_PER_STREAM {
        return false;
    }
    let Ok(first) = usize::try_from(first) else {
        return false;
    };
    let offsets: Vec<usize> = numbers.iter().skip(1).step_by(2).map(|offset| first.saturating_add(*offset)).collect();
    offsets.windows(2).all(|pair| pair[0] < pair[1])
        && offsets.iter().enumerate().all(|(i, &start)| {
            let end = offsets.get(i + 1).copied().unwrap_or(content.len());
            start < end && content.get(..end).is_some_and(|bytes| object_end(bytes, start).is_some())
        })
}

/// The most objects one object stream may hold (writers put 100 to a few hundred).
const MAX_OBJECTS_PER_STREAM: usize = 100_000;

fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'/' | b'%')
}

/// Where the direct object starting at `start` ends, if it ends within `bytes`: a lexical scan
/// (strings, comments, nesting of arrays and dictionaries), not a parse.
fn object_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        // White space and comments.
        loop {
            match bytes.get(i)? {
                b if is_white(*b) => i += 1,
                b'%' => {
                    while !matches!(bytes.get(i)?, b'\r' | b'\n') {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        match (bytes.get(i)?, bytes.get(i + 1)) {
            (b'(', _) => {
                let mut nesting = 0usize;
                loop {
                    match bytes.get(i)? {
                        b'\\' => i += 1,
                        b'(' => nesting += 1,
                        b')' => {
                            nesting -= 1;
                            if nesting == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            (b'<', Some(b'<')) | (b'[', _) => {
                depth += 1;
                i += if bytes.get(i)? == &b'[' { 1 } else { 2 };
            }
            (b'>', Some(b'>')) | (b']', _) => {
                depth = depth.checked_sub(1)?;
                i += if bytes.get(i)? == &b']' { 1 } else { 2 };
            }
            (b'<', _) => {
                while bytes.get(i)? != &b'>' {
                    i += 1;
                }
                i += 1;
            }
            (b')' | b'>', _) => return None,
            _ => {
                i += 1;
                while bytes.get(i).is_some_and(|b| !is_white(*b) && !is_delimiter(*b)) {
                    i += 1;
                }
            }
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

/// Counts the leaves of the page tree, each node once (a node met again, as in a loop, is
/// skipped), and stops as soon as there are more than `max_pages`.
fn count_pages(document: &Document, limits: &Limits) -> Result<u32, Refusal> {
    let root = document
        .catalog()
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| Refusal::malformed("PDF: no catalog or page tree"))?;
    let mut stack: Vec<ObjectId> = vec![root];
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut pages: u32 = 0;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Ok(node) = document.get_dictionary(id) else {
            continue;
        };
        match node.get(b"Kids").and_then(|kids| document.dereference(kids)) {
            Ok((_, Object::Array(kids))) => {
                // Reversed so that pages are met in order (not needed to count, but cheap).
                stack.extend(kids.iter().rev().filter_map(|kid| kid.as_reference().ok()));
            }
            _ if node.has_type(b"Pages") => {}
            _ => {
                pages += 1;
                if pages > limits.max_pages {
                    let declared = document
                        .get_dictionary(root)
                        .and_then(|root| root.get(b"Count"))
                        .and_then(Object::as_i64)
                        .ok()
                        .and_then(|count| u32::try_from(count).ok())
                        .unwrap_or(0);
                    return Err(Refusal::TooManyPages { pages: pages.max(declared), limit: limits.max_pages });
                }
            }
        }
    }
    if pages == 0 {
        return Err(Refusal::malformed("PDF: no pages"));
    }
    Ok(pages)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
