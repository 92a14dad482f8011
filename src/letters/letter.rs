//! What a letter is made of: the input to `render`.

/// A structured letter to render.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Letter {
    /// Top-left block: municipality, nämnd, address lines.
    pub sender: Vec<String>,
    /// Address block: name, street, postal code + city (the folkbokföringsadress).
    pub recipient: Vec<String>,
    /// Label/value pairs shown top-right, e.g. ("Datum", "2026-03-20").
    pub meta: Vec<(String, String)>,
    /// Letter title, e.g. "Registerutdrag enligt artikel 15 i dataskyddsförordningen".
    pub title: String,
    /// Body content, flowed down the pages.
    pub blocks: Vec<Block>,
    /// Footer text on every page; "Sida N av M" is added on the right.
    pub footer: String,
}

/// One piece of body content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Section heading (bold, 14 pt).
    Heading(String),
    /// Sub-section heading (bold, 12 pt).
    Subheading(String),
    /// Wrapped text; "\n" forces a line break.
    Paragraph(String),
    /// Label/value pairs: bold label in a left column, wrapped value on the right.
    Fields(Vec<(String, String)>),
    /// Bulleted list.
    Bullets(Vec<String>),
    /// Vertical space of one body line.
    Spacer,
}

/// A file that goes inside the PDF, as an attachment a reader can open and save.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedDocument {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// Rendering failure.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("PDF rendering failed: {0}")]
    Render(String),
}
