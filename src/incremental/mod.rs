//! What makes a rerun cheap.

pub mod cache;
pub mod reach;
pub mod spool;
