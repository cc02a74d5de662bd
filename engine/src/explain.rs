//! Explanations: for every routing decision, each candidate with its verdict and the data behind
//! it, and a one-line summary.

use serde::Serialize;

use crate::eligibility::Skip;
use crate::ids::AgentId;

/// How a decision was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Evenly,
    Strictly,
    All,
    /// The client's responsible agent in CRM.
    CrmForward,
    /// Queued behind older undistributed dialogs without a pick (first in, first out).
    Fifo,
}

/// One candidate's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Chosen,
    Skipped {
        #[serde(flatten)]
        reason: Skip,
    },
}

/// A candidate as the decision saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub agent: AgentId,
    /// 1-based position in the line's expanded queue; 0 for an agent outside the queue.
    pub position: u32,
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The verdict in words.
    pub why: String,
}

/// Who was chosen and why every other agent was not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub method: Method,
    pub chosen: Vec<AgentId>,
    /// Empty when explanations are switched off.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// The decision in one sentence; empty when explanations are switched off.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
}
