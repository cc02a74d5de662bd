//! The page: the project being edited, the run being played, and every message that changes
//! either. Edits save at once; a changed configuration restarts the run from its start.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use switchboard::config::{
    AutoCloseConfig, LineConfig, NoAnswerConfig, ReplyConfig, WelcomeBotConfig, WorktimeConfig,
};
use switchboard::ids::AgentId;
use switchboard::model::{BotJoin, MaxChatType, Mode, NoAnswerRule, QueueEntry, ReplyRule};
use switchboard::sim::report::Report;
use switchboard::worktime::{hhmm, Openness};
use switchboard::Diagnostic;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::charts;
use super::fields::{problems_at, CheckField, NumberField, SelectField, TextField};
use super::traffic::{hour_draft, TrafficSettings, TrafficView, VOLUME_DRAFT};
use crate::compare::{mode_name, Change, Comparison};
use crate::frame::AnimationFrame;
use crate::history::History;
use crate::live::{local, LiveRun, Toggle};
use crate::project::{open_week, Project};
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
        hour: usize,
        text: String,
    },
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
        self.problems = Rc::new(self.project.diagnostics());
        self.names = Rc::new(self.project.agent_names());
        self.selected = None;
        self.last_frame = None;
        match LiveRun::new(&self.project, Some(self.seed)) {
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

/// A line field's path as the engine's diagnostics name it.
fn line_path(i: usize, field: &str) -> String {
    format!("lines[{i}].{field}")
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
            Msg::Hour { line, hour, text } => {
                match traffic::set_hour(&mut self.project, line, hour, &text) {
                    Ok(()) => {
                        Rc::make_mut(&mut self.drafts).remove(&hour_draft(line, hour));
                        self.changed();
                    }
                    Err(_) => {
                        Rc::make_mut(&mut self.drafts).insert(hour_draft(line, hour), text);
                    }
                }
            }
            Msg::SelectLine(i) => {
                self.line = i.min(self.project.config.lines.len().saturating_sub(1));
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
                    variant.mode = serde_json::from_value(serde_json::Value::String(v)).ok();
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
                        <TrafficSettings view={TrafficView::of(&self.project, self.line, local(self.project.zone(self.line), self.project.start, "%a %d %b"))}
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

/// A line's settings. A component of its own, so that it renders when the line, its
/// problems or a draft change, not on every frame of a run.
#[derive(Properties, PartialEq)]
struct SettingsProps {
    /// The line's index in the configuration.
    index: usize,
    line: Option<LineConfig>,
    problems: Rc<Vec<Diagnostic>>,
    drafts: Rc<BTreeMap<String, String>>,
    /// Where the run starts: the week shown in the hours grid.
    start: switchboard::Time,
    /// The app's messages; made once, so that it compares equal from render to render.
    send: Callback<Msg>,
}

#[function_component(Settings)]
fn settings(props: &SettingsProps) -> Html {
    let link = &props.send;
    let index = props.index;
    let Some(line) = props.line.as_ref() else {
        return html! { <p>{ "The project has no line. Import one below." }</p> };
    };
    let problems = (*props.problems).clone();
    let number = |label: &'static str,
                  field: &'static str,
                  value: Option<i64>,
                  unit: &'static str,
                  hint: &'static str,
                  set: fn(&mut LineConfig, Option<i64>)| {
        let path = line_path(index, field);
        let p = path.clone();
        html! {
            <NumberField label={label} path={path.clone()} value={value} unit={unit} hint={hint}
                draft={props.drafts.get(&path).cloned()} problems={problems.clone()}
                on_input={link.reform(move |text| Msg::Number { line: index, path: p.clone(), text, set })} />
        }
    };
    let mode = match line.mode.unwrap_or(Mode::All) {
        Mode::Evenly => "evenly",
        Mode::Strictly => "strictly",
        Mode::All => "all",
    };
    let max_type = match line.type_max_chat.unwrap_or(MaxChatType::Answered) {
        MaxChatType::AnsweredNew => "answered_new",
        MaxChatType::Answered => "answered",
        MaxChatType::Closed => "closed",
    };
    let worktime = line.worktime.clone().unwrap_or_else(new_worktime);
    let edit_worktime = move |f: fn(&mut WorktimeConfig, String)| {
        link.reform(move |text: String| {
            Msg::Edit(Box::new(move |p: &mut Project| {
                if let Some(l) = p.config.lines.get_mut(index) {
                    let w = l.worktime.get_or_insert_with(new_worktime);
                    f(w, text);
                }
            }))
        })
    };
    let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let edit_line = |f: fn(&mut LineConfig, String)| {
        link.reform(move |v: String| {
            Msg::Edit(Box::new(move |p: &mut Project| {
                if let Some(l) = p.config.lines.get_mut(index) {
                    f(l, v);
                }
            }))
        })
    };
    let no_answer = line.no_answer.clone();
    let off_hours = line.off_hours.clone();
    let auto_close = line.auto_close.clone();
    let bot = line.welcome_bot.clone();
    let rule_name = |r: ReplyRule| if r == ReplyRule::Text { "text" } else { "none" };
    html! {
        <>
            <h2>{ line.name.clone().unwrap_or_else(|| line.id.clone()) }</h2>
            { problems_at(&props.problems, "") }
            <TextField label="Line name" path={line_path(index, "name")}
                value={line.name.clone().unwrap_or_default()} hint={format!("shown on the tab; the line's id is {}", line.id)}
                problems={(*props.problems).clone()}
                on_input={edit_line(|l, t| l.name = (!t.trim().is_empty()).then_some(t))} />
            <SelectField label="Distribution" path={line_path(index, "mode")} value={mode}
                options={vec![
                    ("evenly".into(), "Evenly: longest since last assignment".into()),
                    ("strictly".into(), "Strictly in queue order".into()),
                    ("all".into(), "To everybody at once".into()),
                ]}
                problems={(*props.problems).clone()}
                on_change={link.reform(move |v: String| Msg::Edit(Box::new(move |p: &mut Project| {
                    if let Some(l) = p.config.lines.get_mut(index) {
                        l.mode = serde_json::from_value(serde_json::Value::String(v)).ok();
                    }
                })))} />
            { number("Forward if not taken within", "queue_time", line.queue_time, "s",
                "60 to 43,200; Bitrix24's default is 60", |l, v| l.queue_time = v) }
            { number("No-answer time", "no_answer_time", line.no_answer_time, "s",
                "60 to 43,200; default 60", |l, v| l.no_answer_time = v) }
            <CheckField label="Check availability (pause, vacation, workday, online)"
                path={line_path(index, "check_available")} checked={line.check_available.unwrap_or(false)}
                problems={(*props.problems).clone()}
                on_change={link.reform(move |on: bool| Msg::Edit(Box::new(move |p: &mut Project| {
                    if let Some(l) = p.config.lines.get_mut(index) { l.check_available = Some(on); }
                })))} />
            { number("Dialogs per agent", "max_chat", line.max_chat, "dialogs",
                "0 to 1,000; 0 is no limit", |l, v| l.max_chat = v) }
            <SelectField label="A dialog stops counting toward the limit" path={line_path(index, "type_max_chat")}
                value={max_type}
                options={vec![
                    ("answered_new".into(), "once answered (new dialogs only)".into()),
                    ("answered".into(), "once answered".into()),
                    ("closed".into(), "once closed".into()),
                ]}
                problems={(*props.problems).clone()}
                on_change={link.reform(move |v: String| Msg::Edit(Box::new(move |p: &mut Project| {
                    if let Some(l) = p.config.lines.get_mut(index) {
                        l.type_max_chat = serde_json::from_value(serde_json::Value::String(v)).ok();
                    }
                })))} />
            <CheckField label="Send known clients to their responsible agent (CRM)"
                path={line_path(index, "crm_forward")} checked={line.crm_forward.unwrap_or(true)}
                problems={(*props.problems).clone()}
                on_change={link.reform(move |on: bool| Msg::Edit(Box::new(move |p: &mut Project| {
                    if let Some(l) = p.config.lines.get_mut(index) { l.crm_forward = Some(on); }
                })))} />
            { number("Fully closed after", "full_close_time", line.full_close_time, "min",
                "minutes from the agent's close; default 10", |l, v| l.full_close_time = v) }

            <h3>{ "When nobody answers" }</h3>
            <SelectField label="After the no-answer time" path={line_path(index, "no_answer.rule")}
                value={match no_answer.as_ref().map(|n| n.rule) {
                    Some(NoAnswerRule::Text) => "text",
                    Some(NoAnswerRule::Queue) => "queue",
                    _ => "none",
                }}
                options={vec![
                    ("none".into(), "only mark the dialog unanswered".into()),
                    ("text".into(), "send the client a message".into()),
                    ("queue".into(), "put the dialog back into the queue".into()),
                ]}
                problems={(*props.problems).clone()}
                on_change={edit_line(|l, v| {
                    let rule = serde_json::from_value(serde_json::Value::String(v)).unwrap_or_default();
                    let text = l.no_answer.take().map(|n| n.text).unwrap_or_default();
                    l.no_answer = Some(NoAnswerConfig { rule, text });
                })} />
            if no_answer.as_ref().is_some_and(|n| n.rule == NoAnswerRule::Text) {
                <TextField label="No-answer message" path={line_path(index, "no_answer.text")}
                    value={no_answer.as_ref().map(|n| n.text.clone()).unwrap_or_default()}
                    problems={(*props.problems).clone()}
                    on_input={edit_line(|l, t| if let Some(n) = &mut l.no_answer { n.text = t })} />
            }
            <SelectField label="Outside working hours" path={line_path(index, "off_hours.rule")}
                value={rule_name(off_hours.as_ref().map_or(ReplyRule::None, |o| o.rule))}
                options={vec![("none".into(), "queue silently".into()), ("text".into(), "send the client a message".into())]}
                problems={(*props.problems).clone()}
                on_change={edit_line(|l, v| {
                    let rule = if v == "text" { ReplyRule::Text } else { ReplyRule::None };
                    let text = l.off_hours.take().map(|o| o.text).unwrap_or_default();
                    l.off_hours = Some(ReplyConfig { rule, text });
                })} />
            if off_hours.as_ref().is_some_and(|o| o.rule == ReplyRule::Text) {
                <TextField label="Off-hours message" path={line_path(index, "off_hours.text")}
                    value={off_hours.as_ref().map(|o| o.text.clone()).unwrap_or_default()}
                    problems={(*props.problems).clone()}
                    on_input={edit_line(|l, t| if let Some(o) = &mut l.off_hours { o.text = t })} />
            }
            <SelectField label="When the client goes silent after a reply" path={line_path(index, "auto_close.rule")}
                value={rule_name(auto_close.as_ref().map_or(ReplyRule::None, |a| a.rule))}
                options={vec![("none".into(), "close without a message".into()), ("text".into(), "close with a message".into())]}
                problems={(*props.problems).clone()}
                on_change={edit_line(|l, v| {
                    let a = l.auto_close.get_or_insert(AutoCloseConfig { rule: ReplyRule::None, text: String::new(), time: None });
                    a.rule = if v == "text" { ReplyRule::Text } else { ReplyRule::None };
                })} />
            { number("Auto-close after", "auto_close.time", auto_close.as_ref().and_then(|a| a.time), "s",
                "seconds of silence after the agent's reply; default 14,400", |l, v| {
                    l.auto_close.get_or_insert(AutoCloseConfig { rule: ReplyRule::None, text: String::new(), time: None }).time = v;
                }) }
            <CheckField label="A welcome bot answers first" path={line_path(index, "welcome_bot.enabled")}
                checked={bot.as_ref().is_some_and(|b| b.enabled)} problems={(*props.problems).clone()}
                on_change={link.reform(move |on: bool| Msg::Edit(Box::new(move |p: &mut Project| {
                    if let Some(l) = p.config.lines.get_mut(index) {
                        l.welcome_bot.get_or_insert(WelcomeBotConfig { enabled: on, time: None, join: BotJoin::Always }).enabled = on;
                    }
                })))} />
            if bot.as_ref().is_some_and(|b| b.enabled) {
                { number("Bot hands over to the queue after", "welcome_bot.time", bot.as_ref().and_then(|b| b.time), "s",
                    "default 600; 0 keeps the dialog with the bot", |l, v| {
                        if let Some(b) = &mut l.welcome_bot { b.time = v; }
                    }) }
                <SelectField label="The bot joins" path={line_path(index, "welcome_bot.join")}
                    value={if bot.as_ref().is_some_and(|b| b.join == BotJoin::First) { "first" } else { "always" }}
                    options={vec![("always".into(), "every dialog".into()), ("first".into(), "a client's first dialog only".into())]}
                    problems={(*props.problems).clone()}
                    on_change={edit_line(|l, v| if let Some(b) = &mut l.welcome_bot {
                        b.join = if v == "first" { BotJoin::First } else { BotJoin::Always };
                    })} />
            }

            <h3>{ "Working hours" }</h3>
            <TextField label="Time zone" path={line_path(index, "worktime.timezone")}
                value={worktime.timezone.clone()} list={Some(AttrValue::from("zones"))}
                hint="IANA name, e.g. Europe/Berlin"
                problems={(*props.problems).clone()}
                on_input={edit_worktime(|w, t| w.timezone = t)} />
            <ZoneList />
            <div class="pair">
                <TextField label="Opens" path={line_path(index, "worktime.from")}
                    value={worktime.from.clone().unwrap_or_default()} hint="HH:MM"
                    problems={(*props.problems).clone()}
                    on_input={edit_worktime(|w, t| w.from = (!t.is_empty()).then_some(t))} />
                <TextField label="Closes" path={line_path(index, "worktime.to")}
                    value={worktime.to.clone().unwrap_or_default()} hint="HH:MM"
                    problems={(*props.problems).clone()}
                    on_input={edit_worktime(|w, t| w.to = (!t.is_empty()).then_some(t))} />
            </div>
            <fieldset class="days">
                <legend>{ "Days off" }</legend>
                { for days.iter().map(|d| {
                    let day = d.to_string();
                    let checked = worktime.days_off.iter().any(|x| x == d);
                    let id = format!("dayoff-{d}");
                    html! {
                        <span class="day">
                            <input id={id.clone()} type="checkbox" checked={checked}
                                onchange={edit_worktime(|w, day| {
                                    if w.days_off.contains(&day) {
                                        w.days_off.retain(|x| *x != day);
                                    } else {
                                        w.days_off.push(day);
                                    }
                                }).reform(move |_: Event| day.clone())} />
                            <label for={id}>{ *d }</label>
                        </span>
                    }
                }) }
                { problems_at(&props.problems, &line_path(index, "worktime.days_off")) }
            </fieldset>
            <TextField label="Holidays" path={line_path(index, "worktime.holidays")}
                value={worktime.holidays.join(", ")} hint="DD.MM, separated by commas, or pick days below"
                problems={(*props.problems).clone()}
                on_input={edit_worktime(|w, t| {
                    w.holidays = t.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                })} />
            <HolidayCalendar holidays={worktime.holidays.clone()} start={props.start}
                on_toggle={edit_worktime(|w, day| {
                    if w.holidays.contains(&day) {
                        w.holidays.retain(|h| *h != day);
                    } else {
                        w.holidays.push(day);
                    }
                })} />
            { open_hours(line, props.start) }
        </>
    }
}

/// The figures and charts of the report. A component of its own, so that it renders when a new
/// report comes (twice a second while playing), not on every frame.
#[derive(Properties)]
struct OutcomeProps {
    report: Rc<Report>,
    names: Rc<BTreeMap<AgentId, String>>,
}

impl PartialEq for OutcomeProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report) && Rc::ptr_eq(&self.names, &other.names)
    }
}

