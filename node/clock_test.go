package node

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/signing"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
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
	keys, peers := fourValidators(t)
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

// A grant request expires on the worker's Clock: with a simulated clock at
// clockStart, a request valid for a minute from then is granted (on the
// wall clock, months later, it would be refused as expired), still at 59
// s, and refused once the clock reaches its expiry — no waiting.
func TestGrantExpiresOnTheWorkersClock(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	subscriber, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	provider := common.Address{0x70}
	path := dataset.Path{Provider: provider, Name: "ticks"}
	wkey := newNodeKey(t)
	fetcher := &countingFetcher{records: map[common.Hash]*ledger.Record{}}
	rec := lifecycleRecord(1, []identity.NodeID{wkey.ID()}, []identity.NodeID{{0x55}})
	rec.Signed.Metadata.Provider = provider
	fetcher.records[path.ID()] = rec
	catalog := NewCatalog(noDatasets{}, fetcher, time.Hour, nil, log)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := catalog.Fetch(ctx, path.ID()); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewSimulated(clockStart)
	dir := t.TempDir()
	reg := prometheus.NewRegistry()
	role, err := NewWorkerRole(WorkerRoleConfig{Self: wkey.ID(), Dir: dir, ChainID: persistenceChainID,
		Access:  levels{crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed},
		Catalog: catalog, Clock: clk, Registry: reg, Logger: log, Worker: worker.Config{Registerer: prometheus.NewRegistry()}})
	if err != nil {
		t.Fatal(err)
	}
	defer role.Stop()
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := colcrypt.SaveKeys(filepath.Join(dir, "keys", worker.KeysFileName(path.ID())), keys); err != nil {
		t.Fatal(err)
	}
	grantKey, err := seal.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	req := workerkeys.GrantRequest{Worker: wkey.ID(), Dataset: path.ID(), Subscriber: crypto.PubkeyToAddress(subscriber.PublicKey),
		GrantKey: grantKey.PublicKey(), Expiry: uint64(clockStart.Add(time.Minute).Unix())}
	sig, err := signing.SignAccount(subscriber, workerkeys.GrantDomain, persistenceChainID, &req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := signing.Encode(&workerkeys.SignedGrantRequest{Request: req, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Duration{0, 59 * time.Second} {
		clk.AdvanceTo(clockStart.Add(at))
		sealed, err := role.serveGrant(ctx, identity.NodeID{}, body)
		if err != nil {
			t.Fatalf("%v after the worker's clock start, a minute before the request expires: %v", at, err)
		}
		if got, err := colcrypt.OpenGrant(grantKey, path.ID(), sealed); err != nil || *got != *keys {
			t.Fatalf("the grant at %v does not open to the dataset's keys: %v", at, err)
		}
	}
	clk.Advance(time.Second)
	if _, err := role.serveGrant(ctx, identity.NodeID{}, body); err == nil || !strings.Contains(err.Error(), "this worker's time "+clockStart.Add(time.Minute).Format(time.RFC3339)) {
		t.Fatalf("at the request's expiry on the worker's clock: err = %v, want an expiry refusal naming the worker's time", err)
	}
	for result, want := range map[string]float64{grantOK: 2, grantExpired: 1} {
		if got := counterWithLabel(t, reg, "enigma_worker_grants_total", "result", result); got != want {
			t.Errorf("enigma_worker_grants_total{result=%q} = %v, want %v", result, got, want)
		}
	}
}

// The chain health polls on its Clock and dates a failure by it: with an
// hour between polls on a simulated clock, a recovered endpoint counts as
// healthy only once the clock passes the next poll, and a new failure is
// dated at the poll that saw it.
func TestChainHealthPollsOnItsClock(t *testing.T) {
	clk := clock.NewSimulated(clockStart)
	endpoint := &fakeHead{err: errors.New("connection refused")}
	h, err := NewChainHealth(endpoint, "http://10.0.0.7:8545", time.Hour, clk, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Stop()
	if err := h.Healthy(); err == nil || !strings.Contains(err.Error(), "unreachable since "+clockStart.Format(time.RFC3339)) {
		t.Fatalf("after a failed first poll: %v, want unreachable since the clock's start", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clk.WaitForTimers(ctx, 1); err != nil {
		t.Fatalf("the chain health made no ticker on its clock: %v", err)
	}
	endpoint.mu.Lock()
	endpoint.err, endpoint.head = nil, 7
	endpoint.mu.Unlock()
	clk.Advance(59 * time.Minute)
	if err := h.Healthy(); err == nil {
		t.Fatal("healthy before the clock reached the next poll")
	}
	clk.Advance(time.Minute)
	waitFor(t, "the poll an hour of the clock after the first", func() bool { return h.Healthy() == nil })
	endpoint.mu.Lock()
	endpoint.err = errors.New("connection reset")
	endpoint.mu.Unlock()
	clk.Advance(time.Hour)
	since := "unreachable since " + clockStart.Add(2*time.Hour).Format(time.RFC3339)
	waitFor(t, "the failed poll two hours of the clock after the start", func() bool {
		err := h.Healthy()
		return err != nil && strings.Contains(err.Error(), since)
	})
}

// The info server judges a signed request's expiry on its Clock: a request
// expiring a minute after the simulated clock's start passes the expiry
// check (and fails only on its made-up signature) until the clock reaches
// that minute.
func TestInfoRequestExpiresOnTheNodesClock(t *testing.T) {
	clk := clock.NewSimulated(clockStart)
	self := identity.NodeID{0x01}
	s := &InfoServer{Self: self, ChainID: 1337, Clock: clk}
	body, err := signing.Encode(&nodeinfo.Request{Node: self, Expiry: uint64(clockStart.Add(time.Minute).Unix()),
		Account: common.Address{0x0a}, Signature: make([]byte, 65)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Handle(context.Background(), identity.NodeID{}, body); err == nil || !strings.Contains(err.Error(), "the signature is not") {
		t.Fatalf("before expiry on the node's clock: %v, want only the signature refused", err)
	}
	clk.Advance(time.Minute)
	if _, err := s.Handle(context.Background(), identity.NodeID{}, body); err == nil || !strings.Contains(err.Error(), "this node's time "+clockStart.Add(time.Minute).Format(time.RFC3339)) {
		t.Fatalf("at expiry on the node's clock: %v, want the request refused as expired", err)
	}
}
