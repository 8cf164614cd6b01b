//! Rasterising a page that is not a scan, with poppler's pdftoppm.

use super::*;

/// Rasterises pages with poppler's pdftoppm from one temporary copy of the file, made on first use.
pub(super) struct Renderer<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) dir: Option<tempfile::TempDir>,
}

impl Renderer<'_> {
    /// Page `number` (1-based), `w_pt` × `h_pt` as displayed, at [`RENDER_DPI`].
    pub(super) fn render(&mut self, number: u32, w_pt: f32, h_pt: f32, limits: &ImageLimits) -> Result<RgbImage, Unreadable> {
        let Some(program) = crate::external::which("pdftoppm") else {
            return Err(Unreadable::UnsupportedPdfImage("text-only page; install poppler-utils".into()));
        };
        // The size pdftoppm will allocate, checked before it runs.
        let px = |pt: f32| (pt * RENDER_DPI as f32 / 72.0).ceil().min(u32::MAX as f32) as u32;
        check_dimensions(px(w_pt), px(h_pt), limits)?;
        let io = |e: std::io::Error| Unreadable::Io(format!("temporary copy for pdftoppm: {e}"));
        if self.dir.is_none() {
            let dir = tempfile::Builder::new().prefix("formscan-pdf-").tempdir().map_err(io)?;
            std::fs::write(dir.path().join("in.pdf"), self.bytes).map_err(io)?;
            self.dir = Some(dir);
        }
        let dir = self.dir.as_ref().map(|d| d.path()).unwrap_or(Path::new("."));
        let out = dir.join(format!("page-{number}"));
        let png = out.with_extension("png");
        let mut cmd = Command::new(program);
        cmd.args(["-r", &RENDER_DPI.to_string(), "-png", "-cropbox", "-singlefile"])
            .args(["-f", &number.to_string(), "-l", &number.to_string()])
            .arg(dir.join("in.pdf"))
            .arg(&out);
        let fail = |e: String, said: &str| {
            // A damaged encrypted file can load in lopdf without its /Encrypt entry; poppler
            // still finds it and asks for the password.
            if said.contains("Incorrect password") {
                return Unreadable::EncryptedPdf;
            }
            let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
            Unreadable::BadPdf(format!("pdftoppm, page {number}: {e} {last}").trim().to_string())
        };
        let done = crate::external::run_limited(cmd, RENDER_TIMEOUT).map_err(|e| fail(e, ""))?;
        if !done.status.success() {
            return Err(fail(done.status.to_string(), &done.stderr));
        }
        let bytes = std::fs::read(&png).map_err(|e| Unreadable::BadPdf(format!("pdftoppm wrote no image for page {number}: {e}")))?;
        let _ = std::fs::remove_file(&png);
        let (image, _) = decode_raster(&bytes, ImageFormat::Png, limits, false).map_err(in_pdf)?;
        Ok(image)
    }
}
