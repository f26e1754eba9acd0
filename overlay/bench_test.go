package overlay

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// BenchmarkLookup64 measures iterative lookups over real QUIC on loopback in
// a 64-node network: latency p50/p99 and requests per lookup, for several
// (d, α). Each op is one FIND_NODE for a random ID from a random node.
func BenchmarkLookup64(b *testing.B) {
	for _, lc := range []kademlia.LookupConfig{
		{K: 16, Paths: 1, Alpha: 1},
		{K: 16, Paths: 1, Alpha: 3},
		{K: 16, Paths: 4, Alpha: 1},
		{K: 16, Paths: 4, Alpha: 3},
		{K: 16, Paths: 8, Alpha: 1},
	} {
		b.Run(fmt.Sprintf("d=%d,alpha=%d", lc.Paths, lc.Alpha), func(b *testing.B) {
			nodes := benchNetwork(b, 64, lc)
			r := randsrc.New(1)
			ctx := context.Background()
			var lat []time.Duration
			msgs := 0
			for b.Loop() {
				var target kademlia.ID
				for i := range target {
					target[i] = byte(r.Uint32())
				}
				n := nodes[r.IntN(len(nodes))]
				start := time.Now()
				_, stats, err := n.FindNodeStats(ctx, target)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				msgs += stats.Requests
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(msgs)/float64(len(lat)), "msgs/lookup")
		})
	}
}

// BenchmarkGet64 measures FIND_VALUE lookups (Get) of stored records in the
// same 64-node network with d=4, α=3.
func BenchmarkGet64(b *testing.B) {
	lc := kademlia.LookupConfig{K: 16, Paths: 4, Alpha: 3}
	auth := newAuthority()
	nodes := benchNetwork(b, 64, lc, auth)
	ctx := context.Background()
	var keys []kademlia.ID
	for i := range 32 {
		k := recordKey(i)
		if _, err := nodes[i].Put(ctx, k, auth.record(b, k, 1, "payload")); err != nil {
			b.Fatal(err)
		}
		keys = append(keys, k)
	}
	r := randsrc.New(2)
	var lat []time.Duration
	for b.Loop() {
		n := nodes[r.IntN(len(nodes))]
		start := time.Now()
		if _, err := n.Get(ctx, keys[r.IntN(len(keys))]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
}

func benchNetwork(b *testing.B, n int, lc kademlia.LookupConfig, v ...kademlia.Validator) []*Node {
	b.Helper()
	var validator kademlia.Validator = newAuthority()
	if len(v) > 0 {
		validator = v[0]
	}
	var nodes []*Node
	for i := range n {
		cfg := testNodeConfig(b, uint64(i+1), validator)
		cfg.Kad.Table = kademlia.TableConfig{K: 16, Siblings: 16}
		cfg.Kad.Lookup = lc
		cfg.RPCTimeout = 2 * time.Second
		node, err := Start(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { node.Close() })
		nodes = append(nodes, node)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, node := range nodes[1:] {
		if err := node.Bootstrap(ctx, []Peer{nodes[0].Self()}); err != nil {
			b.Fatal(err)
		}
	}
	for _, node := range nodes {
		if _, err := node.FindNode(ctx, node.ID()); err != nil {
			b.Fatal(err)
		}
	}
	return nodes
}

// BenchmarkCallRoundTrip measures one request/response Call between two
// hosts on loopback over an established connection: the cost every
// protocol built on the host pays per exchange.
func BenchmarkCallRoundTrip(b *testing.B) {
	var hosts []*Host
	for seed := uint64(1); seed <= 2; seed++ {
		key, _ := testKey(b, seed)
		h, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, Logger: quietLogger()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { h.Close() })
		hosts = append(hosts, h)
	}
	a, srv := hosts[0], hosts[1]
	srv.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	ctx := context.Background()
	req := make([]byte, 64)
	if _, err := a.Call(ctx, srv.ID(), srv.Addr(), "echo/1", req); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := a.Call(ctx, srv.ID(), srv.Addr(), "echo/1", req); err != nil {
			b.Fatal(err)
		}
	}
}
