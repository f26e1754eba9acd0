package consensus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/enigma-mpc/enigma/signing"
)

// MaxMessageSize bounds an encoded message accepted from the network. A
// state response carries a snapshot, so it is large; transports may set a
// lower limit for other types.
const MaxMessageSize = 64 << 20

type wireMessage struct {
	Type     uint8
	Epoch    uint64
	From, To ReplicaID
	Body     rlp.RawValue
}

// EncodeMessage returns the canonical wire encoding of m: the RLP list
// [type, epoch, from, to, body].
func EncodeMessage(m *Message) ([]byte, error) {
	body, err := encodeBody(m)
	if err != nil {
		return nil, err
	}
	return encodeWire(m, body), nil
}

// EncodeMessages encodes a Ready's messages (see EncodeMessage). The copies
// of a broadcast share one body, which is encoded once: a pre-prepare
// carries its whole batch.
func EncodeMessages(msgs []Message) ([][]byte, error) {
	out := make([][]byte, len(msgs))
	bodies := make(map[Signable][]byte)
	for i := range msgs {
		m := &msgs[i]
		shared := m.signable()
		body, ok := bodies[shared]
		if !ok || shared == nil {
			var err error
			if body, err = encodeBody(m); err != nil {
				return nil, err
			}
			if shared != nil {
				bodies[shared] = body
			}
		}
		out[i] = encodeWire(m, body)
	}
	return out, nil
}

func encodeBody(m *Message) ([]byte, error) {
	var body any
	switch m.Type {
	case MsgPrePrepare:
		body = m.PrePrepare
	case MsgPrepare:
		body = m.Prepare
	case MsgCommit:
		body = m.Commit
	case MsgCheckpoint:
		body = m.Checkpoint
	case MsgViewChange:
		body = m.ViewChange
	case MsgNewView:
		body = m.NewView
	case MsgHeartbeat:
		body = m.Heartbeat
	case MsgStateRequest:
		body = m.StateRequest
	case MsgStateResponse:
		body = m.StateResponse
	default:
		return nil, fmt.Errorf("encode message: unknown type %d", m.Type)
	}
	enc, err := signing.Encode(body)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", m.Type, err)
	}
	return enc, nil
}

// DecodeMessage parses a message from the network. It enforces
// MaxMessageSize and the canonical encoding; it checks no signature (Step
// does).
func DecodeMessage(b []byte) (Message, error) {
	w, err := splitWire(b)
	if err != nil {
		return Message{}, fmt.Errorf("decode consensus message: %w", err)
	}
	m := Message{Type: MsgType(w.Type), Epoch: w.Epoch, From: w.From, To: w.To}
	switch m.Type {
	case MsgPrePrepare:
		m.PrePrepare, err = decodePrePrepare(w.Body)
	case MsgPrepare:
		m.Prepare = new(Prepare)
		err = rlp.DecodeBytes(w.Body, m.Prepare)
	case MsgCommit:
		m.Commit = new(Commit)
		err = rlp.DecodeBytes(w.Body, m.Commit)
	case MsgCheckpoint:
		m.Checkpoint = new(Checkpoint)
		err = rlp.DecodeBytes(w.Body, m.Checkpoint)
	case MsgViewChange:
		m.ViewChange = new(ViewChange)
		err = rlp.DecodeBytes(w.Body, m.ViewChange)
	case MsgNewView:
		m.NewView = new(NewView)
		err = rlp.DecodeBytes(w.Body, m.NewView)
	case MsgHeartbeat:
		m.Heartbeat = new(Heartbeat)
		err = rlp.DecodeBytes(w.Body, m.Heartbeat)
	case MsgStateRequest:
		m.StateRequest = new(StateRequest)
		err = rlp.DecodeBytes(w.Body, m.StateRequest)
	case MsgStateResponse:
		m.StateResponse = new(StateResponse)
		err = rlp.DecodeBytes(w.Body, m.StateResponse)
	default:
		return Message{}, fmt.Errorf("decode consensus message: unknown type %d", w.Type)
	}
	if err != nil {
		return Message{}, fmt.Errorf("decode %s: %w", m.Type, err)
	}
	return m, nil
}

