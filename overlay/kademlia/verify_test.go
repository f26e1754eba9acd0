package kademlia

import (
	"errors"
	"fmt"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// answerFrom seals a NODES answer from b to a's request (nonce) carrying
// the given contacts, as a hostile b could.
func answerFrom(t *testing.T, b *Protocol, to ID, nonce [16]byte, contacts []SignedContact, now Time) []byte {
	t.Helper()
	raw, err := b.codec.Seal(MsgNodes, to, b.nonce(), nonce, NodesBody{Contacts: contacts}, now)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// ask sends a FIND_NODE from a to b's protocol and returns a's view of a
// forged answer carrying contacts.
func askForged(t *testing.T, a, b *Protocol, contacts []SignedContact, now Time) *Answer {
	t.Helper()
	_, nonce, err := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{}, now)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := a.HandleAnswer(answerFrom(t, b, a.Codec().ID(), nonce, contacts, now), MsgFindNode, b.Codec().ID(), nonce, now)
	if err != nil {
		t.Fatalf("answer refused: %v", err)
	}
	return got
}

// A contact is verified once: later answers relaying the same signed
// contact, and later messages from the same sender, cost no weak-signature
// check, only each message's strong signature.
func TestContactVerifiedOnce(t *testing.T) {
	a, b := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1")
	var others []SignedContact
	for i := range 5 {
		o := testProtocol(t, uint64(10+i), fmt.Sprintf("10.0.%d.1:1", 10+i))
		others = append(others, o.Codec().Self())
	}
	first := askForged(t, a, b, others, t0)
	if len(first.Contacts) != 5 || first.Rejected != 0 {
		t.Fatalf("first answer: %d contacts, %d rejected", len(first.Contacts), first.Rejected)
	}
	s := a.VerifyStats()
	// Sender (weak + strong) and five contacts.
	if s.Signatures != 7 || s.ContactMisses != 6 || s.ContactHits != 0 || s.CachedContacts != 6 {
		t.Fatalf("after the first answer: %+v", s)
	}
	second := askForged(t, a, b, others, t0+1)
	if len(second.Contacts) != 5 {
		t.Fatalf("second answer: %d contacts", len(second.Contacts))
	}
	s2 := a.VerifyStats()
	if s2.Signatures-s.Signatures != 1 || s2.ContactHits-s.ContactHits != 6 || s2.ContactMisses != s.ContactMisses {
		t.Fatalf("a repeated answer should cost only its strong signature: before %+v, after %+v", s, s2)
	}
	// One signed contact repeated inside an answer is checked and returned once.
	rep := askForged(t, a, b, []SignedContact{others[0], others[0], others[0]}, t0+2)
	if len(rep.Contacts) != 1 || rep.Rejected != 0 {
		t.Fatalf("repeated contact: %d contacts, %d rejected", len(rep.Contacts), rep.Rejected)
	}
}

// The cache vouches for exactly one signed contact: changing any signed
// byte (address, stamp, puzzle solution, key) or the signature makes a
// different entry, which is checked and refused, even with the genuine
// contact cached.
func TestTamperedContactRefusedWithWarmCache(t *testing.T) {
	a, b := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1")
	c, d := testProtocol(t, 3, "10.0.2.1:1"), testProtocol(t, 4, "10.0.3.1:1")
	genuine := c.Codec().Self()
	if got := askForged(t, a, b, []SignedContact{genuine}, t0); len(got.Contacts) != 1 || got.Contacts[0].Addr != "10.0.2.1:1" {
		t.Fatalf("genuine contact: %+v", got)
	}
	cp := func(sc SignedContact) SignedContact {
		sc.PubKey = append([]byte(nil), sc.PubKey...)
		sc.Sig = append([]byte(nil), sc.Sig...)
		return sc
	}
	tampered := map[string]SignedContact{}
	x := cp(genuine)
	x.Addr = "66.6.6.6:1"
	tampered["address"] = x
	x = cp(genuine)
	x.Stamp -= 60
	tampered["stamp"] = x
	x = cp(genuine)
	x.Puzzle[31] ^= 1
	tampered["puzzle solution"] = x
	x = cp(genuine)
	x.Sig[5] ^= 1
	tampered["signature"] = x
	x = cp(genuine)
	x.PubKey = d.Codec().Self().PubKey // d's key, c's signature
	tampered["key"] = x
	x = cp(d.Codec().Self())
	x.Sig = genuine.Sig // d's contact, c's signature
	tampered["signature of another contact"] = x
	for name, sc := range tampered {
		for round := range 2 { // refused again, not remembered as good
			now := t0 + Time(10+round)
			got := askForged(t, a, b, []SignedContact{genuine, sc}, now)
			if got.Rejected != 1 || len(got.Contacts) != 1 || got.Contacts[0] != (Contact{ID: c.Codec().ID(), Addr: "10.0.2.1:1"}) {
				t.Errorf("%s (round %d): contacts %v, %d rejected", name, round, got.Contacts, got.Rejected)
			}
		}
	}
	// A sender whose contact is tampered: the whole message is refused.
	req, nonce, _ := a.NewRequest(MsgPing, b.Codec().ID(), nil, t0+20)
	b.codec.self.Addr = "66.6.6.6:1" // keeps the signature over the old address
	ans, _, err := b.HandleRequest(req, ID{}, t0+20)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.HandleAnswer(ans, MsgPing, b.Codec().ID(), nonce, t0+20); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("answer from a sender with a tampered contact: %v", err)
	}
}

