//! The register of processing activities (domain.md §1, api.md "Register"): import in the
//! formats municipalities keep it in, refusal of what is not a register, editing, categories and
//! the Swedish-aware search.

use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};

use crate::casework::{field, get_json};
use crate::helpers::*;
use crate::journey;

const BILDBANK: &str = "Bildbank för kommunens kommunikations-material";

/// The seed's lines as cells (the title lines and blank lines included).
fn seed_table() -> Vec<Vec<String>> {
    SEED_REGISTER
        .lines()
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

/// The names of the seed's activities, in file order: a row with an empty first column
/// continues the activity named above it.
fn seed_names() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for row in seed_table().into_iter().skip(5) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = row[0].trim();
        if name.is_empty() {
            let previous = names.last().expect("a name above").clone();
            names.push(previous);
        } else {
            names.push(name.to_owned());
        }
    }
    names
}

/// The table as Excel writes a `;`-CSV in Windows-1252.
fn seed_as_windows_1252_csv() -> Vec<u8> {
    let text: String = seed_table()
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| {
                    if cell.contains([';', '"', '\n']) {
                        format!("\"{}\"", cell.replace('"', "\"\""))
                    } else {
                        cell.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(";")
        })
        .map(|line| line + "\r\n")
        .collect();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really Windows-1252");
    bytes.into_owned()
}

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Register").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// What the register says about an activity, without its id.
fn texts(activity: &Value) -> Value {
    let mut activity = activity.clone();
    activity.as_object_mut().unwrap().remove("id");
    activity
}

