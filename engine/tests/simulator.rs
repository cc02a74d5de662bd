//! The simulator against queueing theory (Erlang C and Erlang A, the published cases in
//! `erlang-oracle.md`), determinism, the same report natively and in wasm, and diagnostics for
//! impossible scenarios.

use switchboard::scenario::parse;
use switchboard::sim::report::Report;
use switchboard::sim::Simulation;

use crate::scenarios_embedded::{SIMULATIONS, SIMULATION_REPORTS};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn file(name: &str) -> &'static str {
    SIMULATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no simulation file {name}"))
}

fn run(name: &str, seed: Option<u64>) -> Report {
    let scenario = parse(file(name)).unwrap();
    Simulation::new(&scenario, seed, false).unwrap().run()
}

/// A scenario's report must match the one recorded natively, byte for byte: in wasm this
/// shows that native and wasm runs agree.
#[test]
fn the_support_week_matches_its_recorded_report() {
    let report = run("support_week.json", None);
    let actual = serde_json::to_string_pretty(&report).unwrap();
    let recorded = SIMULATION_REPORTS
        .iter()
        .find(|(n, _)| *n == "support_week.report.json")
        .map(|(_, t)| t.trim_end())
        .unwrap();
    assert!(
        actual == recorded,
        "the report differs from tests/simulations/expected/support_week.report.json; \
         if the change is intended, record it again with \
         `switchboard simulate tests/simulations/support_week.json`"
    );
    // And the run is a real one: every behaviour shows in it.
    let e = &report.enquiries;
    assert!(e.offered > 9_000 && e.answered > 0 && e.abandoned > 0 && e.forwarded > 0);
    assert!(e.off_hours > 0 && report.ratings.rated > 0 && report.rejected.count == 0);
    assert_eq!(report.series.len(), 7 * 24);
    let f = &report.first_response;
    let binned: u64 = f.histogram.iter().map(|b| b.count).sum();
    assert_eq!(
        binned, f.count,
        "every answered enquiry falls in one bucket"
    );
}

#[test]
fn a_run_must_end_before_the_horizon() {
    // The router refuses instants after the year 9999: a run that would go past it is refused
    // before it starts, not left stepping against the horizon.
    let mut doc: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    doc["start"] = serde_json::json!("9999-12-30T00:00:00Z");
    doc["simulation"]["duration"] = serde_json::json!("7d");
    let scenario = parse(&doc.to_string()).unwrap();
    let error = Simulation::new(&scenario, None, false)
        .err()
        .expect("refused");
    assert!(
        error
            .diagnostics
            .iter()
            .any(|d| d.path == "simulation.duration"
                && d.message.contains(
                    "after 9999-12-31T23:59:59.999Z, the latest instant the engine handles"
                )),
        "{:?}",
        error.diagnostics
    );
}

