//! Recognises interview audio recordings by their content, never by their name.
//!
//! [`inspect_audio`] decides from the bytes alone whether an upload is a WAV, MP3, Ogg
//! (Opus, Vorbis or FLAC) or M4A recording, and reports its duration, channels, sample
//! rate and codec. Anything else is refused with an [`AudioRefusal`], whose
//! [`code`](AudioRefusal::code) is stable for programs and whose `Display` is a sentence
//! for a clerk. [`sniff_audio`] is a cheap hint from the first bytes only;
//! `inspect_audio` is the authority.
//!
//! # Reading discipline
//! Only headers are read, by seeking: a 64-byte head, small header reads, and at most
//! two 64 KiB windows (Ogg: first and last page; MP3: the first frames after an ID3 tag;
//! fragmented MP4: the last `trun`). Memory never grows with the file. Every size field taken from the file is
//! bounded by `len` (or by its enclosing chunk or box) before use, all arithmetic on
//! file values is checked or saturating, the number of RIFF chunks / MP4 boxes visited
//! is capped, and no input makes this module panic. The last byte is read once to confirm
//! that the reader really holds `len` bytes; an I/O error, or a reader shorter than the
//! `len` it was announced with, is reported as [`AudioRefusal::Truncated`].
//!
//! # Decisions
//! - **Empty files** are [`AudioRefusal::NotAudio`]; files under 12 bytes are
//!   `Truncated` when they begin with at least three bytes of a supported signature
//!   (`RIF`, `RF6`, `Ogg`, `ID3`, an MPEG layer III sync, `fty` at offset 4), else
//!   `NotAudio`.
//! - **WAV** accepts codec PCM (1), IEEE float (3), A-law (6) and µ-law (7), directly or as
//!   `WAVE_FORMAT_EXTENSIBLE` with one of those sub-formats; other codecs are
//!   `Unsupported`. **RF64 / BW64** (the 64-bit WAV variants written by broadcast
//!   recorders for files over 4 GiB) are accepted through their `ds64` chunk. `RIFF` forms
//!   other than `WAVE` (e.g. `AVI `) are `NotAudio`. A chunk walk that reaches the end of
//!   the file before both `fmt ` and `data` were seen is `Truncated`.
//! - **Huge WAV data chunk**: a `data` size of `0xFFFFFFFF` in a plain RIFF file is the
//!   "length unknown" value that streaming writers (e.g. ffmpeg writing to a pipe) leave
//!   behind, so the data is taken to run to the end of the file and the duration is
//!   bounded by the bytes really present. Any *other* data size larger than the rest of
//!   the file is `Truncated`.
//! - **MP3**: only MPEG-1/2/2.5 layer III; layer I/II is `Unsupported`. Up to eight
//!   consecutive ID3v2 tags are skipped. Without an ID3 tag the first frame must start at
//!   byte 0 and one further matching frame header must follow; after an ID3 tag up to
//!   64 KiB are scanned for the first frame (zero padding allowed; after other junk two
//!   further matching frames are required). Duration: Xing/Info frame count (less the
//!   LAME/Lavc encoder delay and padding when that tag is present), else VBRI, else a CBR
//!   estimate from the bytes after the first frame start (less a trailing ID3v1 tag).
//!   When the Xing/VBRI header gives the stream's byte count (LAME and ffmpeg count from
//!   the first frame, tags excluded) and the file holds fewer bytes, it is `Truncated`;
//!   without such a header a cut in the middle of MP3 audio cannot be detected and the
//!   duration is that of what is present.
//! - **Ogg CRC**: the first page's CRC is verified (`NotAudio` on mismatch); candidate last
//!   pages are verified too, so a stray `OggS` inside packet data is never taken for a
//!   page. A final page cut off by the end of the file is `Truncated`. All beginning-of-
//!   stream pages are examined: any video stream (Theora, Daala, Dirac, VP8, OGM video) is
//!   `Unsupported("video")`; FLAC in Ogg is accepted (codec `"flac"`); Speex and other
//!   codecs are `Unsupported`. In a multiplexed file the first audio stream is measured;
//!   a chained file (a page near the end belongs to a stream that did not begin with the
//!   file, i.e. several recordings joined) is `Unsupported`, since its duration would be
//!   that of the last chain only. For Opus, `sample_rate` reports the original input
//!   sample rate from `OpusHead` (48000 when it is 0); the duration always uses 48 kHz.
//! - **QuickTime**: an `ftyp` whose major brand is `qt  ` and which lists none of the
//!   accepted brands is `Unsupported("QuickTime movie")`: such files are nearly always
//!   video and would be served with the wrong type. HEIF/AVIF/JPEG 2000 image brands are
//!   `NotAudio`; 3GPP and other brands are `Unsupported`. An MP4 with no `moov` box (a
//!   recording interrupted before it was finalised) is `Truncated`; one without a sound
//!   track is `NotAudio`; one with any `vide` track is `Unsupported("video")`.
//! - **Fragmented MP4** (DASH, browser recorders): the duration comes from `mvhd`, else
//!   `mvex/mehd`, else the end of the last `moof` (its `tfdt` plus its `trun` sample
//!   durations) for the sound track, else the track's `mdhd`. AAC channel counts come
//!   from the `esds` AudioSpecificConfig, since sample entries usually just say 2.
//! - **Unknown duration**: when a file gives no duration at all, `duration_ms` is `None`
//!   and `max_ms` is not applied. A known duration greater than `max_ms` is
//!   [`AudioRefusal::TooLong`]. Durations are rounded down to whole milliseconds.
//! - Well-known audio formats that are not accepted (FLAC, AIFF, WebM/Matroska, WMA, AMR,
//!   CAF, AU, raw AAC) are `Unsupported` with their name, so the clerk can ask for a
//!   conversion rather than being told the file is not audio.

use std::fmt;
use std::io::{Read, Seek, SeekFrom};

/// Largest single read, in bytes.
const WINDOW: usize = 64 * 1024;
/// Bytes read first to decide the container.
const HEAD_LEN: usize = 64;
/// Cap on RIFF chunks or nested MP4 boxes visited in one inspection.
const MAX_STRUCTS: u32 = 2048;
/// Cap on top-level MP4 boxes (a fragmented recording has two per fragment); each costs
/// one small header read and no memory.
const MAX_TOP_BOXES: u32 = 1 << 18;
/// Largest Ogg page: 27-byte header, 255 lacing values, 255 × 255 body bytes.
const OGG_MAX_PAGE: usize = 27 + 255 + 255 * 255;
// A whole page always fits in one window, so the last complete page is always found.
const _: () = assert!(OGG_MAX_PAGE <= WINDOW);

/// An accepted recording format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudioFormat {
    Wav,
    Mp3,
    Ogg,
    M4a,
}

impl AudioFormat {
    pub const ALL: [AudioFormat; 4] = [AudioFormat::Wav, AudioFormat::Mp3, AudioFormat::Ogg, AudioFormat::M4a];

    /// The MIME type to serve the recording with.
    pub fn as_mime(&self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::M4a => "audio/mp4",
        }
    }

    /// The file extension to store the recording under (Opus is stored as `ogg`).
    pub fn extension(&self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Ogg => "ogg",
            AudioFormat::M4a => "m4a",
        }
    }

    /// A short stable name: `"wav"`, `"mp3"`, `"ogg"` or `"m4a"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Ogg => "ogg",
            AudioFormat::M4a => "m4a",
        }
    }
}

