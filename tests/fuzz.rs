//! A time-bounded mutation fuzzer over ingest, scoring and the analysis (cargo fuzz needs a
//! nightly toolchain, which a fresh CI machine lacks). Seeds are real and dirty exports in
//! both layouts; each round mutates one with byte flips, inserts of the bytes CSV parsing
//! turns on (delimiters, quotes, line ends, NUL, bytes that are not UTF-8), deletions,
//! duplicated ranges and lines spliced from other seeds, and checks that nothing panics or
//! hangs, that every record is accounted for, that every person has a score per timepoint and
//! that no statistic is NaN or infinite. Streaming mode is checked against the in-memory
//! path every 25th round.
//!
//! `LONELINESS_EVAL_FUZZ_SECONDS` sets the duration (default 3; `.ci/run` uses 60) and
//! `LONELINESS_EVAL_FUZZ_SEED` the seed (default: from the clock, printed, so a failure can be
//! replayed). A failing input is written to the temporary folder and its path printed.

use loneliness_eval::analyses::analyse_scored;
use loneliness_eval::analyses::AnalysisOptions;
use loneliness_eval::output::comparisons::write_comparisons;
use loneliness_eval::read::{read_bytes, read_exports, ReadOptions, SourceInfo};
use loneliness_eval::scale::{ScaleTable, Scorer};
use loneliness_eval::stats::padjust::PAdjust;
use loneliness_eval::stats::paired::Better;
use loneliness_eval::summarise::streaming::{read_streaming, Scoring};
use loneliness_eval::summarise::summarise;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

const SEEDS: [&str; 6] = [
    include_str!("data/small_wide.csv"),
    include_str!("data/small_long.csv"),
    include_str!("data/messy.csv"),
    "id;location;trigger_group;timepoint;q1;q2;q3\r\n007;Leeds;B;pre;1;2;3\r\n007;Leeds;B;Post;2;2;2\r\n\"7\";\"Newry, Mourne\";;fu;3;;1\r\n",
    "\u{feff}ID,Location,Trigger_Group,Pre_Score,Post_Score,Followup_Score,,\nP1,Leeds,Bereavement,7,5,NA,,\nP1,York,x,-99,1e0,+7,,\n,a,b,3,4,5,,\n",
    "id\tlocation\ttrigger_group\tpre_score\tpost_score\nA\tx\ty\t9\t3\nB\tx\ty\t9\t3\nC\tx\ty\t3\t9\n",
];

const INTERESTING: &[u8] = b",;\t\"\n\r\0 -.e+97NA#\xff\xe1\xc3";

fn mutate(rng: &mut impl Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..rng.gen_range(1..8) {
        let len = bytes.len();
        match rng.gen_range(0..6) {
            0 if len > 0 => {
                let at = rng.gen_range(0..len);
                bytes[at] ^= 1 << rng.gen_range(0..8);
            }
            1 => {
                let at = rng.gen_range(0..=len);
                let b = INTERESTING[rng.gen_range(0..INTERESTING.len())];
                bytes.insert(at, b);
            }
            2 if len > 0 => {
                let at = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - at).min(16));
                bytes.drain(at..at + n);
            }
            3 if len > 0 => {
                let at = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - at).min(64));
                let copy = bytes[at..at + n].to_vec();
                let to = rng.gen_range(0..=len);
                bytes.splice(to..to, copy);
            }
            4 if !other.is_empty() => {
                // A line of another seed, spliced in at a line start.
                let lines: Vec<&[u8]> = other.split(|&b| b == b'\n').collect();
                let line = lines[rng.gen_range(0..lines.len())];
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(
                        bytes
                            .iter()
                            .enumerate()
                            .filter(|(_, &b)| b == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .collect();
                let to = starts[rng.gen_range(0..starts.len())].min(bytes.len());
                let mut piece = line.to_vec();
                piece.push(b'\n');
                bytes.splice(to..to, piece);
            }
            _ if len > 0 => {
                let at = rng.gen_range(0..len);
                bytes[at] = rng.gen();
            }
            _ => {}
        }
    }
    bytes
}

