//! What a router does: a closed set of actions, each stamped with the instant it happened.

use serde::Serialize;

use crate::explain::Decision;
use crate::ids::{AgentId, DialogId, LineId};
use crate::model::NoAnswerRule;
use crate::time::Time;

/// One output of the router.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Action {
    pub at: Time,
    #[serde(flatten)]
    pub kind: ActionKind,
}

/// Why a dialog was (re)distributed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Cause {
    NewDialog,
    /// The welcome bot's time is up.
    BotHandOver,
    /// Not taken within the queue time.
    NotTaken {
        previous: Vec<AgentId>,
    },
    /// An undistributed dialog is tried again.
    Retry,
    /// Sent back to the queue.
    Returned {
        reason: ReturnReason,
    },
    /// The agent skipped it.
    Skipped {
        by: AgentId,
    },
    /// Transferred by hand.
    Transferred {
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<AgentId>,
    },
}

/// Why a dialog went back to the queue (Bitrix24's `REASON_RETURN`, plus the triggers that
/// re-queue without a reason of their own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// Workday ended or paused, or the Open Channels pause started.
    Nonworking,
    Vacation,
    Dismissal,
    /// Removed from the line's queue.
    Removing,
    /// The client wrote while the agent was offline.
    Offline,
    /// Moved so that load is spread again (an agent returned, or another left with more
    /// dialogs than the line had free slots).
    Rebalance,
    /// The line's distribution mode changed.
    ModeChanged,
    /// The no-answer rule `queue`.
    NoAnswer,
}

/// How a dialog ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseKind {
    /// Closed by the agent (after the full-close delay).
    ByAgent,
    /// The client stayed silent for the auto-close time.
    AutoClosed,
    Spam,
    /// The client left before being served.
    ClientLeft,
    /// No message for a week.
    Idle,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionKind {
    /// The client wrote while the line counted as closed (on arrival or later); `text` is the
    /// off-hours reply when the rule sends one.
    OffHours {
        dialog: DialogId,
        line: LineId,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// The welcome bot took the dialog.
    Welcomed {
        dialog: DialogId,
        line: LineId,
        #[serde(skip_serializing_if = "Option::is_none")]
        hand_over_at: Option<Time>,
    },
    /// The dialog was offered to one agent, or to several in mode `all`.
    Offered {
        dialog: DialogId,
        line: LineId,
        to: Vec<AgentId>,
        #[serde(flatten)]
        cause: Cause,
        /// When it moves on if nobody takes it; none for a CRM forward.
        #[serde(skip_serializing_if = "Option::is_none")]
        deadline: Option<Time>,
        decision: Decision,
    },
    /// Nobody could take the dialog; it waits in the queue.
    Undistributed {
        dialog: DialogId,
        line: LineId,
        #[serde(flatten)]
        cause: Cause,
        retry_at: Time,
        decision: Decision,
    },
    /// Retries of an undistributed dialog that found nobody, for the same reasons as the
    /// `undistributed` action before them, from `first` to `last`: counted, not listed, so
    /// that a long wait costs one action. The next retry comes after `last` as usual.
    Retried {
        dialog: DialogId,
        line: LineId,
        count: u64,
        first: Time,
        last: Time,
    },
    Accepted {
        dialog: DialogId,
        agent: AgentId,
        /// In mode `all`, the others lose the offer.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        withdrawn_from: Vec<AgentId>,
    },
    /// The dialog is due for redistribution at the queue agent's next run.
    Requeued {
        dialog: DialogId,
        line: LineId,
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<AgentId>,
        reason: ReturnReason,
        due: Time,
        /// A system message tells the chat (the dialog had been taken).
        notice: bool,
    },
    /// A skip that could not happen: nobody else is available.
    SkipRefused {
        dialog: DialogId,
        agent: AgentId,
        why: String,
    },
    /// Nobody replied within the no-answer time. `text` is left out when the rule sends none,
    /// or when the off-hours text already went to this dialog.
    NoAnswer {
        dialog: DialogId,
        line: LineId,
        rule: NoAnswerRule,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Closed by the agent; fully closed after the full-close delay.
    Closing {
        dialog: DialogId,
        #[serde(skip_serializing_if = "Option::is_none")]
        agent: Option<AgentId>,
        full_close_at: Time,
    },
    Closed {
        dialog: DialogId,
        how: CloseKind,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// An event that does not apply (unknown dialog, wrong agent, time going back).
    Rejected { event: String, reason: String },
}

impl ReturnReason {
    /// The reason as written in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnReason::Nonworking => "nonworking",
            ReturnReason::Vacation => "vacation",
            ReturnReason::Dismissal => "dismissal",
            ReturnReason::Removing => "removing",
            ReturnReason::Offline => "offline",
            ReturnReason::Rebalance => "rebalance",
            ReturnReason::ModeChanged => "mode_changed",
            ReturnReason::NoAnswer => "no_answer",
        }
    }

    /// The reason for people.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            ReturnReason::Nonworking => "the agent stopped working",
            ReturnReason::Vacation => "the agent went on vacation",
            ReturnReason::Dismissal => "the agent was dismissed",
            ReturnReason::Removing => "the agent left the queue",
            ReturnReason::Offline => "the agent is offline",
            ReturnReason::Rebalance => "load is spread again",
            ReturnReason::ModeChanged => "the line's mode changed",
            ReturnReason::NoAnswer => "no answer in time",
        }
    }
}