// encodeWire returns the RLP list [type, epoch, from, to, body] around an
// encoded body, byte for byte what signing.Encode makes of a wireMessage
// (TestWireEncodingIsRLP), built by hand: the reflective encoder writes
// the body into its buffer and copies it out again, and a pre-prepare's
// body is its whole batch, copied once per recipient.
func encodeWire(m *Message, body []byte) []byte {
	var head [4 * 9]byte
	fields := rlp.AppendUint64(head[:0], uint64(m.Type))
	fields = rlp.AppendUint64(fields, m.Epoch)
	fields = rlp.AppendUint64(fields, uint64(m.From))
	fields = rlp.AppendUint64(fields, uint64(m.To))
	n := len(fields) + len(body)
	out := make([]byte, 0, int(rlp.ListSize(uint64(n))))
	if n < 56 {
		out = append(out, 0xc0+byte(n))
	} else {
		size := binary.BigEndian.AppendUint64(nil, uint64(n))
		for size[0] == 0 {
			size = size[1:]
		}
		out = append(out, 0xf7+byte(len(size)))
		out = append(out, size...)
	}
	out = append(out, fields...)
	return append(out, body...)
}

// splitWire parses the envelope [type, epoch, from, to, body] with the
// rules signing.Decode applies to a wireMessage (size limit, canonical
// sizes and integers, integers within their types, exactly five elements,
// no trailing bytes), but leaves the body where it is: decoding it into an
// rlp.RawValue would copy it, a whole batch for a pre-prepare, only for
// the body's own decoder to copy its fields out again.
func splitWire(b []byte) (wireMessage, error) {
	var w wireMessage
	if len(b) > MaxMessageSize {
		return w, fmt.Errorf("%d bytes exceeds the limit of %d", len(b), MaxMessageSize)
	}
	content, rest, err := rlp.SplitList(b)
	if err != nil {
		return w, err
	}
	if len(rest) > 0 {
		return w, rlp.ErrMoreThanOneValue
	}
	next := func(max uint64) (uint64, error) {
		if len(content) == 0 {
			return 0, errors.New("envelope has too few elements")
		}
		x, tail, err := rlp.SplitUint64(content)
		if err != nil {
			return 0, err
		}
		if x > max {
			return 0, fmt.Errorf("envelope integer %d overflows its type", x)
		}
		content = tail
		return x, nil
	}
	typ, err := next(math.MaxUint8)
	if err != nil {
		return w, err
	}
	if w.Epoch, err = next(math.MaxUint64); err != nil {
		return w, err
	}
	from, err := next(math.MaxUint32)
	if err != nil {
		return w, err
	}
	to, err := next(math.MaxUint32)
	if err != nil {
		return w, err
	}
	w.Type, w.From, w.To = uint8(typ), ReplicaID(from), ReplicaID(to)
	if len(content) == 0 {
		return w, errors.New("envelope has too few elements")
	}
	_, _, tail, err := rlp.Split(content)
	if err != nil {
		return w, err
	}
	if len(tail) > 0 {
		return w, errors.New("envelope has too many elements")
	}
	w.Body = content
	return w, nil
}

// maxPresized bounds the requests a decoder makes room for before it
// decodes them (a count of tiny values must not allocate much).
const maxPresized = 4096

// ErrTooManyRequests: a list of requests is longer than its decoder's
// limit.
var ErrTooManyRequests = errors.New("too many requests")

