package devnet

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/client/scriptcheck"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/query/colcrypt"
)

// BenchConfig shapes `enigma bench e2e`.
type BenchConfig struct {
	Net           Config
	Examples      string // the examples/crypto-daily directory
	Registrations int    // datasets registered one after another
	Queries       int    // sequential queries for the latency figures
	Duration      time.Duration
	Concurrency   int // clients querying at once for the throughput figure
	Progress      func(format string, args ...any)
}

// BenchReport holds the measured figures.
type BenchReport struct {
	Registration node.Latencies // submit → certified record resolvable in the DHT
	Query        node.Latencies // end to end, warm access cache
	QueriesPerS  float64        // sustained against one persistence node
	Rows         int64          // rows in the queried dataset
}

// RunBench starts a devnet and measures registration latency, query
// latency and query throughput through the same client code the CLI uses.
func RunBench(ctx context.Context, cfg BenchConfig) (*BenchReport, error) {
	progress := cfg.Progress
	if progress == nil {
		progress = func(string, ...any) {}
	}
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(cfg.Examples, name)) }
	schemaJSON, err := read("schema.json")
	if err != nil {
		return nil, err
	}
	script, err := read("curate.star")
	if err != nil {
		return nil, err
	}
	// Register makes no pre-flight: a script that does not compile would
	// be registered and certified, and every run of it would fail.
	if err := (scriptcheck.Starlark{}).Compile(&ledger.Metadata{Name: "curate", Script: script}); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(cfg.Examples, "curate.star"), err)
	}
	feed, err := read("market.csv")
	if err != nil {
		return nil, err
	}
	schema, err := dataset.ParseSchemaJSON(schemaJSON)
	if err != nil {
		return nil, err
	}
	if cfg.Net.Puzzle == (kademlia.Puzzle{}) {
		cfg.Net.Puzzle = kademlia.DefaultPuzzle
	}
	progress("starting the devnet")
	d, err := Start(ctx, cfg.Net)
	if err != nil {
		return nil, err
	}
	defer d.Stop()
	s, err := client.Connect(ctx, client.Config{RPC: d.Info.RPC, Market: d.Info.Market, Bootstrap: []overlay.Peer{d.Bootstrap()}, Puzzle: cfg.Net.Puzzle, Logger: cfg.Net.Logger})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	provider, subscriber := d.Chain.Keys[1], d.Chain.Keys[2]
	var workers, persisters []identity.NodeID
	for _, m := range d.Nodes {
		if m.Worker != nil {
			workers = append(workers, m.Key.ID())
		}
		if m.Persistence != nil {
			persisters = append(persisters, m.Key.ID())
		}
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		return nil, err
	}
	report := &BenchReport{}
	var regs []time.Duration
	var first dataset.Path
	for i := 0; i < cfg.Registrations; i++ {
		path := dataset.Path{Provider: chain.Address(provider), Name: fmt.Sprintf("bench_%d", i)}
		if i == 0 {
			first = path
		}
		if err := d.StageFeed(path.ID(), map[string][]byte{"market.csv": feed}); err != nil {
			return nil, err
		}
		start := time.Now()
		_, err := s.Register(ctx, provider, client.Listing{
			Metadata: ledger.Metadata{Name: path.Name, Schema: schema, Script: script, Schedule: "@daily", Workers: workers, Persistence: persisters},
			Price:    chain.ENG(1), Deposit: chain.ENG(100),
			Payouts: []chain.Payout{{Account: chain.Address(provider), Bps: 10_000}},
			Keys:    keys,
		})
		if err != nil {
			return nil, fmt.Errorf("registration %d: %w", i, err)
		}
		regs = append(regs, time.Since(start))
		progress("registration %d/%d certified in %s", i+1, cfg.Registrations, regs[len(regs)-1].Round(time.Millisecond))
	}
	report.Registration = node.Summarize(regs)

	cost, err := s.Chain.SubscriptionCost(ctx, first.ID(), 1)
	if err != nil {
		return nil, err
	}
	if _, err := s.Chain.EnsureAllowance(ctx, subscriber, cost); err != nil {
		return nil, err
	}
	if _, err := s.Chain.Subscribe(ctx, subscriber, first.ID(), 1); err != nil {
		return nil, err
	}
	progress("waiting for the worker's rows")
	count := "SELECT COUNT(*) FROM " + first.Name
	for {
		res, err := s.Query(ctx, subscriber, first, count, keys)
		if err == nil && len(res.Rows) == 1 && res.Rows[0][0].Int > 0 {
			report.Rows = res.Rows[0][0].Int
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("rows never arrived: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	point := "SELECT day, close FROM " + first.Name + " WHERE asset = 'BTC' AND day = TIMESTAMP '2025-06-01T00:00:00Z'"
	var lat []time.Duration
	for i := 0; i < cfg.Queries; i++ {
		start := time.Now()
		res, err := s.Query(ctx, subscriber, first, point, keys)
		if err != nil {
			return nil, err
		}
		if len(res.Rows) != 1 {
			return nil, fmt.Errorf("point query returned %d rows, want 1", len(res.Rows))
		}
		lat = append(lat, time.Since(start))
	}
	report.Query = node.Summarize(lat)
	progress("query latency %s; measuring throughput for %s with %d clients", report.Query, cfg.Duration, cfg.Concurrency)

	var done atomic.Int64
	var firstErr error
	var errOnce sync.Once
	qctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < cfg.Concurrency; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for qctx.Err() == nil {
				_, err := s.Query(qctx, subscriber, first, point, keys)
				if err != nil {
					if qctx.Err() == nil {
						errOnce.Do(func() { firstErr = err })
					}
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	report.QueriesPerS = float64(done.Load()) / time.Since(start).Seconds()
	if report.QueriesPerS == 0 {
		return nil, errors.New("no query finished in the throughput window")
	}
	return report, nil
}
