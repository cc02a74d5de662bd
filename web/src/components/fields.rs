//! Form fields that show the engine's diagnostics next to them and keep what was typed even
//! when it is not a valid value yet.

use switchboard::Diagnostic;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The diagnostics that concern `path` (the field itself or something inside it).
pub fn problems_at(problems: &[Diagnostic], path: &str) -> Html {
    let mine: Vec<&Diagnostic> = problems
        .iter()
        .filter(|d| {
            d.path == path
                || d.path
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
        .collect();
    if mine.is_empty() {
        return html! {};
    }
    html! {
        <ul class="problems" role="alert">
            { for mine.iter().map(|d| html! {
                <li class={classes!(if d.is_error() { "error" } else { "warning" })}>
                    { &d.message }
                </li>
            }) }
        </ul>
    }
}

fn field_id(path: &str) -> String {
    format!(
        "f-{}",
        path.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

/// A whole number with a unit. `draft` is text the user typed that is not a number yet; it
/// stays in the box with an error until it is fixed.
#[derive(Properties, PartialEq)]
pub struct NumberProps {
    pub label: AttrValue,
    pub path: AttrValue,
    pub value: Option<i64>,
    pub unit: AttrValue,
    /// What the engine accepts, shown as a hint, e.g. "60 to 43,200; default 60".
    pub hint: AttrValue,
    pub draft: Option<String>,
    pub problems: Vec<Diagnostic>,
    /// Gets the text as typed.
    pub on_input: Callback<String>,
}

#[function_component(NumberField)]
pub fn number_field(p: &NumberProps) -> Html {
    let id = field_id(&p.path);
    let hint_id = format!("{id}-hint");
    let text = p
        .draft
        .clone()
        .unwrap_or_else(|| p.value.map(|v| v.to_string()).unwrap_or_default());
    let oninput = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    let draft_error = p.draft.as_ref().map(|d| {
        html! { <ul class="problems" role="alert"><li class="error">
            { format!("`{d}` is not a whole number; the setting keeps its last valid value") }
        </li></ul> }
    });
    html! {
        <div class="field">
            <label for={id.clone()}>{ &p.label }</label>
            <div class="with-unit">
                <input id={id} type="text" inputmode="numeric" value={text} {oninput}
                    aria-describedby={hint_id.clone()} />
                <span class="unit">{ &p.unit }</span>
            </div>
            <small id={hint_id} class="hint">{ &p.hint }</small>
            { draft_error.unwrap_or_default() }
            { problems_at(&p.problems, &p.path) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub label: AttrValue,
    pub path: AttrValue,
    /// (value, label) pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub value: AttrValue,
    pub problems: Vec<Diagnostic>,
    pub on_change: Callback<String>,
}

#[function_component(SelectField)]
pub fn select_field(p: &SelectProps) -> Html {
    let id = field_id(&p.path);
    let onchange = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(select.value());
        })
    };
    html! {
        <div class="field">
            <label for={id.clone()}>{ &p.label }</label>
            <select {id} {onchange}>
                { for p.options.iter().map(|(v, l)| html! {
                    <option value={v.clone()} selected={*v == p.value}>{ l }</option>
                }) }
            </select>
            { problems_at(&p.problems, &p.path) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub label: AttrValue,
    pub path: AttrValue,
    pub checked: bool,
    pub problems: Vec<Diagnostic>,
    pub on_change: Callback<bool>,
}

#[function_component(CheckField)]
pub fn check_field(p: &CheckProps) -> Html {
    let id = field_id(&p.path);
    let onchange = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        })
    };
    html! {
        <div class="field check">
            <input id={id.clone()} type="checkbox" checked={p.checked} {onchange} />
            <label for={id}>{ &p.label }</label>
            { problems_at(&p.problems, &p.path) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TextProps {
    pub label: AttrValue,
    pub path: AttrValue,
    pub value: AttrValue,
    #[prop_or_default]
    pub hint: AttrValue,
    #[prop_or_default]
    pub list: Option<AttrValue>,
    pub problems: Vec<Diagnostic>,
    pub on_input: Callback<String>,
}

#[function_component(TextField)]
pub fn text_field(p: &TextProps) -> Html {
    let id = field_id(&p.path);
    let oninput = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    html! {
        <div class="field">
            <label for={id.clone()}>{ &p.label }</label>
            <input {id} type="text" value={p.value.clone()} list={p.list.clone()} {oninput} />
            if !p.hint.is_empty() { <small class="hint">{ &p.hint }</small> }
            { problems_at(&p.problems, &p.path) }
        </div>
    }
}
