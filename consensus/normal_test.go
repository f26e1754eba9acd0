package consensus

import (
	"errors"
	"slices"
	"testing"

	"github.com/enigma-mpc/enigma/signing"
)

func TestNormalCaseCommitsAndClientAcceptsFPlusOne(t *testing.T) {
	c := newCluster(t, 4, nil)
	cl := NewClient("alice", 4, 0, 10)
	r, err := cl.Submit([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	c.propose(r)
	if errs := c.deliver(); len(errs) > 0 {
		t.Fatal(errs)
	}
	for i := 0; i < 4; i++ {
		if c.executed(i) != 1 {
			t.Fatalf("replica %d executed %d batches, want 1", i, c.executed(i))
		}
	}
	c.checkAgreement()
	if len(c.replies) != 4 {
		t.Fatalf("%d replies, want 4", len(c.replies))
	}
	for i := 0; i < 4; i++ {
		got := c.reps[i].Counters()
		want := Counters{BatchesExecuted: 1, RequestsExecuted: 1, Signed: got.Signed, SignaturesVerified: got.SignaturesVerified, SignaturesCached: got.SignaturesCached}
		if i == 0 {
			want.BatchesProposed = 1
		}
		// A pre-prepare or prepare (backups), a commit and a checkpoint
		// at least; and every vote it needed from the others checked.
		if got != want || got.Signed < 2 || got.SignaturesVerified < 4 {
			t.Fatalf("replica %d counters %+v", i, got)
		}
	}
	if _, done := cl.Step(c.replies[0]); done {
		t.Fatal("client accepted a result from a single replica")
	}
	res, done := cl.Step(c.replies[1])
	if !done || string(res) != "ok hello" {
		t.Fatalf("client result %q done=%v after f+1 replies", res, done)
	}
}

func TestClientRejectsMismatchedReplies(t *testing.T) {
	cl := NewClient("alice", 4, 0, 10)
	r, _ := cl.Submit([]byte("x"))
	if _, done := cl.Step(Reply{Replica: 0, Client: "alice", Timestamp: r.Timestamp, Result: []byte("a")}); done {
		t.Fatal("done after one reply")
	}
	if _, done := cl.Step(Reply{Replica: 1, Client: "alice", Timestamp: r.Timestamp, Result: []byte("b")}); done {
		t.Fatal("accepted two different results")
	}
	if _, done := cl.Step(Reply{Replica: 0, Client: "alice", Timestamp: r.Timestamp, Result: []byte("b")}); done {
		t.Fatal("a replica counted twice")
	}
	if _, err := cl.Submit(nil); !errors.Is(err, ErrClientBusy) {
		t.Fatalf("second Submit: %v", err)
	}
	if res, done := cl.Step(Reply{Replica: 2, Client: "alice", Timestamp: r.Timestamp, Result: []byte("b")}); !done || string(res) != "b" {
		t.Fatal("f+1 matching replies not accepted")
	}
	for i := 0; i < 9; i++ {
		if _, again := cl.Tick(); again {
			t.Fatal("idle client retransmits")
		}
	}
}

func TestBatchingPutsConcurrentRequestsInOneBatch(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.BatchDelayTicks = 2 })
	for i := 0; i < 3; i++ {
		c.propose(req(string(rune('a'+i)), 1, "x"))
	}
	c.deliver()
	if c.executed(0) != 0 {
		t.Fatal("primary cut a batch before the batch delay")
	}
	c.tick(3)
	if c.executed(1) != 1 || len(c.committed[1][0].Executed) != 3 {
		t.Fatalf("want one batch of 3 requests, replica 1 executed %d batches: %+v", c.executed(1), c.committed[1])
	}
}

func TestFullPipelineGrowsTheNextBatch(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) {
		cfg.BatchDelayTicks = -1
		cfg.MaxInflightBatches = 1
		cfg.MaxBatchSize = 3
	})
	// The first request goes out at once; the next four arrive while its
	// batch is in flight, so they wait and leave as one full batch of three
	// and, after that executes, a batch with the last one.
	c.propose(req("a", 1, "x"))
	for i := 0; i < 4; i++ {
		c.propose(req(string(rune('b'+i)), 1, "x"))
	}
	c.deliver()
	var sizes []int
	for _, cb := range c.committed[1] {
		sizes = append(sizes, len(cb.Executed))
	}
	if !slices.Equal(sizes, []int{1, 3, 1}) {
		t.Fatalf("batch sizes %v, want [1 3 1]", sizes)
	}
	c.checkAgreement()

	// Without the limit every request is cut at once into its own batch.
	c = newCluster(t, 4, func(cfg *Config) { cfg.BatchDelayTicks = -1 })
	for i := 0; i < 4; i++ {
		c.propose(req(string(rune('a'+i)), 1, "x"))
	}
	c.deliver()
	if c.executed(1) != 4 {
		t.Fatalf("without a pipeline limit replica 1 executed %d batches, want 4", c.executed(1))
	}
}

