//! Import of the register of processing activities, from Södertälje's
//! published register and from the same table saved the ways municipalities
//! save it (CSV from Swedish Excel, UTF-8 CSV, a workbook).

use std::time::{Duration, Instant};

use dsar::register::import::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/000_a65a8098ee30a96a.txt"
);
const BILDBANK: &str = "Bildbank för kommunens kommunikations-material";
const HEADER: [&str; 9] = [
    "Behandlingsaktivitet",
    "Ändamål med behandlingen",
    "Kategorier av registrerade",
    "Kategorier av personuppgifter",
    "Rättslig grund",
    "Lagringstid",
    "Mottagare",
    "Källa som personuppgifter samlas in från",
    "Överföring tredje land",
];
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// ---------------------------------------------------------------- helpers

fn seed_bytes() -> Vec<u8> {
    std::fs::read(SEED).expect("the seed register is in tests/data")
}

fn seed() -> ParsedRegister {
    parse_register(
        &seed_bytes(),
        Some("text/plain"),
        Some("registerforteckning.txt"),
    )
    .expect("the seed imports")
}

/// The seed's lines split into cells, title and blank lines included.
fn seed_table() -> Vec<Vec<String>> {
    String::from_utf8(seed_bytes())
        .unwrap()
        .lines()
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Index into `seed_table()` of the first activity row ("Planera, leda ...").
const FIRST_ACTIVITY_ROW: usize = 5;

/// The table the derived fixtures are written from: the seed with a line
/// break in the first activity's purpose (CRLF, as a Windows clipboard gives
/// it) and quotes in one recipients cell, to exercise quoting.
fn fixture_table() -> Vec<Vec<String>> {
    let mut table = seed_table();
    let first = &mut table[FIRST_ACTIVITY_ROW];
    assert!(first[0].starts_with("Planera"));
    first[1] = first[1].replacen(". ", ".\r\n", 1);
    let valinformation = &mut table[FIRST_ACTIVITY_ROW + 4];
    assert_eq!(valinformation[0], "Hantera valinformation");
    valinformation[6] = valinformation[6].replace("utskick", "\"utskick\"");
    table
}

/// What every fixture from `fixture_table()` must import as, lines aside.
fn fixture_expected() -> Vec<ParsedActivity> {
    let mut activities = without_lines(seed().activities);
    activities[0].purpose = activities[0].purpose.replacen(". ", ".\n", 1);
    activities[4].recipients = activities[4].recipients.replace("utskick", "\"utskick\"");
    activities
}

fn without_lines(mut activities: Vec<ParsedActivity>) -> Vec<ParsedActivity> {
    for activity in &mut activities {
        activity.line = 0;
    }
    activities
}

fn lines(register: &ParsedRegister) -> Vec<usize> {
    register.activities.iter().map(|a| a.line).collect()
}

/// A table as Excel writes delimited text: cells holding the delimiter, a
/// quote or a line break quoted, quotes doubled.
fn to_delimited(table: &[Vec<String>], delimiter: char, line_end: &str, pad_to: usize) -> String {
    let mut out = String::new();
    for row in table {
        let mut cells: Vec<String> = row.iter().map(|cell| quote(cell, delimiter)).collect();
        cells.resize(cells.len().max(pad_to), String::new());
        out.push_str(&cells.join(&delimiter.to_string()));
        out.push_str(line_end);
    }
    out
}

fn quote(cell: &str, delimiter: char) -> String {
    if cell.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

fn xlsx_with_sheets(sheets: &[(&str, &[Vec<String>])]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, cell).unwrap();
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| l.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn refusal(bytes: &[u8], content_type: Option<&str>, file_name: Option<&str>) -> ImportError {
    parse_register(bytes, content_type, file_name).expect_err("the file must be refused")
}

fn activity_named<'a>(register: &'a ParsedRegister, name: &str) -> &'a ParsedActivity {
    register
        .activities
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no activity {name}"))
}

// ---------------------------------------------------------------- the seed

