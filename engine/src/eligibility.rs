//! Who may receive work right now, and why not. One model serves every mechanism: Open
//! Channels build a [`Policy`] from `CHECK_AVAILABLE`, task flows check absence only, the CRM
//! "change responsible" robot checks absence and a workday that counts a pause as working. The
//! reasons are the same values, so every explanation reads alike.

use serde::Serialize;

use crate::model::{MaxChatType, Workday};
use crate::time::{human_duration, Time};

/// What a mechanism requires of an agent's workday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkdayRule {
    /// The workday does not matter.
    Ignore,
    /// Only an opened workday counts (Open Channels).
    Opened,
    /// Opened or paused counts (the CRM robot's "skip if not working").
    OpenedOrPaused,
}

/// The checks one mechanism makes before it hands an agent work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub absence: bool,
    pub line_pause: bool,
    pub workday: WorkdayRule,
    /// When time tracking is not active on the portal, require the agent to be online instead.
    pub presence: bool,
    pub time_tracking: bool,
    /// (ms)
    pub online_window: i64,
}

impl Policy {
    /// `Queue::isOperatorActive(user, CHECK_AVAILABLE, ignorePause)`.
    #[must_use]
    pub fn open_channels(
        check_available: bool,
        time_tracking: bool,
        online_window: i64,
        ignore_pause: bool,
    ) -> Policy {
        Policy {
            absence: check_available,
            line_pause: check_available,
            workday: match (check_available, ignore_pause) {
                (false, _) => WorkdayRule::Ignore,
                (true, false) => WorkdayRule::Opened,
                (true, true) => WorkdayRule::OpenedOrPaused,
            },
            presence: check_available,
            time_tracking,
            online_window,
        }
    }
}

impl Policy {
    /// The same policy with `ignorePause`: a paused workday counts as working wherever the
    /// workday is checked (`open_channels(.., true)`).
    #[must_use]
    pub fn ignoring_pause(self) -> Policy {
        Policy {
            workday: match self.workday {
                WorkdayRule::Opened => WorkdayRule::OpenedOrPaused,
                rule => rule,
            },
            ..self
        }
    }
}

/// The facts about an agent that availability depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct Presence {
    pub dismissed: bool,
    pub absent: bool,
    pub absent_until: Option<Time>,
    pub line_pause: bool,
    pub workday: Workday,
    pub last_activity: Option<Time>,
    /// The messenger marked the agent idle at this instant (after the last activity).
    pub idle_since: Option<Time>,
}

/// Why an agent was not given a dialog. Carries the data the explanation shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Skip {
    Dismissed,
    OnVacation {
        until: Option<Time>,
    },
    LinePaused,
    Workday {
        state: Workday,
    },
    Offline {
        last_activity: Option<Time>,
        idle_since: Option<Time>,
    },
    AtLimit {
        held: u32,
        limit: u32,
        counting: MaxChatType,
    },
    /// Bitrix24's cap of open dialogs per agent across all lines.
    GlobalLimit {
        held: u32,
        limit: u32,
    },
    /// Mode `strictly`: in the dialog's `QUEUE_HISTORY`: offered it before, or available when
    /// mode `evenly` placed it (which records every available agent).
    AlreadyTried,
    /// Mode `strictly`: available, but the chosen agent comes first in the queue.
    LaterInQueue {
        chosen_position: u32,
    },
    /// Mode `evenly`: available, but assigned a dialog on this line more recently than the chosen one.
    AssignedMoreRecently {
        last_assigned: Option<Time>,
        chosen_last_assigned: Option<Time>,
    },
    /// Mode `evenly`: available and never assigned on this line, as the chosen agent, who comes
    /// first in queue order.
    NeverAssignedLaterInQueue {
        chosen_position: u32,
    },
}

