//! The outcome of a run as figures and pictures: service level, waiting, abandonment,
//! fairness, the queue and answers over time, the response-time spread and distribution, and
//! each agent's load.

use std::collections::BTreeMap;
use std::rc::Rc;

use switchboard::ids::AgentId;
use switchboard::sim::report::Report;
use yew::prelude::*;

use super::charts;

/// The figures and charts of the report. A component of its own, so that it renders when a new
/// report comes (twice a second while playing), not on every frame.
#[derive(Properties)]
pub struct OutcomeProps {
    pub report: Rc<Report>,
    pub names: Rc<BTreeMap<AgentId, String>>,
}

impl PartialEq for OutcomeProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report) && Rc::ptr_eq(&self.names, &other.names)
    }
}

#[function_component(Outcome)]
pub fn outcome(props: &OutcomeProps) -> Html {
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
                <div><dt>{ "Found nobody free" }</dt><dd>{ format!("{:.0} %", 100.0 * r.waiting.probability) }</dd></div>
                <div><dt>{ "Left before a reply" }</dt><dd>{ format!("{:.1} %", 100.0 * r.waiting.abandon_rate) }</dd></div>
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

/// A histogram bound in the unit a support team would say it in: `30 s`, `5 min`, `1 h`.
fn span(seconds: u32) -> String {
    match seconds {
        s if s >= 3_600 && s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}
