//! PDF: loads the document structure with `lopdf` (stream contents dropped, decompression
//! bounded), refuses encrypted documents, counts the pages by walking the page tree (refusing a
//! tree that loops), and finds active content ([`Active`]): what a desktop reader would run or
//! open by itself. [`without_active_content`] writes a copy without it.

use std::collections::{BTreeSet, HashSet};

use lopdf::xref::XrefRecovery;
use lopdf::{Document, LoadOptions, Object, ObjectId};

use super::{Active, Inspection, Limits, MediaType, Refusal};

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
    let counted = |document: &Document| {
        count_pages(document, limits).map(|pages| Inspection {
            media_type: MediaType::Pdf,
            pages,
            dimensions: None,
            active_content: active_content(document),
        })
    };
    match counted(&document) {
        // Lenient loading rebuilds a damaged cross-reference table by itself only when no
        // filter is given; do it here, once.
        Err(Refusal::Malformed { .. }) if document.xref_recovery != Some(XrefRecovery::Reconstructed) => {
            match load(bytes, true) {
                Ok(rebuilt) => counted(&rebuilt),
                Err(_) => counted(&document),
            }
        }
        counted => counted,
    }
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

/// Shrinks each object as soon as lopdf has parsed it to what counting pages and finding active
/// content need, so that what stays in memory is a skeleton of the document:
/// - a stream, except an object stream, is replaced by its dictionary (page contents, images and
///   fonts are dropped);
/// - an object stream whose index is not sane (see [`object_stream_is_sane`]) is dropped, so that
///   lopdf never parses it (its objects are then missing, and the document is refused);
/// - dictionaries keep only the keys of the page tree, of stream decoding, the action type `/S`,
///   the keys of active content (as a bare marker, see [`ACTIVE_KEYS`]) and any other entry whose
///   value holds such a marker; arrays keep only their first [`MAX_KIDS`] references and names,
///   and the values holding a marker; strings are emptied.
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

/// Keys that make a dictionary active content, kept by [`prune`] with a null value.
const ACTIVE_KEYS: [&[u8]; 7] = [b"JS", b"JavaScript", b"OpenAction", b"AA", b"EmbeddedFiles", b"EF", b"XFA"];