#[test]
fn seed_gives_exactly_twenty_activities_in_file_order() {
    let register = seed();
    let names: Vec<&str> = register
        .activities
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Planera, leda och styra verksamheten",
            "Utföra tillsyn, revision",
            "Handlägga ärenden (beslutsfattande)",
            "Upphandla/avropa, köpa in, beställa",
            "Hantera valinformation",
            "Administrera ekonomi",
            "Administrera förtroendevalda samt sammanträdes-hantering",
            "Hantera handlingar",
            "Administration av leveranser till arkiv",
            "Bedriva kommunikation",
            BILDBANK,
            BILDBANK,
            "Förvalta IT och teknisk kommunikation",
            "Erbjuda borgerlig vigsel",
            "Ärendehantering i Kontaktcenter",
            "Hantera medborgarförslag",
            "Hantera synpunkter och klagomål",
            "Hantering av färdtjänst",
            "Hantera begäran enligt GDPR",
            "Hantera tillgänglighet till kommunens lokaler",
        ]
    );
}

#[test]
fn seed_metadata_lines_and_nothing_skipped() {
    let register = seed();
    assert_eq!(register.format, SourceFormat::Tsv);
    assert_eq!(register.header_line, 5);
    assert!(register.skipped.is_empty(), "{:?}", register.skipped);
    assert!(register.unknown_columns.is_empty());
    // Line 21 is blank; line 17 is the continuation row.
    let expected: Vec<usize> = (6..=20).chain(22..=26).collect();
    assert_eq!(lines(&register), expected);
    for activity in &register.activities {
        assert_eq!(activity.system, None);
        assert!(activity.extra.is_empty());
    }
}

#[test]
fn seed_continuation_row_is_a_second_activity_with_its_own_fields() {
    let register = seed();
    let bildbank: Vec<&ParsedActivity> = register
        .activities
        .iter()
        .filter(|a| a.name == BILDBANK)
        .collect();
    assert_eq!(bildbank.len(), 2);
    assert_eq!(bildbank[0].line, 16);
    assert_eq!(bildbank[0].purpose, "Hantera bildbank, bilder på intranät.");
    assert_eq!(bildbank[0].legal_basis, "Intresseav-vägning");
    assert_eq!(
        bildbank[0].subject_categories,
        ["Medarbetare/konsulter", "Förtroendevalda"]
    );
    assert_eq!(bildbank[1].line, 17);
    assert_eq!(
        bildbank[1].purpose,
        "Hantera bildbank, bilder för tryck och digital användning på sociala medier och webb."
    );
    assert_eq!(bildbank[1].legal_basis, "Samtycke");
    assert_eq!(
        bildbank[1].subject_categories,
        ["Medarbetare/konsulter", "Medborgare/kommuninvånare"]
    );
    assert_eq!(
        bildbank[1].retention,
        "Gallras när samtycke inte längre är giltigt eller återkallats men bevaras därefter i arkivet."
    );
}

#[test]
fn seed_gdpr_request_row_field_by_field() {
    let register = seed();
    let gdpr = activity_named(&register, "Hantera begäran enligt GDPR");
    let expected = ParsedActivity {
        line: 25,
        name: "Hantera begäran enligt GDPR".into(),
        purpose: "Hantera begäran gällande registrerade rättigheterna enligt GDPR; information, \
                  registerutdrag, rättelse, begränsning, radering, dataportabilitet, automatiserat \
                  beslutsfattande och invändningar."
            .into(),
        subject_categories: vec![
            "Medarbetare".into(),
            "Medborgare/kommuninvånare".into(),
            "Förtroendevalda".into(),
            "Elever".into(),
        ],
        data_categories: vec![
            "Namn".into(),
            "Personnummer".into(),
            "Kontaktuppgifter".into(),
        ],
        legal_basis: "Rättslig förpliktelse".into(),
        retention:
            "1 år i e-tjänst och lista över inkomna ärenden Fullständigt registerutdrag i 3 \
                    månader Begäran om rättelse, begränsning, radering och invändningar vid \
                    inaktualitet Beslut om registrerades rättigheter, vid avslag bevaras."
                .into(),
        recipients: "Personuppgiftsbiträde".into(),
        source: "Individen själv".into(),
        third_country_transfer: "Nej".into(),
        system: None,
        automated_decision_making: None,
        transfer_safeguards: None,
        extra: vec![],
    };
    assert_eq!(*gdpr, expected);
}

