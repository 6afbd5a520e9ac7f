//! The parallel reader: the file is cut into blocks of whole records, which are split into
//! fields on both cores.
//!
//! One thread reads the file in blocks and hashes them (SHA-256 has to see the bytes in
//! order). A block ends at the last line end outside quotes, found by following csv's quoting
//! rules from quote to quote (a quote opens a field only at its start; `""` inside is one
//! quote), so a block always starts a record. Workers check each block as UTF-8 and split it:
//! a block without quotes line by line at the delimiters, one with quotes by csv_core (the
//! csv crate's parser); they skip blank records and hash the ids. The calling thread keeps
//! the records in file order (ids, groups, scoring), exactly as it keeps the csv crate's.
//! A record longer than a block grows the block; one longer than `--max-record-bytes` hands
//! the rest of the file to the csv parser, which says what is wrong with it. A property test
//! compares the two readers on random exports, quotes and embedded line ends included.

use super::blocks::*;
use super::bulk::PlainBlock;
use super::stream::{long_line_message, not_utf8_message};
use super::{Builder, CellSink};
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver};

/// Bytes per block: large enough that a block is worth a task, small enough that the blocks
/// in flight add little memory. Each block's buffers (text, rows, fields, scores: about 4
/// times its bytes) are faulted in once and reused; with 1 MiB blocks and 8 read ahead they
/// were half of the pages a 1M-row run touched.
pub(super) const BLOCK: usize = 1 << 19;

/// Blocks read ahead of the thread keeping records: enough to keep two cores busy.
/// 1M rows: system time 59 -> 46 ms against 1 MiB blocks and 8 ahead; 10M rows: 0.57 -> 0.33 s.
const AHEAD: usize = 4;

impl Problem {
    /// What is said of it, for a block at file offset `offset` after `newlines` line ends.
    pub(super) fn message(&self, plan: &Plan<'_>, offset: u64, newlines: u64) -> String {
        match *self {
            Problem::LongLine { line } => format!(
                "cannot parse CSV: {}",
                long_line_message(newlines + line + 1, plan.max_line)
            ),
            Problem::NotUtf8 { at, line } => format!(
                "cannot parse CSV: {}",
                not_utf8_message(offset + at as u64 - plan.bom as u64, newlines + line + 1)
            ),
            Problem::BigRecord { line, bytes } => format!(
                "line {}: a record of {bytes} bytes, more than --max-record-bytes {}; a quoted field may be missing its closing quote",
                newlines + line + 1,
                plan.max_line
            ),
        }
    }
}

/// What the reading thread tells the keeping thread, in file order.
pub(super) enum Event {
    /// The next block, parsed on a worker into the receiver; `end` is the file offset after it.
    Block {
        parsed: Receiver<ParsedBlock>,
        end: u64,
    },
    /// A record longer than the limit starts at the next block's place: a line too long, or
    /// a byte in it that is not UTF-8.
    Problem(Problem),
    /// Reading failed.
    Failed(io::Error),
    /// A record too long for a block: the csv parser reads the rest, from the next block's
    /// place, and says what is wrong.
    Handover,
}

/// The reading thread's state when it stops: the hashers have seen exactly the bytes before
/// `rest`, which is followed by what `source` has left.
struct Stopped<R> {
    source: R,
    rest: Vec<u8>,
    hasher: Sha256,
    combined: Option<Sha256>,
    /// File offset of `rest`.
    offset: u64,
}

/// Where the file's data start and how to read and keep its records.
pub(super) struct Plan<'a> {
    /// The first bytes of the file, already read from the source.
    pub prefix: &'a [u8],
    /// Offset of the first record (after the BOM and the header).
    pub data_start: usize,
    /// Bytes of a BOM at the start.
    pub bom: usize,
    /// Whether the source has nothing after the prefix.
    pub complete: bool,
    /// Field delimiter.
    pub delimiter: u8,
    /// `--max-record-bytes`: the longest line or record.
    pub max_line: u64,
    /// `--max-rows`, across files.
    pub max_rows: Option<u64>,
    /// File size, to size the tables.
    pub size: u64,
    /// Line number of the run before this file's first line.
    pub first_line: u64,
    /// Bytes per block.
    pub block: usize,
}

/// How the parallel read ended.
pub(super) enum Outcome<R> {
    /// The whole file was read.
    Done(super::Parsed),
    /// A quote was met: the csv parser continues with `source` after `rest`, at a line start
    /// after `newlines` line ends of the file.
    Handover {
        source: R,
        rest: Vec<u8>,
        hasher: Sha256,
        combined: Option<Sha256>,
        offset: u64,
        checked: u64,
        newlines: u64,
    },
}

