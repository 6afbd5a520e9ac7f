//! Accumulates people as records arrive: ids and duplicates, group codes, exclusions with
//! their line and reason, and the cells handed to the scoring stage.

use super::*;

/// Accumulates people as records arrive.
pub(super) struct Builder {
    pub(super) width: usize,
    pub(super) ids: ids::IdIndex,
    /// Long layout: which timepoints each person already has.
    pub(super) seen: Vec<[bool; 3]>,
    pub(super) group_levels: Vec<HashMap<String, u32>>,
    pub(super) group_codes: Vec<GroupCodes>,
    pub(super) responses: [Responses; 3],
    pub(super) excluded: Vec<Excluded>,
    pub(super) rows_read: u64,
    pub(super) rows_kept: u64,
    pub(super) layout: Layout,
    pub(super) id: usize,
    pub(super) timepoint: Option<usize>,
    pub(super) groups: Vec<usize>,
    pub(super) by_names: Vec<String>,
    /// Long layout: rows whose group value differs from the person's first row, per column.
    pub(super) group_conflicts: Vec<u64>,
    pub(super) warnings: Vec<RowWarning>,
    pub(super) cell_columns: [Vec<usize>; 3],
    /// Cells of the record being handed to the sink, reused.
    pub(super) cell_buffer: Vec<Cell>,
    /// The distinct total columns, which the parallel reader's workers score ahead.
    pub(super) ahead_columns: Vec<usize>,
    /// Per timepoint, its total column's place in `ahead_columns`.
    pub(super) ahead_slot: [Option<usize>; 3],
    /// Per grouping column, the global code of each block-local code of the block being
    /// kept ([`UNMAPPED`] until a kept person has it).
    pub(super) block_levels: Vec<Vec<u32>>,
    /// What [`Builder::keep_block`] reuses.
    pub(super) bulk: bulk::BulkBuffers,
    /// The config's words for values, resolved against the header.
    pub(super) vocabulary: vocabulary::Resolved,
    /// Each timepoint's date column.
    pub(super) date_columns: [Option<usize>; 3],
    /// The people's dates, when the export has a date column.
    pub(super) dates: Option<Dates>,
    /// A long layout ordered by date: collecting (first pass) or applying (second pass).
    pub(super) date_order: DateOrder,
    /// The first pass's records.
    pub(super) collected: Vec<order::Collected>,
}

/// A block-local group code with no global code yet.
pub(super) const UNMAPPED: u32 = u32::MAX;

impl Builder {
    pub(super) fn new(header: &Header, plan: &Plan, options: &ReadOptions) -> Builder {
        let cell_columns: [Vec<usize>; 3] = std::array::from_fn(|t| {
            plan.sources[t]
                .as_ref()
                .map(Source::columns)
                .unwrap_or_default()
        });
        let responses = std::array::from_fn(|t| Responses {
            source: plan.sources[t].clone(),
            width: cell_columns[t].len(),
            column_names: cell_columns[t]
                .iter()
                .map(|&c| header.names[c].clone())
                .collect(),
        });
        let mut ahead_columns = Vec::new();
        let ahead_slot = plan.sources.clone().map(|source| match source {
            Some(Source::Total(col)) => Some(
                ahead_columns
                    .iter()
                    .position(|&c| c == col)
                    .unwrap_or_else(|| {
                        ahead_columns.push(col);
                        ahead_columns.len() - 1
                    }),
            ),
            _ => None,
        });
        Builder {
            width: header.names.len(),
            ids: ids::IdIndex::default(),
            seen: Vec::new(),
            group_levels: (0..options.by.len()).map(|_| HashMap::new()).collect(),
            group_codes: vec![GroupCodes::default(); options.by.len()],
            responses,
            excluded: Vec::new(),
            rows_read: 0,
            rows_kept: 0,
            layout: plan.layout,
            id: plan.id,
            timepoint: plan.timepoint,
            groups: plan.groups.clone(),
            by_names: options.by.clone(),
            group_conflicts: vec![0; options.by.len()],
            warnings: Vec::new(),
            cell_columns,
            cell_buffer: Vec::new(),
            ahead_columns,
            ahead_slot,
            block_levels: vec![Vec::new(); options.by.len()],
            bulk: bulk::BulkBuffers::default(),
            vocabulary: plan.vocabulary.clone(),
            date_columns: plan.dates,
            date_order: options.date_order.clone(),
            collected: Vec::new(),
            dates: plan.dates.iter().any(Option::is_some).then(|| Dates {
                columns: plan
                    .dates
                    .map(|c| c.map(|c| header.names[c].trim().to_string())),
                days: Default::default(),
                unreadable: 0,
                format: plan.vocabulary.date_format,
            }),
        }
    }

