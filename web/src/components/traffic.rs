//! The simulation's settings: the first day's volume, how long agents take to reply and to
//! finish, how long clients wait, how long the run lasts.

use std::collections::BTreeMap;
use std::rc::Rc;

use switchboard::Diagnostic;
use yew::prelude::*;

use super::app::Msg;
use super::fields::{problems_at, TextField};
use crate::dates::WEEKDAYS;
use crate::project::Project;
use crate::traffic::{self, Timing};

/// Where a volume typed but not taken waits among the page's drafts.
pub const VOLUME_DRAFT: &str = "simulation.volume";

/// Where an hour's rate typed for line `line` on weekday `day` but not taken waits among the
/// page's drafts.
#[must_use]
pub fn hour_draft(line: usize, day: usize, hour: usize) -> String {
    format!("simulation.hours.{line}.{day}.{hour}")
}

/// What the panel shows, read from the project.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrafficView {
    pub volume: Option<u64>,
    /// The project has more than one line (the volume is over all of them).
    pub several_lines: bool,
    /// The run's first day, e.g. `Mon 02 Mar`.
    pub day: String,
    /// The line shown, and its hourly arrival rates on the weekday shown if its arrivals have
    /// a profile.
    pub line: usize,
    pub line_name: String,
    pub profile: Option<traffic::DayProfile>,
    pub first_reply: String,
    pub handling: String,
    pub patience: String,
    pub duration: String,
}

