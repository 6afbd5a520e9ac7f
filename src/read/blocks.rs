//! The workers' side of the parallel reader ([`super::parallel`]): a block of whole records
//! split into fields (a line without a quote at the delimiters, a record with one by
//! csv_core), blank records skipped, ids hashed, grouping values coded and totals scored
//! ahead, so the keeping thread mostly looks things up.

use super::ids::{IdHash, IdHasher};
use super::scan::Structure;
use super::{group_value, id_hash, Ahead, AheadScore, Fields, TotalScorer};
use foldhash::{HashMap, HashMapExt};

/// A line split into fields: `ends[i]` is where field `i` ends, the next starting one byte
/// (the delimiter) later.
pub(super) struct LineFields<'a> {
    pub(super) text: &'a str,
    pub(super) ends: &'a [u32],
}

impl<'a> LineFields<'a> {
    /// Field `i`, borrowed from the block rather than from these fields.
    #[inline]
    pub(super) fn text_of(&self, i: usize) -> &'a str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize + 1,
        };
        &self.text[start..self.ends[i] as usize]
    }
}

impl Fields for LineFields<'_> {
    fn count(&self) -> usize {
        self.ends.len()
    }

    #[inline]
    fn field(&self, i: usize) -> &str {
        self.text_of(i)
    }
}

/// A non-blank record of a block.
pub(super) struct Row {
    /// Line ends in the block before it.
    pub(super) line: u64,
    /// Whether it had quotes: its fields are then in `unquoted`, with a delimiter between.
    pub(super) quoted: bool,
    /// Byte range of the line in the block (no line end), or of its fields in `unquoted`.
    pub(super) start: usize,
    pub(super) end: usize,
    /// Its fields' ends are `ends[first_end..first_end + fields]`.
    pub(super) first_end: usize,
    pub(super) fields: usize,
}

/// What a block (or the reading thread, at the next block's place) cannot read, located by
/// line ends before it in the block.
pub(super) enum Problem {
    /// A record over the limit (a quoted field spanning lines).
    BigRecord { line: u64, bytes: usize },
    /// A line longer than the limit.
    LongLine { line: u64 },
    /// A byte that is not UTF-8, `at` bytes into the block.
    NotUtf8 { at: usize, line: u64 },
}

/// Where the first line of `bytes` longer than `max` bytes is (counted in line ends before
/// it), the last line without its line end included.
pub(super) fn first_long_line(bytes: &[u8], max: u64) -> Option<u64> {
    let mut start = 0;
    for (k, end) in memchr::memchr_iter(b'\n', bytes)
        .chain([bytes.len()])
        .enumerate()
    {
        if (end - start) as u64 > max {
            return Some(k as u64);
        }
        start = end + 1;
    }
    None
}

/// A block as a worker leaves it.
#[derive(Default)]
pub(super) struct ParsedBlock {
    pub(super) text: String,
    /// Fields of records with quotes, unquoted.
    pub(super) unquoted: String,
    /// Line ends in the block.
    pub(super) newlines: u64,
    pub(super) rows: Vec<Row>,
    pub(super) ends: Vec<u32>,
    /// The id hash of each row.
    pub(super) hashes: Vec<Option<IdHash>>,
    /// Per row, the block-local code of each grouping column's value (see [`Ahead`]).
    pub(super) group_codes: Vec<u32>,
    /// Per grouping column, the block's distinct values.
    pub(super) levels: Vec<Vec<String>>,
    /// Per row, each total column's score scored ahead ([`AheadScore`]); empty when the
    /// sink scores none ahead.
    pub(super) totals: Vec<u64>,
    /// Whether every row has the header's width, an id and its totals scored ahead without
    /// a problem: then the keeping thread may keep the block whole ([`Builder::keep_block`]).
    pub(super) plain: bool,
    pub(super) problem: Option<Problem>,
    /// Kept with the buffers from block to block (the scorer is the same for every block).
    pub(super) short_scores: ShortScores,
}