func TestDuplicateRequestExecutesOnceAndIsAnsweredAgain(t *testing.T) {
	c := newCluster(t, 4, nil)
	r := req("bob", 1, "once")
	c.propose(r)
	c.deliver()
	c.replies = nil
	c.propose(r) // the client retransmits
	c.deliver()
	if c.executed(0) != 1 {
		t.Fatalf("a retransmitted request was ordered again (%d batches)", c.executed(0))
	}
	if len(c.replies) != 4 || string(c.replies[0].Result) != "ok once" {
		t.Fatalf("retransmission not answered from the reply cache: %+v", c.replies)
	}
	if err := c.reps[0].Propose(req("bob", 0, "old")); !errors.Is(err, ErrStaleRequest) {
		t.Fatalf("stale request: %v", err)
	}
	// A batch carrying an already executed request skips it at execution.
	pp := &PrePrepare{View: 0, Seq: 2, Batch: Batch{Requests: []Request{r}}}
	pp.BatchDigest = pp.Batch.Digest()
	if err := Sign(c.keys[0], 7, 0, pp); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 4; i++ {
		c.queue = append(c.queue, Message{Type: MsgPrePrepare, From: 0, To: ReplicaID(i), PrePrepare: pp})
	}
	c.deliver()
	c.tick(1)
	for i := 1; i < 4; i++ {
		last := c.committed[i][len(c.committed[i])-1]
		if last.Seq != 2 || len(last.Executed) != 0 {
			t.Fatalf("replica %d: duplicate executed again: %+v", i, last)
		}
	}
}

func TestInvalidRequestsAreRefused(t *testing.T) {
	c := newCluster(t, 4, nil)
	if err := c.reps[0].Propose(req("eve", 1, "bad")); err == nil {
		t.Fatal("invalid request accepted")
	}
}

func TestCheckpointsBecomeStableAndCollectGarbage(t *testing.T) {
	c := newCluster(t, 4, nil)
	for ts := uint64(1); ts <= 9; ts++ {
		c.propose(req("carol", ts, "v"))
		c.deliver()
	}
	for i := 0; i < 4; i++ {
		st := c.reps[i].Status()
		if st.LastExecuted != 9 || st.LowWater != 8 {
			t.Fatalf("replica %d: %+v, want executed 9 and low watermark 8", i, st)
		}
		ps, _ := c.stores[i].Load()
		if ps.Stable == nil || ps.Stable.Seq != 8 || len(ps.Stable.Proof) != 3 || len(ps.Stable.Snapshot) == 0 {
			t.Fatalf("replica %d stored stable checkpoint %+v", i, ps.Stable)
		}
		for _, e := range ps.Entries {
			if e.Seq <= 8 {
				t.Fatalf("replica %d kept log entry %d below its stable checkpoint", i, e.Seq)
			}
		}
	}
	// The ledger's checkpoint signature verifies under the contract payload.
	cp := c.reps[1].stable.Proof[0]
	if err := signing.VerifyNode(c.pubs[cp.Replica], DomainCheckpoint, 7, LedgerCheckpointPayload{0, cp.Seq, cp.StateDigest}, cp.LedgerSig); err != nil {
		t.Fatalf("ledger checkpoint signature: %v", err)
	}
	c.checkAgreement()
}

func TestWatermarksBoundThePrimary(t *testing.T) {
	c := newCluster(t, 4, nil)
	// Backups never answer: the primary can assign at most L sequence numbers.
	c.drop = func(m Message) bool { return m.From != 0 }
	for ts := uint64(1); ts <= 20; ts++ {
		c.propose(req(string(rune('a'+ts)), 1, "w"), 0)
	}
	c.deliver()
	if c.reps[0].seq != 8 {
		t.Fatalf("primary assigned up to %d, want the high watermark 8", c.reps[0].seq)
	}
}

