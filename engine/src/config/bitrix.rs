//! A line's settings in Bitrix24's own field names and string forms, as
//! `imopenlines.config.get` returns them: `"QUEUE_TYPE": "evenly"`, `"QUEUE_TIME": "60"`,
//! `"CHECK_AVAILABLE": "Y"`, `"WORKTIME_FROM": "9"`, `"WORKTIME_TO": "18.30"`, ...
//!
//! Values are coerced the way `Config::prepareFields` coerces them, and each coercion is
//! reported as a note. Unknown fields are notes, not errors: a portal's export carries fields
//! that do not concern distribution.

use serde_json::{Map, Value};

use super::fields::{
    parse_days_off, parse_timezone, ranged, Draft, MAX_CHAT_CAP, QUEUE_TIME_RANGE,
};
use crate::diagnostic::{suggestion, Diagnostic};
use crate::model::{BotJoin, MaxChatType, Mode, NoAnswerRule, QueueEntry, ReplyRule, Worktime};
use crate::time::{MINUTE, SECOND};
use crate::worktime::{hhmm, parse_holiday};
use crate::zone::Zone;

/// Fields that we read.
const READ: &[&str] = &[
    "LINE_NAME",
    "QUEUE",
    "QUEUE_TYPE",
    "QUEUE_TIME",
    "NO_ANSWER_TIME",
    "CHECK_AVAILABLE",
    "MAX_CHAT",
    "TYPE_MAX_CHAT",
    "WORKTIME_ENABLE",
    "WORKTIME_FROM",
    "WORKTIME_TO",
    "WORKTIME_TIMEZONE",
    "WORKTIME_DAYOFF",
    "WORKTIME_HOLIDAYS",
    "WORKTIME_DAYOFF_RULE",
    "WORKTIME_DAYOFF_TEXT",
    "NO_ANSWER_RULE",
    "NO_ANSWER_TEXT",
    "CRM",
    "CRM_FORWARD",
    "WELCOME_BOT_ENABLE",
    "WELCOME_BOT_ID",
    "WELCOME_BOT_JOIN",
    "WELCOME_BOT_TIME",
    "AUTO_CLOSE_RULE",
    "AUTO_CLOSE_TEXT",
    "AUTO_CLOSE_TIME",
    "FULL_CLOSE_TIME",
];

/// Known fields that do not change who gets a dialog or when.
const KNOWN_IGNORED: &[&str] = &[
    "ID",
    "ACTIVE",
    "TEMPORARY",
    "QUEUE_FULL",
    "QUEUE_USERS_FIELDS",
    "QUEUE_ONLINE",
    "QUEUE_OPERATOR_DATA",
    "LIMITATION_MAX_CHAT",
    "WORKTIME_DAYOFF_FORM_ID",
    "WORKTIME_DAYOFF_BOT_ID",
    "NO_ANSWER_FORM_ID",
    "NO_ANSWER_BOT_ID",
    "WELCOME_MESSAGE",
    "WELCOME_MESSAGE_TEXT",
    "SEND_WELCOME_EACH_SESSION",
    "WELCOME_BOT_LEFT",
    "CLOSE_RULE",
    "CLOSE_TEXT",
    "CLOSE_FORM_ID",
    "CLOSE_BOT_ID",
    "AUTO_CLOSE_FORM_ID",
    "AUTO_CLOSE_BOT_ID",
    "AUTO_EXPIRE_TIME",
    "CRM_CREATE",
    "CRM_CREATE_SECOND",
    "CRM_CREATE_THIRD",
    "CRM_SOURCE",
    "CRM_TRANSFER_CHANGE",
    "CRM_CHAT_TRACKER",
    "SESSION_PRIORITY",
    "OPERATOR_DATA",
    "DEFAULT_OPERATOR_DATA",
    "KPI_FIRST_ANSWER_TIME",
    "KPI_FIRST_ANSWER_ALERT",
    "KPI_FIRST_ANSWER_LIST",
    "KPI_FIRST_ANSWER_TEXT",
    "KPI_FURTHER_ANSWER_TIME",
    "KPI_FURTHER_ANSWER_ALERT",
    "KPI_FURTHER_ANSWER_LIST",
    "KPI_FURTHER_ANSWER_TEXT",
    "KPI_CHECK_OPERATOR_ACTIVITY",
    "VOTE_MESSAGE",
    "VOTE_TIME_LIMIT",
    "VOTE_BEFORE_FINISH",
    "VOTE_CLOSING_DELAY",
    "VOTE_MESSAGE_1_TEXT",
    "VOTE_MESSAGE_1_LIKE",
    "VOTE_MESSAGE_1_DISLIKE",
    "VOTE_MESSAGE_2_TEXT",
    "VOTE_MESSAGE_2_LIKE",
    "VOTE_MESSAGE_2_DISLIKE",
    "AGREEMENT_MESSAGE",
    "AGREEMENT_ID",
    "CATEGORY_ENABLE",
    "CATEGORY_ID",
    "LANGUAGE_ID",
    "CONFIRM_CLOSE",
    "USE_WELCOME_FORM",
    "WELCOME_FORM_ID",
    "WELCOME_FORM_DELAY",
    "IGNORE_WELCOME_FORM_RESPONSIBLE",
    "SEND_NOTIFICATION_EMPTY_QUEUE",
    "DATE_CREATE",
    "DATE_MODIFY",
    "MODIFY_USER_ID",
    "XML_ID",
    "WATCH_TYPING",
    "IMMEDIATELY_SEND_HISTORY",
    "NO_ANSWER_RULE_DEFAULT",
    "QUICK_ANSWERS_IBLOCK_ID",
    "CHECKING_OFFLINE",
    "RECORDING",
];

