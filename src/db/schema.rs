//! The tables, written by hand to match both migration folders. Only types both backends share:
//! TEXT for ids, enums and JSON; TIMESTAMP holding UTC; DATE for calendar dates.

/// The column types of sealed personal data and keyed hashes. TEXT (or BLOB/BYTEA) on both
/// backends like any other, but distinct to the compiler: only the types of `db::stored` that
/// seal, open or hash can be written to or read from these columns, so no code path can store
/// a personal value in clear or read a sealed one as if it were plain.
pub mod sql_types {
    /// Text sealed with `crypto::seal_text` (`db::stored::SealedText`, `SealedJson`).
    #[derive(
        Debug, Clone, Copy, Default, diesel::query_builder::QueryId, diesel::sql_types::SqlType,
    )]
    #[diesel(postgres_type(oid = 25, array_oid = 1009))]
    #[diesel(sqlite_type(name = "Text"))]
    pub struct Sealed;

    /// Bytes sealed with `crypto::seal_bytes` (`db::stored::SealedBytes`).
    #[derive(
        Debug, Clone, Copy, Default, diesel::query_builder::QueryId, diesel::sql_types::SqlType,
    )]
    #[diesel(postgres_type(oid = 17, array_oid = 1001))]
    #[diesel(sqlite_type(name = "Binary"))]
    pub struct SealedBinary;

    /// An identifier's keyed hash (`db::stored::BlindIndex`), or a request's.
    #[derive(
        Debug, Clone, Copy, Default, diesel::query_builder::QueryId, diesel::sql_types::SqlType,
    )]
    #[diesel(postgres_type(oid = 25, array_oid = 1009))]
    #[diesel(sqlite_type(name = "Text"))]
    pub struct KeyedHash;
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    appeals (id) {
        id -> Text,
        case_id -> Text,
        controller_id -> Text,
        received_on -> Date,
        notified_on -> Nullable<Date>,
        last_day -> Nullable<Date>,
        in_time -> Bool,
        status -> Text,
        forwarded_on -> Nullable<Date>,
        court -> Nullable<Text>,
        documents -> Sealed,
        created_at -> Timestamp,
        created_by -> Text,
        updated_at -> Timestamp,
        notified_from -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    letters (id) {
        id -> Text,
        case_id -> Text,
        controller_id -> Nullable<Text>,
        template -> Text,
        recipient -> Sealed,
        params -> Sealed,
        status -> Text,
        created_at -> Timestamp,
        posted_on -> Nullable<Date>,
        registered_number -> Nullable<Text>,
        posted_by -> Nullable<Text>,
        notified_on -> Nullable<Date>,
        notified_evidence -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    restrictions (id) {
        id -> Text,
        case_id -> Text,
        controller_id -> Text,
        activity_id -> Text,
        activity_name -> Text,
        started_on -> Date,
        reason -> Sealed,
        interim -> Bool,
        lift_notified_on -> Nullable<Date>,
        lift_on -> Nullable<Date>,
        lifted_on -> Nullable<Date>,
        created_at -> Timestamp,
        created_by -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    superseded_decisions (id) {
        id -> Text,
        case_id -> Text,
        controller_id -> Text,
        outcome -> Text,
        reasons -> Nullable<Sealed>,
        text_sv -> Sealed,
        decided_at -> Timestamp,
        decided_by -> Text,
        superseded_at -> Timestamp,
        appeal_id -> Text,
    }
}

diesel::table! {
    controllers (id) {
        id -> Text,
        name -> Text,
        email -> Nullable<Text>,
        dpo_email -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        kind -> Text,
        postal_address -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::{KeyedHash, Sealed};

    cases (id) {
        id -> Text,
        reference -> Text,
        kind -> Text,
        channel -> Text,
        status -> Text,
        received_at -> Timestamp,
        received_date -> Date,
        deadline -> Date,
        extended_deadline -> Nullable<Date>,
        effective_deadline -> Date,
        subject_personnummer -> KeyedHash,
        subject -> Sealed,
        representative_personnummer -> Nullable<KeyedHash>,
        representative -> Nullable<Sealed>,
        identity_status -> Text,
        identity_method -> Nullable<Text>,
        identity_assurance -> Nullable<Text>,
        identity_verified_at -> Nullable<Timestamp>,
        identity_verified_by -> Nullable<Text>,
        subject_categories -> Text,
        description -> Nullable<Sealed>,
        created_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        representative_verified_at -> Nullable<Timestamp>,
        representative_verified_by -> Nullable<Text>,
        representative_identity_method -> Nullable<Text>,
        identity_waits -> Text,
        extension_reason -> Nullable<Sealed>,
        extended_at -> Nullable<Timestamp>,
        extended_by -> Nullable<Text>,
        extension_notice_id -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decided_on_time -> Nullable<Bool>,
        delivery_method -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        adjusted_deadline -> Date,
        days_to_decision -> Nullable<Integer>,
        received_month -> Text,
        reduced_at -> Nullable<Timestamp>,
        details_purged_at -> Nullable<Timestamp>,
        protected_identity -> Bool,
        diarienummer -> Nullable<Text>,
        direct_marketing -> Bool,
    }
}

diesel::table! {
    case_parts (case_id, controller_id) {
        case_id -> Text,
        controller_id -> Text,
        status -> Text,
        handler -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        handler_name -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    case_events (id) {
        id -> BigInt,
        case_id -> Text,
        at -> Timestamp,
        actor -> Text,
        roles -> Text,
        event -> Text,
        data -> Sealed,
    }
}

diesel::table! {
    reference_counters (year) {
        year -> Integer,
        last_number -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::KeyedHash;

    idempotency_keys (actor, key) {
        actor -> Text,
        key -> Text,
        request_hash -> KeyedHash,
        case_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor -> Text,
        roles -> Text,
        action -> Text,
        case_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        case_ids -> Nullable<Text>,
        detail -> Nullable<Sealed>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    decisions (case_id, controller_id) {
        case_id -> Text,
        controller_id -> Text,
        outcome -> Text,
        reasons -> Nullable<Sealed>,
        recipients_notified -> Text,
        recipients_not_notified_reason -> Nullable<Sealed>,
        text_sv -> Sealed,
        decided_at -> Timestamp,
        decided_by -> Text,
        legal_grounds -> Text,
        decision_maker_name -> Nullable<Text>,
        decision_maker_title -> Nullable<Text>,
        delegation -> Nullable<Text>,
        fee_sek -> Nullable<Integer>,
        forwarded_to -> Nullable<Text>,
        forwarded_on -> Nullable<Date>,
        not_applicable_because -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    outbox (id) {
        id -> Text,
        case_id -> Nullable<Text>,
        template -> Text,
        recipient -> Sealed,
        params -> Sealed,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        audience -> Text,
    }
}

diesel::table! {
    case_notices (case_id, notice) {
        case_id -> Text,
        notice -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    digests (day) {
        day -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_leases (name) {
        name -> Text,
        holder -> Text,
        until -> Timestamp,
    }
}

diesel::table! {
    case_statistics (id) {
        id -> Text,
        kind -> Text,
        controllers -> Text,
        received_date -> Date,
        decided_date -> Nullable<Date>,
        on_time -> Nullable<Bool>,
        purged_at -> Timestamp,
    }
}

diesel::table! {
    purge_log (id) {
        id -> BigInt,
        run_at -> Timestamp,
        class -> Text,
        reference -> Text,
        counted_from -> Date,
        action -> Text,
    }
}

diesel::table! {
    case_counts (dimension, key, shard) {
        dimension -> Text,
        key -> Text,
        shard -> Integer,
        n -> BigInt,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        controller_id -> Text,
        position -> Integer,
        name -> Text,
        purpose -> Text,
        subject_categories -> Text,
        data_categories -> Text,
        legal_basis -> Text,
        retention -> Text,
        recipients -> Text,
        source -> Text,
        third_country_transfer -> Text,
        system -> Nullable<Text>,
        extra -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        automated_decision_making -> Nullable<Text>,
        transfer_safeguards -> Nullable<Text>,
    }
}

diesel::table! {
    register_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    findings (case_id, activity_id) {
        case_id -> Text,
        activity_id -> Text,
        controller_id -> Text,
        found -> Bool,
        data -> Nullable<Sealed>,
        secrecy -> Text,
        secrecy_reference -> Nullable<Text>,
        guardian_secrecy_considered -> Bool,
        activity -> Text,
        reviewed_by -> Text,
        reviewed_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Sealed;

    extracts (case_id) {
        case_id -> Text,
        content -> Sealed,
        compiled_at -> Timestamp,
        compiled_by -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::{Sealed, SealedBinary};

    finding_attachments (id) {
        id -> Text,
        case_id -> Text,
        activity_id -> Text,
        controller_id -> Text,
        file_name -> Sealed,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> SealedBinary,
        created_at -> Timestamp,
        created_by -> Text,
    }
}

diesel::joinable!(case_parts -> cases (case_id));
diesel::joinable!(decisions -> cases (case_id));
diesel::joinable!(outbox -> cases (case_id));
diesel::joinable!(case_parts -> controllers (controller_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(appeals -> cases (case_id));
diesel::joinable!(letters -> cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(
    appeals,
    finding_attachments,
    superseded_decisions,
    restrictions,
    letters,
    controllers,
    cases,
    case_parts,
    case_events,
    reference_counters,
    idempotency_keys,
    audit_log,
    decisions,
    outbox,
    case_counts,
    case_notices,
    digests,
    job_leases,
    case_statistics,
    purge_log,
    activities,
    register_version,
    findings,
    extracts,
);
