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
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrFrame, err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if uint64(n) > uint64(max) {
		return nil, fmt.Errorf("%w: %d bytes exceeds the %d-byte limit", ErrFrame, n, max)
	}
	// Grow with the bytes that actually arrive instead of allocating the
	// announced size up front: a peer announcing many large frames on
	// parallel streams costs us only what its flow-control window lets in.
	buf, err := io.ReadAll(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, fmt.Errorf("%w: body: %w", ErrFrame, err)
	}
	if len(buf) != int(n) {
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

// decodeRequest splits a request frame into protocol name and body.
func decodeRequest(frame []byte) (proto string, body []byte, err error) {
	if len(frame) < 1 {
		return "", nil, fmt.Errorf("%w: empty request", ErrFrame)
	}
	n := int(frame[0])
	if n == 0 || n > maxProtoLen || len(frame) < 1+n {
		return "", nil, fmt.Errorf("%w: protocol name of %d bytes in a %d-byte frame", ErrFrame, n, len(frame))
	}
	return string(frame[1 : 1+n]), frame[1+n:], nil
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
