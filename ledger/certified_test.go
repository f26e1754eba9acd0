package ledger_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/ethereum/go-ethereum/trie"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// The ledger's record validator is what the DHT's record store calls.
var _ kademlia.Validator = ledger.RecordValidator{}

func TestCertifiedRecordVerifies(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	m := f.Metadata(0, "prices", 1)
	mustAccept(t, f, l, command(t, f, 0, m), command(t, f, 0, f.Metadata(0, "volumes", 1)))
	cr := certify(t, f, l, m.ID())
	e, err := ledger.Verify(cr, f.Set)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != ledger.EntryDataset || e.Dataset.Signed.Metadata.Name != "prices" {
		t.Fatalf("verified entry %v, want the prices dataset", e.Kind)
	}
	enc, _ := cr.Encode()
	if _, rec, err := ledger.VerifyDatasetRecord(ledger.SetList{f.Set}, m.ID(), enc); err != nil || rec.Signed.Metadata.Version != 1 {
		t.Fatalf("VerifyDatasetRecord: %v", err)
	}
	if _, _, err := ledger.VerifyDatasetRecord(ledger.SetList{f.Set}, f.Metadata(0, "volumes", 1).ID(), enc); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("a record served under another key was accepted: %v", err)
	}
}

func TestAbsenceProof(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	missing := f.Metadata(0, "never-registered", 1).ID()
	// Against the empty state, one holding only the sequence, and a
	// populated one.
	if e, err := ledger.Verify(certify(t, f, l, missing), f.Set); err != nil || e.Kind != ledger.EntryAbsent {
		t.Fatalf("empty state: %v %v", e.Kind, err)
	}
	mustAccept(t, f, l)
	for round := range 2 {
		cr := certify(t, f, l, missing)
		e, err := ledger.Verify(cr, f.Set)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if e.Kind != ledger.EntryAbsent {
			t.Fatalf("round %d: got %v, want absent", round, e.Kind)
		}
		if round == 0 {
			mustAccept(t, f, l, command(t, f, 0, f.Metadata(0, "a", 1)), command(t, f, 0, f.Metadata(0, "b", 1)))
		}
	}
	// Claiming a value for an absent key fails; claiming absence of a
	// present key fails.
	if e, err := ledger.Verify(certify(t, f, l, ledger.SequenceKey), f.Set); err != nil || e.Kind != ledger.EntrySequence || e.Seq != l.Seq() {
		t.Fatalf("sequence entry: %v %d %v", e.Kind, e.Seq, err)
	}
	cr := certify(t, f, l, missing)
	present := certify(t, f, l, f.Metadata(0, "a", 1).ID())
	cr.Value = present.Value
	if _, err := ledger.Verify(cr, f.Set); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("value for an absent key accepted: %v", err)
	}
	present.Value = nil
	if _, err := ledger.Verify(present, f.Set); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("absence of a present key accepted: %v", err)
	}
}

// TestEveryByteTamperIsRejected changes each byte of an encoded certified
// record (key, value, proof and certificate alike) in three ways and
// requires verification for the key asked about to fail every time, for a
// present and an absent key.
func TestEveryByteTamperIsRejected(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	m := f.Metadata(0, "prices", 1)
	var reqs [][]byte
	for _, name := range []string{"prices", "a", "b", "c", "d", "e", "f", "g", "h"} {
		reqs = append(reqs, command(t, f, 0, f.Metadata(0, name, 1)))
	}
	mustAccept(t, f, l, reqs...)
	for _, key := range []common.Hash{m.ID(), crypto.Keccak256Hash([]byte("absent"))} {
		enc, err := certify(t, f, l, key).Encode()
		if err != nil {
			t.Fatal(err)
		}
		sets := ledger.SetList{f.Set}
		if _, _, err := ledger.VerifyEncoded(sets, key, enc); err != nil {
			t.Fatalf("untampered record rejected: %v", err)
		}
		for i := range enc {
			for _, mask := range []byte{0x01, 0x80, 0xff} {
				bad := bytes.Clone(enc)
				bad[i] ^= mask
				if cr, e, err := ledger.VerifyEncoded(sets, key, bad); err == nil {
					t.Fatalf("key %s: byte %d ^ %#x accepted (entry %v, key %s)", key.Hex(), i, mask, e.Kind, cr.Key.Hex())
				}
				// A present record binds its key through its value, so
				// Verify alone catches the change as well.
				if key == m.ID() {
					if cr, _, err := verifyEncoded(f.Set, bad); err == nil {
						t.Fatalf("byte %d ^ %#x accepted by Verify without the key (key %s)", i, mask, cr.Key.Hex())
					}
				}
			}
		}
		if _, _, err := ledger.VerifyEncoded(sets, key, enc[:len(enc)-1]); err == nil {
			t.Fatal("truncated record accepted")
		}
		if _, _, err := ledger.VerifyEncoded(sets, key, append(bytes.Clone(enc), 0)); err == nil {
			t.Fatal("extended record accepted")
		}
	}
}

