//! Decisions (domain.md §6): the outcome per controller, the reasons, Art. 19 for granted
//! rectification and erasure, and the decision letter with IMY and how to appeal.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

/// How to complain to IMY: in every decision.
const IMY: &str = "\nOm du anser att vi behandlar dina personuppgifter i strid med dataskyddsförordningen har du \
     rätt att lämna klagomål till Integritetsskyddsmyndigheten (IMY), Box 8114, 104 20 Stockholm, imy@imy.se, \
     www.imy.se (artikel 77 i dataskyddsförordningen).\n";

/// How to complain and, for a decision that goes against the person (FL 33 §), how to appeal:
/// to the förvaltningsrätt of the municipality, lodged with the nämnd that decided.
fn imy_and_appeal(namnd: &str, reference: &str) -> String {
    format!(
        "{IMY}\n\
         Du kan överklaga beslutet till Förvaltningsrätten i Stockholm enligt 7 kap. 2 § \
         dataskyddslagen (2018:218). Skicka eller lämna överklagandet till {namnd}, inte direkt till \
         domstolen. Överklagandet måste ha kommit in till {namnd} inom tre veckor från den dag du \
         fick del av beslutet, enligt 44 § förvaltningslagen (2017:900). Skriv vilket beslut du \
         överklagar (ärendenummer {reference}), hur du vill att beslutet ska ändras och varför.\n"
    )
}

fn text_sv(case: &Value, controller: &str) -> String {
    part(case, controller)["decision"]["text_sv"]
        .as_str()
        .expect("text_sv")
        .to_owned()
}

