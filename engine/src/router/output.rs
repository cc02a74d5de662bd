//! What the router records as it works, and how that becomes the public [`Action`]s.
//!
//! Inside, agents and lines are indexes and a decision is only its method unless explanations
//! are on: the simulator reads these records directly, so that a simulated enquiry costs no
//! id lookups, reference counts or vectors of ids. [`Router::handle`] turns each record into an
//! [`Action`] with the ids of the configuration; the two always say the same thing.

use super::Router;
use crate::action::{Action, ActionKind, Cause, CloseKind, ReturnReason};
use crate::explain::{Candidate, Decision, Method};
use crate::ids::{AgentId, DialogId, LineId};
use crate::model::NoAnswerRule;
use crate::time::Time;

/// The agents an offer went to: one, or everyone available in mode `all`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum To {
    One(u32),
    All(Vec<u32>),
}

impl To {
    pub(crate) fn agents(&self) -> &[u32] {
        match self {
            To::One(a) => std::slice::from_ref(a),
            To::All(all) => all,
        }
    }
}

/// [`Cause`] with agents by index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    NewDialog,
    BotHandOver,
    NotTaken(To),
    Retry,
    Returned(ReturnReason),
    Skipped(u32),
    Transferred(Option<u32>),
}

impl Why {
    /// The dialog moved on from an agent who had it (not taken in time, skipped, returned).
    pub(crate) fn is_forward(&self) -> bool {
        matches!(self, Why::NotTaken(_) | Why::Skipped(_) | Why::Returned(_))
    }
}

/// A decision as recorded: the method alone when explanations are off (the chosen agents are
/// those the record names), the whole decision when they are on.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Explained {
    Method(Method),
    Full(Box<Decision>),
}

/// One record: [`Action`] with agents and lines by index.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Out {
    pub at: Time,
    pub kind: OutKind,
}

/// [`ActionKind`] with agents and lines by index; see there for the meaning of each.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OutKind {
    OffHours {
        dialog: DialogId,
        line: u32,
        text: Option<String>,
    },
    Welcomed {
        dialog: DialogId,
        line: u32,
        hand_over_at: Option<Time>,
    },
    Offered {
        dialog: DialogId,
        line: u32,
        to: To,
        cause: Why,
        deadline: Option<Time>,
        decision: Explained,
    },
    Undistributed {
        dialog: DialogId,
        line: u32,
        cause: Why,
        retry_at: Time,
        decision: Explained,
    },
    Retried {
        dialog: DialogId,
        line: u32,
        count: u64,
        first: Time,
        last: Time,
    },
    Accepted {
        dialog: DialogId,
        agent: u32,
        withdrawn_from: Vec<u32>,
    },
    Requeued {
        dialog: DialogId,
        line: u32,
        from: Option<u32>,
        reason: ReturnReason,
        due: Time,
        notice: bool,
    },
    SkipRefused {
        dialog: DialogId,
        agent: u32,
        why: String,
    },
    NoAnswer {
        dialog: DialogId,
        line: u32,
        rule: NoAnswerRule,
        text: Option<String>,
    },
    Closing {
        dialog: DialogId,
        agent: Option<u32>,
        full_close_at: Time,
    },
    Closed {
        dialog: DialogId,
        how: CloseKind,
        text: Option<String>,
    },
    Rejected {
        event: &'static str,
        reason: String,
    },
}

