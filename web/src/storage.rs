//! Keeping the project across reloads (LocalStorage) and sharing it in a link.
//!
//! The stored text is an envelope with a format name and a version, so that a later page can
//! tell an old project from a foreign or damaged one. Whatever cannot be read is never thrown
//! away: it is copied under [`UNREADABLE_KEY`] and the page says so.

use serde_json::Value;

use crate::project::Project;

pub const KEY: &str = "switchboard.project";
pub const UNREADABLE_KEY: &str = "switchboard.project.unreadable";
const FORMAT: &str = "switchboard-web";
pub const VERSION: u32 = 1;
/// The part of the address that carries a shared project: `#project=...`.
const SHARE_PREFIX: &str = "#project=";

/// The text stored for a project: the envelope around the project as it is exported. The
/// project is written by the one serializer the page has for it (see [`Project::to_json`]);
/// each further serializer would add its code for every configuration type to the download.
#[must_use]
pub fn encode(project: &Project) -> String {
    format!(
        "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"project\":{}}}",
        project.to_json()
    )
}

/// Reads stored text back, or says why it cannot.
pub fn decode(text: &str) -> Result<Project, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
    let format = value.get("format").and_then(Value::as_str);
    if format != Some(FORMAT) {
        return Err("it was not saved by this page (no `format: switchboard-web`)".to_string());
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) if v > u64::from(VERSION) => {
            return Err(format!(
            "it was saved by a newer version of the page (format {v}; this page reads {VERSION})"
        ))
        }
        other => {
            return Err(format!(
                "its format version {other:?} is not one this page reads"
            ))
        }
    }
    let project = value
        .get("project")
        .ok_or_else(|| "it has no `project`".to_string())?;
    Project::from_json(&project.to_string()).map_err(|e| format!("the project is damaged: {e}"))
}

/// The address fragment that carries a project.
#[must_use]
pub fn share_fragment(project: &Project) -> String {
    // Without the export's indentation, for a shorter address.
    let compact = serde_json::from_str::<Value>(&project.to_json())
        .map(|v| v.to_string())
        .unwrap_or_default();
    format!(
        "{SHARE_PREFIX}{}",
        String::from(js_sys::encode_uri_component(&compact))
    )
}

/// The project in an address fragment, if it carries one.
pub fn from_fragment(fragment: &str) -> Option<Result<Project, String>> {
    let encoded = fragment.strip_prefix(SHARE_PREFIX)?;
    let text = match js_sys::decode_uri_component(encoded) {
        Ok(t) => String::from(t),
        Err(_) => return Some(Err("the shared link is cut short or damaged".to_string())),
    };
    Some(Project::from_json(&text).map_err(|e| format!("the shared project is damaged: {e}")))
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The project to open with, and a notice for the page when something was not as expected:
/// a shared link first, then the stored project, then the demo.
#[must_use]
pub fn open() -> (Project, Option<String>) {
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    match from_fragment(&fragment) {
        Some(Ok(p)) => {
            return (
                p,
                Some("Opened the project from a shared link.".to_string()),
            )
        }
        Some(Err(e)) => {
            let (p, _) = open_stored();
            return (
                p,
                Some(format!("The shared link could not be opened: {e}.")),
            );
        }
        None => {}
    }
    open_stored()
}

fn open_stored() -> (Project, Option<String>) {
    let Some(storage) = local_storage() else {
        return (
            Project::demo(),
            Some(
                "This browser keeps no local storage: changes last until the page is closed."
                    .into(),
            ),
        );
    };
    match storage.get_item(KEY) {
        Ok(Some(text)) => match decode(&text) {
            Ok(p) => (p, None),
            Err(why) => {
                let kept = storage.set_item(UNREADABLE_KEY, &text).is_ok();
                let _ = storage.remove_item(KEY);
                let where_ = if kept {
                    format!(" It is kept in local storage under `{UNREADABLE_KEY}`.")
                } else {
                    String::new()
                };
                (
                    Project::demo(),
                    Some(format!(
                        "The saved project could not be read: {why}.{where_} The demo is open instead."
                    )),
                )
            }
        },
        _ => (Project::demo(), None),
    }
}

/// Stores the project; the error says why it could not be (storage full, or switched off).
pub fn save(project: &Project) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser keeps no local storage")?;
    storage
        .set_item(KEY, &encode(project))
        .map_err(|_| "the browser refused to store it (storage full?)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_project_reads_back() {
        let p = Project::demo();
        assert_eq!(decode(&encode(&p)).unwrap(), p);
    }

    #[test]
    fn damaged_or_foreign_text_is_explained() {
        assert!(decode("{not json").unwrap_err().contains("not JSON"));
        assert!(decode(r#"{"a": 1}"#)
            .unwrap_err()
            .contains("not saved by this page"));
        let newer = encode(&Project::demo()).replace("\"version\":1", "\"version\":9");
        assert!(decode(&newer).unwrap_err().contains("newer version"));
        let damaged = encode(&Project::demo()).replace("\"evenly\"", "\"evenlyy\"");
        let why = decode(&damaged).unwrap_err();
        assert!(why.contains("damaged") && why.contains("mode"), "{why}");
    }
}