/// Applies Bitrix24 fields to a draft, in the order `prepareFields` reads them.
pub(crate) fn apply(
    fields: &Map<String, Value>,
    d: &mut Draft,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let at = |key: &str| format!("{path}.{key}");
    for key in fields.keys() {
        if !READ.contains(&key.as_str()) && !KNOWN_IGNORED.contains(&key.as_str()) {
            let hint = suggestion(key, READ.iter().copied());
            out.push(Diagnostic::note(
                at(key),
                format!("unknown Bitrix24 field `{key}` ignored{hint}"),
            ));
        }
    }
    let s = &mut d.settings;
    if let Some(v) = fields.get("LINE_NAME") {
        d.name = text(v, &at("LINE_NAME"), out);
    }
    if let Some(v) = fields.get("QUEUE") {
        d.queue = queue(v, &at("QUEUE"), out);
    }
    if let Some(v) = fields
        .get("QUEUE_TYPE")
        .and_then(|v| text(v, &at("QUEUE_TYPE"), out))
    {
        s.mode = match v.to_lowercase().as_str() {
            "evenly" => Mode::Evenly,
            "strictly" => Mode::Strictly,
            "all" => Mode::All,
            _ => {
                out.push(Diagnostic::note(
                    at("QUEUE_TYPE"),
                    format!("unknown queue type `{v}` read as `all`, as Bitrix24 reads it"),
                ));
                Mode::All
            }
        };
    }
    if let Some(v) = fields
        .get("QUEUE_TIME")
        .and_then(|v| int(v, &at("QUEUE_TIME"), out))
    {
        if v <= 0 {
            // Queue::getQueueTime falls back to UNDISTRIBUTED_QUEUE_TIME for a non-positive value.
            out.push(Diagnostic::note(
                at("QUEUE_TIME"),
                format!("`{v}` is read as 3600 seconds, as the queue code reads it"),
            ));
            s.queue_time = 3600 * SECOND;
        } else if let Some(v) = ranged(v, QUEUE_TIME_RANGE, "seconds", &at("QUEUE_TIME"), out) {
            s.queue_time = v * SECOND;
        }
    }
    if let Some(v) = fields
        .get("NO_ANSWER_TIME")
        .and_then(|v| int(v, &at("NO_ANSWER_TIME"), out))
    {
        if let Some(v) = ranged(v, QUEUE_TIME_RANGE, "seconds", &at("NO_ANSWER_TIME"), out) {
            s.no_answer_time = v * SECOND;
        }
    }
    if let Some(v) = fields
        .get("CHECK_AVAILABLE")
        .and_then(|v| yes_no(v, &at("CHECK_AVAILABLE"), out))
    {
        s.check_available = v;
    }
    if let Some(v) = fields
        .get("MAX_CHAT")
        .and_then(|v| int(v, &at("MAX_CHAT"), out))
    {
        s.max_chat = if v < 0 {
            out.push(Diagnostic::note(
                at("MAX_CHAT"),
                format!("`{v}` is read as 0 (no limit), as Bitrix24 reads it"),
            ));
            0
        } else if v > MAX_CHAT_CAP {
            out.push(Diagnostic::note(
                at("MAX_CHAT"),
                format!("`{v}` is capped at {MAX_CHAT_CAP}, as the queue code caps it"),
            ));
            MAX_CHAT_CAP as u32
        } else {
            v as u32
        };
    }
    if let Some(v) = fields
        .get("TYPE_MAX_CHAT")
        .and_then(|v| text(v, &at("TYPE_MAX_CHAT"), out))
    {
        // The older table stored `ANSWERED_NEW` in upper case, so compare without case.
        s.type_max_chat = match v.to_lowercase().as_str() {
            "answered_new" => MaxChatType::AnsweredNew,
            "answered" => MaxChatType::Answered,
            "closed" => MaxChatType::Closed,
            "" => MaxChatType::AnsweredNew,
            _ => {
                out.push(Diagnostic::note(
                    at("TYPE_MAX_CHAT"),
                    format!("unknown `{v}` read as `answered_new`, as Bitrix24 reads it"),
                ));
                MaxChatType::AnsweredNew
            }
        };
    }
    apply_worktime(fields, d, path, out);
    let s = &mut d.settings;
    if let Some(v) = fields
        .get("WORKTIME_DAYOFF_RULE")
        .and_then(|v| text(v, &at("WORKTIME_DAYOFF_RULE"), out))
    {
        s.off_hours_rule = reply_rule(&v, &at("WORKTIME_DAYOFF_RULE"), out);
    }
    if let Some(v) = fields
        .get("WORKTIME_DAYOFF_TEXT")
        .and_then(|v| text(v, &at("WORKTIME_DAYOFF_TEXT"), out))
    {
        s.off_hours_text = v;
    }
    if let Some(v) = fields
        .get("NO_ANSWER_RULE")
        .and_then(|v| text(v, &at("NO_ANSWER_RULE"), out))
    {
        s.no_answer_rule = match v.to_lowercase().as_str() {
            "text" => NoAnswerRule::Text,
            "queue" => NoAnswerRule::Queue,
            "none" | "" => NoAnswerRule::None,
            _ => {
                out.push(Diagnostic::note(
                    at("NO_ANSWER_RULE"),
                    format!("unknown rule `{v}` read as `none`"),
                ));
                NoAnswerRule::None
            }
        };
    }
    if let Some(v) = fields
        .get("NO_ANSWER_TEXT")
        .and_then(|v| text(v, &at("NO_ANSWER_TEXT"), out))
    {
        s.no_answer_text = v;
    }
    if let Some(v) = fields.get("CRM").and_then(|v| yes_no(v, &at("CRM"), out)) {
        s.crm = v;
    }
    if let Some(v) = fields
        .get("CRM_FORWARD")
        .and_then(|v| yes_no(v, &at("CRM_FORWARD"), out))
    {
        s.crm_forward = v;
    }
    if let Some(v) = fields
        .get("WELCOME_BOT_ENABLE")
        .and_then(|v| yes_no(v, &at("WELCOME_BOT_ENABLE"), out))
    {
        d.bot_enabled = v;
    }
    if let Some(v) = fields
        .get("WELCOME_BOT_ID")
        .and_then(|v| int(v, &at("WELCOME_BOT_ID"), out))
    {
        if v <= 0 && d.bot_enabled {
            out.push(Diagnostic::note(
                at("WELCOME_BOT_ID"),
                "no bot is chosen, so the welcome bot stays off",
            ));
            d.bot_enabled = false;
        }
    }
    if let Some(v) = fields
        .get("WELCOME_BOT_JOIN")
        .and_then(|v| text(v, &at("WELCOME_BOT_JOIN"), out))
    {
        // Any value other than `first` is saved as `always`.
        d.bot_join = if v == "first" {
            BotJoin::First
        } else {
            BotJoin::Always
        };
    }
    if let Some(v) = fields
        .get("WELCOME_BOT_TIME")
        .and_then(|v| int(v, &at("WELCOME_BOT_TIME"), out))
    {
        if let Some(v) = ranged(v, (0, 86_400), "seconds", &at("WELCOME_BOT_TIME"), out) {
            d.bot_time = v;
        }
    }
    let s = &mut d.settings;
    if let Some(v) = fields
        .get("AUTO_CLOSE_RULE")
        .and_then(|v| text(v, &at("AUTO_CLOSE_RULE"), out))
    {
        s.auto_close_rule = reply_rule(&v, &at("AUTO_CLOSE_RULE"), out);
    }
    if let Some(v) = fields
        .get("AUTO_CLOSE_TEXT")
        .and_then(|v| text(v, &at("AUTO_CLOSE_TEXT"), out))
    {
        s.auto_close_text = v;
    }
    if let Some(v) = fields
        .get("AUTO_CLOSE_TIME")
        .and_then(|v| int(v, &at("AUTO_CLOSE_TIME"), out))
    {
        if let Some(v) = ranged(v, (60, 31 * 86_400), "seconds", &at("AUTO_CLOSE_TIME"), out) {
            s.auto_close_time = v * SECOND;
        }
    }
    if let Some(v) = fields
        .get("FULL_CLOSE_TIME")
        .and_then(|v| int(v, &at("FULL_CLOSE_TIME"), out))
    {
        // FULL_CLOSE_TIME is in minutes: the code adds `FULL_CLOSE_TIME . ' MINUTES'`.
        if let Some(v) = ranged(v, (0, 1440), "minutes", &at("FULL_CLOSE_TIME"), out) {
            s.full_close_time = v * MINUTE;
        }
    }
}

