//! Switchboard in the browser: design a routing configuration and watch the engine, compiled
//! to wasm and running in the page, distribute simulated enquiries.

pub mod compare;
pub mod components;
pub mod dates;
pub mod frame;
pub mod history;
pub mod live;
pub mod project;
pub mod storage;
pub mod traffic;

/// Mounts the app on the page's body.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