async fn refused(app: &TestApp, content_type: &str, bytes: Vec<u8>, code: &str) {
    let response = app
        .import_register_as(&Caller::admin(), "kommunstyrelsen", content_type, bytes)
        .await;
    let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(field_errors(&body), vec![field("file", code)], "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.trim().is_empty(), "says what was wrong: {body}");
    assert_eq!(
        app.register_activities("kommunstyrelsen").await.len(),
        20,
        "the register is untouched after a {code} file"
    );
}

journey!(
    the_admin_imports_the_register_as_tsv_csv_and_xlsx_and_a_broken_file_changes_nothing,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let report = app.import_seed_register("kommunstyrelsen").await;
        assert_eq!(report["controller"], "kommunstyrelsen");
        assert_eq!(report["imported"], 20);
        assert_eq!(report["header_line"], 5);
        assert_eq!(report["skipped"], json!([]));

        let tsv = app.register_activities("kommunstyrelsen").await;
        let names = activity_names(&tsv);
        assert_eq!(names.len(), 20);
        assert_eq!(names, seed_names());
        assert_eq!(names[0], "Planera, leda och styra verksamheten");
        assert_eq!(
            names.iter().filter(|n| n.as_str() == BILDBANK).count(),
            2,
            "{names:?}"
        );
        assert!(tsv.iter().all(|a| a["controller"] == "kommunstyrelsen"));
        let vigsel = tsv
            .iter()
            .find(|a| a["name"] == "Erbjuda borgerlig vigsel")
            .unwrap();
        assert_eq!(vigsel["legal_basis"], "Allmänt intresse");
        assert_eq!(vigsel["source"], "Individen själv");
        assert_eq!(vigsel["third_country_transfer"], "Nej");
        assert_eq!(
            vigsel["subject_categories"],
            json!(["Medborgare/kommuninvånare", "Extern part"])
        );
        // The second Bildbank activity has texts of its own.
        let bildbank: Vec<&Value> = tsv.iter().filter(|a| a["name"] == BILDBANK).collect();
        assert_eq!(bildbank[1]["legal_basis"], "Samtycke");
        assert_ne!(bildbank[0]["purpose"], bildbank[1]["purpose"]);

        // The same table as Excel's CSV in Windows-1252 replaces it with the same activities.
        let report = app
            .import_register("kommunstyrelsen", "text/csv", seed_as_windows_1252_csv())
            .await;
        assert_eq!(report["imported"], 20, "{report}");
        assert_eq!(report["skipped"], json!([]));
        let csv = app.register_activities("kommunstyrelsen").await;
        assert_eq!(csv.len(), 20);
        for (a, b) in tsv.iter().zip(&csv) {
            assert_eq!(texts(a), texts(b));
        }
        // And as an .xlsx workbook.
        let report = app
            .import_register("kommunstyrelsen", XLSX, xlsx(&seed_table()))
            .await;
        assert_eq!(report["imported"], 20, "{report}");
        assert_eq!(report["skipped"], json!([]));
        let workbook = app.register_activities("kommunstyrelsen").await;
        assert_eq!(workbook.len(), 20);
        for (a, b) in tsv.iter().zip(&workbook) {
            assert_eq!(texts(a), texts(b));
        }
        // Importing again replaces, never doubles.
        app.import_seed_register("kommunstyrelsen").await;
        let again = app.register_activities("kommunstyrelsen").await;
        assert_eq!(activity_names(&again), names);
        let all: Value = get_json(&app, &Caller::admin(), "/api/v1/register/activities").await;
        assert_eq!(all.as_array().unwrap().len(), 20);

        // What is not a register is refused, and the register stays as it was.
        refused(&app, TSV, Vec::new(), "empty").await;
        refused(
            &app,
            "application/octet-stream",
            vec![
                0x00, 0x9f, 0x92, 0x96, 0x00, 0x01, 0xff, 0xfe, 0x00, 0x00, 0x13, 0x37,
            ],
            "binary",
        )
        .await;
        refused(
            &app,
            TSV,
            "Kära kommunen,\njag undrar vilka uppgifter ni har om mig.\nHälsningar Tolvan\n"
                .as_bytes()
                .to_vec(),
            "no_header",
        )
        .await;
        refused(
            &app,
            XLSX,
            xlsx(&[
                vec!["Namn".into(), "Telefon".into()],
                vec!["Anna Andersson".into(), "08-123 45".into()],
            ]),
            "no_header",
        )
        .await;
        // More than 10 MiB.
        let mut huge = SEED_REGISTER.as_bytes().to_vec();
        huge.resize(10 * 1024 * 1024 + 1, b' ');
        let response = app
            .import_register_as(&Caller::admin(), "kommunstyrelsen", TSV, huge)
            .await;
        let body = problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
        assert!(!body["detail"].as_str().unwrap_or_default().is_empty());
        assert_eq!(app.register_activities("kommunstyrelsen").await.len(), 20);

        // A controller that does not exist; a caller who is not an administrator.
        let seed = SEED_REGISTER.as_bytes().to_vec();
        let response = app
            .import_register_as(&Caller::admin(), "ingen-namnd", TSV, seed.clone())
            .await;
        problem(response, StatusCode::NOT_FOUND).await;
        for caller in [
            Caller::handlaggare(&["kommunstyrelsen"]),
            Caller::kontaktcenter(),
            Caller::dpo(),
        ] {
            let response = app
                .import_register_as(&caller, "kommunstyrelsen", TSV, seed.clone())
                .await;
            problem(response, StatusCode::FORBIDDEN).await;
        }
        assert_eq!(
            activity_names(&app.register_activities("kommunstyrelsen").await),
            names
        );
    }
);

