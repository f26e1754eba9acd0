package overlay

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
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

func benchNetwork(b *testing.B, n int, lc kademlia.LookupConfig, v ...kademlia.Validator) []*DHT {
	b.Helper()
	var validator kademlia.Validator = newAuthority()
	if len(v) > 0 {
		validator = v[0]
	}
	var nodes []*DHT
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

// BenchmarkCallRoundTrip measures one request/response Call on loopback
// over an established connection — the cost every protocol built on the
// host pays per exchange — to a host in this process and to one in another
// process (this test binary, started as an echo server), where each message
// waits for the kernel to wake the receiving process.
func BenchmarkCallRoundTrip(b *testing.B) {
	// A caller per run: a server of an earlier run (-count) has gone, and
	// the caller would still be backing off from its node ID.
	caller := func(b *testing.B) *Host {
		key, _ := testKey(b, 1)
		a, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, Logger: quietLogger()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { a.Close() })
		return a
	}
	b.Run("in-process", func(b *testing.B) {
		a := caller(b)
		key, _ := testKey(b, 2)
		srv, err := newEchoHost(key)
		if err != nil {
			b.Fatal(err)
		}
		defer srv.Close()
		benchCalls(b, a, srv.ID(), srv.Addr())
	})
	b.Run("across-processes", func(b *testing.B) {
		a := caller(b)
		cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
		cmd.Env = append(os.Environ(), "ENIGMA_OVERLAY_ECHO_SERVER=1")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			b.Fatal(err)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { stdin.Close(); cmd.Wait() })
		var id identity.NodeID
		var idHex, addr string
		if _, err := fmt.Fscanln(out, &idHex, &addr); err != nil {
			b.Fatalf("echo server: %v", err)
		}
		if _, err := hex.Decode(id[:], []byte(idHex)); err != nil {
			b.Fatal(err)
		}
		benchCalls(b, a, id, addr)
	})
}

// newEchoHost is a host on loopback that answers "echo/1" with the request.
func newEchoHost(key *identity.NodeKey) (*Host, error) {
	h, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, Logger: quietLogger()})
	if err != nil {
		return nil, err
	}
	h.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	return h, nil
}

func benchCalls(b *testing.B, a *Host, to identity.NodeID, addr string) {
	ctx := context.Background()
	req := make([]byte, 64)
	if _, err := a.Call(ctx, to, addr, "echo/1", req); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := a.Call(ctx, to, addr, "echo/1", req); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMain lets BenchmarkCallRoundTrip start this binary as an echo server
// in another process: it prints "<node ID> <address>" and serves until its
// stdin closes.
func TestMain(m *testing.M) {
	if os.Getenv("ENIGMA_OVERLAY_VICTIM") == "1" {
		os.Exit(runVictim()) // BenchmarkMemoryUnderAttack
	}
	if os.Getenv("ENIGMA_OVERLAY_ECHO_SERVER") != "1" {
		os.Exit(m.Run())
	}
	key, _, err := kademlia.GenerateKey(seededReader{randsrc.Derive(3, "overlay-test-key")}, testPuzzle.Static)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h, err := newEchoHost(key)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s %s\n", h.ID(), h.Addr())
	io.Copy(io.Discard, os.Stdin)
	h.Close()
	os.Exit(0)
}

// BenchmarkHandshake measures what a new connection to a known peer
// costs (a reconnect after an idle close): each op dials a host in this
// process, completes the TLS 1.3 handshake (both sides' certificates
// taken from their caches of checked certificates) and makes one call,
// then closes the connection. Run with -cpu 1 and read CPU time with
// /usr/bin/time for the CPU cost.
func BenchmarkHandshake(b *testing.B) { benchHandshake(b, false) }

// BenchmarkHandshakeFirstContact is BenchmarkHandshake with both hosts'
// caches of checked certificates emptied before each dial, so each op
// parses and checks both certificates as a first contact does.
func BenchmarkHandshakeFirstContact(b *testing.B) { benchHandshake(b, true) }

func benchHandshake(b *testing.B, firstContact bool) {
	key, _ := testKey(b, 1)
	a, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	key2, _ := testKey(b, 2)
	srv, err := newEchoHost(key2)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	req := make([]byte, 64)
	for b.Loop() {
		if firstContact {
			a.certs.forgetAll()
			srv.certs.forgetAll()
		}
		if _, err := a.Call(ctx, srv.ID(), srv.Addr(), "echo/1", req); err != nil {
			b.Fatal(err)
		}
		a.mu.Lock()
		c := a.conns[srv.ID()]
		a.mu.Unlock()
		a.forget(srv.ID(), c)
	}
}

// forgetAll empties the cache, as if no peer had connected yet.
func (c *certChecker) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.ids)
	c.order = nil
}
