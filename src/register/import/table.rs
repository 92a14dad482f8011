//! Turning the rows under the header into activities.

use super::cells::{clean_cell, split_categories};
use super::error::ImportError;
use super::header_row::{Column, Header};
use super::model::{ParsedActivity, SkippedRow};
use super::row::RawRow;
use super::RegisterField;

/// The activities and skipped rows of one table.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub activities: Vec<ParsedActivity>,
    pub skipped: Vec<SkippedRow>,
    pub unknown_columns: Vec<String>,
}

/// Reads every row after the header.
///
/// - A blank row is skipped without a note: registers use them as spacers.
/// - A row with an empty name cell but other content continues the activity
///   above it as another activity of the same name (in Södertälje's register
///   one activity has two purposes on two rows; in a workbook the name cell
///   is often merged over several rows, which reads the same way). Its other
///   fields are its own, not copied from the row above.
/// - Such a row with no activity above it is skipped with a reason.
/// - A row repeating the header is skipped with a reason, and starts afresh:
///   a nameless row right under it has no activity above it.
pub(crate) fn build_table<I>(header: &Header, rows: I) -> Result<Table, ImportError>
where
    I: Iterator<Item = Result<RawRow, ImportError>>,
{
    let mut table = Table {
        unknown_columns: header.unknown_columns(),
        ..Table::default()
    };
    let mut unnamed_with_values: Vec<usize> = Vec::new();
    let mut last_name: Option<String> = None;
    for row in rows {
        let row = row?;
        let cells: Vec<String> = row.cells.iter().map(|c| clean_cell(c)).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if header.is_repeated_by(&cells) {
            table
                .skipped
                .push(skip(row.line, "row repeats the header row"));
            // A new table starts: a nameless row below it continues nothing.
            last_name = None;
            continue;
        }
        let name = match cells.get(header.name_column).filter(|n| !n.is_empty()) {
            Some(name) => name.clone(),
            None => match &last_name {
                Some(above) => above.clone(),
                None => {
                    table.skipped.push(skip(
                        row.line,
                        "row has no activity name and no activity above it",
                    ));
                    continue;
                }
            },
        };
        let activity = activity(header, row.line, name, cells, &mut unnamed_with_values);
        last_name = Some(activity.name.clone());
        table.activities.push(activity);
    }
    unnamed_with_values.sort_unstable();
    table
        .unknown_columns
        .extend(unnamed_with_values.iter().map(|i| unnamed_title(*i)));
    Ok(table)
}

/// One activity from a row's cleaned cells. Records in `unnamed_with_values`
/// the index of each untitled column that holds a value.
fn activity(
    header: &Header,
    line: usize,
    name: String,
    cells: Vec<String>,
    unnamed_with_values: &mut Vec<usize>,
) -> ParsedActivity {
    let mut activity = ParsedActivity {
        line,
        name,
        ..ParsedActivity::default()
    };
    let width = header.columns.len().max(cells.len());
    let mut cells = cells.into_iter();
    for index in 0..width {
        let value = cells.next().unwrap_or_default();
        match header.columns.get(index).unwrap_or(&Column::Unnamed) {
            Column::Field(field) => set_field(&mut activity, *field, value),
            Column::Extra(title) => activity.extra.push((title.clone(), value)),
            Column::Unnamed if !value.is_empty() => {
                if !unnamed_with_values.contains(&index) {
                    unnamed_with_values.push(index);
                }
                activity.extra.push((unnamed_title(index), value));
            }
            Column::Unnamed => {}
        }
    }
    activity
}

fn set_field(activity: &mut ParsedActivity, field: RegisterField, value: String) {
    match field {
        // The name was settled by the caller (it may come from the row above).
        RegisterField::Name => {}
        RegisterField::Purpose => activity.purpose = value,
        RegisterField::SubjectCategories => activity.subject_categories = split_categories(&value),
        RegisterField::DataCategories => activity.data_categories = split_categories(&value),
        RegisterField::LegalBasis => activity.legal_basis = value,
        RegisterField::Retention => activity.retention = value,
        RegisterField::Recipients => activity.recipients = value,
        RegisterField::Source => activity.source = value,
        RegisterField::ThirdCountryTransfer => activity.third_country_transfer = value,
        RegisterField::System => activity.system = Some(value).filter(|v| !v.is_empty()),
        RegisterField::AutomatedDecisionMaking => {
            activity.automated_decision_making = Some(value).filter(|v| !v.is_empty())
        }
        RegisterField::TransferSafeguards => {
            activity.transfer_safeguards = Some(value).filter(|v| !v.is_empty())
        }
    }
}

/// The name shown for a column without a title, 1-based like a person counts.
fn unnamed_title(index: usize) -> String {
    format!("column {}", index + 1)
}

fn skip(line: usize, reason: &str) -> SkippedRow {
    SkippedRow {
        line,
        reason: reason.to_owned(),
    }
}