func TestForgedMessagesAreRejected(t *testing.T) {
	c := newCluster(t, 4, nil)
	c.propose(req("dan", 1, "x"), 0)
	var pp *PrePrepare
	for _, m := range c.queue {
		if m.Type == MsgPrePrepare {
			pp = m.PrePrepare
		}
	}
	bad := *pp
	bad.Sig = append([]byte(nil), pp.Sig...)
	bad.Sig[3] ^= 1
	if err := c.reps[1].Step(Message{Type: MsgPrePrepare, From: 0, To: 1, PrePrepare: &bad}); !errors.Is(err, signing.ErrBadSignature) {
		t.Fatalf("mis-signed pre-prepare: %v", err)
	}
	if err := c.reps[1].Step(Message{Type: MsgPrePrepare, From: 2, To: 1, PrePrepare: pp}); err == nil {
		t.Fatal("pre-prepare from a non-primary accepted")
	}
	tampered := *pp
	tampered.Batch = Batch{Context: []byte("other")}
	if err := c.reps[1].Step(Message{Type: MsgPrePrepare, From: 0, To: 1, PrePrepare: &tampered}); err == nil {
		t.Fatal("pre-prepare whose batch does not match its digest accepted")
	}
	if err := c.reps[1].Step(Message{Type: MsgPrepare, From: 2, To: 1, Prepare: &Prepare{Replica: 3, Seq: 1}}); err == nil {
		t.Fatal("prepare claiming another replica accepted")
	}
	if err := c.reps[1].Step(Message{Type: MsgCommit, From: 9, To: 1}); err == nil {
		t.Fatal("message from outside the validator set accepted")
	}
	if err := c.reps[1].Step(Message{Type: MsgCommit, From: 2, To: 1}); err == nil {
		t.Fatal("message without a body accepted")
	}
	// A body of another type does not stand in for the one the type names.
	if err := c.reps[1].Step(Message{Type: MsgPrePrepare, From: 0, To: 1, StateRequest: &StateRequest{}}); err == nil {
		t.Fatal("pre-prepare carrying a state request accepted")
	}
}

func TestVerifierNotReadyRetriesThenGivesUp(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.NotReadyTicks = 3 })
	c.apps[1].notReady, c.apps[2].notReady, c.apps[3].notReady = true, true, true
	c.propose(req("erin", 1, "x"))
	c.deliver()
	if c.executed(1) != 0 {
		t.Fatal("backup prepared a batch its verifier was not ready for")
	}
	c.apps[1].notReady, c.apps[2].notReady = false, false
	c.tick(1)
	if c.executed(1) != 1 {
		t.Fatal("batch not prepared once the verifier became ready")
	}
	c.propose(req("erin", 2, "y"))
	c.apps[1].notReady, c.apps[2].notReady = true, true
	c.deliver()
	c.tick(5)
	if st := c.reps[1].Status(); st.View == 0 && !st.InViewChange {
		t.Fatalf("backup kept waiting past NotReadyTicks: %+v", st)
	}
}

// Work produced between Ready and Advance must survive the Advance.
func TestWorkBetweenReadyAndAdvanceIsKept(t *testing.T) {
	c := newCluster(t, 4, nil)
	r := c.reps[0]
	if err := r.Propose(req("a", 1, "x")); err != nil {
		t.Fatal(err)
	}
	first := r.Ready()
	if err := r.Propose(req("b", 1, "y")); err != nil {
		t.Fatal(err)
	}
	r.Advance()
	if !r.HasReady() {
		t.Fatal("the second proposal's work was dropped by Advance")
	}
	second := r.Ready()
	r.Advance()
	if len(first.Messages) == 0 || len(second.Messages) == 0 || second.Persist == nil || len(second.Persist.Entries) != 1 || second.Persist.Entries[0].Seq != 2 {
		t.Fatalf("first Ready %d messages; second %d messages, persist %+v", len(first.Messages), len(second.Messages), second.Persist)
	}
	if r.HasReady() {
		t.Fatal("work left after both Readies were handled")
	}
}

// A primary cannot slip a forged payload past a backup by reusing the
// (client, timestamp) of a request the backup already verified.
func TestForgedPayloadUnderAKnownRequestIsVerified(t *testing.T) {
	c := newCluster(t, 4, nil)
	c.propose(req("k", 1, "good"), 1) // backup 1 verified the genuine request
	pp := &PrePrepare{View: 0, Seq: 1, Batch: Batch{Requests: []Request{req("k", 1, "bad")}}}
	pp.BatchDigest = pp.Batch.Digest()
	if err := Sign(c.keys[0], 7, 0, pp); err != nil {
		t.Fatal(err)
	}
	if err := c.reps[1].Step(Message{Type: MsgPrePrepare, From: 0, To: 1, PrePrepare: pp}); err != nil {
		t.Fatal(err)
	}
	if st := c.reps[1].Status(); !st.InViewChange {
		t.Fatalf("backup accepted a batch with a forged payload: %+v", st)
	}
}