#[function_component(Outcome)]
fn outcome(props: &OutcomeProps) -> Html {
    let r = &*props.report;
    let queue: Vec<f64> = r.series.iter().map(|p| p.queue as f64).collect();
    let busy: Vec<f64> = r.series.iter().map(|p| p.busy_agents as f64).collect();
    let arrivals: Vec<f64> = r.series.iter().map(|p| p.arrivals as f64).collect();
    let answered: Vec<f64> = r.series.iter().map(|p| p.answered as f64).collect();
    let names = |id: &AgentId| {
        props
            .names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    let load: Vec<(String, f64, String)> = r
        .agents
        .iter()
        .map(|a| {
            (
                names(&a.id),
                a.assignments as f64,
                a.assignments.to_string(),
            )
        })
        .collect();
    let f = &r.first_response;
    let of_answered = f.count.max(1) as f64;
    let histogram: Vec<(String, f64, String)> = f
        .histogram
        .iter()
        .scan(0, |from, b| {
            let label = match b.up_to_s {
                Some(to) if *from == 0 => format!("up to {}", span(to)),
                Some(to) => format!("{}–{}", span(*from), span(to)),
                None => format!("over {}", span(*from)),
            };
            *from = b.up_to_s.unwrap_or(*from);
            let share = b.count as f64 / of_answered;
            Some((
                label,
                share,
                format!("{} · {:.0} %", b.count, 100.0 * share),
            ))
        })
        .collect();
    let spread = vec![
        ("mean".to_string(), f.mean_s, format!("{:.0} s", f.mean_s)),
        ("median".to_string(), f.p50_s, format!("{:.0} s", f.p50_s)),
        (
            "90th percentile".to_string(),
            f.p90_s,
            format!("{:.0} s", f.p90_s),
        ),
        (
            "99th percentile".to_string(),
            f.p99_s,
            format!("{:.0} s", f.p99_s),
        ),
    ];
    html! {
        <>
            <h2>{ "Outcome so far" }</h2>
            <dl class="figures" data-testid="figures">
                <div><dt>{ "Service level" }</dt><dd>{ format!("{:.0} % within {:.0} s", 100.0 * f.within_target, f.target_s) }</dd></div>
                <div><dt>{ "Waited at all" }</dt><dd>{ format!("{:.0} %", 100.0 * r.waiting.probability) }</dd></div>
                <div><dt>{ "Abandoned" }</dt><dd>{ format!("{:.1} %", 100.0 * r.waiting.abandon_rate) }</dd></div>
                <div><dt>{ "Fairness (Jain)" }</dt><dd data-testid="jain">{ format!("{:.3}", r.fairness.jain) }</dd></div>
                <div><dt>{ "Most / fewest" }</dt><dd>{ format!("{} / {}", r.fairness.max, r.fairness.min) }</dd></div>
                <div><dt>{ "Longest queue" }</dt><dd>{ r.queue.max }</dd></div>
            </dl>
            <div class="charts">
                { charts::lines("Queue length and busy agents", &[("queue", queue), ("busy", busy)],
                    "per sampling interval: waiting enquiries (red) and agents with a dialog (blue)") }
                { charts::lines("Arrivals and answers", &[("arrivals", arrivals), ("answered", answered)],
                    "per sampling interval: new enquiries (grey) and first answers (green)") }
                { charts::bars("First response", &spread, "how long clients wait for a first answer") }
                { charts::bars("First response, distribution", &histogram, "answered enquiries by time to the first answer") }
                { charts::bars("Assignments per agent", &load, "1.000 on Jain's index is a perfectly even split") }
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct CalendarProps {
    /// The line's holidays, `DD.MM`.
    holidays: Vec<String>,
    /// The run's start: the month the calendar opens on.
    start: switchboard::Time,
    /// Called with a day's `DD.MM` to add it or take it away.
    on_toggle: Callback<String>,
}

/// Holidays on a month's calendar. Bitrix24's holidays are days of the year (`DD.MM`), the same
/// every year; the weekdays shown are those of the run's year.
#[function_component(HolidayCalendar)]
fn holiday_calendar(p: &CalendarProps) -> Html {
    use chrono::{Datelike, NaiveDate};
    let opening = chrono::DateTime::from_timestamp_millis(p.start.0)
        .map_or((2026, 1), |d| (d.year(), d.month()));
    let shown = use_state(|| opening);
    let (year, month) = *shown;
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return html! {};
    };
    let next = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let prev = if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    };
    let days = NaiveDate::from_ymd_opt(next.0, next.1, 1)
        .map_or(31, |n| n.signed_duration_since(first).num_days() as u32);
    let lead = first.weekday().num_days_from_monday() as usize;
    let title = first.format("%B %Y").to_string();
    let go = |to: (i32, u32)| {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(to))
    };
    let cells: Vec<Option<u32>> = std::iter::repeat_n(None, lead)
        .chain((1..=days).map(Some))
        .collect();
    html! {
        <figure class="calendar" data-testid="holiday-calendar">
            <figcaption>
                <button aria-label="Previous month" onclick={go(prev)}>{ "‹" }</button>
                <span aria-live="polite">{ &title }</span>
                <button aria-label="Next month" onclick={go(next)}>{ "›" }</button>
            </figcaption>
            <table role="grid" aria-label={format!("Holidays in {title}")}>
                <thead><tr>{ for ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].iter().map(|d| html! { <th scope="col">{ *d }</th> }) }</tr></thead>
                <tbody>
                { for cells.chunks(7).map(|week| html! {
                    <tr>{ for week.iter().map(|cell| match cell {
                        None => html! { <td></td> },
                        Some(day) => {
                            let key = format!("{day:02}.{month:02}");
                            let on = p.holidays.contains(&key);
                            let label = format!("{day} {}{}", first.format("%B"), if on { ", holiday" } else { "" });
                            let toggle = p.on_toggle.reform(move |_: MouseEvent| key.clone());
                            html! {
                                <td>
                                    <button class={classes!("day", on.then_some("on"))} aria-pressed={on.to_string()}
                                        aria-label={label} onclick={toggle}>{ day }</button>
                                </td>
                            }
                        }
                    }) }</tr>
                }) }
                </tbody>
            </table>
            <small class="hint">{ "Click a day to make it a holiday or a working day again." }</small>
        </figure>
    }
}

