//! Faults on demand, for the tests that prove a failed rename, removal or
//! listing is handled: `ALMANAC_FAULT=rename:N` fails the Nth rename of a
//! run (from 1), `ALMANAC_FAULT=remove:PATH` the removal of the published
//! file PATH, `ALMANAC_FAULT=list:NAME` the listing of a content subfolder
//! named NAME. Only in debug builds; a release build has no such switch.

/// An injected error for the `nth` operation of `kind` on `what`, if the
/// environment asks for one.
#[cfg(debug_assertions)]
pub fn injected(kind: &str, nth: usize, what: &str) -> Option<std::io::Error> {
    let wanted = std::env::var("ALMANAC_FAULT").ok()?;
    let (wanted_kind, at) = wanted.split_once(':')?;
    let hit = wanted_kind == kind && (at == what || at.parse() == Ok(nth));
    hit.then(|| std::io::Error::other(format!("injected {kind} fault")))
}

#[cfg(not(debug_assertions))]
pub fn injected(_kind: &str, _nth: usize, _what: &str) -> Option<std::io::Error> {
    None
}
