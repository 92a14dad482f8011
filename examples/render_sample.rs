//! Writes a realistic Swedish registerutdrag to /tmp/sample-extract.pdf.

use std::time::Instant;

use dsar::letters::pdf::{render, Block, Letter};

fn s(text: &str) -> String {
    text.to_string()
}

fn pair(label: &str, value: &str) -> (String, String) {
    (s(label), s(value))
}

fn sample() -> Letter {
    let mut blocks = vec![
        Block::Paragraph(s(
            "Du har begärt att få veta vilka personuppgifter om dig som Exempelkommunen behandlar. \
             I detta registerutdrag redovisar vi de uppgifter vi har hittat i kommunens system, \
             för vilka ändamål de behandlas, vilka som tar del av dem och hur länge de sparas.",
        )),
        Block::Fields(vec![
            pair("Personuppgiftsansvarig", "Socialnämnden i Exempelkommunen, org.nr 212000-0000"),
            pair("Dataskyddsombud", "dataskyddsombud@exempelkommunen.se, 08-123\u{a0}456\u{a0}00"),
            pair("Begäran mottagen", "2026-03-02"),
            pair("Identitet kontrollerad", "BankID, 2026-03-02 kl. 09:14"),
        ]),
        Block::Heading(s("Sammanfattning")),
        Block::Bullets(vec![
            s("Vi har hittat uppgifter om dig i 3 system: ekonomiskt bistånd, skolskjuts och e-tjänsteplattformen."),
            s("Uppgifterna behandlas med stöd av rättslig förpliktelse och myndighetsutövning."),
            s("Inga uppgifter har överförts till tredje land."),
        ]),
    ];
    let systems = [
        ("Ekonomiskt bistånd (Procapita)", "Handläggning av ansökan om ekonomiskt bistånd enligt 4 kap. 1 § socialtjänstlagen (2001:453)", "Rättslig förpliktelse, artikel 6.1 c, samt myndighetsutövning, artikel 6.1 e"),
        ("Skolskjuts", "Planering och beslut om skolskjuts för elev i grundskolan", "Myndighetsutövning, artikel 6.1 e, skollagen (2010:800) 10 kap. 32 §"),
        ("E-tjänsteplattformen", "Hantering av inkomna e-tjänsteärenden och inloggning", "Allmänt intresse, artikel 6.1 e"),
    ];
    for (i, (system, purpose, basis)) in systems.iter().enumerate() {
        blocks.push(Block::Heading(format!("{}. {}", i + 1, system)));
        blocks.push(Block::Fields(vec![
            pair("Ändamål", purpose),
            pair("Rättslig grund", basis),
            pair("Kategorier av registrerade", "Sökande, medsökande och barn i hushållet"),
            pair("Kategorier av personuppgifter", "Namn, personnummer, adress, telefonnummer, inkomster, boendekostnader, uppgifter om hälsa (känsliga personuppgifter, artikel 9)"),
            pair("Mottagare", "Försäkringskassan, Skatteverket (via SSBTEK), Kronofogdemyndigheten"),
            pair("Överföring tredje land", "Nej"),
            pair("Lagringstid", "Gallras fem år efter att akten avslutats, enligt kommunens dokumenthanteringsplan; uppgifter av betydelse för barn bevaras"),
            pair("Källa", "Uppgifterna har lämnats av dig själv samt inhämtats från Skatteverket"),
        ]));
        blocks.push(Block::Subheading(s("Registrerade uppgifter")));
        blocks.push(Block::Fields(vec![
            pair("Namn", "Tolvan Tolvansson"),
            pair("Personnummer", "19121212-1212"),
            pair("Adress", "Storgatan 1\n151 89 Södertälje"),
            pair(
                "E-post",
                "tolvan.tolvansson.med.ett.mycket.langt.namn@exempel-epostleverantor.example.se",
            ),
            pair("Senast ändrad", "2026-02-14 13:37"),
        ]));
    }
    blocks.push(Block::Heading(s("Dina rättigheter")));
    blocks.push(Block::Paragraph(s(
        "Du har rätt att begära rättelse av felaktiga uppgifter (artikel 16), radering (artikel 17) \
         och begränsning av behandlingen (artikel 18). Du har också rätt att invända mot behandling \
         som grundar sig på allmänt intresse eller myndighetsutövning (artikel 21).\n\
         Kontakta kommunen på telefon 08-123\u{a0}456\u{a0}00 eller via e-tjänsten på www.exempelkommunen.se.",
    )));
    blocks.push(Block::Paragraph(s(
        "Om du är missnöjd med hur vi behandlar dina personuppgifter kan du lämna klagomål till \
         Integritetsskyddsmyndigheten (IMY), Box 8114, 104 20 Stockholm, imy@imy.se.",
    )));
    blocks.push(Block::Spacer);
    blocks.push(Block::Paragraph(s(
        "Med vänlig hälsning\n\nÅsa Öberg\nDataskyddshandläggare",
    )));
    Letter {
        sender: vec![
            s("Exempelkommunen"),
            s("Kommunstyrelsen, dataskyddsfunktionen"),
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
            pair("Handläggare", "Åsa Öberg"),
        ],
        title: s("Registerutdrag enligt artikel 15 i dataskyddsförordningen"),
        blocks,
        footer: s("Exempelkommunen · DSAR-2026-00042"),
    }
}