journey!(
    a_rectification_is_granted_and_the_recipients_are_told,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let mut request =
            tolvans_signed_letter("rectification", "2026-03-03T09:00:00Z", &["socialnamnden"]);
        request["description"] =
            json!("Min adress i ärendet om färdtjänst är fel: rätt adress är Storgatan 1.");
        let case = app.create_case(&kc, &request).await;
        let id = id_of(&case);

        // Granted, but who was told? Art. 19 asks for the recipients, or why they were not told.
        for recipients in [None, Some(json!([])), Some(json!(["  "]))] {
            let mut decision = json!({"controller": "socialnamnden", "outcome": "granted"});
            if let Some(recipients) = recipients {
                decision["recipients_notified"] = recipients;
            }
            let response = work(&app, &hl, &id, "decisions", &decision).await;
            let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                field_errors(&body),
                vec![field("recipients_notified", "required")],
                "{decision}"
            );
        }
        let unchanged = read_case(&app, &hl, &id).await;
        assert_eq!(unchanged["status"], "received");
        assert_eq!(unchanged["version"], 1);
        assert_eq!(
            part(&unchanged, "socialnamnden"),
            &json!({"controller": "socialnamnden", "status": "open", "handler": null, "handler_name": null, "decision": null,
                    "decided_at": null, "restricted": false})
        );

        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({
                "controller": "socialnamnden",
                "outcome": "granted",
                "recipients_notified": ["Försäkringskassan", "Skatteverket"],
                "decision_maker": {"name": "Bertil Ek", "title": "handläggare",
                                   "delegation": "Delegationsordning SN 2026, punkt 1.4"}
            }),
        )
        .await;
        assert_eq!(decided["status"], "decided");
        assert_eq!(decided["decided_at"], "2026-03-10T09:00:00Z");
        assert_eq!(decided["days_left"], Value::Null);
        assert_eq!(decided["overdue"], false);
        let expected_text = format!(
            "Beslut\nSocialnämnden, Exempelkommunen\nÄrende: DSAR-2026-00001\nDatum: 10 mars 2026\n\n\
             Socialnämnden beviljar din begäran om att få dina uppgifter rättade (artikel 16 i \
             dataskyddsförordningen).\n\n\
             Beslutet har fattats av Bertil Ek, handläggare, med stöd av Delegationsordning SN 2026, \
             punkt 1.4.\n\n\
             Vi har underrättat följande mottagare om rättelsen (artikel 19 i dataskyddsförordningen): \
             Försäkringskassan, Skatteverket.\n{IMY}"
        );
        // Granted in full: nothing to appeal (FL 33 §).
        assert!(!expected_text.contains("överklaga"));
        assert_eq!(
            part(&decided, "socialnamnden"),
            &json!({
                "controller": "socialnamnden",
                "status": "decided",
                "restricted": false,
                "decided_at": "2026-03-10T09:00:00Z",
                // Nobody had taken the part: the one who decided it is its handler.
                "handler": "hl-bertil",
                "handler_name": "Bertil Ås",
                "decision": {
                    "outcome": "granted",
                    "reasons": null,
                    "recipients_notified": ["Försäkringskassan", "Skatteverket"],
                    "recipients_not_notified_reason": null,
                    "text_sv": expected_text,
                    "decided_at": "2026-03-10T09:00:00Z",
                    "decided_by": "hl-bertil",
                    // A grant in full needs no provisions (förvaltningslagen 32 §).
                    "legal_grounds": [],
                    "decision_maker": {"name": "Bertil Ek", "title": "handläggare",
                                       "delegation": "Delegationsordning SN 2026, punkt 1.4"},
                    "fee_sek": null,
                    "forwarded_to": null,
                    "forwarded_on": null,
                    "not_applicable_because": null
                }
            })
        );
        let journal = app.journal(&hl, &id).await;
        assert_eq!(event_names(&journal), vec!["received", "decided"]);
        assert_eq!(
            journal[1]["data"],
            json!({
                "controller": "socialnamnden",
                "outcome": "granted",
                "legal_grounds": [],
                "recipients_notified": ["Försäkringskassan", "Skatteverket"],
                "recipients_not_notified_reason": null,
                "case_decided": true,
                // Tolvan gave an e-mail address: the decision is sent to it.
                "notice": "email"
            })
        );

        // Where the data was never passed on, the decision says so instead of naming recipients.
        let other = app
            .create_case(
                &kc,
                &tolvans_signed_letter("rectification", "2026-03-04T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let decided = decide(
            &app,
            &hl,
            &id_of(&other),
            &json!({
                "controller": "socialnamnden",
                "outcome": "granted",
                "recipients_not_notified_reason": "Uppgifterna har inte lämnats ut till någon."
            }),
        )
        .await;
        let decision = &part(&decided, "socialnamnden")["decision"];
        assert_eq!(decision["recipients_notified"], json!([]));
        assert_eq!(
            decision["recipients_not_notified_reason"],
            "Uppgifterna har inte lämnats ut till någon."
        );
        assert!(
            text_sv(&decided, "socialnamnden").contains(
                "\nMottagare har inte underrättats om rättelsen (artikel 19 i dataskyddsförordningen): \
                 Uppgifterna har inte lämnats ut till någon.\n"
            ),
            "{decided}"
        );
    }
);

