package kademlia

import (
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// BenchmarkStaticPuzzle measures the cost of generating a node key that
// passes the static puzzle at difficulty c1 (expected 2^c1 key generations).
// Run with -benchtime=Nx: one op is one whole key search.
func BenchmarkStaticPuzzle(b *testing.B) {
	for _, c1 := range []int{8, 12, 14, 16} {
		b.Run(fmt.Sprintf("c1=%d", c1), func(b *testing.B) {
			tries := 0
			for b.Loop() {
				_, n, err := GenerateKey(rand.Reader, c1)
				if err != nil {
					b.Fatal(err)
				}
				tries += n
			}
			b.ReportMetric(float64(tries)/float64(b.N), "tries/op")
		})
	}
}

// BenchmarkDynamicPuzzle measures solving the dynamic puzzle at difficulty
// c2 for random IDs (expected 2^c2 hashes).
func BenchmarkDynamicPuzzle(b *testing.B) {
	r := randsrc.New(1)
	for _, c2 := range []int{12, 16, 18, 20, 22} {
		b.Run(fmt.Sprintf("c2=%d", c2), func(b *testing.B) {
			for b.Loop() {
				SolveDynamic(randomID(r), c2)
			}
		})
	}
}

// BenchmarkVerifyPuzzles is what every received message costs for the
// puzzles: two SHA-256 hashes.
func BenchmarkVerifyPuzzles(b *testing.B) {
	id := randomID(randsrc.New(2))
	x := SolveDynamic(id, 8)
	p := Puzzle{Static: 0, Dynamic: 8}
	for b.Loop() {
		if err := p.Check(id, x); err != nil {
			b.Fatal(err)
		}
	}
}
