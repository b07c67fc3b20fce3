//! Letters and labels read back: text extracted from the PDFs (lopdf, through the fonts'
//! ToUnicode maps) must hold the facts; the label's QR code, redrawn from the PDF's own content
//! stream into a bitmap, must decode (rqrr) to the identifier.
//!
//! Set `NANSEN_PRINT_OUT=/some/dir` to keep the generated PDFs for a look.

use nansen_docs::print::{
    Addressee, CertifiedCopy, ConditionsEndingDecision, ConditionsEndingNotice, ContestDecision, Convocation,
    ConvocationMode, Decision, EndingDecision, EndingNotice, FamilyBook, FgmLetter, Label, Letter, LetterHead,
    MissingItems, OfferRefusal, OrientationProposal, PrintError, Printer, Receipt, Salutation, Translation,
    Translations,
};
use time::macros::datetime;

fn head(case_number: &str, service: &str) -> LetterHead {
    LetterHead {
        case_number: case_number.to_owned(),
        issued_on: "26 novembre 2026".to_owned(),
        issued_at: datetime!(2026-11-26 10:15:00 +1),
        addressee: Addressee {
            name: "Zoë Ahmadí".to_owned(),
            lines: vec![
                "Domiciliation : Association Accueil Exil".to_owned(),
                "14 rue de l'Ourcq".to_owned(),
                "75019 Paris".to_owned(),
            ],
            salutation: Salutation::Neutral,
        },
        service: service.to_owned(),
    }
}

fn receipt() -> Receipt {
    Receipt {
        head: head("2026-000123", "Service de l'enregistrement"),
        application_kind: "Première demande".to_owned(),
        procedure: "Procédure accélérée (pays d'origine sûr)".to_owned(),
        introduced_on: "3 novembre 2026".to_owned(),
        registered_on: "24 novembre 2026".to_owned(),
        nationality: "Géorgienne".to_owned(),
        language: "géorgien".to_owned(),
        documents_received: vec![
            "Formulaire de demande d'asile signé".to_owned(),
            "Attestation de demande d'asile (copie)".to_owned(),
            "Deux photographies d'identité".to_owned(),
        ],
        missing: vec!["Copie du passeport".to_owned(), "Acte de naissance traduit en français".to_owned()],
        decision_deadline: Some("18 novembre 2026".to_owned()),
        activation_code: Some("K7QF-29XM-HR4D".to_owned()),
    }
}

fn missing_items() -> MissingItems {
    MissingItems {
        head: head("2026-000456", "Division Europe, section 2"),
        missing: vec![
            "Copie intégrale de l'acte de naissance".to_owned(),
            "Certificat médical établi par un médecin".to_owned(),
            "Traduction assermentée du jugement du 4 mai 2019".to_owned(),
        ],
        reply_by: "10 décembre 2026".to_owned(),
        translation: None,
    }
}

fn convocation(mode: ConvocationMode) -> Convocation {
    Convocation {
        head: head("2026-000789", "Division Afrique, section 1"),
        date: "lundi 14 décembre 2026 à 9 h 30".to_owned(),
        mode,
        interpreter_language: Some("dari".to_owned()),
        to_bring: vec![
            "La présente convocation".to_owned(),
            "Votre attestation de demande d'asile".to_owned(),
            "Les originaux de vos documents d'identité".to_owned(),
        ],
        children_must_come: true,
        translation: None,
    }
}

fn decision(appeal: Option<&str>) -> Decision {
    Decision {
        head: head("2026-000321", "Division Asie, section 3"),
        outcome: "Votre demande d'asile est rejetée.".to_owned(),
        facts: "Vous déclarez être de nationalité afghane et craindre des persécutions en raison de votre \
                engagement au sein d'une association de défense des droits des femmes à Hérat.\n\n\
                Vos déclarations sur les menaces reçues en mars 2025 sont restées vagues et peu \
                personnalisées."
            .to_owned(),
        law: "Aux termes de l'article 1er, A, 2 de la convention de Genève du 28 juillet 1951, la qualité \
              de réfugié est reconnue à toute personne qui craint avec raison d'être persécutée."
            .to_owned(),
        sources: vec![
            "Human Rights Watch, « Afghanistan : les défenseures des droits des femmes », 12 mars 2026, passage 4"
                .to_owned(),
            "Note de recherche de l'Office (document interne), 2 juin 2026, passage 2".to_owned(),
        ],
        signed_by: "Claire Martin, cheffe de section".to_owned(),
        signed_on: "26 novembre 2026".to_owned(),
        appeal: appeal.map(str::to_owned),
        translation: None,
    }
}

/// The addressee of the letters on ending a protection: a name in Arabic script.
const ARABIC_NAME: &str = "زهرة أحمدي";

fn protected_head(case_number: &str) -> LetterHead {
    let mut head = head(case_number, "Division des protections, section 1");
    head.addressee.name = ARABIC_NAME.to_owned();
    head.addressee.salutation = Salutation::Madam;
    head
}

const ENDING_GROUND: &str = "cessation de la protection";
const ENDING_LAW: &str = "Convention de Genève du 28 juillet 1951, article 1er, section C ; CESEDA L.511-8";
const ENDING_FACTS: &str = "Le 12 janvier 2026, vous avez sollicité et obtenu la délivrance d'un passeport auprès des \
                            autorités consulaires de votre pays d'origine.\n\n\
                            Vous avez ensuite séjourné dans ce pays du 3 au 27 février 2026.";

fn ending_notice() -> EndingNotice {
    EndingNotice {
        head: protected_head("2019-004512"),
        ground: ENDING_GROUND.to_owned(),
        law: ENDING_LAW.to_owned(),
        facts: ENDING_FACTS.to_owned(),
        answer_by: "4 juin 2026".to_owned(),
    }
}

fn ending_decision(ended: bool) -> EndingDecision {
    let outcome = if ended {
        "Il est mis fin à la protection dont vous bénéficiez (cessation de la protection)."
    } else {
        "Votre protection est maintenue."
    };
    EndingDecision {
        head: protected_head("2019-004512"),
        outcome: outcome.to_owned(),
        ground: ENDING_GROUND.to_owned(),
        law: ENDING_LAW.to_owned(),
        facts: ENDING_FACTS.to_owned(),
        answer: Some("Vos observations, reçues le 4 mai 2026, ont été examinées.".to_owned()),
        reasons: "Vous vous êtes volontairement réclamée à nouveau de la protection du pays dont vous avez la \
                  nationalité.\n\n\
                  Vos observations n'apportent aucun élément de nature à expliquer ce séjour."
            .to_owned(),
        signed_by: "Claire Martin, cheffe de section".to_owned(),
        signed_on: "11 juin 2026".to_owned(),
        appeal: ended.then(|| "un mois".to_owned()),
    }
}

fn fgm_letter() -> FgmLetter {
    let mut head = head("2021-007788", "Division de la protection des mineures");
    head.addressee.name = "Fatoumata Diallo".to_owned();
    head.addressee.salutation = Salutation::Madam;
    FgmLetter {
        head,
        child_name: "DIALLO Aïssata".to_owned(),
        child_born: "1er juin 2015".to_owned(),
        certificate_by: "15 juillet 2026".to_owned(),
        examination: "examen quinquennal".to_owned(),
    }
}

/// The family book's lines, names in their original scripts (Persian, Russian, Ukrainian).
const SPOUSE_AHMADI: &str = "AHMADI Mohammad (احمدی محمد), né le 3 mars 1990 à Kaboul (کابل)";
const SPOUSE_PETROVA: &str = "PETROVA Anna (Петрова Анна), née le 8 août 1992 à Kharkiv (Харків)";
const MARRIAGE: &str = "Mariage célébré le 12 juin 2015 à Kaboul — acte EC-2026-000012";
const CHILD_SARA: &str = "AHMADI Sara (سارا احمدی), née le 2 février 2017 à Téhéran — acte EC-2026-000013";
const CHILD_IVAN: &str = "AHMADI Ivan (Иван), né le 5 mai 2020 à Paris (75013) — acte EC-2026-000014";

fn family_book() -> FamilyBook {
    let mut head = head("2024-001357", "Service de l'état civil");
    head.addressee.name = "Mohammad Ahmadi".to_owned();
    head.addressee.salutation = Salutation::Sir;
    FamilyBook {
        head,
        spouses: vec![SPOUSE_AHMADI.to_owned(), SPOUSE_PETROVA.to_owned()],
        marriage: Some(MARRIAGE.to_owned()),
        children: vec![CHILD_SARA.to_owned(), CHILD_IVAN.to_owned()],
        mentions: Vec::new(),
        issued_by: "Pour le directeur général, l'officier de l'état civil".to_owned(),
    }
}

fn keep(name: &str, pdf: &[u8]) {
    if let Ok(dir) = std::env::var("NANSEN_PRINT_OUT") {
        std::fs::write(std::path::Path::new(&dir).join(name), pdf).expect("write the PDF");
    }
}

/// All the text of the PDF, whitespace collapsed to single spaces.
fn text_of(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text extraction");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).expect("readable PDF").get_pages().len()
}

fn assert_contains(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

fn assert_pdfa(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let raw = String::from_utf8_lossy(pdf);
    // PDF/A-2u identification in the XMP metadata (stored uncompressed, as PDF/A requires).
    assert!(raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""), "no pdfaid:part");
    assert!(raw.contains("pdfaid:conformance>U<") || raw.contains("pdfaid:conformance=\"U\""), "no pdfaid:conformance");
    assert!(raw.contains("/FontFile2"), "fonts are not embedded");
}

#[test]
fn receipt_holds_the_facts() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::Receipt(receipt());
    assert_eq!(letter.kind(), "receipt");
    assert_eq!(letter.title(), "Accusé d'enregistrement de votre demande d'asile");
    let pdf = printer.render(&letter).expect("render");
    keep("receipt.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            "RÉPUBLIQUE",
            "Office de protection des réfugiés",
            "2026-000123",
            "Zoë Ahmadí",
            "14 rue de l'Ourcq",
            "26 novembre 2026",
            "3 novembre 2026",
            "24 novembre 2026",
            "Première demande",
            "Procédure accélérée (pays d'origine sûr)",
            "Géorgienne",
            "géorgien",
            "Formulaire de demande d'asile signé",
            "Attestation de demande d'asile (copie)",
            "Deux photographies d'identité",
            "Copie du passeport",
            "Acte de naissance traduit en français",
            "18 novembre 2026",
            "K7QF-29XM-HR4D",
            "Service de l'enregistrement",
            "Accusé d'enregistrement de votre demande d'asile",
            "Page 1/",
        ],
    );
}

