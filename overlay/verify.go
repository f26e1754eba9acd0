package overlay

import (
	"runtime"
	"sync"

	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// ParallelVerifier is the shell's kademlia.Verifier: it spreads a batch of
// signature checks over the machine's cores, one goroutine per share, and
// checks a single signature on the caller's goroutine. The core decides
// what is checked; this only supplies the CPU. Safe for concurrent use.
type ParallelVerifier struct {
	// Workers bounds the goroutines per batch (default GOMAXPROCS).
	Workers int
}

// Verify implements kademlia.Verifier.
func (v ParallelVerifier) Verify(checks []kademlia.SigCheck) {
	workers := v.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(checks))
	if workers <= 1 {
		kademlia.SerialVerifier{}.Verify(checks)
		return
	}
	per := (len(checks) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := per; lo < len(checks); lo += per {
		share := checks[lo:min(lo+per, len(checks))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			kademlia.SerialVerifier{}.Verify(share)
		}()
	}
	kademlia.SerialVerifier{}.Verify(checks[:per])
	wg.Wait()
}
