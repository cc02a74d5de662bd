//! `validate(config) -> Vec<Diagnostic>`: every field's range and unit, unknown agents and
//! departments, empty queues, settings that conflict or do nothing, worktime that never opens.
//! It never fails and never panics: a bad configuration is ordinary input.

use std::collections::BTreeMap;

use crate::config::{resolve, Config};
use crate::diagnostic::{suggestion, Diagnostic, Severity};
use crate::model::{AgentIndex, Mode, NoAnswerRule, QueueEntry, ReplyRule, Setup};

/// Checks a configuration and returns every finding, errors first in document order.
#[must_use]
pub fn validate(config: &Config) -> Vec<Diagnostic> {
    let (setup, mut out) = resolve(config);
    out.extend(validate_setup(&setup));
    // A stable sort by severity, as two partitions: a sort is code in the web app's download
    // for each element type, and there are only three severities.
    let (mut ordered, rest): (Vec<Diagnostic>, Vec<Diagnostic>) =
        out.into_iter().partition(Diagnostic::is_error);
    let (warnings, notes): (Vec<Diagnostic>, Vec<Diagnostic>) = rest
        .into_iter()
        .partition(|d| d.severity == Severity::Warning);
    ordered.extend(warnings);
    ordered.extend(notes);
    ordered
}

/// The checks that need the resolved model.
#[must_use]
pub fn validate_setup(setup: &Setup) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if setup.lines.is_empty() {
        out.push(Diagnostic::warning(
            "lines",
            "there are no lines: nothing will be routed",
        ));
    }
    check_sizes(setup, &mut out);
    let index = setup.agent_index();
    let mut line_ids: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, line) in setup.lines.iter().enumerate() {
        let path = format!("lines[{i}]");
        if let Some(first) = line_ids.insert(&line.id, i) {
            out.push(Diagnostic::error(
                format!("{path}.id"),
                format!(
                    "line `{}` is listed twice (first at lines[{first}])",
                    line.id
                ),
            ));
        }
        check_queue(
            setup,
            &index,
            &line.queue,
            &format!("{path}.queue"),
            &mut out,
        );
        let s = &line.settings;
        if s.mode == Mode::All && s.max_chat > 0 {
            out.push(Diagnostic::warning(
                format!("{path}.max_chat"),
                format!("`max_chat` {} does nothing in mode `all`: every available agent is offered every dialog", s.max_chat),
            ));
        }
        if s.no_answer_rule == NoAnswerRule::Queue && s.mode != Mode::Evenly {
            out.push(Diagnostic::warning(
                format!("{path}.no_answer.rule"),
                format!("returning unanswered dialogs to the queue works with mode `evenly` only, not `{}`", s.mode.as_str()),
            ));
        }
        if s.no_answer_rule == NoAnswerRule::Text && s.no_answer_text.trim().is_empty() {
            out.push(Diagnostic::warning(
                format!("{path}.no_answer.text"),
                "the no-answer rule sends a text, but the text is empty",
            ));
        }
        if s.off_hours_rule == ReplyRule::Text {
            if s.worktime.is_none() {
                out.push(Diagnostic::warning(format!("{path}.off_hours"), "an off-hours reply needs working hours: the line has none, so it is never sent"));
            } else if s.off_hours_text.trim().is_empty() {
                out.push(Diagnostic::warning(
                    format!("{path}.off_hours.text"),
                    "the off-hours rule sends a text, but the text is empty",
                ));
            }
        }
        if s.auto_close_rule == ReplyRule::Text && s.auto_close_text.trim().is_empty() {
            out.push(Diagnostic::warning(
                format!("{path}.auto_close.text"),
                "the auto-close rule sends a text, but the text is empty",
            ));
        }
        if s.crm_forward && !s.crm {
            out.push(Diagnostic::warning(
                format!("{path}.crm_forward"),
                "forwarding to the CRM responsible needs `crm` on: it does nothing",
            ));
        }
        if let Some(w) = &s.worktime {
            if w.never_opens() {
                out.push(Diagnostic::error(
                    format!("{path}.worktime"),
                    "the line never opens: every day is a day off",
                ));
            }
        }
        if let Some(bot) = &s.welcome_bot {
            if bot.hand_over_after.is_none() {
                out.push(Diagnostic::warning(
                    format!("{path}.welcome_bot.time"),
                    "with time 0 the bot keeps every dialog: none reaches the queue",
                ));
            }
        }
        if !s.check_available && setup.portal.time_tracking {
            let tracked = index
                .expand_queue(&line.queue)
                .iter()
                .any(|&a| setup.agents[a].workday != crate::model::Workday::Untracked);
            if tracked {
                out.push(Diagnostic::note(
                    format!("{path}.check_available"),
                    "availability checks are off: workdays, pauses and vacations do not affect who gets dialogs",
                ));
            }
        }
    }
    out
}

