//! The case state machine, in one place:
//! `received` -> `in_progress` -> `decided` -> `closed`, and `withdrawn` from any open state.
//! Every action on a case asks here first; an action that does not fit the state changes nothing.

use super::case::CaseStatus;

/// What is being done to the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// Case work before the decision: assigning, adding a controller, extending the deadline.
    Work,
    /// Identity work: also allowed after the decision, since nothing is delivered before it.
    Identity,
    /// Preparing the answer (findings, the extract): also allowed after the decision, until
    /// the answer is delivered and the case closed.
    Answer,
    /// A controller's decision; the case is decided when every part is.
    Decide {
        all_parts_decided: bool,
    },
    /// Recording that the answer reached the person.
    Deliver,
    Close,
    Withdraw,
    /// Recording an appeal of a decision, and what becomes of it: after the decision, also
    /// once the case is closed. The status does not change.
    Appeal,
    /// A restriction of processing: in force from before the decision (interim) to after the
    /// case is closed. The status does not change.
    Restriction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("the case is already decided")]
    AlreadyDecided,
    #[error("the case is not decided yet")]
    NotDecided,
    #[error("the case is closed")]
    Closed,
    #[error("the request was withdrawn")]
    Withdrawn,
}

/// The status after `action`, or why the action does not fit `from`.
pub fn next_status(from: CaseStatus, action: CaseAction) -> Result<CaseStatus, LifecycleError> {
    use CaseAction as A;
    use CaseStatus as S;
    match (from, action) {
        (S::Decided | S::Closed, A::Appeal) => Ok(from),
        (S::Received | S::InProgress | S::Decided | S::Closed, A::Restriction) => Ok(from),
        (S::Received | S::InProgress, A::Appeal) => Err(LifecycleError::NotDecided),
        (S::Closed, _) => Err(LifecycleError::Closed),
        (S::Withdrawn, _) => Err(LifecycleError::Withdrawn),
        (S::Received | S::InProgress, A::Work | A::Identity | A::Answer) => Ok(S::InProgress),
        (S::Decided, A::Identity | A::Answer) => Ok(S::Decided),
        (S::Received | S::InProgress, A::Decide { all_parts_decided }) => {
            Ok(if all_parts_decided {
                S::Decided
            } else {
                S::InProgress
            })
        }
        (S::Received | S::InProgress, A::Withdraw) => Ok(S::Withdrawn),
        (S::Received | S::InProgress, A::Deliver | A::Close) => Err(LifecycleError::NotDecided),
        (S::Decided, A::Deliver) => Ok(S::Decided),
        (S::Decided, A::Close) => Ok(S::Closed),
        (S::Decided, A::Work | A::Decide { .. } | A::Withdraw) => {
            Err(LifecycleError::AlreadyDecided)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseAction as A;
    use CaseStatus as S;

    const ACTIONS: [CaseAction; 8] = [
        A::Work,
        A::Identity,
        A::Answer,
        A::Decide {
            all_parts_decided: false,
        },
        A::Decide {
            all_parts_decided: true,
        },
        A::Deliver,
        A::Close,
        A::Withdraw,
    ];

    #[test]
    fn the_happy_path() {
        let s = next_status(S::Received, A::Work).unwrap();
        assert_eq!(s, S::InProgress);
        let s = next_status(
            s,
            A::Decide {
                all_parts_decided: false,
            },
        )
        .unwrap();
        assert_eq!(s, S::InProgress);
        let s = next_status(
            s,
            A::Decide {
                all_parts_decided: true,
            },
        )
        .unwrap();
        assert_eq!(s, S::Decided);
        assert_eq!(next_status(s, A::Deliver).unwrap(), S::Decided);
        assert_eq!(next_status(s, A::Close).unwrap(), S::Closed);
    }

    #[test]
    fn the_full_table() {
        for action in ACTIONS {
            // Closed and withdrawn cases accept nothing.
            assert_eq!(next_status(S::Closed, action), Err(LifecycleError::Closed));
            assert_eq!(
                next_status(S::Withdrawn, action),
                Err(LifecycleError::Withdrawn)
            );
        }
        for open in [S::Received, S::InProgress] {
            assert_eq!(next_status(open, A::Withdraw), Ok(S::Withdrawn));
            assert_eq!(next_status(open, A::Close), Err(LifecycleError::NotDecided));
            assert_eq!(
                next_status(open, A::Deliver),
                Err(LifecycleError::NotDecided)
            );
            assert_eq!(next_status(open, A::Identity), Ok(S::InProgress));
        }
        assert_eq!(next_status(S::Decided, A::Identity), Ok(S::Decided));
        assert_eq!(next_status(S::Decided, A::Answer), Ok(S::Decided));
        assert_eq!(
            next_status(S::Decided, A::Withdraw),
            Err(LifecycleError::AlreadyDecided)
        );
        assert_eq!(
            next_status(S::Decided, A::Work),
            Err(LifecycleError::AlreadyDecided)
        );
        assert_eq!(
            next_status(
                S::Decided,
                A::Decide {
                    all_parts_decided: true
                }
            ),
            Err(LifecycleError::AlreadyDecided)
        );
    }
}