func verifyEncoded(vs *ledger.ValidatorSet, enc []byte) (*ledger.CertifiedRecord, ledger.Entry, error) {
	cr, err := ledger.DecodeCertifiedRecord(enc)
	if err != nil {
		return nil, ledger.Entry{}, err
	}
	e, err := ledger.Verify(cr, vs)
	return cr, e, err
}

func TestProofMustBeExactlyThePath(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	var reqs [][]byte
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		reqs = append(reqs, command(t, f, 0, f.Metadata(0, name, 1)))
	}
	mustAccept(t, f, l, reqs...)
	key := f.Metadata(0, "a", 1).ID()
	cr := certify(t, f, l, key)
	other := certify(t, f, l, f.Metadata(0, "b", 1).ID())
	// trie.VerifyProof alone ignores nodes it does not visit; VerifyProof
	// must not, or a record would have many accepted encodings.
	withExtra := append(append([][]byte{}, cr.Proof...), other.Proof[len(other.Proof)-1])
	db := memorydb.New()
	for _, n := range withExtra {
		_ = db.Put(crypto.Keccak256(n), n)
	}
	if v, err := trie.VerifyProof(cr.Certificate.StateRoot, key[:], db); err != nil || !bytes.Equal(v, cr.Value) {
		t.Fatalf("premise: trie.VerifyProof should accept the padded proof (%v)", err)
	}
	if _, err := ledger.VerifyProof(cr.Certificate.StateRoot, key, withExtra); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("proof with an unused node accepted: %v", err)
	}
	if len(cr.Proof) > 1 {
		swapped := append([][]byte{}, cr.Proof...)
		swapped[0], swapped[1] = swapped[1], swapped[0]
		if _, err := ledger.VerifyProof(cr.Certificate.StateRoot, key, swapped); !errors.Is(err, ledger.ErrVerify) {
			t.Fatalf("proof out of path order accepted: %v", err)
		}
	}
	dup := append([][]byte{cr.Proof[0]}, cr.Proof...)
	if _, err := ledger.VerifyProof(cr.Certificate.StateRoot, key, dup); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("proof with a repeated node accepted: %v", err)
	}
}

func TestCertificateRules(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	mustAccept(t, f, l, command(t, f, 0, f.Metadata(0, "a", 1)))
	cert, err := f.Certificate(l.Seq(), l.Root())
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.Verify(f.Set); err != nil {
		t.Fatal(err)
	}
	short := cert
	short.Signatures = cert.Signatures[:2]
	if err := short.Verify(f.Set); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("2 of 4 signatures accepted: %v", err)
	}
	dup := cert
	dup.Signatures = append([]ledger.CheckpointSignature{cert.Signatures[0]}, cert.Signatures...)
	if err := dup.Verify(f.Set); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("a repeated signer accepted: %v", err)
	}
	otherSeq := cert
	otherSeq.Seq++
	if err := otherSeq.Verify(f.Set); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("signatures over another sequence accepted: %v", err)
	}
	otherChain := *f.Set
	otherChain.ChainID++
	if err := cert.Verify(&otherChain); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("signatures from another chain accepted: %v", err)
	}
	nextEpoch := *f.Set
	nextEpoch.Epoch++
	if err := cert.Verify(&nextEpoch); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("certificate accepted for another epoch: %v", err)
	}
	// All four signing is fine too.
	var all []ledger.CheckpointSignature
	for _, k := range f.Validators {
		s, _ := ledger.SignCheckpoint(k, f.ChainID, cert.Epoch, cert.Seq, cert.StateRoot)
		all = append(all, s)
	}
	full := ledger.NewCertificate(0, cert.Seq, cert.StateRoot, all)
	if err := full.Verify(f.Set); err != nil {
		t.Fatalf("4 of 4 signatures rejected: %v", err)
	}
	if _, err := l.Certify(f.Metadata(0, "a", 1).ID(), otherSeq); err == nil {
		t.Fatal("Certify accepted a certificate for a sequence the ledger did not apply")
	}
}

