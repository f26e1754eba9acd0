package node

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/pgstore"
	"github.com/enigma-mpc/enigma/query/pgstore/pgtest"
	"github.com/enigma-mpc/enigma/query/sql"
)

// One persistence node on the Pebble engine, one on PostgreSQL, the same
// rows pushed to both: a subscriber's signed queries over QUIC get the
// same answers from both; queries reaching for another table or a
// function are refused before the database sees them; the trial cap holds
// on PostgreSQL; a PostgreSQL restart gives a clear refusal and the next
// query is answered; a restart of the node finds its rows again.
func TestPersistenceOnPostgresAnswersAsOnPebble(t *testing.T) {
	cluster := pgtest.Start(t)
	subscriber, _ := crypto.GenerateKey()
	trialist, _ := crypto.GenerateKey()
	onChain := levels{
		crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed,
		crypto.PubkeyToAddress(trialist.PublicKey):   access.LevelTrial,
	}
	onPebble := startPersistence(t, newNodeKey(t), t.TempDir(), onChain, &countingFetcher{})
	keyPG, dirPG := newNodeKey(t), t.TempDir()
	onPG := startPersistenceOn(t, keyPG, dirPG, onChain, &countingFetcher{}, BackendPostgres, cluster.DSN())
	const rows = 150
	onPebble.holdDataset(t, rows)
	onPG.holdDataset(t, rows)

	sub := newQuerier(t, subscriber)
	ask := func(n *persistenceNode, q string) ([]dataset.Row, error) {
		req, signed := sub.sign(t, n.key.ID(), q)
		res, err := sub.send(t, n, req, signed)
		if err != nil {
			return nil, err
		}
		return res.Rows, nil
	}
	for _, q := range []string{
		`SELECT COUNT(*) FROM ticks`,
		`SELECT * FROM ticks WHERE k BETWEEN 10 AND 20 ORDER BY k DESC`,
		`SELECT v, k % 7 AS m FROM ticks WHERE v >= 'row 9' ORDER BY v LIMIT 5 OFFSET 2`,
		`SELECT k % 3, COUNT(*), SUM(k), MIN(v) FROM ticks GROUP BY 1 ORDER BY 1`,
	} {
		want, err := ask(onPebble, q)
		if err != nil {
			t.Fatalf("%s on Pebble: %v", q, err)
		}
		got, err := ask(onPG, q)
		if err != nil {
			t.Fatalf("%s on PostgreSQL: %v", q, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
			t.Fatalf("%s:\nPebble     %v\nPostgreSQL %v", q, want, got)
		}
	}
	for _, q := range []string{
		`SELECT * FROM ticks, pg_catalog.pg_user`,
		`SELECT * FROM ticks WHERE k IN (SELECT usesysid FROM pg_user)`,
		`SELECT pg_sleep(10) FROM ticks`,
		`SELECT lower(v) FROM ticks`,
	} {
		_, err := ask(onPG, q)
		wantRefusal(t, q, err, access.ReasonBadQuery)
	}

	trial := newQuerier(t, trialist)
	req, signed := trial.sign(t, keyPG.ID(), `SELECT * FROM ticks ORDER BY k LIMIT 1000`)
	res, err := trial.send(t, onPG, req, signed)
	if err != nil || len(res.Rows) != access.DefaultTrialRowCap {
		t.Fatalf("a trial on PostgreSQL: %d rows, %v; want the cap, %d", len(res.Rows), err, access.DefaultTrialRowCap)
	}

	cluster.Stop()
	_, err = ask(onPG, `SELECT COUNT(*) FROM ticks`)
	wantRefusal(t, "a query while PostgreSQL is down", err, access.ReasonUnavailable)
	cluster.Start()
	if got, err := ask(onPG, `SELECT COUNT(*) FROM ticks`); err != nil || got[0][0].Int != rows {
		t.Fatalf("the next query after PostgreSQL's restart: %v %v", got, err)
	}

	onPG.stop(t)
	onPG = startPersistenceOn(t, keyPG, dirPG, onChain, &countingFetcher{}, BackendPostgres, cluster.DSN())
	sub = newQuerier(t, subscriber)
	if got, err := ask(onPG, `SELECT COUNT(*) FROM ticks`); err != nil || got[0][0].Int != rows {
		t.Fatalf("after the node's restart: %v %v", got, err)
	}
}

// Bring your own table: a dataset served read-only from the provider's own
// PostgreSQL view over a table of its own types, with no worker and no
// run; the view's rows answer as the same rows pushed to a Pebble node do;
// a worker's push for it is refused; a relation without the schema's
// columns is refused when the dataset is set up.
func TestPersistenceServesTheProvidersOwnTable(t *testing.T) {
	cluster := pgtest.Start(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, cluster.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The provider's table, in its own types, and the view that presents
	// it in the schema's stored form (string → bytea).
	for _, stmt := range []string{
		`CREATE SCHEMA shop`,
		`CREATE TABLE shop.ticks_raw (k integer PRIMARY KEY, v text NOT NULL)`,
		`INSERT INTO shop.ticks_raw SELECT i, 'row ' || i FROM generate_series(0, 149) AS i`,
		`CREATE VIEW shop.ticks AS SELECT k::bigint AS k, convert_to(v, 'UTF8') AS v FROM shop.ticks_raw`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	subscriber, _ := crypto.GenerateKey()
	onChain := levels{crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed}
	onPebble := startPersistence(t, newNodeKey(t), t.TempDir(), onChain, &countingFetcher{})
	onPebble.holdDataset(t, 150)

	key := newNodeKey(t)
	log := slog.New(slog.DiscardHandler)
	p, err := NewPersistence(PersistenceConfig{
		Self: key.ID(), Dir: t.TempDir(), ChainID: persistenceChainID, Access: onChain,
		Catalog: NewCatalog(noDatasets{}, &countingFetcher{}, time.Hour, nil, log), Registry: prometheus.NewRegistry(), Logger: log,
		Backend: BackendPostgres, PostgresDSN: cluster.DSN(),
		ExternalTables: map[string]string{testDatasetPath.String(): "shop.ticks"},
	})
	if err != nil {
		t.Fatal(err)
	}
	host, err := overlay.NewHost(overlay.HostConfig{Key: key, ListenAddr: "127.0.0.1:0", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	for proto, h := range p.Handlers() {
		host.Handle(proto, h)
	}
	own := &persistenceNode{key: key, p: p, host: host}
	t.Cleanup(func() { own.stop(t) })
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}, {"name": "v", "type": "string"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	// Version 1, as a certified record would bring it: served at once.
	table, err := p.Store().CreateVersion(testDatasetPath, 1, schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Backend().Created(table); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Backend().Ingest(query.Batch{Dataset: testDatasetPath.ID(), RunID: "r", Version: 1, Rows: []dataset.Row{{dataset.Int64(1), dataset.String("pushed")}}}); err == nil || !strings.Contains(err.Error(), "takes no worker pushes") {
		t.Fatalf("a push for the provider's own table: %v", err)
	}

	sub := newQuerier(t, subscriber)
	ask := func(n *persistenceNode, version uint64, q string) ([]dataset.Row, error) {
		req, err := access.NewRequest(rand.Reader, n.key.ID(), testDatasetPath, q, crypto.PubkeyToAddress(subscriber.PublicKey), sub.reply.PublicKey(), time.Now(), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		req.Version = version
		signed, err := access.Sign(subscriber, persistenceChainID, req)
		if err != nil {
			t.Fatal(err)
		}
		res, err := sub.send(t, n, req, signed)
		if err != nil {
			return nil, err
		}
		return res.Rows, nil
	}
	for _, q := range []string{
		`SELECT COUNT(*) FROM ticks`,
		`SELECT * FROM ticks WHERE k BETWEEN 10 AND 20 ORDER BY k DESC`,
		`SELECT v, k % 7 AS m FROM ticks WHERE v >= 'row 9' ORDER BY v LIMIT 5 OFFSET 2`,
	} {
		want, err := ask(onPebble, 0, q)
		if err != nil {
			t.Fatalf("%s on Pebble: %v", q, err)
		}
		got, err := ask(own, 1, q)
		if err != nil {
			t.Fatalf("%s on the provider's view: %v", q, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s:\nPebble          %v\nprovider's view %v", q, want, got)
		}
	}
	stats, err := p.Backend().Stats(testDatasetPath.ID(), 1000)
	if err != nil || len(stats) != 1 || stats[0].Rows != 150 || !stats[0].HasRun {
		t.Fatalf("stats of the provider's view: %+v %v", stats, err)
	}

	// A relation in other types is refused when the dataset is set up.
	if _, err := conn.Exec(ctx, `CREATE VIEW shop.wrong AS SELECT k, v FROM shop.ticks_raw`); err != nil {
		t.Fatal(err)
	}
	other := dataset.Path{Provider: testDatasetPath.Provider, Name: "wrong"}
	wrong, err := NewPersistence(PersistenceConfig{
		Self: key.ID(), Dir: t.TempDir(), ChainID: persistenceChainID, Access: onChain,
		Catalog: NewCatalog(noDatasets{}, &countingFetcher{}, time.Hour, nil, log), Registry: prometheus.NewRegistry(), Logger: log,
		Backend: BackendPostgres, PostgresDSN: cluster.DSN(),
		ExternalTables: map[string]string{other.String(): "shop.wrong"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Stop()
	wt, err := wrong.Store().CreateVersion(other, 1, schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := wrong.Backend().Created(wt); err == nil || !strings.Contains(err.Error(), "convert it in a view") {
		t.Fatalf("a relation in other types: %v", err)
	}
}

// A new version on PostgreSQL: its table is created beside the served one,
// its rows are invisible until its run is complete, then it is served and
// the old version's table is dropped; a node restart drops a table the
// store no longer holds.
func TestPostgresBackendSwitchesVersions(t *testing.T) {
	cluster := pgtest.Start(t)
	ctx := context.Background()
	store, err := query.Open(t.TempDir(), query.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	log := slog.New(slog.DiscardHandler)
	b, err := openPostgres(store, cluster.DSN(), nil, log)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { b.Close() }()
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}, {"name": "v", "type": "string"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	count := func() int64 {
		t.Helper()
		tbl, err := store.Table(testDatasetPath.ID())
		if err != nil {
			t.Fatal(err)
		}
		q := "SELECT COUNT(*) FROM ticks"
		st, _ := sql.Parse(q)
		res, err := b.Run(ctx, q, st, tbl, query.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].Int
	}
	rows := func(n int) []dataset.Row {
		var out []dataset.Row
		for i := range n {
			out = append(out, dataset.Row{dataset.Int64(int64(i)), dataset.String("x")})
		}
		return out
	}
	v1, err := store.CreateVersion(testDatasetPath, 1, schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Created(v1); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ingest(query.Batch{Dataset: v1.ID(), Version: 1, RunID: "a", Seq: 0, Total: 1, Slot: 1, Rows: rows(3)}); err != nil {
		t.Fatal(err)
	}
	v2, err := store.CreateVersion(testDatasetPath, 2, schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Created(v2); err != nil {
		t.Fatal(err)
	}
	res, err := b.Ingest(query.Batch{Dataset: v2.ID(), Version: 2, RunID: "b", Seq: 0, Total: 2, Slot: 2, Rows: rows(5)})
	if err != nil || res.Switched {
		t.Fatalf("first half of version 2's run: %+v %v", res, err)
	}
	if got := count(); got != 3 {
		t.Fatalf("with version 2's run half landed, %d rows served, want version 1's 3", got)
	}
	res, err = b.Ingest(query.Batch{Dataset: v2.ID(), Version: 2, RunID: "b", Seq: 1, Total: 2, Slot: 2, Rows: rows(7)})
	if err != nil || !res.Switched {
		t.Fatalf("the batch completing version 2's run: %+v %v", res, err)
	}
	if got := count(); got != 7 {
		t.Fatalf("after the switch, %d rows served, want version 2's 7", got)
	}
	tables, err := b.pg.Tables(ctx)
	if err != nil || len(tables) != 1 || tables[0] != pgstore.TableName(v2) {
		t.Fatalf("PostgreSQL tables after the switch: %v %v, want only version 2's", tables, err)
	}
	// A table the store does not hold (a crash between a switch and the
	// drop) is dropped at the next start.
	stray, _ := store.CreateVersion(dataset.Path{Provider: testDatasetPath.Provider, Name: "stray"}, 1, schema, nil)
	if err := b.pg.CreateTable(ctx, stray); err != nil {
		t.Fatal(err)
	}
	if err := store.DropDataset(stray.ID()); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if b, err = openPostgres(store, cluster.DSN(), nil, log); err != nil {
		t.Fatal(err)
	}
	if tables, err = b.pg.Tables(ctx); err != nil || len(tables) != 1 {
		t.Fatalf("PostgreSQL tables after a restart: %v %v, want only version 2's", tables, err)
	}
}
