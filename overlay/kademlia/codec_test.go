package kademlia

import (
	"bytes"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/signing"
)

// randomBytes returns a byte string whose length and first byte fall on
// the edges of RLP's encodings: empty, one byte below and above 0x80, 55
// and 56 bytes (the short and long headers), 256 (a two-byte size).
func randomBytes(r *randsrc.Rand) []byte {
	n := []int{0, 1, 1, 2, 32, 55, 56, 64, 255, 256, 1000}[r.IntN(11)]
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint64())
	}
	if n == 1 && r.IntN(2) == 0 {
		b[0] &= 0x7f
	}
	return b
}

// randomUint returns an integer of a random byte length, zero included.
func randomUint(r *randsrc.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return 0
	case 1:
		return uint64(r.IntN(0x80))
	default:
		return r.Uint64() >> (8 * r.IntN(8))
	}
}

func randomContact(r *randsrc.Rand) SignedContact {
	sc := SignedContact{PubKey: randomBytes(r), Addr: string(randomBytes(r)), Stamp: randomUint(r), Sig: randomBytes(r)}
	sc.Puzzle = randomID(r)
	return sc
}

func randomContacts(r *randsrc.Rand) []SignedContact {
	out := make([]SignedContact, r.IntN(MaxContactsPerAnswer+1))
	for i := range out {
		out[i] = randomContact(r)
	}
	return out
}

func randomBody(r *randsrc.Rand) any {
	switch r.IntN(6) {
	case 0:
		return FindBody{Target: randomID(r)}
	case 1:
		return NodesBody{Contacts: randomContacts(r)}
	case 2:
		return ValueBody{Found: r.IntN(2) == 0, Value: randomBytes(r), Contacts: randomContacts(r)}
	case 3:
		return StoreBody{Key: randomID(r), Value: randomBytes(r)}
	case 4:
		return StoredBody{Stored: r.IntN(2) == 0, Reason: string(randomBytes(r))}
	default:
		return emptyBody{}
	}
}

func sameContact(a, b SignedContact) bool {
	return bytes.Equal(a.PubKey, b.PubKey) && a.Addr == b.Addr && a.Stamp == b.Stamp && a.Puzzle == b.Puzzle && bytes.Equal(a.Sig, b.Sig)
}

