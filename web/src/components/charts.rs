//! Pictures of a run, drawn as SVG: lines over time and horizontal bars.

use yew::prelude::*;

const W: f64 = 320.0;
const H: f64 = 110.0;
const PAD: f64 = 4.0;

/// One or more series over the same x range, each with its CSS class.
pub fn lines(title: &str, series: &[(&str, Vec<f64>)], caption: &str) -> Html {
    let n = series.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let top = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(1.0_f64, f64::max);
    let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / (n.max(2) - 1) as f64;
    let y = |v: f64| H - PAD - (H - 2.0 * PAD) * v / top;
    html! {
        <figure class="chart">
            <figcaption>{ title }<span class="scale">{ format!("max {top:.0}") }</span></figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("{title}: {caption}")}>
                <line class="axis" x1={PAD.to_string()} y1={(H - PAD).to_string()}
                      x2={(W - PAD).to_string()} y2={(H - PAD).to_string()} />
                { for series.iter().map(|(class, values)| {
                    let points: Vec<String> = values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
                        .collect();
                    html! { <polyline class={classes!("series", class.to_string())} points={points.join(" ")} /> }
                }) }
            </svg>
            <small>{ caption }</small>
        </figure>
    }
}

/// Horizontal bars, one per label, scaled to the largest value.
pub fn bars(title: &str, items: &[(String, f64, String)], caption: &str) -> Html {
    let top = items
        .iter()
        .map(|(_, v, _)| *v)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    html! {
        <figure class="chart bars">
            <figcaption>{ title }</figcaption>
            <table>
                <tbody>
                { for items.iter().map(|(label, value, shown)| html! {
                    <tr>
                        <th scope="row">{ label }</th>
                        <td>
                            <div class="bar" style={format!("width: {:.1}%", 100.0 * value / top)}></div>
                        </td>
                        <td class="num">{ shown }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            <small>{ caption }</small>
        </figure>
    }
}
