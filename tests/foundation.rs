//! Foundation: configuration, catalogue parsing (sloppy and refused), the CLI round trip through
//! the real binary, the durable queue under SIGKILL, the layers of the house
//! (`architecture/layering.rs`), the technician's commands `provision`, `doctor` and `status`
//! (`technician/`), and the database after an A/B rollback (`technician/schema_rollback.rs`).

mod common;
#[path = "technician/doctor.rs"]
mod doctor;
#[path = "technician/fleet.rs"]
mod fleet;
#[path = "architecture/layering.rs"]
mod layering;
mod open311_server;
mod printer_support;
#[path = "technician/provision.rs"]
mod provision;
#[path = "technician/schema_rollback.rs"]
mod schema_rollback;
#[path = "technician/shutdown.rs"]
mod shutdown;
#[path = "technician/status.rs"]
mod status;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use common::{OutputText, TestDir, guichet};
use guichet::catalog::{
    Catalog, CatalogError, Datatype, ServiceType, import_catalog_document, limits,
    parse_catalog_document,
};
use guichet::queue::Store;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/catalog/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Catalogue

#[test]
fn sloppy_catalogue_is_accepted_and_tidied() {
    let c = parse_catalog_document(&fixture("sloppy.json")).unwrap();
    let s = &c.services[0];
    assert_eq!(
        s.service_code, "37",
        "numeric service_code becomes a string"
    );
    assert_eq!(s.description, "", "null description becomes empty");
    assert_eq!(
        s.keywords,
        ["car", "vehicle", "abandoned"],
        "keywords as one string"
    );
    assert_eq!(s.group.as_deref(), Some("Streets"));
    let s = &c.services[1];
    assert_eq!(s.group, None, "missing group");
    assert_eq!(s.service_type, ServiceType::Batch);
    assert!(s.keywords.is_empty(), "empty keywords");
    assert_eq!(
        s.description, "Dog mess\non a path",
        "CRLF and the space after it normalised"
    );
    let s = &c.services[2];
    assert_eq!(s.group, None, "empty group");
    assert!(!s.metadata, "\"false\" as a string");
    let def = c.definition("37").unwrap();
    let codes: Vec<_> = def.attributes.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(
        codes,
        ["5", "PLATE", "DAYS"],
        "sorted by order; numeric code; missing order last"
    );
    assert!(!def.attributes[0].variable, "information only");
    assert_eq!(
        def.attributes[1].datatype,
        Datatype::String,
        "datatype case forgiven"
    );
    assert!(def.attributes[2].variable, "variable defaults to true");
    assert_eq!(
        def.attributes[2].description, "DAYS",
        "null question falls back to the code"
    );
    assert_eq!(def.questions().count(), 2);
    assert_eq!(c.groups(), vec![Some("Streets".to_string()), None]);
}

#[test]
fn malformed_catalogues_are_refused_with_the_place_and_reason() {
    let cases: &[(&str, &[&str])] = &[
        (
            "malformed-datatype.json",
            &["attributes[0].datatype", "\"boolean\""],
        ),
        (
            "missing-definition.json",
            &["services[\"A\"]", "no service definition"],
        ),
        ("empty-list.json", &["values", "at least one value"]),
        ("duplicate-code.json", &["services[1]", "appears twice"]),
        ("no-name.json", &["services[0].service_name", "missing"]),
        ("truncated.json", &["not valid JSON"]),
    ];
    for (file, needles) in cases {
        let err = parse_catalog_document(&fixture(file))
            .unwrap_err()
            .to_string();
        for needle in *needles {
            assert!(err.contains(needle), "{file}: {err:?} lacks {needle:?}");
        }
    }
}

