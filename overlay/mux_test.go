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

// Multiplexed calls share one stream per connection, in both directions,
// and each caller gets its own answer; refusals and handler errors reach
// their caller and leave the stream in use.
func TestMultiplexedCalls(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, h := range []*Host{a, b} {
		h.Multiplex("echo/1")
		h.Multiplex("fail/1")
		h.Multiplex("missing/1")
		h.Handle("echo/1", func(_ context.Context, from identity.NodeID, req []byte) ([]byte, error) {
			return append(from[:], req...), nil
		})
		h.Handle("fail/1", func(context.Context, identity.NodeID, []byte) ([]byte, error) { return nil, errors.New("nope") })
		h.LimitRequest("echo/1", 100)
	}
	// No connection yet: the first calls share one dial, then race to
	// open the multiplexed stream, and must share one — an abandoned
	// second stream would reach b as a reset stream, counted as a bad
	// frame.
	const calls = 200
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		wg.Go(func() {
			req := fmt.Appendf(nil, "call %d", i)
			resp, err := a.Call(ctx, b.ID(), b.Addr(), "echo/1", req)
			if id := a.ID(); err != nil || !bytes.Equal(resp, append(id[:], req...)) {
				errs <- fmt.Errorf("call %d: %q %v", i, resp, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	a.mu.Lock()
	muxes := len(a.muxes)
	var m *muxClient
	for _, m = range a.muxes {
	}
	a.mu.Unlock()
	if muxes != 1 {
		t.Fatalf("%d multiplexed streams after %d calls to one peer, want 1", muxes, calls)
	}
	var remote *RemoteError
	if _, err := a.Call(ctx, b.ID(), "", "fail/1", nil); !errors.As(err, &remote) || remote.Message != "nope" {
		t.Fatalf("handler error: %v", err)
	}
	if _, err := a.Call(ctx, b.ID(), "", "missing/1", []byte("body")); !errors.As(err, &remote) || !strings.Contains(remote.Message, "no handler") {
		t.Fatalf("unknown protocol: %v", err)
	}
	if _, err := a.Call(ctx, b.ID(), "", "echo/1", make([]byte, 101)); !errors.As(err, &remote) || !strings.Contains(remote.Message, "100-byte limit") {
		t.Fatalf("request over the protocol's limit: %v", err)
	}
	for reason, want := range map[string]float64{"proto": 1, "request_size": 1, "frame": 0} {
		if got := counterValue(b.Metrics().Rejected.WithLabelValues(reason)); got != want {
			t.Fatalf("%s: %v rejections counted, want %v", reason, got, want)
		}
	}
	if resp, err := a.Call(ctx, b.ID(), "", "echo/1", []byte("after")); err != nil || !bytes.HasSuffix(resp, []byte("after")) {
		t.Fatalf("after refusals: %q %v", resp, err)
	}
	a.mu.Lock()
	same := a.muxes[m.conn] == m
	a.mu.Unlock()
	if !same {
		t.Fatal("a refusal or handler error replaced the multiplexed stream")
	}
	// b calls a back over the connection a dialled, on a stream of its own.
	if resp, err := b.Call(ctx, a.ID(), "", "echo/1", []byte("back")); err != nil || !bytes.HasSuffix(resp, []byte("back")) {
		t.Fatalf("call back: %q %v", resp, err)
	}
	if dialled, _, _ := b.ConnStats(); dialled != 0 {
		t.Fatalf("b dialled %d connections to call back, want 0", dialled)
	}
}

// A multiplexed stream whose frames are malformed is closed and counted;
// the host and the connection go on serving.
func TestHostileMultiplexedStreams(t *testing.T) {
	a, b := testHost(t, 1), testHost(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b.Handle("echo/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return req, nil })
	conn, err := a.conn(ctx, b.ID(), b.Addr())
	if err != nil {
		t.Fatal(err)
	}
	good := appendMuxRequest(nil, 7, "echo/1", []byte("ok"))
	hostile := [][]byte{
		{0, 0, 0, 3, 1, 2, 3},                      // shorter than a call ID
		{0xff, 0xff, 0xff, 0xff},                   // over the frame limit
		append(good[:12:12], 0, 'x', 'y'),          // protocol name of length zero
		append(good[:12:12], 65, 'x'),              // name longer than the frame
		append(append([]byte(nil), good...), 0, 0), // a good frame, then a cut header
	}
	for i, raw := range hostile {
		s, err := conn.OpenStreamSync(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Write(append(muxOpening[:], raw...)); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s.SetReadDeadline(time.Now().Add(5 * time.Second))
		r := bufio.NewReader(s)
		for {
			n, err := readStreamFrameHeader(r, 1<<12)
			if err != nil {
				break
			}
			frame, err := readBody(r, n)
			if err != nil {
				break
			}
			id, answer, err := splitMuxAnswer(frame)
			if err != nil || id != 7 || !bytes.Equal(answer, append([]byte{statusOK}, "ok"...)) {
				t.Fatalf("hostile stream %d: answer %x (%v)", i, frame, err)
			}
		}
	}
	waitFor(t, "every malformed stream counted", 5*time.Second, func() bool {
		return counterValue(b.Metrics().Rejected.WithLabelValues("frame")) == float64(len(hostile))
	})
	a.Multiplex("echo/1")
	if resp, err := a.Call(ctx, b.ID(), "", "echo/1", []byte("still")); err != nil || string(resp) != "still" {
		t.Fatalf("after hostile streams: %q %v", resp, err)
	}
}

// The requests of a connection's multiplexed streams in progress at once
// are bounded by StreamsPerConn: the next is read only once one is
// answered, so the peer waits instead of the host holding more.
func TestMultiplexedRequestsInProgressAreBounded(t *testing.T) {
	const limit = 4
	key, _ := testKey(t, 2)
	b, err := NewHost(HostConfig{Key: key, StaticPuzzle: testPuzzle.Static, CallTimeout: 20 * time.Second,
		Limits: Limits{StreamsPerConn: limit}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	a := testHost(t, 1)
	a.Multiplex("block/1")
	var (
		mu                    sync.Mutex
		inProgress, most, ran int
	)
	release := make(chan struct{})
	defer close(release) // a failed test leaves no handler blocked
	b.Handle("block/1", func(ctx context.Context, _ identity.NodeID, req []byte) ([]byte, error) {
		mu.Lock()
		inProgress++
		ran++
		most = max(most, inProgress)
		mu.Unlock()
		<-release
		mu.Lock()
		inProgress--
		mu.Unlock()
		return req, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := a.conn(ctx, b.ID(), b.Addr()); err != nil {
		t.Fatal(err)
	}
	const calls = 3 * limit
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			if _, err := a.Call(ctx, b.ID(), b.Addr(), "block/1", []byte{byte(i)}); err != nil {
				t.Error(err)
			}
		})
	}
	for done := 0; done < calls; done++ {
		waitFor(t, "requests in progress", 10*time.Second, func() bool {
			mu.Lock()
			defer mu.Unlock()
			return inProgress >= min(limit, calls-done)
		})
		mu.Lock()
		over := most > limit
		mu.Unlock()
		if over {
			t.Fatalf("%d requests in progress at once, limit %d", most, limit)
		}
		release <- struct{}{}
	}
	wg.Wait()
	if most != limit || ran != calls {
		t.Fatalf("%d requests ran, at most %d at once; want %d, at most %d", ran, most, calls, limit)
	}
}

// muxRequest is one request frame of a multiplexed stream.
type muxRequest struct {
	id    uint64
	proto string
	body  []byte
}

// decodeMuxRequests reads request frames from a multiplexed stream (after
// its opening) as serveMux does, until the end or the first error.
func decodeMuxRequests(raw []byte, limit int) ([]muxRequest, error) {
	r := bufio.NewReader(bytes.NewReader(raw))
	var out []muxRequest
	for {
		n, err := readStreamFrameHeader(r, limit+muxIDLen)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		id, proto, bodyLen, err := readMuxRequestHead(r, n)
		if err != nil {
			return out, err
		}
		body, err := readBody(r, bodyLen)
		if err != nil {
			return out, err
		}
		out = append(out, muxRequest{id, proto, body})
	}
}

// FuzzMuxFrames feeds arbitrary bytes to the multiplexed stream's request
// and answer decoders: nothing over the limit is returned, every error is
// a frame error, and what decoded encodes back to the bytes read.
func FuzzMuxFrames(f *testing.F) {
	two := appendMuxRequest(appendMuxRequest(nil, 1, "kad", []byte("body")), 1<<40, "enigma/x", nil)
	f.Add(two)
	f.Add(appendMuxAnswer(appendMuxAnswer(nil, 3, []byte("answer"), nil), 4, nil, errors.New("refused")))
	f.Add([]byte{0, 0, 0, 3, 1, 2, 3})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add(append(two[:12:12], 0, 'x'))
	const limit = 1 << 10
	f.Fuzz(func(t *testing.T, raw []byte) {
		reqs, err := decodeMuxRequests(raw, limit)
		if err != nil && !errors.Is(err, ErrFrame) {
			t.Fatalf("request error %v does not wrap ErrFrame", err)
		}
		var enc []byte
		for _, q := range reqs {
			if len(q.proto) == 0 || len(q.proto) > maxProtoLen || 1+len(q.proto)+len(q.body) > limit {
				t.Fatalf("request %q of %d bytes returned", q.proto, len(q.body))
			}
			enc = appendMuxRequest(enc, q.id, q.proto, q.body)
		}
		if (err == nil && !bytes.Equal(enc, raw)) || !bytes.HasPrefix(raw, enc) {
			t.Fatalf("requests of %x encode back as %x (%v)", raw, enc, err)
		}
		// The same bytes as answers.
		r := bufio.NewReader(bytes.NewReader(raw))
		enc = enc[:0]
		for {
			n, err := readStreamFrameHeader(r, limit+muxIDLen)
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrFrame) {
					t.Fatalf("answer header error %v does not wrap ErrFrame", err)
				}
				break
			}
			frame, err := readBody(r, n)
			if err != nil {
				break
			}
			id, answer, err := splitMuxAnswer(frame)
			if err != nil {
				if !errors.Is(err, ErrFrame) {
					t.Fatalf("answer error %v does not wrap ErrFrame", err)
				}
				break
			}
			body, err := decodeResponse(answer)
			var remote *RemoteError
			switch {
			case err == nil:
				enc = appendMuxAnswer(enc, id, body, nil)
			case errors.As(err, &remote) && len(remote.Message) <= 1024:
				enc = appendMuxAnswer(enc, id, nil, errors.New(remote.Message))
			case errors.As(err, &remote):
				enc = append(enc, raw[len(enc):len(enc)+4+n]...) // too long to re-encode: the text is cut
			case !errors.Is(err, ErrFrame):
				t.Fatalf("answer status error %v does not wrap ErrFrame", err)
			default:
				enc = append(enc, raw[len(enc):len(enc)+4+n]...)
			}
			if !bytes.HasPrefix(raw, enc) {
				t.Fatalf("answers of %x encode back as %x", raw, enc)
			}
		}
	})
}
