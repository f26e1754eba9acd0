package httpapi_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/devnet"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker"
)

// network is the devnet every test of the package reads through one
// node's API: two datasets, one subscribed and one slashed.
type network struct {
	d        *devnet.Devnet
	base     string // the explorer's URL
	server   *devnet.Member
	encPath  dataset.Path // crypto_daily: encrypted columns, a trial, one subscriber, persistence node p1
	openPath dataset.Path // open_daily: no encryption, no trial, slashed (its only persistence node p2 stopped)
	p1, p2   identity.NodeID
	encCols  []string
}

var (
	netOnce sync.Once
	netErr  error
	shared  *network
	stop    func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// testNetwork starts the devnet on first use (about a minute: the slash
// waits for the validators' probe rounds).
func testNetwork(t *testing.T) *network {
	t.Helper()
	if testing.Short() {
		t.Skip("devnet test")
	}
	netOnce.Do(func() { shared, netErr = startNetwork() })
	if netErr != nil {
		t.Fatalf("start the devnet: %v", netErr)
	}
	return shared
}

func readExample(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "examples", "crypto-daily", name))
}

func startNetwork() (_ *network, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	dir, err := os.MkdirTemp("", "httpapi-devnet-")
	if err != nil {
		return nil, err
	}
	puzzle := kademlia.Puzzle{Static: 4, Dynamic: 4}
	d, err := devnet.Start(ctx, devnet.Config{
		Dir: dir, Validators: 4, Workers: 1, Persistence: 2, Plain: 1, Puzzle: puzzle,
		// The tests' own requests must not meet the per-client limit
		// (TestRateLimit checks it on a server of its own).
		HTTP:   node.HTTPSettings{Addr: "127.0.0.1:0", RatePerSecond: 10_000, Burst: 10_000},
		Worker: worker.Config{Retry: worker.RetryPolicy{InitialBackoff: 200 * time.Millisecond, MaxBackoff: time.Second}},
		// A persistence node counts as offline after 20 rounds (6 s): longer
		// than the first curation run takes to reach it on a busy machine,
		// so only the stopped node's dataset is slashed.
		ProbeInterval: 300 * time.Millisecond, ProbeFailures: 20, Logger: log,
		// /metrics on every node: a slash that does not come is reported
		// with the validators' police counters.
		Metrics: true,
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	stop = func() {
		d.Stop()
		os.RemoveAll(dir)
	}
	n := &network{d: d, base: d.Info.Explorer}
	var workers []identity.NodeID
	var p2index int
	for i, m := range d.Nodes {
		switch {
		case m.Worker != nil:
			workers = append(workers, m.Key.ID())
		case m.Persistence != nil && n.p1 == (identity.NodeID{}):
			n.p1 = m.Key.ID()
		case m.Persistence != nil:
			n.p2, p2index = m.Key.ID(), i
		}
		if m.API != nil {
			n.server = m
		}
	}
	if n.server == nil || n.base == "" {
		return nil, fmt.Errorf("no devnet node serves the API")
	}
	s, err := client.Connect(ctx, client.Config{RPC: d.Info.RPC, Market: d.Info.Market, Bootstrap: []overlay.Peer{d.Bootstrap()}, Puzzle: puzzle, Logger: log})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	provider, subscriber := d.Chain.Keys[1], d.Chain.Keys[2]
	schemaJSON, err := readExample("schema.json")
	if err != nil {
		return nil, err
	}
	script, err := readExample("curate.star")
	if err != nil {
		return nil, err
	}
	encSchema, err := dataset.ParseSchemaJSON(schemaJSON)
	if err != nil {
		return nil, err
	}
	for _, c := range encSchema.Columns {
		if c.Encryption != dataset.EncNone {
			n.encCols = append(n.encCols, c.Name)
		}
	}
	openSchema, _ := dataset.ParseSchemaJSON(schemaJSON)
	for i := range openSchema.Columns {
		openSchema.Columns[i].Encryption = dataset.EncNone
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		return nil, err
	}
	n.encPath = dataset.Path{Provider: chain.Address(provider), Name: "crypto_daily"}
	n.openPath = dataset.Path{Provider: chain.Address(provider), Name: "open_daily"}
	feed, err := readExample("market.csv")
	if err != nil {
		return nil, err
	}
	if err := d.StageFeed(n.encPath.ID(), map[string][]byte{"market.csv": feed}); err != nil {
		return nil, err
	}
	payouts := []chain.Payout{{Account: chain.Address(provider), Bps: 10_000}}
	if _, err := s.Register(ctx, provider, client.Listing{
		Metadata: ledger.Metadata{Name: n.encPath.Name, Schema: encSchema, Script: script, Schedule: "@daily", Workers: workers,
			Persistence: []identity.NodeID{n.p1}, Trial: ledger.TrialPolicy{Enabled: true, DurationSeconds: 3600, RowLimit: 100}},
		Price: chain.ENG(10), Deposit: chain.ENG(100), Payouts: payouts, TrialPeriod: time.Hour, Keys: keys,
	}); err != nil {
		return nil, fmt.Errorf("register %s: %w", n.encPath, err)
	}
	if _, err := s.Register(ctx, provider, client.Listing{
		Metadata: ledger.Metadata{Name: n.openPath.Name, Schema: openSchema, Script: script, Schedule: "@daily", Workers: workers,
			Persistence: []identity.NodeID{n.p2}},
		Price: chain.ENG(2), Deposit: chain.ENG(100), Payouts: payouts,
	}); err != nil {
		return nil, fmt.Errorf("register %s: %w", n.openPath, err)
	}
	cost, err := s.Chain.SubscriptionCost(ctx, n.encPath.ID(), 1)
	if err != nil {
		return nil, err
	}
	if _, err := s.Chain.EnsureAllowance(ctx, subscriber, cost); err != nil {
		return nil, err
	}
	if _, err := s.Chain.Subscribe(ctx, subscriber, n.encPath.ID(), 1); err != nil {
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	// open_daily's only persistence node goes away: the validators attest
	// it offline and slash the deposit.
	if err := d.StopMember(p2index); err != nil {
		return nil, err
	}
	for {
		r, err := s.Chain.Rank(ctx, n.openPath.ID())
		if err != nil {
			return nil, err
		}
		if r.SlashCount > 0 {
			if enc, err := s.Chain.Rank(ctx, n.encPath.ID()); err != nil || enc.SlashCount != 0 {
				return nil, fmt.Errorf("crypto_daily, whose persistence node runs, was slashed too (%v): its first run did not reach the node within the probe rounds", err)
			}
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("open_daily was not slashed: %w; the validators' police counters: %s", ctx.Err(), policeCounters(d))
		case <-time.After(200 * time.Millisecond):
		}
	}
	return n, nil
}

// policeCounters reads each running validator's enigma_police_* counters
// from its /metrics, so a slash that never came says how far the police
// got: probe rounds, datasets missed, attestations, slash transactions.
func policeCounters(d *devnet.Devnet) string {
	var out []string
	for i, m := range d.Nodes {
		if m.Running == nil || m.Validator == nil || m.MetricsURL() == "" {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.MetricsURL()+"/metrics", nil)
		resp, err := http.DefaultClient.Do(req)
		var body []byte
		if err == nil {
			body, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		cancel()
		if err != nil {
			out = append(out, fmt.Sprintf("node %d: %v", i, err))
			continue
		}
		var counters []string
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, "enigma_police_") {
				counters = append(counters, line)
			}
		}
		out = append(out, fmt.Sprintf("node %d: %s", i, strings.Join(counters, ", ")))
	}
	return strings.Join(out, "; ")
}

// get fetches path from the API and decodes the JSON answer into out,
// failing the test unless the status is want.
func (n *network) get(t *testing.T, path string, want int, out any) http.Header {
	t.Helper()
	resp, err := http.Get(n.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("GET %s: decode %s: %v", path, body, err)
		}
	}
	return resp.Header
}
