//! Read-only views of the router's state, with ids instead of internal indexes.

use serde::Serialize;

use super::state::Phase;
use super::Router;
use crate::action::{CloseKind, ReturnReason};
use crate::eligibility::Presence;
use crate::explain::Decision;
use crate::ids::{AgentId, ClientId, DialogId, LineId};
use crate::model::{LineSettings, Mode};
use crate::time::Time;

/// A dialog as the outside sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DialogView {
    pub id: DialogId,
    pub line: LineId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientId>,
    /// `with_bot`, `queued`, `offered`, `answered`, `waiting_for_client`, `client_replied`,
    /// `closing` or `closed`.
    pub phase: &'static str,
    /// Bitrix24's status code for the phase.
    pub status: u8,
    /// The agent holding it, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentId>,
    /// Agents it is offered to (one, or several in mode `all`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered_to: Vec<AgentId>,
    pub undistributed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tried: Vec<AgentId>,
    pub pinned: bool,
    pub from_crm: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_reason: Option<ReturnReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<CloseKind>,
    pub arrived_at: Time,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_due: Option<Time>,
}

/// An agent's state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentView {
    pub id: AgentId,
    pub name: String,
    #[serde(skip)]
    pub presence: Presence,
    /// Open dialogs held across all lines.
    pub open: u32,
}

/// A line's state.
#[derive(Clone, Debug, PartialEq)]
pub struct LineView {
    pub id: LineId,
    pub name: String,
    pub mode: Mode,
    pub settings: LineSettings,
    pub queue: Vec<AgentId>,
    /// Per queue agent: dialogs counted toward `max_chat` under the line's rule.
    pub counted: Vec<u32>,
    pub waiting: Vec<DialogId>,
}

impl Router {
    /// Every dialog, in arrival order.
    #[must_use]
    pub fn dialogs(&self) -> Vec<DialogView> {
        (0..self.state.dialogs.len() as u32)
            .filter(|&ix| self.state.is_live(ix))
            .map(|ix| self.dialog_view(ix))
            .collect()
    }

    /// One dialog by id.
    #[must_use]
    pub fn dialog(&self, id: DialogId) -> Option<DialogView> {
        self.state.by_id.get(&id).map(|&ix| self.dialog_view(ix))
    }

    fn dialog_view(&self, ix: u32) -> DialogView {
        let d = &self.state.dialogs[ix as usize];
        let name = |a: &u32| self.state.agents[*a as usize].id.clone();
        DialogView {
            id: d.id,
            line: self.state.lines[d.line as usize].id.clone(),
            client: d.client.clone(),
            phase: d.phase.name(),
            status: d.phase.status(),
            agent: d.phase.holder().map(|a| name(&a)),
            offered_to: match &d.phase {
                Phase::Offered(a) => vec![name(a)],
                Phase::OfferedAll => d.offered_all.iter().map(name).collect(),
                _ => Vec::new(),
            },
            undistributed: d.phase == Phase::Queued,
            tried: d.tried.iter().map(name).collect(),
            pinned: d.pinned,
            from_crm: d.from_crm,
            return_reason: d.return_reason,
            closed: match d.phase {
                Phase::Closed(how) => Some(how),
                _ => None,
            },
            arrived_at: d.arrived_at,
            queue_due: d.queue_due,
        }
    }

    /// Every agent, in configuration order.
    #[must_use]
    pub fn agents(&self) -> Vec<AgentView> {
        self.state
            .agents
            .iter()
            .map(|a| AgentView {
                id: a.id.clone(),
                name: a.name.clone(),
                presence: a.presence.clone(),
                open: a.open,
            })
            .collect()
    }

    /// Every line, in configuration order.
    #[must_use]
    pub fn lines(&self) -> Vec<LineView> {
        self.state
            .lines
            .iter()
            .map(|l| LineView {
                id: l.id.clone(),
                name: l.name.clone(),
                mode: l.settings.mode,
                settings: l.settings.clone(),
                queue: l
                    .queue
                    .iter()
                    .map(|&a| self.state.agents[a as usize].id.clone())
                    .collect(),
                counted: l.queue.iter().map(|&a| l.held_counted(a)).collect(),
                waiting: self.waiting_on(l),
            })
            .collect()
    }

    /// The undistributed dialogs waiting on `line`, oldest first; none for an unknown line.
    #[must_use]
    pub fn waiting(&self, line: &LineId) -> Vec<DialogId> {
        self.line_ix.get(line).map_or_else(Vec::new, |&lix| {
            self.waiting_on(&self.state.lines[lix as usize])
        })
    }

    fn waiting_on(&self, line: &super::state::Line) -> Vec<DialogId> {
        line.waiting_dialogs()
            .map(|d| self.state.dialogs[d as usize].id)
            .collect()
    }

    /// Who would get a new dialog on `line` now, and why, without changing anything.
    #[must_use]
    pub fn preview(&self, line: &LineId) -> Option<Decision> {
        let lix = *self.line_ix.get(line)? as usize;
        let pick = self.pick(lix, None);
        Some(self.decision(pick.decision, pick.chosen.agents()))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::parse_json;
    use crate::event::Event;
    use crate::ids::{DialogId, LineId};
    use crate::{Config, Router, Time};

    #[test]
    fn each_line_lists_only_its_own_waiting_dialogs() {
        let config: Config = parse_json(
            r#"{"version": 1,
                "agents": [{"id": "anna", "line_pause": true}, {"id": "boris", "line_pause": true}],
                "lines": [{"id": "sales", "check_available": true, "queue": [{"user": "anna"}]},
                          {"id": "support", "check_available": true, "queue": [{"user": "boris"}]}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let start = Time::parse_rfc3339("2026-03-02T09:00:00Z").unwrap_or_default();
        let Ok(mut router) = Router::new(&config, start) else {
            panic!("the configuration is valid");
        };
        for (dialog, line) in [(1, "support"), (2, "sales"), (3, "support")] {
            let arrived = Event::Arrived {
                dialog: DialogId(dialog),
                line: LineId::new(line),
                client: None,
            };
            router.handle(arrived, start);
        }
        assert_eq!(
            router.waiting(&LineId::new("support")),
            [DialogId(1), DialogId(3)]
        );
        assert_eq!(router.waiting(&LineId::new("sales")), [DialogId(2)]);
        assert!(router.waiting(&LineId::new("nowhere")).is_empty());
    }
}