impl Skip {
    /// The reason as a short sentence for people, relative to `now` where time matters.
    #[must_use]
    pub fn describe(&self, now: Time) -> String {
        let ago = |t: Time| format!("{} ago", human_duration(now.since(t)));
        match self {
            Skip::Dismissed => "dismissed".to_string(),
            Skip::OnVacation { until: Some(u) } => format!("on vacation until {u}"),
            Skip::OnVacation { until: None } => "on vacation".to_string(),
            Skip::LinePaused => "paused in Open Channels".to_string(),
            Skip::Workday { state } => format!("workday {}", state.as_str()),
            Skip::Offline {
                idle_since: Some(t),
                ..
            } => format!("offline: idle since {}", ago(*t)),
            Skip::Offline {
                last_activity: Some(t),
                ..
            } => format!("offline: last active {}", ago(*t)),
            Skip::Offline { .. } => "offline: never active".to_string(),
            Skip::AtLimit {
                held,
                limit,
                counting,
            } => format!("at limit {held}/{limit} ({})", counting.as_str()),
            Skip::GlobalLimit { held, limit } => {
                format!("at the portal-wide limit {held}/{limit} open dialogs")
            }
            Skip::AlreadyTried => {
                "already tried: offered it before, or free when mode evenly placed it".to_string()
            }
            Skip::LaterInQueue { chosen_position } => {
                format!("available, but #{chosen_position} comes first in the queue")
            }
            Skip::AssignedMoreRecently {
                last_assigned,
                chosen_last_assigned,
            } => match (last_assigned, chosen_last_assigned) {
                (Some(mine), Some(theirs)) => format!(
                    "assigned {} vs {} for the chosen agent",
                    ago(*mine),
                    ago(*theirs)
                ),
                (Some(mine), None) => format!("assigned {}, the chosen agent never", ago(*mine)),
                (None, _) => "never assigned".to_string(),
            },
            Skip::NeverAssignedLaterInQueue { chosen_position } => format!(
                "never assigned, as the chosen agent, who is #{chosen_position} in the queue"
            ),
        }
    }
}

impl Presence {
    /// True when the messenger counts the agent as online at `at`.
    #[must_use]
    pub fn online(&self, at: Time, window: i64) -> bool {
        match self.last_activity {
            Some(t) => at.since(t) < window && self.idle_since.is_none_or(|idle| t > idle),
            None => false,
        }
    }

    /// True when the agent is on vacation at `at`.
    #[must_use]
    pub fn on_vacation(&self, at: Time) -> bool {
        self.absent && self.absent_until.is_none_or(|until| at < until)
    }

    /// True when [`Presence::check`] fails for a reason that only an event can change, not the
    /// passing of time: dismissal, an open-ended vacation, a line pause, a workday that does not
    /// count as working. Online state and a vacation with an end date change with time alone,
    /// so they never count here. The router keeps agents for whom this is false in its ready
    /// index; `check` still has the last word.
    #[must_use]
    #[inline]
    pub fn blocked_until_event(&self, policy: &Policy) -> bool {
        self.dismissed
            || (policy.absence && self.absent && self.absent_until.is_none())
            || (policy.line_pause && self.line_pause)
            || (policy.time_tracking
                && match (self.workday, policy.workday) {
                    (_, WorkdayRule::Ignore) | (Workday::Untracked | Workday::Opened, _) => false,
                    (Workday::Paused, rule) => rule != WorkdayRule::OpenedOrPaused,
                    (Workday::Closed | Workday::Expired, _) => true,
                })
    }

