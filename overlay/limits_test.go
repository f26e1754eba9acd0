package overlay

import (
	"context"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quic-go/quic-go"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// waitFor polls cond until it holds, failing the test at the deadline.
func waitFor(t testing.TB, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %v", what, within)
		}
		<-poll.C
	}
}

// rawDial opens a QUIC connection from a's socket to b without going
// through a's host, as a hostile peer with a's identity would.
func rawDial(ctx context.Context, a *Host, to identity.NodeID, addr string) (*quic.Conn, error) {
	udp, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	return a.transport.Dial(ctx, udp, clientTLS(a.cert, to, a.certs), a.quicConf)
}

func appError(err error) *quic.ApplicationError {
	var e *quic.ApplicationError
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// TestConnectionsPerPeerAreCapped is the regression test for red-team
// issue 15 (8): one node ID could open any number of connections. A
// connection over the limit takes the place of the peer's oldest, which is
// closed with the reason and counted: the peer never holds more than the
// limit, and one that lost its connections is not locked out until they
// time out.
func TestConnectionsPerPeerAreCapped(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	var conns []*quic.Conn
	for i := range DefaultConnsPerPeer + 1 {
		c, err := rawDial(ctx, a, b.ID(), b.Addr())
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		defer c.CloseWithError(0, "")
		conns = append(conns, c)
	}
	// Exactly one of them, whichever b accepted first, is closed.
	var over *quic.Conn
	waitFor(t, "the connection over the limit is closed", 10*time.Second, func() bool {
		for _, c := range conns {
			if c.Context().Err() != nil {
				over = c
				return true
			}
		}
		return false
	})
	e := appError(context.Cause(over.Context()))
	if e == nil || e.ErrorCode != closePeerLimit || !strings.Contains(e.ErrorMessage, fmt.Sprintf("limit %d", DefaultConnsPerPeer)) {
		t.Fatalf("closed with %v, want the per-peer limit as the reason", context.Cause(over.Context()))
	}
	if got := counterValue(b.Metrics().Rejected.WithLabelValues("peer_conns")); got != 1 {
		t.Fatalf("peer_conns counted %v times, want 1", got)
	}
	open := 0
	for _, c := range conns {
		if c.Context().Err() == nil {
			open++
		}
	}
	if open != DefaultConnsPerPeer {
		t.Fatalf("%d connections open, want the limit %d", open, DefaultConnsPerPeer)
	}
	// Closing one frees its place: the host's own call gets it.
	for _, c := range conns {
		if c != over {
			c.CloseWithError(0, "done")
			break
		}
	}
	waitFor(t, "b forgets the closed connection", 10*time.Second, func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.peerConns[a.ID()]) == DefaultConnsPerPeer-1
	})
	if resp, err := a.Call(ctx, b.ID(), b.Addr(), "echo/1", []byte("ok")); err != nil || string(resp) != "ok" {
		t.Fatalf("call within the limit: %q %v", resp, err)
	}
	// At the limit again, a newer connection takes the oldest one's place.
	c, err := rawDial(ctx, a, b.ID(), b.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseWithError(0, "")
	waitFor(t, "the oldest connection replaced", 10*time.Second, func() bool {
		return counterValue(b.Metrics().Rejected.WithLabelValues("peer_conns")) == 2
	})
	b.mu.Lock()
	served := len(b.peerConns[a.ID()])
	b.mu.Unlock()
	if served > DefaultConnsPerPeer || c.Context().Err() != nil {
		t.Fatalf("after a replacement b serves %d connections of a (limit %d); the newest is closed: %v", served, DefaultConnsPerPeer, context.Cause(c.Context()))
	}
}

