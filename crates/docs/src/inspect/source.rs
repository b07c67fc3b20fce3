//! Random access to the bytes under inspection: a slice, or a file read through one small window.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::Refusal;

/// Bytes that can be read at any offset. Reading past the end is a truncated file.
pub(crate) trait Source {
    fn len(&self) -> u64;

    /// Fills `buf` with the bytes at `offset`, or refuses the file as truncated.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Refusal>;

    fn u8_at(&mut self, offset: u64) -> Result<u8, Refusal> {
        let mut b = [0u8; 1];
        self.read_at(offset, &mut b)?;
        Ok(b[0])
    }

    fn array_at<const N: usize>(&mut self, offset: u64) -> Result<[u8; N], Refusal> {
        let mut b = [0u8; N];
        self.read_at(offset, &mut b)?;
        Ok(b)
    }
}

fn truncated() -> Refusal {
    Refusal::malformed("truncated: the file ends in the middle of its structure")
}

fn end_of(offset: u64, len: usize) -> Result<u64, Refusal> {
    offset.checked_add(len as u64).ok_or_else(truncated)
}

pub(crate) struct SliceSource<'a> {
    bytes: &'a [u8],
}

impl<'a> SliceSource<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        SliceSource { bytes }
    }
}

impl Source for SliceSource<'_> {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Refusal> {
        let end = end_of(offset, buf.len())?;
        let start = usize::try_from(offset).map_err(|_| truncated())?;
        let end = usize::try_from(end).map_err(|_| truncated())?;
        let bytes = self.bytes.get(start..end).ok_or_else(truncated)?;
        buf.copy_from_slice(bytes);
        Ok(())
    }
}

/// Size of the window through which a file is read.
const WINDOW: usize = 64 * 1024;

/// A file read through one window of [`WINDOW`] bytes, moved on demand.
pub(crate) struct FileSource {
    file: File,
    len: u64,
    window: Vec<u8>,
    window_start: u64,
}

impl FileSource {
    pub(crate) fn open(path: &Path) -> Result<FileSource, Refusal> {
        let file = File::open(path).map_err(|e| Refusal::io(&e))?;
        let len = file.metadata().map_err(|e| Refusal::io(&e))?.len();
        Ok(FileSource { file, len, window: Vec::new(), window_start: 0 })
    }

    /// Reads the whole file, refusing it if it holds more than `max_bytes` (it may have grown
    /// since its size was checked).
    pub(crate) fn read_all(&mut self, max_bytes: u64) -> Result<Vec<u8>, Refusal> {
        if self.len > max_bytes {
            return Err(Refusal::TooLarge { limit: max_bytes });
        }
        self.file.seek(SeekFrom::Start(0)).map_err(|e| Refusal::io(&e))?;
        let mut bytes = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        (&mut self.file).take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Refusal::io(&e))?;
        if bytes.len() as u64 > max_bytes {
            return Err(Refusal::TooLarge { limit: max_bytes });
        }
        Ok(bytes)
    }

    fn fill_window(&mut self, offset: u64) -> Result<(), Refusal> {
        self.file.seek(SeekFrom::Start(offset)).map_err(|e| Refusal::io(&e))?;
        self.window.clear();
        (&mut self.file).take(WINDOW as u64).read_to_end(&mut self.window).map_err(|e| Refusal::io(&e))?;
        self.window_start = offset;
        Ok(())
    }
}

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Refusal> {
        let end = end_of(offset, buf.len())?;
        if end > self.len {
            return Err(truncated());
        }
        let mut done = 0;
        while done < buf.len() {
            let at = offset + done as u64;
            let window_end = self.window_start + self.window.len() as u64;
            if at < self.window_start || at >= window_end {
                self.fill_window(at)?;
                if self.window.is_empty() {
                    // The file shrank while being read.
                    return Err(truncated());
                }
            }
            let from = usize::try_from(at - self.window_start).map_err(|_| truncated())?;
            let available = self.window.get(from..).ok_or_else(truncated)?;
            let n = available.len().min(buf.len() - done);
            let (dst, src) = (buf.get_mut(done..done + n), available.get(..n));
            match (dst, src) {
                (Some(dst), Some(src)) => dst.copy_from_slice(src),
                _ => return Err(truncated()),
            }
            done += n;
        }
        Ok(())
    }
}
