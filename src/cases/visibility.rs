//! What of a case each reader sees (domain.md §8). Every nämnd is its own authority, so secrecy
//! holds between them as towards anyone (OSL 8 kap. 1 §): a handläggare sees the case's common
//! data and, of each part, only their own nämnders' handler, decision, reasons, findings and
//! journal events; of the other parts only the controller, the status and the day it decided.
//! Kontaktcenter sees every part that way (it needs who, what, when and the deadline, never what a
//! nämnd found or decided). The DPO and administrators see every part, and their reads of parts
//! of nämnder they do not work for are audited as such.
//!
//! A case about a person with sekretessmarkering or skyddad folkbokföring (OSL 21 kap. 3 §,
//! 22 kap. 1 §) shows the person's address and contact data, and the representative's e-mail
//! and address,
//! only to the handläggare assigned to one of its parts and to administrators.
//!
//! The services apply the lens before a record leaves them, so the API and the pages show the
//! same and a view cannot show what was never handed to it.

use serde_json::Value;

use super::store::{CaseRecord, EventRow};
use crate::auth::{AuthUser, Role};

/// How much of a case one user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLens {
    parts: PartLens,
    /// The reader's `sub`: a handläggare assigned to a part sees a protected person's contacts.
    reader: String,
    /// Administrators see a protected person's contact data on every case.
    admin: bool,
}

/// Which parts of a case one user sees in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartLens {
    /// Every part in full: the DPO and administrators.
    AllParts,
    /// The parts of these controllers in full, the others sealed.
    PartsOf(Vec<String>),
}

/// Journal events that belong to one part; a sealed part's are not shown. `controller_added`
/// is not among them: which nämnder are parts of the case is common data.
const PART_EVENTS: &[&str] = &[
    "finding_recorded",
    "attachment_added",
    "attachment_removed",
    "handler_assigned",
    "decided",
    "appeal_received",
    "appeal_forwarded",
    "restriction_started",
    "restriction_lift_notified",
    "restriction_lifted",
];

/// Journal events whose data sums up every part (how many findings were released and
/// withheld in all); a reader with a sealed part sees that they happened, not the numbers.
const CASE_WIDE_SUMS: &[&str] = &["extract_compiled"];

impl CaseLens {
    pub fn of(user: &AuthUser) -> Self {
        let parts = if user.has_role(Role::Admin) || user.has_role(Role::Dpo) {
            PartLens::AllParts
        } else if user.has_role(Role::Handlaggare) {
            PartLens::PartsOf(user.controllers.clone())
        } else {
            PartLens::PartsOf(Vec::new())
        };
        CaseLens {
            parts,
            reader: user.sub.clone(),
            admin: user.has_role(Role::Admin),
        }
    }

    pub fn sees_part(&self, controller: &str) -> bool {
        match &self.parts {
            PartLens::AllParts => true,
            PartLens::PartsOf(mine) => mine.iter().any(|c| c == controller),
        }
    }

    /// Whether this reader sees the contact data of `record`'s person: always, unless the
    /// identity is protected; then only the handläggare assigned to a part they work for, and
    /// administrators.
    pub fn sees_contact_data(&self, record: &CaseRecord) -> bool {
        !record.case.protected_identity
            || self.admin
            || record.parts.iter().any(|p| {
                p.handler.as_deref() == Some(self.reader.as_str())
                    && self.sees_part(&p.controller_id)
            })
    }

