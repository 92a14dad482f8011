//! Pure rules, no I/O and no framework: personnummer, the Swedish calendar, the deadline, the
//! vocabulary of a case, and the folding of Swedish text for comparison. Tested exhaustively with
//! plain unit tests and the public test data.

pub mod appeal;
pub mod assurance;
pub mod calendar;
pub mod case;
pub mod code;
pub mod deadline;
pub mod decision;
pub mod legal_basis;
pub mod legal_grounds;
pub mod lifecycle;
pub mod names;
pub mod other_identity;
pub mod pause;
pub mod personnummer;
pub mod retention;
pub mod swedish;
pub mod text;
