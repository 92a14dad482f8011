//! How typed values are stored in TEXT columns, the same on both backends:
//!
//! - closed sets (kind, status, outcome, audit action, ...) as their stable `snake_case` code,
//!   through `ToSql`/`FromSql` for each type listed in `stored_as_code!` below; the types derive
//!   only `AsExpression`/`FromSqlRow` naming the SQL type;
//! - structured values as JSON through [`JsonText`], over storage-only types (never the API's
//!   response types, so that renaming a response field cannot break a stored row);
//! - personal data sealed (`crate::crypto`): text through [`SealedText`], JSON through
//!   [`SealedJson`], files through [`SealedBytes`]; identifiers searched by through
//!   [`BlindIndex`], a keyed hash.
//!
//! A stored value that does not decode fails the query with an error that names the type and
//! what was wrong with it, never the value (it may be personal data); the store function that
//! knows the row's id logs it (see [`corrupt_row`]).

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;

use super::schema::sql_types::{KeyedHash, Sealed, SealedBinary};
use diesel::sqlite::Sqlite;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AppError;

type MultiBackend = <super::DbConnection as diesel::Connection>::Backend;

/// A value stored as JSON text.
#[derive(Debug, Clone, PartialEq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct JsonText<T>(pub T);

impl<T> JsonText<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonText<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize + std::fmt::Debug> ToSql<Text, Sqlite> for JsonText<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

impl<T: Serialize + std::fmt::Debug> ToSql<Text, Pg> for JsonText<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        serde_json::to_writer(&mut *out, &self.0)?;
        Ok(IsNull::No)
    }
}

/// The connection over both backends hands the value to the backend the query runs on.
impl<T: Serialize + std::fmt::Debug + Send + Sync + 'static> ToSql<Text, MultiBackend>
    for JsonText<T>
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Text, self));
        Ok(IsNull::No)
    }
}

impl<T, DB> FromSql<Text, DB> for JsonText<T>
where
    T: DeserializeOwned,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        decode_json(&text).map(JsonText)
    }
}

fn decode_json<T: DeserializeOwned>(text: &str) -> deserialize::Result<T> {
    decode_json_bytes(text.as_bytes())
}

fn decode_json_bytes<T: DeserializeOwned>(json: &[u8]) -> deserialize::Result<T> {
    serde_json::from_slice(json).map_err(|e| {
        // serde's message can quote the offending value: keep only where and what kind.
        format!(
            "stored {} does not decode: {:?} error at line {} column {}",
            std::any::type_name::<T>(),
            e.classify(),
            e.line(),
            e.column()
        )
        .into()
    })
}

// The connection over both backends knows the built-in types; these are TEXT and BLOB under
// other names (see `schema::sql_types`).
macro_rules! multi_backend_knows {
    ($($ty:ty),+) => {$(
        impl diesel::sql_types::HasSqlType<$ty> for MultiBackend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                MultiBackend::lookup_sql_type::<$ty>(lookup)
            }
        }
    )+};
}

multi_backend_knows!(Sealed, SealedBinary, KeyedHash);

/// Text sealed at rest: written as `sealed:v1:...`, read back as the plain text.
#[derive(Clone, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Sealed)]
pub struct SealedText(pub String);

impl SealedText {
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl From<String> for SealedText {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SealedText {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl std::ops::Deref for SealedText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// The text itself, for where it is shown (a letter, a page); `Debug` never shows it.
impl std::fmt::Display for SealedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Personal data: never printed, not even in a `Debug` of its row.
impl std::fmt::Debug for SealedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedText(<{} bytes>)", self.0.len())
    }
}

fn sealing_failed(e: crate::crypto::CryptoError) -> Box<dyn std::error::Error + Send + Sync> {
    Box::new(e)
}

impl ToSql<Sealed, Sqlite> for SealedText {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(crate::crypto::seal_text(&self.0).map_err(sealing_failed)?);
        Ok(IsNull::No)
    }
}

impl ToSql<Sealed, Pg> for SealedText {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        use std::io::Write;
        let sealed = crate::crypto::seal_text(&self.0).map_err(sealing_failed)?;
        out.write_all(sealed.as_bytes())?;
        Ok(IsNull::No)
    }
}

impl ToSql<Sealed, MultiBackend> for SealedText {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Sealed, self));
        Ok(IsNull::No)
    }
}

impl<DB> FromSql<Sealed, DB> for SealedText
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let stored = String::from_sql(bytes)?;
        crate::crypto::open_text(stored)
            .map(SealedText)
            .map_err(sealing_failed)
    }
}

/// A value stored as JSON and sealed at rest.
#[derive(Clone, PartialEq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Sealed)]
pub struct SealedJson<T>(pub T);

impl<T> SealedJson<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for SealedJson<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::fmt::Debug for SealedJson<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedJson<{}>(..)", std::any::type_name::<T>())
    }
}

fn seal_json<T: Serialize>(value: &T) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let json = zeroize::Zeroizing::new(serde_json::to_string(value)?);
    crate::crypto::seal_text(&json).map_err(sealing_failed)
}

impl<T: Serialize> ToSql<Sealed, Sqlite> for SealedJson<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(seal_json(&self.0)?);
        Ok(IsNull::No)
    }
}

impl<T: Serialize> ToSql<Sealed, Pg> for SealedJson<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        use std::io::Write;
        out.write_all(seal_json(&self.0)?.as_bytes())?;
        Ok(IsNull::No)
    }
}

