//! Letters to the person as PDF: the extract (registerutdrag) and decision letters.

pub mod pdf;