#[test]
fn receipt_without_optional_facts_leaves_their_sections_out() {
    let printer = Printer::new().expect("printer");
    let mut r = receipt();
    r.missing.clear();
    r.decision_deadline = None;
    r.activation_code = Some(String::new()); // the portal does not exist yet
    let text = text_of(&printer.render(&Letter::Receipt(r)).expect("render"));
    assert!(!text.contains("Pièces manquantes"), "{text}");
    assert!(!text.contains("Code d'activation"), "{text}");
    assert!(!text.contains("Délai d'examen"), "{text}");
    assert_contains(&text, &["Pièces reçues", "Deux photographies d'identité"]);
}

#[test]
fn request_for_missing_items_lists_each_item_and_the_reply_date() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::MissingItems(missing_items());
    assert_eq!(letter.kind(), "missing_items");
    let pdf = printer.render(&letter).expect("render");
    keep("missing_items.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            "2026-000456",
            "Zoë Ahmadí",
            "Copie intégrale de l'acte de naissance",
            "Certificat médical établi par un médecin",
            "Traduction assermentée du jugement du 4 mai 2019",
            "10 décembre 2026",
            "Division Europe, section 2",
            "Demande de pièces complémentaires",
        ],
    );
}

#[test]
fn convocation_in_person_names_the_place_and_the_interpreter() {
    let printer = Printer::new().expect("printer");
    let place = "Office, 12 rue Fridtjof-Nansen, 75013 Paris, accueil B".to_owned();
    let letter = Letter::Convocation(convocation(ConvocationMode::InPerson { place }));
    assert_eq!(letter.kind(), "convocation");
    let pdf = printer.render(&letter).expect("render");
    keep("convocation.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            "2026-000789",
            "Zoë Ahmadí",
            "lundi 14 décembre 2026 à 9 h 30",
            "accueil B",
            "dari",
            "La présente convocation",
            "Votre attestation de demande d'asile",
            "Les originaux de vos documents d'identité",
            "Vos enfants mineurs mentionnés dans votre demande doivent vous accompagner",
            "Convocation à un entretien personnel",
        ],
    );
    assert!(!text.contains("communication audiovisuelle"), "{text}");
}

#[test]
fn convocation_by_video_gives_the_link_and_no_place() {
    let printer = Printer::new().expect("printer");
    let link = "https://visio.nansen.example/entretien/7f3a-91c2".to_owned();
    let mut c = convocation(ConvocationMode::Video { link_or_room: link });
    c.interpreter_language = None;
    c.children_must_come = false;
    let pdf = printer.render(&Letter::Convocation(c)).expect("render");
    keep("convocation_video.pdf", &pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            "https://visio.nansen.example/entretien/7f3a-91c2",
            "communication audiovisuelle",
            "La présence de vos enfants mineurs n'est pas requise",
        ],
    );
    assert!(!text.contains("Lieu"), "{text}");
    assert!(!text.contains("Interprète"), "{text}");
    assert!(!text.contains("accueil trente minutes"), "{text}");
}

#[test]
fn a_long_letter_breaks_pages_and_numbers_them() {
    let printer = Printer::new().expect("printer");
    let mut m = missing_items();
    m.missing = (1..=45)
        .map(|i| format!("Pièce numéro {i} : justificatif de la période de séjour correspondante, avec sa traduction"))
        .collect();
    let pdf = printer.render(&Letter::MissingItems(m)).expect("render");
    keep("missing_items_long.pdf", &pdf);
    assert_pdfa(&pdf);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "expected several pages, got {pages}");
    let text = text_of(&pdf);
    assert_contains(&text, &[&format!("Page 1/{pages}"), &format!("Page {pages}/{pages}")]);
    for i in [1, 23, 45] {
        assert!(text.contains(&format!("Pièce numéro {i} :")), "item {i} lost");
    }
}

#[test]
fn decision_holds_the_outcome_the_reasons_the_signer_and_the_appeal() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::Decision(decision(Some("un mois")));
    assert_eq!(letter.kind(), "decision");
    assert_eq!(letter.title(), "Décision du directeur général");
    let pdf = printer.render(&letter).expect("render");
    keep("decision.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            "2026-000321",
            "Zoë Ahmadí",
            "Décision du directeur général",
            "Votre demande d'asile est rejetée.",
            "Motifs en fait",
            "défense des droits des femmes à Hérat.",
            "Vos déclarations sur les menaces reçues en mars 2025",
            "Motifs en droit",
            "convention de Genève du 28 juillet 1951",
            "Sources citées",
            "12 mars 2026, passage 4",
            "Note de recherche de l'Office",
            "2 juin 2026, passage 2",
            "Claire Martin, cheffe de section",
            "Signé le 26 novembre 2026",
            "espace usager sécurisé",
            "R.531-17",
            "Cour nationale du droit d'asile (CNDA) dans un délai de un mois",
            "aide juridictionnelle",
        ],
    );
    // A blank line in the reasons starts a new paragraph: no stray character in between.
    assert!(text.contains("femmes à Hérat. Vos déclarations"), "{text}");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("2026-11-26T10:15:00+01:00"), "creation date from the caller");
}

#[test]
fn decision_without_appeal_has_no_cnda_paragraph() {
    let printer = Printer::new().expect("printer");
    let pdf = printer.render(&Letter::Decision(decision(None))).expect("render");
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(&text, &["2026-000321", "Votre demande d'asile est rejetée.", "Claire Martin", "R.531-17"]);
    assert!(!text.contains("CNDA"), "{text}");
    assert!(!text.contains("Cour nationale du droit d'asile"), "{text}");
    assert!(!text.contains("Voies et délais de recours"), "{text}");
    assert!(!text.contains("aide juridictionnelle"), "{text}");
    // No sources, no heading for them.
    let mut d = decision(None);
    d.sources.clear();
    let text = text_of(&printer.render(&Letter::Decision(d)).expect("render"));
    assert!(!text.contains("Sources citées"), "{text}");
    // An empty appeal is no appeal.
    let text = text_of(&printer.render(&Letter::Decision(decision(Some(" ")))).expect("render"));
    assert!(!text.contains("CNDA"), "{text}");
}

#[test]
fn a_decision_with_long_reasons_flows_onto_further_pages() {
    let printer = Printer::new().expect("printer");
    let mut d = decision(Some("un mois"));
    let sentence = "L'intéressé a exposé de manière circonstanciée les conditions de son départ, \
                    les étapes de son parcours migratoire et les raisons de ses craintes actuelles. ";
    d.facts = (1..=10).map(|i| format!("Paragraphe {i}. {}", sentence.repeat(4))).collect::<Vec<_>>().join("\n\n");
    assert!(d.facts.chars().count() >= 6_000, "{} characters", d.facts.chars().count());
    let pdf = printer.render(&Letter::Decision(d)).expect("render");
    keep("decision_long.pdf", &pdf);
    assert_pdfa(&pdf);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "expected several pages, got {pages}");
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            &format!("Page 1/{pages}"),
            &format!("Page {pages}/{pages}"),
            "Paragraphe 1.",
            "Paragraphe 10.",
            "convention de Genève",
            "Claire Martin, cheffe de section",
            "Cour nationale du droit d'asile",
        ],
    );
}

#[test]
fn the_decision_template_can_be_replaced_and_is_checked() {
    let source = r#"
[meta]
title = "Décision"
code = "DEC"
signature = ["{signed_by}"]

[[blocks]]
p = "Recours possible dans un délai de {appeal}."
"#;
    let err = Printer::new().expect("printer").with_template("decision", source).expect_err("unguarded");
    assert!(err.to_string().contains("appeal"), "{err}");
    let good = format!("{source}when = \"appeal\"\n");
    let printer = Printer::new().expect("printer").with_template("decision", &good).expect("accepted");
    let text = text_of(&printer.render(&Letter::Decision(decision(Some("un mois")))).expect("render"));
    assert!(text.contains("Recours possible dans un délai de un mois."), "{text}");
}

/// The Arabic-script name comes back from the PDF: in logical order, or in the visual order lopdf
/// reads right-to-left glyphs in.
fn assert_arabic_name(text: &str) {
    let squeezed = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let (found, wanted) = (squeezed(text), squeezed(ARABIC_NAME));
    let reversed: String = wanted.chars().rev().collect();
    assert!(found.contains(&wanted) || found.contains(&reversed), "{ARABIC_NAME:?} missing in:\n{text}");
}

#[test]
fn ending_notice_gives_the_ground_the_facts_and_the_date_to_answer_by() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::EndingNotice(ending_notice());
    assert_eq!(letter.kind(), "ending_notice");
    assert_eq!(letter.title(), "Information préalable à la fin de votre protection");
    let pdf = printer.render(&letter).expect("render");
    keep("ending_notice.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_arabic_name(&text);
    assert_contains(
        &text,
        &[
            "2019-004512",
            "Information préalable à la fin de votre protection",
            "Madame,",
            "envisage de mettre fin à cette protection pour le motif suivant : cessation de la protection",
            "Motif envisagé cessation de la protection",
            "Date limite des observations 4 juin 2026",
            "autorités consulaires de votre pays d'origine. Vous avez ensuite séjourné",
            "Convention de Genève du 28 juillet 1951, article 1er, section C ; CESEDA L.511-8",
            "au plus tard le 4 juin 2026",
            "espace usager sécurisé ou par courrier",
            "d'un avocat ou de toute autre personne de votre choix",
            "l'Office statuera sur votre dossier",
            "Division des protections, section 1",
        ],
    );
    assert!(!text.contains("Cour nationale du droit d'asile"), "{text}");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("2026-11-26T10:15:00+01:00"), "creation date from the caller");
}

#[test]
fn ending_decision_that_ends_the_protection_says_how_to_appeal() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::EndingDecision(ending_decision(true));
    assert_eq!(letter.kind(), "ending_decision");
    assert_eq!(letter.title(), "Décision du directeur général sur votre protection");
    let pdf = printer.render(&letter).expect("render");
    keep("ending_decision.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_arabic_name(&text);
    assert_contains(
        &text,
        &[
            "2019-004512",
            "Décision du directeur général sur votre protection",
            "Il est mis fin à la protection dont vous bénéficiez (cessation de la protection).",
            "pour le motif suivant : cessation de la protection",
            "autorités consulaires de votre pays d'origine. Vous avez ensuite séjourné",
            "Vos observations, reçues le 4 mai 2026, ont été examinées.",
            "nationalité. Vos observations n'apportent aucun élément",
            "CESEDA L.511-8",
            "Claire Martin, cheffe de section",
            "Signé le 11 juin 2026",
            "espace usager sécurisé",
            "R.531-17",
            "Voies et délais de recours",
            "Cour nationale du droit d'asile (CNDA) dans un délai de un mois",
            "aide juridictionnelle",
        ],
    );
}

