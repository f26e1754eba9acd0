package node

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
)

var clockStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// countingSource is a chain that lists no datasets and counts the polls.
type countingSource struct {
	mu    sync.Mutex
	polls int
}

func (s *countingSource) DatasetIDs(context.Context) ([]common.Hash, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.polls++
	return nil, nil
}

func (s *countingSource) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls
}

// The catalog polls on its Clock: with an hour between polls on a
// simulated clock, a poll follows each Advance at once (on the wall clock
// none would come for an hour), and none comes without one.
func TestCatalogPollsOnItsClock(t *testing.T) {
	clk := clock.NewSimulated(clockStart)
	src := &countingSource{}
	c := NewCatalog(src, &countingFetcher{}, time.Hour, clk, slog.New(slog.DiscardHandler))
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	waitFor(t, "the catalog's first poll, at start", func() bool { return src.count() == 1 })
	for poll := 2; poll <= 4; poll++ {
		clk.Advance(time.Hour)
		waitFor(t, fmt.Sprintf("poll %d, an hour of the catalog's clock later", poll), func() bool { return src.count() >= poll })
	}
	if got := src.count(); got != 4 {
		t.Fatalf("%d polls after 3 hours of the catalog's clock, want 4", got)
	}
}

// countingNet counts the consensus frames a validator sends its peers.
type countingNet struct {
	recordingCaller
	mu   sync.Mutex
	sent int
}

func (n *countingNet) Send(_ context.Context, _ identity.NodeID, _, _ string, frames ...[]byte) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sent += len(frames)
	return nil
}

func (n *countingNet) frames() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.sent
}

// The validator's engine ticks on its Clock: with ticks an hour long on a
// simulated clock, the idle primary's heartbeats (one per tick here) go to
// the three backups as the test advances the clock — on the wall clock
// none would go for an hour.
func TestValidatorTicksOnItsClock(t *testing.T) {
	var peers []ledgerclient.ValidatorPeer
	var keys []*identity.NodeKey
	for range 4 {
		key, err := identity.GenerateNodeKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
		peers = append(peers, ledgerclient.ValidatorPeer{ID: key.ID(), PublicKey: key.Public()})
	}
	clk := clock.NewSimulated(clockStart)
	net := &countingNet{}
	app := &hashChainApp{}
	v, err := NewValidator(ValidatorConfig{
		Key: keys[0], ChainID: 1337, Epoch: 1, Peers: peers, App: app, Verifier: app,
		Storage: consensus.NewMemoryStorage(), Net: net, TickInterval: time.Hour,
		Tune:  func(c *consensus.Config) { c.HeartbeatTicks = 1 },
		Clock: clk, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	if st := v.Status(); st.ID != 0 || st.View != 0 {
		t.Fatalf("validator is replica %d in view %d; the test wants the primary of view 0", st.ID, st.View)
	}
	// The run loop makes its ticker when it starts; a tick before that
	// would be lost.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clk.WaitForTimers(ctx, 1); err != nil {
		t.Fatalf("the validator made no ticker on its clock: %v", err)
	}
	for tick := 1; tick <= 3; tick++ {
		clk.Advance(time.Hour)
		waitFor(t, fmt.Sprintf("the heartbeats of tick %d to the 3 backups", tick), func() bool { return net.frames() >= 3*tick })
	}
}