impl Router {
    /// The public form of a record, with the configuration's ids.
    pub(crate) fn action(&self, out: Out) -> Action {
        let agent = |a: u32| self.agent_id(a);
        let line = |l: u32| self.line_id(l);
        let cause = |why: Why| match why {
            Why::NewDialog => Cause::NewDialog,
            Why::BotHandOver => Cause::BotHandOver,
            Why::NotTaken(to) => Cause::NotTaken {
                previous: self.ids(to.agents()),
            },
            Why::Retry => Cause::Retry,
            Why::Returned(reason) => Cause::Returned { reason },
            Why::Skipped(by) => Cause::Skipped { by: agent(by) },
            Why::Transferred(from) => Cause::Transferred {
                from: from.map(agent),
            },
        };
        let kind = match out.kind {
            OutKind::OffHours {
                dialog,
                line: l,
                text,
            } => ActionKind::OffHours {
                dialog,
                line: line(l),
                text,
            },
            OutKind::Welcomed {
                dialog,
                line: l,
                hand_over_at,
            } => ActionKind::Welcomed {
                dialog,
                line: line(l),
                hand_over_at,
            },
            OutKind::Offered {
                dialog,
                line: l,
                to,
                cause: why,
                deadline,
                decision: explained,
            } => ActionKind::Offered {
                dialog,
                line: line(l),
                to: self.ids(to.agents()),
                cause: cause(why),
                deadline,
                decision: self.decision(explained, to.agents()),
            },
            OutKind::Undistributed {
                dialog,
                line: l,
                cause: why,
                retry_at,
                decision: explained,
            } => ActionKind::Undistributed {
                dialog,
                line: line(l),
                cause: cause(why),
                retry_at,
                decision: self.decision(explained, &[]),
            },
            OutKind::Retried {
                dialog,
                line: l,
                count,
                first,
                last,
            } => ActionKind::Retried {
                dialog,
                line: line(l),
                count,
                first,
                last,
            },
            OutKind::Accepted {
                dialog,
                agent: a,
                withdrawn_from,
            } => ActionKind::Accepted {
                dialog,
                agent: agent(a),
                withdrawn_from: self.ids(&withdrawn_from),
            },
            OutKind::Requeued {
                dialog,
                line: l,
                from,
                reason,
                due,
                notice,
            } => ActionKind::Requeued {
                dialog,
                line: line(l),
                from: from.map(agent),
                reason,
                due,
                notice,
            },
            OutKind::SkipRefused {
                dialog,
                agent: a,
                why,
            } => ActionKind::SkipRefused {
                dialog,
                agent: agent(a),
                why,
            },
            OutKind::NoAnswer {
                dialog,
                line: l,
                rule,
                text,
            } => ActionKind::NoAnswer {
                dialog,
                line: line(l),
                rule,
                text,
            },
            OutKind::Closing {
                dialog,
                agent: a,
                full_close_at,
            } => ActionKind::Closing {
                dialog,
                agent: a.map(agent),
                full_close_at,
            },
            OutKind::Closed { dialog, how, text } => ActionKind::Closed { dialog, how, text },
            OutKind::Rejected { event, reason } => ActionKind::Rejected {
                event: event.to_string(),
                reason,
            },
        };
        Action { at: out.at, kind }
    }

    /// A decision of `method` that chose `chosen`: the method alone when explanations are off,
    /// else the whole decision with the candidates and summary `explain` writes.
    #[inline]
    pub(super) fn explained(
        &self,
        method: Method,
        chosen: &[u32],
        explain: impl FnOnce() -> (Vec<Candidate>, String),
    ) -> Explained {
        if self.explain {
            self.explained_in_full(method, chosen, explain)
        } else {
            Explained::Method(method)
        }
    }

    /// The whole decision, out of line and cold as [`Router::explain_pick`] is: the formatting
    /// would otherwise sit between the hot instructions of every caller.
    #[cold]
    #[inline(never)]
    fn explained_in_full(
        &self,
        method: Method,
        chosen: &[u32],
        explain: impl FnOnce() -> (Vec<Candidate>, String),
    ) -> Explained {
        let (candidates, summary) = explain();
        Explained::Full(Box::new(Decision {
            method,
            chosen: self.ids(chosen),
            candidates,
            summary,
        }))
    }

    /// The public form of a decision that chose `chosen`.
    pub(crate) fn decision(&self, explained: Explained, chosen: &[u32]) -> Decision {
        match explained {
            Explained::Full(decision) => *decision,
            Explained::Method(method) => Decision {
                method,
                chosen: self.ids(chosen),
                candidates: Vec::new(),
                summary: String::new(),
            },
        }
    }

    pub(crate) fn ids(&self, agents: &[u32]) -> Vec<AgentId> {
        agents.iter().map(|&a| self.agent_id(a)).collect()
    }

    pub(super) fn agent_id(&self, agent: u32) -> AgentId {
        self.state.agents[agent as usize].id.clone()
    }

    pub(super) fn line_id(&self, line: u32) -> LineId {
        self.state.lines[line as usize].id.clone()
    }
}