impl CloseKind {
    /// How it ended, for people.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            CloseKind::ByAgent => "by the agent",
            CloseKind::AutoClosed => "the client stayed silent",
            CloseKind::Spam => "marked as spam",
            CloseKind::ClientLeft => "the client left",
            CloseKind::Idle => "no message for a week",
        }
    }
}

impl Cause {
    /// Why the dialog was placed, for people; agents named by `name`.
    #[must_use]
    pub fn describe(&self, name: &dyn Fn(&AgentId) -> String) -> String {
        match self {
            Cause::NewDialog => "new dialog".to_string(),
            Cause::BotHandOver => "handed over by the welcome bot".to_string(),
            Cause::NotTaken { previous } => {
                format!("not taken by {} in time", names(previous, name))
            }
            Cause::Retry => "retry".to_string(),
            Cause::Returned { reason } => format!("returned: {}", reason.as_str()),
            Cause::Skipped { by } => format!("skipped by {}", name(by)),
            Cause::Transferred { from: Some(f) } => format!("transferred from {}", name(f)),
            Cause::Transferred { from: None } => "transferred".to_string(),
        }
    }
}

impl ActionKind {
    /// The action in one line for people, as the command line's text output shows it; agents
    /// are named by `name` (their id, or the name people know).
    #[must_use]
    pub fn describe(&self, name: &dyn Fn(&AgentId) -> String) -> String {
        match self {
            ActionKind::OffHours { dialog, text, .. } => format!(
                "{dialog}: the client wrote while the line is closed{}",
                if text.is_some() {
                    "; the off-hours text is sent"
                } else {
                    ""
                }
            ),
            ActionKind::Welcomed {
                dialog,
                hand_over_at,
                ..
            } => match hand_over_at {
                Some(t) => format!("{dialog} is with the welcome bot until {t}"),
                None => format!("{dialog} is with the welcome bot"),
            },
            ActionKind::Offered {
                dialog, to, cause, ..
            } => {
                format!(
                    "{dialog} offered to {} ({})",
                    names(to, name),
                    cause.describe(name)
                )
            }
            ActionKind::Undistributed {
                dialog,
                cause,
                retry_at,
                ..
            } => format!(
                "{dialog} waits: nobody can take it now ({}); next try at {retry_at}",
                cause.describe(name)
            ),
            ActionKind::Retried {
                dialog,
                count,
                first,
                last,
                ..
            } => {
                let tries = if *count == 1 { "retry" } else { "retries" };
                format!("{dialog} still waits: {count} more {tries} from {first} to {last} found nobody, as before")
            }
            ActionKind::Accepted {
                dialog,
                agent,
                withdrawn_from,
            } => {
                if withdrawn_from.is_empty() {
                    format!("{dialog} taken by {}", name(agent))
                } else {
                    format!(
                        "{dialog} taken by {}; withdrawn from {}",
                        name(agent),
                        names(withdrawn_from, name)
                    )
                }
            }
            ActionKind::Requeued {
                dialog,
                from,
                reason,
                ..
            } => match from {
                Some(a) => format!(
                    "{dialog} goes back to the queue from {}: {}",
                    name(a),
                    reason.words()
                ),
                None => format!("{dialog} goes back to the queue: {}", reason.words()),
            },
            ActionKind::SkipRefused { dialog, agent, why } => {
                format!("{} cannot pass {dialog} on: {why}", name(agent))
            }
            ActionKind::NoAnswer {
                dialog, rule, text, ..
            } => format!(
                "{dialog}: no answer in time{}",
                match (rule, text) {
                    (NoAnswerRule::Queue, _) => "; back to the queue",
                    (_, Some(_)) => "; the no-answer text is sent",
                    _ => "",
                }
            ),
            ActionKind::Closing {
                dialog,
                agent,
                full_close_at,
            } => match agent {
                Some(a) => format!(
                    "{dialog} closed by {}; fully closed at {full_close_at}",
                    name(a)
                ),
                None => format!("{dialog} closing; fully closed at {full_close_at}"),
            },
            ActionKind::Closed { dialog, how, .. } => format!("{dialog} closed: {}", how.words()),
            ActionKind::Rejected { event, reason } => {
                format!("the engine refused `{event}`: {reason}")
            }
        }
    }
}

fn names(agents: &[AgentId], name: &dyn Fn(&AgentId) -> String) -> String {
    agents.iter().map(name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Decision;

    #[test]
    fn an_action_is_described_with_the_names_people_know() {
        let name = |a: &AgentId| format!("Anna ({a})");
        let offered = ActionKind::Offered {
            dialog: DialogId(7),
            line: LineId::new("support"),
            to: vec![AgentId::new("anna")],
            cause: Cause::Skipped {
                by: AgentId::new("anna"),
            },
            deadline: None,
            decision: Decision {
                method: crate::explain::Method::Strictly,
                chosen: vec![AgentId::new("anna")],
                candidates: Vec::new(),
                summary: String::new(),
            },
        };
        assert_eq!(
            offered.describe(&name),
            "#7 offered to Anna (anna) (skipped by Anna (anna))"
        );
        let requeued = ActionKind::Requeued {
            dialog: DialogId(7),
            line: LineId::new("support"),
            from: Some(AgentId::new("anna")),
            reason: ReturnReason::Vacation,
            due: Time(0),
            notice: true,
        };
        assert_eq!(
            requeued.describe(&name),
            "#7 goes back to the queue from Anna (anna): the agent went on vacation"
        );
        let closed = ActionKind::Closed {
            dialog: DialogId(7),
            how: CloseKind::Idle,
            text: None,
        };
        assert_eq!(closed.describe(&name), "#7 closed: no message for a week");
    }
}