/// The most characters in an id or a name: Bitrix24's own are far shorter, and each one is
/// copied into every explanation that names it.
pub const MAX_NAME_CHARS: usize = 256;

/// The most (line, agent) pairs one configuration may hold: the router keeps about 41 bytes
/// for each, whether the agent is in the line's queue or not.
pub const MAX_LINE_AGENT_PAIRS: u64 = 10_000_000;

/// Ids and names within [`MAX_NAME_CHARS`], and lines × agents within
/// [`MAX_LINE_AGENT_PAIRS`]: what a configuration may cost in memory.
fn check_sizes(setup: &Setup, out: &mut Vec<Diagnostic>) {
    let mut check = |text: &str, path: &dyn Fn() -> String| {
        let n = text.chars().count();
        if n > MAX_NAME_CHARS {
            out.push(Diagnostic::error(
                path(),
                format!("{n} characters: ids and names have at most {MAX_NAME_CHARS}"),
            ));
        }
    };
    for (i, a) in setup.agents.iter().enumerate() {
        check(&a.id, &|| format!("agents[{i}].id"));
        // A name left out is the id, already checked.
        if a.name != a.id {
            check(&a.name, &|| format!("agents[{i}].name"));
        }
        for (j, d) in a.departments.iter().enumerate() {
            check(d, &|| format!("agents[{i}].departments[{j}]"));
        }
        for (j, c) in a.crm_clients.iter().enumerate() {
            check(c, &|| format!("agents[{i}].crm_clients[{j}]"));
        }
    }
    for (i, l) in setup.lines.iter().enumerate() {
        check(&l.id, &|| format!("lines[{i}].id"));
        if l.name != l.id {
            check(&l.name, &|| format!("lines[{i}].name"));
        }
        for (j, entry) in l.queue.iter().enumerate() {
            match entry {
                QueueEntry::User(id) => check(id, &|| format!("lines[{i}].queue[{j}].user")),
                QueueEntry::Department(d) => {
                    check(d, &|| format!("lines[{i}].queue[{j}].department"));
                }
            }
        }
    }
    let pairs = setup.lines.len() as u64 * setup.agents.len() as u64;
    if pairs > MAX_LINE_AGENT_PAIRS {
        out.push(Diagnostic::error(
            "lines",
            format!(
                "{} lines × {} agents is {pairs} line-agent pairs, more than the {MAX_LINE_AGENT_PAIRS} one configuration may hold: split it into several",
                setup.lines.len(),
                setup.agents.len()
            ),
        ));
    }
}