// DecodeRequests decodes the canonical RLP list of requests [[client,
// timestamp, payload], …] (a batch's requests; a ledger submission's
// commands have the same shape) of at most maxLen requests. It accepts
// what the reflective decoder accepts into a []Request, with the same
// values (FuzzDecodeRequests), but walks the list once without reflection,
// and each payload is a subslice of b rather than a copy: b must not change
// while the requests live.
func DecodeRequests(b []byte, maxLen int) ([]Request, error) {
	content, rest, err := rlp.SplitList(b)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, rlp.ErrMoreThanOneValue
	}
	return decodeRequestList(content, maxLen)
}

// decodeRequestList decodes the content of a list of requests (see
// DecodeRequests).
func decodeRequestList(content []byte, maxLen int) ([]Request, error) {
	n, err := rlp.CountValues(content)
	if err != nil {
		return nil, err
	}
	if n > maxLen {
		return nil, fmt.Errorf("%d requests, more than %d: %w", n, maxLen, ErrTooManyRequests)
	}
	reqs := make([]Request, 0, min(n, maxPresized))
	for len(content) > 0 {
		var fields []byte
		if fields, content, err = rlp.SplitList(content); err != nil {
			return nil, fmt.Errorf("request %d: %w", len(reqs), err)
		}
		var r Request
		client, fields, err := splitBytes(fields)
		if err == nil {
			r.Client = ClientID(client)
			r.Timestamp, fields, err = rlp.SplitUint64(fields)
		}
		if err == nil {
			r.Payload, fields, err = splitBytes(fields)
		}
		if err == nil && len(fields) > 0 {
			err = errTooManyFields
		}
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", len(reqs), err)
		}
		reqs = append(reqs, r)
	}
	return reqs, nil
}

var errTooManyFields = errors.New("list has too many elements")

// splitBytes splits off an RLP byte string; its content is a subslice of b
// with no room to append into b.
func splitBytes(b []byte) (content, rest []byte, err error) {
	content, rest, err = rlp.SplitString(b)
	return content[:len(content):len(content)], rest, err
}

// decodePrePrepare decodes a pre-prepare body [view, seq, digest,
// [requests, context], sig] by hand, with the rules of the reflective
// decoder (FuzzDecodeMessage checks that what it accepts re-encodes to the
// same bytes), and hashes the batch as it arrived: the decoder accepts only
// canonical encodings, so that is Batch.Digest() without encoding the
// batch again. The batch's payloads are subslices of body.
func decodePrePrepare(body []byte) (*PrePrepare, error) {
	c, rest, err := rlp.SplitList(body)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, rlp.ErrMoreThanOneValue
	}
	pp := new(PrePrepare)
	if pp.View, c, err = rlp.SplitUint64(c); err != nil {
		return nil, fmt.Errorf("view: %w", err)
	}
	if pp.Seq, c, err = rlp.SplitUint64(c); err != nil {
		return nil, fmt.Errorf("seq: %w", err)
	}
	digest, c, err := rlp.SplitString(c)
	if err != nil {
		return nil, fmt.Errorf("batch digest: %w", err)
	}
	if len(digest) != len(pp.BatchDigest) {
		return nil, fmt.Errorf("batch digest of %d bytes, not %d", len(digest), len(pp.BatchDigest))
	}
	copy(pp.BatchDigest[:], digest)
	atBatch := c
	batch, c, err := rlp.SplitList(c)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	pp.batchHash, pp.batchHashed = Digest(crypto.Keccak256Hash(atBatch[:len(atBatch)-len(c)])), true
	reqs, batch, err := rlp.SplitList(batch)
	if err != nil {
		return nil, fmt.Errorf("batch requests: %w", err)
	}
	if pp.Batch.Requests, err = decodeRequestList(reqs, math.MaxInt); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	if pp.Batch.Context, batch, err = splitBytes(batch); err != nil {
		return nil, fmt.Errorf("batch context: %w", err)
	}
	if len(batch) > 0 {
		return nil, fmt.Errorf("batch: %w", errTooManyFields)
	}
	if pp.Sig, c, err = splitBytes(c); err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	if len(c) > 0 {
		return nil, errTooManyFields
	}
	return pp, nil
}
