package consensus

import "testing"

// checkQuietTicks ticks replica i alone, without delivering anything, for
// the ticks it promised would be quiet, checking each does nothing and
// the promise counts down; it returns the Ready of the tick after them,
// which may act.
func checkQuietTicks(t *testing.T, c *cluster, i int) Ready {
	t.Helper()
	r := c.reps[i]
	q := r.QuietTicks(1000)
	if q == 0 || q == 1000 {
		t.Fatalf("replica %d: %d quiet ticks promised, want a deadline of its own", i, q)
	}
	before := r.Status()
	for k := q; k > 0; k-- {
		if got := r.QuietTicks(1000); got != k {
			t.Fatalf("replica %d: %d quiet ticks promised after %d of %d, want %d", i, got, q-k, q, k)
		}
		r.Tick()
		if r.HasReady() || r.Status() != before {
			t.Fatalf("replica %d acted on quiet tick %d of %d", i, q-k+1, q)
		}
	}
	r.Tick()
	if !r.HasReady() {
		t.Fatalf("replica %d: the tick after its %d quiet ones did nothing; the promise was short", i, q)
	}
	return r.Ready()
}

// An idle primary promises the ticks up to its next heartbeat, an idle
// backup those up to suspecting a silent primary, and a replica whose
// checkpoint is not stable those up to re-sending its vote; the tick after
// them acts.
func TestQuietTicksEndAtTheNextTimer(t *testing.T) {
	c := newCluster(t, 4, func(cfg *Config) { cfg.HeartbeatTicks = 10; cfg.IdleTimeoutTicks = 30; cfg.ResendTicks = 5 })
	c.propose(req("alice", 1, "x"))
	c.deliver()
	c.tick(3)
	if rd := checkQuietTicks(t, c, 0); len(rd.Messages) == 0 || rd.Messages[0].Type != MsgHeartbeat {
		t.Fatalf("primary after its quiet ticks: %+v, want a heartbeat", rd.Messages)
	}
	if rd := checkQuietTicks(t, c, 1); len(rd.Messages) == 0 || rd.Messages[0].Type != MsgViewChange {
		t.Fatalf("backup after its quiet ticks: %+v, want a view change", rd.Messages)
	}

	c = newCluster(t, 4, func(cfg *Config) { cfg.HeartbeatTicks = 100; cfg.IdleTimeoutTicks = 300; cfg.ResendTicks = 5 })
	c.drop = func(m Message) bool { return m.Type == MsgCheckpoint }
	for ts := uint64(1); ts <= 4; ts++ {
		c.propose(req("alice", ts, "x"))
		c.deliver()
	}
	if rd := checkQuietTicks(t, c, 2); len(rd.Messages) == 0 || rd.Messages[0].Type != MsgCheckpoint {
		t.Fatalf("backup with its checkpoint not stable: %+v, want its vote again", rd.Messages)
	}
}

// Nothing is promised while a timer runs that any tick could fire.
func TestNoQuietTicksWhileARequestWaits(t *testing.T) {
	c := newCluster(t, 4, nil)
	c.propose(req("alice", 1, "x"), 1)
	if q := c.reps[1].QuietTicks(1000); q != 0 {
		t.Fatalf("backup holding a request promised %d quiet ticks", q)
	}
	c.deliver()
	// With the primary down and the view changes lost, the backups stay
	// in the view change they start once the request's timer expires.
	c.crash(0)
	c.drop = func(m Message) bool { return m.Type == MsgViewChange }
	c.propose(req("bob", 1, "y"), 1, 2, 3)
	c.tick(300)
	for i := 1; i < 4; i++ {
		if !c.reps[i].Status().InViewChange {
			t.Fatalf("replica %d: %+v, want it changing views", i, c.reps[i].Status())
		}
		if q := c.reps[i].QuietTicks(1000); q != 0 {
			t.Fatalf("replica %d changing views promised %d quiet ticks", i, q)
		}
	}
}
