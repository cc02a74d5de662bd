//! A line's settings panel: distribution, limits, timers, the actions when nobody answers,
//! working hours with the zone, days off, holidays and the week's open hours.

use std::collections::BTreeMap;
use std::rc::Rc;

use switchboard::config::{
    AutoCloseConfig, LineConfig, NoAnswerConfig, ReplyConfig, WelcomeBotConfig, WorktimeConfig,
};
use switchboard::model::{BotJoin, MaxChatType, Mode, NoAnswerRule, ReplyRule};
use switchboard::worktime::{hhmm, Openness};
use switchboard::zone::Zone;
use switchboard::Diagnostic;
use yew::prelude::*;

use super::app::Msg;
use super::calendar::HolidayCalendar;
use super::fields::{problems_at, CheckField, NumberField, SelectField, TextField};
use crate::project::{open_week, Project};

/// A line field's path as the engine's diagnostics name it.
pub fn line_path(i: usize, field: &str) -> String {
    format!("lines[{i}].{field}")
}

/// A line's settings. A component of its own, so that it renders when the line, its
/// problems or a draft change, not on every frame of a run.
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The line's index in the configuration.
    pub index: usize,
    pub line: Option<LineConfig>,
    pub problems: Rc<Vec<Diagnostic>>,
    pub drafts: Rc<BTreeMap<String, String>>,
    /// Where the run starts: the week shown in the hours grid.
    pub start: switchboard::Time,
    /// The app's messages; made once, so that it compares equal from render to render.
    pub send: Callback<Msg>,
}

#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
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
                        l.mode = crate::project::choice(&v);
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
                        l.type_max_chat = crate::project::choice(&v);
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
                    let rule = crate::project::choice(&v).unwrap_or_default();
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
            { for Zone::all().map(|z| html! { <option value={z.name()} /> }) }
        </datalist>
    }
}
