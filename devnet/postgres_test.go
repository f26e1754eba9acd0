package devnet

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/pgstore/pgtest"
	"github.com/enigma-mpc/enigma/worker"
)

// TestPostgresBesidePebble runs the example dataset (DET and OPE columns)
// on a devnet whose first persistence node uses the Pebble engine and
// whose second keeps its rows in PostgreSQL. The worker pushes to both; a
// subscriber's queries (answered by the Pebble node, then, with it
// stopped, by the PostgreSQL node) give the same decrypted rows; queries
// reaching for another table or a function are refused before the
// database; a PostgreSQL restart gives a clear refusal and the next query
// is answered.
func TestPostgresBesidePebble(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end devnet test")
	}
	cluster := pgtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	d, err := Start(ctx, Config{
		Dir: t.TempDir(), Validators: 4, Workers: 1, Persistence: 2, Plain: 1, Puzzle: testPuzzle,
		Worker:      worker.Config{Retry: worker.RetryPolicy{InitialBackoff: 200 * time.Millisecond, MaxBackoff: time.Second}},
		PostgresDSN: []string{"", cluster.DSN()},
		Logger:      log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := d.Stop(); err != nil {
			t.Errorf("stop devnet: %v", err)
		}
	}()
	connect := func() *client.Session {
		s, err := client.Connect(ctx, client.Config{RPC: d.Info.RPC, Market: d.Info.Market, Bootstrap: []overlay.Peer{d.Bootstrap()}, Puzzle: testPuzzle, Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	provider, subscriber := d.Chain.Keys[1], d.Chain.Keys[2]
	schema, err := dataset.ParseSchemaJSON(readExample(t, "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var workers, persisters []identity.NodeID
	var onPebble, onPG = -1, -1
	for i, m := range d.Nodes {
		switch {
		case m.Worker != nil:
			workers = append(workers, m.Key.ID())
		case m.Persistence != nil:
			persisters = append(persisters, m.Key.ID())
			if m.PostgresDSN != "" {
				onPG = i
			} else {
				onPebble = i
			}
		}
	}
	if onPebble < 0 || onPG < 0 {
		t.Fatal("the devnet has no Pebble and PostgreSQL persistence node")
	}
	path := dataset.Path{Provider: chain.Address(provider), Name: "crypto_daily"}
	if err := d.StageFeed(path.ID(), map[string][]byte{"market.csv": readExample(t, "market.csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := connect().Register(ctx, provider, client.Listing{
		Metadata: ledger.Metadata{Name: path.Name, Schema: schema, Script: readExample(t, "curate.star"), Schedule: "@daily", Workers: workers, Persistence: persisters},
		Price:    chain.ENG(10), Deposit: chain.ENG(100),
		Payouts: []chain.Payout{{Account: chain.Address(provider), Bps: 10_000}},
		Keys:    keys,
	}); err != nil {
		t.Fatalf("register: %v", err)
	}
	// Both nodes hold the whole run (the backend's own row count).
	for _, i := range []int{onPebble, onPG} {
		m := d.Nodes[i]
		deadline := time.Now().Add(2 * time.Minute)
		for {
			stats, err := m.Persistence.Backend().Stats(path.ID(), 1_000_000)
			if err == nil && len(stats) == 1 && stats[0].HasRun && stats[0].Rows == 2920 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("persistence node %d never held the run: %v %v", i, stats, err)
			}
			select {
			case <-ctx.Done():
				t.Fatal(ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	ss := connect()
	cost, err := ss.Chain.SubscriptionCost(ctx, path.ID(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Chain.EnsureAllowance(ctx, subscriber, cost); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Chain.Subscribe(ctx, subscriber, path.ID(), 1); err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"SELECT COUNT(*) FROM crypto_daily",
		"SELECT day, asset, close FROM crypto_daily WHERE asset = 'BTC' AND close > 90000 ORDER BY day LIMIT 5",
		"SELECT asset, COUNT(*), MIN(close), MAX(volume_usd), AVG(trades) FROM crypto_daily GROUP BY asset ORDER BY 3",
		"SELECT day, asset, volume_usd FROM crypto_daily WHERE close BETWEEN 1 AND 2 ORDER BY volume_usd DESC, day LIMIT 7",
		"SELECT DISTINCT stablecoin FROM crypto_daily WHERE asset IN ('ETH', 'USDT', 'nothing') ORDER BY 1",
	}
	ask := func(q string, want identity.NodeID) (string, error) {
		res, err := connect().Query(ctx, subscriber, path, q, keys)
		if err != nil {
			return "", err
		}
		if res.Node != want {
			t.Fatalf("%s answered by %s, want %s", q, res.Node.Short(), want.Short())
		}
		if len(res.Rows) == 0 {
			t.Fatalf("%s: no rows", q)
		}
		return fmt.Sprint(res.Rows), nil
	}
	var fromPebble []string
	for _, q := range queries {
		got, err := ask(q, d.Nodes[onPebble].Key.ID())
		if err != nil {
			t.Fatalf("%s on Pebble: %v", q, err)
		}
		fromPebble = append(fromPebble, got)
	}
	if err := d.StopMember(onPebble); err != nil {
		t.Fatal(err)
	}
	for i, q := range queries {
		got, err := ask(q, d.Nodes[onPG].Key.ID())
		if err != nil {
			t.Fatalf("%s on PostgreSQL: %v", q, err)
		}
		if got != fromPebble[i] {
			t.Fatalf("%s:\nPebble     %s\nPostgreSQL %s", q, fromPebble[i], got)
		}
	}
	for _, q := range []string{
		"SELECT * FROM crypto_daily, pg_catalog.pg_user",
		"SELECT COUNT(*) FROM crypto_daily WHERE trades IN (SELECT trades FROM pg_user)",
		"SELECT CASE WHEN trades > 1 THEN trades ELSE 0.5 END FROM crypto_daily",
	} {
		_, err := connect().Query(ctx, subscriber, path, q, keys)
		var denied *access.DeniedError
		if !errors.As(err, &denied) || denied.Reason != access.ReasonBadQuery {
			t.Fatalf("%s: %v, want a bad-query refusal", q, err)
		}
	}
	cluster.Stop()
	_, err = connect().Query(ctx, subscriber, path, queries[0], keys)
	var denied *access.DeniedError
	if !errors.As(err, &denied) || denied.Reason != access.ReasonUnavailable {
		t.Fatalf("a query while PostgreSQL is down: %v, want node unavailable", err)
	}
	t.Logf("with PostgreSQL down: %v", err)
	cluster.Start()
	if got, err := ask(queries[0], d.Nodes[onPG].Key.ID()); err != nil || got != fromPebble[0] {
		t.Fatalf("the next query after PostgreSQL's restart: %s %v", got, err)
	}
}
