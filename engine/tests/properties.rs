//! Invariants over random event sequences (every kind of event, transfers and dismissals
//! included): no agent is offered more than its limit allows, no ineligible agent is chosen,
//! the choice is the one a scan of the whole queue makes, every dialog is in exactly one
//! state, and the actions do not depend on how time is advanced.

use proptest::prelude::*;
use switchboard::action::{ActionKind, Cause};
use switchboard::eligibility::Skip;
use switchboard::event::Event;
use switchboard::explain::{Decision, Method, Verdict};
use switchboard::ids::{AgentId, DialogId, LineId};
use switchboard::model::{Mode, Workday};
use switchboard::time::{Time, SECOND};
use switchboard::{Config, Router};

const AGENTS: [&str; 4] = ["anna", "boris", "carla", "dmitri"];
const START: i64 = 1_772_442_000_000; // 2026-03-02T09:00:00Z

#[derive(Clone, Debug)]
struct Setup {
    modes: [Mode; 2],
    max_chat: [u32; 2],
    type_max_chat: [&'static str; 2],
    check_available: [bool; 2],
    time_tracking: bool,
    runner_period: u32,
}

fn setup() -> impl Strategy<Value = Setup> {
    let mode = prop_oneof![Just(Mode::Evenly), Just(Mode::Strictly), Just(Mode::All)];
    let kind = prop_oneof![Just("answered_new"), Just("answered"), Just("closed")];
    (
        mode.clone(),
        mode,
        0u32..4,
        0u32..4,
        kind.clone(),
        kind,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(0u32), Just(60)],
    )
        .prop_map(|(m0, m1, c0, c1, t0, t1, a0, a1, tt, rp)| Setup {
            modes: [m0, m1],
            max_chat: [c0, c1],
            type_max_chat: [t0, t1],
            check_available: [a0, a1],
            time_tracking: tt,
            runner_period: rp,
        })
}

fn config(s: &Setup) -> Config {
    let lines: Vec<serde_json::Value> = (0..2)
        .map(|i| {
            serde_json::json!({
                "id": format!("l{i}"),
                "mode": s.modes[i],
                "max_chat": s.max_chat[i],
                "type_max_chat": s.type_max_chat[i],
                "check_available": s.check_available[i],
                "queue_time": 60,
                "no_answer_time": 120,
                "crm_forward": true,
                "queue": if i == 0 {
                    serde_json::json!([{"user": "anna"}, {"user": "boris"}, {"user": "carla"}])
                } else {
                    serde_json::json!([{"user": "carla"}, {"user": "dmitri"}])
                },
            })
        })
        .collect();
    let agents: Vec<serde_json::Value> = AGENTS
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({
                "id": a,
                "workday": if i % 2 == 0 { "opened" } else { "untracked" },
                "last_activity": Time(START).to_string(),
                "crm_clients": if i == 3 { vec!["acme"] } else { vec![] },
            })
        })
        .collect();
    let doc = serde_json::json!({
        "version": 1,
        "portal": { "time_tracking": s.time_tracking, "runner_period": s.runner_period, "online_window": 600 },
        "agents": agents,
        "lines": lines,
    });
    serde_json::from_value(doc).expect("generated config parses")
}

/// Turns raw numbers into a timed event; dialog ids refer to earlier arrivals.
fn event(kind: u8, a: u32, b: u32, next_dialog: &mut u64) -> Event {
    let agent = AgentId::new(AGENTS[(a % 4) as usize]);
    let dialog = DialogId(u64::from(b) % (*next_dialog).max(1) + 1);
    let line = LineId::new(if b % 2 == 0 { "l0" } else { "l1" });
    // The kinds added last take the top of the range, so that the saved regression cases
    // (`properties.proptest-regressions`) still make the events they were saved with.
    if kind >= 240 {
        return match kind {
            240..=245 => Event::Transferred { dialog, to: agent },
            246..=249 => Event::MarkedSpam { dialog },
            // Dismissal is for good: rarely, or few agents would be left to route to.
            _ if b % 4 == 0 => Event::Dismissed { agent },
            _ => Event::VacationStarted {
                agent,
                until: Some(Time(START).plus(i64::from(b % 7200) * SECOND)),
            },
        };
    }
    match kind % 20 {
        0..=4 => {
            *next_dialog += 1;
            let client = (a % 5 == 0).then(|| switchboard::ids::ClientId::new("acme"));
            Event::Arrived {
                dialog: DialogId(*next_dialog),
                line,
                client,
            }
        }
        5 | 6 => Event::Accepted { dialog, agent },
        7 | 8 => Event::Replied { dialog, agent },
        9 => Event::ClientMessage { dialog },
        10 => Event::Skipped { dialog, agent },
        11 => Event::Closed { dialog },
        12 => Event::ClientLeft { dialog },
        13 => Event::Workday {
            agent,
            state: [Workday::Opened, Workday::Paused, Workday::Closed][(b % 3) as usize],
        },
        14 => Event::LinePause {
            agent,
            paused: b % 2 == 0,
        },
        15 => {
            if b % 2 == 0 {
                Event::Activity { agent }
            } else {
                Event::Idle { agent }
            }
        }
        16 => {
            if b % 2 == 0 {
                Event::VacationStarted { agent, until: None }
            } else {
                Event::VacationEnded { agent }
            }
        }
        17 => {
            if b % 2 == 0 {
                Event::QueueRemoved { line, agent }
            } else {
                Event::QueueAdded { line, agent }
            }
        }
        18 => Event::ModeChanged {
            line,
            mode: [Mode::Evenly, Mode::Strictly, Mode::All][(a % 3) as usize],
        },
        _ => Event::Pinned {
            dialog,
            pinned: b % 2 == 0,
        },
    }
}