/// Errors the caller turns into input or I/O errors of the file.
pub(super) enum Failure {
    /// What is wrong with the file, as said to the user.
    Input(String),
    /// Reading the file failed.
    Io(io::Error),
    /// Writing a streaming partition failed.
    Partition(io::Error),
}

/// Reads the records of a file after its header on both cores; see the module
/// documentation.
#[allow(clippy::too_many_arguments)]
pub(super) fn read<R: Read + Send>(
    source: R,
    plan: Plan<'_>,
    combined: Option<Sha256>,
    builder: &mut Builder,
    mut spill: Option<&mut super::spill::Spill>,
    rows: &mut u64,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome<R>, Failure> {
    let splitter = Splitter {
        delimiter: plan.delimiter,
        max_line: plan.max_line,
        id_column: builder.id,
        hasher: builder.ids.hasher().clone(),
        width: builder.width,
        group_columns: builder.groups.clone(),
        total_columns: builder.ahead_columns.clone(),
        // A total column with missing codes of its own is scored record by record.
        scorer: (builder.ahead_columns.iter())
            .all(|&c| builder.vocabulary.missing_codes(c).is_none())
            .then(|| sink.total_scorer())
            .flatten(),
    };
    let mut hasher = Sha256::new();
    let mut combined = combined;
    hasher.update(&plan.prefix[..plan.data_start]);
    if let Some(c) = combined.as_mut() {
        c.update(&plan.prefix[..plan.data_start]);
    }
    let header_lines = memchr::memchr_iter(b'\n', &plan.prefix[..plan.data_start]).count() as u64;
    let (events_tx, events) = sync_channel::<Event>(AHEAD);
    let (recycle, recycled) = std::sync::mpsc::channel::<ParsedBlock>();
    let pending = plan.prefix[plan.data_start..].to_vec();
    let data_start = plan.data_start as u64;
    let complete = plan.complete;
    let block_bytes = plan.block;
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut state = Stopped {
                source,
                rest: pending,
                hasher,
                combined,
                offset: data_start,
            };
            let mut eof = complete;
            loop {
                // Fill to a block, or more while no line end has been seen.
                let mut want = block_bytes;
                let cut = loop {
                    if !eof && state.rest.len() < want {
                        let need = (want - state.rest.len()) as u64;
                        match (&mut state.source).take(need).read_to_end(&mut state.rest) {
                            Ok(n) if (n as u64) < need => eof = true,
                            Ok(_) => {}
                            Err(e) => {
                                let _ = events_tx.send(Event::Failed(e));
                                return state;
                            }
                        }
                    }
                    // The block is cut within the first `want` bytes, also at the end of the
                    // file (so a file of any size is cut into blocks the same way).
                    let window = &state.rest[..state.rest.len().min(want)];
                    if eof && window.len() == state.rest.len() {
                        break state.rest.len();
                    }
                    let quoted = memchr::memchr(b'"', window).is_some();
                    let cut = match quoted {
                        false => memchr::memrchr(b'\n', window).map(|at| at + 1),
                        true => last_record_end(window, splitter.delimiter),
                    };
                    match cut {
                        Some(cut) => break cut,
                        None if window.len() as u64 > splitter.max_line => {
                            // One record over the limit: a bad byte in it comes first, as
                            // the csv path checks text before it measures lines; then a
                            // line, or (with quotes) the csv parser says what is wrong.
                            let checked = (splitter.max_line as usize + 1).min(window.len());
                            let event = match std::str::from_utf8(&window[..checked]) {
                                Err(e) if e.error_len().is_some() => {
                                    Event::Problem(Problem::NotUtf8 {
                                        at: e.valid_up_to(),
                                        line: 0,
                                    })
                                }
                                _ if quoted => Event::Handover,
                                _ => Event::Problem(Problem::LongLine { line: 0 }),
                            };
                            let _ = events_tx.send(event);
                            return state;
                        }
                        None => want = window.len() * 2,
                    }
                };
                if cut == 0 {
                    return state;
                }
                state.hasher.update(&state.rest[..cut]);
                if let Some(c) = state.combined.as_mut() {
                    c.update(&state.rest[..cut]);
                }
                // A block the keeping thread is done with: its text becomes the buffer read
                // into, the rest goes to the worker.
                // One grown for an oversized record is dropped with all its buffers.
                let mut shell = recycled
                    .try_recv()
                    .ok()
                    .filter(|old| old.text.capacity() <= 2 * block_bytes);
                let mut next = shell
                    .as_mut()
                    .map(|old| std::mem::take(&mut old.text).into_bytes())
                    .unwrap_or_else(|| Vec::with_capacity(block_bytes + block_bytes / 4));
                next.clear();
                next.extend_from_slice(&state.rest[cut..]);
                state.rest.truncate(cut);
                let block = std::mem::replace(&mut state.rest, next);
                state.offset += cut as u64;
                let (parsed_tx, parsed) = sync_channel(1);
                let splitter = splitter.clone();
                rayon::spawn(move || {
                    let _ = parsed_tx.send(splitter.parse(block, shell));
                });
                let event = Event::Block {
                    parsed,
                    end: state.offset,
                };
                if events_tx.send(event).is_err() {
                    return state;
                }
            }
        });
        let mut newlines = header_lines;
        let mut offset = data_start;
        let mut reserved = false;
        let mut outcome: Result<bool, Failure> = Ok(false);
        for event in events.iter() {
            match event {
                Event::Block { parsed, end } => {
                    let block = parsed
                        .recv()
                        .expect("a worker sends its block before it ends");
                    if let Some(problem) = &block.problem {
                        outcome = Err(Failure::Input(problem.message(&plan, offset, newlines)));
                        break;
                    }
                    *rows += block.rows.len() as u64;
                    if let Some(max) = plan.max_rows.filter(|&max| *rows > max) {
                        outcome = Err(Failure::Input(super::too_many_rows(max)));
                        break;
                    }
                    let line_base = plan.first_line + newlines + 1;
                    if let Some(spill) = spill.as_mut() {
                        // Streaming mode: kept records go to their partition on disk.
                        let written =
                            block
                                .rows
                                .iter()
                                .zip(&block.hashes)
                                .try_for_each(|(row, &hash)| {
                                    spill.write(&block.fields(row), line_base + row.line, hash)
                                });
                        if let Err(e) = written {
                            outcome = Err(Failure::Partition(e));
                            break;
                        }
                    } else {
                        if !reserved && !block.rows.is_empty() {
                            // Size the tables once from the first block.
                            reserved = true;
                            let bytes_each = (end - offset) / block.rows.len() as u64;
                            let remaining = plan.size.saturating_sub(offset) / bytes_each.max(1);
                            builder.reserve(remaining as usize, bytes_each as usize, sink);
                        }
                        builder.start_block();
                        if block.plain && builder.keeps_whole_blocks() {
                            let id = builder.id;
                            let block = &block;
                            builder.keep_block(
                                PlainBlock {
                                    id_and_line: |i| {
                                        let row = &block.rows[i];
                                        (block.fields(row).text_of(id), line_base + row.line)
                                    },
                                    hashes: &block.hashes,
                                    group_codes: &block.group_codes,
                                    levels: &block.levels,
                                    totals: &block.totals,
                                },
                                sink,
                            );
                        } else {
                            builder.add_batch(
                                block.rows.iter().enumerate().map(|(i, row)| {
                                    (
                                        block.fields(row),
                                        line_base + row.line,
                                        Some(block.ahead(i)),
                                    )
                                }),
                                &block.hashes,
                                sink,
                            );
                        }
                    }
                    newlines += block.newlines;
                    offset = end;
                    progress(end);
                    let _ = recycle.send(block);
                }
                Event::Problem(problem) => {
                    outcome = Err(Failure::Input(problem.message(&plan, offset, newlines)));
                    break;
                }
                Event::Failed(e) => {
                    outcome = Err(Failure::Io(e));
                    break;
                }
                Event::Handover => {
                    outcome = Ok(true);
                    break;
                }
            }
        }
        drop(events);
        let stopped = reader
            .join()
            .expect("the reading thread only reads and does not panic");
        match outcome {
            Err(failure) => Err(failure),
            Ok(true) => Ok(Outcome::Handover {
                checked: stopped.offset - plan.bom as u64,
                source: stopped.source,
                rest: stopped.rest,
                hasher: stopped.hasher,
                combined: stopped.combined,
                offset: stopped.offset,
                newlines,
            }),
            Ok(false) => Ok(Outcome::Done(super::Parsed {
                // As the csv parser counts: one more than the line ends.
                lines: newlines + 1,
                bytes: stopped.offset,
                sha256: format!("{:x}", stopped.hasher.finalize()),
                combined: stopped.combined,
            })),
        }
    })
}
