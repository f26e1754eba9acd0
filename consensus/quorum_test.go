package consensus

import (
	"testing"

	"github.com/enigma-mpc/enigma/consensus/quorum"
)

// TestQuorumIsLargerThan2fPlus1WhenNIsNot3fPlus1 runs five replicas (f = 1)
// of which two are cut off. Three replicas are 2f+1, but two sets of three
// can meet in one, faulty, replica: nothing may commit until a quorum of
// four takes part. The classic-quorum variant commits with three.
func TestQuorumIsLargerThan2fPlus1WhenNIsNot3fPlus1(t *testing.T) {
	for _, tc := range []struct {
		bug        Bug
		wantCommit bool
	}{{BugNone, false}, {BugClassicQuorum, true}} {
		t.Run(tc.bug.String(), func(t *testing.T) {
			c := newCluster(t, 5, func(cfg *Config) { cfg.Bug = tc.bug })
			// Messages to and from replicas 3 and 4 are held back.
			var held []Message
			c.drop = func(m Message) bool {
				if m.From >= 3 || m.To >= 3 {
					held = append(held, m)
					return true
				}
				return false
			}
			c.propose(req("alice", 1, "x"), 0, 1, 2)
			c.deliver()
			if got := c.executed(1) == 1; got != tc.wantCommit {
				t.Fatalf("three of five replicas executed = %v, want %v (quorum %d)", got, tc.wantCommit, quorum.Size(5))
			}
			if tc.wantCommit {
				return
			}
			// Replica 3's link heals: now the quorum is there.
			c.drop = func(m Message) bool { return m.From == 4 || m.To == 4 }
			for _, m := range held {
				if m.To == 3 {
					c.queue = append(c.queue, m)
				}
			}
			c.propose(req("alice", 1, "x"), 3)
			c.deliver()
			for i := 0; i < 4; i++ {
				if c.executed(i) != 1 {
					t.Fatalf("replica %d executed %d batches with four of five up, want 1", i, c.executed(i))
				}
			}
			c.checkAgreement()
		})
	}
}

// TestCheckpointNeedsAQuorumOfSignatures: a stable-checkpoint proof of 2f+1
// signatures is refused at n = 5, and the quorum's is accepted.
func TestCheckpointNeedsAQuorumOfSignatures(t *testing.T) {
	c := newCluster(t, 5, nil)
	for ts := uint64(1); ts <= 4; ts++ {
		c.propose(req("alice", ts, "x"))
		c.deliver()
	}
	r := c.reps[0]
	if r.Status().LowWater != 4 {
		t.Fatalf("low watermark %d after four batches, want 4", r.Status().LowWater)
	}
	proof := r.stable.Proof
	if len(proof) != quorum.Size(5) {
		t.Fatalf("stable proof has %d signatures, want %d", len(proof), quorum.Size(5))
	}
	if err := r.verifyStableProof(0, 4, proof[:3]); err == nil {
		t.Fatal("a proof of 2f+1 = 3 signatures was accepted at n = 5")
	}
	if err := r.verifyStableProof(0, 4, proof); err != nil {
		t.Fatalf("the quorum's proof was refused: %v", err)
	}
}
