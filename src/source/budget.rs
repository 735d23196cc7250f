//! How many bytes of notes are worked on at once. Reading a note costs
//! many times its size while it is parsed (a Markdown parser keeps a node
//! for every inline mark, and a note of nothing but `<&` has millions), so
//! large notes take turns: the notes being parsed at any moment hold at
//! most [`BUDGET`] bytes between them, however many cores there are.

use std::sync::{Condvar, Mutex};

/// Bytes of notes parsed at once; a note larger than this is parsed alone.
pub const BUDGET: u64 = 4 << 20;

static IN_FLIGHT: Mutex<u64> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// A share of the budget, given back when dropped.
#[must_use]
pub struct Held(u64);

/// Waits until `bytes` (at most the whole budget) fit beside what other
/// threads hold, and holds them.
pub fn hold(bytes: u64) -> Held {
    let share = bytes.min(BUDGET);
    let mut used = IN_FLIGHT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    while *used + share > BUDGET {
        used = FREED
            .wait(used)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
    }
    *used += share;
    Held(share)
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut used = IN_FLIGHT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *used -= self.0;
        FREED.notify_all();
    }
}
