//! A file read once, as it streams past the CSV parser: hashed, checked as UTF-8, its BOM
//! dropped, and CR-only line ends turned into LF (so the parser counts lines). Nothing of the
//! file is kept, so memory does not grow with the file's size.

use sha2::{Digest, Sha256};
use std::io::{self, Read};

/// How re-saving fixes a file that is not CSV text.
const SAVE_AS: &str = "save it as \"CSV UTF-8\" (in Excel: File > Save As > CSV UTF-8)";

/// Bytes inspected before parsing: enough for the header line in any real export.
pub const PREFIX: usize = 64 * 1024;

/// What the first bytes of a file say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefix {
    /// The first bytes (BOM included).
    pub bytes: Vec<u8>,
    /// Whether the file is no longer than `bytes`.
    pub complete: bool,
}

impl Prefix {
    /// Reads up to [`PREFIX`] bytes.
    pub fn read(source: &mut impl Read) -> io::Result<Prefix> {
        let mut bytes = Vec::with_capacity(PREFIX);
        source.take(PREFIX as u64).read_to_end(&mut bytes)?;
        Ok(Prefix {
            complete: bytes.len() < PREFIX,
            bytes,
        })
    }

    /// The prefix without a UTF-8 byte-order mark.
    pub fn body(&self) -> &[u8] {
        self.bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&self.bytes)
    }

    /// Refuses what is plainly not CSV text (a workbook, UTF-16) or holds nothing.
    pub fn check(&self) -> Result<(), String> {
        let body = self.body();
        if body.starts_with(b"PK\x03\x04") {
            return Err(format!(
                "this is an Excel workbook or other zip file, not CSV; {SAVE_AS}"
            ));
        }
        if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
            return Err(format!(
                "this is UTF-16 text (Excel's \"Unicode Text\"); {SAVE_AS}"
            ));
        }
        if self.complete && body.iter().all(u8::is_ascii_whitespace) {
            return Err("the file is empty (expected a header row and data rows)".into());
        }
        Ok(())
    }

    /// Whether lines end with CR alone (old Mac exports): no LF anywhere in the prefix.
    pub fn cr_only(&self) -> bool {
        self.body().contains(&b'\r') && !self.body().contains(&b'\n')
    }
}

/// What is said of a byte that is not UTF-8: where it is (bytes counted after any BOM) and
/// how to read or fix the file.
pub fn not_utf8_message(at: u64, line: u64) -> String {
    format!("byte {at} (line {line}) is not UTF-8: the file is in another encoding (such as Windows-1252); give --encoding windows-1252, or {SAVE_AS}")
}

/// What is said of a line over `--max-record-bytes`.
pub fn long_line_message(line: u64, max: u64) -> String {
    format!("line {line} is longer than {max} bytes (--max-record-bytes): a quoted field may be missing its closing quote, or this may not be a CSV file")
}

/// The stream the parser reads; see the module documentation.
pub struct TextStream<R> {
    inner: R,
    hasher: Sha256,
    combined: Option<Sha256>,
    raw_bytes: u64,
    checked: u64,
    newlines: u64,
    /// `checked` when the stream began, so `checked - checked_from` is the parser's offset.
    checked_from: u64,
    /// Parser offsets of empty lines (a line end right after another, or first) not yet
    /// passed by the parser: csv skips them before a record and reports the record at the
    /// first one's line, so [`TextStream::empty_lines_at`] says how many to add.
    empty_lines: std::collections::VecDeque<u64>,
    /// Parser offset of the last line end, if any.
    last_line_end: Option<u64>,
    pending: Vec<u8>,
    bom_left: usize,
    cr_only: bool,
    /// Longest line allowed (0: any), and the length of the line being read.
    max_line: u64,
    line_len: u64,
    /// `--encoding`: raw bytes are decoded into UTF-8 after hashing.
    decoder: Option<encoding_rs::Decoder>,
    /// Whether the decoder has been told the input ended (it must not be used again).
    decoded_all: bool,
    raw: Vec<u8>,
}