/// What [`inspect_audio`] learnt about an accepted recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioInfo {
    pub format: AudioFormat,
    /// Duration in milliseconds, rounded down; `None` only when the file does not say.
    pub duration_ms: Option<u64>,
    pub channels: Option<u16>,
    pub sample_rate: Option<u32>,
    /// `"pcm"`, `"float"`, `"alaw"`, `"mulaw"`, `"mp3"`, `"opus"`, `"vorbis"`, `"flac"`,
    /// `"aac"`, `"alac"`, `"ac3"`, `"eac3"`, `"amr"`, `"unknown"`.
    pub codec: &'static str,
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioRefusal {
    /// Not a WAV, MP3, Ogg or M4A recording at all.
    NotAudio,
    /// Starts like a recording but ends too early, or a size in it runs past the end.
    Truncated,
    /// A recognised file that is not accepted; the text names it for a person
    /// (`"video"` for any file that contains video).
    Unsupported(String),
    /// Longer than the allowed maximum.
    TooLong { max_ms: u64 },
}

impl AudioRefusal {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AudioRefusal::NotAudio => "not_audio",
            AudioRefusal::Truncated => "truncated",
            AudioRefusal::Unsupported(_) => "unsupported",
            AudioRefusal::TooLong { .. } => "too_long",
        }
    }
}

impl fmt::Display for AudioRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AudioRefusal::NotAudio => f.write_str("this file is not a WAV, MP3, Ogg or M4A recording"),
            AudioRefusal::Truncated => f.write_str(
                "this recording is incomplete or damaged: the file ends before its own headers say it should",
            ),
            AudioRefusal::Unsupported(what) if what == "video" => {
                f.write_str("this file contains video; only audio recordings (WAV, MP3, Ogg or M4A) are accepted")
            }
            AudioRefusal::Unsupported(what) => write!(
                f,
                "this recording is in a format that is not accepted: {what}; please supply it as WAV, MP3, Ogg or M4A"
            ),
            AudioRefusal::TooLong { max_ms } => {
                write!(f, "this recording is longer than the maximum allowed length of {}", human_duration(*max_ms))
            }
        }
    }
}

impl std::error::Error for AudioRefusal {}