#[test]
fn invalid_simulations_are_explained() {
    let base: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    let closed_day = vec![0.0; 24];
    let mut late_negative = vec![1.0; 24];
    late_negative[23] = -1.0;
    let cases: &[(&str, serde_json::Value, &str, &str)] = &[
        (
            "negative rate",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": -5.0 }], "duration": "1d" }),
            "simulation.arrivals[0].per_hour",
            "not a rate",
        ),
        (
            "a negative rate in an hourly profile",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "hours": { "tue": late_negative } }], "duration": "1d" }),
            "simulation.arrivals[0].hours.tue[23]",
            "-1 is not a rate",
        ),
        (
            "a profile that never opens",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "hours": { "mon": closed_day } }], "duration": "1d" }),
            "simulation.arrivals[0]",
            "zero at every hour",
        ),
        (
            "an impossible distribution",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "duration": "1d",
                "agents": { "default": { "handling": { "uniform": ["5m", "1m"] } } } }),
            "simulation.agents.default.handling.uniform",
            "above the high end",
        ),
        (
            "a probability above one",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "duration": "1d",
                "agents": { "by_agent": { "a01": { "skip": 1.5 } } } }),
            "simulation.agents.by_agent.a01.skip",
            "not a probability",
        ),
        (
            "an unknown agent",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "duration": "1d",
                "agents": { "by_agent": { "a1": {} } } }),
            "simulation.agents.by_agent.a1",
            "did you mean",
        ),
        (
            "a run too large to finish",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 100000.0 }], "duration": "365d" }),
            "simulation",
            "more than",
        ),
        (
            "a replay file outside the command line",
            serde_json::json!({ "arrivals": [{ "kind": "replay", "file": "morning.csv" }], "duration": "1d" }),
            "simulation.arrivals[0].file",
            "not read",
        ),
        (
            "a list of instants with none",
            serde_json::json!({ "arrivals": [{ "kind": "times", "at": [] }], "duration": "1d" }),
            "simulation.arrivals[0].at",
            "no instants",
        ),
        (
            "a warm-up as long as the run",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "duration": "1d", "warm_up": "1d" }),
            "simulation.warm_up",
            "no enquiry would be counted",
        ),
        (
            "more enquiries than the longest run brings",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "enquiries": 100000 }),
            "simulation.enquiries",
            "may not arrive",
        ),
        (
            "a burst too large to draw",
            serde_json::json!({ "arrivals": [{ "kind": "burst", "at": "+1h", "count": 1000001, "over": "1000d" }], "duration": "1d" }),
            "simulation.arrivals[0].count",
            "a burst holds at most 1000000 enquiries",
        ),
        (
            "a break that would overflow the clock",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "duration": "1d",
                "agents": { "default": { "shift": { "start": "09:00", "end": "17:00",
                    "breaks": [{ "start": "12:00", "length": "106751991167d" }] } } } }),
            "simulation.agents.default.shift.breaks[0].length",
            "out of range: at most 400 d",
        ),
        (
            "a rate beyond any run",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 1e308 }], "duration": "1d" }),
            "simulation.arrivals[0].per_hour",
            "1e308 enquiries an hour is out of range: at most 20,000,000 an hour",
        ),
        (
            "a day given twice",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "hours": { "mon": vec![1.0; 24], "Monday": vec![2.0; 24] } }], "duration": "1d" }),
            "simulation.arrivals[0].hours.mon",
            "same day as `Monday`",
        ),
        (
            "a misspelt day",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "duration": "1d",
                "agents": { "default": { "shift": { "days": ["mon", "wendesday"], "start": "09:00", "end": "17:00" } } } }),
            "simulation.agents.default.shift.days[1]",
            "did you mean `wednesday`",
        ),
        (
            "a run with no end",
            serde_json::json!({ "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }] }),
            "simulation",
            "no end",
        ),
    ];
    for (what, simulation, path, message) in cases {
        let mut doc = base.clone();
        doc["simulation"] = simulation.clone();
        let scenario = parse(&doc.to_string()).unwrap();
        let Err(err) = Simulation::new(&scenario, None, false) else {
            panic!("{what}: the simulation started");
        };
        assert!(
            err.diagnostics
                .iter()
                .any(|d| d.is_error() && d.path == *path && d.message.contains(message)),
            "{what}: expected an error at `{path}` saying `{message}`, got {:#?}",
            err.diagnostics
        );
    }
}

/// A burst before the run's start is not dropped without a word: it is warned about, and
/// what the run expects of it counts only the part inside the run.
#[test]
fn a_burst_before_the_start_is_warned_about() {
    let base: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    let cases = [
        // The run starts at 2026-03-02T00:00:00Z.
        (
            "2026-03-01T22:00:00Z",
            "1h",
            "simulation.arrivals[1].at",
            "ends before the run's start",
        ),
        (
            "2026-03-01T23:00:00Z",
            "2h",
            "simulation.arrivals[1].at",
            "starts before the run's start",
        ),
        (
            "2026-03-01T23:59:59Z",
            "0s",
            "simulation.arrivals[1].at",
            "ends before the run's start",
        ),
    ];
    for (at, over, path, message) in cases {
        let mut doc = base.clone();
        doc["simulation"] = serde_json::json!({
            "arrivals": [{ "kind": "poisson", "per_hour": 5.0 },
                         { "kind": "burst", "at": at, "count": 10, "over": over }],
            "duration": "1d" });
        let scenario = parse(&doc.to_string()).unwrap();
        let sim = Simulation::new(&scenario, None, false)
            .unwrap_or_else(|e| panic!("{at}: {:#?}", e.diagnostics));
        assert!(
            sim.warnings()
                .iter()
                .any(|d| d.path == path && d.message.contains(message)),
            "{at} over {over}: expected a warning at `{path}` saying `{message}`, got {:#?}",
            sim.warnings()
        );
    }
}

