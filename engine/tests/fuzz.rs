//! A fuzz harness on stable Rust: inputs grown from a corpus by seeded mutation, run through
//! the reader, validation, the router under random events and the simulator, each inside
//! `catch_unwind`. Test builds keep overflow checks on, so an overflow is a panic here.
//!
//! Each target runs for `FUZZ_SECONDS` (default 2; CI gives each a minute) from seed
//! `FUZZ_SEED` (default 1). An input that panics is written to `target/fuzz-failures/` and
//! the test fails naming the file: add it to `tests/fuzz/corpus/` with the fix.
//!
//! The corpus: every golden scenario and simulation file, and `tests/fuzz/corpus/`, the inputs
//! that once broke a limit (a 30,000-character id, a burst of 20 million, a rate of 1e308, an
//! instant past the year 9999, a type given as a number, arrays where objects belong, ...).

#![allow(clippy::unwrap_used, clippy::expect_used)]
// A test or benchmark of the engine, not the engine: it may read files and the clock.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::disallowed_macros
)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::Value;
use switchboard::config::parse_json;
use switchboard::event::Event;
use switchboard::ids::{AgentId, ClientId, DialogId, LineId};
use switchboard::model::{Mode, Workday};
use switchboard::scenario::parse;
use switchboard::sim::Simulation;
use switchboard::{validate, Config, Router, Time};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The seed documents, as text.
fn corpus() -> Vec<String> {
    let mut texts = Vec::new();
    for dir in ["tests/scenarios", "tests/simulations", "tests/fuzz/corpus"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        texts.extend(paths.iter().map(|p| std::fs::read_to_string(p).unwrap()));
    }
    // Generated: too large to keep as files.
    texts.push(format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)));
    texts.push(format!(
        r#"{{"version": 1, "agents": [{{"id": "{}"}}], "lines": [{{"id": "l", "queue": [{{"user": "{}"}}]}}]}}"#,
        "a".repeat(30_000),
        "b".repeat(30_000)
    ));
    texts
}

struct Fuzz {
    rng: Xoshiro256PlusPlus,
    corpus: Vec<String>,
    deadline: Instant,
    runs: u64,
}

