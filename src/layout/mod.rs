//! Layout: where each field is on a form — label matching, the vote sentence, and (per
//! route) the mapping from a document's structure to field values.

pub mod approval;
pub mod docx_form;
pub mod grid;
pub mod labels;
pub mod ocr_text;
pub mod scan_form;
pub mod sentence;
