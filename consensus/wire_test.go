package consensus

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/rlp"

	"github.com/enigma-mpc/enigma/signing"
)

// sampleMessages returns one message of every type, taken from a real run.
func sampleMessages(t testing.TB) []Message {
	c := newCluster(t, 4, func(cfg *Config) { cfg.RequestTimeoutTicks = 3 })
	var all []Message
	seen := map[MsgType]bool{}
	keep := func() {
		for _, m := range c.sent {
			if !seen[m.Type] {
				seen[m.Type] = true
				all = append(all, m)
			}
		}
	}
	for ts := uint64(1); ts <= 5; ts++ {
		c.propose(req("w", ts, "payload"))
		keep()
		c.deliver()
	}
	c.crash(0)
	c.propose(req("w", 6, "more"))
	c.tick(1)
	keep()
	for i := 0; i < 12 && len(seen) < 9; i++ {
		for j := 1; j < 4; j++ {
			c.reps[j].Tick()
			c.collect(j)
		}
		keep()
		c.deliver()
	}
	c.restart(0)
	if err := c.reps[1].Step(Message{Type: MsgStateRequest, From: 0, To: 1, StateRequest: &StateRequest{Replica: 0}}); err != nil {
		t.Fatal(err)
	}
	c.collect(1)
	keep()
	return all
}

