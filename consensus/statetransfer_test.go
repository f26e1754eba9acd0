package consensus

import (
	"strings"
	"testing"
)

// laggingCluster returns a cluster where replica 3 missed 9 batches and the
// others hold a stable checkpoint at 8, and the honest response to 3's fetch.
func laggingCluster(t *testing.T) (*cluster, *StateResponse) {
	c := newCluster(t, 4, nil)
	c.drop = func(m Message) bool { return m.To == 3 || m.From == 3 }
	for ts := uint64(1); ts <= 9; ts++ {
		c.propose(req("s", ts, "v"), 0, 1, 2)
		c.deliver()
	}
	c.drop = nil
	if err := c.reps[1].Step(Message{Type: MsgStateRequest, From: 3, To: 1, StateRequest: &StateRequest{Replica: 3}}); err != nil {
		t.Fatal(err)
	}
	rd := c.reps[1].Ready()
	c.reps[1].Advance()
	for _, m := range rd.Messages {
		if m.Type == MsgStateResponse {
			return c, m.StateResponse
		}
	}
	t.Fatal("no state response")
	return nil, nil
}

func TestStateTransferInstallsVerifiedState(t *testing.T) {
	c, resp := laggingCluster(t)
	if resp.Stable == nil || resp.Stable.Seq != 8 || len(resp.Committed) != 1 {
		t.Fatalf("response: stable %+v, %d committed certificates", resp.Stable, len(resp.Committed))
	}
	if err := c.reps[3].Step(Message{Type: MsgStateResponse, From: 1, To: 3, StateResponse: resp}); err != nil {
		t.Fatal(err)
	}
	c.collect(3)
	if st := c.reps[3].Status(); st.LastExecuted != 9 || st.LowWater != 8 {
		t.Fatalf("after state transfer: %+v", st)
	}
	if c.apps[3].digest() != c.apps[0].digest() {
		t.Fatal("transferred state differs from the others'")
	}
}

func TestStateTransferRejectsForgeries(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(r *StateResponse)
		want   string
	}{
		{"snapshot", func(r *StateResponse) {
			r.Stable.Snapshot = append([]byte(nil), r.Stable.Snapshot[:len(r.Stable.Snapshot)-1]...)
		}, "snapshot"},
		{"proof too small", func(r *StateResponse) { r.Stable.Proof = r.Stable.Proof[:2] }, "need 3"},
		{"proof repeats a replica", func(r *StateResponse) { r.Stable.Proof[1] = r.Stable.Proof[0] }, "repeats"},
		{"committed batch", func(r *StateResponse) {
			r.Committed[0].PrePrepare.Batch = Batch{Context: []byte("forged")}
			r.Committed[0].PrePrepare.BatchDigest = r.Committed[0].PrePrepare.Batch.Digest()
		}, "signature"},
		{"commit quorum", func(r *StateResponse) { r.Committed[0].Commits = r.Committed[0].Commits[:2] }, "valid commits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, resp := laggingCluster(t)
			forged := *resp
			st := *resp.Stable
			st.Proof = append([]Checkpoint(nil), st.Proof...)
			forged.Stable = &st
			forged.Committed = append([]CommittedCert(nil), resp.Committed...)
			forged.Committed[0].Commits = append([]Commit(nil), resp.Committed[0].Commits...)
			tc.tamper(&forged)
			err := c.reps[3].Step(Message{Type: MsgStateResponse, From: 1, To: 3, StateResponse: &forged})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("forged %s: %v", tc.name, err)
			}
			if st := c.reps[3].Status(); st.LastExecuted != 0 && tc.name != "committed batch" && tc.name != "commit quorum" {
				t.Fatalf("forged state installed: %+v", st)
			}
		})
	}
}
