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

/// Reads the listed structs from objects only. serde's derived reader also takes an array of
/// the fields in order, so that `[1]` would be a configuration; each listed struct derives its
/// reader with `#[serde(remote = "Self")]` (an inherent `deserialize`), and this puts a reader
/// in front that asks for an object and hands its entries on. With `serialize:`, the derived
/// writer is put back as the `Serialize` impl as well.
macro_rules! objects_only {
    (serialize: $($ty:ty),+) => {
        $(
            impl serde::Serialize for $ty {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    <$ty>::serialize(self, s)
                }
            }
        )+
        crate::config::objects_only!($($ty),+);
    };
    ($($ty:ty),+) => {
        $(
            impl<'de> serde::Deserialize<'de> for $ty {
                fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<$ty, D::Error> {
                    struct Object;
                    impl<'de> serde::de::Visitor<'de> for Object {
                        type Value = $ty;
                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str("an object")
                        }
                        fn visit_map<A: serde::de::MapAccess<'de>>(
                            self,
                            map: A,
                        ) -> Result<$ty, A::Error> {
                            <$ty>::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                        }
                    }
                    de.deserialize_map(Object)
                }
            }
        )+
    };
}
pub(crate) use objects_only;

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
    if text.trim().is_empty() {
        return Err(LoadError {
            path: String::new(),
            line: 0,
            column: 0,
            message: "the document is empty".to_string(),
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de).map_err(|err| located(text, &err))?;
    // Trailing characters after the document are an error too.
    de.end().map_err(|e| LoadError {
        path: String::new(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

/// A serde_json error with the path to where it happened. The path is found by reading the
/// text again up to the error's line and column, not by tracking it while deserializing: that
/// would instantiate every type's deserializer a second time, around a tracker, and in the web
/// app that was about 30 KB of the download.
fn located(text: &str, err: &serde_json::Error) -> LoadError {
    let (line, column) = (err.line(), err.column());
    let offset = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + column;
    LoadError {
        path: path_at(text, offset),
        line,
        column,
        message: humanize(&strip_position(&err.to_string())),
    }
}

/// One level of the document on the way to a place in it.
enum Level {
    /// In an object: the key being read or whose value is being read, if any.
    Object(Option<String>),
    /// In an array: the index of the element being read.
    Array(usize),
}

/// The path (`lines[0].queue_time`) to the value being read when the first `offset` bytes of
/// `text` have been read: through each object by the key last read, and each array by the
/// element's index. Just after a closing bracket, the container it closed is the place (a
/// missing field is reported there).
fn path_at(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Level> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Level::Object(None)),
            b'[' => stack.push(Level::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Level::Object(key)) => *key = None,
                Some(Level::Array(n)) => *n += 1,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Level::Object(key @ None)) = stack.last_mut() {
                    let raw = &text[start..i.min(text.len())];
                    *key = Some(
                        serde_json::from_str(&format!("\"{raw}\""))
                            .unwrap_or_else(|_| raw.to_string()),
                    );
                }
            }
            _ => {}
        }
        i += 1;
    }
    // A value of the wrong type is reported either as soon as its opening bracket is read
    // (perhaps with the white space after it), or just before it when the reader only peeked
    // at it. In the first case the place is the value, not its first element; in the second,
    // the bracket read last is its container's.
    let last = bytes[..end].iter().rposition(|b| !b.is_ascii_whitespace());
    let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
    if last.is_some_and(|ix| matches!(bytes[ix], b'{' | b'[')) && !matches!(next, Some(b'{' | b'['))
    {
        stack.pop();
    }
    let mut path = String::new();
    let mut shown = 0;
    for level in &stack {
        if shown == PATH_MAX_LEVELS {
            let more = stack
                .iter()
                .filter(|l| !matches!(l, Level::Object(None)))
                .count()
                - shown;
            path.push_str(&format!("…({} more)", grouped(more as u64)));
            break;
        }
        match level {
            Level::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Object(None) => continue,
            Level::Array(n) => path.push_str(&format!("[{n}]")),
        }
        shown += 1;
    }
    path
}

/// A path shows at most this many levels, then how many more there are.
const PATH_MAX_LEVELS: usize = 8;

