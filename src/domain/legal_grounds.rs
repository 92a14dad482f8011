//! The provisions a decision against the person applies (förvaltningslagen 32 §: the reasons
//! name the provisions), as a catalogue the service ships: the chapters of OSL a kommun's
//! nämnder apply most, the GDPR articles that limit the rights, dataskyddslagen 5 kap. 1-2 §§
//! and arkivlagen. A decision names them by code; the letter quotes the citation.

use serde::Serialize;
use utoipa::ToSchema;

/// One provision a decision can rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct LegalGround {
    /// Stable code, e.g. `osl_26_1`.
    pub code: &'static str,
    /// As the letter cites it, e.g. `26 kap. 1 § offentlighets- och sekretesslagen (2009:400)`.
    pub citation_sv: &'static str,
    /// What it protects or allows, for the handläggare choosing it.
    pub summary_sv: &'static str,
}

macro_rules! grounds {
    ($($code:literal, $citation:literal, $summary:literal;)+) => {
        /// Every provision in the catalogue, in the order a picker lists them.
        pub const CATALOGUE: &[LegalGround] = &[
            $(LegalGround { code: $code, citation_sv: $citation, summary_sv: $summary },)+
        ];
    };
}

grounds! {
    "osl_21_1", "21 kap. 1 § offentlighets- och sekretesslagen (2009:400)",
        "Uppgifter om hälsa och sexualliv, om den enskilde eller en närstående lider men.";
    "osl_21_3", "21 kap. 3 § offentlighets- och sekretesslagen (2009:400)",
        "Skyddade personuppgifter: var någon bor, när det kan finnas risk för förföljelse.";
    "osl_23_1", "23 kap. 1 § offentlighets- och sekretesslagen (2009:400)",
        "Förskolan: uppgifter om enskildas personliga förhållanden.";
    "osl_23_2", "23 kap. 2 § offentlighets- och sekretesslagen (2009:400)",
        "Skolan: elevhälsa, särskilt elevstöd och psykologisk verksamhet.";
    "osl_25_1", "25 kap. 1 § offentlighets- och sekretesslagen (2009:400)",
        "Hälso- och sjukvård: uppgifter om hälsotillstånd och personliga förhållanden.";
    "osl_26_1", "26 kap. 1 § offentlighets- och sekretesslagen (2009:400)",
        "Socialtjänst: uppgifter om enskildas personliga förhållanden.";
    "osl_26_5", "26 kap. 5 § offentlighets- och sekretesslagen (2009:400)",
        "Socialtjänst: uppgifter om den som har anmält eller lämnat uppgifter.";
    "osl_39_1", "39 kap. 1 § offentlighets- och sekretesslagen (2009:400)",
        "Personaladministration: personalsocial verksamhet.";
    "dsl_5_1", "5 kap. 1 § lagen (2018:218) med kompletterande bestämmelser till EU:s dataskyddsförordning",
        "Rätten till information och registerutdrag gäller inte uppgifter som omfattas av sekretess.";
    "dsl_5_2", "5 kap. 2 § lagen (2018:218) med kompletterande bestämmelser till EU:s dataskyddsförordning",
        "Utkast och minnesanteckningar som inte har fått sin slutliga form lämnas inte ut.";
    "gdpr_11_2", "artikel 11.2 i dataskyddsförordningen",
        "Vi kan inte identifiera den registrerade.";
    "gdpr_12_5", "artikel 12.5 i dataskyddsförordningen",
        "Begäran är uppenbart ogrundad eller orimlig.";
    "gdpr_12_6", "artikel 12.6 i dataskyddsförordningen",
        "Identiteten har inte kunnat fastställas.";
    "gdpr_15_4", "artikel 15.4 i dataskyddsförordningen",
        "En kopia får inte inkräkta på andras rättigheter och friheter.";
    "gdpr_16", "artikel 16 i dataskyddsförordningen",
        "Uppgifterna är korrekta och fullständiga.";
    "gdpr_17_1", "artikel 17.1 i dataskyddsförordningen",
        "Inget av skälen för radering är uppfyllt.";
    "gdpr_17_3_b", "artikel 17.3 b i dataskyddsförordningen",
        "Behandlingen behövs för en rättslig förpliktelse eller en uppgift av allmänt intresse eller myndighetsutövning.";
    "gdpr_17_3_d", "artikel 17.3 d i dataskyddsförordningen",
        "Arkivändamål av allmänt intresse.";
    "gdpr_17_3_e", "artikel 17.3 e i dataskyddsförordningen",
        "Rättsliga anspråk.";
    "gdpr_18_1", "artikel 18.1 i dataskyddsförordningen",
        "Ingen av förutsättningarna för begränsning är uppfylld.";
    "gdpr_20_3", "artikel 20.3 i dataskyddsförordningen",
        "Dataportabilitet gäller inte behandling av allmänt intresse eller myndighetsutövning.";
    "gdpr_21_1", "artikel 21.1 i dataskyddsförordningen",
        "Tvingande berättigade skäl väger tyngre än den registrerades intressen.";
    "gdpr_22_2", "artikel 22.2 i dataskyddsförordningen",
        "Beslutet är tillåtet enligt lag eller nödvändigt för ett avtal.";
    "gdpr_4_1", "artikel 4.1 i dataskyddsförordningen",
        "Det som begäran gäller är inte personuppgifter.";
    "gdpr_recital_27", "skäl 27 i dataskyddsförordningen",
        "Förordningen gäller inte personuppgifter om avlidna.";
    "fl_4", "4 § förvaltningslagen (2017:900)",
        "Serviceskyldighet: en begäran som hör till en annan myndighet skickas vidare dit.";
    "arkivlagen_10", "10 § arkivlagen (1990:782)",
        "Allmänna handlingar får gallras endast enligt ett gallringsbeslut.";
}

