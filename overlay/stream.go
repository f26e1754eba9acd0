package overlay

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/quic-go/quic-go"

	"github.com/enigma-mpc/enigma/identity"
)

// FrameHandler takes one frame of a one-way stream of its protocol. from is
// the authenticated node ID of the sender. The frames of one stream arrive
// in order, one call at a time, and the stream is not read while the
// handler runs: a slow handler slows its sender (QUIC flow control) instead
// of making the host buffer. A returned error closes the stream and is
// counted (frame_refused): return one for input the protocol refuses, not
// for input it merely ignores. ctx ends when the connection or the host
// does.
type FrameHandler = func(ctx context.Context, from identity.NodeID, frame []byte) error

// HandleStream registers fn for the one-way streams of protocol proto,
// replacing any previous handler. A frame larger than the protocol's
// LimitRequest (or the host's MaxFrame) closes its stream.
func (h *Host) HandleStream(proto string, fn FrameHandler) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.streamHandlers[proto] = fn
}

// One-way stream close codes (STOP_SENDING from the receiver, RESET_STREAM
// from the sender).
const (
	streamBadFrame     quic.StreamErrorCode = 4 // a protocol name or frame was malformed or arrived too slowly
	streamOverLimit    quic.StreamErrorCode = 5 // a frame over the protocol's size limit or the connection's buffer
	streamNoHandler    quic.StreamErrorCode = 6 // no handler for the protocol
	streamFrameRefused quic.StreamErrorCode = 7 // the protocol's handler refused a frame
	streamAbandoned    quic.StreamErrorCode = 8 // the sender gave up a write (deadline, cancelled)
)

// streamCloseReason says why a peer closed one of our one-way streams.
func streamCloseReason(code quic.StreamErrorCode) string {
	switch code {
	case streamBadFrame:
		return "it refused a malformed frame"
	case streamOverLimit:
		return "a frame exceeded its size limit for the protocol or its buffer for this connection"
	case streamNoHandler:
		return "it serves no one-way stream of this protocol"
	case streamFrameRefused:
		return "its handler refused a frame (its log and overlay_rejected_total{reason=\"frame_refused\"} say why)"
	}
	return fmt.Sprintf("error code %d", code)
}

// sendKey names one outgoing one-way stream.
type sendKey struct {
	to    identity.NodeID
	proto string
}

// outStream is the long-lived one-way stream of one protocol to one peer;
// mu serializes its writes, so the frames of one Send stay together.
type outStream struct {
	mu     sync.Mutex
	closed bool // CloseSend removed it from the host; Send takes a new one
	conn   *quic.Conn
	stream *quic.SendStream
	named  bool   // the protocol name was written
	buf    []byte // reused for the frames of a write
}

// maxKeptSendBuffer bounds the write buffer an outStream keeps between
// writes; a larger one (many frames) is dropped after its write.
const maxKeptSendBuffer = 64 << 10

// A frame longer than directFrame is written to its stream from where it
// is rather than copied into the write buffer; directHead is how much of
// the buffer, the frame's header and its first bytes, goes in the write
// before it (less than one packet).
const directFrame = 16 << 10

const directHead = 1 << 10

// abandon resets the stream (the peer drops what it did not read) and
// forgets it, so the next write opens a new one.
func (o *outStream) abandon() {
	if o.stream != nil {
		o.stream.CancelWrite(streamAbandoned)
	}
	o.conn, o.stream, o.named = nil, nil, false
}

// Send writes frames, in order, to node to on a long-lived one-way stream
// of protocol proto, and returns without waiting for the peer: there is no
// answer. The first Send to a peer opens the stream (dialling addrHint, or
// the address resolved through the DHT, if there is no connection); a Send
// after the stream or its connection failed opens a new one. A write waits
// only for QUIC flow control (the peer reading slowly) and ends at ctx's
// deadline (the host's CallTimeout if it has none); callers that must not
// block call Send from a goroutine of their own. Delivery is best effort:
// frames that arrive arrive once and in order, but frames written before a
// failure (the peer's restart, a frame it refused) may be lost. Sends to
// the own ID go straight to the local handler.
func (h *Host) Send(ctx context.Context, to identity.NodeID, addrHint, proto string, frames ...[]byte) (err error) {
	defer func() {
		h.cfg.Metrics.Sends.WithLabelValues(proto, outcome(err)).Inc()
		if err == nil {
			h.cfg.Metrics.Frames.WithLabelValues(proto, "sent").Add(float64(len(frames)))
		}
	}()
	if len(proto) == 0 || len(proto) > maxProtoLen {
		return fmt.Errorf("protocol name %q: use 1 to %d bytes", proto, maxProtoLen)
	}
	for _, f := range frames {
		if len(f) > h.cfg.MaxFrame {
			return fmt.Errorf("%s frame of %d bytes exceeds the %d-byte frame limit", proto, len(f), h.cfg.MaxFrame)
		}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.cfg.CallTimeout)
		defer cancel()
	}
	if to == h.id {
		return h.sendSelf(ctx, proto, frames)
	}
	for attempt := 0; ; attempt++ {
		out, err := h.outStream(to, proto)
		if err != nil {
			return err
		}
		out.mu.Lock()
		if out.closed {
			out.mu.Unlock()
			continue
		}
		retry, err := h.sendOn(ctx, out, to, addrHint, proto, frames, attempt)
		out.mu.Unlock()
		if !retry {
			return err
		}
	}
}

