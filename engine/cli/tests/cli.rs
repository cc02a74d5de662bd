//! The `switchboard` command line as a user meets it: exit codes, where each message goes, and
//! a clear refusal, naming what is wrong, for every bad invocation or file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("the CLI starts");
    Run {
        code: status.code().expect("the CLI exits, not killed"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// A file of this test's own under the system's temporary folder.
fn scratch(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("switchboard-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("the temporary folder is writable");
    path
}

/// A refusal: exit code 2, the message on stderr (with the usage when the command line itself
/// was wrong), nothing on stdout.
fn refused(args: &[&str], message: &str) {
    let r = run(args);
    assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    assert!(
        r.stdout.is_empty(),
        "{args:?} wrote to stdout: {}",
        r.stdout
    );
    assert!(
        r.stderr.starts_with(&format!("error: {message}")),
        "{args:?}: expected `{message}`, got: {}",
        r.stderr
    );
}

#[test]
fn help_goes_to_stdout_and_succeeds() {
    for args in [&["help"][..], &["--help"], &["-h"]] {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}");
        assert!(r.stdout.starts_with("usage: switchboard"), "{args:?}");
        assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn a_missing_or_unknown_command_is_a_usage_error() {
    refused(&[], "a command is needed");
    assert!(run(&[]).stderr.contains("usage: switchboard"));
    refused(&["simulated"], "unknown command `simulated`");
    refused(&["help", "simulate"], "unexpected arguments `simulate`");
}

#[test]
fn arguments_a_command_does_not_take_are_refused() {
    let c1 = "tests/simulations/erlang_c1.json";
    refused(&["validate"], "a file name is needed");
    refused(&["validate", c1, "extra"], "unexpected arguments `extra`");
    refused(&["replay", "--format", "json"], "a file name is needed");
    refused(&["demo", "--format"], "`--format` needs a value");
    refused(&["demo", "--format", "xml"], "unknown format `xml`");
    refused(&["demo", "--verbose"], "unexpected arguments `--verbose`");
    refused(&["check"], "name the scenario files to check");
    refused(
        &["simulate", c1, "--speed", "2"],
        "unknown option `--speed`",
    );
    refused(&["simulate", c1, "--events"], "`--events` needs a value");
    refused(
        &["simulate", c1, "--seed", "1", "--seed", "2"],
        "`--seed` is given twice",
    );
    for bad in ["-5", "1.5", "seven", "18446744073709551616"] {
        refused(
            &["simulate", c1, "--seed", bad],
            &format!("--seed: `{bad}` is not a whole number"),
        );
    }
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    refused(
        &["validate", "tests/no-such-file.json"],
        "tests/no-such-file.json: No such file",
    );
    refused(&["replay", "tests"], "tests: Is a directory");
    // Sparse: no disk is spent on it.
    let huge = scratch("huge.json", "");
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .and_then(|f| f.set_len(65 << 20))
        .expect("the file grows");
    let name = huge.to_str().expect("a UTF-8 path");
    refused(
        &["simulate", name],
        &format!("{name}: the file is 65 MiB, more than the 64 MiB this reads"),
    );
    std::fs::remove_file(huge).ok();
}

#[test]
fn malformed_json_is_located_by_line_and_column() {
    let broken = scratch(
        "broken.json",
        "{\n  \"version\": 1,\n  \"agents\": [,]\n}\n",
    );
    let name = broken.to_str().expect("a UTF-8 path");
    refused(
        &["validate", name],
        &format!("{name}: agents[1] (line 3, column 14)"),
    );
    std::fs::remove_file(broken).ok();
}

/// A bad event stops a replay before anything is written, with the event's place and the line
/// and column where the reader stopped.
#[test]
fn a_bad_event_in_a_scenario_is_located() {
    let text = "{\"start\": \"2026-03-02T09:00:00Z\", \"config\": {\"version\": 1},\n \"events\": [\n  {\"at\": \"+1s\", \"type\": \"closed\", \"dialog\": 1},\n  {\"at\": \"+2s\", \"type\": \"closd\", \"dialog\": 2}\n]}\n";
    let file = scratch("bad-event.json", text);
    let name = file.to_str().expect("a UTF-8 path");
    refused(
        &["replay", name],
        &format!("{name}: events[1].type (line 4, column 31): unknown variant `closd`, did you mean `closed`?"),
    );
    std::fs::remove_file(file).ok();
}

#[test]
fn validate_exits_1_on_errors_and_names_the_field() {
    let config = r#"{"version": 1, "agents": [{"id": "a"}],
        "lines": [{"id": "l", "mode": "evenly", "max_chat": -3, "queue": [{"user": "a"}]}]}"#;
    let file = scratch("negative.json", config);
    let name = file.to_str().expect("a UTF-8 path");
    let r = run(&["validate", name]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("error: lines[0].max_chat: `-3` is out of range"),
        "the field is not named: {}",
        r.stdout
    );
    std::fs::remove_file(file).ok();

    let r = run(&["validate", "tests/simulations/erlang_c1.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.ends_with("no problems found\n"), "{}", r.stdout);
}

#[test]
fn replay_explains_each_decision_in_text() {
    let r = run(&[
        "replay",
        "tests/scenarios/demo_support_line.json",
        "--format",
        "text",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(" offered to "), "{}", r.stdout);
    assert!(r.stdout.contains("why: "), "{}", r.stdout);
}

#[test]
fn simulate_takes_the_seed_from_the_command_line() {
    let file = "tests/simulations/replay_morning.json";
    let report = |seed: &str| {
        let r = run(&["simulate", file, "--seed", seed]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let (a, again, other) = (report("7"), report("7"), report("8"));
    assert!(a.contains("\"offered\": 30"), "{a}");
    assert_eq!(a, again, "the same seed gave two reports");
    assert_ne!(a, other, "the seed changed nothing");
}

/// A run refused for its options or its file writes no event log: a log already at that path
/// is left as it was.
#[test]
fn a_refused_simulation_leaves_an_existing_event_log_alone() {
    let log = scratch("events.jsonl", "kept\n");
    let path = log.to_str().expect("a UTF-8 path");
    let c1 = "tests/simulations/erlang_c1.json";
    refused(
        &["simulate", c1, "--events", path, "--seed", "x"],
        "--seed: `x` is not a whole number",
    );
    refused(
        &["simulate", c1, "--events", path, "--events", path],
        "`--events` is given twice",
    );
    refused(
        &[
            "simulate",
            "tests/scenarios/demo_support_line.json",
            "--events",
            path,
        ],
        "tests/scenarios/demo_support_line.json: the simulation cannot run",
    );
    assert_eq!(
        std::fs::read_to_string(&log).ok().as_deref(),
        Some("kept\n")
    );
    std::fs::remove_file(log).ok();
}

#[test]
fn an_empty_file_and_one_not_in_utf8_say_so() {
    let empty = scratch("empty.json", "");
    let blank = scratch("blank.json", " \n\t\n");
    for file in [&empty, &blank] {
        let name = file.to_str().expect("a UTF-8 path");
        refused(&["validate", name], &format!("{name}: the file is empty"));
    }
    // `é` in Latin-1 is the byte 0xe9: the first bad byte is named by offset, line and column.
    let latin1 = std::env::temp_dir().join(format!(
        "switchboard-cli-{}-latin1.json",
        std::process::id()
    ));
    std::fs::write(&latin1, b"{\n  \"name\": \"caf\xe9\"\n}")
        .expect("the temporary folder is writable");
    let name = latin1.to_str().expect("a UTF-8 path");
    refused(
        &["validate", name],
        &format!("{name}: not UTF-8 text: byte 16 (line 2, column 15) is `0xe9`"),
    );
    for file in [empty, blank, latin1] {
        std::fs::remove_file(file).ok();
    }
}

#[test]
fn a_deeply_nested_document_is_refused_with_a_short_path() {
    let depth = 100_000;
    let text = format!(
        r#"{{"version": 1, "agents": [{{"id": "a", "name": {}{}}}]}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let file = scratch("deep.json", &text);
    let name = file.to_str().expect("a UTF-8 path");
    let r = run(&["validate", name]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("error: {name}: agents[0].name[0][0][0][0][0]…(")),
        "{first}"
    );
    assert!(first.contains("recursion limit"), "{first}");
    assert!(first.len() < name.len() + 120, "the path is long: {first}");
    std::fs::remove_file(file).ok();
}

#[test]
fn ids_javascript_would_round_are_refused() {
    let scenario = |dialog: &str| {
        format!(
            r#"{{"name": "x", "start": "2026-03-02T09:00:00Z",
  "config": {{"version": 1, "agents": [{{"id": "a"}}], "lines": [{{"id": "l", "queue": [{{"user": "a"}}]}}]}},
  "events": [{{"at": "+0s", "type": "arrived", "dialog": {dialog}, "line": "l"}}]}}"#
        )
    };
    let largest = scratch("id-largest.json", &scenario("9007199254740991"));
    let r = run(&["replay", largest.to_str().expect("a UTF-8 path")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(r#""dialog":9007199254740991"#),
        "{}",
        r.stdout
    );
    for (written, shown) in [
        ("9007199254740992", "9007199254740992"),
        ("18446744073709551615", "18446744073709551615"),
        ("18446744073709551616", "18446744073709551616"),
    ] {
        let file = scratch("id-large.json", &scenario(written));
        let name = file.to_str().expect("a UTF-8 path");
        let r = run(&["replay", name]);
        assert_eq!(r.code, 2, "{written}: {}", r.stdout);
        assert!(
            r.stderr.contains(&format!(
                "`{shown}` is too large: the largest allowed is 9007199254740991"
            )),
            "{written}: {}",
            r.stderr
        );
        std::fs::remove_file(file).ok();
    }
    std::fs::remove_file(largest).ok();
}
