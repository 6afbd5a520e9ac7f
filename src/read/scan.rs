//! Finding the bytes that structure a CSV block (line ends, delimiters, quotes) 64 at a time.
//!
//! One comparison per byte class over 16 bytes at once (SSE2, part of every x86_64
//! processor) gives a bit per byte; the splitter then walks the set bits. A record of six
//! short fields has a structural byte every 7 bytes or so, which is too often for a
//! `memchr3` call per byte found: its set-up cost per call was most of the splitting time.

/// Positions of line ends, delimiters and quotes in `bytes`, in order, from a starting point.
pub(super) struct Structure<'a> {
    bytes: &'a [u8],
    delimiter: u8,
    /// Start of the 64-byte window `pending` describes.
    window: usize,
    /// Bits of the structural bytes of the window not yet returned.
    pending: u64,
}

impl<'a> Structure<'a> {
    /// The structural bytes of `bytes[from..]`.
    pub(super) fn new(bytes: &'a [u8], delimiter: u8, from: usize) -> Structure<'a> {
        let pending = window_mask(bytes, from, delimiter);
        Structure {
            bytes,
            delimiter,
            window: from,
            pending,
        }
    }
}

impl Iterator for Structure<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.pending == 0 {
            self.window += 64;
            if self.window >= self.bytes.len() {
                return None;
            }
            self.pending = window_mask(self.bytes, self.window, self.delimiter);
        }
        let bit = self.pending.trailing_zeros() as usize;
        self.pending &= self.pending - 1;
        Some(self.window + bit)
    }
}

/// The structural bytes of the (up to) 64 bytes from `start`, bit `i` for `bytes[start + i]`.
#[inline]
fn window_mask(bytes: &[u8], start: usize, delimiter: u8) -> u64 {
    let rest = bytes.get(start..).unwrap_or_default();
    match rest.first_chunk::<64>() {
        Some(chunk) => structural(chunk, delimiter),
        None => {
            let mut padded = [0u8; 64];
            padded[..rest.len()].copy_from_slice(rest);
            // The padding may match a NUL delimiter; its bits are dropped.
            structural(&padded, delimiter) & ((1u64 << rest.len()) - 1)
        }
    }
}

/// Bit `i` set where `chunk[i]` is a line end, the delimiter or a quote.
#[cfg(target_arch = "x86_64")]
#[inline]
fn structural(chunk: &[u8; 64], delimiter: u8) -> u64 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of x86_64, so these instructions exist on every processor the
    // program runs on; the unaligned 16-byte loads are within `chunk`.
    unsafe {
        let line_end = _mm_set1_epi8(b'\n' as i8);
        let delimiter = _mm_set1_epi8(delimiter as i8);
        let quote = _mm_set1_epi8(b'"' as i8);
        let mut mask = 0u64;
        for k in 0..4 {
            let v = _mm_loadu_si128(chunk.as_ptr().add(16 * k).cast());
            let hits = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, line_end), _mm_cmpeq_epi8(v, delimiter)),
                _mm_cmpeq_epi8(v, quote),
            );
            mask |= u64::from(_mm_movemask_epi8(hits) as u16) << (16 * k);
        }
        mask
    }
}

/// Bit `i` set where `chunk[i]` is a line end, the delimiter or a quote.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn structural(chunk: &[u8; 64], delimiter: u8) -> u64 {
    structural_bytewise(chunk, delimiter)
}

/// [`structural`] a byte at a time: the definition the fast version is tested against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn structural_bytewise(chunk: &[u8; 64], delimiter: u8) -> u64 {
    chunk.iter().enumerate().fold(0, |mask, (i, &b)| {
        mask | (u64::from(b == b'\n' || b == delimiter || b == b'"') << i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn finds_what_a_byte_by_byte_search_finds(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b','), Just(b';'), Just(b'"'), Just(0u8), any::<u8>()],
                0..300,
            ),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(0u8)],
            from in 0usize..320,
        ) {
            let expected: Vec<usize> = (from.min(bytes.len())..bytes.len())
                .filter(|&i| matches!(bytes[i], b'\n' | b'"') || bytes[i] == delimiter)
                .collect();
            let found: Vec<usize> = Structure::new(&bytes, delimiter, from).collect();
            prop_assert_eq!(found, expected);
            for chunk in bytes.chunks_exact(64) {
                let chunk: &[u8; 64] = chunk.try_into().expect("64 bytes");
                prop_assert_eq!(structural(chunk, delimiter), structural_bytewise(chunk, delimiter));
            }
        }
    }
}
