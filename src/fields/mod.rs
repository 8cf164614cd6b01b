//! From raw text to checked values: normalisation per field kind, then the validation rules.

pub mod normalize;
pub mod rules;