fn source() -> SourceInfo {
    SourceInfo {
        path: "fuzz.csv".into(),
        file_name: "fuzz.csv".into(),
        bytes: 0,
        sha256: String::new(),
    }
}

/// Checks one input; `Err` says which property broke.
fn check(input: &[u8], streaming: bool, dir: &std::path::Path) -> Result<(), String> {
    let scale = ScaleTable::builtin().get("ucla3").expect("builtin");
    let options = ReadOptions {
        by: vec!["trigger_group".into(), "location".into()],
        item_count: Some(3),
        max_record_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let mut scorer = Scorer::new(&scale, 1);
    let Ok(export) = read_bytes(input, source(), &options, &mut scorer) else {
        return Ok(()); // refused as a whole with an error: fine, as long as it did not panic
    };
    let scored = scorer.finish();
    let excluded = export.excluded.len() as u64;
    if export.rows_read != export.rows_kept + excluded {
        return Err(format!(
            "rows_read {} != rows_kept {} + excluded {excluded}",
            export.rows_read, export.rows_kept
        ));
    }
    if scored
        .scores
        .iter()
        .any(|t| t.len() as u64 != export.people)
    {
        return Err("a timepoint's scores do not cover every person".into());
    }
    let options_compare = AnalysisOptions {
        conf_level: 0.95,
        min_cell: 2,
        p_adjust: PAdjust::Holm,
        better: Better::Lower,
        secondary: false,
        wilcoxon: Default::default(),
        ordinal: false,
    };
    let analysis = analyse_scored(&export, &scored, &options_compare);
    let mut table = Vec::new();
    write_comparisons(&mut table, &analysis.rows).map_err(|e| e.to_string())?;
    let table = String::from_utf8_lossy(&table);
    if table.contains("NaN") || table.contains("inf") {
        return Err(format!("NaN or infinity in comparisons.csv:\n{table}"));
    }
    if streaming {
        let path = dir.join("input.csv");
        std::fs::write(&path, input).map_err(|e| e.to_string())?;
        let paths = [path];
        let mut scorer = Scorer::new(&scale, 1);
        let memory = read_exports(&paths, &options, &mut scorer, &mut |_, _| {})
            .map_err(|e| format!("read from a file failed where bytes worked: {e}"))?;
        let summaries = summarise(&memory, &scorer.finish());
        let streamed = read_streaming(
            &paths,
            &options,
            Scoring {
                scale: &scale,
                max_missing: 1,
                window: None,
            },
            3,
            dir,
            &mut |_, _| {},
        )
        .map_err(|e| format!("streaming failed where memory worked: {e}"))?;
        if streamed.summaries != summaries || streamed.export.excluded != memory.excluded {
            return Err("streaming mode differs from the in-memory path".into());
        }
    }
    Ok(())
}

#[test]
fn fuzz_ingest_scoring_and_analysis() {
    let seconds: u64 = std::env::var("LONELINESS_EVAL_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("LONELINESS_EVAL_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(7, |d| d.as_secs())
        });
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut executions = 0u64;
    while Instant::now() < deadline {
        let seed_text = SEEDS[rng.gen_range(0..SEEDS.len())].as_bytes();
        let other = SEEDS[rng.gen_range(0..SEEDS.len())].as_bytes();
        let input = mutate(&mut rng, seed_text, other);
        let started = Instant::now();
        let streaming = executions % 25 == 0;
        let outcome = std::panic::catch_unwind(|| check(&input, streaming, dir.path()));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(why)) => Some(why),
            Err(_) => Some("panicked".to_string()),
        };
        let slow = started.elapsed() > Duration::from_secs(5);
        if failure.is_some() || slow {
            let kept =
                std::env::temp_dir().join(format!("loneliness-eval-fuzz-{seed}-{executions}.csv"));
            let _ = std::fs::write(&kept, &input);
            panic!(
                "seed {seed}, execution {executions}: {} (input kept at {})",
                failure.unwrap_or_else(|| format!("took {:?}", started.elapsed())),
                kept.display()
            );
        }
        executions += 1;
    }
    println!("fuzz: {executions} executions in {seconds} s, seed {seed}, no failure");
    assert!(executions > 0);
}