    /// A new block's records follow: its local group codes start unmapped.
    pub(super) fn start_block(&mut self) {
        for map in &mut self.block_levels {
            map.clear();
        }
    }

    /// Excludes a wide record whose id an earlier record has.
    pub(super) fn exclude_repeat(&mut self, line: u64, id: &str) {
        self.exclude(line, Exclusion::DuplicateId, format!("repeats id {id:?}"));
    }

    pub(super) fn exclude(&mut self, line: u64, reason: Exclusion, detail: String) {
        self.excluded.push(Excluded {
            line,
            reason,
            detail,
        });
    }

    /// Adds records in order with their ids' hashes ([`Builder::id_hash`], computed first),
    /// prefetching each one's table slot a few records ahead, so the lookups do not wait on
    /// memory one by one. Blank records never get here (the parsers skip them; partitions
    /// hold none).
    pub(super) fn add_batch<'a, R: Fields>(
        &mut self,
        batch: impl Iterator<Item = (R, u64, Option<Ahead<'a>>)>,
        hashes: &[Option<ids::IdHash>],
        sink: &mut dyn CellSink,
    ) {
        for (i, (record, line, ahead)) in batch.enumerate() {
            if let Some(&Some(next)) = hashes.get(i + PREFETCH_AHEAD) {
                self.ids.prefetch(next);
            }
            self.add(&record, line, hashes[i], ahead.as_ref(), sink);
        }
    }

    /// [`Builder::add_batch`] for records whose ids are not hashed yet (the csv parser's):
    /// hashes them into `hashes` first.
    pub(super) fn hash_and_add<R: Fields>(
        &mut self,
        batch: impl Iterator<Item = (R, u64)> + Clone,
        hashes: &mut Vec<Option<ids::IdHash>>,
        sink: &mut dyn CellSink,
    ) {
        hashes.clear();
        hashes.extend(batch.clone().map(|(record, _)| self.id_hash(&record)));
        self.add_batch(
            batch.map(|(record, line)| (record, line, None)),
            hashes,
            sink,
        );
    }

    /// The hash of a record's id, if it has one (computed ahead of [`Builder::add`]).
    pub(super) fn id_hash(&self, record: &impl Fields) -> Option<ids::IdHash> {
        id_hash(self.ids.hasher(), self.id, record)
    }

