package consensus

import (
	"errors"
	"slices"
	"testing"
)

// recordingShell logs the order of the driver's calls and can fail saves.
type recordingShell struct {
	calls   []string
	failing bool
}

func (r *recordingShell) Save(_ *Update, sync bool) error {
	if sync {
		r.calls = append(r.calls, "save+sync")
	} else {
		r.calls = append(r.calls, "save")
	}
	if r.failing {
		return errors.New("disk full")
	}
	return nil
}
func (r *recordingShell) Send([]Message) { r.calls = append(r.calls, "send") }
func (r *recordingShell) Reply([]Reply)  { r.calls = append(r.calls, "reply") }
func (r *recordingShell) Executed([]ExecutedBatch, []StableCheckpoint) {
	r.calls = append(r.calls, "executed")
}

// TestDriverHandlesReadyInContractOrder: replies first, then the messages
// that may leave before the log write (a pre-prepare), then the write, not
// synced since nothing waits for it; a failed write sends nothing more and
// stops the driver for good. Commits, view changes and new views wait for
// the write.
func TestDriverHandlesReadyInContractOrder(t *testing.T) {
	c := newCluster(t, 4, nil)
	c.propose(req("alice", 1, "x"))
	c.deliver()
	// Replica 1 has executed; its retransmission answer is a reply, and a
	// new request makes a pre-prepare to log and send.
	shell := &recordingShell{}
	d := NewDriver(c.reps[0], shell)
	if err := d.Propose(req("alice", 1, "x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Propose(req("bob", 1, "y")); err != nil {
		t.Fatal(err)
	}
	if err := d.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"reply", "send", "save"}; !slices.Equal(shell.calls, want) {
		t.Fatalf("calls %v, want %v", shell.calls, want)
	}
	mixed := []Message{{Type: MsgPrePrepare}, {Type: MsgCommit}, {Type: MsgPrepare}, {Type: MsgViewChange}, {Type: MsgCheckpoint}, {Type: MsgNewView}}
	early, late := splitByDurability(mixed, false)
	if len(early) != 3 || len(late) != 3 || late[0].Type != MsgCommit || late[1].Type != MsgViewChange || late[2].Type != MsgNewView {
		t.Fatalf("early %v, late %v", early, late)
	}
	// A write that records a new view holds back everything: what is
	// signed in a view must not leave before the view is durable.
	if early, late := splitByDurability(mixed, true); len(early) != 0 || len(late) != len(mixed) {
		t.Fatalf("with a new view: early %v, late %v", early, late)
	}

	shell = &recordingShell{failing: true}
	d = NewDriver(c.reps[0], shell)
	if err := d.Propose(req("carol", 1, "z")); err != nil {
		t.Fatal(err)
	}
	if err := d.Flush(); !errors.Is(err, ErrDriverStopped) {
		t.Fatalf("flush after a failed save: %v, want ErrDriverStopped", err)
	}
	if want := []string{"send", "save"}; !slices.Equal(shell.calls, want) {
		t.Fatalf("calls %v after a failed save, want the pre-prepare, then the save and nothing more", shell.calls)
	}
	if err := d.Step(Message{}); !errors.Is(err, ErrDriverStopped) || d.Flush() == nil {
		t.Fatal("a stopped driver took more work")
	}
}

// TestDriverFoldsAtMostMaxEventsPerReady: Full tells the shell to flush.
func TestDriverFoldsAtMostMaxEventsPerReady(t *testing.T) {
	c := newCluster(t, 4, nil)
	d := NewDriver(c.reps[1], &recordingShell{})
	for i := 0; i < MaxEventsPerReady; i++ {
		if d.Full() {
			t.Fatalf("full after %d events", i)
		}
		d.Tick()
	}
	if !d.Full() {
		t.Fatal("not full after MaxEventsPerReady events")
	}
	if err := d.Flush(); err != nil || d.Full() {
		t.Fatalf("flush: %v, full after flush %v", err, d.Full())
	}
}

// TestDriverSendsNothingOfANewViewBeforeItIsDurable: the primary of view 1
// sends its new view and a pre-prepare of view 1 in one Ready; both wait for
// the write that records view 1. (Sent before it, a crash would restart the
// primary in view 0, not sitting out view 1, where it could sign a second
// pre-prepare for the same sequence number: the simulator found this.)
func TestDriverSendsNothingOfANewViewBeforeItIsDurable(t *testing.T) {
	c := newCluster(t, 4, nil)
	for i := 1; i < 4; i++ {
		c.reps[i].startViewChange(1, CauseRequestTimer)
		c.collect(i)
	}
	shell := &orderShell{}
	c.drivers[1] = NewDriver(c.reps[1], shell)
	for _, m := range c.queue {
		if m.To == 1 && m.Type == MsgViewChange {
			c.drivers[1].Step(m)
		}
	}
	if err := c.reps[1].Propose(req("alice", 1, "x")); err != nil {
		t.Fatal(err)
	}
	if err := c.drivers[1].Flush(); err != nil {
		t.Fatal(err)
	}
	if st := c.reps[1].Status(); st.View != 1 || st.InViewChange {
		t.Fatalf("replica 1 did not enter view 1 as its primary: %+v", st)
	}
	if len(shell.before) != 0 || !slices.ContainsFunc(shell.after, func(m Message) bool { return m.Type == MsgPrePrepare && m.PrePrepare.View == 1 }) {
		t.Fatalf("sent before the write: %v; after: %v; want everything after, a view-1 pre-prepare among it", types(shell.before), types(shell.after))
	}
	if !shell.synced {
		t.Fatal("the write that records view 1 was not synced")
	}
}

