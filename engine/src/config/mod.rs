//! The configuration document (JSON, `version: 1`) and its resolution into the routing model.
//!
//! Every field of a line is optional: a missing field takes Bitrix24's default (the value
//! `imopenlines.config.add` fills in). A line may also carry its settings in Bitrix24's own
//! field names under `bitrix`, exactly as `imopenlines.config.get` returns them; fields given in
//! our own names are applied after them and win.

mod bitrix;
pub(crate) mod fields;
mod load;
pub(crate) mod resolve;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{BotJoin, MaxChatType, Mode, NoAnswerRule, QueueEntry, ReplyRule, Workday};
use crate::time::Time;

pub(crate) use load::{objects_only, shown};
pub use load::{parse_json, LoadError};
pub use resolve::resolve;

/// The version this build reads and writes.
pub const VERSION: u32 = 1;

/// A routing configuration: the portal, its agents and its lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Config {
    /// Format version; must be 1.
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portal: Option<PortalConfig>,
    #[serde(default)]
    pub agents: Vec<AgentConfig>,
    #[serde(default)]
    pub lines: Vec<LineConfig>,
}

/// Portal-wide settings.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct PortalConfig {
    /// The time-management module is active (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_tracking: Option<bool>,
    /// Online means last activity within this window, in seconds (default 1440, as on cloud).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_window: Option<i64>,
    /// How often the queue agent runs, in seconds (default 60); 0 runs every deadline exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner_period: Option<i64>,
}

/// An agent (a Bitrix24 user) and their state at the start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct AgentConfig {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub dismissed: bool,
    /// On vacation with no known end.
    #[serde(default, skip_serializing_if = "is_false")]
    pub absent: bool,
    /// On vacation until this instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent_until: Option<Time>,
    /// Last activity in the messenger; none means never seen (offline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<Time>,
    #[serde(default)]
    pub workday: Workday,
    /// The agent's own Open Channels pause.
    #[serde(default, skip_serializing_if = "is_false")]
    pub line_pause: bool,
    /// CRM clients this agent is responsible for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crm_clients: Vec<String>,
}

/// An Open Channel.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct LineConfig {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Users and departments in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Vec<QueueEntry>>,
    /// `evenly`, `strictly` or `all` (default `all`, as Bitrix24's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// Forward to the next agent if not taken within this many seconds, 60 to 43200 (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_time: Option<i64>,
    /// The no-answer action fires after this many seconds, 60 to 43200 (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_answer_time: Option<i64>,
    /// Check agent availability (vacation, pause, workday or online) while distributing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_available: Option<bool>,
    /// Dialogs per agent on this line, 0 to 1000; 0 is no limit (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chat: Option<i64>,
    /// Which dialogs stop occupying a slot (default `answered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_max_chat: Option<MaxChatType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worktime: Option<WorktimeConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_hours: Option<ReplyConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_answer: Option<NoAnswerConfig>,
    /// Look the client up in CRM (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm: Option<bool>,
    /// Route a known client to its responsible agent (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_forward: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_bot: Option<WelcomeBotConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_close: Option<AutoCloseConfig>,
    /// From "closed by the agent" to fully closed, in minutes (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_close_time: Option<i64>,
    /// Retry an undistributed dialog after this many seconds; by default `queue_time` (3600 in
    /// `all`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_interval: Option<i64>,
    /// Settings in Bitrix24's field names (`QUEUE_TYPE`, `QUEUE_TIME`, `CHECK_AVAILABLE`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrix: Option<Map<String, Value>>,
}

/// Opening hours in the line's time zone.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct WorktimeConfig {
    /// `false` keeps the hours but treats the line as always open (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub timezone: String,
    /// Opening time `HH:MM` (with `to`), for one interval a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Closing time `HH:MM`, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Several intervals a day (split shifts), instead of `from`/`to`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hours: Vec<IntervalConfig>,
    /// Days off: `MO TU WE TH FR SA SU`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days_off: Vec<String>,
    /// Holidays as `DD.MM`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
}

/// An open interval of a day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct IntervalConfig {
    pub from: String,
    pub to: String,
}

/// An automatic reply: `rule` `text` sends `text`, `none` sends nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct ReplyConfig {
    pub rule: ReplyRule,
    #[serde(default)]
    pub text: String,
}

/// The no-answer action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct NoAnswerConfig {
    pub rule: NoAnswerRule,
    #[serde(default)]
    pub text: String,
}

/// The welcome bot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct WelcomeBotConfig {
    pub enabled: bool,
    /// Hand the dialog to the queue after this many seconds (default 600); 0 keeps it with the bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<i64>,
    #[serde(default)]
    pub join: BotJoin,
}

/// Closing a dialog whose client went silent after the agent's reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct AutoCloseConfig {
    #[serde(default)]
    pub rule: ReplyRule,
    #[serde(default)]
    pub text: String,
    /// Close when the client has been silent this many seconds since the agent's reply (default
    /// 14400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<i64>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

crate::config::objects_only!(serialize: Config, PortalConfig, AgentConfig, LineConfig, WorktimeConfig, IntervalConfig, ReplyConfig, NoAnswerConfig, WelcomeBotConfig, AutoCloseConfig);
