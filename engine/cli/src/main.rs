//! The `switchboard` command: replays scenarios, validates configurations, checks golden files
//! and runs the built-in demo. The only part of the engine that reads files.

use std::process::ExitCode;

use switchboard::action::ActionKind;
use switchboard::config::{parse_json, LoadError};
use switchboard::diagnostic::has_errors;
use switchboard::explain::Verdict;
use switchboard::scenario::{self, ScenarioError};
use switchboard::sim::Simulation;
use switchboard::{Action, Config};

const DEMO: &str = include_str!("../../../tests/scenarios/demo_support_line.json");
/// Larger files are refused before they are read (bytes).
const MAX_FILE: u64 = 64 * 1024 * 1024;

const USAGE: &str = "\
usage: switchboard <command> [options]

commands:
  demo [--format text|json]           replay the built-in demo line and explain every decision
  replay FILE [--format json|text]    replay a scenario file; actions as JSON lines by default
  validate FILE                       check a configuration (or a scenario's configuration);
                                      exits 1 when there are errors
  check FILE...                       run golden scenario files against their `expect` part
  simulate FILE [--seed N] [--events FILE]
                                      run a scenario's `simulation` part and print the report
                                      as JSON; --events writes the event log as JSON lines
                                      (with explanations); warnings and progress go to
                                      stderr
  help                                this text";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Text,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            say(&format!("error: {message}"));
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("a command is needed\n\n{USAGE}"));
    };
    match command.as_str() {
        "demo" => {
            let format = format_option(rest, Format::Text)?;
            replay_text("built-in demo", DEMO, format)
        }
        "replay" => {
            let file = one_file(rest)?;
            let format = format_option(&rest[1..], Format::Json)?;
            replay_text(file, &read(file)?, format)
        }
        "validate" => {
            let file = one_file(rest)?;
            no_more(&rest[1..])?;
            validate(file)
        }
        "check" => check(rest),
        "simulate" => simulate(rest),
        "help" | "--help" | "-h" => {
            no_more(rest)?;
            emit(&format!("{USAGE}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn one_file(rest: &[String]) -> Result<&str, String> {
    match rest.first() {
        Some(f) if !f.starts_with("--") => Ok(f),
        _ => Err(format!("a file name is needed\n\n{USAGE}")),
    }
}

/// Refuses arguments left over after a command's own.
fn no_more(rest: &[String]) -> Result<(), String> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(unexpected(rest))
    }
}

fn unexpected(rest: &[String]) -> String {
    format!("unexpected arguments `{}`\n\n{USAGE}", rest.join(" "))
}

fn format_option(rest: &[String], default: Format) -> Result<Format, String> {
    match rest {
        [] => Ok(default),
        [flag] if flag == "--format" => Err(format!("`{flag}` needs a value: `json` or `text`")),
        [flag, value] if flag == "--format" => match value.as_str() {
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            other => Err(format!("unknown format `{other}`: `json` or `text`")),
        },
        _ => Err(unexpected(rest)),
    }
}

fn read(file: &str) -> Result<String, String> {
    let meta = std::fs::metadata(file).map_err(|e| format!("{file}: {e}"))?;
    if meta.len() > MAX_FILE {
        return Err(format!(
            "{file}: the file is {} MiB, more than the {} MiB this reads",
            meta.len() >> 20,
            MAX_FILE >> 20
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("{file}: the file is empty"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |ix| ix + 1);
        // The column counts characters, as an editor shows them; the text before is valid.
        let column = String::from_utf8_lossy(&bytes[line_start..at]).chars().count() + 1;
        format!(
            "{file}: not UTF-8 text: byte {at} (line {line}, column {column}) is `{:#04x}`; save the file as UTF-8",
            bytes[at]
        )
    })
}

/// Standard output, written as it comes through a buffer. A reader that stops early (`| head`)
/// is not an error of ours: the rest is dropped quietly, where `println!` would panic.
struct Stdout {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    /// The reader has gone: nothing more is written.
    gone: bool,
}

impl Stdout {
    fn new() -> Stdout {
        Stdout {
            out: std::io::BufWriter::new(std::io::stdout().lock()),
            gone: false,
        }
    }

    fn put(&mut self, text: &str) -> Result<(), String> {
        use std::io::Write;
        if self.gone {
            return Ok(());
        }
        let written = self.out.write_all(text.as_bytes());
        self.settle(written)
    }

    /// Writes what the buffer still holds.
    fn finish(mut self) -> Result<(), String> {
        use std::io::Write;
        if self.gone {
            return Ok(());
        }
        let flushed = self.out.flush();
        self.settle(flushed)
    }

    fn settle(&mut self, result: std::io::Result<()>) -> Result<(), String> {
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(())
            }
            Err(e) => Err(e.to_string()),
            Ok(()) => Ok(()),
        }
    }
}

