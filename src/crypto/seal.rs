//! The sealed formats. A fresh random 24-byte nonce per value (XChaCha20's nonce is long
//! enough that random nonces never repeat in practice); the key id is authenticated as
//! associated data, so a value cannot be passed off as sealed under another key.
//!
//! - text: `sealed:v1:<key id>:<base64 (no padding) of nonce ‖ ciphertext ‖ tag>`
//! - bytes: [`BINARY_MAGIC`], one byte of key id length, the key id, nonce, ciphertext, tag

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{AeadInPlace, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use super::keys::{DataKey, KeyRing};
use super::CryptoError;

pub const TEXT_PREFIX: &str = "sealed:v1:";
pub const BINARY_MAGIC: &[u8] = b"\xd5DSAR-SEALED-1\x00";
const NONCE_LEN: usize = 24;

fn cipher(key: &DataKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.as_slice().into())
}

/// nonce ‖ ciphertext ‖ tag of `plain` under the ring's current key, and that key's id.
fn seal_raw<'r>(ring: &'r KeyRing, plain: &[u8]) -> Result<(&'r str, Vec<u8>), CryptoError> {
    let (id, key) = ring.current_key();
    let mut nonce = [0u8; NONCE_LEN];
    OsRng
        .try_fill_bytes(&mut nonce)
        .map_err(|_| CryptoError::Random)?;
    let mut out = Vec::with_capacity(NONCE_LEN + plain.len() + 16);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plain);
    let tag = cipher(key)
        .encrypt_in_place_detached(&XNonce::from(nonce), id.as_bytes(), &mut out[NONCE_LEN..])
        .map_err(|_| CryptoError::Malformed)?;
    out.extend_from_slice(&tag);
    Ok((id, out))
}

/// Opens nonce ‖ ciphertext ‖ tag in place: `body` becomes the plaintext.
fn open_raw(ring: &KeyRing, id: &str, body: &mut Vec<u8>) -> Result<(), CryptoError> {
    let key = ring
        .key(id)
        .ok_or_else(|| CryptoError::UnknownKey(id.to_owned()))?;
    if body.len() < NONCE_LEN + 16 {
        return Err(CryptoError::Malformed);
    }
    let nonce: [u8; NONCE_LEN] = body[..NONCE_LEN]
        .try_into()
        .map_err(|_| CryptoError::Malformed)?;
    body.drain(..NONCE_LEN);
    cipher(key)
        .decrypt_in_place(&XNonce::from(nonce), id.as_bytes(), body)
        .map_err(|_| CryptoError::Tampered)
}

pub fn is_sealed_text(stored: &str) -> bool {
    stored.starts_with(TEXT_PREFIX)
}

/// The key id a sealed value (text or bytes) names; `None` for a value not sealed.
pub fn sealed_key_id(stored: &[u8]) -> Option<&str> {
    if let Some(rest) = stored.strip_prefix(TEXT_PREFIX.as_bytes()) {
        let end = rest.iter().position(|&b| b == b':')?;
        return std::str::from_utf8(&rest[..end]).ok();
    }
    let rest = stored.strip_prefix(BINARY_MAGIC)?;
    let (&len, rest) = rest.split_first()?;
    std::str::from_utf8(rest.get(..usize::from(len))?).ok()
}

pub(super) fn seal_text(ring: &KeyRing, plain: &[u8]) -> Result<String, CryptoError> {
    let (id, body) = seal_raw(ring, plain)?;
    let mut out = String::with_capacity(TEXT_PREFIX.len() + id.len() + 1 + body.len() * 4 / 3 + 4);
    out.push_str(TEXT_PREFIX);
    out.push_str(id);
    out.push(':');
    STANDARD_NO_PAD.encode_string(&body, &mut out);
    Ok(out)
}

pub(super) fn open_text(ring: &KeyRing, stored: &str) -> Result<Vec<u8>, CryptoError> {
    let rest = stored
        .strip_prefix(TEXT_PREFIX)
        .ok_or(CryptoError::Malformed)?;
    let (id, encoded) = rest.split_once(':').ok_or(CryptoError::Malformed)?;
    let mut body = STANDARD_NO_PAD
        .decode(encoded)
        .map_err(|_| CryptoError::Malformed)?;
    open_raw(ring, id, &mut body)?;
    Ok(body)
}

