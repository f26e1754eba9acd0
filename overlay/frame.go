package overlay

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFrame marks a malformed or oversized frame.
var ErrFrame = errors.New("bad frame")

// maxProtoLen bounds a protocol name.
const maxProtoLen = 64

// Response status bytes.
const (
	statusOK    byte = 0
	statusError byte = 1
)

// writeFrame writes a 4-byte big-endian length and the payload.
func writeFrame(w io.Writer, payload []byte) error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// readFrame reads one frame, refusing lengths above max before allocating.
func readFrame(r io.Reader, max int) ([]byte, error) {
	n, err := readFrameHeader(r, max)
	if err != nil {
		return nil, err
	}
	return readBody(r, n)
}

// readFrameHeader reads a frame's length and refuses it above max.
func readFrameHeader(r io.Reader, max int) (int, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, fmt.Errorf("%w: header: %w", ErrFrame, err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if uint64(n) > uint64(max) {
		return 0, fmt.Errorf("%w: %d bytes exceeds the %d-byte limit", ErrFrame, n, max)
	}
	return int(n), nil
}

// readBody reads n bytes. The buffer grows with the bytes that actually
// arrive, never past n, instead of being allocated at n up front: a peer
// announcing large frames costs only what it sends.
func readBody(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, 64<<10))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(n, 2*cap(buf)))
			copy(grown, buf)
			buf = grown
		}
		m, err := r.Read(buf[len(buf):min(n, cap(buf))])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: body: %w", ErrFrame, err)
		}
	}
	if len(buf) != n {
		return nil, fmt.Errorf("%w: body ends after %d of %d bytes", ErrFrame, len(buf), n)
	}
	return buf, nil
}

// encodeRequest lays out a request frame: name length, name, body.
func encodeRequest(proto string, body []byte) ([]byte, error) {
	if len(proto) == 0 || len(proto) > maxProtoLen {
		return nil, fmt.Errorf("protocol name %q: use 1 to %d bytes", proto, maxProtoLen)
	}
	out := make([]byte, 0, 1+len(proto)+len(body))
	out = append(out, byte(len(proto)))
	out = append(out, proto...)
	return append(out, body...), nil
}

// readProto reads the protocol name at the start of a request frame of n
// bytes and returns it with the length of the body that follows.
func readProto(r io.Reader, n int) (string, int, error) {
	if n < 1 {
		return "", 0, fmt.Errorf("%w: empty request", ErrFrame)
	}
	var name [1 + maxProtoLen]byte
	if _, err := io.ReadFull(r, name[:1]); err != nil {
		return "", 0, fmt.Errorf("%w: protocol name: %w", ErrFrame, err)
	}
	l := int(name[0])
	if l == 0 || l > maxProtoLen || n < 1+l {
		return "", 0, fmt.Errorf("%w: protocol name of %d bytes in a %d-byte frame", ErrFrame, l, n)
	}
	if _, err := io.ReadFull(r, name[1:1+l]); err != nil {
		return "", 0, fmt.Errorf("%w: protocol name: %w", ErrFrame, err)
	}
	return string(name[1 : 1+l]), n - 1 - l, nil
}

// decodeResponse splits a response frame into its status and body; an error
// status carries the remote error text.
func decodeResponse(frame []byte) ([]byte, error) {
	if len(frame) < 1 {
		return nil, fmt.Errorf("%w: empty response", ErrFrame)
	}
	switch frame[0] {
	case statusOK:
		return frame[1:], nil
	case statusError:
		return nil, &RemoteError{Message: string(frame[1:])}
	}
	return nil, fmt.Errorf("%w: response status %d", ErrFrame, frame[0])
}

// RemoteError is an error the peer's handler returned.
type RemoteError struct{ Message string }

func (e *RemoteError) Error() string { return "peer: " + e.Message }

// A one-way stream (Host.Send) opens with its protocol name, one length
// byte and the name, and then carries frames, each a 4-byte big-endian
// length and the payload, until the sender's FIN.

// errOversized marks a frame whose header announces more than the limit.
var errOversized = errors.New("oversized")

// appendStreamProto appends the opening of a one-way stream of proto (a
// name of 1 to maxProtoLen bytes).
func appendStreamProto(buf []byte, proto string) []byte {
	buf = append(buf, byte(len(proto)))
	return append(buf, proto...)
}

