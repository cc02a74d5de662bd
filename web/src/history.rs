//! Undo and redo over whole projects: every change the page saves is one step back.

use crate::project::Project;

/// How many steps back the page keeps.
pub const KEPT: usize = 100;

/// The projects before the current one, and those undone since the last change.
#[derive(Clone, Debug, Default)]
pub struct History {
    back: Vec<Project>,
    forward: Vec<Project>,
}

impl History {
    /// Records `before`, the project as it was before a change. A change clears what was
    /// undone.
    pub fn changed(&mut self, before: Project) {
        if self.back.len() == KEPT {
            self.back.remove(0);
        }
        self.back.push(before);
        self.forward.clear();
    }

    /// The project before `current`, if any; `current` can then be redone.
    pub fn undo(&mut self, current: Project) -> Option<Project> {
        let previous = self.back.pop()?;
        self.forward.push(current);
        Some(previous)
    }

    /// The project last undone, if any; `current` can then be undone again.
    pub fn redo(&mut self, current: Project) -> Option<Project> {
        let next = self.forward.pop()?;
        self.back.push(current);
        Some(next)
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.back.is_empty()
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.forward.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Project {
        Project {
            name: name.into(),
            ..Project::demo()
        }
    }

    #[test]
    fn undo_and_redo_walk_the_changes() {
        let mut h = History::default();
        assert!(h.undo(named("a")).is_none());
        h.changed(named("a"));
        h.changed(named("b"));
        // Now at "c".
        let back = h.undo(named("c")).unwrap();
        assert_eq!(back.name, "b");
        assert!(h.can_redo());
        let again = h.redo(back).unwrap();
        assert_eq!(again.name, "c");
        assert_eq!(h.undo(again).unwrap().name, "b");
        // A new change drops what was undone.
        h.changed(named("b"));
        assert!(!h.can_redo());
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::default();
        for i in 0..KEPT + 10 {
            h.changed(named(&i.to_string()));
        }
        let mut steps = 0;
        let mut current = named("now");
        while let Some(p) = h.undo(current.clone()) {
            current = p;
            steps += 1;
        }
        assert_eq!(steps, KEPT);
        assert_eq!(current.name, "10", "the oldest steps went first");
    }
}