#[test]
fn seed_multi_valued_cells_are_split_and_normalised() {
    let register = seed();
    let get = |name: &str| activity_named(&register, name).clone();
    assert_eq!(
        get("Planera, leda och styra verksamheten").subject_categories,
        ["Medarbetare", "Externa aktörer", "Externa intressenter"]
    );
    assert_eq!(
        get("Planera, leda och styra verksamheten").data_categories,
        ["Kontaktuppgifter"]
    );
    assert_eq!(
        get("Handlägga ärenden (beslutsfattande)").subject_categories,
        [
            "Medarbetare",
            "Förtroendevalda",
            "Externa aktörer",
            "Externa intressenter"
        ]
    );
    assert_eq!(
        get("Upphandla/avropa, köpa in, beställa").data_categories,
        ["Personnummer (enskild firma)", "Namn", "Kontaktuppgifter"]
    );
    // Trailing period dropped.
    assert_eq!(
        get("Administrera förtroendevalda samt sammanträdes-hantering").subject_categories,
        ["Förtroendevalda", "Medarbetare"]
    );
    // Semicolons split too.
    assert_eq!(
        get("Hantera handlingar").data_categories,
        [
            "Kontaktuppgifter",
            "Namn",
            "Personnummer",
            "E-post",
            "Telefonnummer",
            "Fastighetsbeteckning"
        ]
    );
    // A slash does not split.
    assert_eq!(
        get("Hantera valinformation").subject_categories,
        ["Medborgare/kommuninvånare"]
    );
    assert_eq!(
        get("Erbjuda borgerlig vigsel").subject_categories,
        ["Medborgare/kommuninvånare", "Extern part"]
    );
}

#[test]
fn seed_empty_cells_and_long_texts_are_kept_as_written() {
    let register = seed();
    let vigsel = activity_named(&register, "Erbjuda borgerlig vigsel");
    assert_eq!(vigsel.recipients, "");
    assert_eq!(
        vigsel.retention,
        "Intyg om hindersprövning bevaras Vigselbevis gallras vid inaktualitet Vigselbok bevaras"
    );
    let it = activity_named(&register, "Förvalta IT och teknisk kommunikation");
    assert_eq!(
        it.third_country_transfer,
        "Överföring till USA förekommer med stöd av EU-kommissionens adekvansbeslut"
    );
    assert_eq!(it.recipients, "Personuppgiftsbiträde, Molntjänstleverantör");
}

// ---------------------------------------------------------------- the same table in other formats

#[test]
fn semicolon_csv_in_windows_1252_gives_the_same_activities() {
    let text = to_delimited(&fixture_table(), ';', "\r\n", HEADER.len());
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must really be Windows-1252"
    );

    let register = parse_register(&bytes, Some("text/csv"), Some("register.csv")).unwrap();
    assert_eq!(
        register.format,
        SourceFormat::Csv {
            delimiter: ';',
            encoding: "windows-1252"
        }
    );
    assert_eq!(register.header_line, 5);
    assert!(register.skipped.is_empty());
    assert!(register.unknown_columns.is_empty());
    assert!(register.activities[0].purpose.contains(".\nUpprätta"));
    assert_eq!(
        without_lines(register.activities.clone()),
        fixture_expected()
    );
    // The first record spans two lines, so every later record starts a line
    // further down than in the seed.
    let seed_lines = lines(&seed());
    let expected: Vec<usize> = seed_lines
        .iter()
        .enumerate()
        .map(|(i, l)| l + usize::from(i > 0))
        .collect();
    assert_eq!(lines(&register), expected);
}

#[test]
fn comma_csv_in_utf8_with_bom_gives_the_same_activities() {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(to_delimited(&fixture_table(), ',', "\n", 0).into_bytes());

    let register = parse_register(&bytes, None, None).unwrap();
    assert_eq!(
        register.format,
        SourceFormat::Csv {
            delimiter: ',',
            encoding: "UTF-8"
        }
    );
    assert_eq!(register.header_line, 5);
    assert!(register.skipped.is_empty());
    assert_eq!(without_lines(register.activities), fixture_expected());
}

