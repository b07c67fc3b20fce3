//! Inputs are built in code; no binary fixtures.

use super::*;
use std::io::{self, Cursor};
use std::panic::{catch_unwind, AssertUnwindSafe};

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

fn inspect_max(bytes: &[u8], max_ms: u64) -> Result<AudioInfo, AudioRefusal> {
    inspect_audio(&mut Cursor::new(bytes), bytes.len() as u64, max_ms)
}

fn inspect(bytes: &[u8]) -> Result<AudioInfo, AudioRefusal> {
    inspect_max(bytes, u64::MAX)
}

fn accepted(bytes: &[u8]) -> AudioInfo {
    match inspect(bytes) {
        Ok(info) => info,
        Err(e) => panic!("expected a recording, got {e:?} ({e})"),
    }
}

fn assert_duration(info: &AudioInfo, expected_ms: u64) {
    let got = info.duration_ms.expect("a duration");
    let tolerance = (expected_ms / 100).max(1);
    assert!(got.abs_diff(expected_ms) <= tolerance, "duration {got} ms, expected {expected_ms} ms ± 1 %");
}

/// A simple seeded generator (64-bit LCG, high bits out).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next() as usize % n
        }
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// A file that is never in memory: `prefix`, then bytes from `fill`, then `suffix`.
/// Counts the bytes read through it.
struct Virtual {
    len: u64,
    pos: u64,
    read: u64,
    prefix: Vec<u8>,
    suffix: Vec<u8>,
    fill: Box<dyn Fn(u64) -> u8>,
}

impl Virtual {
    fn new(prefix: Vec<u8>, len: u64, suffix: Vec<u8>, fill: Box<dyn Fn(u64) -> u8>) -> Self {
        Virtual { len, pos: 0, read: 0, prefix, suffix, fill }
    }
    fn byte(&self, o: u64) -> u8 {
        let suffix_start = self.len - self.suffix.len() as u64;
        if o < self.prefix.len() as u64 {
            self.prefix[o as usize]
        } else if o >= suffix_start {
            self.suffix[(o - suffix_start) as usize]
        } else {
            (self.fill)(o)
        }
    }
}

impl Read for Virtual {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len.saturating_sub(self.pos)).min(buf.len() as u64) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = self.byte(self.pos + i as u64);
        }
        self.pos += n as u64;
        self.read += n as u64;
        Ok(n)
    }
}

impl Seek for Virtual {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let new = match to {
            SeekFrom::Start(o) => Some(o),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = new.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad seek"))?;
        Ok(self.pos)
    }
}

// ---------------------------------------------------------------------------------------
// WAV builders
// ---------------------------------------------------------------------------------------

