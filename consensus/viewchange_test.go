package consensus

import (
	"testing"
)

func TestSilentPrimaryIsReplacedWithoutPendingRequests(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.IdleTimeoutTicks = 5 })
	c.crash(0)
	c.tick(8)
	for i := 1; i < 4; i++ {
		if st := c.reps[i].Status(); st.View != 1 || st.InViewChange {
			t.Fatalf("replica %d: %+v, want normal operation in view 1", i, st)
		}
		cnt := c.reps[i].Counters()
		if cnt.TotalViewChanges() != 1 || cnt.ViewsEntered != 1 || cnt.ViewChanges[CausePrimarySilent]+cnt.ViewChanges[CauseFollow] != 1 {
			t.Fatalf("replica %d counted view changes %v (entered %d), want one for the silent primary", i, cnt.ViewChanges, cnt.ViewsEntered)
		}
	}
	c.propose(req("x", 1, "after"))
	c.deliver()
	c.tick(1)
	for i := 1; i < 4; i++ {
		if c.executed(i) != 1 {
			t.Fatalf("replica %d did not execute in the new view", i)
		}
	}
}

func TestHeartbeatsKeepAnIdlePrimary(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.IdleTimeoutTicks = 5; cfg.HeartbeatTicks = 2 })
	c.tick(30)
	for i := 0; i < 4; i++ {
		if st := c.reps[i].Status(); st.View != 0 {
			t.Fatalf("replica %d left view 0 although the primary sends heartbeats: %+v", i, st)
		}
	}
}

func TestViewChangeCarriesPreparedBatchIntoNewView(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.RequestTimeoutTicks = 5 })
	// Commits are lost: the batch prepares everywhere but commits nowhere.
	c.drop = func(m Message) bool { return m.Type == MsgCommit }
	r := req("y", 1, "carry")
	c.propose(r)
	c.deliver()
	if c.executed(1) != 0 {
		t.Fatal("committed without commits")
	}
	c.drop = nil
	c.crash(0)
	c.tick(12)
	for i := 1; i < 4; i++ {
		st := c.reps[i].Status()
		if st.View != 1 || c.executed(i) != 1 {
			t.Fatalf("replica %d: %+v executed %d; the prepared batch must commit in view 1", i, st, c.executed(i))
		}
		if got := c.committed[i][0].Executed; len(got) != 1 || got[0].Client != "y" {
			t.Fatalf("replica %d executed %+v in the new view", i, got)
		}
	}
	c.checkAgreement()
}

func TestTimeoutDoublesPerFailedView(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.ViewChangeTimeoutTicks = 4 })
	r := c.reps[1]
	r.startViewChange(1, CauseRequestTimer)
	first := r.viewChangeTimeout()
	r.startViewChange(2, CauseRequestTimer)
	if second := r.viewChangeTimeout(); second != 2*first {
		t.Fatalf("timeout after a failed view is %d, want %d", second, 2*first)
	}
}

func TestReplicaJoinsViewChangeAfterFPlusOne(t *testing.T) {
	c := newCluster(t, 4, nil)
	c.reps[2].startViewChange(1, CauseRequestTimer)
	c.collect(2)
	c.deliver()
	if st := c.reps[1].Status(); st.View != 0 {
		t.Fatalf("replica 1 joined after one view change: %+v", st)
	}
	c.reps[3].startViewChange(1, CauseRequestTimer)
	c.collect(3)
	c.deliver()
	if st := c.reps[1].Status(); st.View != 1 {
		t.Fatalf("replica 1 did not join after f+1 view changes: %+v", st)
	}
}

// TestRestartFromLogKeepsStateAndPromises: a replica restarted after a
// crash holds what its synced writes held. The write before each commit is
// synced, and with it the commit certificates of the batches before; the
// last batch's commit certificate was written without a sync (nothing waits
// for it) and is lost, so the replica re-executes five batches and fetches
// the sixth.
func TestRestartFromLogKeepsStateAndPromises(t *testing.T) {
	c := newCluster(t, 4, nil)
	var digests []Digest
	for ts := uint64(1); ts <= 6; ts++ {
		c.propose(req("z", ts, "v"))
		c.deliver()
		digests = append(digests, c.apps[2].digest())
	}
	c.crash(2)
	c.restart(2)
	if c.executed(2) != 5 || c.apps[2].digest() != digests[4] {
		t.Fatalf("restarted replica executed %d with digest %x, want 5 and %x", c.executed(2), c.apps[2].digest(), digests[4])
	}
	if st := c.reps[2].Status(); st.View != 0 {
		t.Fatalf("restarted in view %d, want 0", st.View)
	}
	c.propose(req("z", 7, "v"))
	c.deliver()
	c.tick(10)
	if c.executed(2) != 7 {
		t.Fatalf("restarted replica executed %d, want 7: it does not catch up", c.executed(2))
	}
	c.checkAgreement()
}

