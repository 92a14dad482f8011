//! Secrecy between nämnder and least privilege (domain.md §8, docs/security.md): one request for
//! two nämnder, one of them withholding a finding under OSL 26 kap. 1 §, read by every role on
//! every endpoint; the e-tjänst's status view; e-legitimation bound to the person; nothing
//! decided before identity; the audit of reads.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::casework::{add_namnder, get_json, part, tolvans_letter, work, work_ok, TOLVAN};
use crate::helpers::*;
use crate::journey;

/// What socialnämnden found and withheld: secret towards everyone else.
const SN_FINDING: &str = "SOCIALTJANST-HEMLIG-4711";
/// Socialnämnden's reasons for its decision.
const SN_REASONS: &str = "SN-SKAL-0815";
/// What kommunstyrelsen found and released.
const KS_FINDING: &str = "KS-KONTAKT-2231";
const OSL: &str = "OSL 26 kap. 1 §";

const KONTAKTCENTER: &str = "Ärendehantering i Kontaktcenter";
const FARDTJANST: &str = "Hantering av färdtjänst";

/// An adult with an ombud (Skatteverket's test numbers).
const GUARDIAN: &str = "19850101-2382";
const CHILD: &str = "20150101-2395";

/// A handläggare of kommunstyrelsen.
fn ks_handlaggare() -> Caller {
    Caller::named_handlaggare("hl-karin", &["kommunstyrelsen"])
}

/// A handläggare of socialnämnden.
fn sn_handlaggare() -> Caller {
    Caller::named_handlaggare("hl-sven", &["socialnamnden"])
}

fn verify_at_desk() -> Value {
    json!({"action": "verify", "method": "id_document", "document_type": "pass"})
}