// TestRestartedReplicaSitsOutItsView: pre-prepares and prepares leave
// before their log write is synced, so a replica restarted from its log
// signs no pre-prepare, prepare or commit in the view it was in (it may
// have lost what it signed there); it still executes what the others
// decide, and orders again from the next view.
func TestRestartedReplicaSitsOutItsView(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.RequestTimeoutTicks = 5; cfg.IdleTimeoutTicks = 5 })
	c.propose(req("a", 1, "x"))
	c.deliver()
	c.crash(1)
	c.restart(1)
	if c.executed(1) != 0 {
		t.Fatalf("the restarted replica executed %d batches: the commit certificate it never synced survived the crash", c.executed(1))
	}
	mark := len(c.sent)
	c.propose(req("a", 2, "y"))
	c.deliver()
	c.tick(10) // it fetches the first batch, which nobody sends it again
	if c.executed(1) != 2 {
		t.Fatalf("the restarted replica executed %d batches, want 2 (the others decided the second)", c.executed(1))
	}
	for _, m := range c.sent[mark:] {
		if m.From == 1 && (m.Type == MsgPrepare || m.Type == MsgCommit || m.Type == MsgPrePrepare) {
			t.Fatalf("the restarted replica sent a %s in the view it restarted in", m.Type)
		}
	}
	// The primary goes away; in view 1 the restarted replica (its primary)
	// orders again.
	c.crash(0)
	c.tick(30)
	c.propose(req("a", 3, "z"), 1, 2, 3)
	c.tick(5)
	signed := false
	for _, m := range c.sent[mark:] {
		// Replica 1 is view 1's primary.
		if m.From == 1 && m.Type == MsgPrePrepare && m.PrePrepare.View >= 1 && !m.PrePrepare.Batch.IsNull() {
			signed = true
		}
	}
	if !signed || c.executed(1) != 3 {
		t.Fatalf("after the view change the restarted replica pre-prepared %v and executed %d, want true and 3", signed, c.executed(1))
	}
	c.checkAgreement()
}

// TestLostCheckpointVotesAreSentAgain: checkpoint votes lost in a partition
// leave every replica at the top of its window with nothing stable; each
// re-sends its newest vote once nothing executes for ResendTicks, and the
// checkpoint becomes stable. (Without the re-send the replicas changed
// views for ever at the end of an epoch; the simulator found it.)
func TestLostCheckpointVotesAreSentAgain(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.ResendTicks = 3; cfg.IdleTimeoutTicks = 1000; cfg.HeartbeatTicks = 100 })
	c.drop = func(m Message) bool { return m.Type == MsgCheckpoint }
	for ts := uint64(1); ts <= 8; ts++ {
		c.propose(req("alice", ts, "x"))
		c.deliver()
	}
	for i := 0; i < 4; i++ {
		if st := c.reps[i].Status(); st.LastExecuted != 8 || st.LowWater != 0 {
			t.Fatalf("replica %d before the heal: %+v, want 8 executed and nothing stable", i, st)
		}
	}
	c.drop = nil
	c.tick(4)
	for i := 0; i < 4; i++ {
		if st := c.reps[i].Status(); st.LowWater != 8 {
			t.Fatalf("replica %d after the heal: %+v, want checkpoint 8 stable", i, st)
		}
		if c.reps[i].Counters().Resends == 0 {
			t.Fatalf("replica %d counted no resend", i)
		}
	}
}

// TestPrimaryRestartedBeforeItsFirstWriteReachedTheDiskSitsOut: a genesis
// primary's pre-prepare leaves before its write, which is not synced; a
// crash loses it, and the log holds only the first Ready's HardState, all
// zero (epoch 0, view 0). That is a restart, not a fresh start: the
// primary sits out view 0 and signs no other batch at sequence 1.
func TestPrimaryRestartedBeforeItsFirstWriteReachedTheDiskSitsOut(t *testing.T) {
	c := newCluster(t, 4, nil)
	if err := c.reps[0].Propose(req("a", 1, "x")); err != nil {
		t.Fatal(err)
	}
	c.collect(0)
	c.crash(0)
	c.restart(0)
	mark := len(c.sent)
	if err := c.reps[0].Propose(req("b", 1, "y")); err != nil {
		t.Fatal(err)
	}
	c.collect(0)
	for _, m := range c.sent[mark:] {
		if m.From == 0 && m.Type == MsgPrePrepare && m.PrePrepare.View == 0 {
			t.Fatalf("the restarted primary signed a pre-prepare of view 0 for seq %d again", m.PrePrepare.Seq)
		}
	}
}
