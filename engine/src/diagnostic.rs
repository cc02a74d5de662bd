//! Problems found in input, as data: a path into the document, a severity and a message.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The configuration cannot run as written.
    Error,
    /// It runs, but a setting conflicts with another or does nothing.
    Warning,
    /// Information: a value was converted or ignored.
    Note,
}

/// One finding about a configuration or scenario.
///
/// Messages follow one style: lowercase, no final period, user values in backticks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Where in the document, e.g. `lines[0].queue_time`.
    pub path: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn note(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            path: path.into(),
            message: message.into(),
        }
    }

    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        if self.path.is_empty() {
            write!(f, "{level}: {}", self.message)
        } else {
            write!(f, "{level}: {}: {}", self.path, self.message)
        }
    }
}

/// True when any diagnostic is an error.
#[must_use]
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Words longer than this get no suggestion: ids and names are short, and the edit distance
/// costs the product of the two lengths.
pub const SUGGESTION_MAX_CHARS: usize = 64;

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
/// Candidates whose length alone puts them out of reach, or longer than
/// [`SUGGESTION_MAX_CHARS`], are passed over without computing a distance.
#[must_use]
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word: Vec<char> = word.to_lowercase().chars().collect();
    if word.len() > SUGGESTION_MAX_CHARS {
        return None;
    }
    let limit = (word.len() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut other = Vec::new();
    for c in candidates {
        let n = c.chars().count();
        if n > SUGGESTION_MAX_CHARS || n.abs_diff(word.len()) > limit {
            continue;
        }
        other.clear();
        other.extend(c.to_lowercase().chars());
        let d = edit_distance(&word, &other);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `, did you mean `x`?` for a likely typo of one of `candidates`, or nothing: the hint that
/// ends an "unknown ..." message.
#[must_use]
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|best| format!(", did you mean `{best}`?"))
        .unwrap_or_default()
}

/// Edit distance counting an adjacent swap as one edit (optimal string alignment), in three
/// rows of the table rather than the whole of it.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["queue_time", "no_answer_time", "mode"];
        assert_eq!(did_you_mean("queue_tim", fields), Some("queue_time"));
        assert_eq!(did_you_mean("mdoe", fields), Some("mode"));
        assert_eq!(did_you_mean("colour", fields), None);
    }

    #[test]
    fn distances_count_swaps_as_one_edit() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("mode", "mdoe"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", "abc"), 0);
    }

    #[test]
    fn very_long_words_get_no_suggestion_and_cost_nothing() {
        // A table for two 30,000-character words would take gigabytes.
        let long = "x".repeat(30_000);
        let other = format!("{}y", "x".repeat(29_999));
        assert_eq!(did_you_mean(&long, [other.as_str()]), None);
        let short = "x".repeat(SUGGESTION_MAX_CHARS);
        let near = format!("{}y", "x".repeat(SUGGESTION_MAX_CHARS - 1));
        assert_eq!(did_you_mean(&short, [near.as_str()]), Some(near.as_str()));
    }
}