#[test]
fn ending_decision_that_maintains_the_protection_has_no_appeal_paragraph() {
    let printer = Printer::new().expect("printer");
    let mut d = ending_decision(false);
    d.answer = None;
    d.reasons = "Le passeport a été délivré pour permettre la visite d'un parent gravement malade, sans \
                 volonté de vous réclamer à nouveau de la protection de votre pays."
        .to_owned();
    let pdf = printer.render(&Letter::EndingDecision(d)).expect("render");
    keep("ending_decision_maintained.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_arabic_name(&text);
    assert_contains(&text, &["2019-004512", "Votre protection est maintenue.", "Claire Martin", "R.531-17"]);
    assert!(!text.contains("CNDA"), "{text}");
    assert!(!text.contains("Cour nationale du droit d'asile"), "{text}");
    assert!(!text.contains("Voies et délais de recours"), "{text}");
    assert!(!text.contains("aide juridictionnelle"), "{text}");
    assert!(!text.contains("Vos observations"), "no observations, no such section: {text}");
    // An empty appeal is no appeal.
    let mut d = ending_decision(true);
    d.appeal = Some(" ".to_owned());
    let text = text_of(&printer.render(&Letter::EndingDecision(d)).expect("render"));
    assert!(!text.contains("CNDA"), "{text}");
}

#[test]
fn the_ending_templates_can_be_replaced_and_are_checked() {
    let source = r#"
[meta]
title = "Fin de protection"
code = "DFP"
signature = ["{signed_by}"]

[[blocks]]
p = "{answer}"
"#;
    let err = Printer::new().expect("printer").with_template("ending_decision", source).expect_err("unguarded");
    assert!(err.to_string().contains("answer"), "{err}");
    let good = format!("{source}when = \"answer\"\n");
    let printer = Printer::new().expect("printer").with_template("ending_decision", &good).expect("accepted");
    let text = text_of(&printer.render(&Letter::EndingDecision(ending_decision(true))).expect("render"));
    assert!(text.contains("Vos observations, reçues le 4 mai 2026"), "{text}");
    assert!(!text.contains("CNDA"), "{text}");

    // The notice knows no `appeal`.
    let notice = "[meta]\ntitle = \"T\"\ncode = \"IFP\"\nsignature = []\n[[blocks]]\np = \"{answer_by} {appeal}\"\n";
    let err = Printer::new().expect("printer").with_template("ending_notice", notice).expect_err("unknown");
    assert!(err.to_string().contains("appeal"), "{err}");
    let notice = notice.replace(" {appeal}", "");
    let printer = Printer::new().expect("printer").with_template("ending_notice", &notice).expect("accepted");
    let text = text_of(&printer.render(&Letter::EndingNotice(ending_notice())).expect("render"));
    assert!(text.contains("4 juin 2026"), "{text}");
}

/// The text of one page.
fn page_text(pdf: &[u8], page: u32) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("readable PDF");
    let text = doc.extract_text(&[page]).expect("text extraction");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where `needle` starts in `text` (it must be there).
fn position(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or_else(|| panic!("missing {needle:?} in:\n{text}"))
}

const PROSECUTOR: &str = "Toute absence injustifiée à l'examen, tout refus de s'y soumettre et tout constat de \
                          mutilation sexuelle sont signalés par l'Office au procureur de la République.";
const MODEL_CERTIFICATE: &str = "Certificat médical (modèle — arrêté du 6 février 2024)";

#[test]
fn fgm_letter_asks_for_the_certificate_and_the_model_follows_on_its_own_page() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::FgmLetter(fgm_letter());
    assert_eq!(letter.kind(), "fgm_letter");
    assert_eq!(letter.title(), "Demande de certificat médical — protection d'une enfant");
    let pdf = printer.render(&letter).expect("render");
    keep("fgm_letter.pdf", &pdf);
    assert_pdfa(&pdf);
    assert_eq!(page_count(&pdf), 2, "the letter, then the model certificate");

    let letter_page = page_text(&pdf, 1);
    assert_contains(
        &letter_page,
        &[
            "2021-007788",
            "Demande de certificat médical — protection d'une enfant",
            "Fatoumata Diallo",
            "Madame,",
            "l'enfant DIALLO Aïssata",
            "risque de mutilation sexuelle",
            "L.561-8",
            "Date de naissance 1er juin 2015",
            "Examen demandé examen quinquennal",
            "unité médico-judiciaire (UMJ) ou d'une unité médicale agréée",
            "Ses frais sont pris en charge par l'Office : il ne vous coûte rien.",
            "l'adresse directement à l'Office",
            "au plus tard le 15 juillet 2026",
            PROSECUTOR,
            "La présente demande ne remet pas en cause la protection accordée à l'enfant.",
            "agréer, Madame, l",
            "Pour le directeur général",
            "Page 1/2",
        ],
    );
    assert!(!letter_page.contains(MODEL_CERTIFICATE), "the model is not on the letter's page: {letter_page}");
    // The signature closes the letter.
    assert!(
        position(&letter_page, "salutations distinguées") < position(&letter_page, "et par délégation,"),
        "{letter_page}"
    );

    let model = page_text(&pdf, 2);
    assert_contains(
        &model,
        &[
            MODEL_CERTIFICATE,
            "dossier 2021-007788",
            "Nom et prénom DIALLO Aïssata",
            "Date de naissance 1er juin 2015",
            "Examen examen quinquennal",
            "Unité médico-judiciaire ou unité agréée",
            "Date de l'examen",
            "☐ ne présente pas de mutilation sexuelle",
            "☐ présente une mutilation sexuelle (préciser)",
            "Fait à",
            "Signature et cachet du médecin",
            "Page 2/2",
        ],
    );
    assert!(position(&model, MODEL_CERTIFICATE) < position(&model, "☐ ne présente pas"), "{model}");
    assert!(!model.contains("salutations distinguées"), "{model}");
}

#[test]
fn family_book_lists_the_spouses_the_marriage_and_the_children_in_order() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::FamilyBook(family_book());
    assert_eq!(letter.kind(), "family_book");
    assert_eq!(letter.title(), "Livret de famille");
    let pdf = printer.render(&letter).expect("render");
    keep("family_book.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            "2024-001357",
            "Livret de famille",
            "agissant en qualité d'officier de l'état civil",
            "L.121-9",
            "Il a la valeur d'un acte authentique.",
            "Époux",
            "AHMADI Mohammad (",
            "), né le 3 mars 1990 à Kaboul (",
            "PETROVA Anna (Петрова Анна), née le 8 août 1992 à Kharkiv (Харків)",
            "Mariage",
            MARRIAGE,
            "Enfants",
            "AHMADI Sara (",
            "), née le 2 février 2017 à Téhéran — acte EC-2026-000013",
            CHILD_IVAN,
            "Délivré le 26 novembre 2026",
            "Pour le directeur général, l'officier de l'état civil",
        ],
    );
    // Names in Arabic script come back, in logical or visual order.
    for name in ["احمدی محمد", "کابل", "سارا احمدی"] {
        let squeezed = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let (found, wanted) = (squeezed(&text), squeezed(name));
        let reversed: String = wanted.chars().rev().collect();
        assert!(found.contains(&wanted) || found.contains(&reversed), "{name:?} missing in:\n{text}");
    }
    // In order: spouses, marriage, children (first born first), then the signature.
    let order = [
        "Époux",
        "AHMADI Mohammad",
        "PETROVA Anna",
        MARRIAGE,
        "Enfants",
        "AHMADI Sara",
        "AHMADI Ivan",
        "l'officier de l'état civil",
    ];
    for pair in order.windows(2) {
        assert!(position(&text, pair[0]) < position(&text, pair[1]), "{pair:?} out of order: {text}");
    }
    assert!(!text.contains("Mentions"), "no mentions, no such section: {text}");
    assert!(!text.contains("Parents"), "spouses, not parents: {text}");
    // The Persian name is set in the Arabic face, right to left: not in DejaVu Sans.
    assert!(page_fonts(&pdf).iter().any(|f| f.contains("NotoSansArabic")), "{:?}", page_fonts(&pdf));
}

#[test]
fn family_book_without_marriage_names_the_parents_and_prints_the_mentions() {
    let printer = Printer::new().expect("printer");
    let mut book = family_book();
    book.spouses = vec![SPOUSE_PETROVA.to_owned()];
    book.marriage = None;
    book.children = vec![CHILD_IVAN.to_owned()];
    book.mentions =
        vec!["Reconnaissance de AHMADI Ivan par AHMADI Mohammad (احمدی محمد) le 9 mai 2020".to_owned(), " ".to_owned()];
    let pdf = printer.render(&Letter::FamilyBook(book)).expect("render");
    keep("family_book_parent.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &["Parents", "Петрова Анна", "Enfants", CHILD_IVAN, "Mentions", "Reconnaissance de AHMADI Ivan"],
    );
    assert!(position(&text, "Enfants") < position(&text, "Mentions"), "{text}");
    assert!(!text.contains("Époux"), "{text}");
    assert!(!text.contains("Mariage"), "{text}");

    // An empty marriage is no marriage; blank mentions are none.
    let mut book = family_book();
    book.marriage = Some(" ".to_owned());
    book.mentions = vec![String::new()];
    let text = text_of(&printer.render(&Letter::FamilyBook(book)).expect("render"));
    assert!(!text.contains("Mariage"), "{text}");
    assert!(!text.contains("Mentions"), "{text}");
}

