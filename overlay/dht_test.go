package overlay

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// TestThirtyTwoNodesStoreFindAndSurviveLosingAThird is the acceptance test:
// 32 nodes over real QUIC on 127.0.0.1 store records, every node finds
// every record, then a third of the nodes stop and every record is still
// found by every survivor.
func TestThirtyTwoNodesStoreFindAndSurviveLosingAThird(t *testing.T) {
	if testing.Short() {
		t.Skip("32-node QUIC network")
	}
	auth := newAuthority()
	start := time.Now()
	nodes := startNetwork(t, 32, auth)
	t.Logf("32 nodes up and bootstrapped in %v", time.Since(start))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	const records = 8
	want := map[kademlia.ID][]byte{}
	for i := range records {
		key := recordKey(i)
		// An old version first, then the current one from another node:
		// readers must get the newest.
		if _, err := nodes[(3*i+1)%32].Put(ctx, key, auth.record(t, key, 1, "old")); err != nil {
			t.Fatalf("put %d v1: %v", i, err)
		}
		rec := auth.record(t, key, 2, "certified payload")
		stored, err := nodes[(5*i+2)%32].Put(ctx, key, rec)
		if err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
		if stored < 2 {
			t.Fatalf("record %d stored on %d replicas, want several", i, stored)
		}
		want[key] = rec
	}
	findAll := func(from []*DHT) {
		t.Helper()
		for _, n := range from {
			for key, rec := range want {
				got, err := n.Get(ctx, key)
				if err != nil {
					for i, h := range nodes {
						h.mu.Lock()
						_, held := h.proto.Store().Get(key, h.now())
						h.mu.Unlock()
						if held {
							t.Logf("node %d (%s) holds %s, alive %v", i, h.ID().Short(), key.Short(), h.host.ctx.Err() == nil)
						}
					}
					t.Fatalf("node %s get %s: %v", n.ID().Short(), key.Short(), err)
				}
				if !bytes.Equal(got, rec) {
					t.Fatalf("node %s got a different version of %s", n.ID().Short(), key.Short())
				}
			}
		}
	}
	start = time.Now()
	findAll(nodes)
	t.Logf("all 32 nodes found all %d records in %v", records, time.Since(start))

	// Stop every third node: half of them shut down cleanly (peers hear
	// the connection close), half crash (their socket just goes silent).
	var alive []*DHT
	for i, n := range nodes {
		if i%3 != 2 {
			alive = append(alive, n)
			continue
		}
		if i%2 == 0 {
			n.host.transport.Conn.Close() // crash: nothing more is sent
		}
		n.Close()
	}
	if len(alive) != 22 {
		t.Fatalf("%d nodes alive", len(alive))
	}
	start = time.Now()
	findAll(alive)
	t.Logf("the 22 survivors found all %d records in %v", records, time.Since(start))
}

func TestPutRefusesInvalidRecordsAndGetMissesCleanly(t *testing.T) {
	auth := newAuthority()
	nodes := startNetwork(t, 4, auth)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	key := recordKey(1)
	forged := auth.record(t, recordKey(2), 1, "signed for another key")
	if _, err := nodes[1].Put(ctx, key, forged); !errors.Is(err, kademlia.ErrRejected) {
		t.Fatalf("publishing a forged record: %v", err)
	}
	if _, err := nodes[2].Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing record: %v", err)
	}
}

