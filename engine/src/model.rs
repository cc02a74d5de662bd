//! The resolved routing model: line settings, agents and worktime with Bitrix24's meanings and
//! units, after defaults are applied. Built from [`crate::config::Config`] by
//! [`crate::config::resolve`]; the router works on these types only.

use serde::{Deserialize, Serialize};

use crate::time::Time;
use crate::zone::Zone;

/// How a line hands a dialog to its queue (`QUEUE_TYPE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The available agent assigned a dialog on this line longest ago.
    Evenly,
    /// The first available agent in queue order not yet tried for this dialog.
    Strictly,
    /// Offered to every available agent; the first to answer takes it.
    All,
}

impl Mode {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Evenly => "evenly",
            Mode::Strictly => "strictly",
            Mode::All => "all",
        }
    }
}

/// Which dialogs occupy one of an agent's `max_chat` slots (`TYPE_MAX_CHAT`).
///
/// The value names the dialogs that are *excluded* from the count. The REST documentation
/// describes the values the other way round; the queue code (`getCountFreeSlotsOperators`) and the
/// settings form agree with each other, and we follow the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxChatType {
    /// Dialogs the agent has replied to at least once stop counting (status < 25 counts).
    AnsweredNew,
    /// Dialogs waiting for the client's reaction stop counting (status < 40 counts).
    Answered,
    /// Only closing and closed dialogs stop counting (status < 50 counts).
    Closed,
}

impl MaxChatType {
    /// Dialogs whose Bitrix24 status code is below this occupy a slot.
    #[must_use]
    pub fn status_limit(self) -> u8 {
        match self {
            MaxChatType::AnsweredNew => 25,
            MaxChatType::Answered => 40,
            MaxChatType::Closed => 50,
        }
    }

    /// Index into the per-agent load counters, which keep one count per status limit.
    #[must_use]
    pub fn counter(self) -> usize {
        match self {
            MaxChatType::AnsweredNew => 0,
            MaxChatType::Answered => 1,
            MaxChatType::Closed => 2,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            MaxChatType::AnsweredNew => "answered_new",
            MaxChatType::Answered => "answered",
            MaxChatType::Closed => "closed",
        }
    }
}

/// An agent's workday in time management (`timeman.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Workday {
    /// Time tracking is switched off for this agent (`UF_TIMEMAN` false): always counts as working.
    #[default]
    Untracked,
    Opened,
    Paused,
    Closed,
    /// Opened before today began and never closed.
    Expired,
}

impl Workday {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Workday::Untracked => "untracked",
            Workday::Opened => "opened",
            Workday::Paused => "paused",
            Workday::Closed => "closed",
            Workday::Expired => "expired",
        }
    }
}

/// Whether an automatic message is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReplyRule {
    Text,
    #[default]
    None,
}

/// What happens when nobody has replied within `no_answer_time` (`NO_ANSWER_RULE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NoAnswerRule {
    /// Send the no-answer text to the client.
    Text,
    /// Do nothing but record the dialog as unanswered.
    #[default]
    None,
    /// Put the dialog back into the queue, again and again until someone replies. The settings
    /// page offers this for `evenly` only.
    Queue,
}

/// When the welcome bot joins a dialog (`WELCOME_BOT_JOIN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BotJoin {
    /// Only a client's first dialog.
    First,
    #[default]
    Always,
}

/// Weekly opening hours of a line in its own time zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Worktime {
    pub timezone: Zone,
    /// Open intervals as minutes of the day, both ends inclusive (`from ≤ t ≤ to`, compared at
    /// minute precision as Bitrix24 compares `G.i` numbers).
    pub intervals: Vec<(u16, u16)>,
    /// Days off, Monday first.
    pub days_off: [bool; 7],
    /// Holidays as (day, month).
    pub holidays: Vec<(u8, u8)>,
}