/// The provision with `code`.
pub fn find(code: &str) -> Option<&'static LegalGround> {
    CATALOGUE.iter().find(|g| g.code == code)
}

/// The citations as the letter lists them: "A, B och C".
pub fn citations_sv(grounds: &[&LegalGround]) -> String {
    let citations: Vec<&str> = grounds.iter().map(|g| g.citation_sv).collect();
    match citations.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_unique_and_every_citation_names_its_law() {
        let codes: HashSet<&str> = CATALOGUE.iter().map(|g| g.code).collect();
        assert_eq!(codes.len(), CATALOGUE.len());
        for ground in CATALOGUE {
            let law = if ground.code.starts_with("osl_") {
                "offentlighets- och sekretesslagen (2009:400)"
            } else if ground.code.starts_with("dsl_") {
                "lagen (2018:218)"
            } else if ground.code.starts_with("gdpr_") {
                "dataskyddsförordningen"
            } else if ground.code.starts_with("fl_") {
                "förvaltningslagen (2017:900)"
            } else {
                "arkivlagen (1990:782)"
            };
            assert!(ground.citation_sv.contains(law), "{ground:?}");
            assert!(ground.summary_sv.ends_with('.'), "{ground:?}");
        }
    }

    #[test]
    fn citations_read_as_a_swedish_list() {
        let g = |c| find(c).unwrap();
        assert_eq!(citations_sv(&[]), "");
        assert_eq!(
            citations_sv(&[g("arkivlagen_10")]),
            "10 § arkivlagen (1990:782)"
        );
        assert_eq!(
            citations_sv(&[g("gdpr_17_3_b"), g("gdpr_17_3_d"), g("arkivlagen_10")]),
            "artikel 17.3 b i dataskyddsförordningen, artikel 17.3 d i dataskyddsförordningen och 10 § arkivlagen (1990:782)"
        );
        assert!(find("osl_99_1").is_none());
    }
}
