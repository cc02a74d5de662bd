//! The page: the project being edited, the run being played, and every message that changes
//! either. Edits save at once; a changed configuration restarts the run from its start.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use switchboard::config::LineConfig;
use switchboard::ids::{AgentId, DialogId, LineId};
use switchboard::model::{Mode, QueueEntry};
use switchboard::sim::report::Report;
use switchboard::Diagnostic;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::card::{AgentCard, CardLive};
use super::fields::{problems_at, SelectField, TextField};
use super::outcome::Outcome;
use super::settings::{line_path, Settings};
use super::traffic::{hour_draft, TrafficSettings, TrafficView, VOLUME_DRAFT};
use crate::compare::{mode_name, Change, Comparison};
use crate::dates::{local, Shown};
use crate::frame::AnimationFrame;
use crate::history::History;
use crate::live::{LiveRun, Toggle};
use crate::project::Project;
use crate::storage;
use crate::traffic;

/// Simulated seconds per real second that the speed control offers.
const SPEEDS: &[(f64, &str)] = &[
    (1.0, "real time"),
    (10.0, "10×"),
    (60.0, "1 min/s"),
    (300.0, "5 min/s"),
    (1_200.0, "20 min/s"),
    (3_600.0, "1 h/s"),
    (f64::INFINITY, "to the end, as fast as it goes"),
];
/// At full speed: simulated time per slice, and wall time one frame may spend on slices, so
/// that the page keeps drawing and Pause stays at hand.
const FAST_SLICE_MS: i64 = 5 * 60_000;
const FAST_FRAME_MS: f64 = 12.0;
/// A frame after a long stall (a background tab) advances at most this much wall time.
const MAX_FRAME_MS: f64 = 250.0;
/// How often, in wall time, the figures and charts are recomputed while playing.
const REPORT_EVERY_MS: f64 = 500.0;
/// How often, in wall time, the queue cards, the waiting list and the log are redrawn while
/// playing; the clock, counters and progress redraw on every frame.
const REDRAW_EVERY_MS: f64 = 100.0;

type Edit = Box<dyn FnOnce(&mut Project)>;

pub enum Msg {
    Edit(Edit),
    /// Text typed into a number field of line `line`: a number edits the project, anything
    /// else waits as a draft under `path`.
    Number {
        line: usize,
        path: String,
        text: String,
        set: fn(&mut LineConfig, Option<i64>),
    },
    /// Back to the project before the last change, or forward again.
    Undo,
    Redo,
    /// Text typed as the first day's volume of enquiries.
    Volume(String),
    /// Text typed as the rate of one hour of a line's arrival profile.
    Hour {
        line: usize,
        day: usize,
        hour: usize,
        text: String,
    },
    /// Shows the hourly profile of a weekday (0 for Monday), or of the run's first day.
    ProfileDay(Option<usize>),
    /// Shows and edits line `usize`.
    SelectLine(usize),
    AddLine,
    RemoveLine(usize),
    Play,
    Pause,
    Step,
    Reset,
    Speed(f64),
    Seed(String),
    Frame(f64),
    Select(u64),
    Toggle(AgentId, Toggle),
    DragStart(usize),
    Drop(usize),
    Move(usize, usize),
    AddAgent,
    RemoveAgent(String),
    AddDepartment(String),
    IoText(String),
    Import,
    ImportBitrix,
    Export,
    Share,
    DismissNotice,
    /// Opens (or closes, with `None`) a card's form.
    EditAgent(Option<String>),
    VariantMode(usize, String),
    VariantNumber {
        variant: usize,
        max_chat: bool,
        text: String,
    },
    AddVariant,
    RemoveVariant(usize),
    CompareStart,
    CompareWork,
    CompareCancel,
}

pub struct App {
    project: Project,
    /// The project as last saved: what a change is undone to.
    saved: Project,
    history: History,
    /// What the traffic panel shows, read from the project when it or the shown line changes
    /// (not on every frame of a run).
    traffic: Rc<TrafficView>,
    /// The weekday whose hourly profile the traffic panel shows; the run's first when none.
    profile_day: Option<usize>,
    /// The line the page shows and edits.
    line: usize,
    problems: Rc<Vec<Diagnostic>>,
    notice: Option<String>,
    drafts: Rc<BTreeMap<String, String>>,
    run: Option<LiveRun>,
    run_error: Option<String>,
    playing: bool,
    speed: f64,
    seed: u64,
    frame: Option<AnimationFrame>,
    last_frame: Option<f64>,
    report: Option<Rc<Report>>,
    names: Rc<BTreeMap<AgentId, String>>,
    report_at: f64,
    selected: Option<u64>,
    drag: Option<usize>,
    io_text: String,
    io_message: Option<(bool, String)>,
    new_agent: usize,
    send: Callback<Msg>,
    editing: Option<String>,
    variants: Vec<Change>,
    comparison: Option<Comparison>,
    compare_frame: Option<AnimationFrame>,
    compared: Option<Vec<(String, Report)>>,
    compare_error: Option<String>,
    /// The queue lane and the event log as last drawn. Frames of a run reuse them until
    /// [`REDRAW_EVERY_MS`] has passed; every other message draws them anew.
    drawn: RefCell<Option<(Html, Html)>>,
    drawn_at: f64,
}

