package kademlia

import (
	"errors"
	"runtime"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

func TestStoreKeepsNewestValidVersion(t *testing.T) {
	s, err := NewStore(StoreConfig{Validator: versionValidator{}, TTL: 100, Republish: 10})
	if err != nil {
		t.Fatal(err)
	}
	key := ID{1}
	if _, err := s.Put(key, []byte("garbage"), 0); !errors.Is(err, ErrRejected) {
		t.Fatalf("invalid record: %v", err)
	}
	if s.Len() != 0 {
		t.Fatal("an invalid record was stored")
	}
	mustPut := func(v string, now Time, wantChanged bool) {
		t.Helper()
		changed, err := s.Put(key, []byte(v), now)
		if err != nil || changed != wantChanged {
			t.Fatalf("Put(%s): changed %v err %v, want changed %v", v, changed, err, wantChanged)
		}
	}
	mustPut("v2:b", 0, true)
	mustPut("v1:a", 1, false) // older: kept v2
	if v, _ := s.Get(key, 2); string(v) != "v2:b" {
		t.Fatalf("got %s after an older version arrived", v)
	}
	mustPut("v3:c", 5, true)
	mustPut("v3:c", 50, false) // same version: only extends its life
	if _, ok := s.Get(key, 149); !ok {
		t.Fatal("re-store did not extend the TTL")
	}
	if got := s.DueForRepublish(9); len(got) != 0 {
		t.Fatalf("republish too early: %v", got)
	}
	if got := s.DueForRepublish(10); len(got) != 1 || string(got[0].Value) != "v3:c" {
		t.Fatalf("republish due: %v", got)
	}
	if got := s.DueForRepublish(11); len(got) != 0 {
		t.Fatal("republish not rescheduled")
	}
	if _, ok := s.Get(key, 150); ok {
		t.Fatal("expired record served")
	}
	if n := s.Expire(150); n != 1 || s.Len() != 0 {
		t.Fatalf("expire dropped %d, %d left", n, s.Len())
	}
}

func TestStoreLimits(t *testing.T) {
	s, _ := NewStore(StoreConfig{Validator: versionValidator{}, MaxRecords: 1, MaxValueSize: 8})
	if _, err := s.Put(ID{1}, []byte("v1:too-long"), 0); !errors.Is(err, ErrRejected) {
		t.Fatalf("oversized record: %v", err)
	}
	if _, err := s.Put(ID{1}, []byte("v1:ok"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ID{2}, []byte("v1:ok"), 0); !errors.Is(err, ErrRejected) {
		t.Fatalf("store over its record limit: %v", err)
	}
	if _, err := NewStore(StoreConfig{}); err == nil {
		t.Fatal("store without a validator")
	}
}

func TestSelectNewest(t *testing.T) {
	got, err := SelectNewest(versionValidator{}, ID{}, [][]byte{[]byte("v2:x"), []byte("forged v9"), []byte("v4:y"), []byte("v3:z")})
	if err != nil || string(got) != "v4:y" {
		t.Fatalf("got %s, %v; want v4:y", got, err)
	}
	if _, err := SelectNewest(versionValidator{}, ID{}, [][]byte{[]byte("bad")}); !errors.Is(err, ErrRejected) {
		t.Fatalf("no valid value: %v", err)
	}
}

// kindValidator accepts "c<digit>:…" (a certified record) and
// "n<publisher byte><digit>:…" (a self-certifying record of publisher
// ID{publisher byte}); the higher digit wins. It counts Validate calls.
type kindValidator struct{ validated *int }

func (v kindValidator) parse(b []byte) (RecordKind, byte, error) {
	switch {
	case len(b) >= 3 && b[0] == 'c' && b[2] == ':':
		return RecordKind{Certified: true}, b[1], nil
	case len(b) >= 4 && b[0] == 'n' && b[3] == ':':
		return RecordKind{Publisher: ID{b[1]}}, b[2], nil
	}
	return RecordKind{}, 0, errors.New("not a test record")
}

func (v kindValidator) Classify(_ ID, b []byte) (RecordKind, error) {
	k, _, err := v.parse(b)
	return k, err
}

func (v kindValidator) Validate(_ ID, b []byte) error {
	if v.validated != nil {
		*v.validated++
	}
	_, _, err := v.parse(b)
	return err
}

func (v kindValidator) Select(_ ID, vs [][]byte) (int, error) {
	best, bestVer := -1, byte(0)
	for i, b := range vs {
		if _, ver, err := v.parse(b); err == nil && (best < 0 || ver > bestVer) {
			best, bestVer = i, ver
		}
	}
	if best < 0 {
		return 0, errors.New("no values")
	}
	return best, nil
}

// record makes a test record of n bytes.
func kindRecord(prefix string, n int) []byte {
	b := make([]byte, n)
	copy(b, prefix)
	return b
}

func keyN(i int) ID { return ID{0xee, byte(i >> 8), byte(i)} }

// TestOnePublisherCannotFloodTheStore is the regression test for red-team
// issue 15 (6): one identity stored 300 records of 60 KB on every node it
// reached. A publisher now gets 4 MiB per node, the refusal says why, and
// it comes before the signature check and before the value is copied.
func TestOnePublisherCannotFloodTheStore(t *testing.T) {
	validated := 0
	s, err := NewStore(StoreConfig{Validator: kindValidator{&validated}})
	if err != nil {
		t.Fatal(err)
	}
	const size = 60_000
	stored, refused := 0, 0
	for i := range 300 {
		_, err := s.Put(keyN(i), kindRecord("nA1:", size), Time(i))
		switch {
		case err == nil:
			stored++
		case errors.Is(err, ErrPublisherQuota) && errors.Is(err, ErrRejected):
			refused++
		default:
			t.Fatalf("record %d: %v", i, err)
		}
	}
	want := int(DefaultMaxPublisherBytes / (size + RecordOverhead))
	if stored != want || refused != 300-want {
		t.Fatalf("stored %d, refused %d of 300 records of %d bytes; want %d stored (4 MiB)", stored, refused, size, want)
	}
	if u := s.PublisherUsage(ID{'A'}); u.Records != want || u.Bytes > DefaultMaxPublisherBytes {
		t.Fatalf("publisher usage %+v", u)
	}
	if validated != want {
		t.Fatalf("%d signature checks for %d stored records: refusals must come first", validated, want)
	}
	// A refused record costs neither a copy of its value nor a check.
	value := kindRecord("nA1:", size)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const tries = 100
	for i := range tries {
		if _, err := s.Put(keyN(1000+i), value, 400); !errors.Is(err, ErrPublisherQuota) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if perPut := (after.TotalAlloc - before.TotalAlloc) / tries; perPut > 2048 {
		t.Fatalf("a refused %d-byte record allocated %d bytes", size, perPut)
	}
	// Another publisher still has its own quota; a new version of a held
	// key is charged only the difference.
	if _, err := s.Put(keyN(2000), kindRecord("nB1:", size), 500); err != nil {
		t.Fatalf("second publisher: %v", err)
	}
	if _, err := s.Put(keyN(0), kindRecord("nA2:", size), 500); err != nil {
		t.Fatalf("new version of a held record at the quota: %v", err)
	}
	// Expiry gives the quota back.
	s.Expire(Time(24*Hour) + 300)
	if u := s.PublisherUsage(ID{'A'}); u.Records != 1 {
		t.Fatalf("after expiry publisher A holds %+v, want the record re-stored at 500", u)
	}
	if _, err := s.Put(keyN(3000), kindRecord("nA1:", size), Time(24*Hour)+400); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

// TestCertifiedRecordsAlwaysHaveRoom: self-certifying records of many
// publishers fill their share; certified records still fit in the reserve,
// then evict the oldest records of the heaviest publisher.
func TestCertifiedRecordsAlwaysHaveRoom(t *testing.T) {
	const size = 1000 - RecordOverhead // charged 1,000 bytes each
	s, err := NewStore(StoreConfig{Validator: kindValidator{}, MaxRecords: 1000, MaxBytes: 40_000, MaxPublisherBytes: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	// Publishers 4, 2, 1 and 3 store 4, 10, 10 and 6 records, in that
	// order: 30,000 bytes, the 75% share.
	n := 0
	put := func(pub byte, count int) {
		t.Helper()
		for range count {
			if _, err := s.Put(keyN(n), kindRecord("n"+string(rune(pub))+"1:", size), Time(n)); err != nil {
				t.Fatalf("publisher %d record %d: %v", pub, n, err)
			}
			n++
		}
	}
	put(4, 4)
	put(2, 10)
	put(1, 10)
	put(3, 6)
	if _, err := s.Put(keyN(n), kindRecord("n\x051:", size), 100); !errors.Is(err, ErrStoreFull) {
		t.Fatalf("a fifth publisher past the share: %v", err)
	}
	// The reserve: 10 certified records fit without evicting anything.
	for i := range 10 {
		if _, err := s.Put(keyN(500+i), kindRecord("c1:", size), Time(200+i)); err != nil {
			t.Fatalf("certified record %d in the reserve: %v", i, err)
		}
	}
	if u := s.Usage(); u.Evicted != 0 || u.Total.Bytes != 40_000 {
		t.Fatalf("usage after the reserve filled: %+v", u)
	}
	// Each further certified record evicts the oldest record of the
	// heaviest publisher: publishers 1 and 2 tie at 10,000 bytes and the
	// lower ID goes first (key 14), then 2 is the heaviest (key 4), then
	// they tie again (key 15). Publishers 3 and 4 keep everything.
	for i := range 3 {
		if _, err := s.Put(keyN(600+i), kindRecord("c1:", size), Time(300+i)); err != nil {
			t.Fatalf("certified record past the reserve: %v", err)
		}
	}
	for i := range 30 {
		_, held := s.Get(keyN(i), 400)
		if want := i != 14 && i != 4 && i != 15; held != want {
			t.Fatalf("record %d held %v, want %v", i, held, want)
		}
	}
	if u := s.Usage(); u.Evicted != 3 || u.Certified.Records != 13 {
		t.Fatalf("usage: %+v", u)
	}
	// Certified records may take the whole store, and no more.
	for i := 0; ; i++ {
		_, err := s.Put(keyN(700+i), kindRecord("c1:", size), Time(500+i))
		if errors.Is(err, ErrStoreFull) {
			break
		}
		if err != nil || i > 40 {
			t.Fatalf("certified record %d: %v", i, err)
		}
	}
	if u := s.Usage(); u.Certified.Bytes != 40_000 || u.Publishers != 0 {
		t.Fatalf("a store full of certified records: %+v", u)
	}
}

// TestPublisherMustSolveThePuzzle: publisher IDs are held to the static
// puzzle, so quotas per publisher cost as much as node IDs.
func TestPublisherMustSolveThePuzzle(t *testing.T) {
	s, _ := NewStore(StoreConfig{Validator: kindValidator{}, PublisherPuzzle: 8})
	// ID{'A'} hashes to a value without 8 leading zero bits.
	if StaticOK(ID{'A'}, 8) {
		t.Skip("test publisher happens to solve the puzzle")
	}
	if _, err := s.Put(keyN(1), kindRecord("nA1:", 10), 0); !errors.Is(err, ErrPuzzle) || !errors.Is(err, ErrRejected) {
		t.Fatalf("publisher failing the puzzle: %v", err)
	}
	if _, err := s.Put(keyN(2), kindRecord("c1:", 10), 0); err != nil {
		t.Fatalf("certified records have no publisher to check: %v", err)
	}
}

// TestStoreRefusalIsAnsweredAndReported: a STORE over the quota is answered
// with the reason, and ServeRequest reports it so the shell can count it.
func TestStoreRefusalIsAnsweredAndReported(t *testing.T) {
	a := testProtocol(t, 1, "10.0.0.1:1")
	key, x := testKey(2)
	b, err := NewProtocol(ProtocolConfig{Wire: WireConfig{ChainID: 7, Puzzle: testPuzzle},
		Store: StoreConfig{Validator: kindValidator{}, MaxPublisherRecords: 1}}, key, x, "10.0.1.1:1", randsrc.New(2), t0)
	if err != nil {
		t.Fatal(err)
	}
	if b.Store().Config().PublisherPuzzle != testPuzzle.Static {
		t.Fatal("publishers are not held to the network's static puzzle")
	}
	b.Store().cfg.PublisherPuzzle = 0 // the test publishers are single bytes
	for i, want := range []error{nil, ErrPublisherQuota} {
		req, _, err := a.NewRequest(MsgStore, b.Codec().ID(), StoreBody{Key: keyN(i), Value: kindRecord("nA1:", 100)}, t0+Time(i))
		if err != nil {
			t.Fatal(err)
		}
		served, err := b.ServeRequest(req, ID{}, t0+Time(i))
		if err != nil {
			t.Fatal(err)
		}
		if want == nil && served.Refused != nil || want != nil && !errors.Is(served.Refused, want) {
			t.Fatalf("STORE %d: refused %v, want %v", i, served.Refused, want)
		}
		m, _, err := a.Codec().Open(served.Answer, t0+Time(i))
		if err != nil {
			t.Fatal(err)
		}
		var body StoredBody
		if err := DecodeBody(m, &body); err != nil {
			t.Fatal(err)
		}
		if body.Stored != (want == nil) || (want != nil && body.Reason != served.Refused.Error()) {
			t.Fatalf("STORE %d answered %+v", i, body)
		}
	}
}
