package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/seal"
)

const persistenceChainID = 1337

// noDatasets is a chain that lists no datasets (the catalog is not started
// in these tests; probes call its Fetch).
type noDatasets struct{}

func (noDatasets) DatasetIDs(context.Context) ([]common.Hash, error) { return nil, nil }

// countingFetcher serves the certified records it holds and counts every
// lookup, as the DHT would be asked.
type countingFetcher struct {
	mu      sync.Mutex
	records map[common.Hash]*ledger.Record
	lookups int
}

func (f *countingFetcher) FetchRecord(_ context.Context, id common.Hash) (*ledger.CertifiedRecord, *ledger.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups++
	if rec, ok := f.records[id]; ok {
		return nil, rec, nil
	}
	return nil, nil, errors.New("record not found")
}

func (f *countingFetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookups
}

// levels is the test's on-chain access.
type levels map[common.Address]access.Level

func (l levels) HasAccess(_ context.Context, _ common.Hash, user common.Address) (access.Level, error) {
	return l[user], nil
}

// persistenceNode is a persistence role on a QUIC host on 127.0.0.1, with
// its own metrics registry.
type persistenceNode struct {
	key     *identity.NodeKey
	dir     string
	p       *Persistence
	host    *overlay.Host
	reg     *prometheus.Registry
	fetcher *countingFetcher
}

func startPersistence(t *testing.T, key *identity.NodeKey, dir string, access access.AccessChecker, fetcher *countingFetcher) *persistenceNode {
	t.Helper()
	return startPersistenceOn(t, key, dir, access, fetcher, BackendPebble, "")
}

// startPersistenceOn starts a persistence node on a backend (BackendPebble
// or BackendPostgres with its DSN).
func startPersistenceOn(t *testing.T, key *identity.NodeKey, dir string, access access.AccessChecker, fetcher *countingFetcher, backend, dsn string) *persistenceNode {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	n := &persistenceNode{key: key, dir: dir, reg: prometheus.NewRegistry(), fetcher: fetcher}
	var err error
	n.p, err = NewPersistence(PersistenceConfig{
		Self: key.ID(), Dir: dir, ChainID: persistenceChainID, Access: access,
		Catalog: NewCatalog(noDatasets{}, fetcher, time.Hour, nil, log), Registry: n.reg, Logger: log,
		Backend: backend, PostgresDSN: dsn,
	})
	if err != nil {
		t.Fatal(err)
	}
	n.host, err = overlay.NewHost(overlay.HostConfig{Key: key, ListenAddr: "127.0.0.1:0", Logger: log})
	if err != nil {
		n.p.Stop()
		t.Fatal(err)
	}
	for proto, h := range n.p.Handlers() {
		n.host.Handle(proto, h)
	}
	t.Cleanup(func() { n.stop(t) })
	return n
}

// stop closes the host and the store (once).
func (n *persistenceNode) stop(t *testing.T) {
	if n.host == nil {
		return
	}
	n.host.Close()
	if err := n.p.Stop(); err != nil {
		t.Errorf("stop persistence: %v", err)
	}
	n.host = nil
}

