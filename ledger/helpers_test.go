package ledger_test

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

func newFixture(t testing.TB, validators, providers int) *ledgertest.Fixture {
	t.Helper()
	f, err := ledgertest.NewFixture(1, validators, providers)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newLedger(t testing.TB, f *ledgertest.Fixture) *ledger.Ledger {
	t.Helper()
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// command is Fixture.Command that fails the test on error.
func command(t testing.TB, f *ledgertest.Fixture, provider int, m ledger.Metadata) []byte {
	t.Helper()
	c, err := f.Command(provider, m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// apply builds the batch context from the fixture's chain and applies the
// batch at the ledger's next sequence. It fails the test on a storage error
// and returns the per-request results.
func apply(t testing.TB, f *ledgertest.Fixture, l *ledger.Ledger, reqs ...[]byte) (common.Hash, []error) {
	t.Helper()
	ctx, err := f.Context(reqs)
	if err != nil {
		t.Fatal(err)
	}
	root, results, err := l.Apply(l.Seq()+1, ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	return root, results
}

// mustAccept applies reqs and fails the test if any is rejected.
func mustAccept(t testing.TB, f *ledgertest.Fixture, l *ledger.Ledger, reqs ...[]byte) common.Hash {
	t.Helper()
	root, results := apply(t, f, l, reqs...)
	for i, r := range results {
		if r != nil {
			t.Fatalf("request %d rejected: %v", i, r)
		}
	}
	return root
}

// certify returns the certified record for key at the ledger's head.
func certify(t testing.TB, f *ledgertest.Fixture, l *ledger.Ledger, key common.Hash) *ledger.CertifiedRecord {
	t.Helper()
	cert, err := f.Certificate(l.Seq(), l.Root())
	if err != nil {
		t.Fatal(err)
	}
	cr, err := l.Certify(key, cert)
	if err != nil {
		t.Fatal(err)
	}
	return cr
}

// emptyBatchRoot is the root l would have after applying an empty batch
// with ctx at its next sequence, computed on a copy: the root of "nothing
// changed but the sequence".
func emptyBatchRoot(t testing.TB, f *ledgertest.Fixture, l *ledger.Ledger, ctx []byte) common.Hash {
	t.Helper()
	snap, err := l.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	twin := newLedger(t, f)
	if err := twin.Restore(snap, l.Root()); err != nil {
		t.Fatal(err)
	}
	root, _, err := twin.Apply(l.Seq()+1, ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return root
}