/// What the scorer gave for short total texts (at most 3 bytes), so that most totals are
/// looked up rather than parsed: a clean export's totals are a digit or two, or blank. The
/// scorer is a function of the text alone, so the lookup gives its own answer. At 1M rows
/// scoring took about 8% of the run's CPU time.
#[derive(Default)]
pub(super) struct ShortScores {
    /// (key, [`AheadScore`] bits) by a hash of the key; key 0 is an empty slot. Allocated
    /// at the first lookup (a default one is only a placeholder while a block is scored).
    pub(super) slots: Vec<(u32, u64)>,
}

impl ShortScores {
    /// Slots: 2^BITS.
    const BITS: u32 = 10;

    /// The [`AheadScore`] of `text`.
    #[inline]
    pub(super) fn score(&mut self, text: &str, scorer: &TotalScorer) -> u64 {
        let bytes = text.as_bytes();
        if bytes.len() > 3 {
            return AheadScore::encode(scorer(text));
        }
        // The length and the bytes, with the top bit set so that no key is 0.
        let key = bytes
            .iter()
            .enumerate()
            .fold(1 << 31 | (bytes.len() as u32) << 24, |key, (i, &b)| {
                key | u32::from(b) << (8 * i)
            });
        if self.slots.is_empty() {
            self.slots = vec![(0, 0); 1 << Self::BITS];
        }
        let slot = &mut self.slots[(key.wrapping_mul(0x9E37_79B1) >> (32 - Self::BITS)) as usize];
        if slot.0 != key {
            *slot = (key, AheadScore::encode(scorer(text)));
        }
        slot.1
    }
}

impl ParsedBlock {
    /// The block emptied for the next block's rows, its buffers kept: the keeping thread
    /// hands blocks back, so that it does not free them and workers do not fault fresh
    /// pages in for every block (at 1M rows both cost about a tenth of the run).
    pub(super) fn cleared(mut self) -> ParsedBlock {
        let mut unquoted = std::mem::take(&mut self.unquoted);
        unquoted.clear();
        self.rows.clear();
        self.ends.clear();
        self.hashes.clear();
        self.group_codes.clear();
        self.levels.iter_mut().for_each(Vec::clear);
        self.totals.clear();
        ParsedBlock {
            text: String::new(),
            unquoted,
            newlines: 0,
            plain: false,
            problem: None,
            ..self
        }
    }

    pub(super) fn fields(&self, row: &Row) -> LineFields<'_> {
        let text = if row.quoted {
            &self.unquoted
        } else {
            &self.text
        };
        LineFields {
            text: &text[row.start..row.end],
            ends: &self.ends[row.first_end..row.first_end + row.fields],
        }
    }

    /// What the worker worked out ahead for row `i`.
    pub(super) fn ahead(&self, i: usize) -> Ahead<'_> {
        let groups = self.levels.len();
        let totals = self.totals.len() / self.rows.len().max(1);
        Ahead {
            groups: &self.group_codes[i * groups..(i + 1) * groups],
            levels: &self.levels,
            totals: &self.totals[i * totals..(i + 1) * totals],
        }
    }
}

/// What a worker needs to parse a block.
#[derive(Clone)]
pub(super) struct Splitter {
    pub(super) delimiter: u8,
    pub(super) max_line: u64,
    pub(super) id_column: usize,
    pub(super) hasher: IdHasher,
    /// Fields in the header: only records with as many are coded and scored ahead.
    pub(super) width: usize,
    /// Grouping columns, coded ahead per block.
    pub(super) group_columns: Vec<usize>,
    /// Total columns, scored ahead when there is a scorer.
    pub(super) total_columns: Vec<usize>,
    pub(super) scorer: Option<TotalScorer>,
}