// appendFrame appends one frame: its length, then the payload.
func appendFrame(buf, payload []byte) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(payload)))
	return append(buf, payload...)
}

// readStreamProto reads the protocol name that opens a one-way stream.
func readStreamProto(r io.Reader) (string, error) {
	var name [1 + maxProtoLen]byte
	if _, err := io.ReadFull(r, name[:1]); err != nil {
		return "", fmt.Errorf("%w: protocol name: %w", ErrFrame, err)
	}
	l := int(name[0])
	if l == 0 || l > maxProtoLen {
		return "", fmt.Errorf("%w: protocol name of %d bytes (1 to %d)", ErrFrame, l, maxProtoLen)
	}
	if _, err := io.ReadFull(r, name[1:1+l]); err != nil {
		return "", fmt.Errorf("%w: protocol name: %w", ErrFrame, err)
	}
	return string(name[1 : 1+l]), nil
}

// readStreamFrameHeader reads the length of a one-way stream's next frame.
// It returns io.EOF, unwrapped, when the stream ends cleanly before the
// header, and an error wrapping ErrFrame and errOversized when the length
// exceeds max.
func readStreamFrameHeader(r io.Reader, max int) (int, error) {
	var hdr [4]byte
	if n, err := io.ReadFull(r, hdr[:]); err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("%w: header: %w", ErrFrame, err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if uint64(n) > uint64(max) {
		return 0, fmt.Errorf("%w: %w: %d bytes exceeds the %d-byte limit", ErrFrame, errOversized, n, max)
	}
	return int(n), nil
}

// A multiplexed request stream (Host.Multiplex) opens with a frame header
// of length zero, which no single request has, and then carries request
// frames `[4-byte len][8-byte call ID][proto-name len][name][body]` one
// after another; the answers come back on the same stream, in any order, as
// `[4-byte len][8-byte call ID][status][body or error text]`. The length
// counts everything after it.

// muxIDLen is the length of a multiplexed frame's call ID.
const muxIDLen = 8

// muxOpening opens a multiplexed request stream.
var muxOpening = [4]byte{}

// appendMuxRequest appends one request frame of a multiplexed stream.
func appendMuxRequest(buf []byte, id uint64, proto string, body []byte) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(muxIDLen+1+len(proto)+len(body)))
	buf = binary.BigEndian.AppendUint64(buf, id)
	buf = append(buf, byte(len(proto)))
	buf = append(buf, proto...)
	return append(buf, body...)
}

// appendMuxAnswer appends the answer frame of call id: the handler's
// result, or its error's text (at most 1 KiB).
func appendMuxAnswer(buf []byte, id uint64, resp []byte, err error) []byte {
	if err != nil {
		msg := err.Error()
		if len(msg) > 1024 {
			msg = msg[:1024]
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(muxIDLen+1+len(msg)))
		buf = binary.BigEndian.AppendUint64(buf, id)
		buf = append(buf, statusError)
		return append(buf, msg...)
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(muxIDLen+1+len(resp)))
	buf = binary.BigEndian.AppendUint64(buf, id)
	buf = append(buf, statusOK)
	return append(buf, resp...)
}

// readMuxRequestHead reads the call ID and the protocol name at the start
// of a multiplexed request frame of n bytes and returns them with the
// length of the body that follows.
func readMuxRequestHead(r io.Reader, n int) (uint64, string, int, error) {
	if n < muxIDLen {
		return 0, "", 0, fmt.Errorf("%w: multiplexed request of %d bytes", ErrFrame, n)
	}
	var id [muxIDLen]byte
	if _, err := io.ReadFull(r, id[:]); err != nil {
		return 0, "", 0, fmt.Errorf("%w: call ID: %w", ErrFrame, err)
	}
	proto, bodyLen, err := readProto(r, n-muxIDLen)
	return binary.BigEndian.Uint64(id[:]), proto, bodyLen, err
}

// splitMuxAnswer splits a multiplexed answer frame (what follows its
// length) into its call ID and the answer, a status byte and its body, as
// decodeResponse reads it.
func splitMuxAnswer(frame []byte) (uint64, []byte, error) {
	if len(frame) < muxIDLen+1 {
		return 0, nil, fmt.Errorf("%w: multiplexed answer of %d bytes", ErrFrame, len(frame))
	}
	return binary.BigEndian.Uint64(frame), frame[muxIDLen:], nil
}
