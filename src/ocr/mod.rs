//! OCR through Tesseract (leptess, `chi_sim`).
//!
//! One engine per worker thread, created once and reused: starting Tesseract with `chi_sim`
//! costs about 0.25 s and 65 MB. Tesseract must run single-threaded (`OMP_THREAD_LIMIT=1`,
//! set by the binary before the library loads): formscan parallelises across forms itself.

mod tesseract;

pub use tesseract::{find_tessdata, tesseract_version, Psm, Tesseract, TessdataSearch, OCR_LANG};