// A cached contact is still refused once its stamp is too old: the cache
// holds signatures, not freshness.
func TestCachedContactStillExpires(t *testing.T) {
	a, b, c := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1"), testProtocol(t, 3, "10.0.2.1:1")
	sc := c.Codec().Self()
	if got := askForged(t, a, b, []SignedContact{sc}, t0); len(got.Contacts) != 1 {
		t.Fatal("fresh contact refused")
	}
	late := t0 + Time(2*Hour)
	b.codec.SetAddr("10.0.1.1:1", late) // b's own contact fresh again
	got := askForged(t, a, b, []SignedContact{sc}, late)
	if len(got.Contacts) != 0 || got.Rejected != 1 {
		t.Fatalf("an expired contact was served from the cache: %+v", got)
	}
	if _, err := a.Codec().VerifyContact(sc, late); !errors.Is(err, ErrStale) {
		t.Fatalf("VerifyContact of an expired cached contact: %v", err)
	}
}

// With the cache off every contact is checked every time.
func TestContactCacheOff(t *testing.T) {
	key, x := testKey(1)
	a, err := NewProtocol(ProtocolConfig{Wire: WireConfig{ChainID: 7, Puzzle: testPuzzle, ContactCacheSize: -1}, Store: StoreConfig{Validator: versionValidator{}}},
		key, x, "10.0.0.1:1", randsrc.New(1), t0)
	if err != nil {
		t.Fatal(err)
	}
	b, c := testProtocol(t, 2, "10.0.1.1:1"), testProtocol(t, 3, "10.0.2.1:1")
	for i := range 3 {
		askForged(t, a, b, []SignedContact{c.Codec().Self()}, t0+Time(i))
	}
	if s := a.VerifyStats(); s.Signatures != 9 || s.ContactHits != 0 || s.CachedContacts != 0 {
		t.Fatalf("without a cache: %+v", s)
	}
}

func TestContactCacheIsBoundedLRU(t *testing.T) {
	c := newContactCache(2)
	c.add("a", Contact{Addr: "a"})
	c.add("b", Contact{Addr: "b"})
	if _, ok := c.get([]byte("a")); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	c.add("c", Contact{Addr: "c"}) // evicts b
	if _, ok := c.get([]byte("b")); ok {
		t.Fatal("the least recently used entry was not evicted")
	}
	for _, k := range []string{"a", "c"} {
		if got, ok := c.get([]byte(k)); !ok || got.contact.Addr != k {
			t.Fatalf("%s: %v %v", k, got, ok)
		}
	}
	c.add("c", Contact{Addr: "c"})
	if c.len() != 2 {
		t.Fatalf("%d entries, bound 2", c.len())
	}
	for i := range 1000 {
		c.add(fmt.Sprint(i), Contact{})
	}
	if c.len() != 2 {
		t.Fatalf("%d entries after 1000 adds, bound 2", c.len())
	}
	// A contact the cache vouched for and evicted before its message was
	// finished is remembered again, under the key it was found by.
	hit, ok := c.get([]byte("999"))
	if !ok {
		t.Fatal("999 missing")
	}
	c.add("x", Contact{})
	c.add("y", Contact{})
	c.addVerified(SignedContact{}, hit, Contact{Addr: "back"})
	if got, ok := c.get([]byte("999")); !ok || got.contact.Addr != "back" {
		t.Fatalf("evicted hit: %v %v", got, ok)
	}
}