/// The sample letter with 50 findings (one section per system), for timing.
fn fifty_sections() -> Letter {
    let mut letter = sample();
    letter.blocks.clear();
    for i in 1..=50 {
        letter
            .blocks
            .push(Block::Heading(format!("{i}. Verksamhetssystem {i}")));
        letter.blocks.push(Block::Fields(vec![
            pair("Ändamål", "Handläggning av ansökan om ekonomiskt bistånd enligt 4 kap. 1 § socialtjänstlagen (2001:453)"),
            pair("Rättslig grund", "Rättslig förpliktelse, artikel 6.1 c, samt myndighetsutövning, artikel 6.1 e"),
            pair("Kategorier av registrerade", "Sökande, medsökande och barn i hushållet"),
            pair("Kategorier av personuppgifter", "Namn, personnummer, adress, telefonnummer, inkomster, boendekostnader, uppgifter om hälsa"),
            pair("Mottagare", "Försäkringskassan, Skatteverket, Kronofogdemyndigheten"),
            pair("Överföring tredje land", "Nej"),
            pair("Lagringstid", "Gallras fem år efter att akten avslutats, enligt kommunens dokumenthanteringsplan"),
            pair("Källa", "Uppgifterna har lämnats av dig själv samt inhämtats från Skatteverket"),
            pair("Senast ändrad", "2026-02-14 13:37"),
        ]));
        letter.blocks.push(Block::Paragraph(s(
            "Uppgifterna ovan är hämtade ur systemet den 20 mars 2026. Om något är fel kan du begära rättelse.",
        )));
    }
    letter
}

fn main() {
    let letter = sample();
    let start = Instant::now();
    let pdf = render(&letter).expect("render");
    let elapsed = start.elapsed();
    std::fs::write("/tmp/sample-extract.pdf", &pdf).expect("write /tmp/sample-extract.pdf");
    println!(
        "wrote /tmp/sample-extract.pdf ({} bytes) in {:.1} ms",
        pdf.len(),
        elapsed.as_secs_f64() * 1000.0
    );

    let long = fifty_sections();
    let mut times: Vec<f64> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let pdf = render(&long).expect("render");
            std::hint::black_box(pdf);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let pdf = render(&long).expect("render");
    std::fs::write("/tmp/sample-50-sections.pdf", &pdf).expect("write");
    println!(
        "50-section letter (/tmp/sample-50-sections.pdf, {} bytes): render min {:.1} ms, median {:.1} ms, max {:.1} ms (20 runs)",
        pdf.len(),
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