impl Splitter {
    /// Splits a block (which starts at a record's start and ends after a whole record) into
    /// records: a line without a quote at the delimiters, a record with a quote by csv_core.
    pub(super) fn parse(&self, bytes: Vec<u8>, block: Option<ParsedBlock>) -> ParsedBlock {
        let mut block = block.map_or_else(ParsedBlock::default, ParsedBlock::cleared);
        // Lines over the limit, up to the first bad byte, as the csv path's stream measures
        // them (only a block longer than the limit can hold one).
        let long_line = |valid: &[u8]| {
            (valid.len() as u64 > self.max_line)
                .then(|| first_long_line(valid, self.max_line))
                .flatten()
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                block.problem = Some(match long_line(valid) {
                    Some(line) => Problem::LongLine { line },
                    None => Problem::NotUtf8 {
                        at: valid.len(),
                        line: memchr::memchr_iter(b'\n', valid).count() as u64,
                    },
                });
                return block;
            }
        };
        if let Some(line) = long_line(text.as_bytes()) {
            block.problem = Some(Problem::LongLine { line });
            return block;
        }
        let bytes = text.as_bytes();
        let len = bytes.len();
        // Sized for records of about 40 bytes and 8 fields, so they rarely grow.
        block.rows.reserve(len / 32);
        block.ends.reserve(len / 4);
        let mut unquoted = std::mem::take(&mut block.unquoted).into_bytes();
        let mut quoted = QuotedRecords::new(self.delimiter);
        // One pass over the block for line ends, delimiters and quotes.
        let mut pos = 0;
        let mut events = Structure::new(bytes, self.delimiter, 0);
        let mut first_end = 0;
        loop {
            let event = events.next();
            match event {
                Some(at) if bytes[at] == self.delimiter => {
                    block.ends.push((at - pos) as u32);
                    continue;
                }
                Some(at) if bytes[at] == b'\n' => {
                    self.finish_line(&mut block, bytes, pos, at, first_end);
                    block.newlines += 1;
                    pos = at + 1;
                    first_end = block.ends.len();
                    continue;
                }
                None => {
                    if pos < len {
                        self.finish_line(&mut block, bytes, pos, len, first_end);
                    }
                    break;
                }
                Some(_) => {}
            }
            // A quote: csv_core reads the record from its start; it may span lines.
            block.ends.truncate(first_end);
            let line = block.newlines;
            let (consumed, fields) = quoted.read(&bytes[pos..]);
            block.newlines +=
                memchr::memchr_iter(b'\n', &bytes[pos..pos + consumed]).count() as u64;
            pos += consumed;
            events = Structure::new(bytes, self.delimiter, pos);
            if let Some(fields) = fields {
                let size: usize = fields.iter().map(|f| f.len()).sum();
                if size as u64 > self.max_line {
                    block.problem = Some(Problem::BigRecord { line, bytes: size });
                    return block;
                }
                if !fields.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    let start = unquoted.len();
                    for (i, field) in fields.iter().enumerate() {
                        if i > 0 {
                            unquoted.push(self.delimiter);
                        }
                        unquoted.extend_from_slice(field);
                        block.ends.push((unquoted.len() - start) as u32);
                    }
                    block.rows.push(Row {
                        line,
                        quoted: true,
                        start,
                        end: unquoted.len(),
                        first_end,
                        fields: fields.len(),
                    });
                }
            }
            first_end = block.ends.len();
        }
        // Removing ASCII quotes from UTF-8 leaves UTF-8; checked all the same.
        match String::from_utf8(unquoted) {
            Ok(unquoted) => {
                block.text = text;
                block.unquoted = unquoted;
            }
            Err(_) => {
                block.problem = Some(Problem::NotUtf8 { at: len, line: 0 });
                return block;
            }
        }
        self.hash_ids(&mut block);
        self.work_ahead(&mut block);
        block
    }

    /// Codes the grouping columns (per block, in order of appearance) and scores the totals
    /// of every record of the header's width, so that keeping a record is mostly lookups.
    pub(super) fn work_ahead(&self, block: &mut ParsedBlock) {
        let rows = block.rows.len();
        let mut codes = std::mem::take(&mut block.group_codes);
        codes.reserve(rows * self.group_columns.len());
        let mut levels = std::mem::take(&mut block.levels);
        levels.resize_with(self.group_columns.len(), Vec::new);
        let scorer = self
            .scorer
            .as_ref()
            .filter(|_| !self.total_columns.is_empty());
        let mut totals = std::mem::take(&mut block.totals);
        if scorer.is_some() {
            totals.reserve(rows * self.total_columns.len());
        }
        let mut short_scores = std::mem::take(&mut block.short_scores);
        // Every row so far of the header's width with its totals scored ahead.
        let mut plain = scorer.is_some() || self.total_columns.is_empty();
        {
            let mut dictionaries: Vec<HashMap<&str, u32>> =
                self.group_columns.iter().map(|_| HashMap::new()).collect();
            for row in &block.rows {
                let fields = block.fields(row);
                if fields.ends.len() != self.width {
                    // Excluded as malformed before anything is looked up.
                    plain = false;
                    codes.extend(self.group_columns.iter().map(|_| 0));
                    if scorer.is_some() {
                        totals.extend(self.total_columns.iter().map(|_| AheadScore::NOT_SCORED));
                    }
                    continue;
                }
                for (g, &col) in self.group_columns.iter().enumerate() {
                    let value = group_value(fields.text_of(col));
                    let next = dictionaries[g].len() as u32;
                    let code = *dictionaries[g].entry(value).or_insert_with(|| {
                        levels[g].push(value.to_string());
                        next
                    });
                    codes.push(code);
                }
                if let Some(scorer) = scorer {
                    for &col in &self.total_columns {
                        let score = short_scores.score(fields.field(col), scorer);
                        plain &= score != AheadScore::NOT_SCORED;
                        totals.push(score);
                    }
                }
            }
        }
        block.plain = plain && block.hashes.iter().all(Option::is_some);
        block.group_codes = codes;
        block.levels = levels;
        block.totals = totals;
        block.short_scores = short_scores;
    }

    /// Ends the line `bytes[start..end]`, whose fields but the last have ends from
    /// `first_end` on: a row unless it is blank.
    #[inline]
    pub(super) fn finish_line(
        &self,
        block: &mut ParsedBlock,
        bytes: &[u8],
        start: usize,
        end: usize,
        first_end: usize,
    ) {
        let line = &bytes[start..end];
        if line
            .iter()
            .all(|&b| b.is_ascii_whitespace() || b == self.delimiter)
        {
            block.ends.truncate(first_end);
            return;
        }
        block.ends.push(line.len() as u32);
        block.rows.push(Row {
            line: block.newlines,
            quoted: false,
            start,
            end,
            first_end,
            fields: block.ends.len() - first_end,
        });
    }

    pub(super) fn hash_ids(&self, block: &mut ParsedBlock) {
        let mut hashes = std::mem::take(&mut block.hashes);
        hashes.extend(
            block
                .rows
                .iter()
                .map(|row| id_hash(&self.hasher, self.id_column, &block.fields(row))),
        );
        block.hashes = hashes;
    }
}