// TestUnfinishedRequestsAreBoundedPerConnection is the regression test for
// red-team issue 15 (8): a peer could hold 256 streams per connection, each
// with an unfinished frame of up to 4 MiB. Now QUIC lets it open
// StreamsPerConn streams, and the frames in progress on one connection may
// announce ConnBuffer bytes in all: the rest are refused from their header,
// with the reason, before any body byte is read.
func TestUnfinishedRequestsAreBoundedPerConnection(t *testing.T) {
	newHost := func(seed uint64) *Host {
		key, _ := testKey(t, seed)
		h, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, CallTimeout: 20 * time.Second, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		return h
	}
	a, b, c := newHost(1), newHost(2), newHost(3)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	conn, err := a.conn(ctx, b.ID(), b.Addr())
	if err != nil {
		t.Fatal(err)
	}
	// QUIC refuses streams past the limit: the peer cannot even open them.
	var streams []*quic.Stream
	for {
		s, err := conn.OpenStream()
		if err != nil {
			break
		}
		streams = append(streams, s)
		if len(streams) > 256 {
			break
		}
	}
	if len(streams) != DefaultStreamsPerConn {
		t.Fatalf("peer opened %d streams on one connection, want the limit %d", len(streams), DefaultStreamsPerConn)
	}
	// Every stream announces a 4 MiB request and sends 1 KiB of it.
	const announced = 4 << 20
	for _, s := range streams {
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], announced)
		head := append(hdr[:], byte(len("echo/1")))
		head = append(head, "echo/1"...)
		if _, err := s.Write(append(head, make([]byte, 1024)...)); err != nil {
			t.Fatal(err)
		}
	}
	// The requests the budget holds stay unanswered (their bodies never
	// come); all others are refused at once, in whatever order they arrive.
	fits := DefaultConnBuffer / announced
	type answer struct {
		i   int
		err error
	}
	answers := make(chan answer, len(streams))
	deadline := time.Now().Add(3 * time.Second)
	for i, s := range streams {
		go func() {
			s.SetReadDeadline(deadline)
			raw, err := readFrame(s, 4<<10)
			if err == nil {
				_, err = decodeResponse(raw)
			} else {
				err = fmt.Errorf("no answer: %w", err)
			}
			answers <- answer{i, err}
		}()
	}
	refused, pending := 0, 0
	var unfinished []*quic.Stream
	for range streams {
		a := <-answers
		var remote *RemoteError
		switch {
		case errors.As(a.err, &remote) && strings.Contains(remote.Message, "per connection"):
			refused++
		case a.err != nil && strings.HasPrefix(a.err.Error(), "no answer"):
			pending++
			unfinished = append(unfinished, streams[a.i])
		default:
			t.Fatalf("request %d: %v", a.i, a.err)
		}
	}
	if pending != fits {
		t.Fatalf("%d requests in progress, want the %d that fit in %d bytes", pending, fits, DefaultConnBuffer)
	}
	if want := DefaultStreamsPerConn - fits; refused != want || counterValue(b.Metrics().Rejected.WithLabelValues("conn_buffer")) != float64(want) {
		t.Fatalf("%d requests refused, %v counted; want %d", refused, counterValue(b.Metrics().Rejected.WithLabelValues("conn_buffer")), want)
	}
	// Over the same connection, a well-formed call gets the reason too.
	var remote *RemoteError
	if _, err := a.Call(ctx, b.ID(), "", "echo/1", []byte("x")); !errors.As(err, &remote) || !strings.Contains(remote.Message, "per connection") {
		t.Fatalf("call while the budget is used up: %v", err)
	}
	// Another peer is served meanwhile.
	if resp, err := c.Call(ctx, b.ID(), b.Addr(), "echo/1", []byte("c")); err != nil || string(resp) != "c" {
		t.Fatalf("other peer: %q %v", resp, err)
	}
	// Abandoning the unfinished requests gives the budget back.
	for _, s := range unfinished {
		s.CancelWrite(9)
	}
	waitFor(t, "the budget is released", 10*time.Second, func() bool {
		resp, err := a.Call(ctx, b.ID(), "", "echo/1", []byte("y"))
		return err == nil && string(resp) == "y"
	})
}

// TestHandshakesPerIPAreBounded: handshakes from one IP address that are
// not finished hold a slot each; past the limit the next one is refused
// with CONNECTION_REFUSED, and the slots come back when they end.
func TestHandshakesPerIPAreBounded(t *testing.T) {
	const limit = 4
	key, _ := testKey(t, 2)
	b, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, CallTimeout: 20 * time.Second,
		Limits: Limits{HandshakesPerIP: limit}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a, c := testHost(t, 1), testHost(t, 3)
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr, _ := net.ResolveUDPAddr("udp", b.Addr())
	// Clients that stall in the middle of the handshake: they received
	// b's certificate and never answer.
	entered, release := make(chan struct{}, limit), make(chan struct{})
	// Released on every way out, or closing the hosts would wait for them.
	releaseAll := sync.OnceFunc(func() { close(release) })
	defer releaseAll()
	stalled := make(chan error, limit)
	for range limit {
		go func() {
			tlsConf := clientTLS(a.cert, b.ID(), newCertChecker(testPuzzle.Static))
			tlsConf.VerifyPeerCertificate = func([][]byte, [][]*x509.Certificate) error {
				entered <- struct{}{}
				<-release
				return errors.New("test client gives up")
			}
			_, err := a.transport.Dial(ctx, addr, tlsConf, a.quicConf)
			stalled <- err
		}()
	}
	for range limit {
		select {
		case <-entered:
		case <-ctx.Done():
			t.Fatal("stalling handshakes did not reach the server")
		}
	}
	_, err = rawDial(ctx, a, b.ID(), b.Addr())
	var trErr *quic.TransportError
	if !errors.As(err, &trErr) || trErr.ErrorCode != quic.ConnectionRefused {
		t.Fatalf("handshake over the per-IP limit: %v, want CONNECTION_REFUSED", err)
	}
	// Counted per refused Initial packet: a ClientHello may span two.
	if got := counterValue(b.Metrics().Rejected.WithLabelValues("handshakes")); got < 1 {
		t.Fatalf("handshakes counted %v times", got)
	}
	releaseAll()
	for range limit {
		<-stalled
	}
	waitFor(t, "the stalled handshakes' slots are released", 10*time.Second, func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.handshakes) == 0
	})
	if resp, err := c.Call(ctx, b.ID(), b.Addr(), "echo/1", []byte("ok")); err != nil || string(resp) != "ok" {
		t.Fatalf("after the stalled handshakes: %q %v", resp, err)
	}
}

