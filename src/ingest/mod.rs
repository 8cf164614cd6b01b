//! Ingest: what a file is, and its content in a form the readers can use. Nothing here trusts
//! the file's name or the sizes it claims.

pub mod docx;
pub mod image;
pub mod pdf;

/// One page of a scanned or rendered submission, decoded to pixels.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// 0-based page number within the file.
    pub index: u32,
    pub image: image::RgbImage,
    /// Resolution from the file's metadata (JPEG density, PNG pHYs, TIFF resolution, or a PDF
    /// page's size), when known.
    pub dpi: Option<f32>,
}

/// Caps on decoded images, against decompression bombs: checked on the dimensions a file
/// declares, before any pixel buffer is allocated.
#[derive(Debug, Clone)]
pub struct ImageLimits {
    pub max_side: u32,
    pub max_pixels: u64,
    /// Most pages read from one file.
    pub max_pages: u32,
    /// Bytes a PDF stream may inflate to.
    pub max_stream_bytes: usize,
}

impl Default for ImageLimits {
    fn default() -> Self {
        // A4 at 600 dpi is 4,961 × 7,016 (35 MP); these leave room for A3 at 600 dpi.
        ImageLimits { max_side: 20_000, max_pixels: 100_000_000, max_pages: 50, max_stream_bytes: 400 << 20 }
    }
}

use crate::record::SourceKind;

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A zip package (a .docx, or some other zip).
    Zip,
    /// An OLE compound file holding an encrypted OOXML package (password-protected .docx).
    EncryptedOoxml,
    /// An OLE compound file of the old Word format (.doc), possibly renamed .docx.
    LegacyWord,
    /// Some other OLE compound file (.xls, .ppt, …).
    OtherOle,
    Pdf,
    Jpeg,
    Png,
    Tiff,
    Unknown,
}

impl Detected {
    pub fn source_kind(self) -> SourceKind {
        match self {
            Detected::Zip | Detected::EncryptedOoxml | Detected::LegacyWord => SourceKind::Docx,
            Detected::Pdf => SourceKind::Pdf,
            Detected::Jpeg | Detected::Png | Detected::Tiff => SourceKind::Image,
            Detected::OtherOle | Detected::Unknown => SourceKind::Unknown,
        }
    }
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Recognises a file by its content.
pub fn detect(bytes: &[u8]) -> Detected {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Detected::Zip
    } else if bytes.starts_with(OLE_MAGIC) {
        // Stream names live in the directory sectors as UTF-16.
        if contains_utf16(bytes, "EncryptionInfo") || contains_utf16(bytes, "EncryptedPackage") {
            Detected::EncryptedOoxml
        } else if contains_utf16(bytes, "WordDocument") {
            Detected::LegacyWord
        } else {
            Detected::OtherOle
        }
    } else if bytes.starts_with(b"%PDF-") || bytes.len() > 5 && bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        Detected::Pdf
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Detected::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Detected::Png
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Detected::Tiff
    } else {
        Detected::Unknown
    }
}

/// Caps on a zip package, as Apache POI sets them: a .docx form is a few hundred KB.
#[derive(Debug, Clone)]
pub struct ZipLimits {
    pub max_entries: usize,
    /// Sum of the unpacked sizes the entries claim.
    pub max_total_bytes: u64,
    /// Unpacked:packed ratio above which a large entry is taken for a bomb.
    pub max_ratio: u64,
    /// `word/document.xml` itself.
    pub max_document_bytes: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits { max_entries: 2000, max_total_bytes: 200 << 20, max_ratio: 100, max_document_bytes: 64 << 20 }
    }
}

