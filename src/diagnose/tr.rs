//! Sentences outside the catalog in both languages, one way: a [`Tr`] constant per sentence,
//! `{name}` placeholders filled by [`Tr::fill`]. `tests/it/engine/texts.rs` reads every `Tr` in
//! `src/` and checks that both languages are there with the same placeholders, as the catalog's
//! tests do for the rules.

use super::Lang;

/// A sentence in both languages, with `{name}` placeholders.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub en: &'static str,
    pub ja: &'static str,
}

impl Tr {
    /// The sentence in `lang`, as written: for a sentence without placeholders.
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ja => self.ja,
        }
    }

    /// The sentence in `lang`, each `{name}` replaced by its value. Values are inserted as they
    /// are (an AWS error message may hold braces of its own) and never read as a template.
    pub fn fill(&self, lang: Lang, values: &[(&str, &str)]) -> String {
        let template = self.text(lang);
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                values
                    .iter()
                    .find(|(name, _)| *name == &after[..close])
                    .map(|v| (close, v.1))
            });
            match value {
                Some((close, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: Tr = Tr {
        en: "{count} task(s) of {service} failed",
        ja: "{service} のタスク {count} 件が失敗しました",
    };

    #[test]
    fn each_language_gets_its_own_sentence_with_the_values_in_place() {
        let values = [("count", "3"), ("service", "web")];
        assert_eq!(SAMPLE.fill(Lang::En, &values), "3 task(s) of web failed");
        assert_eq!(SAMPLE.fill(Lang::Ja, &values), "web のタスク 3 件が失敗しました");
        // A placeholder without a value stays as written, so a test can see it.
        assert_eq!(SAMPLE.fill(Lang::En, &[]), "{count} task(s) of {service} failed");
    }
}
