//! `init` on exports shaped like those real systems produce (tests/data/exports, written by
//! make.py with the truth each holds): `init` then `analyse --config`, with no hand edits,
//! gives the results of the truth file in the tool's own form, byte for byte.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/exports")
        .join(name)
}

fn analyse(input: &Path, config: Option<&Path>, out: &Path) {
    let mut cmd = bin();
    cmd.arg("analyse").arg(input);
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    cmd.args(["--quiet", "--no-charts", "--no-report", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// Runs init then analyse on `export`, checks the results equal the truth's, and returns the
/// config written and what init printed.
fn init_then_analyse(export: &str, truth: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("eval.toml");
    let output = bin()
        .arg("init")
        .arg(fixture(export))
        .arg("--out")
        .arg(&config)
        .output()
        .expect("runs");
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (ours, theirs) = (dir.path().join("ours"), dir.path().join("truth"));
    analyse(&fixture(export), Some(&config), &ours);
    analyse(&fixture(truth), None, &theirs);
    for table in [
        "comparisons.csv",
        "timepoints.csv",
        "categories.csv",
        "repeated.csv",
    ] {
        let (a, b) = (
            std::fs::read_to_string(ours.join(table)).expect("output"),
            std::fs::read_to_string(theirs.join(table)).expect("output"),
        );
        assert!(
            a == b,
            "{export}: {table} differs from the truth's:\n{a}\n---\n{b}"
        );
    }
    let text = std::fs::read_to_string(&config).expect("config");
    (text, printed)
}

#[test]
fn a_crm_export_with_labels_test_clients_and_a_totals_row() {
    let (config, printed) = init_then_analyse("crm.csv", "crm_truth.csv");
    for line in [
        "id = \"Client ID\"",
        "trigger_group = \"Referral Reason\"",
        "location = \"Service Location\"",
        "pre_q1 = \"UCLA Q1 (Referral)\"",
        "followup_q3 = \"UCLA Q3 (3 Month Follow Up)\"",
        "missing-codes = [\"Not completed\", \"Prefer not to say\"]",
        "leeds = \"Leeds\"",
        "\"Client ID\" = [\"TEST*\"]",
        "\"Service Location\" = [\"TOTAL\"]",
        "#   \"Some of the time\" = 2",
        "pre_date = \"Referral Date\"",
        "#   \"Referral Date\": dd/mm/yyyy, read as pre_date",
    ] {
        assert!(config.contains(line), "{line:?} not in\n{config}");
    }
    assert!(
        printed.contains("604 records read, 4 excluded, 600 people"),
        "{printed}"
    );
}

#[test]
fn an_excel_saved_csv_in_windows_1252_with_sentinels_and_errors() {
    let (config, _) = init_then_analyse("excel_saved.csv", "excel_saved_truth.csv");
    for line in [
        "encoding = \"windows-1252\"",
        "missing-codes = [99]",
        "id = \"ClientID\"",
        "pre_q1 = \"ucla1_t0\"",
        "post_q1 = \"ucla1_t1\"",
        "followup_q1 = \"ucla1_t2\"",
        "Excel error values",
    ] {
        assert!(config.contains(line), "{line:?} not in\n{config}");
    }
}

#[test]
fn r_write_csv_in_long_layout_with_an_interim_review() {
    let (config, _) = init_then_analyse("r_long.csv", "r_long_truth.csv");
    for line in [
        "timepoint = \"review_type\"",
        "score = \"ucla_total\"",
        "Referral = \"pre\"",
        "\"End of support\" = \"post\"",
        "\"3-month follow-up\" = \"followup\"",
        "\"Interim review\" = \"ignore\"",
    ] {
        assert!(config.contains(line), "{line:?} not in\n{config}");
    }
}

#[test]
fn a_workbook_with_a_read_me_sheet_and_title_rows() {
    let (config, printed) = init_then_analyse("workbook.xlsx", "workbook_truth.csv");
    for line in [
        "sheet = \"Data\"",
        "header-row = 3",
        "id = \"Participant ID\"",
        "pre_score = \"UCLA Total (Referral)\"",
        "scale = \"ucla3\"",
    ] {
        assert!(config.contains(line), "{line:?} not in\n{config}");
    }
    assert!(
        printed.contains("sheet \"Data\", header on row 3"),
        "{printed}"
    );
}

#[test]
fn unknown_words_are_left_invalid_and_said_to_be_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export.csv");
    let mut text = String::from("Client ID,Location,UCLA Q1 (Pre),UCLA Q2 (Pre),UCLA Q3 (Pre),UCLA Q1 (Post),UCLA Q2 (Post),UCLA Q3 (Post)\n");
    for i in 0..30 {
        let odd = if i == 4 { "Sometimes" } else { "Often" };
        text.push_str(&format!(
            "C{i},Leeds,{odd},Often,Often,Hardly ever,Hardly ever,Hardly ever\n"
        ));
    }
    std::fs::write(&export, text).expect("write");
    let config = dir.path().join("eval.toml");
    bin()
        .arg("init")
        .arg(&export)
        .arg("--out")
        .arg(&config)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "neither an answer label nor a missing code (e.g. \"Sometimes\")",
        ))
        .stdout(predicates::str::contains("invalid scores: 1 pre"));
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(written.contains("#   \"Sometimes\" (1 cell)"), "{written}");
    // A second init does not overwrite the first.
    let again = bin()
        .arg("init")
        .arg(&export)
        .arg("--out")
        .arg(&config)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
}

