//! Parsing one CSV file: the header, then every record through csv_core, on the parallel
//! reader where the file allows it; line numbers, record limits and errors with their line.

use super::*;

/// What parsing one file tells about it.
pub(super) struct Parsed {
    pub(super) lines: u64,
    pub(super) bytes: u64,
    pub(super) sha256: String,
    pub(super) combined: Option<Sha256>,
}

/// Parses one file into the shared state (header, plan and builder come from the first file;
/// later files must repeat the header).
#[allow(clippy::too_many_arguments)]
pub(super) fn parse_file(
    mut source: impl Read + Send,
    path: &Path,
    size: u64,
    options: &ReadOptions,
    state: &mut Option<Reading>,
    first_line: u64,
    combined: Option<Sha256>,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<Parsed, Error> {
    let input_error = |message: String| Error::input(path, message);
    let prefix = Prefix::read(&mut source).map_err(|e| Error::io(path, e))?;
    prefix.check().map_err(&input_error)?;
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| detect_delimiter(prefix.body()));
    if let Some((header_end, names)) = parallel_header(&prefix, delimiter, options) {
        start_file(names, path, options, state, delimiter)?;
        let reading = state.as_mut().expect("set above");
        let reading_rows_before = reading.rows;
        let bom = prefix.bytes.len() - prefix.body().len();
        let plan = parallel::Plan {
            prefix: &prefix.bytes,
            data_start: bom + header_end,
            bom,
            complete: prefix.complete,
            delimiter,
            max_line: options.max_record_bytes,
            max_rows: options.max_rows,
            size,
            first_line,
            block: options.block_bytes.unwrap_or(parallel::BLOCK).max(1),
        };
        let outcome = parallel::read(
            source,
            plan,
            combined,
            &mut reading.builder,
            reading.spill.as_mut(),
            &mut reading.rows,
            sink,
            progress,
        )
        .map_err(|failure| match failure {
            parallel::Failure::Input(message) => input_error(message),
            parallel::Failure::Io(e) => Error::io(path, e),
            parallel::Failure::Partition(e) => match &reading.spill {
                Some(spill) => Error::io(spill.path(0), e),
                None => Error::io(path, e),
            },
        })?;
        return match outcome {
            parallel::Outcome::Done(parsed) => Ok(parsed),
            parallel::Outcome::Handover {
                source,
                rest,
                hasher,
                combined,
                offset,
                checked,
                newlines,
            } => {
                // The rest has quotes: the csv parser reads it from a line start on.
                let stream = TextStream::resume(
                    std::io::Cursor::new(rest).chain(source),
                    hasher,
                    combined,
                    offset,
                    checked,
                    newlines,
                    options.max_record_bytes,
                );
                let mut parsed = keep_csv_records(
                    csv_reader(delimiter, stream),
                    path,
                    size,
                    options,
                    reading,
                    (first_line, newlines),
                    reading_rows_before == reading.rows,
                    sink,
                    progress,
                )?;
                parsed.lines += newlines;
                Ok(parsed)
            }
        };
    }
    let stream = TextStream::new(
        std::io::Cursor::new(prefix.bytes.clone()).chain(source),
        &prefix,
        combined,
        options.max_record_bytes,
        options.encoding,
    );
    let mut reader = csv_reader(delimiter, stream);
    let mut record = csv::ByteRecord::new();
    let header_read = reader
        .read_byte_record(&mut record)
        .map_err(|e| input_error(csv_message(&e, 0)))?;
    let names = header_names(header_read, &record).map_err(&input_error)?;
    start_file(names, path, options, state, delimiter)?;
    let reading = state.as_mut().expect("set above");
    keep_csv_records(
        reader,
        path,
        size,
        options,
        reading,
        (first_line, 0),
        true,
        sink,
        progress,
    )
}

/// The csv parser as every path sets it up. Records end at LF; a CR before it stays in the
/// last field, which every reader trims. (csv's own CRLF handling counts lines one behind.)
pub(super) fn csv_reader<R: Read>(delimiter: u8, source: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(256 * 1024)
        .from_reader(source)
}

/// The column names of a header record, or why there is none.
pub(super) fn header_names(read: bool, record: &csv::ByteRecord) -> Result<Vec<String>, String> {
    if !read || record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
        return Err("the file is empty (expected a header row and data rows)".into());
    }
    Ok(record
        .iter()
        .map(|f| {
            String::from_utf8_lossy(f)
                .trim_end_matches('\r')
                .to_string()
        })
        .collect())
}