/// csv_core reading one record at a time, with its output buffers.
pub(super) struct QuotedRecords {
    pub(super) core: csv_core::Reader,
    pub(super) out: Vec<u8>,
    pub(super) ends: Vec<usize>,
}

impl QuotedRecords {
    pub(super) fn new(delimiter: u8) -> QuotedRecords {
        let mut records = QuotedRecords {
            core: csv_core::ReaderBuilder::new()
                .delimiter(delimiter)
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
        };
        // csv_core drops a UTF-8 BOM before the first record it reads; the csv path's parser
        // has read the header by then, so a BOM in the data is text there. An empty line
        // first (which it skips) makes this parser the same.
        let _ = records
            .core
            .read_record(b"\n", &mut records.out, &mut records.ends);
        records
    }

    /// Reads the record at the start of `input` (a line start that is not a line end): the
    /// bytes it takes, line end included, and its fields (`None` if there was none).
    pub(super) fn read(&mut self, input: &[u8]) -> (usize, Option<Vec<&[u8]>>) {
        let (mut out_len, mut ends_len, mut consumed) = (0, 0, 0);
        loop {
            let (result, nin, nout, nend) = self.core.read_record(
                &input[consumed..],
                &mut self.out[out_len..],
                &mut self.ends[ends_len..],
            );
            // Field ends count from the record's start across calls, as its output does.
            consumed += nin;
            out_len += nout;
            ends_len += nend;
            match result {
                // The block's last record may end without a line end (the file's last); the
                // next call, with no input, ends it.
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let grown = self.out.len() * 2;
                    self.out.resize(grown, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => {
                    // End of input: a fresh parser for any later block's use.
                    self.core.reset();
                    break;
                }
            }
        }
        if ends_len == 0 {
            return (consumed, None);
        }
        let fields = (0..ends_len)
            .map(|i| &self.out[if i == 0 { 0 } else { self.ends[i - 1] }..self.ends[i]])
            .collect();
        (consumed, Some(fields))
    }
}

/// One past the last line end of `bytes` outside quotes, by the csv parser's quoting rules,
/// for `bytes` that start at a record's start: the end of the last whole record. Jumps from
/// quote to quote, so its cost is that of finding them.
pub(super) fn last_record_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut safe = None;
    // Outside quotes from here on, until the next opening quote.
    let mut outside_from = 0;
    let mut quotes = memchr::memchr_iter(b'"', bytes);
    while let Some(q) = quotes.next() {
        // A quote opens a quoted field only at the start of a field; elsewhere it is text.
        if q > 0 && bytes[q - 1] != delimiter && bytes[q - 1] != b'\n' {
            continue;
        }
        if let Some(at) = memchr::memrchr(b'\n', &bytes[outside_from..q]) {
            safe = Some(outside_from + at + 1);
        }
        loop {
            let Some(c) = quotes.next() else {
                return safe; // inside quotes at the end
            };
            match bytes.get(c + 1) {
                Some(b'"') => {
                    quotes.next(); // "" is a quote inside the field
                }
                // A quote at the very end may be the first of a "" pair: undecided.
                None => return safe,
                Some(_) => {
                    outside_from = c + 1;
                    break;
                }
            }
        }
    }
    if let Some(at) = memchr::memrchr(b'\n', &bytes[outside_from..]) {
        safe = Some(outside_from + at + 1);
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_scores_give_the_scorers_own_answers() {
        // A scorer whose answer differs for every text, so a lookup that returned another
        // text's slot would show; thousands of texts share the 1,024 slots.
        let scorer: TotalScorer = std::sync::Arc::new(|text: &str| match text.len() {
            0 => Some(None),
            1 if text == "x" => None,
            _ => Some(Some(
                text.bytes().fold(1.0, |v, b| v * 257.0 + f64::from(b)),
            )),
        });
        let alphabet = [
            "", "0", "7", "9", "x", "10", " 7", "7 ", "é", "NA", "-1", "abc",
        ];
        let texts: Vec<String> = alphabet
            .iter()
            .flat_map(|a| alphabet.iter().map(move |b| format!("{a}{b}")))
            .chain((0..5000).map(|i| i.to_string()))
            .collect();
        let mut short = ShortScores::default();
        for text in texts.iter().chain(texts.iter().rev()) {
            assert_eq!(
                short.score(text, &scorer),
                AheadScore::encode(scorer(text)),
                "{text:?}"
            );
        }
    }
}