    pub(super) fn add(
        &mut self,
        record: &impl Fields,
        line: u64,
        hash: Option<ids::IdHash>,
        ahead: Option<&Ahead<'_>>,
        sink: &mut dyn CellSink,
    ) {
        self.rows_read += 1;
        if record.count() != self.width {
            let detail = format!(
                "{} fields where the header has {}",
                record.count(),
                self.width
            );
            self.exclude(line, Exclusion::Malformed, detail);
            return;
        }
        if let Some(rule) = self
            .vocabulary
            .exclude
            .iter()
            .find(|rule| rule.matches(record.field(rule.column)))
        {
            let detail = rule.name.clone();
            self.exclude(line, Exclusion::ByRule, detail);
            return;
        }
        let id = trim(record.field(self.id));
        let Some(hash) = hash.filter(|_| !id.is_empty()) else {
            self.exclude(line, Exclusion::MissingId, "blank id".into());
            return;
        };
        let timepoint = match (self.layout, self.timepoint, &self.date_order) {
            (_, _, DateOrder::Collect) => {
                let column = self.date_columns[0]
                    .expect("the plan refuses order-by-date without a date column");
                let text = record.field(column);
                let read = date_cell(&self.vocabulary, self.vocabulary.date_format, column, text);
                self.collected.push(order::Collected {
                    id: id.to_string(),
                    line,
                    day: read.ok().flatten(),
                    unreadable: read.is_err().then(|| trim(text).to_string()),
                });
                return;
            }
            (_, _, DateOrder::Apply(decisions)) => match decisions.get(line) {
                Some(order::Decision::Keep(tp)) => Some(*tp),
                Some(order::Decision::Exclude(reason, detail)) => {
                    let (reason, detail) = (*reason, detail.clone());
                    self.exclude(line, reason, detail);
                    return;
                }
                // Only when the file changed between the passes, which read_exports refuses
                // by the files' checksums.
                None => {
                    let detail =
                        "not seen by the first pass: the file changed while it was read".into();
                    self.exclude(line, Exclusion::UndatedAssessment, detail);
                    return;
                }
            },
            (Layout::Long, Some(col), DateOrder::Off) => {
                let text = record.field(col);
                let mapped = self.vocabulary.timepoint(text);
                match mapped.unwrap_or_else(|| Timepoint::from_alias(text)) {
                    Some(tp) => Some(tp),
                    None if mapped.is_some() => {
                        let detail = format!("timepoint {:?} is mapped to ignore", text.trim());
                        self.exclude(line, Exclusion::IgnoredTimepoint, detail);
                        return;
                    }
                    None => {
                        let detail = format!(
                            "timepoint {:?} is not one of pre|baseline|initial|start, post|end|exit|final, followup|follow-up|follow_up|fu{}",
                            text.trim(),
                            if self.vocabulary.timepoints.is_empty() {
                                " (map it in the config's [timepoints] table)"
                            } else {
                                " nor in the config's [timepoints]"
                            }
                        );
                        self.exclude(line, Exclusion::UnknownTimepoint, detail);
                        return;
                    }
                }
            }
            _ => None,
        };
        let person = match (self.ids.find_or_insert(id, hash), timepoint) {
            ((p, true), _) => {
                self.new_person(record, ahead, sink);
                p
            }
            ((p, false), Some(tp)) if !self.seen[p][tp.index()] => {
                self.check_groups_agree(p, record, line);
                p
            }
            ((_, false), Some(tp)) => {
                self.exclude(
                    line,
                    Exclusion::DuplicateId,
                    format!("repeats id {id:?} at {}", tp.name()),
                );
                return;
            }
            ((_, false), None) => {
                self.exclude_repeat(line, id);
                return;
            }
        };
        self.rows_kept += 1;
        match timepoint {
            Some(tp) => {
                self.seen[person][tp.index()] = true;
                self.fill(person, tp, record, line, ahead, sink);
            }
            None => {
                for tp in Timepoint::ALL {
                    self.fill(person, tp, record, line, ahead, sink);
                }
            }
        }
    }

    /// Makes room for about `records` more records of `bytes_each` bytes.
    pub(super) fn reserve(&mut self, records: usize, bytes_each: usize, sink: &mut dyn CellSink) {
        let people = if self.layout == Layout::Long {
            records / 2
        } else {
            records
        };
        self.ids.reserve(people, (bytes_each / 4).max(4));
        if self.layout == Layout::Long {
            self.seen.reserve(people);
        }
        for codes in &mut self.group_codes {
            codes.reserve(people);
        }
        sink.reserve(people);
    }

