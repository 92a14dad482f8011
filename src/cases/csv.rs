//! The case list as a file for Excel: UTF-8 with BOM, `;` between fields, Swedish column names,
//! and no personal data (no names, personnummer, addresses or descriptions).

use super::dto::CaseResponse;

const COLUMNS: [&str; 14] = [
    "Ärendenummer",
    "Typ",
    "Kanal",
    "Status",
    "Mottagen",
    "Sista svarsdag",
    "Förlängd till",
    "Justerad frist",
    "Dagar kvar",
    "Försenad",
    "Nämnder",
    "Identitet",
    "Beslutad",
    "Avslutad",
];

/// Quotes a field when Excel would otherwise split or misread it.
fn field(value: &str) -> String {
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The whole file: the header and the rows.
pub fn render(cases: &[CaseResponse]) -> String {
    let mut out = header();
    out.push_str(&rows(cases));
    out
}

/// The byte-order mark Excel needs for UTF-8, and the column names.
pub fn header() -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.join(";"));
    out.push_str("\r\n");
    out
}

/// One line per case.
pub fn rows(cases: &[CaseResponse]) -> String {
    let mut out = String::new();
    for case in cases {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let instant = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| crate::clock::local_date(t).to_string())
                .unwrap_or_default()
        };
        let controllers: Vec<&str> = case.parts.iter().map(|p| p.controller.as_str()).collect();
        let row = [
            case.reference.clone(),
            case.kind.swedish_label().to_owned(),
            case.channel.swedish_label().to_owned(),
            case.status.swedish_label().to_owned(),
            case.received_date.to_string(),
            case.deadline.to_string(),
            date(case.extended_deadline),
            date(case.adjusted_deadline),
            case.days_left.map(|d| d.to_string()).unwrap_or_default(),
            if case.overdue { "ja" } else { "nej" }.to_owned(),
            controllers.join(", "),
            case.identity.status.swedish_label().to_owned(),
            instant(case.decided_at),
            instant(case.closed_at),
        ];
        out.push_str(&row.iter().map(|v| field(v)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quoting() {
        assert_eq!(field("DSAR-2026-00001"), "DSAR-2026-00001");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
