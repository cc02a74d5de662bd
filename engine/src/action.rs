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
