package ledgerdb_test

import (
	"sync"
	"testing"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
)

// TestCertifyDuringApply serves certified records of committed checkpoints
// from one goroutine while another applies batches, as a node does (the DHT
// publisher and the consensus shell). Run with -race.
func TestCertifyDuringApply(t *testing.T) {
	f, batches, err := workload(30)
	if err != nil {
		t.Fatal(err)
	}
	db, err := ledgerdb.Open(t.TempDir(), ledger.Config{ChainID: f.ChainID, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applyFrom(t, db, batches[:5])
	cert, err := f.Certificate(5, db.Root())
	if err != nil {
		t.Fatal(err)
	}
	key := f.Metadata(0, "ds-2", 1).ID()

	var wg sync.WaitGroup
	errs := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 200 {
			cr, err := db.Certify(key, cert)
			if err == nil {
				_, err = ledger.Verify(cr, f.Set)
			}
			if err != nil {
				errs <- err
				return
			}
		}
	}()
	applyFrom(t, db, batches)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatalf("certifying checkpoint 5 while applying: %v", err)
	}
}