journey!(
    an_erasure_is_refused_under_the_archives_act_with_reasons,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let mut request =
            tolvans_signed_letter("erasure", "2026-03-03T09:00:00Z", &["socialnamnden"]);
        request["description"] = json!("Radera allt om mig i ekonomiskt bistånd.");
        let case = app.create_case(&Caller::kontaktcenter(), &request).await;
        let id = id_of(&case);

        // A refusal without reasons is no decision (Art. 12(4), förvaltningslagen 32 §).
        for reasons in [None, Some("   ")] {
            let mut decision = json!({"controller": "socialnamnden", "outcome": "refused", "legal_grounds": ["arkivlagen_10"]});
            if let Some(reasons) = reasons {
                decision["reasons"] = json!(reasons);
            }
            let response = work(&app, &hl, &id, "decisions", &decision).await;
            let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                field_errors(&body),
                vec![field("reasons", "required")],
                "{decision}"
            );
        }
        assert_eq!(read_case(&app, &hl, &id).await["status"], "received");

        // Nor is one without the provisions applied (förvaltningslagen 32 §), or with a
        // provision the catalogue does not know.
        for (grounds, expected) in [
            (json!([]), field("legal_grounds", "required")),
            (
                json!(["osl_99_9"]),
                field("legal_grounds[0]", "unknown_legal_ground"),
            ),
        ] {
            let decision = json!({"controller": "socialnamnden", "outcome": "refused",
                                  "reasons": "Arkivlagen.", "legal_grounds": grounds});
            let response = work(&app, &hl, &id, "decisions", &decision).await;
            let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(field_errors(&body), vec![expected], "{decision}");
        }
        assert_eq!(read_case(&app, &hl, &id).await["status"], "received");

        let reasons = "Uppgifterna finns i allmänna handlingar som ska bevaras enligt arkivlagen (1990:782) \
                       och får gallras först enligt nämndens gallringsbeslut. Rätten till radering gäller \
                       därför inte (artikel 17.3 b och d i dataskyddsförordningen).";
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "refused", "legal_grounds": ["gdpr_17_3_b", "arkivlagen_10"], "reasons": reasons}),
        )
        .await;
        assert_eq!(decided["status"], "decided");
        let decision = &part(&decided, "socialnamnden")["decision"];
        assert_eq!(decision["outcome"], "refused");
        assert_eq!(decision["reasons"], reasons);
        // A refusal changes nothing, so there is nobody to tell under Art. 19.
        assert_eq!(decision["recipients_notified"], json!([]));
        assert_eq!(decision["recipients_not_notified_reason"], Value::Null);
        let text = text_sv(&decided, "socialnamnden");
        for expected in [
            "Beslut\nSocialnämnden, Exempelkommunen\nÄrende: DSAR-2026-00001\nDatum: 10 mars 2026\n",
            "Socialnämnden avslår din begäran om att få dina uppgifter raderade (artikel 17 i dataskyddsförordningen).",
            &format!("Skäl för beslutet: {reasons}"),
            "Beslutet grundas på artikel 17.3 b i dataskyddsförordningen och 10 § arkivlagen (1990:782).",
            "Integritetsskyddsmyndigheten (IMY)",
            "överklaga beslutet till Förvaltningsrätten i Stockholm",
            "lämna överklagandet till Socialnämnden",
            "inom tre veckor",
            "(ärendenummer DSAR-2026-00001)",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from:\n{text}"
            );
        }
        assert!(
            text.ends_with(&imy_and_appeal("Socialnämnden", "DSAR-2026-00001")),
            "{text}"
        );
        assert!(!text.contains("artikel 19"), "{text}");
    }
);

journey!(
    an_objection_is_partly_granted_with_reasons,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let mut request =
            tolvans_signed_letter("objection", "2026-03-05T09:00:00Z", &["kommunstyrelsen"]);
        request["description"] =
            json!("Jag invänder mot att mina uppgifter används i medborgarundersökningen.");
        let case = app.create_case(&Caller::kontaktcenter(), &request).await;
        let id = id_of(&case);

        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "kommunstyrelsen", "outcome": "partially_granted", "legal_grounds": ["gdpr_21_1"]}),
        )
        .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(field_errors(&body), vec![field("reasons", "required")]);

        let reasons = "Uppgifterna tas bort ur medborgarundersökningen. Uppgifterna i diariet behandlas \
                       som en rättslig förpliktelse, och mot den behandlingen kan man inte invända.";
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "kommunstyrelsen", "outcome": "partially_granted", "legal_grounds": ["gdpr_21_1"], "reasons": reasons}),
        )
        .await;
        assert_eq!(decided["status"], "decided");
        assert_eq!(decided["decided_at"], "2026-03-10T09:00:00Z");
        let decision = &part(&decided, "kommunstyrelsen")["decision"];
        assert_eq!(decision["outcome"], "partially_granted");
        assert_eq!(decision["reasons"], reasons);
        let text = text_sv(&decided, "kommunstyrelsen");
        for expected in [
            "Beslut\nKommunstyrelsen, Exempelkommunen\n",
            "Kommunstyrelsen beviljar delvis din invändning mot att vi behandlar dina uppgifter (artikel 21 i dataskyddsförordningen).",
            &format!("Skäl för beslutet: {reasons}"),
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from:\n{text}"
            );
        }
        assert!(
            text.ends_with(&imy_and_appeal("Kommunstyrelsen", "DSAR-2026-00001")),
            "{text}"
        );
        // Art. 19 is about rectification and erasure only.
        assert!(!text.contains("artikel 19"), "{text}");
    }
);

