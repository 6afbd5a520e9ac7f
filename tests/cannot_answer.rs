//! When the data cannot answer (#18, section 4): a run where nothing can be compared exits 1
//! with one line naming the main reason and its count, and writes nothing; a run that
//! answers in part says what it could not use.

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

/// Runs analyse on `text`; returns the exit code, stderr, and whether results were written.
fn analyse(text: &str) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("export.csv");
    std::fs::write(&input, text).expect("write");
    let out = dir.path().join("out");
    let output = bin()
        .arg("analyse")
        .arg(&input)
        .args(["--no-charts", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        out.join("comparisons.csv").exists(),
    )
}

fn fails_with(text: &str, expected: &str) {
    let (code, stderr, written) = analyse(text);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!written, "nothing is written");
}

#[test]
fn every_score_invalid_names_the_reason_and_a_cell() {
    // ULS-8 wording on a UCLA-3 run: "Sometimes" is no UCLA-3 answer.
    let mut text =
        String::from("id,location,trigger_group,pre_q1,pre_q2,pre_q3,post_q1,post_q2,post_q3\n");
    for i in 0..2001 {
        text.push_str(&format!("P{i},L,T,Sometimes,Often,Often,1,1,1\n"));
    }
    fails_with(&text, "all 2,001 pre scores are invalid: e.g. line 2, column pre_q1: \"Sometimes\" is not a number");
    fails_with(&text, "see loneliness-eval init");
}

#[test]
fn every_timepoint_unknown_names_the_exclusion() {
    let mut text = String::from("id,location,trigger_group,timepoint,score\n");
    for i in 0..20 {
        text.push_str(&format!("P{i},L,T,Referral,7\nP{i},L,T,Closure,5\n"));
    }
    fails_with(
        &text,
        "all 40 records were excluded, 40 of them as excluded_unknown_timepoint (e.g. line 2: timepoint \"Referral\"",
    );
}

#[test]
fn no_one_with_two_timepoints_is_a_failure() {
    let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
    for i in 0..30 {
        let (pre, post) = if i % 2 == 0 { ("7", "") } else { ("", "5") };
        text.push_str(&format!("P{i},L,T,{pre},{post}\n"));
    }
    fails_with(
        &text,
        "no one has valid scores at two timepoints (15 with a pre score, 15 with post, 0 with follow-up, of 30 kept)",
    );
    fails_with(
        "id,location,trigger_group,pre_score,post_score\n",
        "no data rows",
    );
}

#[test]
fn a_run_that_answers_in_part_says_what_it_left_out() {
    // 3 of 20 post scores invalid (15%): a warning with an example.
    let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
    for i in 0..20 {
        let post = if i < 3 { "12" } else { "5" };
        text.push_str(&format!("P{i},L,T,7,{post}\n"));
    }
    let (code, stderr, written) = analyse(&text);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(written);
    assert!(
        stderr.contains("warning: 3 of 20 post scores (15%) are invalid and left out: e.g. line 2, column post_score: \"12\""),
        "{stderr}"
    );
    // Referral scores only: described, with a warning that no change can be measured.
    let mut text = String::from("id,location,trigger_group,pre_score,post_score\n");
    for i in 0..20 {
        text.push_str(&format!("P{i},L,T,7,\n"));
    }
    let (code, stderr, written) = analyse(&text);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(written);
    assert!(
        stderr.contains("warning: only pre scores are in the export"),
        "{stderr}"
    );
}
