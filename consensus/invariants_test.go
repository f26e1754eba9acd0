package consensus

import (
	"strings"
	"testing"
)

// TestInvariantCheckerCatchesBrokenState breaks each kind of invariant on a
// running replica and expects CheckInvariants to say which.
func TestInvariantCheckerCatchesBrokenState(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		breakIt    func(r *Replica)
	}{
		{"watermark without checkpoint", "low watermark", func(r *Replica) { r.low++ }},
		{"sequence below the watermark", "below the low watermark", func(r *Replica) {
			r.stable.Seq, r.low, r.seq = 8, 8, 7
		}},
		{"closing checkpoint without a reconfiguration", "pending reconfiguration", func(r *Replica) { r.closeSeq = 12 }},
		{"view change without a vote", "without its own vote", func(r *Replica) { r.phase, r.ownVC = phaseViewChange, nil }},
		{"fetching state, to resume a view change without a vote", "without its own vote", func(r *Replica) {
			r.phase, r.fetchInVC, r.lastExe, r.ownVC = phaseFetchingState, true, 0, nil
		}},
		{"a validator that left", "phase left but id 1", func(r *Replica) { r.phase = phaseLeft }},
		{"a backup acting as primary", "phase primary in view 0, whose primary is 0", func(r *Replica) { r.phase = phasePrimary }},
		{"a view change to resume outside fetching", "a view change to resume", func(r *Replica) { r.fetchInVC = true }},
		{"fetching state with some executed", "fetching state with 1 executed", func(r *Replica) { r.phase = phaseFetchingState }},
		{"collected slot kept", "slots holds sequence 1", func(r *Replica) {
			r.slots[1] = &slot{view: r.view}
			r.stable.Seq, r.low, r.seq = 4, 4, 4
		}},
		{"slot of a later view", "above the replica's view", func(r *Replica) { r.slots[3] = &slot{view: r.view + 1} }},
		{"executed beyond the last execution", "beyond the last executed", func(r *Replica) { r.execd[r.lastExe+1] = Digest{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, 4, nil)
			c.propose(req("a", 1, "x"))
			c.deliver()
			r := c.reps[1]
			if err := r.CheckInvariants(); err != nil {
				t.Fatalf("a healthy replica: %v", err)
			}
			tc.breakIt(r)
			if err := r.CheckInvariants(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error about %q", err, tc.want)
			}
		})
	}
}