/// Days are named short (`mon`) or in full (`Monday`), in any case, in a shift and in an hourly
/// profile alike: both spellings give the same run.
#[test]
fn days_read_alike_short_or_in_full() {
    let base: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    let run = |weekday: &str, weekend: &str, shift_days: &[&str]| {
        let mut doc = base.clone();
        doc["simulation"] = serde_json::json!({
            "duration": "7d",
            "arrivals": [{ "kind": "poisson", "hours": { weekday: vec![30.0; 24], weekend: vec![3.0; 24] } }],
            "agents": { "default": { "shift": { "days": shift_days, "start": "08:00", "end": "20:00" } } }
        });
        let scenario = parse(&doc.to_string()).unwrap();
        let sim = Simulation::new(&scenario, None, false).unwrap();
        serde_json::to_string(&sim.run()).unwrap()
    };
    let short = run("tue", "sat", &["tue", "sat"]);
    assert_eq!(run("Tuesday", "SATURDAY", &["tuesday", "Sat"]), short);
    assert_ne!(
        run("wed", "sat", &["wed", "sat"]),
        short,
        "the day names are read"
    );
}

/// A duration alone is a fixed distribution, the same run as `{"fixed": ...}`; a distribution
/// names one kind, and a second or none is an error at the distribution.
#[test]
fn a_bare_duration_is_a_fixed_distribution() {
    let base: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    let with_handling = |handling: serde_json::Value| {
        let mut doc = base.clone();
        doc["simulation"]["enquiries"] = 2000.into();
        doc["simulation"]["agents"]["default"]["handling"] = handling;
        parse(&doc.to_string())
    };
    let report = |handling: serde_json::Value| {
        let scenario = with_handling(handling).unwrap();
        serde_json::to_string(&Simulation::new(&scenario, None, false).unwrap().run()).unwrap()
    };
    let fixed = report(serde_json::json!({ "fixed": "3m" }));
    assert_eq!(report(serde_json::json!("3m")), fixed);
    assert_ne!(
        report(serde_json::json!("4m")),
        fixed,
        "the duration is read"
    );
    // A wrong duration alone is named where it stands.
    let scenario = with_handling(serde_json::json!("3 minutes")).unwrap();
    let Err(err) = Simulation::new(&scenario, None, false) else {
        panic!("`3 minutes` was read as a duration");
    };
    assert!(
        err.diagnostics
            .iter()
            .any(|d| d.path == "simulation.agents.default.handling"
                && d.message.contains("`3 minutes` is not a duration")),
        "{:#?}",
        err.diagnostics
    );

    for (handling, says) in [
        (
            serde_json::json!({ "exponential": "3m", "fixed": "1m" }),
            "`fixed` after `exponential`: a distribution is of one kind",
        ),
        (serde_json::json!({}), "no distribution"),
        (serde_json::json!(180), "expected a duration such as"),
    ] {
        let Err(err) = with_handling(handling.clone()) else {
            panic!("{handling} was read as a distribution");
        };
        let text = err.to_string();
        assert!(
            text.contains("simulation.agents.default.handling") && text.contains(says),
            "{handling}: {text}"
        );
    }
}

/// A number of `enquiries` without a `duration` ends the run when that many have arrived, and a
/// run spans at most 400 days: asking for more than Poisson arrivals bring in that time is
/// refused with the most that surely fit, which is then accepted. Fixed instants run dry by
/// themselves, so asking for more of them than there are is not an error.
#[test]
fn enquiries_beyond_the_longest_run_are_refused_with_the_most_that_fit() {
    let mut doc: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    let start =
        |doc: &serde_json::Value| Simulation::new(&parse(&doc.to_string()).unwrap(), None, false);
    doc["simulation"] = serde_json::json!({
        "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }], "enquiries": 100000
    });
    let Err(err) = start(&doc) else {
        panic!("100,000 enquiries at 5 an hour were accepted");
    };
    let message = &err.diagnostics[0].message;
    // 5 an hour for 400 days is 48,000.
    assert!(message.contains("about 48000 arrive"), "{message}");
    let most: u64 = message
        .split("at most ")
        .nth(2)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number to ask for in: {message}"));
    assert!((47_000..48_000).contains(&most), "{most}");
    doc["simulation"]["enquiries"] = most.into();
    assert!(start(&doc).is_ok(), "{most} enquiries were refused");
    doc["simulation"]["enquiries"] = (most + 100).into();
    assert!(
        start(&doc).is_err(),
        "{} enquiries were accepted",
        most + 100
    );

    // A burst counts by the share of it that falls in the span: here a hundredth, 10,000.
    doc["simulation"] = serde_json::json!({
        "arrivals": [
            { "kind": "poisson", "per_hour": 5.0 },
            { "kind": "burst", "at": "+399d", "count": 1000000, "over": "100d" }
        ],
        "enquiries": 70000
    });
    let Err(err) = start(&doc) else {
        panic!("70,000 enquiries were accepted where about 58,000 arrive");
    };
    let message = &err
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .unwrap()
        .message;
    assert!(message.contains("about 58000 arrive"), "{message}");

    doc["simulation"] = serde_json::json!({
        "arrivals": [{ "kind": "times", "at": ["+1h", "+2h"] }], "enquiries": 10
    });
    assert!(
        start(&doc).is_ok(),
        "two instants and a cap of ten were refused"
    );
}

