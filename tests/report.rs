//! Charts and reports: SVGs parse, say what they should, keep text on the canvas, rebuild
//! identically from a results folder, and follow the chart options.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("loneliness-eval").expect("binary is built by cargo test")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn analyse(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .arg("--out")
        .arg(dir.path())
        .arg("-q")
        .args(extra)
        .assert()
        .success();
    dir
}

const STEMS: [&str; 9] = [
    "means",
    "model_means",
    "forest_trigger_group",
    "forest_location",
    "change_histogram",
    "improved_trigger_group",
    "improved_location",
    "slopes",
    "reliable_change",
];

struct Svg {
    width: f64,
    height: f64,
    texts: Vec<(f64, f64, String)>,
    circles: usize,
}

fn parse_svg(path: &Path) -> Svg {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not valid XML: {e}", path.display()));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let num = |node: roxmltree::Node, attr: &str| {
        node.attribute(attr).and_then(|v| v.parse::<f64>().ok())
    };
    let texts = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            (
                num(n, "x").unwrap_or(0.0),
                num(n, "y").unwrap_or(0.0),
                n.text().unwrap_or("").trim().to_string(),
            )
        })
        .collect();
    Svg {
        width: num(root, "width").expect("svg width"),
        height: num(root, "height").expect("svg height"),
        texts,
        // plotters may draw a filled circle as more than one element: count distinct centres.
        circles: {
            let mut centres: Vec<(String, String)> = doc
                .descendants()
                .filter(|n| n.has_tag_name("circle"))
                .map(|n| {
                    (
                        n.attribute("cx").unwrap_or("").to_string(),
                        n.attribute("cy").unwrap_or("").to_string(),
                    )
                })
                .collect();
            centres.sort();
            centres.dedup();
            centres.len()
        },
    }
}

#[test]
fn every_chart_is_written_as_svg_and_png() {
    let out = analyse(&["--no-secondary-suppression"]);
    for stem in STEMS {
        let svg = out.path().join("charts").join(format!("{stem}.svg"));
        let png = out.path().join("charts").join(format!("{stem}.png"));
        assert!(svg.exists() && png.exists(), "{stem}");
        let bytes = std::fs::read(&png).expect("png");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{stem}.png is a PNG");
        let parsed = parse_svg(&svg);
        assert!(!parsed.texts.is_empty(), "{stem} has text");
    }
}

#[test]
fn svg_text_stays_on_the_canvas() {
    let out = analyse(&["--no-secondary-suppression"]);
    for stem in STEMS {
        let svg = parse_svg(&out.path().join("charts").join(format!("{stem}.svg")));
        for (x, y, text) in &svg.texts {
            assert!(
                (0.0..=svg.width).contains(x) && (0.0..=svg.height).contains(y),
                "{stem}: {text:?} at ({x}, {y}) is outside {}x{}",
                svg.width,
                svg.height
            );
        }
    }
}

#[test]
fn charts_say_what_they_show() {
    let out = analyse(&["--no-secondary-suppression"]);
    let charts = out.path().join("charts");
    let texts = |stem: &str| {
        parse_svg(&charts.join(format!("{stem}.svg")))
            .texts
            .into_iter()
            .map(|t| t.2)
            .collect::<Vec<_>>()
    };
    let means = texts("means");
    assert!(means
        .iter()
        .any(|t| t == "Mean UCLA-3 score at referral, end of support and follow-up"));
    assert!(
        means
            .iter()
            .any(|t| t == "UCLA-3 total (3-9), higher = lonelier"),
        "{means:?}"
    );
    for label in [
        "Referral (pre)",
        "End of support (post)",
        "Follow-up",
        "All service users",
        "Bereavement",
    ] {
        assert!(means.iter().any(|t| t == label), "means lacks {label}");
    }
    // Forest plot by location: every location is named, the small one is marked suppressed
    // rather than dropped, and n stands beside each analysed row.
    let forest = texts("forest_location");
    for place in ["Hull", "Leeds", "Whitby", "York"] {
        assert!(forest.iter().any(|t| t == place), "forest lacks {place}");
    }
    assert!(forest.iter().any(|t| t == "suppressed (n < 10)"));
    assert_eq!(forest.iter().filter(|t| t.starts_with("n = ")).count(), 3);
    let forest_svg = parse_svg(&charts.join("forest_location.svg"));
    assert_eq!(forest_svg.circles, 3, "one estimate per analysed location");
    // Titles are centred on the whole canvas, so a long one overflows neither edge.
    for stem in STEMS {
        let svg = parse_svg(&charts.join(format!("{stem}.svg")));
        let title = &svg.texts[0];
        assert_eq!(
            title.0,
            svg.width / 2.0,
            "{stem}: title {:?} is not centred",
            title.2
        );
    }
    let histogram = texts("change_histogram");
    assert!(
        histogram.iter().any(|t| t.starts_with("Improved 66.7%")),
        "{histogram:?}"
    );
}

