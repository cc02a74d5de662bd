//! Component tests in headless Chromium: the app mounts, opens on the demo and plays it; a
//! share link carries a project through the browser's own URI coding.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use switchboard_web::components::app::App;
use switchboard_web::project::Project;
use switchboard_web::storage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Waits until the page shows what `shown` looks for, yielding to the browser (and so to
/// Yew's scheduler and the app's timers) between looks; fails with `what` after ten seconds.
async fn until(what: &str, shown: impl Fn() -> bool) {
    for _ in 0..1000 {
        if shown() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the page never showed {what}");
}

#[wasm_bindgen_test]
fn a_share_fragment_carries_the_project() {
    let mut p = Project::demo();
    p.add_agent(0, "Zoë & \"friends\" #1");
    let fragment = storage::share_fragment(&p);
    assert!(fragment.starts_with("#project="));
    let back = storage::from_fragment(&fragment).unwrap().unwrap();
    assert_eq!(back, p);
    assert!(storage::from_fragment("#project=%E0%A4%A")
        .unwrap()
        .is_err());
    assert!(storage::from_fragment("#other").is_none());
}

#[wasm_bindgen_test]
async fn the_app_opens_on_the_demo_and_plays() {
    let document = web_sys::window().unwrap().document().unwrap();
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    let cards = |root: &web_sys::Element| {
        root.query_selector_all("[data-testid=card]")
            .unwrap()
            .length()
    };
    until("the queue's cards", || cards(&root) > 0).await;
    assert_eq!(cards(&root), 7, "six agents and a department");
    let offered = |root: &web_sys::Element| -> u64 {
        root.query_selector("[data-testid=offered]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
            .parse()
            .unwrap()
    };
    let first = offered(&root);
    // The run plays on its own: the count grows with no input.
    until("more enquiries offered", || offered(&root) > first).await;
    let text = root.text_content().unwrap();
    assert!(text.contains("Customer support") && text.contains("Europe/Berlin"));
}