func TestResolveAndApplicationProtocols(t *testing.T) {
	nodes := startNetwork(t, 6, newAuthority())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, n := range nodes {
		n.Host().Handle("echo/1", func(_ context.Context, from kademlia.ID, req []byte) ([]byte, error) {
			return append(append([]byte{}, from[:4]...), req...), nil
		})
	}
	// No address hint: the host resolves the ID through the DHT.
	a, b := nodes[5], nodes[3]
	resp, err := a.Host().Call(ctx, b.ID(), "", "echo/1", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if id := a.ID(); !bytes.Equal(resp, append(id[:4:4], "hello"...)) {
		t.Fatalf("echo answered %q", resp)
	}
	addr, err := a.Resolve(ctx, b.ID())
	if err != nil || addr != b.Addr() {
		t.Fatalf("resolve: %q, %v; want %s", addr, err, b.Addr())
	}
	var unknown kademlia.ID
	unknown[0] = 0xff
	if _, err := a.Resolve(ctx, unknown); err == nil {
		t.Fatal("resolved a node that does not exist")
	}
}

func TestHostileRPCsAreCountedNotFatal(t *testing.T) {
	nodes := startNetwork(t, 2, newAuthority())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, b := nodes[0], nodes[1]
	// Garbage on the kad protocol.
	if _, err := a.Host().Call(ctx, b.ID(), b.Addr(), ProtoKad, []byte("garbage")); err == nil {
		t.Fatal("garbage accepted")
	}
	// A correctly signed request replayed.
	a.mu.Lock()
	raw, _, err := a.proto.NewRequest(kademlia.MsgPing, b.ID(), nil, a.now())
	a.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Host().Call(ctx, b.ID(), b.Addr(), ProtoKad, raw); err != nil {
		t.Fatalf("first delivery: %v", err)
	}
	if _, err := a.Host().Call(ctx, b.ID(), b.Addr(), ProtoKad, raw); err == nil {
		t.Fatal("replay accepted")
	}
	m := b.Host().Metrics().Rejected
	if counterValue(m.WithLabelValues("malformed")) != 1 || counterValue(m.WithLabelValues("replay")) != 1 {
		t.Fatalf("rejections not counted: malformed %v replay %v", counterValue(m.WithLabelValues("malformed")), counterValue(m.WithLabelValues("replay")))
	}
	// The node still works.
	if err := a.Ping(ctx, b.Self()); err != nil {
		t.Fatalf("node stopped answering after hostile input: %v", err)
	}
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

func TestGetReturnsNewestAndRepairsStaleReplicas(t *testing.T) {
	auth := newAuthority()
	nodes := startNetwork(t, 3, auth)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, b, c := nodes[0], nodes[1], nodes[2]
	key := recordKey(7)
	v1, v2 := auth.record(t, key, 1, "old"), auth.record(t, key, 2, "new")
	if stored, err := a.Put(ctx, key, v1); err != nil || stored != 3 {
		t.Fatalf("put v1: stored on %d, %v", stored, err)
	}
	// Only b learns v2 (as if the other replicas missed the update).
	b.mu.Lock()
	_, err := b.proto.Store().Put(key, v2, b.now())
	b.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, key)
	if err != nil || !bytes.Equal(got, v2) {
		t.Fatalf("get: %v; want the newest version", err)
	}
	for _, n := range []*DHT{a, c} {
		n.mu.Lock()
		held, _ := n.proto.Store().Get(key, n.now())
		n.mu.Unlock()
		if !bytes.Equal(held, v2) {
			t.Fatalf("node %s still holds the old version after the read", n.ID().Short())
		}
	}
}

// A client-only node bootstraps, looks up, stores and fetches like any
// other, but no node routes to it: after it has gone, no table holds it.
func TestClientOnlyNodeIsNeverRoutedTo(t *testing.T) {
	auth := newAuthority()
	nodes := startNetwork(t, 8, auth)
	cfg := testNodeConfig(t, 99, auth)
	cfg.ClientOnly = true
	client, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if client.Addr() != "" {
		t.Fatalf("a client-only node advertises %q", client.Addr())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := client.Bootstrap(ctx, []Peer{nodes[0].Self()}); err != nil {
		t.Fatal(err)
	}
	key := recordKey(7)
	if _, err := client.Put(ctx, key, auth.record(t, key, 1, "from a client")); err != nil {
		t.Fatalf("a client's put: %v", err)
	}
	if got, err := nodes[5].Get(ctx, key); err != nil || string(got) == "" {
		t.Fatalf("the client's record from a node: %q, %v", got, err)
	}
	if _, err := client.FindNode(ctx, nodes[6].ID()); err != nil {
		t.Fatalf("a client's lookup: %v", err)
	}
	for _, n := range nodes {
		for _, c := range n.Contacts() {
			if c.ID == client.ID() {
				t.Fatalf("node %s routes to the client", n.ID().Short())
			}
		}
	}
	cfg.AdvertiseAddr = "127.0.0.1:1"
	if _, err := Start(cfg); err == nil {
		t.Fatal("a client-only node with an address to advertise started")
	}
}

// Bootstrap joins as the Kademlia paper prescribes: after the self-lookup
// it refreshes every bucket further away than the closest neighbour, so
// the joiner's table holds a contact in each of those buckets that has
// nodes in the network (the self-lookup alone reaches only the bootstrap
// node and the nodes near the joiner). A client-only node stops after the
// self-lookup.
func TestBootstrapRefreshesEveryBucketBeyondTheClosestNeighbour(t *testing.T) {
	auth := newAuthority()
	nodes := startNetwork(t, 32, auth)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	join := func(seed uint64, clientOnly bool) *DHT {
		cfg := testNodeConfig(t, seed, auth)
		cfg.ClientOnly = clientOnly
		n, err := Start(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		if err := n.Bootstrap(ctx, []Peer{nodes[0].Self()}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	lookups := func(n *DHT) float64 { return counterValue(n.cfg.Metrics.Lookups.WithLabelValues("node", "ok")) }

	n := join(100, false)
	self := n.ID()
	nearest := 0 // buckets below the closest neighbour's are the far ones
	held := map[int]bool{}
	for _, c := range n.Contacts() {
		b := kademlia.CommonPrefixLen(self, c.ID)
		held[b] = true
		nearest = max(nearest, b)
	}
	inNetwork := map[int]int{}
	for _, m := range nodes {
		inNetwork[kademlia.CommonPrefixLen(self, m.ID())]++
	}
	for b := range nearest {
		if inNetwork[b] > 0 && !held[b] {
			t.Errorf("bucket %d: the network has %d nodes there, the joiner's table none", b, inNetwork[b])
		}
	}
	if got, want := lookups(n), float64(1+nearest); got != want {
		t.Errorf("the join made %v lookups; want the self-lookup and one per far bucket, %v", got, want)
	}

	client := join(101, true)
	if got := lookups(client); got != 1 {
		t.Errorf("a client-only join made %v lookups; want only the self-lookup", got)
	}
}
