//! `loneliness-eval scales`: prints the scale table (built-in and any from --config), so users
//! can see how each is scored and copy a definition as a starting point for their own.

use crate::error::Error;
use crate::scale::{Scale, ScaleTable};
use crate::settings::ConfigFile;
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use std::path::PathBuf;

/// Options of `scales`.
#[derive(Debug, Clone, Args)]
pub struct ScalesArgs {
    /// Include the custom [[scales]] of this config file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the definitions as TOML, ready to paste into a config as [[scales]] tables.
    #[arg(long)]
    pub toml: bool,
}

fn describe(scale: &Scale) -> [String; 8] {
    let (items, item_range, reversed) = match &scale.items {
        Some(i) => {
            let rev: Vec<String> = i
                .reversed
                .iter()
                .enumerate()
                .filter(|(_, r)| **r)
                .map(|(k, _)| (k + 1).to_string())
                .collect();
            let rescored: Vec<String> = (i.scores.iter().enumerate())
                .filter(|(_, s)| s.is_some())
                .map(|(k, _)| (k + 1).to_string())
                .collect();
            let mut scoring = if rev.is_empty() {
                "none".to_string()
            } else {
                rev.join(", ")
            };
            if !rescored.is_empty() {
                scoring = if rescored.len() == i.count {
                    "each item 0/1 (lonely answer)".into()
                } else {
                    format!("items {} scored 0/1", rescored.join(", "))
                };
            }
            (i.count.to_string(), format!("{}-{}", i.min, i.max), scoring)
        }
        None => ("totals only".into(), "-".into(), "-".into()),
    };
    let categories: Vec<String> = scale
        .categories
        .iter()
        .map(|c| format!("{}-{} {}", c.min, c.max, c.label))
        .collect();
    [
        scale.name.clone(),
        items,
        item_range,
        reversed,
        match scale.conversion.as_slice() {
            [] => scale.total_range_text(),
            table => format!(
                "{} (raw {}-{} converted)",
                scale.total_range_text(),
                table[0].0,
                table[table.len() - 1].0
            ),
        },
        if scale.higher_is_worse {
            "higher = worse".into()
        } else {
            "higher = better".into()
        },
        if categories.is_empty() {
            "-".into()
        } else {
            categories.join("; ")
        },
        scale.reliability.map_or("-".into(), |r| r.to_string()),
    ]
}

/// Runs `scales`.
pub fn run(args: &ScalesArgs) -> Result<(), Error> {
    let custom = match &args.config {
        Some(path) => ConfigFile::load(path)?.scales,
        None => Vec::new(),
    };
    let table = ScaleTable::builtin().with_custom(custom);
    if args.toml {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            scales: &'a [crate::scale::ScaleDef],
        }
        let text = toml::to_string(&Out {
            scales: table.defs(),
        })
        .map_err(|e| Error::Option(e.to_string()))?;
        return super::print_out(&text);
    }
    let mut out = Table::new();
    out.load_preset(UTF8_FULL_CONDENSED);
    out.set_header(vec![
        "scale",
        "items",
        "item range",
        "reversed",
        "total range",
        "direction",
        "categories",
        "reliability",
    ]);
    let mut sources = Vec::new();
    for def in table.defs() {
        let scale = table.get(&def.name)?;
        out.add_row(describe(&scale).to_vec());
        sources.push(format!(
            "{}: {} ({}){}{}",
            scale.name,
            scale.title,
            scale.source,
            scale
                .reliability_source
                .as_ref()
                .map(|r| format!("; reliability: {r}"))
                .unwrap_or_default(),
            scale
                .note
                .as_ref()
                .map(|n| format!("\n  note: {n}"))
                .unwrap_or_default()
        ));
    }
    super::print_out(&format!("{out}\n{}\n", sources.join("\n")))
}