fn riff(form: &[u8; 4], chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = form.to_vec();
    for (id, data) in chunks {
        body.extend_from_slice(*id);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

fn fmt_chunk(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let block = channels * bits.div_ceil(8);
    let mut f = Vec::new();
    f.extend_from_slice(&tag.to_le_bytes());
    f.extend_from_slice(&channels.to_le_bytes());
    f.extend_from_slice(&rate.to_le_bytes());
    f.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    f.extend_from_slice(&block.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f
}

fn extensible_fmt(sub: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let mut f = fmt_chunk(0xFFFE, channels, rate, bits);
    f.extend_from_slice(&22u16.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f.extend_from_slice(&0u32.to_le_bytes());
    f.extend_from_slice(&sub.to_le_bytes());
    f.extend_from_slice(&KS_GUID_TAIL);
    f
}

/// 0.5 s of 8 kHz mono 16-bit PCM (a square wave), with an odd-sized LIST chunk first.
fn wav_sample() -> Vec<u8> {
    let samples: Vec<u8> =
        (0..4000u32).flat_map(|i| (if i / 20 % 2 == 0 { 8000i16 } else { -8000 }).to_le_bytes()).collect();
    riff(
        b"WAVE",
        &[
            (b"LIST", b"INFOISFT\x03\x00\x00\x00ab\x00".to_vec()),
            (b"fmt ", fmt_chunk(1, 1, 8000, 16)),
            (b"data", samples),
        ],
    )
}

/// A canonical 44-byte header whose data chunk claims `data_size` bytes, then `present` bytes.
fn wav_claiming(data_size: u32, present: usize) -> Vec<u8> {
    let mut w = b"RIFF".to_vec();
    w.extend_from_slice(&data_size.saturating_add(36).to_le_bytes());
    w.extend_from_slice(b"WAVE");
    w.extend_from_slice(b"fmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend(fmt_chunk(1, 1, 8000, 16));
    w.extend_from_slice(b"data");
    w.extend_from_slice(&data_size.to_le_bytes());
    w.resize(44 + present, 0);
    w
}

// ---------------------------------------------------------------------------------------
// MP3 builders
// ---------------------------------------------------------------------------------------

fn id3v2(padding: usize) -> Vec<u8> {
    let mut t = b"ID3\x04\x00\x00".to_vec();
    let n = padding as u32;
    t.extend_from_slice(&[(n >> 21) as u8 & 0x7F, (n >> 14) as u8 & 0x7F, (n >> 7) as u8 & 0x7F, n as u8 & 0x7F]);
    t.extend(std::iter::repeat_n(0u8, padding));
    t
}

/// `n` MPEG-1 layer III frames, 64 kbit/s, 44.1 kHz, mono, zero payload, padded as an
/// encoder pads (208 or 209 bytes). With `xing`, the first frame is an Xing header
/// counting the other `n - 1` frames.
fn mp3_frames(n: usize, xing: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = 0u32;
    for i in 0..n {
        rest += 9_216_000 % 44_100;
        let pad = if rest >= 44_100 {
            rest -= 44_100;
            1
        } else {
            0
        };
        let mut f = vec![0u8; 208 + pad as usize];
        f[..4].copy_from_slice(&[0xFF, 0xFB, 0x50 | (pad << 1), 0xC0]);
        if xing && i == 0 {
            f[21..25].copy_from_slice(b"Xing");
            f[25..29].copy_from_slice(&1u32.to_be_bytes());
            f[29..33].copy_from_slice(&((n - 1) as u32).to_be_bytes());
        }
        out.extend(f);
    }
    out
}

fn mp3_sample() -> Vec<u8> {
    let mut m = id3v2(100);
    m.extend(mp3_frames(40, false));
    m
}

fn mp3_xing_sample() -> Vec<u8> {
    let mut m = id3v2(30);
    m.extend(mp3_frames(81, true));
    m
}

// ---------------------------------------------------------------------------------------
// Ogg builders
// ---------------------------------------------------------------------------------------

/// Ogg's CRC-32 computed bit by bit (independent of the table in the module).
fn ogg_crc_reference(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &b in data {
        crc ^= u32::from(b) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 { (crc << 1) ^ 0x04C1_1DB7 } else { crc << 1 };
        }
    }
    crc
}

fn page(flags: u8, granule: u64, serial: u32, seq: u32, packets: &[&[u8]]) -> Vec<u8> {
    let mut lacing = Vec::new();
    for p in packets {
        lacing.extend(std::iter::repeat_n(255u8, p.len() / 255));
        lacing.push((p.len() % 255) as u8);
    }
    let mut pg = b"OggS\x00".to_vec();
    pg.push(flags);
    pg.extend_from_slice(&granule.to_le_bytes());
    pg.extend_from_slice(&serial.to_le_bytes());
    pg.extend_from_slice(&seq.to_le_bytes());
    pg.extend_from_slice(&[0; 4]);
    pg.push(lacing.len() as u8);
    pg.extend(lacing);
    for p in packets {
        pg.extend_from_slice(p);
    }
    let crc = ogg_crc_reference(&pg);
    pg[22..26].copy_from_slice(&crc.to_le_bytes());
    pg
}

fn opus_head(channels: u8, pre_skip: u16, input_rate: u32) -> Vec<u8> {
    let mut h = b"OpusHead\x01".to_vec();
    h.push(channels);
    h.extend_from_slice(&pre_skip.to_le_bytes());
    h.extend_from_slice(&input_rate.to_le_bytes());
    h.extend_from_slice(&[0, 0, 0]);
    h
}

/// Opus, 16 kHz input, 2 s of audio after a pre-skip of 312 samples.
fn opus_sample() -> Vec<u8> {
    let serial = 0x1234_5678;
    let tags = b"OpusTags\x04\x00\x00\x00test\x00\x00\x00\x00";
    let packet = [0xF8u8, 0xFF, 0xFE];
    let audio: Vec<&[u8]> = vec![&packet; 50];
    let mut o = page(0x02, 0, serial, 0, &[&opus_head(1, 312, 16_000)]);
    o.extend(page(0x00, 0, serial, 1, &[tags]));
    o.extend(page(0x00, 312 + 48_000, serial, 2, &audio));
    o.extend(page(0x04, 312 + 96_000, serial, 3, &audio));
    o
}

fn vorbis_id(channels: u8, rate: u32) -> Vec<u8> {
    let mut h = b"\x01vorbis".to_vec();
    h.extend_from_slice(&0u32.to_le_bytes());
    h.push(channels);
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&0i32.to_le_bytes());
    h.extend_from_slice(&128_000i32.to_le_bytes());
    h.extend_from_slice(&0i32.to_le_bytes());
    h.push(0xB8);
    h.push(0x01);
    h
}

/// Vorbis, stereo 44.1 kHz, 1.5 s.
fn vorbis_sample() -> Vec<u8> {
    let serial = 77;
    let comment = b"\x03vorbis\x04\x00\x00\x00test\x00\x00\x00\x00\x01";
    let setup = [b"\x05vorbis".as_slice(), &[0u8; 300]].concat();
    let packet = [0u8; 40];
    let mut o = page(0x02, 0, serial, 0, &[&vorbis_id(2, 44_100)]);
    o.extend(page(0x00, 0, serial, 1, &[comment, &setup]));
    o.extend(page(0x00, 30_000, serial, 2, &[&packet[..]; 20]));
    o.extend(page(0x04, 66_150, serial, 3, &[&packet[..]; 20]));
    o
}

// ---------------------------------------------------------------------------------------
// MP4 builders
// ---------------------------------------------------------------------------------------

fn bx(kind: &[u8; 4], parts: &[&[u8]]) -> Vec<u8> {
    let body = parts.concat();
    let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend(body);
    b
}

fn full(kind: &[u8; 4], version: u8, parts: &[&[u8]]) -> Vec<u8> {
    let body = [&[version, 0, 0, 0][..], &parts.concat()].concat();
    bx(kind, &[&body])
}

/// A full box with version 0 and the given 24-bit flags.
fn full_flags(kind: &[u8; 4], flags: u32, parts: &[&[u8]]) -> Vec<u8> {
    bx(kind, &[&flags.to_be_bytes(), &parts.concat()])
}

fn ftyp(major: &[u8; 4], compat: &[&[u8; 4]]) -> Vec<u8> {
    let mut body = major.to_vec();
    body.extend_from_slice(&0u32.to_be_bytes());
    for c in compat {
        body.extend_from_slice(*c);
    }
    bx(b"ftyp", &[&body])
}

fn mvhd_v0(timescale: u32, duration: u32) -> Vec<u8> {
    full(b"mvhd", 0, &[&[0; 8], &timescale.to_be_bytes(), &duration.to_be_bytes(), &[0; 80]])
}

fn mvhd_v1(timescale: u32, duration: u64) -> Vec<u8> {
    full(b"mvhd", 1, &[&[0; 16], &timescale.to_be_bytes(), &duration.to_be_bytes(), &[0; 80]])
}

fn trak(handler: &[u8; 4], codec: &[u8; 4], channels: u16, rate: u32) -> Vec<u8> {
    trak_with(1, handler, codec, channels, rate, &[], rate * 2)
}

fn trak_with(id: u32, handler: &[u8; 4], codec: &[u8; 4], channels: u16, rate: u32, extra: &[u8], dur: u32) -> Vec<u8> {
    let tkhd = full(b"tkhd", 0, &[&[0; 8], &id.to_be_bytes(), &[0; 68]]);
    let mdhd = full(b"mdhd", 0, &[&[0; 8], &rate.to_be_bytes(), &dur.to_be_bytes(), &[0x55, 0xC4, 0, 0]]);
    let hdlr = full(b"hdlr", 0, &[&[0; 4], handler, &[0; 12], b"Handler\0"]);
    let entry = bx(
        codec,
        &[
            &[0; 6],
            &1u16.to_be_bytes(),
            &[0; 8],
            &channels.to_be_bytes(),
            &16u16.to_be_bytes(),
            &[0; 4],
            &(rate << 16).to_be_bytes(),
            extra,
        ],
    );
    let stsd = full(b"stsd", 0, &[&1u32.to_be_bytes(), &entry]);
    let stbl = bx(b"stbl", &[&stsd, &full(b"stts", 0, &[&[0; 4]])]);
    let minf = bx(b"minf", &[&full(b"smhd", 0, &[&[0; 4]]), &stbl]);
    let mdia = bx(b"mdia", &[&mdhd, &hdlr, &minf]);
    bx(b"trak", &[&tkhd, &mdia])
}

/// An esds box for AAC-LC with the given sampling-frequency index and channel configuration,
/// written with four-byte descriptor lengths as ffmpeg does.
fn esds(sfi: u8, channel_config: u8) -> Vec<u8> {
    let asc = [(2 << 3) | (sfi >> 1), ((sfi & 1) << 7) | (channel_config << 3)];
    let dsi = [&[0x05, 0x80, 0x80, 0x80, asc.len() as u8][..], &asc].concat();
    let dcd_body = [&[0x40, 0x15, 0, 0, 0, 0, 1, 0x0D, 0x88, 0, 1, 0x0D, 0x88][..], &dsi].concat();
    let dcd = [&[0x04, 0x80, 0x80, 0x80, dcd_body.len() as u8][..], &dcd_body].concat();
    let sl = [0x06, 0x80, 0x80, 0x80, 0x01, 0x02];
    let es_body = [&[0x00, 0x01, 0x00][..], &dcd, &sl].concat();
    let es = [&[0x03, 0x80, 0x80, 0x80, es_body.len() as u8][..], &es_body].concat();
    full(b"esds", 0, &[&es])
}

/// AAC stereo 44.1 kHz, 2.5 s, `moov` after `mdat`.
fn m4a_sample() -> Vec<u8> {
    let moov = bx(b"moov", &[&mvhd_v0(1000, 2500), &trak(b"soun", b"mp4a", 2, 44_100)]);
    [ftyp(b"M4A ", &[b"M4A ", b"mp42", b"isom"]), bx(b"mdat", &[&[0u8; 1000]]), moov].concat()
}

// ---------------------------------------------------------------------------------------
// Accepted recordings
// ---------------------------------------------------------------------------------------

#[test]
fn wav_pcm() {
    let info = accepted(&wav_sample());
    assert_eq!(info.format, AudioFormat::Wav);
    assert_eq!((info.channels, info.sample_rate, info.codec), (Some(1), Some(8000), "pcm"));
    assert_duration(&info, 500);
}

#[test]
fn wav_float_extensible_and_mulaw() {
    let data = vec![0u8; 48_000 * 2 * 4];
    let w = riff(b"WAVE", &[(b"fmt ", extensible_fmt(3, 2, 48_000, 32)), (b"data", data)]);
    let info = accepted(&w);
    assert_eq!((info.codec, info.channels, info.sample_rate), ("float", Some(2), Some(48_000)));
    assert_duration(&info, 1000);

    let w = riff(b"WAVE", &[(b"fmt ", fmt_chunk(7, 1, 8000, 8)), (b"data", vec![0xFF; 16_000])]);
    let info = accepted(&w);
    assert_eq!(info.codec, "mulaw");
    assert_duration(&info, 2000);
}

#[test]
fn wav_rf64() {
    let mut ds64 = Vec::new();
    ds64.extend_from_slice(&0u64.to_le_bytes());
    ds64.extend_from_slice(&16_000u64.to_le_bytes());
    ds64.extend_from_slice(&8_000u64.to_le_bytes());
    ds64.extend_from_slice(&0u32.to_le_bytes());
    let mut w = riff(b"WAVE", &[(b"ds64", ds64), (b"fmt ", fmt_chunk(1, 1, 8000, 16)), (b"data", vec![0; 16_000])]);
    w[..4].copy_from_slice(b"RF64");
    w[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    let data_size_at = w.len() - 16_000 - 4;
    w[data_size_at..data_size_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let info = accepted(&w);
    assert_eq!(info.format, AudioFormat::Wav);
    assert_duration(&info, 1000);
}

#[test]
fn mp3_id3_cbr() {
    let info = accepted(&mp3_sample());
    assert_eq!(info.format, AudioFormat::Mp3);
    assert_eq!((info.codec, info.channels, info.sample_rate), ("mp3", Some(1), Some(44_100)));
    assert_duration(&info, 40 * 1152 * 1000 / 44_100);
}

#[test]
fn mp3_bare_frames_and_xing() {
    let info = accepted(&mp3_frames(40, false));
    assert_duration(&info, 40 * 1152 * 1000 / 44_100);

    let info = accepted(&mp3_xing_sample());
    assert_duration(&info, 80 * 1152 * 1000 / 44_100);
}

#[test]
fn mp3_after_id3_padding_zeros() {
    let mut m = id3v2(20);
    m.extend([0u8; 37]);
    m.extend(mp3_frames(20, false));
    assert_eq!(accepted(&m).format, AudioFormat::Mp3);
}

#[test]
fn ogg_opus() {
    let info = accepted(&opus_sample());
    assert_eq!(info.format, AudioFormat::Ogg);
    assert_eq!((info.codec, info.channels, info.sample_rate), ("opus", Some(1), Some(16_000)));
    assert_duration(&info, 2000);
}

#[test]
fn ogg_vorbis() {
    let info = accepted(&vorbis_sample());
    assert_eq!((info.codec, info.channels, info.sample_rate), ("vorbis", Some(2), Some(44_100)));
    assert_duration(&info, 1500);
}

#[test]
fn ogg_with_skeleton_first() {
    let fishead = [b"fishead\x00".as_slice(), &[0u8; 56]].concat();
    let mut o = page(0x02, 0, 9, 0, &[&fishead]);
    let opus = opus_sample();
    o.extend(opus);
    o.extend(page(0x04, 0, 9, 1, &[]));
    // The skeleton's EOS page is last: the audio stream's last page is found behind it.
    let info = accepted(&o);
    assert_eq!(info.codec, "opus");
    assert_duration(&info, 2000);
}

#[test]
fn m4a_aac() {
    let info = accepted(&m4a_sample());
    assert_eq!(info.format, AudioFormat::M4a);
    assert_eq!((info.codec, info.channels, info.sample_rate), ("aac", Some(2), Some(44_100)));
    assert_duration(&info, 2500);
}

#[test]
fn m4a_moov_first_v1_alac() {
    let moov = bx(b"moov", &[&mvhd_v1(48_000, 48_000 * 90), &trak(b"soun", b"alac", 1, 48_000)]);
    let f = [ftyp(b"isom", &[b"isom"]), moov, bx(b"mdat", &[&[0u8; 64]])].concat();
    let info = accepted(&f);
    assert_eq!(info.codec, "alac");
    assert_duration(&info, 90_000);
}

#[test]
fn m4a_large_mdat_size() {
    // mdat with a 64-bit largesize.
    let mut mdat = 1u32.to_be_bytes().to_vec();
    mdat.extend_from_slice(b"mdat");
    mdat.extend_from_slice(&(16u64 + 100).to_be_bytes());
    mdat.extend([0u8; 100]);
    let moov = bx(b"moov", &[&mvhd_v0(600, 600 * 3), &trak(b"soun", b"mp4a", 1, 22_050)]);
    let info = accepted(&[ftyp(b"M4A ", &[]), mdat, moov].concat());
    assert_duration(&info, 3000);
}

#[test]
fn m4a_aac_channels_from_esds() {
    // The sample entry says 2 channels (as ISO requires); the AudioSpecificConfig says mono.
    let t = trak_with(1, b"soun", b"mp4a", 2, 16_000, &esds(8, 1), 16_000 * 3);
    let f = [ftyp(b"M4A ", &[b"M4A "]), bx(b"moov", &[&mvhd_v0(1000, 3000), &t])].concat();
    let info = accepted(&f);
    assert_eq!((info.channels, info.sample_rate, info.codec), (Some(1), Some(16_000), "aac"));
    assert_eq!(aac_channels(&[0x14, 0x08]), Some(1));
    assert_eq!(aac_channels(&[0x12, 0x10]), Some(2));
    assert_eq!(aac_channels(&[0x12, 0x00]), None);
}

/// A fragmented M4A (empty moov, one moof/mdat pair per fragment), 48 kHz AAC, with
/// 1024-sample frames: `fragments` × `per_fragment` frames.
fn fragmented_m4a(fragments: u32, per_fragment: u32, explicit_durations: bool) -> Vec<u8> {
    let trex = full(b"trex", 0, &[&1u32.to_be_bytes(), &1u32.to_be_bytes(), &1024u32.to_be_bytes(), &[0; 8]]);
    let moov = bx(
        b"moov",
        &[&mvhd_v0(1000, 0), &trak_with(1, b"soun", b"mp4a", 2, 48_000, &esds(3, 2), 0), &bx(b"mvex", &[&trex])],
    );
    let mut out = [ftyp(b"iso6", &[b"iso6", b"dash"]), moov].concat();
    for i in 0..fragments {
        let tfhd = full(b"tfhd", 0, &[&1u32.to_be_bytes()]);
        let tfdt = full(b"tfdt", 1, &[&(u64::from(i * per_fragment) * 1024).to_be_bytes()]);
        let trun = if explicit_durations {
            let entries: Vec<u8> =
                (0..per_fragment).flat_map(|_| [1024u32.to_be_bytes(), 10u32.to_be_bytes()]).flatten().collect();
            full_flags(b"trun", 0x0000_0301, &[&per_fragment.to_be_bytes(), &[0; 4], &entries])
        } else {
            full_flags(b"trun", 0x0000_0001, &[&per_fragment.to_be_bytes(), &[0; 4]])
        };
        let traf = bx(b"traf", &[&tfhd, &tfdt, &trun]);
        out.extend(bx(b"moof", &[&full(b"mfhd", 0, &[&(i + 1).to_be_bytes()]), &traf]));
        out.extend(bx(b"mdat", &[&vec![0u8; per_fragment as usize * 10]]));
    }
    out
}

#[test]
fn m4a_fragmented_duration_from_last_fragment() {
    // 30 fragments × 47 frames × 1024 samples at 48 kHz.
    let expected = 30 * 47 * 1024 * 1000 / 48_000;
    for explicit in [true, false] {
        let info = accepted(&fragmented_m4a(30, 47, explicit));
        assert_eq!((info.channels, info.codec), (Some(2), "aac"));
        assert_duration(&info, expected);
    }
    assert!(matches!(inspect_max(&fragmented_m4a(30, 47, true), 10_000), Err(AudioRefusal::TooLong { .. })));
}

#[test]
fn mp3_cut_short_of_its_xing_byte_count() {
    let mut frames = mp3_frames(81, true);
    let total = frames.len() as u32;
    frames[25..29].copy_from_slice(&3u32.to_be_bytes());
    frames[33..37].copy_from_slice(&total.to_be_bytes());
    let full = [id3v2(30), frames].concat();
    assert_duration(&accepted(&full), 80 * 1152 * 1000 / 44_100);
    assert_eq!(inspect(&full[..full.len() - 500]), Err(AudioRefusal::Truncated));
}

// ---------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------

#[test]
fn refuses_documents_and_images() {
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_vec();
    let text = b"Interview with Ms. Example, 3 March. Q: Where were you born? A: ...\n".repeat(20);
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
    jpeg.extend([0u8; 500]);
    jpeg.extend([0xFF, 0xD9]);
    for f in [pdf, text, jpeg] {
        assert_eq!(inspect(&f), Err(AudioRefusal::NotAudio));
        assert_eq!(sniff_audio(&f), None);
    }
}

#[test]
fn refuses_random_bytes() {
    let mut rng = Lcg(0x5EED);
    let noise = rng.bytes(4096);
    assert_eq!(inspect(&noise), Err(AudioRefusal::NotAudio));
}

#[test]
fn refuses_truncated_wav() {
    // Header only: the data chunk claims 8000 bytes that are not there.
    assert_eq!(inspect(&wav_claiming(8000, 0)), Err(AudioRefusal::Truncated));
    // RIFF/WAVE/fmt and nothing else.
    let w = riff(b"WAVE", &[(b"fmt ", fmt_chunk(1, 1, 8000, 16))]);
    assert_eq!(inspect(&w), Err(AudioRefusal::Truncated));
    // Every strict prefix of a WAV is refused.
    let full = wav_sample();
    for n in 0..full.len() {
        let r = inspect(&full[..n]);
        assert!(r.is_err(), "prefix {n} accepted: {r:?}");
    }
}

#[test]
fn wav_data_claiming_4_gib_in_1_kib() {
    // 0xFFFFFFFF is the streaming "unknown length": the data runs to the end of the file.
    let w = wav_claiming(u32::MAX, 1024 - 44);
    let info = accepted(&w);
    assert_eq!(info.duration_ms, Some((1024 - 44) * 1000 / 16_000));
    // Any other impossible size is Truncated.
    assert_eq!(inspect(&wav_claiming(0x7FFF_FFFF, 1024 - 44)), Err(AudioRefusal::Truncated));
    assert_eq!(inspect(&wav_claiming(0xFFFF_FFFE, 1024 - 44)), Err(AudioRefusal::Truncated));
}

#[test]
fn refuses_riff_avi_and_bad_wav_fmt() {
    let avi = riff(b"AVI ", &[(b"LIST", b"hdrlavih".to_vec()), (b"JUNK", vec![0; 100])]);
    assert_eq!(inspect(&avi), Err(AudioRefusal::NotAudio));
    assert_eq!(sniff_audio(&avi), None);

    let zero_channels = riff(b"WAVE", &[(b"fmt ", fmt_chunk(1, 0, 8000, 16)), (b"data", vec![0; 100])]);
    assert_eq!(inspect(&zero_channels), Err(AudioRefusal::NotAudio));
    let adpcm = riff(b"WAVE", &[(b"fmt ", fmt_chunk(0x11, 1, 8000, 4)), (b"data", vec![0; 100])]);
    assert_eq!(inspect(&adpcm), Err(AudioRefusal::Unsupported("WAV codec 0x0011".to_string())));
}

#[test]
fn refuses_single_mp3_frame_sync() {
    let mut f = mp3_frames(1, false);
    f.extend(Lcg(7).bytes(4096));
    assert_eq!(inspect(&f), Err(AudioRefusal::NotAudio));
    // One lone frame and nothing after it: the second frame is missing.
    assert_eq!(inspect(&mp3_frames(1, false)), Err(AudioRefusal::Truncated));
    // An ID3 tag followed by text.
    let mut t = id3v2(10);
    t.extend(b"just some words, not audio at all".repeat(10));
    assert_eq!(inspect(&t), Err(AudioRefusal::NotAudio));
    // An ID3 tag whose size runs past the end.
    assert_eq!(inspect(&id3v2(500)[..200]), Err(AudioRefusal::Truncated));
}

#[test]
fn refuses_mp4_video() {
    let moov =
        bx(b"moov", &[&mvhd_v0(1000, 2500), &trak(b"soun", b"mp4a", 2, 44_100), &trak(b"vide", b"avc1", 0, 90_000)]);
    let f = [ftyp(b"isom", &[b"isom", b"avc1"]), bx(b"mdat", &[&[0u8; 100]]), moov].concat();
    assert_eq!(inspect(&f), Err(AudioRefusal::Unsupported("video".to_string())));
    assert_eq!(inspect(&f).map_err(|e| e.code()), Err("unsupported"));
}

#[test]
fn refuses_quicktime_images_and_broken_mp4() {
    let moov = bx(b"moov", &[&mvhd_v0(1000, 2500), &trak(b"soun", b"mp4a", 2, 44_100)]);
    let qt = [ftyp(b"qt  ", &[b"qt  "]), moov.clone()].concat();
    assert_eq!(inspect(&qt), Err(AudioRefusal::Unsupported("QuickTime movie".to_string())));
    // A QuickTime brand that also lists an accepted brand is inspected like any M4A.
    let qt_m4a = [ftyp(b"qt  ", &[b"qt  ", b"M4A "]), moov.clone()].concat();
    assert!(inspect(&qt_m4a).is_ok());
    let heic = [ftyp(b"heic", &[b"mif1", b"heic"]), bx(b"meta", &[&[0u8; 20]])].concat();
    assert_eq!(inspect(&heic), Err(AudioRefusal::NotAudio));
    // No moov: a recording that was never finalised.
    let no_moov = [ftyp(b"M4A ", &[b"M4A "]), bx(b"mdat", &[&[0u8; 500]])].concat();
    assert_eq!(inspect(&no_moov), Err(AudioRefusal::Truncated));
    // A moov without a sound track.
    let no_sound = [ftyp(b"M4A ", &[]), bx(b"moov", &[&mvhd_v0(1000, 100), &trak(b"text", b"tx3g", 0, 1000)])].concat();
    assert_eq!(inspect(&no_sound), Err(AudioRefusal::NotAudio));
    // Every strict prefix of an M4A whose moov is last is refused.
    let full = m4a_sample();
    for n in 0..full.len() {
        assert!(inspect(&full[..n]).is_err(), "prefix {n} accepted");
    }
}

#[test]
fn refuses_ogg_video_bad_crc_and_cut_end() {
    let theora = [b"\x80theora".as_slice(), &[3, 2, 1, 0, 20, 0, 15, 0, 0, 0, 0, 0]].concat();
    let mut o = page(0x02, 0, 1, 0, &[&theora]);
    o.extend(page(0x02, 0, 2, 0, &[&vorbis_id(2, 44_100)]));
    o.extend(page(0x04, 44_100, 2, 1, &[&[0u8; 10]]));
    assert_eq!(inspect(&o), Err(AudioRefusal::Unsupported("video".to_string())));
    assert_eq!(sniff_audio(&o), None);

    // Video in a later beginning-of-stream page.
    let mut o = page(0x02, 0, 2, 0, &[&vorbis_id(2, 44_100)]);
    o.extend(page(0x02, 0, 1, 0, &[&theora]));
    o.extend(page(0x04, 44_100, 2, 1, &[&[0u8; 10]]));
    assert_eq!(inspect(&o), Err(AudioRefusal::Unsupported("video".to_string())));

    let mut bad_crc = opus_sample();
    bad_crc[30] ^= 0x01;
    assert_eq!(inspect(&bad_crc), Err(AudioRefusal::NotAudio));

    let full = opus_sample();
    assert_eq!(inspect(&full[..full.len() - 10]), Err(AudioRefusal::Truncated));

    // Chained: a second recording appended after the first one ended.
    let chained = [opus_sample(), vorbis_sample()].concat();
    assert!(matches!(inspect(&chained), Err(AudioRefusal::Unsupported(s)) if s.contains("chained")));
    // Multiplexed: both streams begin at the start; the first audio stream is measured.
    let opus = opus_sample();
    let vorbis = vorbis_sample();
    let (o_bos, o_rest) = opus.split_at(27 + 1 + 19);
    let (v_bos, v_rest) = vorbis.split_at(27 + 1 + 30);
    let muxed = [o_bos, v_bos, o_rest, v_rest].concat();
    assert_duration(&accepted(&muxed), 2000);

    let speex = [b"Speex   ".as_slice(), &[0u8; 72]].concat();
    let mut s = page(0x02, 0, 5, 0, &[&speex]);
    s.extend(page(0x04, 8000, 5, 1, &[&[0u8; 10]]));
    assert_eq!(inspect(&s), Err(AudioRefusal::Unsupported("Ogg Speex".to_string())));
}

#[test]
fn refuses_too_long() {
    assert_eq!(inspect_max(&wav_sample(), 100), Err(AudioRefusal::TooLong { max_ms: 100 }));
    assert_eq!(inspect_max(&opus_sample(), 1999), Err(AudioRefusal::TooLong { max_ms: 1999 }));
    assert!(inspect_max(&opus_sample(), 2000).is_ok());
    assert!(matches!(inspect_max(&m4a_sample(), 1000), Err(AudioRefusal::TooLong { max_ms: 1000 })));
    assert!(matches!(inspect_max(&mp3_sample(), 10), Err(AudioRefusal::TooLong { .. })));
}

#[test]
fn short_and_empty_files() {
    assert_eq!(inspect(b""), Err(AudioRefusal::NotAudio));
    assert_eq!(inspect(b"RIF"), Err(AudioRefusal::Truncated));
    assert_eq!(inspect(b"RIFF\x24\x00\x00\x00WAV"), Err(AudioRefusal::Truncated));
    assert_eq!(inspect(b"ID3\x04\x00"), Err(AudioRefusal::Truncated));
    assert_eq!(inspect(b"OggS\x00\x02"), Err(AudioRefusal::Truncated));
    assert_eq!(inspect(&[0xFF, 0xFB, 0x50, 0xC0]), Err(AudioRefusal::Truncated));
    assert_eq!(inspect(b"\x00\x00\x00\x18ftypM"), Err(AudioRefusal::Truncated));
    assert_eq!(inspect(b"hello"), Err(AudioRefusal::NotAudio));
    assert_eq!(inspect(b"R"), Err(AudioRefusal::NotAudio));
}

#[test]
fn reader_shorter_than_announced_len() {
    let w = wav_sample();
    let r = inspect_audio(&mut Cursor::new(&w[..100]), w.len() as u64, u64::MAX);
    assert_eq!(r, Err(AudioRefusal::Truncated));
}

#[test]
fn names_known_unsupported_formats() {
    let cases: [(&[u8], &str); 5] = [
        (b"fLaC\x00\x00\x00\x22\x10\x00\x10\x00", "FLAC"),
        (b"FORM\x00\x00\x10\x00AIFFCOMM", "AIFF"),
        (b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81", "WebM/Matroska"),
        (b"#!AMR\n\x3C\x00\x00\x00\x00\x00", "AMR"),
        (b"\xFF\xF1\x50\x80\x02\x1F\xFC\x00\x00\x00\x00\x00", "raw AAC (ADTS)"),
    ];
    for (bytes, name) in cases {
        assert_eq!(inspect(bytes), Err(AudioRefusal::Unsupported(name.to_string())));
    }
}

// ---------------------------------------------------------------------------------------
// Sniffing, names, messages
// ---------------------------------------------------------------------------------------

#[test]
fn sniffs_each_format_from_its_head() {
    assert_eq!(sniff_audio(&wav_sample()[..12]), Some(AudioFormat::Wav));
    assert_eq!(sniff_audio(&mp3_sample()[..12]), Some(AudioFormat::Mp3));
    assert_eq!(sniff_audio(&mp3_frames(2, false)[..12]), Some(AudioFormat::Mp3));
    assert_eq!(sniff_audio(&opus_sample()[..12]), Some(AudioFormat::Ogg));
    assert_eq!(sniff_audio(&opus_sample()[..64]), Some(AudioFormat::Ogg));
    assert_eq!(sniff_audio(&vorbis_sample()[..64]), Some(AudioFormat::Ogg));
    assert_eq!(sniff_audio(&m4a_sample()[..12]), Some(AudioFormat::M4a));
    assert_eq!(sniff_audio(&ftyp(b"qt  ", &[b"qt  "])), None);
    assert_eq!(sniff_audio(b"%PDF-1.7\n%abc"), None);
    assert_eq!(sniff_audio(b""), None);
}

#[test]
fn format_names() {
    let names: Vec<_> = AudioFormat::ALL.iter().map(|f| (f.as_str(), f.extension(), f.as_mime())).collect();
    assert_eq!(
        names,
        [
            ("wav", "wav", "audio/wav"),
            ("mp3", "mp3", "audio/mpeg"),
            ("ogg", "ogg", "audio/ogg"),
            ("m4a", "m4a", "audio/mp4")
        ]
    );
}

#[test]
fn refusal_codes_and_messages() {
    assert_eq!(AudioRefusal::NotAudio.code(), "not_audio");
    assert_eq!(AudioRefusal::Truncated.code(), "truncated");
    assert_eq!(AudioRefusal::Unsupported("x".into()).code(), "unsupported");
    assert_eq!(AudioRefusal::TooLong { max_ms: 1 }.code(), "too_long");
    assert_eq!(AudioRefusal::NotAudio.to_string(), "this file is not a WAV, MP3, Ogg or M4A recording");
    assert!(AudioRefusal::Unsupported("video".into()).to_string().contains("contains video"));
    assert!(AudioRefusal::Unsupported("FLAC".into())
        .to_string()
        .ends_with("not accepted: FLAC; please supply it as WAV, MP3, Ogg or M4A"));
    assert_eq!(
        AudioRefusal::TooLong { max_ms: 5_400_000 }.to_string(),
        "this recording is longer than the maximum allowed length of 1 h 30 min"
    );
    assert_eq!(human_duration(1500), "1.5 s");
    assert_eq!(human_duration(0), "0 s");
    assert_eq!(human_duration(3_600_000), "1 h");
    assert_eq!(human_duration(61_000), "1 min 1 s");
}

#[test]
fn ogg_crc_matches_reference() {
    // CRC-32/POSIX without its final inversion: check value 0x765E7680 ^ 0xFFFFFFFF.
    assert_eq!(ogg_crc(0, b"123456789"), 0x89A1_897F);
    assert_eq!(ogg_crc_reference(b"123456789"), 0x89A1_897F);
    let data = Lcg(3).bytes(1000);
    assert_eq!(ogg_crc(0, &data), ogg_crc_reference(&data));
}

// ---------------------------------------------------------------------------------------
// Bounded reading on huge files that are never in memory
// ---------------------------------------------------------------------------------------

const GIB: u64 = 1 << 30;
/// A few windows plus headers.
const READ_BUDGET: u64 = 3 * 64 * 1024;

fn zeros() -> Box<dyn Fn(u64) -> u8> {
    Box::new(|_| 0)
}

#[test]
fn huge_wav_reads_only_headers() {
    let len = 3 * GIB;
    let header = wav_claiming((len - 44) as u32, 0);
    let mut v = Virtual::new(header, len, Vec::new(), zeros());
    let info = inspect_audio(&mut v, len, u64::MAX).expect("a WAV");
    assert_eq!(info.duration_ms, Some((len - 44) * 1000 / 16_000));
    assert!(v.read <= READ_BUDGET, "read {} bytes", v.read);
    let mut v = Virtual::new(wav_claiming((len - 44) as u32, 0), len, Vec::new(), zeros());
    assert_eq!(inspect_audio(&mut v, len, 4 * 3_600_000), Err(AudioRefusal::TooLong { max_ms: 4 * 3_600_000 }));
}

#[test]
fn huge_mp3_reads_only_headers() {
    let len = GIB;
    let tag = id3v2(0);
    // Unpadded 208-byte frames repeated for a whole gigabyte.
    let fill = Box::new(move |o: u64| {
        let rel = (o - 10) % 208;
        match rel {
            0 => 0xFF,
            1 => 0xFB,
            2 => 0x50,
            3 => 0xC0,
            _ => 0,
        }
    });
    let mut v = Virtual::new(tag, len, Vec::new(), fill);
    let info = inspect_audio(&mut v, len, u64::MAX).expect("an MP3");
    assert_eq!(info.duration_ms, Some((len - 10) * 8 / 64));
    assert!(v.read <= READ_BUDGET, "read {} bytes", v.read);
}

#[test]
fn huge_ogg_reads_two_windows() {
    let len = 2 * GIB;
    let head = opus_sample();
    let first_pages =
        head[..head.len() - page(0x04, 0, 0x1234_5678, 3, &[&[0xF8u8, 0xFF, 0xFE][..]; 50]).len()].to_vec();
    let hours = 10 * 3600 * 48_000u64;
    let last = page(0x04, 312 + hours, 0x1234_5678, 99, &[&[0xF8u8, 0xFF, 0xFE][..]; 50]);
    let mut v = Virtual::new(first_pages, len, last, zeros());
    let info = inspect_audio(&mut v, len, u64::MAX).expect("an Opus file");
    assert_eq!(info.duration_ms, Some(10 * 3_600_000));
    assert!(v.read <= READ_BUDGET, "read {} bytes", v.read);
}

#[test]
fn huge_m4a_reads_only_headers() {
    let payload = 5 * GIB;
    let mut head = ftyp(b"M4A ", &[b"M4A "]);
    head.extend_from_slice(&1u32.to_be_bytes());
    head.extend_from_slice(b"mdat");
    head.extend_from_slice(&(16 + payload).to_be_bytes());
    let moov = bx(b"moov", &[&mvhd_v1(44_100, 44_100 * 3600 * 30), &trak(b"soun", b"mp4a", 2, 44_100)]);
    let len = head.len() as u64 + payload + moov.len() as u64;
    let mut v = Virtual::new(head, len, moov, zeros());
    let r = inspect_audio(&mut v, len, 8 * 3_600_000);
    assert_eq!(r, Err(AudioRefusal::TooLong { max_ms: 8 * 3_600_000 }));
    assert!(v.read <= READ_BUDGET, "read {} bytes", v.read);
}

#[test]
fn many_tiny_chunks_are_capped() {
    let mut w = b"RIFF\x00\x00\x00\x00WAVE".to_vec();
    for _ in 0..5000 {
        w.extend_from_slice(b"JUNK\x00\x00\x00\x00");
    }
    assert_eq!(inspect(&w), Err(AudioRefusal::NotAudio));
    let frees: Vec<u8> = (0..5000).flat_map(|_| bx(b"free", &[])).collect();
    let m = [ftyp(b"M4A ", &[]), bx(b"moov", &[&frees])].concat();
    assert_eq!(inspect(&m), Err(AudioRefusal::NotAudio));
    // Top-level boxes cost no memory and have a much higher cap.
    let m = [ftyp(b"M4A ", &[]), frees, bx(b"moov", &[&mvhd_v0(1000, 500), &trak(b"soun", b"mp4a", 1, 8000)])].concat();
    assert_duration(&accepted(&m), 500);
}

// ---------------------------------------------------------------------------------------
// Hostile input: seeded random mutations must never panic
// ---------------------------------------------------------------------------------------

fn mutate(rng: &mut Lcg, base: &[u8]) -> (Vec<u8>, u64) {
    let mut b = base.to_vec();
    for _ in 0..1 + rng.below(3) {
        if b.is_empty() {
            break;
        }
        let at = rng.below(b.len());
        match rng.below(7) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b[at] = rng.next() as u8,
            2 => {
                let v = [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01];
                let from = rng.below(5);
                for (i, x) in v[from..from + 4].iter().enumerate() {
                    if let Some(slot) = b.get_mut(at + i) {
                        *slot = *x;
                    }
                }
            }
            3 => {
                let word = rng.next().to_le_bytes();
                for (i, x) in word.iter().enumerate() {
                    if let Some(slot) = b.get_mut(at + i) {
                        *slot = *x;
                    }
                }
            }
            4 => b.truncate(at),
            5 => {
                let n = 1 + rng.below(16);
                let extra = rng.bytes(n);
                b.splice(at..at, extra);
            }
            _ => {
                let end = (at + 1 + rng.below(16)).min(b.len());
                b.drain(at..end);
            }
        }
    }
    // Now and then the caller announces a wrong length.
    let len = match rng.below(10) {
        0 => b.len() as u64 + rng.below(1000) as u64,
        1 => u64::MAX,
        _ => b.len() as u64,
    };
    (b, len)
}

#[test]
fn random_mutations_never_panic() {
    let samples: [(&str, Vec<u8>); 8] = [
        ("wav", wav_sample()),
        ("m4a-fragmented", fragmented_m4a(3, 5, true)),
        (
            "m4a-esds",
            [
                ftyp(b"M4A ", &[b"M4A "]),
                bx(b"moov", &[&mvhd_v0(1000, 3000), &trak_with(1, b"soun", b"mp4a", 2, 16_000, &esds(8, 1), 1)]),
            ]
            .concat(),
        ),
        ("mp3", mp3_sample()),
        ("mp3-xing", mp3_xing_sample()),
        ("opus", opus_sample()),
        ("vorbis", vorbis_sample()),
        ("m4a", m4a_sample()),
    ];
    for (name, base) in &samples {
        let mut rng = Lcg(0xA0D1_0000 ^ base.len() as u64);
        let mut outcomes = [0u32; 5];
        for i in 0..2000 {
            let (bytes, len) = mutate(&mut rng, base);
            let result = catch_unwind(AssertUnwindSafe(|| {
                let _ = sniff_audio(&bytes);
                inspect_audio(&mut Cursor::new(&bytes), len, 3_600_000)
            }));
            match result {
                Ok(Ok(_)) => outcomes[0] += 1,
                Ok(Err(e)) => {
                    let slot = ["not_audio", "truncated", "unsupported", "too_long"]
                        .iter()
                        .position(|c| *c == e.code())
                        .expect("a known code");
                    outcomes[slot + 1] += 1;
                }
                Err(_) => panic!("{name}: mutation {i} panicked on {} bytes (len {len})", bytes.len()),
            }
        }
        // The mutations exercise both acceptance and refusal paths.
        assert!(outcomes[0] > 0 && outcomes[1..].iter().sum::<u32>() > 0, "{name}: {outcomes:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Real recordings (optional)
// ---------------------------------------------------------------------------------------

/// Every file in `$AUDIO_REAL_DIR` must be accepted; with `$AUDIO_REAL_MS`, its duration
/// must be within 1 % of it. Example:
/// `AUDIO_REAL_DIR=/tmp/audio-real AUDIO_REAL_MS=3000 cargo test -- --ignored --nocapture`
#[test]
#[ignore = "needs real recordings in $AUDIO_REAL_DIR"]
fn real_recordings() {
    let Ok(dir) = std::env::var("AUDIO_REAL_DIR") else { return };
    let expected: Option<u64> = std::env::var("AUDIO_REAL_MS").ok().and_then(|v| v.parse().ok());
    let mut paths: Vec<_> =
        std::fs::read_dir(&dir).expect("AUDIO_REAL_DIR readable").map(|e| e.expect("dir entry").path()).collect();
    paths.sort();
    assert!(!paths.is_empty(), "no files in {dir}");
    for path in paths {
        let mut file = std::fs::File::open(&path).expect("file opens");
        let len = file.metadata().expect("metadata").len();
        let result = inspect_audio(&mut file, len, u64::MAX);
        println!("{}: {result:?}", path.display());
        let info = result.unwrap_or_else(|e| panic!("{} refused: {e}", path.display()));
        if let Some(ms) = expected {
            assert_duration(&info, ms);
        }
    }
}
