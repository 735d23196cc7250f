//! Why the agenda reader made what it made of each line, for
//! `almanac slots --explain` (docs/format.md, "Agendas"). Off unless a
//! caller asks: a build reads thousands of notes and keeps no reasons.

use std::cell::RefCell;

thread_local! {
    /// The reasons given while `collect` runs on this thread.
    static REASONS: RefCell<Option<Vec<(usize, String)>>> = const { RefCell::new(None) };
}

/// Runs `read` and returns, with its result, every reason the agenda
/// reader gave meanwhile, as (file line, reason) in the order given.
pub fn collect<T>(read: impl FnOnce() -> T) -> (T, Vec<(usize, String)>) {
    let outer = REASONS.with(|reasons| reasons.borrow_mut().replace(Vec::new()));
    let result = read();
    let found = REASONS.with(|reasons| std::mem::replace(&mut *reasons.borrow_mut(), outer));
    (result, found.unwrap_or_default())
}

/// Records why `line` was read as it was; `reason` runs only when asked.
pub fn because(line: usize, reason: impl FnOnce() -> String) {
    REASONS.with(|reasons| {
        if let Some(reasons) = reasons.borrow_mut().as_mut() {
            reasons.push((line, reason()));
        }
    });
}