// The split API: checks may run apart from Begin and Finish, with any
// Verifier; Finish runs them itself when the caller did not.
func TestBeginVerifyFinish(t *testing.T) {
	a, b, c := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1"), testProtocol(t, 3, "10.0.2.1:1")
	counting := &countingVerifier{}
	a.codec.verifier = counting
	req, nonce, _ := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{}, t0)
	ans := answerFrom(t, b, a.Codec().ID(), nonce, []SignedContact{c.Codec().Self()}, t0)
	pd, err := a.BeginAnswer(ans, MsgFindNode, b.Codec().ID(), nonce, t0)
	if err != nil {
		t.Fatal(err)
	}
	if counting.n != 0 {
		t.Fatal("Begin verified signatures")
	}
	pd.Verify()
	pd.Verify() // once only
	if counting.n != 3 {
		t.Fatalf("Verify checked %d signatures, want 3 (sender weak + strong, one contact)", counting.n)
	}
	got, _, err := a.FinishAnswer(pd, t0)
	if err != nil || len(got.Contacts) != 1 {
		t.Fatalf("finish: %v %+v", err, got)
	}
	// Finish without Verify.
	pdReq, err := b.BeginRequest(req, a.Codec().ID(), t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.FinishRequest(pdReq, t0); err != nil {
		t.Fatal(err)
	}
	// A pending message is finished by the protocol that began it only.
	req2, _, _ := a.NewRequest(MsgPing, b.Codec().ID(), nil, t0+1)
	pd2, err := b.BeginRequest(req2, ID{}, t0+1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.FinishRequest(pd2, t0+1); err == nil {
		t.Fatal("another protocol finished a pending request")
	}
	// Decoded without Check: nothing comes from the cache, everything is
	// verified, and the answer is as good.
	counting.n = 0
	_, nonce4, _ := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{}, t0+3)
	pd4, err := a.Decoder().Answer(answerFrom(t, b, a.Codec().ID(), nonce4, []SignedContact{c.Codec().Self()}, t0+3), MsgFindNode, b.Codec().ID(), nonce4, t0+3)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := a.FinishAnswer(pd4, t0+3); err != nil || len(got.Contacts) != 1 || counting.n != 3 {
		t.Fatalf("finish without Check: %v, %+v, %d signatures checked", err, got, counting.n)
	}
	if err := c.Check(pd4); err == nil {
		t.Fatal("another protocol checked a decoded message")
	}
	// A Verifier that says no is believed.
	a.codec.verifier = refusingVerifier{}
	_, nonce3, _ := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{}, t0+2)
	if _, _, err := a.HandleAnswer(answerFrom(t, b, a.Codec().ID(), nonce3, nil, t0+2), MsgFindNode, b.Codec().ID(), nonce3, t0+2); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("refused strong signature: %v", err)
	}
}

type countingVerifier struct{ n int }

func (v *countingVerifier) Verify(checks []SigCheck) {
	v.n += len(checks)
	SerialVerifier{}.Verify(checks)
}

type refusingVerifier struct{}

func (refusingVerifier) Verify(checks []SigCheck) {
	for i := range checks {
		checks[i].OK = false
	}
}

// A contact listed twice in an answer is checked and returned once; the
// same node with another address is another contact.
func TestDuplicateContactsInAnswerCountOnce(t *testing.T) {
	a, b, c := testProtocol(t, 1, "10.0.0.1:1"), testProtocol(t, 2, "10.0.1.1:1"), testProtocol(t, 3, "10.0.2.1:1")
	_, nonce, _ := a.NewRequest(MsgFindNode, b.Codec().ID(), FindBody{}, t0)
	self := c.Codec().Self()
	twin := self
	twin.Sig = append([]byte(nil), self.Sig...) // equal bytes, another slice
	moved := self
	moved.Addr = "10.0.3.1:1" // its signature no longer covers it
	ans := answerFrom(t, b, a.Codec().ID(), nonce, []SignedContact{self, twin, moved}, t0)
	got, _, err := a.HandleAnswer(ans, MsgFindNode, b.Codec().ID(), nonce, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Contacts) != 1 || got.Rejected != 1 {
		t.Fatalf("%d contacts, %d rejected; want 1 and 1", len(got.Contacts), got.Rejected)
	}
}