#[test]
fn the_fgm_letter_and_family_book_templates_can_be_replaced_and_are_checked() {
    // The FGM letter knows no `appeal`; a page break starts the model on a page of its own.
    let source = r#"
[meta]
title = "Certificat"
code = "CMM"
signature = ["{service}"]

[[blocks]]
p = "Certificat pour {child_name} attendu le {certificate_by}. {appeal}"

[[blocks]]
page_break = true
heading = "Modèle pour {child_name}"
"#;
    let err = Printer::new().expect("printer").with_template("fgm_letter", source).expect_err("unknown");
    assert!(err.to_string().contains("appeal"), "{err}");
    let good = source.replace(" {appeal}", "");
    let printer = Printer::new().expect("printer").with_template("fgm_letter", &good).expect("accepted");
    let pdf = printer.render(&Letter::FgmLetter(fgm_letter())).expect("render");
    assert_eq!(page_count(&pdf), 2);
    assert!(page_text(&pdf, 1).contains("Certificat pour DIALLO Aïssata attendu le 15 juillet 2026."));
    assert!(page_text(&pdf, 2).contains("Modèle pour DIALLO Aïssata"));

    // The family book's marriage is a list (of one line at most), not a placeholder.
    let source =
        "[meta]\ntitle = \"Livret\"\ncode = \"LDF\"\nsignature = [\"{issued_by}\"]\n[[blocks]]\np = \"{marriage}\"\n";
    let err = Printer::new().expect("printer").with_template("family_book", source).expect_err("not a text");
    assert!(err.to_string().contains("marriage"), "{err}");
    let good = source.replace("p = \"{marriage}\"", "list = \"marriage\"");
    let printer = Printer::new().expect("printer").with_template("family_book", &good).expect("accepted");
    let text = text_of(&printer.render(&Letter::FamilyBook(family_book())).expect("render"));
    assert!(text.contains(MARRIAGE), "{text}");
    assert!(!text.contains("Enfants"), "{text}");

    let err = Printer::new().expect("printer").with_template("livret", source).expect_err("no such letter");
    assert!(err.to_string().contains("family_book") && err.to_string().contains("fgm_letter"), "{err}");
}

#[test]
fn output_is_deterministic() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::Receipt(receipt());
    assert_eq!(printer.render(&letter).expect("render"), printer.render(&letter).expect("render"));
}

#[test]
fn metadata_carries_title_language_and_the_callers_date() {
    let printer = Printer::new().expect("printer");
    let pdf = printer.render(&Letter::Receipt(receipt())).expect("render");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("2026-11-26T10:15:00+01:00"), "creation date from the caller");
    assert!(raw.contains("<rdf:li xml:lang=\"x-default\">Accusé d") || raw.contains("Accusé d"), "title");
    assert!(raw.contains("<dc:language>") && raw.contains(">fr<"), "language fr");
}

#[test]
fn an_unknown_placeholder_in_a_template_is_refused() {
    let source = r#"
[meta]
title = "Convocation"
code = "CONV"
signature = ["{service}"]

[[blocks]]
p = "Vous êtes attendu le {date} au {bureau_inconnu}."
"#;
    let err = Printer::new().expect("printer").with_template("convocation", source).expect_err("refused");
    match &err {
        PrintError::Template { template, message } => {
            assert_eq!(template, "convocation.toml");
            assert!(message.contains("bureau_inconnu"), "{message}");
        }
        other => panic!("unexpected error {other:?}"),
    }
    // A correct replacement is accepted and used.
    let good = source.replace(" au {bureau_inconnu}", "");
    let printer = Printer::new().expect("printer").with_template("convocation", &good).expect("accepted");
    let place = "Paris".to_owned();
    let text = text_of(
        &printer.render(&Letter::Convocation(convocation(ConvocationMode::InPerson { place }))).expect("render"),
    );
    assert!(text.contains("Vous êtes attendu le lundi 14 décembre 2026 à 9 h 30."), "{text}");
}

#[test]
fn a_character_the_font_lacks_is_an_error_not_a_blank() {
    let printer = Printer::new().expect("printer");
    let mut r = receipt();
    r.head.addressee.name = "王小明".to_owned();
    let err = printer.render(&Letter::Receipt(r)).expect_err("no CJK glyphs in DejaVu Sans");
    assert!(matches!(err, PrintError::Font { .. }), "{err:?}");
}

#[test]
fn arabic_script_names_print() {
    let printer = Printer::new().expect("printer");
    let mut r = receipt();
    r.head.addressee.name = "زهرة أحمدي".to_owned();
    let pdf = printer.render(&Letter::Receipt(r)).expect("DejaVu Sans covers basic Arabic");
    assert_pdfa(&pdf);
}

#[test]
fn label_holds_identifier_and_lines() {
    let printer = Printer::new().expect("printer");
    let label = Label {
        identifier: "2026-000123-O3".to_owned(),
        lines: vec![
            "Dossier 2026-000123".to_owned(),
            "Passeport original (Géorgie)".to_owned(),
            "Reçu le 24 novembre 2026".to_owned(),
        ],
    };
    let pdf = printer.label(&label).expect("label");
    keep("label.pdf", &pdf);
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &["2026-000123-O3", "Dossier 2026-000123", "Passeport original (Géorgie)", "Reçu le 24 novembre 2026"],
    );
}

#[test]
fn label_qr_code_decodes_to_the_identifier() {
    let printer = Printer::new().expect("printer");
    for identifier in ["2026-000123-O3", "2026-987654-O12"] {
        let label = Label { identifier: identifier.to_owned(), lines: vec!["Dossier".to_owned()] };
        let at = datetime!(2026-11-24 14:02:00 +1);
        let pdf = printer.label_at(&label, at).expect("label");
        assert_eq!(pdf, printer.label_at(&label, at).expect("label"), "reproducible");
        let bitmap = rasterize_fills(&pdf, 8.0);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(bitmap.width, bitmap.height, |x, y| {
            bitmap.pixels[y * bitmap.width + x]
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code on the label");
        let (_, content) = grids[0].decode().expect("QR decodes");
        assert_eq!(content, identifier);
    }
}

#[test]
fn empty_identifier_is_refused() {
    let printer = Printer::new().expect("printer");
    let label = Label { identifier: " ".to_owned(), lines: vec![] };
    assert!(matches!(printer.label(&label), Err(PrintError::Template { .. })));
}

struct Bitmap {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// Redraws the filled paths of page 1 (black where the fill is dark), at `scale` pixels per
/// point, from the PDF's content stream: the label's QR code as a scanner would see it printed.
/// Handles what the printer emits: q/Q, cm, m/l/h/re paths filled with f, greyscale fills.
fn rasterize_fills(pdf: &[u8], scale: f32) -> Bitmap {
    use lopdf::content::Content;
    use lopdf::Object;

    let doc = lopdf::Document::load_mem(pdf).expect("readable PDF");
    let (_, page_id) = doc.get_pages().into_iter().next().expect("a page");
    let media_box = doc
        .get_dictionary(page_id)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(Object::as_array)
        .expect("media box")
        .iter()
        .map(|o| o.as_float().expect("number"))
        .collect::<Vec<f32>>();
    let (w_pt, h_pt) = (media_box[2] - media_box[0], media_box[3] - media_box[1]);
    let width = (w_pt * scale).ceil() as usize;
    let height = (h_pt * scale).ceil() as usize;
    let mut pixels = vec![255u8; width * height];

    let content = Content::decode(&doc.get_page_content(page_id)).expect("decodable content");
    let num = |o: &Object| o.as_float().expect("number");
    type M = [f32; 6];
    let mul = |a: M, b: M| -> M {
        [
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ]
    };
    let mut ctm: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut stack = Vec::new();
    let mut dark = true;
    let mut subpaths: Vec<Vec<(f32, f32)>> = Vec::new();
    for op in content.operations {
        let o = &op.operands;
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(ctm),
            "cm" => {
                let m = [num(&o[0]), num(&o[1]), num(&o[2]), num(&o[3]), num(&o[4]), num(&o[5])];
                ctm = mul(m, ctm);
            }
            "g" | "sc" | "scn" => dark = o.first().map(num).is_some_and(|v| v < 0.5),
            "m" => subpaths.push(vec![(num(&o[0]), num(&o[1]))]),
            "l" => {
                if let Some(path) = subpaths.last_mut() {
                    path.push((num(&o[0]), num(&o[1])));
                }
            }
            "re" => {
                let (x, y, w, h) = (num(&o[0]), num(&o[1]), num(&o[2]), num(&o[3]));
                subpaths.push(vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)]);
            }
            "f" | "f*" => {
                for path in subpaths.drain(..) {
                    // Every path the printer fills is an axis-aligned rectangle: fill its box.
                    let device: Vec<(f32, f32)> = path
                        .iter()
                        .map(|&(x, y)| (ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]))
                        .collect();
                    let x0 = device.iter().map(|p| p.0).fold(f32::MAX, f32::min);
                    let x1 = device.iter().map(|p| p.0).fold(f32::MIN, f32::max);
                    let y0 = device.iter().map(|p| p.1).fold(f32::MAX, f32::min);
                    let y1 = device.iter().map(|p| p.1).fold(f32::MIN, f32::max);
                    let px = |v: f32, max: usize| ((v * scale).round().max(0.0) as usize).min(max);
                    // PDF space has y up; the bitmap has y down.
                    let (top, bottom) = (px(h_pt - y1, height), px(h_pt - y0, height));
                    for row in top..bottom {
                        for col in px(x0, width)..px(x1, width) {
                            pixels[row * width + col] = if dark { 0 } else { 255 };
                        }
                    }
                }
            }
            "n" | "S" | "s" | "B" | "B*" | "b" | "b*" => subpaths.clear(),
            _ => {}
        }
    }
    Bitmap { width, height, pixels }
}