impl<T: Serialize + Send + Sync + 'static> ToSql<Sealed, MultiBackend> for SealedJson<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Sealed, self));
        Ok(IsNull::No)
    }
}

impl<T, DB> FromSql<Sealed, DB> for SealedJson<T>
where
    T: DeserializeOwned,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let stored = String::from_sql(bytes)?;
        let json = zeroize::Zeroizing::new(
            crate::crypto::open_text_bytes(stored).map_err(sealing_failed)?,
        );
        decode_json_bytes(&json).map(SealedJson)
    }
}

/// A file sealed at rest (attachments).
#[derive(Clone, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = SealedBinary)]
pub struct SealedBytes(pub Vec<u8>);

impl SealedBytes {
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl std::fmt::Debug for SealedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedBytes(<{} bytes>)", self.0.len())
    }
}

impl ToSql<SealedBinary, Sqlite> for SealedBytes {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(crate::crypto::seal_bytes(&self.0).map_err(sealing_failed)?);
        Ok(IsNull::No)
    }
}

impl ToSql<SealedBinary, Pg> for SealedBytes {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        use std::io::Write;
        out.write_all(&crate::crypto::seal_bytes(&self.0).map_err(sealing_failed)?)?;
        Ok(IsNull::No)
    }
}

impl ToSql<SealedBinary, MultiBackend> for SealedBytes {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((SealedBinary, self));
        Ok(IsNull::No)
    }
}

impl<DB> FromSql<SealedBinary, DB> for SealedBytes
where
    DB: Backend,
    Vec<u8>: FromSql<diesel::sql_types::Binary, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let stored = Vec::<u8>::from_sql(bytes)?;
        crate::crypto::open_bytes(stored)
            .map(SealedBytes)
            .map_err(sealing_failed)
    }
}

/// An identifier as it is stored and searched: its keyed hash (`crypto::blind_index`), never
/// the identifier itself. Built from the plain identifier with [`BlindIndex::of`].
#[derive(Clone, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = KeyedHash)]
pub struct BlindIndex(String);

impl BlindIndex {
    /// The stored form of `identifier` (a normalized personnummer, or `other:...`).
    pub fn of(identifier: &str) -> Result<Self, AppError> {
        crate::crypto::blind_index(identifier)
            .map(Self)
            .map_err(AppError::internal)
    }

    /// The keyed hash of an idempotent request's canonical body (`crypto::keyed_digest`).
    pub fn of_request(canonical_body: &[u8]) -> Result<Self, AppError> {
        crate::crypto::keyed_digest(canonical_body)
            .map(Self)
            .map_err(AppError::internal)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindIndex(..)")
    }
}

impl<DB> ToSql<KeyedHash, DB> for BlindIndex
where
    DB: Backend,
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <str as ToSql<Text, DB>>::to_sql(self.0.as_str(), out)
    }
}

impl<DB> FromSql<KeyedHash, DB> for BlindIndex
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        String::from_sql(bytes).map(Self)
    }
}

/// A stored code that names no value of its type.
fn unknown_code<T>(code: &str) -> Box<dyn std::error::Error + Send + Sync> {
    // Codes are the service's own vocabulary, not personal data, but a corrupted column could
    // hold anything: show at most its length.
    format!(
        "stored {} is not a known code ({} bytes)",
        std::any::type_name::<T>(),
        code.len()
    )
    .into()
}

/// Stores each listed type as the code its `as_str` gives and reads it back with `parse`.
macro_rules! stored_as_code {
    ($($ty:ty),+ $(,)?) => {$(
        impl<DB> ToSql<Text, DB> for $ty
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> FromSql<Text, DB> for $ty
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let code = String::from_sql(bytes)?;
                <$ty>::parse(&code).ok_or_else(|| unknown_code::<$ty>(&code))
            }
        }
    )+};
}

stored_as_code!(
    crate::domain::case::CaseKind,
    crate::domain::case::ControllerKind,
    crate::domain::case::Channel,
    crate::domain::case::CaseStatus,
    crate::domain::case::IdentityStatus,
    crate::domain::case::IdentityMethod,
    crate::domain::case::DeliveryMethod,
    crate::domain::case::PartStatus,
    crate::domain::decision::Outcome,
    crate::domain::appeal::AppealStatus,
    crate::domain::appeal::NotifiedFrom,
    crate::print_queue::ReceiptEvidence,
    crate::print_queue::LetterStatus,
    crate::domain::decision::NotApplicableBecause,
    crate::domain::retention::RetentionClass,
    crate::audit::AuditAction,
    crate::extract::Secrecy,
    crate::notify::Template,
    crate::notify::DeliveryStatus,
    crate::notify::Audience,
    crate::retention::PurgeAction,
);

/// The error of a row that does not decode, logged with the row's id and nothing else of it.
pub fn corrupt_row<'a>(
    table: &'static str,
    id: &'a str,
) -> impl FnOnce(diesel::result::Error) -> AppError + 'a {
    move |error| {
        if let diesel::result::Error::DeserializationError(cause) = &error {
            tracing::error!(table, id, error = %cause, "a stored row does not decode");
        }
        AppError::from(error)
    }
}

/// Serializes a sealed text field of a view as its plain text.
pub fn serialize_sealed_text<S: serde::Serializer>(
    value: &SealedText,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value)
}
