//! From raw text to checked values: normalisation per field kind, then the validation rules.

pub mod assemble;
pub mod corrections;
pub mod normalize;
pub mod rules;
pub mod rules_batch;
mod rules_marks;
pub mod twins;