/// Every letter greets the addressee as the caller says: a woman "Madame", a man "Monsieur",
/// the neutral "Madame, Monsieur" only when the sex is not recorded.
#[test]
fn letters_greet_the_addressee_by_the_salutation_given() {
    let printer = Printer::new().expect("printer");
    for (salutation, words) in
        [(Salutation::Madam, "Madame"), (Salutation::Sir, "Monsieur"), (Salutation::Neutral, "Madame, Monsieur")]
    {
        let with = |mut head: LetterHead| {
            head.addressee.salutation = salutation;
            head
        };
        let mut r = receipt();
        r.head = with(r.head);
        let mut m = missing_items();
        m.head = with(m.head);
        let mut c = convocation(ConvocationMode::InPerson { place: "Fontenay-sous-Bois".into() });
        c.head = with(c.head);
        let mut d = decision(Some("un mois"));
        d.head = with(d.head);
        let mut n = ending_notice();
        n.head = with(n.head);
        let mut e = ending_decision(true);
        e.head = with(e.head);
        let mut f = fgm_letter();
        f.head = with(f.head);
        let letters = [
            Letter::Receipt(r),
            Letter::MissingItems(m),
            Letter::Convocation(c),
            Letter::Decision(d),
            Letter::EndingNotice(n),
            Letter::EndingDecision(e),
            Letter::FgmLetter(f),
        ];
        for letter in letters {
            let text = text_of(&printer.render(&letter).expect("render"));
            assert!(text.contains(&format!("{words},")), "{} to {salutation:?}: {text}", letter.kind());
            if salutation != Salutation::Neutral {
                assert!(!text.contains("Madame, Monsieur"), "{} to {salutation:?}: {text}", letter.kind());
            }
            if !matches!(letter.kind(), "decision" | "ending_decision") {
                assert!(
                    text.contains(&format!("agréer, {words}, l")),
                    "{} to {salutation:?} closes with the same form: {text}",
                    letter.kind()
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Certified copies of civil-status acts.

/// One name per script the office meets.
const NAMES: [(&str, &str); 12] = [
    ("Nom (persan)", "محمد احمدی"),
    ("Nom (pachto)", "ګل\u{200C}آغا پوپلزی"),
    ("Nom (russe)", "Иван Петров"),
    ("Nom (géorgien)", "გიორგი ბერიძე"),
    ("Nom (arménien)", "Արամ Պետրոսյան"),
    ("Nom (hindi)", "राम शर्मा"),
    ("Nom (bengali)", "রহিম উদ্দিন"),
    ("Nom (tamoul)", "முருகன் செல்வம்"),
    ("Nom (amharique)", "ተስፋዬ ገብረ"),
    ("Nom (birman)", "အောင် ကျော်"),
    ("Nom (chinois)", "王伟"),
    ("Nom (vietnamien)", "Nguyễn Văn Đức"),
];

const VERIFY_URL: &str = "https://etat-civil.nansen.example/verifier/EC-2026-000123?c=3f2a9c1d";

fn certified_copy() -> CertifiedCopy {
    let mut fields: Vec<(String, String)> = vec![
        ("Date de naissance".to_owned(), "12 mars 1990".to_owned()),
        ("Lieu de naissance".to_owned(), "Kaboul / کابل (Afghanistan)".to_owned()),
    ];
    fields.extend(NAMES.iter().map(|(label, name)| ((*label).to_owned(), (*name).to_owned())));
    CertifiedCopy {
        title: "Acte de naissance".to_owned(),
        act_number: "EC-2026-000123".to_owned(),
        fields,
        mentions: vec!["Mariage, le 30 avril 2026 à Paris (75013), avec Ivan Petrov.".to_owned()],
        issued_on: "4 mai 2026".to_owned(),
        verify_url: VERIFY_URL.to_owned(),
        seal: "Sceau électronique 3f2a9c1d5e7b; clé 9c1d0a4f".to_owned(),
        signatory: "Pour le directeur général, l'officier de l'état civil".to_owned(),
    }
}

fn print_copy(copy: &CertifiedCopy) -> Vec<u8> {
    let printer = Printer::new().expect("printer");
    printer.certified_copy(copy, datetime!(2026-05-04 09:30:00 +2)).expect("certified copy")
}

/// The text with all white space, and the zero-width non-joiner, taken out.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '\u{200C}').collect()
}

/// The base font names of the fonts page 1 uses.
fn page_fonts(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).expect("readable PDF");
    let (_, page_id) = doc.get_pages().into_iter().next().expect("a page");
    let fonts = doc.get_page_fonts(page_id).expect("page fonts");
    fonts
        .values()
        .map(|font| {
            String::from_utf8_lossy(font.get(b"BaseFont").and_then(lopdf::Object::as_name).expect("name")).into_owned()
        })
        .collect()
}

#[test]
fn certified_copy_prints_a_name_in_every_script() {
    let copy = certified_copy();
    let pdf = print_copy(&copy);
    keep("certified_copy.pdf", &pdf);
    // PDF/A-2u: krilla's validator ran when the document was written (as for letters).
    assert_pdfa(&pdf);
    assert_eq!(page_count(&pdf), 1, "one page normally");

    let doc = lopdf::Document::load_mem(&pdf).expect("readable PDF");
    let text = doc.extract_text(&[1]).expect("text extraction");
    // What the page says between a name's label and the next label: that name's row.
    let row = |i: usize| -> String {
        let start = text.find(NAMES[i].0).expect("label") + NAMES[i].0.len();
        let next = NAMES.get(i + 1).map_or("Mentions", |n| n.0);
        let end = start + text[start..].find(next).expect("next label");
        text[start..end].to_owned()
    };
    for (i, (label, name)) in NAMES.iter().enumerate() {
        let found = squeezed(&row(i));
        let wanted = squeezed(name);
        match *label {
            // Right to left: lopdf reads glyphs in the order they are drawn, which is visual order
            // (krilla marks them /ReversedChars, which lopdf ignores), so the name comes back
            // reversed. (The Pashto name's zero-width non-joiner comes back as a space: the shaper
            // draws it with the space glyph.)
            "Nom (persan)" | "Nom (pachto)" => {
                let reversed: String = wanted.chars().rev().collect();
                assert!(found == wanted || found == reversed, "{label}: {found:?} is neither {wanted:?} nor reversed");
            }
            // Indic and Myanmar scripts: a vowel sign drawn before its consonant (Bengali ি,
            // Tamil ெ, Myanmar ေ), a reph (र्) drawn after, conjuncts: one cluster of characters is
            // several glyphs, out of logical order. PDF/A-2u wants a Unicode mapping for every
            // glyph, so krilla maps each glyph of a cluster to the whole cluster (the exact text is
            // in /ActualText, which lopdf does not read), and lopdf 0.47 also reads two adjacent
            // identical multi-character ToUnicode entries as a range and increments the second
            // (रा becomes रि): the text cannot round-trip. Every character of the name must be
            // there, each cluster at least once.
            "Nom (hindi)" | "Nom (bengali)" | "Nom (tamoul)" | "Nom (birman)" => {
                for c in wanted.chars() {
                    assert!(found.contains(c), "{label}: {c:?} (U+{:04X}) missing from {found:?}", u32::from(c));
                }
            }
            _ => assert_eq!(found, wanted, "{label}"),
        }
    }
    let flat = text_of(&pdf);
    assert_contains(
        &flat,
        &[
            "RÉPUBLIQUE",
            "Office de protection des réfugiés",
            "Acte de naissance",
            "EC-2026-000123",
            "12 mars 1990",
            "Kaboul /",
            "(Afghanistan)",
            "Mentions",
            "Mariage, le 30 avril 2026 à Paris (75013), avec Ivan Petrov.",
            "Copie intégrale certifiée conforme, délivrée le 4 mai 2026",
            "Pour le directeur général, l'officier de l'état civil",
            "Sceau électronique 3f2a9c1d5e7b; clé 9c1d0a4f",
            "Page 1/1",
        ],
    );
    assert!(squeezed(&text).contains(&squeezed(VERIFY_URL)), "the URL in full: {text}");
    assert!(!flat.contains("Néant"), "{flat}");

    // The fallback faces are embedded (subset), the CJK one as CFF (FontFile3), the others TrueType.
    let fonts = page_fonts(&pdf);
    for face in [
        "DejaVuSans",
        "NotoSansArabic",
        "NotoSansGeorgian",
        "NotoSansArmenian",
        "NotoSansDevanagari",
        "NotoSansBengali",
        "NotoSansTamil",
        "NotoSansEthiopic",
        "NotoSansMyanmar",
        "NotoSansCJKsc",
    ] {
        assert!(fonts.iter().any(|f| f.contains(face)), "{face} not among {fonts:?}");
    }
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("/FontFile3") && raw.contains("/CIDFontType0C"), "the CFF subset is embedded as CFF");
    assert!(raw.contains("2026-05-04T09:30:00+02:00"), "creation date from the caller");
}

#[test]
fn certified_copy_qr_code_decodes_to_the_verification_url() {
    let pdf = print_copy(&certified_copy());
    let bitmap = rasterize_fills(&pdf, 3.0);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(bitmap.width, bitmap.height, |x, y| {
        bitmap.pixels[y * bitmap.width + x]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the copy");
    let (_, content) = grids[0].decode().expect("QR decodes");
    assert_eq!(content, VERIFY_URL);
}

#[test]
fn certified_copy_is_reproducible() {
    let copy = certified_copy();
    assert_eq!(print_copy(&copy), print_copy(&copy));
}

#[test]
fn certified_copy_without_mentions_says_neant() {
    let mut copy = certified_copy();
    copy.mentions.clear();
    let text = text_of(&print_copy(&copy));
    assert_contains(&text, &["Mentions Néant", "Copie intégrale certifiée conforme, délivrée le 4 mai 2026"]);
}

#[test]
fn certified_copy_with_many_mentions_continues_on_a_second_page() {
    let mut copy = certified_copy();
    copy.fields.push((
        "Observations".to_owned(),
        "Nom transcrit de l'alphabet persan, tel qu'il figure sur la tazkira : محمد احمدی ; lieu de naissance \
         déclaré : province de Kaboul (کابل), district de Paghman (پغمان), village de Qargha."
            .to_owned(),
    ));
    copy.mentions =
        (1..=30).map(|i| format!("Mention {i} : rectification du prénom, jugement du {i} avril 2026.")).collect();
    let pdf = print_copy(&copy);
    keep("certified_copy_long.pdf", &pdf);
    assert_pdfa(&pdf);
    assert_eq!(page_count(&pdf), 2);
    let text = text_of(&pdf);
    assert_contains(
        &text,
        &[
            "Page 1/2",
            "Page 2/2",
            "Mention 1 :",
            "Mention 30 :",
            "district de Paghman",
            "village de Qargha.",
            "Sceau électronique",
        ],
    );
    // The mentions come in order.
    let first = text.find("Mention 1 :").expect("first");
    let last = text.find("Mention 30 :").expect("last");
    assert!(first < last);
}

#[test]
fn certified_copy_refuses_a_character_no_font_has() {
    let printer = Printer::new().expect("printer");
    let at = datetime!(2026-05-04 09:30:00 +2);
    // (Not 😀 U+1F600: DejaVu Sans has a glyph for it.)
    for (value, code) in [("Ali 🧑 Ahmadi", "U+1F9D1"), ("Ali \u{0378}", "U+0378"), ("김민준", "U+AE40")] {
        let mut copy = certified_copy();
        copy.fields.push(("Prénom".to_owned(), value.to_owned()));
        match printer.certified_copy(&copy, at) {
            Err(PrintError::Font { message, .. }) => assert!(message.contains(code), "{message}"),
            Err(other) => panic!("expected a font error naming {code}, got {other:?}"),
            Ok(_) => panic!("{value:?} printed: expected a font error naming {code}"),
        }
    }
    let mut copy = certified_copy();
    copy.mentions.push("Naissance de 王𠀀".to_owned()); // CJK Extension B: not in the GB2312 subset
    assert!(
        matches!(printer.certified_copy(&copy, at), Err(PrintError::Font { message, .. }) if message.contains("U+20000"))
    );
}

#[test]
fn certified_copy_needs_an_act_number_and_a_verification_url() {
    let printer = Printer::new().expect("printer");
    let at = datetime!(2026-05-04 09:30:00 +2);
    let mut copy = certified_copy();
    copy.act_number = " ".to_owned();
    assert!(matches!(printer.certified_copy(&copy, at), Err(PrintError::Template { .. })));
    let mut copy = certified_copy();
    copy.verify_url.clear();
    assert!(matches!(printer.certified_copy(&copy, at), Err(PrintError::Template { .. })));
}

// ---------------------------------------------------------------------------------------------
// The reception agency's letters, under its own letterhead, with a translation in the household's
// language.

const AGENCY: &str = "Agence de l'accueil des demandeurs d'asile";
const OFFICE: &str = "Office de protection des réfugiés et apatrides";
const HOUSEHOLD: &str = "H-2026-000042";
/// The addressee's name in its original script, printed at the top of the translation.
const DARI_NAME: &str = "احمدی محمد";
const INTERPRETER: &str = "un interprète vous l'expliquera dans votre langue";

fn household_head() -> LetterHead {
    let mut head = head(HOUSEHOLD, "Direction territoriale de Rennes — pôle hébergement");
    head.issued_on = "1er décembre 2026".to_owned();
    head.issued_at = datetime!(2026-12-01 09:00:00 +1);
    head.addressee.name = "Mohammad Ahmadi".to_owned();
    head.addressee.salutation = Salutation::Sir;
    head
}

/// The translation of a letter (`kind` as the catalog's keys: "offer_refusal",
/// "conditions_ending_decision_ended"…) in `lang`, built as a caller does.
fn translation(lang: &str, kind: &str, args: &[(&str, &str)]) -> Translation {
    let catalog = Translations::embedded().expect("the catalog");
    let code = Translations::pick(lang).expect("a language of the catalog");
    Translation {
        language: Translations::french_name(code).to_owned(),
        code: code.to_owned(),
        rtl: Translations::rtl(code),
        addressee: Some(DARI_NAME.to_owned()),
        paragraphs: catalog.paragraphs(code, kind, args).expect("the letter's paragraphs"),
    }
}

fn offer_refusal(translation_in: Option<&str>) -> OfferRefusal {
    let signed_on = "1er décembre 2026";
    OfferRefusal {
        head: household_head(),
        signed_on: signed_on.to_owned(),
        language: translation_in.map_or("tigrigna".to_owned(), |l| Translations::french_name(l).to_owned()),
        translation: translation_in.map(|l| translation(l, "offer_refusal", &[("signed_on", signed_on)])),
    }
}

const REASONS: [&str; 2] = [
    "Votre région d'enregistrement (Île-de-France) enregistre 46 % des personnes qui ont besoin d'une place, \
     au-delà de sa part de 19 % fixée par le schéma national.",
    "Vos enfants pourront y être scolarisés.",
];

fn orientation_proposal(translation_in: Option<&str>) -> OrientationProposal {
    let (structure, place, persons) = ("CADA Les Tilleuls", "Bretagne — département 35", "4");
    let (contest_by, reach_by) = ("4 décembre 2026", "6 décembre 2026");
    let translation = translation_in.map(|lang| {
        let args = [
            ("structure", structure),
            ("place", place),
            ("persons", persons),
            ("contest_by", contest_by),
            ("reach_by", reach_by),
        ];
        let mut t = translation(lang, "orientation_proposal", &args);
        // The reasons, as list items after paragraph 1 (which announces them).
        let catalog = Translations::embedded().expect("the catalog");
        let reasons: [(&str, &[(&str, &str)]); 2] = [
            (
                "orientation-reason-region-above-share",
                &[("region", "Île-de-France"), ("demand", "46"), ("share", "19")],
            ),
            ("orientation-reason-school", &[]),
        ];
        let items = reasons.map(|(key, args)| format!("• {}", catalog.message(&t.code, key, args).expect("a reason")));
        t.paragraphs.splice(1..1, items);
        t
    });
    OrientationProposal {
        head: household_head(),
        structure: structure.to_owned(),
        place: place.to_owned(),
        kind: "place familiale".to_owned(),
        persons: persons.to_owned(),
        reasons: REASONS.map(str::to_owned).to_vec(),
        contest_by: contest_by.to_owned(),
        reach_by: reach_by.to_owned(),
        language: translation_in.map_or("tigrigna".to_owned(), |l| Translations::french_name(l).to_owned()),
        translation,
    }
}

/// The ground in French (the letter) and in the household's language (its translation).
fn ground(lang: &str) -> String {
    let catalog = Translations::embedded().expect("the catalog");
    catalog.message(lang, "conditions-ground-refused-orientation", &[]).expect("the ground")
}

fn conditions_ending_notice(translation_in: Option<&str>) -> ConditionsEndingNotice {
    let observations_by = "16 décembre 2026";
    ConditionsEndingNotice {
        head: household_head(),
        ground: ground("fr"),
        facts: "Le 24 novembre 2026, l'Agence vous a proposé une place au CADA Les Tilleuls (Bretagne).\n\n\
                Le 25 novembre 2026, vous avez refusé cette orientation."
            .to_owned(),
        observations_by: observations_by.to_owned(),
        language: translation_in.map_or("tigrigna".to_owned(), |l| Translations::french_name(l).to_owned()),
        translation: translation_in.map(|lang| {
            let ground = ground(lang);
            translation(lang, "conditions_ending_notice", &[("ground", &ground), ("observations_by", observations_by)])
        }),
    }
}

fn conditions_ending_decision(ended: bool, translation_in: Option<&str>) -> ConditionsEndingDecision {
    let (signed_on, court_by) = ("18 décembre 2026", "25 décembre 2026");
    ConditionsEndingDecision {
        head: household_head(),
        outcome: if ended {
            "Il est mis fin à vos conditions matérielles d'accueil."
        } else {
            "Vos conditions matérielles d'accueil sont maintenues."
        }
        .to_owned(),
        ground: ground("fr"),
        observations: Some("Vos observations, reçues le 4 décembre 2026, ont été examinées.".to_owned()),
        reasons: "Vous avez refusé l'orientation proposée sans motif tenant à votre situation.".to_owned(),
        vulnerability_weighed: "Aucun élément de vulnérabilité n'a été signalé lors de l'entretien au guichet unique \
                                ni dans vos observations."
            .to_owned(),
        signed_by: "Jeanne Dupuis, directrice territoriale".to_owned(),
        signed_on: signed_on.to_owned(),
        court_by: ended.then(|| court_by.to_owned()),
        language: translation_in.map_or("tigrigna".to_owned(), |l| Translations::french_name(l).to_owned()),
        translation: translation_in.map(|lang| {
            let ground = ground(lang);
            if ended {
                let args = [("ground", ground.as_str()), ("signed_on", signed_on), ("court_by", court_by)];
                translation(lang, "conditions_ending_decision_ended", &args)
            } else {
                translation(
                    lang,
                    "conditions_ending_decision_maintained",
                    &[("ground", &ground), ("signed_on", signed_on)],
                )
            }
        }),
    }
}

fn contest_decision(upheld: bool, translation_in: Option<&str>) -> ContestDecision {
    let (contested_on, reach_by) = ("3 décembre 2026", "9 décembre 2026");
    let (structure, place) = ("CADA Les Tilleuls", "Bretagne — département 35");
    ContestDecision {
        head: household_head(),
        structure: structure.to_owned(),
        place: place.to_owned(),
        contested_on: contested_on.to_owned(),
        upheld,
        reasons: "Un suivi médical équivalent est assuré par le centre hospitalier de Rennes.".to_owned(),
        reach_by: (!upheld).then(|| reach_by.to_owned()),
        signed_by: "Jeanne Dupuis, directrice territoriale".to_owned(),
        signed_on: "4 décembre 2026".to_owned(),
        language: translation_in.map_or("tigrigna".to_owned(), |l| Translations::french_name(l).to_owned()),
        translation: translation_in.map(|lang| {
            let base = [("contested_on", contested_on), ("structure", structure), ("place", place)];
            if upheld {
                translation(lang, "contest_decision_upheld", &base)
            } else {
                let mut args = base.to_vec();
                args.push(("reach_by", reach_by));
                translation(lang, "contest_decision_rejected", &args)
            }
        }),
    }
}

#[test]
fn a_contest_decision_says_whether_the_place_stands_and_by_when_to_reach_it() {
    let printer = Printer::new().expect("printer");
    let pdf = printer.render(&Letter::ContestDecision(contest_decision(false, Some("ru")))).expect("render");
    let text = text_of(&pdf);
    assert_agency_letter(&pdf, &text);
    assert_contains(&text, &["Votre contestation est rejetée", "9 décembre 2026", "R.551-3", "Traduction en russe"]);
    assert!(squeezed(&text).contains(&squeezed("Агентство отклоняет ваше возражение")), "{text}");
    let pdf = printer.render(&Letter::ContestDecision(contest_decision(true, None))).expect("render");
    let text = text_of(&pdf);
    assert_agency_letter(&pdf, &text);
    assert_contains(&text, &["Votre contestation est admise", "(tigrigna)"]);
    assert!(!text.contains("Ce que vous devez faire") && !text.contains("Traduction en"), "{text}");
}

#[test]
fn the_office_letters_carry_their_meaning_in_the_applicants_language() {
    let printer = Printer::new().expect("printer");
    let mut rejection = decision(Some("un mois"));
    let mut paragraphs = translation("prs", "decision_rejection", &[("signed_on", "26/11/2026")]).paragraphs;
    paragraphs.pop();
    paragraphs.extend(translation("prs", "decision_appeal", &[]).paragraphs);
    let base = translation("prs", "decision_rejection", &[("signed_on", "26/11/2026")]);
    rejection.translation = Some(Translation { paragraphs, ..base });
    let pdf = printer.render(&Letter::Decision(rejection)).expect("render");
    assert_pdfa(&pdf);
    let text = text_of(&pdf);
    assert_contains(&text, &["Traduction en dari", "Seul le texte français fait foi", "Cour nationale du droit d"]);
    assert_translation_page(&pdf, "dari");
    // Without a translation, the office's letters are as they were.
    let text = text_of(&printer.render(&Letter::Decision(decision(Some("un mois")))).expect("render"));
    assert!(!text.contains("Traduction en") && !text.contains("figure à la page suivante"), "{text}");

    let mut request = missing_items();
    request.translation = Some(translation("ru", "missing_items", &[("reply_by", "10/12/2026")]));
    let pdf = printer.render(&Letter::MissingItems(request)).expect("render");
    let text = text_of(&pdf);
    assert_contains(&text, &["Traduction en russe", "10/12/2026"]);

    let mut convocation = convocation(ConvocationMode::InPerson { place: "Fontenay-sous-Bois".to_owned() });
    convocation.translation =
        Some(translation("es", "convocation", &[("date", "14/12/2026"), ("place", "Fontenay-sous-Bois")]));
    let text = text_of(&printer.render(&Letter::Convocation(convocation)).expect("render"));
    assert_contains(&text, &["Traduction en espagnol", "14/12/2026"]);
}

/// The text of the last page.
fn last_page(pdf: &[u8]) -> String {
    page_text(pdf, u32::try_from(page_count(pdf)).expect("a few pages"))
}

/// Right-to-left text comes back from the PDF in visual order (see the certified copy's test): a
/// word (without lam-alef, which is one glyph) is there reversed.
fn assert_right_to_left(text: &str, words: &[&str]) {
    let found = squeezed(text);
    for word in words {
        let reversed: String = squeezed(word).chars().rev().collect();
        assert!(found.contains(&reversed), "{word:?} missing (reversed) in:\n{text}");
    }
}

/// The agency's letter: its letterhead, never the office's, in the text and the metadata; the
/// household's number in the reference line.
fn assert_agency_letter(pdf: &[u8], text: &str) {
    assert_pdfa(pdf);
    assert_contains(text, &[AGENCY, &format!("Réf. ménage : {HOUSEHOLD}"), "Pour le directeur général de l'Agence"]);
    assert!(!text.contains(OFFICE), "the office's name in an agency letter:\n{text}");
    let raw = String::from_utf8_lossy(pdf);
    assert!(raw.contains("Agence de l") && !raw.contains("Office de protection"), "the PDF's author is the agency");
}

/// The translation is on a page of its own, the last one, under its French heading.
fn assert_translation_page(pdf: &[u8], language: &str) -> String {
    let last = last_page(pdf);
    let heading = format!("Traduction en {language}");
    assert!(last.contains(&heading), "{heading:?} not on the last page:\n{last}");
    let before = page_text(pdf, u32::try_from(page_count(pdf) - 1).expect("a few pages"));
    assert!(!before.contains(&heading), "the translation shares a page with the letter:\n{before}");
    assert!(!last.contains("salutations distinguées"), "{last}");
    last
}

#[test]
fn offer_refusal_prints_under_the_agency_letterhead_with_an_arabic_translation() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::OfferRefusal(offer_refusal(Some("ar")));
    assert_eq!(letter.kind(), "offer_refusal");
    assert_eq!(letter.title(), "Refus des conditions matérielles d'accueil");
    let pdf = printer.render(&letter).expect("render");
    keep("offer_refusal.pdf", &pdf);
    let text = text_of(&pdf);
    assert_agency_letter(&pdf, &text);
    assert_contains(
        &text,
        &[
            "Refus des conditions matérielles d'accueil",
            "Mohammad Ahmadi",
            "Monsieur,",
            "Offre refusée le 1er décembre 2026",
            "article L.551-15",
            "le refus de l'offre de prise en charge entraîne le refus des conditions matérielles d'accueil",
            "demander à nouveau le bénéfice des conditions matérielles d'accueil",
            "tribunal administratif",
            "Une traduction de ce courrier en arabe figure à la page suivante. Seul le texte français fait foi.",
        ],
    );
    assert!(!text.contains(INTERPRETER), "{text}");
    let translated = assert_translation_page(&pdf, "arabe");
    assert_arabic(&translated, DARI_NAME);
    assert_right_to_left(&translated, &["رفضتم", "الوكالة", "المحكمة"]);
    // A Latin stretch inside the Arabic text reads left to right.
    assert_contains(&translated, &["L.551-15", "ADA"]);
}

/// A name or phrase in Arabic script, in logical order or reversed.
fn assert_arabic(text: &str, wanted: &str) {
    let (found, wanted) = (squeezed(text), squeezed(wanted));
    let reversed: String = wanted.chars().rev().collect();
    assert!(found.contains(&wanted) || found.contains(&reversed), "{wanted:?} missing in:\n{text}");
}

#[test]
fn orientation_proposal_gives_the_place_the_reasons_the_dates_and_a_dari_translation() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::OrientationProposal(orientation_proposal(Some("prs")));
    assert_eq!(letter.kind(), "orientation_proposal");
    let pdf = printer.render(&letter).expect("render");
    keep("orientation_proposal.pdf", &pdf);
    let text = text_of(&pdf);
    assert_agency_letter(&pdf, &text);
    assert_contains(
        &text,
        &[
            "Proposition d'orientation vers un hébergement dans une autre région",
            "article L.551-3",
            "Structure CADA Les Tilleuls",
            "Lieu Bretagne — département 35",
            "Type de place place familiale",
            "Personnes accueillies 4",
            "Pourquoi cette place vous est proposée",
            REASONS[0],
            REASONS[1],
            "contester cette proposition par écrit jusqu'au 4 décembre 2026",
            "au plus tard le 6 décembre 2026",
            "soit dans un délai de cinq jours (article R.551-3 du CESEDA)",
            "R.551-5 et L.551-16",
            "présenter vos observations écrites",
            "Une traduction de ce courrier en dari figure à la page suivante.",
        ],
    );
    let translated = assert_translation_page(&pdf, "dari");
    assert_arabic(&translated, DARI_NAME);
    // Dari letters Arabic lacks, and the reason inserted as a list item.
    assert!(translated.contains('پ'), "{translated}");
    assert_right_to_left(&translated, &["پیشنهاد", "پذیرش", "مکتب"]);
    assert_contains(&translated, &["CADA Les Tilleuls", "L.551-3", "R.551-3", "•"]);
}

#[test]
fn conditions_ending_notice_gives_the_ground_and_the_fifteen_days_with_a_russian_translation() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::ConditionsEndingNotice(conditions_ending_notice(Some("ru")));
    assert_eq!(letter.kind(), "conditions_ending_notice");
    let pdf = printer.render(&letter).expect("render");
    keep("conditions_ending_notice.pdf", &pdf);
    let text = text_of(&pdf);
    assert_agency_letter(&pdf, &text);
    assert_contains(
        &text,
        &[
            "Information préalable à la fin de vos conditions matérielles d'accueil",
            "pour le motif suivant : refus de l'orientation proposée",
            "Motif envisagé refus de l'orientation proposée",
            "Date limite des observations 16 décembre 2026",
            "Le 25 novembre 2026, vous avez refusé cette orientation.",
            "L.551-16",
            "D.551-17 et D.551-18",
            "au plus tard le 16 décembre 2026 (délai de quinze jours, article D.551-17 du CESEDA)",
            "par un avocat ou par toute autre personne de votre choix",
            "Le présent courrier ne constitue pas une décision.",
        ],
    );
    let translated = assert_translation_page(&pdf, "russe");
    assert_arabic(&translated, DARI_NAME);
    assert_contains(
        &translated,
        &[
            "Агентство рассматривает возможность прекратить предоставление вам материальных условий приёма",
            "отказ от предложенного направления в другой регион",
            "до 16 décembre 2026 включительно",
            "Это письмо ещё не является решением.",
            "юридическую силу имеет только текст на французском языке",
        ],
    );
}

#[test]
fn conditions_ending_decision_that_ends_them_says_how_to_go_to_court_with_a_spanish_translation() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::ConditionsEndingDecision(conditions_ending_decision(true, Some("es")));
    assert_eq!(letter.kind(), "conditions_ending_decision");
    let pdf = printer.render(&letter).expect("render");
    keep("conditions_ending_decision.pdf", &pdf);
    let text = text_of(&pdf);
    assert_agency_letter(&pdf, &text);
    assert_contains(
        &text,
        &[
            "Décision sur vos conditions matérielles d'accueil",
            "Il est mis fin à vos conditions matérielles d'accueil.",
            "Vos observations, reçues le 4 décembre 2026, ont été examinées.",
            "Prise en compte de votre situation et de votre vulnérabilité",
            "Aucun élément de vulnérabilité n'a été signalé",
            "Jeanne Dupuis, directrice territoriale",
            "Signé le 18 décembre 2026",
            "Voies et délais de recours",
            "tribunal administratif jusqu'au 25 décembre 2026 inclus, soit dans un délai de sept jours",
            "L.555-1",
        ],
    );
    let translated = assert_translation_page(&pdf, "espagnol");
    assert_contains(
        &translated,
        &[
            "la Agencia ha puesto fin a sus condiciones materiales de acogida",
            "Motivo: rechazo de la orientación propuesta.",
            "ante el tribunal administrativo hasta el 25 décembre 2026 (plazo de 7 días, artículo L.555-1)",
            "solo el texto en francés tiene valor legal",
        ],
    );
    // The signature closes the French letter, before the translation.
    assert!(!translated.contains("Jeanne Dupuis"), "{translated}");
}