impl<R: Read> TextStream<R> {
    /// Wraps `inner` (the whole file from its first byte). `combined`, if given, also hashes
    /// the bytes (for a digest over several files) and is handed back by [`Self::finish`].
    /// A line longer than `max_line` bytes (0: no limit) is an error, raised before it fills
    /// memory.
    pub fn new(
        inner: R,
        prefix: &Prefix,
        combined: Option<Sha256>,
        max_line: u64,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> TextStream<R> {
        TextStream {
            inner,
            hasher: Sha256::new(),
            combined,
            raw_bytes: 0,
            checked: 0,
            newlines: 0,
            checked_from: 0,
            empty_lines: Default::default(),
            last_line_end: None,
            pending: Vec::new(),
            bom_left: prefix.bytes.len() - prefix.body().len(),
            cr_only: prefix.cr_only(),
            max_line,
            line_len: 0,
            decoder: encoding.map(|e| e.new_decoder_without_bom_handling()),
            decoded_all: false,
            raw: Vec::new(),
        }
    }

    /// Continues a UTF-8 file without a BOM or CR-only line ends from a line start, where
    /// another reader stopped: `hasher` and `combined` have seen exactly the `raw_bytes`
    /// before `inner`, of which `checked` were text after a BOM, holding `newlines` line ends.
    pub fn resume(
        inner: R,
        hasher: Sha256,
        combined: Option<Sha256>,
        raw_bytes: u64,
        checked: u64,
        newlines: u64,
        max_line: u64,
    ) -> TextStream<R> {
        TextStream {
            inner,
            hasher,
            combined,
            raw_bytes,
            checked,
            newlines,
            checked_from: checked,
            empty_lines: Default::default(),
            last_line_end: None,
            pending: Vec::new(),
            bom_left: 0,
            cr_only: false,
            max_line,
            line_len: 0,
            decoder: None,
            decoded_all: false,
            raw: Vec::new(),
        }
    }

    /// How many empty lines start at parser offset `start` (where csv says a record begins,
    /// before the empty lines it skipped): what its line number is short by. Offsets must be
    /// asked in increasing order; earlier ones are forgotten.
    pub fn empty_lines_at(&mut self, start: u64) -> u64 {
        while self.empty_lines.front().is_some_and(|&at| at < start) {
            self.empty_lines.pop_front();
        }
        let mut skipped = 0;
        while self.empty_lines.front() == Some(&(start + skipped)) {
            self.empty_lines.pop_front();
            skipped += 1;
        }
        skipped
    }

    /// Bytes read so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.raw_bytes
    }

    /// Size, SHA-256 (hex) and the combined hasher, once the parser has read everything.
    pub fn finish(self) -> (u64, String, Option<Sha256>) {
        (
            self.raw_bytes,
            format!("{:x}", self.hasher.finalize()),
            self.combined,
        )
    }

    fn check_utf8(&mut self, chunk: &[u8], at_end: bool) -> io::Result<()> {
        let joined;
        let data: &[u8] = if self.pending.is_empty() {
            chunk
        } else {
            joined = [std::mem::take(&mut self.pending).as_slice(), chunk].concat();
            &joined
        };
        let valid = match std::str::from_utf8(data) {
            Ok(_) => data.len(),
            Err(e) if e.error_len().is_none() && !at_end => {
                self.pending = data[e.valid_up_to()..].to_vec();
                e.valid_up_to()
            }
            Err(e) => {
                let at = self.checked + e.valid_up_to() as u64;
                let line = 1
                    + self.newlines
                    + data[..e.valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count() as u64;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    not_utf8_message(at, line),
                ));
            }
        };
        // Count lines, and measure them against the limit (CR-only files count at CR).
        let end = if self.cr_only { b'\r' } else { b'\n' };
        let mut last = 0;
        let base = self.checked - self.checked_from;
        for at in memchr::memchr_iter(end, &data[..valid]) {
            self.line_len += (at - last) as u64;
            self.check_line()?;
            self.line_len = 0;
            self.newlines += 1;
            let offset = base + at as u64;
            if offset == 0 || self.last_line_end == Some(offset - 1) {
                self.empty_lines.push_back(offset);
            }
            self.last_line_end = Some(offset);
            last = at + 1;
        }
        self.line_len += (valid - last) as u64;
        self.check_line()?;
        self.checked += valid as u64;
        Ok(())
    }

    fn check_line(&self) -> io::Result<()> {
        if self.max_line > 0 && self.line_len > self.max_line {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                long_line_message(self.newlines + 1, self.max_line),
            ));
        }
        Ok(())
    }
}