/// A wrong duration is reported once, not again as a warm-up as long as the run.
#[test]
fn a_wrong_duration_is_the_one_error() {
    let mut doc: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    doc["simulation"]["duration"] = "0s".into();
    let Err(err) = Simulation::new(&parse(&doc.to_string()).unwrap(), None, false) else {
        panic!("a run of no time was accepted");
    };
    let paths: Vec<&str> = err.diagnostics.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["simulation.duration"]);
}

/// A doubtful setting does not stop a run, and the run says what it is.
#[test]
fn the_setups_warnings_come_with_the_run() {
    let mut doc: serde_json::Value = serde_json::from_str(file("erlang_c1.json")).unwrap();
    let scenario = parse(&doc.to_string()).unwrap();
    let sim = Simulation::new(&scenario, None, false).unwrap();
    assert!(sim.warnings().is_empty(), "{:#?}", sim.warnings());

    // `max_chat` does nothing in mode `all`.
    doc["config"]["lines"][0]["mode"] = "all".into();
    let scenario = parse(&doc.to_string()).unwrap();
    let sim = Simulation::new(&scenario, None, false).unwrap();
    let paths: Vec<&str> = sim.warnings().iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["lines[0].max_chat"]);
    assert!(sim.warnings().iter().all(|d| !d.is_error()));

    // Arrivals the run's end leaves out, in part or in whole.
    doc["config"]["lines"][0]["mode"] = "evenly".into();
    doc["simulation"] = serde_json::json!({
        "duration": "1d",
        "arrivals": [
            { "kind": "poisson", "per_hour": 5.0 },
            { "kind": "times", "at": ["+1h", "+2d", "+3d"] },
            { "kind": "burst", "at": "+20h", "count": 10, "over": "8h" },
            { "kind": "burst", "at": "+2d", "count": 10, "over": "1h" },
            { "kind": "burst", "at": "+2h", "count": 10, "over": "1h" }
        ]
    });
    let scenario = parse(&doc.to_string()).unwrap();
    let sim = Simulation::new(&scenario, None, false).unwrap();
    let said: Vec<(&str, &str)> = sim
        .warnings()
        .iter()
        .map(|d| (d.path.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(said.len(), 3, "{said:#?}");
    assert_eq!(said[0].0, "simulation.arrivals[1].at");
    assert!(
        said[0].1.starts_with("2 of the 3 instants"),
        "{}",
        said[0].1
    );
    assert_eq!(said[1].0, "simulation.arrivals[2].over");
    assert_eq!(said[2].0, "simulation.arrivals[3].at");
    assert!(said[2].1.contains("none of its 10"), "{}", said[2].1);

    // A series step longer than the run.
    doc["simulation"] = serde_json::json!({
        "duration": "1d", "interval": "2d", "arrivals": [{ "kind": "poisson", "per_hour": 5.0 }]
    });
    let scenario = parse(&doc.to_string()).unwrap();
    let sim = Simulation::new(&scenario, None, false).unwrap();
    let paths: Vec<&str> = sim.warnings().iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["simulation.interval"]);
    assert!(sim.run().series.is_empty());
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use switchboard::time::DAY;

    #[test]
    fn same_seed_same_bytes_other_seed_other_run() {
        let scenario = parse(file("support_week.json")).unwrap();
        let log = |seed| {
            let mut sim = Simulation::new(&scenario, Some(seed), true).unwrap();
            sim.step_until(sim.end());
            let lines: Vec<String> = sim
                .take_log()
                .iter()
                .map(|l| serde_json::to_string(l).unwrap())
                .collect();
            (lines, serde_json::to_string(&sim.report()).unwrap())
        };
        let (a_log, a_report) = log(3);
        let (b_log, b_report) = log(3);
        assert!(a_log.len() > 10_000);
        assert_eq!(a_log, b_log);
        assert_eq!(a_report, b_report);
        let (c_log, c_report) = log(4);
        assert_ne!(a_log, c_log);
        assert_ne!(a_report, c_report);
    }

    /// The simulator talks to the router by agent and line index and reads its records, not
    /// its public actions: a fresh router fed the logged events through the public API does
    /// what the log says, action for action. The support week has skips, CRM clients, shifts
    /// with time management and a burst, so every kind of record appears.
    #[test]
    fn the_log_replays_through_the_public_api() {
        use switchboard::sim::LogLine;
        use switchboard::Router;
        let scenario = parse(file("support_week.json")).unwrap();
        let mut sim = Simulation::new(&scenario, None, true).unwrap();
        sim.step_until(sim.end());
        let (mut events, mut logged) = (Vec::new(), Vec::new());
        for line in sim.take_log() {
            match line {
                LogLine::In { at, event } => events.push((at, event)),
                LogLine::Out(action) => logged.push(action),
            }
        }
        let mut router = Router::new(&scenario.doc.config, scenario.doc.start).unwrap();
        let mut replayed = Vec::new();
        for (at, event) in events {
            router.handle_into(event, at, &mut replayed);
        }
        router.advance_into(sim.now(), &mut replayed);
        // The simulator calls the router an hour at a time, this replay once per event.
        let (logged, logged_retries) = crate::with_retries_summed(&logged);
        let (replayed, replayed_retries) = crate::with_retries_summed(&replayed);
        assert_eq!(logged_retries, replayed_retries);
        assert!(logged.len() > 40_000, "{} actions", logged.len());
        assert_eq!(logged.len(), replayed.len());
        for (i, (a, b)) in logged.iter().zip(&replayed).enumerate() {
            assert_eq!(a, b, "action {i}");
        }
    }

    /// The stepping API gives the same run as the batch API, however the steps fall.
    #[test]
    fn stepping_changes_nothing() {
        let scenario = parse(file("support_week.json")).unwrap();
        let batch = Simulation::new(&scenario, None, false).unwrap().run();
        let mut sim = Simulation::new(&scenario, None, false).unwrap();
        let mut step = 1;
        while !sim.finished() {
            sim.step_until(sim.now().plus(step * 7_919));
            let snap = sim.snapshot();
            assert!(snap.progress >= 0.0 && snap.progress <= 1.0);
            step = step % 97 + 13;
        }
        assert_eq!(sim.report(), batch);
        assert!(batch.end.since(batch.start) == 7 * DAY);
    }

    /// An event from outside reaches the router while the run goes on: with every agent
    /// dismissed, nobody is offered work from then on, and the views show it. (A pause would not
    /// do: case C1 does not check availability.)
    #[test]
    fn injected_events_change_the_rest_of_the_run() {
        use switchboard::event::Event;
        use switchboard::ids::AgentId;
        let scenario = parse(file("erlang_c1.json")).unwrap();
        let mut sim = Simulation::new(&scenario, None, true).unwrap();
        sim.step_until(sim.now().plus(3 * 3_600_000));
        let agents: Vec<AgentId> = sim.router().agents().into_iter().map(|a| a.id).collect();
        assert_eq!(agents.len(), 14);
        for agent in &agents {
            let done = sim.inject(Event::Dismissed {
                agent: agent.clone(),
            });
            assert!(done
                .iter()
                .all(|a| !matches!(a.kind, switchboard::ActionKind::Rejected { .. })));
        }
        assert!(sim.router().agents().iter().all(|a| a.presence.dismissed));
        let offered_before = sim.snapshot().counts.offered;
        sim.take_log();
        sim.step_until(sim.now().plus(3_600_000));
        let later = sim.take_log();
        let offers = later
            .iter()
            .filter(|l| {
                serde_json::to_string(l)
                    .unwrap()
                    .contains("\"type\":\"offered\"")
            })
            .count();
        assert_eq!(offers, 0, "no offers once every agent is dismissed");
        let snap = sim.snapshot();
        assert!(snap.counts.offered > offered_before + 100);
        assert!(
            snap.queue.len() > 100,
            "arrivals wait: {}",
            snap.queue.len()
        );
    }

    /// The support week, logged, ten hours into its second day (a Tuesday, 10:00 in Moscow),
    /// with every agent just held away from work, and the agents' ids.
    fn week_with_everyone_away() -> (Simulation, Vec<switchboard::ids::AgentId>) {
        let scenario = parse(file("support_week.json")).unwrap();
        let mut sim = Simulation::new(&scenario, None, true).unwrap();
        sim.step_until(sim.now().plus(34 * 3_600_000));
        let agents: Vec<_> = sim.snapshot().agents.into_iter().map(|a| a.id).collect();
        for a in &agents {
            sim.set_away(a, true);
        }
        (sim, agents)
    }

    /// An administrator holds every agent away in the middle of a weekday of the support week
    /// (time management on: their workdays pause): no offers until they are let back, and
    /// offers again after.
    #[test]
    fn agents_held_away_get_no_work_until_let_back() {
        let offers = |sim: &mut Simulation| {
            sim.take_log()
                .iter()
                .filter(|l| {
                    serde_json::to_string(l)
                        .unwrap()
                        .contains("\"type\":\"offered\"")
                })
                .count()
        };
        let (mut sim, agents) = week_with_everyone_away();
        // Offers made while the agents were being set away one by one do not count.
        sim.take_log();
        assert!(sim.snapshot().agents.iter().all(|a| a.away && a.offline));
        sim.step_until(sim.now().plus(3_600_000));
        assert_eq!(offers(&mut sim), 0, "nobody is offered work while away");
        let waiting = sim.snapshot().queue.len();
        assert!(waiting > 20, "enquiries wait: {waiting}");
        for a in &agents {
            sim.set_away(a, false);
        }
        sim.step_until(sim.now().plus(3_600_000));
        assert!(offers(&mut sim) > 50, "work flows again once they are back");
        assert!(sim.snapshot().queue.len() < waiting);
    }

    /// The offers that letting agents back makes are returned to the caller and acted on by the
    /// simulated agents as any other: each agent takes or skips what it was offered before the
    /// offer moves on (a client who gives up first aside).
    #[test]
    fn the_people_act_on_offers_an_outside_change_makes() {
        use switchboard::action::ActionKind;
        use switchboard::event::Event;
        use switchboard::ids::{AgentId, DialogId};
        use switchboard::sim::LogLine;
        use switchboard::time::Time;
        let (mut sim, agents) = week_with_everyone_away();
        sim.step_until(sim.now().plus(3_600_000));
        // Each agent let back is offered work at once, and the next one's return may offer a
        // dialog again to someone else: the last offer of each dialog is the one that stands.
        let mut offered = std::collections::BTreeMap::new();
        for a in &agents {
            for action in sim.set_away(a, false) {
                if let ActionKind::Offered {
                    dialog,
                    to,
                    deadline: Some(deadline),
                    ..
                } = action.kind
                {
                    offered.insert(dialog, (to[0].clone(), deadline));
                }
            }
        }
        assert!(offered.len() > 10, "offers on return: {}", offered.len());
        sim.take_log();
        sim.step_until(sim.now().plus(3_600_000));
        let log = sim.take_log();
        // Each offer is answered by its agent before it moves on, unless the client gives up
        // first.
        let answered = |dialog: &DialogId, agent: &AgentId, deadline: &Time| {
            log.iter().any(|line| match line {
                LogLine::In {
                    at,
                    event:
                        Event::Accepted {
                            dialog: d,
                            agent: a,
                        }
                        | Event::Skipped {
                            dialog: d,
                            agent: a,
                        },
                } => d == dialog && a == agent && at <= deadline,
                _ => false,
            })
        };
        let given_up = |dialog: &DialogId, deadline: &Time| {
            log.iter().any(|line| {
                matches!(line, LogLine::In { at, event: Event::ClientLeft { dialog: d } }
                    if d == dialog && at <= deadline)
            })
        };
        let unanswered: Vec<&DialogId> = offered
            .iter()
            .filter(|(dialog, (agent, deadline))| {
                !answered(dialog, agent, deadline) && !given_up(dialog, deadline)
            })
            .map(|(dialog, _)| dialog)
            .collect();
        assert!(
            unanswered.is_empty(),
            "offers on return that nobody answered: {unanswered:?}"
        );
    }

    /// Case C1 runs Bitrix24's queue agent exactly (`runner_period` 0), as the oracle cases do.
    /// At the agent's real period, a minute, the clients of C1 wait just as long: a freed slot
    /// serves the oldest waiting dialog at once either way, and the retries of the others, which
    /// the agent runs, find nobody free. So the oracle holds for the setting portals run, while
    /// the router's work differs: the exact agent retries every waiting dialog at every close.
    #[test]
    fn case_c1_waits_alike_with_the_queue_agent_at_its_real_period() {
        use switchboard::action::ActionKind;
        use switchboard::sim::LogLine;
        let exact = file("erlang_c1.json").replace("\"enquiries\": 400000", "\"enquiries\": 20000");
        let minute = exact.replace("\"runner_period\": 0", "\"runner_period\": 60");
        assert_ne!(exact, minute);
        let logged = |text: &str| {
            let scenario = parse(text).unwrap();
            let mut sim = Simulation::new(&scenario, None, true).unwrap();
            sim.step_until(sim.end());
            let retries = sim
                .take_log()
                .iter()
                .filter(|l| {
                    matches!(l, LogLine::Out(a) if matches!(a.kind, ActionKind::Undistributed { .. }))
                })
                .count();
            (sim.report(), retries)
        };
        let (exact, exact_retries) = logged(&exact);
        let (minute, minute_retries) = logged(&minute);
        assert!(exact.waiting.probability > 0.1, "clients wait in case C1");
        assert_eq!(exact, minute);
        assert!(
            minute_retries * 2 < exact_retries,
            "undistributed records: {minute_retries} a minute apart, {exact_retries} exactly"
        );
    }

    // ----- queueing theory ---------------------------------------------------------------------

    /// Erlang B by recursion, then Erlang C's probability of waiting.
    fn erlang_c(a: f64, n: u32) -> f64 {
        let mut b = 1.0;
        for k in 1..=n {
            b = a * b / (f64::from(k) + a * b);
        }
        f64::from(n) * b / (f64::from(n) - a * (1.0 - b))
    }

    struct ErlangA {
        p_wait: f64,
        p_abandon: f64,
        asa_all: f64,
        occupancy: f64,
    }

    /// Erlang A as a birth-death chain: arrivals `lambda`, service `mu` per agent, abandonment
    /// `theta` per waiting client.
    fn erlang_a(lambda: f64, mu: f64, theta: f64, n: u32) -> ErlangA {
        let mut p = vec![1.0f64];
        for k in 1..2_000u32 {
            let death = f64::from(k.min(n)) * mu + f64::from(k.saturating_sub(n)) * theta;
            let next = p[p.len() - 1] * lambda / death;
            p.push(next);
            if next < 1e-300 {
                break;
            }
        }
        let total: f64 = p.iter().sum();
        let p: Vec<f64> = p.iter().map(|x| x / total).collect();
        let queue: f64 = p
            .iter()
            .enumerate()
            .map(|(k, x)| (k as f64 - f64::from(n)).max(0.0) * x)
            .sum();
        let busy: f64 = p
            .iter()
            .enumerate()
            .map(|(k, x)| (k as f64).min(f64::from(n)) * x)
            .sum();
        ErlangA {
            p_wait: p[n as usize..].iter().sum(),
            p_abandon: theta * queue / lambda,
            asa_all: queue / lambda,
            occupancy: busy / f64::from(n),
        }
    }

    /// The oracle first reproduces the published figures, so that a mistake in it cannot pass
    /// as agreement.
    #[test]
    fn the_formulas_give_the_published_values() {
        let a = 200.0 * 180.0 / 3600.0;
        let c1 = erlang_c(a, 14);
        assert!((c1 - 0.174_131_9).abs() < 1e-6, "{c1}");
        let asa = c1 * 180.0 / (14.0 - a);
        assert!((asa - 7.836).abs() < 1e-3, "{asa}");
        let sl = 1.0 - c1 * (-(14.0 - a) * 20.0 / 180.0f64).exp();
        assert!((sl - 0.888_35).abs() < 1e-5, "{sl}");
        let c2 = erlang_c(a, 15);
        assert!((c2 - 0.102).abs() < 1e-3, "{c2}");
        let a1 = erlang_a(200.0 / 60.0, 1.0 / 3.0, 1.0 / 5.0, 14);
        assert!((a1.p_wait - 0.145_26).abs() < 1e-4, "{}", a1.p_wait);
        assert!((a1.p_abandon - 0.013_984).abs() < 1e-5, "{}", a1.p_abandon);
        assert!((a1.asa_all - 0.069_919).abs() < 1e-5, "{}", a1.asa_all);
        assert!((a1.occupancy - 0.704_297).abs() < 1e-5, "{}", a1.occupancy);
    }

    /// The tolerance for a run of `n` enquiries: 4.5 standard deviations, from the spread
    /// measured at 1,000,000 enquiries and scaled by the square root of the run's size.
    fn tolerance(sd_at_million: f64, n: u64) -> f64 {
        4.5 * sd_at_million * (1e6 / n as f64).sqrt()
    }

    fn check_erlang_c(report: &Report, n: u32) {
        let a = 10.0;
        let c = erlang_c(a, n);
        let asa = c * 180.0 / (f64::from(n) - a);
        let sl = 1.0 - c * (-(f64::from(n) - a) * 20.0 / 180.0f64).exp();
        let count = report.enquiries.offered;
        assert!(count > 390_000, "{count} enquiries measured");
        let w = &report.waiting;
        let checks = [
            ("P(wait)", w.probability, c, tolerance(0.0018, count)),
            ("ASA [s]", w.mean_s, asa, tolerance(0.14, count)),
            (
                "service level 20 s",
                report.first_response.within_target,
                sl,
                tolerance(0.0016, count),
            ),
            ("occupancy", report.occupancy, a / f64::from(n), 0.006),
        ];
        assert_close("Erlang C", &checks);
    }

    /// Each check is (what, simulated, expected by `model`, tolerance).
    fn assert_close(model: &str, checks: &[(&str, f64, f64, f64)]) {
        for (what, got, want, tol) in checks {
            assert!(
                (got - want).abs() <= *tol,
                "{what}: simulated {got:.5}, {model} {want:.5}, tolerance {tol:.5}"
            );
        }
    }

    #[test]
    fn case_c1_reproduces_erlang_c() {
        check_erlang_c(&run("erlang_c1.json", None), 14);
    }

    #[test]
    fn case_c2_reproduces_erlang_c() {
        check_erlang_c(&run("erlang_c2.json", None), 15);
    }

    #[test]
    fn case_a1_reproduces_erlang_a() {
        let report = run("erlang_a1.json", None);
        let a1 = erlang_a(200.0 / 60.0, 1.0 / 3.0, 1.0 / 5.0, 14);
        let count = report.enquiries.offered;
        let checks = [
            (
                "P(wait)",
                report.waiting.probability,
                a1.p_wait,
                tolerance(0.0018, count),
            ),
            (
                "P(abandon)",
                report.waiting.abandon_rate,
                a1.p_abandon,
                0.003,
            ),
            (
                "ASA over all [s]",
                report.waiting.mean_s,
                a1.asa_all * 60.0,
                tolerance(0.14, count),
            ),
            ("occupancy", report.occupancy, a1.occupancy, 0.006),
        ];
        assert_close("Erlang A", &checks);
    }

    /// Which idle agent takes an enquiry does not change how long clients wait, only who works:
    /// strict order loads the first agents more.
    #[test]
    fn strictly_and_evenly_wait_alike_and_split_differently() {
        let evenly = run("erlang_c1.json", None);
        let strictly = run("erlang_c1_strictly.json", None);
        check_erlang_c(&strictly, 14);
        let count = evenly.enquiries.offered;
        assert!(
            (evenly.waiting.probability - strictly.waiting.probability).abs()
                <= tolerance(0.0018, count)
        );
        assert!((evenly.waiting.mean_s - strictly.waiting.mean_s).abs() <= tolerance(0.14, count));
        let first = |r: &Report| r.agents[0].assignments as f64;
        let last = |r: &Report| r.agents[13].assignments as f64;
        assert!(
            first(&strictly) > 1.5 * last(&strictly),
            "strictly: first {} last {}",
            first(&strictly),
            last(&strictly)
        );
        assert!((first(&evenly) / last(&evenly) - 1.0).abs() < 0.05);
        assert!(strictly.fairness.jain < evenly.fairness.jain - 0.02);
    }
}