    /// Long layout: notes a person whose later row names other groups than their first row
    /// (which is the one used).
    pub(super) fn check_groups_agree(&mut self, person: usize, record: &impl Fields, line: u64) {
        for (g, &col) in self.groups.iter().enumerate() {
            let text = record.field(col);
            let value = group_value(text);
            let first = self.group_codes[g].get(person);
            let differs = if self.vocabulary.renames_groups() {
                let first_value = self.group_levels[g]
                    .iter()
                    .find(|(_, &c)| c == first)
                    .map_or("", |(v, _)| v.as_str());
                self.vocabulary.group_name(g, col, value)
                    != self.vocabulary.group_name(g, col, first_value)
            } else {
                self.group_levels[g].get(value) != Some(&first)
            };
            if differs {
                self.group_conflicts[g] += 1;
                let first_value = self.group_levels[g]
                    .iter()
                    .find(|(_, &c)| c == first)
                    .map_or("", |(v, _)| v.as_str());
                self.warnings.push(RowWarning {
                    line,
                    message: format!(
                        "column {}: {value:?} differs from {first_value:?} in the first row of id {:?}; the first row's value is used",
                        self.by_names[g],
                        self.ids.get(person)
                    ),
                });
            }
        }
    }

    pub(super) fn new_person(
        &mut self,
        record: &impl Fields,
        ahead: Option<&Ahead<'_>>,
        sink: &mut dyn CellSink,
    ) {
        for (g, &col) in self.groups.iter().enumerate() {
            let code = match ahead {
                // Coded on a worker: its block-local code, mapped once per block.
                Some(ahead) => block_code(
                    &mut self.block_levels[g],
                    &mut self.group_levels[g],
                    ahead.groups[g] as usize,
                    &ahead.levels[g],
                ),
                None => global_code(&mut self.group_levels[g], group_value(record.field(col))),
            };
            self.group_codes[g].push(code);
        }
        if self.layout == Layout::Long {
            // Which timepoints a person has rows for matters only in the long layout.
            self.seen.push([false; 3]);
        }
        if let Some(dates) = &mut self.dates {
            for (days, column) in dates.days.iter_mut().zip(&self.date_columns) {
                if column.is_some() {
                    days.push(NO_DATE);
                }
            }
        }
        sink.person_added();
    }

    pub(super) fn fill(
        &mut self,
        person: usize,
        tp: Timepoint,
        record: &dyn Fields,
        line: u64,
        ahead: Option<&Ahead<'_>>,
        sink: &mut dyn CellSink,
    ) {
        if let Some(column) = self.date_columns[tp.index()] {
            self.read_date(person, tp, column, record, line);
        }
        let columns = &self.cell_columns[tp.index()];
        if columns.is_empty() {
            return;
        }
        if let (Some(ahead), Some(slot)) = (ahead, self.ahead_slot[tp.index()]) {
            if let Some(score) = ahead
                .totals
                .get(slot)
                .and_then(|&bits| AheadScore::decode(bits))
            {
                return sink.total(person, tp, score);
            }
        }
        self.cell_buffer.clear();
        if self.vocabulary.missing.is_empty() {
            self.cell_buffer
                .extend(columns.iter().map(|&col| parse_cell(record.field(col))));
        } else {
            let vocabulary = &self.vocabulary;
            self.cell_buffer.extend(columns.iter().map(
                |&col| match vocabulary.missing_codes(col) {
                    Some(codes) => codes.parse(record.field(col)),
                    None => parse_cell(record.field(col)),
                },
            ));
        }
        sink.cells(TimepointCells {
            person,
            timepoint: tp,
            cells: &self.cell_buffer,
            line,
            responses: &self.responses[tp.index()],
            record,
            columns,
        });
    }

