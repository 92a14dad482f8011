//! Page geometry and typography, in PDF points (origin top-left, y downwards).

pub(super) const PAGE_W: f32 = 595.276; // A4: 210 mm
pub(super) const PAGE_H: f32 = 841.89; // A4: 297 mm
pub(super) const MARGIN: f32 = 70.866; // 2.5 cm
pub(super) const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
pub(super) const BODY_TOP: f32 = MARGIN;
pub(super) const BODY_BOTTOM: f32 = PAGE_H - MARGIN;

pub(super) const LINE_FACTOR: f32 = 1.35;
pub(super) const BODY_SIZE: f32 = 10.5;
pub(super) const TITLE_SIZE: f32 = 16.0;
pub(super) const HEADING_SIZE: f32 = 14.0;
pub(super) const SUBHEADING_SIZE: f32 = 12.0;
pub(super) const FOOTER_SIZE: f32 = 8.5;

/// Tolerance when comparing widths and heights.
pub(super) const EPS: f32 = 0.01;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub bold: bool,
    pub size: f32,
}

pub(super) const BODY: Style = Style {
    bold: false,
    size: BODY_SIZE,
};
pub(super) const BODY_BOLD: Style = Style {
    bold: true,
    size: BODY_SIZE,
};