// counter reads a counter of the node's registry (with label reason when
// reason is not empty).
func (n *persistenceNode) counter(t *testing.T, name, reason string) float64 {
	t.Helper()
	mfs, err := n.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if reason == "" {
				return m.GetCounter().GetValue()
			}
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func newNodeKey(t *testing.T) *identity.NodeKey {
	t.Helper()
	key, err := identity.GenerateNodeKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

var testDatasetPath = dataset.Path{Provider: common.HexToAddress("0x00000000000000000000000000000000000000aa"), Name: "ticks"}

// holdDataset creates the test dataset on the node with rows rows.
func (n *persistenceNode) holdDataset(t *testing.T, rows int) {
	t.Helper()
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}, {"name": "v", "type": "string"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	table, err := n.p.Store().CreateDataset(testDatasetPath, schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.p.backend.Created(table); err != nil {
		t.Fatal(err)
	}
	var batch []dataset.Row
	for i := range rows {
		batch = append(batch, dataset.Row{dataset.Int64(int64(i)), dataset.String(fmt.Sprint("row ", i))})
	}
	if _, err := n.p.backend.Ingest(query.Batch{Dataset: table.ID(), RunID: "r1", Rows: batch}); err != nil {
		t.Fatal(err)
	}
}

// querier is a subscriber's side: an account, a reply key and a QUIC host.
type querier struct {
	key   *ecdsa.PrivateKey
	reply *seal.PrivateKey
	host  *overlay.Host
}

func newQuerier(t *testing.T, account *ecdsa.PrivateKey) *querier {
	t.Helper()
	h, _, err := newLoopbackHost(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	reply, err := seal.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &querier{key: account, reply: reply, host: h}
}

// sign makes a request for node to.
func (q *querier) sign(t *testing.T, to identity.NodeID, text string) (*access.Request, []byte) {
	t.Helper()
	req, err := access.NewRequest(rand.Reader, to, testDatasetPath, text, crypto.PubkeyToAddress(q.key.PublicKey), q.reply.PublicKey(), time.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := access.Sign(q.key, persistenceChainID, req)
	if err != nil {
		t.Fatal(err)
	}
	return req, b
}

// send sends a signed request to n over QUIC and opens the answer.
func (q *querier) send(t *testing.T, n *persistenceNode, req *access.Request, b []byte) (*query.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := q.host.Call(ctx, n.key.ID(), n.host.Addr(), access.Protocol, b)
	if err != nil {
		t.Fatalf("query call to %s: %v", n.key.ID().Short(), err)
	}
	res, _, err := access.OpenResponse(persistenceChainID, req, q.reply, resp)
	return res, err
}

func wantRefusal(t *testing.T, what string, err error, reason access.Reason) {
	t.Helper()
	var de *access.DeniedError
	if !errors.As(err, &de) || de.Reason != reason {
		t.Fatalf("%s: got %v, want a %q refusal", what, err, reason)
	}
}

// Red team (3) and (7) over QUIC: a signed query is answered by the node it
// is addressed to and refused by the dataset's other persistence node; its
// replay is refused, after a restart of the node too; and a trial account
// pages no further than its cap, across the restart.
func TestPersistenceQueriesAreBoundToTheirNodeAcrossRestarts(t *testing.T) {
	subscriber, _ := crypto.GenerateKey()
	trialist, _ := crypto.GenerateKey()
	onChain := levels{
		crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed,
		crypto.PubkeyToAddress(trialist.PublicKey):   access.LevelTrial,
	}
	keyA, dirA := newNodeKey(t), t.TempDir()
	a := startPersistence(t, keyA, dirA, onChain, &countingFetcher{})
	b := startPersistence(t, newNodeKey(t), t.TempDir(), onChain, &countingFetcher{})
	const rows = 150 // more than the trial cap (access.DefaultTrialRowCap, 100)
	a.holdDataset(t, rows)
	b.holdDataset(t, rows)

	sub := newQuerier(t, subscriber)
	req, signed := sub.sign(t, keyA.ID(), `SELECT COUNT(*) FROM ticks`)
	if res, err := sub.send(t, a, req, signed); err != nil || res.Rows[0][0].Int != rows {
		t.Fatalf("the addressed node: %v %v", res, err)
	}
	_, err := sub.send(t, b, req, signed)
	wantRefusal(t, "the same request at the other node", err, access.ReasonWrongNode)
	if got := b.counter(t, "enigma_query_refused_total", "wrong_node"); got != 1 {
		t.Errorf("node B counts %v wrong_node refusals, want 1", got)
	}
	_, err = sub.send(t, a, req, signed)
	wantRefusal(t, "a replay at the addressed node", err, access.ReasonReplay)

	trial := newQuerier(t, trialist)
	page := func(offset int) string {
		return fmt.Sprintf("SELECT * FROM ticks ORDER BY k LIMIT 100 OFFSET %d", offset)
	}
	treq, tsigned := trial.sign(t, keyA.ID(), page(0))
	if res, err := trial.send(t, a, treq, tsigned); err != nil || len(res.Rows) != access.DefaultTrialRowCap {
		t.Fatalf("the trial's first page: %v", err)
	}

	// Restart node A from its datadir (same key, new port).
	a.stop(t)
	a = startPersistence(t, keyA, dirA, onChain, &countingFetcher{})
	sub = newQuerier(t, subscriber) // a fresh client: no connection to the old host
	_, err = sub.send(t, a, req, signed)
	wantRefusal(t, "a replay after the restart", err, access.ReasonReplay)
	trial = newQuerier(t, trialist)
	treq, tsigned = trial.sign(t, keyA.ID(), page(100))
	_, err = trial.send(t, a, treq, tsigned)
	wantRefusal(t, "the trial's second page after the restart", err, access.ReasonTrialUsedUp)
	if got := a.counter(t, "enigma_query_refused_total", "replayed"); got != 1 {
		t.Errorf("restarted node A counts %v replays, want 1", got)
	}
	if got := a.counter(t, "enigma_query_refused_total", "trial_used_up"); got != 1 {
		t.Errorf("restarted node A counts %v used-up trials, want 1", got)
	}
	// A fresh request from the subscriber is answered.
	req, signed = sub.sign(t, keyA.ID(), `SELECT COUNT(*) FROM ticks`)
	if _, err := sub.send(t, a, req, signed); err != nil {
		t.Fatalf("a fresh request after the restart: %v", err)
	}
	// Every answer since the restart, refusals too, was timed and sized.
	mfs, err := a.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var timed uint64
	for _, mf := range mfs {
		if mf.GetName() == "enigma_query_duration_seconds" {
			timed = mf.GetMetric()[0].GetHistogram().GetSampleCount()
		}
	}
	if bytes := a.counter(t, "enigma_query_response_bytes_total", ""); timed != 3 || bytes == 0 {
		t.Errorf("restarted node A timed %d answers (want 3: the replay, the trial's page, the fresh request) and counts %v response bytes", timed, bytes)
	}
	// The block cache the answers read through is exported.
	var capacity float64
	for _, mf := range mfs {
		if mf.GetName() == "enigma_query_block_cache_capacity_bytes" {
			capacity = mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	reads := a.counter(t, "enigma_query_block_cache_hits_total", "") + a.counter(t, "enigma_query_block_cache_misses_total", "")
	if capacity != query.DefaultCacheBytes || reads == 0 {
		t.Errorf("restarted node A exports a block cache of %v bytes (want %d) and %v block reads (want some)", capacity, query.DefaultCacheBytes, reads)
	}
}

// Red team (8): a probe for a dataset the node does not know made it run a
// DHT lookup for anyone, every time. Now it answers from its tables and
// catalog, and looks up unknown datasets only a few times per peer.
func TestPersistenceProbesDoNotLookUpForAnyone(t *testing.T) {
	fetcher := &countingFetcher{records: map[common.Hash]*ledger.Record{}}
	other := dataset.Path{Provider: testDatasetPath.Provider, Name: "elsewhere"}
	fetcher.records[other.ID()] = &ledger.Record{Signed: ledger.SignedMetadata{Metadata: ledger.Metadata{
		Provider: other.Provider, Name: other.Name, Version: 1, Persistence: []identity.NodeID{{0x99}},
	}}}
	n := startPersistence(t, newNodeKey(t), t.TempDir(), levels{}, fetcher)
	n.holdDataset(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := n.p.catalog.Fetch(ctx, other.ID()); err != nil { // the catalog's poll
		t.Fatal(err)
	}
	before := fetcher.count()
	prober, _, err := newLoopbackHost(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer prober.Close()
	probe := func(h *overlay.Host, id common.Hash) error {
		_, err := h.Call(ctx, n.key.ID(), n.host.Addr(), ProtoProbe, id[:])
		return err
	}

	held := testDatasetPath.ID()
	if err := probe(prober, held); err != nil {
		t.Fatalf("probe of a held dataset: %v", err)
	}
	if err := probe(prober, other.ID()); err == nil || !strings.Contains(err.Error(), "names other persistence nodes") {
		t.Fatalf("probe of a dataset the catalog places elsewhere: %v", err)
	}
	if got := fetcher.count() - before; got != 0 {
		t.Fatalf("probes of known datasets made %d DHT lookups", got)
	}

	const probes = 12
	var refusals int
	for i := range probes {
		var id common.Hash
		rand.Read(id[:])
		err := probe(prober, id)
		if err == nil {
			t.Fatalf("probe %d of a random dataset answered ok", i)
		}
		if strings.Contains(err.Error(), "retry in") {
			refusals++
		}
	}
	if got := fetcher.count() - before; got != ProbeLookupsPerPeer {
		t.Fatalf("%d probes of random datasets from one peer made %d DHT lookups, want %d", probes, got, ProbeLookupsPerPeer)
	}
	if refusals != probes-ProbeLookupsPerPeer {
		t.Fatalf("%d probes refused for the rate, want %d", refusals, probes-ProbeLookupsPerPeer)
	}
	if got := n.counter(t, "enigma_probe_refused_total", "peer_rate"); got != probes-ProbeLookupsPerPeer {
		t.Errorf("enigma_probe_refused_total{reason=peer_rate} = %v, want %d", got, probes-ProbeLookupsPerPeer)
	}
	if got := n.counter(t, "enigma_probe_lookups_total", ""); got != ProbeLookupsPerPeer {
		t.Errorf("enigma_probe_lookups_total = %v, want %d", got, ProbeLookupsPerPeer)
	}
	// The held dataset still answers, and another peer has its own share.
	if err := probe(prober, held); err != nil {
		t.Fatalf("probe of the held dataset after the flood: %v", err)
	}
	second, _, err := newLoopbackHost(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	var id common.Hash
	rand.Read(id[:])
	if err := probe(second, id); err == nil || strings.Contains(err.Error(), "retry in") {
		t.Fatalf("another peer's first probe: %v, want a lookup that finds nothing", err)
	}
	// An ID looked up in vain is not looked up again in the window.
	lookups := fetcher.count()
	if err := probe(second, id); err == nil || !strings.Contains(err.Error(), "not found; retry in") {
		t.Fatalf("a second probe of the same unknown dataset: %v", err)
	}
	if fetcher.count() != lookups {
		t.Fatal("an unknown dataset was looked up twice in one window")
	}
}

// The limiter's window: per-peer and node-wide budgets, reset when the
// window ends.
func TestProbeLimiterWindow(t *testing.T) {
	var l probeLimiter
	t0 := time.Unix(1_800_000_000, 0)
	var peers []identity.NodeID
	for i := range ProbeLookupsPerWindow/ProbeLookupsPerPeer + 1 {
		peers = append(peers, identity.NodeID{byte(i + 1)})
	}
	id := func(i int) common.Hash { return common.Hash{byte(i), byte(i >> 8), 1} }
	n := 0
	for _, p := range peers[:len(peers)-1] {
		for range ProbeLookupsPerPeer {
			if reason, err := l.allow(p, id(n), t0); err != nil {
				t.Fatalf("lookup %d: %s %v", n, reason, err)
			}
			n++
		}
		if reason, _ := l.allow(p, id(n), t0); reason != "peer_rate" {
			t.Fatalf("peer over its share: %q", reason)
		}
	}
	if reason, _ := l.allow(peers[len(peers)-1], id(n), t0); reason != "node_rate" {
		t.Fatalf("a new peer over the node's budget: %q", reason)
	}
	l.missed(id(0), t0)
	if reason, _ := l.allow(peers[len(peers)-1], id(0), t0.Add(time.Second)); reason != "unknown_dataset" {
		t.Fatalf("an ID found nowhere: %q", reason)
	}
	if reason, err := l.allow(peers[0], id(0), t0.Add(ProbeWindow)); err != nil {
		t.Fatalf("next window: %s %v", reason, err)
	}
}

// A node whose start-up fails before its catalog started stops the catalog
// with the rest: that must not panic, and stopping twice neither.
func TestCatalogStopsWhetherOrNotItStarted(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	never := NewCatalog(noDatasets{}, &countingFetcher{}, time.Hour, nil, log)
	if err := never.Stop(); err != nil {
		t.Fatal(err)
	}
	started := NewCatalog(noDatasets{}, &countingFetcher{}, time.Hour, nil, log)
	if err := started.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := started.Stop(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPersistenceReadinessWaitsForTheCatalog: a persistence node is not
// ready until its catalog has read the chain's dataset list (it would not
// know what to serve), then reports what it stores and serves.
func TestPersistenceReadinessWaitsForTheCatalog(t *testing.T) {
	n := startPersistence(t, newNodeKey(t), t.TempDir(), levels{}, &countingFetcher{})
	if r := n.p.Readiness(); r.Ready || r.Detail != notListed {
		t.Fatalf("before the catalog listed the datasets: %+v", r)
	}
	n.p.catalog.Refresh(context.Background())
	n.holdDataset(t, 5)
	r := n.p.Readiness()
	if !r.Ready || r.Progress["datasets_stored"] != 1 || r.Progress["datasets_serving"] != 1 || !strings.Contains(r.Detail, "serving 1 of the 1 datasets") {
		t.Fatalf("after the listing, with one dataset: %+v", r)
	}
}
