//! The page's parts. `app` holds the state and the messages; the others are views of it.

pub mod app;
pub mod charts;
pub mod fields;
pub mod traffic;
