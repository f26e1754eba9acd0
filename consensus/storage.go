package consensus

import (
	"slices"
)

// HardState is the part of a replica's state that is not per sequence number.
type HardState struct {
	View         uint64
	InViewChange bool
	// Epoch is the validator epoch the replica runs; View counts within it.
	Epoch uint64 `rlp:"optional"`
}

// LogEntry is the durable record of one sequence number: what this replica
// accepted and sent in its current view (so it never sends a conflicting
// message after a restart), its highest prepared certificate (so its view
// changes stay truthful), and the commit certificate once the batch is
// decided (so it can re-execute and serve state transfer).
type LogEntry struct {
	Seq         uint64
	View        uint64
	PrePrepare  *PrePrepare `rlp:"nil"`
	SentPrepare bool
	SentCommit  bool
	Cert        *PreparedCert  `rlp:"nil"`
	Committed   *CommittedCert `rlp:"nil"`
}

// Update is what Ready asks the shell to make durable before it sends the
// Ready's messages. Apply it atomically: HardState and ViewChange replace
// the stored ones when set, Entries replace entries with the same Seq,
// Stable replaces the stored stable checkpoint, and entries with
// Seq <= TruncateThrough are deleted.
type Update struct {
	HardState       *HardState `rlp:"nil"`
	Entries         []LogEntry
	Stable          *StableCheckpoint `rlp:"nil"`
	ViewChange      *ViewChange       `rlp:"nil"`
	TruncateThrough uint64
}

// IsEmpty reports whether u changes nothing.
func (u *Update) IsEmpty() bool {
	return u.HardState == nil && len(u.Entries) == 0 && u.Stable == nil && u.ViewChange == nil && u.TruncateThrough == 0
}

// PersistentState is everything a replica needs to restart: give it to
// Config.Restart.
type PersistentState struct {
	// Started says the log records a HardState: the replica wrote its
	// first Ready, so it restarts, even when everything it holds is zero
	// (epoch 0, view 0, its pre-prepares lost with unsynced writes).
	Started    bool
	HardState  HardState
	Entries    []LogEntry        // ascending Seq
	Stable     *StableCheckpoint `rlp:"nil"`
	ViewChange *ViewChange       `rlp:"nil"`
}

// IsEmpty reports whether s holds nothing: a log never written.
func (s *PersistentState) IsEmpty() bool {
	return !s.Started && s.HardState == HardState{} && len(s.Entries) == 0 && s.Stable == nil && s.ViewChange == nil
}

// Storage is the replica's write-ahead log. The shell owns it: it calls Save
// with each Ready's Update (see Driver for when), and Load once at start-up.
//
// Save with sync must be durable when it returns, and so must every update
// saved before it. Save without sync may be lost in a crash, but only with
// every update saved after it: what survives a crash is always the updates
// up to some point, in order (a write-ahead log whose synced write syncs all
// before it, as Pebble's does).
type Storage interface {
	Load() (*PersistentState, error)
	Save(u *Update, sync bool) error
}

// Apply folds u into s (the reference semantics of Update).
func (s *PersistentState) Apply(u *Update) {
	if u.HardState != nil {
		s.HardState, s.Started = *u.HardState, true
	}
	if u.ViewChange != nil {
		s.ViewChange = u.ViewChange
	}
	if u.Stable != nil {
		s.Stable = u.Stable
	}
	for _, e := range u.Entries {
		i, found := slices.BinarySearchFunc(s.Entries, e.Seq, func(x LogEntry, seq uint64) int {
			switch {
			case x.Seq < seq:
				return -1
			case x.Seq > seq:
				return 1
			}
			return 0
		})
		if found {
			s.Entries[i] = e
		} else {
			s.Entries = slices.Insert(s.Entries, i, e)
		}
	}
	if u.TruncateThrough > 0 {
		s.Entries = slices.DeleteFunc(s.Entries, func(e LogEntry) bool { return e.Seq <= u.TruncateThrough })
	}
}

// MemoryStorage keeps the log in memory, for tests and the simulator. Save
// copies nothing: callers must not modify an Update after saving it (the
// engine never does). It remembers which updates are not synced yet, so
// that Crash can lose them as a disk would.
type MemoryStorage struct {
	state    PersistentState // the synced updates applied
	unsynced []*Update
}

// NewMemoryStorage returns an empty log.
func NewMemoryStorage() *MemoryStorage { return &MemoryStorage{} }

// Load returns a copy of the stored state, unsynced updates included (the
// process did not crash).
func (m *MemoryStorage) Load() (*PersistentState, error) {
	s := m.state
	s.Entries = slices.Clone(m.state.Entries)
	for _, u := range m.unsynced {
		s.Apply(u)
	}
	return &s, nil
}

// Save records u; with sync it applies u and every unsynced update before it.
func (m *MemoryStorage) Save(u *Update, sync bool) error {
	m.unsynced = append(m.unsynced, u)
	if sync {
		m.makeDurable()
	}
	return nil
}

// makeDurable applies every unsynced update to the synced state.
func (m *MemoryStorage) makeDurable() {
	for _, u := range m.unsynced {
		m.state.Apply(u)
	}
	clear(m.unsynced)
	m.unsynced = m.unsynced[:0]
}

// Unsynced returns how many saved updates a crash could lose.
func (m *MemoryStorage) Unsynced() int { return len(m.unsynced) }

// Crash is a crash of the machine: the first kept unsynced updates reach
// the disk (0 ≤ kept ≤ Unsynced), the others are lost.
func (m *MemoryStorage) Crash(kept int) {
	m.unsynced = m.unsynced[:min(max(kept, 0), len(m.unsynced))]
	m.makeDurable()
}