func sameContacts(a, b []SignedContact) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameContact(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameMessage(a, b *Message) bool {
	return a.Type == b.Type && sameContact(a.From, b.From) && a.To == b.To && a.Nonce == b.Nonce && a.InReplyTo == b.InReplyTo &&
		a.Time == b.Time && bytes.Equal(a.Body, b.Body) && bytes.Equal(a.Sig, b.Sig)
}

// TestCodecMatchesRLP: random messages, bodies and contacts, hand-encoded,
// are byte for byte their reflective RLP encoding, and decode back to
// themselves; what was signed covers the same bytes.
func TestCodecMatchesRLP(t *testing.T) {
	r := randsrc.New(19)
	for i := range 2000 {
		body := randomBody(r)
		got, err := encodeBody(body)
		if err != nil {
			t.Fatal(err)
		}
		want, err := signing.Encode(body)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%d: %T body\n got  %x\n want %x", i, body, got, want)
		}
		m := &Message{Body: got}
		switch body := body.(type) {
		case FindBody:
			var v FindBody
			if err := DecodeBody(m, &v); err != nil || v != body {
				t.Fatalf("%d: find body %+v %v", i, v, err)
			}
		case NodesBody:
			var v NodesBody
			if err := DecodeBody(m, &v); err != nil || !sameContacts(v.Contacts, body.Contacts) {
				t.Fatalf("%d: nodes body %v", i, err)
			}
		case ValueBody:
			var v ValueBody
			if err := DecodeBody(m, &v); err != nil || v.Found != body.Found || !bytes.Equal(v.Value, body.Value) || !sameContacts(v.Contacts, body.Contacts) {
				t.Fatalf("%d: value body %v", i, err)
			}
		case StoreBody:
			var v StoreBody
			if err := DecodeBody(m, &v); err != nil || v.Key != body.Key || !bytes.Equal(v.Value, body.Value) {
				t.Fatalf("%d: store body %v", i, err)
			}
		case StoredBody:
			var v StoredBody
			if err := DecodeBody(m, &v); err != nil || v != body {
				t.Fatalf("%d: stored body %+v %v", i, v, err)
			}
		}

		sc := randomContact(r)
		if got, want := encodeContactPayload(&sc), mustEncode(t, contactPayload{PubKey: sc.PubKey, Addr: sc.Addr, Stamp: sc.Stamp, Puzzle: sc.Puzzle}); !bytes.Equal(got, want) {
			t.Fatalf("%d: contact payload\n got  %x\n want %x", i, got, want)
		}
		p := messagePayload{Type: MsgType(randomUint(r)), From: sc, To: randomID(r), Time: randomUint(r), Body: got}
		copy(p.Nonce[:], randomBytes(r))
		copy(p.InReplyTo[:], randomBytes(r))
		sig := randomBytes(r)
		if got, want := encodeMessage(&p, nil, false), mustEncode(t, p); !bytes.Equal(got, want) {
			t.Fatalf("%d: message payload\n got  %x\n want %x", i, got, want)
		}
		full := Message{Type: p.Type, From: p.From, To: p.To, Nonce: p.Nonce, InReplyTo: p.InReplyTo, Time: p.Time, Body: p.Body, Sig: sig}
		enc := encodeMessage(&p, sig, true)
		if want := mustEncode(t, full); !bytes.Equal(enc, want) {
			t.Fatalf("%d: message\n got  %x\n want %x", i, enc, want)
		}
		var back Message
		if err := decodeMessage(enc, &back); err != nil || !sameMessage(&back, &full) {
			t.Fatalf("%d: message decoded to %+v, %v", i, back, err)
		}
	}
}

func mustEncode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := signing.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Decoded byte strings do not share memory they could overwrite: appending
// to one leaves the next as it was.
func TestDecodedContactsDoNotOverlap(t *testing.T) {
	r := randsrc.New(3)
	body := NodesBody{Contacts: []SignedContact{randomContact(r), randomContact(r)}}
	enc, err := encodeBody(body)
	if err != nil {
		t.Fatal(err)
	}
	var v NodesBody
	if err := DecodeBody(&Message{Body: enc}, &v); err != nil {
		t.Fatal(err)
	}
	_ = append(v.Contacts[0].PubKey, 0xff, 0xff, 0xff)
	_ = append(v.Contacts[0].Sig, 0xff, 0xff, 0xff)
	if !sameContacts(v.Contacts, body.Contacts) {
		t.Fatal("appending to a decoded contact's key or signature changed another field")
	}
}

// A contact list longer than an answer may carry is refused while
// decoding; the reflective decoder took it and Answer refused it after.
func TestContactListBounded(t *testing.T) {
	r := randsrc.New(4)
	contacts := make([]SignedContact, MaxContactsPerAnswer+1)
	for i := range contacts {
		contacts[i] = randomContact(r)
	}
	enc, err := encodeBody(NodesBody{Contacts: contacts})
	if err != nil {
		t.Fatal(err)
	}
	var v NodesBody
	if err := DecodeBody(&Message{Body: enc}, &v); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("%d contacts: %v", len(contacts), err)
	}
}

// FuzzDecodeMessage: the message decoder accepts exactly what the
// reflective RLP decoder accepts into a Message, with the same fields.
func FuzzDecodeMessage(f *testing.F) {
	addRequestSeeds(f)
	f.Add([]byte{0xc8, 0x01, 0xc0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want, got Message
		wantErr := signing.Decode(raw, &want, MaxMessageSize)
		err := decodeMessage(raw, &got)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%x: decodeMessage error %v, rlp error %v", raw, err, wantErr)
		}
		if err == nil && !sameMessage(&got, &want) {
			t.Fatalf("%x: decoded %+v, rlp %+v", raw, got, want)
		}
	})
}
