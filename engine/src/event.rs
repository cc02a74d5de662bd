//! What can happen to a router: a closed set of events, each applied at an instant.

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, ClientId, DialogId, LineId};
use crate::model::{Mode, Workday};
use crate::time::Time;

/// An input to [`crate::Router::handle`].
///
/// Read by [`read`]: one flat object, whose `type` must be text (a tagged enum's
/// reader would also take the variant's number) and whose other fields must belong to that type.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
        self.kind().name()
    }

    #[must_use]
    pub fn kind(&self) -> Kind {
        match self {
            Event::Arrived { .. } => Kind::Arrived,
            Event::Accepted { .. } => Kind::Accepted,
            Event::Replied { .. } => Kind::Replied,
            Event::ClientMessage { .. } => Kind::ClientMessage,
            Event::Skipped { .. } => Kind::Skipped,
            Event::Transferred { .. } => Kind::Transferred,
            Event::Closed { .. } => Kind::Closed,
            Event::MarkedSpam { .. } => Kind::MarkedSpam,
            Event::ClientLeft { .. } => Kind::ClientLeft,
            Event::Pinned { .. } => Kind::Pinned,
            Event::Workday { .. } => Kind::Workday,
            Event::LinePause { .. } => Kind::LinePause,
            Event::Activity { .. } => Kind::Activity,
            Event::Idle { .. } => Kind::Idle,
            Event::VacationStarted { .. } => Kind::VacationStarted,
            Event::VacationEnded { .. } => Kind::VacationEnded,
            Event::Dismissed { .. } => Kind::Dismissed,
            Event::QueueAdded { .. } => Kind::QueueAdded,
            Event::QueueRemoved { .. } => Kind::QueueRemoved,
            Event::ModeChanged { .. } => Kind::ModeChanged,
        }
    }
}

/// An event's type, read from text only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Arrived,
    Accepted,
    Replied,
    ClientMessage,
    Skipped,
    Transferred,
    Closed,
    MarkedSpam,
    ClientLeft,
    Pinned,
    Workday,
    LinePause,
    Activity,
    Idle,
    VacationStarted,
    VacationEnded,
    Dismissed,
    QueueAdded,
    QueueRemoved,
    ModeChanged,
}

/// Every field any event has, as read; [`read`] checks which belong to its type. `at` is here
/// so that a scenario's timed event is read in the same single pass.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFields {
    #[serde(default, deserialize_with = "instant_text")]
    at: Option<String>,
    #[serde(rename = "type")]
    kind: Option<Kind>,
    dialog: Option<DialogId>,
    line: Option<LineId>,
    client: Option<ClientId>,
    agent: Option<AgentId>,
    to: Option<AgentId>,
    pinned: Option<bool>,
    paused: Option<bool>,
    state: Option<Workday>,
    until: Option<Time>,
    mode: Option<Mode>,
}

/// `at` must be text; says what text.
fn instant_text<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    struct Text;
    impl serde::de::Visitor<'_> for Text {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string: an instant or an offset like `+90s`")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
    }
    de.deserialize_str(Text)
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Event, D::Error> {
        read(de, false).map(|(_, event)| event)
    }
}

/// Reads an event as an object (never as an array, which a derived reader would also take),
/// with its `at` when `timed` (a scenario's events) and without it otherwise, and checks its
/// fields while the reader still stands in the object, so that an error's place is the event.
pub fn read<'de, D: serde::Deserializer<'de>>(
    de: D,
    timed: bool,
) -> Result<(String, Event), D::Error> {
    struct Object {
        timed: bool,
    }
    impl<'de> serde::de::Visitor<'de> for Object {
        type Value = (String, Event);
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an event: an object with `type`")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            use serde::de::Error;
            let mut fields =
                EventFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            let at = match (fields.at.take(), self.timed) {
                (Some(at), true) => at,
                (None, true) => return Err(A::Error::custom("missing field `at`")),
                (None, false) => String::new(),
                (Some(_), false) => {
                    return Err(A::Error::custom(
                        "unknown field `at`: an event here has no time of its own",
                    ))
                }
            };
            Ok((at, fields.into_event().map_err(A::Error::custom)?))
        }
    }
    de.deserialize_map(Object { timed })
}