    /// Reads a kept record's date at `tp`; a cell that is no date is a warning (the person
    /// is then undated there), never a guess.
    fn read_date(
        &mut self,
        person: usize,
        tp: Timepoint,
        column: usize,
        record: &dyn Fields,
        line: u64,
    ) {
        let Some(dates) = &mut self.dates else {
            return;
        };
        let text = record.field(column);
        match date_cell(&self.vocabulary, dates.format, column, text) {
            Ok(Some(day)) => dates.days[tp.index()][person] = day,
            Ok(None) => {}
            Err(_) => {
                dates.unreadable += 1;
                let hint = match dates.format {
                    dates::DateFormat::Auto => "; if the export writes dates another way, say how with date-format (such as \"mm/dd/yyyy\")",
                    _ => "; check date-format",
                };
                self.warnings.push(RowWarning {
                    line,
                    message: format!(
                        "column {}: {:?} is not a date (expected {}){hint}; the {} date is left out",
                        dates.columns[tp.index()].as_deref().unwrap_or_default(),
                        trim(text),
                        dates.format.describe(),
                        tp.name(),
                    ),
                });
            }
        }
    }

    pub(super) fn finish(
        self,
        source: SourceInfo,
        files: Vec<SourceFile>,
        delimiter: u8,
        mut plan: Plan,
    ) -> Export {
        plan.notices = notices(
            &plan.notices,
            self.rows_read,
            &self.by_names,
            &self.group_conflicts,
        );
        let ids = self.ids.into_ids();
        let vocabulary = &self.vocabulary;
        let groups: Vec<GroupColumn> = self
            .group_levels
            .into_iter()
            .zip(self.group_codes)
            .zip(self.by_names)
            .zip(&self.groups)
            .enumerate()
            .map(|(g, (((levels, mut codes), name), &column))| {
                let levels = if vocabulary.renames_groups() {
                    rename_levels(vocabulary, g, column, levels, &mut codes)
                } else {
                    levels
                };
                sort_levels(name, levels, codes)
            })
            .collect();
        if !vocabulary.normalise_groups {
            plan.notices.extend(near_duplicate_notices(&groups));
        }
        plan.notices.extend(date_notice(self.dates.as_ref()));
        Export {
            source,
            files,
            layout: self.layout,
            delimiter,
            rows_read: self.rows_read,
            rows_kept: self.rows_kept,
            excluded: self.excluded,
            people: ids.len() as u64,
            ids,
            groups,
            group_conflicts: self.group_conflicts,
            responses: self.responses,
            notices: plan.notices,
            warnings: self.warnings,
            exclude_rules: vocabulary.exclude.iter().map(|r| r.name.clone()).collect(),
            ignores_timepoints: vocabulary.timepoints.iter().any(|(_, tp)| tp.is_none()),
            dates: self.dates,
            ordered_by_date: matches!(self.date_order, DateOrder::Apply(_)),
        }
    }
}

/// A date cell read with `format`: the column's missing codes are blank, anything else as
/// [`dates::parse_date`] reads it. Shared by the reading of dates and order-by-date's
/// first pass, so both see the same dates.
fn date_cell(
    vocabulary: &vocabulary::Resolved,
    format: dates::DateFormat,
    column: usize,
    text: &str,
) -> Result<Option<dates::DayNumber>, dates::NotADate> {
    if vocabulary
        .missing_codes(column)
        .is_some_and(|codes| codes.matches(trim(text)))
    {
        return Ok(None);
    }
    dates::parse_date(text, format)
}

/// How many date cells could not be read, if any.
pub(super) fn date_notice(dates: Option<&Dates>) -> Option<String> {
    let n = dates?.unreadable;
    (n > 0).then(|| {
        format!(
            "{n} date cell{} could not be read as dates and count as undated (validate lists them)",
            if n == 1 { "" } else { "s" }
        )
    })
}

/// The notices of a read: the plan's, then whether there were no rows and how many rows gave
/// a person another group than their first row.
pub(super) fn notices(
    plan: &[String],
    rows_read: u64,
    by: &[String],
    conflicts: &[u64],
) -> Vec<String> {
    let mut notices = plan.to_vec();
    if rows_read == 0 {
        notices.push("the file has a header but no data rows".into());
    }
    for (name, &conflicts) in by.iter().zip(conflicts) {
        if conflicts > 0 {
            notices.push(format!(
                "{conflicts} row{} give a person another {name} than their first row; the first row's value is used",
                if conflicts == 1 { "" } else { "s" }
            ));
        }
    }
    notices
}

