use dsar::letters::pdf::*;

fn s(text: &str) -> String {
    text.to_string()
}

fn pair(label: &str, value: &str) -> (String, String) {
    (s(label), s(value))
}

fn pages_text(pdf: &[u8]) -> Vec<String> {
    assert!(pdf.starts_with(b"%PDF-"), "output is not a PDF");
    pdf_extract::extract_text_from_mem_by_pages(pdf).expect("extract text")
}

/// Text with all whitespace removed. pdf-extract joins lines that are closer
/// than 1.5 font sizes without a separator, so assertions that may span a line
/// break compare text with whitespace removed on both sides.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        squash(haystack).contains(&squash(needle)),
        "missing {needle:?} in:\n{haystack}"
    );
}

/// "Sida N av M" is on a single line, so it is extracted with its spaces;
/// the character after M must not be another digit.
fn has_page_number(page: &str, n: usize, total: usize) -> bool {
    let needle = format!("Sida {n} av {total}");
    page.match_indices(&needle).any(|(at, _)| {
        !page[at + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

fn one_page_letter() -> Letter {
    Letter {
        sender: vec![
            s("Exempelkommunen"),
            s("Kommunstyrelsen"),
            s("Box 123"),
            s("151 89 Södertälje"),
        ],
        recipient: vec![
            s("Tolvan Tolvansson"),
            s("Storgatan 1"),
            s("151 89 Södertälje"),
        ],
        meta: vec![
            pair("Datum", "2026-03-20"),
            pair("Ärende", "DSAR-2026-00042"),
        ],
        title: s("Registerutdrag enligt artikel 15 i dataskyddsförordningen"),
        blocks: vec![
            Block::Paragraph(s(
                "Här är de personuppgifter om dig som kommunen behandlar.",
            )),
            Block::Heading(s("Ekonomiskt bistånd")),
            Block::Fields(vec![
                pair("Ändamål", "Handläggning av ansökan om ekonomiskt bistånd"),
                pair("Kategorier av registrerade", "Sökande och medsökande"),
                pair("Överföring tredje land", "Nej"),
                pair("Lagringstid", "Fem år efter avslutat ärende"),
            ]),
            Block::Subheading(s("Klagomål")),
            Block::Paragraph(s(
                "Du kan lämna klagomål till Integritetsskyddsmyndigheten.\nÅÄÖ åäö é",
            )),
            Block::Bullets(vec![s("Rättelse"), s("Radering")]),
            Block::Spacer,
        ],
        footer: s("Exempelkommunen · DSAR-2026-00042"),
    }
}

#[test]
fn one_page_letter_text_is_extractable() {
    let pdf = render(&one_page_letter()).expect("render");
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 1, "expected one page");
    assert!(has_page_number(&pages[0], 1, 1), "{}", pages[0]);
    for needle in [
        "Registerutdrag enligt artikel 15 i dataskyddsförordningen",
        "Tolvan Tolvansson",
        "Storgatan 1",
        "151 89 Södertälje",
        "DSAR-2026-00042",
        "Exempelkommunen · DSAR-2026-00042",
        "Handläggning av ansökan om ekonomiskt bistånd",
        "Fem år efter avslutat ärende",
        "Kategorier av registrerade",
        "Ändamål",
        "Överföring tredje land",
        "Integritetsskyddsmyndigheten",
        "ÅÄÖ åäö é",
        "• Rättelse",
    ] {
        assert_contains(&pages[0], needle);
    }
}

#[test]
fn long_letter_breaks_pages_without_losing_text() {
    const SECTIONS: usize = 60;
    let mut blocks = Vec::new();
    for i in 0..SECTIONS {
        blocks.push(Block::Heading(format!("Avsnitt {i:03} behandling")));
        let fields = (0..9)
            .map(|j| {
                (
                    format!("Fält {j} i avsnitt {i}"),
                    format!(
                        "Värde{i:03}x{j} – en ganska lång beskrivning av behandlingen som måste \
                         radbrytas i den högra kolumnen eftersom den inte får plats på en rad"
                    ),
                )
            })
            .collect();
        blocks.push(Block::Fields(fields));
        blocks.push(Block::Paragraph(format!(
            "Uppgifterna i detta avsnitt har hämtats från verksamhetssystemet och \
             gallras enligt dokumenthanteringsplanen. Kontrollord Markör{i:03}slut."
        )));
    }
    let letter = Letter {
        title: s("Registerutdrag"),
        blocks,
        footer: s("Exempelkommunen · DSAR-2026-00042"),
        ..one_page_letter()
    };
    let pdf = render(&letter).expect("render");
    let pages = pages_text(&pdf);
    let total = pages.len();
    assert!(total >= 10, "expected many pages, got {total}");

    for (n, page) in pages.iter().enumerate() {
        assert!(
            has_page_number(page, n + 1, total),
            "page {}: {page}",
            n + 1
        );
        assert_eq!(page.matches("Sida ").count(), 1, "page {}", n + 1);
    }

    let text = squash(&pages.concat());
    let mut last = 0;
    for i in 0..SECTIONS {
        let heading = squash(&format!("Avsnitt {i:03} behandling"));
        let pos = text[last..]
            .find(&heading)
            .unwrap_or_else(|| panic!("heading {heading:?} missing or out of order"));
        last += pos + heading.len();
        let marker = format!("Markör{i:03}slut");
        assert_eq!(text.matches(&marker).count(), 1, "marker {marker}");
        for j in 0..9 {
            // Label and value share a row, so the label is followed by its value.
            let row = squash(&format!("Fält {j} i avsnitt {i} Värde{i:03}x{j}"));
            assert_eq!(text.matches(&row).count(), 1, "field row {row}");
        }
    }
    // The end of every wrapped field value survives, wherever the page broke.
    let tail = squash("eftersom den inte får plats på en rad");
    assert_eq!(text.matches(&tail).count(), SECTIONS * 9);
}

#[test]
fn degenerate_input_does_not_panic() {
    let long_word = "Dataskyddsförordningsefterlevnadskontroll".repeat(60);
    let email = format!("{}@{}.example.se", "a".repeat(150), "b".repeat(150));
    let letter = Letter {
        sender: vec![long_word.clone(), String::new()],
        recipient: vec![String::new(), long_word.clone()],
        meta: vec![
            (long_word.clone(), long_word.clone()),
            (String::new(), String::new()),
        ],
        title: long_word.clone(),
        blocks: vec![
            Block::Heading(String::new()),
            Block::Heading(long_word.clone()),
            Block::Subheading(String::new()),
            Block::Paragraph(String::new()),
            Block::Paragraph(s("\n\n\t\r\u{7}   \n")),
            Block::Paragraph(format!("{long_word} kort {email}")),
            Block::Paragraph(s(
                "Kombinerande tecken: a\u{308} o\u{308} och tecken utan glyf: 漢字 🙂, höger till vänster: محمد علي",
            )),
            Block::Fields(vec![]),
            Block::Fields(vec![
                (String::new(), String::new()),
                (long_word.clone(), long_word.clone()),
                (s("E-post"), email.clone()),
            ]),
            Block::Bullets(vec![]),
            Block::Bullets(vec![String::new(), long_word.clone()]),
            Block::Spacer,
            Block::Spacer,
        ],
        footer: long_word.clone(),
    };
    let pdf = render(&letter).expect("render");
    let pages = pages_text(&pdf);
    let total = pages.len();
    for (n, page) in pages.iter().enumerate() {
        assert!(
            has_page_number(page, n + 1, total),
            "page {}: {page}",
            n + 1
        );
    }
    let text = squash(&pages.concat());
    assert!(text.contains(&email), "e-mail address lost when broken");
    assert!(text.contains(&long_word), "long word lost when broken");

    let empty = render(&Letter::default()).expect("render empty letter");
    assert!(empty.starts_with(b"%PDF-"));
    let pages = pages_text(&empty);
    assert_eq!(pages.len(), 1);
    assert!(has_page_number(&pages[0], 1, 1));
}

#[test]
fn rendering_is_deterministic() {
    let letter = one_page_letter();
    assert_eq!(render(&letter).unwrap(), render(&letter).unwrap());
}