    /// Checks the agent against a policy in Bitrix24's order; the first failing check wins.
    pub fn check(&self, policy: &Policy, at: Time) -> Result<(), Skip> {
        if self.dismissed {
            return Err(Skip::Dismissed);
        }
        if policy.absence && self.on_vacation(at) {
            return Err(Skip::OnVacation {
                until: self.absent_until,
            });
        }
        if policy.line_pause && self.line_pause {
            return Err(Skip::LinePaused);
        }
        if policy.time_tracking && policy.workday != WorkdayRule::Ignore {
            let working = match self.workday {
                Workday::Untracked | Workday::Opened => true,
                Workday::Paused => policy.workday == WorkdayRule::OpenedOrPaused,
                Workday::Closed | Workday::Expired => false,
            };
            return if working {
                Ok(())
            } else {
                Err(Skip::Workday {
                    state: self.workday,
                })
            };
        }
        if policy.presence && !self.online(at, policy.online_window) {
            return Err(Skip::Offline {
                last_activity: self.last_activity,
                idle_since: self.idle_since,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    fn agent() -> Presence {
        Presence {
            dismissed: false,
            absent: false,
            absent_until: None,
            line_pause: false,
            workday: Workday::Opened,
            last_activity: Some(Time(0)),
            idle_since: None,
        }
    }

    #[test]
    fn dismissal_is_checked_even_without_availability_checks() {
        let off = Policy::open_channels(false, true, 24 * MINUTE, false);
        let mut a = agent();
        a.absent = true;
        assert_eq!(a.check(&off, Time(0)), Ok(()));
        a.dismissed = true;
        assert_eq!(a.check(&off, Time(0)), Err(Skip::Dismissed));
    }

    #[test]
    fn time_tracking_replaces_the_online_check() {
        let mut a = agent();
        a.last_activity = None;
        let tracked = Policy::open_channels(true, true, 24 * MINUTE, false);
        assert_eq!(a.check(&tracked, Time(0)), Ok(()));
        a.workday = Workday::Paused;
        assert_eq!(
            a.check(&tracked, Time(0)),
            Err(Skip::Workday {
                state: Workday::Paused
            })
        );
        let ignore_pause = Policy::open_channels(true, true, 24 * MINUTE, true);
        assert_eq!(tracked.ignoring_pause(), ignore_pause);
        assert_eq!(a.check(&ignore_pause, Time(0)), Ok(()));
        let untracked = Policy::open_channels(true, false, 24 * MINUTE, false);
        assert!(matches!(
            a.check(&untracked, Time(0)),
            Err(Skip::Offline { .. })
        ));
    }

    #[test]
    fn a_lasting_block_fails_the_check_at_any_time() {
        let workdays = [
            Workday::Untracked,
            Workday::Opened,
            Workday::Paused,
            Workday::Closed,
            Workday::Expired,
        ];
        let mut blocked = 0;
        for bits in 0u32..1 << 6 {
            for workday in workdays {
                let a = Presence {
                    dismissed: bits & 1 != 0,
                    absent: bits & 2 != 0,
                    absent_until: (bits & 4 != 0).then_some(Time(10 * MINUTE)),
                    line_pause: bits & 8 != 0,
                    workday,
                    last_activity: Some(Time(0)),
                    idle_since: None,
                };
                let check_available = bits & 16 != 0;
                let time_tracking = bits & 32 != 0;
                for ignore_pause in [false, true] {
                    let policy = Policy::open_channels(
                        check_available,
                        time_tracking,
                        24 * MINUTE,
                        ignore_pause,
                    );
                    if a.blocked_until_event(&policy) {
                        blocked += 1;
                        for at in [0, 5, 10, 30, 600] {
                            assert!(
                                a.check(&policy, Time(at * MINUTE)).is_err(),
                                "{a:?} {policy:?} at {at} min"
                            );
                        }
                    } else if let Err(skip) = a.check(&policy, Time(0)) {
                        assert!(
                            matches!(
                                skip,
                                Skip::Offline { .. } | Skip::OnVacation { until: Some(_) }
                            ),
                            "{a:?} {policy:?} fails for a lasting reason: {skip:?}"
                        );
                    }
                }
            }
        }
        assert!(blocked > 100, "the table covers lasting blocks: {blocked}");
    }

    #[test]
    fn online_window_and_idle_mark() {
        let a = agent();
        assert!(a.online(Time(23 * MINUTE), 24 * MINUTE));
        assert!(!a.online(Time(24 * MINUTE), 24 * MINUTE));
        let idle = Presence {
            idle_since: Some(Time(MINUTE)),
            ..agent()
        };
        assert!(!idle.online(Time(2 * MINUTE), 24 * MINUTE));
    }
}
