package overlay

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/identity"
)

// frameLog records the frames a one-way handler took, with their sender.
type frameLog struct {
	mu     sync.Mutex
	frames []string
	from   []identity.NodeID
}

func (l *frameLog) handle(_ context.Context, from identity.NodeID, frame []byte) error {
	if string(frame) == "refuse me" {
		return errors.New("this frame is not acceptable")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.frames = append(l.frames, string(frame))
	l.from = append(l.from, from)
	return nil
}

func (l *frameLog) got() ([]string, []identity.NodeID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.frames...), append([]identity.NodeID(nil), l.from...)
}

func (l *frameLog) has(frame string) bool {
	got, _ := l.got()
	for _, f := range got {
		if f == frame {
			return true
		}
	}
	return false
}

// Frames arrive whole, in order and with the sender's authenticated ID, on
// one stream per peer and protocol; the peer answers over the same
// connection; a Send to the own ID goes to the local handler.
func TestSendDeliversFramesInOrder(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var atB, atA frameLog
	b.HandleStream("feed/1", atB.handle)
	a.HandleStream("feed/1", atA.handle)
	var want []string
	for i := range 200 {
		batch := make([][]byte, 1+i%5)
		for j := range batch {
			f := fmt.Sprintf("frame %d.%d", i, j)
			if j == 2 {
				f = strings.Repeat("x", 1<<12) // as large as the frame limit allows
			}
			batch[j] = []byte(f)
			want = append(want, f)
		}
		if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1", batch...); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1"); err != nil {
		t.Fatalf("a send without frames: %v", err)
	}
	waitFor(t, "every frame arrives", 10*time.Second, func() bool {
		got, _ := atB.got()
		return len(got) >= len(want)
	})
	got, from := atB.got()
	if len(got) != len(want) {
		t.Fatalf("%d frames arrived, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frame %d is %.20q, want %.20q", i, got[i], want[i])
		}
		if from[i] != a.ID() {
			t.Fatalf("frame %d from %s, want the sender's ID %s", i, from[i].Short(), a.ID().Short())
		}
	}
	if n := counterValue(a.Metrics().StreamsOpened.WithLabelValues("feed/1")); n != 1 {
		t.Fatalf("%v streams opened for 201 sends, want 1", n)
	}
	if n := counterValue(b.Metrics().Frames.WithLabelValues("feed/1", "received")); int(n) != len(want) {
		t.Fatalf("received frames counted %v, want %d", n, len(want))
	}
	// b answers over the connection a opened, without an address.
	if err := b.Send(ctx, a.ID(), "", "feed/1", []byte("back")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the frame back arrives", 5*time.Second, func() bool { return atA.has("back") })
	if dialled, _, _ := b.ConnStats(); dialled != 0 {
		t.Fatalf("b dialled %d connections, want it to reuse a's", dialled)
	}
	if err := a.Send(ctx, a.ID(), "", "feed/1", []byte("self")); err != nil || !atA.has("self") {
		t.Fatalf("send to self: %v", err)
	}
	if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1", make([]byte, 1<<12+1)); err == nil || !strings.Contains(err.Error(), "frame limit") {
		t.Fatalf("a frame over the frame limit: %v, want it refused by the sender", err)
	}
	// A clean close: b reads to the end of the stream, then a new one opens.
	if err := a.CloseSend(b.ID(), "feed/1"); err != nil {
		t.Fatal(err)
	}
	if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1", []byte("after close")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the frame after a clean close arrives", 5*time.Second, func() bool { return atB.has("after close") })
	for _, reason := range []string{"frame", "proto", "request_size", "frame_refused"} {
		if n := counterValue(b.Metrics().Rejected.WithLabelValues(reason)); n != 0 {
			t.Fatalf("honest streams counted %v %s rejections", n, reason)
		}
	}
}

// sendUntilRefused sends probes until the sender learns that the peer
// closed its stream, and returns that error.
func sendUntilRefused(t *testing.T, ctx context.Context, a, b *Host, proto string) error {
	t.Helper()
	var err error
	waitFor(t, "the sender learns the stream was closed", 10*time.Second, func() bool {
		err = a.Send(ctx, b.ID(), b.Addr(), proto, []byte("probe"))
		return err != nil
	})
	return err
}

