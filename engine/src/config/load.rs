//! Reading JSON documents with errors that say where: the path in the document, the line and
//! column, and for a misspelt field or value the name that was probably meant.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::diagnostic::did_you_mean;

/// Documents larger than this are refused before parsing [bytes].
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// A document that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Where in the document, e.g. `lines[0].queue_time`; empty at the top level.
    pub path: String,
    /// 1-based line and column of the problem; 0 when unknown.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() || self.path == "." {
            "document"
        } else {
            &self.path
        };
        if self.line > 0 {
            write!(
                f,
                "{path} (line {}, column {}): {}",
                self.line, self.column, self.message
            )
        } else {
            write!(f, "{path}: {}", self.message)
        }
    }
}

impl std::error::Error for LoadError {}

/// Parses a JSON document into `T`, reporting the first problem with its place.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, LoadError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(LoadError {
            path: String::new(),
            line: 0,
            column: 0,
            message: format!(
                "the document is {} MiB, more than the {} MiB this reads",
                text.len() / (1024 * 1024),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.inner();
        LoadError {
            path: if path == "." { String::new() } else { path },
            line: inner.line(),
            column: inner.column(),
            message: humanize(&strip_position(&inner.to_string())),
        }
    })?;
    // Trailing characters after the document are an error too.
    de.end().map_err(|e| LoadError {
        path: String::new(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

/// serde_json appends ` at line L column C`; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(ix) => message[..ix].to_string(),
        None => message.to_string(),
    }
}

/// Adds a did-you-mean to serde's unknown field and unknown variant messages, and rewords a few
/// messages that name Rust types.
fn humanize(message: &str) -> String {
    for kind in ["unknown field", "unknown variant"] {
        if let Some(rest) = message.strip_prefix(kind) {
            let got = between_backticks(rest).unwrap_or_default();
            let expected: Vec<&str> = match rest.find("expected") {
                Some(ix) => backticked(&rest[ix..]),
                None => Vec::new(),
            };
            let mut out = format!("{kind} `{got}`");
            match did_you_mean(got, expected.iter().copied()) {
                Some(best) => out.push_str(&format!(", did you mean `{best}`?")),
                None if !expected.is_empty() => {
                    let list: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
                    out.push_str(&format!(", expected one of {}", list.join(", ")));
                }
                None => {}
            }
            return out;
        }
    }
    message
        .replace("invalid type: map", "invalid type: object")
        .replace("invalid type: sequence", "invalid type: array")
        .replace("expected i64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected a boolean", "expected `true` or `false`")
        .replace("struct ", "")
}

fn between_backticks(text: &str) -> Option<&str> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    Some(&text[start..start + len])
}

fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn unknown_field_gets_a_suggestion_and_a_place() {
        let text = "{\"version\": 1,\n \"lines\": [{\"id\": \"a\", \"queue_tim\": 60}]}";
        let err = parse_json::<Config>(text).unwrap_err();
        assert_eq!(err.path, "lines[0].queue_tim");
        assert_eq!(err.line, 2);
        assert!(
            err.message
                .contains("unknown field `queue_tim`, did you mean `queue_time`?"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_variant_gets_a_suggestion() {
        let text = r#"{"version": 1, "lines": [{"id": "a", "mode": "evnly"}]}"#;
        let err = parse_json::<Config>(text).unwrap_err();
        assert_eq!(err.path, "lines[0].mode");
        assert!(
            err.message.contains("did you mean `evenly`?"),
            "{}",
            err.message
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse_json::<Config>("{\n  \"version\": 1,\n  \"agents\": [,]\n}").unwrap_err();
        assert_eq!((err.line, err.column), (3, 14));
        let err = parse_json::<Config>("{\"version\": 1} trailing").unwrap_err();
        assert!(err.message.contains("trailing"), "{}", err.message);
    }

    #[test]
    fn wrong_types_are_worded_for_people() {
        let err =
            parse_json::<Config>(r#"{"version": 1, "lines": [{"id": "a", "queue_time": "60"}]}"#)
                .unwrap_err();
        assert_eq!(err.path, "lines[0].queue_time");
        assert!(
            err.message.contains("expected a whole number"),
            "{}",
            err.message
        );
    }
}