/// The welcome bot that holds a dialog before the human queue.
#[derive(Clone, Debug, PartialEq)]
pub struct WelcomeBot {
    /// Hand-over to the queue after this many ms; `None` means the bot keeps the dialog.
    pub hand_over_after: Option<i64>,
    pub join: BotJoin,
}

/// One line's distribution settings, resolved, in milliseconds where they are durations.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSettings {
    pub mode: Mode,
    /// `QUEUE_TIME`: forward to the next agent if not taken within this many ms.
    pub queue_time: i64,
    /// `NO_ANSWER_TIME`: the no-answer action fires after this many ms without a reply.
    pub no_answer_time: i64,
    pub check_available: bool,
    /// `MAX_CHAT`; 0 means no per-line limit.
    pub max_chat: u32,
    pub type_max_chat: MaxChatType,
    pub worktime: Option<Worktime>,
    pub off_hours_rule: ReplyRule,
    pub off_hours_text: String,
    pub no_answer_rule: NoAnswerRule,
    pub no_answer_text: String,
    pub crm: bool,
    pub crm_forward: bool,
    pub welcome_bot: Option<WelcomeBot>,
    pub auto_close_rule: ReplyRule,
    pub auto_close_text: String,
    /// `AUTO_CLOSE_TIME`: close a dialog whose client has been silent since the agent's reply (ms).
    pub auto_close_time: i64,
    /// `FULL_CLOSE_TIME`: from "closed by the agent" to fully closed, in ms (configured in
    /// minutes).
    pub full_close_time: i64,
    /// Retry an undistributed dialog after this many ms; `None` follows the code: `queue_time`
    /// (3600 s in mode `all`).
    pub retry_interval: Option<i64>,
}

/// Portal-wide settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Portal {
    /// The time-management module is active, so the workday decides availability instead of
    /// online presence.
    pub time_tracking: bool,
    /// An agent is online when their last activity is within this window, in ms (1440 s on cloud).
    pub online_window: i64,
    /// The queue agent's period, in ms (60 s); deadlines take effect at the next run. 0 runs
    /// each deadline at its exact time.
    pub runner_period: i64,
}

/// An agent's initial state.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentSetup {
    pub id: String,
    pub name: String,
    pub departments: Vec<String>,
    pub dismissed: bool,
    /// On vacation from the start, until this instant (`None` with `absent` set: open-ended).
    pub absent: bool,
    pub absent_until: Option<Time>,
    pub last_activity: Option<Time>,
    pub workday: Workday,
    pub line_pause: bool,
    pub crm_clients: Vec<String>,
}

/// An entry of a line's configured queue, before expansion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum QueueEntry {
    User(String),
    Department(String),
}

/// One line, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSetup {
    pub id: String,
    pub name: String,
    pub queue: Vec<QueueEntry>,
    pub settings: LineSettings,
}

/// A whole resolved configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub portal: Portal,
    pub agents: Vec<AgentSetup>,
    pub lines: Vec<LineSetup>,
}

impl Setup {
    /// The agents indexed by id and department, to expand any number of queues with.
    #[must_use]
    pub fn agent_index(&self) -> AgentIndex<'_> {
        AgentIndex::new(&self.agents)
    }
}

