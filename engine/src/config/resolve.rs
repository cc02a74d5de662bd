//! From the document to the model: defaults, Bitrix24 fields, units and ranges.

use std::collections::BTreeMap;

use super::fields::{
    parse_days_off, parse_timezone, ranged, Draft, MAX_CHAT_CAP, QUEUE_TIME_RANGE,
};
use super::{bitrix, AgentConfig, Config, LineConfig, WorktimeConfig, VERSION};
use crate::diagnostic::Diagnostic;
use crate::model::{AgentSetup, LineSetup, Portal, Setup, WelcomeBot, Worktime};
use crate::time::{MINUTE, SECOND};
use crate::worktime::{hhmm, parse_hhmm, parse_holiday};

/// Resolves a configuration into the model. Never fails: problems become diagnostics and the
/// offending values fall back to defaults, so that every problem is reported in one pass.
#[must_use]
pub fn resolve(config: &Config) -> (Setup, Vec<Diagnostic>) {
    let mut out = Vec::new();
    if config.version != VERSION {
        out.push(Diagnostic::error(
            "version",
            format!(
                "version `{}` is not supported: this build reads version {VERSION}",
                config.version
            ),
        ));
    }
    let portal = resolve_portal(config, &mut out);
    let agents = resolve_agents(&config.agents, &mut out);
    let lines = config
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| resolve_line(line, &format!("lines[{i}]"), &mut out))
        .collect();
    (
        Setup {
            portal,
            agents,
            lines,
        },
        out,
    )
}

fn resolve_portal(config: &Config, out: &mut Vec<Diagnostic>) -> Portal {
    let p = config.portal.clone().unwrap_or_default();
    let online_window = p
        .online_window
        .and_then(|v| ranged(v, (1, 86_400), "seconds", "portal.online_window", out))
        .unwrap_or(1440);
    let runner_period = p
        .runner_period
        .and_then(|v| ranged(v, (0, 3600), "seconds", "portal.runner_period", out))
        .unwrap_or(60);
    Portal {
        time_tracking: p.time_tracking.unwrap_or(false),
        online_window: online_window * SECOND,
        runner_period: runner_period * SECOND,
    }
}

fn resolve_agents(agents: &[AgentConfig], out: &mut Vec<Diagnostic>) -> Vec<AgentSetup> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut clients: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for (i, a) in agents.iter().enumerate() {
        let path = format!("agents[{i}]");
        if a.id.trim().is_empty() {
            out.push(Diagnostic::error(
                format!("{path}.id"),
                "an agent needs a non-empty `id`",
            ));
        } else if let Some(first) = seen.insert(&a.id, i) {
            out.push(Diagnostic::error(
                format!("{path}.id"),
                format!(
                    "agent `{}` is listed twice (first at agents[{first}])",
                    a.id
                ),
            ));
        }
        for (j, client) in a.crm_clients.iter().enumerate() {
            if let Some((other, other_id)) = clients.insert(client, (i, &a.id)) {
                if other != i {
                    out.push(Diagnostic::error(
                        format!("{path}.crm_clients[{j}]"),
                        format!(
                            "CRM client `{client}` already has a responsible agent: `{other_id}`"
                        ),
                    ));
                }
            }
        }
        if a.dismissed && (a.absent || a.absent_until.is_some()) {
            out.push(Diagnostic::note(
                path.clone(),
                format!(
                    "agent `{}` is dismissed; the vacation does not matter",
                    a.id
                ),
            ));
        }
    }
    agents
        .iter()
        .map(|a| AgentSetup {
            id: a.id.clone(),
            name: a.name.clone().unwrap_or_else(|| a.id.clone()),
            departments: a.departments.clone(),
            dismissed: a.dismissed,
            absent: a.absent || a.absent_until.is_some(),
            absent_until: a.absent_until,
            last_activity: a.last_activity,
            workday: a.workday,
            line_pause: a.line_pause,
            crm_clients: a.crm_clients.clone(),
        })
        .collect()
}

