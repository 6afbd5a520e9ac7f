//! The library's error type: each variant renders as one line saying what went wrong, where,
//! and what to do.

use std::path::PathBuf;

/// Errors that stop a run. Bad rows never do: they are excluded or invalidated and counted.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The input cannot be analysed as a whole (empty, no usable columns, unreadable CSV).
    #[error("{}: {message}", path.display())]
    Input {
        /// The input file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A scale definition is inconsistent.
    #[error("scale '{name}': {why}")]
    Scale {
        /// Scale name.
        name: String,
        /// What is inconsistent.
        why: String,
    },
    /// `--scale` names no known scale.
    #[error("unknown scale '{name}' (known scales: {known}; define others in --config)")]
    UnknownScale {
        /// The name given.
        name: String,
        /// The names available.
        known: String,
    },
    /// The `--config` file is unreadable or has unknown keys.
    #[error("{}: {message}", path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// An option value is out of range or inconsistent with others.
    #[error("{0}")]
    Option(String),
    /// An output (summary.json, a chart) could not be rendered.
    #[error("cannot render {what}: {why}")]
    Render {
        /// Which output.
        what: String,
        /// The renderer's message.
        why: String,
    },
}

impl Error {
    /// Whether this is a write to a closed pipe, which ends a run quietly and successfully.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The error of one measure of a run with several, saying which measure (the input's
    /// problems name the measure before the message).
    pub fn in_measure(self, measure: &str) -> Error {
        match self {
            Error::Input { path, message } => Error::Input {
                path,
                message: format!("measure {measure}: {message}"),
            },
            Error::Option(message) => Error::Option(format!("measure {measure}: {message}")),
            other => other,
        }
    }

    /// An input that cannot be analysed as a whole, with what to do about it.
    pub fn input(path: impl Into<PathBuf>, message: String) -> Error {
        Error::Input {
            path: path.into(),
            message,
        }
    }
}