#[test]
fn an_export_already_in_the_tools_form_gives_the_default_results() {
    // The bundled example (with its deliberate errors) and small exports of both layouts:
    // init's config must change nothing.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for export in [
        root.join("data/synthetic_export.csv"),
        root.join("tests/data/small_long.csv"),
        root.join("tests/data/messy.csv"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("eval.toml");
        bin()
            .arg("init")
            .arg(&export)
            .arg("--out")
            .arg(&config)
            .assert()
            .success();
        let (ours, plain) = (dir.path().join("ours"), dir.path().join("plain"));
        analyse(&export, Some(&config), &ours);
        analyse(&export, None, &plain);
        for table in ["comparisons.csv", "flow.csv", "timepoints.csv"] {
            let (a, b) = (
                std::fs::read_to_string(ours.join(table)).expect("output"),
                std::fs::read_to_string(plain.join(table)).expect("output"),
            );
            assert!(a == b, "{}: {table} differs", export.display());
        }
    }
}

#[test]
fn a_config_may_map_columns_a_run_does_not_use() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("eval.toml");
    bin()
        .arg("init")
        .arg(fixture("crm.csv"))
        .arg("--out")
        .arg(&config)
        .assert()
        .success();
    // The config maps trigger_group and location; a run grouping by neither, or by one.
    for by in ["", "location"] {
        bin()
            .arg("analyse")
            .arg(fixture("crm.csv"))
            .arg("--config")
            .arg(&config)
            .args(["--by", by, "--quiet", "--no-charts", "--no-report", "--out"])
            .arg(dir.path().join(format!("out_{by}")))
            .assert()
            .success();
    }
    // A key that looks like a score column but is none is still a typo.
    bin()
        .arg("analyse")
        .arg(fixture("crm.csv"))
        .args(["--column", "folowup_score=x", "--out"])
        .arg(dir.path().join("typo"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "\"folowup_score\" is not a column this tool reads",
        ));
}

