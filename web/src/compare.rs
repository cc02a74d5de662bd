//! Variants of a configuration run on the same seed, so on the same arrivals and the same
//! enquiries, to the end, a slice at a time so that the page stays responsive and can cancel.

use switchboard::model::Mode;
use switchboard::sim::report::Report;
use switchboard::sim::Simulation;

use crate::project::Project;

/// What a variant changes in one line; `None` keeps the project's value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Change {
    pub mode: Option<Mode>,
    pub max_chat: Option<i64>,
    pub queue_time: Option<i64>,
}

impl Change {
    /// The project with the change applied to line `line`.
    #[must_use]
    pub fn apply(&self, project: &Project, line: usize) -> Project {
        let mut p = project.clone();
        if let Some(line) = p.config.lines.get_mut(line) {
            if let Some(m) = self.mode {
                line.mode = Some(m);
            }
            if let Some(n) = self.max_chat {
                line.max_chat = Some(n);
            }
            if let Some(t) = self.queue_time {
                line.queue_time = Some(t);
            }
        }
        p
    }

    /// The change in words, for a column heading.
    #[must_use]
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = self.mode {
            parts.push(format!("mode {}", mode_name(m)));
        }
        match self.max_chat {
            Some(0) => parts.push("no limit per agent".to_string()),
            Some(1) => parts.push("1 dialog per agent".to_string()),
            Some(n) => parts.push(format!("{n} dialogs per agent")),
            None => {}
        }
        if let Some(t) = self.queue_time {
            parts.push(format!("forward after {t} s"));
        }
        if parts.is_empty() {
            "the same settings".to_string()
        } else {
            parts.join(", ")
        }
    }
}

#[must_use]
pub fn mode_name(m: Mode) -> &'static str {
    match m {
        Mode::Evenly => "evenly",
        Mode::Strictly => "strictly",
        Mode::All => "all",
    }
}

/// Several runs in progress.
pub struct Comparison {
    pub labels: Vec<String>,
    runs: Vec<Simulation>,
}

/// Simulated time one slice advances a run by.
const SLICE_MS: i64 = 10 * 60_000;

impl Comparison {
    /// Sets up the project as configured and each variant of line `line`, all with `seed`.
    pub fn new(
        project: &Project,
        line: usize,
        variants: &[Change],
        seed: u64,
    ) -> Result<Comparison, String> {
        let mut labels = vec!["as configured".to_string()];
        let mut projects = vec![project.clone()];
        for v in variants {
            labels.push(v.label());
            projects.push(v.apply(project, line));
        }
        let mut runs = Vec::new();
        for (label, p) in labels.iter().zip(&projects) {
            let sim = p
                .simulation(Some(seed), false)
                .map_err(|e| format!("{label}: {e}"))?;
            runs.push(sim);
        }
        Ok(Comparison { labels, runs })
    }

    /// Advances the unfinished run furthest behind by one slice. Returns false when all are done.
    pub fn work(&mut self) -> bool {
        let next = self
            .runs
            .iter_mut()
            .filter(|r| !r.finished())
            .min_by(|a, b| a.progress().total_cmp(&b.progress()));
        match next {
            Some(run) => {
                let to = run.now().plus(SLICE_MS);
                run.step_until(to);
                true
            }
            None => false,
        }
    }

    /// Share of the whole comparison done, 0 to 1.
    #[must_use]
    pub fn progress(&self) -> f64 {
        let n = self.runs.len().max(1) as f64;
        self.runs.iter().map(Simulation::progress).sum::<f64>() / n
    }

    #[must_use]
    pub fn finished(&self) -> bool {
        self.runs.iter().all(Simulation::finished)
    }

    /// Each run's report, with its label.
    #[must_use]
    pub fn reports(&self) -> Vec<(String, Report)> {
        self.labels
            .iter()
            .cloned()
            .zip(self.runs.iter().map(Simulation::report))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_see_the_same_arrivals_and_differ_in_the_split() {
        let project = Project::demo();
        let strictly = Change {
            mode: Some(Mode::Strictly),
            ..Change::default()
        };
        let mut c =
            Comparison::new(&project, 0, &[strictly.clone(), Change::default()], 5).unwrap();
        assert_eq!(
            c.labels,
            ["as configured", "mode strictly", "the same settings"]
        );
        let mut slices = 0;
        let mut last = 0.0;
        while c.work() {
            slices += 1;
            assert!(c.progress() >= last);
            last = c.progress();
        }
        assert!(slices > 3 && c.finished() && (c.progress() - 1.0).abs() < 1e-9);
        let r = c.reports();
        // The same seed: the same enquiries arrive in every variant.
        assert_eq!(r[0].1.enquiries.offered, r[1].1.enquiries.offered);
        // An unchanged variant is the same run, figure for figure.
        assert_eq!(r[0].1, r[2].1);
        // Strict order loads the first agents more: the split is less even.
        assert!(r[1].1.fairness.jain < r[0].1.fairness.jain);
        assert_eq!(
            strictly.apply(&project, 0).config.lines[0].mode,
            Some(Mode::Strictly)
        );
    }

    #[test]
    fn an_impossible_variant_is_named() {
        let project = Project::demo();
        let bad = Change {
            queue_time: Some(5),
            ..Change::default()
        };
        let e = Comparison::new(&project, 0, &[bad], 1).err().unwrap();
        assert!(e.starts_with("forward after 5 s"), "{e}");
    }

    #[test]
    fn a_variant_changes_only_its_line() {
        let mut project = Project::demo();
        project.add_line(0);
        let limit = Change {
            max_chat: Some(1),
            ..Change::default()
        };
        let changed = limit.apply(&project, 1);
        assert_eq!(changed.config.lines[1].max_chat, Some(1));
        assert_eq!(changed.config.lines[0], project.config.lines[0]);
    }
}