#[test]
fn xlsx_reads_the_register_sheet_after_an_info_sheet() {
    let table = fixture_table();
    // Drop the two blank lines above the title: the title is row 1, the
    // header row 3.
    let register_rows = &table[2..];
    let info = rows(&[
        &["Om registret"],
        &["Uppdateras av kommunens dataskyddssamordnare."],
    ]);
    let bytes = xlsx_with_sheets(&[("Info", &info), ("Registerförteckning", register_rows)]);

    let register = parse_register(&bytes, None, Some("register.xlsx")).unwrap();
    assert_eq!(
        register.format,
        SourceFormat::Xlsx {
            sheet: "Registerförteckning".into()
        }
    );
    assert_eq!(register.header_line, 3);
    assert!(register.skipped.is_empty());
    assert_eq!(
        without_lines(register.activities.clone()),
        fixture_expected()
    );
    let expected: Vec<usize> = lines(&seed()).iter().map(|l| l - 2).collect();
    assert_eq!(lines(&register), expected);
}

#[test]
fn xlsx_without_a_register_named_sheet_uses_the_first_sheet_with_a_header() {
    let info = rows(&[&["Anteckningar"]]);
    let table = rows(&[
        &HEADER,
        &["Löneadministration", "Betala ut lön", "Medarbetare"],
    ]);
    let bytes = xlsx_with_sheets(&[("Blad1", &info), ("Blad2", &table)]);
    let register = parse_register(&bytes, Some(XLSX_TYPE), None).unwrap();
    assert_eq!(
        register.format,
        SourceFormat::Xlsx {
            sheet: "Blad2".into()
        }
    );
    assert_eq!(register.activities.len(), 1);
    assert_eq!(register.activities[0].line, 2);
}

#[test]
fn xlsx_merged_name_cells_numbers_and_dates() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, title) in [
        "Behandling",
        "Syfte",
        "Registrerade",
        "Lagringstid",
        "Senast granskad",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    // The name is merged over rows 2 and 3, as is common in workbooks.
    sheet
        .merge_range(1, 0, 2, 0, "Skolskjuts", &Format::new())
        .unwrap();
    sheet.write_string(1, 1, "Planera skolskjuts").unwrap();
    sheet.write_string(2, 1, "Ersätta resor").unwrap();
    sheet.write_string(1, 2, "elever\nvårdnadshavare").unwrap();
    sheet.write_number(1, 3, 7).unwrap();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let reviewed = ExcelDateTime::from_ymd(2024, 1, 31).unwrap();
    sheet
        .write_datetime_with_format(1, 4, reviewed, &date_format)
        .unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let register = parse_register(&bytes, None, None).unwrap();
    assert_eq!(register.activities.len(), 2);
    let first = &register.activities[0];
    assert_eq!((first.line, first.name.as_str()), (2, "Skolskjuts"));
    assert_eq!(first.subject_categories, ["Elever", "Vårdnadshavare"]);
    assert_eq!(first.retention, "7");
    assert_eq!(
        first.extra,
        [("Senast granskad".to_owned(), "2024-01-31".to_owned())]
    );
    let second = &register.activities[1];
    assert_eq!((second.line, second.name.as_str()), (3, "Skolskjuts"));
    assert_eq!(second.purpose, "Ersätta resor");
    assert_eq!(register.unknown_columns, ["Senast granskad"]);
}

#[test]
fn utf16_tab_text_from_excel_unicode_export_is_read() {
    let text =
        "Behandlingsaktivitet\tÄndamål\tRättslig grund\r\nLönehantering\tBetala lön\tAvtal\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let register = parse_register(&bytes, None, Some("register.txt")).unwrap();
    assert_eq!(register.format, SourceFormat::Tsv);
    assert_eq!(register.activities[0].name, "Lönehantering");
    assert_eq!(register.activities[0].legal_basis, "Avtal");
}

// ---------------------------------------------------------------- header variants