/// `5400000` → `"1 h 30 min"`, `1500` → `"1.5 s"`.
fn human_duration(ms: u64) -> String {
    let secs = ms / 1000;
    let (h, m, s, frac) = (secs / 3600, secs % 3600 / 60, secs % 60, ms % 1000);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if frac > 0 {
        let f = format!("{frac:03}");
        parts.push(format!("{s}.{} s", f.trim_end_matches('0')));
    } else if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

/// Inspects a recording of `len` bytes and accepts it only if its content is a WAV, MP3,
/// Ogg or M4A recording no longer than `max_ms` (when its duration is known).
///
/// Reads headers only, by seeking; see the module documentation for the limits.
pub fn inspect_audio<R: Read + Seek>(r: &mut R, len: u64, max_ms: u64) -> Result<AudioInfo, AudioRefusal> {
    let mut src = Src { r, len };
    let head = src.window(0, HEAD_LEN)?;
    if head.is_empty() {
        return Err(AudioRefusal::NotAudio);
    }
    if head.len() < 12 {
        return Err(if starts_like_audio(&head) { AudioRefusal::Truncated } else { AudioRefusal::NotAudio });
    }
    // Confirm that the reader really holds `len` bytes: one byte at the end.
    src.array::<1>(len.saturating_sub(1))?;
    let info = match container(&head) {
        Some(Container::Riff) => inspect_wav(&mut src, &head)?,
        Some(Container::Mpeg) => inspect_mp3(&mut src)?,
        Some(Container::Ogg) => inspect_ogg(&mut src)?,
        Some(Container::Mp4) => inspect_mp4(&mut src, &head)?,
        None => {
            return Err(match known_unsupported(&head) {
                Some(what) => AudioRefusal::Unsupported(what.to_string()),
                None => AudioRefusal::NotAudio,
            });
        }
    };
    match info.duration_ms {
        Some(d) if d > max_ms => Err(AudioRefusal::TooLong { max_ms }),
        _ => Ok(info),
    }
}

/// Guesses the format from the first bytes of a file (12 or more; 64 lets it rule out
/// more). ID3v2 counts as MP3, and so does a bare layer III frame header. This is a hint:
/// it cannot tell an audio-only MP4 from a video, nor see a second MP3 frame; only
/// [`inspect_audio`] accepts a file.
pub fn sniff_audio(head: &[u8]) -> Option<AudioFormat> {
    match container(head)? {
        Container::Riff => Some(AudioFormat::Wav),
        Container::Mpeg => Some(AudioFormat::Mp3),
        Container::Ogg => {
            // The BOS flag must be set; if the first packet is visible it must not be video.
            if head.get(5).is_some_and(|f| f & 0x02 == 0) {
                return None;
            }
            let packet = head.get(26).and_then(|&nsegs| head.get(27 + usize::from(nsegs)..));
            if packet.is_some_and(|pkt| pkt.len() >= 8 && is_ogg_video(pkt)) {
                return None;
            }
            Some(AudioFormat::Ogg)
        }
        Container::Mp4 => {
            let size = be32(head, 0).map_or(head.len(), |s| usize::try_from(s).unwrap_or(usize::MAX));
            let body = head.get(8..size.min(head.len()))?;
            match mp4_brands(body)? {
                Brands::Audio => Some(AudioFormat::M4a),
                _ => None,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading helpers
// ---------------------------------------------------------------------------------------

/// A reader with its announced length; every read is checked against it.
struct Src<'a, R> {
    r: &'a mut R,
    len: u64,
}

impl<R: Read + Seek> Src<'_, R> {
    fn read_at(&mut self, off: u64, buf: &mut [u8]) -> Result<(), AudioRefusal> {
        let end = off.checked_add(buf.len() as u64).ok_or(AudioRefusal::Truncated)?;
        if end > self.len {
            return Err(AudioRefusal::Truncated);
        }
        self.r.seek(SeekFrom::Start(off)).map_err(|_| AudioRefusal::Truncated)?;
        self.r.read_exact(buf).map_err(|_| AudioRefusal::Truncated)
    }

    fn array<const N: usize>(&mut self, off: u64) -> Result<[u8; N], AudioRefusal> {
        let mut b = [0u8; N];
        self.read_at(off, &mut b)?;
        Ok(b)
    }

    /// Up to `max` bytes from `off`, fewer near the end of the file.
    fn window(&mut self, off: u64, max: usize) -> Result<Vec<u8>, AudioRefusal> {
        let avail = self.len.saturating_sub(off);
        let n = usize::try_from(avail).map_or(max, |a| a.min(max));
        let mut v = vec![0u8; n];
        self.read_at(off, &mut v)?;
        Ok(v)
    }
}

fn bytes<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}
fn le16(b: &[u8], at: usize) -> Option<u16> {
    bytes(b, at).map(u16::from_le_bytes)
}
fn le32(b: &[u8], at: usize) -> Option<u32> {
    bytes(b, at).map(u32::from_le_bytes)
}
fn le64(b: &[u8], at: usize) -> Option<u64> {
    bytes(b, at).map(u64::from_le_bytes)
}
fn be16(b: &[u8], at: usize) -> Option<u16> {
    bytes(b, at).map(u16::from_be_bytes)
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    bytes(b, at).map(u32::from_be_bytes)
}
fn be64(b: &[u8], at: usize) -> Option<u64> {
    bytes(b, at).map(u64::from_be_bytes)
}

/// `count` units at `rate` units per second, in whole milliseconds (saturating).
fn ms_of(count: u64, rate: u64) -> Option<u64> {
    if rate == 0 {
        return None;
    }
    let ms = u128::from(count) * 1000 / u128::from(rate);
    Some(u64::try_from(ms).unwrap_or(u64::MAX))
}

fn to_u16(v: u64) -> Option<u16> {
    u16::try_from(v).ok().filter(|&c| c > 0)
}

// ---------------------------------------------------------------------------------------
// Container detection
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Riff,
    Mpeg,
    Ogg,
    Mp4,
}

fn has_tag(h: &[u8], at: usize, tag: &[u8; 4]) -> bool {
    bytes::<4>(h, at).is_some_and(|b| &b == tag)
}

fn container(h: &[u8]) -> Option<Container> {
    if (has_tag(h, 0, b"RIFF") || has_tag(h, 0, b"RF64") || has_tag(h, 0, b"BW64")) && has_tag(h, 8, b"WAVE") {
        return Some(Container::Riff);
    }
    if id3_len(h).is_some() || bytes::<4>(h, 0).and_then(mpeg_header).is_some() {
        return Some(Container::Mpeg);
    }
    if has_tag(h, 0, b"OggS") && h.get(4) == Some(&0) {
        return Some(Container::Ogg);
    }
    if has_tag(h, 4, b"ftyp") {
        return Some(Container::Mp4);
    }
    None
}

/// For files under 12 bytes: do they begin with enough of a supported signature?
fn starts_like_audio(h: &[u8]) -> bool {
    let prefix = |magic: &[u8], at: usize| {
        let have = h.get(at..).unwrap_or(&[]);
        let n = have.len().min(magic.len());
        n >= 3 && have.get(..n) == magic.get(..n)
    };
    let mpeg = match h {
        [0xFF, b1, rest @ ..] => {
            let version_ok = (b1 >> 3) & 3 != 1;
            let layer3 = b1 & 0xE6 == 0xE2;
            let b2_ok = rest.first().is_none_or(|b2| !matches!(b2 >> 4, 0 | 15) && (b2 >> 2) & 3 != 3);
            version_ok && layer3 && b2_ok
        }
        _ => false,
    };
    mpeg || prefix(b"RIFF", 0)
        || prefix(b"RF64", 0)
        || prefix(b"BW64", 0)
        || prefix(b"OggS", 0)
        || prefix(b"ID3", 0)
        || prefix(b"ftyp", 4)
}

/// Names well-known audio formats that are not accepted.
fn known_unsupported(h: &[u8]) -> Option<&'static str> {
    const ASF: [u8; 8] = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11];
    if has_tag(h, 0, b"fLaC") {
        Some("FLAC")
    } else if has_tag(h, 0, b"FORM") && (has_tag(h, 8, b"AIFF") || has_tag(h, 8, b"AIFC")) {
        Some("AIFF")
    } else if has_tag(h, 0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("WebM/Matroska")
    } else if bytes::<8>(h, 0) == Some(ASF) {
        Some("Windows Media (WMA/ASF)")
    } else if h.starts_with(b"#!AMR") {
        Some("AMR")
    } else if has_tag(h, 0, b"caff") {
        Some("Core Audio (CAF)")
    } else if has_tag(h, 0, b".snd") {
        Some("Sun/NeXT audio (AU)")
    } else if h.first() == Some(&0xFF) && h.get(1).is_some_and(|b| b & 0xF6 == 0xF0) {
        Some("raw AAC (ADTS)")
    } else if h.first() == Some(&0xFF)
        && h.get(1).is_some_and(|b| b & 0xE0 == 0xE0 && (b >> 3) & 3 != 1 && matches!((b >> 1) & 3, 2 | 3))
    {
        Some("MPEG layer I/II audio (MP2)")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------
// WAV
// ---------------------------------------------------------------------------------------

/// The `KSDATAFORMAT_SUBTYPE_*` GUID after its first two bytes.
const KS_GUID_TAIL: [u8; 14] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

struct WavFmt {
    codec: &'static str,
    channels: u16,
    rate: u32,
    byte_rate: u64,
}

fn parse_wav_fmt(b: &[u8]) -> Result<WavFmt, AudioRefusal> {
    let tag = le16(b, 0).ok_or(AudioRefusal::NotAudio)?;
    let channels = le16(b, 2).ok_or(AudioRefusal::NotAudio)?;
    let rate = le32(b, 4).ok_or(AudioRefusal::NotAudio)?;
    let byte_rate = le32(b, 8).ok_or(AudioRefusal::NotAudio)?;
    let block_align = le16(b, 12).ok_or(AudioRefusal::NotAudio)?;
    let tag = if tag == 0xFFFE {
        let sub = le16(b, 24).ok_or(AudioRefusal::NotAudio)?;
        if bytes::<14>(b, 26) != Some(KS_GUID_TAIL) {
            return Err(AudioRefusal::Unsupported("WAV with an unknown extensible sub-format".to_string()));
        }
        sub
    } else {
        tag
    };
    let codec = match tag {
        1 => "pcm",
        3 => "float",
        6 => "alaw",
        7 => "mulaw",
        other => return Err(AudioRefusal::Unsupported(format!("WAV codec 0x{other:04X}"))),
    };
    if channels == 0 || rate == 0 || block_align == 0 {
        return Err(AudioRefusal::NotAudio);
    }
    let byte_rate =
        if byte_rate > 0 { u64::from(byte_rate) } else { u64::from(rate).saturating_mul(u64::from(block_align)) };
    Ok(WavFmt { codec, channels, rate, byte_rate })
}

fn inspect_wav<R: Read + Seek>(src: &mut Src<'_, R>, head: &[u8]) -> Result<AudioInfo, AudioRefusal> {
    let len = src.len;
    let wide = !has_tag(head, 0, b"RIFF");
    let mut pos: u64 = 12;
    let mut fmt: Option<WavFmt> = None;
    let mut data: Option<u64> = None;
    let mut ds64_data: Option<u64> = None;
    let mut budget = MAX_STRUCTS;
    while fmt.is_none() || data.is_none() {
        budget = budget.checked_sub(1).ok_or(AudioRefusal::NotAudio)?;
        if len.saturating_sub(pos) < 8 {
            return Err(AudioRefusal::Truncated);
        }
        let hdr: [u8; 8] = src.array(pos)?;
        let size = u64::from(le32(&hdr, 4).ok_or(AudioRefusal::NotAudio)?);
        let body = pos.checked_add(8).ok_or(AudioRefusal::Truncated)?;
        let avail = len.saturating_sub(body);
        let mut skip = size;
        match bytes::<4>(&hdr, 0) {
            Some(ref id) if id == b"ds64" && wide => {
                if size < 24 {
                    return Err(AudioRefusal::NotAudio);
                }
                let ds: [u8; 24] = src.array(body)?;
                ds64_data = le64(&ds, 8);
            }
            Some(ref id) if id == b"fmt " => {
                if size < 16 {
                    return Err(AudioRefusal::NotAudio);
                }
                if size > avail {
                    return Err(AudioRefusal::Truncated);
                }
                let n = usize::try_from(size.min(40)).unwrap_or(40);
                let b = src.window(body, n)?;
                fmt = Some(parse_wav_fmt(&b)?);
            }
            Some(ref id) if id == b"data" => {
                let n = if size == 0xFFFF_FFFF {
                    if wide {
                        let d = ds64_data.ok_or(AudioRefusal::NotAudio)?;
                        if d > avail {
                            return Err(AudioRefusal::Truncated);
                        }
                        d
                    } else {
                        // Streaming writers' "unknown length": the data runs to the end.
                        avail
                    }
                } else if size > avail {
                    return Err(AudioRefusal::Truncated);
                } else {
                    size
                };
                data = Some(n);
                skip = n;
            }
            _ => {}
        }
        pos = body.checked_add(skip).and_then(|p| p.checked_add(skip & 1)).ok_or(AudioRefusal::Truncated)?;
    }
    let (Some(fmt), Some(data)) = (fmt, data) else {
        return Err(AudioRefusal::Truncated);
    };
    Ok(AudioInfo {
        format: AudioFormat::Wav,
        duration_ms: ms_of(data, fmt.byte_rate),
        channels: Some(fmt.channels),
        sample_rate: Some(fmt.rate),
        codec: fmt.codec,
    })
}

// ---------------------------------------------------------------------------------------
// MP3
// ---------------------------------------------------------------------------------------

/// The length of an ID3v2 tag starting at `h[0]`, header and footer included.
fn id3_len(h: &[u8]) -> Option<u64> {
    let b: [u8; 10] = bytes(h, 0)?;
    if &b[..3] != b"ID3" || !(2..=4).contains(&b[3]) || b[4] == 0xFF || b[6..].iter().any(|&x| x >= 0x80) {
        return None;
    }
    let size = b[6..].iter().fold(0u64, |acc, &x| (acc << 7) | u64::from(x));
    let footer = if b[3] == 4 && b[5] & 0x10 != 0 { 10 } else { 0 };
    Some(10 + size + footer)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MpegFrame {
    /// 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5.
    version: u8,
    sample_rate: u32,
    bitrate_kbps: u32,
    channels: u16,
    protected: bool,
    len: u64,
    samples: u32,
}

/// Parses an MPEG audio layer III frame header.
fn mpeg_header(b: [u8; 4]) -> Option<MpegFrame> {
    const BR_V1: [u32; 15] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    const BR_V2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let [b0, b1, b2, b3] = b;
    if b0 != 0xFF || b1 & 0xE0 != 0xE0 {
        return None;
    }
    let version = (b1 >> 3) & 3;
    let layer = (b1 >> 1) & 3;
    let br_idx = usize::from(b2 >> 4);
    let sr_idx = usize::from((b2 >> 2) & 3);
    if version == 1 || layer != 1 || br_idx == 0 || br_idx == 15 || sr_idx == 3 || b3 & 3 == 2 {
        return None;
    }
    let (table, samples, coef, div) = match version {
        3 => (&BR_V1, 1152, 144, 1),
        2 => (&BR_V2, 576, 72, 2),
        _ => (&BR_V2, 576, 72, 4),
    };
    let bitrate_kbps = *table.get(br_idx)?;
    let sample_rate = [44_100u32, 48_000, 32_000].get(sr_idx)? / div;
    let padding = u64::from((b2 >> 1) & 1);
    let len = u64::from(coef * bitrate_kbps * 1000 / sample_rate) + padding;
    Some(MpegFrame {
        version,
        sample_rate,
        bitrate_kbps,
        channels: if b3 >> 6 == 3 { 1 } else { 2 },
        protected: b1 & 1 == 0,
        len,
        samples,
    })
}

fn same_stream(a: &MpegFrame, b: &MpegFrame) -> bool {
    a.version == b.version && a.sample_rate == b.sample_rate && a.channels == b.channels
}

/// Four bytes at absolute `pos`, from `win` (which starts at `win_start`) or the file.
fn four_at<R: Read + Seek>(
    src: &mut Src<'_, R>,
    win: &[u8],
    win_start: u64,
    pos: u64,
) -> Result<[u8; 4], AudioRefusal> {
    let in_window =
        pos.checked_sub(win_start).and_then(|rel| usize::try_from(rel).ok()).and_then(|rel| bytes::<4>(win, rel));
    if let Some(b) = in_window {
        return Ok(b);
    }
    src.array(pos)
}

/// Do `need` further frame headers of the same stream follow the frame at `pos`?
fn frames_follow<R: Read + Seek>(
    src: &mut Src<'_, R>,
    win: &[u8],
    win_start: u64,
    pos: u64,
    first: &MpegFrame,
    need: u32,
) -> Result<bool, AudioRefusal> {
    let (mut p, mut frame) = (pos, *first);
    for _ in 0..need {
        p = p.checked_add(frame.len).ok_or(AudioRefusal::Truncated)?;
        match mpeg_header(four_at(src, win, win_start, p)?) {
            Some(next) if same_stream(first, &next) => frame = next,
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// What an Xing/Info or VBRI header in the first frame says about the stream.
#[derive(Debug, Default, PartialEq, Eq)]
struct VbrHeader {
    /// Total decoded samples, less the encoder delay and padding when a LAME-style tag gives them.
    samples: Option<u64>,
    /// Bytes of MPEG audio from the start of the first frame (tags excluded).
    bytes: Option<u64>,
}

fn vbr_header(frame: &[u8], f: &MpegFrame) -> VbrHeader {
    let side: usize = match (f.version == 3, f.channels == 1) {
        (true, false) => 32,
        (true, true) | (false, false) => 17,
        (false, true) => 9,
    };
    let offsets: &[usize] = if f.protected { &[4 + side, 6 + side] } else { &[4 + side] };
    for &off in offsets {
        let Some(tag) = bytes::<4>(frame, off) else { continue };
        if &tag != b"Xing" && &tag != b"Info" {
            continue;
        }
        let flags = be32(frame, off + 4).unwrap_or(0);
        let mut o = off + 8;
        let mut frames = None;
        let mut stream_bytes = None;
        if flags & 1 != 0 {
            frames = be32(frame, o).map(u64::from).filter(|&n| n > 0);
            o += 4;
        }
        if flags & 2 != 0 {
            stream_bytes = be32(frame, o).map(u64::from).filter(|&n| n > 0);
            o += 4;
        }
        if flags & 4 != 0 {
            o += 100;
        }
        if flags & 8 != 0 {
            o += 4;
        }
        let mut samples = frames.and_then(|n| n.checked_mul(u64::from(f.samples)));
        // LAME-style tag after the Xing fields: encoder delay and padding (gapless info).
        let lame = samples.and_then(|total| {
            bytes::<4>(frame, o).filter(|enc| enc.iter().all(u8::is_ascii_alphanumeric))?;
            bytes::<3>(frame, o + 21).map(|d| (total, d))
        });
        if let Some((total, [d0, d1, d2])) = lame {
            let delay = (u64::from(d0) << 4) | u64::from(d1 >> 4);
            let pad = (u64::from(d1 & 0x0F) << 8) | u64::from(d2);
            if delay + pad < total {
                samples = Some(total - delay - pad);
            }
        }
        return VbrHeader { samples, bytes: stream_bytes };
    }
    if has_tag(frame, 36, b"VBRI") {
        let stream_bytes = be32(frame, 36 + 10).map(u64::from).filter(|&n| n > 0);
        let frames = be32(frame, 36 + 14).map(u64::from).filter(|&n| n > 0);
        return VbrHeader { samples: frames.and_then(|n| n.checked_mul(u64::from(f.samples))), bytes: stream_bytes };
    }
    VbrHeader::default()
}

fn inspect_mp3<R: Read + Seek>(src: &mut Src<'_, R>) -> Result<AudioInfo, AudioRefusal> {
    let len = src.len;
    let mut start = 0u64;
    let mut tagged = false;
    for _ in 0..8 {
        if len.saturating_sub(start) < 10 {
            break;
        }
        let h: [u8; 10] = src.array(start)?;
        match id3_len(&h) {
            Some(n) => {
                start = start.checked_add(n).ok_or(AudioRefusal::Truncated)?;
                tagged = true;
            }
            None => break,
        }
    }
    if start >= len {
        return Err(AudioRefusal::Truncated);
    }
    // Without a tag the first frame is at the start: a small read suffices.
    let win = src.window(start, if tagged { WINDOW } else { 4096 })?;
    if win.len() < 4 {
        return Err(AudioRefusal::Truncated);
    }
    let lead_zeros = win.iter().position(|&b| b != 0).unwrap_or(win.len());
    let limit = if tagged { win.len() } else { 1 };
    let mut found = None;
    let mut cut = false;
    for i in 0..limit {
        let Some(first) = bytes::<4>(&win, i).and_then(mpeg_header) else { continue };
        let need = if i <= lead_zeros { 1 } else { 2 };
        let pos = start.saturating_add(i as u64);
        match frames_follow(src, &win, start, pos, &first, need) {
            Ok(true) => {
                found = Some((pos, i, first));
                break;
            }
            Ok(false) => {}
            Err(AudioRefusal::Truncated) => cut = true,
            Err(e) => return Err(e),
        }
    }
    let Some((pos, rel, first)) = found else {
        return Err(if cut { AudioRefusal::Truncated } else { AudioRefusal::NotAudio });
    };
    let frame_len = usize::try_from(first.len).unwrap_or(usize::MAX);
    let frame = match win.get(rel..rel.saturating_add(frame_len)) {
        Some(f) => f.to_vec(),
        None => src.window(pos, frame_len)?,
    };
    let vbr = vbr_header(&frame, &first);
    if vbr.bytes.is_some_and(|b| b > len.saturating_sub(pos)) {
        // The encoder recorded more audio than the file holds: it was cut.
        return Err(AudioRefusal::Truncated);
    }
    let duration_ms = match vbr.samples {
        Some(samples) => ms_of(samples, u64::from(first.sample_rate)),
        None => {
            let mut audio = len.saturating_sub(pos);
            if audio >= 128 + 4 && src.array::<3>(len - 128)? == *b"TAG" {
                audio -= 128;
            }
            // bits / (kbit/s) = ms
            Some(audio.saturating_mul(8) / u64::from(first.bitrate_kbps.max(1)))
        }
    };
    Ok(AudioInfo {
        format: AudioFormat::Mp3,
        duration_ms,
        channels: Some(first.channels),
        sample_rate: Some(first.sample_rate),
        codec: "mp3",
    })
}

// ---------------------------------------------------------------------------------------
// Ogg
// ---------------------------------------------------------------------------------------

const OGG_CRC_TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut r = (i as u32) << 24;
        let mut k = 0;
        while k < 8 {
            r = if r & 0x8000_0000 != 0 { (r << 1) ^ 0x04C1_1DB7 } else { r << 1 };
            k += 1;
        }
        t[i] = r;
        i += 1;
    }
    t
};

/// Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0, no final xor.
fn ogg_crc(crc: u32, data: &[u8]) -> u32 {
    data.iter().fold(crc, |c, &b| (c << 8) ^ OGG_CRC_TABLE[usize::from(((c >> 24) as u8) ^ b)])
}

struct OggPage<'a> {
    flags: u8,
    granule: u64,
    serial: u32,
    lacing: &'a [u8],
    body: &'a [u8],
    /// The whole page.
    bytes: &'a [u8],
}

#[derive(Debug, PartialEq, Eq)]
enum PageErr {
    /// No page header here.
    Invalid,
    /// A page header whose page runs past the end of the buffer.
    Short,
}

fn ogg_page(buf: &[u8], at: usize) -> Result<OggPage<'_>, PageErr> {
    let rest = buf.get(at..).ok_or(PageErr::Short)?;
    if rest.len() < 27 {
        let n = rest.len().min(4);
        return Err(if rest.get(..n) == b"OggS".get(..n) { PageErr::Short } else { PageErr::Invalid });
    }
    if !has_tag(rest, 0, b"OggS") || rest.get(4) != Some(&0) {
        return Err(PageErr::Invalid);
    }
    let nsegs = usize::from(*rest.get(26).ok_or(PageErr::Short)?);
    let lacing = rest.get(27..27 + nsegs).ok_or(PageErr::Short)?;
    let body_len: usize = lacing.iter().map(|&l| usize::from(l)).sum();
    let total = 27 + nsegs + body_len;
    let bytes = rest.get(..total).ok_or(PageErr::Short)?;
    Ok(OggPage {
        flags: *rest.get(5).ok_or(PageErr::Short)?,
        granule: le64(rest, 6).ok_or(PageErr::Short)?,
        serial: le32(rest, 14).ok_or(PageErr::Short)?,
        lacing,
        body: bytes.get(27 + nsegs..).unwrap_or(&[]),
        bytes,
    })
}

fn page_crc_ok(page: &[u8]) -> bool {
    let (Some(stored), Some(a), Some(b)) = (le32(page, 22), page.get(..22), page.get(26..)) else {
        return false;
    };
    ogg_crc(ogg_crc(ogg_crc(0, a), &[0; 4]), b) == stored
}

/// The start of the first packet on a page (all of it when it fits on the page).
fn first_packet<'a>(p: &OggPage<'a>) -> &'a [u8] {
    let mut n = 0usize;
    for &l in p.lacing {
        n += usize::from(l);
        if l < 255 {
            break;
        }
    }
    p.body.get(..n).unwrap_or(p.body)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OggCodec {
    Opus {
        channels: u8,
        pre_skip: u16,
        input_rate: u32,
    },
    Vorbis {
        channels: u8,
        rate: u32,
    },
    Flac {
        channels: u8,
        rate: u32,
    },
    Video,
    /// Skeleton, subtitles and other companions of an audio stream.
    Ignore,
    Other(&'static str),
}

fn is_ogg_video(pkt: &[u8]) -> bool {
    const VIDEO: [&[u8]; 6] = [b"\x80theora", b"\x80daala", b"BBCD\x00", b"OVP80", b"\x01video", b"\x00\x00\x01\xB3"];
    VIDEO.iter().any(|m| pkt.starts_with(m))
}

fn ogg_codec(pkt: &[u8]) -> Result<OggCodec, AudioRefusal> {
    let bad = AudioRefusal::NotAudio;
    if pkt.starts_with(b"OpusHead") {
        let version = *pkt.get(8).ok_or(AudioRefusal::Truncated)?;
        let channels = *pkt.get(9).ok_or(AudioRefusal::Truncated)?;
        let pre_skip = le16(pkt, 10).ok_or(AudioRefusal::Truncated)?;
        let input_rate = le32(pkt, 12).ok_or(AudioRefusal::Truncated)?;
        if pkt.len() < 19 {
            return Err(AudioRefusal::Truncated);
        }
        if version >> 4 != 0 {
            return Err(AudioRefusal::Unsupported(format!("Opus header version {version}")));
        }
        if channels == 0 {
            return Err(bad);
        }
        return Ok(OggCodec::Opus { channels, pre_skip, input_rate });
    }
    if pkt.starts_with(b"\x01vorbis") {
        let version = le32(pkt, 7).ok_or(AudioRefusal::Truncated)?;
        let channels = *pkt.get(11).ok_or(AudioRefusal::Truncated)?;
        let rate = le32(pkt, 12).ok_or(AudioRefusal::Truncated)?;
        let framing = *pkt.get(29).ok_or(AudioRefusal::Truncated)?;
        if version != 0 || channels == 0 || rate == 0 || framing & 1 == 0 {
            return Err(bad);
        }
        return Ok(OggCodec::Vorbis { channels, rate });
    }
    if pkt.starts_with(b"\x7FFLAC") {
        let info: [u8; 51] = bytes(pkt, 0).ok_or(AudioRefusal::Truncated)?;
        if info[5] != 1 || &info[9..13] != b"fLaC" || info[13] & 0x7F != 0 {
            return Err(bad);
        }
        let s = &info[17..];
        let rate = (u32::from(s[10]) << 12) | (u32::from(s[11]) << 4) | u32::from(s[12] >> 4);
        let channels = ((s[12] >> 1) & 7) + 1;
        if rate == 0 {
            return Err(bad);
        }
        return Ok(OggCodec::Flac { channels, rate });
    }
    if is_ogg_video(pkt) {
        return Ok(OggCodec::Video);
    }
    const IGNORE: [&[u8]; 5] = [b"fishead\x00", b"fisbone\x00", b"\x80kate", b"CMML\x00", b"index\x00"];
    if IGNORE.iter().any(|m| pkt.starts_with(m)) {
        return Ok(OggCodec::Ignore);
    }
    Ok(OggCodec::Other(if pkt.starts_with(b"Speex   ") {
        "Ogg Speex"
    } else if pkt.starts_with(b"CELT    ") {
        "Ogg CELT"
    } else {
        "an Ogg stream with an unknown codec"
    }))
}

fn inspect_ogg<R: Read + Seek>(src: &mut Src<'_, R>) -> Result<AudioInfo, AudioRefusal> {
    let len = src.len;
    let first = src.window(0, WINDOW)?;
    let mut page = match ogg_page(&first, 0) {
        Ok(p) => p,
        Err(PageErr::Short) => return Err(AudioRefusal::Truncated),
        Err(PageErr::Invalid) => return Err(AudioRefusal::NotAudio),
    };
    if page.flags & 0x02 == 0 || !page_crc_ok(page.bytes) {
        return Err(AudioRefusal::NotAudio);
    }
    // All beginning-of-stream pages come first; look at every stream's codec.
    let mut audio: Option<(u32, OggCodec)> = None;
    let mut other: Option<&'static str> = None;
    let mut serials: Vec<u32> = Vec::new();
    let mut at = 0usize;
    for _ in 0..64 {
        serials.push(page.serial);
        match ogg_codec(first_packet(&page))? {
            OggCodec::Video => return Err(AudioRefusal::Unsupported("video".to_string())),
            OggCodec::Ignore => {}
            OggCodec::Other(what) => other = other.or(Some(what)),
            codec => {
                if audio.is_none() {
                    audio = Some((page.serial, codec));
                }
            }
        }
        at = at.saturating_add(page.bytes.len());
        match ogg_page(&first, at) {
            Ok(p) if p.flags & 0x02 != 0 && page_crc_ok(p.bytes) => page = p,
            _ => break,
        }
    }
    let Some((serial, codec)) = audio else {
        return Err(AudioRefusal::Unsupported(other.unwrap_or("an Ogg stream without audio").to_string()));
    };

    // The last page of the stream carries the total granule position.
    let tail_start = len.saturating_sub(WINDOW as u64);
    let tail = src.window(tail_start, WINDOW)?;
    let mut granule = None;
    let mut cut = false;
    for i in (0..=tail.len().saturating_sub(4)).rev() {
        if !has_tag(&tail, i, b"OggS") {
            continue;
        }
        match ogg_page(&tail, i) {
            Err(PageErr::Short) => cut = true,
            Err(PageErr::Invalid) => {}
            Ok(p) if !page_crc_ok(p.bytes) => {}
            Ok(p) if !serials.contains(&p.serial) => {
                // A stream that did not begin with the file: several recordings joined.
                return Err(AudioRefusal::Unsupported(
                    "a chained Ogg file, several recordings joined together".to_string(),
                ));
            }
            // Another stream of a multiplexed file.
            Ok(p) if p.serial != serial => {}
            // -1: no packet ends on this page; other negative values are invalid.
            Ok(p) if p.granule > i64::MAX as u64 => {}
            Ok(p) => {
                granule = Some(p.granule);
                break;
            }
        }
    }
    if granule.is_some() && cut {
        // The file ends inside a page: the end of the recording is missing.
        return Err(AudioRefusal::Truncated);
    }
    let Some(granule) = granule else { return Err(AudioRefusal::Truncated) };
    let (duration_ms, channels, rate, codec) = match codec {
        OggCodec::Opus { channels, pre_skip, input_rate } => (
            ms_of(granule.saturating_sub(u64::from(pre_skip)), 48_000),
            channels,
            if input_rate > 0 { input_rate } else { 48_000 },
            "opus",
        ),
        OggCodec::Vorbis { channels, rate } => (ms_of(granule, u64::from(rate)), channels, rate, "vorbis"),
        OggCodec::Flac { channels, rate } => (ms_of(granule, u64::from(rate)), channels, rate, "flac"),
        OggCodec::Video | OggCodec::Ignore | OggCodec::Other(_) => return Err(AudioRefusal::NotAudio),
    };
    Ok(AudioInfo {
        format: AudioFormat::Ogg,
        duration_ms,
        channels: Some(u16::from(channels)),
        sample_rate: Some(rate),
        codec,
    })
}

// ---------------------------------------------------------------------------------------
// M4A / MP4
// ---------------------------------------------------------------------------------------

const MP4_AUDIO_BRANDS: [&[u8; 4]; 11] =
    [b"M4A ", b"M4B ", b"mp42", b"isom", b"mp41", b"iso2", b"dash", b"iso3", b"iso4", b"iso5", b"iso6"];
const MP4_IMAGE_BRANDS: [&[u8; 4]; 13] = [
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis", b"crx ", b"jp2 ", b"jpx ",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brands {
    Audio,
    QuickTime,
    Image,
    Other([u8; 4]),
}

/// Classifies an `ftyp` body: major brand, minor version, compatible brands.
fn mp4_brands(body: &[u8]) -> Option<Brands> {
    let major = bytes::<4>(body, 0)?;
    let accepted = |b: &[u8]| MP4_AUDIO_BRANDS.iter().any(|a| a.as_slice() == b);
    if MP4_IMAGE_BRANDS.contains(&&major) {
        return Some(Brands::Image);
    }
    if accepted(&major) || body.get(8..).unwrap_or(&[]).chunks_exact(4).any(accepted) {
        return Some(Brands::Audio);
    }
    Some(if &major == b"qt  " { Brands::QuickTime } else { Brands::Other(major) })
}

#[derive(Debug, Clone, Copy)]
struct Mp4Box {
    kind: [u8; 4],
    body: u64,
    end: u64,
}

impl Mp4Box {
    fn body_len(&self) -> u64 {
        self.end.saturating_sub(self.body)
    }
}

/// The box header at `pos`, which must lie within `[pos, end)`.
fn mp4_box_at<R: Read + Seek>(src: &mut Src<'_, R>, pos: u64, end: u64) -> Result<Mp4Box, AudioRefusal> {
    let h: [u8; 8] = src.array(pos)?;
    let size32 = be32(&h, 0).ok_or(AudioRefusal::NotAudio)?;
    let kind = bytes::<4>(&h, 4).ok_or(AudioRefusal::NotAudio)?;
    let (size, hdr) = match size32 {
        0 => (end.saturating_sub(pos), 8),
        1 => {
            if end.saturating_sub(pos) < 16 {
                return Err(AudioRefusal::Truncated);
            }
            let large: [u8; 8] = src.array(pos.saturating_add(8))?;
            (u64::from_be_bytes(large), 16)
        }
        n => (u64::from(n), 8),
    };
    if size < hdr {
        return Err(AudioRefusal::NotAudio);
    }
    let box_end = pos.checked_add(size).ok_or(AudioRefusal::Truncated)?;
    if box_end > end {
        return Err(AudioRefusal::Truncated);
    }
    Ok(Mp4Box { kind, body: pos.saturating_add(hdr), end: box_end })
}

/// The boxes in `[start, end)`, headers only. A few trailing bytes (< 8) are ignored.
fn mp4_children<R: Read + Seek>(
    src: &mut Src<'_, R>,
    start: u64,
    end: u64,
    budget: &mut u32,
) -> Result<Vec<Mp4Box>, AudioRefusal> {
    let mut out = Vec::new();
    let mut pos = start;
    while end.saturating_sub(pos) >= 8 {
        *budget = budget.checked_sub(1).ok_or(AudioRefusal::NotAudio)?;
        let b = mp4_box_at(src, pos, end)?;
        pos = b.end;
        out.push(b);
    }
    Ok(out)
}

fn find_box<'a>(boxes: &'a [Mp4Box], kind: &[u8; 4]) -> Option<&'a Mp4Box> {
    boxes.iter().find(|b| &b.kind == kind)
}