/// Tolvan's access request for kommunstyrelsen and socialnämnden, identity checked at the desk;
/// kommunstyrelsen releases a finding, socialnämnden withholds one under OSL 26 kap. 1 § and
/// decides with reasons. Returns the case id.
async fn shared_case(app: &TestApp) -> String {
    add_namnder(app).await;
    app.import_seed_register("kommunstyrelsen").await;
    app.import_seed_register("socialnamnden").await;
    let kc = Caller::kontaktcenter();
    let ks = ks_handlaggare();
    let sn = sn_handlaggare();
    let mut request = tolvans_letter(
        "access",
        "2026-03-09T10:00:00Z",
        &["kommunstyrelsen", "socialnamnden"],
    );
    request["subject_categories"] = json!(["invånare"]);
    let id = id_of(&app.create_case(&kc, &request).await);
    work_ok(app, &kc, &id, "identity", &verify_at_desk(), StatusCode::OK).await;

    let ks_activity = app.activity_named("kommunstyrelsen", KONTAKTCENTER).await;
    let sn_activity = app.activity_named("socialnamnden", FARDTJANST).await;
    for (caller, activity, body) in [
        (
            &ks,
            &ks_activity,
            json!({"found": true, "data": KS_FINDING, "secrecy": "release"}),
        ),
        (
            &sn,
            &sn_activity,
            json!({"found": true, "data": SN_FINDING, "secrecy": "withhold", "secrecy_reference": OSL}),
        ),
    ] {
        let response = app
            .put(
                caller,
                &format!("/api/v1/cases/{id}/findings/{}", id_of(activity)),
                &body,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{body}");
    }
    work_ok(
        app,
        &sn,
        &id,
        "decisions",
        &json!({"controller": "socialnamnden", "outcome": "partially_granted", "legal_grounds": ["osl_26_1", "dsl_5_1"],
                "reasons": format!("{SN_REASONS}: uppgifterna omfattas av sekretess ({OSL}).")}),
        StatusCode::CREATED,
    )
    .await;
    id
}

/// Fails if `text` holds anything of socialnämnden's secret work.
fn assert_no_socialnamnd_secrets(what: &str, text: &str) {
    for secret in [SN_FINDING, SN_REASONS] {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

/// Socialnämnden's part as a reader without access to it sees it.
fn assert_sealed(part: &Value) {
    assert_eq!(part["restricted"], true, "{part}");
    assert_eq!(part["status"], "decided", "{part}");
    assert_eq!(part["handler"], Value::Null, "{part}");
    assert_eq!(part["decision"], Value::Null, "{part}");
    assert!(part["decided_at"].is_string(), "the decided date: {part}");
}

async fn text_of(app: &TestApp, caller: &Caller, path: &str) -> (StatusCode, String) {
    let response = app.get(caller, path).await;
    (response.status(), response.text().await.expect("body"))
}

journey!(
    a_handlaggare_of_kommunstyrelsen_sees_nothing_of_what_socialnamnden_found_or_decided,
    |app: TestApp| async move {
        let id = shared_case(&app).await;
        let ks = ks_handlaggare();

        // The case: their own part in full, socialnämnden's as controller, status, decided date.
        let case = get_json(&app, &ks, &format!("/api/v1/cases/{id}")).await;
        assert_sealed(part(&case, "socialnamnden"));
        assert_eq!(part(&case, "kommunstyrelsen")["restricted"], false);
        assert_eq!(part(&case, "kommunstyrelsen")["status"], "open");
        assert_eq!(case["subject"]["name"], "Tolvan Tolvansson");
        assert_no_socialnamnd_secrets("the case", &case.to_string());

        // The candidates: only kommunstyrelsen's activities, with their own finding.
        let candidates = get_json(&app, &ks, &format!("/api/v1/cases/{id}/candidates")).await;
        let candidates = candidates.as_array().expect("candidates");
        assert!(!candidates.is_empty());
        assert!(
            candidates
                .iter()
                .all(|c| c["activity"]["controller"] == "kommunstyrelsen"),
            "{candidates:?}"
        );
        assert!(Value::Array(candidates.clone())
            .to_string()
            .contains(KS_FINDING));
        assert_no_socialnamnd_secrets(
            "the candidates",
            &Value::Array(candidates.clone()).to_string(),
        );

        // The journal: no finding, decision or handler of socialnämnden's.
        let journal = app.journal(&ks, &id).await;
        assert_no_socialnamnd_secrets("the journal", &Value::Array(journal.clone()).to_string());
        for event in &journal {
            assert_ne!(event["data"]["controller"], "socialnamnden", "{event}");
        }
        assert!(journal.iter().any(|e| e["event"] == "finding_recorded"));

        // The list, the search and the CSV export say the same.
        let page = get_json(&app, &ks, "/api/v1/cases").await;
        assert_sealed(part(&page["items"][0], "socialnamnden"));
        assert_no_socialnamnd_secrets("the list", &page.to_string());
        let found: Value = app
            .post(
                &ks,
                "/api/v1/cases/search",
                &json!({"personnummer": TOLVAN}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_sealed(part(&found["items"][0], "socialnamnden"));
        assert_no_socialnamnd_secrets("the search", &found.to_string());
        let (status, csv) = text_of(&app, &ks, "/api/v1/cases?format=csv").await;
        assert_eq!(status, StatusCode::OK);
        assert_no_socialnamnd_secrets("the CSV", &csv);

        // The extract they compile answers for kommunstyrelsen only; so do its JSON and its PDF.
        let compiled = work_ok(&app, &ks, &id, "extract", &json!({}), StatusCode::CREATED).await;
        let controllers: Vec<&str> = compiled["controllers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["controller"].as_str().unwrap())
            .collect();
        assert_eq!(controllers, vec!["kommunstyrelsen"]);
        assert_eq!(compiled["partial_refusal"], false);
        assert_eq!(compiled["appeal_sv"], Value::Null);
        let extract = get_json(&app, &ks, &format!("/api/v1/cases/{id}/extract")).await;
        assert_eq!(extract, compiled);
        assert_no_socialnamnd_secrets("the extract", &extract.to_string());
        let pdf = app
            .get(&ks, &format!("/api/v1/cases/{id}/extract.pdf"))
            .await;
        assert_eq!(pdf.status(), StatusCode::OK);
        let bytes = pdf.bytes().await.unwrap();
        let text: String = pdf_extract::extract_text_from_mem(&bytes)
            .expect("the PDF has text")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(!text.contains("Socialnämnden"), "{text}");
        assert!(text.contains(KS_FINDING), "{text}");

        // They decide nothing for socialnämnden, and cannot record its findings.
        let sn_activity = app.activity_named("socialnamnden", FARDTJANST).await;
        let response = app
            .put(
                &ks,
                &format!("/api/v1/cases/{id}/findings/{}", id_of(&sn_activity)),
                &json!({"found": false, "secrecy": "release"}),
            )
            .await;
        problem(response, StatusCode::FORBIDDEN).await;
    }
);

journey!(
    socialnamnden_sees_its_own_part_and_the_dpo_sees_both_with_the_read_audited,
    |app: TestApp| async move {
        let id = shared_case(&app).await;
        let sn = sn_handlaggare();
        let ks = ks_handlaggare();
        work_ok(&app, &ks, &id, "extract", &json!({}), StatusCode::CREATED).await;

        // Socialnämnden: its decision with reasons; kommunstyrelsen's part sealed (still open).
        let case = get_json(&app, &sn, &format!("/api/v1/cases/{id}")).await;
        let own = part(&case, "socialnamnden");
        assert_eq!(own["restricted"], false);
        assert!(own["decision"]["reasons"]
            .as_str()
            .unwrap()
            .contains(SN_REASONS));
        let other = part(&case, "kommunstyrelsen");
        assert_eq!(other["restricted"], true);
        assert_eq!(other["decided_at"], Value::Null);
        assert!(!case.to_string().contains(KS_FINDING));
        // Its section of the extract: the withheld finding counted, never shown.
        let extract = get_json(&app, &sn, &format!("/api/v1/cases/{id}/extract")).await;
        assert_eq!(extract["controllers"].as_array().unwrap().len(), 1);
        assert_eq!(extract["controllers"][0]["controller"], "socialnamnden");
        assert_eq!(extract["controllers"][0]["withheld_count"], 1);
        assert_eq!(extract["partial_refusal"], true);
        assert!(!extract.to_string().contains(SN_FINDING));
        assert!(!extract.to_string().contains(KS_FINDING));

        // The DPO reads both parts, and the audit log says it read other nämnders' parts.
        let dpo = Caller::dpo();
        let case = get_json(&app, &dpo, &format!("/api/v1/cases/{id}")).await;
        assert!(part(&case, "socialnamnden")["decision"]["reasons"]
            .as_str()
            .unwrap()
            .contains(SN_REASONS));
        assert_eq!(part(&case, "kommunstyrelsen")["restricted"], false);
        let extract = get_json(&app, &dpo, &format!("/api/v1/cases/{id}/extract")).await;
        assert_eq!(extract["controllers"].as_array().unwrap().len(), 2);
        let log = app.audit_log(Some(&id)).await;
        let dpo_read = log
            .iter()
            .find(|e| e["actor"] == "dpo-cecilia" && e["action"] == "case.read")
            .unwrap_or_else(|| panic!("the DPO's read in {log:#?}"));
        assert_eq!(
            dpo_read["detail"]["other_parts"],
            json!(["kommunstyrelsen", "socialnamnden"])
        );
        // A handläggare's read of a shared case names no other part: they were not shown one.
        let sn_read = log
            .iter()
            .find(|e| e["actor"] == sn.sub && e["action"] == "case.read")
            .expect("socialnämnden's read");
        assert_eq!(sn_read["detail"], Value::Null);
        // The DPO changes nothing.
        let response = work(
            &app,
            &dpo,
            &id,
            "decisions",
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;
        problem(response, StatusCode::FORBIDDEN).await;
    }
);

journey!(
    kontaktcenter_sees_what_the_desk_needs_and_no_findings_reasons_or_extract,
    |app: TestApp| async move {
        let id = shared_case(&app).await;
        let ks = ks_handlaggare();
        work_ok(&app, &ks, &id, "extract", &json!({}), StatusCode::CREATED).await;
        let kc = Caller::kontaktcenter();

        let case = get_json(&app, &kc, &format!("/api/v1/cases/{id}")).await;
        // Who, what, when, status, deadline.
        assert_eq!(case["subject"]["name"], "Tolvan Tolvansson");
        assert_eq!(case["kind"], "access");
        assert_eq!(case["deadline"], "2026-04-09");
        assert_eq!(case["identity"]["status"], "verified");
        // Every part as controller, status and decided date.
        assert_sealed(part(&case, "socialnamnden"));
        assert_eq!(part(&case, "kommunstyrelsen")["restricted"], true);
        for text in [
            case.to_string(),
            get_json(&app, &kc, "/api/v1/cases").await.to_string(),
            Value::Array(app.journal(&kc, &id).await).to_string(),
        ] {
            assert_no_socialnamnd_secrets("the desk's view", &text);
            assert!(!text.contains(KS_FINDING), "{text}");
        }
        for path in ["candidates", "extract", "extract.pdf"] {
            let response = app.get(&kc, &format!("/api/v1/cases/{id}/{path}")).await;
            let body = problem(response, StatusCode::FORBIDDEN).await;
            assert_eq!(body["code"], "forbidden", "{path}: {body}");
        }
    }
);

/// The keys of the e-tjänst's status view, and of each of its parts.
const STATUS_KEYS: [&str; 9] = [
    "awaiting_identity_information",
    "deadline",
    "extended",
    "extended_deadline",
    "kind",
    "parts",
    "received_date",
    "reference",
    "status",
];

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    keys
}

async fn citizen_cases(app: &TestApp, body: &Value) -> Value {
    let response = app
        .post(&Caller::etjanst(), "/api/v1/citizen/cases", body)
        .await;
    let status = response.status();
    let json: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::OK, "{json}");
    json
}

journey!(
    the_etjanst_shows_the_logged_in_citizen_the_status_of_their_own_requests_and_nothing_else,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let etjanst = Caller::etjanst();
        let kc = Caller::kontaktcenter();
        // Tolvan's request from the e-tjänst and his letter at the desk; Maria's letter as the
        // guardian of her child.
        let own = app.create_case(&etjanst, &etjanst_access_request()).await;
        let letter = app
            .create_case(
                &kc,
                &tolvans_letter("erasure", "2026-03-09T10:00:00Z", &["socialnamnden"]),
            )
            .await;
        let guardians = app
            .create_case(
                &kc,
                &json!({
                    "kind": "access", "channel": "letter", "received_at": "2026-03-09T11:00:00Z",
                    "subject": {"personnummer": CHILD, "name": "Alva Testsson"},
                    "representative": {"kind": "guardian", "personnummer": GUARDIAN,
                                       "name": "Maria Testsson", "email": "maria@example.se"},
                    "controllers": ["socialnamnden"]
                }),
            )
            .await;

        // Tolvan's number, in any written form: his two requests, newest first.
        let mine = citizen_cases(&app, &json!({"personnummer": "191212121212"})).await;
        assert_eq!(keys(&mine), vec!["items"]);
        let items = mine["items"].as_array().unwrap();
        assert_eq!(
            references(items),
            vec![
                own["reference"].as_str().unwrap(),
                letter["reference"].as_str().unwrap()
            ]
        );
        for item in items {
            assert_eq!(keys(item), STATUS_KEYS.map(String::from).to_vec(), "{item}");
            for part in item["parts"].as_array().unwrap() {
                assert_eq!(keys(part), vec!["controller", "decided_date", "status"]);
            }
        }
        assert_eq!(
            items[0],
            json!({
                "reference": own["reference"], "kind": "access", "status": "received",
                "received_date": "2026-03-10", "deadline": "2026-04-10",
                "extended_deadline": null, "extended": false,
                "awaiting_identity_information": false,
                "parts": [{"controller": "kommunstyrelsen", "status": "open", "decided_date": null}]
            })
        );
        // Nothing personal in the answer.
        let text = mine.to_string();
        for personal in ["Tolvan", "Storgatan", "tolvan@example.se", "191212121212"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }

        // As representative: Maria sees her request for her child.
        let marias = citizen_cases(&app, &json!({"personnummer": GUARDIAN})).await;
        assert_eq!(
            references(marias["items"].as_array().unwrap()),
            vec![guardians["reference"].as_str().unwrap()]
        );
        // One case at a time, by its reference; another person's reference is not found.
        let one = citizen_cases(
            &app,
            &json!({"personnummer": TOLVAN, "reference": letter["reference"]}),
        )
        .await;
        assert_eq!(one["items"].as_array().unwrap().len(), 1);
        let none = citizen_cases(
            &app,
            &json!({"personnummer": TOLVAN, "reference": guardians["reference"]}),
        )
        .await;
        assert_eq!(none, json!({"items": []}));
        // A number without cases: an empty list, not an error.
        let nobody = citizen_cases(&app, &json!({"personnummer": "19460823-9986"})).await;
        assert_eq!(nobody, json!({"items": []}));

        // Every status read is audited with the keyed hash of the number, never the number.
        let log = app.audit_log(None).await;
        let views: Vec<&Value> = log
            .iter()
            .filter(|e| e["action"] == "case.status_view")
            .collect();
        assert_eq!(views.len(), 5);
        let matches: Vec<u64> = views
            .iter()
            .map(|e| e["detail"]["matches"].as_u64().unwrap())
            .collect();
        assert_eq!(matches, vec![0, 0, 1, 1, 2], "newest first");
        let hashes: Vec<&str> = views
            .iter()
            .map(|e| e["detail"]["number_hash"].as_str().unwrap())
            .collect();
        assert_eq!(hashes[1], hashes[2], "the same number, the same hash");
        assert_ne!(hashes[0], hashes[1]);
        assert!(!Value::Array(log.clone())
            .to_string()
            .contains("191212121212"));

        // Bad input: a clear error naming the field, nothing else.
        let response = app
            .post(
                &etjanst,
                "/api/v1/citizen/cases",
                &json!({"personnummer": "19121212-1213"}),
            )
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(field_errors(&body)[0].0, "personnummer");

        // No list, no case, no search, no journal, no CSV, no extract.
        let id = id_of(&own);
        for path in [
            "/api/v1/cases".to_string(),
            "/api/v1/cases?format=csv".to_string(),
            format!("/api/v1/cases/{id}"),
            format!("/api/v1/cases/{id}/journal"),
            format!("/api/v1/cases/{id}/deadline"),
            format!("/api/v1/cases/{id}/extract"),
            format!("/api/v1/cases/{id}/candidates"),
        ] {
            problem(app.get(&etjanst, &path).await, StatusCode::FORBIDDEN).await;
        }
        let response = app
            .post(
                &etjanst,
                "/api/v1/cases/search",
                &json!({"personnummer": TOLVAN}),
            )
            .await;
        problem(response, StatusCode::FORBIDDEN).await;
        // Staff do not use the e-tjänst's view.
        let response = app
            .post(
                &kc,
                "/api/v1/citizen/cases",
                &json!({"personnummer": TOLVAN}),
            )
            .await;
        problem(response, StatusCode::FORBIDDEN).await;
    }
);

/// An e-tjänst request for `subject` after a login of `logged_in` at `assurance`.
fn etjanst_request(subject: &str, logged_in: &str, assurance: &str) -> Value {
    let mut request = etjanst_access_request();
    request["subject"]["personnummer"] = json!(subject);
    request["identity"] = json!({
        "method": "e_legitimation", "assurance": assurance, "personnummer": logged_in,
        "provider": "bankid", "transaction_reference": "131daac9-16c6-4618-beb0-365768f37288"
    });
    request
}

fn received_assertion(journal: &[Value]) -> Value {
    journal
        .iter()
        .find(|e| e["event"] == "received")
        .expect("the received event")["data"]["identity_assertion"]
        .clone()
}

journey!(
    an_e_legitimation_verifies_only_the_person_who_logged_in_at_loa3,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let etjanst = Caller::etjanst();
        let kc = Caller::kontaktcenter();

        // Tolvan logs in with BankID and asks for himself: verified, with the evidence kept.
        let case = app
            .create_case(&etjanst, &etjanst_request(TOLVAN, TOLVAN, "loa3"))
            .await;
        assert_eq!(case["identity"]["status"], "verified");
        let evidence = received_assertion(&app.journal(&kc, &id_of(&case)).await);
        assert_eq!(
            evidence,
            json!({
                "method": "e_legitimation", "assurance": "loa3", "minimum_assurance": "loa3",
                "provider": "bankid",
                "transaction_reference": "131daac9-16c6-4618-beb0-365768f37288",
                "matches": "subject", "outcome": "subject_verified"
            })
        );

        // Someone logs in and asks in Tolvan's name: recorded, Tolvan stays unverified.
        let case = app
            .create_case(&etjanst, &etjanst_request(TOLVAN, "19460823-9986", "loa3"))
            .await;
        assert_eq!(case["identity"]["status"], "unverified");
        let evidence = received_assertion(&app.journal(&kc, &id_of(&case)).await);
        assert_eq!(evidence["matches"], "nobody");
        assert_eq!(evidence["outcome"], "number_matches_no_party");
        assert!(!evidence.to_string().contains("194608239986"));

        // LoA2 verifies no one.
        let case = app
            .create_case(&etjanst, &etjanst_request(TOLVAN, TOLVAN, "loa2"))
            .await;
        assert_eq!(case["identity"]["status"], "unverified");
        let evidence = received_assertion(&app.journal(&kc, &id_of(&case)).await);
        assert_eq!(evidence["outcome"], "assurance_too_low");

        // A guardian logging in verifies the guardian, not the child.
        let mut request = etjanst_request(CHILD, GUARDIAN, "loa3");
        request["representative"] = json!({"kind": "guardian", "personnummer": GUARDIAN,
                                           "name": "Maria Testsson"});
        let case = app.create_case(&etjanst, &request).await;
        assert_eq!(case["identity"]["status"], "unverified");
        assert_eq!(case["representative"]["identity_status"], "verified");
        assert_eq!(case["representative"]["identity_method"], "e_legitimation");

        // An assertion that names no one, or no provider or reference, is refused and changes nothing.
        let before = app.all_cases().await.len();
        let mut request = etjanst_access_request();
        request["identity"] = json!({"method": "e_legitimation", "assurance": "loa3"});
        let response = app.post(&etjanst, "/api/v1/cases", &request).await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        let mut fields: Vec<String> = field_errors(&body).into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(
            fields,
            vec![
                "identity.personnummer",
                "identity.provider",
                "identity.transaction_reference"
            ]
        );
        assert_eq!(app.all_cases().await.len(), before);
    }
);

journey!(
    an_e_legitimation_below_a_higher_minimum_verifies_no_one,
    settings = |s: &mut dsar::config::Settings| s.identity.minimum_assurance = "loa4".into(),
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let case = app
            .create_case(&Caller::etjanst(), &etjanst_request(TOLVAN, TOLVAN, "loa3"))
            .await;
        assert_eq!(case["identity"]["status"], "unverified");
        let case = app
            .create_case(&Caller::etjanst(), &etjanst_request(TOLVAN, TOLVAN, "loa4"))
            .await;
        assert_eq!(case["identity"]["status"], "verified");
    }
);

journey!(
    nothing_is_decided_on_the_merits_before_the_identities_are_verified,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let sn = sn_handlaggare();
        // A letter in Tolvan's name; nobody has checked who wrote it.
        let case = app
            .create_case(
                &kc,
                &tolvans_letter("access", "2026-03-09T10:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        for outcome in ["granted", "partially_granted", "refused"] {
            let response = work(
                &app,
                &sn,
                &id,
                "decisions",
                &json!({"controller": "socialnamnden", "outcome": outcome, "reasons": "Skäl."}),
            )
            .await;
            let body = problem(response, StatusCode::CONFLICT).await;
            assert_eq!(body["code"], "identity_unverified", "{outcome}");
        }
        // The identity ground is for refusing only.
        let response = work(
            &app,
            &sn,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "granted",
                    "ground": "identity_not_established"}),
        )
        .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![("ground".into(), "refusal_only".into())]
        );
        let unchanged = get_json(&app, &sn, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(unchanged["status"], "received");
        assert_eq!(unchanged["version"], case["version"]);

        // Who asked could not be established: the one decision possible before verification.
        work_ok(
            &app,
            &kc,
            &id,
            "identity",
            &json!({"action": "fail", "note": "Ingen id-handling kom in."}),
            StatusCode::OK,
        )
        .await;
        let decided = work_ok(
            &app,
            &sn,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "refused",
                    "ground": "identity_not_established",
                    "reasons": "Vi har inte kunnat fastställa vem som gjorde begäran (artikel 12.6)."}),
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(decided["status"], "decided");

        // Once verified, a request is decided on its merits, not refused for identity.
        let other = app
            .create_case(
                &kc,
                &tolvans_letter("access", "2026-03-09T10:00:00Z", &["socialnamnden"]),
            )
            .await;
        let other = id_of(&other);
        work_ok(
            &app,
            &kc,
            &other,
            "identity",
            &verify_at_desk(),
            StatusCode::OK,
        )
        .await;
        let response = work(
            &app,
            &sn,
            &other,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "refused",
                    "ground": "identity_not_established", "reasons": "Skäl."}),
        )
        .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![("ground".into(), "identity_verified".into())]
        );

        // A representative must be verified too.
        let guardians = app
            .create_case(
                &kc,
                &json!({
                    "kind": "access", "channel": "letter", "received_at": "2026-03-09T11:00:00Z",
                    "subject": {"personnummer": CHILD, "name": "Alva Testsson"},
                    "representative": {"kind": "guardian", "personnummer": GUARDIAN,
                                       "name": "Maria Testsson"},
                    "controllers": ["socialnamnden"]
                }),
            )
            .await;
        let guardians = id_of(&guardians);
        work_ok(
            &app,
            &kc,
            &guardians,
            "identity",
            &verify_at_desk(),
            StatusCode::OK,
        )
        .await;
        let response = work(
            &app,
            &sn,
            &guardians,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "representative_unverified");
    }
);

