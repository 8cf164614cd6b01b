//! records.jsonl: the record contract, one JSON object per line, every input present.

use std::path::Path;

use crate::record::Record;

pub fn to_string(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        // A record is plain data: serialising it cannot fail.
        out.push_str(&serde_json::to_string(r).expect("record serialises"));
        out.push('\n');
    }
    out
}

pub fn write(path: &Path, records: &[Record]) -> std::io::Result<()> {
    crate::fsutil::write_atomic(path, to_string(records).as_bytes())
}