fn prune_value(object: Object) -> Object {
    match object {
        Object::Dictionary(dict) => {
            let mut kept = lopdf::Dictionary::new();
            for (key, value) in dict.into_iter() {
                // Actions keep what they are (a go-to on opening is not active; a script is).
                let action = matches!(key.as_slice(), b"OpenAction" | b"AA");
                if ACTIVE_KEYS.contains(&key.as_slice()) && !action {
                    kept.set(key, Object::Null);
                } else if KEPT_KEYS.contains(&key.as_slice())
                    || action
                    || (key.as_slice() == b"S" && matches!(value, Object::Name(_)))
                {
                    kept.set(key, prune_value(value));
                } else {
                    let value = prune_value(value);
                    if holds_active(&value) {
                        kept.set(key, value);
                    }
                }
            }
            Object::Dictionary(kept)
        }
        Object::Array(items) => Object::Array(
            items
                .into_iter()
                .filter_map(|item| match item {
                    Object::Reference(_) | Object::Name(_) => Some(item),
                    Object::Dictionary(_) | Object::Array(_) => Some(prune_value(item)).filter(holds_active),
                    _ => None,
                })
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

/// Whether a pruned value holds a marker of active content, directly or inside.
fn holds_active(object: &Object) -> bool {
    match object {
        Object::Dictionary(dict) => dict.iter().any(|(key, value)| {
            ACTIVE_KEYS.contains(&key.as_slice()) || is_active_action(key, value) || holds_active(value)
        }),
        Object::Array(items) => items.iter().any(holds_active),
        _ => false,
    }
}

/// `/S /JavaScript` or `/S /Launch`: an action that runs a script or a program.
fn is_active_action(key: &[u8], value: &Object) -> bool {
    key == b"S" && matches!(value, Object::Name(name) if name == b"JavaScript" || name == b"Launch")
}

/// The active content of a (pruned) document: every object is looked at, wherever it hangs, since
/// a reader may reach it from the catalog, a page, an annotation or a form field.
fn active_content(document: &Document) -> Vec<Active> {
    let mut found = BTreeSet::new();
    for object in document.objects.values() {
        collect_active(document, object, &mut found, 0);
    }
    found.into_iter().collect()
}

/// How deep [`collect_active`] follows nested direct objects (real ones nest a few levels).
const MAX_DEPTH: usize = 64;

fn collect_active(document: &Document, object: &Object, found: &mut BTreeSet<Active>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &stream.dict,
        Object::Array(items) => {
            for item in items {
                collect_active(document, item, found, depth + 1);
            }
            return;
        }
        _ => return,
    };
    for (key, value) in dict.iter() {
        match key.as_slice() {
            b"JS" | b"JavaScript" => {
                found.insert(Active::JavaScript);
            }
            b"AA" => {
                found.insert(Active::AdditionalActions);
            }
            b"EmbeddedFiles" | b"EF" => {
                found.insert(Active::EmbeddedFiles);
            }
            b"XFA" => {
                found.insert(Active::Xfa);
            }
            // Opening at a page (a destination, or a go-to action) is what most scanners write;
            // any other action on opening is active.
            b"OpenAction" => {
                let action = match value {
                    Object::Reference(id) => document.get_object(*id).ok(),
                    other => Some(other),
                };
                if let Some(Object::Dictionary(action)) = action {
                    let go_to = action.get(b"S").is_ok_and(|s| matches!(s, Object::Name(n) if n == b"GoTo"));
                    if !go_to {
                        found.insert(Active::OpenAction);
                    }
                }
            }
            b"S" if is_active_action(key, value) => {
                found.insert(if matches!(value, Object::Name(n) if n == b"Launch") {
                    Active::Launch
                } else {
                    Active::JavaScript
                });
            }
            _ => {}
        }
        collect_active(document, value, found, depth + 1);
    }
}

/// A copy of a PDF without its active content, for agents to open: scripts, actions on opening
/// and on events, launch actions, embedded files and XFA forms are removed, the rest (pages,
/// images, text, links to pages) is kept. The whole document is loaded (streams included, each
/// bounded to [`PDF_MAX_INFLATED`] once decompressed) and written again.
pub fn without_active_content(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    let options = LoadOptions { max_decompressed_size: Some(PDF_MAX_INFLATED), ..LoadOptions::default() };
    let mut document =
        Document::load_mem_with_options(bytes, options).map_err(|error| Refusal::malformed(format!("PDF: {error}")))?;
    if document.trailer.has(b"Encrypt") || document.encryption_state.is_some() {
        return Err(Refusal::Encrypted);
    }
    let ids: Vec<ObjectId> = document.objects.keys().copied().collect();
    for id in ids {
        if let Some(object) = document.objects.get_mut(&id) {
            if is_active_object(object) {
                // Whatever points to it now points to nothing, which readers treat as absent.
                *object = Object::Null;
            } else {
                strip(object, 0);
            }
        }
    }
    // Embedded files and scripts no longer referenced are left out of the copy.
    document.prune_objects();
    let mut out = Vec::with_capacity(bytes.len());
    document.save_to(&mut out).map_err(|error| Refusal::Io { detail: format!("PDF: {error}") })?;
    Ok(out)
}

/// A dictionary that is itself a script or launch action.
fn is_active_object(object: &Object) -> bool {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &stream.dict,
        _ => return false,
    };
    dict.iter().any(|(key, value)| is_active_action(key, value))
}

fn strip(object: &mut Object, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &mut stream.dict,
        Object::Array(items) => {
            items.retain(|item| !is_active_object(item));
            for item in items {
                strip(item, depth + 1);
            }
            return;
        }
        _ => return,
    };
    for key in ACTIVE_KEYS {
        dict.remove(key);
    }
    let active: Vec<Vec<u8>> =
        dict.iter().filter(|(_, value)| is_active_object(value)).map(|(key, _)| key.clone()).collect();
    for key in active {
        dict.remove(&key);
    }
    for (_, value) in dict.iter_mut() {
        strip(value, depth + 1);
    }
}

/// Counts the leaves of the page tree and stops as soon as there are more than `max_pages`. A
/// node met twice (a loop, or a page hung in two places) makes the tree malformed: readers differ
/// on what such a document shows, or never finish showing it.
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
            return Err(Refusal::malformed("PDF: the page tree loops (a node is reached twice)"));
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