fn check_queue(
    setup: &Setup,
    index: &AgentIndex,
    queue: &[QueueEntry],
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    if queue.is_empty() {
        out.push(Diagnostic::error(
            path,
            "the queue is empty: add users or departments",
        ));
        return;
    }
    // The first entry that placed each agent.
    let mut seen: Vec<Option<usize>> = vec![None; setup.agents.len()];
    for (j, entry) in queue.iter().enumerate() {
        match entry {
            QueueEntry::User(id) => match index.agent(id) {
                None => {
                    let hint = suggestion(id, setup.agents.iter().map(|a| a.id.as_str()));
                    out.push(Diagnostic::error(
                        format!("{path}[{j}].user"),
                        format!("unknown agent `{id}`{hint}"),
                    ));
                }
                Some(ix) => {
                    if setup.agents[ix].dismissed {
                        out.push(Diagnostic::warning(
                            format!("{path}[{j}].user"),
                            format!("agent `{id}` is dismissed and is dropped from the queue"),
                        ));
                    }
                    if let Some(first) = seen[ix] {
                        out.push(Diagnostic::warning(format!("{path}[{j}].user"), format!("agent `{id}` is already at {path}[{first}]: the first position counts")));
                    } else {
                        seen[ix] = Some(j);
                    }
                }
            },
            QueueEntry::Department(dep) => {
                let mut members = index.members(dep).peekable();
                if members.peek().is_none() {
                    let hint = suggestion(dep, index.departments());
                    out.push(Diagnostic::error(
                        format!("{path}[{j}].department"),
                        format!("department `{dep}` has no agents{hint}"),
                    ));
                }
                for m in members {
                    seen[m].get_or_insert(j);
                }
            }
        }
    }
    let expanded = index.expand_queue(queue);
    if expanded.is_empty() && seen.iter().any(Option::is_some) {
        out.push(Diagnostic::error(
            path,
            "every agent in the queue is dismissed: nobody can take a dialog",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_json;

    #[test]
    fn errors_come_first_then_warnings_then_notes_each_in_document_order() {
        let config: Config = parse_json(
            r#"{
              "version": 1,
              "portal": { "time_tracking": true },
              "agents": [{ "id": "anna", "workday": "opened" }],
              "lines": [
                { "id": "a", "mode": "all", "max_chat": 3, "check_available": false,
                  "queue": [{ "user": "anna" }] },
                { "id": "b", "queue": [] },
                { "id": "c", "crm": false, "crm_forward": true, "queue": [{ "user": "ana" }] }
              ]
            }"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let found: Vec<(Severity, String)> = validate(&config)
            .into_iter()
            .map(|d| (d.severity, d.path))
            .collect();
        let expected = [
            (Severity::Error, "lines[1].queue"),
            (Severity::Error, "lines[2].queue[0].user"),
            (Severity::Warning, "lines[0].max_chat"),
            (Severity::Warning, "lines[2].crm_forward"),
            (Severity::Note, "lines[0].check_available"),
        ];
        let expected: Vec<(Severity, String)> = expected
            .iter()
            .map(|(s, p)| (*s, (*p).to_string()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn ids_and_names_past_the_cap_are_errors_at_their_place() {
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        let text = format!(
            r#"{{"version": 1, "agents": [{{"id": "{long}"}}, {{"id": "b", "name": "{long}"}}],
                "lines": [{{"id": "l", "queue": [{{"user": "b"}}, {{"department": "{long}"}}]}}]}}"#
        );
        let config: Config = parse_json(&text).unwrap_or_else(|e| panic!("{e}"));
        let found: Vec<(String, String)> = validate(&config)
            .into_iter()
            .filter(|d| d.message.contains("ids and names have at most 256"))
            .map(|d| (d.path, d.message))
            .collect();
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "agents[0].id",
                "agents[1].name",
                "lines[0].queue[1].department"
            ]
        );
        assert!(found[0].1.starts_with("257 characters"), "{found:?}");
    }

    #[test]
    fn more_line_agent_pairs_than_the_cap_are_an_error() {
        let agents: Vec<String> = (0..1_000).map(|i| format!(r#"{{"id": "a{i}"}}"#)).collect();
        let lines: Vec<String> = (0..10_001)
            .map(|i| format!(r#"{{"id": "l{i}", "queue": [{{"user": "a0"}}]}}"#))
            .collect();
        let text = format!(
            r#"{{"version": 1, "agents": [{}], "lines": [{}]}}"#,
            agents.join(","),
            lines.join(",")
        );
        let config: Config = parse_json(&text).unwrap_or_else(|e| panic!("{e}"));
        let errors: Vec<String> = validate(&config)
            .into_iter()
            .filter(|d| d.is_error() && d.path == "lines")
            .map(|d| d.message)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(
                "10001 lines × 1000 agents is 10001000 line-agent pairs, more than the 10000000"
            ),
            "{errors:?}"
        );
    }
}
