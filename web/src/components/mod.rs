//! The page's parts. `app` holds the state and the messages; the others are views of it.

pub mod app;
pub mod calendar;
pub mod card;
pub mod charts;
pub mod fields;
pub mod outcome;
pub mod settings;
pub mod traffic;