func TestWireRoundTrip(t *testing.T) {
	msgs := sampleMessages(t)
	types := map[MsgType]bool{}
	for _, m := range msgs {
		enc, err := EncodeMessage(&m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeMessage(enc)
		if err != nil {
			t.Fatalf("%s: %v", m.Type, err)
		}
		again, _ := EncodeMessage(&got)
		if !bytes.Equal(enc, again) {
			t.Fatalf("%s: re-encoding differs", m.Type)
		}
		if got.Type != m.Type || got.From != m.From || !reflect.DeepEqual(got.signable() == nil, m.signable() == nil) {
			t.Fatalf("%s: decoded %+v", m.Type, got)
		}
		types[m.Type] = true
	}
	for _, typ := range []MsgType{MsgPrePrepare, MsgPrepare, MsgCommit, MsgCheckpoint, MsgViewChange, MsgNewView, MsgHeartbeat, MsgStateResponse} {
		if !types[typ] {
			t.Errorf("no %s in the sample", typ)
		}
	}
	if _, err := DecodeMessage([]byte{0xc4, 0x63, 0x01, 0x02, 0xc0}); err == nil {
		t.Error("unknown message type accepted")
	}
}

// FuzzDecodeMessage: the decoder never panics, and whatever it accepts
// re-encodes to the same bytes and can be stepped without a panic.
func FuzzDecodeMessage(f *testing.F) {
	for _, m := range sampleMessages(f) {
		enc, err := EncodeMessage(&m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	f.Add([]byte{0xc0})
	f.Add([]byte{0xc4, 0x02, 0x01, 0x02, 0xc0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeMessage(b)
		if err != nil {
			return
		}
		if pp := m.PrePrepare; pp != nil && (!pp.batchHashed || pp.batchHash != pp.Batch.Digest()) {
			t.Fatalf("the batch as received hashes to %x (set: %v), its digest is %x", pp.batchHash, pp.batchHashed, pp.Batch.Digest())
		}
		again, err := EncodeMessage(&m)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("non-canonical input accepted:\n in  %x\n out %x", b, again)
		}
		c := fuzzReplica(t)
		m.From = 1
		_ = c.Step(m)
	})
}

func fuzzReplica(t *testing.T) *Replica {
	c := newCluster(t, 4, nil)
	return c.reps[0]
}

func TestEncodeMessagesMatchesEncodeMessage(t *testing.T) {
	msgs := sampleMessages(t)
	// A broadcast: copies share their body.
	pp := msgs[0]
	for to := ReplicaID(1); to < 4; to++ {
		m := pp
		m.To = to
		msgs = append(msgs, m)
	}
	encs, err := EncodeMessages(msgs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range msgs {
		want, err := EncodeMessage(&msgs[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(encs[i], want) {
			t.Fatalf("message %d (%s to %d): batch encoding differs from EncodeMessage", i, msgs[i].Type, msgs[i].To)
		}
	}
}

// TestWireEncodingIsRLP: the hand-built envelope is byte for byte the
// reflective RLP encoding of a wireMessage, and splits back to its fields.
func TestWireEncodingIsRLP(t *testing.T) {
	msgs := sampleMessages(t)
	msgs = append(msgs, Message{Type: MsgHeartbeat, Epoch: 1 << 40, From: 1<<32 - 1, To: 200, Heartbeat: &Heartbeat{View: 3, Seq: 4}})
	for _, m := range msgs {
		body, err := encodeBody(&m)
		if err != nil {
			t.Fatal(err)
		}
		want, err := signing.Encode(wireMessage{Type: uint8(m.Type), Epoch: m.Epoch, From: m.From, To: m.To, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		got := encodeWire(&m, body)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: envelope\n got  %x\n want %x", m.Type, got, want)
		}
		w, err := splitWire(got)
		if err != nil {
			t.Fatalf("%s: %v", m.Type, err)
		}
		if w.Type != uint8(m.Type) || w.Epoch != m.Epoch || w.From != m.From || w.To != m.To || !bytes.Equal(w.Body, body) {
			t.Fatalf("%s: split %+v", m.Type, w)
		}
	}
}

// FuzzSplitWire: the envelope parser accepts what signing.Decode accepts
// into a wireMessage, with the same fields, except a body whose own header
// is not canonical (rlp.RawValue takes it, splitWire checks it), which the
// body's decoder refuses anyway (seed 976600fc627f2dca).
func FuzzSplitWire(f *testing.F) {
	for _, m := range sampleMessages(f) {
		enc, err := EncodeMessage(&m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	for _, b := range [][]byte{
		{0xc0}, {0xc4, 0x02, 0x01, 0x02, 0xc0}, {0xc5, 0x02, 0x01, 0x02, 0xc0, 0xc0},
		{0xc6, 0x82, 0x01, 0x00, 0x01, 0x02, 0xc0}, {0xc5, 0x00, 0x01, 0x02, 0x03, 0xc0},
		{0xc5, 0x81, 0x05, 0x01, 0x02, 0xc0}, {0xc5, 0x01, 0x01, 0x02, 0x03, 0x80}, {0xc5, 0x01, 0x01, 0x02, 0x03, 0xc0, 0x00},
		{0xf8, 0x05, 0x01, 0x01, 0x02, 0x03, 0xc0}, {0xc9, 0x01, 0x01, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0xc0},
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want wireMessage
		wantErr := signing.Decode(b, &want, MaxMessageSize)
		got, err := splitWire(b)
		if err != nil && wantErr == nil {
			if _, _, _, splitErr := rlp.Split(want.Body); splitErr != nil {
				return
			}
		}
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%x: splitWire error %v, signing.Decode error %v", b, err, wantErr)
		}
		if err == nil && (got.Type != want.Type || got.Epoch != want.Epoch || got.From != want.From || got.To != want.To || !bytes.Equal(got.Body, want.Body)) {
			t.Fatalf("%x: split %+v, decoded %+v", b, got, want)
		}
	})
}

// TestPrePrepareDecodesIntoOneSlice: DecodeMessage counts a pre-prepare's
// requests first, so the batch is decoded into a slice made once.
func TestPrePrepareDecodesIntoOneSlice(t *testing.T) {
	reqs := make([]Request, 37)
	for i := range reqs {
		reqs[i] = Request{Client: "c", Timestamp: uint64(i + 1), Payload: []byte("p")}
	}
	pp := &PrePrepare{View: 2, Seq: 9, Batch: Batch{Requests: reqs, Context: []byte("ctx")}, Sig: []byte("sig")}
	pp.BatchDigest = pp.Batch.Digest()
	enc, err := EncodeMessage(&Message{Type: MsgPrePrepare, From: 2, To: 1, PrePrepare: pp})
	if err != nil {
		t.Fatal(err)
	}
	m, err := DecodeMessage(enc)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.PrePrepare.Batch.Requests; !reflect.DeepEqual(got, reqs) || cap(got) != len(reqs) {
		t.Fatalf("decoded %d requests into a slice of capacity %d; want the %d sent, in the slice made for them", len(got), cap(got), len(reqs))
	}
	if !m.PrePrepare.batchHashed || m.PrePrepare.batchHash != pp.BatchDigest {
		t.Fatalf("the batch as received hashes to %x (set: %v), want its digest %x", m.PrePrepare.batchHash, m.PrePrepare.batchHashed, pp.BatchDigest)
	}
	// A pre-prepare whose digest does not match its batch is refused by
	// the replica whether it computes the digest or takes it from the wire.
	c := newCluster(t, 4, nil)
	pp.View, pp.Seq = 0, 1
	pp.BatchDigest[0] ^= 1
	bad, err := EncodeMessage(&Message{Type: MsgPrePrepare, From: 0, To: 1, PrePrepare: pp})
	if err != nil {
		t.Fatal(err)
	}
	m, err = DecodeMessage(bad)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.reps[1].Step(m); err == nil || !strings.Contains(err.Error(), "does not match its digest") {
		t.Fatalf("a pre-prepare with a wrong batch digest: %v", err)
	}
}

// FuzzDecodeRequests: the hand-written decoder accepts exactly what the
// reflective RLP decoder accepts into a []Request, with the same values,
// and payloads that cannot grow into the input.
func FuzzDecodeRequests(f *testing.F) {
	for _, reqs := range [][]Request{
		nil,
		{{Client: "c", Timestamp: 1, Payload: []byte("p")}},
		{{Client: "bench-client-7", Timestamp: 1 << 40, Payload: make([]byte, 130)}, {Client: "", Timestamp: 0, Payload: nil}},
	} {
		enc, err := signing.Encode(reqs)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	for _, b := range [][]byte{
		{0xc0}, {0xc1, 0xc0}, {0xc4, 0xc3, 0x80, 0x80, 0x80}, {0xc5, 0xc4, 0x80, 0x80, 0x80, 0x80}, {0xc4, 0xc3, 0x80, 0x00, 0x80},
		{0xc5, 0xc4, 0x80, 0x81, 0x05, 0x80}, {0xc4, 0xc3, 0x80, 0x80, 0xc0}, {0xc4, 0xc3, 0x80, 0x80, 0x80, 0x00}, {0xc3, 0xc2, 0x80, 0x80},
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want []Request
		wantErr := rlp.DecodeBytes(b, &want)
		got, err := DecodeRequests(b, 1<<20)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%x: hand-written decoder says %v, reflective %v", b, err, wantErr)
		}
		if err != nil {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("%x: %d requests, want %d", b, len(got), len(want))
		}
		for i := range got {
			if got[i].Client != want[i].Client || got[i].Timestamp != want[i].Timestamp || !bytes.Equal(got[i].Payload, want[i].Payload) {
				t.Fatalf("%x: request %d is %+v, want %+v", b, i, got[i], want[i])
			}
			if cap(got[i].Payload) != len(got[i].Payload) {
				t.Fatalf("%x: request %d's payload can grow into the input", b, i)
			}
		}
	})
}

func TestDecodeRequestsLimit(t *testing.T) {
	enc, err := signing.Encode([]Request{{Client: "a", Timestamp: 1}, {Client: "b", Timestamp: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeRequests(enc, 1); !errors.Is(err, ErrTooManyRequests) {
		t.Fatalf("two requests with a limit of one: %v", err)
	}
	if got, err := DecodeRequests(enc, 2); err != nil || len(got) != 2 {
		t.Fatalf("two requests with a limit of two: %v, %d", err, len(got))
	}
}

// TestBatchEncodeRLPIsReflective: the hand-written batch encoder writes
// what the reflective encoder makes of the same fields, alone and inside
// the messages and records that carry a batch.
func TestBatchEncodeRLPIsReflective(t *testing.T) {
	type plainBatch Batch // the same fields, without EncodeRLP
	big := make([]byte, 300)
	for _, b := range []Batch{
		{},
		{Context: []byte{}},
		{Requests: []Request{{}}},
		{Requests: []Request{{Client: "c", Timestamp: 1, Payload: []byte{0x05}}}, Context: []byte{0x80}},
		{Requests: []Request{{Client: "bench-client-2047", Timestamp: 1 << 63, Payload: big}, {Client: ClientID(big), Timestamp: 127, Payload: []byte{}}}, Context: big[:55]},
		{Requests: make([]Request, 100), Context: big[:56]},
	} {
		got, err := signing.Encode(&b)
		if err != nil {
			t.Fatal(err)
		}
		want, err := signing.Encode((*plainBatch)(&b))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("batch of %d requests:\n got  %x\n want %x", len(b.Requests), got, want)
		}
		if byValue, err := signing.Encode(b); err != nil || !bytes.Equal(byValue, want) {
			t.Fatalf("batch of %d requests encoded by value: %x, %v", len(b.Requests), byValue, err)
		}
		var back Batch
		if err := signing.Decode(got, &back, len(got)); err != nil || len(back.Requests) != len(b.Requests) {
			t.Fatalf("batch of %d requests decodes to %d: %v", len(b.Requests), len(back.Requests), err)
		}
	}
}
