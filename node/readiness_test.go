package node

import (
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/consensus"
)

// TestValidatorReadiness: the validator is ready only as a caught-up member
// in a view, and otherwise says why.
func TestValidatorReadiness(t *testing.T) {
	key := newNodeKey(t)
	for _, c := range []struct {
		name    string
		running bool
		st      consensus.Status
		ready   bool
		says    string
	}{
		{"never named", false, consensus.Status{}, false, "not a validator"},
		{"stopped", false, consensus.Status{Epoch: 2, Member: true}, false, "stopped"},
		{"left", true, consensus.Status{Epoch: 2}, false, "left the validator set at epoch 2"},
		{"joining", true, consensus.Status{Epoch: 3, Member: true, Joining: true}, false, "joining epoch 3"},
		{"view change", true, consensus.Status{Epoch: 1, Member: true, View: 4, InViewChange: true}, false, "changing view"},
		{"behind its checkpoint", true, consensus.Status{Epoch: 1, Member: true, LowWater: 200, LastExecuted: 150, HighestSeen: 200}, false, "catching up: executed seq 150 of 200"},
		{"far behind what it saw", true, consensus.Status{Epoch: 1, Member: true, LowWater: 100, LastExecuted: 100, HighestSeen: 400}, false, "catching up: executed seq 100 of 400"},
		{"batches in flight", true, consensus.Status{Epoch: 1, Member: true, View: 2, LowWater: 100, LastExecuted: 110, HighestSeen: 112}, true, "in view 2 of epoch 1; executed seq 110 of 112"},
	} {
		v := &Validator{}
		v.cfg.Key = key
		v.running.Store(c.running)
		v.mu.status, v.mu.behindBy = c.st, 128
		r := v.Readiness()
		if r.Ready != c.ready || !strings.Contains(r.Detail, c.says) {
			t.Errorf("%s: %+v, want ready %v saying %q", c.name, r, c.ready, c.says)
		}
		if r.Progress["executed_seq"] != c.st.LastExecuted || r.Progress["epoch"] != c.st.Epoch {
			t.Errorf("%s: progress %v", c.name, r.Progress)
		}
	}
}
