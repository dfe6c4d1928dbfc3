//! The customer slots: a dense number for every customer, which indexes the
//! per-customer state of the passes (the id minus the smallest id when the
//! ids are dense, else the slot an open-addressing table gives each id).

use super::TransactionLog;

/// Dense customer numbering ("slots") used by the per-customer passes.
#[derive(Debug, Clone)]
pub(super) enum Slots {
    /// Ids are dense enough: slot = id − base, `len` slots (some may be unused).
    Offset { base: u64, len: usize },
    /// Slot of each row, and the id of each slot (first-seen order).
    Mapped { of_row: Vec<u32>, ids: Vec<u64> },
}

impl TransactionLog<'_> {
    /// Number of customer slots (dense customer numbers; some may be unused).
    pub(crate) fn num_slots(&self) -> usize {
        match &self.slots {
            Slots::Offset { len, .. } => *len,
            Slots::Mapped { ids, .. } => ids.len(),
        }
    }

    /// Customer id of a slot.
    pub(crate) fn slot_id(&self, slot: usize) -> u64 {
        match &self.slots {
            Slots::Offset { base, .. } => *base + slot as u64,
            Slots::Mapped { ids, .. } => ids[slot],
        }
    }

    /// Whether slot order is id order (so per-slot output needs no sort).
    pub(crate) fn slots_in_id_order(&self) -> bool {
        matches!(self.slots, Slots::Offset { .. })
    }
}

#[inline]
#[allow(clippy::cast_possible_truncation)] // ok: id − base < number of slots, which fits in usize
pub(super) fn offset_slot(id: u64, base: u64) -> usize {
    id.wrapping_sub(base) as usize
}

impl Slots {
    pub(super) fn build(ids: &[u64], lo: u64, hi: u64) -> Slots {
        let range = hi - lo; // ids is non-empty, so lo <= hi
                             // Dense ids (the common case: auto-increment keys, or ids mapped at a
                             // binding edge) index per-customer arrays directly; we accept up to
                             // about two unused slots per row.
        let limit = (ids.len() as u64).saturating_mul(2).saturating_add(1024);
        if range < limit {
            #[allow(clippy::cast_possible_truncation)] // ok: range < 2 * len + 1024 fits in usize
            return Slots::Offset {
                base: lo,
                len: range as usize + 1,
            };
        }
        let mut table = IdTable::with_capacity(1024);
        let mut of_row = Vec::with_capacity(ids.len());
        let mut slot_ids = Vec::new();
        for &id in ids {
            let next = u32::try_from(slot_ids.len()).unwrap_or(u32::MAX); // ok: rows <= u32::MAX
            let s = table.get_or_insert(id, next);
            if s == next {
                slot_ids.push(id);
            }
            of_row.push(s);
        }
        Slots::Mapped {
            of_row,
            ids: slot_ids,
        }
    }
}

/// Open-addressing id → slot table with a multiplicative hash; much faster
/// than SipHash for the 10⁷ lookups of a large log.
pub(super) struct IdTable {
    keys: Vec<u64>,
    vals: Vec<u32>,
    len: usize,
    shift: u32,
}

pub(super) const EMPTY: u32 = u32::MAX;

impl IdTable {
    pub(super) fn with_capacity(cap: usize) -> Self {
        let cap = cap.next_power_of_two().max(16);
        Self {
            keys: vec![0; cap],
            vals: vec![EMPTY; cap],
            len: 0,
            shift: 64 - cap.trailing_zeros(),
        }
    }

    #[inline]
    #[allow(clippy::cast_possible_truncation)] // ok: the shifted hash is below the table size
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    pub(super) fn get_or_insert(&mut self, key: u64, val: u32) -> u32 {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        loop {
            if self.vals[i] == EMPTY {
                self.keys[i] = key;
                self.vals[i] = val;
                self.len += 1;
                return val;
            }
            if self.keys[i] == key {
                return self.vals[i];
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let mut bigger = IdTable::with_capacity(self.keys.len() * 2);
        for (k, v) in self.keys.iter().zip(&self.vals) {
            if *v != EMPTY {
                bigger.get_or_insert(*k, *v);
            }
        }
        *self = bigger;
    }
}