journey!(
    every_read_is_audited_also_an_empty_search_an_export_and_a_refusal,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let ks = ks_handlaggare();
        let admin = Caller::admin();
        let first = id_of(
            &app.create_case(
                &kc,
                &tolvans_letter("access", "2026-03-09T10:00:00Z", &["kommunstyrelsen"]),
            )
            .await,
        );
        let second = id_of(
            &app.create_case(
                &kc,
                &tolvans_letter("erasure", "2026-03-09T11:00:00Z", &["kommunstyrelsen"]),
            )
            .await,
        );
        let secret = id_of(
            &app.create_case(
                &kc,
                &tolvans_letter("access", "2026-03-09T12:00:00Z", &["socialnamnden"]),
            )
            .await,
        );

        // The CSV export names every case it returned.
        let (status, _) = text_of(&app, &ks, "/api/v1/cases?format=csv").await;
        assert_eq!(status, StatusCode::OK);
        // A search that finds nothing, and one that finds two, with the same hash for one number.
        for number in ["19460823-9986", TOLVAN, "191212121212"] {
            let response = app
                .post(
                    &ks,
                    "/api/v1/cases/search",
                    &json!({"personnummer": number}),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }
        // Refused: a case of another nämnd (404), and a role that may not read cases (403).
        problem(
            app.get(&ks, &format!("/api/v1/cases/{secret}")).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        problem(
            app.get(&Caller::etjanst(), &format!("/api/v1/cases/{first}"))
                .await,
            StatusCode::FORBIDDEN,
        )
        .await;
        // An unknown id leaves no refusal row (there is no case to protect).
        let unknown = uuid::Uuid::now_v7();
        problem(
            app.get(&ks, &format!("/api/v1/cases/{unknown}")).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        // The administrator reads the outbox and changes a controller.
        let response = app.get(&admin, "/api/v1/outbox").await;
        assert_eq!(response.status(), StatusCode::OK);
        let response = app
            .put(
                &admin,
                "/api/v1/controllers/kommunstyrelsen",
                &json!({"name": "Kommunstyrelsen", "email": "ks@exempel.kommun.se"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);

        let log = app.audit_log(None).await;
        let of = |action: &str| -> Vec<&Value> {
            log.iter().filter(|e| e["action"] == action).collect()
        };
        let export = of("case.export_csv");
        assert_eq!(export.len(), 1);
        let mut exported: Vec<&str> = export[0]["case_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        exported.sort();
        let mut expected = vec![first.as_str(), second.as_str()];
        expected.sort();
        assert_eq!(exported, expected);

        let searches = of("case.search");
        assert_eq!(searches.len(), 3);
        // Newest first: 191212121212, 19121212-1212, 19460823-9986.
        assert_eq!(searches[2]["detail"]["matches"], 0);
        assert_eq!(searches[2]["case_ids"], json!([]));
        assert_eq!(searches[1]["detail"]["matches"], 2);
        assert_eq!(
            searches[0]["detail"]["number_hash"],
            searches[1]["detail"]["number_hash"]
        );
        assert_ne!(
            searches[1]["detail"]["number_hash"],
            searches[2]["detail"]["number_hash"]
        );
        let everything = Value::Array(log.clone()).to_string();
        for number in ["194608239986", "191212121212", "19121212-1212"] {
            assert!(!everything.contains(number), "{number} in the audit log");
        }

        let refused = of("case.read_refused");
        assert_eq!(refused.len(), 2, "{refused:#?}");
        assert_eq!(refused[1]["case_id"], secret);
        assert_eq!(
            refused[1]["detail"],
            json!({"refused": "case.read", "status": 404})
        );
        assert_eq!(refused[0]["case_id"], first);
        assert_eq!(
            refused[0]["detail"],
            json!({"refused": "case.read", "status": 403})
        );
        assert_eq!(refused[0]["roles"], "etjanst");

        assert_eq!(of("outbox.read").len(), 1);
        let update = of("controller.update");
        assert_eq!(update.len(), 1);
        assert_eq!(
            update[0]["detail"],
            json!({"controller": "kommunstyrelsen"})
        );
        assert_eq!(update[0]["actor"], "admin-david");
    }
);