#[test]
fn header_variants_map_every_column_and_keep_unknown_ones() {
    let text = "Behandling;Syfte;Registrerade;Personuppgifter;Laglig grund;Gallring;\
                Mottagare av personuppgifterna;Källa;Tredjelandsöverföring;System;Ansvarig enhet\n\
                Lönehantering;Betala ut lön;medarbetare;namn, personnummer, kontonummer;Avtal;\
                10 år;Skatteverket;Den registrerade;Nej;Personec;HR-avdelningen\n\
                Felanmälan;Ta emot felanmälan;Kommuninvånare;Namn;Allmänt intresse;2 år;;\
                Den registrerade;Nej;;Kontaktcenter\n";
    let register = parse_register(text.as_bytes(), Some("text/csv"), Some("register.csv")).unwrap();
    assert_eq!(register.header_line, 1);
    assert_eq!(register.unknown_columns, ["Ansvarig enhet"]);
    assert_eq!(
        register.activities[0],
        ParsedActivity {
            line: 2,
            name: "Lönehantering".into(),
            purpose: "Betala ut lön".into(),
            subject_categories: vec!["Medarbetare".into()],
            data_categories: vec!["Namn".into(), "Personnummer".into(), "Kontonummer".into()],
            legal_basis: "Avtal".into(),
            retention: "10 år".into(),
            recipients: "Skatteverket".into(),
            source: "Den registrerade".into(),
            third_country_transfer: "Nej".into(),
            system: Some("Personec".into()),
            automated_decision_making: None,
            transfer_safeguards: None,
            extra: vec![("Ansvarig enhet".into(), "HR-avdelningen".into())],
        }
    );
    let second = &register.activities[1];
    assert_eq!(second.system, None, "an empty system cell is no system");
    assert_eq!(second.recipients, "");
    assert_eq!(
        second.extra,
        [("Ansvarig enhet".to_owned(), "Kontaktcenter".to_owned())]
    );
}

#[test]
fn headers_match_regardless_of_case_accents_and_punctuation() {
    let text = "BEHANDLINGSAKTIVITET:\tandamal\tRattslig grund (art. 6)\tIT-system\n\
                Lön\tBetala lön\tAvtal\tPersonec\n";
    let register = parse_register(text.as_bytes(), None, None).unwrap();
    let activity = &register.activities[0];
    assert_eq!(activity.purpose, "Betala lön");
    assert_eq!(activity.legal_basis, "Avtal");
    assert_eq!(activity.system.as_deref(), Some("Personec"));
}

#[test]
fn normalise_header_folds_case_accents_space_and_punctuation() {
    assert_eq!(
        normalise_header("Ändamål med behandlingen"),
        "andamal med behandlingen"
    );
    assert_eq!(
        normalise_header("  ÖVERFÖRING   tredje\u{a0}land: "),
        "overforing tredje land"
    );
    assert_eq!(
        normalise_header("* Källa som personuppgifter samlas in från?"),
        "kalla som personuppgifter samlas in fran"
    );
    assert_eq!(normalise_header("Café"), "cafe");
    assert_eq!(normalise_header("IT-system"), "it-system");
}

#[test]
fn register_fields_are_found_from_titles() {
    assert_eq!(
        RegisterField::from_header("Ändamål"),
        Some(RegisterField::Purpose)
    );
    assert_eq!(
        RegisterField::from_header("Ändamål med behandlingen"),
        Some(RegisterField::Purpose)
    );
    assert_eq!(
        RegisterField::from_header("Kategorier av personuppgifter"),
        Some(RegisterField::DataCategories)
    );
    assert_eq!(
        RegisterField::from_header("Varifrån kommer uppgifterna?"),
        Some(RegisterField::Source)
    );
    assert_eq!(RegisterField::from_header("Ansvarig enhet"), None);
}

// ---------------------------------------------------------------- categories