#[test]
fn exports_a_new_user_made_give_their_truth() {
    // Six exports written by a helper trying the tool as a new user (tests/data/trial:
    // a CRM CSV with labels and "12 weeks"/"6 months" columns, a Windows-1252 semicolon file
    // with 999 and training records, a long xlsx, an SPSS file, a long Parquet file with an
    // is_test flag, an ODS file whose headers are the questions' text), with the pre-post
    // results the helper computed in pandas (truth/all_truth.csv, means to 4 decimals).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/trial");
    let truth = std::fs::read_to_string(root.join("truth/all_truth.csv")).expect("truth");
    let mut exports: Vec<PathBuf> = std::fs::read_dir(root.join("exports"))
        .expect("exports")
        .map(|e| e.expect("entry").path())
        .collect();
    exports.sort();
    assert_eq!(exports.len(), 6);
    for export in exports {
        let name = export
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let key = name.split('_').next().expect("e1 ...").to_string();
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("eval.toml");
        bin()
            .arg("init")
            .arg(&export)
            .arg("--out")
            .arg(&config)
            .assert()
            .success();
        let out = dir.path().join("out");
        analyse(&export, Some(&config), &out);
        // An export that also asks the ONS question gets a measure each: UCLA-3's folder.
        let table = std::fs::read_to_string(out.join("comparisons.csv"))
            .or_else(|_| std::fs::read_to_string(out.join("ucla3/comparisons.csv")))
            .expect("table");
        let mut reader = csv::Reader::from_reader(table.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        let at = |name: &str| header.iter().position(|h| h == name).expect(name);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let mut compared = 0;
        for line in truth
            .lines()
            .skip(1)
            .filter(|l| l.starts_with(&format!("{key},")))
        {
            let t: Vec<&str> = line.split(',').collect();
            let (group_by, group) = (t[1], t[2]);
            let comparison = match t[3] {
                "pre->post" => "pre_post",
                "pre->followup" => "pre_followup",
                _ => continue,
            };
            // The whole sample, and groups of the columns init chose to group by.
            let found = rows.iter().find(|r| {
                &r[at("comparison")] == comparison
                    && if group_by == "overall" {
                        &r[at("group_by")] == "all"
                    } else {
                        &r[at("group_by")] != "all" && &r[at("group")] == group
                    }
            });
            let Some(r) = found else { continue };
            if &r[at("suppressed")] == "true" {
                continue;
            }
            assert_eq!(&r[at("n")], t[4], "{name} {group}");
            for (column, want) in [("mean_a", t[5]), ("mean_b", t[6])] {
                let got: f64 = r[at(column)].parse().expect("a number");
                let want: f64 = want.parse().expect("a number");
                assert!(
                    (got - want).abs() < 6e-5,
                    "{name} {group} {column}: {got} vs {want}"
                );
            }
            compared += 1;
        }
        assert!(compared >= 1, "{name}: nothing compared");
    }
}

/// An export with three measures under the names a CRM gives them, and the same answers in
/// the tool's own form (`ucla3_pre_q1` ...).
fn three_measure_exports(dir: &Path) -> (PathBuf, PathBuf) {
    let ucla = ["Hardly ever", "Some of the time", "Often"];
    let ons = [
        "Never",
        "Hardly ever",
        "Occasionally",
        "Some of the time",
        "Often/always",
    ];
    let timepoints = [("Referral", "pre"), ("End of support", "post")];
    let (mut crm, mut own) = (
        vec![
            "Client ID".to_string(),
            "Trigger group".into(),
            "Area".into(),
        ],
        vec!["id".to_string(), "trigger_group".into(), "location".into()],
    );
    for (said, tp) in timepoints {
        for k in 1..=3 {
            crm.push(format!("UCLA Q{k} ({said})"));
            own.push(format!("ucla3_{tp}_q{k}"));
        }
        for k in 1..=7 {
            crm.push(format!("SWEMWBS {k} ({said})"));
            own.push(format!("swemwbs_{tp}_q{k}"));
        }
        crm.push(format!("How often do you feel lonely? ({said})"));
        own.push(format!("ons_direct_{tp}_score"));
    }
    let quote = |cells: &[String]| {
        cells
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let (mut a, mut b) = (quote(&crm) + "\n", own.join(",") + "\n");
    for i in 0..90usize {
        let mut row = vec![
            format!("C{i:03}"),
            ["Bereaved", "Retired", "Carer"][i % 3].to_string(),
            ["North", "South"][i / 45].to_string(),
        ];
        for t in 0..2 {
            for k in 0..3 {
                row.push(ucla[(i * 7 + k * 3 + t * 5) % 3].to_string());
            }
            for k in 0..7 {
                row.push(((i * 3 + k * 5 + t * 2) % 5 + 1).to_string());
            }
            row.push(ons[(i * 11 + t * 3) % 5].to_string());
        }
        a.push_str(&(quote(&row) + "\n"));
        b.push_str(&(row.join(",") + "\n"));
    }
    let (crm_path, own_path) = (dir.join("crm.csv"), dir.join("own.csv"));
    std::fs::write(&crm_path, a).expect("write");
    std::fs::write(&own_path, b).expect("write");
    (crm_path, own_path)
}

#[test]
fn an_export_with_three_measures_gets_a_measures_entry_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (crm, own) = three_measure_exports(dir.path());
    let config = dir.path().join("eval.toml");
    let output = bin()
        .arg("init")
        .arg(&crm)
        .arg("--out")
        .arg(&config)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("measures ucla3, swemwbs, ons_direct"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&config).expect("config");
    let entries = text
        .lines()
        .filter(|l| l.starts_with("[[measures]]"))
        .count();
    assert_eq!(entries, 3, "{text}");
    assert!(
        text.contains("post_q7 = \"SWEMWBS 7 (End of support)\""),
        "{text}"
    );
    assert!(text.contains("pre_score = \"How often do you feel lonely? (Referral)\""));
    // init's config on the CRM's names gives what the tool's own names give.
    let (from_crm, from_own) = (dir.path().join("crm"), dir.path().join("own"));
    analyse(&crm, Some(&config), &from_crm);
    bin()
        .arg("analyse")
        .arg(&own)
        .args([
            "--scale",
            "ucla3,swemwbs,ons_direct",
            "--quiet",
            "--no-charts",
            "--no-report",
            "--out",
        ])
        .arg(&from_own)
        .assert()
        .success();
    for measure in ["ucla3", "swemwbs", "ons_direct"] {
        for table in ["comparisons.csv", "timepoints.csv", "categories.csv"] {
            let read = |d: &Path| std::fs::read_to_string(d.join(measure).join(table)).ok();
            assert_eq!(read(&from_crm), read(&from_own), "{measure}/{table}");
        }
        assert!(from_crm.join(measure).join("comparisons.csv").exists());
    }
}

#[test]
fn one_other_measure_alone_is_the_runs_scale() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("id,wemwbs_total_baseline,wemwbs_total_exit\n");
    for i in 0..40 {
        text.push_str(&format!("P{i},{},{}\n", 20 + i % 40, 30 + i % 35));
    }
    let input = dir.path().join("w.csv");
    std::fs::write(&input, text).expect("write");
    let config = dir.path().join("eval.toml");
    bin()
        .arg("init")
        .arg(&input)
        .arg("--out")
        .arg(&config)
        .assert()
        .success();
    let config = std::fs::read_to_string(&config).expect("config");
    assert!(config.contains("scale = \"wemwbs\""), "{config}");
    assert!(!config.contains("[[measures]]"), "{config}");
    assert!(
        config.contains("pre_score = \"wemwbs_total_baseline\""),
        "{config}"
    );
}