func TestNewViewThatContradictsItsViewChangesIsRejected(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.RequestTimeoutTicks = 5 })
	c.drop = func(m Message) bool { return m.Type == MsgCommit }
	c.propose(req("y", 1, "carry"))
	c.deliver()
	// New views are lost, so the backups stay in the view change.
	c.drop = func(m Message) bool { return m.Type == MsgNewView }
	c.crash(0)
	c.tick(7)
	var nv *NewView
	for _, m := range c.sent {
		if m.Type == MsgNewView {
			nv = m.NewView
		}
	}
	if nv == nil || len(nv.PrePrepares) != 1 {
		t.Fatalf("new primary sent no new view re-proposing the prepared batch: %+v", nv)
	}
	// The (Byzantine) new primary replaces the prepared batch by a null
	// request and signs everything properly.
	forged := *nv
	pp := PrePrepare{View: nv.View, Seq: 1, Batch: Batch{}}
	pp.BatchDigest = pp.Batch.Digest()
	if err := Sign(c.keys[1], 7, 0, &pp); err != nil {
		t.Fatal(err)
	}
	forged.PrePrepares = []PrePrepare{pp}
	if err := Sign(c.keys[1], 7, 0, &forged); err != nil {
		t.Fatal(err)
	}
	err := c.reps[2].Step(Message{Type: MsgNewView, From: 1, To: 2, NewView: &forged})
	if err == nil {
		t.Fatal("new view that drops a prepared batch accepted")
	}
	// Too few view changes.
	short := *nv
	short.ViewChanges = nv.ViewChanges[:2]
	if err := Sign(c.keys[1], 7, 0, &short); err != nil {
		t.Fatal(err)
	}
	if err := c.reps[2].Step(Message{Type: MsgNewView, From: 1, To: 2, NewView: &short}); err == nil {
		t.Fatal("new view with 2 view changes accepted")
	}
	// The genuine one is accepted.
	if err := c.reps[2].Step(Message{Type: MsgNewView, From: 1, To: 2, NewView: nv}); err != nil {
		t.Fatalf("genuine new view: %v", err)
	}
	if st := c.reps[2].Status(); st.InViewChange || st.View != nv.View {
		t.Fatalf("after the new view: %+v", st)
	}
}

// A replica whose view change gathers no quorum waits while f+1 replicas
// still vote for lower views (they are climbing towards it) and moves on
// once they fall silent. Without the wait, two groups of honest replicas,
// each too small for a quorum, can climb in step for ever.
func TestViewChangeWaitsForReplicasBehind(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) {
		cfg.ViewChangeTimeoutTicks = 4
		cfg.ResendTicks = 2
		cfg.IdleTimeoutTicks = 1000
		cfg.RequestTimeoutTicks = 1000
	})
	ahead := c.reps[3]
	// Replica 3 alone asks for view 5; replicas 0 and 1 (f+1 of them) ask
	// for view 2 and keep repeating it; only their votes reach replica 3.
	ahead.startViewChange(5, CauseRequestTimer)
	c.reps[0].startViewChange(2, CauseRequestTimer)
	c.reps[1].startViewChange(2, CauseRequestTimer)
	c.crash(2)
	c.drop = func(m Message) bool { return m.To != 3 || m.Type != MsgViewChange }
	for i := range 4 {
		c.collect(i)
	}
	c.deliver()
	tickAll := func(k int, which ...int) {
		for ; k > 0; k-- {
			for _, i := range which {
				c.reps[i].Tick()
				c.collect(i)
			}
			c.deliver()
		}
	}
	// Well past twice the timeout, replica 3 still waits in view 5.
	tickAll(3*int(ahead.viewChangeTimeout()), 0, 1, 3)
	if st := ahead.Status(); st.View != 5 {
		t.Fatalf("replica 3 moved to view %d while f+1 replicas were behind it", st.View)
	}
	// The replicas behind fall silent: replica 3 moves on.
	c.crash(0)
	c.crash(1)
	tickAll(2*int(ahead.viewChangeTimeout())+3*2+1, 3)
	if st := ahead.Status(); st.View <= 5 {
		t.Fatalf("replica 3 still in view %d after the replicas behind it fell silent", st.View)
	}
}