#[test]
fn split_categories_examples() {
    assert_eq!(
        split_categories("Medarbetare, förtroendevalda, externa aktörer"),
        ["Medarbetare", "Förtroendevalda", "Externa aktörer"]
    );
    assert_eq!(
        split_categories("Medborgare/kommuninvånare"),
        ["Medborgare/kommuninvånare"]
    );
    assert_eq!(
        split_categories("namn; adress\r\ntelefon.\n\n, ,"),
        ["Namn", "Adress", "Telefon"]
    );
    assert_eq!(
        split_categories("Elever, elever, ELEVER, lärare"),
        ["Elever", "Lärare"]
    );
    assert_eq!(
        split_categories("Uppgift om hälsa (diagnos, medicinering), namn"),
        ["Uppgift om hälsa (diagnos, medicinering)", "Namn"]
    );
    assert_eq!(split_categories("  extern   part.  "), ["Extern part"]);
    assert!(split_categories("").is_empty());
    assert!(split_categories(" ;, \n").is_empty());
}

// ---------------------------------------------------------------- odd rows

#[test]
fn continuation_first_after_header_is_skipped_and_blank_rows_are_silent() {
    let text = "Registerförteckning\n\
                Behandlingsaktivitet\tÄndamål\tRättslig grund\tLagringstid\n\
                \tSyfte utan namn\tAvtal\t2 år\n\
                Lönehantering\tBetala lön\tAvtal\t10 år\n\
                \t\t\t\n\
                \n\
                Bara ett namn\n\
                \tAndra syftet\tAllmänt intresse\t\n";
    let register = parse_register(text.as_bytes(), None, None).unwrap();
    assert_eq!(register.header_line, 2);
    assert_eq!(
        register.skipped,
        [SkippedRow {
            line: 3,
            reason: "row has no activity name and no activity above it".into()
        }]
    );
    let summary: Vec<(usize, &str, &str)> = register
        .activities
        .iter()
        .map(|a| (a.line, a.name.as_str(), a.purpose.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (4, "Lönehantering", "Betala lön"),
            (7, "Bara ett namn", ""),
            (8, "Bara ett namn", "Andra syftet"),
        ]
    );
}

#[test]
fn cells_are_trimmed_and_collapsed_but_keep_line_breaks() {
    let text = "Behandlingsaktivitet;Ändamål;Rättslig grund\r\n\
                \"  Löne\u{a0}  hantering \";\"Rad ett  \r\n   rad två\";  Avtal  \r\n";
    let register = parse_register(text.as_bytes(), None, None).unwrap();
    let activity = &register.activities[0];
    assert_eq!(activity.name, "Löne hantering");
    assert_eq!(activity.purpose, "Rad ett\nrad två");
    assert_eq!(activity.legal_basis, "Avtal");
}

#[test]
fn a_repeated_header_row_is_skipped_and_starts_afresh() {
    let text = "Behandlingsaktivitet\tÄndamål\tRättslig grund\n\
                Lön\tBetala lön\tAvtal\n\
                Behandlingsaktivitet\tÄndamål\tRättslig grund\n\
                \tSyfte utan namn\tAvtal\n\
                Felanmälan\tTa emot felanmälan\tAllmänt intresse\n";
    let register = parse_register(text.as_bytes(), None, None).unwrap();
    let names: Vec<&str> = register
        .activities
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["Lön", "Felanmälan"]);
    assert_eq!(
        register.skipped,
        [
            SkippedRow {
                line: 3,
                reason: "row repeats the header row".into()
            },
            SkippedRow {
                line: 4,
                reason: "row has no activity name and no activity above it".into()
            },
        ]
    );
}

#[test]
fn values_under_untitled_columns_are_kept_as_extra() {
    let text = "Behandlingsaktivitet;Ändamål;Rättslig grund;\nLön;Betala lön;Avtal;se bilaga 2\nFel;Felanmälan;Avtal\n";
    let register = parse_register(text.as_bytes(), None, None).unwrap();
    assert_eq!(
        register.activities[0].extra,
        [("column 4".to_owned(), "se bilaga 2".to_owned())]
    );
    assert!(register.activities[1].extra.is_empty());
    assert_eq!(register.unknown_columns, ["column 4"]);
}

// ---------------------------------------------------------------- refusals