fn apply_worktime(
    fields: &Map<String, Value>,
    d: &mut Draft,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let at = |key: &str| format!("{path}.{key}");
    if let Some(v) = fields
        .get("WORKTIME_ENABLE")
        .and_then(|v| yes_no(v, &at("WORKTIME_ENABLE"), out))
    {
        d.worktime_enabled = v;
    }
    let mentions = [
        "WORKTIME_FROM",
        "WORKTIME_TO",
        "WORKTIME_TIMEZONE",
        "WORKTIME_DAYOFF",
        "WORKTIME_HOLIDAYS",
    ];
    if !mentions.iter().any(|k| fields.contains_key(*k)) {
        return;
    }
    // An empty zone means the portal's default; we have no portal, so we take UTC and say so.
    let timezone = match fields
        .get("WORKTIME_TIMEZONE")
        .and_then(|v| text(v, &at("WORKTIME_TIMEZONE"), out))
    {
        Some(name) if !name.is_empty() => parse_timezone(&name, &at("WORKTIME_TIMEZONE"), out),
        _ => {
            out.push(Diagnostic::note(
                at("WORKTIME_TIMEZONE"),
                "no time zone: the portal's default is not known here, UTC is used",
            ));
            Some(Zone::UTC)
        }
    };
    let from_text = fields
        .get("WORKTIME_FROM")
        .and_then(|v| text(v, &at("WORKTIME_FROM"), out));
    let to_text = fields
        .get("WORKTIME_TO")
        .and_then(|v| text(v, &at("WORKTIME_TO"), out));
    let (mut from, mut to) = (9 * 60, 18 * 60 + 30);
    match (from_text.as_deref().map(hour_dot_minute), to_text.as_deref().map(hour_dot_minute)) {
        (Some(Some(f)), Some(Some(t))) => {
            from = f;
            to = t;
        }
        (None, None) => {}
        _ => out.push(Diagnostic::note(
            at("WORKTIME_FROM"),
            format!(
                "`{}`–`{}` is not in Bitrix24's `H.MM` form, both read as `9`–`18.30`, as Bitrix24 reads them",
                from_text.unwrap_or_default(),
                to_text.unwrap_or_default()
            ),
        )),
    }
    if from > 23 * 60 + 30 {
        out.push(Diagnostic::note(
            at("WORKTIME_FROM"),
            format!("`{}` is capped at 23.30, as Bitrix24 caps it", hhmm(from)),
        ));
        from = 23 * 60 + 30;
    }
    if to <= from {
        let new_to = (from + 60).min(23 * 60 + 59);
        out.push(Diagnostic::note(
            at("WORKTIME_TO"),
            format!(
                "closing `{}` is not after opening `{}`: read as `{}`, as Bitrix24 reads it",
                hhmm(to),
                hhmm(from),
                hhmm(new_to)
            ),
        ));
        to = new_to;
    }
    let days = string_list(fields.get("WORKTIME_DAYOFF"), &at("WORKTIME_DAYOFF"), out);
    let days_off = parse_days_off(
        days.iter().map(String::as_str),
        &at("WORKTIME_DAYOFF"),
        out,
        false,
    );
    let holiday_text = string_list(
        fields.get("WORKTIME_HOLIDAYS"),
        &at("WORKTIME_HOLIDAYS"),
        out,
    );
    let mut holidays = Vec::new();
    for h in &holiday_text {
        match parse_holiday(h) {
            Ok(day) => holidays.push(day),
            Err(_) => {
                // prepareFields clears the whole list when it does not match its pattern.
                out.push(Diagnostic::note(
                    at("WORKTIME_HOLIDAYS"),
                    format!(
                        "`{h}` is not `DD.MM`: the holidays are cleared, as Bitrix24 clears them"
                    ),
                ));
                holidays.clear();
                break;
            }
        }
    }
    if let Some(timezone) = timezone {
        d.settings.worktime = Some(Worktime {
            timezone,
            intervals: vec![(from, to)],
            days_off,
            holidays,
        });
    }
}