// sendOn writes frames to out, opening its stream if it has none. retry
// says the stream was opened earlier and found dead (idle close, peer
// restart) before anything was delivered: once more on a new one.
func (h *Host) sendOn(ctx context.Context, out *outStream, to identity.NodeID, addrHint, proto string, frames [][]byte, attempt int) (retry bool, err error) {
	opened := false
	if out.stream == nil || out.conn.Context().Err() != nil {
		out.abandon()
		conn, err := h.conn(ctx, to, addrHint)
		if err != nil {
			return false, fmt.Errorf("send %s to node %s: %w", proto, to.Short(), err)
		}
		stream, err := conn.OpenUniStreamSync(ctx)
		if err != nil {
			return false, fmt.Errorf("send %s to node %s: open a one-way stream (a host takes %d at most per connection): %w",
				proto, to.Short(), h.cfg.Limits.OneWayStreamsPerConn, err)
		}
		h.cfg.Metrics.StreamsOpened.WithLabelValues(proto).Inc()
		out.conn, out.stream, opened = conn, stream, true
	}
	buf := out.buf[:0]
	if !out.named {
		buf = appendStreamProto(buf, proto)
	}
	deadline, _ := ctx.Deadline()
	stream := out.stream
	stream.SetWriteDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { stream.CancelWrite(streamAbandoned) })
	for _, f := range frames {
		if len(f) <= directFrame {
			buf = appendFrame(buf, f)
			continue
		}
		// A large frame (a pre-prepare's batch) is written from where it
		// is, after the buffered frames, its header and its first bytes
		// (so that the stream does not send a packet of a header alone),
		// instead of being copied into the buffer.
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		head := min(len(f), max(0, directHead-len(buf)))
		buf = append(buf, f[:head]...)
		if _, err = stream.Write(buf); err == nil {
			_, err = stream.Write(f[head:])
		}
		buf = buf[:0]
		if err != nil {
			break
		}
	}
	if err == nil && len(buf) > 0 {
		_, err = stream.Write(buf)
	}
	if cap(buf) <= maxKeptSendBuffer {
		out.buf = buf
	} else {
		out.buf = nil
	}
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err == nil {
		out.named = true
		return false, nil
	}
	out.abandon()
	var serr *quic.StreamError
	if errors.As(err, &serr) && serr.Remote {
		return false, fmt.Errorf("send %s to node %s: the node closed the stream: %s: %w", proto, to.Short(), streamCloseReason(serr.ErrorCode), err)
	}
	if opened || ctx.Err() != nil || attempt > 0 {
		return false, fmt.Errorf("send %s to node %s: %w", proto, to.Short(), err)
	}
	return true, nil
}

// outStream returns the outgoing stream state of proto to to.
func (h *Host) outStream(to identity.NodeID, proto string) (*outStream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("overlay host is closed")
	}
	k := sendKey{to, proto}
	out := h.outStreams[k]
	if out == nil {
		out = &outStream{}
		h.outStreams[k] = out
	}
	return out, nil
}