/// The hash of a record's id (its `id_column`, trimmed), if it has a non-blank one.
pub(super) fn id_hash(
    hasher: &ids::IdHasher,
    id_column: usize,
    record: &impl Fields,
) -> Option<ids::IdHash> {
    let id = trim(record.get(id_column)?);
    (!id.is_empty()).then(|| hasher.hash(id))
}

/// A blank record (a blank line, or only delimiters and spaces): skipped, not counted.
pub(super) fn is_blank(record: &impl Fields) -> bool {
    (0..record.count()).all(|i| record.field(i).bytes().all(|b| b.is_ascii_whitespace()))
}

/// The global code of block-local code `local` (naming `block_levels[local]`), mapped in
/// `map` the first time a kept person has it.
#[inline]
pub(super) fn block_code(
    map: &mut Vec<u32>,
    levels: &mut HashMap<String, u32>,
    local: usize,
    block_levels: &[String],
) -> u32 {
    if map.len() <= local {
        map.resize(local + 1, UNMAPPED);
    }
    if map[local] == UNMAPPED {
        map[local] = global_code(levels, &block_levels[local]);
    }
    map[local]
}

/// The code of group `value` in a column's `levels`, numbered in order of first appearance.
pub(super) fn global_code(levels: &mut HashMap<String, u32>, value: &str) -> u32 {
    match levels.get(value) {
        Some(&code) => code,
        None => {
            let code = levels.len() as u32;
            levels.insert(value.to_string(), code);
            code
        }
    }
}

/// A grouping cell as a group name: trimmed, and [`MISSING_GROUP`] when blank or an Excel
/// error value (`#N/A` is no group).
pub(crate) fn group_value(text: &str) -> &str {
    match trim(text) {
        "" => MISSING_GROUP,
        v if super::value::is_excel_error(v) => MISSING_GROUP,
        v => v,
    }
}

/// Applies the config's renames to a column's levels ([`vocabulary::Resolved::group_name`],
/// then with `normalise-groups` each spelling family's most common spelling, ties to the first
/// in byte order), merging levels that end with the same name; codes follow.
fn rename_levels(
    vocabulary: &vocabulary::Resolved,
    g: usize,
    column: usize,
    levels: HashMap<String, u32>,
    codes: &mut GroupCodes,
) -> HashMap<String, u32> {
    let mut names = vec![String::new(); levels.len()];
    for (value, &code) in &levels {
        names[code as usize] = vocabulary.group_name(g, column, value);
    }
    if vocabulary.normalise_groups {
        let mut people = vec![0u64; names.len()];
        for code in codes.iter() {
            people[code as usize] += 1;
        }
        let mut by_name: BTreeMap<&str, u64> = BTreeMap::new();
        for (name, n) in names.iter().zip(&people) {
            *by_name.entry(name.as_str()).or_default() += n;
        }
        // By byte order, so a tie keeps the first spelling.
        let mut sorted: Vec<(&str, u64)> = by_name.into_iter().collect();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut spelling: BTreeMap<String, (&str, u64)> = BTreeMap::new();
        for (name, n) in sorted {
            let best = spelling
                .entry(vocabulary::normalise_words(name))
                .or_insert((name, n));
            if n > best.1 {
                *best = (name, n);
            }
        }
        let canonical: Vec<String> = names
            .iter()
            .map(|name| match name.as_str() {
                MISSING_GROUP => name.clone(),
                _ => spelling[&vocabulary::normalise_words(name)].0.to_string(),
            })
            .collect();
        names = canonical;
    }
    let mut renamed = HashMap::new();
    let new_code: Vec<u32> = names
        .iter()
        .map(|name| global_code(&mut renamed, name))
        .collect();
    codes.remap(&new_code);
    renamed
}

