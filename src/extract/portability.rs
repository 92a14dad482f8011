//! Data portability (Art. 20, domain.md §6): the data the person provided, processed on
//! consent or contract, in a structured, machine-readable format: JSON, or CSV. Only released
//! findings of activities whose legal basis is Samtycke or Avtal are part of it (Art. 20(1)(a);
//! 20(3): not processing in the public interest or in the exercise of official authority).

use serde::Serialize;
use utoipa::ToSchema;

use super::store::FindingRow;
use super::Secrecy;
use crate::domain::legal_basis::{parse_legal_bases, LegalBasis};

/// One item of the portable data.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct PortableItem {
    pub controller: String,
    pub activity: String,
    /// As the register states it, e.g. `Samtycke`.
    pub legal_basis: String,
    pub data: String,
}

/// The portable data of the case's findings, in the order they were recorded.
pub fn portable(
    findings: &[FindingRow],
    controller_visible: impl Fn(&str) -> bool,
) -> Vec<PortableItem> {
    findings
        .iter()
        .filter(|f| {
            f.found && f.secrecy == Secrecy::Release && controller_visible(&f.controller_id)
        })
        .filter(|f| {
            parse_legal_bases(&f.activity.0.legal_basis)
                .iter()
                .any(|b| matches!(b, LegalBasis::Consent | LegalBasis::Contract))
        })
        .map(|f| PortableItem {
            controller: f.controller_id.clone(),
            activity: f.activity.0.name.clone(),
            legal_basis: f.activity.0.legal_basis.clone(),
            data: f.data.as_deref().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// The same as CSV: UTF-8, a header row, `,` between fields (RFC 4180), for any program.
pub fn csv(items: &[PortableItem]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["controller", "activity", "legal_basis", "data"])?;
    for item in items {
        writer.write_record([
            &item.controller,
            &item.activity,
            &item.legal_basis,
            &item.data,
        ])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}
