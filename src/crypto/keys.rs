//! The key ring: the data keys by id, which one seals new values, and the index key.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// A data key: 32 bytes for XChaCha20-Poly1305.
pub(super) type DataKey = Zeroizing<[u8; 32]>;

#[derive(Clone)]
pub struct KeyRing {
    current: String,
    keys: Vec<(String, DataKey)>,
    index_key: Zeroizing<Vec<u8>>,
    index_mac: Hmac<Sha256>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("current", &self.current)
            .field(
                "keys",
                &self.keys.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// What is wrong with the encryption settings; names the setting and never a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyRingError {
    #[error("{0}")]
    Invalid(String),
}

fn invalid<T>(message: impl Into<String>) -> Result<T, KeyRingError> {
    Err(KeyRingError::Invalid(message.into()))
}

/// A key id: 1-32 of `a-z`, `0-9`, `-`, `_` (it is written into every sealed value).
fn valid_key_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl KeyRing {
    /// Builds the ring from the entries of `encryption.keys` and the key file
    /// (`<key id>:<base64 key>`, separated by commas, spaces or lines; `#` starts a comment),
    /// `encryption.current` and `encryption.index_key`.
    pub fn new(
        entries: &str,
        current: Option<&str>,
        index_key: Option<&str>,
    ) -> Result<Self, KeyRingError> {
        let mut keys: Vec<(String, DataKey)> = Vec::new();
        for entry in entries
            .lines()
            .map(|line| line.split('#').next().unwrap_or_default())
            .flat_map(|line| line.split([',', ' ', '\t']))
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let Some((id, encoded)) = entry.split_once(':') else {
                return invalid(
                    "an entry of encryption.keys (or the key file) is not `<key id>:<base64 key>`",
                );
            };
            if !valid_key_id(id) {
                return invalid(format!(
                    "encryption key id `{}` must be 1-32 of a-z, 0-9, - and _",
                    id.chars().take(40).collect::<String>()
                ));
            }
            let bytes = Zeroizing::new(STANDARD.decode(encoded).map_err(|_| {
                KeyRingError::Invalid(format!("encryption key `{id}` is not base64"))
            })?);
            let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) else {
                return invalid(format!(
                    "encryption key `{id}` must be 32 bytes (44 base64 characters); \
                     `dsar keys generate` makes one"
                ));
            };
            if keys.iter().any(|(known, _)| known == id) {
                return invalid(format!("encryption key id `{id}` is given twice"));
            }
            keys.push((id.to_owned(), Zeroizing::new(key)));
        }
        if keys.is_empty() {
            return invalid(
                "encryption.keys (or encryption.key_file) holds no key: personal data is sealed at \
                 rest and needs one. Run `dsar keys generate` and set DSAR__ENCRYPTION__KEYS to \
                 its line and DSAR__ENCRYPTION__CURRENT to its id",
            );
        }
        let current = match current.map(str::trim) {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ if keys.len() == 1 => keys[0].0.clone(),
            _ => return invalid(
                "encryption.current is not set: with several keys, name the one that seals new \
                     values",
            ),
        };
        if !keys.iter().any(|(id, _)| *id == current) {
            return invalid(format!(
                "encryption.current is `{current}`, which is not among encryption.keys"
            ));
        }
        let index_key = match index_key.map(str::trim) {
            None | Some("") => {
                return invalid(
                    "encryption.index_key is not set: give DSAR__ENCRYPTION__INDEX_KEY, 32 random \
                     bytes in base64 (`dsar keys generate` makes one). It keys the hash personnummer \
                     are searched by and must never change",
                )
            }
            Some(encoded) => Zeroizing::new(STANDARD.decode(encoded).map_err(|_| {
                KeyRingError::Invalid("encryption.index_key is not base64".into())
            })?),
        };
        if index_key.len() < 32 {
            return invalid("encryption.index_key must be at least 32 bytes");
        }
        let index_mac = Hmac::<Sha256>::new_from_slice(&index_key)
            .map_err(|_| KeyRingError::Invalid("encryption.index_key is unusable".into()))?;
        Ok(Self {
            current,
            keys,
            index_key,
            index_mac,
        })
    }

    pub fn current_id(&self) -> &str {
        &self.current
    }

    pub(super) fn current_key(&self) -> (&str, &DataKey) {
        self.key(&self.current)
            .map(|key| (self.current.as_str(), key))
            .expect("the current key is in the ring (checked when the ring was built)")
    }

    pub(super) fn key(&self, id: &str) -> Option<&DataKey> {
        self.keys
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, k)| k)
    }

    /// Whether any of the ring's keys is one of `keys` (base64), e.g. the repository's
    /// development keys.
    pub fn uses_any_of(&self, data_keys: &[&str], index_keys: &[&str]) -> bool {
        self.keys
            .iter()
            .any(|(_, key)| data_keys.contains(&STANDARD.encode(key.as_slice()).as_str()))
            || index_keys.contains(&STANDARD.encode(self.index_key.as_slice()).as_str())
    }

    pub(super) fn same_keys(&self, other: &KeyRing) -> bool {
        self.current == other.current
            && self.index_key == other.index_key
            && self.keys.len() == other.keys.len()
            && self
                .keys
                .iter()
                .all(|(id, key)| other.key(id).is_some_and(|k| k == key))
    }

    pub(super) fn blind_index(&self, identifier: &str) -> String {
        self.mac(b"identifier", identifier.as_bytes())
    }

    pub(super) fn keyed_digest(&self, bytes: &[u8]) -> String {
        self.mac(b"request", bytes)
    }

    /// HMAC-SHA-256 over a domain label and the message, as hex: one index key, separate
    /// meanings.
    fn mac(&self, domain: &[u8], message: &[u8]) -> String {
        use std::fmt::Write;
        let mut mac = self.index_mac.clone();
        mac.update(domain);
        mac.update(&[0]);
        mac.update(message);
        let digest = mac.finalize().into_bytes();
        let mut hex = String::with_capacity(64);
        for byte in digest {
            let _ = write!(hex, "{byte:02x}");
        }
        hex
    }
}

