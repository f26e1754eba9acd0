package overlay

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/quic-go/quic-go"

	"github.com/enigma-mpc/enigma/identity"
)

// Multiplex makes this host's calls of protocol proto share one long-lived
// request stream per connection (frame.go describes its frames) instead of
// opening a stream per call. A call on its own stream costs five datagrams
// when the connection is otherwise quiet — the request, the answer, the
// caller's delayed ACK, the MAX_STREAMS that returns the stream's credit
// once that ACK arrived, and its ACK — and a stream's set-up and tear-down
// on both sides; on the shared stream it costs three, the request, the
// answer and the ACK. The price is that answers share the stream's flow
// control and are delivered in order: a large answer delays the ones
// behind it. So it is for protocols of small requests and answers (the
// DHT's kad). Any host serves multiplexed requests of every protocol it
// handles, under the same limits as single ones.
func (h *Host) Multiplex(proto string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.muxProtos[proto] = true
}

// muxReadBuffer is the read buffer of each end of a multiplexed stream:
// a kad frame (a few KiB at most) is read in a few calls. A larger frame's
// body is read past it. Each connection has up to four (a stream each way).
const muxReadBuffer = 4 << 10

// muxClient is this host's multiplexed request stream on one connection.
type muxClient struct {
	h      *Host
	conn   *quic.Conn
	stream *quic.Stream

	wmu    sync.Mutex // serializes writes: one frame per write
	opened bool       // the opening was written
	buf    []byte     // reused for the frames written

	mu      sync.Mutex
	next    uint64
	pending map[uint64]chan muxAnswer
	err     error // set once the stream failed; calls take a new one
}

type muxAnswer struct {
	body []byte
	err  error
}

// muxFor returns the multiplexed stream on conn, opening one if there is
// none or the last one failed.
func (h *Host) muxFor(ctx context.Context, conn *quic.Conn) (*muxClient, error) {
	h.mu.Lock()
	if m := h.muxes[conn]; m != nil {
		h.mu.Unlock()
		return m, nil
	}
	if h.closed {
		h.mu.Unlock()
		return nil, errors.New("overlay host is closed")
	}
	// Opened under the lock, so that concurrent first calls share one
	// stream: a second one, abandoned, would reach the peer as a reset
	// stream it counts as a bad frame. OpenStream does not wait; only when
	// the peer has no stream credit left is the stream opened outside it.
	stream, err := conn.OpenStream()
	if err == nil {
		m := h.startMux(conn, stream)
		h.mu.Unlock()
		return m, nil
	}
	h.mu.Unlock()
	if stream, err = conn.OpenStreamSync(ctx); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if cur := h.muxes[conn]; cur != nil || h.closed {
		// Another call opened one meanwhile (or the host closed): use that.
		stream.CancelRead(streamAbandoned)
		stream.CancelWrite(streamAbandoned)
		if cur == nil {
			return nil, errors.New("overlay host is closed")
		}
		return cur, nil
	}
	return h.startMux(conn, stream), nil
}

// startMux registers stream as conn's multiplexed stream and starts its
// reader. h.mu is held.
func (h *Host) startMux(conn *quic.Conn, stream *quic.Stream) *muxClient {
	m := &muxClient{h: h, conn: conn, stream: stream, pending: map[uint64]chan muxAnswer{}}
	h.muxes[conn] = m
	h.wg.Add(1)
	go m.readAnswers()
	return m
}

// call sends one request and waits for its answer or ctx's end.
func (m *muxClient) call(ctx context.Context, proto string, req []byte) ([]byte, error) {
	ch := make(chan muxAnswer, 1)
	m.mu.Lock()
	if m.err != nil {
		m.mu.Unlock()
		return nil, m.err
	}
	id := m.next
	m.next++
	m.pending[id] = ch
	m.mu.Unlock()
	if err := m.write(ctx, id, proto, req); err != nil {
		// Part of the frame may be on the stream: nothing after it can be
		// read as a frame.
		m.fail(err)
		return nil, err
	}
	select {
	case a := <-ch:
		return a.body, a.err
	case <-ctx.Done():
		m.mu.Lock()
		delete(m.pending, id)
		m.mu.Unlock()
		return nil, ctx.Err()
	}
}