#[test]
fn conditions_ending_decision_that_maintains_them_has_no_court_paragraph() {
    let printer = Printer::new().expect("printer");
    for translation_in in [None, Some("ar")] {
        let letter = Letter::ConditionsEndingDecision(conditions_ending_decision(false, translation_in));
        let pdf = printer.render(&letter).expect("render");
        let text = text_of(&pdf);
        assert_agency_letter(&pdf, &text);
        assert_contains(&text, &["Vos conditions matérielles d'accueil sont maintenues."]);
        assert!(!text.contains("Voies et délais de recours") && !text.contains("L.555-1"), "{text}");
        if translation_in.is_some() {
            assert_translation_page(&pdf, "arabe");
        }
    }
}

#[test]
fn an_agency_letter_without_translation_says_an_interpreter_can_explain_it() {
    let printer = Printer::new().expect("printer");
    let letters = [
        Letter::OfferRefusal(offer_refusal(None)),
        Letter::OrientationProposal(orientation_proposal(None)),
        Letter::ConditionsEndingNotice(conditions_ending_notice(None)),
        Letter::ConditionsEndingDecision(conditions_ending_decision(true, None)),
        Letter::ContestDecision(contest_decision(false, None)),
    ];
    for letter in letters {
        let pdf = printer.render(&letter).expect("render");
        let text = text_of(&pdf);
        assert_agency_letter(&pdf, &text);
        assert_contains(&text, &[&format!("{INTERPRETER} (tigrigna)."), "direction territoriale de l'Agence"]);
        assert!(!text.contains("Traduction en"), "{}: {text}", letter.kind());
        assert!(!text.contains("figure à la page suivante"), "{}: {text}", letter.kind());
    }
    // A translation without paragraphs is none.
    let mut refusal = offer_refusal(Some("en"));
    if let Some(t) = refusal.translation.as_mut() {
        t.paragraphs = vec![" ".to_owned()];
    }
    let text = text_of(&printer.render(&Letter::OfferRefusal(refusal)).expect("render"));
    assert!(text.contains(INTERPRETER) && !text.contains("Traduction en"), "{text}");
}