/// A histogram bound in the unit a support team would say it in: `30 s`, `5 min`, `1 h`.
fn span(seconds: u32) -> String {
    match seconds {
        s if s >= 3_600 && s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The week's opening hours as a grid of half hours, with each day in words for screen readers.
fn open_hours(line: &LineConfig, start: switchboard::Time) -> Html {
    let Some((zone, days)) = open_week(line, start) else {
        return html! { <p class="hint" data-testid="open-hours">{ "No working hours: the line is always open." }</p> };
    };
    let in_words = |slots: &[Openness]| -> String {
        let mut spans = Vec::new();
        let mut from = None;
        for (i, s) in slots.iter().chain([&Openness::OutsideHours]).enumerate() {
            match (s == &Openness::Open, from) {
                (true, None) => from = Some(i),
                (false, Some(f)) => {
                    spans.push(format!("{}–{}", hhmm(f as u16 * 30), hhmm(i as u16 * 30)));
                    from = None;
                }
                _ => {}
            }
        }
        match slots.first() {
            _ if !spans.is_empty() => format!("open {}", spans.join(", ")),
            Some(Openness::DayOff) => "day off".to_string(),
            Some(Openness::Holiday) => "holiday".to_string(),
            _ => "closed".to_string(),
        }
    };
    html! {
        <figure class="hours" data-testid="open-hours">
            <figcaption>{ format!("When the line is open ({}), week of {}", zone.name(), days[0].label) }</figcaption>
            <table>
                <tbody>
                { for days.iter().map(|d| html! {
                    <tr>
                        <th scope="row">{ &d.label }</th>
                        <td class="slots" aria-label={in_words(&d.slots)} title={in_words(&d.slots)}>
                            { for d.slots.iter().map(|s| {
                                let class = match s {
                                    Openness::Open => "open",
                                    Openness::DayOff => "dayoff",
                                    Openness::Holiday => "holiday",
                                    Openness::OutsideHours => "shut",
                                };
                                html! { <span class={class} aria-hidden="true"></span> }
                            }) }
                        </td>
                    </tr>
                }) }
                </tbody>
            </table>
            <small class="hint">{ "Each cell is half an hour from 00:00 to 24:00; green is open, grey closed, hatched a day off or holiday." }</small>
        </figure>
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

/// What a card shows of an agent while a run plays.
#[derive(Clone, PartialEq)]
struct CardLive {
    state: &'static str,
    class: &'static str,
    dialogs: Vec<u64>,
    assignments: u64,
    paused: bool,
    absent: bool,
    away: bool,
}

/// One entry of the queue. A component of its own, so that a frame of a run redraws only the
/// cards whose agent changed.
#[derive(Properties, PartialEq)]
struct CardProps {
    index: usize,
    count: usize,
    title: String,
    sub: String,
    /// The agent's id; none for a department.
    agent: Option<String>,
    live: Option<CardLive>,
    editing: bool,
    send: Callback<Msg>,
    /// The agent's form while it is open.
    #[prop_or_default]
    children: Html,
}

#[function_component(AgentCard)]
fn agent_card(p: &CardProps) -> Html {
    let (i, send) = (p.index, &p.send);
    let title = &p.title;
    let class = p.live.as_ref().map_or("", |l| l.class);
    let drag_start = send.reform(move |_: DragEvent| Msg::DragStart(i));
    let drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let drop = send.reform(move |e: DragEvent| {
        e.prevent_default();
        Msg::Drop(i)
    });
    html! {
        <li class={classes!("card", class)} draggable="true" ondragstart={drag_start}
            ondragover={drag_over} ondrop={drop} data-testid="card">
            <div class="pos" aria-hidden="true">{ i + 1 }</div>
            <div class="who">
                <strong>{ title }</strong>
                <small>{ &p.sub }</small>
                if let Some(l) = &p.live {
                    <span class="state" data-testid="state">{ l.state }</span>
                    <span class="load" aria-label={format!("{} open dialogs, {} assigned", l.dialogs.len(), l.assignments)}>
                        { for l.dialogs.iter().map(|d| html! { <span class="dot" title={format!("#{d}")}></span> }) }
                        <small>{ format!("{} assigned", l.assignments) }</small>
                    </span>
                }
            </div>
            <div class="actions">
                <button aria-label={format!("Move {title} up")} disabled={i == 0}
                    onclick={send.reform(move |_| Msg::Move(i, i - 1))}>{ "↑" }</button>
                <button aria-label={format!("Move {title} down")} disabled={i + 1 == p.count}
                    onclick={send.reform(move |_| Msg::Move(i, i + 1))}>{ "↓" }</button>
                if let Some(id) = p.agent.clone() {
                    if let Some(l) = &p.live {
                        <button aria-label={format!("Pause or resume {title}")}
                            onclick={{ let id = id.clone(); send.reform(move |_| Msg::Toggle(AgentId::new(&id), Toggle::Pause)) }}>
                            { if l.paused { "Resume" } else { "Pause" } }
                        </button>
                        <button aria-label={format!("Away or back to work: {title}")}
                            onclick={{ let id = id.clone(); send.reform(move |_| Msg::Toggle(AgentId::new(&id), Toggle::Away)) }}>
                            { if l.away { "Resume work" } else { "Away" } }
                        </button>
                        <button aria-label={format!("Vacation on or off for {title}")}
                            onclick={{ let id = id.clone(); send.reform(move |_| Msg::Toggle(AgentId::new(&id), Toggle::Vacation)) }}>
                            { if l.absent { "Back" } else { "Vacation" } }
                        </button>
                    }
                    <button aria-label={format!("Edit {title}")} aria-expanded={p.editing.to_string()}
                        onclick={{
                            let next = (!p.editing).then(|| id.clone());
                            send.reform(move |_| Msg::EditAgent(next.clone()))
                        }}>{ "Edit" }</button>
                    <button aria-label={format!("Remove {title}")}
                        onclick={send.reform(move |_| Msg::RemoveAgent(id.clone()))}>{ "✕" }</button>
                }
            </div>
            { p.children.clone() }
        </li>
    }
}

/// Working hours for a line that had none: UTC, with nothing else set.
fn new_worktime() -> WorktimeConfig {
    WorktimeConfig {
        timezone: "UTC".into(),
        ..WorktimeConfig::default()
    }
}

/// Every IANA zone name, for the time-zone field's suggestions. A component without props,
/// so that its six hundred options render once, not on every frame of a run.
#[function_component(ZoneList)]
fn zone_list() -> Html {
    html! {
        <datalist id="zones">
            { for chrono_tz::TZ_VARIANTS.iter().map(|z| html! { <option value={z.name()} /> }) }
        </datalist>
    }
}

/// Points the project's arrivals at line `id` (after an import replaced the first line).
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
                local(zone, run.now(), "%H:%M:%S"),
                local(zone, run.now(), "%a %d %b %Y"),
                run.progress(),
            ),
            None => ("--:--:--".into(), String::new(), 0.0),
        };
        let speed_change = link.callback(|e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Msg::Speed(s.value().parse().unwrap_or(60.0))
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
                        { for SPEEDS.iter().map(|(v, l)| html! {
                            <option value={v.to_string()} selected={*v == self.speed || (*v - self.speed).abs() < 1e-9}>{ *l }</option>
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
                        <div><dt>{ "Off hours" }</dt><dd>{ c.off_hours }</dd></div>
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
        let snaps: BTreeMap<&str, &switchboard::sim::AgentState> = self
            .run
            .as_ref()
            .map(|r| {
                r.snapshot
                    .agents
                    .iter()
                    .map(|a| (a.id.as_str(), a))
                    .collect()
            })
            .unwrap_or_default();
        let presence: BTreeMap<&str, &switchboard::eligibility::Presence> =
            views.iter().map(|v| (v.id.as_str(), &v.presence)).collect();
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
        let waiting = self
            .run
            .as_ref()
            .map(|r| {
                r.snapshot
                    .queue
                    .iter()
                    .map(|(d, at)| (d.to_string(), r.now().since(*at) / 1000))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let departments: Vec<String> = {
            let mut d: Vec<String> = self
                .project
                .config
                .agents
                .iter()
                .flat_map(|a| a.departments.clone())
                .collect();
            d.sort();
            d.dedup();
            d
        };
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
                <h3>{ if self.project.config.lines.len() > 1 {
                    format!("Waiting, all lines ({})", waiting.len())
                } else {
                    format!("Waiting ({})", waiting.len())
                } }</h3>
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
                                    <time>{ local(zone, e.at, "%H:%M:%S") }</time>{ " " }{ &e.text }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
                <div class="why" data-testid="why" aria-live="polite">
                    if let Some(e) = selected {
                        <h3>{ format!("{} at {}", e.text, local(zone, e.at, "%H:%M:%S")) }</h3>
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
            ("Waited at all", |r: &Report| {
                format!("{:.1} %", 100.0 * r.waiting.probability)
            }),
            ("Abandoned", |r: &Report| {
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