// write writes the request frame of call id, and the stream's opening
// before the first. It waits only for QUIC flow control, until ctx's
// deadline.
func (m *muxClient) write(ctx context.Context, id uint64, proto string, req []byte) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	buf := m.buf[:0]
	if !m.opened {
		buf = append(buf, muxOpening[:]...)
	}
	buf = appendMuxRequest(buf, id, proto, req)
	deadline, _ := ctx.Deadline()
	m.stream.SetWriteDeadline(deadline)
	_, err := m.stream.Write(buf)
	if cap(buf) <= maxKeptSendBuffer {
		m.buf = buf
	} else {
		m.buf = nil
	}
	if err == nil {
		m.opened = true
	}
	return err
}

// readAnswers hands each answer to its call until the stream fails. An
// answer to a call that gave up is dropped. Once an answer's header
// arrived, its body must arrive within CallTimeout.
func (m *muxClient) readAnswers() {
	defer m.h.wg.Done()
	r := bufio.NewReaderSize(m.stream, muxReadBuffer)
	for {
		n, err := readStreamFrameHeader(r, m.h.cfg.MaxFrame+muxIDLen)
		if err != nil {
			m.fail(fmt.Errorf("multiplexed stream: %w", err))
			return
		}
		slow := r.Buffered() < n
		if slow {
			m.stream.SetReadDeadline(m.h.cfg.Clock.Now().Add(m.h.cfg.CallTimeout))
		}
		frame, err := readBody(r, n)
		if slow {
			m.stream.SetReadDeadline(time.Time{})
		}
		if err != nil {
			m.fail(fmt.Errorf("multiplexed stream: %w", err))
			return
		}
		id, answer, err := splitMuxAnswer(frame)
		if err != nil {
			m.h.reject("frame", err)
			m.fail(err)
			return
		}
		body, err := decodeResponse(answer)
		var remote *RemoteError
		if err != nil && !errors.As(err, &remote) {
			m.h.reject("frame", err)
		}
		m.mu.Lock()
		ch := m.pending[id]
		delete(m.pending, id)
		m.mu.Unlock()
		if ch != nil {
			ch <- muxAnswer{body, err}
		}
	}
}

// fail ends the stream: every call waiting on it gets err, and the next
// call opens a new one.
func (m *muxClient) fail(err error) {
	m.mu.Lock()
	if m.err == nil {
		m.err = err
	}
	pending := m.pending
	m.pending = map[uint64]chan muxAnswer{}
	m.mu.Unlock()
	for _, ch := range pending {
		ch <- muxAnswer{err: err}
	}
	m.stream.CancelRead(streamAbandoned)
	m.stream.CancelWrite(streamAbandoned)
	m.h.mu.Lock()
	if m.h.muxes[m.conn] == m {
		delete(m.h.muxes, m.conn)
	}
	m.h.mu.Unlock()
}

