package ledger_test

import (
	"crypto/rand"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerapp"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// newSet registers, on the fixture's chain, a validator set of n fresh
// members for epoch and confirms it.
func newSet(t *testing.T, f *ledgertest.Fixture, epoch uint64, n int) *ledger.ValidatorSet {
	t.Helper()
	var members []ledger.Validator
	for range n {
		k, err := identity.GenerateNodeKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, ledger.Validator{ID: k.ID(), PublicKey: k.Public()})
	}
	vs := &ledger.ValidatorSet{ChainID: f.ChainID, Epoch: epoch, Members: members}
	if n > 0 {
		var err error
		if vs, err = ledger.NewValidatorSet(f.ChainID, epoch, members); err != nil {
			t.Fatal(err)
		}
	}
	f.Chain.Confirm(f.Chain.SetValidatorSet(vs))
	return vs
}

// TestEpochCommandRecordsTheNextSet: the ledger takes the next epoch's set
// as the chain has it at the batch's block, once, in order, with at least
// four members, and the engine reads it back as a reconfiguration.
func TestEpochCommandRecordsTheNextSet(t *testing.T) {
	f := newFixture(t, 4, 1)
	closing := func(at uint64) uint64 { return at + 16 }
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true, ClosingCheckpoint: closing}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	epochCmd := func(e uint64) []byte {
		b, err := ledger.EpochCommand(e).Encode()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, results := apply(t, f, l, epochCmd(1)); !errors.Is(results[0], ledger.ErrBadEpoch) {
		t.Fatalf("epoch 1 before the chain defines it: %v, want ErrBadEpoch", results[0])
	}
	set1 := newSet(t, f, 1, 5)
	mustAccept(t, f, l, epochCmd(1))
	if e, err := l.Epoch(); err != nil || e != 1 {
		t.Fatalf("ledger epoch %d, %v; want 1", e, err)
	}
	rec, err := l.EpochRecord(1)
	if err != nil || rec == nil || rec.AtSeq != l.Seq() || rec.CloseSeq != l.Seq()+16 || len(rec.Members) != 5 || rec.Members[0].ID != set1.Members[0].ID {
		t.Fatalf("epoch record %+v, %v", rec, err)
	}
	for _, e := range []uint64{1, 3} {
		if _, results := apply(t, f, l, epochCmd(e)); !errors.Is(results[0], ledger.ErrStaleEpoch) {
			t.Fatalf("epoch %d after epoch 1: %v, want ErrStaleEpoch", e, results[0])
		}
	}
	newSet(t, f, 2, 3)
	if _, results := apply(t, f, l, epochCmd(2)); !errors.Is(results[0], ledger.ErrBadEpoch) {
		t.Fatalf("a set of three: %v, want ErrBadEpoch", results[0])
	}
	app := ledgerapp.New(l, f.Chain, f.ChainID, nil)
	rc, ok := app.Reconfiguration(0)
	if !ok || rc.Epoch != 1 || rc.AtSeq != rec.AtSeq || len(rc.Validators) != 5 || !rc.Validators[0].Equal(set1.Members[0].PublicKey) {
		t.Fatalf("reconfiguration from epoch 0: %+v %v", rc, ok)
	}
	if _, ok := app.Reconfiguration(1); ok {
		t.Fatal("a reconfiguration from epoch 1 the ledger never recorded")
	}
}

// TestRecordsOfAReplacedSetAreBounded: a record certified by a replaced
// epoch's set counts only up to the checkpoint that closed it, and any
// record of the next epoch wins over it, whatever sequence number the old
// keys put on theirs.
func TestRecordsOfAReplacedSetAreBounded(t *testing.T) {
	record := func(epoch, seq uint64) *ledger.CertifiedRecord {
		return &ledger.CertifiedRecord{Certificate: ledger.CheckpointCertificate{Epoch: epoch, Seq: seq}}
	}
	next := &ledger.EpochRecord{Epoch: 4, AtSeq: 40, CloseSeq: 56}
	if err := ledger.CheckEpochBound(record(3, 56), next); err != nil {
		t.Fatalf("a record at the closing checkpoint: %v", err)
	}
	late := record(3, 1<<40)
	if err := ledger.CheckEpochBound(late, next); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("a record certified by the old set after it was replaced: %v, want ErrVerify", err)
	}
	if err := ledger.CheckEpochBound(record(2, 10), next); !errors.Is(err, ledger.ErrVerify) {
		t.Fatalf("the bound of epoch 2 from the record of epoch 4: %v, want ErrVerify", err)
	}
	successor := record(4, 57)
	if !ledger.Newer(successor, late) || ledger.Newer(late, successor) {
		t.Fatal("the old set's record at a huge sequence number wins over its successor's")
	}
}
