//! The parallel reader against the csv parser it stands in for: on random exports (quoted
//! fields with delimiters, line ends and `""` inside, quotes inside unquoted fields, ragged
//! and blank records, CRLF, missing and repeated ids, no final line end) both give the same
//! records, exclusions, line numbers, groups, scores and problems, whatever the block size;
//! and the same errors.

use loneliness_eval::read::{read_bytes, Export, ReadOptions, SourceInfo};
use loneliness_eval::scale::{ScaleTable, Scored, Scorer};
use proptest::prelude::*;

const HEADER: &str = "id,location,trigger_group,pre_score,post_score,followup_score";

fn source() -> SourceInfo {
    SourceInfo {
        path: "generated.csv".into(),
        file_name: "generated.csv".into(),
        bytes: 0,
        sha256: String::new(),
    }
}

/// What a read gives, as text to compare (Export and Scored have no PartialEq).
fn read(bytes: &[u8], options: &ReadOptions) -> Result<String, String> {
    let scale = ScaleTable::builtin().get("ucla3").expect("builtin");
    let mut scorer = Scorer::new(&scale, 0);
    let export: Export =
        read_bytes(bytes, source(), options, &mut scorer).map_err(|e| e.to_string())?;
    let scored: Scored = scorer.finish();
    Ok(format!(
        "rows_read {} kept {} people {}\nexcluded {:?}\nids {:?}\ngroups {:?}\nconflicts {:?}\nnotices {:?}\nwarnings {:?}\nscores {:?}\nproblems {:?}",
        export.rows_read,
        export.rows_kept,
        export.people,
        export.excluded,
        export.ids.iter().collect::<Vec<_>>(),
        export
            .groups
            .iter()
            .map(|g| (&g.name, &g.levels, &g.codes))
            .collect::<Vec<_>>(),
        export.group_conflicts,
        export.notices,
        export.warnings,
        scored.scores,
        scored.problems,
    ))
}

fn options(sequential: bool, block: usize, max_record_bytes: u64) -> ReadOptions {
    ReadOptions {
        by: vec!["trigger_group".into(), "location".into()],
        item_count: Some(3),
        max_record_bytes,
        sequential,
        block_bytes: Some(block),
        ..ReadOptions::default()
    }
}

/// One line of an export.
fn line() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        "[a-z ]{0,4}",
        "\"[a-z,\n ]{0,6}\"",
        "\"[a-z]{0,2}\"\"[a-z]{0,2}\"",
        "[a-z]{1,2}\"[a-z]{0,2}",
        "\"[a-z]{0,3}\"[a-z]{0,2}",
    ];
    let score = prop_oneof!["[3-9]", "", " 7 ", "NA", "x", "\"8\"", "1[0-9]"];
    prop_oneof![
        8 => ("[A-D][0-9]?", field.clone(), field.clone(), score.clone(), score.clone(), score)
            .prop_map(|(id, l, t, a, b, c)| format!("{id},{l},{t},{a},{b},{c}")),
        1 => ("[A-D ]{0,2}", field).prop_map(|(id, l)| format!("{id},{l}")),
        1 => "[ ,]{1,6}",
        1 => Just("\r".to_string()),
        1 => Just(String::new()),
        // A byte-order mark inside the data (files joined with cat) is text, not a BOM.
        1 => Just("\u{FEFF}\"E1\",L,B,7,5,4".to_string()),
    ]
}

fn export() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((line(), any::<bool>()), 0..30),
        any::<bool>(),
    )
        .prop_map(|(lines, final_newline)| {
            let mut text = format!("{HEADER}\n");
            for (i, (line, crlf)) in lines.iter().enumerate() {
                text.push_str(line);
                if *crlf {
                    text.push('\r');
                }
                if i + 1 < lines.len() || final_newline {
                    text.push('\n');
                }
            }
            text.into_bytes()
        })
}

