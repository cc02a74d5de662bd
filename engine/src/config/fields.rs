//! A line's settings as both readers of a configuration assemble them, the document's own
//! fields (`resolve.rs`) and Bitrix24's (`bitrix.rs`): the draft with Bitrix24's defaults, and
//! the checks of field values they share.

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::{BotJoin, LineSettings, MaxChatType, Mode, NoAnswerRule, QueueEntry, ReplyRule};
use crate::time::{MINUTE, SECOND};
use crate::worktime::DAY_CODES;
use crate::zone::Zone;

/// Forward and no-answer times, as the settings page offers them (seconds).
pub(crate) const QUEUE_TIME_RANGE: (i64, i64) = (60, 43_200);
/// The code caps `MAX_CHAT` at `Queue::MAX_CHAT` dialogs.
pub(crate) const MAX_CHAT_CAP: i64 = 1000;

/// A line's settings while they are being assembled, with Bitrix24's REST-add defaults.
pub(crate) struct Draft {
    pub name: Option<String>,
    pub queue: Option<Vec<QueueEntry>>,
    pub settings: LineSettings,
    /// Bot settings are kept even while the bot is off, so that enabling it later keeps them.
    pub bot_enabled: bool,
    pub bot_time: i64,
    pub bot_join: BotJoin,
    pub worktime_enabled: bool,
}

impl Draft {
    pub(super) fn new() -> Self {
        Draft {
            name: None,
            queue: None,
            settings: LineSettings {
                mode: Mode::All,
                queue_time: 60 * SECOND,
                no_answer_time: 60 * SECOND,
                check_available: false,
                max_chat: 0,
                type_max_chat: MaxChatType::Answered,
                worktime: None,
                off_hours_rule: ReplyRule::None,
                off_hours_text: String::new(),
                no_answer_rule: NoAnswerRule::None,
                no_answer_text: String::new(),
                crm: true,
                crm_forward: true,
                welcome_bot: None,
                auto_close_rule: ReplyRule::None,
                auto_close_text: String::new(),
                auto_close_time: 14_400 * SECOND,
                full_close_time: 10 * MINUTE,
                retry_interval: None,
            },
            bot_enabled: false,
            bot_time: 600,
            bot_join: BotJoin::Always,
            worktime_enabled: false,
        }
    }
}

/// Checks a whole-number field against an inclusive range and converts it with `scale`.
pub(crate) fn ranged(
    value: i64,
    (min, max): (i64, i64),
    unit: &str,
    path: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<i64> {
    if value < min || value > max {
        out.push(Diagnostic::error(
            path,
            format!("`{value}` is out of range: {min} to {max} {unit}"),
        ));
        None
    } else {
        Some(value)
    }
}

/// Parses an IANA zone name, suggesting the closest one for a typo.
pub(crate) fn parse_timezone(name: &str, path: &str, out: &mut Vec<Diagnostic>) -> Option<Zone> {
    match Zone::named(name) {
        Some(zone) => Some(zone),
        None => {
            let names = Zone::all().map(Zone::name);
            let hint = match did_you_mean(name, names) {
                Some(best) => format!(", did you mean `{best}`?"),
                None => ", e.g. `Europe/Berlin`".to_string(),
            };
            out.push(Diagnostic::error(
                path,
                format!("`{name}` is not an IANA time zone{hint}"),
            ));
            None
        }
    }
}

pub(crate) fn parse_days_off<'a>(
    days: impl IntoIterator<Item = &'a str>,
    path: &str,
    out: &mut Vec<Diagnostic>,
    strict: bool,
) -> [bool; 7] {
    let mut off = [false; 7];
    for (i, day) in days.into_iter().enumerate() {
        let code = day.trim().to_uppercase();
        match DAY_CODES.iter().position(|c| *c == code) {
            Some(ix) => off[ix] = true,
            None if strict => out.push(Diagnostic::error(
                format!("{path}[{i}]"),
                format!("`{day}` is not a day code: one of `MO` `TU` `WE` `TH` `FR` `SA` `SU`"),
            )),
            None => out.push(Diagnostic::note(
                format!("{path}[{i}]"),
                format!("unknown day `{day}` dropped, as Bitrix24 drops it"),
            )),
        }
    }
    off
}