    /// The record as this reader may see it: a sealed part keeps its controller, status and
    /// the day it decided; its handler and its decision's outcome, reasons, recipients, text and
    /// decision-maker are removed.
    pub fn show(&self, mut record: CaseRecord) -> CaseRecord {
        if !self.sees_contact_data(&record) {
            seal_contact_data(&mut record);
        }
        let sealed: Vec<String> = record
            .parts
            .iter()
            .map(|p| p.controller_id.clone())
            .filter(|c| !self.sees_part(c))
            .collect();
        for part in record
            .parts
            .iter_mut()
            .filter(|p| sealed.contains(&p.controller_id))
        {
            part.handler = None;
            part.handler_name = None;
        }
        record.sealed_decisions = record
            .decisions
            .iter()
            .filter(|d| sealed.contains(&d.controller_id))
            .map(|d| (d.controller_id.clone(), d.decided_at))
            .collect();
        record
            .decisions
            .retain(|d| !sealed.contains(&d.controller_id));
        record.sealed_parts = sealed;
        record
    }

    /// A record in a list, a search or an export: as `show`, and a protected person's contact
    /// data is left out for every reader, since only a read of the one case states a reason.
    pub fn show_listed(&self, record: CaseRecord) -> CaseRecord {
        let mut record = self.show(record);
        if record.case.protected_identity && !record.contact_sealed {
            seal_contact_data(&mut record);
        }
        record
    }

    /// The journal as this reader may see it (see `PART_EVENTS`, `CASE_WIDE_SUMS`).
    pub fn journal(&self, events: Vec<EventRow>) -> Vec<EventRow> {
        if self.parts == PartLens::AllParts {
            return events;
        }
        events
            .into_iter()
            .filter(|e| {
                !PART_EVENTS.contains(&e.event.as_str())
                    || e.data
                        .0
                        .get("controller")
                        .and_then(Value::as_str)
                        .is_some_and(|c| self.sees_part(c))
            })
            .map(|mut e| {
                if CASE_WIDE_SUMS.contains(&e.event.as_str()) {
                    e.data.0 = Value::Object(Default::default());
                }
                e
            })
            .collect()
    }

    /// The parts of `record` shown in full to `user` although they do not work for their
    /// controller: what a DPO's or administrator's read is audited as.
    pub fn others_parts_shown(&self, user: &AuthUser, record: &CaseRecord) -> Vec<String> {
        record
            .parts
            .iter()
            .map(|p| &p.controller_id)
            .filter(|c| self.sees_part(c) && !user.controllers.contains(c))
            .cloned()
            .collect()
    }
}

/// Removes the address and contact data of a protected person and their representative.
fn seal_contact_data(record: &mut CaseRecord) {
    let subject = &mut record.case.subject.0;
    subject.address = None;
    subject.email = None;
    subject.phone = None;
    if let Some(representative) = record.case.representative.as_mut() {
        representative.0.email = None;
        representative.0.address = None;
    }
    record.contact_sealed = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role], controllers: &[&str]) -> AuthUser {
        AuthUser {
            sub: "u".into(),
            name: "U".into(),
            roles: roles.to_vec(),
            controllers: controllers.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn each_role_sees_the_parts_its_job_needs() {
        let ks = user(&[Role::Handlaggare], &["kommunstyrelsen"]);
        assert!(CaseLens::of(&ks).sees_part("kommunstyrelsen"));
        assert!(!CaseLens::of(&ks).sees_part("socialnamnden"));
        let desk = user(&[Role::Kontaktcenter], &["kommunstyrelsen"]);
        assert!(!CaseLens::of(&desk).sees_part("kommunstyrelsen"));
        let etjanst = user(&[Role::Etjanst], &[]);
        assert!(!CaseLens::of(&etjanst).sees_part("kommunstyrelsen"));
        for all in [user(&[Role::Dpo], &[]), user(&[Role::Admin], &[])] {
            assert_eq!(CaseLens::of(&all).parts, PartLens::AllParts);
        }
        // A handläggare who also works at the desk still sees only their own nämnders' parts.
        let both = user(
            &[Role::Kontaktcenter, Role::Handlaggare],
            &["socialnamnden"],
        );
        assert!(CaseLens::of(&both).sees_part("socialnamnden"));
        assert!(!CaseLens::of(&both).sees_part("kommunstyrelsen"));
    }
}