// CloseSend ends the one-way stream of proto to node to cleanly: the peer
// reads the frames written so far, then the end of the stream. A later Send
// opens a new stream.
func (h *Host) CloseSend(to identity.NodeID, proto string) error {
	h.mu.Lock()
	k := sendKey{to, proto}
	out := h.outStreams[k]
	delete(h.outStreams, k)
	h.mu.Unlock()
	if out == nil {
		return nil
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	out.closed = true
	if out.stream == nil {
		return nil
	}
	err := out.stream.Close()
	out.conn, out.stream = nil, nil
	return err
}

func (h *Host) sendSelf(ctx context.Context, proto string, frames [][]byte) error {
	h.mu.Lock()
	handler := h.streamHandlers[proto]
	h.mu.Unlock()
	if handler == nil {
		return fmt.Errorf("no one-way stream handler for protocol %q on node %s", proto, h.id.Short())
	}
	for _, f := range frames {
		if err := handler(ctx, h.id, f); err != nil {
			return fmt.Errorf("%s frame to this node refused: %w", proto, err)
		}
	}
	return nil
}

// acceptOneWay accepts the one-way streams the peer opens on conn until
// the connection ends. QUIC's stream credit bounds how many are open at
// once (Limits.OneWayStreamsPerConn); serveConn counts a peer that ignores
// it.
func (h *Host) acceptOneWay(from identity.NodeID, conn *quic.Conn, budget *connBudget) {
	defer h.wg.Done()
	for {
		stream, err := conn.AcceptUniStream(h.ctx)
		if err != nil {
			return
		}
		h.wg.Add(1)
		go h.serveOneWay(from, conn, stream, budget)
	}
}

// oneWayReadBuffer is the read buffer of one incoming one-way stream: the
// small frames of one packet are read in one call.
const oneWayReadBuffer = 16 << 10

// serveOneWay reads the frames of one incoming one-way stream and hands
// them to the protocol's handler until the stream ends. Each frame's
// length is checked against the frame limit (the protocol's LimitRequest,
// else MaxFrame) and the connection's budget before its body is read; once
// its header arrived, a frame must arrive whole within CallTimeout. A
// malformed, oversized or refused frame closes the stream with a code the
// sender reports (streamCloseReason) and is counted; the connection and the
// host's other streams go on.
func (h *Host) serveOneWay(from identity.NodeID, conn *quic.Conn, stream *quic.ReceiveStream, budget *connBudget) {
	defer h.wg.Done()
	refuse := func(code quic.StreamErrorCode, reason string, err error) {
		if h.oneWayGone(conn, err) {
			stream.CancelRead(streamAbandoned)
			return
		}
		h.reject(reason, err)
		stream.CancelRead(code)
	}
	stream.SetReadDeadline(h.cfg.Clock.Now().Add(h.cfg.CallTimeout))
	r := bufio.NewReaderSize(stream, oneWayReadBuffer)
	proto, err := readStreamProto(r)
	if err != nil {
		refuse(streamBadFrame, "frame", fmt.Errorf("one-way stream from node %s: %w", from.Short(), err))
		return
	}
	h.mu.Lock()
	handler := h.streamHandlers[proto]
	maxBody, limited := h.maxRequest[proto]
	h.mu.Unlock()
	if handler == nil {
		refuse(streamNoHandler, "proto", fmt.Errorf("no one-way stream handler for protocol %q on node %s (from node %s)", proto, h.id.Short(), from.Short()))
		return
	}
	limit, sizeReason := h.cfg.MaxFrame, "frame"
	if limited && maxBody < limit {
		limit, sizeReason = maxBody, "request_size"
	}
	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	stop := context.AfterFunc(conn.Context(), cancel)
	defer stop()
	stream.SetReadDeadline(time.Time{})
	for {
		n, err := readStreamFrameHeader(r, limit)
		switch {
		case err == io.EOF:
			return // the sender closed the stream
		case errors.Is(err, errOversized):
			refuse(streamOverLimit, sizeReason, fmt.Errorf("%s frame from node %s: %w", proto, from.Short(), err))
			return
		case err != nil:
			refuse(streamBadFrame, "frame", fmt.Errorf("%s stream from node %s: %w", proto, from.Short(), err))
			return
		}
		if err := budget.reserve(from, n); err != nil {
			refuse(streamOverLimit, "conn_buffer", err)
			return
		}
		slow := r.Buffered() < n
		if slow {
			stream.SetReadDeadline(h.cfg.Clock.Now().Add(h.cfg.CallTimeout))
		}
		body, err := readBody(r, n)
		if slow {
			stream.SetReadDeadline(time.Time{})
		}
		if err != nil {
			budget.release(n)
			refuse(streamBadFrame, "frame", fmt.Errorf("%s stream from node %s: %w", proto, from.Short(), err))
			return
		}
		h.cfg.Metrics.Frames.WithLabelValues(proto, "received").Inc()
		err = handler(ctx, from, body)
		budget.release(n)
		if err != nil {
			if ctx.Err() != nil {
				stream.CancelRead(streamAbandoned)
				return
			}
			refuse(streamFrameRefused, "frame_refused", fmt.Errorf("%s frame from node %s: %w", proto, from.Short(), err))
			return
		}
	}
}

// oneWayGone says a read failed because the sender reset the stream, or
// the connection or the host ended: nothing hostile, nothing to count.
func (h *Host) oneWayGone(conn *quic.Conn, err error) bool {
	var (
		serr  *quic.StreamError
		aerr  *quic.ApplicationError
		ierr  *quic.IdleTimeoutError
		rerr  *quic.StatelessResetError
		trErr *quic.TransportError
	)
	return (errors.As(err, &serr) && serr.Remote) || errors.As(err, &aerr) || errors.As(err, &ierr) ||
		errors.As(err, &rerr) || errors.As(err, &trErr) || conn.Context().Err() != nil || h.ctx.Err() != nil
}
