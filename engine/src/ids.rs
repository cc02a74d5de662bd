//! Identifiers as they appear in configurations, events and actions.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// An agent's id (a Bitrix24 user ID or any name). Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AgentId(pub Arc<str>);

/// A line's id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LineId(pub Arc<str>);

/// A CRM client's id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(pub Arc<str>);

/// A dialog's (session's) id, chosen by the caller: a whole number from 0 to
/// [`MAX_SAFE_INTEGER`], so that JavaScript reads it back exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DialogId(pub u64);

impl<'de> Deserialize<'de> for DialogId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DialogId, D::Error> {
        safe_integer(d).map(DialogId)
    }
}

/// The largest integer a JavaScript number holds exactly (2^53 − 1). Ids and counts beyond it
/// are refused: a JavaScript reader of our JSON would round them.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Reads a whole number from 0 to [`MAX_SAFE_INTEGER`], for serde's `deserialize_with`.
/// A number too large even for 64 bits arrives as a float, and is called too large too.
pub fn safe_integer<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(SafeInteger)
}

/// [`safe_integer`] for an optional field.
pub fn optional_safe_integer<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<u64>, D::Error> {
    safe_integer(d).map(Some)
}

struct SafeInteger;

impl SafeInteger {
    fn too_large<E: serde::de::Error>(shown: &str) -> E {
        E::custom(format!(
            "`{shown}` is too large: the largest allowed is {MAX_SAFE_INTEGER} (2^53 - 1, the \
             largest whole number JavaScript holds exactly)"
        ))
    }
}

impl serde::de::Visitor<'_> for SafeInteger {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a whole number from 0 to {MAX_SAFE_INTEGER}")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
        if v > MAX_SAFE_INTEGER {
            return Err(SafeInteger::too_large(&v.to_string()));
        }
        Ok(v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_or_else(
            |_| {
                Err(E::custom(format!(
                    "`{v}` is negative: expected a whole number from 0 to {MAX_SAFE_INTEGER}"
                )))
            },
            |v| self.visit_u64(v),
        )
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
        if v.is_finite() && v >= 2f64.powi(53) {
            // Whole digits while they are few, as the number was most likely written.
            let shown = if v < 1e21 {
                format!("{v:.0}")
            } else {
                format!("{v:e}")
            };
            return Err(SafeInteger::too_large(&shown));
        }
        Err(E::custom(format!(
            "`{v}` is not a whole number: expected one from 0 to {MAX_SAFE_INTEGER}"
        )))
    }
}

macro_rules! str_id {
    ($($t:ident),*) => {$(
        impl $t {
            #[must_use]
            pub fn new(id: &str) -> Self {
                $t(Arc::from(id))
            }

            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
str_id!(AgentId, LineId, ClientId);

impl fmt::Display for DialogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
