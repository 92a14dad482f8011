//! Personal data sealed at rest (docs/security.md, "Encryption at rest").
//!
//! Every personal value the service stores (names, addresses, descriptions, findings,
//! extracts, attachments, letters, messages) is sealed with XChaCha20-Poly1305 under the
//! current data key before it reaches the database, tagged with that key's id, and opened
//! with whichever key its tag names. Personnummer and other identifiers the service searches
//! by are stored as a keyed hash (HMAC-SHA-256 under the index key): equal numbers give equal
//! hashes, and nothing in the database gives the number back.
//!
//! The keys live in process memory only. Losing them loses the data: there is no way back
//! from a sealed value without its key.
//!
//! The key ring is process-wide because the column types that seal and open values
//! (`db::stored`) run inside diesel's `ToSql`/`FromSql`, which take no context. It is
//! installed once, when the database is opened ([`install`]); installing the same ring again
//! is allowed (tests build many apps in one process), another ring is refused.

mod keys;
mod seal;

use std::sync::OnceLock;

pub use keys::{generate_key_line, KeyRing, KeyRingError};
pub use seal::{is_sealed_text, sealed_key_id, BINARY_MAGIC, TEXT_PREFIX};

static RING: OnceLock<KeyRing> = OnceLock::new();

/// Why a value could not be sealed or opened. Never holds the value.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("no encryption key ring is installed (the database was not opened through Db::open)")]
    NotInstalled,
    #[error("another encryption key ring is already installed in this process")]
    OtherRingInstalled,
    #[error("the sealed value names key `{0}`, which is not in encryption.keys")]
    UnknownKey(String),
    #[error("a sealed value is malformed")]
    Malformed,
    #[error(
        "a sealed value does not open with its key (altered, or a different key with the same id)"
    )]
    Tampered,
    #[error("a random nonce could not be drawn from the operating system")]
    Random,
}

/// Makes `ring` the process's key ring. Installing an equal ring again is a no-op.
pub fn install(ring: KeyRing) -> Result<(), CryptoError> {
    let installed = RING.get_or_init(|| ring.clone());
    if installed.same_keys(&ring) {
        Ok(())
    } else {
        Err(CryptoError::OtherRingInstalled)
    }
}

fn ring() -> Result<&'static KeyRing, CryptoError> {
    RING.get().ok_or(CryptoError::NotInstalled)
}

/// The installed ring's current key id: what [`seal_text`] tags new values with.
pub fn current_key_id() -> Result<&'static str, CryptoError> {
    Ok(ring()?.current_id())
}

/// Seals `plain` as text: `sealed:v1:<key id>:<base64 of nonce and ciphertext>`.
pub fn seal_text(plain: &str) -> Result<String, CryptoError> {
    seal::seal_text(ring()?, plain.as_bytes())
}

/// Opens a value written by [`seal_text`]. A value without the prefix was written before
/// values were sealed and is returned as it is (`dsar keys rotate` seals such values).
pub fn open_text(stored: String) -> Result<String, CryptoError> {
    if !seal::is_sealed_text(&stored) {
        return Ok(stored);
    }
    let plain = seal::open_text(ring()?, &stored)?;
    String::from_utf8(plain).map_err(|_| CryptoError::Malformed)
}

/// Opens a value written by [`seal_text`] as bytes (JSON is parsed from them without another
/// copy); a value without the prefix is returned as its bytes.
pub fn open_text_bytes(stored: String) -> Result<Vec<u8>, CryptoError> {
    if !seal::is_sealed_text(&stored) {
        return Ok(stored.into_bytes());
    }
    seal::open_text(ring()?, &stored)
}

/// Seals bytes (attachments): a binary envelope starting with [`BINARY_MAGIC`].
pub fn seal_bytes(plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    seal::seal_bytes(ring()?, plain)
}

/// Opens a value written by [`seal_bytes`]; bytes without the envelope are returned as they are.
pub fn open_bytes(stored: Vec<u8>) -> Result<Vec<u8>, CryptoError> {
    if !stored.starts_with(BINARY_MAGIC) {
        return Ok(stored);
    }
    seal::open_bytes(ring()?, &stored)
}

/// The keyed hash an identifier is stored and searched under: 64 lowercase hex digits.
pub fn blind_index(identifier: &str) -> Result<String, CryptoError> {
    Ok(ring()?.blind_index(identifier))
}

/// Whether `stored` is already a keyed hash (not a plaintext identifier written before).
pub fn is_blind_index(stored: &str) -> bool {
    stored.len() == 64
        && stored
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The keyed hash of an idempotent request's canonical body: a plain hash would let anyone
/// with the database confirm a guess of the request (a personnummer is easily guessed).
pub fn keyed_digest(bytes: &[u8]) -> Result<String, CryptoError> {
    Ok(ring()?.keyed_digest(bytes))
}

/// A stored text value sealed anew under the current key (a plaintext value written before
/// sealing is sealed for the first time). For `dsar keys rotate`.
pub fn reseal_text(stored: String) -> Result<String, CryptoError> {
    let plain = zeroize::Zeroizing::new(open_text(stored)?);
    seal_text(&plain)
}

/// A stored file sealed anew under the current key.
pub fn reseal_bytes(stored: Vec<u8>) -> Result<Vec<u8>, CryptoError> {
    let plain = zeroize::Zeroizing::new(open_bytes(stored)?);
    seal_bytes(&plain)
}

/// The start every value sealed under the current key has: `sealed:v1:<id>:` for text; the
/// binary envelope's header for bytes.
pub fn current_text_prefix() -> Result<String, CryptoError> {
    Ok(format!("{TEXT_PREFIX}{}:", current_key_id()?))
}

pub fn current_binary_prefix() -> Result<Vec<u8>, CryptoError> {
    let id = current_key_id()?;
    let mut prefix = BINARY_MAGIC.to_vec();
    prefix.push(u8::try_from(id.len()).map_err(|_| CryptoError::Malformed)?);
    prefix.extend_from_slice(id.as_bytes());
    Ok(prefix)
}