impl EventFields {
    /// The event these fields make: each field its type needs, and none it does not.
    fn into_event(mut self) -> Result<Event, String> {
        let kind = self.kind.ok_or("missing field `type`")?;
        let name = kind.name();
        fn need<T>(slot: &mut Option<T>, field: &str, name: &str) -> Result<T, String> {
            slot.take()
                .ok_or_else(|| format!("missing field `{field}`, which `{name}` needs"))
        }
        let s = &mut self;
        let event = match kind {
            Kind::Arrived => Event::Arrived {
                dialog: need(&mut s.dialog, "dialog", name)?,
                line: need(&mut s.line, "line", name)?,
                client: s.client.take(),
            },
            Kind::Accepted => Event::Accepted {
                dialog: need(&mut s.dialog, "dialog", name)?,
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::Replied => Event::Replied {
                dialog: need(&mut s.dialog, "dialog", name)?,
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::ClientMessage => Event::ClientMessage {
                dialog: need(&mut s.dialog, "dialog", name)?,
            },
            Kind::Skipped => Event::Skipped {
                dialog: need(&mut s.dialog, "dialog", name)?,
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::Transferred => Event::Transferred {
                dialog: need(&mut s.dialog, "dialog", name)?,
                to: need(&mut s.to, "to", name)?,
            },
            Kind::Closed => Event::Closed {
                dialog: need(&mut s.dialog, "dialog", name)?,
            },
            Kind::MarkedSpam => Event::MarkedSpam {
                dialog: need(&mut s.dialog, "dialog", name)?,
            },
            Kind::ClientLeft => Event::ClientLeft {
                dialog: need(&mut s.dialog, "dialog", name)?,
            },
            Kind::Pinned => Event::Pinned {
                dialog: need(&mut s.dialog, "dialog", name)?,
                pinned: need(&mut s.pinned, "pinned", name)?,
            },
            Kind::Workday => Event::Workday {
                agent: need(&mut s.agent, "agent", name)?,
                state: need(&mut s.state, "state", name)?,
            },
            Kind::LinePause => Event::LinePause {
                agent: need(&mut s.agent, "agent", name)?,
                paused: need(&mut s.paused, "paused", name)?,
            },
            Kind::Activity => Event::Activity {
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::Idle => Event::Idle {
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::VacationStarted => Event::VacationStarted {
                agent: need(&mut s.agent, "agent", name)?,
                until: s.until.take(),
            },
            Kind::VacationEnded => Event::VacationEnded {
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::Dismissed => Event::Dismissed {
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::QueueAdded => Event::QueueAdded {
                line: need(&mut s.line, "line", name)?,
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::QueueRemoved => Event::QueueRemoved {
                line: need(&mut s.line, "line", name)?,
                agent: need(&mut s.agent, "agent", name)?,
            },
            Kind::ModeChanged => Event::ModeChanged {
                line: need(&mut s.line, "line", name)?,
                mode: need(&mut s.mode, "mode", name)?,
            },
        };
        // Whatever is left was not taken by the type.
        let left = [
            ("dialog", s.dialog.is_some()),
            ("line", s.line.is_some()),
            ("client", s.client.is_some()),
            ("agent", s.agent.is_some()),
            ("to", s.to.is_some()),
            ("pinned", s.pinned.is_some()),
            ("paused", s.paused.is_some()),
            ("state", s.state.is_some()),
            ("until", s.until.is_some()),
            ("mode", s.mode.is_some()),
        ];
        if let Some((field, _)) = left.iter().find(|(_, set)| *set) {
            return Err(format!(
                "field `{field}` does not belong to a `{name}` event"
            ));
        }
        Ok(event)
    }
}

impl Kind {
    /// The type as written in JSON.
    #[must_use]
    pub fn name(self) -> &'static str {
        KIND_NAMES[self as usize]
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Kind, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = Kind;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an event type, a string such as `arrived`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Kind, E> {
                KIND_NAMES
                    .iter()
                    .position(|name| *name == v)
                    .map(|ix| KINDS[ix])
                    .ok_or_else(|| E::unknown_variant(v, &KIND_NAMES))
            }
        }
        de.deserialize_str(Name)
    }
}

/// Every kind, in declaration order, so that `KINDS[k as usize] == k`.
const KINDS: [Kind; 20] = [
    Kind::Arrived,
    Kind::Accepted,
    Kind::Replied,
    Kind::ClientMessage,
    Kind::Skipped,
    Kind::Transferred,
    Kind::Closed,
    Kind::MarkedSpam,
    Kind::ClientLeft,
    Kind::Pinned,
    Kind::Workday,
    Kind::LinePause,
    Kind::Activity,
    Kind::Idle,
    Kind::VacationStarted,
    Kind::VacationEnded,
    Kind::Dismissed,
    Kind::QueueAdded,
    Kind::QueueRemoved,
    Kind::ModeChanged,
];

/// In [`Kind`]'s order.
const KIND_NAMES: [&str; 20] = [
    "arrived",
    "accepted",
    "replied",
    "client_message",
    "skipped",
    "transferred",
    "closed",
    "marked_spam",
    "client_left",
    "pinned",
    "workday",
    "line_pause",
    "activity",
    "idle",
    "vacation_started",
    "vacation_ended",
    "dismissed",
    "queue_added",
    "queue_removed",
    "mode_changed",
];
