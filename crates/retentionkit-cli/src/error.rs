//! The one error type of the command: a message for the user and an exit code.

use std::fmt;

/// Why the command stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// The input file or the command line is wrong: exit code 2.
    Input(String),
    /// Anything else (a file that cannot be written, a computation that
    /// failed on valid input): exit code 1.
    Other(String),
}

impl CliError {
    /// Bad input or usage.
    pub fn input(message: impl Into<String>) -> Self {
        CliError::Input(message.into())
    }

    /// Another failure.
    pub fn other(message: impl Into<String>) -> Self {
        CliError::Other(message.into())
    }

    /// A bad value in a file: `FILE:LINE: column "NAME": MESSAGE`.
    pub fn at(file: &str, line: u64, column: &str, message: &str) -> Self {
        CliError::Input(format!("{file}:{line}: column \"{column}\": {message}"))
    }

    /// The process exit code: 2 for bad input or usage, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Input(_) => 2,
            CliError::Other(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) | CliError::Other(m) => f.write_str(m),
        }
    }
}

impl From<retentionkit::Error> for CliError {
    /// Errors of the core are about the data it was given: bad input.
    fn from(e: retentionkit::Error) -> Self {
        CliError::Input(e.to_string())
    }
}

/// `Result` with [`CliError`].
pub type Result<T> = std::result::Result<T, CliError>;
