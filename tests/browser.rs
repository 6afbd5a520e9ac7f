//! Opens report.html in headless Chromium, as a reader would: it must render with no console
//! errors and its screenshot must not be blank. Skipped when Chromium is not installed, unless
//! LONELINESS_EVAL_REQUIRE_BROWSER=1 (set by .ci/run, which installs it).

use assert_cmd::Command;
use std::path::Path;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            std::process::Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn report_renders_in_a_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("LONELINESS_EVAL_REQUIRE_BROWSER").is_err(),
            "Chromium is required here but not installed"
        );
        eprintln!("skipped: no Chromium on this machine (set LONELINESS_EVAL_REQUIRE_BROWSER=1 to make this an error)");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small_wide.csv");
    Command::cargo_bin("loneliness-eval")
        .expect("binary")
        .arg("analyse")
        .arg(&data)
        .arg("--out")
        .arg(dir.path())
        .arg("-q")
        .assert()
        .success();
    let shot = dir.path().join("shot.png");
    let profile = dir.path().join("profile");
    let output = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!(
            "file://{}",
            dir.path().join("report.html").display()
        ))
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "chromium failed: {log}");
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:?}");

    let decoder = png::Decoder::new(std::fs::File::open(&shot).expect("screenshot written"));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG data");
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let total = pixels.len() / channels;
    let ink = pixels
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    let blue = pixels
        .chunks(channels)
        .filter(|p| p[2] > 150 && p[0] < 80)
        .count();
    assert!(
        ink * 100 > total,
        "screenshot is nearly blank: {ink} of {total} pixels have ink"
    );
    assert!(
        blue > 500,
        "the headline bar and chart marks (blue) are missing: {blue} blue pixels"
    );
}
