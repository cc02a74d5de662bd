//! What can happen to a router: a closed set of events, each applied at an instant.

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, ClientId, DialogId, LineId};
use crate::model::{Mode, Workday};
use crate::time::Time;

/// An input to [`crate::Router::handle`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A client starts a dialog on a line; `client` is the CRM client when it is recognised.
    Arrived {
        dialog: DialogId,
        line: LineId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<ClientId>,
    },
    /// The agent takes a dialog offered to them.
    Accepted {
        dialog: DialogId,
        agent: AgentId,
    },
    /// The agent sends a message (taking the dialog first if it was only offered).
    Replied {
        dialog: DialogId,
        agent: AgentId,
    },
    /// The client writes.
    ClientMessage {
        dialog: DialogId,
    },
    /// The agent passes the dialog on to the next agent in the queue.
    Skipped {
        dialog: DialogId,
        agent: AgentId,
    },
    /// Someone transfers the dialog by hand to an agent.
    Transferred {
        dialog: DialogId,
        to: AgentId,
    },
    /// The agent closes the dialog.
    Closed {
        dialog: DialogId,
    },
    MarkedSpam {
        dialog: DialogId,
    },
    /// The client gave up and left (the dialog closes silently).
    ClientLeft {
        dialog: DialogId,
    },
    /// Pin or unpin a dialog to its agent (`imopenlines.session.mode.pin`).
    Pinned {
        dialog: DialogId,
        pinned: bool,
    },
    /// The agent's workday changes in time management.
    Workday {
        agent: AgentId,
        state: Workday,
    },
    /// The agent's own Open Channels pause.
    LinePause {
        agent: AgentId,
        paused: bool,
    },
    /// The agent is active in the messenger (clears an idle mark).
    Activity {
        agent: AgentId,
    },
    /// The messenger marks the agent idle (away).
    Idle {
        agent: AgentId,
    },
    VacationStarted {
        agent: AgentId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Time>,
    },
    VacationEnded {
        agent: AgentId,
    },
    Dismissed {
        agent: AgentId,
    },
    /// The agent is added at the end of a line's queue.
    QueueAdded {
        line: LineId,
        agent: AgentId,
    },
    QueueRemoved {
        line: LineId,
        agent: AgentId,
    },
    ModeChanged {
        line: LineId,
        mode: Mode,
    },
}

impl Event {
    /// The event's type as written in JSON.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Event::Arrived { .. } => "arrived",
            Event::Accepted { .. } => "accepted",
            Event::Replied { .. } => "replied",
            Event::ClientMessage { .. } => "client_message",
            Event::Skipped { .. } => "skipped",
            Event::Transferred { .. } => "transferred",
            Event::Closed { .. } => "closed",
            Event::MarkedSpam { .. } => "marked_spam",
            Event::ClientLeft { .. } => "client_left",
            Event::Pinned { .. } => "pinned",
            Event::Workday { .. } => "workday",
            Event::LinePause { .. } => "line_pause",
            Event::Activity { .. } => "activity",
            Event::Idle { .. } => "idle",
            Event::VacationStarted { .. } => "vacation_started",
            Event::VacationEnded { .. } => "vacation_ended",
            Event::Dismissed { .. } => "dismissed",
            Event::QueueAdded { .. } => "queue_added",
            Event::QueueRemoved { .. } => "queue_removed",
            Event::ModeChanged { .. } => "mode_changed",
        }
    }
}