/// Where the data start after the header (an offset into the prefix's body) and the header's
/// names, when the parallel reader can read the file: UTF-8 text (no `--encoding`) with LF or
/// CRLF line ends, whose header lies wholly in the prefix and is UTF-8.
pub(super) fn parallel_header(
    prefix: &Prefix,
    delimiter: u8,
    options: &ReadOptions,
) -> Option<(usize, Vec<String>)> {
    let limit_fits = (1..=u64::from(u32::MAX) / 2).contains(&options.max_record_bytes);
    // On a rayon thread the workers might all be waiting for blocks only they could parse.
    let on_pool = rayon::current_thread_index().is_some();
    // A quote or line end as the delimiter (the command line refuses them, the library does
    // not) would confuse where records end: the csv parser alone decides such a file.
    let odd_delimiter = matches!(delimiter, b'"' | b'\n' | b'\r');
    if options.sequential
        || options.encoding.is_some()
        || !limit_fits
        || prefix.cr_only()
        || on_pool
        || odd_delimiter
    {
        return None;
    }
    let body = prefix.body();
    // The csv path reads the first bytes as one piece before the header: a bad byte or a line
    // over the limit anywhere in them fails there, before any header check. It says so.
    let text = match std::str::from_utf8(body) {
        Ok(_) => body,
        Err(e) if e.error_len().is_none() && !prefix.complete => &body[..e.valid_up_to()],
        Err(_) => return None,
    };
    if blocks::first_long_line(text, options.max_record_bytes).is_some() {
        return None;
    }
    let mut reader = csv_reader(delimiter, body);
    let mut record = csv::ByteRecord::new();
    let read = reader.read_byte_record(&mut record).ok()?;
    let end = usize::try_from(reader.position().byte()).ok()?;
    let whole = end < body.len() || prefix.complete;
    // A header over the record limit is the csv path's to refuse.
    let too_long = end as u64 > options.max_record_bytes;
    if !whole || too_long || end > body.len() || std::str::from_utf8(&body[..end]).is_err() {
        return None;
    }
    let names = header_names(read, &record).ok()?;
    Some((end, names))
}

/// Keeps the records the csv parser reads from `reader` (positioned at a record start; its
/// line 1 is line `first_line + 1` of the run), in file order. The reader starts after
/// `lines_before` lines of the file (0 unless the parallel reader handed over), and sizes the
/// tables from its first records when `reserve`.
#[allow(clippy::too_many_arguments)]
pub(super) fn keep_csv_records<R: Read + Send>(
    mut reader: csv::Reader<TextStream<R>>,
    path: &Path,
    size: u64,
    options: &ReadOptions,
    reading: &mut Reading,
    (first_line, lines_before): (u64, u64),
    reserve: bool,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64),
) -> Result<Parsed, Error> {
    let first_line = first_line + lines_before;
    let input_error = |message: String| Error::input(path, message);
    let Reading {
        builder,
        spill,
        rows,
        ..
    } = reading;
    // Two cores: one thread parses records (csv, hashing, UTF-8 checks) in batches while this
    // one keeps them (ids, groups, scoring). Batches go back to the parser to be refilled, so
    // records are not reallocated.
    const BATCH: usize = 4096;
    // (record, line, byte offset, blank): blankness is decided here, once, on the parser thread.
    type Batch = Vec<(csv::StringRecord, u64, u64, bool)>;
    let (full_tx, full_rx) =
        std::sync::mpsc::sync_channel::<Result<(Batch, usize, u64), String>>(4);
    let max_record = options.max_record_bytes;
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
    for _ in 0..6 {
        let _ = empty_tx.send(
            (0..BATCH)
                .map(|_| (csv::StringRecord::new(), 0, 0, false))
                .collect(),
        );
    }
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || {
            while let Ok(mut batch) = empty_rx.recv() {
                let mut filled = 0;
                while filled < BATCH {
                    match reader.read_record(&mut batch[filled].0) {
                        Ok(false) => break,
                        Ok(true) => {
                            let mut position = batch[filled]
                                .0
                                .position()
                                .map_or((0, 0), |p| (p.line(), p.byte()));
                            // csv numbers a record after empty lines at the first of them.
                            position.0 += reader.get_mut().empty_lines_at(position.1);
                            let size = batch[filled].0.as_byte_record().as_slice().len() as u64;
                            if max_record > 0 && size > max_record {
                                let _ = full_tx.send(Err(format!(
                                    "line {}: a record of {size} bytes, more than --max-record-bytes {max_record}; a quoted field may be missing its closing quote",
                                    lines_before + position.0
                                )));
                                return None;
                            }
                            batch[filled].1 = position.0;
                            batch[filled].2 = position.1;
                            batch[filled].3 = is_blank(&batch[filled].0);
                            filled += 1;
                        }
                        Err(e) => {
                            let _ = full_tx.send(Err(csv_message(&e, lines_before)));
                            return None;
                        }
                    }
                }
                let bytes_read = reader.get_ref().bytes_read();
                if full_tx.send(Ok((batch, filled, bytes_read))).is_err() || filled < BATCH {
                    break;
                }
            }
            let lines = reader.position().line();
            Some((lines, reader.into_inner().finish()))
        });
        let mut records = 0u64;
        let mut reserved = !reserve;
        let mut failure = None;
        let mut hashes: Vec<Option<ids::IdHash>> = Vec::with_capacity(BATCH);
        for message in full_rx.iter() {
            let (batch, filled, bytes_read) = match message {
                Ok(full) => full,
                Err(message) => {
                    failure = Some(input_error(message));
                    break;
                }
            };
            *rows += batch[..filled].iter().filter(|entry| !entry.3).count() as u64;
            if let Some(max) = options.max_rows.filter(|&max| *rows > max) {
                failure = Some(input_error(too_many_rows(max)));
                break;
            }
            if let Some(spill) = spill.as_mut() {
                // Streaming mode: kept records go to their partition on disk.
                let written = batch[..filled]
                    .iter()
                    .filter(|entry| !entry.3)
                    .try_for_each(|(record, line, _, _)| {
                        spill.write(record, first_line + line, builder.id_hash(record))
                    });
                if let Err(e) = written {
                    failure = Some(Error::io(spill.path(0), e));
                    break;
                }
                progress(bytes_read);
                if filled < BATCH {
                    break;
                }
                let _ = empty_tx.send(batch);
                continue;
            }
            records += filled as u64;
            if !reserved && records >= 4096 {
                // Size the tables once from the first records instead of growing them ~20 times.
                reserved = true;
                let offset = batch[filled - 1].2;
                if let Some(remaining) = (size.saturating_sub(offset) * records).checked_div(offset)
                {
                    builder.reserve(remaining as usize, (offset / records) as usize, sink);
                }
            }
            builder.hash_and_add(
                batch[..filled]
                    .iter()
                    .filter(|entry| !entry.3)
                    .map(|(record, line, _, _)| (record, first_line + line)),
                &mut hashes,
                sink,
            );
            progress(bytes_read);
            // The parser's last batch is the one it could not fill. Batches it sent before may
            // still be queued after it has finished, so a refused return is not the end.
            if filled < BATCH {
                break;
            }
            let _ = empty_tx.send(batch);
        }
        drop(empty_tx);
        drop(full_rx);
        let finished = parser
            .join()
            .expect("the parser thread only reads and does not panic");
        match (failure, finished) {
            (Some(e), _) => Err(e),
            (None, Some((lines, (bytes, sha256, combined)))) => Ok(Parsed {
                lines,
                bytes,
                sha256,
                combined,
            }),
            (None, None) => Err(input_error("cannot parse CSV".into())),
        }
    })
}

