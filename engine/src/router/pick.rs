//! Choosing agents: the three Bitrix24 modes over the expanded queue, with an explanation of
//! every candidate when explanations are on. The choice is made the same way with or without
//! them; explaining only adds a pass that writes down each verdict.

use std::collections::BTreeMap;

use super::output::Explained;
use super::state::{Line, ReadyKey, GLOBAL_CAP};
use super::Router;
use crate::eligibility::Skip;
use crate::explain::{Candidate, Decision, Method, Verdict};
use crate::model::Mode;

/// The outcome of a pick.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Chosen {
    Nobody,
    One(u32),
    All(Vec<u32>),
}

impl Chosen {
    pub(crate) fn agents(&self) -> &[u32] {
        match self {
            Chosen::Nobody => &[],
            Chosen::One(a) => std::slice::from_ref(a),
            Chosen::All(all) => all,
        }
    }
}

pub(crate) struct Pick {
    pub chosen: Chosen,
    /// Mode `strictly` went round the whole queue and starts again at the first.
    pub wrapped: bool,
    pub decision: Explained,
}

impl Router {
    /// `isOperatorAvailable`: active, and a free slot unless the agent already holds the dialog.
    pub(crate) fn available(
        &self,
        lix: usize,
        agent: u32,
        holder: Option<u32>,
    ) -> Result<(), Skip> {
        let line = &self.state.lines[lix];
        let a = &self.state.agents[agent as usize];
        a.presence.check(&line.policy, self.now)?;
        if holder == Some(agent) {
            return Ok(());
        }
        if a.open >= GLOBAL_CAP {
            return Err(Skip::GlobalLimit {
                held: a.open,
                limit: GLOBAL_CAP,
            });
        }
        if line.settings.mode != Mode::All {
            let held = line.held_counted(agent);
            let limit = line.limit();
            if held >= limit {
                return Err(Skip::AtLimit {
                    held,
                    limit,
                    counting: line.settings.type_max_chat,
                });
            }
        }
        Ok(())
    }

    /// Picks for a dialog on line `lix` (or for a hypothetical new one when `dialog` is none).
    pub(crate) fn pick(&self, lix: usize, dialog: Option<u32>) -> Pick {
        let line = &self.state.lines[lix];
        let d = dialog.map(|ix| &self.state.dialogs[ix as usize]);
        let holder = d.and_then(|d| d.phase.holder());
        let tried: &[u32] = d.map_or(&[], |d| d.tried.as_slice());
        // Walk the ready index, in the mode's order; the holder, exempt from the limits, may be
        // missing from it and is put in its place.
        let holder_in_queue =
            holder.filter(|&h| line.position[h as usize] != 0 && !line.indexed[h as usize]);
        let extra = holder_in_queue.map(|h| line.ready_key(h));
        let mut walk = merged(line.ready.iter().copied(), extra).map(ReadyKey::agent);
        let ok = |a: u32| self.available(lix, a, holder).is_ok();
        let (chosen, wrapped) = match line.settings.mode {
            Mode::Evenly => {
                let first = walk.find(|&a| ok(a));
                (first.map_or(Chosen::Nobody, Chosen::One), false)
            }
            Mode::Strictly => {
                let mut first_available = None;
                let mut untried = None;
                for a in walk {
                    if ok(a) {
                        first_available.get_or_insert(a);
                        if !tried.contains(&a) {
                            untried = Some(a);
                            break;
                        }
                    }
                }
                match (untried, first_available) {
                    (Some(a), _) => (Chosen::One(a), false),
                    (None, Some(a)) => (Chosen::One(a), true),
                    (None, None) => (Chosen::Nobody, false),
                }
            }
            Mode::All => {
                let all: Vec<u32> = walk.filter(|&a| ok(a)).collect();
                (
                    if all.is_empty() {
                        Chosen::Nobody
                    } else {
                        Chosen::All(all)
                    },
                    false,
                )
            }
        };
        let decision = if self.explain {
            Explained::Full(Box::new(
                self.explain_pick(lix, holder, tried, &chosen, wrapped),
            ))
        } else {
            Explained::Method(method_of(line.settings.mode))
        };
        Pick {
            chosen,
            wrapped,
            decision,
        }
    }

