//! `guichet submit`: queue one submission through the same validator as the touchscreen.

use std::collections::BTreeMap;

use clap::Args;

use super::{CliError, Context, fail, print_json};
use crate::catalog::Datatype;
use crate::validate::{Answer, Contact, FormInput, validate_form};

/// Arguments of `guichet submit`.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Service code from the catalogue.
    #[arg(long)]
    service: String,
    /// An answer, CODE=VALUE; repeat CODE=KEY for each choice of a multiple-choice question.
    #[arg(long = "answer", value_name = "CODE=VALUE")]
    answers: Vec<String>,
    /// Free description.
    #[arg(long, default_value = "")]
    description: String,
    /// Address of the problem.
    #[arg(long, default_value = "")]
    address: String,
    /// Latitude, decimal degrees.
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    lat: String,
    /// Longitude, decimal degrees.
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    long: String,
    /// Contact first name.
    #[arg(long, default_value = "")]
    first_name: String,
    /// Contact last name.
    #[arg(long, default_value = "")]
    last_name: String,
    /// Contact e-mail.
    #[arg(long, default_value = "")]
    email: String,
    /// Contact phone.
    #[arg(long, default_value = "")]
    phone: String,
    /// UI language recorded with the submission (default: the kiosk's first language).
    #[arg(long)]
    locale: Option<String>,
    /// Print `{"reference": "...", "state": "pending"}`.
    #[arg(long)]
    json: bool,
}

pub(super) fn run(ctx: &Context, args: SubmitArgs) -> Result<(), CliError> {
    let mut store = ctx.open_store()?;
    let locale = args
        .locale
        .clone()
        .unwrap_or_else(|| ctx.config.ui.languages[0].clone());
    let Some(catalog) = store.catalog_for(&locale)? else {
        return fail(
            "no catalogue is cached: run `guichet catalog refresh` or `guichet catalog import FILE`",
        );
    };
    let answers = parse_answers(&catalog, &args.service, &args.answers)?;
    let input = FormInput {
        service_code: args.service,
        locale,
        answers,
        description: args.description,
        address: args.address,
        lat: args.lat,
        long: args.long,
        contact: Contact {
            first_name: args.first_name,
            last_name: args.last_name,
            email: args.email,
            phone: args.phone,
        },
    };
    let form = validate_form(
        &catalog,
        &input,
        &ctx.config.ui.languages,
        crate::clock::local_offset(),
    )
    .map_err(|errors| {
        CliError(format!(
            "submission refused: {}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    let reference = store.enqueue(&ctx.config.device.code, &form, None)?;
    if args.json {
        print_json(&serde_json::json!({"reference": reference.as_str(), "state": "pending"}))
    } else {
        println!("{reference}");
        Ok(())
    }
}

/// The form of a submission re-filed under `service`: its description, location, contact and
/// language kept, `answers` (`CODE=VALUE`) given anew, validated exactly as a new submission.
pub(super) fn revalidate(
    ctx: &Context,
    catalog: &crate::catalog::Catalog,
    old: &crate::validate::ValidForm,
    service: &str,
    answers: &[String],
) -> Result<crate::validate::ValidForm, CliError> {
    let answers = parse_answers(catalog, service, answers)?;
    let input = FormInput {
        service_code: service.to_string(),
        locale: old.locale.clone(),
        answers,
        description: old.description.clone(),
        address: old.location.address.clone(),
        lat: old.location.lat.map(|v| v.to_string()).unwrap_or_default(),
        long: old.location.long.map(|v| v.to_string()).unwrap_or_default(),
        contact: old.contact.clone(),
    };
    validate_form(
        catalog,
        &input,
        &ctx.config.ui.languages,
        crate::clock::local_offset(),
    )
    .map_err(|errors| {
        CliError(format!(
            "cannot re-file under {service}: {}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })
}

/// `--answer CODE=VALUE` flags as answers to `service`'s questions: a repeated code, or any code
/// of a multiple-choice question, is a list; one value is one answer. The one reading of
/// answers for `submit` and `queue refile`.
fn parse_answers(
    catalog: &crate::catalog::Catalog,
    service: &str,
    raw_answers: &[String],
) -> Result<BTreeMap<String, Answer>, CliError> {
    let mut grouped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for raw in raw_answers {
        let Some((code, value)) = raw.split_once('=') else {
            return fail(format!("--answer {raw:?}: expected CODE=VALUE"));
        };
        grouped
            .entry(code.trim().to_string())
            .or_default()
            .push(value.to_string());
    }
    let definition = catalog.definition(service);
    Ok(grouped
        .into_iter()
        .map(|(code, mut values)| {
            let multi = definition
                .and_then(|d| d.attribute(&code))
                .is_some_and(|a| a.datatype == Datatype::Multivaluelist);
            let answer = if multi || values.len() > 1 {
                Answer::Many(values)
            } else {
                Answer::One(values.remove(0))
            };
            (code, answer)
        })
        .collect())
}
