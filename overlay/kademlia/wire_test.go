package kademlia

import (
	"bytes"
	"errors"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/signing"
)

const t0 = Time(1_800_000_000_000)

func testProtocol(t testing.TB, seed uint64, addr string) *Protocol {
	t.Helper()
	key, x := testKey(seed)
	p, err := NewProtocol(ProtocolConfig{Wire: WireConfig{ChainID: 7, Puzzle: testPuzzle}, Store: StoreConfig{Validator: versionValidator{}}},
		key, x, addr, randsrc.New(seed), t0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// roundTrip sends one request from a to b and returns a's view of the answer.
func roundTrip(t *testing.T, a, b *Protocol, typ MsgType, body any, now Time) *Answer {
	t.Helper()
	req, nonce, err := a.NewRequest(typ, b.Codec().ID(), body, now)
	if err != nil {
		t.Fatal(err)
	}
	ans, _, err := b.HandleRequest(req, ID{}, now)
	if err != nil {
		t.Fatalf("%s rejected: %v", typ, err)
	}
	got, _, err := a.HandleAnswer(ans, typ, b.Codec().ID(), nonce, now)
	if err != nil {
		t.Fatalf("answer to %s rejected: %v", typ, err)
	}
	return got
}

func TestRPCRoundTrips(t *testing.T) {
	a, b, c := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1"), testProtocol(t, 3, "10.0.2.1:1")
	if got := roundTrip(t, a, b, MsgPing, nil, t0); got.Type != MsgPong || got.From.ID != b.Codec().ID() {
		t.Fatalf("ping answer %+v", got)
	}
	if !a.Table().Contains(b.Codec().ID()) {
		t.Fatal("a node that answered our signed request is not in the table")
	}
	roundTrip(t, c, b, MsgPing, nil, t0+1) // b now knows c (and a)
	got := roundTrip(t, a, b, MsgFindNode, FindBody{Target: c.Codec().ID()}, t0+2)
	if len(got.Contacts) == 0 || got.Contacts[0].ID != c.Codec().ID() || got.Contacts[0].Addr != "10.0.2.1:1" {
		t.Fatalf("FIND_NODE for c returned %v", got.Contacts)
	}
	if a.Table().Contains(c.Codec().ID()) {
		t.Fatal("a third-party contact entered the table without answering us")
	}
	key := ID{9}
	if got := roundTrip(t, a, b, MsgStore, StoreBody{Key: key, Value: []byte("forged")}, t0+3); got.Stored || got.Reason == "" {
		t.Fatalf("invalid record stored: %+v", got)
	}
	if got := roundTrip(t, a, b, MsgStore, StoreBody{Key: key, Value: []byte("v1:rec")}, t0+4); !got.Stored {
		t.Fatalf("valid record refused: %s", got.Reason)
	}
	if got := roundTrip(t, c, b, MsgFindValue, FindBody{Target: key}, t0+5); !got.Found || string(got.Value) != "v1:rec" {
		t.Fatalf("FIND_VALUE: %+v", got)
	}
	if got := roundTrip(t, c, b, MsgFindValue, FindBody{Target: ID{8}}, t0+6); got.Found || len(got.Contacts) == 0 {
		t.Fatalf("FIND_VALUE for a missing key should return contacts: %+v", got)
	}
}

func TestOpenRejectsHostileInput(t *testing.T) {
	a, b := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1")
	other := testProtocol(t, 3, "10.0.2.1:1")
	req, _, err := a.NewRequest(MsgPing, b.Codec().ID(), nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.HandleRequest(req, ID{}, t0); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		raw  []byte
		now  Time
		want error
	}{
		"replay":          {req, t0 + 1, ErrReplay},
		"garbage":         {[]byte{0xde, 0xad}, t0, ErrMalformed},
		"oversized":       {make([]byte, MaxMessageSize+1), t0, ErrMalformed},
		"stale":           {mustRequest(t, a, b, t0), t0 + Time(3*Minute), ErrStale},
		"from the future": {mustRequest(t, a, b, t0+Time(3*Minute)), t0, ErrStale},
		"misaddressed":    {mustRequest(t, a, other, t0), t0, ErrMisaddressed},
		"flipped bit":     {flip(mustRequest(t, a, b, t0)), t0, nil},
	}
	for name, tc := range cases {
		_, _, err := b.HandleRequest(tc.raw, ID{}, tc.now)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
		if !IsRejection(err) {
			t.Errorf("%s: %v is not classed as a rejection", name, err)
		}
	}
	// A sender whose ID misses the puzzle difficulty the receiver demands.
	strict := testProtocol(t, 4, "10.0.3.1:1")
	strict.codec.cfg.Puzzle = Puzzle{Static: 30, Dynamic: 30}
	if _, _, err := strict.HandleRequest(mustRequest(t, a, strict, t0), ID{}, t0); !errors.Is(err, ErrPuzzle) {
		t.Errorf("puzzle failure: %v", err)
	}
}

func TestAnswerMustMatchRequest(t *testing.T) {
	a, b := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1")
	req, nonce, _ := a.NewRequest(MsgPing, b.Codec().ID(), nil, t0)
	ans, _, err := b.HandleRequest(req, ID{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.HandleAnswer(ans, MsgPing, b.Codec().ID(), [16]byte{1}, t0); !errors.Is(err, ErrMalformed) {
		t.Fatalf("answer with a foreign nonce: %v", err)
	}
	// The failed attempt consumed the nonce: the genuine answer is now a replay.
	if _, _, err := a.HandleAnswer(ans, MsgPing, b.Codec().ID(), nonce, t0); !errors.Is(err, ErrReplay) {
		t.Fatalf("second delivery of one answer: %v", err)
	}
	req2, nonce2, _ := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{}, t0)
	ans2, _, _ := b.HandleRequest(req2, ID{}, t0)
	if _, _, err := a.HandleAnswer(ans2, MsgFindNode, ID{5}, nonce2, t0); !errors.Is(err, ErrMisaddressed) {
		t.Fatalf("answer from an unexpected node: %v", err)
	}
}

func TestReplayMemoryIsBounded(t *testing.T) {
	a, b := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1")
	b.codec.cfg.MaxReplayEntries = 2
	for i := range 2 {
		if _, _, err := b.HandleRequest(mustRequest(t, a, b, t0+Time(i)), ID{}, t0+Time(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := b.HandleRequest(mustRequest(t, a, b, t0+2), ID{}, t0+2); !errors.Is(err, ErrReplay) {
		t.Fatalf("full nonce memory: %v", err)
	}
	later := t0 + Time(10*Minute)
	if _, _, err := b.HandleRequest(mustRequest(t, a, b, later), ID{}, later); err != nil {
		t.Fatalf("after the window passed the memory should have room: %v", err)
	}
}

func mustRequest(t *testing.T, from, to *Protocol, now Time) []byte {
	t.Helper()
	b, _, err := from.NewRequest(MsgPing, to.Codec().ID(), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func flip(b []byte) []byte {
	out := append([]byte(nil), b...)
	out[len(out)-10] ^= 1
	return out
}

// addRequestSeeds seeds f with a request of every type from node 1 to node
// 2 of testProtocol, and an empty list.
func addRequestSeeds(f *testing.F) {
	a, b := testProtocol(f, 1, "10.0.0.1:1"), testProtocol(f, 2, "10.0.1.1:1")
	for i, typ := range []MsgType{MsgPing, MsgFindNode, MsgFindValue, MsgStore} {
		var body any
		switch typ {
		case MsgFindNode, MsgFindValue:
			body = FindBody{Target: ID{byte(i)}}
		case MsgStore:
			body = StoreBody{Key: ID{1}, Value: []byte("v1:x")}
		}
		req, _, err := a.NewRequest(typ, b.Codec().ID(), body, t0)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(req)
	}
	f.Add([]byte{0xc0})
}

// FuzzOpen feeds arbitrary bytes to the message decoder and verifier: it
// must never panic and never accept anything not signed for it.
func FuzzOpen(f *testing.F) {
	addRequestSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		fresh := testProtocol(t, 2, "10.0.1.1:1")
		ans, _, err := fresh.HandleRequest(raw, ID{}, t0)
		if err == nil && len(ans) == 0 {
			t.Fatal("accepted request produced no answer")
		}
	})
}

func TestRequestMustComeFromTheAuthenticatedPeer(t *testing.T) {
	a, b, c := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1"), testProtocol(t, 3, "10.0.2.1:1")
	if _, _, err := b.HandleRequest(mustRequest(t, a, b, t0), c.Codec().ID(), t0); !errors.Is(err, ErrSenderMismatch) {
		t.Fatalf("request relayed by another peer: %v", err)
	}
	if _, _, err := b.HandleRequest(mustRequest(t, a, b, t0), a.Codec().ID(), t0); err != nil {
		t.Fatalf("request from its signer: %v", err)
	}
}

func TestStoreRefusedFarFromTheKey(t *testing.T) {
	b := testProtocol(t, 2, "10.0.1.1:1")
	a := testProtocol(t, 1, "10.0.0.1:1")
	// Fill b's table with many contacts so that for some key more than 2s
	// of them are closer to it than b.
	r := randsrc.New(9)
	for i := range 200 {
		b.Table().Observe(Contact{ID: randomID(r), Addr: addr(i)}, Responded, t0)
	}
	self := b.Codec().ID()
	far := self
	far[0] ^= 0x80 // the opposite half of the key space
	if got := roundTrip(t, a, b, MsgStore, StoreBody{Key: far, Value: []byte("v1:x")}, t0+1); got.Stored {
		t.Fatal("a node far from the key stored the record")
	}
	if got := roundTrip(t, a, b, MsgStore, StoreBody{Key: self, Value: []byte("v1:x")}, t0+2); !got.Stored {
		t.Fatalf("the node closest to the key refused: %s", got.Reason)
	}
}

// FuzzBodies feeds arbitrary bytes to every message-body decoder and to the
// contact verifier: the decoders sit behind signature checks, so FuzzOpen
// alone cannot reach them.
func FuzzBodies(f *testing.F) {
	a := testProtocol(f, 1, "10.0.0.1:1")
	for _, body := range []any{FindBody{Target: ID{1}}, NodesBody{Contacts: []SignedContact{a.Codec().Self()}},
		ValueBody{Found: true, Value: []byte("v1:x")}, StoreBody{Key: ID{2}, Value: []byte("v")}, StoredBody{Reason: "no"}} {
		b, err := signing.Encode(body)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0xc2, 0xc1, 0xc0})
	f.Add([]byte{0xc3, 0x80, 0x80, 0xc0})
	f.Add([]byte{0xc3, 0x00, 0x80, 0xc0})
	f.Add([]byte{0xc3, 0x02, 0x81, 0x05, 0xc0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := &Message{Body: raw}
		var nodes NodesBody
		if DecodeBody(m, &nodes) == nil {
			for _, sc := range nodes.Contacts {
				a.Codec().VerifyContact(sc, t0)
			}
		}
		// Each hand-written decoder accepts what the reflective one
		// accepts, with the same values, but for contact lists over
		// the answer's bound.
		agree := func(name string, err, wantErr error, tooMany bool, same func() bool) {
			t.Helper()
			if tooMany && wantErr == nil && err != nil {
				return
			}
			if (err == nil) != (wantErr == nil) {
				t.Fatalf("%x: %s decoder error %v, rlp error %v", raw, name, err, wantErr)
			}
			if err == nil && !same() {
				t.Fatalf("%x: %s decoded differently", raw, name)
			}
		}
		var rNodes NodesBody
		agree("nodes", DecodeBody(m, &nodes), signing.Decode(raw, &rNodes, MaxMessageSize), len(rNodes.Contacts) > MaxContactsPerAnswer,
			func() bool { return sameContacts(nodes.Contacts, rNodes.Contacts) })
		var find, rFind FindBody
		agree("find", DecodeBody(m, &find), signing.Decode(raw, &rFind, MaxMessageSize), false, func() bool { return find == rFind })
		var value, rValue ValueBody
		agree("value", DecodeBody(m, &value), signing.Decode(raw, &rValue, MaxMessageSize), len(rValue.Contacts) > MaxContactsPerAnswer, func() bool {
			return value.Found == rValue.Found && bytes.Equal(value.Value, rValue.Value) && sameContacts(value.Contacts, rValue.Contacts)
		})
		var store, rStore StoreBody
		agree("store", DecodeBody(m, &store), signing.Decode(raw, &rStore, MaxMessageSize), false, func() bool {
			return store.Key == rStore.Key && bytes.Equal(store.Value, rStore.Value)
		})
		var stored, rStored StoredBody
		agree("stored", DecodeBody(m, &stored), signing.Decode(raw, &rStored, MaxMessageSize), false, func() bool { return stored == rStored })
	})
}

func channelProtocol(t testing.TB, seed uint64, addr string) *Protocol {
	t.Helper()
	key, x := testKey(seed)
	p, err := NewProtocol(ProtocolConfig{Wire: WireConfig{ChainID: 7, Puzzle: testPuzzle, AuthenticatedTransport: true}, Store: StoreConfig{Validator: versionValidator{}}},
		key, x, addr, randsrc.New(seed), t0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Over an authenticated transport messages go unsigned and are accepted
// only from the peer the channel authenticated; everything else still holds.
func TestAuthenticatedTransportNeedsNoStrongSignature(t *testing.T) {
	a, b, c := channelProtocol(t, 1, "10.0.0.1:1"), channelProtocol(t, 2, "10.0.1.1:1"), channelProtocol(t, 3, "10.0.2.1:1")
	req, nonce, err := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{Target: c.Codec().ID()}, t0)
	if err != nil {
		t.Fatal(err)
	}
	var m Message
	if err := signing.Decode(req, &m, MaxMessageSize); err != nil {
		t.Fatal(err)
	}
	if len(m.Sig) != 0 {
		t.Fatalf("a message for an authenticated transport carries a %d-byte signature", len(m.Sig))
	}
	if _, _, err := b.HandleRequest(req, ID{}, t0); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("unsigned request with no authenticated peer: %v", err)
	}
	if _, _, err := b.HandleRequest(req, c.Codec().ID(), t0); !errors.Is(err, ErrSenderMismatch) {
		t.Fatalf("unsigned request arriving from another peer: %v", err)
	}
	before := b.VerifyStats().Signatures
	ans, _, err := b.HandleRequest(req, a.Codec().ID(), t0)
	if err != nil {
		t.Fatalf("unsigned request from the authenticated peer: %v", err)
	}
	if got := b.VerifyStats().Signatures - before; got != 1 {
		t.Fatalf("serving the request checked %d signatures, want 1 (the sender's contact's)", got)
	}
	if _, _, err := b.HandleRequest(req, a.Codec().ID(), t0); !errors.Is(err, ErrReplay) {
		t.Fatalf("replayed on the authenticated channel: %v", err)
	}
	if _, _, err := a.HandleAnswer(ans, MsgFindNode, c.Codec().ID(), nonce, t0); !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrMisaddressed) {
		t.Fatalf("unsigned answer from a node other than the one asked: %v", err)
	}
	// b learns c; a's next FIND_NODE answer relays c's contact, whose weak
	// signature a checks although the answer itself carries none.
	reqC, _, _ := c.NewRequest(MsgPing, b.Codec().ID(), nil, t0+1)
	if _, _, err := b.HandleRequest(reqC, c.Codec().ID(), t0+1); err != nil {
		t.Fatal(err)
	}
	req2, nonce2, _ := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{Target: c.Codec().ID()}, t0+2)
	ans2, _, err := b.HandleRequest(req2, a.Codec().ID(), t0+2)
	if err != nil {
		t.Fatal(err)
	}
	before = a.VerifyStats().Signatures
	got, _, err := a.HandleAnswer(ans2, MsgFindNode, b.Codec().ID(), nonce2, t0+2)
	if err != nil || got.From.ID != b.Codec().ID() || len(got.Contacts) == 0 || got.Contacts[0].ID != c.Codec().ID() {
		t.Fatalf("unsigned answer from the node asked: %+v, %v", got, err)
	}
	if n := a.VerifyStats().Signatures - before; n != 2 {
		t.Fatalf("the answer cost %d signature checks, want 2 (b's contact and the relayed c)", n)
	}
	// A node that signs refuses unsigned messages whatever the channel.
	signer := testProtocol(t, 4, "10.0.3.1:1")
	if _, _, err := signer.HandleRequest(mustRequest(t, a, signer, t0), a.Codec().ID(), t0); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a signing node took an unsigned request: %v", err)
	}
}

// A client has no address: it is answered, but never enters a routing
// table, so no lookup is ever sent its way after it has gone.
func TestClientIsAnsweredNeverRouted(t *testing.T) {
	client, b, c := testProtocol(t, 1, ""), testProtocol(t, 2, "10.0.1.1:1"), testProtocol(t, 3, "10.0.2.1:1")
	roundTrip(t, c, b, MsgPing, nil, t0)
	got := roundTrip(t, client, b, MsgFindNode, FindBody{Target: c.Codec().ID()}, t0+1)
	if len(got.Contacts) == 0 || got.Contacts[0].ID != c.Codec().ID() {
		t.Fatalf("the client's FIND_NODE returned %v", got.Contacts)
	}
	if b.Table().Contains(client.Codec().ID()) {
		t.Fatal("a client entered the routing table of a node it asked")
	}
	if !client.Table().Contains(b.Codec().ID()) {
		t.Fatal("the client did not learn the node that answered it")
	}
	// A node without an address cannot answer: it would be routed to.
	req, nonce, err := b.NewRequest(MsgPing, client.Codec().ID(), nil, t0+2)
	if err != nil {
		t.Fatal(err)
	}
	ans, _, err := client.HandleRequest(req, ID{}, t0+2)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.HandleAnswer(ans, MsgPing, client.Codec().ID(), nonce, t0+2); !errors.Is(err, ErrMalformed) {
		t.Fatalf("an answer from a node without an address: %v", err)
	}
	// Nor is an address-less contact relayed: shaped out of an answer.
	if _, err := shapeContact(b.codec.cfg, client.Codec().self, t0+2); !errors.Is(err, ErrMalformed) {
		t.Fatalf("a relayed contact without an address: %v", err)
	}
}
