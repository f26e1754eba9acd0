package simulation

import (
	"testing"

	"github.com/enigma-mpc/enigma/consensus"
)

func batchAt(seq uint64, tag byte, reqs ...consensus.Request) consensus.ExecutedBatch {
	b := consensus.ExecutedBatch{Seq: seq, Executed: reqs}
	b.Digest[0], b.StateDigest[0] = tag, tag
	return b
}

// Each checker must fire on a deliberately broken history and stay quiet on
// a correct one.
func TestCheckersCatchBrokenHistories(t *testing.T) {
	req := consensus.Request{Client: "c", Timestamp: 1, Payload: []byte("x")}
	cases := []struct {
		name string
		run  func(c *checker)
		want string
	}{
		{"agreement", func(c *checker) { c.committed(0, batchAt(1, 1)); c.committed(1, batchAt(1, 2)) }, "agreement"},
		{"state", func(c *checker) {
			a, b := batchAt(1, 1), batchAt(1, 1)
			b.StateDigest[1] = 9
			c.committed(0, a)
			c.committed(1, b)
		}, "state"},
		{"integrity", func(c *checker) {
			c.submit(req)
			c.committed(0, batchAt(1, 1, req))
			c.committed(0, batchAt(2, 2, req))
		}, "integrity"},
		{"validity", func(c *checker) { c.committed(0, batchAt(1, 1, req)) }, "validity"},
		{"checkpoint", func(c *checker) {
			c.stable(0, consensus.StableCheckpoint{Seq: 4, Proof: []consensus.Checkpoint{{Seq: 4, StateDigest: consensus.Digest{1}}}})
			c.stable(1, consensus.StableCheckpoint{Seq: 4, Proof: []consensus.Checkpoint{{Seq: 4, StateDigest: consensus.Digest{2}}}})
		}, "state"},
		{"equivocation", func(c *checker) {
			c.sentMessage(0, &consensus.Message{Type: consensus.MsgPrepare, Prepare: &consensus.Prepare{View: 0, Seq: 1, BatchDigest: consensus.Digest{1}}})
			c.sentMessage(0, &consensus.Message{Type: consensus.MsgPrepare, Prepare: &consensus.Prepare{View: 0, Seq: 1, BatchDigest: consensus.Digest{2}}})
		}, "equivocation"},
		{"durability", func(c *checker) {
			c.sentMessage(0, &consensus.Message{Type: consensus.MsgCommit, Commit: &consensus.Commit{View: 2, Seq: 5, BatchDigest: consensus.Digest{1}}})
			// The log kept a certificate of an earlier view only.
			c.durable(0, &consensus.PersistentState{Started: true, Entries: []consensus.LogEntry{{Seq: 5, Cert: &consensus.PreparedCert{PrePrepare: consensus.PrePrepare{View: 1, Seq: 5, BatchDigest: consensus.Digest{1}}}}}})
		}, "durability"},
		{"durable commits", func(c *checker) {
			c.sentMessage(0, &consensus.Message{Type: consensus.MsgCommit, Commit: &consensus.Commit{View: 2, Seq: 5, BatchDigest: consensus.Digest{1}}})
			c.sentMessage(0, &consensus.Message{Type: consensus.MsgCommit, Commit: &consensus.Commit{View: 2, Seq: 3, BatchDigest: consensus.Digest{1}}})
			c.durable(0, &consensus.PersistentState{Started: true, Stable: &consensus.StableCheckpoint{Seq: 4},
				Entries: []consensus.LogEntry{{Seq: 5, Cert: &consensus.PreparedCert{PrePrepare: consensus.PrePrepare{View: 3, Seq: 5, BatchDigest: consensus.Digest{9}}}}}})
		}, ""},
		{"correct", func(c *checker) {
			c.submit(req)
			c.committed(0, batchAt(1, 1, req))
			c.committed(1, batchAt(1, 1, req))
			c.committed(3, batchAt(1, 7)) // replica 3 is Byzantine: ignored
		}, ""},
	}
	for _, tc := range cases {
		c := newChecker(4, map[consensus.ReplicaID]Behaviour{3: Forge})
		tc.run(c)
		switch {
		case tc.want == "" && len(c.violations) > 0:
			t.Errorf("%s: false alarm %v", tc.name, c.violations)
		case tc.want != "" && (len(c.violations) == 0 || c.violations[0].Kind != tc.want):
			t.Errorf("%s: want a %s violation, got %v", tc.name, tc.want, c.violations)
		}
	}
}
