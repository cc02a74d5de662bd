//! The simulation's settings: the first day's volume, how long agents take to reply and to
//! finish, how long clients wait, how long the run lasts.

use std::collections::BTreeMap;
use std::rc::Rc;

use switchboard::Diagnostic;
use yew::prelude::*;

use super::app::Msg;
use super::fields::{problems_at, TextField};
use crate::project::Project;
use crate::traffic::{self, Timing};

/// Where a volume typed but not taken waits among the page's drafts.
pub const VOLUME_DRAFT: &str = "simulation.volume";

/// What the panel shows, read from the project.
#[derive(Clone, Debug, PartialEq)]
pub struct TrafficView {
    pub volume: Option<u64>,
    /// The run's first day, e.g. `Mon 02 Mar`.
    pub day: String,
    pub first_reply: String,
    pub handling: String,
    pub patience: String,
    pub duration: String,
}

impl TrafficView {
    #[must_use]
    pub fn of(project: &Project, day: String) -> TrafficView {
        let mean = |t| traffic::mean(project, t).unwrap_or_default();
        TrafficView {
            volume: traffic::day_volume(project).map(|v| v.round() as u64),
            day,
            first_reply: mean(Timing::FirstReply),
            handling: mean(Timing::Handling),
            patience: mean(Timing::Patience),
            duration: traffic::duration(project).unwrap_or_default(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct TrafficProps {
    pub view: TrafficView,
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
                <label for="f-volume">{ format!("Enquiries on {}", v.day) }</label>
                <input id="f-volume" type="text" inputmode="numeric" value={volume_text}
                    aria-invalid={volume_error.is_some().to_string()} oninput={on_volume} />
                <small class="hint">{ "the day's expected arrivals; the hourly profile keeps its shape" }</small>
                if let Some(e) = volume_error {
                    <ul class="problems" role="alert"><li class="error">{ e }</li></ul>
                }
                { problems_at(&p.problems, "simulation.arrivals") }
            </div>
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