// TestCensoringPrimaryIsReplaced: the primary of view 0 never orders client
// victim's request but keeps committing another client's requests. Each
// backup times the victim's request on its own, whatever else executes, and
// votes the primary out; the request executes in view 1. With the request
// timer restarted by every execution (per-batch-timer), the primary keeps
// its view for ever.
func TestCensoringPrimaryIsReplaced(t *testing.T) {
	for _, tc := range []struct {
		bug      Bug
		replaced bool
	}{{BugNone, true}, {BugPerBatchTimer, false}} {
		t.Run(tc.bug.String(), func(t *testing.T) {
			const timeout = 6
			c := newCluster(t, 4, func(cfg *Config) { cfg.RequestTimeoutTicks = timeout; cfg.Bug = tc.bug })
			c.propose(req("victim", 1, "censored"), 1, 2, 3) // the primary drops it
			c.deliver()
			for ts := uint64(1); ts <= 10*timeout; ts++ {
				if c.reps[1].Status().View == 0 {
					c.propose(req("favoured", ts, "served"))
				}
				c.tick(1)
			}
			victimDone := false
			for _, b := range c.committed[1] {
				for _, r := range b.Executed {
					victimDone = victimDone || r.Client == "victim"
				}
			}
			if st := c.reps[1].Status(); (st.View > 0) != tc.replaced || victimDone != tc.replaced {
				t.Fatalf("backup 1: %+v, victim executed %v; want the primary replaced = %v", st, victimDone, tc.replaced)
			}
			c.checkAgreement()
		})
	}
}

// TestRequestTimeoutFollowsObservedWaits: when requests wait long for their
// batch (load), the request timeout grows with the observed waits, up to
// its bound, so load alone does not replace the primary; and it comes back
// down when waits are short again.
func TestRequestTimeoutFollowsObservedWaits(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.RequestTimeoutTicks = 5; cfg.MaxTimeoutDoublings = 3 })
	c.tick(40)
	r := c.reps[1]
	if got := r.requestTimeout(); got != 5 {
		t.Fatalf("initial request timeout %d, want the configured 5", got)
	}
	for i := 0; i < 100; i++ {
		r.observeWait(&pendingRequest{since: r.now - 30})
	}
	if got := r.requestTimeout(); got != 5<<3 {
		t.Fatalf("request timeout %d after long waits, want the cap %d", got, 5<<3)
	}
	for i := 0; i < 100; i++ {
		r.observeWait(&pendingRequest{since: r.now})
	}
	if got := r.requestTimeout(); got != 5 {
		t.Fatalf("request timeout %d after short waits, want 5 again", got)
	}
}

// A replica that enters a view and, while replaying the messages it kept
// for it, rejects the primary's batch, is changing views again before
// enterView returns. If it is the next view's primary it must not cut a
// batch there: the NEW-VIEW of that view resets its sequence numbers, and
// it would sign a second pre-prepare at the same one (seed 12950 of the
// 20,000-seed runs, n = 4).
func TestNoBatchIsCutWhileAViewChangeStartsInsideEnterView(t *testing.T) {
	c := newCluster(t, 4, nil)
	var held []Message
	c.drop = func(m Message) bool {
		if m.Type == MsgNewView && m.To == 2 {
			held = append(held, m)
			return true
		}
		return false
	}
	for i := 0; i < c.n; i++ {
		c.reps[i].startViewChange(1, CauseRequestTimer)
		c.collect(i)
	}
	c.deliver()
	if st := c.reps[2].Status(); st.View != 1 || !st.InViewChange || len(held) != 1 {
		t.Fatalf("setup: replica 2 %+v, %d NEW-VIEWs held", st, len(held))
	}
	c.queue, c.drop = nil, nil
	if err := c.reps[2].Propose(req("a", 1, "x")); err != nil {
		t.Fatal(err)
	}
	// Primary 1's pre-prepare of view 1 carries a request no honest primary
	// would propose; replica 2 keeps it until it has entered view 1.
	pp := &PrePrepare{View: 1, Seq: 1, Batch: Batch{Requests: []Request{req("k", 1, "bad")}}}
	pp.BatchDigest = pp.Batch.Digest()
	if err := Sign(c.keys[1], 7, 0, pp); err != nil {
		t.Fatal(err)
	}
	if err := c.reps[2].Step(Message{Type: MsgPrePrepare, From: 1, To: 2, PrePrepare: pp}); err != nil {
		t.Fatal(err)
	}
	mark := len(c.sent)
	if err := c.reps[2].Step(held[0]); err != nil {
		t.Fatal(err)
	}
	c.collect(2)
	st := c.reps[2].Status()
	if st.View != 2 || !st.InViewChange {
		t.Fatalf("replica 2 did not reject the batch and move on: %+v", st)
	}
	for _, m := range c.sent[mark:] {
		if m.From == 2 && m.Type == MsgPrePrepare {
			t.Fatalf("replica 2 sent a pre-prepare of view %d seq %d while changing to view 2", m.PrePrepare.View, m.PrePrepare.Seq)
		}
	}
}