/// An export of mostly plain records (every field present, totals valid or blank) with
/// repeated ids: blocks of such records are kept whole ([`Builder::keep_block`]), and a
/// dirty line now and then sends its block record by record.
fn plain_export() -> impl Strategy<Value = Vec<u8>> {
    let plain = (
        "[A-F][0-9]{0,2}",
        "(Leeds|York| Hull|)",
        "(B|R|P )",
        "([3-9]|)",
        "([3-9]|)",
        "([3-9]| 7|)",
    )
        .prop_map(|(id, l, t, a, b, c)| format!("{id},{l},{t},{a},{b},{c}"));
    proptest::collection::vec(prop_oneof![20 => plain, 1 => line()], 0..200).prop_map(|lines| {
        let mut text = format!("{HEADER}\n");
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        text.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn whole_blocks_are_kept_as_record_by_record(bytes in plain_export(), block in 1usize..600) {
        let expected = read(&bytes, &options(true, block, 8 << 20));
        for block in [block, 1 << 20] {
            prop_assert_eq!(&read(&bytes, &options(false, block, 8 << 20)), &expected);
        }
    }

    #[test]
    fn parallel_reader_reads_as_the_csv_parser(bytes in export(), block in 1usize..80) {
        let expected = read(&bytes, &options(true, block, 8 << 20));
        for block in [block, 1, 1 << 20] {
            prop_assert_eq!(&read(&bytes, &options(false, block, 8 << 20)), &expected);
        }
    }

    #[test]
    fn parallel_reader_fails_where_the_csv_parser_fails(
        bytes in export(),
        block in 1usize..80,
        bad_byte in proptest::option::of(0usize..400),
        max_record_bytes in prop_oneof![Just(8u64 << 20), 4u64..40],
    ) {
        let mut bytes = bytes;
        if let Some(at) = bad_byte {
            // A Latin-1 byte somewhere after the header.
            let at = HEADER.len() + 1 + at % (bytes.len() - HEADER.len());
            bytes.insert(at.min(bytes.len()), 0xE9);
        }
        let expected = read(&bytes, &options(true, block, max_record_bytes));
        let got = read(&bytes, &options(false, block, max_record_bytes));
        match (&expected, &got) {
            (Ok(_), _) | (_, Ok(_)) => prop_assert_eq!(&got, &expected),
            // With a limit, which of two problems is met first can depend on how much the
            // csv path reads at a time; without one, the message is the same.
            (Err(_), Err(_)) if max_record_bytes < 100 => {}
            (Err(_), Err(_)) => prop_assert_eq!(&got, &expected),
        }
    }
}

#[test]
fn a_record_over_the_limit_is_reported_at_its_line_after_many_blocks() {
    // The parallel reader hands the rest of the file to the csv parser at the block where the
    // unclosed quote starts; the csv parser's line numbers must count from the file's start.
    let mut text = format!("{HEADER}\n");
    for i in 0..200 {
        text.push_str(&format!("P{i},Leeds,B,7,5,4\n"));
    }
    text.push_str("Q,\"Leeds,B,7,5,4\n");
    for i in 0..50 {
        text.push_str(&format!("R{i},York,B,7,5,4\n"));
    }
    let expected = read(text.as_bytes(), &options(true, 64, 200));
    assert!(
        expected
            .as_ref()
            .is_err_and(|e| e.contains("line 202: a record of")),
        "{expected:?}"
    );
    for block in [1, 64, 100, 1 << 20] {
        assert_eq!(read(text.as_bytes(), &options(false, block, 200)), expected);
    }
}

#[test]
fn blocks_are_cut_in_small_files_too() {
    // Hundreds of records in blocks of 64 bytes: every record boundary is a block boundary
    // somewhere, quoted fields with line ends included.
    let mut text = format!("{HEADER}\n");
    for i in 0..300 {
        let location = if i % 3 == 0 {
            "\"Newry,\nMourne\""
        } else {
            "York"
        };
        text.push_str(&format!("P{i},{location},B,{},5,4\n", 3 + i % 7));
    }
    let expected = read(text.as_bytes(), &options(true, 64, 8 << 20));
    assert!(
        expected.as_ref().is_ok_and(|e| e.contains("kept 300")),
        "{expected:?}"
    );
    for block in [1, 7, 64, 1000] {
        assert_eq!(
            read(text.as_bytes(), &options(false, block, 8 << 20)),
            expected
        );
    }
}

#[test]
fn records_after_empty_lines_have_their_own_line_numbers() {
    // csv itself numbers such a record at the first empty line; both readers say its own.
    let text = format!("{HEADER}\nA,L,B,7,5,4\n\n\nB,L,B,7\n\n\"C\n\n\",L\n");
    let scale = ScaleTable::builtin().get("ucla3").expect("builtin");
    for sequential in [false, true] {
        let options = options(sequential, 1 << 20, 8 << 20);
        let mut scorer = Scorer::new(&scale, 0);
        let export =
            read_bytes(text.as_bytes(), source(), &options, &mut scorer).expect("readable");
        let lines: Vec<u64> = export.excluded.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 7], "sequential: {sequential}");
    }
}