fn events(raw: &[(u32, u8, u32, u32)]) -> Vec<(Time, Event)> {
    let mut next = 0;
    let mut t = START;
    raw.iter()
        .map(|&(dt, kind, a, b)| {
            t += i64::from(dt) * SECOND;
            (Time(t), event(kind, a, b, &mut next))
        })
        .collect()
}

/// An independent statement of Open Channels' availability rule.
fn eligible(router: &Router, s: &Setup, line: usize, agent: &AgentId, at: Time) -> bool {
    let view = router
        .agents()
        .into_iter()
        .find(|a| &a.id == agent)
        .expect("agent exists");
    let p = &view.presence;
    if p.dismissed {
        return false;
    }
    if !s.check_available[line] {
        return true;
    }
    let on_vacation = p.absent && p.absent_until.is_none_or(|u| at < u);
    if on_vacation || p.line_pause {
        return false;
    }
    if s.time_tracking {
        return matches!(p.workday, Workday::Opened | Workday::Untracked);
    }
    p.last_activity
        .is_some_and(|t| at.since(t) < 600 * SECOND && p.idle_since.is_none_or(|i| t > i))
}

fn counted(router: &Router, line: &str, agent: &AgentId, kind: &str) -> u32 {
    let limit = match kind {
        "answered_new" => 25,
        "answered" => 40,
        _ => 50,
    };
    router
        .dialogs()
        .iter()
        .filter(|d| d.line.as_str() == line && d.agent.as_ref() == Some(agent) && d.status < limit)
        .count() as u32
}

