//! Publishing a results folder safely. Results are built in a hidden staging folder inside
//! `--out` and moved into place only when every file is complete, so a failed or interrupted
//! run leaves the previous results as they were (and at worst a staging folder, which the
//! next run clears). The folder holding the input is refused (results are published; raw
//! data must not end up beside them or be overwritten), and so is a folder that holds
//! something other than this input's results, unless `--force`.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// The staging folder's name inside `--out`.
pub const STAGING: &str = ".loneliness-eval-partial";

/// Files `analyse` writes (besides `charts/`), summary.json last: it marks a complete folder.
const RESULT_FILES: [&str; 17] = [
    "comparisons.csv",
    "mixed_model.csv",
    "item_reliability.csv",
    "attrition.csv",
    "intervals.csv",
    "between_groups.csv",
    "reliable_change.csv",
    "categories.csv",
    "repeated.csv",
    "flow.csv",
    "timepoints.csv",
    "distribution.csv",
    "transitions.csv",
    "scored.csv",
    "report.html",
    "report.md",
    "summary.json",
];

/// Refuses an output folder that is, or holds, an input file.
pub fn check_out_path(out: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let Some(out_real) = canonical(out) else {
        return Ok(()); // not there yet: it cannot hold an input
    };
    for input in inputs {
        let Some(input_real) = canonical(input) else {
            continue;
        };
        if input_real == out_real {
            return Err(Error::Option(format!(
                "--out {} is the input file; choose a folder for the results",
                out.display()
            )));
        }
        if input_real.parent() == Some(out_real.as_path()) {
            return Err(Error::Option(format!(
                "--out {} is the folder holding the input {}; results are published, so write them to a folder of their own (e.g. --out results)",
                out.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Refuses to overwrite a folder that holds anything but earlier results of the same input
/// (same SHA-256), unless `force`.
pub fn check_out_contents(out: &Path, sha256: &str, force: bool) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(()); // missing: nothing to overwrite
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // `compare` writes its own folder inside an analyse folder.
        .filter(|n| n != STAGING && !(n == "compare" && out.join(n).join("summary.json").exists()))
        .collect();
    if names.is_empty() || force {
        return Ok(());
    }
    let summary = std::fs::read_to_string(out.join("summary.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
    let earlier = summary.as_ref().and_then(|s| {
        (s["tool"]["name"] == "loneliness-eval").then(|| s["input"]["sha256"].as_str())
    });
    match earlier {
        Some(Some(earlier)) if earlier == sha256 => Ok(()),
        Some(_) => Err(Error::Option(format!(
            "--out {} holds the results of another input; add --force to replace them, or choose another folder",
            out.display()
        ))),
        None => Err(Error::Option(format!(
            "--out {} is not empty and holds no results of this tool ({}{}); add --force to write there anyway, or choose an empty folder",
            out.display(),
            names.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
            if names.len() > 3 { ", ..." } else { "" }
        ))),
    }
}

/// Creates `out` and a fresh, empty staging folder in it, and returns the staging folder.
pub fn stage(out: &Path) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(out).map_err(|e| {
        Error::Option(format!(
            "--out {}: cannot create the output folder: {e}",
            out.display()
        ))
    })?;
    let stage = out.join(STAGING);
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(|e| Error::io(&stage, e))?;
    }
    std::fs::create_dir(&stage).map_err(|e| Error::io(&stage, e))?;
    Ok(stage)
}

/// Moves the staged results into `out`, replacing the earlier results (every file this tool
/// writes, including an earlier `scored.csv` or chart the new run did not make), and removes
/// the staging folder. Other files in `out` are left alone.
pub fn publish(out: &Path) -> Result<(), Error> {
    // An earlier run with several measures wrote an overview here and a folder per measure:
    // they would no longer match these results.
    let earlier = earlier_measures(out);
    if !earlier.is_empty() {
        remove_file(&out.join("summary.json"))?;
        remove_measure_folders(out, &earlier, &[])?;
        for name in OVERVIEW_FILES {
            remove_file(&out.join(name))?;
        }
    }
    publish_files(out, &RESULT_FILES)
}

/// Removes a file that may not be there.
fn remove_file(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

/// The measure folders an earlier run of this tool with several measures wrote in `out`
/// (none when it is not such a run).
fn earlier_measures(out: &Path) -> Vec<String> {
    read_summary(out)
        .filter(|s| s["tool"]["name"] == "loneliness-eval")
        .and_then(|s| folders_of(&s))
        .unwrap_or_default()
}

/// The measures' folders when `dir` holds a run with several measures (its summary.json
/// lists them).
pub fn measure_folders(dir: &Path) -> Option<Vec<String>> {
    folders_of(&read_summary(dir)?)
}

fn read_summary(dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("summary.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// A summary's measure folders: only a measure's name (letters, digits, _ and -, as the
/// config requires), whatever the file says: never the staging folder, a parent or a path.
fn folders_of(summary: &serde_json::Value) -> Option<Vec<String>> {
    let measures = summary["measures"].as_array()?;
    Some(
        measures
            .iter()
            .filter_map(|m| m["folder"].as_str())
            .filter(|f| {
                !f.is_empty()
                    && f.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .map(str::to_string)
            .collect(),
    )
}

/// Removes the charts (SVG and PNG files) in `charts`, if it is there.
fn remove_charts(charts: &Path) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(charts) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "svg" || e == "png") {
            remove_file(&path)?;
        }
    }
    Ok(())
}

/// Removes this tool's files (and charts) from the `folders` not in `keep`, and each folder
/// too if nothing else is left in it.
fn remove_measure_folders(out: &Path, folders: &[String], keep: &[&str]) -> Result<(), Error> {
    for folder in folders.iter().filter(|f| !keep.contains(&f.as_str())) {
        let dir = out.join(folder);
        for name in RESULT_FILES {
            remove_file(&dir.join(name))?;
        }
        let charts = dir.join("charts");
        remove_charts(&charts)?;
        // Left in place when a person's own files are in it.
        let _ = std::fs::remove_dir(&charts);
        let _ = std::fs::remove_dir(&dir);
    }
    Ok(())
}

/// [`publish`] for a command whose results are `files` (and charts), summary.json among them.
pub fn publish_files(out: &Path, files: &[&str]) -> Result<(), Error> {
    let stage = out.join(STAGING);
    // Earlier results go first, summary.json (the completeness marker) before the rest.
    remove_file(&out.join("summary.json"))?;
    for name in files {
        remove_file(&out.join(name))?;
    }
    let charts = out.join("charts");
    remove_charts(&charts)?;
    let staged_charts = stage.join("charts");
    if let Ok(entries) = std::fs::read_dir(&staged_charts) {
        std::fs::create_dir_all(&charts).map_err(|e| Error::io(&charts, e))?;
        for entry in entries.flatten() {
            let to = charts.join(entry.file_name());
            std::fs::rename(entry.path(), &to).map_err(|e| Error::io(&to, e))?;
        }
    }
    for name in files {
        let from = stage.join(name);
        if from.exists() {
            let to = out.join(name);
            std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
        }
    }
    std::fs::remove_dir_all(&stage).map_err(|e| Error::io(&stage, e))
}

/// The files at the top of a run with several measures (besides a folder per measure).
pub const OVERVIEW_FILES: [&str; 7] = [
    "overview.csv",
    "scored.csv",
    "correlations.csv",
    "flow.csv",
    "report.html",
    "report.md",
    "summary.json",
];

/// [`publish`] for a run with several measures: each measure's staged folder replaces the
/// folder of that name, then the overview files replace the top's (with any files of an
/// earlier single-measure run there, which would no longer match).
pub fn publish_measures(out: &Path, measures: &[&str]) -> Result<(), Error> {
    let stage = out.join(STAGING);
    // Folders of an earlier run's measures that this run does not have would not match it;
    // they are read from the earlier summary.json, which then goes first (the completeness
    // marker: a folder interrupted from here on has none).
    let earlier = earlier_measures(out);
    remove_file(&out.join("summary.json"))?;
    remove_measure_folders(out, &earlier, measures)?;
    // A measure's folder is published as a results folder of its own: only this tool's
    // files in it are replaced, anything else a person put there stays.
    for name in measures {
        let (from, to) = (stage.join(name), out.join(name));
        std::fs::create_dir_all(&to).map_err(|e| Error::io(&to, e))?;
        let inner = to.join(STAGING);
        if inner.exists() {
            std::fs::remove_dir_all(&inner).map_err(|e| Error::io(&inner, e))?;
        }
        std::fs::rename(&from, &inner).map_err(|e| Error::io(&inner, e))?;
        publish_files(&to, &RESULT_FILES)?;
    }
    let files: Vec<&str> = RESULT_FILES
        .iter()
        .chain(&OVERVIEW_FILES)
        .copied()
        .collect();
    publish_files(out, &files)
}