/// Reads up to `max` bytes of a box's body.
fn box_body<R: Read + Seek>(src: &mut Src<'_, R>, b: &Mp4Box, max: usize) -> Result<Vec<u8>, AudioRefusal> {
    let n = usize::try_from(b.body_len()).map_or(max, |l| l.min(max));
    let mut v = vec![0u8; n];
    src.read_at(b.body, &mut v)?;
    Ok(v)
}

/// `(timescale, duration)` from an `mvhd` or `mdhd` body; duration `None` when unknown.
fn header_duration(b: &[u8]) -> Result<(u32, Option<u64>), AudioRefusal> {
    let (timescale, duration) = match b.first() {
        Some(0) => (be32(b, 12), be32(b, 16).filter(|&d| d != u32::MAX).map(u64::from)),
        Some(1) => (be32(b, 20), be64(b, 24).filter(|&d| d != u64::MAX)),
        _ => return Err(AudioRefusal::NotAudio),
    };
    let timescale = timescale.ok_or(AudioRefusal::NotAudio)?;
    Ok((timescale, duration.filter(|&d| d > 0)))
}

/// An MPEG-4 descriptor at `p`: `(tag, length, start of payload)`.
fn mp4_descriptor(b: &[u8], p: usize) -> Option<(u8, usize, usize)> {
    let tag = *b.get(p)?;
    let mut len = 0usize;
    for i in 1..=4 {
        let byte = *b.get(p.checked_add(i)?)?;
        len = (len << 7) | usize::from(byte & 0x7F);
        if byte & 0x80 == 0 {
            return Some((tag, len, p + i + 1));
        }
    }
    None
}

