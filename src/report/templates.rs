//! The templates of the human-readable reports (minijinja), embedded in the binary: the
//! codebook document and the HTML report share one environment and one style sheet.

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, Value};

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("codebook.md", include_str!("templates/codebook.md")),
    ("codebook.html", include_str!("templates/codebook.html")),
    ("codebook_themes.html", include_str!("templates/codebook_themes.html")),
    ("report.html", include_str!("templates/report.html")),
];

/// The shared style sheet, inlined into every HTML page.
pub const STYLE: &str = include_str!("templates/style.css");

/// The environment with every template loaded. Names ending in `.html` are HTML-escaped.
/// Counts read as the messages write them: `{{ n|plural("session") }}` (`1 session`,
/// `4 sessions`), `{{ n|plural_as("person", "people") }}`.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_filter("plural", |n: Value, what: String| crate::display::plural(n, &what));
    env.add_filter("plural_as", |n: Value, one: String, many: String| {
        crate::display::plural_as(n, &one, &many)
    });
    let syntax = SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build();
    env.set_syntax(syntax.expect("the default delimiters are valid"));
    for (name, source) in TEMPLATES {
        env.add_template(name, source).expect("the embedded templates are valid");
    }
    env
}

/// Renders template `name` with `context`.
pub fn render(name: &str, context: minijinja::Value) -> Result<String, minijinja::Error> {
    environment().get_template(name)?.render(context)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_embedded_template_parses() {
        let env = super::environment();
        for (name, _) in super::TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn counts_take_their_singular_or_plural() {
        let env = super::environment();
        let render =
            |source: &str, n: u64| env.render_str(source, minijinja::context! { n }).unwrap();
        assert_eq!(render("{{ n|plural('session') }}", 1), "1 session");
        assert_eq!(render("{{ n|plural('session') }}", 4), "4 sessions");
        assert_eq!(render("{{ n|plural_as('person', 'people') }}", 2), "2 people");
    }
}
