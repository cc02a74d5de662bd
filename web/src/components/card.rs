//! One entry of a line's queue: an agent or a department, with its live state while a run
//! plays and the buttons that move, pause, send away, edit or remove it.

use switchboard::ids::AgentId;
use yew::prelude::*;

use super::app::Msg;
use crate::live::Toggle;

/// What a card shows of an agent while a run plays.
#[derive(Clone, PartialEq)]
pub struct CardLive {
    pub state: &'static str,
    pub class: &'static str,
    pub dialogs: Vec<u64>,
    pub assignments: u64,
    pub paused: bool,
    pub absent: bool,
    pub away: bool,
}

/// One entry of the queue. A component of its own, so that a frame of a run redraws only the
/// cards whose agent changed.
#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub index: usize,
    pub count: usize,
    pub title: String,
    pub sub: String,
    /// The agent's id; none for a department.
    pub agent: Option<String>,
    pub live: Option<CardLive>,
    pub editing: bool,
    pub send: Callback<Msg>,
    /// The agent's form while it is open.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(AgentCard)]
pub fn agent_card(p: &CardProps) -> Html {
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