#[test]
fn reruns_and_rebuilds_are_byte_identical() {
    let first = analyse(&["--no-secondary-suppression"]);
    let second = analyse(&["--no-secondary-suppression"]);
    let mut files: Vec<String> = STEMS
        .iter()
        .flat_map(|s| [format!("charts/{s}.svg"), format!("charts/{s}.png")])
        .collect();
    files.extend(["report.html".to_string(), "report.md".to_string()]);
    let read =
        |dir: &Path, f: &str| std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    for f in &files {
        assert!(
            read(first.path(), f) == read(second.path(), f),
            "{f} differs between runs"
        );
    }
    // Rebuild from the results folder alone.
    std::fs::remove_dir_all(first.path().join("charts")).expect("remove charts");
    std::fs::remove_file(first.path().join("report.html")).expect("remove report");
    bin().arg("report").arg(first.path()).assert().success();
    for f in &files {
        assert!(
            read(first.path(), f) == read(second.path(), f),
            "{f} differs when rebuilt by report"
        );
    }
}

#[test]
fn chart_and_report_options() {
    let out = analyse(&["--charts", "svg"]);
    assert!(out.path().join("charts/means.svg").exists());
    assert!(!out.path().join("charts/means.png").exists());
    let out = analyse(&["--no-charts"]);
    assert!(!out.path().join("charts").exists());
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report");
    assert!(!html.contains("<h2>Charts</h2>"));
    let out = analyse(&["--no-report"]);
    assert!(!out.path().join("report.html").exists() && !out.path().join("report.md").exists());
    assert!(out.path().join("charts/slopes.png").exists());
    // A later run without charts removes the earlier run's charts and report.
    bin()
        .arg("analyse")
        .arg(data("small_wide.csv"))
        .arg("--out")
        .arg(out.path())
        .args(["-q", "--no-charts", "--no-report"])
        .assert()
        .success();
    assert!(!out.path().join("charts/slopes.png").exists());
    bin()
        .arg("report")
        .arg(data("does_not_exist"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("results folder"));
}

#[test]
fn html_report_is_self_contained_and_complete() {
    let out = analyse(&["--no-secondary-suppression"]);
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for forbidden in ["<script", "http://", "https://", "<img", "<link"] {
        let allowed_xmlns = forbidden == "http://"
            && html.matches(forbidden).count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
        assert!(
            !html.contains(forbidden) || allowed_xmlns,
            "report.html contains {forbidden}"
        );
    }
    for needle in [
        "66.7% of 36 service users were less lonely after support",
        "251adc7ba1017f4f12db476a763eae499a6ce4321b2bc5a5c8f15d981fb9882e",
        "Participant flow",
        "suppressed (n &lt; 10)",
        "Holm&#39;s step-down method",
        "fewer than 10 people",
        "Wilcoxon signed-rank",
    ] {
        assert!(html.contains(needle), "report.html lacks {needle:?}");
    }
    assert_eq!(
        html.matches("<svg").count(),
        1 + STEMS.len(),
        "flow diagram plus every chart inline"
    );
    let md = std::fs::read_to_string(out.path().join("report.md")).expect("markdown");
    assert!(md.contains(
        "![Mean UCLA-3 score at referral, end of support and follow-up](charts/means.png)"
    ));
    assert!(md.contains("| Bereavement | 13 |"), "{md}");
}

#[test]
fn extreme_raw_scores_neither_hang_nor_write_nan() {
    // Changes that overflow f64 and axes spanning almost the whole f64 range.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("raw.csv");
    std::fs::write(
        &path,
        "id,location,trigger_group,pre_score,post_score\nA,X,Y,1.7e308,-1.7e308\nB,X,Y,-1.7e308,1.7e308\nC,X,Y,5.5,2\nD,X,Y,1e300,-1e300\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(&path)
        .args(["--scale", "raw", "--min-cell", "0", "-q", "--out"])
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    for name in [
        "comparisons.csv",
        "timepoints.csv",
        "distribution.csv",
        "transitions.csv",
        "report.md",
    ] {
        let text = std::fs::read_to_string(out.join(name)).expect("written");
        assert!(
            !text.contains("NaN") && !text.contains("inf"),
            "{name}: {text}"
        );
    }
}

#[test]
fn chart_tables_publish_no_count_under_min_cell() {
    let counts = |dir: &Path, name: &str| -> Vec<u64> {
        let mut reader = csv::Reader::from_path(dir.join(name)).expect("table");
        let headers = reader.headers().expect("header").clone();
        let at = headers
            .iter()
            .position(|h| h == "count")
            .expect("count column");
        reader
            .records()
            .map(|r| r.expect("record")[at].parse().expect("count"))
            .collect()
    };
    let out = analyse(&["--no-secondary-suppression"]);
    for name in ["distribution.csv", "transitions.csv"] {
        assert!(
            counts(out.path(), name).iter().all(|&c| c >= 10),
            "{name} publishes a count under 10"
        );
    }
    // The histogram still accounts for everyone in the comparison (36 pre/post pairs here,
    // 14 pre/follow-up, 13 post/follow-up).
    assert_eq!(
        counts(out.path(), "distribution.csv").iter().sum::<u64>(),
        36 + 14 + 13
    );
    let open = analyse(&["--min-cell", "0"]);
    assert!(counts(open.path(), "transitions.csv")
        .iter()
        .any(|&c| c < 10));
}

#[test]
fn reports_hold_a_section_for_each_further_analysis_and_rebuild_alike() {
    let out = analyse(&["--min-cell", "5"]);
    let md = std::fs::read_to_string(out.path().join("report.md")).expect("report.md");
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    for title in [
        "Did it last? Pre, post and follow-up in the same people (Friedman)",
        "In the lonely category before and after (McNemar)",
        "Reliable change (Jacobson-Truax)",
        "Does change differ between groups?",
        "Who was lost to follow-up? Completers against the rest",
    ] {
        assert!(
            md.contains(&format!("### {title}")),
            "report.md lacks {title}"
        );
        assert!(
            html.contains(&format!("<h3>{title}</h3>")),
            "report.html lacks {title}"
        );
    }
    // The whole-sample Friedman row of repeated.csv is in the report, rounded.
    let repeated = std::fs::read_to_string(out.path().join("repeated.csv")).expect("repeated");
    let all = repeated.lines().nth(1).expect("whole sample row");
    let n = all.split(',').nth(2).expect("n");
    assert!(md.contains(&format!("| All | {n} |")), "{md}");
    // `report DIR` rebuilds the same reports from the folder alone.
    let (md_before, html_before) = (md.clone(), html.clone());
    bin().arg("report").arg(out.path()).assert().success();
    assert_eq!(
        std::fs::read_to_string(out.path().join("report.md")).expect("md"),
        md_before
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("report.html")).expect("html"),
        html_before
    );
}

#[test]
fn grouping_columns_with_one_file_name_get_a_chart_each() {
    // "site a" and "site_a" both reduce to `site_a` in a file name; neither chart may
    // overwrite the other (they were also written at the same time).
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("collide.csv");
    let mut csv = String::from("id,site a,site_a,pre_score,post_score,followup_score\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "P{i},S{},T{},{},{},{}\n",
            i % 3,
            i % 2,
            3 + i % 7,
            3 + i * 5 % 7,
            3 + i * 3 % 7
        ));
    }
    std::fs::write(&input, csv).expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("analyse")
        .arg(&input)
        .args([
            "--by",
            "site a,site_a",
            "--charts",
            "svg",
            "--no-report",
            "-q",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let first = std::fs::read_to_string(out.join("charts/forest_site_a.svg")).expect("first");
    let second = std::fs::read_to_string(out.join("charts/forest_site_a_2.svg")).expect("second");
    assert!(
        first.contains("S0") && !first.contains("T0"),
        "site a's groups first"
    );
    assert!(
        second.contains("T0") && !second.contains("S0"),
        "then site_a's"
    );
}
