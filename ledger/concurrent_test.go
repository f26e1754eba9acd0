package ledger_test

import (
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// TestReadsByRootBesideApply: the node's police and DHT publisher read the
// ledger (Root, ChangedKeys, GetAt) while consensus applies batches. Every
// state they are given by its root reads whole, whatever Apply does
// meanwhile (run with -race to see the access pattern is safe).
func TestReadsByRootBesideApply(t *testing.T) {
	f, err := ledgertest.NewFixture(21, 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	batches, err := f.RegisterBatches("conc", 30, 8)
	if err != nil {
		t.Fatal(err)
	}
	l := newLedger(t, f)
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for _, b := range batches {
			if _, _, err := l.Apply(l.Seq()+1, b.Context, b.Requests); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	seen := 0
	for listed := types.EmptyRootHash; ; {
		root := l.Root()
		keys, err := l.ChangedKeys(listed, root)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			e, err := l.GetAt(root, k)
			if err != nil {
				t.Fatalf("key %s at root %s: %v", k.Hex(), root.Hex(), err)
			}
			if e.Kind == ledger.EntryDataset {
				seen++
			}
		}
		listed = root
		select {
		case <-done:
			wg.Wait()
			if l.Root() != listed {
				continue // one more listing of the final state
			}
			if seen != 30*8 {
				t.Errorf("listed %d datasets while they were registered, want %d", seen, 30*8)
			}
			return
		default:
		}
	}
}
