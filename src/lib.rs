//! formscan reads the application forms of the 2023 内蒙古自治区“最美职工” selection — Word
//! files and scans — into checked, normalised records, and draws the fillable form itself.
//!
//! The library does the work; the `formscan` binary is a thin command line over it. Every
//! stage returns typed errors with the file (and page) they concern.

pub mod audit;
pub mod config;
pub mod doctor;
pub mod error;
pub mod eval;
pub mod external;
pub mod fsutil;
pub mod fields;
pub mod ingest;
pub mod layout;
pub mod marks;
pub mod output;
pub mod ocr;
pub mod pipeline;
pub mod preprocess;
pub mod reading;
pub mod record;
pub mod samples;
pub mod spec;
pub mod template;
pub mod timing;

/// formscan's version, recorded in outputs.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Set in the environment when the binary has restarted itself with `OMP_THREAD_LIMIT=1`.
pub const REEXEC_MARK: &str = "FORMSCAN_REEXECED";