/// A fresh random key as a line for `encryption.keys`: `<id>:<base64 of 32 bytes>`.
pub fn generate_key_line(id: &str) -> Result<String, KeyRingError> {
    if !valid_key_id(id) {
        return invalid("a key id is 1-32 of a-z, 0-9, - and _");
    }
    let mut key = Zeroizing::new([0u8; 32]);
    use chacha20poly1305::aead::rand_core::RngCore;
    chacha20poly1305::aead::OsRng
        .try_fill_bytes(key.as_mut_slice())
        .map_err(|_| KeyRingError::Invalid("the operating system gave no random bytes".into()))?;
    Ok(format!("{id}:{}", STANDARD.encode(key.as_slice())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings<'a>(
        keys: &'a str,
        current: Option<&'a str>,
        index: &'a str,
    ) -> (&'a str, Option<&'a str>, Option<&'a str>) {
        (keys, current, Some(index))
    }

    fn from_settings(
        (keys, current, index): (&str, Option<&str>, Option<&str>),
    ) -> Result<KeyRing, KeyRingError> {
        KeyRing::new(keys, current, index)
    }

    const K1: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const K2: &str = "HxwdHhsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";

    #[test]
    fn one_key_is_current_by_itself() {
        let ring = from_settings(settings(&format!("a:{K1}"), None, K2)).unwrap();
        assert_eq!(ring.current_id(), "a");
    }

    #[test]
    fn several_keys_need_the_current_named_and_present() {
        let two = format!("a:{K1}, b:{K2}");
        assert!(from_settings(settings(&two, None, K1)).is_err());
        assert!(from_settings(settings(&two, Some("c"), K1)).is_err());
        let ring = from_settings(settings(&two, Some("b"), K1)).unwrap();
        assert_eq!(ring.current_id(), "b");
    }

    #[test]
    fn malformed_entries_are_refused_without_showing_the_key() {
        for keys in [
            "a",
            "A:{K1}",
            "a:not-base64!",
            "a:AAEC",
            &format!("a:{K1} a:{K2}"),
        ] {
            let error = from_settings(settings(keys, None, K2)).unwrap_err();
            assert!(!error.to_string().contains(K1), "{error}");
        }
        assert!(from_settings(settings(&format!("a:{K1}"), None, "c2hvcnQ=")).is_err());
    }

    #[test]
    fn the_index_hash_is_keyed_and_separated_by_meaning() {
        let a = from_settings(settings(&format!("a:{K1}"), None, K1)).unwrap();
        let b = from_settings(settings(&format!("a:{K1}"), None, K2)).unwrap();
        let n = "196408233234";
        assert_eq!(a.blind_index(n), a.blind_index(n));
        assert_ne!(a.blind_index(n), b.blind_index(n));
        assert_ne!(a.blind_index(n), a.keyed_digest(n.as_bytes()));
        assert_eq!(a.blind_index(n).len(), 64);
    }

    #[test]
    fn generated_keys_are_accepted_and_differ() {
        let one = generate_key_line("k-2026").unwrap();
        let two = generate_key_line("k-2026").unwrap();
        assert_ne!(one, two);
        let ring = from_settings(settings(&one, None, K1)).unwrap();
        assert_eq!(ring.current_id(), "k-2026");
        assert!(generate_key_line("Bad Id").is_err());
    }
}