/// From an `esds` body: the object type indication and the channel count of the
/// AudioSpecificConfig (sample entries of AAC usually just say 2).
fn esds_config(b: &[u8]) -> Option<(u8, Option<u16>)> {
    let (tag, _, mut p) = mp4_descriptor(b, 4)?;
    if tag != 0x03 {
        return None;
    }
    let flags = *b.get(p.checked_add(2)?)?;
    p = p.checked_add(3)?;
    if flags & 0x80 != 0 {
        p = p.checked_add(2)?;
    }
    if flags & 0x40 != 0 {
        p = p.checked_add(1 + usize::from(*b.get(p)?))?;
    }
    if flags & 0x20 != 0 {
        p = p.checked_add(2)?;
    }
    let (tag, _, p) = mp4_descriptor(b, p)?;
    if tag != 0x04 {
        return None;
    }
    let oti = *b.get(p)?;
    let channels = mp4_descriptor(b, p.checked_add(13)?)
        .filter(|&(tag, len, _)| tag == 0x05 && len >= 2)
        .and_then(|(_, _, at)| aac_channels(b.get(at..)?));
    Some((oti, channels))
}

/// The channel count in an AudioSpecificConfig (ISO 14496-3 1.6.2.1).
fn aac_channels(asc: &[u8]) -> Option<u16> {
    let mut word = [0u8; 8];
    for (w, b) in word.iter_mut().zip(asc) {
        *w = *b;
    }
    let bits = u64::from_be_bytes(word);
    let mut at = 5u32;
    if bits >> 59 == 31 {
        at += 6;
    }
    let sfi = (bits >> (60 - at)) & 0xF;
    at += 4;
    if sfi == 15 {
        at += 24;
    }
    let config = (bits >> (60 - at)) & 0xF;
    match config {
        1..=6 => to_u16(config),
        7 | 12 | 14 => Some(8),
        11 => Some(7),
        13 => Some(24),
        _ => None,
    }
}