// serveMux serves the requests of a multiplexed stream the peer opened,
// each in a goroutine of its own, until the stream ends. What a peer can
// make the host hold is bounded as for single requests: at most
// StreamsPerConn requests of a connection's multiplexed streams are in
// progress at once (the next is not read before one is answered, so a
// peer over it waits on QUIC flow control), each is counted against the
// connection's ConnBuffer from its header until answered, a request whose
// header arrived must arrive whole within CallTimeout, and the protocol's
// LimitRequest and handler are checked before the body is read. A request
// refused for its size, protocol or the buffer is read past without being
// kept and answered with the reason; a malformed frame ends the stream.
func (h *Host) serveMux(from identity.NodeID, conn *quic.Conn, stream *quic.Stream, budget *connBudget) {
	stream.SetDeadline(time.Time{})
	r := bufio.NewReaderSize(stream, muxReadBuffer)
	w := &muxWriter{h: h, stream: stream}
	bad := func(err error) {
		if !h.oneWayGone(conn, err) {
			h.reject("frame", fmt.Errorf("multiplexed stream from node %s: %w", from.Short(), err))
		}
		stream.CancelRead(streamBadFrame)
		stream.CancelWrite(streamBadFrame)
	}
	for {
		n, err := readStreamFrameHeader(r, h.cfg.MaxFrame+muxIDLen)
		if err == io.EOF {
			return // the peer closed the stream
		}
		if err != nil {
			bad(err)
			return
		}
		select {
		case budget.slots <- struct{}{}:
		case <-conn.Context().Done():
			return
		}
		release := func() { <-budget.slots }
		slow := r.Buffered() < n
		if slow {
			stream.SetReadDeadline(h.cfg.Clock.Now().Add(h.cfg.CallTimeout))
		}
		id, proto, bodyLen, err := readMuxRequestHead(r, n)
		if err != nil {
			release()
			bad(err)
			return
		}
		h.mu.Lock()
		handler := h.handlers[proto]
		maxBody, limited := h.maxRequest[proto]
		h.mu.Unlock()
		var refused error
		reason := ""
		switch {
		case handler == nil:
			refused, reason = fmt.Errorf("no handler for protocol %q on node %s", proto, h.id.Short()), "proto"
		case limited && bodyLen > maxBody:
			refused, reason = fmt.Errorf("%w: %s request of %d bytes exceeds the %d-byte limit of that protocol", ErrFrame, proto, bodyLen, maxBody), "request_size"
		default:
			if err := budget.reserve(from, n); err != nil {
				refused, reason = err, "conn_buffer"
			}
		}
		if refused != nil {
			_, err := io.CopyN(io.Discard, r, int64(bodyLen))
			if slow {
				stream.SetReadDeadline(time.Time{})
			}
			release()
			if err != nil {
				bad(fmt.Errorf("%w: body: %w", ErrFrame, err))
				return
			}
			h.reject(reason, refused)
			w.answer(id, nil, refused)
			continue
		}
		body, err := readBody(r, bodyLen)
		if slow {
			stream.SetReadDeadline(time.Time{})
		}
		if err != nil {
			budget.release(n)
			release()
			bad(err)
			return
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			ctx, cancel := context.WithTimeout(h.ctx, h.cfg.CallTimeout)
			resp, err := handler(ctx, from, body)
			cancel()
			h.cfg.Metrics.Served.WithLabelValues(proto, outcome(err)).Inc()
			if err == nil && len(resp)+1 > h.cfg.MaxFrame {
				err = fmt.Errorf("response of %d bytes exceeds the %d-byte frame limit", len(resp), h.cfg.MaxFrame)
			}
			w.answer(id, resp, err)
			budget.release(n)
			release()
		}()
	}
}

// muxWriter writes the answers of one multiplexed stream, one frame per
// write.
type muxWriter struct {
	h      *Host
	stream *quic.Stream
	mu     sync.Mutex
	buf    []byte
	failed bool
}

// answer writes the answer of call id. A write that fails (the peer reads
// no answers within CallTimeout, the stream or connection ended) ends the
// stream: a frame may be cut.
func (w *muxWriter) answer(id uint64, resp []byte, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		return
	}
	buf := appendMuxAnswer(w.buf[:0], id, resp, err)
	w.stream.SetWriteDeadline(w.h.cfg.Clock.Now().Add(w.h.cfg.CallTimeout))
	if _, werr := w.stream.Write(buf); werr != nil {
		w.failed = true
		w.h.log.Debug("write multiplexed answer", "err", werr)
		w.stream.CancelWrite(streamAbandoned)
		w.stream.CancelRead(streamAbandoned)
	}
	if cap(buf) <= maxKeptSendBuffer {
		w.buf = buf
	} else {
		w.buf = nil
	}
}