/// A number as a message shows it: whole numbers grouped by thousands, others as written
/// when short, and in exponent form when huge or tiny (`1e308`, not 309 digits).
pub(crate) fn shown(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        let sign = if x < 0.0 { "-" } else { "" };
        // Exact: a whole number below 1e15 fits a usize on every target that has 64 bits, and
        // wasm32's usize is 32 bits, so go through u64.
        let digits = grouped(x.abs() as u64);
        return format!("{sign}{digits}");
    }
    let plain = x.to_string();
    if plain.len() <= 16 {
        plain
    } else {
        format!("{x:e}")
    }
}

/// A count with thousands separated by commas: `99,998`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    if message == "number out of range" {
        return "the number is too large to read at all".to_string();
    }
    message
        .replace("invalid type: map", "invalid type: object")
        .replace("invalid type: sequence", "invalid type: array")
        .replace("expected i64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected a boolean", "expected `true` or `false`")
        .replace("expected variant identifier", "expected a name (a string)")
        .replace("expected a map", "expected an object")
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
    fn an_array_is_never_read_as_an_object() {
        // serde's derived readers take `[1]` as a configuration's fields in order.
        for (text, path) in [
            ("[1]", ""),
            ("[]", ""),
            (r#"{"version": 1, "portal": [true]}"#, "portal"),
            (
                r#"{"version": 1, "lines": [{"id": "l", "worktime": []}]}"#,
                "lines[0].worktime",
            ),
            (r#"{"version": 1, "lines": [[]]}"#, "lines[0]"),
        ] {
            let err = parse_json::<Config>(text).unwrap_err();
            assert_eq!(err.path, path, "{text}");
            assert_eq!(
                err.message, "invalid type: array, expected an object",
                "{text}"
            );
        }
    }

    #[test]
    fn a_tag_is_a_name_and_a_tagged_part_an_object() {
        use crate::sim::SimulationSpec;
        let err = parse_json::<SimulationSpec>(r#"{"arrivals": [{"kind": 0}]}"#).unwrap_err();
        assert_eq!(err.path, "arrivals[0].kind");
        assert_eq!(
            err.message,
            "invalid type: integer `0`, expected a name (a string)"
        );
        let err = parse_json::<SimulationSpec>(r#"{"arrivals": [["poisson", 1]]}"#).unwrap_err();
        assert_eq!(err.path, "arrivals[0]");
        assert_eq!(err.message, "invalid type: array, expected an object");
    }

    #[test]
    fn an_empty_document_says_so() {
        for text in ["", "  \n "] {
            let err = parse_json::<Config>(text).unwrap_err();
            assert_eq!(err.message, "the document is empty");
        }
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(7), "7");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(99_998), "99,998");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

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
    fn the_path_is_read_back_from_the_place_in_the_text() {
        let missing = "{\"version\": 1, \"agents\": [{\"id\": \"a\"}, {\"name\": \"B\"}]}";
        let err = parse_json::<Config>(missing).unwrap_err();
        assert!(
            err.message.contains("missing field `id`"),
            "{}",
            err.message
        );
        assert_eq!(err.path, "agents[1]");
        let wrong = r#"{"version": 1, "lines": [{"id": "a", "mode": ["evenly"]}]}"#;
        assert_eq!(
            parse_json::<Config>(wrong).unwrap_err().path,
            "lines[0].mode"
        );
        // A value read by what it holds (a distribution is a duration or an object) is
        // refused after the white space that follows its bracket: still the value's place.
        #[derive(Debug, serde::Deserialize)]
        struct Holder {
            #[allow(dead_code)]
            handling: crate::sim::spec::DistSpec,
        }
        let laid_out = "{\"handling\": [\n    \"1m\"\n]}";
        assert_eq!(parse_json::<Holder>(laid_out).unwrap_err().path, "handling");
        // Strings with brackets, commas and escaped quotes do not move the place.
        let tricky = r#"{"version": 1, "agents": [{"id": "a,[{\"", "name": "}]"}, {"id": 5}]}"#;
        assert_eq!(
            parse_json::<Config>(tricky).unwrap_err().path,
            "agents[1].id"
        );
        assert_eq!(path_at(r#"{"a\"b": [1, {"c": "#, 17), "a\"b[1].c");
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