#[test]
fn measures_named_in_many_ways_are_each_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut header = vec![
        "id".to_string(),
        "ucla_total_pre".into(),
        "ucla_total_post".into(),
        "WEMWBS total (Referral)".into(),
        "WEMWBS total (End)".into(),
        "ons_lonely_pre".into(),
        "ons_lonely_post".into(),
    ];
    for tp in ["Start", "Exit"] {
        header.extend((1..=6).map(|k| format!("DJG Q{k} ({tp})")));
    }
    for tp in ["pre", "post"] {
        header.extend((1..=3).map(|k| format!("CEL q{k} {tp}")));
    }
    let mut text = header.join(",") + "\n";
    for i in 0..60usize {
        let mut row = vec![
            format!("P{i}"),
            (3 + i % 7).to_string(),
            (3 + i * 3 % 7).to_string(),
            (30 + i % 30).to_string(),
            (35 + i % 30).to_string(),
            (1 + i % 5).to_string(),
            (1 + i * 2 % 5).to_string(),
        ];
        row.extend((0..12).map(|k| (1 + (i + k) % 3).to_string()));
        row.extend((0..6).map(|k| ((i + k) % 5).to_string()));
        text.push_str(&(row.join(",") + "\n"));
    }
    let input = dir.path().join("variants.csv");
    std::fs::write(&input, text).expect("write");
    let output = bin()
        .arg("init")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("eval.toml"))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("measures ucla3, wemwbs, ons_direct, djg6, cel,"),
        "{stdout}"
    );
    // Every measure reads every person at both timepoints, nothing invalid.
    assert_eq!(
        stdout
            .matches(
                "60 with pre and post scores, 0 with a follow-up; invalid scores: 0 pre, 0 post"
            )
            .count(),
        5,
        "{stdout}"
    );
}