/// Writes `text` to stdout (see [`Stdout`]).
fn emit(text: &str) -> Result<(), String> {
    let mut out = Stdout::new();
    out.put(text)?;
    out.finish()
}

/// Writes a line to stderr. A closed stderr (`2>&1 >report.json | head`) does not stop a run,
/// whose results go to stdout and to files, as `eprintln!` would by panicking.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn located(file: &str, e: &LoadError) -> String {
    format!("{file}: {e}")
}

fn replay_text(file: &str, text: &str, format: Format) -> Result<ExitCode, String> {
    let parsed = scenario::parse(text).map_err(|e| match e {
        ScenarioError::Load(l) => located(file, &l),
        other => format!("{file}: {other}"),
    })?;
    let replayer = scenario::Replayer::new(&parsed).map_err(|e| format!("{file}: {e}"))?;
    for d in replayer.diagnostics() {
        say(&format!("{file}: {d}"));
    }
    // Written action by action as the replay goes: a long replay is never held whole, and a
    // reader that has gone stops it.
    let mut out = Stdout::new();
    if format == Format::Text && !parsed.doc.name.is_empty() {
        out.put(&format!("{}\n\n", parsed.doc.name))?;
    }
    for action in replayer {
        if out.gone {
            break;
        }
        match format {
            Format::Json => {
                let mut line = serde_json::to_string(&action).map_err(|e| e.to_string())?;
                line.push('\n');
                out.put(&line)?;
            }
            Format::Text => out.put(&render(&action))?,
        }
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn validate(file: &str) -> Result<ExitCode, String> {
    let text = read(file)?;
    // A scenario file carries its configuration under `config`.
    let value: serde_json::Value = parse_json(&text).map_err(|e| located(file, &e))?;
    let config: Config = if value.get("config").is_some() && value.get("version").is_none() {
        scenario::parse(&text)
            .map_err(|e| format!("{file}: {e}"))?
            .doc
            .config
    } else {
        parse_json(&text).map_err(|e| located(file, &e))?
    };
    let diagnostics = switchboard::validate(&config);
    let mut out: String = diagnostics
        .iter()
        .map(|d| format!("{file}: {d}\n"))
        .collect();
    if diagnostics.is_empty() {
        out.push_str(&format!("{file}: no problems found\n"));
    }
    emit(&out)?;
    Ok(if has_errors(&diagnostics) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn check(files: &[String]) -> Result<ExitCode, String> {
    if files.is_empty() {
        return Err("name the scenario files to check".to_string());
    }
    let (mut passed, mut failed) = (0, 0);
    for file in files {
        match read(file).and_then(|t| scenario::check(&t)) {
            Ok(()) => passed += 1,
            Err(e) => {
                failed += 1;
                emit(&format!("FAILED {file}\n{e}\n\n"))?;
            }
        }
    }
    emit(&format!("{passed} passed, {failed} failed\n"))?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One action for people: the engine's headline, then each candidate with its verdict.
fn render(action: &Action) -> String {
    let at = action.at.to_string();
    let time = at.get(11..19).unwrap_or(&at);
    let by_id = |a: &switchboard::ids::AgentId| a.to_string();
    let mut out = format!("{time}  {}\n", action.kind.describe(&by_id));
    let decision = match &action.kind {
        ActionKind::Offered { decision, .. } | ActionKind::Undistributed { decision, .. } => {
            Some(decision)
        }
        _ => None,
    };
    if let Some(d) = decision {
        if !d.summary.is_empty() {
            out.push_str(&format!("          why: {}\n", d.summary));
        }
        for c in &d.candidates {
            let mark = if c.verdict == Verdict::Chosen {
                "✓"
            } else {
                "✗"
            };
            let pos = if c.position == 0 {
                "--".to_string()
            } else {
                format!("#{}", c.position)
            };
            out.push_str(&format!(
                "          {mark} {:<10} {pos:>3}  {}\n",
                c.agent.as_str(),
                c.why
            ));
        }
    }
    out
}

fn simulate(rest: &[String]) -> Result<ExitCode, String> {
    let file = one_file(rest)?;
    let mut seed = None;
    let mut events = None;
    let mut args = rest[1..].iter();
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--seed" => &mut seed,
            "--events" => &mut events,
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        };
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"))?;
        if slot.replace(value.clone()).is_some() {
            return Err(format!("`{flag}` is given twice"));
        }
    }
    let seed = seed
        .map(|value: String| {
            value.parse::<u64>().map_err(|_| {
                format!(
                    "--seed: `{value}` is not a whole number from 0 to {}",
                    u64::MAX
                )
            })
        })
        .transpose()?;
    let text = with_replay_files(file, &read(file)?)?;
    let parsed = scenario::parse(&text).map_err(|e| match e {
        ScenarioError::Load(l) => located(file, &l),
        other => format!("{file}: {other}"),
    })?;
    let mut sim =
        Simulation::new(&parsed, seed, events.is_some()).map_err(|e| format!("{file}: {e}"))?;
    for d in sim.warnings() {
        say(&format!("{file}: {d}"));
    }
    let mut log = match &events {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?,
        )),
        None => None,
    };
    let (start, end) = (sim.now(), sim.end());
    let step = (end.since(start) / 200).max(switchboard::time::MINUTE);
    let began = std::time::Instant::now();
    let mut shown = 0.0;
    let mut written = 0u64;
    while !sim.finished() {
        sim.step_until(sim.now().plus(step));
        if let Some(out) = &mut log {
            use std::io::Write;
            for line in sim.take_log() {
                let json = serde_json::to_string(&line).map_err(|e| e.to_string())?;
                writeln!(out, "{json}").map_err(|e| e.to_string())?;
                written += json.len() as u64 + 1;
            }
        }
        let progress = sim.progress();
        if began.elapsed().as_secs_f64() > 1.0 && progress - shown >= 0.05 {
            shown = progress;
            let logged = log.is_some().then_some(written);
            say(&progress_line(progress, sim.now(), logged));
        }
    }
    if let Some(out) = log {
        out.into_inner().map_err(|e| e.to_string())?;
    }
    let report = serde_json::to_string_pretty(&sim.report()).map_err(|e| e.to_string())?;
    emit(&format!("{report}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// The line a long run prints as it goes: how far it is, the simulated clock, and the size of
/// the event log so far when one is written (with explanations, a few kilobytes an enquiry),
/// with the size it is heading for at this rate, so that a log too large for the disk shows
/// early.
fn progress_line(progress: f64, now: switchboard::time::Time, logged: Option<u64>) -> String {
    let mut line = format!("simulate: {:.0}% (simulated {now}", progress * 100.0);
    if let Some(bytes) = logged {
        line.push_str(&format!("; event log {} so far", size(bytes as f64)));
        if progress > 0.0 && progress < 1.0 {
            line.push_str(&format!(", about {} in all", size(bytes as f64 / progress)));
        }
    }
    line.push(')');
    line
}

/// A size in megabytes, or in gigabytes from one gigabyte on.
fn size(bytes: f64) -> String {
    if bytes >= 1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.0} MB", bytes / 1e6)
    }
}

/// Reads the files of `replay` arrivals (relative to the scenario file) and puts their instants
/// in place, as arrivals of kind `times`.
fn with_replay_files(file: &str, text: &str) -> Result<String, String> {
    let mut value: serde_json::Value = parse_json(text).map_err(|e| located(file, &e))?;
    let Some(arrivals) = value
        .get_mut("simulation")
        .and_then(|s| s.get_mut("arrivals"))
        .and_then(|a| a.as_array_mut())
    else {
        return Ok(text.to_string());
    };
    let mut changed = false;
    for a in arrivals.iter_mut() {
        if a.get("kind").and_then(|k| k.as_str()) != Some("replay") {
            continue;
        }
        let Some(name) = a.get("file").and_then(|f| f.as_str()) else {
            continue;
        };
        let path = std::path::Path::new(file)
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join(name);
        let shown = path.display().to_string();
        let times = instants(&shown, &read(&shown)?)?;
        let mut times_source = serde_json::json!({ "kind": "times", "at": times });
        if let Some(line) = a.get("line") {
            times_source["line"] = line.clone();
        }
        *a = times_source;
        changed = true;
    }
    if !changed {
        return Ok(text.to_string());
    }
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

/// Instants from a replay file: a JSON array (of instants, or of objects with `at`), or CSV
/// whose first column holds RFC 3339 instants or Unix seconds (a header line is skipped). A
/// file with none is an error.
fn instants(file: &str, text: &str) -> Result<Vec<String>, String> {
    let found = read_instants(file, text)?;
    if found.is_empty() {
        return Err(format!(
            "{file}: no instants: expected CSV whose first column holds RFC 3339 instants or Unix seconds, or a JSON array of them"
        ));
    }
    Ok(found)
}

fn read_instants(file: &str, text: &str) -> Result<Vec<String>, String> {
    let to_rfc = |cell: &str, place: &str| -> Result<String, String> {
        let cell = cell.trim().trim_matches('"');
        if let Ok(secs) = cell.parse::<i64>() {
            let t = switchboard::Time(secs.saturating_mul(1000));
            if t.to_utc().is_some() {
                return Ok(t.to_string());
            }
        }
        switchboard::Time::parse_rfc3339(cell)
            .map(|t| t.to_string())
            .map_err(|e| format!("{file}:{place}: {e}"))
    };
    if text.trim_start().starts_with('[') {
        let value: serde_json::Value = parse_json(text).map_err(|e| located(file, &e))?;
        let items = value.as_array().cloned().unwrap_or_default();
        return items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let cell = v
                    .as_str()
                    .or_else(|| v.get("at").and_then(|a| a.as_str()))
                    .ok_or_else(|| {
                        format!("{file}: [{i}]: expected an instant or an object with `at`")
                    })?;
                to_rfc(cell, &format!("[{i}]"))
            })
            .collect();
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cell = line.split(',').next().unwrap_or("").trim();
        if cell.is_empty() {
            continue;
        }
        match to_rfc(cell, &(n + 1).to_string()) {
            Ok(t) => out.push(t),
            Err(_) if n == 0 => {} // a header
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{instants, progress_line};
    use switchboard::time::Time;

    #[test]
    fn a_long_run_says_how_far_it_is_and_how_large_its_log_has_grown() {
        let now = Time::parse_rfc3339("2026-03-02T12:00:00Z").unwrap();
        assert_eq!(
            progress_line(0.25, now, None),
            format!("simulate: 25% (simulated {now})")
        );
        assert_eq!(
            progress_line(0.5, now, Some(734_000_000)),
            format!(
                "simulate: 50% (simulated {now}; event log 734 MB so far, about 1.5 GB in all)"
            )
        );
        assert!(progress_line(0.9, now, Some(1_770_000_000))
            .contains("event log 1.8 GB so far, about 2.0 GB in all"));
    }

    #[test]
    fn csv_instants_skip_the_header_and_name_the_bad_line() {
        let csv = "created_at,channel\n2026-03-02T09:00:00+03:00,telegram\n1772431260\n\n";
        assert_eq!(
            instants("a.csv", csv).unwrap(),
            ["2026-03-02T06:00:00Z", "2026-03-02T06:01:00Z"]
        );
        let err = instants("a.csv", "at\n2026-03-02T09:00:00Z\nyesterday\n").unwrap_err();
        assert!(err.starts_with("a.csv:3: "), "{err}");
    }

    #[test]
    fn a_file_without_instants_is_refused() {
        for empty in ["", "created_at,channel\n", "\n\n", "[]"] {
            let err = instants("a.csv", empty).unwrap_err();
            assert!(err.starts_with("a.csv: no instants"), "{empty:?}: {err}");
        }
    }

    #[test]
    fn json_instants_as_strings_or_objects() {
        let json = r#"["2026-03-02T09:00:00Z", {"at": "2026-03-02T09:05:00Z"}]"#;
        assert_eq!(
            instants("a.json", json).unwrap(),
            ["2026-03-02T09:00:00Z", "2026-03-02T09:05:00Z"]
        );
        let err = instants("a.json", r#"["2026-03-02T09:00:00Z", 5]"#).unwrap_err();
        assert!(err.contains("a.json: [1]"), "{err}");
    }
}
