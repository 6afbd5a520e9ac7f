//! Reading whole inputs: one or several files (CSV, Parquet or workbooks) read as their concatenation,
//! or spilled into partitions on disk for inputs larger than memory; checksums and the
//! per-file record of what was read.

use super::*;

/// Detects the delimiter as the most frequent of `,` `;` tab in the header line (ties to `,`).
pub fn detect_delimiter(bytes: &[u8]) -> u8 {
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let line = &bytes[..line_end];
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    let mut best = (b',', count(b','));
    for d in [b';', b'\t'] {
        let c = count(d);
        if c > best.1 {
            best = (d, c);
        }
    }
    best.0
}

/// Reads an export file.
pub fn read_export(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn CellSink,
) -> Result<Export, Error> {
    read_exports(&[path.to_path_buf()], options, sink, &mut |_, _| {})
}

/// Reads several export files as if they were one file: the header once, then every file's
/// records in order (so a repeated id in a later file is a duplicate, as in the concatenated
/// file). Every file must have the same columns. Files are streamed, not held in memory.
/// `progress(done, total)` is called now and then with bytes read so far.
pub fn read_exports(
    paths: &[PathBuf],
    options: &ReadOptions,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Export, Error> {
    if options.vocabulary.order_by_date {
        return read_ordered_by_date(paths, options, sink, progress);
    }
    let (reading, files, source) = read_files(paths, options, sink, progress)?;
    Ok(reading
        .builder
        .finish(source, files, reading.delimiter, reading.plan))
}

/// A long layout ordered by date, read twice (see [`super::order`]): ids, lines and dates
/// first, then every record with the timepoint its date gave it.
fn read_ordered_by_date(
    paths: &[PathBuf],
    options: &ReadOptions,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Export, Error> {
    let collecting = ReadOptions {
        date_order: DateOrder::Collect,
        ..options.clone()
    };
    let (first, _, first_source) = read_files(paths, &collecting, &mut Nothing, &mut |_, _| {})?;
    let decisions = order::decide(first.builder.collected);
    let applying = ReadOptions {
        date_order: DateOrder::Apply(std::sync::Arc::new(decisions)),
        ..options.clone()
    };
    let (reading, files, source) = read_files(paths, &applying, sink, progress)?;
    if source.sha256 != first_source.sha256 {
        return Err(Error::input(
            &source.path,
            "the file changed between the two readings order-by-date needs; read a copy that is not being written".into(),
        ));
    }
    Ok(reading
        .builder
        .finish(source, files, reading.delimiter, reading.plan))
}

/// A sink that keeps nothing: for passes that only look at records.
struct Nothing;

impl CellSink for Nothing {
    fn person_added(&mut self) {}
    fn cells(&mut self, _: TimepointCells<'_>) {}
    fn total(&mut self, _: usize, _: Timepoint, _: Option<f64>) {}
}

/// Streaming mode's first pass: reads the files as [`read_exports`] does, but writes every
/// non-blank record to a partition file under `options.spill` (which must be set) chosen by
/// its id, keeping nothing per record in memory. [`Spilled::read_partition`] then reads each
/// partition as the whole file would be read for its ids.
pub fn spill_exports(
    paths: &[PathBuf],
    options: &ReadOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Spilled, Error> {
    if options.vocabulary.order_by_date {
        return Err(Error::Option(
            "order-by-date orders each person's assessments over the whole file, which streaming mode does not hold; run in memory".into(),
        ));
    }
    let Some(to) = &options.spill else {
        return Err(Error::Option(
            "streaming needs a folder for its partitions".into(),
        ));
    };
    let (reading, files, source) = read_files(paths, options, &mut Nothing, progress)?;
    let spill = reading
        .spill
        .expect("start_file opens the partitions when options.spill is set");
    let partitions = spill.finish().map_err(|e| Error::io(&to.dir, e))?;
    Ok(Spilled {
        options: ReadOptions {
            spill: None,
            ..options.clone()
        },
        header: reading.header,
        plan: reading.plan,
        delimiter: reading.delimiter,
        files,
        source,
        partitions,
    })
}

/// The partitions written by [`spill_exports`], with what is needed to read them.
pub struct Spilled {
    options: ReadOptions,
    header: Header,
    plan: Plan,
    delimiter: u8,
    files: Vec<SourceFile>,
    source: SourceInfo,
    /// Each partition's file and record count.
    partitions: Vec<(PathBuf, u64)>,
}

impl Spilled {
    /// Number of partitions.
    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    /// Reads partition `k` as its records would be read in the whole file: an [`Export`] of
    /// the people whose ids fall in it, with its exclusions and warnings, cells to `sink`.
    pub fn read_partition(&self, k: usize, sink: &mut dyn CellSink) -> Result<Export, Error> {
        let mut builder = Builder::new(&self.header, &self.plan, &self.options);
        let (path, records) = &self.partitions[k];
        builder.reserve(*records as usize, 16, sink);
        let mut hashes = Vec::new();
        spill::read_partition(path, 4096, |batch| {
            builder.hash_and_add(
                batch.iter().map(|(record, line)| (record, *line)),
                &mut hashes,
                sink,
            );
        })
        .map_err(|e| Error::io(path, e))?;
        Ok(builder.finish(
            self.source.clone(),
            self.files.clone(),
            self.delimiter,
            self.plan.clone(),
        ))
    }

    /// The partitions' exports as one: counts added, exclusions and warnings in line order,
    /// group levels united; ids are not kept (`people` counts them).
    pub fn merge(&self, parts: Vec<Export>) -> Export {
        let mut merged = Export {
            source: self.source.clone(),
            files: self.files.clone(),
            layout: self.plan.layout,
            delimiter: self.delimiter,
            rows_read: 0,
            rows_kept: 0,
            excluded: Vec::new(),
            people: 0,
            ids: Ids::default(),
            groups: self
                .options
                .by
                .iter()
                .map(|name| GroupColumn {
                    name: name.clone(),
                    levels: Vec::new(),
                    codes: GroupCodes::default(),
                })
                .collect(),
            group_conflicts: vec![0; self.options.by.len()],
            responses: Default::default(),
            notices: Vec::new(),
            warnings: Vec::new(),
            exclude_rules: (self.plan.vocabulary.exclude.iter())
                .map(|r| r.name.clone())
                .collect(),
            ignores_timepoints: (self.plan.vocabulary.timepoints.iter())
                .any(|(_, tp)| tp.is_none()),
            dates: None,
            ordered_by_date: false,
        };
        for part in parts {
            merged.rows_read += part.rows_read;
            merged.rows_kept += part.rows_kept;
            merged.people += part.people;
            merged.excluded.extend(part.excluded);
            merged.warnings.extend(part.warnings);
            for (total, n) in merged.group_conflicts.iter_mut().zip(&part.group_conflicts) {
                *total += n;
            }
            for (column, part_column) in merged.groups.iter_mut().zip(part.groups) {
                column.levels.extend(part_column.levels);
            }
            merged.responses = part.responses;
            // The partitions' people are summarised: what stays is the columns and counts.
            if let Some(part_dates) = part.dates {
                let dates = merged.dates.get_or_insert(Dates {
                    days: Default::default(),
                    unreadable: 0,
                    ..part_dates.clone()
                });
                dates.unreadable += part_dates.unreadable;
            }
        }
        for column in &mut merged.groups {
            order_levels(&mut column.levels);
            column.levels.dedup();
        }
        // Lines are unique to a record, and a record's entries keep their order (stable sort).
        merged.excluded.sort_by_key(|e| e.line);
        merged.warnings.sort_by_key(|w| w.line);
        merged.notices = notices(
            &self.plan.notices,
            merged.rows_read,
            &self.options.by,
            &merged.group_conflicts,
        );
        if !self.plan.vocabulary.normalise_groups {
            merged
                .notices
                .extend(near_duplicate_notices(&merged.groups));
        }
        merged.notices.extend(date_notice(merged.dates.as_ref()));
        merged
    }
}

/// The files read into one state, with their descriptions.
pub(super) fn read_files(
    paths: &[PathBuf],
    options: &ReadOptions,
    sink: &mut dyn CellSink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Reading, Vec<SourceFile>, SourceInfo), Error> {
    let total: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let mut state: Option<Reading> = None;
    let mut files = Vec::new();
    // The run's SHA-256 covers every file's bytes in order; for one file it is the file's own.
    let mut combined = (paths.len() > 1).then(Sha256::new);
    let mut done = 0u64;
    let mut first_line = 0u64;
    for path in paths {
        let base = done;
        let mut sheet = None;
        let mut variable_labels = Vec::new();
        let format = match workbook::workbook_format(path) {
            Some(format) => format,
            None if spss::is_spss(path) => "sav",
            None if is_parquet(path) => "parquet",
            None => "csv",
        };
        let sheet_options = options.sheet.is_some() || options.header_row.is_some();
        if sheet_options && matches!(format, "csv" | "parquet" | "sav") {
            return Err(Error::input(
                path,
                format!("--sheet and --header-row apply to workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods); this file is read as {format}"),
            ));
        }
        let parsed = match format {
            "parquet" => parquet::parse_parquet(
                path,
                options,
                &mut state,
                first_line,
                combined.take(),
                sink,
                &mut |d| progress(base + d, total),
            )?,
            "sav" => {
                let (parsed, labels) = spss::parse_sav(
                    path,
                    options,
                    &mut state,
                    first_line,
                    combined.take(),
                    sink,
                    &mut |d| progress(base + d, total),
                )?;
                variable_labels = labels;
                parsed
            }
            "csv" => {
                let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
                let size = file.metadata().map_or(0, |m| m.len());
                parse_file(
                    file,
                    path,
                    size,
                    options,
                    &mut state,
                    first_line,
                    combined.take(),
                    sink,
                    &mut |d| progress(base + d, total),
                )?
            }
            _ => {
                let (parsed, place) = workbook::parse_workbook(
                    path,
                    options,
                    &mut state,
                    first_line,
                    combined.take(),
                    sink,
                    &mut |d| progress(base + d, total),
                )?;
                sheet = Some(place);
                parsed
            }
        };
        combined = parsed.combined;
        files.push(SourceFile {
            path: path.clone(),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: parsed.bytes,
            sha256: parsed.sha256,
            format,
            sheet,
            variable_labels,
            first_line,
        });
        first_line += parsed.lines;
        done += parsed.bytes;
        progress(done, total);
    }
    let Some(reading) = state else {
        return Err(Error::Option("no input file given".into()));
    };
    let source = SourceInfo {
        path: paths[0].clone(),
        file_name: match files.len() {
            1 => files[0].file_name.clone(),
            n => format!("{} and {} more", files[0].file_name, n - 1),
        },
        bytes: done,
        sha256: match combined {
            Some(h) => format!("{:x}", h.finalize()),
            None => files[0].sha256.clone(),
        },
    };
    Ok((reading, files, source))
}

/// Reads an export already in memory (the file's bytes; `source` describes them).
pub fn read_bytes(
    bytes: &[u8],
    source: SourceInfo,
    options: &ReadOptions,
    sink: &mut dyn CellSink,
) -> Result<Export, Error> {
    let mut state = None;
    let parsed = parse_file(
        bytes,
        &source.path,
        bytes.len() as u64,
        options,
        &mut state,
        0,
        None,
        sink,
        &mut |_| {},
    )?;
    let file = SourceFile {
        path: source.path.clone(),
        file_name: source.file_name.clone(),
        bytes: parsed.bytes,
        sha256: parsed.sha256,
        format: "csv",
        sheet: None,
        variable_labels: Vec::new(),
        first_line: 0,
    };
    let Reading {
        plan,
        builder,
        delimiter,
        ..
    } = state.expect("parse_file sets the state or fails");
    Ok(builder.finish(source, vec![file], delimiter, plan))
}
