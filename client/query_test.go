package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/seal"
)

const testChainID = 1337

type subscribers map[common.Address]access.Level

func (s subscribers) HasAccess(_ context.Context, _ common.Hash, user common.Address) (access.Level, error) {
	return s[user], nil
}

// addresses resolves node IDs to the test's hosts.
type addresses map[identity.NodeID]string

func (a addresses) Resolve(_ context.Context, id identity.NodeID) (string, error) {
	if addr, ok := a[id]; ok {
		return addr, nil
	}
	return "", fmt.Errorf("node %s unknown", id.Short())
}

// queryNode is a persistence node's query server on its own QUIC host.
type queryNode struct {
	id     identity.NodeID
	host   *overlay.Host
	server *access.Server
	reg    *prometheus.Registry
}

func startQueryNode(t *testing.T, path dataset.Path, subs subscribers, maxReplay int) *queryNode {
	t.Helper()
	return startQueryNodeOf(t, []dataset.Path{path}, subs, maxReplay)
}

// startQueryNodeOf starts a node that stores each of paths (version 1, k
// = 1 and 2).
func startQueryNodeOf(t *testing.T, paths []dataset.Path, subs subscribers, maxReplay int) *queryNode {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	key, err := identity.GenerateNodeKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	store, err := query.Open(t.TempDir(), query.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		table, err := store.CreateVersion(path, 1, schema, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Ingest(query.Batch{Dataset: table.ID(), Version: 1, RunID: "r", Total: 1, Slot: 1, Rows: []dataset.Row{{dataset.Int64(1)}, {dataset.Int64(2)}}}); err != nil {
			t.Fatal(err)
		}
	}
	n := &queryNode{id: key.ID(), reg: prometheus.NewRegistry()}
	n.server, err = access.NewServer(access.Config{Store: store, Access: subs, Self: key.ID(), ChainID: testChainID, MaxReplayEntries: maxReplay, Logger: log, Registerer: n.reg})
	if err != nil {
		t.Fatal(err)
	}
	n.host, err = overlay.NewHost(overlay.HostConfig{Key: key, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.host.Close() })
	n.host.Handle(access.Protocol, n.server.Handler())
	return n
}

// refusals is how many requests the node refused.
func (n *queryNode) refusals(t *testing.T) float64 {
	t.Helper()
	mfs, err := n.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() == "enigma_query_refused_total" {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// testSession is a client session on its own overlay node whose record
// cache holds the dataset's record naming nodes, in order.
func testSession(t *testing.T, path dataset.Path, nodes ...*queryNode) *Session {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	key, _, err := kademlia.GenerateKey(rand.Reader, 0)
	if err != nil {
		t.Fatal(err)
	}
	on, err := overlay.Start(overlay.Config{
		Key: key, PuzzleSolution: kademlia.SolveDynamic(key.ID(), 0),
		Kad: kademlia.ProtocolConfig{
			Wire:  kademlia.WireConfig{ChainID: testChainID},
			Store: kademlia.StoreConfig{Validator: overlay.NamedRecords{ChainID: testChainID}},
		},
		Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { on.Close() })
	addrs := addresses{}
	m := ledger.Metadata{Provider: path.Provider, Name: path.Name, Version: 1}
	for _, n := range nodes {
		addrs[n.id] = n.host.Addr()
		m.Persistence = append(m.Persistence, n.id)
	}
	on.Host().SetResolver(addrs)
	s := &Session{Overlay: on, ChainID: testChainID, log: log}
	s.mu.records = map[common.Hash]cachedRecord{path.ID(): {rec: &ledger.Record{Signed: ledger.SignedMetadata{Metadata: m}}, fetched: time.Now()}}
	return s
}

// fillWindow takes the node's one replay-window place with another
// subscriber's request.
func fillWindow(t *testing.T, n *queryNode, path dataset.Path, key *ecdsa.PrivateKey) {
	t.Helper()
	reply, _ := seal.GenerateKey(rand.Reader)
	req, err := access.NewRequest(rand.Reader, n.id, path, "SELECT * FROM "+path.Name, crypto.PubkeyToAddress(key.PublicKey), reply.PublicKey(), time.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	req.Version = 1
	b, err := access.Sign(key, testChainID, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := access.OpenResponse(testChainID, req, reply, n.server.Handle(context.Background(), b)); err != nil {
		t.Fatal(err)
	}
}

// Red team (2): a persistence node that refuses for load (its replay window
// full) is not the network's answer: the client asks the next node. A
// refusal about the subscriber (no access) is the answer, and the next
// node is not asked.
func TestQueryAsksTheNextNodeWhenOneRefusesForLoad(t *testing.T) {
	path := dataset.Path{Provider: common.HexToAddress("0x00000000000000000000000000000000000000aa"), Name: "ticks"}
	subscriber, _ := crypto.GenerateKey()
	early, _ := crypto.GenerateKey()
	stranger, _ := crypto.GenerateKey()
	subs := subscribers{crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed, crypto.PubkeyToAddress(early.PublicKey): access.LevelSubscribed}
	busy := startQueryNode(t, path, subs, 1)
	spare := startQueryNode(t, path, subs, 2)
	fillWindow(t, busy, path, early)
	s := testSession(t, path, busy, spare)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	res, err := s.Query(ctx, subscriber, path, "SELECT COUNT(*) FROM ticks", nil)
	if err != nil {
		t.Fatalf("query with the first node busy: %v", err)
	}
	if res.Node != spare.id || res.Rows[0][0].Int != 2 {
		t.Fatalf("answered by %s with %v, want node %s's count 2", res.Node.Short(), res.Rows, spare.id.Short())
	}
	if busy.refusals(t) != 1 {
		t.Fatalf("the busy node refused %v requests, want 1", busy.refusals(t))
	}

	_, err = s.Query(ctx, stranger, path, "SELECT COUNT(*) FROM ticks", nil)
	var de *access.DeniedError
	if !errors.As(err, &de) || de.Reason != access.ReasonNoAccess {
		t.Fatalf("stranger: %v, want a no-access refusal", err)
	}
	if spare.refusals(t) != 0 {
		t.Fatal("the client asked the next node after a refusal about the subscriber")
	}

	// Both nodes busy (the spare holds the answered request and one more):
	// the error carries the refusals.
	fillWindow(t, spare, path, early)
	_, err = s.Query(ctx, subscriber, path, "SELECT COUNT(*) FROM ticks", nil)
	if !errors.As(err, &de) || de.Reason != access.ReasonBusy {
		t.Fatalf("both nodes busy: %v", err)
	}
}

// addRecord puts a record of path naming nodes into the session's cache.
func addRecord(t *testing.T, s *Session, path dataset.Path, nodes ...*queryNode) {
	t.Helper()
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := ledger.Metadata{Provider: path.Provider, Name: path.Name, Version: 1, Schema: schema}
	for _, n := range nodes {
		m.Persistence = append(m.Persistence, n.id)
	}
	s.mu.records[path.ID()] = cachedRecord{rec: &ledger.Record{Signed: ledger.SignedMetadata{Metadata: m}}, fetched: time.Now()}
}

// A join runs on a node that stores every dataset it reads: the client
// asks only such nodes, and says so when there is none.
func TestQueryJoinAsksANodeThatStoresBoth(t *testing.T) {
	provider := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	ticks := dataset.Path{Provider: provider, Name: "ticks"}
	venues := dataset.Path{Provider: common.HexToAddress("0x00000000000000000000000000000000000000bb"), Name: "venues"}
	lonely := dataset.Path{Provider: provider, Name: "lonely"}
	subscriber, _ := crypto.GenerateKey()
	subs := subscribers{crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed}
	onlyTicks := startQueryNodeOf(t, []dataset.Path{ticks, lonely}, subs, 0)
	both := startQueryNodeOf(t, []dataset.Path{ticks, venues}, subs, 0)
	s := testSession(t, ticks, onlyTicks, both)
	addRecord(t, s, ticks, onlyTicks, both)
	addRecord(t, s, venues, both)
	addRecord(t, s, lonely, onlyTicks)
	s.Overlay.Host().SetResolver(addresses{onlyTicks.id: onlyTicks.host.Addr(), both.id: both.host.Addr()})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	res, err := s.QueryJoin(ctx, subscriber, []QueryDataset{{Path: ticks}, {Path: venues}}, "SELECT COUNT(*) FROM ticks AS a JOIN venues AS b ON a.k = b.k")
	if err != nil {
		t.Fatal(err)
	}
	if res.Node != both.id || res.Rows[0][0].Int != 2 || onlyTicks.refusals(t) != 0 {
		t.Fatalf("answered by %s with %v (the other node refused %v), want node %s's count 2", res.Node.Short(), res.Rows, onlyTicks.refusals(t), both.id.Short())
	}
	_, err = s.QueryJoin(ctx, subscriber, []QueryDataset{{Path: lonely}, {Path: venues}}, "SELECT * FROM lonely, venues")
	if err == nil || !strings.Contains(err.Error(), "no persistence node stores all of") {
		t.Fatalf("datasets on disjoint nodes: %v", err)
	}
}
