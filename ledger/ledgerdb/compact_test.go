package ledgerdb_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
)

// workloadDB opens a ledger database in a fresh directory and applies the
// first applied batches of an n-batch workload; want holds the roots of
// all n.
func workloadDB(t *testing.T, n, applied int) (dir string, cfg ledger.Config, batches []batch, want []common.Hash, db *ledgerdb.DB) {
	t.Helper()
	f, batches, err := workload(n)
	if err != nil {
		t.Fatal(err)
	}
	want = expectedRoots(t, f, batches)
	dir = filepath.Join(t.TempDir(), "ledger")
	cfg = ledger.Config{ChainID: f.ChainID}
	if db, err = ledgerdb.Open(dir, cfg); err != nil {
		t.Fatal(err)
	}
	applyFrom(t, db, batches[:applied])
	return dir, cfg, batches, want, db
}

func TestCompactShrinksAndKeepsTheLedger(t *testing.T) {
	dir, cfg, batches, want, db := workloadDB(t, 60, 50)
	if _, err := ledgerdb.Compact(dir, cfg, 8); err == nil {
		t.Fatal("compacted a ledger in use")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := ledgerdb.Compact(dir, cfg, 8)
	if err != nil {
		t.Fatal(err)
	}
	if rep.FromSeq != 43 || rep.ToSeq != 50 || rep.BytesAfter >= rep.BytesBefore {
		t.Fatalf("report %+v", rep)
	}
	t.Logf("ledger of 50 batches, last 8 kept: %d → %d bytes", rep.BytesBefore, rep.BytesAfter)
	for _, leftover := range []string{dir + ".old", dir + ".compacting"} {
		if _, err := os.Stat(leftover); err == nil {
			t.Errorf("%s left behind", leftover)
		}
	}
	db, err = ledgerdb.Open(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Seq() != 50 || db.Root() != want[50] {
		t.Fatalf("compacted ledger at %d/%s, want 50/%s", db.Seq(), db.Root(), want[50])
	}
	if root, ok, err := db.RootAt(43); err != nil || !ok || root != want[43] {
		t.Fatalf("kept sequence 43: %s %v %v", root, ok, err)
	}
	applyFrom(t, db, batches)
	if db.Root() != want[60] {
		t.Fatalf("after ten more batches the compacted ledger is at %s, want %s", db.Root(), want[60])
	}
}

// A crash between the two renames leaves the original beside no ledger:
// Open puts it back. A crash after them leaves the original to remove.
func TestOpenFinishesAnInterruptedCompaction(t *testing.T) {
	dir, cfg, _, want, db := workloadDB(t, 5, 5)
	db.Close()

	// Moved aside, copy half made: the original comes back, the copy goes.
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir+".compacting", 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := ledgerdb.Open(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if db.Root() != want[5] {
		t.Fatalf("after the undo the ledger is at %s, want %s", db.Root(), want[5])
	}
	db.Close()
	if _, err := os.Stat(dir + ".compacting"); err == nil {
		t.Fatal("the unfinished copy was left behind")
	}

	// Swapped, original not yet removed: it is removed.
	if err := os.MkdirAll(dir+".old", 0o700); err != nil {
		t.Fatal(err)
	}
	db, err = ledgerdb.Open(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(dir + ".old"); err == nil {
		t.Fatal("the replaced ledger was left behind")
	}
}
