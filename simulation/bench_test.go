package simulation

import (
	"fmt"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/internal/procstat"
)

// BenchmarkCommitThroughput measures committed client requests per second
// of CPU for n=4 in the simulator: real engine, real Ed25519 signatures
// verified by every replica (no memoisation), a fault-free network, 16
// closed-loop clients. One op is one run of 16 × 20 requests.
func BenchmarkCommitThroughput(b *testing.B) {
	for _, batch := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("n=4/batch=%d", batch), func(b *testing.B) {
			b.ReportAllocs()
			requests := 0
			start, cpu0 := time.Now(), procstat.CPU()
			for i := 0; i < b.N; i++ {
				p := &plan{name: "bench", delayLo: 1, delayHi: 5, clients: 16, requests: 20}
				res, err := runPlan(Options{Seed: uint64(i), Replicas: 4, NoSharedVerify: true, BatchSize: batch}, p)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Violations) > 0 || res.Completed != res.Requests {
					b.Fatalf("run %d: %d/%d committed, %v", i, res.Completed, res.Requests, res.Violations)
				}
				requests += res.Completed
			}
			b.ReportMetric(float64(requests)/time.Since(start).Seconds(), "requests/s")
			b.ReportMetric(float64(requests)/(procstat.CPU()-cpu0).Seconds(), "requests/cpu-s")
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}
