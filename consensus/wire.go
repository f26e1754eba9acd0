package consensus

import (
	"fmt"

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
	return signing.Encode(wireMessage{Type: uint8(m.Type), Epoch: m.Epoch, From: m.From, To: m.To, Body: body})
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
		enc, err := signing.Encode(wireMessage{Type: uint8(m.Type), Epoch: m.Epoch, From: m.From, To: m.To, Body: body})
		if err != nil {
			return nil, err
		}
		out[i] = enc
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
	var w wireMessage
	if err := signing.Decode(b, &w, MaxMessageSize); err != nil {
		return Message{}, fmt.Errorf("decode consensus message: %w", err)
	}
	m := Message{Type: MsgType(w.Type), Epoch: w.Epoch, From: w.From, To: w.To}
	var err error
	switch m.Type {
	case MsgPrePrepare:
		m.PrePrepare = new(PrePrepare)
		err = rlp.DecodeBytes(w.Body, m.PrePrepare)
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
