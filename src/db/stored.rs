//! How typed values are stored in TEXT columns, the same on both backends:
//!
//! - closed sets (kind, status, outcome, audit action, ...) as their stable `snake_case` code,
//!   through `ToSql`/`FromSql` for each type listed in `stored_as_code!` below; the types derive
//!   only `AsExpression`/`FromSqlRow` naming the SQL type;
//! - structured values as JSON through [`JsonText`], over storage-only types (never the API's
//!   response types, so that renaming a response field cannot break a stored row).
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
        serde_json::from_str(&text).map(JsonText).map_err(|e| {
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