// A frame over the protocol's limit, one the handler refuses, and raw
// garbage each close their stream with a reason the sender reports, are
// counted, and the host goes on serving: the next Send opens a new stream.
func TestHostileOneWayFramesAreRefused(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var log frameLog
	b.HandleStream("feed/1", log.handle)
	b.LimitRequest("feed/1", 100)
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })

	for _, tc := range []struct {
		name, reason, says string
		frame              []byte
	}{
		{"over the protocol's limit", "request_size", "size limit", make([]byte, 101)},
		{"refused by the handler", "frame_refused", "handler refused", []byte("refuse me")},
	} {
		if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1", []byte("before "+tc.name)); err != nil {
			t.Fatal(err)
		}
		if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1", tc.frame); err != nil {
			t.Fatalf("%s: the write itself failed: %v", tc.name, err)
		}
		waitFor(t, tc.name+": counted", 10*time.Second, func() bool {
			return counterValue(b.Metrics().Rejected.WithLabelValues(tc.reason)) == 1
		})
		if err := sendUntilRefused(t, ctx, a, b, "feed/1"); !strings.Contains(err.Error(), tc.says) {
			t.Fatalf("%s: the sender reports %v, want it to say %q", tc.name, err, tc.says)
		}
		if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1", []byte("after "+tc.name)); err != nil {
			t.Fatalf("%s: the next send: %v", tc.name, err)
		}
		waitFor(t, tc.name+": the next frame arrives", 10*time.Second, func() bool { return log.has("after " + tc.name) })
		if !log.has("before " + tc.name) {
			t.Fatalf("%s: the frame before it was lost", tc.name)
		}
	}
	if got, _ := log.got(); slicesContain(got, "refuse me") || slicesContainLen(got, 101) {
		t.Fatalf("a refused frame reached the handler: %q", got)
	}

	// Raw one-way streams from a peer that does not use Send.
	conn, err := rawDial(ctx, a, b.ID(), b.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseWithError(0, "")
	feed := appendStreamProto(nil, "feed/1")
	for _, tc := range []struct {
		name, reason string
		raw          []byte
	}{
		{"empty protocol name", "frame", []byte{0, 0, 0, 0, 1, 'x'}},
		{"protocol name too long", "frame", append([]byte{maxProtoLen + 1}, bytes.Repeat([]byte{'a'}, maxProtoLen+1)...)},
		{"unknown protocol", "proto", appendFrame(appendStreamProto(nil, "nobody/1"), []byte("x"))},
		{"header over the frame limit", "request_size", append(bytes.Clone(feed), 0xff, 0xff, 0xff, 0xff)},
		{"truncated header", "frame", append(bytes.Clone(feed), 0, 0)},
		{"truncated body", "frame", append(bytes.Clone(feed), 0, 0, 0, 9, 'a', 'b')},
	} {
		before := counterValue(b.Metrics().Rejected.WithLabelValues(tc.reason))
		s, err := conn.OpenUniStreamSync(ctx)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		s.Write(tc.raw)
		s.Close()
		waitFor(t, tc.name+": counted", 10*time.Second, func() bool {
			return counterValue(b.Metrics().Rejected.WithLabelValues(tc.reason)) == before+1
		})
	}
	// The host still serves both kinds of traffic.
	if err := a.Send(ctx, b.ID(), b.Addr(), "feed/1", []byte("still served")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a frame after the garbage arrives", 10*time.Second, func() bool { return log.has("still served") })
	if resp, err := a.Call(ctx, b.ID(), b.Addr(), "echo/1", []byte("ok")); err != nil || string(resp) != "ok" {
		t.Fatalf("a call after the garbage: %q %v", resp, err)
	}
	// A protocol the peer does not serve: the sender is told.
	if err := a.Send(ctx, b.ID(), b.Addr(), "nobody/1", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := sendUntilRefused(t, ctx, a, b, "nobody/1"); !strings.Contains(err.Error(), "serves no one-way stream") {
		t.Fatalf("a protocol the peer does not serve: %v", err)
	}
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func slicesContainLen(s []string, n int) bool {
	for _, x := range s {
		if len(x) == n {
			return true
		}
	}
	return false
}

// A peer may keep OneWayStreamsPerConn one-way streams open on a
// connection: a further one waits for credit until one of them ends.
func TestOneWayStreamsPerConnectionAreBounded(t *testing.T) {
	const streams = 2
	key, _ := testKey(t, 2)
	b, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, Limits: Limits{OneWayStreamsPerConn: streams}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a := testHost(t, 1)
	var log frameLog
	for i := range streams + 1 {
		b.HandleStream(fmt.Sprintf("feed/%d", i), log.handle)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := range streams {
		if err := a.Send(ctx, b.ID(), b.Addr(), fmt.Sprintf("feed/%d", i), []byte("open")); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the first streams' frames arrive", 10*time.Second, func() bool {
		got, _ := log.got()
		return len(got) == streams
	})
	short, stop := context.WithTimeout(ctx, 300*time.Millisecond)
	err = a.Send(short, b.ID(), b.Addr(), fmt.Sprintf("feed/%d", streams), []byte("one too many"))
	stop()
	if err == nil || !strings.Contains(err.Error(), "open a one-way stream") {
		t.Fatalf("a stream over the bound: %v, want it to wait for credit and time out", err)
	}
	// Ending one stream gives its credit back.
	if err := a.CloseSend(b.ID(), "feed/0"); err != nil {
		t.Fatal(err)
	}
	if err := a.Send(ctx, b.ID(), b.Addr(), fmt.Sprintf("feed/%d", streams), []byte("now it fits")); err != nil {
		t.Fatalf("after a stream ended: %v", err)
	}
	waitFor(t, "the frame on the new stream arrives", 10*time.Second, func() bool { return log.has("now it fits") })
}

// A sender reopens its stream after the connection drops, after the peer
// restarts from a crash (same key and address, no goodbye: its reset of
// the old connection ends it at the first packet), and after a clean
// restart.
func TestSendReconnects(t *testing.T) {
	keyA, _ := testKey(t, 1)
	a, err := NewHost(HostConfig{Key: keyA, StaticPuzzle: testPuzzle.Static, CallTimeout: 2 * time.Second, DialBackoff: 100 * time.Millisecond, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	keyB, _ := testKey(t, 2)
	var log frameLog
	start := func(addr string) *Host {
		h, err := NewHost(HostConfig{Key: keyB, ListenAddr: addr, StaticPuzzle: testPuzzle.Static, CallTimeout: 2 * time.Second, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		h.HandleStream("feed/1", log.handle)
		return h
	}
	b := start("127.0.0.1:0")
	addr := b.Addr()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// sendUntilArrives sends a frame (a few times: frames written into a
	// connection that is not yet known dead are lost) until it arrives.
	sendUntilArrives := func(what string) {
		t.Helper()
		frame := []byte(what)
		deadline := time.Now().Add(10 * time.Second)
		poll := time.NewTicker(20 * time.Millisecond)
		defer poll.Stop()
		for !log.has(what) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no frame arrived within 10s", what)
			}
			a.Send(ctx, b.ID(), addr, "feed/1", frame)
			<-poll.C
		}
	}
	sendUntilArrives("first")

	// The connection drops (closed by b, without a shutdown notice).
	b.mu.Lock()
	conn := b.conns[a.ID()]
	b.mu.Unlock()
	conn.CloseWithError(0, "dropped for the test")
	sendUntilArrives("after the drop")

	// b crashes: its socket goes away without a goodbye, and it comes back
	// on the same address with the same key.
	b.transport.Conn.Close()
	b.Close()
	b = start(addr)
	sendUntilArrives("after a crash")

	// b restarts cleanly (it announces the shutdown; a backs off briefly).
	b.Close()
	b = start(addr)
	defer b.Close()
	sendUntilArrives("after a clean restart")
	if n := counterValue(a.Metrics().StreamsOpened.WithLabelValues("feed/1")); n < 4 {
		t.Fatalf("%v streams opened, want a new one after each failure", n)
	}
}

// decodeStream reads a one-way stream as serveOneWay does: the protocol
// name, then frames of at most max bytes, until the end or an error.
func decodeStream(raw []byte, max int) (string, [][]byte, error) {
	r := bufio.NewReaderSize(bytes.NewReader(raw), oneWayReadBuffer)
	proto, err := readStreamProto(r)
	if err != nil {
		return "", nil, err
	}
	var frames [][]byte
	for {
		n, err := readStreamFrameHeader(r, max)
		if err == io.EOF {
			return proto, frames, nil
		}
		if err != nil {
			return proto, frames, err
		}
		body, err := readBody(r, n)
		if err != nil {
			return proto, frames, err
		}
		frames = append(frames, body)
	}
}

// FuzzStreamFrames feeds arbitrary bytes to the one-way stream decoder:
// it never returns a frame over the limit, every error is a frame error,
// and what it decoded encodes back to the bytes it read.
func FuzzStreamFrames(f *testing.F) {
	ok := appendFrame(appendFrame(appendStreamProto(nil, "enigma/pbft/2"), []byte("first")), nil)
	f.Add(ok)
	f.Add(appendStreamProto(nil, "kad"))
	f.Add(append(appendStreamProto(nil, "x"), 0xff, 0xff, 0xff, 0xff))
	f.Add(append(appendStreamProto(nil, "x"), 0, 0, 0, 9, 'a'))
	f.Add([]byte{0})
	f.Add([]byte{65, 'a'})
	const limit = 1 << 10
	f.Fuzz(func(t *testing.T, raw []byte) {
		proto, frames, err := decodeStream(raw, limit)
		if err != nil && !errors.Is(err, ErrFrame) {
			t.Fatalf("error %v does not wrap ErrFrame", err)
		}
		if proto == "" {
			if err == nil || len(frames) > 0 {
				t.Fatalf("no protocol name but err %v and %d frames", err, len(frames))
			}
			return
		}
		enc := appendStreamProto(nil, proto)
		for _, fr := range frames {
			if len(fr) > limit {
				t.Fatalf("frame of %d bytes over the %d-byte limit returned", len(fr), limit)
			}
			enc = appendFrame(enc, fr)
		}
		if err == nil && !bytes.Equal(enc, raw) {
			t.Fatalf("stream %x decodes and encodes back as %x", raw, enc)
		}
		if err != nil && !bytes.HasPrefix(raw, enc) {
			t.Fatalf("the frames decoded before the error (%x) are not the start of %x", enc, raw)
		}
	})
}

// Frames longer than directFrame, written from where they are, arrive
// whole and in order among the buffered ones: alone, after a few small
// frames, and after more small frames than one write's head.
func TestSendWritesLargeFramesInPlace(t *testing.T) {
	hosts := make([]*Host, 2)
	for i := range hosts {
		key, _ := testKey(t, uint64(i+1))
		h, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, MaxFrame: 1 << 20, CallTimeout: 5 * time.Second, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		hosts[i] = h
	}
	a, b := hosts[0], hosts[1]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var atB frameLog
	b.HandleStream("bulk/1", atB.handle)
	large := func(n int, c byte) []byte {
		f := bytes.Repeat([]byte{c}, n)
		f[0], f[n-1] = 'A', 'Z' // the ends show a frame cut or shifted
		return f
	}
	small := func(i int) []byte { return []byte(fmt.Sprintf("small %d %s", i, strings.Repeat(".", 100))) }
	sends := [][][]byte{
		{large(directFrame+1, 'a')},
		{small(0), small(1), large(100<<10, 'b'), small(2)},
		{small(3), small(4), small(5), small(6), small(7), small(8), small(9), small(10), small(11), small(12), large(directFrame*3, 'c'), large(directFrame+7, 'd')},
		{large(1<<20, 'e'), small(13)},
	}
	var want []string
	for i, frames := range sends {
		for _, f := range frames {
			want = append(want, string(f))
		}
		if err := a.Send(ctx, b.ID(), b.Addr(), "bulk/1", frames...); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	waitFor(t, "every frame arrives", 10*time.Second, func() bool {
		got, _ := atB.got()
		return len(got) >= len(want)
	})
	got, _ := atB.got()
	if len(got) != len(want) {
		t.Fatalf("%d frames arrived, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frame %d: %d bytes %.12q…, want %d bytes %.12q…", i, len(got[i]), got[i], len(want[i]), want[i])
		}
	}
}