journey!(
    an_activity_is_read_edited_and_deleted_and_categories_are_counted,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        app.import_seed_register("kommunstyrelsen").await;
        let admin = Caller::admin();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let vigsel = app
            .activity_named("kommunstyrelsen", "Erbjuda borgerlig vigsel")
            .await;
        let id = id_of(&vigsel);
        let path = format!("/api/v1/register/activities/{id}");
        assert_eq!(get_json(&app, &hl, &path).await, vigsel);

        let edited = json!({
            "name": "Erbjuda borgerlig vigsel och partnerskap",
            "purpose": "Administrera vigsel samt intresseanmälan.",
            "subject_categories": ["Medborgare/kommuninvånare; extern part"],
            "data_categories": ["Namn", "kontaktuppgifter"],
            "legal_basis": "Allmänt intresse",
            "retention": "Vigselbok bevaras",
            "recipients": "",
            "source": "Individen själv",
            "third_country_transfer": "Nej",
            "system": "Vigselbokningen"
        });
        let response = app.put(&admin, &path, &edited).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["name"], "Erbjuda borgerlig vigsel och partnerskap");
        assert_eq!(body["system"], "Vigselbokningen");
        assert_eq!(body["id"], id.as_str());
        let read = get_json(&app, &hl, &path).await;
        assert_eq!(read, body);
        assert_eq!(
            read["subject_categories"].as_array().unwrap().len(),
            2,
            "{read}"
        );

        // A name is required; nothing changes without one.
        let mut nameless = edited.clone();
        nameless["name"] = json!("  ");
        let response = app.put(&admin, &path, &nameless).await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(field_errors(&body), vec![field("name", "required")]);
        assert_eq!(get_json(&app, &hl, &path).await, read);
        // Only the administrator edits.
        let response = app.put(&hl, &path, &edited).await;
        problem(response, StatusCode::FORBIDDEN).await;
        let response = app
            .put(&admin, "/api/v1/register/activities/nope", &edited)
            .await;
        problem(response, StatusCode::NOT_FOUND).await;

        // Categories for pickers: distinct values with counts.
        let categories = get_json(&app, &hl, "/api/v1/register/categories").await;
        let subjects = categories["subject_categories"].as_array().unwrap();
        let count = |value: &str| {
            subjects
                .iter()
                .filter(|c| c["value"] == value)
                .map(|c| c["activities"].as_u64().unwrap())
                .collect::<Vec<_>>()
        };
        let medarbetare = count("Medarbetare");
        assert_eq!(medarbetare.len(), 1, "{subjects:?}");
        assert!(medarbetare[0] >= 10, "{subjects:?}");
        let medborgare = count("Medborgare/kommuninvånare");
        assert_eq!(medborgare.len(), 1, "one value: {subjects:?}");
        assert!(medborgare[0] >= 6, "{subjects:?}");
        for c in subjects {
            let value = c["value"].as_str().unwrap();
            assert_ne!(value, "Medborgare", "{subjects:?}");
            assert_ne!(value, "kommuninvånare", "{subjects:?}");
            assert_eq!(value.trim(), value);
            assert!(!value.is_empty());
        }
        let values: Vec<&str> = subjects
            .iter()
            .map(|c| c["value"].as_str().unwrap())
            .collect();
        let mut distinct = values.clone();
        distinct.dedup();
        assert_eq!(distinct, values);
        assert!(categories["data_categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["value"] == "Namn" && c["activities"].as_u64().unwrap() >= 5));

        // Deleting.
        let response = app.delete(&hl, &path).await;
        problem(response, StatusCode::FORBIDDEN).await;
        let response = app.delete(&admin, &path).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        problem(app.get(&hl, &path).await, StatusCode::NOT_FOUND).await;
        let response = app.delete(&admin, &path).await;
        problem(response, StatusCode::NOT_FOUND).await;
        assert_eq!(app.register_activities("kommunstyrelsen").await.len(), 19);
    }
);

async fn search(app: &TestApp, query: &str) -> Vec<Value> {
    let hits = get_json(
        app,
        &Caller::kontaktcenter(),
        &format!("/api/v1/register/search?{query}"),
    )
    .await;
    let hits = hits.as_array().expect("a list").clone();
    for hit in &hits {
        let fields = hit["matched_fields"].as_array().expect("matched_fields");
        assert!(!fields.is_empty(), "{hit}");
    }
    hits
}

