//! The page's entry point (Trunk builds this binary).

fn main() {
    switchboard_web::start();
}