/// The agents by id (the first one listed, for an id listed twice) and by department, in
/// the order they are listed. Sorted vectors searched by halves rather than hash maps: the
/// same cost for a queue, and less code in the web app's download.
#[derive(Debug)]
pub struct AgentIndex<'a> {
    agents: &'a [AgentSetup],
    /// (id, agent), by id, one entry per id.
    by_id: Vec<(&'a str, usize)>,
    /// (department, agent), by department then agent, one entry per pair.
    by_department: Vec<(&'a str, usize)>,
}

impl<'a> AgentIndex<'a> {
    #[must_use]
    pub fn new(agents: &'a [AgentSetup]) -> AgentIndex<'a> {
        let mut by_id: Vec<(&str, usize)> = agents
            .iter()
            .enumerate()
            .map(|(ix, a)| (a.id.as_str(), ix))
            .collect();
        by_id.sort_unstable();
        by_id.dedup_by(|later, first| later.0 == first.0);
        let mut by_department: Vec<(&str, usize)> = agents
            .iter()
            .enumerate()
            .flat_map(|(ix, a)| a.departments.iter().map(move |d| (d.as_str(), ix)))
            .collect();
        by_department.sort_unstable();
        by_department.dedup();
        AgentIndex {
            agents,
            by_id,
            by_department,
        }
    }

    /// Expands a queue into agent indexes in order: a department adds its members at its
    /// position (in the order the agents are listed, since Bitrix24's structure order is not
    /// documented), a user listed twice keeps the first position, dismissed users are dropped.
    /// Linear in the entries and the agents they bring: a flag per agent marks those already
    /// placed.
    #[must_use]
    pub fn expand_queue(&self, entries: &[QueueEntry]) -> Vec<usize> {
        let mut placed = vec![false; self.agents.len()];
        let mut out: Vec<usize> = Vec::new();
        let mut push = |ix: usize| {
            if !self.agents[ix].dismissed && !placed[ix] {
                placed[ix] = true;
                out.push(ix);
            }
        };
        for entry in entries {
            match entry {
                QueueEntry::User(id) => {
                    if let Some(ix) = self.agent(id) {
                        push(ix);
                    }
                }
                QueueEntry::Department(dep) => self.members(dep).for_each(&mut push),
            }
        }
        out
    }

    /// The agent with this id.
    #[must_use]
    pub fn agent(&self, id: &str) -> Option<usize> {
        let at = self.by_id.partition_point(|&(k, _)| k < id);
        self.by_id
            .get(at)
            .filter(|&&(k, _)| k == id)
            .map(|&(_, ix)| ix)
    }

    /// The department's members in the order the agents are listed; none for an unknown one.
    pub fn members(&self, department: &str) -> impl Iterator<Item = usize> + '_ {
        let from = self.by_department.partition_point(|&(d, _)| d < department);
        let to = self
            .by_department
            .partition_point(|&(d, _)| d <= department);
        self.by_department[from..to].iter().map(|&(_, ix)| ix)
    }

    /// Every department named by some agent, each once, in order of name.
    pub fn departments(&self) -> impl Iterator<Item = &'a str> + '_ {
        let mut last = None;
        self.by_department
            .iter()
            .map(|&(d, _)| d)
            .filter(move |&d| last.replace(d) != Some(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, departments: &[&str], dismissed: bool) -> AgentSetup {
        AgentSetup {
            id: id.to_string(),
            name: id.to_string(),
            departments: departments.iter().map(|d| (*d).to_string()).collect(),
            dismissed,
            absent: false,
            absent_until: None,
            last_activity: None,
            workday: Workday::Untracked,
            line_pause: false,
            crm_clients: Vec::new(),
        }
    }

    #[test]
    fn a_queue_expands_in_order_with_each_agent_once() {
        let setup = Setup {
            portal: Portal {
                time_tracking: false,
                online_window: 1_440_000,
                runner_period: 60_000,
            },
            agents: vec![
                agent("anna", &["sales", "sales"], false),
                agent("boris", &["support"], false),
                agent("carla", &["sales"], true),
                agent("dmitri", &["sales", "support"], false),
            ],
            lines: Vec::new(),
        };
        let queue = [
            QueueEntry::User("dmitri".to_string()),
            QueueEntry::Department("sales".to_string()),
            QueueEntry::User("nobody".to_string()),
            QueueEntry::Department("support".to_string()),
            QueueEntry::User("anna".to_string()),
        ];
        // dmitri first by name; sales adds anna (carla is dismissed, dmitri placed already);
        // support adds boris; anna's second entry keeps her first position.
        assert_eq!(setup.agent_index().expand_queue(&queue), vec![3, 0, 1]);
    }
}
