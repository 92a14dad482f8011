//! Small validated values: controller ids and e-mail addresses.

use std::fmt;

/// A controller (nämnd) id: a lowercase slug such as `socialnamnden` or `kommunstyrelsen`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ControllerId(String);

impl ControllerId {
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let ok = !text.is_empty()
            && text.len() <= 64
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && text.as_bytes()[0].is_ascii_lowercase();
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err("a controller id is 1-64 characters a-z, 0-9, `-` or `_`, starting with a letter")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for ControllerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address of plausible shape (`local@domain.tld`); delivery proves the rest.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let text = text.trim();
        let valid = text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && match text.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err("not an e-mail address")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never prints the address (personal data stays out of logs).
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controller_ids() {
        assert!(ControllerId::parse("socialnamnden").is_ok());
        assert!(ControllerId::parse("bygg-och-miljo_2").is_ok());
        for bad in [
            "",
            "Socialnamnden",
            "social nämnden",
            "1abc",
            "-a",
            &"a".repeat(65),
        ] {
            assert!(ControllerId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(Email::parse("anna.andersson@example.se").is_ok());
        assert_eq!(Email::parse("  a@b.se ").unwrap().as_str(), "a@b.se");
        for bad in [
            "", "a", "a@b", "@b.se", "a@@b.se", "a b@c.se", "a@.se", "a@se.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(!format!("{:?}", Email::parse("a@b.se").unwrap()).contains("a@b"));
    }
}
