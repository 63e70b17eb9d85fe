//! `ecs-doctor rules`: the rule catalog.

use clap::ValueEnum;

use super::{default_lang, parse_lang, pretty};
use crate::diagnose::Lang;
use crate::render;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

pub fn run(args: Args) -> Result<String, String> {
    default_lang(args.lang).map(|lang| match args.format {
        RulesFormat::Text => render::rules_text(lang),
        RulesFormat::Json => pretty(&render::rules_json()),
        RulesFormat::Markdown => render::rules_markdown(),
    })
}
