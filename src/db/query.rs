//! Two query shapes that keep SQLite's prepared statements reusable on the hottest reads (the
//! case list). Both render plain SQL that PostgreSQL runs as it is.
//!
//! - SQLite (3.50, on a database with `ANALYZE` statistics) looked at the value bound to
//!   `LIMIT ?` when it planned the list, so every new binding expired the statement and the next
//!   step prepared it again: for the 47 columns of a case that cost more than reading the rows.
//!   `literal_limit` writes the number into the SQL, so nothing depends on a binding.
//! - diesel's `eq_any` over a list renders `IN (?, ?, ...)` with one placeholder per value and
//!   marks the statement as not cacheable, so every page prepares a new one. `id_in` pads the
//!   list to a power of two (repeating the last id, which changes no result) and leaves it
//!   cacheable: a page of any size reuses one of a handful of statements.

use diesel::backend::Backend;
use diesel::expression::ValidGrouping;
use diesel::expression::{is_aggregate, AppearsOnTable, Expression, SelectableExpression};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Bool, HasSqlType, Text};
use diesel::{QueryResult, RunQueryDsl};

/// `query LIMIT n` with `n` written into the SQL (see the module comment).
pub fn literal_limit<Q>(query: Q, limit: i64) -> LiteralLimit<Q> {
    LiteralLimit { query, limit }
}

#[derive(Debug, Clone)]
pub struct LiteralLimit<Q> {
    query: Q,
    limit: i64,
}

impl<Q: Query> Query for LiteralLimit<Q> {
    type SqlType = Q::SqlType;
}

impl<Q> QueryId for LiteralLimit<Q> {
    type QueryId = ();
    // The SQL text (which holds the number) is the cache key.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, DB> QueryFragment<DB> for LiteralLimit<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(&format!(" LIMIT {}", self.limit));
        Ok(())
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for LiteralLimit<Q> {}

/// `column IN (ids)`, padded so that its statement can be cached (see the module comment).
pub fn id_in<C>(column: C, ids: impl IntoIterator<Item = impl Into<String>>) -> IdIn<C> {
    let mut ids: Vec<String> = ids.into_iter().map(Into::into).collect();
    if let Some(last) = ids.last().cloned() {
        ids.resize(ids.len().next_power_of_two(), last);
    }
    IdIn { column, ids }
}

#[derive(Debug, Clone)]
pub struct IdIn<C> {
    column: C,
    ids: Vec<String>,
}

impl<C: Expression<SqlType = Text>> Expression for IdIn<C> {
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for IdIn<C> where C: AppearsOnTable<QS> + Expression<SqlType = Text> {}

impl<C, QS> SelectableExpression<QS> for IdIn<C> where
    C: SelectableExpression<QS> + Expression<SqlType = Text>
{
}

impl<C> ValidGrouping<()> for IdIn<C> {
    type IsAggregate = is_aggregate::Never;
}

impl<C> QueryId for IdIn<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, DB> QueryFragment<DB> for IdIn<C>
where
    DB: Backend + HasSqlType<Text>,
    C: QueryFragment<DB>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if self.ids.is_empty() {
            out.push_sql("1 = 0");
            return Ok(());
        }
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (i, id) in self.ids.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<Text, String>(id)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_list_is_padded_to_a_power_of_two_with_its_last_id() {
        let padded = id_in((), ["a", "b", "c"]);
        assert_eq!(padded.ids, ["a", "b", "c", "c"]);
        assert_eq!(id_in((), ["a"]).ids, ["a"]);
        assert!(id_in((), Vec::<String>::new()).ids.is_empty());
        assert_eq!(id_in((), (0..51).map(|i| i.to_string())).ids.len(), 64);
    }
}