#[test]
fn agency_letters_are_deterministic_and_their_templates_can_be_replaced() {
    let printer = Printer::new().expect("printer");
    let letter = Letter::OrientationProposal(orientation_proposal(Some("ar")));
    assert_eq!(printer.render(&letter).expect("render"), printer.render(&letter).expect("render"));

    let source = r#"
[meta]
title = "Refus"
code = "RCMA"
issuer = "agency"
signature = ["{service}"]

[[blocks]]
p = "Refus signé le {signed_on} ({language})."

[[blocks]]
heading = "Traduction en {translation_language}"
page_break = true
when = "translation_language"

[[blocks]]
translation = "translation"
rtl = "translation_rtl"
"#;
    let printer = Printer::new().expect("printer").with_template("offer_refusal", source).expect("accepted");
    let pdf = printer.render(&Letter::OfferRefusal(offer_refusal(Some("es")))).expect("render");
    let text = text_of(&pdf);
    assert_contains(&text, &[AGENCY, "Refus signé le 1er décembre 2026 (espagnol).", "Traduction en espagnol"]);
    assert_eq!(page_count(&pdf), 2);

    let unguarded = source.replace("when = \"translation_language\"\n", "");
    let err = Printer::new().expect("printer").with_template("offer_refusal", &unguarded).expect_err("refused");
    assert!(err.to_string().contains("translation_language"), "{err}");
    let err = Printer::new().expect("printer").with_template("nope", source).expect_err("no such letter");
    assert!(err.to_string().contains("conditions_ending_decision"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The catalog of the letters' translations.

const CATALOG_LANGUAGES: [&str; 6] = ["fr", "en", "ar", "fa-AF", "ru", "es"];

/// Every message of the catalog and the arguments it takes.
const MESSAGES: &[(&str, &[&str])] = &[
    ("translation-note", &[]),
    ("notice-email-subject", &[]),
    ("notice-email-body", &["url"]),
    ("notice-sms", &["url"]),
    ("offer-refusal-*", &["signed_on"]),
    ("orientation-proposal-*", &["structure", "place", "persons", "contest_by", "reach_by"]),
    ("orientation-reason-region-above-share", &["region", "demand", "share"]),
    ("orientation-reason-together", &["persons"]),
    ("orientation-reason-vulnerable", &[]),
    ("orientation-reason-hospital-nearby", &[]),
    ("orientation-reason-school", &[]),
    ("orientation-reason-accessible", &[]),
    ("orientation-reason-distance", &["km"]),
    ("orientation-reason-region-below-share", &["region"]),
    ("conditions-ground-refused-orientation", &[]),
    ("conditions-ground-did-not-reach", &[]),
    ("conditions-ending-notice-*", &["ground", "observations_by"]),
    ("conditions-ending-decision-ended-*", &["ground", "signed_on", "court_by"]),
    ("conditions-ending-decision-maintained-*", &["ground", "signed_on"]),
    ("contest-decision-upheld-*", &["contested_on", "structure", "place"]),
    ("contest-decision-rejected-*", &["contested_on", "structure", "place", "reach_by"]),
    ("missing-items-*", &["reply_by"]),
    ("convocation-*", &["date", "place"]),
    ("decision-refugee-*", &["signed_on"]),
    ("decision-subsidiary-*", &["signed_on"]),
    ("decision-stateless-*", &["signed_on"]),
    ("decision-rejection-*", &["signed_on"]),
    ("decision-inadmissible-*", &["signed_on"]),
    ("decision-closure-*", &["signed_on"]),
    ("closure-reopen-*", &[]),
    ("decision-granted-*", &[]),
    ("decision-appeal-*", &[]),
];

/// The message ids of a catalog file, in order.
fn catalog_ids(lang: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/letters/{lang}.ftl"));
    let source = std::fs::read_to_string(&path).expect("the catalog file");
    source
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

/// The arguments of a message id, from [`MESSAGES`] (a `*` stands for the paragraph number).
fn arguments_of(id: &str) -> Option<&'static [&'static str]> {
    MESSAGES
        .iter()
        .find(|(pattern, _)| match pattern.strip_suffix('*') {
            Some(prefix) => id.strip_prefix(prefix).is_some_and(|n| n.parse::<u32>().is_ok()),
            None => id == *pattern,
        })
        .map(|(_, args)| *args)
}

#[test]
fn every_translation_file_has_the_same_keys() {
    let french = catalog_ids("fr");
    assert!(french.len() >= 30, "{french:?}");
    for lang in CATALOG_LANGUAGES {
        let ids = catalog_ids(lang);
        assert_eq!(ids, french, "{lang} has not the keys of fr, in the same order");
    }
}

#[test]
fn every_translation_formats_with_its_arguments_in_every_language() {
    let catalog = Translations::embedded().expect("the catalog");
    for lang in CATALOG_LANGUAGES {
        for id in catalog_ids(lang) {
            let names = arguments_of(&id).unwrap_or_else(|| panic!("{id}: its arguments are not listed in MESSAGES"));
            let args: Vec<(&str, &str)> = names.iter().map(|n| (*n, "VALEUR")).collect();
            let text = catalog.message(lang, &id, &args).unwrap_or_else(|| panic!("{lang} {id} does not format"));
            assert!(!text.trim().is_empty() && !text.contains(['{', '}', '$']), "{lang} {id}: {text:?}");
        }
    }
}

/// The reasons of an orientation proposal, in the household's language, live in this catalog; where
/// the web crate's locale files (the workbench's, the portal's) hold the same keys, the wording is the
/// same.
#[test]
fn the_orientation_reasons_have_one_wording() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let reasons = |source: &str| -> Vec<String> {
        source.lines().filter(|l| l.starts_with("orientation-reason-")).map(str::to_owned).collect()
    };
    for lang in CATALOG_LANGUAGES {
        let path = root.join(format!("locales/letters/{lang}.ftl"));
        let ours = reasons(&std::fs::read_to_string(&path).expect("a catalog file"));
        assert_eq!(ours.len(), 8, "{lang}: {ours:?}");
        for other in [format!("../web/locales/{lang}.ftl"), format!("../web/locales/portal/{lang}.ftl")] {
            let Ok(source) = std::fs::read_to_string(root.join(&other)) else { continue };
            let theirs = reasons(&source);
            if !theirs.is_empty() {
                assert_eq!(ours, theirs, "{lang}: the reasons differ from {other}");
            }
        }
    }
}

#[test]
fn the_household_language_picks_the_catalogs() {
    for (code, picked) in [
        ("fr", Some("fr")),
        ("en", Some("en")),
        ("ar", Some("ar")),
        ("ru", Some("ru")),
        ("es", Some("es")),
        ("prs", Some("fa-AF")),
        ("fa", Some("fa-AF")),
        ("fa-AF", Some("fa-AF")),
        ("fa-af", Some("fa-AF")),
        ("ti", None),
        ("ps", None),
        ("", None),
    ] {
        assert_eq!(Translations::pick(code), picked, "{code:?}");
    }
    assert!(Translations::rtl("ar") && Translations::rtl("fa-AF") && Translations::rtl("prs"));
    assert!(!Translations::rtl("ru") && !Translations::rtl("es") && !Translations::rtl("ti"));
    let names: Vec<&str> = CATALOG_LANGUAGES.iter().map(|l| Translations::french_name(l)).collect();
    assert_eq!(names, ["français", "anglais", "arabe", "dari", "russe", "espagnol"]);
    assert_eq!(Translations::french_name("ti"), "");
}

#[test]
fn every_language_has_the_paragraphs_of_every_letter() {
    let catalog = Translations::embedded().expect("the catalog");
    let any =
        |names: &[&'static str]| -> Vec<(&'static str, &'static str)> { names.iter().map(|n| (*n, "x")).collect() };
    let note = |lang: &str| catalog.message(lang, "translation-note", &[]).expect("the note");
    for lang in CATALOG_LANGUAGES {
        for (kind, args) in [
            ("offer_refusal", any(&["signed_on"])),
            ("orientation_proposal", any(&["structure", "place", "persons", "contest_by", "reach_by"])),
            ("conditions_ending_notice", any(&["ground", "observations_by"])),
            ("conditions_ending_decision_ended", any(&["ground", "signed_on", "court_by"])),
            ("conditions_ending_decision_maintained", any(&["ground", "signed_on"])),
            ("contest_decision_upheld", any(&["contested_on", "structure", "place"])),
            ("contest_decision_rejected", any(&["contested_on", "structure", "place", "reach_by"])),
        ] {
            let paragraphs = catalog.paragraphs(lang, kind, &args).unwrap_or_else(|| panic!("{lang} {kind}"));
            assert!(paragraphs.len() >= 2, "{lang} {kind}: {paragraphs:?}");
            // The last paragraph says that only the French text is authentic.
            assert_eq!(paragraphs.last(), Some(&note(lang)), "{lang} {kind}");
        }
        // Without its arguments, no paragraph formats: no translation with a hole.
        assert!(catalog.paragraphs(lang, "offer_refusal", &[]).is_none(), "{lang}");
    }
    assert!(catalog.paragraphs("ti", "offer_refusal", &[("signed_on", "x")]).is_none());
    assert!(catalog.paragraphs("en", "no_such_letter", &[]).is_none());
    assert_eq!(catalog.paragraphs("prs", "offer_refusal", &[("signed_on", "x")]).map(|p| p.len()), Some(6));
}
