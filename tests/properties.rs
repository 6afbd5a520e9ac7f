//! Property tests: invariants that must hold for every input, not just the examples.

use loneliness_eval::analyses::analyse_scored;
use loneliness_eval::analyses::AnalysisOptions;
use loneliness_eval::output::comparisons::write_comparisons;
use loneliness_eval::read::{read_bytes, ReadOptions, SourceInfo};
use loneliness_eval::scale::{score_items, ScaleTable, Score, Scorer};
use loneliness_eval::stats::padjust::PAdjust;
use loneliness_eval::stats::paired::Better;
use proptest::prelude::*;

const TRIGGERS: [&str; 3] = ["Bereavement", "Mobility / health", ""];
const LOCATIONS: [&str; 3] = ["Leeds", "York", "Newry, Mourne & Down"];

#[derive(Debug, Clone)]
struct Person {
    trigger: usize,
    location: usize,
    scores: [Option<u8>; 3],
}

fn person() -> impl Strategy<Value = Person> {
    (
        0..3usize,
        0..3usize,
        proptest::array::uniform3(proptest::option::weighted(0.8, 3u8..=9)),
    )
        // A long export has no row for a person without any score, so such a person is not
        // "the same data" in both layouts; give everyone at least a pre score.
        .prop_map(|(trigger, location, mut scores)| {
            if scores.iter().all(Option::is_none) {
                scores[0] = Some(7);
            }
            Person {
                trigger,
                location,
                scores,
            }
        })
}

fn quote(s: &str) -> String {
    if s.contains(',') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

fn wide(people: &[Person], order: &[usize]) -> String {
    let mut text = String::from("id,location,trigger_group,pre_score,post_score,followup_score\n");
    for &i in order {
        let p = &people[i];
        let s: Vec<String> = p
            .scores
            .iter()
            .map(|s| s.map(|v| v.to_string()).unwrap_or_default())
            .collect();
        text.push_str(&format!(
            "P{i},{},{},{}\n",
            quote(LOCATIONS[p.location]),
            TRIGGERS[p.trigger],
            s.join(",")
        ));
    }
    text
}

fn long(people: &[Person], order: &[usize]) -> String {
    let mut text = String::from("id,location,trigger_group,timepoint,score\n");
    for tp in 0..3 {
        for &i in order {
            let p = &people[i];
            if let Some(s) = p.scores[tp] {
                let name = ["Baseline", "exit", "FU"][tp];
                text.push_str(&format!(
                    "P{i},{},{},{name},{s}\n",
                    quote(LOCATIONS[p.location]),
                    TRIGGERS[p.trigger]
                ));
            }
        }
    }
    text
}

fn source() -> SourceInfo {
    SourceInfo {
        path: "generated.csv".into(),
        file_name: "generated.csv".into(),
        bytes: 0,
        sha256: String::new(),
    }
}

fn comparisons(csv_text: &str, min_cell: usize) -> String {
    let scale = ScaleTable::builtin().get("ucla3").expect("builtin");
    let options = ReadOptions {
        by: vec!["trigger_group".into(), "location".into()],
        item_count: Some(3),
        ..ReadOptions::default()
    };
    let mut scorer = Scorer::new(&scale, 0);
    let export =
        read_bytes(csv_text.as_bytes(), source(), &options, &mut scorer).expect("valid export");
    let scored = scorer.finish();
    let compare = AnalysisOptions {
        conf_level: 0.95,
        min_cell,
        p_adjust: PAdjust::Holm,
        better: Better::Lower,
        secondary: false,
        wilcoxon: Default::default(),
        ordinal: false,
    };
    let analysis = analyse_scored(&export, &scored, &compare);
    let mut out = Vec::new();
    write_comparisons(&mut out, &analysis.rows).expect("in memory");
    String::from_utf8(out).expect("utf-8")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn wide_equals_long_and_row_order_does_not_matter(
        people in proptest::collection::vec(person(), 1..60),
        seed in any::<u64>(),
        min_cell in 0usize..4,
    ) {
        let identity: Vec<usize> = (0..people.len()).collect();
        let mut shuffled = identity.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let base = comparisons(&wide(&people, &identity), min_cell);
        prop_assert_eq!(&base, &comparisons(&wide(&people, &shuffled), min_cell));
        prop_assert_eq!(&base, &comparisons(&long(&people, &shuffled), min_cell));
        prop_assert!(!base.contains("NaN") && !base.contains("inf"));
    }

    #[test]
    fn every_record_is_accounted_for(lines in proptest::collection::vec(
        prop_oneof![
            "[A-C][0-9],[a-z ]{0,3},[a-z]{0,2},[0-9a-z. -]{0,3},[0-9]{0,2},[0-9]?",
            "[A-C][0-9],[a-z]{0,3}",
            "[ ,]{0,6}",
            "\"[a-z\n,]{0,5}\",x,y,1,2,3",
        ],
        0..40,
    )) {
        let text = format!("id,location,trigger_group,pre_score,post_score,followup_score\n{}\n", lines.join("\n"));
        let options = ReadOptions { by: vec!["trigger_group".into(), "location".into()], item_count: Some(3), ..ReadOptions::default() };
        let scale = ScaleTable::builtin().get("ucla3").expect("builtin");
        let mut scorer = Scorer::new(&scale, 0);
        let export = read_bytes(text.as_bytes(), source(), &options, &mut scorer).expect("readable");
        prop_assert_eq!(export.rows_read, export.rows_kept + export.excluded.len() as u64);
        let people = export.ids.len() as u64;
        prop_assert_eq!(people, export.rows_kept, "wide: one kept row per person");
        let scored = scorer.finish();
        for t in &scored.scores {
            prop_assert_eq!(t.len() as u64, people);
        }
    }

    #[test]
    fn reversed_items_score_as_their_mirror(responses in proptest::array::uniform8(1u8..=4)) {
        // ULS-8 reverses items 3 and 6: the total equals the plain sum with those two mirrored.
        let scale = ScaleTable::builtin().get("ucla8").expect("builtin");
        let cells: Vec<_> = responses.iter().map(|&r| loneliness_eval::read::Cell::Number(f64::from(r))).collect();
        let mirrored: u32 = responses.iter().enumerate().map(|(i, &r)| u32::from(if i == 2 || i == 5 { 5 - r } else { r })).sum();
        prop_assert_eq!(score_items(&scale, &cells, 0).0, Score::Valid(f64::from(mirrored)));
        prop_assert!((8.0..=32.0).contains(&f64::from(mirrored)));
    }
}