/// Why a file cannot be read as the form. Each reason has a Chinese message (for records and
/// return notices) and an English one (for the terminal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    Empty,
    CorruptZip(String),
    ZipBomb(String),
    Encrypted,
    LegacyWord,
    NotWord,
    BadXml(String),
    NotThisForm,
    UnsupportedFormat(&'static str),
    UnknownFormat,
    Io(String),
    /// A route that is not built yet (scans before the scan reader lands).
    RouteNotBuilt(&'static str),
    /// An image file that cannot be decoded.
    BadImage(String),
    /// An image (or PDF image) larger than the limits.
    ImageTooLarge(String),
    /// A PDF that cannot be parsed.
    BadPdf(String),
    EncryptedPdf,
    /// A PDF page image in an encoding formscan cannot decode (e.g. JBIG2).
    UnsupportedPdfImage(String),
    /// A PDF or TIFF with no page formscan can read.
    NoPages,
}

impl Unreadable {
    pub fn chinese(&self) -> String {
        match self {
            Unreadable::Empty => "文件为空（0字节），无法读取。".into(),
            Unreadable::CorruptZip(_) => "Word文件已损坏或不完整（压缩包无法解开），请重新保存后再提交。".into(),
            Unreadable::ZipBomb(_) => "文件解压后体积异常（疑似压缩炸弹），出于安全考虑未读取。".into(),
            Unreadable::Encrypted => "Word文件设有打开密码（已加密），无法读取，请去掉密码后重新提交。".into(),
            Unreadable::LegacyWord => "文件是旧版Word（.doc）格式，请另存为.docx后再提交。".into(),
            Unreadable::NotWord => "压缩包中没有Word正文（word/document.xml），不是.docx文件。".into(),
            Unreadable::BadXml(_) => "Word正文的XML已损坏，无法读取。".into(),
            Unreadable::NotThisForm => "文件不是“最美职工”推荐申报表（找不到表格的栏目）。".into(),
            Unreadable::UnsupportedFormat(what) => format!("不支持的文件格式（{what}）。"),
            Unreadable::UnknownFormat => "无法识别的文件格式，既不是Word文件，也不是PDF或图片。".into(),
            Unreadable::Io(_) => "文件无法打开读取。".into(),
            Unreadable::RouteNotBuilt(what) => format!("暂不支持读取{what}，请提交Word（.docx）文件。"),
            Unreadable::BadImage(_) => "图片文件已损坏或格式有误，无法打开，请重新扫描后提交。".into(),
            Unreadable::ImageTooLarge(_) => "图片尺寸异常过大，出于安全考虑未读取，请以200–300dpi重新扫描。".into(),
            Unreadable::BadPdf(_) => "PDF文件已损坏，无法打开，请重新导出或扫描后提交。".into(),
            Unreadable::EncryptedPdf => "PDF文件设有密码（已加密），无法读取，请去掉密码后重新提交。".into(),
            Unreadable::UnsupportedPdfImage(what) => format!("PDF中的扫描图像编码（{what}）暂不支持，请以JPEG或普通PDF重新扫描。"),
            Unreadable::NoPages => "文件中没有可读取的页面。".into(),
        }
    }

    pub fn english(&self) -> String {
        match self {
            Unreadable::Empty => "the file is empty".into(),
            Unreadable::CorruptZip(e) => format!("corrupt or truncated .docx (zip: {e})"),
            Unreadable::ZipBomb(e) => format!("refused: unpacks to an implausible size ({e})"),
            Unreadable::Encrypted => "the .docx is password-protected (encrypted)".into(),
            Unreadable::LegacyWord => "an old Word .doc file (save it as .docx)".into(),
            Unreadable::NotWord => "a zip without word/document.xml: not a .docx".into(),
            Unreadable::BadXml(e) => format!("word/document.xml is not well-formed XML ({e})"),
            Unreadable::NotThisForm => "not the 最美职工 application form: none of its table labels found".into(),
            Unreadable::UnsupportedFormat(what) => format!("unsupported file format ({what})"),
            Unreadable::UnknownFormat => "unrecognised file format (not a .docx, PDF or image)".into(),
            Unreadable::Io(e) => format!("cannot read the file: {e}"),
            Unreadable::RouteNotBuilt(what) => format!("reading {what} is not built yet"),
            Unreadable::BadImage(e) => format!("cannot decode the image: {e}"),
            Unreadable::ImageTooLarge(e) => format!("refused: image too large ({e})"),
            Unreadable::BadPdf(e) => format!("cannot parse the PDF: {e}"),
            Unreadable::EncryptedPdf => "the PDF is encrypted (password-protected)".into(),
            Unreadable::UnsupportedPdfImage(e) => format!("PDF page image in an unsupported encoding: {e}"),
            Unreadable::NoPages => "no readable page in the file".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(detect(b"PK\x03\x04rest"), Detected::Zip);
        assert_eq!(detect(b"%PDF-1.7\n"), Detected::Pdf);
        assert_eq!(detect(&[0xFF, 0xD8, 0xFF, 0xE0]), Detected::Jpeg);
        assert_eq!(detect(b"II*\0...."), Detected::Tiff);
        assert_eq!(detect(b"hello"), Detected::Unknown);
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend("EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(detect(&ole), Detected::EncryptedOoxml);
        let mut doc = OLE_MAGIC.to_vec();
        doc.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(detect(&doc), Detected::LegacyWord);
    }
}