impl<R: Read> TextStream<R> {
    /// `read` for `--encoding`: raw bytes are hashed as they are, then decoded to UTF-8 (a
    /// single-byte encoding never leaves a partial character behind; a multi-byte one is
    /// carried over by the decoder).
    fn read_decoded(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.decoded_all {
            // The csv parser asks again after the end (as after a last line without a line
            // end); the decoder has finished.
            return Ok(0);
        }
        // Decoding one byte yields at most 3 bytes of UTF-8.
        let room = (buf.len() / 3).max(1);
        loop {
            self.raw.resize(room, 0);
            let n = self.inner.read(&mut self.raw)?;
            self.hasher.update(&self.raw[..n]);
            if let Some(combined) = self.combined.as_mut() {
                combined.update(&self.raw[..n]);
            }
            self.raw_bytes += n as u64;
            let decoder = self.decoder.as_mut().expect("read_decoded needs a decoder");
            let (_, read, written, _) = decoder.decode_to_utf8(&self.raw[..n], buf, n == 0);
            self.decoded_all = n == 0;
            debug_assert_eq!(read, n, "the output has room for every input byte");
            if written == 0 && n > 0 {
                continue; // only part of a character so far
            }
            self.check_utf8(&buf[..written], n == 0)?;
            if self.cr_only {
                for b in &mut buf[..written] {
                    if *b == b'\r' {
                        *b = b'\n';
                    }
                }
            }
            return Ok(written);
        }
    }
}

impl<R: Read> Read for TextStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.decoder.is_some() {
            return self.read_decoded(buf);
        }
        loop {
            let n = self.inner.read(buf)?;
            self.hasher.update(&buf[..n]);
            if let Some(combined) = self.combined.as_mut() {
                combined.update(&buf[..n]);
            }
            self.raw_bytes += n as u64;
            let skip = self.bom_left.min(n);
            self.bom_left -= skip;
            buf.copy_within(skip..n, 0);
            let n = n - skip;
            if n == 0 && skip > 0 {
                continue; // a read that held only BOM bytes: read on
            }
            self.check_utf8(&buf[..n], n == 0)?;
            if self.cr_only {
                for b in &mut buf[..n] {
                    if *b == b'\r' {
                        *b = b'\n';
                    }
                }
            }
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_all(bytes: &[u8]) -> io::Result<(Vec<u8>, String)> {
        let mut source = io::Cursor::new(bytes.to_vec());
        let prefix = Prefix::read(&mut source)?;
        let mut stream = TextStream::new(
            io::Cursor::new(prefix.bytes.clone()).chain(source),
            &prefix,
            None,
            0,
            None,
        );
        let mut out = Vec::new();
        stream.read_to_end(&mut out)?;
        let (_, sha, _) = stream.finish();
        Ok((out, sha))
    }

    #[test]
    fn bom_dropped_hash_of_the_whole_file() {
        let (out, sha) = stream_all(b"\xEF\xBB\xBFid\n1\n").expect("valid");
        assert_eq!(out, b"id\n1\n");
        assert_eq!(sha, format!("{:x}", Sha256::digest(b"\xEF\xBB\xBFid\n1\n")));
    }

    #[test]
    fn invalid_utf8_is_located_across_chunks() {
        let mut bytes = vec![b'a'; PREFIX + 10];
        bytes[PREFIX - 3] = b'\n';
        bytes.extend_from_slice(b"\nx\xF4n\n");
        let err = stream_all(&bytes).expect_err("latin-1 byte");
        assert!(
            err.to_string()
                .contains(&format!("byte {} (line 3)", PREFIX + 12)),
            "{err}"
        );
        // A multi-byte character split across reads is fine.
        let mut ok = vec![b'a'; PREFIX - 1];
        ok.extend_from_slice("ü\n".as_bytes());
        assert!(stream_all(&ok).is_ok());
    }

    #[test]
    fn cr_only_lines_become_lf() {
        let (out, _) = stream_all(b"id\r1\r").expect("valid");
        assert_eq!(out, b"id\n1\n");
    }
}