/// How many records ahead of its lookup an id's table slot is prefetched: enough to cover a
/// memory access, few enough that the slot is still in cache when it is used.
pub(super) const PREFETCH_AHEAD: usize = 16;

/// What reading has gathered so far, across files.
pub(super) struct Reading {
    pub(super) header: Header,
    pub(super) plan: Plan,
    pub(super) builder: Builder,
    pub(super) delimiter: u8,
    /// Streaming mode: where kept records go instead of the builder.
    pub(super) spill: Option<spill::Spill>,
    /// Non-blank records read so far, for `--max-rows`.
    pub(super) rows: u64,
}

/// Takes a file's header: the first file's sets the plan, later files must repeat it.
pub(super) fn start_file(
    names: Vec<String>,
    path: &Path,
    options: &ReadOptions,
    state: &mut Option<Reading>,
    delimiter: u8,
) -> Result<(), Error> {
    let input_error = |message: String| Error::input(path, message);
    match state {
        None => {
            let header = Header::new(names, &options.renames)
                .map_err(input_error)?
                .with_score_prefix(options.score_prefix.as_deref())
                .with_score_prefix_if_unprefixed(options.score_prefix_if_unprefixed.as_deref());
            let plan = Plan::new(&header, options).map_err(input_error)?;
            let builder = Builder::new(&header, &plan, options);
            let spill = match &options.spill {
                Some(to) => Some(spill::Spill::create(to).map_err(|e| Error::io(&to.dir, e))?),
                None => None,
            };
            *state = Some(Reading {
                header,
                plan,
                builder,
                delimiter,
                spill,
                rows: 0,
            });
        }
        Some(Reading { header, .. }) => {
            let normalised: Vec<String> = names.iter().map(|n| columns::normalise(n)).collect();
            let expected: Vec<String> =
                header.names.iter().map(|n| columns::normalise(n)).collect();
            if normalised != expected {
                return Err(input_error(format!(
                    "its columns ({}) differ from the first file's ({}); files analysed together must have the same header",
                    names.join(", "),
                    header.names.join(", ")
                )));
            }
        }
    }
    Ok(())
}

pub(super) fn too_many_rows(max: u64) -> String {
    format!("more than {max} data rows (--max-rows {max}); raise the limit if the export is meant to be this large")
}

/// A csv error as said to the user; its line counts from a reader that started after
/// `lines_before` lines of the file.
pub(super) fn csv_message(e: &csv::Error, lines_before: u64) -> String {
    match e.position() {
        Some(p) => format!("line {}: cannot parse CSV: {e}", lines_before + p.line()),
        None => format!("cannot parse CSV: {e}"),
    }
}
