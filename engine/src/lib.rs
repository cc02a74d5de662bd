//! Switchboard's routing-rules engine: Bitrix24 Open Channels distribution, reproduced from the
//! product's own queue code, as a pure state machine that explains every decision.
//!
//! The engine does no I/O, reads no clock and draws no random numbers: time comes in with each
//! event, so the same input gives the same output, byte for byte, natively and in wasm.
//!
//! ```
//! use switchboard::{config::parse_json, Config, Event, Router, Time};
//!
//! let config: Config = parse_json(r#"{
//!   "version": 1,
//!   "agents": [{"id": "anna"}, {"id": "boris"}],
//!   "lines": [{"id": "support", "mode": "evenly", "queue": [{"user": "anna"}, {"user": "boris"}]}]
//! }"#).unwrap();
//! let start = Time::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
//! let mut router = Router::new(&config, start).unwrap();
//! let arrived: Event = serde_json::from_str(r#"{"type": "arrived", "dialog": 1, "line": "support"}"#).unwrap();
//! let actions = router.handle(arrived, start);
//! assert_eq!(actions.len(), 1);
//! ```

pub mod action;
pub mod config;
pub mod diagnostic;
pub mod eligibility;
pub mod event;
pub mod explain;
pub mod ids;
pub mod model;
pub mod router;
pub mod scenario;
pub mod sim;
pub mod time;
pub mod validate;
pub mod worktime;
pub mod zone;

pub use action::{Action, ActionKind};
pub use config::Config;
pub use diagnostic::{Diagnostic, Severity};
pub use event::Event;
pub use explain::Decision;
pub use router::Router;
pub use time::Time;
pub use validate::validate;