/// A list given as an array of strings or as one comma-separated string.
fn string_list(v: Option<&Value>, path: &str, out: &mut Vec<Diagnostic>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(_) => {
            out.push(Diagnostic::error(
                path,
                "expected an array of strings or a comma-separated string",
            ));
            Vec::new()
        }
    }
}

/// Reads Bitrix24's `H[H][.MM]` hour form. The minutes are compared as a decimal fraction, so
/// `9.5` means 9:50, as it does in Bitrix24's numeric comparison.
fn hour_dot_minute(text: &str) -> Option<u16> {
    let (h, m) = match text.split_once('.') {
        Some((h, m)) => (h, m),
        None => (text, ""),
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() > 2
        || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = match m.len() {
        0 => 0,
        1 => m.parse::<u16>().ok()? * 10,
        _ => m.parse().ok()?,
    };
    (h <= 23 && m <= 59).then_some(h * 60 + m)
}

fn reply_rule(v: &str, path: &str, out: &mut Vec<Diagnostic>) -> ReplyRule {
    match v.to_lowercase().as_str() {
        "text" => ReplyRule::Text,
        "none" | "" => ReplyRule::None,
        "form" | "queue" => {
            out.push(Diagnostic::note(
                path,
                format!("rule `{v}` is deprecated and read as `none`, as Bitrix24 reads it"),
            ));
            ReplyRule::None
        }
        _ => {
            out.push(Diagnostic::note(
                path,
                format!("unknown rule `{v}` read as `none`"),
            ));
            ReplyRule::None
        }
    }
}

fn text(v: &Value, path: &str, out: &mut Vec<Diagnostic>) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        _ => {
            out.push(Diagnostic::error(path, "expected a string"));
            None
        }
    }
}