#[test]
fn oversized_catalogues_are_refused() {
    let service = |i: usize| format!(r#"{{"service_code":"S{i}","service_name":"N{i}"}}"#);
    let many: Vec<String> = (0..=limits::MAX_SERVICES).map(service).collect();
    let doc = format!(r#"{{"services":[{}]}}"#, many.join(","));
    assert!(matches!(
        parse_catalog_document(doc.as_bytes()),
        Err(CatalogError::TooMany {
            what: "services",
            ..
        })
    ));

    let attrs: Vec<String> = (0..=limits::MAX_ATTRIBUTES)
        .map(|i| format!(r#"{{"code":"A{i}","datatype":"string","description":"q"}}"#))
        .collect();
    let doc = format!(
        r#"{{"services":[{{"service_code":"S","service_name":"S","metadata":true}}],"definitions":{{"S":{{"service_code":"S","attributes":[{}]}}}}}}"#,
        attrs.join(",")
    );
    assert!(matches!(
        parse_catalog_document(doc.as_bytes()),
        Err(CatalogError::TooMany {
            what: "attributes",
            ..
        })
    ));

    let long_name = "x".repeat(limits::MAX_NAME_CHARS + 1);
    let doc = format!(r#"{{"services":[{{"service_code":"S","service_name":"{long_name}"}}]}}"#);
    let err = parse_catalog_document(doc.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("service_name") && err.contains("at most 200"),
        "{err}"
    );

    let huge = vec![b' '; limits::MAX_DOCUMENT_BYTES + 1];
    assert!(matches!(
        parse_catalog_document(&huge),
        Err(CatalogError::TooLarge(_))
    ));
}

#[test]
fn a_refused_import_keeps_the_previous_catalogue() {
    let dir = TestDir::new("import");
    let fixtures = format!("{}/tests/fixtures/catalog", env!("CARGO_MANIFEST_DIR"));
    let ok = guichet(
        &dir,
        &["catalog", "import", &format!("{fixtures}/sloppy.json")],
    );
    assert!(ok.status.success(), "{}", ok.stderr_text());
    let before = guichet(&dir, &["catalog", "show", "--json"]);
    assert!(before.status.success());
    let bad = guichet(
        &dir,
        &[
            "catalog",
            "import",
            &format!("{fixtures}/malformed-datatype.json"),
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let msg = bad.stderr_text();
    assert!(
        msg.contains("refused") && msg.contains("unchanged") && msg.contains("boolean"),
        "{msg}"
    );
    assert_eq!(msg.trim().lines().count(), 1, "one line: {msg}");
    let after = guichet(&dir, &["catalog", "show", "--json"]);
    assert_eq!(before.stdout, after.stdout);
    let json: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(json["services"][0]["service_code"], "37");
}

// ---------------------------------------------------------------------------------------------
// Catalogues real cities published (tests/fixtures/catalogs/, origins in the READMEs there)

fn catalogs_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs")
}

/// A city's `services.json` and its `services/{code}.json` as one import document, the way sync
/// assembles them.
fn city_document(city: &str) -> serde_json::Value {
    let dir = catalogs_dir().join(city);
    let services: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("services.json")).unwrap()).unwrap();
    let mut definitions = serde_json::Map::new();
    if let Ok(entries) = std::fs::read_dir(dir.join("services")) {
        for entry in entries {
            let path = entry.unwrap().path();
            let def: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let code = def["service_code"].as_str().unwrap().to_string();
            definitions.insert(code, def);
        }
    }
    serde_json::json!({ "services": services, "definitions": definitions })
}

/// Gießen's GeoReport XML, element by element into the JSON shape (`<service>` → an object).
fn giessen_services() -> serde_json::Value {
    let xml = std::fs::read_to_string(catalogs_dir().join("giessen/services.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let services: Vec<serde_json::Value> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("service"))
        .map(|s| {
            let fields: serde_json::Map<String, serde_json::Value> = s
                .children()
                .filter(|n| n.is_element())
                .map(|n| {
                    let text = n.text().unwrap_or("").to_string();
                    (
                        n.tag_name().name().to_string(),
                        serde_json::Value::String(text),
                    )
                })
                .collect();
            serde_json::Value::Object(fields)
        })
        .collect();
    serde_json::Value::Array(services)
}

#[test]
fn fixtures_are_kept_byte_for_byte() {
    // The checksums their READMEs give: a reformatted fixture would no longer show what the
    // city's server sent.
    for (file, sha) in [
        (
            "boston/services.json",
            "2541a45400936966cccd2aea204493545c5741720c63aeae63bd227bc3273fe9",
        ),
        (
            "bloomington/services.json",
            "0b157ee3c96117bd864c1d88ae505aeed3c5f4b8ab217db58be9a9f5043973aa",
        ),
        (
            "giessen/services.xml",
            "122773d6cdbcbe674ba5c0e98e3071877f4713b6a228d1078602075dc6f47809",
        ),
    ] {
        let out = std::process::Command::new("sha256sum")
            .arg(catalogs_dir().join(file))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(sha), "{file}: {text}");
        let readme = std::fs::read_to_string(
            catalogs_dir()
                .join(file.split('/').next().unwrap())
                .join("README.md"),
        )
        .unwrap();
        assert!(
            readme.contains(sha),
            "{file}: its README gives another checksum"
        );
    }
}

#[test]
fn boston_is_served_as_far_as_its_definitions_go() {
    let doc = serde_json::to_vec(&city_document("boston")).unwrap();
    let imported = import_catalog_document(&doc).unwrap();
    let c = &imported.catalog;
    // 11 services without questions + the 4 whose definitions were captured; 103 left out.
    assert_eq!((c.services.len(), c.offered()), (15, 118));
    assert_eq!(c.left_out.len(), 103);
    assert!(
        c.left_out
            .iter()
            .all(|l| l.attribute.is_none() && l.reason.contains("no service definition")),
        "{:?}",
        c.left_out[0]
    );
    let summary = c.summary();
    assert!(
        summary.starts_with("15 of 118 services; left out: ABNDBIKE \u{201c}Bicycle abandoned on the street or sidewalk\u{201d} (")
    );
    // Strict: refused, naming the first service left out.
    let err = parse_catalog_document(&doc).unwrap_err().to_string();
    assert!(
        err.contains("ABNDBIKE") && err.contains("no service definition"),
        "{err}"
    );

    // metadata: true with attributes: [] is a service without questions.
    assert!(c.definition("BOS311GEN").unwrap().attributes.is_empty());
    // `informational` is an information page; its note has no values to ask.
    let trash = c.definition("MTRECYDBI").unwrap();
    let note = trash.attribute("TRSHHHITMS").unwrap();
    assert!(!note.variable && !note.required);
    assert!(
        note.description
            .starts_with("TRASH\u{2013}household trash items.")
    );
    // `dependencies`: "Please specify" only after "Yes" to construction material, which is
    // itself asked only for missed trash.
    let shown = |answers: &[(&str, &str)]| -> Vec<String> {
        let answers = answers
            .iter()
            .map(|(k, v)| (k.to_string(), guichet::validate::Answer::One(v.to_string())))
            .collect();
        guichet::validate::shown_attributes(trash, &answers)
            .into_iter()
            .map(str::to_string)
            .collect()
    };
    let none = shown(&[]);
    assert!(!none.contains(&"CNSTRCT_MTRL".to_string()));
    assert!(!none.contains(&"ST-YES".to_string()));
    let trash_yes = shown(&[("SR-MTRECYDBI1", "Trash"), ("CNSTRCT_MTRL", "Yes")]);
    assert!(trash_yes.contains(&"CNSTRCT_MTRL".to_string()));
    assert!(trash_yes.contains(&"ST-YES".to_string()));
    assert!(trash_yes.contains(&"REC-TRSCOL".to_string()), "AND clause");
    // A hidden question's answer does not reveal what depends on it.
    let recycling = shown(&[("SR-MTRECYDBI1", "Recycling"), ("CNSTRCT_MTRL", "Yes")]);
    assert!(!recycling.contains(&"ST-YES".to_string()));
    // An attribute code shared by two services (ST-OTHER) stays each service's own.
    assert!(
        c.definition("BIRDINFEST")
            .unwrap()
            .attribute("ST-OTHER")
            .is_some()
    );
    assert!(trash.attribute("ST-OTHER").is_some());

    // The kiosk validates exactly that: a hidden required question is not required, and an
    // answer to a hidden one is not sent.
    let catalog: Catalog = c.clone();
    let mut input = guichet::validate::FormInput {
        service_code: "MTRECYDBI".into(),
        locale: "en".into(),
        address: "1 City Hall Square".into(),
        ..Default::default()
    };
    input.answers.insert(
        "SR-MTRECYDBI1".into(),
        guichet::validate::Answer::One("Recycling".into()),
    );
    input.answers.insert(
        "ST-YES".into(),
        guichet::validate::Answer::One("paint".into()),
    );
    let form = guichet::validate::validate_form(
        &catalog,
        &input,
        &["en".to_string()],
        time::UtcOffset::UTC,
    )
    .unwrap();
    assert!(form.answers.contains_key("SR-MTRECYDBI1"));
    assert!(!form.answers.contains_key("ST-YES"), "hidden: not sent");
}

#[test]
fn bloomington_and_giessen_import_through_the_binary() {
    let dir = TestDir::new("cities");
    // Bloomington: a bare services.json list, 24-character hex codes.
    let bloomington = catalogs_dir().join("bloomington/services.json");
    let out = guichet(&dir, &["catalog", "import", bloomington.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let text = out.stdout_text();
    assert!(
        text.starts_with("imported 35 of 46 services (0 with questions); left out: 4e090d24992b941e78000027 \u{201c}Graffiti\u{201d} (metadata: true but no service definition), 4e090d24992b941e78000025 \u{201c}Recycling\u{201d} ("),
        "{text}"
    );
    let show = guichet(&dir, &["catalog", "show"]);
    assert!(show.status.success());
    assert!(
        show.stdout_text()
            .starts_with("imported 35 of 46 services; left out:")
    );
    assert!(
        show.stdout_text()
            .contains("4e09c863992b94b915000000 City Performance")
    );
    let doctor = guichet(&dir, &["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let catalog = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "catalog")
        .unwrap();
    assert_eq!(catalog["ok"], true);
    assert!(
        catalog["detail"]
            .as_str()
            .unwrap()
            .contains("imported 35 of 46 services; left out: 4e090d24992b941e78000027"),
        "{catalog}"
    );

    // --strict refuses and keeps what was there.
    let before = guichet(&dir, &["catalog", "show", "--json"]);
    let giessen = dir.path().join("giessen.json");
    std::fs::write(&giessen, serde_json::to_vec(&giessen_services()).unwrap()).unwrap();
    let strict = guichet(
        &dir,
        &[
            "catalog",
            "import",
            "--strict",
            bloomington.to_str().unwrap(),
        ],
    );
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        strict
            .stderr_text()
            .contains("--strict and 35 of 46 services"),
        "{}",
        strict.stderr_text()
    );
    assert_eq!(
        guichet(&dir, &["catalog", "show", "--json"]).stdout,
        before.stdout
    );

    // Gießen: German, zero-padded codes with gaps, no group anywhere, English sample text left
    // on German services; everything is served.
    let out = guichet(
        &dir,
        &[
            "catalog",
            "import",
            "--strict",
            "--json",
            giessen.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["imported"], json["offered"]);
    assert_eq!(json["left_out"], serde_json::json!([]));
    let show = guichet(&dir, &["catalog", "show", "--json"]);
    let c: Catalog = serde_json::from_slice(&show.stdout).unwrap();
    let codes: Vec<&str> = c.services.iter().map(|s| s.service_code.as_str()).collect();
    assert!(
        codes.contains(&"010") && codes.contains(&"017"),
        "{codes:?}"
    );
    assert_eq!(c.groups(), vec![None], "no group anywhere");
    let sign = c.service("012").unwrap();
    assert_eq!(sign.service_name, "Verkehrsschild beschädigt");
    assert_eq!(sign.description, "Report graffiti on a building you own.");
    assert_eq!(sign.keywords, ["graffiti", "paintings"]);
}

#[test]
fn each_quirk_real_catalogues_show_is_served() {
    // One service per quirk seen in a published catalogue; the names say which.
    let long = "Lorem ipsum dolor sit amet. ".repeat(60);
    let cut_keywords = format!("{}, mislabelled bin, brok", "recycling".repeat(25));
    let mut services = vec![
        serde_json::json!({"service_code": "5f2b9c1e8a4d3b0012c4e7a1", "service_name": "Hex code", "metadata": true, "type": "batch", "group": "Streets",
                           "definitions": {"service_departments": [{"code": "X"}]}}),
        serde_json::json!({"service_code": 37, "service_name": "Integer code", "metadata": true, "type": "batch", "group": "Streets"}),
        serde_json::json!({"service_code": "001", "service_name": "Cans_Left_Out_24x7", "metadata": false, "type": "batch", "group": "Sanitation",
                           "description": "Cans left out.&lt;br&gt;&lt;br&gt;Collected &amp;quot;Mondays&amp;quot;.\r\n\r\n\r\n<b>Thanks</b>\n", "keywords": cut_keywords}),
        serde_json::json!({"service_code": "004", "service_name": "Long description", "metadata": false, "type": "batch", "description": long}),
        serde_json::json!({"service_code": "NODEF", "service_name": "Definition missing", "metadata": true, "type": "batch"}),
        serde_json::json!({"service_code": "EMPTY", "service_name": "Empty definition", "metadata": true, "type": "batch"}),
        serde_json::json!({"service_code": "ODD", "service_name": "Unmappable question", "metadata": true, "type": "batch"}),
    ];
    // 100+ services across 20 categories.
    for i in 0..120 {
        services.push(serde_json::json!({"service_code": format!("{:03}", 100 + i * 2), "service_name": format!("Service {i}"),
                                         "metadata": false, "type": "batch", "group": format!("Category {}", i % 20)}));
    }
    let doc = serde_json::json!({
        "services": services,
        "definitions": {
            "5f2b9c1e8a4d3b0012c4e7a1": {"service_code": "5f2b9c1e8a4d3b0012c4e7a1", "attributes": [
                {"code": "NOTE", "datatype": "informational", "variable": false, "order": 10, "description": "Report only &lt;b&gt;public&lt;/b&gt; land.", "values": []},
                {"code": "SAFE", "datatype": "singlevaluelist", "required": true, "order": 30, "description": "Is it dangerous?",
                 "values": [{"key": "TRUE", "name": "Yes"}, {"key": "FALSE", "name": "No"}]},
                {"code": "WHERE", "datatype": "string", "order": 50, "description": "Where?",
                 "dependencies": {"clause": "AND", "conditions": [{"attribute": "SAFE", "op": "eq", "value": "TRUE"}]}},
                {"code": "INFO2", "variable": false, "datatype": "text", "order": 70, "description": "We reply within a week.", "values": ""},
            ]},
            "37": {"service_code": 37, "attributes": [
                {"code": "SAFE", "datatype": "singlevaluelist", "required": false, "description": "Blocking the road?",
                 "values": [{"key": true, "name": "Yes"}, {"key": false, "name": "No"}]},
            ]},
            "EMPTY": {"service_code": "EMPTY", "attributes": []},
            "ODD": {"service_code": "ODD", "attributes": [
                {"code": "PHOTO", "datatype": "image", "required": true, "description": "A photo"},
            ]},
        }
    });
    let imported = import_catalog_document(&serde_json::to_vec(&doc).unwrap()).unwrap();
    let c = &imported.catalog;
    assert_eq!((c.services.len(), c.offered()), (125, 127));
    let left: Vec<(&str, &str)> = c
        .left_out
        .iter()
        .map(|l| (l.service_code.as_str(), l.reason.as_str()))
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert_eq!(left[0].0, "NODEF");
    assert!(left[0].1.contains("no service definition"));
    assert_eq!(left[1].0, "ODD");
    assert!(left[1].1.contains("\"image\""), "{}", left[1].1);
    assert_eq!(
        c.groups().len(),
        23,
        "20 categories + Streets, Sanitation, and no group"
    );

    let hex = c.definition("5f2b9c1e8a4d3b0012c4e7a1").unwrap();
    let codes: Vec<&str> = hex.attributes.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["NOTE", "SAFE", "WHERE", "INFO2"], "order with gaps");
    assert_eq!(
        hex.attribute("NOTE").unwrap().description,
        "Report only public land."
    );
    assert!(!hex.attribute("INFO2").unwrap().variable);
    assert!(hex.attribute("WHERE").unwrap().dependencies.is_some());
    let keys: Vec<&str> = c.definition("37").unwrap().attributes[0]
        .values
        .iter()
        .map(|v| v.key.as_str())
        .collect();
    assert_eq!(keys, ["true", "false"], "a yes/no list keyed with booleans");
    assert!(c.definition("EMPTY").unwrap().attributes.is_empty());
    assert!(
        c.services
            .iter()
            .all(|s| s.service_type == ServiceType::Batch)
    );

    let cans = c.service("001").unwrap();
    assert_eq!(cans.service_name, "Cans Left Out 24x7");
    assert_eq!(
        cans.description,
        "Cans left out.\n\nCollected \"Mondays\".\n\nThanks"
    );
    assert_eq!(
        cans.keywords.last().map(String::as_str),
        Some("brok"),
        "a keyword cut off mid-word is kept as sent"
    );
    assert_eq!(
        cans.keywords.len(),
        2,
        "the 225-character one is beyond a name: dropped"
    );
    let long_desc = &c.service("004").unwrap().description;
    assert!(long_desc.chars().count() > 1000 && !long_desc.ends_with(' '));

    // The cached catalogue keeps what was left out; `show --json` names it.
    let dir = TestDir::new("quirks");
    let file = dir.path().join("quirks.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = guichet(
        &dir,
        &["catalog", "import", "--json", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["imported"], 125);
    assert_eq!(json["offered"], 127);
    assert_eq!(json["left_out"][1]["service_code"], "ODD");
    let show = guichet(&dir, &["catalog", "show", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(json["left_out"][0]["service_code"], "NODEF");
    // Receipts print the name tidied once, exactly as the screens show it.
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "001",
            "--address",
            "1 Main Street",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let reference = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let bin = dir.path().join("receipt.bin");
    let out = guichet(
        &dir,
        &[
            "printer",
            "render",
            &reference,
            "--out",
            bin.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let bytes = std::fs::read(&bin).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"Cans Left Out 24x7") && !has(b"Cans_Left"),
        "the receipt names the service as the screen does"
    );
    // What `show --json` prints imports again (the import format), dependencies included.
    std::fs::write(&file, &show.stdout).unwrap();
    let again = import_catalog_document(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(again.catalog.services, c.services);
    assert_eq!(again.catalog.definitions, c.definitions);
}

#[test]
fn nothing_usable_is_refused_whole_and_the_previous_catalogue_kept() {
    let doc = br#"{"services": [
        {"service_code": "A", "service_name": "A", "metadata": true},
        {"service_code": "B", "service_name": null}
    ]}"#;
    let err = import_catalog_document(doc).unwrap_err();
    assert!(
        matches!(err, CatalogError::NothingUsable { offered: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("none of the 2 services"), "{err}");
    for bad in [
        &b"[1, 2"[..],
        b"\"services\"",
        b"{\"definitions\": {}}",
        b"[]",
    ] {
        assert!(
            import_catalog_document(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn a_refresh_leaves_out_what_answers_404_and_keeps_a_definition_that_fails_later() {
    use open311_server::{Open311Server, ServerOptions};
    let boston = city_document("boston").to_string();
    let server = Open311Server::start_with(ServerOptions {
        catalog: boston.clone(),
        ..ServerOptions::default()
    });
    let dir = TestDir::new("refresh");
    let config = |url: &str| {
        let key = dir.path().join("api-key");
        std::fs::write(&key, "test-api-key\n").unwrap();
        let path = dir.path().join("kiosk.toml");
        std::fs::write(
            &path,
            format!(
                "[device]\ncode = \"LIB2\"\n[central]\nkind = \"open311\"\nurl = {url:?}\napi_key_file = {key:?}\nallow_insecure_http = true\n[printer]\nport = \"none\"\n",
                key = key.display().to_string()
            ),
        )
        .unwrap();
        path
    };
    let path = config(&server.url());
    let refresh = |extra: &[&str]| {
        let mut args = vec!["--config", path.to_str().unwrap(), "catalog", "refresh"];
        args.extend_from_slice(extra);
        guichet(&dir, &args)
    };
    let out = refresh(&["--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stdout_text());
    assert!(
        out.stderr_text()
            .contains("--strict and 15 of 118 services"),
        "{}",
        out.stderr_text()
    );
    let out = refresh(&[]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let text = out.stdout_text();
    assert!(
        text.starts_with(
            "catalogue updated: 15 services (imported 15 of 118 services; left out: ABNDBIKE"
        ),
        "{text}"
    );
    assert!(
        text.contains("404"),
        "the server's answer is the reason: {text}"
    );

    // The next time, the trash definition answers 404: the one from last time is kept.
    let mut without: serde_json::Value = serde_json::from_str(&boston).unwrap();
    without["definitions"]
        .as_object_mut()
        .unwrap()
        .remove("MTRECYDBI");
    let second = Open311Server::start_with(ServerOptions {
        catalog: without.to_string(),
        ..ServerOptions::default()
    });
    let path2 = config(&second.url());
    assert_eq!(path, path2);
    let out = guichet(
        &dir,
        &[
            "--config",
            path.to_str().unwrap(),
            "catalog",
            "refresh",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["imported"], 15, "{json}");
    let show = guichet(
        &dir,
        &[
            "--config",
            path.to_str().unwrap(),
            "catalog",
            "show",
            "--json",
        ],
    );
    let c: Catalog = serde_json::from_slice(&show.stdout).unwrap();
    assert!(
        c.definition("MTRECYDBI")
            .unwrap()
            .attribute("CNSTRCT_MTRL")
            .is_some()
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration through the binary

#[test]
fn bad_config_names_the_key_and_exits_1() {
    let dir = TestDir::new("config");
    let path = dir.path().join("kiosk.toml");
    std::fs::write(
        &path,
        "[device]\ncode = \"LIB2\"\n[ui]\nidle_timeout = 60\n",
    )
    .unwrap();
    let out = guichet(&dir, &["--config", path.to_str().unwrap(), "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let msg = out.stderr_text();
    assert!(
        msg.contains("idle_timeout") && msg.contains("idle_timeout_s"),
        "{msg}"
    );

    std::fs::write(&path, "[device]\ncode = \"lib-2\"\n").unwrap();
    let out = guichet(&dir, &["--config", path.to_str().unwrap(), "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr_text().contains("device.code"),
        "{}",
        out.stderr_text()
    );

    let out = guichet(&dir, &["queue", "list", "--state", "lost"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn config_file_from_environment_variable_is_used() {
    let dir = TestDir::new("envconfig");
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, "[device]\ncode = \"ENV7\"\n").unwrap();
    let out = common::guichet_env(
        &dir,
        &["doctor", "--json"],
        &[("GUICHET_CONFIG", path.to_str().unwrap())],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let config = &json["checks"][0];
    assert_eq!(config["name"], "config");
    assert!(
        config["detail"].as_str().unwrap().contains("ENV7"),
        "{config}"
    );
}

// ---------------------------------------------------------------------------------------------
// CLI round trip

#[test]
fn submit_then_queue_list_round_trip() {
    let dir = TestDir::new("roundtrip");
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "BULKY",
            "--answer",
            "ITEMS=fridge",
            "--answer",
            "ITEMS=garden",
            "--answer",
            "ITEM_COUNT=2",
            "--answer",
            "PREFERRED_DATE=2026-12-01T09:00:00Z",
            "--address",
            "4 Mill Lane",
            "--email",
            "ann@example.org",
            "--locale",
            "fr",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let submitted: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(submitted["state"], "pending");
    let reference = submitted["reference"].as_str().unwrap().to_string();
    assert!(reference.starts_with("DEMO-"), "{reference}");
    guichet::reference::Reference::parse(&reference).unwrap();

    let list = guichet(&dir, &["queue", "list", "--json"]);
    assert!(list.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = &rows.as_array().unwrap()[0];
    let keys: HashSet<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from([
            "reference",
            "state",
            "service_code",
            "created_at",
            "remote_id",
            "last_error"
        ])
    );
    assert_eq!(row["reference"], reference.as_str());
    assert_eq!(row["state"], "pending");
    assert_eq!(row["service_code"], "BULKY");
    assert!(row["remote_id"].is_null() && row["last_error"].is_null());
    time::OffsetDateTime::parse(
        row["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();

    let show = guichet(
        &dir,
        &["queue", "show", &reference.to_lowercase(), "--json"],
    );
    assert!(show.status.success(), "{}", show.stderr_text());
    let shown: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(shown["locale"], "fr");
    assert_eq!(
        shown["form"]["answers"]["ITEMS"],
        serde_json::json!(["fridge", "garden"])
    );
    assert_eq!(shown["form"]["answers"]["ITEM_COUNT"], "2");

    let pending = guichet(&dir, &["queue", "list", "--state", "accepted", "--json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&pending.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn invalid_submission_exits_1_naming_the_field_and_saves_nothing() {
    let dir = TestDir::new("invalid");
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "BULKY",
            "--answer",
            "ITEMS=piano",
            "--answer",
            "ITEM_COUNT=lots",
            "--answer",
            "PREFERRED_DATE=2026-12-01",
            "--address",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let msg = out.stderr_text();
    assert!(msg.contains("ITEMS") && msg.contains("piano"), "{msg}");
    assert!(
        msg.contains("ITEM_COUNT") && msg.contains("must be a whole number from 0 to 10"),
        "{msg}"
    );
    assert_eq!(msg.trim().lines().count(), 1);
    let out = guichet(&dir, &["submit", "--service", "NOPE", "--address", "x"]);
    assert!(
        out.stderr_text()
            .contains("service is not in the catalogue")
    );
    let list = guichet(&dir, &["queue", "list", "--json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&list.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn retry_and_export() {
    let dir = TestDir::new("export");
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "GRAFFITI",
            "--address",
            "Bus shelter, Station Road",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let reference = out.stdout_text().trim().to_string();
    let retry = guichet(&dir, &["queue", "retry", &reference]);
    assert_eq!(retry.status.code(), Some(1));
    assert!(retry.stderr_text().contains("only a rejected"));
    {
        let store = Store::open(dir.path()).unwrap();
        store
            .connection()
            .execute(
                "UPDATE submissions SET state='rejected', last_error='400 bad address'",
                [],
            )
            .unwrap();
    }
    let list = guichet(&dir, &["queue", "list", "--state", "rejected", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    // A server's refusal reason is sealed with the submission (issue 11), even one written in
    // clear by an earlier version: `queue show` opens it.
    assert!(rows[0]["last_error"].as_str().unwrap().contains("sealed"));
    let shown = guichet(&dir, &["queue", "show", &reference]);
    assert!(shown.stdout_text().contains("400 bad address"));
    assert!(
        guichet(&dir, &["queue", "retry", &reference])
            .status
            .success()
    );
    let export = dir.path().join("export.jsonl");
    let out = guichet(
        &dir,
        &["queue", "export", "--out", export.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    // Sealed at rest (issue 6): read back through `privacy open-export`.
    let opened = guichet(&dir, &["privacy", "open-export", export.to_str().unwrap()]);
    assert!(opened.status.success(), "{}", opened.stderr_text());
    let text = opened.stdout_text();
    assert_eq!(text.lines().count(), 1);
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(line["reference"], reference.as_str());
    assert_eq!(line["state"], "pending");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&export).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn doctor_reports_every_check() {
    let dir = TestDir::new("doctor");
    let out = guichet(&dir, &["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "config",
            "database",
            "data_key",
            "disk",
            "printer",
            "central",
            "last_sync",
            "clock",
            "catalog",
            "fonts",
            "speech",
            "touch",
            "service"
        ]
    );
    let database = &json["checks"][1];
    assert_eq!(database["ok"], true, "{database}");
    assert!(
        database["detail"]
            .as_str()
            .unwrap()
            .contains("integrity ok")
    );
    // Exit status follows the checks (the disk check may fail on a nearly full CI machine).
    let all_ok = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["ok"] == true);
    assert_eq!(out.status.success(), all_ok);

    // A corrupted database file is reported as a failed check, with exit 1.
    let db = dir.path().join(guichet::queue::DATABASE_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(100).take(4000) {
        *b = 0x5a;
    }
    std::fs::write(&db, bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("guichet.sqlite3-wal"));
    let out = guichet(&dir, &["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["checks"][1]["ok"], false, "{}", json["checks"][1]);
}

// ---------------------------------------------------------------------------------------------
// Crash safety

/// A child queues submissions in a loop and is SIGKILLed at random moments. After every kill the
/// database opens, passes integrity_check, holds every submission whose reference the child
/// printed (printed only after commit), intact; and no reference is ever issued twice.
#[test]
fn sigkill_during_enqueue_loses_nothing_and_never_repeats_a_reference() {
    use rand::Rng;
    let dir = TestDir::new("crash");
    let mut rng = rand::rng();
    let mut seen: HashSet<String> = HashSet::new();
    let mut kills = 0;
    let mut total_printed = 0;
    while kills < 60 {
        let mut child = common::command(&dir)
            .args([
                "bench",
                "enqueue",
                "--count",
                "100000000",
                "--print-references",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        // Kill at a random moment: sometimes during start-up and migration, mostly mid-loop.
        std::thread::sleep(Duration::from_millis(rng.random_range(1..120)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        let mut text = String::new();
        stdout.read_to_string(&mut text).unwrap();
        // Only complete lines count: the child may die mid-write.
        let complete = match text.rfind('\n') {
            Some(i) => &text[..=i],
            None => "",
        };
        let store = Store::open(dir.path()).expect("database opens after SIGKILL");
        store
            .integrity_check()
            .expect("integrity_check ok after SIGKILL");
        for line in BufReader::new(complete.as_bytes()).lines() {
            let line = line.unwrap();
            let (reference, n) = line.split_once('\t').unwrap();
            let n: u64 = n.parse().unwrap();
            assert!(
                seen.insert(reference.to_string()),
                "reference {reference} issued twice"
            );
            let stored = store.get(reference).expect("printed reference is stored");
            assert_eq!(
                stored.form.as_ref(),
                Some(&guichet::cli::bench::bench_form(n)),
                "{reference} intact"
            );
            total_printed += 1;
        }
        let rows: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))
            .unwrap();
        assert!(rows as usize >= seen.len());
        let jobs: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM submissions s LEFT JOIN print_jobs p ON p.submission_id = s.id WHERE p.id IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(jobs, 0, "every submission has its receipt job");
    }
    assert!(kills >= 50);
    assert!(
        total_printed > 50,
        "the child made progress between kills ({total_printed})"
    );
}

// ---------------------------------------------------------------------------------------------
// Fleet metrics

#[test]
fn metrics_show_when_a_resident_last_asked_for_help() {
    use guichet::ui::Backend;
    let dir = TestDir::new("metrics-help");
    let metrics = || {
        let out = guichet(&dir, &["metrics", "--out", "-"]);
        assert!(out.status.success(), "{}", out.stderr_text());
        common::prom::parse(&out.stdout_text())
    };
    let help = |m: &common::prom::Metrics| m.value("guichet_help_requested_timestamp_seconds", &[]);
    let before = metrics();
    assert_eq!(help(&before), 0.0, "never asked");
    assert_eq!(before.value("guichet_central_configured", &[]), 0.0);
    let asked_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        .floor();
    // The touchscreen's "ask for help" goes through the kiosk's store worker.
    let (tx, _rx) = std::sync::mpsc::channel();
    let worker = guichet::runtime::StoreWorker::spawn(
        guichet::queue::StoreLocation::in_dir(dir.path()),
        "LIB7".into(),
        tx,
        Box::new(|_| {}),
    );
    worker.request_help();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = help(&metrics());
        if now >= asked_at {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "help request not shown: {now}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `promtool` from Debian's `prometheus` package (installed by `.ci/run`): required in CI,
/// skipped loudly elsewhere.
fn promtool() -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("promtool"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "promtool is needed in CI: apt-get install prometheus (see .ci/run)"
        );
        eprintln!("SKIPPED: promtool is not installed (apt-get install prometheus)");
    }
    found
}

#[test]
fn the_shipped_alerting_rules_pass_promtool_and_fire_when_their_cause_happens() {
    let Some(promtool) = promtool() else { return };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk-image/prometheus");
    for args in [
        ["check", "rules", "guichet-alerts.yml"],
        // The unit tests beside the rules: each alert fires on its cause, not without it.
        ["test", "rules", "guichet-alerts.test.yml"],
    ] {
        let out = std::process::Command::new(&promtool)
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "promtool {args:?}: {}{}",
            out.stdout_text(),
            out.stderr_text()
        );
    }
}

#[test]
fn guichet_metrics_passes_promtools_own_lint() {
    let Some(promtool) = promtool() else { return };
    let dir = TestDir::new("metrics-lint");
    let out = guichet(&dir, &["metrics", "--out", "-"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let mut child = std::process::Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &out.stdout).unwrap();
    let lint = child.wait_with_output().unwrap();
    assert!(
        lint.status.success() && lint.stdout.is_empty() && lint.stderr.is_empty(),
        "promtool check metrics: {}{}",
        lint.stdout_text(),
        lint.stderr_text()
    );
}

#[test]
fn metrics_count_the_services_a_catalogue_left_out_without_naming_them() {
    let dir = TestDir::new("metrics-catalog");
    let bloomington = catalogs_dir().join("bloomington/services.json");
    let out = guichet(&dir, &["catalog", "import", bloomington.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let out = guichet(&dir, &["metrics", "--out", "-"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let m = common::prom::parse(&out.stdout_text());
    assert_eq!(
        m.value("guichet_catalog_services", &[("state", "served")]),
        35.0
    );
    assert_eq!(
        m.value("guichet_catalog_services", &[("state", "left_out")]),
        11.0
    );
    assert!(m.value("guichet_catalog_updated_timestamp_seconds", &[]) > 0.0);
    assert!(!m.text.contains("4e090d24992b941e78000027") && !m.text.contains("Graffiti"));
}