struct SoundTrack {
    track_id: Option<u32>,
    timescale: u32,
    codec: &'static str,
    channels: Option<u16>,
    sample_rate: Option<u32>,
    /// Duration from the track's own `mdhd`, in milliseconds.
    duration_ms: Option<u64>,
}

fn sound_track<R: Read + Seek>(
    src: &mut Src<'_, R>,
    trak: &[Mp4Box],
    mdia: &[Mp4Box],
    budget: &mut u32,
) -> Result<SoundTrack, AudioRefusal> {
    let mut track = SoundTrack {
        track_id: None,
        timescale: 0,
        codec: "unknown",
        channels: None,
        sample_rate: None,
        duration_ms: None,
    };
    if let Some(tkhd) = find_box(trak, b"tkhd") {
        let b = box_body(src, tkhd, 24)?;
        track.track_id = match b.first() {
            Some(1) => be32(&b, 20),
            _ => be32(&b, 12),
        };
    }
    if let Some(mdhd) = find_box(mdia, b"mdhd") {
        let b = box_body(src, mdhd, 32)?;
        let (ts, d) = header_duration(&b)?;
        track.timescale = ts;
        track.duration_ms = d.and_then(|d| ms_of(d, u64::from(ts)));
    }
    let Some(minf) = find_box(mdia, b"minf") else { return Ok(track) };
    let minf = mp4_children(src, minf.body, minf.end, budget)?;
    let Some(stbl) = find_box(&minf, b"stbl") else { return Ok(track) };
    let stbl = mp4_children(src, stbl.body, stbl.end, budget)?;
    let Some(stsd) = find_box(&stbl, b"stsd") else { return Ok(track) };
    // version/flags, entry count, then the first sample entry.
    let b = box_body(src, stsd, 512)?;
    let (Some(entry_size), Some(kind)) = (be32(&b, 8), bytes::<4>(&b, 12)) else { return Ok(track) };
    if u64::from(entry_size) > stsd.body_len().saturating_sub(8) || entry_size < 8 {
        return Err(AudioRefusal::NotAudio);
    }
    let e = b.get(8..).unwrap_or(&[]);
    let e = e.get(..usize::try_from(entry_size).unwrap_or(usize::MAX)).unwrap_or(e);
    track.codec = match &kind {
        b"mp4a" => "aac",
        b"alac" => "alac",
        b"Opus" => "opus",
        b"fLaC" => "flac",
        b"ac-3" => "ac3",
        b"ec-3" => "eac3",
        b".mp3" => "mp3",
        b"samr" => "amr",
        _ => "unknown",
    };
    let qt_version = be16(e, 16).unwrap_or(0);
    let (channels, rate, children_at) = if qt_version == 2 {
        // QuickTime SoundDescription version 2: f64 rate, u32 channel count.
        let rate = be64(e, 40).map(f64::from_bits).filter(|r| r.is_finite() && *r >= 1.0 && *r <= 10_000_000.0);
        (be32(e, 48).map(u64::from), rate.map(|r| r as u32), 72)
    } else {
        (be16(e, 24).map(u64::from), be32(e, 32).map(|r| r >> 16), if qt_version == 1 { 52 } else { 36 })
    };
    track.channels = channels.and_then(to_u16);
    track.sample_rate = rate.filter(|&r| r > 0).or(Some(track.timescale).filter(|&t| t > 0));
    if &kind == b"mp4a" {
        // The esds box, directly in the entry or inside a QuickTime `wave` box.
        let mut area = e.get(children_at..).unwrap_or(&[]);
        for _ in 0..16 {
            let (Some(size), Some(k)) = (be32(area, 0), bytes::<4>(area, 4)) else { break };
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            let body = area.get(8..size.min(area.len())).unwrap_or(&[]);
            if &k == b"esds" {
                if let Some((oti, channels)) = esds_config(body) {
                    if matches!(oti, 0x69 | 0x6B) {
                        track.codec = "mp3";
                    }
                    track.channels = channels.or(track.channels);
                }
                break;
            }
            area = if &k == b"wave" { body } else { area.get(size.max(8)..).unwrap_or(&[]) };
        }
    }
    Ok(track)
}

