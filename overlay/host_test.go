package overlay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/identity"
)

func testHost(t *testing.T, seed uint64) *Host {
	t.Helper()
	key, _ := testKey(t, seed)
	h, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, MaxFrame: 1 << 12, CallTimeout: 2 * time.Second, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func TestHostCallsReuseConnectionsBothWays(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx := context.Background()
	for _, h := range []*Host{a, b} {
		h.Handle("who/1", func(_ context.Context, from identity.NodeID, req []byte) ([]byte, error) {
			return append(from[:], req...), nil
		})
	}
	resp, err := a.Call(ctx, b.ID(), b.Addr(), "who/1", []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if id := a.ID(); !bytes.Equal(resp, append(id[:], 'x')) {
		t.Fatal("handler did not see the caller's authenticated ID")
	}
	// b calls a back without an address: the connection a opened is reused.
	if _, err := b.Call(ctx, a.ID(), "", "who/1", nil); err != nil {
		t.Fatalf("call back over the accepted connection: %v", err)
	}
	// A handler error reaches the caller as a RemoteError.
	b.Handle("fail/1", func(context.Context, identity.NodeID, []byte) ([]byte, error) { return nil, errors.New("nope") })
	var remote *RemoteError
	if _, err := a.Call(ctx, b.ID(), "", "fail/1", nil); !errors.As(err, &remote) || remote.Message != "nope" {
		t.Fatalf("handler error: %v", err)
	}
	if _, err := a.Call(ctx, b.ID(), "", "missing/1", nil); !errors.As(err, &remote) {
		t.Fatalf("unknown protocol: %v", err)
	}
	if got := counterValue(b.Metrics().Rejected.WithLabelValues("proto")); got != 1 {
		t.Fatalf("unknown protocol counted %v times", got)
	}
	// Calls to self go straight to the handler.
	if resp, err := a.Call(ctx, a.ID(), "", "who/1", []byte("s")); err != nil || resp[32] != 's' {
		t.Fatalf("self call: %q %v", resp, err)
	}
}

func TestDiallerRefusesTheWrongNode(t *testing.T) {
	a, b, c := testHost(t, 1), testHost(t, 2), testHost(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.Handle("x/1", func(context.Context, identity.NodeID, []byte) ([]byte, error) { return nil, nil })
	// Ask for c at b's address: the handshake must fail.
	if _, err := a.Call(ctx, c.ID(), b.Addr(), "x/1", nil); err == nil {
		t.Fatal("dialler accepted a node other than the one it asked for")
	}
	if got := counterValue(a.Metrics().Rejected.WithLabelValues("tls")); got < 1 {
		t.Fatal("identity mismatch not counted")
	}
	// A peer whose ID fails the static puzzle is refused by both sides.
	strict, err := NewHost(HostConfig{Key: a.cfg.Key, ListenAddr: "127.0.0.1:0", StaticPuzzle: 30, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer strict.Close()
	if _, err := strict.Call(ctx, b.ID(), b.Addr(), "x/1", nil); err == nil {
		t.Fatal("a peer failing the static puzzle was accepted")
	}
	if _, err := a.Call(ctx, c.ID(), "", "x/1", nil); err == nil {
		t.Fatal("call without address or resolver succeeded")
	}
}

func TestHostileFramesAreRejected(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	if _, err := a.Call(ctx, b.ID(), b.Addr(), "echo/1", make([]byte, 1<<13)); err == nil {
		t.Fatal("caller sent a request over the frame limit")
	}
	// Raw streams: an oversized length header, then garbage.
	conn, err := a.conn(ctx, b.ID(), b.Addr())
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range [][]byte{{0xff, 0xff, 0xff, 0xff}, {0, 0, 0, 3, 0, 1, 2}} {
		s, err := conn.OpenStreamSync(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s.Write(raw)
		s.Close()
		s.SetReadDeadline(time.Now().Add(2 * time.Second))
		buf := make([]byte, 64)
		n, _ := s.Read(buf)
		if n > 5 && buf[4] == statusOK {
			t.Fatalf("hostile frame %x answered OK", raw)
		}
	}
	if got := counterValue(b.Metrics().Rejected.WithLabelValues("frame")); got != 2 {
		t.Fatalf("%v frame rejections counted, want 2", got)
	}
	// The host still serves.
	if resp, err := a.Call(ctx, b.ID(), "", "echo/1", []byte("ok")); err != nil || string(resp) != "ok" {
		t.Fatalf("after hostile frames: %q %v", resp, err)
	}
}

func TestDialBackoffAfterShutdown(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.Handle("x/1", func(context.Context, identity.NodeID, []byte) ([]byte, error) { return nil, nil })
	if _, err := a.Call(ctx, b.ID(), b.Addr(), "x/1", nil); err != nil {
		t.Fatal(err)
	}
	addr := b.Addr()
	b.Close()
	// Wait (with a deadline) until a has processed b's connection close.
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.Lock()
		_, backingOff := a.backoff[b.ID()]
		a.mu.Unlock()
		if backingOff {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("shutdown of a peer never noticed")
		}
		select {
		case <-a.ctx.Done():
		case <-time.After(10 * time.Millisecond):
		}
	}
	start := time.Now()
	if _, err := a.Call(ctx, b.ID(), addr, "x/1", nil); err == nil {
		t.Fatal("call to a stopped node succeeded")
	}
	if time.Since(start) > time.Second {
		t.Fatalf("call to a node that announced shutdown waited %v", time.Since(start))
	}
}

func TestFrameCodec(t *testing.T) {
	var buf bytes.Buffer
	if err := writeFrame(&buf, []byte("abc")); err != nil {
		t.Fatal(err)
	}
	got, err := readFrame(&buf, 3)
	if err != nil || string(got) != "abc" {
		t.Fatalf("round trip: %q %v", got, err)
	}
	buf.Reset()
	writeFrame(&buf, []byte("abcd"))
	if _, err := readFrame(&buf, 3); !errors.Is(err, ErrFrame) {
		t.Fatalf("over the limit: %v", err)
	}
	if _, err := readFrame(bytes.NewReader([]byte{0, 0, 0, 9, 1}), 100); !errors.Is(err, ErrFrame) {
		t.Fatalf("truncated body: %v", err)
	}
	req, _ := encodeRequest("kad", []byte{1, 2})
	if p, body, err := decodeRequest(req); err != nil || p != "kad" || !bytes.Equal(body, []byte{1, 2}) {
		t.Fatalf("request round trip: %q %v %v", p, body, err)
	}
	if _, err := encodeRequest("", nil); err == nil {
		t.Fatal("empty protocol name accepted")
	}
	for _, bad := range [][]byte{{}, {0}, {5, 'a'}, {65}} {
		if _, _, err := decodeRequest(bad); !errors.Is(err, ErrFrame) {
			t.Fatalf("decodeRequest(%x): %v", bad, err)
		}
	}
	if _, err := decodeResponse([]byte{7}); !errors.Is(err, ErrFrame) {
		t.Fatalf("unknown status: %v", err)
	}
}

// decodeRequest splits a whole request frame as serveStream reads it.
func decodeRequest(frame []byte) (string, []byte, error) {
	r := bytes.NewReader(frame)
	proto, n, err := readProto(r, len(frame))
	if err != nil {
		return "", nil, err
	}
	body, err := readBody(r, n)
	return proto, body, err
}

// FuzzFrames feeds arbitrary bytes to the frame and request decoders.
func FuzzFrames(f *testing.F) {
	req, _ := encodeRequest("kad", []byte("body"))
	var buf bytes.Buffer
	writeFrame(&buf, req)
	f.Add(buf.Bytes())
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0, 0, 0, 1, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		frame, err := readFrame(bytes.NewReader(raw), 1<<10)
		if err != nil {
			return
		}
		if len(frame) > 1<<10 {
			t.Fatal("frame over the limit returned")
		}
		if proto, body, err := decodeRequest(frame); err == nil {
			again, err := encodeRequest(proto, body)
			if err != nil || !bytes.Equal(again, frame) {
				t.Fatalf("request %x does not round-trip", frame)
			}
		}
		decodeResponse(frame)
	})
}

// The shape a user package would declare for what it needs from the host.
type appTransport interface {
	Handle(proto string, fn func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error))
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

var _ appTransport = (*Host)(nil)

// The certificate cache vouches only for certificates that passed, byte
// for byte: a tampered one is checked and refused with the genuine one
// cached, and a failing one is never remembered.
func TestCertCheckerRemembersOnlyWhatPassed(t *testing.T) {
	key, _ := testKey(t, 1)
	cert, err := nodeCertificate(key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	genuine := cert.Certificate[0]
	chk := newCertChecker(testPuzzle.Static)
	for range 2 {
		if id, err := chk.peerID([][]byte{genuine}); err != nil || id != key.ID() {
			t.Fatalf("genuine certificate: %v %v", id, err)
		}
	}
	tampered := append([]byte(nil), genuine...)
	tampered[len(tampered)-1] ^= 1 // the self-signature
	for range 2 {
		if _, err := chk.peerID([][]byte{tampered}); !errors.Is(err, ErrPeerIdentity) {
			t.Fatalf("tampered certificate with the genuine one cached: %v", err)
		}
	}
	if len(chk.ids) != 1 {
		t.Fatalf("%d certificates remembered, want 1", len(chk.ids))
	}
	strict := newCertChecker(30)
	if _, err := strict.peerID([][]byte{genuine}); !errors.Is(err, ErrPeerIdentity) || len(strict.ids) != 0 {
		t.Fatalf("certificate failing the puzzle: %v, %d remembered", err, len(strict.ids))
	}
	chk.max = 2
	for seed := uint64(2); seed < 6; seed++ {
		k, _ := testKey(t, seed)
		c, err := nodeCertificate(k, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if id, err := chk.peerID(c.Certificate); err != nil || id != k.ID() {
			t.Fatalf("certificate %d: %v %v", seed, id, err)
		}
	}
	if len(chk.ids) != 2 || len(chk.order) != 2 {
		t.Fatalf("%d certificates remembered, bound 2", len(chk.ids))
	}
}

// barrierResolver answers Resolve only once n calls are waiting in it, so
// that n calls reach the dial at the same moment.
type barrierResolver struct {
	addr    string
	n       int
	mu      sync.Mutex
	waiting int
	all     chan struct{}
}

func newBarrierResolver(addr string, n int) *barrierResolver {
	return &barrierResolver{addr: addr, n: n, all: make(chan struct{})}
}

func (r *barrierResolver) Resolve(ctx context.Context, _ identity.NodeID) (string, error) {
	r.mu.Lock()
	if r.waiting++; r.waiting == r.n {
		close(r.all)
	}
	r.mu.Unlock()
	select {
	case <-r.all:
		return r.addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Concurrent calls to a peer without a connection share one dial: one
// handshake for all of them, and when it fails every call gets its error.
func TestConcurrentCallsShareOneDial(t *testing.T) {
	a, b, c := testHost(t, 1), testHost(t, 2), testHost(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	const calls = 50
	callAll := func(to identity.NodeID) []error {
		var wg sync.WaitGroup
		errs := make([]error, calls)
		for i := range calls {
			wg.Go(func() {
				req := fmt.Appendf(nil, "call %d", i)
				resp, err := a.Call(ctx, to, "", "echo/1", req)
				if err == nil && !bytes.Equal(resp, req) {
					err = fmt.Errorf("answer %q", resp)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		return errs
	}
	a.SetResolver(newBarrierResolver(b.Addr(), calls))
	for i, err := range callAll(b.ID()) {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if dialled, _, _ := a.ConnStats(); dialled != 1 {
		t.Fatalf("%d concurrent calls dialled %d connections, want 1", calls, dialled)
	}
	if _, accepted, _ := b.ConnStats(); accepted != 1 {
		t.Fatalf("%d concurrent calls made %d handshakes with the peer, want 1", calls, accepted)
	}
	// c's ID at b's address: the one handshake fails, and every call with
	// it. The calls resolve the address before they join the dial, so one
	// the scheduler kept back until the dial had failed meets the backoff
	// that failure set, and is refused without dialling again.
	a.SetResolver(newBarrierResolver(b.Addr(), calls))
	for i, err := range callAll(c.ID()) {
		if err == nil || !strings.Contains(err.Error(), "dial node "+c.ID().Short()) &&
			!strings.Contains(err.Error(), "node "+c.ID().Short()+" was unreachable or shut down recently") {
			t.Fatalf("call %d to the wrong node: %v, want the dial's error or its backoff", i, err)
		}
	}
	if got := counterValue(a.Metrics().Rejected.WithLabelValues("tls")); got != 1 {
		t.Fatalf("%v handshakes refused for %d concurrent calls, want 1", got, calls)
	}
	a.mu.Lock()
	left := len(a.dialling)
	a.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d dials still registered after every call returned", left)
	}
}
