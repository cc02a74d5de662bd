//! `requestAnimationFrame` as a handle: the callback runs once, on the next frame; dropping the
//! handle cancels it.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::Callback;

pub struct AnimationFrame {
    id: i32,
    _closure: Closure<dyn FnMut(f64)>,
}

impl AnimationFrame {
    /// Asks for one frame; `None` outside a browser.
    pub fn request(callback: Callback<f64>) -> Option<AnimationFrame> {
        let closure = Closure::wrap(
            Box::new(move |timestamp: f64| callback.emit(timestamp)) as Box<dyn FnMut(f64)>
        );
        let id = web_sys::window()?
            .request_animation_frame(closure.as_ref().unchecked_ref())
            .ok()?;
        Some(AnimationFrame {
            id,
            _closure: closure,
        })
    }
}

impl Drop for AnimationFrame {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = w.cancel_animation_frame(self.id);
        }
    }
}