/// Warnings about grouping values that differ only in case, spacing or trailing punctuation
/// (with each spelling's people when the codes are kept), which are separate groups unless
/// merged.
pub(super) fn near_duplicate_notices(groups: &[GroupColumn]) -> Vec<String> {
    let mut notices = Vec::new();
    for column in groups {
        let families = vocabulary::near_duplicates(&column.levels);
        if families.is_empty() {
            continue;
        }
        let mut people = vec![0u64; column.levels.len()];
        for code in column.codes.iter() {
            people[code as usize] += 1;
        }
        let counted = !column.codes.is_empty();
        let described: Vec<String> = families
            .iter()
            .map(|family| {
                family
                    .iter()
                    .map(|&k| match counted {
                        true => format!("{:?} ({})", column.levels[k], people[k]),
                        false => format!("{:?}", column.levels[k]),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        notices.push(format!(
            "{}: {} differ only in case, spacing or punctuation and are separate groups; merge them with normalise-groups = true or a [recode.{}] table in the config",
            column.name,
            described.join("; "),
            column.name
        ));
    }
    notices
}

/// The number a group name stands for when a column's groups are numbers or bands: `7`,
/// `18-24` (18), `18 to under 24.5` (18), `65+` (65), `under 18` (below any).
fn numeric_key(level: &str) -> Option<f64> {
    let number = |s: &str| match parse_cell(s) {
        Cell::Number(v) => Some(v),
        _ => None,
    };
    if let Some(v) = number(level) {
        return Some(v);
    }
    if let Some(rest) = level.strip_prefix("under ") {
        return number(rest).map(|_| f64::NEG_INFINITY);
    }
    if let Some(rest) = level.strip_suffix('+') {
        return number(rest);
    }
    let (low, high) = level
        .split_once(" to under ")
        .or_else(|| level.split_once('-'))?;
    number(high).and(number(low))
}

/// Sorts a column's group names: by the numbers they stand for when every group (but
/// `(missing)`, which comes first) is a number or a band, so 2 comes before 10 and `5-17`
/// before `18-24`; else by UTF-8 bytes (R's radix sort).
pub(crate) fn order_levels(levels: &mut [String]) {
    let numeric = levels.iter().any(|l| l != MISSING_GROUP)
        && (levels.iter())
            .filter(|l| *l != MISSING_GROUP)
            .all(|l| numeric_key(l).is_some());
    if !numeric {
        levels.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        return;
    }
    levels.sort_by(|a, b| {
        let key = |l: &str| match l {
            MISSING_GROUP => f64::NEG_INFINITY,
            l => numeric_key(l).unwrap_or(f64::NEG_INFINITY),
        };
        let missing_first = (b == MISSING_GROUP).cmp(&(a == MISSING_GROUP));
        missing_first
            .then(key(a).total_cmp(&key(b)))
            .then(a.as_bytes().cmp(b.as_bytes()))
    });
}

/// Re-codes a column so that codes follow the levels in [`order_levels`]'s order, which makes
/// "groups in order" a walk over codes.
pub(super) fn sort_levels(
    name: String,
    levels: HashMap<String, u32>,
    mut codes: GroupCodes,
) -> GroupColumn {
    let mut names: Vec<String> = levels.keys().cloned().collect();
    order_levels(&mut names);
    let by_code: Vec<(String, u32)> = names
        .into_iter()
        .map(|name| {
            let code = levels[&name];
            (name, code)
        })
        .collect();
    let mut new_code = vec![0u32; by_code.len()];
    for (rank, (_, old)) in by_code.iter().enumerate() {
        new_code[*old as usize] = rank as u32;
    }
    codes.remap(&new_code);
    GroupColumn {
        name,
        levels: by_code.into_iter().map(|(l, _)| l).collect(),
        codes,
    }
}