// orderShell records which messages left before and after the log write,
// and whether the write was synced.
type orderShell struct {
	saved, synced bool
	before, after []Message
}

func (o *orderShell) Save(_ *Update, sync bool) error { o.saved, o.synced = true, sync; return nil }
func (o *orderShell) Send(msgs []Message) {
	if o.saved {
		o.after = append(o.after, msgs...)
	} else {
		o.before = append(o.before, msgs...)
	}
}
func (o *orderShell) Reply([]Reply)                                {}
func (o *orderShell) Executed([]ExecutedBatch, []StableCheckpoint) {}

func types(msgs []Message) []MsgType {
	out := make([]MsgType, len(msgs))
	for i := range msgs {
		out[i] = msgs[i].Type
	}
	return out
}

// A fresh replica's first Ready records its epoch and view, so the driver
// sends nothing before that write: a primary that sent a pre-prepare and
// crashed before its first write would restart from an empty log as a
// fresh replica and could sign another batch at the same sequence number.
// (The simulator found it at n = 6, seed 18222: a validator joining a new
// epoch as its view-0 primary.)
func TestFreshReplicaSendsNothingBeforeItsFirstWrite(t *testing.T) {
	c := newCluster(t, 4, nil)
	fresh, err := NewReplica(c.config(0))
	if err != nil {
		t.Fatal(err)
	}
	shell := &orderShell{}
	d := NewDriver(fresh, shell)
	if err := fresh.Propose(req("alice", 1, "x")); err != nil {
		t.Fatal(err)
	}
	rd := fresh.Ready()
	if rd.Persist == nil || rd.Persist.HardState == nil {
		t.Fatalf("a fresh replica's first Ready persists no HardState: %+v", rd.Persist)
	}
	if err := d.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(shell.before) != 0 || !slices.ContainsFunc(shell.after, func(m Message) bool { return m.Type == MsgPrePrepare }) {
		t.Fatalf("sent before the first write: %v; after: %v", types(shell.before), types(shell.after))
	}
	if !shell.synced {
		t.Fatal("a fresh replica's first write was not synced")
	}
}

// TestDriverSyncsOnlyTheWriteBeforeTheCommit: on the normal path a
// replica's pre-prepare or prepare write and its commit-certificate write
// send nothing that waits for them, so only the write before its commit is
// synced: one sync per batch per replica.
func TestDriverSyncsOnlyTheWriteBeforeTheCommit(t *testing.T) {
	c := newCluster(t, 4, nil)
	c.propose(req("a", 1, "x"))
	c.deliver()
	before := slices.Clone(c.writes)
	c.propose(req("a", 2, "y"))
	c.deliver()
	for i := range before {
		saves, syncs := c.writes[i].saves-before[i].saves, c.writes[i].syncs-before[i].syncs
		if c.executed(i) != 2 || saves < 3 || syncs != 1 {
			t.Errorf("replica %d: executed %d, %d writes of which %d synced; want 2 executed, at least 3 writes, 1 synced", i, c.executed(i), saves, syncs)
		}
	}
}

type syncCount struct{ saves, syncs int }

// TestMemoryStorageCrashLosesOnlyUnsyncedSuffix: a crash keeps every
// synced update and those before it, then a prefix of the rest.
func TestMemoryStorageCrashLosesOnlyUnsyncedSuffix(t *testing.T) {
	m := NewMemoryStorage()
	save := func(seq uint64, sync bool) {
		if err := m.Save(&Update{Entries: []LogEntry{{Seq: seq}}}, sync); err != nil {
			t.Fatal(err)
		}
	}
	seqs := func() []uint64 {
		st, _ := m.Load()
		var out []uint64
		for _, e := range st.Entries {
			out = append(out, e.Seq)
		}
		return out
	}
	save(1, false)
	save(2, true)
	save(3, false)
	save(4, false)
	save(5, false)
	if got := seqs(); !slices.Equal(got, []uint64{1, 2, 3, 4, 5}) || m.Unsynced() != 3 {
		t.Fatalf("before the crash: %v with %d unsynced, want 1–5 with 3", got, m.Unsynced())
	}
	m.Crash(1)
	if got := seqs(); !slices.Equal(got, []uint64{1, 2, 3}) || m.Unsynced() != 0 {
		t.Fatalf("after a crash keeping one unsynced update: %v, want 1–3", got)
	}
	save(6, false)
	m.Crash(0)
	if got := seqs(); !slices.Equal(got, []uint64{1, 2, 3}) {
		t.Fatalf("after a crash keeping nothing unsynced: %v, want 1–3", got)
	}
}