/// Runs init on `header` and `rows` written as a CSV; returns the config and init's output.
fn init_on(dir: &Path, name: &str, header: &str, rows: &[String]) -> (String, String) {
    let input = dir.join(format!("{name}.csv"));
    std::fs::write(&input, format!("{header}\n{}\n", rows.join("\n"))).expect("write");
    let config = dir.join(format!("{name}.toml"));
    let output = bin()
        .arg("init")
        .arg(&input)
        .arg("--out")
        .arg(&config)
        .output()
        .expect("runs");
    (
        std::fs::read_to_string(&config).expect("config"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn other_measures_are_told_apart_by_their_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = |f: &dyn Fn(usize) -> String| (0..30).map(f).collect::<Vec<_>>();
    // An ONS4 question is its own measure, not the loneliness question; a ward code is no
    // measure at all.
    let (config, _) = init_on(
        dir.path(),
        "ons4",
        "id,ucla_total_pre,ucla_total_post,ONS Ward Code (referral),ONS4 Life satisfaction (Referral),ONS4 Life satisfaction (End)",
        &rows(&|i| format!("P{i},{},{},E0{i},{},{}", 3 + i % 7, 3 + i * 2 % 7, i % 11, (i * 3) % 11)),
    );
    assert!(
        config.contains("scale = \"ons4_life_satisfaction\""),
        "{config}"
    );
    assert!(
        !config.contains("ons_direct") && !config.contains("Ward"),
        "{config}"
    );
    // WEMWBS by name stays WEMWBS whatever its totals; waves T1, T2 place the timepoints.
    let (config, _) = init_on(
        dir.path(),
        "wemwbs",
        "id,ucla_total_T1,ucla_total_T2,WEMWBS_total_T1,WEMWBS_total_T2",
        &rows(&|i| {
            format!(
                "P{i},{},{},{},{}",
                3 + i % 7,
                3 + i * 2 % 7,
                20 + i % 15,
                22 + i % 13
            )
        }),
    );
    assert!(config.contains("scale = \"wemwbs\""), "{config}");
    assert!(
        config.contains("post_score = \"WEMWBS_total_T2\""),
        "{config}"
    );
    // "De Jong" in two words; 9 means no answer on the UCLA items but is a De Jong Gierveld
    // 11 total, so it is not a missing code for the whole export.
    let (config, stdout) = init_on(
        dir.path(),
        "djg",
        "id,UCLA Q1 (Referral),UCLA Q2 (Referral),UCLA Q3 (Referral),UCLA Q1 (End),UCLA Q2 (End),UCLA Q3 (End),De Jong total (Referral),De Jong total (End)",
        &rows(&|i| {
            let item = |k: usize| if (i + k) % 13 == 0 { 9 } else { 1 + (i + k) % 3 };
            format!("P{i},{},{},{},{},{},{},{},{}", item(0), item(1), item(2), item(3), item(4), item(5), i % 12, (i + 4) % 12)
        }),
    );
    assert!(config.contains("scale = \"djg11\""), "{config}");
    assert!(!config.contains("missing-codes = [9"), "{config}");
    assert!(
        stdout.contains("is not a missing code for the whole export"),
        "{stdout}"
    );
}
