package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/wire"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
)

var lifecycleSchema = func() dataset.Schema {
	s, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}, {"name": "v", "type": "string"}], "primary_key": ["k"]}`))
	if err != nil {
		panic(err)
	}
	return s
}()

func lifecycleRecord(version uint64, workers, persistence []identity.NodeID) *ledger.Record {
	return &ledger.Record{Signed: ledger.SignedMetadata{Metadata: ledger.Metadata{
		Provider: testDatasetPath.Provider, Name: testDatasetPath.Name, Version: version, Schema: lifecycleSchema,
		Script: []byte("def curate(ctx):\n    return []\n"), Schedule: "@every 1m", Workers: workers, Persistence: persistence,
	}}}
}

// pushRun pushes rows as one run of version v from worker w, one batch per
// row, through the node's push handler (as the QUIC host would call it).
func pushRun(t *testing.T, n *persistenceNode, w identity.NodeID, v uint64, run byte, rows []dataset.Row, only ...int) error {
	t.Helper()
	slot := time.Now().Truncate(time.Minute)
	for i, r := range rows {
		if len(only) > 0 && i != only[0] {
			continue
		}
		enc, err := wire.Encode(&wire.Batch{DatasetID: testDatasetPath.ID(), Version: v, RunID: wire.RunID{run}, SlotMicros: slot.UnixMicro(),
			Seq: uint32(i), Total: uint32(len(rows)), Rows: []dataset.Row{r}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.p.Handlers()[worker.PushProtocol](context.Background(), w, enc); err != nil {
			return err
		}
	}
	return nil
}

func kv(k int64, v string) dataset.Row { return dataset.Row{dataset.Int64(k), dataset.String(v)} }

// ask queries the node for version v.
func (q *querier) ask(t *testing.T, n *persistenceNode, v uint64, text string) (int64, error) {
	t.Helper()
	req, err := access.NewRequest(rand.Reader, n.key.ID(), testDatasetPath, text, crypto.PubkeyToAddress(q.key.PublicKey), q.reply.PublicKey(), time.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	req.Version = v
	b, err := access.Sign(q.key, persistenceChainID, req)
	if err != nil {
		t.Fatal(err)
	}
	res, err := q.send(t, n, req, b)
	if err != nil {
		return 0, err
	}
	return res.Rows[0][0].Int, nil
}

// TestPersistenceFollowsVersions: a persistence node stores a new version
// beside the served one, answers from the old one until the new version's
// first run is complete (a newer batch makes it fetch the record at once),
// then only from the new one; batches of the old version are refused; a
// version that no longer names the node drops the dataset. The info
// protocol shows each stage.
func TestPersistenceFollowsVersions(t *testing.T) {
	subscriber, _ := crypto.GenerateKey()
	onChain := levels{crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed}
	fetcher := &countingFetcher{records: map[common.Hash]*ledger.Record{}}
	key := newNodeKey(t)
	n := startPersistence(t, key, t.TempDir(), onChain, fetcher)
	w1, w2 := identity.NodeID{0x01}, identity.NodeID{0x02}
	id := testDatasetPath.ID()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The first batch comes before the catalog's poll found the dataset:
	// the node looks its record up then.
	fetcher.records[id] = lifecycleRecord(1, []identity.NodeID{w1}, []identity.NodeID{key.ID()})
	if err := pushRun(t, n, w1, 1, 1, []dataset.Row{kv(1, "a"), kv(2, "b"), kv(3, "c")}); err != nil {
		t.Fatal(err)
	}
	// A batch of a dataset nobody certified costs one lookup, within the
	// probes' budget.
	lookups := fetcher.count()
	stray := &wire.Batch{DatasetID: common.Hash{0x5}, Version: 1, RunID: wire.RunID{9}, SlotMicros: time.Now().Truncate(time.Minute).UnixMicro(), Total: 1, Rows: []dataset.Row{kv(1, "a")}}
	enc, err := wire.Encode(stray)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := n.p.Handlers()[worker.PushProtocol](ctx, w1, enc); err == nil {
			t.Fatal("a batch of an uncertified dataset was taken")
		}
	}
	if got := fetcher.count() - lookups; got != 1 {
		t.Fatalf("two batches of an unknown dataset made %d lookups, want 1", got)
	}
	sub := newQuerier(t, subscriber)
	const count = "SELECT COUNT(*) FROM ticks"
	if got, err := sub.ask(t, n, 1, count); err != nil || got != 3 {
		t.Fatalf("version 1: %d rows, %v", got, err)
	}

	// Version 2 names another worker; its first batch arrives before the
	// node's catalog polled: the node fetches the record and takes it.
	fetcher.records[id] = lifecycleRecord(2, []identity.NodeID{w2}, []identity.NodeID{key.ID()})
	v2 := []dataset.Row{kv(10, "x"), kv(11, "y"), kv(12, "z"), kv(13, "w"), kv(14, "v")}
	if err := pushRun(t, n, w2, 2, 2, v2, 0); err != nil {
		t.Fatalf("first batch of version 2: %v", err)
	}
	if got, err := sub.ask(t, n, 1, count); err != nil || got != 3 {
		t.Fatalf("version 2 half written: version 1 answers %d rows, %v", got, err)
	}
	_, err = sub.ask(t, n, 2, count)
	wantRefusal(t, "version 2 before its run is complete", err, access.ReasonVersion)
	info := askInfo(t, sub.host, n, id)
	if !info.Serves(nodeinfo.RolePersistence) || !info.Persistence.Named || info.Persistence.KnownVersion != 2 || len(info.Persistence.Tables) != 2 ||
		!info.Persistence.Tables[0].Serving || info.Persistence.Tables[1].Serving || info.Persistence.Tables[1].Rows != 1 {
		t.Fatalf("info while version 2 lands: %+v", info.Persistence)
	}
	if err := pushRun(t, n, w1, 1, 3, []dataset.Row{kv(4, "d")}); err == nil || !strings.Contains(err.Error(), "version") {
		t.Fatalf("a batch of version 1 once the node knows version 2: %v", err)
	}
	for i := 1; i < len(v2); i++ {
		if err := pushRun(t, n, w2, 2, 2, v2, i); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := sub.ask(t, n, 2, count); err != nil || got != 5 {
		t.Fatalf("version 2 complete: %d rows, %v", got, err)
	}
	_, err = sub.ask(t, n, 1, count)
	wantRefusal(t, "version 1 after the switch", err, access.ReasonVersion)
	if info := askInfo(t, sub.host, n, id); len(info.Persistence.Tables) != 1 || info.Persistence.Tables[0].Version != 2 || !info.Persistence.Tables[0].HasRun {
		t.Fatalf("info after the switch: %+v", info.Persistence)
	}

	// Version 3 moves the dataset to another node: this one drops it.
	fetcher.records[id] = lifecycleRecord(3, []identity.NodeID{w2}, []identity.NodeID{{0x77}})
	if _, err := n.p.catalog.Fetch(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = sub.ask(t, n, 3, count)
	wantRefusal(t, "a dataset moved away", err, access.ReasonUnknownDataset)
}

func askInfo(t *testing.T, h *overlay.Host, n *persistenceNode, id common.Hash) *nodeinfo.Response {
	t.Helper()
	info := &InfoServer{Self: n.key.ID(), ChainID: persistenceChainID, Roles: []nodeinfo.Role{nodeinfo.RoleOverlay, nodeinfo.RolePersistence}, Sources: []InfoSource{n.p}}
	n.host.Handle(nodeinfo.Protocol, info.Handle)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h.SetResolver(staticResolver{n.key.ID(): n.host.Addr()})
	resp, err := nodeinfo.Ask(ctx, h, persistenceChainID, n.key.ID(), id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

type staticResolver map[identity.NodeID]string

func (r staticResolver) Resolve(_ context.Context, id identity.NodeID) (string, error) {
	if a, ok := r[id]; ok {
		return a, nil
	}
	return "", errors.New("unknown node")
}

// TestWorkerGrantsKeysWithoutTheProvider: a dataset's worker seals its
// column keys to any account with access on chain, on a request that
// account signed; strangers, requests for another worker and datasets it
// does not curate are refused; run errors in its info answer go to the
// provider only.
func TestWorkerGrantsKeysWithoutTheProvider(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	subscriber, _ := crypto.GenerateKey()
	trialist, _ := crypto.GenerateKey()
	stranger, _ := crypto.GenerateKey()
	provider, _ := crypto.GenerateKey()
	path := dataset.Path{Provider: crypto.PubkeyToAddress(provider.PublicKey), Name: "ticks"}
	onChain := levels{crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed, crypto.PubkeyToAddress(trialist.PublicKey): access.LevelTrial}
	wkey := newNodeKey(t)
	host, err := overlay.NewHost(overlay.HostConfig{Key: wkey, ListenAddr: "127.0.0.1:0", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	fetcher := &countingFetcher{records: map[common.Hash]*ledger.Record{}}
	rec := lifecycleRecord(1, []identity.NodeID{wkey.ID()}, []identity.NodeID{{0x55}})
	rec.Signed.Metadata.Provider = path.Provider
	fetcher.records[path.ID()] = rec
	catalog := NewCatalog(noDatasets{}, fetcher, time.Hour, nil, log)
	dir := t.TempDir()
	reg := prometheus.NewRegistry()
	role, err := NewWorkerRole(WorkerRoleConfig{Self: wkey.ID(), Dir: dir, ChainID: persistenceChainID, Net: host, Access: onChain,
		Catalog: catalog, Registry: reg, Logger: log, Worker: worker.Config{Registerer: prometheus.NewRegistry()}})
	if err != nil {
		t.Fatal(err)
	}
	defer role.Stop()
	for proto, h := range role.Handlers() {
		host.Handle(proto, h)
	}
	info := &InfoServer{Self: wkey.ID(), ChainID: persistenceChainID, Roles: []nodeinfo.Role{nodeinfo.RoleOverlay, nodeinfo.RoleWorker}, Sources: []InfoSource{role}}
	host.Handle(nodeinfo.Protocol, info.Handle)
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := colcrypt.SaveKeys(filepath.Join(dir, "keys", worker.KeysFileName(path.ID())), keys); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := catalog.Fetch(ctx, path.ID()); err != nil {
		t.Fatal(err)
	}
	client, _, err := newLoopbackHost(log)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	client.SetResolver(staticResolver{wkey.ID(): host.Addr()})
	grantKey, err := seal.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string]*ecdsa.PrivateKey{"subscriber": subscriber, "trial account": trialist} {
		sealed, err := workerkeys.FetchGrant(ctx, client, k, persistenceChainID, path.ID(), wkey.ID(), grantKey)
		if err != nil {
			t.Fatalf("%s's grant: %v", name, err)
		}
		got, err := colcrypt.OpenGrant(grantKey, path.ID(), sealed)
		if err != nil || *got != *keys {
			t.Fatalf("%s's grant does not open to the dataset's keys: %v", name, err)
		}
	}
	if _, err := workerkeys.FetchGrant(ctx, client, stranger, persistenceChainID, path.ID(), wkey.ID(), grantKey); err == nil || !strings.Contains(err.Error(), "no subscription or trial") {
		t.Fatalf("a stranger's grant: %v", err)
	}
	other := dataset.Path{Provider: path.Provider, Name: "other"}
	if _, err := workerkeys.FetchGrant(ctx, client, subscriber, persistenceChainID, other.ID(), wkey.ID(), grantKey); err == nil || !strings.Contains(err.Error(), "not named") {
		t.Fatalf("a grant for a dataset the worker does not curate: %v", err)
	}
	client.SetResolver(staticResolver{wkey.ID(): host.Addr(), {0x42}: host.Addr()})
	if _, err := workerkeys.FetchGrant(ctx, client, subscriber, persistenceChainID, path.ID(), identity.NodeID{0x42}, grantKey); err == nil {
		t.Fatal("a grant request addressed to another worker was answered")
	}
	for result, want := range map[string]float64{grantOK: 2, grantNoAccess: 1, grantNotWorker: 1} {
		if got := counterWithLabel(t, reg, "enigma_worker_grants_total", "result", result); got != want {
			t.Errorf("enigma_worker_grants_total{result=%q} = %v, want %v", result, got, want)
		}
	}

	// Info: the worker takes the dataset, holds keys and files; a failed
	// run's error goes to the provider only.
	if err := os.WriteFile(filepath.Join(worker.JobDir(dir, path.ID()), "feed.csv"), []byte("k,v\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := role.History().Append(worker.RunRecord{DatasetID: path.ID().Hex(), Version: 1, Status: worker.RunFailed, Error: "script error at curate.star:3:1: secret row 42"}); err != nil {
		t.Fatal(err)
	}
	anon, err := nodeinfo.Ask(ctx, client, persistenceChainID, wkey.ID(), path.ID(), nil)
	if err != nil {
		t.Fatal(err)
	}
	wi := anon.Worker
	if !anon.Serves(nodeinfo.RoleWorker) || anon.Serves(nodeinfo.RolePersistence) || !wi.Accepts || !wi.Named || wi.JobVersion != 1 || !wi.HasKeys || wi.StagedFiles != 1 ||
		len(wi.Runs) != 1 || wi.Runs[0].Status != "failed" || wi.Runs[0].Error != "" {
		t.Fatalf("anonymous info: %+v", anon)
	}
	mine, err := nodeinfo.Ask(ctx, client, persistenceChainID, wkey.ID(), path.ID(), provider)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mine.Worker.Runs[0].Error, "curate.star:3:1") {
		t.Fatalf("the provider's info lacks the run error: %+v", mine.Worker.Runs)
	}
	if notMine, err := nodeinfo.Ask(ctx, client, persistenceChainID, wkey.ID(), path.ID(), stranger); err != nil || notMine.Worker.Runs[0].Error != "" {
		t.Fatalf("a stranger's signed info request got the run error: %+v %v", notMine, err)
	}

	// A version without this worker: the job stops and the keys go.
	rec2 := lifecycleRecord(2, []identity.NodeID{{0x66}}, []identity.NodeID{{0x55}})
	rec2.Signed.Metadata.Provider = path.Provider
	fetcher.records[path.ID()] = rec2
	if _, err := catalog.Fetch(ctx, path.ID()); err != nil {
		t.Fatal(err)
	}
	if _, ok := role.Job(path.ID()); ok {
		t.Fatal("the removed worker still has the job")
	}
	if _, err := workerkeys.FetchGrant(ctx, client, subscriber, persistenceChainID, path.ID(), wkey.ID(), grantKey); err == nil {
		t.Fatal("a removed worker granted keys")
	}
	if _, err := os.Stat(filepath.Join(dir, "keys", worker.KeysFileName(path.ID()))); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the removed worker kept the keys: %v", err)
	}
}

func counterWithLabel(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
