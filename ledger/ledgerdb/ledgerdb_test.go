package ledgerdb_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// crashChildEnv names the directory a re-executed test binary applies the
// workload in before dying without closing the database.
const crashChildEnv = "ENIGMA_LEDGERDB_CRASH_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(crashChild(dir))
	}
	os.Exit(m.Run())
}

type batch struct {
	context  []byte
	requests [][]byte
}

// workload builds the same batches in every process: batch i registers
// ds-i and updates ds-(i-1) to version 2.
func workload(n int) (*ledgertest.Fixture, []batch, error) {
	f, err := ledgertest.NewFixture(7, 4, 2)
	if err != nil {
		return nil, nil, err
	}
	var out []batch
	for i := range n {
		reg, err := f.Command(i%2, f.Metadata(i%2, fmt.Sprintf("ds-%d", i), 1))
		if err != nil {
			return nil, nil, err
		}
		reqs := [][]byte{reg}
		if i > 0 {
			upd, err := f.Command((i-1)%2, f.Metadata((i-1)%2, fmt.Sprintf("ds-%d", i-1), 2))
			if err != nil {
				return nil, nil, err
			}
			reqs = append(reqs, upd)
		}
		bc, err := ledger.BuildContext(context.Background(), f.Chain, reqs)
		if err != nil {
			return nil, nil, err
		}
		enc, err := bc.Encode()
		if err != nil {
			return nil, nil, err
		}
		out = append(out, batch{context: enc, requests: reqs})
	}
	return f, out, nil
}

// expectedRoots applies the workload in memory: the root after each
// sequence number (index 0 is the empty state).
func expectedRoots(t *testing.T, f *ledgertest.Fixture, batches []batch) []common.Hash {
	t.Helper()
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	roots := []common.Hash{l.Root()}
	for i, b := range batches {
		root, results, err := l.Apply(uint64(i+1), b.context, b.requests)
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range results {
			if r != nil {
				t.Fatalf("workload batch %d request %d rejected: %v", i, j, r)
			}
		}
		roots = append(roots, root)
	}
	return roots
}

func applyFrom(t *testing.T, db *ledgerdb.DB, batches []batch) {
	t.Helper()
	for seq := db.Seq() + 1; seq <= uint64(len(batches)); seq++ {
		b := batches[seq-1]
		if _, _, err := db.Apply(seq, b.context, b.requests); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReopenResumesAtLastRoot(t *testing.T) {
	f, batches, err := workload(12)
	if err != nil {
		t.Fatal(err)
	}
	want := expectedRoots(t, f, batches)
	dir := t.TempDir()
	db, err := ledgerdb.Open(dir, ledger.Config{ChainID: f.ChainID})
	if err != nil {
		t.Fatal(err)
	}
	applyFrom(t, db, batches[:6])
	if _, err := ledgerdb.Open(dir, ledger.Config{ChainID: f.ChainID}); err == nil {
		t.Fatal("a second Open of a database in use succeeded")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = ledgerdb.Open(dir, ledger.Config{ChainID: f.ChainID})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Seq() != 6 || db.Root() != want[6] {
		t.Fatalf("reopened at %d/%s, want 6/%s", db.Seq(), db.Root(), want[6])
	}
	// Older states stay provable after reopening.
	cert, err := f.Certificate(3, want[3])
	if err != nil {
		t.Fatal(err)
	}
	cr, err := db.Certify(f.Metadata(0, "ds-2", 1).ID(), cert)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := ledger.Verify(cr, f.Set); err != nil || e.Kind != ledger.EntryDataset || e.Dataset.Signed.Metadata.Version != 1 {
		t.Fatalf("record at checkpoint 3: %v %v", e.Kind, err)
	}
	applyFrom(t, db, batches)
	if db.Root() != want[len(batches)] {
		t.Fatal("the reopened ledger diverged from the in-memory one")
	}
}

// TestCrashResumesAtLastCommittedRoot kills a process applying batches at
// an arbitrary point (SIGKILL, no Close) and checks that the database
// reopens at a root the in-memory ledger also reached, at or after the
// last batch the process reported applied, and then carries on.
func TestCrashResumesAtLastCommittedRoot(t *testing.T) {
	f, batches, err := workload(60)
	if err != nil {
		t.Fatal(err)
	}
	want := expectedRoots(t, f, batches)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lastReported := uint64(0)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		seq, err := strconv.ParseUint(strings.TrimPrefix(sc.Text(), "applied "), 10, 64)
		if err != nil {
			t.Fatalf("child said %q", sc.Text())
		}
		lastReported = seq
		if seq == 10 {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	_ = cmd.Wait() // killed, or exited without closing if it was quicker
	if lastReported < 10 {
		t.Fatalf("child stopped after %d batches", lastReported)
	}

	db, err := ledgerdb.Open(dir, ledger.Config{ChainID: f.ChainID})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Seq() < lastReported || db.Root() != want[db.Seq()] {
		t.Fatalf("reopened at %d/%s; the child reported %d applied and the root at %d is %s",
			db.Seq(), db.Root(), lastReported, db.Seq(), want[db.Seq()])
	}
	applyFrom(t, db, batches)
	if db.Root() != want[len(batches)] {
		t.Fatal("after the crash the ledger diverged from the in-memory one")
	}
}

// crashChild applies the workload and reports each batch; it never closes
// the database, as if it crashed after the last report.
func crashChild(dir string) int {
	f, batches, err := workload(60)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	db, err := ledgerdb.Open(dir, ledger.Config{ChainID: f.ChainID})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for i, b := range batches {
		if _, _, err := db.Apply(uint64(i+1), b.context, b.requests); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		fmt.Printf("applied %d\n", i+1)
	}
	return 0
}
