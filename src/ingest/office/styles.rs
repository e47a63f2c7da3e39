//! Character formatting: what run properties, styles and their names set (bold, italic,
//! underline), and the automatic styles of an OpenDocument `content.xml`.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::events::BytesStart;

/// Bold: a bit of a [`Format`] and of the formatting flags of text.
pub(super) const BOLD: u8 = 1;
/// Italic.
pub(super) const ITALIC: u8 = 2;
/// Underline.
pub(super) const UNDERLINE: u8 = 4;

/// The character formatting that run properties or a style give: which of bold, italic and
/// underline they set (`set`), and to what (`on`, a subset of `set`). What they do not set is
/// inherited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Format {
    set: u8,
    on: u8,
}

impl Format {
    /// Everything off: a Word run starts from plain text.
    pub(super) const PLAIN: Format = Format { set: BOLD | ITALIC | UNDERLINE, on: 0 };

    /// Sets one property (`flag`) on or off.
    pub(super) fn one(flag: u8, on: bool) -> Format {
        Format { set: flag, on: if on { flag } else { 0 } }
    }

    /// This formatting with `later` applied on top of it.
    fn then(self, later: Format) -> Format {
        Format { set: self.set | later.set, on: (self.on & !later.set) | later.on }
    }

    /// The flags of text formatted `flags` once this formatting is applied.
    pub(super) fn over(self, flags: u8) -> u8 {
        (flags & !self.set) | self.on
    }
}

/// The formatting a character or paragraph style stands for when its definition is not read
/// (Word's `styles.xml`, OpenDocument's common styles): a name with `strong` or `bold` in it
/// (any case) is bold, one with `emphasis` italic.
pub(super) fn named_format(name: &str) -> Format {
    let name = name.as_bytes();
    let has = |word: &[u8]| name.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
    if has(b"strong") || has(b"bold") {
        Format::one(BOLD, true)
    } else if has(b"emphasis") {
        Format::one(ITALIC, true)
    } else {
        Format::default()
    }
}

/// The raw value of the attribute named `local` (whatever its prefix), if any.
pub(super) fn attribute<'a>(start: &'a BytesStart<'_>, local: &str) -> Option<Cow<'a, str>> {
    start.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| a.value)
}

/// An OpenDocument automatic style: what it sets itself, and the style it is based on.
#[derive(Debug, Default)]
struct OdtStyle {
    format: Format,
    parent: Option<String>,
}

/// The automatic text and paragraph styles of `content.xml` (which come before the body),
/// by name.
#[derive(Debug, Default)]
pub(super) struct OdtStyles {
    styles: HashMap<String, OdtStyle>,
    /// The name of the text or paragraph style being defined, while its definition is read.
    current: Option<String>,
}

impl OdtStyles {
    /// Starts the definition of a style (`style:style`); only text and paragraph styles are
    /// kept.
    pub(super) fn begin(&mut self, start: &BytesStart<'_>) {
        self.current = None;
        let family = attribute(start, "family");
        if !matches!(family.as_deref(), Some("text" | "paragraph")) {
            return;
        }
        let Some(name) = attribute(start, "name") else { return };
        let parent = attribute(start, "parent-style-name").map(Cow::into_owned);
        self.styles.insert(name.to_string(), OdtStyle { format: Format::default(), parent });
        self.current = Some(name.into_owned());
    }

    /// Adds what a `style:text-properties` sets to the style being defined.
    pub(super) fn text_properties(&mut self, start: &BytesStart<'_>) {
        let Some(style) = self.current.as_ref().and_then(|name| self.styles.get_mut(name)) else {
            return;
        };
        style.format = style.format.then(odt_text_format(start));
    }

    /// The formatting the style named by an element's `text:style-name` gives: the automatic
    /// style over its parent (itself looked up one level only), or what the name says.
    pub(super) fn format_of(&self, start: &BytesStart<'_>) -> Format {
        let Some(name) = attribute(start, "style-name") else { return Format::default() };
        let Some(style) = self.styles.get(name.as_ref()) else { return named_format(&name) };
        let parent = style.parent.as_deref().map_or(Format::default(), |parent| {
            self.styles.get(parent).map_or_else(|| named_format(parent), |p| p.format)
        });
        parent.then(style.format)
    }
}

/// What a `style:text-properties` element sets: `fo:font-weight` (`bold` or 600 and up is
/// bold), `fo:font-style` (`italic`, `oblique`) and `style:text-underline-style` (anything
/// but `none`).
fn odt_text_format(start: &BytesStart<'_>) -> Format {
    let mut format = Format::default();
    for a in start.attributes().flatten() {
        let value = a.value.as_ref();
        let property = match a.key.local_name().as_ref() {
            "font-weight" => Format::one(BOLD, is_bold_weight(value)),
            "font-style" => Format::one(ITALIC, matches!(value, "italic" | "oblique")),
            "text-underline-style" => Format::one(UNDERLINE, value != "none"),
            _ => continue,
        };
        format = format.then(property);
    }
    format
}

/// Whether an `fo:font-weight` value is bold: `bold`, or a weight of 600 or more.
fn is_bold_weight(value: &str) -> bool {
    value == "bold" || value.trim().parse::<u16>().is_ok_and(|weight| weight >= 600)
}