#[test]
fn empty_and_whitespace_only_files_are_refused() {
    for bytes in [&b""[..], b"   \n\t \r\n", b"\xEF\xBB\xBF  \n"] {
        let error = refusal(bytes, None, None);
        assert_eq!(error, ImportError::Empty);
        assert_eq!(error.code(), "empty");
    }
    assert_eq!(
        error_message(ImportError::Empty),
        "the file is empty or contains only whitespace"
    );
}

#[test]
fn binary_files_are_refused() {
    // Random bytes from a fixed xorshift, so the test is repeatable.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    assert_eq!(
        refusal(&random, Some("text/csv"), Some("register.csv")),
        ImportError::Binary
    );

    let png_signature = b"\x89PNG\r\n\x1a\n";
    assert_eq!(
        refusal(png_signature, None, Some("bild.png")),
        ImportError::Binary
    );
    let png_start = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    let error = refusal(png_start, Some("image/png"), None);
    assert_eq!(error, ImportError::Binary);
    assert_eq!(error.code(), "binary");
    assert!(error.to_string().contains("binary data"));
}

#[test]
fn text_without_the_register_header_is_refused() {
    let error = refusal(
        "Hej\nDetta är inte ett register\n".as_bytes(),
        Some("text/plain"),
        None,
    );
    assert_eq!(
        error,
        ImportError::NoHeader {
            row_without_name: None
        }
    );
    assert_eq!(error.code(), "no_header");
    assert_eq!(
        error.to_string(),
        "no header row with the register's columns was found; expected columns such as \
         Behandlingsaktivitet, Ändamål, Rättslig grund"
    );
}

#[test]
fn a_header_without_the_name_column_is_refused_naming_it() {
    let error = refusal(
        "Titel\nÄndamål;Rättslig grund;Lagringstid\nx;y;z\n".as_bytes(),
        None,
        None,
    );
    assert_eq!(
        error,
        ImportError::NoHeader {
            row_without_name: Some(2)
        }
    );
    assert!(error.to_string().contains("line 2"));
    assert!(error.to_string().contains("Behandlingsaktivitet"));
}

#[test]
fn a_header_below_the_first_fifty_rows_is_not_looked_for() {
    let mut text = "anteckning\n".repeat(50);
    text.push_str("Behandlingsaktivitet\tÄndamål\tRättslig grund\nLön\tBetala lön\tAvtal\n");
    assert_eq!(refusal(text.as_bytes(), None, None).code(), "no_header");
}

#[test]
fn xlsx_without_the_header_row_is_refused() {
    let notes = rows(&[&["Hej"], &["Detta är inte ett register"]]);
    let bytes = xlsx_with_sheets(&[("Blad1", &notes)]);
    let error = refusal(&bytes, Some(XLSX_TYPE), Some("register.xlsx"));
    assert_eq!(
        error,
        ImportError::NoHeader {
            row_without_name: None
        }
    );
}

#[test]
fn xlsx_with_no_cells_is_empty() {
    let bytes = xlsx_with_sheets(&[("Blad1", &[])]);
    assert_eq!(refusal(&bytes, None, None), ImportError::Empty);
}

#[test]
fn broken_and_fake_workbooks_are_unreadable() {
    let mut truncated = xlsx_with_sheets(&[("Blad1", &rows(&[&HEADER]))]);
    truncated.truncate(truncated.len() / 2);
    let error = refusal(&truncated, None, None);
    assert!(matches!(error, ImportError::Unreadable(_)), "{error:?}");
    assert_eq!(error.code(), "unreadable");
    assert!(
        error
            .to_string()
            .starts_with("the file could not be read: it is not a valid Excel workbook (.xlsx): "),
        "{error}"
    );

    // Named and typed as a workbook but plain text.
    let error = refusal(
        b"Behandlingsaktivitet;Syfte",
        Some(XLSX_TYPE),
        Some("register.xlsx"),
    );
    assert!(matches!(error, ImportError::Unreadable(_)), "{error:?}");

    // An Excel 97-2003 file.
    let error = refusal(
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0",
        None,
        Some("register.xls"),
    );
    assert_eq!(error.code(), "unreadable");
    assert!(error.to_string().contains(".xls file"), "{error}");
}