func TestNewestAndSelect(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	m := f.Metadata(0, "prices", 1)
	mustAccept(t, f, l, command(t, f, 0, m))
	old := certify(t, f, l, m.ID())
	mustAccept(t, f, l, command(t, f, 0, f.Metadata(0, "prices", 2)))
	cur := certify(t, f, l, m.ID())
	if got := ledger.Newest([]*ledger.CertifiedRecord{old, cur, old}); got != 1 {
		t.Fatalf("Newest = %d, want 1", got)
	}
	if ledger.Newest(nil) != -1 {
		t.Fatal("Newest of nothing is not -1")
	}
	oldEnc, _ := old.Encode()
	curEnc, _ := cur.Encode()
	v := ledger.RecordValidator{Sets: ledger.SetList{f.Set}}
	if err := v.Validate(identity.NodeID(m.ID()), curEnc); err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(curEnc)
	bad[len(bad)-1] ^= 1
	i, err := v.Select(identity.NodeID(m.ID()), [][]byte{oldEnc, bad, curEnc})
	if err != nil || i != 2 {
		t.Fatalf("Select = %d, %v; want 2", i, err)
	}
	if _, err := v.Select(identity.NodeID(m.ID()), [][]byte{bad}); err == nil {
		t.Fatal("Select chose among only invalid values")
	}
	absent := certify(t, f, l, crypto.Keccak256Hash([]byte("nothing")))
	absentEnc, _ := absent.Encode()
	if err := v.Validate(identity.NodeID(absent.Key), absentEnc); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("an absence record was accepted for DHT storage: %v", err)
	}
	unknownEpoch := ledger.RecordValidator{Sets: ledger.SetList{}}
	if err := unknownEpoch.Validate(identity.NodeID(m.ID()), curEnc); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("record of an unknown epoch accepted: %v", err)
	}
}

func TestChangedKeysBetweenCheckpoints(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	a, b, c := f.Metadata(0, "a", 1), f.Metadata(0, "b", 1), f.Metadata(0, "c", 1)
	r1 := mustAccept(t, f, l, command(t, f, 0, a), command(t, f, 0, b))
	r2 := mustAccept(t, f, l, command(t, f, 0, c), command(t, f, 0, f.Metadata(0, "a", 2)))
	mustAccept(t, f, l) // only the sequence changes
	r3 := l.Root()
	sorted := func(ids ...common.Hash) []common.Hash {
		slices.SortFunc(ids, func(x, y common.Hash) int { return bytes.Compare(x[:], y[:]) })
		return ids
	}
	for _, tc := range []struct {
		from, to common.Hash
		want     []common.Hash
	}{
		{types.EmptyRootHash, r1, sorted(a.ID(), b.ID())},
		{r1, r2, sorted(a.ID(), c.ID())},
		{r2, r3, nil},
		{types.EmptyRootHash, r3, sorted(a.ID(), b.ID(), c.ID())},
	} {
		got, err := l.ChangedKeys(tc.from, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ChangedKeys(%s, %s) = %v, want %v", tc.from.Hex()[:10], tc.to.Hex()[:10], got, tc.want)
		}
	}
}