    /// Kept out of line and marked cold: a simulation runs with explanations off, and this
    /// code, inlined, would spread the pick's few hot instructions over many more cache lines.
    #[cold]
    #[inline(never)]
    fn explain_pick(
        &self,
        lix: usize,
        holder: Option<u32>,
        tried: &[u32],
        chosen: &Chosen,
        wrapped: bool,
    ) -> Decision {
        let line = &self.state.lines[lix];
        let mode = line.settings.mode;
        let one = match chosen {
            Chosen::One(a) => Some(*a),
            _ => None,
        };
        let mut skipped: BTreeMap<&'static str, u32> = BTreeMap::new();
        let candidates: Vec<Candidate> = line
            .queue
            .iter()
            .map(|&a| {
                let is_chosen = match chosen {
                    Chosen::One(c) => *c == a,
                    Chosen::All(all) => all.contains(&a),
                    Chosen::Nobody => false,
                };
                let verdict = if is_chosen {
                    Verdict::Chosen
                } else {
                    let reason = match self.available(lix, a, holder) {
                        Err(skip) => skip,
                        Ok(()) => match (mode, one) {
                            (Mode::Strictly, _) if tried.contains(&a) || wrapped => {
                                Skip::AlreadyTried
                            }
                            (Mode::Strictly, Some(c)) => Skip::LaterInQueue {
                                chosen_position: line.position[c as usize],
                            },
                            // A never-assigned agent sorts first, so one left out for another
                            // never-assigned agent is left out for queue order alone.
                            (Mode::Evenly, Some(c)) => match line.stamp[a as usize] {
                                None => Skip::NeverAssignedLaterInQueue {
                                    chosen_position: line.position[c as usize],
                                },
                                Some(mine) => Skip::AssignedMoreRecently {
                                    last_assigned: Some(mine.0),
                                    chosen_last_assigned: line.stamp[c as usize].map(|s| s.0),
                                },
                            },
                            // Unreachable in practice: an available agent is always chosen in `all`.
                            _ => Skip::AlreadyTried,
                        },
                    };
                    *skipped.entry(skip_kind(&reason)).or_default() += 1;
                    Verdict::Skipped { reason }
                };
                let why = match &verdict {
                    Verdict::Chosen if holder == Some(a) => format!(
                        "{}; offered again to the agent who let it lapse, since Bitrix24 does \
                         not leave out the current holder",
                        self.chosen_why(line, a, mode, wrapped)
                    ),
                    Verdict::Chosen => self.chosen_why(line, a, mode, wrapped),
                    Verdict::Skipped { reason } => reason.describe(self.now),
                };
                Candidate {
                    agent: self.state.agents[a as usize].id.clone(),
                    position: line.position[a as usize],
                    verdict,
                    why,
                }
            })
            .collect();
        let chosen_ids = self.ids(chosen.agents());
        let summary = match chosen {
            Chosen::Nobody if line.queue.is_empty() => "nobody: the queue is empty".to_string(),
            Chosen::Nobody => {
                let parts: Vec<String> = skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
                format!("nobody available: {}", parts.join(", "))
            }
            Chosen::One(_) => format!(
                "`{}`: {}",
                chosen_ids[0],
                candidates
                    .iter()
                    .find(|c| c.verdict == Verdict::Chosen)
                    .map(|c| c.why.as_str())
                    .unwrap_or_default()
            ),
            Chosen::All(all) => format!(
                "offered to all {} available of {} in the queue",
                all.len(),
                line.queue.len()
            ),
        };
        Decision {
            method: method_of(mode),
            chosen: chosen_ids,
            candidates,
            summary,
        }
    }

    fn chosen_why(&self, line: &Line, agent: u32, mode: Mode, wrapped: bool) -> String {
        match mode {
            Mode::Evenly => match line.stamp[agent as usize] {
                Some((t, _)) => format!(
                    "available, assigned on this line longest ago ({} ago)",
                    crate::time::human_duration(self.now.since(t))
                ),
                None => "available, never assigned on this line, first of those in queue order"
                    .to_string(),
            },
            Mode::Strictly if wrapped => {
                "every available agent was already tried: back to the first available".to_string()
            }
            Mode::Strictly => "first available in queue order not yet tried".to_string(),
            Mode::All => "available".to_string(),
        }
    }
}

/// A sorted sequence with one more item put in its place.
fn merged<K: Ord + Copy>(
    sorted: impl Iterator<Item = K>,
    extra: Option<K>,
) -> impl Iterator<Item = K> {
    let mut sorted = sorted.peekable();
    let mut extra = extra;
    std::iter::from_fn(move || match (extra, sorted.peek()) {
        (Some(e), Some(&next)) if e < next => extra.take(),
        (Some(_), None) => extra.take(),
        _ => sorted.next(),
    })
}

pub(crate) fn method_of(mode: Mode) -> Method {
    match mode {
        Mode::Evenly => Method::Evenly,
        Mode::Strictly => Method::Strictly,
        Mode::All => Method::All,
    }
}

fn skip_kind(skip: &Skip) -> &'static str {
    match skip {
        Skip::Dismissed => "dismissed",
        Skip::OnVacation { .. } => "on vacation",
        Skip::LinePaused => "paused",
        Skip::Workday { .. } => "not working",
        Skip::Offline { .. } => "offline",
        Skip::AtLimit { .. } => "at limit",
        Skip::GlobalLimit { .. } => "at the global limit",
        Skip::AlreadyTried => "already tried",
        Skip::LaterInQueue { .. } => "later in queue",
        Skip::AssignedMoreRecently { .. } => "assigned more recently",
        Skip::NeverAssignedLaterInQueue { .. } => "later in queue",
    }
}