/// The pick walks an index of ready agents; the explanation judges every queue member on its
/// own. They must agree: nobody the explanation finds available may come before the chosen
/// agent in the mode's order, and with nobody chosen, nobody may be available at all.
fn agrees_with_full_scan(decision: &Decision) -> Result<(), String> {
    let chosen = decision
        .candidates
        .iter()
        .find(|c| c.verdict == Verdict::Chosen);
    for c in &decision.candidates {
        let Verdict::Skipped { reason } = &c.verdict else {
            continue;
        };
        let wrong = match (reason, chosen) {
            (Skip::LaterInQueue { .. }, Some(ch)) => c.position < ch.position,
            (
                Skip::AssignedMoreRecently {
                    last_assigned,
                    chosen_last_assigned,
                },
                Some(ch),
            ) => {
                last_assigned < chosen_last_assigned
                    || (last_assigned.is_none()
                        && chosen_last_assigned.is_none()
                        && c.position < ch.position)
            }
            (Skip::LaterInQueue { .. } | Skip::AssignedMoreRecently { .. }, None) => true,
            (Skip::AlreadyTried, None) => decision.method != Method::Strictly,
            _ => false,
        };
        if wrong {
            return Err(format!(
                "`{}` ({}) should have come first: {:?}",
                c.agent, c.why, decision.summary
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(s in setup(), raw in prop::collection::vec((0u32..90, any::<u8>(), any::<u32>(), any::<u32>()), 1..80)) {
        let config = config(&s);
        let mut router = Router::new(&config, Time(START)).expect("valid");
        for (i, (at, event)) in events(&raw).into_iter().enumerate() {
            // Timers first, so that each check sees the state the decision saw.
            router.advance_to(at);
            // Now and then forget the closed dialogs, as the simulator does; their slots are
            // reused by later arrivals.
            if i % 3 == 2 {
                for d in router.dialogs().into_iter().filter(|d| d.phase == "closed") {
                    prop_assert!(router.forget(d.id));
                }
            }
            let holders: Vec<_> = router.dialogs().into_iter().map(|d| (d.id, d.agent)).collect();
            let actions = router.handle(event, at);
            // A mode change applies before the distributions it triggers.
            let modes: Vec<Mode> = router.lines().iter().map(|l| l.mode).collect();
            let problems = router.consistency_problems();
            prop_assert!(problems.is_empty(), "{problems:?}");
            for action in &actions {
                if let ActionKind::Offered { decision, .. } | ActionKind::Undistributed { decision, .. } = &action.kind {
                    if let Err(e) = agrees_with_full_scan(decision) {
                        prop_assert!(false, "{e}");
                    }
                }
                let ActionKind::Offered { dialog, line, to, cause, decision, .. } = &action.kind else { continue };
                if decision.method == Method::CrmForward || matches!(cause, Cause::Transferred { .. }) {
                    continue;
                }
                let l = if line.as_str() == "l0" { 0 } else { 1 };
                let held_before = holders.iter().find(|(id, _)| id == dialog).and_then(|(_, h)| h.clone());
                for agent in to {
                    prop_assert!(eligible(&router, &s, l, agent, action.at), "ineligible {agent} chosen for {dialog} at {}", action.at);
                    let limited = modes[l] != Mode::All && s.max_chat[l] > 0 && held_before.as_ref() != Some(agent);
                    if limited {
                        let held = counted(&router, line.as_str(), agent, s.type_max_chat[l]);
                        prop_assert!(held <= s.max_chat[l], "{agent} holds {held} > {} on {line}: {}\n{:#?}", s.max_chat[l], serde_json::to_string(&actions).unwrap_or_default(), router.dialogs());
                    }
                }
            }
        }
        // Every arrived dialog is known exactly once.
        let ids: Vec<u64> = router.dialogs().iter().map(|d| d.id.0).collect();
        let mut sorted = ids.clone();
        sorted.dedup();
        prop_assert_eq!(ids, sorted);
    }

    #[test]
    fn advancing_in_steps_changes_nothing(s in setup(), raw in prop::collection::vec((0u32..200, any::<u8>(), any::<u32>(), any::<u32>()), 1..60), cuts in prop::collection::vec(0u32..200, 0..40)) {
        let config = config(&s);
        let events = events(&raw);
        let mut one = Router::new(&config, Time(START)).expect("valid");
        let mut many = Router::new(&config, Time(START)).expect("valid");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut cut = cuts.iter();
        for (at, event) in &events {
            a.extend(one.handle(event.clone(), *at));
            // Advance the second router in small steps up to the event.
            let mut t = many.now();
            for step in cut.by_ref() {
                t = t.plus(i64::from(*step) * SECOND);
                if t >= *at { break; }
                b.extend(many.advance_to(t));
            }
            b.extend(many.handle(event.clone(), *at));
        }
        let end = events.last().map_or(Time(START), |e| e.0).plus(3600 * SECOND);
        a.extend(one.advance_to(end));
        for step in 1..=6 {
            b.extend(many.advance_to(end.plus(-(6 - step) * 600 * SECOND)));
        }
        let (a, a_retries) = crate::with_retries_summed(&a);
        let (b, b_retries) = crate::with_retries_summed(&b);
        let json = |v: &Vec<switchboard::Action>| serde_json::to_string(v).expect("serializes");
        prop_assert_eq!(json(&a), json(&b));
        prop_assert_eq!(a_retries, b_retries);
    }

    #[test]
    fn counted_retries_are_the_retries_made(s in setup(), raw in prop::collection::vec((0u32..200, any::<u8>(), any::<u32>(), any::<u32>()), 1..60), days in 0i64..3) {
        // The same run with every retry made: apart from retries, the same actions in the
        // same order, and as many retries that found nobody as were made and counted.
        let config = config(&s);
        let events = events(&raw);
        let mut counted = Router::new(&config, Time(START)).expect("valid");
        let mut made = Router::new(&config, Time(START)).expect("valid");
        made.make_every_retry();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (at, event) in &events {
            a.extend(counted.handle(event.clone(), *at));
            b.extend(made.handle(event.clone(), *at));
        }
        let end = events.last().map_or(Time(START), |e| e.0).plus(3600 * SECOND + days * 86_400 * SECOND);
        a.extend(counted.advance_to(end));
        b.extend(made.advance_to(end));
        let is_retry = |x: &switchboard::Action| matches!(&x.kind, switchboard::ActionKind::Undistributed { cause: switchboard::action::Cause::Retry, .. });
        let (a, retries) = crate::with_retries_summed(&a);
        let counted_total: u64 = retries.values().map(|r| r.0).sum::<u64>() + a.iter().filter(|x| is_retry(x)).count() as u64;
        let made_total = b.iter().filter(|x| is_retry(x)).count() as u64;
        prop_assert_eq!(counted_total, made_total);
        let others = |v: &[switchboard::Action]| v.iter().filter(|x| !is_retry(x)).map(|x| serde_json::to_string(x).expect("serializes")).collect::<Vec<_>>();
        prop_assert_eq!(others(&a), others(&b));
        prop_assert_eq!(counted.dialogs(), made.dialogs());
    }
}