/// Wall time one frame of a comparison may spend simulating, so that the page stays smooth.
const COMPARE_FRAME_MS: f64 = 12.0;

/// One figure of a report, as shown in the comparison.
type Figure = fn(&Report) -> String;

fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl App {
    fn restart(&mut self) {
        self.line = self
            .line
            .min(self.project.config.lines.len().saturating_sub(1));
        let (problems, sim) = self.project.prepare(Some(self.seed), true);
        self.problems = Rc::new(problems);
        self.read_traffic();
        self.names = Rc::new(self.project.agent_names());
        self.selected = None;
        self.last_frame = None;
        match sim.map(|sim| LiveRun::new(sim, self.project.agent_names())) {
            Ok(run) => {
                self.report = Some(Rc::new(run.report()));
                self.run = Some(run);
                self.run_error = None;
            }
            Err(e) => {
                self.run = None;
                self.report = None;
                self.run_error = Some(e);
                self.playing = false;
            }
        }
    }

    /// Saves a change and runs the project again; the change can be undone.
    fn changed(&mut self) {
        let before = std::mem::replace(&mut self.saved, self.project.clone());
        if before != self.project {
            self.history.changed(before);
        }
        self.persist();
    }

    fn persist(&mut self) {
        if let Err(e) = storage::save(&self.project) {
            self.notice = Some(format!("The change is not saved: {e}."));
        }
        self.restart();
    }

    fn read_traffic(&mut self) {
        let day = local(self.project.zone(self.line), self.project.start, Shown::Day);
        self.traffic = Rc::new(TrafficView::of(
            &self.project,
            self.line,
            self.profile_day,
            day,
        ));
    }

    fn request_frame(&mut self, ctx: &Context<Self>) {
        self.frame = AnimationFrame::request(ctx.link().callback(Msg::Frame));
    }

    fn refresh_report(&mut self, wall: f64) {
        if let Some(run) = &self.run {
            self.report = Some(Rc::new(run.report()));
            self.report_at = wall;
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let (project, notice) = storage::open();
        let seed = project
            .simulation
            .get("seed")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(1);
        let mut app = App {
            saved: project.clone(),
            history: History::default(),
            traffic: Rc::default(),
            profile_day: None,
            project,
            line: 0,
            problems: Rc::new(Vec::new()),
            notice,
            drafts: Rc::new(BTreeMap::new()),
            run: None,
            run_error: None,
            playing: true,
            speed: 300.0,
            seed,
            frame: None,
            last_frame: None,
            report: None,
            names: Rc::new(BTreeMap::new()),
            report_at: 0.0,
            selected: None,
            drag: None,
            io_text: String::new(),
            io_message: None,
            new_agent: 1,
            send: ctx.link().callback(|m| m),
            editing: None,
            variants: vec![Change {
                mode: Some(Mode::Strictly),
                ..Change::default()
            }],
            comparison: None,
            compare_frame: None,
            compared: None,
            compare_error: None,
            drawn: RefCell::new(None),
            drawn_at: 0.0,
        };
        app.restart();
        if app.playing {
            app.request_frame(ctx);
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if !matches!(
            msg,
            Msg::Frame(_) | Msg::CompareWork | Msg::DragStart(_) | Msg::IoText(_)
        ) {
            self.drawn.take();
        }
        match msg {
            Msg::Edit(edit) => {
                edit(&mut self.project);
                self.changed();
            }
            Msg::Number {
                line,
                path,
                text,
                set,
            } => {
                let text = text.trim().replace([' ', '\u{a0}', ','], "");
                let value = if text.is_empty() {
                    Some(None)
                } else {
                    text.parse::<i64>().ok().map(Some)
                };
                match value {
                    Some(v) => {
                        Rc::make_mut(&mut self.drafts).remove(&path);
                        if let Some(line) = self.project.config.lines.get_mut(line) {
                            set(line, v);
                        }
                        self.changed();
                    }
                    None => {
                        Rc::make_mut(&mut self.drafts).insert(path, text);
                    }
                }
            }
            Msg::Undo | Msg::Redo => {
                let current = self.project.clone();
                let other = if matches!(msg, Msg::Undo) {
                    self.history.undo(current)
                } else {
                    self.history.redo(current)
                };
                let Some(p) = other else {
                    return false;
                };
                self.saved = p.clone();
                self.project = p;
                self.drafts = Rc::new(BTreeMap::new());
                self.persist();
            }
            Msg::Volume(text) => {
                let taken = text
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .is_some_and(|n| traffic::set_day_volume(&mut self.project, n).is_ok());
                if taken {
                    Rc::make_mut(&mut self.drafts).remove(VOLUME_DRAFT);
                    self.changed();
                } else {
                    Rc::make_mut(&mut self.drafts).insert(VOLUME_DRAFT.to_string(), text);
                }
            }
            Msg::Hour {
                line,
                day,
                hour,
                text,
            } => {
                let draft = hour_draft(line, day, hour);
                match traffic::set_hour(&mut self.project, line, Some(day), hour, &text) {
                    Ok(()) => {
                        Rc::make_mut(&mut self.drafts).remove(&draft);
                        self.changed();
                    }
                    Err(_) => {
                        Rc::make_mut(&mut self.drafts).insert(draft, text);
                    }
                }
            }
            Msg::ProfileDay(day) => {
                self.profile_day = day;
                self.read_traffic();
            }
            Msg::SelectLine(i) => {
                self.line = i.min(self.project.config.lines.len().saturating_sub(1));
                self.read_traffic();
                self.editing = None;
                self.compared = None;
            }
            Msg::AddLine => {
                self.line = self.project.add_line(self.line);
                self.changed();
            }
            Msg::RemoveLine(i) => {
                self.project.remove_line(i);
                if self.line >= i && self.line > 0 {
                    self.line -= 1;
                }
                self.changed();
            }
            Msg::Play => {
                if self.run.is_some() {
                    self.playing = true;
                    self.last_frame = None;
                    self.request_frame(ctx);
                }
            }
            Msg::Pause => {
                self.playing = false;
                self.frame = None;
                self.refresh_report(self.report_at);
            }
            Msg::Step => {
                self.playing = false;
                self.frame = None;
                if let Some(run) = &mut self.run {
                    run.step();
                }
                self.refresh_report(self.report_at);
            }
            Msg::Reset => {
                self.restart();
            }
            Msg::Speed(s) => self.speed = s,
            Msg::Seed(text) => match text.trim().parse::<u64>() {
                Ok(seed) => {
                    self.seed = seed;
                    Rc::make_mut(&mut self.drafts).remove("seed");
                    self.restart();
                }
                Err(_) => {
                    Rc::make_mut(&mut self.drafts).insert("seed".to_string(), text);
                }
            },
            Msg::Frame(now) => {
                self.frame = None;
                if !self.playing {
                    return false;
                }
                let dt = self
                    .last_frame
                    .map_or(0.0, |last| (now - last).clamp(0.0, MAX_FRAME_MS));
                self.last_frame = Some(now);
                let mut done = true;
                if let Some(run) = &mut self.run {
                    if self.speed.is_finite() {
                        run.advance((dt * self.speed) as i64);
                    } else {
                        let began = wall_ms();
                        while !run.finished() && wall_ms() - began < FAST_FRAME_MS {
                            run.advance(FAST_SLICE_MS);
                        }
                    }
                    done = run.finished();
                }
                if done || now - self.drawn_at >= REDRAW_EVERY_MS {
                    self.drawn.take();
                    self.drawn_at = now;
                }
                if done {
                    self.playing = false;
                    self.refresh_report(now);
                } else {
                    if now - self.report_at > REPORT_EVERY_MS {
                        self.refresh_report(now);
                    }
                    self.request_frame(ctx);
                }
            }
            Msg::Select(seq) => self.selected = Some(seq),
            Msg::Toggle(agent, what) => {
                if let Some(run) = &mut self.run {
                    run.toggle(&agent, what);
                }
            }
            Msg::DragStart(i) => {
                self.drag = Some(i);
                return false;
            }
            Msg::Drop(to) => {
                if let Some(from) = self.drag.take() {
                    self.project.move_entry(self.line, from, to);
                    self.changed();
                }
            }
            Msg::Move(from, to) => {
                self.project.move_entry(self.line, from, to);
                self.changed();
            }
            Msg::AddAgent => {
                let name = format!("New agent {}", self.new_agent);
                self.new_agent += 1;
                self.project.add_agent(self.line, &name);
                self.changed();
            }
            Msg::RemoveAgent(id) => {
                self.project.remove_agent(&id);
                self.changed();
            }
            Msg::AddDepartment(name) => {
                self.project.add_department(self.line, &name);
                self.changed();
            }
            Msg::IoText(text) => {
                self.io_text = text;
                return false;
            }
            Msg::Import => match Project::from_json(&self.io_text) {
                Ok(p) => {
                    self.project = p;
                    self.io_message = Some((true, "Imported.".to_string()));
                    self.changed();
                }
                Err(e) => self.io_message = Some((false, format!("Not imported: {e}"))),
            },
            Msg::ImportBitrix => {
                let mut p = self.project.clone();
                match p.import_bitrix(&self.io_text) {
                    Ok(i) => {
                        // The preview's arrivals go to the imported line, which the page shows.
                        let id = p.config.lines[i].id.clone();
                        retarget_arrivals(&mut p, &id);
                        self.project = p;
                        self.line = i;
                        self.io_message =
                            Some((true, format!("Imported the Bitrix24 line as `{id}`.")));
                        self.changed();
                    }
                    Err(e) => self.io_message = Some((false, format!("Not imported: {e}"))),
                }
            }
            Msg::Export => {
                self.io_text = self.project.to_json();
                self.io_message = Some((
                    true,
                    "The project in the engine's scenario format: `switchboard simulate` runs it."
                        .into(),
                ));
            }
            Msg::Share => {
                let fragment = storage::share_fragment(&self.project);
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_hash(&fragment);
                    let href = w.location().href().unwrap_or_default();
                    self.io_text = href;
                    self.io_message =
                        Some((true, "This address opens the project as it is now.".into()));
                }
            }
            Msg::DismissNotice => self.notice = None,
            Msg::EditAgent(id) => self.editing = id,
            Msg::VariantMode(i, v) => {
                if let Some(variant) = self.variants.get_mut(i) {
                    variant.mode = crate::project::choice(&v);
                }
            }
            Msg::VariantNumber {
                variant,
                max_chat,
                text,
            } => {
                let value = text.trim().parse::<i64>().ok();
                if let Some(v) = self.variants.get_mut(variant) {
                    if max_chat {
                        v.max_chat = value;
                    } else {
                        v.queue_time = value;
                    }
                }
            }
            Msg::AddVariant => self.variants.push(Change::default()),
            Msg::RemoveVariant(i) => {
                if i < self.variants.len() {
                    self.variants.remove(i);
                }
            }
            Msg::CompareStart => {
                self.compared = None;
                match Comparison::new(&self.project, self.line, &self.variants, self.seed) {
                    Ok(c) => {
                        self.comparison = Some(c);
                        self.compare_error = None;
                        self.compare_frame =
                            AnimationFrame::request(ctx.link().callback(|_| Msg::CompareWork));
                    }
                    Err(e) => self.compare_error = Some(e),
                }
            }
            Msg::CompareWork => {
                self.compare_frame = None;
                let Some(c) = &mut self.comparison else {
                    return false;
                };
                let began = wall_ms();
                while c.work() && wall_ms() - began < COMPARE_FRAME_MS {}
                if c.finished() {
                    self.compared = Some(c.reports());
                    self.comparison = None;
                } else {
                    self.compare_frame =
                        AnimationFrame::request(ctx.link().callback(|_| Msg::CompareWork));
                }
            }
            Msg::CompareCancel => {
                self.comparison = None;
                self.compare_frame = None;
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let (lane, log) = self
            .drawn
            .borrow_mut()
            .get_or_insert_with(|| (self.view_lane(ctx), self.view_log(ctx)))
            .clone();
        html! {
            <div class="app">
                <header>
                    <h1>{ "Switchboard" }</h1>
                    <p class="tagline">{ "See what a routing setting does before clients wait." }</p>
                    <div class="history">
                        <button onclick={link.callback(|_| Msg::Undo)} disabled={!self.history.can_undo()}
                            data-testid="undo">{ "Undo" }</button>
                        <button onclick={link.callback(|_| Msg::Redo)} disabled={!self.history.can_redo()}
                            data-testid="redo">{ "Redo" }</button>
                    </div>
                </header>
                if let Some(n) = &self.notice {
                    <div class="notice" role="status">
                        <span>{ n }</span>
                        <button onclick={link.callback(|_| Msg::DismissNotice)}>{ "Dismiss" }</button>
                    </div>
                }
                { self.view_player(ctx) }
                { self.view_lines(ctx) }
                <main>
                    <section class="settings" aria-label="Line settings">
                        <Settings index={self.line} line={self.project.config.lines.get(self.line).cloned()}
                            problems={self.problems.clone()} drafts={self.drafts.clone()}
                            start={self.project.start} send={self.send.clone()} />
                        <TrafficSettings view={self.traffic.clone()}
                            problems={self.problems.clone()} drafts={self.drafts.clone()} send={self.send.clone()} />
                    </section>
                    <section class="lane" aria-label="Queue">{ lane }</section>
                    <section class="log" aria-label="Event log">{ log }</section>
                </main>
                <section class="outcome" aria-label="Outcome">
                    if let Some(report) = &self.report {
                        <Outcome report={report.clone()} names={self.names.clone()} />
                    }
                </section>
                <section class="compare" aria-label="Compare variants">{ self.view_compare(ctx) }</section>
                <section class="io" aria-label="Import and export">{ self.view_io(ctx) }</section>
            </div>
        }
    }
}

/// A callback that sets an agent's shift from one edited end; `both` makes `(start, end)`.
fn edit_shift(
    link: &yew::html::Scope<App>,
    id: &str,
    both: impl Fn(String) -> (String, String) + 'static,
) -> Callback<String> {
    let id = id.to_string();
    link.callback(move |text: String| {
        let (start, end) = both(text);
        let id = id.clone();
        Msg::Edit(Box::new(move |p: &mut Project| {
            p.set_agent_shift(&id, &start, &end)
        }))
    })
}

/// Points all the project's arrivals at line `id` (after a Bitrix24 line was imported).
fn retarget_arrivals(p: &mut Project, id: &str) {
    if let Some(serde_json::Value::Array(sources)) = p.simulation.get_mut("arrivals") {
        for s in sources {
            if let Some(o) = s.as_object_mut() {
                o.insert("line".into(), serde_json::Value::String(id.to_string()));
            }
        }
    }
}

impl App {
    fn view_player(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let zone = self.project.zone(self.line);
        let (clock, day, progress) = match &self.run {
            Some(run) => (
                local(zone, run.now(), Shown::Clock),
                local(zone, run.now(), Shown::DayAndYear),
                run.progress(),
            ),
            None => ("--:--:--".into(), String::new(), 0.0),
        };
        let speed_change = link.callback(|e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            // The options' values are indexes into SPEEDS.
            let speed = s.value().parse::<usize>().ok().and_then(|i| SPEEDS.get(i));
            Msg::Speed(speed.map_or(60.0, |(v, _)| *v))
        });
        let seed_input = link.callback(|e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            Msg::Seed(i.value())
        });
        let counts = self.run.as_ref().map(|r| r.snapshot.counts.clone());
        html! {
            <section class="player" aria-label="Simulation">
                <div class="clock" aria-live="off">
                    <span class="time" data-testid="clock">{ clock }</span>
                    <span class="day">{ day }{ " · " }{ zone.name() }</span>
                </div>
                <div class="controls">
                    if self.playing {
                        <button onclick={link.callback(|_| Msg::Pause)} data-testid="pause">{ "Pause" }</button>
                    } else {
                        <button onclick={link.callback(|_| Msg::Play)} data-testid="play"
                            disabled={self.run.as_ref().is_none_or(LiveRun::finished)}>{ "Play" }</button>
                    }
                    <button onclick={link.callback(|_| Msg::Step)} data-testid="step">{ "Step" }</button>
                    <button onclick={link.callback(|_| Msg::Reset)} data-testid="reset">{ "Reset" }</button>
                    <label for="speed">{ "Speed" }</label>
                    <select id="speed" onchange={speed_change}>
                        { for SPEEDS.iter().enumerate().map(|(i, (v, l))| html! {
                            <option value={i.to_string()} selected={*v == self.speed || (*v - self.speed).abs() < 1e-9}>{ *l }</option>
                        }) }
                    </select>
                    <label for="seed">{ "Seed" }</label>
                    <input id="seed" class="seed" type="text" inputmode="numeric"
                        value={self.drafts.get("seed").cloned().unwrap_or_else(|| self.seed.to_string())}
                        oninput={seed_input} />
                    if self.drafts.contains_key("seed") {
                        <span class="error" role="alert">{ "The seed is a whole number from 0 up." }</span>
                    }
                </div>
                <progress max="1" value={progress.to_string()} aria-label="Share of the simulated day done"></progress>
                if let Some(c) = counts {
                    <dl class="counters" data-testid="counters">
                        <div><dt>{ "Offered" }</dt><dd data-testid="offered">{ c.offered }</dd></div>
                        <div><dt>{ "Answered" }</dt><dd data-testid="answered">{ c.answered }</dd></div>
                        <div><dt>{ "Abandoned" }</dt><dd>{ c.abandoned }</dd></div>
                        <div><dt>{ "Forwarded" }</dt><dd>{ c.forwarded }</dd></div>
                        <div><dt>{ "Off-hours notices" }</dt><dd>{ c.off_hours }</dd></div>
                        <div><dt>{ "Closed" }</dt><dd>{ c.closed }</dd></div>
                    </dl>
                }
                if let Some(e) = &self.run_error {
                    <p class="error" role="alert" data-testid="run-error">{ format!("The simulation cannot run: {e}") }</p>
                }
            </section>
        }
    }

    fn view_lane(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(line) = self.project.config.lines.get(self.line) else {
            return html! {};
        };
        let queue = line.queue.clone().unwrap_or_default();
        let n = queue.len();
        let limit = line.max_chat.unwrap_or(0);
        let views = self
            .run
            .as_ref()
            .map(|r| r.simulation().router().agents())
            .unwrap_or_default();
        // Maps and sets here are filled by `extend`, which inserts, not by `collect`, which
        // sorts first: each sort is code in the download for its element type.
        let mut snaps: BTreeMap<&str, &switchboard::sim::AgentState> = BTreeMap::new();
        if let Some(r) = &self.run {
            snaps.extend(r.snapshot.agents.iter().map(|a| (a.id.as_str(), a)));
        }
        let mut presence: BTreeMap<&str, &switchboard::eligibility::Presence> = BTreeMap::new();
        presence.extend(views.iter().map(|v| (v.id.as_str(), &v.presence)));
        let card = |i: usize, entry: &QueueEntry| -> Html {
            let (title, sub, agent_id) = match entry {
                QueueEntry::User(id) => {
                    let a = self.project.config.agents.iter().find(|a| &a.id == id);
                    let name = a.and_then(|a| a.name.clone()).unwrap_or_else(|| id.clone());
                    let deps = a.map(|a| a.departments.join(", ")).unwrap_or_default();
                    (name, deps, Some(id.clone()))
                }
                QueueEntry::Department(d) => {
                    let members: Vec<String> = self
                        .project
                        .config
                        .agents
                        .iter()
                        .filter(|a| a.departments.contains(d))
                        .map(|a| a.name.clone().unwrap_or_else(|| a.id.clone()))
                        .collect();
                    (format!("Department: {d}"), members.join(", "), None)
                }
            };
            let live = agent_id.as_deref().and_then(|id| {
                let s = snaps.get(id)?;
                let p = presence.get(id)?;
                let (state, class) = if p.dismissed {
                    ("dismissed", "off")
                } else if p.absent {
                    ("on vacation", "off")
                } else if p.line_pause {
                    ("paused", "off")
                } else if s.away {
                    ("away", "off")
                } else if !s.on_shift {
                    ("off shift", "off")
                } else if s.offline {
                    ("offline", "off")
                } else if limit > 0 && s.dialogs.len() as i64 >= limit {
                    ("at limit", "full")
                } else if !s.dialogs.is_empty() {
                    ("working", "busy")
                } else {
                    ("available", "free")
                };
                Some(CardLive {
                    state,
                    class,
                    dialogs: s.dialogs.iter().map(|d| d.0).collect(),
                    assignments: s.assignments,
                    paused: p.line_pause,
                    absent: p.absent,
                    away: s.away,
                })
            });
            let editing = agent_id.is_some() && agent_id == self.editing;
            let form = match (&agent_id, editing) {
                (Some(id), true) => self.agent_form(ctx, id),
                _ => html! {},
            };
            html! {
                <AgentCard index={i} count={n} title={title} sub={sub} agent={agent_id}
                    live={live} editing={editing} send={self.send.clone()}>
                    { form }
                </AgentCard>
            }
        };
        // The shown line's undistributed enquiries, oldest first, with how long they have
        // waited.
        let waiting = self
            .run
            .as_ref()
            .zip(self.project.config.lines.get(self.line))
            .map(|(r, line)| {
                let mut here: BTreeSet<DialogId> = BTreeSet::new();
                here.extend(r.simulation().router().waiting(&LineId::new(&line.id)));
                r.snapshot
                    .queue
                    .iter()
                    .filter(|(d, _)| here.contains(d))
                    .map(|(d, at)| (d.to_string(), r.now().since(*at) / 1000))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let mut departments: BTreeSet<String> = BTreeSet::new();
        departments.extend(
            self.project
                .config
                .agents
                .iter()
                .flat_map(|a| a.departments.iter().cloned()),
        );
        html! {
            <>
                <h2>{ "Queue" }<small>{ " in order; drag a card or use its arrows" }</small></h2>
                { problems_at(&self.problems, &line_path(self.line, "queue")) }
                <ol class="cards" data-testid="queue">
                    { for queue.iter().enumerate().map(|(i, e)| card(i, e)) }
                </ol>
                <div class="row">
                    <button onclick={link.callback(|_| Msg::AddAgent)} data-testid="add-agent">{ "Add agent" }</button>
                    { for departments.into_iter().map(|d| {
                        let label = format!("Add department {d}");
                        html! { <button onclick={link.callback(move |_| Msg::AddDepartment(d.clone()))}>{ label }</button> }
                    }) }
                </div>
                <h3>{ format!("Waiting ({})", waiting.len()) }</h3>
                <ul class="waiting" data-testid="waiting">
                    { for waiting.iter().take(30).map(|(d, s)| html! { <li>{ format!("{d} · {s} s") }</li> }) }
                </ul>
            </>
        }
    }

    /// A card's form: name, departments, state at the start of the run, shift.
    fn agent_form(&self, ctx: &Context<Self>, id: &str) -> Html {
        let link = ctx.link();
        let Some(agent) = self.project.config.agents.iter().find(|a| a.id == id) else {
            return html! {};
        };
        let index = self
            .project
            .config
            .agents
            .iter()
            .position(|a| a.id == id)
            .unwrap_or(0);
        let path = |field: &str| format!("agents[{index}].{field}");
        let edit = |f: fn(&mut Project, &str, String)| {
            let id = id.to_string();
            link.callback(move |text: String| {
                let id = id.clone();
                Msg::Edit(Box::new(move |p: &mut Project| f(p, &id, text)))
            })
        };
        let status = if agent.dismissed {
            "dismissed"
        } else if agent.absent {
            "vacation"
        } else if agent.line_pause {
            "paused"
        } else {
            "working"
        };
        let shift = self.project.agent_shift(id);
        html! {
            <div class="agent-form" data-testid="agent-form">
                <TextField label="Name" path={path("name")} value={agent.name.clone().unwrap_or_default()}
                    problems={(*self.problems).clone()}
                    on_input={edit(|p, id, t| if let Some(a) = p.agent_mut(id) { a.name = Some(t) })} />
                <TextField label="Departments" path={path("departments")} value={agent.departments.join(", ")}
                    hint="separated by commas" problems={(*self.problems).clone()}
                    on_input={edit(|p, id, t| if let Some(a) = p.agent_mut(id) {
                        a.departments = t.split(',').map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
                    })} />
                <SelectField label="At the start of the run" path={path("status")} value={status}
                    options={vec![
                        ("working".into(), "working".into()),
                        ("paused".into(), "on the Open Channels pause".into()),
                        ("vacation".into(), "on vacation".into()),
                        ("dismissed".into(), "dismissed".into()),
                    ]}
                    problems={(*self.problems).clone()}
                    on_change={edit(|p, id, v| if let Some(a) = p.agent_mut(id) {
                        a.line_pause = v == "paused";
                        a.absent = v == "vacation";
                        a.dismissed = v == "dismissed";
                    })} />
                if let Some((start, end)) = shift {
                    <div class="pair">
                        <TextField label="Shift starts" path={format!("simulation.agents.by_agent.{id}.shift.start")}
                            value={start} hint="HH:MM, in the shift's zone" problems={(*self.problems).clone()}
                            on_input={{
                                let end = self.project.agent_shift(id).map(|s| s.1).unwrap_or_default();
                                edit_shift(link, id, move |t| (t, end.clone()))
                            }} />
                        <TextField label="Shift ends" path={format!("simulation.agents.by_agent.{id}.shift.end")}
                            value={end} hint="HH:MM" problems={(*self.problems).clone()}
                            on_input={{
                                let start = self.project.agent_shift(id).map(|s| s.0).unwrap_or_default();
                                edit_shift(link, id, move |t| (start.clone(), t))
                            }} />
                    </div>
                }
            </div>
        }
    }

    fn view_log(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(run) = &self.run else {
            return html! { <p>{ "No run." }</p> };
        };
        let zone = self.project.zone(self.line);
        let selected = self
            .selected
            .and_then(|s| run.log.iter().find(|e| e.seq == s));
        html! {
            <>
                <h2>{ "What happens" }<small>{ " · click an entry for why" }</small></h2>
                <ol class="entries" data-testid="log" reversed=true>
                    { for run.log.iter().rev().take(120).map(|e| {
                        let seq = e.seq;
                        html! {
                            <li class={classes!(e.kind, (Some(seq) == self.selected).then_some("selected"))}>
                                <button class="entry" onclick={link.callback(move |_| Msg::Select(seq))}>
                                    <time>{ local(zone, e.at, Shown::Clock) }</time>{ " " }{ &e.text }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
                <div class="why" data-testid="why" aria-live="polite">
                    if let Some(e) = selected {
                        <h3>{ format!("{} at {}", e.text, local(zone, e.at, Shown::Clock)) }</h3>
                        if let Some(d) = &e.decision {
                            <p class="summary">{ &d.summary }</p>
                            <ul>
                                { for d.candidates.iter().map(|c| html! {
                                    <li class={classes!(if matches!(c.verdict, switchboard::explain::Verdict::Chosen) { "chosen" } else { "skipped" })}>
                                        <strong>{ run.name(&c.agent) }</strong>{ ": " }{ &c.why }
                                    </li>
                                }) }
                            </ul>
                        } else {
                            <p>{ "This entry is not a routing decision; pick an \"offered\" or \"waits\" entry to see who was chosen and why." }</p>
                        }
                    }
                </div>
            </>
        }
    }

    fn view_compare(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let rows: [(&str, Figure); 11] = [
            ("Offered", |r: &Report| r.enquiries.offered.to_string()),
            ("Answered", |r: &Report| r.enquiries.answered.to_string()),
            ("Service level", |r: &Report| {
                format!(
                    "{:.1} % within {:.0} s",
                    100.0 * r.first_response.within_target,
                    r.first_response.target_s
                )
            }),
            ("First response, mean", |r: &Report| {
                format!("{:.0} s", r.first_response.mean_s)
            }),
            ("First response, 90th percentile", |r: &Report| {
                format!("{:.0} s", r.first_response.p90_s)
            }),
            ("Found nobody free", |r: &Report| {
                format!("{:.1} %", 100.0 * r.waiting.probability)
            }),
            ("Left before a reply", |r: &Report| {
                format!("{:.1} %", 100.0 * r.waiting.abandon_rate)
            }),
            ("Forwarded", |r: &Report| r.enquiries.forwarded.to_string()),
            ("Longest queue", |r: &Report| r.queue.max.to_string()),
            ("Fairness (Jain)", |r: &Report| {
                format!("{:.3}", r.fairness.jain)
            }),
            ("Most / fewest per agent", |r: &Report| {
                format!("{} / {}", r.fairness.max, r.fairness.min)
            }),
        ];
        html! {
            <>
                <h2>{ "Compare" }<small>{ format!(" · variants of {}, on the same arrivals, to the end of the run", self.line_name()) }</small></h2>
                <ol class="variants" data-testid="variants">
                    { for self.variants.iter().enumerate().map(|(i, v)| self.view_variant(ctx, i, v)) }
                </ol>
                <div class="row">
                    <button onclick={link.callback(|_| Msg::AddVariant)} data-testid="add-variant">{ "Add a variant" }</button>
                    if self.comparison.is_some() {
                        <button onclick={link.callback(|_| Msg::CompareCancel)} data-testid="compare-cancel">{ "Cancel" }</button>
                    } else {
                        <button onclick={link.callback(|_| Msg::CompareStart)} data-testid="compare"
                            disabled={self.variants.is_empty()}>{ "Compare" }</button>
                    }
                </div>
                if let Some(c) = &self.comparison {
                    <progress max="1" value={c.progress().to_string()} aria-label="Comparison progress" data-testid="compare-progress"></progress>
                }
                if let Some(e) = &self.compare_error {
                    <p class="error" role="alert">{ format!("The variant cannot run: {e}") }</p>
                }
                if let Some(results) = &self.compared {
                    <table class="compared" data-testid="compared">
                        <thead><tr><th></th>{ for results.iter().map(|(l, _)| html! { <th scope="col">{ l }</th> }) }</tr></thead>
                        <tbody>
                            { for rows.iter().map(|(name, f)| html! {
                                <tr><th scope="row">{ *name }</th>{ for results.iter().map(|(_, r)| html! { <td>{ f(r) }</td> }) }</tr>
                            }) }
                        </tbody>
                    </table>
                }
            </>
        }
    }

    /// One variant's changes: mode, limit and forward time, each "as configured" when empty.
    fn view_variant(&self, ctx: &Context<Self>, i: usize, v: &Change) -> Html {
        let link = ctx.link();
        let mode = v.mode.map_or("", mode_name);
        let on_mode = link.callback(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Msg::VariantMode(i, s.value())
        });
        let number = |max_chat: bool| {
            link.callback(move |e: InputEvent| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                Msg::VariantNumber {
                    variant: i,
                    max_chat,
                    text: input.value(),
                }
            })
        };
        let id = |what: &str| format!("variant-{i}-{what}");
        let n = i + 1;
        html! {
            <li class="row variant">
                <label for={id("mode")}>{ format!("Variant {n}: mode") }</label>
                <select id={id("mode")} onchange={on_mode}>
                    <option value="" selected={mode.is_empty()}>{ "as configured" }</option>
                    { for [Mode::Evenly, Mode::Strictly, Mode::All].iter().map(|m| html! {
                        <option value={mode_name(*m)} selected={mode == mode_name(*m)}>{ mode_name(*m) }</option>
                    }) }
                </select>
                <label for={id("max")}>{ "dialogs per agent" }</label>
                <input id={id("max")} class="short" type="text" inputmode="numeric" placeholder="as configured"
                    value={v.max_chat.map(|n| n.to_string()).unwrap_or_default()} oninput={number(true)} />
                <label for={id("forward")}>{ "forward after (s)" }</label>
                <input id={id("forward")} class="short" type="text" inputmode="numeric" placeholder="as configured"
                    value={v.queue_time.map(|n| n.to_string()).unwrap_or_default()} oninput={number(false)} />
                <button aria-label={format!("Remove variant {n}")}
                    onclick={link.callback(move |_| Msg::RemoveVariant(i))}>{ "✕" }</button>
            </li>
        }
    }

    /// The shown line's name, or its id.
    fn line_name(&self) -> String {
        self.project
            .config
            .lines
            .get(self.line)
            .map(|l| l.name.clone().unwrap_or_else(|| l.id.clone()))
            .unwrap_or_default()
    }

    /// The project's lines as tabs: pick the one to show and edit, add one, remove one.
    fn view_lines(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lines = &self.project.config.lines;
        html! {
            <nav class="lines" aria-label="Lines">
                <div class="tabs">
                    { for lines.iter().enumerate().map(|(i, l)| {
                        let name = l.name.clone().unwrap_or_else(|| l.id.clone());
                        let on = i == self.line;
                        html! {
                            <button aria-current={on.then_some("true")} class={classes!("tab", on.then_some("on"))}
                                data-testid="line-tab" onclick={link.callback(move |_| Msg::SelectLine(i))}>{ name }</button>
                        }
                    }) }
                </div>
                <button onclick={link.callback(|_| Msg::AddLine)} data-testid="add-line">{ "Add a line" }</button>
                if lines.len() > 1 {
                    <button onclick={{ let i = self.line; link.callback(move |_| Msg::RemoveLine(i)) }}
                        data-testid="remove-line">{ format!("Remove {}", self.line_name()) }</button>
                }
            </nav>
        }
    }

    fn view_io(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let oninput = link.callback(|e: InputEvent| {
            let t: HtmlTextAreaElement = e.target_unchecked_into();
            Msg::IoText(t.value())
        });
        html! {
            <>
                <h2>{ "Keep and share" }</h2>
                <div class="row">
                    <button onclick={link.callback(|_| Msg::Export)} data-testid="export">{ "Export JSON" }</button>
                    <button onclick={link.callback(|_| Msg::Import)} data-testid="import">{ "Import JSON" }</button>
                    <button onclick={link.callback(|_| Msg::ImportBitrix)} data-testid="import-bitrix">{ "Import a Bitrix24 line" }</button>
                    <button onclick={link.callback(|_| Msg::Share)} data-testid="share">{ "Share link" }</button>
                </div>
                <label for="io">{ "Project JSON, a Bitrix24 imopenlines.config.get response, or a link" }</label>
                <textarea id="io" rows="6" value={self.io_text.clone()} {oninput} data-testid="io"></textarea>
                if let Some((ok, m)) = &self.io_message {
                    <p class={if *ok { "ok" } else { "error" }} role="status" data-testid="io-message">{ m }</p>
                }
            </>
        }
    }
}
