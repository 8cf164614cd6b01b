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
        let log = dir.join("pdftoppm.log");
        let mut cmd = Command::new(program);
        cmd.args(["-r", &RENDER_DPI.to_string(), "-png", "-cropbox", "-singlefile"])
            .args(["-f", &number.to_string(), "-l", &number.to_string()])
            .arg(dir.join("in.pdf"))
            .arg(&out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            // A file, not a pipe: a damaged PDF can make poppler write more warnings than a pipe
            // holds, and nobody would be reading it while we wait.
            .stderr(std::fs::File::create(&log).map_err(io)?);
        run_with_timeout(cmd, RENDER_TIMEOUT).map_err(|e| {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            // A damaged encrypted file can load in lopdf without its /Encrypt entry; poppler
            // still finds it and asks for the password.
            if said.contains("Incorrect password") {
                return Unreadable::EncryptedPdf;
            }
            let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").to_string();
            Unreadable::BadPdf(format!("pdftoppm, page {number}: {e} {last}").trim().to_string())
        })?;
        let bytes = std::fs::read(&png).map_err(|e| Unreadable::BadPdf(format!("pdftoppm wrote no image for page {number}: {e}")))?;
        let _ = std::fs::remove_file(&png);
        let (image, _) = decode_raster(&bytes, ImageFormat::Png, limits, false).map_err(in_pdf)?;
        Ok(image)
    }
}

pub(super) fn run_with_timeout(mut cmd: Command, limit: Duration) -> Result<(), String> {
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(status.to_string()),
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no result after {} s", limit.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    }
}