fn int(v: &Value, path: &str, out: &mut Vec<Diagnostic>) -> Option<i64> {
    let parsed = match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Null => return None,
        _ => None,
    };
    if parsed.is_none() {
        out.push(Diagnostic::error(
            path,
            format!("`{}` is not a whole number", compact(v)),
        ));
    }
    parsed
}

fn yes_no(v: &Value, path: &str, out: &mut Vec<Diagnostic>) -> Option<bool> {
    match v {
        Value::String(s) if s == "Y" => Some(true),
        Value::String(s) if s == "N" || s.is_empty() => Some(false),
        Value::Bool(b) => Some(*b),
        Value::Null => None,
        _ => {
            out.push(Diagnostic::error(
                path,
                format!("`{}` is not `Y` or `N`", compact(v)),
            ));
            None
        }
    }
}

fn queue(v: &Value, path: &str, out: &mut Vec<Diagnostic>) -> Option<Vec<QueueEntry>> {
    let Value::Array(items) = v else {
        out.push(Diagnostic::error(
            path,
            "expected an array of user IDs or `{ENTITY_TYPE, ENTITY_ID}` objects",
        ));
        return None;
    };
    let mut entries = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            // config.get returns plain user IDs; the legacy add form accepts them too.
            Value::String(id) => entries.push(QueueEntry::User(id.clone())),
            Value::Number(n) => entries.push(QueueEntry::User(n.to_string())),
            Value::Object(o) => {
                let kind = o.get("ENTITY_TYPE").and_then(Value::as_str).unwrap_or("");
                let id = match o.get("ENTITY_ID") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => String::new(),
                };
                match (kind, id.is_empty()) {
                    ("user", false) => entries.push(QueueEntry::User(id)),
                    ("department", false) => entries.push(QueueEntry::Department(id)),
                    _ => out.push(Diagnostic::error(
                        format!("{path}[{i}]"),
                        "expected `ENTITY_TYPE` `user` or `department` with an `ENTITY_ID`",
                    )),
                }
            }
            _ => out.push(Diagnostic::error(
                format!("{path}[{i}]"),
                format!("`{}` is not a user ID", compact(item)),
            )),
        }
    }
    Some(entries)
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bitrix_hour_forms() {
        assert_eq!(hour_dot_minute("9"), Some(540));
        assert_eq!(hour_dot_minute("18.30"), Some(1110));
        assert_eq!(hour_dot_minute("9.5"), Some(590));
        assert_eq!(hour_dot_minute("09:00"), None);
        assert_eq!(hour_dot_minute("25"), None);
    }
}