/// The end time, in the track's timescale, of `track_id` in a movie fragment: the
/// fragment's base decode time plus the durations of its samples.
fn fragment_end<R: Read + Seek>(
    src: &mut Src<'_, R>,
    moof: &Mp4Box,
    track_id: Option<u32>,
    trex_duration: Option<u32>,
    budget: &mut u32,
) -> Result<Option<u64>, AudioRefusal> {
    let moof = mp4_children(src, moof.body, moof.end, budget)?;
    for traf in moof.iter().filter(|b| &b.kind == b"traf") {
        let traf = mp4_children(src, traf.body, traf.end, budget)?;
        let Some(tfhd) = find_box(&traf, b"tfhd") else { continue };
        let h = box_body(src, tfhd, 32)?;
        let flags = be32(&h, 0).unwrap_or(0) & 0x00FF_FFFF;
        if track_id.is_some_and(|id| be32(&h, 4) != Some(id)) {
            continue;
        }
        let mut o = 8;
        if flags & 0x01 != 0 {
            o += 8;
        }
        if flags & 0x02 != 0 {
            o += 4;
        }
        let default_duration = if flags & 0x08 != 0 { be32(&h, o) } else { trex_duration };
        let Some(tfdt) = find_box(&traf, b"tfdt") else { return Ok(None) };
        let t = box_body(src, tfdt, 12)?;
        let Some(base) = (match t.first() {
            Some(1) => be64(&t, 4),
            _ => be32(&t, 4).map(u64::from),
        }) else {
            return Ok(None);
        };
        let mut total = base;
        for trun in traf.iter().filter(|b| &b.kind == b"trun") {
            let r = box_body(src, trun, WINDOW)?;
            let flags = be32(&r, 0).unwrap_or(0) & 0x00FF_FFFF;
            let count = u64::from(be32(&r, 4).unwrap_or(0));
            let mut o = 8usize;
            if flags & 0x01 != 0 {
                o += 4;
            }
            if flags & 0x04 != 0 {
                o += 4;
            }
            if flags & 0x100 != 0 {
                let per = 4 * ((flags >> 8) & 0xF).count_ones() as usize;
                let mut at = o;
                for _ in 0..count {
                    // Entries beyond the window: the fragment's length is not known.
                    let Some(d) = be32(&r, at) else { return Ok(None) };
                    total = total.saturating_add(u64::from(d));
                    at = at.saturating_add(per);
                }
            } else {
                let Some(d) = default_duration else { return Ok(None) };
                total = total.saturating_add(count.saturating_mul(u64::from(d)));
            }
        }
        return Ok(Some(total));
    }
    Ok(None)
}

