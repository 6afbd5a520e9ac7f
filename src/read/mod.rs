//! The export (CSV, Parquet, a workbook or an SPSS file; one file or several) → a typed table of people, their groups and their raw responses per timepoint.
//! Every record is accounted for: kept, or excluded and counted with the reason and line.

mod blocks;
mod builder;
mod bulk;
mod codes;
mod columns;
mod csv_file;
pub mod dates;
mod export;
mod files;
pub mod guess;
mod ids;
mod keeper;
pub mod memory;
mod order;
mod parallel;
mod parquet;
mod plan;
pub mod sample;
mod scan;
mod spill;
mod spss;
mod stream;
mod value;
mod vocabulary;
mod workbook;

pub use codes::GroupCodes;

pub use columns::{is_score_key, Layout, Source};
pub use ids::Ids;
pub use parquet::is_parquet;
pub use spill::SpillTo;
pub use spss::is_spss;
pub use value::{is_excel_error, parse_cell, trim, Cell, MISSING_CODES};
pub use vocabulary::{normalise_words, Vocabulary};
pub use workbook::{column_letters, workbook_format, SheetPlace};

use crate::error::Error;
use crate::model::Timepoint;
use columns::Header;
use foldhash::{HashMap, HashMapExt};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use stream::{Prefix, TextStream};

use builder::*;
use csv_file::*;
pub use export::*;
pub use files::*;
use plan::*;