pub(super) fn seal_bytes(ring: &KeyRing, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let (id, body) = seal_raw(ring, plain)?;
    let mut out = Vec::with_capacity(BINARY_MAGIC.len() + 1 + id.len() + body.len());
    out.extend_from_slice(BINARY_MAGIC);
    out.push(u8::try_from(id.len()).map_err(|_| CryptoError::Malformed)?);
    out.extend_from_slice(id.as_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

pub(super) fn open_bytes(ring: &KeyRing, stored: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let id = sealed_key_id(stored).ok_or(CryptoError::Malformed)?;
    let mut body = stored[BINARY_MAGIC.len() + 1 + id.len()..].to_vec();
    open_raw(ring, id, &mut body)?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const K2: &str = "HxwdHhsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";

    fn ring(keys: &str, current: &str) -> KeyRing {
        KeyRing::new(keys, Some(current), Some(K1)).unwrap()
    }

    #[test]
    fn text_round_trips_and_hides_the_value() {
        let ring = ring(&format!("k1:{K1}"), "k1");
        let plain = "Tolvan Tolvansson, Storgatan 1, 19121212-1212";
        let sealed = seal_text(&ring, plain.as_bytes()).unwrap();
        assert!(sealed.starts_with("sealed:v1:k1:"));
        assert!(!sealed.contains("Tolvan") && !sealed.contains("1212"));
        assert_eq!(open_text(&ring, &sealed).unwrap(), plain.as_bytes());
        assert_eq!(sealed_key_id(sealed.as_bytes()), Some("k1"));
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        let ring = ring(&format!("k1:{K1}"), "k1");
        assert_ne!(
            seal_text(&ring, b"same").unwrap(),
            seal_text(&ring, b"same").unwrap()
        );
    }

    #[test]
    fn bytes_round_trip() {
        let ring = ring(&format!("k1:{K1}"), "k1");
        let plain = b"%PDF-1.7 \x00\x01\x02 binary".to_vec();
        let sealed = seal_bytes(&ring, &plain).unwrap();
        assert!(sealed.starts_with(BINARY_MAGIC));
        assert_eq!(sealed_key_id(&sealed), Some("k1"));
        assert_eq!(open_bytes(&ring, &sealed).unwrap(), plain);
    }

    #[test]
    fn an_old_key_still_opens_after_the_current_changed() {
        let old = ring(&format!("k1:{K1}"), "k1");
        let sealed = seal_text(&old, b"before rotation").unwrap();
        let rotated = ring(&format!("k1:{K1} k2:{K2}"), "k2");
        assert_eq!(open_text(&rotated, &sealed).unwrap(), b"before rotation");
        let new = seal_text(&rotated, b"after").unwrap();
        assert_eq!(sealed_key_id(new.as_bytes()), Some("k2"));
        let without_old = ring(&format!("k2:{K2}"), "k2");
        assert!(matches!(
            open_text(&without_old, &sealed),
            Err(CryptoError::UnknownKey(id)) if id == "k1"
        ));
    }

    #[test]
    fn altered_values_and_relabelled_keys_do_not_open() {
        let ring = ring(&format!("k1:{K1} k2:{K1}"), "k1");
        let sealed = seal_text(&ring, b"value").unwrap();
        let mut flipped = sealed.clone().into_bytes();
        let last = flipped.len() - 2;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert!(open_text(&ring, std::str::from_utf8(&flipped).unwrap()).is_err());
        // Same key bytes under another id: the id is authenticated, so this fails.
        let relabelled = sealed.replacen("sealed:v1:k1:", "sealed:v1:k2:", 1);
        assert!(matches!(
            open_text(&ring, &relabelled),
            Err(CryptoError::Tampered)
        ));
        assert!(matches!(
            open_text(&ring, "sealed:v1:k1:@@"),
            Err(CryptoError::Malformed)
        ));
        assert!(open_bytes(&ring, BINARY_MAGIC).is_err());
    }
}