journey!(
    the_register_is_searched_in_swedish_with_and_without_diacritics,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        app.add_controller("socialnamnden", "Socialnämnden").await;
        app.import_seed_register("kommunstyrelsen").await;
        app.import_register(
            "socialnamnden",
            TSV,
            "Behandlingsaktivitet\tÄndamål med behandlingen\tKategorier av registrerade\tRättslig grund\n\
             Ärendehantering av ekonomiskt bistånd\tHandläggning av ansökningar\tMedborgare/kommuninvånare\tMyndighetsutövning\n"
                .as_bytes()
                .to_vec(),
        )
        .await;

        for q in [
            "q=%C3%A4rendehantering",
            "q=arendehantering",
            "q=ARENDEHANTERING",
        ] {
            let hits = search(&app, &format!("{q}&controller=kommunstyrelsen")).await;
            assert_eq!(
                activity_names(&hits).first().map(String::as_str),
                Some("Ärendehantering i Kontaktcenter"),
                "{q}"
            );
            assert!(hits[0]["matched_fields"]
                .as_array()
                .unwrap()
                .contains(&json!("name")));
        }
        // Both nämnder without the controller filter, one with it.
        let hits = search(&app, "q=arendehantering").await;
        let names = activity_names(&hits);
        assert!(names.contains(&"Ärendehantering av ekonomiskt bistånd".to_owned()));
        assert!(names.contains(&"Ärendehantering i Kontaktcenter".to_owned()));
        let hits = search(&app, "q=arendehantering&controller=socialnamnden").await;
        assert_eq!(
            activity_names(&hits),
            vec!["Ärendehantering av ekonomiskt bistånd"]
        );

        // An inflected form finds the word: vigsel ~ vigselbok, vigseln.
        let hits = search(&app, "q=vigsel").await;
        assert_eq!(activity_names(&hits)[0], "Erbjuda borgerlig vigsel");
        let hits = search(&app, "q=vigseln").await;
        assert_eq!(activity_names(&hits)[0], "Erbjuda borgerlig vigsel");

        // Several words.
        let hits = search(&app, "q=beg%C3%A4ran%20gdpr").await;
        assert_eq!(activity_names(&hits)[0], "Hantera begäran enligt GDPR");

        // Filters narrow the hits.
        let all = search(&app, "q=hantera&controller=kommunstyrelsen").await;
        assert!(all.len() >= 3, "{:?}", activity_names(&all));
        let staff = search(
            &app,
            "q=hantera&controller=kommunstyrelsen&subject_category=Medarbetare",
        )
        .await;
        assert!(!staff.is_empty() && staff.len() < all.len());
        // "Medarbetare/konsulter" counts as Medarbetare.
        for hit in &staff {
            assert!(
                hit["activity"]["subject_categories"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c
                        .as_str()
                        .unwrap()
                        .split('/')
                        .any(|part| part.trim().eq_ignore_ascii_case("medarbetare"))),
                "{hit}"
            );
        }
        let obligation = search(
            &app,
            "q=hantera&legal_basis=R%C3%A4ttslig%20f%C3%B6rpliktelse",
        )
        .await;
        assert!(!obligation.is_empty() && obligation.len() < all.len());
        for hit in &obligation {
            assert!(hit["activity"]["legal_basis"]
                .as_str()
                .unwrap()
                .contains("Rättslig förpliktelse"));
        }

        // The query is required.
        for query in ["", "q=", "q=%20%20"] {
            let response = app
                .get(
                    &Caller::kontaktcenter(),
                    &format!("/api/v1/register/search?{query}"),
                )
                .await;
            let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(field_errors(&body), vec![field("q", "required")]);
        }

        // An edit is searchable at once.
        let vigsel = app
            .activity_named("kommunstyrelsen", "Erbjuda borgerlig vigsel")
            .await;
        assert!(search(&app, "q=partnerskapsregistrering").await.is_empty());
        let mut edited = vigsel.clone();
        let object = edited.as_object_mut().unwrap();
        for key in ["id", "controller", "extra"] {
            object.remove(key);
        }
        edited["name"] = json!("Registrera partnerskapsregistrering");
        let response = app
            .put(
                &Caller::admin(),
                &format!(
                    "/api/v1/register/activities/{}",
                    vigsel["id"].as_str().unwrap()
                ),
                &edited,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let hits = search(&app, "q=partnerskapsregistrering").await;
        assert_eq!(
            activity_names(&hits),
            vec!["Registrera partnerskapsregistrering"]
        );
        assert!(!activity_names(&search(&app, "q=vigsel").await)
            .contains(&"Erbjuda borgerlig vigsel".to_owned()));
    }
);