fn resolve_line(line: &LineConfig, path: &str, out: &mut Vec<Diagnostic>) -> LineSetup {
    let mut draft = Draft::new();
    if let Some(fields) = &line.bitrix {
        bitrix::apply(fields, &mut draft, &format!("{path}.bitrix"), out);
    }
    apply_own(line, &mut draft, path, out);
    let s = &mut draft.settings;
    if draft.bot_enabled {
        s.welcome_bot = Some(WelcomeBot {
            hand_over_after: (draft.bot_time > 0).then_some(draft.bot_time * SECOND),
            join: draft.bot_join,
        });
    }
    if !draft.worktime_enabled {
        s.worktime = None;
    }
    if line.id.trim().is_empty() {
        out.push(Diagnostic::error(
            format!("{path}.id"),
            "a line needs a non-empty `id`",
        ));
    }
    LineSetup {
        id: line.id.clone(),
        name: draft.name.clone().unwrap_or_else(|| line.id.clone()),
        queue: draft.queue.unwrap_or_default(),
        settings: draft.settings,
    }
}

fn apply_own(line: &LineConfig, d: &mut Draft, path: &str, out: &mut Vec<Diagnostic>) {
    let s = &mut d.settings;
    if let Some(name) = &line.name {
        d.name = Some(name.clone());
    }
    if let Some(queue) = &line.queue {
        d.queue = Some(queue.clone());
    }
    if let Some(mode) = line.mode {
        s.mode = mode;
    }
    if let Some(v) = line.queue_time {
        if let Some(v) = ranged(
            v,
            QUEUE_TIME_RANGE,
            "seconds",
            &format!("{path}.queue_time"),
            out,
        ) {
            s.queue_time = v * SECOND;
        }
    }
    if let Some(v) = line.no_answer_time {
        if let Some(v) = ranged(
            v,
            QUEUE_TIME_RANGE,
            "seconds",
            &format!("{path}.no_answer_time"),
            out,
        ) {
            s.no_answer_time = v * SECOND;
        }
    }
    if let Some(v) = line.check_available {
        s.check_available = v;
    }
    if let Some(v) = line.max_chat {
        if let Some(v) = ranged(
            v,
            (0, MAX_CHAT_CAP),
            "dialogs",
            &format!("{path}.max_chat"),
            out,
        ) {
            s.max_chat = v as u32;
        }
    }
    if let Some(v) = line.type_max_chat {
        s.type_max_chat = v;
    }
    if let Some(w) = &line.worktime {
        d.worktime_enabled = w.enabled.unwrap_or(true);
        s.worktime = resolve_worktime(w, &format!("{path}.worktime"), out);
    }
    if let Some(r) = &line.off_hours {
        s.off_hours_rule = r.rule;
        s.off_hours_text = r.text.clone();
    }
    if let Some(r) = &line.no_answer {
        s.no_answer_rule = r.rule;
        s.no_answer_text = r.text.clone();
    }
    if let Some(v) = line.crm {
        s.crm = v;
    }
    if let Some(v) = line.crm_forward {
        s.crm_forward = v;
    }
    if let Some(bot) = &line.welcome_bot {
        d.bot_enabled = bot.enabled;
        d.bot_join = bot.join;
        if let Some(t) = bot.time {
            if let Some(t) = ranged(
                t,
                (0, 86_400),
                "seconds",
                &format!("{path}.welcome_bot.time"),
                out,
            ) {
                d.bot_time = t;
            }
        }
    }
    if let Some(ac) = &line.auto_close {
        s.auto_close_rule = ac.rule;
        s.auto_close_text = ac.text.clone();
        if let Some(t) = ac.time {
            if let Some(t) = ranged(
                t,
                (60, 31 * 86_400),
                "seconds",
                &format!("{path}.auto_close.time"),
                out,
            ) {
                s.auto_close_time = t * SECOND;
            }
        }
    }
    if let Some(v) = line.full_close_time {
        if let Some(v) = ranged(
            v,
            (0, 1440),
            "minutes",
            &format!("{path}.full_close_time"),
            out,
        ) {
            s.full_close_time = v * MINUTE;
        }
    }
    if let Some(v) = line.retry_interval {
        if let Some(v) = ranged(
            v,
            (1, 86_400),
            "seconds",
            &format!("{path}.retry_interval"),
            out,
        ) {
            s.retry_interval = Some(v * SECOND);
        }
    }
}