impl TrafficView {
    #[must_use]
    /// The panel for line `line`, with its profile on weekday `weekday` (0 for Monday; the
    /// run's first day when none). `day` names the run's first day.
    pub fn of(project: &Project, line: usize, weekday: Option<usize>, day: String) -> TrafficView {
        let mean = |t| traffic::mean(project, t).unwrap_or_default();
        let l = project.config.lines.get(line);
        TrafficView {
            volume: traffic::day_volume(project).map(|v| v.round() as u64),
            several_lines: project.config.lines.len() > 1,
            day,
            line,
            line_name: l
                .map(|l| l.name.clone().unwrap_or_else(|| l.id.clone()))
                .unwrap_or_default(),
            profile: traffic::day_profile(project, line, weekday),
            first_reply: mean(Timing::FirstReply),
            handling: mean(Timing::Handling),
            patience: mean(Timing::Patience),
            duration: traffic::duration(project).unwrap_or_default(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct TrafficProps {
    pub view: Rc<TrafficView>,
    pub problems: Rc<Vec<Diagnostic>>,
    pub drafts: Rc<BTreeMap<String, String>>,
    pub send: Callback<Msg>,
}

#[function_component(TrafficSettings)]
pub fn traffic_settings(p: &TrafficProps) -> Html {
    let v = &p.view;
    let problems = (*p.problems).clone();
    let timing = |label: &'static str, t: Timing, value: &str, hint: &'static str| {
        let on_input = p.send.reform(move |text: String| {
            Msg::Edit(Box::new(move |project: &mut Project| {
                traffic::set_mean(project, t, &text);
            }))
        });
        html! {
            <TextField label={label} path={t.path()} value={value.to_string()} hint={hint}
                problems={problems.clone()} {on_input} />
        }
    };
    let draft = p.drafts.get(VOLUME_DRAFT);
    let volume_error = draft.map(|text| match text.trim().parse::<u64>() {
        Err(_) => format!("`{text}` is not a whole number"),
        Ok(0) => "at least 1 enquiry".to_string(),
        Ok(_) => "the first day has no arrivals to scale: import a project with an arrival profile"
            .to_string(),
    });
    let volume_text = draft
        .cloned()
        .unwrap_or_else(|| v.volume.map(|n| n.to_string()).unwrap_or_default());
    let on_volume = p.send.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        Msg::Volume(input.value())
    });
    html! {
        <>
            <h3>{ "Traffic and people" }<small>{ " · what the preview simulates" }</small></h3>
            <div class="field">
                <label for="f-volume">{ format!("Enquiries on {}{}", v.day, if v.several_lines { ", all lines" } else { "" }) }</label>
                <input id="f-volume" type="text" inputmode="numeric" value={volume_text}
                    aria-invalid={volume_error.is_some().to_string()} oninput={on_volume} />
                <small class="hint">{ "the day's expected arrivals; the hourly profile keeps its shape" }</small>
                if let Some(e) = volume_error {
                    <ul class="problems" role="alert"><li class="error">{ e }</li></ul>
                }
                { problems_at(&p.problems, "simulation.arrivals") }
            </div>
            { profile(p) }
            { timing("Time to the first reply, mean", Timing::FirstReply, &v.first_reply,
                "from taking an enquiry; e.g. 30s, 2m") }
            { timing("Handling time, mean", Timing::Handling, &v.handling,
                "from the first reply to closing; e.g. 8m") }
            { timing("Client patience, mean", Timing::Patience, &v.patience,
                "clients leave if not answered by then; empty: they never leave") }
            <TextField label="Run length" path="simulation.duration" value={v.duration.clone()}
                hint="from the start; e.g. 8h, 1d" problems={problems.clone()}
                on_input={p.send.reform(|text: String| Msg::Edit(Box::new(move |project: &mut Project| {
                    traffic::set_duration(project, &text);
                })))} />
        </>
    }
}

/// The shown line's arrivals for each hour of a weekday (the run's first at first), as bars with
/// a field each.
fn profile(p: &TrafficProps) -> Html {
    let v = &p.view;
    let Some(shown) = &v.profile else {
        return html! {
            <p class="hint">{ format!("{}'s arrivals have no hourly profile to edit here.", v.line_name) }</p>
        };
    };
    let rates = &shown.rates;
    let top = rates.iter().copied().fold(1.0_f64, f64::max);
    let (line, day) = (v.line, shown.weekday);
    let errors: Vec<String> = (0..rates.len())
        .filter_map(|h| {
            let text = p.drafts.get(&hour_draft(line, day, h))?;
            Some(format!(
                "{:02}:00: `{text}` is not a number of enquiries an hour (zero or more)",
                h
            ))
        })
        .collect();
    let on_day = p.send.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        Msg::ProfileDay(select.value().parse().ok())
    });
    html! {
        <fieldset class="profile" data-testid="profile">
            <legend>{ if day == shown.first {
                format!("Enquiries an hour on {}, {}", v.day, v.line_name)
            } else {
                format!("Enquiries an hour on {}s, {}", WEEKDAYS[day], v.line_name)
            } }</legend>
            <div class="field">
                <label for="f-profile-day">{ "Day of the week" }</label>
                <select id="f-profile-day" data-testid="profile-day" onchange={on_day}>
                    { for WEEKDAYS.iter().enumerate().map(|(d, name)| {
                        let label = if d == shown.first {
                            format!("{name}, the first day ({})", v.day)
                        } else {
                            (*name).to_string()
                        };
                        html! { <option value={d.to_string()} selected={d == day}>{ label }</option> }
                    }) }
                </select>
                <small class="hint">{ "each weekday of the run has a profile of its own" }</small>
            </div>
            <div class="hours-grid">
                { for rates.iter().enumerate().map(|(h, rate)| {
                    let id = format!("f-hour-{h}");
                    let text = p.drafts.get(&hour_draft(line, day, h)).cloned().unwrap_or_else(|| {
                        if rate.fract() == 0.0 { format!("{rate:.0}") } else { format!("{rate:.1}") }
                    });
                    let oninput = p.send.reform(move |e: InputEvent| {
                        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                        Msg::Hour { line, day, hour: h, text: input.value() }
                    });
                    html! {
                        <div class="hour">
                            <span class="barbox" aria-hidden="true">
                                <span class="bar" style={format!("height: {:.0}%", 100.0 * rate / top)}></span>
                            </span>
                            <input {id} class="rate" type="text" inputmode="decimal" value={text}
                                aria-label={format!("Enquiries from {h:02}:00 to {:02}:00", h + 1)} {oninput} />
                            <small aria-hidden="true">{ format!("{h:02}") }</small>
                        </div>
                    }
                }) }
            </div>
            if !errors.is_empty() {
                <ul class="problems" role="alert">{ for errors.iter().map(|e| html! { <li class="error">{ e }</li> }) }</ul>
            }
        </fieldset>
    }
}
