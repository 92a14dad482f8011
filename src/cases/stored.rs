//! The shapes of the case's JSON columns. They are storage's own: the API's `Subject` and
//! `Representative` may change their fields without touching a stored row, and a change here
//! needs a migration of the rows.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::dto::{Address, OtherIdentity, Representative, Subject};
use crate::domain::case::{IdentityMethod, IdentityStatus, RepresentativeKind};
use crate::domain::pause::IdentityWait;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAddress {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSubject {
    /// Null for a person identified by another document (`other_identity`).
    pub personnummer: Option<String>,
    pub samordningsnummer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_identity: Option<StoredOtherIdentity>,
    pub name: String,
    pub address: Option<StoredAddress>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredOtherIdentity {
    pub date_of_birth: NaiveDate,
    pub identifier: String,
    pub document_type: String,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRepresentative {
    pub kind: RepresentativeKind,
    pub personnummer: String,
    pub name: String,
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<StoredAddress>,
    pub identity_status: IdentityStatus,
    #[serde(default)]
    pub identity_method: Option<IdentityMethod>,
    #[serde(default)]
    pub verified_at: Option<DateTime<Utc>>,
    pub child_age_unknown: bool,
}

/// One period of waiting for identity information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredWait {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl From<&Address> for StoredAddress {
    fn from(a: &Address) -> Self {
        Self {
            street: a.street.clone(),
            postal_code: a.postal_code.clone(),
            city: a.city.clone(),
        }
    }
}

impl From<StoredAddress> for Address {
    fn from(a: StoredAddress) -> Self {
        Self {
            street: a.street,
            postal_code: a.postal_code,
            city: a.city,
        }
    }
}

impl From<&OtherIdentity> for StoredOtherIdentity {
    fn from(o: &OtherIdentity) -> Self {
        Self {
            date_of_birth: o.date_of_birth,
            identifier: o.identifier.clone(),
            document_type: o.document_type.clone(),
            country: o.country.clone(),
        }
    }
}

impl From<StoredOtherIdentity> for OtherIdentity {
    fn from(o: StoredOtherIdentity) -> Self {
        Self {
            date_of_birth: o.date_of_birth,
            identifier: o.identifier,
            document_type: o.document_type,
            country: o.country,
        }
    }
}

impl From<&Subject> for StoredSubject {
    fn from(s: &Subject) -> Self {
        Self {
            personnummer: s.personnummer.clone(),
            samordningsnummer: s.samordningsnummer,
            other_identity: s.other_identity.as_ref().map(StoredOtherIdentity::from),
            name: s.name.clone(),
            address: s.address.as_ref().map(StoredAddress::from),
            email: s.email.clone(),
            phone: s.phone.clone(),
        }
    }
}

impl From<StoredSubject> for Subject {
    fn from(s: StoredSubject) -> Self {
        Self {
            personnummer: s.personnummer,
            samordningsnummer: s.samordningsnummer,
            other_identity: s.other_identity.map(OtherIdentity::from),
            name: s.name,
            address: s.address.map(Address::from),
            email: s.email,
            phone: s.phone,
        }
    }
}

impl From<&Representative> for StoredRepresentative {
    fn from(r: &Representative) -> Self {
        Self {
            kind: r.kind,
            personnummer: r.personnummer.clone(),
            name: r.name.clone(),
            email: r.email.clone(),
            address: r.address.as_ref().map(StoredAddress::from),
            identity_status: r.identity_status,
            identity_method: r.identity_method,
            verified_at: r.verified_at,
            child_age_unknown: r.child_age_unknown,
        }
    }
}

impl From<StoredRepresentative> for Representative {
    fn from(r: StoredRepresentative) -> Self {
        Self {
            kind: r.kind,
            personnummer: r.personnummer,
            name: r.name,
            email: r.email,
            address: r.address.map(Address::from),
            identity_status: r.identity_status,
            identity_method: r.identity_method,
            verified_at: r.verified_at,
            child_age_unknown: r.child_age_unknown,
        }
    }
}

impl From<IdentityWait> for StoredWait {
    fn from(w: IdentityWait) -> Self {
        Self {
            from: w.from,
            to: w.to,
        }
    }
}

impl From<StoredWait> for IdentityWait {
    fn from(w: StoredWait) -> Self {
        Self {
            from: w.from,
            to: w.to,
        }
    }
}

pub fn waits_of(stored: &[StoredWait]) -> Vec<IdentityWait> {
    stored.iter().copied().map(IdentityWait::from).collect()
}

pub fn stored_waits(waits: &[IdentityWait]) -> Vec<StoredWait> {
    waits.iter().copied().map(StoredWait::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored form is a contract with every row already written: these are its names.
    #[test]
    fn a_stored_subject_keeps_its_field_names() {
        let stored = StoredSubject {
            personnummer: Some("191212121212".into()),
            samordningsnummer: false,
            other_identity: None,
            name: "Tolvan Tolvansson".into(),
            address: Some(StoredAddress {
                street: "Storgatan 1".into(),
                postal_code: "123 45".into(),
                city: "Stad".into(),
            }),
            email: None,
            phone: None,
        };
        let json = serde_json::to_value(&stored).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "personnummer": "191212121212", "samordningsnummer": false,
                "name": "Tolvan Tolvansson",
                "address": {"street": "Storgatan 1", "postal_code": "123 45", "city": "Stad"},
                "email": null, "phone": null
            })
        );
        let back: StoredSubject = serde_json::from_value(json).unwrap();
        assert_eq!(back, stored);
    }

    #[test]
    fn a_stored_subject_without_a_swedish_number_keeps_its_field_names() {
        let json = serde_json::json!({
            "personnummer": null, "samordningsnummer": false,
            "other_identity": {
                "date_of_birth": "1985-04-12", "identifier": "C01X00T47",
                "document_type": "pass", "country": "DE"
            },
            "name": "Erika Mustermann", "address": null, "email": null, "phone": null
        });
        let stored: StoredSubject = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            stored
                .other_identity
                .as_ref()
                .map(|o| o.identifier.as_str()),
            Some("C01X00T47")
        );
        assert_eq!(serde_json::to_value(&stored).unwrap(), json);
    }

    #[test]
    fn a_stored_wait_keeps_its_field_names() {
        let wait = StoredWait {
            from: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            to: None,
        };
        assert_eq!(
            serde_json::to_value(wait).unwrap(),
            serde_json::json!({"from": "2026-03-02", "to": null})
        );
    }
}