fn resolve_worktime(w: &WorktimeConfig, path: &str, out: &mut Vec<Diagnostic>) -> Option<Worktime> {
    let timezone = parse_timezone(&w.timezone, &format!("{path}.timezone"), out);
    let mut intervals = Vec::new();
    let mut interval = |from: &str, to: &str, p: &str, out: &mut Vec<Diagnostic>| {
        let f = parse_hhmm(from)
            .map_err(|m| out.push(Diagnostic::error(format!("{p}.from"), m)))
            .ok();
        let t = parse_hhmm(to)
            .map_err(|m| out.push(Diagnostic::error(format!("{p}.to"), m)))
            .ok();
        if let (Some(f), Some(t)) = (f, t) {
            if t <= f {
                out.push(Diagnostic::error(
                    p.to_string(),
                    format!("the hours end at `{to}`, not after they start at `{from}`"),
                ));
            } else {
                intervals.push((f, t));
            }
        }
    };
    match (&w.from, &w.to, w.hours.is_empty()) {
        (Some(from), Some(to), true) => interval(from, to, path, out),
        (None, None, false) => {
            for (i, h) in w.hours.iter().enumerate() {
                interval(&h.from, &h.to, &format!("{path}.hours[{i}]"), out);
            }
        }
        (None, None, true) => intervals.push((9 * 60, 18 * 60 + 30)),
        _ => out.push(Diagnostic::error(
            path,
            "give the hours either as `from` and `to` together or as a list in `hours`, not both",
        )),
    }
    intervals.sort_unstable();
    // One warning for the whole list, naming the first overlap: a list of many overlapping
    // intervals would otherwise repeat the same words once for each.
    let mut overlaps = intervals.windows(2).filter(|pair| pair[1].0 <= pair[0].1);
    if let Some(first) = overlaps.next() {
        let more = overlaps.count();
        let (a, b) = (first[0], first[1]);
        let others = match more {
            0 => String::new(),
            1 => " (and 1 more pair)".to_string(),
            n => format!(" (and {n} more pairs)"),
        };
        out.push(Diagnostic::warning(
            format!("{path}.hours"),
            format!(
                "intervals `{}`–`{}` and `{}`–`{}` overlap{others}",
                hhmm(a.0),
                hhmm(a.1),
                hhmm(b.0),
                hhmm(b.1)
            ),
        ));
    }
    let days_off = parse_days_off(
        w.days_off.iter().map(String::as_str),
        &format!("{path}.days_off"),
        out,
        true,
    );
    let mut holidays = Vec::new();
    for (i, h) in w.holidays.iter().enumerate() {
        match parse_holiday(h) {
            Ok(day) => holidays.push(day),
            Err(m) => out.push(Diagnostic::error(format!("{path}.holidays[{i}]"), m)),
        }
    }
    Some(Worktime {
        timezone: timezone?,
        intervals,
        days_off,
        holidays,
    })
}

#[cfg(test)]
mod tests {
    use crate::config::{parse_json, Config};
    use crate::validate;

    #[test]
    fn overlapping_hours_are_one_warning_that_names_them() {
        let hours: Vec<String> = (0..200)
            .map(|i| format!(r#"{{"from": "09:{:02}", "to": "12:00"}}"#, i % 60))
            .collect();
        let text = format!(
            r#"{{"version": 1, "agents": [{{"id": "a"}}], "lines": [{{"id": "l", "queue": [{{"user": "a"}}],
                "worktime": {{"timezone": "UTC", "hours": [{}]}}}}]}}"#,
            hours.join(",")
        );
        let config: Config = parse_json(&text).unwrap_or_else(|e| panic!("{e}"));
        let overlaps: Vec<String> = validate(&config)
            .into_iter()
            .filter(|d| d.path == "lines[0].worktime.hours")
            .map(|d| d.message)
            .collect();
        assert_eq!(
            overlaps,
            ["intervals `09:00`–`12:00` and `09:00`–`12:00` overlap (and 198 more pairs)"]
        );
    }
}