fn inspect_mp4<R: Read + Seek>(src: &mut Src<'_, R>, head: &[u8]) -> Result<AudioInfo, AudioRefusal> {
    let len = src.len;
    let ftyp_size = u64::from(be32(head, 0).ok_or(AudioRefusal::NotAudio)?);
    if ftyp_size < 16 {
        return Err(AudioRefusal::NotAudio);
    }
    if ftyp_size > len {
        return Err(AudioRefusal::Truncated);
    }
    let ftyp = src.window(8, usize::try_from((ftyp_size - 8).min(1024)).unwrap_or(1024))?;
    match mp4_brands(&ftyp).ok_or(AudioRefusal::NotAudio)? {
        Brands::Audio => {}
        Brands::QuickTime => return Err(AudioRefusal::Unsupported("QuickTime movie".to_string())),
        Brands::Image => return Err(AudioRefusal::NotAudio),
        Brands::Other(b) if b.starts_with(b"3gp") || b.starts_with(b"3g2") => {
            return Err(AudioRefusal::Unsupported("3GPP mobile phone file".to_string()));
        }
        Brands::Other(b) => {
            let name: String = b.iter().map(|&c| if c.is_ascii_graphic() { char::from(c) } else { '?' }).collect();
            return Err(AudioRefusal::Unsupported(format!("MP4 brand \"{}\"", name.trim_end_matches('?'))));
        }
    }

    // Top level, in constant memory: a fragmented file has a moof/mdat pair per fragment.
    let mut moov = None;
    let mut last_moof = None;
    let mut pos = 0u64;
    let mut top_budget = MAX_TOP_BOXES;
    while len.saturating_sub(pos) >= 8 {
        top_budget = top_budget.checked_sub(1).ok_or(AudioRefusal::NotAudio)?;
        let b = mp4_box_at(src, pos, len)?;
        match &b.kind {
            b"moov" if moov.is_none() => moov = Some(b),
            b"moof" => last_moof = Some(b),
            _ => {}
        }
        pos = b.end;
    }
    let moov = moov.ok_or(AudioRefusal::Truncated)?;
    let mut budget = MAX_STRUCTS;
    let moov = mp4_children(src, moov.body, moov.end, &mut budget)?;

    let mut timescale = 0u32;
    let mut duration_ms = None;
    if let Some(mvhd) = find_box(&moov, b"mvhd") {
        let b = box_body(src, mvhd, 32)?;
        let (ts, d) = header_duration(&b)?;
        timescale = ts;
        duration_ms = d.and_then(|d| ms_of(d, u64::from(ts)));
    }
    let mut trex: Vec<(u32, u32)> = Vec::new();
    if let Some(mvex) = find_box(&moov, b"mvex") {
        let mvex = mp4_children(src, mvex.body, mvex.end, &mut budget)?;
        if let Some(mehd) = find_box(&mvex, b"mehd").filter(|_| duration_ms.is_none()) {
            let b = box_body(src, mehd, 12)?;
            let d = match b.first() {
                Some(1) => be64(&b, 4),
                _ => be32(&b, 4).map(u64::from),
            };
            duration_ms = d.filter(|&d| d > 0).and_then(|d| ms_of(d, u64::from(timescale)));
        }
        for t in mvex.iter().filter(|b| &b.kind == b"trex").take(64) {
            let b = box_body(src, t, 16)?;
            if let (Some(id), Some(d)) = (be32(&b, 4), be32(&b, 12)) {
                trex.push((id, d));
            }
        }
    }

    let mut sound: Option<SoundTrack> = None;
    for trak in moov.iter().filter(|b| &b.kind == b"trak") {
        let trak = mp4_children(src, trak.body, trak.end, &mut budget)?;
        let Some(mdia) = find_box(&trak, b"mdia") else { continue };
        let mdia = mp4_children(src, mdia.body, mdia.end, &mut budget)?;
        let Some(hdlr) = find_box(&mdia, b"hdlr") else { continue };
        if hdlr.body_len() < 12 {
            return Err(AudioRefusal::NotAudio);
        }
        let h: [u8; 12] = src.array(hdlr.body)?;
        match bytes::<4>(&h, 8) {
            Some(ref k) if k == b"vide" => return Err(AudioRefusal::Unsupported("video".to_string())),
            Some(ref k) if k == b"soun" && sound.is_none() => {
                sound = Some(sound_track(src, &trak, &mdia, &mut budget)?);
            }
            _ => {}
        }
    }
    let Some(sound) = sound else { return Err(AudioRefusal::NotAudio) };
    if let Some(moof) = last_moof.filter(|_| duration_ms.is_none()) {
        let trex_duration = trex.iter().find(|(id, _)| Some(*id) == sound.track_id).map(|&(_, d)| d);
        let end = fragment_end(src, &moof, sound.track_id, trex_duration, &mut budget)?;
        duration_ms = end.and_then(|t| ms_of(t, u64::from(sound.timescale)));
    }
    Ok(AudioInfo {
        format: AudioFormat::M4a,
        duration_ms: duration_ms.or(sound.duration_ms),
        channels: sound.channels,
        sample_rate: sound.sample_rate,
        codec: sound.codec,
    })
}

#[cfg(test)]
mod tests;
