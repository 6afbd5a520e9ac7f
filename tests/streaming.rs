//! Streaming mode gives what the in-memory path gives: the same counts, exclusions, problems
//! and notices on random dirty exports (both layouts, any number of partitions), and the same
//! output files from the real binary.

use assert_cmd::Command;
use loneliness_eval::read::{read_exports, ReadOptions};
use loneliness_eval::scale::{ScaleTable, Scorer};
use loneliness_eval::summarise::streaming::{read_streaming, Scoring};
use loneliness_eval::summarise::summarise;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// In memory and in `partitions` partitions, everything the analysis and `validate` use
/// must agree.
fn same_both_ways(text: &str, partitions: usize) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.csv");
    std::fs::write(&path, text).expect("write");
    let paths = [path];
    let options = ReadOptions {
        by: vec!["trigger_group".into(), "location".into()],
        item_count: Some(3),
        ..ReadOptions::default()
    };
    let scale = ScaleTable::builtin().get("ucla3").expect("builtin");
    let mut scorer = Scorer::new(&scale, 0);
    let memory = read_exports(&paths, &options, &mut scorer, &mut |_, _| {}).expect("readable");
    let scored = scorer.finish();
    let summaries = summarise(&memory, &scored);
    let streamed = read_streaming(
        &paths,
        &options,
        Scoring {
            scale: &scale,
            max_missing: 0,
            window: None,
        },
        partitions,
        dir.path(),
        &mut |_, _| {},
    )
    .expect("readable");
    prop_assert_eq!(&streamed.summaries, &summaries);
    let s = &streamed.export;
    prop_assert_eq!(
        (s.rows_read, s.rows_kept, s.people),
        (memory.rows_read, memory.rows_kept, memory.people)
    );
    prop_assert_eq!(&s.excluded, &memory.excluded);
    prop_assert_eq!(&s.warnings, &memory.warnings);
    prop_assert_eq!(&s.notices, &memory.notices);
    prop_assert_eq!(&streamed.problems, &scored.problems);
    let levels = |e: &loneliness_eval::read::Export| -> Vec<Vec<String>> {
        e.groups.iter().map(|g| g.levels.clone()).collect()
    };
    prop_assert_eq!(levels(s), levels(&memory));
    // The partitions' folder is removed.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "export.csv")
        .collect();
    prop_assert!(left.is_empty(), "{left:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn wide_exports_stream_as_they_read(
        lines in proptest::collection::vec(
            prop_oneof![
                "[A-C][0-9],[a-z ]{0,2},[ab]{0,1},[0-9a-z. -]{0,2},[3-9]{0,1},[0-9]?",
                "[A-C][0-9],[a-z]{0,3}",
                "[ ,]{0,6}",
                " ?,x,y,1,2,3",
                "\"[A-C\n,]{0,3}\",x,y,1,2,3",
            ],
            0..60,
        ),
        partitions in 1usize..7,
    ) {
        let text = format!(
            "id,location,trigger_group,pre_score,post_score,followup_score\n{}\n",
            lines.join("\n")
        );
        same_both_ways(&text, partitions)?;
    }

    #[test]
    fn long_exports_stream_as_they_read(
        lines in proptest::collection::vec(
            prop_oneof![
                "[A-C][0-3],[ab]{0,1},[xy ]{0,1},(pre|Post|end|fu|FU|later|baseline),[0-9a-z.]{0,2}",
                "[A-C][0-3],a,x,pre",
                "[ ;]{0,4}",
            ],
            0..60,
        ),
        partitions in 1usize..7,
    ) {
        let text = format!("id,location,trigger_group,timepoint,score\n{}\n", lines.join("\n"));
        same_both_ways(&text, partitions)?;
    }
}

fn analyse(input: &Path, out: &Path, extra: &[&str]) {
    bin()
        .arg("analyse")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-charts", "--no-report"])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn the_binary_writes_the_same_files_in_streaming_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    for input in [
        "data/synthetic_export.csv",
        "tests/data/messy.csv",
        "tests/data/small_long.csv",
    ] {
        let name = Path::new(input)
            .file_stem()
            .expect("a file name")
            .to_string_lossy();
        let memory = dir.path().join(format!("{name}-memory"));
        analyse(&repo(input), &memory, &[]);
        for partitions in ["1", "5", "64"] {
            let streamed = dir.path().join(format!("{name}-streamed-{partitions}"));
            analyse(
                &repo(input),
                &streamed,
                &["--streaming", "--partitions", partitions],
            );
            for file in [
                "comparisons.csv",
                "flow.csv",
                "timepoints.csv",
                "distribution.csv",
                "transitions.csv",
                "repeated.csv",
                "mixed_model.csv",
                "categories.csv",
                "reliable_change.csv",
                "between_groups.csv",
                "attrition.csv",
                "summary.json",
            ] {
                let (a, b) = (
                    std::fs::read(memory.join(file)).expect("output"),
                    std::fs::read(streamed.join(file)).expect("output"),
                );
                assert!(a == b, "{input}, {partitions} partitions: {file} differs");
            }
        }
    }
}

#[test]
fn write_scored_needs_the_in_memory_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = bin()
        .arg("analyse")
        .arg(repo("tests/data/small_wide.csv"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(["--streaming", "--write-scored"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains("--write-scored"), "{err}");
}