journey!(
    an_access_request_over_two_namnder_is_decided_part_by_part,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let sara = Caller::named_handlaggare("hl-sara", &["socialnamnden"]);
        let karl = Caller::named_handlaggare("hl-karl", &["kommunstyrelsen"]);
        let mut request = etjanst_access_request();
        request["controllers"] = json!(["socialnamnden", "kommunstyrelsen"]);
        let case = app.create_case(&Caller::etjanst(), &request).await;
        let id = id_of(&case);
        assert_eq!(case["deadline"], "2026-04-10");

        // Each handläggare takes their own nämnd's part.
        let taken = work_ok(
            &app,
            &sara,
            &id,
            "parts/socialnamnden/assign",
            &json!({}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(taken["status"], "in_progress");
        assert_eq!(part(&taken, "socialnamnden")["handler"], "hl-sara");
        assert_eq!(part(&taken, "kommunstyrelsen")["handler"], Value::Null);
        let taken = work_ok(
            &app,
            &karl,
            &id,
            "parts/kommunstyrelsen/assign",
            &json!({}),
            StatusCode::OK,
        )
        .await;
        // Karl sees socialnämnden's part only as controller and status (OSL 8 kap. 1 §).
        assert_eq!(part(&taken, "socialnamnden")["handler"], Value::Null);
        assert_eq!(part(&taken, "socialnamnden")["restricted"], true);
        assert_eq!(part(&taken, "kommunstyrelsen")["handler"], "hl-karl");

        // Socialnämnden decides first: the case waits for kommunstyrelsen.
        at(&app, "2026-03-17T10:00:00Z");
        let first = decide(
            &app,
            &sara,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        assert_eq!(first["status"], "in_progress");
        assert_eq!(first["decided_at"], Value::Null);
        assert_eq!(first["days_left"], 24);
        assert_eq!(part(&first, "socialnamnden")["status"], "decided");
        assert_eq!(
            part(&first, "socialnamnden")["decision"]["outcome"],
            "granted"
        );
        assert_eq!(
            part(&first, "socialnamnden")["decision"]["decided_by"],
            "hl-sara"
        );
        assert_eq!(
            part(&first, "socialnamnden")["decision"]["decided_at"],
            "2026-03-17T10:00:00Z"
        );
        assert_eq!(
            part(&first, "kommunstyrelsen"),
            &json!({"controller": "kommunstyrelsen", "status": "open", "handler": null, "handler_name": null, "decision": null,
                    "decided_at": null, "restricted": true})
        );

        // Kommunstyrelsen withholds what is under secrecy: the case is decided.
        at(&app, "2026-03-24T13:30:00Z");
        let reasons =
            "Uppgifter i en pågående upphandling omfattas av sekretess enligt 19 kap. 3 § OSL.";
        let second = decide(
            &app,
            &karl,
            &id,
            &json!({"controller": "kommunstyrelsen", "outcome": "partially_granted", "legal_grounds": ["dsl_5_1"], "reasons": reasons}),
        )
        .await;
        assert_eq!(second["status"], "decided");
        assert_eq!(second["decided_at"], "2026-03-24T13:30:00Z");
        assert_eq!(second["days_left"], Value::Null);
        assert_eq!(second["overdue"], false);
        assert_eq!(part(&second, "socialnamnden")["status"], "decided");
        assert_eq!(
            part(&second, "socialnamnden")["decided_at"],
            "2026-03-17T10:00:00Z"
        );
        assert_eq!(part(&second, "socialnamnden")["decision"], Value::Null);
        assert_eq!(part(&second, "kommunstyrelsen")["status"], "decided");
        assert_eq!(
            part(&second, "kommunstyrelsen")["decision"]["decided_by"],
            "hl-karl"
        );
        assert_eq!(
            part(&second, "kommunstyrelsen")["decision"]["reasons"],
            reasons
        );
        // Each letter is from its own nämnd, and an appeal goes to the nämnd that decided (as the
        // DPO, who reads both parts, sees them).
        let second = read_case(&app, &Caller::dpo(), &id).await;
        let social = text_sv(&second, "socialnamnden");
        assert!(social.starts_with("Beslut\nSocialnämnden, Exempelkommunen\nÄrende: DSAR-2026-00001\nDatum: 17 mars 2026\n"), "{social}");
        assert!(
            social.contains("Socialnämnden beviljar din begäran om registerutdrag"),
            "{social}"
        );
        // Granted in full: no appeal text (FL 33 §).
        assert!(!social.contains("överklaga"), "{social}");
        let styrelsen = text_sv(&second, "kommunstyrelsen");
        assert!(styrelsen.starts_with("Beslut\nKommunstyrelsen, Exempelkommunen\nÄrende: DSAR-2026-00001\nDatum: 24 mars 2026\n"), "{styrelsen}");
        assert!(
            styrelsen.contains("Kommunstyrelsen beviljar delvis din begäran om registerutdrag"),
            "{styrelsen}"
        );
        assert!(styrelsen.contains("överklaga"), "{styrelsen}");
        assert!(
            styrelsen.contains("Skicka eller lämna överklagandet till Kommunstyrelsen"),
            "{styrelsen}"
        );

        let journal = app.journal(&Caller::dpo(), &id).await;
        let steps: Vec<(String, String, Value, Value)> = journal
            .iter()
            .map(|e| {
                (
                    e["event"].as_str().unwrap().to_owned(),
                    e["actor"].as_str().unwrap().to_owned(),
                    e["data"]["controller"].clone(),
                    e["data"]["case_decided"].clone(),
                )
            })
            .collect();
        let step = |event: &str, actor: &str, controller: Value, case_decided: Value| {
            (event.to_owned(), actor.to_owned(), controller, case_decided)
        };
        assert_eq!(
            steps,
            vec![
                step("received", "e-tjansten", Value::Null, Value::Null),
                step(
                    "handler_assigned",
                    "hl-sara",
                    json!("socialnamnden"),
                    Value::Null
                ),
                step(
                    "handler_assigned",
                    "hl-karl",
                    json!("kommunstyrelsen"),
                    Value::Null
                ),
                step("decided", "hl-sara", json!("socialnamnden"), json!(false)),
                step("decided", "hl-karl", json!("kommunstyrelsen"), json!(true)),
            ]
        );
    }
);

journey!(
    a_kommunalt_bolag_refuses_and_its_letter_gives_imy_only,
    |app: TestApp| async move {
        // A municipal company is its own controller, but not a myndighet.
        let admin = Caller::admin();
        let response = app
            .post(
                &admin,
                "/api/v1/controllers",
                &json!({"id": "telgebostader", "name": "Telge Bostäder AB", "kind": "kommunalt_bolag",
                        "postal_address": "Box 1\n151 21 Södertälje"}),
            )
            .await;
        let company: Value = response.json().await.unwrap();
        assert_eq!(company["kind"], "kommunalt_bolag", "{company}");
        assert_eq!(company["postal_address"], "Box 1\n151 21 Södertälje");
        let response = app
            .post(
                &admin,
                "/api/v1/controllers",
                &json!({"id": "miljonamnden", "name": "Miljönämnden", "kind": "styrelse"}),
            )
            .await;
        // An unknown kind is named in the problem.
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(refusal.to_string().contains("kind"), "{refusal}");

        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_signed_letter("erasure", "2026-03-03T09:00:00Z", &["telgebostader"]),
            )
            .await;
        let id = id_of(&case);
        let hl = Caller::handlaggare(&["telgebostader"]);
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "telgebostader", "outcome": "refused", "legal_grounds": ["gdpr_17_3_b"],
                    "reasons": "Uppgifterna behövs för hyresavtalet (artikel 6.1 b i dataskyddsförordningen)."}),
        )
        .await;
        let text = text_sv(&decided, "telgebostader");
        assert!(
            text.contains("Telge Bostäder AB avslår din begäran om att få dina uppgifter raderade"),
            "{text}"
        );
        assert!(
            text.contains("Integritetsskyddsmyndigheten (IMY)"),
            "{text}"
        );
        assert!(
            text.contains("Telge Bostäder AB är ett kommunalt bolag och inte en myndighet. Bolagets beslut kan därför inte överklagas till domstol"),
            "{text}"
        );
        assert!(!text.contains("Förvaltningsrätten"), "{text}");
        assert!(!text.contains("tre veckor"), "{text}");

        // The same refusal by a nämnd names the court and its postal address.
        let response = app
            .put(
                &admin,
                "/api/v1/controllers/telgebostader",
                &json!({"name": "Telge Bostäder AB", "postal_address": "Box 1\n151 21 Södertälje"}),
            )
            .await;
        let unchanged: Value = response.json().await.unwrap();
        assert_eq!(
            unchanged["kind"], "kommunalt_bolag",
            "a kind left out stays"
        );
        app.add_controller("socialnamnden", "Socialnämnden").await;
        let response = app
            .put(
                &admin,
                "/api/v1/controllers/socialnamnden",
                &json!({"name": "Socialnämnden", "kind": "namnd",
                        "postal_address": "Socialnämnden\nBox 100\n151 89 Södertälje"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_signed_letter("erasure", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let sn = Caller::handlaggare(&["socialnamnden"]);
        let decided = decide(
            &app,
            &sn,
            &id_of(&case),
            &json!({"controller": "socialnamnden", "outcome": "refused", "legal_grounds": ["arkivlagen_10"],
                    "reasons": "Uppgifterna ska bevaras enligt arkivlagen (1990:782)."}),
        )
        .await;
        let text = text_sv(&decided, "socialnamnden");
        assert!(text.contains(
            "Skicka eller lämna överklagandet till Socialnämnden (Socialnämnden, Box 100, 151 89 Södertälje), inte direkt till domstolen."
        ), "{text}");
    }
);

journey!(
    a_decision_on_information_or_automated_decisions_cannot_be_appealed_to_court,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        for kind in ["information", "automated_decision"] {
            let case = app
                .create_case(
                    &Caller::kontaktcenter(),
                    &tolvans_signed_letter(kind, "2026-03-03T09:00:00Z", &["socialnamnden"]),
                )
                .await;
            let decided = decide(
                &app,
                &hl,
                &id_of(&case),
                &json!({"controller": "socialnamnden", "outcome": "refused", "legal_grounds": ["gdpr_22_2"],
                        "reasons": "Beslutet fattas inte automatiskt."}),
            )
            .await;
            let text = text_sv(&decided, "socialnamnden");
            assert!(
                text.contains("Beslutet kan inte överklagas till domstol"),
                "{text}"
            );
            assert!(!text.contains("Du kan överklaga"), "{text}");
            assert!(
                text.contains("Integritetsskyddsmyndigheten (IMY)"),
                "{text}"
            );
        }
    }
);

journey!(
    the_catalogue_of_legal_grounds_lists_what_a_decision_can_cite,
    |app: TestApp| async move {
        let catalogue = get_json(
            &app,
            &Caller::handlaggare(&["socialnamnden"]),
            "/api/v1/legal-grounds",
        )
        .await;
        let catalogue = catalogue.as_array().expect("a list");
        for code in [
            "osl_26_1",
            "dsl_5_1",
            "dsl_5_2",
            "gdpr_17_3_b",
            "gdpr_12_5",
            "arkivlagen_10",
        ] {
            let ground = catalogue
                .iter()
                .find(|g| g["code"] == code)
                .unwrap_or_else(|| panic!("{code} missing"));
            assert!(
                ground["citation_sv"].as_str().unwrap().contains('§') || code.starts_with("gdpr")
            );
            assert!(!ground["summary_sv"].as_str().unwrap().is_empty());
        }
        let anonymous = app.get_anonymous("/api/v1/legal-grounds").await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    }
);

journey!(
    a_granted_restriction_tells_the_recipients_too,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_signed_letter("restriction", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        // Art. 19 covers restriction as it covers rectification and erasure.
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("recipients_notified", "required")]
        );
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted",
            "recipients_notified": ["Försäkringskassan"]}),
        )
        .await;
        let text = text_sv(&decided, "socialnamnden");
        assert!(
            text.contains("Vi har underrättat följande mottagare om begränsningen (artikel 19"),
            "{text}"
        );
    }
);