#[test]
fn files_over_ten_mebibytes_are_refused() {
    let too_large = vec![b'a'; MAX_FILE_BYTES + 1];
    let error = refusal(&too_large, None, None);
    assert_eq!(
        error,
        ImportError::TooLarge {
            limit: 10 * 1024 * 1024
        }
    );
    assert_eq!(error.code(), "too_large");
    assert!(error.to_string().contains("10 MiB"), "{error}");
    // Exactly at the limit is not too large (it is refused for other reasons).
    assert_ne!(refusal(&too_large[1..], None, None).code(), "too_large");
}

/// A workbook whose shared strings unpack to 65 MiB (from a few hundred kilobytes): refused
/// before calamine unpacks anything, so an upload cannot fill the server's memory.
#[test]
fn a_workbook_that_unpacks_to_more_than_a_register_is_refused() {
    use std::io::Write;

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..65 {
        zip.write_all(&spaces).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < MAX_FILE_BYTES, "the upload itself is small");
    let error = refusal(
        &bomb,
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Some("register.xlsx"),
    );
    assert_eq!(error.code(), "unreadable");
    assert!(
        error
            .to_string()
            .contains("unpacks to more than a register could hold"),
        "{error}"
    );
}

fn error_message(error: ImportError) -> String {
    error.to_string()
}

// ---------------------------------------------------------------- size and serialisation

#[test]
fn five_thousand_rows_parse_quickly() {
    let mut text = String::from("Registerförteckning\n\n");
    text.push_str(&HEADER.join(";"));
    text.push('\n');
    for i in 0..5000 {
        text.push_str(&format!(
            "Aktivitet {i};\"Ändamål {i}; med semikolon\";medarbetare, elever, vårdnadshavare;namn, \
             personnummer, adress;Allmänt intresse;Gallras efter {i} år;Personuppgiftsbiträde;\
             Individen själv;Nej\n"
        ));
    }
    let started = Instant::now();
    let register = parse_register(text.as_bytes(), None, None).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(register.activities.len(), 5000);
    assert_eq!(
        register.activities[4999].purpose,
        "Ändamål 4999; med semikolon"
    );
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
}

#[test]
fn report_types_serialise() {
    fn serialisable<T: serde::Serialize>() {}
    serialisable::<ParsedRegister>();
    serialisable::<SkippedRow>();
    serialisable::<SourceFormat>();
    serialisable::<RegisterField>();
}

/// Art. 15(1)(h) and 15(2) come from the register per activity (domain.md §6a): the optional
/// columns for automated decision-making and the safeguards of a third-country transfer are
/// recognised by their usual titles, and an empty cell is no text.
#[test]
fn automated_decisions_and_transfer_safeguards_are_read_per_activity() {
    let text = "Behandlingsaktivitet;Ändamål;Kategorier av registrerade;Rättslig grund;\
                Överföring till tredje land;Automatiserat beslutsfattande och profilering;\
                Skyddsåtgärder vid överföring till tredje land\n\
                Försörjningsstöd;Pröva ansökan;Sökande;Myndighetsutövning;Nej;\
                Ansökan prövas automatiskt mot inkomstgränsen, avslag prövas av en handläggare;\n\
                E-postsystem;Skicka e-post;Medarbetare;Allmänt intresse;USA;;\
                Standardavtalsklausuler (artikel 46.2 c)\n";
    let register = parse_register(text.as_bytes(), Some("text/csv"), Some("register.csv")).unwrap();
    assert!(
        register.unknown_columns.is_empty(),
        "{:?}",
        register.unknown_columns
    );
    let [stod, epost] = register.activities.as_slice() else {
        panic!("two activities: {:?}", register.activities);
    };
    assert_eq!(
        stod.automated_decision_making.as_deref(),
        Some("Ansökan prövas automatiskt mot inkomstgränsen, avslag prövas av en handläggare")
    );
    assert_eq!(stod.transfer_safeguards, None);
    assert_eq!(epost.automated_decision_making, None);
    assert_eq!(
        epost.transfer_safeguards.as_deref(),
        Some("Standardavtalsklausuler (artikel 46.2 c)")
    );
}
