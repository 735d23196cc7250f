//! One note read anew, set beside what was published of it: each slot
//! keeps the UID it was published under, its SEQUENCE goes up when its
//! significant properties changed, and the note keeps its first feed id
//! (docs/outputs.md, "Keeping subscribers in sync").

use super::{Kept, Record};
use crate::config::SiteConfig;
use crate::model::{Note, Revision};
use crate::render::ics::{self, Significant};
use chrono::{DateTime, SubsecRound, Utc};
use std::collections::HashSet;

/// Gives `note`'s slots their published ids and revisions, and the note
/// its first feed id, from `before` (what was published of it) or, for a
/// note the ledger does not know, `url_id` (the id a published feed gave
/// its URL); `now` is the moment of a changed event. Returns what the
/// ledger keeps of it now.
///
/// A slot is the one published before that has the same start and title;
/// else the same title (it moved); else the same start (it was retitled).
/// A slot with its own id (`{#id}`) is that id. A new slot's id is never
/// one published before: a removed slot's UID never comes to name another.
pub fn reconcile(
    config: &SiteConfig,
    note: &mut Note,
    before: Option<&Kept>,
    url_id: Option<&str>,
    now: DateTime<Utc>,
) -> Kept {
    let entry = match before {
        Some(kept) => kept.entry.clone(),
        None => url_id.map(str::to_string),
    };
    if !note.id_given
        && let Some(first) = &entry
    {
        note.id = first.clone();
    }
    let significant: Vec<Option<Significant>> = note
        .slots
        .iter()
        .map(|slot| Some(ics::significant(config, note, slot, slot.text.as_ref()?)))
        .collect();
    // The live events first, then the cancelled ones: a slot that comes
    // back is the event it was, one revision on.
    let old: Vec<Record> = before
        .into_iter()
        .flat_map(|kept| {
            let cancelled = kept
                .cancelled
                .iter()
                .filter_map(|ghost| ghost.record.clone());
            kept.events.iter().cloned().chain(cancelled)
        })
        .collect();
    let matched = matches(note, &significant, &old);
    let mut used: HashSet<String> = old.iter().map(|record| record.id.clone()).collect();
    used.extend(
        note.slots
            .iter()
            .filter(|s| !natural(&s.id))
            .map(|s| s.id.clone()),
    );
    let floor = note.event.sequence;
    let updated = note.updated.with_timezone(&Utc);
    let now = now.trunc_subsecs(0);
    let mut events = Vec::with_capacity(note.slots.len());
    for ((slot, significant), matched) in note.slots.iter_mut().zip(&significant).zip(matched) {
        let revision = match matched.map(|index| &old[index]) {
            Some(record) => {
                slot.id = record.id.clone();
                let same = significant.is_some_and(|s| s.fields == record.fields);
                match same {
                    true => Revision {
                        sequence: record.sequence.max(floor),
                        stamp: record.stamp,
                    },
                    false => Revision {
                        sequence: record.sequence.saturating_add(1).max(floor),
                        stamp: now,
                    },
                }
            }
            None => {
                if natural(&slot.id) && used.contains(&slot.id) {
                    slot.id = fresh(&slot.id, &used);
                }
                Revision {
                    sequence: floor,
                    stamp: updated,
                }
            }
        };
        used.insert(slot.id.clone());
        slot.revision = Some(revision);
        if let Some(significant) = significant {
            events.push(Record {
                id: slot.id.clone(),
                start: significant.start,
                title: significant.title,
                fields: significant.fields,
                sequence: revision.sequence,
                stamp: revision.stamp,
            });
        }
    }
    Kept {
        entry: Some(entry.unwrap_or_else(|| note.id.clone())).filter(|_| !note.id_given),
        events,
        // What was removed is worked out with the whole site (see
        // [`super::next`]).
        cancelled: Vec::new(),
    }
}

/// For each slot, the published record it is, if any (see [`reconcile`]).
fn matches(note: &Note, significant: &[Option<Significant>], old: &[Record]) -> Vec<Option<usize>> {
    let mut taken = vec![false; old.len()];
    let mut matched: Vec<Option<usize>> = vec![None; note.slots.len()];
    // A slot with its own id is that id, whatever it says now.
    for (index, slot) in note.slots.iter().enumerate() {
        if !natural(&slot.id)
            && let Some(found) = old.iter().position(|record| record.id == slot.id)
        {
            taken[found] = true;
            matched[index] = Some(found);
        }
    }
    type Same = fn(&Significant, &Record) -> bool;
    let passes: [Same; 3] = [
        |s, r| s.start == r.start && s.title == r.title,
        |s, r| s.title == r.title,
        |s, r| s.start == r.start,
    ];
    for same in passes {
        for (index, slot) in note.slots.iter().enumerate() {
            let Some(significant) = &significant[index] else {
                continue;
            };
            if matched[index].is_some() || !natural(&slot.id) {
                continue;
            }
            let found = (0..old.len())
                .find(|&at| !taken[at] && natural(&old[at].id) && same(significant, &old[at]));
            if let Some(found) = found {
                taken[found] = true;
                matched[index] = Some(found);
            }
        }
    }
    matched
}

/// Whether a slot id is one the reader made (`1900`, `1900-2`, `0000`,
/// `allday`) rather than the writer's own `{#id}`.
fn natural(id: &str) -> bool {
    let (clock, repeat) = id.split_once('-').unwrap_or((id, "1"));
    id == "allday"
        || (clock.len() == 4
            && clock.bytes().all(|b| b.is_ascii_digit())
            && !repeat.is_empty()
            && repeat.bytes().all(|b| b.is_ascii_digit()))
}

/// The first of `id`'s clock with `-2`, `-3` … that no slot used.
fn fresh(id: &str, used: &HashSet<String>) -> String {
    let clock = id.split_once('-').map_or(id, |(clock, _)| clock);
    (2u32..)
        .map(|n| format!("{clock}-{n}"))
        .find(|candidate| !used.contains(candidate))
        .expect("some suffix is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_ids_are_told_from_the_writers_own() {
        assert!(natural("1900"));
        assert!(natural("1900-2"));
        assert!(natural("allday"));
        assert!(!natural("k8s-navi"));
        assert!(!natural("190"));
        assert!(!natural("1900-"));
    }

    #[test]
    fn a_new_slot_never_takes_a_published_id() {
        let used: HashSet<String> = ["1000", "1000-2"].iter().map(|s| s.to_string()).collect();
        assert_eq!(fresh("1000", &used), "1000-3");
        assert_eq!(fresh("1000-2", &used), "1000-3");
    }
}
