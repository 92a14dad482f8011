//! Drawing the paginated lines and the footers with krilla.

use krilla::color::luma;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::Document;

use super::flow::{Line, Run};
use super::fonts::{FontFace, Fonts};
use super::layout::wrap;
use super::letter::{EmbeddedDocument, Letter, PdfError};
use super::paginate::Placed;
use super::shape::Shaped;
use super::style::{BODY_BOTTOM, CONTENT_W, FOOTER_SIZE, LINE_FACTOR, MARGIN, PAGE_H, PAGE_W};

const TEXT_GREY: u8 = 0;
const FOOTER_GREY: u8 = 85;
const RULE_GREY: u8 = 150;

fn set_grey(surface: &mut Surface<'_>, grey: u8) {
    surface.set_fill(Some(Fill {
        paint: luma::Color::new(grey).into(),
        ..Default::default()
    }));
}

fn draw_run(
    surface: &mut Surface<'_>,
    face: &FontFace,
    x: f32,
    baseline: f32,
    shaped: &Shaped,
    size: f32,
) {
    if shaped.text.is_empty() {
        return;
    }
    surface.draw_glyphs(
        Point::from_xy(x, baseline),
        &shaped.glyphs,
        face.pdf.clone(),
        &shaped.text,
        size,
        false,
    );
}

fn draw_footer(surface: &mut Surface<'_>, fonts: &Fonts, footer: &str, page: usize, total: usize) {
    let rule_y = BODY_BOTTOM + 14.0;
    if let Some(path) = {
        let mut pb = PathBuilder::new();
        pb.move_to(MARGIN, rule_y);
        pb.line_to(MARGIN + CONTENT_W, rule_y);
        pb.finish()
    } {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: luma::Color::new(RULE_GREY).into(),
            width: 0.5,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }

    set_grey(surface, FOOTER_GREY);
    let face = &fonts.regular;
    let line_h = FOOTER_SIZE * LINE_FACTOR;
    let baseline = rule_y + 4.0 + face.baseline_offset(FOOTER_SIZE, line_h);

    let number = Shaped::new(face, format!("Sida {page} av {total}"), FOOTER_SIZE);

    // The footer text gets what is left of the line: at most two lines, the
    // second shortened with an ellipsis if the text is longer than that.
    let footer_w = CONTENT_W - number.width - 20.0;
    let mut lines = wrap(footer, face, FOOTER_SIZE, footer_w);
    if lines.len() > 2 {
        lines.truncate(2);
        let mut second = std::mem::take(&mut lines[1].text);
        lines[1] = loop {
            let shortened = Shaped::new(face, format!("{second} …"), FOOTER_SIZE);
            if second.is_empty() || shortened.width <= footer_w {
                break shortened;
            }
            second.pop();
        };
    }
    for (i, line) in lines.iter().enumerate() {
        let y = baseline + i as f32 * line_h;
        draw_run(surface, face, MARGIN, y, line, FOOTER_SIZE);
    }
    let number_x = MARGIN + CONTENT_W - number.width;
    draw_run(surface, face, number_x, baseline, &number, FOOTER_SIZE);
}

/// The PDF of `letter`, laid out on `pages`.
/// Attaches `documents` to the PDF. Names are made unique ("bild.png", "bild (2).png"): a
/// PDF's attached files are keyed by name.
fn embed(document: &mut Document, documents: &[EmbeddedDocument]) {
    let mut taken: Vec<String> = Vec::new();
    for doc in documents {
        let mut name = doc.file_name.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = match doc.file_name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem} ({n}).{ext}"),
                None => format!("{} ({n})", doc.file_name),
            };
        }
        taken.push(name.clone());
        document.embed_file(EmbeddedFile {
            path: name,
            mime_type: MimeType::new(&doc.content_type),
            description: Some("Kopia av handling som hör till registerutdraget".into()),
            association_kind: AssociationKind::Supplement,
            data: doc.content.clone().into(),
            modification_date: None,
            // Stored as they are: images and PDFs are compressed already, and the person's
            // reader shows them byte for byte as attached.
            compress: Some(false),
            location: None,
        });
    }
}

pub(super) fn document(
    letter: &Letter,
    fonts: &Fonts,
    pages: &[Vec<Placed<'_>>],
    documents: &[EmbeddedDocument],
) -> Result<Vec<u8>, PdfError> {
    let total = pages.len();
    let mut document = Document::new();
    embed(&mut document, documents);
    let mut metadata = Metadata::new()
        .language("sv".to_string())
        .creator("dsar".to_string());
    if !letter.title.trim().is_empty() {
        metadata = metadata.title(letter.title.clone());
    }
    document.set_metadata(metadata);

    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| PdfError::Render("invalid page size".into()))?;
    for (index, placed) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        set_grey(&mut surface, TEXT_GREY);
        let mut runs: Vec<(f32, &Line, &Run)> = placed
            .iter()
            .flat_map(|p| p.line.runs.iter().map(move |run| (p.top, p.line, run)))
            .collect();
        runs.sort_by_key(|(_, _, run)| run.order); // stable: rows stay top-down
        for (top, line, run) in runs {
            let face = fonts.get(run.style.bold);
            let baseline = top + face.baseline_offset(run.style.size, line.height);
            let x = MARGIN + run.x;
            draw_run(&mut surface, face, x, baseline, &run.shaped, run.style.size);
        }
        draw_footer(&mut surface, fonts, &letter.footer, index + 1, total);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Render(format!("{e:?}")))
}