impl Fuzz {
    fn new(target: &str) -> Fuzz {
        let seconds: u64 = std::env::var("FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2);
        let seed: u64 = std::env::var("FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        // Each target its own stream.
        let salt = target
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        Fuzz {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed ^ salt),
            corpus: corpus(),
            deadline: Instant::now() + Duration::from_secs(seconds),
            runs: 0,
        }
    }

    fn going(&mut self) -> bool {
        self.runs += 1;
        Instant::now() < self.deadline
    }

    fn below(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.next_u64() % 100 < percent
    }

    /// A corpus entry, mutated a few times.
    fn input(&mut self) -> String {
        let pick = self.below(self.corpus.len());
        let mut text = self.corpus[pick].clone();
        for _ in 0..=self.below(3) {
            text = if self.chance(70) {
                self.mutate_json(&text)
                    .unwrap_or_else(|| self.mutate_bytes(&text))
            } else {
                self.mutate_bytes(&text)
            };
        }
        text
    }

    fn mutate_bytes(&mut self, text: &str) -> String {
        let mut bytes = text.as_bytes().to_vec();
        if bytes.is_empty() {
            return "{".to_string();
        }
        let at = self.below(bytes.len());
        match self.below(5) {
            0 => {
                const BYTES: &[u8] = b"{}[]\",:09e.\\ \xff";
                bytes[at] = BYTES[self.below(BYTES.len())];
            }
            1 => {
                bytes.remove(at);
            }
            2 => bytes.truncate(at),
            3 => {
                let end = (at + self.below(64)).min(bytes.len());
                let slice = bytes[at..end].to_vec();
                bytes.splice(at..at, slice);
            }
            _ => {
                const BYTES: &[u8] = b"\"[{0}]1,";
                bytes.insert(at, BYTES[self.below(BYTES.len())]);
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Parses the text as JSON and changes one value in it, as a careless or hostile writer
    /// would; none when the text is not JSON.
    fn mutate_json(&mut self, text: &str) -> Option<String> {
        let mut value: Value = serde_json::from_str(text).ok()?;
        let mut count = 0;
        count_nodes(&value, &mut count);
        let target = self.below(count);
        let mut seen = 0;
        let replacement = self.replacement();
        let extra_key = self.chance(30);
        mutate_node(&mut value, target, &mut seen, &replacement, extra_key);
        Some(value.to_string())
    }

    fn replacement(&mut self) -> Value {
        let numbers = [
            "0",
            "-1",
            "1",
            "0.5",
            "9007199254740991",
            "9007199254740992",
            "18446744073709551616",
            "9223372036854775807",
            "-9223372036854775808",
            "1e308",
            "-1e308",
            "1e-300",
            "86400",
            "20000000",
            "1000001",
            "4294967296",
            "2147483648",
        ];
        let strings = [
            "",
            "+0s",
            "+10000d",
            "+106751991167d",
            "9999-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "0s",
            "1ms",
            "292471208y",
            "106751991167d",
            "24:00",
            "23:59",
            "Europe/Moscow",
            "Mars/Olympus",
            "mon",
            "arrived",
            "evenly",
            "all",
            "strictly",
            "paused",
            "poisson",
            "burst",
            "\u{0}",
            "ü",
        ];
        match self.below(8) {
            0 | 1 => serde_json::from_str(numbers[self.below(numbers.len())]).unwrap(),
            2 | 3 => Value::String(strings[self.below(strings.len())].to_string()),
            4 => Value::String("x".repeat(self.below(3) * 40_000)),
            5 => Value::Array(vec![Value::Null; self.below(4)]),
            6 => Value::Object(serde_json::Map::new()),
            _ => Value::Bool(self.chance(50)),
        }
    }
}

fn count_nodes(v: &Value, n: &mut usize) {
    *n += 1;
    match v {
        Value::Array(items) => items.iter().for_each(|i| count_nodes(i, n)),
        Value::Object(map) => map.values().for_each(|i| count_nodes(i, n)),
        _ => {}
    }
}

/// Replaces node number `target` (in pre-order), or, with `extra_key`, adds an unknown key
/// to it when it is an object, or repeats an array's first element.
fn mutate_node(
    v: &mut Value,
    target: usize,
    seen: &mut usize,
    with: &Value,
    extra_key: bool,
) -> bool {
    if *seen == target {
        match v {
            Value::Object(map) if extra_key => {
                map.insert("unexpected".to_string(), with.clone());
            }
            Value::Array(items) if extra_key && !items.is_empty() => {
                let first = items[0].clone();
                items.extend(std::iter::repeat_n(first, 1000));
            }
            _ => *v = with.clone(),
        }
        return true;
    }
    *seen += 1;
    match v {
        Value::Array(items) => items
            .iter_mut()
            .any(|i| mutate_node(i, target, seen, with, extra_key)),
        Value::Object(map) => map
            .values_mut()
            .any(|i| mutate_node(i, target, seen, with, extra_key)),
        _ => false,
    }
}

/// Writes an input that broke a target to `target/fuzz-failures/name`, and says where.
fn keep(name: &str, input: &str) -> PathBuf {
    let dir = root().join("target/fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, input).unwrap();
    file
}

/// One input may take at most this long: past it the input is kept and the run stops, as a
/// hang would otherwise hold the test until CI's limit.
const INPUT_LIMIT: Duration = Duration::from_secs(30);

/// Watches the input in progress from another thread; none once the target is done.
struct Watchdog {
    current: std::sync::Arc<std::sync::Mutex<Option<(Instant, String)>>>,
}

impl Watchdog {
    fn new(target: &'static str) -> Watchdog {
        let current = std::sync::Arc::new(std::sync::Mutex::new(None::<(Instant, String)>));
        let watched = std::sync::Arc::clone(&current);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            let Some((since, input)) = &*watched.lock().unwrap() else {
                continue;
            };
            if since.elapsed() > INPUT_LIMIT {
                let file = keep(&format!("{target}-slow.json"), input);
                eprintln!("{target}: {} took over {INPUT_LIMIT:?}", file.display());
                std::process::exit(1);
            }
        });
        Watchdog { current }
    }

    fn start(&self, input: &str) {
        *self.current.lock().unwrap() = Some((Instant::now(), input.to_string()));
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        *self.current.lock().unwrap() = None;
    }
}

/// Runs `body` on every input the target makes until time is up; an input that panics, or
/// runs past [`INPUT_LIMIT`], is kept and fails the test.
fn run(target: &'static str, mut make: impl FnMut(&mut Fuzz) -> String, body: impl Fn(&str)) {
    let mut fuzz = Fuzz::new(target);
    let watchdog = Watchdog::new(target);
    // The corpus as it is first, then grown.
    let mut seeds = fuzz.corpus.clone().into_iter();
    while fuzz.going() {
        let input = seeds.next().unwrap_or_else(|| make(&mut fuzz));
        watchdog.start(&input);
        if catch_unwind(AssertUnwindSafe(|| body(&input))).is_err() {
            let file = keep(&format!("{target}-{}.json", fuzz.runs), &input);
            panic!("{target}: {} panicked", file.display());
        }
    }
    eprintln!("{target}: {} inputs", fuzz.runs);
}

#[test]
fn reader() {
    run("reader", Fuzz::input, |text| {
        if let Err(e) = parse(text) {
            let message = e.to_string();
            assert!(!message.is_empty());
            // Messages speak of the document, never of the engine's types.
            for rust in [
                "struct ",
                "Config",
                "Spec",
                "variant identifier",
                "with 4 elements",
            ] {
                assert!(!message.contains(rust), "{message}");
            }
        }
        let _ = parse_json::<Config>(text);
    });
}

#[test]
fn validation() {
    run("validation", Fuzz::input, |text| {
        let config = match parse(text) {
            Ok(s) => s.doc.config,
            Err(_) => match parse_json::<Config>(text) {
                Ok(c) => c,
                Err(_) => return,
            },
        };
        let _ = validate(&config);
        let _ = Router::new(&config, Time(1_772_442_000_000));
    });
}

#[test]
fn simulator() {
    run(
        "simulator",
        |f| {
            // Mostly scenarios with a simulation part.
            loop {
                let text = f.input();
                if text.contains("\"simulation\"") || f.chance(10) {
                    return text;
                }
            }
        },
        |text| {
            let Ok(mut scenario) = parse(text) else {
                return;
            };
            // A bounded run: at most 2,000 enquiries and two days of arrivals.
            if let Some(spec) = scenario.doc.simulation.as_mut() {
                spec.enquiries = Some(spec.enquiries.unwrap_or(2_000).min(2_000));
                spec.duration = Some("2d".to_string());
            }
            if let Ok(sim) = Simulation::new(&scenario, None, false) {
                let report = sim.run();
                let _ = serde_json::to_string(&report).unwrap();
            }
        },
    );
}

/// The router under random events: a configuration from the corpus (the agents and lines it
/// names), then events of every kind, some naming nobody it knows, at times that mostly step
/// by seconds and sometimes jump by days, or past the horizon.
#[test]
fn router() {
    let mut fuzz = Fuzz::new("router");
    let configs: Vec<Config> = fuzz
        .corpus
        .iter()
        .filter_map(|t| parse(t).ok().map(|s| s.doc.config))
        .filter(|c| Router::new(c, Time(0)).is_ok())
        .collect();
    assert!(configs.len() > 20);
    let watchdog = Watchdog::new("router");
    while fuzz.going() {
        let pick = fuzz.below(configs.len());
        let config = configs[pick].clone();
        let mut agents: Vec<String> = config.agents.iter().map(|a| a.id.clone()).collect();
        agents.push("nobody".to_string());
        let mut lines: Vec<String> = config.lines.iter().map(|l| l.id.clone()).collect();
        lines.push("nowhere".to_string());
        let mut t = Time(1_772_442_000_000);
        let mut events = Vec::new();
        for _ in 0..fuzz.below(120) {
            t = t.plus(match fuzz.below(100) {
                0 => 3 * 86_400_000,
                1..=5 => 3_600_000 * fuzz.below(24) as i64,
                6 => i64::MAX,
                7 => -60_000,
                _ => 1_000 * fuzz.below(120) as i64,
            });
            let agent = AgentId::new(&agents[fuzz.below(agents.len())]);
            let line = LineId::new(&lines[fuzz.below(lines.len())]);
            let dialog = DialogId(fuzz.below(12) as u64);
            let event = match fuzz.below(20) {
                0..=4 => Event::Arrived {
                    dialog,
                    line,
                    client: fuzz
                        .chance(30)
                        .then(|| ClientId::new(&format!("c{}", fuzz.below(3)))),
                },
                5 | 6 => Event::Accepted { dialog, agent },
                7 | 8 => Event::Replied { dialog, agent },
                9 => Event::ClientMessage { dialog },
                10 => Event::Skipped { dialog, agent },
                11 => Event::Transferred { dialog, to: agent },
                12 => [
                    Event::Closed { dialog },
                    Event::MarkedSpam { dialog },
                    Event::ClientLeft { dialog },
                ][fuzz.below(3)]
                .clone(),
                13 => Event::Pinned {
                    dialog,
                    pinned: fuzz.chance(50),
                },
                14 => Event::Workday {
                    agent,
                    state: [
                        Workday::Opened,
                        Workday::Paused,
                        Workday::Closed,
                        Workday::Expired,
                        Workday::Untracked,
                    ][fuzz.below(5)],
                },
                15 => Event::LinePause {
                    agent,
                    paused: fuzz.chance(50),
                },
                16 => [
                    Event::Activity {
                        agent: agent.clone(),
                    },
                    Event::Idle { agent },
                ][fuzz.below(2)]
                .clone(),
                17 => match fuzz.below(3) {
                    0 => Event::VacationStarted {
                        agent,
                        until: fuzz
                            .chance(50)
                            .then(|| t.plus(3_600_000 * fuzz.below(48) as i64)),
                    },
                    1 => Event::VacationEnded { agent },
                    _ => Event::Dismissed { agent },
                },
                18 => [
                    Event::QueueAdded {
                        line: line.clone(),
                        agent: agent.clone(),
                    },
                    Event::QueueRemoved { line, agent },
                ][fuzz.below(2)]
                .clone(),
                _ => Event::ModeChanged {
                    line,
                    mode: [Mode::Evenly, Mode::Strictly, Mode::All][fuzz.below(3)],
                },
            };
            events.push((t, event));
        }
        // The run as text: what the watchdog or a panic keeps.
        let input = format!("{}\n{events:?}", serde_json::to_string(&config).unwrap());
        watchdog.start(&input);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut router = Router::new(&config, Time(1_772_442_000_000)).unwrap();
            for (at, event) in &events {
                let out = router.handle(event.clone(), *at);
                assert!(out.len() < 100_000, "{} actions from one event", out.len());
            }
            let _ = router.advance_to(router.now().plus(2 * 86_400_000));
            let _ = router.dialogs();
            let _ = router.agents();
        }));
        if outcome.is_err() {
            let file = keep(&format!("router-{}.txt", fuzz.runs), &input);
            panic!("router: {} panicked", file.display());
        }
    }
    eprintln!("router: {} runs", fuzz.runs);
}
