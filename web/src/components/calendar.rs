//! Holidays picked on a month's calendar.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CalendarProps {
    /// The line's holidays, `DD.MM`.
    pub holidays: Vec<String>,
    /// The run's start: the month the calendar opens on.
    pub start: switchboard::Time,
    /// Called with a day's `DD.MM` to add it or take it away.
    pub on_toggle: Callback<String>,
}

/// Holidays on a month's calendar. Bitrix24's holidays are days of the year (`DD.MM`), the same
/// every year; the weekdays shown are those of the run's year.
#[function_component(HolidayCalendar)]
pub fn holiday_calendar(p: &CalendarProps) -> Html {
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
    let title = crate::dates::month_and_year(first);
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
                            let label = format!("{day} {}{}", crate::dates::month(first), if on { ", holiday" } else { "" });
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