// eitherValidator accepts certified test records and named records, like
// records.Policy; it does not classify them, so Start does.
type eitherValidator struct {
	auth  certAuthority
	named NamedRecords
}

func (v eitherValidator) Validate(key kademlia.ID, value []byte) error {
	if err := v.auth.Validate(key, value); err == nil {
		return nil
	}
	return v.named.Validate(key, value)
}

func (v eitherValidator) Select(key kademlia.ID, values [][]byte) (int, error) {
	if i, err := v.auth.Select(key, values); err == nil {
		return i, nil
	}
	return v.named.Select(key, values)
}

// TestNamedRecordFloodIsCappedPerPublisher is the network regression test
// for red-team issue 15 (6): one identity publishes 100 named records of
// 60 KB into a 4-node network over QUIC. Each node keeps 4 MiB of them,
// refuses the rest with the reason and counts it, and certified records
// are still stored everywhere.
func TestNamedRecordFloodIsCappedPerPublisher(t *testing.T) {
	v := eitherValidator{auth: newAuthority(), named: NamedRecords{ChainID: 1}}
	nodes := startNetwork(t, 4, v)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	attacker := nodes[0]
	const records, size = 100, 60_000
	perNode := int(kademlia.DefaultMaxPublisherBytes / (size + 1024 + kademlia.RecordOverhead))
	var lastErr error
	for i := range records {
		key, rec, err := NewNamedRecord(attacker.cfg.Key, 1, fmt.Sprintf("flood-%d", i), 1, make([]byte, size))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := attacker.Put(ctx, key, rec); err != nil {
			lastErr = err
		}
	}
	if lastErr == nil || !strings.Contains(lastErr.Error(), "publisher's storage quota exceeded") {
		t.Fatalf("the last puts should be refused with the reason, got %v", lastErr)
	}
	pub := attacker.ID()
	for i, n := range nodes {
		n.mu.Lock()
		u := n.proto.Store().PublisherUsage(pub)
		n.mu.Unlock()
		if u.Bytes > kademlia.DefaultMaxPublisherBytes || u.Records < perNode {
			t.Fatalf("node %d holds %d records, %d bytes of the publisher; want at least %d records within %d bytes", i, u.Records, u.Bytes, perNode, kademlia.DefaultMaxPublisherBytes)
		}
		if i > 0 && counterValue(n.Host().Metrics().Rejected.WithLabelValues("store_publisher_quota")) == 0 {
			t.Fatalf("node %d did not count its refusals", i)
		}
	}
	// Certified records are not charged to any publisher and still fit.
	key := recordKey(1)
	if stored, err := nodes[1].Put(ctx, key, v.auth.record(t, key, 1, "certified")); err != nil || stored != len(nodes) {
		t.Fatalf("certified record after the flood stored on %d nodes: %v", stored, err)
	}
}

// TestStreamCreditComesBackWhenTheFINArrivesLate: quic-go returns a
// stream's credit to the peer only once the host has read its EOF. A caller
// whose FIN comes after the request (here: only after the answer) must not
// use up its streams; with the cap at StreamsPerConn this would stall every
// long-lived connection.
func TestStreamCreditComesBackWhenTheFINArrivesLate(t *testing.T) {
	const streams = 4
	key, _ := testKey(t, 2)
	b, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, Limits: Limits{StreamsPerConn: streams}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a := testHost(t, 1)
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := a.conn(ctx, b.ID(), b.Addr())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := encodeRequest("echo/1", []byte("late fin"))
	for i := range 4 * streams {
		octx, ocancel := context.WithTimeout(ctx, 5*time.Second)
		s, err := conn.OpenStreamSync(octx)
		ocancel()
		if err != nil {
			t.Fatalf("request %d: no stream credit left: %v", i, err)
		}
		if err := writeFrame(s, req); err != nil {
			t.Fatal(err)
		}
		s.SetReadDeadline(time.Now().Add(5 * time.Second))
		raw, err := readFrame(s, 1<<10)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if resp, err := decodeResponse(raw); err != nil || string(resp) != "late fin" {
			t.Fatalf("request %d: %q %v", i, resp, err)
		}
		s.Close() // the FIN, only now
		if err := finishRead(s); err != nil {
			t.Fatal(err)
		}
	}
}
